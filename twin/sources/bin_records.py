"""Read litter-bin collection records: one row per collection, the fill level just before it.

The format is the one the City of Edinburgh's bin sensors publish (open data, OGL v3):
``site`` (bin id), ``collected_at`` (local time), ``fill_before_pct`` and ``fill_after_pct``
(sensor percent; Edinburgh's sensor says 100 % when the bin is about 80 % physically full),
plus optional ``site_name`` / ``address`` (used as the bin's location *group* for pooling),
``volume_l`` and ``weight_kg``. Column aliases are accepted for ``bin_id``, ``time``, ``fill_pct``.

Rules (nothing is silently dropped):

* fill levels above 100 % or below 0 % are **kept, flagged** (``quality = "out_of_range"``) and
  said in :attr:`BinRecords.warnings`; the fit clips them to [0, 100] and counts them;
* within one bin, timestamps must run one way (the whole file ascending, or descending as
  Edinburgh's export is): a time that goes back names its line; two records of one bin at the
  same time are an error too;
* unparsable times or fill levels name their line and column; times with a UTC offset and times
  without one in the same file are refused (the first is UTC, the second local: they cannot be ordered).

Messages name the file, the line, the column and what was expected, never a value of the file (a file
named by mistake — a ``.env``, ``/etc/…`` — must not be quoted in an error). The file is read once,
bounded by :data:`twin.sources.safe_files.MAX_INPUT_BYTES` as stored and, for ``.gz``, once decompressed.

:func:`collections_from_levels` turns an hourly fill-level sensor series (the Redon seed) into
the same records by detecting the emptyings.
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

ALIASES = {"site": ("site", "bin_id", "bin", "sensor_id"),
           "collected_at": ("collected_at", "time", "timestamp", "collection_time"),
           "fill_before_pct": ("fill_before_pct", "fill_pct", "fill_level_pct", "fill_before")}


class BinRecordsError(TwinError, ValueError):
    """A collection-records file that cannot be used; the message names the file and line."""


@dataclass
class BinRecords:
    """Collections sorted by (site, time) with ``site, group, collected_at, fill_before_pct,
    fill_after_pct, quality``; ``warnings`` says what was flagged."""

    frame: pd.DataFrame
    source: str
    warnings: list[str] = field(default_factory=list)

    @property
    def sites(self) -> np.ndarray:
        return self.frame["site"].unique()


def _column(df: pd.DataFrame, key: str, path) -> str:
    for name in ALIASES[key]:
        if name in df.columns:
            return name
    # the header is a line of the file: counted, not quoted
    raise BinRecordsError(f"{path}: no column for {key!r} (expected one of {list(ALIASES[key])} in the header, "
                          f"which has {len(df.columns)} column(s) and none of these names)")


def read_bin_records(path: str | Path, bins: set | None = None) -> BinRecords:
    """Read and validate a collection-records CSV (gzip allowed).

    ``bins``: when given, the ids of the territory's bins; a record of any other bin is an error.
    """
    path = Path(path)
    try:  # a regular file, <= MAX_INPUT_BYTES as stored and once decompressed, UTF-8
        text = read_input_text(path, what="collection records", max_bytes=MAX_INPUT_BYTES)
    except InputFileError as exc:
        raise BinRecordsError(str(exc)) from None
    try:
        with warnings.catch_warnings():
            # index_col=False: a record with more fields than the header is an error, not shifted into an index
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # a French spreadsheet's CSV: semicolons between columns, the decimal comma within (« 70,5 »)
            french = separator(text) == ";"
            raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False,
                              sep=separator(text))
            if french:
                numbers = {*ALIASES["fill_before_pct"], "fill_after_pct"}  # the fill columns, by any of their names
                for c in [c for c in raw.columns if c.strip() in numbers or c.strip().endswith(("_pct", "_l", "_kg"))]:
                    raw[c] = raw[c].str.replace(r"^\s*([+-]?\d+),(\d+)\s*$", r"\1.\2", regex=True)
    except pd.errors.EmptyDataError:
        raise BinRecordsError(f"{path}: empty file (expected a CSV header and one record per line)") from None
    except pd.errors.ParserWarning:
        raise BinRecordsError(f"{path}: a record has more fields than the header; expected comma-separated "
                              "columns, the same number on every line") from None
    except pd.errors.ParserError as exc:  # the tokenizer names a line (1-based) or a row (0-based); keep only that
        msg = str(exc)
        line = re.search(r"in line (\d+)", msg)
        row = re.search(r"at row (\d+)", msg)
        where = f" at line {line.group(1)}" if line else f" at line {int(row.group(1)) + 1}" if row else ""
        raise BinRecordsError(f"{path}: not a readable CSV (malformed{where}; expected columns separated by commas "
                              "(or by semicolons all through), the same number on every line, quotes closed)") from None
    return records_from_frame(raw, str(path), bins=bins)


def records_from_frame(raw: pd.DataFrame, source: str = "<frame>", bins: set | None = None) -> BinRecords:
    """Validate a frame with the columns of :func:`read_bin_records` (strings or typed)."""
    if raw.empty:
        raise BinRecordsError(f"{source}: no records")
    site_c, time_c, fill_c = (_column(raw, k, source) for k in ("site", "collected_at", "fill_before_pct"))
    line = pd.Series(np.arange(len(raw)) + 2, index=raw.index)  # line 1 is the header
    site = raw[site_c].astype(str).str.strip()
    if (site == "").any():
        raise BinRecordsError(f"{source}, line {line[site == ''].iloc[0]}: empty bin id in column {site_c!r}")
    if bins is not None:
        unknown = ~site.isin({str(b) for b in bins})
        if unknown.any():
            raise BinRecordsError(f"{source}, line {line[unknown].iloc[0]}: the bin id in column {site_c!r} is not "
                                  f"a bin of the territory ({int(site[unknown].nunique())} unknown bin id(s) on "
                                  f"{int(unknown.sum())} line(s); expected the ids of the territory's bins layer)")
    time = _parse_times(raw[time_c], line, source, time_c)
    fills = {}
    for col, default in ((fill_c, None), ("fill_after_pct", 0.0)):
        if col not in raw.columns:
            fills[col] = pd.Series(default, index=raw.index, dtype=float)
            continue
        v = pd.to_numeric(raw[col], errors="coerce")
        bad = v.isna() | ~np.isfinite(v)
        if bad.any():
            raise BinRecordsError(f"{source}, line {line[bad].iloc[0]}: fill level in column {col!r} is not a "
                                  f"finite number (expected percent, 0–100)")
        fills[col] = v.astype(float)
    before, after = fills[fill_c], fills["fill_after_pct"]
    _check_order(site, time, line, source)
    group_c = next((c for c in ("group", "address", "site_name") if c in raw.columns), None)
    group = raw[group_c].astype(str).str.strip().str.lower() if group_c else pd.Series("all", index=raw.index)
    out_of_range = (before > 100) | (before < 0) | (after > 100) | (after < 0)
    frame = pd.DataFrame({"site": site, "group": group, "collected_at": time, "fill_before_pct": before,
                          "fill_after_pct": after, "quality": np.where(out_of_range, "out_of_range", "ok"),
                          "interval_ok": True, "line": line})
    warnings = []
    if out_of_range.any():
        lines = line[out_of_range].tolist()
        warnings.append(f"{source}: {int(out_of_range.sum())} fill level(s) outside 0–100 % kept and flagged "
                        f"'out_of_range' (clipped to 0–100 for fitting), lines {lines[:10]}"
                        + (" …" if len(lines) > 10 else ""))
    frame = frame.sort_values(["site", "collected_at"], kind="stable").reset_index(drop=True)
    return BinRecords(frame, source, warnings)


_DAY_OR_MONTH_FIRST = re.compile(r"\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")
"""A date written 04/03/2024, 4.3.24 or 04-03-2024: its day and month order is the reader's guess."""
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}(?::?\d{2})?)\s*$")


def _parse_times(values: pd.Series, line: pd.Series, source: str, column: str) -> pd.Series:
    """Naive timestamps: local times as written, times with a UTC offset converted to UTC."""
    if pd.api.types.is_datetime64_any_dtype(values):  # a typed frame (records_from_frame)
        time = values
        if time.isna().any():
            raise BinRecordsError(f"{source}, line {line[time.isna()].iloc[0]}: missing time in column {column!r}")
        return time.dt.tz_convert(None) if time.dt.tz is not None else time
    text = values.astype(str)
    # « 04/03/2024 » is 4 March to pandas and 3 April to a French reader: refused, never guessed (read month
    # first, a syndicat's file gave « held out from 2024-10-21 » and a fill rate of 0.01 %/h, no warning);
    # a date with the year first (2024-03-04, 2024/03/04, 20240304T0800) is read as before
    day_first = text.str.match(_DAY_OR_MONTH_FIRST)
    if day_first.any():
        raise BinRecordsError(f"{source}, line {line[day_first].iloc[0]}: the time in column {column!r} starts with "
                              "a day or a month; expected the year first, e.g. 2024-03-04 08:00 (04/03/2024 reads as "
                              f"4 March or as 3 April); {int(day_first.sum())} line(s) of the file are written so")
    try:
        time = pd.to_datetime(text, errors="coerce", format="mixed")
    except (ValueError, OverflowError):  # offsets differ (summer/winter) or some times have one and some not
        aware = text.str.contains(_OFFSET)
        if not aware.all():
            raise BinRecordsError(f"{source}, line {line[~aware].iloc[0]}: a time without UTC offset in column "
                                  f"{column!r}, among times with one (line {line[aware].iloc[0]}); give every "
                                  "time an offset, or none") from None
        time = pd.to_datetime(text, errors="coerce", format="mixed", utc=True)
    if time.isna().any():
        raise BinRecordsError(f"{source}, line {line[time.isna()].iloc[0]}: unreadable time in column {column!r} "
                              "(expected a date and time, e.g. 2016-06-03 08:00 or 2016-06-03T08:00:00+01:00)")
    if getattr(time.dt, "tz", None) is not None:
        time = time.dt.tz_convert(None)
    return time


def _check_order(site: pd.Series, time: pd.Series, line: pd.Series, source: str) -> None:
    """Every bin's times run the same way as the file's (ascending or descending); no repeats."""
    d = pd.DataFrame({"site": site, "t": time, "line": line})
    by_bin = d.groupby("site", sort=False)
    step = by_bin["t"].diff().dt.total_seconds()
    previous = by_bin["line"].shift()  # the line of the same bin's record before, in the file's order
    if (step == 0).any():
        bad = (step == 0).idxmax()
        raise BinRecordsError(f"{source}, line {line[bad]}: two records of this bin at the same time (the other "
                              f"at line {int(previous[bad])})")
    # the file's direction is its majority (ties: ascending); the odd ones out are the errors
    direction = 1.0 if (step > 0).sum() >= (step < 0).sum() else -1.0
    wrong = step.notna() & (np.sign(step) != direction)
    if wrong.any():
        bad = wrong.idxmax()
        order = "ascending" if direction > 0 else "descending"
        raise BinRecordsError(f"{source}, line {line[bad]}: time out of order for this bin (after line "
                              f"{int(previous[bad])}; the file's times run {order} within each bin)")


def collections_from_levels(levels: pd.Series, site: str, group: str = "all", min_drop_pct: float = 8.0
                            ) -> pd.DataFrame:
    """Collection records from a fill-level series (%, any cadence): an emptying is a drop between
    consecutive readings of at least ``min_drop_pct`` points (about 3 sensor noise sd) and at least half
    the level before it (a lightly used bin emptied at 20 % must not be missed); the record's fill is the last reading before
    the drop and its ``fill_after_pct`` the first after. The collection time is the first reading after.

    A gap in the series (a failed sensor) inside an interval makes that interval unusable: its
    record is kept with ``interval_ok = False``, since the fill it reached is not observed whole.
    """
    s = levels.dropna().sort_index()
    v = s.to_numpy(float)
    t = s.index
    if t.tz is not None:
        t = t.tz_convert(None)
    fall = v[:-1] - v[1:]
    drops = np.flatnonzero((fall >= min_drop_pct) & (fall >= 0.5 * v[:-1]))
    rows = pd.DataFrame({"site": site, "group": group, "collected_at": t[drops + 1],
                         "fill_before_pct": v[drops], "fill_after_pct": v[drops + 1]})
    step = np.diff(t.asi8) / 3.6e12
    cadence = np.median(step) if len(step) else 1.0
    gap_after = np.flatnonzero(step > 3 * cadence)
    ok = np.ones(len(rows), bool)
    if len(gap_after):
        # a gap before the k-th emptying (and after the previous one) breaks interval k
        bad = np.searchsorted(drops, gap_after, side="left")
        ok[np.unique(bad[bad < len(drops)])] = False
    rows["interval_ok"] = ok
    return rows
