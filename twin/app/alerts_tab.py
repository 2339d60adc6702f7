"""The « Alertes » tab: what ``twin watch``'s detectors found in the territory's sensor store
(:class:`twin.live.alerts.AlertBook`), newest first, each with its severity, its dates, whom it was
sent to, and an « Acquitter » button that stops its messages (an acknowledgement is a file of its
own in the store: the watching process never overwrites it).

A mixin of :class:`twin.app.main.TwinApp`; its widgets are built by :meth:`AlertsPanel._build_alerts`.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import panel as pn

from twin.app.i18n import STRINGS, t
from twin.live.alerts import AlertBook, AlertRuleError
from twin.timeutil import LOCAL_TZ

SEVERITY_COLOURS = {"info": "#1f5f99", "warning": "#a15c00", "critical": "#b3261e"}
ALERTS_CSS = """
.alert-card {border-left: 6px solid #888; padding: 6px 12px; margin: 4px 0; background: #fafafa; font-size: 15px;}
.alert-card h3 {margin: 2px 0 4px 0; font-size: 17px;}
.alert-card .meta {color: #444; font-size: 13px;}
"""


def _local(text: str | None, lang: str) -> str:
    """An ISO time of the book as a local date and time (the text itself when it is not one)."""
    if not text:
        return "—"
    try:
        t_ = pd.Timestamp(text)
    except (ValueError, TypeError):
        return str(text)
    if t_.tzinfo is None:
        t_ = t_.tz_localize("UTC")
    return t_.tz_convert(LOCAL_TZ).strftime("%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M")


def alert_card_html(entry: dict, lang: str) -> str:
    """One alert as the tab shows it (every text from the book escaped: titles come from sensor names)."""
    e = html.escape
    colour = SEVERITY_COLOURS.get(entry["severity"], "#888")
    key = f"alerts_detector_{entry['detector']}"
    kind = t(key, lang) if key in STRINGS else entry["detector"]
    lines = [f"<h3>{e(entry['title'])}</h3>",
             f"<div class='meta'><b style='color:{colour}'>{e(t('alerts_severity_' + entry['severity'], lang))}</b>"
             f" · {e(kind)} · <code>{e(entry['id'])}</code></div>"]
    if entry.get("detail"):
        lines.append(f"<div>{e(entry['detail'])}</div>")
    meta = [t("alerts_seen", lang, first=_local(entry.get("first_seen"), lang), last=_local(entry.get("last_seen"), lang))]
    sent = sorted(entry.get("sent", {}))  # the channels: email:…, webhook:…, ntfy:…
    meta.append(t("alerts_sent", lang, to=", ".join(sent)) if sent else t("alerts_not_sent", lang))
    if entry.get("ack"):
        meta.append(t("alerts_acked", lang, who=entry["ack"].get("by", "?"), when=_local(entry["ack"].get("at"), lang)))
    if entry["status"] == "closed":
        meta.append(t("alerts_closed", lang, when=_local(entry.get("closed_at"), lang)))
    lines.append("<div class='meta'>" + " · ".join(e(m) for m in meta) + "</div>")
    return f"<div class='alert-card' style='border-left-color:{colour}'>{''.join(lines)}</div>"


class AlertsPanel:
    """The Alertes tab (a mixin of the page). Reads ``territory``, ``lang`` and, when a workshop
    participant has joined, ``participant`` (who acknowledges)."""

    def _build_alerts(self, L: str):
        self.alerts_intro = pn.pane.HTML(f"<p>{html.escape(t('alerts_intro', L))}</p>", sizing_mode="stretch_width")
        self.alerts_show_closed = pn.widgets.Checkbox(name=t("alerts_show_closed", L), value=False)
        self.alerts_show_closed.param.watch(lambda event: self._render_alerts(), "value")
        self.alerts_box = pn.Column(sizing_mode="stretch_width", stylesheets=[ALERTS_CSS])

    def _alerts_book(self) -> AlertBook | None:
        store = getattr(self.territory, "sensors", None)
        return AlertBook(store.path) if store is not None else None

    def _alerts_tab(self):
        self._render_alerts()
        return pn.Column(self.alerts_intro, self.alerts_show_closed, self.alerts_box, sizing_mode="stretch_width")

    def _render_alerts(self):
        L = self.lang
        book = self._alerts_book()
        if book is None:
            self.alerts_box.objects = [pn.pane.HTML(f"<p>{html.escape(t('alerts_no_store', L))}</p>")]
            return
        rows = [r for r in reversed(book.listing()) if self.alerts_show_closed.value or r["status"] == "open"]
        if not rows:
            self.alerts_box.objects = [pn.pane.HTML(f"<p>{html.escape(t('alerts_none', L))}</p>")]
            return
        cards = []
        for r in rows:
            card = pn.pane.HTML(alert_card_html(r, L), sizing_mode="stretch_width", stylesheets=[ALERTS_CSS])
            # acknowledging stops the messages of an alert (a flood's too): the facilitator's, or the
            # desk's outside a workshop — not a participant's
            if r["ack"] or r["status"] != "open" or not getattr(self, "workshop_facilitator", True):
                cards.append(card)
                continue
            ack = pn.widgets.Button(name=t("alerts_ack", L), button_type="primary", button_style="outline",
                                    css_classes=["alert-ack"], width=140)
            ack.on_click(lambda event, aid=r["id"]: self._acknowledge_alert(aid))
            cards.append(pn.Row(card, ack, sizing_mode="stretch_width"))
        self.alerts_box.objects = cards

    def _acknowledge_alert(self, alert_id: str):
        if not getattr(self, "workshop_facilitator", True):  # a crafted click from a participant's page
            return
        book = self._alerts_book()
        who = getattr(self, "participant", None) or "application"
        try:
            book.acknowledge(alert_id, who, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        except AlertRuleError:
            pass  # gone from the book meanwhile: the redraw says what is there
        self._render_alerts()
