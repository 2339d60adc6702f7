"""Saving, loading and cheap copies of a territory."""

from __future__ import annotations

import pytest

from twin.territory import Territory, TerritoryBuildError


def test_save_and_load_round_trip(redon, tmp_path):
    out = redon.save(tmp_path / "redon")
    loaded = Territory.load(out)
    assert loaded.crs == redon.crs
    for net in redon.graphs:
        a, b = redon.graphs[net], loaded.graphs[net]
        assert a.number_of_nodes() == b.number_of_nodes()
        assert a.number_of_edges() == b.number_of_edges()
        assert sum(d["length"] for *_, d in a.edges(data=True)) == pytest.approx(
            sum(d["length"] for *_, d in b.edges(data=True)))
        u, v, k = next(iter(a.edges(keys=True)))
        assert a.edges[u, v, k]["id"] == b.edges[u, v, k]["id"]
    for layer, gdf in redon.layers.items():
        assert len(loaded.layers[layer]) == len(gdf), layer
        assert list(loaded.layers[layer]["id"]) == list(gdf["id"])
    assert loaded.report.clipped_ways == redon.report.clipped_ways
    assert loaded.provenance["attribution"] == redon.provenance["attribution"]


def test_saving_over_an_existing_territory_replaces_it(redon, tmp_path):
    redon.save(tmp_path / "t")
    redon.save(tmp_path / "t")
    assert len([p for p in tmp_path.iterdir()]) == 1  # no temporary directory left behind
    assert Territory.load(tmp_path / "t").name == "redon"


def test_load_refuses_what_is_not_a_territory(tmp_path):
    with pytest.raises(TerritoryBuildError, match="not a saved territory"):
        Territory.load(tmp_path)


def test_copy_with_closed_edges_leaves_the_original_intact(redon):
    G = redon.graphs["drive"]
    n_edges = G.number_of_edges()
    edges = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("name") == "Grande Rue"]
    assert edges
    closed = redon.without_edges("drive", edges)
    assert closed.graphs["drive"].number_of_edges() == n_edges - len(edges)
    assert G.number_of_edges() == n_edges
    assert closed.graphs["walk"] is redon.graphs["walk"]  # untouched parts are shared, not copied
    assert closed.layers["buildings"] is redon.layers["buildings"]


def test_replace_rejects_unknown_attributes(redon):
    with pytest.raises(AttributeError, match="no attribute 'colour'"):
        redon.replace(colour="red")
