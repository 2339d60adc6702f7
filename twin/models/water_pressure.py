"""Pressure and what it costs: leakage by FAVAD, bursts by the pressure:burst-frequency relation.

**Leakage** (FAVAD, May 1994, *Leakage reduction software using pressure dependent leakage*; Lambert,
*What do we know about pressure:leakage relationships in distribution systems?*, IWA Conf. System
Approach to Leakage Control, Brno, 2001): a leak's flow varies with pressure as L1/L0 = (P1/P0)^N1,
N1 ≈ 0.5 for fixed-area holes in rigid (metal) pipes, up to 1.5 for holes that open in flexible
(plastic) ones, 1.15 for large systems of mixed materials.

**Bursts** (Thornton & Lambert, *Progress in practical prediction of pressure: leakage, pressure: burst
frequency and pressure: consumption relationships*, IWA Leakage 2005): new bursts per year vary with
the *maximum* pressure as BF1/BF0 = (P1max/P0max)^N2; N2 ranged 0.5–6.5 in their cases, ≈ 3 typical.

Pure functions on pressures over (time, node) [m]; leakage in m³/s like EPANET's flows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

N1_BY_MATERIAL = {"rigid": 0.5, "mixed": 1.15, "plastic": 1.5}
"""FAVAD exponents (Lambert 2001): metal and other rigid pipes, mixed systems, flexible plastic."""


def node_weights(links: list[tuple[str, str, str, float]]) -> pd.Series:
    """Half of each pipe's length [m] given to each of its end nodes: where background leakage sits."""
    weights: dict[str, float] = {}
    for _, a, b, length in links:
        weights[a] = weights.get(a, 0.0) + length / 2
        weights[b] = weights.get(b, 0.0) + length / 2
    return pd.Series(weights, dtype=float)


def leakage_coefficients(base_pressure: pd.DataFrame, node_leak_m3_s: pd.Series, n1: pd.Series) -> pd.Series:
    """k_i such that k_i·P_i^N1 averages the node's leakage ``node_leak_m3_s`` over the baseline's times."""
    p = base_pressure.clip(lower=0.0)
    mean_pn = (p ** n1.reindex(p.columns).to_numpy()).mean()
    return (node_leak_m3_s.reindex(p.columns).fillna(0.0) / mean_pn.replace(0.0, np.nan)).fillna(0.0)


def leakage(pressure: pd.DataFrame, k: pd.Series, n1: pd.Series) -> pd.DataFrame:
    """Leak flow [m³/s] over (time, node): L = k·P^N1 (no leak at zero or negative pressure)."""
    p = pressure.clip(lower=0.0)
    return p ** n1.reindex(p.columns).to_numpy() * k.reindex(p.columns).to_numpy()


def burst_ratio(base_pressure: pd.DataFrame, new_pressure: pd.DataFrame, weights: pd.Series, n2: float) -> float:
    """New bursts per year with ``new_pressure`` over those with ``base_pressure``: Σ w_i (P1max_i/P0max_i)^N2,
    weights (pipe length around each node) summing to 1; nodes with no positive pressure are left out."""
    p0, p1 = base_pressure.max(), new_pressure.max()
    ok = p0 > 0
    w = weights.reindex(p0.index).fillna(0.0)[ok]
    if w.sum() <= 0:
        return 1.0
    ratio = (p1[ok].clip(lower=0.0) / p0[ok]) ** n2
    return float((ratio * w).sum() / w.sum())
