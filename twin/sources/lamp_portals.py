"""Street-light inventories as communes publish them on their open-data portals (OpenDataSoft exports,
CSV ``;`` or GeoJSON), turned into the columns :mod:`twin.sources.lamp_inventory` checks.

The portals' exports name things their own way, and hide what matters:

* the position in ``geo_point_2d`` written « lat, lon » (OpenDataSoft's order), or in ``latitude`` /
  ``longitude``, ``lat`` / ``lon``, ``y`` / ``x`` columns whose order some exports swap: the order is
  **checked against the territory** — the one that puts the lamps inside it is taken, and a file for
  which neither does (or both, on a territory astride the diagonal) is an error;
* the power often only inside a free-text designation (« Lanterne LED 39W », « SHP 100 W ballast
  ferro ») — :func:`power_from_text` reads the watts written before « W »; the technology from the same
  text when no column gives it (« LED », « SHP », « sodium », « iodures », « ballon fluo »…);
* the cabinet in ``armoire``, ``num_armoire``, ``code_armoire``, ``id_armoire``, ``poste`` or
  ``commande``; the lamp's id in ``id``, ``identifiant``, ``num_point_lumineux``, ``numero`` or
  ``reference``.

What was read where is returned as notes (the caller prints them).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

POWER = re.compile(r"(\d+(?:[.,]\d+)?)\s*(k?)w(?![a-z])", re.IGNORECASE)
TECH_WORDS = (("led", "LED"), ("shp", "sodium"), ("sodium", "sodium"), ("hps", "sodium"), ("sbp", "sodium"),
              ("iodure", "metal_halide"), ("cosmo", "metal_halide"), ("halog", "metal_halide"),
              ("ballon", "mercury"), ("mercure", "mercury"), ("fluo", "fluorescent"))
ALIASES = {
    "power_w": ("power_w", "puissance", "puissance_w", "puissance_lampe", "puissance_watt", "puissance_nominale"),
    "technology": ("technology", "technologie", "type_lampe", "type_de_lampe", "source_lumineuse", "lampe"),
    "cabinet_id": ("cabinet_id", "armoire", "num_armoire", "code_armoire", "id_armoire", "numero_armoire", "poste",
                   "commande"),
    "id": ("id", "identifiant", "num_point_lumineux", "numero_point_lumineux", "numero", "reference", "code"),
}
TEXTS = ("designation", "libelle", "description", "type_luminaire", "luminaire", "materiel", "equipement")


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().strip().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def power_from_text(text) -> float:
    """Watts written in a designation (« LED 39W » → 39, « 0,1 kW » → 100); NaN when none or several differ."""
    found = {float(n.replace(",", ".")) * (1000.0 if k else 1.0) for n, k in POWER.findall(str(text or ""))}
    return found.pop() if len(found) == 1 else np.nan


def technology_from_text(text) -> str | None:
    low = _key(text)
    return next((tech for word, tech in TECH_WORDS if word in low), None)


def _first(df: pd.DataFrame, names) -> str | None:
    keys = {_key(c): c for c in df.columns}
    return next((keys[n] for n in names if n in keys), None)


def _coordinates(df: pd.DataFrame) -> tuple[pd.Series, pd.Series, str] | None:
    """(first, second, where) candidate coordinates, in the file's order, or None."""
    point = _first(df, ("geo_point_2d", "geo_point", "geopoint", "coordonnees", "coordinates"))
    if point is not None:
        parts = df[point].astype(str).str.strip("[]() ").str.split(r"\s*[,;]\s*", expand=True, regex=True)
        if parts.shape[1] >= 2:
            return parts[0], parts[1], point
    for a, b in (("latitude", "longitude"), ("lat", "lon"), ("lat", "lng"), ("y", "x"), ("coord_y", "coord_x")):
        ca, cb = _first(df, (a,)), _first(df, (b,))
        if ca is not None and cb is not None:
            return df[ca], df[cb], f"{ca}, {cb}"
    return None


def portal_columns(df: pd.DataFrame, bounds_lonlat) -> tuple[pd.DataFrame, list[str]]:
    """``df`` (a portal's export, text cells) with the columns the inventory reader checks — ``lon``,
    ``lat``, ``power_w``, ``technology``, ``cabinet_id``, ``id`` — and notes on where each came from.
    ``bounds_lonlat``: the territory's (west, south, east, north), which decides the coordinates' order."""
    out, notes = df.copy(), []
    if not {"lon", "lat"} <= set(df.columns):
        found = _coordinates(df)
        if found is not None:
            a, b, where = found
            a = pd.to_numeric(a.str.replace(",", ".", regex=False) if a.dtype == object else a, errors="coerce")
            b = pd.to_numeric(b.str.replace(",", ".", regex=False) if b.dtype == object else b, errors="coerce")
            w, s, e, n = bounds_lonlat
            margin = 0.01  # ~1 km: lamps at the territory's edge

            def share_inside(lon, lat):
                return float(((lon >= w - margin) & (lon <= e + margin) & (lat >= s - margin)
                              & (lat <= n + margin)).mean())

            lat_first, lon_first = share_inside(b, a), share_inside(a, b)
            if lat_first >= 0.5 and lat_first > lon_first:
                out["lat"], out["lon"] = a, b
                notes.append(f"position from {where} read as latitude, longitude (the order that puts "
                             f"{lat_first:.0%} of the lamps in the territory)")
            elif lon_first >= 0.5 and lon_first > lat_first:
                out["lon"], out["lat"] = a, b
                notes.append(f"position from {where} read as longitude, latitude (the order that puts "
                             f"{lon_first:.0%} of the lamps in the territory)")
            else:
                notes.append(f"position from {where}: neither order puts the lamps in the territory")
                out["lon"], out["lat"] = a, b  # the inventory reader then names the lamps outside
    for ours, names in ALIASES.items():
        if ours not in out.columns:
            source = _first(df, names)
            if source is not None:
                out[ours] = df[source]
                notes.append(f"{ours} from the column {source}")
    text_column = _first(df, TEXTS)
    if text_column is not None:
        text = df[text_column]
        if "power_w" not in out.columns or pd.to_numeric(out["power_w"], errors="coerce").isna().any():
            from_text = text.map(power_from_text)
            given = pd.to_numeric(out["power_w"], errors="coerce") if "power_w" in out.columns else from_text * np.nan
            filled = given.isna() & from_text.notna()
            out["power_w"] = given.where(~filled, from_text)
            if filled.any():
                notes.append(f"power of {int(filled.sum())} lamp(s) read in the text of {text_column}")
        if "technology" not in out.columns or out["technology"].isna().any():
            from_text = text.map(technology_from_text)
            given = out["technology"] if "technology" in out.columns else pd.Series(None, index=out.index)
            filled = given.isna() & from_text.notna()
            out["technology"] = given.where(~filled, from_text)
            if filled.any():
                notes.append(f"technology of {int(filled.sum())} lamp(s) read in the text of {text_column}")
    return out, notes
