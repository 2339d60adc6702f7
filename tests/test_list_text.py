"""A scenario's list typed as people write one (twin.app.list_text): read, refused by item, shown back."""

from __future__ import annotations

import param
import pytest

from twin.app.list_text import ListTextError, item_kind, read_list, write_list
from twin.scenarios.bins import BinCollection
from twin.scenarios.flood import FloodForecast
from twin.scenarios.heating import HeatingSchedules
from twin.scenarios.roadworks import Roadworks


@pytest.mark.parametrize("kind,text,value", [
    ("text", "osm:way/1; osm:way/2", ["osm:way/1", "osm:way/2"]),
    ("text", "osm:way/1, osm:way/2", ["osm:way/1", "osm:way/2"]),  # no « ; »: the commas separate
    ("text", "Rue de la Paix, Nord; Grande Rue", ["Rue de la Paix, Nord", "Grande Rue"]),  # « ; »: commas kept
    ("text", "'a', \"b\"", ["a", "b"]),  # a literal typed without its brackets
    ("text", "a\nb c", ["a", "b c"]),  # one a line
    ("number", "1,5 ; 2 ; 0", [1.5, 2.0, 0.0]),  # the decimal comma
    ("number", "1.5, 2, 3", [1.5, 2.0, 3.0]),  # a comma and a space: a separator
    ("number", "1,5 2,5\n−3", [1.5, 2.5, -3.0]),
    ("number", "1 000 ; 2 500,5 ; 12", [1000.0, 2500.5, 12.0]),  # a thousands space, as the number boxes read it
    ("number", "1,5 250", [1.5, 250.0]),  # not 1,5250: a decimal part has no thousands
    ("int", "0, 2, 4", [0, 2, 4]),
    ("int", "0 2;4", [0, 2, 4]),
    ("point", "-2,085 47,652 ; -2.09, 47.655", [[-2.085, 47.652], [-2.09, 47.655]]),
    ("point", "(-2.08,47.65)", [[-2.08, 47.65]]),
    ("name_or_id", "Quai Saint-Jacques, 61486041", ["Quai Saint-Jacques", 61486041]),
    ("text", "  ", []),
])
def test_plain_text_reads_as_the_list_people_mean(kind, text, value):
    assert read_list(text, kind) == value


@pytest.mark.parametrize("kind,text,item,piece", [
    ("number", "1 ; beaucoup", 2, "beaucoup"),
    ("number", "1,2,3", 1, "1,2,3"),  # three decimal commas are no number: not guessed
    ("int", "1.5", 1, "1.5"),
    ("point", "-2.08 47.65; -2.08", 2, "-2.08"),
    ("point", "-2,08,47,65", 1, "-2,08,47,65"),
    ("point", "-2,085 47,652 ; -2,09", 2, "-2,09"),  # a French number half a point, not [-2, 9]
])
def test_an_item_that_is_not_one_is_named(kind, text, item, piece):
    with pytest.raises(ListTextError) as err:
        read_list(text, kind)
    assert (err.value.item, err.value.text) == (item, piece)


@pytest.mark.parametrize("kind,text,value", [
    ("number", "1,500", [1500.0]),  # an English page's thousands comma, not one and a half
    ("number", "1,500; 2.5", [1500.0, 2.5]),
    ("number", "-12,500.75, 3", [-12500.75, 3.0]),
    ("number", "1.5, 2, 0", [1.5, 2.0, 0.0]),
    ("number", "100,200", [100200.0]),  # English groups thousands
    ("int", "1,500, 2", [1500, 2]),
    ("point", "-2.08, 47.65; -2.09 47.66", [[-2.08, 47.65], [-2.09, 47.66]]),
])
def test_an_english_page_reads_commas_as_english_does(kind, text, value):
    assert read_list(text, kind, "en") == value
    if text == "1,500":
        assert read_list(text, kind, "fr") == [1.5]  # the French page's decimal comma


@pytest.mark.parametrize("kind,text,item", [
    ("point", "-2,08 47,65", 1),
    ("number", "2; 12,5", 2),  # a French decimal, or 12 and 5: not guessed on the English page
    ("number", "1,500.5,2", 1),
    ("number", "1.5,2", 1),  # no space after the comma: refused rather than read as two numbers
    ("int", "1, 12,5", 2),
])
def test_an_english_comma_that_groups_no_thousands_is_named_not_guessed(kind, text, item):
    with pytest.raises(ListTextError) as err:
        read_list(text, kind, "en")
    assert err.value.item == item


@pytest.mark.parametrize("kind,value", [
    ("text", ["osm:way/1", "osm:way/2"]),
    ("number", [0.0, 1.5, 2.25, 1234567.891, 1e-07]),
    ("int", [0, 2, 4]),
    ("point", [[-2.085, 47.652], [-2.0901234, 47.6551234]]),
    ("name_or_id", ["Quai Saint-Jacques", 61486041]),
    ("text", ["Rue de la Paix, Nord"]),  # one name with a comma stays one
])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_list_shown_reads_back_to_itself(kind, value, lang):
    assert read_list(write_list(value, kind, lang), kind, lang) == value


def test_french_numbers_are_shown_with_a_decimal_comma():
    assert write_list([1.5, 2.0], "number", "fr") == "1,5 ; 2"
    assert write_list([1.5, 2.0], "number", "en") == "1.5; 2"


@pytest.mark.parametrize("cls,name,kind", [
    (BinCollection, "close_bins", "text"), (BinCollection, "add_points", "point"),
    (BinCollection, "round_weekdays", "int"), (FloodForecast, "rain_forecast_mm", "number"),
    (FloodForecast, "params", "number"), (HeatingSchedules, "buildings", "text"),
    (Roadworks, "streets", "name_or_id"),
])
def test_each_list_of_the_scenarios_has_its_kind(cls, name, kind):
    assert item_kind(name, cls.param[name]) == kind


def test_a_list_of_structures_is_typed_as_a_literal():
    assert item_kind("rules", param.List(item_type=dict)) is None
    assert item_kind("threshold", param.Number()) is None
