"""Street-lamp inventories (CSV or GeoJSON) that replace generated lamps.

Columns / properties: ``lon``, ``lat`` (WGS84; GeoJSON takes the point geometry),
``power_w`` (rated power incl. ballast, W), ``technology``, ``cabinet_id``, and
optionally ``id``, ``control`` (none / fixed_clock / astronomical_clock /
connected_clock), ``dimmable`` (true/false; default true for LED only).
French names used in syndicates' exports are accepted for technologies
("SHP"/"sodium haute pression", "iodures métalliques", "ballon fluo" …). Communes' open-data portal
exports (OpenDataSoft CSV with ``;`` or GeoJSON: ``geo_point_2d``, a power inside a free-text designation,
``armoire``…) are mapped first by :mod:`twin.sources.lamp_portals`, which checks the coordinates' order
against the territory; the layer's ``attrs["notes"]`` says what was read where.

Every bad row is reported with its line (CSV) or feature number (GeoJSON) and
the column: negative or missing power, unknown technology or control, a
``dimmable`` that is not yes/no, an empty id or cabinet, a duplicate id, a lamp
outside the territory. Nothing is imported unless every row is valid. Messages
never quote a value of the file (a file named by mistake, e.g. a ``.env``, must
not reach an error message): they name the file, the lines, the column and what
was expected. Files are read bounded by
:data:`twin.sources.safe_files.MAX_INPUT_BYTES` (regular files only; no gzip).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

from twin.errors import TwinError
from twin.sources.safe_files import MAX_INPUT_BYTES, InputFileError, read_input_bytes

TECHNOLOGIES = {
    "led": "LED", "sodium": "sodium", "shp": "sodium", "hps": "sodium", "sodium haute pression": "sodium",
    "sodium_high_pressure": "sodium", "sbp": "sodium", "sodium basse pression": "sodium",
    "metal_halide": "metal_halide", "mh": "metal_halide", "iodures métalliques": "metal_halide",
    "iodures metalliques": "metal_halide", "im": "metal_halide", "cosmowhite": "metal_halide",
    "mercury": "mercury", "ballon fluo": "mercury", "ballon fluorescent": "mercury", "mercure": "mercury",
    "fluorescent": "fluorescent", "fluo compacte": "fluorescent",
}
CONTROLS = ("none", "fixed_clock", "astronomical_clock", "connected_clock")
YES = ("true", "1", "yes", "oui", "vrai")
NO = ("false", "0", "no", "non", "faux")
MARGIN_M = 200.0
CONTROLS_FR = {"horloge": "fixed_clock", "horloge fixe": "fixed_clock", "horloge simple": "fixed_clock",
               "horloge astronomique": "astronomical_clock", "astronomique": "astronomical_clock",
               "horloge connectée": "connected_clock", "horloge connectee": "connected_clock",
               "horloge radio-pilotée": "connected_clock", "télégestion": "connected_clock",
               "telegestion": "connected_clock", "aucune": "none", "aucun": "none", "sans": "none"}
"""The controls as a French inventory writes them (a plain « horloge » is a time switch set by hand)."""
WATTS = r"(?i)\s*w\s*$"


def _number(text: pd.Series, decimal_comma: bool = False) -> pd.Series:
    """Numbers as an inventory writes them: « 47.65 », or in a « ; » file (``decimal_comma``) a French
    spreadsheet's « 47,65 » (in a « , » file a quoted « 1,000 » is no decimal: refused, not read as 1)."""
    from twin.csv_dialect import with_decimal_points  # noqa: PLC0415

    return pd.to_numeric(with_decimal_points(text) if decimal_comma else text.astype("string"), errors="coerce")


class InventoryError(TwinError, ValueError):
    """A lamp inventory that cannot be imported; the message names the rows."""


def read_lamp_inventory(path: str | Path, territory) -> gpd.GeoDataFrame:
    """Read and validate an inventory against ``territory``; returns a lamps layer in the territory's CRS."""
    path = Path(path)
    try:  # a regular file of at most MAX_INPUT_BYTES (not /dev/zero, a directory, /proc/…)
        raw = read_input_bytes(path, what="lamp inventory", max_bytes=MAX_INPUT_BYTES)
    except InputFileError as exc:
        raise InventoryError(str(exc)) from None
    return read_lamp_inventory_text(raw, territory, origin=path)


def read_lamp_inventory_text(content: str | bytes, territory, origin: str | Path = "inventory.csv") -> gpd.GeoDataFrame:
    """:func:`read_lamp_inventory` of an inventory's content (an upload), not of a file.

    ``origin`` names it in errors and its suffix picks the format (``.geojson``/``.json``: GeoJSON,
    anything else: CSV). Nothing is read from disk.
    """
    import io  # noqa: PLC0415

    path = Path(str(origin))
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content[:exc.start].count(b"\n") + 1
            raise InventoryError(f"{path}: not UTF-8 text (line {line}): expected a UTF-8 CSV or GeoJSON") from None
    decimal_comma = False  # GeoJSON's numbers are numbers
    if path.suffix.lower() in (".geojson", ".json"):
        try:
            features = json.loads(content)["features"]
        except json.JSONDecodeError as exc:  # line and column, never the text
            raise InventoryError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") \
                from None
        except RecursionError:
            raise InventoryError(f"{path}: JSON nested too deep for a GeoJSON FeatureCollection") from None
        except (KeyError, TypeError):
            raise InventoryError(f"{path}: not a GeoJSON FeatureCollection (expected an object with "
                                 "\"features\")") from None
        if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
            raise InventoryError(f"{path}: \"features\" must be a list of Feature objects")
        rows = []
        for f in features:
            props = dict(f.get("properties") or {})
            geom = f.get("geometry") or {}
            if isinstance(geom, dict) and geom.get("type") == "Point":
                xy = geom.get("coordinates")
                if not isinstance(xy, list) or len(xy) < 2:
                    raise InventoryError(f"{path}: feature {len(rows)}: a Point needs [lon, lat] coordinates")
                props["lon"], props["lat"] = xy[:2]
            rows.append(props)
        df = pd.DataFrame(rows)
        where = [f"feature {i}" for i in range(len(df))]
    else:
        import re  # noqa: PLC0415
        import warnings  # noqa: PLC0415

        try:
            with warnings.catch_warnings():
                # index_col=False: a row with more fields than the header is an error, not shifted into an index
                warnings.simplefilter("error", pd.errors.ParserWarning)
                from twin.csv_dialect import separator  # noqa: PLC0415 - portals' exports use ;

                df = pd.read_csv(io.StringIO(content), dtype=str, keep_default_na=False, na_values=[""],
                                 index_col=False, sep=separator(content))
        except pd.errors.EmptyDataError:
            raise InventoryError(f"{path}: not a readable CSV (empty: no header)") from None
        except pd.errors.ParserWarning:
            raise InventoryError(f"{path}: not a readable CSV (a row has more fields than the header)") from None
        except pd.errors.ParserError as exc:  # the tokenizer names a line (1-based) or a row (0-based), not text
            line, row = re.search(r"in line (\d+)", str(exc)), re.search(r"at row (\d+)", str(exc))
            where = f" at line {line.group(1)}" if line else f" at line {int(row.group(1)) + 1}" if row else ""
            raise InventoryError(f"{path}: not a readable CSV (malformed{where}: expected comma-separated "
                                 "columns, the same number on every line, quotes closed)") from None
        where = [f"line {i + 2}" for i in range(len(df))]
        decimal_comma = separator(content) == ";"  # a French spreadsheet's: « 47,65 »; a quoted « 1,000 » elsewhere
    if df.empty:
        raise InventoryError(f"{path}: no lamps in the file")
    notes: list[str] = []
    if territory is not None and not {"lon", "lat", "power_w", "technology", "cabinet_id"} <= set(df.columns):
        from twin.sources.lamp_portals import portal_columns  # noqa: PLC0415

        df, notes = portal_columns(df, territory.provenance["bounds_lonlat"])
    lamps = _validate(df, where, path, territory, decimal_comma)
    lamps.attrs["notes"] = notes
    return lamps


def _fail(path, what, labels):
    # lines or features, never the values: the file may not be the inventory the user meant
    shown = ", ".join(labels[:5]) + (f" … and {len(labels) - 5} more" if len(labels) > 5 else "")
    return InventoryError(f"{path}: {what}: {shown}")


def _validate(df: pd.DataFrame, where: list[str], path: Path, territory, decimal_comma: bool = False) -> gpd.GeoDataFrame:
    missing = [c for c in ("lon", "lat", "power_w", "technology", "cabinet_id") if c not in df]
    if missing:
        raise InventoryError(f"{path}: missing column(s) {missing} in the header ({len(df.columns)} column(s); "
                             "expected lon, lat, power_w, technology, cabinet_id)")
    where = np.array(where)
    # every column's problems said at once (one per run made six runs to clean a three-line file)
    problems: list[str] = []

    def check(bad, what: str) -> None:
        bad = np.asarray(bad, dtype=bool)
        if bad.any():
            problems.append(str(_fail("", what, where[bad])).removeprefix(": "))

    lon, lat = _number(df["lon"], decimal_comma), _number(df["lat"], decimal_comma)
    check((lon.isna() | lat.isna() | ~np.isfinite(lon) | ~np.isfinite(lat) | (lon.abs() > 180)
           | (lat.abs() > 90)).to_numpy(), "columns lon, lat: position is not a number of degrees (lon in "
                                           "[-180, 180], lat in [-90, 90], WGS84)")
    power = _number(df["power_w"].astype("string").str.replace(WATTS, "", regex=True), decimal_comma)  # « 21 W »
    check((power.isna() | ~np.isfinite(power) | (power <= 0)).to_numpy(),
          "column power_w: must be a positive number of watts")
    tech = df["technology"].astype(str).str.strip().str.lower().map(TECHNOLOGIES)
    check(tech.isna().to_numpy(), f"column technology: unknown technology (known: "
                                  f"{sorted(set(TECHNOLOGIES.values()))} and their usual French names)")
    written = df["control"].fillna("astronomical_clock").astype(str).str.strip() if "control" in df else \
        pd.Series("astronomical_clock", index=df.index)
    control = written.where(written.isin(CONTROLS), written.str.lower().map(CONTROLS_FR))
    check(control.isna().to_numpy(), f"column control: unknown control (known: {list(CONTROLS)}, or in French "
                                     "horloge, horloge astronomique, horloge connectée, aucune)")
    dimmable = tech == "LED"
    if "dimmable" in df:
        flag = df["dimmable"].astype(str).str.strip().str.lower()
        given = df["dimmable"].notna()
        check((given & ~flag.isin(YES + NO)).to_numpy(),
              "column dimmable: expected true or false (or yes/no, oui/non, 1/0; empty: LED only)")
        dimmable = flag.isin(YES).where(given, tech == "LED").astype(bool)
    for column, what in (("id", "lamp id"), ("cabinet_id", "cabinet id")):
        if column in df:
            check((df[column].isna() | (df[column].astype(str).str.strip() == "")).to_numpy(),
                  f"column {column}: empty {what}")
    if problems:
        raise InventoryError(f"{path}: " + ("\n  ".join(["nothing imported:", *problems]) if len(problems) > 1
                                          else problems[0]))
    pts = gpd.GeoSeries([Point(x, y) for x, y in zip(lon, lat)], crs="EPSG:4326").to_crs(territory.crs)
    x0, y0, x1, y1 = gpd.GeoSeries([box(*territory.provenance["bounds_lonlat"])], crs="EPSG:4326") \
        .to_crs(territory.crs).total_bounds
    extent = box(x0 - MARGIN_M, y0 - MARGIN_M, x1 + MARGIN_M, y1 + MARGIN_M)
    inside = pts.within(extent).to_numpy()
    if (~inside).any():
        swapped = gpd.GeoSeries([Point(y, x) for x, y in zip(lon[~inside], lat[~inside])], crs="EPSG:4326") \
            .to_crs(territory.crs).within(extent).to_numpy()
        hint = " — inside once lon and lat are swapped: are the two columns the other way round?" if swapped.all() \
            else ""
        raise _fail(path, f"columns lon, lat: lamp outside the territory {territory.name!r} (more than {MARGIN_M:g} m "
                          f"from its extent{hint})", where[~inside])
    ids = df["id"].astype(str).str.strip() if "id" in df else pd.Series([f"inv:lamp/{i}" for i in range(len(df))])
    if ids.duplicated().any():
        first = dict(zip(ids[~ids.duplicated()], where[~ids.duplicated().to_numpy()]))
        dup = ids.duplicated().to_numpy()
        raise _fail(path, "column id: duplicate lamp id", [f"{w} (same id as {first[i]})" for w, i in
                                                            zip(where[dup], ids[dup])])
    return gpd.GeoDataFrame({
        "id": ids.to_numpy(), "source": "inventory", "technology": tech.to_numpy(),
        "power_w": power.to_numpy(dtype=float), "dimmable": dimmable.to_numpy(dtype=bool),
        "control": control.to_numpy(), "cabinet_id": df["cabinet_id"].astype(str).to_numpy(),
        "street_edge": None, "highway": None, "street_name": None,
    }, geometry=pts.values, crs=territory.crs)
