"""The page keeps all its parts now that it is cheaper to open (issue 17): the map with every layer as
it opens, each other tab's contents once it is shown, and the map's columns shared between pages
without one page's result showing on another's map. No timing here: benchmarks/bench_app_open.py."""

from __future__ import annotations

import pytest
from bokeh.core.serialization import Serializer
from bokeh.document import Document
from bokeh.util.warnings import BokehUserWarning
from bokeh.models import Button, ColumnDataSource, GlyphRenderer, LabelSet, Legend, MultiLine, TapTool
from panel.io.state import set_curdoc

from twin.app.i18n import family_label, t
from twin.app.mapview import STYLE_COLUMNS, SharedColumn, territory_map
from twin.app.variants import VariantStore

LAYERS = ("streets", "buildings", "water", "bins", "lamps", "sensors", "places")


@pytest.fixture(scope="module")
def territory():
    from twin.app.server.workers import shared_territory

    return shared_territory("redon")


def _page(tmp_path, lang="fr"):
    """(app, document) as the server makes them for one session."""
    from twin.app.main import TwinApp

    doc = Document()
    with set_curdoc(doc):
        app = TwinApp("redon", lang, store=VariantStore(tmp_path / "variants"))
        app.view().server_doc(doc)
    return app, doc


def _show(app, doc, tab: int):
    with set_curdoc(doc):
        app.tabs.active = tab


def _maps(doc):
    return [m for m in doc.models if getattr(m, "name", None) == "territory-map"]


def _flat(r):
    return r if isinstance(r, list) else [r]


def test_the_page_opens_on_the_map_with_every_layer_its_legend_and_the_street_picker(tmp_path):
    app, doc = _page(tmp_path)
    assert [title for title, _ in zip(app.tabs._names, app.tabs, strict=True)] == \
        [t(k, "fr") for k in ("map", "scenario", "compare", "workshop", "alerts")]
    maps = _maps(doc)
    assert len(maps) == 1, "the map tab's map only: the result map comes with the Scénario tab"
    fig = maps[0]
    drawn = set(fig.references())
    for layer in LAYERS:
        for r in _flat(app.renderers[layer]):
            assert r in drawn, f"layer {layer} not in the page's document"
    glyphs = [r for r in fig.renderers if isinstance(r, GlyphRenderer)]
    assert len(glyphs) == 9  # buildings, water areas, waterways, streets, lamps, bins, sensors, places, zone
    assert all(len(r.data_source.data[next(iter(r.data_source.data))]) > 0 for r in glyphs
               if r.data_source is not app.map_sources["zone"]), "every layer has its features"
    legend = next(m for m in fig.references() if isinstance(m, Legend))
    assert len(legend.items) == 6 + 4  # six layers, four groups of places
    assert any(isinstance(m, LabelSet) for m in fig.references()), "the places are named"
    # the streets can still be picked: a tap tool on them and a selected street drawn in red
    streets = app.renderers["streets"]
    taps = [tool for tool in fig.tools if isinstance(tool, TapTool)]
    assert taps and taps[0].renderers == [streets]
    assert isinstance(streets.selection_glyph, MultiLine) and streets.selection_glyph.line_width == 6
    with set_curdoc(doc):
        app.street_src.selected.indices = [0]  # as a tap on the first street does
    first = app.street_src.data["name"][0] or app.street_src.data["way"][0]
    assert app._selected_streets() == [first] and first in app.selection_text.object
    # the other tabs are there, empty until shown
    assert all(len(app.tabs[i]) == 0 for i in (1, 2, 3))
    assert not any(isinstance(m, Button) and m.label == t("run", "fr") for m in doc.models)


def test_each_tab_is_drawn_when_first_shown_and_kept(tmp_path):
    app, doc = _page(tmp_path)
    _show(app, doc, 1)
    scenario = app.tabs[1]
    assert len(scenario) == 1
    run = [m for m in doc.models if isinstance(m, Button) and m.label == t("run", "fr")]
    assert run == [app.run_button], "the run button is in the page once its tab is shown"
    assert app.kpis in list(doc.models)
    maps = _maps(doc)
    assert len(maps) == 2, "the result map comes with the Scénario tab"
    # no zone on the results' map: a zone drawn there was read by nothing (the « Carte » tab's map draws it)
    assert set(app.result_sources) == {"buildings", "streets", "lamps", "bins", "places"}
    result_fig = next(m for m in maps if m is not app.fig)
    for layer in LAYERS:
        for r in _flat(app.result_renderers[layer]):
            assert r in set(result_fig.references()), f"layer {layer} not on the result map"
    offered = [str(o) for m in doc.models if type(m).__name__.endswith("Select") for o in (m.options or [])]
    assert any(family_label("street-closure", "fr") in o for o in offered), "the family choice is in the page"
    _show(app, doc, 2)
    assert len(app.tabs[2]) == 1
    compare_models = set(doc.models)
    _show(app, doc, 3)
    assert len(app.tabs[3]) == 1
    assert len(doc.models) > len(compare_models), "the workshop tab's widgets are sent when it is shown"
    _show(app, doc, 1)
    assert app.tabs[1] is scenario and len(scenario) == 1 and app.run_button in list(doc.models), "kept, not rebuilt"


def test_pages_share_the_map_columns_and_not_what_a_result_recolours(tmp_path):
    a, doc_a = _page(tmp_path / "a")
    b, doc_b = _page(tmp_path / "b")
    for layer in ("buildings", "streets", "lamps", "bins", "places"):
        da, db = a.map_sources[layer].data, b.map_sources[layer].data
        for column in da:
            assert da[column] is db[column], f"{layer}.{column} made twice"
    _show(a, doc_a, 1)
    _show(b, doc_b, 1)
    ra, rb = a.result_sources["streets"], b.result_sources["streets"]
    assert ra.data["xs"] is rb.data["xs"], "the result maps share the shapes too"
    for column in STYLE_COLUMNS:
        if column in ra.data:
            assert type(ra.data[column]) is list and ra.data[column] is not rb.data[column], column
    with set_curdoc(doc_a):
        ra.patch({"color": [(0, "#000000")]})
    assert ra.data["color"][0] == "#000000" and rb.data["color"][0] != "#000000"
    assert a.map_sources["streets"].data["color"][0] != "#000000"


def test_a_shared_column_is_sent_as_its_list_would_be_and_cannot_be_changed(territory):
    sources: dict = {}
    territory_map(territory, "fr", sources=sources)
    src = sources["buildings"]
    shared = {c: v for c, v in src.data.items() if isinstance(v, SharedColumn)}
    assert {"xs", "ys", "id", "name"} <= set(shared)
    plain = ColumnDataSource({c: list(v) for c, v in src.data.items()})
    assert Serializer().encode(src.data) == Serializer().encode(plain.data)
    with pytest.raises(TypeError):
        src.data["xs"][0] = [0.0]
    with pytest.warns(BokehUserWarning, match="immutable"):  # Bokeh refuses to patch it
        src.patch({"name": [(0, "autre")]})
    assert src.data["name"][0] != "autre"


def test_shapes_are_kept_to_the_centimetre(territory):
    sources: dict = {}
    territory_map(territory, "fr", sources=sources)
    buildings = territory.layers["buildings"]
    xs = sources["buildings"].data["xs"]
    assert len(xs) == len(buildings)
    for i in (0, len(buildings) // 2, len(buildings) - 1):
        poly = max(getattr(buildings.geometry.iloc[i], "geoms", [buildings.geometry.iloc[i]]), key=lambda p: p.area)
        x, _ = poly.exterior.xy
        assert len(xs[i]) == len(x)
        assert max(abs(a - b) for a, b in zip(xs[i], x, strict=True)) <= 0.005 + 1e-9


def test_serializing_only_the_properties_set_sends_the_same_page(tmp_path):
    from bokeh.core.has_props import HasProps
    from bokeh.core.json_encoder import serialize_json

    from twin.app.server.tuning import serialize_set_properties_only

    serialize_set_properties_only()
    serialize_set_properties_only()  # idempotent: wraps Bokeh's method once
    patched = HasProps.query_properties_with_values
    assert patched.twin_set_only and not getattr(patched.bokeh_original, "twin_set_only", False)
    app, doc = _page(tmp_path)
    for tab in (1, 2, 3):
        _show(app, doc, tab)
    sent = serialize_json(doc.to_json().content)
    HasProps.query_properties_with_values = patched.bokeh_original
    try:
        bokehs = serialize_json(doc.to_json().content)
    finally:
        HasProps.query_properties_with_values = patched
    assert len(sent) > 100_000 and sent == bokehs


def test_looking_for_models_only_where_one_can_be_finds_the_same_models(tmp_path):
    """The page's models found by Bokeh's own search and by ``collect_set_references_only``'s are the
    same (every tab shown: forms, result map, comparison, workshop), and so is the page sent."""
    from bokeh.core.json_encoder import serialize_json
    from bokeh.model import util

    from twin.app.server.tuning import collect_set_references_only

    collect_set_references_only()
    collect_set_references_only()  # idempotent: wraps Bokeh's function once
    patched = util.visit_immediate_value_references
    assert patched.twin_set_only and not getattr(patched.bokeh_original, "twin_set_only", False)
    app, doc = _page(tmp_path)
    for tab in (1, 2, 3):
        _show(app, doc, tab)
    found = {m.id for m in util.collect_models(*doc.roots)}
    sent = serialize_json(doc.to_json().content)
    util.visit_immediate_value_references = patched.bokeh_original
    try:
        bokehs = {m.id for m in util.collect_models(*doc.roots)}
        bokehs_sent = serialize_json(doc.to_json().content)
    finally:
        util.visit_immediate_value_references = patched
    assert len(found) > 200 and found == bokehs and found == {m.id for m in doc.models}
    assert sent == bokehs_sent


def test_pages_requested_together_are_all_served_in_turn(tmp_path):
    """Four pages requested at once through the app's server (its pages served in turn,
    twin.app.server.tuning.serve_pages_in_turn): each gets its whole page, map included."""
    import threading

    import panel.models.layout  # noqa: F401 - Panel's Bokeh models, to decode the pages
    import panel.models.markup  # noqa: F401
    import panel.models.widgets  # noqa: F401
    from bokeh.client import pull_session

    from tests.test_app_browser import start_server, stop_server

    proc, url = start_server(tmp_path)
    try:
        pull_session(url=url).close()  # the first page (territory loaded, workers started)
        pages: list = [None] * 4

        def open_page(i):
            session = pull_session(url=url)
            pages[i] = [getattr(m, "name", None) for m in session.document.models]
            session.close()

        threads = [threading.Thread(target=open_page, args=(i,)) for i in range(len(pages))]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=300)
        for names in pages:
            assert names is not None and "territory-map" in names and "map-legend" in names
        log = proc.log_path.read_text()
        assert "Traceback" not in log, log[-2000:]
    finally:
        stop_server(proc)


def test_a_worker_compiles_even_when_numba_was_imported_before_its_set_up():
    """A fresh checkout (nothing compiled yet): the app's first roadworks run failed in its worker with
    « Cannot set NUMBA_NUM_THREADS to a different value once the threads have been launched », numba having
    been imported before the worker set the variable. One compute thread, and the compilation goes through."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from tests.worker_numba_probe import compile_fresh, start_after_numba

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                             initializer=start_after_numba, initargs=("redon", os.getpid())) as pool:
        assert pool.submit(compile_fresh).result(timeout=300) == (3, 1)
