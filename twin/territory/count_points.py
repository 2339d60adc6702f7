"""Traffic counters put on the territory's drivable streets, for the traffic calibration
(:mod:`twin.calibration.traffic` compares a station with the equilibrium flow of the street edge it is
linked to, both directions).

A counter is linked to the nearest edge of the drive graph within :data:`MAX_DISTANCE_M` (a loop is
on the carriageway, its published position at most a few metres off); farther ones are left unlinked
and named in the notes (a counter outside the territory, or on a road the extract does not map).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

MAX_DISTANCE_M = 30.0


def attach_counts(sensors: pd.DataFrame, territory) -> tuple[pd.DataFrame, list[str]]:
    """``sensors`` (registry rows with lon / lat) with ``asset_layer`` = ``streets_drive`` and ``asset_id``
    the nearest drive edge's id, and notes on the counters left unlinked."""
    from twin.territory.geopackage import edge_geometries  # noqa: PLC0415

    out = sensors.copy()
    edges = edge_geometries(territory)
    lines = gpd.GeoSeries(list(edges.values()), crs=territory.crs)
    ids = np.array(list(edges.keys()), dtype=object)
    ok = out["lon"].notna() & out["lat"].notna()
    pts = gpd.GeoSeries([Point(x, y) for x, y in zip(out.loc[ok, "lon"], out.loc[ok, "lat"])], crs="EPSG:4326") \
        .to_crs(territory.crs)
    notes = []
    out["asset_layer"] = pd.Series(None, index=out.index, dtype=object)
    out["asset_id"] = pd.Series(None, index=out.index, dtype=object)
    if len(pts):
        near_p, near_e = lines.sindex.nearest(pts.values, max_distance=MAX_DISTANCE_M, return_all=False)
        rows = out.index[ok][near_p]
        out.loc[rows, "asset_layer"] = "streets_drive"
        out.loc[rows, "asset_id"] = ids[near_e]
    far = out["asset_id"].isna()
    if far.any():
        notes.append(f"{int(far.sum())} counter sensor(s) more than {MAX_DISTANCE_M:g} m from any drivable street of "
                     f"{territory.name!r}, not linked: {', '.join(out.loc[far, 'sensor_id'].head(5))}"
                     + (" …" if far.sum() > 5 else ""))
    return out, notes
