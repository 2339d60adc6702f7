"""The flood-detours result view (twin.app.views.flood_detours), in-process on the Redon seed.

The scenario runs for real (a 20-member hindcast, rain × 1.5, as tests/test_flood_detours.py), the
overlays are built on the result map's own sources (twin.app.mapview.territory_map, as the page
makes them), and checked against the outcome: the flooded segments black, the flow change of the
others, the note saying why the seed gets no emergency-access KPIs, and — with a fire station the test
adds at the town hall (not OSM data) — the buildings the station no longer reaches in time.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from tests.fixtures_flood_detours import (  # noqa: F401 - fixtures
    FIRE_THRESHOLD_MIN, redon, seed_outcome, station_territory, with_station)
from twin.app import results
from twin.app.cards import kpi_cards_html
from twin.app.variants import outcome_rows
from twin.app.views import flood_detours as view
from twin.scenarios.flood_detours import FloodDetours

DRY = {"forecast_time": "2023-07-15T00:00", "horizon_h": 24, "rain": "none",
       "params": [449.5, -0.03, 251.0, 60.5]}  # a July day without rain: the river stays in its bed
"""A flood that closes nothing (GR4H parameters given: no calibration, a faster run)."""


@pytest.fixture(scope="module")
def sources(redon):  # noqa: F811
    from twin.app.mapview import territory_map

    out: dict = {}
    territory_map(redon, "fr", sources=out)
    return out


@pytest.fixture(scope="module")
def outcome(seed_outcome):  # noqa: F811
    return seed_outcome


@pytest.fixture(scope="module")
def dry(redon):  # noqa: F811
    return FloodDetours(flood=DRY).run(redon)


def test_the_family_has_its_own_view():
    assert results.VIEWS["flood-detours"] == "flood_detours"


def test_flooded_streets_black_and_flow_change_elsewhere(outcome, sources):
    overlays, captions = results.overlays_for(outcome, sources, "fr")
    streets = overlays["streets"]
    edges = list(sources["streets"].data["edge"])
    shut = set(outcome.table("streets_to_close")["edge"])
    assert shut and shut <= set(edges)
    for e, color, width, value in zip(edges, streets["color"], streets["width"], streets["value"], strict=True):
        if e in shut:
            assert (color, width, value) == (view.CLOSED, view.CLOSED_WIDTH, "fermée par la crue")
        else:
            assert color != view.CLOSED
    # the detours: streets that gain traffic are red, with their change in the hover
    table = outcome.table("streets").set_index("edge")
    gainer = table.loc[~table.index.isin(shut), "change"].idxmax()
    i = edges.index(gainer)
    assert table.at[gainer, "change"] > 0.5 and streets["color"][i] == "#c0392b"
    assert streets["value"][i].startswith("trafic à la pointe : +") and streets["value"][i].endswith(" véhicules/h")
    # the card's count of segments, not the directed edges (the map said 60 beside the card's 31)
    segments = int(outcome.value("segments_closed", view.variant_shown(outcome)))
    assert segments < len(shut) and any(f"les {segments} tronçons fermés par la crue" in c for c in captions)
    fig = results.series_figure(outcome, "fr")  # the hourly vehicle-hours, the variant named for the flood
    labels = [getattr(i.label, "value", i.label) for i in fig.legend[0].items]
    assert labels == ["référence", "rues inondées fermées", "heures au volant en plus (barres, axe de droite)"]
    # the day method on its own line: on one, the title ran off a 1024 px screen (seen in the screenshot)
    assert fig.title.text == ("Trafic heure par heure : temps total au volant\n(heure de pointe, et niveau moyen hors "
                              "pointe pour les autres heures)")


def test_the_streets_to_close_download_holds_them_all(outcome):
    """Its list carries the flood's variant name, not the detours': filtered on the latter, the page
    offered « Télécharger les 0 tronçons » and an empty file."""
    import io

    import pandas as pd

    from twin.app.meeting_pack import alert_lists
    from twin.app.views.common import variant_shown

    files = alert_lists(outcome, variant_shown(outcome))
    got = pd.read_csv(io.BytesIO(files["streets_to_close"]), sep=";", decimal=",", encoding="utf-8-sig")
    # one row a street segment: a two-way street's two directions (one segment) listed once
    assert len(got) == outcome.table("streets_to_close")["segment"].nunique() > 0
    assert "segment" not in got.columns
    # in English, as an English spreadsheet reads it: the model's column names, « , » and a decimal point
    english = pd.read_csv(io.BytesIO(alert_lists(outcome, variant_shown(outcome), "en")["streets_to_close"]),
                          encoding="utf-8-sig")
    assert len(english) == len(got) and "rue" not in english.columns
    assert english.select_dtypes("number").shape[1] == got.select_dtypes("number").shape[1] > 0  # numbers, not text


def test_the_seed_has_no_station_nor_hospital_and_one_plain_note_says_why(outcome, sources):
    """Issue 17: six « — » cards and a note in OpenStreetMap's tags (amenity=fire_station). Now: no card
    without a value, one French sentence in the cards, nothing about it under the map."""
    assert np.isnan(outcome.value("fire_buildings_late", outcome.first_variant))
    overlays, captions = results.overlays_for(outcome, sources, "fr")
    assert "buildings" not in overlays  # nothing drawn: nothing computed
    assert not any("amenity" in c or "non calculé" in c for c in captions)
    cards = kpi_cards_html(outcome_rows(outcome), "fr")
    shown = re.findall(r"data-kpi-value='([a-z0-9_]+)'>([^<]*)<", cards)
    assert shown and all(v != "—" for _, v in shown)
    assert not any(k.startswith(("fire_", "hospital_")) for k, _ in shown)
    notes = re.findall(r"class='alert alert-info cards-note'[^>]*>([^<]*)<", cards)
    assert notes == ["Temps d&#x27;accès des pompiers et de l&#x27;hôpital non calculés : la carte de la commune "
                     "ne montre ni caserne de pompiers ni hôpital (ceux qui la desservent sont plus loin). "
                     "Ajoutez-les à la carte pour les calculer."]
    assert "amenity" not in cards
    assert "Fire-station and hospital access times not computed" in kpi_cards_html(outcome_rows(outcome), "en")


def test_a_flood_that_closes_nothing_says_so_in_one_note_and_draws_nothing(dry, sources):
    assert dry.value("segments_closed", dry.first_variant) == 0 and dry.table("streets_to_close").empty
    overlays, captions = results.overlays_for(dry, sources, "fr")
    assert overlays == {}
    assert captions == ["La crue choisie ne ferme aucune rue : pas de déviation, et les secours passent comme "
                        "d'habitude."]
    assert results.series_figure(dry, "fr") is None  # two identical days: no figure
    assert results.overlays_for(dry, sources, "en")[1] == ["The chosen flood closes no street: no detour, and "
                                                           "emergency services drive as usual."]
    cards = kpi_cards_html(outcome_rows(dry), "fr")
    assert "—<" not in cards and cards.count("cards-note") == 1  # the access note, once


def test_buildings_no_longer_reached_in_time_are_marked(with_station, sources):  # noqa: F811
    out = with_station
    overlays, captions = results.overlays_for(out, sources, "fr")
    b = overlays["buildings"]
    ids = list(sources["buildings"].data["id"])
    table = out.table("buildings").set_index("building_id")
    lost = {i for i in table.index if math.isfinite(table.at[i, "time_before_min"])
            and not math.isfinite(table.at[i, "time_after_min"])}
    late = {i for i in table.index if table.at[i, "time_before_min"] <= FIRE_THRESHOLD_MIN < table.at[i, "time_after_min"] < math.inf}
    assert lost  # the flood cuts part of the town off the station
    for i, color, value in zip(ids, b["color"], b["value"], strict=True):
        if i in lost:
            assert color == view.LOST and value.startswith("pompiers :") and value.endswith("plus atteint")
        elif i in late:
            assert color == view.LATE and "min →" in value
        else:
            assert value == ""
    assert any(f"rouge foncé, {len(lost)} que les secours" in c for c in captions)
    # the hospital is still missing: its own sentence in the cards, not the one for both
    note = re.findall(r"cards-note[^>]*>([^<]*)<", kpi_cards_html(outcome_rows(out), "fr"))
    assert note == ["Temps d&#x27;accès à l&#x27;hôpital non calculés : la carte de la commune ne montre aucun hôpital."]


def test_a_flood_s_closures_are_not_called_works():
    """« Les travaux évitent l'heure de pointe du jour » stood on a flood's page, and the comparison map said
    « l'effet des travaux »."""
    from types import SimpleNamespace

    from twin.app.builder_run import peak_hour_part
    from twin.app.diffmap import other_hours_note

    attrs = {"scenario": "flood-detours", "works_peak_hour": "08:00-09:00", "day_peak_hour": "17:00-18:00"}
    out = SimpleNamespace(data=SimpleNamespace(attrs=attrs))
    text = peak_hour_part(SimpleNamespace(lang="fr"), [], out, "")
    assert "Les rues sont fermées en dehors de l'heure de pointe du jour (17:00–18:00)" in text.replace("&#x27;", "'")
    assert "travaux" not in text
    day = SimpleNamespace(data=SimpleNamespace(attrs={**attrs, "works_peak_hour": "17:00-18:00"}))
    note = other_hours_note(out, day, ["A", "B"], "fr")
    assert "l'effet des fermetures" in note and "travaux" not in note
    works = SimpleNamespace(data=SimpleNamespace(attrs={**attrs, "scenario": "roadworks"}))
    assert "travaux" in peak_hour_part(SimpleNamespace(lang="fr"), [], works, "")
