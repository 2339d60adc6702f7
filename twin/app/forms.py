"""Plain inputs for a scenario's parameters (issue 17): no Python or JSON in a form.

Built from the parameter declarations (twin.scenarios.*), each input produces exactly the value the
model takes:

* :class:`StreetPicker` — ``streets`` / ``detour``: the territory's street names, searched as one
  types (Bokeh's MultiChoice, Choices.js); the map's selection still fills it.
* :class:`HourRange` — ``hours`` / ``close_hours``: « de [HH:MM] à [HH:MM] » every 30 minutes,
  producing ``"HH:MM-HH:MM"`` as read by :func:`twin.timeutil.parse_hour_range`.
* :class:`WeekdayPicker` and :func:`weekday_options` — days of the week (Monday = 0).
* :func:`selector_options` — a selector's options labelled in the page's language, values unchanged.
* the lighting schedule form lives in :mod:`twin.app.forms_lighting`.

A form that cannot produce a valid value says so in its ``error`` parameter (French first, from the
catalogue :mod:`twin.app.catalogue.forms`); the builder (:mod:`twin.app.builder`) then marks the
field and blocks "Lancer", as it does for a refused number.
"""

from __future__ import annotations

import unicodedata
import weakref

import panel as pn
import param

from twin.app.forms_base import INVALID_CSS, LabelledForm
from twin.app.forms_number import NumberBox
from twin.app.i18n import STRINGS, t
from twin.app.i18n import field_label as i18n_field_label
from twin.app.street_label import street_label
from twin.timeutil import HourRangeError, parse_hour_range

STREET_PARAMS = ("streets", "detour", "remove_streets")
# windows of hours: may the window pass midnight? (roadworks and flood-detours wrap, a bins closure
# stays inside one day: twin.scenarios.bins._hours)
HOUR_PARAMS = {"hours": True, "close_hours": False, "remove_hours": True, "period": True, "night_hours": True,
               "current_hours": True}
WEEKDAY_LISTS = ("round_weekdays", "baseline_weekdays")
WEEKDAY_INTS = ("close_weekday",)
# a field the page refuses is outlined (the builder adds the class; a form's inputs carry the rule)
STEP_MIN = 30  # the hour pickers' step [min]; a value off the grid (from a file) is added to the choices
# Choices.js (inside Bokeh's MultiChoice) writes "No results found" and "No choices to choose from" in
# English and Bokeh gives no way to change them: the words are hidden and the page's own shown instead
# Choices.js's own « No results found » / « No choices to choose from » hidden under the page's words: as
# specific as Choices.js's ``.choices__list--dropdown .choices__item`` (its 14 px won, after ours, and the
# English showed glued to the French: « No choices to choose fromAucune autre variante enregistrée »)
CHOICES_CSS = """
.choices__list--dropdown .choices__item.has-no-results, .choices__list--dropdown .choices__item.has-no-choices
{{ font-size: 0; }}
.choices__list--dropdown .choices__item.has-no-results::after {{ content: "{none}"; font-size: 14px; }}
.choices__list--dropdown .choices__item.has-no-choices::after {{ content: "{full}"; font-size: 14px; }}
"""
# Choices.js says « Only 4 values can be added » (in English, no setting in Bokeh's MultiChoice) in a
# notice of no type: the one item of the dropdown with neither a choice's data-choice nor a type's class
CHOICES_MAX_CSS = """
.choices__list--dropdown .choices__item--choice:not([data-choice]):not(.has-no-results):not(.has-no-choices)
{{ font-size: 0; }}
.choices__list--dropdown .choices__item--choice:not([data-choice]):not(.has-no-results):not(.has-no-choices)::after
{{ content: "{most}"; font-size: 14px; }}
"""


def _sort_key(name: str) -> str:
    """French order: accents do not push "Avenue Étienne" after "Avenue du Maréchal"."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


_NAMES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_CAR_PARKS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # drive graph -> (places' id, names)


def street_names(territory) -> list[str]:
    """The territory's drivable street names, unique, in French alphabetical order.

    From the ``drive`` graph's edges (``name``; a merged OSM way may hold a list of names). Unnamed
    streets are left out: an empty name would mean every unnamed street
    (:func:`twin.scenarios.street_closure.refuse_blank_names`); one is picked on the map by its way id.
    Computed once per graph (the territory is shared by every session)."""
    G = territory.graphs["drive"]
    if G not in _NAMES:
        names = set()
        for _, _, d in G.edges(data=True):
            n = d.get("name")
            for x in n if isinstance(n, (list, tuple)) else [n]:
                if isinstance(x, str) and x.strip():
                    names.add(x.strip())
        _NAMES[G] = sorted(names, key=_sort_key)
    return _NAMES[G]


class StreetChoice(pn.widgets.Select):
    """One street (or car park) among the territory's names (data, not interface words); value: the name,
    empty for none chosen yet."""

    @staticmethod
    def options_for(names, keep: str = "") -> dict[str, str]:
        """« — » (none yet), then ``names``; ``keep`` (a file's name the list lacks) added, shown rather
        than dropped."""
        options = {"—": ""}
        options.update({n: n for n in names})
        if keep and keep not in options.values():
            options[keep] = keep
        return options


class StreetPicker(pn.widgets.MultiChoice):
    """Streets chosen among the territory's names, found as one types; value: list of names.

    A value the list does not hold (an OSM way id taken from the map, a name from an uploaded file) is
    added to the choices, so it is shown and kept rather than silently dropped."""

    lang = param.Selector(default="fr", objects=["fr", "en"], doc="language of the picker's words")
    kind = param.Selector(default="street", objects=["street", "river", "car_park"],
                          doc="what the names are (its words)")
    required = param.Boolean(default=False, doc="at least one street (a closure of no street is refused)")
    error = param.String(default="", doc="why the picker cannot give a valid value ('' when it can)")
    graph = param.Parameter(default=None, doc="the territory's drive graph: the length of a part of a street chosen")
    _rename = {**pn.widgets.MultiChoice._rename, "lang": None, "error": None, "required": None, "kind": None,
               "graph": None}

    def __init__(self, **params):
        params.setdefault("search_option_limit", 12)
        params.setdefault("option_limit", 400)
        super().__init__(**params)
        k = self.kind
        css = CHOICES_CSS.format(none=t(f"forms_no_{k}", self.lang), full=t(f"forms_no_more_{k}s", self.lang))
        # a placeholder given stays (an empty river list is the territory's own: the builder says so)
        self.param.update(placeholder=self.placeholder or t(f"forms_{k}_placeholder", self.lang),
                          stylesheets=[*self.stylesheets, css])
        self._keep_values()
        self.param.watch(lambda e: self._keep_values(), "value")

    def _keep_values(self):
        self.error = t("forms_streets_none", self.lang) if self.required and not self.value else ""
        known = set(self.options.values()) if isinstance(self.options, dict) else set(self.options)
        extra = [v for v in self.value or [] if v not in known]
        if not extra:
            return
        opts = dict(self.options) if isinstance(self.options, dict) else {o: o for o in self.options}
        # a part of a street by its street, its ends and its length, each label once (the browser sends labels)
        taken = set(opts)
        for v in extra:
            base = street_label(v, self.lang, self.graph)
            label, n = base, 1
            while label in taken:
                n += 1
                label = f"{base} ({n})"
            taken.add(label)
            opts[label] = v
        self.options = opts
        # the value went to the browser as labels before its new choices existed: sent as [] (the map's
        # part of a street left the field empty, and the next edit dropped it); sent again now they exist
        self.param.trigger("value")


def pipe_streets(territory) -> list[str]:
    """The streets the territory's SYNTHETIC water network has a pipe under
    (:func:`twin.territory.water_prior.prior_network`, each pipe tagged with its street), in French
    alphabetical order; computed once per graph."""
    from twin.territory.water_prior import prior_network  # noqa: PLC0415 - WNTR: loaded when asked

    G = territory.graphs["drive"]
    if G not in _PIPE_STREETS:
        pipes = prior_network(territory).pipes
        tower_main = pipes.set_index("pipe").at["P0000", "street"]
        streets = set(pipes["street"]) - {tower_main, ""}
        _PIPE_STREETS[G] = [*sorted((s for s in streets if isinstance(s, str)), key=_sort_key), tower_main]
    return _PIPE_STREETS[G]


_PIPE_STREETS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def kerb_streets(territory) -> list[str]:
    """The streets with kerb parking spaces (:func:`twin.scenarios.parking_supply.kerb_spaces`), in French
    order: what a parking variant can remove spaces from (a street without any was offered, then refused
    at the run); computed once per graph."""
    from twin.scenarios.parking_supply import kerb_spaces  # noqa: PLC0415

    G = territory.graphs["drive"]
    if G not in _KERB_STREETS:
        kerbs = kerb_spaces(G)
        names = {n.strip() for n in kerbs.loc[kerbs["spaces"] > 0, "street"] if isinstance(n, str) and n.strip()}
        _KERB_STREETS[G] = sorted(names, key=_sort_key)
    return _KERB_STREETS[G]


_KERB_STREETS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def car_park_names(territory) -> list[str]:
    """The names of the territory's car parks as the parking family names them
    (:func:`twin.scenarios.parking_supply.car_parks`: OSM's name, else « parking, <rue> »), in
    French order; kept per territory."""
    from twin.scenarios.parking_supply import car_parks  # noqa: PLC0415

    G = territory.graphs.get("drive")
    if G is None or not G.number_of_nodes():
        return []
    places = territory.layers.get("places")
    key = id(places)  # the places and the graph the names come from (a territory replaced anew: other names)
    cached = _CAR_PARKS.get(G)
    if cached is None or cached[0] != key:
        cached = (key, sorted(car_parks(territory, G, 0.0)["name"], key=_sort_key))
        _CAR_PARKS[G] = cached
    return cached[1]


def river_names(territory) -> list[str]:
    """The names of the territory's rivers, canals and water areas (``waterways``, ``water_areas``
    layers), unique, in French order: what a flood's ``river_names`` matches
    (:func:`twin.models.inundation.synthetic_hand`)."""
    names = set()
    for key in ("waterways", "water_areas"):
        layer = territory.layers.get(key)
        if layer is not None and "name" in layer:
            names |= {str(n).strip() for n in layer["name"].dropna() if str(n).strip()}
    return sorted(names, key=_sort_key)


def half_hours(end_of_day: bool = False) -> list[str]:
    """``00:00`` to ``23:30`` every STEP_MIN minutes (to ``24:00`` for an end)."""
    top = 24 * 60 + (1 if end_of_day else 0)
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, top, STEP_MIN)]


def split_hours(text: str) -> tuple[str, str] | None:
    """``"7-19"`` → ``("07:00", "19:00")``: a window as the two times the pickers show, or None."""
    try:
        a, b = parse_hour_range(text)
    except HourRangeError:
        return None
    b = b - 1440 if b > 1440 else b
    return f"{a // 60:02d}:{a % 60:02d}", f"{b // 60:02d}:{b % 60:02d}"


def hours_problem(a: str, b: str, overnight: bool, lang: str = "fr") -> str | None:
    """Why the window from ``a`` to ``b`` is refused, or None. An empty one always; one passing
    midnight unless ``overnight`` (the model wraps it, :func:`twin.timeutil.parse_hour_range`)."""
    try:
        start, end = parse_hour_range(f"{a}-{b}")
    except HourRangeError as exc:
        if exc.kind == "empty":
            return t("forms_hours_empty", lang, a=a, b=b)
        return t("why_refused", lang, detail=str(exc))
    if end > 1440 and not overnight:
        return t("forms_hours_one_day", lang, a=a, b=b)
    return None


class HourRange(LabelledForm):
    """« de [HH:MM] à [HH:MM] »: value ``"HH:MM-HH:MM"``, local time, every STEP_MIN minutes."""

    value = param.String(default="07:00-19:00", doc="the window, HH:MM-HH:MM")
    overnight = param.Boolean(default=True, doc="may the window pass midnight")
    error = param.String(default="", doc="why the window is refused ('' when it is not)")

    def __init__(self, **params):
        super().__init__(**params)
        self.start = pn.widgets.Select(label=t("forms_from", self.lang), options=half_hours(), width=100,
                                       stylesheets=[INVALID_CSS])
        self.end = pn.widgets.Select(label=t("forms_to", self.lang), options=half_hours(True), width=100,
                                     stylesheets=[INVALID_CSS])
        self._note = pn.pane.HTML("", margin=(0, 10), visible=False)
        self._composite[:] = [self._head, pn.Row(self.start, self.end), self._note]
        self._syncing = False
        self._show_value()
        self.param.watch(lambda e: self._show_value(), "value")
        self.start.param.watch(self._picked, "value")
        self.end.param.watch(self._picked, "value")

    def _inputs(self) -> list:
        return [self.start, self.end]

    def _show_value(self):
        if self._syncing:
            return
        # empty: the whole day (a parking removal's default), shown « de 00:00 à 24:00 » as its help says —
        # the two boxes' first choices read « de 00:00 à 00:00 »
        pair = ("00:00", "24:00") if not self.value.strip() else split_hours(self.value)
        if pair is None:  # the model's own check names the text (the builder shows it)
            return
        self._syncing = True
        try:
            for w, v in zip((self.start, self.end), pair, strict=True):
                if v not in w.options:  # a file's 07:15: shown, not rounded
                    w.options = sorted([*w.options, v])
                w.value = v
            self._check()
        finally:
            self._syncing = False

    def _picked(self, event):
        if self._syncing:
            return
        self._syncing = True
        try:
            self._check()
            self.value = f"{self.start.value}-{self.end.value}"
        finally:
            self._syncing = False

    def _check(self):
        a, b = self.start.value, self.end.value
        why = hours_problem(a, b, self.overnight, self.lang)
        wraps = why is None and parse_hour_range(f"{a}-{b}")[1] > 1440
        self._note.param.update(object=f"<small>{t('forms_hours_overnight', self.lang, a=a, b=b)}</small>"
                                if wraps else "", visible=wraps)
        self.error = why or ""


class WeekdayPicker(LabelledForm):
    """Days of the week as buttons (lun. … dim.) under the field's label (« Jours de tournée
    (variante) »: a button row alone does not say which days it sets — Panel's button group shows no
    label); value: sorted weekday numbers, Monday = 0."""

    value = param.List(default=[], item_type=int, doc="the days picked, Monday = 0, sorted")

    def __init__(self, **params):
        super().__init__(**params)
        self.buttons = pn.widgets.CheckButtonGroup(
            options={t(f"forms_day_{d}", self.lang): d for d in range(7)}, value=sorted(self.value),
            button_type="primary", button_style="outline", margin=(0, 10, 5, 10))
        self._composite[:] = [self._head, self.buttons]
        self.param.watch(self._show_value, "value")
        self.buttons.param.watch(self._picked, "value")

    @property
    def options(self) -> dict:
        """{day's short name: weekday number} of the buttons."""
        return self.buttons.options

    def _picked(self, event):
        if sorted(event.new) != self.value:
            self.value = sorted(event.new)

    def _show_value(self, event):
        if list(event.new) != sorted(event.new):
            self.value = sorted(event.new)
        elif self.buttons.value != list(event.new):
            self.buttons.value = list(event.new)


def weekday_options(lang: str = "fr") -> dict[str, int]:
    """{lundi: 0, …, dimanche: 6} for a single weekday."""
    return {t(f"forms_weekday_{d}", lang): d for d in range(7)}


def field_label(name: str, doc: str | None, lang: str = "fr") -> str:
    """A field's label (:func:`twin.app.i18n.field_label`); none for the hour pickers, whose times say it."""
    return i18n_field_label(name, doc, lang, clock=name in HOUR_PARAMS)


def option_label(name: str, value, lang: str = "fr") -> str:
    """A selector option in ``lang``: a place category or ``forms_opt_<name>_<value>``; the value itself
    when the catalogue has no entry (the test of the forms fails on such an option)."""
    for key in (f"forms_opt_{name}_{value}", f"forms_place_{value}"):
        if key in STRINGS:
            return t(key, lang)
    return str(value)


def selector_options(name: str, objects, lang: str = "fr") -> dict[str, object]:
    """{label in ``lang``: value the model takes} for a selector's ``objects``."""
    return {option_label(name, v, lang): v for v in objects}


def help_text(name: str, doc: str | None, lang: str = "fr") -> str | None:
    """A field's help: the catalogue's ``forms_help_<name>``; in English the declaration's doc otherwise
    (it is English); in French nothing rather than English."""
    key = f"forms_help_{name}"
    if key in STRINGS:
        return t(key, lang)
    if lang == "en" and doc:
        return doc.split("]", 1)[-1].strip() if doc.startswith("[") else doc
    return None


LEVELS = ("yellow", "orange", "red")  # the flood's alert levels (twin.scenarios.flood.LEVELS)


class AlertLevels(LabelledForm):
    """A flood's alert stages at the gauge: « jaune [ ] orange [ ] rouge [ ] (m) »; value
    ``{"yellow": m, "orange": m, "red": m}``, or ``{}`` when left empty (the territory's own)."""

    value = param.Dict(default={}, doc="stage of each alert level [m], or {} for the territory's own")
    placeholder = param.String(default="", doc="what an empty box means")
    error = param.String(default="", doc="why the stages are refused ('' when they are not)")

    def __init__(self, **params):
        super().__init__(**params)
        self.boxes = {lvl: NumberBox(label=t(f"forms_level_{lvl}", self.lang), value=None, width=100,
                                                 placeholder=self.placeholder, stylesheets=[INVALID_CSS])
                      for lvl in LEVELS}
        self._composite[:] = [self._head, pn.Row(*self.boxes.values())]
        self._syncing = False
        self._show_value()
        self.param.watch(lambda e: self._show_value(), "value")
        for w in self.boxes.values():
            w.param.watch(self._typed, "value")

    def _inputs(self) -> list:
        return list(self.boxes.values())

    def _show_value(self):
        if self._syncing:
            return
        self._syncing = True
        try:
            for lvl, w in self.boxes.items():
                v = (self.value or {}).get(lvl)
                w.value = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
        finally:
            self._syncing = False

    def _typed(self, event):
        if self._syncing:
            return
        given = {lvl: w.value for lvl, w in self.boxes.items() if w.value is not None}
        if given and len(given) < len(LEVELS):
            self.error = t("forms_levels_all", self.lang)
            return
        self.error = ""
        self._syncing = True
        try:
            self.value = {lvl: float(given[lvl]) for lvl in LEVELS} if given else {}
        finally:
            self._syncing = False


class FileValueChoice(pn.widgets.Select):
    """A value a person leaves to its default, or keeps as a scenario file gave it: no JSON to type
    (a lighting's current rules, a flood-detours' flood parameters). Options: the default (``{}`` or
    ``[]``, said by ``default_key``) and, when the value given is another, that value (``file_key``,
    with ``{n}`` its number of entries)."""

    lang = param.Selector(default="fr", objects=["fr", "en"])
    default_key = param.String(default="forms_baseline_all_night", doc="catalogue key of the default's label")
    file_key = param.String(default="forms_baseline_advanced", doc="catalogue key of a file's value's label")
    choices = param.Dict(default={}, doc="more values offered, {label: value} (a flood-detours' saved floods)")
    _rename = {**pn.widgets.Select._rename, "lang": None, "default_key": None, "file_key": None, "choices": None}

    def __init__(self, **params):
        lang = params.get("lang", "fr")
        value = params.get("value")
        empty = type(value)() if isinstance(value, (list, dict)) else None
        options = {t(params.get("default_key", self.param["default_key"].default), lang): empty}
        options.update(params.get("choices") or {})
        if value and value not in options.values():
            options[t(params.get("file_key", self.param["file_key"].default), lang, n=len(value))] = value
        params["options"] = options
        super().__init__(**params)
