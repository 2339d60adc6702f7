"""Infer each lighting cabinet's installed power and burning profile from its metered monthly kWh.

Model: kWh(month) = P × h(month) × f(month), where h is the month's dusk-to-dawn
equivalent hours from :mod:`twin.models.lighting` (same switching rule as the
scenario), P the cabinet's installed power (kW) and f ≤ 1 the share of the night
it burns (1 all night; about 0.47 with an extinction 23:00–05:00).

The ratio r = kWh / h (kW) is piecewise constant for a cabinet whose schedule
changed once. We search the single breakpoint that minimises the squared error
(accepted when it lowers it by more than the noise explains and the step exceeds
5 %), take the first regime as all-night (documented assumption: cabinets start
on dusk-to-dawn lighting), and flag months whose ratio leaves its regime by more
than 4 robust standard deviations:

* above → "excess consumption: lamps lit by day, or a clock running late",
* below → "deficit: failed lamps, or a clock running early",

and a significant linear trend inside a regime → "clock drift or progressive lamp failures".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MIN_STEP = 0.05
OUTLIER_SIGMAS = 4.0


@dataclass
class CabinetFit:
    """What the meter says of one cabinet."""

    sensor_id: str
    power_kw: float
    power_kw_stderr: float
    schedule_change: str | None  # first month of the new regime, ISO (YYYY-MM)
    burning_fraction_after: float | None
    anomalies: list = field(default_factory=list)  # [{"month", "kind", "ratio"}]
    months: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _sse(x: np.ndarray) -> float:
    return float(((x - x.mean()) ** 2).sum()) if len(x) else 0.0


def _robust_sigma(x: np.ndarray) -> float:
    return float(1.4826 * np.median(np.abs(x - np.median(x)))) or float(x.std()) or 1e-12


def fit_cabinet(sensor_id: str, monthly_kwh: pd.Series, full_night_hours: pd.Series) -> CabinetFit:
    """Fit one cabinet. Both series are indexed by month (``pandas.Period``); months missing from either are skipped."""
    df = pd.concat([monthly_kwh.rename("kwh"), full_night_hours.rename("h")], axis=1).dropna()
    df = df[df["h"] > 0]
    if len(df) < 6:
        raise ValueError(f"{sensor_id}: {len(df)} months with both meter and night hours; at least 6 are needed")
    r = (df["kwh"] / df["h"]).to_numpy()
    n = len(r)
    best_k, best_sse = None, _sse(r)
    for k in range(3, n - 2):
        sse = _sse(r[:k]) + _sse(r[k:])
        if sse < best_sse:
            best_k, best_sse = k, sse
    change = None
    if best_k is not None:
        step = abs(r[best_k:].mean() / r[:best_k].mean() - 1.0)
        # F-test-like guard: the break must explain much more than the within-regime noise.
        noise = best_sse / max(n - 2, 1)
        gain = _sse(r) - best_sse
        if step > MIN_STEP and gain > 25.0 * noise:
            change = best_k
    regimes = [(0, change or n)] + ([(change, n)] if change is not None else [])
    anomalies, outlier = [], np.zeros(n, bool)
    for a, b in regimes:
        seg = r[a:b]
        centre, sigma = np.median(seg), _robust_sigma(seg)
        for i in range(a, b):
            z = (r[i] - centre) / sigma
            if abs(z) > OUTLIER_SIGMAS and abs(r[i] / centre - 1) > 0.03:
                outlier[i] = True
                kind = "excess consumption: lamps lit by day, or a clock running late" if z > 0 else \
                    "deficit: failed lamps, or a clock running early"
                anomalies.append({"month": str(df.index[i]), "kind": kind, "ratio": round(float(r[i] / centre), 3)})
        if b - a >= 8:
            t = np.arange(b - a, dtype=float)
            keep = ~outlier[a:b]
            slope, intercept = np.polyfit(t[keep], seg[keep], 1)
            resid = seg[keep] - (slope * t[keep] + intercept)
            se = np.sqrt((resid ** 2).sum() / (keep.sum() - 2) / ((t[keep] - t[keep].mean()) ** 2).sum())
            total = slope * (b - a - 1) / centre
            if se > 0 and abs(slope / se) > 4 and abs(total) > 0.05:
                anomalies.append({"month": f"{df.index[a]}…{df.index[b - 1]}",
                                  "kind": "clock drift or progressive lamp failures", "ratio": round(1 + total, 3)})
    # Installed power: the all-night regime, anomalous months left out.
    end = change if change is not None else n
    first = r[:end][~outlier[:end]]
    power = float(first.mean())
    stderr = float(first.std(ddof=1) / np.sqrt(len(first))) if len(first) > 1 else float("nan")
    fit = CabinetFit(sensor_id, power, stderr, None, None, anomalies=anomalies, months=n)
    if change is not None:
        after = r[change:][~outlier[change:]]
        fit.schedule_change = str(df.index[change])
        fit.burning_fraction_after = float(after.mean() / power)
    return fit


def fit_cabinets(store, territory, *, offset_min: float = 15.0) -> pd.DataFrame:
    """Fit every cabinet meter of ``store`` (sensors with ``asset_layer == "cabinets"``)."""
    from twin.models.lighting import ALL_NIGHT, MinuteGrid, dark_mask  # noqa: PLC0415

    reg = store.sensors
    meters = reg[(reg["asset_layer"] == "cabinets") & (reg["quantity"] == "electric_energy")]
    if meters.empty:
        raise ValueError(f"{store.path}: no cabinet electricity meter (asset_layer 'cabinets') to calibrate")
    rows = []
    cabinets = territory.layers["cabinets"].to_crs("EPSG:4326").set_index("id")
    cache: dict = {}
    for _, m in meters.iterrows():
        obs = store.query(m["sensor_id"])
        if obs.empty:
            continue
        local = pd.DatetimeIndex(obs["time"]).tz_convert("Europe/Paris")
        kwh = pd.Series(obs["value"].to_numpy(), index=local.tz_localize(None).to_period("M"))
        lon, lat = (m["lon"], m["lat"]) if np.isfinite(m["lon"]) else \
            (cabinets.geometry[m["asset_id"]].x, cabinets.geometry[m["asset_id"]].y)
        key = (round(lon, 1), round(lat, 1), str(kwh.index.min()), str(kwh.index.max()))
        if key not in cache:
            grid = MinuteGrid.between(kwh.index.min().start_time, (kwh.index.max() + 1).start_time)
            dark = dark_mask(grid, lat, lon, offset_min=offset_min)
            hours = np.add.reduceat(np.where(dark, ALL_NIGHT.levels(grid), 0.0), grid.local.month_starts,
                                  dtype=np.float64) / 60.0
            cache[key] = pd.Series(hours, index=pd.PeriodIndex(grid.local.months))
        fit = fit_cabinet(m["sensor_id"], kwh, cache[key])
        rows.append({"cabinet_id": m["asset_id"], **fit.as_dict()})
    return pd.DataFrame(rows)
