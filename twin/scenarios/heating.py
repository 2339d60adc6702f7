"""Heating that follows use: booking-calendar schedules, setpoint −1 °C, retrofit, BMS — and which buildings first.

Each building gets a 3R2C thermal model (:mod:`twin.models.thermal`). Where no indoor
temperature is measured (the usual case, and the Redon seed) its parameters are derived
from the gas meter's calibrated baseline — documented assumptions, said in the outcome:

* overall loss UA (kW/K) = heating slope (kWh of gas/day/K) × boiler efficiency 0.9 / 24 (the meter counts
  gas; the envelope loses heat);
* 30 % of it through the air path (Ria), 70 % through the envelope (Rie = 10 %, Rea = 90 % of that path);
* capacities: air and furniture Ci = 0.01 kWh/K per m² of floor, envelope Ce from a 50 h time constant;
* constant internal and solar gains (kW) calibrated so that the current schedule (the fixed clock
  below), simulated on the year's weather, burns the heating part of the meter's model for that
  weather: heating slope × HDD(balance point) (:func:`calibrate_gains`). The earlier closed form
  UA × (19 °C − balance point) assumed 19 °C day and night; with the 16 °C night setback it
  burnt 0.88–0.90 × the meter's heating gas;
* the meter's non-heating gas (its model's intercept: hot water, kitchens) is added unchanged to
  every variant, so the baseline is the building's whole metered gas (it was left out: the
  baseline was 0.78–0.89 × the meter). Each building's baseline / metered year is in
  the outcome's ``buildings`` layer (``metered_gas_kwh``, ``baseline_over_meter``) and its range in
  the outcome's attributes.
  By default the meter model and the gains are calibrated on the simulated year itself, so that
  ratio is IN SAMPLE (it checks the chain meter → RC model → thermostat, it predicts nothing);
  with ``calibration_year`` set to an earlier year it is out of sample, and the outcome says which.
  Gains that reach the bound of their search (−20 … 40 × UA kW) without meeting the target are
  flagged per building (``gains_at_bound``) and named in the outcome.

Default setpoints are the French legal upper limits (Code de l'énergie, R241-26: 19 °C occupied, 16 °C
unoccupied, 8 °C when empty for more than 48 h); the current schedule, the baseline every saving is
measured against and the programming the meters calibrate, is a fixed clock set by ``current_hours``,
``current_setpoint_c`` and ``current_night_c`` (by default 19 °C from 06:00 to 22:00 every day, 16 °C
at night): a commune that already lowers its nights gives its own. Comfort is reported with energy:
occupied hours more than 0.5 K (:data:`COMFORT_MARGIN_K`) below 19 °C (:data:`COMFORT_C`, the same reference in every variant) —
a schedule that saves by leaving people cold is not a saving.

Prices and factors (parameters; their defaults, with unit, year and source, are rows of the factors
table :data:`twin.economics.FACTORS`): gas 0.10 €/kWh excl. VAT (2024–2025 order of magnitude for
communes), 0.227 kg CO2e/kWh (order of magnitude of ADEME Base Empreinte, natural gas), retrofit
150 €/m² of floor for a 30 % cut of UA, a connected thermostat / BMS 5,000 € a building. Payback:
:func:`twin.economics.payback_years` (0 when nothing is invested, infinite when it never pays back); a
BMS's on what it saves beyond the booking schedule it runs (:data:`PAID_OVER`), not on the schedule's
free savings too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import param

from twin.economics import factor, life_note, payback_years
from twin.models.buildings import DegreeDays
from twin.models.thermal import RCParams, simulate_setpoints
from twin.outcome import KPI, Outcome
from twin.scenarios.base import Scenario, ScenarioError
from twin.scenarios.heating_park import metered_buildings
from twin.timeutil import LOCAL_TZ  # noqa: F401 - twin.scenarios.heating.LOCAL_TZ, as before

# Typical weekly occupancy by building use: {weekday (0 = Monday): [(start h, end h), …]}.
TYPICAL_OCCUPANCY = {
    "education": {0: [(8, 17)], 1: [(8, 17)], 2: [(8, 12)], 3: [(8, 17)], 4: [(8, 17)]},
    "sport": {d: [(17, 22)] for d in range(5)} | {5: [(9, 18)]},
    "religious": {6: [(9, 12)]},
    "public": {d: [(8.5, 18)] for d in range(5)},
}
DEFAULT_OCCUPANCY = {d: [(8, 18)] for d in range(5)}
COMFORT_C = 19.0
"""[°C] the reference every variant's comfort is judged against while the building is occupied — a choice
of the project, not a legal minimum: 19 °C is the usual heating target of French public buildings (the
upper limit of the average heating temperature in Code de l'énergie R241-26, and the sobriety plan's
target). Occupied hours more than 0.5 K below it count as discomfort, so a schedule at 18 °C shows as many
cold hours as it has occupied ones: a trade-off to weigh, said. Judged against each variant's own setpoint
instead, a colder schedule met its lower promise more easily and « did better » on comfort (18,6 °C ahead
of 19 °C by 143 h/yr). The cards' label says « sous 18,5 °C » (:mod:`twin.app.i18n`; a test holds them
together)."""
COMFORT_MARGIN_K = 0.5
"""[K] how far below :data:`COMFORT_C` an occupied hour counts as discomfort (a sensor's and a thermostat's
own tolerance: half a degree under the target is not felt as cold)."""
MAX_POWER_K = 35.0  # boiler size: UA × 35 K (a design temperature difference of about 19 − (−16) °C)

KPIS = [
    KPI("gas_kwh", "kWh/yr", "environmental", "gas burnt: heating (heat / boiler efficiency) and the metered "
        "non-heating base (hot water, kitchens), the same in every variant"),
    KPI("co2_kg", "kg CO2e/yr", "environmental", "emissions of that gas"),
    KPI("cost_eur", "€/yr", "financial", "gas bill (heating and the non-heating base)"),
    KPI("investment_eur", "€", "financial", "retrofit or control equipment to buy"),
    KPI("payback_years", "years", "financial", "investment divided by the yearly saving; infinite when money "
        "is spent and nothing is saved, 0 when nothing is spent"),
    KPI("comfort_gap_h", "h/yr", "human", "occupied hours more than 0.5 K below the comfort reference (19 °C, the "
        "same in every variant), summed over buildings"),
]


BUILDING_UNITS = {"gas_kwh": "kWh/yr", "comfort_gap_h": "h/yr", "heating_gas_kwh": "kWh/yr",
                  "base_gas_kwh": "kWh/yr", "gains_kw": "kW", "metered_gas_kwh": "kWh/yr", "saving_kwh": "kWh/yr",
                  "saving_pct": "%", "baseline_over_meter": "1", "footprint_m2": "m²"}
"""Units of the outcome's ``buildings`` layer (one row per building and variant)."""


def occupancy_from_events(index: pd.DatetimeIndex, events: pd.DataFrame) -> np.ndarray:
    """Boolean per hour of ``index`` (tz-aware): occupied while any event of a booking calendar lasts."""
    occ = np.zeros(len(index), bool)
    for start, end in zip(events["start"], events["end"]):
        occ |= (index >= start.tz_convert(index.tz) - pd.Timedelta(minutes=59)) & (index < end.tz_convert(index.tz))
    return occ


def typical_occupancy(index: pd.DatetimeIndex, use: str) -> np.ndarray:
    """Boolean per hour of a local ``index``: occupied in the typical week of this building use."""
    week = TYPICAL_OCCUPANCY.get(use, DEFAULT_OCCUPANCY)
    hour = index.hour.to_numpy() + index.minute.to_numpy() / 60
    dow = index.day_of_week.to_numpy()
    occ = np.zeros(len(index), bool)
    for d, spans in week.items():
        for a, b in spans:
            occ |= (dow == d) & (hour >= a) & (hour < b)
    return occ


def setpoints_from_occupancy(occupied: np.ndarray, *, occupied_c=19.0, unoccupied_c=16.0, empty_c=8.0,
                             empty_after_h=48, preheat_h=2) -> np.ndarray:
    """Setpoint per hour: occupied / unoccupied, ``empty_c`` when the next occupancy is more than
    ``empty_after_h`` hours away from the last one, and the occupied setpoint ``preheat_h`` hours early."""
    n = len(occupied)
    sp = np.full(n, unoccupied_c)
    # Hours until the next occupied hour and since the last one.
    idx = np.arange(n)
    nxt = np.full(n, np.inf)
    prev = np.full(n, -np.inf)
    occ_idx = np.flatnonzero(occupied)
    if len(occ_idx):
        pos = np.searchsorted(occ_idx, idx)
        has_next = pos < len(occ_idx)
        nxt[has_next] = occ_idx[pos[has_next]] - idx[has_next]
        has_prev = pos > 0
        prev[has_prev] = occ_idx[pos[has_prev] - 1]
    gap = np.where(np.isfinite(nxt) & np.isfinite(prev), nxt + (idx - prev), np.inf)
    sp[gap > empty_after_h] = empty_c
    sp[(nxt > 0) & (nxt <= preheat_h)] = occupied_c
    sp[occupied] = occupied_c
    return sp


def fixed_clock_setpoints(index: pd.DatetimeIndex, occupied_c=19.0, night_c=16.0, on_h=6, off_h=22,
                          window_min: tuple[int, int] | None = None) -> np.ndarray:
    """A fixed clock's setpoint per hour of ``index`` [°C]: ``occupied_c`` from ``on_h`` to ``off_h`` every
    day, ``night_c`` otherwise; ``window_min``: the day window in minutes after midnight instead
    (:func:`twin.timeutil.parse_hour_range`: its end past 1440 when it wraps), an hour heated when it
    starts inside it."""
    if window_min is None:
        hour = index.hour.to_numpy()
        return np.where((hour >= on_h) & (hour < off_h), occupied_c, night_c)
    start, end = window_min
    minute = index.hour.to_numpy() * 60 + index.minute.to_numpy()
    inside = ((minute >= start) & (minute < end)) | (minute + 1440 < end)
    return np.where(inside, occupied_c, night_c)


def gains_from_meter(rc: RCParams, balance_point_c: float, setpoint_c: float = 19.0) -> float:
    """Constant internal + solar gains (kW) implied by a heating balance point below a constant setpoint.

    Steady-state first guess only: with a night setback it over-estimates the gains (the building
    is colder than ``setpoint_c`` at night); :func:`calibrate_gains` gives the gains the schedule needs.
    """
    return max(rc.ua_kw_per_k * (setpoint_c - balance_point_c), 0.0)


def calibrate_gains(rc: RCParams, ta_c, setpoint_c, target_heat_kwh: float, *, max_power_kw: float,
                    first_guess_kw: float = 0.0, tol_kwh: float | None = None) -> tuple[float, float]:
    """Constant gains (kW) with which the thermostat on ``setpoint_c`` delivers ``target_heat_kwh``.

    The simulated heat falls monotonically as the gains grow, so the root is bracketed and found
    by Brent's method. Gains may come out negative (extra losses the RC split misses, e.g. a
    ventilation system). Returns (gains kW, simulated heat kWh at those gains, bound) where bound is
    "" when the target is met, "lower" / "upper" when even the widest bracket (−20 … 40 × UA) does
    not contain it and the gains stop at that bound (the heat then misses the target: the caller
    must say so).
    """
    from scipy.optimize import brentq  # noqa: PLC0415

    ta = np.asarray(ta_c, float)
    sp = np.asarray(setpoint_c, float)

    def heat(g):
        return float(simulate_setpoints(rc, ta, sp, max_power_kw=max_power_kw, ti0=sp[0], te0=sp[0] - 2,
                                        gains_kw=g)[1].sum())

    ua = rc.ua_kw_per_k
    # Bracket: first a narrow one around the usual answer (a few kelvin of UA), then the wide one.
    lo, hi = -20.0 * ua, 40.0 * ua
    for a, b in ((first_guess_kw - 4.0 * ua, first_guess_kw + 1.0 * ua), (lo, hi)):
        if a < lo or b > hi:
            continue
        h_a, h_b = heat(a), heat(b)
        if h_b <= target_heat_kwh <= h_a:
            lo, hi = a, b
            break
    else:
        h_lo, h_hi = heat(lo), heat(hi)
        if target_heat_kwh >= h_lo:
            return lo, h_lo, "lower"
        return hi, h_hi, "upper"
    # a target of 0 kWh needs a tolerance too
    tol = tol_kwh if tol_kwh is not None else max(1e-4 * target_heat_kwh, 1e-3)
    # heat(g) is piecewise linear in g with slope about −hours heated: a kWh tolerance → a gains tolerance
    g = brentq(lambda x: heat(x) - target_heat_kwh, lo, hi, xtol=tol / len(ta), rtol=1e-10)
    return float(g), heat(g), ""


def rc_from_meter(heating_slope_kwh_per_day_k: float, floor_m2: float, efficiency: float = 0.9) -> RCParams:
    """RC parameters from a calibrated heating slope (see the module's documented assumptions)."""
    ua = heating_slope_kwh_per_day_k * efficiency / 24.0
    if ua <= 0:
        raise ScenarioError("a building without a heating slope has no heating to schedule", key="err_no_heating_slope")
    r_air = 1.0 / (0.3 * ua)
    r_env = 1.0 / (0.7 * ua)
    ci = max(0.01 * floor_m2, 1.0)
    ce = 50.0 / r_env
    return RCParams(ci=ci, ce=ce, rie=0.1 * r_env, rea=0.9 * r_env, ria=r_air)


def calendar_year_error(content, origin: str, year: int) -> ScenarioError:
    """The refusal of a booking calendar with no booking in ``year``, the year simulated: the years its
    bookings are dated from (:func:`twin.sources.bookings.booking_years`), or that it has none at all."""
    from twin.sources.bookings import booking_years  # noqa: PLC0415

    years = booking_years(content, origin=origin)
    if not years:
        return ScenarioError(f"{origin}: the booking calendar holds no booking", key="err_booking_empty")
    listed = ", ".join(str(y) for y in years)
    return ScenarioError(f"{origin}: the booking calendar has no booking in {year}, the year simulated (its "
                         f"bookings are dated {listed}): give the calendar of {year}", key="err_booking_none_in_year",
                         values={"year": year, "years": listed})


class HeatingSchedules(Scenario):
    """Compare the current fixed-clock heating with schedules that follow use, −1 °C, a retrofit and a BMS."""

    family = "heating"
    # the rows of the factors table (twin.economics.FACTORS) its defaults come from, cited in reports
    factors = ("gas_price_eur_per_kwh", "gas_co2_kg_per_kwh", "retrofit_eur_per_m2", "retrofit_ua_cut",
               "bms_eur", "retrofit_life_years", "bms_life_years")

    buildings = param.List(default=[], item_type=str, bounds=(0, 100000),
                           doc="[-] buildings, by name or id (default: every metered building that passes G14)")
    # the programming in place today: every saving is measured against it (and the meters calibrate it)
    current_hours = param.String(default="06:00-22:00", doc="[-] today's programming: hours heated to the day "
                                 "setpoint, every day, HH:MM-HH:MM (the baseline every saving is measured against)")
    current_setpoint_c = param.Number(default=19.0, bounds=(5, 30), doc="[°C] today's programming: day setpoint")
    current_night_c = param.Number(default=16.0, bounds=(5, 30), doc="[°C] today's programming: night setpoint")
    booking_ics = param.String(default="", doc="[-] iCalendar of bookings; empty: typical occupancy by building use")
    booking_ics_text = param.String(default="", doc="[-] the calendar's content instead of its path (the app's "
                                    "upload: a browser never names a server file)")
    year = param.Integer(default=2023, bounds=(1990, 2100), doc="[year] weather year simulated")
    occupied_setpoint_c = param.Number(default=19.0, bounds=(5, 30), doc="[°C] schedule that follows use: occupied")
    unoccupied_setpoint_c = param.Number(default=16.0, bounds=(5, 30), doc="[°C] schedule that follows use: unoccupied")
    empty_setpoint_c = param.Number(default=8.0, bounds=(0, 30), doc="[°C] empty for long")
    empty_after_h = param.Integer(default=48, bounds=(1, 1000), doc="[h] gap that counts as empty")
    preheat_h = param.Integer(default=2, bounds=(0, 24), doc="[h] heating starts this long before occupancy")
    setpoint_delta_c = param.Number(default=-1.0, bounds=(-5, 5), doc="[K] change of every setpoint (variant)")
    # defaults: the factors table (twin/data/factors.csv), where each has its year and source
    retrofit_ua_cut = param.Number(default=factor("retrofit_ua_cut"), bounds=(0, 0.9),
                                   doc="[-] share of UA removed by the retrofit")
    retrofit_eur_per_m2 = param.Number(default=factor("retrofit_eur_per_m2"), bounds=(0, 5000),
                                       doc="[€/m²] retrofit cost")
    bms_eur = param.Number(default=factor("bms_eur"), bounds=(0, 1e6),
                           doc="[€] connected thermostat / BMS per building")
    gas_eur_per_kwh = param.Number(default=factor("gas_price_eur_per_kwh"), bounds=(0, 5), doc="[€/kWh] gas price")
    co2_kg_per_kwh = param.Number(default=factor("gas_co2_kg_per_kwh"), bounds=(0, 2),
                                  doc="[kg/kWh] gas emission factor")
    efficiency = param.Number(default=0.9, bounds=(0.3, 1.2), doc="[-] boiler efficiency")
    members = param.Integer(default=30, bounds=(1, 1000), doc="[-] parks drawn from the prior when the territory "
                            "has no gas meter (band = 5–95 %)")
    # not ``seed``: on metered buildings nothing is random (twin ensemble refuses a family without a seed)
    prior_seed = param.Integer(default=0, bounds=(0, 2**31 - 1), doc="[-] seed of the prior's ensemble (a "
                               "territory without gas meters)")
    calibration_year = param.Integer(default=None, allow_None=True, bounds=(1990, 2100),
                                     doc="[year] calendar year the meter models and gains are calibrated on; "
                                         "empty: the simulated year (the baseline/meter check is then in sample)")

    def validate(self) -> None:
        """Today's hours read as a window; a night or empty setpoint is not above the one it steps down from
        (15 °C occupied under 18 °C unoccupied ran and showed a saving)."""
        from twin.timeutil import parse_hour_range  # noqa: PLC0415

        parse_hour_range(self.current_hours, "current_hours")
        for low, high in (("current_night_c", "current_setpoint_c"), ("unoccupied_setpoint_c", "occupied_setpoint_c"),
                          ("empty_setpoint_c", "unoccupied_setpoint_c")):
            if getattr(self, low) > getattr(self, high):
                raise ScenarioError(f"{low} ({getattr(self, low):g} °C) is above {high} ({getattr(self, high):g} °C): "
                                    "a setpoint that steps down is not above the one it steps down from",
                                    key="err_setpoint_order", values={"low": low, "high": high,
                                                                      "low_c": getattr(self, low),
                                                                      "high_c": getattr(self, high)})

    def current_text(self) -> str:
        """Today's programming, for the outcome: what every saving is measured against (every day; written
        in no language: « 19 °C 06:00-22:00 / 16 °C »)."""
        return f"{self.current_setpoint_c:g} °C {self.current_hours} / {self.current_night_c:g} °C"

    def current_setpoints(self, index) -> np.ndarray:
        """Today's programming over ``index`` [°C]: the baseline (and what the meters calibrate)."""
        from twin.timeutil import parse_hour_range  # noqa: PLC0415

        return fixed_clock_setpoints(index, self.current_setpoint_c, self.current_night_c,
                                     window_min=parse_hour_range(self.current_hours, "current_hours"))

    def variants(self, index, use, events):
        """Setpoint series per variant for one building."""
        fixed = self.current_setpoints(index)
        occ = occupancy_from_events(index, events) if events is not None else typical_occupancy(index, use)
        follow = setpoints_from_occupancy(occ, occupied_c=self.occupied_setpoint_c,
                                          unoccupied_c=self.unoccupied_setpoint_c, empty_c=self.empty_setpoint_c,
                                          empty_after_h=self.empty_after_h, preheat_h=self.preheat_h)
        return occ, {"baseline": fixed, "booking schedule": follow, "setpoint change": fixed + self.setpoint_delta_c,
                     "retrofit": fixed, "BMS + booking schedule": follow}

    def calibrate_building(self, b, ta: pd.Series, dd=None) -> dict:
        """RC model, gains and non-heating gas of one metered building (a row of ``metered_buildings``).

        The current schedule's simulated heat over ``ta`` (hourly °C) is made equal to the meter
        model's heating part on that weather, efficiency × heating slope × Σ HDD(balance point).
        """
        dd = dd if dd is not None else DegreeDays(ta)
        rc = rc_from_meter(b["heating_slope"], b["floor_m2"], self.efficiency)
        hdd = float(np.nansum(dd.hdd([b["heating_balance_c"]])[:, 0]))
        target = self.efficiency * b["heating_slope"] * hdd
        fixed = self.current_setpoints(ta.index)
        gains, heat, bound = calibrate_gains(rc, ta.to_numpy(), fixed, target,
                                             max_power_kw=rc.ua_kw_per_k * MAX_POWER_K,
                                             first_guess_kw=gains_from_meter(rc, b["heating_balance_c"],
                                                                             self.current_setpoint_c))
        return {"rc": rc, "gains_kw": gains, "target_heat_kwh": target, "calibrated_heat_kwh": heat,
                "gains_at_bound": bound,
                "base_gas_kwh": max(float(b["base_kwh_per_day"]), 0.0) * len(ta) / 24.0}

    def simulate_building(self, rc: RCParams, ta: np.ndarray, index, use: str, events, gains_kw: float = 0.0) -> dict:
        occ, variants = self.variants(index, use, events)
        occupied_sp = np.where(occ, self.occupied_setpoint_c, -np.inf)
        out = {}
        for name, sp in variants.items():
            p = rc if name != "retrofit" else RCParams(rc.ci, rc.ce, rc.rie / (1 - self.retrofit_ua_cut),
                                                        rc.rea / (1 - self.retrofit_ua_cut),
                                                        rc.ria / (1 - self.retrofit_ua_cut))
            max_kw = rc.ua_kw_per_k * MAX_POWER_K
            bms = name.startswith("BMS")
            ti, power = simulate_setpoints(p, ta, sp, max_power_kw=max_kw, ti0=sp[0], te0=sp[0] - 2, gains_kw=gains_kw,
                                           occupied_setpoint_c=occupied_sp if bms else None,
                                           optimum_start_h=24 if bms else 0)
            # Comfort is judged against one reference in every variant (COMFORT_C), never the variant's own
            # setpoint: a colder schedule leaves people colder, it does not meet its promise better
            gap = occ & (ti < COMFORT_C - COMFORT_MARGIN_K)
            out[name] = {"heat_kwh": float(power.sum()), "comfort_gap_h": float(gap.sum())}
        return out

    def _events(self, index):
        """The booking calendar's events over ``index``'s year (None: typical occupancy by use)."""
        if self.booking_ics and self.booking_ics_text:
            raise ScenarioError("booking_ics and booking_ics_text both set: give the calendar once",
                                key="err_booking_twice")
        if not (self.booking_ics_text or self.booking_ics):
            return None
        from twin.sources.bookings import read_bookings_text  # noqa: PLC0415
        from twin.sources.ics import calendar_bytes  # noqa: PLC0415

        content, origin = ((self.booking_ics_text, "uploaded calendar") if self.booking_ics_text else
                           (calendar_bytes(self.booking_ics), str(self.booking_ics)))
        events = read_bookings_text(content, index[0], index[-1] + pd.Timedelta(hours=1), origin=origin)
        if events.empty:  # every building it applies to would be heated to frost protection alone: « -92 % »
            raise calendar_year_error(content, origin, int(index[0].year))
        return events

    @staticmethod
    def calendar_attrs(events, index) -> dict:
        """What an outcome says of the calendar its bookings came from (:func:`twin.sources.bookings.booking_span`):
        nothing without one."""
        if events is None:
            return {}
        from twin.sources.bookings import booking_span  # noqa: PLC0415

        span = booking_span(events, index)
        return {"booking_count": span["count"], "booking_first": span["first"], "booking_last": span["last"],
                "booking_share_of_year": span["share"]}

    def simulate_park(self, park: pd.DataFrame, ta: pd.Series, ta_cal: pd.Series, events) -> tuple[list, dict]:
        """Every building of ``park`` (rows with a meter calibration's columns) calibrated on ``ta_cal`` and
        simulated on ``ta`` (hourly °C) in every variant: (rows of the buildings layer, totals per variant)."""
        totals: dict = {}
        rows = []  # per building and variant: what the map of savings shows
        dd = DegreeDays(ta_cal)
        for _, b in park.iterrows():
            cal = self.calibrate_building(b, ta_cal, dd)
            res = self.simulate_building(cal["rc"], ta.to_numpy(), ta.index, b["use"], events, cal["gains_kw"])
            for name, r in res.items():
                gas = r["heat_kwh"] / self.efficiency + cal["base_gas_kwh"]
                rows.append({"building_id": b["building_id"], "name": b["name"], "variant": name,
                             "gas_kwh": gas, "comfort_gap_h": r["comfort_gap_h"],
                             "heating_gas_kwh": r["heat_kwh"] / self.efficiency, "base_gas_kwh": cal["base_gas_kwh"],
                             "gains_kw": cal["gains_kw"], "gains_at_bound": cal["gains_at_bound"],
                             "metered_gas_kwh": b.get("metered_gas_kwh", np.nan)})
                t = totals.setdefault(name, {"heat_kwh": 0.0, "gas_kwh": 0.0, "comfort_gap_h": 0.0,
                                             "investment": 0.0})
                t["heat_kwh"] += r["heat_kwh"]
                t["gas_kwh"] += gas
                t["comfort_gap_h"] += r["comfort_gap_h"]
                t["investment"] += {"retrofit": self.retrofit_eur_per_m2 * b["floor_m2"],
                                    "BMS + booking schedule": self.bms_eur}.get(name, 0.0)
        return rows, totals

    @staticmethod
    def life_note(values: dict) -> str:
        """The assumed service life of what each variant buys (:func:`twin.economics.life_note`): an envelope
        retrofit's, a building management system's; nothing for the variants that buy nothing."""
        life = {"retrofit": factor("retrofit_life_years"), "BMS + booking schedule": factor("bms_life_years")}
        return life_note({v: float(life[v]) for v in values if v in life and values[v].get("investment_eur", 0) > 0})

    def kpi_values(self, totals: dict) -> dict:
        """{variant: {KPI: value}} of one park's totals (:meth:`simulate_park`)."""
        values = {}
        for name, t in totals.items():
            gas = t["gas_kwh"]
            cost = gas * self.gas_eur_per_kwh
            investment = t["investment"]
            # against the baseline, or the free variant it comes with (PAID_OVER)
            ref_cost = totals[PAID_OVER.get(name) if PAID_OVER.get(name) in totals else "baseline"]["gas_kwh"] \
                * self.gas_eur_per_kwh
            values[name] = {"gas_kwh": gas, "co2_kg": gas * self.co2_kg_per_kwh, "cost_eur": cost,
                            "investment_eur": investment,
                            # inf when it never comes, 0 when nothing is invested
                            "payback_years": payback_years(investment, ref_cost - cost),
                            "comfort_gap_h": t["comfort_gap_h"]}
        return values

    @staticmethod
    def _with_savings(per: pd.DataFrame) -> pd.DataFrame:
        base = per[per["variant"] == "baseline"].set_index("building_id")["gas_kwh"]
        per["saving_kwh"] = per["building_id"].map(base) - per["gas_kwh"]
        per["saving_pct"] = 100.0 * per["saving_kwh"] / per["building_id"].map(base).where(lambda x: x > 0)
        # the simulated current schedule against the meter's own year (NaN where the meter misses days)
        per["baseline_over_meter"] = per["building_id"].map(base) / per["metered_gas_kwh"]
        return per

    def run(self, territory) -> Outcome:
        if not self.buildings and not has_gas_meters(territory):
            return self.run_prior(territory)
        park = metered_buildings(territory, self.buildings or None, self.year, calibration_year=self.calibration_year)
        if park.empty:
            raise ScenarioError("no metered building passes the G14 criteria: nothing to simulate honestly",
                                key="err_no_metered")
        ta = park.attrs["temperature"]
        events = self._events(ta.index)
        ta_cal = park.attrs.get("calibration_temperature", ta)  # the year the meter models were fitted on
        rows, totals = self.simulate_park(park, ta, ta_cal, events)
        per = with_use_and_address(self._with_savings(pd.DataFrame(rows)), territory)
        ratio = per.loc[per["variant"] == "baseline", "baseline_over_meter"].dropna()
        if self.calibration_year is not None and self.calibration_year != self.year:
            sample = f"out of sample: meter models and gains calibrated on {self.calibration_year}"
        else:  # the meters' models fitted on (about) the simulated year, the gains on its weather
            sample = (f"in sample: meter models fitted on {park.attrs.get('calibration_period', self.year)}, "
                      f"gains calibrated on {self.year} itself")
        bounded = per.loc[(per["variant"] == "baseline") & (per["gains_at_bound"] != ""),
                          ["building_id", "gains_at_bound"]]
        values = self.kpi_values(totals)
        if len(ratio):
            over_meter = (f"{ratio.min():.3f}–{ratio.max():.3f} over {len(ratio)} of {len(park)} buildings "
                          f"(simulated current schedule / metered gas of {self.year}; {sample})")
        else:
            over_meter = f"no building has a complete metered year {self.year} ({sample})"
        at_bound = ("none: every building's gains meet its meter's heating" if bounded.empty else
                    f"{len(bounded)} building(s) whose gains stop at their search bound and miss the meter's "
                    "heating: " + ", ".join(f"{i} ({w})" for i, w in bounded.itertuples(index=False)))
        outcome = Outcome.from_values(self.family, KPIS, values, territory=territory.name, year=self.year,
                                      investment_life_years=self.life_note(values),
                                      payback_over_variant=paid_over_text(values),
                                      buildings=len(park), current_schedule=self.current_text(),
                                      setpoint_delta_c=self.setpoint_delta_c,
                                      occupancy="booking calendar" if events is not None else
                                      "typical occupancy by building use", **self.calendar_attrs(events, ta.index),
                                      rc_model="derived from each gas meter (documented assumptions)",
                                      baseline_over_meter=over_meter, calibration=sample, gains_at_bound=at_bound,
                                      synthetic_meters=synthetic_meters(territory, park))
        outcome.add_table("buildings", per, kind="layer", key="building_id", units=BUILDING_UNITS,
                          description="gas, saving and comfort of every simulated building in every variant, with "
                                      "its calibration (gains, base load) and its simulated current schedule "
                                      "against the meter's year")
        return outcome

    def member_seeds(self) -> list[int]:
        """The seed of each member of a prior's ensemble (``members`` ≤ 1000: two members of one seed never
        share one)."""
        return [self.prior_seed * 1000 + m for m in range(self.members)]

    def prior_members(self, territory) -> dict:
        """The prior's ensemble on a territory without gas meters (:mod:`twin.calibration.heating_prior`): each
        member a park of the public buildings OSM maps, on its own SYNTHETIC climate year of the nearest
        station's normals. Returns ``park`` (the buildings), ``draws`` (every member's prior draws),
        ``rows`` (every member's buildings layer rows, with ``member``), ``member_values`` (each member's KPIs
        by variant), ``station``, ``years_hdd``, ``events`` and ``index`` (the simulated hours)."""
        from twin.calibration import heating_prior as prior  # noqa: PLC0415
        from twin.calibration.climate_station import nearest_station, normal_hdd, territory_lonlat  # noqa: PLC0415
        from twin.models.climate import heating_degree_days, synthetic_temperature_year  # noqa: PLC0415

        park = prior.communal_buildings(territory)
        if park.empty:
            raise ScenarioError(f"territory {territory.name!r} has no gas meter and OSM maps no public building "
                                "of the commune (school, town hall, sports hall, church…) to heat",
                                key="err_no_public_building", values={"territory": territory.name})
        lon, lat = territory_lonlat(territory)
        station = nearest_station(lat, lon)
        draws = prior.prior_park(park, station.zone, normal_hdd(station, self.year), members=self.members,
                                 seed=self.prior_seed)
        member_values, per_members, years_hdd = [], [], []
        events = None
        for m, seed in enumerate(self.member_seeds()):
            ta = synthetic_temperature_year(self.year, station.normals_c, seed=seed)
            events = self._events(ta.index) if m == 0 else events
            years_hdd.append(heating_degree_days(ta))
            rows, totals = self.simulate_park(draws[draws["member"] == m], ta, ta, events)
            member_values.append(self.kpi_values(totals))
            per_members.append(pd.DataFrame(rows).assign(member=m))
        return {"park": park, "draws": draws, "rows": pd.concat(per_members, ignore_index=True),
                "member_values": member_values, "station": station, "years_hdd": years_hdd, "events": events,
                "index": ta.index}

    def run_prior(self, territory) -> Outcome:
        """The territory has no gas meter: the ensemble of :meth:`prior_members`. KPIs are the members' means
        with their 5–95 % band; every member is kept."""
        from twin.calibration import heating_prior as prior  # noqa: PLC0415

        ens = self.prior_members(territory)
        park, parks, station, years_hdd = ens["park"], ens["draws"], ens["station"], ens["years_hdd"]
        member_values, events, every = ens["member_values"], ens["events"], ens["rows"]
        variants = list(member_values[0])
        names = [k.name for k in KPIS]
        arr = np.array([[[mv[v][k] for mv in member_values] for k in names] for v in variants])  # variant×kpi×member
        values = {v: dict(zip(names, _mean_or_inf(arr[i]))) for i, v in enumerate(variants)}
        for v in variants:  # the mean member's payback: the mean investment over the mean saving (PAID_OVER)
            ref = PAID_OVER.get(v) if PAID_OVER.get(v) in values else "baseline"
            values[v]["payback_years"] = payback_years(values[v]["investment_eur"],
                                                       values[ref]["cost_eur"] - values[v]["cost_eur"])
        per = self._with_savings(every.groupby(["building_id", "variant"], sort=False).agg(
            name=("name", "first"), gas_kwh=("gas_kwh", "mean"), comfort_gap_h=("comfort_gap_h", "mean"),
            heating_gas_kwh=("heating_gas_kwh", "mean"), base_gas_kwh=("base_gas_kwh", "mean"),
            gains_kw=("gains_kw", "mean"),
            gains_at_bound=("gains_at_bound", lambda s: f"{(s != '').sum()} of {len(s)} members" if (s != "").any()
                            else ""), metered_gas_kwh=("metered_gas_kwh", "first")).reset_index())
        per = with_use_and_address(per, territory)
        saving = member_savings(every)
        band = saving.groupby(["building_id", "variant"], sort=False)["saving_kwh"].quantile([0.05, 0.95]).unstack()
        per["saving_kwh_low"] = [band.loc[(b, v), 0.05] for b, v in zip(per["building_id"], per["variant"])]
        per["saving_kwh_high"] = [band.loc[(b, v), 0.95] for b, v in zip(per["building_id"], per["variant"])]
        drawn = parks.groupby("building_id", sort=False)["heating_kwh_per_m2"].median()
        per["prior_heating_kwh_per_m2"] = per["building_id"].map(drawn)
        per = per.merge(park[["building_id", "use", "floor_m2", "levels_from"]], on="building_id", how="left")
        assumed = int((park["levels_from"] == "assumed").sum())
        priors = (f"no gas meter: {len(park)} public building(s) mapped by OSM, floor areas from footprints × storeys "
                  f"({assumed} with storeys assumed), gas per m² from the prior ({prior.SOURCES}), zone "
                  f"{station.zone}; a SYNTHETIC climate year per member from the monthly normals of "
                  f"{station.name} ({station.distance_km:.0f} km away), {self.members} members")
        outcome = Outcome.from_values(self.family, KPIS, values, territory=territory.name, year=self.year,
                                      investment_life_years=self.life_note(values),
                                      payback_over_variant=paid_over_text(values),
                                      buildings=len(park), current_schedule=self.current_text(),
                                      setpoint_delta_c=self.setpoint_delta_c,
                                      occupancy="booking calendar" if events is not None else
                                      "typical occupancy by building use", **self.calendar_attrs(events, ens["index"]),
                                      rc_model="derived from each member's prior heating slope (documented "
                                               "assumptions)", baseline_over_meter="no meter: nothing to compare",
                                      calibration="prior (no meter)", priors=priors, members=self.members,
                                      climate=f"SYNTHETIC years from the normals of {station.name} (zone "
                                              f"{station.zone}): {min(years_hdd):.0f}–{max(years_hdd):.0f} "
                                              "degree-days (base 18 °C) over the members",
                                      gains_at_bound=f"{int((per['gains_at_bound'] != '').sum())} building-variant(s) "
                                                     "with gains at their bound in some members")
        for q, label in ((0.05, "low"), (0.95, "high")):
            outcome.data[label] = (("variant", "kpi"), np.quantile(arr, q, axis=2, method="inverted_cdf"))
        outcome.add_members(arr, self.member_seeds())
        outcome.add_table("buildings", per, kind="layer", key="building_id",
                          units=BUILDING_UNITS | {"saving_kwh_low": "kWh/yr", "saving_kwh_high": "kWh/yr",
                                                  "prior_heating_kwh_per_m2": "kWh/m²/yr", "floor_m2": "m²"},
                          description="PRIOR: the mean over the members of every public building's gas, saving and "
                                      "comfort in every variant, the 5–95 % band of its saving, and the prior's "
                                      "median heating per m²")
        return outcome


def member_savings(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (:meth:`HeatingSchedules.prior_members`) with ``saving_kwh`` [kWh/yr]: each building's gas in
    the baseline of its member minus its gas in the row's variant."""
    base = rows[rows["variant"] == "baseline"].set_index(["member", "building_id"])["gas_kwh"]
    key = pd.MultiIndex.from_frame(rows[["member", "building_id"]])
    return rows.assign(saving_kwh=base.reindex(key).to_numpy() - rows["gas_kwh"].to_numpy())


def _mean_or_inf(values: np.ndarray) -> np.ndarray:
    """Mean over the last axis; inf where a member is inf (a payback that never comes)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isinf(values).any(axis=-1), np.inf, values.mean(axis=-1))


def has_gas_meters(territory) -> bool:
    """Whether the territory's store has a gas meter on a building (else the heating runs on the prior)."""
    store = territory.sensors
    if store is None:
        return False
    reg = store.sensors
    return bool(((reg["quantity"] == "gas_energy") & (reg["asset_layer"] == "buildings")).any())


def with_use_and_address(per: pd.DataFrame, territory) -> pd.DataFrame:
    """``per`` (one row per building and variant) with each building's OSM ``use`` and ``address`` (empty
    where OSM has none): 13 of the seed's 20 metered buildings have no name, and the ranking an energy
    manager downloads read « osm:way/122536574 » alone."""
    layer = territory.layers["buildings"].set_index("id")
    for column in ("use", "address"):
        values = layer[column] if column in layer else pd.Series(dtype=object)
        per[column] = per["building_id"].map(values).fillna("").astype(str)
    if "footprint_m2" in layer:  # its size tells two unnamed buildings apart
        per["footprint_m2"] = per["building_id"].map(layer["footprint_m2"]).astype(float).round(0)
    return per


def synthetic_meters(territory, park: pd.DataFrame) -> str:
    """« k of n » of the park's gas meters whose history is SYNTHETIC (the sensor registry's ``synthetic``
    flag: a demonstration territory's), "" when every one is measured: the savings then illustrate the
    method, not the buildings."""
    from twin.sensors import synthetic_sensor_ids  # noqa: PLC0415

    if "sensor_id" not in park:
        return ""
    k = int(park["sensor_id"].astype(str).isin(synthetic_sensor_ids(territory.sensors)).sum())
    return f"{k} of {len(park)}" if k else ""


def paid_over_text(values: dict) -> str:
    """« variant=reference; … » of the variants whose payback is counted against another variant than the
    baseline (:data:`PAID_OVER`), among ``values``: what a « jamais » beside a saving is measured against."""
    return "; ".join(f"{v}={ref}" for v, ref in PAID_OVER.items() if v in values and ref in values)


PAID_OVER = {"BMS + booking schedule": "booking schedule"}
"""{variant: the free variant it comes with}: a BMS's payback is counted on what it saves beyond the
booking schedule it runs (free, and ranked on its own), not on the schedule's savings too — which made
a BMS that burns more gas than the schedule alone read « pays back in 8 months » (incremental
analysis: the extra investment against the extra saving)."""


def rank_buildings(territory, scenario=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Investment ranking: for every building that passes calibration and every action, gas, €, CO2 saved
    per year, cost, payback, with the baseline's uncertainty. Returns (ranking, flagged buildings)."""
    s = scenario or HeatingSchedules()
    park = metered_buildings(territory, s.buildings or None, s.year, calibration_year=s.calibration_year)
    ta = park.attrs["temperature"]
    ta_cal = park.attrs.get("calibration_temperature", ta)
    rows = []
    dd = DegreeDays(ta_cal)
    for _, b in park.iterrows():
        cal = s.calibrate_building(b, ta_cal, dd)
        res = s.simulate_building(cal["rc"], ta.to_numpy(), ta.index, b["use"], None, cal["gains_kw"])
        base_gas = res["baseline"]["heat_kwh"] / s.efficiency + cal["base_gas_kwh"]
        for action, r in res.items():
            if action == "baseline":
                continue
            gas = r["heat_kwh"] / s.efficiency + cal["base_gas_kwh"]
            saved = base_gas - gas
            cost = {"retrofit": s.retrofit_eur_per_m2 * b["floor_m2"], "BMS + booking schedule": s.bms_eur}.get(action, 0.0)
            eur = saved * s.gas_eur_per_kwh
            ref = res.get(PAID_OVER.get(action, "baseline"), res["baseline"])
            paid_by = (ref["heat_kwh"] - r["heat_kwh"]) / s.efficiency * s.gas_eur_per_kwh  # what the money buys
            rows.append({"building_id": b["building_id"], "name": b["name"], "use": b["use"], "action": action,
                         "gas_saved_kwh": saved, "gas_saved_pct": 100 * saved / base_gas if base_gas else np.nan,
                         "uncertainty_kwh": b["baseline_rel_uncertainty"] * base_gas,
                         "eur_saved": eur, "co2_saved_kg": saved * s.co2_kg_per_kwh, "investment_eur": cost,
                         # what the payback counts: the saving beyond the free variant it comes with (PAID_OVER)
                         "payback_saving_eur": paid_by,
                         # never (inf) when money is spent and nothing saved; 0 when nothing is spent
                         "payback_years": payback_years(cost, paid_by),
                         "comfort_gap_change_h": r["comfort_gap_h"] - res["baseline"]["comfort_gap_h"],
                         "geometry": b["geometry"]})
    ranking = pd.DataFrame(rows)
    if not ranking.empty:
        # per euro invested, on what the money buys (payback_saving_eur); none (empty in a CSV, not « inf »)
        # where nothing is invested
        invested = ranking["investment_eur"].where(ranking["investment_eur"] > 0)
        ranking["eur_saved_per_eur"] = ranking["payback_saving_eur"] / invested
        ranking = ranking.sort_values(["payback_years", "eur_saved"], ascending=[True, False]).reset_index(drop=True)
    return ranking, park.attrs["flagged"]
