"""Drinking water (issue 22): speed of L-Town's hydraulics and of a year of SCADA, and leak detection
on a SYNTHETIC 2018 of L-Town scored by BattLeDIM's rules. Prints one JSON document.

* ``eps_24h`` — a 24 h extended-period simulation of L-Town at its 5-minute step in WNTR's EPANET mode
  (``EpanetSimulator``, EPANET 2.2's C solver), side by side with WNTR's own Python solver
  (``WNTRSimulator``, demand-driven) on the same network: the ratio is EPANET's time over the peer's.
* ``break`` — the ``water-break`` scenario on L-Town (two pressure-driven days at 30 min).
* ``scada_year`` — a year of 5-minute SCADA (33 pressures, 3 flows, 1 level, 82 AMR) with the 14 leaks of
  2018 (:mod:`twin.synthetic.water_scada`: EPANET by chunks, emitters as leaks). The peer is the way
  BattLeDIM's own generator runs leaks, WNTR's Python solver with WNTR leaks: timed on one day and
  multiplied by 365 (``peer_year_s_extrapolated``: not run for a whole year).
* ``detection`` — both detectors on that year (seed 0), scored against the 14 leaks; their false
  alarms on two leak-free years (seeds 1 and 2; the thresholds were set on seed 1 only, see
  :mod:`twin.models.water_leaks`).

Everything here is SYNTHETIC data made by our generator from L-Town's model and the published leak list:
a recovery check, not BattLeDIM's real SCADA (not available here).

    python benchmarks/bench_water.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("TWIN_REFERENCE_DATA", ROOT.parent / "shared" / "data"))
sys.path.insert(0, str(ROOT))
BATTLEDIM = REFERENCE / "water" / "battledim_2018"


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - t0, 3)


def eps_24h(wn, tmp: Path) -> dict:
    import copy

    import wntr

    net = copy.deepcopy(wn)
    net.options.time.duration = 24 * 3600
    _, epanet_s = _timed(lambda: wntr.sim.EpanetSimulator(net).run_sim(file_prefix=str(tmp / "eps")))
    _, peer_s = _timed(lambda: wntr.sim.WNTRSimulator(net).run_sim())
    return {"steps": 24 * 12 + 1, "epanet_s": epanet_s, "peer_wntr_python_s": peer_s,
            "ratio": round(epanet_s / peer_s, 3)}


def break_run() -> dict:
    from twin.scenarios.water_break import PipeBreak

    scenario = PipeBreak(network_file=str(BATTLEDIM / "L-TOWN.inp"), broken_pipe="p11", valves_missing_per_node=2,
                         valve_seed=1)
    out, seconds = _timed(scenario.run)
    name = "Casse p11"
    return {"seconds": seconds, "people_without_water": round(out.value("people_without_water", name), 1),
            "water_lost_m3": round(out.value("water_lost_m3", name), 1),
            "valves_to_close": len(out.table("valves_to_close"))}


def peer_day_with_leaks(wn, leaks) -> float:
    """WNTR's Python solver, one day of January at 5 min with the leaks active then (WNTR leaks)."""
    import copy

    import pandas as pd
    import wntr

    net = copy.deepcopy(wn)
    net.options.time.duration = 24 * 3600
    day_end = leaks[0].start.normalize() + pd.Timedelta(days=1)
    for leak in [lk for lk in leaks if lk.start < day_end]:  # the leaks begun by the end of that day
        net = wntr.morph.split_pipe(net, leak.link, f"{leak.link}__b", f"{leak.link}__leak")
        net.get_node(f"{leak.link}__leak").add_leak(net, area=leak.area_m2(leak.peak), start_time=0)
    _, seconds = _timed(lambda: wntr.sim.WNTRSimulator(net).run_sim())
    return seconds


def main() -> None:
    import tempfile

    import wntr

    from twin.cli.water_leaks import reservoir_links, tank_areas
    from twin.models import water_leaks as detect
    from twin.models.water_leak_score import pipe_distances, score
    from twin.sources.scada import read_leaks
    from twin.synthetic.water_scada import sensors_from_csv, simulate

    wn = wntr.network.WaterNetworkModel(str(BATTLEDIM / "L-TOWN.inp"))
    leaks = read_leaks(BATTLEDIM / "battledim_2018_leaks.csv")
    sensors = sensors_from_csv(BATTLEDIM / "battledim_sensors.csv")
    out: dict = {"network": "L-TOWN.inp (BattLeDIM 2020)", "data": "SYNTHETIC (twin.synthetic.water_scada)"}
    with tempfile.TemporaryDirectory() as tmp:
        out["eps_24h"] = eps_24h(wn, Path(tmp))
    out["break"] = break_run()
    year, seconds = _timed(lambda: simulate(wn, leaks, "2018-01-01", "2019-01-01", sensors, seed=0))
    peer_day = peer_day_with_leaks(wn, leaks)
    out["scada_year"] = {"seconds": seconds, "rows": len(year["pressures"]),
                         "peer_day_s": round(peer_day, 2), "peer_year_s_extrapolated": round(365 * peer_day, 1),
                         "ratio": round(seconds / (365 * peer_day), 3)}
    distance = pipe_distances(wn)

    def inflow(scada):
        return detect.net_inflow(scada["flows"], scada["levels"], reservoir_links(wn), tank_areas(wn))

    def summary(result):
        b = result["battledim"]
        return {**result["timing"], **{k: v for k, v in b.items() if k not in ("matched", "note")}}

    pressure, p_s = _timed(lambda: detect.pressure_detections(year["pressures"]))
    nights = detect.night_flow_detections(inflow(year))
    out["detection"] = {"pressure_residuals": {**summary(score(pressure, leaks, distance, year["leakages"])),
                                               "seconds": p_s},
                        "night_flow_baseline": summary(score(nights, leaks, distance, year["leakages"]))}
    for seed in (1, 2):
        clean = simulate(wn, [], "2018-01-01", "2019-01-01", sensors, seed=seed)
        out["detection"][f"false_alarms_leak_free_seed{seed}"] = {
            "pressure_residuals": len(detect.pressure_detections(clean["pressures"])),
            "night_flow_baseline": len(detect.night_flow_detections(inflow(clean)))}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
