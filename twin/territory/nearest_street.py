"""The named street nearest each building: where to knock when a building has no address.

OpenStreetMap gives few buildings an address (on Redon, 19 of the 147 a flood put on the alert list had a
name or an address): a list of ``osm:way/…`` ids tells a flood officer no door to knock on. The nearest
named street of the drive graph, within a walking distance, says where the building stands.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString

NEAREST_STREET_MAX_M = 100.0
"""[m] Farthest a building may stand from a named street for that street to be said as its own."""


def _named_edges(G) -> gpd.GeoDataFrame:
    """The drive graph's edges that carry a name (the first of a merged way's names), with their geometry."""
    rows = []
    for u, v, d in G.edges(data=True):
        name = d.get("name")
        name = name[0] if isinstance(name, list) and name else name
        if not isinstance(name, str) or not name.strip():
            continue
        geom = d.get("geometry") or LineString([(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])])
        rows.append((name.strip(), geom))
    return gpd.GeoDataFrame({"street": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs=G.graph.get("crs"))


def nearest_street_names(buildings: gpd.GeoDataFrame, G, max_m: float = NEAREST_STREET_MAX_M) -> pd.Series:
    """[-] The name of the named street nearest each building's outline (``buildings`` and the drive graph
    ``G`` in the same metric CRS), "" where none lies within ``max_m`` metres; indexed as ``buildings``."""
    streets = _named_edges(G)
    out = pd.Series("", index=buildings.index, dtype=object)
    if streets.empty or buildings.empty:
        return out
    shapes = buildings[["geometry"]]
    if streets.crs is not None and shapes.crs is not None and shapes.crs != streets.crs:
        shapes = shapes.to_crs(streets.crs)
    near = gpd.sjoin_nearest(shapes, streets, how="left", max_distance=max_m, distance_col="distance_m")
    near = near[~near.index.duplicated(keep="first")]  # ties: the first street found
    found = near["street"].where(near["street"].notna(), "")
    out.loc[found.index] = found.to_numpy()
    return out.astype(str)
