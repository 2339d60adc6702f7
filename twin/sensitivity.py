"""Which uncertain input drives a scenario's KPIs: Sobol' and Morris sensitivity with SALib.

* Morris elementary effects (Morris 1991, Technometrics 33(2); μ* of Campolongo et al. 2007):
  cheap screening, r trajectories of (k + 1) runs.
* Sobol' indices (Saltelli et al. 2010, Comput. Phys. Commun. 181(2)): first-order S1 and total
  ST, N (2k + 2) runs with Saltelli's sampling.

Inputs are scenario parameters with ranges ``{"price_eur_per_kwh": [0.15, 0.30], …}``; every
sample is one run of the scenario (its baseline and variants); the indices are computed for
each (variant, KPI). :func:`ranked_chart` draws the ranking as a bar chart (PNG).

The design is checked before any run (:func:`check_design`): inputs are numeric parameters of the
family with ranges ``[low, high]`` of finite numbers inside the parameters' bounds, and the number
of runs — ``n (k + 1)`` for Morris, ``n (k + 2)`` for Sobol' — is at most :data:`MAX_RUNS`.
"""

from __future__ import annotations

from pathlib import Path

import math

import numpy as np
import pandas as pd
import param
from tqdm import tqdm

from twin.errors import TwinError

MAX_RUNS = 10_000
"""Most scenario runs of one study (a run is seconds: 10,000 is already hours on a laptop)."""


class SensitivityError(TwinError, ValueError):
    """A sensitivity study that cannot run; the message says why."""


def _number(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool) and math.isfinite(x)


def _problem(inputs: dict) -> dict:
    if not isinstance(inputs, dict) or not inputs:
        raise SensitivityError("give at least one uncertain input with its range, e.g. "
                               "{\"price_eur_per_kwh\": [0.15, 0.30]}")
    bounds = []
    for name, rng in inputs.items():
        if not (isinstance(rng, (list, tuple)) and len(rng) == 2 and all(map(_number, rng)) and rng[0] < rng[1]):
            raise SensitivityError(f"input {str(name)[:40]!r}: range must be [low, high], two finite numbers with "
                                   f"low < high (got {str(rng)[:60]})")
        bounds.append([float(rng[0]), float(rng[1])])
    return {"num_vars": len(inputs), "names": list(inputs), "bounds": bounds}


def sample(inputs: dict, method: str, n: int, seed: int = 0) -> np.ndarray:
    """The input samples (rows) of a Morris (``n`` trajectories) or Sobol' (``n`` base samples) design."""
    problem = _problem(inputs)
    if method == "morris":
        from SALib.sample import morris  # noqa: PLC0415

        return morris.sample(problem, n, num_levels=4, seed=seed)
    if method == "sobol":
        from SALib.sample import sobol  # noqa: PLC0415

        return sobol.sample(problem, n, calc_second_order=False, seed=seed)
    raise SensitivityError(f"method {method!r}: expected 'sobol' or 'morris'")


def analyse(inputs: dict, method: str, X: np.ndarray, Y: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """Indices of one output vector ``Y`` (one value per sample row of ``X``), one row per input."""
    problem = _problem(inputs)
    if method == "morris":
        from SALib.analyze import morris  # noqa: PLC0415

        r = morris.analyze(problem, X, Y, num_levels=4, seed=seed)
        return pd.DataFrame({"input": problem["names"], "mu_star": r["mu_star"], "sigma": r["sigma"],
                             "mu_star_conf": r["mu_star_conf"]}).sort_values("mu_star", ascending=False)
    from SALib.analyze import sobol  # noqa: PLC0415

    r = sobol.analyze(problem, Y, calc_second_order=False, seed=seed)
    return pd.DataFrame({"input": problem["names"], "S1": r["S1"], "S1_conf": r["S1_conf"], "ST": r["ST"],
                         "ST_conf": r["ST_conf"]}).sort_values("ST", ascending=False)


def check_design(spec: dict, inputs: dict, *, method: str = "morris", n: int = 10, base_dir=None):
    """The scenario class of a study, after checking it can run: a known family, numeric inputs with ranges
    inside their parameters' bounds (the scenario is built at both ends), ``n`` and the run budget."""
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    if not isinstance(spec, dict):
        raise SensitivityError("a scenario is a JSON object {\"family\": …}")
    family = spec.get("family")
    cls = SCENARIOS.get(family) if isinstance(family, str) else None
    if cls is None:
        raise SensitivityError(f"unknown scenario family {str(family)[:60]!r} (known: {sorted(SCENARIOS)})")
    if method not in ("morris", "sobol"):
        raise SensitivityError(f"method {str(method)[:20]!r}: expected 'sobol' or 'morris'")
    problem = _problem(inputs)
    unknown = sorted(str(k)[:40] for k in set(inputs) - set(cls.param))
    if unknown:
        raise SensitivityError(f"{family}: unknown input(s) {unknown}")
    not_numeric = [k for k in inputs if not isinstance(cls.param[k], param.Number)]
    if not_numeric:
        raise SensitivityError(f"{family}: input(s) {not_numeric} are not numbers (only numeric parameters vary)")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise SensitivityError(f"samples must be a whole number ≥ 1 (got {str(n)[:20]})")
    runs = n * (problem["num_vars"] + (1 if method == "morris" else 2))
    if runs > MAX_RUNS:
        raise SensitivityError(f"{method} with {n} samples and {problem['num_vars']} inputs is {runs:,} scenario runs, "
                               f"more than the {MAX_RUNS:,} a study may make; fewer samples or inputs")
    for end in (0, 1):
        cls.from_dict({**spec, **{k: _cast(cls, k, r[end]) for k, r in inputs.items()}},
                      origin=f"sensitivity ({'low' if end == 0 else 'high'} end of the ranges)", base_dir=base_dir)
    return cls


def _cast(cls, name: str, v):
    """A sampled value as its parameter takes it (whole numbers truncated, as the design's rows are)."""
    default = cls.param[name].default
    return type(default)(v) if isinstance(default, int) and not isinstance(default, bool) else float(v)


def scenario_sensitivity(spec: dict, territory, inputs: dict, *, method: str = "morris", n: int = 10,
                         seed: int = 0, progress: bool = True, base_dir=None) -> pd.DataFrame:
    """Run a scenario (a scenario-file dict) over the design and return indices per (variant, KPI, input).

    ``base_dir``: the scenario file's directory, where the files it names are read."""
    cls = check_design(spec, inputs, method=method, n=n, base_dir=base_dir)
    X = sample(inputs, method, n, seed)
    outcomes = []
    for row in tqdm(X, desc=f"{method} runs", disable=not progress):
        params = {**spec, **{k: _cast(cls, k, v) for k, v in zip(inputs, row)}}
        outcomes.append(cls.from_dict(params, origin="sensitivity", base_dir=base_dir).run(territory).data["value"])
    values = np.stack([o.values for o in outcomes])  # (sample, variant, kpi)
    first = outcomes[0]
    rows = []
    for vi, variant in enumerate(first["variant"].values):
        for ki, kpi in enumerate(first["kpi"].values):
            Y = values[:, vi, ki]
            if not np.isfinite(Y).all() or np.ptp(Y) == 0:
                continue
            res = analyse(inputs, method, X, Y, seed)
            rows.append(res.assign(variant=str(variant), kpi=str(kpi)))
    if not rows:
        raise SensitivityError("no KPI varies with these inputs")
    return pd.concat(rows, ignore_index=True)


def ranked_chart(indices: pd.DataFrame, variant: str, kpi: str, path: str | Path) -> Path:
    """A horizontal bar chart of the inputs ranked by their effect on one KPI (PNG)."""
    # a Figure of its own, not pyplot's: switching the backend to Agg left a notebook without its figures
    from matplotlib.figure import Figure  # noqa: PLC0415

    part = indices[(indices["variant"] == variant) & (indices["kpi"] == kpi)]
    if part.empty:
        raise SensitivityError(f"no indices for {variant!r} / {kpi!r}")
    col = "ST" if "ST" in part else "mu_star"
    part = part.sort_values(col)
    fig = Figure(figsize=(6, 0.5 + 0.4 * len(part)))
    ax = fig.subplots()
    ax.barh(part["input"], part[col], color="#2b6ca3")
    ax.set_xlabel({"ST": "total Sobol' index", "mu_star": "Morris μ*"}[col])
    ax.set_title(f"{kpi} — {variant}")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    return path
