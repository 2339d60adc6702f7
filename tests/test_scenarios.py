"""The scenario/outcome contract, end to end with the street-closure scenario."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from twin.outcome import KPI, Outcome
from twin.scenarios import SCENARIOS, ScenarioError, StreetClosure, load_scenario


def test_closing_a_quay_cuts_buildings_off_and_leaves_the_territory_untouched(seed_territory):
    before = seed_territory.graphs["drive"].number_of_edges()
    outcome = StreetClosure(streets=["Quai Saint-Jacques"]).run(seed_territory)
    assert seed_territory.graphs["drive"].number_of_edges() == before
    assert outcome.value("buildings_without_route") == 0
    assert outcome.value("buildings_without_route", "closed") > 0
    assert outcome.value("closed_street_length_m", "closed") > 100
    table = outcome.compare()
    row = table[(table.variant == "closed") & (table.kpi == "buildings_without_route")].iloc[0]
    assert row["impact"] == "human" and row["unit"] == "buildings" and row["better"] is False
    assert set(table["impact"]) <= {"financial", "environmental", "human"}


def test_closing_a_street_is_never_shorter_for_those_who_keep_a_route(seed_territory):
    """Removing edges can only lengthen shortest paths: check it building by building."""
    from twin.models.accessibility import distances_to, nearest_nodes

    G = seed_territory.graphs["drive"]
    s = StreetClosure(streets=["Grande Rue"])
    closed = seed_territory.without_edges("drive", s.closed_edges(G))
    hall = seed_territory.place("townhall").geometry.iloc[0].representative_point()
    target = nearest_nodes(G, [hall.x], [hall.y])[0]
    origins = list(G.nodes)
    d0 = distances_to(G, target, origins)
    d1 = distances_to(closed.graphs["drive"], target, origins)
    ok = np.isfinite(d1)
    assert (d1[ok] >= d0[ok] - 1e-6).all()
    assert (d1 > d0 + 1e-6).any()


def test_snapped_layers_are_kept_per_layer_and_equal_a_fresh_snap(seed_territory):
    """A closure snaps buildings once per layer object (EdgeIndex.snap): the kept positions are the
    nearest core nodes of the representative points, and a different layer is snapped anew."""
    from twin.models.accessibility import edge_index

    index = edge_index(seed_territory.graphs["drive"])
    buildings = seed_territory.layers["buildings"]
    pts = buildings.geometry.representative_point()
    fresh = index.nearest(pts.x.to_numpy(), pts.y.to_numpy(), among=index.core)
    kept = index.snap(buildings)
    assert np.array_equal(kept, fresh) and index.snap(buildings) is kept
    assert set(kept) <= set(index.core)
    half = buildings.iloc[: len(buildings) // 2]
    assert np.array_equal(index.snap(half), fresh[: len(half)])


def test_closing_by_osm_way_id(seed_territory):
    G = seed_territory.graphs["drive"]
    way = next(d["osm_way_id"] for _, _, d in G.edges(data=True) if d.get("name") == "Grande Rue")
    out = StreetClosure(streets=[way]).run(seed_territory)
    assert out.value("closed_street_length_m", "closed") > 0


def test_unknown_street_gets_suggestions(seed_territory):
    with pytest.raises(ScenarioError, match="'Quai Surcouff' \\(did you mean 'Quai Surcouf'"):
        StreetClosure(streets=["Quai Surcouff"]).run(seed_territory)
    with pytest.raises(ScenarioError, match="at least one street"):
        StreetClosure(streets=[]).run(seed_territory)


def test_parameters_are_declared_once_with_units_and_validated():
    table = StreetClosure.parameters_table()
    assert set(table["name"]) == {"streets", "destination", "variant_name"}
    assert (table["help"].str.len() > 10).all()
    with pytest.raises(ScenarioError, match="unknown parameter"):
        StreetClosure.from_dict({"streets": ["x"], "speed": 3})
    with pytest.raises(ScenarioError):
        StreetClosure.from_dict({"destination": "moon"})


def test_scenario_files(tmp_path, seed_territory):
    f = tmp_path / "s.json"
    f.write_text(json.dumps({"family": "street-closure", "streets": ["Rue Notre-Dame"]}))
    scenario = load_scenario(f)
    assert isinstance(scenario, SCENARIOS["street-closure"])
    from_file = scenario.run(seed_territory)
    from_python = SCENARIOS["street-closure"](streets=["Rue Notre-Dame"]).run(seed_territory)
    assert from_file.value("closed_street_length_m", "closed") > 0  # the street was found and closed
    # a file and Python give one answer
    pd.testing.assert_frame_equal(pd.DataFrame(from_file.compare_rows()), pd.DataFrame(from_python.compare_rows()))
    f.write_text(json.dumps({"family": "teleport"}))
    with pytest.raises(ScenarioError, match="unknown scenario family 'teleport'"):
        load_scenario(f)
    f.write_text("{not json")
    with pytest.raises(ScenarioError, match="not a readable JSON"):
        load_scenario(f)


def test_outcome_contract(tmp_path):
    kpis = [KPI("cost", "EUR", "financial", "money spent"), KPI("co2", "kg", "environmental", "emissions"),
            KPI("served", "people", "human", "people served", higher_is_better=True)]
    out = Outcome.from_values("demo", kpis, {"baseline": {"cost": 100, "co2": 10, "served": 50},
                                             "plan": {"cost": 80, "co2": 12, "served": 55}})
    t = out.compare().set_index(["variant", "kpi"])
    assert t.loc[("plan", "cost"), "change_pct"] == pytest.approx(-20)
    assert t.loc[("plan", "cost"), "better"] is True
    assert t.loc[("plan", "co2"), "better"] is False
    assert t.loc[("plan", "served"), "better"] is True
    out.to_netcdf(tmp_path / "o.nc")
    again = Outcome.from_netcdf(tmp_path / "o.nc")
    assert again.value("served", "plan") == 55
    assert str(again.data["unit"].sel(kpi="cost").item()) == "EUR"
    with pytest.raises(ValueError, match="lacks KPI"):
        Outcome.from_values("demo", kpis, {"baseline": {"cost": 1}})
    with pytest.raises(ValueError, match="no 'baseline'"):
        Outcome.from_values("demo", kpis, {"plan": {"cost": 1, "co2": 1, "served": 1}})
    with pytest.raises(ValueError, match="impact"):
        KPI("x", "m", "aesthetic", "nope")


def test_a_closure_without_the_destination_mapped_drives_to_the_centre_of_the_buildings(seed_territory):
    """Issue 24: a village whose OSM maps no town hall still gets its closure, to the centre of its buildings,
    and the outcome says so; asked for, the centre is the same place."""
    import copy

    bare = copy.copy(seed_territory)
    places = seed_territory.layers["places"]
    bare.layers = {**seed_territory.layers, "places": places[places["category"] != "townhall"]}
    out = StreetClosure(streets=["Quai Saint-Jacques"]).run(bare)
    assert "no place of category 'townhall'" in out.data.attrs["priors"]
    assert out.data.attrs["destination"].startswith("centre des bâtiments")
    asked = StreetClosure(streets=["Quai Saint-Jacques"], destination="centre").run(seed_territory)
    assert asked.data.attrs["priors"].endswith("as asked")
    for kpi in ("buildings_without_route", "mean_drive_distance_m"):
        assert asked.value(kpi, "closed") == out.value(kpi, "closed")
    # the town hall, where it is mapped, is another place: the answers differ
    town_hall = StreetClosure(streets=["Quai Saint-Jacques"]).run(seed_territory)
    assert "priors" not in town_hall.data.attrs
    assert town_hall.value("mean_drive_distance_m") != out.value("mean_drive_distance_m")
