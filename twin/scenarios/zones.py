"""A zone drawn by a user (a WKT polygon in WGS84, as the app's map draws it) and the street edges it
touches: one rule for every family that closes, digs up or empties the streets of a zone."""

from __future__ import annotations

import numpy as np

from twin.scenarios.base import ScenarioError


def _shown(text: str) -> str:
    return f"{text[:40]!r}{'…' if len(text) > 40 else ''}"


def check_polygon(text: str, name: str = "polygon") -> None:
    """Refuse a polygon that is not WKT, naming the parameter (at construction: before the territory loads)."""
    from shapely import wkt  # noqa: PLC0415

    try:
        wkt.loads(text)
    except Exception:  # noqa: BLE001 - shapely raises several types on bad WKT
        raise ScenarioError(f"{name}: not valid WKT (expected e.g. POLYGON((lon lat, …)) in WGS84; got "
                            f"{_shown(text)})", key="err_polygon_wkt", values={"text": _shown(text)}) from None


def edges_in_polygon(territory, edges, text: str, name: str = "polygon") -> np.ndarray:
    """Boolean per directed edge ``(u, v, key)`` of the territory's drive graph: it touches the polygon
    ``text`` (WKT, WGS84)."""
    import geopandas as gpd  # noqa: PLC0415
    from shapely import wkt  # noqa: PLC0415
    from shapely.geometry import LineString  # noqa: PLC0415

    G = territory.graphs["drive"]
    try:
        poly = gpd.GeoSeries([wkt.loads(text)], crs="EPSG:4326").to_crs(territory.crs).iloc[0]
    except Exception as exc:  # noqa: BLE001
        raise ScenarioError(f"{name} is not valid WKT ({exc})", key="err_polygon_wkt",
                            values={"text": _shown(text)}) from None
    hit = np.zeros(len(edges), bool)
    for i, (u, v, k) in enumerate(edges):
        d = G.edges[u, v, k]
        geom = d.get("geometry") or LineString([(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])])
        hit[i] = geom.intersects(poly)
    return hit


__all__ = ["check_polygon", "edges_in_polygon"]
