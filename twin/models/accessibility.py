"""Shortest-path access on a street graph: one-to-all distances with scipy's csgraph.

Pure functions on a projected networkx graph (metres). The graph is turned once
into a CSR matrix (parallel edges: the shortest kept) so a whole territory is
served by one Dijkstra run from the destination on the reversed graph
(Dijkstra, E. W. 1959, Numerische Mathematik 1, 269–271).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree


def graph_to_csr(G: nx.MultiDiGraph, weight: str = "length") -> tuple[csr_matrix, list]:
    """CSR adjacency of ``G`` with the minimum ``weight`` over parallel edges, and the node order."""
    nodes = list(G.nodes)
    pos = {n: i for i, n in enumerate(nodes)}
    best: dict[tuple[int, int], float] = {}
    for u, v, d in G.edges(data=True):
        key = (pos[u], pos[v])
        w = float(d[weight])
        if w < best.get(key, np.inf):
            best[key] = w
    if not best:
        return csr_matrix((len(nodes), len(nodes))), nodes
    rows, cols = zip(*best)
    # Zero-length edges would vanish from a sparse matrix; keep them reachable with a tiny weight.
    data = np.maximum(np.fromiter(best.values(), float), 1e-9)
    return csr_matrix((data, (rows, cols)), shape=(len(nodes), len(nodes))), nodes


def nearest_nodes(G: nx.MultiDiGraph, x, y) -> np.ndarray:
    """Ids of the graph nodes nearest to points (x, y) in the graph's CRS (metres)."""
    nodes = list(G.nodes)
    xy = np.array([(G.nodes[n]["x"], G.nodes[n]["y"]) for n in nodes])
    _, idx = cKDTree(xy).query(np.column_stack([x, y]))
    return np.asarray(nodes)[idx]


def distances_to(G: nx.MultiDiGraph, target, origins, weight: str = "length") -> np.ndarray:
    """Shortest-path ``weight`` (m for ``length``) from each origin node to ``target``; inf if unreachable."""
    matrix, nodes = graph_to_csr(G, weight)
    pos = {n: i for i, n in enumerate(nodes)}
    if target not in pos:
        return np.full(len(origins), np.inf)
    # Distances *to* the target = distances from it on the transposed graph.
    dist = dijkstra(matrix.T.tocsr(), directed=True, indices=pos[target])
    return np.array([dist[pos[o]] if o in pos else np.inf for o in origins])
