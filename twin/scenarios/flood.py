"""Flood anticipation: stage forecast with its uncertainty, alert crossings, and who to alert.

From the state of the catchment at the forecast time (GR4H run on the observed rain
up to then) and a rainfall input over the horizon — observed, scaled ("the same
storm × 1.5"), a design storm, or a seeded ensemble of perturbed rainfalls — the
scenario forecasts discharge, turns it into stage with the rating curve fitted on
the gauge's own history, and reports per alert level (yellow / orange / red) the
probability of crossing and the lead time; then which buildings and streets are
under water at the forecast peak (height-above-nearest-drainage on the territory's
floodplain; on Redon a SYNTHETIC floodplain, see :mod:`twin.models.inundation`).

Uncertainty combines the rainfall ensemble (a lognormal multiplier of the storm per
member, coefficient of variation ``rain_cv``) and the model error (a lognormal
multiplier of discharge per member, ``model_error_cv``). Buildings are "to alert"
when the 90th percentile of the forecast peak floods them (precaution), and counted
as "flooded" at the median; people = buildings × ``people_per_building`` (INSEE:
2.2 persons per household in France, 2019) for residential or unknown-use buildings.

The baseline of every outcome is the forecast with **no further rain** after the
forecast time (what the river does with the water already in the catchment).
"""

from __future__ import annotations

from dataclasses import asdict

import geopandas as gpd
import numpy as np
import pandas as pd
import param
from shapely.geometry import LineString

from twin.calibration.hydrology import calibrate, fit_rating_curve
from twin.models.hydrology import HOURLY_PERCOLATION, GR4Params, gr4, gr4_ensemble, mm_per_step_to_m3s
from twin.models.inundation import synthetic_hand
from twin.outcome import KPI, Outcome
from twin.scenarios.base import Scenario, ScenarioError
from twin.sources.hydro_csv import HydroDataError, from_sensor_store

QUANTILES = (0.05, 0.5, 0.95)
LEVELS = ("yellow", "orange", "red")
RESIDENTIAL = ("residential", "unknown")

KPIS = [
    KPI("peak_stage_m", "m", "human", "median forecast peak stage at the gauge"),
    KPI("peak_stage_p95_m", "m", "human", "95th percentile of the forecast peak stage"),
    KPI("peak_after_h", "h", "human", "time from the forecast to the median peak"),
    *[KPI(f"p_{lvl}_pct", "%", "human", f"probability of crossing the {lvl} level within the horizon")
      for lvl in LEVELS],
    *[KPI(f"lead_time_{lvl}_h", "h", "human",
          f"median time left before the {lvl} level is crossed, over the members that cross it (NaN if none)",
          higher_is_better=True) for lvl in LEVELS],
    KPI("buildings_flooded", "buildings", "human", "buildings under water at the median peak"),
    KPI("buildings_to_alert", "buildings", "human", "buildings under water at the 90th percentile peak"),
    KPI("people_to_alert", "people", "human", "people living in the buildings to alert (occupancy assumption)"),
    KPI("streets_to_close", "street segments", "human", "drivable street segments under water at the median peak"),
]


class FloodForecast(Scenario):
    """Forecast the river stage at a gauge over a horizon, with alerts and flooded places."""

    family = "flood"

    forecast_time = param.String(default="2023-01-25T00:00", doc="[UTC] time the forecast is issued")
    horizon_h = param.Integer(default=72, bounds=(1, 480), doc="[h] forecast horizon")
    rain = param.Selector(default="ensemble", objects=["observed", "none", "scaled", "design", "ensemble"],
                          doc="[-] rain over the horizon: as observed, none, observed × scale, a design storm, "
                              "or an ensemble around the observed (or design) rain")
    scale = param.Number(default=1.5, bounds=(0, 10), doc="[-] multiplier of the observed rain ('scaled')")
    design_mm = param.Number(default=120.0, bounds=(0, 1000), doc="[mm] design storm depth")
    design_duration_h = param.Integer(default=24, bounds=(1, 240), doc="[h] design storm duration")
    design_shape = param.Selector(default="triangular", objects=["uniform", "triangular"],
                                  doc="[-] hyetograph shape (triangular peaks at a third of the duration)")
    ensemble_base = param.Selector(default="observed", objects=["observed", "design"],
                                   doc="[-] rain the ensemble perturbs")
    members = param.Integer(default=200, bounds=(1, 100000), doc="[-] ensemble members")
    rain_cv = param.Number(default=0.4, bounds=(0, 5), doc="[-] coefficient of variation of the storm depth")
    model_error_cv = param.Number(default=0.1, bounds=(0, 2), doc="[-] coefficient of variation of model discharge")
    seed = param.Integer(default=0, doc="[-] seed of the ensemble")
    rain_gauge = param.String(default="rg-redon", doc="[-] rain sensor")
    flow_gauge = param.String(default="vilaine-redon-q", doc="[-] discharge sensor (m³/s)")
    level_gauge = param.String(default="vilaine-redon-h", doc="[-] water-level sensor (m)")
    temperature = param.String(default="meteo-redon-t", doc="[-] air temperature sensor, for Oudin PET")
    area_km2 = param.Number(default=10000.0, bounds=(0.01, 1e6), doc="[km²] catchment area at the gauge")
    latitude_deg = param.Number(default=47.65, bounds=(-90, 90), doc="[°] catchment latitude, for PET")
    params = param.List(default=[], doc="[-] GR4H X1, X2, X3, X4; empty: calibrated on the year before")
    alert_levels_m = param.Dict(default={"yellow": 3.5, "orange": 4.5, "red": 5.5},
                                doc="[m] stage of each alert level at the gauge")
    people_per_building = param.Number(default=2.2, bounds=(0, 1000), doc="[people] per residential building")
    river_names = param.List(default=["Vilaine"], item_type=str, doc="[-] river whose floodplain is mapped")

    # ------------------------------------------------------------------ inputs
    def _series(self, territory, t0, end):
        if territory.sensors is None:
            raise ScenarioError(f"territory {territory.name!r} has no sensor store")
        try:
            series = from_sensor_store(territory.sensors, self.rain_gauge, self.flow_gauge, self.temperature,
                                       area_km2=self.area_km2, latitude_deg=self.latitude_deg)
        except (HydroDataError, KeyError) as exc:
            raise ScenarioError(f"flood: cannot read the gauges ({exc})") from None
        first, last = series.time[0], series.time[-1]
        if not (first + pd.Timedelta(days=60) <= t0 <= last):
            raise ScenarioError(f"flood: forecast time {t0} is outside the data ({first} … {last}; at least "
                                "60 days of history are needed before it)")
        return series

    def _rain_members(self, mode: str, observed_future: np.ndarray, rng) -> tuple[np.ndarray, str]:
        H = self.horizon_h
        if mode == "none":
            return np.zeros((1, H)), "no rain"
        if mode == "observed":
            return observed_future[None, :], "observed rain"
        if mode == "scaled":
            return self.scale * observed_future[None, :], f"observed rain × {self.scale:g}"
        design = self._design(H)
        if mode == "design":
            return design[None, :], f"design storm {self.design_mm:g} mm / {self.design_duration_h} h"
        base = observed_future if self.ensemble_base == "observed" else design
        sigma = np.sqrt(np.log1p(self.rain_cv ** 2))
        mult = rng.lognormal(-sigma ** 2 / 2, sigma, self.members)  # mean 1
        return mult[:, None] * base[None, :], f"ensemble of {self.members} ({self.ensemble_base} rain, cv {self.rain_cv:g})"

    def _design(self, H: int) -> np.ndarray:
        d = min(self.design_duration_h, H)
        if self.design_shape == "uniform":
            shape = np.ones(d)
        else:
            t = np.arange(d) + 0.5
            peak = d / 3.0
            shape = np.where(t <= peak, t / peak, (d - t) / (d - peak))
        out = np.zeros(H)
        out[:d] = self.design_mm * shape / shape.sum()
        return out

    # ------------------------------------------------------------------ run
    def forecast(self, territory) -> dict:
        """The forecast itself: stage members over the horizon and everything needed for the KPIs."""
        t0 = pd.Timestamp(self.forecast_time)
        t0 = (t0.tz_localize("UTC") if t0.tzinfo is None else t0.tz_convert("UTC")).tz_localize(None)
        series = self._series(territory, t0, t0 + pd.Timedelta(hours=self.horizon_h))
        hist = series.window(series.time[0], t0 - pd.Timedelta(hours=1))
        if self.params:
            params = GR4Params(*map(float, self.params))
            calib = None
        else:
            start = max(series.time[0] + pd.Timedelta(days=60), t0 - pd.Timedelta(days=365))
            calib = calibrate(series, "gr4h", series.time[0], start, t0 - pd.Timedelta(hours=1), maxiter=25,
                              seed=self.seed)
            params = GR4Params(**calib.params)
        level = territory.sensors.query(self.level_gauge, end=t0.tz_localize("UTC")).set_index("time")["value"]
        flow = territory.sensors.query(self.flow_gauge, end=t0.tz_localize("UTC")).set_index("time")["value"]
        pairs = pd.concat([level, flow], axis=1, keys=["h", "q"], sort=True).dropna()
        curve, _ = fit_rating_curve(pairs["h"], pairs["q"])
        _, state = gr4(hist.P, hist.E, params, percolation=HOURLY_PERCOLATION, return_state=True)
        H = self.horizon_h
        fut = series.time[(series.time >= t0)][:H]
        obs_rain = series.P[(series.time >= t0)][:H]
        pet = series.E[(series.time >= t0)][:H]
        if len(fut) < H:  # beyond the data: no observed rain, PET of the last day repeated
            obs_rain = np.r_[obs_rain, np.zeros(H - len(fut))]
            pet = np.r_[pet, np.full(H - len(pet), series.E[-24:].mean())]
        rng = np.random.default_rng(self.seed)
        out = {}
        for label, mode in (("baseline", "none"), ("variant", self.rain)):
            rain, name = self._rain_members(mode, obs_rain, rng)
            q = mm_per_step_to_m3s(gr4_ensemble(rain, pet, params, state, percolation=HOURLY_PERCOLATION),
                                   self.area_km2, 1.0)
            if mode == "ensemble":
                sigma = np.sqrt(np.log1p(self.model_error_cv ** 2))
                q = q * rng.lognormal(-sigma ** 2 / 2, sigma, len(q))[:, None]
            out[label] = {"name": name, "rain": rain, "discharge": q, "stage": curve.stage(q)}
        times = pd.date_range(t0 + pd.Timedelta(hours=1), periods=H, freq="1h")  # end of each hourly step
        return {"t0": t0, "times": times, "params": params, "calibration": calib, "curve": curve, "runs": out}

    def run(self, territory) -> Outcome:
        fc = self.forecast(territory)
        fp = synthetic_hand(territory, tuple(self.river_names))
        buildings = territory.layers["buildings"]
        b_hand = fp.hand_m(buildings.geometry)
        residential = buildings["use"].isin(RESIDENTIAL).to_numpy()
        G = territory.graphs["drive"]
        edges = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
        egeom = gpd.GeoSeries([d.get("geometry") or LineString([(G.nodes[u]["x"], G.nodes[u]["y"]),
                                                                (G.nodes[v]["x"], G.nodes[v]["y"])])
                               for u, v, k, d in edges], crs=territory.crs)
        e_hand = fp.hand_m(egeom)
        h0 = fc["curve"].h0
        values, stage_q, self.alert_list, self.closures = {}, {}, {}, {}
        for key, run in fc["runs"].items():
            label = "baseline" if key == "baseline" else run["name"]
            stage = run["stage"]
            peaks = stage.max(axis=1)
            p50, p90, p95 = np.quantile(peaks, [0.5, 0.9, 0.95])
            med = np.quantile(stage, 0.5, axis=0)
            v = {"peak_stage_m": float(p50), "peak_stage_p95_m": float(p95),
                 "peak_after_h": float(np.argmax(med) + 1)}
            for lvl in LEVELS:
                above = stage >= self.alert_levels_m[lvl]
                crossed = above.any(axis=1)
                v[f"p_{lvl}_pct"] = 100.0 * crossed.mean()
                first = np.argmax(above, axis=1)[crossed] + 1  # hours after the forecast (end of the step)
                v[f"lead_time_{lvl}_h"] = float(np.median(first)) if crossed.any() else float("nan")
            flooded = b_hand < p50 - h0
            alert = b_hand < p90 - h0
            v["buildings_flooded"] = float(flooded.sum())
            v["buildings_to_alert"] = float(alert.sum())
            v["people_to_alert"] = float((alert & residential).sum() * self.people_per_building)
            closed = e_hand < p50 - h0 - 0.05
            v["streets_to_close"] = float(closed.sum())
            values[label] = v
            stage_q[label] = np.quantile(stage, QUANTILES, axis=0).T
            cols = [c for c in ("id", "name", "address", "use") if c in buildings]
            self.alert_list[label] = buildings.loc[alert, cols].assign(
                depth_m_p90=(p90 - h0 - b_hand)[alert]).sort_values("depth_m_p90", ascending=False)
            self.closures[label] = sorted({int(d["osm_way_id"]) for (u, vv, k, d), c in zip(edges, closed) if c})
        outcome = Outcome.from_values(self.family, KPIS, values, territory=territory.name,
                                      forecast_time=str(fc["t0"]), horizon_h=self.horizon_h,
                                      params=str(asdict(fc["params"])), rating_curve=str(asdict(fc["curve"])),
                                      floodplain=fp.__class__.__name__ + " (SYNTHETIC)" if fp.synthetic else "DEM")
        labels = list(values)
        ds = outcome.data.assign(stage_m=(("variant", "time", "quantile"),
                                          np.stack([stage_q[lab] for lab in labels])))
        ds = ds.assign_coords(time=fc["times"].to_numpy(), quantile=list(QUANTILES))
        ds["stage_m"].attrs.update({"units": "m", "long_name": "forecast stage at the gauge"})
        for lvl in LEVELS:
            ds.attrs[f"alert_{lvl}_m"] = self.alert_levels_m[lvl]
        self.last_forecast = fc
        return Outcome(ds)


def replay(territory, start, end, *, every_h: int = 6, horizon_h: int = 48, **params) -> tuple[pd.DataFrame, dict]:
    """Run the chain on a past period as if live: a forecast every ``every_h`` hours with only the
    data known then (the rain over each horizon is taken as observed: a perfect-rain hindcast,
    unless ``rain`` says otherwise), scored against the observed stage.

    Returns (one row per forecast, summary) — peak error (m), peak timing error (h), and per
    alert level hits, misses, false alarms and correct negatives.
    """
    params = {"rain": "observed", "members": 1, "model_error_cv": 0.0, **params}
    t = pd.Timestamp(start)
    level_obs = territory.sensors.query(params.get("level_gauge", "vilaine-redon-h")).set_index("time")["value"]
    level_obs.index = level_obs.index.tz_convert("UTC").tz_localize(None)
    rows = []
    fixed = dict(params)
    while t <= pd.Timestamp(end):
        s = FloodForecast(forecast_time=str(t), horizon_h=horizon_h, **fixed)
        fc = s.forecast(territory)
        if "params" not in fixed or not fixed["params"]:
            fixed["params"] = list(asdict(fc["params"]).values())  # calibrated once, on data before the first issue
        stage = np.quantile(fc["runs"]["variant"]["stage"], 0.5, axis=0)
        obs = level_obs.reindex(fc["times"])
        row = {"issued": t, "forecast_peak_m": float(stage.max()), "forecast_peak_time": fc["times"][np.argmax(stage)],
               "observed_peak_m": float(obs.max()) if obs.notna().any() else np.nan,
               "observed_peak_time": obs.idxmax() if obs.notna().any() else pd.NaT}
        for lvl in LEVELS:
            lv = s.alert_levels_m[lvl]
            row[f"{lvl}_forecast"] = bool((stage >= lv).any())
            row[f"{lvl}_observed"] = bool((obs >= lv).any())
        rows.append(row)
        t += pd.Timedelta(hours=every_h)
    df = pd.DataFrame(rows)
    df["peak_error_m"] = df["forecast_peak_m"] - df["observed_peak_m"]
    df["peak_timing_error_h"] = (df["forecast_peak_time"] - df["observed_peak_time"]) / pd.Timedelta(hours=1)
    summary = {"forecasts": len(df), "mean_abs_peak_error_m": float(df["peak_error_m"].abs().mean()),
               "mean_abs_peak_timing_error_h": float(df["peak_timing_error_h"].abs().mean())}
    for lvl in LEVELS:
        f, o = df[f"{lvl}_forecast"], df[f"{lvl}_observed"]
        summary[lvl] = {"hits": int((f & o).sum()), "misses": int((~f & o).sum()),
                        "false_alarms": int((f & ~o).sum()), "correct_negatives": int((~f & ~o).sum())}
    return df, summary

