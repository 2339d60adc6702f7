"""District meters (issue 22): districts on hand-checkable networks, what a district meter sees at night
and how soon it sees a leak (SYNTHETIC inflows: recovery of what the generator put in, not validity),
and the business case on the embedded territory's SYNTHETIC network."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from twin.models import water_dma as dma
from twin.territory.water_prior import DAILY_PATTERN


def _ring(n: int = 8) -> nx.Graph:
    """A ring of n junctions J0…J(n−1), 100 m apart, fed at J0 by a source S."""
    g = nx.Graph()
    for i in range(n):
        g.add_edge(f"J{i}", f"J{(i + 1) % n}", length=100.0, pipe=f"P{i}")
    g.add_edge("S", "J0", length=50.0, pipe="MAIN")
    return g


def test_two_districts_of_a_ring_are_its_two_halves_each_fed_once():
    g = _ring(8)
    junctions = [f"J{i}" for i in range(8)]
    district = dma.districts(g, junctions, pd.Series(1.0, index=junctions), 2)
    halves = [{j for j, d in district.items() if d == k} for k in (0, 1)]
    assert sorted(map(len, halves)) in ([4, 4], [3, 5])  # the two junctions equidistant from both go one way
    for half in halves:  # each half is a connected arc of the ring
        assert nx.is_connected(g.subgraph(half))
    inlets, closed = dma.boundaries(g, district, "S")
    assert inlets[district["J0"]] == ["MAIN"]  # the source's district: metered by the source's main
    other = 1 - district["J0"]
    assert len(inlets[other]) == 1 and len(closed) == 1  # a ring cut in two: two boundaries, one metered
    boundary = {data["pipe"] for u, v, data in g.edges(data=True) if district.get(u, -1) != district.get(v, -1)
                and u != "S" and v != "S"}
    assert set(inlets[other]) | set(closed) == boundary


def test_a_starved_junction_gets_its_boundary_reopened():
    g = _ring(8)
    junctions = [f"J{i}" for i in range(8)]
    district = dma.districts(g, junctions, pd.Series(1.0, index=junctions), 2)
    inlets, closed = dma.boundaries(g, district, "S")
    shut = closed[0]
    u, v = next((a, b) for a, b, data in g.edges(data=True) if data["pipe"] == shut)

    def run(pipes):  # a hand-made hydraulics: while the boundary is shut, its two ends are starved
        low = pd.Series(30.0, index=junctions)
        if shut in pipes:
            low[[u, v]] = [12.0, 15.0]
        return low

    inlets, closed, lowest = dma.open_until_served(run, inlets, closed, g, district, 20.0)
    assert closed == [] and (lowest >= 20).all()
    assert sum(shut in pipes for pipes in inlets.values()) == 1  # reopened, and metered


def test_a_district_inflow_is_its_use_plus_its_leakage_and_a_town_is_smoother_at_night():
    rng = np.random.default_rng(3)
    flow = dma.district_inflows(10.0, 2.0, DAILY_PATTERN, 56, rng, trials=4)
    assert flow.mean() == pytest.approx(12.0, rel=0.02)  # m³/h: mean use (pattern of mean 1) + leakage
    per_hour = 60 // dma.STEP_MIN
    night = (np.arange(flow.shape[1]) // per_hour) % 24 == 3

    def night_cv(mean_use):
        f = dma.district_inflows(mean_use, 0.0, DAILY_PATTERN, 56, np.random.default_rng(4), day_cv=0.0,
                                 meter_cv=0.0)[0]
        return f[night].std() / f[night].mean()

    # ten times the use (ten times the households): a relatively calmer night, the compound Poisson's CV ∝ 1/√mean
    assert night_cv(50.0) == pytest.approx(night_cv(5.0) / np.sqrt(10), rel=0.25)


def test_a_leak_is_seen_after_it_starts_and_a_small_district_sees_it_sooner():
    rng = np.random.default_rng(5)
    start = np.full(10, 20 * 96)

    def seen(use, leak):
        free = dma.district_inflows(use, 0.2 * use, DAILY_PATTERN, 365, rng, trials=1)
        rise, rate = dma.calibrate_rise([dma._series(f) for f in free], 1.0, 14)
        flows = dma.district_inflows(use, 0.2 * use, DAILY_PATTERN, 70, rng, trials=10,
                                     leak_m3_h=np.full(10, leak), leak_start_step=start)
        return dma.detection_trials(flows, start, rise, 14), rate

    small, rate = seen(4.0, 1.5)  # a 1.5 m³/h leak in a district of about 650 people…
    assert rate <= 1.0 and np.isfinite(small).all() and (small > 0).all() and np.median(small) < 5 * 24
    town, _ = seen(60.0, 1.5)  # …and in a whole town's single meter
    assert np.isfinite(town).mean() < np.isfinite(small).mean() or np.nanmedian(town) > np.median(small)


@pytest.fixture(scope="module")
def meters(seed_territory):
    from twin.scenarios.water_meters import DistrictMeters

    return DistrictMeters(trials=20, members=100).run(seed_territory)


def test_district_meters_on_the_territory_shorten_what_hidden_leaks_run(meters):
    out = meters
    name = str(out.data.variant.values[1])
    assert "SYNTHETIC" in out.data.attrs["network"] and "assumptions" in out.data.attrs["priors"]
    assert out.value("leak_run_days", name) < out.value("leak_run_days")
    assert out.value("hidden_losses_m3_per_year", name) < out.value("hidden_losses_m3_per_year")
    districts = out.table("districts")
    assert len(districts) == int(out.data.attrs["districts"]) >= 2
    meters = out.data.attrs["meters"].split(", ")
    assert out.value("investment_eur", name) == pytest.approx(8000.0 * len(meters))
    assert out.value("people_low_pressure", name) == 0.0  # boundaries reopened where they starved a junction
    pipes = out.table("water_pipes")
    assert set(pipes.loc[pipes["role"] == "meter", "pipe"]) == set(meters)
    # the members share their leaks: the change is paired, and its band is in the outcome. By construction
    # (the survey goes on, a meter only finds a leak sooner), no member loses more than today
    assert out.is_ensemble
    members = out.data["members"].sel(kpi="hidden_losses_m3_per_year").values
    assert (members[1] <= members[0] + 1e-9).all()
    assert list(districts["inlets"].str.split(";").explode().sort_values()) == sorted(meters)


def test_one_meter_for_the_whole_town_sees_small_leaks_less_well(seed_territory, meters):
    from twin.scenarios.water_meters import DistrictMeters

    town = DistrictMeters(districts=1, trials=20, members=100).run(seed_territory)
    one, many = town.table("districts"), meters.table("districts")
    assert len(one) == 1
    # the town's night flow hides a service leak longer than any district's, and its search is longer
    assert one["service_seen_days_median"].iloc[0] > many["service_seen_days_median"].max()
    name, name_many = str(town.data.variant.values[1]), str(meters.data.variant.values[1])
    assert town.value("investment_eur", name) < meters.value("investment_eur", name_many)


def test_leak_frequencies_from_the_water_balance_lose_the_share_asked_today():
    """Without frequencies, UARL's are scaled so that today's survey loses ``unreported_share`` of the real
    losses: the expected loss, computed by hand from the returned rates, is that share."""
    from twin.scenarios.water_meters import DistrictMeters

    table = pd.DataFrame({"pipe_km": [3.0, 5.0], "connections": [400.0, 600.0]})
    flows = {"main": 5.0, "service": 1.4}
    s = DistrictMeters(survey_interval_years=2.0, repair_days=1.0, unreported_share=0.4)
    rate, how = s.frequencies(table, flows, 50_000.0)
    run_h = 8760.0 + 24.0
    expected = sum(rate[k].sum() * flows[k] * run_h for k in rate)
    assert expected == pytest.approx(0.4 * 50_000.0) and "UARL" in how
    assert rate["main"][1] / rate["main"][0] == pytest.approx(5 / 3)  # by pipe length
    assert rate["service"][1] / rate["service"][0] == pytest.approx(1.5)  # by connections
    given = DistrictMeters(main_leaks_per_100km_year=10.0, service_leaks_per_1000_connections_year=2.0)
    rate, how = given.frequencies(table, flows, 50_000.0)
    assert how == "given" and rate["main"][0] == pytest.approx(0.3) and rate["service"][1] == pytest.approx(1.2)


def test_district_meters_on_l_town_meter_every_source_and_tank():
    """L-Town has a second reservoir and a tank: every link from them into a district carries a meter (a
    district meter must see all its district draws); no junction is left under the service pressure."""
    from tests.conftest import reference_file
    from twin.scenarios.water_meters import DistrictMeters
    from twin.sources.epanet import read_network

    path = reference_file("water/battledim_2018/L-TOWN.inp")
    out = DistrictMeters(network_file=str(path), trials=10, members=20).run()
    wn = read_network(str(path))
    meters = set(out.data.attrs["meters"].split(", "))
    sources = set(wn.reservoir_name_list) | set(wn.tank_name_list)
    into = {name for name in wn.link_name_list
            if (wn.get_link(name).start_node_name in sources) != (wn.get_link(name).end_node_name in sources)}
    assert into <= meters
    assert out.value("people_low_pressure", str(out.data.variant.values[1])) == 0.0


def test_too_many_districts_are_capped_and_said(tmp_path):
    from tests.conftest import reference_file
    from twin.scenarios.water_meters import DistrictMeters

    out = DistrictMeters(network_file=str(reference_file("water/epanet_networks/Net3.inp")), trials=10,
                         members=20).run()
    assert int(out.data.attrs["districts"]) == 92 // 5 and "districts wanted" in out.data.attrs["districts_capped"]


def test_the_district_view_draws_meters_black_boundaries_red_and_no_bar_for_a_leak_never_seen(meters):
    from twin.app.views import water_meters as view

    pipes = meters.table("water_pipes")
    edges = [f"{u}-{v}-0" for u, v in zip(pipes["osm_u"], pipes["osm_v"])]
    overlay = view.street_overlay(meters, edges, "fr")
    roles = dict(zip(edges, pipes["role"]))
    for edge, color in zip(edges, overlay["color"]):
        assert (color == view.SHUT) == (roles[edge] == "meter") or edge.split("-")[0] == edge.split("-")[1]
        assert (color == view.DRY) == (roles[edge] == "closed")
    assert not set(view.DISTRICT_COLORS) & {view.SHUT, view.DRY}
    # a leak never seen in half a district's trials: no bar, and a note says what a missing bar means
    unseen = meters.table("districts").copy()
    unseen.loc[0, "service_seen_days_median"] = float("nan")
    import copy

    other = copy.deepcopy(meters)
    other.tables["districts"] = unseen
    fig = view.figure_for(other, "fr")
    bars = [r for r in fig.renderers if hasattr(r.glyph, "top")]
    assert len(bars[1].data_source.data["x"]) == len(unseen) - 1
    sources = {"streets": type("S", (), {"data": {"edge": edges}})()}
    assert any(caption.startswith("Dans le graphique, un secteur sans barre") for _, _, caption in
               view.overlays(other, sources, "fr"))
