"""Path-based user equilibrium: gradient projection (Jayakrishnan, Tsai, Prashker & Rajadhyaksha 1994).

Each OD pair keeps its used paths. An iteration visits the origins in turn: shortest paths at
the current costs join the path sets, then every OD pair moves flow from each costlier path to its
shortest one by a Newton step, Δ = min(f_p, (c_p − c_min) / Σ t'_a over the links the two paths do
not share), and the link flows and costs are updated at once (Gauss–Seidel). Path flows equalise
the costs of every used path, so the link flows approach the equilibrium much more uniformly than
Frank–Wolfe's at the same relative gap — what a flow comparison with a best-known solution needs.

The inner loop over OD pairs and paths is compiled with numba; paths are stored as link-id arrays
in one flat pool. The relative gap is measured as in :func:`twin.models.traffic.assign` (:func:`twin.models.traffic_graph.relative_gap`).
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from twin.models.traffic_graph import (
    AssignmentResult, _dijkstra, all_or_nothing, build_graph, finish, link_costs, relative_gap,
)


@njit(cache=True)
def _cost_and_slope(a, x, fftt, b, cap, power, fixed):  # pragma: no cover - numba
    if power[a] > 0:
        r = x / cap[a]
        c = fftt[a] * (1.0 + b[a] * r ** power[a]) + fixed[a]
        s = fftt[a] * b[a] * power[a] * r ** (power[a] - 1.0) / cap[a] if x > 0 or power[a] >= 1 else 0.0
    else:
        c = fftt[a] * (1.0 + b[a]) + fixed[a]
        s = 0.0
    return c, s


@njit(cache=True)
def _sweep(offsets, heads, link_ids, init, n, first_thru, origins, dest_offsets, dests, demands,
           x, cost, slope, fftt, b, cap, power, fixed,
           pool, path_start, path_len, path_flow, path_od, od_first, od_count, max_paths):  # pragma: no cover
    """One Gauss–Seidel pass over the origins. Returns the new number of stored paths."""
    n_paths = 0
    for j in range(path_start.shape[0]):
        if path_len[j] > 0:
            n_paths = j + 1
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    mark = np.zeros(x.shape[0], np.int64)
    stamp = 0
    pool_end = 0
    for j in range(n_paths):
        if path_start[j] + path_len[j] > pool_end:
            pool_end = path_start[j] + path_len[j]
    for o in range(origins.shape[0]):
        _dijkstra(origins[o], offsets, heads, link_ids, cost, n, first_thru, dist, pred, order)
        for q in range(dest_offsets[o], dest_offsets[o + 1]):
            d = dests[q]
            if demands[q] <= 0 or not np.isfinite(dist[d]):
                continue
            # the shortest path's links, destination back to origin
            sp = np.empty(n, np.int64)
            m = 0
            v = d
            while pred[v] >= 0:
                sp[m] = pred[v]
                m += 1
                v = init[pred[v]]
            # is it already one of this OD's paths?
            best = -1
            for k in range(od_count[q]):
                j = od_first[q] + k
                if path_len[j] == m:
                    same = True
                    for i in range(m):
                        if pool[path_start[j] + i] != sp[i]:
                            same = False
                            break
                    if same:
                        best = j
                        break
            if best < 0:
                if od_count[q] >= max_paths or pool_end + m > pool.shape[0]:
                    # no room: the costliest path with no flow is replaced, else the shortest is skipped
                    continue
                best = od_first[q] + od_count[q]
                od_count[q] += 1
                path_start[best] = pool_end
                path_len[best] = m
                path_flow[best] = 0.0
                path_od[best] = q
                for i in range(m):
                    pool[pool_end + i] = sp[i]
                pool_end += m
            # current costs of the OD's paths and the shortest one
            c_min = 0.0
            for i in range(path_len[best]):
                c_min += cost[pool[path_start[best] + i]]
            stamp += 1
            for i in range(path_len[best]):
                mark[pool[path_start[best] + i]] = stamp
            for k in range(od_count[q]):
                j = od_first[q] + k
                if j == best or path_flow[j] <= 0:
                    continue
                c_p = 0.0
                s2 = 0.0
                for i in range(path_len[j]):
                    a = pool[path_start[j] + i]
                    c_p += cost[a]
                    if mark[a] != stamp:
                        s2 += slope[a]
                for i in range(path_len[best]):  # links of the shortest path not on p
                    a = pool[path_start[best] + i]
                    on_p = False
                    for i2 in range(path_len[j]):
                        if pool[path_start[j] + i2] == a:
                            on_p = True
                            break
                    if not on_p:
                        s2 += slope[a]
                gap = c_p - c_min
                if gap <= 0:
                    continue
                step = path_flow[j] if s2 <= 0 else min(path_flow[j], gap / s2)
                if step <= 0:
                    continue
                path_flow[j] -= step
                path_flow[best] += step
                for i in range(path_len[j]):
                    a = pool[path_start[j] + i]
                    x[a] -= step
                    if x[a] < 0:
                        x[a] = 0.0
                    cost[a], slope[a] = _cost_and_slope(a, x[a], fftt, b, cap, power, fixed)
                for i in range(path_len[best]):
                    a = pool[path_start[best] + i]
                    x[a] += step
                    cost[a], slope[a] = _cost_and_slope(a, x[a], fftt, b, cap, power, fixed)
                c_min = 0.0
                for i in range(path_len[best]):
                    c_min += cost[pool[path_start[best] + i]]
            # compact: drop this OD's paths that carry no flow (keeping the shortest)
            k = 0
            while k < od_count[q]:
                j = od_first[q] + k
                if path_flow[j] <= 1e-12 * demands[q] and j != best and od_count[q] > 1:
                    path_flow[best] += path_flow[j]  # the crumbs (≤ 1e-12 of the demand) stay accounted
                    last = od_first[q] + od_count[q] - 1
                    path_start[j], path_len[j], path_flow[j] = path_start[last], path_len[last], path_flow[last]
                    if last == best:
                        best = j
                    path_len[last] = 0
                    path_flow[last] = 0.0
                    od_count[q] -= 1
                else:
                    k += 1
    return pool_end


def assign_paths(net, trips, *, gap: float = 1e-5, max_iter: int = 1000, max_paths: int = 16,
                 pool_factor: int = 40) -> AssignmentResult:
    """User equilibrium by gradient projection on path flows (see the module docstring)."""
    t0 = time.perf_counter()
    g = build_graph(net, trips)
    n_od = len(g.dests)
    init = net.init.astype(np.int64)
    _, _, unreachable = all_or_nothing(g, net, link_costs(net, np.zeros(net.n_links)))
    x = np.zeros(net.n_links)
    fftt, bb, cap = net.fftt.astype(float), net.b.astype(float), net.capacity.astype(float)
    power, fixed = net.power.astype(float), net.fixed_cost.astype(float)
    cost = link_costs(net, x)
    slope = np.zeros(net.n_links)
    # path slots: max_paths per OD pair; the pool holds their links
    od_first = (np.arange(n_od) * max_paths).astype(np.int64)
    od_count = np.zeros(n_od, np.int64)
    n_slots = n_od * max_paths
    path_start = np.zeros(n_slots, np.int64)
    path_len = np.zeros(n_slots, np.int64)
    path_flow = np.zeros(n_slots)
    path_od = np.full(n_slots, -1, np.int64)
    pool = np.zeros(max(n_od * pool_factor * 4, 1024), np.int64)
    # first pass: load each OD on its free-flow shortest path (the sweep's shift does it from 0 flow)
    _load_shortest(g, init, cost, net, x, od_first, od_count, path_start, path_len, path_flow, path_od, pool,
                   fftt, bb, cap, power, fixed, slope)
    history = []
    it = 0
    rel_gap = np.inf
    pool_end = int((path_start + path_len).max())
    while True:
        cost = link_costs(net, x)
        rel_gap, _ = relative_gap(g, net, x)
        history.append(rel_gap)
        if rel_gap <= gap or it >= max_iter:
            break
        it += 1
        slope = np.nan_to_num(np.where(power > 0, fftt * bb * power * (x / cap) ** (power - 1) / cap, 0.0))
        if pool_end > 0.8 * len(pool):  # grow the pool: rebuild it compactly, twice as large
            pool, path_start = _repack(pool, path_start, path_len, 2 * len(pool))
        pool_end = _sweep(g.offsets, g.heads, g.link_ids, init, g.n_nodes, g.first_thru, g.origins, g.dest_offsets,
                          g.dests, g.demands, x, cost, slope, fftt, bb, cap, power, fixed,
                          pool, path_start, path_len, path_flow, path_od, od_first, od_count, max_paths)
        # rebuild link flows from path flows now and then: no drift from the incremental updates
        if it % 10 == 0:
            x = _link_flows(pool, path_start, path_len, path_flow, net.n_links)
    return finish(net, g, x, rel_gap, it, unreachable, t0, history)


def _repack(pool, path_start, path_len, size):
    new = np.zeros(size, np.int64)
    start = np.zeros_like(path_start)
    end = 0
    for j in np.flatnonzero(path_len > 0):
        m = path_len[j]
        new[end:end + m] = pool[path_start[j]:path_start[j] + m]
        start[j] = end
        end += m
    return new, start


def _link_flows(pool, path_start, path_len, path_flow, n_links):
    x = np.zeros(n_links)
    for j in np.flatnonzero((path_len > 0) & (path_flow > 0)):
        np.add.at(x, pool[path_start[j]:path_start[j] + path_len[j]], path_flow[j])
    return x


def _load_shortest(g, init, cost, net, x, od_first, od_count, path_start, path_len, path_flow, path_od, pool,
                   fftt, bb, cap, power, fixed, slope):
    """All-or-nothing at free flow, recorded as the first path of every OD pair."""
    n = g.n_nodes
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    end = 0
    for o in range(len(g.origins)):
        _dijkstra(g.origins[o], g.offsets, g.heads, g.link_ids, cost, n, g.first_thru, dist, pred, order)
        for q in range(g.dest_offsets[o], g.dest_offsets[o + 1]):
            d = g.dests[q]
            if g.demands[q] <= 0 or not np.isfinite(dist[d]):
                continue
            links = []
            v = d
            while pred[v] >= 0:
                links.append(pred[v])
                v = init[pred[v]]
            j = od_first[q]
            od_count[q] = 1
            path_start[j], path_len[j], path_flow[j], path_od[j] = end, len(links), g.demands[q], q
            pool[end:end + len(links)] = links
            end += len(links)
            x[links] += g.demands[q]
