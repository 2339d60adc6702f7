"""The page: map, scenario builder, comparison and workshop mode — one Panel app per browser session.

* The territory is shared read-only by every session and runs go to worker processes
  (:mod:`twin.app.server.workers`): the page shows a progress bar when the outcome takes more
  than a second. Identical runs are computed once and shared.
* Every error a user can cause (a bad parameter, a refused file) is shown as a message in the
  page; an unexpected one too, with its type, while the traceback goes to the server's log.
* A field whose value its declaration refuses keeps the value typed, is marked, and blocks
  "Lancer" with a message naming it and why (:mod:`twin.app.fields`); an error or a run waited
  for clears the previous result, so no result stays on screen that is not the last run's.
* Widgets are generated from each scenario's ``param`` declaration (one source of truth).
* The HTML of the cards and messages is made by :mod:`twin.app.cards`; the server's settings
  (websockets, Bokeh validation, garbage collection) are in :mod:`twin.app.server`.
"""

from __future__ import annotations

import asyncio
import html
import io
import json
import logging
import math
import os
import time
from functools import partial

import panel as pn
import param
from bokeh.events import ButtonClick
from bokeh.models import Button as BokehButton
from bokeh.models import Div as BokehDiv
from panel.io.state import set_curdoc

from twin.app.cards import CARDS_CSS as PAGE_CSS
from twin.app.cards import MAX_MESSAGE_CHARS  # noqa: F401 - the page's message limit, also read from here
from twin.app.cards import kpi_cards_html, message_html, workshop_card_html
from twin.app.fields import refusal as field_refusal
from twin.app.fields import DictBox, ListBox, unreadable
from twin.app.i18n import LANGS, family_label, param_label, t
from twin.app.mapview import territory_map
from twin.app.report import CSS, ReportError, comparison_html, report_html, report_pdf
from twin.app.security import (
    MAX_UPLOAD_BYTES,
    install_security_headers,
    upload_guard_script,
)
from twin.app.server.memory import _page_closed, keep_pages_out_of_the_collector, run_started
from twin.app.server.tuning import send_without_delay, skip_layout_validation
from twin.app.server.workers import run_shared, shared_territory, start_workers, started
from twin.app.uploads import CONTENT_KEYS, read_scenario_upload, read_upload, refusal, server_file_parameters
from twin.app.variants import Variant, VariantStore

log = logging.getLogger("twin.app")
log.setLevel(logging.INFO)
# families offered in the builder, quickest first; each is a twin.scenarios family
FAMILIES = ["street-closure", "lighting", "bins", "roadworks", "heating", "flood"]
# show the progress bar only for runs longer than this: under a second a person keeps their flow and a
# bar that flashes on and off only costs a relayout (Nielsen 1993, Usability Engineering, ch. 5)
PROGRESS_AFTER_S = 1.0
UPLOAD_GUARD = "twin-upload-guard"  # the hidden model the page's size check writes a refused file into
INVENTORY_FAMILIES = ("lighting",)  # families whose run uses the lamps an inventory replaces
WORKSHOP_TAB = 3  # position of the workshop tab (map, scenario, compare, workshop)
# defaults that keep a first run short in the page (the scenario's own defaults otherwise)
# a field the page refuses is outlined: the message under "Lancer" says which and why
INVALID_CSS = ":host(.twin-invalid) .bk-input { border: 2px solid #b3261e; background: #fdecea; }"
QUICK = {"street-closure": {"streets": ["Quai Saint-Jacques"]},
         "roadworks": {"streets": ["Quai Saint-Jacques"], "day_method": "hourly"},
         "bins": {"members": 2, "days": 56}, "flood": {"members": 100}}


def _user_errors():
    from twin.errors import USER_ERRORS  # noqa: PLC0415

    return USER_ERRORS


class TwinApp:
    """One browser session's page."""

    def __init__(self, territory: str = "redon", lang: str = "fr", store: VariantStore | None = None):
        from twin.scenarios import SCENARIOS  # noqa: PLC0415

        self.SCENARIOS = SCENARIOS
        self.territory_name = territory
        self.lang = lang if lang in LANGS else "fr"
        self.territory = shared_territory(territory)
        self.store = store or VariantStore()
        self.outcome_rows: list[dict] = []
        self.runs = 0
        # this session's document, captured now: after an ``await`` the global "current document" may be
        # another session's, and holding or patching that one would mix the sessions up
        self.doc = pn.state.curdoc
        self.last_params: dict = {}
        L = self.lang

        # --- map
        self.map_sources: dict = {}
        self.fig, self.renderers, self.street_src = territory_map(self.territory, L, sources=self.map_sources)
        self.layer_toggle = pn.widgets.CheckButtonGroup(
            name=t("layers", L), value=["streets", "buildings", "water", "bins", "places"],
            options={t(k, L): k for k in ("streets", "buildings", "water", "bins", "lamps", "sensors", "places")})
        self.layer_toggle.param.watch(self._layers, "value")
        self.map_pane = pn.pane.Bokeh(self.fig, sizing_mode="stretch_width")

        # --- builder
        self.family = pn.widgets.Select(name=t("family", L),
                                        options={family_label(f, L): f for f in FAMILIES if f in SCENARIOS})
        self.family.param.watch(self._family_changed, "value")
        self.params_box = pn.Column(sizing_mode="stretch_width")
        # street names come from OSM (anyone can edit them): plain HTML, escaped — Markdown passes HTML through
        self.selection_text = pn.pane.HTML("", css_classes=["selection"])
        self.use_selection = pn.widgets.Button(name=t("use_selection", L), button_type="light")
        self.use_selection.on_click(self._use_selection)
        self.street_src.selected.on_change("indices", self._selection_changed)
        self.use_zone = pn.widgets.Button(name=t("use_zone", L), button_type="light", css_classes=["use-zone"])
        self.use_zone.on_click(self._use_zone)
        self.upload = pn.widgets.FileInput(accept=".json", name=t("upload", L), css_classes=["scenario-upload"])
        # the page's own check of a file's size before it is sent (see twin.app.security): it writes a
        # refused file's name and size here, and the server says why in the page
        self.upload_guard = BokehDiv(text="", name=UPLOAD_GUARD, visible=False)
        self.upload_guard.on_change("text", self._upload_refused_in_page)
        # shown (a hidden pane may never be drawn, and its script never run), but of no size
        self.upload_guard_pane = pn.Row(pn.pane.Bokeh(self.upload_guard, height=0, margin=0),
                                        pn.pane.HTML(upload_guard_script(UPLOAD_GUARD), height=0, margin=0),
                                        height=0, margin=0)
        self.upload.param.watch(self._taking(self._uploaded, self.upload), "value")
        # files a scenario needs come as content, never as a path the server would open
        self.calendar_label = pn.pane.HTML(f"<small>{t('calendar_upload', L)}</small>")
        self.calendar_upload = pn.widgets.FileInput(accept=".ics", name=t("calendar_upload", L),
                                                    css_classes=["calendar-upload"])
        self.calendar_upload.param.watch(self._taking(self._calendar_uploaded, self.calendar_upload), "value")
        self.inventory_label = pn.pane.HTML(f"<small>{t('inventory_upload', L)}</small>")
        self.inventory_upload = pn.widgets.FileInput(accept=".csv,.geojson", name=t("inventory_upload", L),
                                                     css_classes=["inventory-upload"])
        self.inventory_upload.param.watch(self._taking(self._inventory_uploaded, self.inventory_upload), "value")
        self.inventory: tuple[str, str] | None = None  # (file name, content) of the uploaded lamp inventory
        self.calendar: tuple[str, str] | None = None  # (file name, content) of the uploaded booking calendar
        # the run button and the KPI cards are plain Bokeh models, not Panel widgets: they are the two
        # models every run goes through, and a click or a new text then costs the server a third of
        # what Panel's event and watcher machinery costs (measured: benchmarks/bench_app.py), which is
        # what twenty sessions clicking at once wait for
        self.run_button = BokehButton(label=t("run", L), button_type="primary", css_classes=["run-button"],
                                      sizing_mode="stretch_width", height=36, margin=(10, 10))
        self.run_button.on_event(ButtonClick, self._run_clicked)
        self._tasks: set = set()
        self.invalid: dict[str, str] = {}  # parameter -> why the page refuses the value its field shows
        self._waiting = False  # a run's progress is shown (its button disabled until it ends)
        # which field blocks "Lancer" and why, right under it
        self.field_note = pn.pane.HTML("", visible=False, css_classes=["invalid-fields"], sizing_mode="stretch_width",
                                       stylesheets=[PAGE_CSS])
        self.progress = pn.indicators.Progress(active=False, visible=False, sizing_mode="stretch_width")
        # plain HTML, not a Markdown Alert: it changes at every run, and Markdown is parsed on the server
        self.message = pn.pane.HTML("", visible=False, css_classes=["message"], sizing_mode="stretch_width",
                                    stylesheets=[PAGE_CSS])
        self.kpis = BokehDiv(text="", sizing_mode="stretch_width", css_classes=["kpi-area"], stylesheets=[PAGE_CSS])
        self.variant_name = pn.widgets.TextInput(name=t("variant_name", L), placeholder=t("variant_name", L))
        self.save_button = pn.widgets.Button(name=t("save", L), button_type="success", css_classes=["save-button"])
        self.save_button.on_click(self.save)
        # the result map is built with the page, hidden until a run has something to draw: building it at
        # the first run instead makes that run several times slower when a whole workshop runs at once
        self.result_sources: dict = {}
        self.result_map = pn.Column(sizing_mode="stretch_width", css_classes=["result-map"], visible=False)
        self.result_caption = pn.pane.HTML("", css_classes=["result-caption"], sizing_mode="stretch_width")
        self.series = pn.Column(sizing_mode="stretch_width", css_classes=["result-series"])
        self._defaults: dict = {}
        self._shown: dict = {}
        self._ensure_result_map()
        self._family_changed()

        # --- comparison and workshop
        self.pick = pn.widgets.MultiChoice(name=t("pick", L), options={}, max_items=4, sizing_mode="stretch_width")
        self.pick.param.watch(self._render_compare, "value")
        self.reopen_pick = pn.widgets.Select(name=t("reopen_pick", L), options={}, css_classes=["reopen-pick"])
        self.reopen_button = pn.widgets.Button(name=t("reopen", L), button_type="primary", css_classes=["reopen"],
                                               align="end")
        self.reopen_button.on_click(self.reopen)
        self.compare_pane = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["compare-area"],
                                         stylesheets=[PAGE_CSS])
        self.compare_report = pn.widgets.FileDownload(callback=self._report_selected, filename="twin-rapport.html",
                                                      label=t("report", L), button_type="primary",
                                                      css_classes=["report-compare"])
        self.compare_pdf = pn.widgets.FileDownload(callback=self._pdf_selected, filename="twin-rapport.pdf",
                                                   label=t("report_pdf", L), button_type="light",
                                                   css_classes=["report-compare-pdf"])
        # a Column laid out as wrapping rows, not pn.FlexBox: FlexBox is a ReactiveHTML, whose templates the browser
        # compiles with ``new Function`` — the page's Content-Security-Policy allows no eval (the Column's
        # scroll button, which it would place first in the row, is hidden: the workshop does not scroll)
        self.workshop_box = pn.Column(sizing_mode="stretch_width", css_classes=["workshop"],
                                      stylesheets=[":host { flex-direction: row !important; flex-wrap: wrap !important; "
                                                   "align-items: flex-start !important; } .scroll-button { display: none; }"])
        self.workshop_report = pn.widgets.FileDownload(callback=self._report_workshop, filename="twin-atelier.html",
                                                       label=t("report", L), button_type="primary",
                                                       css_classes=["report-workshop"])
        self.tabs = pn.Tabs(
            (t("map", L), pn.Column(self.layer_toggle, self.map_pane,
                                    pn.pane.HTML(f"<small>{html.escape(self.territory.provenance.get('attribution', ''))}"
                                                 "</small>", css_classes=["attribution"]),
                                    sizing_mode="stretch_width")),
            (t("scenario", L), pn.Row(
                pn.Column(self.family, self.upload, self.calendar_label, self.calendar_upload, self.inventory_label,
                          self.inventory_upload, self.params_box, self.selection_text, self.use_selection,
                          self.use_zone, pn.pane.Bokeh(self.run_button, sizing_mode="stretch_width"), self.field_note,
                          width=380),
                pn.Column(self.progress, self.message, pn.pane.Bokeh(self.kpis, sizing_mode="stretch_width"),
                          pn.Row(self.variant_name, self.save_button), self.result_caption, self.result_map,
                          self.series, sizing_mode="stretch_width"),
                sizing_mode="stretch_width")),
            (t("compare", L), pn.Column(self.pick, pn.Row(self.compare_report, self.compare_pdf), self.compare_pane,
                                        pn.Row(self.reopen_pick, self.reopen_button),
                                        sizing_mode="stretch_width")),
            (t("workshop", L), pn.Column(self.workshop_report, self.workshop_box, sizing_mode="stretch_width")),
            dynamic=False, sizing_mode="stretch_width")
        self.tabs.param.watch(self._tab_changed, "active")
        self._refresh_variants()

    # --- map ---------------------------------------------------------------------------------
    def _layers(self, event=None):
        for key, r in self.renderers.items():
            for rr in r if isinstance(r, list) else [r]:
                rr.visible = key in self.layer_toggle.value

    def _selected_streets(self) -> list[str]:
        names = [self.street_src.data["name"][i] or self.street_src.data["way"][i]
                 for i in self.street_src.selected.indices]
        return list(dict.fromkeys(names))

    def _selection_changed(self, attr, old, new):
        names = self._selected_streets()
        self.selection_text.object = f"<p>{html.escape(t('selected_streets', self.lang, names=', '.join(names) or '—'))}</p>"

    def _use_selection(self, event=None):
        names = self._selected_streets()
        if "streets" in self.scenario.param and names:
            self.scenario.streets = names

    def _ensure_result_map(self):
        if self.result_sources:
            return
        fig, self.result_renderers, _ = territory_map(self.territory, self.lang, height=430,
                                                      sources=self.result_sources)
        self._defaults = {k: {c: list(src.data[c]) for c in ("color", "width", "size", "value") if c in src.data}
                          for k, src in self.result_sources.items()}
        self._shown = {k: dict(v) for k, v in self._defaults.items()}
        self.result_map[:] = [pn.pane.Bokeh(fig, sizing_mode="stretch_width")]

    def _show_results(self, outcome):
        """The change map and time series of a run: computed now, returned as a function that puts
        them on the page (to be called under the document lock)."""
        from twin.app import results  # noqa: PLC0415

        L = self.lang
        self._ensure_result_map()
        # the same for every session showing this outcome in this language: computed once
        overlays, captions = results.overlays_for(outcome, self.result_sources, L)
        # send only the cells that differ from what the page shows (a workshop has 20 of these pages):
        # a patch of the changed rows when they are few, the whole column otherwise
        patches, columns = {}, {}
        for key, default in self._defaults.items():
            wanted = {**default, **overlays.get(key, {})}
            for c, values in wanted.items():
                shown = self._shown[key].get(c)
                if shown == values:
                    continue
                rows = [i for i, (a, b) in enumerate(zip(shown, values, strict=True)) if a != b] \
                    if shown is not None and len(shown) == len(values) else None
                if rows is not None and len(rows) < len(values) // 4:
                    patches.setdefault(key, {})[c] = [(i, values[i]) for i in rows]
                else:
                    columns.setdefault(key, {})[c] = list(values)
                self._shown[key][c] = list(values)
        fig = results.series_figure(outcome, L)

        def apply():  # under the document lock (see _on_page)
            for key, cols in columns.items():
                self.result_sources[key].data.update(cols)
            for key, cells in patches.items():
                self.result_sources[key].patch(cells)
            for layer in ("lamps", "bins"):  # on the result map only when they are what changes
                shown = layer in overlays
                for r in self.result_renderers[layer] if isinstance(self.result_renderers[layer], list) \
                        else [self.result_renderers[layer]]:
                    if r.visible != shown:
                        r.visible = shown
            caption = "<br>".join(f"<b>{html.escape(c)}</b>" for c in captions)  # a caption quotes a variant's name
            if self.result_map.visible != bool(captions):  # only what changed: each set is work for the server
                self.result_map.visible = bool(captions)
            if self.result_caption.object != caption:
                self.result_caption.object = caption
            if fig is not None or len(self.series):
                self.series[:] = [pn.pane.Bokeh(fig, sizing_mode="stretch_width")] if fig is not None else []

        return apply

    def zone_wkt(self) -> str | None:
        """The zone drawn on the map as a WGS84 WKT polygon, or None."""
        z = self.map_sources["zone"].data
        if not len(z["x"]):
            return None
        from pyproj import Transformer  # noqa: PLC0415
        from shapely.geometry import box  # noqa: PLC0415
        from shapely.ops import transform  # noqa: PLC0415

        x, y, w, h = (float(z[k][-1]) for k in ("x", "y", "width", "height"))
        tr = Transformer.from_crs(self.territory.crs, "EPSG:4326", always_xy=True)
        poly = transform(tr.transform, box(x - abs(w) / 2, y - abs(h) / 2, x + abs(w) / 2, y + abs(h) / 2))
        return poly.wkt

    def _use_zone(self, event=None):
        zone = self.zone_wkt()
        if zone is None:
            self._show(t("no_zone", self.lang), "warning")
            return
        if "polygon" in self.scenario.param:  # roadworks: every street inside
            self.scenario.param.update(polygon=zone, streets=[])
        elif "rules" in self.scenario.param:  # lighting: keep the drawn zone lit all night
            self.scenario.rules = [*self.scenario.rules, {"zone": {"polygon": zone}, "schedule": {"name": "all night"}}]
        else:
            self._show(t("zone_not_used", self.lang, family=family_label(self.scenario.family, self.lang)), "warning")
            return
        self._show(t("zone_used", self.lang), "success")

    # --- builder -----------------------------------------------------------------------------
    def _family_changed(self, event=None, values: dict | None = None):
        cls = self.SCENARIOS[self.family.value]
        values = QUICK.get(self.family.value, {}) if values is None else values
        self.scenario = cls(**values)
        # no widget for a path (the app opens no file a browser names) nor for a file's content (its
        # upload button sets it)
        names = [p for p in cls.param if p not in ("name",) and p not in CONTENT_KEYS
                 and not server_file_parameters({p: "x"})]
        labels = {p: {"name": param_label(p, cls.param[p].doc, self.lang)} for p in names}
        for p in names:  # a slider cannot show 1e-4 on a 1e-8…0.1 range (it reads "0"): a number box instead
            b = getattr(cls.param[p], "bounds", None)
            if isinstance(cls.param[p], param.Number) and b and b[0] and b[1] and b[0] > 0 and b[1] / b[0] > 1e4:
                # a whole number in a whole-number box: a flood's members typed 2,5 is refused, not rounded
                labels[p]["type"] = pn.widgets.IntInput if isinstance(cls.param[p], param.Integer) \
                    else pn.widgets.FloatInput
            # a number that may be left unset (heating's calibration_year: None) cannot be a slider, which
            # must hold a value (Bokeh refused the page's update and the family's widgets never changed)
            if isinstance(cls.param[p], param.Number) and getattr(self.scenario, p) is None:
                labels[p]["type"] = pn.widgets.IntInput if isinstance(cls.param[p], param.Integer) \
                    else pn.widgets.FloatInput
            # a list or dictionary box says "(invalid)" in the page's language
            if isinstance(cls.param[p], (param.List, param.Dict)):
                labels[p].update(type=ListBox if isinstance(cls.param[p], param.List) else DictBox, lang=self.lang)
            # left empty, a value is the territory's own (a flood's gauges, catchment, alert levels): say so
            if "the territory's own" in (cls.param[p].doc or "") and getattr(self.scenario, p) in ("", None):
                labels[p]["placeholder"] = t("territory_own", self.lang)
        pane = pn.Param(self.scenario, parameters=names, show_name=False, sizing_mode="stretch_width", widgets=labels)
        self.invalid = {}
        self._guard_fields(pane, cls)
        self.params_box[:] = [pane]
        self._fields_changed()
        self.use_selection.visible = "streets" in cls.param
        self.use_zone.visible = "polygon" in cls.param or "rules" in cls.param
        self.selection_text.visible = "streets" in cls.param
        takes_calendar = "booking_ics_text" in cls.param
        self.calendar_label.visible = self.calendar_upload.visible = takes_calendar
        self.inventory_label.visible = self.inventory_upload.visible = cls.family in INVENTORY_FAMILIES
        if takes_calendar and self.calendar and not values.get("booking_ics_text") and not self.scenario.booking_ics:
            self.scenario.booking_ics_text = self.calendar[1]  # the calendar the page shows as uploaded

    def _guard_fields(self, pane, cls):
        """Replace Panel's link from each field to the scenario by one that refuses, and says so.

        Panel's own link (``Param.widget``'s ``link_widget``) sets the parameter and, when the
        declaration refuses the value, puts the previous one back in the field without a word (and a
        number box's bounds make the browser do the same): "Lancer" then ran a value the user never
        saw. Here the field keeps what was typed, is marked, and "Lancer" waits for it. The link back
        (a change of the scenario shown in its field: the streets picked on the map) is Panel's.
        """
        for name, widget in pane._widgets.items():
            if name not in cls.param or not hasattr(widget, "value"):
                continue
            for w in [w for w in pane._internal_callbacks
                      if getattr(w, "inst", None) is widget and getattr(w.fn, "__name__", "") == "link_widget"]:
                widget.param.unwatch(w)
                pane._internal_callbacks.remove(w)
            if isinstance(widget, (pn.widgets.FloatInput, pn.widgets.IntInput)):
                widget.param.update(start=None, end=None)  # the browser would keep the old value silently
            widget.stylesheets = [*widget.stylesheets, INVALID_CSS]
            widget.css_classes = [*widget.css_classes, f"field-{name}"]  # a handle for a test or a user's stylesheet
            widget.param.watch(partial(self._field_edited, name, widget), "value")
            if isinstance(widget, pn.widgets.LiteralInput):  # text that does not read as a list: its label says
                widget.param.watch(partial(self._field_unreadable, name, widget), "label")

    def _field_edited(self, name: str, widget, event):
        self._take(name, widget, event.new)

    def _take(self, name: str, widget, new):
        """A field's new value: set on the scenario when its declaration takes it, else refused."""
        value, why = field_refusal(type(self.scenario).param[name], name, new, self.lang)
        if why is None:
            try:
                self.scenario.param.update({name: value})
            except (ValueError, TypeError) as exc:  # a rule fields.refusal does not know: the declaration's word
                why = t("why_refused", self.lang, detail=str(exc)[:200])
        self._mark(name, widget, why)

    def _field_unreadable(self, name: str, widget, event):
        """A list or dictionary box whose text does not read as one (Panel's label then ends in
        "(invalid)" or "(wrong type)" and the value stays the previous one)."""
        if getattr(widget, "_state", ""):
            self._mark(name, widget, unreadable(name, "dict" if widget.type is dict else "list", self.lang))
        else:  # readable again: the value it holds decides
            self._take(name, widget, widget.value)

    def _mark(self, name: str, widget, why: str | None):
        if why is None:
            self.invalid.pop(name, None)
        else:
            self.invalid[name] = why
        classes = [c for c in widget.css_classes if c != "twin-invalid"] + (["twin-invalid"] if why else [])
        if classes != widget.css_classes:
            widget.css_classes = classes
        self._fields_changed()

    def invalid_text(self) -> str | None:
        """The message of the fields that block a run (which and why), or None."""
        if not self.invalid:
            return None
        cls = type(self.scenario)
        fields = "; ".join(t("field_why", self.lang, label=param_label(p, cls.param[p].doc, self.lang), why=why)
                           for p, why in self.invalid.items())
        return t("fields_invalid", self.lang, fields=fields)

    def _fields_changed(self):
        """"Lancer" is disabled while a field is refused (or a run is shown waiting), the note says why."""
        text = self.invalid_text()
        note = message_html(text, "danger") if text else ""
        if self.field_note.object != note or self.field_note.visible != bool(text):
            self.field_note.param.update(object=note, visible=bool(text))
        disabled = bool(text) or self._waiting
        if self.run_button.disabled != disabled:
            self.run_button.disabled = disabled

    def _clear_results(self):
        """Take the previous run's result off the page (cards, map, series): it is not what is asked now."""
        if self.kpis.text:
            self.kpis.text = ""
        if self.result_map.visible:  # its sources keep their colours: the next run sends only what differs
            self.result_map.visible = False
        if self.result_caption.object:
            self.result_caption.object = ""
        if len(self.series):
            self.series[:] = []

    def _show(self, text: str, kind: str = "danger"):
        """A message above the results: kind is success, info, warning or danger (its colour)."""
        self.message.param.update(object=message_html(text, kind), visible=True)

    def _upload_refused_in_page(self, attr, old, new):
        """The page refused a file above the size limit before sending it (see
        :func:`twin.app.security.upload_guard_script`): say why. ``new`` is JSON the browser wrote."""
        try:
            info = json.loads(new) if new and len(new) < 2000 else None
            name, size = str(info["name"])[:200], float(info["size"])
        except (ValueError, TypeError, KeyError):
            return  # not what the page's check writes: nothing to say
        from twin.app.i18n import fmt_number  # noqa: PLC0415

        why = t("too_big", self.lang, file=name, size=fmt_number(math.ceil(size / 1e5) / 10, self.lang),
                limit=fmt_number(MAX_UPLOAD_BYTES / 1e6, self.lang))
        self._on_page(self._show, t("bad_file", self.lang, why=why))

    def _uploaded(self, event):
        from twin.scenarios.base import ScenarioError  # noqa: PLC0415

        name = self.upload.filename or "?"
        try:
            # size, encoding, JSON, depth (a JSON bomb), object: each refused with its own message
            spec = read_scenario_upload(bytes(event.new or b""), name, self.lang)
            named = server_file_parameters(spec)
            if named:  # refused before anything reads the spec further: no file is opened, none is quoted
                self._show(t("bad_file", self.lang, why=refusal(named, self.lang)))
                return
            family = spec.get("family")
            if family not in self.SCENARIOS:
                raise ScenarioError(f"unknown scenario family {family!r} (known: {sorted(self.SCENARIOS)})")
            self.SCENARIOS[family].from_dict(spec, origin=name)  # validate before touching the page
        except (*_user_errors(), TypeError, ValueError) as exc:
            self._show(t("bad_file", self.lang, why=str(exc)))
            return
        except RecursionError:  # a nesting the depth check let through still ends as a message
            self._show(t("bad_file", self.lang, why=t("too_deep", self.lang, file=name, depth="?")))
            return
        self.family.param.update(value=family)
        self._family_changed(values={k: v for k, v in spec.items() if k != "family"})
        self._show(t("loaded", self.lang, family=family_label(family, self.lang), file=name), "success")

    @staticmethod
    def _taking(handler, widget):
        """The watcher of an upload button: ``handler`` reads the file, then the button is emptied, so
        the same file name picked again (corrected after a refusal) is sent again — the browser sends
        nothing when the chosen file looks unchanged. The message says what was loaded."""
        def watcher(event):
            if not event.new:  # the emptying itself
                return
            try:
                handler(event)
            finally:
                widget.clear()

        return watcher

    def _upload_text(self, widget, value) -> tuple[str, str]:
        """(file name, text) of an upload, or ValueError saying why it is refused."""
        name = widget.filename or "?"
        return name, read_upload(bytes(value or b""), name, self.lang)

    def _calendar_uploaded(self, event):
        """A booking calendar (.ics) as content: checked in memory, then given to the scenario."""
        if not event.new or "booking_ics_text" not in self.scenario.param:
            return
        from twin.sources.ics import read_ics_text  # noqa: PLC0415

        try:
            name, text = self._upload_text(self.calendar_upload, event.new)
            year = int(getattr(self.scenario, "year", time.gmtime().tm_year))
            events = read_ics_text(text, f"{year}-01-01", f"{year + 1}-01-01", origin=name)
        except (*_user_errors(), ValueError) as exc:
            self._show(t("bad_file", self.lang, why=str(exc)))
            return
        self.calendar = (name, text)
        self.scenario.param.update(booking_ics="", booking_ics_text=text)
        self._show(t("calendar_loaded", self.lang, file=name, n=len(events), year=year), "success")

    def _inventory_uploaded(self, event):
        """A lamp inventory (.csv, .geojson) as content: validated against the territory in memory; it
        replaces the generated lamps in the runs of the families that use lamps."""
        if not event.new:
            return
        from twin.sources.lamp_inventory import read_lamp_inventory_text  # noqa: PLC0415

        try:
            name, text = self._upload_text(self.inventory_upload, event.new)
            lamps = read_lamp_inventory_text(text, self.territory, origin=name)
        except (*_user_errors(), ValueError) as exc:
            self._show(t("bad_file", self.lang, why=str(exc)))
            return
        self.inventory = (name, text)
        self._show(t("inventory_loaded", self.lang, file=name, n=len(lamps)), "success")

    def _refusal(self, family: str, params: dict) -> str | None:
        """The message of a run refused because its parameters name a server file, else None."""
        named = server_file_parameters(params)
        return t("error", self.lang, why=refusal(named, self.lang)) if named else None

    def _run_extras(self, family: str) -> dict:
        return {"inventory": self.inventory} if self.inventory and family in INVENTORY_FAMILIES else {}

    def current_params(self) -> dict:
        return {k: v for k, v in self.scenario.param.values().items() if k != "name"}

    def _run_clicked(self, event=None):
        """The run button's Bokeh click: run as a task of the server's loop (kept until it is done)."""
        task = asyncio.ensure_future(self.run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _apply_pending_edits(self):
        """Apply the widget edits Panel has received but not yet applied to the scenario.

        Panel applies a widget's new value after a short debounce, while a Bokeh click is handled at
        once: a user who edits a parameter and clicks "Lancer" straight away (or a script) would run
        the old value. Panel's own buttons wait for these pending edits (``Syncable._event_coroutine``);
        the run button does the same.
        """
        doc = self.doc
        pending = getattr(pn.state, "_change_callbacks", {}).get(doc, {}) if doc is not None else {}
        for apply_edit in list(pending.values()):
            await apply_edit()

    async def run(self, event=None):
        """Run the scenario in a worker process; KPI cards when it is done, a message if it fails.

        The progress bar and "running" message appear only when the outcome takes longer than
        ``PROGRESS_AFTER_S`` (a 20 ms street closure should not flash a progress bar), and all the
        page changes of a finished run reach the browser as one message (see :meth:`_on_page`).
        """
        run_started()
        ended = False  # whatever happens below, the run ends on the page: button enabled, a message
        t0 = time.perf_counter()
        try:
            await self._apply_pending_edits()
            # after the pending edits: a family picked just before the click has replaced the scenario
            cls = type(self.scenario)
            params = self.current_params()
            blocked = self.invalid_text()
            if blocked:  # the button is disabled; a click sent before it was (or a script) is refused too
                self._on_page(self._fail, blocked)
                ended = True
                return
            try:
                refused = self._refusal(cls.family, params)
                if refused:
                    self._on_page(self._fail, refused)
                    ended = True
                    return
                scenario = cls(**params)
                waiting = asyncio.wrap_future(run_shared(self.territory_name, self.territory, scenario,
                                                         **self._run_extras(cls.family)))
                done, _ = await asyncio.wait({waiting}, timeout=PROGRESS_AFTER_S)
                if not done:  # a computation to wait for: say so
                    self._on_page(self._start_run)
                outcome, rows = await waiting  # the outcome holds every result a view draws
            except (*_user_errors(), ValueError) as exc:
                self._on_page(self._fail, t("error", self.lang, why=str(exc)))
                ended = True
                return
            t_run = time.perf_counter() - t0
            outcome_rows_ = [dict(r) for r in rows]  # shared by every session that ran the same variant
            seconds = f"{time.perf_counter() - t0:.1f}"
            done_text = t("done", self.lang, s=seconds.replace(".", ",") if self.lang == "fr" else seconds)
            # the status goes with the cards: one pane changes per run, not two
            cards = kpi_cards_html(outcome_rows_, self.lang, run=self.runs + 1, status=done_text)
            put_results = self._show_results(outcome)
            self.outcome_rows = outcome_rows_
            self.last_params = {"family": cls.family, **params}
            self.last_attrs = {k: str(v) for k, v in outcome.data.attrs.items() if k not in ("scenario", "baseline")}
            if self._run_extras(cls.family):
                self.last_attrs["lamp_inventory"] = self.inventory[0]
            self.runs += 1
            # a flood run on the rain that really fell is a hindcast: the page says so, not only its name
            hindcast = str(outcome.data.attrs.get("forecast_kind", "")).startswith("hindcast")

            def show():
                self._end_run()
                if self.message.visible:  # an earlier message (running, error) is over
                    self.message.visible = False
                self.kpis.text = cards
                if hindcast:
                    self._show(t("hindcast_note", self.lang), "warning")
                try:
                    put_results()
                except Exception as exc:  # noqa: BLE001 - the numbers are shown; say the map failed
                    log.exception("result map failed")
                    self._show(t("run_failed", self.lang, why=f"{type(exc).__name__}"))

            self._on_page(show)
            ended = True
            log.info("run %s: %.3f s waiting for the outcome, %.3f s in all", cls.family, t_run,
                     time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001 - the page must say it, the log keeps the traceback
            log.exception("scenario run failed")
            self._on_page(self._fail, t("run_failed", self.lang, why=f"{type(exc).__name__}: {exc}"))
            ended = True
        finally:
            if not ended:  # cancelled (the page closed, the server stops): never leave "Calcul en cours…"
                try:
                    self._on_page(self._fail, t("run_failed", self.lang, why="interrompu" if self.lang == "fr"
                                                else "interrupted"))
                except Exception:  # noqa: BLE001 - a closed page has no document left to tell
                    log.info("run interrupted on a closed page")

    def _on_page(self, change, *args):
        """Apply ``change(*args)`` to this session's page under its document lock, held: every
        property it changes reaches the browser in one message.

        After an ``await`` a coroutine no longer holds the document; a change made there would be
        scheduled by Panel one property at a time (a message each), and the global "current
        document" may be another session's. This session's own document, captured when the page
        was made, is used instead.
        """
        doc = self.doc
        if doc is None or doc.session_context is None:  # not served (tests, notebooks)
            change(*args)
            return

        def locked():
            with set_curdoc(doc), pn.io.hold(doc):
                change(*args)

        doc.add_next_tick_callback(locked)

    def _start_run(self):
        self._waiting = True
        self.run_button.disabled = True
        self.progress.visible = True
        self.progress.active = True
        self._clear_results()  # a run waited for: the previous result is not what is asked now
        self._show(t("running", self.lang), "info")

    def _end_run(self, text: str | None = None, kind: str = "danger"):
        self._waiting = False
        disabled = bool(self.invalid)  # a field refused meanwhile keeps "Lancer" waiting for it
        if self.run_button.disabled != disabled:  # only what changed: each change is work for the server
            self.run_button.disabled = disabled
        if self.progress.visible:
            self.progress.param.update(active=False, visible=False)
        if text is not None:
            self._show(text, kind)

    def _fail(self, text: str):
        """A run that ends without a result: its message, and no earlier result beside it (nor saved
        under the new parameters' name)."""
        self.outcome_rows = []
        self._clear_results()
        self._end_run(text)

    def save(self, event=None):
        if not self.outcome_rows:
            self._show(t("nothing_to_save", self.lang), "warning")
            return
        family = self.last_params["family"]
        name = self.variant_name.value.strip() or f"{family_label(family, self.lang)} {time.strftime('%H:%M:%S')}"
        params = {k: v for k, v in self.last_params.items() if k != "family"}
        v = Variant(name=name, family=family, territory=self.territory_name, params=json.loads(json.dumps(params,
                    default=str)), kpis=self.outcome_rows, attrs=self.last_attrs)
        self.store.save(v)
        self._show(t("saved", self.lang, name=name), "success")
        self._refresh_variants(added=v.id)

    # --- comparison and workshop -------------------------------------------------------------
    def _tab_changed(self, event):
        self._refresh_variants()

    def _refresh_variants(self, added: str | None = None):
        variants = self.store.list()
        signature = tuple((v.id, v.name, v.pinned, v.discarded, v.order) for v in variants)
        if signature == getattr(self, "_signature", None) and not added:
            if self._workshop_stale and self.tabs.active == WORKSHOP_TAB:
                self._render_workshop(variants)
            return  # nothing changed: keep the widgets the user may be clicking
        self._signature = signature
        self.pick.options = self._pick_labels(variants)
        kept = [vid for vid in self.pick.value if vid in self.pick.options.values()]
        if added:
            kept = (kept + [added])[-4:]  # a variant just saved joins the comparison
        self.pick.value = kept or [v.id for v in variants[-4:]]  # nothing picked: the four most recent
        self._render_compare()
        # the workshop's cards (seven models each) are built when its tab is shown: built with every
        # page, twenty saved variants made a page cost the server twice as much to open
        self._workshop_stale = True
        if self.tabs.active == WORKSHOP_TAB:
            self._render_workshop(variants)

    def _pick_labels(self, variants) -> dict:
        """{label: id} of the "variants to compare" choice. Its widget (Bokeh's MultiChoice, Choices.js)
        shows labels as HTML: a variant named ``<img src=x onerror=…>`` ran its script on every page
        that listed it. Escaped, the name shows as the text it is. Two variants of one name and family
        keep one entry each (a dict would have kept the last only)."""
        out: dict = {}
        for v in variants:
            label = html.escape(f"{v.name} ({family_label(v.family, self.lang)})")
            if label in out:
                label = f"{label} · {v.id[:4]}"
            out[label] = v.id
        return out

    def _selected_variants(self):
        return [self.store.get(vid) for vid in self.pick.value]

    def _render_compare(self, event=None):
        chosen = self._selected_variants()
        # a Select's options are text (<option> elements), not HTML: the name as it is
        self.reopen_pick.options = {(v.name if [w.name for w in chosen].count(v.name) == 1 else f"{v.name} · {v.id[:4]}"):
                                    v.id for v in chosen}
        self.compare_pane.object = f"<style>{CSS}</style>" + comparison_html(chosen, self.lang) if chosen else \
            f"<p>{t('no_variant', self.lang) if not self.pick.options else ''}</p>"

    async def reopen(self, event=None):
        """Load a saved variant's family and parameters into the builder and run it again: its map
        and time series (runs are deterministic; a run still in the shared cache is not recomputed)."""
        if not self.reopen_pick.value:
            return
        v = self.store.get(self.reopen_pick.value)
        if v.territory != self.territory_name:
            self._show(t("other_territory", self.lang, name=v.name, territory=v.territory), "warning")
            self.tabs.active = 1
            return
        try:
            scenario = self.SCENARIOS[v.family].from_dict(v.params, origin=f"variant {v.name!r}")
        except (*_user_errors(), KeyError, TypeError) as exc:
            self._show(t("error", self.lang, why=str(exc)))
            self.tabs.active = 1
            return
        self.family.param.update(value=v.family)
        self._family_changed(values={k: x for k, x in scenario.param.values().items() if k != "name"})
        self.variant_name.value = v.name
        self.tabs.active = 1
        await self.run()

    def _report_selected(self):
        return io.StringIO(report_html(self._selected_variants() or self.store.list()[:4], self.territory, self.lang))

    def _pdf_selected(self):
        html_text = report_html(self._selected_variants() or self.store.list()[:4], self.territory, self.lang)
        try:
            self.compare_pdf.filename = "twin-rapport.pdf"
            return io.BytesIO(report_pdf(html_text))
        except ReportError as exc:  # no local browser: say so, and hand the HTML (printable) instead
            self._show_compare_error(str(exc))
            self.compare_pdf.filename = "twin-rapport.html"
            return io.BytesIO(html_text.encode())

    def _show_compare_error(self, text: str):
        self.compare_pane.object = f"<p class='worse'>{html.escape(text)}</p>" + (self.compare_pane.object or "")

    def _report_workshop(self):
        shown = [v for v in self.store.list() if not getattr(v, "discarded", False)]
        pinned = [v for v in shown if v.pinned]
        return io.StringIO(report_html(pinned or shown, self.territory, self.lang))

    def _render_workshop(self, variants=None):
        self._workshop_stale = False
        variants = [v for v in (variants if variants is not None else self.store.list()) if not v.discarded]
        variants.sort(key=lambda v: (not v.pinned, v.order))
        cards = []
        for v in variants:
            pin = pn.widgets.Button(name=t("unpin" if v.pinned else "pin", self.lang), button_type="warning",
                                    css_classes=["pin"])
            left = pn.widgets.Button(name=t("left", self.lang), css_classes=["left"])
            right = pn.widgets.Button(name=t("right", self.lang), css_classes=["right"])
            drop = pn.widgets.Button(name=t("discard", self.lang), button_type="danger", css_classes=["discard"])
            pin.on_click(lambda e, v=v: self._workshop_action(v.id, pinned=not v.pinned))
            left.on_click(lambda e, v=v: self._workshop_move(v.id, -1))
            right.on_click(lambda e, v=v: self._workshop_move(v.id, +1))
            drop.on_click(lambda e, v=v: self._workshop_action(v.id, discarded=True))
            body = pn.pane.HTML(workshop_card_html(v.name, v.family, v.kpis, self.lang),
                                sizing_mode="stretch_width", stylesheets=[PAGE_CSS])
            cards.append(pn.Column(body, pn.Row(pin, left, right, drop), stylesheets=[PAGE_CSS],
                                   css_classes=["workshop-card"] + (["pinned"] if v.pinned else []), width=460))
        self.workshop_box[:] = cards or [pn.pane.Markdown(t("no_variant", self.lang))]

    def _workshop_action(self, vid, **changes):
        self.store.update(vid, **changes)
        self._refresh_variants()

    def _workshop_move(self, vid, step):
        self.store.move(vid, step)
        self._refresh_variants()

    # --- the page ----------------------------------------------------------------------------
    def view(self):
        other = "en" if self.lang == "fr" else "fr"
        switch = pn.pane.HTML(f"<a href='?lang={other}' class='lang-switch'>{'English' if other == 'en' else 'Français'}"
                              "</a>")
        note = ""
        if self.territory.sensors is not None:
            note = t("synthetic_note", self.lang, seed=35236)
        # the territory's name comes from a file: HTML escaped, not Markdown (which passes HTML through)
        header = pn.Row(pn.pane.HTML(f"<h1>{html.escape(t('title', self.lang, name=self.territory.name))}</h1>"),
                        pn.HSpacer(), switch, sizing_mode="stretch_width")
        return pn.Column(header, pn.pane.HTML(f"<p><em>{html.escape(note)}</em></p>") if note else pn.Spacer(height=0),
                         self.tabs, self.upload_guard_pane, sizing_mode="stretch_width", stylesheets=[PAGE_CSS])


def create_app():
    """The page of one session (language from ``?lang=en``; territory from ``TWIN_TERRITORY``)."""
    send_without_delay()
    install_security_headers()
    skip_layout_validation()
    lang = "fr"
    args = getattr(pn.state, "session_args", None) or {}
    if args.get("lang"):
        lang = args["lang"][0].decode()
    app = TwinApp(os.environ.get("TWIN_TERRITORY", "redon"), lang)
    page = app.view()
    if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:  # served
        if not started(app.territory_name):
            start_workers(app.territory_name)
        pn.state.on_session_destroyed(_page_closed)
        keep_pages_out_of_the_collector()
    return page
