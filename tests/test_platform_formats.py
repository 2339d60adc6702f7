"""FIWARE NGSI-LD / NGSI v2 entities and OGC SensorThings answers in and out of the sensor store (issue 19).

The entities and answers are written here from the specifications (ETSI GS CIM 009 for NGSI-LD, the
FIWARE NGSI v2 specification, OGC 18-088 for SensorThings 1.1) and the Smart Data Models' attribute
definitions; the round trips check that what the twin writes it reads back into the same store.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from twin.cli import main
from twin.sensors import SensorStore
from twin.sources.detect import detect_format
from twin.sources.ngsi import read_ngsi
from twin.sources.provider_files import ProviderFileError
from twin.sources.sensorthings import read_sensorthings

POINT = {"type": "Point", "coordinates": [-2.0851, 47.6512]}


def _write(tmp_path, name, document):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_ngsi_ld_normalized_temporal_and_key_values_waste_containers(tmp_path):
    entities = [
        {"id": "urn:ngsi-ld:WasteContainer:wc-001", "type": "WasteContainer", "@context": ["x"],
         "location": {"type": "GeoProperty", "value": POINT},
         "fillingLevel": {"type": "Property", "value": 0.7, "observedAt": "2024-01-15T06:00:00Z", "unitCode": "C62"},
         "status": {"type": "Property", "value": "ok"}},
        {"id": "urn:ngsi-ld:WasteContainer:wc-002", "type": "WasteContainer",
         "fillingLevel": [{"type": "Property", "value": 35, "observedAt": "2024-01-15T06:00:00Z", "unitCode": "P1"},
                          {"type": "Property", "value": 42, "observedAt": "2024-01-16T06:00:00Z", "unitCode": "P1"}]},
        {"id": "wc-003", "type": "WasteContainer", "fillingLevel": 0.25, "dateObserved": "2024-01-15T07:00:00+01:00",
         "location": POINT},
    ]
    batch = read_ngsi(_write(tmp_path, "containers.jsonld", entities))
    store = SensorStore(tmp_path / "store")
    store.register_and_ingest(batch.sensors, batch.observations, origin="containers")
    assert store.query("ngsi-wc-001-fillingLevel")["value"].tolist() == [70.0]  # a fraction → %
    assert store.query("ngsi-wc-002-fillingLevel")["value"].tolist() == [35.0, 42.0]
    third = store.query("ngsi-wc-003-fillingLevel")
    assert third["value"].tolist() == [25.0] and third["time"].iloc[0] == pd.Timestamp("2024-01-15 06:00", tz="UTC")
    assert store.sensors.set_index("sensor_id").loc["ngsi-wc-001-fillingLevel", "lon"] == pytest.approx(-2.0851)
    assert any("WasteContainer.status" in n for n in batch.notes)  # named, not dropped silently


def test_ngsi_v2_metadata_timestamps_and_traffic_counts_as_rates(tmp_path):
    entities = [
        {"id": "gauge-1", "type": "WaterObserved",
         "height": {"type": "Number", "value": 2.31, "metadata": {"timestamp": {"type": "DateTime",
                                                                               "value": "2024-01-15T06:00:00Z"}}},
         "location": {"type": "geo:json", "value": POINT}},
        {"id": "urn:ngsi-ld:TrafficFlowObserved:tf-7", "type": "TrafficFlowObserved", "intensity": 120,
         "dateObservedFrom": "2024-01-15T08:00:00Z", "dateObservedTo": "2024-01-15T08:15:00Z",
         "dateObserved": "2024-01-15T08:15:00Z"},
    ]
    batch = read_ngsi(_write(tmp_path, "v2.json", entities))
    obs = batch.observations.set_index("sensor_id")
    assert obs.loc["ngsi-gauge-1-height", "value"] == pytest.approx(2.31)
    assert obs.loc["ngsi-tf-7-intensity", "value"] == pytest.approx(480.0)  # 120 vehicles in 15 min
    assert obs.loc["ngsi-tf-7-intensity", "time"] == pd.Timestamp("2024-01-15 08:00", tz="UTC")


@pytest.mark.parametrize("entity, message", [
    ({"id": "w", "type": "WaterObserved", "flow": {"type": "Property", "value": 3.2}},
     r"entity 'w', attribute 'flow': a value without a time"),
    ({"id": "w", "type": "WaterObserved", "flow": {"type": "Property", "value": "high", "observedAt": "2024-01-01T00:00Z"}},
     r"entity 'w', attribute 'flow': value 'high' is not a number"),
    ({"type": "WaterObserved"}, r"entity 1: not an NGSI entity"),
    ({"id": "x", "type": "Building", "floors": 3}, r"no attribute the twin can store"),
])
def test_bad_ngsi_entities_are_refused_naming_entity_and_attribute(tmp_path, entity, message):
    with pytest.raises(ProviderFileError, match=message):
        read_ngsi(_write(tmp_path, "bad.json", [entity]))


def _thing(observations, **datastream):
    return {"@iot.id": 7, "name": "Pont de Redon", "Locations": [{"location": POINT}],
            "Datastreams": [{"@iot.id": 21, "name": "Niveau", "unitOfMeasurement": {"name": "metre", "symbol": "m"},
                             "ObservedProperty": {"name": "Water level", "definition": "http://vocab/waterlevel"},
                             "Observations": observations, **datastream},
                            {"@iot.id": 22, "name": "Turbidité", "unitOfMeasurement": {"symbol": "NTU"},
                             "ObservedProperty": {"name": "Turbidity"}, "Observations": []}]}


def test_sensorthings_things_with_datastreams_intervals_nulls_and_pages_not_read(tmp_path):
    answer = {"value": [_thing([{"phenomenonTime": "2024-01-15T06:00:00Z", "result": 2.4},
                                {"phenomenonTime": "2024-01-15T07:00:00Z/2024-01-15T08:00:00Z", "result": 2.5},
                                {"phenomenonTime": "2024-01-15T08:00:00Z", "result": None}],
                               **{"Observations@iot.nextLink": "https://sta.example/Datastreams(21)/Observations?$skip=3"})],
              "@iot.nextLink": "https://sta.example/Things?$skip=1"}
    batch = read_sensorthings(_write(tmp_path, "things.json", answer))
    obs = batch.observations
    assert obs["sensor_id"].unique().tolist() == ["sta-21"]
    assert obs["time"].tolist()[1] == pd.Timestamp("2024-01-15 07:00", tz="UTC")  # an interval: its start
    assert obs["quality"].tolist() == ["good", "good", "missing"]
    assert batch.sensors.iloc[0]["quantity"] == "water_level" and batch.sensors.iloc[0]["lat"] == pytest.approx(47.6512)
    assert sum("not read" in n for n in batch.notes) == 2 and any("Turbidity" in n for n in batch.notes)


def test_the_writers_quality_names_are_the_stores():
    from twin.sensors import QUALITY_NAMES
    from twin.sources.provider_files import QUALITY_BY_CODE

    assert QUALITY_BY_CODE == QUALITY_NAMES


def test_sensorthings_observations_without_their_datastream_are_refused(tmp_path):
    with pytest.raises(ProviderFileError, match=r"Observations without their Datastream"):
        read_sensorthings(_write(tmp_path, "obs.json", {"value": [{"phenomenonTime": "2024-01-01T00:00Z", "result": 1}]}))


@pytest.fixture
def varied_store(tmp_path):
    """A store with what a real one holds: native units other than the canonical ones, an asset link,
    a position, a synthetic sensor, suspect, out-of-range and missing values."""
    store = SensorStore(tmp_path / "original")
    store.register([
        {"sensor_id": "h-redon", "quantity": "water_level", "native_unit": "mm", "lon": -2.085, "lat": 47.652,
         "name": "Vilaine à Redon", "description": "Hub'Eau H"},
        {"sensor_id": "gas-mairie", "quantity": "gas_energy", "native_unit": "kWh", "asset_layer": "buildings",
         "asset_id": "osm:way/1", "synthetic": True, "description": "SYNTHETIC gas"},
        {"sensor_id": "bin-3", "quantity": "fill_level", "native_unit": "%"},
    ])
    t = pd.date_range("2024-01-15", periods=4, freq="h", tz="UTC")
    store.ingest_frame(pd.DataFrame({
        "sensor_id": ["h-redon"] * 4 + ["gas-mairie"] * 4 + ["bin-3"] * 4,
        "time": list(t) * 3, "value": [2310, 2330, None, 99999, 12.5, 13.0, 11.0, 9.5, 40, 55, 130, 10],
        "unit": ["mm"] * 4 + ["kWh"] * 4 + ["%"] * 4,
        "quality": ["good", "suspect", "good", "good"] + ["good"] * 8}), origin="fixture")
    return store


@pytest.mark.parametrize("fmt", ["ngsi-ld", "sensorthings"])
def test_round_trip_through_the_platform_format_gives_back_the_same_store(tmp_path, varied_store, fmt, capsys):
    out = tmp_path / f"export-{fmt}.json"
    assert main(["sensors", "export", str(out), "--store", str(varied_store.path), "--format", fmt]) == 0
    assert detect_format(out) == ("ngsi" if fmt == "ngsi-ld" else "sensorthings")
    copy = tmp_path / "copy"
    assert main(["sensors", "import", str(out), "--store", str(copy)]) == 0
    again = SensorStore(copy)
    columns = ["sensor_id", "quantity", "unit", "native_unit", "asset_layer", "asset_id", "lon", "lat", "name",
               "synthetic", "description"]
    pd.testing.assert_frame_equal(again.sensors.sort_values("sensor_id")[columns].reset_index(drop=True),
                                  varied_store.sensors.sort_values("sensor_id")[columns].reset_index(drop=True),
                                  check_dtype=False)
    query = "SELECT sensor_id, time, quantity, value, unit, quality FROM observations ORDER BY sensor_id, time"
    pd.testing.assert_frame_equal(again.sql(query), varied_store.sql(query))
    assert (varied_store.sql(query)["quality"] > 0).sum() == 3  # suspect, missing, out of range: all carried


def test_ngsi_temporal_traffic_counts_and_the_simplified_temporal_form(tmp_path):
    entities = [{"id": "urn:ngsi-ld:TrafficFlowObserved:tf-8", "type": "TrafficFlowObserved",
                 "dateObservedFrom": "2024-01-15T08:00:00Z", "dateObservedTo": "2024-01-15T08:15:00Z",
                 "intensity": [{"type": "Property", "value": 120, "observedAt": "2024-01-15T08:15:00Z"},
                               {"type": "Property", "value": 90, "observedAt": "2024-01-15T08:30:00Z"}]},
                {"id": "urn:ngsi-ld:WaterObserved:w-1", "type": "WaterObserved",
                 "height": {"type": "Property", "unitCode": "CMT",
                            "values": [[231, "2024-01-15T06:00:00Z"], [240, "2024-01-15T07:00:00Z"]]}}]
    obs = read_ngsi(_write(tmp_path, "temporal.json", entities)).observations
    flow = obs[obs["sensor_id"] == "ngsi-tf-8-intensity"]
    assert flow["value"].tolist() == [480.0, 360.0]
    assert flow["time"].tolist() == [pd.Timestamp("2024-01-15 08:00", tz="UTC"), pd.Timestamp("2024-01-15 08:15", tz="UTC")]
    height = obs[obs["sensor_id"] == "ngsi-w-1-height"]
    assert height["value"].tolist() == [231, 240] and set(height["unit"]) == {"cm"}


def test_unknown_ngsi_quality_and_unknown_sensor_to_export_are_named(tmp_path, varied_store, capsys):
    entity = {"id": "w", "type": "WaterObserved", "flow": {"type": "Property", "value": 3.2, "observedAt":
                                                            "2024-01-01T00:00:00Z", "quality": {"value": "bogus"}}}
    with pytest.raises(ProviderFileError, match=r"entity 'w', attribute 'flow', instance 1: quality 'bogus'"):
        read_ngsi(_write(tmp_path, "q.json", [entity]))
    assert main(["sensors", "export", str(tmp_path / "x.json"), "--store", str(varied_store.path), "--format",
                 "ngsi-ld", "--sensor", "nope"]) != 0
    assert "unknown sensor 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize("change", [
    {"Observations": ["x"]}, {"ObservedProperty": "temp"}, {"unitOfMeasurement": "degC"},
    {"Observations": [{"phenomenonTime": "2024-01-01T00:00Z", "result": [1]}]},
])
def test_sensorthings_structures_of_the_wrong_kind_are_named(tmp_path, change):
    thing = _thing([{"phenomenonTime": "2024-01-15T06:00:00Z", "result": 2.4}])
    thing["Datastreams"][0].update(change)
    with pytest.raises(ProviderFileError, match=r"Datastream '21'"):
        read_sensorthings(_write(tmp_path, "odd.json", {"value": [thing]}))
    thing = _thing([{"phenomenonTime": "2024-01-15T06:00:00Z", "result": 2.4}])
    thing["Locations"] = [{"location": {"type": "Point", "coordinates": ["a", "b"]}}]
    with pytest.raises(ProviderFileError, match=r"Datastream '21': not the SensorThings structure"):
        read_sensorthings(_write(tmp_path, "odd.json", {"value": [thing]}))


@pytest.mark.parametrize("name, quantity", [("Water temperature", None), ("Dew point temperature", None),
                                            ("Air temperature", "air_temperature"), ("Drainage flow", None),
                                            ("Rainfall", "precipitation"), ("Room temperature", "indoor_temperature")])
def test_sensorthings_properties_are_matched_on_whole_words(name, quantity):
    from twin.sources.sensorthings import _quantity

    assert _quantity({"name": name}) == quantity
