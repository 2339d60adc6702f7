"""Issuing rainfall–runoff forecasts with only what is known at their time, updated on the gauge.

A forecast issued at time T knows the data of the steps labelled before T (rain, PET, discharge);
its lead *k* is the *k*-th step after the last of them. The model's state at T comes from a run on
the data before T (:func:`twin.models.hydrology.gr4_states`), the rain over the horizon from a
:mod:`twin.forecast.rain` source, PET from the last day (:func:`twin.forecast.rain.pet_over_horizon`),
and the update on the discharge observed at the last known step from
:mod:`twin.models.hydro_update`. Many issue times (a replay) are one compiled pass and one parallel
batch of runs.

The parameters (and the output-error model's memory φ) must come from data before the first issue
time: :func:`prepare` refuses a calibration period that reaches it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from twin.calibration.hydrology import MODELS, CalibrationReport, calibrate
from twin.forecast.rain import RainOverHorizon, RainSource, pet_over_horizon
from twin.models.hydro_update import UPDATES, OutputErrorModel, fit_output_error, update_routing_store
from twin.models.hydrology import GR4Params, GR4States, gr4_from_states, gr4_states
from twin.sources.hydro_csv import HydroDataError, HydroSeries

MIN_HISTORY_DAYS = 30  # data before the first issue time to fit the output-error memory on, with --params
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
    _error_models: dict = field(default_factory=dict, repr=False)

    @property
    def timestep(self) -> str:
        return MODELS[self.model]["timestep"]

    def output_error(self, rain: RainSource, horizon: int) -> OutputErrorModel:
        """The output-error model of forecasts with ``rain`` (:attr:`RainSource.for_fitting`) over
        ``horizon`` steps, fitted on forecasts issued over :attr:`error_period` (cached): at every step, or
        every few steps when members × horizon × issue times would exceed :data:`MAX_FIT_VALUES`."""
        rain = rain.for_fitting
        key = (rain.name, rain.members, rain.window_days, rain.seed, horizon)
        if key not in self._error_models:
            s = self.series
            start, end = (np.searchsorted(s.time.values, np.datetime64(t)) for t in self.error_period)
            period = max(1, round(24.0 / s.step_hours))
            last = np.arange(max(start, period), min(end, len(s.time) - 1) - horizon + 1)
            members = rain.members if rain.name == "analog" else 1
            last = last[::max(1, int(np.ceil(len(last) * members * horizon / MAX_FIT_VALUES)))]
            if len(last) < 100:
                raise HydroDataError(f"{s.source}: the period {self.error_period[0]} … {self.error_period[1]} is too "
                                     f"short to fit the output-error model over {horizon} steps")
            simulated, states = gr4_states(s.P, s.E, self.params, last, timestep=self.timestep)
            fc = gr4_from_states(rain.over(s, last, horizon).mm, pet_over_horizon(s.E, last, horizon,
                                                                                   step_hours=s.step_hours),
                                 self.params, states, timestep=self.timestep)
            ahead = s.Q[last[:, None] + np.arange(1, horizon + 1)[None, :]] - np.median(fc, axis=1)
            try:
                self._error_models[key] = fit_output_error(ahead, s.Q[last] - simulated[last],
                                                           s.Q[last] - s.Q[last - 1])
            except ValueError as exc:
                raise HydroDataError(f"{s.source}: {exc} in {self.error_period[0]} … {self.error_period[1]}") from None
        return self._error_models[key]

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


def last_known_steps(series: HydroSeries, issue_times) -> np.ndarray:
    """For each issue time, the index of the last step labelled before it (what it knows)."""
    t = pd.DatetimeIndex(pd.to_datetime(issue_times))
    idx = np.searchsorted(series.time.values, t.values, side="left") - 1
    step = pd.Timedelta(hours=series.step_hours)
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

    @property
    def horizon(self) -> int:
        return self.updated.shape[2]


def issue_forecasts(setup: ForecastSetup, issue_times, horizon: int, rain: RainSource,
                    update: str = "output") -> Forecasts:
    """Forecasts issued at ``issue_times`` over ``horizon`` steps, with ``rain`` over each horizon, updated
    on the discharge observed at each issue time's last known step (``update``: none, output, state)."""
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
    over = rain.over(s, last, horizon)
    pet = pet_over_horizon(s.E, last, horizon, step_hours=s.step_hours)
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
    return Forecasts(pd.DatetimeIndex(pd.to_datetime(issue_times)), last, updated, no_update, q_now, observed, over,
                     update, s.step_hours)
