"""The flood forecast of a river without a gauge (issue 24): every member a catchment, a channel and a
storm drawn from the flood prior (:mod:`twin.calibration.flood_prior`), run through GR4H and Manning's
compound section (:mod:`twin.models.channel`) to a water depth in the river, then to the buildings and
streets under water on each member's own floodplain (bank height + cross slope × distance to the river:
the SYNTHETIC floodplain of :mod:`twin.models.inundation`, its two numbers drawn too).

This module computes the members' arrays; :class:`twin.scenarios.flood.FloodForecast` turns them into an
outcome. The storm is the design storm (a return period's Montana depth, or ``design_mm`` given) — no rain
forecast or history exists to draw from; the baseline is no further rain on the members' wet stores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.calibration import flood_prior
from twin.calibration.climate_station import nearest_station, territory_lonlat
from twin.models.channel import compound_depth_m
from twin.models.hydrology import HOURLY, GR4Params, GR4State, gr4, mm_per_step_to_m3s, oudin_pet_mm_per_day
from twin.models.inundation import synthetic_hand
from twin.scenarios.base import ScenarioError
from twin.territory.segments import segment_min, street_segments

DESIGN_EPOCH = pd.Timestamp("2020-01-01 00:00")
"""[UTC] the start of a design event when no forecast time is given: its hours count from here."""


def design_hyetograph(depth_mm: float, duration_h: int, horizon_h: int, shape: str) -> np.ndarray:
    """[mm per hour] ``depth_mm`` over ``duration_h`` hours, uniform or triangular (peak at a third), then dry."""
    d = min(duration_h, horizon_h)
    if shape == "uniform":
        profile = np.ones(d)
    else:
        t = np.arange(d) + 0.5
        peak = d / 3.0
        profile = np.where(t <= peak, t / peak, (d - t) / (d - peak))
    out = np.zeros(horizon_h)
    out[:d] = depth_mm * profile / profile.sum()
    return out


def steady_routing_mm(params: GR4Params, production_mm: float) -> float:
    """[mm] the routing store's level at which it sends out, each hourly step, what a production store of
    ``production_mm`` percolates into it (0.9 of the percolation, plus the exchange X2·(R/X3)^3.5): the
    steady base flow of a catchment between storms (Perrin et al. 2003, eqs. A7 and A16–A18), by bisection."""
    perc_k = 1.0 / (HOURLY.percolation * params.x1)
    s = production_mm
    perc = s * (1.0 - (1.0 + (perc_k * s) ** 4) ** -0.25)

    def excess(r):  # outflow minus inflow: > 0 above the steady level
        return r * (1.0 - (1.0 + (r / params.x3) ** 4) ** -0.25) - params.x2 * (r / params.x3) ** 3.5 - 0.9 * perc

    lo, hi = 0.0, params.x3
    while excess(hi) < 0 and hi < 1e3 * params.x3:
        hi *= 2
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if excess(mid) < 0 else (lo, mid)
    return 0.5 * (lo + hi)


def initial_state(params: GR4Params, s0: float, pet_mm: float) -> GR4State:
    """The members' state at the storm's start: the production store at its drawn fill (``s0`` of X1), the
    routing store at its steady level (:func:`steady_routing_mm`), and the unit hydrographs holding what they
    received over the last 2·X4 hours (a dry spin-up, the stores then reset): with empty unit hydrographs,
    or a routing store drawn apart from the production store, a river without rain rose for days."""
    r = steady_routing_mm(params, s0 * params.x1)
    spin = int(np.ceil(2 * params.x4)) + 1
    _, state = gr4(np.zeros(spin), np.full(spin, pet_mm), params, timestep="hourly", s0=s0, r0=r / params.x3,
                   return_state=True)
    return GR4State(s0 * params.x1, r, state.uh1, state.uh2)


def needed_horizon_h(draws: pd.DataFrame, duration_h: int, asked_h: int, most_h: int = 480) -> int:
    """[h] at least ``asked_h``, long enough for the storm and the slowest tenth of the members' flood wave to
    pass (storm + 2·X4, the unit hydrograph's base, at the members' 90th percentile X4), at most ``most_h``."""
    return int(min(max(asked_h, duration_h + np.ceil(2 * np.quantile(draws["x4"], 0.9))), most_h))


def ungauged_forecast(territory, *, members: int, seed: int, horizon_h: int, return_period_years: int,
                      design_mm: float | None, duration_h: int, shape: str, area_km2: float | None,
                      river_names: tuple[str, ...], forecast_time: pd.Timestamp | None) -> dict:
    """Every member's rain, discharge [m³/s] and depth [m] over the horizon, for the no-rain baseline and the
    design storm, with the members' draws, alert levels [m] and heights above drainage [m] of the buildings
    and drive edges (member × asset)."""
    river = flood_prior.main_river(territory, river_names)
    if river is None:
        raise ScenarioError(f"flood: territory {territory.name!r} has no gauge and OSM maps no named river "
                            "(waterway=river) to forecast", key="err_no_river", values={"territory": territory.name})
    draws = flood_prior.draw_catchments(members, seed, area_km2=area_km2, length_km=river.length_km,
                                        width_m=river.width_m, clipped=river.clipped)
    horizon_h = needed_horizon_h(draws, duration_h, horizon_h)
    lon, lat = territory_lonlat(territory)
    t0 = forecast_time if forecast_time is not None else DESIGN_EPOCH
    station = nearest_station(lat, lon)
    month_c = station.normals_c[t0.month - 1]
    pet = np.full(horizon_h, float(oudin_pet_mm_per_day(month_c, t0.day_of_year, lat)) / 24.0)
    depth_mm = design_mm if design_mm is not None else flood_prior.design_depth_mm(return_period_years, duration_h)
    storm = design_hyetograph(depth_mm, duration_h, horizon_h, shape)
    rain = {"baseline": np.zeros((members, horizon_h)),
            "variant": storm[None, :] * draws["rain_factor"].to_numpy()[:, None]}
    params = [GR4Params(d.x1, d.x2, d.x3, d.x4) for d in draws.itertuples()]
    states = [initial_state(p, d.s0, pet[0]) for p, d in zip(params, draws.itertuples())]
    runs = {}
    for key, members_rain in rain.items():
        q_mm = np.stack([gr4(members_rain[m], pet, params[m], timestep="hourly", state=states[m])
                         for m in range(members)])
        q = mm_per_step_to_m3s(q_mm, draws["area_km2"].to_numpy()[:, None], 1.0)
        depth = compound_depth_m(q, draws["width_m"], draws["manning_n"], draws["slope"], draws["bank_m"],
                                 draws["cross_slope"])
        runs[key] = {"rain": members_rain, "discharge": q, "stage": depth}
    river_geom = synthetic_hand(territory, (river.name,)).river
    G = territory.graphs["drive"]
    edges = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
    from shapely.geometry import LineString  # noqa: PLC0415
    import geopandas as gpd  # noqa: PLC0415

    egeom = gpd.GeoSeries([d.get("geometry") or LineString([(G.nodes[u]["x"], G.nodes[u]["y"]),
                                                            (G.nodes[v]["x"], G.nodes[v]["y"])])
                           for u, v, k, d in edges], crs=territory.crs)
    bank, slope = draws["bank_m"].to_numpy()[:, None], draws["cross_slope"].to_numpy()[:, None]
    b_dist = territory.layers["buildings"].geometry.distance(river_geom).to_numpy()
    segment = street_segments(edges)
    e_dist = segment_min(egeom.distance(river_geom).to_numpy(), segment)  # a two-way street: one distance
    levels = {lvl: draws["bank_m"].to_numpy() + offset for lvl, offset in flood_prior.LEVELS_BELOW_BANK_M.items()}
    return {"t0": t0, "epoch": forecast_time is None, "times": pd.date_range(t0 + pd.Timedelta(hours=1),
                                                                               periods=horizon_h, freq="1h"),
            "river": river, "draws": draws, "station": station, "depth_mm": float(depth_mm), "runs": runs,
            "levels": levels, "b_hand": bank + slope * b_dist[None, :], "e_hand": bank + slope * e_dist[None, :],
            "edges": edges, "segment": segment, "horizon_h": horizon_h}


def member_table(stage: np.ndarray, levels: dict, b_hand: np.ndarray, occupants: np.ndarray,
                 e_hand: np.ndarray) -> dict:
    """Each member's own KPIs (as the gauged forecast's ``_member_kpis``, but with each member's own alert
    levels and floodplain): ``{kpi name: (member,) array}``."""
    peaks = stage.max(axis=1)
    last = stage.shape[1] - 1
    at = np.argmax(stage, axis=1)
    out = {"peak_stage_m": peaks, "peak_stage_p95_m": peaks, "peak_after_h": np.where(at < last, at + 1.0, np.nan)}
    for lvl, level in levels.items():
        above = stage >= level[:, None]
        crossed = above.any(axis=1)
        out[f"p_{lvl}_pct"] = 100.0 * crossed
        out[f"lead_time_{lvl}_h"] = np.where(crossed, np.argmax(above, axis=1) + 1.0, np.nan)
    wet = b_hand < peaks[:, None]
    out["buildings_flooded"] = out["buildings_to_alert"] = wet.sum(axis=1).astype(float)
    out["people_to_alert"] = (wet * occupants[None, :]).sum(axis=1)
    out["streets_to_close"] = (e_hand < peaks[:, None] - 0.05).sum(axis=1).astype(float)
    return out


__all__ = ["DESIGN_EPOCH", "design_hyetograph", "member_table", "ungauged_forecast"]
