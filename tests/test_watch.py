"""``twin watch``: an inbox of daily files taken into the store once each (issue 20).

Thirty daily files of one station (twin's long CSV layout, written here), one corrupt and one sent
twice: the watched store equals a batch import of the 29 good ones, the corrupt one is set aside with
its error, and a process killed mid-pass and started again loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from twin.cli import main
from twin.live.inbox import watch_once
from twin.sensors import SensorStore

QUERY = "SELECT sensor_id, time, value, quality FROM observations ORDER BY sensor_id, time"


def _store(path):
    store = SensorStore(path)
    store.register([{"sensor_id": "h-pont", "quantity": "water_level", "native_unit": "m"},
                    {"sensor_id": "rg-mairie", "quantity": "precipitation", "native_unit": "mm"}])
    return store


def _daily_files(folder, n=30, seed=3):
    """n daily files (hourly readings of two sensors), the 13th corrupt, the 21st a copy of the 20th."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    good = []
    for d in range(n):
        day = pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(days=d)
        t = pd.date_range(day, periods=24, freq="h")
        rows = [f"h-pont,{x.isoformat()},{1.2 + 0.01 * i + rng.normal(0, 0.005):.4f}" for i, x in enumerate(t)]
        rows += [f"rg-mairie,{x.isoformat()},{max(0.0, rng.normal(0.2, 0.5)):.1f}" for x in t]
        text = "sensor_id,time,value\n" + "\n".join(rows) + "\n"
        if d == 12:
            text = text.replace(rows[5].split(",")[2], "1.2x")  # a value that is not a number
        if d == 20:
            text = (folder / f"day-{d - 1:02d}.csv").read_text()  # the day before, sent again
        path = folder / f"day-{d:02d}.csv"
        path.write_text(text)
        os.utime(path, (time.time() - 60, time.time() - 60))  # settled
        if d not in (12, 20):
            good.append(path.name)
    return good


def _inbox_and_batch(tmp_path):
    """The inbox of thirty days, the good files' names, and the store a batch import of them makes."""
    inbox = tmp_path / "inbox"
    good = _daily_files(inbox)
    batch = _store(tmp_path / "batch")
    for name in good:
        batch.ingest_csv(inbox / name)
    return inbox, good, batch


def test_an_inbox_of_thirty_days_equals_a_batch_of_the_good_ones(tmp_path):
    inbox, good, batch = _inbox_and_batch(tmp_path)
    watched = _store(tmp_path / "watched")
    report = watch_once(watched, inbox)
    assert len(report.ingested) == 28
    assert report.repeated == ["day-20.csv"] and [r["file"] for r in report.rejected] == ["day-12.csv"]
    pd.testing.assert_frame_equal(watched.sql(QUERY), batch.sql(QUERY))
    error = (inbox / "rejected" / "day-12.csv.error.txt").read_text()
    assert "day-12.csv" in error and "line" in error and "not a number" in error
    assert sorted(p.name for p in (inbox / "done").iterdir()) == sorted(good + ["day-20.csv"])
    assert not any(p.is_file() for p in inbox.iterdir())
    again = watch_once(watched, inbox)  # nothing new: nothing changes
    assert again.lines() == ["nothing new"]
    (inbox / "late.csv.part").write_text("sensor_id,time,value\n")  # still being copied
    assert watch_once(watched, inbox).lines() == ["nothing new"]


def test_a_file_dropped_twice_under_another_name_changes_nothing(tmp_path):
    inbox = tmp_path / "inbox"
    _daily_files(inbox, n=2)
    store = _store(tmp_path / "s")
    watch_once(store, inbox)
    before = store.sql(QUERY)
    copy = inbox / "renamed.csv"
    copy.write_text((inbox / "done" / "day-00.csv").read_text())
    os.utime(copy, (time.time() - 60, time.time() - 60))
    assert watch_once(store, inbox).repeated == ["renamed.csv"]
    pd.testing.assert_frame_equal(store.sql(QUERY), before)


def test_killed_mid_pass_and_restarted_it_loses_and_duplicates_nothing(tmp_path):
    inbox, _, batch = _inbox_and_batch(tmp_path)
    store = _store(tmp_path / "watched")
    cmd = [sys.executable, "-m", "twin.cli", "watch", "--store", str(store.path), "--inbox", str(inbox), "--once",
           "--throttle", "0.05"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and not (inbox / "done").exists():
        time.sleep(0.05)
    time.sleep(0.4)  # some files in, most not
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (inbox / "done").exists() and any((inbox / "done").iterdir())  # it had started
    assert any(p.name.endswith(".csv") for p in inbox.iterdir())  # and was stopped mid-pass
    assert main(["watch", "--store", str(store.path), "--inbox", str(inbox), "--once"]) == 1  # day-12 rejected
    pd.testing.assert_frame_equal(SensorStore(store.path).sql(QUERY), batch.sql(QUERY))
    assert (inbox / "rejected" / "day-12.csv").exists()


def test_watch_refuses_a_missing_inbox(tmp_path, capsys):
    assert main(["watch", "--store", str(tmp_path / "s"), "--inbox", str(tmp_path / "nope"), "--once"]) == 1
    assert "--inbox" in capsys.readouterr().err
