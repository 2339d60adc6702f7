"""Calibrate building baselines on meter history and measure savings (IPMVP option C).

* Readings finer than the model (hourly readings for a daily or monthly model) are summed into
  local days / calendar months by :func:`resample_usage` — one function for the library and the
  CLI; a period missing any reading is left out and listed, never summed as if complete.
* Data sufficiency before fitting (CalTRACK 2.0, sec. 2): a baseline of at least 365 days
  (default; shorter ones are allowed but said), at least 90 % of its days with both use and
  temperature, no negative reading.
* Fit metrics (ASHRAE Guideline 14-2014): CV(RMSE) and NMBE with n − p degrees of
  freedom, R². The verdict uses G14's criteria for the resolution the model is judged at:
  monthly CV(RMSE) ≤ 15 % and |NMBE| ≤ 5 %, hourly 30 % and 10 %. Daily models are judged
  on their monthly totals (G14 has no daily criterion).
* Savings: counterfactual = the baseline model on the reporting period's weather;
  savings = counterfactual − metered; fractional savings uncertainty (G14 Annex B,
  eq. B-14, as used by OpenEEmeter): Δ = t · 1.26 · CV · sqrt(n/n′ · (1 + 2/n) · m) · Ē,
  n′ = n (1 − ρ)/(1 + ρ) with ρ the lag-1 autocorrelation of the baseline residuals.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from twin.errors import TwinError
from twin.models.buildings import ChangePointModel, DegreeDays, fit_billing, fit_daily, fit_hourly, predict_daily

G14 = {"monthly": (0.15, 0.05), "hourly": (0.30, 0.10)}


class MeterDataError(TwinError, ValueError):
    """Meter or temperature data that cannot support a fit; the message says which and why."""


def _as_tz(t, tz) -> pd.Timestamp:
    t = pd.Timestamp(t)
    if tz is None:
        return t.tz_localize(None) if t.tzinfo is not None else t
    return t.tz_localize(tz) if t.tzinfo is None else t.tz_convert(tz)


def fit_metrics(observed, predicted, n_params: int) -> dict:
    """CV(RMSE), NMBE (ASHRAE G14, n − p) and R² of a fit."""
    o = np.asarray(observed, float)
    p = np.asarray(predicted, float)
    n = len(o)
    dof = max(n - n_params, 1)
    mean = o.mean()
    return {"cvrmse": float(np.sqrt(((o - p) ** 2).sum() / dof) / mean),
            "nmbe": float((o - p).sum() / (dof * mean)),
            "r2": float(1 - ((o - p) ** 2).sum() / ((o - mean) ** 2).sum()), "n": n}


def passes_g14(metrics: dict, resolution: str) -> bool:
    cv, nmbe = G14[resolution]
    return metrics["cvrmse"] <= cv and abs(metrics["nmbe"]) <= nmbe


def daily_mean_temperature(temp_c: pd.Series, tz: str | None = None) -> pd.Series:
    """Daily means of an hourly temperature series (local days when ``tz`` is given)."""
    t = temp_c.tz_convert(tz) if tz and temp_c.index.tz is not None else temp_c
    return t.resample("1D").mean()


def check_sufficiency(usage: pd.Series, temp_daily: pd.Series, start, end, *, min_days: int = 365,
                      min_coverage: float = 0.9, label: str = "meter") -> dict:
    """Coverage and gaps of a baseline period; raises MeterDataError when it cannot support a fit."""
    days = pd.date_range(start, end, freq="1D", inclusive="left", tz=usage.index.tz)
    if (usage < 0).any():
        bad = usage[usage < 0]
        raise MeterDataError(f"{label}: {len(bad)} negative reading(s), first at {bad.index[0]} ({bad.iloc[0]:g})")
    u = usage.reindex(days)
    t = temp_daily.reindex(days)
    both = u.notna() & t.notna()
    coverage = float(both.mean()) if len(days) else 0.0
    if t.notna().sum() == 0 or t.first_valid_index() > days[0] + pd.Timedelta(days=3) or \
            t.last_valid_index() < days[-1] - pd.Timedelta(days=3):
        raise MeterDataError(f"{label}: the temperature series ({temp_daily.index.min()} … {temp_daily.index.max()}) "
                             f"does not cover the period {days[0].date()} … {days[-1].date()}")
    if coverage < min_coverage:
        raise MeterDataError(f"{label}: only {coverage:.0%} of the days of {days[0].date()} … {days[-1].date()} have "
                             f"both use and temperature (at least {min_coverage:.0%} needed)")
    gaps = (~both).astype(int).groupby((both).cumsum()).sum()
    return {"days": len(days), "coverage": coverage, "longest_gap_days": int(gaps.max()) if len(gaps) else 0,
            "short_baseline": len(days) < min_days}


FREQS = ("hourly", "daily", "monthly")
BILL_MIN_DAYS = 25  # readings this far apart (median) are bills, not interval readings


def reading_interval(usage: pd.Series) -> pd.Timedelta | None:
    """The meter's cadence: the most common spacing of its readings (gaps are longer), None for < 2 readings."""
    d = usage.index.to_series().diff().dropna()
    return None if d.empty else pd.Timedelta(d.mode().iloc[0])


def _period_grid(start: pd.Timestamp, end: pd.Timestamp, freq: str, tz) -> pd.DatetimeIndex:
    """Starts of every calendar period (local hours, days or months) that overlaps ``[start, end)``."""
    if freq == "hourly":
        utc = pd.date_range(start.tz_convert("UTC").floor("1h") if tz is not None else start.floor("1h"),
                            end.tz_convert("UTC") if tz is not None else end, freq="1h", inclusive="left")
        return utc.tz_convert(tz) if tz is not None else utc
    naive = [t.tz_localize(None) if t.tzinfo is not None else t for t in (start, end)]
    first = naive[0].normalize() if freq == "daily" else naive[0].normalize().replace(day=1)
    grid = pd.date_range(first, naive[1], freq="D" if freq == "daily" else "MS", inclusive="left")
    return grid.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward") if tz is not None else grid


def _period_key(index: pd.DatetimeIndex, freq: str) -> pd.DatetimeIndex:
    """The start of the local hour, day or month each reading falls in."""
    tz = index.tz
    if freq == "hourly":
        return index.tz_convert("UTC").floor("1h").tz_convert(tz) if tz is not None else index.floor("1h")
    if freq == "daily":
        return index.normalize()
    naive = index.tz_localize(None) if tz is not None else index
    months = naive.to_period("M").to_timestamp()
    return months.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward") if tz is not None else months


MAX_LISTED = 24  # periods named in a report; their count is given separately


def _period_label(t: pd.Timestamp, freq: str) -> str:
    return f"{t:%Y-%m-%d %H:%M}" if freq == "hourly" else f"{t:%Y-%m-%d}" if freq == "daily" else f"{t:%Y-%m}"


def _next(starts: pd.DatetimeIndex, freq: str) -> pd.DatetimeIndex:
    if freq == "hourly":
        return starts + pd.Timedelta(hours=1)
    return starts + (pd.DateOffset(days=1) if freq == "daily" else pd.DateOffset(months=1))


def resample_usage(usage: pd.Series, freq: str, start, end, *, label: str = "meter") -> tuple[pd.Series, pd.Series, dict]:
    """Meter readings of ``[start, end)`` as the totals the model of ``freq`` is fitted on.

    Readings finer than ``freq`` (hourly readings for a daily or monthly model, daily ones for
    a monthly model…) are summed into calendar hours / local days / calendar months of the
    meter's time zone. A period is kept only when every reading of it is there (expected
    readings = its length / the meter's cadence, so DST days count 23 or 25 hours); the others
    — including the partial periods at the edges of ``[start, end)`` — are dropped and listed in
    the returned information, never summed as if complete (a month with a missing week is not a
    bill). Readings already at ``freq`` pass through; monthly bills (readings ≥ 25 days apart)
    keep their own periods, the last one ending at ``end``.

    Returns (totals indexed by period start, period ends, information). Raises
    :class:`MeterDataError` when the readings are coarser than ``freq`` (a bill cannot be split
    into days). This one function serves the library and the CLI, so both give one verdict.
    """
    if freq == "billing":
        freq = "monthly"
    if freq not in FREQS:
        raise ValueError(f"freq {freq!r}: expected daily, hourly or monthly")
    tz = usage.index.tz
    start, end = _as_tz(start, tz), _as_tz(end, tz)
    step = reading_interval(usage)
    u = usage[(usage.index >= start) & (usage.index < end)]
    if step is None or u.empty:
        raise MeterDataError(f"{label}: no reading in {start} … {end}")
    spacing = usage.index.to_series().diff().median()
    info = {"reading_interval": str(step)}
    if spacing >= pd.Timedelta(days=BILL_MIN_DAYS):
        if freq != "monthly":
            raise MeterDataError(f"{label}: readings about {spacing.days} days apart are bills; they cannot be split "
                                 f"into {'days' if freq == 'daily' else 'hours'} (use freq monthly)")
        ends = pd.DatetimeIndex(list(u.index[1:]) + [end])
        return u, pd.Series(ends, index=u.index), {**info, "bills": int(len(u))}
    target = {"hourly": pd.Timedelta(hours=1), "daily": pd.Timedelta(days=1), "monthly": pd.Timedelta(days=1)}[freq]
    if step > target * 1.05:  # a DST day is 25 h long
        raise MeterDataError(f"{label}: readings every {step} cannot be summed into {freq} periods "
                             f"(readings of {target} or less are needed)")
    grid = _period_grid(start, end, freq, tz)
    grid = grid[grid.notna()]
    key = _period_key(u.index, freq)
    ok = u.notna().to_numpy()
    totals = u[ok].groupby(key[ok]).sum().reindex(grid)
    count = u[ok].groupby(key[ok]).size().reindex(grid, fill_value=0)
    ends = _next(grid, freq)
    expected = np.rint((ends - grid) / step).astype(int)
    complete = (count.to_numpy() >= expected) & (grid >= start) & (ends <= end)
    dropped = grid[~complete]
    name = {"hourly": "hours", "daily": "days", "monthly": "months"}[freq]
    # "incomplete" names at most the first MAX_LISTED periods; "incomplete_count" is always the full count
    info.update({"periods": int(len(grid)), f"complete_{name}": int(complete.sum()),
                 f"incomplete_{name}": int((~complete).sum()), "incomplete_count": int((~complete).sum()),
                 "incomplete": [_period_label(t, freq) for t in dropped[:MAX_LISTED]]})
    if step >= target * 0.95:  # already at the model's resolution: nothing summed
        info["summed"] = False
    else:
        info["summed"] = True
    out = totals[complete]
    return out, pd.Series(ends[complete], index=out.index), info


@dataclass
class BaselineFit:
    """A calibrated baseline: the model, its metrics, the G14 verdict and the data checks."""

    freq: str
    model: object
    metrics: dict
    judged_at: str
    passes_g14: bool
    sufficiency: dict
    baseline: tuple
    # residuals (observed − predicted) and mean observation at the model's own resolution (savings uncertainty)
    residuals: np.ndarray | None = field(default=None, repr=False)
    mean_observed: float = float("nan")

    def summary(self) -> dict:
        params = self.model.params() if isinstance(self.model, ChangePointModel) else \
            {"hour_of_week_and_temperature_coefficients": len(self.model.coef)}
        return {"freq": self.freq, **{k: self.metrics[k] for k in ("cvrmse", "nmbe", "r2")},
                "judged_at": self.judged_at, "passes_g14": self.passes_g14, "params": params,
                "sufficiency": self.sufficiency, "baseline": [str(x) for x in self.baseline]}


def _billing_prediction(model, dd: DegreeDays, starts, ends) -> np.ndarray:
    """Predicted use of each period [start, end) (sum of the daily model over its local days)."""
    return np.array([np.nansum(predict_daily(model, dd, pd.date_range(s.normalize(), e.normalize(), freq="D",
                                                                      inclusive="left")))
                     for s, e in zip(starts, ends)])


def fit_baseline(usage: pd.Series, temp_c: pd.Series, start=None, end=None, *, freq: str = "daily",
                 label: str = "meter", min_days: int = 365, degree_days: DegreeDays | None = None,
                 min_coverage: float = 0.9) -> BaselineFit:
    """Fit a baseline model on ``[start, end)``.

    ``usage``: meter readings at any cadence up to the model's (hourly, daily, …) or monthly
    bills (index = period starts, the last period ending at ``end``); finer readings are summed
    by :func:`resample_usage` into the periods of ``freq`` (``daily``: local days, ``monthly``:
    calendar months, ``hourly``: hours), incomplete periods dropped and said in
    ``sufficiency``. ``temp_c``: hourly temperatures (°C), in the meter's time zone.
    ``degree_days``: a :class:`DegreeDays` table of ``temp_c`` to reuse across meters.
    """
    if freq == "billing":
        freq = "monthly"
    if freq not in FREQS:
        raise ValueError(f"freq {freq!r}: expected daily, hourly or monthly")
    start = _as_tz(start if start is not None else usage.index.min(), usage.index.tz)
    end = _as_tz(end if end is not None else usage.index.max() + pd.Timedelta(days=1), usage.index.tz)
    tz = usage.index.tz
    if (usage[(usage.index >= start) & (usage.index < end)] < 0).any():
        bad = usage[(usage.index >= start) & (usage.index < end) & (usage < 0)]
        raise MeterDataError(f"{label}: {len(bad)} negative reading(s), first at {bad.index[0]} ({bad.iloc[0]:g})")
    temp_c = temp_c.tz_convert(tz) if tz is not None and temp_c.index.tz is not None else temp_c
    t_daily = daily_mean_temperature(temp_c)
    u, ends, rinfo = resample_usage(usage, freq, start, end, label=label)
    if freq == "hourly":
        t_h = temp_c.reindex(u.index)
        if t_h.isna().mean() > 0.1:
            raise MeterDataError(f"{label}: the temperature series does not cover the meter's hours")
        ok = u.notna() & t_h.notna()
        hours = rinfo.get("periods", len(u))
        suff = {**rinfo, "hours": int(hours), "coverage": float(ok.sum() / hours) if hours else 0.0}
        if suff["coverage"] < min_coverage:
            raise MeterDataError(f"{label}: only {suff['coverage']:.0%} of the hours of {start} … {end} have both a "
                                 f"complete reading and a temperature (at least {min_coverage:.0%} needed)")
        model = fit_hourly(u[ok], t_h[ok])
        pred = pd.Series(model.predict(u[ok].index, t_h[ok].to_numpy()), index=u[ok].index)
        metrics = fit_metrics(u[ok], pred, model.n_params)
        return BaselineFit("hourly", model, metrics, "hourly", passes_g14(metrics, "hourly"), suff, (start, end),
                           (u[ok] - pred).to_numpy(), float(u[ok].mean()))
    if freq == "daily":
        suff = check_sufficiency(u, t_daily, start.normalize(), end.normalize(), min_days=min_days,
                                 min_coverage=min_coverage, label=label)
        suff.update(rinfo)
        dd = degree_days or DegreeDays(temp_c)
        t = t_daily.reindex(u.index)
        ok = u.notna() & t.notna()
        model = fit_daily(u[ok], dd)
        pred = pd.Series(predict_daily(model, dd, u[ok].index), index=u[ok].index)
        obs_m = u[ok].resample("MS").sum()
        pred_m = pred.resample("MS").sum()
        metrics = fit_metrics(obs_m, pred_m, model.n_params)
        metrics["daily"] = fit_metrics(u[ok], pred, model.n_params)
        return BaselineFit("daily", model, metrics, "monthly", passes_g14(metrics, "monthly"), suff, (start, end),
                           (u[ok] - pred).to_numpy(), float(u[ok].mean()))
    # monthly: bills, or readings summed into calendar months
    starts = u.index
    if t_daily.index.min() > starts[0] + pd.Timedelta(days=3) or t_daily.index.max() < ends.iloc[-1] - pd.Timedelta(days=3):
        raise MeterDataError(f"{label}: the temperature series ({temp_c.index.min()} … {temp_c.index.max()}) does not "
                             f"cover the periods {starts[0]} … {ends.iloc[-1]}")
    days = np.array([(e - s) / pd.Timedelta(days=1) for s, e in zip(starts, ends)], float)
    if "bills" not in rinfo:
        # Share of the baseline's days inside complete months: months cut by the baseline's edges count
        # for their days outside it only, a month with missing readings for all its days.
        coverage = float(days.sum() / ((end - start) / pd.Timedelta(days=1)))
        rinfo["coverage"] = coverage
        if coverage < min_coverage or len(u) < 3:
            raise MeterDataError(f"{label}: the complete calendar months ({rinfo['complete_months']}) cover only "
                                 f"{coverage:.0%} of {start.date()} … {end.date()} (at least {min_coverage:.0%} "
                                 f"needed; months with missing readings: {', '.join(rinfo['incomplete'])})")
    dd = degree_days or DegreeDays(temp_c)
    model = fit_billing(u.to_numpy(), np.rint(days), dd, starts, ends)
    pred = _billing_prediction(model, dd, starts, ends)
    metrics = fit_metrics(u.to_numpy(), pred, model.n_params)
    suff = {**rinfo, "fitted_periods": int(len(u)), "short_baseline": float(days.sum()) < min_days - 1}
    return BaselineFit("monthly" if "bills" not in rinfo else "billing", model, metrics, "monthly",
                       passes_g14(metrics, "monthly"), suff, (start, end), u.to_numpy() - pred, float(u.mean()))


@dataclass
class Savings:
    """Avoided energy over a reporting period (IPMVP option C) and its uncertainty."""

    counterfactual: float
    metered: float
    savings: float
    savings_fraction: float
    uncertainty: float  # absolute, same unit as savings, at the confidence level
    fractional_uncertainty: float  # uncertainty / savings
    confidence: float
    baseline_passes_g14: bool
    # what the reporting totals cover: share of the reporting period in the periods summed (days of the
    # periods kept / days of [start, end); bills kept / bills), and the periods left out of both the
    # counterfactual and the metered total, by reason (counts, and at most MAX_LISTED names each)
    coverage: float = float("nan")
    periods_used: int = 0
    dropped_incomplete_count: int = 0
    dropped_no_temperature_count: int = 0
    dropped_periods: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def measure_savings(fit: BaselineFit, usage: pd.Series, temp_c: pd.Series, start, end, *,
                    confidence: float = 0.9, degree_days: DegreeDays | None = None, label: str = "meter",
                    min_coverage: float = 0.9) -> Savings:
    """Savings over ``[start, end)`` against a baseline ``fit`` (and G14's uncertainty), at the fit's resolution.

    The reporting readings are summed into the fit's periods by :func:`resample_usage` (the
    same rule as for the baseline: incomplete periods are left out of both the counterfactual
    and the metered total), and periods without temperature are left out too. Both are counted
    and named in the result (``dropped_*``, ``dropped_periods``) with the share of the reporting
    period still covered (``coverage``); under ``min_coverage`` (90 %, as for the baseline) the
    savings are refused with :class:`MeterDataError`. The uncertainty uses the baseline residuals
    at that resolution.
    """
    b0, b1 = fit.baseline
    tz = usage.index.tz
    start, end = _as_tz(start, tz), _as_tz(end, tz)
    if start < b1 and end > b0:
        raise MeterDataError(f"the reporting period {start.date()} … {end.date()} overlaps the baseline "
                             f"{b0.date()} … {b1.date()}")
    temp_c = temp_c.tz_convert(tz) if tz is not None and temp_c.index.tz is not None else temp_c
    freq = {"billing": "monthly"}.get(fit.freq, fit.freq)
    u, ends, rinfo = resample_usage(usage, freq, start, end, label=label)
    if freq == "hourly":
        t_h = temp_c.reindex(u.index).to_numpy()
        p_all = np.where(np.isfinite(t_h), fit.model.predict(u.index, np.nan_to_num(t_h)), np.nan)
    else:
        dd = degree_days or DegreeDays(temp_c)
        if freq == "daily":
            p_all = predict_daily(fit.model, dd, u.index)
        else:
            rows = [dd.rows(pd.date_range(s.normalize(), e.normalize(), freq="D", inclusive="left"))
                    for s, e in zip(u.index, ends)]
            p_all = np.where([(r >= 0).all() for r in rows], _billing_prediction(fit.model, dd, u.index, ends), np.nan)
    ok = u.notna().to_numpy() & np.isfinite(p_all)
    no_temp = u.index[~ok]
    n_incomplete = int(rinfo.get("incomplete_count", 0))
    dropped = list(rinfo.get("incomplete", [])) + [f"{_period_label(t, freq)} (no temperature)"
                                                   for t in no_temp[:MAX_LISTED]]
    if "bills" in rinfo:
        coverage = float(ok.sum() / len(u)) if len(u) else 0.0
    else:
        days = np.array([(e - s) / pd.Timedelta(days=1) for s, e in zip(u.index[ok], ends[ok])], float)
        coverage = float(days.sum() / ((end - start) / pd.Timedelta(days=1)))
    if len(p_all) == 0 or not ok.any() or coverage < min_coverage:
        raise MeterDataError(
            f"{label}: the reporting period {start.date()} … {end.date()} is only {coverage:.0%} covered by "
            f"periods with all their readings and a temperature (at least {min_coverage:.0%} needed): "
            f"{n_incomplete} period(s) with missing readings, {len(no_temp)} without temperature"
            + (f"; first left out: {', '.join(dropped[:12])}" if dropped else ""))
    pred = p_all[ok]
    counterfactual, metered = float(pred.sum()), float(u[ok].sum())
    saved = counterfactual - metered
    # ASHRAE G14 Annex B, with the baseline residuals at the model's resolution.
    resid = np.asarray(fit.residuals, float)
    n, m, p = len(resid), int(ok.sum()), fit.model.n_params
    ebar = fit.mean_observed
    cv = np.sqrt((resid ** 2).sum() / max(n - p, 1)) / ebar
    rho = float(np.corrcoef(resid[:-1], resid[1:])[0, 1]) if n > 2 else 0.0
    n_eff = n * (1 - rho) / (1 + rho) if rho < 1 else 1.0
    tval = stats.t.ppf(0.5 + confidence / 2, max(n - p, 1))
    unc = float(tval * 1.26 * cv * ebar * np.sqrt(n / n_eff * (1 + 2 / n) * m))
    return Savings(counterfactual, metered, saved, saved / counterfactual if counterfactual else float("nan"),
                   unc, unc / abs(saved) if saved else float("inf"), confidence, fit.passes_g14,
                   coverage=coverage, periods_used=int(ok.sum()), dropped_incomplete_count=n_incomplete,
                   dropped_no_temperature_count=int(len(no_temp)), dropped_periods=dropped)


def parse_period(text: str | None, what: str) -> tuple[str, str]:
    """``START:END`` (e.g. ``2016-01-01:2017-01-01``) → ``(START, END)``; ``what`` names the option in the error."""
    from twin.timeutil import is_iso_date_text  # noqa: PLC0415

    start, sep, end = (text or "").partition(":")
    # dates written year first: « 03/04/2016 » is refused, not read as 4 March
    if not sep or not start or not end or not (is_iso_date_text(start) and is_iso_date_text(end)):
        raise MeterDataError(f"--{what} must be START:END, dates written YYYY-MM-DD (e.g. 2016-01-01:2017-01-01), "
                             f"got {text!r}")
    return start, end
