"""French open-data traffic counts: permanent counters (hourly flow ``q`` and occupancy ``k``) and
departmental count points (annual average daily traffic, TMJA).

* **Permanent counters** (the layout of the « comptages routiers permanents » published by cities,
  e.g. Paris): ``;``-separated, one row per counter and hour — ``iu_ac`` / « Identifiant arc » (the
  counted link), ``libelle`` / « Libelle » (the street), ``t_1h`` / « Date et heure de comptage » (the
  hour's start, ISO 8601 with its offset), ``q`` / « Débit horaire » (vehicles per hour), ``k`` / « Taux
  d'occupation » (% of the time the loop is occupied), ``geo_point_2d`` (« lat, lon »). Sensors
  ``count-<id>-q`` (``traffic_flow``) and ``count-<id>-k`` (``road_occupancy``).
* **Count points** (départements' « comptages routiers » : ``tmja`` / ``TMJA``, ``annee``, ``route`` /
  ``axe``, ``pr``, ``x`` / ``y`` in Lambert-93 or ``lon`` / ``lat``): sensor ``count-<id>-tmja``
  (``traffic_daily``, veh/day) with one value per year, stored at the year's 1 January.

An empty flow is kept as missing; a flow that is not a number, a time without an offset (« 2023-01-01
01:00 » is ambiguous in the autumn) or a position that cannot be read is an error naming the line and
the field. The counters are put on the street graph by :func:`twin.territory.count_points.attach_counts`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, ProviderBatch, ProviderFileError, as_batch, numbers, observations,
                                         read_bytes, read_table, rows_text)
from twin.sources.safe_files import excerpt

COLUMNS = {
    "id": ("iu_ac", "identifiant arc", "identifiant_arc", "id", "identifiant", "num_station", "numero_station",
           "station", "id_point"),
    "street": ("libelle", "libellé", "route", "axe", "nom_voie", "voie"),
    "time": ("t_1h", "date et heure de comptage", "date_heure", "horodate"),
    "q": ("q", "débit horaire", "debit horaire", "debit_horaire", "debit"),
    "k": ("k", "taux d'occupation", "taux d occupation", "taux_occupation"),
    "point": ("geo_point_2d", "geo_point", "coordonnees"),
    "tmja": ("tmja", "tmj", "trafic moyen journalier annuel"),
    "year": ("annee", "année", "year"),
}


def _find(df: pd.DataFrame, what: str) -> str | None:
    names = {str(c).strip().lower(): c for c in df.columns}
    return next((names[n] for n in COLUMNS[what] if n in names), None)


def _positions(df: pd.DataFrame, path) -> tuple[np.ndarray, np.ndarray]:
    point = _find(df, "point")
    if point is not None:
        parts = df[point].astype(str).str.strip("[]() ").str.split(r"\s*,\s*", expand=True, regex=True)
        lat = pd.to_numeric(parts[0], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(parts[1], errors="coerce").to_numpy(float) if parts.shape[1] > 1 else lat * np.nan
        bad = np.isnan(lat) | np.isnan(lon) | (np.abs(lat) > 90) | (np.abs(lon) > 180)
        if bad.any():
            raise ProviderFileError(f"{path}: {rows_text(df, bad)}: {point} is not « latitude, longitude » in degrees")
        return lon, lat
    names = {str(c).strip().lower(): c for c in df.columns}
    if "lon" in names and "lat" in names:
        return numbers(df, names["lon"], path, allow_empty=False), numbers(df, names["lat"], path, allow_empty=False)
    if "x" in names and "y" in names:
        import geopandas as gpd  # noqa: PLC0415

        x, y = numbers(df, names["x"], path, allow_empty=False), numbers(df, names["y"], path, allow_empty=False)
        bad = (x < 0) | (x > 1.3e6) | (y < 6.0e6) | (y > 7.2e6)
        if bad.any():
            raise ProviderFileError(f"{path}: {rows_text(df, bad)}: x / y outside metropolitan Lambert-93 (EPSG:2154)")
        pts = gpd.GeoSeries(gpd.points_from_xy(x, y), crs="EPSG:2154").to_crs("EPSG:4326")
        return pts.x.to_numpy(), pts.y.to_numpy()
    raise ProviderFileError(f"{path}: line 1 lacks the counters' position (geo_point_2d, lon / lat or x / y)")


def read_traffic_counts(path) -> ProviderBatch:
    """The sensors and observations of a permanent counters' file or a count points' file."""
    df = read_table(path, read_bytes(path, "traffic counts file"))
    if df.empty:
        raise ProviderFileError(f"{path}: no count in the file")
    ident = _find(df, "id")
    if ident is None:
        raise ProviderFileError(f"{path}: line 1 lacks the counter's identifier (iu_ac, identifiant, num_station…)")
    ids = df[ident].astype(str).str.strip()
    empty = ids == ""
    if empty.any():
        raise ProviderFileError(f"{path}: {rows_text(df, empty)}: empty {ident}")
    lon, lat = _positions(df, path)
    street_col = _find(df, "street")
    streets = df[street_col].astype(str).str.strip() if street_col else ids
    lines = np.arange(len(df)) + 2
    sensors, obs = [], []
    notes: list[str] = []
    if _find(df, "q") is not None:
        tcol = _find(df, "time")
        if tcol is None:
            raise ProviderFileError(f"{path}: line 1 lacks the hour of each count (t_1h, « Date et heure de comptage »)")
        text = df[tcol].astype(str).str.strip()
        no_offset = ~text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True)
        if no_offset.any():
            raise ProviderFileError(f"{path}: {rows_text(df, no_offset)}: {tcol} {excerpt(text[no_offset].iloc[0])} has "
                                    "no UTC offset (a local hour is ambiguous in the autumn; expected e.g. "
                                    "2023-01-15T08:00:00+01:00)")
        times = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
        if times.isna().any():
            bad = times.isna().to_numpy()
            raise ProviderFileError(f"{path}: {rows_text(df, bad)}: {tcol} is not an ISO 8601 time")
        series = [("q", "traffic_flow", "veh/h", "hourly flow")]
        if _find(df, "k") is not None:
            series.append(("k", "road_occupancy", "%", "hourly occupancy rate"))
        for field, quantity, unit, what in series:
            column = _find(df, field)
            values = numbers(df, column, path)
            sid = "count-" + ids + "-" + field
            obs.append(observations(sid, times, values, unit, np.full(len(df), GOOD), lines))
            for s, rows in sid.groupby(sid).groups.items():
                i = rows[0]
                sensors.append({"sensor_id": s, "quantity": quantity, "native_unit": unit, "lon": lon[i],
                                "lat": lat[i], "name": f"{streets[i]} ({ids[i]}) {field}",
                                "description": f"permanent counter {ids[i]}: {what}, stored at the hour's start"})
    elif _find(df, "tmja") is not None:
        ycol = _find(df, "year")
        if ycol is None:
            raise ProviderFileError(f"{path}: line 1 lacks the year of each TMJA (annee)")
        years = pd.to_numeric(df[ycol].astype(str).str.strip(), errors="coerce")
        bad = years.isna() | (years < 1900) | (years > 2100)
        if bad.any():
            raise ProviderFileError(f"{path}: {rows_text(df, bad)}: {ycol} is not a year")
        times = pd.to_datetime(years.astype(int).astype(str) + "-01-01").dt.tz_localize("Europe/Paris") \
            .dt.tz_convert("UTC")
        values = numbers(df, _find(df, "tmja"), path)
        sid = "count-" + ids + "-tmja"
        obs.append(observations(sid, times, values, "veh/day", np.full(len(df), GOOD), lines))
        for s, rows in sid.groupby(sid).groups.items():
            i = rows[0]
            sensors.append({"sensor_id": s, "quantity": "traffic_daily", "native_unit": "veh/day", "lon": lon[i],
                            "lat": lat[i], "name": f"{streets[i]} ({ids[i]}) TMJA",
                            "description": f"count point {ids[i]}: annual average daily traffic, both directions, "
                                           "stored at its year's 1 January"})
        notes.append("TMJA are annual averages: stored, not yet used by the peak-hour calibration")
    else:
        raise ProviderFileError(f"{path}: line 1 has neither q (hourly flow of a permanent counter) nor tmja "
                                "(annual average daily traffic of a count point)")
    batch = as_batch("traffic counts", sensors, obs)
    batch.notes = notes
    return batch
