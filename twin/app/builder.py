"""The scenario builder's panel: the family choice, the fields generated from its ``param``
declaration, the streets and zone taken from the map, and the message above the results.

The fields are plain inputs (:mod:`twin.app.forms`, :mod:`twin.app.forms_lighting`): streets picked
among the territory's names, hours « de … à … », days as buttons, the lighting schedule as French
sentences, selector options in the page's language — no Python or JSON to type (a scenario file
stays the expert's way to give anything else).

A field whose value its declaration refuses keeps the value typed, is marked, and blocks "Lancer"
with a message naming it and why (:mod:`twin.app.fields`). A mixin of :class:`twin.app.main.TwinApp`:
it reads and sets the page's widgets, built by :meth:`BuilderPanel._build_builder`.
"""

from __future__ import annotations

import html
from functools import partial

import panel as pn
import param

from twin.app.cards import CARDS_CSS as PAGE_CSS
from twin.app.builder_fields import Fold, shown_fields, shown_rules, split, variant_name
from twin.app.cards import message_html
from twin.app.fields import DictBox, ListBox, unreadable
from twin.app.list_text import item_kind
from twin.app.forms import INVALID_CSS  # a refused field is outlined; the note under "Lancer" says why
from twin.app.forms import (HOUR_PARAMS, STREET_PARAMS, WEEKDAY_INTS, WEEKDAY_LISTS, AlertLevels, FileValueChoice,
                             car_park_names, pipe_streets,
                            HourRange, StreetChoice, StreetPicker, WeekdayPicker, field_label, help_text, river_names,
                            kerb_streets, selector_options, street_names, weekday_options)
from twin.app.forms_lighting import BaselineChoice, LightingForm
from twin.app.forms_car_park import NewCarPark
from twin.app.forms_prices import PriceList
from twin.app.forms_number import NumberBox, NumberSlider, slider_decimals
from twin.app.fields import refusal as field_refusal
from twin.app.forms_time import LOCAL_TIME_PARAMS, LocalTimeBox
from twin.app.i18n import NBSP, family_label, fmt_number, list_example, t
from twin.app.uploads import CONTENT_KEYS, server_file_parameters
from twin.app.street_label import street_label
from twin.territory.street_parts import merge_streets, part_token

# families offered in the builder, quickest first; each is a twin.scenarios family
FAMILIES = ["street-closure", "lighting", "bins", "roadworks", "heating", "flood", "flood-detours", "parking",
            "water-break", "water-pressure", "water-meters"]
INVENTORY_FAMILIES = ("lighting",)  # families whose run uses the lamps an inventory replaces
MAX_SLIDER_STEPS = 200
"""A whole-number parameter with more values than this is typed in a box, not picked on a slider."""
# the page's starting values where they differ from the scenario's own: a street already chosen, the water
# network's night pressure
QUICK = {"street-closure": {"streets": ["Quai Saint-Jacques"]},
         "roadworks": {"streets": ["Quai Saint-Jacques"]},
         # no run setting of its own (members, days, hours simulated, day method): the page's run and the CLI's
         # give the same figures for the same choices (a bins season of 56 days, parking over 07:00–19:00 and
         # roadworks hour by hour on the page gave other figures than a scenario file's)
         "water-break": {"broken_street": "Rue des Moulins"}, "water-pressure": {"night_pressure_m": 30.0}}


SHARE_PARAMS = frozenset({"capacity_factor", "guidance_share", "sensor_share", "occupancy_start", "break_area_share"})
"""Shares (0–1) whose slider writes them in per cent: « Capacité laissée : 50 % », not « 0,50 »."""


SLIDER_SPAN_PER_VALUE = 50
"""A decimal number whose range spans more than this many times its value is typed in a box: a pixel of
the slider would move it by a sixth of itself or more (a compacting bin's 0…1 000 000 €: one pixel took
5 950 € to 8 909 €, Istres' 6 500 € out of reach)."""
SLIDER_SPAN_AT_ZERO = 1000
"""… and one whose value is 0 when its range spans more than this (a valve's 0…100 000 €)."""


def coarse_slider(p, value) -> bool:
    """Whether a slider could not reach ``value``'s neighbours on the decimal parameter ``p``'s range (the
    builder asks with the declared default: a field is a box or a slider whatever the variant reopened)."""
    b = getattr(p, "bounds", None)
    if type(p) is not param.Number or not b or b[0] is None or b[1] is None or value is None:
        return False
    span = float(b[1]) - float(b[0])
    return span > SLIDER_SPAN_AT_ZERO if value == 0 else span / abs(float(value)) > SLIDER_SPAN_PER_VALUE


STREET_FIELDS = {"street-closure": "streets", "roadworks": "streets", "parking": "remove_streets"}
"""The field of the streets a family acts on: switching between them keeps the streets chosen (a planner
who picked a street for a closure and switched to roadworks found the default street back)."""


def streets_carried(scenario, family: str, names: list[str] | None = None) -> dict:
    """{field: streets} of ``scenario`` for the ``family`` switched to ({} when either has no streets or
    none were chosen). Parking takes the territory's street ``names`` only (those with kerb spaces), as
    written there: an OSM way id picked on the map (a text), a name in another case (a closure takes both)
    or a street without kerb parking is left out, not carried into a run it fails."""
    old_field = STREET_FIELDS.get(getattr(scenario, "family", None))
    new_field = STREET_FIELDS.get(family)
    if not old_field or not new_field:
        return {}
    known = set(names or ())
    streets = [s for s in getattr(scenario, old_field) or [] if family != "parking" or s in known]
    return {new_field: streets} if streets else {}


def user_errors():
    """The errors a user can cause (a bad parameter, a refused file): shown as a message in the page."""
    from twin.errors import USER_ERRORS  # noqa: PLC0415

    return USER_ERRORS



FIELD_NOTE_CSS = ":host { position: sticky; bottom: 60px; z-index: 20; background: #fff; }"
"""The refusal's note sticks right above « Lancer », whose band is 60 px high (twin.app.builder_run.RUN_BUTTON_CSS)."""

class BuilderPanel:
    """The builder's family, fields, map selection and message (a mixin of the page).

    Reads from the page: ``SCENARIOS``, ``lang``, ``territory``, ``street_src`` and ``map_sources``
    (the map), ``run_button`` and ``_waiting`` (the run cycle), the upload widgets and files.
    """

    def _build_builder(self, L: str):
        """The builder's widgets, labelled in language ``L``."""
        self.family = pn.widgets.Select(name=t("family", L),
                                        options={family_label(f, L): f for f in FAMILIES if f in self.SCENARIOS})
        self.family.param.watch(self._family_changed, "value")
        self.params_box = pn.Column(sizing_mode="stretch_width")
        # street names come from OSM (anyone can edit them): plain HTML, escaped — Markdown passes HTML through
        self.selection_text = pn.pane.HTML("", css_classes=["selection"])
        self.use_selection = pn.widgets.Button(name=t("use_selection", L), button_type="primary", button_style="outline")
        self.use_selection.on_click(self._use_selection)
        self.street_src.selected.on_change("indices", self._selection_changed)
        self.use_zone = pn.widgets.Button(name=t("use_zone", L), button_type="light", css_classes=["use-zone"])
        self.use_zone.on_click(self._use_zone)
        self.invalid: dict[str, str] = {}  # parameter -> why the page refuses the value its field shows
        self.advanced: list[str] = []  # the fields folded in the « Hypothèses avancées » card
        self.advanced_card = None
        self._auto_name: str | None = None  # the variant's name the page made from its inputs (None: none made)
        # which field blocks "Lancer" and why, right above it: it sticks to the screen's bottom with the
        # button (under it, the reason sat below the screen while the greyed button stuck in sight)
        self.field_note = pn.pane.HTML("", visible=False, css_classes=["invalid-fields"], sizing_mode="stretch_width",
                                       stylesheets=[PAGE_CSS, FIELD_NOTE_CSS])
        # plain HTML, not a Markdown Alert: it changes at every run, and Markdown is parsed on the server
        self.message = pn.pane.HTML("", visible=False, css_classes=["message"], sizing_mode="stretch_width",
                                    stylesheets=[PAGE_CSS])
        # the cards shown are the last run's: once the form says something else, the page says so
        self.stale_note = pn.pane.HTML("", visible=False, css_classes=["stale-note"], sizing_mode="stretch_width",
                                       stylesheets=[PAGE_CSS])

    # --- the map's streets and zone, taken into the scenario -----------------------------------
    def _selected_streets(self) -> list[str]:
        names = [self.street_src.data["name"][i] or self.street_src.data["way"][i]
                 for i in self.street_src.selected.indices]
        return list(dict.fromkeys(names))

    def _partly_selected(self) -> list[tuple[str, float, float]]:
        """(street, its length [m], the length selected [m]) of each street selected on the map in part only:
        « Utiliser la sélection » takes their segments selected alone (:meth:`_selected_items`), and says so. A
        two-way segment, drawn once per direction, counts once."""
        data = self.street_src.data
        keys = [data["name"][i] or data["way"][i] for i in range(len(data["name"]))]
        chosen = set(self._selected_streets())

        def segment(i):  # "u-v-key": the two directions of a street segment are one
            u, v, *_ = str(data["edge"][i]).split("-")
            return min(u, v), max(u, v), data["way"][i]

        whole, picked = {}, {}
        for i, key in enumerate(keys):
            if key in chosen:
                whole.setdefault(key, {})[segment(i)] = float(data["length_m"][i])
        for i in self.street_src.selected.indices:
            picked.setdefault(keys[i], {})[segment(i)] = float(data["length_m"][i])
        return [(key, sum(whole[key].values()), sum(picked[key].values())) for key in picked
                if len(picked[key]) < len(whole[key])]

    def _selection_changed(self, attr, old, new):
        names = self._selected_streets()
        text = t('selected_streets', self.lang, names=', '.join(names) or '—')
        partly = self._partly_selected() if names else []
        if partly:
            L = self.lang
            said = ", ".join(t("selected_street_part", L, street=street_label(k, L),
                               whole=fmt_number(round(a), L), picked=fmt_number(round(b), L)) for k, a, b in partly)
            text += t("selected_streets_whole", L, streets=said)
        self.selection_text.object = f"<p>{html.escape(text)}</p>"

    def _selected_items(self) -> list[str]:
        """The map's selection as a scenario's streets: a street selected whole by its name (or way id), one
        selected in part by the segments clicked (« Rue des Douves #u-v », twin.territory.street_parts): a
        planner who clicked 50 m of Rue des Douves had its 340 m closed."""
        data = self.street_src.data
        partly = {key for key, _, _ in self._partly_selected()}
        items = []
        for i in self.street_src.selected.indices:
            key = data["name"][i] or data["way"][i]
            try:  # "u-v-key"; a node an editor drew (negative id, "-5-10-0") is no OSM node: the street whole
                u, v, *_ = str(data["edge"][i]).split("-")
                items.append(part_token(key, u, v) if key in partly else key)
            except ValueError:
                items.append(key)
        return list(dict.fromkeys(items))

    def _use_selection(self, event=None):
        names = self._selected_items()
        if not names:  # the button did nothing, without a word
            self._show(t("select_streets_first", self.lang), "warning")
        elif "streets" in self.scenario.param:
            # added to the streets already chosen: a planner who typed two and then clicked a third lost the
            # first two. The page's example street (QUICK), left as it was, is replaced, and the message says so
            before = list(self.scenario.streets or [])
            example = QUICK.get(self.family.value, {}).get("streets")
            if before and before == example:
                self.scenario.streets = merge_streets([], names)
                said, kind = t("selection_replaced_example", self.lang, example=", ".join(example)), "success"
            else:
                self.scenario.streets = merge_streets(before, names)
                added = len([n for n in self.scenario.streets if n not in before])
                said = t("selection_added_one" if added == 1 else "selection_added_many", self.lang, n=added) \
                    if added else t("selection_already", self.lang)
                kind = "success" if added else "info"
            self._show(said, kind)
            # said under the button too: the message above the results is off screen when the form is scrolled
            self.selection_text.object = message_html(said, kind)

    def zone_wkt(self) -> str | None:
        """The zone drawn on the map as a WGS84 WKT polygon, or None."""
        z = self.map_sources["zone"].data
        if not len(z["x"]):
            return None
        from pyproj import Transformer  # noqa: PLC0415
        from shapely.geometry import box  # noqa: PLC0415
        from shapely.ops import transform  # noqa: PLC0415

        x, y, w, h = (float(z[k][-1]) for k in ("x", "y", "width", "height"))
        tr = Transformer.from_crs(self.territory.crs, "EPSG:4326", always_xy=True)
        poly = transform(tr.transform, box(x - abs(w) / 2, y - abs(h) / 2, x + abs(w) / 2, y + abs(h) / 2))
        return poly.wkt

    def _use_zone(self, event=None):
        zone = self.zone_wkt()
        if zone is None:
            self._show(t("no_zone", self.lang), "warning")
            return
        if "polygon" in self.scenario.param:  # roadworks: every street inside
            self.scenario.param.update(polygon=zone, streets=[])
        elif "remove_zone" in self.scenario.param:  # parking: the kerb spaces of every street inside go
            self.scenario.remove_zone = zone
        elif "rules" in self.scenario.param:  # lighting: keep the drawn zone lit all night (named as the form names it)
            self.scenario.rules = [*self.scenario.rules, {"zone": {"polygon": zone},
                                                          "schedule": {"name": t("forms_light_name_all_night",
                                                                                 self.lang)}}]
        else:
            self._show(t("zone_not_used", self.lang, family=family_label(self.scenario.family, self.lang)), "warning")
            return
        self._show(t("zone_used", self.lang), "success")

    # --- family and fields ---------------------------------------------------------------------
    def _clear_unless_run_since(self, runs: int):
        """The results taken off, unless a run ended since ``runs`` were counted: a variant reopened from
        « Comparer » changes the form then runs at once, and its result could reach the page first."""
        if getattr(self, "runs", 0) == runs:
            self._clear_results()

    def _family_changed(self, event=None, values: dict | None = None):
        # the last run's result is not this form's: a flood's cards and its « et si » banner stayed
        # beside the lighting form (nor is it saved under the new family's name)
        self._ran = None  # no cards of this family: nothing to call stale (the old ones are being taken off)
        if getattr(self, "variant_name", None) is not None:  # a name typed for a lighting plan is not the works'
            self.variant_name.param.update(value="", placeholder=t("save_as_placeholder", self.lang))
        if getattr(self, "outcome_rows", None) or getattr(self, "last_outcome", None) is not None:
            self.outcome_rows = []
            self.last_outcome = None
            # under the page's document lock: the cards are a plain Bokeh model, and a saved variant
            # reopened from « Comparer » changes the family from a coroutine, which holds no lock
            self._on_page(self._clear_unless_run_since, getattr(self, "runs", 0))
            if self.message.visible:
                self.message.visible = False
        cls = self.SCENARIOS[self.family.value]
        if values is None:  # the user switched family: the streets they chose stay chosen
            values = {**QUICK.get(self.family.value, {}), **streets_carried(
                getattr(self, "scenario", None), self.family.value,
                kerb_streets(self.territory) if self.family.value == "parking" else street_names(self.territory))}
        self.scenario = cls(**values)
        self._auto_name = None
        self._name_variant()  # before its field is made: the field shows the French name
        # no widget for a path (the app opens no file a browser names) nor for a file's content (its
        # upload button sets it)
        names = [p for p in cls.param if p not in ("name",) and p not in CONTENT_KEYS
                 and not server_file_parameters({p: "x"})]
        labels = {p: {"name": field_label(p, cls.param[p].doc, self.lang)} for p in names}
        for p in names:  # a slider cannot show 1e-4 on a 1e-8…0.1 range (it reads "0"): a number box instead
            b = getattr(cls.param[p], "bounds", None)
            # a whole number of more than MAX_SLIDER_STEPS values neither (a seed's 0…4 294 967 295, a season's
            # 1…3 660 days, 27 compacting bins at the far left of 0…1 000): a box
            wide = isinstance(cls.param[p], param.Integer) and b and b[0] is not None and b[1] is not None \
                and b[1] - b[0] > MAX_SLIDER_STEPS
            if wide or isinstance(cls.param[p], param.Number) and b and b[0] and b[1] and b[0] > 0 and b[1] / b[0] > 1e4 \
                    or coarse_slider(cls.param[p], cls.param[p].default):
                # a whole number too in a box that takes decimals: a flood's members typed 2,5 is refused (the
                # field's rule), not read 25 (a whole-number box drops the comma's point as it is typed)
                labels[p]["type"] = NumberBox
            # a number that may be left unset (heating's calibration_year: None) cannot be a slider, which
            # must hold a value (Bokeh refused the page's update and the family's widgets never changed)
            if isinstance(cls.param[p], param.Number) and getattr(self.scenario, p) is None:
                labels[p]["type"] = NumberBox
            # a list or dictionary box says "(invalid)" in the page's language
            if isinstance(cls.param[p], (param.List, param.Dict)):
                labels[p].update(type=ListBox if isinstance(cls.param[p], param.List) else DictBox, lang=self.lang)
            # left empty, a value is the territory's own (a flood's gauges, catchment, alert levels): say so
            if "the territory's own" in (cls.param[p].doc or "") and getattr(self.scenario, p) in ("", None, [], {}):
                labels[p]["placeholder"] = self._territory_own(cls.family, p)
            labels[p].update(self._form_spec(cls, p))
            if labels[p].get("type") is ListBox:  # typed as a person writes a list, not as Python
                labels[p]["items"] = items = item_kind(p, cls.param[p])
                if items:  # how to type it, after the field's own help when it has some
                    how = t("list_help", self.lang, example=list_example(p, items, self.lang))
                    labels[p]["description"] = f"{labels[p]['description']} {how}" if labels[p].get("description") \
                        else how
            kind = labels[p].get("type") or pn.Param.widget_type(cls.param[p])
            if kind is pn.widgets.FloatInput:  # an emptied box read « NaN » (see NumberBox)
                labels[p]["type"] = kind = NumberBox
            if kind is pn.widgets.FloatSlider:  # Bokeh wrote "0.20": the page's decimal comma, a step reaching the default
                labels[p].update(type=NumberSlider, lang=self.lang, percent=p in SHARE_PARAMS)
                kind = NumberSlider
                # an excluded bound stays out of reach: the capacity slider went to « 1,00 », then refused it
                # (« doit être inférieur à 1 »); it stops a step before
                bounds, inclusive = cls.param[p].bounds, getattr(cls.param[p], "inclusive_bounds", (True, True))
                if bounds and None not in bounds and not all(inclusive):
                    step = 10.0 ** -slider_decimals(bounds, cls.param[p].default)
                    labels[p].update({k: v for k, v in (("start", bounds[0] + step), ("end", bounds[1] - step))
                                      if not inclusive[k == "end"]})
            if kind is pn.widgets.IntSlider and self.lang == "fr":
                # Bokeh writes "{title}: {value}"; French puts a no-break space before the colon
                labels[p]["name"] += NBSP
            if not (isinstance(kind, type) and "description" in kind.param):  # a checkbox has no help
                labels[p].pop("description")
        pane = pn.Param(self.scenario, parameters=names, show_name=False, sizing_mode="stretch_width", widgets=labels)
        self.invalid = {}
        self._guard_fields(pane, cls)
        self._fold_advanced(pane, cls.family, names)
        self._show_when(pane, cls.family)
        if cls.family == "roadworks":
            self._detour_avoids_works(pane)
        if cls.family == "bins":
            self.scenario.param.watch(self._fixed_rounds_keep_todays_days, "policy")
        self.params_box[:] = [pane]
        self.scenario.param.watch(self._name_variant, [p for p in names if p != "variant_name"])
        # every parameter, the uploaded calendar's content too (it has no field)
        self.scenario.param.watch(self._mark_stale, [p for p in cls.param if p not in ("name", "variant_name")])
        self._fields_changed()
        self.use_selection.visible = "streets" in cls.param
        self.use_zone.visible = "polygon" in cls.param or "rules" in cls.param or "remove_zone" in cls.param
        self.selection_text.visible = "streets" in cls.param
        takes_calendar = "booking_ics_text" in cls.param
        self.calendar_upload.visible = takes_calendar
        self.inventory_upload.visible = cls.family in INVENTORY_FAMILIES
        if takes_calendar and self.calendar and not values.get("booking_ics_text") and not self.scenario.booking_ics:
            self.scenario.booking_ics_text = self.calendar[1]  # the calendar the page shows as uploaded

    def _fold_advanced(self, pane, family: str, names: list[str]):
        """The everyday fields first, the others in a collapsed « Hypothèses avancées » card
        (:data:`twin.app.builder_fields.EVERYDAY`): « Lancer » stays near the top of the page. The
        pane keeps every widget (``pane._widgets``); only its layout changes."""
        everyday, self.advanced = split(family, [n for n in names if n in pane._widgets])
        widgets = pane._widgets
        if not self.advanced:
            self.advanced_card = None
            return
        helptext = pn.pane.HTML(f"<small>{html.escape(t('forms_advanced_help', self.lang))}</small>",
                                sizing_mode="stretch_width", margin=(0, 10))
        self.advanced_card = Fold(helptext, *(widgets[n] for n in self.advanced), title=t("forms_advanced", self.lang))
        pane.layout.objects = [*(widgets[n] for n in everyday), self.advanced_card]

    def _show_when(self, pane, family: str):
        """The fields that only matter for some value of another one shown with it
        (:func:`twin.app.builder_fields.shown_rules`)."""
        rules = shown_rules(family, self.territory)
        if not rules:
            return

        def apply(*events):
            for name, shown in shown_fields(family, self.scenario.param.values(), self.territory).items():
                if name in pane._widgets and pane._widgets[name].visible != shown:
                    pane._widgets[name].visible = shown

        apply()
        self.scenario.param.watch(apply, sorted({on for cases in rules.values() for case in cases for on in case}))

    def _detour_avoids_works(self, pane):
        """Roadworks: the signed detour's picker offers every street but those the works close both ways
        (a planner was offered the closed street as its own detour; the run refuses it, « que les travaux
        ferment »). A detour street already chosen stays offered, so that the picker never drops it."""
        detour = pane._widgets.get("detour")
        if detour is None or "streets" not in self.scenario.param:
            return
        every = street_names(self.territory)

        def apply(*events):
            sc = self.scenario
            closed = set(map(str, sc.streets)) if sc.capacity_factor == 0 and not sc.one_direction else set()
            chosen = set(map(str, detour.value or []))
            options = [s for s in every if s not in closed or s in chosen]
            if options != list(detour.options):
                detour.options = options
                detour._keep_values()  # OSM way ids and file names chosen stay shown

        apply()
        self.scenario.param.watch(apply, ["streets", "capacity_factor", "one_direction"])

    def _fixed_rounds_keep_todays_days(self, event):
        """Bins: fixed rounds chosen while the variant's round days are still the declaration's (every
        weekday) take today's days instead: a manager testing added bins on fixed rounds got 5 rounds a week
        against today's 3 (« +95,9 % » of cost, from the rounds, not the bins). Days the person set are kept."""
        sc = self.scenario
        if event.new == "fixed" and list(sc.round_weekdays) == list(type(sc).param["round_weekdays"].default) \
                and list(sc.round_weekdays) != list(sc.baseline_weekdays):
            sc.round_weekdays = list(sc.baseline_weekdays)
            # said, not done silently: « Jours de tournée » changed under the person's eyes (lun–ven → lun, mer, ven)
            from twin.app.param_text import param_value_text  # noqa: PLC0415

            self._show(t("forms_fixed_rounds_todays_days", self.lang,
                         days=param_value_text("bins", "round_weekdays", sc.round_weekdays, self.lang)), "info")

    def _name_variant(self, *events):  # a watcher: one event per parameter changed at once
        """Name the variant from its inputs in the page's language (« Fermeture Quai Saint-Jacques »,
        « Extinction 23 h–5 h ») while the name is the model's default or the page's own: a name the
        person typed, or a file gave, is kept."""
        if "variant_name" not in self.scenario.param:
            return
        current = self.scenario.variant_name
        if current not in ("", type(self.scenario).param["variant_name"].default, self._auto_name):
            return
        name = variant_name(self.scenario, self.lang)
        if name:
            self._auto_name = name
            if name != current:
                self.scenario.variant_name = name

    def _territory_own(self, family: str, p: str) -> str:
        """An empty field's placeholder: « selon le territoire (sa configuration) », with the value that
        will be used where the page can say it (a flood's issue time: the engineer found out which from
        the chart's title, three weeks before the demo's date)."""
        if family == "flood" and p == "forecast_time":
            from twin.scenarios.base import ScenarioError  # noqa: PLC0415
            from twin.scenarios.flood import catchment  # noqa: PLC0415
            from twin.timeutil import utc_text_to_local  # noqa: PLC0415

            try:  # the time the run will take (floored to the hour), on the page's clock
                t0 = catchment(self.territory, {})["forecast_time"]
            except ScenarioError:  # none, or an unreadable one: the run says which
                return t("territory_own", self.lang)
            return t("territory_own_time", self.lang, time=utc_text_to_local(f"{t0:%Y-%m-%d %H:%M}"))
        return t("territory_own", self.lang)

    def _form_spec(self, cls, p: str) -> dict:
        """The plain input of parameter ``p`` (:mod:`twin.app.forms`): no Python or JSON to type.

        Streets from the territory's names, hours as two time pickers, days as buttons, the lighting
        rules as a form, a selector's options in the page's language (values unchanged); the help text
        in the page's language (none rather than the declaration's English)."""
        decl, L = cls.param[p], self.lang
        spec: dict = {"description": help_text(p, decl.doc, L)}
        if p in STREET_PARAMS and isinstance(decl, param.List):
            names = kerb_streets(self.territory) if p == "remove_streets" else street_names(self.territory)
            spec.update(type=StreetPicker, options=names, lang=L, graph=self.territory.graphs["drive"],
                        required=p == "streets" and cls.family == "street-closure")
        elif p == "broken_street" and isinstance(decl, param.String):  # a street a pipe lies under
            spec.update(type=StreetChoice, options=["", *pipe_streets(self.territory)])
        elif p == "close_car_parks" and isinstance(decl, param.List):
            spec.update(type=StreetPicker, kind="car_park", options=car_park_names(self.territory), lang=L)
        elif p == "river_names" and isinstance(decl, param.List):
            spec.update(type=StreetPicker, kind="river", options=river_names(self.territory), lang=L)
        elif p in ("street_prices", "car_park_prices") and isinstance(decl, param.Dict):  # no dict to type
            kind = "street" if p == "street_prices" else "car_park"
            names = kerb_streets(self.territory) if kind == "street" else car_park_names(self.territory)
            spec.update(type=PriceList, lang=L, kind=kind, names=names)
        elif p == "add_car_park" and isinstance(decl, param.Dict):  # no dictionary to type either
            spec.update(type=NewCarPark, lang=L, names=street_names(self.territory))
        elif p == "alert_levels_m" and isinstance(decl, param.Dict):
            spec.update(type=AlertLevels, lang=L)
        elif p in LOCAL_TIME_PARAMS and isinstance(decl, param.String):  # UTC in the model, local on the page
            spec.update(type=LocalTimeBox)
        elif p in HOUR_PARAMS and isinstance(decl, param.String):
            spec.update(type=HourRange, lang=L, overnight=HOUR_PARAMS[p])
        elif p in WEEKDAY_LISTS and isinstance(decl, param.List):
            spec.update(type=WeekdayPicker, lang=L)
        elif p in WEEKDAY_INTS and isinstance(decl, param.Integer):
            spec.update(type=pn.widgets.Select, options=weekday_options(L))
        elif p == "rules" and cls.family == "lighting":
            spec.update(type=LightingForm, lang=L, categories=self._place_categories())
        elif p == "baseline_rules" and cls.family == "lighting":
            spec.update(type=BaselineChoice, lang=L)
        elif p == "flood" and cls.family == "flood-detours":  # the default forecast, a saved one, or a file's
            spec.update(type=FileValueChoice, lang=L, default_key="forms_flood_default", file_key="forms_flood_file",
                        choices=self._saved_floods())
        elif isinstance(decl, param.Selector):
            objects = list(decl.objects)
            if p == "destination":  # a place the territory has (the current one kept, say it is missing)
                have = set(self._place_categories())
                objects = [o for o in objects if o in have or o == getattr(self.scenario, p)]
            spec["options"] = selector_options(p, objects, L)
        return spec

    def _saved_floods(self) -> dict[str, dict]:
        """{« Variante enregistrée « … » »: its parameters} of the flood forecasts saved on this page's
        store: a GEMAPI team's own forecast (its issue time, its rain × 1,5) closes the streets, not only
        the territory's default one."""
        store = getattr(self, "store", None)
        if store is None:
            return {}
        out = {}
        for v in store.list():  # this territory's own (the store is shared by every territory served)
            if v.family != "flood" or getattr(v, "discarded", False) or v.territory != self.territory_name:
                continue
            label, n = t("forms_flood_saved", self.lang, name=v.name), 1
            while label in out:  # two saved under one name: both offered
                n += 1
                label = t("forms_flood_saved", self.lang, name=f"{v.name} ({n})")
            out[label] = {k: x for k, x in v.params.items() if k != "family"}
        return out

    def _place_categories(self) -> list[str]:
        """The territory's place categories, most common first (what a form offers)."""
        places = self.territory.layers.get("places")
        if places is None or places.empty:
            return []
        return [str(c) for c in places["category"].value_counts().index if isinstance(c, str) and c]

    def _guard_fields(self, pane, cls):
        """Replace Panel's link from each field to the scenario by one that refuses, and says so.

        Panel's own link (``Param.widget``'s ``link_widget``) sets the parameter and, when the
        declaration refuses the value, puts the previous one back in the field without a word (and a
        number box's bounds make the browser do the same): "Lancer" then ran a value the user never
        saw. Here the field keeps what was typed, is marked, and "Lancer" waits for it. The link back
        (a change of the scenario shown in its field: the streets picked on the map) is Panel's.
        """
        for name, widget in pane._widgets.items():
            if name not in cls.param or not hasattr(widget, "value"):
                continue
            for w in [w for w in pane._internal_callbacks
                      if getattr(w, "inst", None) is widget and getattr(w.fn, "__name__", "") == "link_widget"]:
                widget.param.unwatch(w)
                pane._internal_callbacks.remove(w)
            if isinstance(widget, (pn.widgets.FloatInput, pn.widgets.IntInput)):
                widget.param.update(start=None, end=None)  # the browser would keep the old value silently
            widget.stylesheets = [*widget.stylesheets, INVALID_CSS]
            widget.css_classes = [*widget.css_classes, f"field-{name}"]  # a handle for a test or a user's stylesheet
            widget.param.watch(partial(self._field_edited, name, widget), "value")
            if "error" in widget.param:  # a form that cannot give a valid value says why
                widget.param.watch(partial(self._form_error, name, widget), "error")
                if widget.error:
                    self._mark(name, widget, self._form_why(widget.error))
            if isinstance(widget, pn.widgets.LiteralInput):  # text that does not read as a list: its label says
                widget.param.watch(partial(self._field_unreadable, name, widget), "label")

    def _field_edited(self, name: str, widget, event):
        if getattr(widget, "error", ""):  # the form's own refusal stands until it is put right
            self._mark(name, widget, self._form_why(widget.error))
            return
        self._take(name, widget, widget.value)  # not event.new: a picker may have sorted it since

    def _form_why(self, error: str) -> str:
        """A form's own refusal after its field's name: a sentence of its own (« le rayon doit être… ») after
        a colon, « « Règles » : le rayon… »; one that reads on from the name (« est vide : choisissez… »,
        as a bound's « doit valoir au moins 1 ») as it is."""
        reads_on = error.split(" ", 1)[0] in ("est", "doit", "is", "must")
        return error if reads_on else t("why_form", self.lang, why=error)

    def _form_error(self, name: str, widget, event):
        """A form (hour pickers, lighting schedule) that cannot give a valid value, or can again."""
        if event.new:
            self._mark(name, widget, self._form_why(event.new))
        else:
            self._take(name, widget, widget.value)

    def _take(self, name: str, widget, new):
        """A field's new value: set on the scenario when its declaration takes it, else refused."""
        value, why = field_refusal(type(self.scenario).param[name], name, new, self.lang)
        if why is None:
            try:
                self.scenario.param.update({name: value})
            except (ValueError, TypeError) as exc:  # a rule fields.refusal does not know: the declaration's word
                why = t("why_refused", self.lang, detail=str(exc)[:200])
        self._mark(name, widget, why)

    def _field_unreadable(self, name: str, widget, event):
        """A list or dictionary box whose text does not read as one (Panel's label then ends in
        "(invalid)" or "(wrong type)" and the value stays the previous one)."""
        if getattr(widget, "_state", ""):
            self._mark(name, widget, unreadable(name, "dict" if widget.type is dict else "list", self.lang,
                                                getattr(widget, "items", None), getattr(widget, "misread", None)))
        else:  # readable again: the value it holds decides
            self._take(name, widget, widget.value)

    def _mark(self, name: str, widget, why: str | None):
        if why is None:
            self.invalid.pop(name, None)
        else:
            self.invalid[name] = why
            if name in self.advanced and self.advanced_card is not None and self.advanced_card.collapsed:
                self.advanced_card.collapsed = False  # a refused field is shown, not left folded
        classes = [c for c in widget.css_classes if c != "twin-invalid"] + (["twin-invalid"] if why else [])
        if classes != widget.css_classes:
            widget.css_classes = classes
        self._fields_changed()

    def asked(self) -> tuple:
        """What a run now would compute (:func:`_fingerprint` of the family, its parameters and the lamp
        inventory): the cards shown are stale when it is not what their run asked."""
        family = type(self.scenario).family
        inventory = self._run_extras(family).get("inventory")  # the lamps, for the families run on them
        return _fingerprint({"family": family, **self.current_params(),
                             "lamp inventory": inventory[1] if inventory else None})

    def _mark_stale(self, *events):
        """The note over the cards when the form no longer asks what they show (a changed hour, a
        refused field, an uploaded calendar or inventory): "Lancer" brings them up to date; put back as
        it was, the note goes. Under the page's document lock (:meth:`_on_page`): a run applies the
        edits Panel has not yet applied from a coroutine, which holds no lock."""
        self._on_page(self._show_stale)

    def _show_stale(self):
        ran = getattr(self, "_ran", None)
        shown = ran is not None and bool(self.kpis.text)
        stale = shown and (bool(self.invalid) or self.asked() != ran)
        text = message_html(t("res_stale", self.lang), "warning") if stale else ""
        if self.stale_note.object != text or self.stale_note.visible != stale:
            self.stale_note.param.update(object=text, visible=stale)
        # every part of the result dimmed, not the cards alone: the « tout LED » table, the map of the
        # lamps switched off and the chart were read as the new answer too
        for part in self.result_parts():
            classes = [c for c in part.css_classes if c != "stale"] + (["stale"] if stale else [])
            if classes != list(part.css_classes):
                part.css_classes = classes

    def invalid_text(self) -> str | None:
        """The message of the fields that block a run (which and why), or None."""
        if not self.invalid:
            return None
        cls = type(self.scenario)
        fields = "; ".join(t("field_why", self.lang, label=field_label(p, cls.param[p].doc, self.lang), why=why)
                           for p, why in self.invalid.items())
        return t("fields_invalid", self.lang, fields=fields)

    def _fields_changed(self):
        """"Lancer" is greyed while a field is refused (:meth:`_show_run_state`), the note says why."""
        text = self.invalid_text()
        note = message_html(text, "danger") if text else ""
        if self.field_note.object != note or self.field_note.visible != bool(text):
            self.field_note.param.update(object=note, visible=bool(text))
        self._show_run_state()
        if not text and hasattr(self, "save_note"):
            self._unsay_blocked()
        if hasattr(self, "kpis"):
            self._mark_stale()

    def _show(self, text: str, kind: str = "danger"):
        """A message above the results: kind is success, info, warning or danger (its colour)."""
        self._blocked_said = False  # another message now (see RunCycle._say_blocked)
        self.message.param.update(object=message_html(text, kind), visible=True)


def _fingerprint(params: dict) -> tuple:
    """What a run's parameters ask, comparable and cheap to compare at every edit: numbers as floats (a
    box's 0 is the form's 0.0), a long text (an uploaded calendar, an inventory: megabytes) by its length
    and hash (cached by Python on the string), the rest by its repr; the variant's name apart (renaming
    asks nothing new)."""
    out = []
    for k in sorted(params):
        v = params[k]
        if k == "variant_name":
            continue
        if isinstance(v, bool) or v is None:
            out.append((k, v))
        elif isinstance(v, (int, float)):
            out.append((k, float(v)))
        elif isinstance(v, str) and len(v) > 256:
            out.append((k, ("text", len(v), hash(v))))
        else:
            out.append((k, repr(v)))
    return tuple(out)
