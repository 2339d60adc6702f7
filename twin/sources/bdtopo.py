"""IGN BD TOPO® buildings (« BATIMENT »), as Shapefile or GeoPackage.

Fields of the two layouts IGN has published (BD TOPO v3 ``BATIMENT``; the v2 Shapefiles' upper-case
names): ``cleabs`` / ``ID`` (the building's identifier), ``usage_1`` / ``USAGE1`` (« Résidentiel »,
« Commercial et services », « Industriel », « Agricole », « Religieux », « Sportif », « Annexe »,
« Indifférencié »), ``nombre_de_logements`` / ``NB_LOGTS`` (dwellings), ``hauteur`` / ``HAUTEUR`` (m,
from the ground to the gutter), ``nombre_d_etages`` / ``NB_ETAGES`` (storeys). Traps handled:

* unknown values written ``*`` (or empty, or negative) are unknown (NaN), never 0;
* Shapefiles without a ``.cpg`` are UTF-8 in recent deliveries (GDAL would read them as Latin-1:
  « RÃ©sidentiel »): read as UTF-8 when they decode so, else Latin-1;
* the CRS is Lambert-93 (EPSG:2154); a file that declares none is read as such (said in the notes),
  a file in another CRS is reprojected by the caller's join.

Returned: a GeoDataFrame with ``bdtopo_id``, ``bdtopo_usage``, ``dwellings``, ``height_m``,
``floors`` and polygon geometries. BD TOPO® is © IGN, « Licence Ouverte / Open Licence » Etalab 2.0:
the attribution :data:`ATTRIBUTION` goes with any product made from it.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from twin.errors import TwinError
from twin.sources.safe_files import excerpt

ATTRIBUTION = "BD TOPO® © IGN, Licence Ouverte Etalab 2.0"
LAMBERT_93 = "EPSG:2154"
FIELDS = {  # our name: the names IGN has used, newest first
    "bdtopo_id": ("cleabs", "id"),
    "bdtopo_usage": ("usage_1", "usage1"),
    "dwellings": ("nombre_de_logements", "nb_logts"),
    "height_m": ("hauteur", "hauteur_m"),
    "floors": ("nombre_d_etages", "nb_etages"),
}
NUMBERS = ("dwellings", "height_m", "floors")
MAX_BYTES = 2_000_000_000


class BdTopoError(TwinError, ValueError):
    """A BD TOPO file that cannot be read; the message names the file, the feature and the field."""


def _utf8_without_cpg(path: Path) -> str | None:
    """The encoding to read a Shapefile with: UTF-8 when it has no ``.cpg`` and its table decodes as UTF-8."""
    if path.suffix.lower() != ".shp" or path.with_suffix(".cpg").exists() or path.with_suffix(".CPG").exists():
        return None
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        return None
    try:
        dbf.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def read_bdtopo_buildings(path, layer: str | None = None) -> tuple[gpd.GeoDataFrame, list[str]]:
    """The buildings of a BD TOPO file (``layer``: the GeoPackage's, default ``batiment`` when present)
    and notes on what was assumed."""
    path = Path(path)
    if not path.is_file():
        raise BdTopoError(f"{path}: not a file (expected a BD TOPO BATIMENT Shapefile or GeoPackage)")
    if path.stat().st_size > MAX_BYTES:
        raise BdTopoError(f"{path}: larger than {MAX_BYTES / 1e9:g} GB; cut it to the territory (one département "
                          "is enough)")
    notes: list[str] = []
    options = {}
    encoding = _utf8_without_cpg(path)
    if encoding:
        options["encoding"] = encoding
        notes.append(f"{path.name}: no .cpg beside the Shapefile, read as {encoding.upper()}")
    if layer is None and path.suffix.lower() == ".gpkg":
        import pyogrio  # noqa: PLC0415

        names = [str(n) for n, _ in pyogrio.list_layers(path)]
        layer = next((n for n in names if n.lower() == "batiment"), names[0] if names else None)
    try:
        raw = gpd.read_file(path, layer=layer, engine="pyogrio", **options)
    except Exception as exc:  # pyogrio's DataSourceError / DataLayerError, and GDAL's own
        raise BdTopoError(f"{path}: not a readable Shapefile or GeoPackage ({type(exc).__name__}: "
                          f"{excerpt(str(exc), 120)})") from None
    columns = {str(c).lower(): c for c in raw.columns}
    out = gpd.GeoDataFrame(geometry=raw.geometry.values, crs=raw.crs)
    found = []
    for ours, names in FIELDS.items():
        source = next((columns[n] for n in names if n in columns), None)
        out[ours] = raw[source].to_numpy() if source is not None else np.nan
        if source is not None:
            found.append(ours)
    if not {"dwellings", "height_m", "floors"} & set(found):
        raise BdTopoError(f"{path}: no BD TOPO building field (expected nombre_de_logements / NB_LOGTS, hauteur / "
                          f"HAUTEUR or nombre_d_etages / NB_ETAGES; found {', '.join(map(str, list(raw.columns)[:8]))})")
    for name in NUMBERS:
        text = out[name].astype(str).str.strip().str.replace(",", ".", regex=False)
        values = pd.to_numeric(text.where(~text.isin(["*", "", "nan", "None", "NULL"])), errors="coerce")
        bad = values.isna() & ~text.isin(["*", "", "nan", "None", "NULL"])
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise BdTopoError(f"{path}: feature {i + 1}: {name} {excerpt(str(out[name].iloc[i]))} is not a number "
                              "(or * for unknown)")
        out[name] = values.where(values >= 0).astype(float)
    out["bdtopo_id"] = out["bdtopo_id"].astype(str).where(out["bdtopo_id"].notna(), None)
    out["bdtopo_usage"] = out["bdtopo_usage"].where(out["bdtopo_usage"].astype(str).str.strip() != "*", None)
    polygons = out.geometry.notna() & out.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    if (~polygons).any():
        notes.append(f"{int((~polygons).sum())} feature(s) without a polygon left out")
        out = out[polygons]
    if out.crs is None:
        out = out.set_crs(LAMBERT_93)
        notes.append(f"{path.name}: no CRS declared, read as Lambert-93 (EPSG:2154) as IGN delivers it")
    return out.reset_index(drop=True), notes
