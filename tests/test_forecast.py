"""Forecasts issued with only what is known at their time, updated on the gauge, replayed and scored.

Two kinds of checks, said apart:
* recovery — on series our own model generated (``synthetic``), an update of a perfect model changes
  nothing and helps a biased one: this proves the machinery, not that it forecasts a real river;
* validity — on airGR's real hourly catchment L0123003 (reference data), the updated forecast with no
  rain after the issue time beats persistence at every lead from 3 h on (the issue's acceptance check).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import reference_file
from twin.calibration.metrics import nse
from twin.calibration.verification import contingency, crps_ensemble, flood_peaks, peak_errors, rank_histogram
from twin.forecast.issue import issue_forecasts, last_known_steps, parse_period, prepare
from twin.forecast.rain import RainSource, analog_rain, file_rain, pet_over_horizon, rain_source
from twin.forecast.replay import replay
from twin.models.hydro_update import routing_level_for_outflow, routing_outflow, update_routing_store
from twin.models.hydrology import GR4Params, gr4, gr4_from_states, gr4_states
from twin.sources.hydro_csv import HydroDataError, HydroSeries
from twin.sources.rain_forecast import read_rain_forecast

TRUTH = GR4Params(350.0, -1.0, 120.0, 4.5)


def synthetic_series(years: float = 2.0, seed: int = 1, bias: float = 1.0) -> HydroSeries:
    """SYNTHETIC: hourly rain from a seeded Markov chain of wet hours with exponential depths, a daily PET
    cycle, and the discharge of GR4H with TRUTH on them (× ``bias``: a model that is wrong by a factor)."""
    rng = np.random.default_rng(seed)
    n = int(years * 365 * 24)
    wet = np.zeros(n, bool)
    for t in range(1, n):
        wet[t] = rng.random() < (0.85 if wet[t - 1] else 0.02)
    P = np.where(wet, rng.exponential(1.5, n), 0.0)
    time = pd.date_range("2010-01-01", periods=n, freq="1h")
    E = 0.12 * np.clip(np.sin((time.hour - 6) / 12 * np.pi), 0, None) * (1.2 + np.sin((time.day_of_year - 80) / 365 * 2 * np.pi))
    Q = gr4(P, E, TRUTH, timestep="hourly") * bias
    return HydroSeries(time, P, np.asarray(E), Q, 1.0, "synthetic", 100.0)


@pytest.fixture(scope="module")
def series():
    return synthetic_series()


def test_states_kept_along_a_run_restart_it_exactly(series):
    """Forecasts from the kept states, with the rain that fell, continue the one run step for step."""
    q = gr4(series.P, series.E, TRUTH, timestep="hourly")
    at = np.array([500, 1000, 1000, 9000])
    q2, states = gr4_states(series.P, series.E, TRUTH, at, timestep="hourly")
    np.testing.assert_array_equal(q, q2)
    H = 30
    rain = np.stack([series.P[i + 1:i + 1 + H] for i in at])[:, None, :]
    pet = np.stack([series.E[i + 1:i + 1 + H] for i in at])
    out = gr4_from_states(rain, pet, TRUTH, states, timestep="hourly")
    for k, i in enumerate(at):
        np.testing.assert_allclose(out[k, 0], q[i + 1:i + 1 + H], rtol=1e-12, atol=1e-15)


def test_the_routing_outflow_is_inverted():
    """The level whose outflow is asked for gives that outflow; above a few mm (where Qr ∝ R⁵/X3⁴ is not lost
    in rounding) it is the level itself."""
    levels = np.array([0.0, 1.0, 30.0, 120.0, 400.0, 5000.0])
    outflow = routing_outflow(levels, 120.0)
    found = routing_level_for_outflow(outflow, 120.0)
    np.testing.assert_allclose(routing_outflow(found, 120.0), outflow, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(found[1:], levels[1:], rtol=1e-9)


def test_the_state_update_of_a_perfect_model_changes_nothing(series):
    at = np.arange(2000, 2100)
    _, states = gr4_states(series.P, series.E, TRUTH, at, timestep="hourly")
    updated = update_routing_store(states, series.Q[at], TRUTH)
    np.testing.assert_allclose(updated.routing_mm, states.routing_mm, rtol=1e-9, atol=1e-9)
    doubled = update_routing_store(states, 2 * series.Q[at], TRUTH)
    assert (doubled.routing_mm > states.routing_mm).all()


@pytest.mark.parametrize("update", ["output", "state"])
def test_an_update_leaves_a_perfect_model_with_perfect_rain_as_it_was(series, update):
    """Recovery: the river is the model itself and the rain the one that fell: nothing to correct (but PET
    over the horizon is the last day's, not the one to come: a difference of a few 1e-4, the bound here)."""
    setup = prepare(series, "gr4h", first_issue="2011-06-01", params=TRUTH)
    issues = pd.date_range("2011-06-01", periods=300, freq="3h")
    fc = issue_forecasts(setup, issues, 12, RainSource("observed"), update)
    np.testing.assert_allclose(fc.no_update[:, 0], fc.observed, rtol=1e-3)
    np.testing.assert_allclose(fc.updated, fc.no_update, rtol=1e-3)


@pytest.mark.parametrize("update", ["output", "state"])
def test_an_update_helps_a_biased_model(update):
    """Recovery: the gauge reads 40 % more than the model (a rating or area error): updated forecasts follow
    the gauge, the forecasts without update keep the bias."""
    biased = synthetic_series(bias=1.4)
    setup = prepare(biased, "gr4h", first_issue="2011-06-01", params=TRUTH)
    issues = pd.date_range("2011-06-01", "2011-12-01", freq="1h")
    fc = issue_forecasts(setup, issues, 6, RainSource("none"), update)
    for k in (0, 2, 5):
        assert nse(fc.observed[:, k], fc.updated[:, 0, k]) > nse(fc.observed[:, k], fc.no_update[:, 0, k]) + 0.02


@pytest.mark.parametrize("rain, update", [("none", "output"), ("analog", "state"), ("analog", "output")])
def test_a_forecast_never_sees_the_data_after_its_issue_time(series, rain, update):
    """The same forecast is issued when everything after the issue time is changed (rain, PET, discharge)."""
    at = pd.Timestamp("2011-08-10 13:00")
    setup = prepare(series, "gr4h", first_issue="2011-06-01", params=TRUTH)
    source = RainSource(rain, members=20, seed=3)
    first = issue_forecasts(setup, [at], 24, source, update)
    cut = series.time >= at
    other = HydroSeries(series.time, np.where(cut, 50.0, series.P), np.where(cut, 0.0, series.E),
                        np.where(cut, 999.0, series.Q), 1.0, "synthetic", 100.0)
    again = issue_forecasts(prepare(other, "gr4h", first_issue="2011-06-01", params=TRUTH), [at], 24, source, update)
    np.testing.assert_array_equal(first.updated, again.updated)
    np.testing.assert_array_equal(first.rain.mm, again.rain.mm)


def test_analog_members_come_from_the_past_near_the_same_date(series):
    last = last_known_steps(series, [pd.Timestamp("2011-09-15 00:00")])
    out = analog_rain(series.P, series.time, last, 24, step_hours=1.0, members=30, window_days=20, seed=5)
    assert out.mm.shape == (1, 30, 24) and out.kind == "forecast"
    # each member is a 24 h window of the series ending before the issue time, near 15 September
    windows = np.lib.stride_tricks.sliding_window_view(series.P, 24)
    for member in out.mm[0]:
        starts = np.flatnonzero((windows == member).all(axis=1))
        assert len(starts) and (starts + 23 <= last[0]).any()
    again = analog_rain(series.P, series.time, last, 24, step_hours=1.0, members=30, window_days=20, seed=5)
    other = analog_rain(series.P, series.time, last, 24, step_hours=1.0, members=30, window_days=20, seed=6)
    np.testing.assert_array_equal(out.mm, again.mm)
    assert not np.array_equal(out.mm, other.mm)


def test_pet_over_the_horizon_repeats_the_last_day(series):
    pet = pet_over_horizon(series.E, np.array([100]), 30, step_hours=1.0)
    np.testing.assert_array_equal(pet[0, :24], series.E[77:101])
    np.testing.assert_array_equal(pet[0, 24:], series.E[77:83])


def test_rain_forecast_files_are_read_and_each_issue_takes_the_latest(tmp_path):
    f = tmp_path / "rain.csv"
    f.write_text("issued,member,time,mm\n2011-01-01 00:00,a,2011-01-01 00:00,1\n2011-01-01 00:00,a,2011-01-01 01:00,2\n"
                 "2011-01-01 06:00,a,2011-01-01 06:00,5\n2011-01-01 06:00,b,2011-01-01 07:00,7\n")
    table = read_rain_forecast(f)
    assert list(table.columns) == ["issued", "member", "time", "mm", "line"] and len(table) == 4
    times = pd.date_range("2010-12-31", periods=72, freq="1h")
    last = np.array([23, 29])  # issue times 01-01 00:00 and 06:00
    out = file_rain(table, times, last, 3, step_hours=1.0, source=str(f))
    np.testing.assert_array_equal(out.mm[0], [[1, 2, 0], [0, 0, 0]])
    np.testing.assert_array_equal(out.mm[1], [[5, 0, 0], [0, 7, 0]])
    with pytest.raises(HydroDataError, match="no forecast issued at or before 2010-12-31 12:00"):
        file_rain(table, times, np.array([11]), 3, step_hours=1.0, source=str(f))


@pytest.mark.parametrize("text, message", [
    ("member,time\na,2011-01-01\n", "line 1 lacks column\\(s\\) mm"),
    ("member,time,mm\na,2011-01-01 00:00,1\na,tomorrow,2\n", "line\\(s\\) 3: time 'tomorrow' is not a date"),
    ("member,time,mm\na,2011-01-01 00:00,-1\n", "line\\(s\\) 2: mm '-1' is not a finite, non-negative"),
    ("member,time,mm\na,2011-01-01 00:00,1\na,2011-01-01 00:00,2\n", "line\\(s\\) 3: the same member and time"),
    ("member,time,mm\n,2011-01-01 00:00,1\n", "line\\(s\\) 2: member is empty"),
    ("issued,member,time,mm\n2011-01-02,a,2011-01-01 00:00,1\n", "line\\(s\\) 2: rain before its forecast"),
    ("member,time,mm\n", "no forecast row"),
])
def test_bad_rain_forecast_files_name_the_line_and_field(tmp_path, text, message):
    f = tmp_path / "rain.csv"
    f.write_text(text)
    with pytest.raises(HydroDataError, match=message) as info:
        read_rain_forecast(f)
    assert str(f) in str(info.value)


def test_the_setup_refuses_what_the_forecast_could_not_know(series):
    with pytest.raises(HydroDataError, match="could not know"):
        prepare(series, "gr4h", first_issue="2010-06-01", calibration=parse_period("2010-01-01:2010-02-01:2010-06-01"))
    with pytest.raises(HydroDataError, match="one of the two"):
        prepare(series, "gr4h", first_issue="2011-06-01")
    setup = prepare(series, "gr4h", first_issue="2011-06-01", params=TRUTH)
    with pytest.raises(HydroDataError, match="learnt from"):
        replay(setup, "2011-03-01", "2011-04-01", every=1, leads=[1], rain=RainSource("none"))
    assert parse_period("2004-01-01:2004-07-01 06:00:2006-12-31")[1] == pd.Timestamp("2004-07-01 06:00")
    with pytest.raises(HydroDataError, match="WARMUP:START:END"):
        parse_period("2004-01-01:2004-07-01")


def test_crps_rank_histogram_and_alerts_score_what_they_should():
    obs = np.array([1.0, 5.0])
    np.testing.assert_allclose(crps_ensemble(obs, np.array([[2.0], [1.0]])), [1.0, 4.0])  # one member: |error|
    members = np.array([[0.0, 2.0, 4.0]])
    # CRPS = E|X − y| − ½ E|X − X'| (Gneiting & Raftery 2007) for y = 1: (1 + 1 + 3)/3 − ½ · (2·(2 + 4 + 2))/9
    np.testing.assert_allclose(crps_ensemble(np.array([1.0]), members), [5 / 3 - 8 / 9])
    scoringrules = pytest.importorskip("scoringrules")  # a test dependency: the reference implementation
    rng_c = np.random.default_rng(4)
    obs_c, ens_c = rng_c.gamma(2.0, 3.0, 500), rng_c.gamma(2.0, 3.0, (500, 37))
    np.testing.assert_allclose(crps_ensemble(obs_c, ens_c), scoringrules.crps_ensemble(obs_c, ens_c, m_axis=-1),
                               rtol=1e-10, atol=1e-12)
    rng = np.random.default_rng(0)
    draws = rng.normal(size=(20000, 10))
    hist = rank_histogram(draws[:, 0], draws[:, 1:])  # the observation is one more member: flat
    assert len(hist) == 10 and hist.min() > 0.9 * 2000 and hist.max() < 1.1 * 2000
    narrow = rank_histogram(draws[:, 0], 0.2 * draws[:, 1:])  # under-dispersed: U-shaped
    assert narrow[0] > 3 * narrow[5] and narrow[-1] > 3 * narrow[5]
    c = contingency([0, 5, 6, 1, 7], [0, 6, 1, 6, 8], 5)
    assert (c["hits"], c["misses"], c["false_alarms"], c["correct_negatives"]) == (2, 1, 1, 1)
    assert c["pod"] == pytest.approx(2 / 3) and c["far"] == pytest.approx(1 / 3) and c["csi"] == pytest.approx(0.5)


def test_flood_peaks_are_one_per_flood_and_peak_errors_measure_height_and_timing():
    q = np.zeros(400)
    q[100:110] = [1, 3, 6, 9, 10, 9, 7, 5, 3, 1]
    q[300:305] = [2, 8, 12, 8, 2]
    peaks = flood_peaks(q, 5.0, 72)
    np.testing.assert_array_equal(peaks, [104, 302])
    fc = np.full(400, np.nan)
    fc[100:112] = 0.0
    fc[106] = 8.0  # 20 % low, 2 steps late
    out = peak_errors(q, fc, peaks, 24)
    assert out["peaks"] == 1 and out["peak_error"] == pytest.approx(-0.2) and out["peak_timing"] == 2


L0123003 = "hydrology/airGR_L0123003_BasinObs.csv"


def test_on_a_real_flashy_river_the_updated_forecast_beats_persistence_from_3_h(capsys, tmp_path):
    """Validity (the issue's check): GR4H calibrated on 2004-07 … 2006-12 of L0123003, hourly forecasts replayed
    over September 2007 … March 2008 (its largest flood, 3 November 2007) with no rain after the issue time:
    the forecast updated on the gauge beats persistence at 3, 6 and 12 h and the forecast without update
    everywhere."""
    from twin.cli import main

    data = reference_file(L0123003)
    png = tmp_path / "skill.png"
    assert main(["hydro", "replay", "--data", str(data), "--model", "gr4h", "--area-km2", "920",
                 "--calibrate", "2004-01-01:2004-07-01:2006-12-31", "--from", "2007-09-01", "--to", "2008-03-31",
                 "--every", "1", "--leads", "1,3,6,12", "--rain", "none", "--update", "output",
                 "--alert-levels", "150,300", "--plot", str(png), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["issues"] == 5089 and out["rain"]["kind"] == "forecast" and set(out["leads"]) == {"1", "3", "6", "12"}
    for lead, row in out["leads"].items():
        assert row["nse"] > row["nse_no_update"], lead
        if float(lead) >= 3:
            assert row["nse"] > row["nse_persistence"], (lead, row["nse"], row["nse_persistence"])
        assert set(row["alerts"]) == {"150", "300"} and row["alerts"]["150"]["hits"] > 0
    assert out["flood_peaks"] >= 3 and png.stat().st_size > 10_000
    assert out["calibration"]["period"] == ["2004-07-01 00:00:00", "2006-12-31 00:00:00"]


def test_the_forecast_command_issues_one_forecast_with_what_was_known(capsys):
    from twin.cli import main

    data = reference_file(L0123003)
    args = ["hydro", "forecast", "--data", str(data), "--model", "gr4h", "--area-km2", "920",
            "--params", "520.03,-3.9137,257.30,4.0", "--at", "2007-11-03 00:00", "--horizon", "6",
            "--rain", "analog", "--members", "20", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["last_known_step"] == "2007-11-02 23:00:00" and len(out["forecast"]) == 6
    first = out["forecast"][0]
    assert first["time"] == "2007-11-03 00:00:00" and first["p5"] <= first["median"] <= first["p95"]
    assert out["rain"]["kind"] == "forecast" and out["rain"]["members"] == 20
    assert main([*args[:-1]]) == 0  # the table a person reads
    text = capsys.readouterr().out
    assert "forecast issued at 2007-11-03 00:00:00" in text and "lead h" in text


def test_an_issue_time_between_two_steps_is_refused(series):
    """Between two steps the one labelled before the issue time is still running: refused, not half read."""
    setup = prepare(series, "gr4h", first_issue="2011-06-01", params=TRUTH)
    with pytest.raises(HydroDataError, match="2011-08-10 13:30:00 is not on the data's steps"):
        issue_forecasts(setup, [pd.Timestamp("2011-08-10 13:30")], 6, RainSource("none"))


def test_bad_issue_times_on_the_command_line_are_user_errors(capsys):
    from twin.cli import main

    data = reference_file(L0123003)
    base = ["hydro", "forecast", "--data", str(data), "--model", "gr4h", "--params", "520.03,-3.9137,257.30,4.0",
            "--horizon", "3", "--json"]
    assert main([*base, "--at", "tomorrow morning"]) == 1
    assert "--at 'tomorrow morning': not a date and time" in capsys.readouterr().err
    assert main([*base, "--at", "2007-11-03T01:00+01:00"]) == 0  # an offset is converted to UTC
    assert json.loads(capsys.readouterr().out)["issued_at"] == "2007-11-03 00:00:00"


def test_causal_pet_never_depends_on_a_later_temperature():
    from twin.models.hydrology import oudin_pet_per_step

    time = pd.date_range("2020-03-01", periods=24 * 20, freq="1h")
    t = pd.Series(8 + 5 * np.sin(np.arange(len(time)) / 24 * 2 * np.pi), index=time)
    cut = time >= pd.Timestamp("2020-03-10 13:00")
    changed = t.where(~cut, 35.0)
    before = time < pd.Timestamp("2020-03-11")  # every step of the cut day and before
    causal = oudin_pet_per_step(t, 47.6, causal=True), oudin_pet_per_step(changed, 47.6, causal=True)
    np.testing.assert_array_equal(causal[0][before], causal[1][before])
    plain = oudin_pet_per_step(t, 47.6), oudin_pet_per_step(changed, 47.6)
    assert not np.array_equal(plain[0][before], plain[1][before])  # the day's own mean would see the afternoon


def test_a_rain_forecast_off_the_data_steps_names_its_line(tmp_path):
    f = tmp_path / "rain.csv"
    f.write_text("member,time,mm\na,2011-01-01 00:00,1\na,2011-01-01 00:30,2\n")
    times = pd.date_range("2010-12-31", periods=48, freq="1h")
    with pytest.raises(HydroDataError, match="line 3: time 2011-01-01 00:30:00 is not on the data's steps"):
        file_rain(read_rain_forecast(f), times, np.array([23]), 3, step_hours=1.0, source=str(f))


def test_a_missing_gauge_reading_at_an_issue_time_leaves_every_score_defined(series):
    """All three forecasts are scored on the same cases; a gap in the gauge drops its issue time from each."""
    gap = series.Q.copy()
    gap[np.flatnonzero(series.time == pd.Timestamp("2011-07-01 05:00"))] = np.nan
    holed = HydroSeries(series.time, series.P, series.E, gap, 1.0, "synthetic", 100.0)
    setup = prepare(holed, "gr4h", first_issue="2011-06-01", params=TRUTH)
    report, _ = replay(setup, "2011-06-25", "2011-07-05", every=1, leads=[1, 3], rain=RainSource("none"))
    for row in report.leads.values():
        assert np.isfinite([row["crps"], row["crps_no_update"], row["crps_persistence"], row["nse_persistence"]]).all()
        assert row["cases"] == 24 * 10 + 1 - 2  # the issue after the gap, and the lead that falls on it


def test_replays_take_one_spelling_of_their_period():
    """`hydro run` says --start/--end, `hydro replay` said --from/--to and `flood --replay` --start/--end: each
    takes both, to the same period."""
    from twin.cli import build_parser

    parser = build_parser()
    common = ["hydro", "replay", "--data", "x.csv", "--params", "1,2,3,4"]
    a = parser.parse_args([*common, "--from", "2007-09-01", "--to", "2008-03-31"])
    b = parser.parse_args([*common, "--start", "2007-09-01", "--end", "2008-03-31"])
    assert (a.start, a.end) == (b.start, b.end) == ("2007-09-01", "2008-03-31")
    c = parser.parse_args(["flood", "replay", "--from", "2023-02-01", "--to", "2023-02-10"])
    d = parser.parse_args(["flood", "replay", "--start", "2023-02-01", "--end", "2023-02-10"])
    assert (c.start, c.end) == (d.start, d.end) == ("2023-02-01", "2023-02-10")
