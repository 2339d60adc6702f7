"""The ARR Project 15 urban flood test case (Merewether, Pasha Bulker storm, June 2007), as shipped
with ANUGA's validation tests: a 1 m DEM, house polygons, a road polygon, observation points.

Case set-up (ARR Project 15 / ANUGA): a steady inflow of 19.7 m³/s over a 10 m radius at
(382265, 6354280), Manning's n 0.02 on the road and 0.04 elsewhere, houses blocked, reflective
south and west edges, free outflow on the north and east edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from shapely.ops import unary_union

from twin.sources.grid import Grid, read_ascii_grid, read_polygon_csv

INFLOW_M3S = 19.7
INFLOW_XY = (382265.0, 6354280.0)
INFLOW_RADIUS_M = 10.0


@dataclass
class UrbanFloodCase:
    grid: Grid
    manning: np.ndarray
    blocked: np.ndarray
    inflow_m3s: np.ndarray
    sink: np.ndarray
    observations: pd.DataFrame


def load_merewether(directory: str | Path) -> UrbanFloodCase:
    """Load the case from its directory (``topography1.asc``, ``houses/*.csv``, ``Road/RoadPolygon.csv``,
    ``ObservationPoints_with_ground.csv``)."""
    d = Path(directory)
    grid = read_ascii_grid(d / "topography1.asc")
    houses = unary_union([read_polygon_csv(f) for f in sorted((d / "houses").glob("*.csv"))])
    road = read_polygon_csv(d / "Road" / "RoadPolygon.csv")
    xs, ys = grid.centres()
    X, Y = np.meshgrid(xs, ys)
    circle = (X - INFLOW_XY[0]) ** 2 + (Y - INFLOW_XY[1]) ** 2 <= INFLOW_RADIUS_M ** 2
    sink = np.zeros(grid.shape, bool)
    sink[-1, :] = True  # north edge
    sink[:, -1] = True  # east edge
    return UrbanFloodCase(
        grid=grid, manning=np.where(grid.mask_polygon(road), 0.02, 0.04), blocked=grid.mask_polygon(houses),
        inflow_m3s=np.where(circle, INFLOW_M3S / circle.sum(), 0.0), sink=sink & np.isfinite(grid.z),
        observations=pd.read_csv(d / "ObservationPoints_with_ground.csv"))
