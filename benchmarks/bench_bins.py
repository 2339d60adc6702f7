"""Litter-bin collection at town scale: the SimPy simulation with daily rounds, and an ensemble.

1. Growth with bins and days: SYNTHETIC bins on a SYNTHETIC street grid (100 m blocks,
   two-way streets), rates lognormal around 1 %/h of an 80 l bin, Redon's calibrated hour-of-week
   profile shape replaced by a flat one (the cost does not depend on it). Fixed daily rounds
   (every bin every day, the heaviest fixed policy); the rounds are solved once by PyVRP (5 s
   budget, counted) and reused, as a fixed round is in practice. The target: one year, 1,000 bins
   under 60 s. A threshold policy (rounds re-solved by PyVRP each day) is timed on 28 days.
2. An ensemble of 50 members of the Redon bins scenario, serial (dask's synchronous scheduler)
   and on a LocalCluster of 2 workers (``twin.ensemble``), members per second.

There is no peer library simulating bins; the figures stand alone. Prints one JSON document.

    python benchmarks/bench_bins.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

from _measure import measure  # noqa: E402
from twin.models.vehicle_routing import street_matrices  # noqa: E402
from twin.models.waste import BinSpec, Fleet, Policy, WasteSim  # noqa: E402


def grid_town(n_bins: int, seed: int = 0):
    side = int(np.ceil(np.sqrt(n_bins * 1.2))) + 2
    G = nx.MultiDiGraph()
    for i in range(side):
        for j in range(side):
            G.add_node(i * side + j, x=j * 100.0, y=i * 100.0)
    for i in range(side):
        for j in range(side):
            for di, dj in ((0, 1), (1, 0)):
                if i + di < side and j + dj < side:
                    a, b = i * side + j, (i + di) * side + j + dj
                    G.add_edge(a, b, length=100.0, maxspeed_kmh=30)
                    G.add_edge(b, a, length=100.0, maxspeed_kmh=30)
    rng = np.random.default_rng(seed)
    stops = rng.choice(side * side - 1, n_bins, replace=False) + 1
    D, T = street_matrices(G, [0, *stops.tolist()])
    return D, T


def simulate(n_bins: int, days: int, policy: str = "fixed"):
    t0 = time.perf_counter()
    D, T = grid_town(n_bins)
    t_matrix = time.perf_counter() - t0
    rng = np.random.default_rng(1)
    bins = [BinSpec(f"b{i}", 80.0, 0.8 * float(rng.lognormal(0, 0.5)), np.ones(168)) for i in range(n_bins)]
    trucks = max(1, int(np.ceil(n_bins / 60)))
    fleet = Fleet(D, T, trucks=trucks, capacity_l=3000.0, solver_time_s=5.0 if policy == "fixed" else 1.0)
    t1 = time.perf_counter()
    res = WasteSim(bins, fleet, Policy(policy, tuple(range(7)), 80.0), days=days, seed=2).run()
    L = res.ledger
    return {"bins": n_bins, "days": days, "policy": policy, "trucks": trucks,
            "matrix_s": round(t_matrix, 3), "simulation_s": round(time.perf_counter() - t1, 3),
            "collections": res.collections, "overflow_events": res.overflow_events,
            "truck_km": round(res.truck_km, 1),
            "conservation_error_l": float(L["deposited"] - L["in_bins"] - L["collected"] - L["in_trucks"] - L["litter"])}


def ensemble(members: int):
    from twin.ensemble import run_ensemble

    spec = {"family": "bins", "policy": "predictive", "members": 1, "days": 91}
    out = {}
    for name, scheduler in (("serial", "sync"), ("local_cluster_2_workers", None)):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            ds = run_ensemble(spec, members=members, scheduler=scheduler, out=Path(tmp) / "e.zarr", progress=False,
                              batch_size=10)
            sec = time.perf_counter() - t0
        v = ds["value"].sel(kpi="overflow_bin_hours_per_week")
        out[name] = {"seconds": round(sec, 2), "members_per_s": round(members / sec, 2),
                     "overflow_bin_h_per_week_p5_p50_p95": [round(float(v.isel(variant=1).quantile(q)), 1)
                                                            for q in (0.05, 0.5, 0.95)]}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    args = ap.parse_args()
    sizes = [(100, 91), (300, 91)] if args.quick else \
        [(100, 365), (300, 365), (1000, 91), (1000, 182), (1000, 365)]
    growth = [measure(simulate, n, d) for n, d in sizes]
    threshold = measure(simulate, 300 if args.quick else 1000, 91 if args.quick else 28, "threshold")
    ens = ensemble(8 if args.quick else 50)
    print(json.dumps({"growth_fixed_daily": growth, "threshold_daily": threshold, "ensemble_redon": ens}, indent=1))


if __name__ == "__main__":
    main()
