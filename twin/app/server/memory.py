"""When the garbage collector may pause the server: never for the open pages, once per wave of
closing pages, and only in a lull between runs.

A full collection walks every tracked object and stops every session while it does; with twenty
pages open that is ~0.2–0.6 s (measured, ``TWIN_APP_LOG_GC=1`` logs each one).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import time

log = logging.getLogger("twin.app")
log.setLevel(logging.INFO)

# a closed page's objects are collected once the server has had no run for this long: a full
# collection of a workshop's heap pauses the server for ~0.4 s, which nobody should wait through
QUIET_BEFORE_COLLECT_S = 5.0
COLLECT_AFTER_CLOSE_S = 2.0  # pages of a workshop close in waves: one collection per wave
_LAST_RUN = {"t": 0.0}
_REFREEZE: dict = {}


def _log_full_collections() -> None:
    """With ``TWIN_APP_LOG_GC=1``: log every full collection and how long it paused the server."""
    started = {}

    def timing(phase, info):
        if phase == "start":
            started["t"] = time.perf_counter()
        elif info["generation"] == 2:
            log.info("full garbage collection: %.3f s, %d objects freed", time.perf_counter() - started["t"],
                     info["collected"])

    gc.callbacks.append(timing)


if os.environ.get("TWIN_APP_LOG_GC") == "1":
    _log_full_collections()


def keep_pages_out_of_the_collector() -> None:
    """Move every object alive now (the pages of the open sessions included) out of the garbage
    collector's reach (``gc.freeze``), and give them back to it when a page closes.

    A full collection walks every tracked object: with twenty pages open that is ~0.2–0.6 s, and
    under a workshop's load Python ran one every few seconds — a pause every session waits
    through. Frozen objects are skipped; objects freed by reference counting are still freed. The
    only thing frozen objects escape is the cycle collector, so when a page closes its objects are
    unfrozen and collected (once for a wave of closing pages, when no run has started for
    ``QUIET_BEFORE_COLLECT_S``) and the rest frozen again.
    """
    gc.freeze()


def run_started() -> None:
    """A session starts a run: the server is busy, a collection and the pages made ahead wait for the
    next lull."""
    from twin.app.server import pages_ahead  # noqa: PLC0415

    _LAST_RUN["t"] = time.monotonic()
    pages_ahead.note_activity()


def _page_closed(session_context) -> None:
    loop = asyncio.get_event_loop()
    if _REFREEZE.get("pending"):
        return

    def collect_and_freeze():
        quiet = time.monotonic() - _LAST_RUN["t"]
        if quiet < QUIET_BEFORE_COLLECT_S:  # sessions are working: wait for a lull
            _REFREEZE["pending"] = loop.call_later(QUIET_BEFORE_COLLECT_S - quiet, collect_and_freeze)
            return
        _REFREEZE.pop("pending", None)
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    _REFREEZE["pending"] = loop.call_later(COLLECT_AFTER_CLOSE_S, collect_and_freeze)
