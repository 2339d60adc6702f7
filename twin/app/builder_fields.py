"""Which of a family's fields an elected official sets, and the name a variant gets from its inputs
(issue 17: one person alone, in French, on a 1024×768 projector).

* :data:`EVERYDAY` — per family, the fields that say *what the variant does* (the streets, the hours,
  the schedule, the round days…), shown first; every other field (prices, emission factors, model
  constants, ensemble sizes, seeds) goes in the collapsed « Hypothèses avancées » card, where an
  expert finds it. A field not listed is advanced: a parameter added to a model does not push
  « Lancer » further down the page.
* :func:`variant_name` — a variant named in the page's language from its inputs (« Fermeture Quai
  Saint-Jacques », « Extinction 23 h–5 h ») instead of the model's English default ("closed",
  "schedule").
"""

from __future__ import annotations

import panel as pn
import param

from twin.app.i18n import fmt_number, t
from twin.scenarios import SCENARIOS

EVERYDAY: dict[str, tuple[str, ...]] = {
    "street-closure": ("streets", "destination"),
    # offset_min: when the lamps come on after sunset is a choice of the council, not a constant
    "lighting": ("rules", "baseline_rules", "led_in_variant", "led_retrofit", "offset_min"),
    "bins": ("policy", "round_weekdays", "threshold_pct", "baseline_weekdays", "trucks", "add_best",
             "compacting_bins"),
    "roadworks": ("streets", "hours", "capacity_factor", "residents_access", "one_direction", "detour", "day_method"),
    # today's programming first: the baseline every saving is measured against, which the commune gives
    "heating": ("current_hours", "current_setpoint_c", "current_night_c", "occupied_setpoint_c", "unoccupied_setpoint_c", "empty_setpoint_c", "setpoint_delta_c", "preheat_h"),
    # the rain and its size; the storm's shape, the ensemble and the catchment are the hydrologist's
    # (the rain forecast's hours too, shown only for « pluie prévue »: folded, the choice showed no input)
    # past_floods: how far to trust the forecast, the first thing a GEMAPI team asks of it
    "flood": ("forecast_time", "horizon_h", "rain", "scale", "design_mm", "design_duration_h", "rain_forecast_mm",
              "past_floods"),
    "flood-detours": ("flood", "hours"),
    # what the council decides: spaces removed (works, terraces), car parks, sensors and guidance
    "parking": ("remove_streets", "remove_hours", "close_car_parks", "add_car_park", "sensor_share", "guidance_share",
                "turnover"),
    # where and when the main breaks, how fast the crew shuts it, how long the repair lasts
    "water-break": ("broken_street", "break_time", "isolation_delay_h", "repair_h", "break_area_share"),
    # the valve's setpoints and hours, what it costs, how leaky the network is today
    "water-pressure": ("night_pressure_m", "night_hours", "day_pressure_m", "investment_eur", "leakage_share"),
    # how many districts, what the commune does today, what a meter costs, how leaky the network is
    "water-meters": ("districts", "survey_interval_years", "meter_cost_eur", "leakage_share"),
}


SHOWN_WHEN: dict[str, dict[str, tuple[dict[str, tuple], ...]]] = {
    cls.family: dict(cls.read_when) for cls in SCENARIOS.values() if cls.read_when}
"""Per family, {field: the cases it is shown in}, each case {field it depends on: the values}, all of
them met: the scenario's own :attr:`~twin.scenarios.base.Scenario.read_when` (a flood's multiplier only for
the observed rain × k, the design storm's size for a design storm or an ensemble drawn around one — they
were always shown, whatever rain was chosen)."""


def shown_rules(family: str, territory=None) -> dict[str, tuple[dict[str, tuple], ...]]:
    """{field: the cases it is shown in} of ``family`` on ``territory``: :data:`SHOWN_WHEN`, and on a river
    with a discharge gauge the design storm's duration and shape with its size (every storm of an ungauged
    river reads them, so the scenario cannot hide them; on a gauged one « Durée de la pluie de projet »
    stood beside an ensemble of analogs that never read it)."""
    rules = dict(SHOWN_WHEN.get(family, {}))
    if family == "flood" and territory is not None and "design_mm" in rules:
        from twin.scenarios.flood import has_flow_gauge  # noqa: PLC0415

        if has_flow_gauge(territory):
            rules.update({name: rules["design_mm"] for name in ("design_duration_h", "design_shape")})
    return rules


def shown_fields(family: str, values: dict, territory=None) -> dict[str, bool]:
    """{field: shown} of the fields of ``family`` that depend on others (:func:`shown_rules`), at the
    parameters ``values``."""
    return {name: any(all(values.get(on) in wanted for on, wanted in case.items()) for case in cases)
            for name, cases in shown_rules(family, territory).items()}


def split(family: str, names: list[str]) -> tuple[list[str], list[str]]:
    """(everyday, advanced) among the parameter ``names`` of ``family``, each in the given order."""
    everyday = set(EVERYDAY.get(family, ()))
    return [n for n in names if n in everyday], [n for n in names if n not in everyday]


# --- the fold ---------------------------------------------------------------------------------
class Fold(pn.viewable.Viewer):
    """Fields folded under a button « ▸ Hypothèses avancées » that unfolds them (« ▾ … »).

    A plain toggle button and a column, rather than Panel's Card: a click on the Card's title (not
    on its small chevron) left it folded in the browser.
    """

    collapsed = param.Boolean(default=True, doc="the fields are hidden")

    def __init__(self, *objects, title: str, **params):
        super().__init__(**params)
        self.title = title
        self.toggle = pn.widgets.Toggle(name=self._label(), value=not self.collapsed, button_type="light",
                                        css_classes=["advanced-toggle"], sizing_mode="stretch_width")
        self.body = pn.Column(*objects, visible=not self.collapsed, sizing_mode="stretch_width")
        self.toggle.param.watch(self._toggled, "value")
        self.param.watch(self._shown, "collapsed")
        self._layout = pn.Column(self.toggle, self.body, css_classes=["advanced-card"], sizing_mode="stretch_width",
                                 margin=(5, 0))

    def _label(self) -> str:
        return f"{'▸' if self.collapsed else '▾'} {self.title}"

    @property
    def objects(self) -> list:
        return self.body.objects

    def _toggled(self, event):
        self.collapsed = not event.new

    def _shown(self, event):
        self.body.visible = not self.collapsed
        self.toggle.param.update(name=self._label(), value=not self.collapsed)

    def __panel__(self):
        return self._layout


# --- variant names ------------------------------------------------------------------------------
def _hour(hhmm: str, lang: str) -> str:
    """« 23 h », « 7 h 30 » (French) or "23:00" (English) from "HH:MM"."""
    try:
        h, m = (int(x) for x in str(hhmm).split(":")[:2])
    except ValueError:
        return str(hhmm)
    if lang != "fr":
        return f"{h:02d}:{m:02d}"
    return f"{h} h" + (f" {m:02d}" if m else "")


def _window(a: str, b: str, lang: str) -> str:
    return f"{_hour(a, lang)}–{_hour(b, lang)}"


def _streets(streets: list, lang: str) -> str:
    from twin.app.street_label import street_label  # noqa: PLC0415

    # a part by its street and length (« Rue des Douves (tronçon de 22 m) »), not its node ids
    names = list(dict.fromkeys(street_label(s, lang, ends=False) for s in streets if str(s).strip()))
    if len(names) <= 2:
        return t("forms_name_and", lang).join(names)
    return t("forms_name_streets_more", lang, first=names[0], n=len(names) - 1)


def _lighting(rules: list, lang: str) -> str:
    parts = []
    try:
        for rule in rules or []:
            if rule.get("zone") != {"all": True}:
                continue
            s = rule.get("schedule") or {}
            for a, b, *_ in s.get("off_windows") or []:
                parts.append(t("forms_name_off", lang, window=_window(a, b, lang)))
            for a, b, level in s.get("dimming") or []:
                level_pct = f"{float(level) * 100:g}"  # exact (12.25 %), « 12,25 % » on the French page
                parts.append(t("forms_name_dim", lang, level=level_pct.replace(".", ",") if lang == "fr" else level_pct,
                               window=_window(a, b, lang)))
        # the places kept lit, and a zone drawn on the map: said apart (a zone's variant was named as the
        # places' one, two variants under one name in the comparison)
        kept = [key for key in ("near", "polygon") if any(key in (r.get("zone") or {}) for r in rules or [])]
    except (AttributeError, TypeError, ValueError):  # rules from an expert's file the form cannot read
        return t("forms_name_lighting_file", lang)
    said = "".join(t(f"forms_name_lit_{key}", lang) for key in kept)
    if not parts:
        return t("forms_name_lighting_unchanged", lang) if not kept else said[2].upper() + said[3:]
    text = ", ".join(parts)
    text = text[0].upper() + text[1:]
    return text + said


def _parsed_hours(text: str) -> tuple[int, int]:
    """[min] (start, end) of ``HH:MM-HH:MM`` (:func:`twin.timeutil.parse_hour_range`); ValueError when unread."""
    from twin.timeutil import HourRangeError, parse_hour_range  # noqa: PLC0415

    try:
        return parse_hour_range(text, "hours")
    except HourRangeError as exc:
        raise ValueError(str(exc)) from None


def works_name(params: dict, lang: str = "fr") -> str:
    """A roadworks run's name from its inputs: streets (or the drawn zone), how (capacity kept, one direction)
    and hours — « Travaux Rue des Douves, entre … (tronçon de 106 m), 7 h–19 h ». Three variants were saved
    « Travaux et déviations 19:00:44 », « 19:01:27 », « 19:02:15 »: nothing in the comparison told them apart."""
    where = _streets(list(params.get("streets") or []), lang)
    if params.get("polygon"):
        where = t("forms_name_and", lang).join(x for x in (where, t("forms_name_works_zone", lang)) if x)
    factor = float(params.get("capacity_factor") or 0.0)
    how = (t("forms_name_works_capacity", lang, pct=round(100 * factor)) if factor > 0 else "") + \
        (t("forms_name_works_no_residents", lang) if factor == 0 and params.get("residents_access") is False else "") + \
        (t("forms_name_works_one_way", lang) if params.get("one_direction") else "")
    a, _, b = str(params.get("hours") or "").partition("-")
    when = f", {_window(a, b, lang)}" if b else ""
    signed = t("forms_name_works_detour", lang) if params.get("detour") else ""
    rest = how + when + signed  # never cut: what tells two variants of the same streets apart
    room = max(80 - len(t("forms_name_works", lang, streets="")) - len(rest), 20)
    where = where or "—"
    return t("forms_name_works", lang, streets=where if len(where) <= room else where[:room - 1] + "…") + rest


def variant_name(scenario, lang: str = "fr") -> str | None:
    """A name for ``scenario``'s variant made from its inputs, in ``lang``; None for a family whose
    model names its variant itself (no ``variant_name`` parameter)."""
    family = scenario.family
    if "variant_name" not in scenario.param:
        return None
    if family == "street-closure":
        streets = _streets(scenario.streets, lang)
        return t("forms_name_closure", lang, streets=streets) if streets else t("forms_name_closure_none", lang)
    if family == "lighting":
        name = _lighting(scenario.rules, lang)
        if getattr(scenario, "led_in_variant", False):  # the proposal is LED: its name says so
            name = t("forms_name_led_only", lang) if name == t("forms_name_lighting_unchanged", lang) \
                else name + t("forms_name_led_also", lang)
        return name[:80]
    if family == "bins":
        from twin.app.forms import option_label  # noqa: PLC0415 - forms imports the catalogue's users

        # The name is made before the run checks its inputs: a day out of 0..6 is written as typed
        # (the run then refuses it with its own message).
        days = ", ".join(t(f"forms_day_{d}", lang) if type(d) is int and 0 <= d <= 6 else str(d)
                         for d in sorted(scenario.round_weekdays))
        name = t("forms_name_bins", lang, policy=option_label("policy", scenario.policy, lang),
                 days=days or t("forms_name_no_day", lang))
        # what the variant buys or adds besides its rounds (5 compacting bins on today's fixed days were
        # named as today's situation, and lost to it by 29 750 € with no reason in sight)
        extras = [t(key, lang, n=n) for key, n in (("forms_name_bins_compacting", scenario.compacting_bins),
                                                   ("forms_name_bins_added", scenario.add_best
                                                    + len(scenario.add_points or [])))
                  if type(n) is int and n > 0]
        if not getattr(scenario, "sensors_fitted", True) and scenario.policy in ("threshold", "predictive"):
            extras.append(t("forms_name_bins_sensors_bought", lang))  # 0 € or N × 250 €: two names
        return name + "".join(f" + {x}" for x in extras)
    if family == "parking":
        streets = _streets(scenario.remove_streets, lang)
        hours = str(scenario.remove_hours or "")
        try:  # the whole day however written (00:00-24:00, 0:00-24:00): no hours in the name
            whole_day = not hours or _parsed_hours(hours) == (0, 1440)
        except ValueError:
            whole_day = False  # the run refuses it with its own message; the name says it as typed
        when = "" if whole_day else t("forms_name_parking_hours", lang, hours=hours.replace("-", "–"))
        if streets or scenario.remove_zone:  # the hours too: one street all day and 08:00–12:00 shared a name
            where = streets or t("forms_name_parking_zone", lang)
            return (t("forms_name_parking_works", lang, streets=where) + when)[:80]
        if scenario.close_car_parks:
            return t("forms_name_parking_closed", lang, names=", ".join(scenario.close_car_parks))[:80]
        if scenario.add_car_park.get("near"):
            return t("forms_name_parking_new", lang, near=scenario.add_car_park["near"],
                     spaces=scenario.add_car_park.get("capacity", "?"))[:80]
        if scenario.car_park_prices or scenario.street_prices:
            return t("forms_name_parking_prices", lang)
        if scenario.sensor_share or scenario.guidance_share:
            return t("forms_name_parking_sensors", lang, sensors=round(100 * scenario.sensor_share),
                     guided=round(100 * scenario.guidance_share))
        return t("forms_name_parking", lang)
    if family == "water-break":
        street = scenario.broken_street or scenario.broken_pipe
        return (t("forms_name_water_break", lang, street=street) if street else t("forms_name_water_break_none", lang))[:80]
    if family == "water-pressure":
        if scenario.night_pressure_m is None:
            return t("forms_name_water_pressure_none", lang)
        return t("forms_name_water_pressure", lang, pressure=fmt_number(scenario.night_pressure_m, lang),
                 hours=scenario.night_hours.replace("-", "–"))[:80]
    if family == "water-meters":
        return (t("forms_name_water_meters", lang, n=scenario.districts) if scenario.districts
                else t("forms_name_water_meters_auto", lang))
    return None
