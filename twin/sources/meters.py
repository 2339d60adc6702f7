"""Meter and temperature CSV files (OpenEEmeter-style ``start,value`` and ``dt,tempF`` / ``dt,tempC``, or ``time,value``).

Units are declared, never guessed: a ``unit`` column or argument (kWh, Wh, MWh, therm, MJ)
converted to kWh; temperatures from the column name (``tempF``, ``tempC``), a ``unit`` column or argument (C, F).
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


TEMPERATURE_UNITS = {"C": "degC", "F": "degF", "degC": "degC", "degF": "degF", "°C": "degC", "°F": "degF"}


def read_temperature_csv(path: str | Path, tz: str | None = None, unit: str | None = None) -> pd.Series:
    """Air temperature (°C) from a CSV of timed temperatures.

    Layouts: ``dt,tempF`` or ``dt,tempC`` (OpenEEmeter; the column names the unit),
    ``…,temperature[,unit]``, or a plain ``time,value`` whose unit is given by ``unit``
    (``"C"`` or ``"F"``, the CLI's ``--temperature-unit``). A ``unit`` that contradicts the
    column's own unit is an error; a plain layout without a unit is an error naming the file
    — a temperature in °F read as °C would be 40 K off.
    """
    path = Path(path)
    df = _read(path)
    idx = _index(df, path, ("dt", "time", "timestamp", "timestamp_utc", "start", "date"))
    given = None
    if unit is not None:
        if unit not in TEMPERATURE_UNITS:
            raise MeterFileError(f"{path}: temperature unit {unit!r} not understood (expected C or F)")
        given = TEMPERATURE_UNITS[unit]
    if "tempF" in df or "tempC" in df:
        col = "tempF" if "tempF" in df else "tempC"
        values, own = df[col], "degF" if col == "tempF" else "degC"
        if given is not None and given != own:
            raise MeterFileError(f"{path}: column {col!r} is in {own}, but the unit given is {unit}")
        unit = own
    elif "temperature" in df:
        values = df["temperature"]
        own = str(df["unit"].iloc[0]) if "unit" in df else None
        unit = own or given
        if unit is None:
            raise MeterFileError(f"{path}: the unit of column 'temperature' is not known (add a 'unit' column or "
                                 "give --temperature-unit C|F)")
    elif "value" in df:
        if "unit" in df:
            unit = str(df["unit"].iloc[0])
        elif given is None:
            raise MeterFileError(f"{path}: a time,value temperature file does not say its unit: give "
                                 "--temperature-unit C or F (or name the column tempC / tempF)")
        else:
            unit = given
        values = df["value"]
    else:
        raise MeterFileError(f"{path}: no temperature column (tempF, tempC, temperature or value; "
                             f"found {list(df.columns)})")
    num = pd.to_numeric(values, errors="coerce")
    bad = num.isna() & values.notna()
    if bad.any():
        line = int(bad.to_numpy().argmax()) + 2
        raise MeterFileError(f"{path}: line {line}: temperature {values.iloc[line - 2]!r} is not a number")
    try:
        degc = to_canonical(num.to_numpy(float), TEMPERATURE_UNITS.get(unit, unit), "air_temperature")
    except UnitError as exc:
        raise MeterFileError(f"{path}: {exc}") from None
    t = pd.Series(degc, index=idx, name="degC")
    return t.tz_convert(tz) if tz else t
