"""Issue 24, a river without a gauge: the flood prior (regionalised GR4J sets, Hack's law, a Montana design
storm, Manning in a compound section, a floodplain drawn per member) and the forecast on it, whose alert
list carries each building's share of members."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from twin.calibration import flood_prior
from twin.models.channel import compound_depth_m, compound_discharge_m3s


def test_the_compound_section_inverts_and_matches_manning_in_the_channel():
    # in the channel, a wide rectangle: Q = (1/n) W h (W h / (W + 2h))^(2/3) √S, by hand
    W, n, S, b, s = 20.0, 0.04, 1e-3, 2.5, 0.02
    h = 1.2
    by_hand = (1 / n) * W * h * (W * h / (W + 2 * h)) ** (2 / 3) * np.sqrt(S)
    assert compound_discharge_m3s(h, W, n, S, b, s) == pytest.approx(by_hand)
    depths = np.array([[0.3, 1.2, 2.5, 3.0, 4.5]])
    q = compound_discharge_m3s(depths, W, n, S, b, s)
    assert (np.diff(q) > 0).all()  # more water, deeper
    np.testing.assert_allclose(compound_depth_m(q, [W], [n], [S], [b], [s]), depths, atol=2e-3)
    # over the bank the floodplain takes the water: a rise of 1 m carries more than in the bare channel
    bare = compound_discharge_m3s(3.5, W, n, S, 100.0, s)
    assert compound_discharge_m3s(3.5, W, n, S, b, s) > bare


def test_the_montana_design_depths_are_the_example_stations():
    a, b = flood_prior.MONTANA_EXAMPLE[10]
    assert flood_prior.design_depth_mm(10, 6) == pytest.approx(a * 360 ** (1 - b))
    assert flood_prior.design_depth_mm(100, 24) > flood_prior.design_depth_mm(10, 24) > flood_prior.design_depth_mm(10, 6)
    with pytest.raises(ValueError, match="return period"):
        flood_prior.design_depth_mm(7, 24)


def test_hacks_law_by_hand():
    # L = 1.4 A^0.6 in miles: A = 100 mi² (259 km²) has L = 1.4 × 100^0.6 = 22.19 mi (35.71 km)
    assert flood_prior.hack_area_km2(1.4 * 100 ** 0.6 * 1.609344) == pytest.approx(258.9988, rel=1e-6)


def test_the_prior_draws_recover_their_quartiles_and_replay_by_member():
    draws = flood_prior.draw_catchments(4000, 1, area_km2=None, length_km=35.71, width_m=None)
    for name, scale in (("x1", 1.0), ("x3", flood_prior.HOURLY_X3)):
        np.testing.assert_allclose(np.quantile(draws[name], [0.25, 0.5, 0.75]) / scale,
                                   flood_prior.GR4J_QUARTILES[name], rtol=0.06)  # recovery of the prior itself
    assert np.median(draws["area_km2"]) == pytest.approx(259.0, rel=0.06)
    assert np.median(draws["x2"]) / flood_prior.HOURLY_X2 == pytest.approx(-1.1, abs=0.08)
    # X4 grows with the area as S^0.3 (the same draws of X4u, an area ten times larger)
    small, large = (flood_prior.draw_catchments(50, 2, area_km2=a, length_km=None, width_m=10.0) for a in (100.0, 1000.0))
    np.testing.assert_allclose(large["x4"] / small["x4"], 10 ** 0.3)
    assert (small["width_m"] == 10.0).all()
    few = flood_prior.draw_catchments(3, 1, area_km2=None, length_km=35.71, width_m=None)
    np.testing.assert_allclose(few.to_numpy(), draws.head(3).to_numpy())
    cut = flood_prior.draw_catchments(400, 1, area_km2=None, length_km=0.6, width_m=None, clipped=True)
    assert cut["area_km2"].min() >= flood_prior.CLIPPED_AREA_KM2[0] and cut["area_km2"].max() <= 10_000
    assert cut["area_km2"].max() / cut["area_km2"].min() > 100  # orders of magnitude: the map says little


def test_the_main_river_of_a_village_and_of_a_cut_extract(pont_de_veyle, redon):
    veyle = flood_prior.main_river(pont_de_veyle)
    assert veyle.name == "La Veyle" and veyle.length_km > 10 and 10 < veyle.width_m < 60
    vilaine = flood_prior.main_river(redon, ("Vilaine",))
    assert "Vilaine" in vilaine.name and vilaine.clipped


@pytest.fixture(scope="module")
def village_flood(pont_de_veyle):
    from twin.scenarios.flood import FloodForecast

    return FloodForecast(horizon_h=120, members=100, seed=2).run(pont_de_veyle)


def test_a_river_without_a_gauge_is_forecast_on_the_prior_and_says_so(village_flood):
    out = village_flood
    attrs = out.data.attrs
    assert "no discharge gauge on La Veyle" in attrs["priors"] and "Hack" in attrs["priors"]
    assert attrs["forecast_kind"] == "forecast (prior: no gauge)" and "no official thresholds" in attrs["priors"]
    assert out.is_ensemble and len(out.member_seeds) == 100
    storm = out.variants[1]
    assert storm.startswith("10-year storm") and storm.endswith("(prior)")
    assert out.value("peak_stage_m", storm) > out.value("peak_stage_m")  # the storm raises the river
    members = out.member_values("peak_stage_m", storm)
    assert np.quantile(members, 0.95) > 2 * np.quantile(members, 0.05)  # a prior's width, not a point
    alert = out.table("buildings_to_alert")
    mine = alert[alert["variant"] == storm]
    assert len(mine) == out.value("buildings_to_alert", storm)
    assert (mine["p_flooded"] >= 0.1).all() and mine["p_flooded"].is_monotonic_decreasing
    # flooded: the expected number, every building's share summed (the listed ones, and those under 10 %)
    assert "expected number" in attrs["buildings_flooded_is"]
    assert out.value("buildings_flooded", storm) >= mine["p_flooded"].sum() - 1e-9
    assert out.value("buildings_flooded", storm) == pytest.approx(out.member_values("buildings_flooded", storm).mean())


def test_a_rarer_storm_raises_every_member(village_flood, pont_de_veyle):
    from twin.scenarios.flood import FloodForecast

    rare = FloodForecast(horizon_h=120, members=100, seed=2, return_period_years=100).run(pont_de_veyle)
    ten, hundred = village_flood.variants[1], rare.variants[1]
    assert (rare.member_values("peak_stage_m", hundred) >= village_flood.member_values("peak_stage_m", ten) - 1e-9).all()
    given = FloodForecast(horizon_h=120, members=20, seed=2, area_km2=690.0).run(pont_de_veyle)
    assert given.data.attrs["area_from"] == "given" and "690 km² (given)" in given.data.attrs["priors"]


def test_an_ungauged_river_refuses_a_hindcast_and_an_unknown_return_period(pont_de_veyle):
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.flood import FloodForecast

    with pytest.raises(ScenarioError, match="no discharge gauge.*observed"):
        FloodForecast(rain="observed").run(pont_de_veyle)
    with pytest.raises(ScenarioError, match="return_period_years"):
        FloodForecast(return_period_years=7).run(pont_de_veyle)


def test_a_bare_copy_of_the_seed_forecasts_its_river_on_the_prior_with_its_own_area():
    from twin.scenarios.flood import FloodForecast
    from twin.seeds import load_default

    bare = copy.copy(load_default())
    bare.sensors = None  # the seed with its sensors removed: its defaults still say which river and how large
    out = FloodForecast(members=20, horizon_h=96).run(bare)
    assert out.data.attrs["area_from"] == "given" and out.data.attrs["river"].endswith("Vilaine")


@pytest.mark.parametrize("x1,x2,x3,x4", [(291, -1.1, 76, 2.1), (208, -2.0, 35, 1.75), (359, -0.6, 90, 2.45)])
def test_the_hourly_parameters_keep_the_daily_models_water_balance(x1, x2, x3, x4):
    """The same two years of rain, daily through GR4J and spread over the hours through GR4H with the
    converted parameters (X2 × 24^(−1/8), X3 × 24^(1/4), X4 × 24): the same volume within 6 % (X2 / 24 gave
    up to 50 % more: the exchange switched off)."""
    from twin.models.hydrology import GR4Params, gr4

    rng = np.random.default_rng(1)
    rain = np.where(rng.random(730) < 0.45, rng.gamma(0.8, 8.0, 730), 0.0)
    pet = np.full(730, 2.0)
    daily = gr4(rain, pet, GR4Params(x1, x2, x3, x4), timestep="daily")[365:].sum()
    hourly = gr4(np.repeat(rain / 24, 24), np.repeat(pet / 24, 24),
                 GR4Params(x1, x2 * flood_prior.HOURLY_X2, x3 * flood_prior.HOURLY_X3, 24 * x4),
                 timestep="hourly")[365 * 24:].sum()
    assert hourly == pytest.approx(daily, rel=0.06)


def test_without_rain_every_member_recedes_and_the_storms_peak_falls_inside_the_horizon(pont_de_veyle):
    from twin.scenarios.flood_ungauged import ungauged_forecast

    fc = ungauged_forecast(pont_de_veyle, members=100, seed=4, horizon_h=24, return_period_years=10, design_mm=None,
                           duration_h=24, shape="triangular", area_km2=None, river_names=(), forecast_time=None)
    base = fc["runs"]["baseline"]["discharge"]
    # steady stores: a recession, never a rise (but for rounding crumbs of the unit hydrographs' spin-up)
    assert (np.diff(base, axis=1) <= 1e-4 * base[:, :-1]).all() and (base[:, -1] <= base[:, 0]).all()
    assert fc["horizon_h"] > 24  # lengthened: the prior's flood waves take days
    stage = fc["runs"]["variant"]["stage"]
    assert (stage.argmax(axis=1) < stage.shape[1] - 1).mean() >= 0.9  # the peak seen, not cut by the horizon


def test_two_river_names_find_the_river(pont_de_veyle):
    river = flood_prior.main_river(pont_de_veyle, ("Veyle", "Saône"))
    assert river is not None and "Veyle" in river.name


def test_the_prior_s_counts_say_on_their_cards_how_they_are_counted(village_flood):
    """« bâtiments inondés » and « à alerter » read as one count at two thresholds; on a river without a gauge the
    first is an expected number (shares summed) and the second the buildings flooded in 1 draw in 10 or more
    (a GEMAPI technician's walkthrough): each card says which."""
    from twin.app.cards import card_note
    from twin.app.variants import outcome_rows

    storm = village_flood.variants[1]
    rows = {r["kpi"]: r for r in outcome_rows(village_flood) if r["variant"] == storm}
    assert card_note(rows["buildings_flooded"], "fr").startswith("nombre attendu")
    assert card_note(rows["buildings_to_alert"], "fr") == "inondés dans au moins 1 tirage sur 10"
    assert "1 tirage sur 10" in card_note(rows["people_to_alert"], "fr")
    assert card_note(rows["streets_to_close"], "en") == "under water in at least half of the draws"
    assert card_note(rows["peak_stage_m"], "fr").startswith("médiane des pics")  # not a count: its own note
