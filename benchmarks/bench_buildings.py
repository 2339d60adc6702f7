"""Building baselines at scale: 1,000 meters × 3 years of daily gas, side by side with OpenEEmeter.

The meters are SYNTHETIC (seed 7): heating change-point processes on the Redon seed's
synthetic weather, with random base loads, slopes, balance points and 6 % noise. twin fits
all of them (sufficiency checks, change-point search, G14 metrics); OpenEEmeter's DailyModel
fits the first ``--peer-meters`` of the same meters in its own environment (it needs
pandas < 3 and scikit-learn < 1.6):

    python3 -m venv benchmarks/.venv-eemeter
    benchmarks/.venv-eemeter/bin/pip install eemeter==4.1.1 "pandas<3" "scikit-learn<1.6" pytz
    python benchmarks/bench_buildings.py [--meters 1000] [--peer-meters 10]

Also compares the savings both find on eemeter's own simulated samples (known 10 %), and fits the
REAL opengrid gas meter (hourly 2016) at monthly, daily and hourly resolution.
Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("TWIN_REFERENCE_DATA", ROOT.parent / "shared" / "data"))
PEER = Path(os.environ.get("EEMETER_PYTHON", ROOT / "benchmarks/.venv-eemeter/bin/python"))
sys.path.insert(0, str(ROOT))

from twin.calibration.buildings import fit_baseline, measure_savings  # noqa: E402
from twin.models.buildings import DegreeDays  # noqa: E402
from twin.seeds import history_dir  # noqa: E402
from twin.sensors import SensorStore  # noqa: E402
from twin.sources.meters import read_meter_csv, read_temperature_csv  # noqa: E402


def synthetic_meters(n: int, temp: pd.Series, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = temp.resample("1D").mean().index
    hourly = temp
    tb = rng.uniform(13, 18, n)
    slope = rng.uniform(5, 400, n)
    base = slope * rng.uniform(0.5, 3, n)
    out = {}
    for i in range(n):
        hdd = np.clip(tb[i] - hourly, 0, None).resample("1D").mean().to_numpy()
        out[f"m{i:04d}"] = (base[i] + slope[i] * hdd) * rng.lognormal(0, 0.06, len(days))
    return pd.DataFrame(out, index=days)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meters", type=int, default=1000)
    ap.add_argument("--peer-meters", type=int, default=10)
    args = ap.parse_args()
    store = SensorStore(history_dir() / "sensors")
    obs = store.query("meteo-redon-t")
    temp = pd.Series(obs["value"].to_numpy(), index=pd.DatetimeIndex(obs["time"]).tz_convert("Europe/Paris"))
    temp = temp[temp.index < pd.Timestamp("2024-01-01", tz="Europe/Paris")]
    meters = synthetic_meters(args.meters, temp)
    t0 = time.perf_counter()
    dd = DegreeDays(temp)
    passed = 0
    for col in meters.columns:
        fit = fit_baseline(meters[col], temp, "2021-01-01", "2024-01-01", degree_days=dd, label=col)
        passed += fit.passes_g14
    twin_s = time.perf_counter() - t0
    result = {"synthetic": True, "meters": args.meters, "days_per_meter": len(meters),
              "twin": {"seconds": round(twin_s, 2), "seconds_per_meter": round(twin_s / args.meters, 5),
                       "passing_g14": int(passed)}}
    samples = {}
    D = REFERENCE / "buildings/eemeter_samples"
    il_t = read_temperature_csv(D / "il-tempF.csv.gz", tz="America/Chicago")
    for name, unit in (("il-gas-hdd-only-daily", "therm"), ("il-electricity-cdd-hdd-daily", "kWh")):
        u = read_meter_csv(D / f"{name}.csv.gz", unit=unit, tz="America/Chicago")
        f = fit_baseline(u, il_t, "2015-12-26", "2016-12-26")
        samples[name] = {"twin_savings_fraction": round(measure_savings(f, u, il_t, "2017-01-04", "2018-01-04")
                                                        .savings_fraction, 4)}
    if PEER.exists():
        with tempfile.TemporaryDirectory() as d:
            m = meters.copy()
            m.index = m.index.tz_convert("UTC")
            m.to_csv(Path(d) / "meters.csv")
            tf = (temp * 9 / 5 + 32).rename("tempF")
            tf.index = tf.index.tz_convert("UTC")
            tf.to_frame().to_csv(Path(d) / "temperature_F.csv")
            run = subprocess.run([str(PEER), str(ROOT / "benchmarks/peers/eemeter_daily.py"), "fit", d,
                                  str(args.peer_meters)], capture_output=True, text=True, check=True)
            peer = json.loads(run.stdout.strip().splitlines()[-1])
        result["eemeter_daily_model"] = peer
        result["speedup_per_meter"] = round(peer["seconds_per_meter"] / (twin_s / args.meters), 1)
        for name in samples:
            run = subprocess.run([str(PEER), str(ROOT / "benchmarks/peers/eemeter_daily.py"), "savings",
                                  str(D / f"{name}.csv.gz"), str(D / "il-tempF.csv.gz"), "2015-12-26", "2016-12-25",
                                  "2017-01-04", "2018-01-03"], capture_output=True, text=True, check=True)
            samples[name]["eemeter_savings_fraction"] = round(json.loads(run.stdout.strip().splitlines()[-1])
                                                              ["savings_fraction"], 4)
    else:
        result["eemeter_daily_model"] = f"not run: no peer environment at {PEER} (see this script's docstring)"
    result["known_saving_samples"] = samples
    result["real_gas_meter_opengrid_313b_2016"] = real_meter_fits()
    print(json.dumps(result, indent=2))


def real_meter_fits() -> dict:
    """The REAL Belgian gas meter (hourly 2016) fitted at each resolution: G14 metrics and verdict.

    The hourly readings are summed by the library into local days / calendar months (before,
    ``freq="monthly"`` took each hourly reading as a bill: CV(RMSE) 168 %, NMBE 100 %).
    """
    folder = REFERENCE / "buildings/opengrid_be_2016"
    if not (folder / "gas_313b_2016_hour.csv").exists():
        return {"skipped": f"missing {folder / 'gas_313b_2016_hour.csv'}"}
    gas = pd.read_csv(folder / "gas_313b_2016_hour.csv", parse_dates=["timestamp_utc"]).set_index("timestamp_utc")["313b"]
    w = pd.read_csv(folder / "weather_2016_hour.csv", parse_dates=["timestamp_utc"]).set_index("timestamp_utc")
    gas = (gas / 1000.0).tz_convert("Europe/Brussels")  # mean W over an hour = Wh: kWh per hour
    temp = w["temperature"].tz_convert("Europe/Brussels")
    out = {}
    for freq in ("monthly", "daily", "hourly"):
        t0 = time.perf_counter()
        f = fit_baseline(gas, temp, "2016-01-01", "2017-01-01", freq=freq)
        out[freq] = {"cvrmse": round(f.metrics["cvrmse"], 4), "nmbe": round(f.metrics["nmbe"], 4),
                     "judged_at": f.judged_at, "passes_g14": bool(f.passes_g14),
                     "seconds": round(time.perf_counter() - t0, 3)}
    return out


if __name__ == "__main__":
    main()
