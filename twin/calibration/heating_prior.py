"""The heating prior: what a commune's public buildings burn before any meter says so (issue 24).

Where a territory has no gas meter (a bare OSM extract, or a store without ``gas_energy`` sensors), the
heating scenario runs on this prior, an ensemble of possible parks, every figure labelled ``prior``:

* **which buildings**: the commune's own, as OSM maps them (:func:`communal_buildings`): a building whose
  use is education, sport, public or religious, or that stands in (or holds) a place of those kinds — a
  school's grounds, the town hall's point, a sports ground — of at least :data:`MIN_FLOOR_M2`; left out,
  as another owner's (:func:`other_owner`): post offices, police and fire stations, courthouses, health
  buildings, collèges (the département's), lycées (the région's), private schools and the Maisons
  Familiales Rurales (associations) — a commune cannot retrofit them;
* **floor area** [m²]: footprint × storeys (OSM's ``building:levels``, else :data:`DEFAULT_LEVELS` by use,
  a project assumption);
* **heating energy per m²** [kWh/m²/year of final energy, heating only, France's average climate]:
  :data:`HEATING_KWH_PER_M2`, CEREN's 2010 survey of the tertiary sector by branch (Enseignement 104.4,
  Sport-Loisirs-Culture 127.9, Bureaux 136.6, the whole sector 120.8), as tabulated by Université de
  Lille (« prefenerg » course, page C320_02_08, from CEREN's tables). They are averages: the lognormal
  spread below is centred so that its *mean* is theirs (median × exp(−σ²/2)). For comparison, not used:
  81 kWh/m² for 2,400 school buildings, all energies, bills 2018–2023 (Akéa Énergies, 2025), and
  78 kWh/m² for the schools of the Montpellier area (ALEC Montpellier) — the prior may run 20–30 % high on
  schools today, which its spread covers;
* **climate**: × the climate coefficient of the territory's zone (:data:`ZONE_FACTOR`: H1 1.1, H2 0.9,
  H3 0.6; ADEME Base Carbone's climate coefficients of the heating zones) — the zone of the nearest
  station of :mod:`twin.data` ``climate_normals.csv`` (:func:`twin.calibration.climate_station.nearest_station`);
* **age**: × :func:`age_factor` when OSM dates the building (``start_date``): built from 2006, 0.70 (ADEME
  « Chiffres clés du bâtiment »: housing built since 2006 about 140 kWh/m², before 1970 more than 200 —
  their ratio, applied to public buildings as a project assumption); 1975–2005 halfway, 0.85; older or
  undated, 1 (the stock CEREN surveyed, mostly built before 1975: Sénat report r22-832);
* **spread** (project assumptions, no published spread was found): lognormal, a town-wide factor of
  log-sd :data:`TOWN_LOG_SD` (every building of a commune shares its management, its boilers' age, its
  climate year) and a building factor of log-sd :data:`BUILDING_LOG_SD` — together a factor of about 1.5
  either side, which covers the figures above (78–137 kWh/m² for an average building; single village
  halls reach 200–290);
* **gas besides heating** (hot water, kitchens): a share :data:`BASE_SHARE` of the heating gas, uniform
  (assumption); **balance point**: uniform over :data:`BALANCE_POINT_C` (assumption: the range the meters
  of the seed fit).

A member's heating slope (kWh of gas a day per K, what a meter's calibration gives) is its year's heating
gas over the normal year's heating degree-days at its balance point (:func:`prior_park`; the normal year's
:func:`twin.calibration.climate_station.normal_hdd`, weather included), so that a colder synthetic year burns
more.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

HEATING_KWH_PER_M2 = {"education": 104.4, "sport": 127.9, "public": 136.6, "religious": 120.8}
"""[kWh/m²/year] heating final energy by use, France's average climate: CEREN 2010 (module docstring); religious
and any other use take the whole tertiary sector's 120.8."""
TERTIARY_KWH_PER_M2 = 120.8
ZONE_FACTOR = {"H1": 1.1, "H2": 0.9, "H3": 0.6}
"""[-] climate coefficients of the heating zones (ADEME Base Carbone)."""
DEFAULT_LEVELS = {"education": 2.0, "public": 2.0, "sport": 1.0, "religious": 1.0}
"""[storeys] when OSM gives none (project assumption: a sports hall or a church is one tall storey)."""
MIN_FLOOR_M2 = 50.0
"""[m²] smaller buildings (sheds, kiosks, toilets) are not heated buildings of the park."""
TOWN_LOG_SD = 0.25
BUILDING_LOG_SD = 0.35
MEAN_TO_MEDIAN = float(np.exp(-(TOWN_LOG_SD ** 2 + BUILDING_LOG_SD ** 2) / 2))
"""[-] the lognormal's median over its mean: CEREN's figures are means."""
BASE_SHARE = (0.05, 0.20)
BALANCE_POINT_C = (14.0, 17.0)

COMMUNAL_USES = ("education", "sport", "public", "religious")
PLACE_USE = {"school": "education", "townhall": "public", "library": "public", "culture": "public", "sport": "sport",
             "worship": "religious"}
"""A place's category (:data:`twin.territory.assets.PLACE_CATEGORY`) → the use of the buildings on it."""

SOURCES = ("heating per m²: CEREN 2010 by branch (Université de Lille, prefenerg C320_02_08); climate: ADEME "
           "Base Carbone zone coefficients; age: ADEME Chiffres clés du bâtiment; spread, base share and balance "
           "point: project assumptions")


OTHER_OWNER_AMENITY = {"post_office": "La Poste", "police": "the State", "fire_station": "the département's SDIS",
                       "courthouse": "the State", "hospital": "a hospital", "clinic": "a clinic",
                       "doctors": "private", "dentist": "private", "pharmacy": "private"}
OTHER_OWNER_NAME = ((r"\bcoll[eè]ge\b", "the département (collège)"), (r"\blyc[eé]e\b", "the région (lycée)"),
                    (r"\bmaison familiale\b", "an association (MFR)"), (r"\bpriv[eé]e?\b", "private"),
                    (r"\buniversit", "the State (university)"))
"""What marks a building as another owner's (:func:`other_owner`): its amenity, or a word of its name or of
the name of the place it stands on."""


def other_owner(amenity, *names) -> str | None:
    """Who owns a building that is not the commune's, from its ``amenity`` and the ``names`` of it and of the
    place it stands on (:data:`OTHER_OWNER_AMENITY`, :data:`OTHER_OWNER_NAME`); None: the commune, as far as
    OSM tells."""
    if isinstance(amenity, str) and amenity in OTHER_OWNER_AMENITY:
        return OTHER_OWNER_AMENITY[amenity]
    for name in names:
        if isinstance(name, str):
            for pattern, owner in OTHER_OWNER_NAME:
                if re.search(pattern, name, flags=re.IGNORECASE):
                    return owner
    return None


def age_factor(year_built) -> float:
    """[-] the heating per m² of a building built in ``year_built`` relative to the stock's (module docstring);
    1 when unknown."""
    try:
        year = float(year_built)
    except (TypeError, ValueError):
        return 1.0
    if not np.isfinite(year) or year < 1975:
        return 1.0
    return 0.85 if year < 2006 else 0.70


def communal_buildings(territory) -> pd.DataFrame:
    """The commune's heated public buildings as OSM maps them (module docstring): one row per building
    with ``building_id``, ``name``, ``use``, ``floor_m2``, ``levels_from`` ("osm" or "assumed"),
    ``year_built`` (NaN when undated), ``geometry``."""
    import geopandas as gpd  # noqa: PLC0415

    b = territory.layers["buildings"]
    if b.empty:
        return pd.DataFrame(columns=["building_id", "name", "use", "floor_m2", "levels_from", "year_built",
                                     "geometry"])
    use = b["use"].where(b["use"].isin(COMMUNAL_USES))
    place_name = pd.Series(None, index=b.index, dtype=object)
    places = territory.layers.get("places")
    if places is not None and len(places):
        p = places[places["category"].isin([*PLACE_USE, "public_service", "health", "social"])]
        if len(p):
            joined = gpd.sjoin(gpd.GeoDataFrame(geometry=b.geometry, crs=b.crs),
                               gpd.GeoDataFrame({"place_use": p["category"].map(PLACE_USE).to_numpy(),
                                                 "place_name": p["name"].to_numpy()},
                                                geometry=p.geometry.to_numpy(), crs=p.crs),
                               how="inner", predicate="intersects")
            # a building already of a communal use keeps it; the first place it stands on gives the others'
            first = joined.groupby(level=0).first()
            use = use.fillna(first["place_use"].reindex(b.index))
            place_name = first["place_name"].reindex(b.index)
    owners = [other_owner(a, n, pn) for a, n, pn in zip(b.get("amenity", pd.Series(None, index=b.index)), b["name"],
                                                          place_name)]
    keep = use.notna() & pd.Series([o is None for o in owners], index=b.index)
    out = prior_buildings(b[keep], use[keep])
    return out[out["floor_m2"] >= MIN_FLOOR_M2].reset_index(drop=True)


def prior_buildings(b, use: pd.Series) -> pd.DataFrame:
    """The prior's view of rows ``b`` of a buildings layer of uses ``use``: ``floor_m2`` [m²] = footprint ×
    storeys (OSM's, else :data:`DEFAULT_LEVELS` of the use, 2 for any other), with ``levels_from`` and
    ``year_built`` (NaN when undated)."""
    levels = pd.to_numeric(b["levels"], errors="coerce")
    assumed = levels.isna() | (levels < 1)
    levels = levels.where(~assumed, use.map(DEFAULT_LEVELS).fillna(2.0))
    floor = pd.to_numeric(b["footprint_m2"], errors="coerce") * levels
    year = pd.to_numeric(b["year_built"], errors="coerce") if "year_built" in b else pd.Series(np.nan, b.index)
    return pd.DataFrame({"building_id": b["id"].to_numpy(), "name": b["name"].to_numpy(), "use": use.to_numpy(),
                         "floor_m2": floor.to_numpy(float), "levels_from": np.where(assumed, "assumed", "osm"),
                         "year_built": year.to_numpy(float), "geometry": b.geometry.to_numpy()})


def heating_kwh_per_m2(use: str, zone: str, year_built=np.nan) -> float:
    """[kWh/m²/year] the prior's mean heating final energy of a building (module docstring)."""
    return (HEATING_KWH_PER_M2.get(use, TERTIARY_KWH_PER_M2) * ZONE_FACTOR[zone[:2]] * age_factor(year_built))


def prior_park(buildings: pd.DataFrame, zone: str, normal_hdd, *, members: int, seed: int) -> pd.DataFrame:
    """Every member's park: one row per (member, building) with the columns a metered park's calibration
    gives (``heating_slope`` kWh/day/K, ``heating_balance_c`` °C, ``base_kwh_per_day``) and the draws behind
    them (``town_factor``, ``building_factor``, ``heating_kwh_per_m2``).

    ``normal_hdd(balance_c)`` [K·day/year]: the heating degree-days of the station's normal year at that
    balance point. Draws: for member *m*, ``numpy.random.default_rng([seed, m])`` — the same member of the
    same seed is the same park, whatever the number of members."""
    rows = []
    for m in range(members):
        rng = np.random.default_rng([seed, m])
        town = float(np.exp(TOWN_LOG_SD * rng.standard_normal()))
        n = len(buildings)
        each = np.exp(BUILDING_LOG_SD * rng.standard_normal(n))
        base_share = rng.uniform(*BASE_SHARE, n)
        balance = rng.uniform(*BALANCE_POINT_C, n)
        for i, (_, b) in enumerate(buildings.iterrows()):
            per_m2 = heating_kwh_per_m2(b["use"], zone, b.get("year_built")) * MEAN_TO_MEDIAN * town * each[i]
            heating_gas = per_m2 * b["floor_m2"]  # [kWh of gas a normal year]: final energy is the gas bought
            rows.append({"member": m, "building_id": b["building_id"], "name": b["name"], "use": b["use"],
                         "floor_m2": b["floor_m2"], "geometry": b["geometry"], "town_factor": town,
                         "building_factor": float(each[i]), "heating_kwh_per_m2": per_m2,
                         "heating_slope": heating_gas / max(float(normal_hdd(balance[i])), 1.0),
                         "heating_balance_c": float(balance[i]),
                         "base_kwh_per_day": heating_gas * base_share[i] / 365.0})
    return pd.DataFrame(rows)


__all__ = ["COMMUNAL_USES", "HEATING_KWH_PER_M2", "SOURCES", "ZONE_FACTOR", "age_factor", "communal_buildings",
           "heating_kwh_per_m2", "other_owner", "prior_buildings", "prior_park"]
