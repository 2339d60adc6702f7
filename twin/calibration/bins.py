"""Calibrate litter-bin fill rates on collection records, and test them on held-out collections.

Model (per bin *s*, interval *k* between two collections)::

    fill_before_k − fill_after_{k−1} = r_s · E_k · exp(ε_k),   ε ~ N(0, σ²),   observed ≤ 100 %
    E_k = Σ_hours w(hour of week) · f_event          (hours, weighted)
    w(slot) = exp(a[hour] + b[weekday]),  mean of w over the 168 slots of a week = 1

so ``r_s`` is the bin's **mean fill rate in % per hour over a week**, ``a``/``b`` the hour-of-day and
day-of-week profiles shared by all bins, and ``f_event`` the factor of a weekly event (a market
morning) on the bins of the groups it touches. A reading of 100 % is *censored*: the bin was at
least full (Edinburgh's sensors saturate there), so it enters the likelihood as P(fill ≥ 100 %)
— a Tobit model (Tobin 1958) on the log scale.

Pooling (partial pooling, as in Gelman & Hill 2007, ch. 12): each bin's log-rate is shrunk towards
its group's mean (the street, or a location type) with weight σ²/τ², τ² being the between-bin
variance; a bin with few records gets close to its group, one with many keeps its own rate.

Fitting: profile and rates alternately by least squares on the uncensored intervals, then each
bin's rate by maximum a-posteriori with its censored intervals (``scipy.optimize``).

Checks (:func:`holdout`): predicted fill at each held-out collection from the previous one — the
median ``min(100, r·E)`` — scored by MAE (percentage points) against the naive model "same fill
rate for every bin, all the time"; the predicted overflow probability
``P = 1 − Φ((ln 100 − ln r·E)/σ)`` is scored by the Brier score and a reliability table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import optimize, stats

from twin.errors import TwinError
from twin.sources.bin_records import BinRecords
from twin.timeutil import LOCAL_TZ

FULL_PCT = 100.0
MIN_LOG_SIGMA = 0.05
"""[ln] the least spread of a fill around its model: about ±5 %, the order of a fill sensor's reading error."""
MIN_NET_PCT = 0.5  # the sensor's resolution: a net fill below it is read as 0.5 % (log scale)
# Monday 1970-01-05 00:00: hours since then, modulo 168, is the hour-of-week slot (Mon 00h = 0)
_EPOCH = pd.Timestamp("1970-01-05")


class HoldoutError(TwinError, ValueError):
    """A held-out check whose date leaves nothing to fit on or nothing to test."""


@dataclass(frozen=True)
class WeeklyEvent:
    """A weekly event that multiplies deposits on some groups of bins (a market morning)."""

    name: str
    weekday: int  # Monday = 0
    start_hour: int
    end_hour: int
    groups: tuple[str, ...]

    def slots(self) -> np.ndarray:
        return self.weekday * 24 + np.arange(self.start_hour, self.end_hour)


@dataclass
class FillModel:
    """Fitted fill rates. ``rates`` (%/h, mean over a week) per bin with its group and number of
    intervals; ``profile`` the 168 hour-of-week weights (mean 1); ``sigma`` the log-scale noise."""

    rates: pd.DataFrame
    profile: np.ndarray
    sigma: float
    events: dict[str, float] = field(default_factory=dict)  # event name -> fitted factor
    event_specs: tuple[WeeklyEvent, ...] = ()
    group_rates: dict[str, float] = field(default_factory=dict)
    global_rate: float = float("nan")
    between_bin_log_sd: float = float("nan")  # τ: spread of the log-rates of bins of one group
    # how far a bin's rate wanders from month to month beyond sampling noise (sd of the log-rate)
    drift_log_sd: float = 0.0
    median_interval_h: float = float("nan")  # typical time between two collections in the records
    # logistic recalibration of the overflow probability, fitted on the training intervals (Platt 1999)
    overflow_calibration: tuple[float, float] = (0.0, 1.0)
    # what the data said of each weekly event that was assumed (see fit_fill_model_checked)
    event_checks: list[dict] = field(default_factory=list)

    def rate_of(self, site: str, group: str | None = None) -> float:
        """The bin's rate; the group's for a bin never seen; the global one otherwise."""
        if site in self.rates.index:
            return float(self.rates.at[site, "rate_pct_per_h"])
        return float(self.group_rates.get(group, self.global_rate))

    def day_log_sd(self, hourly_shape: float = 2.0) -> float:
        """The sd of a daily lognormal deposit factor that gives simulated intervals the spread of the
        recorded ones (σ on the log scale over a typical interval), given that hourly Gamma draws of
        shape ``hourly_shape`` already provide part of it. 0 when they provide it all.

        Gamma sum over H hours with weights w: CV² = Σw²/(k (Σw)²); the mean of L = H/24 independent
        daily lognormal factors of sd s has log-variance ≈ ln(1 + (e^{s²} − 1)/L). The sensor noise
        is part of σ: the simulated world is, if anything, a little harder to plan than the real one.
        """
        H = self.median_interval_h
        if not np.isfinite(H) or H <= 0:
            return 0.0
        cv2_gamma = float(np.mean(self.profile ** 2) / np.mean(self.profile) ** 2) / (hourly_shape * H)
        extra = self.sigma ** 2 - np.log1p(cv2_gamma)
        if extra <= 0:
            return 0.0
        days = max(H / 24.0, 1.0)
        return float(np.sqrt(np.log1p(days * np.expm1(extra))))

    def rate_log_sd_of(self, site: str) -> float:
        """Uncertainty (sd of the natural log) of the bin's rate; τ for a bin never seen."""
        if site in self.rates.index and "log_rate_sd" in self.rates:
            return float(self.rates.at[site, "log_rate_sd"])
        return float(self.between_bin_log_sd)

    def hourly_weights(self, group: str) -> np.ndarray:
        """The 168 slot weights for a bin of ``group``, event factors included."""
        w = self.profile.copy()
        for ev in self.event_specs:
            if group in ev.groups:
                w[ev.slots()] *= self.events.get(ev.name, 1.0)
        return w

    def predict(self, intervals: pd.DataFrame) -> pd.DataFrame:
        """Median predicted fill and overflow probability for intervals (site, group, start, end, after)."""
        E = _exposure(intervals, self.profile, self.event_specs, self.events)
        r = np.array([self.rate_of(s, g) for s, g in zip(intervals["site"], intervals["group"], strict=True)])
        mean_net = r * E
        after = intervals["fill_after_prev"].to_numpy(float)
        pred = np.minimum(FULL_PCT, after + mean_net)
        room = np.maximum(FULL_PCT - after, MIN_NET_PCT)
        p_over = _recalibrate(_raw_overflow(room, mean_net, self.sigma), self.overflow_calibration)
        return pd.DataFrame({"predicted_pct": pred, "p_overflow": p_over, "exposure_h": E}, index=intervals.index)


def _raw_overflow(room, mean_net, sigma):
    """P(lognormal fill ≥ room) under the fitted noise."""
    return stats.norm.sf((np.log(room) - np.log(np.maximum(mean_net, 1e-9))) / sigma)


def _logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _recalibrate(p, ab):
    return 1 / (1 + np.exp(-(ab[0] + ab[1] * _logit(p))))


def _fit_recalibration(p_raw, overflowed) -> tuple[float, float]:
    """(α, β) minimising the log loss of expit(α + β·logit(p)) on the training intervals."""
    x = _logit(p_raw)

    def loss(ab):
        q = np.clip(1 / (1 + np.exp(-(ab[0] + ab[1] * x))), 1e-9, 1 - 1e-9)
        return -np.mean(overflowed * np.log(q) + (1 - overflowed) * np.log(1 - q))

    ab = optimize.minimize(loss, np.array([0.0, 1.0]), method="Nelder-Mead").x
    return float(ab[0]), float(ab[1])


def intervals_from_records(records: BinRecords | pd.DataFrame) -> pd.DataFrame:
    """Consecutive collections of each bin as intervals: site, group, start, end, fill_after_prev,
    observed (fill before the ending collection, clipped to 0–100), censored (observed ≥ 100), ok."""
    f = records.frame if isinstance(records, BinRecords) else records
    f = f.sort_values(["site", "collected_at"], kind="stable")
    prev = f.groupby("site", sort=False)
    out = pd.DataFrame({
        "site": f["site"], "group": f["group"],
        "start": prev["collected_at"].shift(1), "end": f["collected_at"],
        "fill_after_prev": prev["fill_after_pct"].shift(1).clip(0, FULL_PCT),
        "observed": f["fill_before_pct"].clip(0, FULL_PCT),
        "ok": f["interval_ok"] if "interval_ok" in f else True,
    })
    out = out[out["start"].notna() & out["ok"].astype(bool)].drop(columns="ok")
    out["censored"] = out["observed"] >= FULL_PCT
    return out.reset_index(drop=True)


def slot_hours(start: pd.Series, end: pd.Series) -> np.ndarray:
    """(K, 168) hours of each interval falling in each hour-of-week slot (partial hours counted)."""
    a = ((pd.DatetimeIndex(start) - _EPOCH) / pd.Timedelta(hours=1)).to_numpy(float)
    b = ((pd.DatetimeIndex(end) - _EPOCH) / pd.Timedelta(hours=1)).to_numpy(float)
    out = np.zeros((len(a), 168))
    for k, (lo, hi) in enumerate(zip(a, b, strict=True)):
        hours = np.arange(np.floor(lo), np.ceil(hi))
        weight = np.minimum(hours + 1, hi) - np.maximum(hours, lo)
        np.add.at(out[k], hours.astype(np.int64) % 168, weight)
    return out


def _exposure(intervals, profile, events, factors, hours=None) -> np.ndarray:
    hours = slot_hours(intervals["start"], intervals["end"]) if hours is None else hours
    E = hours @ profile
    groups = intervals["group"].to_numpy()
    for ev in events:
        hit = np.isin(groups, ev.groups)
        if hit.any():
            E[hit] += (factors.get(ev.name, 1.0) - 1.0) * (hours[hit][:, ev.slots()] @ profile[ev.slots()])
    return E


def _profile(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    w = np.exp(np.add.outer(b, a).ravel())  # slot = weekday*24 + hour
    return w / w.mean()


def fit_fill_model(records: BinRecords | pd.DataFrame, events: tuple[WeeklyEvent, ...] = (),
                   hourly_profile: bool = True, weekly_profile: bool = True, pooled_rate: bool = False,
                   iterations: int = 6) -> FillModel:
    """Fit rates, profiles and event factors (see the module docstring).

    ``pooled_rate=True`` with both profiles off is the naive model: one rate for every bin.
    """
    iv = intervals_from_records(records)
    if iv.empty:
        raise ValueError("no interval between two collections of one bin: nothing to fit")
    H = slot_hours(iv["start"], iv["end"])
    net = np.maximum(iv["observed"].to_numpy() - iv["fill_after_prev"].to_numpy(), MIN_NET_PCT)
    y = np.log(net)
    cens = iv["censored"].to_numpy()
    room = np.log(np.maximum(FULL_PCT - iv["fill_after_prev"].to_numpy(), MIN_NET_PCT))
    sites, site_idx = np.unique(iv["site"].to_numpy(), return_inverse=True)
    if pooled_rate:
        site_idx = np.zeros(len(iv), np.int64)
        sites = np.array(["*"])
    groups = iv.groupby("site")["group"].first().reindex(sites).fillna("all").to_numpy() if not pooled_rate \
        else np.array(["all"])
    unc = ~cens
    a, b = np.zeros(24), np.zeros(7)
    logf = np.zeros(len(events))
    lr = np.zeros(len(sites))
    n_site = np.bincount(site_idx, minlength=len(sites))

    def exposure(a_, b_, logf_):
        return _exposure(iv, _profile(a_, b_), events, dict(zip([e.name for e in events], np.exp(logf_),
                                                                 strict=True)), hours=H)

    sigma = 1.0
    for _ in range(iterations):
        z = y - np.log(exposure(a, b, logf))
        lr = _shrunk_means(z[unc], site_idx[unc], groups, len(sites), sigma)
        free = [hourly_profile, weekly_profile, len(events) > 0]
        if not any(free):
            break

        def resid(theta):
            a_, b_, f_ = _unpack(theta, a, b, logf, hourly_profile, weekly_profile)
            r = y[unc] - lr[site_idx[unc]] - np.log(exposure(a_, b_, f_)[unc])
            return np.concatenate([r, 0.3 * np.diff(np.r_[a_, a_[0]])])  # smooth hour profile, circular

        theta0 = np.concatenate([a if hourly_profile else [], b if weekly_profile else [], logf])
        sol = optimize.least_squares(resid, theta0, method="trf", x_scale=1.0, max_nfev=200)
        a, b, logf = _unpack(sol.x, a, b, logf, hourly_profile, weekly_profile)
        sigma = float(np.std(y[unc] - lr[site_idx[unc]] - np.log(exposure(a, b, logf)[unc])))
    logE = np.log(exposure(a, b, logf))
    z = y - logE
    sigma = float(np.std(z[unc] - lr[site_idx[unc]])) if unc.any() else sigma
    # a file of perfectly regular fills (or two intervals a bin) leaves no spread at all: σ = 0 divided the
    # overflow odds by zero (warnings printed to the user, probabilities of exactly 0 or 1)
    sigma = max(sigma, MIN_LOG_SIGMA)
    prior_mu, tau = _group_prior(lr, groups, n_site, sigma)
    lr = _tobit_map(y, logE, room, cens, site_idx, len(sites), sigma, prior_mu, tau, lr)
    n_cens = np.bincount(site_idx, weights=cens, minlength=len(sites))
    # spread of each log-rate estimate (normal approximation of the posterior): the uncensored
    # intervals and the group prior inform it; a censored interval only bounds it, so it is not counted
    log_sd = 1.0 / np.sqrt((n_site - n_cens) / sigma ** 2 + 1.0 / tau ** 2)
    rates = pd.DataFrame({"group": groups, "rate_pct_per_h": np.exp(lr), "intervals": n_site,
                          "censored": n_cens.astype(int), "log_rate_sd": log_sd},
                         index=pd.Index(sites, name="site"))
    group_rates = rates.groupby("group")["rate_pct_per_h"].median().to_dict()
    drift = _monthly_drift_log_sd(z[unc] - lr[site_idx[unc]], site_idx[unc],
                                  iv["end"].to_numpy()[unc].astype("datetime64[M]"), sigma)
    p_raw = _raw_overflow(np.exp(room), np.exp(lr[site_idx] + logE), sigma)
    return FillModel(rates=rates, profile=_profile(a, b), sigma=sigma,
                     events={e.name: float(np.exp(f)) for e, f in zip(events, logf, strict=True)},
                     event_specs=tuple(events), group_rates=group_rates,
                     global_rate=float(rates["rate_pct_per_h"].median()), between_bin_log_sd=tau,
                     drift_log_sd=drift,
                     median_interval_h=float(np.median((iv["end"] - iv["start"]) / pd.Timedelta(hours=1))),
                     overflow_calibration=_fit_recalibration(p_raw, cens.astype(float)))


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def scan_weekly_event(records: BinRecords | pd.DataFrame, model: FillModel, event: WeeklyEvent) -> np.ndarray:
    """Evidence for ``event``'s hours on each weekday: a t-statistic per weekday (Monday first).

    For the uncensored intervals of the bins in ``event.groups``, the log-residual of the model
    *without* any event factor is regressed (OLS) on the share of the interval's expected deposits
    that fall in the event's hours of that weekday. A real weekly event gives a large positive t on
    its own day only; no event gives no large t. NaN where too few intervals touch the group.
    """
    iv = intervals_from_records(records)
    hit = iv["group"].isin(event.groups).to_numpy() & ~iv["censored"].to_numpy()
    out = np.full(7, np.nan)
    if hit.sum() < 20:
        return out
    iv = iv[hit]
    H = slot_hours(iv["start"], iv["end"])
    E = H @ model.profile
    net = np.maximum(iv["observed"].to_numpy() - iv["fill_after_prev"].to_numpy(), MIN_NET_PCT)
    lr = np.log([model.rate_of(s, g) for s, g in zip(iv["site"], iv["group"], strict=True)])
    z = np.log(net) - lr - np.log(E)
    hours = np.arange(event.start_hour, event.end_hour)
    for d in range(7):
        slots = d * 24 + hours
        x = (H[:, slots] @ model.profile[slots]) / E
        if np.ptp(x) <= 0:
            continue
        X = np.column_stack([np.ones_like(x), x])
        beta, *_ = np.linalg.lstsq(X, z, rcond=None)
        resid = z - X @ beta
        s2 = resid @ resid / max(len(z) - 2, 1)
        se = np.sqrt(s2 * np.linalg.inv(X.T @ X)[1, 1])
        out[d] = beta[1] / se if se > 0 else np.nan
    return out


def fit_fill_model_checked(records: BinRecords | pd.DataFrame, events: tuple[WeeklyEvent, ...] = (),
                           min_t: float = 4.0, **kwargs) -> FillModel:
    """:func:`fit_fill_model` whose assumed weekly events are checked against the data.

    An assumed event (e.g. "a Monday-morning market raises the deposits of the bins near the
    market place") is a hypothesis about the town, not a fact: each is scanned over the seven
    weekdays (:func:`scan_weekly_event`). It is kept where the data support it on its own day,
    moved to the weekday the data point to when that day's evidence is clearly stronger (t larger
    by 2 or more), and dropped when no weekday reaches ``min_t``. The model is refitted when an
    event moved or was dropped; ``model.event_checks`` says what was assumed, found and done.
    """
    model = fit_fill_model(records, events, **kwargs)
    checks, final = [], []
    for ev in events:
        t = scan_weekly_event(records, model, ev)
        check = {"event": ev.name, "assumed": f"{WEEKDAYS[ev.weekday]} {ev.start_hour:02d}–{ev.end_hour:02d} h",
                 "groups": list(ev.groups), "t_by_weekday": {WEEKDAYS[d]: (None if np.isnan(v) else round(float(v), 1))
                                                              for d, v in enumerate(t)}}
        if np.all(np.isnan(t)):
            check.update(verdict="dropped", why=f"too few intervals of bins in {list(ev.groups)} to test it")
        else:
            best = int(np.nanargmax(t))
            t_own = t[ev.weekday] if np.isfinite(t[ev.weekday]) else -np.inf
            if t[best] < min_t:
                check.update(verdict="dropped", why=f"no weekday shows the effect (largest t {t[best]:.1f} < {min_t:g})")
            elif best != ev.weekday and t[best] >= t_own + 2.0:
                check.update(verdict="moved", found=WEEKDAYS[best],
                             why=f"the data point to {WEEKDAYS[best]} (t {t[best]:.1f}), not "
                                 f"{WEEKDAYS[ev.weekday]} (t {t_own:.1f})")
                final.append(replace(ev, weekday=best))
            else:
                check.update(verdict="kept", why=f"supported on its own day (t {t_own:.1f})")
                final.append(ev)
        if check["verdict"] != "dropped":
            kept_day = final[-1].weekday
            twins = [WEEKDAYS[d] for d in range(7) if d != kept_day and np.isfinite(t[d]) and t[d] >= t[kept_day] - 2.0]
            if twins:
                # e.g. rounds on Monday and Wednesday mornings: a Monday and a Tuesday market fill the
                # same intervals, and no record can tell them apart
                check["indistinguishable_from"] = twins
                check["why"] += f"; the collection days cannot tell it from {', '.join(twins)}"
        checks.append(check)
    if tuple(final) != tuple(events):
        model = fit_fill_model(records, tuple(final), **kwargs)
    model.event_checks = checks
    return model


def _monthly_drift_log_sd(resid: np.ndarray, site: np.ndarray, month: np.ndarray, sigma: float,
                          min_intervals: int = 3) -> float:
    """How much a bin's log-rate wanders from one month to the next, beyond sampling noise.

    The mean residual of a (bin, month) cell with n intervals has variance drift² + σ²/n; the
    method of moments over the cells with at least ``min_intervals`` intervals gives drift²
    (0 when the cells vary no more than their sampling noise). Returns the sd (natural log).
    """
    cells = pd.DataFrame({"s": site, "m": month, "r": resid}).groupby(["s", "m"])["r"].agg(["mean", "size"])
    cells = cells[cells["size"] >= min_intervals]
    if len(cells) < 4:
        return 0.0
    # centre per bin: a bin's own long-run level is the calibrated rate, not drift
    dev = cells["mean"] - cells.groupby(level="s")["mean"].transform("mean")
    var = float(np.mean(dev ** 2) - np.mean(sigma ** 2 / cells["size"]))
    return float(np.sqrt(max(var, 0.0)))


def _unpack(theta, a, b, logf, hourly, weekly):
    i = 0
    if hourly:
        a, i = theta[:24], 24
    if weekly:
        b, i = theta[i:i + 7], i + 7
    return a, b, theta[i:]


def _group_prior(lr, groups, n_site, sigma):
    """Group means of the log-rates and the between-bin spread τ (method of moments)."""
    df = pd.DataFrame({"lr": lr, "g": groups})
    mu_g = df.groupby("g")["lr"].transform("mean").to_numpy().copy()
    var_between = np.var(lr - mu_g) if len(lr) > 1 else 1.0
    tau = float(np.sqrt(max(var_between - np.mean(sigma ** 2 / np.maximum(n_site, 1)), 0.05 ** 2)))
    # a group of one bin has no mean of its own: use the global one
    single = df.groupby("g")["lr"].transform("size").to_numpy() < 2
    mu_g[single] = np.mean(lr)
    return mu_g, tau


def _shrunk_means(z, idx, groups, n, sigma, tau=0.5):
    s = np.bincount(idx, weights=z, minlength=n)
    c = np.bincount(idx, minlength=n)
    raw = np.where(c > 0, s / np.maximum(c, 1), np.nan)
    mu = pd.Series(raw).groupby(groups).transform("mean").fillna(np.nanmean(raw)).to_numpy()
    k = sigma ** 2 / tau ** 2
    return (s + k * mu) / (c + k)


def _tobit_map(y, logE, room, cens, idx, n, sigma, mu, tau, start):
    """Per bin: maximise the censored log-likelihood plus the group prior on the log-rate."""
    out = start.copy()
    order = np.argsort(idx, kind="stable")
    bounds = np.searchsorted(idx[order], np.arange(n + 1))
    for s in range(n):
        rows = order[bounds[s]:bounds[s + 1]]
        yu = y[rows][~cens[rows]] - logE[rows][~cens[rows]]
        yc = room[rows][cens[rows]] - logE[rows][cens[rows]]

        def nll(lr, yu=yu, yc=yc, s=s):
            return (0.5 * np.sum(((yu - lr) / sigma) ** 2) - np.sum(stats.norm.logsf((yc - lr) / sigma))
                    + 0.5 * ((lr - mu[s]) / tau) ** 2)

        out[s] = optimize.minimize_scalar(nll, bracket=(start[s] - 1, start[s] + 1)).x
    return out


def holdout(records: BinRecords, split: str | pd.Timestamp, events: tuple[WeeklyEvent, ...] = (),
            bins: int = 10, online=None) -> dict:
    """Fit on collections before ``split``, predict those after it; compare with the naive model.

    Returns MAE (points) of the full and naive models, a per-bin-rate-flat-profile model in between,
    Brier scores, and the reliability table of the overflow probability (deciles of prediction).
    ``online``: a function ``(records, split) -> (test intervals, predictions, what it chose)`` whose
    predictions replace "model"'s (:func:`twin.calibration.bins_online.online_predictions`: each
    held-out interval predicted with every collection recorded before it began); the other two stay
    fitted on the training period alone, and ``result["online"]`` says what the filter chose.
    """
    split = pd.Timestamp(split)
    f = records.frame
    train = f[f["collected_at"] < split]
    iv_all = intervals_from_records(f)
    test = iv_all[iv_all["end"] >= split].copy()
    no_fit = train.empty or intervals_from_records(train).empty  # a bin collected twice before the split
    if test.empty or no_fit:
        first, last = f["collected_at"].min(), f["collected_at"].max()
        raise HoldoutError(f"{records.source}: a held-out check from {split:%Y-%m-%d %H:%M} leaves "
                           f"{'no two collections of a bin before it to fit on' if no_fit else 'no collection after it to test'}"
                           f"; the records run from {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}: give "
                           "--holdout-from a date between the two, or --holdout-from none to fit on them all")
    models = {"model": fit_fill_model(train, events),
              "per_bin_flat": fit_fill_model(train, hourly_profile=False, weekly_profile=False),
              "naive": fit_fill_model(train, hourly_profile=False, weekly_profile=False, pooled_rate=True)}
    models["naive"].global_rate = float(models["naive"].rates["rate_pct_per_h"].iloc[0])
    models["naive"].rates = models["naive"].rates.iloc[0:0]
    models["naive"].group_rates = {}
    predictions = {name: m.predict(test) for name, m in models.items()}
    result = {"split": str(split), "train_collections": int(len(train)), "test_intervals": int(len(test)),
              "test_overflow_share": float(test["censored"].mean()), "test_bins": int(test["site"].nunique()),
              "unseen_test_bins": int((~test["site"].isin(train["site"])).sum())}
    if online is not None:
        online_test, predictions["model"], result["online"] = online(records, split)
        assert online_test.index.equals(test.index)  # the same intervals, scored alike
    result.update(scores(test, predictions, bins))
    for name, m in models.items():
        result[name]["sigma"] = m.sigma
    result["model_fit"] = models["model"]
    test["p_overflow"] = predictions["model"]["p_overflow"].to_numpy()
    test["predicted_pct"] = predictions["model"]["predicted_pct"].to_numpy()
    result["test"] = test
    return result


def scores(test: pd.DataFrame, predictions: dict[str, pd.DataFrame], bins: int = 10) -> dict:
    """MAE [points] and Brier score of each model's predictions of the ``test`` intervals, the gain of
    "model" over "naive", and the reliability table of "model"'s overflow probability (``bins``
    equal-width classes of prediction) with its weighted calibration error."""
    obs = test["observed"].to_numpy()
    over = test["censored"].to_numpy()
    out = {name: {"mae_pct_points": float(np.mean(np.abs(p["predicted_pct"].to_numpy() - obs))),
                  "brier": float(np.mean((p["p_overflow"].to_numpy() - over) ** 2))}
           for name, p in predictions.items()}
    out["mae_gain_vs_naive"] = 1 - out["model"]["mae_pct_points"] / out["naive"]["mae_pct_points"]
    out["brier_skill_vs_naive"] = 1 - out["model"]["brier"] / out["naive"]["brier"]
    p = pd.Series(predictions["model"]["p_overflow"].to_numpy(), index=test.index)
    cut = pd.cut(p, np.linspace(0, 1, bins + 1), include_lowest=True)
    rel = pd.DataFrame({"p": p, "over": over}).groupby(cut, observed=True).agg(
        n=("over", "size"), predicted=("p", "mean"), observed=("over", "mean"))
    out["reliability"] = [{"bin": str(i), **{k: float(v) for k, v in r.items()}} for i, r in rel.iterrows()]
    out["calibration_error"] = float(np.average(np.abs(rel["predicted"] - rel["observed"]), weights=rel["n"]))
    return out


def records_from_store(store, tz: str = LOCAL_TZ, group_of=None) -> BinRecords:
    """Collection records of every ``fill_level`` sensor of a :class:`twin.sensors.SensorStore`.

    Times are converted to local time (the profiles are local). ``group_of`` maps a sensor's
    ``asset_id`` to its location group (default: one group ``"street"``).
    """
    from twin.sources.bin_records import collections_from_levels  # noqa: PLC0415

    reg = store.sensors
    reg = reg[reg["quantity"] == "fill_level"]
    if reg.empty:
        raise ValueError(f"{store.path}: no fill_level sensor")
    parts = []
    for _, s in reg.iterrows():
        levels = store.to_pandas(s["sensor_id"], tz=tz)
        levels.index = levels.index.tz_localize(None)
        group = group_of(s["asset_id"]) if group_of else "street"
        parts.append(collections_from_levels(levels, str(s["asset_id"]), group=group))
    frame = pd.concat(parts, ignore_index=True)
    frame["quality"] = "ok"
    return BinRecords(frame, f"{store.path} (fill_level sensors)")


def _holdout_date(text) -> pd.Timestamp:
    """``--holdout-from``'s date, the year first (« 06/07/2016 » was read as 7 June; « garbage », a traceback)."""
    from twin.timeutil import is_iso_date_text  # noqa: PLC0415

    try:
        when = pd.Timestamp(text) if is_iso_date_text(str(text)) else None
    except (ValueError, TypeError, OverflowError):
        when = None
    if when is None or pd.isna(when):
        raise HoldoutError(f"--holdout-from {str(text)[:20]!r}: expected a date with the year first, e.g. 2016-07-06, "
                           "or auto, or none")
    return when


def fit_report(records: BinRecords, holdout_from: str | None = "auto", online=None) -> dict:
    """Per-bin and pooled fill-rate statistics and, unless ``holdout_from`` is None/"none", the
    hold-out check (default: the last 14 days of the records); ``online``: the held-out collections
    predicted by a filter that follows them (see :func:`holdout`)."""
    model = fit_fill_model(records)
    iv = intervals_from_records(records)
    rates = model.rates.reset_index()
    q = rates["rate_pct_per_h"].quantile([0.25, 0.5, 0.75])
    groups = rates.groupby("group").agg(bins=("site", "size"), median_pct_per_h=("rate_pct_per_h", "median"))
    report = {"source": records.source, "records": int(len(records.frame)), "bins": int(records.frame["site"].nunique()),
              "intervals": int(len(iv)), "censored_share": float(iv["censored"].mean()), "sigma": model.sigma,
              "warnings": records.warnings,
              "pooled": {"median_pct_per_h": float(q[0.5]), "q25_pct_per_h": float(q[0.25]),
                         "q75_pct_per_h": float(q[0.75])},
              "hour_of_week_profile": model.profile.round(4).tolist(),
              "groups": groups.sort_values("bins", ascending=False).to_dict(orient="index"),
              "per_bin": rates.to_dict(orient="records")}
    if holdout_from and str(holdout_from).lower() != "none":
        split = records.frame["collected_at"].max().normalize() - pd.Timedelta(days=13) \
            if holdout_from == "auto" else _holdout_date(holdout_from)
        try:
            h = holdout(records, split, online=online)
        except HoldoutError:
            if holdout_from != "auto":
                raise
            # records of about two weeks: the default check has nothing to fit on; said, not a traceback
            report["holdout_skipped"] = ("the records leave too little before their last 14 days, which the "
                                         "default held-out check keeps for testing (give --holdout-from DATE to "
                                         "test from that date)")
            return report
        h.pop("model_fit")
        h.pop("test")
        report["holdout"] = h
    return report
