"""Street segments: a two-way street's two directed edges are one piece of street.

The drive graph holds a two-way street as two directed edges, ``u→v`` and ``v→u``. Routing needs
both; a person counting the streets a flood closes, or reading the list of them, sees one segment
(a flood officer was told « 62 tronçons » for 32). :func:`street_segments` numbers the segments,
:func:`segment_min` gives both directions one value (their lower one), and :func:`first_edges` picks
one edge of each segment to count them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def street_segments(edges) -> np.ndarray:
    """[-] Each directed edge's segment number (0, 1, … in order of first appearance): the edges
    between the same two nodes along the same OSM way, in either direction. ``edges``: ``(u, v, key,
    data)`` tuples of a drive graph."""
    ids: dict = {}
    return np.array([ids.setdefault((min(u, v), max(u, v), str(d.get("osm_way_id", k))), len(ids))
                     for u, v, k, d in edges], np.int64)


def segment_min(values: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """``values`` (its last axis over the edges) with each edge given its segment's lowest value, NaN
    ignored (NaN only where every direction is NaN): a street flooded one way is flooded the other."""
    values = np.asarray(values, float)
    flat = values.reshape(-1, values.shape[-1])
    lowest = pd.DataFrame(flat.T).groupby(segment).min().to_numpy().T  # rows: segments 0, 1, …
    return lowest[:, segment].reshape(values.shape)


def first_edges(segment: np.ndarray) -> np.ndarray:
    """[-] The index of one edge of each segment, in segment order: counts over them count segments."""
    return np.unique(segment, return_index=True)[1]
