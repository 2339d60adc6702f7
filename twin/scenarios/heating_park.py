"""The metered building park: calibrated baselines per building and the investment ranking.

Only buildings whose baseline passes ASHRAE Guideline 14 are simulated and ranked; the
others are listed with the reason, never ranked on bad numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from twin.calibration.buildings import MeterDataError, fit_baseline
from twin.models.buildings import DegreeDays, predict_daily
from twin.territory.building_names import resolve_buildings
from twin.timeutil import LOCAL_TZ


def fit_park(territory, building_ids=None, *, baseline_days: int = 365,
             baseline_year: int | None = None) -> pd.DataFrame:
    """One row per gas-metered building: its fitted baseline and whether it passes G14 (with the reason).

    The baseline is the calendar year ``baseline_year`` when given, else each meter's last
    ``baseline_days`` days.
    """
    store = territory.sensors
    if store is None:
        raise MeterDataError(f"territory {territory.name!r} has no sensor store", key="err_no_sensor_store",
                             values={"territory": territory.name})
    reg = store.sensors
    temps = reg[reg["quantity"] == "air_temperature"]
    if temps.empty:
        raise MeterDataError(f"{store.path}: no outdoor air temperature sensor", key="err_no_temperature_sensor")
    temp = store.to_pandas(temps["sensor_id"].iloc[0], tz=LOCAL_TZ)
    dd = DegreeDays(temp)
    meters = reg[(reg["quantity"] == "gas_energy") & (reg["asset_layer"] == "buildings")]
    if building_ids:
        # a name as the town hall says it, or an id; a name two buildings share: the metered one
        building_ids = resolve_buildings(territory.layers["buildings"], list(building_ids),
                                         prefer=set(meters["asset_id"].astype(str)))
        meters = meters[meters["asset_id"].isin(building_ids)]
        missing = set(building_ids) - set(meters["asset_id"])
        if missing:
            raise MeterDataError(f"no gas meter for building(s) {sorted(missing)}", key="err_no_gas_meter",
                                 values={"buildings": ", ".join(map(repr, sorted(missing)))})
    buildings = territory.layers["buildings"].set_index("id")
    rows = []
    for _, m in meters.iterrows():
        gas = store.to_pandas(m["sensor_id"], tz=LOCAL_TZ)
        gas.index = gas.index.normalize()
        if baseline_year is not None:
            start = pd.Timestamp(year=baseline_year, month=1, day=1, tz=LOCAL_TZ)
            end = pd.Timestamp(year=baseline_year + 1, month=1, day=1, tz=LOCAL_TZ)
        else:
            end = gas.index.max() + pd.Timedelta(days=1)
            start = end - pd.Timedelta(days=baseline_days)
        b = buildings.loc[m["asset_id"]] if m["asset_id"] in buildings.index else None
        floor = float(b["footprint_m2"] * (b["levels"] if np.isfinite(b["levels"]) else 2.0)) if b is not None else np.nan
        by_year = gas.groupby(gas.index.year).agg(["sum", "count"])
        row = {"building_id": m["asset_id"], "sensor_id": m["sensor_id"], "name": b["name"] if b is not None else None,
               "use": b["use"] if b is not None else "unknown", "floor_m2": floor,
               "geometry": b.geometry if b is not None else None, "baseline_period": (start, end),
               # metered gas (kWh) and days with a reading, per calendar year: what a simulation is checked against
               "metered_by_year": {int(y): (float(r["sum"]), int(r["count"])) for y, r in by_year.iterrows()}}
        try:
            fit = fit_baseline(gas, temp, start, end, label=m["sensor_id"], degree_days=dd)
        except MeterDataError as exc:
            rows.append({**row, "passes_g14": False, "reason": str(exc)})
            continue
        model = fit.model
        u = gas[(gas.index >= start) & (gas.index < end)]
        pred = predict_daily(model, dd, u.index)
        resid = u.to_numpy() - pred
        ok = np.isfinite(resid)
        n, p = int(ok.sum()), model.n_params
        rho = float(np.corrcoef(resid[ok][:-1], resid[ok][1:])[0, 1])
        cv = fit.metrics["daily"]["cvrmse"]
        # G14 Annex B uncertainty of one year's baseline prediction (90 %), relative to its total.
        rel_unc = stats.t.ppf(0.95, n - p) * 1.26 * cv * np.sqrt(n / (n * (1 - rho) / (1 + rho)) * (1 + 2 / n) * 365) / 365
        reason = "" if fit.passes_g14 else (f"fails ASHRAE G14 (monthly CV(RMSE) {fit.metrics['cvrmse']:.1%}, "
                                            f"NMBE {fit.metrics['nmbe']:.1%})")
        if fit.passes_g14 and model.heating_balance_c is None:
            reason = "no heating response found in the meter"
        rows.append({**row, "passes_g14": fit.passes_g14 and not reason, "reason": reason,
                     "cvrmse_monthly": fit.metrics["cvrmse"], "nmbe_monthly": fit.metrics["nmbe"],
                     "heating_slope": model.heating_slope, "heating_balance_c": model.heating_balance_c,
                     "base_kwh_per_day": model.intercept, "baseline_rel_uncertainty": float(rel_unc),
                     "model_kind": model.kind})
    df = pd.DataFrame(rows)
    df.attrs["temperature"] = temp
    return df


def _hourly_year(hourly: pd.Series, year: int) -> pd.Series:
    h = hourly[hourly.index.year == year]
    if h.notna().sum() < HOURS_OF_A_YEAR_KNOWN:
        counts = hourly.notna().groupby(hourly.index.year).sum()
        years = ", ".join(str(int(y)) for y, n in counts.items() if n >= HOURS_OF_A_YEAR_KNOWN)
        raise MeterDataError(f"the temperature series covers only {h.notna().sum()} hours of {year} (years it "
                             f"covers: {years or 'none'})", key="err_temperature_short" if years else
                             "err_temperature_no_year",
                             values={"hours": int(h.notna().sum()), "year": int(year), "years": years})
    return h


HOURS_OF_A_YEAR_KNOWN = 8000
"""A year's outdoor temperature is usable with this many hours known (of 8760): a few gaps, filled."""


def metered_buildings(territory, building_ids=None, year: int | None = None, *,
                      calibration_year: int | None = None) -> pd.DataFrame:
    """The buildings that pass G14, with an hourly local temperature series of ``year`` (``.attrs["temperature"]``).

    ``calibration_year``: fit the meter models on that calendar year instead of each meter's last
    365 days, its hourly temperature in ``.attrs["calibration_temperature"]`` (the year a
    simulation's gains are calibrated on). ``.attrs["calibration_period"]`` says which was used.
    """
    park = fit_park(territory, building_ids, baseline_year=calibration_year)
    temp = park.attrs["temperature"]
    hourly_all = temp.resample("1h").mean().interpolate(limit=6)
    counts = pd.Series(hourly_all.index.year).value_counts()
    year = year or int(counts[counts >= 8000].index.max())
    hourly = _hourly_year(hourly_all, year)
    good = park[park["passes_g14"]].reset_index(drop=True)
    days_in_year = pd.Timestamp(year=year, month=12, day=31).day_of_year
    metered = [d.get(year, (np.nan, 0)) for d in good["metered_by_year"]]
    good["metered_days"] = [n for _, n in metered]
    # a year with missing days is not a yearly total: no figure rather than a short one
    good["metered_gas_kwh"] = [kwh if n >= days_in_year else np.nan for kwh, n in metered]
    good.attrs["temperature"] = hourly.dropna()
    if calibration_year is not None:
        good.attrs["calibration_temperature"] = _hourly_year(hourly_all, calibration_year).dropna()
        good.attrs["calibration_period"] = str(calibration_year)
    else:
        periods = sorted({(a.date(), (e - pd.Timedelta(days=1)).date()) for a, e in good["baseline_period"]})
        good.attrs["calibration_period"] = "each meter's last 365 days (" + \
            ", ".join(f"{a} … {e}" for a, e in periods) + ")"
    good.attrs["flagged"] = park[~park["passes_g14"]][["building_id", "sensor_id", "reason"]]
    return good
