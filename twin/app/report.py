"""The one-page report of compared variants: KPIs by impact, assumptions, data provenance (HTML).

Self-contained (inline CSS, no script, no network), printable to PDF from any browser. Changes are
coloured better / worse as the cards colour them (:func:`twin.app.cards.judge`: per KPI, never by
sign), and a variant that strands demand carries the cards' warning under its family's table.
"""

from __future__ import annotations

import html
import math
import re

from twin.app.cards import (
    RELATIVE_KPIS, STRANDED_KPIS, beyond_life, change_note, flood_caveat, flood_cell_note, judge, member_band,
    no_change, payback_over_text, shows_band, stranded, stranded_flag_html, value_text,
)
from twin.timeutil import local_clock_text
from twin.app.i18n import (STRINGS, beyond_record_note, family_label, fmt_number, fmt_quantity, kpi_label,
                            one_calendar_note, prior_note, shown_change, synthetic_gauges_note, synthetic_meters_note,
                            t, town_name, unchanged_as_shown, unit_label)
from twin.app.param_text import RULE_PARAMS, param_value_text, rules_text
from twin.app.param_text import param_label as plain_label
from twin.app.run_details import detail_rows
from twin.app.verdicts import (best, between_verdicts, change_band, change_text, compared_figure, futures,
                               hazards, higher_is_better, in_points, no_rain_baseline, noise_band, one_way,
                               own_baselines, pair_band, row_pct, same_baseline, seeds_of, significant, verdicts)
from twin.economics import FACTORS
from twin.outcome import IMPACTS
from twin.scenarios import SCENARIOS

CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.5em}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
.better{color:#1a7f37}.worse{color:#b42318}.note{color:#555;font-size:.9em}.synthetic{background:#fff4ce;padding:6px}
.stranded-flag{background:#fff3cd;color:#664d03;padding:6px;margin:4px 0}
td.best{font-weight:700;background:#e6f4ea}.noise{color:#555;font-style:italic}.unc{color:#555;font-size:.85em}
.verdicts{background:#f3f6fb;border-left:4px solid #1f4e79;padding:6px 12px;margin:8px 0}.verdicts ul{margin:4px 0}
th.impact-row{text-align:left;background:#f5f5f5}th.vname{text-align:center}.vwindow{font-weight:normal;font-size:0.85em;color:#555}
.table-scroll{overflow-x:auto;max-width:100%}.verdicts li{overflow-wrap:anywhere}
li.verdict-between{list-style:circle;margin-bottom:4px}.rules{margin:2px 0}
@media print{body{margin:0}.table-scroll{overflow:visible}
table.compare{table-layout:fixed;font-size:8pt}table.compare td,table.compare th{padding:2px 3px;overflow-wrap:anywhere}}
.q{white-space:nowrap;overflow-wrap:normal}"""
# on paper nothing scrolls: the comparison's columns share the page's width and their text wraps (four
# parking variants printed three, the fourth cut off at the page's edge)


def _finite_int(x) -> int:
    """A stored count (a number or its text, JSON's) as an int; 0 for none or one not finite."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return 0
    return int(x) if math.isfinite(x) else 0


def _finite(x) -> bool:
    """A number that is neither infinite nor NaN (None and text are not)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _cell(row, lang, flagged=None, best=False, rows=()):
    """A variant's value cell: value, change (coloured per :func:`twin.app.cards.judge`; ``flagged``: the
    variant's stranded KPIs) and its % of the baseline; ``best``: the best value of its row (highlighted);
    ``rows``: the variant's rows (a flood time's note reads its level's probability)."""
    if row is None:
        return "<td>—</td>"
    unit = unit_label(row["unit"], lang)
    value = html.escape(value_text(row, lang))  # the unit is text of a stored variant
    change = row.get("change")
    cls = judge(row, flagged)
    note = change_note(row, flagged or {}, lang)
    pct = row_pct(row)
    # a KPI already in % changes by points (« -4,1 pts »): a % of a % would read as a second, different
    # figure; and a % whose number is the change's own (a baseline of 100) would say it twice
    delta_text = change_text(shown_change(row), row["unit"], lang)  # 183 → 301 personnes: +118, as the CLI
    pct_number = fmt_number(pct, lang, signed=True) if pct is not None else ""
    pct_text = f" ({html.escape(pct_number)}\u00a0%)" if pct is not None and pct != 0 and not in_points(row["unit"]) \
        and pct_number != fmt_number(change, lang, signed=True) else ""
    # a change to or from "never" / "—" is not a number: the value says it
    # a whole count written the same on both sides (183,4 against 183,2) shows no « +0 » in colour either
    skip = no_change(row, lang)  # two medians over other draws, a time over too few: no change written
    delta = "" if not _finite(change) or unchanged_as_shown(row) or not _finite(row.get("value")) else \
        f"<br><span class='note'>{html.escape(', '.join(x for x in dict.fromkeys((note, skip)) if x))}</span>" \
        if skip else \
        f"<br><span class='{cls}'>{html.escape(delta_text)}{pct_text}</span>" + \
        (f"<br><span class='note'>{html.escape(note)}</span>" if note else "")
    if row["kpi"] in RELATIVE_KPIS and cls == "better":  # a payback: no change against "nothing invested"
        delta = f"<br><span class='better'>{html.escape(t('pays_back', lang))}</span>"
    elif row["kpi"] in RELATIVE_KPIS and beyond_life(row):  # as the cards: not repaid before it is worn out
        delta = (f"<br><span class='worse'>"
                 f"{html.escape(t('pays_back_beyond_life', lang, life=fmt_number(row['life_years'], lang)))}</span>")
    elif row["kpi"] in RELATIVE_KPIS:  # « +38,5 ans » against « nothing invested » is no change
        delta = ""
    if row.get("payback_over"):  # « jamais » beside a saving: counted against another variant, said so
        delta += f"<br><span class='note'>{html.escape(payback_over_text(row, lang))}</span>"
    # a flood figure cut short by its horizon, or extrapolated; an alert count's height, a time's draws, a « — »
    # time's reason: as its card says
    for said in (flood_caveat(row, lang), flood_cell_note(row, list(rows), lang)):
        if said:
            delta += f"<br><span class='note'>{html.escape(said)}</span>"
    mark = f" class='best' title='{html.escape(t('compare_best', lang))}'" if best else ""
    return f"<td{mark}>{value}{delta}</td>"


_QUANTITY = re.compile(r"(?<![\w\u202f])([-+\u2212]?\d[\d\u202f.,]*)\u00a0([^\W\d_][^\s<>()\u00a0;]*|[%€°£$][^\s<>()\u00a0;]*)")


_TAG = re.compile(r"(<[^>]*>)")
_RAW_TEXT = ("title", "style", "script")


def unbroken_quantities(page_html: str) -> str:
    """``page_html`` with each figure of its text and its unit kept whole: the number and the unit each
    unbreakable, a line break allowed only between them. On paper the comparison's narrow columns break
    words anywhere (``overflow-wrap: anywhere``, so that nothing is cut off): « 633 631 €/a | n »,
    « -12 345 kW | h/an ». Tags, attributes and the text of title, style and script are left as they are."""
    parts = _TAG.split(page_html)
    raw = None  # the element whose text is not markup, while inside it
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = part[1:].lstrip("/").split(None, 1)[0].split(">")[0].lower() if len(part) > 2 else ""
            if raw is None and not part.startswith("</") and name in _RAW_TEXT:
                raw = name
            elif raw is not None and part.startswith("</") and name == raw:
                raw = None
        elif raw is None and part:
            parts[i] = _QUANTITY.sub(r"<span class='q'>\1</span> <span class='q'>\2</span>", part)
    return "".join(parts)


def _band_text(low, high, unit, lang, key="compare_band") -> str:
    return t(key, lang, low=fmt_quantity(low, unit, lang), high=fmt_quantity(high, unit, lang))


NOTHING_TO_DOUBT_AT_ZERO = frozenset({"investment_eur", "payback_years"})
"""KPIs whose 0 is exact by construction (nothing bought, so nothing to pay back): their cell says no
« non calculée » (« incertitude non calculée » stood beside « 0 € » and « sans investissement »)."""


def _uncertainty_cell(row, lang, pair_note: str = "") -> str:
    """A variant's uncertainty cell: the 5–95 % band of its value (or « non calculée », said once under the table), the
    band of its paired change against its baseline and whether the change is beyond the noise, and
    ``pair_note`` (its paired difference with the table's first variant)."""
    if row is None or (row.get("kpi") in NOTHING_TO_DOUBT_AT_ZERO and row.get("value") == 0):
        return _NO_DOUBT_CELL
    unit = unit_label(row["unit"], lang)
    lines = []
    band = change_band(row)
    if shows_band(row):  # the model's own band, else its members' (as the cards: a flood's draws)
        lines.append(_band_text(*member_band(row), unit, lang))
    elif (band is None or band[0] == band[1]) and not pair_note:
        # « non calculée » above the band of its change read as a contradiction: said only
        # when the cell has no band at all (nor a paired difference with the first variant)
        lines.append(t("compare_no_band", lang))
    if band is not None and band[0] != band[1]:  # a change: in points for a KPI that is a percentage
        lines.append(t("compare_change_band", lang, low=change_text(band[0], row["unit"], lang, signed=False),
                       high=change_text(band[1], row["unit"], lang, signed=False)))
        if significant(noise_band(row)) is False:  # a forecast's spread against no rain is no noise
            lines.append(f"<span class='noise'>{html.escape(t('compare_noise', lang))}</span>")
    text = "<br>".join(x if x.startswith("<span") else html.escape(x) for x in lines)
    if pair_note:
        text += f"<br><span class='note'>{html.escape(pair_note)}</span>"
    if lines == [t("compare_no_band", lang)] and not pair_note:  # the table's note says what it means, once
        return _NO_BAND_CELL.format(text)
    return f"<td class='unc'>{text}</td>"


_NO_BAND_CELL = "<td class='unc no-band'>{}</td>"
_NO_DOUBT_CELL = "<td class='unc'>—</td>"


def _unread(v) -> frozenset:
    """The parameters variant ``v``'s run ignored (a flood's rain multiplier beside its ensemble of analogs):
    not said among its assumptions, where « Multiplicateur de la pluie observée : 1,5 » read as used."""
    cls = SCENARIOS.get(v.family)
    return frozenset(cls.unread(v.params)) if cls is not None else frozenset()


def _shown(v, k: str, lang: str) -> str | None:
    """Parameter ``k`` of variant ``v`` as the assumptions say it (None when the variant has none, or its run
    ignored it)."""
    if k not in v.params or k in _unread(v):
        return None
    val = v.params[k]
    if k in RULE_PARAMS and isinstance(val, list) and val:
        return "\n".join(rules_text(val, lang))
    return param_value_text(v.family, k, val, lang)


def _params_html(v, lang: str, differ: frozenset = frozenset(), keys=None, empty: str = "compare_no_params") -> str:
    """The saved variant's parameters as a list of « libellé : valeur » in plain words
    (:mod:`twin.app.param_text`: the forms' labels, values with their units the French way, a
    lighting's rules as sentences — « Éteindre de 23 h à 5 h — tous les lampadaires » —, an uploaded
    file's content named, not printed; never a code name nor rule syntax); those in ``differ`` (not the
    same in every compared variant) in bold: what sets the variants apart. ``keys``: the parameters
    listed (all when None); ``empty``: the catalogue key said when none is."""
    items = []
    sep = " : " if lang == "fr" else ": "
    unread = _unread(v)
    for k, val in v.params.items():
        # the heading names the family and the variant (its saved name: the run's own « Nom de la variante »
        # beside it read as a second name)
        if k in ("family", "variant_name") or (keys is not None and k not in keys) or k in unread:
            continue
        if k == "booking_ics" and not val and "booking_ics_text" in v.params:  # the page's calendar is its upload
            continue
        label = html.escape(plain_label(v.family, k, lang))
        if k in RULE_PARAMS and isinstance(val, list) and val:  # one sentence per rule, in their order
            sentences = "".join(f"<li>{html.escape(x)}</li>" for x in rules_text(val, lang))
            text = f"{label}{sep}<ul class='rules'>{sentences}</ul>"
        else:
            text = f"{label}{sep}{html.escape(param_value_text(v.family, k, val, lang))}"
        items.append(f"<li class='differs'><b>{text}</b></li>" if k in differ else f"<li>{text}</li>")
    return "<ul>" + ("".join(items) or f"<li>{html.escape(t(empty, lang))}</li>") + "</ul>"


def _factor_value(x, lang: str) -> str:
    """A factor's value as written in the table (0.193 stays 0.193: no rounding of a cited figure)."""
    text = f"{x:g}" if isinstance(x, float) else str(x)
    return text.replace(".", ",") if lang == "fr" else text


def factor_source(name: str, source: str, lang: str = "fr") -> str:
    """Where the factor ``name`` comes from, in ``lang``: the table's own words in English; in French the
    catalogue's translation (``compare_source_<name>``), « hypothèse du projet » for a bare one, else the
    table's words (an untranslated source is still shown: tests/test_app_compare.py lists them)."""
    if lang == "en":
        return source
    if f"compare_source_{name}" in STRINGS:
        return t(f"compare_source_{name}", lang)
    return t("compare_source_project", lang) if source == "project assumption" else source


def _factors_note(family: str, lang: str) -> str:
    """Where the family's default prices, unit costs and emission factors come from: their rows of the
    factors table as a list — name in the page's language, the table's name, value, unit, year and
    source ("" for a family without any). A variant's own values are its parameters, listed above."""
    cls = SCENARIOS.get(family)
    # its own rows, then those another family's run inside it rests on (flood detours: roadworks' CO2 per km)
    names = (*getattr(cls, "factors", ()), *getattr(cls, "cited_factors", ()))
    if not names:
        return ""
    items = []
    for n in names:
        f = FACTORS[n]
        line = t("compare_factor_line", lang, label=t(f"compare_factor_{n}", lang), name=n,
                 value=_factor_value(f.value, lang), unit="" if f.unit == "1" else unit_label(f.unit, lang),
                 year=f.year, source=factor_source(n, f.source, lang)).replace("  (", " (")  # a ratio has no unit
        items.append(f"<li>{html.escape(line)}</li>")
    return f"<p class='note'>{html.escape(t('compare_factors', lang))}</p><ul class='factors note'>{''.join(items)}</ul>"


def synthetic_history_note(territory, lang: str = "fr") -> str:
    """« Historique de capteurs SYNTHÉTIQUE (généré, graine …) » when the territory's sensor history holds
    generated series; "" for a territory whose sensors are all real (the page said it of any history)."""
    from twin.sensors import synthetic_sensor_ids  # noqa: PLC0415

    if not synthetic_sensor_ids(territory.sensors):
        return ""
    return t("synthetic_note", lang, seed=territory.provenance.get("history_seed", 35236))


def provenance_notes_html(variants, territory, lang: str = "fr") -> str:
    """What the figures rest on, before them: the territory's SYNTHETIC sensor history, and the « a priori »
    note of each family whose variants rest on priors (once each)."""
    parts = []
    if synthetic := synthetic_history_note(territory, lang):
        parts.append(f"<p class='synthetic'>{html.escape(synthetic)}</p>")
    notes = dict.fromkeys(n for v in variants if (n := prior_note(
        {"scenario": v.family, **(v.attrs or {})}, lang, any(shows_band(r) for r in v.kpis))))
    # a variant whose buildings all follow one calendar: said with its name (the cards said it, the report not)
    notes.update(dict.fromkeys(f"{v.name} : {n}" if lang == "fr" else f"{v.name}: {n}" for v in variants
                               if (n := one_calendar_note({"scenario": v.family, **(v.attrs or {})}, lang))))
    notes.update(dict.fromkeys(n for v in variants for n in (synthetic_meters_note(v.attrs or {}, lang),
                                                             synthetic_gauges_note(v.attrs or {}, lang)) if n))
    notes.update(dict.fromkeys(f"{v.name} : {n}" if lang == "fr" else f"{v.name}: {n}" for v in variants
                               if (n := beyond_record_note(v.attrs or {}, lang))))
    parts += [f"<p class='synthetic'>{html.escape(n)}</p>" for n in notes]
    return "".join(parts)


DATE_FORMAT = {"fr": "%d/%m/%Y %H:%M", "en": "%Y-%m-%d %H:%M"}
"""How a report dates itself: the French way (« 05/12/2026 14:30 ») in French, ISO in English."""


def report_html(variants, territory, lang: str = "fr") -> str:
    """HTML of the compared variants (a list of :class:`twin.app.variants.Variant`)."""
    name = town_name(territory.name)
    lang = lang if lang in ("fr", "en") else "fr"
    parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>",
             f"<title>{html.escape(t('report_title', lang, name=name))}</title><style>{CSS}</style></head><body>",
             f"<h1>{html.escape(t('report_title', lang, name=name))}</h1>",
             f"<p class='note'>{local_clock_text(DATE_FORMAT[lang])} ({html.escape(t('local_zone', lang))}) — twin</p>"]
    parts.append(provenance_notes_html(variants, territory, lang))
    parts.append(comparison_html(variants, lang))
    prov = territory.provenance
    parts.append(f"<h2>{html.escape(t('provenance', lang))}</h2><ul>")
    colon = " :" if lang == "fr" else ":"
    for key in ("attribution", "osm_base", "source_sha256", "licence", "lamp_seed"):
        if key in prov:  # named in the page's language (« source_sha256: 7753… » closed the French report)
            parts.append(f"<li>{html.escape(t(f'provenance_{key}', lang))}{colon} {html.escape(str(prov[key]))}</li>")
    parts.append("</ul></body></html>")
    return "\n".join(parts)


def _variant_of(v) -> str:
    """The variant of a saved run its cells show (its first that is not the baseline)."""
    return next((r["variant"] for r in v.kpis if r["variant"] != r.get("baseline_name")), "")


NEVER_H = 1e12
"""[h] the rank of a flood level never reached, among lead times."""


def _row_best(k, base, rows, group, shared, flags, lang) -> tuple[list[bool], dict]:
    """Which cells of KPI ``k``'s row hold its best value (baseline first when ``shared``, then each
    variant), and {variant index: its paired note against the first variant}. Two values whose paired
    5–95 % band (same member seeds) contains 0 tie: neither is better beyond the noise."""
    cands = ([base] if shared else []) + rows
    off = 1 if shared else 0
    notes = {}
    hib = next((h for r in rows if r is not None and (h := higher_is_better(r)) is not None), None)
    # a payback is judged by its own value; a KPI that leaves stranded trips out has no fair value for the
    # variants that strand them: the best is picked among the others (none when fewer than two are left)
    unfair = [any(k in STRANDED_KPIS.get(f, ()) for f in fl) for fl in flags]
    if k in RELATIVE_KPIS:
        hib = None
    if any(r is not None and r.get("unproven") for r in rows):  # a fall the run does not prove: no best
        hib = None
    # medians over different shares of the draws (lead times): different futures, none the best (as the verdicts)
    if len({tuple(r["over_share"][:1]) for r in rows if r is not None and r.get("over_share")}) > 1:
        hib = None
    # forecasts are futures, not choices: the no-rain run's « 0 % » of orange is no best value to pick; nor
    # are two floods' closures (a hazard, :func:`twin.app.verdicts.hazards`)
    if any(r is not None and r.get("baseline_meaning") == "no further rain" for r in rows) or hazards(rows):
        hib = None
    values = [r["value"] if r is not None else float("nan") for r in cands]
    if k.startswith("lead_time_"):  # a level never reached (« — ») leaves the most time of all: ranked as a
        # time beyond any horizon (finite, so that ``best`` weighs it)
        values = [NEVER_H if r is not None and not _finite(v) else v for r, v in zip(cands, values, strict=True)]
    # variants on their own baselines (night and day works) are judged by their changes from them, never by
    # values that measure their situations (:func:`twin.app.verdicts.own_baselines`); no paired ties then
    by_change = not shared and not k.startswith("lead_time_") and own_baselines(rows)
    if by_change:
        values = [compared_figure(r, True) if r is not None else None for r in cands]
        values = [float("nan") if v is None else v for v in values]
    values = [float("nan") if i >= off and unfair[i - off] else v for i, v in enumerate(values)]
    if any(unfair) and sum(_finite(v) for v in values) < 2:
        hib = None
    seeds = [seeds_of(v.attrs) for v in group]
    first = rows[0]
    for j in range(1, len(rows)):  # each variant against the first, paired when both have members on the same seeds
        band = pair_band(first, seeds[0], rows[j], seeds[j])
        if band is not None:
            unit = rows[j]["unit"]
            key = "compare_pair_sig" if significant(band) is not False else \
                "compare_pair_futures" if futures([first, rows[j]]) else "compare_pair_noise"
            if band[0] == band[1]:  # « 202 h/an – 202 h/an »: the same in every draw (whatever the key)
                # two floods already above a level at issue: « prévoient pareil (écart de 0 h à 0 h) » said nothing
                key = "compare_pair_exact" if band[0] != 0 else "compare_pair_same_every"
            a = f"« {group[0].name} »" if lang == "fr" else f"“{group[0].name}”"
            b = f"« {group[j].name} »" if lang == "fr" else f"“{group[j].name}”"
            side, oriented = one_way(band, unit) if key == "compare_pair_futures" else (None, band)  # band: b − a
            if side == "same":
                key = "compare_pair_futures_same"
            elif side is not None:  # « more » first, its band « more − less »
                key, a, b = "compare_pair_futures_more", *((b, a) if side == "x" else (a, b))
            notes[j] = t(key, lang, a=a, b=b, low=change_text(oriented[0], unit, lang, signed=False),
                         high=change_text(oriented[1], unit, lang, signed=False))
    top = best(values, hib)
    if not top:
        return [False] * len(cands), notes
    lead = top[0]
    ties = [False] * len(cands)
    for i in range(len(cands)):
        if i == lead or cands[i] is None or by_change:
            continue
        if shared and 0 in (i, lead):  # a variant against the shared baseline: its own paired change
            band = noise_band(cands[max(i, lead)])
        else:
            band = pair_band(cands[lead], seeds[lead - off], cands[i], seeds[i - off])
        ties[i] = significant(band) is False
    marked = set(best(values, hib, ties))
    return [i in marked for i in range(len(cands))], notes


def comparison_html(variants, lang: str = "fr") -> str:
    """Per scenario family: a verdict line per impact, then the KPIs by impact — the baseline, each
    variant's value with its change and % (the row's best value highlighted) and its uncertainty
    (5–95 % band, or said to be not estimated) — then the assumptions as readable lists (parameters,
    default factors and their sources)."""
    parts = []
    families = sorted({v.family for v in variants})
    for fam in families:
        group = [v for v in variants if v.family == fam]
        parts.append(f"<h2>{html.escape(family_label(fam, lang))}</h2>")
        kpis = list(dict.fromkeys(r["kpi"] for r in group[0].kpis))

        def base_row(v, k):
            return next((r for r in v.kpis if r["kpi"] == k and r["variant"] == r["baseline_name"]), None)

        # per variant: the stranded KPIs that grew (trips or buildings a closure leaves with no route)
        flags = {id(v): stranded(v.kpis, _variant_of(v)) for v in group}
        own = [(v.name, [r for r in v.kpis if r["variant"] == _variant_of(v)], flags[id(v)]) for v in group]
        lines = verdicts(own, lang)
        # and, of two or more, the variants against each other (paired on their members' common seeds)
        others = between_verdicts([(*o, seeds_of(v.attrs)) for o, v in zip(own, group, strict=True)], lang)
        # flood forecasts over different horizons: « au moins autant dans 95 % des tirages » compared a 24 h window
        # with a 72 h one; each stays against its own no-rain run, but not against the other
        horizons = [_finite_int(v.attrs.get("horizon_h")) for v in group] if fam == "flood" else []
        spans = all(horizons) and len(set(horizons)) > 1
        if spans:
            listed = ", ".join(fmt_quantity(h, "h", lang) for h in dict.fromkeys(horizons))
            others = dict.fromkeys(others, t("compare_between_horizons", lang, horizons=listed,
                                             long=fmt_quantity(max(horizons), "h", lang),
                                             short=fmt_quantity(min(horizons), "h", lang)))
        if lines:
            parts.append(f"<div class='verdicts'><b>{html.escape(t('compare_verdicts', lang))}</b><ul>"
                         + "".join(f"<li class='verdict' data-impact='{i}'>{html.escape(line)}</li>"
                                   + (f"<li class='verdict-between' data-impact='{i}'>{html.escape(others[i])}</li>"
                                      if i in others else "")
                                   for i, line in lines.items()) + "</ul></div>")
        # one baseline column only when every variant of the family has the same baseline
        shared = all(base_row(v, k) and base_row(group[0], k) and same_baseline(base_row(v, k)["value"], base_row(group[0], k)["value"])
                     for v in group for k in kpis)
        if not shared:
            parts.append(f"<p class='note'>{t('own_baselines', lang)}</p>")
        base_word = t("baseline_no_rain" if no_rain_baseline(group[0].kpis) else "baseline", lang)
        base_head = f"<th rowspan='2'>{base_word}</th>" if shared else ""
        # works at different hours (day and night): each column says its window, the table's « sur la plage
        # horaire » rows are not over the same hours (a planner compared 12 h by day with 10 h by night untold)
        windows = [str(v.attrs.get("hours", "")) for v in group]
        windowed = all(windows) and len(set(windows)) > 1
        said = [t("compare_window", lang, hours=param_value_text(fam, "hours", w, lang)) for w in windows]
        if spans:  # each column says its horizon, as works say their hours
            windowed, said = True, [t("compare_horizon", lang, hours=fmt_quantity(h, "h", lang)) for h in horizons]
        sections = []  # (impact, [(kpi, label, base cell, [(value cell, uncertainty cell)])])
        for impact in IMPACTS:
            rows = [k for k in kpis if any(r["kpi"] == k and r["impact"] == impact for r in group[0].kpis)]
            if not rows:
                continue
            lines = []
            for k in rows:
                base = base_row(group[0], k)
                vrows = [v.kpi(k) for v in group]
                marks, notes = _row_best(k, base, vrows, group, shared, [flags[id(v)] for v in group], lang) \
                    if not spans else ([False] * (len(group) + (1 if shared else 0)), {})
                base_cell = ""
                if shared:
                    cls = " class='best'" if marks[0] else ""
                    base_cell = f"<td{cls}>{html.escape(value_text(base, lang))}</td>"
                off = 1 if shared else 0
                cells = [(_cell(r, lang, flags[id(v)], marks[j + off], v.kpis),
                          _uncertainty_cell(r, lang, notes.get(j, "")))
                         for j, (v, r) in enumerate(zip(group, vrows, strict=True))]
                lines.append((k, kpi_label(k, "", lang), base_cell, cells))
            sections.append((impact, lines))
        no_band = _NO_BAND_CELL.format(html.escape(t("compare_no_band", lang)))
        unc = [u for _, lines in sections for *_, cells in lines for _, u in cells]
        # no variant with a band anywhere (works, lighting: one run each): no column of « non calculée » on
        # every row, one sentence under the table (a roadworks comparison was half « non calculée »)
        banded = any(u not in (no_band, _NO_DOUBT_CELL) for u in unc)
        per = 2 if banded else 1
        head = "".join(f"<th colspan='{per}' class='vname'>{html.escape(v.name)}"
                       + (f"<br><span class='vwindow'>{html.escape(w)}</span>" if windowed else "") + "</th>"
                       for v, w in zip(group, said, strict=True))
        sub = "".join(f"<th>{html.escape(t('compare_value', lang))}</th>"
                      + (f"<th class='unc'>{html.escape(t('compare_uncertainty', lang))}</th>" if banded else "")
                      for _ in group)
        # in its own scrolling box: four variants on a 1024 px projector scroll the table, not the page
        parts.append(f"<div class='table-scroll'><table class='compare'><tr><th rowspan='2'></th>{base_head}{head}</tr>"
                     f"<tr>{sub}</tr>")
        width = 1 + (1 if shared else 0) + per * len(group)
        for impact, lines in sections:
            parts.append(f"<tr><th colspan='{width}' class='impact-row'>{html.escape(t(impact, lang))}</th></tr>")
            for k, label, base_cell, cells in lines:
                row_cells = "".join(value + (u if banded else "") for value, u in cells)
                parts.append(f"<tr data-kpi='{html.escape(k)}'><td>{html.escape(label)}</td>{base_cell}"
                             f"{row_cells}</tr>")
        parts.append("</table></div>")
        if not banded and unc:
            parts.append(f"<p class='note'>{html.escape(t('compare_no_band_all', lang))}</p>")
        elif no_band in unc:
            parts.append(f"<p class='note'>{html.escape(t('compare_no_band_note', lang))}</p>")
        base = t("compare_base_no_rain" if no_rain_baseline(group[0].kpis) else "compare_base", lang)
        legend = "compare_legend_forecast" if no_rain_baseline(group[0].kpis) else \
            "compare_legend" if shared else "compare_legend_own"
        parts.append(f"<p class='note'>{html.escape(t(legend, lang, base=base))}</p>")
        if fam == "flood":  # how far each forecast can be trusted: its record on past floods, as its box says
            from twin.app.views.flood_record import record_text  # noqa: PLC0415 - a flood's comparison only

            parts.append(f"<div class='record-compare'><b>{html.escape(t('res_record_compare_head', lang))}</b><ul>"
                         + "".join(f"<li><b>{html.escape(v.name)}</b>{' : ' if lang == 'fr' else ': '}"
                                   f"{html.escape(record_text(v.attrs, lang))}"
                                   "</li>" for v in group) + "</ul></div>")
        for v in group:
            if flags[id(v)]:
                parts.append(f"<div><b>{html.escape(v.name)}</b>: {stranded_flag_html(v.kpis, _variant_of(v), lang)}"
                             "</div>")
            cut = _finite_int(v.attrs.get("buildings_cut_off"))
            if cut:  # works closed to all: the homes they shut in (only in the folded run details before)
                cut_text = t("compare_cut_off_one" if cut == 1 else "compare_cut_off", lang, n=fmt_number(cut, lang))
                parts.append(f"<div class='alert alert-warning cut-off-note' role='note'><b>{html.escape(v.name)}</b>"
                             f"\u00a0: {html.escape(cut_text)}</div>")
        parts.append(f"<h2>{html.escape(t('assumptions', lang))} — {html.escape(family_label(fam, lang))}</h2>"
                     "<ul class='assumptions'>")
        keys = {k for v in group for k in v.params}
        # what sets them apart as people read it: two rule lists whose schedules are only named
        # differently say the same sentences, the same proposal
        differ = frozenset(k for k in keys if len({_shown(v, k, lang) for v in group}) > 1)
        # of two or more, what they share is said once, and under each only what sets it apart: fourteen
        # parameters repeated per variant buried the one that differs
        common = None
        if len(group) > 1:
            common = frozenset(k for k in keys - differ if k != "family")
            if common:
                parts.append(f"<li class='common'><b>{html.escape(t('compare_params_common', lang))}</b>"
                             f"{_params_html(group[0], lang, keys=common)}</li>")
        for v in group:
            sep = " : " if lang == "fr" else ": "
            rows, english = detail_rows(v.attrs, lang)
            heading = "compare_run_details_english" if english else "compare_run_details"
            details = "".join(f"<li>{html.escape(k)}{sep}{html.escape(val)}</li>" for k, val in rows)
            own = _params_html(v, lang, differ) if common is None else \
                _params_html(v, lang, differ, keys=differ, empty="compare_params_same")
            parts.append(f"<li><b>{html.escape(v.name)}</b> — "
                         f"{html.escape(t('compare_params' if common is None else 'compare_params_own', lang))}{own}"
                         + (f"<details><summary class='note'>{html.escape(t(heading, lang))}</summary>"
                            f"<ul class='note'>{details}</ul></details>" if details else "") + "</li>")
        parts.append("</ul>")
        parts.append(_factors_note(fam, lang))
    return "\n".join(parts)


CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class ReportError(RuntimeError):
    """The PDF could not be made; the message says why (no local browser, or its error)."""


def printable(html_text: str) -> str:
    """``html_text`` for paper: its folds (« ▸ Détails techniques du calcul ») printed open — on a page
    nobody can click them, and a closed one printed only its title; each figure and its unit broken only
    between them (:func:`unbroken_quantities`)."""
    return unbroken_quantities(html_text.replace("<details>", "<details open>"))


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
        src.write_text(printable(html_text), encoding="utf-8")
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
