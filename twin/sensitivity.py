"""Which uncertain input drives a scenario's KPIs: Sobol' and Morris sensitivity with SALib.

* Morris elementary effects (Morris 1991, Technometrics 33(2); μ* of Campolongo et al. 2007):
  cheap screening, r trajectories of (k + 1) runs.
* Sobol' indices (Saltelli et al. 2010, Comput. Phys. Commun. 181(2)): first-order S1 and total
  ST, N (2k + 2) runs with Saltelli's sampling.

Inputs are scenario parameters with ranges ``{"price_eur_per_kwh": [0.15, 0.30], …}``; every
sample is one run of the scenario (its baseline and variants); the indices are computed for
each (variant, KPI). :func:`ranked_chart` draws the ranking as a bar chart (PNG).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm


class SensitivityError(ValueError):
    """A sensitivity study that cannot run; the message says why."""


def _problem(inputs: dict) -> dict:
    if not inputs:
        raise SensitivityError("give at least one uncertain input with its range")
    bounds = []
    for name, rng in inputs.items():
        if len(rng) != 2 or not rng[0] < rng[1]:
            raise SensitivityError(f"input {name!r}: range must be [low, high] with low < high (got {rng})")
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


def scenario_sensitivity(spec: dict, territory, inputs: dict, *, method: str = "morris", n: int = 10,
                         seed: int = 0, progress: bool = True) -> pd.DataFrame:
    """Run a scenario (a scenario-file dict) over the design and return indices per (variant, KPI, input)."""
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    cls = SCENARIOS.get(spec.get("family"))
    if cls is None:
        raise SensitivityError(f"unknown scenario family {spec.get('family')!r}")
    unknown = set(inputs) - set(cls.param)
    if unknown:
        raise SensitivityError(f"{spec['family']}: unknown input(s) {sorted(unknown)}")
    X = sample(inputs, method, n, seed)
    outcomes = []
    for row in tqdm(X, desc=f"{method} runs", disable=not progress):
        params = {**spec, **{k: (type(cls.param[k].default)(v) if isinstance(cls.param[k].default, int)
                                 and not isinstance(cls.param[k].default, bool) else float(v))
                              for k, v in zip(inputs, row)}}
        outcomes.append(cls.from_dict(params, origin="sensitivity").run(territory).data["value"])
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
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    part = indices[(indices["variant"] == variant) & (indices["kpi"] == kpi)]
    if part.empty:
        raise SensitivityError(f"no indices for {variant!r} / {kpi!r}")
    col = "ST" if "ST" in part else "mu_star"
    part = part.sort_values(col)
    fig, ax = plt.subplots(figsize=(6, 0.5 + 0.4 * len(part)))
    ax.barh(part["input"], part[col], color="#2b6ca3")
    ax.set_xlabel({"ST": "total Sobol' index", "mu_star": "Morris μ*"}[col])
    ax.set_title(f"{kpi} — {variant}")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
