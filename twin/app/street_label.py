"""How the page names an item of a scenario's streets: a street by its name, an unnamed one by its OSM way
(« voie OSM 177353244 »), a part of a street by its street, the streets at its ends and its length
(« Rue des Douves, entre Rue A et Rue B (tronçon de 50 m) », :mod:`twin.territory.street_parts`).

The page serves one territory: its drive graph, registered by :func:`use_graph`, names the parts of the
saved variants, the report and the meeting pack as the picker does (without it: « Rue des Douves
(tronçon) »)."""

from __future__ import annotations

import math

from twin.app.i18n import fmt_number, t
from twin.territory.street_parts import parse_part, part_ends, part_length_m

_GRAPH: list = [None]  # the territory's drive graph, once the page has loaded it


def use_graph(G) -> None:
    """Name the parts of streets after drive graph ``G`` (the page's territory) where no graph is given."""
    _GRAPH[0] = G


def street_label(item, lang: str = "fr", G=None, ends: bool = True) -> str:
    """``item`` as the page says it; a part's ends and length read from drive graph ``G`` (else the one
    :func:`use_graph` registered; with none: « (tronçon) »); ``ends`` False: its length alone (a variant's
    name, which must leave room for how and when)."""
    part = parse_part(item)
    street = part[0] if part else str(item)
    name = t("forms_osm_way", lang, way=street) if street.isdigit() else street
    if part is None:
        return name
    G = G if G is not None else _GRAPH[0]
    length = part_length_m(G, item) if G is not None else float("nan")
    if math.isnan(length):
        return t("street_part_short", lang, street=name)
    at = [e for e in part_ends(G, item) if e] if ends else []
    where = (t("street_part_between", lang, a=at[0], b=at[1]) if len(at) == 2 and at[0] != at[1] else
             t("street_part_at", lang, a=at[0]) if at else "")
    return t("street_part", lang, street=name + where, length=fmt_number(round(length), lang))

