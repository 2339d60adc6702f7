"""A SYNTHETIC hourly outdoor temperature year from a station's monthly climate normals — what a building
model runs on where the territory has no weather sensor (issue 24: a commune with only a map).

The year is the sum of three documented parts (the structure of the weather generators of Richardson
1981, *Stochastic simulation of daily precipitation, temperature and solar radiation*, Water Resources
Research 17(1), reduced to temperature):

* the **seasonal cycle**: the twelve monthly normals (°C, mean of the daily means) placed at mid-month and
  joined by a periodic cubic spline through the day of the year, then shifted month by month so that each
  month's mean of the cycle is its normal (a spline through monthly means flattens the extremes: January
  came out 0.2–0.4 K too warm);
* the **weather**: a day-to-day anomaly, AR(1) with lag-one correlation ``phi`` (0.7: the persistence of
  daily mean temperature anomalies at mid-latitude stations is about 0.6–0.8) and stationary standard
  deviation ``anomaly_sd_c``, drawn from ``seed``;
* the **day**: a diurnal sinusoid of half the mean daily range, warmest at 15:00 local time (the usual
  mid-afternoon maximum) — the thermostat sees nights colder than the day's mean.

The result is labelled SYNTHETIC wherever it is used: it has a station's climate, not any real year's
weather, so a saving computed on it is a typical year's, not a given year's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.interpolate import CubicSpline
from scipy.signal import lfilter

WARMEST_HOUR_LOCAL = 15
"""[h] local hour of the diurnal maximum."""


def seasonal_cycle_c(day_of_year: np.ndarray, monthly_normals_c, year: int) -> np.ndarray:
    """[°C] the seasonal cycle on ``day_of_year`` (1-based) of ``year``: a periodic spline through the twelve
    monthly normals at mid-month, each month shifted so that its mean is its normal (module docstring)."""
    normals = np.asarray(monthly_normals_c, float)
    if normals.shape != (12,) or not np.isfinite(normals).all():
        raise ValueError(f"expected twelve finite monthly normals (°C), got {monthly_normals_c!r}")
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    n = len(days)
    month = days.month.to_numpy()
    mid = np.array([days[month == m].day_of_year.to_numpy().mean() for m in range(1, 13)])
    x = np.concatenate([mid - n, mid, mid + n])  # a year before and after: periodic at the ends
    spline = CubicSpline(x, np.tile(normals, 3))
    daily = spline(np.arange(1, n + 1))
    for m in range(1, 13):  # each month's mean back to its normal
        daily[month == m] += normals[m - 1] - daily[month == m].mean()
    return daily[np.asarray(day_of_year, int) - 1]


def synthetic_temperature_year(year: int, monthly_normals_c, *, diurnal_range_c: float = 8.0, phi: float = 0.7,
                               anomaly_sd_c: float = 3.0, seed: int = 0, tz: str = "Europe/Paris") -> pd.Series:
    """[°C] a SYNTHETIC hourly outdoor temperature for every hour of ``year`` (local time ``tz``), from the
    monthly normals (module docstring). ``diurnal_range_c`` [K]: the mean daily range (max − min);
    ``anomaly_sd_c`` [K]: the standard deviation of the daily mean around its normal; same ``seed``, same
    year."""
    if not 0 <= phi < 1:
        raise ValueError(f"phi: expected 0 ≤ phi < 1, got {phi}")
    index = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="1h", tz=tz, inclusive="left")
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    rng = np.random.default_rng([seed, year])
    innovations = rng.normal(0.0, anomaly_sd_c * np.sqrt(1 - phi ** 2), len(days) + 60)
    anomaly = lfilter([1.0], [1.0, -phi], innovations)[60:]  # 60 days of spin-up: stationary from 1 January
    doy = index.day_of_year.to_numpy()
    daily = seasonal_cycle_c(np.arange(1, len(days) + 1), monthly_normals_c, year) + anomaly
    hour = index.hour.to_numpy() + index.minute.to_numpy() / 60.0
    diurnal = 0.5 * diurnal_range_c * np.cos(2 * np.pi * (hour - WARMEST_HOUR_LOCAL) / 24.0)
    return pd.Series(daily[doy - 1] + diurnal, index=index, name="synthetic_air_temperature_c")


def heating_degree_days(hourly_c: pd.Series, base_c: float = 18.0) -> float:
    """[K·day] heating degree-days of an hourly series over its days: Σ_days max(base − daily mean, 0) — the
    French « DJU » convention on the daily mean (Météo-France's uses (Tmin + Tmax)/2)."""
    daily = hourly_c.groupby(hourly_c.index.normalize()).mean()
    return float(np.clip(base_c - daily.to_numpy(), 0, None).sum())


__all__ = ["heating_degree_days", "seasonal_cycle_c", "synthetic_temperature_year"]
