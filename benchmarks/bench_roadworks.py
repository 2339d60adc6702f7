"""Roadworks scenarios, as a workshop runs them: the first variant (road network, gravity demand and
baseline equilibrium computed, then the works) and the next variant on the same territory (the
baseline kept, the works' equilibrium started from its paths), each the whole scenario (peak and
off-peak levels, baseline and works, at relative gap 1e-4), on Redon and on a SYNTHETIC 100,000-edge
street grid with one building per block (the gravity demand's zones grouped to at most 300). The
grid runs in a fresh process whose peak memory is reported. Prints one JSON document.

    python benchmarks/bench_roadworks.py [--grid 159]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

from _measure import measure  # noqa: E402
from bench_sensor_scale import write_grid_osm  # noqa: E402
from twin.scenarios.roadworks import Roadworks  # noqa: E402
from twin.seeds import load_default  # noqa: E402
from twin.territory import Territory  # noqa: E402


def _two_variants(territory, first: str, second: str) -> dict:
    """The scenario run for a first closure (nothing kept) and then for a second one."""
    from twin.scenarios import roadworks  # noqa: PLC0415

    roadworks._BASELINES.clear()
    roadworks._INPUTS.clear()
    t0 = time.perf_counter()
    # peak + off-peak, as issue 21 measures the large territory (the model's default is hour by hour)
    one = Roadworks(streets=[first], gap=1e-4, day_method="peak+off-peak").run(territory)
    first_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    two = Roadworks(streets=[second], gap=1e-4, day_method="peak+off-peak").run(territory)
    next_s = time.perf_counter() - t0
    road, demand = roadworks.territory_traffic(territory)
    od = demand.combined()
    return {"first_variant_s": round(first_s, 2), "next_variant_s": round(next_s, 2),
            "edges": len(road.edges), "nodes": len(road.nodes), "zones": int(od["origin"].nunique()),
            "od_pairs": len(od), "demand_veh_h": round(float(od["demand"].sum()), 1),
            "first": {"closed": first, "vehicle_hours_lost_peak": round(one.value("vehicle_hours_peak", "works")
                                                                        - one.value("vehicle_hours_peak"), 1)},
            "next": {"closed": second, "vehicle_hours_lost_peak": round(two.value("vehicle_hours_peak", "works")
                                                                        - two.value("vehicle_hours_peak"), 1),
                     "trips_without_route_peak": two.value("trips_without_route_peak", "works")}}


def _grid_case(n: int) -> dict:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "grid.osm"
        write_grid_osm(path, n, buildings=True)
        t0 = time.perf_counter()
        grid = Territory.from_osm(path)
        build_s = time.perf_counter() - t0
    return {"synthetic": True, "build_territory_s": round(build_s, 2),
            **_two_variants(grid, f"Avenue {n // 2}", f"Rue {n // 3}")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--grid", type=int, default=159)
    args = ap.parse_args()
    # the grid first: a process forked after numba's threads have started would crash
    grid = measure(_grid_case, args.grid)
    redon = load_default()
    Roadworks(streets=["Quai Saint-Jacques"]).run(redon)  # compile and warm
    out = {"redon": _two_variants(redon, "Quai Saint-Jacques", "Rue des Douves"), "grid": grid}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
