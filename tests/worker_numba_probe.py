"""Helpers a spawned worker imports by name (tests/test_app_perf_parts.py): numba imported before the
worker's set-up, as unpickling an initializer may do, then a function compiled for the first time."""

from __future__ import annotations


def start_after_numba(territory_name: str, server_pid: int) -> None:
    import numba  # noqa: F401 - imported before the worker's set-up, on purpose

    from twin.app.server.workers import _worker_start

    _worker_start(territory_name, server_pid)


def compile_fresh() -> tuple[int, int]:
    """A function numba has never compiled in this process (no cache): its compilation rereads the
    environment, where a NUMBA_NUM_THREADS set after numba's import was refused."""
    import numba

    @numba.njit
    def add(a, b):
        return a + b

    return int(add(1, 2)), numba.get_num_threads()
