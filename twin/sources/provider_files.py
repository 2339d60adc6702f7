"""What the readers of French providers' files (Hub'Eau, Vigicrues, Météo-France) share.

Each reader turns one file into a :class:`ProviderBatch`: the sensors it holds, ready for
:meth:`twin.sensors.SensorStore.register` (``native_unit`` the provider's unit), and their
observations in the store's long layout (``sensor_id, time, value, unit, quality, line``), so the
store converts the units, checks the physical ranges and keeps the quality flags as for any import.
Nothing is dropped: an empty value is kept as ``missing``, a value the provider doubts as
``suspect``; a line the reader cannot understand is an error naming the file, the line and the
field, and nothing is written.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from twin.errors import TwinError
from twin.sources.safe_files import InputFileError, excerpt, read_input_bytes

GOOD, SUSPECT, OUT_OF_RANGE, MISSING = "good", "suspect", "out_of_range", "missing"  # the store's names (twin.sensors)
QUALITY_BY_CODE = {0: GOOD, 1: SUSPECT, 2: OUT_OF_RANGE, 3: MISSING}
"""The store's quality codes and names (``twin.sensors.QUALITY_NAMES``, a layer the readers do not import;
``tests/test_platform_formats.py`` checks they agree): what the writers of platform formats send."""


class ProviderFileError(TwinError, ValueError):
    """A provider's file that cannot be read; the message names the file, the line and the field."""


@dataclass
class ProviderBatch:
    """Sensors (registry rows) and their observations (long layout, with the file's ``line`` numbers)."""

    sensors: pd.DataFrame
    observations: pd.DataFrame
    provider: str
    notes: list[str] = field(default_factory=list)
    """What the reader saw and did not turn into observations (gaps, tables not imported…), said to the user."""

    def __str__(self) -> str:
        return f"{self.provider}: {len(self.sensors)} sensor(s), {len(self.observations)} observation(s)"

    MAIN_SUFFIXES = ("-load", "-daily")
    """Of a meter's several sensors, the one a name given by the user names (the consumption)."""

    def named(self, sensor_id: str | None) -> "ProviderBatch":
        """The batch with its sensor called ``sensor_id`` (``twin sensors import --sensor``): the file's one
        sensor, or of one meter's several (an Enedis index: its daily use and its register; GRDF: its gas
        days and its periods) the consumption, the others ``<sensor_id>-<what>``. A file of several meters
        or stations cannot take one name: an error says so."""
        if not sensor_id:
            return self
        ids = list(self.sensors["sensor_id"])
        if len(ids) == 1:
            main = ids[0]
        else:
            stems = {i.rsplit("-", 1)[0] for i in ids}
            mains = [i for i in ids if i.endswith(self.MAIN_SUFFIXES)]
            if len(stems) != 1 or len(mains) != 1:
                raise ProviderFileError(f"--sensor {sensor_id}: the file holds {len(ids)} sensors "
                                        f"({', '.join(ids[:4])}{' …' if len(ids) > 4 else ''}); a name can only be "
                                        "given to a file of one meter")
            main = mains[0]
        mapping = {i: sensor_id if i == main else f"{sensor_id}-{i.rsplit('-', 1)[1]}" for i in ids}
        sensors = self.sensors.assign(sensor_id=self.sensors["sensor_id"].map(mapping))
        obs = self.observations.assign(sensor_id=self.observations["sensor_id"].map(mapping))
        return ProviderBatch(sensors, obs, self.provider, list(self.notes))


def read_bytes(path, what: str) -> bytes:
    """The file's bytes (a regular file of at most 50 MB, gunzipped when it is a .gz)."""
    try:
        raw = read_input_bytes(path, what=what)
    except InputFileError as exc:
        raise ProviderFileError(str(exc)) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ProviderFileError(f"{path}: a damaged gzip file ({type(exc).__name__})") from None
    return raw


def read_table(path, raw: bytes, *, sep: str | None = None) -> pd.DataFrame:
    """A CSV as text columns (``;`` or ``,`` separated, guessed from the header when ``sep`` is None)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # Météo-France's older files
    header = text.split("\n", 1)[0]
    if sep is None:
        sep = ";" if header.count(";") >= header.count(",") else ","
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
        why = str(exc).split(". ")[-1][:120] if isinstance(exc, pd.errors.ParserError) else "empty"
        raise ProviderFileError(f"{path}: not a readable CSV ({why})") from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def read_json(path, raw: bytes):
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ProviderFileError(f"{path}: not readable JSON{where}") from None
    except RecursionError:
        raise ProviderFileError(f"{path}: JSON nested too deep to be a provider's file") from None


def rows_text(df: pd.DataFrame, mask) -> str:
    """Where the rows of a boolean mask are: "line(s) …" of a CSV (the header is line 1) or "record(s) …" of a
    JSON list (from 1); at most five, then how many."""
    records = bool(df.attrs.get("records"))
    idx = np.flatnonzero(np.asarray(mask)) + (1 if records else 2)
    more = f" … ({len(idx)} in all)" if len(idx) > 5 else ""
    return ("record(s) " if records else "line(s) ") + ", ".join(map(str, idx[:5])) + more


def require(df: pd.DataFrame, path, columns, expected: str) -> None:
    missing = [c for c in columns if c not in df]
    if missing:
        where = "the records lack" if df.attrs.get("records") else "line 1 lacks"
        raise ProviderFileError(f"{path}: {where} the field(s) {', '.join(missing)} ({expected})")


def numbers(df: pd.DataFrame, column: str, path, *, allow_empty: bool = True) -> np.ndarray:
    """A column of numbers (decimal point or comma); empty cells are NaN when allowed, else an error."""
    text = df[column].astype(str).str.strip()
    values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").to_numpy(float)
    empty = (text == "") | text.str.lower().isin(["null", "none", "nan"])
    bad = np.isnan(values) & ~(empty.to_numpy() & allow_empty)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: {column} {excerpt(text.iloc[first])} is not a "
                                "number")
    return values


def times_utc(df: pd.DataFrame, column: str, path, *, fmt: str | None = None, what: str = "") -> pd.Series:
    """A column of times in UTC (ISO 8601 with or without an offset; without, read as UTC)."""
    text = df[column].astype(str).str.strip()
    parsed = pd.to_datetime(text, format=fmt or "ISO8601", errors="coerce", utc=True)
    bad = parsed.isna().to_numpy()
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: {column} {excerpt(text.iloc[first])} is not "
                                f"a time ({what or 'ISO 8601, e.g. 2024-01-15T06:00:00Z'})")
    return parsed


def observations(sensor_ids, times, values, unit, quality, lines) -> pd.DataFrame:
    """The long layout the store ingests; an empty value is ``missing`` whatever its flag."""
    values = np.asarray(values, float)
    quality = np.where(np.isnan(values), MISSING, np.asarray(quality, dtype=object))
    return pd.DataFrame({"sensor_id": np.asarray(sensor_ids, dtype=object), "time": pd.DatetimeIndex(times),
                         "value": values, "unit": unit if isinstance(unit, str) else np.asarray(unit, dtype=object),
                         "quality": quality, "line": np.asarray(lines, int)})


def as_batch(provider: str, sensors: list[dict], obs: list[pd.DataFrame]) -> ProviderBatch:
    frame = pd.concat(obs, ignore_index=True) if obs else pd.DataFrame()
    return ProviderBatch(pd.DataFrame(sensors).drop_duplicates("sensor_id").reset_index(drop=True), frame, provider)
