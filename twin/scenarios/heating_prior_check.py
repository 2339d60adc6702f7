"""The heating prior against a territory's gas meters (issue 24): what the prior
(:mod:`twin.calibration.heating_prior`) would have said of each metered building's year, had the commune
no meter, next to what its meter counted.

For each gas-metered building (its use, footprint and storeys as the prior reads them) and each member of
the prior: its heating gas of a normal year, scaled to the metered year's weather by the heating
degree-days of the territory's own temperature sensor at the member's balance point over those of the
nearest station's normal year, plus its base gas. The meter's total of that calendar year (complete
years only) is then placed in the members' distribution: the ratio metered / prior median, whether it
falls within the prior's 5–95 % band, and over the park the median ratio (the prior's bias), the median
absolute log ratio (its typical error) and the share of meters inside the band (a calibrated 90 % band
holds about 90 %).

On the Redon seed the meters are SYNTHETIC (:mod:`twin.synthetic.redon`, drawn from ranges of heating
slope per m² that are the project's own): there the check compares two sets of assumptions, it does not
validate the prior. A territory's real meters make it a real check.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.calibration import heating_prior as prior
from twin.calibration.climate_station import nearest_station, normal_hdd, territory_lonlat
from twin.models.buildings import DegreeDays
from twin.scenarios.base import ScenarioError
from twin.scenarios.heating_park import fit_park


def prior_against_meters(territory, *, members: int = 400, seed: int = 0, year: int | None = None) -> pd.DataFrame:
    """One row per gas-metered building with a complete metered ``year`` (default: the latest such year):
    ``metered_gas_kwh``, the prior's ``prior_p05`` / ``prior_p50`` / ``prior_p95`` [kWh/yr], ``ratio``
    (metered / median) and ``inside`` (within 5–95 %). ``.attrs``: ``summary`` (a dict) and ``text``."""
    park = fit_park(territory)
    temp = park.attrs["temperature"]
    days_in = {int(y): pd.Timestamp(year=int(y), month=12, day=31).day_of_year for y in range(1990, 2101)}
    complete = [{y for y, (_, n) in d.items() if n >= days_in[y]} for d in park["metered_by_year"]]
    years = sorted(set().union(*complete)) if complete else []
    if year is None:
        if not years:
            raise ScenarioError(f"territory {territory.name!r}: no gas meter has a complete calendar year to "
                                "compare the prior with", key="err_no_metered")
        year = years[-1]
    metered = park[[year in c for c in complete]].reset_index(drop=True)
    if metered.empty:
        raise ScenarioError(f"territory {territory.name!r}: no gas meter has every day of {year}",
                            key="err_no_metered")
    layer = territory.layers["buildings"].set_index("id")
    rows = layer.loc[metered["building_id"]].reset_index()
    buildings = prior.prior_buildings(rows, pd.Series(metered["use"].to_numpy(), index=rows.index))
    lon, lat = territory_lonlat(territory)
    station = nearest_station(lat, lon)
    hourly = temp.resample("1h").mean()
    observed = DegreeDays(hourly[hourly.index.year == year].dropna())
    draws = prior.prior_park(buildings, station.zone, normal_hdd(station, year), members=members, seed=seed)
    year_hdd = {bp: float(np.nansum(observed.hdd([bp])[:, 0])) for bp in np.unique(draws["heating_balance_c"])}
    draws["gas_kwh"] = (draws["heating_slope"] * draws["heating_balance_c"].map(year_hdd)
                        + draws["base_kwh_per_day"] * days_in[year])
    q = draws.groupby("building_id", sort=False)["gas_kwh"].quantile([0.05, 0.5, 0.95]).unstack()
    out = buildings.drop(columns="geometry").assign(
        metered_gas_kwh=[d[year][0] for d in metered["metered_by_year"]],
        prior_p05=q.loc[buildings["building_id"], 0.05].to_numpy(),
        prior_p50=q.loc[buildings["building_id"], 0.5].to_numpy(),
        prior_p95=q.loc[buildings["building_id"], 0.95].to_numpy())
    out["ratio"] = out["metered_gas_kwh"] / out["prior_p50"]
    out["inside"] = (out["metered_gas_kwh"] >= out["prior_p05"]) & (out["metered_gas_kwh"] <= out["prior_p95"])
    synthetic = bool(territory.sensors.sensors.loc[territory.sensors.sensors["quantity"] == "gas_energy"]
                     .get("synthetic", pd.Series([False])).fillna(False).astype(bool).any())
    summary = {"year": int(year), "buildings": len(out), "members": members, "station": station.name,
               "zone": station.zone, "median_ratio": float(out["ratio"].median()),
               "median_abs_log_ratio": float(np.log(out["ratio"]).abs().median()),
               "inside_5_95": float(out["inside"].mean()), "synthetic_meters": synthetic}
    out.attrs["summary"] = summary
    out.attrs["text"] = (
        f"{'SYNTHETIC ' if synthetic else ''}meters of {len(out)} buildings in {year} against the heating prior "
        f"({members} members, normals of {station.name}, zone {station.zone}): metered / prior median "
        f"{summary['median_ratio']:.2f} (median), typical error ×/÷ {np.exp(summary['median_abs_log_ratio']):.2f}, "
        f"{summary['inside_5_95']:.0%} of meters inside the prior's 5–95 % band"
        + (" — synthetic meters: two sets of assumptions compared, not a validation" if synthetic else ""))
    return out


__all__ = ["prior_against_meters"]
