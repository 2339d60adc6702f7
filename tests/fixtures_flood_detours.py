"""Shared set-up of the flood-detours tests (tests/test_flood_detours.py, tests/test_app_flood_detours_view.py).

The Redon seed, the coupled scenario run on it (a 20-member hindcast, the observed rain × 1.5, which
closes street segments), and the seed with a fire station THE TEST ADDS at the town hall (data made
by the test, not OSM: the seed's extract holds neither a fire station nor a hospital) run with a
2-minute threshold, so that some buildings are no longer reached in time.

Import the fixtures into a test module (pytest finds fixtures in its namespace; no conftest needed)::

    from tests.fixtures_flood_detours import FLOOD, redon, seed_outcome, station_territory, with_station  # noqa: F401

Each is module-scoped, as the copies they replace were: a module runs the scenario once.
"""

from __future__ import annotations

import copy

import geopandas as gpd
import pandas as pd
import pytest

FLOOD = {"forecast_time": "2023-02-22T00:00", "horizon_h": 48, "members": 20, "rain": "scaled", "scale": 1.5}
"""The flood both modules close streets with: a hindcast, the rain that fell × 1.5."""
FIRE_THRESHOLD_MIN = 2.0
"""The fire threshold of :func:`with_station` (min): short, so that the detours make buildings late."""


def add_fire_station(territory):
    """A shallow copy of ``territory`` with a fire station at its (first) town hall's place, id
    ``test:fire`` (its layers dict copied: the shared territory is untouched)."""
    t = copy.copy(territory)
    t.layers = dict(territory.layers)
    hall = territory.place("townhall").iloc[[0]].copy()
    hall["id"], hall["amenity"] = "test:fire", "fire_station"
    t.layers["places"] = gpd.GeoDataFrame(pd.concat([territory.layers["places"], hall], ignore_index=True),
                                          geometry="geometry", crs=territory.crs)
    return t


@pytest.fixture(scope="module")
def redon():
    """The embedded Redon seed (overrides conftest's ``redon``, built from the OSM extract alone)."""
    from twin.seeds import load_default  # noqa: PLC0415

    return load_default()


@pytest.fixture(scope="module")
def seed_outcome(redon):
    """The flood detours of :data:`FLOOD` on the seed."""
    from twin.scenarios.flood_detours import FloodDetours  # noqa: PLC0415

    return FloodDetours(flood=FLOOD).run(redon)


@pytest.fixture(scope="module")
def station_territory(redon):
    """The seed with a fire station the test places at the town hall (:func:`add_fire_station`)."""
    return add_fire_station(redon)


@pytest.fixture(scope="module")
def with_station(station_territory):
    """The flood detours of :data:`FLOOD` on :func:`station_territory`, fire threshold 2 minutes."""
    from twin.scenarios.flood_detours import FloodDetours  # noqa: PLC0415

    return FloodDetours(flood=FLOOD, fire_threshold_min=FIRE_THRESHOLD_MIN).run(station_territory)
