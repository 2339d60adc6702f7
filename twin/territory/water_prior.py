"""A SYNTHETIC drinking-water network laid under the territory's streets, for a commune whose network
model (an EPANET file from its utility) is not at hand: every answer it gives is a prior's, and says so.

How it is drawn (deterministic: the same territory gives the same network; nothing is random):

* **Pipes** follow the drive graph's streets, one per street segment (both directions are one pipe),
  on its largest connected part. Diameter: the larger of the street class's (:data:`DIAMETER_MM`)
  and the one the peak demand it carries from the tower needs (:func:`design_bores`: a main is
  sized for what it feeds); Hazen–Williams roughness 130 (PVC and lined cast iron, Rossman 2000,
  EPANET 2 manual, table 3.2); length the street's.
* **Junctions** at the street nodes, all at elevation 0 (the territory carries no terrain model):
  pressures are heads above the street.
* **The source**: one water tower (an EPANET reservoir) with its head :data:`TOWER_HEAD_M` above the
  streets, fed into the network by a 300 mm main :data:`TOWER_MAIN_M` long at the street node the
  farthest from the buildings' centre (towers stand at a town's edge). One feed: a break near it
  shows what a single-feed town risks.
* **Demand**: each building is served by the nearer end of the pipe in front of it, within 150 m
  (:func:`serving_by_pipe`; the pipe is kept too, :func:`serving_taps`: shut for a repair, it leaves the
  building dry); its people are its floor area (footprint ×
  levels, :data:`DEFAULT_LEVELS` when OSM gives none) over :data:`M2_PER_PERSON` for housing and for
  buildings of unknown use (scaled to sum to the territory's population when it is given:
  :func:`building_demand`), at :data:`LITRES_PER_PERSON_DAY`; other uses draw
  :data:`LITRES_PER_M2_DAY` per m² of floor. One daily pattern (:data:`DAILY_PATTERN`) for all.

The isolation valves are not drawn here: the break scenario adds its synthetic valve layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from shapely.geometry import Point

DIAMETER_MM = {"trunk": 300, "primary": 250, "secondary": 200, "tertiary": 150}
"""Inside diameter [mm] of the main under each OSM ``highway`` class (ductile iron DN 150–300, whose
bore is close to its DN); every other street :data:`OTHER_DIAMETER_MM`."""
OTHER_DIAMETER_MM = 97
"""[mm] inside diameter of a PVC pipe of 110 mm outside diameter, PN 16 (wall 6.6 mm, EN 1452), the
common distribution size: the head loss goes with the bore (∝ D^-4.87), not the nominal size."""
ROUGHNESS_HW = 130.0
TOWER_HEAD_M = 45.0
"""[m] water tower level above the streets: French distribution pressures run 3–6 bar."""
TOWER_MAIN_M = 200.0
M2_PER_PERSON = 50.0
"""[m² of floor per person] 40 m² of living space per person (INSEE, Enquête logement 2013: 40.3 m²),
over 0.8 of a building's floor being living space."""
DEFAULT_LEVELS = 2
LITRES_PER_PERSON_DAY = 148.0
"""[L/person/day] household use, France (SISPEA, observatoire des services d'eau et d'assainissement)."""
LITRES_PER_M2_DAY = 2.0
"""[L/m²/day] offices, shops, schools, public buildings: an assumption of the project (order of
magnitude of tertiary water use), to be replaced by the utility's billing."""
HOUSING_USES = {"unknown", "residential", "apartments", "house", "detached", "terrace", "semidetached_house"}
_HOURLY_SHAPE = np.array([0.35, 0.30, 0.28, 0.28, 0.35, 0.60, 1.20, 1.60, 1.50, 1.25, 1.10, 1.10,
                          1.20, 1.10, 0.95, 0.90, 0.95, 1.10, 1.35, 1.45, 1.30, 1.00, 0.70, 0.50])
DAILY_PATTERN = _HOURLY_SHAPE / _HOURLY_SHAPE.mean()
"""Hourly multipliers of a household day (a morning and an evening peak, a night minimum near a third
of the mean), of mean 1: an assumption of the project, the shape of typical French residential
consumption curves."""

PROVENANCE = ("SYNTHETIC: drinking-water network generated under the territory's streets from OSM "
              "(twin.territory.water_prior: pipes by street class, one water tower, demand from buildings)")


@dataclass
class WaterPrior:
    """The generated network and how it ties to the territory: ``pipes`` (pipe id, street, osm nodes,
    geometry), ``junctions`` (junction id, osm node, geometry), ``buildings`` (building id, address,
    junction, pipe it is tapped on, people, demand in m³/day; junction and pipe empty when none is within reach), ``sensitive`` (the
    hospitals, schools… among them: site, junction, building)."""

    wn: object
    pipes: gpd.GeoDataFrame
    junctions: gpd.GeoDataFrame
    buildings: pd.DataFrame
    sensitive: pd.DataFrame
    provenance: str = PROVENANCE


def building_demand(buildings: pd.DataFrame, litres_per_person_day: float = LITRES_PER_PERSON_DAY,
                    population: float | None = None) -> pd.DataFrame:
    """People [persons] and demand [m³/day] of each building from its footprint, levels and use (see the
    module docstring): columns ``people``, ``demand_m3_day``. ``population`` [persons], when given:
    the people scaled so that they sum to it (the INSEE population of the buildings' area) — floor area
    alone counts the barns, sheds and garages OSM leaves of unknown use as homes, and a village's
    extract came out at three and a half times its population."""
    missing = pd.Series(np.nan, index=buildings.index)
    levels = pd.to_numeric(buildings.get("levels", missing), errors="coerce").fillna(DEFAULT_LEVELS).clip(lower=1)
    floor = pd.to_numeric(buildings["footprint_m2"], errors="coerce").fillna(0.0) * levels
    use = buildings.get("use", pd.Series("unknown", index=buildings.index)).fillna("unknown")
    housing = use.isin(HOUSING_USES)
    people = np.where(housing, floor / M2_PER_PERSON, 0.0)
    if population:
        if people.sum() <= 0:
            raise ValueError(f"population: no housing or unknown-use building to put {population:,.0f} people in")
        people = people * (population / people.sum())
    litres = np.where(housing, people * litres_per_person_day, floor * LITRES_PER_M2_DAY)
    return pd.DataFrame({"people": people, "demand_m3_day": litres / 1000}, index=buildings.index)


def prior_network(territory, litres_per_person_day: float = LITRES_PER_PERSON_DAY,
                  population: float | None = None) -> WaterPrior:
    """The SYNTHETIC network of the module docstring under ``territory``'s drive streets, households
    drawing ``litres_per_person_day``, their people scaled to ``population`` when it is given
    (:func:`building_demand`)."""
    import wntr  # noqa: PLC0415 - heavy: loaded when a network is made

    G = territory.graphs["drive"]
    undirected = nx.Graph()
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        key = (min(u, v), max(u, v))
        if key not in undirected.edges or data.get("length", 0) < undirected.edges[key]["length"]:
            undirected.add_edge(*key, length=float(data.get("length", 1.0)), highway=_first(data.get("highway")),
                                name=_first(data.get("name")) or "", geometry=data.get("geometry"))
    if undirected.number_of_edges() == 0:
        raise ValueError(f"territory {territory.name!r}: no drive street to lay a water network under")
    main = max(nx.connected_components(undirected), key=lambda c: (len(c), min(c)))
    undirected = undirected.subgraph(main).copy()
    nodes = sorted(undirected.nodes)
    xy = {n: (float(G.nodes[n]["x"]), float(G.nodes[n]["y"])) for n in nodes}
    junction_of = {n: f"J{i + 1:04d}" for i, n in enumerate(nodes)}
    junctions = gpd.GeoDataFrame({"junction": [junction_of[n] for n in nodes], "osm_node": nodes},
                                 geometry=[Point(xy[n]) for n in nodes], crs=territory.crs)

    buildings = territory.layers["buildings"]
    demand = building_demand(buildings, litres_per_person_day, population)
    link, tapped_on = serving_taps(undirected, xy, junction_of, buildings, territory.crs)
    served = pd.DataFrame({"building": buildings["id"].to_numpy(),
                           "address": buildings.get("address", pd.Series(index=buildings.index)).to_numpy(),
                           "junction": link, "pipe": tapped_on, "people": demand["people"].to_numpy(),
                           "demand_m3_day": demand["demand_m3_day"].to_numpy()})
    per_junction = served.dropna(subset=["junction"]).groupby("junction")["demand_m3_day"].sum()

    wn = wntr.network.WaterNetworkModel()
    wn.options.hydraulic.headloss = "H-W"
    wn.options.time.duration = 24 * 3600
    wn.options.time.hydraulic_timestep = 3600
    wn.options.time.pattern_timestep = 3600
    wn.options.time.report_timestep = 3600
    wn.add_pattern("household", list(DAILY_PATTERN))
    for n in nodes:
        j = junction_of[n]
        wn.add_junction(j, base_demand=float(per_junction.get(j, 0.0)) / 86_400, demand_pattern="household",
                        elevation=0.0, coordinates=xy[n])
    centre = np.array(buildings.geometry.union_all().centroid.coords[0]) if len(buildings) else \
        np.mean([xy[n] for n in nodes], axis=0)
    far = max(nodes, key=lambda n: (np.hypot(*(np.array(xy[n]) - centre)), -n))
    design = design_bores(undirected, far, {n: float(per_junction.get(junction_of[n], 0.0)) / 86_400 for n in nodes})
    rows = []
    for i, (u, v) in enumerate(sorted(undirected.edges)):
        data = undirected.edges[u, v]
        name = f"P{i + 1:04d}"
        by_class = DIAMETER_MM.get(str(data["highway"]).removesuffix("_link"), OTHER_DIAMETER_MM)
        diameter = max(by_class, design.get((u, v), 0)) / 1000
        wn.add_pipe(name, junction_of[u], junction_of[v], length=max(data["length"], 1.0), diameter=diameter,
                    roughness=ROUGHNESS_HW, minor_loss=0.0)
        wn.get_link(name).tag = data["name"]
        geometry = data["geometry"] if data["geometry"] is not None else None
        rows.append({"pipe": name, "street": data["name"], "diameter_mm": round(diameter * 1000),
                     "length_m": data["length"], "osm_u": u, "osm_v": v,
                     "geometry": geometry if geometry is not None else _segment(xy[u], xy[v])})
    tower_xy = (xy[far][0], xy[far][1] + TOWER_MAIN_M)
    wn.add_reservoir("TOWER", base_head=TOWER_HEAD_M, coordinates=tower_xy)
    wn.add_pipe("P0000", "TOWER", junction_of[far], length=TOWER_MAIN_M, diameter=0.3, roughness=ROUGHNESS_HW,
                minor_loss=0.0)
    wn.get_link("P0000").tag = "conduite d'alimentation du château d'eau"
    rows.append({"pipe": "P0000", "street": "conduite d'alimentation du château d'eau", "diameter_mm": 300,
                 "length_m": TOWER_MAIN_M, "osm_u": far, "osm_v": far, "geometry": _segment(xy[far], tower_xy)})
    pipes = gpd.GeoDataFrame(rows, geometry="geometry", crs=territory.crs)
    return WaterPrior(wn=wn, pipes=pipes, junctions=junctions, buildings=served,
                      sensitive=_sensitive(buildings, served))


SENSITIVE_AMENITIES = {"hospital": "hôpital", "clinic": "clinique", "school": "école", "kindergarten": "crèche",
                       "childcare": "crèche", "nursing_home": "maison de retraite",
                       "social_facility": "établissement social (EHPAD…)"}
"""OSM ``amenity`` (or ``building``) values of the buildings a break must not leave without water
unnoticed (a French collège or lycée is ``amenity=school``; a nursing home is now mapped as
``amenity=social_facility``)."""


def sensitive_buildings(prior: WaterPrior) -> dict[str, str]:
    """{site name: junction} of the buildings tagged as hospitals, clinics, schools, kindergartens and
    nursing homes that a junction serves: the name OSM gives, else its kind and address."""
    b = prior.sensitive
    return dict(zip(b["site"], b["junction"]))


def _sensitive(buildings: pd.DataFrame, served: pd.DataFrame) -> pd.DataFrame:
    amenity = buildings.get("amenity", pd.Series(index=buildings.index, dtype=object))
    building = buildings.get("building", pd.Series(index=buildings.index, dtype=object))
    kind = amenity.where(amenity.isin(SENSITIVE_AMENITIES.keys()), building.where(building.isin(
        SENSITIVE_AMENITIES.keys())))
    rows = []
    for i in np.flatnonzero(kind.notna().to_numpy() & served["junction"].notna().to_numpy()):
        name = buildings["name"].iloc[i] if "name" in buildings and isinstance(buildings["name"].iloc[i], str) else ""
        address = buildings["address"].iloc[i] if "address" in buildings else None
        label = name or f"{SENSITIVE_AMENITIES[kind.iloc[i]]}, {address if isinstance(address, str) else buildings['id'].iloc[i]}"
        rows.append({"site": label, "junction": served["junction"].iloc[i], "building": buildings["id"].iloc[i]})
    out = pd.DataFrame(rows, columns=["site", "junction", "building"])
    twice = out["site"].duplicated(keep=False)  # two schools of one name, a school of several buildings:
    out.loc[twice, "site"] = out.loc[twice, "site"] + " (" + out.loc[twice, "building"] + ")"  # each watched
    return out


BORES_MM = (97, 150, 200, 250, 300, 400, 500)
"""[mm] inside diameters a main is chosen among (PVC 110, then ductile iron DN 150–500)."""
PEAK_FACTOR = float(DAILY_PATTERN.max())
DESIGN_VELOCITY_M_S = 1.0
"""[m/s] the velocity a distribution main is sized for at the peak hour (French practice keeps 0.5–1 m/s
in service, the margin left for fire flows)."""


def design_bores(streets: nx.Graph, source, demand_m3_s: dict) -> dict:
    """{(u, v) sorted: inside diameter [mm]} of the pipes on the shortest route from ``source`` to every
    node (a tree by length), each sized for the peak demand of the nodes it feeds
    (:data:`PEAK_FACTOR` × their mean demand) at :data:`DESIGN_VELOCITY_M_S`: the smallest of
    :data:`BORES_MM` that carries it. The other pipes close loops and keep their street's size."""
    dist, paths = nx.single_source_dijkstra(streets, source, weight="length")
    fed = {n: demand_m3_s.get(n, 0.0) for n in dist}
    out = {}
    for n in sorted(dist, key=lambda m: (-dist[m], m)):  # leaves first: each node's feed summed upstream
        if n == source:
            continue
        parent = paths[n][-2]
        fed[parent] += fed[n]
        needed = math.sqrt(4 * PEAK_FACTOR * fed[n] / (math.pi * DESIGN_VELOCITY_M_S)) * 1000
        out[(min(n, parent), max(n, parent))] = next((b for b in BORES_MM if b >= needed), BORES_MM[-1])
    return out


def serving_by_pipe(streets: nx.Graph, xy: dict, junction_of: dict, buildings: gpd.GeoDataFrame, crs,
                    max_distance_m: float = 150.0) -> np.ndarray:
    """Each building's junction: the nearer end of the pipe in front of it (the nearest street segment
    within ``max_distance_m``, where its service connection would be tapped), None beyond. A long street
    between two far nodes serves its buildings from its own ends, not from another street's node that
    happens to be nearer as the crow flies."""
    return serving_taps(streets, xy, junction_of, buildings, crs, max_distance_m)[0]


def serving_taps(streets: nx.Graph, xy: dict, junction_of: dict, buildings: gpd.GeoDataFrame, crs,
                 max_distance_m: float = 150.0) -> tuple[np.ndarray, np.ndarray]:
    """(each building's junction, as :func:`serving_by_pipe`; the pipe in front of it, ``P0001``… in the
    order :func:`prior_network` names the streets' pipes, None beyond reach): the pipe its connection is
    tapped on, which leaves it dry while shut for a repair even when both its ends still have water."""
    keys = sorted(streets.edges)
    lines = [streets.edges[k]["geometry"] if streets.edges[k]["geometry"] is not None else _segment(xy[k[0]], xy[k[1]])
             for k in keys]
    pipes = gpd.GeoDataFrame({"u": [k[0] for k in keys], "v": [k[1] for k in keys]}, geometry=lines, crs=crs)
    points = gpd.GeoDataFrame(geometry=buildings.geometry.representative_point().to_numpy(), crs=crs)
    near = gpd.sjoin_nearest(points, pipes, how="left", max_distance=max_distance_m)
    near = near[~near.index.duplicated(keep="first")]  # equidistant pipes: the first
    out = np.full(len(points), None, dtype=object)
    on = np.full(len(points), None, dtype=object)
    for i, (point, u, v) in enumerate(zip(points.geometry, near["u"], near["v"])):
        if pd.isna(u):
            continue
        k = int(near["index_right"].iloc[i])
        line = pipes.geometry.iloc[k]
        tap = line.interpolate(line.project(point))  # where the connection meets the main
        u, v = int(u), int(v)
        closer = u if tap.distance(Point(xy[u])) <= tap.distance(Point(xy[v])) else v
        out[i] = junction_of[closer]
        on[i] = f"P{k + 1:04d}"  # prior_network's name of the k-th street pipe (the same sorted edges)
    return out, on


ENTRY_PRV = "PRV_ENTREE"
"""The pressure-reducing valve :func:`with_entry_prv` sets at the tower's outlet."""


def with_entry_prv(prior: WaterPrior):
    """A copy of the prior's network with a pressure-reducing valve :data:`ENTRY_PRV` between the tower's
    main and the town (a new junction ``J_ENTREE`` at the main's town end): the one valve a small
    commune fitting pressure management would add, at its single feed (Thornton, Sturm & Kunkel, *Water
    Loss Control*, 2008, ch. 14: a PRV at the inlet of a zone fed by gravity). Its setting is the
    tower's head: wide open, the network as :func:`prior_network` draws it until a scenario lowers it."""
    import copy  # noqa: PLC0415

    wn = copy.deepcopy(prior.wn)
    main = wn.get_link("P0000")
    town, (x, y) = main.end_node_name, wn.get_node(main.end_node_name).coordinates
    wn.remove_link("P0000")
    wn.add_junction("J_ENTREE", base_demand=0.0, elevation=0.0, coordinates=(x, y + 1.0))
    wn.add_pipe("P0000", "TOWER", "J_ENTREE", length=TOWER_MAIN_M, diameter=0.3, roughness=ROUGHNESS_HW,
                minor_loss=0.0)
    wn.get_link("P0000").tag = "conduite d'alimentation du château d'eau"
    wn.add_valve(ENTRY_PRV, "J_ENTREE", town, diameter=0.3, valve_type="PRV", minor_loss=0.0,
                 initial_setting=TOWER_HEAD_M)
    wn.get_link(ENTRY_PRV).tag = "réducteur de pression à l'entrée du réseau"
    return wn


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def _segment(a, b):
    from shapely.geometry import LineString  # noqa: PLC0415

    return LineString([a, b])


__all__ = ["DAILY_PATTERN", "DIAMETER_MM", "ENTRY_PRV", "PROVENANCE", "SENSITIVE_AMENITIES", "WaterPrior", "building_demand",
           "prior_network", "sensitive_buildings", "with_entry_prv"]
