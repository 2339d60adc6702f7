"""The page: map, scenario builder, comparison and workshop mode — one Panel app per browser session.

The page assembles its parts, each a mixin holding its widgets and what they do:

* :mod:`twin.app.builder` — the family choice and the fields generated from each scenario's
  ``param`` declaration (one source of truth), the streets and zone taken from the map;
* :mod:`twin.app.builder_uploads` — the scenario, calendar and lamp inventory files;
* :mod:`twin.app.builder_run` — the run in a worker process, its progress, KPI cards, result map
  and series, and saving a result as a variant;
* :mod:`twin.app.compare` and :mod:`twin.app.workshop` — the two tabs of saved variants.

The territory is shared read-only by every session. The HTML of the cards and messages is made by
:mod:`twin.app.cards`; the server's settings (websockets, Bokeh validation, garbage collection) are
in :mod:`twin.app.server`.
"""

from __future__ import annotations

import html
import logging
import os
from urllib.parse import urlencode

import panel as pn

from twin.app.alerts_tab import AlertsPanel
from twin.app.builder import FAMILIES, BuilderPanel  # noqa: F401 - the families offered, also read from here
from twin.app.builder_run import RunCycle
from twin.app.builder_uploads import UploadsPanel
from twin.app.cards import CARDS_CSS as PAGE_CSS
from twin.app.cards import MAX_MESSAGE_CHARS  # noqa: F401 - the page's message limit, also read from here
from twin.app.compare import ComparePanel
from twin.app.checkbox_label import checkbox_label_script
from twin.app.decimal_comma import decimal_comma_script
from twin.app.choice_guard import choice_guard_script
from twin.app.i18n import LANGS, page_lang_script, t, town_name
from twin.app.mapview import territory_map
from twin.app.reopen_scroll import reopen_scroll_script
from twin.app.report import synthetic_history_note
from twin.app.security import install_security_headers
from twin.app.server import pages_ahead
from twin.app.server.delivery import watch_deliveries
from twin.app.server.memory import _page_closed, keep_pages_out_of_the_collector
from twin.app.server.tuning import (collect_set_references_only, send_without_delay, serialize_set_properties_only,
                                    serve_pages_in_turn, skip_layout_validation)
from twin.app.server.workers import shared_territory, start_workers, started
from twin.app.summary import town_summary_html
from twin.app.street_label import use_graph
from twin.app.variants import VariantStore
from twin.app.workshop import WORKSHOP_TAB, WorkshopPanel  # noqa: F401 - the workshop's tab, also read from here

log = logging.getLogger("twin.app")
log.setLevel(logging.INFO)


def _first_values(args: dict) -> dict[str, str]:
    """Bokeh's session arguments (``{name: [bytes]}``) as ``{name: text}``, the first value of each."""
    return {k: (v[0].decode(errors="replace") if isinstance(v[0], bytes) else str(v[0]))
            for k, v in args.items() if v}


def language_switch_href(query: dict[str, str], lang: str) -> str:
    """The address of the same page in ``lang``: ``query`` (a participant's name and token, the
    facilitator's token) is kept, so switching language does not leave the workshop."""
    return "?" + urlencode({**{k: v for k, v in query.items() if k != "lang"}, "lang": lang})


class TwinApp(BuilderPanel, UploadsPanel, RunCycle, ComparePanel, WorkshopPanel, AlertsPanel):
    """One browser session's page."""

    def __init__(self, territory: str = "redon", lang: str = "fr", store: VariantStore | None = None,
                 ahead: bool = False):
        """The page of ``territory`` in ``lang``; bound to the current session (its document and address)
        unless made ``ahead`` of any request (:mod:`twin.app.server.pages_ahead`), bound when taken."""
        from twin.scenarios import SCENARIOS  # noqa: PLC0415

        self.SCENARIOS = SCENARIOS
        self.territory_name = territory
        self.lang = lang if lang in LANGS else "fr"
        self.territory = shared_territory(territory)
        use_graph(self.territory.graphs["drive"])  # parts of streets named after it in every view
        self.store = store or VariantStore()
        self.outcome_rows: list[dict] = []
        self.runs = 0
        self.doc = None  # this session's, once bound (``bind_session``)
        self.last_params: dict = {}
        L = self.lang

        # --- map
        self.map_sources: dict = {}
        self.fig, self.renderers, self.street_src = territory_map(self.territory, L, sources=self.map_sources,
                                                                   shared_styles=True)  # never recoloured
        self.layer_toggle = pn.widgets.CheckButtonGroup(
            name=t("layers", L), value=["streets", "buildings", "water", "bins", "places"],
            options={t(k, L): k for k in ("streets", "buildings", "water", "bins", "lamps", "sensors", "places")})
        self.layer_toggle.param.watch(self._layers, "value")
        self.map_pane = pn.pane.Bokeh(self.fig, sizing_mode="stretch_width")

        # --- builder (the family and its fields, the uploads, the run and its results)
        self._build_builder(L)
        self._build_uploads(L)
        self._build_run(L)
        self._family_changed()

        # --- comparison and workshop
        self._build_compare(L)
        self._build_workshop(L)
        self._build_alerts(L)
        # The page opens on the map; the other tabs' contents are drawn when a tab is first shown (then
        # kept): twenty pages opened in the same second each send ~120 models instead of ~310, and the
        # result map is built then too — before the run button can be clicked, so no run waits for it.
        # Their widgets exist from the start (the page's code and tests use them whatever is shown).
        self._tab_parts = {1: self._scenario_tab, 2: self._compare_tab, 3: self._workshop_tab, 4: self._alerts_tab}
        self.tabs = pn.Tabs(
            # the town at a glance with its map (above the tabs it filled the top of every tab: at 1280 × 800
            # the scenario form started below the fold)
            (t("map", L), pn.Column(pn.pane.HTML(town_summary_html(self.territory, L), sizing_mode="stretch_width"),
                                    self.layer_toggle, self.map_pane,
                                    pn.pane.HTML(f"<small>{html.escape(self.territory.provenance.get('attribution', ''))}"
                                                 "</small>", css_classes=["attribution"]),
                                    sizing_mode="stretch_width")),
            *((t(key, L), pn.Column(sizing_mode="stretch_width")) for key in ("scenario", "compare", "workshop", "alerts")),
            dynamic=False, sizing_mode="stretch_width")
        self.tabs.param.watch(self._show_tab, "active")  # before the parts' own watchers: their tab is drawn
        self.tabs.param.watch(self._tab_changed, "active")
        if ahead:
            # the scenario tab's result map too (a second territory map): the tab a participant opens
            # first then costs the server only its sending
            self._ensure_result_map()
            self.view()
        else:
            self.bind_session()

    def bind_session(self):
        """Bind the page to the session being opened: its document, its address (facilitator, participant)
        and the saved variants as they are now (a page made ahead may have waited while others saved)."""
        # this session's document, captured now: after an ``await`` the global "current document" may be
        # another session's, and holding or patching that one would mix the sessions up
        self.doc = pn.state.curdoc
        watch_deliveries(self.doc)  # a change Panel leaves stranded in its queue still reaches the browser
        self._workshop_bind(getattr(pn.state, "session_args", None) or {})
        self._signature = None  # drawn afresh, whatever was drawn ahead
        self._refresh_variants()
        if getattr(self, "language_switch", None) is not None:  # made ahead: the link keeps this address
            self.language_switch.object = self._language_switch_html()

    # --- the tabs' contents, drawn when first shown -------------------------------------------------
    def _show_tab(self, event=None):
        part = self._tab_parts.pop(self.tabs.active, None)
        if part is not None:
            self.tabs[self.tabs.active].objects = [part()]

    def _scenario_tab(self):
        self._ensure_result_map()
        return pn.Row(
            pn.Column(self.family, self.upload, self.calendar_upload, self.inventory_upload, self.params_box, self.selection_text, self.use_selection,
                      self.use_zone, self.field_note, pn.pane.Bokeh(self.run_button, sizing_mode="stretch_width"),
                      width=380),
            pn.Column(self.progress, self.message, self.stale_note, pn.pane.Bokeh(self.kpis, sizing_mode="stretch_width"),
                      pn.Row(self.variant_name, self.save_button), self.save_note, self.downloads, self.result_caption,
                      self.result_map,
                      self.series, sizing_mode="stretch_width"),
            sizing_mode="stretch_width")

    def _compare_tab(self):
        return pn.Column(self.pick, pn.Row(self.compare_report, self.compare_pdf), self.compare_pane,
                         pn.Row(self.reopen_pick, self.reopen_button), sizing_mode="stretch_width")

    def _workshop_tab(self):
        return pn.Column(self.workshop_report, self.workshop_box, sizing_mode="stretch_width")

    # --- map ---------------------------------------------------------------------------------
    def _layers(self, event=None):
        for key, r in self.renderers.items():
            for rr in r if isinstance(r, list) else [r]:
                rr.visible = key in self.layer_toggle.value

    # --- the page ----------------------------------------------------------------------------
    def _language_switch_html(self, query: dict[str, str] | None = None) -> str:
        """The link to the page in the other language, keeping the address's other arguments."""
        other = "en" if self.lang == "fr" else "fr"
        args = getattr(pn.state, "session_args", None) or {}
        href = language_switch_href({**_first_values(args), **(query or {})}, other)
        return (f"<a href='{html.escape(href)}' class='lang-switch'>"
                f"{'English' if other == 'en' else 'Français'}</a>")

    def _address_changed(self, query: dict[str, str]):
        """The page's address gained ``query`` (a participant joined): the language link keeps it."""
        if getattr(self, "language_switch", None) is not None:
            self.language_switch.object = self._language_switch_html(query)

    def view(self):
        """The page (made once: a page made ahead is made with its view)."""
        if getattr(self, "_page", None) is None:
            self._page = self._make_page()
        return self._page

    def _make_page(self):
        self.language_switch = pn.pane.HTML(self._language_switch_html())
        switch = self.language_switch
        note = synthetic_history_note(self.territory, self.lang)  # a real history is no « SYNTHÉTIQUE »
        # the territory's name comes from a file: HTML escaped, not Markdown (which passes HTML through)
        header = pn.Row(pn.pane.HTML(f"<h1>{html.escape(t('title', self.lang, name=town_name(self.territory.name)))}</h1>"),
                        pn.HSpacer(), switch, sizing_mode="stretch_width")
        return pn.Column(header, pn.pane.HTML(f"<p><em>{html.escape(note)}</em></p>") if note else pn.Spacer(height=0),
                         self.tabs, self.upload_guard_pane,
                         # « 12,5 » in a number box is 12.5 on the French page (Bokeh dropped the comma: 125)
                         *([pn.pane.HTML(decimal_comma_script(), height=0, margin=0)] if self.lang == "fr" else []),
                         pn.pane.HTML(reopen_scroll_script(), height=0, margin=0),
                         pn.pane.HTML(checkbox_label_script(), height=0, margin=0),
                         pn.pane.HTML(page_lang_script(self.lang), height=0, margin=0),
                         pn.pane.HTML(choice_guard_script(self.lang), height=0, margin=0),
                         sizing_mode="stretch_width", stylesheets=[PAGE_CSS])


def create_app():
    """The page of one session (language from ``?lang=en``; territory from ``TWIN_TERRITORY``)."""
    send_without_delay()
    install_security_headers()
    skip_layout_validation()
    serialize_set_properties_only()
    collect_set_references_only()
    serve_pages_in_turn()
    lang = "fr"
    args = getattr(pn.state, "session_args", None) or {}
    if args.get("lang"):
        lang = args["lang"][0].decode()
    territory = os.environ.get("TWIN_TERRITORY", "redon")
    served = pn.state.curdoc is not None and pn.state.curdoc.session_context is not None
    if served:
        pages_ahead.note_activity()
    app = pages_ahead.take(territory, lang) if served and pages_ahead.plain_address(args) else None
    if app is None:
        app = TwinApp(territory, lang)
    else:
        app.bind_session()
    page = app.view()
    if served:
        if not started(app.territory_name):
            start_workers(app.territory_name)
        made_lang = app.lang  # not ``app``: the maker, kept, would keep this session's page alive
        pages_ahead.keep_ready(territory, made_lang, lambda: TwinApp(territory, made_lang, ahead=True))
        pn.state.on_session_destroyed(_page_closed)
        keep_pages_out_of_the_collector()
    return page
