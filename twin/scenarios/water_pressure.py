"""Pressure management: lower a pressure-reducing valve's setpoint, all day or at night — leakage,
bursts, pumping energy and service pressure, a year of it.

The network runs ``days`` days (EPANET through WNTR, demand-driven; the first day a warm-up, the
others averaged: a tank's pump cycles do not repeat each day) as it is and with the new setpoints (``prv_settings`` all day, ``night_settings`` during ``night_hours``). Leakage is not in
an EPANET file: the network's background leakage is ``leakage_share`` of the water put in (French
networks lose about a fifth: a yield of ≈ 80 %, SISPEA's national observatory), spread over the
nodes by the length of pipe around them, and follows each node's pressure by FAVAD
(:mod:`twin.models.water_pressure`) with N1 from the pipes' material (``materials_file``: CSV
``pipe,material`` with material ``rigid``, ``mixed`` or ``plastic``; else ``mixed``). Leakage is
computed on the simulated pressures, not fed back into them (it is small beside demand: the usual
FAVAD post-processing). Bursts follow the maximum pressure (Thornton & Lambert 2005) from the
network's recorded rate ``bursts_per_100km_year``.

Without ``network_file``, the territory's SYNTHETIC network (:mod:`twin.territory.water_prior`) is fitted
with the one valve a small commune would add, a PRV at the tower's outlet
(:func:`twin.territory.water_prior.with_entry_prv`), wide open today: ``night_pressure_m`` (and
``day_pressure_m``) set it — on a file network, every PRV of the file. People are then counted from the
buildings each junction serves, and the outcome says which of its figures are priors.

The money: the yearly saving on water, bursts and energy against ``investment_eur`` (the valve and its
time controller; by default an assumption of the project, :data:`PRV_NEW_EUR` for a new valve at the
town's feed, :data:`CONTROLLER_EUR` per existing PRV given a night setting) — its payback in years.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import param

from twin.outcome import KPI, Outcome
from twin.scenarios.base import Scenario, ScenarioError
from twin.scenarios.water_source import POPULATION_READ_WHEN, population_parameter, water_network

KPIS = [
    KPI("leakage_m3_per_year", "m³/year", "environmental", "background leakage (FAVAD on the simulated pressures)"),
    KPI("pump_energy_kwh_per_year", "kWh/year", "environmental",
        "energy of the pumps at the file's global efficiency (not computed, NaN, when a pump has its own "
        "efficiency curve)"),
    KPI("bursts_per_year", "bursts/year", "human", "new bursts on mains and services (Thornton & Lambert 2005)"),
    KPI("people_hours_low_pressure_per_day", "people·h/day", "human",
        "people (estimated from demand) × hours under the service pressure, a typical day"),
    KPI("leakage_cost_eur_per_year", "€/year", "financial", "water lost × its cost per m³"),
    KPI("bursts_cost_eur_per_year", "€/year", "financial", "bursts × their repair cost"),
    KPI("energy_cost_eur_per_year", "€/year", "financial", "pumping energy × its price"),
    KPI("payback_years", "years", "financial",
        "investment ÷ yearly saving on water lost, bursts and energy (inf: never pays back)"),
]

PRV_NEW_EUR = 25_000.0
"""[€] a DN 300 pressure-reducing valve with its chamber, by-pass and time controller, installed: an
assumption of the project (order of magnitude of French utilities' works prices), to be replaced by a quote."""
CONTROLLER_EUR = 5_000.0
"""[€] a time (or flow) modulation controller fitted on an existing PRV: an assumption of the project."""

_HOURS = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)-([01]?\d|2[0-4]):([0-5]\d)$")


def _inside(clock_s: int, start_s: int, end_s: int) -> bool:
    """Whether the clock time ``clock_s`` falls in [start, end) of a day, a window that may cross midnight."""
    clock_s %= 86_400
    return start_s <= clock_s < end_s if start_s < end_s else (clock_s >= start_s or clock_s < end_s)


class PressureManagement(Scenario):
    """Lower PRV setpoints (all day or at night): leakage, bursts, energy, service pressure."""

    family = "water-pressure"
    read_when = POPULATION_READ_WHEN

    network_file = param.String(default="", doc="[-] the network, an EPANET .inp file (default: the territory's "
                                "SYNTHETIC network, with a PRV at the tower's outlet)")
    night_pressure_m = param.Number(default=None, allow_None=True, bounds=(5.0, 150.0), softbounds=(10.0, 60.0),
                                    doc="[m] setpoint of the PRVs during the night hours (every PRV of the network; "
                                        "the synthetic network's one at the tower: 45 m today)")
    day_pressure_m = param.Number(default=None, allow_None=True, bounds=(5.0, 150.0),
                                  doc="[m] setpoint of the PRVs outside the night hours (empty: unchanged)")
    investment_eur = param.Number(default=None, allow_None=True, bounds=(0.0, 1e8),
                                  doc="[€] what the change costs (empty: 25,000 € for a new PRV on the synthetic "
                                      "network, 5,000 € of controller per PRV otherwise: assumptions, enter a quote)")
    prv_settings = param.Dict(default={}, doc="[m] new setpoint of PRVs all day: {valve id: pressure}")
    night_settings = param.Dict(default={}, doc="[m] setpoint of PRVs during the night hours: {valve id: pressure}")
    night_hours = param.String(default="00:00-05:00", doc="[-] the night reduction's hours, HH:MM-HH:MM")
    leakage_share = param.Number(default=0.2, bounds=(0.0, 0.8),
                                 doc="[-] share of the water put in that leaks today (1 − the network's yield)")
    materials_file = param.String(default="", doc="[-] pipe materials, a CSV pipe,material (rigid, mixed, plastic)")
    bursts_per_100km_year = param.Number(default=10.0, bounds=(0.0, 500.0),
                                         doc="[bursts/100 km/year] the network's recorded rate today (enter yours)")
    n2 = param.Number(default=3.0, bounds=(0.0, 10.0),
                      doc="[-] pressure:burst exponent (Thornton & Lambert 2005: 0.5–6.5, ≈ 3 typical)")
    burst_cost_eur = param.Number(default=3000.0, bounds=(0.0, 1e6),
                                  doc="[€] repair of a burst (an assumption: enter your contractor's price)")
    water_cost_eur_m3 = param.Number(default=0.8, bounds=(0.0, 100.0), doc="[€/m³] cost of water lost")
    energy_price_eur_kwh = param.Number(default=0.20, bounds=(0.0, 10.0), doc="[€/kWh] electricity for pumping")
    service_pressure_m = param.Number(default=20.0, bounds=(1.0, 200.0), doc="[m] pressure a customer should have")
    litres_per_person_day = param.Number(default=148.0, bounds=(10.0, 2000.0),
                                         doc="[L/person/day] household use that turns a node's demand into people")
    population = population_parameter()
    step_min = param.Integer(default=15, bounds=(1, 120), doc="[min] hydraulic time step")
    days = param.Integer(default=7, bounds=(2, 28),
                         doc="[days] simulated; the first is a warm-up (tanks and pumps settle), the others averaged")
    variant_name = param.String(default="", doc="[-] label of the variant (default: « Modulation de pression »)")

    def validate(self) -> None:
        if not _HOURS.match(self.night_hours):
            raise ScenarioError(f"night_hours: expected HH:MM-HH:MM, got {self.night_hours!r}")
        for name, table in (("prv_settings", self.prv_settings), ("night_settings", self.night_settings)):
            for valve, value in table.items():
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 300:
                    raise ScenarioError(f"{name}[{valve!r}]: expected a pressure in metres (0–300), got {value!r}")
        if self.night_pressure_m is not None and self.day_pressure_m is not None \
                and self.night_pressure_m > self.day_pressure_m:
            # its saving came from the day's lowering, named a night reduction, and ranked best
            raise ScenarioError(f"night_pressure_m ({self.night_pressure_m:g} m) is above day_pressure_m "
                                f"({self.day_pressure_m:g} m): the night setpoint is the lower one",
                                key="err_night_above_day", values={"night": self.night_pressure_m,
                                                                   "day": self.day_pressure_m})

    def network(self, territory=None):
        """(the network, the territory's prior when it is the one, where it comes from); the prior's with
        its PRV at the tower's outlet."""
        from twin.territory.water_prior import with_entry_prv  # noqa: PLC0415

        wn, prior, source = water_network(self.network_file, territory, self.litres_per_person_day, self.population)
        return (with_entry_prv(prior), prior, source) if prior is not None else (wn, None, source)

    def settings(self, wn) -> tuple[dict, dict]:
        """(all-day, night) setpoints by valve: ``prv_settings``/``night_settings``, and the uniform
        ``day_pressure_m``/``night_pressure_m`` on every PRV they do not name."""
        where = self.network_file or "the territory's synthetic network"
        prvs = [v for v in wn.valve_name_list if str(wn.get_link(v).valve_type) == "PRV"]
        for valve in {**self.prv_settings, **self.night_settings}:
            if valve not in prvs:
                raise ScenarioError(f"{valve!r} is not a pressure-reducing valve of {where} (its PRVs: {prvs})")
        day, night = dict(self.prv_settings), dict(self.night_settings)
        if (self.day_pressure_m is not None or self.night_pressure_m is not None) and not prvs:
            raise ScenarioError(f"night_pressure_m / day_pressure_m: {where} has no pressure-reducing valve to set")
        for name, value, table in (("day_pressure_m", self.day_pressure_m, day),
                                   ("night_pressure_m", self.night_pressure_m, night)):
            if value is None:
                continue
            # a uniform setpoint lowers: a PRV already set lower keeps its setting (it would raise it)
            lowered = [v for v in prvs if v not in table and float(wn.get_link(v).initial_setting) > value]
            if not lowered and not any(v in table for v in prvs):
                today = ", ".join(f"{v} {float(wn.get_link(v).initial_setting):g} m" for v in prvs)
                raise ScenarioError(f"{name}: {value:g} m is not below any pressure-reducing valve's setting today "
                                    f"({today})", key="err_pressure_not_below",
                                    values={"parameter": name, "value": value, "today": today})
            table.update({v: float(value) for v in lowered})
        if not day and not night:
            raise ScenarioError("night_pressure_m (or prv_settings / night_settings): give at least one new "
                                "setpoint", key="err_pressure_none")
        return day, night

    def run(self, territory=None) -> Outcome:
        """The days as they are and with the new setpoints, on ``network_file`` or else on ``territory``'s
        synthetic network (module docstring)."""
        from twin.economics import payback_years  # noqa: PLC0415
        from twin.models import water_pressure as favad  # noqa: PLC0415
        from twin.models.water_hydraulics import people_served  # noqa: PLC0415

        wn, prior, source = self.network(territory)
        day_settings, night_settings = self.settings(wn)
        pipes = [(n, wn.get_link(n).start_node_name, wn.get_link(n).end_node_name, wn.get_link(n).length)
                 for n in wn.pipe_name_list]
        n1 = self._node_n1(wn, pipes)
        base = self._day(wn, {}, {})
        managed = self._day(wn, day_settings, night_settings)
        junctions = list(wn.junction_name_list)
        demand = base.node["demand"][junctions].clip(lower=0.0).mean().sum()
        leak_total = self.leakage_share / (1 - self.leakage_share) * demand  # m³/s: a share of the water put in
        weights = favad.node_weights(pipes).reindex(junctions).fillna(0.0)
        node_leak = leak_total * weights / weights.sum() if weights.sum() > 0 else weights
        k = favad.leakage_coefficients(base.node["pressure"][junctions], node_leak, n1)
        length_km = sum(p[3] for p in pipes) / 1000
        if prior is not None:  # the buildings each junction serves: people counted, not estimated from demand
            people = prior.buildings.dropna(subset=["junction"]).groupby("junction")["people"].sum().reindex(
                junctions).fillna(0.0)
        else:
            people = people_served(base.node["demand"][junctions].clip(lower=0.0).mean(), self.litres_per_person_day)
        investment = self.investment_eur
        if investment is None:
            investment = PRV_NEW_EUR if prior is not None else CONTROLLER_EUR * len(set(night_settings) | set(day_settings))
        values = {}
        name = self.variant_name or "Modulation de pression"
        for label, res in (("baseline", base), (name, managed)):
            pressure = res.node["pressure"][junctions]
            leak = favad.leakage(pressure, k, n1).mean().sum() * 86_400 * 365
            bursts = self.bursts_per_100km_year * length_km / 100 * favad.burst_ratio(
                base.node["pressure"][junctions], pressure, weights, self.n2)
            energy = self._pump_kwh_per_day(wn, res) * 365
            low_h = ((pressure < self.service_pressure_m) & (res.node["demand"][junctions] > 0)).mean() * 24
            values[label] = {"leakage_m3_per_year": leak, "pump_energy_kwh_per_year": energy,
                             "bursts_per_year": bursts, "people_hours_low_pressure_per_day": float((people * low_h).sum()),
                             "leakage_cost_eur_per_year": leak * self.water_cost_eur_m3,
                             "bursts_cost_eur_per_year": bursts * self.burst_cost_eur,
                             "energy_cost_eur_per_year": energy * self.energy_price_eur_kwh}
        costs = ("leakage_cost_eur_per_year", "bursts_cost_eur_per_year", "energy_cost_eur_per_year")
        saving = sum(values["baseline"][k] - values[name][k] for k in costs)  # NaN energy: no payback claimed
        values["baseline"]["payback_years"] = 0.0
        # a saving under a euro a year is rounding, not a saving: it never pays back
        values[name]["payback_years"] = (float("nan") if saving != saving else
                                         payback_years(investment, saving) if saving >= 1.0 else
                                         payback_years(investment, 0.0))
        out = Outcome.from_values(
            self.family, KPIS, values, network=source,
            leakage=f"{self.leakage_share:.0%} of the water put in today, FAVAD",
            materials=self.materials_file or "all 'mixed' (N1 = 1.15)", investment_eur=investment,
            night_hours=self.night_hours, service_pressure_m=self.service_pressure_m,
            prv_settings="; ".join(f"{v}: {night_settings.get(v, day_settings.get(v))} m" for v in
                                   sorted(set(day_settings) | set(night_settings))),
            pumps=("none: fed by gravity, no pumping energy" if not wn.num_pumps else f"{wn.num_pumps}"),
            **({"priors": "network, demand, people and leakage: SYNTHETIC, from OSM streets and buildings; "
                          "investment: project assumption"} if prior is not None else {}))
        self._add_tables(out, wn, prior, {"baseline": base, name: managed}, junctions)
        return out

    def _add_tables(self, out: Outcome, wn, prior, runs: dict, junctions: list[str]) -> None:
        """The pressures the map and the chart show: ``water_pipes`` (on the synthetic network: each pipe
        under its street, its ends' mean and night pressure per variant) and the series ``pressure_m``
        (hour of the day × variant × place: the network's entry and its lowest junction)."""
        import xarray as xr  # noqa: PLC0415

        h0, m0, h1, m1 = map(int, re.split("[:-]", self.night_hours))
        low = runs["baseline"].node["pressure"][junctions].mean().idxmin()
        entry = next((wn.get_link(v).end_node_name for v in wn.valve_name_list
                      if str(wn.get_link(v).valve_type) == "PRV"), junctions[0])
        hours = np.arange(24)
        cube = np.full((24, len(runs), 2), np.nan)
        for i, res in enumerate(runs.values()):
            pressure = res.node["pressure"]
            hour = ((pressure.index.to_numpy() // 3600) % 24).astype(int)
            for k, node in enumerate((entry, low)):
                cube[:, i, k] = pd.Series(pressure[node].to_numpy()).groupby(hour).mean().reindex(hours).to_numpy()
        out.add_series("pressure_m", xr.DataArray(
            cube, dims=("hour", "variant", "place"),
            coords={"hour": hours, "variant": list(runs), "place": ["entry", "lowest"]},
            attrs={"entry": entry, "lowest": low}), unit="m",
            description="mean pressure by hour of the day, below the first PRV (entry) and at the junction "
                        "of lowest mean pressure today (lowest)")
        if prior is None:
            return
        rows = []
        served = set(junctions)
        for variant, res in runs.items():
            pressure = res.node["pressure"]
            clock = pressure.index.to_numpy() % 86_400
            night = np.array([_inside(int(c), h0 * 3600 + m0 * 60, h1 * 3600 + m1 * 60) for c in clock])
            mean, at_night, lowest = pressure.mean(), pressure[night].mean(), pressure.min()
            for row in prior.pipes.itertuples(index=False):
                link = wn.get_link(row.pipe)  # a reservoir's "pressure" is 0: the junction ends only
                ends = [n for n in (link.start_node_name, link.end_node_name) if n in served]
                rows.append({"pipe": row.pipe, "street": row.street, "osm_u": row.osm_u, "osm_v": row.osm_v,
                             "diameter_mm": row.diameter_mm, "variant": variant,
                             "mean_pressure_m": float(mean[ends].mean()),
                             "night_pressure_m": float(at_night[ends].mean()),
                             "min_pressure_m": float(lowest[ends].min())})
        out.add_table("water_pipes", pd.DataFrame(rows), kind="layer", key="pipe",
                      description="each pipe of the SYNTHETIC network under its street (its two OSM nodes): its "
                                  "ends' mean pressure, over the night hours, and lowest",
                      units={"diameter_mm": "mm", "mean_pressure_m": "m", "night_pressure_m": "m",
                             "min_pressure_m": "m"})

    def _day(self, wn, day: dict, night: dict):
        """A demand-driven day with the PRV setpoints ``day`` and, during the night hours, ``night``."""
        import copy  # noqa: PLC0415
        import tempfile  # noqa: PLC0415

        import wntr  # noqa: PLC0415

        net = copy.deepcopy(wn)
        opt = net.options
        opt.hydraulic.demand_model = "DDA"
        step = self.step_min * 60
        opt.time.duration = self.days * 24 * 3600
        opt.time.hydraulic_timestep = opt.time.report_timestep = step
        opt.time.report_start = 0
        for valve, value in day.items():
            net.get_link(valve).initial_setting = float(value)
        if night:
            h0, m0, h1, m1 = map(int, re.split("[:-]", self.night_hours))
            for valve, value in night.items():
                link = net.get_link(valve)
                day_value = float(day.get(valve, link.initial_setting))
                for at, v, tag in ((h0 * 3600 + m0 * 60, value, "night"), (h1 * 3600 + m1 * 60, day_value, "day")):
                    cond = wntr.network.controls.TimeOfDayCondition(net, "=", at % 86_400)
                    act = wntr.network.controls.ControlAction(link, "setting", float(v))
                    net.add_control(f"twin_{tag}_{valve}", wntr.network.controls.Control(cond, act))
                if _inside(int(opt.time.start_clocktime or 0), h0 * 3600 + m0 * 60, h1 * 3600 + m1 * 60):
                    link.initial_setting = float(value)  # the run starts inside the night
        with tempfile.TemporaryDirectory(prefix="twin-pressure-") as tmp:
            results = wntr.sim.EpanetSimulator(net).run_sim(file_prefix=str(Path(tmp) / "day"))
        for table in (results.node, results.link):  # the warm-up day left out, and the run's closing report
            for key in list(table):
                frame = table[key]
                table[key] = frame[(frame.index >= 86_400) & (frame.index < self.days * 86_400)]
        return results

    def _node_n1(self, wn, pipes) -> pd.Series:
        """Each junction's FAVAD N1: the length-weighted mean of its pipes' (``mixed`` when unknown)."""
        from twin.models.water_pressure import N1_BY_MATERIAL  # noqa: PLC0415

        material = self._materials(wn) if self.materials_file else {}
        total: dict[str, float] = {}
        weight: dict[str, float] = {}
        for name, a, b, length in pipes:
            n1 = N1_BY_MATERIAL[material.get(name, "mixed")]
            for node in (a, b):
                total[node] = total.get(node, 0.0) + n1 * length
                weight[node] = weight.get(node, 0.0) + length
        return pd.Series({n: total[n] / weight[n] if weight.get(n) else N1_BY_MATERIAL["mixed"]
                          for n in wn.junction_name_list}, dtype=float)

    def _materials(self, wn) -> dict[str, str]:
        path = Path(self.materials_file)
        if not path.is_file():
            raise ScenarioError(f"materials_file: {path}: no such file (a CSV pipe,material was expected)")
        out = {}
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not {"pipe", "material"} <= set(reader.fieldnames or []):
                raise ScenarioError(f"{path.name}: expected the columns pipe,material (got {reader.fieldnames})")
            for line, row in enumerate(reader, start=2):
                pipe, material = (row["pipe"] or "").strip(), (row["material"] or "").strip().lower()
                if pipe not in wn.pipe_name_list:
                    raise ScenarioError(f"{path.name}, line {line}: {pipe!r} is not a pipe of the network")
                if material not in ("rigid", "mixed", "plastic"):
                    raise ScenarioError(f"{path.name}, line {line}: material {material!r}: expected rigid, mixed "
                                        "or plastic")
                out[pipe] = material
        return out

    @staticmethod
    def _pump_kwh_per_day(wn, results) -> float:
        import wntr  # noqa: PLC0415

        if not wn.num_pumps:
            return 0.0
        try:
            power = wntr.metrics.pump_power(results.link["flowrate"], results.node["head"], wn)  # W
        except NotImplementedError:  # a pump with its own efficiency curve: WNTR computes none
            return float("nan")
        step_h = (results.link["flowrate"].index[1] - results.link["flowrate"].index[0]) / 3600
        days = len(power) * step_h / 24
        return float(power.sum().sum() * step_h / 1000 / days)
