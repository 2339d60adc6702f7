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
    if not hit.any():
        # a polygon beside the works' streets was ignored without a word, and alone it said « no street
        # selected » with no hint: its longitude and latitude are often swapped
        raise _no_street(territory, text, name)
    return hit


def _no_street(territory, text: str, name: str) -> ScenarioError:
    """The error of a polygon touching no street: the territory's extent in WGS84, and whether the polygon
    with its coordinates swapped would touch it."""
    import geopandas as gpd  # noqa: PLC0415
    from shapely import wkt  # noqa: PLC0415
    from shapely.geometry import box  # noqa: PLC0415
    from shapely.ops import transform  # noqa: PLC0415

    G = territory.graphs["drive"]
    xs = [d["x"] for _, d in G.nodes(data=True)]
    ys = [d["y"] for _, d in G.nodes(data=True)]
    extent = gpd.GeoSeries([box(min(xs), min(ys), max(xs), max(ys))], crs=territory.crs).to_crs("EPSG:4326").iloc[0]
    lon0, lat0, lon1, lat1 = extent.bounds
    swapped = transform(lambda x, y, z=None: (y, x), wkt.loads(text)).intersects(extent)
    lon, lat = f"{lon0:.4f} – {lon1:.4f}", f"{lat0:.4f} – {lat1:.4f}"
    hint = ": longitude and latitude swapped?" if swapped else ""
    return ScenarioError(f"{name} touches no drive street of the territory, which spans {lon} in longitude and "
                         f"{lat} in latitude (WGS84, POLYGON((lon lat, …))){hint}",
                         key="err_polygon_no_street_swapped" if swapped else "err_polygon_no_street",
                         values={"lon": lon, "lat": lat})


__all__ = ["check_polygon", "edges_in_polygon"]
