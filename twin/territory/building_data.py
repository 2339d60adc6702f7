"""Reference building data joined to the territory's OSM buildings: BD TOPO (dwellings, heights,
storeys, use) and the Base Adresse Nationale (postal addresses).

OSM and BD TOPO do not cut buildings the same way (a terrace of houses may be one polygon in one and
six in the other), so the join works on the overlap of footprints, not on identifiers:

* a BD TOPO building overlapping an OSM building by at least :data:`MIN_OVERLAP` of the smaller of
  the two footprints is matched to it (touching neighbours and slivers of misalignment are not);
* its **dwellings are shared** among the OSM buildings it is matched to in proportion to the
  overlapping area, so the dwellings of the territory add up to BD TOPO's (checked, reported);
* height and storeys are the overlap-weighted means; the use the one of the largest overlap.

The buildings layer gains ``dwellings`` (NaN where BD TOPO says nothing), ``height_m`` and ``levels``
where OSM had none (``levels`` from storeys, else height / :data:`STOREY_M`), ``levels_source``
(``osm`` / ``bdtopo``), ``use`` where OSM said ``unknown``, and ``bdtopo_id``. Addresses: each BAN
point inside a building, else the nearest within :data:`ADDRESS_RADIUS_M` (BAN positions are often at
the entrance or the parcel's centre), gives the building its address where OSM has none
(``address_source``: ``osm`` / ``ban``); a building with several addresses keeps the lowest number's
and says how many (« 3 Rue du Port, 35600 Redon (+2) »).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

MIN_OVERLAP = 0.2
"""Share of the smaller footprint two buildings must overlap by to be the same building."""
STOREY_M = 3.0
"""Height of a storey (m) when BD TOPO gives a height but no storey count (gutter height / 3 m)."""
ADDRESS_RADIUS_M = 30.0
"""How far (m) an address point may lie from the building it is given to when it is inside none."""
BDTOPO_USE = {"residentiel": "residential", "commercial et services": "commercial", "industriel": "industrial",
              "agricole": "agricultural", "religieux": "religious", "sportif": "sport", "annexe": "annex"}


def _plain(text) -> str:
    import unicodedata  # noqa: PLC0415

    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().strip().lower()


def overlaps(buildings: gpd.GeoDataFrame, reference: gpd.GeoDataFrame) -> pd.DataFrame:
    """Pairs (``b``: row of ``buildings``, ``r``: row of ``reference``, ``area`` m²) overlapping by at least
    :data:`MIN_OVERLAP` of the smaller footprint; both in the same projected CRS."""
    # footprints that cross themselves (both OSM and BD TOPO have some) made valid, or GEOS cannot intersect them
    valid_b = shapely.make_valid(np.asarray(buildings.geometry.values, dtype=object))
    valid_r = shapely.make_valid(np.asarray(reference.geometry.values, dtype=object))
    left, right = shapely.STRtree(valid_r).query(valid_b, predicate="intersects")
    if not len(left):
        return pd.DataFrame({"b": np.array([], int), "r": np.array([], int), "area": np.array([], float)})
    geoms_b, geoms_r = valid_b[left], valid_r[right]
    area = shapely.area(shapely.intersection(geoms_b, geoms_r))
    smaller = np.minimum(shapely.area(geoms_b), shapely.area(geoms_r))
    keep = area >= MIN_OVERLAP * smaller
    return pd.DataFrame({"b": left[keep], "r": right[keep], "area": area[keep]})


def join_bdtopo(buildings: gpd.GeoDataFrame, bdtopo: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, dict]:
    """``buildings`` (the territory's layer) with BD TOPO's dwellings, heights, storeys and use, and the
    join's figures (``matched``, ``reference_in_territory``, ``dwellings_reference``, ``dwellings_joined``)."""
    out = buildings.copy()
    ref = bdtopo.to_crs(out.crs).reset_index(drop=True)
    hull = shapely.box(*out.total_bounds) if len(out) else None
    inside = ref.intersects(hull) if hull is not None else np.zeros(len(ref), bool)
    pairs = overlaps(out.reset_index(drop=True), ref)
    share = pairs["area"] / pairs.groupby("r")["area"].transform("sum")
    dw = ref["dwellings"].to_numpy()[pairs["r"]] * share.to_numpy()
    known_dw = ~np.isnan(ref["dwellings"].to_numpy()[pairs["r"]])
    n = len(out)
    dwellings = np.full(n, np.nan)
    if known_dw.any():
        sums = np.bincount(pairs["b"][known_dw], weights=dw[known_dw], minlength=n)
        has = np.bincount(pairs["b"][known_dw], minlength=n) > 0
        dwellings[has] = sums[has]

    def weighted(column: str) -> np.ndarray:
        values = ref[column].to_numpy()[pairs["r"]]
        ok = ~np.isnan(values)
        w = np.bincount(pairs["b"][ok], weights=pairs["area"][ok], minlength=n)
        s = np.bincount(pairs["b"][ok], weights=(values * pairs["area"])[ok], minlength=n)
        return np.where(w > 0, s / np.where(w > 0, w, 1.0), np.nan)

    height, storeys = weighted("height_m"), weighted("floors")
    best = pairs.sort_values("area", ascending=False).drop_duplicates("b")
    usage = pd.Series([None] * n, dtype=object)
    usage.iloc[best["b"].to_numpy()] = ref["bdtopo_usage"].to_numpy()[best["r"]]
    ids = pd.Series([None] * n, dtype=object)
    ids.iloc[best["b"].to_numpy()] = ref["bdtopo_id"].to_numpy()[best["r"]]

    out["dwellings"] = dwellings
    out["bdtopo_id"] = ids.to_numpy()
    old_height = out["height_m"].to_numpy(float) if "height_m" in out else np.full(n, np.nan)
    out["height_m"] = np.where(np.isnan(old_height), height, old_height)
    old_levels = out["levels"].to_numpy(float) if "levels" in out else np.full(n, np.nan)
    from_bd = np.where(np.isnan(storeys), np.maximum(np.round(height / STOREY_M), 1.0), np.round(storeys))
    fill = np.isnan(old_levels) & ~np.isnan(from_bd)
    out["levels"] = np.where(fill, from_bd, old_levels)
    out["levels_source"] = np.where(fill, "bdtopo", np.where(np.isnan(old_levels), None, "osm"))
    mapped = usage.map(lambda u: BDTOPO_USE.get(_plain(u)) if u is not None else None).to_numpy()
    current_use = out["use"].to_numpy(dtype=object) if "use" in out else np.full(n, "unknown", dtype=object)
    unknown = (current_use == "unknown") & pd.notna(mapped)
    out["use"] = np.where(unknown, mapped, current_use)
    matched_ref = ref.index.isin(pairs["r"])
    reference_dwellings = float(np.nansum(ref.loc[matched_ref, "dwellings"]))
    unmatched_dwellings = float(np.nansum(ref.loc[np.asarray(inside) & ~matched_ref, "dwellings"]))
    stats = {"matched": int(pd.notna(ids).sum()), "buildings": n,
             "reference_in_territory": int(np.asarray(inside).sum()),
             "reference_matched": int(pairs["r"].nunique()),
             "dwellings_reference": round(reference_dwellings, 3),
             "dwellings_joined": round(float(np.nansum(dwellings)), 3),
             "dwellings_unmatched": round(unmatched_dwellings, 3),
             "levels_filled": int(fill.sum()), "use_filled": int(unknown.sum())}
    return out, stats


def join_addresses(buildings: gpd.GeoDataFrame, addresses: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, dict]:
    """``buildings`` with the BAN's addresses where OSM has none, and the figures of the join."""
    out = buildings.copy().reset_index(drop=True)
    pts = addresses.to_crs(out.crs).reset_index(drop=True)
    pt_idx, b_idx = out.sindex.query(pts.geometry.values, predicate="within") if len(pts) and len(out) else \
        (np.array([], int), np.array([], int))
    first = pd.DataFrame({"p": pt_idx, "b": b_idx}).drop_duplicates("p")
    outside = np.setdiff1d(np.arange(len(pts)), first["p"].to_numpy())
    if len(outside) and len(out):
        near_p, near_b = out.sindex.nearest(pts.geometry.values[outside], max_distance=ADDRESS_RADIUS_M,
                                            return_all=False)
        first = pd.concat([first, pd.DataFrame({"p": outside[near_p], "b": near_b})], ignore_index=True)
    first["address"] = pts["address"].to_numpy()[first["p"]]
    first["number"] = pd.to_numeric(first["address"].str.extract(r"^(\d+)")[0], errors="coerce")
    first = first.sort_values(["b", "number", "address"], na_position="last")
    chosen = first.groupby("b").agg(address=("address", "first"), count=("address", "size"))
    text = chosen["address"] + np.where(chosen["count"] > 1, " (+" + (chosen["count"] - 1).astype(str) + ")", "")
    ban = pd.Series([None] * len(out), dtype=object)
    ban.iloc[chosen.index.to_numpy()] = text.to_numpy()
    osm = out["address"].to_numpy(dtype=object) if "address" in out else np.full(len(out), None, dtype=object)
    has_osm = pd.notna(osm) & (pd.Series(osm).astype(str).str.strip() != "").to_numpy()
    out["address"] = np.where(has_osm, osm, ban.to_numpy())
    out["address_source"] = np.where(has_osm, "osm", np.where(pd.notna(ban.to_numpy()), "ban", None))
    stats = {"addresses": int(len(pts)), "addresses_placed": int(len(first)),
             "buildings_addressed": int(pd.notna(out["address"]).sum()),
             "buildings_addressed_from_ban": int((out["address_source"] == "ban").sum())}
    return out, stats
