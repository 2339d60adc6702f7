"""ESRI ASCII grids (``.asc``) — DEMs for the inundation models — and polygon CSV files (x,y per line)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


class GridError(ValueError):
    """An unreadable grid; the message names the file and what is wrong."""


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


def read_ascii_grid(path: str | Path) -> Grid:
    """Read an ESRI ASCII grid; NODATA cells become NaN."""
    path = Path(path)
    if not path.exists():
        raise GridError(f"{path}: no such file")
    header = {}
    with open(path) as fh:
        for _ in range(6):
            line = fh.readline().split()
            if len(line) != 2:
                raise GridError(f"{path}: header line {line!r} is not 'key value'")
            header[line[0].lower()] = float(line[1])
        data = np.loadtxt(fh)
    for key in ("ncols", "nrows", "cellsize"):
        if key not in header:
            raise GridError(f"{path}: header lacks {key}")
    if data.shape != (int(header["nrows"]), int(header["ncols"])):
        raise GridError(f"{path}: {data.shape} values, header says {int(header['nrows'])} × {int(header['ncols'])}")
    z = np.where(data == header.get("nodata_value", -9999), np.nan, data)[::-1].copy()
    x0 = header.get("xllcorner", header.get("xllcenter", 0) - header["cellsize"] / 2)
    y0 = header.get("yllcorner", header.get("yllcenter", 0) - header["cellsize"] / 2)
    return Grid(z, x0, y0, header["cellsize"])


def read_polygon_csv(path: str | Path):
    """A polygon from a CSV of ``x,y`` vertices (no header), as the ARR/ANUGA test cases ship them."""
    from shapely.geometry import Polygon  # noqa: PLC0415

    xy = np.loadtxt(path, delimiter=",", ndmin=2)
    if xy.shape[0] < 3 or xy.shape[1] != 2:
        raise GridError(f"{path}: expected at least 3 lines of x,y")
    return Polygon(xy)
