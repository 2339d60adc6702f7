"""The street of each building: its address's street, else the named street nearest it — where to knock.

OpenStreetMap gives few buildings an address (on Redon, 19 of the 147 a flood put on the alert list had a
name or an address): a list of ``osm:way/…`` ids tells a flood officer no door to knock on. The nearest
named street of the drive graph, within a walking distance, says where the building stands.
"""

from __future__ import annotations

import re

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


_POSTCODE_FIRST = re.compile(r"^\d{5}\b")  # « 35600 Redon »: the town part of an address without a street
# « 3 », « 3 bis », « 12B », « 37-39 », « 37;39 », « 3/5 »: the house numbers before the street
_HOUSE_NUMBER = re.compile(r"^\d+\s*(?:bis|ter|quater|[a-z])?(?:\s*[-;/]\s*\d+\s*(?:bis|ter|quater|[a-z])?)*\b[\s,]*",
                           re.IGNORECASE)
_MORE = re.compile(r"\s*\(\+\d+\)\s*$")  # « (+1) »: the BAN's other addresses of the building


def address_street(address) -> str:
    """[-] The street of a postal address written « number street, postcode town »
    (:func:`twin.territory.assets._address`, the BAN's), "" when it names none (« 35600 Redon ») or is no text
    (a building without an address: NaN).

    >>> address_street("37-39 Grande Rue, 35600 Redon"), address_street("Place Charles de Gaulle"), address_street("35600")
    ('Grande Rue', 'Place Charles de Gaulle', '')
    """
    if not isinstance(address, str):
        return ""
    first = _MORE.sub("", address.split(",")[0]).strip()
    if not first or _POSTCODE_FIRST.match(first):
        return ""
    street = _HOUSE_NUMBER.sub("", first).strip()
    return street if street and not street[0].isdigit() else ""


def building_streets(buildings: gpd.GeoDataFrame, G, max_m: float = NEAREST_STREET_MAX_M) -> pd.Series:
    """[-] Each building's street: its address's (:func:`address_street`) where that is a named street of ``G``
    (not a town alone, « Redon »), else the named street nearest it (:func:`nearest_street_names`). « 37 Grande
    Rue » was listed under « Rue des Chambots », the street behind it, in a flood's alert list (a GEMAPI
    technician's walkthrough)."""
    near = nearest_street_names(buildings, G, max_m)
    if "address" not in buildings:
        return near
    known = {name.casefold(): name for name in _named_edges(G)["street"]}
    own = buildings["address"].map(lambda a: known.get(address_street(a).casefold(), ""))
    return own.where(own != "", near).astype(str)
