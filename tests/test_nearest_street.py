"""The named street nearest each building (twin.territory.nearest_street): the flood's alert list says where
to knock, not only an OSM id. Constructed geometry, then the seed's own OSM extract."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
from shapely.geometry import LineString, box

from twin.territory.nearest_street import address_street, building_streets, nearest_street_names


def _graph():
    G = nx.MultiDiGraph(crs="EPSG:2154")
    for n, (x, y) in enumerate([(0, 0), (200, 0), (0, 300), (200, 300)]):
        G.add_node(n, x=x, y=y)
    G.add_edge(0, 1, name="Rue Basse")
    G.add_edge(1, 0, name="Rue Basse")
    G.add_edge(2, 3, name=["Rue Haute", "Rue Haute Prolongée"])  # a merged way: its first name
    G.add_edge(0, 2, geometry=LineString([(0, 0), (0, 300)]))  # no name: never said
    return G


def test_each_building_takes_the_named_street_nearest_it_within_the_distance():
    buildings = gpd.GeoDataFrame({"id": ["a", "b", "c", "d"]}, crs="EPSG:2154", geometry=[
        box(90, 10, 110, 30),      # 10 m from Rue Basse
        box(90, 260, 110, 290),    # 10 m from Rue Haute
        box(5, 140, 25, 160),      # 5 m from the unnamed street, 140 m from both named ones: none
        box(90, 120, 110, 140)])   # 120 m from Rue Basse, 160 m from Rue Haute: beyond 100 m
    assert nearest_street_names(buildings, _graph()).tolist() == ["Rue Basse", "Rue Haute", "", ""]
    assert nearest_street_names(buildings, _graph(), max_m=130.0).tolist()[3] == "Rue Basse"


def test_the_seed_s_alert_list_names_a_street_for_its_buildings(seed_territory):
    names = nearest_street_names(seed_territory.layers["buildings"], seed_territory.graphs["drive"])
    assert len(names) == len(seed_territory.layers["buildings"]) and (names != "").mean() > 0.9


def test_a_building_with_an_address_is_listed_under_its_address_s_street():
    """« 37 Grande Rue » was listed under « Rue des Chambots », the street behind it (a GEMAPI technician's
    walkthrough): the address's street comes first, the nearest one only for a building without one."""
    assert [address_street(a) for a in ("37 Grande Rue, 35600 Redon", "3 bis Rue du Port", "12B Quai Surcouf",
                                        "37-39 Grande Rue", "37;39 Grande Rue", "3 Rue du Port (+1)",
                                        "Place Charles de Gaulle, 35600 Redon", "35600 Redon", "35600", "", None,
                                        float("nan"))] == \
        ["Grande Rue", "Rue du Port", "Quai Surcouf", "Grande Rue", "Grande Rue", "Rue du Port",
         "Place Charles de Gaulle", "", "", "", "", ""]
    # the address's street when the graph has it (spelt as the graph spells it), else the nearest: a town alone
    # (« Redon »), no address (NaN) or a street the extract does not hold
    buildings = gpd.GeoDataFrame({"id": list("abcde"), "address": ["4 rue haute, 35600 Redon", "35600 Redon", "Redon",
                                                                   float("nan"), "2 Rue Lointaine"]},
                                 crs="EPSG:2154", geometry=[box(90, 10, 110, 30)] * 5)
    assert building_streets(buildings, _graph()).tolist() == ["Rue Haute"] + ["Rue Basse"] * 4


def test_the_seed_s_buildings_are_filed_under_their_address_s_street_or_the_nearest(seed_territory):
    """On the seed, most buildings have no address (NaN): a review found 965 of 1 022 filed under « nan »."""
    buildings = seed_territory.layers["buildings"]
    streets = building_streets(buildings, seed_territory.graphs["drive"])
    assert "nan" not in set(streets) and (streets != "").mean() > 0.9
    with_address = buildings["address"].map(address_street) != ""
    assert with_address.sum() > 0 and (streets[with_address] != nearest_street_names(
        buildings, seed_territory.graphs["drive"])[with_address]).any()  # some are not the nearest street's
