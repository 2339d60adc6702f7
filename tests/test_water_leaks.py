"""Leak detection (issue 22): SCADA files in BattLeDIM's layout read and written, the SYNTHETIC generator
(emitters as leaks), the two detectors and BattLeDIM's scoring.

These are recovery checks on data our own generator made (L-Town's model, a leak we put in): they
show the detectors find what the simulator was told, not how they do on a utility's sensors. The
year-long figures (the 14 leaks of 2018) are in ``benchmarks/bench_water.py``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import reference_file
from twin.sources.scada import Leak


@pytest.fixture(scope="module")
def ltown():
    from twin.sources.epanet import read_network

    return read_network(reference_file("water/battledim_2018/L-TOWN.inp"))


@pytest.fixture(scope="module")
def sensors():
    from twin.synthetic.water_scada import sensors_from_csv

    return sensors_from_csv(reference_file("water/battledim_2018/battledim_sensors.csv"))


BURST = Leak("p673", pd.Timestamp("2018-01-10 03:00"), pd.Timestamp("2018-01-15 00:00"), 0.025, "abrupt",
             pd.Timestamp("2018-01-10 03:00"))


@pytest.fixture(scope="module")
def two_weeks(ltown, sensors):
    """Twelve days at 15 min: leak-free, and the same with a burst on p673 from the 10th (SYNTHETIC)."""
    from twin.synthetic.water_scada import simulate

    clean = simulate(ltown, [], "2018-01-01", "2018-01-13", sensors, seed=3, step_s=900)
    burst = simulate(ltown, [BURST], "2018-01-01", "2018-01-13", sensors, seed=3, step_s=900)
    return clean, burst


def test_the_generator_says_synthetic_and_its_leak_obeys_the_orifice_law(two_weeks, sensors):
    clean, burst = two_weeks
    assert set(burst) == {"pressures", "flows", "levels", "demands", "leakages"}
    assert burst["pressures"].shape == (12 * 96, len(sensors.pressures))
    assert all(t.attrs["synthetic"].startswith("SYNTHETIC") for t in burst.values())
    leak = burst["leakages"]["p673"]
    assert (leak[: "2018-01-10 02:45"] == 0).all() and (leak["2018-01-10 03:00":] > 0).all()
    # the emitter's outflow is C·√p with C = 0.75·A·√(2g): between 1 m and 100 m of pressure
    c = 0.75 * np.pi * 0.025 ** 2 / 4 * np.sqrt(2 * 9.81) * 3600
    assert (leak["2018-01-10 03:00":] > c * 1).all() and (leak < c * 10).all()
    # the reservoirs give the leak's water: their outflow rises by about its flow
    inflow = lambda s: s["flows"][["p227", "p235"]].sum(axis=1)  # noqa: E731
    extra = (inflow(burst) - inflow(clean))["2018-01-11":].mean()
    assert extra == pytest.approx(leak["2018-01-11":].mean(), rel=0.15)


def test_the_detectors_find_the_burst_and_nothing_without_it(two_weeks, ltown):
    from twin.cli.water_leaks import reservoir_links, tank_areas
    from twin.models import water_leaks as detect
    from twin.models.water_leak_score import pipe_distances, score

    clean, burst = two_weeks
    assert detect.pressure_detections(clean["pressures"]) == []
    found = detect.pressure_detections(burst["pressures"])
    assert len(found) == 1 and BURST.start <= found[0].time <= BURST.start + pd.Timedelta(hours=24)
    result = score(found, [BURST], pipe_distances(ltown), burst["leakages"])
    assert result["battledim"]["true_positives"] == 1 and result["battledim"]["false_alarms"] == 0
    assert result["battledim"]["matched"][0]["distance_m"] <= 300
    inflow = lambda s: detect.net_inflow(s["flows"], s["levels"], reservoir_links(ltown), tank_areas(ltown))  # noqa: E731
    assert detect.night_flow_detections(inflow(clean)) == []
    nights = detect.night_flow_detections(inflow(burst))
    assert len(nights) == 1 and nights[0].node is None
    # two nights above: the 10th (its 03:00–04:00 leaking) and the 11th, said at the end of the second
    assert nights[0].time == pd.Timestamp("2018-01-11 04:00")


def test_battledim_scoring_rules():
    """Inside the window and within 300 m: worth the water still to leak at 0.8 €/m³ minus 500 € per 300 m;
    outside it, a second detection of the same leak, or unlocalised: 500 € each."""
    from twin.models.water_leaks import Detection
    from twin.models.water_leak_score import score

    t0 = pd.Timestamp("2018-03-01")
    leaks = [Leak("A", t0, t0 + pd.Timedelta(days=10), 0.01, "abrupt", t0),
             Leak("B", t0 + pd.Timedelta(days=20), t0 + pd.Timedelta(days=30), 0.01, "abrupt", t0)]
    times = pd.date_range(t0, t0 + pd.Timedelta(days=40), freq="1h")
    flows = pd.DataFrame({"A": np.where(times < t0 + pd.Timedelta(days=10), 2.0, 0.0), "B": 0.0}, index=times)
    metres = {("near", "A"): 150.0, ("far", "A"): 900.0, ("near", "B"): 150.0, ("far", "B"): 900.0}
    at = lambda days, node: Detection(t0 + pd.Timedelta(days=days), "test", 1.0, node)  # noqa: E731
    found = [at(5, "near"), at(6, "near"), at(7, "far"), at(15, "near"), at(21, None)]
    r = score(found, leaks, lambda node, link: metres[(node, link)], flows)
    b = r["battledim"]
    assert b["true_positives"] == 1 and b["false_alarms"] == 4 and b["of_which_repeats"] == 1
    saved = 2.0 * (5 * 24 - 1 + 1)  # from day 5 to the leak's end, hourly, at 2 m³/h (day 10's hour is 0)
    assert b["water_saved_eur"] == pytest.approx(0.8 * saved, rel=0.01)
    assert b["distance_cost_eur"] == pytest.approx(150 / 300 * 500)
    assert b["score_eur"] == pytest.approx(b["water_saved_eur"] - 250 - 4 * 500, abs=0.2)
    # timing only: A found on day 5, B on day 21 (the unlocalised detection counts there)
    assert r["timing"] == {"detected": 2, "missed": 0, "median_delay_h": 72.0}  # 120 h and 24 h


def test_scada_files_round_trip_and_bad_lines_are_named(tmp_path, two_weeks):
    from twin.sources.scada import ScadaFileError, read_leak_flows, read_scada, write_scada

    _, burst = two_weeks
    write_scada(tmp_path, burst, 2018)
    assert (tmp_path / "2018_SCADA_Pressures.csv").read_text().splitlines()[1].count(",") > 10  # decimal commas
    back = read_scada(tmp_path)
    assert set(back) == {"pressures", "flows", "levels", "demands"}
    assert np.allclose(back["pressures"].to_numpy(), burst["pressures"].to_numpy(), atol=0.006)
    assert read_leak_flows(tmp_path).columns.tolist() == ["p673"]
    lines = (tmp_path / "2018_SCADA_Flows.csv").read_text().splitlines()
    lines[5] = lines[5].replace(";", ";x", 1)
    (tmp_path / "2018_SCADA_Flows.csv").write_text("\n".join(lines))
    with pytest.raises(ScadaFileError, match=r"2018_SCADA_Flows.csv, line 6, sensor 'PUMP_1': not a number"):
        read_scada(tmp_path)
    with pytest.raises(ScadaFileError, match="none of"):
        read_scada(tmp_path / "empty") if (tmp_path / "empty").mkdir() is None else None


def test_leak_lists_are_read_and_checked(tmp_path):
    from twin.sources.scada import ScadaFileError, read_leaks

    leaks = read_leaks(reference_file("water/battledim_2018/battledim_2018_leaks.csv"))
    assert len(leaks) == 14 and {lk.kind for lk in leaks} == {"incipient", "abrupt"}
    p257 = leaks[0]
    assert p257.area_m2(p257.start) == 0 and p257.area_m2(p257.peak) == pytest.approx(np.pi * p257.diameter_m ** 2 / 4)
    bad = tmp_path / "leaks.csv"
    bad.write_text("link_id,start_time,end_time,leak_diameter_m,leak_type,peak_time\n"
                   "p1,2018-01-02 00:00,2018-01-01 00:00,0.01,abrupt,2018-01-02 00:00\n")
    with pytest.raises(ScadaFileError, match="leaks.csv, line 2: expected start ≤ peak ≤ end"):
        read_leaks(bad)


def test_cli_leaks_on_scada_files(tmp_path, two_weeks, capsys):
    import shutil

    from twin.cli import main
    from twin.sources.scada import write_scada

    _, burst = two_weeks
    write_scada(tmp_path / "scada", burst, 2018)
    shutil.copy(reference_file("water/battledim_2018/L-TOWN.inp"), tmp_path / "L-TOWN.inp")
    (tmp_path / "truth.csv").write_text(
        "link_id,start_time,end_time,leak_diameter_m,leak_type,peak_time\n"
        "p673,2018-01-10 03:00,2018-01-15 00:00,0.025,abrupt,2018-01-10 03:00\n")
    assert main(["water", "leaks", "--network", str(tmp_path / "L-TOWN.inp"), "--scada", str(tmp_path / "scada"),
                 "--truth", str(tmp_path / "truth.csv"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "pressure" and len(out["detections"]) == 1
    assert set(out["detections"][0]) >= {"start", "node", "confidence"}
    assert out["score"]["battledim"]["true_positives"] == 1
    assert out["baseline"]["method"] == "night-flow" and out["baseline"]["score"]["timing"]["detected"] == 1
    # a utility with only its inflows and tank level: the night flow alone
    for kind in ("Pressures", "Demands"):
        (tmp_path / "scada" / f"2018_SCADA_{kind}.csv").unlink()
    assert main(["water", "leaks", "--network", str(tmp_path / "L-TOWN.inp"), "--scada", str(tmp_path / "scada"),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "night-flow" and out["detections"][0]["node"] is None
