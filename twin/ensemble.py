"""Ensembles of scenario runs on dask.distributed, written to Zarr as they arrive, resumable.

* Members are batched into tasks (``batch_size`` members each) so task overhead stays small.
* Every member gets its own seed, derived from the ensemble seed with
  ``numpy.random.SeedSequence(seed).spawn`` — so any member can be replayed alone
  (:func:`member_seed`, :func:`run_member`) and gives the same numbers as inside the ensemble.
* Results go to a Zarr store as each batch completes, with a ``done`` flag per member: an
  interrupted run loses only the batches in flight, and running again resumes.
* The scheduler: ``"sync"`` (in this process, no cluster), a ``LocalCluster`` by default, or any
  ``dask.distributed`` scheduler address / ``Client`` to scale out without changing the code.

The result is an ``xarray.Dataset`` with ``value`` over (member, variant, kpi), plus the KPI units
and impacts of the scenario's :class:`twin.outcome.Outcome`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import xarray as xr


class EnsembleError(ValueError):
    """An ensemble that cannot run; the message says why."""


def member_seed(seed: int, member: int) -> int:
    """The seed of one member, derived from the ensemble's seed (stable across runs and machines)."""
    child = np.random.SeedSequence(seed).spawn(member + 1)[member]
    return int(child.generate_state(1, dtype=np.uint32)[0])


@lru_cache(maxsize=4)
def _territory(name: str):
    from twin.cli import _load_territory  # noqa: PLC0415

    return _load_territory(name)


def _scenario(spec: dict, seed: int):
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    family = spec.get("family")
    if family not in SCENARIOS:
        raise EnsembleError(f"unknown scenario family {family!r} (known: {sorted(SCENARIOS)})")
    cls = SCENARIOS[family]
    if "seed" not in cls.param:
        raise EnsembleError(f"scenario family {family!r} has no random input: every member would repeat one run")
    return cls.from_dict({**spec, "seed": seed}, origin="ensemble")


def run_member(spec: dict, territory: str, seed: int, member: int) -> xr.Dataset:
    """One member alone: the scenario with this member's seed. Returns its Outcome data."""
    outcome = _scenario(spec, member_seed(seed, member)).run(_territory(territory))
    return outcome.data[["value"]]


def _run_batch(spec: dict, territory: str, seed: int, members: list[int]) -> tuple[list[int], np.ndarray, dict]:
    values, meta = [], {}
    for m in members:
        ds = run_member(spec, territory, seed, m)
        values.append(ds["value"].values)
        if not meta:
            meta = {"variant": [str(v) for v in ds["variant"].values], "kpi": [str(k) for k in ds["kpi"].values],
                    "unit": [str(u) for u in ds["unit"].values], "impact": [str(i) for i in ds["impact"].values]}
    return members, np.stack(values), meta


def _initialise(path: Path, n: int, meta: dict, spec: dict, seed: int, territory: str) -> None:
    shape = (n, len(meta["variant"]), len(meta["kpi"]))
    ds = xr.Dataset(
        {"value": (("member", "variant", "kpi"), np.full(shape, np.nan)), "done": ("member", np.zeros(n, bool))},
        coords={"member": np.arange(n), "variant": meta["variant"], "kpi": meta["kpi"],
                "unit": ("kpi", meta["unit"]), "impact": ("kpi", meta["impact"])},
        attrs={"scenario": json.dumps(spec, sort_keys=True), "seed": seed, "territory": territory, "members": n},
    )
    ds.to_zarr(path, mode="w", zarr_format=2)


def _write(path: Path, members: list[int], values: np.ndarray) -> None:
    lo, hi = min(members), max(members) + 1
    if hi - lo != len(members):
        raise EnsembleError("a batch must hold consecutive members")
    ds = xr.Dataset({"value": (("member", "variant", "kpi"), values), "done": ("member", np.ones(len(members), bool))})
    ds.to_zarr(path, region={"member": slice(lo, hi)}, zarr_format=2)


def run_ensemble(spec: dict, *, members: int, territory: str = "redon", seed: int = 0, out: str | Path | None = None,
                 scheduler=None, batch_size: int = 25, progress: bool = True, max_batches: int | None = None) -> xr.Dataset:
    """Run ``members`` members of a scenario (a dict like a scenario file) and gather their KPIs.

    Parameters
    ----------
    scheduler : ``"sync"`` (this process), ``None`` (a LocalCluster of 2 single-threaded workers), a
        scheduler address (``"tcp://host:8786"``) or a ``dask.distributed.Client``.
    out : Zarr store to write to as batches finish; an existing store for the same scenario, seed
        and size is resumed (its finished members are not run again).
    max_batches : stop after this many batches (to test interruption and resumption).
    """
    from tqdm import tqdm  # noqa: PLC0415

    if members < 1:
        raise EnsembleError("members must be at least 1")
    path = Path(out) if out is not None else None
    todo = list(range(members))
    if path is not None and (path / ".zattrs").exists():
        existing = xr.open_zarr(path)
        same = (existing.attrs.get("scenario") == json.dumps(spec, sort_keys=True) and
                int(existing.attrs.get("seed")) == seed and int(existing.attrs.get("members")) == members)
        if not same:
            raise EnsembleError(f"{path} holds another ensemble (scenario, seed or size differ): choose another --out")
        done = existing["done"].values
        todo = [m for m in todo if not done[m]]
    batches = [todo[i:i + batch_size] for i in range(0, len(todo), batch_size)]
    # Split batches that straddle a gap left by a resumed run, so each writes one contiguous region.
    batches = [part for b in batches for part in np.split(b, np.flatnonzero(np.diff(b) != 1) + 1) if len(part)]
    batches = [list(map(int, b)) for b in batches]
    if max_batches is not None:
        batches = batches[:max_batches]
    collected: dict[int, np.ndarray] = {}
    meta: dict = {}
    initialised = path is not None and todo != list(range(members))

    def handle(result):
        nonlocal meta, initialised
        ms, vals, m = result
        meta = meta or m
        if path is not None:
            if not initialised:
                _initialise(path, members, meta, spec, seed, territory)
                initialised = True
            _write(path, ms, vals)
        for i, mem in enumerate(ms):
            collected[mem] = vals[i]

    bar = tqdm(total=sum(len(b) for b in batches), desc="ensemble members", unit="member", disable=not progress)
    if scheduler == "sync":
        for b in batches:
            handle(_run_batch(spec, territory, seed, b))
            bar.update(len(b))
    else:
        from dask.distributed import Client, LocalCluster, as_completed  # noqa: PLC0415

        own = None
        if scheduler is None:
            own = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(own)
        elif isinstance(scheduler, str):
            client = Client(scheduler)
        else:
            client = scheduler
        try:
            futures = [client.submit(_run_batch, spec, territory, seed, b, pure=False) for b in batches]
            for fut in as_completed(futures):
                res = fut.result()
                handle(res)
                bar.update(len(res[0]))
        finally:
            if own is not None:
                client.close()
                own.close()
    bar.close()
    if path is not None:
        return xr.open_zarr(path).load()
    if len(collected) < members:
        raise EnsembleError(f"only {len(collected)} of {members} members ran (interrupted without an --out store)")
    return xr.Dataset(
        {"value": (("member", "variant", "kpi"), np.stack([collected[m] for m in range(members)])),
         "done": ("member", np.ones(members, bool))},
        coords={"member": np.arange(members), "variant": meta["variant"], "kpi": meta["kpi"],
                "unit": ("kpi", meta["unit"]), "impact": ("kpi", meta["impact"])},
        attrs={"scenario": json.dumps(spec, sort_keys=True), "seed": seed, "territory": territory, "members": members})
