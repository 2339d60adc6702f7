"""The notes a model leaves on its outcome, as a person reads them in the comparison report.

A saved variant keeps its outcome's ``attrs`` (:class:`twin.app.variants.Variant`): the gauges, the
calibration, the seeds, the stranded trips, … Their names come from the catalogue
(:mod:`twin.app.catalogue.run_details`), numbers are written the page's way and the few notes whose
value is a word from a short list are translated; a note written as a sentence stays as the model
wrote it (in English), and the report's heading says so.
"""

from __future__ import annotations

import re

from twin.app.i18n import STRINGS, fmt_number, t

CLOCK_TIMES = frozenset({"break_at", "isolated_at", "restored_at"})
"""Notes that are times on the network's clock (:func:`twin.scenarios.water_break.clock_text`)."""

HIDDEN = frozenset({"scenario", "baseline", "assumptions", "investment_life_years", "unproven_kpis",
                    "break_s", "isolated_s", "restored_s"})  # a break's times: said on the clock (break_at…)
"""Notes not listed: the family and baseline the report already names, a pointer to a docstring
(``assumptions``) where the report lists the assumptions themselves (factors and prices), the lives of
what each variant buys, said where they matter (a payback beyond them) and in the factors list, a
main break's times in seconds from the run's start (« Casse (s depuis le début) : 21600 »), said on the
clock instead."""

AS_ROWS = frozenset({"params", "rating_curve"})
"""A gauged flood's GR4H parameters and rating curve, written as Python dictionaries (« {'x1':
449.48848839058576, …} »): not listed, each figure has its own row (« GR4H x1 (mm) : 449 »); an ungauged
flood's « prior (Manning, compound section) » is listed."""


NAMES = frozenset({"territory", "streets", "destination", "broken_street", "lamp_inventory", "current_schedule",
                   "flood_variant", "meters", "prv_settings", "materials", "network"})
"""Notes whose value is data (a street's, a place's, a file's name; a heating schedule « 19 °C 06:00-22:00 /
16 °C »), written as the territory or the form writes it: never « a sentence in English » (« Grande Rue »
made the report say some notes were)."""


def detail_label(key: str, lang: str = "fr") -> str:
    """The name of the note ``key`` in ``lang`` (the key itself when the catalogue has none)."""
    return t(f"detail_{key}", lang) if f"detail_{key}" in STRINGS else key


VALUE_WORDS = {"rain": "forms_opt_rain_{}"}
"""Notes whose value is a form's option: said as the form says it (``rain``: « pluie tombée (rejeu) »)."""


UTC_TIMES = frozenset({"forecast_time", "observed_stage_time"})
"""Notes holding a time the model keeps in UTC (a flood forecast's issue, the gauge's last reading)."""


def _utc_and_local(text: str, lang: str) -> str:
    """« 2023-01-25 00:00 UTC (25/01/2023 01:00, heure de Paris) »: an archived report said « Émise le :
    2023-01-25 00:00:00 », no zone. A text that is no time is given back as it is."""
    import pandas as pd  # noqa: PLC0415

    from twin.timeutil import LOCAL_TZ  # noqa: PLC0415

    try:
        when = pd.Timestamp(text)
    except ValueError:
        return text
    when = when.tz_localize("UTC") if when.tzinfo is None else when.tz_convert("UTC")
    local = when.tz_convert(LOCAL_TZ).strftime("%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M")
    return f"{when:%Y-%m-%d %H:%M} UTC ({local}, {t('local_zone', lang)})"


def _number_text(text: str, lang: str, signed: bool = False) -> str:
    return fmt_number(float(text), lang, signed=signed)


def _gainers(text: str, lang: str) -> str | None:
    """« Grande Rue : +385 véh/h ; voie OSM 177353244 (sans nom) : +120 véh/h »: the roadworks' streets that
    gain most (:func:`twin.scenarios.roadworks.Roadworks.run` writes ``name: +385 veh/h; way 1: +12 veh/h``;
    a French report said « way 177353244: +385 veh/h »)."""
    parts = []
    for item in text.split("; "):
        name, sep, flow = item.rpartition(": ")
        m = re.fullmatch(r"([+-]?[\d.]+) veh/h", flow)
        if not sep or not m:
            return None
        way = re.fullmatch(r"way (\d+)", name)
        if way:
            name = t("detail_unnamed_way", lang, way=way.group(1))
        parts.append(f"{name}{' :' if lang == 'fr' else ':'} {_number_text(m.group(1), lang, signed=True)} "
                     f"{'véhicules/h' if lang == 'fr' else 'veh/h'}")
    return " ; ".join(parts) if lang == "fr" else "; ".join(parts)


def _stranded(text: str, lang: str) -> str | None:
    """The roadworks' stranded demand (:func:`twin.scenarios.roadworks._stranded_text`) in ``lang``."""
    m = re.match(r"([\d.]+) veh/h at the peak hour, ([\d.]+) trips over the window have no route", text)
    if not m:
        return None
    key = "detail_stranded_text_flood" if "flood's closures" in text else "detail_stranded_text"
    return t(key, lang, peak=_number_text(m.group(1), lang), window=_number_text(m.group(2), lang))


def _peak_hour(text: str, lang: str) -> str | None:
    """« 22:00-23:00 (les travaux ne couvrent pas la pointe du jour, 17:00-18:00 : …) »."""
    m = re.fullmatch(r"(\d\d:\d\d-\d\d:\d\d)(?: \(the (works|flood's closures) miss the day's peak, "
                     r"(\d\d:\d\d-\d\d:\d\d): .*\))?", text)
    if not m:
        return None
    if m.group(3) is None:
        return m.group(1)
    key = "detail_peak_missed" if m.group(2) == "works" else "detail_peak_missed_flood"
    return t(key, lang, hour=m.group(1), day=m.group(3))


COST_UNITS = {"agent_eur_per_h": "€/h", "crew_per_truck": "", "fuel_l_per_100km": "l/100 km", "fuel_eur_per_l": "€/l",
              "co2_kg_per_l": "kg/l", "compacting_bin_eur": "€", "sensor_eur": "€", "sensor_eur_per_year": "€/an",
              "bin_eur": "€"}
"""The bins' costs (:meth:`twin.scenarios.bins.BinCollection.costs`) and their units (French; « €/an »
said « €/yr » in English)."""


def _costs(text: str, lang: str) -> str | None:
    """« Coût horaire d'un agent (chargé) : 28 €/h ; Agents par camion : 2 ; … »: a report printed the
    Python dictionary (« {'agent_eur_per_h': 28.0, … »)."""
    import ast  # noqa: PLC0415

    from twin.app.i18n import PARAM_LABELS_EN, PARAM_LABELS_FR  # noqa: PLC0415

    try:
        costs = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    if not isinstance(costs, dict) or not all(isinstance(v, (int, float)) for v in costs.values()):
        return None
    labels = PARAM_LABELS_EN if lang == "en" else PARAM_LABELS_FR
    parts = []
    for k, v in costs.items():
        label = labels.get(k) or (t(f"cost_{k}", lang) if f"cost_{k}" in STRINGS else k)
        unit = COST_UNITS.get(k, "")
        unit = unit.replace("€/an", "€/yr") if lang == "en" else unit
        parts.append(f"{label[0].upper()}{label[1:]}{' :' if lang == 'fr' else ':'} {fmt_number(float(v), lang)}"
                     + (f" {unit}" if unit else ""))
    return (" ; " if lang == "fr" else "; ").join(parts)


def _market(text: str, lang: str) -> str | None:
    """« le lundi, 08–13 h, corbeilles à moins de 200 m de la place du marché » (the bins' ``market``)."""
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    m = re.fullmatch(r"(\w+) (\d\d)–(\d\d) h, bins within ([\d.]+) m of the market place", text)
    if not m or m.group(1) not in days:
        return None
    day = t(f"forms_weekday_{days.index(m.group(1))}", lang)
    return t("detail_market_text", lang, day=day, start=m.group(2), end=m.group(3),
             radius=fmt_number(float(m.group(4)), lang))


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY = "(" + "|".join(_DAYS) + ")"
_EVENT = re.compile(rf"(?P<event>[\w'][\w' -]*?) \((?P<day>{_DAY}) (?P<start>\d\d)–(?P<end>\d\d) h\): "
                    rf"(?P<verdict>kept|moved|dropped), (?P<why>.*?)(?=; [\w' -]+? \({_DAY} \d\d–\d\d h\): |$)")
_WHY = (  # the sentences twin.calibration.bins.check_events writes, each to its catalogue key
    (re.compile(r"supported on its own day \(t (?P<t>[-\d.]+)\)"), "detail_event_supported"),
    (re.compile(rf"the data point to (?P<found>{_DAY}) \(t (?P<t>[-\d.]+)\), not (?P<own>{_DAY}) \(t (?P<t_own>[-\d.inf]+)\)"),
     "detail_event_points_to"),
    (re.compile(r"no weekday shows the effect \(largest t (?P<t>[-\d.]+) < (?P<min>[\d.]+)\)"), "detail_event_none"),
    (re.compile(r"too few intervals of bins in .* to test it"), "detail_event_too_few"),
)


def _day(name: str, lang: str) -> str:
    return t(f"forms_weekday_{_DAYS.index(name)}", lang)


def _fill_events(text: str, lang: str) -> str | None:
    """The bins' fill model's weekly events as checked on the records (``fill_model_events``: « market (Monday
    08–13 h): kept, supported on its own day (t 18.0); the collection days cannot tell it from Tuesday »),
    in ``lang``; None when a sentence is not of a shape known here (then shown as written)."""
    if text == "none assumed":
        return t("detail_events_none", lang)
    said, end = [], 0
    for m in _EVENT.finditer(text):
        if m.start() != end:
            return None
        end = m.end() + (2 if text[m.end():m.end() + 2] == "; " else 0)
        why, _, twins = m.group("why").partition("; the collection days cannot tell it from ")
        for pattern, key in _WHY:
            found = pattern.fullmatch(why)
            if found:
                values = {k: (_day(v, lang) if v in _DAYS else fmt_number(float(v), lang) if v not in ("-inf", "inf")
                              else "—") for k, v in found.groupdict().items() if v is not None}
                break
        else:
            return None
        event = t("detail_event_market", lang) if m.group("event") == "market" else m.group("event")
        line = t("detail_event", lang, event=event, day=_day(m.group("day"), lang), start=m.group("start"),
                 end=m.group("end"), verdict=t(f"detail_event_{m.group('verdict')}", lang), why=t(key, lang, **values))
        if twins:
            days = [_day(d.strip(), lang) for d in twins.split(",")]
            # « du mardi ni du mercredi »: French negation joins them with « ni »
            line += t("detail_event_twins", lang, days=" ni ".join(f"du {d}" for d in days) if lang == "fr"
                      else ", ".join(days))
        said.append(line)
    return (" ; " if lang == "fr" else "; ").join(said) if said and end >= len(text) else None


def _sample(text: str, lang: str) -> str | None:
    """The heating's ``calibration``: in sample (the meters' models fitted on the simulated year) or not."""
    m = re.fullmatch(r"in sample: meter models fitted on (.+), gains calibrated on (\d{4}) itself", text)
    if m:
        period = m.group(1)
        last = re.fullmatch(r"each meter's last (\d+) days \((.+)\)", period)
        if last:
            period = t("detail_meter_last_days", lang, n=last.group(1), dates=last.group(2))
        return t("detail_in_sample", lang, period=period, year=m.group(2))
    m = re.fullmatch(r"out of sample: meter models and gains calibrated on (\d{4})", text)
    return t("detail_out_of_sample", lang, year=m.group(1)) if m else None


def _over_meter(text: str, lang: str) -> str | None:
    """The heating's ``baseline_over_meter``: « 0,992–1,002 sur 20 des 20 bâtiments (…) »."""
    m = re.fullmatch(r"([\d.]+)–([\d.]+) over (\d+) of (\d+) buildings \(simulated current schedule / metered gas of "
                     r"(\d{4}); (.+)\)", text)
    if m and (sample := _sample(m.group(6), lang)) is not None:
        return t("detail_over_meter", lang, low=fmt_number(float(m.group(1)), lang, digits=3),
                 high=fmt_number(float(m.group(2)), lang, digits=3), n=m.group(3), total=m.group(4), year=m.group(5),
                 sample=sample)
    m = re.fullmatch(r"no building has a complete metered year (\d{4}) \((.+)\)", text)
    if m and (sample := _sample(m.group(2), lang)) is not None:
        return t("detail_over_meter_none", lang, year=m.group(1), sample=sample)
    return None


def _at_bound(text: str, lang: str) -> str | None:
    """The heating's ``gains_at_bound``: none, or the buildings whose gains stop at their search bound."""
    if text == "none: every building's gains meet its meter's heating":
        return t("detail_at_bound_none", lang)
    m = re.fullmatch(r"(\d+) building\(s\) whose gains stop at their search bound and miss the meter's heating: (.*)",
                     text)
    return t("detail_at_bound", lang, n=m.group(1), which=m.group(2)) if m else None


def _priors(text: str, lang: str) -> str | None:
    """The lighting's prior lamps (« 465 of 465 lamps GENERATED along the streets… »), in ``lang``; other
    priors are fixed sentences of the catalogue (``detail_value_priors_…``) or the model's own."""
    m = re.fullmatch(r"(\d+) of (\d+) lamps GENERATED along the streets \(no inventory\): their number, power and "
                     r"technology are a prior \(twin\.territory\.lamps\)", text)
    if not m:
        return None
    return t("detail_priors_lamps", lang, n=fmt_number(float(m.group(1)), lang), total=fmt_number(float(m.group(2)), lang))


def _k_of_n(text: str, lang: str) -> str | None:
    """« 20 of 20 » → « 20 sur 20 »."""
    m = re.fullmatch(r"(\d+) of (\d+)", text)
    return t("detail_k_of_n", lang, k=fmt_number(float(m.group(1)), lang), n=fmt_number(float(m.group(2)), lang)) \
        if m else None


def _paid_over(text: str, lang: str) -> str | None:
    """« BMS + booking schedule=booking schedule » → « « GTB + horaires… » : par rapport à « horaires… » »."""
    from twin.app.views.common import variant_label  # noqa: PLC0415

    pairs = [p.split("=", 1) for p in text.split("; ") if "=" in p]
    if not pairs:
        return None
    return " ; ".join(t("detail_paid_over", lang, variant=variant_label(v, lang), ref=variant_label(r, lang))
                      for v, r in pairs)


def _car_parks(text: str, lang: str) -> str | None:
    """« Place du Parlement (120) » → « Place du Parlement (120 places) »."""
    parks = [re.fullmatch(r"(.*) \((\d+)\)", p) for p in text.split("; ")]
    if not all(parks):
        return None
    return ", ".join(t("parking_closed_park", lang, name=m.group(1), n=fmt_number(float(m.group(2)), lang))
                     for m in parks)


def _seeds(text: str, lang: str) -> str | None:
    """« 0 à 56 (57 graines) »: an ensemble's seeds when they follow one another (a flood's 57 listed one by
    one filled three lines); a few, or a gap among them, as written."""
    seeds = re.findall(r"-?\d+", text)
    numbers = [int(x) for x in seeds]
    if len(numbers) <= 8 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return None
    return t("detail_seeds_range", lang, first=numbers[0], last=numbers[-1], n=len(numbers))


GAUGES = ("rain_gauge", "flow_gauge", "level_gauge", "temperature")


def _gauges(text: str, lang: str) -> str | None:
    """A flood's SYNTHETIC stations (``synthetic_gauges``: « flow_gauge, rain_gauge ») said as the rows above
    name them (« station de débit, pluviomètre »)."""
    names = [g.strip() for g in text.split(",")]
    if not all(g in GAUGES for g in names):
        return None
    return ", ".join(t(f"detail_{g}", lang)[0].lower() + t(f"detail_{g}", lang)[1:] for g in names)


def _supply(text: str, lang: str) -> str | None:
    """The parking's ``supply`` (:meth:`twin.scenarios.parking.ParkingSearch.run`) in ``lang``."""
    m = re.fullmatch(r"(\d+) kerb spaces on (\d+) street edges \((\d+) of (\d+) edges estimated from street class: "
                     r"generated\), (\d+) spaces in (\d+) car parks \((\d+) capacities estimated\)", text)
    if not m:
        return None
    n = [fmt_number(float(x), lang) for x in m.groups()]
    return t("detail_supply_text", lang, kerb=n[0], edges=n[1], generated=n[2], total=n[3], park=n[4], parks=n[5],
             estimated=n[6])


def _demand(text: str, lang: str) -> str | None:
    """The parking's ``demand`` (a prior turnover and the town-centre profile) in ``lang``."""
    m = re.fullmatch(r"prior: ([\d.]+) arrivals per space and day \((\d+)/day\), destinations weighted by floor area, "
                     r"stays and arrival hours from the project's town-centre profile \(twin\.scenarios\.parking_supply\)",
                     text)
    return t("detail_demand_text", lang, turnover=fmt_number(float(m.group(1)), lang),
             day=fmt_number(float(m.group(2)), lang)) if m else None


def _floodplain(text: str, lang: str) -> str | None:
    """« SyntheticFloodplain (SYNTHETIC) » or « DEM »: a flood's floodplain in ``lang``."""
    if text == "DEM":
        return t("detail_floodplain_dem", lang)
    m = re.fullmatch(r"(\w+) \(SYNTHETIC\)", text)
    return t("detail_floodplain_synthetic", lang, model=m.group(1)) if m else None


def _people_from(text: str, lang: str) -> str | None:
    """How a flood counted the people of each building (``people_from``) in ``lang``."""
    if text == "one household per residential or unknown-use building (no dwellings known)":
        return t("detail_people_from_households", lang)
    m = re.fullmatch(r"dwellings of (\d+) buildings \(BD TOPO\), one household per other residential or unknown-use "
                     r"building", text)
    return t("detail_people_from_dwellings", lang, n=fmt_number(float(m.group(1)), lang)) if m else None


def _emergency(text: str, lang: str) -> str | None:
    """A flood detour's emergency service absent from the territory (« no amenity=fire_station … »); its places'
    names, when it has some, are data: as written."""
    m = re.fullmatch(r"no amenity=(\w+) in the territory's places or buildings: \w+_\* KPIs are NaN \(not computed\), "
                     r"not zero", text)
    return t("detail_emergency_none", lang, amenity=m.group(1)) if m else None


def _flooded(text: str, lang: str) -> str | None:
    """A flood detour's ``streets``: « 12 flooded segments » (a roadworks' are names: as written)."""
    m = re.fullmatch(r"(\d+) flooded segments", text)
    if m:
        return t("detail_flooded_segments", lang, n=fmt_number(float(m.group(1)), lang))
    return _street_items(text, lang)


def _street_items(text: str, lang: str) -> str | None:
    """A roadworks' streets or signed detour with a part of a street in it (« Rue des Douves #u-v »): each part by
    its street, ends and length, as the picker names it; None (as written) when there is none."""
    from twin.app.street_label import street_label  # noqa: PLC0415
    from twin.territory.street_parts import parse_part  # noqa: PLC0415

    items = [x.strip() for x in text.split(",") if x.strip()]
    if not any(parse_part(x) for x in items):
        return None
    return ", ".join(t("res_works_zone", lang) if x == "polygon" else street_label(x, lang) for x in items)


_RAIN = {"observed rain": "detail_rain_observed", "design storm": "detail_rain_design",
         "rain forecast": "detail_rain_forecast"}


def _flood_variant(text: str, lang: str) -> str | None:
    """The flood variant a detour closes the streets of (:meth:`twin.scenarios.flood.FloodForecast._rain_members`
    names it: « ensemble of 200 (rain analogs ±30 d, 2021–2023) », « observed rain × 1.5, hindcast (perfect
    rain) », …) in ``lang``; None for a name of another shape (a user's own)."""
    hindcast = text.endswith(", hindcast (perfect rain)")
    body = text.removesuffix(", hindcast (perfect rain)")
    tail = t("detail_rain_hindcast", lang) if hindcast else ""
    if m := re.fullmatch(r"ensemble of (\d+) \(rain analogs ±(\d+) d, (\d{4})–(\d{4})\)", body):
        said = t("detail_flood_analogs", lang, n=m.group(1), days=m.group(2), first=m.group(3), last=m.group(4))
    elif m := re.fullmatch(r"ensemble of (\d+) \((observed rain|design storm|rain forecast), cv ([\d.]+)\)", body):
        said = t("detail_flood_ensemble", lang, n=m.group(1), base=t(_RAIN[m.group(2)], lang),
                 cv=fmt_number(float(m.group(3)), lang))
    elif body == "no rain":
        said = t("detail_rain_none", lang)
    elif m := re.fullmatch(r"observed rain(?: × ([\d.]+))?", body):
        said = t("detail_rain_observed", lang) + (f" × {fmt_number(float(m.group(1)), lang)}" if m.group(1) else "")
    elif m := re.fullmatch(r"design storm ([\d.]+) mm / (\d+) h", body):
        said = t("detail_rain_design_mm", lang, mm=fmt_number(float(m.group(1)), lang), hours=m.group(2))
    elif m := re.fullmatch(r"rain forecast (\d+) mm", body):
        said = t("detail_rain_forecast_mm", lang, mm=fmt_number(float(m.group(1)), lang))
    else:
        return None
    return said + tail


def _stranded_buildings(text: str, lang: str) -> str | None:
    """A street closure's buildings cut off from the destination (``stranded_buildings``) in ``lang``."""
    m = re.fullmatch(r"(\d+) buildings lose their drive to the destination: left out of mean_drive_distance_m and "
                     r"round_trip_vehicle_km \(counted in buildings_without_route\)", text)
    return t("detail_stranded_buildings_text", lang, n=fmt_number(float(m.group(1)), lang)) if m else None


def _number(text: str, lang: str) -> str:
    return fmt_number(float(text.replace(",", "")), lang)


WATER_PATTERNS = {  # a water family's notes (twin.scenarios.water_*): the shapes they are written in
    "valves": [(r"SYNTHETIC: WNTR strategic N-(?P<n>\d+) layer, seed (?P<seed>\d+)", "detail_valves_synthetic"),
               (r"file (?P<file>.+)", "detail_valves_file")],
    "leakage": [(r"(?P<pct>\d+)% of the water put in today, FAVAD", "detail_leakage_text")],
    "people": [(r"counted from the buildings each junction serves \(SYNTHETIC network's prior: (?P<people>[\d,]+) people "
                r"on the network in all, (?P<m2>[\d.]+) m² of floor a person in housing and unknown-use buildings; "
                r"compare with the INSEE population, and give it as population to scale to it\)",
                "detail_people_floor"),
               (r"counted from the buildings each junction serves \(SYNTHETIC network's prior: (?P<people>[\d,]+) people "
                r"on the network in all, the population given \((?P<given>[\d,]+)\) shared by floor area over the "
                r"housing and unknown-use buildings, those within reach of a pipe\)", "detail_people_given"),
               (r"estimated from demand at (?P<litres>[\d.]+) L/person/day", "detail_people_demand")],
    "hidden_share_of_real_losses": [
        (r"(?P<pct>\d+)% of the real losses leakage_share implies \((?P<m3>[\d,]+) m³/year\)", "detail_hidden_share"),
        (r"(?P<pct>\d+)% of the real losses leakage_share implies \((?P<m3>[\d,]+) m³/year\): more than all of them .*",
         "detail_hidden_share_over")],
    "detection": [(r"minimum night flow per district, threshold set on (?P<years>\d+) leak-free SYNTHETIC years, its "
                   r"false alarms counted on \d+ others; delays from (?P<trials>\d+) SYNTHETIC trials per district and "
                   r"kind of leak", "detail_detection_text")],
    "leaks": [(r"unreported leaks: UARL's unreported frequencies × (?P<scale>[\d.]+): (?P<main>[\d.]+) main bursts/100 "
               r"km/year and (?P<service>[\d.]+) service leaks/1000 connections/year, so that today they lose "
               r"(?P<pct>\d+)% of the real losses; (?P<main_flow>[\d.]+) m³/h a main burst, (?P<service_flow>[\d.]+) "
               r"m³/h a service leak \(BABE's flows at the mean pressure (?P<pressure>[\d.]+) m\)", "detail_leaks_text"),
              (r"unreported leaks: given; (?P<main_flow>[\d.]+) m³/h a main burst, (?P<service_flow>[\d.]+) m³/h a "
               r"service leak \(BABE's flows at the mean pressure (?P<pressure>[\d.]+) m\)", "detail_leaks_given")],
}
"""(pattern, catalogue key) of each water note: its figures written the page's way, a file's name as given."""


def _water(key: str):
    def said(text: str, lang: str) -> str | None:
        for pattern, word in WATER_PATTERNS[key]:
            if m := re.fullmatch(pattern, text):
                return t(word, lang, **{k: v if k in ("file", "seed", "n", "years", "trials") else _number(v, lang)
                                        for k, v in m.groupdict().items()})
        return None
    return said


RENDERERS = {"priors": _priors, "top_gainers": _gainers, "stranded_trips": _stranded, "peak_hour": _peak_hour, "costs": _costs,
             "market": _market, "synthetic_meters": _k_of_n, "payback_over_variant": _paid_over,
             "car_parks_closed": _car_parks, "paying_car_parks": _k_of_n, "fill_model_events": _fill_events,
             "calibration": _sample, "baseline_over_meter": _over_meter, "gains_at_bound": _at_bound,
             "member_seeds": _seeds, "synthetic_gauges": _gauges, "supply": _supply, "demand": _demand, "floodplain": _floodplain,
             "people_from": _people_from, "emergency_fire": _emergency, "emergency_hospital": _emergency,
             "streets": _flooded, "detour": _street_items, "flood_variant": _flood_variant,
             "stranded_buildings": _stranded_buildings,
             **{key: _water(key) for key in WATER_PATTERNS}}
"""Notes a model writes as a sentence with figures in it: read and said in the page's language (the
sentence as written when it is not of the expected shape)."""


def detail_value(value, lang: str = "fr", key: str = "") -> tuple[str, bool]:
    """(``value`` of the note ``key`` as the page writes it, whether it is the model's own English sentence).

    A decimal number gets the page's separators (``0,995``); an integer or a date stays as written (a
    year is not « 2 023 »); a word of the short list is translated (the note's own word first: a rain
    « observed » is not an update fitted on « observed » discharge)."""
    text = str(value)
    if key in CLOCK_TIMES:  # « 02:00 +1 d »: a day later, « j » in French
        return (text.replace(" d", " j") if lang == "fr" else text), False
    if key in UTC_TIMES and text:  # a forecast's times are UTC: said, with the local clock beside
        return _utc_and_local(text, lang), False
    if key in RENDERERS and (said := RENDERERS[key](text, lang)) is not None:
        return said, False
    for word in (VALUE_WORDS[key].format(text) if key in VALUE_WORDS else "", f"detail_value_{key}_{text}",
                 f"detail_value_{text}"):
        if word in STRINGS:
            return t(word, lang), False
    try:
        number = float(text)
    except ValueError:
        return text, key not in NAMES and any(c.isalpha() for c in text) and " " in text.strip()
    if number != number:  # NaN: nothing known (a flood with no level reading in the hours before its issue)
        return "—", False
    if "." not in text or "e" in text.lower():
        return text, False
    if 0 < abs(number) < 0.01:  # three significant digits, not three decimals (0.00042 is not « 0 »)
        small = f"{number:.3g}"
        return (small.replace(".", ",") if lang == "fr" else small), False
    return fmt_number(number, lang, digits=None if abs(number) >= 1 else 3), False


def detail_rows(attrs: dict, lang: str = "fr") -> tuple[list[tuple[str, str]], bool]:
    """([(name, value)] of the notes in ``attrs`` a person may want, whether any value is an English
    sentence the model wrote)."""
    rows, english = [], False
    design_event = str(attrs.get("forecast_time_from", "")).startswith("none")  # its time a placeholder
    for key, value in attrs.items():
        if key in HIDDEN or str(value) == "" or (design_event and key == "forecast_time") \
                or (key in AS_ROWS and str(value).startswith("{")):
            continue
        text, sentence = detail_value(value, lang, key)
        english |= sentence
        rows.append((detail_label(key, lang), text))
    return rows, english
