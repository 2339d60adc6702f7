"""Issuing rainfall–runoff forecasts with only what is known at their time, updated on the gauge.

A forecast issued at time T knows the data of the steps labelled before T (rain, PET, discharge);
its lead *k* is the *k*-th step after the last of them. The model's state at T comes from a run on
the data before T (:func:`twin.models.hydrology.gr4_states`), the rain over the horizon from a
:mod:`twin.forecast.rain` source, PET from the last day (:func:`twin.forecast.rain.pet_over_horizon`),
and the update on the discharge observed at the last known step from
:mod:`twin.models.hydro_update`. Many issue times (a replay) are one compiled pass and one parallel
batch of runs.

The parameters (and the corrections fitted on past forecasts: the output-error model, the error
dressing) must come from data before the first issue time: :func:`prepare` refuses a calibration period that reaches it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from twin.calibration.hydrology import MODELS, CalibrationReport, calibrate
from twin.forecast.rain import RainOverHorizon, RainSource, pet_over_horizon
from twin.models.hydro_update import (UPDATES, ErrorDressing, OutputErrorModel, fit_error_dressing, fit_output_error,
                                      update_routing_store)
from twin.models.hydrology import GR4Params, GR4States, gr4_from_states, gr4_states
from twin.sources.hydro_csv import HydroDataError, HydroSeries
from twin.timeutil import is_iso_date_text

MIN_HISTORY_DAYS = 30  # warm-up before the corrections' fitting period, with given parameters
MAX_FIT_VALUES = 20_000_000
"""Most discharges (issue times × members × lead) simulated to fit an output-error model: 160 MB of float64."""


@dataclass
class ForecastSetup:
    """A model ready to forecast: its parameters, where they come from, and the period its output-error
    model is fitted on (``error_period``, before the first issue time)."""

    series: HydroSeries
    model: str
    params: GR4Params
    error_period: tuple  # (start, end)
    calibration: CalibrationReport | None = None
    _fitted: dict = field(default_factory=dict, repr=False)  # corrections fitted, by what they were fitted for

    @property
    def timestep(self) -> str:
        return MODELS[self.model]["timestep"]

    def _fit_steps(self, horizon: int, members: int) -> np.ndarray:
        """The last known steps of the forecasts a correction is fitted on: every step of :attr:`error_period`
        whose horizon ends inside it, or every few steps when members × horizon × issue times would exceed
        :data:`MAX_FIT_VALUES`."""
        s = self.series
        start = np.searchsorted(s.time.values, np.datetime64(self.error_period[0]), side="left")
        end = np.searchsorted(s.time.values, np.datetime64(self.error_period[1]), side="right") - 1  # last step ≤ it
        period = max(1, round(24.0 / s.step_hours))
        last = np.arange(max(start, period), min(end, len(s.time) - 1) - horizon + 1)
        last = last[::max(1, int(np.ceil(len(last) * members * horizon / MAX_FIT_VALUES)))]
        if len(last) < 100:
            raise HydroDataError(f"{s.source}: the period {self.error_period[0]} … {self.error_period[1]} is too "
                                 f"short to fit a forecast correction over {horizon} steps")
        return last

    def output_error(self, rain: RainSource, horizon: int) -> OutputErrorModel:
        """The output-error model of forecasts with ``rain`` (:attr:`RainSource.for_fitting`) over
        ``horizon`` steps, fitted on forecasts issued over :attr:`error_period` (cached)."""
        rain = rain.for_fitting
        key = ("output", rain.name, rain.members, rain.window_days, rain.seed, horizon)
        if key not in self._fitted:
            s = self.series
            last = self._fit_steps(horizon, rain.members if rain.name == "analog" else 1)
            simulated, states = gr4_states(s.P, s.E, self.params, last, timestep=self.timestep)
            fc = gr4_from_states(self.rain_over(rain, last, horizon).mm,
                                 pet_over_horizon(s.E, last, horizon, step_hours=s.step_hours, source=s.source),
                                 self.params, states, timestep=self.timestep)
            ahead = s.Q[last[:, None] + np.arange(1, horizon + 1)[None, :]] - np.median(fc, axis=1)
            try:
                self._fitted[key] = fit_output_error(ahead, s.Q[last] - simulated[last], s.Q[last] - s.Q[last - 1])
            except ValueError as exc:
                raise HydroDataError(f"{s.source}: {exc} in {self.error_period[0]} … {self.error_period[1]}") from None
        return self._fitted[key]

    def dressing(self, rain: RainSource, horizon: int, update: str) -> ErrorDressing:
        """The error dressing of forecasts with ``rain`` and ``update`` over ``horizon`` steps, fitted on the
        point forecasts (member median) issued over :attr:`error_period` (cached)."""
        rain = rain.for_fitting
        key = ("dressing", rain.name, rain.members, rain.window_days, rain.seed, horizon, update)
        if key not in self._fitted:
            s = self.series
            last = self._fit_steps(horizon, rain.members if rain.name == "analog" else 1)
            fc = issue_forecasts(self, s.time[last] + pd.Timedelta(hours=s.step_hours), horizon, rain, update,
                                 dress=False)
            try:
                self._fitted[key] = fit_error_dressing(np.median(fc.updated, axis=1), fc.observed)
            except ValueError as exc:
                raise HydroDataError(f"{s.source}: {exc} in {self.error_period[0]} … {self.error_period[1]}") from None
        return self._fitted[key]

    def rain_over(self, rain: RainSource, last: np.ndarray, horizon: int) -> RainOverHorizon:
        """``rain`` over the horizon of the issue times after steps ``last``; the fitting period's is kept, as both
        corrections (output error, dressing) are fitted on the same issue times."""
        key = ("rain", rain.name, rain.path, rain.members, rain.window_days, rain.seed, horizon,
               hash(np.asarray(last).tobytes()))
        if key in self._fitted:
            return self._fitted[key]
        over = rain.over(self.series, last, horizon)
        if rain.name in ("analog", "observed") and len(last) > 1000:  # a fitting period (or a long replay)
            self._fitted = {k: v for k, v in self._fitted.items() if k[0] != "rain"} | {key: over}
        return over

    def describe(self) -> dict:
        out = {"model": self.model, "params": asdict(self.params),
               "params_from": "given" if self.calibration is None else "calibrated",
               "error_model_fitted_on": [str(t) for t in self.error_period]}
        if self.calibration is not None:
            c = self.calibration
            out["calibration"] = {"warmup_start": c.warmup[0], "period": c.period, "criterion": c.criterion,
                                  "nse": c.calibration["nse"], "kge": c.calibration["kge"], "seconds": c.seconds}
        return out


def parse_period(text: str) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """``WARMUP:START:END`` (dates or date-times; ``T`` between date and time when it has one) → three times."""
    # a date-time holds ':' itself: split on the separators that are followed by a date
    parts = re.split(r":(?=\d{4}-\d{2}-\d{2})", str(text))
    if len(parts) != 3:
        raise HydroDataError(f"--calibrate {text!r}: expected WARMUP:START:END, e.g. 2004-01-01:2004-07-01:2006-06-30")
    try:
        out = tuple(pd.Timestamp(p.strip()) for p in parts)
    except ValueError:
        raise HydroDataError(f"--calibrate {text!r}: WARMUP, START and END must be dates") from None
    if not out[0] <= out[1] < out[2]:
        raise HydroDataError(f"--calibrate {text!r}: expected WARMUP ≤ START < END")
    return out


def prepare(series: HydroSeries, model: str, *, first_issue, params: GR4Params | None = None,
            calibration: tuple | None = None, seed: int = 0, maxiter: int = 80) -> ForecastSetup:
    """Parameters (given, or calibrated on ``calibration = (warmup, start, end)``) and the period of the
    output-error model (the calibration period, or with given parameters the data before ``first_issue``
    after a warm-up of :data:`MIN_HISTORY_DAYS`), all before ``first_issue``."""
    if model not in MODELS:
        raise HydroDataError(f"unknown model {model!r} (known: {', '.join(sorted(MODELS))})")
    first_issue = pd.Timestamp(first_issue)
    if (params is None) == (calibration is None):
        raise HydroDataError("give the parameters (--params X1,X2,X3,X4) or a calibration period "
                             "(--calibrate WARMUP:START:END), one of the two")
    report = None
    if calibration is not None:
        warmup, start, end = calibration
        if end >= first_issue:
            raise HydroDataError(f"the calibration period ends at {end}, not before the first issue time "
                                 f"{first_issue}: the forecasts would use data they could not know")
        report = calibrate(series, model, warmup, start, end, seed=seed, maxiter=maxiter)
        params = GR4Params(**report.params)
        fit_from, fit_to = start, end
    else:
        before = series.time[series.time < first_issue]
        if len(before) == 0 or before[-1] - before[0] < pd.Timedelta(days=2 * MIN_HISTORY_DAYS):
            raise HydroDataError(f"{series.source}: at least {2 * MIN_HISTORY_DAYS} days of data are needed before "
                                 f"the first issue time {first_issue} (a warm-up, then the output-error fit)")
        fit_from, fit_to = before[0] + pd.Timedelta(days=MIN_HISTORY_DAYS), before[-1]
    if fit_to - fit_from < pd.Timedelta(days=MIN_HISTORY_DAYS):
        raise HydroDataError(f"{series.source}: the output-error model needs {MIN_HISTORY_DAYS} days to be fitted on "
                             f"({fit_from} … {fit_to} is shorter)")
    return ForecastSetup(series, model, params, (pd.Timestamp(fit_from), pd.Timestamp(fit_to)), report)


def issue_time(value, option: str = "--at") -> pd.Timestamp:
    """A time given by a user, as naive UTC (an offset is converted); a clear error when it is not a time."""
    try:
        if not is_iso_date_text(value):
            raise ValueError  # 03/11/2007 is refused, not read as 11 March
        t = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise HydroDataError(f"{option} {str(value)[:40]!r}: not a date and time written year first "
                             "(e.g. 2007-11-03 06:00, UTC)") from None
    if t is pd.NaT:
        raise HydroDataError(f"{option}: a date and time is needed")
    return t.tz_convert("UTC").tz_localize(None) if t.tzinfo is not None else t


def last_known_steps(series: HydroSeries, issue_times) -> np.ndarray:
    """For each issue time, the index of the last step labelled before it (what it knows). An issue time must
    fall on a step boundary: between two, the step labelled before it is still running (its rain and its
    mean discharge include minutes after the issue time)."""
    t = pd.DatetimeIndex(pd.to_datetime(issue_times))
    step = pd.Timedelta(hours=series.step_hours)
    offset = (t - series.time[0]) / step
    off_grid = np.abs(offset - np.round(offset)) > 1e-9
    if off_grid.any():
        first = t[np.flatnonzero(off_grid)[0]]
        raise HydroDataError(f"{series.source}: issue time {first} is not on the data's steps (every "
                             f"{series.step_hours:g} h from {series.time[0]}): a step would be half known")
    idx = np.searchsorted(series.time.values, t.values, side="left") - 1
    bad = (idx < 0) | (t > series.time[-1] + step)
    if bad.any():
        first = t[np.flatnonzero(bad)[0]]
        raise HydroDataError(f"{series.source}: issue time {first} is outside the data "
                             f"({series.time[0] + step} … {series.time[-1] + step})")
    return idx


@dataclass
class Forecasts:
    """Forecasts issued at many times: (issue, member, lead) discharge in mm per step."""

    issue_times: pd.DatetimeIndex
    last_known: np.ndarray
    updated: np.ndarray
    no_update: np.ndarray
    persistence: np.ndarray  # (issue,): the last observed discharge
    observed: np.ndarray  # (issue, lead): NaN where not observed or beyond the data
    rain: RainOverHorizon
    update: str
    step_hours: float = 1.0
    dressed: np.ndarray | None = None  # (issue, member, lead): the updated members dressed with their errors
    no_update_dressed: np.ndarray | None = None  # the forecasts without update, dressed with theirs

    @property
    def horizon(self) -> int:
        return self.updated.shape[2]


DRESSED_LEVELS = 20  # members of a dressed deterministic forecast


def issue_forecasts(setup: ForecastSetup, issue_times, horizon: int, rain: RainSource,
                    update: str = "output", *, dress: bool = True) -> Forecasts:
    """Forecasts issued at ``issue_times`` over ``horizon`` steps, with ``rain`` over each horizon, updated
    on the discharge observed at each issue time's last known step (``update``: none, output, state).

    ``dress``: also the members dressed with the errors such forecasts made over the calibration period (and
    the forecasts without update with theirs, so that the two are compared like with like)
    (:class:`twin.models.hydro_update.ErrorDressing`): a deterministic forecast becomes
    :data:`DRESSED_LEVELS` members at evenly spaced quantiles, each member of an ensemble takes one
    quantile level of a seeded shuffle (seeded by the rain's seed and the issue time)."""
    if update not in UPDATES:
        raise HydroDataError(f"update {update!r}: expected one of {', '.join(UPDATES)}")
    s = setup.series
    last = last_known_steps(s, issue_times)
    if (last < 1).any():
        raise HydroDataError(f"{s.source}: a forecast needs two known steps before its issue time")
    order = np.argsort(last, kind="stable")
    simulated, states = gr4_states(s.P, s.E, setup.params, last[order], timestep=setup.timestep)
    undo = np.empty_like(order)
    undo[order] = np.arange(len(order))
    states = GR4States(*(a[undo] for a in (states.production_mm, states.routing_mm, states.uh1, states.uh2,
                                            states.direct_mm)))
    over = setup.rain_over(rain, last, horizon)
    pet = pet_over_horizon(s.E, last, horizon, step_hours=s.step_hours, source=s.source)
    q_now = s.Q[last]
    no_update = gr4_from_states(over.mm, pet, setup.params, states, timestep=setup.timestep)
    if update == "state":
        updated = gr4_from_states(over.mm, pet, setup.params, update_routing_store(states, q_now, setup.params),
                                  timestep=setup.timestep)
    elif update == "output":
        updated = setup.output_error(rain, horizon).correct(no_update, q_now - simulated[last], q_now - s.Q[last - 1])
    else:
        updated = no_update
    valid = last[:, None] + np.arange(1, horizon + 1)[None, :]
    observed = np.where(valid < len(s.Q), s.Q[np.minimum(valid, len(s.Q) - 1)], np.nan)
    out = Forecasts(pd.DatetimeIndex(pd.to_datetime(issue_times)), last, updated, no_update, q_now, observed, over,
                    update, s.step_hours)
    if dress:
        levels = _levels(s, last, updated.shape[1], rain.seed)
        out.dressed = setup.dressing(rain, horizon, update).dress(updated, levels)
        out.no_update_dressed = out.dressed if update == "none" else \
            setup.dressing(rain, horizon, "none").dress(no_update, levels)
    return out


def _levels(series: HydroSeries, last: np.ndarray, members: int, seed: int) -> np.ndarray:
    """Quantile levels of the dressing, per issue time: evenly spaced for one member, a seeded shuffle of them
    (one per member, so that each member's level does not depend on its rank) for an ensemble."""
    n = DRESSED_LEVELS if members == 1 else members
    grid = (np.arange(n) + 0.5) / n
    if members == 1:
        return np.tile(grid, (len(last), 1))
    minutes = np.asarray((series.time[last] - pd.Timestamp("1970-01-01")) // pd.Timedelta(minutes=1), dtype=np.int64)
    return np.stack([np.random.default_rng([seed, 0xD7E5, int(t)]).permutation(grid) for t in minutes])
