"""Read car-park occupancy counts: one row per car park and reading.

The layout is Birmingham's open data (UCI "Parking Birmingham", CC BY 4.0; Stolfi, Alba & Yao 2017):
``SystemCodeNumber`` (the car park), ``Capacity`` (spaces), ``Occupancy`` (cars in it) and
``LastUpdated`` (local time, ``YYYY-MM-DD HH:MM:SS``). Aliases are accepted for each column
(``car_park``, ``capacity``, ``occupancy``, ``time``).
Columns are separated by commas, or by semicolons all through (a French spreadsheet's CSV).

Rules (nothing is silently dropped):

* a line whose car park is empty, whose capacity is not a positive whole number, whose occupancy is
  not a whole number or whose time cannot be read is an **error** naming the file, the line and the
  column (never the value: a file named by mistake must not be quoted);
* readings a counter cannot give are **cleaned and reported** (:class:`CleaningReport`): a negative
  occupancy is dropped, an occupancy above capacity is clipped to full (Birmingham's counters exceed
  capacity by up to 4 %: cars on non-marked spaces or a missed exit), a second reading of one car park
  at the same time is dropped (the first one not dropped already kept). The report names the car parks and lines of each.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from twin.errors import TwinError
from twin.csv_dialect import separator
from twin.sources.safe_files import MAX_INPUT_BYTES, InputFileError, read_input_text

ALIASES = {"car_park": ("SystemCodeNumber", "car_park", "carpark", "site"),
           "capacity": ("Capacity", "capacity", "spaces"),
           "occupancy": ("Occupancy", "occupancy", "occupied"),
           "time": ("LastUpdated", "time", "timestamp")}


class OccupancyFileError(TwinError, ValueError):
    """An occupancy file that cannot be used; the message names the file, line and column."""


@dataclass
class CleaningReport:
    """What was cleaned in an occupancy file, with the lines of each case (1-based, the header is line 1)."""

    rows_read: int
    negative: dict = field(default_factory=dict)  # car park → lines dropped (occupancy < 0)
    over_capacity: dict = field(default_factory=dict)  # car park → lines clipped to capacity
    duplicates: dict = field(default_factory=dict)  # car park → lines dropped (same car park, same time)
    capacity_changes: dict = field(default_factory=dict)  # car park → capacities seen (each reading keeps its own)
    notes: list = field(default_factory=list)  # anything else said of the readings (a store's sensors)

    @property
    def rows_kept(self) -> int:
        return self.rows_read - sum(map(len, self.negative.values())) - sum(map(len, self.duplicates.values()))

    def to_dict(self) -> dict:
        def lines(table):
            return {k: {"count": len(v), "lines": v[:20]} for k, v in sorted(table.items())}
        return {"rows_read": self.rows_read, "rows_kept": self.rows_kept,
                "negative_dropped": lines(self.negative), "over_capacity_clipped": lines(self.over_capacity),
                "duplicates_dropped": lines(self.duplicates),
                "capacity_changes": {k: v for k, v in sorted(self.capacity_changes.items())}, "notes": self.notes}

    def lines(self) -> list[str]:
        """The report in sentences, one per kind of cleaning (empty when nothing was cleaned)."""
        out = []
        for table, what in ((self.negative, "negative occupancy, dropped"),
                            (self.over_capacity, "occupancy above capacity, clipped to full"),
                            (self.duplicates, "second reading at the same time, dropped")):
            if table:
                n = sum(map(len, table.values()))
                parks = ", ".join(f"{k} ({len(v)})" for k, v in sorted(table.items()))
                out.append(f"{n} reading(s) with {what}: {parks}")
        return out + list(self.notes)


@dataclass
class Occupancy:
    """Readings sorted by (car_park, time): ``car_park, capacity, occupancy, rate, time, line``."""

    frame: pd.DataFrame
    source: str
    report: CleaningReport

    @property
    def car_parks(self) -> list[str]:
        return sorted(self.frame["car_park"].unique())


def _column(raw: pd.DataFrame, key: str, source: str) -> str:
    for name in ALIASES[key]:
        if name in raw.columns:
            return name
    raise OccupancyFileError(f"{source}: no column for {key!r} (expected one of {list(ALIASES[key])} in the header)")


def read_occupancy(path: str | Path) -> Occupancy:
    """Read, validate and clean an occupancy CSV (gzip allowed) in Birmingham's layout."""
    path = Path(path)
    try:
        text = read_input_text(path, what="occupancy counts", max_bytes=MAX_INPUT_BYTES)
    except InputFileError as exc:
        raise OccupancyFileError(str(exc)) from None
    try:
        with warnings.catch_warnings():
            # a line with more fields than the header is an error, not a field dropped; blank lines are kept
            # (and refused below) so that every error names the file's own line
            warnings.simplefilter("error", pd.errors.ParserWarning)
            raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False,
                              skip_blank_lines=False, sep=separator(text))  # a French spreadsheet's « ; » too
    except pd.errors.ParserWarning:
        raise OccupancyFileError(f"{path}: a line has more fields than the header; expected the four columns "
                                 "SystemCodeNumber,Capacity,Occupancy,LastUpdated on every line") from None
    except pd.errors.EmptyDataError:
        raise OccupancyFileError(f"{path}: empty file (expected the header "
                                 "SystemCodeNumber,Capacity,Occupancy,LastUpdated and one reading per line)") from None
    except pd.errors.ParserError:
        raise OccupancyFileError(f"{path}: not a readable CSV (expected columns separated by commas, or by "
                                 "semicolons all through, the same number on every line)") from None
    return occupancy_from_frame(raw, str(path))


_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_FRENCH_TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}(:\d{2})?$")


def _local_times(text: pd.Series) -> pd.Series:
    """Local times written ISO (``2024-03-04 08:30:00``) or day first as a French spreadsheet exports them
    (``04/03/2024 08:30``: the 4th of March, never the 3rd of April); NaT for anything else (an offset,
    a date alone, a word), which the caller refuses."""
    iso = pd.to_datetime(text.where(text.str.match(_TIME)), errors="coerce", format="ISO8601")
    french = text.where(text.str.match(_FRENCH_TIME))
    for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"):
        iso = iso.fillna(pd.to_datetime(french, errors="coerce", format=fmt))
    return iso
MAX_COUNT = 1_000_000
"""Largest capacity or count read (the largest car parks hold a few thousand spaces)."""


def _whole(raw: pd.Series, line: pd.Series, source: str, column: str, what: str) -> pd.Series:
    v = pd.to_numeric(raw.str.strip(), errors="coerce")
    bad = v.isna() | ~np.isfinite(v) | (v.abs() > MAX_COUNT)
    bad |= ~bad & (v != np.round(v))
    if bad.any():
        raise OccupancyFileError(f"{source}, line {line[bad].iloc[0]}: column {column!r} is not a whole number "
                                 f"(expected {what}; {int(bad.sum())} such line(s))")
    return v.astype(np.int64)


def occupancy_from_frame(raw: pd.DataFrame, source: str = "<frame>") -> Occupancy:
    """Validate and clean a frame with the columns of :func:`read_occupancy` (strings)."""
    if raw.empty:
        raise OccupancyFileError(f"{source}: no readings")
    raw = raw.astype(str)
    blank = (raw.apply(lambda col: col.str.strip()) == "").all(axis=1)
    if blank.any():
        raise OccupancyFileError(f"{source}, line {int(np.flatnonzero(blank.to_numpy())[0]) + 2}: an empty line "
                                 "(expected one reading per line)")
    park_c, cap_c, occ_c, time_c = (_column(raw, k, source) for k in ("car_park", "capacity", "occupancy", "time"))
    line = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    park = raw[park_c].str.strip()
    if (park == "").any():
        raise OccupancyFileError(f"{source}, line {line[park == ''].iloc[0]}: empty car park in column {park_c!r}")
    capacity = _whole(raw[cap_c], line, source, cap_c, "the number of spaces, > 0")
    if (capacity <= 0).any():
        raise OccupancyFileError(f"{source}, line {line[capacity <= 0].iloc[0]}: column {cap_c!r} must be a positive "
                                 "number of spaces")
    occupancy = _whole(raw[occ_c], line, source, occ_c, "the number of cars parked")
    time = _local_times(raw[time_c].str.strip())
    if time.isna().any():  # a UTC offset, a word ("now"), a date alone: refused, never guessed
        raise OccupancyFileError(f"{source}, line {line[time.isna()].iloc[0]}: column {time_c!r} is not a local "
                                 "time (expected YYYY-MM-DD HH:MM:SS, or DD/MM/YYYY HH:MM:SS as a French "
                                 "spreadsheet writes it, without a UTC offset)")
    frame = pd.DataFrame({"car_park": park, "capacity": capacity, "occupancy": occupancy, "time": time,
                          "line": line}).sort_values(["car_park", "time", "line"], kind="stable")
    report = CleaningReport(rows_read=len(frame))

    def by_park(mask):
        return {k: v.tolist() for k, v in frame.loc[mask, "line"].groupby(frame.loc[mask, "car_park"])}

    negative = frame["occupancy"] < 0
    # the first reading kept among those not dropped already: a valid reading after a negative one at the
    # same time was dropped as its « duplicate », both lost
    duplicate = pd.Series(False, index=frame.index)
    duplicate[~negative] = frame[~negative].duplicated(["car_park", "time"], keep="first")
    over = (frame["occupancy"] > frame["capacity"]) & ~duplicate
    report.negative, report.duplicates, report.over_capacity = by_park(negative), by_park(duplicate), by_park(over)
    caps = frame.groupby("car_park")["capacity"].unique()
    report.capacity_changes = {k: sorted(int(c) for c in v) for k, v in caps.items() if len(v) > 1}
    frame = frame[~negative & ~duplicate].copy()
    frame["occupancy"] = frame["occupancy"].clip(upper=frame["capacity"])
    frame["rate"] = frame["occupancy"] / frame["capacity"]
    return Occupancy(frame.reset_index(drop=True), source, report)
