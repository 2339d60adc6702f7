"""Calibrate the territory's demand on traffic counts, and judge the fit with the GEH statistic.

The demand of :mod:`twin.models.demand` has two factors — internal and through traffic. They
are fitted so that the peak-hour equilibrium flows match the mean weekday peak-hour counts of
the counting stations (both directions of the counted street), by least squares on
(model − count) / √count with a ridge regularisation pulling the log-factors toward 0
(weight ``ridge``), each evaluation a full equilibrium (bi-conjugate Frank–Wolfe).

GEH (UK DMRB, TA 46/97): a station fits when GEH < 5; the usual acceptance is 85 % of them.

Stations left out — no usable peak-hour reading, or no street of the drive graph to compare
with — are named with the reason in ``CountFit.dropped``; missing and flagged readings are
counted per station (``missing``, ``flagged`` columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from twin.calibration.metrics import geh
from twin.models.demand import WEEKDAY_PROFILE, gravity_demand, road_network
from twin.models.traffic import assign
from twin.timeutil import LOCAL_TZ


@dataclass
class CountFit:
    internal_scale: float
    through_scale: float
    stations: pd.DataFrame  # sensor_id, street, observed, before, after, geh_before, geh_after
    share_geh_below_5_before: float
    share_geh_below_5_after: float
    evaluations: int
    dropped: list = field(default_factory=list)  # [{"sensor_id", "street", "why"}] stations not in the fit


def observed_peak_counts(store, territory, *, start=None, end=None, tz: str = LOCAL_TZ) -> pd.DataFrame:
    """Mean weekday (Mon–Thu, August excepted) count in the profile's peak hour, per counting station.

    Every station of the store is accounted for: a station with no usable peak-hour reading is
    listed in ``result.attrs["dropped"]`` (sensor, street, why); per station, ``days`` are the
    readings averaged, ``missing`` the peak-hour weekday readings left out because they are
    missing (NaN) and ``flagged`` those the store flags (quality ≠ 0).
    """
    reg = store.sensors
    st = reg[reg["quantity"] == "traffic_flow"]
    if st.empty:
        raise ValueError(f"{store.path}: no traffic counting station (quantity traffic_flow)")
    peak_h = int(np.argmax(WEEKDAY_PROFILE))
    rows, dropped = [], []
    for _, s in st.iterrows():
        obs = store.query(s["sensor_id"], start, end, include_flagged=True)
        t = pd.DatetimeIndex(obs["time"]).tz_convert(tz)
        sel = (t.hour == peak_h) & (t.day_of_week < 4) & (t.month != 8)
        values = obs["value"].to_numpy(float)[sel]
        flagged = obs["quality"].to_numpy()[sel] != 0
        missing = ~np.isfinite(values) & ~flagged
        good = ~flagged & ~missing
        if not good.any():
            why = (f"no reading in the peak hour ({peak_h:02d}:00 local) of a Monday–Thursday outside August"
                   if not sel.any() else f"its {int(sel.sum())} peak-hour weekday readings are all missing or flagged "
                   f"({int(missing.sum())} missing, {int(flagged.sum())} flagged)")
            dropped.append({"sensor_id": s["sensor_id"], "street": s["name"], "why": why})
            continue
        rows.append({"sensor_id": s["sensor_id"], "edge_id": s["asset_id"], "street": s["name"],
                     "observed": float(values[good].mean()), "days": int(good.sum()),
                     "missing": int(missing.sum()), "flagged": int(flagged.sum())})
    out = pd.DataFrame(rows, columns=["sensor_id", "edge_id", "street", "observed", "days", "missing", "flagged"])
    out.attrs["dropped"] = dropped
    return out


def calibrate_demand(territory, counts: pd.DataFrame, *, ridge: float = 0.01, gap: float = 1e-5) -> CountFit:
    """Fit the internal and through factors of the demand to peak-hour counts."""
    G = territory.graphs["drive"]
    road = road_network(G)
    demand = gravity_demand(territory, road)
    net = road.to_tntp()
    edge_pos = {G.edges[e]["id"]: i for i, e in enumerate(road.edges)}
    dropped = list(counts.attrs.get("dropped", []))
    # A station that maps to no street of the drive graph cannot be compared with a modelled flow: named, not fitted.
    unmapped = ~counts["edge_id"].isin(list(edge_pos))
    for _, c in counts[unmapped].iterrows():
        where = "no street (edge) given" if pd.isna(c["edge_id"]) or c["edge_id"] == "" else \
            f"edge {c['edge_id']!r} is not in the territory's drive graph"
        dropped.append({"sensor_id": c["sensor_id"], "street": c.get("street"), "why": f"maps to no street: {where}"})
    counts = counts[~unmapped].reset_index(drop=True)
    if counts.empty:
        raise ValueError("no counting station left to calibrate on: " +
                         "; ".join(f"{d['sensor_id']}: {d['why']}" for d in dropped))
    groups = []
    for e in counts["edge_id"]:
        i = edge_pos[e]
        rev = np.flatnonzero((road.init == road.term[i]) & (road.term == road.init[i]) & (road.way_ids == road.way_ids[i]))
        groups.append(np.r_[i, rev])
    obs = counts["observed"].to_numpy(float)
    n_eval = [0]

    def model(theta, g):
        n_eval[0] += 1
        f = assign(net, demand.combined(*np.exp(theta)), gap=g).flows
        return np.array([f[i].sum() for i in groups])

    def loss(theta, g):
        return float((((model(theta, g) - obs) / np.sqrt(np.maximum(obs, 1.0))) ** 2).sum() + ridge * (theta ** 2).sum())

    before = model(np.zeros(2), gap)
    # A coarse search on quick equilibria (gap 1e-4), then a short refinement on precise ones.
    coarse = minimize(loss, np.zeros(2), args=(1e-4,), method="Nelder-Mead",
                      options={"xatol": 1e-3, "fatol": 1e-4, "maxiter": 200})
    simplex = np.array([coarse.x, coarse.x + [0.01, 0], coarse.x + [0, 0.01]])
    res = minimize(loss, coarse.x, args=(gap,), method="Nelder-Mead",
                   options={"initial_simplex": simplex, "xatol": 1e-4, "fatol": 1e-6, "maxfev": 30})
    after = model(res.x, gap)
    g0, g1 = geh(before, obs), geh(after, obs)
    table = counts.assign(before=before, after=after, geh_before=g0, geh_after=g1)
    return CountFit(float(np.exp(res.x[0])), float(np.exp(res.x[1])), table, float((g0 < 5).mean()),
                    float((g1 < 5).mean()), n_eval[0], dropped)
