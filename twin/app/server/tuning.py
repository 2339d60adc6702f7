"""The Tornado and Bokeh settings that make a page cheaper to serve (measured with
``benchmarks/bench_app.py``). Both are process-wide and idempotent: every new page calls them."""

from __future__ import annotations

import os


def send_without_delay() -> None:
    """Answer on every websocket of this server without Nagle's delay (``TCP_NODELAY``).

    Bokeh writes each message as several websocket frames (header, metadata, content); with
    Nagle's algorithm the later frames wait for the peer to acknowledge the first, and a delayed
    acknowledgement makes that ~40 ms on every update of a page. Tornado documents
    ``set_nodelay(True)`` for exactly this; browsers already set it on their side. Idempotent.
    """
    from panel.io.server import WSHandler  # noqa: PLC0415 - the handler `panel serve` and pn.serve both use

    if getattr(WSHandler.open, "twin_nodelay", False):
        return
    opened = WSHandler.open

    def open_without_delay(self, *args, **kwargs):
        self.set_nodelay(True)
        return opened(self, *args, **kwargs)

    open_without_delay.twin_nodelay = True
    WSHandler.open = open_without_delay


def skip_layout_validation() -> None:
    """Do not run Bokeh's document validation on every page (about a tenth of the server's time to
    open one, measured): the layout is the same for every session, and validation only logs
    warnings. ``BOKEH_VALIDATE_DOC=true`` turns it back on while working on the layout."""
    from bokeh.settings import settings  # noqa: PLC0415

    if "BOKEH_VALIDATE_DOC" not in os.environ:
        settings.perform_document_validation.set_value(False)
