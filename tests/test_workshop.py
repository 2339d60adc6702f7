"""The workshop's shared state (participants, votes, snapshots, the spread) and its tab in the page.

State: files beside the variant store, one per participant and per vote, so that sessions voting at
once never lose a vote. The tab: the real :class:`twin.app.main.TwinApp`, built in-process.
"""

from __future__ import annotations

import json
import math
import os
import stat
import threading

import pytest

from twin.app.variants import Variant, VariantStore
from twin.app.workshop_state import (JoinGuard, WorkshopError, WorkshopState, clean_name, code_matches, kpi_spread,
                                     may_discard, param_spread, participant_key, snapshot_store)


def _kpis(value, baseline=100.0, kpi="cost_eur", unit="EUR"):
    return [{"variant": "baseline", "kpi": kpi, "value": baseline, "unit": unit, "impact": "financial",
             "baseline": baseline, "change": 0.0, "change_pct": 0.0, "baseline_name": "baseline"},
            {"variant": "v", "kpi": kpi, "value": value, "unit": unit, "impact": "financial",
             "baseline": baseline, "change": value - baseline, "change_pct": (value - baseline) / baseline * 100,
             "baseline_name": "baseline"}]


def _variant(name, author="", value=90.0, family="lighting", **params):
    return Variant(name=name, family=family, territory="redon", params=params, kpis=_kpis(value), author=author)


def test_names_are_cleaned_and_bad_ones_refused():
    assert clean_name("  Anne \n  Martin ") == "Anne Martin"
    assert participant_key("anne martin") == participant_key(" Anne  Martin")
    for bad in ("", "   ", "x" * 41, "Anne\x00", "a\x1b[31mb"):
        with pytest.raises(WorkshopError) as e:
            clean_name(bad)
        assert e.value.key == "workshop_bad_name"


def test_join_and_vote_one_file_each(tmp_path):
    state = WorkshopState(tmp_path)
    assert state.join(" Anne  Martin ") == "Anne Martin"
    state.join("anne martin")  # the same person again
    state.join("Brice")
    assert state.participants() == ["Anne Martin", "Brice"]
    state.vote("0123456789", "Anne Martin")
    state.vote("0123456789", "anne martin")  # voting twice is one vote
    state.vote("0123456789", "Brice")
    assert state.votes() == {"0123456789": ["Anne Martin", "Brice"]}
    assert state.has_voted("0123456789", "ANNE MARTIN") and not state.has_voted("0123456789", "Chloé")
    state.vote("0123456789", "Brice", on=False)
    assert state.votes() == {"0123456789": ["Anne Martin"]}
    with pytest.raises(KeyError):
        state.vote("../../etc", "Anne Martin")
    # a damaged vote file is not a vote (and is left on disk)
    (tmp_path / "atelier" / "votes" / "0123456789" / "abc.json").write_text("{")
    assert state.votes() == {"0123456789": ["Anne Martin"]}


def test_concurrent_votes_are_all_counted(tmp_path):
    """Forty participants voting at the same instant, from as many threads: every vote is there."""
    state = WorkshopState(tmp_path)
    names = [f"Participant {i}" for i in range(40)]
    barrier = threading.Barrier(len(names))

    def vote(name):
        barrier.wait()
        WorkshopState(tmp_path).vote("abcdefabcd", name)

    threads = [threading.Thread(target=vote, args=(n,)) for n in names]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(state.votes()["abcdefabcd"]) == sorted(names)


def test_join_codes_and_the_guard():
    assert code_matches(" 123 456 ", "123456") and not code_matches("123457", "123456")
    assert not code_matches("", "")  # no code set: nothing matches
    now = [0.0]
    guard = JoinGuard(limit=3, window_s=60, clock=lambda: now[0])
    guard.check("123456", "123456")
    for _ in range(3):
        with pytest.raises(WorkshopError) as e:
            guard.check("000000", "123456")
        assert e.value.key == "workshop_bad_code"
    with pytest.raises(WorkshopError) as e:  # even the right code waits: guessing gains nothing
        guard.check("123456", "123456")
    assert e.value.key == "workshop_too_many_tries" and e.value.kw["seconds"] == 60
    now[0] = 61.0
    guard.check("123456", "123456")


def test_only_the_author_or_the_facilitator_may_discard():
    v = _variant("A", author="Anne Martin")
    assert may_discard(v, "anne  martin", facilitator=False)
    assert not may_discard(v, "Brice", facilitator=False)
    assert not may_discard(v, "", facilitator=False)
    assert may_discard(v, "", facilitator=True)
    orphan = _variant("B", author="")
    assert not may_discard(orphan, "Anne Martin", facilitator=False) and may_discard(orphan, "", facilitator=True)


def test_spread_of_parameters_and_kpis():
    vs = [_variant("a", value=80.0, hours="22:00-05:00"), _variant("b", value=90.0, hours="22:00-05:00"),
          _variant("c", value=130.0, hours="23:00-05:00"), _variant("d", value=float("inf"), hours="23:00-05:00"),
          _variant("e", value=1.0, family="bins", members=4)]
    params = {(r["family"], r["param"]): r for r in param_spread(vs)}
    assert params[("lighting", "hours")]["values"] == [("22:00-05:00", 2), ("23:00-05:00", 2)]
    assert params[("bins", "members")]["values"] == [("4", 1)]
    kpis = {(r["family"], r["kpi"]): r for r in kpi_spread(vs)}
    row = kpis[("lighting", "cost_eur")]
    assert (row["min"], row["median"], row["max"], row["n"], row["infinite"]) == (80.0, 90.0, 130.0, 3, 1)
    assert kpis[("bins", "cost_eur")]["median"] == 1.0
    nan_only = kpi_spread([_variant("z", value=float("nan"))])[0]
    assert nan_only["n"] == 0 and math.isnan(nan_only["median"])


def test_freeze_makes_a_dated_read_only_copy(tmp_path):
    store = VariantStore(tmp_path / "variants")
    a = store.save(_variant("A", author="Anne"))
    b = store.save(_variant("B", author="Brice"))
    gone = store.save(_variant("C", author="Anne"))
    store.update(gone.id, discarded=True)
    state = WorkshopState(store.dir)
    state.join("Anne")
    state.vote(a.id, "Anne")
    snap = state.freeze(store, when=1_780_000_000)
    twice = state.freeze(store, when=1_780_000_000)  # the same second: its own directory
    assert snap.stamp != twice.stamp and [s.stamp for s in state.snapshots()] == [snap.stamp, twice.stamp]
    meta = snap.meta()
    assert meta["variants"] == [a.id, b.id] and meta["votes"] == {a.id: ["Anne"], b.id: []}
    assert meta["participants"] == ["Anne"]
    # later changes do not reach the snapshot
    state.vote(b.id, "Anne")
    store.update(a.id, name="A renamed")
    frozen = snapshot_store(snap)
    assert [v.name for v in frozen.list()] == ["A", "B"] and snap.votes()[b.id] == []
    for p in snap.path.rglob("*"):
        if p.is_file():
            assert not p.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), p
    if os.geteuid() != 0:  # root writes anyway; the bits are what a normal user meets
        with pytest.raises(PermissionError):
            frozen.update(a.id, name="x")
    # the variant store does not take the workshop's files for variants
    assert {v.id for v in store.list()} == {a.id, b.id, gone.id}
    assert json.loads((snap.path / "atelier.json").read_text())["stamp"] == snap.stamp
