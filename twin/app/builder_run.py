"""The builder's run cycle: the run button, the run in a worker process, its progress, the KPI
cards, the result map and series, and the saving of a result as a variant.

* Runs go to worker processes (:mod:`twin.app.server.workers`): the page shows a progress bar when
  the outcome takes more than a second. Identical runs are computed once and shared.
* An error or a run waited for clears the previous result, so no result stays on screen that is
  not the last run's; an unexpected error is shown with its type, its traceback goes to the log.

A mixin of :class:`twin.app.main.TwinApp`; its widgets are built by :meth:`RunCycle._build_run`.
"""

from __future__ import annotations

import asyncio
import io
import html
import inspect
import json
import logging
import math
import time

import pandas as pd
import panel as pn
from bokeh.events import ButtonClick
from bokeh.models import Button as BokehButton
from bokeh.models import Div as BokehDiv
from panel.io.state import set_curdoc

from twin.app.builder import INVENTORY_FAMILIES
from twin.app.builder import user_errors as _user_errors
from twin.app.cards import CARDS_CSS as PAGE_CSS
from twin.app.cards import CAUTION_NOTE_CSS, STALE_CSS, kpi_cards_html, message_html, shows_band
from twin.app.i18n import (STRINGS, beyond_record_note, elapsed_text, family_label, fmt_number, one_calendar_note,
                           prior_note, synthetic_gauges_note, synthetic_meters_note, t)
from twin.app.i18n_errors import user_message
from twin.app.mapview import territory_map
from twin.app.server.memory import run_started
from twin.app.server.workers import run_shared
from twin.app.uploads import refusal, server_file_parameters
from twin.app.variants import Variant
from twin.app.workshop_state import WorkshopError
from twin.timeutil import local_clock_text

PENDING_EDITS_TIMEOUT_S = 30.0  # the next tick of a live page comes in milliseconds

log = logging.getLogger("twin.app")
# show the progress bar only for runs longer than this: under a second a person keeps their flow and a
# bar that flashes on and off only costs a relayout (Nielsen 1993, Usability Engineering, ch. 5)
PROGRESS_AFTER_S = 1.0
# "Lancer" stays in sight (issue 17: a 1024×768 projector, the town's summary above the builder): when the
# fields below the family run past the bottom of the screen, the button sticks to that bottom, on a white
# band, until its own place in the column scrolls into view (CSS position: sticky, relative to the page);
# the band is the padding of a 48 px box, the button 36 px as before
RUN_BUTTON_CSS = (":host { position: sticky; bottom: 0; z-index: 20; background: #fff; "
                  "box-shadow: 0 -6px 8px -6px rgba(0, 0, 0, 0.25); padding: 6px 0; }"
                  # greyed while a field is refused, yet clickable (see RunCycle._show_run_state)
                  ":host(.run-blocked) .bk-btn { background-color: #9aa5b1; border-color: #9aa5b1; "
                  "cursor: not-allowed; }")


PRIOR_NOTE_CSS = CAUTION_NOTE_CSS
INFO_NOTE_CSS = PRIOR_NOTE_CSS.replace("#fff4ce", "#eef3f9").replace("#e0b000", "#4a6fa5")  # a fact, not a caution


def kpi_cards_part(page, rows: list[dict], outcome, status: str) -> str:
    """The KPI cards of every variant of the run (:func:`twin.app.cards.kpi_cards_html`), numbered by run, after
    the « a priori » note of a run resting on priors (:func:`twin.app.i18n.prior_note`): what the figures rest
    on is read before the figures."""
    banded = any(shows_band(r) for r in rows)
    attrs = outcome.data.attrs if outcome is not None else {}
    # a heating run's occupancy (one calendar for all, or a typical week per use) rests under its figures too:
    # it stood at the bottom of the page, under a « -26,5 % » headline it makes
    notes = [n for n in (prior_note(attrs, page.lang, banded), synthetic_meters_note(attrs, page.lang),
                         synthetic_gauges_note(attrs, page.lang), beyond_record_note(attrs, page.lang),
                         one_calendar_note(attrs, page.lang)) if n]
    banner = "".join(f"<div class='prior-note' style='{PRIOR_NOTE_CSS}'>{html.escape(n)}</div>" for n in notes)
    return banner + kpi_cards_html(rows, page.lang, run=page.runs + 1, status=status)


def peak_hour_part(page, rows: list[dict], outcome, status: str) -> str:
    """Works that miss the day's peak (night works) have their « à la pointe » cards at their own busiest
    hour: the cards say which, as the map caption does ("" for works covering the day's peak)."""
    attrs = outcome.data.attrs if outcome is not None else {}
    works, day = attrs.get("works_peak_hour"), attrs.get("day_peak_hour")
    if not works or not day or works == day:
        return ""
    key = "res_peak_hour_note_flood" if attrs.get("scenario") == "flood-detours" else "res_peak_hour_note"
    text = t(key, page.lang, works=works.replace("-", "–"), day=day.replace("-", "–"))  # no « travaux » in a flood
    return f"<div class='peak-hour-note' style='{PRIOR_NOTE_CSS}'>{html.escape(text)}</div>"


def one_day_part(page, rows: list[dict], outcome, status: str) -> str:
    """Roadworks: the totals « sur la plage horaire » are one typical weekday's (the demand's weekday profile),
    said once under the cards: a planner with three weeks of works multiplied them without being told they
    were a day's. "" for another family."""
    attrs = outcome.data.attrs if outcome is not None else {}
    if attrs.get("scenario") != "roadworks" or not any(str(r.get("kpi", "")).endswith("_window") for r in rows):
        return ""
    start, _, end = str(attrs.get("hours", "")).partition("-")
    text = t("res_one_day", page.lang, start=start.strip(), end=end.strip())
    return f"<div class='one-day-note' style='{INFO_NOTE_CSS}'>{html.escape(text)}</div>"


def works_extent_part(page, rows: list[dict], outcome, status: str) -> str:
    """Roadworks: how much street the works hold and how (« 37 m de rue, 2 tronçons … fermée dans les deux
    sens »), above the cards. A planner closing « Grande Rue » read +0,87 % as the whole street's effect where
    the drivable part closed was 37 m (the rest is pedestrian in OSM): only the CLI and a folded detail said
    it. "" for another family."""
    attrs = outcome.data.attrs if outcome is not None else {}
    if attrs.get("scenario") != "roadworks" or "works_street_m" not in attrs:
        return ""
    L = page.lang
    # streets by name, a way by its id, the drawn zone said so (streets and a zone: both)
    from twin.app.street_label import street_label  # noqa: PLC0415

    G = page.territory.graphs["drive"] if getattr(page, "territory", None) is not None else None
    where = ", ".join(dict.fromkeys(t("res_works_zone", L) if s == "polygon" else street_label(s, L, G)
                                    for s in (x.strip() for x in str(attrs.get("streets", "")).split(",")) if s))
    factor = float(attrs.get("capacity_factor", 0) or 0)
    one_way = str(attrs.get("one_direction", "")).lower() in ("true", "1")
    residents = attrs.get("residents_access") == "kept"  # « route barrée sauf riverains »
    how = t("res_works_capacity", L, pct=fmt_number(round(100 * factor), L)) if factor > 0 else \
        t("res_works_closed_residents" if residents else "res_works_closed", L)
    how += t("res_works_one_direction" if one_way else "res_works_both_directions", L)
    behind = int(float(attrs.get("buildings_behind_works", 0) or 0))
    if residents and behind:  # who the works still let through: the homes reached only through them
        how += t("res_works_behind", L, n=fmt_number(behind, L))
    segments = int(float(attrs.get("works_segments", 0) or 0))
    text = t("res_works_extent", L, length=fmt_number(round(float(attrs["works_street_m"])), L),
             segments=t("res_works_segments_one" if segments < 2 else "res_works_segments_many", L,
                        n=fmt_number(segments, L)), where=where, how=how)
    return f"<div class='works-extent-note' style='{INFO_NOTE_CSS}'>{html.escape(text)}</div>"


def forecast_hour_part(page, rows: list[dict], outcome, status: str) -> str:
    """A flood forecast asked inside an hour (« 22/02/2023 01:30 ») runs from the hour it falls in, the model
    stepping by hours: said above the cards, as the CLI says it (the page ran 01:30 as « 01 h » untold).
    "" when the time asked is a whole hour, or for another family."""
    attrs = outcome.data.attrs if outcome is not None else {}
    asked, issued = (getattr(page, "last_params", None) or {}).get("forecast_time"), attrs.get("forecast_time")
    if attrs.get("scenario") != "flood" or not asked or not issued:
        return ""
    from twin.timeutil import LOCAL_TZ  # noqa: PLC0415

    try:
        asked_t, issued_t = pd.Timestamp(str(asked)), pd.Timestamp(str(issued))
    except ValueError:
        return ""
    utc = (lambda x: x.tz_convert("UTC") if x.tzinfo else x.tz_localize("UTC"))  # noqa: E731
    if utc(asked_t) == utc(issued_t):
        return ""
    text = t("res_forecast_hour", page.lang, asked=f"{utc(asked_t).tz_convert(LOCAL_TZ):%d/%m/%Y %H:%M}",
             ran=f"{utc(issued_t).tz_convert(LOCAL_TZ):%d/%m/%Y %H:%M}")
    return f"<div class='forecast-hour-note' style='{INFO_NOTE_CSS}'>{html.escape(text)}</div>"


def forecast_issue_part(page, rows: list[dict], outcome, status: str) -> str:
    """A gauged flood run, above its cards: when it was issued and where the river stood then (« Prévision émise
    le 25/01/2023 à 1 h (heure de Paris) ; l'échelle lisait 4 m à 0 h : seuil jaune déjà atteint »). A
    technician found the issue time only in the chart's title, 1 900 px down, and the river's level in the
    comparison's folded details. "" for another family or a river without a gauge."""
    attrs = outcome.data.attrs if outcome is not None else {}
    if attrs.get("scenario") != "flood" or not attrs.get("forecast_time") or "observed_stage_m" not in attrs:
        return ""
    from twin.app.views.flood import is_hindcast, local_clock  # noqa: PLC0415

    L = page.lang
    issued = local_clock(pd.Timestamp(str(attrs["forecast_time"])))
    key = "res_issue_forecast" if not is_hindcast(outcome) else \
        "res_issue_scaled" if attrs.get("rain") == "scaled" else "res_issue_replay"  # a what-if is no replay
    scale = fmt_number(_attr_number(attrs.get("rain_scale")) or 1.0, L)
    text = t(key, L, date=issued.strftime("%d/%m/%Y" if L == "fr" else "%Y-%m-%d"), hour=issued.hour, scale=scale)
    try:
        stage = float(attrs["observed_stage_m"])
    except (TypeError, ValueError):
        stage = float("nan")
    if math.isfinite(stage) and attrs.get("observed_stage_time"):
        read = local_clock(pd.Timestamp(str(attrs["observed_stage_time"])))
        reached = [lvl for lvl in ("red", "orange", "yellow")
                   if (h := _attr_number(attrs.get(f"alert_{lvl}_m"))) is not None and stage >= h]
        text += t("res_issue_stage", L, stage=fmt_number(round(stage, 2), L), hour=read.hour,
                  date=read.strftime("%d/%m" if L == "fr" else "%b %d"))
        if reached:
            text += t("res_issue_reached", L, level=t(f"flood_alert_{reached[0]}", L,
                                                        h=fmt_number(_attr_number(attrs[f"alert_{reached[0]}_m"]), L)))
    else:
        text += t("res_issue_no_stage", L)
    return f"<div class='forecast-issue-note' style='{INFO_NOTE_CSS}'>{html.escape(text)}</div>"


def undimmable_part(page, rows: list[dict], outcome, status: str) -> str:
    """A dimming whose lamps partly cannot dim: how many stay at full power (an official read « -8,5 % » for a
    dimming to 30 % as a wrong figure). "" when every lamp it targets dims, or for another family."""
    attrs = outcome.data.attrs if outcome is not None else {}
    asked, undimmable = int(attrs.get("dimming_lamps", 0) or 0), int(attrs.get("undimmable_lamps", 0) or 0)
    if not undimmable:
        return ""
    text = t("res_undimmable", page.lang, undimmable=fmt_number(undimmable, page.lang),
             asked=fmt_number(asked, page.lang))
    return f"<div class='undimmable-note' style='{PRIOR_NOTE_CSS}'>{html.escape(text)}</div>"


def rule_slip_part(page, rows: list[dict], outcome, status: str) -> str:
    """A lighting rule whose window runs through the day or lies in daylight (« Éteindre de 8 h à 18 h »):
    said above the cards of the run that followed it as written (the form's grey hint under the rules went
    unseen, and « 10,7 ans — se rembourse » stood in green). "" for rules without such a window, or another
    family."""
    if (outcome is None or outcome.data.attrs.get("scenario") != "lighting"
            or page.last_params.get("family") != "lighting"):
        return ""
    from twin.app.param_text import rule_text  # noqa: PLC0415
    from twin.models.lighting import window_in_daylight, window_spans_the_day  # noqa: PLC0415

    def slipped(rule) -> bool:
        schedule = rule.get("schedule") if isinstance(rule, dict) else None
        windows = [w for key in ("off_windows", "dimming") for w in ((schedule or {}).get(key) or [])
                   if isinstance(w, (list, tuple)) and len(w) >= 2] if isinstance(schedule, dict) else []
        return any(window_spans_the_day(str(w[0]), str(w[1])) or window_in_daylight(str(w[0]), str(w[1]))
                   for w in windows)

    rules = page.last_params.get("rules")
    said = [rule_text(r, page.lang) for r in rules if slipped(r)] if isinstance(rules, list) else []
    if not said:
        return ""
    text = t("res_rule_slip", page.lang, rules=" ; ".join(said))
    return f"<div class='rule-slip-note' style='{PRIOR_NOTE_CSS}'>{html.escape(text)}</div>"


def _attr_number(x) -> float | None:
    """An outcome attribute as a finite float (a number, or its text as a worker's outcome carries it); None
    otherwise."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def flood_run_kind(outcome, lang: str, levels_given: bool = False) -> str:
    """« , rejeu sur la pluie tombée, 22/02/2023 1 h sur 72 h » / « , prévision du 22/02/2023 1 h sur 24 h »
    (on Paris's clock) for a flood outcome with an issue time, "" otherwise: what a saved variant's default
    name says; ``levels_given``: the run's alert levels were typed (not the territory's), said too."""
    if outcome is None or not str(outcome.data.attrs.get("scenario", "")).startswith("flood"):
        return ""
    from twin.app.forms import option_label  # noqa: PLC0415
    from twin.app.views.flood import is_hindcast, is_prior  # noqa: PLC0415
    from twin.timeutil import utc_text_to_local  # noqa: PLC0415

    if is_prior(outcome):  # a design event of a river without a gauge: its hours count from no date
        return ""

    issued = str(outcome.data.attrs.get("forecast_time", ""))[:16]
    try:
        local = pd.Timestamp(utc_text_to_local(issued))
    except (ValueError, TypeError):
        return ""
    if pd.isna(local):
        return ""
    at = f"{local:%d/%m/%Y} {local.hour} h" if lang == "fr" else f"{local:%Y-%m-%d %H:%M}"
    # two forecasts of one hour over 24 h and 72 h, or at other alert levels, were saved under one name but
    # for their save time: the comparison could not tell which was which (the horizon early in the name: a
    # list cut at 44 characters showed none of it)
    attrs = outcome.data.attrs
    horizon = _attr_number(attrs.get("horizon_h"))  # a worker's outcome carries its attributes as text
    over = t("save_name_horizon", lang, h=fmt_number(horizon, lang)) if horizon is not None else ""
    levels = [_attr_number(attrs.get(f"alert_{lvl}_m")) for lvl in ("yellow", "orange", "red")]
    tail = ""
    if levels_given and all(x is not None for x in levels):
        tail = t("save_name_levels", lang, levels=" / ".join(fmt_number(round(x, 2), lang) for x in levels))
    rain = str(outcome.data.attrs.get("rain", ""))
    if rain == "scaled":  # a what-if on the rain that fell, not a replay of it: its multiplier in the name
        scale = fmt_number(float(outcome.data.attrs.get("rain_scale", 1.0)), lang)
        return t("save_name_scaled", lang, at=at, scale=scale, over=over) + tail
    kind = t("save_name_replay" if is_hindcast(outcome) else "save_name_forecast", lang, at=at, over=over)
    # the rain each forecast ran on (« aucune pluie », « ensemble de pluies possibles »): two forecasts of
    # one hour on other rains are two names
    return kind + (f" ({option_label('rain', rain, lang)})" if rain and not is_hindcast(outcome) else "") + tail


def bms_tradeoff_part(page, rows: list[dict], outcome, status: str) -> str:
    """Heating: the BMS variant saves less than the booking schedule alone (« -24 % » beside « -26,5 % »,
    for its price) because its optimum start heats earlier so that people find the promised temperature:
    the cards say so, with the hours of discomfort it spares. "" when it does not save less, or for
    another family."""
    at = {(r["variant"], r["kpi"]): r.get("value") for r in rows}
    cost = (at.get(("booking schedule", "cost_eur")), at.get(("BMS + booking schedule", "cost_eur")))
    cold = (at.get(("booking schedule", "comfort_gap_h")), at.get(("BMS + booking schedule", "comfort_gap_h")))
    if not all(isinstance(x, (int, float)) and math.isfinite(x) for x in (*cost, *cold)) \
            or cost[1] <= cost[0] or cold[1] >= cold[0]:
        return ""
    text = t("res_bms_tradeoff", page.lang, eur=fmt_number(cost[1] - cost[0], page.lang),
             hours=fmt_number(cold[0] - cold[1], page.lang))
    return f"<div class='bms-note' style='{INFO_NOTE_CSS}'>{html.escape(text)}</div>"


def setpoint_rule(outcome) -> dict | None:
    """What the setpoint variant's saving says of the buildings: its change [°C], the change of the heating
    gas and of all the gas [%], and the mean gap between setpoint and outdoors, free gains deducted, it
    amounts to [°C] (gas for heating ∝ Σ over heated hours of (setpoint − outdoors − gains): a degree is
    1/gap of it). None without a setpoint variant or a saving to read."""
    if outcome is None or "buildings" not in outcome.tables:
        return None
    try:
        delta = float(outcome.data.attrs.get("setpoint_delta_c"))  # attrs keep text (a saved variant's too)
    except (TypeError, ValueError):
        return None
    table = outcome.table("buildings")
    if not math.isfinite(delta) or delta == 0 or "heating_gas_kwh" not in table:
        return None
    total = table.groupby(table["variant"].astype(str))[["gas_kwh", "heating_gas_kwh"]].sum()
    if not {"setpoint change", outcome.baseline} <= set(total.index):
        return None
    base, new = total.loc[outcome.baseline], total.loc["setpoint change"]
    if base["heating_gas_kwh"] <= 0 or base["gas_kwh"] <= 0:
        return None
    heating = new["heating_gas_kwh"] / base["heating_gas_kwh"] - 1
    gap = delta / heating if heating else math.inf  # a degree less, 1/gap less heating
    if not (math.isfinite(gap) and gap > 0):
        return None
    return {"delta": float(delta), "heating_pct": 100 * heating, "all_pct": 100 * (new["gas_kwh"] / base["gas_kwh"] - 1),
            "gap": gap}


def setpoint_part(page, rows: list[dict], outcome, status: str) -> str:
    """Heating: why a degree saves what it saves (« -1 °C : -13,5 % » was read against the « 7 % par degré »
    everyone knows, and looked wrong): the mean setpoint–outdoor gap it amounts to, beside the rule's. ""
    for another family or without a setpoint variant."""
    said = setpoint_rule(outcome)
    if said is None:
        return ""
    L = page.lang
    # the rule of thumb's gap, 1 / 7 % ≈ 14 °C: this run's said against it, whichever side it falls
    rule = "res_setpoint_rule_more" if said["gap"] < 12.5 else "res_setpoint_rule_less" if said["gap"] > 16.5 else \
        "res_setpoint_rule_same"
    text = t("res_setpoint_rule", L, delta=fmt_number(said["delta"], L, signed=True),
             heating=fmt_number(said["heating_pct"], L, signed=True), all=fmt_number(said["all_pct"], L, signed=True),
             size=fmt_number(abs(said["delta"]), L), gap=fmt_number(said["gap"], L, digits=0), rule=t(rule, L))
    # its discomfort is counted under the one reference of every variant (19 °C − 0,5): a lower setpoint's
    # occupied hours count by construction (« +26 903 h/an » read as a failure of the heating), said
    cold = {r["variant"]: r.get("value") for r in rows if r.get("kpi") == "comfort_gap_h"}
    base = next((r.get("baseline_name") for r in rows if r.get("baseline_name")), "baseline")
    if said["delta"] < 0 and all(isinstance(cold.get(v), (int, float)) for v in ("setpoint change", base)) \
            and cold["setpoint change"] > cold[base]:
        text += " " + t("res_setpoint_comfort", L, hours=fmt_number(cold["setpoint change"] - cold[base], L))
    return f"<div class='setpoint-note' style='{INFO_NOTE_CSS}'>{html.escape(text)}</div>"


def low_pressure_part(page, rows: list[dict], outcome, status: str) -> str:
    """A pressure setting that leaves more people under the service pressure than today: the cards say so
    above « se rembourse » (a night at 10 m left every customer under it five hours a night and read
    « 2,15 ans — se rembourse » in green). "" when no one more is under it, or for another family."""
    attrs = outcome.data.attrs if outcome is not None else {}
    if attrs.get("scenario") != "water-pressure":
        return ""
    low = {r["variant"]: r.get("value") for r in rows if r.get("kpi") == "people_hours_low_pressure_per_day"}
    base = next((r.get("baseline_name") for r in rows if r.get("baseline_name")), "baseline")
    today = low.get(base)
    worst = max((v for k, v in low.items() if k != base and isinstance(v, (int, float)) and math.isfinite(v)),
                default=None)
    if not isinstance(today, (int, float)) or worst is None or worst - today < 1.0:
        return ""
    text = t("res_low_pressure", page.lang, added=fmt_number(round(worst - today), page.lang),
             service=fmt_number(float(attrs.get("service_pressure_m", 20.0)), page.lang))
    return f"<div class='low-pressure-note' style='{PRIOR_NOTE_CSS}'>{html.escape(text)}</div>"


def single_run_part(page, rows: list[dict], outcome, status: str) -> str:
    """A flood computed on one rain (a replay, a design storm, a given forecast): its « median », « 95 % » and
    probabilities are one run's (4,32 m twice, « 100 % »), which the cards say. "" for an ensemble (its rows
    carry their members) or another family."""
    attrs = outcome.data.attrs if outcome is not None else {}
    if attrs.get("scenario") != "flood" or any("members" in r for r in rows) \
            or not any(r.get("kpi") == "peak_stage_p95_m" for r in rows):
        return ""
    text = t("res_single_run", page.lang, ensemble=t("forms_opt_rain_ensemble", page.lang))
    return f"<div class='single-run-note' style='{INFO_NOTE_CSS}'>{html.escape(text)}</div>"


def flood_record_part(page, rows: list[dict], outcome, status: str) -> str:
    """A flood run's record on the territory's past floods (:mod:`twin.app.views.flood_record`), under its cards;
    "" when the run asked for none."""
    if outcome is None or outcome.data.attrs.get("scenario") != "flood":
        return ""
    from twin.app.views.flood_record import record_html  # noqa: PLC0415

    return record_html(outcome, page.lang)


DETOUR_STREETS_SHOWN = 5


def detour_streets_part(page, rows: list[dict], outcome, status: str) -> str:
    """The streets the detours load most at the peak, by name (an unnamed one by its OSM way), the works'
    own left out: what a mobility planner looks for first, found only in the model's English notes before.
    "" for a run with no per-street table or no street gaining a vehicle an hour."""
    table = outcome.tables.get("streets") if outcome is not None else None
    if table is None or not {"street", "osm_way_id", "change", "under_works"} <= set(table.columns):
        return ""
    loaded = table[~table["under_works"].astype(bool) & (table["change"] >= 0.5)]
    if loaded.empty:
        return ""
    names = [str(n) if isinstance(n, str) and n.strip() else unnamed_street_text(getattr(page, "territory", None), w,
                                                                                    page.lang)
             for n, w in zip(loaded["street"], loaded["osm_way_id"], strict=True)]
    # ties (two streets of one detour gain as much) in name order, as the CLI lists them
    top = loaded["change"].groupby(names).max().sort_values(ascending=False, kind="stable").head(DETOUR_STREETS_SHOWN)
    streets = ", ".join(t("res_detour_street", page.lang, name=name, change=fmt_number(c, page.lang, signed=True))
                        for name, c in top.items())
    text = t("res_detour_streets", page.lang, streets=streets)
    attrs = outcome.data.attrs
    if attrs.get("detour") and isinstance(attrs.get("detour_gain_veh_h"), (int, float)):  # does the signing work?
        from twin.app.street_label import street_label  # noqa: PLC0415

        detour = ", ".join(street_label(x.strip(), page.lang) for x in str(attrs["detour"]).split(",") if x.strip())
        text += " " + t("res_signed_detour", page.lang, streets=detour,
                        change=fmt_number(float(attrs["detour_gain_veh_h"]), page.lang, signed=True))
    return f"<div class='detour-streets' style='{INFO_NOTE_CSS}'>{html.escape(text)}</div>"


def unnamed_street_text(territory, way, lang: str = "fr") -> str:
    """An unnamed OSM way by the named streets it meets (« rue sans nom entre Quai Surcouf et Rue du Port
    (voie OSM 177353244) »): « rue sans nom (voie OSM 177353244) » named nothing an elected official knew."""
    from twin.territory.streets import streets_met  # noqa: PLC0415

    graph = getattr(territory, "graphs", {}).get("drive") if territory is not None else None
    met = streets_met(graph, way) if graph is not None else []
    if not met:
        return t("res_unnamed_street", lang, way=way)
    joined = met[0] if len(met) == 1 else ", ".join(met[:-1]) + t("compare_and", lang) + met[-1]
    return t("res_unnamed_street_one" if len(met) == 1 else "res_unnamed_street_between", lang, streets=joined, way=way)


CARD_PARTS = [rule_slip_part, works_extent_part, forecast_issue_part, forecast_hour_part, kpi_cards_part,
              peak_hour_part, one_day_part, undimmable_part, bms_tradeoff_part, setpoint_part,
              low_pressure_part, single_run_part, detour_streets_part, flood_record_part]
"""The run's cards, in order (see RunCycle._cards_html)."""


class RunCycle:
    """The run button, the run and its results on the page (a mixin of the page).

    Reads from the page: ``territory``/``territory_name``, ``lang``, ``doc``, ``store``, the builder's
    ``scenario``, ``invalid_text``, ``_show``, the uploaded ``inventory``, and the comparison's
    ``_refresh_variants`` (a saved variant joins it).
    """

    def _build_run(self, L: str):
        """The run button, progress, KPI cards, result map and "save" widgets, labelled in language ``L``."""
        # the run button and the KPI cards are plain Bokeh models, not Panel widgets: they are the two
        # models every run goes through, and a click or a new text then costs the server a third of
        # what Panel's event and watcher machinery costs (measured: benchmarks/bench_app.py), which is
        # what twenty sessions clicking at once wait for
        self.run_button = BokehButton(label=t("run", L), button_type="primary", css_classes=["run-button"],
                                      sizing_mode="stretch_width", height=48, margin=(4, 10),
                                      stylesheets=[RUN_BUTTON_CSS])
        self.run_button.on_event(ButtonClick, self._run_clicked)
        self._tasks: set = set()
        self._waiting = False  # a run's progress is shown (its button disabled until it ends)
        self.progress = pn.indicators.Progress(active=False, visible=False, sizing_mode="stretch_width")
        self.kpis = BokehDiv(text="", sizing_mode="stretch_width", css_classes=["kpi-area"], stylesheets=[PAGE_CSS])
        # the name a saved variant takes: left empty, the run's own (« Nom de la variante » of the form, named
        # from its inputs), which the box shows greyed after a run: one name, not two boxes of the same label
        self.variant_name = pn.widgets.TextInput(name=t("save_as", L), placeholder=t("save_as_placeholder", L),
                                                 css_classes=["save-name"])
        self.save_button = pn.widgets.Button(name=t("save", L), button_type="success", css_classes=["save-button"])
        self.save_button.on_click(self.save)
        # what « Enregistrer » did, under its button: said at the top of the page it was 700 px out of sight
        self.save_note = pn.pane.HTML("", visible=False, css_classes=["save-note"], sizing_mode="stretch_width")
        # the result map is built when the Scénario tab is first shown (TwinApp._scenario_tab), before its
        # run button can be clicked, and hidden until a run has something to draw: building it at the first
        # run instead makes that run several times slower when a whole workshop runs at once; building it
        # with the page made every page of a workshop's start send a second whole map
        self.result_sources: dict = {}
        self.result_map = pn.Column(sizing_mode="stretch_width", css_classes=["result-map"], visible=False,
                                    stylesheets=[STALE_CSS])
        self.result_caption = pn.pane.HTML("", css_classes=["result-caption"], sizing_mode="stretch_width",
                                           stylesheets=[STALE_CSS])
        self.series = pn.Column(sizing_mode="stretch_width", css_classes=["result-series"], stylesheets=[STALE_CSS])
        # a flood run's lists (buildings to alert, streets to close) as files: what a GEMAPI team acts on;
        # a break's (homes to warn, valves to close): wrapped, four buttons do not fit a 1024 px page
        self.downloads = pn.Row(sizing_mode="stretch_width", css_classes=["result-downloads"], visible=False,
                                stylesheets=[":host { flex-wrap: wrap; row-gap: 4px; }", STALE_CSS])
        self._defaults: dict = {}
        self._shown: dict = {}

    # --- the result map and series -------------------------------------------------------------
    def _ensure_result_map(self):
        if self.result_sources:
            return
        fig, self.result_renderers, _ = territory_map(self.territory, self.lang, height=430,
                                                      sources=self.result_sources, zone_tool=False)
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
        files = self._download_files(outcome)

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
            if files or self.downloads.visible:
                self.downloads[:] = [pn.widgets.FileDownload(file=io.BytesIO(data), filename=name, label=label,
                                                             embed=False, button_type="light",
                                                             css_classes=["alert-list-download"])
                                     for label, name, data in files]
                self.downloads.visible = bool(files)

        return apply

    def _download_files(self, outcome) -> list[tuple[str, str, bytes]]:
        """(button label, file name, CSV) of a flood run's lists for the variant the page shows; a heating
        run's buildings ranked (:mod:`twin.app.building_ranking`)."""
        from twin.app.meeting_pack import alert_lists, table_file_name  # noqa: PLC0415 - the pack imports the report
        from twin.app.views.common import variant_shown  # noqa: PLC0415

        shown = variant_shown(outcome)
        issued = str(outcome.data.attrs.get("forecast_time", ""))[:13].replace(" ", "-").replace(":", "")
        family = outcome.data.attrs.get("scenario")
        prefix = (f"eau_{outcome.data.attrs.get('broken_pipe', 'casse')}" if family == "water-break" else
                  "travaux" if family == "roadworks" else f"alertes_{issued or 'crue'}")  # each family's own
        out = []
        for table, data in alert_lists(outcome, shown, self.lang).items():
            rows = max(data.count(b"\r\n") - 1, 0)
            if rows == 0:  # « Télécharger les 0 bâtiments »: nothing to hand over
                continue
            key = f"res_download_{table}"
            label = t(key, self.lang, n=rows) if key in STRINGS else t("res_download_other", self.lang, name=table)
            out.append((label, f"{prefix}_{table_file_name(table, self.lang)}.csv", data))
        from twin.app.building_ranking import building_ranking_csv  # noqa: PLC0415

        ranking = building_ranking_csv(outcome, shown, self.lang)  # heating: which building first
        if ranking:
            n = ranking.count(b"\r\n") - 1  # one line a building under the header (names hold no line break)
            out.append((t("res_download_building_ranking" if n > 1 else "res_download_building_ranking_one",
                          self.lang, n=n),
                        "classement_batiments.csv" if self.lang == "fr" else "building_ranking.csv", ranking))
        return out

    def result_parts(self) -> tuple:
        """What shows a run's result: cards, caption, map, chart, files (dimmed together when stale)."""
        return self.kpis, self.result_caption, self.result_map, self.series, self.downloads

    def _say_at_save(self, text: str, kind: str, blocked: bool = False):
        """A message of « Enregistrer », under its button (where the eyes are when it is clicked); ``blocked``:
        it says a refused field stops it (taken off once the fields are valid: :meth:`_unsay_blocked`)."""
        self._save_blocked_said = blocked
        self.save_note.param.update(object=message_html(text, kind), visible=True)

    def _say_blocked(self, text: str):
        """A click on « Lancer » refused for a field: why, above the results (taken off once the fields are
        valid, :meth:`_unsay_blocked`; it stayed until the next run)."""
        self._show(text, "warning")
        self._blocked_said = True

    def _unsay_blocked(self):
        """The fields are valid again: the messages that said a field blocked a run or a save go."""
        if getattr(self, "_blocked_said", False):
            self._blocked_said = False
            if self.message.visible:
                self.message.visible = False
        if getattr(self, "_save_blocked_said", False):
            self._save_blocked_said = False
            if self.save_note.visible:
                self.save_note.visible = False

    def _clear_results(self):
        """Take the previous run's result off the page (cards, map, series): it is not what is asked now."""
        if self.save_note.visible:  # « enregistrée » spoke of the result taken off
            self.save_note.visible = False
        if self.kpis.text:
            self.kpis.text = ""
        if self.stale_note.visible:
            self.stale_note.visible = False
        if self.result_map.visible:  # its sources keep their colours: the next run sends only what differs
            self.result_map.visible = False
        if self.result_caption.object:
            self.result_caption.object = ""
        if len(self.series):
            self.series[:] = []
        if self.downloads.visible:
            self.downloads.visible = False

    def _cards_html(self, rows: list[dict], outcome, status: str) -> str:
        """The HTML of a run's cards: each part of :data:`CARD_PARTS` in turn, joined.

        A part is ``part(self, rows, outcome, status) -> str`` ("" when it has nothing to show): a new
        row of cards (a family's extra variant) is one more function in that list, the run cycle
        unchanged. The status ("Terminé en … s") is shown by the KPI part, with its cards: one pane
        changes per run."""
        return "".join(part(self, rows, outcome, status) for part in CARD_PARTS)

    # --- the run -------------------------------------------------------------------------------
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
        if not pending:
            return
        # under the page's document lock, as Panel applies them when their debounce ends: an edit refused
        # greys the run button, a Bokeh model that may change only under the lock (this task holds none:
        # « RuntimeError: _pending_writes should be non-None… » failed the run of a box emptied just before)

        async def apply_all():
            for apply_edit in list(pending.values()):
                await apply_edit()

        await self._under_lock(apply_all)

    async def _under_lock(self, change):
        """Run ``change()`` (a function or a coroutine function) under this page's document lock, and
        wait for it: a coroutine (a Panel button's async callback, the run) holds no lock, and a plain
        Bokeh model it changes (the run button greyed by a refused field) raised « RuntimeError:
        _pending_writes should be non-None… ». Its exception is raised here."""
        doc = self.doc
        if doc is None or doc.session_context is None:  # not served (tests, notebooks)
            out = change()
            if inspect.isawaitable(out):
                await out
            return
        done = asyncio.get_running_loop().create_future()

        async def locked():
            if done.done():  # the caller gave up waiting (a page closed): change nothing behind its back
                return
            try:
                with set_curdoc(doc), pn.io.hold(doc):
                    out = change()
                    if inspect.isawaitable(out):
                        await out
            except BaseException as exc:  # raised in the waiting coroutine, as if run there (logged there)
                if not done.done():
                    done.set_exception(exc)
                return
            if not done.done():
                done.set_result(None)

        doc.add_next_tick_callback(locked)
        # a page closed before the next tick drops the callback: the caller would wait for ever
        await asyncio.wait_for(done, PENDING_EDITS_TIMEOUT_S)

    async def run(self, event=None):
        """Run the scenario in a worker process; KPI cards when it is done, a message if it fails.

        The progress bar and "running" message appear only when the outcome takes longer than
        ``PROGRESS_AFTER_S`` (a 20 ms street closure should not flash a progress bar), and all the
        page changes of a finished run reach the browser as one message (see :meth:`_on_page`).
        """
        run_started()
        ended = False  # whatever happens below, the run ends on the page: button enabled, a message
        t0 = time.perf_counter()
        seq = None  # this run's number, once it is one (a click refused below takes none)
        try:
            await self._apply_pending_edits()
            # after the pending edits: a family picked just before the click has replaced the scenario
            cls = type(self.scenario)
            params = self.current_params()
            asked = self.asked()
            blocked = self.invalid_text()
            if blocked:  # « Lancer » is greyed, not disabled: the click says which field blocks it
                # (and leaves alone a run already going: it is not this click's)
                self._on_page(self._say_blocked, blocked)
                ended = True
                return
            try:
                refused = self._refusal(cls.family, params)
                if refused:
                    self._on_page(self._fail, refused)
                    ended = True
                    return
                # two clicks within PROGRESS_AFTER_S start two runs (the button is disabled only once one is
                # waited for): only the last one started may put its result, or its failure, on the page
                self._run_seq = seq = getattr(self, "_run_seq", 0) + 1
                scenario = cls(**params)
                shared = run_shared(self.territory_name, self.territory, scenario, **self._run_extras(cls.family))
                # the same variant already run (here or by another participant): its result is taken
                # again, and the status says so rather than « Terminé en 0,0 s »
                already = shared.done()
                waiting = asyncio.wrap_future(shared)
                done, _ = await asyncio.wait({waiting}, timeout=PROGRESS_AFTER_S)
                if not done and seq == self._run_seq:  # a computation to wait for: say so (a newer run says its own)
                    self._on_page(self._start_run)
                outcome, rows = await waiting  # the outcome holds every result a view draws
            except (*_user_errors(), ValueError) as exc:
                if seq is None or seq == self._run_seq:
                    self._on_page(self._fail, t("error", self.lang, why=user_message(exc, self.lang)))
                ended = True
                return
            if seq != self._run_seq:  # a newer run was started meanwhile: its result is the one asked for
                ended = True
                return
            t_run = time.perf_counter() - t0
            outcome_rows_ = [dict(r) for r in rows]  # shared by every session that ran the same variant
            done_text = t("done_again" if already else "done", self.lang,
                          s=elapsed_text(time.perf_counter() - t0, self.lang))
            # the status goes with the cards: one pane changes per run, not two
            cards = self._cards_html(outcome_rows_, outcome, status=done_text)
            put_results = self._show_results(outcome)
            self.outcome_rows = outcome_rows_
            self.last_outcome = outcome
            self.last_params = {"family": cls.family, **params}
            self._run_time = local_clock_text("%H:%M:%S")  # a variant's default name: the local clock
            save_hint = self._run_name()
            self._ran = asked  # what the form asked when this run was started
            self.last_attrs = {k: str(v) for k, v in outcome.data.attrs.items() if k not in ("scenario", "baseline")}
            if self._run_extras(cls.family):
                self.last_attrs["lamp_inventory"] = self.inventory[0]
            self.runs += 1
            # a flood run on the rain that really fell is a replay (or a what-if on it): the page says
            # which, not only its name
            from twin.app.views.flood import replay_note  # noqa: PLC0415
            hindcast = replay_note(outcome, self.lang)

            def show():
                self._end_run()
                if self.message.visible:  # an earlier message (running, error) is over
                    self.message.visible = False
                self.kpis.text = cards
                if self.save_note.visible:  # « enregistrée » spoke of the last result, not this one
                    self.save_note.visible = False
                self.variant_name.placeholder = save_hint  # what « Enregistrer » names it, left empty
                self._show_stale()  # the cards are what the form asks again (under the lock already)
                if hindcast:
                    self._show(hindcast, "warning")
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
                    self._on_page(self._fail, t("run_failed", self.lang, why=t("res_run_interrupted", self.lang)))
                except Exception:  # noqa: BLE001 - a closed page has no document left to tell
                    log.info("run interrupted on a closed page")

    def _run_name(self) -> str:
        """The name a saved variant takes when the save box is left empty: the run's own (made from its
        inputs, « Extinction 23 h–5 h »), else the family and the time of the run."""
        when = getattr(self, "_run_time", None) or local_clock_text("%H:%M:%S")
        own = str(self.last_params.get("variant_name") or "").strip()
        if own:
            return own
        if self.last_params.get("family") == "roadworks" and (self.last_params.get("streets")
                                                               or self.last_params.get("polygon")):
            from twin.app.builder_fields import works_name  # noqa: PLC0415

            return works_name(self.last_params, self.lang)  # which works, how and when: the variants told apart
        kind = flood_run_kind(getattr(self, "last_outcome", None), self.lang,
                              levels_given=bool(self.last_params.get("alert_levels_m")))
        # a flood's replay on the rain that fell was saved « Anticipation des crues 01:09:27 », a forecast's
        # alike: in the comparison nothing told them apart. A flood's kind names it without the family's label
        # (« Prévision sur 72 h du … »: the horizon within the first words a cut list shows)
        if kind:
            return f"{kind.removeprefix(', ')[:1].upper()}{kind.removeprefix(', ')[1:]} {when}"
        return f"{family_label(self.last_params['family'], self.lang)} {when}"

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

    @property
    def run_blocked(self) -> bool:
        """Whether « Lancer » shows a refused field blocks the run (greyed, see :meth:`_show_run_state`)."""
        return "run-blocked" in self.run_button.css_classes

    def _show_run_state(self):
        """« Lancer » disabled while a run is waited for, greyed while a field is refused.

        Greyed, not disabled: a person who corrects a box and clicks « Lancer » at once sends the box's
        value as the box loses focus, on that very click; a disabled button dropped the click (the first
        click after a correction did nothing). The click now reaches :meth:`run`, which applies the
        edit first and runs, or says which field still blocks it."""
        classes = [c for c in self.run_button.css_classes if c != "run-blocked"] + \
            (["run-blocked"] if self.invalid else [])
        if classes != list(self.run_button.css_classes):  # only what changed: each change is work for the server
            self.run_button.css_classes = classes
        if self.run_button.disabled != self._waiting:
            self.run_button.disabled = self._waiting

    def _end_run(self, text: str | None = None, kind: str = "danger"):
        self._waiting = False
        self._show_run_state()  # a field refused meanwhile keeps "Lancer" greyed
        if self.progress.visible:
            self.progress.param.update(active=False, visible=False)
        if text is not None:
            self._show(text, kind)

    def _fail(self, text: str):
        """A run that ends without a result: its message, and no earlier result beside it (nor saved
        under the new parameters' name)."""
        self.outcome_rows = []
        self.last_outcome = None
        self._clear_results()
        self._end_run(text)

    def save(self, event=None):
        if self._waiting:  # « Lancez d'abord un scénario » while one ran read as the run being lost
            self._say_at_save(t("save_wait_run", self.lang), "warning")
            return
        if not self.outcome_rows:
            self._say_at_save(t("nothing_to_save", self.lang), "warning")
            return
        author = self.workshop_author()  # None: a workshop participant who has not joined yet
        if author is None:
            self._say_at_save(t("workshop_join_first", self.lang), "warning")
            return
        if self.workshop_mode and not self.workshop_facilitator:
            try:
                self.workshop_state.refuse_proposal_when_closed()
            except WorkshopError as exc:
                self._say_at_save(exc.text(self.lang), "warning")
                return
        if self.invalid:  # « Lancer » is greyed: say which field stops it, not « click Lancer »
            self._say_at_save(self.invalid_text(), "warning", blocked=True)
            return
        if getattr(self, "_ran", None) is not None and self.asked() != self._ran:
            # the cards are the settings' before the changes: saved under a name typed for the new ones, « 21h »
            # held 23 h–5 h
            self._say_at_save(t("save_stale", self.lang), "warning")
            return
        family = self.last_params["family"]
        typed = self.variant_name.value.strip()
        name = typed or self._run_name()

        def taken(n):
            return any(other.name == n and other.territory == self.territory_name
                       and not getattr(other, "discarded", False) for other in self.store.list())

        if not typed and taken(name):  # a name made from the inputs (the same works, another detour): the time too
            name = f"{name} {getattr(self, '_run_time', None) or local_clock_text('%H:%M:%S')}"
        # two variants of one name made the comparison say « « A » économise 484 € de plus que « A » »
        if taken(name):
            self._say_at_save(t("save_name_taken", self.lang, name=name), "warning")
            return
        params = {k: v for k, v in self.last_params.items() if k != "family"}
        stored = json.loads(json.dumps(params, default=str))
        if self.workshop_mode:
            # the same settings proposed twice: two identical cards to vote on, the votes split between them
            same = next((o for o in self.store.list() if o.family == family and o.territory == self.territory_name
                         and not getattr(o, "discarded", False)
                         and {k: x for k, x in o.params.items() if k != "variant_name"}
                         == {k: x for k, x in stored.items() if k != "variant_name"}), None)
            if same is not None:
                self._say_at_save(t("save_same_settings", self.lang, name=same.name), "warning")
                return
        v = Variant(name=name, family=family, territory=self.territory_name, params=stored, kpis=self.outcome_rows,
                    attrs=self.last_attrs, author=author)
        self.store.save(v, outcome=getattr(self, "last_outcome", None))
        self._say_at_save(t("saved", self.lang, name=name), "success")
        # the name is used: the next result is saved under its own (a second run saved under the first's)
        self.variant_name.value = ""
        self._refresh_variants(added=v.id)
