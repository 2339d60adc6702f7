"""Pages made ahead of their request (twin.app.server.pages_ahead) show what a page made on request
shows: the same document, the variants saved meanwhile, the participant and facilitator of the
address. The served path itself (a burst of pages taken from those made ahead) runs in every browser
test, whose server makes pages ahead; ``benchmarks/bench_app_open.py`` times it."""

from __future__ import annotations

import re

import pytest

from twin.app.variants import Variant, VariantStore, outcome_rows


@pytest.fixture(scope="module")
def closure():
    from twin.scenarios import StreetClosure
    from twin.seeds import load_default

    return StreetClosure(streets=["Quai Saint-Jacques"]).run(load_default())


def _document(app) -> str:
    """The page's document as the browser receives it, with Bokeh's model ids numbered in order of
    appearance and Panel's object counters left out (two pages made apart differ only by them)."""
    from bokeh.core.json_encoder import serialize_json
    from bokeh.document import Document

    doc = Document()
    app.view().server_doc(doc)
    text = serialize_json(doc.to_json())
    text = re.sub(r'"name":"([A-Za-z]+)\d{5}"', r'"name":"\1"', text)  # Panel's names count every object made
    ids: dict[str, str] = {}
    return re.sub(r'"(p\d+)"', lambda m: '"' + ids.setdefault(m.group(1), f"m{len(ids)}") + '"', text)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_page_made_ahead_shows_what_a_page_made_on_request_shows(tmp_path, closure, lang):
    """Made before a variant was saved, then bound: the same document as a page made after, on request."""
    from twin.app.main import TwinApp

    store = VariantStore(tmp_path)
    ahead = TwinApp("redon", lang, store=store, ahead=True)
    store.save(Variant("Rue fermée", "street-closure", "redon", {}, outcome_rows(closure)))
    ahead.bind_session()
    on_request = TwinApp("redon", lang, store=store)
    assert "Rue fermée" in " ".join(ahead.pick.options)  # saved while it waited, listed once bound
    assert _document(ahead) == _document(on_request)
    ahead.tabs.active = on_request.tabs.active = 1  # the scenario tab, whose result map was made ahead
    assert _document(ahead) == _document(on_request)


def test_a_page_made_ahead_binds_the_facilitator_and_the_participant_of_its_address(tmp_path, monkeypatch):
    """The address's arguments are read when the page is bound, not when it was made."""
    import panel as pn

    from twin.app.main import TwinApp

    from twin.app.workshop import CODE_ENV, FACILITATOR_ENV

    monkeypatch.setenv(CODE_ENV, "1234")
    monkeypatch.setenv(FACILITATOR_ENV, "clé-animateur")
    ahead = TwinApp("redon", "fr", store=VariantStore(tmp_path), ahead=True)
    assert not ahead.workshop_facilitator and not ahead.participant
    monkeypatch.setattr(type(pn.state), "session_args", property(
        lambda self: {"animateur": ["clé-animateur".encode()], "nom": ["Élise".encode()]}), raising=False)
    ahead.bind_session()
    assert ahead.workshop_facilitator and ahead.participant == "Élise"
    assert ahead.workshop_freeze.visible


def test_only_a_page_whose_address_says_nothing_but_its_language_is_taken_ahead():
    from twin.app.server.pages_ahead import plain_address

    assert plain_address({}) and plain_address({"lang": [b"en"]})
    assert not plain_address({"nom": [b"Elise"], "jeton": [b"x"]})
    assert not plain_address({"animateur": [b"x"]})


def test_pages_are_made_ahead_outside_the_session_that_started_them(monkeypatch):
    """The server's timer is started by its first page, inside that session: the pages it then makes
    must not see that session's document (each would show its address and keep it alive)."""
    import asyncio

    import panel as pn
    from bokeh.document import Document
    from panel.io.state import set_curdoc

    from twin.app.server import pages_ahead

    for name, value in (("_ticking", []), ("_ready", {}), ("_makers", {}), ("_last_request", [-1e9]),
                        ("QUIET_S", 0.0), ("TICK_S", 0.05), ("BUSY_SHARE", 1e9)):
        monkeypatch.setattr(pages_ahead, name, value)
    seen = []

    def make():
        seen.append(pn.state._curdoc.get())
        return object()

    async def serve():
        with set_curdoc(Document()):
            pages_ahead.keep_ready("redon", "fr", make, size=2)
        await asyncio.sleep(0.6)
        pages_ahead._ticking[0][1].stop()

    asyncio.run(serve())
    assert len(seen) == 2 and all(doc is None for doc in seen)
    assert pages_ahead.ready_count("redon", "fr") == 2
    assert pages_ahead.take("redon", "fr") is not None and pages_ahead.ready_count("redon", "fr") == 1
