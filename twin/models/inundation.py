"""Which streets and buildings are under water for a given river stage: height above nearest drainage.

The fast approximation (HAND: Rennó et al. 2008, Remote Sens. Environ. 112, 3469–3481;
Nobre et al. 2011, J. Hydrol. 404, 13–29): a place floods when the water surface
above the river's low-water level exceeds the place's height above the nearest
drainage. Cheap enough to evaluate for every member of an ensemble.

Without a DEM (the Redon seed ships none) :func:`synthetic_hand` makes a plausible
floodplain from the river geometry — bank height plus a constant cross slope with
distance to the river — which is **SYNTHETIC** and labelled so wherever it is used.
Its defaults (quays 3.0 m above low water, rising 2 cm per metre away from the river)
put the first streets under water a little above the yellow level of the synthetic
Redon gauge and about 100 m of the riverside under water at the red level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from shapely.ops import unary_union

from twin.errors import TwinError

SYNTHETIC_FLOODPLAIN = {"bank_height_m": 3.0, "cross_slope": 0.02,
                        "label": "SYNTHETIC floodplain: bank height + cross slope × distance to the river"}


@dataclass(frozen=True)
class SyntheticFloodplain:
    """HAND(x) = bank_height_m + cross_slope × distance from x to the river (m). SYNTHETIC."""

    river: object  # shapely geometry of the river (lines and areas), projected CRS
    bank_height_m: float = SYNTHETIC_FLOODPLAIN["bank_height_m"]
    cross_slope: float = SYNTHETIC_FLOODPLAIN["cross_slope"]
    synthetic: bool = True

    def hand_m(self, geometries: gpd.GeoSeries) -> np.ndarray:
        """Height above nearest drainage (m) of each geometry's lowest point (its distance to the river)."""
        return self.bank_height_m + self.cross_slope * geometries.distance(self.river).to_numpy()


class FloodplainError(TwinError, ValueError):
    """No river of the territory to build a floodplain from."""


def synthetic_hand(territory, names: tuple[str, ...], **kwargs) -> SyntheticFloodplain:
    """A synthetic floodplain around the territory's named rivers (their lines and water areas).

    ``names``: the rivers' names as OSM writes them (a part of the name is enough); empty: every
    river, canal and water area. Names that match nothing are an error, never a silent fallback
    to other water: the floodplain would follow a river the forecast is not about.
    """
    ww = territory.layers["waterways"]
    wa = territory.layers["water_areas"]
    if names:
        pattern = "|".join(re.escape(n) for n in names)
        parts = list(ww[ww["name"].fillna("").str.contains(pattern)].geometry) + \
            list(wa[wa["name"].fillna("").str.contains(pattern)].geometry)
        if not parts:
            known = sorted({str(n) for n in ww["name"].dropna()} | {str(n) for n in wa["name"].dropna()})
            raise FloodplainError(f"territory {territory.name!r}: no waterway or water area named {list(names)} "
                                  f"(named ones: {known[:20]}{' …' if len(known) > 20 else ''})")
    else:
        parts = list(ww[ww["waterway"].isin(["river", "canal"])].geometry) + list(wa.geometry)
    if not parts:
        raise FloodplainError(f"territory {territory.name!r} has no river to build a floodplain from")
    return SyntheticFloodplain(unary_union(parts), **kwargs)


def flood_depth_m(hand_m: np.ndarray, water_above_low_m) -> np.ndarray:
    """Water depth (m) at places of height ``hand_m`` for a water surface ``water_above_low_m`` above low water.

    ``water_above_low_m`` may be a scalar or an array of members: the result then has a leading member axis.
    """
    w = np.asarray(water_above_low_m, float)
    return np.clip(w[..., None] - hand_m, 0.0, None) if w.ndim else np.clip(w - hand_m, 0.0, None)


def synthetic_dem(floodplain: SyntheticFloodplain, bounds, dx: float = 5.0, low_water_m: float = 0.0):
    """A SYNTHETIC DEM (a :class:`twin.datatypes.Grid`) over ``bounds`` = (xmin, ymin, xmax, ymax):
    ground = ``low_water_m`` + HAND; cells the river runs through at ``low_water_m`` − 1 m. For maps and the 2D solver
    where no real DEM exists — always labelled synthetic."""
    import shapely  # noqa: PLC0415

    from twin.datatypes import Grid  # noqa: PLC0415

    xmin, ymin, xmax, ymax = bounds
    nx, ny = int(np.ceil((xmax - xmin) / dx)), int(np.ceil((ymax - ymin) / dx))
    xs = xmin + (np.arange(nx) + 0.5) * dx
    ys = ymin + (np.arange(ny) + 0.5) * dx
    X, Y = np.meshgrid(xs, ys)
    dist = shapely.distance(floodplain.river, shapely.points(X, Y))
    z = low_water_m + floodplain.bank_height_m + floodplain.cross_slope * dist
    z[dist <= dx / 2] = low_water_m - 1.0  # cells the river runs through
    return Grid(z, xmin, ymin, dx)
