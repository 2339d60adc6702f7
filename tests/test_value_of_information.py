"""Issue 24: what information is worth to a decision (EVPI, EVPPI, EVSI) — on cases built by hand, and on the
bins of a village without fill records."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from twin.models.value_of_information import evpi, value_of_information


def _two_options(theta):
    """Option 0 costs 10 whatever the world; option 1 costs 10 + 5·θ: best when θ < 0."""
    return np.column_stack([np.full(len(theta), 10.0), 10.0 + 5.0 * theta])


def test_information_that_cannot_change_the_choice_is_worth_nothing():
    theta = np.linspace(-1, 1, 41)
    costs = np.column_stack([np.full(41, 10.0), np.full(41, 12.0) + theta])  # option 0 best in every world
    choice, perfect = evpi(costs)
    value = value_of_information(costs, theta, 0.1)
    assert choice == 0 and perfect == 0.0 and value.evpi == value.evppi == value.evsi == 0.0
    assert value.choice_changes_share == 0.0


def test_information_that_changes_the_choice_is_worth_what_the_hand_computation_says():
    theta = np.linspace(-1, 1, 401)
    costs = _two_options(theta)
    # under the prior both cost 10 on average: the first is kept; knowing θ takes option 1 when θ < 0,
    # saving 5·|θ| there. A reading θ + ε (ε ~ N(0, σ²)) takes it when the reading is below 0: the saving
    # −5θ in the worlds where that happens, with probability Φ(−θ/σ)
    sigma = 0.3
    value = value_of_information(costs, theta, sigma, draws=40)
    assert value.prior_choice == 0
    assert value.evpi == pytest.approx(np.mean(5 * np.maximum(-theta, 0)))
    assert value.evppi == pytest.approx(value.evpi, rel=1e-6)  # the costs depend on θ alone
    by_hand = np.mean(-5 * theta * norm.cdf(-theta / sigma))
    assert value.evsi == pytest.approx(by_hand, rel=0.05)
    assert value_of_information(costs, theta, 0.01).evsi == pytest.approx(value.evpi, rel=0.03)  # a sharp reading
    assert value_of_information(costs, theta, 50.0).evsi < 0.1 * value.evpi  # a reading lost in its noise


def test_noise_of_the_worlds_is_not_information():
    """Costs that do not depend on θ at all, but on each world's own noise: perfect information on
    everything is worth something (the noise), knowing θ or reading it is worth about nothing."""
    rng = np.random.default_rng(4)
    theta = rng.normal(size=400)
    costs = 10.0 + rng.normal(size=(400, 3))
    value = value_of_information(costs, theta, 0.01)
    assert value.evpi > 0.5 and value.evppi < 0.1 and value.evsi < 0.1


def test_the_value_of_a_sample_never_exceeds_that_of_perfect_information():
    rng = np.random.default_rng(3)
    for trial in range(20):
        theta = rng.normal(size=60)
        costs = rng.normal(size=(60, 4)) + np.outer(theta, rng.normal(size=4))
        v = value_of_information(costs, theta, float(rng.uniform(0.05, 3.0)), seed=trial)
        assert 0 <= v.evsi <= v.evppi + 1e-9 and v.evpi >= 0


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="expected one value per world"):
        value_of_information(np.zeros((3, 2)), [0.0, 1.0], 0.1)
    with pytest.raises(ValueError, match="finite number"):
        evpi([[1.0, np.nan]])
    with pytest.raises(ValueError, match="positive error"):
        value_of_information(np.zeros((2, 2)), [0.0, 1.0], 0.0)


def test_what_fill_sensors_are_worth_to_a_village_choosing_its_rounds(pont_de_veyle):
    from twin.scenarios.bins_sensors import sensor_value

    r = sensor_value(pont_de_veyle, members=24, days=21)
    v = r["value"]
    assert "PRIOR" in r["prior"] and r["bins"] >= 1 and len(r["schedules"]) == 4
    assert 0 <= v["evsi_eur_per_year"] <= v["evppi_eur_per_year"] + 1e-9
    low, high = v["evsi_band_eur_per_year"]
    assert low <= v["evsi_eur_per_year"] <= high
    # the verdict follows the band: "pay" only when all of it is above the cost, "do not" when all below
    cost = r["sensors_eur_per_year"]
    expected = "they pay" if low > cost else "do not pay" if high < cost else "undecided"
    assert expected in r["verdict"]


def test_a_town_with_fill_records_has_nothing_left_for_new_sensors_to_tell():
    from twin.scenarios.bins_sensors import sensor_value
    from twin.seeds import load_default

    r = sensor_value(load_default(), members=4, days=7, schedules=((0,), (0, 3)))
    assert r["value"] is None and "already has fill records" in r["verdict"]


def test_a_reading_per_option_is_regressed_option_by_option():
    """Two buildings, each option's return its own building's θ (independent, standard normal): knowing both
    picks the larger, E[max(θ1, θ2)] = 1/√π, against 0 on the prior (hand computation)."""
    rng = np.random.default_rng(5)
    theta = rng.standard_normal((4000, 2))
    costs = -theta + 0.3 * rng.standard_normal((4000, 2))  # each world's own noise is not information
    value = value_of_information(costs, theta, 0.01, draws=5)
    assert value.evppi == pytest.approx(1 / np.sqrt(np.pi) - max(theta.mean(axis=0)), abs=0.03)
    assert value.evsi <= value.evppi <= value.evpi  # the noise inflates only the per-world EVPI
    blurred = value_of_information(costs, theta, 1.0, draws=5)
    # a reading θ + ε with ε ~ N(0, 1): E[θ | reading] = reading / 2 ~ N(0, ½), and the max of two such is
    # worth sd/√π = 1/√(2π)
    assert blurred.evsi == pytest.approx(1 / np.sqrt(2 * np.pi), abs=0.04)
    assert blurred.evsi < value.evsi
    with pytest.raises(ValueError, match="one per world and option"):
        value_of_information(costs, theta[:, :1], 0.1)


def test_what_gas_meters_are_worth_to_the_choice_of_the_building_to_retrofit_first(pont_de_veyle):
    from twin.scenarios.heating_meters import buildings_table, meter_value

    result = meter_value(pont_de_veyle, members=60)
    v = result["value"]
    lo, hi = v["evsi_band_eur_per_year"]
    assert 0 < lo <= v["evsi_eur_per_year"] <= hi  # the readings change the choice: worth something, with a band
    assert 0 < v["choice_changes_share"] < 1
    table = buildings_table(result)
    # a building's return on the budget is at most its own saving: a small one cannot absorb it all
    small = table.loc[table["investment_eur"].idxmin()]
    assert small["investment_eur"] < result["budget_eur"]
    assert small["expected_return_eur_per_year"] < table["expected_return_eur_per_year"].max()
    more = meter_value(pont_de_veyle, members=60, budget_eur=1e7)["value"]["evsi_eur_per_year"]
    # a budget 100 times larger covers every building: worth far less than 100 times as much (0.6× here: the
    # biggest building wins in most worlds), where returns proportional to the budget gave exactly 100×
    assert more < 5 * v["evsi_eur_per_year"]
    assert "gas meters on every building worth" in result["verdict"]


def test_a_territory_with_gas_meters_has_nothing_left_for_the_prior_to_value():
    from twin.scenarios.heating_meters import meter_value
    from twin.seeds import load_default

    result = meter_value(load_default(), members=2)
    assert result["value"] is None and "already has gas meters" in result["verdict"]
