"""Isolation segments of a water network: what closing the valves around a broken main cuts off.

A *segment* is the smallest part of the network the isolation valves can shut off (Walski, *Water
distribution valve topology for reliability analysis*, Reliab. Eng. Syst. Saf. 42, 1993; Jun &
Loganathan, *Valve-controlled segments in water distribution systems*, J. Water Resour. Plann.
Manage. 133(2), 2007). A valve sits on a link next to one of its end nodes (the ``(link, node)``
pairs of a *valve layer*, WNTR's convention): closed, it separates that link from that node.

The segments are the connected components of a graph whose vertices are the network's nodes *and*
links, a link joined to each of its end nodes unless a valve sits there. Breaking a pipe shuts its
segment: the valves to close are those between the segment and the rest (exactly one of their link
and node in the segment). Nodes outside the segment that then have no open path to a tank or a
reservoir are cut off too (Jun & Loganathan's "unintended isolation").

Pure functions on names and pairs (no simulator): ``segments`` is linear in the network's size, where
WNTR's ``valve_segments`` scans the valve table once per node and link.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


@dataclass(frozen=True)
class Segments:
    """Segment number of every node and every link (numbers from 0, in no particular order)."""

    node: dict[str, int]
    link: dict[str, int]

    @property
    def count(self) -> int:
        return len(set(self.node.values()) | set(self.link.values()))


@dataclass(frozen=True)
class Isolation:
    """What shutting the segment of a broken link involves: its nodes and links, the valves to close
    (``(link, node)`` pairs), the links whose flow stops (the segment's and the valved ones), and the
    nodes left without any open path to a source (the segment's own and those cut off beyond it)."""

    broken_link: str
    segment: int
    nodes: tuple[str, ...]
    links: tuple[str, ...]
    valves_to_close: tuple[tuple[str, str], ...]
    links_to_close: tuple[str, ...]
    nodes_without_source: tuple[str, ...]


def segments(nodes: Sequence[str], links: Sequence[tuple[str, str, str]],
             valves: Iterable[tuple[str, str]]) -> Segments:
    """Segments of a network of ``nodes`` and ``links`` (``(name, start node, end node)``) with isolation
    ``valves`` (``(link, node)``: on that link, next to that node).

    Raises ``ValueError`` naming a valve whose link is unknown or whose node is not one of its link's ends.
    """
    node_index = {n: i for i, n in enumerate(nodes)}
    link_index = {name: len(nodes) + i for i, (name, _, _) in enumerate(links)}
    ends = {name: (a, b) for name, a, b in links}
    valved = set()
    for link, node in valves:
        if link not in ends:
            raise ValueError(f"valve on link {link!r}: no such link in the network")
        if node not in ends[link]:
            raise ValueError(f"valve on link {link!r} next to node {node!r}: that node is not one of the "
                             f"link's ends {ends[link]}")
        valved.add((link, node))
    rows, cols = [], []
    for name, a, b in links:
        for end in (a, b):
            if (name, end) not in valved:  # no valve between this link and this end: one piece
                rows.append(link_index[name])
                cols.append(node_index[end])
    n = len(nodes) + len(links)
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    return Segments(node={name: int(label[i]) for name, i in node_index.items()},
                    link={name: int(label[i]) for name, i in link_index.items()})


def nodes_without_source(nodes: Sequence[str], links: Sequence[tuple[str, str, str]], sources: Iterable[str],
                         closed: Iterable[str]) -> set[str]:
    """The nodes with no path to any of ``sources`` (tanks, reservoirs) over the links not ``closed``
    (water may flow either way along an open link: a check valve's direction is not considered, so this
    is the hydraulically possible supply, an upper bound on who still gets water)."""
    index = {n: i for i, n in enumerate(nodes)}
    shut = set(closed)
    open_links = [(index[a], index[b]) for name, a, b in links if name not in shut]
    rows = [a for a, _ in open_links]
    cols = [b for _, b in open_links]
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(len(nodes), len(nodes)))
    _, label = connected_components(graph, directed=False)
    fed = {label[index[s]] for s in sources if s in index}
    return {n for n, i in index.items() if label[i] not in fed}


def isolate(broken_link: str, nodes: Sequence[str], links: Sequence[tuple[str, str, str]],
            valves: Sequence[tuple[str, str]], sources: Iterable[str],
            already_closed: Iterable[str] = ()) -> Isolation:
    """Shut the segment of ``broken_link``: which valves to close and who is left without a source
    (``already_closed``: links closed in the network as it runs, e.g. a closed boundary valve)."""
    seg = segments(nodes, links, valves)
    if broken_link not in seg.link:
        raise ValueError(f"link {broken_link!r}: no such link in the network")
    s = seg.link[broken_link]
    in_nodes = tuple(n for n, k in seg.node.items() if k == s)
    in_links = tuple(name for name, k in seg.link.items() if k == s)
    # a valve between the segment and the rest: exactly one side of it in the segment
    closing = tuple(sorted({(link, node) for link, node in valves if (seg.link[link] == s) != (seg.node[node] == s)}))
    to_close = tuple(sorted(set(in_links) | {link for link, _ in closing}))
    source_list = list(sources)
    cut = nodes_without_source(nodes, links, source_list, set(to_close) | set(already_closed))
    base_cut = nodes_without_source(nodes, links, source_list, already_closed)
    return Isolation(broken_link=broken_link, segment=s, nodes=in_nodes, links=in_links, valves_to_close=closing,
                     links_to_close=to_close, nodes_without_source=tuple(sorted(cut - base_cut)))
