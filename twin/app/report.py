"""The one-page report of compared variants: KPIs by impact, assumptions, data provenance (HTML).

Self-contained (inline CSS, no script, no network), printable to PDF from any browser. Changes are
coloured better / worse as the cards colour them (:func:`twin.app.cards.judge`: per KPI, never by
sign), and a variant that strands demand carries the cards' warning under its family's table.
"""

from __future__ import annotations

import html
import json
import math
import time

from twin.app.cards import RELATIVE_KPIS, judge, stranded, stranded_flag_html, stranded_note
from twin.app.i18n import family_label, fmt_quantity, kpi_label, t, unit_label
from twin.app.uploads import CONTENT_KEYS
from twin.economics import cite
from twin.outcome import IMPACTS
from twin.scenarios import SCENARIOS

CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.5em}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
.better{color:#1a7f37}.worse{color:#b42318}.note{color:#555;font-size:.9em}.synthetic{background:#fff4ce;padding:6px}
.stranded-flag{background:#fff3cd;color:#664d03;padding:6px;margin:4px 0}
@media print{body{margin:0}}"""


def _finite(x) -> bool:
    """A number that is neither infinite nor NaN (None and text are not)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _same(a, b) -> bool:
    """Equal numbers, two NaN included (a KPI both baselines lack is the same baseline)."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def _shown_params(params: dict, lang: str) -> dict:
    """The parameters as the report shows them: an uploaded file's content is named, not printed."""
    return {k: (f"({'fichier déposé' if lang == 'fr' else 'uploaded file'}, {len(v)} "
                f"{'caractères' if lang == 'fr' else 'characters'})" if k in CONTENT_KEYS and v else v)
            for k, v in params.items()}


def _cell(row, lang, flagged=None):
    """A variant's cell: value, change coloured per :func:`twin.app.cards.judge` (``flagged``: the variant's
    stranded KPIs), band."""
    if row is None:
        return "<td>—</td>"
    unit = unit_label(row["unit"], lang)
    value = html.escape(fmt_quantity(row["value"], unit, lang))  # the unit is text of a stored variant
    change = row.get("change")
    cls = judge(row, flagged)
    note = stranded_note(row, flagged or {}, lang)
    # a change to or from "never" / "—" is not a number: the value says it
    delta = "" if not _finite(change) or change == 0 or not _finite(row.get("value")) else \
        f"<br><span class='{cls}'>{html.escape(fmt_quantity(change, unit, lang, signed=True))}</span>" + \
        (f"<br><span class='note'>{html.escape(note)}</span>" if note else "")
    if row["kpi"] in RELATIVE_KPIS and cls == "better":  # a payback: no change against "nothing invested"
        delta = f"<br><span class='better'>{html.escape(t('pays_back', lang))}</span>"
    band = ""
    if _finite(row.get("low")) and _finite(row.get("high")) and row["low"] != row["high"]:
        band = f"<br><span class='note'>[{fmt_quantity(row['low'], '', lang)} – {fmt_quantity(row['high'], '', lang)}]</span>"
    return f"<td>{value}{delta}{band}</td>"


def _factors_note(family: str, lang: str) -> str:
    """Where the family's default prices, unit costs and emission factors come from: their rows of the
    factors table, each with value, unit, year and source ("" for a family without any). A variant's
    own values are its parameters, listed above."""
    names = getattr(SCENARIOS.get(family), "factors", ())
    if not names:
        return ""
    label = ("Valeurs par défaut des paramètres (table des facteurs, twin/data/factors.csv : valeur, unité, année, "
             "source)" if lang == "fr" else
             "Parameter defaults (factors table, twin/data/factors.csv: value, unit, year, source)")
    return f"<p class='note'>{html.escape(label)}: {html.escape(cite(*names))}</p>"


def report_html(variants, territory, lang: str = "fr") -> str:
    """HTML of the compared variants (a list of :class:`twin.app.variants.Variant`)."""
    name = territory.name
    lang = lang if lang in ("fr", "en") else "fr"
    parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>",
             f"<title>{html.escape(t('report_title', lang, name=name))}</title><style>{CSS}</style></head><body>",
             f"<h1>{html.escape(t('report_title', lang, name=name))}</h1>",
             f"<p class='note'>{time.strftime('%Y-%m-%d %H:%M')} — twin</p>"]
    if territory.sensors is not None and territory.sensors.sensors["synthetic"].astype(str).eq("True").any():
        seed = territory.provenance.get("history_seed", 35236)
        parts.append(f"<p class='synthetic'>{html.escape(t('synthetic_note', lang, seed=seed))}</p>")
    parts.append(comparison_html(variants, lang))
    prov = territory.provenance
    parts.append(f"<h2>{html.escape(t('provenance', lang))}</h2><ul>")
    for key in ("attribution", "osm_base", "source_sha256", "licence", "lamp_seed"):
        if key in prov:
            parts.append(f"<li>{html.escape(key)}: {html.escape(str(prov[key]))}</li>")
    parts.append("</ul></body></html>")
    return "\n".join(parts)


def _variant_of(v) -> str:
    """The variant of a saved run its cells show (its first that is not the baseline)."""
    return next((r["variant"] for r in v.kpis if r["variant"] != r.get("baseline_name")), "")


def comparison_html(variants, lang: str = "fr") -> str:
    """Tables of KPIs by impact, one per scenario family: the baseline then each variant."""
    parts = []
    families = sorted({v.family for v in variants})
    for fam in families:
        group = [v for v in variants if v.family == fam]
        parts.append(f"<h2>{html.escape(family_label(fam, lang))}</h2>")
        head = "".join(f"<th>{html.escape(v.name)}</th>" for v in group)
        kpis = list(dict.fromkeys(r["kpi"] for r in group[0].kpis))

        def base_row(v, k):
            return next((r for r in v.kpis if r["kpi"] == k and r["variant"] == r["baseline_name"]), None)

        # one baseline column only when every variant of the family has the same baseline
        shared = all(base_row(v, k) and base_row(group[0], k) and _same(base_row(v, k)["value"], base_row(group[0], k)["value"])
                     for v in group for k in kpis)
        if not shared:
            parts.append(f"<p class='note'>{t('own_baselines', lang)}</p>")
        base_head = f"<th>{t('baseline', lang)}</th>" if shared else ""
        # per variant: the stranded KPIs that grew (trips or buildings a closure leaves with no route)
        flags = {id(v): stranded(v.kpis, _variant_of(v)) for v in group}
        parts.append(f"<table><tr><th></th>{base_head}{head}</tr>")
        for impact in IMPACTS:
            rows = [k for k in kpis if any(r["kpi"] == k and r["impact"] == impact for r in group[0].kpis)]
            if not rows:
                continue
            parts.append(f"<tr><th colspan='{len(group) + 2}'>{html.escape(t(impact, lang))}</th></tr>")
            for k in rows:
                base = base_row(group[0], k)
                label = kpi_label(k, "", lang)
                base_cell = f"<td>{html.escape(fmt_quantity(base['value'], unit_label(base['unit'], lang), lang))}</td>" \
                    if shared else ""
                cells = "".join(_cell(v.kpi(k), lang, flags[id(v)]) for v in group)
                parts.append(f"<tr><td>{html.escape(label)}</td>{base_cell}{cells}</tr>")
        parts.append("</table>")
        for v in group:
            if flags[id(v)]:
                parts.append(f"<div><b>{html.escape(v.name)}</b>: {stranded_flag_html(v.kpis, _variant_of(v), lang)}"
                             "</div>")
        parts.append(f"<h2>{html.escape(t('assumptions', lang))} — {html.escape(family_label(fam, lang))}</h2><ul>")
        for v in group:
            params = json.dumps(_shown_params(v.params, lang), ensure_ascii=False)
            parts.append(f"<li><b>{html.escape(v.name)}</b>: <code>{html.escape(params)}</code>"
                         + "".join(f"<br><span class='note'>{html.escape(k)}: {html.escape(str(val))}</span>"
                                   for k, val in v.attrs.items()) + "</li>")
        parts.append("</ul>")
        parts.append(_factors_note(fam, lang))
    return "\n".join(parts)


CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class ReportError(RuntimeError):
    """The PDF could not be made; the message says why (no local browser, or its error)."""


def report_pdf(html_text: str, timeout_s: float = 60.0) -> bytes:
    """The report as PDF, printed by the local chromium in headless mode (no network involved)."""
    import shutil  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import tempfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    exe = next((c for c in CHROMIUM_CANDIDATES if Path(c).exists()), None) or shutil.which("chromium")
    if exe is None:
        raise ReportError("no local chromium to print the PDF (apt-get install chromium); the HTML report "
                          "prints to PDF from any browser")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        src.write_text(html_text, encoding="utf-8")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
               "--no-pdf-header-footer", f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise ReportError(f"chromium did not print the PDF within {timeout_s:.0f} s") from None
        if not out.exists():
            raise ReportError(f"chromium failed to print the PDF: {proc.stderr.strip()[-300:]}")
        return out.read_bytes()
