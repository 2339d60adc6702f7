"""The flood-detours result view (twin.app.views.flood_detours), in-process on the Redon seed.

The scenario runs for real (a 20-member hindcast, rain × 1.5, as tests/test_flood_detours.py), the
overlays are built on the result map's own sources (twin.app.mapview.territory_map, as the page
makes them), and checked against the outcome: the flooded segments black, the flow change of the
others, the note saying why the seed gets no emergency-access KPIs, and — with a fire station the test
adds at the town hall (not OSM data) — the buildings the station no longer reaches in time.
"""

from __future__ import annotations

import copy
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from twin.app import results
from twin.app.views import flood_detours as view
from twin.scenarios.flood_detours import FloodDetours

FLOOD = {"forecast_time": "2023-02-22T00:00", "horizon_h": 48, "members": 20, "rain": "scaled", "scale": 1.5}


@pytest.fixture(scope="module")
def redon():
    from twin.seeds import load_default

    return load_default()


@pytest.fixture(scope="module")
def sources(redon):
    from twin.app.mapview import territory_map

    out: dict = {}
    territory_map(redon, "fr", sources=out)
    return out


@pytest.fixture(scope="module")
def outcome(redon):
    return FloodDetours(flood=FLOOD).run(redon)


@pytest.fixture(scope="module")
def with_station(redon):
    """The seed with a fire station the test places at the town hall, and a 2-minute threshold."""
    t = copy.copy(redon)
    t.layers = dict(redon.layers)
    hall = redon.place("townhall").iloc[[0]].copy()
    hall["id"], hall["amenity"] = "test:fire", "fire_station"
    t.layers["places"] = gpd.GeoDataFrame(pd.concat([redon.layers["places"], hall], ignore_index=True),
                                          geometry="geometry", crs=redon.crs)
    return FloodDetours(flood=FLOOD, fire_threshold_min=2.0).run(t)


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
    assert streets["value"][i].startswith("+")
    assert any(f"les {len(shut)} tronçons fermés par la crue" in c for c in captions)
    fig = results.series_figure(outcome, "fr")  # the hourly vehicle-hours, the variant named for the flood
    labels = [getattr(i.label, "value", i.label) for i in fig.legend[0].items]
    assert labels == ["référence", "rues inondées fermées"]


def test_the_seed_has_no_station_nor_hospital_and_the_note_says_why(outcome, sources):
    assert np.isnan(outcome.value("fire_buildings_late", outcome.first_variant))
    overlays, captions = results.overlays_for(outcome, sources, "fr")
    assert "buildings" not in overlays  # nothing drawn: nothing computed
    note = [c for c in captions if c.startswith("Accès des secours non calculé")]
    assert len(note) == 1 and "pompiers" in note[0] and "hôpital" in note[0] and "pas nuls" in note[0]
    _, captions_en = results.overlays_for(outcome, sources, "en")
    assert any(c.startswith("Emergency access not computed") for c in captions_en)


def test_buildings_no_longer_reached_in_time_are_marked(with_station, sources):
    out = with_station
    overlays, captions = results.overlays_for(out, sources, "fr")
    b = overlays["buildings"]
    ids = list(sources["buildings"].data["id"])
    table = out.table("buildings").set_index("building_id")
    lost = {i for i in table.index if math.isfinite(table.at[i, "time_before_min"])
            and not math.isfinite(table.at[i, "time_after_min"])}
    late = {i for i in table.index if table.at[i, "time_before_min"] <= 2.0 < table.at[i, "time_after_min"] < math.inf}
    assert lost  # the flood cuts part of the town off the station
    for i, color, value in zip(ids, b["color"], b["value"], strict=True):
        if i in lost:
            assert color == view.LOST and value.startswith("pompiers :") and value.endswith("plus atteint")
        elif i in late:
            assert color == view.LATE and "min →" in value
        else:
            assert value == ""
    assert any(f"rouge foncé, {len(lost)} que les secours" in c for c in captions)
    # the hospital is still missing: its own note, not the one for both
    assert any(c.startswith("Accès à l'hôpital non calculé") for c in captions)
    assert not any(c.startswith("Accès des secours non calculé") for c in captions)
