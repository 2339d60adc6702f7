"""A main break timed on both hydraulic engines, side by side in the same run: EPANET 2.2 (twin's
default, the leak an emitter behind a timed link) and WNTR's Python solver (the peer, its own leak
model). L-Town's p11 (the break of ``tests/test_water.py``: SYNTHETIC N-2 valves, seed 1) and Redon's
SYNTHETIC network under its streets (Rue des Moulins). Each case reports both times, their ratio,
and how far the two answers are apart. Prints one JSON document.

    python benchmarks/bench_water_break.py [--no-redon-wntr]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

KPIS = ("people_without_water", "people_hours_without_water", "people_low_pressure", "demand_not_served_m3",
        "water_lost_m3")


def timed(scenario, territory=None):
    t0 = time.perf_counter()
    out = scenario.run(territory)
    return time.perf_counter() - t0, out


def case(make, territory=None, engines=("epanet", "wntr")) -> dict:
    row = {}
    outs = {}
    for engine in engines:
        try:
            seconds, out = timed(make(engine), territory)
        except Exception as exc:  # noqa: BLE001 - a solver that fails is a result, reported
            row[engine] = f"failed: {type(exc).__name__}: {exc}"
            continue
        name = str(out.data.variant.values[1])
        outs[engine] = out
        row[engine] = {"time_s": round(seconds, 3), **{k: round(out.value(k, name), 3) for k in KPIS}}
    if len(outs) == 2:
        row["epanet_time_over_wntr"] = round(row["epanet"]["time_s"] / row["wntr"]["time_s"], 4)
        a, b = (o.table("water_nodes").set_index(["variant", "node"]) for o in outs.values())
        row["junction_hours_without_water_differ"] = int((a["hours_without_water"] != b["hours_without_water"]).sum())
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-redon-wntr", action="store_true", help="skip WNTR's solver on Redon (about 30 s)")
    args = ap.parse_args()
    from twin.scenarios.water_break import PipeBreak
    from twin.seeds import load_default

    data = Path(os.environ.get("TWIN_REFERENCE_DATA", Path(__file__).resolve().parents[2] / "shared/data"))
    ltown = data / "water/battledim_2018/L-TOWN.inp"
    out = {"machine_cores": os.cpu_count()}
    if ltown.exists():
        out["l_town_p11"] = case(lambda e: PipeBreak(network_file=str(ltown), broken_pipe="p11", valves_missing_per_node=2,
                                                     valve_seed=1, engine=e))
    else:
        out["l_town_p11"] = f"skipped: {ltown} not found (TWIN_REFERENCE_DATA)"
    redon = load_default()
    engines = ("epanet",) if args.no_redon_wntr else ("epanet", "wntr")
    out["redon_synthetic_rue_des_moulins"] = case(lambda e: PipeBreak(broken_street="Rue des Moulins", engine=e),
                                                     redon, engines)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
