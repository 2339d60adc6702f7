"""Bad scenario files, parameters and named files end in one clear message — never a traceback, a
file's content, or a run that eats the machine (issue 25, items 2, 5 and 6).

Each table row is one bad input: the command must return 1 with a one-paragraph message naming the
file / parameter and what was expected, before any territory is loaded or any member computed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from twin.cli import main
from twin.scenarios import SCENARIOS, ScenarioError, load_scenario
from twin.sources.safe_files import InputFileError, check_input_path, excerpt, read_input_bytes

SECRET = "s3cr3t-T0KEN-4242"


def _never(*args, **kwargs):
    raise AssertionError("the territory was loaded / a member computed before the input was refused")


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if a command gets as far as loading a territory or running a member."""
    import twin.cli
    import twin.ensemble

    monkeypatch.setattr(twin.cli.common, "load_territory", _never)
    monkeypatch.setattr(twin.ensemble, "_run_batch", _never)


@pytest.fixture
def scen_dir(tmp_path, monkeypatch):
    """A scenario directory (also the working directory) and, beside it, a directory it may not read."""
    d = tmp_path / "scenarios"
    d.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.ics").write_text(f"TOKEN={SECRET}\n")
    (d / ".env").write_text(f"API_KEY={SECRET}\n")
    (d / "notes.ics").write_text(f"PASSWORD={SECRET}\n")
    (d / "calendars").mkdir()
    monkeypatch.chdir(d)
    monkeypatch.delenv("TWIN_INPUT_DIRS", raising=False)
    return d


def _deep(n: int) -> str:
    return '{"family": "flood", "params": ' + "[" * n + "]" * n + "}"


# (case, file content, words every message must hold)
RUN_CASES = [
    ("top-level list", '[{"family": "heating"}]', ["s.json", "JSON object", "not a list"]),
    ("top-level number", "42", ["s.json", "JSON object"]),
    ("100k-deep nesting", _deep(100_000), ["s.json", "nested more than 32"]),
    ("40-deep nesting", _deep(40), ["s.json", "nested more than 32"]),
    ("malformed JSON", '{"family": "flood", ', ["s.json", "not a readable JSON", "line 1"]),
    ("not UTF-8", b'{"family": "\xff\xfe"}', ["s.json", "UTF-8"]),
    ("unknown family", json.dumps({"family": "x" * 10_000}), ["s.json", "unknown scenario family"]),
    ("no family", json.dumps({"streets": ["Grande Rue"]}), ["s.json", 'no "family" key', "street-closure"]),
    ("rules:[42]", '{"family": "lighting", "rules": [42]}', ["s.json", "rules", "dict"]),
    ("rule without schedule", '{"family": "lighting", "rules": [{"zone": {"all": true}}]}',
     ["s.json", "rules[0]", "schedule"]),
    ("rule with unknown zone", '{"family": "lighting", "rules": [{"zone": {"moon": 1}, "schedule": {}}]}',
     ["s.json", "rules[0].zone", "expected one of"]),
    ("bad forecast_time", '{"family": "flood", "forecast_time": "next tuesday-ish"}',
     ["s.json", "forecast_time", "ISO 8601"]),
    ("seed -1", '{"family": "flood", "seed": -1}', ["s.json", "seed", "at least 0"]),
    ("bins seed -1", '{"family": "bins", "seed": -1}', ["s.json", "seed", "at least 0"]),
    ('params:[-1,"x"]', '{"family": "flood", "params": [-1, "x"]}', ["s.json", "params", "four numbers"]),
    ("params of 5", '{"family": "flood", "params": [1, 2, 3, 4, 5]}', ["s.json", "params"]),
    ("string alert level", '{"family": "flood", "alert_levels_m": {"yellow": "high", "orange": 4.5, "red": 5.5}}',
     ["s.json", "alert_levels_m", "metres"]),
    ("alert level missing", '{"family": "flood", "alert_levels_m": {"yellow": 3}}', ["s.json", "alert_levels_m"]),
    ("rain_forecast_mm text", '{"family": "flood", "rain_forecast_mm": ["a lot"]}', ["s.json", "rain_forecast_mm"]),
    ("flood over budget", '{"family": "flood", "members": 100000, "horizon_h": 480}',
     ["s.json", "members × horizon_h", "5,000,000"]),
    ("compacting_bins 1e9", '{"family": "bins", "compacting_bins": 1000000000}',
     ["s.json", "compacting_bins", "at most"]),
    ("bins at declared maxima", '{"family": "bins", "members": 1000, "days": 3660}',
     ["s.json", "members × days", "1,000,000"]),
    ("round weekday 9", '{"family": "bins", "round_weekdays": [9]}', ["s.json", "round_weekdays", "0–6"]),
    ("bins start not a date", '{"family": "bins", "start": "soon"}', ["s.json", "start", "YYYY-MM-DD"]),
    ("add_points not pairs", '{"family": "bins", "add_points": [[1, 2, 3]]}', ["s.json", "add_points[0]"]),
    ("unknown parameter", '{"family": "heating", "colour": "blue"}', ["s.json", "unknown parameter", "colour"]),
    ("roadworks hours", '{"family": "roadworks", "hours": "morning"}', ["s.json", "hours", "HH:MM-HH:MM"]),
    ("roadworks polygon", '{"family": "roadworks", "polygon": "POLYGON((1 2"}', ["s.json", "polygon", "WKT"]),
    ("seed true", '{"family": "flood", "seed": true}', ["s.json", "seed", "expected a number"]),
    # param's own wording named Python classes (« Number parameter 'Roadworks.capacity_factor' … »)
    ("capacity factor 1.5", '{"family": "roadworks", "capacity_factor": 1.5}',
     ["s.json: capacity_factor: must be less than 1, got 1.5"]),
    ("offset as text", '{"family": "lighting", "offset_min": "abc"}', ["s.json: offset_min: expected a number, got 'abc'"]),
    ("day method unknown", '{"family": "roadworks", "day_method": "daily"}',
     ["s.json: day_method: expected one of peak+off-peak, hourly, got 'daily'"]),
    ("streets of lists", '{"family": "roadworks", "streets": [[1]]}',
     ["s.json: streets: expected a list of text or whole numbers, got [[1]]"]),
    ("population NaN", '{"family": "water-break", "population": NaN}', ["s.json: population: expected a number, got nan"]),
    ("horizon as a fraction", '{"family": "flood", "horizon_h": 6.5}', ["s.json: horizon_h: expected a whole number, got 6.5"]),
    ("building ids not text", '{"family": "heating", "buildings": [42, [1]]}', ["s.json", "buildings", "list of text"]),
    ("calendar is a directory", '{"family": "heating", "booking_ics": "calendars"}',
     ["booking_ics", "calendars", "directory"]),
    ("calendar missing", '{"family": "heating", "booking_ics": "nowhere.ics"}', ["booking_ics", "no such file"]),
    ("calendar outside the input dirs", '{"family": "heating", "booking_ics": "../elsewhere/secret.ics"}',
     ["booking_ics", "outside the input directories", "--inputs"]),
    (".env calendar", '{"family": "heating", "booking_ics": ".env"}', ["booking_ics", "hidden"]),
    ("/proc/self/environ", '{"family": "heating", "booking_ics": "/proc/self/environ"}',
     ["booking_ics", "outside the input directories"]),
    ("/dev/zero", '{"family": "heating", "booking_ics": "/dev/zero"}', ["booking_ics", "outside the input directories"]),
    ("events_ics outside", '{"family": "lighting", "rules": [{"zone": {"all": true}, "schedule": '
                           '{"name": "x", "events_ics": "../elsewhere/secret.ics"}}]}',
     ["rules[0].schedule.events_ics", "outside the input directories"]),
    ("rain file outside", '{"family": "flood", "rain": "forecast", "rain_forecast_file": "/etc/passwd"}',
     ["rain_forecast_file", "outside the input directories"]),
]


@pytest.mark.parametrize("case,content,words", RUN_CASES, ids=[c[0] for c in RUN_CASES])
def test_twin_run_refuses_bad_scenarios_with_a_message(case, content, words, scen_dir, no_work, capsys):
    f = scen_dir / "s.json"
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(content)
    assert main(["run", "--scenario", str(f)]) == 1
    err = capsys.readouterr().err
    for w in words:
        assert w in err, f"{case}: {w!r} missing from {err!r}"
    assert "Traceback" not in err and SECRET not in err
    assert err.count("\n") == 1 and len(err) < 1000, f"{case}: not one short paragraph: {err[:300]!r}"


def test_the_app_guard_and_the_cli_agree_on_what_names_a_file():
    """The CLI's rule (safe_files) and the app's (uploads) list the same parameters as files."""
    from twin.app.uploads import server_file_parameters
    from twin.sources.safe_files import file_parameters

    spec = {"family": "lighting", "booking_ics": "a", "booking_ics_text": "BEGIN", "x_csv": "b",
            "rules": [{"zone": {"all": True}, "schedule": {"events_ics": "c"}}], "rain_forecast_file": ""}
    assert [w for w, _ in file_parameters(spec)] == server_file_parameters(spec) == \
        ["booking_ics", "x_csv", "rules[0].schedule.events_ics"]


def test_secret_files_are_never_opened_even_where_allowed(scen_dir, monkeypatch, capsys):
    """With /proc and /dev configured as input directories, pseudo-files and devices are still refused
    (before: /proc/self/environ was printed, /dev/zero read until 5.2 GB and MemoryError)."""
    monkeypatch.setenv("TWIN_INPUT_DIRS", os.pathsep.join(["/proc", "/dev", str(scen_dir)]))
    for target in ("/proc/self/environ", "/dev/zero"):
        f = scen_dir / "s.json"
        f.write_text(json.dumps({"family": "heating", "booking_ics": target}))
        with pytest.raises(ScenarioError, match="not a regular file"):
            load_scenario(f)
    with pytest.raises(InputFileError, match="not a regular file"):
        read_input_bytes("/dev/zero")


def test_a_symlink_out_of_the_input_directory_is_refused(scen_dir):
    link = scen_dir / "gym.ics"
    link.symlink_to(scen_dir.parent / "elsewhere" / "secret.ics")
    f = scen_dir / "s.json"
    f.write_text(json.dumps({"family": "heating", "booking_ics": "gym.ics"}))
    with pytest.raises(ScenarioError, match="outside the input directories") as e:
        load_scenario(f)
    assert SECRET not in str(e.value)


ICS = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nDTSTART:20230110T180000Z\nDTEND:20230110T200000Z\n" \
      "SUMMARY:Basket\nEND:VEVENT\nEND:VCALENDAR\n"


def test_files_next_to_the_scenario_or_in_input_dirs_are_read(tmp_path, monkeypatch):
    """Accepted: a relative path read from the scenario's own directory (whatever the working directory),
    an absolute one inside it, and one in a directory of TWIN_INPUT_DIRS / --inputs."""
    scen, data, other = tmp_path / "plans", tmp_path / "data", tmp_path / "cwd"
    for d in (scen, data, other):
        d.mkdir()
    (scen / "gym.ics").write_text(ICS)
    (data / "hall.ics").write_text(ICS)
    monkeypatch.chdir(other)
    monkeypatch.delenv("TWIN_INPUT_DIRS", raising=False)
    f = scen / "s.json"
    f.write_text(json.dumps({"family": "heating", "booking_ics": "gym.ics"}))
    assert load_scenario(f).booking_ics == str((scen / "gym.ics").resolve())
    f.write_text(json.dumps({"family": "heating", "booking_ics": str(data / "hall.ics")}))
    with pytest.raises(ScenarioError, match="outside the input directories"):
        load_scenario(f)
    monkeypatch.setenv("TWIN_INPUT_DIRS", str(data))
    assert load_scenario(f).booking_ics == str((data / "hall.ics").resolve())
    # configured directories replace the working-directory default
    (other / "cwd.ics").write_text(ICS)
    with pytest.raises(InputFileError, match="outside"):
        check_input_path("cwd.ics", what="booking_ics")
    monkeypatch.delenv("TWIN_INPUT_DIRS")
    assert check_input_path("cwd.ics", what="booking_ics") == (other / "cwd.ics").resolve()


def test_cli_inputs_option_allows_a_directory(tmp_path, monkeypatch, capsys):
    from twin.sources.safe_files import add_input_dirs

    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.delenv("TWIN_INPUT_DIRS", raising=False)
    add_input_dirs([data])
    assert os.environ["TWIN_INPUT_DIRS"] == str(data.resolve())
    with pytest.raises(InputFileError, match="not a directory"):
        add_input_dirs([tmp_path / "missing"])


# --------------------------------------------------------------------------------- readers
def test_calendar_errors_name_the_line_never_its_text(scen_dir):
    from twin.sources.ics import CalendarError, read_ics

    with pytest.raises(CalendarError, match=r"notes.ics: line 1: expected BEGIN:VCALENDAR") as e:
        read_ics(scen_dir / "notes.ics", "2023-01-01", "2023-02-01")
    assert SECRET not in str(e.value)
    bad = scen_dir / "bad.ics"
    bad.write_text(ICS.replace("SUMMARY:Basket\n", f"SUMMARY:Basket\nno colon {SECRET}\n"))
    with pytest.raises(CalendarError, match="line 8") as e:
        read_ics(bad, "2023-01-01", "2023-02-01")
    assert SECRET not in str(e.value)
    with pytest.raises(CalendarError, match="directory"):
        read_ics(scen_dir / "calendars", "2023-01-01", "2023-02-01")
    ok = scen_dir / "ok.ics"
    ok.write_text(ICS)
    assert read_ics(ok, "2023-01-01", "2023-02-01")["summary"].tolist() == ["Basket"]


def test_reads_are_bounded(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(InputFileError, match="more than the"):
        read_input_bytes(big, max_bytes=1000)
    assert read_input_bytes(big, max_bytes=2000) == b"x" * 2000


def test_hydro_csv_errors_do_not_quote_the_header(tmp_path):
    from twin.sources.hydro_csv import HydroDataError, read_airgr_csv

    f = tmp_path / "env.csv"
    f.write_text(f"AWS_SECRET={SECRET}\n1\n")
    with pytest.raises(HydroDataError, match="missing column") as e:
        read_airgr_csv(f)
    assert SECRET not in str(e.value)
    with pytest.raises(HydroDataError, match="not a regular file"):
        read_airgr_csv("/dev/zero")


def test_inventory_errors_show_a_short_sanitised_excerpt(tmp_path):
    """A 1 MB cell (here) or a 1 GB one (the issue) gives a short message: at most 24 characters of it."""
    from twin.sources.lamp_inventory import InventoryError, read_lamp_inventory, read_lamp_inventory_text

    huge = "Z" * 1_000_000
    text = f"lon,lat,power_w,technology,cabinet_id\n-2.08,47.65,70,{huge},C1\n"
    with pytest.raises(InventoryError, match="line 2") as e:
        read_lamp_inventory_text(text, territory=None, origin="lamps.csv")
    assert len(str(e.value)) < 400 and "unknown technology" in str(e.value)
    with pytest.raises(InventoryError, match="missing column") as e:
        read_lamp_inventory_text(f"TOKEN={SECRET}\n1\n", territory=None, origin="lamps.csv")
    assert SECRET not in str(e.value)
    with pytest.raises(InventoryError, match="not valid JSON .*line 1"):
        read_lamp_inventory_text("{oops", territory=None, origin="lamps.geojson")
    with pytest.raises(InventoryError, match="not a regular file"):
        read_lamp_inventory("/dev/zero", territory=None)
    assert excerpt("a\x1b[31mb" + "c" * 100) == repr("a??31mb" + "c" * 17 + "…")  # no terminal escapes


# --------------------------------------------------------------------------------- bins at run
def test_bins_run_checks_its_bins_before_simulating():
    bins = pd.DataFrame({"kind": ["waste_basket"] * 27 + ["recycling"] * 3})
    fake = SimpleNamespace(name="redon", layers={"bins": bins})
    with pytest.raises(ScenarioError, match="compacting_bins: 28 is more than the 27 litter bins"):
        SCENARIOS["bins"](compacting_bins=28).run(fake)
    # 40 members × 1000 days × 1 bin passes at construction, not with the 27 + 10 bins of the run
    s = SCENARIOS["bins"](members=40, days=1000, add_best=10)
    with pytest.raises(ScenarioError, match=r"40 × 1000 × 37"):
        s.run(fake)


# --------------------------------------------------------------------------------- twin ensemble
BINS = '{"family": "bins", "members": 1, "days": 7}'
ENSEMBLE_CASES = [
    ("malformed JSON", '{"family": "bins", ', [], ["s.json", "not a readable JSON", "line 1"]),
    ("top-level list", "[1]", [], ["s.json", "JSON object"]),
    ("members 1e9", BINS, ["--members", "1000000000"], ["members", "100,000"]),
    ("members 0", BINS, ["--members", "0"], ["members", "from 1"]),
    ("batch 0", BINS, ["--batch-size", "0"], ["batch_size"]),
    ("seed -1", BINS, ["--seed", "-1"], ["seed"]),
    ("no randomness", '{"family": "heating"}', [], ["no random input"]),
    ("bad parameter", '{"family": "bins", "days": 0}', [], ["ensemble", "days"]),
    ("file named outside", '{"family": "flood", "rain": "forecast", "rain_forecast_file": "../elsewhere/secret.ics"}',
     [], ["rain_forecast_file", "outside the input directories"]),
    ("--out an existing file", BINS, ["--out", "existing.txt"], ["existing.txt", "is a file"]),
    ("--out a directory of files", BINS, ["--out", "calendars"], ["calendars", "no Zarr store"]),
    ("--out in a missing directory", BINS, ["--out", "no/such/dir.zarr"], ["does not exist"]),
]


@pytest.mark.parametrize("case,content,extra,words", ENSEMBLE_CASES, ids=[c[0] for c in ENSEMBLE_CASES])
def test_twin_ensemble_refuses_at_once(case, content, extra, words, scen_dir, no_work, capsys):
    (scen_dir / "existing.txt").write_text("keep me")
    (scen_dir / "calendars" / "a.ics").write_text(ICS)
    f = scen_dir / "s.json"
    f.write_text(content)
    args = ["ensemble", str(f), "--members", "2", "--scheduler", "sync", *extra]
    assert main(args) == 1
    err = capsys.readouterr().err
    for w in words:
        assert w in err, f"{case}: {w!r} missing from {err!r}"
    assert "Traceback" not in err and SECRET not in err and err.count("\n") == 1
    assert (scen_dir / "existing.txt").read_text() == "keep me"


def test_a_corrupt_zarr_chunk_is_named_before_computing(tmp_path, no_work):
    """A store of this very ensemble (written by our own _initialise) with a damaged chunk: refused with
    a message saying so, before any member runs (before: RuntimeError from blosc after computing)."""
    from twin.ensemble import EnsembleError, _initialise, _write, run_ensemble

    spec = json.loads(BINS)
    out = tmp_path / "e.zarr"
    _initialise(out, 4, {"variant": ["baseline", "v"], "kpi": ["a"], "unit": ["-"], "impact": ["x"]}, spec, 0,
                "redon")
    _write(out, [0, 1], np.ones((2, 2, 1)))
    assert run_ensemble(spec, members=4, scheduler="sync", out=out, progress=False, max_batches=0)["done"].sum() == 2
    chunk = out / "value" / "0.0.0"
    assert chunk.exists()
    chunk.write_bytes(np.random.default_rng(0).bytes(64))
    with pytest.raises(EnsembleError, match="cannot be read .*corrupt"):
        run_ensemble(spec, members=4, scheduler="sync", out=out, progress=False)


# --------------------------------------------------------------------------------- twin sensitivity
SENS_CASES = [
    ("range not a pair", {"price_eur_per_kwh": 0.2}, [], ["price_eur_per_kwh", "[low, high]"]),
    ("range of text", {"price_eur_per_kwh": ["a", "b"]}, [], ["[low, high]"]),
    ("low >= high", {"price_eur_per_kwh": [0.3, 0.1]}, [], ["low < high"]),
    ("unknown input", {"colour": [0, 1]}, [], ["unknown input", "colour"]),
    ("not numeric", {"variant_name": [0, 1]}, [], ["variant_name", "not numbers"]),
    ("outside bounds", {"price_eur_per_kwh": [-1, 0.3]}, [], ["price_eur_per_kwh", "at least"]),
    ("too many runs", {"price_eur_per_kwh": [0.1, 0.3]}, ["--samples", "100000"], ["scenario runs", "10,000"]),
]


@pytest.mark.parametrize("case,uncertain,extra,words", SENS_CASES, ids=[c[0] for c in SENS_CASES])
def test_twin_sensitivity_refuses_bad_designs(case, uncertain, extra, words, scen_dir, no_work, capsys):
    f = scen_dir / "s.json"
    f.write_text(json.dumps({"family": "lighting", "uncertain": uncertain}))
    assert main(["sensitivity", str(f), *extra]) == 1
    err = capsys.readouterr().err
    for w in words:
        assert w in err, f"{case}: {w!r} missing from {err!r}"
    assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize("target,words", [("/dev/zero", "not a regular file"), ("/proc/self/environ", "not a regular file"),
                                          (".", "is a directory"), ("missing.json", "no such file")])
def test_the_scenario_file_itself_is_a_bounded_regular_file(target, words, scen_dir, no_work, capsys):
    """The file given on the command line: no location rule (the user named it), but /dev/zero is not read
    (before: read until memory ran out) and /proc/self/environ not printed."""
    for command in (["run", "--scenario", target], ["ensemble", target, "--members", "2"], ["sensitivity", target]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err and "PATH=" not in err


def test_oversized_scenario_file(scen_dir, no_work, capsys):
    f = scen_dir / "s.json"
    f.write_text(json.dumps({"family": "flood", "rain_forecast_mm": [0.0] * 400_000}))
    assert Path(f).stat().st_size > 1_000_000
    assert main(["run", "--scenario", str(f)]) == 1
    assert "more than the 1 MB" in capsys.readouterr().err


def test_error_messages_are_bounded(monkeypatch, capsys):
    """Whatever a library echoes (the issue: a 1 GB CSV field in a 1 GB message), the CLI prints at most
    2,000 characters of it and says how much was left out."""
    import twin.cli

    def huge(args):
        raise ScenarioError("bad value " + "Z" * 1_000_000)

    monkeypatch.setattr(twin.cli.run, "cmd_run", huge)
    parser = twin.cli.build_parser
    monkeypatch.setattr(twin.cli, "build_parser", lambda: _with_func(parser(), huge))
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert len(err) < 2100 and "998,010 characters more not shown" in err


def _with_func(parser, func):
    parser.set_defaults(func=func)
    for action in parser._subparsers._group_actions:
        for sub in action.choices.values():
            sub.set_defaults(func=func)
    return parser


def test_command_line_options_out_of_bounds_are_messages(no_work, capsys, monkeypatch):
    """Scenarios built from options (not files) say which option is out of bounds (before: param's
    ValueError as a traceback), e.g. twin traffic roadworks --capacity-factor 5."""
    import twin.cli

    monkeypatch.setattr(twin.cli.common, "load_territory", lambda *a, **k: None)
    assert main(["traffic", "roadworks", "--close", "Quai Saint-Jacques", "--capacity-factor", "5"]) == 1
    err = capsys.readouterr().err
    assert "capacity_factor" in err and "less than 1" in err and "Traceback" not in err


@pytest.mark.parametrize("family, param, text", [("bins", "start", "03/04/2023"),
                                                 ("bins", "start", "3 avril 2023"),
                                                 ("flood", "forecast_time", "22/02/2023 00:00")])
def test_a_date_not_written_year_first_is_refused_not_read_month_first(family, param, text):
    """« 03/04/2023 » typed by a French user meant 3 April; pandas read 4 March and the season ran a month
    early without a word. A date must be written YYYY-MM-DD: anything else is refused, naming the field."""
    with pytest.raises(ScenarioError, match=param) as err:
        SCENARIOS[family].from_dict({"family": family, param: text}).validate()
    assert err.value.key in ("err_date", "err_time") and err.value.values["text"] == text
    SCENARIOS[family].from_dict({"family": family, param: "2023-04-03"}).validate()  # ISO is read


def test_a_forecast_issue_time_not_written_year_first_is_refused():
    from twin.forecast.issue import issue_time
    from twin.sources.hydro_csv import HydroDataError

    with pytest.raises(HydroDataError, match="written year first"):
        issue_time("03/11/2007 06:00")
    assert issue_time("2007-11-03 06:00") == pd.Timestamp("2007-11-03 06:00")


def test_a_bin_added_outside_the_territory_is_refused(seed_territory):
    """[2.35, 48.85] (Paris) typed for Redon ran as a believable business case: 650 €, paid back in 12,2 years."""
    from twin.scenarios.bins import BinCollection

    spec = {"policy": "fixed", "round_weekdays": [0, 3], "members": 1, "days": 7}
    with pytest.raises(ScenarioError, match=r"add_points\[0\]: \[2.35, 48.85\] lies 3\d\d\.\d km") as err:
        BinCollection(add_points=[[2.35, 48.85]], **spec).run(seed_territory)
    assert err.value.key == "err_point_outside" and err.value.values["item"] == 1
    # a point in Redon's streets runs
    BinCollection(add_points=[[-2.0855, 47.6515]], **spec).run(seed_territory)


def test_no_truck_is_refused_by_the_bounds_and_wide_whole_numbers_get_a_box():
    """A « Camions » slider went down to 0, a run the model then refused; seeds (0…4 294 967 295), seasons
    (1…3 660 days) and compacting bins (0…1 000 for 27 bins) were sliders no one can set."""
    from twin.app.builder import MAX_SLIDER_STEPS

    with pytest.raises(ScenarioError, match="trucks: must be at least 1, got 0"):
        SCENARIOS["bins"].from_dict({"family": "bins", "trucks": 0})
    bounds = SCENARIOS["bins"].param["compacting_bins"].bounds
    assert bounds[1] - bounds[0] > MAX_SLIDER_STEPS


def test_a_metering_period_not_written_year_first_is_refused():
    from twin.calibration.buildings import MeterDataError, parse_period

    assert parse_period("2016-01-01:2017-01-01", "baseline") == ("2016-01-01", "2017-01-01")
    with pytest.raises(MeterDataError, match="dates written YYYY-MM-DD"):
        parse_period("03/04/2016:03/04/2017", "baseline")


def test_an_air_temperature_no_weather_gives_is_refused_naming_its_line(tmp_path):
    """500 °C fitted a heating slope without a word (`twin buildings fit`)."""
    from twin.sources.meters import MeterFileError, read_temperature_csv

    f = tmp_path / "t.csv"
    f.write_text("time,value\n2023-01-01,5\n2023-01-02,500\n")
    with pytest.raises(MeterFileError, match=r"line 3: air temperature 500 °C is outside -90…60 °C"):
        read_temperature_csv(f, unit="C")
    f.write_text("time,value\n2023-01-01,5\n2023-01-02,-12.5\n")
    assert read_temperature_csv(f, unit="C").tolist() == [5.0, -12.5]
