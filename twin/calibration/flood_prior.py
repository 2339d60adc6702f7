"""The flood prior: a river without a gauge (issue 24). What the flood forecast draws, member by member, when
the territory has no discharge gauge to calibrate GR4H, fit a rating curve or set alert levels on — every
figure labelled ``prior`` and its spread carried to the stage, the alerts and the buildings.

* **The river**: the territory's longest named ``waterway=river`` as OSM maps it (:func:`main_river`), or the
  ``river_names`` given.
* **Catchment area** [km²]: given (``area_km2``, best: from the BD TOPAGE or the Banque Hydro), else from the
  river's mapped length by Hack's law, L = 1.4 A^0.6 (L in miles, A in square miles; Hack 1957, *Studies of
  longitudinal stream profiles in Virginia and Maryland*, USGS Prof. Paper 294-B), lognormal of log-sd
  :data:`HACK_LOG_SD` around it (project assumption: the law's scatter, and a mapped length is not the main
  stem's: it may hold its tributaries too). When the extract cuts the river, its mapped length says only that
  the catchment is larger: log-uniform from Hack's area of that length (at least :data:`CLIPPED_AREA_KM2`'s
  lower end) to its upper end — orders of magnitude, said as such.
* **GR4 parameters**: the 27 generalist parameter sets of GR4J (Andréassian et al. 2014, *Water Resour.
  Res.* 50(10):8356–8366), as summarised in airGR's vignette « Generalist parameter sets for the GR4J
  model »: quartiles X1 208 / 291 / 359 mm, X2 −2.0 / −1.1 / −0.6 mm/d, X3 35 / 76 / 90 mm, X4 1.75 / 2.10 /
  2.45 d (rescaled there to the vignette's 360 km² catchment). Each is drawn from a distribution with those
  quartiles (lognormal for X1, X3, X4, normal for X2, each side of the median spread to its own quartile): the spread of sets that work across many French
  catchments stands for what this one may be (Oudin et al. 2008, *Water Resour. Res.* 44, W03413: regionalised
  parameters "lag far behind" calibrated ones — the spread says so). X4 scales with the area S [km²] as
  X4 = X4u / 5.995 × S^0.3 (airGR ``Param_Sets_GR4J``). Hourly: X4 × 24 h (a unit conversion) and X3 ×
  24^(1/4): the routing store empties by R·[1 − (1 + (R/X3)⁴)^(−1/4)] per step (Perrin et al. 2003), about
  R⁵ / (4 X3⁴) for a store well below X3 — a 24 times smaller outflow per hourly step takes an X3 24^(1/4)
  times larger. The exchange, X2·(R/X3)^3.5 per step, must then shrink 24 times at the same R: X2 ×
  24^(3.5/4) / 24 = X2 × 24^(−1/8) (X2 / 24 would leave 6 % of it). X1 needs none: GR4H's percolation
  constant (21/4 against 9/4) already scales it (airGR). A test checks that a daily and an hourly run of the
  same rain give the same volume within a few per cent. Other time-step effects (Ficchì et al. 2016) are
  not modelled.
* **Antecedent wetness**: production store 40–80 % of X1 (uniform; project assumption: the wet season a
  flood question is asked in); the routing store at the level that sends out what that store percolates
  into it, and the unit hydrographs filled by a dry spin-up of 2·X4 hours
  (:func:`twin.scenarios.flood_ungauged.initial_state`): without rain the river then recedes, as it should.
* **Design storm**: depth of return period T over the duration from the Montana law h = a·t^(1−b) (mm, t in
  minutes) with the example coefficients of a Météo-France station in ASTEE's *Mémento technique 2017*
  (Tableau 31; :data:`MONTANA_EXAMPLE`, fitted on 30 min–6 h: a 24 h storm extrapolates it, a project
  assumption), a lognormal factor of log-sd :data:`RAIN_LOG_SD` (its 70 % band of about ±15 %); a point
  depth laid on the whole catchment (no areal reduction, which would take some 10 % off over a few hundred
  km²: the prior errs on the wet side). The station's own coefficients (sold by Météo-France) replace it
  through ``design_mm``.
* **Channel and floodplain** (:mod:`twin.models.channel`): width from the mapped river areas (their area over
  the river's length through them), else log-uniform :data:`WIDTH_M`; Manning's n uniform 0.03–0.06 (Chow 1959,
  natural main channels, clean-winding to sluggish); bed slope log-uniform 0.0003–0.003 (lowland rivers); bank
  height uniform 1.5–3.5 m and floodplain cross slope log-uniform 0.005–0.05 (both: project assumptions; the
  synthetic floodplain's 3.0 m and 0.02 lie inside).
* **Alert levels**: no official thresholds exist for an ungauged river: the levels are each member's own,
  relative to its bank top (:data:`LEVELS_BELOW_BANK_M`: yellow 0.5 m below it, orange at it — the river leaves
  its bed — red 1 m above): a project convention, said in every outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

import re

import numpy as np
import pandas as pd
from scipy.stats import norm
from shapely.ops import linemerge, unary_union

MONTANA_EXAMPLE = {5: (10.874, 0.779), 10: (15.096, 0.803), 20: (20.219, 0.825), 30: (23.79, 0.838),
                   50: (28.93, 0.852), 100: (37.379, 0.872)}
"""Return period [years] → Montana (a, b), depth h = a·t^(1−b) [mm] for t [min]: ASTEE Mémento 2017, Tableau 31."""
RAIN_LOG_SD = 0.15
HACK_LOG_SD = 0.7
CLIPPED_AREA_KM2 = (10.0, 10_000.0)
"""[km²] the catchment of a river the extract cuts, its area not given: log-uniform over this range."""
GR4J_QUARTILES = {"x1": (208.0, 291.0, 359.0), "x2": (-2.0, -1.1, -0.6), "x3": (35.0, 76.0, 90.0),
                  "x4": (1.75, 2.10, 2.45)}
"""[mm, mm/d, mm, d] quartiles of the 27 generalist GR4J sets (Andréassian et al. 2014; airGR vignette)."""
VIGNETTE_AREA_KM2 = 360.0
"""[km²] the catchment the vignette's X4 is rescaled to (airGR's L0123001)."""
PRODUCTION_FILL = (0.4, 0.8)
MANNING_N = (0.03, 0.06)
BED_SLOPE = (3e-4, 3e-3)
BANK_M = (1.5, 3.5)
CROSS_SLOPE = (0.005, 0.05)
WIDTH_M = (5.0, 40.0)
LEVELS_BELOW_BANK_M = {"yellow": -0.5, "orange": 0.0, "red": 1.0}
"""[m] each alert level relative to a member's bank top."""
HOURLY_X3 = 24.0 ** 0.25
"""[-] the daily X3 → hourly X3 factor (module docstring)."""
HOURLY_X2 = 24.0 ** -0.125
"""[-] the daily X2 (mm/d) → hourly X2 (mm/h) factor (module docstring)."""
Z_QUARTILE = norm.ppf(0.75)  # 0.674: a standard normal's upper quartile


@dataclass(frozen=True)
class River:
    name: str
    length_km: float
    width_m: float | None  # from the mapped river areas, None when none is mapped
    clipped: bool  # some of its ways leave the extract


def design_depth_mm(return_period_years: int, duration_h: float) -> float:
    """[mm] the Montana depth of the example station (:data:`MONTANA_EXAMPLE`) for ``duration_h`` [h]."""
    if return_period_years not in MONTANA_EXAMPLE:
        raise ValueError(f"return period: one of {sorted(MONTANA_EXAMPLE)} years, got {return_period_years}")
    a, b = MONTANA_EXAMPLE[return_period_years]
    return float(a * (60.0 * duration_h) ** (1.0 - b))


def hack_area_km2(length_km: float) -> float:
    """[km²] catchment area from its main stream's length [km] by Hack's law (module docstring)."""
    miles = length_km / 1.609344
    return float((miles / 1.4) ** (1 / 0.6) * 2.589988)


def main_river(territory, names: tuple[str, ...] = ()) -> River | None:
    """The river the forecast is about: the named ``waterway=river`` of ``names`` (or the longest mapped), its
    mapped length, its width from the river areas along it; None when OSM maps no named river."""
    ww = territory.layers["waterways"]
    if ww.empty or "waterway" not in ww:
        return None
    rivers = ww[(ww["waterway"] == "river") & ww["name"].notna()]
    if names:
        exact = rivers["name"].isin(names)
        rivers = rivers[exact] if exact.any() else \
            rivers[rivers["name"].str.contains("|".join(re.escape(str(n)) for n in names), regex=True)]
    if rivers.empty:
        return None
    lengths = rivers.groupby("name").geometry.apply(_main_stem_m)
    name = str(lengths.idxmax())
    lines = rivers[rivers["name"] == name]
    width = None
    areas = territory.layers.get("water_areas")
    if areas is not None and len(areas):
        line = lines.geometry.union_all()
        along = areas[areas.intersects(line)]
        inside = float(line.intersection(along.geometry.union_all()).length) if len(along) else 0.0
        if inside > 50.0:  # a river area crossed over 50 m at least: its mean width
            width = float(along.geometry.union_all().area / inside)
    clipped = bool(lines["clipped"].fillna(False).astype(bool).any()) if "clipped" in lines else False
    return River(name, float(lengths.max()) / 1000.0, width, clipped)


def _main_stem_m(geometries) -> float:
    """[m] the longest line the river's ways join into: its parallel arms and side channels (ways of the
    same name) are not added to the main stem's length, which Hack's law reads."""
    union = unary_union(list(geometries))
    merged = linemerge(union) if union.geom_type == "MultiLineString" else union  # one line: nothing to join
    parts = getattr(merged, "geoms", [merged])
    return float(max((g.length for g in parts), default=0.0))


def _split_lognormal(q, z):
    """A draw with quartiles ``q`` from a standard normal ``z``: lognormal on each side of the median, each side's
    spread set by its own quartile (the sets' quartiles are not symmetric in logs)."""
    q1, med, q3 = q
    return med * np.exp(z * (np.log(med / q1) if z < 0 else np.log(q3 / med)) / Z_QUARTILE)


def _split_normal(q, z):
    q1, med, q3 = q
    return med + z * ((med - q1) if z < 0 else (q3 - med)) / Z_QUARTILE


def draw_catchments(members: int, seed: int, *, area_km2: float | None, length_km: float | None,
                    width_m: float | None, clipped: bool = False) -> pd.DataFrame:
    """One row per member: ``area_km2``, hourly GR4 ``x1`` [mm] ``x2`` [mm/h] ``x3`` [mm] ``x4`` [h], store fills
    ``s0`` [-], channel ``width_m`` ``manning_n`` ``slope`` ``bank_m`` ``cross_slope`` and the design rain's
    ``rain_factor`` (module docstring). ``area_km2`` given: every member's; else Hack's from ``length_km``
    (``clipped``: the extract cuts the river, Hack's area only a lower bound).
    Member *m* draws from ``numpy.random.default_rng([seed, m])``: it stays itself whatever the count."""
    if area_km2 is None and not length_km:
        raise ValueError("a catchment area or a river length is needed")
    rows = []
    for m in range(members):
        rng = np.random.default_rng([seed, m])
        z = rng.standard_normal(6)
        u = rng.uniform(size=7)
        if area_km2 is not None:
            area = area_km2
        elif clipped:  # only a lower bound from the map
            low = max(hack_area_km2(length_km), CLIPPED_AREA_KM2[0])
            area = float(np.exp(np.log(low) + norm.cdf(z[0]) * np.log(max(CLIPPED_AREA_KM2[1], low) / low)))
        else:
            area = hack_area_km2(length_km) * np.exp(HACK_LOG_SD * z[0])
        x4u = _split_lognormal(GR4J_QUARTILES["x4"], z[4]) * 5.995 / VIGNETTE_AREA_KM2 ** 0.3
        rows.append({
            "area_km2": float(area),
            "x1": float(_split_lognormal(GR4J_QUARTILES["x1"], z[1])),
            "x2": float(_split_normal(GR4J_QUARTILES["x2"], z[2]) * HOURLY_X2),
            "x3": float(_split_lognormal(GR4J_QUARTILES["x3"], z[3]) * HOURLY_X3),
            "x4": float(24.0 * x4u / 5.995 * area ** 0.3),
            "s0": float(PRODUCTION_FILL[0] + u[0] * np.ptp(PRODUCTION_FILL)),
            "width_m": float(width_m) if width_m else float(np.exp(np.log(WIDTH_M[0]) + u[2] * np.log(WIDTH_M[1] / WIDTH_M[0]))),
            "manning_n": float(MANNING_N[0] + u[3] * np.ptp(MANNING_N)),
            "slope": float(np.exp(np.log(BED_SLOPE[0]) + u[4] * np.log(BED_SLOPE[1] / BED_SLOPE[0]))),
            "bank_m": float(BANK_M[0] + u[5] * np.ptp(BANK_M)),
            "cross_slope": float(np.exp(np.log(CROSS_SLOPE[0]) + u[6] * np.log(CROSS_SLOPE[1] / CROSS_SLOPE[0]))),
            "rain_factor": float(np.exp(RAIN_LOG_SD * z[5])),
        })
    return pd.DataFrame(rows)


SOURCES = ("GR4J generalist sets (Andréassian et al. 2014, airGR), X4 scaled with area (airGR); design rain: "
           "Montana example coefficients (ASTEE Mémento 2017, Tableau 31); catchment area by Hack's law (1957) "
           "when not given; channel: Manning (Chow 1959); wetness, bank and floodplain: project assumptions")

__all__ = ["GR4J_QUARTILES", "LEVELS_BELOW_BANK_M", "MONTANA_EXAMPLE", "River", "SOURCES", "design_depth_mm",
           "draw_catchments", "hack_area_km2", "main_river"]
