"""District metered areas (DMAs): how a network is cut into districts, what their meters see at night,
and how soon they tell of a hidden leak (issue 22: what connected meters are worth).

**Districts** (:func:`districts`). The junctions are grouped around ``k`` centres on the pipe graph, by
length of pipe: the centres are spread by farthest-point sampling, then moved a few times to the
people-weighted medoid of their district (k-medoids on the network's shortest-path distances), each
junction joining its nearest centre — the clustering family of network sectorisation (Perelman &
Ostfeld, *Topological clustering for water distribution systems analysis*, Environmental Modelling &
Software 26, 2011; Di Nardo & Di Natale, *A heuristic design support methodology based on graph
theory for district metering of water supply networks*, Engineering Optimization 43(2), 2011). A
district is then fed through **one metered inlet** — the pipe by which the shortest route from the
source enters it — and every other pipe between two districts is a **closed boundary** (its valve
shut); the district holding the source is metered by the source's own main. Closing boundaries may
starve a junction: :func:`open_until_served` reopens (and meters) the boundary next to the worst-served
junction until every junction keeps the service pressure, as designers do.

**What a district meter sees at night** (:func:`district_inflows`). Its inflow is what its households
draw plus its leakage (mass balance: a district stores nothing). Household use is a compound Poisson
process — uses (a flush, a tap) of mean ``event_l`` litres arriving at the rate that gives the
district's mean demand at each hour of :data:`twin.territory.water_prior.DAILY_PATTERN` — times a
day-to-day factor (weather, habits; ``day_cv``), read by a meter with ``meter_cv`` random error. A
small district's night flow is therefore noisier, relatively, than a town's, but a leak is a larger
share of it: which wins is what the trials measure.

**How soon a leak is known** (:func:`detection_trials`): seeded trials of a leak of a given flow
starting at a random time after ``train_days`` leak-free days, read by the minimum-night-flow detector
of :mod:`twin.models.water_leaks` (the same code the leak benchmarks score), its ``rise`` chosen per
district on leak-free years (:func:`calibrate_rise`) for at most ``false_alarms_per_year``.

Everything here is a model run on the network's priors and parameters: SYNTHETIC inflows, not
readings; the outcome that uses it says so.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from twin.models.water_leaks import night_flow_detections

STEP_MIN = 15
"""[min] a district meter's logging interval (loggers record every 15 min in French practice)."""


def pipe_graph(wn) -> nx.Graph:
    """The network's pipes as an undirected graph (nodes: junctions, tanks, reservoirs; ``length`` [m],
    ``pipe`` the pipe's id); valves and pumps join their ends with no length."""
    g = nx.Graph()
    for name in wn.pipe_name_list:
        p = wn.get_link(name)
        g.add_edge(p.start_node_name, p.end_node_name, length=float(p.length), pipe=name)
    for name in list(wn.valve_name_list) + list(wn.pump_name_list):
        link = wn.get_link(name)
        g.add_edge(link.start_node_name, link.end_node_name, length=0.0, pipe=name)
    return g


def districts(g: nx.Graph, junctions: list[str], people: pd.Series, k: int, iterations: int = 5) -> dict[str, int]:
    """{junction: district 0..k−1}: k-medoids on shortest-path length, weighted by ``people`` (module
    docstring). Deterministic: the first centre is the junction farthest (by pipe) from the first of
    ``junctions`` in sorted order, ties broken by name. A centre always keeps itself (two centres at
    distance 0, across a pump or a valve, would otherwise leave one district empty); ``k`` is at most
    the number of junctions (:func:`district_count` caps it further)."""
    nodes = sorted(junctions)
    k = max(1, min(k, len(nodes)))
    weight = people.reindex(nodes).fillna(0.0).to_numpy() + 1e-6  # an empty junction still counts a little
    dist_from = {n: nx.single_source_dijkstra_path_length(g, n, weight="length") for n in nodes}

    def d(a, b):
        return dist_from[a].get(b, np.inf)

    centres = [max(nodes, key=lambda n: (d(nodes[0], n), n))]
    while len(centres) < k:
        centres.append(max(nodes, key=lambda n: (min(d(c, n) for c in centres), n)))
    def nearest(n, centres):
        return centres.index(n) if n in centres else int(np.argmin([d(c, n) for c in centres]))

    for _ in range(iterations):
        assign = np.array([nearest(n, centres) for n in nodes])
        moved = []
        for i in range(k):
            members = [n for n, a in zip(nodes, assign) if a == i]
            w = weight[assign == i]
            moved.append(min(members, key=lambda m: (sum(wi * d(m, n) for wi, n in zip(w, members)), m)))
        if moved == centres:
            break
        centres = moved
    return {n: nearest(n, centres) for n in nodes}


MIN_JUNCTIONS_PER_DISTRICT = 5


def district_count(asked: int | None, people: float, people_per_district: float, junctions: int) -> tuple[int, str]:
    """(districts, why when fewer than asked): ``asked``, else one per ``people_per_district``, at most one per
    :data:`MIN_JUNCTIONS_PER_DISTRICT` junctions (a district of a node or two has no boundary to speak of)."""
    wanted = asked or max(1, round(people / people_per_district))
    cap = max(1, junctions // MIN_JUNCTIONS_PER_DISTRICT)
    if wanted <= cap:
        return wanted, ""
    return cap, (f"{wanted} districts wanted, {cap} made: at most one per {MIN_JUNCTIONS_PER_DISTRICT} junctions "
                 f"({junctions} junctions)")


def boundaries(g: nx.Graph, district: dict[str, int], source: str) -> tuple[dict[int, list[str]], list[str]]:
    """({district: its metered inlet pipes}, closed boundary pipes). Each district's inlet is the pipe by
    which the shortest route from ``source`` first enters it; the source's district is fed by the pipe
    out of the source. Every link between a district and a node of no district — another reservoir, a
    tank — is metered too: a district meter must see all the water its district draws."""
    path = nx.single_source_dijkstra_path(g, source, weight="length")
    inlets: dict[int, list[str]] = {}
    for node, route in sorted(path.items(), key=lambda kv: (len(kv[1]), kv[0])):
        if node not in district or district[node] in inlets or len(route) < 2:
            continue
        prev = route[-2]
        inlets[district[node]] = [g.edges[prev, node]["pipe"]]
    for u, v, data in sorted(g.edges(data=True), key=lambda e: e[2]["pipe"]):
        if (u in district) != (v in district):  # a source or a tank on one side
            fed = district[u] if u in district else district[v]
            if data["pipe"] not in inlets.setdefault(fed, []):
                inlets[fed].append(data["pipe"])
    metered = {p for pipes in inlets.values() for p in pipes}
    closed = sorted(data["pipe"] for u, v, data in g.edges(data=True)
                    if u in district and v in district and district[u] != district[v] and data["pipe"] not in metered)
    return inlets, closed


def open_until_served(run, inlets: dict[int, list[str]], closed: list[str], g: nx.Graph, district: dict[str, int],
                      service_m: float, max_opened: int = 20) -> tuple[dict[int, list[str]], list[str], pd.Series]:
    """Reopen closed boundaries, one at a time, until no junction's lowest pressure is under ``service_m``:
    the one next to the worst-served junction (metered, as a second inlet of the district it feeds).
    ``run(closed)`` returns each junction's lowest pressure [m] with those pipes closed. Returns the
    inlets, the boundaries left closed and the last run's lowest pressures."""
    closed = list(closed)
    by_pipe = {data["pipe"]: (u, v) for u, v, data in g.edges(data=True)}
    lowest = run(closed)
    for _ in range(max_opened):
        starved = lowest[lowest < service_m]
        if starved.empty or not closed:
            break
        worst = starved.idxmin()
        near = nx.single_source_dijkstra_path_length(g, worst, weight="length")
        pipe = min(closed, key=lambda p: (min(near.get(n, np.inf) for n in by_pipe[p]), p))
        closed.remove(pipe)
        u, v = by_pipe[pipe]
        fed = district[u] if lowest.get(u, np.inf) <= lowest.get(v, np.inf) else district[v]
        inlets.setdefault(fed, []).append(pipe)
        lowest = run(closed)
    return inlets, closed, lowest


# --- what the meters see ------------------------------------------------------------------------------

def district_inflows(mean_use_m3_h: float, leakage_m3_h: float, pattern: np.ndarray, days: int,
                     rng: np.random.Generator, *, trials: int = 1, leak_m3_h: np.ndarray | None = None,
                     leak_start_step: np.ndarray | None = None, event_l: float = 10.0, day_cv: float = 0.05,
                     meter_cv: float = 0.01) -> np.ndarray:
    """SYNTHETIC inflow [m³/h] of one district, every :data:`STEP_MIN` minutes over ``days`` days, for
    ``trials`` independent draws (trials × steps): households' compound-Poisson use around ``mean_use_m3_h``
    × ``pattern`` (24 hourly multipliers of mean 1) × a daily factor (``day_cv``), plus ``leakage_m3_h``,
    plus a leak of ``leak_m3_h[trial]`` from step ``leak_start_step[trial]``, read with ``meter_cv``
    error. The more water a district uses, the more uses make it up: its night is relatively calmer
    (the coefficient of variation of a compound Poisson sum falls as one over the root of its mean)."""
    per_hour = int(60 // STEP_MIN)
    steps = days * 24 * per_hour
    hour = (np.arange(steps) // per_hour) % 24
    day = np.arange(steps) // (24 * per_hour)
    factor = np.clip(rng.normal(1.0, day_cv, (trials, days)), 0.2, None)[:, day]
    volume_m3 = mean_use_m3_h * pattern[hour][None, :] * factor * STEP_MIN / 60  # expected use per step
    events = rng.poisson(volume_m3 / (event_l / 1000))
    use = rng.gamma(np.maximum(events, 1e-12), event_l / 1000) * (events > 0)  # Σ of exponential uses [m³]
    flow = use * 60 / STEP_MIN + leakage_m3_h
    if leak_m3_h is not None:
        flow = flow + np.where(np.arange(steps)[None, :] >= np.asarray(leak_start_step)[:, None],
                               np.asarray(leak_m3_h, dtype=float)[:, None], 0.0)
    return flow * (1 + rng.normal(0.0, meter_cv, flow.shape))


def _series(flow: np.ndarray, start: str = "2024-01-01") -> pd.Series:
    return pd.Series(flow, index=pd.date_range(start, periods=len(flow), freq=f"{STEP_MIN}min"))


RISES = (0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0)
"""The night-flow rises :func:`calibrate_rise` chooses among (5 %: the leak benchmarks' setting)."""


def false_alarm_rate(leak_free: list[pd.Series], rise: float, train_days: int) -> float:
    """Alarms per year the night-flow detector at ``rise`` raises on the leak-free series."""
    years = sum((len(s) * STEP_MIN / 60 / 24 - train_days) / 365 for s in leak_free)
    return sum(len(night_flow_detections(s, train_days=train_days, rise=rise)) for s in leak_free) / years


def calibrate_rise(leak_free: list[pd.Series], false_alarms_per_year: float, train_days: int) -> tuple[float, float]:
    """(rise, false alarms per year at it on these series): the smallest of :data:`RISES` whose alarms on
    the leak-free ``leak_free`` series (each relearning after an alarm) stay within
    ``false_alarms_per_year``; the largest when none does. The rate is in-sample: measure it again on
    other series (:func:`false_alarm_rate`) to report it."""
    rate = np.inf
    for rise in RISES:
        rate = false_alarm_rate(leak_free, rise, train_days)
        if rate <= false_alarms_per_year:
            return rise, rate
    return RISES[-1], rate


def detection_trials(flows: np.ndarray, leak_start_step: np.ndarray, rise: float, train_days: int) -> np.ndarray:
    """Hours from each trial's leak start to the first alarm after it (NaN: not seen within the series)."""
    out = np.full(len(flows), np.nan)
    for i, flow in enumerate(flows):
        series = _series(flow)
        start = series.index[int(leak_start_step[i])]
        after = [d.time for d in night_flow_detections(series, train_days=train_days, rise=rise) if d.time >= start]
        if after:
            out[i] = (after[0] - start).total_seconds() / 3600
    return out


__all__ = ["MIN_JUNCTIONS_PER_DISTRICT", "RISES", "STEP_MIN", "boundaries", "calibrate_rise", "detection_trials",
           "district_count", "district_inflows", "districts", "false_alarm_rate", "open_until_served", "pipe_graph"]
