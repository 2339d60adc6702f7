"""Enedis and GRDF meter files into the sensor store (issue 19), trap by trap.

The fixtures (``tests/meter_files.py``) are written from the formats' public descriptions from one
known consumption: these tests check that the readers recover it (recovery, not validity on a real
meter's file) and that a bad file is refused naming the file, the line or record and the field,
leaving the store as it was.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from meter_files import (PARIS, PRM, grdf_days, index_text, load_curve_rows, load_curve_text, power_profile,
                         r63_text)

from twin.cli import main
from twin.sensors import SensorStore
from twin.sources.detect import detect_format
from twin.sources.enedis import read_enedis, steps_minutes
from twin.sources.grdf import read_grdf
from twin.sources.provider_files import ProviderFileError

LOAD, INDEX, DAILY = f"enedis-{PRM}-load", f"enedis-{PRM}-index", f"enedis-{PRM}-daily"


def _settings_change(t):
    """The meter's step: 30 min, then 60 min from 28 Oct noon to 30 Oct noon (legal time), then 30."""
    local = t.tz_convert(PARIS)
    return 60 if pd.Timestamp("2023-10-28 12:00", tz=PARIS) <= local < pd.Timestamp("2023-10-30 12:00", tz=PARIS) \
        else 30


@pytest.fixture(scope="module")
def autumn():
    """Five legal days around the autumn change (29 Oct 2023: 02:00–03:00 summer time, then again in winter)."""
    power = power_profile("2023-10-27", 5)
    return power, load_curve_rows(power, _settings_change)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _energy_kwh(power: pd.Series, start, end) -> float:
    """The profile's energy between two UTC instants, kWh."""
    inside = (power.index >= start) & (power.index < end)
    return float(power[inside].sum() * 10 / 60 / 1000)


def test_load_curve_energy_per_step_stored_at_its_start_across_step_changes_and_the_autumn_hour(tmp_path, autumn):
    power, rows = autumn
    batch = read_enedis(_write(tmp_path, "courbe.csv", load_curve_text(rows)))
    obs = batch.observations.set_index("time")
    assert list(batch.sensors["sensor_id"]) == [LOAD] and batch.sensors["quantity"].iloc[0] == "electric_energy"
    assert len(obs) == len(rows)
    for end, step, watts in rows[::7]:
        start = end - pd.Timedelta(minutes=step)
        assert obs.loc[start, "value"] == pytest.approx(round(watts) * step / 60 / 1000)  # W × h → kWh
    # the summer 02:00–02:30 and the winter 02:00–02:30 (legal time) are two different steps, both kept
    assert pd.Timestamp("2023-10-29 00:00", tz="UTC") in obs.index and pd.Timestamp("2023-10-29 01:00", tz="UTC") in obs.index
    assert any("30 → 60 min" in n for n in batch.notes) and any("60 → 30 min" in n for n in batch.notes)
    assert obs["value"].sum() == pytest.approx(_energy_kwh(power, power.index[0], power.index[-1] + pd.Timedelta("10min")),
                                               rel=1e-3)


def test_times_without_offset_are_legal_time_the_repeated_autumn_hour_by_its_order(tmp_path, autumn):
    _, rows = autumn
    exact = read_enedis(_write(tmp_path, "with.csv", load_curve_text(rows))).observations
    naive = read_enedis(_write(tmp_path, "without.csv", load_curve_text(rows, offsets=False))).observations
    pd.testing.assert_frame_equal(exact.drop(columns="line"), naive.drop(columns="line"))


def test_the_spring_hour_is_absent_and_a_time_inside_it_is_refused(tmp_path):
    power = power_profile("2024-03-30", 2)
    rows = load_curve_rows(power)
    obs = read_enedis(_write(tmp_path, "spring.csv", load_curve_text(rows))).observations
    assert len(obs) == 2 * 48 - 2  # a 23-hour legal day
    text = load_curve_text(rows, offsets=False).replace("2024-03-31T03:00:00;", "2024-03-31T02:30:00;")
    with pytest.raises(ProviderFileError, match=r"spring\.csv: line\(s\) \d+: Horodate .*does not exist"):
        read_enedis(_write(tmp_path, "spring.csv", text))


def test_a_missing_row_is_a_gap_not_a_longer_step_and_empty_values_are_missing(tmp_path, autumn):
    _, rows = autumn
    batch = read_enedis(_write(tmp_path, "gaps.csv", load_curve_text(rows, drop={10, 11}, empty={20})))
    obs = batch.observations.set_index("time")
    end, step, watts = rows[12]
    after_gap = obs.loc[end - pd.Timedelta(minutes=step)]
    assert after_gap["value"] == pytest.approx(round(watts) * 30 / 60 / 1000)  # not 90 min of energy
    assert any("1 h missing" in n for n in batch.notes)
    assert obs.loc[rows[20][0] - pd.Timedelta(minutes=30), "quality"] == "missing"
    assert any("1 empty value" in n for n in batch.notes)


def test_steps_are_told_from_the_times_a_change_of_setting_lasts_a_gap_does_not():
    t0 = pd.Timestamp("2024-01-01", tz="UTC")
    times = pd.DatetimeIndex([t0 + pd.Timedelta(minutes=m) for m in (0, 30, 60, 120, 180, 240, 270, 300, 390, 420)])
    steps, gap = steps_minutes(times)
    np.testing.assert_array_equal(steps, [30, 30, 30, 60, 60, 60, 30, 30, 30, 30])
    np.testing.assert_array_equal(gap, [False] * 8 + [True, False])
    with pytest.raises(ValueError):
        steps_minutes(pd.DatetimeIndex([t0, t0 + pd.Timedelta(hours=5)]))


def test_daily_index_registers_give_daily_use_and_the_appended_calendar_is_named(tmp_path, autumn):
    power, _ = autumn
    batch = read_enedis(_write(tmp_path, "index.csv", index_text(power, skip_days={3})))
    sensors = batch.sensors.set_index("sensor_id")
    assert sensors.loc[INDEX, "quantity"] == "electric_energy_index"
    daily = batch.observations[batch.observations["sensor_id"] == DAILY].set_index("time")["value"]
    day0 = pd.Timestamp("2023-10-27", tz=PARIS)
    assert daily.loc[day0.tz_convert("UTC")] == pytest.approx(
        _energy_kwh(power, day0, day0 + pd.Timedelta(days=1)), abs=2e-3)
    assert len(daily) == 3  # the two days around the missing reading are not split
    assert any("not split by day" in n for n in batch.notes)
    assert any("tariff calendar" in n for n in batch.notes)


def test_a_register_that_goes_down_gives_no_daily_value_and_says_so(tmp_path, autumn):
    power, _ = autumn
    lines = index_text(power, calendar=False).splitlines()
    cells = lines[7].split(";")
    cells[-1] = "100"  # a new meter's register
    lines[7] = ";".join(cells)
    batch = read_enedis(_write(tmp_path, "index.csv", "\n".join(lines) + "\n"))
    assert any("went down" in n for n in batch.notes)
    assert (batch.observations["sensor_id"] == DAILY).sum() == 4  # five days, the one across the change left out


def test_energy_balance_load_curve_against_index_as_a_data_officer_checks_it(tmp_path, autumn, capsys):
    """The load curve's energy between two local midnights equals the index registers' difference
    over the same days within 0.5 %: imported with `twin sensors import` (format told from the
    content) and read back with `twin sensors summary --json`."""
    power, rows = autumn
    store = tmp_path / "store"
    for name, text in (("courbe.csv", load_curve_text(rows)), ("index.csv", index_text(power))):
        assert main(["sensors", "import", str(_write(tmp_path, name, text)), "--store", str(store)]) == 0
    capsys.readouterr()
    start, end = "2023-10-28T00:00:00+02:00", "2023-10-31T00:00:00+01:00"

    def summary(sensor, end_at):
        assert main(["sensors", "summary", "--store", str(store), "--sensor", sensor, "--start", start,
                     "--end", end_at, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    curve = summary(LOAD, end)
    index = summary(INDEX, "2023-10-31T00:01:00+01:00")
    assert curve["unit"] == index["unit"] == "kWh" and index["count"] == 4
    registers = index["last"] - index["first"]
    assert curve["sum"] == pytest.approx(registers, rel=0.005)
    daily = summary(DAILY, end)
    assert daily["sum"] == pytest.approx(registers, rel=1e-12) and daily["count"] == 3


def test_r63_layout_steps_written_newest_first_estimated_values_suspect(tmp_path, autumn):
    _, rows = autumn
    batch = read_enedis(_write(tmp_path, "r63.csv", r63_text(rows, natures={5: "E"})))
    obs = batch.observations.sort_values("time").reset_index(drop=True)
    assert len(obs) == len(rows) and obs["quality"].tolist().count("suspect") == 1
    customer = read_enedis(_write(tmp_path, "courbe.csv", load_curve_text(rows))).observations
    np.testing.assert_allclose(obs["value"], customer.sort_values("time")["value"])


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace(";433\n", ";4x3\n", 1), r"line\(s\) 5: Valeur '4x3' is not a number"),
    (lambda t: t.replace("Comptage Brut;W;", "Comptage Brut;Wh;"), r"Unite 'Wh' is not a power unit"),
    (lambda t: t.replace("09876543210123;", ";", 1), r"no « Identifiant PRM »"),
    (lambda t: t.replace("2023-10-27T01:00:00+02:00", "2023-10-27T00:30:00+02:00"), r"line\(s\) 6: Horodate twice"),
    (lambda t: t.replace("Horodate;Valeur", "Date;Puissance"), r"no Enedis table found"),
    (lambda t: t.replace("2023-10-27T01:00:00+02:00", "2023-10-27T01:00:00"), r"line\(s\) 6: Horodate without an offset"),
])
def test_bad_load_curves_are_refused_naming_line_and_field_and_leave_the_store(tmp_path, autumn, change, message):
    _, rows = autumn
    store = SensorStore(tmp_path / "store")
    good = _write(tmp_path, "good.csv", load_curve_text(rows[:4], prm="11111111111111"))
    assert main(["sensors", "import", str(good), "--store", str(store.path)]) == 0
    before = (store.sensors.copy(), store.sql("SELECT count(*) AS n FROM observations")["n"].iloc[0])
    path = _write(tmp_path, "bad.csv", change(load_curve_text(rows)))
    with pytest.raises(ProviderFileError, match=message):
        read_enedis(path)
    assert main(["sensors", "import", str(path), "--store", str(store.path)]) != 0
    fresh = SensorStore(store.path)
    pd.testing.assert_frame_equal(fresh.sensors, before[0])
    assert fresh.sql("SELECT count(*) AS n FROM observations")["n"].iloc[0] == before[1]


def test_a_refused_import_leaves_no_new_sensor_registered(tmp_path):
    """The store refuses the observations (a second value for a time it holds): the sensors the
    file's reader registered are taken back."""
    power = power_profile("2024-01-10", 1)
    rows = load_curve_rows(power)
    store = tmp_path / "store"
    assert main(["sensors", "import", str(_write(tmp_path, "a.csv", load_curve_text(rows[:4]))), "--store",
                 str(store)]) == 0
    other = [(end, step, w + 100) for end, step, w in rows[:4]]
    text = load_curve_text(other, prm="22222222222222") + load_curve_text(other)[load_curve_text(other).index("Identifiant"):]
    assert main(["sensors", "import", str(_write(tmp_path, "b.csv", text)), "--store", str(store)]) != 0
    assert list(SensorStore(store).sensors["sensor_id"]) == [LOAD]


def test_grdf_gas_days_start_at_six_legal_time_absence_de_donnees_is_missing(tmp_path):
    text = grdf_days("2024-03-29", [52.0, 48.0, 0.0, 61.0], qualification={2: "Absence de données", 3: "Estimé"})
    batch = read_grdf(_write(tmp_path, "gazpar.json", text))
    obs = batch.observations.set_index("time")
    assert list(batch.sensors["sensor_id"]) == ["grdf-GI123456-daily"]
    assert obs.index[0] == pd.Timestamp("2024-03-29 05:00", tz="UTC")  # 06:00 winter time
    assert obs.index[3] == pd.Timestamp("2024-04-01 04:00", tz="UTC")  # 06:00 summer time
    assert obs["quality"].tolist() == ["good", "good", "missing", "suspect"]
    assert np.isnan(obs["value"].iloc[2])  # the 0 written on a day without data is not a day without gas


def test_grdf_periods_kept_whole_energy_from_volume_and_inconsistent_energy_suspect(tmp_path):
    records = [{"dateDebutReleve": "2024-01-01", "dateFinReleve": "2024-02-01", "journeeGaziere": None,
                "energieConsomme": 1500, "volumeBrutConsomme": 133.3, "coeffConversion": 11.25,
                "qualificationReleve": "Mesuré", "idPce": "GI1"},
               {"journeeGaziere": "2024-02-01", "energieConsomme": None, "volumeBrutConsomme": 4.0,
                "coeffConversion": 11.25, "qualificationReleve": "Mesuré", "idPce": "GI1"},
               {"journeeGaziere": "2024-02-02", "energieConsomme": 90, "volumeBrutConsomme": 4.0,
                "coeffConversion": 11.25, "qualificationReleve": "Mesuré", "idPce": "GI1"}]
    batch = read_grdf(_write(tmp_path, "adict.json", "\n".join(json.dumps(r) for r in records)))
    obs = batch.observations.set_index("sensor_id")
    assert obs.loc["grdf-GI1-period", "value"] == 1500 and obs.loc["grdf-GI1-period", "time"] == \
        pd.Timestamp("2024-01-01 05:00", tz="UTC")
    daily = obs.loc["grdf-GI1-daily"].set_index("time")
    assert daily["value"].iloc[0] == pytest.approx(45.0) and daily["quality"].tolist() == ["good", "suspect"]
    assert any("31 gas days" in n for n in batch.notes)


@pytest.mark.parametrize("record, message", [
    ({"journeeGaziere": "2024-13-01", "energieConsomme": 3}, r"record 1: journeeGaziere '2024-13-01' is not a date"),
    ({"journeeGaziere": "2024-01-01", "energieConsomme": "beaucoup"}, r"record 1: energieConsomme 'beaucoup'"),
    ({"journeeGaziere": "2024-01-01", "energieConsomme": 3, "qualificationReleve": "Douteux"},
     r"record 1: qualificationReleve 'Douteux'"),
    ({"energieConsomme": 3}, r"record 1: neither journeeGaziere nor dateDebutReleve"),
    ({"journeeGaziere": "2024-01-01", "energieConsomme": -3}, r"record 1: energieConsomme is negative"),
])
def test_bad_grdf_records_are_refused_naming_record_and_field(tmp_path, record, message):
    path = _write(tmp_path, "bad.json", json.dumps([{"idPce": "GI1", **record}]))
    with pytest.raises(ProviderFileError, match=message):
        read_grdf(path)


def test_formats_are_told_from_the_content(tmp_path, autumn):
    power, rows = autumn
    assert detect_format(_write(tmp_path, "a.csv", load_curve_text(rows))) == "enedis"
    assert detect_format(_write(tmp_path, "b.csv", index_text(power))) == "enedis"
    assert detect_format(_write(tmp_path, "c.csv", r63_text(rows))) == "enedis"
    assert detect_format(_write(tmp_path, "d.json", grdf_days("2024-01-01", [1.0]))) == "grdf"
    assert detect_format(_write(tmp_path, "e.csv", "NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJ;RR;QRR\n")) == \
        "meteofrance"
    assert detect_format(_write(tmp_path, "f.csv", "time,value\n2024-01-01T00:00:00Z,1\n")) == "csv"


def test_a_partial_set_of_registers_is_missing_not_a_smaller_total(tmp_path):
    text = ("Identifiant PRM;Type de donnees;Unite\n09876543210123;Index;Wh\n\n"
            "Horodate;Type de releve;EAS F1;EAS F2;EAS T\n"
            "2024-01-01T00:00:00+01:00;Arrêté quotidien;1000;2000;\n"
            "2024-01-02T00:00:00+01:00;Arrêté quotidien;1500;;\n"
            "2024-01-03T00:00:00+01:00;Arrêté quotidien;2000;3000;\n")
    batch = read_enedis(_write(tmp_path, "index.csv", text))
    assert (batch.observations["sensor_id"] == DAILY).sum() == 0  # no day between two whole readings
    assert not any("went down" in n for n in batch.notes) and any("partial sum" in n for n in batch.notes)
    index = batch.observations[batch.observations["sensor_id"] == INDEX]
    assert index["quality"].tolist() == ["good", "missing", "good"]


def test_a_blank_line_inside_the_readings_does_not_end_them(tmp_path, autumn):
    _, rows = autumn
    text = load_curve_text(rows[:10])
    cut = text.index("2023-10-27T03:00:00+02:00")
    batch = read_enedis(_write(tmp_path, "blank.csv", text[:cut] + "\n" + text[cut:]))
    assert len(batch.observations) == 10 and not any("not imported" in n for n in batch.notes)


@pytest.mark.parametrize("pas, message", [("30", None), ("0", r"« Pas en minutes » 0 is not a load curve's step"),
                                          ("60", None)])
def test_a_preamble_step_only_serves_where_the_times_cannot_tell(tmp_path, pas, message):
    """The preamble's « Pas en minutes » cannot override the times (a file whose step changes has one
    preamble); a lone row takes it."""
    power = power_profile("2024-01-10", 1)
    rows = load_curve_rows(power, lambda t: 60)
    text = load_curve_text(rows).replace("Comptage Brut;W;", f"Comptage Brut;W;{pas}")
    path = _write(tmp_path, "pas.csv", text)
    if message is None:
        obs = read_enedis(path).observations
        assert len(obs) == 24 and obs["value"].iloc[3] == pytest.approx(round(rows[3][2]) / 1000)  # 60 min of it
        lone = load_curve_text(rows[:1]).replace("Comptage Brut;W;", f"Comptage Brut;W;{pas}")
        assert read_enedis(_write(tmp_path, "lone.csv", lone)).observations["time"].iloc[0] == \
            rows[0][0] - pd.Timedelta(minutes=int(pas))
    else:
        with pytest.raises(ProviderFileError, match=message):
            read_enedis(path)


def test_r63_steps_that_disagree_with_the_times_are_refused(tmp_path, autumn):
    _, rows = autumn
    text = r63_text(rows[:6]).replace("PT30M", "PT60M")
    with pytest.raises(ProviderFileError, match=r"the declared step \(60 min\) disagrees with the times"):
        read_enedis(_write(tmp_path, "r63.csv", text))


def test_r63_steps_in_hours_and_iso_durations_that_are_not_minutes(tmp_path, autumn):
    _, rows = autumn
    hourly = [(end, step, w) for end, step, w in rows if step == 60][:5]
    text = r63_text(hourly).replace("PT60M", "PT1H")
    assert len(read_enedis(_write(tmp_path, "h.csv", text)).observations) == 5
    with pytest.raises(ProviderFileError, match=r"Pas 'P30M' is not a step"):
        read_enedis(_write(tmp_path, "m.csv", r63_text(rows[:3]).replace("PT30M", "P30M")))


def test_a_row_without_its_value_field_is_refused(tmp_path, autumn):
    _, rows = autumn
    text = load_curve_text(rows[:5]).replace(";433\n", "\n", 1)
    with pytest.raises(ProviderFileError, match=r"line\(s\) 5: fewer fields than the header"):
        read_enedis(_write(tmp_path, "short.csv", text))


def test_an_absent_gas_day_with_zero_coefficient_and_volume_is_missing_not_refused(tmp_path):
    records = [{"idPce": "GI1", "journeeGaziere": "2024-01-01", "energieConsomme": 0, "volumeBrutConsomme": 0,
                "coeffConversion": 0, "qualificationReleve": "Absence de données"},
               {"idPce": "GI1", "journeeGaziere": "2024-01-02", "energieConsomme": 45, "volumeBrutConsomme": 4.0,
                "coeffConversion": 11.25, "qualificationReleve": "Mesuré"}]
    obs = read_grdf(_write(tmp_path, "absent.json", json.dumps(records))).observations
    assert obs["quality"].tolist() == ["missing", "good"] and np.isnan(obs["value"].iloc[0])


def test_sensor_names_given_at_import(tmp_path, autumn, capsys):
    """`--sensor` names a meter's file: the load curve, or the index file's daily use (its register
    beside it as <name>-index); a file of several stations cannot take one name."""
    power, rows = autumn
    store = tmp_path / "store"
    for name, text, sid in (("c.csv", load_curve_text(rows), "mairie-elec"),
                            ("i.csv", index_text(power), "mairie-elec-jour")):
        assert main(["sensors", "import", str(_write(tmp_path, name, text)), "--store", str(store), "--sensor",
                     sid]) == 0
    assert set(SensorStore(store).sensors["sensor_id"]) == {"mairie-elec", "mairie-elec-jour",
                                                           "mairie-elec-jour-index"}
    capsys.readouterr()
    assert main(["sensors", "summary", "--store", str(store), "--sensor", "mairie-elec-jour", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 5
    mf = _write(tmp_path, "Q_35.csv", "NUM_POSTE;AAAAMMJJ;RR;TM\n35236001;20240115;1;5\n35281001;20240115;2;6\n")
    assert main(["sensors", "import", str(mf), "--store", str(store), "--sensor", "x"]) == 1
    assert "holds 4 sensors" in capsys.readouterr().err


def test_what_a_data_officer_tripped_on(tmp_path, autumn, capsys):
    """A header missing a register's column is refused (not read as a smaller total); a load curve without
    its preamble takes the meter's name from --sensor; a mistyped store is said, not shown empty."""
    power, rows = autumn
    lines = index_text(power, calendar=False).splitlines()
    lines[3] = "Horodate;Type de releve;EAS F1"
    with pytest.raises(ProviderFileError, match=r"line 5: more fields than the header of line 4"):
        read_enedis(_write(tmp_path, "nocol.csv", "\n".join(lines) + "\n"))
    bare = load_curve_text(rows[:6])
    bare = bare[bare.index("Horodate"):]
    store = tmp_path / "store"
    assert main(["sensors", "import", str(_write(tmp_path, "bare.csv", bare)), "--store", str(store)]) == 1
    assert "name the meter with --sensor" in capsys.readouterr().err
    assert main(["sensors", "import", str(_write(tmp_path, "bare.csv", bare)), "--store", str(store), "--sensor",
                 "ecole"]) == 0
    capsys.readouterr()
    assert main(["sensors", "list", "--store", str(tmp_path / "typo")]) == 1
    assert "no sensor store there" in capsys.readouterr().err and not (tmp_path / "typo").exists()
    assert main(["sensors", "list", "--store", str(store), "--json"]) == 0
    assert [s["sensor_id"] for s in json.loads(capsys.readouterr().out)] == ["ecole"]
