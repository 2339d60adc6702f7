"""LeakDB Net1 (issue 22): F1, true positive and negative rates and early-detection score of the two
leak detectors over LeakDB's scenarios, each a SYNTHETIC year at 30 min simulated on dask's
LocalCluster. Prints one JSON document.

LeakDB's own SCADA files are not mirrored here; its leak list (969 leaks in 739 of 1000 scenarios:
junction, diameter, type, start, peak, end) and its Net1 are (``../shared/data/water/leakdb``). Each
scenario is simulated by :mod:`twin.synthetic.water_scada` (EPANET, leaks as emitters, daily demand
factors, sensor noise; seed = the scenario's number) with pressure at every junction, flow in every
link and the tank's level, as LeakDB gives. LeakDB's Net1 has no demand pattern: EPANET's own Net1
pattern (12 two-hour multipliers, ``epanet_networks/Net1.inp``) is given to every junction.

Thresholds: the detectors' label thresholds are chosen with ``--calibrate`` on the *leak-free* scenarios
among 101–300 (the lowest giving a true-negative rate ≥ 0.99 there), never on the scored scenarios
1–``--scenarios``. A recovery check on our generator, not LeakDB's published data.

    python benchmarks/bench_leakdb.py [--scenarios 100] [--workers 2]
    python benchmarks/bench_leakdb.py --calibrate
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("TWIN_REFERENCE_DATA", ROOT.parent / "shared" / "data"))
sys.path.insert(0, str(ROOT))
LEAKDB = REFERENCE / "water" / "leakdb"
START = "2017-01-01"
PRESSURE_THRESHOLDS = (2.0, 3.0, 4.0, 6.0, 8.0)
RISES = (0.05, 0.1, 0.2, 0.3, 0.5)


def network():
    import wntr

    wn = wntr.network.WaterNetworkModel(str(LEAKDB / "LeakDB_Net1.inp"))
    net1 = wntr.network.WaterNetworkModel(str(REFERENCE / "water" / "epanet_networks" / "Net1.inp"))
    pattern = net1.get_pattern("1")
    wn.add_pattern("net1", pattern.multipliers)
    wn.options.time.pattern_timestep = net1.options.time.pattern_timestep
    for name in wn.junction_name_list:
        for demand in wn.get_node(name).demand_timeseries_list:
            demand.pattern_name = "net1"
    return wn


def one_scenario(scenario: int, pressure_thresholds=(2.0,), rises=(0.05,)) -> dict:
    """Simulate a scenario's year and label it with each threshold: {labels…, truth} as lists of 0/1."""
    from twin.cli.water_leaks import reservoir_links, tank_areas
    from twin.models import water_leaks as detect
    from twin.models.water_leak_score import leak_labels
    from twin.sources.scada import read_leakdb_leaks
    from twin.synthetic.water_scada import Sensors, simulate

    wn = network()
    leaks = read_leakdb_leaks(LEAKDB / "leakdb_net1_leaks.csv", scenario, start=START)
    sensors = Sensors(pressures=tuple(wn.junction_name_list), flows=tuple(wn.link_name_list),
                      levels=tuple(wn.tank_name_list))
    scada = simulate(wn, leaks, START, "2018-01-01", sensors, seed=scenario, step_s=1800)
    index = scada["pressures"].index
    inflow = detect.net_inflow(scada["flows"], scada["levels"], reservoir_links(wn), tank_areas(wn))
    out = {"scenario": scenario, "leaks": len(leaks), "truth": leak_labels(leaks, index).tolist()}
    for h in pressure_thresholds:
        out[f"pressure_{h}"] = detect.pressure_labels(scada["pressures"], threshold=h).to_numpy().astype(int).tolist()
    for rise in rises:
        out[f"night_{rise}"] = detect.night_flow_labels(inflow, rise=rise).to_numpy().astype(int).tolist()
    return out


def run(scenarios: list[int], workers: int, **thresholds) -> tuple[list[dict], float]:
    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        futures = client.map(one_scenario, scenarios, **thresholds, pure=False)
        results = client.gather(futures)
    return results, round(time.perf_counter() - t0, 1)


def main() -> None:
    import numpy as np
    import pandas as pd

    from twin.models.water_leak_score import leakdb_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--calibrate", action="store_true")
    args = ap.parse_args()
    listed = set(pd.read_csv(LEAKDB / "leakdb_net1_leaks.csv")["scenario"])
    if args.calibrate:
        clean = [s for s in range(101, 301) if s not in listed][:20]
        results, seconds = run(clean, args.workers, pressure_thresholds=PRESSURE_THRESHOLDS, rises=RISES)
        out = {"leak_free_scenarios": clean, "seconds": seconds}
        for key in [k for k in results[0] if k.startswith(("pressure_", "night_"))]:
            out[key] = {"tnr": round(1 - float(np.mean([np.mean(r[key]) for r in results])), 4)}
        print(json.dumps(out, indent=1))
        return
    scenarios = list(range(1, args.scenarios + 1))
    results, seconds = run(scenarios, args.workers)
    truth = [np.array(r["truth"]) for r in results]
    out = {"scenarios": len(scenarios), "leaky_scenarios": sum(r["leaks"] > 0 for r in results),
           "leaks": sum(r["leaks"] for r in results), "steps_per_scenario": len(truth[0]),
           "workers": args.workers, "seconds": seconds, "data": "SYNTHETIC (twin.synthetic.water_scada)"}
    for key, name in (("pressure_2.0", "pressure_residuals"), ("night_0.05", "night_flow_baseline")):
        out[name] = leakdb_score([np.array(r[key]) for r in results], truth)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
