"""A building's use followed day by day (issue 20): changes of behaviour with their date, direction
and size, told apart from meter faults (:mod:`twin.live.buildings`, :mod:`twin.live.faults`).

Checked on the REAL opengrid gas meter 313b over 2016 (no truth is known: the issue asks that nothing
be reported, and nothing is), and on the SYNTHETIC Redon buildings whose generator cut four heating
slopes by 25 % from 2023-01-01 (recovery of what our own generator put there, not validity).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import ROOT, reference_file
from twin.cli import main
from twin.live.buildings import track_building
from twin.live.faults import gaps, series_faults, stuck, unit_jumps
from twin.models.buildings import DegreeDays

GAS_313B = "buildings/opengrid_be_2016/gas_313b_2016_hour.csv"
WEATHER_BE = "buildings/opengrid_be_2016/weather_2016_hour.csv"
SAVING_FROM = pd.Timestamp("2023-01-01", tz="Europe/Paris")


def test_the_real_gas_meter_313b_over_2016_shows_no_change_and_no_fault(capsys):
    gas, weather = reference_file(GAS_313B), reference_file(WEATHER_BE)
    assert main(["buildings", "anomalies", "--meter", str(gas), "--unit", "Wh", "--temperature", str(weather),
                 "--temperature-unit", "C", "--tz", "Europe/Brussels", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["days"] == 366 and r["days_monitored"] > 250  # followed most of the year, not skipped
    assert r["events"] == []


@pytest.fixture(scope="module")
def redon():
    from twin.seeds import load_default

    territory = load_default()
    truth = json.loads((ROOT / "seeds" / "redon" / "history" / "truth.json").read_text())
    store = territory.sensors
    return store, truth["buildings"]["per_building"], DegreeDays(store.to_pandas("meteo-redon-t", tz="Europe/Paris"))


def _daily(store, sensor_id):
    s = store.to_pandas(sensor_id, tz="Europe/Paris")
    s.index = s.index.normalize()
    return s


def test_the_synthetic_savings_are_found_within_two_weeks_and_nothing_else(redon):
    store, buildings, dd = redon
    savers = 0
    for b in buildings:
        events = track_building(_daily(store, f"{b['sensor_prefix']}-gas"), dd).events
        elec = track_building(_daily(store, f"{b['sensor_prefix']}-elec"), dd).events
        assert elec == [], (b["sensor_prefix"], elec)  # electricity: no change was generated
        if not b["saving_from_2023"]:
            assert events == [], (b["sensor_prefix"], events)
            continue
        savers += 1
        assert len(events) == 1, (b["sensor_prefix"], events)
        (e,) = events
        assert e["kind"] == "change" and e["direction"] == "down"
        assert abs((e["start"] - SAVING_FROM).days) <= 14 and (e["detected"] - SAVING_FROM).days <= 14
        assert -0.4 < e["magnitude"] < -0.1  # a quarter of the heating slope: about a fifth of January's use
    assert savers == 4


def test_faults_are_faults_not_changes(redon):
    """A SYNTHETIC series with faults put in by hand (a week of the same reading, five days of zeros
    in winter, a negative reading, a fortnight missing, the export switched to Wh): each reported as
    the fault it is, on its days, and none of them as a change of behaviour."""
    store, buildings, dd = redon
    clean = next(b for b in buildings if not b["saving_from_2023"])
    s = _daily(store, f"{clean['sensor_prefix']}-gas")
    s.loc["2022-02-01":"2022-02-07"] = s.loc["2022-02-01"]
    s.loc["2022-12-05":"2022-12-09"] = 0.0
    s.loc["2022-10-03"] = -5.0
    s = s.drop(s.loc["2022-06-01":"2022-06-14"].index)
    s.loc["2023-03-01":] *= 1000.0
    events = track_building(s.asfreq("D"), dd).events
    kinds = {(e["what"], str(pd.Timestamp(e["start"]).date())) for e in events}
    assert ("stuck", "2022-02-01") in kinds
    assert ("zeros", "2022-12-05") in kinds
    assert ("out_of_range", "2022-10-03") in kinds
    assert ("gap", "2022-06-01") in kinds
    jumps = [e for e in events if e["what"] == "unit_jump"]
    assert len(jumps) == 1 and str(jumps[0]["start"].date()) == "2023-03-01"
    assert abs(jumps[0]["magnitude"] / 1000 - 1) < 0.08
    assert all(e["kind"] == "fault" for e in events), [e for e in events if e["kind"] != "fault"]


def test_the_fault_rules_raise_no_alarm_on_the_clean_generated_history(redon):
    """False alarms on clean series: every sensor of the SYNTHETIC Redon history (92 sensors, about
    220 sensor-years) gives only the gaps the data really have (the river level's documented outage
    and a fortnight of one bin)."""
    store, _, _ = redon
    found = []
    for _, r in store.sensors.iterrows():
        s = store.to_pandas(r["sensor_id"])
        low = None if r["quantity"] == "air_temperature" else 0.0
        found += [(r["sensor_id"], f.kind) for f in series_faults(s, low=low,
                                                                  weather_driven=r["quantity"].endswith("energy"))]
    assert sorted(found) == [("bin-08", "gap"), ("vilaine-redon-h", "gap")]
    (outage,) = gaps(store.to_pandas("vilaine-redon-h"))
    assert outage.start == pd.Timestamp("2022-03-10T00:00Z") and outage.end == pd.Timestamp("2022-03-14T23:00Z")


def test_the_rules_on_hand_made_series():
    t = pd.date_range("2024-01-01", periods=60, freq="D", tz="UTC")
    rng = np.random.default_rng(1)
    s = pd.Series(100 + rng.normal(0, 5, 60).round(1), index=t)
    assert stuck(s) == [] and unit_jumps(s) == []
    s.iloc[10:15] = s.iloc[10]
    (f,) = stuck(s)
    assert (f.start, f.end) == (t[10], t[14])
    s.iloc[30:] *= 3.6
    (j,) = unit_jumps(s)
    assert j.start == t[30] and abs(j.factor / 3.6 - 1) < 0.08 and "MJ" in j.detail
    full = pd.Series(np.r_[np.full(20, 100.0), rng.uniform(0, 99, 20)], index=t[:40])
    assert stuck(full) == []  # a bin's 100 % repeated is its ceiling, not a frozen sensor
