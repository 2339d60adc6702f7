"""A territory's own scenario defaults (``Territory.defaults``): where the seed's come from, how they are saved,
loaded and cached, and what a scenario does on a territory that has none.

Runs on the shipped seed only (no ../shared needed).
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from twin import seeds
from twin.scenarios import ScenarioError
from twin.scenarios.bins import market_of
from twin.scenarios.flood import GAUGES, OWN, FloodForecast, catchment, centre_latitude, gauges
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
    # a misspelt key is named, never skipped for "the only sensor"
    with pytest.raises(ScenarioError, match=r"defaults flood: unknown key\(s\) \['rain_guage'\]"):
        gauges(territory.replace(defaults={"flood": {"rain_guage": "p2"}}), {})
    assert set(GAUGES) == {"rain_gauge", "flow_gauge", "level_gauge", "temperature"}
    assert all(FloodForecast.param[name].default == "" for name in GAUGES)  # no territory's sensor in the code
    # nor its forecast time, catchment, alert levels or river
    assert [FloodForecast.param[name].default for name in OWN] == ["", None, None, {}, []]


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


CATCHMENT = {"forecast_time": "2023-02-22T06:30", "area_km2": 500.0, "latitude_deg": 45.0,
             "alert_levels_m": {"yellow": 1.0, "orange": 2.0, "red": 3.0}, "river_names": ["Oust"]}


def test_the_catchment_resolves_given_then_defaults(tmp_path):
    territory = _bare(tmp_path, ONE_EACH, defaults={"flood": CATCHMENT})
    own = catchment(territory, {})
    assert own == {**CATCHMENT, "forecast_time": pd.Timestamp("2023-02-22T06:00"),  # floored to the hour
                   "latitude_from": "territory defaults"}
    given = {"forecast_time": "2023-03-01T12:00+01:00", "area_km2": 20.0, "latitude_deg": -10.0,
             "alert_levels_m": {"yellow": 5, "orange": 6, "red": 7}, "river_names": ["Aff"]}
    own = catchment(territory, given)
    assert own["forecast_time"] == pd.Timestamp("2023-03-01T11:00")  # in UTC
    assert (own["area_km2"], own["latitude_deg"], own["latitude_from"]) == (20.0, -10.0, "given")
    assert own["alert_levels_m"] == {"yellow": 5.0, "orange": 6.0, "red": 7.0} and own["river_names"] == ["Aff"]
    # empty given values are the territory's own
    assert catchment(territory, {"forecast_time": "", "area_km2": None, "alert_levels_m": {}, "river_names": []}) \
        == catchment(territory, {})


@pytest.mark.parametrize("name", OWN)
def test_without_a_default_the_error_names_the_parameter(tmp_path, name):
    """A territory with every default but one (and no street network: no centre to take a latitude from)."""
    territory = _bare(tmp_path, ONE_EACH, defaults={"flood": {k: v for k, v in CATCHMENT.items() if k != name}})
    with pytest.raises(ScenarioError, match=f"^{name}: territory 'elsewhere' has no default flood.{name}.* "
                                            f"set {name}"):
        catchment(territory, {})
    assert catchment(territory, {name: CATCHMENT[name]})[name] is not None


@pytest.mark.parametrize("name, value, message", [
    ("forecast_time", "soon", "'soon' is not a time"),
    ("area_km2", -1, "expected a number from 0.01 to 1e\\+06 km², found '-1'"),
    ("area_km2", "big", "expected a number"),
    ("latitude_deg", 91, "expected a number from -90 to 90 °"),
    ("alert_levels_m", {"yellow": 1}, "expected a stage in metres for each of"),
    ("river_names", "Vilaine", "expected a list of river names"),
])
def test_a_bad_default_is_named(tmp_path, name, value, message):
    territory = _bare(tmp_path, ONE_EACH, defaults={"flood": {**CATCHMENT, name: value}})
    with pytest.raises(ScenarioError, match=f"territory 'elsewhere' defaults flood.{name}: {message}"):
        catchment(territory, {})


def test_the_latitude_is_the_territorys_centre_when_not_given_nor_a_default():
    """From the territory's CRS (UTM 30N for Redon) to WGS84: Redon's town centre is at 47.65° N."""
    redon = seeds.load_default()
    assert redon.crs == "EPSG:32630"
    latitude = centre_latitude(redon)
    assert abs(latitude - 47.65) < 0.01
    flood = {k: v for k, v in redon.defaults["flood"].items() if k != "latitude_deg"}
    own = catchment(redon.replace(defaults={**redon.defaults, "flood": flood}), {})
    assert (own["latitude_deg"], own["latitude_from"]) == (latitude, "territory centre")


def test_a_forecast_uses_and_names_the_territorys_own_and_writes_nothing_on_the_scenario():
    """The seed's defaults are the values formerly written in flood.py: a forecast with them given and one
    left to the territory forecast the same stage; the outcome says which values it used."""
    redon = seeds.load_default()
    params = [450.0, -0.05, 250.0, 60.0]
    own = FloodForecast(horizon_h=24, rain="none", params=params)
    before = own.param.values()
    out = own.run(redon)
    assert own.param.values() == before
    given = FloodForecast(horizon_h=24, rain="none", params=params, forecast_time="2023-01-25T00:00",
                          area_km2=10000.0, latitude_deg=47.65, alert_levels_m={"yellow": 3.5, "orange": 4.5,
                                                                                "red": 5.5},
                          river_names=["Vilaine"]).run(redon)
    assert out.data["stage_m"].equals(given.data["stage_m"])
    assert out.table("buildings_to_alert").equals(given.table("buildings_to_alert"))
    attrs = out.data.attrs
    assert attrs["forecast_time"] == "2023-01-25 00:00:00" and attrs["area_km2"] == 10000.0
    assert (attrs["latitude_deg"], attrs["latitude_from"]) == (47.65, "territory defaults")
    assert given.data.attrs["latitude_from"] == "given" and attrs["river_names"] == "Vilaine"
    assert [attrs[f"alert_{lvl}_m"] for lvl in ("yellow", "orange", "red")] == [3.5, 4.5, 5.5]
    other = FloodForecast(horizon_h=24, rain="none", params=params, alert_levels_m={"yellow": 0.1, "orange": 0.2,
                                                                                   "red": 0.3}).run(redon)
    assert other.data.attrs["alert_yellow_m"] == 0.1 and other.value("p_yellow_pct", "baseline") == 100.0


def test_the_rainfall_runoff_commands_read_the_seeds_flood_defaults(seed_copy, capsys):
    """``twin hydro --data redon`` takes its sensors, area and latitude from seed.json's defaults.flood: with
    the generator's own GR4H parameters it reproduces the synthetic river (NSE near 1; a wrong area or sensor
    would not), and without a default it names the option and the entry to set."""
    from twin.cli import main

    truth = json.loads((seeds.history_dir() / "truth.json").read_text())["river"]["gr4h"]
    run = ["hydro", "run", "--data", "redon", "--model", "gr4h", "--params",
           ",".join(str(truth[k]) for k in ("x1", "x2", "x3", "x4")), "--warmup", "2021-01-01",
           "--start", "2021-07-01", "--end", "2021-12-31", "--json"]
    assert main(run) == 0
    assert json.loads(capsys.readouterr().out)["nse"] > 0.95
    config = json.loads(seed_copy.read_text())
    del config["defaults"]["flood"]["rain_gauge"]
    seed_copy.write_text(json.dumps(config))
    assert main(run) == 1
    err = capsys.readouterr().err
    assert "give --rain" in err and "has no defaults.flood.rain_gauge" in err and str(seed_copy) in err, err
    assert main([*run, "--rain", "rg-redon"]) == 0


def test_a_market_without_a_market_place_is_said_to_have_no_effect():
    """A market in the defaults but no market place on the map: the bins see no market effect
    (every bin a street bin), and the outcome's ``market`` attribute says so instead of the market."""
    import geopandas as gpd

    from twin.scenarios.bins import _market_text, market_of

    places = gpd.GeoDataFrame({"category": ["townhall"]}, geometry=gpd.points_from_xy([0.0], [0.0]), crs="EPSG:2154")
    market = {"weekday": 0, "hours": [8, 13], "radius_m": 200.0}
    with_place = Territory(name="t", crs="EPSG:2154", graphs={}, layers={"places": places.assign(category=["market"])},
                           provenance={}, report=BuildReport(source="test"), defaults={"bins": {"market": market}})
    without = with_place.replace(layers={"places": places})
    assert _market_text(market_of(with_place), with_place).startswith("Monday 08–13 h")
    assert _market_text(market_of(without), without).startswith("none (a market in the defaults, but no market place")
