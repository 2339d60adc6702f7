"""Meter and temperature CSV files (OpenEEmeter-style ``start,value`` and ``dt,tempF`` / ``dt,tempC``).

Units are declared, never guessed: a ``unit`` column or argument (kWh, Wh, MWh, therm, MJ)
converted to kWh; temperatures from the column name (``tempF``, ``tempC``) or a ``unit``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from twin.quantities import UnitError, to_canonical


class MeterFileError(ValueError):
    """A meter or temperature file that cannot be read; the message names the file and what is wrong."""


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise MeterFileError(f"{path}: no such file")
    try:
        return pd.read_csv(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
        raise MeterFileError(f"{path}: not a readable CSV ({exc})") from None


def _index(df: pd.DataFrame, path: Path, candidates) -> pd.DatetimeIndex:
    col = next((c for c in candidates if c in df), None)
    if col is None:
        raise MeterFileError(f"{path}: no time column (expected one of {candidates}; found {list(df.columns)})")
    idx = pd.to_datetime(df[col], utc=True, errors="coerce", format="ISO8601")
    if idx.isna().any():
        raise MeterFileError(f"{path}: unparsable time on line {int(idx.isna().to_numpy().argmax()) + 2}")
    if not idx.is_monotonic_increasing:
        raise MeterFileError(f"{path}: times out of order at line {int((idx.diff() <= pd.Timedelta(0)).to_numpy().argmax()) + 2}")
    return pd.DatetimeIndex(idx)


def read_meter_csv(path: str | Path, unit: str | None = None, tz: str | None = None) -> pd.Series:
    """Energy use per period (kWh), indexed by period start (converted to ``tz`` when given)."""
    path = Path(path)
    df = _read(path)
    idx = _index(df, path, ("start", "time", "timestamp", "date", "dt"))
    if "value" not in df:
        raise MeterFileError(f"{path}: no 'value' column (found {list(df.columns)})")
    unit = unit or (str(df["unit"].iloc[0]) if "unit" in df else None)
    if unit is None:
        raise MeterFileError(f"{path}: the unit of the readings is not given (a 'unit' column or --unit: kWh, Wh, "
                             "MWh, therm, MJ)")
    try:
        kwh = to_canonical(pd.to_numeric(df["value"], errors="coerce").to_numpy(float), unit, "gas_energy")
    except UnitError as exc:
        raise MeterFileError(f"{path}: {exc}") from None
    s = pd.Series(kwh, index=idx, name="kWh")
    return s.tz_convert(tz) if tz else s


def read_temperature_csv(path: str | Path, tz: str | None = None) -> pd.Series:
    """Air temperature (°C) from ``dt,tempF`` or ``dt,tempC`` (or ``temperature`` with a unit column)."""
    path = Path(path)
    df = _read(path)
    idx = _index(df, path, ("dt", "time", "timestamp", "timestamp_utc", "start", "date"))
    if "tempF" in df:
        values, unit = df["tempF"], "degF"
    elif "tempC" in df:
        values, unit = df["tempC"], "degC"
    elif "temperature" in df:
        values, unit = df["temperature"], str(df["unit"].iloc[0]) if "unit" in df else "degC"
    else:
        raise MeterFileError(f"{path}: no temperature column (tempF, tempC or temperature)")
    t = pd.Series(to_canonical(pd.to_numeric(values, errors="coerce").to_numpy(float), unit, "air_temperature"),
                  index=idx, name="degC")
    return t.tz_convert(tz) if tz else t
