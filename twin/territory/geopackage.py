"""The territory and outcomes' per-asset tables as one GeoPackage a GIS opens (QGIS, ArcGIS, GeoPandas).

:func:`write_geopackage` writes, in the territory's CRS:

* the territory's layers (``buildings``, ``lamps``, ``cabinets``, ``bins``, ``places``…; a layer of mixed
  geometry types split into ``<layer>_points`` / ``_lines`` / ``_polygons``, one type per layer as GIS
  tools expect) and its drivable streets (``streets``, one row per edge of the drive graph, ``u-v-key``);
* each outcome's tables joined to the territory's geometry by their key (:class:`Geometries`: building,
  bin, lamp ids, street edges; a table with ``x`` / ``y`` takes its points from them), one layer
  ``<name>_<table>``, and its KPIs as a table ``<name>_kpis`` (variant, kpi, value, unit, impact, change);
* ``provenance``: a table of key / value (sources, licences and attributions, what was generated).

Units go where a GIS shows them: each column with a unit gets the GeoPackage *schema* extension's
alternative name (``gpkg_data_columns.name``, « field alias » in QGIS) « column [unit] » and a
description. Lists and objects in a cell are written as JSON text (a column has one type).
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point

KEY_LAYERS = {"building_id": "buildings", "bin_id": "bins", "lamp_id": "lamps"}


def cell_value(x):
    """A table cell as one value a file can hold: lists and objects as JSON text, missing as ""."""
    if hasattr(x, "tolist") and not isinstance(x, (str, bytes)):
        x = x.tolist()
    if isinstance(x, (list, tuple, dict)):
        return json.dumps(x, ensure_ascii=False, default=str)
    if x is None:
        return ""
    try:
        if pd.isna(x):
            return ""
    except (TypeError, ValueError):
        pass
    return x


def edge_geometries(territory) -> dict[str, LineString]:
    """{``u-v-key``: geometry} of the drive graph's edges (the key the street tables use)."""
    G = territory.graphs["drive"]
    out = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        g = d.get("geometry")
        out[f"{u}-{v}-{k}"] = g if g is not None else LineString([(G.nodes[u]["x"], G.nodes[u]["y"]),
                                                                  (G.nodes[v]["x"], G.nodes[v]["y"])])
    return out


def layer_geometries(territory, layer: str) -> dict[str, object]:
    gdf = territory.layers.get(layer)
    if gdf is None or not len(gdf):
        return {}
    return dict(zip(gdf["id"].astype(str), gdf.geometry, strict=True))


class Geometries:
    """The territory's geometry by a table's key, each index built once."""

    def __init__(self, territory):
        self.territory = territory
        self._by_key: dict[str, dict] = {}

    def lookup(self, key: str) -> dict:
        if key not in self._by_key:
            if key == "edge":
                self._by_key[key] = edge_geometries(self.territory)
            elif key in KEY_LAYERS:
                self._by_key[key] = layer_geometries(self.territory, KEY_LAYERS[key])
            else:
                self._by_key[key] = {}
        return self._by_key[key]

    def frame(self, table: pd.DataFrame, key: str) -> tuple[gpd.GeoDataFrame, int]:
        """(the table with a geometry column, rows whose key has no geometry). A table with ``x`` and
        ``y`` (the bins: added bins have no id in the territory) takes its points from them."""
        if {"x", "y"} <= set(table.columns):
            geom = [Point(x, y) if math.isfinite(x) and math.isfinite(y) else None
                    for x, y in zip(table["x"].astype(float), table["y"].astype(float), strict=True)]
        else:
            index = self.lookup(key)
            geom = [index.get(str(k)) for k in table[key]]
        clean = table.copy()
        for c in clean.columns:
            if clean[c].dtype == object:  # lists, None, mixed types: one text per cell (one type per column)
                clean[c] = clean[c].map(lambda x: str(cell_value(x)))
        gdf = gpd.GeoDataFrame(clean, geometry=gpd.GeoSeries(geom, crs=self.territory.crs))
        return gdf, sum(g is None for g in geom)


def _plain_columns(gdf: pd.DataFrame) -> pd.DataFrame:
    out = gdf.copy()
    geometry = out.geometry.name if isinstance(out, gpd.GeoDataFrame) else None
    for c in out.columns:
        if c != geometry and out[c].dtype == object:
            out[c] = out[c].map(lambda x: str(cell_value(x)))
    return out


def streets(territory) -> gpd.GeoDataFrame:
    """The drive graph's edges as a layer: ``edge`` (u-v-key), ``osm_way_id``, ``name``, ``highway``, ``length_m``."""
    G = territory.graphs["drive"]
    rows = [{"edge": f"{u}-{v}-{k}", "osm_way_id": d.get("osmid"), "name": d.get("name"), "highway": d.get("highway"),
             "length_m": float(d.get("length", float("nan")))} for u, v, k, d in G.edges(keys=True, data=True)]
    geoms = edge_geometries(territory)
    return gpd.GeoDataFrame(rows, geometry=[geoms[r["edge"]] for r in rows], crs=territory.crs)


def _aliases(path: Path, layer: str, units: dict[str, str], descriptions: dict[str, str]) -> None:
    """Field aliases « column [unit] » in the GeoPackage schema extension (``gpkg_data_columns``)."""
    if not units and not descriptions:
        return
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT "
                    "NULL, name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, "
                    "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE "
                    "(table_name, name))")
        con.execute("CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name "
                    "TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE "
                    "(table_name, column_name, extension_name))")
        for table in ("gpkg_data_columns", "gpkg_data_column_constraints"):
            con.execute("INSERT OR IGNORE INTO gpkg_extensions VALUES (?, NULL, 'gpkg_schema', "
                        "'http://www.geopackage.org/spec121/#extension_schema', 'read-write')", (table,))
        for column in sorted(set(units) | set(descriptions)):
            unit = units.get(column)
            con.execute("INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title, description) "
                        "VALUES (?, ?, ?, ?, ?)", (layer, column, f"{column} [{unit}]" if unit else column,
                                                   f"{column} [{unit}]" if unit else column,
                                                   descriptions.get(column)))


def write_geopackage(path, territory, outcomes: dict | None = None) -> dict[str, int]:
    """Write the territory (and ``outcomes``: {name: :class:`twin.outcome.Outcome`}) to the GeoPackage
    ``path`` (replaced); returns {layer: rows}."""
    import os  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    # written whole beside the target (with the .gpkg extension GDAL expects), then renamed onto it: a
    # failure leaves the previous file as it was
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()  # GDAL makes the GeoPackage itself
        _write_layers(tmp, territory, outcomes or {}, written)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return written


def _unique(name: str, taken: dict) -> str:
    """``name`` cut to 60 characters (GIS tools show no more), made unique among the layers written."""
    base = candidate = name[:60]
    n = 1
    while candidate in taken:
        n += 1
        candidate = f"{base[:56]}_{n}"
    return candidate


FAMILIES = {"Point": "points", "MultiPoint": "points", "LineString": "lines", "MultiLineString": "lines",
            "Polygon": "polygons", "MultiPolygon": "polygons"}


def _write_layers(path: Path, territory, outcomes: dict, written: dict[str, int]) -> None:
    def put(gdf, layer, units=None, descriptions=None):
        if isinstance(gdf, gpd.GeoDataFrame):
            family = gdf.geom_type.map(FAMILIES)
            if family.dropna().nunique() > 1:  # a GIS draws one geometry type per layer: one layer per type
                for name, part in gdf.groupby(family, sort=True):
                    put(part, f"{layer}_{name}", units, descriptions)
                return
        layer = _unique(layer, written)
        gdf = _plain_columns(gdf)
        if isinstance(gdf, gpd.GeoDataFrame):
            gdf.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
        else:  # a table without geometry: a GeoPackage attributes table
            import pyogrio  # noqa: PLC0415

            pyogrio.write_dataframe(gdf, path, layer=layer, driver="GPKG")
        _aliases(path, layer, units or {}, descriptions or {})
        written[layer] = int(len(gdf))

    for name, gdf in territory.layers.items():
        if len(gdf.columns) > 1:
            units = {c: "m" for c in ("height_m",) if c in gdf} | {c: "m²" for c in ("footprint_m2",) if c in gdf} \
                | {c: "W" for c in ("power_w",) if c in gdf}
            put(gdf, name, units)
    put(streets(territory), "streets", {"length_m": "m"})
    geoms = Geometries(territory)
    for oname, outcome in outcomes.items():
        for tname, info in outcome.table_info.items():
            gdf, _ = geoms.frame(outcome.tables[tname], info.key)
            put(gdf, f"{oname}_{tname}", dict(info.units), {info.key: info.description})
        put(pd.DataFrame(outcome.compare()), f"{oname}_kpis")
    provenance = pd.DataFrame({"key": list(territory.provenance), "value": [str(cell_value(v)) for v in
                                                                          territory.provenance.values()]})
    put(provenance, "provenance")
