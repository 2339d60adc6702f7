"""Flood detours: the flood forecast's streets to close feed the roadworks model.

A coupled scenario. The flood forecast (:mod:`twin.scenarios.flood`) lists the drivable street
segments under water at the median forecast peak of each of its variants (its list
``streets_to_close``: edge ``u-v-key`` of the drive graph). Those exact edges — not whole streets
or OSM ways, only the flooded segments — are closed in a roadworks run (:mod:`twin.scenarios.roadworks`):
the traffic equilibrium with and without them gives the detours (vehicle-hours, vehicle-km, CO2)
and the trips left with no route at all (``trips_without_route_*``, never dropped).

Emergency access. From the territory's emergency places — fire stations (OSM ``amenity=fire_station``)
and hospitals (``amenity=hospital``), found in the ``places`` layer and among buildings (a hospital
mapped as a building stays in the buildings layer, its ``amenity`` kept) — the drive time to every
building, before and after the closures (:func:`emergency_access`). Assumptions, stated once:

* time from the place to the building (the way a fire engine or an ambulance drives), the nearest
  place of the service counting; one-way streets are respected;
* free-flow time at the street's speed limit (:func:`twin.models.demand.link_supply`): emergency
  vehicles are not slowed by congestion, nor faster than the limit — a lower bound of the real delay,
  without the time to leave the station;
* a building is reached through the street node nearest to it (its representative point), among the
  largest strongly connected part of the drive graph (as :meth:`twin.models.accessibility.EdgeIndex.snap`).

KPIs per service: buildings later than the service's threshold (``fire_threshold_min``, default
``fire_response_threshold_min`` of the factors table, a project assumption; ``hospital_threshold_min``,
default ``hospital_access_threshold_min``: the 30 minutes of the Pacte territoire-santé, 2012),
buildings unreachable, and the worst time among the buildings still reached. A territory with no
place of a service gets NaN for its KPIs and says so in the attribute ``emergency_<service>``: never a
silent zero (the Redon seed's extract has neither: its fire station and hospital lie outside it).

The outcome carries the roadworks' series (``peak_flow_veh_h``, ``hourly_vehicle_hours``) and layer
``streets``, the list ``streets_to_close`` that was closed, and the layer ``buildings`` (one row per
service and building: service, building_id, time_before_min, time_after_min, reachable, late).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import param
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from twin.economics import factor
from twin.models.demand import road_network
from twin.outcome import KPI, Outcome, leaving_out
from twin.scenarios.base import Scenario, ScenarioError
from twin.scenarios.roadworks import KPIS as ROADWORKS_KPIS
from twin.scenarios.roadworks import STRANDED_KPIS, Roadworks

SERVICES = {"fire": "fire_station", "hospital": "hospital"}
"""Emergency service -> the OSM ``amenity`` value of its places."""
VARIANT = "flooded streets closed"


def _access_kpis() -> list[KPI]:
    out = []
    for service in SERVICES:
        out += [
            KPI(f"{service}_buildings_late", "buildings", "human",
                f"buildings the nearest {service.replace('fire', 'fire station')} reaches later than the threshold "
                "(free-flow drive; NaN: no such place in the territory)"),
            KPI(f"{service}_buildings_unreachable", "buildings", "human",
                f"buildings no {service.replace('fire', 'fire station')} can reach by road (NaN: no such place)"),
            KPI(f"{service}_worst_min", "min", "human",
                f"longest drive from the nearest {service.replace('fire', 'fire station')} among the buildings "
                "still reached (unreachable ones counted apart; NaN: no such place)"),
        ]
    return out


STRANDED = {**STRANDED_KPIS, **{f"{service}_buildings_unreachable": (f"{service}_buildings_late", f"{service}_worst_min")
                                 for service in SERVICES}}
"""Each KPI counting what the closures strand -> the KPIs that leave it out: the roadworks' trips, and the
buildings no emergency service reaches any more (their drive is neither late nor the longest)."""

KPIS = leaving_out([*ROADWORKS_KPIS, KPI("segments_closed", "street segments", "human",
                                         "drivable street segments the flood closes (a two-way street's two directions: one)"),
                    *_access_kpis()], STRANDED)


def emergency_places(territory, amenity: str):
    """The territory's places with OSM ``amenity`` = ``amenity``, from the ``places`` layer and the
    buildings (GeoDataFrame in the territory's CRS, columns id, name, geometry; may be empty).

    A territory built before places kept their ``amenity`` has none there: only its buildings count.
    A feature in both layers (same ``id``) counts once.
    """
    import geopandas as gpd  # noqa: PLC0415

    parts = []
    for layer in ("places", "buildings"):
        gdf = territory.layers.get(layer)
        if gdf is not None and "amenity" in gdf.columns and len(gdf):
            parts.append(gdf.loc[gdf["amenity"] == amenity, ["id", "name", "geometry"]])
    if not parts:
        return gpd.GeoDataFrame({"id": [], "name": []}, geometry=gpd.GeoSeries([], crs=territory.crs))
    # a mapped building that is also a place (amenity=hospital on a building way) is in both layers: once
    both = pd.concat(parts, ignore_index=True).drop_duplicates("id").reset_index(drop=True)
    return gpd.GeoDataFrame(both, geometry="geometry", crs=territory.crs)


def emergency_access(G, buildings, places, closed_edges=()) -> pd.DataFrame:
    """Free-flow drive time [min] from the nearest of ``places`` to every building, on the whole drive
    graph ``G`` and with ``closed_edges`` ((u, v, key) of ``G``) removed.

    ``buildings`` and ``places``: GeoDataFrames in ``G``'s CRS (metres), ``buildings`` with an ``id``
    column. Returns building_id, time_before_min, time_after_min (inf: no route) in the buildings'
    order. One multi-source Dijkstra per state (Dijkstra 1959), edge times ``length / speed limit``
    (:func:`twin.models.demand.link_supply`); the drive is from the place to the building.
    """
    from twin.models.accessibility import edge_index  # noqa: PLC0415

    if places.empty:
        raise ValueError("emergency_access: no places to drive from")
    road = road_network(G)
    index = edge_index(G)  # only for its snapping to the largest strongly connected part
    order = np.array([index.pos[n] for n in road.nodes])
    if not np.array_equal(order, np.arange(len(order))):  # both list G.nodes in order
        raise AssertionError("drive graph node order differs between road_network and EdgeIndex")
    b_nodes = index.snap(buildings)
    # the places are a frame made for this run: snapped directly, not through the per-layer cache, which
    # is for the territory's own layers (it would keep every run's frame alive in a long-lived worker)
    pts = places.geometry.representative_point()
    sources = np.unique(index.nearest(pts.x.to_numpy(), pts.y.to_numpy(), among=index.core))
    closed = set(closed_edges)
    open_ = np.array([e not in closed for e in road.edges], bool)
    times = {}
    for state, keep in (("before", np.ones(len(open_), bool)), ("after", open_)):
        t = road.fftt_h[keep] * 60.0
        i, j = road.init[keep], road.term[keep]
        # parallel edges: the fastest (a sparse matrix would add duplicates up)
        o = np.lexsort((t, j, i))
        i, j, t = i[o], j[o], t[o]
        first = np.ones(len(i), bool)
        first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
        n = len(road.nodes)
        m = csr_matrix((t[first], (i[first], j[first])), shape=(n, n))
        times[state] = dijkstra(m, directed=True, indices=sources, min_only=True)[b_nodes]
    return pd.DataFrame({"building_id": buildings["id"].astype(str).to_numpy(),
                         "time_before_min": times["before"], "time_after_min": times["after"]})


def access_kpis(times: pd.Series, threshold_min: float) -> dict[str, float]:
    """late (> threshold, reachable), unreachable (inf) and worst finite time [min] of drive times."""
    t = np.asarray(times, float)
    finite = np.isfinite(t)
    return {"buildings_late": float((t[finite] > threshold_min).sum()),
            "buildings_unreachable": float((~finite).sum()),
            "worst_min": float(t[finite].max()) if finite.any() else float("nan")}


class _EdgeWorks(Roadworks):
    """Roadworks closing given drive-graph edges (``u-v-key``) rather than streets by name or way."""

    edges = param.List(default=[], item_type=str, doc="[-] directed edges u-v-key to close")
    # a flooded street lets nobody through, residents included
    residents_access = param.Boolean(default=False, doc="[-] never: water lets no resident through")

    def affected_edges(self, territory, road) -> np.ndarray:
        wanted = set(self.edges)
        return np.array([f"{u}-{v}-{k}" in wanted for u, v, k in road.edges], bool)


class FloodDetours(Scenario):
    """Close the streets a flood forecast floods; detours, stranded trips and emergency access."""

    family = "flood-detours"
    # rows of the factors table its own defaults come from, and those its roadworks run's figures rest on (the
    # CO2 per km, the value of time: roadworks' rows, cited in its report too)
    factors = ("fire_response_threshold_min", "hospital_access_threshold_min")
    cited_factors = Roadworks.factors
    stranded_kpis = STRANDED

    flood = param.Dict(default={}, doc="[-] parameters of the flood forecast (as a flood scenario file, "
                                       "without 'family'), e.g. {\"forecast_time\": \"2023-02-22T00:00\"}")
    flood_variant = param.String(default="", doc="[-] the flood variant whose streets are closed "
                                                 "(empty: the forecast's variant; 'baseline': its baseline)")
    # a flooded street stays shut around the clock: the whole day by default (a shorter window would cut
    # the detours' vehicle-hours and km by a choice nobody made)
    hours = param.String(default="00:00-24:00", doc="[h] local hours the streets stay closed, HH:MM-HH:MM")
    fire_threshold_min = param.Number(default=factor("fire_response_threshold_min"), bounds=(0, 240),
                                      doc="[min] drive time from the fire station beyond which a building is late "
                                          "(factors table: fire_response_threshold_min)")
    hospital_threshold_min = param.Number(default=factor("hospital_access_threshold_min"), bounds=(0, 240),
                                          doc="[min] drive time from the hospital beyond which a building is late "
                                              "(factors table: hospital_access_threshold_min)")
    gap = param.Number(default=1e-4, bounds=(1e-8, 0.1), doc="[-] relative gap of each equilibrium")
    day_method = param.Selector(default="peak+off-peak", objects=["peak+off-peak", "hourly"],
                                doc="[-] as roadworks: peak and mean off-peak level, or every hour")

    def validate(self) -> None:
        """The flood parameters and the hours are checked before the territory loads."""
        self._flood_scenario()
        self._works([])

    def _flood_scenario(self):
        from twin.scenarios.flood import FloodForecast  # noqa: PLC0415

        if "family" in self.flood and self.flood["family"] != "flood":
            raise ScenarioError(f"flood: parameters of a flood forecast, not of {self.flood['family']!r}",
                                key="err_flood_family", values={"family": str(self.flood["family"])})
        # a flood the app saved may hold a hidden field's value, as it ran (strict=False)
        # its record on past floods (past_floods) is not shown here: not replayed for nothing (20 forecasts)
        return FloodForecast.from_dict({k: v for k, v in self.flood.items() if k not in ("family", "past_floods")},
                                       origin="flood", strict=False)

    def _works(self, edges) -> _EdgeWorks:
        return _EdgeWorks(edges=list(edges), hours=self.hours, gap=self.gap, day_method=self.day_method)

    def closures(self, territory) -> tuple[pd.DataFrame, str]:
        """The flood's ``streets_to_close`` rows of the chosen variant, and that variant's name."""
        flood = self._flood_scenario().run(territory)
        variant = self.flood_variant or flood.first_variant
        if variant not in flood.variants:
            raise ScenarioError(f"flood_variant: {variant!r} is not a variant of this forecast "
                                f"(it has {flood.variants})", key="err_flood_variant",
                                values={"variant": repr(variant), "variants": ", ".join(map(repr, flood.variants))})
        table = flood.table("streets_to_close")
        return table[table["variant"] == variant].reset_index(drop=True), variant

    def run(self, territory) -> Outcome:
        closed, flood_variant = self.closures(territory)
        works = self._works(closed["edge"]).run(territory)
        values = {"baseline": {}, VARIANT: {}}
        for ours, theirs in (("baseline", "baseline"), (VARIANT, "works")):
            for k in ROADWORKS_KPIS:
                values[ours][k.name] = works.value(k.name, theirs)
            values[ours]["segments_closed"] = 0.0 if ours == "baseline" else float(closed["segment"].nunique())
        G = territory.graphs["drive"]
        buildings = territory.layers["buildings"]
        by_name = {f"{u}-{v}-{k}": (u, v, k) for u, v, k in G.edges(keys=True)}
        edges = [by_name[e] for e in closed["edge"]]
        rows, notes = [], {}
        thresholds = {"fire": self.fire_threshold_min, "hospital": self.hospital_threshold_min}
        for service, amenity in SERVICES.items():
            places = emergency_places(territory, amenity)
            if places.empty:
                notes[f"emergency_{service}"] = (f"no amenity={amenity} in the territory's places or buildings: "
                                                 f"{service}_* KPIs are NaN (not computed), not zero")
                for ours in values:
                    values[ours].update({f"{service}_{k}": float("nan")
                                         for k in ("buildings_late", "buildings_unreachable", "worst_min")})
                continue
            notes[f"emergency_{service}"] = ", ".join(str(n) if isinstance(n, str) else str(i)
                                                      for i, n in zip(places["id"], places["name"]))
            t = emergency_access(G, buildings, places, edges)
            for ours, col in (("baseline", "time_before_min"), (VARIANT, "time_after_min")):
                values[ours].update({f"{service}_{k}": v for k, v in access_kpis(t[col], thresholds[service]).items()})
            t.insert(0, "service", service)
            t["reachable"] = np.isfinite(t["time_after_min"])
            t["late"] = t["reachable"] & (t["time_after_min"] > thresholds[service])
            rows.append(t)
        attrs = {k: v for k, v in works.data.attrs.items()
                 # the roadworks' cut-off buildings: the flood's own buildings layer says who is cut off
                 if k not in ("scenario", "baseline", "streets", "capacity_factor", "affected_edges",
                              "buildings_cut_off")}
        attrs["stranded_trips"] = attrs["stranded_trips"].replace("with the works", "with the flood's closures")
        attrs["peak_hour"] = attrs["peak_hour"].replace("the works miss", "the flood's closures miss")
        outcome = Outcome.from_values(self.family, KPIS, values, **{**attrs, "territory": territory.name},
                                      flood_variant=flood_variant, streets=f"{closed['segment'].nunique()} flooded segments",
                                      fire_threshold_min=self.fire_threshold_min,
                                      hospital_threshold_min=self.hospital_threshold_min,
                                      emergency_times="free-flow drive at the speed limit from the nearest place "
                                                      "to the building (lower bound: no turnout time, no congestion)",
                                      **notes)
        for name in works.series_names:
            s = works.series(name).assign_coords(variant=outcome.variants)
            outcome.add_series(name, s, unit=s.attrs["unit"], description=s.attrs["description"])
        for coord in ("hour", "hour_share"):
            outcome.data[coord].attrs.update(works.data[coord].attrs)
        info = works.table_info["streets"]
        outcome.add_table("streets", works.table("streets"), kind="layer", key="edge",
                          description=info.description.replace("the works", "the flood's closures"),
                          units=info.units)
        outcome.add_table("streets_to_close", closed, kind="list", key="edge",
                          description=f"street segments closed: under water at the median peak of the flood "
                                      f"variant {flood_variant!r}", units={"length_m": "m"})
        cols = ["service", "building_id", "time_before_min", "time_after_min", "reachable", "late"]
        layer = pd.concat(rows, ignore_index=True)[cols] if rows else pd.DataFrame(
            {"service": pd.Series(dtype=str), "building_id": pd.Series(dtype=str),
             "time_before_min": pd.Series(dtype=float), "time_after_min": pd.Series(dtype=float),
             "reachable": pd.Series(dtype=bool), "late": pd.Series(dtype=bool)})
        outcome.add_table("buildings", layer, kind="layer", key="building_id",
                          description="drive time from the nearest fire station / hospital (service) to each "
                                      "building, before and after the flood's closures (inf: no route; late: "
                                      "beyond the service's threshold after the closures; empty: the territory "
                                      "has neither)",
                          units={"time_before_min": "min", "time_after_min": "min"})
        return outcome
