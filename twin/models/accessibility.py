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


class EdgeIndex:
    """A street graph as arrays, built once per graph: node order, node coordinates, and every edge's
    endpoints (as positions), key, weight, name and OSM way ids.

    Many scenarios each remove a few edges and ask for distances again (a workshop of twenty
    street closures); with this index a closure is a boolean mask over the edge arrays and one
    Dijkstra, without copying the networkx graph or walking its edge dicts.
    Use :func:`edge_index` (cached per graph) rather than the constructor.
    """

    def __init__(self, G: nx.MultiDiGraph, weight: str = "length"):
        self.nodes = list(G.nodes)
        self.pos = {n: i for i, n in enumerate(self.nodes)}
        self.xy = np.array([(G.nodes[n]["x"], G.nodes[n]["y"]) for n in self.nodes], dtype=float).reshape(-1, 2)
        u, v, keys, w, names, ways = [], [], [], [], [], []
        self.spelling: dict[str, str] = {}  # lower-case name -> the name as written in OSM
        for a, b, k, d in G.edges(keys=True, data=True):
            u.append(self.pos[a])
            v.append(self.pos[b])
            keys.append((a, b, k))
            w.append(float(d[weight]))
            names.append(str(d.get("name") or "").lower())
            self.spelling.setdefault(names[-1], str(d.get("name") or ""))
            ways.append(frozenset(int(x) for x in str(d.get("osm_way_ids", d.get("osm_way_id", ""))).split(";") if x))
        self.u, self.v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
        self.keys, self.names, self.ways = keys, names, ways
        # zero-length edges would vanish from a sparse matrix; keep them reachable with a tiny weight
        self.weight = np.maximum(np.asarray(w, dtype=float), 1e-9)
        self._tree = None
        self._trees: dict = {}
        self._baseline: dict[int, np.ndarray] = {}  # target position -> distances on the whole network
        self._snapped: dict[int, tuple] = {}  # id(layer) -> (layer, positions of its features' core nodes)
        # positions of the nodes of the largest strongly connected component
        self.core = np.sort(np.fromiter((self.pos[n] for n in max(nx.strongly_connected_components(G), key=len)),
                                        dtype=np.int64)) if len(self.nodes) else np.zeros(0, dtype=np.int64)

    def nearest(self, x, y, among: np.ndarray | None = None) -> np.ndarray:
        """Positions (into ``nodes``) of the nodes nearest to points (x, y); ``among``: allowed positions."""
        if among is None:
            if self._tree is None:
                self._tree = cKDTree(self.xy)
            _, idx = self._tree.query(np.column_stack([x, y]))
            return np.asarray(idx)
        tree = self._trees.get(id(among))
        if tree is None or tree[0] is not among:
            tree = (among, cKDTree(self.xy[among]))
            self._trees[id(among)] = tree  # the core's tree, mostly: asked for at every closure
        _, idx = tree[1].query(np.column_stack([x, y]))
        return np.asarray(among)[idx]

    def snap(self, layer) -> np.ndarray:
        """Positions of the core nodes (largest strongly connected part) nearest to the representative
        point of each feature of ``layer`` (a GeoDataFrame in the graph's CRS), in the layer's order.

        Kept per layer object: every street closure snaps the same buildings and places, and that
        (a representative point per building, a k-d tree query) was most of a closure's time. A
        territory's layers are not modified in place; a layer whose length changed is snapped again.
        """
        hit = self._snapped.get(id(layer))
        if hit is None or hit[0] is not layer or len(hit[1]) != len(layer):
            pts = layer.geometry.representative_point()
            hit = (layer, self.nearest(pts.x.to_numpy(), pts.y.to_numpy(), among=self.core))
            self._snapped[id(layer)] = hit
        return hit[1]

    def distances_to(self, target: int, origins: np.ndarray, open_edges: np.ndarray | None = None) -> np.ndarray:
        """Shortest distance from each origin position to the target position over the open edges
        (all when ``open_edges`` is None); inf when unreachable. Parallel edges: the shortest counts."""
        if open_edges is None:  # the whole network: the same for every scenario run, kept per target
            dist = self._baseline.get(int(target))
            if dist is None:
                dist = self._baseline[int(target)] = self._dijkstra(int(target), self.u, self.v, self.weight)
        else:
            dist = self._dijkstra(int(target), self.u[open_edges], self.v[open_edges], self.weight[open_edges])
        return dist[np.asarray(origins, dtype=np.int64)]

    def _dijkstra(self, target: int, u, v, w) -> np.ndarray:
        """Distances from every node to ``target`` (Dijkstra from it on the reversed edges)."""
        n = len(self.nodes)
        # parallel edges: keep the shortest (a sparse matrix would add duplicates up)
        order = np.lexsort((w, u, v))
        rows, cols, w = v[order], u[order], w[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        matrix = csr_matrix((w[first], (rows[first], cols[first])), shape=(n, n))
        return dijkstra(matrix, directed=True, indices=target)


_EDGE_INDEXES: dict[int, tuple] = {}


def edge_index(G: nx.MultiDiGraph, weight: str = "length") -> EdgeIndex:
    """The :class:`EdgeIndex` of ``G``, built on first use and kept while ``G`` lives.

    Graphs of a loaded territory are not modified in place (scenarios work on copies), which is
    what makes the cache safe: a graph changed in place after indexing would need ``EdgeIndex(G)``.
    """
    import weakref  # noqa: PLC0415

    key = (id(G), weight)
    hit = _EDGE_INDEXES.get(key)
    if hit is not None and hit[0]() is G:
        return hit[1]
    index = EdgeIndex(G, weight)
    _EDGE_INDEXES[key] = (weakref.ref(G, lambda _, k=key: _EDGE_INDEXES.pop(k, None)), index)
    return index
