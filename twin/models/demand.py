"""Road supply and travel demand on an OSM territory: link capacities, zones, gravity OD, profiles.

Supply (documented defaults per OSM highway class; a ``maxspeed`` or ``lanes`` tag wins):

=============  ==========================  ====================  ===========
class          capacity (veh/h per lane)   free-flow speed km/h  lanes/dir.
=============  ==========================  ====================  ===========
primary        1,600                       50                    1
secondary      1,400                       50                    1
tertiary       1,100                       50                    1
unclassified     800                       40                    1
residential      600                       30                    1
living_street    300                       20                    1
=============  ==========================  ====================  ===========

(French urban streets, CERTU / Cerema "Capacité des voies urbaines" orders of magnitude; a
two-way street tagged ``lanes=2`` has one lane per direction.) Delay: BPR with B = 0.15, p = 4.

Demand for one hour (the morning peak by default):

* zones are the drivable graph's nodes; each building is attached to its nearest node; on a large
  territory (more than ``MAX_ZONES`` = 300 nodes with buildings) the nodes are grouped in square
  cells and each cell's trips start and end at its busiest node (:func:`zone_nodes`);
* productions ∝ floor area of homes (residential / unknown use), 1 car trip per
  ``M2_PER_PEAK_TRIP`` m²; attractions ∝ floor area of jobs, schools, shops and services;
* singly-constrained gravity model with an exponential deterrence f(t) = exp(−β t), t the
  free-flow time in minutes, β = ``BETA_PER_MIN`` (Ortúzar & Willumsen, *Modelling Transport*,
  4th ed., ch. 5);
* through traffic between the boundary entry points (where a primary / secondary / tertiary
  road leaves the extract), each entry emitting ``THROUGH_SHARE`` of its capacity, spread over
  the other entries in proportion to their capacity;
* demand scaled by two factors — internal and through — that calibration fits to counts.

An hourly weekday profile (share of the daily traffic in each hour, French urban counts) lets a
scenario run the peak hour or the whole day.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

ROAD_CLASSES = {  # capacity per lane (veh/h), free-flow speed (km/h)
    "primary": (1600.0, 50.0), "primary_link": (1200.0, 40.0), "secondary": (1400.0, 50.0),
    "secondary_link": (1000.0, 40.0), "tertiary": (1100.0, 50.0), "tertiary_link": (900.0, 40.0),
    "trunk": (1800.0, 70.0), "trunk_link": (1200.0, 50.0), "motorway": (2000.0, 110.0),
    "motorway_link": (1500.0, 60.0), "unclassified": (800.0, 40.0), "residential": (600.0, 30.0),
    "living_street": (300.0, 20.0), "road": (600.0, 30.0),
}
DEFAULT_CLASS = (600.0, 30.0)
BPR_B, BPR_POWER = 0.15, 4.0
M2_PER_PEAK_TRIP = 120.0
BETA_PER_MIN = 0.25
THROUGH_SHARE = 0.35
MAX_ZONES = 300  # beyond, nodes are grouped into zones (zone_nodes): a large territory's OD table stays tractable
ENTRY_CLASSES = {"primary", "secondary", "tertiary", "trunk", "motorway"}
HOME_USES = {"residential", "unknown"}
WEEKDAY_PROFILE = np.array([0.6, 0.3, 0.2, 0.2, 0.4, 1.2, 3.5, 7.5, 9.0, 6.0, 5.0, 5.3, 5.8, 5.6, 5.4, 5.8,
                            7.2, 9.2, 8.0, 5.0, 3.4, 2.5, 1.8, 1.1])  # % of the day in each hour
WEEKDAY_PROFILE = WEEKDAY_PROFILE / WEEKDAY_PROFILE.sum()


def link_supply(d: dict) -> tuple[float, float]:
    """(capacity veh/h, free-flow time h) of one directed street edge from its OSM attributes."""
    cap_lane, speed = ROAD_CLASSES.get(d.get("highway"), DEFAULT_CLASS)
    if np.isfinite(d.get("maxspeed_kmh", np.nan)):
        speed = float(d["maxspeed_kmh"])
    lanes = d.get("lanes", np.nan)
    per_dir = 1.0
    if np.isfinite(lanes):
        per_dir = max(1.0, lanes if d.get("oneway") else lanes / 2.0)
    return cap_lane * per_dir, d["length"] / 1000.0 / speed


@dataclass
class RoadNetwork:
    """The territory's drivable graph as arrays for assignment (0-based nodes, one row per directed edge)."""

    nodes: list
    edges: list  # (u, v, key)
    init: np.ndarray
    term: np.ndarray
    capacity: np.ndarray
    fftt_h: np.ndarray
    length_m: np.ndarray
    names: list
    way_ids: np.ndarray

    def to_tntp(self, n_zones: int = 0):
        """As a :class:`twin.datatypes.Network` (times in hours, lengths in metres)."""
        from twin.datatypes import Network  # noqa: PLC0415

        n = len(self.init)
        return Network(init=self.init.copy(), term=self.term.copy(), capacity=self.capacity.copy(),
                       length=self.length_m.copy(), fftt=self.fftt_h.copy(), b=np.full(n, BPR_B),
                       power=np.full(n, BPR_POWER), toll=np.zeros(n), n_nodes=len(self.nodes), n_zones=n_zones,
                       first_thru_node=1)


def road_network(G: nx.MultiDiGraph) -> RoadNetwork:
    nodes = list(G.nodes)
    pos = {n: i for i, n in enumerate(nodes)}
    edges, init, term, cap, fftt, length, names, ways = [], [], [], [], [], [], [], []
    for u, v, k, d in G.edges(keys=True, data=True):
        c, t = link_supply(d)
        edges.append((u, v, k))
        init.append(pos[u])
        term.append(pos[v])
        cap.append(c)
        fftt.append(max(t, 1e-6))
        length.append(d["length"])
        names.append(d.get("name"))
        ways.append(int(d["osm_way_id"]))
    return RoadNetwork(nodes, edges, np.array(init), np.array(term), np.array(cap), np.array(fftt),
                       np.array(length), names, np.array(ways))


def entry_nodes(G: nx.MultiDiGraph, territory) -> list:
    """Nodes where a main road leaves the extract: dead ends of primary–tertiary roads near its edge."""
    x0, y0, x1, y1 = (territory.layers["buildings"].total_bounds if len(territory.layers["buildings"])
                      else (0, 0, 0, 0))
    xs = np.array([G.nodes[n]["x"] for n in G.nodes])
    ys = np.array([G.nodes[n]["y"] for n in G.nodes])
    gx0, gy0, gx1, gy1 = xs.min(), ys.min(), xs.max(), ys.max()
    out = []
    for n in G.nodes:
        classes = {d.get("highway") for _, _, d in G.edges(n, data=True)} | \
            {d.get("highway") for _, _, d in G.in_edges(n, data=True)}
        if not classes & ENTRY_CLASSES:
            continue
        neighbours = set(G.successors(n)) | set(G.predecessors(n))
        x, y = G.nodes[n]["x"], G.nodes[n]["y"]
        near_edge = min(x - gx0, gx1 - x, y - gy0, gy1 - y) < 60.0
        if len(neighbours) <= 1 and near_edge:
            out.append(n)
    return out


@dataclass
class Demand:
    """Peak-hour OD demand split into components that calibration scales."""

    internal: pd.DataFrame  # origin, destination (0-based node index), demand (veh/h)
    through: pd.DataFrame
    entries: list

    def combined(self, internal_scale: float = 1.0, through_scale: float = 1.0) -> pd.DataFrame:
        parts = [self.internal.assign(demand=self.internal["demand"] * internal_scale),
                 self.through.assign(demand=self.through["demand"] * through_scale)]
        df = pd.concat(parts, ignore_index=True).groupby(["origin", "destination"], as_index=False)["demand"].sum()
        return df[df["demand"] > 0]


def zone_nodes(xy: np.ndarray, floor_m2: np.ndarray, max_zones: int = MAX_ZONES) -> np.ndarray:
    """The zone node of every node: itself while at most ``max_zones`` nodes carry floor area; beyond,
    the nodes are grouped in square cells, the smallest (growing by 15 %) that leave at most
    ``max_zones`` occupied cells, and each cell's trips start and end at its node with the most floor
    area (the zone centroid of a classical four-step model, Ortúzar & Willumsen ch. 3). ``xy`` in
    metres (the territory's projected CRS)."""
    zone = np.arange(len(xy))
    active = np.flatnonzero(floor_m2 > 0)
    if len(active) <= max_zones:
        return zone
    lo, hi = xy[active].min(axis=0), xy[active].max(axis=0)
    side = max(float(np.sqrt(np.prod(np.maximum(hi - lo, 1.0)) / max_zones)), 1.0)
    while True:
        cell = np.floor((xy[active] - lo) / side).astype(np.int64)
        key = cell[:, 0] * (int(cell[:, 1].max()) + 1) + cell[:, 1]
        cells, which = np.unique(key, return_inverse=True)
        if len(cells) <= max_zones:
            break
        side *= 1.15
    # per cell, its node with the most floor area (ties: the first)
    order = np.lexsort((-floor_m2[active], which))
    first = np.r_[True, which[order][1:] != which[order][:-1]]
    rep = np.empty(len(cells), np.int64)
    rep[which[order][first]] = active[order][first]
    zone[active] = rep[which]
    return zone


def gravity_demand(territory, road: RoadNetwork, *, beta_per_min: float = BETA_PER_MIN,
                   m2_per_trip: float = M2_PER_PEAK_TRIP, through_share: float = THROUGH_SHARE,
                   max_zones: int = MAX_ZONES) -> Demand:
    """The peak-hour demand of a territory (see the module docstring for the model and its defaults)."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415
    from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

    from twin.models.accessibility import nearest_nodes  # noqa: PLC0415

    G = territory.graphs["drive"]
    b = territory.layers["buildings"]
    pts = b.geometry.representative_point()
    node_of = nearest_nodes(G, pts.x.to_numpy(), pts.y.to_numpy())
    pos = {n: i for i, n in enumerate(road.nodes)}
    idx = np.array([pos[n] for n in node_of])
    floor = (b["footprint_m2"] * b["levels"].fillna(2.0).clip(lower=1)).to_numpy()
    home = b["use"].isin(HOME_USES).to_numpy()
    n = len(road.nodes)
    xy = np.array([(G.nodes[v]["x"], G.nodes[v]["y"]) for v in road.nodes], float)
    idx = zone_nodes(xy, np.bincount(idx, weights=floor, minlength=n), max_zones)[idx]
    P = np.bincount(idx[home], weights=floor[home] / m2_per_trip, minlength=n)
    A = np.bincount(idx[~home], weights=floor[~home], minlength=n)
    A += 0.1 * np.bincount(idx[home], weights=floor[home], minlength=n)  # local services and visits
    cost = csr_matrix((road.fftt_h * 60.0, (road.init, road.term)), shape=(n, n))
    origins = np.flatnonzero(P > 0)
    T = dijkstra(cost, directed=True, indices=origins)
    F = np.where(np.isfinite(T), np.exp(-beta_per_min * T), 0.0)
    F[np.arange(len(origins)), origins] = 0.0
    W = F * A[None, :]
    denom = W.sum(axis=1, keepdims=True)
    trips = np.where(denom > 0, P[origins, None] * W / np.where(denom > 0, denom, 1), 0.0)
    o, d = np.nonzero(trips > 1e-3)
    internal = pd.DataFrame({"origin": origins[o], "destination": d, "demand": trips[o, d]})
    entries = entry_nodes(G, territory)
    eidx = np.array([pos[e] for e in entries], int)
    cap_out = np.array([road.capacity[road.init == i].sum() for i in eidx])
    rows = []
    for a, ca in zip(eidx, cap_out):
        others = [(bb, cb) for bb, cb in zip(eidx, cap_out) if bb != a]
        total = sum(cb for _, cb in others)
        for bb, cb in others:
            rows.append((a, bb, through_share * ca * cb / total if total else 0.0))
    through = pd.DataFrame(rows, columns=["origin", "destination", "demand"]).astype(
        {"origin": np.int64, "destination": np.int64, "demand": float})  # typed even when no road leaves the extract
    return Demand(internal, through[through["demand"] > 0], entries)
