"""Street-lighting schedules: energy, money and CO2 saved, darkness for wildlife, light where people need it.

A variant is a list of **rules** applied in order to the territory's lamps — a later
rule overrides an earlier one for the lamps it selects:

.. code-block:: json

    [{"zone": {"all": true},            "schedule": {"name": "off 23–05", "off_windows": [["23:00", "05:00"]]}},
     {"zone": {"near": {"category": ["station"], "radius_m": 150}}, "schedule": {"name": "all night"}}]

Zones: ``{"all": true}``, ``{"highway": ["primary", …]}`` (street class of the lamp),
``{"near": {"category": [...], "radius_m": R}}`` (places of the territory),
``{"polygon": WKT, "crs": "EPSG:4326"}``, ``{"cabinets": [ids]}``.
Schedules: :class:`twin.models.lighting.Schedule` fields, plus ``"events_ics": PATH``
to stay lit while the bookings of an iCalendar file last.

Documented default assumptions (all parameters, change them to your contract; the numbers, each with
its unit, year and source, are rows of the factors table :data:`twin.economics.FACTORS`):

* price 0.20 €/kWh excl. VAT (energy + network + taxes, order of magnitude of 2024–2025
  offers to French communes after the 2022–2023 crisis) and a subscription of
  30 €/kVA/year on the cabinets' installed power (power factor 0.9);
* 0.053 kg CO2e/kWh for lighting electricity (a project assumption: the factor suggested in the
  project's issue; ADEME's Base Empreinte gives use-specific factors for the French mix);
* a cabinet needs an astronomical clock (≈ 350 € installed) for fixed off windows or
  calendar exceptions, a connected clock (≈ 900 €) for dimming or event-driven lighting;
* LED retrofit: a sodium / metal-halide / mercury head replaced by an LED one drawing
  30 % of its power (70 W sodium → 21 W LED), ≈ 600 € per lamp installed;
* wildlife corridors: lamps within 30 m of waterways, water areas and green areas;
* people: lamps within 50 m of schools (use 07:00–19:00), sports venues (08:00–23:00),
  stations (05:00–01:00), and lamps on primary/secondary roads (05:00–24:00).

The outcome carries the layer ``lamps`` (one row per lamp and variant: schedule, power, kWh,
equivalent, burning and night hours, the clock its cabinet needs) — what the map draws.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import param
from shapely import wkt

from twin.economics import factor, life_note, payback_years, service_life_years
from twin.models.lighting import DEFAULT_OFFSET_MIN, MinuteGrid, Schedule, ScheduleError, simulate_park
from twin.outcome import KPI, Outcome
from twin.scenarios.base import Scenario, ScenarioError

USE_WINDOWS = {"school": ("07:00", "19:00"), "sport": ("08:00", "23:00"), "station": ("05:00", "01:00"),
               "main_axis": ("05:00", "00:00")}
MAIN_AXES = {"primary", "primary_link", "secondary", "secondary_link", "trunk", "trunk_link"}
CONTROL_RANK = {"none": 0, "fixed_clock": 1, "astronomical_clock": 2, "connected_clock": 3}
CORRIDOR_LAYERS = ("waterways", "water_areas", "green")
NEAR_RADIUS_MAX_M = 5000
"""[m] the largest radius of a « near » zone: beyond a commune's scale every lamp would be « near »,
a typing slip (an extra zero) rather than a rule."""
POWER_FACTOR = factor("lighting_power_factor")  # kVA subscribed = installed kW / power factor

KPIS = [
    KPI("energy_kwh", "kWh/yr", "environmental", "electricity used by the lamps in the year"),
    KPI("co2_kg", "kg CO2e/yr", "environmental", "emissions of that electricity"),
    KPI("corridor_darkness_h", "h/yr", "environmental",
        "mean hours of darkness per night-year at lamps along waterways and green corridors", higher_is_better=True),
    KPI("burning_hours", "h/yr", "environmental", "mean hours a lamp is lit (at any level)"),
    KPI("cost_eur", "€/yr", "financial", "energy bill plus subscription of the lighting cabinets"),
    KPI("clocks_to_install", "cabinets", "financial", "cabinets whose clock cannot run the schedule"),
    KPI("investment_eur", "€", "financial", "clocks and LED heads to buy and install"),
    KPI("payback_years", "years", "financial", "investment divided by the yearly saving against the baseline"),
    KPI("sensitive_lit_share_pct", "%", "human",
        "share of dark hours of use lit near schools, sports venues, stations and on main axes",
        higher_is_better=True),
]


def _to_schedule(spec: dict, year: int) -> Schedule:
    spec = dict(spec)
    ics = spec.pop("events_ics", None)
    try:
        schedule = Schedule.from_dict(spec)
    except TypeError as exc:
        raise ScheduleError(f"schedule {spec.get('name', '?')!r}: {exc}") from None
    if ics:
        from twin.sources.bookings import read_bookings  # noqa: PLC0415

        events = read_bookings(ics, f"{year - 1}-12-31", f"{year + 1}-01-02")
        schedule.events = list(schedule.events) + list(zip(events["start"], events["end"]))
    return schedule


class LightingSchedules(Scenario):
    """Compare the current lighting with a schedule variant and an LED retrofit."""

    family = "lighting"
    # the rows of the factors table (twin.economics.FACTORS) its defaults come from, cited in reports
    factors = ("electricity_price_eur_per_kwh", "electricity_subscription_eur_per_kva_year",
               "lighting_electricity_co2_kg_per_kwh", "lighting_power_factor", "astronomical_clock_eur",
               "connected_clock_eur", "led_head_eur", "led_power_ratio", "clock_life_years", "led_head_life_years")

    rules = param.List(default=[{"zone": {"all": True},
                                 "schedule": {"name": "off 23:00–05:00", "off_windows": [["23:00", "05:00"]]}}],
                       item_type=dict, doc="[-] the variant: rules (zone → schedule) applied in order")
    baseline_rules = param.List(default=[], item_type=dict, doc="[-] the current schedule (default: all night)")
    variant_name = param.String(default="schedule", doc="[-] label of the schedule variant")
    led_retrofit = param.Boolean(default=True, doc="[-] add a variant where every non-LED head becomes LED")
    led_in_variant = param.Boolean(default=False, doc="[-] the variant's own lamps all LED: every non-LED head "
                                                      "replaced, with the variant's rules (LED alone when none)")
    year = param.Integer(default=2024, bounds=(1990, 2100), doc="[year] local calendar year simulated")
    offset_min = param.Number(default=DEFAULT_OFFSET_MIN, bounds=(-60, 60),
                              doc="[min] switch-on after sunset and switch-off before sunrise")
    # defaults: the factors table (twin/data/factors.csv), where each has its year and source
    price_eur_per_kwh = param.Number(default=factor("electricity_price_eur_per_kwh"), bounds=(0, 5),
                                     doc="[€/kWh] energy price, excl. VAT")
    subscription_eur_per_kva_year = param.Number(default=factor("electricity_subscription_eur_per_kva_year"),
                                                 bounds=(0, 1000), doc="[€/kVA/yr] subscription")
    co2_kg_per_kwh = param.Number(default=factor("lighting_electricity_co2_kg_per_kwh"), bounds=(0, 2),
                                  doc="[kg/kWh] emission factor")
    astronomical_clock_eur = param.Number(default=factor("astronomical_clock_eur"), bounds=(0, 1e5),
                                          doc="[€] astronomical clock, installed")
    connected_clock_eur = param.Number(default=factor("connected_clock_eur"), bounds=(0, 1e5),
                                       doc="[€] connected clock, installed")
    led_power_ratio = param.Number(default=factor("led_power_ratio"), bounds=(0.05, 1),
                                   doc="[-] LED power / replaced head's power")
    led_cost_eur_per_lamp = param.Number(default=factor("led_head_eur"), bounds=(0, 1e5),
                                         doc="[€] LED head, installed")
    corridor_buffer_m = param.Number(default=30.0, bounds=(0, 1000), doc="[m] wildlife corridor half-width")
    sensitive_radius_m = param.Number(default=50.0, bounds=(0, 1000), doc="[m] lamps serving a school, sports venue or station")

    def validate(self) -> None:
        """Every rule is ``{"zone": {one of all, highway, cabinets, near, polygon}, "schedule": {…}}``
        (checked at construction, before a territory is loaded; the schedules' fields at run)."""
        for name in ("baseline_rules", "rules"):
            canonical = _canonical_times(getattr(self, name))
            if canonical != getattr(self, name):  # « 23h » written « 23:00 » for every reader after the model
                setattr(self, name, canonical)
            for i, rule in enumerate(getattr(self, name)):
                if set(rule) - {"zone", "schedule"} or not isinstance(rule.get("zone"), dict) \
                        or not isinstance(rule.get("schedule"), dict):
                    raise ScenarioError(f"{name}[{i}]: expected {{\"zone\": {{…}}, \"schedule\": {{…}}}} "
                                        "(both objects, nothing else)", key="err_rule_shape",
                                        values={"parameter": name, "item": i + 1})
                if not set(rule["zone"]) & {"all", "highway", "cabinets", "near", "polygon"}:
                    raise ScenarioError(f"{name}[{i}].zone: expected one of all, highway, cabinets, near, polygon",
                                        key="err_rule_zone", values={"parameter": name, "item": i + 1})
                near = rule["zone"].get("near")
                if near is not None:
                    radius = near.get("radius_m", 100.0) if isinstance(near, dict) else None
                    if isinstance(radius, bool) or not isinstance(radius, (int, float)) \
                            or not 0 < radius <= NEAR_RADIUS_MAX_M:
                        raise ScenarioError(f"{name}[{i}].zone.near.radius_m: expected metres above 0 and at "
                                            f"most {NEAR_RADIUS_MAX_M:g}, got {radius!r}", key="err_near_radius",
                                            values={"parameter": name, "item": i + 1,
                                                    "value": radius if isinstance(radius, (int, float))
                                                    and not isinstance(radius, bool) else repr(radius),
                                                    "max": NEAR_RADIUS_MAX_M})

    # ------------------------------------------------------------------ zones
    def select(self, territory, zone: dict) -> np.ndarray:
        """Boolean mask of the lamps in ``zone``; a clear error for an unknown zone type."""
        lamps = territory.layers["lamps"]
        if zone.get("all"):
            return np.ones(len(lamps), bool)
        if "highway" in zone:
            return lamps["highway"].isin(zone["highway"]).to_numpy()
        if "cabinets" in zone:
            return lamps["cabinet_id"].isin(zone["cabinets"]).to_numpy()
        if "near" in zone:
            near = zone["near"]
            cats = near.get("category", [])
            places = territory.layers["places"]
            places = places[places["category"].isin(cats)]
            if places.empty:
                raise ScenarioError(f"zone {zone}: territory {territory.name!r} has no place of category {cats}",
                                    key="err_zone_no_place", values={"territory": territory.name,
                                                                     "categories": [str(c) for c in cats]})
            area = places.geometry.buffer(float(near.get("radius_m", 100.0))).union_all()
            return lamps.geometry.within(area).to_numpy()
        if "polygon" in zone:
            try:
                poly = wkt.loads(zone["polygon"])
            except Exception as exc:  # noqa: BLE001 - shapely raises several types on bad WKT
                text = str(zone["polygon"])
                raise ScenarioError(f"zone polygon is not valid WKT ({exc})", key="err_polygon_wkt",
                                    values={"text": f"{text[:40]!r}{'…' if len(text) > 40 else ''}"}) from None
            poly = gpd.GeoSeries([poly], crs=zone.get("crs", "EPSG:4326")).to_crs(territory.crs).iloc[0]
            return lamps.geometry.within(poly).to_numpy()
        raise ScenarioError(f"zone {zone}: expected one of all, highway, cabinets, near, polygon",
                            key="err_zone_kind")

    def assign(self, territory, rules: list[dict]) -> tuple[list[Schedule], np.ndarray]:
        """Schedules and, per lamp, the index of the schedule it follows (all night unless a rule says otherwise)."""
        schedules = [Schedule()]
        index = np.zeros(len(territory.layers["lamps"]), int)
        for i, rule in enumerate(rules):
            if "zone" not in rule or "schedule" not in rule:
                raise ScenarioError(f"rule {i}: needs 'zone' and 'schedule' (got {sorted(rule)})",
                                    key="err_rule_shape", values={"parameter": "rules", "item": i + 1})
            try:
                schedules.append(_to_schedule(rule["schedule"], self.year))
            except ValueError as exc:  # the schedule's own words are English: the page says what a schedule takes
                name = rule["schedule"].get("name", "?") if isinstance(rule["schedule"], dict) else "?"
                cause = getattr(exc, "key", None)  # the schedule's exact fault, when it says it
                raise ScenarioError(f"rule {i}: {exc}", key="err_rule_schedule_fault" if cause else "err_rule_schedule",
                                    values={"item": i + 1, "schedule": str(name)[:60], "cause_key": cause,
                                            "cause_values": getattr(exc, "values", {})}) from None
            index[self.select(territory, rule["zone"])] = len(schedules) - 1
        return schedules, index

    # ------------------------------------------------------------------ run
    def _context(self, territory):
        lamps = territory.layers["lamps"]
        if lamps.empty:
            raise ScenarioError(f"territory {territory.name!r} has no street lamps", key="err_no_lamps",
                                values={"territory": territory.name})
        ll = lamps.geometry.to_crs("EPSG:4326")
        cats = {}
        for cat in ("school", "sport", "station"):
            places = territory.place(cat)
            cats[cat] = lamps.geometry.within(places.geometry.buffer(self.sensitive_radius_m).union_all()).to_numpy() \
                if len(places) else np.zeros(len(lamps), bool)
        cats["main_axis"] = lamps["highway"].isin(MAIN_AXES).to_numpy()
        corridor_geoms = [territory.layers[k].geometry for k in CORRIDOR_LAYERS if k in territory.layers
                          and len(territory.layers[k])]
        corridor = np.zeros(len(lamps), bool)
        if corridor_geoms:
            area = gpd.GeoSeries(np.concatenate([g.values for g in corridor_geoms]), crs=territory.crs) \
                .buffer(self.corridor_buffer_m).union_all()
            corridor = lamps.geometry.within(area).to_numpy()
        return lamps, ll.x.to_numpy(), ll.y.to_numpy(), cats, corridor

    def evaluate(self, territory, rules, *, power_w=None, dimmable=None) -> dict:
        """KPIs (without investment) of one set of rules; also returns per-lamp detail under ``"_lamps"``."""
        lamps, lon, lat, cats, corridor = self._context(territory)
        schedules, index = self.assign(territory, rules)
        power = lamps["power_w"].to_numpy(float) if power_w is None else power_w
        dim = lamps["dimmable"].to_numpy(bool) if dimmable is None else dimmable
        grid = MinuteGrid.for_year(self.year)
        r = simulate_park(lon, lat, dim, index, schedules, grid, categories=cats, use_windows=USE_WINDOWS,
                          offset_min=self.offset_min)
        kwh_per_lamp = power * r.equivalent_hours / 1000.0
        energy = float(kwh_per_lamp.sum())
        kva = float(power.sum() / 1000.0 / POWER_FACTOR)
        lit = sum(v[0] for v in r.use_lit_minutes.values())
        dark = sum(v[1] for v in r.use_lit_minutes.values())
        needs = self._clock_needs(lamps, schedules, index)
        return {
            "energy_kwh": energy, "co2_kg": energy * self.co2_kg_per_kwh,
            "corridor_darkness_h": float((r.night_hours - r.burning_hours)[corridor].mean()) if corridor.any() else 0.0,
            "burning_hours": float(r.burning_hours.mean()),
            "cost_eur": energy * self.price_eur_per_kwh + kva * self.subscription_eur_per_kva_year,
            "clocks_to_install": float(len(needs)),
            "sensitive_lit_share_pct": 100.0 * lit / dark if dark else 100.0,
            "_lamps": {"power_w": power, "kwh": kwh_per_lamp, "equivalent_hours": r.equivalent_hours,
                       "night_hours": r.night_hours,
                       "burning_hours": r.burning_hours, "schedule": [schedules[i].name for i in index],
                       "clock_needs": needs},
        }

    def undimmable(self, territory) -> tuple[int, int]:
        """(lamps a dimming of the variant's own ``rules`` applies to, those of them that cannot dim): the
        latter stay at full power meanwhile. A dimming of the baseline's rules is not the variant's."""
        schedules, index = self.assign(territory, self.rules)
        dims = np.array([bool(s.dimming or s.weekend_dimming) for s in schedules])[index]
        dimmable = territory.layers["lamps"]["dimmable"].to_numpy(bool)
        return int(dims.sum()), int((dims & ~dimmable).sum())

    def _clock_needs(self, lamps, schedules, index) -> dict:
        """Cabinets whose control is below what their lamps' schedules need: {cabinet_id: clock to install}."""
        needs = {}
        need_rank = np.array([CONTROL_RANK[schedules[i].needs] for i in index])
        have = lamps["control"].map(CONTROL_RANK).fillna(0).to_numpy()
        for cab, idx in lamps.groupby("cabinet_id").indices.items():
            need = need_rank[idx].max()
            if have[idx].min() < need:
                needs[cab] = [k for k, v in CONTROL_RANK.items() if v == need][0]
        return needs

    def run(self, territory) -> Outcome:
        base = self.evaluate(territory, self.baseline_rules)
        lamps = territory.layers["lamps"]
        old = (lamps["technology"] != "LED").to_numpy()
        # an LED head draws led_power_ratio of the head it replaces, and dims
        led_lamps = {"power_w": np.where(old, lamps["power_w"] * self.led_power_ratio, lamps["power_w"]),
                     "dimmable": np.ones(len(lamps), bool)}
        # the proposal itself may be « all LED » (with its rules, or alone): a workshop saves and votes on it
        own = self.evaluate(territory, self.baseline_rules + self.rules, **(led_lamps if self.led_in_variant else {}))
        if self.led_in_variant:
            own["_retrofit_lamps"] = int(old.sum())
        variants = {"baseline": base, self.variant_name: own}
        if self.led_retrofit and not (self.led_in_variant and not self.rules):  # not the proposal twice
            led = self.evaluate(territory, self.baseline_rules, **led_lamps)
            led["_retrofit_lamps"] = int(old.sum())
            variants["led_retrofit"] = led
        values, lives = {}, {}
        for name, v in variants.items():
            clocks = v["_lamps"]["clock_needs"]
            base_clocks = base["_lamps"]["clock_needs"]
            new_clocks = {c: k for c, k in clocks.items() if c not in base_clocks or base_clocks[c] != k}
            investment = sum(self.connected_clock_eur if k == "connected_clock" else self.astronomical_clock_eur
                             for k in new_clocks.values()) if name != "baseline" else 0.0
            clocks_eur = investment
            investment += v.get("_retrofit_lamps", 0) * self.led_cost_eur_per_lamp
            lives[name] = service_life_years([(clocks_eur, factor("clock_life_years")),
                                              (investment - clocks_eur, factor("led_head_life_years"))])
            saving = base["cost_eur"] - v["cost_eur"]
            payback = payback_years(investment, saving)
            values[name] = {k: val for k, val in v.items() if not k.startswith("_")}
            values[name].update({"clocks_to_install": float(len(new_clocks)) if name != "baseline" else 0.0,
                                 "investment_eur": float(investment),
                                 "payback_years": float(payback) if name != "baseline" else 0.0})
        dimming_lamps, undimmable_lamps = self.undimmable(territory)
        if self.led_in_variant:  # the variant's LED heads all dim: none is left at full power
            undimmable_lamps = 0
        out = Outcome.from_values(self.family, KPIS, values, territory=territory.name, year=self.year,
                                  investment_life_years=life_note(lives),
                                  # lamps the variant's dimming applies to, and those that cannot dim (they stay at
                                  # full power: a dimming that « saves little » says why)
                                  dimming_lamps=dimming_lamps, undimmable_lamps=undimmable_lamps,
                                  lamps=len(lamps), lamps_source=",".join(sorted(set(lamps["source"]))),
                                  assumptions="see twin.scenarios.lighting docstring",
                                  # a slip said with the figures: 05:00-23:00 off was run and ranked as a plan
                                  windows_through_the_day=", ".join(slipped_windows(self.rules)),
                                  **({"priors": f"{int((lamps['source'] == 'generated').sum())} of {len(lamps)} lamps "
                                                "GENERATED along the streets (no inventory): their number, power and "
                                                "technology are a prior (twin.territory.lamps)"}
                                     if (lamps["source"] == "generated").any() else {}))
        out.add_table("lamps", _lamps_table(lamps, {name: v["_lamps"] for name, v in variants.items()}),
                      kind="layer", key="lamp_id",
                      description=f"each lamp in each variant over {self.year}: the schedule it follows, its "
                                  "power, hours lit and energy; the clock its cabinet needs for the variant",
                      units={"power_w": "W", "kwh": "kWh/yr", "equivalent_hours": "h/yr", "burning_hours": "h/yr",
                             "night_hours": "h/yr"})
        return out


def _lamps_table(lamps, detail: dict) -> pd.DataFrame:
    """One row per lamp and variant (long): schedule, power (W), kWh/yr, equivalent full-power hours,
    hours lit at any level and hours of night (h/yr), and ``clock_needed`` — the clock its cabinet lacks
    for the variant's schedules ('' when its control suffices)."""
    rows = []
    for variant, d in detail.items():
        rows.append(pd.DataFrame({
            "variant": variant, "lamp_id": lamps["id"].astype(str).to_numpy(),
            "cabinet_id": lamps["cabinet_id"].astype(str).to_numpy(),
            "schedule": [str(x) for x in d["schedule"]],
            "power_w": np.asarray(d["power_w"], float), "kwh": np.asarray(d["kwh"], float),
            "equivalent_hours": np.asarray(d["equivalent_hours"], float),
            "burning_hours": np.asarray(d["burning_hours"], float),
            "night_hours": np.asarray(d["night_hours"], float),
            "clock_needed": [d["clock_needs"].get(c, "") for c in lamps["cabinet_id"]],
        }))
    return pd.concat(rows, ignore_index=True)


PRESETS = {
    "off-23-05": {"rules": [{"zone": {"all": True}, "schedule": {"name": "off 23:00–05:00",
                                                                  "off_windows": [["23:00", "05:00"]]}}]},
    "off-00-05": {"rules": [{"zone": {"all": True}, "schedule": {"name": "off 00:00–05:00",
                                                                  "off_windows": [["00:00", "05:00"]]}}]},
    "dim50-22": {"rules": [{"zone": {"all": True}, "schedule": {"name": "dimmed 50 % from 22:00",
                                                                 "dimming": [["22:00", "06:00", 0.5]]}}]},
    "led-retrofit": {"rules": [], "variant_name": "unchanged", "led_retrofit": True},
    "off-23-05-except-station": {"rules": [
        {"zone": {"all": True}, "schedule": {"name": "off 23:00–05:00", "off_windows": [["23:00", "05:00"]]}},
        {"zone": {"near": {"category": ["station"], "radius_m": 150}}, "schedule": {"name": "all night"}}]},
}


def diagnosis(territory, *, sensitive_radius_m: float = 50.0, corridor_buffer_m: float = 30.0):
    """Lamp power against street class and nearby sensitive places — the department-scale diagnosis.

    Returns ``(lamps, table)``: a GeoDataFrame (WGS84) with one row per lamp and its flags
    (``near_school``, ``near_sport``, ``near_station``, ``main_axis``, ``in_corridor``), and a
    summary per street class: lamps, installed kW, share near sensitive places or in corridors.
    """
    s = LightingSchedules(sensitive_radius_m=sensitive_radius_m, corridor_buffer_m=corridor_buffer_m)
    lamps, _, _, cats, corridor = s._context(territory)
    out = lamps[["id", "source", "cabinet_id", "technology", "power_w", "dimmable", "control", "highway",
                 "street_name", "geometry"]].copy()
    out.insert(0, "commune", territory.name)
    for cat in ("school", "sport", "station"):
        out[f"near_{cat}"] = cats[cat]
    out["main_axis"] = cats["main_axis"]
    out["in_corridor"] = corridor
    sensitive = out[["near_school", "near_sport", "near_station"]].any(axis=1)
    table = out.assign(sensitive=sensitive, power_kw=out["power_w"] / 1000.0).groupby(
        ["commune", out["highway"].fillna("unknown")]).agg(
        lamps=("id", "size"), installed_kw=("power_kw", "sum"), mean_power_w=("power_w", "mean"),
        near_sensitive=("sensitive", "sum"), in_corridor=("in_corridor", "sum"),
        led_share=("technology", lambda t: float((t == "LED").mean()))).reset_index()
    return out.to_crs("EPSG:4326"), table


def slipped_windows(rules) -> list[str]:
    """The windows of ``rules`` (off or dimming, weekdays or weekend) that run through the whole day, as
    « a-b »: most likely typed the wrong way round (05:00–23:00 for 23:00–05:00,
    :func:`twin.models.lighting.window_spans_the_day`)."""
    from twin.models.lighting import window_spans_the_day  # noqa: PLC0415

    out = []
    for rule in rules if isinstance(rules, list) else []:
        schedule = rule.get("schedule") if isinstance(rule, dict) else None
        if not isinstance(schedule, dict):
            continue
        for key in ("off_windows", "dimming", "weekend_off_windows", "weekend_dimming"):
            for w in schedule.get(key) or []:
                if isinstance(w, (list, tuple)) and len(w) >= 2 and window_spans_the_day(w[0], w[1]):
                    out.append(f"{w[0]}-{w[1]}")
    return out


def _canonical_times(rules):
    """``rules`` with every window's times as HH:MM (:func:`twin.models.lighting.canonical_time`); anything
    that is not a list of rule objects as given (the shape check names it)."""
    from twin.models.lighting import canonical_time  # noqa: PLC0415

    if not isinstance(rules, list):
        return rules
    out = []
    for rule in rules:
        schedule = rule.get("schedule") if isinstance(rule, dict) else None
        if not isinstance(schedule, dict):
            out.append(rule)
            continue
        schedule = dict(schedule)
        for key in ("off_windows", "dimming", "weekend_off_windows", "weekend_dimming"):
            windows = schedule.get(key)
            if isinstance(windows, list):
                schedule[key] = [[canonical_time(w[0]), canonical_time(w[1]), *w[2:]]
                                 if isinstance(w, (list, tuple)) and len(w) >= 2 else w for w in windows]
        out.append({**rule, "schedule": schedule})
    return out
