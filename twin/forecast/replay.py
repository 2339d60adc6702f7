"""Replaying forecasts over a past period and scoring them lead time by lead time.

Forecasts are issued every ``every`` steps between two times, each with only the data before its
issue time (:func:`twin.forecast.issue.issue_forecasts`), and compared with what the gauge then
measured. For each lead: NSE, KGE and bias of the point forecast (the ensemble median), the peak
error and timing over the period's floods, alert hits / misses / false alarms per level, and for an
ensemble its CRPS, rank histogram and the share of observations inside its 5–95 % band, computed on the
members dressed with the errors of the calibration period (:mod:`twin.calibration.verification`,
:class:`twin.models.hydro_update.ErrorDressing`; a deterministic forecast is dressed too, and the forecast
without update with its own errors) — always beside
**persistence** (the last observed discharge) and the forecast **without update**, the two
references a forecaster must beat. All three are scored on the same cases: an observation at the lead
and a discharge observed at the issue time.
"""

from __future__ import annotations

import time as clock
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from twin.calibration.metrics import kge, nse
from twin.calibration.verification import contingency, crps_ensemble, flood_peaks, peak_errors, rank_histogram
from twin.forecast.issue import ForecastSetup, Forecasts, issue_forecasts
from twin.forecast.rain import RainSource
from twin.models.hydrology import mm_per_step_to_m3s
from twin.sources.hydro_csv import HydroDataError

FLOOD_SEPARATION_H = 72  # hours between two independent flood peaks (one peak per flood)
PEAK_WINDOW_H = 24  # a forecast's peak is looked for within ± this many hours of the observed one
KINDS = {"": "updated", "_no_update": "no_update", "_persistence": "persistence"}


@dataclass
class Replay:
    """The scores of a replay, per lead (steps), ready to print as JSON (:meth:`as_dict`)."""

    setup: dict
    rain: dict
    update: str
    period: list
    every: int
    issues: int
    horizon: int
    unit: str
    alert_levels: dict
    leads: dict = field(default_factory=dict)
    peaks: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {**self.setup, "rain": self.rain, "update": self.update, "period": self.period,
                "every_steps": self.every, "issues": self.issues, "horizon_steps": self.horizon,
                "discharge_unit": self.unit, "alert_levels": self.alert_levels, "flood_peaks": self.peaks,
                "leads": self.leads, "seconds": self.seconds}


def _scores(observed: np.ndarray, point: np.ndarray) -> dict:
    ok = np.isfinite(observed) & np.isfinite(point)
    o, f = observed[ok], point[ok]
    if len(o) < 2 or np.all(o == o[0]):
        return {"nse": float("nan"), "kge": float("nan"), "bias_pct": float("nan")}
    return {"nse": nse(o, f), "kge": kge(o, f)[0], "bias_pct": float(100.0 * (f.mean() / o.mean() - 1.0))}


def default_alert_levels(series, before) -> dict:
    """Alert levels when none is given: the 99th and 99.9th percentiles of the discharge observed before
    ``before`` (mm/step), named ``q99`` and ``q99.9`` — known at the first issue time."""
    q = series.Q[series.time < pd.Timestamp(before)]
    q = q[np.isfinite(q)]
    if len(q) < 100:
        raise HydroDataError(f"{series.source}: too few discharges before {before} to set default alert levels; "
                             "give --alert-levels")
    return {"q99": float(np.quantile(q, 0.99)), "q99.9": float(np.quantile(q, 0.999))}


def score_forecasts(fc: Forecasts, leads, levels_mm: dict, *, to_unit=lambda q: q, seed: int = 0) -> tuple[dict, int]:
    """Per lead (keyed by the lead time in hours): scores of the updated forecast, the forecast without update and persistence, alerts per
    level, peaks and, for an ensemble, CRPS and rank histogram. Returns (leads, number of flood peaks)."""
    n_steps = int(fc.last_known.max()) + fc.horizon + 1
    observed_line = np.full(n_steps, np.nan)
    for k in range(fc.horizon):  # the observed discharge at every valid time of the replay
        observed_line[fc.last_known + k + 1] = fc.observed[:, k]
    observed_line[fc.last_known] = fc.persistence
    lowest = min(levels_mm.values()) if levels_mm else np.nanquantile(observed_line, 0.99)
    step_h = fc.step_hours
    peaks = flood_peaks(observed_line, lowest, max(1, round(FLOOD_SEPARATION_H / step_h)))
    points = {"": np.median(fc.updated, axis=1), "_no_update": np.median(fc.no_update, axis=1),
              "_persistence": np.repeat(fc.persistence[:, None], fc.horizon, axis=1)}
    # CRPS and reliability on the dressed members (each forecast with the errors of its own kind)
    ensemble = fc.dressed if fc.dressed is not None else fc.updated
    plain = fc.no_update_dressed if fc.no_update_dressed is not None else fc.no_update
    out = {}
    for lead in leads:
        k = lead - 1
        # every forecast scored on the same cases: observed then, and a discharge observed at the issue time
        cases = np.isfinite(fc.observed[:, k]) & np.isfinite(fc.persistence)
        o = np.where(cases, fc.observed[:, k], np.nan)
        row = {}
        for suffix, point in points.items():
            for name, value in _scores(o, point[:, k]).items():
                row[name + suffix] = value
            line = np.full(n_steps, np.nan)
            line[fc.last_known + lead] = np.where(cases, point[:, k], np.nan)
            for name, value in peak_errors(observed_line, line, peaks, round(PEAK_WINDOW_H / step_h)).items():
                if name != "peaks":
                    row[name + suffix] = value
            for level, threshold in levels_mm.items():
                c = contingency(o, point[:, k], threshold)
                row.setdefault("alerts" + suffix, {})[level] = c
        row["cases"] = int(cases.sum())
        members = ensemble[cases, :, k]
        row["crps"] = float(np.mean(crps_ensemble(to_unit(o[cases]), to_unit(members))))
        row["crps_no_update"] = float(np.mean(crps_ensemble(to_unit(o[cases]), to_unit(plain[cases, :, k]))))
        row["crps_persistence"] = float(np.mean(np.abs(to_unit(fc.persistence[cases]) - to_unit(o[cases]))))
        if members.shape[1] > 1:
            low, high = np.quantile(members, [0.05, 0.95], axis=1)
            row["coverage_90_pct"] = float(100.0 * np.mean((o[cases] >= low) & (o[cases] <= high)))
            row["rank_histogram"] = rank_histogram(o[cases], members, seed=seed).tolist()
        out[f"{lead * step_h:g}"] = row  # keyed by lead time in hours
    return out, len(peaks)


def replay(setup: ForecastSetup, start, end, *, every: int, leads, rain: RainSource, update: str = "output",
           alert_levels_mm: dict | None = None, area_km2: float | None = None, seed: int = 0) -> tuple[Replay, Forecasts]:
    """Issue forecasts every ``every`` steps from ``start`` to ``end`` (issue times, inclusive) and score
    them at ``leads`` (steps). Alert levels in mm/step (default :func:`default_alert_levels`); with
    ``area_km2`` the scores in a unit (CRPS, levels) are given in m³/s."""
    s = setup.series
    leads = sorted({int(x) for x in leads})
    if not leads or leads[0] < 1:
        raise HydroDataError(f"--leads {leads}: expected positive whole numbers of steps")
    step = pd.Timedelta(hours=s.step_hours)
    issues = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=every * step)
    if len(issues) == 0:
        raise HydroDataError(f"no issue time between {start} and {end}")
    if issues[0] <= setup.error_period[1]:
        raise HydroDataError(f"the first issue time {issues[0]} is not after the period the model was fitted on "
                             f"(… {setup.error_period[1]}): the replay would score forecasts on data they learnt from")
    t0 = clock.perf_counter()
    horizon = leads[-1]
    fc = issue_forecasts(setup, issues, horizon, rain, update)
    levels = alert_levels_mm if alert_levels_mm else default_alert_levels(s, issues[0])

    def to_unit(q):
        return mm_per_step_to_m3s(q, area_km2, s.step_hours) if area_km2 else np.asarray(q, float)

    scored, n_peaks = score_forecasts(fc, leads, levels, to_unit=to_unit, seed=seed)
    report = Replay(setup=setup.describe(), rain={"source": rain.name if rain.table is None else rain.path,
                                                  "label": fc.rain.label, "kind": fc.rain.kind,
                                                  "members": fc.rain.members},
                    update=update, period=[str(issues[0]), str(issues[-1])], every=every, issues=len(issues),
                    horizon=horizon, unit="m3/s" if area_km2 else "mm per step",
                    alert_levels={name: float(to_unit(v)) for name, v in levels.items()}, leads=scored,
                    peaks=n_peaks)
    report.seconds = clock.perf_counter() - t0
    return report, fc
