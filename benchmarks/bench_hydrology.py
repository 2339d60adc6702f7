"""Hydrology speed: GR4J runs and calibration side by side with hydrogr, a 5-year GR4H run
against airGR's GR4H, a 10,000-member hourly flood ensemble, and the Merewether 2D run.

The peer, hydrogr (airGR's GR models in Rust, GPL), is used here only as a yardstick and
never imported by twin itself: `pip install hydrogr` in the same environment to include it.
Prints one JSON document.

    python benchmarks/bench_hydrology.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import differential_evolution, minimize

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("TWIN_REFERENCE_DATA", ROOT.parent / "shared" / "data"))
sys.path.insert(0, str(ROOT))

from twin.calibration.hydrology import MODELS, from_theta, to_theta  # noqa: E402
from twin.models.hydrology import GR4Params, gr4  # noqa: E402
from twin.sources.hydro_csv import read_airgr_csv  # noqa: E402

PUBLISHED = GR4Params(257.237556, 1.012237, 88.234673, 2.207958)


def timeit(fn, repeat=50):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def calibrate_with(run_fn, P, E, obs, ev, seed=0):
    """The twin calibration procedure (DE then Nelder–Mead, same settings) around any GR4J runner."""
    var = ((obs - obs.mean()) ** 2).sum()
    count = [0]

    def loss(theta):
        count[0] += 1
        q = run_fn(P, E, from_theta(theta))[ev]
        return float(((q - obs) ** 2).sum() / var)

    lo = to_theta(GR4Params(*(b[0] for b in MODELS["gr4j"]["bounds"])))
    hi = to_theta(GR4Params(*(b[1] for b in MODELS["gr4j"]["bounds"])))
    t0 = time.perf_counter()
    g = differential_evolution(loss, list(zip(lo, hi)), seed=seed, maxiter=80, popsize=12, tol=1e-7,
                               polish=False, init="sobol")
    loc = minimize(loss, g.x, method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-10, "maxiter": 4000})
    return {"seconds": round(time.perf_counter() - t0, 3), "nse": round(1 - min(g.fun, loc.fun), 6),
            "evaluations": count[0]}


def main():
    out = {}
    s = read_airgr_csv(REFERENCE / "hydrology/airGR_L0123001_BasinObs.csv")
    run = s.window("1989-01-01", "1999-12-31")
    P, E = run.P, run.E
    ev = np.asarray(run.time >= np.datetime64("1990-01-01")) & np.isfinite(run.Q)
    obs = run.Q[ev]
    twin_run = timeit(lambda: gr4(P, E, PUBLISHED, timestep="daily"))
    out["gr4j_11_years_daily"] = {"steps": len(P), "twin_ms": round(1000 * twin_run, 4)}
    try:
        from hydrogr import ModelGr4j  # noqa: PLC0415

        def hydrogr_core(P, E, p):
            m = ModelGr4j({"X1": p.x1, "X2": p.x2, "X3": p.x3, "X4": p.x4})
            states = np.array([0.3 * p.x1, 0.5 * p.x3])
            return np.asarray(m.model([p.x1, p.x2, p.x3, p.x4], P, E, states, np.zeros(20), np.zeros(40))[3])

        df = pd.DataFrame({"precipitation": P, "evapotranspiration": E}, index=pd.DatetimeIndex(run.time))
        peer_core = timeit(lambda: hydrogr_core(P, E, PUBLISHED))
        peer_api = timeit(lambda: ModelGr4j({"X1": PUBLISHED.x1, "X2": PUBLISHED.x2, "X3": PUBLISHED.x3,
                                             "X4": PUBLISHED.x4}).run(df))
        q_peer = hydrogr_core(P, E, PUBLISHED)
        out["gr4j_11_years_daily"].update({
            "hydrogr_core_ms": round(1000 * peer_core, 4), "hydrogr_run_api_ms": round(1000 * peer_api, 4),
            "twin_time_over_hydrogr_core": round(twin_run / peer_core, 3),
            "max_abs_diff_mm": float(np.abs(q_peer - gr4(P, E, PUBLISHED, timestep="daily")).max())})
        out["calibration_gr4j_1990_1999"] = {"twin": calibrate_with(lambda P, E, p: gr4(P, E, p, timestep="daily"), P, E, obs, ev),
                                             "hydrogr": calibrate_with(hydrogr_core, P, E, obs, ev)}
        c = out["calibration_gr4j_1990_1999"]
        c["twin_time_over_hydrogr"] = round(c["twin"]["seconds"] / c["hydrogr"]["seconds"], 3)
    except ImportError:
        out["peer"] = "hydrogr not installed: pip install hydrogr to compare"

    # GR4H against airGR's GR4H (hydrogr's output stored in the reference data): time and agreement.
    ref = pd.read_csv(REFERENCE / "hydrology/gr4h_reference_hydrogr_L0123003_2004_2008.csv.gz")
    Ph, Eh, p4h = ref["P"].to_numpy(), ref["E"].to_numpy(), GR4Params(521.113, -2.918, 218.009, 4.124)
    out["gr4h_5_years_hourly"] = {
        "steps": len(Ph), "twin_ms": round(1000 * timeit(lambda: gr4(Ph, Eh, p4h, timestep="hourly"), repeat=20), 4),
        "max_abs_diff_from_airgr_mm": float(np.abs(gr4(Ph, Eh, p4h, timestep="hourly") - ref["Qsim_mm"]).max())}

    from twin.scenarios.flood import FloodForecast  # noqa: PLC0415
    from twin.seeds import history_dir, load_default  # noqa: PLC0415

    truth = json.loads((history_dir() / "truth.json").read_text())["river"]["gr4h"]
    territory = load_default()
    s = FloodForecast(forecast_time="2023-02-22T00:00", horizon_h=72, members=10_000,
                      params=[truth["x1"], truth["x2"], truth["x3"], truth["x4"]])
    s.run(territory)  # warm (numba compilation, caches)
    t0 = time.perf_counter()
    o = s.run(territory)
    out["flood_ensemble_10000_members_72h"] = {
        "seconds_end_to_end": round(time.perf_counter() - t0, 3),
        "includes": "gauge reading, rating-curve fit, state spin-up, 10,000 GR4H members, stage, alert "
                    "probabilities, flooded buildings and streets",
        "p_red_pct": o.value("p_red_pct", [str(v) for v in o.data["variant"].values][1])}

    from twin.models.inundation2d import simulate  # noqa: PLC0415
    from twin.sources.arr_case import load_merewether  # noqa: PLC0415

    case = load_merewether(REFERENCE / "hydrology/merewether")
    r = simulate(case.grid.z, case.grid.dx, manning=case.manning, inflow_m3s=case.inflow_m3s, duration_s=900.0,
                 blocked=case.blocked, sink=case.sink)
    out["merewether_900s"] = {"cells": int(np.isfinite(case.grid.z).sum()), "steps": r.steps,
                              "wall_seconds": round(r.seconds, 2), "mass_error": r.mass_error}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
