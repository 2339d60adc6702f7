"""What both user-equilibrium algorithms share: BPR link costs, the Beckmann objective, the routing
graph, shortest paths and all-or-nothing loads (numba), the relative gap and the result.

* Link cost (BPR, Bureau of Public Roads 1964): t(x) = t0 (1 + B (x / c)^p) plus a fixed
  generalised cost (distance and toll weights).
* Beckmann objective (Beckmann, McGuire & Winsten 1956): Σ_a ∫0^x_a t_a(s) ds.
* All-or-nothing loads from a binary-heap Dijkstra per origin compiled with numba, stopped once the
  origin's destinations are settled, origins spread over the threads; zones below the first thru
  node are never routed through; closed links (roadworks) are left out of the graph, their
  indices kept.
* The relative gap is computed at the flows given: (Σ t(x)·x − Σ demand × shortest cost at
  t(x)) / Σ t(x)·x — the costs of the flows reported, never of a previous iterate.
* Flow conservation is checked at every node (dead ends included).

The link-based Frank–Wolfe family (:mod:`twin.models.traffic`) and the path-based gradient
projection (:mod:`twin.models.traffic_paths`) both import this module and not each other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numba
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
    """CSR adjacency of the open links of the network, and the demand grouped by origin."""

    offsets: np.ndarray
    heads: np.ndarray
    link_ids: np.ndarray  # CSR position → link index
    origins: np.ndarray
    dest_offsets: np.ndarray
    dests: np.ndarray
    demands: np.ndarray
    n_nodes: int
    first_thru: int  # 0-based: nodes below it (other than the origin) are not routed through
    link_pos: np.ndarray  # link index → CSR position, −1 for a closed link

    @property
    def od_origin(self) -> np.ndarray:
        """The origin's position in ``origins`` of every OD pair (the rows of ``dests``)."""
        return np.repeat(np.arange(len(self.origins)), np.diff(self.dest_offsets))


def build_graph(net: Network, trips, closed: np.ndarray | None = None) -> Graph:
    """The routing graph of ``net`` without its ``closed`` links (a boolean mask over the links), and ``trips``."""
    open_links = np.ones(net.n_links, bool) if closed is None else ~np.asarray(closed, bool)
    if len(open_links) != net.n_links:
        raise ValueError(f"closed: {len(open_links)} values for {net.n_links} links")
    ids = np.flatnonzero(open_links)
    order = ids[np.argsort(net.init[ids], kind="stable")]
    offsets = np.zeros(net.n_nodes + 1, np.int64)
    np.add.at(offsets, net.init[order] + 1, 1)
    offsets = np.cumsum(offsets)
    link_pos = np.full(net.n_links, -1, np.int64)
    link_pos[order] = np.arange(len(order))
    t = trips.sort_values(["origin", "destination"])
    origins, starts = np.unique(t["origin"].to_numpy(), return_index=True)
    dest_offsets = np.r_[starts, len(t)].astype(np.int64)
    return Graph(offsets, net.term[order].astype(np.int64), order.astype(np.int64), origins.astype(np.int64),
                 dest_offsets, t["destination"].to_numpy().astype(np.int64), t["demand"].to_numpy(float),
                 net.n_nodes, max(net.first_thru_node - 1, 0), link_pos)


@njit(cache=True)
def _workspace(n, n_arcs):  # pragma: no cover - numba
    """Arrays one shortest-path search reuses from origin to origin (no allocation per origin)."""
    return (np.empty(n), np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n_arcs + 1),
            np.empty(n_arcs + 1, np.int64), np.zeros(n, np.int64))


@njit(cache=True)
def _mark_targets(o, dest_offsets, dests, demands, target, stamp):  # pragma: no cover - numba
    """Mark the destinations of origin ``o`` with a demand (``target[d] = stamp``); how many distinct ones."""
    count = 0
    for j in range(dest_offsets[o], dest_offsets[o + 1]):
        d = dests[j]
        if demands[j] > 0 and target[d] != stamp:
            target[d] = stamp
            count += 1
    return count


@njit(cache=True)
def _heap_push(heap_d, heap_v, size, d, v):  # pragma: no cover - numba
    """Push (d, v) on the binary min-heap of ``size`` entries; the new size."""
    i = size
    while i > 0:
        p = (i - 1) >> 1
        if heap_d[p] > d:
            heap_d[i], heap_v[i] = heap_d[p], heap_v[p]
            i = p
        else:
            break
    heap_d[i], heap_v[i] = d, v
    return size + 1


@njit(cache=True)
def _heap_pop(heap_d, heap_v, size):  # pragma: no cover - numba
    """Drop the root of the binary min-heap of ``size`` entries (read it first); the new size."""
    size -= 1
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
    return size


@njit(cache=True)
def _dijkstra(origin, offsets, heads, link_ids, cost_csr, first_thru, dist, pred, order, heap_d, heap_v,
              target, stamp, n_targets):  # pragma: no cover - numba
    """Dijkstra from ``origin`` on the CSR graph (arc costs ``cost_csr`` in CSR order), binary heap with
    lazy deletion. Stops once the ``n_targets`` nodes with ``target[v] == stamp`` are settled (every
    node when ``n_targets`` ≤ 0): only those nodes' ``dist`` and ``pred`` (link index) are final, and
    the settled nodes are in ``order[:k]`` by distance. Returns k."""
    for i in range(dist.shape[0]):
        dist[i] = np.inf
        pred[i] = -1
    dist[origin] = 0.0
    heap_d[0] = 0.0
    heap_v[0] = origin
    size = 1
    k = 0
    left = n_targets
    while size > 0:
        d = heap_d[0]
        v = heap_v[0]
        size = _heap_pop(heap_d, heap_v, size)
        if d > dist[v]:
            continue  # a stale entry: v was settled nearer
        order[k] = v
        k += 1
        if target[v] == stamp:
            left -= 1
            if left == 0:
                break  # every destination settled: farther nodes carry none of this origin's flow
        if v < first_thru and v != origin:
            continue  # a zone centroid: traffic ends here, never passes through
        for e in range(offsets[v], offsets[v + 1]):
            w = heads[e]
            nd = d + cost_csr[e]
            if nd < dist[w]:
                dist[w] = nd
                pred[w] = link_ids[e]
                size = _heap_push(heap_d, heap_v, size, nd, w)
    return k


REPAIR_TOL = 1e-9
"""A repair takes a shorter route only when it saves more than this share of its cost: flips between
routes tied to the last digits (an equilibrium's used paths cost the same) change no gap a planner
asks for (the error on a label stays below its path's links × this share) and would cost heap work."""


@njit(cache=True)
def _repair(origin, tree, order, offsets, heads, link_ids, link_pos, cost_csr, init, first_thru, dist, pred, stack,
            heap_d, heap_v, target, stamp, seen):  # pragma: no cover - numba
    """Shortest paths from ``origin`` at new arc costs, repaired from the tree of an earlier search
    (``tree``: each node's predecessor link, −1 where none) instead of searched from scratch.

    Incremental shortest paths in the label-correcting form (Gallo & Pallottino 1988, Annals of OR 13;
    Ramalingam & Reps 1996, J. Algorithms 21): (1) every node's label is the cost of its tree path at
    the new costs — a real path, so an upper bound (a closed link on it: no label); (2) one scan of the
    arcs queues every node an arc now reaches more cheaply; (3) Dijkstra from those nodes alone,
    labels only falling. Where no arc can lower a label, the labels are the shortest costs (LP duality),
    so the result is a search's (ties aside). Only nodes below the farthest destination's label are
    repaired: a dearer node leads to no destination more cheaply (costs are not negative). Fills
    ``dist`` and ``pred`` as :func:`_dijkstra` does for the nodes marked ``target[v] == stamp``.

    ``order``: the tree's nodes, each after its predecessor (:func:`_tree_orders`), labels them in one
    sweep; empty, they are labelled by walking up the tree (twice the time on Berlin-Center: the walk
    chases predecessors through memory). Both add the same costs in the same order: the same labels."""
    if order.shape[0] > 0:
        _tree_labels_in_order(origin, tree, order, link_pos, cost_csr, init, dist, pred)
    else:
        _tree_labels_by_walking(origin, tree, link_pos, cost_csr, init, dist, pred, stack, stamp, seen)
    n = dist.shape[0]
    # the farthest destination's label bounds the repair; a destination cut off from the tree (a closed
    # link above it) leaves it unbounded only until every destination has a label again: then the
    # largest label, a real path's cost, bounds it (without this, a closure's repair went on through
    # the whole cut subtree and beyond, twice a search's time on Berlin-Center's busiest closure)
    cutoff = 0.0
    unlabelled = 0
    for v in range(n):
        if target[v] == stamp:
            if dist[v] == np.inf:
                unlabelled += 1
            elif dist[v] > cutoff:
                cutoff = dist[v]
    if unlabelled > 0:
        cutoff = np.inf
    size = 0
    for u in range(n):  # (2) the arcs that now reach a node more cheaply
        du = dist[u]
        if du >= cutoff or (u < first_thru and u != origin):
            continue
        for e in range(offsets[u], offsets[u + 1]):
            w = heads[e]
            nd = du + cost_csr[e]
            if nd < dist[w] - REPAIR_TOL * nd:
                if unlabelled > 0 and target[w] == stamp and dist[w] == np.inf:
                    unlabelled -= 1
                    if unlabelled == 0:
                        cutoff = _farthest_label(dist, target, stamp, w, nd)
                dist[w] = nd
                pred[w] = link_ids[e]
                size = _heap_push(heap_d, heap_v, size, nd, w)
    while size > 0:  # (3) Dijkstra from the nodes queued, labels only falling
        d = heap_d[0]
        v = heap_v[0]
        size = _heap_pop(heap_d, heap_v, size)
        if d > dist[v]:
            continue
        if d >= cutoff:
            break
        if v < first_thru and v != origin:
            continue
        for e in range(offsets[v], offsets[v + 1]):
            w = heads[e]
            nd = d + cost_csr[e]
            if nd < dist[w] - REPAIR_TOL * nd:
                if unlabelled > 0 and target[w] == stamp and dist[w] == np.inf:
                    unlabelled -= 1
                    if unlabelled == 0:
                        cutoff = _farthest_label(dist, target, stamp, w, nd)
                dist[w] = nd
                pred[w] = link_ids[e]
                size = _heap_push(heap_d, heap_v, size, nd, w)


@njit(cache=True)
def _tree_labels_by_walking(origin, tree, link_pos, cost_csr, init, dist, pred, stack, stamp,
                            seen):  # pragma: no cover - numba
    """Step (1) of :func:`_repair`: every node's label the cost of its ``tree`` path at ``cost_csr`` (a
    closed link on it, or none: no label, no predecessor), walking up to a labelled node, then down."""
    n = dist.shape[0]
    for v in range(n):
        pred[v] = tree[v]
    dist[origin] = 0.0
    pred[origin] = -1
    seen[origin] = stamp
    for v in range(n):
        if seen[v] == stamp:
            continue
        m = 0
        u = v
        while seen[u] != stamp and pred[u] >= 0 and m < n:
            stack[m] = u
            m += 1
            u = init[pred[u]]
        base = dist[u] if seen[u] == stamp else np.inf
        if seen[u] != stamp:  # the walk ended on a node with no tree link: unreached
            dist[u] = np.inf
            pred[u] = -1
            seen[u] = stamp
        while m > 0:
            m -= 1
            w = stack[m]
            p = link_pos[pred[w]]
            base = base + (cost_csr[p] if p >= 0 else np.inf)  # a closed link: the subtree has no label
            dist[w] = base
            if base == np.inf:
                pred[w] = -1
            seen[w] = stamp


@njit(cache=True)
def _tree_labels_in_order(origin, tree, order, link_pos, cost_csr, init, dist, pred):  # pragma: no cover
    """Step (1) of :func:`_repair` as :func:`_tree_labels_by_walking`, the nodes taken in ``order``
    (each after its predecessor): one sweep, each label its predecessor's plus the link's cost."""
    for i in range(order.shape[0]):
        v = order[i]
        p = tree[v]
        if v == origin:
            dist[v] = 0.0
            pred[v] = -1
        elif p < 0:
            dist[v] = np.inf
            pred[v] = -1
        else:
            q = link_pos[p]
            label = dist[init[p]] + (cost_csr[q] if q >= 0 else np.inf)  # a closed link: no label below it
            dist[v] = label
            pred[v] = p if label < np.inf else -1


@njit(cache=True, parallel=True)
def _tree_orders(trees, row_origin, init):  # pragma: no cover - numba
    """Each tree's nodes (a row of ``trees``: predecessor links, −1 for none; its origin in
    ``row_origin``) in an order that puts every node after its predecessor: its origin first, then
    each node's unlabelled ancestors before it (a depth-first walk up the tree)."""
    n_rows, n = trees.shape
    orders = np.empty((n_rows, n), np.int32)
    for r in prange(n_rows):
        tree, out = trees[r], orders[r]
        placed = np.zeros(n, np.bool_)
        stack = np.empty(n, np.int32)
        origin = row_origin[r]
        out[0] = origin
        placed[origin] = True
        k = 1
        for v in range(n):
            m = 0
            u = v
            while not placed[u] and tree[u] >= 0 and m < n:
                stack[m] = u
                m += 1
                u = init[tree[u]]
            if not placed[u]:  # a node with no tree link: unreached, a root of its own
                placed[u] = True
                out[k] = u
                k += 1
            while m > 0:
                m -= 1
                if not placed[stack[m]]:  # (always, but for a cycle: each node once, whatever the tree)
                    placed[stack[m]] = True
                    out[k] = stack[m]
                    k += 1
    return orders


@njit(cache=True)
def _farthest_label(dist, target, stamp, w, label_w):  # pragma: no cover - numba
    """The largest label of the destinations marked ``target[v] == stamp``, ``w``'s taken as ``label_w``
    (about to be set): an upper bound of the farthest destination's shortest cost, labels being real
    paths' costs."""
    far = label_w
    for v in range(dist.shape[0]):
        if target[v] == stamp and v != w and dist[v] > far:
            far = dist[v]
    return far


@njit(cache=True, parallel=True)
def _all_or_nothing(offsets, heads, link_ids, init, cost, first_thru, origins, dest_offsets, dests, demands,
                    n_links, n_chunks):  # pragma: no cover - numba
    n = offsets.shape[0] - 1
    n_orig = origins.shape[0]
    cost_csr = np.empty(heads.shape[0])
    for e in range(heads.shape[0]):
        cost_csr[e] = cost[link_ids[e]]
    loads = np.zeros((n_chunks, n_links))  # one row per chunk of origins: no write shared between threads
    sptt = np.zeros(n_orig)
    unreachable = np.zeros(dests.shape[0])  # per OD pair
    for c in prange(n_chunks):
        dist, pred, order, heap_d, heap_v, target = _workspace(n, heads.shape[0])
        node_flow = np.zeros(n)
        for o in range(c, n_orig, n_chunks):
            n_targets = _mark_targets(o, dest_offsets, dests, demands, target, o + 1)
            if n_targets == 0:
                continue
            k = _dijkstra(origins[o], offsets, heads, link_ids, cost_csr, first_thru, dist, pred, order, heap_d,
                          heap_v, target, o + 1, n_targets)
            for j in range(dest_offsets[o], dest_offsets[o + 1]):
                dd = dests[j]
                if demands[j] <= 0:
                    continue
                if target[dd] == o + 1 and np.isfinite(dist[dd]):
                    node_flow[dd] += demands[j]
                    sptt[o] += demands[j] * dist[dd]
                else:
                    unreachable[j] = demands[j]
            for idx in range(k - 1, 0, -1):  # from the farthest settled node back to the origin
                v = order[idx]
                f = node_flow[v]
                if f > 0:
                    e = pred[v]
                    loads[c, e] += f
                    node_flow[init[e]] += f
                    node_flow[v] = 0.0
            node_flow[origins[o]] = 0.0
    return loads.sum(axis=0), sptt, unreachable


def all_or_nothing_by_origin(g: Graph, net: Network, cost: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Link loads of the demand on shortest paths at ``cost``; each origin's demand × shortest cost; each
    OD pair's demand with no route (0 where it has one). Origins in parallel over numba's threads."""
    return _all_or_nothing(g.offsets, g.heads, g.link_ids, net.init.astype(np.int64), np.ascontiguousarray(cost, float),
                           g.first_thru, g.origins, g.dest_offsets, g.dests, g.demands, net.n_links,
                           max(min(numba.get_num_threads(), len(g.origins)), 1))


def all_or_nothing(g: Graph, net: Network, cost: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Link loads of the demand on shortest paths at ``cost``; the total shortest-path cost; unroutable demand."""
    loads, sptt, unreachable = all_or_nothing_by_origin(g, net, cost)
    return loads, float(sptt.sum()), float(unreachable.sum())


def conservation_error(net: Network, g: Graph, x: np.ndarray, routed: np.ndarray | None = None) -> float:
    """Largest |inflow − outflow − (productions − attractions)| over all nodes (veh), the OD pairs
    carrying their ``routed`` demand (all of it by default; less where some has no route)."""
    demand = g.demands if routed is None else routed
    balance = np.zeros(net.n_nodes)
    np.add.at(balance, net.term, x)
    np.subtract.at(balance, net.init, x)
    od = np.zeros(net.n_nodes)
    np.add.at(od, g.dests, demand)
    np.subtract.at(od, np.repeat(g.origins, np.diff(g.dest_offsets)), demand)
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
    paths: object = None  # the path-based solution's paths (twin.models.traffic_paths.PathSet): a warm start


def relative_gap(g: Graph, net: Network, x: np.ndarray) -> tuple[float, np.ndarray]:
    """(relative gap at flows ``x``, the all-or-nothing loads at their costs): (TSTT − SPTT) / TSTT."""
    cost = link_costs(net, x)
    y, sptt, _ = all_or_nothing(g, net, cost)
    tstt = float((cost * x).sum())
    return ((tstt - sptt) / tstt if tstt > 0 else 0.0), y


def finish(net: Network, g: Graph, x: np.ndarray, rel_gap: float, iterations: int, unreachable: np.ndarray,
           t0: float, history: list, paths=None) -> AssignmentResult:
    """The result at flows ``x``: costs, objective, TSTT, conservation check (of the demand routed:
    ``unreachable`` is each OD pair's demand without a route), time since ``t0``."""
    cost = link_costs(net, x)
    time_only = cost - net.fixed_cost
    return AssignmentResult(x, cost, float(rel_gap), iterations, beckmann(net, x), float((time_only * x).sum()),
                            float((cost * x).sum()), conservation_error(net, g, x, g.demands - unreachable),
                            float(unreachable.sum()), time.perf_counter() - t0, history, paths)
