"""A territory's own scenario defaults (``Territory.defaults``): where the seed's come from, how they are saved,
loaded and cached, and what a scenario does on a territory that has none.

Runs on the shipped seed only (no ../shared needed).
"""

from __future__ import annotations

import json
import shutil

import pytest

from twin import seeds
from twin.scenarios import ScenarioError
from twin.scenarios.bins import market_of
from twin.scenarios.flood import GAUGES, FloodForecast, gauges
from twin.sensors import SensorStore
from twin.territory import BuildReport, Territory, TerritoryBuildError


def _bare(tmp_path, sensors: list[dict], defaults: dict | None = None) -> Territory:
    """A territory with only a sensor registry: all the gauges' resolution reads (it fails before any street)."""
    store = SensorStore(tmp_path / "sensors")
    store.register(sensors, origin="test")
    return Territory(name="elsewhere", crs="EPSG:2154", graphs={}, layers={}, provenance={},
                     report=BuildReport(source="test"), sensors=store, defaults=defaults or {})


ONE_EACH = [{"sensor_id": "p1", "quantity": "precipitation"}, {"sensor_id": "q1", "quantity": "discharge"},
            {"sensor_id": "h1", "quantity": "water_level"}, {"sensor_id": "t1", "quantity": "air_temperature"}]


def test_without_defaults_and_without_a_unique_sensor_the_error_names_the_parameter(tmp_path):
    territory = _bare(tmp_path, [*ONE_EACH, {"sensor_id": "p2", "quantity": "precipitation"}])
    scenario = FloodForecast(forecast_time="2023-02-22T00:00")
    before = scenario.param.values()
    with pytest.raises(ScenarioError) as err:
        scenario.run(territory)
    message = str(err.value)
    for part in ("rain_gauge", "'elsewhere'", "no default flood.rain_gauge", "p1, p2", "set rain_gauge"):
        assert part in message, (part, message)
    assert scenario.param.values() == before  # nothing written on the scenario
    # no sensor of the quantity at all: the same clear error
    with pytest.raises(ScenarioError, match="level_gauge: .* water_level sensors are none; set level_gauge"):
        gauges(_bare(tmp_path / "b", [ONE_EACH[0], ONE_EACH[1], ONE_EACH[3]]), {})


def test_gauges_resolve_given_then_defaults_then_the_only_sensor(tmp_path):
    territory = _bare(tmp_path, [*ONE_EACH, {"sensor_id": "p2", "quantity": "precipitation"}],
                      defaults={"flood": {"rain_gauge": "p2"}})
    assert gauges(territory, {}) == {"rain_gauge": "p2", "flow_gauge": "q1", "level_gauge": "h1", "temperature": "t1"}
    assert gauges(territory, {"rain_gauge": "p1", "flow_gauge": ""})["rain_gauge"] == "p1"
    with pytest.raises(ScenarioError, match="defaults flood.rain_gauge: 'gone' is not a sensor"):
        gauges(territory.replace(defaults={"flood": {"rain_gauge": "gone"}}), {})
    assert set(GAUGES) == {"rain_gauge", "flow_gauge", "level_gauge", "temperature"}
    assert all(FloodForecast.param[name].default == "" for name in GAUGES)  # no territory's sensor in the code


def test_defaults_round_trip_save_and_load(tmp_path):
    defaults = {"flood": {"rain_gauge": "rg-x"}, "bins": {"market": {"weekday": 5, "hours": [7, 12],
                                                                     "radius_m": 150.0}}}
    built = Territory.from_osm(seeds.default_osm_path(), name="redon", defaults=defaults)
    assert built.defaults == defaults and built.defaults is not defaults  # a copy, not the caller's dict
    loaded = Territory.load(built.save(tmp_path / "t"))
    assert loaded.defaults == built.defaults == defaults
    assert Territory.load(loaded.save(tmp_path / "again")).defaults == defaults
    # a territory saved before defaults existed has none
    manifest_path = tmp_path / "t" / "territory.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["defaults"]
    manifest_path.write_text(json.dumps(manifest))
    assert Territory.load(tmp_path / "t").defaults == {}
    # a damaged entry is named
    manifest["defaults"] = {"flood": ["rain_gauge"]}
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(TerritoryBuildError, match="territory.json: 'defaults': 'flood' must name a scenario family"):
        Territory.load(tmp_path / "t")
    with pytest.raises(TerritoryBuildError, match="defaults: not plain JSON"):
        Territory.from_osm(seeds.default_osm_path(), defaults={"flood": {"area": {1, 2}}})


@pytest.fixture
def seed_copy(tmp_path, monkeypatch):
    """A copy of the seed's configuration (the OSM file and the history linked, not copied) and an empty cache."""
    src = seeds.seed_dir()
    dst = tmp_path / "seeds" / seeds.DEFAULT_NAME
    dst.mkdir(parents=True)
    shutil.copy(src / seeds.CONFIG_FILE, dst / seeds.CONFIG_FILE)
    for name in (seeds.default_osm_path().name, "history"):
        (dst / name).symlink_to(src / name)
    monkeypatch.setattr(seeds, "SEEDS_DIR", tmp_path / "seeds")
    monkeypatch.setenv("TWIN_CACHE", str(tmp_path / "cache"))
    return dst / seeds.CONFIG_FILE


def test_the_seeds_defaults_come_from_seed_json_and_follow_it_through_the_cache(seed_copy):
    config = json.loads(seed_copy.read_text())
    assert seeds.seed_defaults() == config["defaults"]
    assert config["defaults"]["flood"]["rain_gauge"] == "rg-redon"
    assert market_of(seeds.load_default()) == {"weekday": 0, "hours": (8, 13), "radius_m": 200.0}
    # seed.json changes: the (now cached) territory follows, and so does the cache itself
    config["defaults"]["bins"]["market"]["weekday"] = 2
    seed_copy.write_text(json.dumps(config))
    territory = seeds.load_default()
    assert territory.defaults == config["defaults"] and market_of(territory)["weekday"] == 2
    assert Territory.load(seeds.cache_dir() / seeds.DEFAULT_NAME).defaults == config["defaults"]
    # no defaults at all: none, and no market effect
    del config["defaults"]
    seed_copy.write_text(json.dumps(config))
    territory = seeds.load_default()
    assert territory.defaults == {} and market_of(territory) is None


@pytest.mark.parametrize("defaults, message", [
    ([], "\"defaults\": expected an object of scenario family"),
    ({"floood": {}}, "\"defaults\": \\['floood'\\] are not scenario families"),
    ({"flood": 3}, "\"defaults\": 'flood' must name a scenario family and give an object"),
])
def test_bad_defaults_in_seed_json_are_named(seed_copy, defaults, message):
    config = json.loads(seed_copy.read_text())
    seed_copy.write_text(json.dumps({**config, "defaults": defaults}))
    with pytest.raises(seeds.SeedConfigError, match=f"seed.json: {message}"):
        seeds.seed_defaults()


@pytest.mark.parametrize("market, message", [
    ({"weekday": 7, "hours": [8, 13], "radius_m": 200}, "bins.market.weekday: 7"),
    ({"weekday": 0, "hours": [13, 8], "radius_m": 200}, "bins.market.hours: \\[13, 8\\]"),
    ({"weekday": 0, "hours": [8, 13], "radius_m": 0}, "bins.market.radius_m: 0"),
    ({"weekday": 0, "hours": [8, 13]}, "bins.market: expected an object with keys"),
])
def test_a_bad_market_is_named(tmp_path, market, message):
    territory = _bare(tmp_path, ONE_EACH, defaults={"bins": {"market": market}})
    with pytest.raises(ScenarioError, match=f"territory 'elsewhere' defaults {message}"):
        market_of(territory)
