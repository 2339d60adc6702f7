"""Forecast replay speed: a season of hourly forecasts on airGR's L0123003, twin beside hydrogr.

The same work on both sides: GR4H with given parameters, forecasts issued every hour from
2007-09-01 to 2008-03-31 (5,089 issue times), each from the state the model reached with the
data before its issue time, 12 h ahead with no rain after it (the forecasts *without update*,
which both can make). hydrogr (airGR's GR models in Rust, GPL; `pip install hydrogr` to include
it, never imported by twin) runs as its users would: its GR4H core called block by block up to
each issue time, the states carried, then over the 12 h from a copy of them. The forecasts of
both are compared value by value.

Then twin alone, end to end as ``twin hydro replay`` runs it (after the model is set up): the
updated forecasts with their scores per lead, with no rain and with the analog ensemble
(50 members; includes fitting the output-error model on 2005–2006 with the same rain).

    python benchmarks/bench_forecast.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("TWIN_REFERENCE_DATA", ROOT.parent / "shared" / "data"))
sys.path.insert(0, str(ROOT))

from twin.forecast.issue import issue_forecasts, last_known_steps, prepare  # noqa: E402
from twin.forecast.rain import RainSource  # noqa: E402
from twin.forecast.replay import replay  # noqa: E402
from twin.models.hydrology import GR4Params  # noqa: E402
from twin.sources.hydro_csv import read_airgr_csv  # noqa: E402

PARAMS = GR4Params(520.03, -3.9137, 257.30, 4.0)  # calibrated on 2004-07 … 2006-12 (twin hydro calibrate)
H = 12


def hydrogr_replay(series, last, horizon: int) -> np.ndarray:
    """No-update, no-rain forecasts with hydrogr's GR4H core: (issue, lead) mm/h."""
    from hydrogr import ModelGr4h  # noqa: PLC0415

    gr4h = ModelGr4h.model  # the Rust core its run() calls

    p = [PARAMS.x1, PARAMS.x2, PARAMS.x3, PARAMS.x4]
    states = np.array([0.3 * PARAMS.x1, 0.5 * PARAMS.x3])
    uh1, uh2 = np.zeros(20 * 24), np.zeros(40 * 24)
    zeros = np.zeros(horizon)
    out = np.empty((len(last), horizon))
    done = 0
    for k, i in enumerate(last):
        states, uh1, uh2, _ = gr4h(p, series.P[done:i + 1], series.E[done:i + 1], states, uh1, uh2)
        states, uh1, uh2 = np.asarray(states, float), np.asarray(uh1, float), np.asarray(uh2, float)
        done = i + 1
        pet = series.E[i - 23 + (np.arange(horizon) % 24)]  # the last day's PET, as twin uses
        out[k] = np.asarray(gr4h(p, zeros, pet, states.copy(), uh1.copy(), uh2.copy())[3])
    return out


def main() -> None:
    series = read_airgr_csv(REFERENCE / "hydrology/airGR_L0123003_BasinObs.csv", area_km2=920.0)
    issues = pd.date_range("2007-09-01", "2008-03-31", freq="1h")
    setup = prepare(series, "gr4h", first_issue=issues[0], params=PARAMS)
    setup.error_period = (pd.Timestamp("2005-01-01"), pd.Timestamp("2006-12-31"))
    none = RainSource("none")
    issue_forecasts(setup, issues[:10], H, none, "none")  # compile (numba caches on disk after the first run)
    t0 = time.perf_counter()
    fc = issue_forecasts(setup, issues, H, none, "none")
    twin_s = time.perf_counter() - t0
    out = {"replay": {"catchment": "L0123003 (airGR, hourly)", "issue_times": len(issues), "horizon_h": H,
                      "what": "GR4H forecasts without update, no rain after the issue time",
                      "twin_seconds": round(twin_s, 4)}}
    try:
        last = last_known_steps(series, issues)
        hydrogr_replay(series, last[:10], H)
        t0 = time.perf_counter()
        peer = hydrogr_replay(series, last, H)
        peer_s = time.perf_counter() - t0
        out["replay"].update(hydrogr_seconds=round(peer_s, 4), twin_time_over_hydrogr=round(twin_s / peer_s, 4),
                             max_abs_diff_mm=float(np.abs(peer - fc.no_update[:, 0, :]).max()))
    except ImportError:
        out["replay"]["peer"] = "hydrogr not installed: pip install hydrogr to compare"
    t0 = time.perf_counter()
    replay(setup, issues[0], issues[24], every=1, leads=[1, 3], rain=RainSource("none"), update="output", area_km2=920.0)
    out["first_short_replay_in_process_seconds"] = round(time.perf_counter() - t0, 3)  # compiling the scores' numba code
    for rain in ("none", "analog"):
        source = RainSource(rain, members=50)
        t0 = time.perf_counter()
        report, _ = replay(setup, issues[0], issues[-1], every=1, leads=[1, 3, 6, 12], rain=source, update="output",
                           area_km2=920.0)
        seconds = time.perf_counter() - t0
        out[f"twin_replay_end_to_end_rain_{rain}"] = {
            "seconds": round(seconds, 3), "issue_times": report.issues, "members": report.rain["members"],
            "nse_by_lead": {k: round(v["nse"], 3) for k, v in report.leads.items()},
            "nse_persistence_by_lead": {k: round(v["nse_persistence"], 3) for k, v in report.leads.items()}}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
