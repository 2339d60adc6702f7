"""Flood anticipation on Redon's SYNTHETIC gauge: forecasts, ensembles, alerts, replay, closures."""

from __future__ import annotations

import json

import numpy as np
import pytest

from twin.scenarios import ScenarioError, StreetClosure
from twin.scenarios.flood import FloodForecast, replay
from twin.seeds import history_dir, load_default

EVENT = "2023-02-22T00:00"  # four days before the largest synthetic flood (peak 5.56 m on 2023-02-26)


@pytest.fixture(scope="module")
def redon():
    return load_default()


@pytest.fixture(scope="module")
def true_params():
    p = json.loads((history_dir() / "truth.json").read_text())["river"]["gr4h"]
    return [p["x1"], p["x2"], p["x3"], p["x4"]]


def test_ensemble_forecast_is_coherent_and_reproducible(redon, true_params):
    s = FloodForecast(forecast_time=EVENT, horizon_h=120, members=300, params=true_params, seed=4)
    out = s.run(redon)
    v = [str(x) for x in out.data["variant"].values][1]
    assert out.value("p_yellow_pct", v) >= out.value("p_orange_pct", v) >= out.value("p_red_pct", v) > 0
    assert out.value("peak_stage_p95_m", v) >= out.value("peak_stage_m", v) > out.value("peak_stage_m")
    assert out.value("buildings_to_alert", v) >= out.value("buildings_flooded", v)
    stage = out.data["stage_m"].sel(variant=v)
    assert stage.sizes == {"time": 120, "quantile": 3}
    assert (stage.sel(quantile=0.95) >= stage.sel(quantile=0.05)).all()
    assert out.data.attrs["floodplain"].endswith("(SYNTHETIC)")
    again = FloodForecast(forecast_time=EVENT, horizon_h=120, members=300, params=true_params, seed=4).run(redon)
    assert again.value("p_red_pct", v) == out.value("p_red_pct", v)
    other = FloodForecast(forecast_time=EVENT, horizon_h=120, members=300, params=true_params, seed=5).run(redon)
    assert other.value("peak_stage_p95_m", v) != out.value("peak_stage_p95_m", v)


def test_rain_inputs_order_the_peaks(redon, true_params):
    peaks = {}
    for rain in ("none", "observed", "scaled", "design"):
        out = FloodForecast(forecast_time=EVENT, horizon_h=120, rain=rain, params=true_params).run(redon)
        peaks[rain] = out.value("peak_stage_m", [str(x) for x in out.data["variant"].values][-1])
    assert peaks["none"] < peaks["observed"] < peaks["scaled"]
    assert peaks["design"] > peaks["none"]


def test_observed_rain_forecast_matches_the_gauge(redon, true_params):
    out = FloodForecast(forecast_time=EVENT, horizon_h=120, rain="observed", params=true_params).run(redon)
    level = redon.sensors.query("vilaine-redon-h", "2023-02-22T01:00Z", "2023-02-27T01:00Z")
    assert out.value("peak_stage_m", "observed rain") == pytest.approx(level["value"].max(), abs=0.10)


def test_replay_scores_the_chain_as_if_live(redon, true_params):
    df, summary = replay(redon, "2023-02-21T00:00", "2023-02-25T00:00", every_h=24, horizon_h=72,
                         params=true_params)
    assert summary["forecasts"] == 5 == len(df)
    assert summary["mean_abs_peak_error_m"] < 0.1
    assert summary["red"]["misses"] == 0 and summary["red"]["hits"] >= 1
    for lvl in ("yellow", "orange", "red"):
        assert sum(summary[lvl].values()) == 5


def test_alert_list_and_closures_feed_the_roadworks_scenario(redon, true_params):
    s = FloodForecast(forecast_time="2023-02-24T00:00", horizon_h=72, rain="observed", params=true_params)
    s.run(redon)
    alert = s.alert_list["observed rain"]
    assert len(alert) > 0 and (alert["depth_m_p90"] > 0).all()
    closures = s.closures["observed rain"]
    assert closures and all(isinstance(w, int) for w in closures)
    detour = StreetClosure(streets=closures).run(redon)
    assert detour.value("closed_street_length_m", "closed") > 0


def test_bad_forecast_times(redon, true_params):
    with pytest.raises(ScenarioError, match="outside the data"):
        FloodForecast(forecast_time="2030-01-01T00:00", params=true_params).run(redon)
    with pytest.raises(ScenarioError, match="outside the data"):
        FloodForecast(forecast_time="2021-01-10T00:00", params=true_params).run(redon)


def test_forecast_without_given_parameters_calibrates_on_the_past(redon):
    s = FloodForecast(forecast_time=EVENT, horizon_h=48, rain="observed")
    s.run(redon)
    fc = s.last_forecast
    assert fc["calibration"] is not None and fc["calibration"].calibration["nse"] > 0.95
    assert np.isfinite(fc["curve"].a)


def test_synthetic_dem_matches_the_hand_floodplain(redon):
    from twin.models.inundation import synthetic_dem, synthetic_hand

    fp = synthetic_hand(redon)
    assert fp.synthetic
    b = redon.layers["buildings"].total_bounds
    dem = synthetic_dem(fp, b, dx=10.0)
    assert dem.z.shape == (int(np.ceil((b[3] - b[1]) / 10)), int(np.ceil((b[2] - b[0]) / 10)))
    assert np.nanmin(dem.z) == -1.0  # the river bed
    assert np.nanmax(dem.z) > fp.bank_height_m


def test_lead_times_per_level_are_ordered(redon, true_params):
    out = FloodForecast(forecast_time=EVENT, horizon_h=120, members=200, params=true_params).run(redon)
    v = [str(x) for x in out.data["variant"].values][1]
    assert out.value("lead_time_yellow_h", v) <= out.value("lead_time_orange_h", v) <= out.value("lead_time_red_h", v)
