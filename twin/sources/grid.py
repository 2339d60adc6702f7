"""ESRI ASCII grids (``.asc``) — DEMs for the inundation models — and polygon CSV files (x,y per line)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from twin.datatypes import Grid, GridError  # the containers live below readers and models


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
