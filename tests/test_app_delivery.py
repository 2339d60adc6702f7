"""A change Panel leaves stranded in a page's write queue is sent (twin.app.server.delivery).

The race itself shows only in a real browser, about once in 40 runs
(``tests/test_app_browser.py::test_runs_right_after_a_select_change_reach_the_browser_unprompted``);
here the stranded state is set up as the server was found in it (one message queued, no flag, no
task) and Panel's own sending task, started by the watchman, must empty the queue. The connection
is a recorder of what Panel writes, standing in for a websocket.
"""

from __future__ import annotations

import asyncio

import pytest
from bokeh.document import Document

pytest.importorskip("panel")
from panel.io import document as panel_document  # noqa: E402

from twin.app.server.delivery import send_stranded, stranded  # noqa: E402


class _Socket:
    """What Panel's writer calls on a non-tornado socket (``send``), recorded."""

    def __init__(self):
        self.sent: list[str] = []

    async def send(self, text_data=None, binary_data=None):
        self.sent.append(text_data if text_data is not None else binary_data)


class _Connection:
    def __init__(self):
        self._socket = _Socket()


class _Message:
    header_json, metadata_json, content_json, _buffers = '{"msgtype": "PATCH-DOC"}', "{}", '{"events": []}', []


def test_a_message_queued_with_no_flag_is_sent_by_the_watchman():
    doc, conn = Document(), _Connection()

    async def scenario():
        panel_document._WRITE_MSGS[doc] = {conn: [_Message()]}  # as found: queued, no flag, no task
        assert stranded(doc)
        assert send_stranded(doc)
        for _ in range(50):  # Panel's task runs on the loop
            await asyncio.sleep(0.01)
            if conn._socket.sent:
                break
        return conn._socket.sent

    try:
        sent = asyncio.run(scenario())
    finally:
        panel_document._WRITE_MSGS.pop(doc, None)
        panel_document._WRITE_BLOCK.pop(doc, None)
    assert sent == [_Message.header_json, _Message.metadata_json, _Message.content_json]
    assert not stranded(doc) and doc not in panel_document._WRITE_BLOCK  # Panel's task cleared its flag


def test_a_queue_being_sent_or_empty_is_left_alone():
    doc = Document()
    try:
        assert not stranded(doc) and not send_stranded(doc)
        panel_document._WRITE_MSGS[doc] = {}
        assert not stranded(doc)
        panel_document._WRITE_MSGS[doc] = {_Connection(): [_Message()]}
        panel_document._WRITE_BLOCK[doc] = True  # Panel's task is on it
        assert not stranded(doc) and not send_stranded(doc)
    finally:
        panel_document._WRITE_MSGS.pop(doc, None)
        panel_document._WRITE_BLOCK.pop(doc, None)
