"""Why the page refuses a value typed in a scenario's field, in the user's language (issue 17).

A value a parameter's declaration refuses (out of bounds, not a number, a list of the wrong
things, an empty street name) used to be reset by Panel without a word, and "Lancer" ran the
previous value. :func:`refusal` says which rule a value breaks, so the page can keep the value
typed, block the run and say why. The wording is French first (the catalogue :mod:`twin.app.i18n`).
"""

from __future__ import annotations

import ast
import numbers

import panel as pn
import param

from twin.app.i18n import list_example, t
from twin.app.list_text import ListTextError, read_list, write_list

# the parameters holding street names, where an empty name would mean every unnamed street
# (see twin.scenarios.street_closure.refuse_blank_names)
STREET_LISTS = ("streets", "detour")
EXAMPLES = {"streets": "['Quai Saint-Jacques']", "detour": "['Rue de Vannes']"}
DICT_EXAMPLES = {"street_prices": '{"Rue Victor Hugo": 1.5}', "car_park_prices": '{"Place du Parlement": 1.5}',
                 "alert_levels_m": '{"yellow": 3.5, "orange": 4.5, "red": 5.5}',
                 "sensitive_sites": '{"Hôpital": "J0038"}',
                 "add_car_park": '{"near": "Grande Rue", "capacity": 50, "price_eur_h": 1.5}',
                 "prv_settings": '{"PRV1": 35}', "night_settings": '{"PRV1": 30}'}
"""What a dictionary box of each parameter holds, written as it is typed (the parking prices were refused
with the flood's alert levels as their example)."""


def dict_example(name: str, lang: str = "fr") -> str:
    """An example of the text a dictionary box ``name`` reads: names in quotes, each with its value."""
    return DICT_EXAMPLES.get(name, '{"nom": 1.5}' if lang == "fr" else '{"name": 1.5}')


def shown(value, lang: str = "fr", limit: int = 60) -> str:
    """A value as quoted in a message: short, numbers without a trailing ``.0`` and with French's
    decimal comma."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, float):
        return _bound(value, lang) if abs(value) < 1e-4 or abs(value) >= 1e15 else \
            (repr(value).replace(".", ",") if lang == "fr" else repr(value))
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _bound(x, lang: str) -> str:
    """A bound as a person reads it: ``1e-08`` stays exact, the decimal mark is French's comma."""
    text = f"{x:g}"
    return text.replace(".", ",") if lang == "fr" else text


def _kinds(item_type, lang: str) -> str:
    kinds = item_type if isinstance(item_type, tuple) else (item_type,)
    words = [t(f"kind_{k.__name__}", lang) if k.__name__ in ("str", "int", "float", "dict", "list") else k.__name__
             for k in kinds]
    return (" ou " if lang == "fr" else " or ").join(dict.fromkeys(words))


def refusal(p: param.Parameter, name: str, value, lang: str = "fr") -> tuple[object, str | None]:
    """(value to set, None) when ``p`` (the declaration of parameter ``name``) takes ``value``, else
    (value, why) with ``why`` the reason in ``lang``. A whole float for an integer parameter (what a
    number box sends) is given back as an int."""
    if value is None or (isinstance(value, str) and not value.strip() and isinstance(p, param.Number)):
        return value, None if p.allow_None else t("why_empty", lang)
    if isinstance(p, param.Number):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return value, t("why_number", lang, value=shown(value, lang))
        if isinstance(p, param.Integer):
            if not float(value).is_integer():
                return value, t("why_integer", lang, value=shown(value, lang))
            value = int(value)
        low, high = p.bounds or (None, None)
        inc_low, inc_high = getattr(p, "inclusive_bounds", (True, True))
        if low is not None and (value < low or (value == low and not inc_low)):
            return value, t("why_min" if inc_low else "why_above", lang, low=_bound(low, lang),
                            value=shown(value, lang))
        if high is not None and (value > high or (value == high and not inc_high)):
            return value, t("why_max" if inc_high else "why_below", lang, high=_bound(high, lang),
                            value=shown(value, lang))
    if isinstance(p, param.List):
        if not isinstance(value, list):
            return value, t("why_list", lang, example=EXAMPLES.get(name, "[…]"))
        low, high = p.bounds or (None, None)
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            return value, t("why_length", lang, n=len(value), low=low, high=high)
        if p.item_type is not None:
            for i, item in enumerate(value):
                if not isinstance(item, p.item_type):
                    return value, t("why_items", lang, i=i + 1, value=shown(item, lang),
                                    kinds=_kinds(p.item_type, lang))
        if name in STREET_LISTS and any(isinstance(s, str) and not s.strip() for s in value):
            return value, t("why_blank_street", lang)
    if isinstance(p, param.Dict) and not isinstance(value, dict):
        return value, t("why_dict", lang, example=dict_example(name, lang))
    try:  # every other rule of the declaration (a selector's options, a string's type…)
        p._validate(value)
    except (ValueError, TypeError) as exc:
        return value, t("why_refused", lang, detail=str(exc)[:200])
    return value, None


def unreadable(name: str, kind: str, lang: str = "fr", items: str | None = None,
               misread: ListTextError | None = None) -> str:
    """Why a list or dictionary box is refused when its text does not read as one (Panel marks the
    box "(invalid)" or "(wrong type)" and keeps the previous value): the item that is not one of
    ``items`` when plain text was read (``misread``), with an example of the list."""
    if kind == "dict":
        return t("why_dict", lang, example=dict_example(name, lang))
    example = list_example(name, items, lang) if items else EXAMPLES.get(name, "[…]")
    if misread is not None:
        return t("why_list_item", lang, i=misread.item, value=misread.text[:40], expected=t(f"list_item_{items}", lang),
                 example=example)
    return t("why_list", lang, example=example)


def _translate_state(widget, params: dict) -> dict:
    """Panel ends a list box's label with " (invalid)" or " (wrong type)" (English, whatever the page's
    language): the same state in ``widget.lang``. ``_state`` follows, as Panel strips it from the label
    at the next edit."""
    state = getattr(widget, "_state", "")
    if state and "label" in params and params["label"].endswith(state):
        kind = "state_unreadable" if state.strip() == "(invalid)" else \
            ("state_not_dict" if widget.type is dict else "state_not_list")
        words = t(kind, widget.lang)
        params["label"] = params["label"][:-len(state)] + words
        widget._state = words
    return params


def _literal(text: str):
    """The Python literal ``text`` reads as, or None (what Panel's list box parses)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


class ListBox(pn.widgets.LiteralInput):
    """Panel's list box, read as a person types a list (« b12; b40 », « 1,5 ; 2 »: :mod:`twin.app.list_text`)
    when ``items`` says what its items are, and shown back that way; text starting with « [ » is read
    as a Python literal. Its "(invalid)" is said in the page's language; a text or a dictionary typed as
    a literal without brackets is refused (Panel made ``'Quai Saint-Jacques'`` the list of its letters)."""

    lang = param.Selector(default="fr", objects=["fr", "en"], doc="language of the box's state")
    type = param.ClassSelector(default=list, class_=(type, tuple), is_instance=True)
    items = param.String(default=None, allow_None=True,
                         doc="the items read from plain text (twin.app.list_text.item_kind); None: a literal only")
    _rename = {**pn.widgets.LiteralInput._rename, "lang": None, "items": None}

    def __init__(self, **params):
        self.misread: ListTextError | None = None  # the item plain text failed on, for the page to name
        super().__init__(**params)

    def _process_property_change(self, props):
        text = props.get("value")
        if isinstance(text, str):
            self.misread = None
            if self.items and text.strip() and not text.lstrip().startswith("["):
                try:
                    text = repr(read_list(text, self.items, self.lang))
                except ListTextError as exc:
                    self.misread, text = exc, "["  # unreadable: Panel says so and keeps the last value
                props = {**props, "value": text}
        params = super()._process_property_change(props)
        if isinstance(text, str) and not self._state and isinstance(_literal(text), (str, dict, set)):
            params["value"] = self.value  # as Panel does for a value of the wrong type
            self._state = " (wrong type)"
            params["label"] = params.get("label", self.label) + self._state
        return _translate_state(self, params)

    def _process_param_change(self, params):
        props = super()._process_param_change(params)
        if "value" in props and self.items and isinstance(params.get("value"), list):
            props["value"] = write_list(params["value"], self.items, self.lang)
        return props


class DictBox(pn.widgets.LiteralInput):
    """Panel's dictionary box, its "(invalid)" said in the page's language."""

    lang = param.Selector(default="fr", objects=["fr", "en"], doc="language of the box's state")
    type = param.ClassSelector(default=dict, class_=(type, tuple), is_instance=True)
    _rename = {**pn.widgets.LiteralInput._rename, "lang": None}  # the page's, not the browser model's

    def _process_property_change(self, props):
        return _translate_state(self, super()._process_property_change(props))
