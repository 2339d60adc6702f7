"""The comparison tab: saved variants side by side, a variant reopened in the builder, the
comparison's report (HTML, PDF); and the refresh of the saved variants' lists both tabs show.

A mixin of :class:`twin.app.main.TwinApp`; its widgets are built by :meth:`ComparePanel._build_compare`.
"""

from __future__ import annotations

import html
import io

import panel as pn

from twin.app.builder import user_errors as _user_errors
from twin.app.cards import CARDS_CSS as PAGE_CSS
from twin.app.diffmap import variant_pair_maps
from twin.app.forms import CHOICES_CSS, CHOICES_MAX_CSS
from twin.app.i18n import family_label, t
from twin.app.report import CSS, ReportError, comparison_html, provenance_notes_html, report_html, report_pdf
from twin.app.verdicts import no_rain_baseline
from twin.app.workshop import WORKSHOP_TAB

COMPARE_TAB = 2  # position of the comparison tab (map, scenario, compare, workshop)
COMPARED_AT_MOST = 4  # variants side by side: beyond, the table no longer fits a projector's width


class ComparePanel:
    """The comparison tab (a mixin of the page).

    Reads from the page: ``store``, ``territory``/``territory_name``, ``lang``, ``tabs``, the builder's
    ``family``, ``_family_changed``, ``variant_name``, ``_show``, the run cycle's ``run`` and the
    workshop's ``_render_workshop``.
    """

    def _build_compare(self, L: str):
        """The comparison's widgets, labelled in language ``L``."""
        self.pick = pn.widgets.MultiChoice(name=t("pick", L), options={}, max_items=COMPARED_AT_MOST, sizing_mode="stretch_width",
                                           css_classes=["compare-pick"], placeholder=t("compare_pick_placeholder", L),
                                           stylesheets=[CHOICES_CSS.format(none=t("compare_pick_none", L),
                                                                           full=t("compare_pick_full", L)),
                                                        CHOICES_MAX_CSS.format(most=t("compare_pick_most", L, n=COMPARED_AT_MOST))])
        self.pick.param.watch(self._render_compare, "value")
        self.reopen_pick = pn.widgets.Select(name=t("reopen_pick", L), options={}, css_classes=["reopen-pick"])
        self.reopen_button = pn.widgets.Button(name=t("reopen", L), button_type="primary", css_classes=["reopen"],
                                               align="end")
        self.reopen_button.on_click(self.reopen)
        self.compare_html = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["compare-area"],
                                         stylesheets=[PAGE_CSS])
        # the difference map: a chosen variant against its baseline or another chosen variant
        self.diff_variant = pn.widgets.Select(name=t("compare_diff_variant", L), options={},
                                              css_classes=["diff-variant"])
        self.diff_reference = pn.widgets.Select(name=t("compare_diff_reference", L), options={},
                                                css_classes=["diff-reference"])
        self.diff_variant.param.watch(self._diff_variant_changed, "value")
        self.diff_reference.param.watch(self._render_diff, "value")
        self.diff_note = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["diff-note"])
        self.diff_pane = pn.pane.Bokeh(None, sizing_mode="stretch_width", css_classes=["diff-maps"])
        self._outcomes: dict = {}  # variant id -> its stored outcome (read once per page)
        self.compare_pane = pn.Column(
            self.compare_html,
            pn.pane.HTML(f"<h2>{html.escape(t('compare_diff_title', L))}</h2>", css_classes=["diff-title"]),
            pn.Row(self.diff_variant, self.diff_reference), self.diff_note, self.diff_pane,
            sizing_mode="stretch_width")
        self.compare_report = pn.widgets.FileDownload(callback=self._report_selected, filename="twin-rapport.html",
                                                      label=t("report", L), button_type="primary",
                                                      css_classes=["report-compare"])
        self.compare_pdf = pn.widgets.FileDownload(callback=self._pdf_selected, filename="twin-rapport.pdf",
                                                   label=t("report_pdf", L), button_type="light",
                                                   css_classes=["report-compare-pdf"])

    def _tab_changed(self, event):
        self._refresh_variants()
        if self.tabs.active == COMPARE_TAB and getattr(self, "_diff_stale", False):
            self._render_diff()

    def _refresh_variants(self, added: str | None = None):
        """The saved variants' lists after a change (or a tab shown): the comparison's choice now,
        the workshop's cards when its tab is shown (``added``: the id of a variant just saved)."""
        variants = self.store.list()
        signature = tuple((v.id, v.name, v.pinned, v.discarded, v.order) for v in variants)
        if signature == getattr(self, "_signature", None) and not added:
            if self._workshop_stale and self.tabs.active == WORKSHOP_TAB:
                self._render_workshop(variants)
            return  # nothing changed: keep the widgets the user may be clicking
        was_discarded = {vid for vid, *_, gone, _ in getattr(self, "_signature", None) or () if gone}
        self._signature = signature
        self.pick.options = self._pick_labels(variants)
        # a variant set aside in the workshop leaves the comparison (« absentes du vote et du dossier », yet
        # compared and exported); picked again afterwards, it stays
        newly_discarded = {v.id for v in variants if getattr(v, "discarded", False)} - was_discarded
        kept = [vid for vid in self.pick.value if vid in self.pick.options.values() and vid not in newly_discarded]
        left = []
        if added:
            joined = kept + [added]
            kept = joined[-COMPARED_AT_MOST:]  # a variant just saved joins the comparison
            left = [v.name for v in variants if v.id in joined[:-COMPARED_AT_MOST]]
        in_play = [v for v in variants if not getattr(v, "discarded", False)]
        self.pick.value = kept or [v.id for v in in_play[-COMPARED_AT_MOST:]]  # nothing picked: the most recent
        self._render_compare()
        if left:  # said: a fifth variant saved made the first leave the table without a word
            names = ", ".join(f"« {n} »" for n in left)
            self.compare_html.object = (f"<p class='note compare-left'>"
                                        f"{html.escape(t('compare_left', self.lang, names=names, n=COMPARED_AT_MOST))}"
                                        f"</p>") + (self.compare_html.object or "")
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
            # quotes kept: harmless in the HTML it is shown as, and the list's text showed « l&#x27;éclairage »
            # for the apostrophe of every other French name
            aside = t("compare_discarded_mark", self.lang) if getattr(v, "discarded", False) else ""
            label = html.escape(f"{v.name} ({family_label(v.family, self.lang)}){aside}", quote=False)
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
        # what the figures rest on, above them as in the report (the « A PRIORI » note was in the PDF only)
        self.compare_html.object = f"<style>{CSS}</style>" + provenance_notes_html(chosen, self.territory, self.lang) \
            + comparison_html(chosen, self.lang) if chosen else \
            f"<p>{t('no_variant', self.lang) if not self.pick.options else ''}</p>"
        self._diff_choices(chosen)

    @staticmethod
    def _labels(variants) -> dict:
        """{label: id} of a Select (text, not HTML): a name, with its id's start when two share it."""
        names = [v.name for v in variants]
        return {(v.name if names.count(v.name) == 1 else f"{v.name} · {v.id[:4]}"): v.id for v in variants}

    def _diff_choices(self, chosen):
        """The difference map's choices among the compared variants: by default the last against the
        one before it of its family (two saved plans side by side), else against its own baseline."""
        options = self._labels(chosen)
        ids = tuple(v.id for v in chosen)
        # the same variants compared: the user's choice stays; another set (a variant just saved or
        # picked): its last one is drawn
        keep = self.diff_variant.value if ids == getattr(self, "_diff_ids", None) else None
        self._diff_ids = ids
        fresh = keep is None  # then its reference is chosen again too: the one before it
        if keep is None and chosen:
            keep = chosen[-1].id
        self._diff_quiet = True  # one drawing for the whole change, not one per widget updated
        try:
            self.diff_variant.param.update(options=options, value=keep)
        finally:
            self._diff_quiet = False
        self._diff_variant_changed(fresh=fresh)

    def _diff_variant_changed(self, event=None, fresh: bool = True):
        """The references a variant can be compared with: its own baseline, or another compared variant
        of its family."""
        if getattr(self, "_diff_quiet", False):
            return
        if not self.diff_variant.value:
            self.diff_reference.options = {}
            self._render_diff()
            return
        v = self.store.get(self.diff_variant.value)
        same = [w for w in self._selected_variants() if w.family == v.family and w.id != v.id]
        # a flood's own reference is its forecast with no further rain, not today's situation
        own = "compare_diff_own_no_rain" if no_rain_baseline(v.kpis) else "compare_diff_own_baseline"
        options = {t(own, self.lang): ""} | self._labels(same)
        keep = self.diff_reference.value if not fresh and self.diff_reference.value in options.values() else None
        if keep is None:
            before = [w for w in same if self.pick.value.index(w.id) < self.pick.value.index(v.id)] \
                if v.id in self.pick.value else []
            keep = before[-1].id if before else ""
        self._diff_quiet = True
        try:
            self.diff_reference.param.update(options=options, value=keep)
        finally:
            self._diff_quiet = False
        self._render_diff()

    def _render_diff(self, event=None):
        """Draw the chosen pair's three maps, or say why there are none."""
        if getattr(self, "_diff_quiet", False):
            return
        # three maps of the territory: drawn when the comparison is shown, not with every page opened
        self._diff_stale = getattr(self, "tabs", None) is None or self.tabs.active != COMPARE_TAB
        if self._diff_stale:
            return
        if not self.diff_variant.value:
            self.diff_pane.object = None
            self.diff_note.object = f"<p class='note'>{html.escape(t('compare_diff_none', self.lang))}</p>"
            return
        v = self.store.get(self.diff_variant.value)
        ref = self.store.get(self.diff_reference.value) if self.diff_reference.value else None
        if v.territory != self.territory_name:  # its assets' ids are another territory's
            self.diff_pane.object = None
            self.diff_note.object = f"<p class='diff-missing'>{html.escape(t('compare_diff_not_here', self.lang, name=v.name, territory=v.territory))}</p>"
            return
        maps, text = variant_pair_maps(self.store, self.territory, v, ref, self.lang, outcomes=self._outcomes)
        self.diff_pane.object = maps
        self.diff_note.object = f"<p class='{'diff-caption' if maps is not None else 'diff-missing'}'>" \
            f"{html.escape(text)}</p>"

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
            scenario = self.SCENARIOS[v.family].from_dict(v.params, origin=f"variant {v.name!r}", strict=False)
        except (*_user_errors(), KeyError, TypeError) as exc:
            self._show(t("error", self.lang, why=str(exc)))
            self.tabs.active = 1
            return

        def load():
            self.family.param.update(value=v.family)
            self._family_changed(values={k: x for k, x in scenario.param.values().items() if k != "name"})
            # the name box left empty (the run's own name greyed): filled with the variant's, a save after a
            # change was refused as « déjà enregistrée » under it
            self.variant_name.value = ""
            self.tabs.active = 1

        # under the page's lock: a field refused before (an emptied box) made the new form enable « Lancer »,
        # a plain Bokeh model, from this coroutine; the reopening failed half-way, « Lancer » greyed for good
        await self._under_lock(load)
        await self.run()

    def _report_selected(self):
        return io.StringIO(report_html(self._report_variants(), self.territory, self.lang))

    def _report_variants(self):
        """The variants the report buttons export: those picked, else the first four not set aside."""
        return self._selected_variants() or [v for v in self.store.list() if not getattr(v, "discarded", False)][:4]

    def _pdf_selected(self):
        html_text = report_html(self._report_variants(), self.territory, self.lang)
        try:
            self.compare_pdf.filename = "twin-rapport.pdf"
            return io.BytesIO(report_pdf(html_text))
        except ReportError as exc:  # no local browser: say so, and hand the HTML (printable) instead
            self._show_compare_error(str(exc))
            self.compare_pdf.filename = "twin-rapport.html"
            return io.BytesIO(html_text.encode())

    def _show_compare_error(self, text: str):
        self.compare_html.object = f"<p class='worse'>{html.escape(text)}</p>" + (self.compare_html.object or "")
