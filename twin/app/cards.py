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

from twin.app import views  # noqa: F401 - the result strings (res_*) in the catalogue
from twin.app.views.common import variant_label
from twin.app.i18n import (STRINGS, family_label, fmt_number, fmt_points, fmt_quantity, kpi_label, shown_change, t,
                           unchanged_as_shown, unit_label)
from twin.economics import beyond_life as beyond_life_of
from twin.outcome import IMPACTS
from twin.paired import MIN_MEMBERS
from twin.scenarios import SCENARIOS

MAX_MESSAGE_CHARS = 1200  # a message longer than this (an error quoting a huge value) is cut
MESSAGE_KINDS = ("success", "info", "warning", "danger")  # a message's colour
STALE_CSS = ":host(.stale){opacity:.45}"  # a result the form no longer asks (see Builder._show_stale)
# the style of the cards and messages, given to every pane that shows them (each is its own shadow root)
CARDS_CSS = """
.kpi-grid{display:flex;gap:12px;flex-wrap:wrap}.impact{flex:1;min-width:240px}
.impact h3{margin:4px 0;font-size:1.05em}.kpi-card{background:#fff;border:1px solid #ddd;border-radius:8px;
padding:8px 10px;margin:6px 0}.kpi-label{color:#555;font-size:.9em}.kpi-value{font-size:1.4em;font-weight:600}
.kpi-delta.better{color:#1a7f37}.kpi-delta.worse{color:#b42318}.kpi-band{color:#666;font-size:.85em}.kpi-note{color:#666;font-size:.85em}
.workshop .kpi-value{font-size:2.2em}.workshop .kpi-label{font-size:1.2em}.workshop h2{font-size:2em}
.workshop-card{border:2px solid #999;border-radius:12px;padding:12px;margin:8px;min-width:320px;background:#fff}
.alert{padding:8px 12px;border-radius:6px;border:1px solid transparent;margin:4px 0}
.alert-success{background:#d1e7dd;color:#0a3622;border-color:#a3cfbb}.alert-info{background:#cff4fc;color:#055160;
border-color:#9eeaf9}.alert-warning{background:#fff3cd;color:#664d03;border-color:#ffe69c}
.alert-danger{background:#f8d7da;color:#58151c;border-color:#f1aeb5}
.workshop-card.pinned{border-color:#d4a017;box-shadow:0 0 8px #d4a017}
.variant-heading{margin:6px 0 0 0;font-size:1.1em}.other-variant{margin-top:10px}
.other-variant h3{margin:4px 0;font-size:1.1em}.other-variant table{border-collapse:collapse;background:#fff}
.other-variant th,.other-variant td{border:1px solid #ddd;padding:3px 8px;text-align:left}
.other-variant td.num{text-align:right;white-space:nowrap}
""" + STALE_CSS


RELATIVE_KPIS = frozenset({"payback_years"})
"""KPIs whose value is already a comparison with the baseline (judged by their own value, see :func:`judge`)."""
VALUED_NOT_SPENT = frozenset({"drive_time_cost_eur_window"})
"""KPIs in euros that value something (the drivers' time, at the reference value of time) rather than count
money anyone pays: never said « économise » or « coûte », never the money an elected official's summary
opens with."""
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


def within_noise(row: dict) -> bool:
    """Whether ``row`` is an ensemble's change within the noise of its members, compared member by member
    (``significant`` False). Not said of a probability (each member's is 0 or 100 %: their pairs make no
    band, the change of the share is the signal) nor of a KPI that is itself a quantile of the members."""
    return row.get("significant") is False and row.get("unit") != "%" and row.get("kpi") not in QUANTILE_KPIS


def beyond_life(row: dict) -> bool:
    """A payback longer than the assumed service life of what it buys (``life_years``, from the outcome's
    ``investment_life_years``): the money is not repaid before the equipment is worn out — 27 compacting
    bins paid back in 39,4 years were shown « se rembourse » in green."""
    life, v = row.get("life_years"), row.get("value")
    return _finite(life) and _finite(v) and beyond_life_of(float(v), float(life))


def judge(row: dict, flagged: dict | None = None) -> str:
    """The colour class of a row's change: "better", "worse" or "" (no verdict), per the KPI's
    direction, never the sign (module docstring); ``flagged``: :func:`stranded` of the row's variant."""
    if row["variant"] == row.get("baseline_name"):
        return ""
    if row["kpi"] in RELATIVE_KPIS:
        v = row.get("value")
        if isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v) and v != 0:
            return "better" if math.isfinite(v) and v > 0 and not beyond_life(row) else "worse"
        return ""
    if row.get("better") is None or unchanged_as_shown(row):  # no verdict on a change no figure shows
        return ""
    if within_noise(row):  # an ensemble's change within its members' noise: no verdict
        return ""
    if row["better"] and any(row["kpi"] in STRANDED_KPIS[k] for k in (flagged or {})):
        return ""  # its fall may only be the demand that lost its route
    if row["better"] and row.get("unproven"):
        return ""  # a fall the run says it does not prove (shorter but slower detours' CO2 per km)
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


def _delta(r: dict, flagged: dict, lang: str) -> tuple[str, str]:
    """(colour class, text) of a row's change from the baseline ("", "" when there is none to say).

    A change of a percentage (unit ``%``: a probability, a share) is in points — 2 % → 43 % is
    « +41 pts », not « +41 % » nor « +2 050 % » — and carries no relative change: a percent of a
    percent misleads (issue 17)."""
    cls = judge(r, flagged)
    if r["kpi"] in RELATIVE_KPIS:
        # a payback against the baseline's "nothing invested" is no change: say that it pays back
        # (one that never does is "jamais": its value says it)
        if beyond_life(r):
            return cls, t("pays_back_beyond_life", lang, life=fmt_number(r["life_years"], lang))
        return (cls, t("pays_back", lang)) if cls == "better" else ("", "")
    # a change to or from a figure that is not a number (never, —) is not a number either: the
    # value says it ("jamais"), a "+∞ ans" under it would only repeat it less clearly
    if r["variant"] == r["baseline_name"] or not _finite(r.get("change")) or not _finite(r.get("value")):
        return "", ""
    # said, not left blank: a card without a line read as "not compared". A whole count whose two figures are
    # written the same (183,4 against 183,2: « 183 » both) changes by nothing the reader can see: « +0
    # personnes » in colour read as a change (twin.app.i18n.shown_change)
    if unchanged_as_shown(r):
        return "", t("res_unchanged_no_rain" if r.get("baseline_meaning") == "no further rain" else "res_unchanged",
                     lang)
    if over_other_draws(r, lang):  # two medians over other draws: no change to write (« +0,5 h » read as a gain)
        return "", t("over_other_draws_card", lang, p=fmt_number(r["over_share"][0], lang),
                     q=fmt_number(r["over_share"][1], lang))
    if few_draws_time(r):  # a median of 4 draws moves by hours from one seed to another
        return "", t("lead_few_change", lang)
    if r["unit"] == "%":
        text = fmt_points(r["change"], lang)
    else:
        pct = r.get("change_pct")
        pct_txt = f" ({fmt_quantity(pct, '%', lang, signed=True)})" if _finite(pct) else ""
        text = f"{fmt_quantity(shown_change(r), unit_label(r['unit'], lang), lang, signed=True)}{pct_txt}"
    note = change_note(r, flagged, lang)
    if within_noise(r):  # said, not only left uncoloured: « +300 % » of noise misleads
        note = ", ".join(x for x in (note, t("res_within_noise", lang)) if x)
    # an ensemble's no-rain members keep the model's error (« 15 % » of orange without rain) where « aucune
    # pluie » alone is one run without it (« non atteint »): said, or the two read as contradicting each other
    versus = t("vs_baseline", lang) if r.get("baseline_meaning") != "no further rain" else \
        t("vs_no_rain_uncertain" if r.get("members_are") else "vs_no_rain", lang)
    return cls, f"{text} {versus}" + (f", {note}" if note else "")


def value_text(r: dict, lang: str = "fr") -> str:
    """A row's value as the page writes it: its quantity, except a payback of nothing invested
    (« sans investissement »: 0 is no payback time, nothing is paid back) and a flood level the gauge
    already reads at the forecast time (« déjà atteint »: no time is left, « 0 h » read as « in an hour »)."""
    if r.get("kpi") in RELATIVE_KPIS and r.get("value") == 0:
        return t("payback_nothing_invested", lang)
    if str(r.get("kpi", "")).startswith("lead_time_") and r.get("value") == 0:
        return t("lead_already_reached", lang)
    if few_draws_time(r):  # « délai avant rouge 53 h » in large on 4 draws of 200: the time goes to the note
        return t("lead_few_value", lang)
    if one_run_crossing(r):  # one rain, one run: the level is reached or not, no probability (« 100 % »)
        return t("level_reached" if r["value"] >= 50 else "level_not_reached", lang)
    return fmt_quantity(r.get("value"), unit_label(r.get("unit", ""), lang), lang)


def few_draws_time(r: dict) -> bool:
    """A flood's time before a level that few draws reach (fewer than :data:`FEW_DRAWS`, not all of them): its
    median is no figure to headline. « Délai avant rouge 53 h » in large rested on 4 draws of 200 (2 %), the
    caution in small print under it (a GEMAPI technician's walkthrough); its card now says « trop peu de
    tirages » and the hour, « vers 53 h s'il est atteint », in its note; no change is written for it."""
    if not str(r.get("kpi", "")).startswith("lead_time_") or not _finite(r.get("value")) or r.get("value") == 0:
        return False
    members = r.get("members") or ()
    reached = sum(1 for x in members if _finite(x))
    return 0 < reached < min(FEW_DRAWS, len(members))


def no_change(r: dict, lang: str = "fr") -> str:
    """Why a row's change is not written ("" when it is): two medians over other draws
    (:func:`over_other_draws`), or a time over too few draws (:func:`few_draws_time`). The cards, the
    comparison's cells and the meeting pack leave the change out alike."""
    if few_draws_time(r):
        return t("lead_few_change", lang)
    return over_other_draws(r, lang)


def one_run_crossing(r: dict) -> bool:
    """A flood level's « probability » computed on one rain (a replay, a design storm, a given forecast: no
    members, or one): 0 or 100 %, which is whether that run crosses the level."""
    kpi = str(r.get("kpi", ""))
    return kpi.startswith("p_") and kpi.endswith("_pct") and len(r.get("members") or []) <= 1 \
        and r.get("value") in (0, 0.0, 100, 100.0)


def has_value(row: dict) -> bool:
    """A row whose value is a number or an infinite one (« jamais »): NaN is "not computed", no card."""
    v = row.get("value")
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def hidden_html(rows: list[dict], variant: str, lang: str = "fr") -> str:
    """One note in place of the cards of ``variant`` that have no value: why, in plain words
    (:func:`twin.app.views.notes.explain`), and the names of those no reason covers ("" when none)."""
    from twin.app.views.notes import explain  # noqa: PLC0415 - the views import the cards' neighbours

    hidden = [r["kpi"] for r in rows if r["variant"] == variant and not has_value(r)]
    if not hidden:
        return ""
    sentences, rest = explain(hidden, lang)
    if rest:
        sentences.append(t("res_hidden", lang, labels=", ".join(kpi_label(k, "", lang) for k in rest)))
    return (f"<div class='alert alert-info cards-note' role='note' data-hidden='{html.escape(' '.join(hidden))}'>"
            + " ".join(html.escape(s) for s in sentences) + "</div>")


QUANTILE_KPIS = frozenset({"peak_stage_p95_m", "buildings_to_alert", "people_to_alert", "p_yellow_pct", "p_orange_pct",
                           "p_red_pct"})
"""KPIs whose value is a quantile of the members (a flood's 95th percentile peak): no members' band. Rows
say it themselves now (``statistic``, from the KPI's declaration); this names them in variants saved before."""
MIN_MEMBERS_FOR_BAND = MIN_MEMBERS
"""Members an ensemble needs before its cards show a 5–95 % band of them: the count a paired change
needs for its band and verdict (:data:`twin.paired.MIN_MEMBERS`, 5; fewer say little)."""


def member_band(r: dict) -> tuple[float | None, float | None]:
    """(low, high): the row's 5–95 % band — the model's own (``low``/``high``), else that of the
    ensemble's members (a flood's buildings and people to alert across its rain draws, which showed
    as single numbers); (None, None) without one."""
    if _finite(r.get("low")) and _finite(r.get("high")):
        return float(r["low"]), float(r["high"])
    raw = list(r.get("members") or ())
    members = [float(x) for x in raw if _finite(x)]
    # a probability is 0 or 100 in each member: its members' band (« 0 – 100 ») says nothing; a KPI some
    # members leave without a value (a peak beyond the horizon) would get the band of the others only;
    # a KPI that is itself a quantile of the members has their band for its value's range, not its own
    if len(members) < MIN_MEMBERS_FOR_BAND or r.get("unit") == "%" or len(members) < len(raw) \
            or r.get("statistic") or r.get("kpi") in QUANTILE_KPIS:
        return None, None
    import numpy as np  # noqa: PLC0415 - the cards' only numerical need

    low, high = np.quantile(members, [0.05, 0.95], method="inverted_cdf")  # members' own values (counts stay whole)
    return float(low), float(high)


def change_note(row: dict, flagged: dict, lang: str = "fr") -> str:
    """What a row's change leaves out or is taken over, said beside it wherever it is written (cards,
    report, meeting pack): :func:`stranded_note`, :func:`over_other_draws` ("" when neither)."""
    return ", ".join(x for x in (stranded_note(row, flagged, lang), over_other_draws(row, lang)) if x)


def over_other_draws(r: dict, lang: str = "fr") -> str:
    """Beside the change of a median over the draws that reach a level (a lead time,
    :attr:`twin.outcome.KPI.over_share`) when the variant's and the baseline's shares of draws differ: «
    sur 43 % des tirages contre 12 % » — « +0,5 h » uncoloured was still read as a gain, when more draws
    reached the level, late ones among them. "" otherwise."""
    shares = r.get("over_share")
    if not shares or len(shares) != 2 or not all(_finite(x) for x in shares) or shares[0] == shares[1]:
        return ""
    return t("over_other_draws", lang, p=fmt_number(shares[0], lang), q=fmt_number(shares[1], lang))


def lead_condition(r: dict, rows: list[dict], lang: str = "fr") -> str:
    """Under a flood's time before a level: the share of the draws that reach it, when not all do («
    délai avant rouge 52 h » beside a 3 % probability read as a forecast of red in 52 h; the time is a
    median over those draws only). "" for any other row, or when every draw reaches the level."""
    kpi = str(r.get("kpi", ""))
    if not kpi.startswith("lead_time_") or not _finite(r.get("value")) or r.get("value") == 0:
        return ""
    level = kpi.removeprefix("lead_time_").removesuffix("_h")
    p = next((x.get("value") for x in rows if x["variant"] == r["variant"] and x["kpi"] == f"p_{level}_pct"), None)
    reached = sum(1 for x in r.get("members") or () if _finite(x))  # the draws the median is taken over
    if not _finite(p) or p >= 100:  # every draw reaches it; a small ensemble's median is still of few
        return t("lead_few_draws", lang, n=reached) if 0 < reached < FEW_DRAWS else ""
    if few_draws_time(r):  # the hour is no longer the card's figure: said here, with its clock time
        hour = fmt_quantity(r["value"], unit_label(r.get("unit") or "h", lang), lang)
        when = clock_time(r, lang, few=True)
        return t("lead_if_reached_few", lang, time=f"{hour}, {when}" if when else hour, p=fmt_number(p, lang),
                 n=reached)
    return t("lead_if_reached", lang, p=fmt_number(p, lang))


def flood_cell_note(r: dict, rows: list[dict], lang: str = "fr") -> str:
    """What a flood figure's card says beside it and a comparison's cell must say too (the cell had only
    :func:`flood_caveat`): the height an alert count is taken at, a level's time as a median of the draws that
    reach it (and of how few), why a time is « — » (no draw reaches the level; the water still rising at the
    horizon's end), the local clock time a time falls at. ``rows``: the variant's rows (a time's probability is
    its own row). "" otherwise."""
    kpi = str(r.get("kpi", ""))
    if kpi in ("buildings_to_alert", "people_to_alert") and _finite(r.get("alert_stage_m")) \
            and not r.get("rising_at_end_pct"):  # a minimum's caveat already says how it is counted
        return card_note(r, lang)
    if kpi in CLOCK_KPIS and not _finite(r.get("value")) and r.get("value") is not None:
        return t("cell_flood_peak_beyond" if kpi == "peak_after_h" else "cell_flood_never", lang)
    # « le 26/01 vers 7 h » under a time counted from the forecast, as its card says it
    return " ; ".join(x for x in (clock_time(r, lang), lead_condition(r, rows, lang)) if x)


FEW_DRAWS = 20
"""Under this many draws reaching a level, the card says its time is a median of too few to trust: on 7 of
500 draws, « délai avant rouge 87 h » became 58 h with another seed (a GEMAPI technician's walkthrough) — the
median of n draws moves by about 1.25 σ/√n (Kendall & Stuart), a third of their spread at 20."""


CLOCK_KPIS = ("peak_after_h", "lead_time_yellow_h", "lead_time_orange_h", "lead_time_red_h")
"""A flood's times counted from its forecast: each card also says the local clock time it falls at."""


def clock_time(r: dict, lang: str = "fr", few: bool = False) -> str:
    """Under a flood's time counted from the forecast (« pic atteint après 54 h »): the local clock time it
    falls at, « le 27/01 vers 7 h (heure de Paris) » — a flood officer writes alerts in local time, and the
    forecast is issued in UTC. "" for another row, a time not reached, or a row without its forecast time; for
    a time over too few draws unless ``few`` (:func:`lead_condition` says it beside the hour it replaces)."""
    value, issued = r.get("value"), r.get("forecast_time")
    if r.get("kpi") not in CLOCK_KPIS or not _finite(value) or value <= 0 or not issued \
            or (few_draws_time(r) and not few):
        return ""
    import pandas as pd  # noqa: PLC0415 - only a flood's cards need it

    from twin.timeutil import LOCAL_TZ  # noqa: PLC0415

    try:
        start = pd.Timestamp(issued)
    except ValueError:
        return ""
    start = start.tz_localize("UTC") if start.tzinfo is None else start  # the forecast's times are UTC
    when = (start + pd.Timedelta(hours=float(value))).round("h").tz_convert(LOCAL_TZ)
    return t("clock_time", lang, date=when.strftime("%d/%m" if lang == "fr" else "%b %d"), hour=when.hour,
             zone=t("local_zone", lang))


def card_note(r: dict, lang: str = "fr") -> str:
    """What a KPI's figure is, when the chart beside it reads otherwise (the catalogue's
    ``card_note_<kpi>``): a flood's « hauteur maximale (médiane) 4,45 m » sat above a median curve
    peaking near 4,4 m — the median of the draws' peaks, each at its own hour, is not the peak of the
    median curve. "" for a KPI without one."""
    if r.get("payback_over"):  # « jamais » beside a saving: measured against another variant, said so
        return payback_over_text(r, lang)
    if r.get("sensors_fitted"):  # « 0 € » with a sensor price set: the territory's bins have theirs already
        return t("card_note_sensors_fitted", lang, n=fmt_number(float(r["sensors_fitted"]), lang))
    key = f"card_note_{r.get('kpi', '')}"
    caveat = flood_caveat(r, lang)
    if caveat:
        # « 95 % des tirages culminent plus bas » beside « un minimum »: the draws cut short have not peaked
        rest = "" if r.get("kpi") == "peak_stage_p95_m" and r.get("rising_at_end_pct") else \
            card_note({k: v for k, v in r.items() if k not in CAVEAT_KEYS}, lang)
        return f"{caveat} ; {rest}" if rest else caveat
    if r.get("rating_max_m") is not None and _finite(r.get("value")):
        # a design storm's 15,8 m at a gauge recorded up to 4,7 m: its stage and its counts, an order of magnitude;
        # how a count is counted said too (it replaced it)
        beyond = t("card_note_beyond_record", lang, top=fmt_number(float(r["rating_max_m"]), lang))
        counted = card_note({k: v for k, v in r.items() if k != "rating_max_m"}, lang)
        return f"{beyond} ; {counted}" if counted and r.get("counted_as") else beyond
    if r.get("kpi") in DRAWS_NOTES and len(r.get("members") or []) <= 1 and _finite(r.get("value")):
        return t("card_note_one_run", lang)  # a replay, no rain, a design storm: « 95 % des tirages » of one run
    if r.get("counted_as") and _finite(r.get("value")):
        # « bâtiments inondés 12 » beside « à alerter 31 »: the median peak's and the 90th percentile's, unsaid
        if len(r.get("members") or []) <= 1:
            return t("card_note_flood_count_one_run", lang)
        if _finite(r.get("alert_stage_m")):  # the height the alert list is counted at, said
            return t(f"card_note_{r['kpi']}_draws_at", lang, height=fmt_number(round(float(r["alert_stage_m"]), 2),
                                                                                lang))
        return t(f"card_note_{r['kpi']}_{r['counted_as']}", lang)
    return t(key, lang) if key in STRINGS and _finite(r.get("value")) else ""


CAVEAT_KEYS = ("level_beyond_record", "rising_at_end_pct")
"""A flood row's keys :func:`flood_caveat` reads (:func:`twin.app.variants.flood_flags` sets them)."""


def flood_caveat(r: dict, lang: str = "fr") -> str:
    """What a flood figure is short of, said wherever it is written (its card, the comparison's cell): an
    alert level set above the rating curve's fitted range (its probability and time extrapolated), the water still
    rising at the horizon's end (a minimum; a probability « within the horizon » only). "" otherwise."""
    if not _finite(r.get("value")):
        return ""
    said = []
    if r.get("level_beyond_record"):
        # red set at 7 m on a curve fitted up to 5,3 m: whether and when a draw crosses it is the curve's extrapolation
        level, stage, top = r["level_beyond_record"], r.get("level_stage_m"), r.get("level_curve_top_m")
        if _finite(stage) and _finite(top):
            from twin.scenarios.flood import far_beyond_record  # noqa: PLC0415 - a flood row's only

            key = "card_note_level_beyond_record" if far_beyond_record(float(stage), float(top)) else \
                "card_note_level_above_record"
            said.append(t(key, lang, top=fmt_number(round(float(top), 2), lang),
                          level=t(f"flood_alert_{level}", lang, h=fmt_number(round(float(stage), 2), lang))))
    if r.get("rising_at_end_pct"):
        # the water still rises at the horizon's end in that share of the draws: a minimum, not a peak
        one = len(r.get("members") or []) <= 1
        horizon = fmt_number(float(r["horizon_h"]), lang) if _finite(r.get("horizon_h")) else "?"
        kind = "_probability" if str(r.get("kpi", "")).startswith("p_") else ""
        said.append(t(f"card_note_rising_at_end{kind}_one_run" if one else f"card_note_rising_at_end{kind}", lang,
                      horizon=horizon, pct=fmt_number(round(float(r["rising_at_end_pct"])), lang)))
    return " ; ".join(said)


DRAWS_NOTES = frozenset({"peak_stage_m", "peak_stage_p95_m"})
"""KPIs whose card note speaks of an ensemble's draws (a median, a 95th percentile of their peaks): on one run
(a replay, no further rain, a design storm) « 95 % des tirages culminent plus bas » was false — nothing peaks
lower; said as one run instead."""


def payback_over_text(r: dict, lang: str = "fr") -> str:
    """« par rapport à « horaires selon les réservations » seul »: what a payback row is counted against
    when it is not the baseline (its ``payback_over`` variant; heating: a BMS on what it saves beyond the
    booking schedule it runs); "" otherwise."""
    from twin.app.views.common import variant_label  # noqa: PLC0415

    from twin.scenarios.bins import POLICY_ALONE  # noqa: PLC0415

    ref = r.get("payback_over")
    if ref == POLICY_ALONE:  # bins: « jamais » beside a saving, the compacting bins saving no round of their own
        return t("payback_over_policy_alone", lang)
    return t("payback_over", lang, name=variant_label(ref, lang)) if ref else ""


def shows_band(r: dict) -> bool:
    """Whether the row's card shows a 5–95 % band (:func:`member_band`, not a single point)."""
    low, high = member_band(r)
    return low is not None and low != high


def _card(r: dict, flagged: dict, lang: str, note: str = "") -> str:
    cls, text = _delta(r, flagged, lang)
    delta = f"<div class='kpi-delta {cls}'>{html.escape(text)}</div>" if text else ""
    if note:
        delta += f"<div class='kpi-note'>{html.escape(note)}</div>"
    band = ""
    if shows_band(r):
        low, high = member_band(r)
        # in words and with the unit (« bande 5–95 % : 138 – 147 » read as jargon in a workshop, a unit short)
        unit = unit_label(r.get("unit", ""), lang)
        lo, hi = fmt_quantity(low, unit, lang), fmt_quantity(high, unit, lang)
        suffix = "\u00a0" + hi.rsplit("\u00a0", 1)[-1] if "\u00a0" in hi else ""
        if suffix and lo.endswith(suffix):  # « entre 4 et 94 bâtiments »; « 11 mois et 2 ans » keep both
            lo = lo[:-len(suffix)]
        band = "<div class='kpi-band'>" + html.escape(t("band_card", lang, low=lo, high=hi)) + "</div>"
    # no ``title``: its tooltip showed the KPI's code name (« vehicle_hours_peak »), English on a French
    # page; ``data-kpi`` keeps it for tests and stylesheets
    return (f"<div class='kpi-card' data-kpi='{html.escape(r['kpi'])}'>"
            f"<div class='kpi-label'>{html.escape(kpi_label(r['kpi'], '', lang))}</div>"
            f"<div class='kpi-value' data-kpi-value='{html.escape(r['kpi'])}'>"
            f"{html.escape(value_text(r, lang))}</div>"
            f"{delta}{band}</div>")


def other_variant_html(rows: list[dict], variant: str, lang: str = "fr") -> str:
    """A variant the run computed beside the one the cards show (the lighting's « tout LED »), as a
    small table: indicator, value, change from the baseline (coloured better / worse as the cards)."""
    flagged = stranded(rows, variant)
    mine = [r for impact in IMPACTS for r in rows if r["variant"] == variant and r["impact"] == impact]
    body = []
    for r in mine:
        if not has_value(r):
            continue
        cls, text = _delta(r, flagged, lang)
        if r.get("payback_over"):  # « jamais » beside « -152 026 €/an »: counted against another variant, said
            text = " ".join(x for x in (text, f"({payback_over_text(r, lang)})") if x)
        body.append(f"<tr data-other-kpi='{html.escape(r['kpi'])}'><td>{html.escape(kpi_label(r['kpi'], '', lang))}</td>"
                    f"<td class='num'>{html.escape(value_text(r, lang))}</td>"
                    f"<td class='num kpi-delta {cls}'>{html.escape(text)}</td></tr>")
    return (f"<div class='other-variant' data-variant='{html.escape(variant)}'>"
            f"<h3>{html.escape(t('res_other_variant', lang, name=variant_label(variant, lang)))}</h3>"
            + stranded_flag_html(rows, variant, lang) + hidden_html(rows, variant, lang)
            + f"<table><thead><tr><th>{html.escape(t('res_col_kpi', lang))}</th>"
              f"<th>{html.escape(t('res_col_value', lang))}</th><th>{html.escape(t('res_col_change', lang))}</th>"
              "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div>")


CAUTION_NOTE_CSS = "background:#fff4ce;border-left:4px solid #e0b000;padding:6px 10px;margin:4px 0 8px;font-size:.95em"
"""A note to read before the figures (priors, shorter but slower detours): yellow, barred on its left."""


def shorter_but_slower(rows: list[dict], variant: str, lang: str = "fr") -> str | None:
    """Why ``variant``'s kilometres fall while its time at the wheel rises (works whose detours are shorter
    but slower), and that its CO2, counted per kilometre, is then no proven gain; None otherwise.

    A planner read « -0,17 % CO2 » in green as the works cutting emissions. Not said when trips were
    stranded: the kilometres then fall because trips lost their route, which :func:`stranded` flags."""
    if stranded(rows, variant):
        return None
    mine = {r["kpi"]: r for r in rows if r["variant"] == variant}
    km, hours = mine.get("vehicle_km_window"), mine.get("vehicle_hours_window")
    if km is None or hours is None or not km.get("change", 0) < 0 or not hours.get("change", 0) > 0:
        return None
    if not (math.isfinite(km["change_pct"]) and math.isfinite(hours["change_pct"])):
        return None
    return t("res_shorter_but_slower", lang, km=fmt_quantity(km["change_pct"], "%", lang, signed=True),
             hours=fmt_quantity(hours["change_pct"], "%", lang, signed=True))


def shorter_but_slower_html(rows: list[dict], variant: str, lang: str = "fr") -> str:
    """:func:`shorter_but_slower` as a note under the cards ("" when there is nothing to say)."""
    text = shorter_but_slower(rows, variant, lang)
    return f"<div class='shorter-but-slower' style='{CAUTION_NOTE_CSS}'>{html.escape(text)}</div>" if text else ""


def kpi_cards_html(rows: list[dict], lang: str = "fr", variant: str | None = None, run: int = 0,
                   status: str = "") -> str:
    """The KPI cards of one variant, grouped by impact; ``status`` (e.g. "Terminé en 0,1 s") is shown
    above them. Cards without a value (NaN: not computed) are left out, one note saying why
    (:func:`hidden_html`).

    ``variant`` None: the first non-baseline variant's cards, and every other variant the run
    computed (the lighting's « tout LED », asked for by a tick of the form) in a table under them
    (:func:`other_variant_html`), each headed by its name."""
    if not rows:
        return ""
    names = list(dict.fromkeys(r["variant"] for r in rows if r["variant"] != r["baseline_name"]))
    others = names[1:] if variant is None else []
    variant = variant or (names[0] if names else rows[0]["variant"])
    parts = [f"<div class='run-status alert alert-success' role='status'>{html.escape(status)}</div>"] if status else []
    if others:  # several variants: say which one the cards (and the map) show
        parts.append(f"<h3 class='variant-heading'>{html.escape(t('res_variant_of', lang, name=variant_label(variant, lang)))}</h3>")
    flagged = stranded(rows, variant)
    parts.append(stranded_flag_html(rows, variant, lang))
    parts.append(hidden_html(rows, variant, lang))
    parts.append(f"<div class='kpi-grid' data-run='{run}'>")
    for impact in IMPACTS:
        mine = [r for r in rows if r["variant"] == variant and r["impact"] == impact and has_value(r)]
        if not mine:
            continue
        parts.append(f"<div class='impact impact-{html.escape(impact)}'><h3>{html.escape(t(impact, lang))}</h3>")
        parts.extend(_card(r, flagged, lang, ", ".join(x for x in (clock_time(r, lang), lead_condition(r, rows, lang),
                                                                   card_note(r, lang)) if x)) for r in mine)
        parts.append("</div>")
    parts.append("</div>")
    parts.append(shorter_but_slower_html(rows, variant, lang))
    parts.extend(other_variant_html(rows, other, lang) for other in others)
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
