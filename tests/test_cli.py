"""The `twin` command, called in-process as a user would call it."""

from __future__ import annotations

import json
import re

import pytest

from twin.cli import main


def test_run_default_territory_prints_the_same_kpis_on_the_first_and_second_run(tmp_path):
    """`make run` on a fresh clone (empty cache: the territory is built from OSM) and again (warm
    cache), each in its own process as a user runs it: no in-process cache carries over."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    twin = Path(sys.executable).with_name("twin")
    env = {**os.environ, "TWIN_CACHE": str(tmp_path / "cache")}
    runs = [subprocess.run([str(twin), "run"], env=env, capture_output=True, text=True, timeout=900) for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr[-2000:]
    first, second = (r.stdout for r in runs)
    assert "territory: redon" in first and "SYNTHETIC" in first and "generated" in first
    assert "scenario: street-closure" in first and "buildings_without_route" in first
    assert (tmp_path / "cache" / "redon" / "territory.json").exists()
    timing = re.compile(r"(loaded|ran) in [0-9.]+ s")
    assert timing.sub("", first) == timing.sub("", second)
    # the bins demo drives: a collection service with no kilometre would be a broken round
    km = re.search(r"truck_km_per_year +\S.*? +([0-9 ]+\.?[0-9]*) → ([0-9 ]+\.?[0-9]*)", first)
    assert km and float(km.group(1).replace(" ", "")) > 100 and float(km.group(2).replace(" ", "")) > 100, km


def test_info_json_on_an_osm_file(capsys, pdv_osm):
    assert main(["info", str(pdv_osm), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["layers"]["buildings"]["count"] > 1400
    assert info["graphs"]["drive"]["edges"] > 100
    assert info["layers"]["lamps"]["by_source"] == {"generated": info["layers"]["lamps"]["count"]}


def test_bad_input_prints_a_message_not_a_traceback(capsys, tmp_path):
    bad = tmp_path / "x.osm"
    bad.write_text("")
    assert main(["info", str(bad)]) == 1
    assert "x.osm: the file is empty" in capsys.readouterr().err


def test_sensors_register_and_import(capsys, tmp_path):
    store = tmp_path / "store"
    sensors = tmp_path / "sensors.csv"
    sensors.write_text("sensor_id,quantity,native_unit\nq1,discharge,l/s\n")
    obs = tmp_path / "obs.csv"
    obs.write_text("time,value\n2024-01-01T00:00Z,1500\n2024-01-01T01:00Z,-5\n")
    assert main(["sensors", "register", str(sensors), "--store", str(store)]) == 0
    assert main(["sensors", "import", str(obs), "--store", str(store), "--sensor", "q1"]) == 0
    assert "1 out_of_range" in capsys.readouterr().out
    assert main(["sensors", "import", str(obs), "--store", str(store), "--sensor", "q9"]) == 1
    assert "unknown sensor" in capsys.readouterr().err


def test_build_saves_a_loadable_territory(capsys, tmp_path, redon_osm):
    out = tmp_path / "t"
    assert main(["build", str(redon_osm), "--out", str(out)]) == 0
    assert main(["info", str(out)]) == 0
    assert "151 ways reference nodes outside the extract" in capsys.readouterr().out


def test_build_passes_osm_limits_and_refuses_unknown_ones(capsys, tmp_path, redon_osm):
    """--osm-limit NAME=VALUE reaches the OSM reader (Redon has 10,392 nodes: 1,000 is too few); an
    unknown name or a value that is not a positive whole number is a usage error naming the option."""
    assert main(["build", str(redon_osm), "--out", str(tmp_path / "t"), "--osm-limit", "max_nodes=1000"]) == 1
    assert "more than 1,000 nodes (limit OsmLimits.max_nodes)" in capsys.readouterr().err
    assert not (tmp_path / "t").exists()
    for bad, said in [("max_nodez=5", "unknown limit 'max_nodez' (known: max_bytes"),
                      ("max_nodes=many", "max_nodes: expected a whole number, got 'many'"),
                      ("max_nodes=0", "max_nodes: expected a positive number, got 0"),
                      ("max_nodes", "expected NAME=VALUE, got 'max_nodes'")]:
        with pytest.raises(SystemExit) as exit_:
            main(["build", str(redon_osm), "--out", str(tmp_path / "t"), "--osm-limit", bad])
        assert exit_.value.code == 2
        assert f"argument --osm-limit: {said}" in capsys.readouterr().err


def test_run_reads_its_demos_from_the_seed_configuration(capsys, tmp_path, monkeypatch):
    """The demos of `twin run` are the seed's (seeds/redon/seed.json); a broken configuration is a
    message naming the file and the entry, before any territory loads."""
    import twin.cli.common
    from twin import seeds

    shipped = seeds.seed_config()
    assert [d["scenario"]["family"] for d in shipped["demos"]] == [s.family for s in seeds.demo_scenarios()]
    monkeypatch.setattr(seeds, "SEEDS_DIR", tmp_path)
    monkeypatch.setattr(twin.cli.common, "load_territory", lambda *a, **k: pytest.fail("territory loaded"))
    (tmp_path / "redon").mkdir()
    config = tmp_path / "redon" / "seed.json"
    for text, said in [("{", "not valid JSON (line 1, column 2"),
                       (json.dumps({**shipped, "demos": [{"why": "x"}]}), "demos[0] must be"),
                       (json.dumps({**shipped, "demos": [{"scenario": {"family": "flood", "horizon_h": -1}}]}),
                        "demos[0]: "),
                       (json.dumps({**shipped, "defaults": []}), "\"defaults\": expected an object of scenario family")]:
        config.write_text(text)
        assert main(["run"]) == 1
        err = capsys.readouterr().err
        assert f"error: {config}: {said}" in err, err
    config.unlink()
    assert main(["run"]) == 1
    assert "seed.json: the seed's configuration is missing" in capsys.readouterr().err


def test_flood_alert_list_is_the_first_variants_buildings_to_alert(capsys, tmp_path):
    """--alert-list writes the outcome's buildings_to_alert of its first variant (deepest first, no
    variant column): as many rows as that variant's KPI, and says how many."""
    import re

    import pandas as pd

    scenario = tmp_path / "flood.json"
    scenario.write_text(json.dumps({"family": "flood", "forecast_time": "2023-02-24T00:00", "horizon_h": 72,
                                    "rain": "scaled"}))
    csv = tmp_path / "alert.csv"
    assert main(["flood", "run", str(scenario), "--alert-list", str(csv)]) == 0
    out = capsys.readouterr().out
    rows = pd.read_csv(csv)
    kpi = re.search(r"buildings_to_alert +\S.*?→ +([0-9 ]+)", out)
    assert kpi and len(rows) == int(float(kpi.group(1).replace(" ", ""))) > 0, out
    assert f"{len(rows)} buildings to alert written to {csv}; streets to close (OSM way ids): [" in out
    assert "variant" not in rows.columns and "building_id" in rows.columns
    assert rows["depth_m_p90"].is_monotonic_decreasing


def test_flood_says_where_the_river_is_and_refuses_options_it_would_ignore(capsys):
    """At the seed's default time the gauge reads 4.00 m, above yellow: the CLI says so beside « 0.0 h »;
    --horizon sets a run's horizon (it was read by replay only, and silently ignored by run); an option
    the action does not read is refused by name."""
    assert main(["flood", "run", "--horizon", "12"]) == 0
    out = capsys.readouterr().out
    assert "horizon 12 h" in out and "(the gauge read 4.00 m at 2023-01-24 23:00:00 UTC: yellow already " \
                                     "reached, lead time 0 h)" in out
    # 12 h cut the flood short: its « peak » and counts are the stage at the horizon's end, said to be minimums
    rising = [x for x in out.splitlines() if "the water still rises at the horizon's end in" in x]
    assert rising and all("buildings_to_alert" in x and "lengthen --horizon" in x for x in rising), out
    for argv, refused in ((["run", "--every", "3"], "twin flood run: --every: not read by run"),
                          (["replay", "--at", "2023-01-01"], "twin flood replay: --at: not read by replay"),
                          (["vigilance", "--horizon", "3"], "twin flood vigilance: --horizon: not read by vigilance"),
                          (["run", "--horizon", "2"], "--horizon 2: horizon_h: must be at least 6, got 2"),
                          (["replay", "--every", "0"], "--every at least 1"),
                          # the forecast's own bound, said before a run (it said « at least 1 », then failed on 6)
                          (["replay", "--horizon", "3"], "--horizon from 6 to 480"),
                          (["replay", "--rain", "observed", "--members", "5"],
                           "only an ensemble (--rain ensemble) has members")):
        assert main(["flood", *argv]) == 2
        assert refused in capsys.readouterr().err


def test_flood_help_says_what_each_action_does_and_reads(capsys):
    """`twin flood run --help` and `replay --help` printed the same option list, each option's action
    only in its own help line: the help now ends with each action, what it does and the options it
    reads (those it refuses are the others)."""
    from twin.cli.flood import READ_BY

    with pytest.raises(SystemExit):
        main(["flood", "replay", "--help"])
    epilog = " ".join(capsys.readouterr().out.split("actions:")[1].split())
    for action, names in READ_BY.items():
        reads = ", ".join("--" + n.replace("_", "-") for n in names) or "no option of its own"
        assert f"{action} " in epilog and f"reads {reads}" in epilog
    assert "only what was known at its issue time" in epilog


def test_a_family_command_refuses_another_familys_file(tmp_path, capsys):
    """A street closure given to `twin traffic roadworks` ran, printed its results, then failed on the
    roadworks' own lines with a traceback."""
    scenario = tmp_path / "closure.json"
    scenario.write_text(json.dumps({"family": "street-closure", "streets": ["Quai Saint-Jacques"]}))
    for command in (["traffic", "roadworks"], ["lighting", "run"], ["flood", "run"], ["bins", "run"]):
        assert main([*command, str(scenario)]) == 1
        captured = capsys.readouterr()
        assert f"a 'street-closure' scenario, not a '" in captured.err and "twin run --scenario" in captured.err
        assert "scenario: street-closure" not in captured.out


@pytest.mark.parametrize("spec, message", [
    # 1e308 mm overflowed the discharge to NaN and the run said nobody was to alert; 5,000 mm gave a 239 m river
    ({"rain": "forecast", "rain_forecast_mm": [1e308, 1e308]}, "rain 1e+308 at hour 0 is not a finite, non-negative"),
    ({"rain": "forecast", "rain_forecast_mm": [5000]}, "of at most 300 mm in an hour"),
    # a forecast beside the default ensemble of analogs changed nothing and said nothing
    ({"rain_forecast_mm": [200, 200, 200]}, "rain_forecast_mm is read only with rain forecast or rain ensemble, "
                                            "ensemble_base forecast"),
    ({"rain": "ensemble", "scale": 3}, "scale is read only with rain scaled"),
    # red at 1 m under a yellow at 5 m alerted red at once
    ({"alert_levels_m": {"yellow": 5, "orange": 3, "red": 1}}, "the levels must rise from yellow to orange to red"),
])
def test_a_flood_file_the_run_would_misread_is_refused(tmp_path, capsys, spec, message):
    scenario = tmp_path / "flood.json"
    scenario.write_text(json.dumps({"family": "flood", **spec}))
    assert main(["flood", "run", str(scenario)]) == 1
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err and "scenario: flood" not in captured.out


def test_a_flood_replay_without_its_period_or_a_reversed_one_is_refused(capsys):
    """Both crashed on a KeyError ('forecast_peak_m') with a traceback."""
    assert main(["flood", "replay"]) == 1
    assert "give the first and the last forecast times of the period (--start, --end)" in capsys.readouterr().err
    assert main(["flood", "replay", "--start", "2023-01-28", "--end", "2023-01-20"]) == 1
    assert "the period ends (2023-01-20 00:00:00) before it starts (2023-01-28 00:00:00)" in capsys.readouterr().err


def test_a_red_level_far_above_the_rating_curve_is_said_extrapolated(capsys, tmp_path):
    """Red set at 7 m on a curve fitted up to 5.26 m: its probability and time hang on the curve's extrapolation,
    said under the table as the app's cards say it; yellow and orange, within the fitted range, are not."""
    scenario = tmp_path / "flood.json"
    scenario.write_text(json.dumps({"family": "flood", "forecast_time": "2023-01-25T00:00", "horizon_h": 12,
                                    "alert_levels_m": {"yellow": 3.5, "orange": 4.5, "red": 7.0}}))
    assert main(["flood", "run", str(scenario)]) == 0
    out = capsys.readouterr().out
    assert "(the red level, 7.00 m, lies far above the rating curve's fitted range (up to " in out
    assert "p_red_pct and lead_time_red_h are extrapolated" in out and "the orange level" not in out


def test_a_forecast_time_inside_an_hour_is_said_to_run_from_its_hour(capsys):
    """« --at 2023-01-24 23:30 » ran from 23:00 and said so only in the footer's time."""
    assert main(["flood", "run", "--at", "2023-01-24 23:30", "--horizon", "12"]) == 0
    err = capsys.readouterr().err
    assert "--at 2023-01-24 23:30 runs from 2023-01-24 23:00 UTC, the hour it falls in" in err
    assert main(["flood", "run", "--at", "2023-01-24T23:00", "--horizon", "12"]) == 0
    assert "the hour it falls in" not in capsys.readouterr().err


def test_a_flood_replay_says_a_hindcast_is_one_and_replays_forecasts_as_issued(capsys):
    """The table of a replay on the rain that fell read as forecasts « 0 red alert missed »; only a JSON key
    said it knew the rain. A replay as issued then gives each forecast only the rain known at its time."""
    period = ["flood", "replay", "--start", "2023-01-24", "--end", "2023-01-25", "--every", "24"]
    assert main([*period, "--rain", "observed"]) == 0
    hindcast = capsys.readouterr().out
    assert hindcast.startswith("HINDCAST with perfect rain") and '"forecast_kind": "hindcast (perfect rain)"' in hindcast
    assert main([*period, "--members", "5"]) == 0  # as issued then, by default
    issued = capsys.readouterr().out
    assert issued.startswith("FORECASTS as issued then: 5 rain members") and '"forecast_kind": "forecast"' in issued
    assert '"members": 5' in issued and '"rain": "ensemble"' in issued
    assert main([*period, "--rain", "none", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rain"] == "none" and summary["forecasts"] == 2
    assert summary["members"] == 1  # one run without an ensemble (it said 200)


@pytest.mark.parametrize("at", ["1990-01-01", "2021-01-01", "2021-03-02"])
def test_a_flood_forecast_time_too_early_says_so(capsys, at):
    """Before the record it said « rg-redon and meteo-redon-t share fewer than two time steps »; 60 days in,
    « only 0 observed discharges in 2021-03-02 … 2021-03-01 » (nothing left to calibrate on)."""
    assert main(["flood", "run", "--at", at]) == 1
    err = capsys.readouterr().err
    assert f"forecast time {at} 00:00:00 is outside the data (2021-01-01 00:00:00 … " in err
    assert "at least 90 days of history are needed before it" in err and "share fewer" not in err


@pytest.mark.parametrize("argv, message", [
    (["buildings", "fit", "--meter", "m.csv", "--temperature", "t.csv", "--tz", "Mars/Olympus"],
     "argument --tz: 'Mars/Olympus' is no IANA time zone"),
    (["buildings", "rank", "--top", "-3"], "argument --top: '-3': expected a whole number, 1 or more"),
    (["lighting", "night-hours", "--lat", "200", "--lon", "2"], "argument --lat: '200': expected degrees from -90 to 90"),
    (["lighting", "night-hours", "--lat", "47", "--lon", "nan"], "argument --lon: 'nan': expected degrees"),
])
def test_options_out_of_their_range_get_the_usage_line_not_a_traceback(argv, message, capsys):
    """--tz Mars/Olympus ended in a ZoneInfoNotFoundError traceback, --top -3 printed every row but the last
    three, --lat 200 a ValueError from the sun's library."""
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_a_polar_night_is_said_not_raised(capsys):
    assert main(["lighting", "night-hours", "--lat", "75", "--lon", "2"]) == 1
    err = capsys.readouterr().err
    assert "the sun does not set and rise on" in err and "polar day or night are not modelled" in err
    assert "Traceback" not in err


def test_a_payback_prints_as_a_payback_not_a_change(capsys):
    """« payback_years 0.0 → 0.0 years » read as paid back at once; « 0.0 → 38.5 +38.5 » as a change."""
    assert main(["lighting", "run", "off-23-05"]) == 0
    lines = [x for x in capsys.readouterr().out.splitlines() if x.strip().startswith("payback_years")]
    assert lines and all("→" not in x and ("years" in x or "nothing invested" in x or "never" in x) for x in lines)


def test_the_building_ranking_prints_for_people_and_refuses_an_excel_name(capsys, tmp_path):
    assert main(["buildings", "rank", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out and "baseline_fit_uncertainty_kwh" in out and "nothing invested" in out
    assert not any(len(x.split(".")[-1]) > 3 for x in out.split() if x.replace(".", "").isdigit())  # no 303544.786687
    assert main(["buildings", "rank", "--out", str(tmp_path / "ranking.xlsx")]) == 2
    assert "expected a .csv or .geojson file" in capsys.readouterr().err and not (tmp_path / "ranking.xlsx").exists()
    # a GeoJSON has no Infinity: a payback that never comes is written null and said, not the driver's raw
    # « RuntimeWarning: NaN of Infinity value found. Skipped. »
    import warnings

    import geopandas as gpd

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["buildings", "rank", "--out", str(tmp_path / "ranking.geojson")]) == 0
    assert "null in payback_years: never" in capsys.readouterr().out
    written = gpd.read_file(tmp_path / "ranking.geojson")
    assert len(written) > 0 and written["payback_years"].isna().any() and written["gas_saved_kwh"].dtype.kind == "f"


def test_roadworks_refuses_calibrated_beside_a_scenario_file_and_assign_refuses_it(capsys, tmp_path):
    """--calibrated fits the demand on the counts for a roadworks run; beside a file it would override the
    file's scales in silence, and a TNTP network has no counts."""
    f = tmp_path / "works.json"
    f.write_text(json.dumps({"family": "roadworks", "streets": ["Quai Saint-Jacques"]}))
    assert main(["traffic", "roadworks", str(f), "--calibrated"]) == 2
    assert "--calibrated: would override the scales of the scenario file" in capsys.readouterr().err
    assert main(["traffic", "calibrate", "--calibrated"]) == 2
    assert main(["traffic", "assign", "--tntp", str(tmp_path), "--calibrated"]) == 2


def test_lighting_run_off_switches_every_lamp_off_in_that_window(capsys):
    """`twin lighting run --off 25:00-05:00` only answered « give a scenario file or a preset »: --off runs
    every lamp off in its window, an impossible hour is named, and beside a preset it is refused."""
    assert main(["lighting", "run", "--off", "23:00-05:00"]) == 0
    out = capsys.readouterr().out
    assert "cost_eur                   off 23:00-05:00" in out and "(-51" in out
    assert main(["lighting", "run", "--off", "25:00-05:00"]) == 1
    assert "time '25:00' is not HH:MM" in capsys.readouterr().err
    assert main(["lighting", "run", "off-23-05", "--off", "22:00-06:00"]) == 2


def test_calibrated_roadworks_on_a_territory_without_counts_is_refused(capsys, pdv_osm):
    """It ended in « AttributeError: 'NoneType' object has no attribute 'sensors' »."""
    assert main(["traffic", "roadworks", "--territory", str(pdv_osm), "--close", "Grande Rue", "--calibrated"]) == 2
    assert "has no sensor store, so no traffic count to fit the demand on" in capsys.readouterr().err
    assert main(["traffic", "calibrate", "--territory", str(pdv_osm)]) == 2
    assert "has no sensor store" in capsys.readouterr().err


def test_python_dash_m_twin_is_the_twin_command():
    """``python -m twin`` answered « No module named twin.__main__ »."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "twin", "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.startswith("usage: twin")


def test_roadworks_takes_a_signed_detour_and_says_what_the_works_hold(capsys):
    """The planner could sign a detour in a scenario file only, and the CLI said nothing of it, nor how much
    street the works hold (« Tronçons touchés : 4 » for 37 m of street, its two directions counted)."""
    assert main(["traffic", "roadworks", "--close", "Grande Rue", "--detour", "Rue Notre-Dame"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"the works hold \d+ m of street \(\d+ segment\(s\), both directions, closed except for "
                     r"residents\)", out), out
    assert re.search(r"signed detour Rue Notre-Dame: \+\d+ veh/h on the segment that gains most", out), out
    # an unnamed way placed by the streets it meets, not « way 177353244 »
    assert "unnamed way 177353244, between Pont des Douves, Quai de Brest and Rue des Douves" in out
    assert not re.search(r"(?<!unnamed )way \d+", out)
    assert main(["traffic", "calibrate", "--detour", "Rue Notre-Dame"]) == 2
    assert "--detour" in capsys.readouterr().err
