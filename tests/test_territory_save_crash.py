"""A `Territory.save` killed with SIGKILL (issue 25, item 7: crash leftovers) leaves the saved territory intact,
and what it left (hidden ``.NAME.tmp-*`` / ``.NAME.old-PID`` siblings) is removed by the next save or load of
that directory — never while the writer that made it is alive.

The saving process is a real separate Python process running ``Territory.load`` + ``Territory.save``; a pause
is injected at one point of the save (after the first table is written, or between the two renames that swap
the old and the new version) so that the kill lands there every time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from twin.storage import atomic_directory, clean_directory_leftovers, directory_leftovers
from twin.territory import Territory

NODES = '<node id="1" lat="47.650" lon="-2.090"/>\n<node id="2" lat="47.651" lon="-2.090"/>\n'
STREET = '<way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>\n'

# Loads the saved territory, renames it and saves it again, pausing at PAUSE: "write" (after the first
# Parquet table of the save) or "swap" (after the old version is moved aside, before the new one takes its place).
WORKER = r"""
import os, sys, time
import geopandas as gpd
import twin.storage as storage
from twin.territory import Territory

target, pause = sys.argv[1], sys.argv[2]

def hang():
    print("paused", flush=True)
    time.sleep(600)

if pause == "write":
    real = gpd.GeoDataFrame.to_parquet
    def to_parquet(self, path, *a, **k):
        real(self, path, *a, **k)
        if os.path.basename(str(os.path.dirname(path))).startswith(".t.tmp-"):
            hang()
    gpd.GeoDataFrame.to_parquet = to_parquet
else:
    real_replace = storage.os.replace
    class _Os:
        def __getattr__(self, name):
            return getattr(os, name)
        @staticmethod
        def replace(a, b):
            real_replace(a, b)
            if ".old-" in os.path.basename(str(b)):
                hang()
    storage.os = _Os()

t = Territory.load(target, with_sensors=False)
t.replace(name="second").save(target)
print("saved", flush=True)
"""


@pytest.fixture()
def saved(tmp_path) -> Path:
    osm = tmp_path / "tiny.osm"
    osm.write_text(f'<?xml version="1.0"?>\n<osm version="0.6">\n{NODES}{STREET}</osm>\n')
    target = tmp_path / "t"
    Territory.from_osm(osm, name="first").save(target)
    return target


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _hidden(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def _kill_while_paused(target: Path, pause: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WORKER, str(target), pause], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=target.parent)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "paused", proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)


def test_a_save_killed_while_writing_leaves_the_territory_intact_and_the_next_save_cleans(saved):
    before = _files(saved)
    _kill_while_paused(saved, "write")
    left = _hidden(saved.parent)
    assert len(left) == 1 and left[0].startswith(".t.tmp-")  # a killed writer cannot clean up after itself
    assert _files(saved) == before  # untouched: the save only ever wrote into its temporary sibling
    assert Territory.load(saved, with_sensors=False).name == "first"
    t = Territory.load(saved, with_sensors=False)
    t.replace(name="third").save(saved)  # the next save of that directory removes the leftover
    assert _hidden(saved.parent) == []
    assert Territory.load(saved, with_sensors=False).name == "third"


def test_a_save_killed_between_its_two_renames_is_undone_by_the_next_load(saved):
    """The one instant a killed save leaves no territory under its name: the previous version is aside
    (``.t.old-PID``) and the new one complete but not renamed; the next load puts the previous one back."""
    before = _files(saved)
    _kill_while_paused(saved, "swap")
    assert not saved.exists()
    left = _hidden(saved.parent)
    assert len(left) == 2 and left[0].startswith(".t.old-") and left[1].startswith(".t.tmp-"), left
    loaded = Territory.load(saved, with_sensors=False)
    assert loaded.name == "first"  # the save never completed: the last completed one is what is read
    assert _files(saved) == before and _hidden(saved.parent) == []


def test_the_next_save_also_restores_after_a_kill_between_the_renames(saved):
    _kill_while_paused(saved, "swap")
    osm = saved.parent / "tiny.osm"
    Territory.from_osm(osm, name="fourth").save(saved)
    assert _hidden(saved.parent) == []
    assert Territory.load(saved, with_sensors=False).name == "fourth"


def test_a_live_writers_temporary_directory_is_never_taken_for_a_leftover(tmp_path):
    target = tmp_path / "out"
    with atomic_directory(target) as tmp:
        (tmp / "a.txt").write_text("a")
        # another cleaner (here another open file description: flock excludes it as it would another process)
        assert directory_leftovers(target) == ([], [])
        assert clean_directory_leftovers(target) == [] and tmp.exists()
        with atomic_directory(target) as tmp2:  # a second writer of the same target leaves the first alone
            (tmp2 / "b.txt").write_text("b")
        assert tmp.exists()
    assert (target / "a.txt").read_text() == "a" and _hidden(tmp_path) == []


def test_only_our_own_names_are_cleaned_and_unlocked_old_style_ones_after_a_day(tmp_path):
    target = tmp_path / "out"
    keep = [tmp_path / ".out.notes", tmp_path / ".other.tmp-abc", tmp_path / ".out.tmp-file"]
    keep[0].mkdir()
    keep[1].mkdir()
    keep[2].write_text("a file, not a directory")
    recent_legacy, old_legacy = tmp_path / ".out.ab12cd34", tmp_path / ".out.zz99yy88"
    recent_legacy.mkdir()
    old_legacy.mkdir()
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(old_legacy, (day_ago, day_ago))
    dead = tmp_path / ".out.tmp-k3j4h5g6"
    dead.mkdir()
    (dead / "half.parquet").write_bytes(b"PAR1")
    with atomic_directory(target) as tmp:
        (tmp / "x").write_text("x")
    assert not dead.exists() and not old_legacy.exists()
    assert recent_legacy.exists() and all(p.exists() for p in keep)
