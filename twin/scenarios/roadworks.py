"""Roadworks detours: where the traffic goes, the time and kilometres lost, who loses every route.

The works close streets (by name, OSM way id, or a polygon in WGS84), optionally in one
direction only, or cut their capacity (``capacity_factor`` 0.5 = one lane of two) during a
window of hours. Left alone, drivers find their own detour (the streets that gain most are
reported: the detour to sign). A signed detour can also be imposed: its streets are made more
attractive in route choice (drivers no longer perceive ``detour_attraction`` of their free-flow
time, a generalised-cost bonus), while every reported time stays the real one. Demand is the territory's gravity demand (:mod:`twin.models.demand`), scaled
hour by hour with the weekday profile; each variant is a user equilibrium (path-based gradient
projection, :mod:`twin.models.traffic_paths`). The baseline is kept for the next variants of the same
territory, demand and gap (:func:`baseline_equilibrium`), and the works' equilibrium starts from the
baseline's paths (those through the works dropped, their traffic rerouted from there): a workshop pays for the
baseline once.

To keep a whole-day answer fast, the hours of the window are grouped in two demand levels —
the works' peak hour, and the mean of the others — each assigned once per variant; the day totals add
the levels' results hour by hour (an approximation that keeps the convexity of delays between
the two levels, documented in the outcome). The works' peak hour is the day's peak when the works
cover it, else the busiest hour they do cover: night works are never judged at a peak hour they
miss (the ``*_peak`` KPIs, the drive times and the map are at that hour; attribute ``peak_hour``).

CO2: 0.193 kg per vehicle-km (order of magnitude of ADEME Base Empreinte, average French passenger
car, 2023; a parameter whose default is the factors table's ``car_co2_kg_per_vkm``,
:data:`twin.economics.FACTORS`).

Money: the drivers' time over the window valued at ``value_of_time_eur_per_veh_h`` (default: the factors
table's ``drive_time_value_eur_per_veh_h``, 10 €2010 per vehicle-hour, the order of magnitude of the French
reference value of time for urban home–work trips, Quinet report, CGSP 2013, one occupant per car). It is a
value society gives time (the socio-economic calculation's), not money the town pays: a financial KPI so
that works at night and by day, or with and without a signed detour, are compared in euros too.

The outcome carries what the map and chart draw: series ``peak_flow_veh_h`` (variant × edge) and
``hourly_vehicle_hours`` (variant × hour of the window), and the layer ``streets`` (one row per
directed edge: street, OSM way, peak flow without and with the works, change, closed).

Residents' access — by default a closed street stays open to the trips that start or end behind it («
route barrée sauf riverains », how French works are signed): its edges keep their capacity but cost every
driver a perceived :data:`RESIDENTS_PENALTY_H` each, which no through trip pays while a detour under an
hour exists and which a trip with no other way pays anyway; the reported times are the real ones. Closed to
all (``residents_access`` off), the homes behind the works lose every route:

Stranded trips — a closure can leave some origin–destination pairs with no route at all (the quay
that is a zone's only drivable access). Their demand is counted explicitly, never dropped: the KPIs
``trips_without_route_peak`` (veh/h in the peak hour) and ``trips_without_route_window`` (trips over
the works' hours, each level's stranded demand times the hours it stands for). The time, distance
and CO2 KPIs measure the trips that are driven, so they leave the stranded ones out; rather than add
a penalty per stranded trip — no source gives a defensible value for what a trip that cannot be made
costs (it is postponed, made on foot or by another mode, or not made), and a guessed constant would
mix a measurement with an assumption — the stranded demand sits beside them and the outcome is
flagged: its attribute ``stranded_trips`` says how many trips and which KPIs leave them out ("none"
otherwise), the KPIs' descriptions say so, and :attr:`Roadworks.stranded_kpis` maps each stranded
KPI to the KPIs that omit its trips (the app then never shows their fall as an improvement).
"""

from __future__ import annotations

import copy
import hashlib
import threading
import weakref
from collections import OrderedDict

import numpy as np
import pandas as pd
import param
import xarray as xr

from twin.economics import factor
from twin.models.demand import WEEKDAY_PROFILE, gravity_demand, road_network
from twin.models.traffic import GAP_BOUNDS, assign
from twin.outcome import KPI, Outcome, leaving_out
from twin.scenarios.base import Scenario, ScenarioError
from twin.territory.street_parts import parse_part
from twin.territory.streets import segment_key
from twin.timeutil import HourRangeError, parse_hour_range

STRANDED_KPIS = {
    "trips_without_route_peak": ("vehicle_hours_peak", "time_to_townhall_min", "time_to_schools_min"),
    "trips_without_route_window": ("vehicle_hours_window", "vehicle_km_window", "co2_kg_window",
                                   "drive_time_cost_eur_window"),
}
"""Each KPI counting stranded demand -> the KPIs that leave that demand out (see the module docstring)."""

RESIDENTS_PENALTY_H = 0.25
"""[h] perceived cost of entering a street closed « sauf riverains » (:func:`entry_edges`): no through trip
takes it while a detour under a quarter of an hour exists (a closed street's, in a commune); a trip that ends
behind the works has no other way and pays it, which only its route choice sees (the reported times are the
real ones). Kept small: the relative gap counts it in the total cost (:func:`residents_gap`)."""


def entry_edges(net, hit: np.ndarray) -> np.ndarray:
    """The closed links (``hit``) that enter the works from an open street: those whose tail node an open
    link reaches. A trip that starts behind the works leaves them by closed links whose tails only closed
    links reach: it pays nothing; one that ends there, or goes through, pays on entering."""
    reached_open = np.bincount(net.term[~hit], minlength=net.n_nodes) > 0
    return hit & reached_open[net.init]


def residents_gap(gap: float, real_tstt: float, net, hit: np.ndarray, od: pd.DataFrame) -> float:
    """The relative gap to ask of a « sauf riverains » assignment so that its gap on real times is ``gap``:
    the total cost it measures holds the entry penalty of every trip that ends behind the works (a node no
    open link reaches, from an origin some open link does), about ``penalty × demand`` on top of the
    ``real_tstt`` (veh·h, the baseline's): the requested gap shrunk by that share."""
    reached_open = np.bincount(net.term[~hit], minlength=net.n_nodes) > 0
    behind = ~reached_open[od["destination"].to_numpy()] & reached_open[od["origin"].to_numpy()]
    penalty = RESIDENTS_PENALTY_H * float(od["demand"].to_numpy()[behind].sum())
    return gap * real_tstt / (real_tstt + penalty) if real_tstt > 0 else gap

KPIS = leaving_out([
    KPI("vehicle_hours_peak", "veh·h", "human",
        "total time spent driving in the works' peak hour: the day's peak when they cover it, else their busiest "
        "hour (trips with no route left out: see trips_without_route_peak)"),
    KPI("vehicle_hours_window", "veh·h", "human",
        "total time spent driving over the works' hours (trips with no route left out: see "
        "trips_without_route_window)"),
    KPI("vehicle_km_window", "veh·km", "environmental",
        "distance driven over the works' hours (trips with no route left out: see trips_without_route_window)"),
    KPI("co2_kg_window", "kg", "environmental", "CO2 of that distance (trips with no route left out)"),
    KPI("drive_time_cost_eur_window", "€", "financial",
        "the drivers' time over the works' hours valued at value_of_time_eur_per_veh_h: a value society gives time, "
        "not money the town pays (trips with no route left out: see trips_without_route_window)"),
    KPI("trips_without_route_peak", "veh/h", "human",
        "demand of the works' peak hour left with no route (reported, never dropped)"),
    KPI("trips_without_route_window", "trips", "human",
        "trips over the works' hours left with no route (reported, never dropped)"),
    KPI("time_to_townhall_min", "min", "human",
        "mean drive at the works' peak hour to the town hall from every zone that still has a route"),
    KPI("time_to_schools_min", "min", "human",
        "mean drive at the works' peak hour to the nearest school from every zone that still has a route"),
], STRANDED_KPIS)


def _hours(text: str) -> list[tuple[int, float]]:
    """The local hours a ``HH:MM-HH:MM`` window touches, each with the share of it inside the window.

    ``07:30-18:45`` → ``[(7, 0.5), (8, 1.0), …, (17, 1.0), (18, 0.75)]``; a window may wrap past
    midnight (``22:30-05:00``); ``00:00-24:00`` is the whole day; whole hours may drop the minutes
    (``07-19``): the window is read by :func:`twin.timeutil.parse_hour_range`. The traffic model is
    hourly (one demand level per hour of :data:`WEEKDAY_PROFILE`), so a partial hour counts for its
    share of that hour's vehicle-hours and vehicle-km — minutes are kept, never rounded to the hour.
    """
    try:
        a, b = parse_hour_range(text, "hours")
    except HourRangeError as exc:  # the kind of mistake (syntax, time, empty) picks the page's message
        raise ScenarioError(str(exc), key=f"err_hours_{exc.kind}", values={"parameter": "hours", "text": str(text)}) \
            from None
    shares: dict[int, float] = {}
    for start in range(a - a % 60, b, 60):
        # a window of more than 23 h (07:30-07:15) touches its first hour twice: the parts add up
        hour = (start // 60) % 24
        shares[hour] = shares.get(hour, 0.0) + (min(b, start + 60) - max(a, start)) / 60.0
    return list(shares.items())


def _plain(x: float) -> str:
    """``x`` to the ten-thousandth, no trailing zeros, never in powers of ten (the report reads it back and
    rounds it as the cards do: « 3,84 », not the « 4 » of a whole number; 23.748 kept whole, not 23.75 that
    the report then rounded to « 23,8 » beside the card's « 23,7 »)."""
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _unproven(base: dict, works: dict) -> str:
    """The KPIs whose fall the works do not prove, comma-separated ("" when none): detours shorter but slower
    cut the kilometres while the time at the wheel rises, and the CO2, counted per kilometre, falls with them
    (a car in a queue emits more per kilometre, which the factor does not see). A planner read « -0,058 % CO2 »
    called better beside the note saying it was not. With stranded trips the kilometres fall for another
    reason, which the stranded flag says."""
    if works["trips_without_route_window"] > 0:
        return ""
    shorter = works["vehicle_km_window"] < base["vehicle_km_window"]
    slower = works["vehicle_hours_window"] > base["vehicle_hours_window"]
    return "vehicle_km_window,co2_kg_window" if shorter and slower else ""


def _stranded_text(works: dict) -> str:
    """The outcome's flag: how much demand the works strand and which KPIs leave it out ("none")."""
    peak, window = works["trips_without_route_peak"], works["trips_without_route_window"]
    if peak <= 0 and window <= 0:
        return "none"
    return (f"{_plain(peak)} veh/h at the peak hour, {_plain(window)} trips over the window have no route with the "
            "works: "
            "left out of vehicle-hours, vehicle-km, CO2 and the drive times (counted in trips_without_route_*)")


_LOCK = threading.Lock()  # the kept inputs and baselines, shared by the app's sessions
_INPUTS: dict[int, tuple] = {}  # id(drive graph) -> (weakrefs to it and to the buildings, road network, demand)


def territory_traffic(territory):
    """The territory's road network and gravity demand (:mod:`twin.models.demand`), kept while its drive
    graph and buildings layer are the same objects (a territory built anew is computed anew)."""
    G, buildings = territory.graphs["drive"], territory.layers["buildings"]
    with _LOCK:
        entry = _INPUTS.get(id(G))
        if entry is not None and entry[0]() is G and entry[1]() is buildings:
            return entry[2], entry[3]
    road = road_network(G)
    demand = gravity_demand(territory, road)
    with _LOCK:
        for key in [k for k, e in _INPUTS.items() if e[0]() is None]:
            del _INPUTS[key]
        _INPUTS[id(G)] = (weakref.ref(G), weakref.ref(buildings), road, demand)
    return road, demand


_BASELINES: OrderedDict = OrderedDict()  # fingerprint of (network, demand, gap) -> equilibrium without works
BASELINES_KEPT = 26  # an hourly day (up to 24 levels) and then some: a run's levels never evict each other


def baseline_equilibrium(net, od, gap: float):
    """The equilibrium without works (path-based, :func:`twin.models.traffic.assign` with ``gp``), kept
    for the next variants of the same network, demand and gap: a workshop trying closure after closure
    pays for the baseline once, then each variant starts from its paths. The key is a digest of every
    input array, so a kept result is exactly what a fresh run would give (the algorithm is
    deterministic; ``tests/test_roadworks.py`` checks both paths)."""
    h = hashlib.blake2b(digest_size=20)
    for a in (net.init, net.term, net.capacity, net.length, net.fftt, net.b, net.power, net.toll,
              od["origin"].to_numpy(np.int64), od["destination"].to_numpy(np.int64), od["demand"].to_numpy(float)):
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())  # never an object array: its bytes would be addresses
        h.update(a.tobytes())
    h.update(repr((net.n_nodes, net.first_thru_node, net.distance_weight, net.toll_weight, float(gap))).encode())
    key = h.digest()
    with _LOCK:
        if key in _BASELINES:
            _BASELINES.move_to_end(key)
            return _BASELINES[key]
    result = assign(net, od, gap=gap, algorithm="gp", baseline=True)
    shared = [result.flows, result.costs]
    if result.paths is not None:  # the trees a variant repairs from are read, never written: enforced
        shared += [a for a in (result.paths.trees, result.paths.tree_row, result.paths.tree_order) if a is not None]
    for a in shared:
        a.flags.writeable = False  # shared by every later variant (and app session): never changed in place
    with _LOCK:
        _BASELINES[key] = result
        while len(_BASELINES) > BASELINES_KEPT:
            _BASELINES.popitem(last=False)
    return result


class Roadworks(Scenario):
    """Close or narrow streets for a window of hours and compare the equilibrium traffic."""

    family = "roadworks"
    # the rows of the factors table (twin.economics.FACTORS) its defaults come from, cited in reports
    factors = ("car_co2_kg_per_vkm", "drive_time_value_eur_per_veh_h")
    # stranded KPI -> the KPIs that leave its trips out: the app does not show their fall as better
    stranded_kpis = STRANDED_KPIS
    # residents' access is a closure's: a street whose capacity is only cut stays open to all
    read_when = {"residents_access": ({"capacity_factor": (0, 0.0)},)}

    streets = param.List(default=[], item_type=(str, int),
                         doc="[-] streets: names, OSM way ids, or parts of a street ('<street> #<node>-<node>': the "
                             "segment between two OSM nodes, as the map's selection writes it)")
    polygon = param.String(default="", doc="[-] WKT polygon (WGS84): every street inside is affected")
    one_direction = param.Boolean(default=False, doc="[-] affect only the direction the OSM way is drawn in")
    capacity_factor = param.Number(default=0.0, bounds=(0, 1), inclusive_bounds=(True, False),
                                   doc="[-] share of the capacity the works leave, in [0, 1): 0 closes; 0.5 keeps half "
                                       "(1 would be no works)")
    residents_access = param.Boolean(default=True,
                                     doc="[-] a closed street stays open to the trips that start or end behind it "
                                         "(« route barrée sauf riverains »): through traffic is kept out by a "
                                         "perceived penalty (RESIDENTS_PENALTY_H per closed edge), the residents' "
                                         "drive counted at its real time; off: the works shut the street to all, "
                                         "and the homes behind it lose every route")
    hours = param.String(default="07:00-19:00",
                         doc="[h] local hours the works are in place, HH:MM-HH:MM (minutes kept: 07:30-18:45 counts "
                             "half of 7h and three quarters of 18h; 22:00-05:00 wraps past midnight)")
    gap = param.Number(default=1e-4, bounds=GAP_BOUNDS, doc="[-] relative gap of each equilibrium")
    co2_kg_per_vkm = param.Number(default=factor("car_co2_kg_per_vkm"), bounds=(0, 2),
                                  doc="[kg/km] CO2 per vehicle-km (factors table: car_co2_kg_per_vkm)")
    value_of_time_eur_per_veh_h = param.Number(default=factor("drive_time_value_eur_per_veh_h"), bounds=(0, 1000),
                                               doc="[€/veh·h] value of an hour at the wheel (factors table: "
                                                   "drive_time_value_eur_per_veh_h)")
    detour = param.List(default=[], item_type=(str, int),
                        doc="[-] streets of a signed detour (names or OSM way ids); empty: drivers choose freely")
    detour_attraction = param.Number(default=0.3, bounds=(0, 0.9),
                                     doc="[-] share of the signed detour's free-flow time drivers stop perceiving")
    # hourly by default, in the app and the CLI alike (the page started hour by hour, the CLI at peak +
    # off-peak: the same works gave 903,3 and 904 veh·h and nothing said why); peak + off-peak is the fast
    # approximation a large territory asks for (benchmarks/bench_roadworks.py)
    day_method = param.Selector(default="hourly", objects=["peak+off-peak", "hourly"],
                                doc="[-] hourly: every hour of the window with its own demand; peak+off-peak: the "
                                    "peak hour and the mean off-peak level, one assignment each (fast)")
    internal_scale = param.Number(default=1.0, bounds=(0, 100), doc="[-] calibrated internal demand factor")
    through_scale = param.Number(default=1.0, bounds=(0, 100), doc="[-] calibrated through-traffic factor")

    def validate(self) -> None:
        """The hours and the polygon parse, no street name is empty (at construction: a typo fails
        before the territory loads)."""
        from twin.scenarios.street_closure import refuse_blank_names  # noqa: PLC0415

        refuse_blank_names(self.streets, "streets")
        refuse_blank_names(self.detour, "detour")
        if self.capacity_factor == 0 and not self.one_direction:
            # a signed detour through the street the works close both ways is a sign no driver can follow:
            # the run would silently drop that part of it (a closed link carries nothing)
            closed = {str(s).casefold() for s in self.streets}
            through = [str(s) for s in self.detour if str(s).casefold() in closed]
            if through:
                raise ScenarioError(f"detour: {', '.join(through)} is closed by the works: a signed detour goes "
                                    "round them", key="err_detour_closed", values={"streets": ", ".join(through)})
        _hours(self.hours)
        if self.polygon:
            from twin.scenarios.zones import check_polygon  # noqa: PLC0415

            check_polygon(self.polygon)

    def affected_edges(self, territory, road) -> np.ndarray:
        """Boolean per directed edge: touched by the works. A clear error for unknown streets."""
        from twin.scenarios.street_closure import StreetClosure  # noqa: PLC0415

        G = territory.graphs["drive"]
        hit = np.zeros(len(road.edges), bool)
        index = {e: i for i, e in enumerate(road.edges)}
        if self.streets:
            for u, v, k in StreetClosure(streets=self.streets).closed_edges(G):
                hit[index[(u, v, k)]] = True
        if self.polygon:
            from twin.scenarios.zones import edges_in_polygon  # noqa: PLC0415

            hit |= edges_in_polygon(territory, road.edges, self.polygon, "roadworks polygon")
        if not hit.any():
            raise ScenarioError("roadworks: no street selected (give streets or a polygon that covers some)",
                                key="err_no_street_selected")
        if self.one_direction:
            hit &= np.array([not G.edges[e].get("reversed", False) for e in road.edges])
        return hit

    def _destination_times(self, territory, road, net, cost, category, residents=None) -> tuple[float, int]:
        """(mean drive time [min] from every node that reaches one of the ``category`` places to the nearest,
        how many nodes reach one): NaN and 0 when the territory has none. ``residents``: the costs with the
        streets closed « sauf riverains » open, for the nodes that reach no place without them (their
        residents drive through the works; the others do not)."""
        from twin.models.accessibility import nearest_nodes  # noqa: PLC0415

        places = territory.place(category)
        if places.empty:
            return float("nan"), 0
        G = territory.graphs["drive"]
        pts = places.geometry.representative_point()
        targets = nearest_nodes(G, pts.x.to_numpy(), pts.y.to_numpy())
        pos = {n: i for i, n in enumerate(road.nodes)}
        from scipy.sparse import csr_matrix  # noqa: PLC0415
        from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

        n = len(road.nodes)

        def times(c):
            finite = np.isfinite(c)
            m = csr_matrix((c[finite] * 60.0, (net.term[finite], net.init[finite])), shape=(n, n))  # reversed
            return dijkstra(m, directed=True, indices=[pos[t] for t in targets]).min(axis=0)

        d = times(cost)
        if residents is not None:
            d = np.where(np.isfinite(d), d, times(residents))
        d = d[np.isfinite(d)]
        return (float(d.mean()) if len(d) else float("inf")), len(d)

    def _works_network(self, base_net, hit, signed):
        """The network during the works and its closed links (None when the works only cut capacity, or close
        « sauf riverains »: open at an entry penalty, :func:`entry_edges`): the
        same links as the baseline's, so the baseline's paths start the assignment; ``signed``: the links of
        the signed detour (:meth:`detour_edges`), made more attractive."""
        net = copy.copy(base_net)
        closed = hit if self.capacity_factor == 0 and not self.residents_access else None
        if self.capacity_factor > 0:
            net.capacity = np.where(hit, base_net.capacity * self.capacity_factor, base_net.capacity)
        toll = np.zeros(len(hit))
        if self.detour:
            toll = np.where(signed, -self.detour_attraction * base_net.fftt, 0.0)
        if self.capacity_factor == 0 and self.residents_access:
            # « sauf riverains »: open, at a perceived cost no through trip pays, charged once, on the closed
            # edge that enters the works from an open street (charged on every closed edge, the residents took
            # the way out with the fewest edges, whatever its time, and crowded it: a closed street read as the
            # one gaining most traffic). The trips that end behind the works pay it anyway, those that start
            # there leave free; the reported times leave it out
            toll = np.where(entry_edges(base_net, hit), RESIDENTS_PENALTY_H, toll)
        if toll.any():
            net.toll = toll
            net.toll_weight = 1.0
        return net, closed

    def detour_edges(self, territory, road) -> np.ndarray:
        """Boolean per directed edge: a street of the signed detour (both directions of its ways)."""
        signed = np.zeros(len(road.edges), bool)
        if self.detour:
            from twin.scenarios.street_closure import StreetClosure  # noqa: PLC0415

            index = {e: i for i, e in enumerate(road.edges)}
            for e in StreetClosure(streets=self.detour).closed_edges(territory.graphs["drive"]):
                signed[index[e]] = True
        return signed

    def cut_off_buildings(self, territory, road, closed: np.ndarray) -> pd.DataFrame:
        """The buildings whose street node the closures cut from the rest of the network (its largest
        strongly connected part, as without the works): one row each, its id, name and address, and
        whether a car can still leave it (``can_leave``) or reach it (``can_be_reached``) — the homes and
        premises a closure leaves with no drive in or out, which the stranded trips count in the demand's
        zones. Empty when the works close nothing."""
        import networkx as nx  # noqa: PLC0415

        from twin.models.accessibility import nearest_nodes  # noqa: PLC0415

        cols = {"building_id": pd.Series(dtype=str), "name": pd.Series(dtype=str), "address": pd.Series(dtype=str),
                "can_leave": pd.Series(dtype=bool), "can_be_reached": pd.Series(dtype=bool)}
        if closed is None or not closed.any():
            return pd.DataFrame(cols)

        def giant(edges):
            g = nx.DiGraph()
            g.add_nodes_from(road.nodes)
            g.add_edges_from((u, v) for u, v, _ in edges)
            return g, max(nx.strongly_connected_components(g), key=len)

        _, before = giant(road.edges)
        works, after = giant([e for e, shut in zip(road.edges, closed, strict=True) if not shut])
        lost = before - after
        if not lost:
            return pd.DataFrame(cols)
        root = next(iter(after))
        leave, reached = nx.ancestors(works, root) | after, nx.descendants(works, root) | after
        b = territory.layers["buildings"]
        pts = b.geometry.representative_point()
        node = nearest_nodes(territory.graphs["drive"], pts.x.to_numpy(), pts.y.to_numpy())
        hit = np.array([n in lost for n in node], bool)
        text = lambda c: (b[c].where(b[c].notna(), "").astype(str) if c in b else pd.Series("", index=b.index))  # noqa: E731
        return pd.DataFrame({"building_id": b["id"].astype(str)[hit].to_numpy(), "name": text("name")[hit].to_numpy(),
                             "address": text("address")[hit].to_numpy(),
                             "can_leave": [n in leave for n in node[hit]],
                             "can_be_reached": [n in reached for n in node[hit]]})

    def run(self, territory) -> Outcome:
        road, demand = territory_traffic(territory)
        hit = self.affected_edges(territory, road)
        signed = self.detour_edges(territory, road)
        shut = self.capacity_factor == 0 and not self.one_direction
        parts = [s for s in self.streets if parse_part(s)]
        if shut and parts and (signed & hit).any():
            # a signed detour along a street the works close only part of runs on its open rest (« Rue des
            # Douves » signed round works on 30 m of it was refused as « closed by the works »); a segment
            # closed by a whole street or the polygon as well is still refused below
            from twin.scenarios.street_closure import StreetClosure  # noqa: PLC0415

            index = {e: i for i, e in enumerate(road.edges)}
            by_parts = np.zeros(len(road.edges), bool)
            by_parts[[index[e] for e in StreetClosure(streets=parts).closed_edges(territory.graphs["drive"])]] = True
            others = Roadworks(streets=[s for s in self.streets if not parse_part(s)], polygon=self.polygon,
                               one_direction=self.one_direction).affected_edges(territory, road) \
                if len(parts) < len(self.streets) or self.polygon else np.zeros(len(road.edges), bool)
            signed &= ~(by_parts & ~others)
        if shut and (signed & hit).any():
            # the closed street named otherwise (another case, its way id) or inside the works' polygon
            through = sorted({road.names[i] or f"way {road.way_ids[i]}" for i in np.flatnonzero(signed & hit)})
            raise ScenarioError(f"detour: {', '.join(through)} is closed by the works: a signed detour goes round "
                                "them", key="err_detour_closed", values={"streets": ", ".join(through)})
        demand = demand.combined(self.internal_scale, self.through_scale)
        window = _hours(self.hours)  # [(hour, share of the hour inside the window)]
        hours = [h for h, _ in window]
        share = dict(window)
        day_peak = int(np.argmax(WEEKDAY_PROFILE))  # the hour the demand stands for (factor 1)
        # the works' peak: the busiest hour they are in place — the day's peak when they cover it; night
        # works are judged (peak KPIs, map) at the busiest hour of their night, never at a peak they miss
        peak_h = hours[int(np.argmax(WEEKDAY_PROFILE[hours]))]
        peak_share = WEEKDAY_PROFILE[day_peak]
        # (name, demand factor relative to the day's peak hour, the window's hours it stands for, is the peak)
        if self.day_method == "hourly":
            levels = [(f"{h:02d}h", float(WEEKDAY_PROFILE[h] / peak_share), [h], h == peak_h) for h in hours]
        else:
            off = [h for h in hours if h != peak_h]
            levels = [("peak", float(WEEKDAY_PROFILE[peak_h] / peak_share), [peak_h], True)]
            if off:
                # the off-peak level is the mean demand of the hours it stands for, each by its share
                w = np.array([share[h] for h in off])
                levels.append(("off-peak", float(np.average(WEEKDAY_PROFILE[off], weights=w) / peak_share), off,
                               False))
        values, flows, costs, open_costs = {}, {}, {}, {}
        hourly_vh, reaching = {}, {}
        base_net = road.to_tntp()
        baseline_paths, baseline_tstt = {}, {}
        residents = self.capacity_factor == 0 and self.residents_access
        for variant in ("baseline", "works"):
            net, closed = (base_net, None) if variant == "baseline" else self._works_network(base_net, hit, signed)
            v = {"vehicle_hours_window": 0.0, "vehicle_km_window": 0.0, "trips_without_route_window": 0.0}
            per_hour = {}
            for name, factor, covered, is_peak in levels:
                od = demand.assign(demand=demand["demand"] * factor)
                if variant == "baseline":
                    r = baseline_equilibrium(net, od, self.gap)
                    baseline_paths[name], baseline_tstt[name] = r.paths, r.tstt
                else:  # from the baseline's paths: only what the works change is computed again
                    # « sauf riverains »: the works' links open at their entry penalty, the traffic they carried
                    # rerouted as a closure's, the gap asked on the real times (the penalty counts in its total)
                    gap = residents_gap(self.gap, baseline_tstt[name], net, hit, od) if residents else self.gap
                    r = assign(net, od, gap=gap, algorithm="gp", closed=closed, start=baseline_paths[name],
                               reroute=hit if residents else None)
                vkm = float((r.flows * net.length).sum() / 1000.0)
                if is_peak:
                    v["vehicle_hours_peak"] = r.tstt
                    v["trips_without_route_peak"] = r.unreachable_demand
                    flows[variant] = r.flows
                    c = r.costs - net.fixed_cost  # real times, not the perceived ones
                    # the access times: no way through the works, residents' access or not (it serves only them)
                    barred = closed if closed is not None or variant == "baseline" or self.capacity_factor > 0 \
                        else hit
                    costs[variant] = c if barred is None else np.where(barred, np.inf, c)
                    open_costs[variant] = c if residents and variant == "works" else None
                covered_share = sum(share[h] for h in covered)  # 07:30-18:45: 0.5 of 7h, 0.75 of 18h
                v["vehicle_hours_window"] += r.tstt * covered_share
                v["vehicle_km_window"] += vkm * covered_share
                # veh/h with no route × hours it stands for = trips (never added to the driven totals)
                v["trips_without_route_window"] += r.unreachable_demand * covered_share
                per_hour.update({h: r.tstt * share[h] for h in covered})
            hourly_vh[variant] = [per_hour[h] for h in hours]
            v["co2_kg_window"] = v["vehicle_km_window"] * self.co2_kg_per_vkm
            v["drive_time_cost_eur_window"] = v["vehicle_hours_window"] * self.value_of_time_eur_per_veh_h
            for kpi, category in (("time_to_townhall_min", "townhall"), ("time_to_schools_min", "school")):
                v[kpi], reaching[variant, kpi] = self._destination_times(
                    territory, road, base_net, costs[variant], category, residents=open_costs[variant])
                # most of the town cut from it: the mean over the few nodes left is no answer (a flood that
                # isolated the town hall read « 0 min », -100 %): not computed, the stranded trips say why
                if variant != "baseline" and reaching[variant, kpi] < 0.5 * reaching["baseline", kpi]:
                    v[kpi] = float("nan")
            values[variant] = v
        change = flows["works"] - flows["baseline"]
        # the detour to sign: the open streets that gain (a street closed « sauf riverains » carries its residents)
        gaining = np.where(hit & (self.capacity_factor == 0), -np.inf, change)
        by_street = pd.Series(gaining, index=[road.names[i] or f"way {road.way_ids[i]}" for i in range(len(change))])
        top = by_street.groupby(level=0).max().sort_values(ascending=False, kind="stable").head(5)  # ties by name
        gainers = [f"{name}: {c:+.0f} veh/h" for name, c in top.items() if c >= 0.5]  # no "+0 veh/h" gainer
        outcome = Outcome.from_values(self.family, KPIS, values, territory=territory.name,
                                      streets=", ".join([*map(str, self.streets), *(["polygon"] if self.polygon else [])]),
                                      hours=self.hours,
                                      window_hours=float(sum(share.values())),
                                      capacity_factor=self.capacity_factor, one_direction=self.one_direction,
                                      affected_edges=int(hit.sum()),
                                      top_gainers="; ".join(gainers),
                                      works_peak_hour=f"{peak_h:02d}:00-{peak_h + 1:02d}:00",
                                      day_peak_hour=f"{day_peak:02d}:00-{day_peak + 1:02d}:00",
                                      peak_hour=f"{peak_h:02d}:00-{peak_h + 1:02d}:00"
                                      + ("" if peak_h == day_peak else f" (the works miss the day's peak, "
                                         f"{day_peak:02d}:00-{day_peak + 1:02d}:00: the peak KPIs and the map "
                                         "are at their own busiest hour)"),
                                      stranded_trips=_stranded_text(values["works"]),
                                      unproven_kpis=_unproven(values["baseline"], values["works"]),
                                      day_method="peak hour and mean off-peak level, each assigned once per variant"
                                      if self.day_method == "peak+off-peak" else "every hour of the window assigned",
                                      **({"priors": "demand: the gravity model uncalibrated (internal_scale = "
                                                    "through_scale = 1; twin traffic calibrate fits them on counts)"}
                                         if self.internal_scale == 1.0 and self.through_scale == 1.0 else {}))
        # what the works hold, in street: the metres of street and its segments (a two-way street's two
        # directions one segment), not the directed edges (« Tronçons touchés : 4 » for one short street)
        drive = territory.graphs["drive"]
        segments = {segment_key(u, v, drive.edges[u, v, k]): float(road.length_m[i])
                    for i, (u, v, k) in enumerate(road.edges) if hit[i]}
        outcome.data.attrs.update(works_street_m=round(sum(segments.values()), 1), works_segments=len(segments))
        if signed.any():  # the signed detour: how much traffic it gains at the works' peak (on its segment that gains most)
            outcome.data.attrs.update(detour=", ".join(map(str, self.detour)),
                                      detour_gain_veh_h=round(float(change[signed].max()), 1))
        cut = self.cut_off_buildings(territory, road, hit if self.capacity_factor == 0 else None)
        if self.capacity_factor == 0 and self.residents_access:
            # reached through the works alone, and still reached: their residents drive in and out
            outcome.data.attrs["buildings_behind_works"] = int(len(cut))
            cut = cut.iloc[0:0]
        outcome.data.attrs["residents_access"] = "kept" if self.residents_access and self.capacity_factor == 0 \
            else "none" if self.capacity_factor == 0 else "not needed (the street stays open)"
        outcome.data.attrs["buildings_cut_off"] = int(len(cut))
        outcome.add_table("cut_off_buildings", cut, kind="layer", key="building_id",
                          description="the buildings the closures cut from the rest of the street network while "
                                      "they are in place: whether a car can still leave them (can_leave) or "
                                      "reach them (can_be_reached); empty when no building is cut off")
        edges = [f"{u}-{v}-{k}" for u, v, k in road.edges]
        variants = outcome.variants
        outcome.add_series("peak_flow_veh_h",
                           xr.DataArray(np.stack([flows["baseline"], flows["works"]]), dims=("variant", "edge"),
                                        coords={"variant": variants, "edge": edges}),
                           unit="veh/h", description="peak-hour flow per directed street edge (u-v-key of the "
                                                     "drive graph; 0 on an edge closed to all, its residents' "
                                                     "traffic on one closed « sauf riverains »)")
        hourly = xr.DataArray(np.array([hourly_vh["baseline"], hourly_vh["works"]]), dims=("variant", "hour"),
                              coords={"variant": variants, "hour": hours,
                                      "hour_share": ("hour", [share[h] for h in hours])},
                              attrs={"method": outcome.data.attrs["day_method"]})
        outcome.add_series("hourly_vehicle_hours", hourly, unit="veh·h",
                           description="vehicle-hours travelled in each hour of the window (a partial hour: its "
                                       "part inside the window)")
        outcome.data["hour"].attrs.update({"unit": "h", "description": "local hour of the day"})
        outcome.data["hour_share"].attrs.update({"unit": "1", "description": "share of each hour inside the works' "
                                                 f"window ({self.hours}, minutes kept)"})
        streets = pd.DataFrame({"edge": edges, "street": road.names, "osm_way_id": road.way_ids,
                                "baseline": flows["baseline"], "works": flows["works"], "change": change,
                                "closed": hit & (self.capacity_factor == 0), "under_works": hit,
                                "signed_detour": signed}) \
            .sort_values("change", ascending=False)
        outcome.add_table("streets", streets, kind="layer", key="edge",
                          description="peak-hour flow on every directed street edge, without and with the works, "
                                      "largest gain first (closed: shut by the works, to all or « sauf "
                                      "riverains » as the attribute residents_access says; under_works: shut "
                                      "or with its capacity cut; signed_detour: a street of the signed detour)",
                          units={"baseline": "veh/h", "works": "veh/h", "change": "veh/h"})
        return outcome
