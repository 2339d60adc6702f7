"""The flood forecast's record on the territory's past floods, under its cards: the forecasts replayed before
each past peak (:mod:`twin.scenarios.flood_skill`), their peaks against the gauge's, and per alert level how
often it was announced when it came, missed, or announced for nothing.

A GEMAPI technician reads « 62 % de dépasser l'orange » and asks how far to trust it; the CLI's
``twin flood replay`` answered, the page did not. A table, one line per past flood, one column per lead: the
peak each forecast gave and how far it was from the gauge's.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from twin.app.i18n import fmt_number, t
from twin.scenarios.flood_skill import PAST_LEADS_H, RECORD_LEVELS, alert_record, record_summary

RECORD_CSS = ("border-left:6px solid #4a6fa5;background:#f6f8fb;padding:6px 12px;margin:8px 0;font-size:15px;"
              "overflow-x:auto")


def _local(stamp, lang: str) -> str:
    """A naive UTC time as Paris's clock writes it: « 30/12/2022 18 h » (« 2022-12-30 18:00 » in English)."""
    from twin.app.views.flood import local_clock  # noqa: PLC0415 - flood's view imports the chart's stack

    when = local_clock(pd.Timestamp(stamp))
    return f"{when:%d/%m/%Y} {when.hour} h" if lang == "fr" else f"{when:%Y-%m-%d %H:%M}"


def _metres(x: float, lang: str, signed: bool = False) -> str:
    """« 5,23 m », « +0,25 m »; « 0 m » for what rounds to nothing (« -0 m » was written)."""
    if not np.isfinite(x):
        return "—"
    x = round(float(x), 2) + 0.0  # -0.0 → 0.0
    return f"{fmt_number(x, lang, signed=signed and x != 0)}\u00a0m"


def _timing(hours: float, lang: str) -> str:
    """« pic 3 h trop tôt » / « pic 2 h trop tard » / « pic à l'heure » for a forecast peak ``hours`` after the
    peak read (negative: before)."""
    if not np.isfinite(hours):
        return ""
    h = int(round(float(hours)))
    if h == 0:
        return t("res_record_on_time", lang)
    return t("res_record_early" if h < 0 else "res_record_late", lang, h=fmt_number(abs(h), lang))


def probability_sentence(df: pd.DataFrame, level: str, lang: str) -> str:
    """The probability the replayed forecasts gave ``level``, on average, when it came and when it did not: a
    forecast that tells them apart gives the first high and the second low. "" without both kinds of horizon."""
    column = f"{level}_p_pct"
    if column not in df:
        return ""
    came = df[f"{level}_observed"].astype(bool)
    if not came.any() or came.all():
        return ""
    return t("res_record_probability", lang, came=fmt_number(round(float(df.loc[came, column].mean())), lang),
             quiet=fmt_number(round(float(df.loc[~came, column].mean())), lang))


def level_sentence(df: pd.DataFrame, level: str, height: float, lang: str) -> str:
    """« seuil orange (4,5 m) : atteint 8 fois, annoncé 8 fois sur 8 ; annoncé à tort 0 fois sur 4 » over the
    replayed forecasts ``df`` (each forecast's horizon counts once)."""
    counted = df[~df[f"{level}_at_issue"].astype(bool)] if f"{level}_at_issue" in df else df
    return counts_sentence(alert_record(df, level), level, height, lang, probability_sentence(counted, level, lang))


def counts_sentence(r: dict, level: str, height: float, lang: str, probability: str = "") -> str:
    """:func:`level_sentence` from :func:`twin.scenarios.flood_skill.alert_record`'s counts ``r`` (a saved
    variant's attributes, in « Comparer »); ``probability``: :func:`probability_sentence`, said when the level
    both came and did not."""
    r = {k: int(float(v)) for k, v in r.items()}
    came, quiet = r["hits"] + r["misses"], r["false_alarms"] + r["correct_negatives"]
    name = t(f"flood_alert_{level}", lang, h=fmt_number(round(float(height), 2), lang))
    already = t("res_record_level_at_issue", lang, n=r["at_issue"]) if r["at_issue"] else ""
    if came + quiet == 0:  # every forecast issued with the river above it: nothing forecast
        return t("res_record_level_all_at_issue", lang, level=name, n=r["at_issue"])
    if came == 0:
        said = t("res_record_level_never", lang, level=name, false=r["false_alarms"], n=quiet)
    elif quiet == 0:  # reached within every horizon: no forecast could announce it wrongly
        said = t("res_record_level_always_one" if came == 1 else "res_record_level_always", lang, level=name,
                 came=came, hits=r["hits"])
    else:
        said = t("res_record_level", lang, level=name, came=came, hits=r["hits"], false=r["false_alarms"], n=quiet)
        said += f" ; {probability}" if probability else ""
    return said + already


COUNTS = ("hits", "misses", "false_alarms", "correct_negatives", "at_issue")


def record_text(attrs: dict, lang: str = "fr") -> str:
    """A flood variant's record in one paragraph from its attributes alone (« Comparer », the meeting pack): how
    many forecasts were replayed on how many past floods, their peak errors, and per level its counts; the
    SYNTHETIC caution; that there is none when the run asked for none or found no flood to replay."""
    if not _number(attrs.get("past_floods_asked")) or not float(attrs["past_floods_asked"]):
        return t("res_record_none", lang)
    if attrs.get("past_floods_why") or not _number(attrs.get("past_forecasts_n")):
        return t("res_record_none_found", lang)
    said = [t("res_record_compared", lang, n=int(float(attrs["past_forecasts_n"])),
              floods=int(float(attrs.get("past_floods_found", 0))))]
    said.append(errors_sentence(attrs, lang))
    for level in RECORD_LEVELS:
        counts = {k: attrs.get(f"past_{level}_{k}") for k in COUNTS}
        if all(_number(v) for v in counts.values()) and _number(attrs.get(f"alert_{level}_m")):
            sentence = counts_sentence(counts, level, float(attrs[f"alert_{level}_m"]), lang)
            said.append(sentence[:1].upper() + sentence[1:] + ".")  # « Seuil orange (4,5 m) : … » in a paragraph
    if str(attrs.get("synthetic_gauges", "")).lower() not in ("", "false", "0"):
        said.append(t("res_record_synthetic", lang))
    return " ".join(x for x in said if x)


def errors_sentence(summary: dict, lang: str) -> str:
    """« pic prévu à 0,15 m près en moyenne (biais +0,1 m, de -0,24 à +0,34 m), heure du pic à 4 h près … » from
    :func:`twin.scenarios.flood_skill.record_summary`'s figures ("" without a peak error)."""
    if not _number(summary.get("past_peak_mae_m")):
        return ""
    timing = [summary.get(k) for k in ("past_timing_median_h", "past_timing_worst_h")]
    hours, worst = (fmt_number(round(float(x)), lang) if _number(x) else "—" for x in timing)
    return t("res_record_errors", lang, mean=_metres(float(summary["past_peak_mae_m"]), lang),
             bias=_metres(float(summary["past_peak_bias_m"]), lang, signed=True),
             low=_metres(float(summary["past_peak_low_m"]), lang, signed=True),
             high=_metres(float(summary["past_peak_high_m"]), lang, signed=True), hours=hours, worst=worst)


def _number(x) -> bool:
    """A finite number, or its text (a saved variant's attributes are JSON's)."""
    try:
        return np.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def record_html(outcome, lang: str = "fr") -> str:
    """The record's box ("" when the run asked for none)."""
    attrs = outcome.data.attrs
    asked = int(attrs.get("past_floods_asked", 0) or 0)
    if not asked:
        return ""
    e = html.escape
    found = int(attrs.get("past_floods_found", 0) or 0)
    parts = [f"<h3 style='margin:4px 0'>{e(t('res_record_title', lang))}</h3>"]
    if attrs.get("past_floods_why"):  # a river without a discharge gauge: no model to replay
        parts.append(f"<p>{e(t('res_record_no_gauge', lang))}</p>")
        return f"<div class='flood-record' style='{RECORD_CSS}'>{''.join(parts)}</div>"
    if found < asked:
        fewer = t("res_record_fewer", lang, found=found, asked=asked, days=attrs.get("past_history_days", "?"))
        parts.append(f"<p>{e(fewer)}</p>")
    if "past_forecasts" not in outcome.tables or not found:
        return f"<div class='flood-record' style='{RECORD_CSS}'>{''.join(parts)}</div>"
    df = outcome.table("past_forecasts")
    leads = [lead for lead in PAST_LEADS_H if (df["lead_h"] == lead).any()]
    given = str(attrs.get("past_params_given", "")).lower() in ("true", "1")
    how = t("res_record_how", lang, n=found, members=attrs.get("past_members", "?"),
            leads=", ".join(fmt_number(x, lang) for x in leads),
            model=t("res_record_model_given" if given else "res_record_model_calibrated", lang))
    parts.append(f"<p>{e(how)}</p>")
    head = "".join(f"<th>{e(t('res_record_lead', lang, h=fmt_number(lead, lang)))}</th>" for lead in leads)
    lines = [f"<tr><th>{e(t('res_record_flood', lang))}</th><th>{e(t('res_record_observed', lang))}</th>{head}</tr>"]
    for peak, rows in df.groupby("flood_peak_time", sort=True):
        observed = float(rows["observed_peak_m"].min())  # the flood's peak: every horizon replayed reads it
        cells = []
        for lead in leads:
            row = rows[rows["lead_h"] == lead]
            if row.empty:
                cells.append("<td>—</td>")
                continue
            row = row.iloc[0]
            error = t("res_record_error", lang, error=_metres(row["peak_error_m"], lang, signed=True))
            # the error is against the highest reading over this forecast's own horizon: said when it is not the
            # flood's peak of the row (a higher reading later in the horizon)
            read = "" if abs(row["observed_peak_m"] - observed) < 0.005 else \
                t("res_record_read", lang, h=_metres(row["observed_peak_m"], lang))
            at_issue = t("res_record_at_issue", lang, h=_metres(row.get("stage_at_issue_m", np.nan), lang)) \
                if np.isfinite(row.get("stage_at_issue_m", np.nan)) else ""
            note = ", ".join(x for x in (error + read, _timing(row["peak_timing_error_h"], lang), at_issue) if x)
            cells.append(f"<td>{e(_metres(row['forecast_peak_m'], lang))}<br><span class='note'>{e(note)}</span></td>")
        lines.append(f"<tr><td>{e(_local(peak, lang))}</td><td>{e(_metres(observed, lang))}</td>"
                     f"{''.join(cells)}</tr>")
    parts.append("<table class='record'>" + "".join(lines) + "</table>")
    said = errors_sentence(record_summary(df), lang)  # the figures « Comparer » says from the variant's attributes
    if said:
        parts.append(f"<p>{e(said)}</p>")
    said = [level_sentence(df, lvl, float(attrs[f"alert_{lvl}_m"]), lang) for lvl in RECORD_LEVELS
            if f"alert_{lvl}_m" in attrs and f"{lvl}_forecast" in df]
    if said:
        parts.append("<ul style='margin:2px 0'>" + "".join(f"<li>{e(s)}</li>" for s in said) + "</ul>")
    # a handful of floods, forecasts of one flood alike: a record to read, not a rate to quote
    parts.append(f"<p class='note'>{e(t('res_record_sample', lang, n=len(df), floods=found))}</p>")
    if attrs.get("synthetic_gauges"):  # the model's own series: recovery, not validation
        parts.append(f"<p><b>{e(t('res_record_synthetic', lang))}</b></p>")
    return f"<div class='flood-record' style='{RECORD_CSS}'>{''.join(parts)}</div>"
