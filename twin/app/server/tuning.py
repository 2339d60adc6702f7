"""The Tornado and Bokeh settings that make a page cheaper to serve (measured with
``benchmarks/bench_app.py``, ``benchmarks/bench_app_open.py``). All are process-wide and idempotent: every
new page calls them."""

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


def serialize_set_properties_only() -> None:
    """Make Bokeh's serialization of a model look only at the properties it sends.

    To send a model, Bokeh lists the properties set on it (the others are the browser's defaults),
    but ``HasProps.query_properties_with_values`` first computes the value of *every* property —
    defaults included, each validated — and then drops the ones not set: ~60 % of the time to
    serialize a page went to values never sent (measured on the app's page: 48 → 21 ms, the JSON
    sent byte for byte the same, ``tests/test_app_perf_parts.py``). The replacement computes only
    the values it keeps, with the same rules; any other use (``include_defaults=True``) is
    Bokeh's own. Applied to Bokeh 3 only (the version whose method this mirrors). Idempotent.
    """
    import bokeh  # noqa: PLC0415
    from bokeh.core.has_props import HasProps  # noqa: PLC0415
    from bokeh.core.property.wrappers import PropertyValueContainer  # noqa: PLC0415

    original = HasProps.query_properties_with_values
    if getattr(original, "twin_set_only", False) or not bokeh.__version__.startswith("3."):
        return

    def query_properties_with_values(self, query, *, include_defaults: bool = True, include_undefined: bool = False):
        if include_defaults:
            return original(self, query, include_defaults=include_defaults, include_undefined=include_undefined)
        # as Bokeh's: the properties set, those with an unstable default (models made on first use),
        # and the themed ones
        selected = set(self._property_values) | set(self._unstable_default_values)
        themed = self.themed_values()
        themed_keys = set(themed) if themed is not None else set()
        selected |= themed_keys
        result = {}
        for key in self.properties(_with_props=True):
            if key not in selected:
                continue
            descriptor = self.lookup(key)
            if not query(descriptor):
                continue
            value = descriptor.get_value(self)
            if key not in themed_keys and isinstance(value, PropertyValueContainer) \
                    and key in self._unstable_default_values:
                continue  # an unmodified default container: not sent (as Bokeh's)
            result[key] = value
        return result

    query_properties_with_values.twin_set_only = True
    query_properties_with_values.bokeh_original = original
    HasProps.query_properties_with_values = query_properties_with_values


def collect_set_references_only() -> None:
    """Make Bokeh's search for the models a page holds look only where a model can be.

    Adding a page to its document, Bokeh walks every model for the models it refers to: for each
    property that *may* hold one, it computes the value — defaults included, each made and validated
    — to look inside it. A default that is the same for every instance (a colour, a number, ``None``:
    Bokeh's "stable" defaults) holds no model, and most properties of a page's models are such
    defaults: computing them was ~45 % of the time to add a page to its document (measured in
    process on the app's page). The replacement looks at the values set, the defaults made on first
    use (a source's selection, which Bokeh counts as "unstable" and makes here as before), and skips
    the stable defaults; the models found are the same (``tests/test_app_perf_parts.py``). Applied
    to Bokeh 3 only (the version whose function this mirrors). Idempotent.
    """
    import bokeh  # noqa: PLC0415
    from bokeh.core.has_props import HasProps  # noqa: PLC0415
    from bokeh.model import util  # noqa: PLC0415

    original = util.visit_immediate_value_references
    if getattr(original, "twin_set_only", False) or not bokeh.__version__.startswith("3."):
        return
    visit_value = util.visit_value_and_its_immediate_references
    stable: dict = {}  # (class, property) -> its default is the same for every instance (no model in it)

    def _stable(cls, name: str, descriptor, obj) -> bool:
        key = (cls, name)
        if key not in stable:
            stable[key] = not descriptor.has_unstable_default(obj)
        return stable[key]

    def visit_immediate_value_references(value, visitor):
        if not isinstance(value, HasProps):
            visit_value(value, visitor)
            return
        cls, values, made = type(value), value._property_values, value._unstable_default_values
        themed = value.themed_values() or {}  # a theme's values are looked at, as Bokeh does
        for name in value.properties_with_refs():
            if name not in values and name not in made and name not in themed \
                    and _stable(cls, name, value.lookup(name), value):
                continue
            visit_value(getattr(value, name), visitor)

    visit_immediate_value_references.twin_set_only = True
    visit_immediate_value_references.bokeh_original = original
    util.visit_immediate_value_references = visit_immediate_value_references


# pages being made whose document has not yet been sent, at most (``TWIN_APP_PAGES_IN_TURN``; 0: no
# turns); and how long one may hold its turn
PAGES_IN_TURN, TURN_S = int(os.environ.get("TWIN_APP_PAGES_IN_TURN", "2")), 1.5


def serve_pages_in_turn(at_once: int = PAGES_IN_TURN, turn_s: float = TURN_S) -> None:
    """Make a new page only when at most ``at_once - 1`` others are made and not yet sent.

    One server process makes every page on one thread. Twenty pages requested in the same second
    were all made first, and only then were their documents sent (each request to send one queued
    behind the pages still to make): every page arrived at the end, after ~20 pages' work. In turn,
    the first page is sent after ~2 pages' work, the tenth after ~11: the median wait is halved, the
    last page's is the same. The same total work, the same pages; only the order changes.

    A page's turn ends when its document is sent (the browser's first request on its websocket,
    ``PULL-DOC``), or after ``turn_s`` seconds whatever happens (a browser that never asks holds
    no one up for longer). A session already made (a browser's websocket after its page request)
    never waits. Two pages at once, not one: a browser fetches its scripts between its page and
    its websocket, and the server makes the next page meanwhile (measured with
    ``benchmarks/bench_app_open.py``, 20 websocket pages at once: median/worst 11.5/12.2 s without
    turns, 6.4/8.3 s two at a time, 5.5/8.3 s one at a time, on a 2-core machine other work
    loaded). ``TWIN_APP_PAGES_IN_TURN`` changes ``at_once`` (0: no turns). Idempotent.
    """
    import asyncio  # noqa: PLC0415

    from bokeh.server.contexts import ApplicationContext  # noqa: PLC0415
    from bokeh.server.session import ServerSession  # noqa: PLC0415

    create = ApplicationContext.create_session_if_needed
    if getattr(create, "twin_in_turn", False) or at_once <= 0:
        return
    pull = ServerSession._handle_pull
    turns: dict = {}  # event loop -> semaphore of the pages made and not yet sent
    ends: dict = {}  # session id -> ends its turn

    async def create_session_if_needed(self, session_id, request=None, token=None):
        if session_id in self._sessions or session_id in self._pending_sessions:
            return await create(self, session_id, request, token)
        loop = asyncio.get_running_loop()
        turn = turns.setdefault(loop, asyncio.Semaphore(at_once))
        await turn.acquire()
        done = []

        def end():
            if not done:
                done.append(True)
                ends.pop(session_id, None)
                turn.release()

        try:
            session = await create(self, session_id, request, token)
        except BaseException:
            end()
            raise
        ends[session_id] = end
        loop.call_later(turn_s, end)
        return session

    def _handle_pull(self, message, connection):
        reply = pull(self, message, connection)
        end = ends.get(self.id)
        if end is not None:  # the reply is written as soon as this returns: the next page may start
            asyncio.get_running_loop().call_soon(end)
        return reply

    create_session_if_needed.twin_in_turn = True
    ApplicationContext.create_session_if_needed = create_session_if_needed
    ServerSession._handle_pull = _handle_pull
