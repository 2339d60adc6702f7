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

Everything a user gives is checked before any member runs or anything is allocated: the scenario
(built once, so a bad parameter fails at once), ``members`` (1 … :data:`MAX_MEMBERS`), ``batch_size``,
``seed`` and the ``out`` store — a store of another ensemble, a file or a non-empty directory that is
no Zarr store is refused, and a store that cannot be read (a corrupt chunk) is named as such.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import xarray as xr

from twin.errors import TwinError

MAX_MEMBERS = 100_000
"""Most members of one ensemble: its results are members × variants × KPIs floats (100,000 × 3 × 12 ≈ 29 MB),
and a member is a whole scenario run (seconds each): more is a cluster job to split."""
MAX_BATCH = 10_000


class EnsembleError(TwinError, ValueError):
    """An ensemble that cannot run; the message says why."""


def member_seed(seed: int, member: int) -> int:
    """The seed of one member, derived from the ensemble's seed (stable across runs and machines)."""
    child = np.random.SeedSequence(seed).spawn(member + 1)[member]
    return int(child.generate_state(1, dtype=np.uint32)[0])


@lru_cache(maxsize=4)
def _territory(name: str):
    from twin.seeds import open_territory  # noqa: PLC0415

    return open_territory(name)


def _scenario(spec: dict, seed: int, base_dir=None):
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    if not isinstance(spec, dict):
        raise EnsembleError(f"a scenario is a JSON object {{\"family\": …}}, got {type(spec).__name__}")
    family = spec.get("family")
    if not isinstance(family, str) or family not in SCENARIOS:
        raise EnsembleError(f"unknown scenario family {str(family)[:60]!r} (known: {sorted(SCENARIOS)})")
    cls = SCENARIOS[family]
    if "seed" not in cls.param:
        raise EnsembleError(f"scenario family {family!r} has no random input: every member would repeat one run")
    return cls.from_dict({**spec, "seed": seed}, origin="ensemble", base_dir=base_dir)


def run_member(spec: dict, territory: str, seed: int, member: int, base_dir=None) -> xr.Dataset:
    """One member alone: the scenario with this member's seed. Returns its Outcome data.

    ``base_dir``: the scenario file's directory, where the files it names are read (see
    :mod:`twin.sources.safe_files`)."""
    outcome = _scenario(spec, member_seed(seed, member), base_dir).run(_territory(territory))
    return outcome.data[["value"]]


def _run_batch(spec: dict, territory: str, seed: int, members: list[int],
               base_dir=None) -> tuple[list[int], np.ndarray, dict]:
    values, meta = [], {}
    for m in members:
        ds = run_member(spec, territory, seed, m, base_dir)
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


def _integer(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise EnsembleError(f"{name} must be a whole number from {lo:,} to {hi:,} (got {str(value)[:40]})")
    return int(value)


def _open_store(path: Path) -> xr.Dataset:
    """The Zarr store at ``path``, loaded (so a corrupt chunk shows now, not after computing)."""
    try:
        return xr.open_zarr(path).load()
    except Exception as exc:  # noqa: BLE001 - zarr, numcodecs and xarray raise many types on a damaged store
        raise EnsembleError(f"{path}: the Zarr store cannot be read ({type(exc).__name__}: a chunk or its metadata is "
                            "corrupt or missing); delete it to start again, or choose another --out") from None


def _check_out(path: Path, spec: dict, seed: int, members: int) -> np.ndarray | None:
    """The ``done`` flags of a store to resume, None for a new one; refuses what cannot be written to."""
    if not path.exists():
        if not path.parent.is_dir():
            raise EnsembleError(f"{path}: its directory {path.parent} does not exist")
        return None
    if not path.is_dir():
        raise EnsembleError(f"{path} exists and is a file, not a Zarr store: choose another --out")
    if not (path / ".zattrs").exists() and not (path / ".zgroup").exists():
        if any(path.iterdir()):
            raise EnsembleError(f"{path} is a directory that holds files but no Zarr store: choose another --out")
        return None
    existing = _open_store(path)
    try:
        same = (existing.attrs.get("scenario") == json.dumps(spec, sort_keys=True) and
                int(existing.attrs.get("seed")) == seed and int(existing.attrs.get("members")) == members
                and existing["done"].shape == (members,))
    except (TypeError, ValueError, KeyError):
        same = False
    if not same:
        raise EnsembleError(f"{path} holds another ensemble (scenario, seed or size differ): choose another --out")
    return existing["done"].values


def run_ensemble(spec: dict, *, members: int, territory: str = "redon", seed: int = 0, out: str | Path | None = None,
                 scheduler=None, batch_size: int = 25, progress: bool = True, max_batches: int | None = None,
                 base_dir: str | Path | None = None) -> xr.Dataset:
    """Run ``members`` members of a scenario (a dict like a scenario file) and gather their KPIs.

    Parameters
    ----------
    scheduler : ``"sync"`` (this process), ``None`` (a LocalCluster of 2 single-threaded workers), a
        scheduler address (``"tcp://host:8786"``) or a ``dask.distributed.Client``.
    out : Zarr store to write to as batches finish; an existing store for the same scenario, seed
        and size is resumed (its finished members are not run again).
    max_batches : stop after this many batches (to test interruption and resumption).
    base_dir : the scenario file's directory: files the scenario names are read there (or in an input
        directory, :mod:`twin.sources.safe_files`).
    """
    from tqdm import tqdm  # noqa: PLC0415

    # everything checked before a member runs: sizes, the scenario itself, the store
    members = _integer("members", members, 1, MAX_MEMBERS)
    batch_size = _integer("batch_size", batch_size, 1, MAX_BATCH)
    seed = _integer("seed", seed, 0, 2**32 - 1)
    _scenario(spec, member_seed(seed, 0), base_dir)
    path = Path(out) if out is not None else None
    todo = list(range(members))
    done = _check_out(path, spec, seed, members) if path is not None else None
    if done is not None:
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
            handle(_run_batch(spec, territory, seed, b, base_dir))
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
            futures = [client.submit(_run_batch, spec, territory, seed, b, base_dir, pure=False) for b in batches]
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
        return _open_store(path)
    if len(collected) < members:
        raise EnsembleError(f"only {len(collected)} of {members} members ran (interrupted without an --out store)")
    return xr.Dataset(
        {"value": (("member", "variant", "kpi"), np.stack([collected[m] for m in range(members)])),
         "done": ("member", np.ones(members, bool))},
        coords={"member": np.arange(members), "variant": meta["variant"], "kpi": meta["kpi"],
                "unit": ("kpi", meta["unit"]), "impact": ("kpi", meta["impact"])},
        attrs={"scenario": json.dumps(spec, sort_keys=True), "seed": seed, "territory": territory, "members": members})
