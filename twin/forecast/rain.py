"""Rain over a forecast's horizon, as it could be known at the issue time — or, labelled, as it fell.

Every source returns a :class:`RainOverHorizon`: (issue, member, lead) rain in mm per step, for the
steps after each issue time's last known step (lead 1 is the first unknown step). Sources:

* ``none`` — no rain after the issue time: the river with the water already in the catchment;
* ``analog`` — a climatological **analog ensemble** from the gauge's own history (Lorenz, E. N. 1969,
  J. Atmos. Sci. 26, 636–646; for rain, Obled, C., Bontron, G. & Garçon, R. 2002, Atmos. Res. 63,
  303–324): past windows of ``horizon`` steps that start within ± ``window_days`` of the same date in
  any earlier year (or earlier this season) and end before the issue time, ranked by how close the rain
  before them (the last 6, 24 and 72 h, log1p of the sums) is to the rain before the issue time; the
  ``members`` are drawn without replacement (seeded; with replacement only when fewer candidates than
  members exist) from the ``pool × members`` closest (every
  candidate tied with the last of them included, so that a dry spell's many equal analogs are drawn
  evenly, not the oldest first);
* a **file** — a forecast you give (:func:`twin.sources.rain_forecast.read_rain_forecast`),
  deterministic or by members; the latest forecast issued at or before each issue time;
* ``observed`` — the rain that really fell: a hindcast with perfect rain, labelled as such; it
  tells what a perfect rain forecast would give, never what could be known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numba import njit

from twin.sources.hydro_csv import HydroDataError

HINDCAST = "hindcast (perfect rain)"
FORECAST = "forecast"
SOURCES = ("none", "observed", "analog")  # or a file
ANTECEDENT_HOURS = (6, 24, 72)
YEAR_DAYS = 365.2425


@dataclass
class RainOverHorizon:
    """Rain over each issue time's horizon: ``mm`` (issue, member, lead), what it is (``label``) and
    whether it could be known at the issue time (``kind``: ``forecast``) or not (``hindcast (perfect rain)``)."""

    mm: np.ndarray
    label: str
    kind: str
    source: str

    @property
    def members(self) -> int:
        return self.mm.shape[1]


def no_rain(n_issues: int, horizon: int) -> RainOverHorizon:
    """Zero rain after every issue time."""
    return RainOverHorizon(np.zeros((n_issues, 1, horizon)), "no rain after the issue time", FORECAST, "none")


def observed_rain(P, last_known, horizon: int, *, source: str = "data") -> RainOverHorizon:
    """The rain that fell over each horizon (a hindcast: perfect rain). ``last_known``: the index of each
    issue time's last known step in ``P``."""
    P = np.asarray(P, float)
    last = np.asarray(last_known, int)
    if len(last) and last.max() + horizon >= len(P):
        raise HydroDataError(f"{source}: the observed rain ends at step {len(P) - 1}; a hindcast issued after step "
                             f"{int(last.max())} needs {horizon} more steps")
    return RainOverHorizon(P[last[:, None, None] + np.arange(1, horizon + 1)[None, None, :]],
                           f"observed rain, {HINDCAST}", HINDCAST, "observed")


@njit(cache=True)
def _analog_pool(features, last, horizon, window_steps, year_steps, k_pool):  # pragma: no cover - numba
    """Start indices of the analog candidates closest to the rain before step ``last + 1`` (see module):
    windows starting within ± ``window_steps`` of the same step 0, 1, 2 … years before, ending at or
    before ``last``; ``features[a]``: log1p of the antecedent rain sums before step ``a`` (NaN: too early)."""
    stop = last - horizon + 1  # the window [a, a + horizon) ends at or before the last known step
    target = features[last + 1]
    n_years = int((last + 1) / year_steps) + 2
    dist = np.empty(n_years * (2 * window_steps + 1))
    start = np.empty(dist.shape[0], dtype=np.int64)
    count = 0
    for y in range(n_years):
        centre = last + 1 - int(round(y * year_steps))
        for a in range(max(centre - window_steps, 0), min(centre + window_steps, stop) + 1):
            if np.isnan(features[a, 0]):
                continue
            d = 0.0
            for j in range(features.shape[1]):
                d += (features[a, j] - target[j]) ** 2
            dist[count] = d
            start[count] = a
            count += 1
    if count == 0:
        return start[:0]
    dist, start = dist[:count], start[:count]
    k = min(k_pool, count) - 1
    cut = np.partition(dist, k)[k]  # the k-th smallest distance: every candidate as close is kept
    return start[dist <= cut]


def antecedent_features(P, step_hours: float) -> np.ndarray:
    """log1p of the rain summed over the last 6, 24 and 72 h before each step (mm; NaN before 72 h of data):
    what makes two moments alike for the analog ensemble. (step + 1, feature): row ``n`` is after the end."""
    P = np.asarray(P, float)
    C = np.concatenate([[0.0], np.cumsum(P)])
    lags = sorted({max(1, round(h / step_hours)) for h in ANTECEDENT_HOURS})
    out = np.full((len(C), len(lags)), np.nan)
    for j, lag in enumerate(lags):
        out[lag:, j] = np.log1p(np.maximum(C[lag:] - C[:-lag], 0.0))
    out[: max(lags)] = np.nan
    return out


def analog_rain(P, times, last_known, horizon: int, *, step_hours: float, members: int = 50,
                window_days: int = 30, pool: int = 4, seed: int = 0, source: str = "data") -> RainOverHorizon:
    """The analog ensemble of each issue time (see the module): ``members`` windows of the gauge's past
    rain ``P`` (mm per step at regular ``times``), each ``horizon`` steps, all ending at or before the issue
    time's last known step ``last_known``. Issue time *k* draws from its own generator, seeded by ``seed``
    and its time, so that its members do not depend on the other issue times of a replay."""
    P = np.asarray(P, float)
    times = pd.DatetimeIndex(times)
    last = np.asarray(last_known, int)
    features = antecedent_features(P, step_hours)
    per_day = 24.0 / step_hours
    minutes = np.asarray((times[last] - pd.Timestamp("1970-01-01")) // pd.Timedelta(minutes=1), dtype=np.int64)
    out = np.empty((len(last), members, horizon))
    picks = np.empty((len(last), members), dtype=np.int64)
    offsets = np.arange(horizon)
    for k, i in enumerate(last):
        candidates = _analog_pool(features, int(i), horizon, int(round(window_days * per_day)),
                                  YEAR_DAYS * per_day, pool * members)
        if not len(candidates):
            when = times[i] + pd.Timedelta(hours=step_hours)
            raise HydroDataError(f"{source}: no {horizon}-step window of rain within ± {window_days} days of "
                                 f"{when:%d %b} before the issue time {when} (the history is too short for an "
                                 "analog ensemble)")
        rng = np.random.default_rng([seed, int(minutes[k])])
        picks[k] = rng.choice(candidates, size=members, replace=len(candidates) < members)
        out[k] = P[picks[k][:, None] + offsets[None, :]]
    years = times[picks.ravel()].year if len(last) else pd.Index([])
    span = f", {years.min()}–{years.max()}" if len(years) else ""
    return RainOverHorizon(out, f"analog ensemble of {members} (±{window_days} d, similar rain before{span}, "
                                f"seed {seed})", FORECAST, "analog")


def file_rain(table: pd.DataFrame, times, last_known, horizon: int, *, step_hours: float,
              source: str) -> RainOverHorizon:
    """The rain forecast of ``table`` (:func:`twin.sources.rain_forecast.read_rain_forecast`) over each horizon.

    Lead *k* of the issue time after step *i* is the step labelled ``times[i] + k × step``. With an
    ``issued`` column each issue time takes the latest forecast issued at or before it (none: an error
    naming the issue time); without, the file is one forecast issued before the first step it covers.
    Steps the forecast does not cover are dry (the label says up to which lead it reaches)."""
    times = pd.DatetimeIndex(times)
    last = np.asarray(last_known, int)
    step = pd.Timedelta(hours=step_hours)
    members = sorted(table["member"].unique())
    col = {m: j for j, m in enumerate(members)}
    out = np.zeros((len(last), len(members), horizon))
    issued = table["issued"]
    with_issue = issued.notna().all()
    groups = dict(tuple(table.groupby("issued"))) if with_issue else {None: table}
    issue_keys = np.array(sorted(groups), dtype="datetime64[ns]") if with_issue else None
    reach = 0
    for k, i in enumerate(last):
        t_issue = times[i] + step
        if with_issue:
            j = int(np.searchsorted(issue_keys, np.datetime64(t_issue), side="right")) - 1
            if j < 0:
                raise HydroDataError(f"{source}: no forecast issued at or before {t_issue} (the first is "
                                     f"{pd.Timestamp(issue_keys[0])})")
            rows = groups[pd.Timestamp(issue_keys[j])]
        else:
            rows = table
            if (rows["time"] < t_issue).any():
                raise HydroDataError(f"{source}: the forecast has rain before the issue time {t_issue}; give an "
                                     "issued column to replay several issue times")
        lead = ((rows["time"] - times[i]) / step).to_numpy()
        off_step = np.abs(lead - np.round(lead)) > 1e-9
        if off_step.any():
            line = int(rows["line"].to_numpy()[np.flatnonzero(off_step)[0]])
            raise HydroDataError(f"{source}: line {line}: time {rows['time'].iloc[np.flatnonzero(off_step)[0]]} is not "
                                 f"on the data's steps (every {step_hours:g} h): its rain cannot be placed")
        inside = (lead >= 1) & (lead <= horizon)
        m = rows["member"].map(col).to_numpy()[inside]
        out[k, m, lead[inside].astype(int) - 1] = rows["mm"].to_numpy()[inside]
        if inside.any():
            reach = max(reach, int(lead[inside].max()))
    what = "deterministic" if len(members) == 1 else f"{len(members)} members"
    dry = f"; dry after lead {reach}" if reach < horizon else ""
    return RainOverHorizon(out, f"rain forecast file ({what}{dry})", FORECAST, "file")


def pet_over_horizon(E, last_known, horizon: int, *, step_hours: float, source: str = "data") -> np.ndarray:
    """Potential evapotranspiration over each horizon, known at the issue time: the last day's PET repeated,
    step for step (the same hour of the day before; a daily series repeats its last day). PET is small next
    to storm rain; tomorrow's is not known. (issue, lead) in mm per step."""
    E = np.asarray(E, float)
    last = np.asarray(last_known, int)
    period = max(1, round(24.0 / step_hours))
    if len(last) and last.min() < period - 1:
        raise HydroDataError(f"{source}: a forecast needs a day of data before its issue time ({period} steps)")
    k = np.arange(horizon)
    return E[last[:, None] - period + 1 + (k[None, :] % period)]


@dataclass(frozen=True)
class RainSource:
    """A way of getting the rain over a horizon, for any issue times of a series: ``none``, ``observed``,
    ``analog`` (with ``members``, ``window_days``, ``seed``) or a rain-forecast file (``table``, from
    :func:`twin.sources.rain_forecast.read_rain_forecast`, read from ``path``)."""

    name: str
    members: int = 50
    window_days: int = 30
    seed: int = 0
    table: pd.DataFrame | None = None
    path: str = ""

    def over(self, series, last_known, horizon: int) -> RainOverHorizon:
        """The rain over ``horizon`` steps after each of ``last_known`` (indices into ``series``)."""
        if self.name == "none":
            return no_rain(len(last_known), horizon)
        if self.name == "observed":
            return observed_rain(series.P, last_known, horizon, source=series.source)
        if self.name == "analog":
            return analog_rain(series.P, series.time, last_known, horizon, step_hours=series.step_hours,
                               members=self.members, window_days=self.window_days, seed=self.seed,
                               source=series.source)
        return file_rain(self.table, series.time, last_known, horizon, step_hours=series.step_hours,
                         source=self.path)

    @property
    def for_fitting(self) -> "RainSource":
        """The source an output-error model is fitted with on a past period: the same, except a file (it
        holds no forecasts of the past), which is replaced by no rain."""
        return RainSource("none") if self.table is not None else self


def rain_source(text: str, *, members: int = 50, window_days: int = 30, seed: int = 0) -> RainSource:
    """``none``, ``observed``, ``analog`` or the path of a rain-forecast CSV (``member,time,mm[,issued]``)."""
    if text in SOURCES:
        return RainSource(text, members=members, window_days=window_days, seed=seed)
    from twin.sources.rain_forecast import read_rain_forecast  # noqa: PLC0415

    return RainSource("file", table=read_rain_forecast(text), path=str(text))
