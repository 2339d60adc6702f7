"""Part of a street: one segment of it, between two OSM nodes, named as a scenario's street is.

Roadworks close a stretch between two crossings, seldom a whole street: a planner who clicked 50 m of
Rue des Douves on the map saw its 340 m closed. A part is written ``"<street> #<u>-<v>"`` — the
street's name (or OSM way id) for people, then the OSM node ids of the segment's two ends (smaller
first) for the model — and closes that segment in both directions, every parallel edge of that street
included. A plain name or way id still means the whole street.
"""

from __future__ import annotations

import re

PART = re.compile(r"^(?P<street>.*?)\s*#(?P<u>\d+)-(?P<v>\d+)$")


def part_token(street, u, v) -> str:
    """The street part between OSM nodes ``u`` and ``v`` (either order) of ``street`` (name or way id);
    a ValueError when a node id is not a whole number ≥ 0 (a node drawn in an editor, not yet in OSM)."""
    a, b = sorted((int(u), int(v)))
    if a < 0:
        raise ValueError(f"node {a} is not an OSM node id")
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


def merge_streets(chosen, added) -> list[str]:
    """Streets ``added`` joined to those ``chosen``, in order, each once: a street taken whole covers its
    parts (theirs are dropped, an added part of it is not taken). Names are compared case aside."""
    items = [str(i) for i in [*chosen, *added]]
    whole = {i.strip().lower() for i in items if parse_part(i) is None}
    kept = {}
    for i in items:
        part = parse_part(i)
        if part is None or part[0].strip().lower() not in whole:
            kept.setdefault(i.strip().lower(), i)
    return list(kept.values())


def names_of(d: dict) -> set[str]:
    """The names (lower case) and OSM way ids (text) an edge of a drive graph answers to."""
    name = d.get("name")
    names = {str(n).strip().lower() for n in (name if isinstance(name, (list, tuple)) else [name]) if n}
    ways = {w for w in str(d.get("osm_way_ids", d.get("osm_way_id", ""))).split(";") if w}
    return names | ways


def part_edges(G, item) -> list[tuple]:
    """The (u, v, key) edges of drive graph ``G`` a part closes: those between its two nodes, either way,
    that belong to its street (by name or way id, so that « Rue Fausse #u-v » closes nothing)."""
    part = parse_part(item)
    if part is None:
        return []
    street, a, b = part
    a, b = _node(G, a), _node(G, b)
    out = []
    for u, v in ((a, b), (b, a)):
        if G.has_node(u) and G.has_node(v):
            out += [(u, v, k) for k, d in (G.get_edge_data(u, v) or {}).items() if street.lower() in names_of(d)]
    return out


def _node(G, text: str):
    """The node of ``G`` a part's id names: an OSM id as a number, else as written (a graph of text ids)."""
    return int(text) if G.has_node(int(text)) else text


def part_length_m(G, item) -> float:
    """[m] length of a street part in drive graph ``G`` (its two directions counted once; NaN when ``G`` has
    no edge of its street between its nodes)."""
    lengths = [float(G.edges[e].get("length", 0.0)) for e in part_edges(G, item)]
    return max(lengths) if lengths else float("nan")


def part_ends(G, item) -> list[str]:
    """The names of the other streets at each end of a part (one per end, "" where none is named): where
    the stretch runs, « entre la Rue A et la Rue B »."""
    part = parse_part(item)
    if part is None:
        return []
    street, a, b = part
    ends = []
    for node in (_node(G, a), _node(G, b)):
        names = set()
        if G.has_node(node):
            for u, v, d in [*G.out_edges(node, data=True), *G.in_edges(node, data=True)]:
                name = d.get("name")
                for n in (name if isinstance(name, (list, tuple)) else [name]):
                    if isinstance(n, str) and n.strip() and n.strip().lower() != street.lower():
                        names.add(n.strip())
        ends.append(sorted(names)[0] if names else "")
    return ends
