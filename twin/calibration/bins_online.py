"""Litter-bin fill rates that follow the collections as they arrive (issue 20): a Kalman filter on
each bin's log fill rate, so a summer or a festival is caught within days, not at the next refit.

State and observation (per bin *s*; the hour-of-week profile ``w`` and the noise σ come from the batch
fit of :mod:`twin.calibration.bins` on the training period and are held fixed)::

    x_s(t)  = ln r_s(t),          x_s(t + Δ) = x_s(t) + η,   η ~ N(0, q·Δ)     (a random walk)
    z_k     = ln(net fill_k) − ln E_k = x_s + ε_k,            ε ~ N(0, σ²)

``q`` [(ln %/h)² per hour] is the forgetting: old collections count less as the rate may have moved
since. It is chosen on the training period alone, as the value of a grid that maximises the
one-step-ahead predictive likelihood of the training collections (each predicted from the ones
before it) — the filter's own "how fast do bins change here".

A reading of 100 % only says the net fill was at least the room left (Tobit, as the batch model):
its update is the moment-matched truncated normal (assumed-density filtering; Maybeck 1979 for the
filter, Minka 2001 for the moment matching)::

    s² = v + σ²,  α = (c − m)/s,  λ = φ(α)/(1 − Φ(α)),
    m' = m + v λ / s,   v' = v (1 − v λ (λ − α) / s²)

A random walk slow enough for a steady training period would take weeks to follow a sudden
change (a festival, the summer). Each bin therefore also runs a two-sided CUSUM of its standardised
innovations (Page 1954; reference ``k`` = 0.5, decision ``h`` = 4 in units of the predictive sd:
on steady data about one false start per 170 collections): when it crosses, the belief is widened
by the between-bin spread τ² before the update, so the collection that revealed the change counts
almost alone (detection and re-initialisation: Basseville & Nikiforov 1993, §2.2, §8.1). The shifts
are kept (``shifts``: bin, time, direction) for the alerts.

A bin starts from its group's rate of the batch fit (the street; the town's median for a group
never seen) with the between-bin spread τ² — never from its own batch rate, which would let the
whole training period into its first predictions.

The raw overflow probability ``P(z ≥ ln(room) − ln E) = 1 − Φ((c − m)/√(v + σ²))`` is far too
sure of itself at the top: a full Edinburgh bin reads anywhere from about 85 to 100 % (the sensor
settles below its 100 % on many bins), so "certainly full" means "reads 100 about a third of the
time". It is recalibrated online, in two steps, each from collections completed before the
interval it predicts:

1. an isotonic map from raw to observed overflow (Zadrozny & Elkan 2002), refitted each day on
   every interval completed before that day began (none before ``MIN_HISTORY`` of them: the raw
   probability is used);
   (a recent interval counts more: weight ½^(age / half-life));
2. a per-bin ratio of observed to expected overflows, shrunk towards 1 with a prior weight of
   ``a`` expected overflows: ``p = min(1, p_iso · (a + O_s)/(a + E_s))`` — some sensors read 100
   whenever the bin is full, others almost never (an empirical-Bayes O/E ratio, as in disease
   mapping: Clayton & Kaldor 1987). ``a`` and the map's half-life are chosen together on the training period by log loss.

Nothing here reads a collection after the interval it predicts: each interval is predicted with
the state its bin had when the interval began, i.e. with every collection of the bin recorded
before (a bin's state depends on its own collections only).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scipy.optimize import isotonic_regression

from twin.calibration.bins import FULL_PCT, MIN_NET_PCT, FillModel, _exposure, fit_fill_model, intervals_from_records

# forgetting grid, as the sd of the log-rate's wander per day (0: no forgetting, a plain Bayesian mean)
DRIFT_SD_PER_DAY_GRID = (0.0, 0.01, 0.02, 0.04, 0.07, 0.1, 0.15, 0.2, 0.3)
PRIOR_OVERFLOWS_GRID = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)  # the O/E ratio's prior weight a, chosen on training
MAP_HALF_LIFE_GRID = (None, 28.0, 14.0, 7.0)  # the isotonic map's forgetting [days], chosen on training
MIN_HISTORY = 200  # completed intervals before the isotonic map is fitted
BLOCK_PRIOR = 10.0  # intervals' worth of the overall share added to each block of the isotonic map
CUSUM_K, CUSUM_H = 0.5, 4.0  # the shift detector's reference and decision values [predictive sd]


@dataclass(slots=True)
class BinBelief:
    """A bin's normal belief on its ln fill rate at ``at`` [h since 1970], and its CUSUM sums."""

    mean: float
    var: float
    at: float
    up: float = 0.0
    down: float = 0.0
_SQRT2 = math.sqrt(2.0)
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def _sf(x: float) -> float:
    """1 − Φ(x), the standard normal survival function."""
    return 0.5 * math.erfc(x / _SQRT2)


def _log_sf(x: float) -> float:
    s = _sf(x)
    if s > 1e-300:
        return math.log(s)
    return -0.5 * x * x - math.log(x) - _LOG_SQRT_2PI  # Mills' asymptote, far in the tail


def censored_update(mean: float, var: float, bound: float, sigma: float) -> tuple[float, float]:
    """Normal belief N(mean, var) on x after observing x + ε ≥ ``bound`` (ε ~ N(0, σ²)): the moments
    of the truncated posterior (assumed-density filtering; Minka 2001, §3)."""
    s = math.sqrt(var + sigma * sigma)
    alpha = (bound - mean) / s
    tail = _sf(alpha)
    # inverse Mills ratio φ(α)/(1 − Φ(α)); its asymptote α + 1/α where the tail underflows
    lam = math.exp(-0.5 * alpha * alpha) / (math.sqrt(2 * math.pi) * tail) if tail > 1e-12 else alpha + 1 / alpha
    new_mean = mean + var * lam / s
    new_var = var * max(1.0 - var * lam * (lam - alpha) / (s * s), 1e-6)
    return new_mean, new_var


def observed_update(mean: float, var: float, z: float, sigma: float) -> tuple[float, float]:
    """Kalman update of N(mean, var) with the observation z = x + ε, ε ~ N(0, σ²)."""
    gain = var / (var + sigma * sigma)
    return mean + gain * (z - mean), (1.0 - gain) * var


@dataclass
class OnlineFillRates:
    """The per-bin beliefs ``{site: BinBelief}``, the batch ``model`` that gives the profile, σ and the bins' starting point, the
    forgetting ``q`` [(ln %/h)²/h], and the overflow recalibration: the isotonic map (``iso_x`` →
    ``iso_y``; empty: none yet), each bin's observed and expected overflows ``oe`` and their prior
    weight ``prior_overflows``."""

    model: FillModel
    q_per_h: float
    beliefs: dict[str, BinBelief] = field(default_factory=dict)
    shifts: list[tuple[str, float, str]] = field(default_factory=list)  # (bin, hours, "up" | "down")
    iso_x: np.ndarray = field(default_factory=lambda: np.empty(0))
    iso_y: np.ndarray = field(default_factory=lambda: np.empty(0))
    oe: dict[str, tuple[float, float]] = field(default_factory=dict)
    prior_overflows: float = 4.0
    map_half_life_days: float | None = None  # the isotonic map's forgetting (None: every interval alike)

    def calibrated(self, site: str, p_raw: float) -> float:
        """The overflow probability after both recalibration steps (see the module docstring)."""
        p = float(np.interp(p_raw, self.iso_x, self.iso_y)) if len(self.iso_x) else p_raw
        observed, expected = self.oe.get(site, (0.0, 0.0))
        return min(1.0, p * (self.prior_overflows + observed) / (self.prior_overflows + expected))

    def start_of(self, site: str, group: str) -> tuple[float, float]:
        """A bin's belief before any collection: its group's rate with the between-bin spread τ²."""
        rate = self.model.group_rates.get(group, self.model.global_rate)
        return math.log(rate), float(self.model.between_bin_log_sd) ** 2

    def belief_at(self, site: str, group: str, hours: float) -> tuple[float, float]:
        """(mean, variance) of the bin's ln-rate at ``hours``: the last belief widened by the wander since."""
        if site not in self.beliefs:
            return self.start_of(site, group)
        b = self.beliefs[site]
        return b.mean, b.var + self.q_per_h * max(hours - b.at, 0.0)

    def rate_pct_per_h(self, site: str, group: str = "", at: pd.Timestamp | None = None) -> float:
        """The bin's current median fill rate [%/h, mean over a week]."""
        hours = _hours(at) if at is not None else (self.beliefs[site].at if site in self.beliefs else 0.0)
        return math.exp(self.belief_at(site, group, hours)[0])

    def predict_one(self, site: str, group: str, start_h: float, exposure_h: float,
                    after_pct: float) -> tuple[float, float, float, float]:
        """(median fill [%], P(overflow), mean, variance) of an interval beginning at ``start_h`` with
        exposure ``exposure_h`` [weighted hours] after a collection that left ``after_pct``."""
        mean, var = self.belief_at(site, group, start_h)
        median_net = math.exp(mean) * exposure_h
        room = max(FULL_PCT - after_pct, MIN_NET_PCT)
        bound = math.log(room) - math.log(max(exposure_h, 1e-9))
        p_raw = _sf((bound - mean) / math.sqrt(var + self.model.sigma ** 2))
        return min(FULL_PCT, after_pct + median_net), p_raw, mean, var

    def update_one(self, site: str, group: str, start_h: float, exposure_h: float, after_pct: float,
                   observed_pct: float) -> float:
        """Take one collection in; returns its one-step-ahead predictive log-likelihood."""
        mean, var = self.belief_at(site, group, start_h)
        previous = self.beliefs.get(site)
        up, down = (previous.up, previous.down) if previous else (0.0, 0.0)
        sigma = self.model.sigma
        logE = math.log(max(exposure_h, 1e-9))
        room = max(FULL_PCT - after_pct, MIN_NET_PCT)
        s = math.sqrt(var + sigma * sigma)
        censored = observed_pct >= FULL_PCT
        bound = math.log(room) - logE
        z = bound if censored else math.log(max(observed_pct - after_pct, MIN_NET_PCT)) - logE
        if censored:  # at least the room left: its innovation is at least (bound − mean)/s
            loglik = _log_sf((bound - mean) / s)
        else:
            loglik = -0.5 * ((z - mean) / s) ** 2 - math.log(s) - _LOG_SQRT_2PI
        # the shift detector on the standardised innovation (a censored one only pushes upwards)
        e = (z - mean) / s
        up = max(0.0, up + e - CUSUM_K)
        down = 0.0 if censored else max(0.0, down - e - CUSUM_K)
        if up > CUSUM_H or down > CUSUM_H:
            self.shifts.append((site, start_h, "up" if up > CUSUM_H else "down"))
            var += float(self.model.between_bin_log_sd) ** 2
            up = down = 0.0
        if censored:
            mean, var = censored_update(mean, var, bound, sigma)
        else:
            mean, var = observed_update(mean, var, z, sigma)
        self.beliefs[site] = BinBelief(mean, var, start_h, up, down)
        return loglik

    def overflow_probability(self, site: str, group: str, last_collection: pd.Timestamp, after_pct: float,
                             at: pd.Timestamp, calibrated: bool = True) -> float:
        """P(the bin is full at ``at``), given its last collection (local time) and the fill it left:
        tomorrow's overflow probability is this with ``at`` = now + 24 h.

        ``calibrated``: through the online recalibration, which was learnt for a whole interval
        between two collections read at the second one (a full Edinburgh bin reads 100 about a third
        of the time). From a bin's current level over the next hours — another question — the
        model's own probability (``calibrated=False``) is the one to use."""
        iv = pd.DataFrame({"start": [pd.Timestamp(last_collection)], "end": [pd.Timestamp(at)], "group": [group]})
        E = float(_exposure(iv, self.model.profile, self.model.event_specs, self.model.events)[0])
        _, p_raw, _, _ = self.predict_one(site, group, _hours(last_collection), E, after_pct)
        return self.calibrated(site, p_raw) if calibrated else float(p_raw)


def _hours(t) -> float:
    return (pd.Timestamp(t) - pd.Timestamp("1970-01-01")) / pd.Timedelta(hours=1)


def run_filter(filt: OnlineFillRates, intervals: pd.DataFrame, exposure: np.ndarray) -> pd.DataFrame:
    """Predict then take in every interval, in time order (each bin's state depends on its own
    collections only, so the order within one time does not matter). Returns per interval the
    median fill, the raw overflow probability and the predictive log-likelihood."""
    order = np.argsort(intervals["start"].to_numpy(), kind="stable")
    site = intervals["site"].to_numpy()
    group = intervals["group"].to_numpy()
    start = ((pd.DatetimeIndex(intervals["start"]) - pd.Timestamp("1970-01-01")) / pd.Timedelta(hours=1)).to_numpy()
    after = intervals["fill_after_prev"].to_numpy(float)
    observed = intervals["observed"].to_numpy(float)
    pred, p_raw, loglik = (np.empty(len(intervals)) for _ in range(3))
    for k in order:
        pred[k], p_raw[k], _, _ = filt.predict_one(site[k], group[k], start[k], exposure[k], after[k])
        loglik[k] = filt.update_one(site[k], group[k], start[k], exposure[k], after[k], observed[k])
    return pd.DataFrame({"predicted_pct": pred, "p_raw": p_raw, "loglik": loglik}, index=intervals.index)


def isotonic_map(p_raw: np.ndarray, overflowed: np.ndarray,
                 weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The non-decreasing map raw → observed overflow share (pool-adjacent-violators, each interval
    counted with its weight), as knots."""
    order = np.argsort(p_raw, kind="stable")
    w = np.ones(len(order)) if weights is None else weights[order]
    y = isotonic_regression(overflowed[order].astype(float), weights=w).x
    # a block of a few intervals says little (the top one often says "always", from four cases):
    # each block is shrunk towards the overall share with the weight of BLOCK_PRIOR intervals,
    # then made non-decreasing again
    edges = np.flatnonzero(np.r_[True, np.diff(y) != 0, True])
    overall = float(np.average(overflowed, weights=weights))
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        n = w[a:b].sum()
        y[a:b] = (y[a] * n + overall * BLOCK_PRIOR) / (n + BLOCK_PRIOR)
    return p_raw[order], np.maximum.accumulate(y)


@dataclass
class RecalibrationHistory:
    """What the online recalibration has seen: each interval's raw probability, whether it
    overflowed and when it ended, and the day its current map was fitted."""

    p_raw: list[float] = field(default_factory=list)
    overflowed: list[float] = field(default_factory=list)
    end: list[np.datetime64] = field(default_factory=list)
    map_day: np.datetime64 | None = None


def recalibrate_step(filt: OnlineFillRates, hist: RecalibrationHistory, site: str, start, end, p_raw: float,
                     overflowed: float) -> float:
    """One interval (taken in order of start) through both recalibration steps: the isotonic map
    refitted when a new day begins, on the intervals completed before it; the bin's O/E; returns the
    interval's calibrated probability and records it in ``hist``."""
    day = np.datetime64(pd.Timestamp(start).floor("D"), "ns")
    if hist.map_day is None or day != hist.map_day:
        ends = np.asarray(hist.end, dtype="datetime64[ns]")
        done = ends <= day
        if done.sum() >= MIN_HISTORY:
            age_days = (day - ends[done]) / np.timedelta64(1, "D")
            weights = 0.5 ** (age_days / filt.map_half_life_days) if filt.map_half_life_days else None
            filt.iso_x, filt.iso_y = isotonic_map(np.asarray(hist.p_raw)[done], np.asarray(hist.overflowed)[done],
                                                  weights)
        hist.map_day = day
    out = filt.calibrated(site, p_raw)
    if len(filt.iso_x):  # the raw probability is not the expectation the ratio compares with
        # the bin's next interval begins when this one ends: it may count this one
        observed, expected = filt.oe.get(site, (0.0, 0.0))
        filt.oe[site] = (observed + overflowed, expected + float(np.interp(p_raw, filt.iso_x, filt.iso_y)))
    hist.p_raw.append(float(p_raw))
    hist.overflowed.append(float(overflowed))
    hist.end.append(np.datetime64(pd.Timestamp(end), "ns"))
    return out


def recalibrate_online(filt: OnlineFillRates, intervals: pd.DataFrame, p_raw: np.ndarray,
                       hist: RecalibrationHistory | None = None) -> np.ndarray:
    """Both recalibration steps over ``intervals`` in time order (:func:`recalibrate_step`), each
    interval's from the intervals completed before it began. Without ``hist`` the recalibration
    starts afresh (no map, no O/E); with it, it goes on from where ``hist`` and ``filt`` stand."""
    if hist is None:
        hist = RecalibrationHistory()
        filt.oe.clear()
        filt.iso_x, filt.iso_y = np.empty(0), np.empty(0)
    start = pd.DatetimeIndex(intervals["start"])
    end = pd.DatetimeIndex(intervals["end"])
    over = intervals["censored"].to_numpy(float)
    site = intervals["site"].to_numpy()
    out = np.empty(len(intervals))
    for k in np.lexsort((start.to_numpy(), start.floor("D").to_numpy())):
        out[k] = recalibrate_step(filt, hist, site[k], start[k], end[k], p_raw[k], over[k])
    return out


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def fit_online(train_records, drift_grid=DRIFT_SD_PER_DAY_GRID, prior_grid=PRIOR_OVERFLOWS_GRID,
               half_life_grid=MAP_HALF_LIFE_GRID) -> tuple[OnlineFillRates, dict]:
    """The batch model of the training records, the forgetting that best predicts them one step
    ahead (likelihood), and the O/E prior weight and map half-life whose online probabilities have
    the least log loss on them. Returns the filter as it stands after the training period and what
    was chosen."""
    model = fit_fill_model(train_records)
    iv = intervals_from_records(train_records)
    E = _exposure(iv, model.profile, model.event_specs, model.events)
    scores = {sd: float(run_filter(OnlineFillRates(model, sd * sd / 24.0), iv, E)["loglik"].sum())
              for sd in drift_grid}
    best = max(scores, key=scores.get)
    filt = OnlineFillRates(model, best * best / 24.0)
    p_raw = run_filter(filt, iv, E)["p_raw"].to_numpy()
    over = iv["censored"].to_numpy(float)
    losses = {}
    for a in prior_grid:
        for half_life in half_life_grid:
            filt.prior_overflows, filt.map_half_life_days = a, half_life
            losses[(a, half_life)] = _log_loss(recalibrate_online(filt, iv, p_raw), over)
    filt.prior_overflows, filt.map_half_life_days = min(losses, key=losses.get)
    recalibrate_online(filt, iv, p_raw)
    chosen = {"method": "Kalman filter on each bin's log fill rate (random walk), censored readings by "
                        "moment matching, profile and σ of the batch fit on the training period; overflow "
                        "probability recalibrated online (daily isotonic map, per-bin observed/expected ratio)",
              "drift_sd_per_day": best, "grid_loglik": {str(k): round(v, 1) for k, v in scores.items()},
              "prior_overflows": filt.prior_overflows, "map_half_life_days": filt.map_half_life_days,
              "grid_log_loss": {f"a={a:g} half-life={h}": round(v, 4) for (a, h), v in losses.items()}}
    return filt, chosen


def online_predictions(records, split: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The test intervals (ending at or after ``split``) and their online predictions: each made with
    every collection recorded before the interval began (training and earlier test collections)."""
    f = records.frame
    train = f[f["collected_at"] < split]
    filt, chosen = fit_online(train)
    iv = intervals_from_records(f)
    E = _exposure(iv, filt.model.profile, filt.model.event_specs, filt.model.events)
    # the whole history in one pass: the training part reproduces the state fit_online ended with
    filt.beliefs.clear()
    filt.shifts.clear()
    p = run_filter(filt, iv, E)
    p_over = recalibrate_online(filt, iv, p["p_raw"].to_numpy())
    test = (iv["end"] >= split).to_numpy()
    out = pd.DataFrame({"predicted_pct": p["predicted_pct"], "p_overflow": p_over}, index=iv.index)
    return iv[test].copy(), out[test], {**chosen, "bins_followed": len(filt.beliefs),
                                      "shifts_detected_after_split": _shifts_after(filt, split)}


def _shifts_after(filt: OnlineFillRates, split: pd.Timestamp) -> int:
    return sum(1 for _, hours, _ in filt.shifts if hours >= _hours(split))


def advance(filt: OnlineFillRates, hist: RecalibrationHistory, intervals: pd.DataFrame,
            seen_until: dict[str, pd.Timestamp]) -> pd.DataFrame:
    """Take in the intervals of ``intervals`` that end after the bin's ``seen_until`` (its last
    interval taken in), in time order, through the filter and the recalibration; ``seen_until`` is
    updated. When collections arrive in time order across the bins (each new batch later than the
    last), going on from a saved state gives the state one pass over the whole history would (each
    bin's filter always does; the shared recalibration map only then). Returns the new intervals
    with their predictions."""
    last = intervals["site"].map(lambda s: seen_until.get(s, pd.Timestamp.min))
    new = intervals[(intervals["end"] > last).to_numpy()].copy()
    if new.empty:
        return new
    E = _exposure(new, filt.model.profile, filt.model.event_specs, filt.model.events)
    p = run_filter(filt, new, E)
    new["predicted_pct"] = p["predicted_pct"].to_numpy()
    new["p_overflow"] = recalibrate_online(filt, new, p["p_raw"].to_numpy(), hist)
    for site, end in new.groupby("site")["end"].max().items():
        seen_until[site] = end
    return new


def state_to_dict(filt: OnlineFillRates, hist: RecalibrationHistory, seen_until: dict) -> dict:
    """The filter, its recalibration and what it has seen, as JSON-ready data (no pickle: a store
    may be shared, and a pickle runs code when read)."""
    m = filt.model
    return {"model": {"profile": m.profile.tolist(), "sigma": m.sigma, "group_rates": m.group_rates,
                      "global_rate": m.global_rate, "between_bin_log_sd": m.between_bin_log_sd},
            "q_per_h": filt.q_per_h, "prior_overflows": filt.prior_overflows,
            "map_half_life_days": filt.map_half_life_days,
            "beliefs": {s: [b.mean, b.var, b.at, b.up, b.down] for s, b in filt.beliefs.items()},
            "shifts": [list(x) for x in filt.shifts], "iso_x": filt.iso_x.tolist(), "iso_y": filt.iso_y.tolist(),
            "oe": {s: list(v) for s, v in filt.oe.items()},
            "history": {"p_raw": hist.p_raw, "overflowed": hist.overflowed, "end": [str(e) for e in hist.end],
                        "map_day": None if hist.map_day is None else str(hist.map_day)},
            "seen_until": {s: str(t) for s, t in seen_until.items()}}


def state_from_dict(d: dict) -> tuple[OnlineFillRates, RecalibrationHistory, dict]:
    """The inverse of :func:`state_to_dict`."""
    m = d["model"]
    model = FillModel(rates=pd.DataFrame(columns=["group", "rate_pct_per_h"]), profile=np.asarray(m["profile"]),
                      sigma=float(m["sigma"]), group_rates={str(k): float(v) for k, v in m["group_rates"].items()},
                      global_rate=float(m["global_rate"]), between_bin_log_sd=float(m["between_bin_log_sd"]))
    filt = OnlineFillRates(model, float(d["q_per_h"]),
                           beliefs={s: BinBelief(*map(float, b)) for s, b in d["beliefs"].items()},
                           shifts=[(str(a), float(b), str(c)) for a, b, c in d["shifts"]],
                           iso_x=np.asarray(d["iso_x"], float), iso_y=np.asarray(d["iso_y"], float),
                           oe={s: (float(v[0]), float(v[1])) for s, v in d["oe"].items()},
                           prior_overflows=float(d["prior_overflows"]), map_half_life_days=d["map_half_life_days"])
    h = d["history"]
    hist = RecalibrationHistory([float(x) for x in h["p_raw"]], [float(x) for x in h["overflowed"]],
                                [np.datetime64(e, "ns") for e in h["end"]],
                                None if h["map_day"] is None else np.datetime64(h["map_day"], "ns"))
    return filt, hist, {s: pd.Timestamp(t) for s, t in d["seen_until"].items()}


def start_following(records) -> tuple[OnlineFillRates, RecalibrationHistory, dict, dict]:
    """The filter fitted on ``records`` (:func:`fit_online`) and then run over them once, ready to go
    on with :func:`advance`: (filter, its recalibration history, seen_until, what was chosen)."""
    filt, chosen = fit_online(records)
    filt.beliefs.clear()
    filt.shifts.clear()
    filt.oe.clear()
    filt.iso_x, filt.iso_y = np.empty(0), np.empty(0)
    hist, seen = RecalibrationHistory(), {}
    advance(filt, hist, intervals_from_records(records), seen)
    return filt, hist, seen, chosen
