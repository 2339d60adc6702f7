"""Flood anticipation on Redon's SYNTHETIC gauge: forecasts, hindcasts, ensembles, alerts, replay, closures.

The river, its gauge and the rain are generated (``seeds/``): a check against the gauge proves the chain
recovers the generator's river, not that it forecasts a real one.
"""

from __future__ import annotations

import dataclasses
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from twin.cli import main
from twin.scenarios import ScenarioError, StreetClosure
from twin.scenarios.flood import HINDCAST, FloodForecast, crossings, gr4_params, rating_curve, replay
from twin.seeds import history_dir, load_default
from twin.sensors import SensorStore

EVENT = "2023-02-22T00:00"  # three days before the largest synthetic flood (gauge 5.58 m on 2023-02-25)
RAIN = "rg-redon"


@pytest.fixture(scope="module")
def redon():
    return load_default()


@pytest.fixture(scope="module")
def true_params():
    p = json.loads((history_dir() / "truth.json").read_text())["river"]["gr4h"]
    return [p["x1"], p["x2"], p["x3"], p["x4"]]


@pytest.fixture(scope="module")
def tampered(redon, tmp_path_factory):
    """Redon with a copy of its sensor store where every value from EVENT on is replaced: rain × 10 + 2 mm,
    every other sensor × 1.5 + 1 (discharge, stage, temperature...). Before EVENT the copy is the store."""
    dst = tmp_path_factory.mktemp("tampered") / "sensors"
    shutil.copytree(redon.sensors.path, dst)
    t0 = pd.Timestamp(EVENT, tz="UTC")
    for f in (dst / "observations").glob("part-*.parquet"):
        df = pd.read_parquet(f)
        after = df["time"] >= t0
        rain = df["sensor_id"] == RAIN
        df.loc[after & rain, "value"] = df.loc[after & rain, "value"] * 10 + 2
        df.loc[after & ~rain, "value"] = df.loc[after & ~rain, "value"] * 1.5 + 1
        df.to_parquet(f, index=False)
    return dataclasses.replace(redon, sensors=SensorStore(dst))


def _variant(out) -> str:
    return str(out.data["variant"].values[-1])


def test_the_tampered_store_differs_after_the_forecast_time_only(redon, tampered):
    for sid in (RAIN, "vilaine-redon-h"):
        a, b = redon.sensors.query(sid), tampered.sensors.query(sid)
        before = a["time"] < pd.Timestamp(EVENT, tz="UTC")
        np.testing.assert_array_equal(a.loc[before, "value"], b.loc[before, "value"])
        assert (a.loc[~before, "value"] != b.loc[~before, "value"]).all()


@pytest.mark.parametrize("rain", [
    {"rain": "ensemble", "members": 100},
    {"rain": "none"},
    {"rain": "design"},
    {"rain": "forecast", "rain_forecast_mm": [3.0] * 24},
    {"rain": "ensemble", "ensemble_base": "design", "members": 50},
])
def test_a_forecast_knows_nothing_after_its_time(redon, tampered, true_params, rain):
    """Forecast-class inputs give the same KPIs whatever the store holds after the forecast time."""
    runs = [FloodForecast(forecast_time=EVENT, horizon_h=96, params=true_params, seed=3, **rain).run(t)
            for t in (redon, tampered)]
    assert runs[0].data.attrs["forecast_kind"] == "forecast" and HINDCAST not in _variant(runs[0])
    np.testing.assert_array_equal(runs[0].data["value"].values, runs[1].data["value"].values)
    np.testing.assert_array_equal(runs[0].data["stage_m"].values, runs[1].data["stage_m"].values)
    # the readings drawn before the forecast: the same in both stores, none at or after its time
    np.testing.assert_array_equal(runs[0].data["observed_stage_m"].values, runs[1].data["observed_stage_m"].values)
    assert runs[0].data["observed_time"].values.max() < np.datetime64(pd.Timestamp(EVENT))
    assert "verified_stage_m" not in runs[0].series_names  # a forecast's chart shows nothing it could not know


def test_calibration_rating_curve_and_state_know_nothing_after_the_forecast_time(redon, tampered):
    # no params: calibrated on the year before
    a, b = (FloodForecast(forecast_time=EVENT, horizon_h=48, members=50).run(t) for t in (redon, tampered))
    assert a.data.attrs["params_from"] == "calibrated"
    assert gr4_params(a) == gr4_params(b) and rating_curve(a) == rating_curve(b)
    np.testing.assert_array_equal(a.data["value"].values, b.data["value"].values)
    assert pd.Timestamp(a.data.attrs["calibration_end"]) < pd.Timestamp(EVENT)


def test_a_hindcast_uses_the_rain_that_fell_and_says_so(redon, tampered, true_params, tmp_path, capsys):
    outs = [FloodForecast(forecast_time=EVENT, horizon_h=96, rain="observed", params=true_params).run(t)
            for t in (redon, tampered)]
    assert outs[0].data.attrs["forecast_kind"] == HINDCAST and _variant(outs[0]).endswith(HINDCAST)
    # the baseline (no further rain) is a forecast: the same; the hindcast's variant is not
    assert outs[0].value("peak_stage_m") == outs[1].value("peak_stage_m")
    assert outs[1].value("peak_stage_m", _variant(outs[1])) > outs[0].value("peak_stage_m", _variant(outs[0])) + 0.5
    # a replay is set against what the gauge then read (the helper's GEMAPI engineer never saw the two together):
    # the store's readings over the horizon, after the forecast time only — the tampered store's, for its run
    for out, t in zip(outs, (redon, tampered), strict=True):
        read = t.sensors.query("vilaine-redon-h", start=pd.Timestamp(EVENT, tz="UTC"),
                               end=pd.Timestamp(EVENT, tz="UTC") + pd.Timedelta(hours=96, minutes=1))
        read = read[read["time"] > pd.Timestamp(EVENT, tz="UTC")]
        after = out.series("verified_stage_m")
        np.testing.assert_array_equal(after.values, read["value"].to_numpy(float))
        assert after["verified_time"].values.min() > np.datetime64(pd.Timestamp(EVENT))
    f = tmp_path / "hindcast.json"
    f.write_text(json.dumps({"family": "flood", "forecast_time": EVENT, "horizon_h": 48, "rain": "scaled",
                             "params": true_params}))
    assert main(["flood", "run", str(f)]) == 0
    printed = capsys.readouterr().out
    assert f"observed rain × 1.5, {HINDCAST}" in printed and f"({HINDCAST} 2023-02-22" in printed


def test_the_alert_list_says_how_likely_and_how_soon_each_building_floods(redon, true_params, tmp_path):
    """The list said how deep (the 90th percentile), not how likely nor how soon: a GEMAPI team knocks on the
    likeliest and soonest doors first. Each building's share of the members whose peak reaches it and the
    median hour water first does, ordered as the heights above drainage are (lower: likelier and sooner)."""
    out = FloodForecast(forecast_time=EVENT, horizon_h=72, params=true_params, members=40, seed=2).run(redon)
    table = out.table("buildings_to_alert")
    rows = table[table["variant"].astype(str) == _variant(out)]
    assert len(rows) > 10 and rows["flooded_share_pct"].between(10.0, 100.0).all()  # alerted: 10 % of them or more
    assert rows["first_water_h"].between(1, 72).all()
    deep = rows.sort_values("depth_m_p90", ascending=False)  # deeper at the 90th percentile: lower ground
    # the height the app says the list is counted at is taken from the members' peaks as the forecast takes its
    # quantiles: their 95th percentile is the forecast's own
    from twin.app.variants import outcome_rows

    got = {r["kpi"]: r for r in outcome_rows(out) if r["variant"] == _variant(out)}
    peaks = got["peak_stage_m"]["members"]
    assert np.quantile(peaks, 0.95) == pytest.approx(got["peak_stage_p95_m"]["value"], abs=1e-12)
    assert got["buildings_to_alert"]["alert_stage_m"] == pytest.approx(np.quantile(peaks, 0.9), abs=1e-12)
    assert got["people_to_alert"]["alert_stage_m"] == got["buildings_to_alert"]["alert_stage_m"]
    assert deep["flooded_share_pct"].is_monotonic_decreasing
    # the hours, on two members of four hours (a median over the members that reach it: among fewer, the
    # wettest ones, which may come sooner than the list's order)
    from twin.scenarios.flood import building_water

    share, first = building_water(np.array([[1.0, 2, 3, 4], [1, 1, 2, 2]]), 0.0, np.array([0.5, 1.5, 2.5, 3.5, 9]))
    np.testing.assert_array_equal(share, [100, 100, 50, 50, 0])
    np.testing.assert_array_equal(first[:4], [1, 2.5, 3, 4])
    assert np.isnan(first[4])
    # one run: its « 100 % » is no probability (left empty); a building the river already reaches at the issue
    # time gets water now (0 h), not « in an hour »
    share, first = building_water(np.array([[1.0, 2, 3, 4]]), 0.0, np.array([0.5, 2.5]), now_m=0.8)
    assert np.isnan(share).all() and list(first) == [0.0, 3.0]
    assert main(["flood", "run", "--at", EVENT, "--alert-list", str(tmp_path / "alert.csv")]) == 0
    written = pd.read_csv(tmp_path / "alert.csv")
    assert {"flooded_share_pct", "first_water_h"} <= set(written.columns)
    assert (written["depth_m_p90"] == written["depth_m_p90"].round(2)).all()


def test_a_given_rain_forecast_equal_to_the_observed_rain_gives_the_hindcast(redon, true_params, tmp_path):
    rain = redon.sensors.series(RAIN, "2023-02-22T00:00Z", "2023-02-27T00:00Z", freq="1h").to_series()
    hind = FloodForecast(forecast_time=EVENT, horizon_h=120, rain="observed", params=true_params).run(redon)
    given = FloodForecast(forecast_time=EVENT, horizon_h=120, rain="forecast", rain_forecast_mm=list(rain),
                          params=true_params).run(redon)
    assert given.data.attrs["forecast_kind"] == "forecast"
    np.testing.assert_allclose(given.data["value"].values[1], hind.data["value"].values[1])
    f = tmp_path / "rain.csv"
    pd.DataFrame({"time": rain.index.strftime("%Y-%m-%dT%H:%MZ"), "rain_mm": rain.to_numpy()}).to_csv(f, index=False)
    from_file = FloodForecast(forecast_time=EVENT, horizon_h=120, rain="forecast", rain_forecast_file=str(f),
                              params=true_params).run(redon)
    np.testing.assert_array_equal(from_file.data["value"].values, given.data["value"].values)
    bad = tmp_path / "bad.csv"
    bad.write_text("time,rain_mm\n2023-02-22T00:00Z,1.0\n2023-02-22T00:30Z,2.0\n")
    with pytest.raises(ScenarioError, match=r"bad.csv: line\(s\) 3: expected distinct whole hours"):
        FloodForecast(forecast_time=EVENT, rain="forecast", rain_forecast_file=str(bad), params=true_params).run(redon)
    with pytest.raises(ScenarioError, match="not a finite, non-negative depth"):
        FloodForecast(forecast_time=EVENT, rain="forecast", rain_forecast_mm=[1, -2], params=true_params).run(redon)
    with pytest.raises(ScenarioError, match="needs rain_forecast_mm or rain_forecast_file"):
        FloodForecast(forecast_time=EVENT, rain="forecast", params=true_params).run(redon)


def test_climatological_members_are_past_rain_of_the_season(redon, true_params):
    """Recovery of the sampling rule: every member is a window of the gauge's rain before EVENT starting
    within ± 30 days of 22 February (any year) — checked against the store, not the code's candidates."""
    out = FloodForecast(forecast_time=EVENT, horizon_h=72, members=20, params=true_params, seed=1).run(redon)
    members = out.series("member_rain_mm").sel(variant=_variant(out)).values
    assert members.shape == (20, 72)  # every member of the variant, none padded
    past = redon.sensors.series(RAIN, end="2023-02-22T00:00Z", freq="1h").to_series()
    windows = np.lib.stride_tricks.sliding_window_view(past.to_numpy(), 72)
    starts = past.index[:len(windows)]
    doy_gap = np.abs(((starts - pd.Timestamp(EVENT)) / pd.Timedelta(days=1) + 182.6) % 365.2425 - 182.6)
    wet = 0
    for row in members:
        match = np.flatnonzero(np.all(windows == row, axis=1))
        assert (doy_gap[match] <= 30).any(), "a member is no in-season window of the past rain"
        wet += row.sum() > 1.0
    assert wet >= 5  # rain, not only dry spells
    assert len({tuple(r) for r in members}) >= 15  # drawn among many windows, not one repeated


def test_ensemble_is_reproducible_and_its_spread_comes_from_its_inputs(redon, true_params):
    kw = {"forecast_time": EVENT, "horizon_h": 120, "params": true_params}
    out = FloodForecast(members=300, seed=4, **kw).run(redon)
    v = _variant(out)
    again = FloodForecast(members=300, seed=4, **kw).run(redon)
    np.testing.assert_array_equal(again.data["value"].values, out.data["value"].values)
    other = FloodForecast(members=300, seed=5, **kw).run(redon)
    assert other.value("peak_stage_p95_m", v) != out.value("peak_stage_p95_m", v)
    # rain only adds water: without model error every member is at or above the no-rain baseline, every hour
    dry = FloodForecast(members=100, model_error_cv=0.0, **kw).run(redon)
    stage = dry.series("member_stage_m")
    members, baseline = stage.sel(variant=_variant(dry)).values, stage.sel(variant="baseline", member=0).values
    assert members.shape == (100, 120) and np.isfinite(members).all()
    assert (members >= baseline - 1e-12).all()
    # a design-storm ensemble without rain or model error has no spread; with them it has
    flat = FloodForecast(rain="ensemble", ensemble_base="design", members=50, rain_cv=0.0, model_error_cv=0.0,
                         **kw).run(redon)
    design = FloodForecast(rain="design", **kw).run(redon)
    fv = _variant(flat)
    assert flat.value("peak_stage_p95_m", fv) == pytest.approx(flat.value("peak_stage_m", fv), abs=1e-12)
    assert flat.value("peak_stage_m", fv) == pytest.approx(design.value("peak_stage_m", _variant(design)), abs=1e-9)
    spread = FloodForecast(rain="ensemble", ensemble_base="design", members=50, **kw).run(redon)
    sv = _variant(spread)
    assert spread.value("peak_stage_p95_m", sv) - spread.value("peak_stage_m", sv) > 0.1


def test_more_rain_raises_the_alerts(redon, true_params):
    """A bigger design storm: higher peak, more likely crossings, more buildings to alert."""
    kw = {"forecast_time": EVENT, "horizon_h": 120, "params": true_params, "rain": "ensemble",
          "ensemble_base": "design", "members": 200}
    small = FloodForecast(design_mm=10, **kw).run(redon)
    big = FloodForecast(design_mm=150, **kw).run(redon)
    v = _variant(small)
    for k in ("peak_stage_m", "peak_stage_p95_m", "buildings_to_alert", "people_to_alert"):
        assert big.value(k, v) > small.value(k, v), k
    assert big.value("p_orange_pct", v) >= small.value("p_orange_pct", v)
    assert big.value("p_red_pct", v) >= 50 > small.value("p_red_pct", v)


def test_rain_inputs_order_the_peaks(redon, true_params):
    peaks = {}
    for rain in ("none", "observed", "scaled", "design"):
        out = FloodForecast(forecast_time=EVENT, horizon_h=120, rain=rain, params=true_params).run(redon)
        peaks[rain] = out.value("peak_stage_m", _variant(out))
    assert peaks["none"] < peaks["observed"] < peaks["scaled"]
    assert peaks["design"] > peaks["none"]


def test_a_flood_on_one_rain_says_its_median_and_95_percent_are_one_run(redon, true_params):
    """A replay showed « hauteur maximale (médiane) » and « (95 %) » both 4,32 m, and « 100 % » probabilities:
    one run's figures read as an ensemble's. The cards say so; an ensemble's do not."""
    import html
    from types import SimpleNamespace

    from twin.app.builder_run import single_run_part
    from twin.app.variants import outcome_rows

    page = SimpleNamespace(lang="fr")
    out = FloodForecast(forecast_time=EVENT, horizon_h=48, rain="observed", params=true_params).run(redon)
    rows = outcome_rows(out)
    shown = _variant(out)
    assert out.value("peak_stage_m", shown) == out.value("peak_stage_p95_m", shown)  # the model's: one run
    note = html.unescape(single_run_part(page, rows, out, ""))
    assert "Un seul déroulé calculé" in note and "choisissez la pluie « ensemble de pluies possibles »" in note
    ens = FloodForecast(forecast_time=EVENT, horizon_h=48, rain="ensemble", members=5, params=true_params).run(redon)
    assert single_run_part(page, outcome_rows(ens), ens, "") == ""


def test_observed_rain_hindcast_matches_the_gauge(redon, true_params):
    out = FloodForecast(forecast_time=EVENT, horizon_h=120, rain="observed", params=true_params).run(redon)
    level = redon.sensors.query("vilaine-redon-h", "2023-02-22T01:00Z", "2023-02-27T01:00Z")
    assert out.value("peak_stage_m", _variant(out)) == pytest.approx(level["value"].max(), abs=0.10)


def test_replay_scores_the_chain_as_if_live(redon, true_params):
    df, summary = replay(redon, "2023-02-21T00:00", "2023-02-25T00:00", every_h=24, horizon_h=72,
                         params=true_params)
    assert summary["forecast_kind"] == HINDCAST
    assert summary["forecasts"] == 5 == len(df)
    assert summary["mean_abs_peak_error_m"] < 0.1
    assert summary["red"]["misses"] == 0 and summary["red"]["hits"] >= 1
    _, honest = replay(redon, "2023-02-21T00:00", "2023-02-25T00:00", every_h=24, horizon_h=72,
                       params=true_params, rain="none")
    assert honest["forecast_kind"] == "forecast"
    assert honest["mean_abs_peak_error_m"] > summary["mean_abs_peak_error_m"]  # perfect rain is an advantage


def test_alert_list_and_closures_grow_with_the_stage_and_feed_the_roadworks_scenario(redon, true_params):
    lists = {}
    for rain in ("observed", "scaled"):
        out = FloodForecast(forecast_time="2023-02-24T00:00", horizon_h=72, rain=rain, params=true_params).run(redon)
        v = _variant(out)
        alert = out.table("buildings_to_alert").query("variant == @v")
        streets = out.table("streets_to_close").query("variant == @v")
        lists[rain] = (alert, sorted(set(streets["osm_way_id"])))
        assert len(alert) == out.value("buildings_to_alert", v)
        # a two-way street's two directed edges are one segment: listed both (a detour closes each), counted once
        assert streets["segment"].nunique() == out.value("streets_to_close", v) < len(streets)
        assert (streets.groupby("segment")["street"].nunique() == 1).all()
        assert alert["depth_m_p90"].is_monotonic_decreasing
        # where to knock: OSM gives few of them an address, each has its nearest named street
        assert (alert["street"] != "").mean() > 0.9
    (alert, closures), (alert_more, closures_more) = lists["observed"], lists["scaled"]
    assert len(alert) > 0 and set(alert["building_id"]) < set(alert_more["building_id"])
    assert set(closures) <= set(closures_more)
    detour = StreetClosure(streets=closures).run(redon)
    assert detour.value("closed_street_length_m", "closed") > 0


def test_the_map_and_chart_are_drawn_from_the_outcome_alone(redon, true_params, tmp_path):
    """The app's flood view reads only the outcome: the red buildings are the variant's buildings to alert
    (as many as its KPI), the chart is its stage quantiles; an outcome saved and read back draws the same."""
    from twin.app.i18n import fmt_number
    from twin.app.mapview import COLORS
    from twin.app.views.flood import building_overlay, stage_figure
    from twin.outcome import Outcome

    out = FloodForecast(forecast_time="2023-02-24T00:00", horizon_h=72, rain="scaled", params=true_params).run(redon)
    ids = redon.layers["buildings"]["id"].astype(str).tolist()
    over = building_overlay(out, ids)
    red = [b for b, c in zip(ids, over["color"]) if c == COLORS["selected"]]
    assert len(red) == out.value("buildings_to_alert", _variant(out)) > out.value("buildings_to_alert")
    assert [b for b, v in zip(ids, over["value"]) if v.startswith("à alerter : ")] == red
    table = out.table("buildings_to_alert")
    alerts = table[table["variant"] == _variant(out)].iloc[0]  # the deepest first
    assert over["value"][ids.index(str(alerts["building_id"]))] == \
        f"à alerter : {fmt_number(alerts['depth_m_p90'])} m d'eau au pic (90e centile)"
    # the streets to close drawn in black, as many as its KPI
    from twin.app.mapview import street_columns
    from twin.app.views.flood import street_overlay

    edges = list(street_columns(redon)["edge"])
    streets = street_overlay(out, edges)
    table = out.table("streets_to_close")
    shut = table[table["variant"] == _variant(out)]
    assert sum(c == "#000000" for c in streets["color"]) == len(shut) > 0  # each direction drawn
    assert shut["segment"].nunique() == out.value("streets_to_close", _variant(out))  # each street counted once
    assert stage_figure(out) is not None
    assert building_overlay(Outcome.load(out.save(tmp_path / "flood")), ids) == over
    stage = out.series("member_stage_m").sel(variant=_variant(out))
    assert out.value("peak_stage_m", _variant(out)) == pytest.approx(float(stage.max("time").median()))


def test_bad_forecast_times(redon, true_params):
    with pytest.raises(ScenarioError, match="outside the data"):
        FloodForecast(forecast_time="2030-01-01T00:00", params=true_params).run(redon)
    with pytest.raises(ScenarioError, match="outside the data") as early:
        FloodForecast(forecast_time="2021-01-10T00:00", params=true_params).run(redon)
    # too early: the data's start and the first time they allow, not the history read (« 2021-01-01 … 2021-01-09
    # 23:00 » read as data ending there)
    from twin.app.i18n_errors import user_message

    said = user_message(early.value, "fr")
    assert said.startswith("L'heure de prévision 2021-01-10 00:00 UTC est trop tôt : les données commencent le "
                           "2021-01-01 00:00 UTC et il faut au moins "), said
    assert "(première heure de prévision possible : 2021-" in said and "2021-01-09" not in said
    assert " heure de Paris)" in said and ", soit le " in said  # the form takes Paris time
    with pytest.raises(ScenarioError, match="observed rain .* over the whole horizon"):
        FloodForecast(forecast_time="2023-12-30T00:00", rain="observed", params=true_params).run(redon)


def test_forecast_without_given_parameters_calibrates_on_the_past(redon, true_params):
    out = FloodForecast(forecast_time=EVENT, horizon_h=48, rain="none").run(redon)
    assert out.data.attrs["calibration_nse"] > 0.95
    assert pd.Timestamp(out.data.attrs["calibration_end"]) < pd.Timestamp(EVENT)
    # recovery, not validity: the curve fitted on the gauge before EVENT gives the generator's curve back
    truth = json.loads((history_dir() / "truth.json").read_text())["river"]["rating_curve"]
    q = np.linspace(50, 600, 12)
    true_stage = truth["h0"] + (q / truth["a"]) ** (1 / truth["b"])
    assert np.abs(rating_curve(out).stage(q) - true_stage).max() < 0.05


def test_synthetic_dem_matches_the_hand_floodplain(redon):
    from twin.models.inundation import synthetic_dem, synthetic_hand

    fp = synthetic_hand(redon, ("Vilaine",))
    assert fp.synthetic
    b = redon.layers["buildings"].total_bounds
    dx = 10.0
    dem = synthetic_dem(fp, b, dx=dx)
    centroids = redon.layers["buildings"].geometry.centroid
    cells = np.array([dem.cell_of(p.x, p.y) for p in centroids])
    hand = fp.hand_m(centroids)
    ground = dem.z[cells[:, 0], cells[:, 1]]
    on_land = ground > 0  # not a river cell
    # the DEM cell's centre is within dx/√2 of the building's centre: the ground differs by at most slope × that
    assert np.abs(ground[on_land] - hand[on_land]).max() <= fp.cross_slope * dx / np.sqrt(2) + 1e-9
    assert on_land.mean() > 0.95


def test_lead_times_per_level_are_ordered(redon, true_params):
    out = FloodForecast(forecast_time=EVENT, horizon_h=120, rain="observed-ensemble", members=200,
                        params=true_params).run(redon)
    v = _variant(out)
    assert out.value("p_red_pct", v) > 10
    assert out.value("lead_time_yellow_h", v) <= out.value("lead_time_orange_h", v) < out.value("lead_time_red_h", v)


def test_a_level_the_gauge_already_reads_is_crossed_at_0_hours(redon, true_params):
    """At the seed's default forecast time the gauge reads about 4.0 m, above yellow (3.5 m): yellow is
    crossed now (0 h, 100 %), for every member and the no-rain baseline, whatever the forecast's first hour;
    orange (4.5 m), not yet read, keeps the forecast's own crossing times."""
    s = FloodForecast(horizon_h=48, params=true_params, rain="ensemble", members=20, seed=2)
    out = s.run(redon)
    t0 = pd.Timestamp(out.data.attrs["forecast_time"])
    level = redon.sensors.query("vilaine-redon-h", end=t0.tz_localize("UTC"))
    assert out.data.attrs["observed_stage_m"] == level["value"].iloc[-1] > out.data.attrs["alert_yellow_m"]
    assert pd.Timestamp(out.data.attrs["observed_stage_time"]) == level["time"].iloc[-1].tz_convert(None)
    obs = out.series("observed_stage_m")
    np.testing.assert_array_equal(obs.values, level["value"].to_numpy()[-len(obs):])
    assert len(obs) == 24  # the day before, hourly, up to the hour before the forecast time
    v = _variant(out)
    for variant in ("baseline", v):
        assert out.value("lead_time_yellow_h", variant) == 0 and out.value("p_yellow_pct", variant) == 100
    assert (out.member_values("lead_time_yellow_h", v) == 0).all()
    stage = out.series("member_stage_m").sel(variant=v).values
    orange = out.data.attrs["alert_orange_m"]
    assert out.data.attrs["observed_stage_m"] < orange
    crossed = (stage >= orange).any(axis=1)
    first = np.argmax(stage >= orange, axis=1) + 1.0
    np.testing.assert_array_equal(out.member_values("lead_time_orange_h", v), np.where(crossed, first, np.nan))


def test_crossings_of_a_level_already_read_and_of_one_to_come():
    stage = np.array([[3.0, 3.6, 3.8], [3.0, 3.1, 3.2]])
    crossed, first = crossings(stage, 3.5)
    assert crossed.tolist() == [True, False] and first[0] == 2 and np.isnan(first[1])
    crossed, first = crossings(stage, 3.5, now_m=3.55)  # the gauge already reads above it
    assert crossed.tolist() == [True, True] and first.tolist() == [0.0, 0.0]
    crossed, first = crossings(stage, 3.5, now_m=float("nan"))  # no recent reading: the forecast alone
    assert crossed.tolist() == [True, False]


def test_the_gauges_are_the_territorys_own_and_the_outcome_names_them(redon, true_params):
    """Empty gauge parameters resolve to the seed's defaults (seed.json); without them to Redon's only sensor
    of each quantity; a gauge given by name wins. Same sensors, same forecast — and the outcome says which."""
    kw = {"forecast_time": EVENT, "horizon_h": 48, "rain": "design", "params": true_params}
    scenario = FloodForecast(**kw)
    before = scenario.param.values()
    own = scenario.run(redon)
    assert scenario.param.values() == before  # resolved at run time, nothing written on the scenario
    sensors = ("rain_gauge", "flow_gauge", "level_gauge", "temperature")
    assert {k: own.data.attrs[k] for k in sensors} == {k: redon.defaults["flood"][k] for k in sensors} == \
        {"rain_gauge": "rg-redon", "flow_gauge": "vilaine-redon-q", "level_gauge": "vilaine-redon-h",
         "temperature": "meteo-redon-t"}
    catchment_only = {k: v for k, v in redon.defaults["flood"].items() if k not in sensors}
    from_registry = FloodForecast(**kw).run(redon.replace(defaults={"flood": catchment_only}))
    given = FloodForecast(**kw, rain_gauge="rg-redon").run(redon)
    assert own.equals(from_registry) and own.equals(given)
    with pytest.raises(ScenarioError, match="level_gauge: 'no-such-gauge' is not a sensor"):
        FloodForecast(**kw, level_gauge="no-such-gauge").run(redon)


def test_a_river_name_the_territory_lacks_is_named_not_replaced_by_other_water(redon):
    from twin.models.inundation import FloodplainError, synthetic_hand

    with pytest.raises(FloodplainError, match=r"no waterway or water area named \['Loire'\].*Vilaine"):
        synthetic_hand(redon, ("Loire",))
    everything = synthetic_hand(redon, ())  # empty: every river, canal and water area, said so
    assert everything.river.covers(synthetic_hand(redon, ("Vilaine",)).river)


@pytest.mark.parametrize("update", ["output", "state"])
def test_the_forecast_starts_from_the_discharge_measured_before_it(redon, true_params, update):
    """A model made wrong on purpose (X1 and X3 halved: too little water) forecasts its own river; updated on
    the gauge, its first hour lands near the discharge measured the hour before the forecast time, and the
    outcome says which update ran and on what."""
    wrong = [true_params[0] / 2, true_params[1], true_params[2] / 2, true_params[3]]
    runs = {mode: FloodForecast(forecast_time=EVENT, horizon_h=12, rain="none", params=wrong, update=mode).run(redon)
            for mode in ("none", update)}
    attrs = runs[update].data.attrs
    assert attrs["update"] == update and attrs["update_why"] == ""
    curve = rating_curve(runs[update])
    measured = float(curve.stage(attrs["observed_discharge_m3s"]))
    first = {m: float(out.data["stage_m"].sel(variant="baseline", quantile=0.5).values[0]) for m, out in runs.items()}
    assert abs(first[update] - measured) < 0.3 * abs(first["none"] - measured), (first, measured)
    assert runs["none"].data.attrs["update"] == "none"
    assert attrs["observed_discharge_m3s"] != pytest.approx(attrs["simulated_discharge_m3s"], rel=0.05)


def test_a_gauge_without_a_reading_before_the_forecast_leaves_the_model_alone_and_says_so():
    from twin.models.hydrology import GR4Params
    from twin.sources.hydro_csv import HydroSeries

    time = pd.date_range("2022-01-01", periods=2000, freq="1h")
    q = np.full(2000, 0.05)
    q[-1] = np.nan
    past = HydroSeries(time, np.zeros(2000), np.zeros(2000), q, 1.0, "store", 100.0)
    out = FloodForecast(update="output")._update(past, GR4Params(300, 0, 100, 3), np.full(2000, 0.04), None, 12)
    assert out["mode"] == "none" and "no discharge observed at 2022-03-25 07:00" in out["why"]


def test_an_updated_forecast_s_error_grows_from_the_level_read_at_its_issue(redon, true_params):
    """The 5–95 % band already spanned 3,67–4,36 m an hour after a reading of 4,00 m: the model error's full
    spread from the first hour. Updated on the gauge, it grows with the lead time (√, full at 24 h); the
    model alone (update none) keeps its full spread from the start."""
    from twin.scenarios.flood import MODEL_ERROR_FULL_H, model_error_growth

    growth = model_error_growth(48)
    assert growth[0] == pytest.approx(np.sqrt(1 / MODEL_ERROR_FULL_H)) and growth[MODEL_ERROR_FULL_H - 1] == 1.0
    assert np.all(np.diff(growth) >= 0) and growth.max() == 1.0

    def first_hour_spread(update):
        out = FloodForecast(horizon_h=24, params=true_params, members=100, seed=1, update=update).run(redon)
        stage = out.series("member_stage_m").sel(variant=_variant(out)).values
        return np.subtract(*np.quantile(stage[:, 0], [0.95, 0.05])), out.data.attrs["observed_stage_m"], stage

    updated, observed, stage = first_hour_spread("output")
    alone, _, _ = first_hour_spread("none")
    assert updated < 0.5 * alone
    assert abs(np.median(stage[:, 0]) - observed) < 0.05  # it starts where the river is


def test_synthetic_gauges_are_said_with_the_forecast_and_its_replay():
    """The demonstration river is generated by the very GR4H that forecasts it: « NSE du calage 0,995 » and a
    replay's « mean_abs_peak_error_m 0.0096 » read as validation, SYNTHETIC said nowhere near them."""
    from types import SimpleNamespace

    from twin.app.builder_run import kpi_cards_part
    from twin.app.i18n import synthetic_gauges_note
    from twin.scenarios.flood import FloodForecast, replay
    from twin.seeds import load_default

    redon = load_default()
    out = FloodForecast(forecast_time="2023-01-25T00:00", rain="none", members=1).run(redon)
    assert "level_gauge" in out.data.attrs["synthetic_gauges"]
    note = synthetic_gauges_note(out.data.attrs, "fr")
    assert note.startswith("Stations SYNTHÉTIQUES") and "ne le valident pas" in note
    assert note in kpi_cards_part(SimpleNamespace(lang="fr", runs=0), [], out, "").replace("&#x27;", "'")
    _, summary = replay(redon, "2023-01-25T00:00", "2023-01-25T12:00", every_h=12, horizon_h=12)
    assert "does not validate it" in summary["synthetic_gauges"]
    assert synthetic_gauges_note({"synthetic_gauges": ""}, "fr") is None


def test_a_stage_far_above_the_rating_curve_s_record_is_said_extrapolated():
    """The design storm's default read « hauteur maximale 12,3 m » at a gauge whose curve was fitted on stages
    up to about 4,7 m, with no word that the curve was extrapolated."""
    from twin.app.i18n import beyond_record_note
    from twin.scenarios.flood import BEYOND_RECORD_M, FloodForecast
    from twin.seeds import load_default

    redon = load_default()
    big = FloodForecast(forecast_time="2023-01-25T00:00", rain="design", design_mm=120.0, members=1).run(redon)
    top = big.data.attrs["rating_curve_max_stage_m"]
    assert big.value("peak_stage_m", big.variants[1]) > top + BEYOND_RECORD_M
    note = beyond_record_note(big.data.attrs, "fr")
    assert note.startswith("Hauteur au-delà de toutes celles qui ont servi à caler la courbe de tarage")
    calm = FloodForecast(forecast_time="2023-01-25T00:00", rain="none", members=1).run(redon)
    assert "beyond_rating_curve" not in calm.data.attrs and beyond_record_note(calm.data.attrs, "fr") is None
    # the storm's stage and counts say on their cards that they are an order of magnitude; the baseline (no
    # further rain, within the record) and a calm run keep their own notes
    from twin.app.cards import card_note
    from twin.app.variants import outcome_rows

    notes = {(r["variant"], r["kpi"]): card_note(r, "fr") for r in outcome_rows(big)}
    for kpi in ("peak_stage_m", "buildings_flooded", "buildings_to_alert", "people_to_alert"):
        assert notes[(big.variants[1], kpi)].startswith("hauteur extrapolée loin au-delà de la courbe de tarage")
        assert "extrapolée" not in notes[("baseline", kpi)]
    assert notes[(big.variants[1], "buildings_flooded")].endswith("; un seul calcul, sans tirages : au pic de ce "
                                                                 "calcul")  # how it is counted, still said
    assert not any("extrapolée" in card_note(r, "fr") for r in outcome_rows(calm))


def test_the_flood_caveats_reach_the_cards_and_the_comparison_from_a_real_run(redon, true_params):
    """A red level at 7 m crashed the page (« could not convert string to float: 'red' »: a row's list is read as
    its members' floats), and « Comparer » dropped every caveat: a 24 h variant read as a milder flood than the
    72 h one, when it was the same flood cut short (a GEMAPI technician's walkthrough). Through the page's own
    rows: the cards and the comparison say both."""
    import html

    from twin.app.cards import card_note, clock_time, lead_condition
    from twin.app.report import comparison_html
    from twin.app.variants import Variant, outcome_rows

    out = FloodForecast(forecast_time=EVENT, horizon_h=24, params=true_params, members=20, seed=1,
                        alert_levels_m={"yellow": 3.5, "orange": 4.5, "red": 7.0}).run(redon)
    rows = outcome_rows(out)
    mine = {r["kpi"]: r for r in rows if r["variant"] == _variant(out)}
    assert "loin au-delà de la courbe de tarage" in card_note(mine["p_red_pct"], "fr")
    assert "un minimum" in card_note(mine["buildings_to_alert"], "fr")  # 24 h: the flood still rises
    table = html.unescape(comparison_html([Variant("24 h", "flood", "redon", {}, rows, attrs=dict(out.data.attrs))],
                                          "fr"))
    assert "un minimum, le pic viendra après" in table and "loin au-delà de la courbe de tarage" in table
    # and what else the cards say: a time's draws and why a time is « — »
    assert "pas de pic sur l'horizon : l'eau monte encore à sa fin" in table  # the median still rises at 24 h
    assert mine["lead_time_red_h"]["value"] != mine["lead_time_red_h"]["value"]  # no draw reaches 7 m: NaN
    assert "atteint par aucun tirage sur l'horizon" in table
    long = FloodForecast(forecast_time=EVENT, horizon_h=96, params=true_params, members=20, seed=1).run(redon)
    rows = outcome_rows(long)
    mine = {r["kpi"]: r for r in rows if r["variant"] == _variant(long)}
    table = html.unescape(comparison_html([Variant("96 h", "flood", "redon", {}, rows, attrs=dict(long.data.attrs))],
                                          "fr"))
    for kpi in ("buildings_to_alert", "lead_time_orange_h"):
        said = card_note(mine[kpi], "fr") if kpi == "buildings_to_alert" else \
            lead_condition(mine[kpi], rows, "fr")
        assert said and said in table, (kpi, said)  # the alert count's height, the time's share of draws
    when = clock_time(mine["lead_time_orange_h"], "fr", few=True)  # beside the hour when few draws reach it
    assert when.startswith("le ") and when in table  # « le 25/02 vers 7 h (heure de Paris) », as the card
    # the 24 h and the 96 h forecasts side by side: « au moins autant dans 95 % des tirages » compared two windows
    short = outcome_rows(out)
    both = html.unescape(comparison_html([Variant("24 h", "flood", "redon", {}, short, attrs=dict(out.data.attrs)),
                                          Variant("96 h", "flood", "redon", {}, rows, attrs=dict(long.data.attrs))],
                                         "fr"))
    assert "pas de comparaison, leurs horizons diffèrent (24\u00a0h, 96\u00a0h)" in both
    assert "sur 24\u00a0h" in both and "sur 96\u00a0h" in both  # each column says its horizon
    assert "aléas communs" not in both and "class='best'" not in both  # no pair verdict, no best value
    same = html.unescape(comparison_html([Variant("A", "flood", "redon", {}, rows, attrs=dict(long.data.attrs)),
                                          Variant("B", "flood", "redon", {}, rows, attrs=dict(long.data.attrs))],
                                         "fr"))
    assert "horizons diffèrent" not in same and "écart de 0\u00a0h à 0\u00a0h" not in same
    assert "« A » et « B » : la même valeur dans chaque tirage" in same


def test_past_flood_peaks_are_local_maxima_apart_and_their_replays_fit_before_the_forecast():
    """CONSTRUCTED readings (a check of the picking rule, not of a river): four floods, two of them 2 days apart
    (one flood, its highest kept), one so recent that its replayed forecasts' checks would end after the forecast
    time, one too early for a calibration before it."""
    from twin.scenarios.flood_skill import PAST_LEADS_H, past_flood_peaks

    times = pd.date_range("2022-01-01", "2022-12-31 23:00", freq="1h")
    level = pd.Series(1.0, index=times)
    # 27/12: a lower rise of the too-recent flood of 30/12 (within 4 days): not picked in its place
    for day, height in (("2022-03-01", 6.0), ("2022-06-10", 5.0), ("2022-06-12", 5.5), ("2022-09-01", 4.0),
                        ("2022-12-27", 4.5), ("2022-12-30", 7.0)):
        peak = pd.Timestamp(day) + pd.Timedelta(hours=12)
        level[(times > peak - pd.Timedelta(hours=30)) & (times < peak + pd.Timedelta(hours=30))] = \
            height - np.abs((times[(times > peak - pd.Timedelta(hours=30)) & (times < peak + pd.Timedelta(hours=30))]
                             - peak) / pd.Timedelta(hours=1)) * 0.1
    now = pd.Timestamp("2022-12-31 00:00")
    peaks = past_flood_peaks(level, now, 48, 5, earliest_issue=pd.Timestamp("2022-04-01"), min_m=2.0)
    assert [(str(t), round(v, 2)) for t, v in peaks] == [("2022-06-12 12:00:00", 5.5), ("2022-09-01 12:00:00", 4.0)]
    for t, _ in peaks:  # every replayed forecast checked before the forecast time, issued after the earliest
        assert t - pd.Timedelta(hours=max(PAST_LEADS_H)) >= pd.Timestamp("2022-04-01")
        assert t - pd.Timedelta(hours=min(PAST_LEADS_H)) + pd.Timedelta(hours=48) <= now
    assert past_flood_peaks(level, now, 48, 1, pd.Timestamp("2022-04-01"), 2.0) == peaks[:1]  # the highest first
    assert past_flood_peaks(level, now, 48, 0, pd.Timestamp("2022-04-01"), 2.0) == []
    assert past_flood_peaks(level, now, 48, 5, pd.Timestamp("2022-04-01"), 4.5) == peaks[:1]  # floods only


def test_the_forecast_s_record_on_past_floods_reads_nothing_after_its_time(redon, tampered):
    """The record a GEMAPI team trusts a forecast by: forecasts replayed before the highest past peaks, as issued
    then, checked against the gauge — all before the forecast time. The store tampered from the forecast time on
    gives the same record (SYNTHETIC gauges: the record recovers the generating model, said with it)."""
    from twin.scenarios.flood_skill import PAST_LEADS_H, REPLAY_HORIZON_H

    def record(territory):
        out = FloodForecast(forecast_time=EVENT, horizon_h=24, members=20, seed=3, past_floods=2).run(territory)
        return out, out.table("past_forecasts")

    out, table = record(redon)
    attrs = out.data.attrs
    assert attrs["past_floods_asked"] == 2 and attrs["past_floods_found"] == 2 and attrs["past_members"] == 20
    # over 54 h whatever the forecast's horizon (24 h): every lead sees its peak
    assert sorted(set(table["lead_h"])) == sorted(PAST_LEADS_H) and len(table) == 2 * len(PAST_LEADS_H)
    t0 = pd.Timestamp(EVENT)
    assert (table["issued"] + pd.Timedelta(hours=REPLAY_HORIZON_H) <= t0).all()
    # calibrated once, on data ending before the earliest replayed forecast (the calibration's own period): the
    # floods replayed are not in it
    assert pd.Timestamp(attrs["past_calibrated_until"]) < table["issued"].min()
    assert pd.Timestamp(attrs["past_calibrated_until"]) < table["flood_peak_time"].min() - pd.Timedelta(hours=12)
    assert attrs["past_leads_h"] == ", ".join(str(x) for x in PAST_LEADS_H)
    # each forecast's check is the gauge's highest reading over its horizon
    level = redon.sensors.query("vilaine-redon-h").set_index("time")["value"]
    level.index = level.index.tz_convert("UTC").tz_localize(None)
    for _, row in table.iterrows():
        window = level[(level.index > row["issued"])
                       & (level.index <= row["issued"] + pd.Timedelta(hours=REPLAY_HORIZON_H))]
        assert row["observed_peak_m"] == pytest.approx(window.max())
        assert row["observed_peak_m"] == pytest.approx(level[row["flood_peak_time"]])  # the flood's own peak
        # a level the gauge already stood above at the issue time is not counted as announced
        at_issue = level[level.index <= row["issued"]].iloc[-1]
        for lvl in ("yellow", "orange", "red"):
            assert row[f"{lvl}_at_issue"] == (at_issue >= attrs[f"alert_{lvl}_m"])
    assert np.isfinite(table["forecast_peak_m"]).all() and table["forecast_peak_m"].between(0.5, 10).all()
    _, tampered_table = record(tampered)
    pd.testing.assert_frame_equal(table, tampered_table)
    assert attrs["synthetic_gauges"]


def test_the_record_says_the_same_in_the_app_and_the_cli(redon, capsys, tmp_path):
    """The page's « Fiabilité » box and ``twin flood run --past-floods`` of one scenario: the same peaks, the
    same alert counts, in the text and in the JSON."""
    import html
    import re

    from twin.app.i18n import fmt_number
    from twin.app.views.flood_record import record_html
    from twin.scenarios.flood_skill import alert_record

    spec = {"family": "flood", "forecast_time": EVENT, "horizon_h": 30, "members": 20, "seed": 3}
    out = FloodForecast(**{k: v for k, v in spec.items() if k != "family"}, past_floods=1).run(redon)
    table = out.table("past_forecasts")
    assert len(table) == 4  # 48, 36, 24 and 12 h before the peak, whatever the forecast's horizon
    text = re.sub(r"<[^>]+>", " ", html.unescape(record_html(out, "fr")))
    for _, row in table.iterrows():
        assert f"{fmt_number(round(row['forecast_peak_m'], 2), 'fr')}\u00a0m" in text
    records = {lvl: alert_record(table, lvl) for lvl in ("yellow", "orange", "red")}
    from twin.app.meeting_pack import alert_lists

    csv = alert_lists(out, None, "fr")["past_forecasts"].decode("utf-8-sig").splitlines()
    assert csv[0].startswith("pic de la crue (heure de Paris);émise avant le pic (h);émise (heure de Paris);pic") \
        and len(csv) == 5
    f = tmp_path / "flood.json"
    f.write_text(json.dumps(spec))
    assert main(["flood", "run", str(f), "--past-floods", "1"]) == 0
    said = capsys.readouterr().out
    assert "record on past floods: 1 of 1 found" in said
    for _, row in table.iterrows():
        assert f"{row['forecast_peak_m']:.2f}" in said
    for lvl, r in records.items():
        assert f"{lvl} ({out.data.attrs[f'alert_{lvl}_m']:g} m): {r['hits']} hits, {r['misses']} misses" in said
    assert main(["flood", "run", str(f), "--past-floods", "1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["record"]["alerts"] == records and len(doc["past_forecasts"]) == 4 and doc["indicators"]
    assert [round(r["forecast_peak_m"], 6) for r in doc["past_forecasts"]] == \
        [round(x, 6) for x in table["forecast_peak_m"]]
    assert record_html(FloodForecast(past_floods=0, horizon_h=24, members=20).run(redon), "fr") == ""
    # a 12 h forecast of the same time has the same record: the chain's, replayed over 54 h
    short = FloodForecast(forecast_time=EVENT, horizon_h=12, members=20, seed=3, past_floods=1).run(redon)
    pd.testing.assert_frame_equal(short.table("past_forecasts"), table)
    # « Comparer » says it from a saved variant's attributes alone (JSON: numbers as they come back), with the
    # box's figures
    from twin.app.report import comparison_html
    from twin.app.variants import Variant, outcome_rows
    from twin.app.views.flood_record import errors_sentence, level_sentence
    from twin.scenarios.flood_skill import record_summary

    saved = json.loads(json.dumps({k: (v.item() if hasattr(v, "item") else v) for k, v in out.data.attrs.items()},
                                  default=str))
    none = FloodForecast(forecast_time=EVENT, horizon_h=30, members=20, seed=3).run(redon)
    compared = re.sub(r"<[^>]+>", " ", html.unescape(comparison_html(
        [Variant("avec", "flood", "redon", {}, outcome_rows(out), attrs=saved),
         Variant("sans", "flood", "redon", {}, outcome_rows(none), attrs=dict(none.data.attrs))], "fr")))
    said = errors_sentence(record_summary(table), "fr")
    assert said and said in text and said in compared
    assert "4 prévisions rejouées sur 1 crue(s) passée(s)." in compared
    for lvl in ("yellow", "orange", "red"):  # each level's counts, as the box says them (its probabilities aside)
        sentence = level_sentence(table, lvl, out.data.attrs[f"alert_{lvl}_m"], "fr").split(" ; ")[0]
        assert sentence[:1].upper() + sentence[1:] in compared, (lvl, sentence)
    assert re.search(r"sans\s+: non calculée \(champ « Fiabilité : crues passées rejouées » à 0\)", compared)


def test_a_flood_run_says_above_its_cards_when_it_was_issued_and_where_the_river_stood(redon):
    """The issue time was only in the chart's title, 1 900 px down, and the river's level at issue in the
    comparison's folded details (a GEMAPI walkthrough): said above the cards, on Paris's clock."""
    import html
    from types import SimpleNamespace

    from twin.app.builder_run import forecast_issue_part
    from twin.app.i18n import fmt_number
    from twin.app.views.flood import local_clock

    out = FloodForecast(forecast_time=EVENT, horizon_h=24, members=20).run(redon)
    attrs = out.data.attrs
    note = html.unescape(forecast_issue_part(SimpleNamespace(lang="fr"), [], out, ""))
    issued = local_clock(pd.Timestamp(attrs["forecast_time"]))
    assert f"Prévision émise le {issued:%d/%m/%Y} à {issued.hour} h (heure de Paris)" in note
    stage = float(attrs["observed_stage_m"])
    assert f"l'échelle lisait {fmt_number(round(stage, 2), 'fr')}\u00a0m le " in note
    reached = [lvl for lvl in ("red", "orange", "yellow") if stage >= attrs[f"alert_{lvl}_m"]]
    assert ("déjà atteint" in note) == bool(reached)
    closure = StreetClosure(streets=["Grande Rue"]).run(redon)
    assert forecast_issue_part(SimpleNamespace(lang="fr"), [], closure, "") == ""
    # a what-if on the rain that fell is neither a forecast nor a replay of what happened
    scaled = FloodForecast(forecast_time=EVENT, horizon_h=24, rain="scaled", scale=1.5).run(redon)
    assert ">Scénario « et si » : pluie tombée × 1,5, depuis le " in html.unescape(
        forecast_issue_part(SimpleNamespace(lang="fr"), [], scaled, ""))


def test_the_record_counts_a_level_only_where_the_forecast_had_something_to_forecast():
    """CONSTRUCTED replayed forecasts (a check of the counting and of its sentences, not of a river): one issued
    with the gauge already above orange (left out), a hit, a miss, a false alarm and a quiet one; the
    probability given when orange came and when it did not; the peak's timing in words."""
    import pandas as pd

    from twin.app.views.flood_record import _timing, level_sentence, probability_sentence
    from twin.scenarios.flood_skill import alert_record

    df = pd.DataFrame({"orange_forecast": [True, True, False, True, False],
                       "orange_observed": [True, True, True, False, False],
                       "orange_at_issue": [True, False, False, False, False],
                       "orange_p_pct": [100.0, 80.0, 30.0, 60.0, 10.0]})
    assert alert_record(df, "orange") == {"hits": 1, "misses": 1, "false_alarms": 1, "correct_negatives": 1,
                                          "at_issue": 1}
    said = level_sentence(df, "orange", 4.5, "fr")
    assert said == ("seuil orange (4,5 m) : atteint dans 2 des prévisions comptées, annoncé par 1 de ces 2 ; annoncé "
                    "à tort 1 fois sur 2 ; probabilité donnée : 55 % en moyenne quand il a été atteint, 35 % quand il ne "
                    "l'a pas été (1 prévision(s) émise(s) avec l'échelle déjà au-dessus, non comptées)"), said
    assert probability_sentence(df[~df["orange_at_issue"]], "orange", "en") == (
        "probability given: 55 % on average when it came, 35 % when it did not")
    every = df.assign(orange_at_issue=True)
    assert level_sentence(every, "orange", 4.5, "en") == (
        "orange level (4.5 m): the gauge already stood above it when each of the 5 forecasts was issued: none "
        "forecast it")
    one = df.iloc[:2]  # one at issue, one hit: « the only horizon counted »
    assert level_sentence(one, "orange", 4.5, "fr").startswith(
        "seuil orange (4,5 m) : atteint dans la seule prévision comptée, annoncé par 1 sur 1")
    assert (_timing(-3.2, "fr"), _timing(2, "fr"), _timing(0.4, "en")) == ("pic 3 h trop tôt", "pic 2 h trop tard",
                                                                          "peak on time")
