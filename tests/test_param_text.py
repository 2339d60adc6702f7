"""A scenario's parameters in plain words (twin.app.param_text): every parameter of every family has a
French label (never its code name), values with their unit the French way, lighting rules as sentences
and an unphrasable rule said « règle d'expert (fichier) », never its syntax."""

from __future__ import annotations

import param
import pytest

from twin.app.i18n import NBSP, NNBSP, PARAM_LABELS_FR, STRINGS
from twin.app.param_text import number_text, param_label, param_value_text, rules_text
from twin.scenarios import SCENARIOS

ALL_PARAMS = [(fam, name, p) for fam, cls in SCENARIOS.items()
              for name, p in cls.param.objects("existing").items() if name != "name"]


def _code_like(text: str, name: str) -> bool:
    """Whether ``text`` is the code name ``name`` or made of it (« Led retrofit », « price_eur… »)."""
    plain = name.replace("_", " ").casefold()
    return "_" in text or text.casefold() == plain or text.casefold() == name.casefold()


@pytest.mark.parametrize("family,name", [(f, n) for f, n, _ in ALL_PARAMS])
def test_every_parameter_has_a_french_label(family, name):
    fr = param_label(family, name, "fr")
    # from a catalogue (the forms' PARAM_LABELS_FR, or the workshop's): « Destination » is French too
    translated = name in PARAM_LABELS_FR or f"workshop_label_{name}" in STRINGS
    assert fr and "_" not in fr and (translated or not _code_like(fr, name)), \
        f"{family}.{name}: French label {fr!r} is its code name"
    assert translated, f"{family}.{name}: no French label in the catalogue (shown {fr!r})"


def test_every_parameter_default_and_option_is_said_in_french():
    for family, name, p in ALL_PARAMS:
        text = param_value_text(family, name, p.default, "fr")
        assert text and "_" not in text and "{" not in text and "True" not in text and "False" not in text, \
            (family, name, text)
        if isinstance(p, param.Selector) and not isinstance(p, param.Boolean):
            for option in p.objects:
                said = param_value_text(family, name, option, "fr")
                known = f"forms_opt_{name}_{option}" in STRINGS or f"forms_place_{option}" in STRINGS
                assert known and "_" not in said, f"{family}.{name} = {option!r} is said {said!r}"


def test_values_with_units_and_french_numbers():
    assert param_value_text("roadworks", "gap", 12.345678901) == "12,35"
    assert param_value_text("lighting", "price_eur_per_kwh", 0.2) == f"0,2{NBSP}€/kWh"
    assert param_value_text("heating", "bms_eur", 12000.0) == f"12{NNBSP}000{NBSP}€"
    assert param_value_text("roadworks", "gap", 0.0001) == "0,0001"  # not rounded to 0
    assert param_value_text("lighting", "year", 2024) == "2024"  # a year is not « 2 024 »
    assert param_value_text("bins", "threshold_pct", 90.0) == f"90{NBSP}%"
    assert param_value_text("bins", "days", 91) == f"91{NBSP}jours"
    assert param_value_text("bins", "trucks", 2) == "2"  # « Camions : 2 », not « 2 camions »
    assert param_value_text("flood", "horizon_h", 48) == f"48{NBSP}h"  # « h » is not a word of « Horizon »
    assert param_value_text("lighting", "led_retrofit", True) == "oui"
    assert param_value_text("roadworks", "one_direction", False, "en") == "no"
    assert param_value_text("roadworks", "hours", "23:00-05:00") == "23 h – 5 h"
    assert param_value_text("roadworks", "hours", "07:30-19:00", "en") == "07:30 – 19:00"
    assert param_value_text("roadworks", "streets", ["Quai Saint-Jacques", "Rue de Vannes", "123"]) == \
        "Quai Saint-Jacques, Rue de Vannes, voie OSM 123"
    assert param_value_text("bins", "round_weekdays", [0, 2, 4]) == "lun., mer., ven."
    assert param_value_text("bins", "close_weekday", 4) == "vendredi"
    assert param_value_text("bins", "start", "2023-04-03") == "03/04/2023"
    assert param_value_text("street-closure", "destination", "townhall") == "mairie"
    assert param_value_text("flood", "rain", "design", "en") == "design storm"
    assert param_value_text("roadworks", "polygon", "POLYGON((0 0, 1 0, 1 1, 0 0))") == "zone dessinée sur la carte"
    assert param_value_text("flood", "rain_forecast_mm", [0.0, 1.5, 3.0, 2.0, 1.0, 0.5, 0.2, 0.0]) == \
        f"8 valeurs, de 0{NBSP}mm/h à 3{NBSP}mm/h"
    assert param_value_text("flood-detours", "flood", {"rain": "design", "design_mm": 80}) == \
        f"Pluie : pluie de projet ; Cumul de la pluie de projet : 80{NBSP}mm"
    assert param_value_text("heating", "booking_ics_text", "BEGIN:VCALENDAR\n" * 10) == \
        "contenu déposé (160 caractères)"
    assert param_value_text("lighting", "baseline_rules", []) == "Éclairage toute la nuit"
    assert number_text(-0.0) == "0" and number_text(float("inf")) == "∞"


def test_lighting_rules_as_sentences():
    rules = [{"zone": {"all": True}, "schedule": {"name": "off", "off_windows": [["23:00", "05:00"]]}},
             {"zone": {"all": True}, "schedule": {"name": "dim", "dimming": [["21:00", "23:00", 0.5]]}},
             {"zone": {"near": {"category": ["station", "school"], "radius_m": 30}}, "schedule": {"name": "all night"}},
             {"zone": {"polygon": "POLYGON((-2.09 47.65, -2.08 47.65, -2.08 47.66, -2.09 47.65))"}, "schedule": {}},
             {"zone": {"highway": ["primary", "primary_link"]},
              "schedule": {"off_windows": [["01:00", "05:30"]], "dimming": [["22:00", "06:00", 0.3]]}}]
    assert rules_text(rules) == [
        "Éteindre de 23 h à 5 h — tous les lampadaires",
        "Abaisser à 50 % de 21 h à 23 h — tous les lampadaires",
        "Garder allumé à 30 m de : gare, écoles",
        "Zone dessinée sur la carte : toute la nuit",
        "Éteindre de 1 h à 5 h 30, abaisser à 30 % de 22 h à 6 h — routes principales, bretelles"]
    assert rules_text(rules[:1], "en") == ["Switch off from 23:00 to 05:00 — every lamp"]
    assert rules_text([]) == ["aucune règle : l'éclairage reste comme aujourd'hui"]
    # what the form's own rules give (twin.app.forms_lighting): the scenario's default is a sentence
    assert param_value_text("lighting", "rules", SCENARIOS["lighting"]().rules) == \
        "Éteindre de 23 h à 5 h — tous les lampadaires"


@pytest.mark.parametrize("rule", [
    {"zone": {"cabinet_group": ["A"]}, "schedule": {}},  # an unknown zone
    {"zone": {"all": True}, "schedule": {"off_windows": [["23h", "5h"]]}},  # a window not HH:MM
    {"zone": {"all": True}, "schedule": {"dimming": [["22:00", "06:00", 50]]}},  # a level not a fraction
    {"zone": {"all": True}, "schedule": {"colour": "amber"}},  # an unknown schedule key
    {"zone": {"near": {"category": ["spaceport"], "radius_m": 50}}, "schedule": {}},  # an unknown place
    {"zone": {"highway": ["motorway_junction_x"]}, "schedule": {}},
    "not a rule",
])
def test_a_rule_it_cannot_phrase_is_an_expert_rule_not_syntax(rule):
    (text,) = rules_text([rule])
    assert text == "règle d'expert (fichier)"
    assert rules_text([rule], "en") == ["expert rule (file)"]


def test_a_rule_for_weekdays_and_another_for_weekends_is_said_as_two():
    """« Éteindre de 0 h à 5 h 30, le week-end (nuits de vendredi et samedi), abaisser à 50 % de 22 h à 6 h »
    for lamps switched off on weekday nights only and dimmed at weekends: read as an extinction every
    night, at weekends too. The week's windows and the weekend's are said as two groups; a weekend that
    gives only its dimming keeps the week's extinction (as the model does), and says so."""
    from twin.app.param_text import rules_text

    weekdays_only = {"off_windows": [["00:00", "05:30"]], "weekend_off_windows": [],
                     "weekend_dimming": [["22:00", "06:00", 0.5]]}
    assert rules_text([{"zone": {"all": True}, "schedule": weekdays_only}]) == [
        "En semaine (nuits du dimanche au jeudi), éteindre de 0 h à 5 h 30 ; le week-end (nuits de vendredi et "
        "samedi), abaisser à 50 % de 22 h à 6 h — tous les lampadaires"]
    dimmed_too = {"off_windows": [["23:00", "05:00"]], "weekend_dimming": [["21:00", "23:00", 0.5]]}
    assert "le week-end (nuits de vendredi et samedi), éteindre de 23 h à 5 h, abaisser à 50 % de 21 h à 23 h" in \
        rules_text([{"zone": {"all": True}, "schedule": dimmed_too}])[0]
    weekend_only = {"weekend_off_windows": [["01:00", "05:00"]]}
    assert rules_text([{"zone": {"all": True}, "schedule": weekend_only}], "en") == [
        "On weekdays (Sunday to Thursday nights), lit all night; at weekends (Friday and Saturday nights), switch "
        "off from 01:00 to 05:00 — every lamp"]
    festive = {"off_windows": [["23:00", "05:00"]], "weekend_off_windows": [["01:00", "05:00"]],
               "full_night_dates": ["2023-07-14", "2023-12-31"]}  # every day of the week, not the weekend's
    assert "; et quel que soit le jour, allumé toute la nuit 2 soir(s) de fête" in \
        rules_text([{"zone": {"all": True}, "schedule": festive}])[0]
    same = {"off_windows": [["23:00", "05:00"]], "weekend_off_windows": [["23:00", "05:00"]]}
    assert rules_text([{"zone": {"all": True}, "schedule": same}]) == ["Éteindre de 23 h à 5 h — tous les lampadaires"]


def test_no_calendar_is_said_once_and_what_it_means():
    """The comparison's assumptions listed « Calendrier de réservations (iCalendar) : vide » and « Calendrier de
    réservations déposé : vide »: no calendar, said once, with what the run followed instead."""
    from twin.app.report import _params_html
    from twin.app.variants import Variant

    assert param_value_text("heating", "booking_ics_text", "") == "aucun : occupation type selon l'usage du bâtiment"
    page = _params_html(Variant("Chauffage", "heating", "redon", {"booking_ics": "", "booking_ics_text": ""}, []), "fr")
    assert page.count("Calendrier") == 1 and "occupation type" in page, page


def test_a_share_is_said_in_percent():
    """« Pertes supprimées par la rénovation : 0,30 » had no unit: a share of the declaration (« [-] share of …
    ») is said in percent, in the hypotheses as everywhere the page lists parameters."""
    from twin.app.param_text import param_value_text

    assert param_value_text("heating", "retrofit_ua_cut", 0.3) == "30\u00a0%"
    assert param_value_text("roadworks", "capacity_factor", 0.5) == "50\u00a0%"
    assert param_value_text("heating", "setpoint_delta_c", -1.0).startswith("-1")  # not a share: as it is


def test_a_forecast_time_is_said_on_the_local_clock_the_form_takes_it_in():
    """The form takes the forecast's time in Paris time (« 22/02/2023 01:00 »); the comparison and the workshop said
    « 22/02/2023 0 h UTC », the stored UTC time (a GEMAPI technician's walkthrough)."""
    assert param_value_text("flood", "forecast_time", "2023-02-22T00:00") == "22/02/2023 1 h (heure de Paris)"
    assert param_value_text("flood", "forecast_time", "2023-07-01 12:00", "en") == "2023-07-01 14:00 (Paris time)"
    # an offset given (the scenario takes one) is kept, not read as UTC (review: « 2 h » for 01:00+01:00)
    assert param_value_text("flood", "forecast_time", "2023-02-22T01:00+01:00") == "22/02/2023 1 h (heure de Paris)"
