"""Updating a rainfall–runoff forecast on the discharge observed at its issue time.

A model run on rain alone drifts from the river (rain-gauge errors, a store level off, a flood
the model under-shoots). Operational forecasting corrects it at each issue time with the last
discharge observed at the gauge. Two ways, both written from the literature:

* **Output-error correction** (``output``): the model's error e = Qobs − Qsim is autocorrelated,
  and so is the river's trend. The error at lead *k* is predicted from two things known at the
  issue time t: the model's error then, e(t), and the last observed change, ΔQ(t) = Qobs(t) − Qobs(t−1):
  ê(t+k) = a_k·e(t) + b_k·ΔQ(t), so Qfc(t+k) = Qsim(t+k) + ê(t+k) (kept ≥ 0). The coefficients are
  fitted by least squares, lead by lead, on forecasts issued at every step of a calibration period
  with the same kind of rain over the horizon (a direct multi-step ARX model of the output error:
  Refsgaard, J. C. 1997, Validation and intercomparison of different updating procedures for
  real-time forecasting, Nordic Hydrology 28, 65–84, "error prediction"; Broersen, P. M. T. &
  Weerts, A. H. 2005, Automatic error correction of rainfall-runoff models in flood forecasting
  systems, IEEE IMTC, 963–968). Fitted in discharge, not in its log, because the floods are what
  the forecast is for (a least-squares fit in discharge is the one that maximises NSE).

* **State update of the routing store** (``state``): the level R of GR4's routing store is set so
  that the model's discharge at the issue time equals the observed one, as the GRP forecasting model
  of the French flood-forecasting services does (Tangara, M. 2005, PhD thesis, EPHE/Cemagref;
  Berthet et al. 2009, section 2.3). GR4's discharge is Q = Qr(R) + Qd with
  Qr(R) = R·(1 − (1 + (R/X3)⁴)^(−1/4)) (Perrin et al. 2003, eq. A18) and Qd the direct branch; R is
  found by inverting Qr, which increases monotonically, so the update is exact whenever
  Qobs ≥ Qd (below that, the store is emptied).

Both leave a perfect model unchanged (its error is zero, its store already gives the observed
discharge). All discharges are depths per step (mm).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.models.hydrology import GR4Params, GR4States

UPDATES = ("none", "output", "state")


@dataclass(frozen=True)
class OutputErrorModel:
    """Per-lead linear model of the output error (see the module): ``coefficients`` (lead, 2) multiply the
    error at the issue time and the last observed change (both mm/step); ``pairs`` the fitted cases."""

    coefficients: np.ndarray
    pairs: int

    @property
    def horizon(self) -> int:
        return self.coefficients.shape[0]

    def correct(self, forecast_mm, error_now, change_now) -> np.ndarray:
        """Corrected forecasts: ``forecast_mm`` (issue, member, lead) discharge (mm/step) plus the predicted
        error of each lead, the same for every member; a missing error or change counts as 0."""
        fc = np.asarray(forecast_mm, float)
        if fc.shape[-1] > self.horizon:
            raise ValueError(f"the output-error model was fitted up to lead {self.horizon}, not {fc.shape[-1]}")
        x = np.nan_to_num(np.c_[np.asarray(error_now, float), np.asarray(change_now, float)])
        shift = x @ self.coefficients[: fc.shape[-1]].T  # (issue, lead)
        return np.maximum(fc + shift[:, None, :], 0.0)


def fit_output_error(error_ahead, error_now, change_now, *, min_pairs: int = 100) -> OutputErrorModel:
    """Least-squares fit, lead by lead, of ``error_ahead`` (issue, lead; Qobs − Qfc of forecasts without
    update, NaN where not observed) on the error at each issue time and the last observed change (issue,)."""
    E = np.asarray(error_ahead, float)
    X = np.c_[np.asarray(error_now, float), np.asarray(change_now, float)]
    if E.ndim != 2 or X.shape[0] != E.shape[0]:
        raise ValueError(f"errors ahead must be (issue, lead) for {X.shape[0]} issue times; got {E.shape}")
    coefs, fewest = np.zeros((E.shape[1], 2)), len(E)
    for k in range(E.shape[1]):
        ok = np.isfinite(E[:, k]) & np.isfinite(X).all(axis=1)
        fewest = min(fewest, int(ok.sum()))
        if ok.sum() < min_pairs:
            raise ValueError(f"the output-error model needs at least {min_pairs} forecasts with an observation at "
                             f"lead {k + 1}; {int(ok.sum())} were found")
        coefs[k] = np.linalg.lstsq(X[ok], E[ok, k], rcond=None)[0]
    return OutputErrorModel(coefs, fewest)


def routing_outflow(routing_mm, x3_mm: float) -> np.ndarray:
    """Qr = R·(1 − (1 + (R/X3)⁴)^(−1/4)): the outflow of GR4's routing store at level R (mm), Perrin et al.
    (2003) eq. A18."""
    r = np.asarray(routing_mm, float)
    return r * (1.0 - (1.0 + (r / x3_mm) ** 4) ** -0.25)


def routing_level_for_outflow(outflow_mm, x3_mm: float, *, iterations: int = 200) -> np.ndarray:
    """The level R (mm) whose routing outflow is ``outflow_mm``: the inverse of :func:`routing_outflow`,
    by bisection (Qr increases with R; Qr(R) > R − X3, so R ≤ Qr + X3)."""
    q = np.maximum(np.asarray(outflow_mm, float), 0.0)
    lo = np.zeros_like(q)
    hi = q + x3_mm + 1.0
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        too_high = routing_outflow(mid, x3_mm) > q
        hi = np.where(too_high, mid, hi)
        lo = np.where(too_high, lo, mid)
        if np.all(hi - lo <= 1e-12 * np.maximum(hi, 1.0)):
            break
    return 0.5 * (lo + hi)


def update_routing_store(states: GR4States, observed_mm, params: GR4Params) -> GR4States:
    """States whose routing store gives the observed discharge at the end of their step (GRP's update).

    For each state (taken at the end of a step, :func:`twin.models.hydrology.gr4_states`), the routing
    outflow of that step must be Qobs − Qd; the level before the outflow, R′, solves Qr(R′) = Qobs − Qd
    and the level kept is R′ − Qr(R′). A missing observation leaves its state as it was.
    """
    q = np.asarray(observed_mm, float)
    if q.shape != states.routing_mm.shape:
        raise ValueError(f"one observation per state expected: {q.shape} vs {states.routing_mm.shape}")
    target = np.maximum(np.nan_to_num(q, nan=0.0) - states.direct_mm, 0.0)
    before = routing_level_for_outflow(target, params.x3)
    updated = before - routing_outflow(before, params.x3)
    return states.replace_routing(np.where(np.isfinite(q), updated, states.routing_mm))


QUANTILE_GRID = np.linspace(0.0, 1.0, 101)


@dataclass(frozen=True)
class ErrorDressing:
    """What updated forecasts still get wrong, lead by lead, as empirical distributions of the ratio
    (Qobs + ε) / (Qfc + ε) in classes of the forecast discharge: the hydrological uncertainty that a rain
    ensemble does not carry, added by "dressing" each member (Bourgin, F. et al. 2014, Investigating the
    interactions between data assimilation and post-processing in hydrological ensemble forecasting,
    J. Hydrol. 519, 2775–2784: relative errors by flow class and lead time, from a calibration period).

    ``edges`` (lead, classes − 1): class bounds on the forecast (mm/step); ``ratios`` (lead, classes, 101):
    the ratio's quantiles at :data:`QUANTILE_GRID`; ``eps_mm`` keeps the ratio finite at low flows."""

    edges: np.ndarray
    ratios: np.ndarray
    eps_mm: float

    def dress(self, forecast_mm, levels) -> np.ndarray:
        """Dressed members: each of ``forecast_mm`` (issue, member, lead) multiplied by the ratio's quantile at
        its ``levels`` (issue, dressed) in (0, 1), for the class of its forecast; a forecast with one member
        gives one dressed member per level, an ensemble one per member (``levels`` then one per member)."""
        fc = np.asarray(forecast_mm, float)
        levels = np.asarray(levels, float)
        n, m, H = fc.shape
        if m > 1 and levels.shape != (n, m):
            raise ValueError(f"an ensemble of {m} members is dressed one level per member; got levels {levels.shape}")
        base = np.repeat(fc, levels.shape[1], axis=1) if m == 1 else fc
        pos = np.clip(levels, 0.0, 1.0) * (len(QUANTILE_GRID) - 1)
        lo = np.minimum(np.floor(pos).astype(int), len(QUANTILE_GRID) - 2)
        w = pos - lo
        out = np.empty_like(base)
        for k in range(H):
            cls = np.searchsorted(self.edges[k], base[:, :, k])
            ratio = self.ratios[k][cls, lo] * (1 - w) + self.ratios[k][cls, lo + 1] * w
            out[:, :, k] = np.maximum((base[:, :, k] + self.eps_mm) * ratio - self.eps_mm, 0.0)
        return out


def fit_error_dressing(forecast_mm, observed_mm, *, classes: int = 10, min_per_class: int = 50,
                       eps_mm: float | None = None) -> ErrorDressing:
    """Empirical error distributions of point forecasts (issue, lead) against what was observed (issue, lead;
    NaN: not observed), per lead and per class of forecast (equal-count classes; fewer when the period is
    short, at least ``min_per_class`` cases each). ``eps_mm``: default mean(Qobs)/100."""
    fc = np.asarray(forecast_mm, float)
    obs = np.asarray(observed_mm, float)
    if fc.shape != obs.shape or fc.ndim != 2:
        raise ValueError(f"forecasts and observations must both be (issue, lead); got {fc.shape}, {obs.shape}")
    eps = float(np.nanmean(obs)) / 100.0 if eps_mm is None else float(eps_mm)
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError("error dressing needs observed discharges with a positive mean")
    H = fc.shape[1]
    ok_all = np.isfinite(fc) & np.isfinite(obs)
    n_classes = max(1, min(classes, int(ok_all.sum(axis=0).min()) // min_per_class))
    if n_classes < 1 or ok_all.sum(axis=0).min() < min_per_class:
        raise ValueError(f"error dressing needs at least {min_per_class} observed forecasts per lead")
    edges = np.empty((H, n_classes - 1))
    ratios = np.empty((H, n_classes, len(QUANTILE_GRID)))
    for k in range(H):
        ok = ok_all[:, k]
        f, o = fc[ok, k], obs[ok, k]
        edges[k] = np.quantile(f, np.arange(1, n_classes) / n_classes)
        cls = np.searchsorted(edges[k], f)
        r = (o + eps) / (f + eps)
        for c in range(n_classes):
            inside = r[cls == c]
            ratios[k, c] = np.quantile(inside if len(inside) else r, QUANTILE_GRID)
    return ErrorDressing(edges, ratios, eps)
