"""Ensembles on dask: same numbers on every scheduler, resumable, any member replayable alone."""

from __future__ import annotations

import json

import numpy as np
import pytest

from twin.cli import main
from twin.ensemble import EnsembleError, member_seed, run_ensemble, run_member
from twin.seeds import history_dir

MEMBERS = 40


@pytest.fixture(scope="module")
def spec():
    t = json.loads((history_dir() / "truth.json").read_text())["river"]["gr4h"]
    return {"family": "flood", "forecast_time": "2023-02-24T00:00", "horizon_h": 48, "members": 10,
            "params": [t["x1"], t["x2"], t["x3"], t["x4"]]}


@pytest.fixture(scope="module")
def sync(spec):
    return run_ensemble(spec, members=MEMBERS, scheduler="sync", progress=False, batch_size=10)


def test_members_differ_and_seeds_are_stable(sync):
    p95 = sync["value"].sel(kpi="peak_stage_p95_m").isel(variant=1).values
    assert np.unique(np.round(p95, 9)).size > MEMBERS // 2  # each member its own seed
    assert member_seed(0, 7) == member_seed(0, 7) != member_seed(0, 8)
    assert member_seed(1, 7) != member_seed(0, 7)


def test_local_cluster_gives_the_same_numbers(spec, sync):
    on_cluster = run_ensemble(spec, members=MEMBERS, progress=False, batch_size=10)
    np.testing.assert_array_equal(on_cluster["value"].values, sync["value"].values)


def test_interrupted_then_resumed(spec, sync, tmp_path):
    out = tmp_path / "ens.zarr"
    half = run_ensemble(spec, members=MEMBERS, scheduler="sync", out=out, progress=False, batch_size=10, max_batches=2)
    assert int(half["done"].sum()) == 20 and np.isnan(half["value"].isel(member=30)).all()
    full = run_ensemble(spec, members=MEMBERS, scheduler="sync", out=out, progress=False, batch_size=10)
    assert bool(full["done"].all())
    np.testing.assert_array_equal(full["value"].values, sync["value"].values)
    with pytest.raises(EnsembleError, match="holds another ensemble"):
        run_ensemble(spec, members=MEMBERS, seed=1, scheduler="sync", out=out, progress=False)


def test_a_member_replayed_alone(spec, sync):
    alone = run_member(spec, "redon", 0, 13)
    np.testing.assert_array_equal(alone["value"].values, sync["value"].sel(member=13).values)


def test_scenarios_without_randomness_are_refused(tmp_path, capsys):
    with pytest.raises(EnsembleError, match="no random input"):
        run_ensemble({"family": "heating"}, members=3, scheduler="sync", progress=False)
    f = tmp_path / "s.json"
    f.write_text(json.dumps({"family": "lighting"}))
    assert main(["ensemble", str(f), "--members", "2", "--scheduler", "sync"]) == 1
    assert "no random input" in capsys.readouterr().err
