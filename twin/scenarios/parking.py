"""Parking: drivers searching for a space (:mod:`twin.models.parking`, mesa agents) as the town is
today and with spaces removed (roadworks, a terrace, a cycle lane), car parks closed, added or
re-priced, street prices changed, or guidance to free spaces from bay sensors.

The supply and the prior demand come from the territory (:mod:`twin.scenarios.parking_supply`): kerb
spaces estimated where OSM does not tag them and demand from the buildings until occupancy sensors
calibrate it — both said in the outcome's attributes (``supply``, ``demand``, ``priors``). Every
variant runs ``members`` times with the same seeds (common random numbers: member *m* of the
baseline and of the variant meet the same drivers), so the change comes with its band.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import param
import xarray as xr

from twin.outcome import KPI, Outcome
from twin.scenarios.base import Scenario, ScenarioError

KPIS = [
    KPI("search_mean_min", "min", "human",
        "mean time the search cost the drivers who parked: from its start to parking, beyond a straight drive to "
        "the destination"),
    KPI("search_p90_min", "min", "human", "that time, not exceeded by 90 % of the drivers who parked"),
    KPI("gave_up_drivers", "drivers", "human", "drivers who gave up their search and drove away"),
    KPI("walk_mean_m", "m", "human", "mean walk from the space to the destination"),
    KPI("cruising_vkm", "veh·km", "environmental",
        "what the searches added to the drives: driven beyond the straight route (those who gave up or were "
        "still searching at the end too)"),
    KPI("cruising_co2_kg", "kg CO2", "environmental", "CO2 of the cruising (car_co2_kg_per_vkm)"),
    KPI("revenue_eur", "€", "financial", "parking fees for the space-hours used within the window (the town's or "
        "operator's revenue)",
        higher_is_better=True),
]
_HOURS = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)-(?:([01]?\d|2[0-3]):([0-5]\d)|(24):(00))$")


def _hours(text: str, name: str) -> tuple[float, float]:
    m = _HOURS.match(text)
    if not m:
        raise ScenarioError(f"{name}: expected HH:MM-HH:MM, got {text!r}", key="err_parking_hours",
                            values={"parameter": name, "text": text})
    h0, m0 = int(m.group(1)), int(m.group(2))
    h1, m1 = (int(m.group(3)), int(m.group(4))) if m.group(3) is not None else (24, 0)
    start, end = h0 + m0 / 60, h1 + m1 / 60
    if start == end:
        raise ScenarioError(f"{name}: {text!r} is an empty window (expected a start and a different end; the whole "
                            "day is 00:00-24:00, across midnight is allowed, 22:00-06:00)",
                            key="err_parking_empty_window", values={"parameter": name, "text": text})
    return start, end


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two windows of the day (start, end in hours, an end before its start wraps past midnight)
    share some time: tested every minute of the day."""
    def inside(w, h):
        return w[0] <= h < w[1] if w[0] < w[1] else (h >= w[0] or h < w[1])

    return any(inside(a, m / 60) and inside(b, m / 60) for m in range(24 * 60))


class ParkingSearch(Scenario):
    """Drivers searching for a space on the territory's streets and car parks: today and with changes."""

    family = "parking"

    remove_streets = param.List(default=[], item_type=str,
                                doc="[-] streets whose kerb spaces are removed (roadworks, terrace, cycle lane)")
    remove_zone = param.String(default="", doc="[-] a zone whose kerb spaces are removed too: a WKT polygon in WGS84 "
                               "(e.g. drawn on the app's map), every street edge it touches")
    remove_hours = param.String(default="", doc="[-] when those spaces are out of use, HH:MM-HH:MM (empty: all day)")
    close_car_parks = param.List(default=[], item_type=str, doc="[-] car parks closed, by name")
    add_car_park = param.Dict(default={}, doc="[-] a new car park: {\"near\": street name, \"capacity\": spaces, "
                                             "\"price_eur_h\": €/h}")
    street_prices = param.Dict(default={}, doc="[€/h] on-street price by street name (today: free unless given)")
    car_park_prices = param.Dict(default={}, doc="[€/h] price of car parks by name")
    guidance_share = param.Number(default=0.0, bounds=(0.0, 1.0),
                                  doc="[-] share of drivers guided to free spaces the bay sensors see")
    sensor_share = param.Number(default=0.0, bounds=(0.0, 1.0),
                                doc="[-] share of kerb spaces with bay sensors (those nearest the busiest "
                                    "destinations first); guidance sees only these")
    turnover = param.Number(default=4.0, bounds=(0.1, 20.0),
                            doc="[arrivals/space/day] the demand's level (a prior until sensors calibrate it)")
    paid_price_eur_h = param.Number(default=1.5, bounds=(0.0, 20.0),
                                    doc="[€/h] price of a car park OSM tags fee=yes (enter the town's tariff)")
    pay_median_eur_h = param.Number(default=2.0, bounds=(0.0, 50.0), inclusive_bounds=(False, True),
                                    doc="[€/h] median of what a driver will pay per hour")
    # the app's and the CLI's (the page simulated 07:00–19:00, the CLI 06:00–22:00: the same removal gave 3 586
    # and 4 166 km of cruising): the town centre's daytime, when on-street parking is under pressure
    period = param.String(default="07:00-19:00", doc="[-] the hours simulated, HH:MM-HH:MM (across midnight allowed)")
    occupancy_start = param.Number(default=0.35, bounds=(0.0, 1.0),
                                   doc="[-] share of spaces taken when the window opens (residents, early arrivals)")
    members = param.Integer(default=5, bounds=(1, 50), doc="[-] runs with different seeds (the same for each variant)")
    seed = param.Integer(default=0, bounds=(0, 2**31 - 1), doc="[-] first member's seed")
    variant_name = param.String(default="", doc="[-] label of the variant (default: « Variante »)")

    def validate(self) -> None:
        _hours(self.period, "period")
        if self.remove_zone:
            from twin.scenarios.zones import check_polygon  # noqa: PLC0415

            check_polygon(self.remove_zone, "remove_zone")
        if self.remove_hours and not _overlap(_hours(self.remove_hours, "remove_hours"), _hours(self.period, "period")):
            # every change was 0,0 and nothing said why (20:00-22:00 removed, 08:00-19:00 simulated)
            raise ScenarioError(f"remove_hours {self.remove_hours!r} fall outside the hours simulated, period "
                                f"{self.period!r}: the removal would change nothing; widen the period or move the "
                                "removal", key="err_parking_removal_outside",
                                values={"hours": self.remove_hours, "period": self.period})
        for name, table in (("street_prices", self.street_prices), ("car_park_prices", self.car_park_prices)):
            for key, value in table.items():
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
                    raise ScenarioError(f"{name}[{key!r}]: expected a price in €/h (0–100), got {value!r}")
        if self.add_car_park:
            new = self.add_car_park
            unknown = set(new) - {"near", "capacity", "price_eur_h", "name"}
            if unknown or "near" not in new or "capacity" not in new:
                shape = '{"near": a street name, "capacity": spaces, "price_eur_h": €/h}'
                raise ScenarioError(f"add_car_park: expected {shape} (got the keys {sorted(new)})")
            if not isinstance(new["near"], str) or not new["near"].strip():
                raise ScenarioError(f"add_car_park.near: expected a street name, got {new['near']!r}")
            cap = new["capacity"]
            if isinstance(cap, bool) or not isinstance(cap, int) or not 0 < cap <= 10_000:
                raise ScenarioError(f"add_car_park.capacity: expected a whole number of spaces (1–10000), got {cap!r}")
            price = new.get("price_eur_h", 0.0)
            if isinstance(price, bool) or not isinstance(price, (int, float)) or not 0 <= price <= 100:
                raise ScenarioError(f"add_car_park.price_eur_h: expected a price in €/h (0–100), got {price!r}")
            if not isinstance(new.get("name", ""), str):
                raise ScenarioError(f"add_car_park.name: expected a name, got {new['name']!r}")
        for name in ("remove_streets", "close_car_parks"):
            if any(not str(v).strip() for v in getattr(self, name)):
                raise ScenarioError(f"{name}: an empty name (expected the names of the territory's streets or car "
                                    "parks)", key="err_parking_empty_name", values={"parameter": name})
        if self.guidance_share > 0 and self.sensor_share == 0:
            raise ScenarioError("guidance_share: guidance shows the free spaces bay sensors see; with no sensors "
                                "(sensor_share = 0) it shows none — give sensor_share too",
                                key="err_parking_guidance_no_sensors")

    def run(self, territory) -> Outcome:
        from twin.economics import factor  # noqa: PLC0415
        from twin.scenarios import parking_supply as supply_of  # noqa: PLC0415

        supply, demand, tables = supply_of.build(territory, paid_price_eur_h=self.paid_price_eur_h,
                                                 turnover=self.turnover)
        demand = _with(demand, pay_median_eur_h=self.pay_median_eur_h)
        zone = np.zeros(len(tables["kerbs"]), bool)
        if self.remove_zone:  # the kerbs of every street edge the zone touches
            from twin.scenarios.zones import edges_in_polygon  # noqa: PLC0415

            G = territory.graphs["drive"]
            zone = edges_in_polygon(territory, list(G.edges(keys=True)), self.remove_zone, "remove_zone")
        changed = self._variant(supply, tables, demand, zone)
        removed = self.removed_kerbs(supply, tables["kerbs"], zone)
        guided = _with(demand, guidance_share=self.guidance_share)
        name = self.variant_name or "Variante"
        start_h, end_h = _hours(self.period, "period")
        if end_h <= start_h:  # a window across midnight (22:00-06:00) runs into the next day
            end_h += 24.0
        seeds = list(range(self.seed, self.seed + self.members))
        co2 = factor("car_co2_kg_per_vkm")
        runs = {"baseline": [_run_one(supply, demand, s, start_h, end_h, self.occupancy_start) for s in seeds]}
        if self.changes():  # without a change asked for, the town as it is, alone
            runs[name] = [_run_one(changed, guided, s, start_h, end_h, self.occupancy_start) for s in seeds]
        names = [k.name for k in KPIS]

        def kpis(r):
            return {"search_mean_min": r["search_mean_min"], "search_p90_min": r["search_p90_min"],
                    "gave_up_drivers": r["gave_up"], "walk_mean_m": r["walk_mean_m"],
                    "cruising_vkm": r["cruising_vkm"], "cruising_co2_kg": r["cruising_vkm"] * co2,
                    "revenue_eur": r["revenue_eur"]}
        members = {v: np.array([[kpis(r["results"])[k] for k in names] for r in rs]) for v, rs in runs.items()}
        values = {v: dict(zip(names, np.nanmean(m, axis=0))) for v, m in members.items()}
        kerbs, parks = tables["kerbs"], tables["car_parks"]
        generated = int((kerbs["source"] == "generated").sum())
        out = Outcome.from_values(
            self.family, KPIS, values,
            supply=f"{int(supply.spaces.sum())} kerb spaces on {int((supply.spaces > 0).sum())} street edges "
                   f"({generated} of {len(kerbs)} edges estimated from street class: generated), "
                   f"{int(supply.park_capacity.sum())} spaces in {len(parks)} car parks "
                   f"({int((parks['capacity_source'] == 'generated').sum()) if len(parks) else 0} capacities estimated)",
            demand=f"prior: {self.turnover:g} arrivals per space and day ({demand.arrivals_per_hour.sum():.0f}/day), "
                   "destinations weighted by floor area, stays and arrival hours from the project's town-centre "
                   "profile (twin.scenarios.parking_supply)",
            priors="demand (turnover, arrival profile, stays, willingness to pay) and untagged kerb spaces",
            window=self.period,
            # what the variant takes away, said (the map showed streets in orange, never how many spaces)
            spaces_removed=int(supply.spaces[removed].sum()), spaces_removed_edges=int(removed.sum()),
            # how many street edges' kerb spaces are estimated from the street's class, not mapped (the page said
            # « 46 places » on a street as if counted)
            kerb_edges_generated=generated, kerb_edges=len(kerbs),
            # the car parks OSM tags fee=yes, the only ones paid_price_eur_h prices (none in the seed: a revenue
            # of 0 € beside « Tarif d'un parking payant » 1,5 €/h, and nothing said why)
            paying_car_parks=f"{_tagged_paying(parks)} of {len(parks)}",
            spaces_removed_hours=(self.remove_hours or "all day") if removed.any() else "",
            # the car parks the variant closes, with their spaces (a car park is no street: the map cannot
            # colour it, its caption names it)
            car_parks_closed="; ".join(f"{n} ({int(c)})" for n, c in zip(parks["name"], parks["capacity"],
                                                                         strict=True) if n in self.close_car_parks))
        out.add_members(np.stack([members[v].T for v in out.variants]), seeds)
        self._series(out, runs, tables, start_h, removed)
        return out

    def changes(self) -> bool:
        """Whether a change to the town is asked for (else the outcome is the baseline alone)."""
        return bool(self.remove_streets or self.remove_zone or self.close_car_parks or self.add_car_park
                    or self.street_prices
                    or self.car_park_prices or self.guidance_share > 0 or self.sensor_share > 0)

    def _variant(self, supply, tables, demand, zone: np.ndarray | None = None):
        """The supply with this scenario's changes (names unknown to the territory are refused); ``zone``: the
        kerbs (one per directed edge, the drive graph's order) whose spaces go with ``remove_zone``."""
        from dataclasses import replace  # noqa: PLC0415

        kerbs, parks = tables["kerbs"], tables["car_parks"]
        streets = set(kerbs["street"])
        for name in [*self.remove_streets, *self.street_prices]:
            if name not in streets:
                near = sorted(s for s in streets if s and s.lower()[:4] == name.lower()[:4])[:5]
                raise ScenarioError(f"street {name!r} is not a street of the territory's drive graph"
                                    + (f" (did you mean {', '.join(near)}?)" if near else ""),
                                    key="err_parking_unknown_street", values={"street": name,
                                                                              "near": ", ".join(near) or "—"})
        park_names = list(parks["name"])
        for name in [*self.close_car_parks, *self.car_park_prices]:
            if name not in park_names:
                listed = f"{', '.join(park_names[:12])}{' …' if len(park_names) > 12 else ''}" or "—"
                raise ScenarioError(f"car park {name!r} is not a car park of the territory (its car parks: {listed})",
                                    key="err_parking_unknown_car_park", values={"name_given": name, "names": listed})
        spaces = supply.spaces.copy()
        closed_hours = None
        removed = self.removed_kerbs(supply, kerbs, zone)
        if (self.remove_streets or (zone is not None and zone.any()) or self.remove_zone) and not removed.any():
            # every change read 0,0 and nothing said: the streets named have no kerb spaces to remove
            where = ", ".join(self.remove_streets) or "remove_zone"
            raise ScenarioError(f"remove_streets/remove_zone: {where} hold no kerb spaces in the territory's supply: "
                                "nothing to remove (name streets with kerb parking, or close a car park)",
                                key="err_parking_nothing_removed", values={"where": where})
        if removed.any():
            if self.remove_hours:
                window = _hours(self.remove_hours, "remove_hours")
                closed_hours = [window if r else None for r in removed]
            else:
                spaces[removed] = 0
        price = supply.price_eur_h.copy()
        for street, p in self.street_prices.items():
            price[(kerbs["street"] == street).to_numpy()] = float(p)
        cap = supply.park_capacity.copy()
        park_price = supply.park_price_eur_h.copy()
        for i, name in enumerate(park_names):
            if name in self.close_car_parks:
                cap[i] = 0
            if name in self.car_park_prices:
                park_price[i] = float(self.car_park_prices[name])
        park_node, park_name = supply.park_node, list(supply.park_name)
        if self.add_car_park:
            near = self.add_car_park["near"]
            on = np.flatnonzero((kerbs["street"] == near).to_numpy())
            if len(on) == 0:
                raise ScenarioError(f"add_car_park.near: {near!r} is not a street of the territory's drive graph")
            park_node = np.r_[park_node, supply.tail[on[0]]]
            cap = np.r_[cap, int(self.add_car_park["capacity"])]
            park_price = np.r_[park_price, float(self.add_car_park.get("price_eur_h", 0.0))]
            park_name.append(str(self.add_car_park.get("name") or f"nouveau parking ({near})"))
        sensed = _sensed(supply, self.sensor_share, demand)
        return replace(supply, spaces=spaces, price_eur_h=price, park_capacity=cap, park_price_eur_h=park_price,
                       park_node=park_node, park_name=park_name, sensed=sensed, closed_hours=closed_hours)

    def removed_kerbs(self, supply, kerbs, zone: np.ndarray | None = None) -> np.ndarray:
        """The kerbs (one per directed edge) whose spaces the variant removes: on the streets named or in
        the zone, with at least one space."""
        removed = kerbs["street"].isin(self.remove_streets).to_numpy()
        if zone is not None:
            removed = removed | zone
        return removed & (supply.spaces > 0)

    def _series(self, out: Outcome, runs: dict, tables, start_h: float, removed: np.ndarray) -> None:
        """Occupancy by hour (members' mean, of each variant's own spaces) and, per street edge, the distance
        driven by searching drivers, the kerb's occupancy and whether the variant removes its spaces (for
        some hours, or all day): the map's layer."""
        occ = {}
        rows = []
        first = runs["baseline"][0]["by_hour"]
        # the window's hours in its order (a window across midnight: 22 h, 23 h, 0 h …)
        hours = sorted(np.flatnonzero(first[:, 2] > 0), key=lambda h: (h - int(start_h)) % 24)
        for v, rs in runs.items():
            by_hour = np.mean([r["by_hour"] for r in rs], axis=0)
            total = max(rs[0]["total_spaces"], 1)
            occ[v] = (by_hour[hours, 0] + by_hour[hours, 1]) / by_hour[hours, 2] / total * 100
            rows.append(pd.DataFrame({
                "variant": v, "edge": tables["kerbs"]["edge"], "street": tables["kerbs"]["street"],
                "spaces": rs[0]["spaces"], "searching_vkm": np.mean([r["cruised_on"] for r in rs], axis=0) / 1000,
                "occupied_space_h": np.mean([r["occupied_s"] for r in rs], axis=0) / 3600,
                "occupancy_pct": np.mean([r["occupied_share"] for r in rs], axis=0) * 100,
                "removed": removed if v != "baseline" else np.zeros(len(removed), bool)}))
        out.add_series("occupancy_by_hour", xr.DataArray(np.stack([occ[v] for v in out.variants]),
                                                         dims=("variant", "hour"),
                                                         coords={"variant": out.variants, "hour": hours}),
                       unit="%", description="spaces taken (kerbs and car parks) of the variant's own spaces, by "
                                             "hour of the day, members' mean")
        out.add_table("streets", pd.concat(rows, ignore_index=True), kind="layer", key="edge",
                      description="per street edge: the variant's kerb spaces, the distance searching drivers drove "
                                  "on it (straight approach included), the space-hours its kerb was used, its "
                                  "mean occupancy and whether the variant removes its spaces (removed)",
                      units={"spaces": "spaces", "searching_vkm": "veh·km", "occupied_space_h": "space·h",
                             "occupancy_pct": "%"})


def _with(demand, **changes):
    from dataclasses import replace  # noqa: PLC0415

    return replace(demand, **changes)


def _sensed(supply, share: float, demand) -> np.ndarray:
    """Kerbs with bay sensors: the kerbs nearest (walking) the busiest destination first, until ``share``
    of the kerb spaces is covered."""
    from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

    from twin.models.parking import _shortest_links  # noqa: PLC0415

    sensed = np.zeros(len(supply.tail), bool)
    if share <= 0:
        return sensed
    walk = _shortest_links(np.r_[supply.tail, supply.head], np.r_[supply.head, supply.tail],
                           np.r_[supply.length_m, supply.length_m], supply.n_nodes)
    busiest = int(demand.dest_nodes[int(np.argmax(demand.dest_weights.sum(axis=0)))])
    dist = dijkstra(walk, directed=False, indices=busiest)
    order = np.argsort(np.minimum(dist[supply.tail], dist[supply.head]), kind="stable")
    target = share * supply.spaces.sum()
    covered = 0
    for e in order:
        if covered >= target:
            break
        if supply.spaces[e] > 0:
            sensed[e] = True
            covered += supply.spaces[e]
    return sensed


def _run_one(supply, demand, seed: int, start_h: float, end_h: float, occupancy_start: float) -> dict:
    """One member: the model run over the window, what the outcome keeps of it."""
    from twin.models.parking import ParkingModel  # noqa: PLC0415

    m = ParkingModel(supply, demand, seed=seed, start_h=start_h, end_h=end_h, occupancy_start=occupancy_start).run()
    window = max(m.time_s - start_h * 3600, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(supply.spaces > 0, m.occupied_s / window / np.maximum(supply.spaces, 1), np.nan)
    return {"results": m.results(), "by_hour": m.by_hour.copy(), "cruised_on": m.cruised_on.copy(),
            "occupied_share": share, "occupied_s": m.occupied_s.copy(), "spaces": supply.spaces.copy(),
            "total_spaces": supply.total_spaces}


def _tagged_paying(parks) -> int:
    """The car parks OSM tags ``fee=yes`` (priced ``paid_price_eur_h``, whatever that price is)."""
    return int((parks["fee"].fillna("").astype(str).str.lower() == "yes").sum()) if len(parks) else 0
