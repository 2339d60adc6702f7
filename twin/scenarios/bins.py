"""Bins: densify, buy compacting bins, follow the fill sensors — what it gives and what it costs.

The baseline is the town's current practice: its street litter bins (``waste_basket``), collected
on fixed days (Redon's history: Monday, Wednesday, Friday). A variant changes any of:

* the **policy** — fixed days, threshold ("bins above 80 % in tomorrow's round"), predictive
  ("bins that will be full before the next round") — and the round days;
* **compacting bins** replacing the ``compacting_bins`` fullest bins (solar compacting bins hold
  ``compaction_factor`` × a ``compacting_capacity_l`` body: 5–7 × 120 l for the models Istres bought);
* **added bins**, at given points (lon/lat) or at the ``add_best`` locations that cover the most
  walking demand not yet within ``coverage_m`` of a bin (greedy maximum coverage, Church & ReVelle
  1974, on the walk graph; demand = building floor area, places count as 2,000 m² each);
  deposits move to a new bin from the bins whose catchment it takes over (nearest bin on foot);
* bins **closed** temporarily (a night market): their deposits go on the ground.

**The market** is the territory's own: ``territory.defaults["bins"]["market"]`` (the seed's in
``seeds/redon/seed.json``: Monday 08–13 h, bins within 200 m of the market place), read by
:func:`market_of`. Bins within ``radius_m`` of the territory's place of category ``market`` form the
group ``market``, and the fill model assumes a weekly event raising their deposits in those hours —
an assumption checked against the records (kept, moved or dropped, :func:`fit_fill_model_checked`;
the outcome's ``fill_model_events`` says which). A territory without a market (or without a market
place) has no market effect: every bin is a ``street`` bin.

Fill rates come from the territory's own sensor history, calibrated by
:func:`twin.calibration.bins.fit_fill_model`; the simulation is :mod:`twin.models.waste`, run for
``members`` seeds: KPI values are the member means, ``low``/``high`` the 5–95 % band, and every
member's KPIs are kept (the variable ``members``, seeds in the attribute ``member_seeds``) for the
paired comparison of :mod:`twin.paired`.

What is known and what is true are kept apart. In each member the season's **true** rate of a bin
is drawn around its calibrated rate (lognormal) with what the calibration cannot know: the
uncertainty of the bin's long-run rate (τ, the between-bin spread, for a new bin) and how far a
bin's rate wanders from month to month in the records (``FillModel.drift_log_sd``). Deposits then
vary from day to day (``FillModel.day_log_sd``: the spread of the recorded collection intervals)
and hour to hour around it. The **predictive** policy plans from the calibrated rates — the fill
model's forecast — never from the member's true rates. Baseline and variant of a member share the
same true rates and deposits (common random numbers), so their difference is the policy's.

Costs and emissions are assumptions, in the outcome's attributes and, each with its unit, year and
source, in the factors table (:data:`twin.economics.FACTORS`, ``twin/data/factors.csv``; :data:`COSTS`
names the rows): agents €28/h loaded, two per truck; fuel 30 l/100 km at €1.75/l; 3.16 kg CO2e per
litre of diesel (order of magnitude of ADEME Base Carbone, road diesel, upstream included); a
compacting bin €5,950 (middle of the €5,400–6,500 quoted for Istres); a fill sensor €250 + €60/year;
a classic bin €400.

Besides the KPIs, the outcome carries the layer ``bins`` (one row per bin and variant: position, body,
planned rate, and the members' mean hours full, litter and collections) and the series
``fill_mean_pct`` and ``full_share_pct`` (variant × hour of the season, mean of the members).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import param
import xarray as xr

from twin.calibration.bins import FillModel, WeeklyEvent, fit_fill_model_checked, records_from_store
from twin.economics import factor, life_note, payback_years, service_life_years
from twin.models.accessibility import nearest_nodes
from twin.models.vehicle_routing import street_matrices
from twin.models.waste import BinSpec, Fleet, Policy, Sensors, WasteModelError, WasteSim
from twin.outcome import KPI, Outcome
from twin.scenarios.base import Scenario, ScenarioError
from twin.timeutil import MINUTES_PER_DAY, HourRangeError, is_iso_date_text, parse_hour_range

COST_FACTORS = {"agent_eur_per_h": "agent_eur_per_h", "crew_per_truck": "crew_per_truck",
                "fuel_l_per_100km": "truck_fuel_l_per_100km", "fuel_eur_per_l": "diesel_eur_per_l",
                "co2_kg_per_l": "diesel_co2_kg_per_l", "compacting_bin_eur": "compacting_bin_eur",
                "sensor_eur": "fill_sensor_eur", "sensor_eur_per_year": "fill_sensor_eur_per_year",
                "bin_eur": "litter_bin_eur"}
"""Each cost or emission assumption of a bins run and the row of the factors table it comes from."""
COSTS = {key: factor(row) for key, row in COST_FACTORS.items()}
MARKET_KEYS = {"weekday": "0 (Monday) … 6", "hours": "[start, end), whole local hours 0…24",
               "radius_m": "metres around the place of category 'market'", "why": "optional text"}
"""The keys of a territory's market, ``territory.defaults["bins"]["market"]`` (see :func:`market_of`)."""

KPIS = [
    KPI("overflow_events_per_week", "events/week", "human", "times a bin became full (what follows is spilt)"),
    KPI("overflow_bin_hours_per_week", "bin·h/week", "human", "hours bins spent full, summed over bins"),
    KPI("litter_l_per_week", "l/week", "human", "deposits that ended on the ground (full or closed bins)"),
    KPI("demand_covered_pct", "%", "human", "walking demand (floor area) within the coverage distance of a bin",
        higher_is_better=True),
    KPI("truck_km_per_year", "km/year", "environmental", "distance driven by the collection trucks"),
    KPI("fuel_l_per_year", "l/year", "environmental", "diesel burnt by the trucks"),
    KPI("co2_kg_per_year", "kg CO2e/year", "environmental", "emissions of that diesel (ADEME Base Carbone)"),
    KPI("agent_hours_per_year", "h/year", "financial", "agent time on rounds (crew × round time)"),
    KPI("operating_cost_eur_per_year", "€/year", "financial", "agents, fuel and sensor subscriptions"),
    KPI("capital_cost_eur", "€", "financial", "compacting bins, new bins, sensors bought"),
    KPI("payback_years", "years", "financial", "capital ÷ yearly operating saving (inf: never pays back)"),
    KPI("rounds_beyond_limits_pct", "%", "human",
        "round days whose plan exceeds the trucks' capacity or shift (extra unloading trips, overtime)"),
]


POLICY_ALONE = "the same policy without the compacting and added bins"
"""What a variant's payback is counted against when it buys bins (the outcome's ``payback_over``): what they
save beyond the same collection without them, not beyond today's."""
MAX_BIN_DAYS = 1_000_000
"""Budget of one bins run: members × days × bins (per variant). Measured on the Redon seed (27 bins) on a
shared 2-core machine: ~5 s and ~6 MB per member-year; 1e6 bin-days there is 100 member-years."""


class BinCollection(Scenario):
    """Litter bins: policy, compacting bins, added or closed bins — overflow, truck km, cost."""

    family = "bins"
    # a sensed policy's fields: on fixed days nothing reads the fill (the threshold slider moved, the
    # results stayed; an elected official took it for a control that does nothing)
    read_when = {name: ({"policy": ("threshold", "predictive")},)
                 for name in ("threshold_pct", "sensor_eur", "sensor_eur_per_year", "sensors_fitted")}
    # the rows of the factors table (twin.economics.FACTORS) its defaults come from, cited in reports
    factors = (*COST_FACTORS.values(), "compacting_bin_life_years", "litter_bin_life_years", "fill_sensor_life_years")

    policy = param.Selector(default="predictive", objects=["fixed", "threshold", "predictive"],
                            doc="[-] collection policy of the variant")
    round_weekdays = param.List(default=[0, 1, 2, 3, 4], item_type=int, bounds=(0, 7),
                                doc="[-] days with a round (Monday = 0) in the variant; fixed rounds "
                                    "given without them: today's (baseline_weekdays)")
    threshold_pct = param.Number(default=90.0, bounds=(1.0, 100.0), doc="[%] fill that triggers a collection")
    baseline_weekdays = param.List(default=[0, 2, 4], item_type=int, bounds=(0, 7),
                                   doc="[-] the town's current fixed round days (Monday = 0)")
    compacting_bins = param.Integer(default=0, bounds=(0, 1000),
                                    doc="[bins] fullest bins replaced by compacting bins (at most the town's bins)")
    compaction_factor = param.Number(default=5.0, bounds=(1.0, 10.0), doc="[-] compaction ratio of those bins")
    compacting_capacity_l = param.Number(default=120.0, bounds=(10.0, 1000.0),
                                         doc="[l] body volume of a compacting bin")
    bin_capacity_l = param.Number(default=80.0, bounds=(10.0, 1000.0), doc="[l] volume of the town's bins")
    add_best = param.Integer(default=0, bounds=(0, 200), doc="[bins] new bins at the best-covering locations")
    add_points = param.List(default=[], bounds=(0, 200), doc="[°] new bins at these [lon, lat] points")
    coverage_m = param.Number(default=100.0, bounds=(10.0, 1000.0), doc="[m] walking distance a bin serves")
    close_bins = param.List(default=[], bounds=(0, 10000), doc="[-] bin ids closed during the closure window")
    close_weekday = param.Integer(default=4, bounds=(0, 6), doc="[-] weekday of the closure (Monday = 0)")
    close_hours = param.String(default="18:00-24:00", doc="[-] hours of the closure, HH:MM-HH:MM")
    # prices a manager tests (Istres paid 5 400–6 500 € a compacting bin): the factors table's by default
    compacting_bin_eur = param.Number(default=COSTS["compacting_bin_eur"], bounds=(0, 1e6),
                                      doc="[€] price of a compacting bin, installed")
    bin_eur = param.Number(default=COSTS["bin_eur"], bounds=(0, 1e6), doc="[€] price of a new litter bin, installed")
    sensor_eur = param.Number(default=COSTS["sensor_eur"], bounds=(0, 1e5), doc="[€] price of a fill-level sensor")
    sensor_eur_per_year = param.Number(default=COSTS["sensor_eur_per_year"], bounds=(0, 1e4),
                                       doc="[€/year] subscription of a fill-level sensor (its data plan)")
    # a syndicate asking whether sensors pay off has none yet, whatever sensors the demonstration's data carry
    sensors_fitted = param.Boolean(default=True,
                                   doc="[-] the town's bins already carry the fill sensors of its history: a "
                                       "sensed policy buys none for them (False: one is bought for every bin it "
                                       "watches, to price them)")
    agent_eur_per_h = param.Number(default=COSTS["agent_eur_per_h"], bounds=(0, 1000),
                                   doc="[€/h] loaded cost of an agent on the rounds")
    fuel_eur_per_l = param.Number(default=COSTS["fuel_eur_per_l"], bounds=(0, 100), doc="[€/l] price of diesel")
    trucks = param.Integer(default=1, bounds=(1, 20), doc="[trucks] trucks available per round")
    truck_capacity_l = param.Number(default=3000.0, bounds=(0, 100000), doc="[l] bin contents a truck carries")
    start = param.String(default="2023-04-03", doc="[-] first day of the season (YYYY-MM-DD)")
    days = param.Integer(default=91, bounds=(1, 3660), doc="[days] length of the season")
    members = param.Integer(default=5, bounds=(1, 1000),
                            doc="[-] seeds simulated (band = 5–95 %); members × days × bins ≤ MAX_BIN_DAYS")
    seed = param.Integer(default=0, bounds=(0, 2**32 - 1),
                         doc="[-] seed of the true rates, deposits and sensor failures")
    variant_name = param.String(default="", doc="[-] label of the variant (default: from the policy)")

    def __init__(self, **params):
        # fixed rounds given without their days are today's (``baseline_weekdays``), not the declaration's
        # every weekday: a file or the CLI asking for fixed rounds and 5 compacting bins ran five rounds a week
        # against today's three, the cost from the rounds read as the bins' (the form did this already)
        if params.get("policy") == "fixed" and "round_weekdays" not in params:
            todays = params.get("baseline_weekdays", type(self).param["baseline_weekdays"].default)
            params = {**params, "round_weekdays": list(todays) if isinstance(todays, (list, tuple)) else todays}
        super().__init__(**params)

    def validate(self) -> None:
        """Round days are weekdays 0–6, the start a date, added points [lon, lat] pairs, and the run fits the
        budget before any bin is known (members × days ≤ MAX_BIN_DAYS: one bin); :meth:`run` checks it
        again with the territory's bins, before simulating."""
        for name in ("round_weekdays", "baseline_weekdays"):
            days = getattr(self, name)
            if not days or any(not 0 <= d <= 6 for d in days) or len(set(days)) != len(days):
                # an empty list too: every policy needs at least one round day (twin.models.waste.Policy)
                raise ScenarioError(f"{name}: expected distinct weekdays 0–6 (Monday = 0), at least one, got "
                                    f"{days[:7]}", key="err_weekdays",
                                    values={"parameter": name, "text": str(days[:7])})
        try:
            if not is_iso_date_text(self.start) or pd.isna(pd.Timestamp(self.start)):
                raise ValueError  # 03/04/2023 is refused, not read as 4 March
        except (ValueError, TypeError, OverflowError):
            raise ScenarioError(f"start: {str(self.start)[:40]!r} is not a date; expected YYYY-MM-DD",
                                key="err_date", values={"parameter": "start", "text": str(self.start)[:40]}) from None
        for k, p in enumerate(self.add_points):
            if not (isinstance(p, (list, tuple)) and len(p) == 2 and all(
                    isinstance(x, (int, float)) and not isinstance(x, bool) and np.isfinite(x) for x in p)
                    and -180 <= p[0] <= 180 and -90 <= p[1] <= 90):
                raise ScenarioError(f"add_points[{k}]: expected [lon, lat] in degrees (WGS84)", key="err_point",
                                    values={"parameter": "add_points", "item": k + 1, "text": str(p)[:60]})
        _hours(self.close_hours)
        self._check_budget(1)

    def costs(self) -> dict:
        """The run's costs and emission factors: the factors table's (:data:`COSTS`), the prices the run was
        given instead."""
        return {**COSTS, **{k: getattr(self, k) for k in COSTS if k in self.param}}

    def _check_budget(self, n_bins: int) -> None:
        work = self.members * self.days * n_bins
        if work > MAX_BIN_DAYS:
            raise ScenarioError(f"members × days × bins = {self.members} × {self.days} × {n_bins} = {work:,} is more "
                                f"than the {MAX_BIN_DAYS:,} bin-days a bins run may simulate; fewer members or "
                                "a shorter season", key="err_bins_budget",
                                values={"members": self.members, "days": self.days, "bins": n_bins, "work": work,
                                        "limit": MAX_BIN_DAYS})

    def run(self, territory, progress=None) -> Outcome:
        self.validate()
        bins = territory.layers["bins"]
        n_baskets = int((bins["kind"] == "waste_basket").sum())
        if self.compacting_bins > n_baskets:
            raise ScenarioError(f"compacting_bins: {self.compacting_bins} is more than the {n_baskets} litter bins "
                                f"of {territory.name!r}", key="err_compacting_bins",
                                values={"count": self.compacting_bins, "bins": n_baskets,
                                        "territory": territory.name})
        # the budget with the bins the run will hold, before anything is set up or simulated
        self._check_budget(n_baskets + self.add_best + len(self.add_points))
        setup = self.setup(territory)
        base = self._simulate(setup, variant=False, progress=progress)
        var = self._simulate(setup, variant=True, progress=progress)
        name = self.variant_name or f"{self.policy} {''.join('LMMJVSD'[d] for d in self.round_weekdays)}"
        # members are paired (same true rates and deposits): each member's own saving, its own payback
        saving = (base["members"]["operating_cost_eur_per_year"]
                  - var["members"]["operating_cost_eur_per_year"]).to_numpy()
        cap = float(var["mean"]["capital_cost_eur"])
        paid_over = self._policy_alone(setup, progress) if cap > 0 else None
        if paid_over is not None and cap <= float(paid_over["mean"]["capital_cost_eur"]):
            paid_over = None  # the bins cost nothing themselves (a price set to 0): the package's payback
        if paid_over is not None:
            # compacting or added bins bought with a new collection policy: they pay back on what they add to
            # that policy run alone (the same members), not on its saving too (a manager read 30,3 years for
            # compacting bins whose own was 33,8: the policy's 204 €/yr, free on a town with its sensors, counted)
            saving = saving - (base["members"]["operating_cost_eur_per_year"]
                               - paid_over["members"]["operating_cost_eur_per_year"]).to_numpy()
            cap -= float(paid_over["mean"]["capital_cost_eur"])
        mean_saving = float(saving.mean())
        base["mean"]["payback_years"] = base["low"]["payback_years"] = base["high"]["payback_years"] = 0.0
        var["mean"]["payback_years"] = payback_years(cap, mean_saving)
        per_member = np.array([payback_years(cap, x) for x in saving])
        var["low"]["payback_years"] = float(np.quantile(per_member, 0.05, method="inverted_cdf"))
        var["high"]["payback_years"] = float(np.quantile(per_member, 0.95, method="inverted_cdf"))
        # what the capital buys, each with its assumed life
        parts = self.capital_parts(setup, len(var["specs"]), variant=True)
        life = service_life_years([(parts["compacting"], factor("compacting_bin_life_years")),
                                   (parts["added"], factor("litter_bin_life_years")),
                                   (parts["sensors"], factor("fill_sensor_life_years"))])
        out = Outcome.from_values("bins", KPIS, {"baseline": base["mean"], name: var["mean"]},
                                  investment_life_years=life_note({name: life}),
                                  fill_model_sigma=f"{setup['model'].sigma:.3f}", costs=self.costs(),
                                  fill_model_events="; ".join(f"{c['event']} ({c['assumed']}): {c['verdict']}, "
                                                              f"{c['why']}" for c in setup["model"].event_checks)
                                  or "none assumed",
                                  market=_market_text(market_of(territory), territory), members=self.members, days=self.days, bins=len(setup["bins"]),
                                  **({"priors": setup["prior"]} if setup["prior"] else {}),
                                  added_bins=len(setup["added"]),
                                  payback_over=POLICY_ALONE if paid_over is not None else "the baseline",
                                  # the sensor price buys none for them: said (a manager set it to 5 000 € and
                                  # saw 0 € invested, the form still offering the price)
                                  # (on fixed days no sensor is read: nothing to say)
                                  sensors_already_fitted=0 if setup["prior"] or self.policy == "fixed"
                                  or not self.sensors_fitted else len(setup["baskets"]))
        for band in ("low", "high"):
            arr = np.array([[s[band][k.name] for k in KPIS] for s in (base, var)])
            out.data[band] = (("variant", "kpi"), arr)
        # every member's KPIs, for the paired comparison (same seeds in both variants); the payback of a
        # member is its own (the baseline's none)
        base["members"]["payback_years"] = 0.0
        var["members"]["payback_years"] = per_member
        out.add_members(np.stack([s["members"][[k.name for k in KPIS]].to_numpy(float).T for s in (base, var)]),
                        self.member_seeds())
        self._attach_maps_and_charts(out, setup, {"baseline": base, name: var}, territory.crs)
        return out

    def _attach_maps_and_charts(self, out: Outcome, setup: dict, sims: dict, crs) -> None:
        """The per-bin layer and the hourly fill series of each variant, means over the ensemble's members
        — what the map and the fill chart draw. Means, as the cards: drawn from the last member alone, the
        map's hours full added up to 51,0 a week where the card said 48,3, and nothing said why."""
        xy = np.column_stack([setup["baskets"].geometry.x, setup["baskets"].geometry.y])
        if len(setup["added"]):
            xy = np.vstack([xy, setup["added"]])
        n_old = len(setup["baskets"])
        rows = []
        for variant, sim in sims.items():
            per_bin, specs = sim["per_bin"], sim["specs"]
            n = len(specs)
            rows.append(pd.DataFrame({
                "variant": variant, "bin_id": [s.id for s in specs],
                "x": xy[:n, 0], "y": xy[:n, 1], "new": np.arange(n) >= n_old,
                "capacity_l": [float(s.capacity_l) for s in specs],
                "compaction": [float(s.compaction) for s in specs],
                "closed": [bool(s.closed) for s in specs],
                "forecast_rate_l_per_h": [float(s.rate_l_per_h) for s in specs],
                "overflow_hours": per_bin["overflow_hours"],
                "overflow_hours_per_week": per_bin["overflow_hours"] / (sim["hours"] / 168.0),
                "litter_l": per_bin["litter_l"],
                "collections": per_bin["collections"],
            }))
        out.add_table("bins", pd.concat(rows, ignore_index=True), kind="layer", key="bin_id",
                      description="each bin of each variant (added bins are 'new-k'): its body, its planned "
                                  "(calibrated) deposit rate, and what the ensemble's members saw on average — "
                                  "hours full, litter, collections",
                      units={"x": f"m ({crs})", "y": f"m ({crs})", "capacity_l": "l", "compaction": "1",
                             "forecast_rate_l_per_h": "l/h", "overflow_hours": "h",
                             "overflow_hours_per_week": "h/week", "litter_l": "l", "collections": "collections"})
        hours = np.arange(self.days * 24)
        for key, unit, what in (("fill_mean_pct", "%", "mean fill of the bins (% of their room)"),
                                ("full_share_pct", "%", "share of the bins that are full")):
            arr = np.stack([sim["hourly"][key] for sim in sims.values()])
            out.add_series(key, xr.DataArray(arr, dims=("variant", "hour"),
                                             coords={"variant": list(sims), "hour": hours}),
                           unit=unit, description=f"{what}, hour by hour from the season's start ({self.start}), "
                                                  "mean of the ensemble's members")
        out.data["hour"].attrs.update({"unit": "h", "description": f"hours since {self.start} 00:00"})

    # --- what both variants share -------------------------------------------------------------
    def setup(self, territory) -> dict:
        """The territory's bins, their calibrated rates, street matrices, added bins and coverage."""
        bins = territory.layers["bins"]
        baskets = bins[bins["kind"] == "waste_basket"].reset_index(drop=True)
        if baskets.empty:
            raise ScenarioError(f"territory {territory.name!r} has no litter bin (waste_basket)", key="err_no_bins",
                                values={"territory": territory.name})
        unknown = sorted(set(map(str, self.close_bins)) - set(baskets["id"]))
        if unknown:
            raise ScenarioError(f"close_bins: {unknown} are not litter bins of {territory.name!r} "
                                f"(ids look like {baskets['id'].iloc[0]!r})", key="err_close_bins",
                                values={"ids": ", ".join(repr(u) for u in unknown[:10])[:300],
                                        "territory": territory.name, "example": repr(baskets["id"].iloc[0])})
        model, town_log_sd, prior = fill_model_or_prior(territory)
        groups = _groups(territory, baskets, market_of(territory))
        rates_pct = np.array([model.rate_of(i, g) for i, g in zip(baskets["id"], groups, strict=True)])
        weights = [model.hourly_weights(g) for g in groups]
        walk = territory.graphs["walk"]
        demand = _walking_demand(territory, walk)
        added = self._added_points(territory, baskets, walk, demand)
        all_xy = np.vstack([np.column_stack([baskets.geometry.x, baskets.geometry.y]), added]) if len(added) \
            else np.column_stack([baskets.geometry.x, baskets.geometry.y])
        rates_l = rates_pct * self.bin_capacity_l / 100.0
        # what a season's true rate may differ from the calibrated one by: estimate error and drift
        rate_log_sd = np.hypot([model.rate_log_sd_of(i) for i in baskets["id"]], model.drift_log_sd)
        share, covered_before, covered_after = _catchments(walk, demand, all_xy, len(baskets), self.coverage_m)
        G = territory.graphs["drive"]
        core = G.subgraph(max(nx.strongly_connected_components(G), key=len))
        depot_pt = territory.place("townhall")
        if depot_pt.empty:
            depot_xy = all_xy.mean(axis=0)
        else:
            p = depot_pt.geometry.iloc[0].representative_point()
            depot_xy = np.array([p.x, p.y])
        nodes = nearest_nodes(core, np.r_[depot_xy[0], all_xy[:, 0]], np.r_[depot_xy[1], all_xy[:, 1]])
        D, T = street_matrices(core, list(nodes))
        return {"baskets": baskets, "groups": groups, "model": model, "rates_l": rates_l, "rate_log_sd": rate_log_sd,
                "town_log_sd": town_log_sd, "prior": prior,
                "share": share, "weights": weights,
                "added": added, "D": D, "T": T, "covered_before": covered_before, "covered_after": covered_after,
                "bins": list(baskets["id"]) + [f"new-{k}" for k in range(len(added))],
                "start_slot": pd.Timestamp(self.start).day_of_week * 24}

    def _added_points(self, territory, baskets, walk, demand) -> np.ndarray:
        pts = []
        if self.add_points:
            from pyproj import Transformer  # noqa: PLC0415

            tr = Transformer.from_crs("EPSG:4326", territory.crs, always_xy=True)
            for k, p in enumerate(self.add_points):
                if not (isinstance(p, (list, tuple)) and len(p) == 2):
                    raise ScenarioError(f"add_points[{k}]: expected [lon, lat], got {p!r}", key="err_point",
                                        values={"parameter": "add_points", "item": k + 1, "text": str(p)[:60]})
                x, y = tr.transform(float(p[0]), float(p[1]))
                pts.append((x, y))
            _check_on_the_streets(walk, np.asarray(pts, float), self.add_points)
        if self.add_best:
            existing = np.column_stack([baskets.geometry.x, baskets.geometry.y])
            if pts:
                existing = np.vstack([existing, pts])
            pts += best_locations(walk, demand, existing, self.add_best, self.coverage_m)
        return np.asarray(pts, float).reshape(-1, 2)

    def _specs(self, setup, variant: bool, rates_l: np.ndarray) -> tuple[list[BinSpec], Policy, Sensors]:
        """The bins of a variant, with deposit rates ``rates_l`` (l/h) for the town's current bins."""
        n_old = len(setup["baskets"])
        rates = _rates_after_densification(rates_l, setup["share"], len(setup["added"])) if variant \
            else rates_l
        specs = [BinSpec(setup["bins"][i], self.bin_capacity_l, float(rates[i]), setup["weights"][i])
                 for i in range(n_old)]
        if variant:
            flat = np.mean(setup["weights"], axis=0)
            specs += [BinSpec(setup["bins"][n_old + k], self.bin_capacity_l, float(r), flat)
                      for k, r in enumerate(rates[n_old:])]
            fullest = np.argsort(-setup["rates_l"])[:self.compacting_bins]
            for i in fullest:
                specs[i].capacity_l = self.compacting_capacity_l
                specs[i].compaction = self.compaction_factor
            lo, hi = _hours(self.close_hours)
            closed = set(map(str, self.close_bins))
            first = (self.close_weekday * 24 - setup["start_slot"]) % 168
            windows = [(w + lo, w + hi) for w in range(first, self.days * 24, 168)]
            for s in specs:
                if s.id in closed:
                    s.closed = windows
            policy = Policy(self.policy, tuple(self.round_weekdays), self.threshold_pct)
        else:
            policy = Policy("fixed", tuple(self.baseline_weekdays))
        return specs, policy, Sensors()

    def member_seeds(self) -> list[int]:
        """The seed of each member — the same in the baseline and the variant (common random numbers):
        member *m* draws its true rates, deposits and sensor failures from ``seed × 1000 + m``
        (``members`` ≤ 1000, so two members of one seed never share one)."""
        return [self.seed * 1000 + m for m in range(self.members)]

    def _simulate(self, setup, variant: bool, progress=None) -> dict:
        # the planner's forecast: the calibrated rates (identical in every member)
        forecast_specs, policy, sensors = self._specs(setup, variant, setup["rates_l"])
        forecast = np.array([s.rate_l_per_h for s in forecast_specs])
        n = len(forecast_specs) + 1
        fleet = Fleet(setup["D"][:n, :n], setup["T"][:n, :n], trucks=self.trucks, capacity_l=self.truck_capacity_l)
        rows = []
        per_bin = {k: 0.0 for k in ("overflow_hours", "litter_l", "collections")}  # summed over the members
        hourly = {k: 0.0 for k in ("fill_mean_pct", "full_share_pct")}
        factors = self.town_factors(setup)
        for k, seed in enumerate(self.member_seeds()):
            specs, _, _ = self._specs(setup, variant, true_rates(setup["rates_l"], setup["rate_log_sd"], seed,
                                                                 factors[k]))
            try:
                sim = WasteSim(specs, fleet, policy, sensors, days=self.days, start_slot=setup["start_slot"],
                               seed=seed, forecast_rates=forecast if policy.kind == "predictive" else None,
                               day_log_sd=setup["model"].day_log_sd())
                res = sim.run()
            except WasteModelError as exc:
                raise ScenarioError(f"bins: {exc}", **_fleet_fault(self)) from None
            rows.append(self._kpis(res, specs, variant, setup))
            for k in per_bin:
                per_bin[k] = per_bin[k] + np.asarray(res.per_bin[k], float)
            for k in hourly:
                hourly[k] = hourly[k] + np.asarray(getattr(res, k), float)
            if progress:
                progress()
        df = pd.DataFrame(rows)
        return {"mean": df.mean().to_dict(), "low": df.quantile(0.05).to_dict(),
                "high": df.quantile(0.95).to_dict(), "members": df, "hours": res.hours, "specs": forecast_specs,
                "per_bin": {k: v / len(rows) for k, v in per_bin.items()},
                "hourly": {k: v / len(rows) for k, v in hourly.items()}}

    def fixed_schedule_members(self, setup, weekdays: tuple[int, ...]) -> pd.DataFrame:
        """Every member's KPIs (rows, in member order) under the fixed rounds ``weekdays``: the town's bins
        as they are, the members' true rates as in :meth:`run` (the same worlds for every schedule)."""
        saved = self.baseline_weekdays
        try:
            self.baseline_weekdays = list(weekdays)
            return self._simulate(setup, variant=False)["members"]
        finally:
            self.baseline_weekdays = saved

    def town_factors(self, setup) -> np.ndarray:
        """Each member's town-wide log-factor of the fill rates (0 without a prior's spread): what fill
        sensors on the town's bins would measure, and what :func:`true_rates` applies. Stratified (Latin
        hypercube in one dimension: McKay, Beckman & Conover 1979): member k of M gets the quantile
        (π(k) + ½)/M of N(0, town_log_sd²), π a seeded permutation — the tails a lognormal factor's mean
        depends on are drawn in every ensemble, not by chance."""
        return town_log_factors(self.members, setup["town_log_sd"], self.seed)

    def _policy_alone(self, setup, progress=None) -> dict | None:
        """The variant's collection policy and round days without its compacting and added bins, simulated on
        the same members — what those bins' payback is measured against; None when the variant keeps the
        town's fixed rounds (then the bins are all it changes) or buys no bins."""
        same_rounds = self.policy == "fixed" and sorted(self.round_weekdays) == sorted(self.baseline_weekdays)
        if same_rounds or not (self.compacting_bins or len(setup["added"])):
            return None
        values = {k: v for k, v in self.param.values().items() if k != "name"}
        alone = type(self)(**{**values, "compacting_bins": 0, "add_best": 0, "add_points": []})
        return alone._simulate({**setup, "added": setup["added"][:0]}, variant=True, progress=None)

    def capital_parts(self, setup, n_bins: int, variant: bool) -> dict[str, float]:
        """What the variant's capital buys [€]: ``compacting`` bins, ``added`` bins and fill ``sensors``
        for the ``n_bins`` bins a sensed policy watches. The town's bins already carry sensors when its
        history has them (Redon's does) unless ``sensors_fitted`` says otherwise; a town on the prior has none:
        one is bought for every bin."""
        if not variant:
            return {"compacting": 0.0, "added": 0.0, "sensors": 0.0}
        owned = len(setup["baskets"]) if self.sensors_fitted and not setup["prior"] else 0
        return {"compacting": self.compacting_bins * self.compacting_bin_eur,
                "added": len(setup["added"]) * self.bin_eur,
                "sensors": (n_bins - owned) * self.sensor_eur if self.policy != "fixed" else 0.0}

    def _kpis(self, res, specs, variant, setup) -> dict:
        weeks = res.hours / 168.0
        per_year = 8760.0 / res.hours
        km = res.truck_km * per_year
        fuel = km * COSTS["fuel_l_per_100km"] / 100.0
        agent_h = res.truck_hours * per_year * COSTS["crew_per_truck"]
        n_sensors = len(specs) if variant and self.policy != "fixed" else 0
        capital = sum(self.capital_parts(setup, len(specs), variant).values())
        return {"overflow_events_per_week": res.overflow_events / weeks,
                "overflow_bin_hours_per_week": res.overflow_bin_hours / weeks,
                "litter_l_per_week": res.ledger["litter"] / weeks,
                "demand_covered_pct": setup["covered_after" if variant else "covered_before"],
                "truck_km_per_year": km, "fuel_l_per_year": fuel, "co2_kg_per_year": fuel * COSTS["co2_kg_per_l"],
                "agent_hours_per_year": agent_h,
                "operating_cost_eur_per_year": agent_h * self.agent_eur_per_h + fuel * self.fuel_eur_per_l
                + n_sensors * self.sensor_eur_per_year,
                "capital_cost_eur": capital, "payback_years": 0.0,
                "rounds_beyond_limits_pct": 100.0 * res.rounds_beyond_limits / max(res.round_days, 1)}


def true_rates(calibrated_l: np.ndarray, log_sd: np.ndarray, seed: int, town_log_factor: float = 0.0) -> np.ndarray:
    """One member's true deposit rates (l/h): lognormal around the calibrated rates with the
    calibration's uncertainty of each log-rate (its own stream, so baseline and variant share it),
    times the member's town-wide factor exp(``town_log_factor``) (a prior's: how a town differs from the
    records it came from, :func:`town_log_factors`; the bins' own draws stay as they were)."""
    rng = np.random.default_rng([seed, 0x7A7E])
    own = calibrated_l * np.exp(np.asarray(log_sd) * rng.standard_normal(len(calibrated_l)))
    return own * np.exp(town_log_factor) if town_log_factor else own


def town_log_factors(members: int, town_log_sd: float, seed: int) -> np.ndarray:
    """The members' town-wide log-factors, stratified (:meth:`BinCollection.town_factors`); zeros without a
    spread."""
    if town_log_sd <= 0 or members < 2:
        return np.zeros(members)
    from scipy.stats import norm  # noqa: PLC0415

    order = np.random.default_rng([seed, 0x70E1]).permutation(members)
    return town_log_sd * norm.ppf((order + 0.5) / members)


def _rates_after_densification(rates_l: np.ndarray, share: np.ndarray, n_added: int) -> np.ndarray:
    """Rates (l/h) of the current bins then the added ones, once deposits follow the catchments:
    a new bin takes over the part of its neighbours' walking demand that is now nearer to it."""
    if not n_added:
        return rates_l
    n_old = len(rates_l)
    return np.r_[rates_l * share.diagonal()[:n_old], (share.T @ rates_l)[n_old:]]


def _hours(text: str) -> tuple[float, float]:
    """The closure window ``close_hours`` as local hours (start, end) of one day, minutes kept
    (:func:`twin.timeutil.parse_hour_range`); a closure does not wrap past midnight."""
    one_day = {"key": "err_close_hours_one_day", "values": {"parameter": "close_hours", "text": str(text)}}
    try:
        a, b = parse_hour_range(text, "close_hours")
    except HourRangeError as exc:
        if exc.kind == "syntax":
            raise ScenarioError(f"close_hours: expected HH:MM-HH:MM, got {text!r}", key=exc.key,
                                values=exc.values) from None
        if exc.kind == "empty":
            raise ScenarioError(f"close_hours: {text!r} must be a window inside one day", **one_day) from None
        raise ScenarioError(str(exc), key=exc.key, values=exc.values) from None
    if b > MINUTES_PER_DAY:
        raise ScenarioError(f"close_hours: {text!r} must be a window inside one day", **one_day)
    # hours + minutes / 60, as the closure windows were always computed
    return a // 60 + (a % 60) / 60, b // 60 + (b % 60) / 60


def _fleet_fault(scenario) -> dict:
    """The message key of a simulation refused for the fleet the form set (a truck that carries nothing;
    :class:`twin.models.waste.WasteModelError`; no truck at all is refused by ``trucks``' bounds), else
    none: the model's own words."""
    if scenario.truck_capacity_l <= 0:
        return {"key": "err_bins_truck_capacity", "values": {"parameter": "truck_capacity_l"}}
    return {}


def market_of(territory) -> dict | None:
    """The territory's weekly market, ``territory.defaults["bins"]["market"]`` checked (keys
    :data:`MARKET_KEYS`), as ``{"weekday": int, "hours": (start, end), "radius_m": float}``; None when
    the territory has none (no market effect). Errors name the key and what it must be."""
    market = (territory.defaults or {}).get("bins", {}).get("market")
    if market is None:
        return None
    where = f"territory {territory.name!r} defaults bins.market"
    if not isinstance(market, dict) or set(market) - set(MARKET_KEYS) or \
            not {"weekday", "hours", "radius_m"} <= set(market):
        raise ScenarioError(f"{where}: expected an object with keys {MARKET_KEYS}, found {market!r}"[:400])

    def whole(x) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)

    day, hours, radius = market["weekday"], market["hours"], market["radius_m"]
    if not (whole(day) and 0 <= day <= 6):
        raise ScenarioError(f"{where}.weekday: {day!r}, expected a whole number 0 (Monday) … 6 (Sunday)")
    if not (isinstance(hours, (list, tuple)) and len(hours) == 2 and all(whole(h) for h in hours)
            and 0 <= hours[0] < hours[1] <= 24):
        raise ScenarioError(f"{where}.hours: {hours!r}, expected [start, end] whole local hours, 0 ≤ start < end ≤ 24")
    if not (isinstance(radius, (int, float)) and not isinstance(radius, bool) and np.isfinite(radius) and radius > 0):
        raise ScenarioError(f"{where}.radius_m: {radius!r}, expected a distance in metres > 0")
    return {"weekday": day, "hours": (hours[0], hours[1]), "radius_m": float(radius)}


def _groups(territory, baskets, market: dict | None) -> list[str]:
    """Location type of each bin: ``market`` within the market's radius of the market place, else ``street``
    (every bin when the territory has no market or no market place)."""
    place = territory.place("market")
    if market is None or place.empty:
        return ["street"] * len(baskets)
    d = baskets.geometry.distance(place.geometry.iloc[0].representative_point())
    return np.where(d <= market["radius_m"], "market", "street").tolist()


def _market_text(market: dict | None, territory) -> str:
    """The market a run assumed, as the outcome's ``market`` attribute says it (as :func:`_groups` does:
    no effect without a market in the defaults, nor without a market place to measure from)."""
    if market is None:
        return "none (the territory has no market in its defaults)"
    if territory.place("market").empty:
        return "none (a market in the defaults, but no market place on the territory's map)"
    return (f"{WEEKDAY_NAMES[market['weekday']]} {market['hours'][0]:02d}–{market['hours'][1]:02d} h, "
            f"bins within {market['radius_m']:g} m of the market place")


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _store_state(path: Path) -> tuple:
    """What the store holds now, cheaply: its files' names, sizes and times (an import changes them)."""
    files = [path / "sensors.parquet", *sorted((path / "observations").glob("*.parquet"))]
    return tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists())


@lru_cache(maxsize=4)
def _fit_cached(store_path: str, group_items: tuple, store_state: tuple,  # noqa: ARG001 - cache key
                market: tuple | None) -> FillModel:
    from twin.sensors import SensorStore  # noqa: PLC0415

    group_of = dict(group_items)
    records = records_from_store(SensorStore(store_path), group_of=lambda a: group_of.get(a, "street"))
    # the market is an assumption about the town: checked against the records, moved or dropped
    events = () if market is None else (WeeklyEvent("market", market[0], *market[1], ("market",)),)
    return fit_fill_model_checked(records, events)


def calibrated_fill_model(territory) -> FillModel:
    """The fill model fitted on the territory's bin sensors (cached per store); raises when it has none
    (:func:`fill_model_or_prior` falls back on the prior)."""
    if territory.sensors is None:
        raise ScenarioError(f"territory {territory.name!r} has no sensor history: bins need fill-level records",
                            key="err_bins_no_history", values={"territory": territory.name})
    bins = territory.layers["bins"]
    baskets = bins[bins["kind"] == "waste_basket"].reset_index(drop=True)
    market = market_of(territory)
    groups = tuple(zip(baskets["id"], _groups(territory, baskets, market), strict=True))
    try:
        path = Path(territory.sensors.path)
        return _fit_cached(str(path), groups, _store_state(path),
                           None if market is None else (market["weekday"], market["hours"]))
    except ValueError as exc:
        raise ScenarioError(f"bins: cannot calibrate fill rates: {exc}") from None


def has_fill_records(territory) -> bool:
    """Whether the territory's sensor store holds fill-level sensors (a store of rain gauges alone does not)."""
    if territory.sensors is None:
        return False
    sensors = territory.sensors.sensors
    return bool(len(sensors)) and bool((sensors["quantity"] == "fill_level").any())


def fill_model_or_prior(territory) -> tuple[FillModel, float, str]:
    """(fill model, town-wide log-sd, priors note): the territory's calibration when it has fill records;
    else the prior fitted on Edinburgh's real records (:mod:`twin.calibration.bins_prior`), every bin at
    its median rate, with the spread between streets drawn once per member for the whole town."""
    if has_fill_records(territory):
        return calibrated_fill_model(territory), 0.0, ""
    from twin.calibration.bins_prior import load_prior  # noqa: PLC0415

    model, params = load_prior()
    return model, float(params["between_street_log_sd"]), (
        f"fill rates: PRIOR, no fill records on this territory — the median of the {params['bins']} bins fitted "
        f"({params['global_rate_pct_per_h']:.2f} %/h), their hour-of-week profile and noise, from {params['source']}; "
        f"spread between bins (log-sd {params['between_bin_log_sd']:.2f}) and between streets, drawn for the whole "
        f"town in each member (log-sd {params['between_street_log_sd']:.2f}); a city centre's bins, which a "
        "village's may not match: fill sensors would tell")


def _walking_demand(territory, walk) -> pd.DataFrame:
    """Demand points on the walk graph: building floor area (m²) and places (2,000 m² each)."""
    b = territory.layers["buildings"]
    pts = b.geometry.representative_point()
    area = b["footprint_m2"].fillna(0).to_numpy() * b["levels"].fillna(1).clip(lower=1).to_numpy()
    places = territory.layers["places"].geometry.representative_point()
    x = np.r_[pts.x.to_numpy(), places.x.to_numpy()]
    y = np.r_[pts.y.to_numpy(), places.y.to_numpy()]
    w = np.r_[area, np.full(len(places), 2000.0)]
    return pd.DataFrame({"node": nearest_nodes(walk, x, y), "weight": w}).groupby("node")["weight"].sum()


def _walk_distances(walk, sources, cutoff) -> dict:
    und = walk.to_undirected(as_view=True)
    return {s: nx.single_source_dijkstra_path_length(und, s, cutoff=cutoff, weight="length") for s in sources}


def best_locations(walk, demand: pd.Series, existing_xy: np.ndarray, n: int, radius_m: float) -> list:
    """Greedy maximum coverage: ``n`` walk-graph nodes covering the most demand not yet within
    ``radius_m`` (on foot) of an existing bin. Returns their (x, y)."""
    existing = set(nearest_nodes(walk, existing_xy[:, 0], existing_xy[:, 1])) if len(existing_xy) else set()
    reach = _walk_distances(walk, list(demand.index), radius_m)  # demand node -> candidate nodes in reach
    uncovered = {d for d in demand.index if not existing & set(reach[d])}
    gains: dict = {}
    for d in uncovered:
        for c in reach[d]:
            gains.setdefault(c, set()).add(d)
    chosen = []
    for _ in range(n):
        if not gains:
            break
        best = max(gains, key=lambda c: (sum(demand[d] for d in gains[c]), -hash(c) % 997))
        got = gains.pop(best)
        if not got:
            break
        chosen.append(best)
        for c in list(gains):
            gains[c] -= got
            if not gains[c]:
                del gains[c]
    return [(walk.nodes[c]["x"], walk.nodes[c]["y"]) for c in chosen]


def _catchments(walk, demand: pd.Series, bins_xy: np.ndarray, n_old: int, radius_m: float):
    """Share matrix S (old bins × all bins): the part of old bin i's demand that goes to bin j once
    every demand point uses its nearest bin on foot; and the demand covered before and after (%)."""
    bin_nodes = nearest_nodes(walk, bins_xy[:, 0], bins_xy[:, 1])
    dist = _walk_distances(walk, list(dict.fromkeys(bin_nodes)), radius_m)
    total = float(demand.sum())

    def nearest(k_bins):
        owner = {}
        for j in range(k_bins):
            for node, d in dist[bin_nodes[j]].items():
                if node in demand.index and (node not in owner or d < owner[node][1]):
                    owner[node] = (j, d)
        return {node: j for node, (j, _) in owner.items()}

    before, after = nearest(n_old), nearest(len(bins_xy))
    S = np.zeros((n_old, len(bins_xy)))
    for node, i in before.items():
        S[i, after.get(node, i)] += demand[node]
    rows = S.sum(axis=1, keepdims=True)
    S = np.where(rows > 0, S / np.where(rows > 0, rows, 1), 0.0)
    S[rows[:, 0] == 0, :] = 0.0
    S[np.flatnonzero(rows[:, 0] == 0), np.flatnonzero(rows[:, 0] == 0)] = 1.0  # no catchment: keeps its rate
    cov_b = 100.0 * sum(demand[n] for n in before) / total
    cov_a = 100.0 * sum(demand[n] for n in after) / total
    return S, cov_b, cov_a


MAX_POINT_OFF_STREET_M = 250.0
"""[m] farthest a bin added by its coordinates may stand from a walkable street of the territory: a
point in Paris typed for Redon gave a believable business case (650 €, paid back in 12,2 years)."""


def _check_on_the_streets(walk, xy: np.ndarray, given: list) -> None:
    """A :class:`ScenarioError` naming the first added point farther than :data:`MAX_POINT_OFF_STREET_M`
    from every node of the walk graph ``walk`` (``xy`` in its CRS, ``given`` as the user wrote them)."""
    from scipy.spatial import cKDTree  # noqa: PLC0415

    if not len(xy):
        return
    nodes = np.array([(d["x"], d["y"]) for _, d in walk.nodes(data=True)], float)
    far = cKDTree(nodes).query(xy)[0] if len(nodes) else np.full(len(xy), np.inf)
    for k in np.flatnonzero(far > MAX_POINT_OFF_STREET_M):
        text = str(given[k])[:60]
        raise ScenarioError(f"add_points[{k}]: {text} lies {far[k] / 1000:.1f} km from the territory's nearest "
                            f"walkable street (at most {MAX_POINT_OFF_STREET_M:.0f} m): expected [lon, lat] in "
                            "the territory", key="err_point_outside",
                            values={"parameter": "add_points", "item": int(k) + 1, "text": text,
                                    "km": round(float(far[k]) / 1000, 1), "limit": int(MAX_POINT_OFF_STREET_M)})
