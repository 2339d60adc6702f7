"""Pages made ahead of their request, while the server is idle (issue 17: a workshop's twenty pages
opened in the same second).

One server process makes every page on one thread: twenty pages requested at once wait for each
other's making (0.35–0.4 s of CPU each, about half of it building the page's Python objects — the
map's Bokeh models, the forms' widgets — before any session exists). Those objects depend only on
the territory and the language, so the server makes them before they are asked for, when no page
has been requested for :data:`QUIET_S` seconds and the sessions leave the server idle, one at a time, up to :data:`PAGES_AHEAD` of each
language already asked for (French first). A page taken from here is then bound to its session
(:meth:`twin.app.main.TwinApp.bind_session`: its document, its address, the saved variants as they
are then) exactly as a page made on request, and shows the same thing
(``tests/test_app_pages_ahead.py``). A page whose address names a participant, a facilitator or
anything but the language is made on request.

``TWIN_APP_PAGES_AHEAD`` sets how many (0: none ahead). Each waiting page holds its objects in memory
(about 2.5 MB of Python objects by tracemalloc, about 5 MB of the process's resident memory).
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger("twin.app")

PAGES_AHEAD = int(os.environ.get("TWIN_APP_PAGES_AHEAD", "24"))
"""Pages kept ready per (territory, language): a workshop of twenty, its facilitator, and a margin."""
QUIET_S = 2.0
"""Seconds without a page requested before the server makes pages ahead (never while pages are asked for)."""
TICK_S = 0.5
"""Seconds between two pages made ahead: the server stays free for the sessions' clicks in between."""

BUSY_SHARE = 0.2
"""Share of a core above which the server is busy with its sessions (none made ahead then)."""

_ready: dict[tuple[str, str], deque] = {}
_makers: dict[tuple[str, str], Callable[[], object]] = {}
_last_request = [0.0]
_ticking: list = []
_last_look = [time.monotonic(), time.process_time()]  # (wall, CPU) seconds at the last tick
_own_cpu = [0.0]  # CPU seconds the last tick spent making a page ahead


def plain_address(args: dict) -> bool:
    """True when a page's address (Bokeh's ``session_args``) says nothing but its language: only such
    a page may be one made ahead (a participant's name or a facilitator's token binds at request)."""
    return set(args) <= {"lang"}


def note_activity() -> None:
    """A page was requested or a run started: the server makes no page ahead for :data:`QUIET_S` seconds
    (making one holds the server ~0.4 s, which a click or a run's result would wait for)."""
    _last_request[0] = time.monotonic()


def take(territory: str, lang: str):
    """A page of ``territory`` in ``lang`` made ahead, or None (notes the request: :func:`note_activity`)."""
    note_activity()
    ready = _ready.get((territory, lang))
    return ready.popleft() if ready else None


def keep_ready(territory: str, lang: str, make: Callable[[], object], size: int = PAGES_AHEAD) -> None:
    """Keep up to ``size`` pages of (``territory``, ``lang``) made ahead by ``make()``, on the server's
    event loop (Panel's objects are made on the loop's thread, as every page). Idempotent."""
    if size <= 0:
        return
    key = (territory, lang)
    _ready.setdefault(key, deque())
    _makers[key] = make
    if not _ticking:
        import contextvars  # noqa: PLC0415

        from tornado.ioloop import IOLoop, PeriodicCallback  # noqa: PLC0415

        tick = PeriodicCallback(lambda: _make_one(size), TICK_S * 1000)
        # started in an empty context: Tornado runs each tick in a copy of the context it was started
        # in, which here is the first session's (its document would be every page's made ahead, and kept)
        contextvars.Context().run(tick.start)
        _ticking.append((IOLoop.current(), tick))


def _server_busy() -> bool:
    """Whether the server process used more than :data:`BUSY_SHARE` of a core since the last look, leaving
    out the pages it made ahead itself (sessions showing a tab, answering clicks: they come first)."""
    now, cpu = time.monotonic(), time.process_time()
    last_now, last_cpu = _last_look
    _last_look[:] = [now, cpu]
    return (cpu - last_cpu - _own_cpu[0]) > BUSY_SHARE * (now - last_now)


def _make_one(size: int) -> None:
    """Make one page ahead, for the emptiest (territory, language), when no page was requested lately
    and the server is otherwise idle."""
    busy = _server_busy()
    _own_cpu[0] = 0.0
    if busy or time.monotonic() - _last_request[0] < QUIET_S:
        return
    wanting = [key for key, ready in _ready.items() if len(ready) < size]
    if not wanting:
        return
    key = min(wanting, key=lambda k: (len(_ready[k]), k[1] != "fr"))
    start = time.process_time()
    try:
        _ready[key].append(_makers[key]())
    except Exception:  # noqa: BLE001 - a page that cannot be made ahead is made on request, and said
        log.exception("a page of %s (%s) could not be made ahead; pages will be made on request", *key)
        _ready.pop(key, None)
    finally:
        _own_cpu[0] = time.process_time() - start


def ready_count(territory: str, lang: str) -> int:
    """How many pages of (``territory``, ``lang``) wait, made ahead."""
    return len(_ready.get((territory, lang), ()))
