"""Street lighting at department scale: one year at one-minute resolution for 100,000 lamps.

Lamps are SYNTHETIC, spread uniformly over a Morbihan-sized box (1.5° × 0.8°), 40 % of
them dimmable, half of them on an "off 23:00–05:00" schedule and half on "dimmed 50 %
from 22:00". Prints one JSON document: time and peak memory for growing parks and periods.
There is no peer library for this; the figures stand alone.

    python benchmarks/bench_lighting.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from _measure import measure  # noqa: E402
from twin.models.lighting import MinuteGrid, Schedule, simulate_park  # noqa: E402

SCHEDULES = [Schedule("off 23-05", off_windows=[("23:00", "05:00")]),
             Schedule("dim 50 % from 22:00", dimming=[("22:00", "06:00", 0.5)])]


def run(n_lamps: int, years: int):
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(-3.6, -2.1, n_lamps), rng.uniform(47.4, 48.2, n_lamps)
    grid = MinuteGrid.between("2024-01-01", f"{2024 + years}-01-01")
    power = rng.choice([35.0, 70.0, 100.0, 150.0], n_lamps)
    r = simulate_park(lon, lat, rng.random(n_lamps) < 0.4, rng.integers(0, 2, n_lamps), SCHEDULES, grid)
    return {"lamps": n_lamps, "years": years, "minutes": grid.n, "groups": r.groups,
            "energy_mwh": round(float((power * r.equivalent_hours).sum() / 1e6), 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    cases = [(10_000, 1), (100_000, 1)] if args.quick else \
        [(10_000, 1), (100_000, 1), (300_000, 1), (100_000, 2), (100_000, 3)]
    rows = []
    for n, years in cases:
        rows.append(measure(run, n, years))
        print(f"  {n} lamps × {years} yr: {rows[-1]['seconds']:.2f} s", file=sys.stderr)
    print(json.dumps({"synthetic": True, "resolution": "1 min", "runs": rows}, indent=2))


if __name__ == "__main__":
    main()
