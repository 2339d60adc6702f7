"""Part of a street: one segment of it, between two OSM nodes, named as a scenario's street is.

Roadworks close a stretch between two crossings, seldom a whole street: a planner who clicked 50 m of
Rue des Douves on the map saw its 340 m closed. A part is written ``"<street> #<u>-<v>"`` — the
street's name (or OSM way id) for people, then the OSM node ids of the segment's two ends (smaller
first) for the model — and closes that segment in both directions, every parallel edge included. A
plain name or way id still means the whole street.
"""

from __future__ import annotations

import re

PART = re.compile(r"^(?P<street>.*?)\s*#(?P<u>\d+)-(?P<v>\d+)$")


def part_token(street, u, v) -> str:
    """The street part between OSM nodes ``u`` and ``v`` (either order) of ``street`` (name or way id)."""
    a, b = sorted((int(u), int(v)))
    return f"{street} #{a}-{b}"


def parse_part(item) -> tuple[str, str, str] | None:
    """(street, u, v) of a street part (:func:`part_token`), node ids as text, smaller first; None for a
    whole street (a name or an OSM way id)."""
    m = PART.match(str(item).strip()) if isinstance(item, str) else None
    if m is None:
        return None
    a, b = sorted((int(m["u"]), int(m["v"])))
    return m["street"].strip(), str(a), str(b)


def street_of(item) -> str:
    """The street an item names: a part's street, else the item itself as text."""
    part = parse_part(item)
    return part[0] if part else str(item)


def part_length_m(G, item) -> float:
    """[m] length of a street part in drive graph ``G`` (its two directions counted once; NaN when
    ``G`` has no edge between its nodes)."""
    part = parse_part(item)
    if part is None:
        return float("nan")
    _, a, b = part
    lengths = [float(d.get("length", 0.0)) for u, v, d in G.edges(data=True) if {str(u), str(v)} == {a, b}]
    return max(lengths) if lengths else float("nan")
