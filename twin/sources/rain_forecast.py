"""Rain forecasts at a catchment, from a long CSV file: ``member,time,mm`` (and ``issued`` for many).

One row per member and time step: ``member`` any label (a deterministic forecast has one
member; without the column, the file is one deterministic forecast, and ``rain_mm`` may name the rain
column as in the flood scenario's file), ``time`` the step the rain falls in, labelled as the rows of the catchment's data are,
``mm`` the catchment rain of that step (mm, finite, non-negative). An optional ``issued`` column
holds the time each forecast was issued, so that one file can feed a replay of many issue times
(each issue time takes the latest forecast issued at or before it). Times are read as UTC; an
offset (``+01:00``) is converted; a French spreadsheet's export (« ; », decimal comma, dates day first)
is read as it is. Errors name the file, the line and the field.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from twin.csv_dialect import FRENCH_DATE, french_or_iso_times, separator
from twin.sources.hydro_csv import HydroDataError
from twin.sources.safe_files import InputFileError, excerpt, read_input_bytes

COLUMNS = ("member", "time", "mm")


def _lines(mask) -> str:
    idx = np.flatnonzero(np.asarray(mask))[:5] + 2  # the header is line 1
    more = f" … ({int(np.sum(mask))} in all)" if np.sum(mask) > 5 else ""
    return ", ".join(map(str, idx)) + more


def _times(df: pd.DataFrame, col: str, path) -> pd.Series:
    t = pd.to_datetime(df[col], utc=True, errors="coerce", format="mixed")
    french = df[col].str.match(FRENCH_DATE)
    if french.any():  # 01/02/2007 06:00 is the 1st of February (pandas reads the 2nd of January)
        t = t.where(~french, french_or_iso_times(df[col].where(french)).dt.tz_localize("UTC"))
    if t.isna().any():
        bad = t.isna().to_numpy()
        first = int(np.flatnonzero(bad)[0])
        raise HydroDataError(f"{path}: line(s) {_lines(bad)}: {col} {excerpt(df[col].iloc[first])} is not a "
                             "date and time (expected e.g. 2007-11-03 06:00)")
    return t.dt.tz_localize(None)


def read_rain_forecast(path: str | Path) -> pd.DataFrame:
    """The rain forecast table of ``path``: columns ``issued`` (NaT when the file has none), ``member``
    (str), ``time``, ``mm`` and the file's ``line``, sorted by issue time, member and time."""
    try:
        raw = read_input_bytes(path, what="rain forecast")
    except InputFileError as exc:
        raise HydroDataError(str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
        sep = separator(text)  # a French spreadsheet's export: « ; » between columns, decimal comma
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        why = str(exc).split(". ")[-1][:120] if isinstance(exc, pd.errors.ParserError) else type(exc).__name__
        raise HydroDataError(f"{path}: not a readable CSV ({why})") from None
    df.columns = [c.strip() for c in df.columns]
    # the flood scenario's file (``time,rain_mm``, one forecast) reads here too: one format for both
    if "mm" not in df and "rain_mm" in df:
        df = df.rename(columns={"rain_mm": "mm"})
    if "member" not in df and {"time", "mm"} <= set(df):
        df.insert(0, "member", "1")
    if sep == ";" and "mm" in df:
        df["mm"] = df["mm"].str.replace(",", ".", regex=False)
    missing = [c for c in COLUMNS if c not in df]
    if missing:
        raise HydroDataError(f"{path}: line 1 lacks column(s) {', '.join(missing)} (expected member,time,mm "
                             "and optionally issued)")
    if df.empty:
        raise HydroDataError(f"{path}: no forecast row after the header")
    blank = df["member"].str.strip() == ""
    if blank.any():
        raise HydroDataError(f"{path}: line(s) {_lines(blank)}: member is empty")
    mm = pd.to_numeric(df["mm"].str.strip(), errors="coerce").to_numpy(float)
    bad = ~np.isfinite(mm) | (mm < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise HydroDataError(f"{path}: line(s) {_lines(bad)}: mm {excerpt(df['mm'].iloc[first])} is not a "
                             "finite, non-negative rain depth (mm)")
    out = pd.DataFrame({"issued": _times(df, "issued", path) if "issued" in df else pd.NaT,
                        "member": df["member"].str.strip(), "time": _times(df, "time", path), "mm": mm,
                        "line": np.arange(len(df)) + 2})
    dup = out.duplicated(["issued", "member", "time"], keep="first").to_numpy()
    if dup.any():
        raise HydroDataError(f"{path}: line(s) {_lines(dup)}: the same member and time given twice"
                             + (" for one issue time" if "issued" in df else ""))
    if "issued" in df:
        late = (out["time"] < out["issued"]).to_numpy()
        if late.any():
            raise HydroDataError(f"{path}: line(s) {_lines(late)}: rain before its forecast's issue time")
    return out.sort_values(["issued", "member", "time"], kind="stable").reset_index(drop=True)
