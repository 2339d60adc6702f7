"""What both user-equilibrium algorithms share: BPR link costs, the Beckmann objective, the routing
graph, shortest paths and all-or-nothing loads (numba), the relative gap and the result.

* Link cost (BPR, Bureau of Public Roads 1964): t(x) = t0 (1 + B (x / c)^p) plus a fixed
  generalised cost (distance and toll weights).
* Beckmann objective (Beckmann, McGuire & Winsten 1956): Σ_a ∫0^x_a t_a(s) ds.
* All-or-nothing loads from a binary-heap Dijkstra per origin compiled with numba; zones below
  the first thru node are never routed through.
* The relative gap is computed at the flows given: (Σ t(x)·x − Σ demand × shortest cost at
  t(x)) / Σ t(x)·x — the costs of the flows reported, never of a previous iterate.
* Flow conservation is checked at every node (dead ends included).

The link-based Frank–Wolfe family (:mod:`twin.models.traffic`) and the path-based gradient
projection (:mod:`twin.models.traffic_paths`) both import this module and not each other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from twin.datatypes import Network


def link_costs(net: Network, x: np.ndarray) -> np.ndarray:
    """BPR travel time plus the fixed generalised cost of every link at flows ``x``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(net.power > 0, (x / net.capacity) ** net.power, 1.0)
    return net.fftt * (1.0 + net.b * ratio) + net.fixed_cost


def link_cost_derivatives(net: Network, x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(net.power > 0, net.fftt * net.b * net.power * (x / net.capacity) ** (net.power - 1)
                     / net.capacity, 0.0)
    return np.nan_to_num(d)


def beckmann(net: Network, x: np.ndarray) -> float:
    """Σ_a ∫0^x t_a: the objective the equilibrium minimises (with the fixed costs)."""
    integral = net.fftt * (x + net.b * net.capacity / (net.power + 1) * (x / net.capacity) ** (net.power + 1))
    return float((integral + net.fixed_cost * x).sum())


@dataclass
class Graph:
    """CSR adjacency of the network, and the demand grouped by origin."""

    offsets: np.ndarray
    heads: np.ndarray
    link_ids: np.ndarray
    origins: np.ndarray
    dest_offsets: np.ndarray
    dests: np.ndarray
    demands: np.ndarray
    n_nodes: int
    first_thru: int  # 0-based: nodes below it (other than the origin) are not routed through


def build_graph(net: Network, trips) -> Graph:
    order = np.argsort(net.init, kind="stable")
    offsets = np.zeros(net.n_nodes + 1, np.int64)
    np.add.at(offsets, net.init + 1, 1)
    offsets = np.cumsum(offsets)
    t = trips.sort_values(["origin", "destination"])
    origins, starts = np.unique(t["origin"].to_numpy(), return_index=True)
    dest_offsets = np.r_[starts, len(t)].astype(np.int64)
    return Graph(offsets, net.term[order].astype(np.int64), order.astype(np.int64), origins.astype(np.int64),
                 dest_offsets, t["destination"].to_numpy().astype(np.int64), t["demand"].to_numpy(float),
                 net.n_nodes, max(net.first_thru_node - 1, 0))


@njit(cache=True)
def _dijkstra(origin, offsets, heads, link_ids, cost, n, first_thru, dist, pred, order):  # pragma: no cover
    for i in range(n):
        dist[i] = np.inf
        pred[i] = -1
    heap_d = np.empty(len(heads) + 1)
    heap_v = np.empty(len(heads) + 1, np.int64)
    size = 0
    dist[origin] = 0.0
    heap_d[0] = 0.0
    heap_v[0] = origin
    size = 1
    done = np.zeros(n, np.bool_)
    k = 0
    while size > 0:
        d = heap_d[0]
        v = heap_v[0]
        size -= 1
        # pop: move last to root and sift down
        if size > 0:
            ld, lv = heap_d[size], heap_v[size]
            i = 0
            while True:
                c = 2 * i + 1
                if c >= size:
                    break
                if c + 1 < size and heap_d[c + 1] < heap_d[c]:
                    c += 1
                if heap_d[c] < ld:
                    heap_d[i], heap_v[i] = heap_d[c], heap_v[c]
                    i = c
                else:
                    break
            heap_d[i], heap_v[i] = ld, lv
        if done[v]:
            continue
        done[v] = True
        order[k] = v
        k += 1
        if v < first_thru and v != origin:
            continue  # a zone centroid: traffic ends here, never passes through
        for e in range(offsets[v], offsets[v + 1]):
            w = heads[e]
            nd = d + cost[link_ids[e]]
            if nd < dist[w]:
                dist[w] = nd
                pred[w] = link_ids[e]
                # push
                i = size
                size += 1
                while i > 0:
                    p = (i - 1) // 2
                    if heap_d[p] > nd:
                        heap_d[i], heap_v[i] = heap_d[p], heap_v[p]
                        i = p
                    else:
                        break
                heap_d[i], heap_v[i] = nd, w
    return k


@njit(cache=True, parallel=True)
def _all_or_nothing(offsets, heads, link_ids, init, cost, n, first_thru, origins, dest_offsets, dests, demands,
                    n_links):  # pragma: no cover - numba
    n_orig = origins.shape[0]
    loads = np.zeros((n_orig, n_links))
    sptt = np.zeros(n_orig)
    unreachable = np.zeros(n_orig)
    for o in prange(n_orig):
        dist = np.empty(n)
        pred = np.empty(n, np.int64)
        order = np.empty(n, np.int64)
        k = _dijkstra(origins[o], offsets, heads, link_ids, cost, n, first_thru, dist, pred, order)
        node_flow = np.zeros(n)
        for j in range(dest_offsets[o], dest_offsets[o + 1]):
            dd = dests[j]
            if np.isfinite(dist[dd]):
                node_flow[dd] += demands[j]
                sptt[o] += demands[j] * dist[dd]
            else:
                unreachable[o] += demands[j]
        for idx in range(k - 1, 0, -1):  # from the farthest node back to the origin
            v = order[idx]
            e = pred[v]
            if e >= 0 and node_flow[v] > 0:
                loads[o, e] += node_flow[v]
                node_flow[init[e]] += node_flow[v]
    return loads.sum(axis=0), sptt.sum(), unreachable.sum()


def all_or_nothing(g: Graph, net: Network, cost: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Link loads of the demand on shortest paths at ``cost``; the total shortest-path cost; unroutable demand."""
    return _all_or_nothing(g.offsets, g.heads, g.link_ids, net.init.astype(np.int64), np.ascontiguousarray(cost), g.n_nodes,
                           g.first_thru, g.origins, g.dest_offsets, g.dests, g.demands, net.n_links)


def conservation_error(net: Network, g: Graph, x: np.ndarray) -> float:
    """Largest |inflow − outflow − (productions − attractions)| over all nodes (veh)."""
    balance = np.zeros(net.n_nodes)
    np.add.at(balance, net.term, x)
    np.subtract.at(balance, net.init, x)
    od = np.zeros(net.n_nodes)
    np.add.at(od, g.dests, g.demands)
    np.subtract.at(od, np.repeat(g.origins, np.diff(g.dest_offsets)), g.demands)
    return float(np.abs(balance - od).max())


@dataclass
class AssignmentResult:
    flows: np.ndarray
    costs: np.ndarray
    relative_gap: float
    iterations: int
    objective: float
    tstt: float  # total system travel time, time only (BPR), the TSTT networks publish
    generalised_cost: float  # Σ (time + distance and toll costs) × flow
    max_conservation_error: float
    unreachable_demand: float
    seconds: float
    gap_history: list


def relative_gap(g: Graph, net: Network, x: np.ndarray) -> tuple[float, np.ndarray]:
    """(relative gap at flows ``x``, the all-or-nothing loads at their costs): (TSTT − SPTT) / TSTT."""
    cost = link_costs(net, x)
    y, sptt, _ = all_or_nothing(g, net, cost)
    tstt = float((cost * x).sum())
    return ((tstt - sptt) / tstt if tstt > 0 else 0.0), y


def finish(net: Network, g: Graph, x: np.ndarray, rel_gap: float, iterations: int, unreachable: float,
           t0: float, history: list) -> AssignmentResult:
    """The result at flows ``x``: costs, objective, TSTT, conservation check, time since ``t0``."""
    cost = link_costs(net, x)
    time_only = cost - net.fixed_cost
    return AssignmentResult(x, cost, float(rel_gap), iterations, beckmann(net, x), float((time_only * x).sum()),
                            float((cost * x).sum()), conservation_error(net, g, x), float(unreachable),
                            time.perf_counter() - t0, history)
