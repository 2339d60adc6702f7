"""District meters: what cutting the network into metered districts, read every night, is worth against
today's regular leak survey — water saved, how soon a hidden leak is known, cost and payback (issue 22).

**The districts** (:mod:`twin.models.water_dma`): ``districts`` (default: one per
``people_per_district``) grouped on the pipe graph, one metered inlet each, every other boundary pipe
shut, then boundaries reopened (and metered) until every junction keeps ``service_pressure_m`` in an
EPANET day. On a commune without its network model, this runs on the territory's SYNTHETIC network
(:mod:`twin.territory.water_prior`).

**The leaks a survey misses for a while** — Lambert's *bursts and background estimates* (BABE: Lambert,
*Accounting for losses: the bursts and background concept*, J. IWEM 8(2), 1994; Thornton, Sturm &
Kunkel, *Water Loss Control*, 2008, ch. 10): unreported leaks arise on mains (``main_leaks_per_100km_year``)
and on service connections (``service_leaks_per_1000_connections_year``) — when not given, UARL's
frequencies scaled so that they make ``unreported_share`` of today's real losses (the water balance:
``leakage_share`` of the water put in) — each at BABE's flow at 50 m
(6 and 1.6 m³/h) scaled to the network's mean pressure by FAVAD (N1 1.15). A leak runs until it is
known, located and repaired:

* **today** — a regular survey of the whole network every ``survey_interval_years`` finds it: it
  waits a uniform share of the interval (half of it on average), then ``repair_days``;
* **with district meters** — the minimum night flow of its district raises the alarm (the
  detector of :mod:`twin.models.water_leaks`, its threshold set per district for at most
  ``false_alarms_per_year`` on leak-free SYNTHETIC years), the crew searches that district alone for
  it (at ``search_km_per_day``: found, on average, halfway through its mains) and repairs it — unless
  the survey comes first (the survey goes on). A smaller district is searched sooner; a larger one's
  night flow hides a small leak longer.

How soon a district's meter sees a leak is not assumed: seeded trials simulate the district's night
inflow (households' use, its leakage, a leak of each kind) and run the detector on it. Each member of
the ensemble is then ``years`` of leaks, averaged per year (Poisson counts, districts drawn by pipe
length or connections, survey and detection delays drawn), the same leaks in both variants (common
random numbers): the change and its band are paired.

**Money**: water at ``water_cost_eur_m3``; the meters (``meter_cost_eur`` each, with chamber and
telemetry) as the investment; each year the survey (``search_eur_per_km`` over the network every
``survey_interval_years``, in both variants), the meters' telemetry, and the searches their alarms call
for — a true alarm's until the leak is found, a false one's over its whole district. Boundary valves are
taken as existing unless ``valve_cost_eur`` says what one costs. Every figure is a prior's — frequencies, flows, prices: the outcome lists them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import param

from twin.outcome import KPI, Outcome
from twin.scenarios.base import Scenario, ScenarioError
from twin.scenarios.water_source import POPULATION_READ_WHEN, population_parameter, water_network

KPIS = [
    KPI("hidden_losses_m3_per_year", "m³/year", "environmental",
        "water lost by leaks no one reported, until they are repaired (BABE run times)"),
    KPI("leak_run_days", "days", "environmental", "how long a hidden leak runs, on average, before its repair"),
    KPI("hidden_losses_cost_eur_per_year", "€/year", "financial", "that water × its cost per m³"),
    KPI("search_cost_eur_per_year", "€/year", "financial",
        "the regular survey, the meters' telemetry and the searches their alarms call for (true or false)"),
    KPI("investment_eur", "€", "financial",
        "the district meters installed, and the boundary valves when some must be (valve_cost_eur)"),
    KPI("payback_years", "years", "financial", "investment ÷ yearly saving, water net of monitoring (inf: never)"),
    KPI("false_alarms_per_year", "alarms/year", "financial", "alarms with no leak, each a search for nothing"),
    KPI("people_low_pressure", "people", "human",
        "people whose junction falls under the service pressure once the boundaries are shut"),
]

BABE_MAIN_M3_H = 6.0
"""[m³/h at 50 m] an unreported main burst's flow (BABE: Lambert 1994)."""
BABE_SERVICE_M3_H = 1.6
"""[m³/h at 50 m] an unreported service-connection leak's flow (BABE: Lambert 1994)."""
BURST_N1 = 1.15
PEOPLE_PER_HOUSEHOLD = 2.2
"""INSEE (2019 census: 2.19 people per household)."""
TRAIN_DAYS = 14
CALIBRATION_YEARS = 3
"""Leak-free SYNTHETIC years a district's threshold is chosen on; as many others count its false alarms."""
TYPICAL_LEAKS = 50
"""Leaks drawn per member for the mean run time (``leak_run_days``), whatever the member's own count."""
TRIAL_DAYS = 70
"""A trial: two leak-free weeks to learn the nights, the leak from a random time in the next two weeks,
and at least six weeks to see it."""


class DistrictMeters(Scenario):
    """District meters read every night against today's regular leak survey."""

    family = "water-meters"
    read_when = POPULATION_READ_WHEN

    network_file = param.String(default="", doc="[-] the network, an EPANET .inp file (default: the territory's "
                                "SYNTHETIC network)")
    districts = param.Integer(default=None, allow_None=True, bounds=(1, 200),
                              doc="[-] number of metered districts (empty: one per people_per_district)")
    people_per_district = param.Number(default=1500.0, bounds=(100.0, 1e6),
                                       doc="[people] district size when their number is not given (French and UK "
                                           "practice: 500 to 3,000 connections)")
    survey_interval_years = param.Number(default=3.0, bounds=(0.1, 30.0), softbounds=(0.5, 10.5), step=0.5,
                                         doc="[years] today: the whole network surveyed for leaks every so often")
    search_km_per_day = param.Number(default=2.0, bounds=(0.05, 100.0),
                                     doc="[km/day] mains a crew surveys for leaks in a day (acoustic listening and "
                                         "correlation: 1–5 km; an assumption of the project)")
    search_eur_per_km = param.Number(default=250.0, bounds=(0.0, 1e5),
                                     doc="[€/km] a leak survey's price per km of mains (an assumption of the project: "
                                         "enter your contractor's)")
    repair_days = param.Number(default=2.0, bounds=(0.0, 365.0), doc="[days] from a leak found to its repair")
    main_leaks_per_100km_year = param.Number(default=None, allow_None=True, bounds=(0.0, 1000.0),
                                             doc="[leaks/100 km/year] unreported main bursts (empty: from the water "
                                                 "balance, see unreported_share; enter your records)")
    service_leaks_per_1000_connections_year = param.Number(default=None, allow_None=True, bounds=(0.0, 1000.0),
                                                           doc="[leaks/1000 connections/year] unreported service leaks "
                                                               "(empty: from the water balance; enter your records)")
    unreported_share = param.Number(default=0.5, bounds=(0.01, 1.0),
                                    doc="[-] share of today's real losses that unreported leaks make, when their "
                                        "frequencies are not given (an assumption of the project: component analyses "
                                        "find bursts half or more of real losses)")
    leakage_share = param.Number(default=0.2, bounds=(0.0, 0.8),
                                 doc="[-] share of the water put in that leaks today: the districts' night base")
    false_alarms_per_year = param.Number(default=1.0, bounds=(0.01, 52.0),
                                         doc="[alarms/district/year] the false alarms accepted when setting each "
                                             "district's threshold")
    valve_cost_eur = param.Number(default=0.0, bounds=(0.0, 1e5), softbounds=(0.0, 20_000.0),
                                  doc="[€] a boundary valve to install (0: the boundaries are shut on existing valves)")
    meter_cost_eur = param.Number(default=8000.0, bounds=(0.0, 1e6), softbounds=(0.0, 50_000.0), step=500.0,
                                  doc="[€] a district meter with its chamber and telemetry, installed (an assumption "
                                      "of the project: enter a quote)")
    telemetry_eur_per_year = param.Number(default=300.0, bounds=(0.0, 1e5), doc="[€/year] a meter's telemetry")
    water_cost_eur_m3 = param.Number(default=0.8, bounds=(0.0, 100.0), doc="[€/m³] cost of water lost")
    service_pressure_m = param.Number(default=20.0, bounds=(1.0, 200.0), doc="[m] pressure a customer should have")
    litres_per_person_day = param.Number(default=148.0, bounds=(10.0, 2000.0),
                                         doc="[L/person/day] household use that turns a node's demand into people")
    population = population_parameter()
    trials = param.Integer(default=40, bounds=(5, 2000),
                           doc="[-] simulated leaks of each kind per district, to learn how soon its meter sees one")
    members = param.Integer(default=200, bounds=(10, 100_000),
                            doc="[-] members of the ensemble, each ``years`` of leaks (the spread of the answer)")
    years = param.Integer(default=10, bounds=(1, 100),
                          doc="[years] each member's span, its figures a year's average: the meters' life (a year "
                              "alone often has no hidden leak at all, and says nothing of the investment)")
    seed = param.Integer(default=1, bounds=(0, 2**31 - 1), doc="[-] seed of every draw")
    variant_name = param.String(default="", doc="[-] label of the variant (default: « Sectorisation »)")

    def network(self, territory=None):
        """(the network, the territory's prior when it is the one, where it comes from)."""

        return water_network(self.network_file, territory, self.litres_per_person_day, self.population)

    def run(self, territory=None) -> Outcome:
        from twin.models import water_dma as dma  # noqa: PLC0415

        wn, prior, source_text = self.network(territory)
        junctions = list(wn.junction_name_list)
        sources = list(wn.reservoir_name_list)
        if not sources:
            raise ScenarioError(f"{self.network_file or 'the network'}: no reservoir to feed the districts from")
        base = self._pressures(wn, [])
        demand = base["demand"].clip(lower=0.0).mean()  # m³/s per junction
        if prior is not None:
            people = prior.buildings.dropna(subset=["junction"]).groupby("junction")["people"].sum()
            connections = prior.buildings.dropna(subset=["junction"]).groupby("junction").size().astype(float)
        else:
            people = demand * 86_400 / (self.litres_per_person_day / 1000)
            connections = people / PEOPLE_PER_HOUSEHOLD
        people = people.reindex(junctions).fillna(0.0)
        connections = connections.reindex(junctions).fillna(0.0)
        k, fewer = dma.district_count(self.districts, float(people.sum()), self.people_per_district, len(junctions))
        g = dma.pipe_graph(wn)
        district = dma.districts(g, junctions, people, k)
        inlets, closed = dma.boundaries(g, district, sources[0])

        def lowest(shut):
            return self._pressures(wn, shut)["pressure"][junctions].min()

        inlets, closed, low = dma.open_until_served(lambda shut: lowest(shut), inlets, closed, g, district,
                                                    self.service_pressure_m)
        meters = sorted({p for pipes in inlets.values() for p in pipes})
        mean_p = float(base["pressure"][junctions].mean().clip(lower=1.0).mean())
        flows = {"main": BABE_MAIN_M3_H * (mean_p / 50) ** BURST_N1, "service": BABE_SERVICE_M3_H * (mean_p / 50) ** BURST_N1}
        table = self._district_table(wn, g, district, people, connections, demand, flows)
        real_losses = self.leakage_share / (1 - self.leakage_share) * float(demand.sum()) * 86_400 * 365
        rate, how = self.frequencies(table, flows, real_losses)
        members = self._members(table, flows, rate)
        name = self.variant_name or "Sectorisation"
        table["inlets"] = [";".join(inlets.get(d, [])) for d in table["district"]]
        values, low_high, per_member = self._kpis(members, table, len(meters), len(closed), people, low, name)
        hidden_share = values["baseline"]["hidden_losses_m3_per_year"] / real_losses if real_losses > 0 else np.nan
        out = Outcome.from_values(
            self.family, KPIS, values, network=source_text, districts=len(table), meters=", ".join(meters),
            **({"districts_capped": fewer} if fewer else {}),
            hidden_share_of_real_losses=(
                f"{hidden_share:.0%} of the real losses leakage_share implies ({real_losses:,.0f} m³/year)"
                + (": more than all of them — lower the leak frequencies or the survey interval, or raise "
                   "leakage_share, to match your water balance" if hidden_share > 1 else "")),
            boundaries_closed=len(closed),
            leaks=(f"unreported leaks: {how}; {flows['main']:.2f} m³/h a main burst, {flows['service']:.2f} m³/h a "
                   f"service leak (BABE's flows at the mean pressure {mean_p:.1f} m)"),
            detection=f"minimum night flow per district, threshold set on {CALIBRATION_YEARS} leak-free SYNTHETIC "
                      f"years, its false alarms counted on {CALIBRATION_YEARS} others; delays from {self.trials} "
                      "SYNTHETIC trials per district and kind of leak",
            members=self.members,
            priors=("leak frequencies and flows (BABE, UARL), survey interval, search rate, prices: assumptions to "
                    "replace"
                    + ("; network, demand and people: SYNTHETIC, from OSM streets and buildings" if prior is not None
                       else "")))
        for band, arr in low_high.items():
            out.data[band] = (("variant", "kpi"), arr)
        out.add_members(per_member, [self.seed * 100_000 + m for m in range(self.members)])
        shown = table.drop(columns=["junctions", "_seen_main", "_seen_service"])
        out.add_table("districts", shown, kind="list", key="district",
                      description="each district: people, connections, pipe length, its metered inlets, night flow, "
                                  "threshold, false alarms and how soon a leak is seen (SYNTHETIC trials; median "
                                  "empty: seen in fewer than half the trials)",
                      units={"people": "people", "pipe_km": "km", "night_flow_m3_h": "m³/h",
                             "main_seen_days_median": "days", "service_seen_days_median": "days"})
        if prior is not None:
            fed = {p: d for d, pipes in inlets.items() for p in pipes}
            self._pipe_layer(out, prior, wn, district, fed, closed)
        return out

    # --- the hydraulics --------------------------------------------------------------------------
    def _pressures(self, wn, shut: list[str]):
        """A demand-driven EPANET day at 1 h with the pipes ``shut`` closed: node pressure and demand."""
        import copy  # noqa: PLC0415
        import tempfile  # noqa: PLC0415
        from pathlib import Path  # noqa: PLC0415

        import wntr  # noqa: PLC0415

        net = copy.deepcopy(wn)
        net.options.hydraulic.demand_model = "DDA"
        net.options.time.duration = 24 * 3600
        net.options.time.hydraulic_timestep = net.options.time.report_timestep = 3600
        for pipe in shut:
            net.get_link(pipe).initial_status = wntr.network.LinkStatus.Closed
        with tempfile.TemporaryDirectory(prefix="twin-dma-") as tmp:
            res = wntr.sim.EpanetSimulator(net).run_sim(file_prefix=str(Path(tmp) / "day"))
        keep = res.node["pressure"].index < 24 * 3600
        return {"pressure": res.node["pressure"][keep], "demand": res.node["demand"][keep]}

    # --- the districts and their meters ----------------------------------------------------------
    def _district_table(self, wn, g, district, people, connections, demand, flows) -> pd.DataFrame:
        """Per district: its people, connections, pipe length, mean use and leakage, the threshold its
        night flow gets, its false alarms and how soon each kind of leak is seen (trials)."""
        from twin.models import water_dma as dma  # noqa: PLC0415
        from twin.territory.water_prior import DAILY_PATTERN  # noqa: PLC0415

        total_use = float(demand.sum()) * 3600  # m³/h
        leakage_total = self.leakage_share / (1 - self.leakage_share) * total_use
        length = {}
        for u, v, data in g.edges(data=True):
            for node in (u, v):
                if node in district:
                    length[district[node]] = length.get(district[node], 0.0) + data["length"] / 2
        total_length = sum(length.values()) or 1.0
        rows = []
        for d in sorted(set(district.values())):
            nodes = [n for n, x in district.items() if x == d]
            use = float(demand.reindex(nodes).sum()) * 3600
            leak = leakage_total * length.get(d, 0.0) / total_length
            rng = np.random.default_rng([self.seed, 22, d])
            free = dma.district_inflows(use, leak, DAILY_PATTERN, 365, rng, trials=2 * CALIBRATION_YEARS)
            series = [dma._series(f) for f in free]
            # the threshold chosen on some leak-free years, its false alarms counted on others
            rise, _ = dma.calibrate_rise(series[:CALIBRATION_YEARS], self.false_alarms_per_year, TRAIN_DAYS)
            false_rate = dma.false_alarm_rate(series[CALIBRATION_YEARS:], rise, TRAIN_DAYS)
            seen = {}
            for kind, q in flows.items():
                start = rng.integers(TRAIN_DAYS * 96, (TRAIN_DAYS + 14) * 96, self.trials)
                trial = dma.district_inflows(use, leak, DAILY_PATTERN, TRIAL_DAYS, rng, trials=self.trials,
                                             leak_m3_h=np.full(self.trials, q), leak_start_step=start)
                seen[kind] = dma.detection_trials(trial, start, rise, TRAIN_DAYS)
            night = DAILY_PATTERN.min() * use + leak
            rows.append({"district": d, "junctions": nodes, "people": float(people.reindex(nodes).sum()),
                         "connections": float(connections.reindex(nodes).sum()), "pipe_km": length.get(d, 0.0) / 1000,
                         "night_flow_m3_h": night, "rise": rise, "false_alarms_per_year": false_rate,
                         "main_seen_share": float(np.isfinite(seen["main"]).mean()),
                         "main_seen_days_median": _median_days(seen["main"]),
                         "service_seen_share": float(np.isfinite(seen["service"]).mean()),
                         "service_seen_days_median": _median_days(seen["service"]),
                         "_seen_main": seen["main"], "_seen_service": seen["service"]})
        return pd.DataFrame(rows)

    # --- the years of leaks ----------------------------------------------------------------------
    def frequencies(self, table: pd.DataFrame, flows: dict, real_losses_m3: float) -> tuple[dict, str]:
        """(leaks per year of each kind in each district, how they were set): the given frequencies, else
        UARL's unreported ones (Lambert, Brown, Takizawa & Weimer, *A review of performance indicators
        for real losses from water supply systems*, AQUA 48(6), 1999: 0.6 main bursts/100 km/year, 0.75
        service leaks/1000 connections/year) scaled so that, surveyed as today, they lose
        ``unreported_share`` of the real losses the yield implies (``real_losses_m3`` a year)."""
        given = self.main_leaks_per_100km_year is not None and self.service_leaks_per_1000_connections_year is not None
        main = self.main_leaks_per_100km_year if given else 0.6
        service = self.service_leaks_per_1000_connections_year if given else 0.75
        rate = {"main": main * table["pipe_km"].to_numpy() / 100,
                "service": service * table["connections"].to_numpy() / 1000}
        if given:
            return rate, "given"
        run_h = self.survey_interval_years * 8760 / 2 + self.repair_days * 24  # today's mean run time
        per_unit = sum(rate[k].sum() * flows[k] * run_h for k in rate)
        scale = self.unreported_share * real_losses_m3 / per_unit if per_unit > 0 else 0.0
        return ({k: v * scale for k, v in rate.items()},
                f"UARL's unreported frequencies × {scale:.2f}: {main * scale:.2f} main bursts/100 km/year and "
                f"{service * scale:.2f} service leaks/1000 connections/year, so that today they lose "
                f"{self.unreported_share:.0%} of the real losses")

    def _members(self, table: pd.DataFrame, flows: dict, rate: dict) -> list[dict]:
        """Each member's ``years``: its leaks' run times today and with the meters [h], their flows [m³/h],
        the km searched a year after the meters' alarms, and the mean run time of :data:`TYPICAL_LEAKS`
        leaks drawn as the frequencies say (a member with no leak still has one: what a leak would run)."""
        survey_h = self.survey_interval_years * 8760
        weights = np.concatenate([rate["main"], rate["service"]])
        kinds = ["main"] * len(table) + ["service"] * len(table)
        out = []
        for m in range(self.members):
            rng = np.random.default_rng([self.seed, 100_000 + m])
            today, metered, volume_flow, search_km = [], [], [], 0.0
            for kind in ("main", "service"):
                counts = rng.poisson(rate[kind] * self.years)
                for d, n in enumerate(counts):  # over ``years`` years: the figures divided by them below
                    if n == 0:
                        continue
                    wait = rng.uniform(0.0, survey_h, n)
                    seen = rng.choice(table[f"_seen_{kind}"].iloc[d], n)
                    searched_km = table["pipe_km"].iloc[d] * rng.uniform(0.0, 1.0, n)  # found along the way
                    found = np.where(np.isfinite(seen), seen + searched_km / self.search_km_per_day * 24, np.inf)
                    alarmed = seen < wait  # NaN (never seen) compares False: no alarm
                    search_km += float(searched_km[alarmed].sum())
                    today += list(wait + self.repair_days * 24)
                    metered += list(np.minimum(found, wait) + self.repair_days * 24)
                    volume_flow += [flows[kind]] * int(n)
            typical = {"today_h": [], "metered_h": []}
            if weights.sum() > 0:
                for i in rng.choice(len(weights), TYPICAL_LEAKS, p=weights / weights.sum()):
                    d, kind = i % len(table), kinds[i]
                    wait = rng.uniform(0.0, survey_h)
                    seen = rng.choice(table[f"_seen_{kind}"].iloc[d])
                    found = seen + table["pipe_km"].iloc[d] * rng.uniform() / self.search_km_per_day * 24 \
                        if np.isfinite(seen) else np.inf
                    typical["today_h"].append(wait + self.repair_days * 24)
                    typical["metered_h"].append(min(found, wait) + self.repair_days * 24)
            out.append({"today_h": np.array(today), "metered_h": np.array(metered), "flow": np.array(volume_flow),
                        "search_km": search_km / self.years,
                        "typical_today_h": float(np.mean(typical["today_h"])) if typical["today_h"] else 0.0,
                        "typical_metered_h": float(np.mean(typical["metered_h"])) if typical["metered_h"] else 0.0})
        return out

    def _kpis(self, members: list[dict], table: pd.DataFrame, n_meters: int, n_closed: int, people: pd.Series,
              lowest: pd.Series, name: str):
        false = float(table["false_alarms_per_year"].sum())
        false_km = float((table["false_alarms_per_year"] * table["pipe_km"]).sum())  # a false alarm: all searched
        survey = float(table["pipe_km"].sum()) * self.search_eur_per_km / self.survey_interval_years
        investment = n_meters * self.meter_cost_eur + n_closed * self.valve_cost_eur
        starved = float(people[lowest.reindex(people.index).fillna(np.inf) < self.service_pressure_m].sum())
        rows = {"baseline": [], name: []}
        for m in members:
            for variant, key in (("baseline", "today_h"), (name, "metered_h")):
                run_h = m[key]
                lost = float((run_h * m["flow"]).sum()) / self.years
                search = survey if variant == "baseline" else (
                    survey + n_meters * self.telemetry_eur_per_year + (m["search_km"] + false_km) * self.search_eur_per_km)
                rows[variant].append({
                    "hidden_losses_m3_per_year": lost,
                    "leak_run_days": m["typical_today_h" if variant == "baseline" else "typical_metered_h"] / 24,
                    "hidden_losses_cost_eur_per_year": lost * self.water_cost_eur_m3,
                    "search_cost_eur_per_year": search,
                    "investment_eur": 0.0 if variant == "baseline" else investment,
                    "false_alarms_per_year": 0.0 if variant == "baseline" else false,
                    "people_low_pressure": 0.0 if variant == "baseline" else starved})
        from twin.economics import payback_years  # noqa: PLC0415

        frames = {v: pd.DataFrame(r) for v, r in rows.items()}
        cost = ["hidden_losses_cost_eur_per_year", "search_cost_eur_per_year"]
        saving = (frames["baseline"][cost].sum(axis=1) - frames[name][cost].sum(axis=1)).to_numpy()
        frames["baseline"]["payback_years"] = 0.0
        frames[name]["payback_years"] = [payback_years(investment, s) for s in saving]
        names = [k.name for k in KPIS]
        values = {v: {k: float(f[k].mean()) for k in names} for v, f in frames.items()}
        values[name]["payback_years"] = payback_years(investment, float(saving.mean()))
        low_high = {band: np.array([[float(np.quantile(frames[v][k], q, method="inverted_cdf")) for k in names]
                                    for v in ("baseline", name)]) for band, q in (("low", 0.05), ("high", 0.95))}
        per_member = np.stack([frames[v][names].to_numpy(float).T for v in ("baseline", name)])
        return values, low_high, per_member

    def _pipe_layer(self, out: Outcome, prior, wn, district: dict, fed: dict[str, int], closed: list[str]) -> None:
        """``water_pipes``: each pipe's district (a metered inlet: the district it feeds) and role."""
        rows = []
        for row in prior.pipes.itertuples(index=False):
            link = wn.get_link(row.pipe)
            ends = [district.get(n) for n in (link.start_node_name, link.end_node_name) if n in district]
            rows.append({"pipe": row.pipe, "street": row.street, "osm_u": row.osm_u, "osm_v": row.osm_v,
                         "district": fed.get(row.pipe, int(ends[-1]) if ends else -1),
                         "role": "meter" if row.pipe in fed else "closed" if row.pipe in closed else "pipe"})
        out.add_table("water_pipes", pd.DataFrame(rows), kind="layer", key="pipe",
                      description="each pipe of the SYNTHETIC network under its street: its district, and whether "
                                  "it carries a district meter or is a boundary shut")


def _median_days(hours: np.ndarray) -> float:
    """The median of trials' delays [h] in days, a trial never seen counting as longer than any; NaN when
    fewer than half the trials were seen."""
    m = float(np.median(np.where(np.isfinite(hours), hours, np.inf)))
    return m / 24 if np.isfinite(m) else float("nan")


__all__ = ["KPIS", "DistrictMeters"]
