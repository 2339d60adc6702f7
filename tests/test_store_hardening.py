"""The sensor store under concurrent writers, crashes and bad or damaged input (issue 25, items 3, 4, 5, 7).

Concurrency tests run real separate processes (a small worker script on the same code path as
``twin sensors``); a pause injected between the checks and the write makes both writers overlap
every time, so without the writer lock these tests fail (they did: the same file imported twice at
once stored every row twice, two registers kept one sensor set).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from twin.sensors import (MISSING, SAME_VALUE_RTOL, SUSPECT, SensorDataError, SensorStore, StoreBusyError,
                          same_value)
from twin.storage import atomic_file

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TWIN = ROOT / ".venv" / "bin" / "twin"

REGISTRY = "sensor_id,quantity,native_unit\nh1,water_level,m\nt1,air_temperature,degC\nrg1,precipitation,mm\n"

# A writer process that works through a list of stores: it starts on store i at the wall-clock
# time ``start + i·period`` (both writers of a pair begin together, whatever their import time) and
# pauses ``delay`` seconds after all its checks, just before it writes (inside the store's
# atomic_file), so that both are past their checks before either writes. One line of JSON per store.
WORKER = r"""
import contextlib, json, sys, time
import twin.sensors as m
delay, action, path, start, period = float(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
orig = m.atomic_file
@contextlib.contextmanager
def slow(target):
    time.sleep(delay)
    with orig(target) as tmp:
        yield tmp
        if action == "import-and-hang":
            print("written", flush=True)
            time.sleep(60)
m.atomic_file = slow
for i, store in enumerate(sys.argv[6:]):
    time.sleep(max(0.0, start + i * period - time.time()))
    s = m.SensorStore(store)
    try:
        out = s.register_csv(path) if action == "register" else s.ingest_csv(path)
        print(json.dumps({"ok": True, "out": str(out)}), flush=True)
    except m.SensorDataError as exc:
        print(json.dumps({"ok": False, "out": str(exc)}), flush=True)
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def snapshot(store_path: Path):
    """Every file of the store with its bytes (the lock file excepted: it is not data)."""
    return {str(p.relative_to(store_path)): p.read_bytes() for p in sorted(Path(store_path).rglob("*"))
            if p.is_file() and p.name != ".lock"}


def observations(store: SensorStore) -> pd.DataFrame:
    if not store._obs_files():
        return pd.DataFrame(columns=["sensor_id", "time", "value", "quality"])
    return store.sql("SELECT sensor_id, time, value, quality FROM observations ORDER BY sensor_id, time")


def series_csv(tmp_path, name, n, offset):
    t = pd.date_range("2024-01-01", periods=n, freq="h", tz="UTC")
    df = pd.DataFrame({"sensor_id": "h1", "time": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "value": np.round(np.linspace(1.0, 2.0, n) + offset, 4)})
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def worker(delay, action, path, stores, start=0.0, period=0.0):
    return subprocess.Popen([PYTHON, "-c", WORKER, str(delay), action, str(path), repr(start), repr(period),
                             *map(str, stores)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def run_pair(action, files, stores):
    """Two writer processes, one per file, on the same stores in step; their outcomes per store."""
    start = time.time() + 2.0  # after both have imported twin
    procs = [worker(0.2, action, f, stores, start, period=0.8) for f in files]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0 and "Traceback" not in err, err
        results.append([json.loads(line) for line in out.splitlines()])
    assert [len(r) for r in results] == [len(stores)] * 2
    return list(zip(*results))


def fresh_store(path: Path) -> SensorStore:
    s = SensorStore(path)
    s.register_csv(write(path.parent, f"{path.name}-reg.csv", REGISTRY))
    return s


# ---------------------------------------------------------------------- concurrency
def test_two_concurrent_imports_equal_a_serial_order_20_times(tmp_path):
    a = series_csv(tmp_path, "A.csv", 2000, 0.0)
    b = series_csv(tmp_path, "B.csv", 2000, 0.5)  # the same keys, other values
    # The two serial orders, computed in this process: A then B keeps A (B refused), and vice versa.
    serial = {}
    for first, second in ((a, b), (b, a)):
        s = fresh_store(tmp_path / f"serial-{first.stem}")
        s.ingest_csv(first)
        with pytest.raises(SensorDataError, match="already in the store with a different value"):
            s.ingest_csv(second)
        serial[first.stem] = observations(s)
    assert not serial["A"]["value"].equals(serial["B"]["value"])
    # Stores 0..9: A and B together; 10..19: the same file twice (it used to store every row twice).
    stores = [fresh_store(tmp_path / f"race-{rep}").path for rep in range(20)]
    outcomes = run_pair("import", (a, b), stores[:10]) + run_pair("import", (a, a), stores[10:])
    seen = set()
    for rep, (path, (first, second)) in enumerate(zip(stores, outcomes)):
        got = observations(SensorStore(path))
        if rep >= 10:
            assert first["ok"] and second["ok"], (first, second)
            assert sorted("2000 written" in o["out"] for o in (first, second)) == [False, True], (first, second)
            pd.testing.assert_frame_equal(got, serial["A"])
            continue
        assert sorted([first["ok"], second["ok"]]) == [False, True], (rep, first, second)
        winner = "A" if first["ok"] else "B"
        loser = second if first["ok"] else first
        assert "already in the store with a different value" in loser["out"]
        pd.testing.assert_frame_equal(got, serial[winner])
        seen.add(winner)
    assert seen  # which order wins is up to the scheduler


def test_two_concurrent_registers_keep_both_20_times(tmp_path):
    r1 = write(tmp_path, "r1.csv", "sensor_id,quantity\nx1,water_level\nx2,discharge\n")
    r2 = write(tmp_path, "r2.csv", "sensor_id,quantity\ny1,air_temperature\ny2,precipitation\n")
    stores = [fresh_store(tmp_path / f"reg-{rep}").path for rep in range(20)]
    for rep, (path, outs) in enumerate(zip(stores, run_pair("register", (r1, r2), stores))):
        assert all(o["ok"] for o in outs), outs
        ids = SensorStore(path).sensors["sensor_id"].tolist()
        # Either serial order gives these seven sensors, each once.
        assert sorted(ids) == ["h1", "rg1", "t1", "x1", "x2", "y1", "y2"], (rep, ids)


def test_a_second_writer_waits_then_fails_naming_the_store_and_the_holder(tmp_path):
    store = fresh_store(tmp_path / "S")
    f = series_csv(tmp_path, "A.csv", 10, 0.0)
    before = snapshot(store.path)
    with store.writing():
        proc = subprocess.run([str(TWIN), "sensors", "import", str(f), "--store", str(store.path), "--wait", "0.5"],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        with pytest.raises(StoreBusyError, match=f"process {os.getpid()} on"):
            SensorStore(store.path, lock_timeout=0.05).ingest_csv(f)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{store.path}: this sensor store is being written by process {os.getpid()}" in proc.stderr
    assert "waited 0.5 s" in proc.stderr
    assert snapshot(store.path) == before
    # Once released, the same import goes through.
    assert SensorStore(store.path).ingest_csv(f).rows_written == 10


def test_register_and_import_in_one_writing_block_exclude_other_writers(tmp_path):
    store = fresh_store(tmp_path / "S")
    other = SensorStore(store.path, lock_timeout=0.05)
    f = write(tmp_path, "z.csv", "sensor_id,time,value\nz1,2024-01-01T00:00Z,1\n")
    with store.writing():
        store.register([{"sensor_id": "z1", "quantity": "water_level"}])
        with pytest.raises(StoreBusyError):
            other.register([{"sensor_id": "w1", "quantity": "water_level"}])
        store.ingest_csv(f)  # re-entrant for its holder
    assert other.sensors["sensor_id"].tolist() == ["h1", "t1", "rg1", "z1"]
    assert len(observations(other)) == 1


# ---------------------------------------------------------------------- crashes and durability
def test_a_killed_import_leaves_the_store_unchanged_and_its_leftover_is_cleaned(tmp_path):
    store = fresh_store(tmp_path / "S")
    a = series_csv(tmp_path, "A.csv", 50, 0.0)
    store.ingest_csv(a)
    before = snapshot(store.path)
    b = write(tmp_path, "B.csv", "sensor_id,time,value\n" + "".join(
        f"t1,{t:%Y-%m-%dT%H:%M}Z,{i % 30}\n" for i, t in enumerate(pd.date_range("2024-03-01", periods=3000, freq="h"))))
    proc = worker(0.0, "import-and-hang", b, [store.path])
    # Let it write its temporary part file, then kill it before the rename.
    line = proc.stdout.readline()
    assert line.strip() == "written", proc.stderr.read()
    leftovers = list(store.obs_dir.glob(".part-*"))
    assert len(leftovers) == 1
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert leftovers[0].exists()  # a killed writer cannot clean up after itself
    reopened = SensorStore(store.path)  # the kernel dropped the dead writer's lock: cleaned on open
    assert reopened.cleaned == leftovers and not leftovers[0].exists()
    assert snapshot(store.path) == before
    assert reopened.ingest_csv(a).already_in_store == 50
    assert reopened.ingest_csv(b).rows_written == 3000  # the lock is free again


def test_leftovers_are_not_touched_while_a_writer_is_active(tmp_path):
    store = fresh_store(tmp_path / "S")
    live = store.obs_dir / ".part-20240101T000000-deadbeef.parquet.abc123"
    reg_tmp = store.path / ".sensors.parquet.xyz"
    with store.writing():
        live.write_bytes(b"half a batch")
        reg_tmp.write_bytes(b"half a registry")
        assert SensorStore(store.path).cleaned == []  # another writer is active: its files are live
        assert live.exists() and reg_tmp.exists()
    s = SensorStore(store.path)
    assert sorted(s.cleaned) == sorted([live, reg_tmp]) and not live.exists() and not reg_tmp.exists()


def test_atomic_file_fsyncs_the_file_before_the_rename_and_the_directory_after(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))),
                                                  real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", str(b))), real_replace(a, b))[1])
    target = tmp_path / "d" / "x.bin"
    with atomic_file(target) as tmp:
        tmp.write_bytes(b"data")
    assert target.read_bytes() == b"data"
    assert [e[0] for e in events] == ["fsync", "replace", "fsync"]
    assert events[0][1].startswith(str(target.parent / ".x.bin."))  # the data, under its temporary name
    assert events[2][1] == str(target.parent)  # the directory holding the new name
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # not mkstemp's private mode


def test_atomic_directory_fsyncs_every_file_before_the_rename(tmp_path, monkeypatch):
    from twin.storage import atomic_directory

    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))),
                                                  real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", str(b))), real_replace(a, b))[1])
    target = tmp_path / "out"
    with atomic_directory(target) as tmp:
        (tmp / "sub").mkdir()
        (tmp / "a.txt").write_text("a")
        (tmp / "sub" / "b.txt").write_text("b")
    names = [e for e in events if e[0] == "fsync"]
    assert events.index(("replace", str(target))) == len(names) - 1  # all fsyncs but the parent's come first
    synced = {Path(p).name for _, p in names[:-1]}
    assert {"a.txt", "b.txt", "sub"} <= synced
    assert names[-1][1] == str(tmp_path)
    assert (target / "sub" / "b.txt").read_text() == "b"


# ---------------------------------------------------------------------- bad input, one row per case
REGISTER_CASES = [
    # (name, csv text, pattern the message must match: file, line, sensor and what is wrong)
    ("lon_lat_out_of_range", "sensor_id,quantity,lon,lat\ns1,water_level,500,-999\n",
     r"(?s)lon_lat_out_of_range.csv line 2 \(sensor 's1'\): lon='500' is outside \[-180, 180\].*lat='-999'"),
    ("lon_not_a_number", "sensor_id,quantity,lon,lat\ns1,water_level,abc,47\n",
     r"line 2 \(sensor 's1'\): lon='abc' is not a number"),
    ("empty_id", "sensor_id,quantity\n,water_level\n", r"line 2 \(sensor ''\): empty sensor_id"),
    ("blank_id", "sensor_id,quantity\n   ,water_level\n", r"line 2 \(sensor ''\): empty sensor_id"),
    ("synthetic_maybe", "sensor_id,quantity,synthetic\ns1,water_level,maybe\n",
     r"line 2 \(sensor 's1'\): synthetic='maybe' is not a yes/no value"),
    ("unit_is_not_native", "sensor_id,quantity,unit\ns1,water_level,cm\n",
     r"line 2 \(sensor 's1'\): unit 'cm' is not water_level's canonical unit 'm'.*native_unit"),
    ("unknown_column", "sensor_id,quantity,elevation\ns1,water_level,12\n", r"unknown column\(s\) 'elevation'"),
    ("empty_quantity", "sensor_id,quantity\ns1,\n", r"line 2 \(sensor 's1'\): empty quantity"),
    ("unknown_quantity", "sensor_id,quantity\ns1,colour\n", r"line 2 \(sensor 's1'\): unknown quantity 'colour'"),
    ("id_twice", "sensor_id,quantity\ns1,water_level\ns1,water_level\n", r"line 3 \(sensor 's1'\): sensor_id defined twice"),
    ("changed_metadata", "sensor_id,quantity,native_unit,lon\nh1,water_level,m,-2.1\n",
     r"line 2: sensor 'h1' is already registered with other metadata \(lon: empty registered, -2.1 given\)"),
]


@pytest.mark.parametrize("name,text,pattern", REGISTER_CASES, ids=[c[0] for c in REGISTER_CASES])
def test_bad_registry_rows_are_refused_with_file_line_and_sensor(tmp_path, name, text, pattern):
    store = fresh_store(tmp_path / "S")
    before = snapshot(store.path)
    with pytest.raises(SensorDataError, match=pattern):
        store.register_csv(write(tmp_path, f"{name}.csv", text))
    assert snapshot(store.path) == before


@pytest.mark.parametrize("text,expected", [("true", True), ("False", False), ("yes", True), ("no", False),
                                           ("1", True), ("0", False), ("", False)])
def test_synthetic_flag_is_read_as_a_boolean(tmp_path, text, expected):
    store = SensorStore(tmp_path / "S")
    store.register_csv(write(tmp_path, "r.csv", f"sensor_id,quantity,synthetic\ns1,water_level,{text}\n"))
    assert bool(store.sensors.set_index("sensor_id").loc["s1", "synthetic"]) is expected


IMPORT_CASES = [
    # (name, csv text or None for a directory, ingest keywords, message pattern)
    ("quality_word", "sensor_id,time,value,quality\nh1,2024-01-01T00:00Z,1,bad\n", {},
     r"(?s)quality is not one of 0 \(good\).*quality_word.csv line 2 \(sensor 'h1'\) \('bad'\)"),
    ("quality_1000", "sensor_id,time,value,quality\nh1,2024-01-01T00:00Z,1,1000\n", {},
     r"(?s)quality is not one of.*line 2 \(sensor 'h1'\) \('1000'\)"),
    ("quality_negative", "sensor_id,time,value,quality\nh1,2024-01-01T00:00Z,1,-1\n", {},
     r"(?s)quality is not one of.*line 2 \(sensor 'h1'\) \('-1'\)"),
    ("close_value", "sensor_id,time,value\nh1,2023-06-01T00:00Z,1.000001\n", {},
     r"(?s)already in the store with a different value.*line 2 \(sensor 'h1'\).*new 1.000001 stored 1.0"),
    ("year_0001", "sensor_id,time,value\nh1,0001-01-01T00:00Z,1\n", {},
     r"(?s)time outside the plausible range 1800-01-01.*line 2 \(sensor 'h1'\) \('0001-01-01"),
    ("year_9999", "sensor_id,time,value\nh1,9999-01-01T00:00Z,1\n", {},
     r"(?s)time outside the plausible range.*line 2 \(sensor 'h1'\) \('9999-01-01"),
    ("wide_unit", "time,h1,t1,unit\n2024-03-01T00:00Z,150,3,cm\n", {},
     r"wide_unit.csv: line 1: a 'unit' column in the wide layout"),
    ("wide_quality", "time,h1,t1,quality\n2024-03-01T00:00Z,1.5,3,1\n", {},
     r"wide_quality.csv: line 1: a 'quality' column in the wide layout"),
    ("date_and_time", "date,time,h1\n2024-03-01,00:00,1.5\n", {},
     r"date_and_time.csv: line 1: 2 time columns \('date', 'time'\).*join them"),
    ("a_directory", None, {}, r"a_directory: is a directory, expected a CSV file"),
    ("bad_timezone", "sensor_id,time,value\nh1,2024-01-01T00:00,1\n", {"timezone": "Mars/Olympus"},
     r"timezone 'Mars/Olympus' \(--timezone\): not a known time zone"),
    ("sensor_for_long_file", "sensor_id,time,value\nh1,2024-01-01T00:00Z,1\n", {"sensor_id": "t1"},
     r"has a sensor_id column and a sensor \('t1', --sensor\) was given too"),
    ("unit_twice", "sensor_id,time,value,unit\nh1,2024-01-01T00:00Z,1,m\n", {"unit": "cm"},
     r"has a 'unit' column and a unit \('cm', --unit\) was given too"),
    ("empty_sensor_id", "sensor_id,time,value\n,2024-01-01T00:00Z,1\n", {},
     r"(?s)empty sensor_id.*empty_sensor_id.csv line 2"),
    ("infinite_value", "sensor_id,time,value\nh1,2024-01-01T00:00Z,inf\n", {},
     r"(?s)not a number \(or is infinite\).*line 2 \(sensor 'h1'\) \('inf'\)"),
    ("header_twice", "time,h1,h1\n2024-01-01T00:00Z,1,2\n", {}, r"line 1: column 'h1' appears more than once"),
]


@pytest.mark.parametrize("name,text,kwargs,pattern", IMPORT_CASES, ids=[c[0] for c in IMPORT_CASES])
def test_bad_imports_are_refused_with_a_message_and_the_store_unchanged(tmp_path, name, text, kwargs, pattern):
    store = fresh_store(tmp_path / "S")
    store.ingest_csv(write(tmp_path, "base.csv", "sensor_id,time,value\nh1,2023-06-01T00:00Z,1.0\n"))
    before = snapshot(store.path)
    if text is None:
        (tmp_path / name).mkdir()
        path = tmp_path / name
    else:
        path = write(tmp_path, f"{name}.csv", text)
    with pytest.raises(SensorDataError, match=pattern):
        store.ingest_csv(path, **kwargs)
    assert snapshot(store.path) == before


@pytest.mark.parametrize("name,text,kwargs,pattern", [IMPORT_CASES[i] for i in (0, 9, 10)],
                         ids=["quality_word", "a_directory", "bad_timezone"])
def test_the_cli_prints_the_message_without_a_traceback(tmp_path, capsys, name, text, kwargs, pattern):
    from twin.cli import main

    store = fresh_store(tmp_path / "S")
    path = tmp_path / (name if text is None else f"{name}.csv")
    if text is None:
        path.mkdir()
    else:
        path.write_text(text)
    extra = ["--timezone", kwargs["timezone"]] if "timezone" in kwargs else []
    assert main(["sensors", "import", str(path), "--store", str(store.path), *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert re.search(pattern, err)


def test_quality_codes_and_names_are_read(tmp_path):
    store = fresh_store(tmp_path / "S")
    f = write(tmp_path, "q.csv", "sensor_id,time,value,quality\n"
              "h1,2024-01-01T00:00Z,1,1\nh1,2024-01-01T01:00Z,1,Suspect\nh1,2024-01-01T02:00Z,1,\n"
              "h1,2024-01-01T03:00Z,,0\n")
    store.ingest_csv(f)
    assert observations(store)["quality"].tolist() == [SUSPECT, SUSPECT, 0, MISSING]


def test_the_duplicate_rule_and_its_tolerance(tmp_path):
    """Same value = |a − b| <= 1e-9·max(|a|, |b|) + 1e-12 in the canonical unit (README, module docstring)."""
    assert same_value(1.0, 1.0 + 0.5e-9) and not same_value(1.0, 1.0 + 2e-9)
    assert same_value(np.nan, np.nan) and not same_value(np.nan, 0.0)
    assert SAME_VALUE_RTOL == 1e-9
    store = fresh_store(tmp_path / "S")
    store.ingest_csv(write(tmp_path, "a.csv", "sensor_id,time,value,unit\n"
                           "h1,2024-01-01T00:00Z,250,cm\nt1,2024-01-01T00:00Z,0.01,degC\n"))
    # The same readings in other units: rounding of the conversion stays within the tolerance.
    again = store.ingest_csv(write(tmp_path, "b.csv", "sensor_id,time,value,unit\n"
                                   "h1,2024-01-01T00:00Z,2.5,m\nt1,2024-01-01T00:00Z,273.16,K\n"))
    assert again.already_in_store == 2 and again.rows_written == 0
    # A difference of 1e-6 relative (was skipped by np.isclose's 1e-5 default) is a different value.
    with pytest.raises(SensorDataError, match=r"(?s)c.csv line 2 \(sensor 'h1'\).*new 2.5000025 stored 2.5"):
        store.ingest_csv(write(tmp_path, "c.csv", "sensor_id,time,value\nh1,2024-01-01T00:00Z,2.5000025\n"))
    with pytest.raises(SensorDataError, match=r"(?s)duplicate timestamp with a different value.*line 3"):
        store.ingest_csv(write(tmp_path, "d.csv", "sensor_id,time,value\n"
                               "t1,2024-02-01T00:00Z,5\nt1,2024-02-01T00:00Z,5.00001\n"))


# ---------------------------------------------------------------------- fuzz: damaged files
def _mutations(data: bytes, rng: np.random.Generator, n: int):
    for _ in range(n):
        b = bytearray(data)
        if rng.random() < 0.4:
            b = b[: int(rng.integers(0, len(b)))]
        else:
            for _ in range(int(rng.integers(1, 4))):
                b[int(rng.integers(0, len(b)))] = int(rng.integers(0, 256))
        yield bytes(b)


READERS = {
    "long": ("sensor_id,time,value,unit,quality\n" + "".join(
        f"h1,2024-01-0{d}T{h:02d}:00:00Z,{1 + 0.01 * h},m,{h % 2}\nt1,2024-01-0{d}T{h:02d}:00:00Z,{h / 2},degC,\n"
        for d in (1, 2) for h in range(0, 24, 3)), {}),
    "one_sensor": ("time,value\n" + "".join(f"2024-01-03 {h:02d}:00,{120 + h}\n" for h in range(12)),
                   {"sensor_id": "h1", "unit": "cm", "timezone": "Europe/Paris"}),
    "wide": ("date,h1,t1,rg1\n" + "".join(f"2024-01-04T{h:02d}:00Z,{1 + h / 10},{h},{h % 3}\n" for h in range(12)),
             {}),
}


@pytest.mark.parametrize("layout", sorted(READERS))
def test_fuzzed_observation_files_never_crash_nor_alter_stored_rows(tmp_path, layout):
    text, kwargs = READERS[layout]
    store = fresh_store(tmp_path / "S")
    original = write(tmp_path, f"{layout}.csv", text)
    store.ingest_csv(original, **kwargs)
    rng = np.random.default_rng(20261202)
    outcomes = {"refused": 0, "accepted": 0}
    for k, data in enumerate(_mutations(original.read_bytes(), rng, 50)):
        stored = observations(store)
        before = snapshot(store.path)
        f = tmp_path / f"m{k}.csv"
        f.write_bytes(data)
        try:
            report = store.ingest_csv(f, **kwargs)
        except SensorDataError as exc:
            assert str(f) in str(exc) or "timezone" in str(exc)
            assert snapshot(store.path) == before, data
            outcomes["refused"] += 1
            continue
        outcomes["accepted"] += 1
        after = observations(store)
        # Accepted: nothing stored before changed, and exactly the reported new rows were added.
        assert len(after) == len(stored) + report.rows_written, data
        kept = after.merge(stored, on=["sensor_id", "time"], suffixes=("", "_old"))
        assert len(kept) == len(stored)
        assert (same_value(kept["value"], kept["value_old"]) & (kept["quality"] == kept["quality_old"])).all()
        if report.rows_written == 0:
            assert snapshot(store.path) == before
    assert outcomes["refused"] > 0  # the mutations do hit the checks


def test_fuzzed_registry_files_never_crash_nor_alter_registered_sensors(tmp_path):
    text = ("sensor_id,quantity,native_unit,asset_id,lon,lat,name,synthetic,description\n"
            "g1,water_level,cm,osm:way/1,-2.08,47.65,Vilaine gauge,false,a gauge\n"
            "g2,discharge,l/s,,-2.1,47.6,,true,\n"
            "g3,air_temperature,degF,,,,station,0,\n")
    store = SensorStore(tmp_path / "S")
    original = write(tmp_path, "reg.csv", text)
    store.register_csv(original)
    registered = store.sensors.copy()
    rng = np.random.default_rng(7)
    refused = 0
    for k, data in enumerate(_mutations(original.read_bytes(), rng, 50)):
        before = snapshot(store.path)
        f = tmp_path / f"r{k}.csv"
        f.write_bytes(data)
        try:
            store.register_csv(f)
        except SensorDataError as exc:
            assert str(f) in str(exc)
            assert snapshot(store.path) == before, data
            refused += 1
            continue
        # Accepted: the sensors registered before are unchanged (new ids may have been added).
        now = store.sensors.set_index("sensor_id").loc[registered["sensor_id"]].reset_index()
        pd.testing.assert_frame_equal(now, registered, check_dtype=False)
    assert refused > 0


def test_threads_sharing_one_store_take_turns(tmp_path):
    import threading

    store = fresh_store(tmp_path / "S")
    store._lock.timeout = 0.05
    errors = []
    with store.writing():

        def other():
            try:
                store.register([{"sensor_id": "w1", "quantity": "water_level"}])
            except StoreBusyError as exc:
                errors.append(str(exc))

        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert len(errors) == 1 and "another thread of this process" in errors[0]
    store.register([{"sensor_id": "w1", "quantity": "water_level"}])  # free again once released
    assert "w1" in SensorStore(store.path).sensors["sensor_id"].tolist()
