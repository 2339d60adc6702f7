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
    assert busiest_street(G, max_cut=1.0) == "Grande Rue"
    # closed, the Grande Rue cuts the Rue du Four's end (1, 11, 12) from the Impasse's (2, 10): 2 of the 5
    # nodes left with a street; closing the Rue du Four cuts nothing (its end is its own)
    assert busiest_street(G) == "Rue du Four"
    road(12, 10, "Chemin du Moulin", 400.0)  # a way round: the Grande Rue closed no longer cuts
    assert busiest_street(G) == "Grande Rue"
    assert busiest_street(nx.MultiDiGraph()) is None


def test_the_demo_street_does_not_cut_the_village_in_two(pont_de_veyle):
    """Pont-de-Veyle's Grande Rue, closed, cut 934 of its 1,529 buildings off: every figure was « no
    verdict ». The demo closes the busiest street whose closure keeps the network whole."""
    from twin.demos import cut_share

    G = pont_de_veyle.graphs["drive"]
    street = busiest_street(G)
    simple = nx.DiGraph([(u, v, {"name": d.get("name") if isinstance(d.get("name"), str) else ""})
                         for u, v, d in G.edges(data=True)])
    main = max(nx.strongly_connected_components(simple), key=len)

    def on(name):
        return [(u, v) for u, v, d in simple.edges(data=True) if d["name"] == name]

    assert cut_share(simple, main, on(street)) <= 0.05 < cut_share(simple, main, on("Grande Rue"))
    assert street != "Grande Rue" and busiest_street(G, max_cut=1.0) == "Grande Rue"


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
                   "water-meters", "bins"):
        assert f"  {family}" in summary
    lines = {line.split()[0]: line for line in summary.splitlines()[1:] if line.strip()}
    assert "priors:" in lines["water-break"] and "SYNTHETIC" in lines["water-break"]
    assert "GENERATED" in lines["lighting"]  # no lamp inventory: the lamps are a prior
    assert "gravity model uncalibrated" in lines["roadworks"]
    assert "PRIOR" in lines["bins"] and "Edinburgh" in lines["bins"]  # fill rates from another city's records
    # no gas meter: the public buildings OSM maps, from the heating prior, on a SYNTHETIC climate year
    assert "ran" in lines["heating"] and "no gas meter" in lines["heating"] and "SYNTHETIC" in lines["heating"]
    # no gauge: the flood prior, its river and its unknown catchment area said
    assert "ran" in lines["flood"] and "no discharge gauge on La Veyle" in lines["flood"]
    assert "a sensor would: a year of gas meter readings" in summary and "twin bins value" in summary
    assert "10 of 10 families ran on pont_de_veyle" in out


# --- bins: a fill-rate prior from Edinburgh's real records -------------------------------------------

def test_the_shipped_bins_prior_is_the_fit_of_edinburghs_records():
    """twin/data/bins_fill_prior.json is what fitting the reference records gives (it can be made again)."""
    import json

    from tests.conftest import reference_file
    from twin.calibration.bins_prior import PRIOR_FILE, fit_prior
    from twin.sources.bin_records import read_bin_records

    records = read_bin_records(reference_file("bins/edinburgh_litter_bins_2016-06-03_2016-07-19.csv.gz"))
    shipped = json.loads(PRIOR_FILE.read_text())
    again = fit_prior(records)
    for key in ("global_rate_pct_per_h", "between_bin_log_sd", "between_street_log_sd", "sigma", "median_interval_h"):
        assert again[key] == pytest.approx(shipped[key], rel=1e-6), key
    assert again["bins"] == shipped["bins"] and "Open Government Licence" in shipped["source"]


def test_the_bins_prior_predicts_the_overflow_of_streets_it_was_not_fitted_on():
    """Leave-streets-out on Edinburgh's real records (5 folds of streets, every held-out bin unseen): the
    prior's predicted overflow rate against the observed share — a check on real data, within one city."""
    from tests.conftest import reference_file
    from twin.calibration.bins_prior import leave_streets_out
    from twin.sources.bin_records import read_bin_records

    records = read_bin_records(reference_file("bins/edinburgh_litter_bins_2016-06-03_2016-07-19.csv.gz"))
    check = leave_streets_out(records, folds=5)
    assert len(check) == 5 and check["bins"].sum() >= 300
    pooled = (check["error"] * check["intervals"]).sum() / check["intervals"].sum()
    assert abs(pooled) < 0.03  # all held-out streets together: within 3 points of the observed 13.6 %
    assert check["error"].abs().max() < 0.15  # the worst fold of streets: within 15 points


def test_bins_run_on_a_village_without_records_from_the_prior(pont_de_veyle):
    from twin.scenarios.bins import COSTS, BinCollection

    out = BinCollection(policy="predictive", members=6, days=28).run(pont_de_veyle)
    name = str(out.data.variant.values[1])
    assert "PRIOR" in out.data.attrs["priors"] and "Edinburgh" in out.data.attrs["priors"]
    # no sensor on the village's bins: a sensed policy buys them
    n_bins = int((pont_de_veyle.layers["bins"]["kind"] == "waste_basket").sum())
    assert out.value("capital_cost_eur", name) == pytest.approx(n_bins * COSTS["sensor_eur"])
    # the town-wide factor spreads the members: the answer is as wide as the prior
    members = out.data["members"].sel(variant="baseline", kpi="litter_l_per_week").values
    assert members.std() > 0.2 * members.mean()


def test_a_town_factor_of_zero_leaves_the_bins_draws_as_they_were():
    import numpy as np
    from scipy.stats import norm

    from twin.scenarios.bins import town_log_factors, true_rates

    rates, sd = np.array([1.0, 2.0, 3.0]), np.array([0.1, 0.2, 0.3])
    rng = np.random.default_rng([7, 0x7A7E])
    assert np.array_equal(true_rates(rates, sd, 7), rates * np.exp(sd * rng.standard_normal(3)))
    factor = true_rates(rates, sd, 7, 0.5) / true_rates(rates, sd, 7)
    assert np.allclose(factor, np.exp(0.5))  # one factor for the whole town
    # the members' factors: one per stratum of the prior's normal, in a seeded order
    f = town_log_factors(40, 0.5, seed=3)
    assert np.allclose(np.sort(f), 0.5 * norm.ppf((np.arange(40) + 0.5) / 40))
    assert not np.allclose(f, np.sort(f)) and np.array_equal(f, town_log_factors(40, 0.5, seed=3))
    assert not town_log_factors(40, 0.0, seed=3).any() and not town_log_factors(1, 0.5, seed=3).any()


def test_a_territory_without_street_names_says_which_demos_it_cannot_run(pont_de_veyle):
    import copy

    bare = copy.copy(pont_de_veyle)
    G = pont_de_veyle.graphs["drive"].copy()
    for _, _, d in G.edges(data=True):
        d.pop("name", None)
    bare.graphs = {**pont_de_veyle.graphs, "drive": G}
    demos = {d.spec["family"]: d for d in territory_demos(bare)}
    for family in ("street-closure", "roadworks", "water-break"):
        assert demos[family].skip.startswith("no named drive street")
    assert not demos["lighting"].skip


def test_twin_run_on_a_bare_copy_of_the_seed_runs_all_ten_families(capsys):
    """The seed's own OSM extract, without its sensor history: every family runs from priors (heating from
    the heating prior, flood from the flood prior, bins from Edinburgh's), each saying so."""
    from twin.cli import main
    from twin.seeds import default_osm_path

    assert main(["run", str(default_osm_path())]) == 0
    out = capsys.readouterr().out
    assert "10 of 10 families ran" in out
    summary = out[out.index("families ran on"):]
    lines = {line.split()[0]: line for line in summary.splitlines()[1:] if line.strip()}
    assert "no gas meter" in lines["heating"] and "no discharge gauge" in lines["flood"]
    assert "PRIOR" in lines["bins"]
