"""A water network as layers of the territory: junctions, tanks, reservoirs, pipes, pumps and valves as
GeoDataFrames, and the junction that serves each building (issue 22).

An EPANET file's coordinates are in whatever frame its author drew it: a known CRS (Lambert-93 for a
French utility's model, ``EPSG:2154``), or a drawing frame of its own (L-Town, Net3). The user says
which (``crs``); without it the layers carry no CRS and are not placed on the territory's map, and
nothing is linked to its buildings (a network drawn in its own frame cannot be matched to streets).
Layers come from WNTR's GIS export (:func:`wntr.network.to_gis`), in SI units (m, m³/s).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

LAYERS = ("junctions", "tanks", "reservoirs", "pipes", "pumps", "valves")


def network_layers(wn, crs: str | None = None, to_crs: str | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The network's elements as GeoDataFrames (index: the element's id), in ``crs`` (the file's frame)
    and projected to ``to_crs`` when both are given (the territory's CRS)."""
    import wntr  # noqa: PLC0415

    if to_crs is not None and crs is None:
        raise ValueError("the network's coordinates have no CRS: say which (e.g. EPSG:2154) before placing it "
                         "on the territory")
    gis = wntr.network.to_gis(wn, crs=crs)
    layers = {}
    for name in LAYERS:
        layer = getattr(gis, name)
        layers[name] = layer.to_crs(to_crs) if to_crs is not None and len(layer) else layer
    return layers


def serving_junctions(junctions: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame,
                      max_distance_m: float = 150.0) -> gpd.GeoDataFrame:
    """For each building, the nearest junction with a demand within ``max_distance_m`` (its service
    connection; buildings farther than that are left unlinked, ``junction`` empty, never dropped): columns
    ``building`` (its id), ``junction``, ``distance_m``. Both layers in one projected CRS (metres)."""
    if junctions.crs is None or buildings.crs is None or junctions.crs != buildings.crs:
        raise ValueError(f"junctions ({junctions.crs}) and buildings ({buildings.crs}) must share a projected CRS")
    if not junctions.crs.is_projected:
        raise ValueError(f"{junctions.crs} is not projected: distances in metres need a projected CRS")
    serving = junctions[junctions["base_demand"].fillna(0) > 0] if "base_demand" in junctions else junctions
    points = gpd.GeoDataFrame({"building": buildings["id"].to_numpy()},
                              geometry=buildings.geometry.representative_point().to_numpy(), crs=buildings.crs)
    if serving.empty:
        return points.assign(junction=None, distance_m=np.nan).drop(columns="geometry")
    near = gpd.sjoin_nearest(points, serving[["geometry"]].rename_axis("junction").reset_index(),
                             how="left", max_distance=max_distance_m, distance_col="distance_m")
    near = near[~near.index.duplicated(keep="first")]  # equidistant junctions: the first
    out = near[["building", "junction", "distance_m"]].reset_index(drop=True)
    out["junction"] = pd.Series([j if isinstance(j, str) else None for j in out["junction"]], dtype=object)
    return out
