"""Building energy baselines: change-point degree-day models (daily, billing) and an hourly model.

Daily and billing models follow the CalTRACK 2.0 methods (the family of OpenEEmeter):
usage per day = β0 + βh·HDD(Th) + βc·CDD(Tc), with the heating and cooling balance
points Th, Tc searched on a grid, candidates intercept-only / heating / cooling /
heating + cooling, a candidate kept only when its slopes are positive and significant
(p < 0.1), the best kept by adjusted R². Billing periods are fitted on average use per
day, weighted by the days of each period (CalTRACK 3.4).

The search is vectorised: for every balance point at once the ordinary least squares
solution comes from sums (no loop over candidates), so a thousand meters take seconds.

The hourly model is a time-of-week-and-temperature regression (Mathieu et al. 2011,
"Quantifying changes in building electricity use", IEEE Trans. Smart Grid 2(3):507;
CalTRACK hourly): one coefficient per hour of the week plus a piecewise-linear
temperature response with knots at 0, 7, 13, 18, 24, 32 °C.

Degree-days are computed from hourly temperatures (variable-base degree-days:
HDD(Tb) = Σ_hours max(0, Tb − T_h) / 24, ASHRAE Handbook — Fundamentals, ch. 14), which
follows the building's response better than the degree-days of the daily mean when days
swing across the balance point; :class:`DegreeDays` computes them once per weather
station and serves every meter that uses it.

Temperatures are °C, energy in the meter's unit (kWh after conversion).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

HEATING_BALANCE_C = np.arange(5.0, 24.01, 0.5)
COOLING_BALANCE_C = np.arange(10.0, 30.01, 0.5)
P_MAX = 0.1
HOURLY_KNOTS_C = (0.0, 7.0, 13.0, 18.0, 24.0, 32.0)


@dataclass
class ChangePointModel:
    """A fitted degree-day model: use per day = intercept + heating_slope·HDD + cooling_slope·CDD."""

    kind: str  # intercept_only | heating | cooling | heating_cooling
    intercept: float
    heating_slope: float = 0.0
    heating_balance_c: float | None = None
    cooling_slope: float = 0.0
    cooling_balance_c: float | None = None
    adj_r2: float = 0.0
    n: int = 0
    n_params: int = 1
    extra: dict = field(default_factory=dict)

    def predict_per_day(self, temp_c) -> np.ndarray:
        """Use per day (energy unit / day) at daily mean temperatures ``temp_c`` (°C)."""
        t = np.asarray(temp_c, float)
        out = np.full(t.shape, self.intercept, float)
        if self.heating_balance_c is not None:
            out += self.heating_slope * np.clip(self.heating_balance_c - t, 0, None)
        if self.cooling_balance_c is not None:
            out += self.cooling_slope * np.clip(t - self.cooling_balance_c, 0, None)
        return out

    def params(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("extra",)}


def _wsums(x, w):
    return (w[:, None] * x).sum(axis=0)


def fit_change_point(y, hdd_of, cdd_of, weights=None) -> ChangePointModel:
    """Fit the CalTRACK candidates and keep the best.

    Parameters
    ----------
    y : use per day of each observation (a day, or a billing period)
    hdd_of, cdd_of : functions of a balance-point array returning the (observation × balance point)
        matrix of heating / cooling degree-days per day
    weights : days in each observation (billing); None for daily data
    """
    y = np.asarray(y, float)
    n = len(y)
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    W = w.sum()
    ybar = (w * y).sum() / W
    yc = y - ybar
    syy = (w * yc * yc).sum()
    best = ChangePointModel("intercept_only", float(ybar), adj_r2=0.0, n=n, n_params=1)
    if syy <= 0 or n < 10:
        return best
    def adj(sse, p):
        return 1.0 - (sse / (n - p)) / (syy / (n - 1))

    # One regressor: heating-only and cooling-only, every balance point at once.
    singles = {}
    for kind, fn, bps in (("heating", hdd_of, HEATING_BALANCE_C), ("cooling", cdd_of, COOLING_BALANCE_C)):
        X = fn(bps)
        xbar = _wsums(X, w) / W
        Xc = X - xbar
        sxx = _wsums(Xc * Xc, w)
        sxy = _wsums(Xc * yc[:, None], w)
        ok = sxx > 1e-9
        beta = np.where(ok, sxy / np.where(ok, sxx, 1), 0.0)
        sse = syy - beta * sxy
        se = np.sqrt(np.clip(sse, 0, None) / (n - 2) / np.where(ok, sxx, 1))
        p = 2 * stats.t.sf(np.abs(beta / np.where(se > 0, se, np.inf)), n - 2)
        valid = ok & (beta > 0) & (p < P_MAX)
        singles[kind] = (X, Xc, sxx, sxy, bps)
        if valid.any():
            a = np.where(valid, adj(sse, 2), -np.inf)
            k = int(np.argmax(a))
            if a[k] > best.adj_r2:
                icpt = ybar - beta[k] * xbar[k]
                best = ChangePointModel(kind, float(icpt), adj_r2=float(a[k]), n=n, n_params=2,
                                        **({"heating_slope": float(beta[k]), "heating_balance_c": float(bps[k])}
                                           if kind == "heating" else
                                           {"cooling_slope": float(beta[k]), "cooling_balance_c": float(bps[k])}))
    # Two regressors: every (heating, cooling) pair with Th <= Tc.
    Xh, Xhc, shh, shy, hb = singles["heating"]
    Xk, Xkc, skk, sky, cb = singles["cooling"]
    shk = (w[:, None] * Xhc).T @ Xkc  # (H, C)
    det = shh[:, None] * skk[None, :] - shk ** 2
    good = (det > 1e-9) & (hb[:, None] <= cb[None, :])
    det_safe = np.where(good, det, 1.0)
    bh = (skk[None, :] * shy[:, None] - shk * sky[None, :]) / det_safe
    bc = (shh[:, None] * sky[None, :] - shk * shy[:, None]) / det_safe
    sse = syy - bh * shy[:, None] - bc * sky[None, :]
    s2 = np.clip(sse, 0, None) / (n - 3)
    se_h = np.sqrt(s2 * skk[None, :] / det_safe)
    se_c = np.sqrt(s2 * shh[:, None] / det_safe)
    ph = 2 * stats.t.sf(np.abs(bh / np.where(se_h > 0, se_h, np.inf)), n - 3)
    pc = 2 * stats.t.sf(np.abs(bc / np.where(se_c > 0, se_c, np.inf)), n - 3)
    valid = good & (bh > 0) & (bc > 0) & (ph < P_MAX) & (pc < P_MAX)
    if valid.any():
        a = np.where(valid, adj(sse, 3), -np.inf)
        i, j = np.unravel_index(int(np.argmax(a)), a.shape)
        if a[i, j] > best.adj_r2:
            xh = (w * Xh[:, i]).sum() / W
            xk = (w * Xk[:, j]).sum() / W
            best = ChangePointModel("heating_cooling", float(ybar - bh[i, j] * xh - bc[i, j] * xk),
                                    float(bh[i, j]), float(hb[i]), float(bc[i, j]), float(cb[j]),
                                    adj_r2=float(a[i, j]), n=n, n_params=3)
    return best


class DegreeDays:
    """Heating and cooling degree-days per local day, from an hourly temperature series (°C).

    The full grids of balance points are computed once (lazily) and shared by every meter fitted
    against this weather station.
    """

    def __init__(self, hourly_temp_c: pd.Series):
        t = hourly_temp_c.dropna()
        day = t.index.normalize() if t.index.tz is None else t.index.tz_localize(None).normalize()
        self.index = pd.DatetimeIndex(pd.unique(day))
        if t.index.tz is not None:
            self.index = self.index.tz_localize(t.index.tz, ambiguous="NaT", nonexistent="shift_forward")
        pos = np.searchsorted(self.index.tz_localize(None) if self.index.tz is not None else self.index, day)
        hour_rank = pd.Series(np.arange(len(t))).groupby(pos).cumcount().to_numpy()
        self.hours = np.full((len(self.index), int(hour_rank.max()) + 1), np.nan)
        self.hours[pos, hour_rank] = t.to_numpy()
        self.count = np.isfinite(self.hours).sum(axis=1)
        self.mean = np.nanmean(self.hours, axis=1)
        self._grids = {}

    def hdd(self, bps) -> np.ndarray:
        """(day × balance point) heating degree-days (K·day per day)."""
        return np.nanmean(np.clip(np.asarray(bps, float)[None, None, :] - self.hours[:, :, None], 0, None), axis=1)

    def cdd(self, bps) -> np.ndarray:
        return np.nanmean(np.clip(self.hours[:, :, None] - np.asarray(bps, float)[None, None, :], 0, None), axis=1)

    def grid(self, kind: str) -> np.ndarray:
        if kind not in self._grids:
            self._grids[kind] = self.hdd(HEATING_BALANCE_C) if kind == "hdd" else self.cdd(COOLING_BALANCE_C)
        return self._grids[kind]

    def rows(self, days: pd.DatetimeIndex) -> np.ndarray:
        """Row of each day in the table (−1 where the weather has no such day)."""
        pos = self.index.get_indexer(days)
        return pos


def fit_daily(usage_per_day: pd.Series, dd: DegreeDays) -> ChangePointModel:
    """CalTRACK daily model on daily use (indexed by local day) against a :class:`DegreeDays` table."""
    rows = dd.rows(usage_per_day.index)
    ok = (rows >= 0) & np.isfinite(usage_per_day.to_numpy())
    rows = rows[ok]
    hdd, cdd = dd.grid("hdd")[rows], dd.grid("cdd")[rows]
    m = fit_change_point(usage_per_day.to_numpy()[ok],
                         lambda bps: hdd[:, np.searchsorted(HEATING_BALANCE_C, bps)],
                         lambda bps: cdd[:, np.searchsorted(COOLING_BALANCE_C, bps)])
    return m


def predict_daily(model: ChangePointModel, dd: DegreeDays, days: pd.DatetimeIndex) -> np.ndarray:
    """Use per day of ``model`` on ``days`` (NaN where the weather table lacks the day)."""
    rows = dd.rows(days)
    out = np.full(len(days), np.nan)
    ok = rows >= 0
    val = np.full(ok.sum(), model.intercept)
    if model.heating_balance_c is not None:
        val += model.heating_slope * dd.hdd([model.heating_balance_c])[rows[ok], 0]
    if model.cooling_balance_c is not None:
        val += model.cooling_slope * dd.cdd([model.cooling_balance_c])[rows[ok], 0]
    out[ok] = val
    return out


def fit_billing(period_use, period_days, dd: DegreeDays, period_starts, period_ends) -> ChangePointModel:
    """CalTRACK billing model: use per day of each period, degree-days per day averaged over its days."""
    members = [dd.rows(pd.date_range(s.normalize(), e.normalize(), freq="1D", inclusive="left"))
               for s, e in zip(period_starts, period_ends)]
    members = [m[m >= 0] for m in members]

    def avg(grid):
        return np.array([grid[m].mean(axis=0) for m in members])

    hdd, cdd = avg(dd.grid("hdd")), avg(dd.grid("cdd"))
    y = np.asarray(period_use, float) / np.asarray(period_days, float)
    return fit_change_point(y, lambda b: hdd[:, np.searchsorted(HEATING_BALANCE_C, b)],
                            lambda b: cdd[:, np.searchsorted(COOLING_BALANCE_C, b)], weights=period_days)


@dataclass
class HourlyModel:
    """Time-of-week and temperature regression."""

    coef: np.ndarray
    n: int
    n_params: int

    @staticmethod
    def design(index: pd.DatetimeIndex, temp_c) -> np.ndarray:
        """168 hour-of-week indicators, then the temperature split at the knots (piecewise linear)."""
        how = (index.day_of_week * 24 + index.hour).to_numpy()
        k = HOURLY_KNOTS_C
        X = np.zeros((len(index), 168 + len(k) + 1))
        X[np.arange(len(index)), how] = 1.0
        t = np.asarray(temp_c, float)
        X[:, 168] = np.minimum(t, k[0])
        for i in range(1, len(k)):
            X[:, 168 + i] = np.clip(t - k[i - 1], 0, k[i] - k[i - 1])
        X[:, -1] = np.clip(t - k[-1], 0, None)
        return X

    def predict(self, index, temp_c) -> np.ndarray:
        return self.design(index, temp_c) @ self.coef


def fit_hourly(usage: pd.Series, temp_c: pd.Series) -> HourlyModel:
    """Fit the hourly model on aligned hourly use and temperature (°C)."""
    X = HourlyModel.design(usage.index, temp_c.to_numpy())
    coef, *_ = np.linalg.lstsq(X, usage.to_numpy(float), rcond=None)
    return HourlyModel(coef, len(usage), int(np.linalg.matrix_rank(X)))
