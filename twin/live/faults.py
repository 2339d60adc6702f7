"""Sensor faults seen in a series alone (issue 20): gaps, a stuck value, out-of-range readings and a
jump of unit. Pure functions on a pandas Series (time-indexed, canonical unit); each returns
:class:`Fault` records with the first and last reading concerned.

Each rule is a documented threshold, not a learnt one, so its false alarms can be counted on clean
series (the note of issue 20 gives them):

* **gap** — readings missing for more than ``gap_periods`` of the series' own cadence (the median
  step), between two readings;
* **stuck** — the same value more times in a row than chance would give in this series (a meter
  whose register stopped turning, a sensor that froze): with ``p`` the share of readings equal to
  the one before, a run of ``L`` repeats happens by chance about ``n·p^L`` times in ``n`` readings,
  so runs longer than ``log(n/α)/log(1/p)`` (α = 1 %), and at least ``stuck_run``, are flagged —
  except at the series' own floor or ceiling (zero use, a bin's 100 %: a saturated sensor repeats
  its bound by design);
* **out of range** — below ``low`` (a negative energy) or above ``high`` when given;
* **unit jump** — at a midnight, the median of the week of readings after it differs from the
  median of the week before by a factor within 8 % of a unit ratio (1000: Wh↔kWh, 3.6: MJ↔kWh,
  29.3: therm↔kWh, 10.5: m³ of gas↔kWh; and their inverses): weeks, so that a day's rhythm (traffic,
  a bin filling) is not a level. A use that follows the weather can change by ×3.6 between two
  weeks of October: for building meters the baseline tells a unit from a change
  (:mod:`twin.live.buildings`), and this rule is not used.

Zeros where use is expected need a model of the use: see :mod:`twin.live.buildings`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

UNIT_RATIOS = {1000.0: "Wh ↔ kWh (or kWh ↔ MWh)", 3.6: "MJ ↔ kWh", 29.3071: "therm ↔ kWh",
               10.5: "m³ of gas ↔ kWh (calorific value)"}
UNIT_TOLERANCE = 0.08


@dataclass(frozen=True)
class Fault:
    """A fault of one sensor: ``kind`` (gap, stuck, out_of_range, unit_jump, zeros), the first and
    last reading concerned, and what was seen."""

    kind: str
    start: pd.Timestamp
    end: pd.Timestamp
    detail: str
    factor: float | None = None  # unit_jump: after / before

    def as_dict(self) -> dict:
        d = asdict(self)
        d["start"], d["end"] = str(self.start), str(self.end)
        return d


def cadence(series: pd.Series) -> pd.Timedelta | None:
    """The series' usual step (median of the steps); None with fewer than two readings."""
    if len(series) < 2:
        return None
    return pd.Series(series.index).diff().median()  # not asi8: its unit follows the index's resolution


def gaps(series: pd.Series, gap_periods: float = 1.5) -> list[Fault]:
    """Stretches with no reading longer than ``gap_periods`` × the cadence (a missing value, NaN,
    counts as missing)."""
    s = series.dropna()
    step = cadence(series)
    if step is None or len(s) < 2:
        return []
    dt = pd.Series(s.index).diff().iloc[1:].to_numpy()
    out = []
    for k in np.flatnonzero(dt > gap_periods * step.to_timedelta64()):
        first, last = s.index[k] + step, s.index[k + 1] - step
        out.append(Fault("gap", first, last, f"{int(round(dt[k] / step.to_timedelta64())) - 1} reading(s) missing"))
    return out


def stuck(series: pd.Series, stuck_run: int = 4, alpha: float = 0.01) -> list[Fault]:
    """Runs of identical readings longer than chance gives (see the module docstring), other than
    the series' floor or ceiling."""
    s = series.dropna()
    v = s.to_numpy()
    if len(v) < stuck_run:
        return []
    bounds = (v.min(), v.max(), 0.0)
    inner = ~np.isin(v, bounds)
    repeats = (v[1:] == v[:-1]) & inner[1:]
    p = float(repeats.sum()) / max(int(inner[1:].sum()), 1)
    if 0 < p < 1:
        stuck_run = max(stuck_run, int(np.ceil(np.log(len(v) / alpha) / np.log(1 / p))) + 1)
    elif p >= 1:
        return []
    change = np.r_[True, v[1:] != v[:-1]]
    starts = np.flatnonzero(change)
    ends = np.r_[starts[1:], len(v)]
    return [Fault("stuck", s.index[a], s.index[b - 1], f"{b - a} identical readings of {v[a]:g}")
            for a, b in zip(starts, ends, strict=True) if b - a >= stuck_run and v[a] not in bounds]


def out_of_range(series: pd.Series, low: float | None = 0.0, high: float | None = None) -> list[Fault]:
    """Runs of readings below ``low`` or above ``high``."""
    s = series.dropna()
    bad = np.zeros(len(s), bool)
    if low is not None:
        bad |= s.to_numpy() < low
    if high is not None:
        bad |= s.to_numpy() > high
    out = []
    for a, b in _runs(bad):
        lo, hi = float(s.iloc[a:b].min()), float(s.iloc[a:b].max())
        out.append(Fault("out_of_range", s.index[a], s.index[b - 1],
                         f"{b - a} reading(s) from {lo:g} to {hi:g} outside [{low}, {high}]"))
    return out


def unit_jumps(series: pd.Series, window: pd.Timedelta = pd.Timedelta(days=7)) -> list[Fault]:
    """Midnights where the weekly level changes by a unit ratio (see the module docstring); the
    fault runs from there to the next jump (or the last reading)."""
    s = series.dropna()
    if s.empty or s.index[-1] - s.index[0] < 2 * window:
        return []
    t = s.index
    midnights = pd.date_range(t[0].normalize() + window, t[-1] - window, freq="D")
    # the week before each midnight [m − window, m): a rolling window closed on the left, read at m;
    # the week after m is the week before m + window
    rolling = s.rolling(window, closed="left")
    grid = midnights.union(midnights + window)
    at = pd.DataFrame({"median": rolling.median(), "mean": rolling.mean(), "count": rolling.count()})
    at = at.reindex(at.index.union(grid)).ffill().reindex(grid)  # a midnight without a reading of its own
    # (ffill: the rolling window at the last reading before it; readings at midnight itself are its own)
    before, after = at.loc[midnights], at.loc[midnights + window]
    b_med, a_med = before["median"].to_numpy(), after["median"].to_numpy()
    b_mean, a_mean = before["mean"].to_numpy(), after["mean"].to_numpy()
    ok = (before["count"].to_numpy() >= 3) & (after["count"].to_numpy() >= 3) & (b_med > 0) & (a_med > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        by_median = np.where(ok, a_med / b_med, np.nan)
        by_mean = np.where(ok & (b_mean > 0), a_mean / b_mean, np.nan)
    out = []
    days_in_window = int(round(window / pd.Timedelta(days=1)))
    k = 0
    while k < len(midnights):
        if not (np.isfinite(by_median[k]) and unit_ratio(by_median[k])):
            k += 1
            continue
        # the medians see the jump for a few days before it: the day it happens is where the means
        # of the weeks either side differ most
        near = np.arange(k, min(k + days_in_window, len(midnights)))
        dist = np.abs(np.log(np.where(np.isfinite(by_mean[near]) & (by_mean[near] > 0), by_mean[near], 1.0)))
        j = int(near[np.argmax(dist)])
        what = unit_ratio(by_mean[j]) if np.isfinite(by_mean[j]) else None
        if what:
            out.append(Fault("unit_jump", midnights[j], t[-1], f"level × {by_mean[j]:.3g} from here ({what})",
                             factor=float(by_mean[j])))
            k = j + days_in_window  # one jump, not one per day of its week
        else:
            k += 1
    return [replace(f, end=out[k + 1].start - pd.Timedelta(seconds=1)) if k + 1 < len(out) else f
            for k, f in enumerate(out)]


def unit_ratio(factor: float) -> str | None:
    """The unit conversion ``factor`` is within :data:`UNIT_TOLERANCE` of, if any."""
    for ratio, what in UNIT_RATIOS.items():
        if any(abs(factor / r - 1) <= UNIT_TOLERANCE for r in (ratio, 1 / ratio)):
            return what
    return None


def series_faults(series: pd.Series, low: float | None = 0.0, high: float | None = None,
                  stuck_run: int = 4, gap_periods: float = 1.5, weather_driven: bool = False) -> list[Fault]:
    """Every fault of this module in one series, in time order; no unit-jump rule for a
    ``weather_driven`` use (see the module docstring)."""
    found = gaps(series, gap_periods) + stuck(series, stuck_run) + out_of_range(series, low, high)
    if not weather_driven:
        found += unit_jumps(series)
    return sorted(found, key=lambda f: (f.start, f.kind))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[a, b) index ranges where ``mask`` is true."""
    d = np.diff(np.r_[0, mask.astype(np.int8), 0])
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True))
