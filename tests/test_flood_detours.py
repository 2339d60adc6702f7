"""The coupled flood -> roadworks scenario (twin.scenarios.flood_detours).

* On the Redon seed: a flood hindcast (observed rain × 1.5) closes street segments; the roadworks
  run on exactly those edges gives detours and stranded trips; the seed's extract has no fire station
  and no hospital, so the access KPIs are NaN and the outcome says why (never a silent zero).
* Emergency access on the seed with a fire station WE ADD at the town hall's place (data made by
  the test, not OSM): times before and after the closures, never shorter after.
* A synthetic river town made by hand (two banks, one bridge, a fire station on the west bank):
  closing the bridge makes the east bank unreachable. Recovery check on data we made: the expected
  times are computed by hand from lengths and speed limits.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from shapely.geometry import Point

from tests.fixtures_flood_detours import (  # noqa: F401 - fixtures
    FIRE_THRESHOLD_MIN, FLOOD, redon, seed_outcome, station_territory, with_station)
from twin.scenarios import SCENARIOS, ScenarioError
from twin.scenarios.flood_detours import FloodDetours, access_kpis, emergency_access, emergency_places


def test_the_flooded_segments_are_closed_and_give_detours_and_stranded_trips(redon, seed_outcome):  # noqa: F811
    out = seed_outcome
    closed = out.table("streets_to_close")
    # every directed edge closed, a two-way street counted once
    assert len(closed) > 0 and out.value("segments_closed", out.first_variant) == closed["segment"].nunique()
    # exactly the flood's own list for that variant was closed, edge for edge
    flood = SCENARIOS["flood"].from_dict(FLOOD).run(redon)
    fl = flood.table("streets_to_close")
    assert set(closed["edge"]) == set(fl.loc[fl["variant"] == flood.first_variant, "edge"])
    streets = out.table("streets").set_index("edge")
    assert streets.loc[list(closed["edge"]), "closed"].all()
    assert int(streets["closed"].sum()) == len(closed)
    assert streets.loc[list(closed["edge"]), "works"].eq(0).all()
    # the flood cuts the town: trips lose their route, counted and flagged
    assert out.value("trips_without_route_peak") == 0
    assert out.value("trips_without_route_peak", out.first_variant) > 0
    assert out.data.attrs["stranded_trips"] != "none"
    assert out.data.attrs["flood_variant"] == flood.first_variant


def test_no_fire_station_or_hospital_in_the_seed_gives_nan_and_says_so(seed_outcome):  # noqa: F811
    out = seed_outcome
    for service in ("fire", "hospital"):
        for kpi in ("buildings_late", "buildings_unreachable", "worst_min"):
            assert np.isnan(out.value(f"{service}_{kpi}", out.first_variant))
        assert "NaN" in out.data.attrs[f"emergency_{service}"] and "not zero" in out.data.attrs[f"emergency_{service}"]
    assert out.table("buildings").empty and list(out.table("buildings").columns)[:2] == ["service", "building_id"]


def test_access_on_the_seed_with_a_fire_station_we_add(redon, station_territory, with_station):  # noqa: F811
    """A fire station placed by the test at the town hall (not OSM data): every building gets a time."""
    assert len(emergency_places(station_territory, "fire_station")) == 1
    assert len(emergency_places(redon, "fire_station")) == 0  # the shared seed is untouched
    out = with_station
    b = out.table("buildings")
    assert set(b["service"]) == {"fire"} and len(b) == len(redon.layers["buildings"])
    reached = np.isfinite(b["time_after_min"])
    # closing streets never shortens a drive
    assert (b["time_after_min"][reached] >= b["time_before_min"][reached] - 1e-9).all()
    assert (b["reachable"] == reached).all()
    v = out.first_variant
    assert out.value("fire_buildings_unreachable", v) == (~reached).sum() > 0
    assert out.value("fire_buildings_unreachable") == (~np.isfinite(b["time_before_min"])).sum()
    assert out.value("fire_buildings_late", v) == (b["time_after_min"][reached] > FIRE_THRESHOLD_MIN).sum()
    assert out.value("fire_worst_min", v) == pytest.approx(b["time_after_min"][reached].max())
    assert np.isnan(out.value("hospital_worst_min", v))


def _river_town():
    """West bank 0 -1 km- 1, bridge 1 -0.5 km- 2, east bank 2 -1 km- 3; all two-way at 50 km/h (UTM metres)."""
    G = nx.MultiDiGraph(crs="EPSG:32630")
    xs = {0: 0.0, 1: 1000.0, 2: 1500.0, 3: 2500.0}
    for n, x in xs.items():
        G.add_node(n, x=x, y=0.0)
    for way, (a, b) in enumerate([(0, 1), (1, 2), (2, 3)], start=1):
        for u, v in ((a, b), (b, a)):
            G.add_edge(u, v, 0, length=abs(xs[a] - xs[b]), highway="residential", maxspeed_kmh=50.0,
                       osm_way_id=way, osm_way_ids=str(way), name="Pont" if way == 2 else "Rue")
    buildings = gpd.GeoDataFrame({"id": ["west", "east"]},
                                 geometry=[Point(1000, 20).buffer(5), Point(2500, 20).buffer(5)], crs="EPSG:32630")
    station = gpd.GeoDataFrame({"id": ["fire"], "name": ["Caserne"]}, geometry=[Point(0, 10)], crs="EPSG:32630")
    return G, buildings, station


def test_closing_the_only_bridge_leaves_the_east_bank_unreachable():
    G, buildings, station = _river_town()
    t = emergency_access(G, buildings, station, closed_edges=[(1, 2, 0), (2, 1, 0)]).set_index("building_id")
    minutes = 60.0 / 50.0  # one km at 50 km/h
    assert t.loc["west", "time_before_min"] == pytest.approx(minutes)
    assert t.loc["east", "time_before_min"] == pytest.approx(2.5 * minutes)
    assert t.loc["west", "time_after_min"] == pytest.approx(minutes)
    assert np.isinf(t.loc["east", "time_after_min"])
    k = access_kpis(t["time_after_min"], threshold_min=1.0)
    assert k == {"buildings_late": 1.0, "buildings_unreachable": 1.0, "worst_min": pytest.approx(minutes)}


def test_closing_one_direction_of_the_bridge_keeps_the_drive_from_the_station():
    """The drive is from the station to the building: the east-bound lane is the one that matters."""
    G, buildings, station = _river_town()
    t = emergency_access(G, buildings, station, closed_edges=[(2, 1, 0)]).set_index("building_id")
    assert np.isfinite(t.loc["east", "time_after_min"])
    t = emergency_access(G, buildings, station, closed_edges=[(1, 2, 0)]).set_index("building_id")
    assert np.isinf(t.loc["east", "time_after_min"])


def test_bad_parameters_are_named():
    with pytest.raises(ScenarioError, match="flood"):
        FloodDetours(flood={"horizon_h": -3})
    with pytest.raises(ScenarioError, match="flood.*roadworks"):
        FloodDetours(flood={"family": "roadworks"})
    with pytest.raises(ScenarioError, match="hours"):
        FloodDetours(hours="25:00-26:00")


def test_an_unknown_flood_variant_is_refused_naming_the_ones_there_are(redon):  # noqa: F811
    with pytest.raises(ScenarioError, match="flood_variant: 'crue' .*baseline"):
        FloodDetours(flood=FLOOD, flood_variant="crue").closures(redon)


def test_fire_stations_and_hospitals_are_found_as_places_and_as_buildings(tmp_path):
    """A tiny OSM file we wrote: a fire station node (a place) and a hospital mapped as a building."""
    from twin.territory import Territory  # noqa: PLC0415

    f = tmp_path / "town.osm"
    f.write_text("""<osm version="0.6">
 <node id="1" lat="47.650" lon="-2.090"/><node id="2" lat="47.652" lon="-2.090"/>
 <node id="3" lat="47.6510" lon="-2.0895"/><node id="4" lat="47.6512" lon="-2.0895"/>
 <node id="5" lat="47.6512" lon="-2.0892"/>
 <node id="6" lat="47.6505" lon="-2.0905"><tag k="amenity" v="fire_station"/><tag k="name" v="CIS"/></node>
 <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="Rue"/></way>
 <way id="11"><nd ref="3"/><nd ref="4"/><nd ref="5"/><nd ref="3"/><tag k="building" v="hospital"/>
  <tag k="amenity" v="hospital"/><tag k="name" v="Centre hospitalier"/></way>
</osm>""")
    t = Territory.from_osm(f)
    fire, hospital = emergency_places(t, "fire_station"), emergency_places(t, "hospital")
    assert list(fire["name"]) == ["CIS"] and list(fire["id"]) == ["osm:node/6"]
    assert list(hospital["name"]) == ["Centre hospitalier"] and list(hospital["id"]) == ["osm:way/11"]
    assert fire.crs == t.crs and emergency_places(t, "police").empty
    # a building near the street gets a time from each
    times = emergency_access(t.graphs["drive"], t.layers["buildings"], fire)
    assert np.isfinite(times["time_before_min"]).all()


def test_buildings_no_service_reaches_any_more_are_left_out_of_late_and_worst_and_said_so():
    """When the flood cuts the farthest buildings off, « late » and « worst drive » fall: no verdict."""
    from twin.outcome import Outcome
    from twin.scenarios.flood_detours import KPIS

    by = {k.name: k for k in KPIS}
    assert by["fire_buildings_late"].leaves_out == "fire_buildings_unreachable"
    assert by["hospital_worst_min"].leaves_out == "hospital_buildings_unreachable"
    assert by["vehicle_hours_peak"].leaves_out == "trips_without_route_peak"
    base = {k.name: 1.0 for k in KPIS}
    cut = {**base, "fire_buildings_unreachable": 12.0, "fire_buildings_late": 0.0, "fire_worst_min": 0.5}
    rows = {r["kpi"]: r for r in Outcome.from_values("flood-detours", KPIS, {"baseline": base, "flooded": cut})
            .compare_rows() if r["variant"] == "flooded"}
    assert rows["fire_buildings_late"]["better"] is None and rows["fire_worst_min"]["better"] is None
