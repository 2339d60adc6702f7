"""A building's energy use followed day by day (issue 20): a degree-day baseline that updates as
readings arrive, a change of behaviour told apart from a meter fault, each with its date,
direction and size.

Model (per building; daily use ``y_d`` [kWh/day]; ``HDD_d(T)`` the day's heating degree-days at
base ``T`` from its hourly temperatures)::

    y_d = a + w_{weekday(d)} + Σ_j b_j · HDD_d(T_j) + Σ_k c_k · CDD_d(T_k) + ε_d,
    ε_d ~ N(0, (cv · ŷ_d)²)
    θ_{d+1} = θ_d + η_d,                         η_d ~ N(0, diag((q · scale_j)²))

a degree-day regression (PRISM, Fels 1986) whose balance point is not chosen but spanned by hinge
functions at 11, 14, 17 and 20 °C (any balance point between them, or a gradual one, is a
combination) and cooling ones at 18, 22 and 26 °C, and a level of its own for each day of the week
from Tuesday on (a school, an office: weekends differ), its coefficients followed by a Kalman filter from a vague prior (a slow random walk:
seasons of occupancy, a boiler ageing). Where the readings cannot yet tell the hinges apart (a
first winter: below 11 °C all four move together) the filter keeps its doubt, and the doubt
widens its predictions: the first spring is predicted with the uncertainty it deserves instead
of an alarm. ``cv`` is the spread of the use around its baseline over the warm-up (the first
``warmup_days`` usable days), a robust estimate (1.4826 × MAD).

**Change of behaviour**: after the warm-up, a two-sided CUSUM (Page 1954) of the standardised
one-day-ahead innovations, each clipped to ±``clip`` (one holiday, one cold snap the degree-days
miss, must not make an alarm on its own), reference ``k`` and decision ``h``. At an alarm:

* ``start`` is the day after the CUSUM last stood at zero (the change's most likely first day);
* ``direction`` up or down; ``magnitude`` the relative change of use after ``start`` against the
  baseline as it stood before it, over up to ``magnitude_days`` days (−0.18: 18 % less);
* the filter's doubt is widened (the new behaviour is learnt) and the CUSUM restarted: the next
  change is measured from the new behaviour.

**Faults** (:mod:`twin.live.faults`: gaps, stuck value, negative readings; here also zeros where
the baseline expects use, and a "change" by a unit ratio — ×1000, ×3.6 … — which is the export's
unit, not the building) are told apart: their days are kept out of the filter and the CUSUM, so
a meter fault is never also reported as a change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from twin.live.faults import Fault, gaps, out_of_range, stuck, unit_ratio
from twin.models.buildings import DegreeDays

HINGES_C = (11.0, 14.0, 17.0, 20.0)  # bases of the heating degree-day hinge functions [°C]
COOLING_HINGES_C = (18.0, 22.0, 26.0)  # bases of the cooling degree-day hinge functions [°C]


@dataclass(frozen=True)
class TrackingSettings:
    """The tracker's documented constants (see the module docstring)."""

    warmup_days: int = 56
    drift_per_day: float = 0.004  # q: relative sd of each coefficient's daily wander
    cusum_k: float = 1.0
    cusum_h: float = 5.0
    clip: float = 2.5
    min_cv: float = 0.02  # the noise floor, as a share of the predicted use
    zero_sigmas: float = 4.0  # a zero is a fault when the baseline expects this many sd of use
    relearn: float = 0.3  # at a change, each coefficient's sd grows by this share of its value
    prior_cv: float = 0.15  # the noise assumed before the warm-up has measured it
    spread_days: float = 60.0  # memory of the innovations' running scale [days]
    magnitude_days: int = 28


@dataclass
class Tracking:
    """What the tracker found: ``events`` (dicts: kind, what, start, end, direction, magnitude,
    detected, detail), the daily ``trace`` (use, baseline, standardised innovation, CUSUMs), the
    noise ``cv`` and the warm-up's end (the CUSUM is armed from the next day)."""

    events: list[dict]
    trace: pd.DataFrame
    cv: float
    warmup_end: pd.Timestamp | None
    notes: list[str] = field(default_factory=list)


def _fault_event(f: Fault) -> dict:
    return {"kind": "fault", "what": f.kind, "start": f.start, "end": f.end, "direction": None,
            "magnitude": f.factor, "detected": f.end, "detail": f.detail}


def _days_of(fault: Fault, days: pd.DatetimeIndex) -> np.ndarray:
    return (days >= fault.start.normalize()) & (days <= fault.end)


def track_building(daily_use: pd.Series, degree_days: DegreeDays,
                   settings: TrackingSettings = TrackingSettings()) -> Tracking:
    """Follow a building's daily use (kWh per local day, index = local midnights, NaN = missing)
    against the weather's degree-days; see the module docstring."""
    s = settings
    y_all = daily_use.astype(float)
    days = y_all.index
    # a jump of unit is told by the baseline (a change by a unit ratio, below): a weather-driven use
    # changes its level by ×3 or more between seasons, which a rule on the series alone would call one
    faults = sorted(gaps(y_all) + stuck(y_all) + out_of_range(y_all, low=0.0), key=lambda f: f.start)
    bad = np.zeros(len(days), bool)
    for f in faults:
        if f.kind != "gap":
            bad |= _days_of(f, days)
    rows = degree_days.rows(days)
    usable = np.isfinite(y_all.to_numpy()) & ~bad & (rows >= 0)
    notes = []
    first = np.flatnonzero(usable)
    trace = pd.DataFrame(index=days, data={"use": y_all.to_numpy(), "baseline": np.nan, "innovation": np.nan,
                                           "cusum_up": np.nan, "cusum_down": np.nan})
    events = [_fault_event(f) for f in faults]
    if len(first) <= s.warmup_days:
        notes.append(f"{len(first)} usable day(s): more than {s.warmup_days} are needed to arm the change detector")
        return Tracking(sorted(events, key=lambda e: e["start"]), trace, float("nan"), None, notes)
    warm_end = int(first[s.warmup_days - 1]) + 1
    n_hinges = len(HINGES_C) + len(COOLING_HINGES_C)
    features = np.full((len(days), 1 + n_hinges + 6), np.nan)
    features[:, 0] = 1.0
    known = rows[rows >= 0]
    features[rows >= 0, 1:1 + n_hinges] = np.hstack([degree_days.hdd(list(HINGES_C))[known],
                                                     degree_days.cdd(list(COOLING_HINGES_C))[known]])
    weekday = days.day_of_week.to_numpy()
    features[:, 1 + n_hinges:] = (weekday[:, None] == np.arange(1, 7)[None, :]).astype(float)
    y = y_all.to_numpy()
    level = float(np.median(y[first[:s.warmup_days]]))
    # vague prior: the level of use, each hinge free to carry it (per K·day) — ten times wider than needed
    scale = np.r_[max(level, 1e-6), np.full(n_hinges, max(level, 1e-6) / 5.0), np.full(6, max(level, 1e-6))]
    theta = np.r_[level, np.zeros(n_hinges + 6)]
    P = np.diag((3.0 * scale) ** 2)
    Q = np.diag((s.drift_per_day * scale) ** 2)
    cv = s.prior_cv
    spread = 1.0  # running mean of the squared standardised innovations (1 when the model is right)
    relative = []  # the warm-up's relative innovations, for cv
    up = down = 0.0
    last_zero_up = last_zero_down = warm_end - 1
    history = {}  # day index -> (coefficients, their covariance) before that day's update
    zeros_run: list[int] = []
    for d in range(int(first[0]), len(days)):
        P = P + Q
        history[d] = (theta.copy(), P.copy())
        h = features[d]
        if not np.all(np.isfinite(h)):
            continue
        pred = float(h @ theta)
        trace.iloc[d, 1] = pred
        R = (cv * max(pred, 0.05 * level)) ** 2
        S = float(h @ P @ h) + R
        if not usable[d]:
            continue
        armed = d >= warm_end
        if armed and y[d] == 0 and pred > s.zero_sigmas * math.sqrt(S):
            zeros_run.append(d)  # a fault, kept out of the filter
            continue
        if zeros_run:
            events.append(_zeros_event(zeros_run, days))
            zeros_run = []
        if d == warm_end:  # the warm-up's noise, measured on its last two thirds (the first third learns)
            tail = np.asarray(relative[len(relative) // 3:])
            cv = max(1.4826 * float(np.median(np.abs(tail - np.median(tail)))), s.min_cv)
            R = (cv * max(pred, 0.05 * level)) ** 2
            S = float(h @ P @ h) + R
        e = (y[d] - pred) / math.sqrt(S)
        if armed:  # the innovations' own scale, learnt slowly (the noise of a summer is not a winter's)
            e_scaled = e / math.sqrt(spread)
            spread += (min(e_scaled * e_scaled, s.clip * s.clip) * spread - spread) / s.spread_days
            e = e_scaled
        if not armed:
            relative.append((y[d] - pred) / max(abs(pred), 0.05 * level))
        else:
            ec = min(max(e, -s.clip), s.clip)
            up, down = max(0.0, up + ec - s.cusum_k), max(0.0, down - ec - s.cusum_k)
            if up == 0.0:
                last_zero_up = d
            if down == 0.0:
                last_zero_down = d
            trace.iloc[d, 2:5] = [e, up, down]
            if up > s.cusum_h or down > s.cusum_h:
                rising = up > s.cusum_h
                start = (last_zero_up if rising else last_zero_down) + 1
                before, P_before = history.get(start, (theta, P))
                events.append({"kind": "change", "what": "behaviour", "start_index": start, "detected_index": d,
                               "direction": "up" if rising else "down", "before": before})
                since = np.arange(start, d + 1)
                since = since[usable[since] & np.all(np.isfinite(features[since]), axis=1)]
                expected = float(np.sum(features[since] @ before))
                factor = float(np.sum(y[since])) / expected if expected > 0 else float("nan")
                if np.isfinite(factor) and factor > 0 and unit_ratio(factor):
                    # the export's unit changed: the baseline is carried into the new unit, not re-learnt
                    # from the coefficients it had before the jump (the days since were in the other unit)
                    theta, P = before * factor, P_before * factor ** 2
                    level, scale, Q = level * factor, scale * factor, Q * factor ** 2
                    pred = float(h @ theta)
                    R = (cv * max(pred, 0.05 * level)) ** 2
                else:
                    P = P + np.diag((s.relearn * np.maximum(np.abs(theta), scale * 0.1)) ** 2)
                S = float(h @ P @ h) + R
                up = down = 0.0
                last_zero_up = last_zero_down = d
        K = P @ h / S
        theta = theta + K * (y[d] - pred)
        A = np.eye(len(theta)) - np.outer(K, h)
        P = A @ P @ A.T + np.outer(K, K) * R  # Joseph's form: P stays symmetric and positive
    if zeros_run:
        events.append(_zeros_event(zeros_run, days))
    _finish_changes(events, days, y, features, usable, s)
    return Tracking(sorted(events, key=lambda e: (e["start"], e["kind"])), trace, float(cv), days[warm_end - 1], notes)


def _zeros_event(run: list[int], days: pd.DatetimeIndex) -> dict:
    return {"kind": "fault", "what": "zeros", "start": days[run[0]], "end": days[run[-1]], "direction": None,
            "magnitude": None, "detected": days[run[0]],
            "detail": f"{len(run)} day(s) of zero use where the baseline expects use"}


def _finish_changes(events: list[dict], days, y, features, usable, s: TrackingSettings) -> None:
    """Each change's dates, end (the day before the next change, or the last day) and magnitude."""
    changes = [e for e in events if e["kind"] == "change"]
    for n, e in enumerate(changes):
        a = e.pop("start_index")
        detected = e.pop("detected_index")
        last = changes[n + 1]["start_index"] - 1 if n + 1 < len(changes) else len(days) - 1
        theta = e.pop("before")
        window = np.arange(a, min(last, a + s.magnitude_days - 1) + 1)
        window = window[usable[window] & np.all(np.isfinite(features[window]), axis=1)]
        expected = features[window] @ theta
        mag = float(np.sum(y[window] - expected) / np.sum(expected)) if len(window) and np.sum(expected) > 0 else None
        e.update(start=days[a], end=days[last], detected=days[detected], magnitude=mag,
                 detail=f"use {'above' if e['direction'] == 'up' else 'below'} its baseline from this day")
        unit = unit_ratio(1 + mag) if mag is not None and mag > -1 else None
        if unit:  # use × 1000 or × 3.6 overnight: the export changed its unit, not the building
            e.update(kind="fault", what="unit_jump", magnitude=1 + mag,
                     detail=f"use × {1 + mag:.3g} against its baseline from this day ({unit})")



def daily_from_readings(usage_kwh: pd.Series, tz: str) -> pd.Series:
    """Readings of any cadence up to a day as use per local day (kWh), a day with a missing reading
    left NaN (:func:`twin.calibration.buildings.resample_usage` decides what is complete)."""
    from twin.calibration.buildings import resample_usage  # noqa: PLC0415

    local = usage_kwh.tz_convert(tz) if usage_kwh.index.tz is not None else usage_kwh.tz_localize(tz)
    start = local.index.min().normalize()
    end = local.index.max().normalize() + pd.Timedelta(days=1)
    totals, _, _ = resample_usage(local, "daily", start, end, label="meter")
    grid = pd.date_range(start, end, freq="D", inclusive="left", tz=tz)
    return totals.reindex(grid)
