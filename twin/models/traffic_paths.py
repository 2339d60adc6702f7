"""Path-based user equilibrium: gradient projection (Jayakrishnan, Tsai, Prashker & Rajadhyaksha 1994),
with warm starts for roadworks variants.

Each OD pair keeps its used paths (columns). An iteration:

1. **Full pass**: a shortest-path search from every origin at the current link costs, the flows
   unmoved — the relative gap at these flows, exactly, and each OD pair's shortest path added to its
   paths.
2. **Shift passes** on the known paths (no search): every OD pair moves flow from each costlier path
   to its cheapest one by a Newton step, Δ = min(f_p, (c_p − c_min) / Σ t'_a over the links the two
   paths do not share), link flows and costs updated at once (Gauss–Seidel), until the restricted
   problem's excess is a tenth of the target (at most ``inner`` passes).
3. **Local rounds**: the origins carrying ``focus`` (90 %) of the excess cost found by the full pass,
   Σ_paths f_p c_p − Σ_od d · c_min, get new searches and shifts of their own, within the searches of
   one full pass — origin-based focusing in the spirit of Bar-Gera's TAPAS (2010, Transportation
   Science 44(1), 1–22). A cold start is spread over all origins; after a closure the excess sits
   near the works.

Path flows equalise the costs of every used path, so the link flows approach the equilibrium much
more uniformly than Frank–Wolfe's at the same relative gap — what a flow comparison with a
best-known solution needs.

Warm start (:class:`PathSet`, a previous result's ``paths``): the same OD pairs, their path flows
scaled to the new demand; paths through a closed link dropped and their flow loaded on the OD's
shortest path, origin after origin, each search seeing the flow the origins before it loaded
(incremental loading: the detours do not all pile onto the route that was cheapest before any of them);
when at most half the origins lost paths, local rounds on them, then on those whose paths' costs the
works changed most, while these are found wanting; each round after the first searches again only the
origins that carried 90 % of the last one's excess; then iterations as above. A warm start reads its
start's shortest-path trees where they are (shared, never written) and keeps trees of its own only for
the origins the works cut off: every other search repairs its start's tree where the start has one,
labelled in its node order when the start kept them.
The shift passes leave alone the OD pairs whose used paths already cost within a hundredth of the target
gap of their cheapest. Demand with no route left is reported, never lost.

The inner loops are compiled with numba; paths are stored as link-id arrays in one flat pool. Searches
stop once the origin's destinations are settled (:func:`twin.models.traffic_graph._dijkstra`). Each
origin's shortest-path tree is kept (while they fit in ``TREES_MAX_BYTES``) and the next search from it
repairs the tree instead of starting over (:func:`twin.models.traffic_graph._repair`: about half a
search's time on Berlin-Center); a warm start repairs the baseline's trees, in their node orders when
the baseline kept them (``tree_orders``).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from numba import get_num_threads, njit, prange

from twin.models.traffic_graph import (
    AssignmentResult, _dijkstra, _mark_targets, _repair, _tree_orders, _workspace, all_or_nothing_by_origin,
    build_graph, finish, link_costs,
)


@contextmanager
def _small_pages():
    """numpy's arrays allocated meanwhile in 4 kB pages. numpy asks the kernel for 2 MB pages for any
    array above 4 MB (``madvise(MADV_HUGEPAGE)``); where the kernel then compacts memory to find them
    at first touch (``defrag`` set to ``madvise``, Debian's default), writing Berlin-Center's 45 MB of
    trees one row at a time stalled for 0.1–0.25 s. Its arrays are written and read an origin's rows or
    an OD pair's slots at a time: small pages cost them nothing."""
    toggle = getattr(getattr(np, "_core", None) or np.core, "multiarray").__dict__.get("_set_madvise_hugepage")
    if toggle is None:
        yield
        return
    # numpy's setting is the process's: the first of overlapping users (the app's threads) turns it off,
    # the last puts back what it was (each restoring its own would leave it off for good)
    with _PAGES_LOCK:
        if _PAGES_USERS[0] == 0:
            _PAGES_USERS[1] = toggle(False)
        _PAGES_USERS[0] += 1
    try:
        yield
    finally:
        with _PAGES_LOCK:
            _PAGES_USERS[0] -= 1
            if _PAGES_USERS[0] == 0:
                toggle(_PAGES_USERS[1])


_PAGES_LOCK = threading.Lock()
_PAGES_USERS = [0, True]  # [users inside _small_pages, numpy's setting before the first of them]


def _empty_small_pages(shape, dtype) -> np.ndarray:
    with _small_pages():
        return np.empty(shape, dtype)


@dataclass
class PathSet:
    """The paths of an equilibrium, enough to start another assignment of the same OD pairs from it.

    ``od_origin``/``od_dest``: node of every OD pair (graph order); ``demand``: the demand the path flows
    carry; per path slot (``max_paths`` slots per OD pair, OD ``q`` from ``q * max_paths``): its links in
    ``pool[start:start + length]`` and its flow; ``od_count``: slots used per OD pair."""

    od_origin: np.ndarray
    od_dest: np.ndarray
    demand: np.ndarray
    pool: np.ndarray
    path_start: np.ndarray
    path_len: np.ndarray
    path_flow: np.ndarray
    od_count: np.ndarray
    max_paths: int
    n_links: int
    trees: np.ndarray | None = None  # origins' last shortest-path trees (predecessor link per node), a row each
    tree_row: np.ndarray | None = None  # each origin's row of ``trees``, −1 for none
    base_trees: np.ndarray | None = None  # a warm start's: its start's trees, shared, never written
    base_row: np.ndarray | None = None
    tree_order: np.ndarray | None = None  # each row of ``trees``, its nodes after their predecessors (asked for)
    base_order: np.ndarray | None = None  # the same for ``base_trees``, shared
    flows: np.ndarray | None = None  # the link flows of ``path_flow`` (a result's, so that its starts need not add them)

    def tree_source(self) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
        """Each origin's latest tree, its row, and the trees' node orders (None unless every row has
        one): a warm-started result's own over its start's (merged into new arrays only here, when a
        result is itself started from)."""
        if self.base_trees is None:
            return self.trees, self.tree_row, self.tree_order
        if self.trees is None or not (self.tree_row >= 0).any():  # none of its own: its start's, orders too
            return self.base_trees, self.base_row, self.base_order
        own, base = self.tree_row >= 0, (self.base_row >= 0) & (self.tree_row < 0)
        row = np.full(len(self.tree_row), -1, np.int64)
        row[own] = np.arange(own.sum())
        row[base] = own.sum() + np.arange(base.sum())

        def merge(mine, theirs):
            merged = _empty_small_pages((own.sum() + base.sum(), self.trees.shape[1]), np.int32)
            merged[row[own]] = mine[self.tree_row[own]]
            merged[row[base]] = theirs[self.base_row[base]]
            return merged

        orders = (merge(self.tree_order, self.base_order)
                  if self.tree_order is not None and self.base_order is not None else None)
        return merge(self.trees, self.base_trees), row, orders

    def copy(self) -> "PathSet":
        """A copy whose pool holds the paths compactly, with as much room again (a warm start adds paths:
        with less, its first search would repack the pool at once). The trees are not copied: the copy
        reads them as its ``base_trees`` (45 MB on Berlin-Center: a tenth of a second of page faults)."""
        base, base_row, base_order = self.tree_source()
        trees = ("trees", "tree_row", "tree_order", "base_trees", "base_row", "base_order")
        with _small_pages():  # the pool and its starts are read here, made anew by the repack
            fields = {k: (v.copy() if isinstance(v, np.ndarray) and k not in ("pool", "path_start") else v)
                      for k, v in self.__dict__.items() if k not in trees}
            out = PathSet(**fields, base_trees=base, base_row=base_row, base_order=base_order)
            _repack(out, 2 * int(self.path_len.sum()) + 1024)
        return out

    @classmethod
    def empty(cls, od_origin, od_dest, demand, n_links: int, max_paths: int, pool_size: int) -> "PathSet":
        n_slots = len(od_dest) * max_paths
        return cls(od_origin, od_dest, np.zeros_like(demand), np.zeros(max(pool_size, 1024), np.int64),
                   np.zeros(n_slots, np.int64), np.zeros(n_slots, np.int64), np.zeros(n_slots),
                   np.zeros(len(od_dest), np.int64), max_paths, n_links)


@njit(cache=True)
def _cost_and_slope(a, x, fftt, b, cap, power, fixed):  # pragma: no cover - numba
    if power[a] == 4.0:  # the BPR's usual power: products, not pow()
        r = x / cap[a]
        r3 = r * r * r
        c = fftt[a] * (1.0 + b[a] * r3 * r) + fixed[a]
        s = fftt[a] * b[a] * 4.0 * r3 / cap[a]
    elif power[a] > 0:
        r = x / cap[a]
        c = fftt[a] * (1.0 + b[a] * r ** power[a]) + fixed[a]
        s = fftt[a] * b[a] * power[a] * r ** (power[a] - 1.0) / cap[a] if x > 0 or power[a] >= 1 else 0.0
    else:
        c = fftt[a] * (1.0 + b[a]) + fixed[a]
        s = 0.0
    return c, s


@njit(cache=True)
def _add_flow(a, f, x, cost, slope, cost_csr, link_pos, fftt, b, cap, power, fixed):  # pragma: no cover
    """Add ``f`` to link ``a`` and bring its cost and slope (and its arc's cost) up to date."""
    x[a] += f
    if x[a] < 0:
        x[a] = 0.0
    cost[a], slope[a] = _cost_and_slope(a, x[a], fftt, b, cap, power, fixed)
    if link_pos[a] >= 0:
        cost_csr[link_pos[a]] = cost[a]


@njit(cache=True)
def _find_or_add(q, sp, m, pool, path_start, path_len, path_flow, od_count, max_paths, pool_end):  # pragma: no cover
    """The slot of OD ``q``'s path ``sp[:m]``, added when new (in a free slot, else in place of a path
    that carries no flow); −1 when every slot carries flow, −2 when the pool has no room."""
    first = q * max_paths
    for k in range(od_count[q]):
        j = first + k
        if path_len[j] == m:
            same = True
            for i in range(m):
                if pool[path_start[j] + i] != sp[i]:
                    same = False
                    break
            if same:
                return j, pool_end
    if od_count[q] < max_paths:
        j = first + od_count[q]
    else:
        j = -1
        for k in range(od_count[q]):
            if path_flow[first + k] <= 0:
                j = first + k
                break
        if j < 0:
            return -1, pool_end
    if pool_end + m > pool.shape[0]:
        return -2, pool_end
    if j == first + od_count[q]:
        od_count[q] += 1
    path_start[j] = pool_end
    path_len[j] = m
    path_flow[j] = 0.0
    for i in range(m):
        pool[pool_end + i] = sp[i]
    return j, pool_end + m


@njit(cache=True)
def _shortest_links(d, pred, init, sp):  # pragma: no cover - numba
    """The links of the shortest path to ``d`` (destination back to origin) into ``sp``; their number."""
    m = 0
    v = d
    while pred[v] >= 0:
        sp[m] = pred[v]
        m += 1
        v = init[pred[v]]
    return m


@njit(cache=True)
def _equalise(q, best, demand, x, cost, slope, cost_csr, link_pos, fftt, b, cap, power, fixed,
              pool, path_start, path_len, path_flow, od_count, max_paths, mark, stamp):  # pragma: no cover
    """Newton shifts of OD ``q``'s flow from each costlier path to path ``best``; then paths left with no
    flow are dropped. ``mark``/``stamp``: scratch marks over the links. Returns the next stamp."""
    first = q * max_paths
    c_min = 0.0
    stamp += 1
    best_stamp = stamp
    for i in range(path_len[best]):
        a = pool[path_start[best] + i]
        c_min += cost[a]
        mark[a] = best_stamp
    for k in range(od_count[q]):
        j = first + k
        if j == best or path_flow[j] <= 0:
            continue
        stamp += 1
        c_p = 0.0
        s2 = 0.0
        for i in range(path_len[j]):  # links of p; those not on the shortest path count in the slope
            a = pool[path_start[j] + i]
            c_p += cost[a]
            if mark[a] != best_stamp:
                s2 += slope[a]
            else:
                mark[a] = stamp  # on both paths
        for i in range(path_len[best]):  # links of the shortest path not on p
            a = pool[path_start[best] + i]
            if mark[a] != stamp:
                s2 += slope[a]
            mark[a] = best_stamp
        gap = c_p - c_min
        if gap <= 0:
            continue
        step = path_flow[j] if s2 <= 0 else min(path_flow[j], gap / s2)
        if step <= 0:
            continue
        path_flow[j] -= step
        path_flow[best] += step
        for i in range(path_len[j]):
            _add_flow(pool[path_start[j] + i], -step, x, cost, slope, cost_csr, link_pos, fftt, b, cap, power, fixed)
        for i in range(path_len[best]):
            _add_flow(pool[path_start[best] + i], step, x, cost, slope, cost_csr, link_pos, fftt, b, cap, power,
                      fixed)
        c_min = _path_cost(best, cost, pool, path_start, path_len)
    # drop this OD's paths that carry no flow (keeping the shortest)
    k = 0
    while k < od_count[q]:
        j = first + k
        if path_flow[j] <= 1e-12 * demand and j != best and od_count[q] > 1:
            path_flow[best] += path_flow[j]  # the crumbs (≤ 1e-12 of the demand) stay accounted
            last = first + od_count[q] - 1
            path_start[j], path_len[j], path_flow[j] = path_start[last], path_len[last], path_flow[last]
            if last == best:
                best = j
            path_len[last] = 0
            path_flow[last] = 0.0
            od_count[q] -= 1
        else:
            k += 1
    return stamp


@njit(cache=True)
def _path_cost(j, cost, pool, path_start, path_len):  # pragma: no cover - numba
    c = 0.0
    for i in range(path_start[j], path_start[j] + path_len[j]):
        c += cost[pool[i]]
    return c


@njit(cache=True)
def _cheapest(q, cost, pool, path_start, path_len, od_count, max_paths):  # pragma: no cover - numba
    best = -1
    c_best = np.inf
    for k in range(od_count[q]):
        j = q * max_paths + k
        c = _path_cost(j, cost, pool, path_start, path_len)
        if c < c_best:
            best, c_best = j, c
    return best


@njit(cache=True, parallel=True)
def _search_batch(visit, first, size, offsets, heads, link_ids, link_pos, init, cost_csr, first_thru, origins,
                  dest_offsets, dests, demands, dist, pred, order, heap_d, heap_v, target, seen, trees,
                  tree_row, base, base_row, base_order):  # pragma: no cover - numba
    """The searches from origins ``visit[first:first + size]``, one row of the workspaces each, in parallel:
    repaired from the origin's tree of its last search when ``trees`` keeps one (row ``tree_row[o]``),
    else from its warm start's (``base``, ``base_row``; labelled in ``base_order`` when it has rows),
    else from scratch. The trees are read here, written by :func:`_columns` once the origin's paths are
    in (their orders, made for the trees as they were, are not kept)."""
    keep = trees.shape[0] > 0
    walk = np.empty(0, np.int32)  # no order: the tree is labelled by walking it
    for i in prange(size):
        o = visit[first + i]
        n_targets = _mark_targets(o, dest_offsets, dests, demands, target[i], o + 1)
        if n_targets <= 0:
            continue
        if keep and (tree_row[o] >= 0 or base_row[o] >= 0):
            own = tree_row[o] >= 0
            tree = trees[tree_row[o]] if own else base[base_row[o]]
            tree_order = base_order[base_row[o]] if not own and base_order.shape[0] > 0 else walk
            _repair(origins[o], tree, tree_order, offsets, heads, link_ids, link_pos, cost_csr, init, first_thru,
                    dist[i], pred[i], order[i], heap_d[i], heap_v[i], target[i], o + 1, seen[i])
        else:
            _dijkstra(origins[o], offsets, heads, link_ids, cost_csr, first_thru, dist[i], pred[i], order[i],
                      heap_d[i], heap_v[i], target[i], o + 1, n_targets)


@njit(cache=True)
def _columns(visit, offsets, heads, link_ids, link_pos, init, first_thru, origins, dest_offsets, dests, demands,
             cost, pool, path_start, path_len, path_flow, od_count, max_paths, pool_end, sptt, unreachable,
             slot, batch, trees, tree_row, rows, base, base_row, base_order, adopt, load, x, slope,
             bpr):  # pragma: no cover - numba
    """Shortest paths of the origins ``visit`` at link costs ``cost`` (fixed unless ``load``): each
    origin's demand × shortest cost into ``sptt``, each OD pair's demand without a route into
    ``unreachable`` (with every origin: the relative gap at the current flows, exactly up to a repair's
    tolerance :data:`twin.models.traffic_graph.REPAIR_TOL` per link of a path), and each
    shortest path added to its OD pair's paths with no flow, its slot in ``slot`` (−1: none). Returns
    the pool's end and how many origins of ``visit`` were done (fewer when the pool is full).

    The searches of ``batch`` origins at a time run in parallel (numba's threads); their paths join
    the pool one origin after another, in ``visit``'s order: the same result on any number of cores.
    Each origin's tree is written to its row of ``trees`` when it has one, else when ``adopt``, in the
    next free row (``rows[0]`` used): rows in the order origins are first kept, so that a warm start
    keeping a few trees faults in a few pages.

    ``load`` (empty: none): each origin's OD pairs' demand to put on their new shortest paths as soon as
    they are found (:func:`_load_origin`), the link flows ``x``, costs ``cost`` and slopes ``slope``
    updated (``bpr``: the BPR parameters) before the next origin's search: incremental loading, the
    demand spread over the routes the origins before it left cheapest. It needs ``batch`` 1."""
    n = offsets.shape[0] - 1
    n_arcs = heads.shape[0]
    cost_csr = np.empty(n_arcs)
    for e in range(n_arcs):
        cost_csr[e] = cost[link_ids[e]]
    dist = np.empty((batch, n))
    pred = np.empty((batch, n), np.int64)
    order = np.empty((batch, n), np.int64)
    # a repair may queue a node once per arc in each of its two phases; a search once per arc
    heap = 2 * n_arcs + 2 if trees.shape[0] > 0 else n_arcs + 1
    heap_d = np.empty((batch, heap))
    heap_v = np.empty((batch, heap), np.int64)
    target = np.zeros((batch, n), np.int64)
    seen = np.zeros((batch, n), np.int64)
    sp = np.empty(n, np.int64)
    for first in range(0, visit.shape[0], batch):
        size = min(batch, visit.shape[0] - first)
        _search_batch(visit, first, size, offsets, heads, link_ids, link_pos, init, cost_csr, first_thru, origins,
                      dest_offsets, dests, demands, dist, pred, order, heap_d, heap_v, target, seen, trees, tree_row,
                      base, base_row, base_order)
        for i in range(size):
            o = visit[first + i]
            s = 0.0
            for q in range(dest_offsets[o], dest_offsets[o + 1]):
                d = dests[q]
                unreachable[q] = 0.0
                slot[q] = -1
                if demands[q] <= 0:
                    continue
                if not np.isfinite(dist[i, d]):
                    unreachable[q] = demands[q]
                    continue
                s += demands[q] * dist[i, d]
                m = _shortest_links(d, pred[i], init, sp)
                j, pool_end = _find_or_add(q, sp, m, pool, path_start, path_len, path_flow, od_count, max_paths,
                                           pool_end)
                if j == -2:
                    return pool_end, first + i  # the pool is full: grown, the pass goes on from this origin
                slot[q] = max(j, -1)
            sptt[o] = s
            searched = False  # an origin with no demand was not searched: its row holds another's tree
            for q in range(dest_offsets[o], dest_offsets[o + 1]):
                searched = searched or demands[q] > 0
            # kept once its paths are in: a search redone after the pool grew starts from the same tree,
            # whatever the batch (the same result on any number of cores)
            if searched and trees.shape[0] > 0 and (adopt or tree_row[o] >= 0):
                if tree_row[o] < 0:
                    tree_row[o] = rows[0]
                    rows[0] += 1
                r = tree_row[o]
                for v in range(n):
                    trees[r, v] = pred[i, v]
            if load.shape[0] > 0:
                _load_origin(o, dest_offsets, slot, load, x, cost, slope, cost_csr, link_pos, bpr, pool, path_start,
                             path_len, path_flow)
    return pool_end, visit.shape[0]


@njit(cache=True)
def _load_origin(o, dest_offsets, slot, load, x, cost, slope, cost_csr, link_pos, bpr, pool, path_start, path_len,
                 path_flow):  # pragma: no cover - numba
    """Origin ``o``'s demand ``load[q]`` put on each of its OD pairs' path ``slot[q]``, the links' flows,
    costs and slopes (and their arcs' costs) brought up to date at once, then zeroed (what is left in
    ``load`` is what was not loaded: no route)."""
    fftt, b, cap, power, fixed = bpr
    for q in range(dest_offsets[o], dest_offsets[o + 1]):
        j = slot[q]
        if load[q] <= 0 or j < 0:
            continue
        path_flow[j] += load[q]
        for k in range(path_start[j], path_start[j] + path_len[j]):
            _add_flow(pool[k], load[q], x, cost, slope, cost_csr, link_pos, fftt, b, cap, power, fixed)
        load[q] = 0.0


@njit(cache=True)
def _shift_pass(visit, dest_offsets, demands, x, cost, slope, link_pos, fftt, b, cap, power, fixed,
                pool, path_start, path_len, path_flow, od_count, max_paths, mark, settled):  # pragma: no cover
    """One Gauss–Seidel pass of Newton shifts over the known paths (no new search) of the OD pairs of
    the origins ``visit``, each towards its cheapest path at the current costs; an OD pair whose used
    paths cost at most ``settled`` (relative) more than its cheapest is left as it is. Returns the
    excess cost over the known paths, Σ_p f_p (c_p − c_min known), each OD pair's taken just before its
    shifts (the restricted problem's gap, as the pass meets it)."""
    cost_csr = np.empty(0)
    no_pos = np.full(link_pos.shape[0], -1, np.int64)  # the arcs' costs are not needed here
    path_costs = np.empty(max_paths)
    excess = 0.0
    stamp = mark.max()
    for t in range(visit.shape[0]):
        o = visit[t]
        for q in range(dest_offsets[o], dest_offsets[o + 1]):
            if demands[q] <= 0 or od_count[q] < 2:
                continue
            first = q * max_paths
            best = first
            for k in range(od_count[q]):
                path_costs[k] = _path_cost(first + k, cost, pool, path_start, path_len)
                if path_costs[k] < path_costs[best - first]:
                    best = first + k
            c_best = path_costs[best - first]
            own = 0.0
            for k in range(od_count[q]):
                if path_flow[first + k] > 0:
                    own += path_flow[first + k] * (path_costs[k] - c_best)
            excess += own
            if own <= settled * demands[q] * c_best:
                continue
            stamp = _equalise(q, best, demands[q], x, cost, slope, cost_csr, no_pos, fftt, b, cap, power, fixed,
                              pool, path_start, path_len, path_flow, od_count, max_paths, mark, stamp)
    return excess


@njit(cache=True)
def _origin_path_costs(visit, dest_offsets, cost, pool, path_start, path_len, path_flow, od_count,
                       max_paths):  # pragma: no cover - numba
    """Σ f_p c_p over the paths of each origin of ``visit`` at link costs ``cost``."""
    out = np.zeros(visit.shape[0])
    for t in range(visit.shape[0]):
        o = visit[t]
        for q in range(dest_offsets[o], dest_offsets[o + 1]):
            for k in range(od_count[q]):
                j = q * max_paths + k
                if path_flow[j] > 0:
                    out[t] += path_flow[j] * _path_cost(j, cost, pool, path_start, path_len)
    return out


TREES_MAX_BYTES = 1 << 29
"""Each origin's shortest-path tree is kept (4 bytes a node) when all of them fit in this; beyond,
every search starts from scratch."""


def _focus(excess: np.ndarray, share: float) -> np.ndarray:
    """Origins by decreasing excess cost until ``share`` of the total is covered."""
    order = np.argsort(-excess, kind="stable")
    total = excess.sum()
    if total <= 0:
        return order[:0].astype(np.int64)
    n = int(np.searchsorted(np.cumsum(excess[order]), share * total)) + 1
    return order[:min(n, len(order))].astype(np.int64)


@njit(cache=True)
def _prepare_start(link_open, demand, pool, path_start, path_len, path_flow, od_count, max_paths, old_demand,
                   missing):  # pragma: no cover - numba
    """A warm start's path flows: scaled to the new ``demand``, paths through closed links dropped, the
    flow each OD pair lost (or never had) put in ``missing``."""
    for q in range(od_count.shape[0]):
        scale = demand[q] / old_demand[q] if old_demand[q] > 0 else 0.0
        kept = 0.0
        k = 0
        while k < od_count[q]:
            j = q * max_paths + k
            is_open = True
            for i in range(path_len[j]):
                if not link_open[pool[path_start[j] + i]]:
                    is_open = False
                    break
            if is_open:
                path_flow[j] *= scale
                kept += path_flow[j]
                k += 1
            else:
                last = q * max_paths + od_count[q] - 1
                path_start[j], path_len[j], path_flow[j] = path_start[last], path_len[last], path_flow[last]
                path_len[last] = 0
                path_flow[last] = 0.0
                od_count[q] -= 1
        missing[q] = max(demand[q] - kept, 0.0)
        if kept > 0 and missing[q] <= 1e-9 * demand[q]:  # rounding, not a lost path: the flows made exact
            for k in range(od_count[q]):
                path_flow[q * max_paths + k] *= demand[q] / kept
            missing[q] = 0.0


@njit(cache=True)
def _path_link_flows(pool, path_start, path_len, path_flow, n_links):  # pragma: no cover - numba
    x = np.zeros(n_links)
    for j in range(path_len.shape[0]):
        f = path_flow[j]
        if f > 0:
            for i in range(path_start[j], path_start[j] + path_len[j]):
                x[pool[i]] += f
    return x


def _link_flows(ps: PathSet) -> np.ndarray:
    return _path_link_flows(ps.pool, ps.path_start, ps.path_len, ps.path_flow, ps.n_links)


@njit(cache=True)
def _compact(pool, path_start, path_len, size):  # pragma: no cover - numba
    total = 0
    for j in range(path_len.shape[0]):
        total += path_len[j]
    # not zeroed: a pool is read only within its paths (zeroing Berlin-Center's 29 MB faulted in every page
    # at each warm start, for room its paths may never take)
    new_pool = np.empty(max(size, total + 1024), np.int64)
    new_start = np.zeros_like(path_start)
    end = 0
    for j in range(path_len.shape[0]):
        if path_len[j] > 0:
            new_start[j] = end
            for i in range(path_len[j]):
                new_pool[end + i] = pool[path_start[j] + i]
            end += path_len[j]
    return new_pool, new_start


def _repack(ps: PathSet, size: int) -> None:
    """The paths moved to the front of a new pool of ``size`` (at least what they need), in slot order."""
    ps.pool, ps.path_start = _compact(ps.pool, ps.path_start, ps.path_len, size)


def assign_paths(net, trips, *, gap: float = 1e-5, max_iter: int = 1000, max_paths: int = 16,
                 closed: np.ndarray | None = None, start: PathSet | None = None, inner: int = 8, rounds: int = 4,
                 focus: float = 0.9, expand: int = 2, warm_budget: float = 0.3,
                 repair: bool = True, tree_orders: bool = False, reroute: np.ndarray | None = None) -> AssignmentResult:
    """User equilibrium by gradient projection on path flows (see the module docstring); ``closed``: a
    boolean mask of closed links; ``start``: a previous result's ``paths`` (same OD pairs); ``inner``:
    at most this many shift passes on the known paths after each search for new ones; ``tree_orders``:
    the result's trees kept with their node orders, for the warm starts to come (a baseline's: 0.11 s
    on Berlin-Center, one core, 45 MB; each variant started from it labels the trees it repairs in one
    sweep, about 0.05 s sooner); ``reroute``: a boolean mask of links, open, whose start's paths are dropped
    and their flow loaded again as a closure's is (a street closed « sauf riverains »: open at a penalty, the
    traffic it carried rerouted from its neighbourhood rather than shifted off it pass after pass)."""
    t0 = time.perf_counter()
    g = build_graph(net, trips, closed)
    od_origin, od_dest = g.origins[g.od_origin], g.dests
    if start is None:
        ps = PathSet.empty(od_origin, od_dest, g.demands, net.n_links, max_paths, 40 * len(g.dests))
    else:
        if start.n_links != net.n_links or not (np.array_equal(start.od_origin, od_origin)
                                                and np.array_equal(start.od_dest, od_dest)):
            raise ValueError("a warm start needs the same network links and the same OD pairs as the start")
        ps = start.copy()
        start_cost = link_costs(net, ps.flows if ps.flows is not None else _link_flows(ps))
    ps.flows = None  # the path flows change from here on
    missing = np.zeros(len(g.dests))
    link_open = g.link_pos >= 0 if reroute is None or start is None else (g.link_pos >= 0) & ~reroute
    _prepare_start(link_open, g.demands, ps.pool, ps.path_start, ps.path_len, ps.path_flow, ps.od_count,
                   ps.max_paths, ps.demand, missing)
    ps.demand = g.demands.copy()
    fftt, bb, cap = net.fftt.astype(float), net.b.astype(float), net.capacity.astype(float)
    power, fixed = net.power.astype(float), net.fixed_cost.astype(float)
    init = net.init.astype(np.int64)

    bpr = (fftt, bb, cap, power, fixed)

    def slopes(x):
        return np.nan_to_num(np.where(power > 0, fftt * bb * power * (x / cap) ** (power - 1) / cap, 0.0))

    end = [int((ps.path_start + ps.path_len).max(initial=0))]  # the pool's end, as the searches move it

    sptt = np.zeros(len(g.origins))
    unreachable = np.zeros(len(g.dests))
    # each origin's shortest-path tree of its last search, to repair at the next one (TREES_MAX_BYTES)
    shape = (len(g.origins), g.n_nodes)
    none, no_row = np.empty((0, 0), np.int32), np.full(len(g.origins), -1, np.int64)
    trees, tree_row, base, base_row, base_order = none, no_row, none, no_row, none
    rows = np.zeros(1, np.int64)
    if len(g.origins) * g.n_nodes * 4 <= TREES_MAX_BYTES and repair:
        # np.empty: a row's pages are faulted in when a tree is first written there, not before
        trees, tree_row = _empty_small_pages(shape, np.int32), no_row.copy()
        if ps.base_trees is not None and ps.base_trees.shape[1] == g.n_nodes:  # a warm start's, read only
            base, base_row = ps.base_trees, ps.base_row
            base_order = ps.base_order if ps.base_order is not None else none
    ps.trees, ps.tree_row = (trees, tree_row) if trees.shape[0] else (None, None)
    ps.base_trees, ps.base_row = (base, base_row) if base.shape[0] else (None, None)
    ps.base_order = base_order if base.shape[0] and base_order.shape[0] else None
    slot = np.full(len(g.dests), -1, np.int64)
    batch = 1 if get_num_threads() == 1 else 4 * get_num_threads()  # origins searched at once

    no_load = np.empty(0)

    def columns(visit, cost, adopt=True, load=no_load, x=no_load, slope=no_load):
        """``adopt``: every searched origin's tree written to ``trees`` (else only those already there);
        ``load``, ``x``, ``slope``: see :func:`_columns` (one origin at a time: the same on any number of
        cores)."""
        done = 0
        grow = False
        while done < len(visit):
            if grow or end[0] > 0.8 * ps.pool.size:  # room for at least the longest path a search can give
                _repack(ps, max(2 * ps.pool.size, end[0] + 2 * g.n_nodes + 1024))
                end[0] = int(ps.path_len.sum())  # the paths packed at the pool's front
            end[0], n = _columns(visit[done:], g.offsets, g.heads, g.link_ids, g.link_pos, init, g.first_thru, g.origins,
                            g.dest_offsets, g.dests, g.demands, cost, ps.pool, ps.path_start, ps.path_len,
                            ps.path_flow, ps.od_count, ps.max_paths, end[0], sptt, unreachable, slot,
                            batch if load.shape[0] == 0 else 1, trees, tree_row, rows, base, base_row, base_order,
                            adopt, load, x, slope, bpr)
            done += n
            grow = done < len(visit)

    # the demand without a path (all of it on a cold start, what closures cut on a warm one): loaded on
    # the shortest paths
    lacking = np.flatnonzero(np.bincount(g.od_origin, weights=missing, minlength=len(g.origins)) > 0)
    x = _link_flows(ps)
    cost = link_costs(net, x)
    slope = slopes(x)
    if len(lacking) and (start is None or len(lacking) > len(g.origins) // 2):
        # all of it at once, in parallel: a cold start's at free-flow costs, a wide closure's as a cold start
        columns(lacking.astype(np.int64), cost)
        load = np.flatnonzero((missing > 0) & (slot >= 0) & np.isin(g.od_origin, lacking))
        np.add.at(ps.path_flow, slot[load], missing[load])
        x = _link_flows(ps)
        cost = link_costs(net, x)
        slope = slopes(x)
    elif len(lacking):
        # what the works cut, origin after origin, each on the routes the origins before it left cheapest:
        # all at the costs without it crowded the same detour (on Berlin-Center's busiest closure, the
        # first full pass found a relative gap of 4.5e-5 instead of 6.3e-5 and the later searches of the
        # origins cut off cost half as much)
        columns(lacking.astype(np.int64), cost, load=missing.copy(), x=x, slope=slope)
    mark = np.zeros(net.n_links, np.int64)
    every_origin = np.arange(len(g.origins), dtype=np.int64)

    def shift(visit, tstt):
        for _ in range(inner):  # the restricted problem (the paths known) solved well below the target
            excess = _shift_pass(visit, g.dest_offsets, g.demands, x, cost, slope, g.link_pos, fftt, bb, cap, power,
                                 fixed, ps.pool, ps.path_start, ps.path_len, ps.path_flow, ps.od_count, ps.max_paths,
                                 mark, 0.01 * gap)
            if excess <= 0.1 * gap * tstt:
                break

    def local_rounds(visit, tstt, budget, searched=False):
        """New paths and shifts for the origins ``visit`` alone, within ``budget`` searches; returns the
        searches left and the excess the first search left, as a share of ``tstt``. After a round's
        shifts, only the origins that carried ``focus`` of its excess are searched again: the others'
        paths were already near their cheapest. ``searched``: ``visit`` was just searched (its excess
        is taken at once, shifted, and the round's search skipped)."""
        search, first = visit, None
        for _ in range(rounds):
            if not searched:
                if len(search) == 0 or len(search) > budget:
                    break
                budget -= len(search)
                columns(search, cost, adopt=start is None)
            searched = False
            # origins not searched again keep their last cheapest costs: an estimate, floored at 0
            excess = np.maximum(_origin_path_costs(visit, g.dest_offsets, cost, ps.pool, ps.path_start,
                                                   ps.path_len, ps.path_flow, ps.od_count, ps.max_paths)
                                - sptt[visit], 0.0)
            first = excess.sum() / tstt if first is None else first
            if excess.sum() <= 0.1 * gap * tstt:
                break
            shift(visit, tstt)
            search = visit[_focus(excess, focus)]
        return budget, first

    if start is not None and 0 < len(lacking) <= len(g.origins) // 2:  # the works' neighbourhood first
        # within a share of one full pass: the full pass that proves the gap comes after, and a warm
        # start is worth its name only while the two together cost a fraction of a cold start. The
        # share, 0.3: on Berlin-Center at gap 1e-5 (its busiest closure and 8 drawn), the median
        # warm/cold time fell from 0.23 (a whole pass) to 0.19; a second proving pass, when needed, is
        # met sooner
        tstt0 = float((cost * x).sum())
        budget, _ = local_rounds(lacking.astype(np.int64), tstt0, int(warm_budget * len(g.origins)), searched=True)
        for _ in range(expand):
            # then the origins whose paths' costs the works changed most, while they are found wanting
            score = _origin_path_costs(every_origin, g.dest_offsets, np.abs(cost - start_cost), ps.pool,
                                       ps.path_start, ps.path_len, ps.path_flow, ps.od_count, ps.max_paths)
            budget, found = local_rounds(_focus(score, focus)[:max(budget // 2, 1)], tstt0, budget)
            if found is None or found <= 0.1 * gap:
                break
    history = []
    it = 0
    while True:
        x[:] = _link_flows(ps)  # from the path flows: no drift from the incremental updates
        cost[:] = link_costs(net, x)
        # new shortest paths at these flows: the relative gap at them, exactly, and new columns. A warm
        # start keeps trees of its own only for the origins the works cut off: the others' would fault in
        # the whole array again for trees its start's serve as well, labelled in their orders
        columns(every_origin, cost, adopt=start is None)
        tstt = float((cost * x).sum())
        rel_gap = (tstt - float(sptt.sum())) / tstt if tstt > 0 else 0.0
        history.append(rel_gap)
        if rel_gap <= gap or it >= max_iter:
            break
        it += 1
        slope[:] = slopes(x)
        excess = _origin_path_costs(every_origin, g.dest_offsets, cost, ps.pool, ps.path_start, ps.path_len,
                                    ps.path_flow, ps.od_count, ps.max_paths) - sptt
        shift(every_origin, tstt)
        local_rounds(_focus(np.maximum(excess, 0.0), focus), tstt, len(g.origins))
    if tree_orders and trees.shape[0] and 2 * trees.nbytes <= TREES_MAX_BYTES:
        kept = np.flatnonzero(tree_row >= 0)
        row_origin = np.empty(rows[0], np.int64)
        row_origin[tree_row[kept]] = g.origins[kept]
        ps.tree_order = _tree_orders(trees[:rows[0]], row_origin, init)
    ps.flows = x  # the result's flows, the same array (made read-only with them where they are shared)
    return finish(net, g, x, rel_gap, it, unreachable, t0, history, ps)
