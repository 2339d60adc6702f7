"""The same inputs give the same answer on every path.

A territory built from OSM, the same territory saved and loaded, and the CLI's first (empty cache)
and second (warm cache) ``twin run`` must give identical KPIs for every scenario family. These
tests run on the shipped seed only (no ../shared needed).
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from twin.scenarios import SCENARIOS
from twin.seeds import default_osm_path, history_dir, seed_defaults
from twin.sensors import SensorStore
from twin.territory import Territory

# One small scenario per family: what the paths must agree on, cheap enough to run twice.
FAMILY_CASES = {
    "street-closure": {"family": "street-closure", "streets": ["Quai Saint-Jacques"], "destination": "townhall"},
    "roadworks": {"family": "roadworks", "streets": ["Quai Saint-Jacques"], "hours": "07:00-19:00"},
    "lighting": {"family": "lighting", "rules": [{"zone": {"all": True}, "schedule": {
        "name": "off 23:00–05:00", "off_windows": [["23:00", "05:00"]]}}]},
    "flood": {"family": "flood", "forecast_time": "2023-02-22T00:00", "horizon_h": 48, "members": 20},
    "heating": {"family": "heating"},
    "bins": {"family": "bins", "policy": "predictive", "members": 1, "days": 14},
    "flood-detours": {"family": "flood-detours", "flood": {"forecast_time": "2023-02-22T00:00", "horizon_h": 48,
                                                          "members": 20, "rain": "scaled", "scale": 1.5}},
}


@pytest.fixture(scope="module")
def fresh_and_loaded(tmp_path_factory):
    fresh = Territory.from_osm(default_osm_path(), name="redon", defaults=seed_defaults())
    loaded = Territory.load(fresh.save(tmp_path_factory.mktemp("territory") / "redon"))
    store = SensorStore(history_dir() / "sensors")
    fresh.sensors = loaded.sensors = store
    return fresh, loaded


def _same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if hasattr(a, "equals_exact"):
        return a.equals_exact(b, 1e-9)
    return type(a) is type(b) and a == b


def _assert_same_graph(G1: nx.MultiDiGraph, G2: nx.MultiDiGraph, network: str) -> None:
    assert G1.graph == G2.graph, f"{network}: graph attributes differ"
    assert list(G1.nodes) == list(G2.nodes), f"{network}: nodes differ"
    for n in G1.nodes:
        assert G1.nodes[n].keys() == G2.nodes[n].keys(), f"{network} node {n}: attributes differ"
    e1, e2 = list(G1.edges(keys=True, data=True)), list(G2.edges(keys=True, data=True))
    assert [e[:3] for e in e1] == [e[:3] for e in e2], f"{network}: edges differ"
    for (u, v, k, d1), (_, _, _, d2) in zip(e1, e2, strict=True):
        assert d1.keys() == d2.keys(), f"{network} edge {u}-{v}-{k}: attributes {set(d1) ^ set(d2)} differ"
        for key in d1:
            assert _same_value(d1[key], d2[key]), f"{network} edge {u}-{v}-{k}: {key} {d1[key]!r} != {d2[key]!r}"


def test_a_built_territory_equals_its_saved_and_loaded_copy(fresh_and_loaded):
    fresh, loaded = fresh_and_loaded
    assert fresh.graphs.keys() == loaded.graphs.keys()
    for network in fresh.graphs:
        _assert_same_graph(fresh.graphs[network], loaded.graphs[network], network)
    assert fresh.layers.keys() == loaded.layers.keys()
    for name in fresh.layers:
        a, b = fresh.layers[name], loaded.layers[name]
        pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"), check_exact=True,
                                      obj=f"layer {name}")
        assert a.geometry.geom_equals_exact(b.geometry, 1e-9).all(), f"layer {name}: geometries differ"
        assert a.crs == b.crs
    assert fresh.defaults == loaded.defaults == seed_defaults()


def _kpis(outcome) -> dict:
    rows = outcome.compare_rows()
    return {(r["variant"], r["kpi"]): r["value"] for r in rows}


@pytest.mark.parametrize("family", sorted(FAMILY_CASES))
def test_every_family_gives_the_same_kpis_on_a_built_and_a_loaded_territory(fresh_and_loaded, family):
    fresh, loaded = fresh_and_loaded
    spec = FAMILY_CASES[family]
    a = SCENARIOS[spec["family"]].from_dict(spec).run(fresh)
    b = SCENARIOS[spec["family"]].from_dict(spec).run(loaded)
    ka, kb = _kpis(a), _kpis(b)
    assert ka.keys() == kb.keys()
    differ = {k: (ka[k], kb[k]) for k in ka if not _same_value(float(ka[k]), float(kb[k]))}
    assert not differ, f"{family}: KPIs differ between the built and the loaded territory: {differ}"


def test_the_bins_demo_drives(fresh_and_loaded):
    """The regression of the first `make run`: a collection service that never drives."""
    fresh, _ = fresh_and_loaded
    spec = FAMILY_CASES["bins"]
    out = SCENARIOS["bins"].from_dict(spec).run(fresh)
    for variant in out.data["variant"].values:
        assert out.value("truck_km_per_year", variant) > 100.0, variant
        assert out.value("agent_hours_per_year", variant) > 10.0, variant


# The first and second `twin run` (empty cache, then warm cache): tests/test_cli.py.
