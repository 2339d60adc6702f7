"""French providers' files into the sensor store: Hub'Eau hydrométrie, Vigicrues, Météo-France.

The fixtures are written here from the providers' public specifications (field names, units,
quality codes; see each reader's docstring), not downloaded: they check that every documented
field and unit is read and that bad files are refused naming the file, the line and the field.
"""

from __future__ import annotations

import gzip
import json

import numpy as np
import pandas as pd
import pytest

from twin.cli import main
from twin.sensors import SensorStore
from twin.sources.hubeau import read_hubeau
from twin.sources.meteofrance import read_meteofrance
from twin.sources.provider_files import ProviderFileError
from twin.sources.vigicrues import read_vigicrues


def _tr(station="J708311001", grandeur="H", date="2024-01-15T06:00:00Z", value=1234.0, qual=16, **extra):
    return {"code_site": station[:8], "code_station": station, "grandeur_hydro": grandeur, "date_obs": date,
            "resultat_obs": value, "code_methode_obs": 0, "libelle_methode_obs": "Mesurée",
            "code_qualification_obs": qual, "libelle_qualification_obs": "Non qualifiée",
            "longitude": -2.085, "latitude": 47.652, **extra}


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_hubeau_real_time_levels_and_discharges_in_mm_and_l_per_s(tmp_path):
    records = [_tr(value=1234.0), _tr(date="2024-01-15T06:05:00Z", value=1240.0, qual=12),
               _tr(grandeur="Q", value=56000.0, qual=20), _tr(grandeur="Q", date="2024-01-15T06:05:00Z", value=None)]
    path = _write(tmp_path, "tr.json", json.dumps({"count": 4, "data": records}))
    batch = read_hubeau(path)
    sensors = batch.sensors.set_index("sensor_id")
    assert set(sensors.index) == {"hubeau-J708311001-H", "hubeau-J708311001-Q"}
    assert sensors.loc["hubeau-J708311001-H", "native_unit"] == "mm"
    assert sensors.loc["hubeau-J708311001-Q", "quantity"] == "discharge"
    assert sensors.loc["hubeau-J708311001-Q", "lon"] == pytest.approx(-2.085)
    store = SensorStore(tmp_path / "store")
    store.register(batch.sensors)
    store.ingest_frame(batch.observations, origin=str(path))
    h = store.query("hubeau-J708311001-H", include_flagged=True)
    np.testing.assert_allclose(h["value"], [1.234, 1.240])  # mm → m
    assert list(h["quality"]) == [0, 1]  # 16 not qualified: good; 12 doubtful: suspect
    q = store.query("hubeau-J708311001-Q", include_flagged=True)
    assert q["value"].iloc[0] == pytest.approx(56.0) and list(q["quality"]) == [0, 3]  # l/s → m³/s; empty: missing
    assert h["time"].iloc[0] == pd.Timestamp("2024-01-15 06:00", tz="UTC")


def test_hubeau_csv_and_site_level_series(tmp_path):
    path = _write(tmp_path, "tr.csv", "code_site;code_station;grandeur_hydro;date_obs;resultat_obs;code_qualification_obs\n"
                                      "J7083110;;Q;2024-01-15T06:00:00Z;1500;16\n")
    batch = read_hubeau(path)
    assert list(batch.sensors["sensor_id"]) == ["hubeau-J7083110-Q"]
    assert batch.observations["value"].iloc[0] == 1500 and batch.observations["unit"].iloc[0] == "l/s"


def test_hubeau_daily_means_are_stored_at_the_start_of_their_day(tmp_path):
    path = _write(tmp_path, "elab.json", json.dumps({"data": [
        {"code_station": "J708311001", "date_obs_elab": "2021-02-11", "resultat_obs_elab": 5020.0,
         "grandeur_hydro_elab": "QmnJ", "code_qualification_obs_elab": 20},
        {"code_station": "J708311001", "date_obs_elab": "2021-02-12", "resultat_obs_elab": 6580.0,
         "grandeur_hydro_elab": "QmnJ", "code_qualification_obs_elab": 12}]}))
    batch = read_hubeau(path)
    assert list(batch.sensors["sensor_id"]) == ["hubeau-J708311001-QmJ"]
    obs = batch.observations
    assert list(obs["time"]) == [pd.Timestamp("2021-02-11", tz="UTC"), pd.Timestamp("2021-02-12", tz="UTC")]
    assert list(obs["quality"]) == ["good", "suspect"] and list(obs["unit"]) == ["l/s", "l/s"]


@pytest.mark.parametrize("records, message", [
    ([{"code_station": "X", "date_obs": "2024-01-01T00:00:00Z", "resultat_obs": 1}],
     "the records lack the field\\(s\\) grandeur_hydro"),
    ([_tr(), _tr(grandeur="V")], "record\\(s\\) 2: grandeur_hydro 'V' is not H"),
    ([_tr(date="yesterday")], "record\\(s\\) 1: date_obs 'yesterday' is not a time"),
    ([_tr(value="12a")], "record\\(s\\) 1: resultat_obs '12a' is not a number"),
    ([_tr(qual=99)], "record\\(s\\) 1: code_qualification_obs '99' is not a qualification of Sandre nomenclature 515"),
    ([_tr(code_station="", code_site="")], "record\\(s\\) 1: code_station \\(and code_site\\) empty"),
    ([{"code_station": "J7", "date_obs_elab": "2021-01", "resultat_obs_elab": 1, "grandeur_hydro_elab": "QmM"}],
     "grandeur_hydro_elab 'QmM': only daily mean discharges"),
])
def test_bad_hubeau_files_name_the_record_and_the_field(tmp_path, records, message):
    path = _write(tmp_path, "bad.json", json.dumps({"data": records}))
    with pytest.raises(ProviderFileError, match=message) as info:
        read_hubeau(path)
    assert str(path) in str(info.value)


def test_a_bad_hubeau_csv_names_the_line(tmp_path):
    path = _write(tmp_path, "bad.csv", "code_station;grandeur_hydro;date_obs;resultat_obs\n"
                                       "J708311001;H;2024-01-15T06:00:00Z;12\nJ708311001;H;2024-13-45T06:00:00Z;12\n")
    with pytest.raises(ProviderFileError, match="line\\(s\\) 3: date_obs"):
        read_hubeau(path)
    path = _write(tmp_path, "lon.csv", "code_station;grandeur_hydro;date_obs;resultat_obs;longitude;latitude\n"
                                       "A1;H;2024-01-15T06:00:00Z;12;-2.0;47.0\nB1;H;2024-01-15T06:00:00Z;12;-2.0;47.0\n"
                                       "B1;Q;2024-01-15T06:00:00Z;12;ouest;47.0\n")
    with pytest.raises(ProviderFileError, match="line\\(s\\) 4: longitude 'ouest' is not a number"):
        read_hubeau(path)


def test_json_nested_too_deep_is_refused_not_crashed(tmp_path):
    path = _write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    for reader in (read_hubeau, read_vigicrues):
        with pytest.raises(ProviderFileError, match="deep.json"):
            reader(path)


HOURLY = ("NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJHH;RR1;QRR1;DRR1;QDRR1;T;QT\n"
          "35236001;REDON;47.652;-2.085;12;2024011506;1,2;1;;;8,5;9\n"
          "35236001;REDON;47.652;-2.085;12;2024011507;0.4;2;;;8.1;0\n"
          "35236001;REDON;47.652;-2.085;12;2024011508;;;;;7.9;\n")


def test_meteofrance_hourly_rain_and_temperature_with_their_quality(tmp_path):
    path = _write(tmp_path, "H_35_latest-2023-2024.csv.gz", gzip.compress(HOURLY.encode("latin-1")))
    batch = read_meteofrance(path)
    sensors = batch.sensors.set_index("sensor_id")
    assert set(sensors.index) == {"mf-35236001-rr1", "mf-35236001-t"}
    assert sensors.loc["mf-35236001-rr1", "quantity"] == "precipitation"
    assert sensors.loc["mf-35236001-t", "lat"] == pytest.approx(47.652)
    obs = batch.observations.set_index(["sensor_id", "time"])
    rr = obs.loc["mf-35236001-rr1"]
    np.testing.assert_allclose(rr["value"].to_numpy(), [1.2, 0.4, np.nan])  # a decimal comma is read
    assert list(rr["quality"]) == ["good", "suspect", "missing"]
    # the rain dated 06 UTC fell from 05 to 06: stored at 05:00, the start of the store's step
    assert rr.index[0] == pd.Timestamp("2024-01-15 05:00", tz="UTC")
    t = obs.loc["mf-35236001-t"]
    assert list(t["quality"]) == ["good", "good", "good"] and t.index[0] == pd.Timestamp("2024-01-15 06:00", tz="UTC")


def test_meteofrance_daily_rain_is_stored_at_the_start_of_its_24_hours(tmp_path):
    path = _write(tmp_path, "Q_35.csv", "NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJ;RR;QRR;TN;QTN;TX;QTX;TM;QTM\n"
                                        "35236001;REDON;47.652;-2.085;12;20240115;12.5;1;2.0;1;9.0;1;5.5;1\n")
    obs = read_meteofrance(path).observations.set_index("sensor_id")
    assert obs.loc["mf-35236001-rr", "time"] == pd.Timestamp("2024-01-15 06:00", tz="UTC")  # 06 UTC → 06 UTC
    assert obs.loc["mf-35236001-tm", "time"] == pd.Timestamp("2024-01-15 00:00", tz="UTC")


def test_meteofrance_daily_extremes_and_wind_leading_spaces_and_a_vintage_without_tm(tmp_path):
    """The RR-T-Vent daily file: TN from 18 UTC the day before, TX from 06 UTC, FFM; ids and headers with
    leading spaces; the times of the extremes (HTN, HTX: HHMM UTC without leading zeros) left alone."""
    path = _write(tmp_path, "Q_35_previous-1950-2022_RR-T-Vent.csv",
                  " NUM_POSTE; NOM_USUEL;LAT;LON;ALTI;AAAAMMJJ;RR;QRR;TN;QTN;HTN;QHTN;TX;QTX;HTX;QHTX;FFM;QFFM\n"
                  " 35236001;REDON;47.652;-2.085;12;20220115;0.0;1;-1.5;1;645;9;8.9;1;1405;9;3.2;1\n")
    batch = read_meteofrance(path)
    obs = batch.observations.set_index("sensor_id")
    assert set(obs.index) == {"mf-35236001-rr", "mf-35236001-tn", "mf-35236001-tx", "mf-35236001-ffm"}
    assert obs.loc["mf-35236001-tn", "time"] == pd.Timestamp("2022-01-14 18:00", tz="UTC")
    assert obs.loc["mf-35236001-tx", "time"] == pd.Timestamp("2022-01-15 06:00", tz="UTC")
    assert obs.loc["mf-35236001-tn", "value"] == -1.5 and obs.loc["mf-35236001-ffm", "value"] == 3.2
    assert batch.sensors.set_index("sensor_id").loc["mf-35236001-ffm", "quantity"] == "wind_speed"


@pytest.mark.parametrize("text, message", [
    ("NUM_POSTE;AAAAMMJJHH;RR1;QRR1\n3523600;2024011506;1;1\n", "line\\(s\\) 2: NUM_POSTE '3523600' is not an 8-digit"),
    ("NUM_POSTE;AAAAMMJJHH;RR1;QRR1\n35236001;2024011506;1;5\n", "line\\(s\\) 2: QRR1 '5' is not a Météo-France quality"),
    ("NUM_POSTE;AAAAMMJJHH;RR1;QRR1\n35236001;2024011506;1;1\n35236001;20240115;1;1\n",
     "line\\(s\\) 3: AAAAMMJJHH '20240115' is not a time"),
    ("NUM_POSTE;AAAAMMJJHH;RR1;QRR1\n35236001;2024011506;beaucoup;1\n", "line\\(s\\) 2: RR1 'beaucoup' is not a number"),
    ("NUM_POSTE;DATE;RR1\n35236001;2024011506;1\n", "neither AAAAMMJJHH"),
    ("NUM_POSTE;AAAAMMJJHH;DG;QDG\n35236001;2024011506;1;1\n", "none of the fields read from a hourly file"),
])
def test_bad_meteofrance_files_name_the_line_and_the_field(tmp_path, text, message):
    path = _write(tmp_path, "H_bad.csv", text)
    with pytest.raises(ProviderFileError, match=message):
        read_meteofrance(path)


def test_vigicrues_levels_in_m(tmp_path):
    doc = {"Serie": {"CdStationHydro": "J708311001", "LbStationHydro": "Redon", "GrdSerie": "H",
                     "ObssHydro": [{"DtObsHydro": "2024-01-15T06:00:00+00:00", "ResObsHydro": 3.21},
                                   {"DtObsHydro": "2024-01-15T07:00:00+01:00", "ResObsHydro": 3.25}]}}
    batch = read_vigicrues(_write(tmp_path, "obs.json", json.dumps(doc)))
    assert list(batch.sensors["sensor_id"]) == ["vigicrues-J708311001-H"]
    assert list(batch.observations["time"]) == [pd.Timestamp("2024-01-15 06:00", tz="UTC")] * 2  # offsets read
    doc["Serie"]["GrdSerie"] = "X"
    with pytest.raises(ProviderFileError, match="GrdSerie 'X' is not H"):
        read_vigicrues(_write(tmp_path, "bad.json", json.dumps(doc)))


def test_the_import_command_registers_then_ingests_and_a_refused_file_changes_nothing(tmp_path, capsys):
    store_dir = tmp_path / "store"
    first = _write(tmp_path, "tr.json", json.dumps({"data": [_tr(value=1234.0), _tr(grandeur="Q", value=56000.0)]}))
    assert main(["sensors", "import", str(first), "--format", "hubeau", "--store", str(store_dir)]) == 0
    assert "tr.json" in capsys.readouterr().out

    def everything():
        store = SensorStore(store_dir)
        return store.sql("SELECT * FROM observations ORDER BY sensor_id, time"), store.sensors

    obs, sensors = everything()
    assert len(obs) == 2 and len(sensors) == 2
    clash = _write(tmp_path, "clash.json", json.dumps({"data": [_tr(value=999.0)]}))  # another value, same time
    assert main(["sensors", "import", str(clash), "--format", "hubeau", "--store", str(store_dir)]) == 1
    assert "clash.json" in capsys.readouterr().err
    broken = _write(tmp_path, "broken.json", json.dumps({"data": [_tr(grandeur="Z")]}))
    assert main(["sensors", "import", str(broken), "--format", "hubeau", "--store", str(store_dir)]) == 1
    assert "broken.json" in capsys.readouterr().err
    obs_after, sensors_after = everything()
    pd.testing.assert_frame_equal(obs_after, obs)
    pd.testing.assert_frame_equal(sensors_after, sensors)


def _reach(code="LC134", level=2, kind=8, geometry=None):
    return {"type": "Feature", "properties": {"CdEntCru": code, "TypEntCru": kind, "LbEntCru": "Vilaine aval",
                                              "NivInfViCr": level},
            "geometry": geometry or {"type": "MultiLineString", "coordinates": [[[-2.1, 47.6], [-2.0, 47.7]]]}}


def test_vigicrues_vigilance_of_each_reach(tmp_path):
    from twin.sources.vigicrues import read_vigilance

    def read(features):
        return read_vigilance(_write(tmp_path, "vigi.geojson", json.dumps({"type": "FeatureCollection",
                                                                             "features": features})))

    out = read([_reach(), _reach("LC135", 4), _reach("19", 1, kind=5)])
    assert list(out["code"]) == ["LC134", "LC135"] and list(out["colour"]) == ["jaune", "rouge"]
    assert out.crs.to_epsg() == 4326 and out.attrs["other_entities"] == 1
    with pytest.raises(ProviderFileError, match="feature 2 \\(LC135\\): NivInfViCr '7' is not a vigilance level"):
        read([_reach(), _reach("LC135", 7)])
    with pytest.raises(ProviderFileError, match="feature 1: CdEntCru"):
        read([_reach("")])
    with pytest.raises(ProviderFileError, match="feature 1 \\(LC134\\): geometry is not a line"):
        read([_reach(geometry={"type": "Point", "coordinates": [-2.1, 47.6]})])


def test_the_vigilance_command_lists_the_reaches_crossing_the_territory(tmp_path, capsys):
    from twin.seeds import load_default

    lon0, lat0, lon1, lat1 = load_default().provenance["bounds_lonlat"]
    across = {"type": "LineString", "coordinates": [[lon0 - 0.05, (lat0 + lat1) / 2], [lon1 + 0.05, (lat0 + lat1) / 2]]}
    away = {"type": "LineString", "coordinates": [[5.0, 45.0], [5.1, 45.1]]}
    path = _write(tmp_path, "vigi.geojson", json.dumps({"type": "FeatureCollection", "features": [
        _reach("LC134", 3, geometry=across), _reach("RH1", 4, geometry=away)]}))
    assert main(["flood", "vigilance", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in out["reaches"]] == ["LC134"] and out["highest"] == "orange"
