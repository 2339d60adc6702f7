"""Shared economics and local time: payback, discounting, the sourced factors table, hour windows."""

from __future__ import annotations

import math
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from twin.economics import FACTORS, annuity, cite, factor, load_factors, payback_years, present_value
from twin.errors import TwinError
from twin.scenarios.base import ScenarioError
from twin.timeutil import LOCAL_TZ, HourRangeError, parse_hour_range

# ------------------------------------------------------------------ payback


@pytest.mark.parametrize("capital, saving, expected", [
    (1000.0, 250.0, 4.0),
    (5950.0, 1190.0, 5.0),
    (0.0, 100.0, 0.0),  # nothing invested: nothing to repay
    (0.0, -100.0, 0.0),  # ... even when the variant costs more to run
    (0.0, 0.0, 0.0),
    (1000.0, 0.0, math.inf),  # money spent, nothing saved: never
    (1000.0, -50.0, math.inf),  # money spent, running costs more: never
    (1000.0, float("nan"), math.inf),  # no saving known is no saving
])
def test_payback_years(capital, saving, expected):
    assert payback_years(capital, saving) == expected


# ------------------------------------------------------------------ discounting


def test_present_value_against_a_hand_computed_value():
    # 100 €/year for 3 years at 4 %: 100/1.04 + 100/1.04² + 100/1.04³ = 96.1538 + 92.4556 + 88.8996
    assert present_value(100.0, 0.04, 3) == pytest.approx(277.5091, abs=1e-4)
    assert present_value(100.0, 0.0, 3) == 300.0  # no discounting: the plain sum
    assert present_value(100.0, 0.04, 0) == 0.0


def test_annuity_against_a_hand_computed_value_and_as_the_inverse_of_present_value():
    # 1000 € over 10 years at 4.5 %: 1000 × 0.045 / (1 − 1.045^−10), 1.045^10 = 1.5529694
    assert annuity(1000.0, 0.045, 10) == pytest.approx(126.3788, abs=1e-4)
    assert annuity(1000.0, 0.0, 10) == 100.0
    for rate in (0.0, 0.025, 0.045, 0.08):
        assert present_value(annuity(5000.0, rate, 20), rate, 20) == pytest.approx(5000.0, rel=1e-12)


@pytest.mark.parametrize("rate, years, match", [(-1.0, 10, "discount rate"), (float("nan"), 10, "discount rate"),
                                                (0.04, -1, "years"), (0.04, float("inf"), "years")])
def test_discounting_rejects_impossible_rates_and_durations(rate, years, match):
    with pytest.raises(ValueError, match=match):
        present_value(100.0, rate, years)
    with pytest.raises(ValueError, match=match):
        annuity(100.0, rate, years)
    with pytest.raises(ValueError, match="at least one period"):
        annuity(100.0, 0.04, 0)


# ------------------------------------------------------------------ the factors table

# The figures every scenario used before the table existed: the table must not change them silently.
FIGURES = {
    "fire_response_threshold_min": 20, "hospital_access_threshold_min": 30,
    "diesel_co2_kg_per_l": 3.16, "car_co2_kg_per_vkm": 0.193, "drive_time_value_eur_per_veh_h": 10, "gas_co2_kg_per_kwh": 0.227,
    "lighting_electricity_co2_kg_per_kwh": 0.053, "gas_price_eur_per_kwh": 0.10, "electricity_price_eur_per_kwh": 0.20,
    "electricity_subscription_eur_per_kva_year": 30.0, "lighting_power_factor": 0.9, "astronomical_clock_eur": 350.0,
    "connected_clock_eur": 900.0, "led_head_eur": 600.0, "led_power_ratio": 0.3, "retrofit_eur_per_m2": 150.0,
    "retrofit_ua_cut": 0.3, "bms_eur": 5000.0, "agent_eur_per_h": 28.0, "crew_per_truck": 2,
    "truck_fuel_l_per_100km": 30.0, "diesel_eur_per_l": 1.75, "compacting_bin_eur": 5950.0, "fill_sensor_eur": 250.0,
    "fill_sensor_eur_per_year": 60.0, "litter_bin_eur": 400.0, "people_per_household": 2.2,
    # the years what is bought is assumed to serve (a payback beyond them is not one)
    "led_head_life_years": 20, "clock_life_years": 15, "retrofit_life_years": 30, "bms_life_years": 15,
    "compacting_bin_life_years": 10, "litter_bin_life_years": 10, "fill_sensor_life_years": 5,
}


def test_every_factor_has_a_unit_a_year_and_a_source():
    assert set(FACTORS) == set(FIGURES)
    for name, f in FACTORS.items():
        assert f.name == name and f.unit and f.source, name
        assert isinstance(f.year, int) and 1990 <= f.year <= 2100, name
        assert math.isfinite(f.value), name
        assert f.value == FIGURES[name] and type(f.value) is type(FIGURES[name]), name
        assert factor(name) == f.value
    assert "3.16 kg CO2e/l" in cite("diesel_co2_kg_per_l")


def test_an_unknown_factor_names_the_known_ones():
    with pytest.raises(KeyError, match="no factor 'co2'.*diesel_co2_kg_per_l"):
        factor("co2")


def test_a_factor_without_source_or_with_a_bad_value_is_refused_with_its_line(tmp_path: Path):
    head = "name,value,unit,year,source,note\n"
    for row, why in (("a,1.0,€,2024,,x\n", "line 2, a: empty source"),
                     ("a,one,€,2024,s,x\n", "line 2, a: 'one' is not a number"),
                     ("a,1.0,€,2024.5,s,x\n", "expected a finite value and a year"),
                     ("a,1.0,€,2024,s,x\na,2.0,€,2024,s,x\n", "line 3: duplicate factor name 'a'"),
                     ("a,1.0,€,2024,Smith, 2020,x\n", "line 2: more fields than the header's 6")):
        path = tmp_path / "factors.csv"
        path.write_text(head + row, encoding="utf-8")
        with pytest.raises(ValueError, match=why):
            load_factors(path)
    path.write_text("name,value\na,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected the columns"):
        load_factors(path)


def test_scenario_defaults_are_the_table():
    from twin.scenarios.bins import COST_FACTORS, COSTS
    from twin.scenarios.flood import FloodForecast
    from twin.scenarios.flood_detours import FloodDetours
    from twin.scenarios.heating import HeatingSchedules
    from twin.scenarios.lighting import POWER_FACTOR, LightingSchedules
    from twin.scenarios.bins import BinCollection
    from twin.scenarios.roadworks import Roadworks

    defaults = {
        (FloodDetours, "fire_threshold_min"): "fire_response_threshold_min",
        (FloodDetours, "hospital_threshold_min"): "hospital_access_threshold_min",
        (Roadworks, "co2_kg_per_vkm"): "car_co2_kg_per_vkm",
        (Roadworks, "value_of_time_eur_per_veh_h"): "drive_time_value_eur_per_veh_h",
        (HeatingSchedules, "gas_eur_per_kwh"): "gas_price_eur_per_kwh",
        (HeatingSchedules, "co2_kg_per_kwh"): "gas_co2_kg_per_kwh",
        (HeatingSchedules, "retrofit_eur_per_m2"): "retrofit_eur_per_m2",
        (HeatingSchedules, "retrofit_ua_cut"): "retrofit_ua_cut",
        (HeatingSchedules, "bms_eur"): "bms_eur",
        (LightingSchedules, "price_eur_per_kwh"): "electricity_price_eur_per_kwh",
        (LightingSchedules, "subscription_eur_per_kva_year"): "electricity_subscription_eur_per_kva_year",
        (LightingSchedules, "co2_kg_per_kwh"): "lighting_electricity_co2_kg_per_kwh",
        (LightingSchedules, "astronomical_clock_eur"): "astronomical_clock_eur",
        (LightingSchedules, "connected_clock_eur"): "connected_clock_eur",
        (LightingSchedules, "led_power_ratio"): "led_power_ratio",
        (LightingSchedules, "led_cost_eur_per_lamp"): "led_head_eur",
        (FloodForecast, "people_per_building"): "people_per_household",
        (BinCollection, "compacting_bin_eur"): "compacting_bin_eur",
        (BinCollection, "bin_eur"): "litter_bin_eur",
        (BinCollection, "sensor_eur"): "fill_sensor_eur",
        (BinCollection, "sensor_eur_per_year"): "fill_sensor_eur_per_year",
        (BinCollection, "agent_eur_per_h"): "agent_eur_per_h",
        (BinCollection, "fuel_eur_per_l"): "diesel_eur_per_l",
    }
    for (cls, param_name), row in defaults.items():
        assert cls.param[param_name].default == factor(row), (cls.__name__, param_name)
    assert POWER_FACTOR == factor("lighting_power_factor")
    assert COSTS == {key: factor(row) for key, row in COST_FACTORS.items()}
    # the bins' costs as they were written before the table (figures unchanged, the crew still an int)
    assert COSTS == {"agent_eur_per_h": 28.0, "crew_per_truck": 2, "fuel_l_per_100km": 30.0, "fuel_eur_per_l": 1.75,
                     "co2_kg_per_l": 3.16, "compacting_bin_eur": 5950.0, "sensor_eur": 250.0,
                     "sensor_eur_per_year": 60.0, "bin_eur": 400.0}
    assert type(COSTS["crew_per_truck"]) is int
    # every factor of the table is some scenario's default
    used = set(defaults.values()) | set(COST_FACTORS.values()) | {"lighting_power_factor"}
    # the equipment lives are read where the payback is made (no parameter: they judge it, not set it)
    scenarios = " ".join(p.read_text() for p in (Path(__file__).parents[1] / "twin" / "scenarios").glob("*.py"))
    lives = {n for n in FACTORS if n.endswith("_life_years")}
    assert lives and all(f'factor("{n}")' in scenarios for n in lives)
    assert used | lives == set(FACTORS)


# ------------------------------------------------------------------ local time


def test_one_local_time_zone():
    import twin.scenarios.heating as heating
    import twin.scenarios.heating_park as heating_park
    import twin.synthetic.redon as redon

    assert ZoneInfo(LOCAL_TZ).key == "Europe/Paris"
    assert heating.LOCAL_TZ is heating_park.LOCAL_TZ is redon.LOCAL_TZ is LOCAL_TZ


@pytest.mark.parametrize("text, expected", [
    ("07:30-18:45", (450, 1125)),
    ("07-19", (420, 1140)),  # whole hours may drop the minutes
    (" 8:00 - 13:00 ", (480, 780)),
    ("22:30-05:00", (1350, 1740)),  # wraps past midnight
    ("00:00-24:00", (0, 1440)),  # the whole day
    ("18:00-24:00", (1080, 1440)),
    ("24:00-05:00", (0, 300)),  # 24:00 as a start is midnight
    ("07:30-07:15", (450, 1875)),  # 23 h 45 min, past midnight
])
def test_parse_hour_range_keeps_minutes_and_wraps(text, expected):
    assert parse_hour_range(text) == expected


@pytest.mark.parametrize("text, kind, shown", [
    ("morning", "syntax", "expected HH:MM-HH:MM"), ("7h30-18h45", "syntax", "expected HH:MM-HH:MM"),
    ("07:3-19", "syntax", "expected HH:MM-HH:MM"), ("07:60-19:00", "time", "07:60 is not a time of day"),
    ("25:00-05:00", "time", "25:00 is not a time of day"), ("24:30-05:00", "time", "24:30 is not a time of day"),
    ("08:00-08:00", "empty", "the window is empty"), ("24:00-00:00", "empty", "the window is empty"),
])
def test_parse_hour_range_errors_name_the_parameter(text, kind, shown):
    with pytest.raises(HourRangeError, match=shown) as info:
        parse_hour_range(text, "close_hours")
    assert info.value.kind == kind
    assert str(info.value).startswith(f"close_hours {text!r}: ")
    assert isinstance(info.value, ValueError) and isinstance(info.value, TwinError)


def test_the_bins_closure_window_stays_inside_one_day():
    from twin.scenarios.bins import _hours

    assert _hours("18:00-24:00") == (18.0, 24.0)
    assert _hours("08:20-13:40") == (8 + 20 / 60, 13 + 40 / 60)
    for bad, shown in (("22:00-05:00", "close_hours: '22:00-05:00' must be a window inside one day"),
                       ("08:00-08:00", "must be a window inside one day"),
                       ("morning", "close_hours: expected HH:MM-HH:MM, got 'morning'"),
                       ("18:75-20:00", "18:75 is not a time of day")):
        with pytest.raises(ScenarioError) as info:
            _hours(bad)
        assert shown in str(info.value)


def test_every_factor_is_the_default_of_a_family_that_names_it():
    from twin.scenarios import SCENARIOS

    named = [n for cls in SCENARIOS.values() for n in getattr(cls, "factors", ())]
    assert sorted(named) == sorted(FACTORS)  # each row once, in the family whose defaults it sets


def test_the_report_cites_the_factors_behind_a_familys_defaults():
    from twin.app.report import comparison_html
    from twin.app.variants import Variant

    v = Variant("works", "roadworks", "redon", {"streets": ["Grande Rue"], "co2_kg_per_vkm": 0.25}, [])
    text = comparison_html([v], "en")
    f = FACTORS["car_co2_kg_per_vkm"]
    assert "factors table" in text and f"car_co2_kg_per_vkm = 0.193 kg CO2/veh·km ({f.year}; " in text
    assert "diesel_co2_kg_per_l" not in text  # only the family's own rows
    # flood detours' KPIs are a roadworks run's: their CO2 per km and value of time are cited in its report too
    detours = comparison_html([Variant("crue", "flood-detours", "redon", {}, [])], "en")
    assert "drive_time_value_eur_per_veh_h = 10" in detours and "car_co2_kg_per_vkm" in detours
    closure = Variant("closed", "street-closure", "redon", {"streets": ["Quai Saint-Jacques"]}, [])
    assert "factors table" not in comparison_html([closure], "en")


def test_service_life_is_the_cost_weighted_life_of_what_is_bought():
    from twin.economics import life_note, read_life_note, service_life_years

    # 27 compacting bins (10 years) and 27 sensors (5 years): the bins' price weighs most
    assert service_life_years([(27 * 5950.0, 10.0), (27 * 250.0, 5.0)]) == pytest.approx(
        (5950 * 10 + 250 * 5) / 6200)
    assert math.isnan(service_life_years([(0.0, 10.0)])) and math.isnan(service_life_years([]))
    note = life_note({"retrofit": 30.0, "rien": float("nan"), "GTB": 15.0})
    assert read_life_note(note) == {"retrofit": 30.0, "GTB": 15.0}
    assert read_life_note("") == {} and read_life_note(None) == {} and read_life_note("not json") == {}
    from twin.economics import beyond_life

    assert beyond_life(38.5, 30.0) and not beyond_life(29.0, 30.0) and not beyond_life(float("inf"), 30.0)
    assert not beyond_life(38.5, float("nan"))
