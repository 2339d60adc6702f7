"""The SYNTHETIC Redon history: reproducible from its seed, labelled, and faithful to its truth.json."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from twin.seeds import history_dir
from twin.sensors import SensorStore
from twin.synthetic import redon as gen


@pytest.fixture(scope="module")
def generated(seed_territory):
    return gen.generate(seed_territory)


@pytest.fixture(scope="module")
def shipped():
    return SensorStore(history_dir() / "sensors")


@pytest.fixture(scope="module")
def truth():
    return json.loads((history_dir() / "truth.json").read_text())


def test_same_seed_same_data_other_seed_other_data(seed_territory, generated):
    _, obs_a, truth_a = generated
    _, obs_b, truth_b = gen.generate(seed_territory)
    pd.testing.assert_frame_equal(obs_a, obs_b)
    assert truth_a == truth_b
    _, obs_c, _ = gen.generate(seed_territory, seed=gen.SEED + 1)
    assert len(obs_c) == len(obs_a)
    assert not np.allclose(obs_a["value"].to_numpy(), obs_c["value"].to_numpy())


def test_the_shipped_store_is_exactly_what_the_generator_makes(generated, shipped):
    sensors, obs, _ = generated
    stored = shipped.sql("SELECT sensor_id, time, value FROM observations ORDER BY sensor_id, time")
    expected = obs.sort_values(["sensor_id", "time"]).reset_index(drop=True)
    assert len(stored) == len(expected)
    assert (stored["sensor_id"].to_numpy() == expected["sensor_id"].to_numpy()).all()
    # Every native unit of the generator is already the canonical one.
    np.testing.assert_allclose(stored["value"].to_numpy(), expected["value"].to_numpy(), rtol=1e-12)
    assert set(shipped.sensors["sensor_id"]) == set(sensors["sensor_id"])


def test_every_series_is_labelled_synthetic(shipped):
    reg = shipped.sensors
    assert reg["synthetic"].all()
    assert reg["description"].str.startswith("SYNTHETIC").all()
    assert shipped.series("rg-redon").attrs["synthetic"] == "True"


def test_history_covers_three_years_with_every_required_family(shipped):
    s = shipped.summary()
    q = s["by_quantity"]
    assert q["precipitation"] >= 1 and q["discharge"] >= 1 and q["water_level"] >= 1
    assert q["gas_energy"] >= 18 and q["traffic_flow"] >= 4 and q["fill_level"] >= 10
    assert q["electric_energy"] >= 20 + 5  # buildings + lighting cabinets
    rain = shipped.query("rg-redon")
    span = rain["time"].max() - rain["time"].min()
    assert span >= pd.Timedelta(days=3 * 365 - 1)


def test_stage_follows_the_rating_curve_of_truth(shipped, truth):
    from twin.models.hydrology import RatingCurve

    curve = RatingCurve(**truth["river"]["rating_curve"])
    q = shipped.query("vilaine-redon-q").set_index("time")["value"]
    h = shipped.query("vilaine-redon-h").set_index("time")["value"]
    both = pd.concat([q, h], axis=1, keys=["q", "h"]).dropna()
    # Discharge carries 5 % lognormal noise, level 1 cm: residuals stay within a few cm.
    resid = both["h"] - curve.stage(both["q"])
    assert abs(resid.median()) < 0.02 and resid.abs().quantile(0.95) < 0.15
    outage = shipped.query("vilaine-redon-h", "2022-03-10", "2022-03-15")
    assert outage.empty  # the documented level outage is a gap, not invented values


def test_the_largest_river_flood_crosses_every_alert_level(shipped, truth):
    """The flood demo forecasts the largest synthetic flood (late February 2023) from 2023-02-22:
    the gauge must see it above the red level, while the river stays below yellow most of the time."""
    from twin.models.hydrology import RatingCurve

    alerts = truth["river"]["alert_levels_m"]
    assert alerts["yellow"] < alerts["orange"] < alerts["red"]
    h = shipped.series("vilaine-redon-h").to_series()
    daily = h.resample("1D").max()
    assert pd.Timestamp("2023-02-22") < daily.idxmax() < pd.Timestamp("2023-03-01")
    assert daily.max() > alerts["red"] + 0.03  # beyond the level noise (1 cm)
    assert (h < alerts["yellow"]).mean() > 0.8
    true_peak = RatingCurve(**truth["river"]["rating_curve"]).stage(truth["river"]["max_discharge_m3s"])
    assert true_peak > alerts["red"]


def test_building_heating_slopes_are_recoverable(shipped, truth):
    """An ordinary least squares change-point fit with the true balance point recovers the slope."""
    t = shipped.series("meteo-redon-t", "2021-01-01", "2023-01-01")
    t_daily = t.to_series().tz_localize("UTC").tz_convert("Europe/Paris").resample("1D").mean()
    for b in truth["buildings"]["per_building"][:6]:
        gas = shipped.series(f"{b['sensor_prefix']}-gas", "2020-12-31", "2023-01-01").to_series()
        gas.index = gas.index.tz_localize("UTC").tz_convert("Europe/Paris").normalize()
        df = pd.concat([gas, t_daily], axis=1, keys=["gas", "t"]).dropna()
        x = np.clip(b["balance_point_c"] - df["t"], 0, None)
        slope, _ = np.polyfit(x, df["gas"], 1)
        assert slope == pytest.approx(b["heating_slope_kwh_per_k_day"], rel=0.08), b["sensor_prefix"]


def test_traffic_counts_and_lighting_hours_match_truth(shipped, truth):
    for st in truth["traffic"]["stations"]:
        counts = shipped.series(st["sensor_id"], "2021-03-01", "2021-07-01").to_series()
        local = counts.tz_localize("UTC").tz_convert("Europe/Paris")
        peak = local[(local.index.hour == st["peak_hour_local"]) & (local.index.day_of_week < 4)]
        assert peak.mean() == pytest.approx(st["weekday_peak_hour_flow"], rel=0.03)  # Poisson noise only
    # The ~4,100 burning hours a year of the literature, with the 15-minute default.
    assert 4000 <= truth["lighting"]["burning_hours_first_year_full_night"] <= 4200
