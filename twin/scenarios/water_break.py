"""A main breaks: the valves to close, who is left without water or under pressure, and for how long.

The break leaks from ``break_time`` until the crew closes the valves around its segment
(``isolation_delay_h`` later: detection, travel, finding the valves); the segment then stays shut for
``repair_h`` hours (:mod:`twin.models.water_segments`). Both phases are simulated pressure-driven
(:mod:`twin.models.water_hydraulics`: EPANET 2.2 by default, or WNTR's solver, ``engine``) beside the
same day without a break (the baseline).

A node is *without water* at a time step when it receives under :data:`DRY_SHARE` of the demand it
would draw at full pressure, and *under pressure* when its pressure is below ``service_pressure_m``
while it still gets water. People are estimated from each node's mean demand over the day at
``litres_per_person_day`` (≈ 148 L per inhabitant and per day, the French average of household
consumption reported by the national observatory of water services, SISPEA): an EPANET file
carries demands, not customers, and some demand is not households', so these counts are estimates
and the KPIs say so.

Without ``network_file``, the break runs on the territory's SYNTHETIC network
(:mod:`twin.territory.water_prior`: pipes under its streets, demand from its buildings): a prior, said
in every outcome (attribute ``network``); people are then counted from the buildings each junction
serves, the homes left without water are listed with their addresses, and the sensitive sites default
to the buildings OSM tags as hospitals, clinics, schools, kindergartens and nursing homes. The broken
pipe is named (``broken_pipe``) or is the longest pipe under a street (``broken_street``).

Isolation valves are rarely in an EPANET file. ``valves_file`` gives them (CSV ``link,node``); without
it the valves are a **SYNTHETIC** layer made by WNTR's ``generate_valve_layer`` ("strategic N−n":
every node has valves on all but ``valves_missing_per_node`` of its links, Walski 1993), seeded by
``valve_seed``; the outcome's attribute ``valves`` says which.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import param

from twin.outcome import KPI, Outcome, leaving_out
from twin.scenarios.base import Scenario, ScenarioError
from twin.scenarios.water_source import POPULATION_READ_WHEN, population_parameter, water_network

RECOVERY_H = 2
"""[h] simulated after the repair when the period asked ends before it: the network refills."""
DRY_SHARE = 0.1
"""Below this share of its full-pressure demand, a node counts as without water."""

STRANDED_KPIS = {"people_without_water": ("people_low_pressure",)}
"""People without water are not « en pression basse » (that KPI counts those never without water): a break
that leaves the whole town dry has no one at low pressure, and was marked best on that row."""

KPIS = leaving_out([
    KPI("people_without_water", "people", "human",
        "people (estimated: from demand, or from the buildings served on a synthetic network) at nodes left "
        "without water at some time of the event"),
    KPI("people_hours_without_water", "people·h", "human", "people without water × hours without water"),
    KPI("people_low_pressure", "people", "human",
        "people (estimated) at nodes under the service pressure at some time but never without water"),
    KPI("sensitive_sites_without_water", "sites", "human",
        "sensitive sites (hospital, school…: named in the scenario, else the territory's on its synthetic "
        "network) left without water at some time"),
    KPI("demand_not_served_m3", "m³", "human", "water the customers would have drawn and did not get"),
    KPI("water_lost_m3", "m³", "environmental", "water spilt by the break before its segment was shut"),
    KPI("water_lost_cost_eur", "€", "financial", "water lost × its cost per m³"),
], STRANDED_KPIS)

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_FRENCH_HOUR = re.compile(r"^\s*([01]?\d|2[0-3])\s*[hH]\s*([0-5]\d)?\s*$")  # « 18h30 », « 6 h »


def valve_table(valves: list[tuple[str, str]], wn, crs=None) -> pd.DataFrame:
    """The valves to close as a crew finds them: each valve's pipe (``link``) and the node it sits next to,
    the street over that pipe (its EPANET tag, the street's name on a network built from OSM streets), the
    other streets meeting at the node (« Rue A / Rue B »: the crossing to walk to) and, when the network's
    coordinates are in a known ``crs`` (the territory's), the node's longitude and latitude (WGS 84, a
    phone's map reads them). A valve list of pipe ids alone sent a crew to the network's drawing."""
    rows = []
    for link, node in valves:
        street = (wn.get_link(link).tag or "").strip()
        others = sorted({(wn.get_link(n).tag or "").strip() for n in wn.get_links_for_node(node)} - {street, ""})
        rows.append({"link": link, "node": node, "street": street, "crossing": " / ".join(others)})
    table = pd.DataFrame(rows, columns=["link", "node", "street", "crossing"])
    if crs is not None and len(table):
        from pyproj import Transformer  # noqa: PLC0415 - with geopandas

        xy = np.array([wn.get_node(n).coordinates for n in table["node"]], dtype=float)
        lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(xy[:, 0], xy[:, 1])
        table["lon"], table["lat"] = np.round(lon, 6), np.round(lat, 6)  # 6 decimals: about 10 cm
    return table


def clock_text(seconds: int, clock_s: int = 0) -> str:
    """A time ``seconds`` after a run's start at clock time ``clock_s`` [s after midnight], on that clock:
    « 08:00 », « 02:00 +1 d » the next day (« d »: a day later; the page says « j »)."""
    total = int(clock_s) + int(seconds)
    day, rest = divmod(total, 86_400)
    return f"{rest // 3600:02d}:{rest % 3600 // 60:02d}" + (f" +{day} d" if day else "")


class PipeBreak(Scenario):
    """A main breaks or is shut for works: isolation, customers without water, water lost."""

    family = "water-break"
    stranded_kpis = STRANDED_KPIS
    read_when = POPULATION_READ_WHEN

    network_file = param.String(default="", doc="[-] the network, an EPANET .inp file (default: the territory's "
                                                "SYNTHETIC network under its streets)")
    broken_pipe = param.String(default="", doc="[-] id of the pipe that breaks (as in the .inp file)")
    broken_street = param.String(default="", doc="[-] without broken_pipe: the street whose longest pipe breaks "
                                                 "(a pipe's street is its EPANET tag)")
    break_time = param.String(default="06:00", doc="[-] time of the break on the simulated day, HH:MM")
    isolation_delay_h = param.Number(default=2.0, bounds=(0.0, 48.0),
                                     doc="[h] from the break until its valves are closed (0: planned works)")
    repair_h = param.Number(default=6.0, bounds=(0.0, 168.0), doc="[h] the segment stays shut this long")
    horizon_h = param.Number(default=24.0, bounds=(1.0, 168.0),
                             doc="[h] length of the simulated period, at least: one the repair outlasts (a break at "
                                 "18:00) runs until the repair ends and RECOVERY_H after (attribute simulated_h)")
    step_min = param.Integer(default=30, bounds=(1, 120), doc="[min] hydraulic time step")
    break_area_share = param.Number(default=0.5, bounds=(0.0, 1.0),
                                    doc="[-] opening of the break as a share of the pipe's cross-section "
                                        "(1: the pipe cut through; 0: works, no leak)")
    valves_file = param.String(default="", doc="[-] isolation valves, a CSV with columns link,node "
                                               "(default: a SYNTHETIC strategic layer)")
    valves_missing_per_node = param.Integer(default=1, bounds=(0, 10),
                                            doc="[-] synthetic layer: links without a valve at each node (N−n)")
    valve_seed = param.Integer(default=0, bounds=(0, 2**31 - 1), doc="[-] seed of the synthetic valve layer")
    service_pressure_m = param.Number(default=20.0, bounds=(1.0, 200.0),
                                      doc="[m] pressure at which a node gets its full demand (2 bar: a common "
                                          "design minimum)")
    minimum_pressure_m = param.Number(default=0.0, bounds=(0.0, 100.0), doc="[m] pressure under which no water flows")
    litres_per_person_day = param.Number(default=148.0, bounds=(10.0, 2000.0),
                                         doc="[L/person/day] household use that turns a node's demand into people")
    population = population_parameter()
    water_cost_eur_m3 = param.Number(default=0.8, bounds=(0.0, 100.0),
                                     doc="[€/m³] cost of water lost (BattLeDIM's scoring uses 0.8)")
    sensitive_sites = param.Dict(default={}, doc="[-] {site name: node id} of hospitals, schools… to watch")
    variant_name = param.String(default="", doc="[-] label of the variant (default: « Casse <street> (<pipe>) »)")
    engine = param.Selector(default="epanet", objects=["epanet", "wntr"],
                            doc="[-] the pressure-driven solver: EPANET 2.2 (fast) or WNTR's Python solver; "
                                "both give the same answer (twin.models.water_hydraulics)")

    def validate(self) -> None:
        french = _FRENCH_HOUR.match(self.break_time)
        if french:  # « 18h30 » as a French reader writes it: 18:30
            self.break_time = f"{int(french.group(1)):02d}:{french.group(2) or '00'}"
        if not _HHMM.match(self.break_time):
            raise ScenarioError(f"break_time: expected HH:MM, got {self.break_time!r}", key="err_break_time",
                                values={"text": self.break_time})
        if self.minimum_pressure_m >= self.service_pressure_m:
            raise ScenarioError("minimum_pressure_m: must be below service_pressure_m "
                                f"({self.minimum_pressure_m} ≥ {self.service_pressure_m})", key="err_break_pressures",
                                values={"minimum": self.minimum_pressure_m, "service": self.service_pressure_m})
        for site, node in self.sensitive_sites.items():
            if not isinstance(node, str):
                raise ScenarioError(f"sensitive_sites[{site!r}]: expected a node id (text), got {node!r}",
                                    key="err_break_site_kind", values={"site": str(site)[:60]})

    # --- timing --------------------------------------------------------------------------------
    def _timing(self, step_s: int, clock_s: int = 0):
        """The event's times in seconds from the run's start (at the file's clock time ``clock_s``), each on
        the hydraulic step (WNTR's time controls act on steps)."""
        from twin.models.water_hydraulics import Timing  # noqa: PLC0415

        h, m = map(int, self.break_time.split(":"))
        on_step = lambda s: int(math.ceil(s / step_s) * step_s)  # noqa: E731
        brk = on_step((h * 3600 + m * 60 - clock_s) % 86_400)
        isolated = on_step(brk + self.isolation_delay_h * 3600)
        restored = on_step(isolated + self.repair_h * 3600)
        end = int(self.horizon_h * 3600) // step_s * step_s
        if end < restored:  # a break at 18:00 outlasts the day: simulated until the water is back, and after
            end = on_step(restored + RECOVERY_H * 3600)
        return Timing(break_s=brk, isolated_s=isolated, restored_s=restored, end_s=end, step_s=step_s)

    # --- run -------------------------------------------------------------------------------------
    def network(self, territory=None):
        """(the network, the territory's prior when it is the one, where it comes from)."""

        return water_network(self.network_file, territory, self.litres_per_person_day, self.population)

    def pipe_to_break(self, wn, where: str) -> str:
        """``broken_pipe``, else the longest pipe tagged ``broken_street``."""
        if self.broken_pipe:
            if self.broken_pipe not in wn.pipe_name_list:
                raise ScenarioError(f"broken_pipe: {self.broken_pipe!r} is not a pipe of {where}",
                                    key="err_break_pipe", values={"pipe": str(self.broken_pipe)[:60]})
            return self.broken_pipe
        if not self.broken_street:
            raise ScenarioError("broken_pipe: say which pipe breaks (its id), or broken_street (a street's name)",
                                key="err_break_where")
        # a street's name as the roadworks read it: whatever its case and surrounding spaces
        wanted = self.broken_street.strip().casefold()
        under = [wn.get_link(p) for p in wn.pipe_name_list if (wn.get_link(p).tag or "").strip().casefold() == wanted]
        if not under:
            import difflib  # noqa: PLC0415

            streets = sorted({wn.get_link(p).tag for p in wn.pipe_name_list if wn.get_link(p).tag})
            folded = {st.casefold(): st for st in streets}
            near = [folded[c] for c in difflib.get_close_matches(wanted, list(folded), n=3, cutoff=0.6)]
            raise ScenarioError(f"broken_street: no pipe of {where} lies under {self.broken_street!r}"
                                + (f" (did you mean {', '.join(map(repr, near))}?)" if near else
                                   f" (streets: {', '.join(streets[:8])}…)" if streets else
                                   " (its pipes carry no street names)"),
                                key="err_break_street" if near or streets else "err_break_street_unnamed",
                                values={"street": self.broken_street,
                                        "streets": ", ".join(f"« {x} »" for x in (near or streets[:8]))})
        return max(under, key=lambda pipe: (pipe.length, pipe.name)).name

    def sites(self, wn, prior) -> dict[str, str]:
        """The sensitive sites to watch, {name: junction}: the scenario's, else the territory's."""
        if self.sensitive_sites or prior is None:
            return dict(self.sensitive_sites)
        from twin.territory.water_prior import sensitive_buildings  # noqa: PLC0415

        return sensitive_buildings(prior)

    def valves(self, wn) -> tuple[list[tuple[str, str]], str]:
        """(isolation valves, where they come from)."""
        if self.valves_file:
            from twin.sources.epanet import read_valves  # noqa: PLC0415

            return read_valves(self.valves_file, wn), f"file {self.valves_file}"
        import wntr  # noqa: PLC0415

        layer = wntr.network.generate_valve_layer(wn, "strategic", self.valves_missing_per_node, seed=self.valve_seed)
        return list(zip(layer["link"], layer["node"])), (
            f"SYNTHETIC: WNTR strategic N-{self.valves_missing_per_node} layer, seed {self.valve_seed}")

    def run(self, territory=None) -> Outcome:
        """The break on ``network_file``, else on the territory's synthetic network (module docstring)."""
        from twin.models import water_hydraulics as hydraulics  # noqa: PLC0415
        from twin.models.water_segments import isolate  # noqa: PLC0415

        wn, prior, source = self.network(territory)
        where = self.network_file or "the territory's synthetic network"
        broken_pipe = self.pipe_to_break(wn, where)
        try:
            hydraulics.check_supported(wn, where)
        except ValueError as exc:
            raise ScenarioError(str(exc)) from None
        taken = [n for n in (f"{broken_pipe}__twin_{x}" for x in ("b", "leak", "orifice", "opening"))
                 if n in wn.link_name_list or n in wn.node_name_list]
        if taken:
            raise ScenarioError(f"{where}: the names {taken} are taken; twin splits the broken pipe "
                                "with them: rename those elements")
        if self.engine == "epanet" and (any(wn.get_node(j).emitter_coefficient for j in wn.junction_name_list)
                                        or float(wn.options.hydraulic.emitter_exponent) != 0.5):
            raise ScenarioError(f"{where}: its junctions carry emitters (background leakage) or an emitter exponent "
                                "other than 0.5: EPANET would count their outflow as demand; run it with "
                                "engine 'wntr' (whose solver leaves those emitters out)")
        sites = self.sites(wn, prior)
        for site, node in sites.items():
            if node not in wn.junction_name_list:
                raise ScenarioError(f"sensitive_sites[{site!r}]: {node!r} is not a junction of {where}",
                                    key="err_break_site_node", values={"site": str(site)[:60], "node": str(node)[:60]})
        valves, valve_origin = self.valves(wn)
        links = [(n, wn.get_link(n).start_node_name, wn.get_link(n).end_node_name) for n in wn.link_name_list]
        closed = [n for n in wn.link_name_list if str(wn.get_link(n).initial_status) == "Closed"]
        plan = isolate(broken_pipe, wn.node_name_list, links, valves,
                       wn.tank_name_list + wn.reservoir_name_list, already_closed=closed)
        clock_s = int(wn.options.time.start_clocktime or 0)
        timing = self._timing(self.step_min * 60, clock_s)
        pressures = dict(required_pressure_m=self.service_pressure_m, minimum_pressure_m=self.minimum_pressure_m)
        try:
            base = hydraulics.run(wn, timing, **pressures, engine=self.engine)
        except RuntimeError as exc:  # the solver did not converge: no day cut short, no raw traceback
            raise ScenarioError(f"{where}: the {self.engine} hydraulic solver did not converge on the day without "
                                f"the break ({exc})" + (" — engine 'epanet' converges where WNTR's solver stalls on "
                                                        "very low flows" if self.engine == "wntr" else "")) from None
        pipe = wn.get_link(broken_pipe)
        area = self.break_area_share * math.pi * pipe.diameter ** 2 / 4
        try:
            broken = hydraulics.run(wn, timing, **pressures, broken_link=broken_pipe, break_area_m2=area,
                                    links_to_close=plan.links_to_close, engine=self.engine)
        except RuntimeError as exc:
            raise ScenarioError(f"{where}: the {self.engine} hydraulic solver did not converge with the break "
                                f"({exc})") from None
        street = pipe.tag or ""
        name = self.variant_name or (f"Casse {street} ({broken_pipe})" if street else f"Casse {broken_pipe}")
        if prior is not None:  # the buildings each junction serves: people counted, not estimated from demand
            from twin.territory.water_prior import M2_PER_PERSON  # noqa: PLC0415 - loaded with the prior

            people = prior.buildings.dropna(subset=["junction"]).groupby("junction")["people"].sum()
            # the prior's whole population said beside the counts: a village's thousands under low pressure are
            # read against it (floor area over 50 m² a person counts large barns and sheds of unknown use)
            people_note = (f"counted from the buildings each junction serves (SYNTHETIC network's prior: "
                           f"{people.sum():,.0f} people on the network in all, "
                           + (f"the population given ({self.population:,.0f}) shared by floor area over the "
                              "housing and unknown-use buildings, those within reach of a pipe)" if self.population
                              else f"{M2_PER_PERSON:g} m² of floor a person in housing and unknown-use buildings; "
                                   "compare with the INSEE population, and give it as population to scale to it)"))
        else:
            people = hydraulics.people_served(base.expected.mean(), self.litres_per_person_day)
            people_note = "estimated from demand at %g L/person/day" % self.litres_per_person_day
        shut = (timing.isolated_s, timing.restored_s)
        per_node = {"baseline": self._per_node(base, people, sites, shut),
                    name: self._per_node(broken, people, sites, shut)}
        # the buildings tapped on a pipe of the shut segment: dry while it is shut, even when both its ends still
        # have water (a 48 h repair on a street between two valves left « 0 personne privée d'eau »); a valved
        # pipe's body lies beyond the valve, in the part that keeps its water
        shut_h = (timing.restored_s - timing.isolated_s) / 3600
        on_shut = prior.buildings[prior.buildings["pipe"].isin(plan.links)  # the segment's own pipes
                                  & prior.buildings["junction"].notna()] \
            if prior is not None and "pipe" in prior.buildings and shut_h > 0 else None
        # a sensitive site (the territory's: a building) on the shut segment is dry for the repair too
        site_shut = {}
        if on_shut is not None and prior is not None and not self.sensitive_sites and "building" in prior.sensitive:
            shut_ids = set(on_shut["building"])
            site_shut = {site: shut_h for site, b in zip(prior.sensitive["site"], prior.sensitive["building"],
                                                         strict=True) if b in shut_ids and site in sites}
        values = {v: self._kpis(t, broken if v == name else base, sites, on_shut if v == name else None, shut_h,
                                site_shut if v == name else None)
                  for v, t in per_node.items()}
        out = Outcome.from_values(self.family, KPIS, values, network=source, valves=valve_origin, people=people_note,
                                  broken_pipe=broken_pipe, broken_street=street, break_s=timing.break_s,
                                  isolated_s=timing.isolated_s, restored_s=timing.restored_s,
                                  # the same on the network's clock, as the crew reads it (« 08:00 », « 02:00 +1 j »)
                                  break_at=clock_text(timing.break_s, clock_s),
                                  isolated_at=clock_text(timing.isolated_s, clock_s),
                                  restored_at=clock_text(timing.restored_s, clock_s),
                                  simulated_h=timing.end_s / 3600,
                                  **({"priors": "network, demand and people: SYNTHETIC, from OSM streets and "
                                                "buildings"} if prior is not None else {}))
        layer = pd.concat([t.assign(variant=v) for v, t in per_node.items()], ignore_index=True) \
            .drop(columns="hours_dry_while_shut")  # a step of the count, not a figure of the map
        out.add_table("water_nodes", layer, kind="layer", key="node",
                      description="per junction: people (estimated), hours without water, hours under the service "
                                  "pressure, lowest pressure, demand not served",
                      units={"people": "people", "hours_without_water": "h", "hours_low_pressure": "h",
                             "min_pressure_m": "m", "not_served_m3": "m³"})
        # coordinates only on the territory's own network: an EPANET file's are in an unknown frame
        out.add_table("valves_to_close", valve_table(list(plan.valves_to_close), wn,
                                                     territory.crs if prior is not None else None), kind="list",
                      key="link", description="isolation valves to close to shut the broken pipe's segment "
                                              "(on that link, next to that node; its street, the streets "
                                              "meeting there, and where, in WGS 84, on the territory's network)")
        dry = per_node[name].query("hours_without_water > 0")[["node", "people", "hours_without_water"]]
        out.add_table("nodes_without_water", dry.reset_index(drop=True), kind="list", key="node",
                      description="junctions left without water, their people (estimated) and hours",
                      units={"people": "people", "hours_without_water": "h"})
        hours = per_node[name].set_index("node")["hours_without_water"]
        within = per_node[name].set_index("node")["hours_dry_while_shut"]

        def with_repair(node) -> float:
            """[h] a building tapped on the shut pipe at ``node``: its junction's dry hours and the repair's it
            was not already dry in (as the KPIs count them: the two add up, they do not overlap)."""
            return float(hours.get(node, 0.0)) + max(shut_h - float(within.get(node, 0.0)), 0.0)

        if prior is not None:
            ends = {p: (wn.get_link(p).start_node_name, wn.get_link(p).end_node_name) for p in prior.pipes["pipe"]}
            in_segment = prior.pipes["pipe"].isin(plan.links).to_numpy()
            low = per_node[name].set_index("node")["hours_low_pressure"]
            pipes = prior.pipes.drop(columns="geometry").assign(
                variant=name, shut=prior.pipes["pipe"].isin(plan.links_to_close).to_numpy(),
                hours_without_water=[max(with_repair(a), with_repair(b)) if inside and shut_h > 0 else
                                     max(hours.get(a, 0.0), hours.get(b, 0.0))
                                     for (a, b), inside in zip(ends.values(), in_segment, strict=True)],
                # which streets lose pressure, and how long (« 4 950 personnes en pression basse » had no where)
                hours_low_pressure=[max(low.get(a, 0.0), low.get(b, 0.0)) for a, b in ends.values()])
            out.add_table("water_pipes", pd.DataFrame(pipes), kind="layer", key="pipe",
                          description="the SYNTHETIC network's pipes, the street each lies under (its two OSM "
                                      "nodes), shut for the repair or not, and the most hours one of its "
                                      "ends is without water, or under the service pressure",
                          units={"diameter_mm": "mm", "length_m": "m", "hours_without_water": "h",
                                 "hours_low_pressure": "h"})
            homes = prior.buildings.dropna(subset=["junction"]).assign(
                hours_without_water=lambda b: b["junction"].map(hours).fillna(0.0))
            if on_shut is not None:  # on the shut pipe: dry for the repair too
                shut = homes["building"].isin(on_shut["building"])
                homes.loc[shut, "hours_without_water"] = [with_repair(j) for j in homes.loc[shut, "junction"]]
            homes = homes[homes["hours_without_water"] > 0][["building", "address", "junction", "people",
                                                             "hours_without_water"]]
            homes = homes.rename(columns={"building": "building_id"})  # the key the map and GeoPackage join on
            out.add_table("buildings_without_water", homes.reset_index(drop=True), kind="list", key="building_id",
                          description="buildings whose junction is left without water, or tapped on a pipe shut for "
                                      "the repair: who to warn (SYNTHETIC network: which pipe and junction serve a "
                                      "building is the prior's guess)",
                          units={"people": "people", "hours_without_water": "h"})
        sites = pd.DataFrame([{"site": s, "node": n, "hours_without_water":
                               with_repair(n) if s in site_shut else float(hours.get(n, 0.0))}
                              for s, n in sites.items()], columns=["site", "node", "hours_without_water"])
        out.add_table("sensitive_sites", sites, kind="list", key="node",
                      description="the sensitive sites named in the scenario and their hours without water",
                      units={"hours_without_water": "h"})
        import xarray as xr  # noqa: PLC0415

        out.add_series("leak_l_s", xr.DataArray(broken.leak.to_numpy() * 1000, dims="time",
                                                coords={"time": broken.leak.index.to_numpy() / 3600}),
                       unit="L/s", description="outflow of the break over time (hours from the day's start)")
        return out

    def _per_node(self, h, people: pd.Series, sites: dict, shut: tuple[float, float] = (0.0, 0.0)) -> pd.DataFrame:
        """Per junction of one run: people, hours without water (and, ``hours_dry_while_shut``, those within
        ``shut``: [start, end) in seconds, the segment shut for repair), hours under pressure, lowest
        pressure, demand not served."""
        dt_h = h.step_s / 3600
        wanted = h.expected > 0
        dry = wanted & (h.demand < DRY_SHARE * h.expected)
        times = h.demand.index.to_numpy(float)
        while_shut = (times >= shut[0]) & (times < shut[1])
        low = wanted & ~dry & (h.pressure < self.service_pressure_m)
        not_served = (h.expected - h.demand).clip(lower=0).sum() * h.step_s
        return pd.DataFrame({"node": h.pressure.columns,
                             "people": people.reindex(h.pressure.columns).fillna(0.0).to_numpy(),
                             "hours_without_water": dry.sum().to_numpy() * dt_h,
                             "hours_dry_while_shut": dry[while_shut].sum().to_numpy() * dt_h,
                             "hours_low_pressure": low.sum().to_numpy() * dt_h,
                             "min_pressure_m": h.pressure.min().to_numpy(),
                             "not_served_m3": not_served.to_numpy()})

    def _kpis(self, nodes: pd.DataFrame, h, sites: dict, on_shut: pd.DataFrame | None = None,
              shut_h: float = 0.0, site_shut: dict | None = None) -> dict[str, float]:
        """The KPIs of one run from its junctions; ``on_shut``: the buildings (``junction``, ``people``,
        ``demand_m3_day``) tapped on a pipe shut for ``shut_h`` hours, dry for that long at least — their people
        moved out of their junction's count (watered or at low pressure) into the dry, the water they would
        have drawn meanwhile not served; ``site_shut``: {sensitive site: hours} on the shut pipes."""
        dry = nodes["hours_without_water"] > 0
        low = ~dry & (nodes["hours_low_pressure"] > 0)
        lost = float(h.leak.sum() * h.step_s)
        hours = nodes.set_index("node")["hours_without_water"]
        extra_dry = extra_hours = less_low = extra_m3 = 0.0
        if on_shut is not None and len(on_shut):
            at = on_shut["junction"].map(hours).fillna(0.0)
            lows = set(nodes.loc[low, "node"])
            # [h] dry beyond what their junction already counts: the repair's hours, less those the junction
            # was itself dry in them (a junction dry only while the break leaked is dry again for the repair:
            # the two add up, they do not overlap)
            within = on_shut["junction"].map(nodes.set_index("node")["hours_dry_while_shut"]).fillna(0.0)
            more = np.maximum(shut_h - within, 0.0)
            extra_dry = float(on_shut.loc[at <= 0, "people"].sum())
            extra_hours = float((on_shut["people"] * more).sum())
            less_low = float(on_shut.loc[(at <= 0) & on_shut["junction"].isin(lows), "people"].sum())
            if "demand_m3_day" in on_shut:  # their draw, spread evenly over the day (an order of magnitude)
                extra_m3 = float((on_shut["demand_m3_day"].fillna(0.0) * more / 24.0).sum())
        site_hours = {s: max(float(hours.get(n, 0.0)), (site_shut or {}).get(s, 0.0)) for s, n in sites.items()}
        return {"people_without_water": float(nodes.loc[dry, "people"].sum()) + extra_dry,
                "people_hours_without_water": float((nodes["people"] * nodes["hours_without_water"]).sum())
                + extra_hours,
                "people_low_pressure": float(nodes.loc[low, "people"].sum()) - less_low,
                "sensitive_sites_without_water": float(sum(x > 0 for x in site_hours.values())),
                "demand_not_served_m3": float(nodes["not_served_m3"].sum()) + extra_m3,
                "water_lost_m3": lost, "water_lost_cost_eur": lost * self.water_cost_eur_m3}


__all__ = ["DRY_SHARE", "KPIS", "PipeBreak"]
