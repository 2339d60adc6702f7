"""A building given by its name or its id (twin.territory.building_names), on the embedded Redon."""

from __future__ import annotations

import pytest

from twin.territory.building_names import BuildingNameError, resolve_buildings


@pytest.fixture(scope="module")
def buildings(seed_territory):
    return seed_territory.layers["buildings"]


def test_a_name_as_people_type_it_or_an_id_gives_the_building(buildings):
    pool = "osm:way/122532828"
    assert resolve_buildings(buildings, ["piscine sport-loisirs du pays de redon"]) == [pool]  # case aside
    assert resolve_buildings(buildings, ["Theatre  Le Canal", pool, pool]) == ["osm:way/122537015", pool]


def test_a_word_processors_apostrophe_and_a_metered_id_the_map_lacks(buildings):
    court = buildings.loc[buildings["name"] == "Tribunal d'Instance", "id"].iloc[0]
    assert resolve_buildings(buildings, ["Tribunal d’Instance"]) == [court]  # « ’ » as Word types it
    assert resolve_buildings(buildings, ["osm:way/1"], prefer={"osm:way/1"}) == ["osm:way/1"]  # a meter's own id


def test_a_shared_name_takes_the_preferred_building_or_is_refused_with_the_ids(buildings):
    with pytest.raises(BuildingNameError) as err:
        resolve_buildings(buildings, ["Redon"])
    assert err.value.key == "err_building_ambiguous" and err.value.values["count"] == 2
    assert resolve_buildings(buildings, ["Redon"], prefer={"osm:way/122532870"}) == ["osm:way/122532870"]


def test_an_unknown_name_is_refused_with_the_names_that_hold_it(buildings):
    with pytest.raises(BuildingNameError) as err:
        resolve_buildings(buildings, ["Tribunal"])
    assert err.value.key == "err_building_unknown" and "Tribunal d'Instance" in err.value.values["near"]


def test_the_heating_scenario_takes_names(seed_territory):
    from twin.scenarios.heating import HeatingSchedules
    from twin.seeds import history_dir
    from twin.sensors import SensorStore

    t = seed_territory.replace(sensors=SensorStore(history_dir() / "sensors"))
    by_name = HeatingSchedules(buildings=["Piscine sport-loisirs du Pays de Redon"]).run(t)
    by_id = HeatingSchedules(buildings=["osm:way/122532828"]).run(t)
    assert by_name.value("gas_kwh") == by_id.value("gas_kwh") and str(by_name.data.attrs["buildings"]) == "1"
