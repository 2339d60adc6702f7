"""The sensor store: ingest layouts, unit conversion, every bad-input case, atomicity, queries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from twin.sensors import MISSING, OUT_OF_RANGE, SensorDataError, SensorStore

SENSORS = pd.DataFrame([
    {"sensor_id": "rg1", "quantity": "precipitation", "native_unit": "mm", "lon": -2.08, "lat": 47.65},
    {"sensor_id": "h1", "quantity": "water_level", "native_unit": "cm", "asset_layer": "waterways",
     "asset_id": "osm:way/1"},
    {"sensor_id": "t1", "quantity": "air_temperature", "native_unit": "degC"},
    {"sensor_id": "gas1", "quantity": "gas_energy", "native_unit": "kWh"},
])


@pytest.fixture
def store(tmp_path):
    s = SensorStore(tmp_path / "store")
    s.register(SENSORS)
    return s


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def snapshot(store):
    return sorted((p.name, p.stat().st_size) for p in store.path.rglob("*") if p.is_file())


def test_long_csv_with_units_is_converted_to_canonical(store, tmp_path):
    f = write(tmp_path, "obs.csv", "sensor_id,time,value,unit\n"
              "h1,2024-01-01T00:00:00Z,250,cm\n"
              "h1,2024-01-01T01:00:00Z,2.6,m\n"
              "t1,2024-01-01T00:00:00Z,32,degF\n"
              "rg1,2024-01-01T00:00:00Z,0.4,mm\n")
    report = store.ingest_csv(f)
    assert report.rows_written == 4
    h = store.query("h1")
    assert h["value"].tolist() == pytest.approx([2.5, 2.6])
    assert store.query("t1")["value"].iloc[0] == pytest.approx(0.0)


def test_one_sensor_file_uses_the_registered_native_unit(store, tmp_path):
    f = write(tmp_path, "h1.csv", "time,value\n2024-01-01 00:00,120\n2024-01-01 01:00,130\n")
    store.ingest_csv(f, sensor_id="h1")
    assert store.query("h1")["value"].tolist() == pytest.approx([1.2, 1.3])


def test_a_french_spreadsheet_export_is_read_as_the_same_readings(store, tmp_path):
    """« sensor_id;time;value » and « 125,5 » (a French Excel's export) was refused as « 6 line(s) without the
    header's 1 fields »: read with its semicolons, decimal commas and dates written day first, it gives the
    readings of the same file written the ISO way; a word in a value is still refused, naming its line."""
    french = write(tmp_path, "releves.csv", "sensor_id;time;value\nh1;22/02/2023 14:00;125,5\n"
                                            "h1;2023-02-22 15:00;148\nt1;22/02/2023 14:00;-2,5\n")
    store.ingest_csv(french, timezone="Europe/Paris")
    h = store.query("h1")
    assert h["value"].tolist() == pytest.approx([1.255, 1.48])
    assert h["time"].tolist() == [pd.Timestamp("2023-02-22 13:00", tz="UTC"), pd.Timestamp("2023-02-22 14:00", tz="UTC")]
    assert store.query("t1")["value"].tolist() == pytest.approx([-2.5])
    wide = write(tmp_path, "large.csv", "date;rg1\n23/02/2023;0,4\n")
    store.ingest_csv(wide)
    assert store.query("rg1")["value"].tolist() == pytest.approx([0.4])
    word = write(tmp_path, "mot.csv", "sensor_id;time;value\nh1;2023-02-23 14:00;12,5 cm\n")
    with pytest.raises(SensorDataError, match=r"(?s)value is not a number.*line 2 .*12,5 cm"):
        store.ingest_csv(word)


def test_wide_csv_with_local_times(store, tmp_path):
    f = write(tmp_path, "wide.csv", "date,rg1,t1\n2024-07-01 12:00,0.0,21.5\n2024-07-01 13:00,1.2,20.0\n")
    store.ingest_csv(f, timezone="Europe/Paris")
    t = store.query("t1")
    assert t["time"].iloc[0] == pd.Timestamp("2024-07-01 10:00", tz="UTC")  # CEST = UTC+2
    assert len(store.query("rg1")) == 2


def test_unknown_sensor_is_rejected_naming_file_line_and_sensor(store, tmp_path):
    f = write(tmp_path, "bad.csv", "sensor_id,time,value\nrg1,2024-01-01T00:00Z,1\nrg9,2024-01-01T01:00Z,1\n")
    with pytest.raises(SensorDataError, match=r"(?s)bad.csv line 3 \(sensor 'rg9'\)") as e:
        store.ingest_csv(f)
    assert "unknown sensor" in str(e.value)


def test_unknown_unit_is_rejected(store, tmp_path):
    f = write(tmp_path, "u.csv", "sensor_id,time,value,unit\nh1,2024-01-01T00:00Z,1,furlong\n")
    with pytest.raises(SensorDataError, match=r"(?s)unknown unit 'furlong'.*u.csv line 2 \(sensor 'h1'\)"):
        store.ingest_csv(f)


def test_inconsistent_unit_is_rejected(store, tmp_path):
    f = write(tmp_path, "u.csv", "sensor_id,time,value,unit\nh1,2024-01-01T00:00Z,1,m\nh1,2024-01-01T01:00Z,5,kWh\n")
    with pytest.raises(SensorDataError, match=r"(?s)'kWh' is a unit of energy.*u.csv line 3 \(sensor 'h1'\)"):
        store.ingest_csv(f)


def test_unparsable_time_is_rejected(store, tmp_path):
    f = write(tmp_path, "t.csv", "sensor_id,time,value\nrg1,2024-01-01T00:00Z,1\nrg1,2024-13-45 99:00,1\n")
    with pytest.raises(SensorDataError, match=r"(?s)line 3 \(sensor 'rg1'\) \('2024-13-45 99:00'\)"):
        store.ingest_csv(f)


def test_ambiguous_local_time_at_dst_change_is_rejected(store, tmp_path):
    f = write(tmp_path, "dst.csv", "sensor_id,time,value\nt1,2024-10-27 02:30,10\n")
    with pytest.raises(SensorDataError, match="ambiguous"):
        store.ingest_csv(f, timezone="Europe/Paris")


def test_non_numeric_value_is_rejected(store, tmp_path):
    f = write(tmp_path, "v.csv", "sensor_id,time,value\nt1,2024-01-01T00:00Z,12,5\n")  # French decimal comma
    with pytest.raises(SensorDataError):
        store.ingest_csv(f)
    f = write(tmp_path, "v2.csv", "sensor_id,time,value\nt1,2024-01-01T00:00Z,n/a\n")
    with pytest.raises(SensorDataError, match=r"(?s)v2.csv.*not a number.*line 2 \(sensor 't1'\) \('n/a'\)"):
        store.ingest_csv(f)


def test_duplicate_timestamps_with_different_values_are_rejected(store, tmp_path):
    f = write(tmp_path, "d.csv", "sensor_id,time,value\nt1,2024-01-01T00:00Z,10\nt1,2024-01-01T00:00Z,11\n")
    with pytest.raises(SensorDataError, match="duplicate timestamp with a different value"):
        store.ingest_csv(f)


def test_identical_duplicates_are_kept_once_and_counted(store, tmp_path):
    f = write(tmp_path, "d.csv", "sensor_id,time,value\nt1,2024-01-01T00:00Z,10\nt1,2024-01-01T00:00Z,10\n")
    report = store.ingest_csv(f)
    assert report.duplicates_identical == 1 and report.rows_written == 1


def test_conflict_with_the_store_is_rejected_and_reingest_is_idempotent(store, tmp_path):
    f = write(tmp_path, "a.csv", "sensor_id,time,value\nt1,2024-01-01T00:00Z,10\n")
    store.ingest_csv(f)
    again = store.ingest_csv(f)
    assert again.already_in_store == 1 and again.rows_written == 0
    g = write(tmp_path, "b.csv", "sensor_id,time,value\nt1,2024-01-01T00:00Z,12\n")
    with pytest.raises(SensorDataError, match="already in the store with a different value"):
        store.ingest_csv(g)


def test_out_of_range_values_are_flagged_or_rejected(store, tmp_path):
    f = write(tmp_path, "r.csv", "sensor_id,time,value\nrg1,2024-01-01T00:00Z,-3\nrg1,2024-01-01T01:00Z,2\n")
    with pytest.raises(SensorDataError, match=r"(?s)outside the physical range.*line 2 \(sensor 'rg1'\) \('-3 mm'\)"):
        store.ingest_csv(f, out_of_range="reject")
    report = store.ingest_csv(f)
    assert report.flagged["out_of_range"] == 1
    assert store.query("rg1")["value"].tolist() == [2.0]  # flagged values are left out by default
    everything = store.query("rg1", include_flagged=True)
    assert everything["quality"].tolist() == [OUT_OF_RANGE, 0]


def test_empty_values_are_kept_as_missing_not_dropped(store, tmp_path):
    f = write(tmp_path, "m.csv", "sensor_id,time,value\nt1,2024-01-01T00:00Z,\nt1,2024-01-01T01:00Z,3\n")
    report = store.ingest_csv(f)
    assert report.flagged["missing"] == 1 and report.rows_written == 2
    q = store.query("t1", include_flagged=True)
    assert q["quality"].tolist() == [MISSING, 0]


def test_failed_ingest_leaves_the_store_exactly_as_it_was(store, tmp_path):
    store.ingest_csv(write(tmp_path, "ok.csv", "sensor_id,time,value\nt1,2024-01-01T00:00Z,10\n"))
    before = snapshot(store)
    bad = write(tmp_path, "bad.csv", "sensor_id,time,value\nt1,2024-01-02T00:00Z,10\nt1,not-a-time,3\n")
    with pytest.raises(SensorDataError):
        store.ingest_csv(bad)
    assert snapshot(store) == before
    assert len(store.query("t1")) == 1


def test_bad_files_and_missing_columns(store, tmp_path):
    with pytest.raises(SensorDataError, match="the file is empty"):
        store.ingest_csv(write(tmp_path, "e.csv", ""))
    with pytest.raises(SensorDataError, match="no time column"):
        store.ingest_csv(write(tmp_path, "n.csv", "sensor_id,when,value\nt1,x,1\n"))
    with pytest.raises(SensorDataError, match="no sensor id given"):
        store.ingest_csv(write(tmp_path, "s.csv", "time,value\n2024-01-01T00:00Z,1\n"))
    with pytest.raises(SensorDataError, match="no such file"):
        store.ingest_csv(tmp_path / "nope.csv")


def test_registration_checks(store):
    with pytest.raises(SensorDataError, match="unknown quantity 'colour'"):
        store.register([{"sensor_id": "x", "quantity": "colour"}])
    with pytest.raises(SensorDataError, match="'kWh' is a unit of energy"):
        store.register([{"sensor_id": "x", "quantity": "water_level", "native_unit": "kWh"}])
    with pytest.raises(SensorDataError, match="already registered as water_level"):
        store.register([{"sensor_id": "h1", "quantity": "discharge"}])
    with pytest.raises(SensorDataError, match="defined twice"):
        store.register([{"sensor_id": "y", "quantity": "discharge"}, {"sensor_id": "y", "quantity": "discharge"}])
    store.register(SENSORS)  # identical re-registration is a no-op
    assert len(store.sensors) == 4


def test_xarray_views_resample_sums_and_means_with_cf_attributes(store):
    times = pd.date_range("2024-01-01", periods=48, freq="1h", tz="UTC")
    frame = pd.concat([
        pd.DataFrame({"sensor_id": "rg1", "time": times, "value": 1.0}),
        pd.DataFrame({"sensor_id": "t1", "time": times, "value": np.arange(48.0)}),
    ])
    store.ingest_frame(frame)
    rain = store.series("rg1", freq="1D")
    assert rain.values.tolist() == [24.0, 24.0]  # precipitation amounts add up
    assert rain.attrs["units"] == "mm" and rain.attrs["standard_name"] == "precipitation_amount"
    temp = store.series("t1", freq="1D")
    assert temp.values.tolist() == pytest.approx([11.5, 35.5])  # temperatures average
    ds = store.dataset(["rg1", "t1"], "2024-01-01", "2024-01-02", freq="6h")
    assert ds.sizes["time"] == 4 and ds["t1"].attrs["units"] == "degC"


def test_summary_and_sql(store, tmp_path):
    store.ingest_csv(write(tmp_path, "a.csv", "sensor_id,time,value\nt1,2024-01-01T00:00Z,10\nrg1,2024-02-01T00:00Z,1\n"))
    s = store.summary()
    assert store.summary() == s  # queries reuse the store's connection without clashing
    assert s["sensors"] == 4 and s["observations"] == 2
    assert s["period"][0].startswith("2024-01-01")
    n = store.sql("SELECT count(*) AS n FROM observations o JOIN sensors s USING (sensor_id) "
                  "WHERE s.quantity = 'air_temperature'")
    assert int(n["n"].iloc[0]) == 1


def test_a_line_cut_short_is_refused_naming_it_and_nothing_is_imported(store, tmp_path):
    """« 2024-01-01T01:00 » without its separator was stored as a missing value: a gap the sensor never had.
    An empty value written with its separator stays a missing value."""
    before = len(store.query("rg1"))
    f = write(tmp_path, "short.csv", "time,value\n2024-01-01T00:00Z,1.5\n2024-01-01T01:00Z\n\n2024-01-01T02:00Z,\n")
    with pytest.raises(SensorDataError, match=r"(?s)1 line\(s\) without the header's 2 fields \(time, value\)"
                                              r".*short.csv line 3: 1 field\(s\)") as e:
        store.ingest_csv(f, sensor_id="rg1")
    assert "line 5" not in str(e.value)  # the empty value, separator kept: a gap, not a cut line
    assert len(store.query("rg1")) == before
    ok = write(tmp_path, "gap.csv", "time,value\n2024-01-01T00:00Z,1.5\n\n2024-01-01T02:00Z,\n")
    store.ingest_csv(ok, sensor_id="rg1")
    assert len(store.query("rg1", include_flagged=True)) == before + 2


def test_a_line_with_a_field_too_many_or_an_unread_column_is_refused_by_name(store, tmp_path):
    """One field too many read as « unknown sensor '2024-01-01T00:00' » on that line and the next; a
    misspelt 'qualty' column dropped the file's suspect marks without a word, a sensor's column beside
    sensor_id its values."""
    before = len(store.query("rg1", include_flagged=True))
    f = write(tmp_path, "extra.csv", "sensor_id,time,value\nrg1,2024-01-01T00:00Z,1,extra\nrg1,2024-01-01T01:00Z,2\n")
    with pytest.raises(SensorDataError, match=r"(?s)1 line\(s\) without the header's 3 fields.*extra.csv line 2: "
                                              r"4 field\(s\)") as e:
        store.ingest_csv(f)
    assert "line 3" not in str(e.value)
    typo = write(tmp_path, "typo.csv", "sensor_id,time,value,qualty\nrg1,2024-01-01T00:00Z,1,suspect\n")
    with pytest.raises(SensorDataError, match=r"typo.csv: line 1: column\(s\) 'qualty' not read by the layout "
                                              r"sensor_id, time, value \(then optionally unit, quality\)"):
        store.ingest_csv(typo)
    one = write(tmp_path, "one.csv", "time,value,rg2\n2024-01-01T00:00Z,1,3.2\n")
    with pytest.raises(SensorDataError, match=r"column\(s\) 'rg2' not read by the layout time, value"):
        store.ingest_csv(one, sensor_id="rg1")
    assert len(store.query("rg1", include_flagged=True)) == before


def test_a_line_of_spaces_and_a_trailing_separator_are_read_as_pandas_reads_them(store, tmp_path):
    """After the ragged-line check, a line of spaces (pandas skips it) and a spreadsheet's trailing
    separator (an unnamed, empty column) refused whole files that lose nothing."""
    before = len(store.query("rg1", include_flagged=True))
    spaces = write(tmp_path, "spaces.csv", "time,value\r\n2024-02-01T00:00Z,1\r\n   \r\n\t\r\n2024-02-01T01:00Z,2\r\n")
    store.ingest_csv(spaces, sensor_id="rg1")
    trailing = write(tmp_path, "trailing.csv", "sensor_id,time,value,\nrg1,2024-02-01T02:00Z,3,\n")
    store.ingest_csv(trailing)
    assert len(store.query("rg1", include_flagged=True)) == before + 3
    filled = write(tmp_path, "filled.csv", "sensor_id,time,value,\nrg1,2024-02-01T03:00Z,3,oops\n")
    with pytest.raises(SensorDataError, match="'Unnamed: 3' not read"):  # an unnamed column holding data is read
        store.ingest_csv(filled)


def test_a_file_mixing_times_with_and_without_their_offset_is_refused_by_line(store, tmp_path):
    """A bare time among times with offsets was read in UTC without a word (an hour off if it was French
    winter time)."""
    before = len(store.query("rg1", include_flagged=True))
    f = write(tmp_path, "mixed.csv", "sensor_id,time,value\nrg1,2024-03-01T00:00+01:00,1\nrg1,2024-03-01T01:00,2\n")
    with pytest.raises(SensorDataError, match=r"(?s)time without its UTC offset in a file whose other times carry "
                                              r"one.*mixed.csv line 3 \(sensor 'rg1'\) \('2024-03-01T01:00'\)"):
        store.ingest_csv(f)
    assert len(store.query("rg1", include_flagged=True)) == before


def test_a_french_excel_export_in_windows_1252_is_read(store, tmp_path):
    """French Excel's « CSV (séparateur : point-virgule) » is Windows-1252: « °C » in it was refused as not UTF-8."""
    f = tmp_path / "releves.csv"
    f.write_bytes("sensor_id;time;value;unit\nt1;22/02/2023 14:00;12,5;°C\n".encode("cp1252"))
    store.ingest_csv(f)
    assert store.query("t1")["value"].tolist() == pytest.approx([12.5])
