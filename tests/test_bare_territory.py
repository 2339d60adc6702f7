"""Issue 24: a commune with only a map. ``twin run`` on an OSM extract the project has never seen runs one
demo of every family, its street chosen from the territory, and says per family what came from priors
and what could not run yet."""

from __future__ import annotations

import networkx as nx
import pytest

from twin.demos import busiest_street, territory_demos


def test_the_busiest_street_is_the_one_most_shortest_paths_use():
    """A ladder's rung in the middle is crossed by more routes than a dead end (hand-checkable)."""
    G = nx.MultiDiGraph()

    def road(u, v, name, length=100.0):
        G.add_edge(u, v, length=length, name=name)
        G.add_edge(v, u, length=length, name=name)

    for i in range(4):  # a main street 0-1-2-3-4, side streets hanging off it
        road(i, i + 1, "Grande Rue")
    road(2, 10, "Impasse des Lilas")
    road(1, 11, "Rue du Four")
    road(11, 12, "Rue du Four")
    assert busiest_street(G) == "Grande Rue"
    assert busiest_street(nx.MultiDiGraph()) is None


def test_every_family_has_a_demo_on_a_village(pont_de_veyle):
    demos = territory_demos(pont_de_veyle)
    families = [d.spec["family"] for d in demos]
    from twin.scenarios import SCENARIOS

    assert set(families) >= set(SCENARIOS) - {"flood-detours", "heating-park"}
    closure = next(d for d in demos if d.spec["family"] == "street-closure")
    assert closure.spec["streets"] == [busiest_street(pont_de_veyle.graphs["drive"])]


def test_twin_run_on_a_bare_village_runs_every_family_it_can_and_says_what_came_from_priors(pdv_osm, capsys):
    from twin.cli import main

    assert main(["run", str(pdv_osm)]) == 0
    out = capsys.readouterr().out
    summary = out[out.index("families ran on pont_de_veyle"):]
    for family in ("street-closure", "roadworks", "lighting", "parking", "water-break", "water-pressure",
                   "water-meters"):
        assert f"  {family}" in summary
    lines = {line.split()[0]: line for line in summary.splitlines()[1:] if line.strip()}
    assert "priors:" in lines["water-break"] and "SYNTHETIC" in lines["water-break"]
    assert "GENERATED" in lines["lighting"]  # no lamp inventory: the lamps are a prior
    assert "gravity model uncalibrated" in lines["roadworks"]
    for family in ("flood", "heating", "bins"):  # no sensor history yet: said, not a crash
        assert "not run" in lines[family]
