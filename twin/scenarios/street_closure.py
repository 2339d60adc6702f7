"""Street closure: who loses their drive to a key place, and how much longer the others drive.

The smallest real scenario of the contract: close streets (by name or OSM way
id) on a copy of the territory, then measure from every building the shortest
drive to a destination (the town hall by default) before and after.
Roadworks detours with a traffic assignment (issue #3) build on the same shape.

The outcome lists the closed directed edges (table ``closed_streets``: edge ``u-v-key``, street,
OSM way id(s), length) — what the map draws.

Stranded buildings — a building the closure cuts off from the destination is counted by the KPI
``buildings_without_route``, never dropped; the distance KPIs measure the drives that still exist, so
they leave it out (a closure that strands the farthest buildings lowers the mean distance and the
vehicle-km). No penalty distance is added (none would have a source); instead the outcome is
flagged: its attribute ``stranded_buildings`` says how many buildings lost their route and which
KPIs leave them out ("none" otherwise), the KPIs' descriptions say so, and
:attr:`StreetClosure.stranded_kpis` lets the app refuse to show those KPIs' fall as an improvement.
"""

from __future__ import annotations

import difflib

import geopandas as gpd
import numpy as np
import pandas as pd
import param
from shapely.geometry import Point

from twin.models.accessibility import edge_index
from twin.outcome import KPI, Outcome, leaving_out
from twin.scenarios.base import Scenario, ScenarioError
from twin.territory.street_parts import parse_part, street_of

STRANDED_KPIS = {"buildings_without_route": ("mean_drive_distance_m", "round_trip_vehicle_km")}
"""The KPI counting buildings left with no route -> the KPIs that leave them out."""

KPIS = leaving_out([
    KPI("buildings_without_route", "buildings", "human",
        "buildings with no drivable route to the destination"),
    KPI("mean_drive_distance_m", "m", "human",
        "mean shortest drive from a building to the destination (buildings with a route; those without are "
        "left out: see buildings_without_route)"),
    KPI("round_trip_vehicle_km", "km", "environmental",
        "vehicle-km if every building with a route drives once to the destination and back (buildings without "
        "a route left out: see buildings_without_route)"),
    KPI("closed_street_length_m", "m", "human", "length of street closed to traffic (both directions counted once)"),
], STRANDED_KPIS)


def refuse_blank_names(streets, parameter: str) -> None:
    """ScenarioError when a street of ``streets`` is an empty or blank name.

    Streets without a name in OpenStreetMap have the empty name in the edge index, so ``''`` would
    match (and close) every unnamed street of the territory: never what a user who left a box
    empty meant."""
    # true/false are ints to Python: [true] closed OSM way 1
    flags = [i for i, s in enumerate(streets) if isinstance(s, bool)]
    if flags:
        raise ScenarioError(f"{parameter}: item {flags[0] + 1} of {len(streets)} is {str(streets[flags[0]]).lower()}, "
                            "not a street: give a street name or an OSM way id",
                            key="err_bool_street", values={"parameter": parameter, "item": flags[0] + 1,
                                                           "count": len(streets)})
    blank = [i for i, s in enumerate(streets) if isinstance(s, str) and not s.strip()]
    if blank:
        raise ScenarioError(f"{parameter}: item {blank[0] + 1} of {len(streets)} is an empty street name (it would "
                            "match every unnamed street); give a street name or an OSM way id",
                            key="err_blank_street", values={"parameter": parameter, "item": blank[0] + 1,
                                                            "count": len(streets)})


class StreetClosure(Scenario):
    """Close streets and compare drive access to a destination before and after."""

    family = "street-closure"
    # stranded KPI -> the KPIs that leave its buildings out: the app does not show their fall as better
    stranded_kpis = STRANDED_KPIS

    streets = param.List(default=[], item_type=(str, int),
                         doc="[-] streets to close: names (case-insensitive), OSM way ids, or parts of a street "
                             "('<street> #<node>-<node>': the segment between two OSM nodes)")
    destination = param.Selector(default="townhall", objects=["townhall", "school", "health", "station", "sport",
                                                              "library", "market", "centre"],
                                 doc="[-] category of place every building drives to (the first of that category; "
                                     "'centre': the centre of the buildings, also taken when OSM maps none of the "
                                     "category, and said so)")
    variant_name = param.String(default="closed", doc="[-] label of the variant in the outcome")

    def validate(self) -> None:
        """No empty street name (see :func:`refuse_blank_names`)."""
        refuse_blank_names(self.streets, "streets")

    def closed_positions(self, index) -> np.ndarray:
        """Positions (into the :class:`~twin.models.accessibility.EdgeIndex`) of the edges matching
        ``streets``; a clear error naming the unknown streets, with close names as hints."""
        # a part of a street (« Rue des Douves #u-v », twin.territory.street_parts): that segment alone
        parts = {(a, b): s for s in self.streets if (p := parse_part(s)) for a, b in [p[1:]]}
        whole = [s for s in self.streets if not parse_part(s)]
        wanted_names = {s.lower() for s in whole if isinstance(s, str) and not s.isdigit()}
        wanted_ids = {int(s) for s in whole if isinstance(s, int) or (isinstance(s, str) and s.isdigit())}
        found_names, found_ids, found_parts, hits = set(), set(), set(), []
        for i, (name, ways) in enumerate(zip(index.names, index.ways, strict=True)):
            u, v, _ = index.keys[i]
            part = tuple(sorted((str(u), str(v)), key=int)) if parts and str(u).isdigit() and str(v).isdigit() else None
            # a part closes its street's segment only (« Rue Fausse #u-v » closed Rue des Douves' segment)
            part = part if part in parts and street_of(parts[part]).lower() in {name, *map(str, ways)} else None
            if name in wanted_names or ways & wanted_ids or part in parts:
                hits.append(i)
                found_names |= {name} & wanted_names
                found_ids |= ways & wanted_ids
                found_parts |= {part} & parts.keys()
        lost = [parts[k] for k in parts if k not in found_parts]
        if lost:
            raise ScenarioError("no street segment of the drive graph matches " + ", ".join(map(repr, lost))
                                + " (a part is '<street> #<node>-<node>', the OSM node ids of its two ends)",
                                key="err_no_street_part", values={"parts": [list(parse_part(s)) for s in lost]})
        as_typed = {s.lower(): s for s in self.streets if isinstance(s, str)}  # the error quotes the user's spelling
        missing = sorted(wanted_names - found_names) + sorted(map(str, wanted_ids - found_ids))
        if missing:
            names = sorted(n for n in index.spelling if n)
            hints = {m: [index.spelling[h] for h in difflib.get_close_matches(m, names, n=3, cutoff=0.6)]
                     for m in missing}
            close = list(dict.fromkeys(n for h in hints.values() for n in h))  # every hint once, in order
            typed = {m: as_typed.get(m, m) for m in missing}
            raise ScenarioError("no drivable street matches " + "; ".join(
                f"{typed[m]!r}" + (f" (did you mean {', '.join(map(repr, h))}?)" if h else "") for m, h in hints.items()),
                key="err_no_street_hint" if close else "err_no_street",
                values={"streets": ", ".join(repr(typed[m]) for m in missing), "hints": ", ".join(map(repr, close))})
        return np.asarray(hits, dtype=np.int64)

    def closed_edges(self, G):
        """The (u, v, key) edges of ``G`` matching ``streets``; a clear error for unknown streets."""
        index = edge_index(G)
        return [index.keys[i] for i in self.closed_positions(index)]

    def run(self, territory) -> Outcome:
        if not self.streets:
            raise ScenarioError("street-closure: give at least one street to close (parameter 'streets')",
                                key="err_no_streets_given")
        G = territory.graphs["drive"]
        index = edge_index(G)  # built once per graph: a closure is then a mask and one Dijkstra
        places, fallback = destination_place(territory, self.destination)
        dest = places.iloc[0]
        # Snap to the largest strongly connected part of the baseline network: in a clipped
        # extract, one-way stubs that ran out of the box lead nowhere even before any closure.
        target = index.snap(places)[0]
        origins = index.snap(territory.layers["buildings"])
        closed = self.closed_positions(index)
        seen, closed_len = set(), 0.0
        for i in closed:
            u, v, k = index.keys[i]
            key = (min(u, v), max(u, v), G.edges[u, v, k]["osm_way_id"])
            if key not in seen:
                seen.add(key)
                closed_len += G.edges[u, v, k]["length"]
        open_edges = np.ones(len(index.keys), dtype=bool)
        open_edges[closed] = False
        values = {}
        for label, mask in (("baseline", None), (self.variant_name, open_edges)):
            d = index.distances_to(target, origins, mask)
            ok = np.isfinite(d)
            values[label] = {
                "buildings_without_route": float((~ok).sum()),
                "mean_drive_distance_m": float(d[ok].mean()) if ok.any() else float("nan"),
                "round_trip_vehicle_km": float(2.0 * d[ok].sum() / 1000.0),
                "closed_street_length_m": 0.0 if label == "baseline" else closed_len,
            }
        out = Outcome.from_values(self.family, KPIS, values, territory=territory.name,
                                  destination=f"{dest['name'] or self.destination} ({dest['id']})",
                                  **({"priors": fallback} if fallback else {}),
                                  streets=", ".join(map(str, self.streets)), closed_edges=len(closed),
                                  stranded_buildings=_stranded_text(values["baseline"], values[self.variant_name]))
        out.add_table("closed_streets", _closed_streets(G, index, closed), kind="list", key="edge",
                      description="the directed street edges closed (u-v-key of the drive graph), with the "
                                  "street's name as written in OpenStreetMap",
                      units={"length_m": "m"})
        return out


def destination_place(territory, category: str) -> tuple[gpd.GeoDataFrame, str]:
    """(one-row places frame of the destination, the fallback said in the outcome or ""): the first place
    of ``category``; when OSM maps none (a village without a mapped town hall) or ``category`` is
    ``"centre"``, the centre of the buildings — the mean of their centroids, where a
    commune's services usually stand (an assumption, said in the outcome's ``priors``); weighted by footprint."""
    places = territory.layers["places"]
    which = np.flatnonzero(places["category"].to_numpy() == category) if category != "centre" else []
    if len(which):
        return places.iloc[[which[0]]], ""
    buildings = territory.layers["buildings"]
    if not len(buildings):
        raise ScenarioError(f"territory {territory.name!r} has no place of category {category!r} and no building "
                            "to take the centre of", key="err_no_place",
                            values={"territory": territory.name, "category": category})
    points = buildings.geometry.centroid
    weight = buildings.geometry.area.to_numpy()
    centre = Point(float(np.average(points.x, weights=weight)), float(np.average(points.y, weights=weight)))
    frame = gpd.GeoDataFrame({"id": ["centre"], "name": ["centre des bâtiments"], "category": ["centre"]},
                             geometry=[centre], crs=buildings.crs)
    why = ("destination: the centre of the buildings (weighted by footprint), as asked" if category == "centre" else
           f"destination: OSM maps no place of category {category!r} here: the centre of the buildings "
           "(weighted by footprint) instead")
    return frame, why


def _stranded_text(base: dict, closed: dict) -> str:
    """The outcome's flag: how many buildings the closure cuts off and which KPIs leave them out ("none")."""
    lost = closed["buildings_without_route"] - base["buildings_without_route"]
    if lost <= 0:
        return "none"
    return (f"{lost:.0f} buildings lose their drive to the destination: left out of mean_drive_distance_m and "
            "round_trip_vehicle_km (counted in buildings_without_route)")


def _closed_streets(G, index, closed: np.ndarray) -> pd.DataFrame:
    """One row per closed directed edge: its id ``u-v-key``, street name, OSM way id (``osm_way_ids``: all
    of them, ``;``-separated) and length (m)."""
    rows = []
    for i in closed:
        u, v, k = index.keys[i]
        d = G.edges[u, v, k]
        rows.append({"edge": f"{u}-{v}-{k}", "street": str(d.get("name") or ""),
                     "osm_way_id": int(d["osm_way_id"]),
                     # an edge merged from several ways when the graph was simplified keeps them all
                     "osm_way_ids": str(d.get("osm_way_ids", d["osm_way_id"])),
                     "length_m": float(d["length"])})
    return pd.DataFrame(rows, columns=["edge", "street", "osm_way_id", "osm_way_ids", "length_m"]).astype(
        {"osm_way_id": "int64", "length_m": "float64"})
