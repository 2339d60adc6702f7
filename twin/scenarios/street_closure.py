"""Street closure: who loses their drive to a key place, and how much longer the others drive.

The smallest real scenario of the contract: close streets (by name or OSM way
id) on a copy of the territory, then measure from every building the shortest
drive to a destination (the town hall by default) before and after.
Roadworks detours with a traffic assignment (issue #3) build on the same shape.
"""

from __future__ import annotations

import difflib

import networkx as nx
import numpy as np
import param

from twin.models.accessibility import distances_to, nearest_nodes
from twin.outcome import KPI, Outcome
from twin.scenarios.base import Scenario, ScenarioError

KPIS = [
    KPI("buildings_without_route", "buildings", "human",
        "buildings with no drivable route to the destination"),
    KPI("mean_drive_distance_m", "m", "human",
        "mean shortest drive from a building to the destination (buildings with a route)"),
    KPI("round_trip_vehicle_km", "km", "environmental",
        "vehicle-km if every building with a route drives once to the destination and back"),
    KPI("closed_street_length_m", "m", "human", "length of street closed to traffic (both directions counted once)"),
]


class StreetClosure(Scenario):
    """Close streets and compare drive access to a destination before and after."""

    family = "street-closure"

    streets = param.List(default=[], item_type=(str, int),
                         doc="[-] streets to close: names (case-insensitive) or OSM way ids")
    destination = param.Selector(default="townhall", objects=["townhall", "school", "health", "station", "sport",
                                                              "library", "market"],
                                 doc="[-] category of place every building drives to (the first of that category)")
    variant_name = param.String(default="closed", doc="[-] label of the variant in the outcome")

    def closed_edges(self, G):
        """The (u, v, key) edges of ``G`` matching ``streets``; a clear error for unknown streets."""
        wanted_names = {s.lower() for s in self.streets if isinstance(s, str) and not s.isdigit()}
        wanted_ids = {int(s) for s in self.streets if isinstance(s, int) or (isinstance(s, str) and s.isdigit())}
        edges, found_names, found_ids = [], set(), set()
        for u, v, k, d in G.edges(keys=True, data=True):
            name = (d.get("name") or "").lower()
            way_ids = {int(x) for x in str(d.get("osm_way_ids", d["osm_way_id"])).split(";")}
            if name in wanted_names or way_ids & wanted_ids:
                edges.append((u, v, k))
                found_names |= {name} & wanted_names
                found_ids |= way_ids & wanted_ids
        missing = sorted(wanted_names - found_names) + sorted(map(str, wanted_ids - found_ids))
        if missing:
            names = {d["name"].lower(): d["name"] for _, _, d in G.edges(data=True) if d.get("name")}
            hints = {m: [names[h] for h in difflib.get_close_matches(m, sorted(names), n=3, cutoff=0.6)]
                     for m in missing}
            raise ScenarioError("no drivable street matches " + "; ".join(
                f"{m!r}" + (f" (did you mean {', '.join(map(repr, h))}?)" if h else "") for m, h in hints.items()))
        return edges

    def run(self, territory) -> Outcome:
        if not self.streets:
            raise ScenarioError("street-closure: give at least one street to close (parameter 'streets')")
        G = territory.graphs["drive"]
        places = territory.place(self.destination)
        if places.empty:
            raise ScenarioError(f"territory {territory.name!r} has no place of category {self.destination!r}")
        dest = places.iloc[0]
        dest_pt = dest.geometry.representative_point()
        # Snap to the largest strongly connected part of the baseline network: in a clipped
        # extract, one-way stubs that ran out of the box lead nowhere even before any closure.
        core = G.subgraph(max(nx.strongly_connected_components(G), key=len))
        target = nearest_nodes(core, [dest_pt.x], [dest_pt.y])[0]
        buildings = territory.layers["buildings"]
        pts = buildings.geometry.representative_point()
        origins = nearest_nodes(core, pts.x.to_numpy(), pts.y.to_numpy())
        edges = self.closed_edges(G)
        closed = territory.without_edges("drive", edges)
        seen, closed_len = set(), 0.0
        for u, v, k in edges:
            key = (min(u, v), max(u, v), G.edges[u, v, k]["osm_way_id"])
            if key not in seen:
                seen.add(key)
                closed_len += G.edges[u, v, k]["length"]
        values = {}
        for label, terr in (("baseline", territory), (self.variant_name, closed)):
            d = distances_to(terr.graphs["drive"], target, origins)
            ok = np.isfinite(d)
            values[label] = {
                "buildings_without_route": float((~ok).sum()),
                "mean_drive_distance_m": float(d[ok].mean()) if ok.any() else float("nan"),
                "round_trip_vehicle_km": float(2.0 * d[ok].sum() / 1000.0),
                "closed_street_length_m": 0.0 if label == "baseline" else closed_len,
            }
        return Outcome.from_values(self.family, KPIS, values, territory=territory.name,
                                   destination=f"{dest['name'] or self.destination} ({dest['id']})",
                                   streets=", ".join(map(str, self.streets)), closed_edges=len(edges))
