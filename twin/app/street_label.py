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


def street_label(item, lang: str = "fr", G=None) -> str:
    """``item`` as the page says it; a part's ends and length read from drive graph ``G`` (else the one
    :func:`use_graph` registered; with none: « (tronçon) »)."""
    part = parse_part(item)
    street = part[0] if part else str(item)
    name = t("forms_osm_way", lang, way=street) if street.isdigit() else street
    if part is None:
        return name
    G = G if G is not None else _GRAPH[0]
    length = part_length_m(G, item) if G is not None else float("nan")
    if math.isnan(length):
        return t("street_part_short", lang, street=name)
    ends = [e for e in part_ends(G, item) if e]
    where = (t("street_part_between", lang, a=ends[0], b=ends[1]) if len(ends) == 2 and ends[0] != ends[1] else
             t("street_part_at", lang, a=ends[0]) if ends else "")
    return t("street_part", lang, street=name + where, length=fmt_number(round(length), lang))


def street_labels(items, lang: str = "fr", G=None) -> dict:
    """Each item's label (:func:`street_label`), made unique: two parts of one street alike (« Rue de l'Union
    (tronçon de 15 m) » twice) are told apart by a number, or the picker would keep only one."""
    labels, seen = {}, {}
    for item in items:
        label = street_label(item, lang, G)
        seen[label] = seen.get(label, 0) + 1
        labels[item] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return labels
