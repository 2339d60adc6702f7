"""Run a function in a fresh process and report its wall time and that process's peak memory."""

from __future__ import annotations

import multiprocessing as mp
import resource
import time


def _child(fn, args, queue):
    import gc

    gc.collect()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    extra = fn(*args)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"seconds": round(seconds, 4), "peak_rss_mib": round(peak / 1024, 1),
               "rss_growth_mib": round((peak - base) / 1024, 1), **(extra or {})})


def measure(fn, *args) -> dict:
    """``fn(*args)`` in a fresh process (forked, so imports are warm but memory is its own).

    ``fn`` may return a dict of extra figures to report. Import time is excluded:
    the child imports before the clock starts only if ``fn``'s module does so at top level.
    """
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    while True:
        try:
            result = queue.get(timeout=1.0)
            break
        except Exception:  # noqa: BLE001 - queue.Empty: is the child still there?
            if not proc.is_alive() and queue.empty():
                raise RuntimeError(f"the measured process ended without a result (exit code {proc.exitcode}): its "
                                   "error is above (a fork after numba's threads started in the parent also "
                                   "ends it so)") from None
    proc.join()
    return result
