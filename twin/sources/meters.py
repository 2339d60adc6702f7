"""Meter and temperature CSV files (OpenEEmeter-style ``start,value`` and ``dt,tempF`` / ``dt,tempC``, or ``time,value``).

Units are declared, never guessed: a ``unit`` column or argument (kWh, Wh, MWh, therm, MJ)
converted to kWh; temperatures from the column name (``tempF``, ``tempC``), a ``unit`` column or argument (C, F).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from twin.errors import TwinError
from twin.quantities import UnitError, to_canonical
from twin.sources.safe_files import MAX_INPUT_BYTES, InputFileError, excerpt, read_input_text


class MeterFileError(TwinError, ValueError):
    """A meter or temperature file that cannot be read; the message names the file and what is wrong."""


def _columns(df: pd.DataFrame) -> str:
    """The header's column names, each cut to a few characters, at most eight of them: a header
    is a line of the file, which may not be a meter file at all."""
    names = [excerpt(c, 16) for c in list(df.columns)[:8]]
    return "[" + ", ".join(names) + (f", … {len(df.columns)} in all" if len(df.columns) > 8 else "") + "]"


def _read(path: Path) -> pd.DataFrame:
    """The CSV of a regular file (gzip allowed) of at most MAX_INPUT_BYTES, compressed and uncompressed;
    errors name the file, the line and what was expected, never the file's text."""
    try:
        text = read_input_text(path, what="meter data", max_bytes=MAX_INPUT_BYTES)
    except InputFileError as exc:
        raise MeterFileError(str(exc)) from None
    try:
        return pd.read_csv(io.StringIO(text))
    except pd.errors.EmptyDataError:
        raise MeterFileError(f"{path}: empty file (expected a CSV with a header line)") from None
    except (pd.errors.ParserError, ValueError, OverflowError) as exc:
        # pandas' parser says "… Expected 2 fields in line 5, saw 3": a line number, no content
        why = str(exc).split(". ")[-1] if isinstance(exc, pd.errors.ParserError) else type(exc).__name__
        raise MeterFileError(f"{path}: not a readable CSV ({why[:120]})") from None


AIR_TEMPERATURE_C = (-90.0, 60.0)
"""[°C] the outdoor air temperatures a weather file may hold: the coldest and hottest ever measured on Earth
are −89.2 °C (Vostok, 1983) and about 56.7 °C (Death Valley, 1913; WMO archive of weather and climate
extremes); beyond, a wrong unit or column."""


def _numbers(values: pd.Series, path: Path, what: str) -> pd.Series:
    """``values`` as floats; an empty cell is a missing reading (NaN), text or an infinite number is an
    error naming the line — nothing silently turned into a gap."""
    num = pd.to_numeric(values, errors="coerce")
    for bad, why in ((num.isna() & values.notna(), "is not a number"), (pd.Series(np.isinf(num.to_numpy(float))),
                                                                         "is infinite, expected a finite number")):
        if bad.any():
            line = int(bad.to_numpy().argmax()) + 2
            raise MeterFileError(f"{path}: line {line}: {what} {excerpt(values.iloc[line - 2], 12)} {why}")
    return num


def _convert(num: pd.Series, unit: str, quantity: str, path: Path, what: str) -> np.ndarray:
    try:
        with np.errstate(over="ignore"):  # an overflow becomes inf, refused below with its line
            out = to_canonical(num.to_numpy(float), unit, quantity)
    except UnitError as exc:  # its message quotes the unit whole, and the unit may be a cell of the file:
        # kept only when the unit is short and plain (then the excerpt is the unit itself)
        why = str(exc) if excerpt(unit, 12) == repr(str(unit)) else f"unit {excerpt(unit, 12)} not understood"
        raise MeterFileError(f"{path}: {why} (for {what})") from None
    inf = np.isinf(out)
    if inf.any():
        raise MeterFileError(f"{path}: line {int(inf.argmax()) + 2}: {what} too large once converted")
    return out


def _index(df: pd.DataFrame, path: Path, candidates) -> pd.DatetimeIndex:
    col = next((c for c in candidates if c in df), None)
    if col is None:
        raise MeterFileError(f"{path}: no time column (expected one of {candidates}; found {_columns(df)})")
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
    times = ("start", "time", "timestamp", "timestamp_utc", "date", "dt")
    idx = _index(df, path, times)
    if "value" not in df:
        others = [c for c in df.columns if c not in times and c != "unit"]
        if len(others) != 1:  # two value columns, or none: which one is the meter's cannot be told
            raise MeterFileError(f"{path}: no 'value' column (found {_columns(df)})")
        df = df.rename(columns={others[0]: "value"})  # a time and one meter's column (opengrid's layout)
    unit = unit or (str(df["unit"].iloc[0]) if "unit" in df else None)
    if unit is None:
        raise MeterFileError(f"{path}: the unit of the readings is not given (a 'unit' column or --unit: kWh, Wh, "
                             "MWh, therm, MJ)")
    kwh = _convert(_numbers(df["value"], path, "value"), unit, "gas_energy", path, "the readings")
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
            raise MeterFileError(f"{path}: temperature unit {excerpt(unit, 12)} not understood (expected C or F)")
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
                             f"found {_columns(df)})")
    num = _numbers(values, path, "temperature")
    degc = _convert(num, TEMPERATURE_UNITS.get(unit, unit), "air_temperature", path, "the temperatures")
    odd = ~np.isnan(degc) & ((degc < AIR_TEMPERATURE_C[0]) | (degc > AIR_TEMPERATURE_C[1]))
    if odd.any():  # 500 °C fitted a heating slope without a word
        line = int(odd.argmax()) + 2
        raise MeterFileError(f"{path}: line {line}: air temperature {degc[line - 2]:g} °C is outside "
                             f"{AIR_TEMPERATURE_C[0]:g}…{AIR_TEMPERATURE_C[1]:g} °C (a wrong unit or column?)")
    t = pd.Series(degc, index=idx, name="degC")
    return t.tz_convert(tz) if tz else t
