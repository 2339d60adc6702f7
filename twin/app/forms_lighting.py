"""The lighting schedule form (issue 17): the variant's ``rules`` in plain French, no JSON.

Rows a person reads as sentences, each producing one rule in the model's format
(:mod:`twin.scenarios.lighting`; schedules are :class:`twin.models.lighting.Schedule` fields):

* « Éteindre de [23:00] à [05:00] » and « Abaisser à [50] % de [22:00] à [06:00] » — one rule on
  every lamp, ``{"zone": {"all": true}, "schedule": {"off_windows": [[a, b]], "dimming": [[a, b, level]]}}``
  (the level a fraction of full power; an off window inside a dimming one wins, as the model says);
* « Garder allumé toute la nuit près de : [gare] [écoles] … rayon [150] m » — the place categories the
  territory has, ``{"zone": {"near": {"category": [...], "radius_m": R}}, "schedule": {…all night}}``;
* zones drawn on the map (the builder's "Utiliser la zone dessinée"), kept lit:
  ``{"zone": {"polygon": WKT}, "schedule": {…all night}}``.

Rules applied in that order, a later one overriding an earlier one for its lamps. Rules the form
cannot show (from an expert's file: highway classes, cabinets, weekend windows, events…) are kept
as they are, the form saying so, until the person chooses to replace them with the form's.
"""

from __future__ import annotations

import html
import math

import panel as pn
import param
from panel.widgets.base import CompositeWidget

from twin.app.forms import INVALID_CSS, FileValueChoice, half_hours, hours_problem, option_label
from twin.app.forms_number import NumberBox
from twin.app.i18n import t
from twin.app.param_text import number_text
from twin.models.lighting import window_in_daylight, window_spans_the_day
from twin.scenarios.lighting import NEAR_RADIUS_MAX_M

DEFAULTS = {"off": ("23:00", "05:00"), "dim": ("22:00", "06:00", 50.0), "keep": (["station"], 150.0)}
FIRST_PLACES = ("station", "school", "sport", "townhall")
WRAP_CSS = ".bk-input-group { display: flex; flex-wrap: wrap; column-gap: 10px; }"  # the column is 380 px wide
ALL_NIGHT_KEYS = {"name"}  # a schedule with nothing but a name lights all night
CHECK_W = 100  # the rules' check boxes, one width: their hours line up under each other (px)
def in_daylight_all_year(a: str, b: str) -> bool:
    """The form's ``a``–``b`` (HH:MM) in broad daylight all year: :func:`twin.models.lighting.window_in_daylight`."""
    return bool(a) and bool(b) and window_in_daylight(a, b)


def spans_the_day(a: str, b: str) -> bool:
    """The form's ``a``–``b`` (HH:MM) running through the day: :func:`twin.models.lighting.window_spans_the_day`."""
    return bool(a) and bool(b) and window_spans_the_day(a, b)


def _is_all_night(schedule) -> bool:
    return isinstance(schedule, dict) and set(schedule) <= ALL_NIGHT_KEYS


def _pair(w) -> bool:
    return isinstance(w, (list, tuple)) and all(isinstance(x, str) for x in w[:2])


def read_rules(rules, categories) -> dict | None:
    """What the form shows for ``rules``: {off: (a, b) | None, dim: (a, b, percent) | None,
    keep: (categories, radius_m) | None, zones: [polygon rules]}; None when the form cannot show them."""
    state = {"off": None, "dim": None, "keep": None, "zones": []}
    rest = list(rules or [])
    try:
        if rest and rest[0].get("zone") == {"all": True}:
            s = rest[0].get("schedule")
            if not isinstance(s, dict) or set(s) - {"name", "off_windows", "dimming"}:
                return None
            off, dim = s.get("off_windows") or [], s.get("dimming") or []
            if len(off) > 1 or len(dim) > 1 or not (off or dim):
                return None
            if off:
                if not (_pair(off[0]) and len(off[0]) == 2):
                    return None
                state["off"] = (off[0][0], off[0][1])
            if dim:
                if not (_pair(dim[0]) and len(dim[0]) == 3 and isinstance(dim[0][2], (int, float))):
                    return None
                state["dim"] = (dim[0][0], dim[0][1], float(dim[0][2]) * 100.0)
            rest = rest[1:]
        if rest and set(rest[0].get("zone", {})) == {"near"} and _is_all_night(rest[0].get("schedule")):
            near = rest[0]["zone"]["near"]
            cats = near.get("category") if isinstance(near, dict) else None
            if not isinstance(cats, list) or set(near) - {"category", "radius_m"} or not set(cats) <= set(categories):
                return None
            state["keep"] = (list(cats), float(near.get("radius_m", 100.0)))
            rest = rest[1:]
        for r in rest:
            z = r.get("zone", {})
            if set(r) != {"zone", "schedule"} or not set(z) <= {"polygon", "crs"} or "polygon" not in z \
                    or z.get("crs", "EPSG:4326") != "EPSG:4326" or not _is_all_night(r["schedule"]):
                return None
            state["zones"].append(r)
    except (AttributeError, TypeError):
        return None
    return state


def summary(rules, lang: str = "fr", limit: int = 3) -> str:
    """A short account of rules the form cannot show: each rule's zone kind and schedule name."""
    parts = []
    for r in rules[:limit]:
        zone = ", ".join(sorted(r.get("zone", {}))) if isinstance(r, dict) and isinstance(r.get("zone"), dict) else "?"
        s = r.get("schedule", {}) if isinstance(r, dict) else {}
        name = s.get("name", "?") if isinstance(s, dict) else "?"
        parts.append(f"{zone} → {name}")
    return "; ".join(parts) + (" …" if len(rules) > limit else "")


class LightingForm(CompositeWidget):
    """The variant's lighting rules as a form; value: the ``rules`` list of the model."""

    value = param.List(default=[], item_type=dict, doc="the rules (zone → schedule), in order")
    description = param.String(default=None, allow_None=True, doc="help text under the label")
    lang = param.Selector(default="fr", objects=["fr", "en"])
    categories = param.List(default=[], doc="the place categories the territory has (offered near which to keep lit)")
    error = param.String(default="", doc="why the form cannot give valid rules ('' when it can)")
    advanced = param.Boolean(default=False, doc="the rules shown cannot be shown by the form (kept as they are)")
    _composite_type = pn.Column

    def __init__(self, **params):
        super().__init__(**params)
        L = self.lang
        self._syncing = False
        self._head = pn.pane.HTML("", margin=(0, 10), sizing_mode="stretch_width")
        hh, hh_end = half_hours(), half_hours(True)

        def times(a, b):
            return (pn.widgets.Select(label=t("forms_from", L), options=list(hh), value=a, width=75,
                                      stylesheets=[INVALID_CSS]),
                    pn.widgets.Select(label=t("forms_to", L), options=list(hh_end), value=b, width=75,
                                      stylesheets=[INVALID_CSS]))
        self.off_on = pn.widgets.Checkbox(label=t("forms_light_off", L), value=False, css_classes=["light-off"],
                                          width=CHECK_W)
        self.off_a, self.off_b = times(*DEFAULTS["off"])
        self.dim_on = pn.widgets.Checkbox(label=t("forms_light_dim", L), value=False, css_classes=["light-dim"],
                                          width=CHECK_W)
        self.dim_level = NumberBox(label=t("forms_light_dim_unit", L), value=DEFAULTS["dim"][2],
                                               start=None, end=None, step=5, width=95, stylesheets=[INVALID_CSS])
        self.dim_a, self.dim_b = times(*DEFAULTS["dim"][:2])
        self.keep_on = pn.widgets.Checkbox(label=t("forms_light_keep", L), value=False, css_classes=["light-keep"])
        # the places the model counts as sensitive first (USE_WINDOWS), then the others, most common first
        cats = sorted(self.categories, key=lambda c: (c not in FIRST_PLACES, FIRST_PLACES.index(c)
                                                       if c in FIRST_PLACES else 0))
        self.keep_cats = pn.widgets.CheckBoxGroup(
            options={option_label("near", c, L): c for c in cats}, sizing_mode="stretch_width",
            value=[c for c in DEFAULTS["keep"][0] if c in cats], inline=True, css_classes=["light-places"],
            stylesheets=[WRAP_CSS, INVALID_CSS])
        self.keep_radius = NumberBox(label=t("forms_light_radius", L), value=DEFAULTS["keep"][1],
                                                 start=None, end=None, step=10, width=120, stylesheets=[INVALID_CSS])
        self._zones: list[dict] = []
        self.zones_note = pn.pane.HTML("", visible=False, margin=(0, 10))
        self.zones_clear = pn.widgets.Button(label=t("forms_light_zones_clear", L), button_type="light", visible=False)
        self.zones_clear.on_click(self._clear_zones)
        self.advanced_note = pn.pane.HTML("", visible=False, margin=(0, 10), css_classes=["advanced-rules"],
                                          sizing_mode="stretch_width")
        self.replace = pn.widgets.Button(label=t("forms_light_replace", L), button_type="light", visible=False)
        self.replace.on_click(self._replace)
        self._note = pn.pane.HTML("", margin=(0, 10), visible=False)
        self._rows = pn.Column(
            pn.Row(self.off_on, self.off_a, self.off_b),
            # the dimming's level, then its hours under them: one row overflowed the 380 px builder
            pn.Row(self.dim_on, self.dim_level), pn.Row(pn.Spacer(width=CHECK_W, margin=(5, 10)), self.dim_a, self.dim_b),
            self.keep_on, self.keep_cats, self.keep_radius,
            # the note above its button: side by side, the button ran out of the 380 px builder over the results
            self.zones_note, self.zones_clear, self._note, sizing_mode="stretch_width")
        self._composite[:] = [self._head, self.advanced_note, self.replace, self._rows]
        self._label()
        self._show_value()
        self.param.watch(lambda e: self._label(), ["label", "description"])
        self.param.watch(lambda e: self._show_value(), "value")
        self.param.watch(self._classes, "css_classes")
        for w in (self.off_on, self.off_a, self.off_b, self.dim_on, self.dim_level, self.dim_a, self.dim_b,
                  self.keep_on, self.keep_cats, self.keep_radius):
            w.param.watch(self._edited, "value")

    # --- shown ---------------------------------------------------------------------------------
    def _label(self):
        help_ = f"<br><small>{html.escape(self.description)}</small>" if self.description else ""
        self._head.object = f"<div class='bk-input-group'><label>{html.escape(self.label or '')}</label>{help_}</div>"

    def _classes(self, event):
        """The builder marks refused rules by a class: the inputs that make them so are outlined (only
        those: a wrong dimming level outlined the valid switch-off hours too), every input when the
        refusal is not the form's own."""
        refused = "twin-invalid" in event.new
        culprits = getattr(self, "_culprits", ())
        for w in (self.off_a, self.off_b, self.dim_level, self.dim_a, self.dim_b, self.keep_cats, self.keep_radius):
            mark = refused and (not culprits or w in culprits)
            classes = [c for c in w.css_classes if c != "twin-invalid"] + (["twin-invalid"] if mark else [])
            if classes != list(w.css_classes):
                w.css_classes = classes

    def _set_time(self, w, v):
        if v not in w.options:  # a file's 23:15: shown, not rounded
            w.options = sorted([*w.options, v])
        w.value = v

    def _show_value(self):
        if self._syncing:
            return
        state = read_rules(self.value, self.categories)
        self._syncing = True
        try:
            self.advanced = state is None
            self.advanced_note.param.update(visible=self.advanced, object="" if not self.advanced else
                                            "<p>" + html.escape(t("forms_light_advanced", self.lang, n=len(self.value),
                                                                  summary=summary(self.value, self.lang))) + "</p>")
            self.replace.visible = self.advanced
            self._rows.visible = not self.advanced
            if state is None:
                self.error = ""
                return
            self.off_on.value = state["off"] is not None
            if state["off"]:
                self._set_time(self.off_a, state["off"][0])
                self._set_time(self.off_b, state["off"][1])
            self.dim_on.value = state["dim"] is not None
            if state["dim"]:
                self._set_time(self.dim_a, state["dim"][0])
                self._set_time(self.dim_b, state["dim"][1])
                self.dim_level.value = round(state["dim"][2], 6)
            self.keep_on.value = state["keep"] is not None
            if state["keep"]:
                self.keep_cats.value = list(state["keep"][0])
                self.keep_radius.value = state["keep"][1]
            self._zones = list(state["zones"])
            self._show_zones()
            self.error = self._problem() or ""
            self._note_empty()
        finally:
            self._syncing = False
            self._enable()

    def _show_zones(self):
        n = len(self._zones)
        self.zones_note.param.update(object=f"<small>{html.escape(t('forms_light_zones', self.lang, n=n))}</small>",
                                     visible=bool(n))
        self.zones_clear.visible = bool(n)

    def _note_empty(self):
        """The note under the rows: no rule at all, else a window in broad daylight or one running
        through the whole day (a warning, not a refusal: the run is allowed and shows what it does)."""
        empty = not (self.off_on.value or self.dim_on.value or self.keep_on.value or self._zones)
        windows = [(what, a, b) for on, what, a, b in (
            (self.off_on.value, "forms_light_off", self.off_a.value, self.off_b.value),
            (self.dim_on.value, "forms_light_dim", self.dim_a.value, self.dim_b.value)) if on]
        daylight = [(key, what, a, b) for key, test in (("forms_light_daylight", in_daylight_all_year),
                                                          ("forms_light_whole_day", spans_the_day))
                    for what, a, b in windows if test(a, b)]
        # a dimming through the day leaves the lamps lit, at full power, the rest of the night
        daylight = [(f"{key}_dim" if key == "forms_light_whole_day" and what == "forms_light_dim" else key, what, a, b)
                    for key, what, a, b in daylight]
        if empty:
            text = t("forms_light_nothing", self.lang)
        elif daylight:
            key, what, a, b = daylight[0]
            text = t(key, self.lang, what=t(what, self.lang), a=a, b=b)
        self._note.param.update(object=f"<small>{html.escape(text)}</small>" if empty or daylight else "",
                                visible=bool(empty or daylight))

    # --- edited --------------------------------------------------------------------------------
    def _problem(self) -> str | None:
        """Why the rows cannot make valid rules, or None; the inputs at fault in ``_culprits``."""
        L = self.lang
        self._culprits = ()
        if self.off_on.value:
            why = hours_problem(self.off_a.value, self.off_b.value, True, L)
            if why:
                self._culprits = (self.off_a, self.off_b)
                return t("forms_light_window", L, what=t("forms_light_off", L), why=why)
        if self.dim_on.value:
            level = self.dim_level.value
            if level is None or not math.isfinite(level) or not 0 <= level <= 100:
                self._culprits = (self.dim_level,)
                return t("forms_light_level_bad", L, value="—" if level is None or math.isnan(level) else number_text(level, L))
            why = hours_problem(self.dim_a.value, self.dim_b.value, True, L)
            if why:
                self._culprits = (self.dim_a, self.dim_b)
                return t("forms_light_window", L, what=t("forms_light_dim", L), why=why)
        if self.keep_on.value:
            if not self.keep_cats.value:
                self._culprits = (self.keep_cats,)
                return t("forms_light_no_place", L)
            r = self.keep_radius.value
            if r is None or not math.isfinite(r) or not 0 < r <= NEAR_RADIUS_MAX_M:
                self._culprits = (self.keep_radius,)
                return t("forms_light_radius_bad", L, value="—" if r is None or math.isnan(r) else number_text(r, L),
                         max=number_text(NEAR_RADIUS_MAX_M, L))
        return None

    def rules(self) -> list[dict]:
        """The rules the rows say, in the model's format (see the module's docstring)."""
        L, out, schedule, names = self.lang, [], {}, []
        if self.off_on.value:
            a, b = self.off_a.value, self.off_b.value
            schedule["off_windows"] = [[a, b]]
            names.append(t("forms_light_name_off", L, a=a, b=b))
        if self.dim_on.value:
            a, b, level = self.dim_a.value, self.dim_b.value, float(self.dim_level.value)
            schedule["dimming"] = [[a, b, level / 100.0]]
            names.append(t("forms_light_name_dim", L, level=f"{level:g}", a=a, b=b))
        if schedule:
            out.append({"zone": {"all": True}, "schedule": {"name": ", ".join(names), **schedule}})
        if self.keep_on.value:
            cats = [c for c in self.keep_cats.options.values() if c in self.keep_cats.value]  # the form's order
            out.append({"zone": {"near": {"category": cats, "radius_m": float(self.keep_radius.value)}},
                        "schedule": {"name": t("forms_light_name_all_night", L)}})
        return out + self._zones

    def _enable(self):
        """A line's fields are greyed while its box is unticked: « gare » ticked under an unticked
        « Garder allumé près de » read as kept lit when it was not."""
        for box, fields in ((self.off_on, (self.off_a, self.off_b)),
                            (self.dim_on, (self.dim_level, self.dim_a, self.dim_b)),
                            (self.keep_on, (self.keep_cats, self.keep_radius))):
            for w in fields:
                w.disabled = not box.value

    def _edited(self, event=None):
        self._enable()
        if self._syncing or self.advanced:
            return
        self._note_empty()
        why = self._problem()
        self.error = why or ""
        if why is None:
            self._syncing = True
            try:
                self.value = self.rules()
            finally:
                self._syncing = False

    def _clear_zones(self, event=None):
        self._zones = []
        self._show_zones()
        self._edited()

    def _replace(self, event=None):
        """Drop the file's rules for the form's (its rows as last shown)."""
        self.advanced = False
        self._zones = []
        self.advanced_note.visible = self.replace.visible = False
        self._rows.visible = True
        self._show_zones()
        self._edited()


class BaselineChoice(FileValueChoice):
    """The current lighting: "all night" (``[]``), or the rules a file gave (kept as they are)."""
