"""Calibrate GR4J / GR4H on observed discharge: global search, then local refinement.

* Parameters are searched in a transformed space (ln X1, asinh X2, ln X3, ln(X4 − 0.5)),
  as the authors' Excel workbook does, so steps are balanced across orders of magnitude.
* Global: ``scipy.optimize.differential_evolution`` (seeded, Sobol' initialisation);
  local: Nelder–Mead from the best point.
* The criterion is computed on the evaluation period only, after a warm-up that starts
  from airGR's default stores (0.3·X1, 0.5·X3); missing observations are left out.
* Split-sample validation (Klemeš 1986): calibrate on one period, report on another.

Scores: NSE, KGE (r, α, β), NSE on ln(Q + ε) and on √Q with ε = mean(Q)/100
(Pushpalatha et al. 2012), RMSE (mm/step).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.optimize import differential_evolution, minimize

from twin.calibration.metrics import kge, nse, rmse
from twin.models.hydrology import GR4Params, gr4
from twin.sources.hydro_csv import HydroDataError, HydroSeries

# GR4J is the daily variant, GR4H the hourly one (percolation 21/4, unit-hydrograph exponent 5/4):
# see twin.models.hydrology.GR4Timestep.
MODELS = {"gr4j": {"timestep": "daily", "bounds": [(10, 3000), (-10, 10), (5, 1000), (0.51, 10)]},
          "gr4h": {"timestep": "hourly", "bounds": [(10, 3000), (-5, 5), (5, 3000), (0.51, 240)]}}


def to_theta(p: GR4Params) -> np.ndarray:
    return np.array([np.log(p.x1), np.arcsinh(p.x2), np.log(p.x3), np.log(p.x4 - 0.5)])


def from_theta(t) -> GR4Params:
    return GR4Params(float(np.exp(t[0])), float(np.sinh(t[1])), float(np.exp(t[2])), float(np.exp(t[3]) + 0.5))


def scores(observed, simulated) -> dict:
    """NSE, KGE and its components, NSE on log and square-root flows, RMSE."""
    o, s = np.asarray(observed, float), np.asarray(simulated, float)
    ok = np.isfinite(o) & np.isfinite(s)
    o, s = o[ok], s[ok]
    eps = o.mean() / 100.0
    k, r, a, b = kge(o, s)
    return {"nse": nse(o, s), "kge": k, "kge_r": r, "kge_alpha": a, "kge_beta": b,
            "nse_log": nse(np.log(o + eps), np.log(s + eps)), "nse_sqrt": nse(np.sqrt(o), np.sqrt(s)),
            "rmse_mm": rmse(o, s), "n": int(ok.sum())}


def simulate(series: HydroSeries, params: GR4Params, model: str, warmup_start, start, end) -> tuple[np.ndarray, np.ndarray]:
    """Run from ``warmup_start`` to ``end``; returns (simulated, evaluation mask) over that window."""
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r} (known: {sorted(MODELS)})")
    run = series.window(warmup_start, end)
    q = gr4(run.P, run.E, params, timestep=MODELS[model]["timestep"])
    return q, np.asarray(run.time >= np.datetime64(start)), run


@dataclass
class CalibrationReport:
    """What was fitted, on which period, how well, and how it validates elsewhere."""

    model: str
    params: dict
    warmup: list
    period: list
    criterion: str
    calibration: dict
    validation: dict | None = None
    validation_period: list | None = None
    seconds: float = 0.0
    evaluations: int = 0
    notes: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def calibrate(series: HydroSeries, model: str, warmup_start, start, end, *, criterion: str = "nse",
              seed: int = 0, maxiter: int = 80, validation: tuple | None = None) -> CalibrationReport:
    """Fit GR4 parameters on ``[start, end]`` after a warm-up from ``warmup_start``.

    ``criterion``: ``"nse"`` or ``"kge"`` (maximised). ``validation``: optional
    ``(warmup_start, start, end)`` of a split-sample check with the fitted parameters.
    """
    if criterion not in ("nse", "kge"):
        raise ValueError(f"criterion {criterion!r}: expected 'nse' or 'kge'")
    t0 = time.perf_counter()
    run = series.window(warmup_start, end)
    ev = np.asarray(run.time >= np.datetime64(start)) & np.isfinite(run.Q)
    if ev.sum() < 30:
        raise HydroDataError(f"{series.source}: only {int(ev.sum())} observed discharges in {start} … {end}")
    obs = run.Q[ev]
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r} (known: {sorted(MODELS)})")
    timestep = MODELS[model]["timestep"]
    var = ((obs - obs.mean()) ** 2).sum()
    count = [0]

    def loss(theta):
        count[0] += 1
        q = gr4(run.P, run.E, from_theta(theta), timestep=timestep)[ev]
        if criterion == "nse":
            return float(((q - obs) ** 2).sum() / var)
        return 1.0 - kge(obs, q)[0]

    bounds = [tuple(to_theta(GR4Params(*lo))) for lo in [tuple(b[0] for b in MODELS[model]["bounds"])]][0]
    upper = to_theta(GR4Params(*(b[1] for b in MODELS[model]["bounds"])))
    tb = list(zip(bounds, upper))
    glob = differential_evolution(loss, tb, seed=seed, maxiter=maxiter, popsize=12, tol=1e-7, polish=False,
                                  init="sobol")
    local = minimize(loss, glob.x, method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-10, "maxiter": 4000})
    best = local.x if local.fun <= glob.fun else glob.x
    params = from_theta(best)
    q, mask, _ = simulate(series, params, model, warmup_start, start, end)
    report = CalibrationReport(model=model, params=asdict(params), warmup=[str(warmup_start), str(start)],
                               period=[str(start), str(end)], criterion=criterion,
                               calibration=scores(run.Q[mask], q[mask]), evaluations=count[0])
    if validation is not None:
        vq, vmask, vrun = simulate(series, params, model, *validation)
        report.validation = scores(vrun.Q[vmask], vq[vmask])
        report.validation_period = [str(validation[1]), str(validation[2])]
    report.seconds = time.perf_counter() - t0
    return report


def fit_rating_curve(stage_m, discharge_m3s):
    """Fit a power-law rating curve Q = a (h − h0)^b on paired gauge readings (WMO-No. 1044).

    Least squares on log Q (relative errors, as gauging errors are) over (ln a, h0, b),
    with h0 kept below the lowest stage. Pairs with a missing or non-positive value are
    left out. Returns ``(RatingCurve, stats)`` with the residual standard error in
    log space and the number of pairs used.
    """
    from scipy.optimize import least_squares  # noqa: PLC0415

    from twin.models.hydrology import RatingCurve  # noqa: PLC0415

    h = np.asarray(stage_m, float)
    q = np.asarray(discharge_m3s, float)
    ok = np.isfinite(h) & np.isfinite(q) & (q > 0)
    h, q = h[ok], q[ok]
    if len(h) < 10:
        raise ValueError(f"rating curve: {len(h)} usable level/discharge pairs, at least 10 are needed")
    hmin = h.min()
    span = max(h.max() - hmin, 1e-3)

    def resid(p):
        ln_a, h0, b = p
        return ln_a + b * np.log(np.clip(h - h0, 1e-9, None)) - np.log(q)

    best = None
    for h0_start in (hmin - 0.05 * span, hmin - 0.3 * span, hmin - span):
        x0 = [np.log(np.median(q)), h0_start, 1.5]
        r = least_squares(resid, x0, bounds=([-50, hmin - 10 * span, 0.3], [50, hmin - 1e-6, 5.0]))
        if best is None or r.cost < best.cost:
            best = r
    ln_a, h0, b = best.x
    dof = max(len(h) - 3, 1)
    return RatingCurve(float(np.exp(ln_a)), float(h0), float(b)), \
        {"pairs": int(len(h)), "log_residual_sd": float(np.sqrt(2 * best.cost / dof))}
