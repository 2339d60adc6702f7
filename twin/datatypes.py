"""Plain data containers that readers (:mod:`twin.sources`) produce and models (:mod:`twin.models`) consume.

They sit below both layers (the import contract in pyproject.toml): a reader may build them
without importing a model, and a model may take them without importing a reader. Each is
arrays plus the few derived quantities every user of it needs; no I/O, no model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Network:
    """A traffic-assignment network: links (0-based node indices), BPR parameters, zones and
    generalised-cost weights. Times in the unit of ``fftt`` (hours for a territory's roads,
    minutes in most TNTP files), lengths in the unit of ``length``."""

    init: np.ndarray
    term: np.ndarray
    capacity: np.ndarray
    length: np.ndarray
    fftt: np.ndarray
    b: np.ndarray
    power: np.ndarray
    toll: np.ndarray
    n_nodes: int
    n_zones: int
    first_thru_node: int  # 1-based as in TNTP files: nodes below it (zones) are not routed through
    distance_weight: float = 0.0  # cost units per length unit, added to every link's cost
    toll_weight: float = 0.0
    source: str = ""

    @property
    def n_links(self) -> int:
        return len(self.init)

    @property
    def fixed_cost(self) -> np.ndarray:
        """The flow-independent part of the generalised cost (distance and toll)."""
        return self.distance_weight * self.length + self.toll_weight * self.toll


class GridError(ValueError):
    """An unreadable or misused grid; the message names the file or the point and what is wrong."""


@dataclass
class Grid:
    """A raster with row 0 at the **south** (y grows with the row index), cell centres at
    ``x0 + (j + 0.5) dx`` and ``y0 + (i + 0.5) dx``; NaN where there is no data."""

    z: np.ndarray
    x0: float
    y0: float
    dx: float

    @property
    def shape(self):
        return self.z.shape

    def centres(self):
        ny, nx = self.z.shape
        return (self.x0 + (np.arange(nx) + 0.5) * self.dx, self.y0 + (np.arange(ny) + 0.5) * self.dx)

    def cell_of(self, x, y) -> tuple[int, int]:
        """(row, column) of the cell holding point (x, y)."""
        i, j = int((y - self.y0) // self.dx), int((x - self.x0) // self.dx)
        if not (0 <= i < self.z.shape[0] and 0 <= j < self.z.shape[1]):
            raise GridError(f"point ({x}, {y}) is outside the grid")
        return i, j

    def mask_polygon(self, polygon) -> np.ndarray:
        """Cells whose centre lies inside a shapely polygon."""
        import shapely  # noqa: PLC0415

        xs, ys = self.centres()
        X, Y = np.meshgrid(xs, ys)
        return shapely.contains_xy(polygon, X, Y)
