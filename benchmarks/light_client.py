"""A page delivered over the app's websocket, as a browser's network layer receives it, decoded no further.

``bench_app.WebsocketSession`` (bokeh.client) rebuilds every model of a page in Python: 0.3 s of CPU
a page, about what the server spends making it. Twenty such clients in one Python process (one GIL)
on the server's own two cores is not what a workshop is: there, twenty laptops each decode and draw
their own page at once. :class:`DeliveredPage` speaks the same Bokeh protocol — it connects, pulls
the document, says it is ready, can show the "Scénario" tab — but keeps the messages as the JSON the
server sent (parsed, not turned into models). What it times is the server's side of a page: from the
request to the whole document received. What a browser then takes to draw it on its own machine is
measured apart, on one real chromium page (``bench_app_open.browser_page_s``), and added.

Not part of the product; used by ``benchmarks/bench_app_open.py``.
"""

from __future__ import annotations

import json
import time


def _walk(node):
    """Every JSON object in ``node``, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def tab_index(doc_json: dict, titles: tuple[str, ...]) -> tuple[str, int]:
    """(id of the page's Tabs model, index of its tab titled one of ``titles``) in a pulled document."""
    for obj in _walk(doc_json):
        if str(obj.get("name", "")).endswith("Tabs") and "tabs" in obj.get("attributes", {}):
            for i, panel in enumerate(obj["attributes"]["tabs"]):
                if panel.get("attributes", {}).get("title") in titles:
                    return obj["id"], i
    raise LookupError(f"no tab titled {titles} in the page")


class DeliveredPage:
    """One page opened over the websocket; ``seconds``: from the request to the whole document
    received (with ``scenario``: and then its "Scénario" tab's contents received)."""

    def __init__(self, url: str, scenario: bool = False, timeout: float = 120.0):
        from bokeh.client.session import ClientSession
        from bokeh.client.util import websocket_url_for_server_url
        from bokeh.util.token import generate_session_id

        t0 = time.perf_counter()
        self.patches: list[str] = []
        self.session = ClientSession(session_id=generate_session_id(), websocket_url=websocket_url_for_server_url(url),
                                     max_message_size=50 * 1024 * 1024)
        # the server's later changes are kept as received: there are no Python models to apply them to
        self.session._handle_patch = lambda message: self.patches.append(
            json.dumps(message.content, separators=(",", ":"), ensure_ascii=False))
        self.session.connect()
        self.session.check_connection_errors()
        conn = self.session._connection
        reply = conn._send_message_wait_for_reply(conn._protocol.create("PULL-DOC-REQ"))
        if reply is None or reply.header["msgtype"] == "ERROR":
            raise RuntimeError(f"the page was not delivered: {getattr(reply, 'content', 'connection lost')}")
        self.doc_json = reply.content["doc"]
        self._document_ready()
        if scenario:
            self._show_tab(("Scénario", "Scenario"), '"label":"Lancer"', timeout)
        self.seconds = time.perf_counter() - t0

    def _send_patch(self, events: list[dict]) -> None:
        from bokeh.protocol.messages.patch_doc import patch_doc

        conn = self.session._connection
        conn._loop_until(lambda: True)  # the connection's loop has taken what came in
        msg = patch_doc(patch_doc.create_header(), {}, {"events": events})
        conn._loop.add_callback(conn.send_message, msg)

    def _document_ready(self) -> None:
        """Say the page is drawn, as BokehJS does: until then Panel queues every update to this page."""
        from bokeh.core.serialization import Serializer
        from bokeh.events import DocumentReady

        ready = Serializer().encode(DocumentReady())
        self._send_patch([{"kind": "MessageSent", "msg_type": "bokeh_event", "msg_data": ready}])
        self.session._connection.force_roundtrip()

    def _show_tab(self, titles: tuple[str, ...], mark: str, timeout: float) -> None:
        """Click the tab titled one of ``titles`` and wait until a change from the server carries ``mark``."""
        tabs_id, index = tab_index(self.doc_json, titles)
        self._send_patch([{"kind": "ModelChanged", "model": {"id": tabs_id}, "attr": "active", "new": index}])
        conn = self.session._connection
        # the loop checks its condition only when a message comes: a timer ends a wait nothing answers
        timer = conn._loop.call_later(timeout, conn._loop.stop)
        conn._loop_until(lambda: any(mark in p for p in self.patches))
        conn._loop.remove_timeout(timer)
        if not any(mark in p for p in self.patches):
            raise RuntimeError(f"tab {titles[0]}: nothing carrying {mark} within {timeout:.0f} s "
                               f"({len(self.patches)} changes received)")

    def close(self) -> None:
        self.session.close()


def delivered_together(url: str, sessions: int, scenario: bool = False) -> list[float]:
    """``sessions`` pages requested in the same second, each on its own thread: their delivery times
    (the pages are closed once all are delivered)."""
    import threading

    waits: list[float | None] = [None] * sessions
    errors: list[BaseException] = []

    pages: list[DeliveredPage] = []

    def one(i):
        try:
            page = DeliveredPage(url, scenario=scenario)
            waits[i] = page.seconds
            pages.append(page)
        except BaseException as e:  # noqa: BLE001 - reported below, with the others
            errors.append(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for page in pages:  # open until all are delivered, as in a workshop (a page closed costs the server too)
        page.close()
    if errors:
        raise RuntimeError(f"{len(errors)} of {sessions} pages failed: {errors[0]!r}")
    return waits
