"""How the page names an item of a scenario's streets: a street by its name, an unnamed one by its OSM way
(« voie OSM 177353244 »), a part of a street by its street and its length (« Rue des Douves (tronçon de
50 m) », :mod:`twin.territory.street_parts`)."""

from __future__ import annotations

import math

from twin.app.i18n import fmt_number, t
from twin.territory.street_parts import parse_part, part_length_m


def street_label(item, lang: str = "fr", G=None) -> str:
    """``item`` as the page says it; a part's length read from drive graph ``G`` (without: « (tronçon) »)."""
    part = parse_part(item)
    street = part[0] if part else str(item)
    name = t("forms_osm_way", lang, way=street) if street.isdigit() else street
    if part is None:
        return name
    length = part_length_m(G, item) if G is not None else float("nan")
    if math.isnan(length):
        return t("street_part_short", lang, street=name)
    return t("street_part", lang, street=name, length=fmt_number(round(length), lang))
