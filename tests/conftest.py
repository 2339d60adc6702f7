"""Shared fixtures. Reference data comes from $TWIN_REFERENCE_DATA (default ../shared/data);
tests that need a missing file skip and name it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("TWIN_REFERENCE_DATA", ROOT.parent / "shared" / "data"))


def reference_file(relative: str) -> Path:
    """Path of a reference file, or skip the test naming the missing file."""
    path = REFERENCE / relative
    if not path.exists():
        pytest.skip(f"reference file missing: {path} (set TWIN_REFERENCE_DATA)")
    return path


@pytest.fixture(scope="session")
def redon_osm() -> Path:
    """Redon's OSM extract as the seed ships it (the same file as the reference copy in ../shared):
    tests of the shipped seed run without ../shared."""
    from twin.seeds import default_osm_path

    return default_osm_path()


@pytest.fixture(scope="session")
def pdv_osm() -> Path:
    return reference_file("territories/pont_de_veyle.osm.gz")


@pytest.fixture(scope="session")
def redon(redon_osm):
    from twin.territory import Territory

    return Territory.from_osm(redon_osm, name="redon")


@pytest.fixture(scope="session")
def pont_de_veyle(pdv_osm):
    from twin.territory import Territory

    return Territory.from_osm(pdv_osm, name="pont_de_veyle")


@pytest.fixture(scope="session")
def seed_territory():
    """The embedded default territory, built from seeds/ (no reference data needed), with its own
    scenario defaults (seeds/redon/seed.json)."""
    from twin.seeds import default_osm_path, seed_defaults
    from twin.territory import Territory

    return Territory.from_osm(default_osm_path(), name="redon", defaults=seed_defaults())
