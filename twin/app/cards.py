"""The HTML of the page's cards: a variant's KPI cards, a workshop card's heading, a message.

Pure functions: rows of :func:`twin.app.variants.outcome_rows` (or a text) in, HTML out. Every
text that reaches the page is escaped here — variant names are typed by users, street and
territory names come from files anyone can edit.

Colours say better (green) or worse (red) for the KPI, never the sign of the change (:func:`judge`):

* a row's ``better`` (from the KPI's ``higher_is_better``, :meth:`twin.outcome.Outcome.compare_rows`);
* a KPI already measured against the baseline (:data:`RELATIVE_KPIS`, a payback: the baseline's 0 means
  "nothing invested", not a payback to beat) is better when it is finite — the investment pays back —
  and worse when it never does;
* a KPI that leaves stranded demand out (a scenario's ``stranded_kpis``: vehicle-hours without the trips
  a closure leaves with no route) is never shown better while that demand grew — its fall may only be
  the trips that vanished — and the cards carry a warning naming the stranded figure (:func:`stranded`).
"""

from __future__ import annotations

import html
import math

from twin.app.i18n import family_label, fmt_quantity, kpi_label, t, unit_label
from twin.outcome import IMPACTS
from twin.scenarios import SCENARIOS

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


RELATIVE_KPIS = frozenset({"payback_years"})
"""KPIs whose value is already a comparison with the baseline (judged by their own value, see :func:`judge`)."""
STRANDED_KPIS: dict[str, tuple[str, ...]] = {k: tuple(v) for cls in SCENARIOS.values()
                                             for k, v in getattr(cls, "stranded_kpis", {}).items()}
"""Every family's KPI counting stranded demand -> the KPIs that leave that demand out."""


def _finite(x) -> bool:
    """A number that is neither infinite nor NaN (None and text are not)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def stranded(rows: list[dict], variant: str) -> dict[str, dict]:
    """The stranded KPIs of ``variant`` that grew against the baseline (kpi -> its row): a closure that
    leaves trips or buildings with no route. Empty when nothing is stranded."""
    return {r["kpi"]: r for r in rows if r["variant"] == variant and r["kpi"] in STRANDED_KPIS
            and r["variant"] != r.get("baseline_name") and _finite(r.get("change")) and r["change"] > 0}


def judge(row: dict, flagged: dict | None = None) -> str:
    """The colour class of a row's change: "better", "worse" or "" (no verdict), per the KPI's
    direction, never the sign (module docstring); ``flagged``: :func:`stranded` of the row's variant."""
    if row["variant"] == row.get("baseline_name"):
        return ""
    if row["kpi"] in RELATIVE_KPIS:
        v = row.get("value")
        if isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v) and v != 0:
            return "better" if math.isfinite(v) and v > 0 else "worse"
        return ""
    if row.get("better") is None:
        return ""
    if row["better"] and any(row["kpi"] in STRANDED_KPIS[k] for k in (flagged or {})):
        return ""  # its fall may only be the demand that lost its route
    return "better" if row["better"] else "worse"


def stranded_note(row: dict, flagged: dict, lang: str = "fr") -> str:
    """"without the trips with no route" when ``row``'s KPI leaves out demand that ``flagged`` says grew."""
    labels = [kpi_label(k, "", lang) for k in flagged if row["kpi"] in STRANDED_KPIS[k]]
    return t("omits_stranded", lang, label=", ".join(labels)) if labels else ""


def _first_upper(text: str) -> str:
    """The text with its first letter in capitals, the rest as it is (CO2 stays CO2)."""
    return text[:1].upper() + text[1:]


def stranded_flag_html(rows: list[dict], variant: str, lang: str = "fr") -> str:
    """The warning above the cards of a variant that strands demand ("" when none)."""
    parts = []
    for kpi, r in stranded(rows, variant).items():
        omitted = [kpi_label(k, "", lang) for k in STRANDED_KPIS[kpi]
                   if any(x["kpi"] == k and x["variant"] == variant for x in rows)]
        text = t("stranded_flag", lang, value=fmt_quantity(r["value"], unit_label(r["unit"], lang), lang),
                 label=kpi_label(kpi, "", lang), omitted=_first_upper(", ".join(omitted)))
        parts.append(f"<div class='alert alert-warning stranded-flag' data-flag='{html.escape(kpi)}' role='note'>"
                     f"{html.escape(text)}</div>")
    return "".join(parts)


def kpi_cards_html(rows: list[dict], lang: str = "fr", variant: str | None = None, run: int = 0,
                   status: str = "") -> str:
    """The KPI cards of one variant (default: the first non-baseline one), grouped by impact; ``status``
    (e.g. "Terminé en 0,1 s") is shown above them."""
    if not rows:
        return ""
    names = [r["variant"] for r in rows if r["variant"] != r["baseline_name"]]
    variant = variant or (names[0] if names else rows[0]["variant"])
    parts = [f"<div class='run-status alert alert-success' role='status'>{html.escape(status)}</div>"] if status else []
    flagged = stranded(rows, variant)
    parts.append(stranded_flag_html(rows, variant, lang))
    parts.append(f"<div class='kpi-grid' data-run='{run}'>")
    for impact in IMPACTS:
        mine = [r for r in rows if r["variant"] == variant and r["impact"] == impact]
        if not mine:
            continue
        parts.append(f"<div class='impact impact-{html.escape(impact)}'><h3>{html.escape(t(impact, lang))}</h3>")
        for r in mine:
            delta = ""
            cls = judge(r, flagged)
            if r["kpi"] in RELATIVE_KPIS:
                # a payback against the baseline's "nothing invested" is no change: say that it pays back
                # (one that never does is "jamais": its value says it)
                if cls == "better":
                    delta = f"<div class='kpi-delta better'>{html.escape(t('pays_back', lang))}</div>"
            # a change to or from a figure that is not a number (never, —) is not a number either: the
            # value says it ("jamais"), a "+∞ ans" under it would only repeat it less clearly
            elif r["variant"] != r["baseline_name"] and _finite(r.get("change")) and r["change"] != 0 \
                    and _finite(r.get("value")):
                pct = r.get("change_pct")
                pct_txt = f" ({fmt_quantity(pct, '%', lang, signed=True)})" if _finite(pct) else ""
                note = stranded_note(r, flagged, lang)
                delta = (f"<div class='kpi-delta {cls}'>"
                         + html.escape(f"{fmt_quantity(r['change'], unit_label(r['unit'], lang), lang, signed=True)}"
                                       f"{pct_txt} {t('vs_baseline', lang)}" + (f", {note}" if note else ""))
                         + "</div>")
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
