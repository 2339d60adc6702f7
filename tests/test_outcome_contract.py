"""The outcome contract: everything a scenario produces is in its ``Outcome``, and nothing stays behind.

* the ``Outcome`` API: series and tables attached, saved to a directory and read back equal;
* every scenario family: one scenario object run twice gives equal outcomes and keeps no state
  between runs (its attributes are the same before and after), its outcome carries the layers,
  lists and series its views draw, and saved then loaded it is equal to the original.

Runs on the shipped seed only (no ../shared needed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from tests.test_paths import FAMILY_CASES
from twin.outcome import KPI, Outcome, leaving_out
from twin.scenarios import SCENARIOS

# What each family's views (map, chart, list, CLI export) read: table name -> (kind, key), and series.
CONTRACT = {
    "street-closure": {"tables": {"closed_streets": ("list", "edge")}, "series": []},
    "roadworks": {"tables": {"streets": ("layer", "edge")}, "series": ["peak_flow_veh_h", "hourly_vehicle_hours"]},
    "lighting": {"tables": {"lamps": ("layer", "lamp_id")}, "series": []},
    "heating": {"tables": {"buildings": ("layer", "building_id")}, "series": []},
    "flood": {"tables": {"buildings_to_alert": ("list", "building_id"), "streets_to_close": ("list", "edge")},
              "series": ["stage_m", "member_stage_m", "member_rain_mm"]},
    "bins": {"tables": {"bins": ("layer", "bin_id")}, "series": ["fill_mean_pct", "full_share_pct"]},
    "flood-detours": {"tables": {"streets": ("layer", "edge"), "streets_to_close": ("list", "edge"),
                                 "buildings": ("layer", "building_id")},
                      "series": ["peak_flow_veh_h", "hourly_vehicle_hours"]},
}


def _small_outcome() -> Outcome:
    kpis = [KPI("cost", "EUR/yr", "financial", "yearly cost"), KPI("served", "people", "human", "served", True)]
    out = Outcome.from_values("demo", kpis, {"baseline": {"cost": 100.0, "served": 5.0},
                                             "plan été": {"cost": 80.0, "served": np.nan}}, territory="redon")
    time = pd.date_range("2024-01-01", periods=4, freq="h")
    out.add_series("stage_m", xr.DataArray(np.arange(8.0).reshape(2, 4), dims=("variant", "time"),
                                           coords={"variant": out.variants, "time": time}),
                   unit="m", description="stage at the gauge")
    out.add_table("buildings", pd.DataFrame({"variant": ["baseline", "plan été"], "building_id": ["w1", "w1"],
                                             "gas_kwh": [1.5, np.nan], "flag": [True, False]}),
                  kind="layer", key="building_id", description="gas per building", units={"gas_kwh": "kWh/yr"})
    return out


def test_an_outcome_saved_and_loaded_is_equal(tmp_path):
    out = _small_outcome()
    again = Outcome.load(out.save(tmp_path / "o"))
    assert again.equals(out)
    assert again.series("stage_m").attrs["unit"] == "m"
    assert again.table_info["buildings"].units == {"gas_kwh": "kWh/yr"}
    assert again.first_variant == "plan été"


def test_equals_sees_a_changed_table_or_series():
    a, b = _small_outcome(), _small_outcome()
    assert a.equals(b)
    b.tables["buildings"].loc[0, "gas_kwh"] = 1.6
    assert not a.equals(b)
    c = _small_outcome()
    c.data["stage_m"][0, 0] = -1.0
    assert not a.equals(c)


def test_a_stage_or_a_lead_time_changes_in_its_unit_not_in_per_cent(tmp_path):
    """A river at 0,5 m rising to 4,7 m is not « +843 % » (the stage is read above a gauge's datum), nor a
    peak 1 h then 56 h after the forecast « +5 500 % »; a cost's change keeps its per cent, saved or not."""
    from twin.scenarios.flood import KPIS as FLOOD_KPIS

    assert {k.name for k in FLOOD_KPIS if not k.ratio_scale} == {
        "peak_stage_m", "peak_stage_p95_m", "peak_after_h", "lead_time_yellow_h", "lead_time_orange_h",
        "lead_time_red_h"}
    kpis = [KPI("peak_stage_m", "m", "human", "stage", ratio_scale=False), KPI("cost", "EUR/yr", "financial", "cost")]
    out = Outcome.from_values("demo", kpis, {"baseline": {"peak_stage_m": 0.5, "cost": 100.0},
                                             "pluie": {"peak_stage_m": 4.714, "cost": 80.0}})
    for o in (out, Outcome.load(out.save(tmp_path / "o"))):
        rows = {r["kpi"]: r for r in o.compare_rows() if r["variant"] == "pluie"}
        assert np.isnan(rows["peak_stage_m"]["change_pct"]) and rows["peak_stage_m"]["change"] == pytest.approx(4.214)
        assert rows["cost"]["change_pct"] == pytest.approx(-20.0)
    stage = next(x for x in out.to_text().splitlines() if "peak_stage_m" in x)
    assert stage.rstrip().endswith("+4.21") and "%" not in stage
    # nor on the comparer's and the verdicts' paths, which worked the % out again from value and baseline
    from twin.app.report import _cell
    from twin.app.verdicts import row_pct

    row = next(r for r in out.compare_rows() if r["kpi"] == "peak_stage_m" and r["variant"] == "pluie")
    assert row["ratio_scale"] is False and row_pct(row) is None and "%" not in _cell({**row, "baseline_name": "baseline"}, "fr")


def test_a_fall_that_is_only_stranded_demand_gets_no_verdict():
    """The same rows for every reader (CLI table and JSON, app, GeoPackage): a KPI that leaves out the
    trips with no route does not improve because trips lost their route."""
    kpis = leaving_out([KPI("vehicle_hours", "veh·h", "human", "driven"), KPI("co2_kg", "kg", "environmental", "CO2"),
                        KPI("no_route", "veh/h", "human", "stranded")],
                       {"no_route": ("vehicle_hours", "co2_kg")})
    assert [k.leaves_out for k in kpis] == ["no_route", "no_route", ""]
    out = Outcome.from_values("roadworks", kpis, {
        "baseline": {"vehicle_hours": 100.0, "co2_kg": 50.0, "no_route": 0.0},
        "cut off": {"vehicle_hours": 20.0, "co2_kg": 60.0, "no_route": 300.0},  # falls, rises: both stranded
        "detour": {"vehicle_hours": 90.0, "co2_kg": 45.0, "no_route": 0.0}})  # falls with nobody stranded
    rows = {(r["variant"], r["kpi"]): r for r in out.compare_rows()}
    assert rows["cut off", "vehicle_hours"]["better"] is None
    assert rows["cut off", "vehicle_hours"]["no_verdict"] == "leaves out no_route, which grew"
    assert rows["cut off", "vehicle_hours"]["higher_is_better"] is False  # the direction stays known
    assert rows["cut off", "co2_kg"]["better"] is False  # a rise stays worse: worse still with the stranded
    assert rows["detour", "vehicle_hours"]["better"] is True and "no_verdict" not in rows["detour", "vehicle_hours"]
    assert "(no verdict: leaves out no_route, which grew)" in out.to_text()
    with pytest.raises(ValueError, match="not among the KPIs"):
        leaving_out(kpis, {"no_route": ("vehicle_km",)})
    # a KPI not computed on either side (NaN → NaN: no school in the territory) has no verdict either way
    nan = Outcome.from_values("roadworks", kpis, {"baseline": {"vehicle_hours": np.nan, "co2_kg": 1.0, "no_route": 0.0},
                                                 "works": {"vehicle_hours": np.nan, "co2_kg": 1.0, "no_route": 0.0}})
    assert [r["better"] for r in nan.compare_rows() if r["variant"] == "works" and r["kpi"] == "vehicle_hours"] == [None]
    # an outcome saved before KPIs said what they leave out reads as leaving nothing out
    old = Outcome(out.data.drop_vars("leaves_out"))
    assert {r["better"] for r in old.compare_rows() if r["variant"] == "cut off" and r["kpi"] == "vehicle_hours"} \
        == {True}


def test_a_median_over_other_draws_gets_no_verdict():
    """A lead time is a median over the draws that reach the level: more rain makes more draws reach it, late
    ones among them, and the median 0,5 h later was shown as a gain. Over different shares of the draws,
    no verdict either way; over the same share, the direction as declared."""
    from twin.scenarios.flood import KPIS as FLOOD_KPIS

    assert {k.name: k.over_share for k in FLOOD_KPIS if k.over_share} == {
        f"lead_time_{lvl}_h": f"p_{lvl}_pct" for lvl in ("yellow", "orange", "red")}
    kpis = [KPI("p_red_pct", "%", "human", "share", statistic=True),
            KPI("lead_time_red_h", "h", "human", "lead", higher_is_better=True, ratio_scale=False,
                over_share="p_red_pct")]
    out = Outcome.from_values("flood", kpis, {"baseline": {"p_red_pct": 20.0, "lead_time_red_h": 6.0},
                                              "more rain": {"p_red_pct": 60.0, "lead_time_red_h": 6.5},
                                              "less rain": {"p_red_pct": 10.0, "lead_time_red_h": 5.0},
                                              "same share": {"p_red_pct": 20.0, "lead_time_red_h": 7.0}})
    rows = {r["variant"]: r for r in out.compare_rows() if r["kpi"] == "lead_time_red_h"}
    assert rows["more rain"]["better"] is None and rows["more rain"]["over_share"] == [60.0, 20.0]
    assert rows["more rain"]["no_verdict"] == "over 60 % of the members against 20 % (p_red_pct)"
    assert rows["less rain"]["better"] is None  # earlier, over fewer draws: no « worse » either
    assert rows["same share"]["better"] is True and "no_verdict" not in rows["same share"]
    assert "(no verdict: over 60 % of the members against 20 % (p_red_pct))" in out.to_text()


def test_tables_and_series_are_checked_and_named():
    out = _small_outcome()
    with pytest.raises(ValueError, match="key column 'id'"):
        out.add_table("x", pd.DataFrame({"a": [1]}), kind="list", key="id", description="x")
    with pytest.raises(ValueError, match="kind"):
        out.add_table("x", pd.DataFrame({"id": [1]}), kind="map", key="id", description="x")
    with pytest.raises(KeyError, match="has no table 'lamps'.*buildings"):
        out.table("lamps")
    with pytest.raises(KeyError, match="has no series 'rain'.*stage_m"):
        out.series("rain")


@pytest.fixture(scope="module")
def redon_territory():
    from twin.seeds import default_osm_path, history_dir, seed_defaults  # noqa: PLC0415
    from twin.sensors import SensorStore  # noqa: PLC0415
    from twin.territory import Territory  # noqa: PLC0415

    territory = Territory.from_osm(default_osm_path(), name="redon", defaults=seed_defaults())
    territory.sensors = SensorStore(history_dir() / "sensors")
    return territory


@pytest.mark.parametrize("family", sorted(FAMILY_CASES))
def test_a_scenario_is_a_pure_function_of_its_parameters_and_territory(family, redon_territory, tmp_path):
    spec = FAMILY_CASES[family]
    scenario = SCENARIOS[spec["family"]].from_dict(spec)
    state = set(vars(scenario))
    first = scenario.run(redon_territory)
    assert set(vars(scenario)) == state, f"{family}: run() left {sorted(set(vars(scenario)) - state)} on the scenario"
    second = scenario.run(redon_territory)
    assert first.equals(second), f"{family}: two runs of one scenario differ"

    contract = CONTRACT[family]
    for name, (kind, key) in contract["tables"].items():
        assert len(first.table(name).columns) > 1, name
        assert first.table_info[name].kind == kind and first.table_info[name].key == key, name
        assert first.table_info[name].description, name
    for name in contract["series"]:
        series = first.series(name)
        assert series.size and series.attrs.get("unit") is not None and series.attrs.get("description"), name
    assert Outcome.load(first.save(tmp_path / family)).equals(first)


def test_the_text_table_says_points_for_a_share_whole_people_and_what_left_of_the_arrow_is():
    """The CLI printed « p_orange_pct 14.0 → 35.5 % +21.5 (+153.6 %) », « 257.4 people » and never said that a
    forecast's left-hand figure is its no-rain run, not the river now."""
    kpis = [KPI("p_orange_pct", "%", "human", "chance of orange"), KPI("people_to_alert", "people", "human", "people"),
            KPI("cost", "€", "financial", "cost", higher_is_better=False)]
    out = Outcome.from_values("flood", kpis, {"baseline": {"p_orange_pct": 14.0, "people_to_alert": 180.2, "cost": 100.0},
                                              "rain": {"p_orange_pct": 35.5, "people_to_alert": 257.4, "cost": 150.0}},
                              baseline_meaning="no further rain")
    text = out.to_text()
    assert "(left of →: baseline, no further rain)" in text
    assert "14.0 → 35.5       %           +21.5 pts" in text and "153.6" not in text
    assert "180 → 257" in text and "+77" in text and "257.4" not in text
    assert "+50.0 (+50.0 %)" in text  # a cost still changes in per cent too
    counts = Outcome.from_values("flood", kpis, {"baseline": {"p_orange_pct": 1.0, "people_to_alert": 257.4, "cost": 1.0},
                                                 "rain": {"p_orange_pct": 1.0, "people_to_alert": 258.6, "cost": 1.0}})
    assert "257 → 259" in counts.to_text() and "+2" in counts.to_text()  # the change between the figures shown
    # 183,4 against 183,2 people: « 183 → 183 people 0 (+0.1 %) » where the app says « inchangé »
    same = Outcome.from_values("flood", kpis, {"baseline": {"p_orange_pct": 1.0, "people_to_alert": 183.2, "cost": 1.0},
                                               "rain": {"p_orange_pct": 1.0, "people_to_alert": 183.4, "cost": 1.0}})
    lines = {x.split()[0]: x for x in same.to_text().splitlines() if "→" in x}
    assert lines["people_to_alert"].endswith("183 → 183        people      unchanged"), lines
    assert lines["cost"].rstrip().endswith("unchanged") and "+0.0" not in same.to_text()
