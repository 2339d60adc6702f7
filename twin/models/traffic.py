"""Static user-equilibrium traffic assignment with BPR link costs.

* Link cost (BPR, Bureau of Public Roads 1964): t(x) = t0 (1 + B (x / c)^p) plus a fixed
  generalised cost (distance and toll weights); costs, graph, shortest paths and the gap are
  in :mod:`twin.models.traffic_graph`, shared with the path-based :mod:`twin.models.traffic_paths`.
* Beckmann objective (Beckmann, McGuire & Winsten 1956): Σ_a ∫0^x_a t_a(s) ds.
* Algorithm: bi-conjugate Frank–Wolfe (Mitradjieva & Lindberg 2013, Transportation
  Science 47(2), 280–293), with all-or-nothing loads from a binary-heap Dijkstra per origin
  compiled with numba (zones below the first thru node are never routed through) and an exact
  line search by bisection on the directional derivative.
* The relative gap is computed at the final flows: (Σ t(x)·x − Σ demand × shortest cost at
  t(x)) / Σ t(x)·x — the costs of the flows reported, never of the previous iterate.
* Flow conservation is checked at every node (dead ends included).
"""

from __future__ import annotations

import time

import numpy as np

from twin.datatypes import Network
from twin.models.traffic_graph import (
    AssignmentResult, all_or_nothing_by_origin, build_graph, finish, link_cost_derivatives, link_costs, relative_gap,
)
from twin.models.traffic_paths import assign_paths

GAP_BOUNDS = (1e-8, 0.1)
"""The relative gaps a user may ask (the CLI and the roadworks scenario alike): looser than 0.1 is no
equilibrium, tighter than 1e-8 is below what double-precision costs summed over a network can show."""


def _line_search(net, x, d, tol=1e-12):
    """Step τ in [0, 1] where the directional derivative of the Beckmann objective vanishes (bisection)."""
    def slope(tau):
        return float((link_costs(net, x + tau * d) * d).sum())

    if slope(1.0) <= 0:
        return 1.0
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if slope(mid) > 0:
            hi = mid
        else:
            lo = mid
        if hi - lo < tol:
            break
    return 0.5 * (lo + hi)


def assign(net: Network, trips, *, gap: float = 1e-4, max_iter: int = 10000, algorithm: str = "bfw",
           closed: np.ndarray | None = None, start=None, baseline: bool = False,
           reroute: np.ndarray | None = None) -> AssignmentResult:
    """User equilibrium by bi-conjugate (``"bfw"``), conjugate (``"cfw"``) or plain (``"fw"``) Frank–Wolfe,
    or by path-based gradient projection (``"gp"``, :mod:`twin.models.traffic_paths`).

    ``closed``: a boolean mask of the links closed (roadworks), their indices kept in the result (0
    flow). ``start``: a previous gradient-projection result's ``paths`` to start from (``"gp"`` only).
    ``baseline``: the result will be started from (``"gp"``): its trees are kept ready for it. ``reroute``
    (``"gp"`` with ``start``): links left open whose start's paths are dropped and their flow loaded again."""
    if algorithm == "gp":
        return assign_paths(net, trips, gap=gap, max_iter=max_iter, closed=closed, start=start,
                            tree_orders=baseline, reroute=reroute)
    if algorithm not in ("bfw", "cfw", "fw"):
        raise ValueError(f"unknown assignment algorithm {algorithm!r} (bfw, cfw, fw or gp)")
    if start is not None:
        raise ValueError(f"a warm start needs the path-based algorithm (gp), not {algorithm!r}")
    t0 = time.perf_counter()
    g = build_graph(net, trips, closed)
    x, _, unreachable = all_or_nothing_by_origin(g, net, link_costs(net, np.zeros(net.n_links)))
    s_prev = s_prev2 = None
    tau_prev = 1.0
    history = []
    it = 0
    rel_gap = np.inf
    while True:
        rel_gap, y = relative_gap(g, net, x)
        history.append(rel_gap)
        if rel_gap <= gap or it >= max_iter:
            break
        it += 1
        s = y
        if algorithm in ("cfw", "bfw") and s_prev is not None:
            H = link_cost_derivatives(net, x)
            if algorithm == "bfw" and s_prev2 is not None and tau_prev < 1.0:
                # Mitradjieva & Lindberg (2013), eqs. 18–20.
                dx_prev = s_prev - x
                dbar = tau_prev * s_prev - x + (1 - tau_prev) * s_prev2
                denom_mu = float((dbar * H * (s_prev2 - s_prev)).sum())
                mu = -float((dbar * H * (y - x)).sum()) / denom_mu if denom_mu != 0 else 0.0
                denom_nu = float((dx_prev * H * dx_prev).sum())
                nu = -float((dx_prev * H * (y - x)).sum()) / denom_nu + mu * tau_prev / (1 - tau_prev) \
                    if denom_nu != 0 else 0.0
                mu, nu = max(mu, 0.0), max(nu, 0.0)
                b0 = 1.0 / (1.0 + mu + nu)
                s = b0 * y + nu * b0 * s_prev + mu * b0 * s_prev2
            else:
                dx = s_prev - x
                num = float((dx * H * (y - x)).sum())
                den = float((dx * H * (y - s_prev)).sum())
                alpha = min(max(num / den, 0.0), 0.99) if den != 0 else 0.0
                s = alpha * s_prev + (1 - alpha) * y
        d = s - x
        tau = _line_search(net, x, d)
        x = x + tau * d
        s_prev2, s_prev, tau_prev = s_prev, s, tau
    return finish(net, g, x, rel_gap, it, unreachable, t0, history)
