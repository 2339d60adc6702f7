"""The scenario forms (issue 17): an elected official builds a scenario alone, in French, without
typing Python or JSON — and each form gives exactly the value the model takes.

Built in-process with the real page (:class:`twin.app.main.TwinApp`), driven as the browser drives
it: a widget's value set, or its browser event sent through Panel's own path (``_process_events``).
"""

from __future__ import annotations

import html
import re

import panel as pn
import pytest

from tests.app_helpers import field as _field
from tests.app_helpers import fresh  # noqa: F401 - a fixture
from tests.app_helpers import make_app
from tests.app_helpers import shared_app as app  # noqa: F401 - a fixture
from tests.app_helpers import show_family as _family


# ------------------------------------------------------------------------------------------------
# every family's form in French: no English, no raw parameter name, no untranslated option
# ------------------------------------------------------------------------------------------------
# English words a French form must not show (the catalogue check below catches whole strings)
ENGLISH_WORDS = {"the", "of", "and", "from", "with", "hours", "street", "streets", "rules", "night", "none",
                 "hourly", "peak", "off-peak", "forecast", "observed", "scaled", "climatology", "triangular",
                 "uniform", "fixed", "threshold", "predictive", "townhall", "school", "year", "days", "bins",
                 "trucks", "people", "off", "dimming", "schedule", "closed", "all", "results", "found", "choices",
                 "invalid", "wrong", "type", "select", "press", "yr", "week", "sport", "health", "market",
                 "cabinets", "pan", "zoom", "wheel", "reset", "save", "tap", "hover", "box", "predictive", "works"}
IDENTIFIER = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def _texts(widget) -> list[tuple[str, str]]:
    """(kind, text) of everything ``widget`` shows a person: label, options, placeholder, help, the
    HTML of a composite form's panes (tags stripped)."""
    from twin.app.forms import StreetChoice, StreetPicker

    out = []
    objs = widget.select(lambda o: True) if hasattr(widget, "select") else [widget]
    for w in objs:
        if isinstance(w, pn.widgets.Widget):
            label = getattr(w, "label", None) or ""
            if label and not isinstance(w, pn.widgets.Button) or (isinstance(w, pn.widgets.Button) and w.visible):
                out.append(("label", label))
            for k in ("placeholder", "description"):
                if getattr(w, k, None):
                    out.append((k, getattr(w, k)))
            if isinstance(w, pn.widgets.TextInput) and w.value:  # a default the page fills in ("closed" was one)
                out.append(("value", w.value))
            options = getattr(w, "options", None)
            if isinstance(w, (StreetPicker, StreetChoice)):
                continue  # its options are the territory's street names (data, not interface words)
            if isinstance(options, dict):
                out += [("option", str(k)) for k in options]
            elif isinstance(options, list):
                out += [("option", str(o)) for o in options if not re.fullmatch(r"\d\d:\d\d", str(o))]
        elif isinstance(w, pn.pane.HTML) and w.object:
            out.append(("html", html.unescape(re.sub(r"<[^>]+>", " ", str(w.object)))))
    return out


FAMILIES_ALL = ["street-closure", "lighting", "bins", "roadworks", "heating", "flood", "flood-detours", "parking",
                "water-break", "water-pressure", "water-meters"]


def _help_shown(name, decl, widget) -> str | None:
    """The help a field should show: the catalogue's, then, for a list typed as text, how to type it."""
    from twin.app.forms import help_text
    from twin.app.i18n import list_example, t

    own = help_text(name, decl.doc, "fr")
    items = getattr(widget, "items", None)
    if not items:
        return own
    how = t("list_help", "fr", example=list_example(name, items, "fr"))
    return f"{own} {how}" if own else how


@pytest.mark.parametrize("family", FAMILIES_ALL)
def test_every_family_form_in_french_shows_no_english_or_untranslated_text(app, family):
    from twin.app.forms import field_label, help_text
    from twin.app.forms_number import written
    from twin.app.i18n import PARAM_LABELS_FR, STRINGS
    from twin.scenarios import SCENARIOS

    assert set(FAMILIES_ALL) == set(SCENARIOS), "a new family: add it here"
    _family(app, family)
    cls = SCENARIOS[family]
    english = {en for fr, en in STRINGS.values() if fr != en and len(en) > 2}
    french = {fr for fr, _ in STRINGS.values()}
    bad = []
    for name, w in app.params_box[0]._widgets.items():
        if name not in cls.param:
            continue
        if name not in PARAM_LABELS_FR:
            bad.append((name, "label", "no French label"))
        if isinstance(w, pn.widgets.IntSlider):  # Bokeh writes "{title}: {value}": « (min) : 30 » in French
            assert w.label == field_label(name, cls.param[name].doc, "fr") + "\u00a0"
        else:
            assert w.label == field_label(name, cls.param[name].doc, "fr")
        for kind, text in _texts(w):
            words = set(re.findall(r"[A-Za-zÀ-ÿ+-]+", text.lower()))
            if text in english or text.strip() in english:
                bad.append((name, kind, text))
            elif IDENTIFIER.search(text):
                bad.append((name, kind, f"raw name in {text!r}"))
            elif words & ENGLISH_WORDS:
                bad.append((name, kind, f"English {sorted(words & ENGLISH_WORDS)} in {text!r}"))
            elif kind == "option" and text not in french:
                bad.append((name, kind, f"option {text!r} is not from the French catalogue"))
            elif kind == "description" and text != _help_shown(name, cls.param[name], w):
                bad.append((name, kind, f"help {text!r} is the declaration's"))
        # a decimal slider writes its value with the French comma ("0,20"; Bokeh wrote "0.20", in the browser)
        # and has a step that reaches its default (a 0,053 kg/kWh factor is not rounded to 0,05)
        sliders = [x for x in (w.select(pn.widgets.FloatSlider) if hasattr(w, "select") else [])]
        for s in sliders:
            v = getattr(app.scenario, name)
            shown = [html.unescape(re.sub(r"<[^>]+>", "", str(x.object))) for x in w.select(pn.pane.HTML)]
            said = "\u00a0: " + written(v, w.decimals, "fr")  # "0,20": as many decimals as the step has
            if getattr(w, "percent", False):  # a share in per cent: « 35 % », its step's 0,01 one per cent
                said = "\u00a0: " + written(100 * v, max(w.decimals - 2, 0), "fr") + "\u00a0%"
            if s.show_value or "." in said or not any(x.endswith(said) for x in shown):
                bad.append((name, "slider", f"{v} not written in French by the page: {shown}"))
            if abs(round(v / s.step) * s.step - v) > 1e-9 or s.step > (s.end - s.start) / 20:
                bad.append((name, "slider", f"step {s.step} for {v} on {s.start}–{s.end}"))
        # a unit in words is French ("(année)", never "(year)"); a symbol (m, h, €/kWh) is the same
        doc = cls.param[name].doc or ""
        unit = doc[1:doc.index("]")] if doc.startswith("[") and "]" in doc else ""
        if re.search(r"[A-Za-z]{4,}|\byr\b", unit) and f"({unit})" in (w.label or ""):
            bad.append((name, "unit", unit))
    assert not bad, bad


def test_the_english_page_labels_options_in_english(tmp_path):
    """English second: the same catalogue gives the English page its words (values unchanged)."""
    app = make_app(tmp_path, "en")
    app.family.value = "roadworks"
    w = _field(app, "day_method")
    assert w.options == {"peak and off-peak (fast)": "peak+off-peak", "hour by hour (slower)": "hourly"}
    assert _field(app, "hours").start.label == "from" and "Type 3 letters" in _field(app, "streets").placeholder
    from twin.app.forms import StreetPicker
    from twin.app.i18n import STRINGS
    from twin.app.main import FAMILIES

    english = {en for _, en in STRINGS.values()}
    for family in FAMILIES:  # every option of every English form is the catalogue's English
        app.family.value = family
        for name, w in app.params_box[0]._widgets.items():
            if isinstance(getattr(w, "options", None), dict) and not isinstance(w, StreetPicker):
                assert set(w.options) <= english, (family, name, w.options)


# ------------------------------------------------------------------------------------------------
# streets
# ------------------------------------------------------------------------------------------------
def test_the_street_picker_offers_the_territorys_named_streets_and_sets_the_list(fresh):
    from twin.app.forms import StreetPicker

    fresh.family.value = "street-closure"
    w = _field(fresh, "streets")
    assert isinstance(w, StreetPicker) and "twin-invalid" not in w.css_classes
    G = fresh.territory.graphs["drive"]
    named = {d["name"] for _, _, d in G.edges(data=True) if isinstance(d.get("name"), str) and d["name"].strip()}
    offered = list(w.options)
    assert set(offered) == named and len(offered) == len(set(offered))  # unique, every named street, no blank
    assert offered.index("Avenue Étienne Gascon") < offered.index("Avenue Jean Burel")  # French order
    w._process_events({"value": ["Rue de Vannes", "Quai Saint-Jacques"]})  # what the browser sends
    assert fresh.scenario.streets == ["Rue de Vannes", "Quai Saint-Jacques"] and not fresh.invalid
    fresh.family.value = "roadworks"
    detour = _field(fresh, "detour")
    closed = set(fresh.scenario.streets)
    assert list(detour.options) == [s for s in offered if s not in closed] and detour.value == []
    assert not fresh.invalid  # an empty detour is allowed (drivers choose freely)
    # the streets the works close both ways are not offered as their own detour; narrowed works leave them
    _field(fresh, "streets")._process_events({"value": ["Rue de Vannes"]})
    assert "Rue de Vannes" not in list(detour.options) and "Quai Saint-Jacques" in list(detour.options)
    fresh.scenario.capacity_factor = 0.5
    assert "Rue de Vannes" in list(detour.options)
    detour._process_events({"value": ["Rue de Vannes"]})
    fresh.scenario.capacity_factor = 0.0  # closed again: the chosen detour stays shown, refused at the run
    assert detour.value == ["Rue de Vannes"] and "Rue de Vannes" in list(detour.options)


def test_the_map_selection_fills_the_picker_with_an_unnamed_street_by_its_way_id(fresh):
    import html

    fresh.family.value = "street-closure"
    src = fresh.street_src.data
    named = [i for i, n in enumerate(src["name"]) if n == "Rue de Vannes"]  # whole streets: by their names
    way = next(src["way"][i] for i, n in enumerate(src["name"]) if not n and src["way"][i])
    unnamed = [i for i, n in enumerate(src["name"]) if not n and src["way"][i] == way]
    fresh.street_src.selected.indices = [*named, *unnamed]
    fresh._use_selection()
    w = _field(fresh, "streets")
    assert fresh.scenario.streets == ["Rue de Vannes", way] and w.value == ["Rue de Vannes", way]
    # the form's example street, untouched, is replaced, not added to, and the message says so
    assert "à la place de l'exemple du formulaire (Quai Saint-Jacques)" in html.unescape(fresh.message.object)
    assert w.options[f"voie OSM {way}"] == way  # shown, not dropped
    assert not fresh.invalid


def test_a_street_clicked_in_part_closes_that_part_alone(fresh):
    """A planner shift-clicked 50 m of Rue des Douves: « Utiliser la sélection » closed its 340 m and the page said
    only « Rues sélectionnées sur la carte : Rue des Douves ». It now takes the segment clicked alone, says so
    with its length and the street's, and the picker shows it by its street and length."""
    import html

    from twin.app.i18n import fmt_number

    fresh.family.value = "roadworks"
    src = fresh.street_src.data
    rows = [i for i, n in enumerate(src["name"]) if n == "Rue des Douves"]
    segments = {tuple(sorted(str(src["edge"][i]).split("-")[:2])) for i in rows}
    assert len(segments) >= 2  # a street of several segments: one of them is a part
    fresh.street_src.selected.indices = [rows[0]]
    fresh._selection_changed("indices", [], [rows[0]])
    said = html.unescape(fresh.selection_text.object)
    whole = sum({tuple(sorted(str(src["edge"][i]).split("-")[:2])): src["length_m"][i] for i in rows}.values())
    picked = fmt_number(round(src['length_m'][rows[0]]), 'fr')
    assert (f"« Utiliser la sélection » ne prend que les tronçons sélectionnés : Rue des Douves {picked}\u00a0m sur "
            f"{fmt_number(round(whole), 'fr')}\u00a0m") in said, said
    # no zone offered to close a part: a drawn zone closes every segment it touches, its crossings' too
    assert "zone" not in said
    fresh._use_selection()
    u, v = sorted(int(x) for x in str(src["edge"][rows[0]]).split("-")[:2])
    assert fresh.scenario.streets == [f"Rue des Douves #{u}-{v}"]
    w = _field(fresh, "streets")
    label = next(k for k, x in w.options.items() if x == f"Rue des Douves #{u}-{v}")
    assert label.startswith("Rue des Douves, ") and label.endswith(f"(tronçon de {picked}\u00a0m)"), label
    assert ", entre " in label or ", au croisement de " in label  # where it runs, by the streets at its ends
    from twin.app.builder_fields import variant_name
    from twin.app.street_label import street_label
    from twin.scenarios.street_closure import StreetClosure

    # the variant's name says the part by its street and length, not by its node ids
    assert variant_name(StreetClosure(streets=fresh.scenario.streets), "fr") == \
        f"Fermeture Rue des Douves (tronçon de {picked}\u00a0m)"
    assert street_label(fresh.scenario.streets[0], "fr", G=None) == label  # the page's graph, registered

    # two parts of one street alike keep two labels: the browser sends labels back, one would drop the other
    fresh.scenario.streets = []
    union = [i for i, n in enumerate(src["name"]) if n == "Rue de l'Union"]
    fresh.street_src.selected.indices = union[:1] + [i for i in union if src["edge"][i].split("-")[:2] not in (
        src["edge"][union[0]].split("-")[:2], src["edge"][union[0]].split("-")[1::-1])][:1]
    fresh._use_selection()
    assert len(fresh.scenario.streets) == 2, fresh.scenario.streets
    labels = [k for k, x in w.options.items() if x in fresh.scenario.streets]
    assert len(set(labels)) == 2, labels
    fresh.street_src.selected.indices = rows  # the whole street: nothing to warn of
    fresh._selection_changed("indices", [], rows)
    assert html.unescape(fresh.selection_text.object) == "<p>Rues sélectionnées sur la carte : Rue des Douves</p>"


def test_the_map_selection_is_added_to_the_streets_already_chosen(fresh):
    """A planner typed Rue de Vannes, then clicked part of Rue des Douves on the map: « Utiliser la sélection »
    put the part in place of Rue de Vannes. It now adds, says how many, and a whole street covers its parts."""
    import html

    fresh.family.value = "roadworks"
    src = fresh.street_src.data
    fresh.scenario.streets = ["Rue de Vannes"]
    rows = [i for i, n in enumerate(src["name"]) if n == "Rue des Douves"]
    fresh.street_src.selected.indices = [rows[0]]
    fresh._use_selection()
    u, v = sorted(int(x) for x in str(src["edge"][rows[0]]).split("-")[:2])
    assert fresh.scenario.streets == ["Rue de Vannes", f"Rue des Douves #{u}-{v}"]
    assert "1 rue ou tronçon ajouté aux rues du scénario" in html.unescape(fresh.message.object)
    assert "1 rue ou tronçon ajouté" in html.unescape(fresh.selection_text.object)  # under the button too
    fresh._use_selection()  # the same again: nothing added, and said
    assert fresh.scenario.streets == ["Rue de Vannes", f"Rue des Douves #{u}-{v}"]
    assert "déjà dans le scénario" in html.unescape(fresh.message.object)
    fresh.street_src.selected.indices = rows  # the whole street now: it replaces its part
    fresh._use_selection()
    assert fresh.scenario.streets == ["Rue de Vannes", "Rue des Douves"]
    assert _field(fresh, "streets").value == ["Rue de Vannes", "Rue des Douves"]


# ------------------------------------------------------------------------------------------------
# hours, days, selectors
# ------------------------------------------------------------------------------------------------
def test_the_hour_pickers_give_the_window_and_refuse_an_empty_one(fresh):
    from twin.timeutil import parse_hour_range

    fresh.family.value = "roadworks"
    w = _field(fresh, "hours")
    assert (w.start.value, w.end.value) == ("07:00", "19:00")
    assert w.start.options[:3] == ["00:00", "00:30", "01:00"] and w.end.options[-1] == "24:00"
    w.start.value, w.end.value = "22:00", "05:30"
    assert fresh.scenario.hours == "22:00-05:30" and parse_hour_range(fresh.scenario.hours) == (1320, 1770)
    assert not fresh.invalid and "passe minuit" in w._note.object  # the model wraps it past midnight
    w.end.value = "22:00"
    assert fresh.run_blocked and "twin-invalid" in w.start.css_classes
    assert "« Heures » : la plage de 22:00 à 22:00 est vide (début = fin)" in html.unescape(fresh.field_note.object)
    assert fresh.scenario.hours == "22:00-05:30"  # never run
    w.start.value, w.end.value = "00:00", "24:00"
    assert fresh.scenario.hours == "00:00-24:00" and not fresh.run_blocked


def test_a_closure_of_bins_stays_inside_one_day(fresh):
    fresh.family.value = "bins"
    w = _field(fresh, "close_hours")
    w.start.value, w.end.value = "22:00", "02:00"
    assert "doit finir après son début" in html.unescape(fresh.field_note.object) and fresh.run_blocked
    w.end.value = "24:00"
    assert fresh.scenario.close_hours == "22:00-24:00" and not fresh.invalid


def test_hours_from_a_file_off_the_half_hour_grid_are_shown_not_rounded(fresh):
    fresh.family.value = "roadworks"
    fresh._family_changed(values={"hours": "7:15-18:45", "streets": ["Quai Saint-Jacques"]})
    w = _field(fresh, "hours")
    assert (w.start.value, w.end.value) == ("07:15", "18:45") and "07:15" in w.start.options
    assert fresh.scenario.hours == "7:15-18:45" and not fresh.invalid


def test_days_are_picked_as_days_and_give_monday_zero_numbers(fresh):
    fresh.family.value = "bins"
    w = _field(fresh, "round_weekdays")
    assert list(w.options) == ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
    # each row of days says which days it sets (Panel's button group showed no label: two unnamed rows)
    heads = {n: html.unescape(re.sub(r"<[^>]+>", "|", _field(fresh, n)._head.object))
             for n in ("round_weekdays", "baseline_weekdays")}
    assert "|Jours de tournée|" in heads["round_weekdays"]
    assert "|Jours de tournée actuels|" in heads["baseline_weekdays"]
    w.value = [5, 0, 2]
    assert fresh.scenario.round_weekdays == [0, 2, 5]
    day = _field(fresh, "close_weekday")
    assert day.options["vendredi"] == 4 and day.value == 4
    day.value = 6
    assert fresh.scenario.close_weekday == 6 and not fresh.invalid


def test_selector_options_are_french_and_the_values_the_models(fresh):
    from twin.scenarios import SCENARIOS

    fresh.family.value = "roadworks"
    w = _field(fresh, "day_method")
    assert w.options == {"heure de pointe et heures creuses (rapide)": "peak+off-peak",
                         "heure par heure (plus long)": "hourly"}
    w.value = "peak+off-peak"
    assert fresh.scenario.day_method == "peak+off-peak"
    fresh.family.value = "street-closure"
    dest = _field(fresh, "destination")
    have = set(fresh.territory.layers["places"]["category"])
    # only places the territory has ("santé": Redon's map has no health place, a run would fail)
    assert set(dest.options.values()) == {c for c in SCENARIOS["street-closure"].param["destination"].objects
                                          if c in have} and dest.options["gare"] == "station"


# ------------------------------------------------------------------------------------------------
# the lighting schedule form
# ------------------------------------------------------------------------------------------------
OFF_EXCEPT_STATION = [
    {"zone": {"all": True}, "schedule": {"name": "off 23:00–05:00", "off_windows": [["23:00", "05:00"]]}},
    {"zone": {"near": {"category": ["station"], "radius_m": 150}}, "schedule": {"name": "all night"}}]


def _strip_names(rules):
    return [{"zone": r["zone"], "schedule": {k: v for k, v in r["schedule"].items() if k != "name"}} for r in rules]


def test_the_lighting_form_writes_the_rules_in_the_models_format(fresh):
    from twin.app.forms_lighting import LightingForm

    fresh.family.value = "lighting"
    f = _field(fresh, "rules")
    assert isinstance(f, LightingForm) and not f.advanced
    # the scenario's default (off 23:00–05:00 everywhere) is shown as the form's first row
    assert f.off_on.value and (f.off_a.value, f.off_b.value) == ("23:00", "05:00") and not f.keep_on.value
    assert set(f.keep_cats.options.values()) == set(fresh.territory.layers["places"]["category"])
    assert f.keep_cats.options["gare"] == "station" and f.keep_cats.options["écoles"] == "school"
    f.keep_on.value = True
    f.keep_cats.value = ["station"]
    f.keep_radius.value = 150
    assert _strip_names(fresh.scenario.rules) == _strip_names(OFF_EXCEPT_STATION)
    assert fresh.scenario.rules[0]["schedule"]["name"] == "éteint 23:00–05:00"
    f.dim_on.value = True
    f.dim_level.value = 40
    assert fresh.scenario.rules[0]["schedule"]["dimming"] == [["22:00", "06:00", 0.4]]
    assert fresh.scenario.rules[0]["schedule"]["off_windows"] == [["23:00", "05:00"]] and not fresh.invalid
    assert _field(fresh, "baseline_rules").options == {"Éclairage toute la nuit": []}


@pytest.mark.parametrize("setup,edit,why", [
    ({"keep_on": True}, {"keep_cats": []}, "cochez au moins un lieu près duquel garder l'éclairage"),
    ({}, {"off_b": "23:00"}, "plage « Éteindre » : la plage de 23:00 à 23:00 est vide"),
    ({"dim_on": True}, {"dim_level": 140}, "le niveau abaissé doit être entre 0 et 100 % (saisi : 140)"),
    ({"keep_on": True}, {"keep_radius": 0},
     "le rayon doit être un nombre de mètres au-dessus de 0 et d'au plus 5\u202f000 (saisi : 0)"),
    # an extra zero typed in a workshop: every lamp of the commune would be « near », silently
    ({"keep_on": True}, {"keep_radius": 1e12},
     "le rayon doit être un nombre de mètres au-dessus de 0 et d'au plus 5\u202f000 (saisi : 1\u202f000\u202f000\u202f000\u202f000)"),
    ({"dim_on": True}, {"dim_level": 140.5}, "le niveau abaissé doit être entre 0 et 100 % (saisi : 140,5)"),
])
def test_a_lighting_form_that_cannot_make_rules_blocks_lancer_and_says_why(fresh, setup, edit, why):
    fresh.family.value = "lighting"
    f = _field(fresh, "rules")
    for k, v in setup.items():
        getattr(f, k).value = v
    before = fresh.scenario.rules
    assert not fresh.invalid
    for k, v in edit.items():
        getattr(f, k).value = v
    assert fresh.run_blocked and why in html.unescape(fresh.field_note.object)
    assert fresh.scenario.rules == before  # never run
    # only the inputs at fault are outlined (a wrong level outlined the valid switch-off hours too)
    outlined = {name for name in ("off_a", "off_b", "dim_level", "dim_a", "dim_b", "keep_cats", "keep_radius")
                if "twin-invalid" in getattr(f, name).css_classes}
    assert outlined == ({"off_a", "off_b"} if "off_b" in edit else set(edit)), outlined
    for k, v in edit.items():  # put right: taken again
        getattr(f, k).value = {"keep_cats": ["station"], "off_b": "05:00", "dim_level": 50, "keep_radius": 100}[k]
    assert not fresh.invalid and not fresh.run_blocked and fresh.scenario.rules == f.rules()
    assert not any("twin-invalid" in getattr(f, name).css_classes for name in ("off_a", "dim_level", "keep_radius"))


def test_rules_made_by_the_form_run_as_the_same_rules_typed_as_data(fresh):
    """The form's rules and the documented rules typed by an expert give the same KPIs."""
    from twin.scenarios import SCENARIOS

    fresh.family.value = "lighting"
    f = _field(fresh, "rules")
    f.keep_on.value = True
    f.keep_cats.value = ["station"]
    f.keep_radius.value = 150
    made = fresh.scenario.rules
    cls = SCENARIOS["lighting"]
    a = cls(rules=made, led_retrofit=False).run(fresh.territory)
    b = cls(rules=OFF_EXCEPT_STATION, led_retrofit=False).run(fresh.territory)
    va, vb = a.data["value"].values, b.data["value"].values
    assert va.shape == vb.shape and (va == vb).all()
    assert a.value("energy_kwh", a.data["variant"].values[1]) < a.value("energy_kwh", "baseline")


@pytest.fixture()
def threads(monkeypatch):
    """Runs in threads of this process (no worker processes to spawn), with an empty result cache."""
    from twin.app.server import workers

    monkeypatch.setattr(workers, "WORKERS", 0)
    monkeypatch.setattr(workers, "_EXECUTORS", {})
    monkeypatch.setattr(workers, "_RESULTS", workers.OrderedDict())


def test_advanced_rules_from_a_file_are_kept_said_run_and_replaceable(fresh, threads):
    import asyncio
    import json

    expert = [{"zone": {"highway": ["residential"]}, "schedule": {"name": "résidentiel", "off_windows": [
        ["00:00", "05:00"]], "weekend_off_windows": []}}]
    fresh.family.value = "lighting"
    content = json.dumps({"family": "lighting", "rules": expert, "led_retrofit": False}).encode()
    fresh.upload.param.update(filename="expert.json", value=content)  # what the page's upload button does
    f = _field(fresh, "rules")
    assert f.advanced and fresh.scenario.rules == expert and not fresh.invalid, fresh.message.object
    assert "Règles avancées chargées depuis un fichier : 1 règle(s) (highway → résidentiel)" in f.advanced_note.object
    assert f.advanced_note.visible and f.replace.visible and not f._rows.visible
    asyncio.run(fresh.run())  # they run as the file says
    assert "Terminé" in fresh.kpis.text and fresh.last_params["rules"] == expert and fresh.outcome_rows
    f._replace()
    assert not f.advanced and fresh.scenario.rules == f.rules() and fresh.scenario.rules != expert


def test_a_zone_drawn_on_the_map_closes_its_streets_in_roadworks(fresh):
    fresh.family.value = "roadworks"
    x, y = fresh.territory.layers["lamps"].geometry.iloc[0].coords[0]
    fresh.map_sources["zone"].data = {"x": [x], "y": [y], "width": [300.0], "height": [300.0]}
    fresh._use_zone()  # polygon and streets set at once
    assert fresh.scenario.polygon.startswith("POLYGON") and fresh.scenario.streets == []
    assert "Zone dessinée appliquée au scénario" in html.unescape(fresh.message.object)


def test_a_zone_drawn_on_the_map_is_kept_lit_by_the_form(fresh):
    fresh.family.value = "lighting"
    xs, ys = zip(*[(g.x, g.y) for g in fresh.territory.layers["lamps"].geometry[:1]], strict=True)
    fresh.map_sources["zone"].data = {"x": [xs[0]], "y": [ys[0]], "width": [200.0], "height": [200.0]}
    fresh._use_zone()
    f = _field(fresh, "rules")
    assert not f.advanced and "Zones dessinées sur la carte gardées allumées : 1" in f.zones_note.object
    assert "polygon" in fresh.scenario.rules[-1]["zone"] and fresh.scenario.rules[-1]["schedule"] == {
        "name": "toute la nuit"}  # named in the page's language, as the form names its rules
    f.keep_on.value = True  # editing a row keeps the zone (last: it overrides the rows for its lamps)
    assert "polygon" in fresh.scenario.rules[-1]["zone"] and "near" in fresh.scenario.rules[1]["zone"]
    f._clear_zones()
    assert all("polygon" not in r["zone"] for r in fresh.scenario.rules)


# ------------------------------------------------------------------------------------------------
# a flood's rivers and alert stages
# ------------------------------------------------------------------------------------------------
def test_a_floods_rivers_are_picked_among_the_territorys_and_empty_is_its_own(fresh):
    from twin.app.i18n import t

    fresh.family.value = "flood"
    w = _field(fresh, "river_names")
    names = set(fresh.territory.layers["waterways"]["name"].dropna())
    assert names <= set(w.options) and "La Vilaine" in w.options
    assert w.value == [] and w.placeholder == t("territory_own", "fr")  # empty: the territory's own, said so
    w._process_events({"value": ["La Vilaine"]})
    assert fresh.scenario.river_names == ["La Vilaine"] and not fresh.invalid


def test_the_page_s_flood_forecast_is_the_command_line_s(fresh):
    """The page drew 100 members and the CLI 200: « orange 37 % » on one, « 42 % » on the other for the same
    issue time. A flood officer is shown one forecast whichever way it is run."""
    from twin.scenarios.flood import FloodForecast

    page = fresh
    page.family.value = "flood"
    defaults = {k: v for k, v in FloodForecast().param.values().items() if k not in ("name", "variant_name")}
    shown = {k: v for k, v in page.current_params().items() if k != "variant_name"}
    assert shown == defaults and shown["members"] == 200


@pytest.mark.parametrize("family", ["water-break", "water-pressure", "water-meters"])
def test_the_population_is_typed_in_a_whole_number_box_left_empty_when_unknown(fresh, family):
    """A slider from 0 to 20 million gave 177,515 people for 3 pixels dragged: a box, empty by default."""
    fresh.family.value = family
    w = _field(fresh, "population")
    assert isinstance(w, pn.widgets.FloatInput) and w.value is None
    w._process_events({"value": 1700.5})  # a box that takes decimals (« 1 700,5 » is not read 17005): refused
    assert "population" in fresh.invalid
    w._process_events({"value": 1700})
    assert fresh.scenario.population == 1700 and not fresh.invalid
    w._process_events({"value": None})
    assert fresh.scenario.population is None and not fresh.invalid


def test_alert_stages_are_three_numbers_or_none(fresh):
    fresh.family.value = "flood"
    w = _field(fresh, "alert_levels_m")
    assert [b.label for b in w.boxes.values()] == ["jaune", "orange", "rouge"]
    assert all(b.value is None for b in w.boxes.values()) and fresh.scenario.alert_levels_m == {}
    w.boxes["yellow"].value = 3.5
    assert fresh.run_blocked and "donnez les trois seuils (jaune, orange, rouge) ou aucun" in \
        html.unescape(fresh.field_note.object)
    assert fresh.scenario.alert_levels_m == {}
    w.boxes["orange"].value, w.boxes["red"].value = 4.5, 5.5
    assert fresh.scenario.alert_levels_m == {"yellow": 3.5, "orange": 4.5, "red": 5.5} and not fresh.invalid
    for b in w.boxes.values():
        b.value = None
    assert fresh.scenario.alert_levels_m == {} and not fresh.invalid


def test_every_forms_string_is_given_in_french_and_english_with_the_same_fields():
    """One catalogue, both languages: a string missing in one language, or whose {fields} differ,
    fails here before a page shows it."""
    import string

    from twin.app.catalogue.forms import STRINGS

    def fields(text):
        return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)

    bad = [k for k, (fr, en) in STRINGS.items()
           if not k.startswith("forms_") or not fr.strip() or not en.strip() or fields(fr) != fields(en)]
    assert not bad, bad


def test_a_flood_detours_forecast_is_the_default_or_a_files_never_typed(fresh):
    fresh.family.value = "flood-detours"
    w = _field(fresh, "flood")
    assert w.options == {"Prévision de crue par défaut du territoire": {}} and fresh.scenario.flood == {}
    given = {"forecast_time": "2023-02-22T00:00", "members": 20}
    fresh._family_changed(values={"flood": given})  # what a scenario file does
    w = _field(fresh, "flood")
    assert w.value == given and "Paramètres de crue chargés depuis un fichier (2)" in w.options
    assert fresh.scenario.flood == given and not fresh.invalid
    w.value = {}
    assert fresh.scenario.flood == {}


def test_a_dictionary_box_that_does_not_read_says_so_in_french():
    """The dictionary box no offered form uses any more (a family's Dict parameter without a plain
    input falls back to it): its "(invalid)" in French, the value kept."""
    from twin.app.fields import DictBox

    w = DictBox(label="Seuils", value={"a": 1}, lang="fr")
    w._process_events({"value": "{'yellow':"})
    assert w.label == "Seuils (illisible)" and w.value == {"a": 1}
    w._process_events({"value": "[3.5]"})
    assert w.label == "Seuils (pas un dictionnaire)" and w.value == {"a": 1}


# ------------------------------------------------------------------------------------------------
# the everyday fields first, the expert's folded (« Lancer » in sight on a 1024×768 projector)
# ------------------------------------------------------------------------------------------------
# what an expert sets and an elected official leaves: prices, emission factors, model constants,
# ensemble sizes, seeds (a sample of each family's)
EXPERT = {"lighting": ("price_eur_per_kwh", "co2_kg_per_kwh", "led_power_ratio", "corridor_buffer_m", "year"),
          "bins": ("members", "seed", "compaction_factor", "truck_capacity_l", "coverage_m"),
          "roadworks": ("gap", "co2_kg_per_vkm", "internal_scale", "through_scale", "detour_attraction"),
          "heating": ("gas_eur_per_kwh", "co2_kg_per_kwh", "efficiency", "retrofit_ua_cut", "bms_eur"),
          "flood": ("members", "seed", "rain_cv", "model_error_cv", "params", "rain_gauge"),
          "flood-detours": ("gap", "fire_threshold_min", "hospital_threshold_min"),
          "street-closure": ("variant_name",),
          "parking": ("members", "seed", "pay_median_eur_h", "paid_price_eur_h", "street_prices"),
          "water-break": ("valve_seed", "service_pressure_m", "litres_per_person_day", "water_cost_eur_m3", "engine"),
          "water-pressure": ("n2", "burst_cost_eur", "water_cost_eur_m3", "step_min", "days"),
          "water-meters": ("trials", "members", "seed", "search_eur_per_km", "false_alarms_per_year")}


@pytest.mark.parametrize("family", FAMILIES_ALL)
def test_the_everyday_fields_come_first_and_the_experts_are_folded(app, family):
    from twin.app.builder_fields import EVERYDAY, Fold
    from twin.app.i18n import t

    _family(app, family)
    pane = app.params_box[0]
    shown = list(pane.layout.objects)
    card = app.advanced_card
    assert shown[-1] is card.__panel__()  # last, under the everyday fields
    assert isinstance(card, Fold) and card.collapsed and card.title == t("forms_advanced", "fr") == \
        "Hypothèses avancées" and not card.body.visible and card.toggle.name == "▸ Hypothèses avancées"
    widgets = pane._widgets
    name_of = {id(w): n for n, w in widgets.items()}
    top = [name_of[id(w)] for w in shown[:-1]]
    folded = [name_of[id(w)] for w in card.objects if id(w) in name_of]
    assert top == [n for n in widgets if n in EVERYDAY[family]] and top, top
    assert set(top) | set(folded) == set(widgets) and not set(top) & set(folded)  # every field, once
    assert set(EXPERT[family]) <= set(folded), set(EXPERT[family]) - set(folded)


def test_a_refused_field_in_the_folded_card_opens_it(fresh):
    fresh.family.value = "roadworks"
    card = fresh.advanced_card
    assert card.collapsed
    _field(fresh, "gap").value = 0.5  # above its bound
    assert fresh.run_blocked and "gap" in fresh.invalid
    assert not card.collapsed and card.body.visible, "the refused field is shown, not left folded"
    assert card.toggle.value and card.toggle.name == "▾ Hypothèses avancées"
    card.toggle.value = False  # the person folds it again
    assert card.collapsed and not card.body.visible


# ------------------------------------------------------------------------------------------------
# a variant named in French from its inputs
# ------------------------------------------------------------------------------------------------
def test_a_variant_is_named_in_french_from_its_inputs_until_the_person_names_it(fresh):
    fresh.family.value = "street-closure"
    assert fresh.scenario.variant_name == "Fermeture Quai Saint-Jacques"
    assert _field(fresh, "variant_name").value == "Fermeture Quai Saint-Jacques"  # the field shows it
    _field(fresh, "streets")._process_events({"value": ["Quai Saint-Jacques", "Rue de Vannes"]})
    assert fresh.scenario.variant_name == "Fermeture Quai Saint-Jacques et Rue de Vannes"
    _field(fresh, "streets")._process_events({"value": ["Quai Saint-Jacques", "Rue de Vannes", "Grande Rue"]})
    assert fresh.scenario.variant_name == "Fermeture Quai Saint-Jacques et 2 autres rues"
    fresh.scenario.param.update(streets=["Rue de Vannes"], destination="school")  # two at once (a file, the map)
    assert fresh.scenario.variant_name == "Fermeture Rue de Vannes"
    _field(fresh, "variant_name").value = "Quai fermé le samedi"  # typed: kept whatever the streets
    _field(fresh, "streets")._process_events({"value": ["Rue de Vannes"]})
    assert fresh.scenario.variant_name == "Quai fermé le samedi"

    fresh.family.value = "lighting"
    assert fresh.scenario.variant_name == "Extinction 23 h–5 h"
    f = _field(fresh, "rules")
    f.dim_on.value = True
    f.dim_level.value = 40
    assert fresh.scenario.variant_name == "Extinction 23 h–5 h, abaissement à 40 % 22 h–6 h"
    f.off_on.value = False
    f.keep_on.value = True
    assert fresh.scenario.variant_name == "Abaissement à 40 % 22 h–6 h, lieux gardés allumés"
    _field(fresh, "led_in_variant").value = True  # the proposal is LED: its name says so
    assert fresh.scenario.variant_name == "Abaissement à 40 % 22 h–6 h, lieux gardés allumés ; tout LED"
    # a zone drawn on the map is said apart from the places kept lit (two variants bore one name)
    from twin.app.builder_fields import _lighting

    off = {"zone": {"all": True}, "schedule": {"off_windows": [["23:00", "05:00"]]}}
    drawn = {"zone": {"polygon": "POLYGON ((0 0, 1 0, 1 1, 0 0))"}, "schedule": {}}
    near = {"zone": {"near": ["school"], "radius_m": 50}, "schedule": {}}
    assert _lighting([off, drawn], "fr") == "Extinction 23 h–5 h, zone dessinée gardée allumée"
    assert _lighting([off, near, drawn], "fr") == "Extinction 23 h–5 h, lieux gardés allumés, zone dessinée gardée allumée"
    assert _lighting([drawn], "fr") == "Zone dessinée gardée allumée"
    assert _lighting([near], "en") == "Places kept lit"
    f.dim_on.value = False
    f.keep_on.value = False
    assert fresh.scenario.variant_name == "Tout LED"

    fresh.family.value = "bins"
    _field(fresh, "round_weekdays").value = [0, 3]
    assert fresh.scenario.variant_name == "Collecte prédictive (capteurs) : lun., jeu."
    # what it buys besides its rounds (5 compacting bins on today's days were named as today's situation)
    fresh.scenario.param.update(compacting_bins=5, add_best=2)
    assert fresh.scenario.variant_name == "Collecte prédictive (capteurs) : lun., jeu. + 5 compactantes + 2 corbeilles " \
                                          "ajoutées"


def test_the_run_and_the_saved_variant_carry_the_french_name(fresh, threads):
    import asyncio

    fresh.family.value = "street-closure"
    asyncio.run(fresh.run())
    assert {r["variant"] for r in fresh.outcome_rows} >= {"Fermeture Quai Saint-Jacques"}
    assert "closed" not in {r["variant"] for r in fresh.outcome_rows}
    # one name, not two boxes labelled « Nom de la variante »: the save box says it saves under the name it
    # shows greyed, the run's own
    assert fresh.variant_name.name == "Enregistrer sous le nom"
    assert fresh.variant_name.placeholder == "Fermeture Quai Saint-Jacques" and fresh.variant_name.value == ""
    fresh.save()  # no name typed in the save box: the variant's own
    assert [v.name for v in fresh.store.list()] == ["Fermeture Quai Saint-Jacques"]
    # a name typed is used once: the box is emptied after the save (a second run was saved under the first's
    # name), and a name already saved is refused, said in French (the comparison said « « A » économise 484 €
    # de plus que « A » »)
    fresh.variant_name.value = "Quai fermé"
    fresh.save()
    assert fresh.variant_name.value == "" and [v.name for v in fresh.store.list()][-1] == "Quai fermé"
    fresh.variant_name.value = "Quai fermé"
    fresh.save()
    assert [v.name for v in fresh.store.list()].count("Quai fermé") == 1
    assert "Une variante s'appelle déjà « Quai fermé » : choisissez un autre nom" in html.unescape(fresh.save_note.object)
    # a name typed for this family is not the next one's: another family starts with an empty box
    fresh.variant_name.value = "Nuit 1h-5h"
    fresh.family.value = "lighting"
    assert fresh.variant_name.value == "" and fresh.variant_name.placeholder == "celui du calcul si vide"


def test_a_stale_result_is_not_saved_under_a_name_meant_for_the_new_settings(fresh, threads):
    """After a change not run yet, « Enregistrer » saved the old result under the name typed for the new
    settings (« 21h » held 23 h–5 h): refused until « Lancer »; « Utiliser la sélection » with no street
    selected says so (it did nothing, without a word)."""
    import asyncio

    fresh.family.value = "street-closure"
    asyncio.run(fresh.run())
    fresh.scenario.streets = ["Grande Rue"]
    fresh.variant_name.value = "Grande Rue fermée"
    fresh.save()
    assert fresh.store.list() == []
    assert "cliquez sur « Lancer » avant d'enregistrer" in html.unescape(fresh.save_note.object)
    asyncio.run(fresh.run())
    fresh.save()
    assert [v.name for v in fresh.store.list()] == ["Grande Rue fermée"]
    assert fresh.store.list()[0].params["streets"] == ["Grande Rue"]
    fresh._use_selection()
    assert "Aucune rue sélectionnée" in html.unescape(fresh.message.object)
    assert fresh.scenario.streets == ["Grande Rue"]
    # a field refused greys « Lancer »: the save says which field, not « cliquez sur Lancer »
    fresh._mark("streets", _field(fresh, "streets"), "« Rues » est vide")  # as the street picker refuses it
    fresh.save()
    assert "Lancement impossible tant qu'un champ est refusé" in html.unescape(fresh.save_note.object)
    fresh._mark("streets", _field(fresh, "streets"), None)
    # a variant reopened leaves the name box empty: filled with its own name, a save after a change was
    # refused as a name already taken
    fresh.reopen_pick.options = {v.name: v.id for v in fresh.store.list()}
    fresh.reopen_pick.value = fresh.store.list()[0].id
    asyncio.run(fresh.reopen())
    assert fresh.variant_name.value == "" and fresh.scenario.streets == ["Grande Rue"]


# ------------------------------------------------------------------------------------------------
# the map's toolbar and hover details, the cards' units
# ------------------------------------------------------------------------------------------------
def test_the_maps_toolbar_and_hover_details_speak_french(fresh):
    from bokeh.models import HoverTool

    from twin.app.i18n import STRINGS

    french = {fr for fr, _ in STRINGS.values()}
    fresh._ensure_result_map()
    for fig in (fresh.fig, fresh.result_map[0].object):
        tools = fig.toolbar.tools
        assert {type(x).__name__ for x in tools} >= {"PanTool", "WheelZoomTool", "ResetTool", "SaveTool", "TapTool"}
        bad = [(type(x).__name__, x.description) for x in tools if x.description not in french]
        assert not bad, bad  # unset, Bokeh's tooltip is "Pan", "Wheel Zoom", "Reset"…
        names = {x.description for x in tools}
        assert {"Déplacer", "Zoom molette", "Réinitialiser"} <= names
        for hover in (x for x in tools if isinstance(x, HoverTool)):
            for label, _ in hover.tooltips:
                words = set(re.findall(r"[A-Za-zÀ-ÿ]+", label.lower()))
                assert not words & (ENGLISH_WORDS | {"use", "levels", "highway", "kind", "synthetic"}), label
    # the zone a scenario applies to is drawn on the « Carte » tab's map only: drawn on the results' map, it
    # was read by nothing (« Dessinez d'abord une zone sur la carte »)
    assert [type(x).__name__ for x in fresh.fig.toolbar.tools].count("BoxEditTool") == 1
    assert "BoxEditTool" not in {type(x).__name__ for x in fresh.result_map[0].object.toolbar.tools}


def test_every_kpi_unit_is_written_in_french():
    """A unit in words is French on the cards ("armoires", never "cabinets"); a symbol is the same."""
    import importlib

    from twin.app.i18n import unit_label
    from twin.scenarios import SCENARIOS

    bad = []
    for family, cls in SCENARIOS.items():
        for k in importlib.import_module(cls.__module__).KPIS:
            fr = unit_label(k.unit, "fr")
            if re.search(r"[A-Za-z]{4,}", k.unit) and fr == k.unit:
                bad.append((family, k.name, k.unit))
    assert not bad, bad


def test_a_decimal_slider_moved_sets_the_number_and_writes_it_in_french(fresh):
    from twin.app.forms_number import written

    fresh.family.value = "lighting"
    w = _field(fresh, "price_eur_per_kwh")
    assert w.slider.step == 0.01 and not w.slider.show_value  # the value is the page's to write
    w.slider.value = 0.25  # the browser's slider moved
    assert fresh.scenario.price_eur_per_kwh == 0.25 and not fresh.invalid
    assert w._head.object.endswith("(€/kWh)\u00a0: <b>0,25</b></label></div>")
    fresh.scenario.price_eur_per_kwh = 0.18  # set from elsewhere (a scenario file): the slider follows
    assert w.slider.value == 0.18 and "<b>0,18</b>" in w._head.object
    assert _field(fresh, "co2_kg_per_kwh").slider.step == 0.001  # its default, 0,053, is reachable
    assert written(12345.5, 2, "fr") == "12\u202f345,50" and written(12345.5, 2, "en") == "12,345.50"


def test_result_charts_and_difference_maps_name_their_tools_in_french(seed_territory):
    """The toolbar's tooltips of a run's chart and of the comparison's difference maps are French, as the
    map's (« Déplacer », « Réinitialiser »…), never Bokeh's English ("Pan", "Reset")."""
    from bokeh.models import Plot

    from twin.app.diffmap import asset_layer, difference_figure
    from twin.app.results import series_figure
    from twin.app.views.common import variant_shown
    from twin.scenarios import Roadworks

    outcome = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-09:00").run(seed_territory)
    figures = [series_figure(outcome, "fr")]
    diff, _ = difference_figure(seed_territory, asset_layer(outcome, outcome.baseline),
                                asset_layer(outcome, variant_shown(outcome)), ("A", "B"), "fr")
    figures += list(diff.select({"type": Plot}))
    assert len(figures) >= 2
    for fig in figures:
        names = [tool.description for tool in fig.toolbar.tools]
        assert names and not {"Pan", "Reset", "Save", "Wheel Zoom", "Box Zoom", None} & set(names), names


def test_a_lighting_line_s_fields_are_greyed_while_its_box_is_unticked():
    """« gare » ticked under an unticked « Garder allumé près de » read as kept lit when it was not:
    a line's fields wait, greyed, for its box."""
    from twin.app.forms_lighting import LightingForm

    form = LightingForm(categories=["station", "school"], lang="fr")
    assert not form.keep_on.value and form.keep_cats.disabled and form.keep_radius.disabled
    assert form.off_a.disabled and form.dim_level.disabled
    form.keep_on.value = True
    assert not form.keep_cats.disabled and not form.keep_radius.disabled and form.off_a.disabled
    assert form.value[-1]["zone"]["near"]["category"] == ["station"]
    form.value = [{"zone": {"all": True}, "schedule": {"name": "off", "off_windows": [["23:00", "05:00"]]}}]
    assert form.off_on.value and not form.off_a.disabled and form.keep_cats.disabled  # a file's rules too


def test_a_switch_off_in_broad_daylight_is_warned_not_refused():
    """10:00–16:00 typed for 22:00–04:00 ran without a word and saved nothing: the form says so under the
    rows (a warning: the rules stay valid and run)."""
    from twin.app.forms_lighting import LightingForm, in_daylight_all_year

    assert in_daylight_all_year("10:00", "16:00") and not in_daylight_all_year("23:00", "05:00")
    assert not in_daylight_all_year("08:00", "12:00") and not in_daylight_all_year("15:00", "18:00")
    form = LightingForm(categories=["station"], lang="fr")
    form.off_on.value = True
    form.off_a.value, form.off_b.value = "10:00", "16:00"
    assert form._note.visible and "« Éteindre » de 10:00 à 16:00 : en plein jour toute l&#x27;année" in \
        form._note.object
    assert form.error == "" and form.value[0]["schedule"]["off_windows"] == [["10:00", "16:00"]]
    form.off_a.value, form.off_b.value = "23:00", "05:00"
    assert not form._note.visible
    form.off_on.value = False  # no rule at all: that note again
    assert form._note.visible and "aucune règle" in form._note.object


def test_a_switch_off_through_the_whole_day_is_warned_with_the_window_it_likely_meant():
    """05:00–23:00 typed for 23:00–05:00 ran without a word: the lamps lit from 23:00 to 05:00 only, the
    opposite of the plan. The form says so, naming the reversed window (a warning: it still runs)."""
    from twin.app.forms_lighting import LightingForm, spans_the_day

    assert spans_the_day("05:00", "23:00") and spans_the_day("00:00", "23:30")
    assert not spans_the_day("23:00", "05:00") and not spans_the_day("10:00", "16:00")
    assert not spans_the_day("01:00", "06:00") and not spans_the_day("12:00", "23:00")
    assert not spans_the_day("00:00", "24:00")  # all night and day on purpose (a dimming all night long)
    form = LightingForm(categories=["station"], lang="fr")
    form.off_on.value = True
    form.off_a.value, form.off_b.value = "05:00", "23:00"
    assert form._note.visible and "traverse toute la journée" in form._note.object
    assert "vouliez-vous de 23:00 à 05:00" in form._note.object
    assert form.error == "" and form.value[0]["schedule"]["off_windows"] == [["05:00", "23:00"]]
    form.off_a.value = "23:00"
    form.off_b.value = "05:00"
    assert not form._note.visible
    form.off_on.value = False
    form.dim_on.value = True  # a dimming through the day: the lamps stay at full power, not « lit »
    form.dim_a.value, form.dim_b.value = "06:00", "22:00"
    assert "resterait à pleine puissance de 22:00 à 06:00" in html.unescape(form._note.object)


def test_the_flood_form_shows_a_rain_s_own_fields_only_with_it(tmp_path):
    """The multiplier and the design storm's size were shown whatever rain was chosen."""
    from tests.app_helpers import make_app

    app = make_app(tmp_path, "fr")
    app.family.value = "flood"
    widgets = app.params_box[0]._widgets
    assert app.scenario.rain == "ensemble"
    assert not widgets["scale"].visible and not widgets["design_mm"].visible
    # Redon's river has a discharge gauge: the storm's duration is read by a design storm only (« Durée de la
    # pluie de projet » stood beside an ensemble of analogs that never read it)
    assert not widgets["design_duration_h"].visible
    app.scenario.rain = "scaled"
    assert widgets["scale"].visible and not widgets["design_mm"].visible
    app.scenario.rain = "design"
    assert not widgets["scale"].visible and widgets["design_mm"].visible and widgets["design_duration_h"].visible
    app.scenario.rain = "ensemble"
    assert not widgets["design_mm"].visible and not widgets["design_duration_h"].visible
    app.scenario.ensemble_base = "design"  # an ensemble drawn around a design storm uses its size
    assert widgets["design_mm"].visible and not widgets["scale"].visible and widgets["design_duration_h"].visible
    # the scenario's own rules (no territory to tell a gauged river from one without, whose flood prior's
    # storms all read it): the duration is not among the fields hidden
    from twin.app.builder_fields import shown_fields

    assert "design_duration_h" not in shown_fields("flood", {"rain": "ensemble"})
    # a river without a discharge gauge (the territory without sensors): its flood prior's storms all read
    # the duration, so the form shows it with any rain
    import copy

    ungauged = copy.copy(app.territory)
    ungauged.sensors = None
    assert shown_fields("flood", {"rain": "ensemble"}, ungauged).get("design_duration_h", True)
    assert not shown_fields("flood", {"rain": "ensemble"}, app.territory)["design_duration_h"]
    # « pluie prévue, heure par heure »: its hours typed on the form itself, not folded in the advanced card
    app.scenario.ensemble_base = "climatology"
    app.scenario.rain = "forecast"
    assert widgets["rain_forecast_mm"].visible and "rain_forecast_mm" not in app.advanced
    app.scenario.rain = "none"
    assert not widgets["rain_forecast_mm"].visible


def test_flood_detours_offers_the_flood_forecasts_saved_on_the_page(tmp_path):
    """A GEMAPI team's saved forecast (its issue time, its rain × 1,5) could not be chosen as the flood
    that closes the streets: only the territory's default or a JSON file."""
    from tests.app_helpers import make_app
    from twin.app.variants import Variant

    app = make_app(tmp_path, "fr")
    params = {"family": "flood", "forecast_time": "2023-02-22T00:00", "rain": "scaled", "scale": 1.5}
    app.store.save(Variant("Crue × 1,5", "flood", "redon", params, []))
    app.family.value = "flood-detours"
    box = app.params_box[0]._widgets["flood"]
    label = "Variante de crue enregistrée « Crue × 1,5 »"
    assert label in box.options and box.options[label]["scale"] == 1.5 and "family" not in box.options[label]
    box.value = box.options[label]
    assert app.scenario.flood["rain"] == "scaled" and app.scenario.flood["forecast_time"] == "2023-02-22T00:00"


def test_the_stale_note_compares_what_a_run_asks_not_how_it_is_written():
    """A box's 0 is the form's 0.0, renaming asks nothing new, and a 5 MB calendar is compared by its
    length and hash (repr of it at every edit took 0.1 s)."""
    from twin.app.builder import _fingerprint

    calendar = "BEGIN:VCALENDAR\n" + "x" * 5_000_000
    a = _fingerprint({"family": "heating", "setpoint_change_k": 0, "variant_name": "A", "booking_ics_text": calendar})
    b = _fingerprint({"family": "heating", "setpoint_change_k": 0.0, "variant_name": "B",
                      "booking_ics_text": "".join([calendar])})
    assert a == b
    assert a != _fingerprint({"family": "heating", "setpoint_change_k": 0.5, "booking_ics_text": calendar})
    assert a != _fingerprint({"family": "heating", "setpoint_change_k": 0, "booking_ics_text": calendar + "y"})


def test_a_dimming_level_is_named_with_the_page_s_decimal_mark():
    """« abaissement à 12.5 % » on the French page: a decimal comma there, a point on the English one."""
    from twin.app.builder_fields import _lighting

    rules = [{"zone": {"all": True}, "schedule": {"dimming": [["22:00", "06:00", 0.125]]}}]
    assert "Abaissement à 12,5 %" in _lighting(rules, "fr")
    assert "imming to 12.5 %" in _lighting(rules, "en")
    rules[0]["schedule"]["dimming"][0][2] = 0.1225  # not rounded: 12.25 % and 12.2 % are two plans
    assert "Abaissement à 12,25 %" in _lighting(rules, "fr")


def test_an_emptied_decimal_box_is_sent_to_the_browser_empty_not_nan():
    """Panel sends a FloatInput's None as NaN, which the browser's box writes « NaN »: every decimal
    box of the page is a NumberBox, which sends none."""
    from bokeh.document import Document

    from twin.app.forms_number import NumberBox

    box = NumberBox(value=2.5)
    model = box.get_root(Document())
    box.value = None
    assert model.value is None
    plain = pn.widgets.FloatInput(value=2.5)
    plain_model = plain.get_root(Document())
    plain.value = None
    assert plain_model.value != plain_model.value  # Panel's own: NaN (what the browser showed)


def test_every_decimal_box_of_every_family_is_a_number_box(app):
    from twin.app.forms_number import NumberBox
    from twin.scenarios import SCENARIOS

    seen = 0
    for family in SCENARIOS:
        _family(app, family)
        for name, w in app.params_box[0]._widgets.items():
            for box in (w.select(pn.widgets.FloatInput) if hasattr(w, "select") else [w]):
                if isinstance(box, pn.widgets.FloatInput):
                    assert isinstance(box, NumberBox), (family, name)
                    seen += 1
    assert seen > 5  # the lighting form's, the advanced prices', the water's population…


def test_a_wide_whole_number_is_typed_in_a_box_not_picked_on_a_slider(app):
    """Seeds (0…4 294 967 295), a season (1…3 660 days), compacting bins (0…1 000 for 27 bins): sliders no one
    could set; the trucks (1…20) stay a slider."""
    from twin.app.forms_number import NumberBox

    _family(app, "bins")
    widgets = app.params_box[0]._widgets
    for name in ("seed", "days", "compacting_bins", "members"):
        assert isinstance(widgets[name], NumberBox), name
    assert isinstance(widgets["trucks"], pn.widgets.IntSlider) and widgets["trucks"].start == 1


def test_a_price_a_slider_cannot_reach_is_typed_in_a_box(app):
    """A compacting bin's price on a 0…1 000 000 € slider: one pixel took 5 950 € to 8 909 €, Istres'
    6 500 € out of reach. Such prices are typed; a price whose slider reaches its neighbours stays one."""
    from twin.app.forms_number import NumberBox, NumberSlider

    _family(app, "bins")
    widgets = app.params_box[0]._widgets
    for name in ("compacting_bin_eur", "bin_eur", "sensor_eur", "fuel_eur_per_l"):
        assert isinstance(widgets[name], NumberBox), name
    widgets["compacting_bin_eur"].value = 6500.0
    assert app.scenario.compacting_bin_eur == 6500.0
    _family(app, "lighting")
    widgets = app.params_box[0]._widgets
    assert isinstance(widgets["led_cost_eur_per_lamp"], NumberBox)
    assert isinstance(widgets["price_eur_per_kwh"], NumberSlider)  # 0…5 € for 0,20 €: 2,5 ct a step
    _family(app, "roadworks")
    capacity = app.params_box[0]._widgets["capacity_factor"]
    assert isinstance(capacity, NumberSlider)  # 0…1 from 0
    # 1 is excluded (no works): the slider stops a step before (it reached « 1,00 », then refused it)
    assert capacity.start == 0 and capacity.end == capacity.slider.end == 0.99
    # a share, written in per cent (« 0,50 » was read as half a vehicle, or half a metre)
    capacity.value = 0.35
    assert app.scenario.capacity_factor == 0.35
    assert "(0\u00a0% : rue fermée)" in capacity._head.object.replace(" %", "\u00a0%") or \
        "(0 % : rue fermée)" in capacity._head.object
    assert capacity._head.object.endswith("<b>35\u00a0%</b></label></div>"), capacity._head.object
    assert widgets["price_eur_per_kwh"]._head.object.count("%") == 0  # a price stays a number


def test_fixed_rounds_chosen_keep_today_s_round_days(app):
    """Added bins on « jours fixes »: the variant's rounds stayed every weekday against today's Monday,
    Wednesday and Friday, and the cost rose 95,9 % from the rounds. Fixed rounds now start from today's
    days; days the person picked stay."""
    _family(app, "bins")
    sc = app.scenario
    sc.policy = "fixed"
    assert sc.round_weekdays == sc.baseline_weekdays == [0, 2, 4]
    # said where the person looks (it changed under their eyes, « lun–ven » to « lun, mer, ven »)
    assert app.message.visible and "jours de tournée sont mis à ceux d'aujourd'hui (lun., mer., ven.)" in \
        html.unescape(app.message.object).replace("\u00a0", " "), app.message.object
    sc.policy = "threshold"
    sc.round_weekdays = [1, 3]
    sc.policy = "fixed"
    assert sc.round_weekdays == [1, 3]


def _fr_key(name):
    from twin.app.forms import _sort_key

    return _sort_key(name)


def test_the_streets_chosen_stay_chosen_when_the_family_changes(app):
    """A planner picked a street for a closure and switched to roadworks: the default street came back
    (the one chosen lost). The streets follow between the families that act on streets; a family without
    streets in between leaves the next one its default."""
    from twin.app.builder import QUICK

    app.family.value = "street-closure"
    app.scenario.streets = ["Grande Rue", "Rue du Port"]
    app.family.value = "roadworks"
    assert app.scenario.streets == ["Grande Rue", "Rue du Port"]
    assert app.params_box[0]._widgets["streets"].value == ["Grande Rue", "Rue du Port"]  # the form shows them
    # an OSM way id picked on the map (a text, as the map gives it), a name in another case (a closure
    # takes both) and a street without kerb parking (Grande Rue): not streets parking can remove spaces
    # from, left out rather than carried into a run that fails
    app.scenario.streets = ["Rue du Port", "177353244", "rue du port", "Grande Rue"]
    app.family.value = "parking"
    assert app.scenario.remove_streets == ["Rue du Port"]
    # nor offered: the picker holds the streets with kerb spaces only
    offered = list(app.params_box[0]._widgets["remove_streets"].options)
    assert "Rue du Port" in offered and "Grande Rue" not in offered and offered == sorted(offered, key=_fr_key)
    app.family.value = "lighting"
    app.family.value = "roadworks"
    assert app.scenario.streets == QUICK["roadworks"]["streets"]


def test_a_price_box_that_cannot_be_read_shows_its_own_example():
    """« Tarif des parkings » refused « Place du Parc Anger : 1,50 » with the flood's alert levels as the
    example, in programmers' words (« dictionnaire »)."""
    from twin.app.fields import refusal, unreadable
    from twin.scenarios.parking import ParkingSearch

    why = unreadable("car_park_prices", "dict", "fr")
    assert '{"Place du Parlement": 1.5}' in why and "dictionnaire" not in why and "yellow" not in why
    _, why = refusal(ParkingSearch.param["street_prices"], "street_prices", "Rue Victor Hugo : 1,5", "fr")
    assert '{"Rue Victor Hugo": 1.5}' in why
    assert "yellow" in unreadable("alert_levels_m", "dict", "en")


def test_parking_variants_are_named_by_their_hours_and_car_parks():
    """The same street removed all day and 08:00–12:00 got one name, and the second save was refused; a
    closed car park was « Stationnement : variante »."""
    from twin.app.builder_fields import variant_name
    from twin.scenarios.parking import ParkingSearch

    all_day = variant_name(ParkingSearch(remove_streets=["Rue Victor Hugo"]), "fr")
    morning = variant_name(ParkingSearch(remove_streets=["Rue Victor Hugo"], remove_hours="08:00-12:00"), "fr")
    assert all_day == "Places supprimées : Rue Victor Hugo" and morning == all_day + " (08:00–12:00)"
    assert variant_name(ParkingSearch(close_car_parks=["Place du Parlement"]), "fr") == "Parking fermé : Place du Parlement"
    assert variant_name(ParkingSearch(car_park_prices={"Place du Parlement": 1.5}), "en") == "Prices changed"
    assert variant_name(ParkingSearch(remove_streets=["Rue Victor Hugo"], remove_hours="0:00-24:00"), "fr") == all_day


def test_parking_prices_are_picked_and_typed_never_a_dictionary(fresh):
    """A parking officer had to type {"Rue du Port": 1.5}: the prices are rows of a name picked and its price."""
    from twin.app.forms import car_park_names, kerb_streets
    from twin.app.forms_prices import PriceList

    _family(fresh, "parking")
    w = _field(fresh, "street_prices")
    assert isinstance(w, PriceList) and len(w.rows) == 1 and fresh.scenario.street_prices == {}
    pick, box = w.rows[0]
    assert list(pick.options)[1:] == kerb_streets(fresh.territory) and pick.name == "Rue" and box.name == "€/h"
    pick.value = "Rue du Port"  # a row begun: refused, the scenario unchanged, « Lancer » waits
    assert w.error.startswith("donnez une rue et son prix") and fresh.scenario.street_prices == {}
    assert "street_prices" in fresh.invalid
    box.value = 1.5
    assert fresh.scenario.street_prices == {"Rue du Port": 1.5} and not w.error and "street_prices" not in fresh.invalid
    assert len(w.rows) == 2  # one more row offered
    w.rows[1][0].value, w.rows[1][1].value = "Rue du Port", 2.0
    assert w.error == "Rue du Port a deux prix : gardez-en un" and fresh.scenario.street_prices == {"Rue du Port": 1.5}
    w.rows[1][1].value = 250.0
    w.rows[1][0].value = "Rue de Vannes" if "Rue de Vannes" in kerb_streets(fresh.territory) else w.rows[1][0].options[2]
    assert w.error.startswith("le prix de ") and w.error.endswith("doit être entre 0 et 100 €/h")
    w.rows[1][0].value, w.rows[1][1].value = "", None  # the row emptied: the first price stands
    assert not w.error and fresh.scenario.street_prices == {"Rue du Port": 1.5}
    # a scenario's prices (a file, a variant reopened) fill the rows; the car parks' among their names
    fresh.scenario.car_park_prices = {"Place du Parlement": 2.0}
    parks = _field(fresh, "car_park_prices")
    assert [(p.value, b.value) for p, b in parks.rows] == [("Place du Parlement", 2.0), ("", None)]
    assert list(parks.rows[0][0].options)[1:] == car_park_names(fresh.territory)



def test_a_new_car_park_is_picked_and_typed_never_a_dictionary(fresh):
    """« Nouveau parking » was a box asking for {"near": "Grande Rue", "capacity": 50, "price_eur_h": 1.5}
    (English keys, a decimal point): a street picked, its spaces and its price typed; the variant named after
    it; the run opens it."""
    from twin.app.forms import street_names
    from twin.app.forms_car_park import NewCarPark
    from twin.app.param_text import param_value_text

    _family(fresh, "parking")
    w = _field(fresh, "add_car_park")
    assert isinstance(w, NewCarPark) and fresh.scenario.add_car_park == {}
    assert list(w.near.options)[1:] == street_names(fresh.territory)
    assert (w.near.name, w.spaces.name, w.price.name) == ("Près de la rue", "Places", "€/h")
    w.near.value = "Rue du Port"  # begun: refused, the scenario unchanged, « Lancer » waits
    assert w.error.startswith("donnez la rue et le nombre de places") and fresh.scenario.add_car_park == {}
    assert "add_car_park" in fresh.invalid
    w.spaces.value = 12.5
    assert w.error == "le nombre de places est un nombre entier de 1 à 10\u202f000"
    w.spaces.value = 50
    assert fresh.scenario.add_car_park == {"near": "Rue du Port", "capacity": 50} and not w.error
    assert "add_car_park" not in fresh.invalid
    w.price.value = 250.0
    assert w.error == "le prix du nouveau parking doit être entre 0 et 100 €/h"
    assert fresh.scenario.add_car_park == {"near": "Rue du Port", "capacity": 50}
    w.price.value = 1.5
    assert fresh.scenario.add_car_park == {"near": "Rue du Port", "capacity": 50, "price_eur_h": 1.5}
    from twin.app.builder_fields import variant_name
    from twin.scenarios.parking import ParkingSearch

    assert variant_name(ParkingSearch(add_car_park=fresh.scenario.add_car_park), "fr") == \
        "Nouveau parking : Rue du Port (50 places)"
    assert param_value_text("parking", "add_car_park", fresh.scenario.add_car_park) == \
        "près de Rue du Port, 50 places, 1,5\u00a0€/h"
    # a file's car park (its name kept) fills the boxes; emptied, there is no new car park
    fresh.scenario.add_car_park = {"near": "Rue du Port", "capacity": 20, "name": "Parking du port"}
    assert (w.near.value, w.spaces.value, w.price.value) == ("Rue du Port", 20.0, None)
    w.price.value = 2.0
    assert fresh.scenario.add_car_park == {"near": "Rue du Port", "capacity": 20, "price_eur_h": 2.0,
                                           "name": "Parking du port"}
    w.near.value, w.spaces.value, w.price.value = "", None, None
    assert fresh.scenario.add_car_park == {} and not w.error
    # a car park typed anew does not take the file's name (it named another car park, elsewhere)
    w.near.value, w.spaces.value = "Rue du Port", 30
    assert fresh.scenario.add_car_park == {"near": "Rue du Port", "capacity": 30}
    fresh.scenario.add_car_park = {"near": "Rue du Port", "capacity": 20, "name": "Parking du port"}
    other = next(n for n in street_names(fresh.territory) if n != "Rue du Port")
    w.near.value = other
    assert fresh.scenario.add_car_park == {"near": other, "capacity": 20}
    w.near.value, w.spaces.value, w.price.value = "", None, None
    assert fresh.scenario.add_car_park == {} and not w.error
    w.value = {"near": "Rue de Nulle Part", "capacity": 10}  # a file's street the territory lacks: said at once
    assert w.error == "« Rue de Nulle Part » n'est pas une rue du territoire : choisissez-en une dans la liste"
    w.near.value, w.spaces.value, w.price.value = "", None, None
    assert not w.error
    # every street offered is one the model opens a car park near (it refuses a street off its kerb table)
    from twin.scenarios.parking_supply import kerb_spaces

    assert set(street_names(fresh.territory)) <= set(kerb_spaces(fresh.territory.graphs["drive"])["street"])
    opened = ParkingSearch(add_car_park={"near": "Rue du Port", "capacity": 50}, remove_streets=[],
                           members=1).run(fresh.territory)
    import numpy as np

    values = opened.data["value"]
    assert not np.allclose(values.isel(variant=0), values.isel(variant=-1), equal_nan=True)  # it changed something

def test_an_empty_window_is_shown_as_the_whole_day():
    """A parking removal's hours (empty: all day) read « de 00:00 à 00:00 » beside a help saying « de 00:00 à
    24:00 : toute la journée ». Shown as the whole day; the value stays empty until a time is picked."""
    from twin.app.forms import HourRange

    w = HourRange(value="", label="Heures de la suppression", lang="fr")
    assert (w.start.value, w.end.value, w.value, w.error) == ("00:00", "24:00", "", "")
    w.end.value = "18:00"
    assert w.value == "00:00-18:00"
    # and the hypotheses say it as the form shows it (« Heures de la suppression : vide (valeur par défaut) »)
    from twin.app.param_text import param_value_text

    assert param_value_text("parking", "remove_hours", "") == "toute la journée (de 00:00 à 24:00)"


def test_a_fixed_day_round_hides_what_only_sensors_read(app):
    """« Seuil de collecte » moved from 90 to 82 % on fixed days changed nothing (nothing reads a fill there):
    the threshold and the sensors' prices are shown with a sensed policy only; a file setting them beside
    fixed days is refused by name, and the sensors' subscription is a parameter of its own."""
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.bins import BinCollection

    _family(app, "bins")
    widgets = app.params_box[0]._widgets
    sensed = ("threshold_pct", "sensor_eur", "sensor_eur_per_year")
    assert all(widgets[n].visible for n in sensed)
    app.scenario.policy = "fixed"
    assert not any(widgets[n].visible for n in sensed)
    app.scenario.policy = "threshold"
    assert all(widgets[n].visible for n in sensed)
    with pytest.raises(ScenarioError, match="threshold_pct"):
        BinCollection.from_dict({"policy": "fixed", "threshold_pct": 82})


def test_a_part_of_a_street_set_from_the_map_reaches_the_browser_as_a_chip():
    """« Utiliser la sélection » set the picker to a part of a street: its value went to the browser as labels
    before the part's choice existed, as [] — the field looked empty and the next edit dropped the part (a
    planner's walkthrough in a real browser). The model the browser renders now holds its label."""
    from twin.app.forms import StreetPicker

    w = StreetPicker(options=["Rue A"], lang="fr")
    model = w.get_root()
    w.value = ["Rue A #1-2"]
    assert model.value == ["Rue A (tronçon)"] and w.options["Rue A (tronçon)"] == "Rue A #1-2"
    w.value = ["Rue A #1-2", "Rue A"]  # a street added after it: both kept
    assert model.value == ["Rue A (tronçon)", "Rue A"]


def test_roadworks_variants_are_named_after_their_works():
    """Three roadworks variants were saved « Travaux et déviations 19:00:44 », « 19:01:27 », « 19:02:15 »: nothing in
    the comparison told them apart. A run is named after its streets, how and when."""
    from twin.app.builder_fields import works_name

    assert works_name({"streets": ["Quai Saint-Jacques"], "hours": "07:00-19:00"}, "fr") == \
        "Travaux Quai Saint-Jacques, 7 h–19 h"
    assert works_name({"streets": ["Grande Rue"], "capacity_factor": 0.5, "one_direction": True,
                       "hours": "22:00-05:00"}, "fr") == "Travaux Grande Rue (capacité 50 %) (un sens), 22 h–5 h"
    assert works_name({"streets": [], "polygon": "POLYGON((0 0,1 0,1 1,0 0))", "hours": "07:00-19:00"}, "en") == \
        "Works on drawn zone, 07:00–19:00"
    # many streets: theirs cut, never how and when (four works of one long name were one name, then « 19:00:44 »)
    long = works_name({"streets": ["Rue Joseph Lamour de Caslou", "Rue du Docteur François Lagrée",
                                   "Quai Amiral de la Grandière"], "capacity_factor": 0.5, "hours": "20:00-06:00",
                       "detour": ["Rue de Vannes"]}, "fr")
    assert len(long) <= 80 and long.endswith("… (capacité 50 %), 20 h–6 h + déviation fléchée"), long


def test_a_part_s_name_gives_its_street_and_length_and_leaves_room_for_how_and_when(fresh):
    from twin.app.builder_fields import works_name
    from twin.territory.street_parts import part_token

    G = fresh.territory.graphs["drive"]
    u, v, d = next((u, v, d) for u, v, d in G.edges(data=True) if d.get("name") == "Rue des Douves")
    name = works_name({"streets": [part_token("Rue des Douves", u, v)], "one_direction": True,
                       "hours": "07:00-19:00"}, "fr")
    assert name == f"Travaux Rue des Douves (tronçon de {round(d['length'])}\u00a0m) (un sens), 7 h–19 h", name


def test_roadworks_keep_residents_access_unless_unticked_and_only_on_a_closure(fresh):
    """Five streets closed to all read « -189 € » and « -195 kg CO2 » in a workshop: the trips of the homes
    behind them had been dropped. Works are « sauf riverains » by default, ticked in the form; the box is for a
    closure only (a narrowed street stays open to all), and a variant shut to all says so in its name."""
    from twin.app.builder_fields import shown_fields, works_name
    from twin.scenarios import Roadworks, ScenarioError

    fresh.family.value = "roadworks"
    assert fresh.scenario.residents_access is True
    assert "residents_access" in fresh.params_box[0]._widgets
    assert shown_fields("roadworks", {"capacity_factor": 0.0})["residents_access"]
    assert not shown_fields("roadworks", {"capacity_factor": 0.5})["residents_access"]
    kept = works_name(Roadworks(streets=["Grande Rue"]).param.values(), "fr")
    assert "fermée" not in kept and kept.startswith("Travaux Grande Rue")
    assert "(fermée à tous)" in works_name(Roadworks(streets=["Grande Rue"], residents_access=False).param.values(),
                                           "fr")
    with pytest.raises(ScenarioError, match="residents_access is read only with capacity_factor 0"):
        Roadworks.from_dict({"streets": ["Grande Rue"], "capacity_factor": 0.5, "residents_access": False})
