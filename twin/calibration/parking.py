"""Car-park occupancy: profiles by day type and half hour, arrivals and stays fitted to them, and an
occupancy forecast for the next days scored against persistence and the same-weekday mean.

Readings (:mod:`twin.sources.parking_occupancy`) are put on a half-hour grid (each reading on the
nearest half hour, the readings of one slot averaged) as occupancy rates (cars / spaces, 0–1).

**Forecast** (:func:`forecast`), for each car park, day and half hour of the days ahead, from the
days before only:

* ``model`` — the *median* rate of the same weekday and half hour over the past weeks: a weekly
  profile robust to the odd day (an event, a counter fault) that drags a mean. It was chosen over
  the mean, recent-weighted means, weekday-pooled profiles and trends by forecasting the last two
  weeks of the calibration period from the weeks before it (never the held-out days);
* ``same_weekday`` — the mean of the same weekday and half hour (the usual seasonal benchmark);
* ``persistence`` — each car park's last reading before the forecast, held.

**Arrivals and stays** (:func:`fit_arrivals`): the mean occupancy of a car park whose cars arrive at
rate λ(t) and stay an exponential time of mean τ follows dO/dt = λ(t) − O/τ (the M_t/M/∞ queue:
Eick, Massey & Whitt 1993, *The physics of the M_t/G/∞ queue*, Operations Research 41(4)); with λ
constant within each hour the occupancy is linear in the λs for a given τ, which are fitted by
non-negative least squares, τ by a scan. The equation is for the *mean* occupancy; it is fitted to the
day type's *median* profile, which an odd day does not drag (an approximation, exact when the days'
spread is symmetric). The fitted arrivals and stays are reported (``twin parking fit``); they are not
yet fed to the agent model (:mod:`twin.models.parking`), whose demand on a territory stays a prior.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import nnls

SLOT_MIN = 30
"""[min] the grid readings are put on (Birmingham counts about every 30 min)."""
DAY_TYPES = ("weekday", "saturday", "sunday")
STAY_GRID_H = np.round(np.arange(0.5, 12.01, 0.25), 2)
"""[h] the mean stays scanned by :func:`fit_arrivals`."""


def readings_from_store(store, tz: str, capacities: dict | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The readings of every ``parking_occupancy`` sensor of a sensor store (good values only) as the frame
    :func:`half_hour_table` reads (``car_park`` = the sensor id, local times in ``tz``, ``rate`` 0–1), and
    notes. ``capacities``: {sensor id: spaces} (e.g. the car park the sensor is linked to); a sensor without
    one gets 100 spaces, so that its fitted arrivals are per 100 spaces — said in the notes."""
    sensors = store.sensors
    mine = sensors[sensors["quantity"] == "parking_occupancy"]
    if mine.empty:
        raise ValueError(f"{store.path}: no sensor of quantity 'parking_occupancy' (register the car parks' or "
                         "kerbs' occupancy sensors first: twin sensors register)")
    capacities = capacities or {}
    frames, notes = [], []
    for sid in mine["sensor_id"]:
        obs = store.query(sid)
        if obs.empty:
            notes.append(f"{sid}: no good observation, left out")
            continue
        cap = capacities.get(sid)
        if cap is None or not cap > 0:
            notes.append(f"{sid}: capacity unknown, arrivals per 100 spaces")
            cap = 100
        frames.append(pd.DataFrame({"car_park": sid, "capacity": int(cap),
                                    "time": pd.DatetimeIndex(obs["time"]).tz_convert(tz).tz_localize(None),
                                    "rate": obs["value"].to_numpy(float) / 100}))
    if not frames:
        raise ValueError(f"{store.path}: the parking_occupancy sensors have no good observation")
    return pd.concat(frames, ignore_index=True), notes


def day_type(dates: pd.Series) -> pd.Series:
    """``weekday``, ``saturday`` or ``sunday`` of each date."""
    dow = dates.dt.day_of_week
    return pd.Series(np.where(dow < 5, "weekday", np.where(dow == 5, "saturday", "sunday")), index=dates.index)


def half_hour_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Readings (``car_park, capacity, time, rate``) on the half-hour grid: one row per car park, date and
    slot (``slot``: half hours since midnight) with the mean ``rate``, ``capacity``, ``dow`` and ``day_type``."""
    t = frame["time"].dt.round(f"{SLOT_MIN}min")
    grid = pd.DataFrame({"car_park": frame["car_park"].to_numpy(), "date": t.dt.normalize().to_numpy(),
                         "slot": (t.dt.hour * 60 + t.dt.minute).to_numpy() // SLOT_MIN,
                         "rate": frame["rate"].to_numpy(), "capacity": frame["capacity"].to_numpy()})
    out = grid.groupby(["car_park", "date", "slot"], as_index=False).agg(rate=("rate", "mean"),
                                                                          capacity=("capacity", "last"))
    out["dow"] = out["date"].dt.day_of_week
    out["day_type"] = day_type(out["date"])
    return out


def forecast(past: pd.DataFrame, ahead: pd.DataFrame, method: str) -> pd.Series:
    """Rates forecast for the rows of ``ahead`` (``car_park, dow, slot``) from the ``past`` table alone
    (:func:`half_hour_table`); NaN where the past has no such car park, weekday and slot."""
    key = ["car_park", "dow", "slot"]
    if method == "persistence":
        last = past.sort_values(["date", "slot"]).groupby("car_park")["rate"].last()
        return ahead["car_park"].map(last)
    if method not in ("model", "same_weekday"):
        raise ValueError(f"unknown forecast method {method!r} (model, same_weekday or persistence)")
    grouped = past.groupby(key)["rate"]
    profile = (grouped.median() if method == "model" else grouped.mean()).rename("forecast")
    return ahead.join(profile, on=key)["forecast"]


def holdout_forecasts(table: pd.DataFrame, start) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the rows from ``start``, each method's forecast of them made from the rows before ``start`` alone)."""
    start = pd.Timestamp(start)
    past, ahead = table[table["date"] < start], table[table["date"] >= start]
    if past.empty or ahead.empty:
        first, last = table["date"].min(), table["date"].max()
        raise ValueError(f"--holdout-from {start.date()}: the readings run from {first.date()} to {last.date()}; "
                         "expected a date with readings before and from it")
    return ahead, pd.DataFrame({m: forecast(past, ahead, m) for m in ("model", "same_weekday", "persistence")})


def holdout_scores(table: pd.DataFrame, start) -> dict:
    """The days from ``start`` forecast from the days before it by each method: mean absolute error of the
    occupancy rate in points (0–100) on the slots every method forecasts, per method and per car park."""
    start = pd.Timestamp(start)
    ahead, f = holdout_forecasts(table, start)
    past = table[table["date"] < start]
    ok = f.notna().all(axis=1)
    if not ok.any():  # every score NaN over « 0 half hours », nothing said why
        first = table["date"].min()
        raise ValueError(f"holdout from {start.date()}: no half hour of the {int(ahead['date'].nunique())} day(s) "
                         "from it is forecast by every method (the median and the mean of the same weekday need "
                         f"that weekday in the weeks before; the readings start {first.date()}): start the holdout "
                         "at least a week after the first reading")
    err = (f[ok].sub(ahead.loc[ok, "rate"], axis=0)).abs() * 100
    out = {m: {"mae": round(float(err[m].mean()), 3), "n": int(ok.sum())} for m in f.columns}
    out["model"]["method"] = "median of the same weekday and half hour over the past weeks"
    out["same_weekday"]["method"] = "mean of the same weekday and half hour over the past weeks"
    out["persistence"]["method"] = "each car park's last reading before the forecast, held"
    per_park = err.groupby(ahead.loc[ok, "car_park"]).mean().round(3)
    return {"from": str(start.date()), "days": int(ahead["date"].nunique()), "train_days": int(past["date"].nunique()),
            "not_forecast": int((~ok).sum()), **out, "by_car_park": per_park.to_dict(orient="index")}


def fluid_basis(t_h: np.ndarray, hours: np.ndarray, stay_h: float) -> np.ndarray:
    """[h] A[k, j] = ∫ from t_h[0] to t_h[k] of 1[s in hour hours[j]] · exp(−(t_h[k] − s)/τ) ds: the
    occupancy at t_k that one car per hour arriving during hour j leaves (M_t/M/∞ mean, τ = ``stay_h``)."""
    t0 = t_h[0]
    a = np.maximum(hours[None, :], t0)
    b = np.minimum(hours[None, :] + 1.0, t_h[:, None])
    inside = b > a
    return np.where(inside, stay_h * (np.exp(-(t_h[:, None] - b) / stay_h) - np.exp(-(t_h[:, None] - a) / stay_h)),
                     0.0)


def fit_arrivals(slots: np.ndarray, occupied: np.ndarray, stays_h: np.ndarray = STAY_GRID_H) -> dict:
    """Hourly arrivals [veh/h] and mean stay τ [h] whose M_t/M/∞ mean occupancy best matches ``occupied``
    [veh] at half-hour ``slots`` (sorted; the first reading is the starting occupancy). Returns
    ``arrivals_veh_h`` (one per clock hour from the first slot's), ``hours``, ``mean_stay_h``, ``fitted``
    [veh] and ``rmse_veh``."""
    t_h = np.asarray(slots, float) * SLOT_MIN / 60
    occupied = np.asarray(occupied, float)
    if len(t_h) < 3:
        raise ValueError("fit_arrivals needs at least three half-hour readings")
    hours = np.arange(np.floor(t_h[0]), np.ceil(t_h[-1]))
    best = None
    for tau in stays_h:
        carried = occupied[0] * np.exp(-(t_h - t_h[0]) / tau)
        basis = fluid_basis(t_h, hours, tau)
        lam, _ = nnls(basis[1:], occupied[1:] - carried[1:])
        fitted = carried + basis @ lam
        sse = float(((fitted - occupied) ** 2).sum())
        if best is None or sse < best[0] - 1e-9:
            best = (sse, tau, lam, fitted)
    sse, tau, lam, fitted = best
    return {"hours": hours.astype(int).tolist(), "arrivals_veh_h": lam.tolist(), "mean_stay_h": float(tau),
            "fitted": fitted, "rmse_veh": float(np.sqrt(sse / len(t_h)))}


def fit_car_parks(table: pd.DataFrame, simulate: bool = False) -> dict:
    """Per car park and day type: the median profile's arrivals and stay (:func:`fit_arrivals`), with the
    fit's error in rate points against that profile (``mae_profile``) and against every day's readings
    of the day type (``mae_days``); with ``simulate``, the agent model's own occupancy under those
    arrivals and stays (:func:`simulate_car_park`) against the profile (``agent_mae_profile``)."""
    out: dict = {}
    for (park, dtype), rows in table.groupby(["car_park", "day_type"]):
        profile = rows.groupby("slot")["rate"].median()
        capacity = float(rows["capacity"].iloc[-1])
        if len(profile) < 3:
            continue
        fit = fit_arrivals(profile.index.to_numpy(), profile.to_numpy() * capacity)
        fitted = pd.Series(fit["fitted"] / capacity, index=profile.index)
        days_err = (rows["rate"] - rows["slot"].map(fitted)).abs().mean() * 100
        out.setdefault(park, {})[dtype] = {
            "capacity": int(capacity), "days": int(rows["date"].nunique()), "hours": fit["hours"],
            "arrivals_veh_h": [round(v, 2) for v in fit["arrivals_veh_h"]], "mean_stay_h": fit["mean_stay_h"],
            "mae_profile": round(float((fitted - profile).abs().mean() * 100), 3),
            "mae_days": round(float(days_err), 3)}
        if simulate:
            sim = simulate_car_park(fit, int(capacity), profile.index.to_numpy(), float(profile.iloc[0] * capacity))
            out[park][dtype]["agent_mae_profile"] = round(float(np.abs(sim / capacity - profile.to_numpy()).mean()
                                                               * 100), 3)
    return out


def simulate_car_park(fit: dict, capacity: int, slots: np.ndarray, occupied_start: float,
                      seeds=(0, 1, 2)) -> np.ndarray:
    """[veh] The agent model's occupancy (:class:`twin.models.parking.ParkingModel`, the members' mean) of
    one car park at its ``slots`` (half hours), its drivers arriving at the fitted hourly rates with stays
    of the fitted mean, the car park holding ``occupied_start`` cars at the first slot. The check that the fitted arrivals and stays, run by the
    agents themselves (capacity, drivers who find it full), give back the profile they were fitted on."""
    from dataclasses import replace  # noqa: PLC0415

    from twin.models.parking import Demand, ParkingModel, SearchRules, Supply  # noqa: PLC0415

    rate = np.zeros(24)
    rate[np.asarray(fit["hours"], int) % 24] = fit["arrivals_veh_h"]
    supply = Supply(n_nodes=2, tail=np.array([0, 1]), head=np.array([1, 0]), length_m=np.array([50.0, 50.0]),
                    spaces=np.zeros(2, np.int64), price_eur_h=np.zeros(2), sensed=np.zeros(2, bool), street=["", ""],
                    park_node=np.array([1]), park_capacity=np.array([int(capacity)]), park_price_eur_h=np.zeros(1),
                    park_name=["car park"])
    demand = Demand(arrivals_per_hour=rate, dest_nodes=np.array([1]), dest_weights=np.ones((24, 1)),
                    stay_mean_h=np.full(24, float(fit["mean_stay_h"])), stay_cv=1.0, pay_sigma=0.0)
    # stays: lognormal of coefficient of variation 1 (the model's law) where the fit assumed exponential ones
    t_h = np.asarray(slots, float) * SLOT_MIN / 60
    out = np.zeros((len(seeds), len(t_h)))
    for i, seed in enumerate(seeds):
        m = ParkingModel(supply, demand, rules=replace(SearchRules(), step_s=30.0), seed=seed, start_h=t_h[0],
                         end_h=t_h[0], occupancy_start=occupied_start / max(capacity, 1), start_leaving="exponential")
        for k, t in enumerate(t_h):
            m.end_s = t * 3600
            m.run()
            out[i, k] = m.park_occupied[0]
    return out.mean(axis=0)
