"""Traffic assignment speed: twin's path-based gradient projection (``gp``) and its bi-conjugate
Frank–Wolfe (``bfw``) side by side with AequilibraE's ``bfw`` on the TransportationNetworks cases
(Berlin-Center: 12,981 nodes, 28,376 links, 865 zones), at relative gaps 1e-4 and 1e-5, on one
core each and on two; then a closure warm-started from the baseline against a cold start.

Every case runs in a fresh process (forked after the network is read; the solver compiled or loaded
from numba's cache before the clock starts) that reports its time and its peak resident memory
(``peak_rss_mib``: the process's whole footprint, the network and Python included). With
best-known flows (TNTP ``*_flow.tntp``), the distance of each solution's link flows to them; without,
the objective against the peer's (Beckmann, computed by twin from the peer's flows).

Closures (``--closure``): the baseline (gp at the gap), the busiest link between thru nodes closed in
both directions, the variant from the baseline's paths and from scratch (same gap), and a cold
start at 1e-6 as the reference for the flows (relative L2 distance). Then a sample of other closures
(``--closure-sample K``, seeded): K links drawn among the busiest quarter of the thru links, each closed
both ways, warm against cold at the same gap, each with its flows' distance to a cold start at 1e-6,
the median and the largest time ratio, and the share of closures within a quarter of the cold time
with flows within 0.5 %: roadworks close all kinds of streets, and the busiest one is the hardest case.

AequilibraE is only a yardstick here (`pip install aequilibrae` in the same environment);
twin never imports it. Prints one JSON document on stdout (the peer's progress bars go to stderr).

    python benchmarks/bench_traffic.py [--networks SiouxFalls Berlin-Center] [--gaps 1e-4 1e-5]
                                       [--cores 1 2] [--closure-gaps 1e-4 1e-5] [--closure-sample 8]
                                       [--no-peer]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("TWIN_REFERENCE_DATA", ROOT.parent / "shared" / "data"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _measure import measure  # noqa: E402

from twin.models.traffic import assign  # noqa: E402
from twin.models.traffic_graph import beckmann  # noqa: E402
from twin.sources.tntp import read_flows, read_network, read_trips  # noqa: E402

# directory: net file, trips file, distance weight, best-known objective, best-known flows (or None)
NETWORKS = {"SiouxFalls": ("SiouxFalls_net.tntp", "SiouxFalls_trips.tntp", 0.0, 4231335.287, "SiouxFalls_flow.tntp"),
            "Anaheim": ("Anaheim_net.tntp", "Anaheim_trips.tntp", 0.0, 1286032.171, "Anaheim_flow.tntp"),
            "Chicago-Sketch": ("ChicagoSketch_net.tntp", "ChicagoSketch_trips.tntp.gz", 0.04, 17313018.739,
                               "ChicagoSketch_flow.tntp"),
            "Berlin-Center": ("berlin-center_net.tntp", "berlin-center_trips.tntp", 0.0, None, None)}
LOADED: dict = {}  # name → (net, trips, best-known flows or None): read once, shared by the forked cases


def load(name):
    if name not in LOADED:
        net_f, trips_f, w, _, flow_f = NETWORKS[name]
        d = REFERENCE / "transport" / name
        net = read_network(d / net_f, distance_weight=w)
        trips = read_trips(d / trips_f, net.n_nodes)
        bks = read_flows(d / flow_f)["volume"].to_numpy() if flow_f else None
        LOADED[name] = (net, trips, bks)
    return LOADED[name]


def _threads(cores):
    import numba  # noqa: PLC0415

    numba.set_num_threads(min(cores, numba.config.NUMBA_NUM_THREADS))


def _flow_figures(net, flows, bks, bko) -> dict:
    out = {"objective": beckmann(net, flows)}
    if bko:
        out["objective_rel_error"] = out["objective"] / bko - 1
    if bks is not None:
        out["flow_rel_rmse"] = float(np.sqrt(np.mean((flows - bks) ** 2)) / bks.mean())
        out["flow_rel_l2"] = float(np.linalg.norm(flows - bks) / np.linalg.norm(bks))
    return out


def twin_case(name, algorithm, gap, cores):
    _threads(cores)
    net, trips, bks = load(name)
    assign(net, trips, gap=1e-1, algorithm=algorithm)  # compiled or loaded from the cache, off the clock
    r = assign(net, trips, gap=gap, algorithm=algorithm)
    return {"time_s": round(r.seconds, 3), "iterations": r.iterations, "relative_gap": r.relative_gap,
            **_flow_figures(net, r.flows, bks, NETWORKS[name][3])}


def aequilibrae_case(name, gap, cores):
    from aequilibrae.matrix import AequilibraeMatrix  # noqa: PLC0415
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass  # noqa: PLC0415

    net, trips, bks = load(name)
    g = Graph()
    g.network = pd.DataFrame({
        "link_id": np.arange(1, net.n_links + 1), "a_node": net.init + 1, "b_node": net.term + 1,
        "direction": np.ones(net.n_links, int), "capacity": net.capacity,
        # The peer refuses zero free-flow times (connectors): give them 1e-8, which changes nothing else.
        "free_flow_time": np.maximum(net.fftt, 1e-8),
        "b": net.b, "power": net.power, "distance": net.length})
    g.prepare_graph(np.arange(1, net.n_zones + 1))
    g.set_graph("free_flow_time")
    g.set_skimming(["free_flow_time"])
    g.set_blocked_centroid_flows(net.first_thru_node > 1)
    z = net.n_zones
    od = np.zeros((z, z))
    od[trips["origin"].to_numpy(), trips["destination"].to_numpy()] = trips["demand"].to_numpy()
    mat = AequilibraeMatrix()
    mat.create_empty(zones=z, matrix_names=["demand"], memory_only=True)
    mat.index[:] = np.arange(1, z + 1)
    mat.matrices[:, :, 0] = od
    mat.computational_view(["demand"])
    tc = TrafficClass("car", g, mat)
    if net.distance_weight:
        tc.set_fixed_cost("distance", net.distance_weight)
    ta = TrafficAssignment()
    ta.add_class(tc)
    ta.set_vdf("BPR")
    ta.set_vdf_parameters({"alpha": "b", "beta": "power"})
    ta.set_capacity_field("capacity")
    ta.set_time_field("free_flow_time")
    ta.set_cores(cores)
    ta.set_algorithm("bfw")
    ta.max_iter = 100000
    ta.rgap_target = gap
    t0 = time.perf_counter()
    ta.execute()
    seconds = time.perf_counter() - t0
    report = ta.report()
    res = ta.results()  # columns "<matrix name>_tot": our matrix is called "demand"
    loads = res["demand_tot"].reindex(np.arange(1, net.n_links + 1)).fillna(0).to_numpy()
    return {"time_s": round(seconds, 3), "iterations": int(report["iteration"].max()),
            "relative_gap": float(report["rgap"].iloc[-1]), **_flow_figures(net, loads, bks, NETWORKS[name][3])}


def busiest_closure(net, flows):
    """The busiest link between two thru nodes and its reverse (a main street closed both ways)."""
    thru = (net.init >= net.first_thru_node - 1) & (net.term >= net.first_thru_node - 1)
    k = int(np.argmax(np.where(thru, flows, -1.0)))
    u, v = net.init[k], net.term[k]
    return ((net.init == u) & (net.term == v)) | ((net.init == v) & (net.term == u))


def sampled_closures(net, flows, k: int, seed: int = 1) -> list[np.ndarray]:
    """``k`` links drawn (seeded) among the busiest quarter of the links between thru nodes, each with its
    reverse."""
    thru = (net.init >= net.first_thru_node - 1) & (net.term >= net.first_thru_node - 1)
    busy = np.flatnonzero(thru & (flows > np.percentile(flows[thru], 75)))
    picks = np.random.default_rng(seed).choice(busy, min(k, len(busy)), replace=False)
    return [((net.init == net.init[i]) & (net.term == net.term[i]))
            | ((net.init == net.term[i]) & (net.term == net.init[i])) for i in picks]


def closure_sample_case(name, gap, cores, sample):
    """Warm against cold for ``sample`` drawn closures (:func:`sampled_closures`), one after another."""
    _threads(cores)
    net, trips, _ = load(name)
    assign(net, trips, gap=1e-1, algorithm="gp", baseline=True)  # compiled, the orders' code too
    base = assign(net, trips, gap=gap, algorithm="gp", baseline=True)
    sampled = []
    for other in sampled_closures(net, base.flows, sample):
        w = assign(net, trips, gap=gap, algorithm="gp", closed=other, start=base.paths)
        c = assign(net, trips, gap=gap, algorithm="gp", closed=other)
        ref = assign(net, trips, gap=1e-6, algorithm="gp", closed=other).flows  # off the clock: the flows' yardstick
        sampled.append({"closed_links": [f"{net.init[i] + 1}-{net.term[i] + 1}" for i in np.flatnonzero(other)],
                        "flow_on_them_before": round(float(base.flows[other].sum()), 1),
                        "warm_s": round(w.seconds, 3), "cold_s": round(c.seconds, 3),
                        "warm_iterations": w.iterations, "cold_iterations": c.iterations,
                        "warm_time_over_cold": round(w.seconds / c.seconds, 3),
                        "warm_flow_rel_l2_vs_cold_1e-6": round(float(np.linalg.norm(w.flows - ref) / np.linalg.norm(ref)), 5),
                        "cold_flow_rel_l2_vs_cold_1e-6": round(float(np.linalg.norm(c.flows - ref) / np.linalg.norm(ref)), 5)})
        del w, c, ref
    ratios = [r["warm_time_over_cold"] for r in sampled]
    return {"closures": sampled, "median_warm_time_over_cold": float(np.median(ratios)) if ratios else None,
            "max_warm_time_over_cold": max(ratios, default=None),
            "share_within_a_quarter_and_l2_0.5pct": (sum(r["warm_time_over_cold"] <= 0.25
                                                         and r["warm_flow_rel_l2_vs_cold_1e-6"] <= 0.005
                                                         for r in sampled) / len(sampled)) if sampled else None}


def closure_case(name, gap, cores):
    _threads(cores)
    net, trips, _ = load(name)
    assign(net, trips, gap=1e-1, algorithm="gp", baseline=True)  # compiled, the orders' code too
    base = assign(net, trips, gap=gap, algorithm="gp", baseline=True)
    closed = busiest_closure(net, base.flows)
    warm = assign(net, trips, gap=gap, algorithm="gp", closed=closed, start=base.paths)
    cold = assign(net, trips, gap=gap, algorithm="gp", closed=closed)
    ref = assign(net, trips, gap=1e-6, algorithm="gp", closed=closed, start=warm.paths)
    ref_cold = assign(net, trips, gap=1e-6, algorithm="gp", closed=closed)

    def run(r):
        return {"time_s": round(r.seconds, 3), "iterations": r.iterations, "relative_gap": r.relative_gap,
                "objective": r.objective, "unreachable_demand": r.unreachable_demand,
                "flow_rel_l2_vs_cold_1e-6": float(np.linalg.norm(r.flows - ref_cold.flows)
                                                  / np.linalg.norm(ref_cold.flows))}

    return {"closed_links": [f"{net.init[i] + 1}-{net.term[i] + 1}" for i in np.flatnonzero(closed)],
            "flow_on_them_before": float(base.flows[closed].sum()),
            "baseline": run(base) | {"flow_rel_l2_vs_cold_1e-6": None}, "variant_warm": run(warm),
            "variant_cold": run(cold), "warm_time_over_cold": round(warm.seconds / cold.seconds, 3),
            "reference_1e-6": {"cold_s": round(ref_cold.seconds, 3), "from_warm_s": round(ref.seconds, 3),
                               "warm_vs_cold_flow_rel_l2": float(np.linalg.norm(ref.flows - ref_cold.flows)
                                                                 / np.linalg.norm(ref_cold.flows))}}


def _ratio(a, b):
    return round(a["time_s"] / b["time_s"], 3) if isinstance(a, dict) and isinstance(b, dict) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--networks", nargs="*", default=list(NETWORKS))
    ap.add_argument("--gaps", nargs="+", type=float, default=[1e-4, 1e-5])
    ap.add_argument("--cores", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--closure-gaps", nargs="*", type=float, default=[1e-4, 1e-5])
    ap.add_argument("--closure-networks", nargs="*", default=["Berlin-Center"])
    ap.add_argument("--closure-sample", type=int, default=8, help="other closures drawn, warm against cold")
    ap.add_argument("--no-peer", action="store_true")
    args = ap.parse_args()
    out = {"machine_cores": os.cpu_count(), "runs": [], "closures": []}
    for name in args.networks:
        load(name)
        for cores in args.cores:
            for gap in args.gaps:
                row = {"network": name, "gap": gap, "cores": cores,
                       "twin_gp": measure(twin_case, name, "gp", gap, cores),
                       "twin_bfw": measure(twin_case, name, "bfw", gap, cores)}
                if not args.no_peer:
                    try:
                        import aequilibrae  # noqa: F401, PLC0415
                        row["aequilibrae_bfw"] = measure(aequilibrae_case, name, gap, cores)
                    except ImportError:
                        row["aequilibrae_bfw"] = "not installed: pip install aequilibrae"
                    except Exception as exc:  # noqa: BLE001 - a peer failure is reported, not fatal
                        row["aequilibrae_bfw"] = f"failed: {type(exc).__name__}: {exc}"
                peer = row.get("aequilibrae_bfw")
                row["twin_gp_time_over_aequilibrae"] = _ratio(row["twin_gp"], peer)
                row["twin_bfw_time_over_aequilibrae"] = _ratio(row["twin_bfw"], peer)
                if isinstance(peer, dict):
                    row["twin_gp_objective_minus_aequilibrae"] = row["twin_gp"]["objective"] - peer["objective"]
                out["runs"].append(row)
                print(json.dumps(row), file=sys.stderr)
    for name in args.closure_networks:
        load(name)
        for gap in args.closure_gaps:
            row = {"network": name, "gap": gap, "cores": 1, **measure(closure_case, name, gap, 1)}
            if args.closure_sample:
                row["sample"] = measure(closure_sample_case, name, gap, 1, args.closure_sample)
            out["closures"].append(row)
            print(json.dumps(row), file=sys.stderr)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
