"""Scenario errors a user can cause from the page are shown in French (issue 17), the CLI keeps English.

Each case sets the scenario's parameters in the real page (``TwinApp`` in-process, runs in threads of
this process) as a scenario file or the form would, clicks "Lancer" and reads the message the page
shows. The same parameters run directly give the model's English error: the page's message must be
the catalogue's French one (its key is carried by the error) and hold none of the English message's
own words — only the values the user gave, quoted back.
"""

from __future__ import annotations

import asyncio
import html
import pickle
import re

import pytest

from twin.app.i18n_errors import user_message
from twin.app.variants import VariantStore
from twin.errors import TwinError
from twin.scenarios import SCENARIOS
from twin.scenarios.base import ScenarioError

FLOOD = {"forecast_time": "2023-02-22T00:00", "horizon_h": 48, "members": 20}
CASES = {  # id: (family, parameters, a piece of the expected French message)
    "unknown street": ("street-closure", {"streets": ["Rue Qui N Existe Pas"]}, "Aucune rue carrossable"),
    "close name": ("street-closure", {"streets": ["Quai Saint Jacques"]}, "vouliez-vous dire 'Quai Saint-Jacques'"),
    # a destination OSM does not map is no longer an error: the closure drives to the centre of the buildings
    # and says so (tests/test_scenarios.py)
    "roadworks hours": ("roadworks", {"streets": ["Quai Saint-Jacques"], "hours": "25:00-26:00"},
                        "n'existe pas dans la journée"),
    "roadworks empty window": ("roadworks", {"streets": ["Quai Saint-Jacques"], "hours": "08:00-08:00"},
                               "la plage est vide"),
    "roadworks bad polygon": ("roadworks", {"streets": [], "polygon": "POLYGON((-2.08 47.65"},
                              "n'est pas un polygone WKT lisible"),
    "roadworks polygon off the town": ("roadworks", {"streets": [], "polygon":
                                       "POLYGON((-2.0 47.0, -2.001 47.0, -2.001 47.001, -2.0 47.0))"},
                                       "La zone ne touche aucune rue du territoire, qui s'étend d'ouest en est de"),
    "lighting zone kind": ("lighting", {"rules": [{"zone": {"everywhere": True}, "schedule": {"name": "x"}}]},
                           "la zone doit être l'une de"),
    "lighting near nothing": ("lighting", {"rules": [{"zone": {"near": {"category": ["zoo"]}},
                                                      "schedule": {"name": "x"}}]}, "aucun lieu des catégories"),
    "lighting bad schedule": ("lighting", {"rules": [{"zone": {"all": True}, "schedule": {
        "name": "nuit", "off_window": [["23:00", "05:00"]]}}]}, "clé(s) inconnue(s) off_window"),
    "heating year without weather": ("heating", {"year": 1995},
                                     "ne couvre que 0 heures de 1995 : choisissez une année de l'historique (2021, "
                                     "2022, 2023)"),
    "flood-detours other family": ("flood-detours", {"flood": {"family": "roadworks"}},
                                   "paramètres d'une prévision de crue"),
    "flood-detours unknown flood parameter": ("flood-detours", {"flood": {"horizon": 48}},
                                              "paramètre(s) inconnu(s) 'horizon'"),
    "flood-detours flood parameter out of bounds": ("flood-detours", {"flood": {"horizon_h": -3}},
                                                    "doit valoir au moins 6"),
    "flood-detours hours": ("flood-detours", {"flood": FLOOD, "hours": "7h-19h"}, "attendu HH:MM-HH:MM"),
    "flood-detours unknown variant": ("flood-detours", {"flood": FLOOD, "flood_variant": "centennale"},
                                      "'centennale' n'est pas une variante"),
}

NEUTRAL = {"polygon", "near", "highway", "cabinets", "zone", "schedule", "wgs84", "utf-8", "json", "osm",
           "hh:mm-hh:mm", "mm-hh", "ashrae", "guideline", "flood", "hours", "minutes"}
"""Words both messages may hold: the scenario file's own keys, formats, names of standards, and words
French shares with English."""


def english_words(message: str, given: str) -> set[str]:
    """The English message's own words (four letters or more), without what the user gave (quoted back)."""
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", message)}
    return {w for w in words if w not in given.lower() and w not in NEUTRAL}


@pytest.fixture(scope="module")
def redon():
    from twin.seeds import load_default

    return load_default()


@pytest.fixture()
def app(tmp_path, monkeypatch):
    from twin.app.main import TwinApp
    from twin.app.server import workers

    monkeypatch.setattr(workers, "WORKERS", 0)  # runs in threads of this process
    monkeypatch.setattr(workers, "_EXECUTORS", {})
    monkeypatch.setattr(workers, "_RESULTS", workers.OrderedDict())
    return TwinApp("redon", "fr", store=VariantStore(tmp_path / "variants"))


def _english_error(redon, family: str, params: dict) -> TwinError:
    """The model's own error for these parameters (what the CLI prints)."""
    with pytest.raises(TwinError) as caught:
        SCENARIOS[family](**params).run(redon)
    return caught.value


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_page_says_the_error_in_french(app, redon, case):
    family, params, french = CASES[case]
    exc = _english_error(redon, family, params)
    assert exc.key and exc.key.startswith("err_"), f"{case}: the error carries no message key: {exc}"
    app.family.value = family
    app.scenario.param.update(**params)
    asyncio.run(app.run())
    shown = html.unescape(app.message.object)
    assert app.message.visible and french in shown, f"{case}: {shown!r}"
    given = repr(params) + repr(exc.values)  # what the user gave and the names the model lists, quoted back
    if exc.key == "err_unknown_params":  # the family's parameter names, listed as the known ones
        given += " ".join(SCENARIOS["flood"].param)
    leaked = {w for w in english_words(str(exc), given) if re.search(rf"\b{re.escape(w)}\b", shown.lower())}
    assert not leaked, f"{case}: English words of {str(exc)!r} reach the page: {leaked} in {shown!r}"
    assert not app.kpis.text and not app.run_button.disabled  # no result, and "Lancer" is back


def test_the_command_line_keeps_english(redon):
    exc = _english_error(redon, "street-closure", {"streets": ["Rue Qui N Existe Pas"]})
    assert str(exc).startswith("no drivable street matches 'Rue Qui N Existe Pas'")  # as typed
    assert user_message(exc, "en").startswith("No drivable street is called 'Rue Qui N Existe Pas'")


def test_key_and_values_come_back_from_a_worker_process():
    """A run's error crosses a process boundary (pickled): its key and values with it."""
    exc = ScenarioError("no drivable street matches 'x'", key="err_no_street", values={"streets": "'x'"})
    back = pickle.loads(pickle.dumps(exc))
    assert (str(back), back.key, back.values) == (str(exc), "err_no_street", {"streets": "'x'"})
    assert user_message(back, "fr") == "Aucune rue carrossable ne s'appelle 'x' : vérifiez l'orthographe ou " \
                                       "choisissez les rues sur la carte"


def test_an_error_without_a_key_keeps_its_message():
    assert user_message(ScenarioError("something new"), "fr") == "something new"
    assert user_message(ScenarioError("x", key="err_not_in_the_catalogue"), "fr") == "x"


def test_the_water_breaks_refusals_are_said_in_french():
    """« Erreur : minimum_pressure_m: must be below service_pressure_m (25 ≥ 20.0) » on the French page."""
    from twin.app.i18n_errors import user_message
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.water_break import PipeBreak

    with pytest.raises(ScenarioError) as err:
        PipeBreak(broken_street="Rue des Moulins", minimum_pressure_m=25, service_pressure_m=20)
    assert user_message(err.value, "fr") == ("La pression minimale (25 m) doit être inférieure à la pression de "
                                             "service (20 m)")
    with pytest.raises(ScenarioError) as err:
        PipeBreak(broken_street="Rue des Moulins", sensitive_sites={"Hôpital": 12})
    assert user_message(err.value, "fr").startswith("Site sensible « Hôpital » : attendu l'identifiant")
