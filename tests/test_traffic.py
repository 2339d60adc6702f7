"""Traffic assignment against the TransportationNetworks best-known solutions, and TNTP input checks."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import reference_file
from twin.models.traffic import assign
from twin.sources.tntp import TntpError, read_flows, read_network, read_trips

CASES = {  # directory, net, trips, flows, best-known Beckmann objective, distance weight
    "SiouxFalls": ("SiouxFalls_net.tntp", "SiouxFalls_trips.tntp", "SiouxFalls_flow.tntp", 4231335.287, 0.0),
    "Anaheim": ("Anaheim_net.tntp", "Anaheim_trips.tntp", "Anaheim_flow.tntp", 1286032.171, 0.0),
    "Chicago-Sketch": ("ChicagoSketch_net.tntp", "ChicagoSketch_trips.tntp.gz", "ChicagoSketch_flow.tntp",
                       17313018.739, 0.04),
}


def load(name):
    net_f, trips_f, flow_f, bko, w = CASES[name]
    net = read_network(reference_file(f"transport/{name}/{net_f}"), distance_weight=w)
    trips = read_trips(reference_file(f"transport/{name}/{trips_f}"), net.n_nodes)
    return net, trips, read_flows(reference_file(f"transport/{name}/{flow_f}")), bko


def test_braess_paradox():
    net = read_network(reference_file("transport/Braess-Example/Braess_net.tntp"))
    trips = read_trips(reference_file("transport/Braess-Example/Braess_trips.tntp"), net.n_nodes)
    with_middle = assign(net, trips, gap=1e-10)
    assert with_middle.tstt == pytest.approx(552, rel=1e-6)  # 92 per traveller
    keep = ~((net.init == 2) & (net.term == 3))
    for k in ("init", "term", "capacity", "length", "fftt", "b", "power", "toll"):
        setattr(net, k, getattr(net, k)[keep])
    without = assign(net, trips, gap=1e-10)
    assert without.tstt == pytest.approx(498, rel=1e-6)  # 83 per traveller


def flow_error(flows, bks) -> float:
    """‖x − x*‖ / ‖x*‖ over the links: the issue's flow metric (with it, AequilibraE's bfw at 1e-5 gives
    the 0.03 %, 0.35 % and 0.07 % the issue quotes; benchmarks/bench_traffic.py reports it and RMSE/mean)."""
    v = bks["volume"].to_numpy()
    return float(np.linalg.norm(flows - v) / np.linalg.norm(v))


@pytest.mark.parametrize("name,gap,obj_tol,flow_tol", [
    ("SiouxFalls", 1e-4, 1e-4, 0.02), ("SiouxFalls", 1e-5, 1e-5, 0.005),
    ("Anaheim", 1e-4, 1e-4, 0.02), ("Anaheim", 1e-5, 1e-5, 0.005),
    ("Chicago-Sketch", 1e-4, 1e-4, 0.02), ("Chicago-Sketch", 1e-5, 1e-5, 0.005),
])
def test_best_known_equilibria(name, gap, obj_tol, flow_tol):
    net, trips, bks, bko = load(name)
    r = assign(net, trips, gap=gap)
    assert r.relative_gap <= gap
    assert abs(r.objective / bko - 1) <= obj_tol
    assert flow_error(r.flows, bks) <= flow_tol
    assert r.max_conservation_error < 1e-6 * trips["demand"].sum()
    assert r.unreachable_demand == 0


@pytest.mark.parametrize("name,gap,obj_tol,flow_tol", [
    ("SiouxFalls", 1e-5, 1e-5, 0.005), ("Anaheim", 1e-5, 1e-5, 0.005), ("Chicago-Sketch", 1e-5, 1e-5, 0.005),
])
def test_gradient_projection_reaches_the_best_known_equilibria(name, gap, obj_tol, flow_tol):
    net, trips, bks, bko = load(name)
    r = assign(net, trips, gap=gap, algorithm="gp")
    assert r.relative_gap <= gap
    assert abs(r.objective / bko - 1) <= obj_tol
    assert flow_error(r.flows, bks) <= flow_tol
    assert r.max_conservation_error < 1e-6 * trips["demand"].sum()


def test_gradient_projection_converges_to_the_anaheim_best_known_flows():
    # at a tight gap the path-based solution is the published one: the flow differences at 1e-5
    # (about 0.4 % of the flow norm, both algorithms) are convergence, not a different equilibrium
    # (at 1e-8 the flows are still 1e-3 of the mean away, at 1e-10 within 1e-4)
    net, trips, bks, bko = load("Anaheim")
    r = assign(net, trips, gap=1e-10, algorithm="gp")
    v = bks["volume"].to_numpy()
    assert np.sqrt(np.mean((r.flows - v) ** 2)) / v.mean() < 1e-4
    assert abs(r.objective / bko - 1) < 1e-8


def test_gradient_projection_on_dead_ends_and_an_unknown_algorithm():
    net = read_network(reference_file("transport/Berlin-Friedrichshain/friedrichshain-center_net.tntp"))
    trips = read_trips(reference_file("transport/Berlin-Friedrichshain/friedrichshain-center_trips.tntp"), net.n_nodes)
    r = assign(net, trips, gap=1e-4, algorithm="gp")
    assert r.relative_gap <= 1e-4
    assert r.max_conservation_error < 1e-6 * trips["demand"].sum()
    with pytest.raises(ValueError, match="unknown assignment algorithm"):
        assign(net, trips, algorithm="magic")


def test_relative_gap_is_measured_at_the_reported_flows():
    from twin.models.traffic_graph import all_or_nothing, build_graph, link_costs

    net, trips, _, _ = load("SiouxFalls")
    r = assign(net, trips, gap=1e-3)
    g = build_graph(net, trips)
    _, sptt, _ = all_or_nothing(g, net, link_costs(net, r.flows))
    tstt = float((link_costs(net, r.flows) * r.flows).sum())
    assert r.relative_gap == pytest.approx((tstt - sptt) / tstt, rel=1e-9)


def test_dead_ends_converge_and_conserve_flow():
    net = read_network(reference_file("transport/Berlin-Friedrichshain/friedrichshain-center_net.tntp"))
    trips = read_trips(reference_file("transport/Berlin-Friedrichshain/friedrichshain-center_trips.tntp"), net.n_nodes)
    assert net.first_thru_node == 24
    r = assign(net, trips, gap=1e-4)
    assert r.relative_gap <= 1e-4
    assert r.max_conservation_error < 1e-6 * trips["demand"].sum()


def test_unreachable_demand_is_reported(tmp_path):
    net_f = tmp_path / "t_net.tntp"
    net_f.write_text("<NUMBER OF ZONES> 3\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 1\n"
                     "<END OF METADATA>\n~ a b c d e f g h i j ;\n1 2 10 1 1 0.15 4 0 0 1 ;\n")
    trips_f = tmp_path / "t_trips.tntp"
    trips_f.write_text("<NUMBER OF ZONES> 3\n<TOTAL OD FLOW> 15\n<END OF METADATA>\nOrigin 1\n2 : 10; 3 : 5;\n")
    net = read_network(net_f)
    r = assign(net, read_trips(trips_f, net.n_nodes), gap=1e-6)
    assert r.unreachable_demand == 5 and r.flows[0] == pytest.approx(10)


def test_bad_tntp_input(tmp_path):
    f = tmp_path / "n.tntp"
    f.write_text("<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 10 1 ;\n")
    with pytest.raises(TntpError, match="line 3: 4 columns"):
        read_network(f)
    f.write_text("<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 -10 1 1 0.15 4 0 0 1 ;\n")
    with pytest.raises(TntpError, match="line 3: capacity must be positive"):
        read_network(f)
    t = tmp_path / "t.tntp"
    t.write_text("<END OF METADATA>\nOrigin 1\n2 : 10; 9 : 5;\n")
    with pytest.raises(TntpError, match=r"line 3: OD pair 1 → 9 names a node"):
        read_trips(t, n_nodes=3)
    t.write_text("<TOTAL OD FLOW> 20\n<END OF METADATA>\nOrigin 1\n2 : 10;\n")
    with pytest.raises(TntpError, match="adds up to 10"):
        read_trips(t)


def test_sioux_falls_closures_match_the_peer():
    """Close each two-way street (both directions), re-assign at 1e-5, compare with AequilibraE's results."""
    import ast

    import pandas as pd

    ref = pd.read_csv(reference_file("transport/SiouxFalls/closure_pair_reference_aequilibrae_gap1e-5.csv"))
    net, trips, _, _ = load("SiouxFalls")
    base = assign(net, trips, gap=1e-5)
    same_top, same_set = 0, 0
    for _, row in ref.iterrows():
        pairs = [tuple(int(n) - 1 for n in p.split("-")) for p in row["closed"].split("+")]
        keep = np.ones(net.n_links, bool)
        for a, b in pairs:
            keep &= ~((net.init == a) & (net.term == b))
        sub = read_network(reference_file("transport/SiouxFalls/SiouxFalls_net.tntp"))
        for k in ("init", "term", "capacity", "length", "fftt", "b", "power", "toll"):
            setattr(sub, k, getattr(sub, k)[keep])
        r = assign(sub, trips, gap=1e-5)
        assert r.unreachable_demand == 0
        assert r.tstt == pytest.approx(row["tstt"], rel=0.003)
        gain = r.flows - base.flows[keep]
        top = [f"{a + 1}-{b + 1}" for a, b in zip(sub.init[np.argsort(-gain)[:3]], sub.term[np.argsort(-gain)[:3]])]
        gainers = [g.split(":") for g in ast.literal_eval(row["top_gainers"])]
        theirs = [g[0] for g in gainers]
        # A near tie (the two directions of one street within 1 % of each other) may swap at gap 1e-5.
        tie = abs(float(gainers[0][1]) - float(gainers[1][1])) <= 0.01 * abs(float(gainers[0][1]))
        same_top += top[0] == theirs[0] or (tie and top[0] == theirs[1])
        same_set += set(top) == set(theirs)
    assert same_top == len(ref)
    assert same_set >= 0.9 * len(ref)
