"""Which of a family's fields an elected official sets, the number sliders' format, and the name a
variant gets from its inputs (issue 17: one person alone, in French, on a 1024×768 projector).

* :data:`EVERYDAY` — per family, the fields that say *what the variant does* (the streets, the hours,
  the schedule, the round days…), shown first; every other field (prices, emission factors, model
  constants, ensemble sizes, seeds) goes in the collapsed « Hypothèses avancées » card, where an
  expert finds it. A field not listed is advanced: a parameter added to a model does not push
  « Lancer » further down the page.
* :func:`slider_spec` — a decimal slider's step and its value written with the page's decimal mark
  (« 0,20 » in French, Bokeh's own format writes "0.20").
* :func:`variant_name` — a variant named in the page's language from its inputs (« Fermeture Quai
  Saint-Jacques », « Extinction 23 h–5 h ») instead of the model's English default ("closed",
  "schedule").
"""

from __future__ import annotations

import math

import panel as pn
from bokeh.models import NumeralTickFormatter

from twin.app.i18n import t

EVERYDAY: dict[str, tuple[str, ...]] = {
    "street-closure": ("streets", "destination"),
    # offset_min: when the lamps come on after sunset is a choice of the council, not a constant
    "lighting": ("rules", "baseline_rules", "led_retrofit", "offset_min"),
    "bins": ("policy", "round_weekdays", "threshold_pct", "baseline_weekdays", "trucks", "add_best",
             "compacting_bins"),
    "roadworks": ("streets", "hours", "capacity_factor", "one_direction", "detour", "day_method"),
    "heating": ("occupied_setpoint_c", "unoccupied_setpoint_c", "empty_setpoint_c", "setpoint_delta_c", "preheat_h"),
    # the rain and its size; the storm's shape, the ensemble and the catchment are the hydrologist's
    "flood": ("forecast_time", "horizon_h", "rain", "scale", "design_mm", "design_duration_h"),
    "flood-detours": ("flood", "hours"),
}


def split(family: str, names: list[str]) -> tuple[list[str], list[str]]:
    """(everyday, advanced) among the parameter ``names`` of ``family``, each in the given order."""
    everyday = set(EVERYDAY.get(family, ()))
    return [n for n in names if n in everyday], [n for n in names if n not in everyday]


# --- sliders ------------------------------------------------------------------------------------
MAX_DECIMALS = 4
STEPS_PER_RANGE = 200  # the step is the power of ten nearest to range / 200: 0,01 € on a 0–5 € price


def decimals(x: float) -> int:
    """Decimals needed to write ``x`` exactly (at most :data:`MAX_DECIMALS`): 0.2 → 1, 0.053 → 3."""
    for d in range(MAX_DECIMALS + 1):
        if abs(round(x, d) - x) < 1e-9:
            return d
    return MAX_DECIMALS


def slider_spec(bounds: tuple[float, float], default: float | None, lang: str = "fr") -> dict:
    """The ``step`` and ``format`` of a decimal slider over ``bounds`` whose default is ``default``.

    Step: a power of ten, about 1/:data:`STEPS_PER_RANGE` of the range but fine enough to hit the
    default (a price of 0,053 €/kWh stays reachable), never finer than 10⁻⁴. Format: that many
    decimals with the page's decimal mark (numbro's ``fr``: « 0,20 », « 1 000 »)."""
    low, high = bounds
    span = max(float(high) - float(low), 1e-12)
    d = max(0, round(-math.log10(span / STEPS_PER_RANGE)))
    if default is not None and math.isfinite(default):
        d = max(d, decimals(float(default)))
    d = min(d, MAX_DECIMALS)
    # numbro's own languages (a NumeralTickFormatter is drawn by Bokeh's code: the page's Content-Security-
    # Policy refuses the script a CustomJSTickFormatter would load)
    fmt = NumeralTickFormatter(format="0,0" + ("." + "0" * d if d else ""), language="fr" if lang == "fr" else "en-gb")
    return {"type": NumberSlider, "step": 10.0 ** -d, "format": fmt}


class NumberSlider(pn.widgets.FloatSlider):
    """Panel's decimal slider whose Bokeh formatter is made anew for each page that draws it: a
    formatter is a Bokeh model, and one model belongs to one document (Panel passed the widget's own
    to every document: the second one refused it, "already in a doc")."""

    def _process_param_change(self, params):
        params = super()._process_param_change(params)
        fmt = params.get("format")
        if isinstance(fmt, NumeralTickFormatter):
            params["format"] = NumeralTickFormatter(format=fmt.format, language=fmt.language)
        return params


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
    names = [str(s) for s in streets if str(s).strip()]
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
                parts.append(t("forms_name_dim", lang, level=f"{float(level) * 100:g}", window=_window(a, b, lang)))
        kept = [r for r in rules or [] if "near" in (r.get("zone") or {}) or "polygon" in (r.get("zone") or {})]
    except (AttributeError, TypeError, ValueError):  # rules from an expert's file the form cannot read
        return t("forms_name_lighting_file", lang)
    if not parts:
        return t("forms_name_lighting_unchanged" if not kept else "forms_name_lighting_kept", lang)
    text = ", ".join(parts)
    text = text[0].upper() + text[1:]
    return text + (t("forms_name_lit_near", lang) if kept else "")


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
        return _lighting(scenario.rules, lang)[:80]
    if family == "bins":
        from twin.app.forms import option_label  # noqa: PLC0415 - forms imports the catalogue's users

        days = ", ".join(t(f"forms_day_{d}", lang) for d in sorted(scenario.round_weekdays))
        return t("forms_name_bins", lang, policy=option_label("policy", scenario.policy, lang),
                 days=days or t("forms_name_no_day", lang))
    return None
