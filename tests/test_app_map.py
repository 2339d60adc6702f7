"""The territory map orients: a legend entry per layer (in the page's language) and the town's places
(town hall, station, schools, other public places) marked and named, on the seed territory."""

from __future__ import annotations

import pytest
from bokeh.models import LabelSet, Legend

from twin.app.i18n import t
from twin.app.mapview import LABELLED, PLACE_GROUPS, declutter, place_label, territory_map

LAYERS = ("streets", "buildings", "water", "bins", "lamps", "sensors")


@pytest.fixture(scope="module")
def territory():
    from twin.seeds import load_default

    return load_default()


@pytest.fixture(scope="module", params=["fr", "en"])
def drawn(request, territory):
    sources: dict = {}
    fig, renderers, _ = territory_map(territory, request.param, sources=sources)
    return request.param, fig, renderers, sources


def _flat(r):
    return r if isinstance(r, list) else [r]


def test_the_legend_names_every_layer_and_group_of_places(drawn):
    lang, fig, renderers, sources = drawn
    legends = [m for m in fig.references() if isinstance(m, Legend)]
    assert len(legends) == 1, "one legend, the map's key"
    items = {item.label.value: item for item in legends[0].items}
    for layer in LAYERS:
        item = items.get(t(layer, lang))
        assert item is not None, f"no legend entry for {layer}: {sorted(items)}"
        assert set(item.renderers) == set(_flat(renderers[layer])), layer
    groups = sources["places"].data["group"]
    for group in ("townhall", "station", "school", "other"):  # Redon has all four
        item = items.get(t(f"place_{group}", lang))
        assert item is not None, f"no legend entry for the places of group {group}"
        assert item.renderers == [renderers["places"][0]]
        assert groups[item.index] == group, "the entry draws a mark of its own group"
    assert len(items) == len(LAYERS) + 4


def test_the_places_are_marked_and_named(drawn, territory):
    lang, fig, renderers, sources = drawn
    labels = [m for m in fig.references() if isinstance(m, LabelSet)]
    assert len(labels) == 1 and labels[0].source is sources["places"]
    assert renderers["places"][1] is labels[0]
    data = sources["places"].data
    places = territory.layers["places"]
    shown = places[places["category"].isin({c for cats, *_ in PLACE_GROUPS.values() for c in cats})]
    assert len(data["name"]) == len(shown) > 20
    assert sorted(data["name"]) == sorted(shown["name"].fillna("").astype(str))
    assert "parking" not in data["category"] and "bus_stop" not in data["category"]
    for name, cat, group, label in zip(data["name"], data["category"], data["group"], data["label"], strict=True):
        if not label:  # a social office, or a name that would overlap a weightier one: hover only
            continue
        assert cat in LABELLED, (cat, label)
        if group in ("townhall", "station") and name.casefold() in ("", territory.name.casefold()):
            assert label == t(f"place_{group}", lang)
        else:  # the name itself, on at most two lines
            assert label.count("\n") <= 1
            text = label.replace("\n", " ")
            assert text == name or (text.endswith("…") and name.startswith(text[:-1])), (label, name)
    labels = [x for x in data["label"] if x]
    # Redon's town hall and station are tagged with the town's name: the map says what they are
    assert t("place_townhall", lang) in labels and t("place_station", lang) in labels
    assert "Église Saint-Sauveur" in labels and "Les Halles" in labels and "Lycée Saint-Sauveur" in labels
    assert sum(g == "school" and x != "" for g, x in zip(data["group"], data["label"], strict=True)) >= 5
    assert not any(c in ("social", "public_service") and x for c, x in zip(data["category"], data["label"],
                                                                             strict=True))


def test_declutter_keeps_the_first_of_two_overlapping_names():
    # 1 m per px: a 10-character label is ~92 m wide and ~18 m high
    assert declutter([0, 50, 0], [0, 5, 500], ["Mairie", "Les Halles", "Gare"], 1.0) == ["Mairie", "", "Gare"]
    assert declutter([50, 0], [5, 0], ["Les Halles", "Mairie"], 1.0) == ["Les Halles", ""]
    # far enough apart, or zoomed in (0.1 m per px), both stay
    assert declutter([0, 50], [0, 5], ["Mairie", "Les Halles"], 0.1) == ["Mairie", "Les Halles"]
    assert declutter([0, 0], [0, 40], ["a\nb", "c"], 1.0) == ["a\nb", "c"]
    assert declutter([0, 0], [0, 30], ["a\nb", "c"], 1.0) == ["a\nb", ""]  # two lines reach 38 px up


def test_a_label_wraps_a_long_name_and_names_a_town_hall():
    assert place_label("Les Halles", "other", "redon") == "Les Halles"
    assert place_label("Redon", "townhall", "redon", "fr") == "Mairie"
    assert place_label("", "station", "redon", "en") == "Station"
    assert place_label("Redon", "other", "redon") == "Redon"  # a police station named after the town keeps it
    assert place_label("Médiathèque Jean-Michel Bollé", "other", "redon") == "Médiathèque Jean-Michel\nBollé"
    long = "Section d'enseignement général et professionnel adapté du Collège Le Cleu Saint-Joseph"
    assert place_label(long, "school", "redon") == "Section d'enseignement\ngénéral et professionnel…"


def test_a_name_in_the_east_of_the_territory_is_written_left_of_its_mark(seed_territory):
    """Right of its mark, a name near the territory's east edge was cut by the map's edge and legend:
    it is written left of it (right-aligned), the others right of it; overlaps are judged on the side
    each is written on."""
    from twin.app.mapview import LABEL_LEFT_FROM, _extent_x, _place_columns, declutter

    cols = _place_columns(seed_territory, "fr")
    xmin, xmax = _extent_x(seed_territory)
    east = [i for i, x in enumerate(cols["x"]) if x > xmin + LABEL_LEFT_FROM * (xmax - xmin)]
    assert east and len(east) < len(cols["x"])
    for i in range(len(cols["x"])):
        left = i in east
        assert cols["label_align"][i] == ("right" if left else "left")
        assert (cols["label_dx"][i] < 0) == left
    # two names side by side, one written left and one right of marks 50 m apart, do not overlap
    assert declutter([0, 50], [0, 0], ["Mairie", "Gare"], 1.0, sides=[-1, 1]) == ["Mairie", "Gare"]
    assert declutter([0, 50], [0, 0], ["Mairie", "Gare"], 1.0) == ["Mairie", ""]


def test_every_hover_value_is_in_the_pages_language(drawn):
    """A hover shows OSM's classes in the page's words (« rue résidentielle », not ``residential``):
    every field a hover reads that holds a class is its language's column, and a French page's
    columns hold no OSM class the catalogue translates."""
    from bokeh.models import HoverTool

    from twin.app.catalogue.osm import STRINGS as OSM_WORDS

    lang, fig, renderers, sources = drawn
    raw = {key.split("_", 2)[2] for key in OSM_WORDS if key.count("_") >= 2} - {"sport", "transport"}  # same word
    checked = 0
    for tool in (m for m in fig.references() if isinstance(m, HoverTool)):
        for _, field in tool.tooltips:
            for source in {id(r.data_source): r.data_source for r in tool.renderers}.values():
                column = field.lstrip("@")
                if column not in source.data:
                    continue
                if source is not sources["places"]:  # the places' ``kind`` is already the page's word
                    assert column not in ("use", "highway", "kind", "source", "quantity", "synthetic"), \
                        f"a hover shows the raw OSM column {column!r}"
                if column.endswith("_text_fr"):
                    assert lang == "fr", f"an {lang} page's hover reads the French column {column}"
                    values = set(source.data[column])
                    assert not values & raw, f"{column}: untranslated OSM classes {values & raw}"
                    checked += len(values)
                elif column.endswith("_text_en"):
                    assert lang == "en", f"a French page's hover reads the English column {column}"
                    checked += 1
    assert checked, "no hover reads a translated column"


def test_osm_text_names_the_classes_and_keeps_an_unknown_value():
    from twin.app.mapview import osm_text

    assert osm_text("highway", "residential") == "rue résidentielle"
    assert osm_text("highway", "primary_link") == "bretelle"
    assert osm_text("highway", "residential", "en") == "residential street"
    assert osm_text("use", "education") == "enseignement"
    assert osm_text("bin", "recycling") == "point de tri"
    assert osm_text("source", "generated") == "générée (synthétique)"
    assert osm_text("q", "fill_level") == "remplissage de corbeille"
    assert osm_text("synthetic", "True") == "oui"
    assert osm_text("highway", "busway") == "busway", "an OSM class with no word is shown as OSM writes it"


def test_a_lower_case_territory_name_is_written_as_a_commune_s():
    """The page's title read « jumeau numérique : redon »."""
    from twin.app.i18n import town_name

    assert town_name("redon") == "Redon" and town_name("pont_de_veyle") == "Pont-de-Veyle"
    assert town_name("Saint-Malo") == "Saint-Malo" and town_name("") == ""
    assert town_name("le_havre") == "Le Havre" and town_name("les_sables_d_olonne") == "Les Sables-d-Olonne"
