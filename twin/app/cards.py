"""The HTML of the page's cards: a variant's KPI cards, a workshop card's heading, a message.

Pure functions: rows of :func:`twin.app.variants.outcome_rows` (or a text) in, HTML out. Every
text that reaches the page is escaped here — variant names are typed by users, street and
territory names come from files anyone can edit.
"""

from __future__ import annotations

import html
import math

from twin.app.i18n import family_label, fmt_quantity, kpi_label, t, unit_label
from twin.outcome import IMPACTS

MAX_MESSAGE_CHARS = 1200  # a message longer than this (an error quoting a huge value) is cut
MESSAGE_KINDS = ("success", "info", "warning", "danger")  # a message's colour
# the style of the cards and messages, given to every pane that shows them (each is its own shadow root)
CARDS_CSS = """
.kpi-grid{display:flex;gap:12px;flex-wrap:wrap}.impact{flex:1;min-width:240px}
.impact h3{margin:4px 0;font-size:1.05em}.kpi-card{background:#fff;border:1px solid #ddd;border-radius:8px;
padding:8px 10px;margin:6px 0}.kpi-label{color:#555;font-size:.9em}.kpi-value{font-size:1.4em;font-weight:600}
.kpi-delta.better{color:#1a7f37}.kpi-delta.worse{color:#b42318}.kpi-band{color:#666;font-size:.85em}
.workshop .kpi-value{font-size:2.2em}.workshop .kpi-label{font-size:1.2em}.workshop h2{font-size:2em}
.workshop-card{border:2px solid #999;border-radius:12px;padding:12px;margin:8px;min-width:320px;background:#fff}
.alert{padding:8px 12px;border-radius:6px;border:1px solid transparent;margin:4px 0}
.alert-success{background:#d1e7dd;color:#0a3622;border-color:#a3cfbb}.alert-info{background:#cff4fc;color:#055160;
border-color:#9eeaf9}.alert-warning{background:#fff3cd;color:#664d03;border-color:#ffe69c}
.alert-danger{background:#f8d7da;color:#58151c;border-color:#f1aeb5}
.workshop-card.pinned{border-color:#d4a017;box-shadow:0 0 8px #d4a017}
"""


def _finite(x) -> bool:
    """A number that is neither infinite nor NaN (None and text are not)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def kpi_cards_html(rows: list[dict], lang: str = "fr", variant: str | None = None, run: int = 0,
                   status: str = "") -> str:
    """The KPI cards of one variant (default: the first non-baseline one), grouped by impact; ``status``
    (e.g. "Terminé en 0,1 s") is shown above them."""
    if not rows:
        return ""
    names = [r["variant"] for r in rows if r["variant"] != r["baseline_name"]]
    variant = variant or (names[0] if names else rows[0]["variant"])
    parts = [f"<div class='run-status alert alert-success' role='status'>{html.escape(status)}</div>"] if status else []
    parts.append(f"<div class='kpi-grid' data-run='{run}'>")
    for impact in IMPACTS:
        mine = [r for r in rows if r["variant"] == variant and r["impact"] == impact]
        if not mine:
            continue
        parts.append(f"<div class='impact impact-{html.escape(impact)}'><h3>{html.escape(t(impact, lang))}</h3>")
        for r in mine:
            delta = ""
            # a change to or from a figure that is not a number (never, —) is not a number either: the
            # value says it ("jamais"), a "+∞ ans" under it would only repeat it less clearly
            if r["variant"] != r["baseline_name"] and _finite(r.get("change")) and r["change"] != 0 \
                    and _finite(r.get("value")):
                cls = "" if r.get("better") is None else ("better" if r["better"] else "worse")
                pct = r.get("change_pct")
                pct_txt = f" ({fmt_quantity(pct, '%', lang, signed=True)})" if _finite(pct) else ""
                delta = (f"<div class='kpi-delta {cls}'>"
                         + html.escape(f"{fmt_quantity(r['change'], unit_label(r['unit'], lang), lang, signed=True)}"
                                       f"{pct_txt} {t('vs_baseline', lang)}") + "</div>")
            band = ""
            if _finite(r.get("low")) and _finite(r.get("high")) and r["low"] != r["high"]:
                band = ("<div class='kpi-band'>" + html.escape(f"{t('band', lang)} : {fmt_quantity(r['low'], '', lang)} – "
                                                               f"{fmt_quantity(r['high'], '', lang)}") + "</div>")
            parts.append(f"<div class='kpi-card' data-kpi='{html.escape(r['kpi'])}' title='{html.escape(r['kpi'])}'>"
                         f"<div class='kpi-label'>{html.escape(kpi_label(r['kpi'], '', lang))}</div>"
                         f"<div class='kpi-value' data-kpi-value='{html.escape(r['kpi'])}'>"
                         f"{html.escape(fmt_quantity(r['value'], unit_label(r['unit'], lang), lang))}</div>"
                         f"{delta}{band}</div>")
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def workshop_card_html(name: str, family: str, rows: list[dict], lang: str = "fr") -> str:
    """A saved variant on the workshop wall: its name, its family and the KPI cards of its run (the
    first variant of ``rows`` that is not the baseline)."""
    shown = next((r["variant"] for r in rows if r["variant"] != r["baseline_name"]), None)
    return (f"<h2>{html.escape(name)}</h2><div>{html.escape(family_label(family, lang))}</div>"
            + kpi_cards_html(rows, lang, variant=shown))


def message_html(text: str, kind: str = "danger") -> str:
    """A message above the results: ``kind`` is success, info, warning or danger (its colour; anything
    else is danger). A text longer than ``MAX_MESSAGE_CHARS`` (an error quoting a huge uploaded value)
    is cut: its start says enough."""
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + " […]"
    kind = kind if kind in MESSAGE_KINDS else "danger"
    return f"<div class='alert alert-{kind}' role='alert'>{html.escape(text)}</div>"
