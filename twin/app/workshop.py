"""The workshop tab: one card per saved variant, pinned first, moved left or right, discarded,
and the report of the pinned variants (or of all those shown).

A mixin of :class:`twin.app.main.TwinApp`; its widgets are built by :meth:`WorkshopPanel._build_workshop`.
"""

from __future__ import annotations

import io

import panel as pn

from twin.app.cards import CARDS_CSS as PAGE_CSS
from twin.app.cards import workshop_card_html
from twin.app.i18n import t
from twin.app.report import report_html

WORKSHOP_TAB = 3  # position of the workshop tab (map, scenario, compare, workshop)


class WorkshopPanel:
    """The workshop tab (a mixin of the page).

    Reads from the page: ``store``, ``territory``, ``lang`` and the comparison's ``_refresh_variants``
    (which draws the cards when the tab is shown).
    """

    def _build_workshop(self, L: str):
        """The workshop's card box and report button, labelled in language ``L``."""
        # a Column laid out as wrapping rows, not pn.FlexBox: FlexBox is a ReactiveHTML, whose templates the browser
        # compiles with ``new Function`` — the page's Content-Security-Policy allows no eval (the Column's
        # scroll button, which it would place first in the row, is hidden: the workshop does not scroll)
        self.workshop_box = pn.Column(sizing_mode="stretch_width", css_classes=["workshop"],
                                      stylesheets=[":host { flex-direction: row !important; flex-wrap: wrap !important; "
                                                   "align-items: flex-start !important; } .scroll-button { display: none; }"])
        self.workshop_report = pn.widgets.FileDownload(callback=self._report_workshop, filename="twin-atelier.html",
                                                       label=t("report", L), button_type="primary",
                                                       css_classes=["report-workshop"])

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
