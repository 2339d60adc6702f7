"""Vigicrues station observations (``services/observations.json``): water levels and discharges.

The service's JSON for one station and one quantity: ``{"Serie": {"CdStationHydro": …,
"LbStationHydro": …, "GrdSerie": "H" | "Q", "ObssHydro": [{"DtObsHydro": ISO 8601, "ResObsHydro":
number}, …]}}``. Vigicrues publishes water levels **in m** and discharges **in m³/s** (as its
station pages show them; Hub'Eau gives the same series in mm and l/s — a value far off its physical
range is flagged by the store, which catches a file in the other unit). The JSON carries no quality
code: values are kept as good, empty ones as missing. Sensors are named ``vigicrues-<station>-H`` / ``-Q``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, ProviderBatch, ProviderFileError, as_batch, numbers, observations,
                                         read_bytes, read_json, times_utc)

GRANDEURS = {"H": ("water_level", "m", "water level"), "Q": ("discharge", "m3/s", "discharge")}


def read_vigicrues(path) -> ProviderBatch:
    """The sensor and observations of a Vigicrues ``observations.json`` file."""
    doc = read_json(path, read_bytes(path, "Vigicrues observations file"))
    serie = doc.get("Serie") if isinstance(doc, dict) else None
    if not isinstance(serie, dict):
        raise ProviderFileError(f"{path}: expected Vigicrues' observations.json ({{\"Serie\": {{…, \"ObssHydro\": "
                                "[…]}}}})")
    station = str(serie.get("CdStationHydro") or "").strip()
    grandeur = str(serie.get("GrdSerie") or "").strip()
    if not station:
        raise ProviderFileError(f"{path}: Serie.CdStationHydro is empty")
    if grandeur not in GRANDEURS:
        raise ProviderFileError(f"{path}: Serie.GrdSerie {grandeur!r} is not H (water level, m) or Q (discharge, m³/s)")
    rows = serie.get("ObssHydro")
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise ProviderFileError(f"{path}: Serie.ObssHydro holds no observation records")
    df = pd.DataFrame(rows)
    for col in ("DtObsHydro", "ResObsHydro"):
        if col not in df:
            raise ProviderFileError(f"{path}: the records of Serie.ObssHydro lack the field {col}")
    df = df.astype(object).where(df.notna(), "").astype(str)
    df.attrs["records"] = True
    quantity, unit, what = GRANDEURS[grandeur]
    sid = f"vigicrues-{station}-{grandeur}"
    name = str(serie.get("LbStationHydro") or station).strip()
    sensor = {"sensor_id": sid, "quantity": quantity, "native_unit": unit, "name": f"{name} {grandeur}",
              "description": f"Vigicrues observations.json, station {station}: {what} in {unit}"}
    values = numbers(df, "ResObsHydro", path)
    return as_batch("Vigicrues", [sensor], [observations(np.full(len(df), sid), times_utc(df, "DtObsHydro", path),
                                                         values, unit, np.full(len(df), GOOD, dtype=object),
                                                         np.arange(len(df)) + 1)])


VIGILANCE = {1: "vert", 2: "jaune", 3: "orange", 4: "rouge"}
"""Vigicrues' flood-vigilance levels (``NivInfViCr``): 1 green, no particular vigilance; 2 yellow, a rise
or minor flooding without major damage; 3 orange, significant flooding; 4 red, major flooding."""


def read_vigilance(path):
    """The vigilance of each river reach of Vigicrues' ``InfoVigiCru.geojson``: a GeoDataFrame (WGS84) with
    ``code`` (``CdEntCru``), ``name`` (``LbEntCru``), ``level`` (``NivInfViCr``, 1–4) and ``colour`` (vert,
    jaune, orange, rouge), one row per reach (``TypEntCru`` 8; other entities, such as territories, are left
    out and counted in ``attrs["other_entities"]``). A feature without a code, a level outside 1–4 or a
    geometry that is not a line is an error naming the feature (from 1) and the field."""
    import geopandas as gpd  # noqa: PLC0415
    from shapely.geometry import shape  # noqa: PLC0415

    doc = read_json(path, read_bytes(path, "Vigicrues vigilance file"))
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ProviderFileError(f"{path}: expected Vigicrues' InfoVigiCru.geojson (a FeatureCollection)")
    rows, other = [], 0
    for k, feat in enumerate(features, start=1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            raise ProviderFileError(f"{path}: feature {k} has no properties")
        kind = str(props.get("TypEntCru", "8")).strip()
        if kind != "8":
            other += 1
            continue
        code = str(props.get("CdEntCru") or "").strip()
        if not code:
            raise ProviderFileError(f"{path}: feature {k}: CdEntCru (the reach's code) is empty")
        try:
            level = int(str(props.get("NivInfViCr")).strip())
        except ValueError:
            level = 0
        if level not in VIGILANCE:
            raise ProviderFileError(f"{path}: feature {k} ({code}): NivInfViCr {str(props.get('NivInfViCr'))[:20]!r} "
                                    "is not a vigilance level (1 green, 2 yellow, 3 orange, 4 red)")
        try:
            geometry = shape(feat["geometry"]) if feat.get("geometry") else None
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            geometry = False
        if geometry is False or (geometry is not None and geometry.geom_type not in ("LineString", "MultiLineString")):
            raise ProviderFileError(f"{path}: feature {k} ({code}): geometry is not a line (LineString or "
                                    "MultiLineString)")
        name = str(props.get("LbEntCru") or props.get("lbentcru") or code).strip()
        rows.append({"code": code, "name": name, "level": level, "colour": VIGILANCE[level], "geometry": geometry})
    if not rows:
        raise ProviderFileError(f"{path}: no river reach (TypEntCru 8) in the file")
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    out.attrs["other_entities"] = other
    return out
