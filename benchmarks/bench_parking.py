"""Parking search agents, timed: Redon's town centre over one weekday (00:00–24:00) with its full prior
demand, and a SYNTHETIC grid town ten times Redon's streets (and ten times its drivers); then the
occupancy–search-time sweep on the grid town (Levy, Martens & Benenson 2013's experiment). Each case
runs in a fresh process whose peak memory is reported. No peer: no maintained parking-search
simulator runs in Python beside ours. Prints one JSON document.

    python benchmarks/bench_parking.py [--turnover 4] [--sweep]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

from _measure import measure  # noqa: E402


def _day(supply, demand, seed=0, occupancy_start=0.3) -> dict:
    from twin.models.parking import ParkingModel  # noqa: PLC0415

    t0 = time.perf_counter()
    m = ParkingModel(supply, demand, seed=seed, start_h=0, end_h=24, occupancy_start=occupancy_start).run()
    seconds = time.perf_counter() - t0
    r = m.results()
    busiest = max((float((k + p) / max(supply.total_spaces, 1)) for _, k, p, _ in m.hourly), default=0.0)
    return {"model_seconds": round(seconds, 2), "steps": int(24 * 3600 / m.rules.step_s),
            "nodes": supply.n_nodes, "edges": len(supply.tail), "spaces": supply.total_spaces,
            "drivers": r["arrived"], "parked": r["parked"], "gave_up": r["gave_up"],
            "search_mean_min": round(r["search_mean_min"], 2), "cruising_vkm": round(r["cruising_vkm"], 1),
            "peak_hour_occupancy": round(busiest, 3)}


def redon_case(turnover: float) -> dict:
    from twin.scenarios.parking_supply import build  # noqa: PLC0415
    from twin.seeds import load_default  # noqa: PLC0415

    supply, demand, _ = build(load_default(), turnover=turnover)
    return {"territory": "redon", "turnover": turnover, **_day(supply, demand)}


def grid_case(scale: int, redon_edges: int, redon_drivers_per_hour: np.ndarray, redon_stays_h: np.ndarray) -> dict:
    """A grid with about ``scale`` × Redon's directed edges, as many spaces per edge (8, car parks included),
    and ``scale`` × its arrivals, hour by hour, with its stays."""
    from dataclasses import replace  # noqa: PLC0415

    from twin.synthetic.parking_grid import grid_town  # noqa: PLC0415

    n = int(round((1 + np.sqrt(1 + scale * redon_edges)) / 2))  # 4 n (n − 1) directed edges
    supply, demand = grid_town(n=n, spaces_per_kerb=8)
    demand = replace(demand, arrivals_per_hour=scale * redon_drivers_per_hour, stay_mean_h=redon_stays_h)
    return {"territory": f"SYNTHETIC grid {n}×{n}", "scale": scale, **_day(supply, demand)}


def sweep_case(rates) -> dict:
    """Mean search time against occupancy on the uniform grid town (3 h warm-up, 3 h measured)."""
    from twin.models.parking import ParkingModel  # noqa: PLC0415
    from twin.synthetic.parking_grid import grid_town  # noqa: PLC0415

    points = []
    for rate in rates:
        supply, demand = grid_town(n=12, arrivals_per_hour=rate, margin=0)
        m = ParkingModel(supply, demand, seed=1, start_h=0, end_h=3).run()
        before, t0 = m.occupied_s.copy(), m.time_s
        m.end_s = 6 * 3600
        m.run()
        occupancy = float(((m.occupied_s - before) / (m.time_s - t0)).sum() / supply.spaces.sum())
        late = [d for d in m.done if d[0] >= 3 * 3600]
        search = [d[1] / 60 for d in late if d[4] == "left"]
        points.append({"arrivals_per_hour": rate, "occupancy": round(occupancy, 3),
                       "search_mean_min": round(float(np.mean(search)), 2),
                       "search_p90_min": round(float(np.quantile(search, 0.9)), 2),
                       "gave_up_share": round(sum(d[4] == "gave_up" for d in late) / max(len(late), 1), 4)})
    return {"grid": "SYNTHETIC 12×12, 100 m blocks, 8 spaces per kerb, uniform destinations", "points": points}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--turnover", type=float, default=4.0)
    ap.add_argument("--scale", type=int, default=10)
    ap.add_argument("--sweep", action="store_true", help="also the occupancy–search-time sweep")
    args = ap.parse_args()
    redon = measure(redon_case, args.turnover)
    from twin.scenarios.parking_supply import build  # noqa: PLC0415
    from twin.seeds import load_default  # noqa: PLC0415

    supply, demand, _ = build(load_default(), turnover=args.turnover)
    grid = measure(grid_case, args.scale, len(supply.tail), demand.arrivals_per_hour, demand.stay_mean_h)
    out = {"redon_weekday": redon, "grid_10x": grid}
    if args.sweep:
        out["occupancy_search_sweep"] = measure(sweep_case, (1000, 1400, 1600, 1800, 1900, 2000, 2100, 2200))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
