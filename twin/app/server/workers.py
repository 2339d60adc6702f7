"""Scenario runs off the server's event loop: worker processes, the shared territory, a result cache.

* The territory is loaded once per process (:func:`shared_territory`) and shared read-only by
  every session (scenarios work on copies), so twenty browsers cost one territory.
* A run goes to worker processes (``TWIN_APP_PROCESSES``, default 4; 0: threads of the server): a
  computation then never holds the server's interpreter lock, so the pages of the other sessions
  are answered while it runs, and two runs use two cores.
* Identical runs are computed once and shared (:func:`run_shared`).
* A worker whose server was killed exits instead of holding its memory (:func:`_worker_start`).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from functools import lru_cache

from twin.app.variants import outcome_rows

# scenario runs go to worker processes (TWIN_APP_PROCESSES, default 4; 0: threads of the server):
# a computation then never holds the server's interpreter lock, so the pages of the other
# sessions are answered while it runs, and two runs use two cores
WORKERS = int(os.environ.get("TWIN_APP_PROCESSES", "4"))
_EXECUTORS: dict = {}
_EXECUTORS_LOCK = threading.Lock()

_RESULTS: OrderedDict = OrderedDict()  # (territory, family, params) -> Future of the Outcome
_RESULTS_LOCK = threading.Lock()
MAX_RESULTS = 128


def run_shared(territory_name: str, territory, scenario, inventory: tuple[str, str] | None = None) -> Future:
    """(outcome, KPI rows) as a Future, computed once per distinct (territory, parameters).

    ``inventory``: (file name, content) of a lamp inventory uploaded in the page, which replaces the
    territory's lamps for this run (parsed in the worker from the content; no file is involved).

    Scenarios are deterministic given their parameters (random ones carry a seed), so twenty
    browsers of a workshop running the same variant share one computation; a request made while the
    same one is running waits for it instead of starting a second. A failed run is not kept.
    """
    params = {k: v for k, v in scenario.param.values().items() if k != "name"}
    key = (territory_name, scenario.family, json.dumps(params, sort_keys=True, default=str),
           hashlib.sha256(inventory[1].encode()).hexdigest() if inventory else None)
    with _RESULTS_LOCK:
        fut = _RESULTS.get(key)
        if fut is not None and not (fut.done() and fut.exception() is not None):
            _RESULTS.move_to_end(key)
            return fut
        pool = executor(territory_name)
        fut = pool.submit(_run_in_worker, territory_name, scenario, inventory) if WORKERS else \
            pool.submit(_run, scenario, with_inventory(territory, inventory))
        _RESULTS[key] = fut
        while len(_RESULTS) > MAX_RESULTS:
            _RESULTS.popitem(last=False)
    return fut


def executor(territory_name: str):
    """The pool that runs the scenarios of one territory (its worker processes load it once)."""
    with _EXECUTORS_LOCK:
        pool = _EXECUTORS.get(territory_name)
        if pool is None:
            if WORKERS:
                import multiprocessing  # noqa: PLC0415

                # spawned, not forked: the server has threads (tornado, the pool's manager)
                pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_worker_start, initargs=(territory_name, os.getpid()))
            else:
                pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="twin-run")
            _EXECUTORS[territory_name] = pool
    return pool


def started(territory_name: str) -> bool:
    """Whether the pool of this territory exists already (its workers started or starting)."""
    return territory_name in _EXECUTORS


def start_workers(territory_name: str) -> None:
    """Start the worker processes now (each imports twin and loads the territory: seconds), so the
    first runs of a workshop do not wait for them."""
    pool = executor(territory_name)
    for _ in range(WORKERS):
        pool.submit(_warm_up, territory_name)


def _warm_up(territory_name: str, hold_s: float = 2.0) -> None:
    """In a worker: load the territory and run one street closure (it builds the street index every
    closure then reuses), then keep the worker busy up to ``hold_s`` so each worker gets one."""
    from twin.scenarios.street_closure import StreetClosure  # noqa: PLC0415

    t0 = time.perf_counter()
    territory = shared_territory(territory_name)
    name = next((d["name"] for _, _, d in territory.graphs["drive"].edges(data=True)
                 if isinstance(d.get("name"), str)), None)
    if name:
        StreetClosure(streets=[name]).run(territory)
    time.sleep(max(0.0, hold_s - (time.perf_counter() - t0)))


def _worker_start(territory_name: str, server_pid: int) -> None:
    """A worker process starts: one compute thread (a 500-member flood in one session must leave
    the server's event loop a core for the others), a watch on the server (a worker whose server was
    killed exits instead of holding its memory), then the territory."""
    import sys  # noqa: PLC0415

    # numba reads NUMBA_NUM_THREADS when imported and checks it again at every compilation: set after its
    # import (unpickling this initializer may import it), the first compilation in the worker refused to run
    # (« Cannot set NUMBA_NUM_THREADS to a different value once the threads have been launched »), which a
    # fresh checkout, with nothing compiled yet, met at its first roadworks run
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                *(() if "numba" in sys.modules else ("NUMBA_NUM_THREADS",))):
        os.environ[var] = "1"
    import numba  # noqa: PLC0415

    numba.set_num_threads(1)

    def watch():
        while os.getppid() == server_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="twin-watch-server").start()
    shared_territory(territory_name)


def _run_in_worker(territory_name: str, scenario, inventory: tuple[str, str] | None = None):
    """In a worker process: run on the territory it loaded at start (its lamps replaced by an
    uploaded inventory when there is one)."""
    return _run(scenario, with_inventory(shared_territory(territory_name), inventory))


_INVENTORIES: OrderedDict = OrderedDict()  # (territory, sha256 of the content) -> territory with those lamps
_INVENTORIES_LOCK = threading.Lock()


def with_inventory(territory, inventory: tuple[str, str] | None):
    """``territory`` with the lamps of an uploaded inventory (name, content), parsed in memory; the
    territory itself when there is none. The last few are kept: a workshop reruns the same one."""
    if not inventory:
        return territory
    from twin.sources.lamp_inventory import read_lamp_inventory_text  # noqa: PLC0415

    name, content = inventory
    key = (id(territory), hashlib.sha256(content.encode()).hexdigest())
    with _INVENTORIES_LOCK:
        if key in _INVENTORIES:
            return _INVENTORIES[key]
    out = territory.with_lamps(read_lamp_inventory_text(content, territory, origin=name))
    with _INVENTORIES_LOCK:
        _INVENTORIES[key] = out
        while len(_INVENTORIES) > 4:
            _INVENTORIES.popitem(last=False)
    return out


def _run(scenario, territory):
    """(outcome, KPI rows): the outcome holds every result a view draws (the scenario keeps none, so it
    is not sent back); the rows are made here, in the worker, so the event loop only formats them."""
    outcome = scenario.run(territory)
    return outcome, outcome_rows(outcome)


@lru_cache(maxsize=4)
def shared_territory(name: str):
    """The territory, loaded once per server process (``redon`` or the path of a saved territory)."""
    from twin.seeds import open_territory  # noqa: PLC0415

    return open_territory(name)
