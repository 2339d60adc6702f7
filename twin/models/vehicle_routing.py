"""Collection rounds: a capacitated vehicle-routing problem on street-graph distances.

Distances are shortest drives on the territory's directed street graph (Dijkstra,
``scipy.sparse.csgraph``), so one-way streets count. The VRP (each stop visited once, truck
capacity, shift length with service time per stop) is solved by a well-kept solver:
PyVRP (Wouda, Lan & Kool 2024, hybrid genetic search) by default, OR-Tools' routing library
(guided local search) as the alternative — both given the same time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from twin.errors import TwinError

UNREACHABLE = 10**9  # a metre / second value no route can use


class RoutingError(TwinError, ValueError):
    """A routing problem that cannot be posed; the message says which input and why."""


@dataclass
class RoutePlan:
    """Routes as lists of stop indices (0-based, into the stops given, depot excluded)."""

    routes: list[list[int]]
    distance_m: float
    duration_s: float
    loads: list[float] = field(default_factory=list)
    solver: str = ""
    feasible: bool = True


def graph_arrays(G, speed_kmh: float = 25.0):
    """CSR matrices of edge length (m) and drive time (s) of a networkx MultiDiGraph, and its node list.

    The truck drives at the street's speed limit, capped at ``speed_kmh`` (a refuse truck in town)."""
    nodes = list(G.nodes)
    pos = {n: i for i, n in enumerate(nodes)}
    best: dict[tuple[int, int], tuple[float, float]] = {}
    for u, v, d in G.edges(data=True):
        length = float(d.get("length", 0.0))
        limit = d.get("maxspeed_kmh")
        # an untagged limit is NaN on some paths and absent on others: both mean "no limit known"
        limit = float(limit) if limit is not None and np.isfinite(limit) and limit > 0 else speed_kmh
        vmax = min(limit, speed_kmh)
        t = length / (vmax / 3.6)
        if not (np.isfinite(length) and length >= 0):
            raise RoutingError(f"street edge {u}->{v}: length {length!r} m is not a non-negative number")
        key = (pos[u], pos[v])
        if key not in best or length < best[key][0]:
            best[key] = (length, t)
    rows, cols = np.array(list(best)).T
    vals = np.array(list(best.values()))
    n = len(nodes)
    # csgraph treats explicit zeros as missing edges: a zero-length edge gets a millimetre
    L = csr_matrix((np.maximum(vals[:, 0], 1e-3), (rows, cols)), shape=(n, n))
    T = csr_matrix((np.maximum(vals[:, 1], 1e-4), (rows, cols)), shape=(n, n))
    return L, T, nodes


def street_matrices(G, places: list, speed_kmh: float = 25.0, arrays=None) -> tuple[np.ndarray, np.ndarray]:
    """(distance m, time s) between graph nodes ``places`` (the depot first), shortest by distance."""
    L, T, nodes = arrays or graph_arrays(G, speed_kmh)
    pos = {n: i for i, n in enumerate(nodes)}
    idx = np.array([pos[p] for p in places])
    dist, pred = dijkstra(L, directed=True, indices=idx, return_predecessors=True)
    D = dist[:, idx]
    # time along the shortest-distance path: same Dijkstra on time is close enough in town, and
    # keeps distance and time consistent for one route
    tdist = dijkstra(T, directed=True, indices=idx)[:, idx]
    D[~np.isfinite(D)] = UNREACHABLE
    tdist[~np.isfinite(tdist)] = UNREACHABLE
    return D, tdist


def _check(D, demand, capacity, vehicles):
    if capacity <= 0:
        raise RoutingError(f"truck capacity must be positive (got {capacity})")
    if vehicles < 1:
        raise RoutingError(f"at least one truck is needed (got {vehicles})")
    demand = np.asarray(demand, float)
    if len(demand) != len(D) - 1:
        raise RoutingError(f"{len(demand)} demands for {len(D) - 1} stops")
    if (demand > capacity).any():
        i = int(np.argmax(demand > capacity))
        raise RoutingError(f"stop {i} holds {demand[i]:.0f} l, more than a truck's capacity {capacity:.0f} l")
    if (D[0, 1:] >= UNREACHABLE).any() or (D[1:, 0] >= UNREACHABLE).any():
        i = int(np.argmax((D[0, 1:] >= UNREACHABLE) | (D[1:, 0] >= UNREACHABLE)))
        raise RoutingError(f"stop {i} cannot be reached from the depot (or cannot return) on the street graph")
    return demand


def solve_rounds(D, T, demand, capacity: float, *, vehicles: int = 4, shift_s: float = 7 * 3600,
                 service_s: float = 60.0, solver: str = "pyvrp", time_limit_s: float = 1.0,
                 seed: int = 0, no_improvement: int | None = None) -> RoutePlan:
    """Minimum-distance rounds visiting every stop once from the depot (index 0 of D/T).

    ``demand`` (l) per stop, ``capacity`` (l) per truck, ``vehicles`` trucks available, each within
    ``shift_s`` including ``service_s`` per stop. PyVRP stops after ``time_limit_s`` or, when given,
    after ``no_improvement`` iterations without a better solution.
    """
    demand = _check(D, demand, capacity, vehicles)
    if len(demand) == 0:
        return RoutePlan([], 0.0, 0.0, [], solver)
    if solver == "pyvrp":
        return _pyvrp(D, T, demand, capacity, vehicles, shift_s, service_s, time_limit_s, seed, no_improvement)
    if solver == "ortools":
        return _ortools(D, T, demand, capacity, vehicles, shift_s, service_s, time_limit_s)
    raise RoutingError(f"unknown VRP solver {solver!r} (pyvrp or ortools)")


def _plan(routes, D, T, demand, service_s, solver, feasible=True) -> RoutePlan:
    dist = dur = 0.0
    for r in routes:
        stops = [0] + [s + 1 for s in r] + [0]
        dist += sum(D[a, b] for a, b in zip(stops[:-1], stops[1:], strict=True))
        dur += sum(T[a, b] for a, b in zip(stops[:-1], stops[1:], strict=True)) + service_s * len(r)
    return RoutePlan(routes, float(dist), float(dur), [float(demand[r].sum()) for r in routes], solver, feasible)


def _pyvrp(D, T, demand, capacity, vehicles, shift_s, service_s, time_limit_s, seed, no_improvement) -> RoutePlan:
    from pyvrp import Model  # noqa: PLC0415
    from pyvrp.stop import MaxRuntime, MultipleCriteria, NoImprovement  # noqa: PLC0415

    m = Model()
    m.add_vehicle_type(num_available=vehicles, capacity=int(np.ceil(capacity)), shift_duration=int(shift_s))
    locs = [m.add_location(0, i) for i in range(len(D))]  # coordinates unused: edges carry the metrics
    m.add_depot(locs[0])
    for i in range(1, len(D)):
        m.add_client(locs[i], delivery=int(np.ceil(demand[i - 1])), service_duration=int(service_s))
    Di, Ti = np.rint(D).astype(np.int64), np.rint(T).astype(np.int64)
    for a in range(len(D)):
        for b in range(len(D)):
            if a != b:
                m.add_edge(locs[a], locs[b], distance=int(Di[a, b]), duration=int(Ti[a, b]))
    # stop at the time limit, or earlier once the search has stalled (small daily rounds converge fast)
    stop = MultipleCriteria([MaxRuntime(time_limit_s), NoImprovement(no_improvement)]) if no_improvement \
        else MaxRuntime(time_limit_s)
    res = m.solve(stop=stop, seed=seed, display=False)
    # a client activity's idx is the client's own index (0-based among clients), i.e. our stop index
    routes = [[a.idx for a in route if a.is_client()] for route in res.best.routes()]
    return _plan(routes, D, T, demand, service_s, "pyvrp", bool(res.best.is_feasible()))


def _ortools(D, T, demand, capacity, vehicles, shift_s, service_s, time_limit_s) -> RoutePlan:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2  # noqa: PLC0415

    n = len(D)
    manager = pywrapcp.RoutingIndexManager(n, vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    Di = np.rint(D).astype(np.int64)
    Ti = np.rint(T).astype(np.int64) + np.r_[0, np.full(n - 1, int(service_s))][:, None]
    dist_cb = routing.RegisterTransitCallback(lambda i, j: int(Di[manager.IndexToNode(i), manager.IndexToNode(j)]))
    routing.SetArcCostEvaluatorOfAllVehicles(dist_cb)
    dem = np.r_[0, np.ceil(demand)].astype(np.int64)
    dem_cb = routing.RegisterUnaryTransitCallback(lambda i: int(dem[manager.IndexToNode(i)]))
    routing.AddDimensionWithVehicleCapacity(dem_cb, 0, [int(np.ceil(capacity))] * vehicles, True, "load")
    time_cb = routing.RegisterTransitCallback(lambda i, j: int(Ti[manager.IndexToNode(i), manager.IndexToNode(j)]))
    routing.AddDimension(time_cb, 0, int(shift_s), True, "time")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(time_limit_s * 1000))
    sol = routing.SolveWithParameters(params)
    if sol is None:
        raise RoutingError("OR-Tools found no feasible set of rounds (too few trucks or too short a shift?)")
    routes = []
    for v in range(vehicles):
        i, r = routing.Start(v), []
        while not routing.IsEnd(i):
            node = manager.IndexToNode(i)
            if node:
                r.append(node - 1)
            i = sol.Value(routing.NextVar(i))
        if r:
            routes.append(r)
    return _plan(routes, D, T, demand, service_s, "ortools")
