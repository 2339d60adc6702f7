"""Every change the server makes to a page reaches the browser, not only with the page's next message.

Panel 1.9 writes a page's changes to its websocket itself. While Bokeh's own writer holds the
socket (a reply, a large message still going out), Panel queues its message for that page
(``panel.io.document._WRITE_MSGS``) behind a flag (``_WRITE_BLOCK``) and a task that sends the queue
once the socket is free. Two such tasks can overlap: one that has just sent its messages clears the
flag after waiting for their writes, while the other has put a newer message back in the queue and
will look again only if the flag is set. That message then waits for the page's next change
(which queues behind it and sets the flag again) — in the app, a run clicked right after a select's
change was computed and put on the page by the server, but its cards reached the browser only when
the user clicked something else (seen in 1 run out of about 40 in ``tests/test_app_browser.py``;
the server's queue then held one message and no flag).

:func:`watch_deliveries` gives each page a watchman: every :data:`WATCH_MS` it sends again what sits
in that page's queue with no flag and no task left to send it. It uses Panel's private names; when
they are gone (another Panel), it does nothing.
"""

from __future__ import annotations

import logging

log = logging.getLogger("twin.app")

WATCH_MS = 200
"""Milliseconds between two looks at a page's queue: a stranded message waits at most this long."""


def stranded(doc) -> bool:
    """True when ``doc``'s page has messages queued by Panel that no task will send (see the module)."""
    try:
        from panel.io import document as panel_document  # noqa: PLC0415 - Panel's private write queue
    except ImportError:  # pragma: no cover - Panel is a dependency
        return False
    queue, block = getattr(panel_document, "_WRITE_MSGS", None), getattr(panel_document, "_WRITE_BLOCK", None)
    if queue is None or block is None:
        return False
    return bool(queue.get(doc)) and doc not in block


def send_stranded(doc) -> bool:
    """Send what :func:`stranded` found, as Panel sends its queue (its flag set, its sending task
    started); True when there was something to send."""
    if not stranded(doc):
        return False
    from panel.io import document as panel_document  # noqa: PLC0415

    dispatch, send_queue = (getattr(panel_document, name, None) for name in ("_dispatch_write_task", "_dispatch_msgs"))
    if dispatch is None or send_queue is None:
        return False
    panel_document._WRITE_BLOCK[doc] = True
    dispatch(doc, send_queue, doc)
    log.info("a page's change queued by Panel with no task left to send it: sent now")
    return True


def watch_deliveries(doc) -> None:
    """Look at ``doc``'s queue every :data:`WATCH_MS` while its session lives (Bokeh drops the
    callback with the session); nothing for a page not served."""
    if doc is None or getattr(doc, "session_context", None) is None:
        return
    doc.add_periodic_callback(lambda: send_stranded(doc), WATCH_MS)
