"""The territory and scenario outcomes as one GeoPackage (issue 19): every layer and field opens with
GeoPandas / pyogrio, units are in the field aliases, the provenance travels with the data."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import pyogrio
import pytest

from twin.scenarios.lighting import LightingSchedules
from twin.territory.geopackage import write_geopackage


def test_territory_and_an_outcome_in_one_geopackage(tmp_path, redon):
    outcome = LightingSchedules().run(redon)
    path = tmp_path / "redon.gpkg"
    written = write_geopackage(path, redon, {"lighting": outcome})
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert {"buildings", "lamps", "streets", "provenance", "lighting_kpis"} <= layers
    assert set(written) == layers
    for name, geometry_type in pyogrio.list_layers(path):
        assert geometry_type != "Unknown" or name in ("provenance",) or name.endswith("_kpis"), name
    buildings = gpd.read_file(path, layer="buildings")
    assert len(buildings) == len(redon.layers["buildings"]) and buildings.crs == redon.layers["buildings"].crs
    assert {"id", "use", "footprint_m2"} <= set(buildings.columns)
    for table, info in outcome.table_info.items():
        layer = gpd.read_file(path, layer=f"lighting_{table}")
        assert len(layer) == len(outcome.tables[table]) and set(outcome.tables[table].columns) <= set(layer.columns)
        assert layer.geometry.notna().all()
    kpis = gpd.read_file(path, layer="lighting_kpis")
    assert {"variant", "kpi", "value", "unit", "impact"} <= set(kpis.columns) and len(kpis) == len(outcome.compare())
    provenance = gpd.read_file(path, layer="provenance")
    assert "OpenStreetMap" in " ".join(provenance["value"])
    with sqlite3.connect(path) as con:
        aliases = dict(con.execute("SELECT table_name || '.' || column_name, name FROM gpkg_data_columns").fetchall())
    assert aliases["buildings.footprint_m2"] == "footprint_m2 [m²]"
    some = next((t, c, u) for t, i in outcome.table_info.items() for c, u in i.units.items())
    assert aliases[f"lighting_{some[0]}.{some[1]}"] == f"{some[1]} [{some[2]}]"


def test_twin_run_writes_the_geopackage(tmp_path, capsys):
    from twin.cli import main

    path = tmp_path / "run.gpkg"
    assert main(["run", "--gpkg", str(path)]) == 0
    assert "layers written to" in capsys.readouterr().out
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert any(name.endswith("_kpis") for name in layers) and "streets" in layers
    with pytest.raises(Exception):
        gpd.read_file(path, layer="no-such-layer")
