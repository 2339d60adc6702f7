"""Traffic assignment speed: twin's bi-conjugate Frank–Wolfe and its path-based gradient projection
side by side with AequilibraE's ``bfw`` (one core each) on the TransportationNetworks cases, at
relative gaps 1e-4 and 1e-5, with the distance of each solution's link flows to the best-known ones.

AequilibraE is only a yardstick here (`pip install aequilibrae` in the same environment);
twin never imports it. Prints one JSON document on stdout (the peer's progress bars go to stderr).

    python benchmarks/bench_traffic.py [--networks SiouxFalls Chicago-Sketch] [--gaps 1e-4 1e-5]
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

os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # one core, like the peer
ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("TWIN_REFERENCE_DATA", ROOT.parent / "shared" / "data"))
sys.path.insert(0, str(ROOT))

from twin.models.traffic import assign  # noqa: E402
from twin.sources.tntp import read_flows, read_network, read_trips  # noqa: E402

NETWORKS = {"SiouxFalls": ("SiouxFalls_net.tntp", "SiouxFalls_trips.tntp", 0.0, 4231335.287, "SiouxFalls_flow.tntp"),
            "Anaheim": ("Anaheim_net.tntp", "Anaheim_trips.tntp", 0.0, 1286032.171, "Anaheim_flow.tntp"),
            "Chicago-Sketch": ("ChicagoSketch_net.tntp", "ChicagoSketch_trips.tntp.gz", 0.04, 17313018.739,
                               "ChicagoSketch_flow.tntp")}


def _summary(r, bko, bks):
    return {"seconds": round(r.seconds, 3), "iterations": r.iterations, "relative_gap": r.relative_gap,
            "objective_rel_error": r.objective / bko - 1,
            "flow_rel_rmse": float(np.sqrt(np.mean((r.flows - bks) ** 2)) / bks.mean()),
            "flow_rel_l2": float(np.linalg.norm(r.flows - bks) / np.linalg.norm(bks))}


def aequilibrae_run(net, trips, gap, bks=None):
    from aequilibrae.matrix import AequilibraeMatrix  # noqa: PLC0415
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass  # noqa: PLC0415

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
    ta.set_cores(1)
    ta.set_algorithm("bfw")
    ta.max_iter = 100000
    ta.rgap_target = gap
    t0 = time.perf_counter()
    ta.execute()
    seconds = time.perf_counter() - t0
    report = ta.report()
    out = {"seconds": round(seconds, 3), "iterations": int(report["iteration"].max()),
           "relative_gap": float(report["rgap"].iloc[-1])}
    if bks is not None:
        res = ta.results()  # columns "<matrix name>_tot": our matrix is called "demand"
        loads = res["demand_tot"].reindex(np.arange(1, net.n_links + 1)).fillna(0).to_numpy()
        out["flow_rel_rmse"] = float(np.sqrt(np.mean((loads - bks) ** 2)) / bks.mean())
        out["flow_rel_l2"] = float(np.linalg.norm(loads - bks) / np.linalg.norm(bks))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--networks", nargs="+", default=["SiouxFalls", "Anaheim", "Chicago-Sketch"])
    ap.add_argument("--gaps", nargs="+", type=float, default=[1e-4, 1e-5])
    args = ap.parse_args()
    out = {"cores": 1, "runs": []}
    for name in args.networks:
        net_f, trips_f, w, bko, flow_f = NETWORKS[name]
        net = read_network(REFERENCE / "transport" / name / net_f, distance_weight=w)
        trips = read_trips(REFERENCE / "transport" / name / trips_f, net.n_nodes)
        bks = read_flows(REFERENCE / "transport" / name / flow_f)["volume"].to_numpy()
        assign(net, trips, gap=1e-2)  # compile and warm
        assign(net, trips, gap=1e-2, algorithm="gp")
        for gap in args.gaps:
            r = assign(net, trips, gap=gap)
            gp = assign(net, trips, gap=gap, algorithm="gp")
            row = {"network": name, "gap": gap, "twin": _summary(r, bko, bks), "twin_gp": _summary(gp, bko, bks)}
            try:
                row["aequilibrae_bfw"] = aequilibrae_run(net, trips, gap, bks)
                row["aequilibrae_time_over_twin"] = round(row["aequilibrae_bfw"]["seconds"] / r.seconds, 2)
                row["aequilibrae_time_over_twin_gp"] = round(row["aequilibrae_bfw"]["seconds"] / gp.seconds, 2)
            except ImportError:
                row["aequilibrae_bfw"] = "not installed: pip install aequilibrae"
            except Exception as exc:  # noqa: BLE001 - a peer failure is reported, not fatal
                row["aequilibrae_bfw"] = f"failed: {type(exc).__name__}: {exc}"
            out["runs"].append(row)
            print(json.dumps(row), file=sys.stderr)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
