"""Where a territory is, and the climate a prior gives it when it has no weather sensor: the nearest of the
stations of ``twin/data/climate_normals.csv`` (their monthly mean temperatures and heating zone) and its
normal year's heating degree-days — shared by the heating prior (:mod:`twin.calibration.heating_prior`) and
the flood prior (:mod:`twin.scenarios.flood_ungauged`, for evapotranspiration).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from twin.models.buildings import DegreeDays
from twin.models.climate import synthetic_temperature_year

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
NORMAL_YEARS = 10
"""Seeded SYNTHETIC years averaged into a normal year's degree-days (:func:`normal_hdd`)."""


class LocationError(ValueError):
    """A territory with nothing mapped to place it (no building, no street)."""


@dataclass(frozen=True)
class Station:
    name: str
    zone: str
    lat: float
    lon: float
    normals_c: tuple[float, ...]
    distance_km: float


@lru_cache(maxsize=1)
def climate_normals() -> pd.DataFrame:
    """The stations' monthly mean temperatures [°C], their position [°] and heating zone.

    Source: the monthly mean temperatures of 15 French cities of F. Bertrand's teaching data set
    (fbertran.github.io, Master 1, 2020, ``temperature.txt``; period not stated — older normals, a recent
    normal is about 0.5–1 K warmer); positions converted from its degrees and minutes; zones (H1a … H3)
    of each city's département (RT 2012 zones)."""
    with resources.files("twin.data").joinpath("climate_normals.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f)


def nearest_station(lat: float, lon: float) -> Station:
    """The station of :func:`climate_normals` nearest (great circle) to (``lat``, ``lon``) [°]."""
    if not (np.isfinite(lat) and np.isfinite(lon)):
        raise LocationError(f"no position to find a climate station for (lat {lat}, lon {lon})")
    df = climate_normals()
    p1, p2 = np.radians(lat), np.radians(df["lat"].to_numpy())
    dl = np.radians(df["lon"].to_numpy() - lon)
    d = 6371.0 * 2 * np.arcsin(np.sqrt(np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2))
    i = int(np.argmin(d))
    r = df.iloc[i]
    return Station(str(r["station"]), str(r["zone"]), float(r["lat"]), float(r["lon"]),
                   tuple(float(r[m]) for m in MONTHS), float(d[i]))


def territory_lonlat(territory) -> tuple[float, float]:
    """(longitude, latitude) [°, WGS84] of the centre of the territory's buildings, else of its streets;
    :class:`LocationError` when it maps neither."""
    import pyproj  # noqa: PLC0415

    b = territory.layers.get("buildings")
    if b is not None and len(b):
        x0, y0, x1, y1 = b.total_bounds
    else:
        G = (territory.graphs or {}).get("drive")
        if G is None or G.number_of_nodes() == 0:
            raise LocationError(f"territory {territory.name!r} maps no building and no street to place it by")
        xs, ys = zip(*((d["x"], d["y"]) for _, d in G.nodes(data=True)))
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    lon, lat = pyproj.Transformer.from_crs(territory.crs, "EPSG:4326", always_xy=True).transform((x0 + x1) / 2,
                                                                                                 (y0 + y1) / 2)
    return float(lon), float(lat)


def normal_hdd(station: Station, year: int):
    """``hdd(balance_c)`` [K·day/year]: the heating degree-days at a balance point of the station's normal
    climate — the mean over :data:`NORMAL_YEARS` seeded SYNTHETIC years with their day-to-day weather (a year
    without it has fewer: 3–4 % at balance points of 14–17 °C, since a cold spell's degree-days are not
    offset by a mild one's)."""
    years = [DegreeDays(synthetic_temperature_year(year, station.normals_c, seed=10_000 + k))
             for k in range(NORMAL_YEARS)]

    def hdd(balance_c: float) -> float:
        return float(np.mean([np.nansum(dd.hdd([balance_c])[:, 0]) for dd in years]))

    return hdd


__all__ = ["LocationError", "MONTHS", "Station", "climate_normals", "nearest_station", "normal_hdd",
           "territory_lonlat"]
