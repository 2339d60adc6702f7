"""Detour scenarios: time on Redon (the Quai Saint-Jacques closed), and on a SYNTHETIC 100,000-edge
street grid (200 zones, seeded random demand, a central avenue closed), baseline + works each an
equilibrium at relative gap 1e-3. Prints one JSON document.

    python benchmarks/bench_roadworks.py [--grid 159]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

from bench_sensor_scale import write_grid_osm  # noqa: E402
from twin.models.demand import road_network  # noqa: E402
from twin.models.traffic import assign  # noqa: E402
from twin.scenarios.roadworks import Roadworks  # noqa: E402
from twin.seeds import load_default  # noqa: E402
from twin.territory import Territory  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--grid", type=int, default=159)
    ap.add_argument("--zones", type=int, default=200)
    args = ap.parse_args()
    out = {}
    redon = load_default()
    s = Roadworks(streets=["Quai Saint-Jacques"])
    s.run(redon)  # compile and warm the caches
    t0 = time.perf_counter()
    s.run(redon)
    out["redon_quai_saint_jacques"] = {"seconds": round(time.perf_counter() - t0, 3),
                                       "assignments": 4, "edges": redon.graphs["drive"].number_of_edges()}
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "grid.osm"
        write_grid_osm(path, args.grid)
        t0 = time.perf_counter()
        grid = Territory.from_osm(path)
        build_s = time.perf_counter() - t0
    road = road_network(grid.graphs["drive"])
    rng = np.random.default_rng(11)
    zones = rng.choice(len(road.nodes), args.zones, replace=False)
    o, dd = np.meshgrid(zones, zones, indexing="ij")
    mask = o != dd
    od = pd.DataFrame({"origin": o[mask], "destination": dd[mask],
                       "demand": rng.gamma(1.0, 4.0, mask.sum())})
    t0 = time.perf_counter()
    base = assign(road.to_tntp(), od, gap=1e-3)
    base_s = time.perf_counter() - t0
    closed = np.array([n == f"Avenue {args.grid // 2}" for n in road.names])
    net = road.to_tntp()
    for k in ("init", "term", "capacity", "length", "fftt", "b", "power", "toll"):
        setattr(net, k, getattr(net, k)[~closed])
    t0 = time.perf_counter()
    works = assign(net, od, gap=1e-3)
    works_s = time.perf_counter() - t0
    out["grid"] = {"synthetic": True, "edges": len(road.edges), "nodes": len(road.nodes), "zones": args.zones,
                   "od_pairs": int(mask.sum()), "demand_veh_h": round(float(od["demand"].sum()), 1),
                   "build_territory_s": round(build_s, 2), "baseline_assign_s": round(base_s, 2),
                   "baseline_iterations": base.iterations, "works_assign_s": round(works_s, 2),
                   "works_iterations": works.iterations, "closed_edges": int(closed.sum()),
                   "detour_total_s": round(base_s + works_s, 2),
                   "vehicle_hours_lost": round(works.tstt - base.tstt, 2),
                   "unreachable_after": works.unreachable_demand}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
