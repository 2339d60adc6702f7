"""Météo-France station files (« données climatologiques de base », meteo.data.gouv.fr): hourly and daily.

From the files' field descriptions (``H_descriptif_champs.csv``, ``Q_descriptif_champs_RR-T-Vent.csv``),
``;``-separated, one row per station and time, every value followed by its quality code:

* hourly (``H_<dep>_….csv.gz``): ``NUM_POSTE`` (8 digits), ``NOM_USUEL``, ``LAT``, ``LON``, ``ALTI``,
  ``AAAAMMJJHH`` (UTC), ``RR1`` (rain over the hour ending then, mm and tenths) with ``QRR1``, ``T``
  (air temperature, °C) with ``QT`` and ``FF`` (wind at 10 m, m/s) with ``QFF`` when present;
* daily (``Q_<dep>_…_RR-T-Vent.csv.gz``): ``AAAAMMJJ``, ``RR`` (rain from 06 UTC that day to 06 UTC the
  next, mm) with ``QRR``, ``TN`` / ``TX`` / ``TM`` (minimum from 18 UTC the day before, maximum from 06
  UTC, daily mean, °C) and ``FFM`` (daily mean wind, m/s), each with its ``Q`` column, when present.

The files' vintages differ in their columns: any of these fields may be absent, other columns (the
times of extremes ``HTN``, ``HTX``… written HHMM UTC without leading zeros, e.g. ``645``) are not read.
Ids and headers may carry leading spaces; they are stripped.

Quality codes: 0 protected (validated for good by a climatologist), 1 validated, 9 filtered (passed
the first-level checks) are kept as good; 2 (doubtful, being checked) as suspect; an empty code with a
value as good (older data carry none); an empty value as missing; any other code is an error naming
the line. Sensors are ``mf-<NUM_POSTE>-rr1`` / ``-t`` / ``-ff`` (hourly) and ``-rr`` / ``-tn`` / ``-tx`` /
``-tm`` / ``-ffm`` (daily). An
amount or a mean is stored at the **start** of the interval it covers, as the store labels its steps
(a step labelled 05:00 holds 05:00–06:00, which is known from 06:00 on): an hourly rain dated 06 (the
hour 05–06 UTC) at 05:00, a daily rain (06 UTC to 06 UTC) at 06:00 on its day, a daily mean
temperature at the start of its day; a temperature read at an hour stays at that hour. Decimal
commas are read too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, SUSPECT, ProviderBatch, ProviderFileError, as_batch, numbers,
                                         observations, read_bytes, read_table, require, rows_text, times_utc)
from twin.sources.safe_files import excerpt

QUALITY = {"0": GOOD, "1": GOOD, "9": GOOD, "2": SUSPECT, "": GOOD}
# field → (sensor suffix, quantity, unit, what, shift from the file's time to the start of the interval)
HOURLY = {"RR1": ("rr1", "precipitation", "mm", "rain over the hour, stored at its start (the file dates it at its end)",
                  -pd.Timedelta(hours=1)),
          "T": ("t", "air_temperature", "degC", "air temperature read at the time", pd.Timedelta(0)),
          "FF": ("ff", "wind_speed", "m/s", "mean wind speed at 10 m over the last 10 min of the hour, read at the "
                 "time", pd.Timedelta(0))}
DAILY = {"RR": ("rr", "precipitation", "mm", "rain from 06 UTC on the day to 06 UTC the next, stored at its start",
                pd.Timedelta(hours=6)),
         "TM": ("tm", "air_temperature", "degC", "daily mean air temperature, stored at the start of its day",
                pd.Timedelta(0)),
         "TN": ("tn", "air_temperature", "degC", "daily minimum air temperature (18 UTC the day before to 18 UTC), "
                "stored at its start", -pd.Timedelta(hours=6)),
         "TX": ("tx", "air_temperature", "degC", "daily maximum air temperature (06 UTC on the day to 06 UTC the "
                "next), stored at its start", pd.Timedelta(hours=6)),
         "FFM": ("ffm", "wind_speed", "m/s", "daily mean wind speed at 10 m, stored at the start of its day",
                 pd.Timedelta(0))}


def _quality(df: pd.DataFrame, column: str, path) -> np.ndarray:
    q = "Q" + column
    if q not in df:
        return np.full(len(df), GOOD, dtype=object)
    text = df[q].astype(str).str.strip()
    bad = ~text.isin(list(QUALITY))
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: {q} {excerpt(text.iloc[first])} is not a Météo-France "
                                "quality code (0 protected, 1 validated, 9 filtered, 2 doubtful, or empty)")
    return text.map(QUALITY).to_numpy(dtype=object)


def read_meteofrance(path) -> ProviderBatch:
    """The sensors and observations of a Météo-France hourly (``AAAAMMJJHH``) or daily (``AAAAMMJJ``) file."""
    df = read_table(path, read_bytes(path, "Météo-France station file"), sep=";")
    if df.empty:
        raise ProviderFileError(f"{path}: no observation in the file")
    if "AAAAMMJJHH" in df:
        stamp, fmt, fields, kind = "AAAAMMJJHH", "%Y%m%d%H", HOURLY, "hourly"
    elif "AAAAMMJJ" in df:
        stamp, fmt, fields, kind = "AAAAMMJJ", "%Y%m%d", DAILY, "daily"
    else:
        raise ProviderFileError(f"{path}: line 1 has neither AAAAMMJJHH (hourly file) nor AAAAMMJJ (daily file)")
    require(df, path, ["NUM_POSTE", stamp], f"Météo-France {kind} file: NUM_POSTE, {stamp}, then the values")
    present = [f for f in fields if f in df]
    if not present:
        raise ProviderFileError(f"{path}: line 1 has none of the fields read from a {kind} file "
                                f"({', '.join(fields)})")
    station = df["NUM_POSTE"].astype(str).str.strip()
    bad = ~station.str.fullmatch(r"\d{8}")
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: NUM_POSTE {excerpt(station.iloc[first])} is not "
                                "an 8-digit Météo-France station number")
    stamps = df[stamp].astype(str).str.strip()
    bad = ~stamps.str.fullmatch(r"\d{%d}" % len(stamp))  # strptime alone would read 20240115 as 2024-01-01 15 h
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: {stamp} {excerpt(stamps.iloc[first])} is not a time "
                                f"({len(stamp)} digits, {stamp}, UTC)")
    times = times_utc(df, stamp, path, fmt=fmt, what=f"{stamp}, UTC")
    lon = numbers(df, "LON", path) if "LON" in df else np.full(len(df), np.nan)
    lat = numbers(df, "LAT", path) if "LAT" in df else np.full(len(df), np.nan)
    names = df["NOM_USUEL"].astype(str).str.strip() if "NOM_USUEL" in df else station
    sensors, obs = [], []
    lines = np.arange(len(df)) + 2
    for field in present:
        suffix, quantity, unit, what, shift = fields[field]
        ids = "mf-" + station + "-" + suffix
        values = numbers(df, field, path)
        obs.append(observations(ids, times + shift, values, unit, _quality(df, field, path), lines))
        for sid, rows in ids.groupby(ids).groups.items():
            i = rows[0]
            where = (None, None) if np.isnan(lon[i]) or np.isnan(lat[i]) else (float(lon[i]), float(lat[i]))
            sensors.append({"sensor_id": sid, "quantity": quantity, "native_unit": unit, "lon": where[0],
                            "lat": where[1], "name": f"{names[i]} ({station[i]}) {field}",
                            "description": f"Météo-France {kind} station file, {field}: {what}"})
    return as_batch(f"Météo-France {kind}", sensors, obs)
