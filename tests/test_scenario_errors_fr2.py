"""Flood forecast, bins, hour windows and lighting schedules: their user errors are shown in French
(issue 17), the command line keeps English.

Errors the form (or an uploaded scenario) can cause are triggered in the real page (``TwinApp``
in-process, the ``app`` fixture of tests/test_scenario_errors_fr.py): the scenario's parameters are
set as a scenario file would, "Lancer" is clicked and the page's message is read. Errors the page
cannot reach by itself (a window of hours read by another module, a lighting schedule's own fault,
which the lighting scenario wraps) are raised by the model and said by
:func:`twin.app.i18n_errors.user_message`, as the page would. In every case the French message holds
none of the English message's own words (only what the user gave, quoted back), and ``str(exc)`` —
what the CLI prints — is still the English one.
"""

from __future__ import annotations

import asyncio
import html
import json
import pickle
import re

import pandas as pd
import pytest

from tests.test_scenario_errors_fr import NEUTRAL, _english_error, app, redon  # noqa: F401 - fixtures
from twin.app.i18n_errors import user_message
from twin.errors import TwinError
from twin.models.lighting import Schedule, ScheduleError
from twin.scenarios.base import ScenarioError
from twin.seeds import history_dir
from twin.timeutil import HourRangeError, parse_hour_range

_GR4H = json.loads((history_dir() / "truth.json").read_text())["river"]["gr4h"]
PARAMS = [_GR4H["x1"], _GR4H["x2"], _GR4H["x3"], _GR4H["x4"]]
"""GR4H parameters given, so a run that fails after the calibration step does not calibrate first."""
IN_DATA = "2023-02-22T00:00"  # a forecast time the seed's history covers
SMALL_BINS = {"members": 1, "days": 7}

CASES = {  # id: (family, parameters, a piece of the French message, a piece of the English message)
    # --- flood forecast
    "flood time outside the data": ("flood", {"forecast_time": "2030-01-01T00:00", "params": PARAMS},
                                    "est hors des données", "is outside the data"),
    "flood time before the history": ("flood", {"forecast_time": "2021-01-10T00:00", "params": PARAMS},
                                      "60 jours d'historique", "60 days of history"),
    "flood time unreadable": ("flood", {"forecast_time": "demain matin"}, "n'est pas une date et heure",
                              "is not a time"),
    "flood members × horizon": ("flood", {"members": 100000, "horizon_h": 480},
                                "100\u202f000 membres × 480 h d'horizon", "is more than the 5,000,000 member-hours"),
    "flood alert stages": ("flood", {"alert_levels_m": {"yellow": 3.5, "red": 5.5}},
                           "une cote en mètres pour chacun des niveaux", "expected a stage in metres"),
    "flood GR4H parameters": ("flood", {"params": [300, 0, 90]}, "attendu quatre nombres",
                              "expected four numbers"),
    "flood rain forecast missing": ("flood", {"forecast_time": IN_DATA, "params": PARAMS, "rain": "forecast"},
                                    "a besoin d'une prévision de pluie", "needs rain_forecast_mm"),
    "flood rain forecast negative": ("flood", {"forecast_time": IN_DATA, "params": PARAMS, "rain": "forecast",
                                               "rain_forecast_mm": [1.0, -2.0]},
                                     "la pluie -2.0 à l'heure 1", "is not a finite, non-negative depth"),
    "flood hindcast without observed rain": ("flood", {"forecast_time": "2023-12-30T00:00", "params": PARAMS,
                                                       "rain": "observed"},
                                             "a besoin de la pluie observée", "over the whole horizon"),
    "flood unknown sensor": ("flood", {"level_gauge": "no-such-gauge"}, "n'est pas un capteur de l'historique",
                             "is not a sensor of the store"),
    "flood river names": ("flood", {"river_names": [""]}, "une liste de noms de rivières",
                          "expected a list of river names"),
    # --- water
    "water break time": ("water-break", {"break_time": "6h75"}, "Heure de la casse : « 6h75 » n'est pas une heure",
                         "break_time: expected HH:MM"),
    # --- bins
    "bins close hours syntax": ("bins", {**SMALL_BINS, "close_hours": "18h-minuit"}, "attendu HH:MM-HH:MM",
                                "expected HH:MM-HH:MM"),
    "bins close hours empty": ("bins", {**SMALL_BINS, "close_hours": "18:00-18:00"},
                               "la fermeture doit tenir dans une journée", "must be a window inside one day"),
    "bins close hours not a time": ("bins", {**SMALL_BINS, "close_hours": "25:00-26:00"},
                                    "n'existe pas dans la journée", "is not a time of day"),
    "bins start": ("bins", {**SMALL_BINS, "start": "le 3 avril"}, "n'est pas une date", "is not a date"),
    "bins round days": ("bins", {**SMALL_BINS, "round_weekdays": [1, 7]}, "jours de semaine distincts de 0 à 6",
                        "expected distinct weekdays"),
    "bins no round day": ("bins", {**SMALL_BINS, "baseline_weekdays": []}, "au moins un", "at least one"),
    "bins added point": ("bins", {**SMALL_BINS, "add_points": [[-2.08, 47.65], [200.0, 47.65]]},
                         "point n° 2", "expected [lon, lat] in degrees"),
    "bins budget": ("bins", {"members": 1000, "days": 3660}, "1\u202f000 tirages × 3\u202f660 jours × 1 corbeille(s)",
                    "bin-days a bins run may simulate"),
    "bins compacting": ("bins", {**SMALL_BINS, "compacting_bins": 1000}, "corbeilles compactantes demandées",
                        "is more than the"),
    "bins closed bins": ("bins", {**SMALL_BINS, "close_bins": ["poubelle-qui-n-existe-pas"]},
                         "Corbeilles à fermer inconnues", "are not litter bins"),
    "bins empty truck": ("bins", {**SMALL_BINS, "truck_capacity_l": 0.0}, "doit pouvoir emporter quelque chose",
                         "truck capacity must be positive"),
}

WORDS = NEUTRAL | {"forecast", "members", "rain_forecast_mm", "rain_forecast_file", "params", "close_hours",
                   "add_points", "bins", "start", "yellow", "orange", "red", "utc", "iso", "gr4h", "wgs84",
                   "date", "horizon", "ensemble", "vilaine", "paris"}
"""Words both messages may hold: parameter names and values of the scenario file, formats, units, a
river's or a city's name (Vilaine, Paris), and words French shares with English (date, horizon, ensemble)."""


def leaked_words(english: str, french: str, given: str) -> set[str]:
    """The English message's own words (four letters or more) found in the French one, leaving out
    what the user gave (quoted back) and the neutral words."""
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'_-]{3,}", english)}
    words = {w for w in words if w not in given.lower() and w not in WORDS}
    return {w for w in words if re.search(rf"\b{re.escape(w)}\b", french.lower())}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_page_says_the_error_in_french(app, redon, case):  # noqa: F811 - fixtures
    family, params, french, english = CASES[case]
    exc = _english_error(redon, family, params)
    assert english in str(exc), f"{case}: the CLI's English message changed: {exc}"
    assert exc.key and exc.key.startswith("err_"), f"{case}: the error carries no message key: {exc}"
    app.family.value = family
    app.scenario.param.update(**params)
    asyncio.run(app.run())
    shown = html.unescape(app.message.object)
    assert app.message.visible and french in shown, f"{case}: {shown!r}"
    leaked = leaked_words(str(exc), shown, repr(params) + repr(exc.values))
    assert not leaked, f"{case}: English words of {str(exc)!r} reach the page: {leaked} in {shown!r}"
    assert not app.kpis.text and not app.run_button.disabled  # no result, and "Lancer" is back


def test_a_closure_past_midnight_is_said_in_french(redon):  # noqa: F811 - fixture
    """``close_hours`` wrapping past midnight: the form refuses it in its own words before a run
    (:mod:`twin.app.fields`); a scenario run elsewhere raises the model's error, said from its key."""
    exc = _english_error(redon, "bins", {**SMALL_BINS, "close_hours": "20:00-02:00"})
    assert str(exc) == "close_hours: '20:00-02:00' must be a window inside one day"
    shown = user_message(exc, "fr")
    assert shown.startswith("Heures de fermeture « 20:00-02:00 » : la fermeture doit tenir dans une journée"), shown
    assert not leaked_words(str(exc), shown, "20:00-02:00"), shown


# ------------------------------------------------------------------ hour windows (twin.timeutil)
HOURS = {  # text: (kind, a piece of the French message)
    "7h-19h": ("syntax", "attendu HH:MM-HH:MM"),
    "07:00-25:30": ("time", "une heure n'existe pas dans la journée"),
    "08:15-08:15": ("empty", "la plage est vide"),
}


@pytest.mark.parametrize("text", sorted(HOURS))
def test_an_hour_window_error_says_its_fault_in_french(text):
    kind, french = HOURS[text]
    with pytest.raises(HourRangeError) as caught:
        parse_hour_range(text, "close_hours")
    exc = caught.value
    assert (exc.kind, exc.key, exc.values) == (kind, f"err_hours_{kind}", {"parameter": "close_hours", "text": text})
    shown = user_message(exc, "fr")
    assert french in shown and f"« {text} »" in shown, shown
    assert shown.startswith(f"Heures de fermeture « {text} »"), shown  # the parameter's label, not its name
    assert not leaked_words(str(exc), shown, text), shown
    assert str(exc).startswith(f"close_hours {text!r}: ")  # the CLI's English


@pytest.mark.parametrize("text", sorted(HOURS))
def test_an_hour_window_error_comes_back_from_a_worker_process(text):
    """Pickled and unpickled (a worker's error), it keeps its kind, message, key and values."""
    with pytest.raises(HourRangeError) as caught:
        parse_hour_range(text, "hours")
    exc = caught.value
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is HourRangeError
    assert (back.kind, str(back), back.key, back.values) == (exc.kind, str(exc), exc.key, exc.values)
    assert user_message(back, "fr") == user_message(exc, "fr")


# ------------------------------------------------------------------ lighting schedules (twin.models.lighting)
SCHEDULES = {  # id: (schedule, key, the French message in full)
    "time": ({"name": "nuit", "off_windows": [["23:00", "25:00"]]}, "err_schedule_time",
             "Horaire « nuit » : l'heure « 25:00 » n'est pas au format HH:MM (00:00 à 24:00)"),
    "weekend time": ({"name": "nuit", "weekend_off_windows": [["1:75", "05:00"]]}, "err_schedule_time",
                     "Horaire « nuit » (vendredi et samedi soir) : l'heure « 1:75 » n'est pas au format HH:MM "
                     "(00:00 à 24:00)"),
    "off window": ({"name": "nuit", "off_windows": [["23:00"]]}, "err_schedule_off",
                   "Horaire « nuit » : la fenêtre d'extinction ['23:00'] doit être [début, fin]"),
    "dimming window": ({"name": "nuit", "dimming": [["22:00", "06:00"]]}, "err_schedule_dim",
                       "Horaire « nuit » : la fenêtre de gradation ['22:00', '06:00'] doit être "
                       "[début, fin, niveau]"),
    "level": ({"name": "nuit", "dimming": [["22:00", "06:00", 1.5]]}, "err_schedule_level",
              "Horaire « nuit » : le niveau de gradation 1,5 de ['22:00', '06:00', 1.5] n'est pas entre 0 et 1"),
    "overlap": ({"name": "nuit", "dimming": [["22:00", "06:00", 0.5], ["23:00", "01:00", 0.3]]},
                "err_schedule_overlap",
                "Horaire « nuit » : deux gradations se chevauchent avec des niveaux différents, 0,3 de 23:00 à "
                "01:00 et 0,5 de 22:00 à 06:00, toutes deux à 00:00"),
    "date": ({"name": "nuit", "full_night_dates": ["2023-13-01"]}, "err_schedule_date",
             "Horaire « nuit » : la date d'éclairage toute la nuit « 2023-13-01 » n'est pas au format AAAA-MM-JJ"),
    "unknown key": ({"name": "nuit", "colour": "orange"}, "err_schedule_keys",
                    "Horaire « nuit » : clé(s) inconnue(s) colour (connues : dimming, events, full_night_dates, "
                    "name, off_windows, weekend_dimming, weekend_off_windows)"),
}


@pytest.mark.parametrize("case", sorted(SCHEDULES))
def test_a_schedule_says_its_exact_fault_in_french(case):
    spec, key, french = SCHEDULES[case]
    with pytest.raises(ScheduleError) as caught:
        Schedule.from_dict(spec)
    exc = caught.value
    assert exc.key == key
    assert user_message(exc, "fr") == french
    assert user_message(pickle.loads(pickle.dumps(exc)), "fr") == french
    assert str(exc).startswith("schedule 'nuit'")  # the CLI's English
    given = repr(spec) + "".join(spec.keys())  # the schedule's own keys are named back
    assert not leaked_words(str(exc), french, given), french


def test_a_schedule_fault_said_inside_a_rule():
    """A lighting rule's error that carries its schedule's fault (``cause_key`` / ``cause_values``) says
    the rule and the exact fault; an unknown cause keeps the English message."""
    with pytest.raises(ScheduleError) as caught:
        Schedule.from_dict(SCHEDULES["level"][0])
    fault = caught.value
    rule = ScenarioError(f"rule 0: {fault}", key="err_rule_schedule_fault",
                         values={"item": 1, "schedule": "nuit", "cause_key": fault.key, "cause_values": fault.values})
    assert user_message(rule, "fr") == f"Règle 1 : {SCHEDULES['level'][2]}"
    assert user_message(rule, "en").startswith("Rule 1: Schedule \"nuit\": the dimming level 1.5")
    unknown = ScenarioError("rule 0: something", key="err_rule_schedule_fault",
                            values={"item": 1, "cause_key": "err_not_in_the_catalogue", "cause_values": {}})
    assert user_message(unknown, "fr") == "rule 0: something"


def test_a_time_said_in_english_for_the_page_in_english(redon):  # noqa: F811 - fixture
    exc = _english_error(redon, "flood", {"forecast_time": "2030-01-01T00:00", "params": PARAMS})
    assert isinstance(exc, TwinError)
    assert user_message(exc, "en").startswith("The forecast time 2030-01-01 00:00 UTC is outside the data")


# ------------------------------------------------------------------ flood errors the form does not reach by itself
RAIN_FILES = {  # id: (file content, a piece of the French message, a piece of the English message)
    "columns": ("when,pluie\n2023-02-22T00:00Z,1.0\n", "n'a pas la ou les colonnes rain_mm, time",
                "missing column(s)"),
    "hours": ("time,rain_mm\n2023-02-22T00:00Z,1.0\n2023-02-22T00:30Z,2.0\n",
              "ligne(s) 3 : attendu des heures entières distinctes", "expected distinct whole hours"),
    "value": ("time,rain_mm\n2023-02-22T00:00Z,1.0\n2023-02-22T01:00Z,inf\n",
              "ligne 3 : « inf » n'est pas une hauteur de pluie en mm", "line 3: rain_mm 'inf' is not a depth in mm"),
    # a word where a number was (« nan at hour 2 » said nothing of the line)
    "word": ("time,rain_mm\n2023-02-22T00:00Z,1.0\n2023-02-22T01:00Z,beaucoup\n",
             "ligne 3 : « beaucoup » n'est pas une hauteur de pluie en mm", "line 3: rain_mm 'beaucoup'"),
    # a file for another day: « rain forecast 0 mm », a reassuring no-rain forecast, silently
    "outside": ("time,rain_mm\n2023-03-25T00:00Z,10.0\n2023-03-25T01:00Z,12.0\n",
                "aucune de ses 2 heure(s) ne tombe dans la prévision", "none of its 2 hour(s) falls within"),
}


def test_a_french_spreadsheet_s_rain_forecast_is_read(redon, tmp_path):  # noqa: F811 - fixture
    """Exported by a French spreadsheet (« ; » between columns, decimal comma): refused for « missing
    column(s) » with no hint; the same rain as a comma file."""
    from twin.scenarios.flood import FloodForecast

    runs = []
    for name, text in (("fr.csv", "time;rain_mm\n2023-02-22T00:00Z;1,5\n2023-02-22T01:00Z;12,5\n"),
                       ("en.csv", "time,rain_mm\n2023-02-22T00:00Z,1.5\n2023-02-22T01:00Z,12.5\n")):
        f = tmp_path / name
        f.write_text(text)
        s = FloodForecast(forecast_time=IN_DATA, params=PARAMS, rain="forecast", rain_forecast_file=str(f))
        runs.append(s._given_forecast(pd.Timestamp(IN_DATA))[0])
    assert runs[0][:2].tolist() == runs[1][:2].tolist() == [1.5, 12.5]


def test_one_rain_forecast_format_for_the_flood_scenario_and_the_hydro_forecasts(redon, tmp_path):  # noqa: F811
    """The hydro forecasts' file (``member,time,mm``) feeds the flood scenario and the scenario's
    (``time,rain_mm``) feeds the hydro forecasts: two formats for one rain forecast made a GEMAPI team write
    it twice. Day-first dates are the French way (01/02 is February), several members are refused by the
    scenario, which draws its own ensemble."""
    from twin.scenarios.flood import FloodForecast
    from twin.sources.rain_forecast import read_rain_forecast

    t0 = pd.Timestamp(IN_DATA)
    day_first = (t0 + pd.Timedelta(hours=1)).strftime("%d/%m/%Y %H:%M")
    files = {"hydro.csv": f"member,time,mm\nA,{t0:%Y-%m-%d %H:%M},1.5\nA,{t0 + pd.Timedelta(hours=1):%Y-%m-%d %H:%M},12.5\n",
             "flood.csv": f"time,rain_mm\n{t0:%Y-%m-%d %H:%M},1.5\n{t0 + pd.Timedelta(hours=1):%Y-%m-%d %H:%M},12.5\n",
             "french.csv": f"time;rain_mm\n{t0:%d/%m/%Y %H:%M};1,5\n{day_first};12,5\n"}
    for name, text in files.items():
        f = tmp_path / name
        f.write_text(text)
        s = FloodForecast(forecast_time=IN_DATA, params=PARAMS, rain="forecast", rain_forecast_file=str(f))
        assert s._given_forecast(t0)[0][:2].tolist() == [1.5, 12.5], name
        table = read_rain_forecast(f)
        assert table["mm"].tolist() == [1.5, 12.5] and list(table["time"]) == [t0, t0 + pd.Timedelta(hours=1)], name
    many = tmp_path / "many.csv"
    many.write_text(f"member,time,mm\nA,{t0:%Y-%m-%d %H:%M},1\nB,{t0:%Y-%m-%d %H:%M},2\n")
    s = FloodForecast(forecast_time=IN_DATA, params=PARAMS, rain="forecast", rain_forecast_file=str(many))
    with pytest.raises(ScenarioError, match="2 members") as err:
        s._given_forecast(t0)
    assert err.value.key == "err_rain_file_members"


@pytest.mark.parametrize("case", sorted(RAIN_FILES))
def test_a_bad_rain_forecast_file_is_said_in_french(redon, tmp_path, case):  # noqa: F811 - fixture
    content, french, english = RAIN_FILES[case]
    f = tmp_path / "pluie.csv"
    f.write_text(content)
    exc = _english_error(redon, "flood", {"forecast_time": IN_DATA, "params": PARAMS, "rain": "forecast",
                                          "rain_forecast_file": str(f)})
    assert english in str(exc)
    shown = user_message(exc, "fr")
    assert french in shown and str(f) in shown, shown
    assert not leaked_words(str(exc), shown, str(f) + content + "time rain_mm"), shown  # the file's columns


def test_a_territory_without_flood_defaults_asks_for_the_parameter_in_french():
    from types import SimpleNamespace

    from twin.scenarios.flood import catchment

    bare = SimpleNamespace(name="bourg", defaults={})
    with pytest.raises(ScenarioError) as caught:
        catchment(bare, {})
    exc = caught.value
    assert str(exc).startswith("forecast_time: territory 'bourg' has no default flood.forecast_time")
    shown = user_message(exc, "fr")
    assert "le territoire bourg n'en a pas de valeur par défaut ; donnez-la (par ex. \"2023-02-22T00:00\")" in shown
    with pytest.raises(ScenarioError) as caught:
        catchment(bare, {"forecast_time": IN_DATA, "area_km2": "grand"})
    shown = user_message(caught.value, "fr")
    assert "attendu un nombre de 0,01 à 1\u202f000\u202f000 km², pas « grand »" in shown, shown
    assert not leaked_words(str(caught.value), shown, "grand"), shown
