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
    # the quietest two hours of the training week are the night compared (04–06 h here, after the burst's
    # 03:00): two nights above, the 10th and the 11th, said at the end of the second
    start, end = detect.quietest_hours(inflow(burst), 7)
    assert 3 <= start and end == start + 2
    assert nights[0].time == pd.Timestamp("2018-01-11") + pd.Timedelta(hours=end)


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
    r = score(found, leaks, lambda node, leak: metres[(node, leak.link)], flows)
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


def test_chunks_give_the_continuous_run_on_a_network_with_at_time_controls():
    """Net3's pump runs on "at time" controls and its bypass on tank levels; a leak of a micron starting
    at 10:00 cuts the days into chunks. Without noise, the chunked run reads what one EPANET run over the
    three days gives."""
    import copy

    import wntr

    from twin.synthetic.water_scada import Sensors, simulate

    wn = wntr.network.WaterNetworkModel(str(reference_file("water/epanet_networks/Net3.inp")))
    sensors = Sensors(pressures=tuple(wn.junction_name_list), flows=tuple(wn.link_name_list),
                      levels=tuple(wn.tank_name_list))
    tiny = Leak("101", pd.Timestamp("2018-01-01 10:00"), pd.Timestamp("2018-01-02 13:00"), 1e-6, "abrupt",
                pd.Timestamp("2018-01-01 10:00"))
    chunked = simulate(wn, [tiny], "2018-01-01", "2018-01-04", sensors, step_s=3600, demand_sigma=0.0, noise=False)
    net = copy.deepcopy(wn)
    net.options.time.duration = 3 * 86400 - 3600
    net.options.time.hydraulic_timestep = net.options.time.report_timestep = 3600
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        whole = wntr.sim.EpanetSimulator(net).run_sim(file_prefix=f"{tmp}/net3")
    assert np.abs(whole.node["pressure"][list(sensors.pressures)].to_numpy()
                  - chunked["pressures"].to_numpy()).max() < 0.02  # 2 cm: the chunks round tank levels
    flows = whole.link["flowrate"] * 3600
    assert np.abs(flows.to_numpy() - chunked["flows"][flows.columns].to_numpy()).max() < 1e-3 * flows.abs().max().max()


def test_a_detection_is_never_dated_before_the_data_that_shows_it():
    """A drop at 10:30 in one of ten correlated sensors is reported at 11:00 or later (an hour's mean is known
    at its end), not at 10:00."""
    from twin.models.water_leaks import pressure_detections

    rng = np.random.default_rng(0)
    times = pd.date_range("2018-01-01", periods=14 * 288, freq="5min")
    daily = 5 * np.sin(2 * np.pi * (times.hour * 60 + times.minute) / 1440)
    pressures = pd.DataFrame({f"n{i}": 40 + (1 + i / 10) * daily + rng.normal(0, 0.05, len(times))
                              for i in range(10)}, index=times)
    drop = pd.Timestamp("2018-01-10 10:30")
    pressures.loc[drop:, "n3"] -= 3.0
    found = pressure_detections(pressures)
    assert found and found[0].node == "n3"
    assert drop < found[0].time <= drop + pd.Timedelta(hours=3)


def test_leakdb_scores_by_hand():
    """F1, rates and the early-detection score of LeakDB on two small scenarios worked by hand."""
    from twin.models.water_leak_score import leakdb_score

    truth = [np.array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]), np.zeros(14, dtype=int)]
    found = [np.array([0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]), np.array([0] * 13 + [1])]
    r = leakdb_score(found, truth)
    tp, fp, fn, tn = 9, 3, 1, 15
    assert r["f1"] == pytest.approx(2 * tp / (2 * tp + fp + fn), abs=1e-4)
    assert (r["tpr"], r["tnr"]) == (pytest.approx(tp / (tp + fn), abs=1e-4), pytest.approx(tn / (tn + fp), abs=1e-4))
    # the leak's first 10 steps: 9 of 10 predicted (> 75 %), the first at its 2nd step
    assert r["early_detection"] == pytest.approx(2 / (1 + np.exp(5 / 10 * 2)), abs=1e-4)
    late = leakdb_score([np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0])], truth[:1])
    assert late["early_detection"] == 0  # 6 of the first 10 steps: not early


def test_leakdb_leak_lists_are_read_per_scenario():
    from twin.sources.scada import read_leakdb_leaks

    path = reference_file("water/leakdb/leakdb_net1_leaks.csv")
    three = read_leakdb_leaks(path, 3, start="2017-01-01")
    assert [(lk.node, lk.link) for lk in three] == [("21", None), ("2", None)]
    assert three[0].start == pd.Timestamp("2017-01-01") + 13246 * pd.Timedelta(minutes=30)
    assert read_leakdb_leaks(path, 4) == []  # not listed: leak-free


def test_a_junction_leak_is_generated_and_labelled(ltown, sensors):
    """A LeakDB-style leak at a junction: its flow is the emitter's C·√p; the pressure labels turn on after it."""
    from twin.models.water_leak_score import leak_labels
    from twin.models.water_leaks import pressure_labels
    from twin.synthetic.water_scada import simulate

    leak = Leak(None, pd.Timestamp("2018-01-09 06:00"), pd.Timestamp("2018-01-11 00:00"), 0.03, "abrupt",
                pd.Timestamp("2018-01-09 06:00"), node="n4")
    scada = simulate(ltown, [leak], "2018-01-01", "2018-01-11", sensors, seed=5, step_s=900)
    flow = scada["leakages"]["n4"]
    assert (flow[: "2018-01-09 05:45"] == 0).all() and (flow["2018-01-09 06:00":] > 5).all()
    labels = pressure_labels(scada["pressures"])
    truth = leak_labels([leak], scada["pressures"].index)
    assert not labels[truth == 0][: "2018-01-09 05:45"].any()
    assert labels[truth == 1].mean() > 0.8 and labels[truth == 1].index[labels[truth == 1]][0] > leak.start


def test_a_leak_listed_at_a_tank_leaks_at_its_foot():
    """LeakDB lists leaks at Net1's tank "2": EPANET has no emitter on a tank, so the leak sits at its foot."""
    import wntr

    from twin.synthetic.water_scada import Sensors, simulate

    wn = wntr.network.WaterNetworkModel(str(reference_file("water/leakdb/LeakDB_Net1.inp")))
    leak = Leak(None, pd.Timestamp("2017-01-02"), pd.Timestamp("2017-01-03"), 0.05, "abrupt",
                pd.Timestamp("2017-01-02"), node="2")
    out = simulate(wn, [leak], "2017-01-01", "2017-01-04", Sensors(levels=("2",)), step_s=1800, noise=False)
    flow = out["leakages"]["2"]
    assert (flow[:"2017-01-01 23:30"] == 0).all() and (flow["2017-01-02":"2017-01-02 23:30"] > 0).all()
    # its pressure is the tank's level: Q = C·√level
    c = 0.75 * np.pi * 0.05 ** 2 / 4 * np.sqrt(2 * 9.81) * 3600
    level = out["levels"]["2"]["2017-01-02":"2017-01-02 23:30"]
    assert np.allclose(flow["2017-01-02":"2017-01-02 23:30"], c * np.sqrt(level), rtol=0.02)
