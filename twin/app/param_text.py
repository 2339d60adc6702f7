"""A scenario's parameters in plain words for people (French first, English second): no code names,
no JSON, no rule syntax.

* :func:`param_label` — a parameter's name as the forms label it (:data:`twin.app.i18n.PARAM_LABELS_FR`
  through :func:`twin.app.i18n.param_label`; the few the forms do not label, and the lighting's
  ``led_retrofit`` said « Variante tout LED » as its result is, from the workshop's catalogue part
  ``workshop_label_<name>``), without its unit;
* :func:`param_value_text` — a value with its unit from the declaration's doc (``"[m] …"``): numbers
  the French way (decimal comma, narrow no-break space between thousands), booleans « oui / non »,
  selector options as the forms name them, streets joined, days of the week named, hour windows
  « 23 h – 5 h », dates « 03/04/2023 », a lighting's rules as sentences;
* :func:`rules_text` — a lighting's rules (format of :mod:`twin.scenarios.lighting`, schedules of
  :class:`twin.models.lighting.Schedule`) as sentences: « Éteindre de 23 h à 5 h — tous les
  lampadaires », « Garder allumé à 30 m de : gare, écoles »; a rule it cannot phrase (an unknown zone
  or schedule key, a malformed window) is « règle d'expert (fichier) », never its syntax.

Pure functions of the values and the declarations (:data:`twin.scenarios.SCENARIOS`); strings from
the catalogue (:func:`twin.app.i18n.t`). Used by the workshop's spread, the meeting pack and the
comparison's « Hypothèses ».
"""

from __future__ import annotations

import math
import re
from pathlib import PurePath

from twin.app.i18n import NBSP, NNBSP, STRINGS, t, unit_label
from twin.app.i18n import param_label as _form_label
from twin.models.lighting import window_in_daylight, window_spans_the_day
from twin.timeutil import HourRangeError, parse_hour_range

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
_ISO_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)")
HOUR_PARAMS = ("hours", "close_hours", "remove_hours", "period", "current_hours")
STREET_PARAMS = ("streets", "detour", "remove_streets")
WEEKDAY_LISTS = ("round_weekdays", "baseline_weekdays")
WEEKDAY_INTS = ("close_weekday",)
RULE_PARAMS = ("rules", "baseline_rules")
LIST_SHOWN = 6  # items of a list named before « … et N autre(s) »
SIGNIFICANT = 4  # significant digits of a parameter's value (12.345678901 → 12,35): what a person typed
SCHEDULE_KEYS = {"name", "off_windows", "dimming", "weekend_off_windows", "weekend_dimming", "full_night_dates",
                 "events", "events_ics"}
HIGHWAY_KEYS = ("motorway", "trunk", "primary", "secondary", "tertiary", "residential", "unclassified",
                "living_street", "service", "pedestrian")


def _declaration(family: str, name: str):
    """The ``param`` declaration of ``name`` in ``family`` (None when unknown: a file's extra key)."""
    from twin.scenarios import SCENARIOS  # noqa: PLC0415 - the scenarios import the models

    cls = SCENARIOS.get(family)
    return cls.param[name] if cls is not None and name in cls.param else None


def param_unit(family: str, name: str) -> str:
    """The unit a declaration's doc gives (``"[€/kWh] energy price"`` → ``€/kWh``; "" when none)."""
    p = _declaration(family, name)
    doc = getattr(p, "doc", None) or ""
    return doc[1:doc.index("]")] if doc.startswith("[") and "]" in doc else ""


def _is_share(family: str, name: str) -> bool:
    """Whether the declaration is a share (its doc « [-] share of … »): said in percent."""
    doc = getattr(_declaration(family, name), "doc", None) or ""
    return doc.startswith("[-] share")


def param_label(family: str, name: str, lang: str = "fr") -> str:
    """The parameter ``name`` of ``family`` as the forms label it, without its unit (the value says it).

    >>> param_label("lighting", "price_eur_per_kwh")
    "Prix de l'électricité (HT)"
    >>> param_label("lighting", "led_retrofit")
    'Variante tout LED'
    """
    key = f"workshop_label_{name}"
    if key in STRINGS:
        return t(key, lang)
    return _form_label(name, None, lang)


# --- numbers, units, hours ------------------------------------------------------------------------

def number_text(x: float, lang: str = "fr", grouped: bool = True) -> str:
    """A parameter's number: up to :data:`SIGNIFICANT` significant digits, trailing zeros dropped,
    French separators in French (``grouped=False``: no thousands separator, for a year or a seed).

    >>> number_text(12.345678901)
    '12,35'
    >>> number_text(0.0001)
    '0,0001'
    >>> number_text(5000.0)
    '5\u202f000'
    """
    x = float(x)
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    decimals = 0 if x == 0 else max(0, min(10, SIGNIFICANT - 1 - math.floor(math.log10(abs(x)))))
    text = f"{x:,.{decimals}f}" if grouped else f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text if lang == "en" else text.replace(",", NNBSP).replace(".", ",")


def unit_text(unit: str, lang: str = "fr") -> str:
    """A declaration's unit in ``lang`` ("" when it has none): the forms' word (``forms_unit_days``:
    « jours ») or the pages' unit (:func:`twin.app.i18n.unit_label`)."""
    if not unit or unit == "-":
        return ""
    key = f"forms_unit_{unit}"
    return t(key, lang) if key in STRINGS else unit_label(unit, lang)


def quantity_text(x: float, unit: str, lang: str = "fr") -> str:
    """``12,5 m``, ``90 %``, ``2 jours``: a number and its unit (from the declaration's doc)."""
    word = unit_text(unit, lang)
    n = number_text(x, lang)
    return f"{n}{NBSP}{word}" if word else n


def hour_text(hhmm: str, lang: str = "fr") -> str:
    """``"05:00"`` → « 5 h », ``"05:30"`` → « 5 h 30 » (English: ``05:00``); the text itself otherwise."""
    m = _HHMM.match(str(hhmm).strip())
    if not m:
        raise ValueError(f"not a time HH:MM: {hhmm!r}")
    h, mm = int(m.group(1)), m.group(2)
    if lang == "en":
        return f"{h:02d}:{mm}"
    return t("workshop_hour", lang, h=h, hh=f"{h:02d}") if mm == "00" else \
        t("workshop_hour_min", lang, h=h, hh=f"{h:02d}", mm=mm)


def hour_range_text(text: str, lang: str = "fr") -> str:
    """``"23:00-05:00"`` → « 23 h – 5 h » (a window as :func:`twin.timeutil.parse_hour_range` reads it)."""
    try:
        a, b = parse_hour_range(str(text))
    except HourRangeError:
        raise ValueError(f"not an hour window: {text!r}") from None
    b = b - 1440 if b > 1440 else b  # a window past midnight ends the next morning
    return t("workshop_hour_range", lang, a=hour_text(f"{a // 60:02d}:{a % 60:02d}", lang),
             b=hour_text(f"{b // 60:02d}:{b % 60:02d}", lang))


def _listed(items: list[str], lang: str) -> str:
    shown = ", ".join(items[:LIST_SHOWN])
    return shown + (f" {t('workshop_param_more', lang, n=len(items) - LIST_SHOWN)}" if len(items) > LIST_SHOWN else "")


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _empty(x) -> bool:
    return x is None or (isinstance(x, (str, list, tuple, dict)) and not (x.strip() if isinstance(x, str) else x))


# --- values ---------------------------------------------------------------------------------------

def param_value_text(family: str, name: str, value, lang: str = "fr") -> str:
    """The value of parameter ``name`` of ``family`` in plain words, with its unit.

    >>> param_value_text("roadworks", "hours", "23:00-05:00")
    '23 h – 5 h'
    >>> param_value_text("lighting", "led_retrofit", True)
    'oui'
    """
    from twin.app.forms import option_label  # noqa: PLC0415
    from twin.app.uploads import CONTENT_KEYS  # noqa: PLC0415

    unit = param_unit(family, name)
    if isinstance(value, bool):
        return t("workshop_param_yes" if value else "workshop_param_no", lang)
    if name in RULE_PARAMS:
        if _empty(value):
            return t("forms_baseline_all_night" if name == "baseline_rules" else "workshop_rule_none", lang)
        return " ; ".join(rules_text(value, lang)) if isinstance(value, list) else t("workshop_rule_expert", lang)
    if name == "flood" and isinstance(value, dict):  # flood-detours' forecast: a flood scenario's parameters
        if not value:
            return t("forms_flood_default", lang)
        return " ; ".join(f"{param_label('flood', k, lang)} : {param_value_text('flood', k, v, lang)}"
                          for k, v in value.items())
    if _empty(value) and name in ("booking_ics", "booking_ics_text"):  # « vide » twice: no calendar, said once
        return t("workshop_param_no_calendar", lang)
    if _empty(value):
        doc = getattr(_declaration(family, name), "doc", "") or ""
        if "(empty: all day)" in doc:  # the form shows « de 00:00 à 24:00 »: « vide » said nothing of it
            return t("workshop_param_all_day", lang)
        return t("workshop_param_territory_own" if "territory's own" in doc else "workshop_param_empty", lang)
    if name in CONTENT_KEYS:
        # the calendar's own name (X-WR-CALNAME, the uploaded file's when it had none): « contenu déposé (525
        # caractères) » said nothing of which calendar a variant followed
        found = re.search(r"^X-WR-CALNAME:(.+?)\r?$", str(value), re.MULTILINE)
        n = number_text(len(str(value)), lang)
        return t("workshop_param_content_named", lang, name=found.group(1).strip()[:60], n=n) if found else \
            t("workshop_param_content", lang, n=n)
    p = _declaration(family, name)
    if p is not None and getattr(p, "objects", None) and not isinstance(p.objects, dict) \
            and type(p).__name__ in ("Selector", "ObjectSelector"):
        return option_label(name, value, lang)
    if name in HOUR_PARAMS and isinstance(value, str):
        try:
            return hour_range_text(value, lang)
        except ValueError:
            return value
    if name in WEEKDAY_INTS and _is_number(value) and 0 <= value <= 6:
        return t(f"forms_weekday_{int(value)}", lang)
    if name in WEEKDAY_LISTS and isinstance(value, list) and all(_is_number(d) and 0 <= d <= 6 for d in value):
        return ", ".join(t(f"forms_day_{int(d)}", lang) for d in value)
    if name == "polygon" and isinstance(value, str):
        return t("workshop_param_polygon", lang)
    if name == "add_car_park" and isinstance(value, dict) and value.get("near"):  # « near : … ; capacity : 50 »
        price = value.get("price_eur_h")
        return t("workshop_param_new_car_park", lang, near=value["near"],
                 spaces=number_text(value.get("capacity", 0), lang),
                 price=quantity_text(price, "€/h", lang) if _is_number(price) and price > 0 else
                 t("workshop_param_free", lang))
    if name == "alert_levels_m" and isinstance(value, dict):
        return ", ".join(f"{t(f'forms_level_{k}', lang) if f'forms_level_{k}' in STRINGS else k} "
                         f"{quantity_text(v, 'm', lang) if _is_number(v) else v}" for k, v in value.items())
    if name == "params" and family == "flood" and isinstance(value, list) and len(value) == 4 \
            and all(_is_number(x) for x in value):
        return t("workshop_param_gr4", lang, **{f"x{i}": number_text(x, lang) for i, x in enumerate(value, 1)})
    if name == "add_points" and isinstance(value, list):
        pts = [f"({number_text(p[0], lang)} ; {number_text(p[1], lang)})" if lang == "fr" else
               f"({number_text(p[0], lang)}, {number_text(p[1], lang)})"
               for p in value if isinstance(p, (list, tuple)) and len(p) == 2 and all(_is_number(x) for x in p)]
        return t("workshop_param_points", lang, n=len(value), points=_listed(pts, lang))
    if isinstance(value, list):
        return _list_text(name, value, unit, lang)
    if isinstance(value, dict):
        return " ; ".join(f"{k} : {param_value_text(family, f'{name}.{k}', v, lang)}" for k, v in value.items())
    if _is_number(value):
        if unit == "year" or name in ("seed", "prior_seed", "year", "calibration_year"):
            return number_text(value, lang, grouped=False)
        if unit == "-" and _is_share(family, name) and 0 <= value <= 1:  # « 0,30 » of losses read as nothing
            return quantity_text(100 * value, "%", lang)
        word = unit_text(unit, lang)
        if word and re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", param_label(family, name, lang).casefold()):
            return number_text(value, lang)  # « Camions : 2 », not « 2 camions » (the forms' rule)
        return quantity_text(value, unit, lang)
    if isinstance(value, str):
        return _string_text(name, value, unit, lang)
    return str(value)


def _list_text(name: str, value: list, unit: str, lang: str) -> str:
    """A list: names joined (streets, rivers, bins, buildings); numbers joined with their unit once,
    summarised as « n valeurs, de a à b » when long (an hourly rain)."""
    if all(_is_number(x) for x in value):
        if len(value) > LIST_SHOWN:
            return t("workshop_param_many", lang, n=len(value), low=quantity_text(min(value), unit, lang),
                     high=quantity_text(max(value), unit, lang))
        sep = " ; " if lang == "fr" else ", "
        word = unit_text(unit, lang)
        return sep.join(number_text(x, lang) for x in value) + (f"{NBSP}{word}" if word else "")
    items = []
    for x in value:
        s = str(x).strip()
        if name in STREET_PARAMS:
            from twin.app.street_label import street_label  # noqa: PLC0415

            s = street_label(s, lang)
        elif name == "close_bins":
            s = t("workshop_param_bin", lang, id=s)
        elif name == "buildings":
            s = t("workshop_param_building", lang, id=s)
        elif isinstance(x, (list, dict)):
            s = t("workshop_rule_expert", lang)
        items.append(s)
    return _listed(items, lang)


def _string_text(name: str, value: str, unit: str, lang: str) -> str:
    """A text value: a date or a time said the French way, a file by its name, else the text itself."""
    v = value.strip()
    m = _ISO_DATE.match(v)
    if m:
        y, mo, d = m.groups()
        return f"{d}/{mo}/{y}" if lang == "fr" else v
    m = _ISO_TIME.match(v)
    if m and unit == "UTC":  # a forecast's time: on the local clock the form takes it in (« 22/02/2023 0 h UTC »)
        from twin.timeutil import LOCAL_TZ  # noqa: PLC0415

        import pandas as pd  # noqa: PLC0415

        try:
            when = pd.Timestamp(v)
        except ValueError:
            return v
        local = (when.tz_localize("UTC") if when.tzinfo is None else when).tz_convert(LOCAL_TZ)  # an offset kept
        y, mo, d, hh, mm = (f"{local:%Y}", f"{local:%m}", f"{local:%d}", f"{local:%H}", f"{local:%M}")
        when = f"{d}/{mo}/{y} {hour_text(f'{hh}:{mm}', lang)}" if lang == "fr" else f"{y}-{mo}-{d} {hh}:{mm}"
        return f"{when} ({t('local_zone', lang)})"
    if m:
        y, mo, d, hh, mm = m.groups()
        return f"{d}/{mo}/{y} {hour_text(f'{hh}:{mm}', lang)}" if lang == "fr" else f"{y}-{mo}-{d} {hh}:{mm}"
    if name.endswith(("_file", "_ics")) or name in ("booking_ics",):
        return t("workshop_param_file", lang, name=PurePath(v).name)
    return v


# --- variants computed beside the proposal ---------------------------------------------------------

MODEL_VARIANTS = {"led_retrofit": "workshop_variant_led_retrofit", "retrofit": "workshop_variant_retrofit",
                  "setpoint change": "workshop_variant_setpoint", "BMS + booking schedule": "workshop_variant_bms",
                  "booking schedule": "workshop_variant_booking"}
"""A variant name a scenario gives (English, in the model: :mod:`twin.scenarios.lighting`,
:mod:`twin.scenarios.heating`) -> its catalogue key."""


def variant_text(name: str, lang: str = "fr") -> str:
    """A variant a run computes beside the proposal, for people: ``led_retrofit`` → « Variante tout LED »."""
    key = MODEL_VARIANTS.get(name)
    return t(key, lang) if key else t("workshop_variant_other", lang, name=name)


# --- lighting rules -------------------------------------------------------------------------------

class _Unphrased(ValueError):
    """A rule :func:`rules_text` cannot say in words (it is then « règle d'expert (fichier) »)."""


def _places(categories, lang: str) -> str:
    from twin.app.forms import option_label  # noqa: PLC0415

    if not isinstance(categories, list) or not categories:
        raise _Unphrased("no place category")
    names = []
    for c in categories:
        if f"forms_place_{c}" not in STRINGS:
            raise _Unphrased(f"unknown place category {c!r}")
        names.append(option_label("near", c, lang))
    return ", ".join(names)


def _zone_text(zone, lang: str) -> tuple[str, dict]:
    """(kind, fields) of a rule's zone: "all", "near" (radius, places), "polygon", "highway", "cabinets"."""
    if not isinstance(zone, dict) or len(zone) == 0:
        raise _Unphrased("zone")
    if zone == {"all": True}:
        return "all", {}
    if set(zone) == {"near"} and isinstance(zone["near"], dict) and set(zone["near"]) <= {"category", "radius_m"}:
        r = zone["near"].get("radius_m", 100.0)
        if not _is_number(r):
            raise _Unphrased("radius")
        return "near", {"radius": number_text(r, lang), "places": _places(zone["near"].get("category"), lang)}
    if "polygon" in zone and set(zone) <= {"polygon", "crs"} and isinstance(zone["polygon"], str):
        return "polygon", {}
    if set(zone) == {"highway"} and isinstance(zone["highway"], list) and zone["highway"]:
        words = []
        for c in zone["highway"]:
            key = "workshop_highway_link" if str(c).endswith("_link") else f"workshop_highway_{c}"
            if key not in STRINGS:
                raise _Unphrased(f"street class {c!r}")
            w = t(key, lang)
            if w not in words:
                words.append(w)
        return "highway", {"classes": ", ".join(words)}
    if set(zone) == {"cabinets"} and isinstance(zone["cabinets"], list) and zone["cabinets"]:
        return "cabinets", {"ids": _listed([str(c) for c in zone["cabinets"]], lang)}
    raise _Unphrased("zone")


def _windows(spec, lang: str, key: str, dim: bool) -> list[str]:
    if not isinstance(spec, list):
        raise _Unphrased("windows")
    out = []
    for w in spec:
        if not isinstance(w, (list, tuple)) or len(w) != (3 if dim else 2):
            raise _Unphrased("window")
        try:
            a, b = hour_text(w[0], lang), hour_text(w[1], lang)
        except ValueError:
            raise _Unphrased("window") from None
        if dim:
            if not _is_number(w[2]) or not 0 <= w[2] <= 1:
                raise _Unphrased("level")
            out.append(t(key, lang, a=a, b=b, level=number_text(w[2] * 100.0, lang)))
        else:
            out.append(t(key, lang, a=a, b=b))
        # a slip said wherever the rule is (page, report, pack): 05:00–23:00 ranked between real options
        if window_spans_the_day(w[0], w[1]):
            out[-1] += t("workshop_rule_spans_day_dim" if dim else "workshop_rule_spans_day", lang, a=a, b=b)
        elif window_in_daylight(w[0], w[1]):
            out[-1] += t("workshop_rule_in_daylight", lang)
    return out


def _schedule_parts(schedule, lang: str) -> list[str]:
    """What a schedule does, as clauses ([] : lit all night)."""
    if not isinstance(schedule, dict) or set(schedule) - SCHEDULE_KEYS:
        raise _Unphrased("schedule")
    off, dim = schedule.get("off_windows") or [], schedule.get("dimming") or []
    parts = _windows(off, lang, "workshop_rule_off", False) + _windows(dim, lang, "workshop_rule_dim", True)
    # Friday and Saturday nights take the weekend's windows where given, the week's otherwise
    # (twin.models.lighting.Schedule): said as two groups, « en semaine … ; le week-end … ». The week's
    # windows said alone beside the weekend's read as every night's (« Éteindre de 0 h à 5 h 30, le
    # week-end, abaisser … » for a rule that keeps the weekend's nights lit)
    woff, wdim = schedule.get("weekend_off_windows"), schedule.get("weekend_dimming")
    woff, wdim = (off if woff is None else woff or []), (dim if wdim is None else wdim or [])
    weekend = _windows(woff, lang, "workshop_rule_off", False) + _windows(wdim, lang, "workshop_rule_dim", True)
    grouped = weekend != parts
    if grouped:
        def group(key, clauses):
            what = ", ".join(c[0].lower() + c[1:] for c in clauses) if clauses else t("workshop_rule_lit_all_night",
                                                                                          lang)
            return t(key, lang, what=what)

        parts = [group("workshop_rule_weekdays", parts) + (" ; " if lang == "fr" else "; ")
                 + group("workshop_rule_weekend", weekend)]
    every_night = []  # festive nights and bookings, whatever the day
    dates = schedule.get("full_night_dates") or []
    if dates:
        if not isinstance(dates, list):
            raise _Unphrased("dates")
        every_night.append(t("workshop_rule_full_nights", lang, n=len(dates)))
    if schedule.get("events") or schedule.get("events_ics"):
        every_night.append(t("workshop_rule_events", lang))
    if every_night and grouped:
        # after « le week-end (…), éteindre … », « allumé toute la nuit 2 soirs de fête » read as weekend-only
        return [parts[0] + (" ; " if lang == "fr" else "; ") + t("workshop_rule_any_day", lang,
                                                                  what=", ".join(every_night))]
    return parts + every_night


def rule_text(rule, lang: str = "fr") -> str:
    """One lighting rule as a sentence; « règle d'expert (fichier) » when it cannot be phrased."""
    try:
        if not isinstance(rule, dict) or set(rule) != {"zone", "schedule"}:
            raise _Unphrased("rule")
        kind, kw = _zone_text(rule["zone"], lang)
        parts = _schedule_parts(rule["schedule"], lang)
    except _Unphrased:
        return t("workshop_rule_expert", lang)
    if not parts:  # lit all night where the zone says
        if kind == "near":
            return t("workshop_rule_keep_near", lang, **kw)
        if kind == "polygon":
            return f"{t('workshop_rule_zone_polygon', lang)} : {t('forms_light_name_all_night', lang)}" \
                if lang == "fr" else f"{t('workshop_rule_zone_polygon', lang)}: {t('forms_light_name_all_night', lang)}"
        return f"{t('workshop_rule_all_night', lang)} — {t(f'workshop_rule_zone_{kind}', lang, **kw)}"
    text = ", ".join(parts[:1] + [p[0].lower() + p[1:] for p in parts[1:]])
    zone = t(f"workshop_rule_zone_{kind}", lang, **kw)
    if kind == "polygon":
        zone = zone[0].lower() + zone[1:]
    return f"{text[0].upper()}{text[1:]} — {zone}"


def rules_text(rules, lang: str = "fr") -> list[str]:
    """A lighting's rules (zone → schedule, in order; :mod:`twin.scenarios.lighting`) as sentences,
    one per rule; none: « aucune règle ».

    >>> rules_text([{"zone": {"all": True}, "schedule": {"off_windows": [["23:00", "05:00"]]}}])
    ['Éteindre de 23 h à 5 h — tous les lampadaires']
    """
    if not rules:
        return [t("workshop_rule_none", lang)]
    if not isinstance(rules, list):
        return [t("workshop_rule_expert", lang)]
    return [rule_text(r, lang) for r in rules]
