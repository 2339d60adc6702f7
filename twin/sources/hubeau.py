"""Hub'Eau hydrométrie files: real-time water levels and discharges, and daily mean discharges.

From the API's public specification (https://hubeau.eaufrance.fr/page/api-hydrometrie) and the
Sandre nomenclatures it uses:

* ``observations_tr`` (real time, the last month): ``code_station`` (or ``code_site`` for a
  site-level series), ``grandeur_hydro`` (``H`` water level, **in mm**; ``Q`` discharge, **in l/s**),
  ``date_obs`` (ISO 8601, UTC), ``resultat_obs``, ``code_qualification_obs`` (Sandre nomenclature
  515: 20 good, 16 not qualified — the usual state of real-time data —, 12 doubtful; 0, 4 and 8 are
  the older neutral / weak / strong marks, which do not vouch for the value), and optionally
  ``longitude`` / ``latitude`` (WGS84);
* ``obs_elab`` (elaborated, the whole history): ``code_station``, ``date_obs_elab`` (a day),
  ``resultat_obs_elab`` (l/s), ``grandeur_hydro_elab`` (``QmJ`` in version 1, ``QmnJ`` in version 2:
  the daily mean discharge; other elaborations are refused), and the qualification when given
  (``code_qualification_obs_elab`` or ``code_qualification``, same nomenclature).

Both come as the API's JSON (``{"data": [...]}`` or a bare list) or as CSV with the same field names.
Sensors are named ``hubeau-<station>-H``, ``hubeau-<station>-Q`` and ``hubeau-<station>-QmJ``; a daily
mean is stored at the start of its day (UTC). Quality: 20 and 16 are kept as good, 12, 0, 4 and 8 as
suspect (kept, flagged, left out of models by default); an empty result is kept as missing; any other
code is an error naming the line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, SUSPECT, ProviderBatch, ProviderFileError, as_batch, numbers,
                                         observations, read_bytes, read_json, read_table, require,
                                         rows_text, times_utc)
from twin.sources.safe_files import excerpt

QUALIFICATION = {20: GOOD, 16: GOOD, 12: SUSPECT, 0: SUSPECT, 4: SUSPECT, 8: SUSPECT}
"""Sandre nomenclature 515 (qualification of a hydrometric observation) → the store's quality."""
GRANDEURS = {"H": ("water_level", "mm", "water level (H)"), "Q": ("discharge", "l/s", "discharge (Q)")}
DAILY = ("QmJ", "QmnJ")


def _records(path, raw: bytes) -> pd.DataFrame:
    if raw.lstrip()[:1] in (b"{", b"["):
        doc = read_json(path, raw)
        rows = doc.get("data") if isinstance(doc, dict) else doc
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ProviderFileError(f"{path}: expected the API's JSON ({{\"data\": [records]}} or a list of records)")
        df = pd.DataFrame(rows)
        df = df.astype(object).where(df.notna(), "").astype(str)
        df.attrs["records"] = True  # errors name records (from 1), not lines
        return df
    return read_table(path, raw)


def _quality(df: pd.DataFrame, path, columns) -> np.ndarray:
    col = next((c for c in columns if c in df), None)
    if col is None:
        return np.full(len(df), GOOD, dtype=object)
    text = df[col].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    codes = pd.to_numeric(text, errors="coerce")
    known = codes.isin(list(QUALIFICATION)) | (text == "")
    if not known.all():
        bad = ~known.to_numpy()
        first = int(np.flatnonzero(bad)[0])
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: {col} {excerpt(text.iloc[first])} is not a "
                                f"qualification of Sandre nomenclature 515 ({', '.join(map(str, QUALIFICATION))})")
    return np.array([GOOD if t == "" else QUALIFICATION[int(c)] for t, c in zip(text, codes)], dtype=object)


def _station(df: pd.DataFrame, path) -> pd.Series:
    station = df["code_station"].astype(str).str.strip() if "code_station" in df else pd.Series("", index=df.index)
    if "code_site" in df:
        station = station.where(station != "", df["code_site"].astype(str).str.strip())
    if (station == "").any():
        raise ProviderFileError(f"{path}: {rows_text(df, station == '')}: code_station (and code_site) empty")
    return station


def _coordinates(df: pd.DataFrame, path) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of every row (NaN where the file has none), checked once on the whole file."""
    if "longitude" not in df or "latitude" not in df:
        return np.full(len(df), np.nan), np.full(len(df), np.nan)
    return numbers(df, "longitude", path), numbers(df, "latitude", path)


def _where(lonlat, row) -> tuple[float | None, float | None]:
    lon, lat = lonlat[0][row], lonlat[1][row]
    return (None, None) if np.isnan(lon) or np.isnan(lat) else (float(lon), float(lat))


def read_hubeau(path) -> ProviderBatch:
    """The sensors and observations of a Hub'Eau hydrométrie file (``observations_tr`` or ``obs_elab``)."""
    df = _records(path, read_bytes(path, "Hub'Eau hydrometry file"))
    if df.empty:
        raise ProviderFileError(f"{path}: no observation in the file")
    if "date_obs_elab" in df or "resultat_obs_elab" in df:
        return _obs_elab(df, path)
    require(df, path, ["grandeur_hydro", "date_obs", "resultat_obs"],
            "Hub'Eau observations_tr: code_station, grandeur_hydro, date_obs, resultat_obs")
    station = _station(df, path)
    grandeur = df["grandeur_hydro"].astype(str).str.strip()
    bad = ~grandeur.isin(list(GRANDEURS))
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: grandeur_hydro {excerpt(grandeur.iloc[first])} "
                                "is not H (water level, mm) or Q (discharge, l/s)")
    times = times_utc(df, "date_obs", path)
    values = numbers(df, "resultat_obs", path)
    quality = _quality(df, path, ["code_qualification_obs"])
    lonlat = _coordinates(df, path)
    ids = "hubeau-" + station + "-" + grandeur
    sensors = []
    for sid, rows in ids.groupby(ids).groups.items():
        code, g = station[rows[0]], grandeur[rows[0]]
        quantity, unit, what = GRANDEURS[g]
        lon, lat = _where(lonlat, df.index.get_loc(rows[0]))
        sensors.append({"sensor_id": sid, "quantity": quantity, "native_unit": unit, "lon": lon, "lat": lat,
                        "name": f"Hub'Eau {code} {g}",
                        "description": f"Hub'Eau hydrométrie observations_tr, station {code}: {what} in {unit}"})
    unit = grandeur.map(lambda g: GRANDEURS[g][1]).to_numpy()
    return as_batch("Hub'Eau observations_tr", sensors,
                    [observations(ids, times, values, unit, quality, np.arange(len(df)) + 2)])


def _obs_elab(df: pd.DataFrame, path) -> ProviderBatch:
    require(df, path, ["date_obs_elab", "resultat_obs_elab", "grandeur_hydro_elab"],
            "Hub'Eau obs_elab: code_station, date_obs_elab, resultat_obs_elab, grandeur_hydro_elab")
    station = _station(df, path)
    kind = df["grandeur_hydro_elab"].astype(str).str.strip()
    bad = ~kind.isin(DAILY)
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: grandeur_hydro_elab "
                                f"{excerpt(kind.iloc[first])}: only daily mean discharges (QmJ, QmnJ) are read")
    times = times_utc(df, "date_obs_elab", path, what="a day, e.g. 2021-02-11")
    values = numbers(df, "resultat_obs_elab", path)
    quality = _quality(df, path, ["code_qualification_obs_elab", "code_qualification"])
    lonlat = _coordinates(df, path)
    ids = "hubeau-" + station + "-QmJ"
    sensors = []
    for sid, rows in ids.groupby(ids).groups.items():
        code = station[rows[0]]
        lon, lat = _where(lonlat, df.index.get_loc(rows[0]))
        sensors.append({"sensor_id": sid, "quantity": "discharge", "native_unit": "l/s", "lon": lon, "lat": lat,
                        "name": f"Hub'Eau {code} QmJ",
                        "description": f"Hub'Eau hydrométrie obs_elab, station {code}: daily mean discharge in l/s, "
                                       "stored at the start of its day (UTC)"})
    return as_batch("Hub'Eau obs_elab", sensors, [observations(ids, times, values, "l/s", quality,
                                                                 np.arange(len(df)) + 2)])
