"""Peer runner, executed by the Python of a separate environment with OpenEEmeter installed
(eemeter 4.1.1 needs pandas < 3 and scikit-learn < 1.6). Never imported by twin.

    python eemeter_daily.py fit DIR N          # DailyModel on the first N meters of DIR/meters.csv
    python eemeter_daily.py savings METER TEMP BASE_START BASE_END REP_START REP_END

Prints one JSON document.
"""

import json
import sys
import time

import pandas as pd
from eemeter.eemeter.models.daily.data import DailyBaselineData, DailyReportingData
from eemeter.eemeter.models.daily.model import DailyModel


def fit(directory, n):
    meters = pd.read_csv(f"{directory}/meters.csv", index_col=0, parse_dates=True)
    temp = pd.read_csv(f"{directory}/temperature_F.csv", index_col=0, parse_dates=True).iloc[:, 0]
    times = []
    for col in meters.columns[:n]:
        t0 = time.perf_counter()
        data = DailyBaselineData.from_series(meters[col], temp, is_electricity_data=False)
        DailyModel().fit(data, ignore_disqualification=True)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"meters": len(times), "seconds": sum(times), "seconds_per_meter": sum(times) / len(times)}))


def savings(meter, temp, b0, b1, r0, r1):
    m = pd.read_csv(meter, parse_dates=["start"]).set_index("start")["value"]
    m.index = pd.to_datetime(m.index, utc=True).tz_convert("America/Chicago")
    t = pd.read_csv(temp, parse_dates=["dt"]).set_index("dt")["tempF"]
    t.index = pd.to_datetime(t.index, utc=True).tz_convert("America/Chicago")
    base = DailyBaselineData.from_series(m[b0:b1], t, is_electricity_data="electricity" in meter)
    model = DailyModel().fit(base, ignore_disqualification=True)
    rep = DailyReportingData.from_series(m[r0:r1], t, is_electricity_data="electricity" in meter)
    pred = model.predict(rep, ignore_disqualification=True)
    obs, cf = pred["observed"].sum(), pred["predicted"].sum()
    print(json.dumps({"savings_fraction": float((cf - obs) / cf)}))


if __name__ == "__main__":
    if sys.argv[1] == "fit":
        fit(sys.argv[2], int(sys.argv[3]))
    else:
        savings(*sys.argv[2:8])
