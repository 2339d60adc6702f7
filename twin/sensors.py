"""The sensor history store: a long table of observations in Parquet, queried with DuckDB.

Layout of a store directory::

    sensors.parquet            the registry: one row per sensor (quantity, unit, asset, location, synthetic?)
    observations/part-*.parquet  one file per ingested batch, rows sorted by (sensor_id, time)

Observations are ``(sensor_id, time [UTC], quantity, value [canonical unit], unit, quality)``.
Quality codes (kept with the value, as a real platform would):

====  ================  ====================================================
code  name              meaning
====  ================  ====================================================
0     GOOD              passed every check
1     SUSPECT           flagged by the data provider
2     OUT_OF_RANGE      outside the physical range of the quantity (kept, flagged)
3     MISSING           empty value in the file (kept so gaps are explicit)
====  ================  ====================================================

Rejected (the whole batch, nothing written): unknown or empty sensor id, unknown
unit or a unit of another dimension, a unit column where it cannot apply (wide
layout), unparsable time, ambiguous local time, a time before 1800 or more than a
day in the future, non-numeric value, a quality that is not one of the codes or
names above, two different values for one sensor and time (in the batch or
against the store; "different" means ``|a − b| > 1e-9·max(|a|, |b|) + 1e-12``
in the canonical unit, see :func:`same_value`). Every message names the file,
the line and the sensor.

Ingest is atomic and durable: a batch is validated in memory, written to a
temporary file, fsync-ed and renamed into place (then the directory is
fsync-ed), so a failure leaves the store exactly as it was and a reported batch
survives a power cut.

A store has one writer at a time: :meth:`SensorStore.writing` takes an OS lock
(``flock`` on ``.lock`` in the store) around every register and ingest, which
re-read the registry and the observations under it. A second writer waits up to
``lock_timeout`` seconds (default 60, or ``$TWIN_STORE_LOCK_TIMEOUT``), then fails
naming the store and the holder's pid. Temporary files of a killed writer
(``observations/.part-*``, ``.sensors.parquet.*``) are removed by the next
writer, or on open when no writer is active. Readers take no lock: they see each
batch whole or not at all.
"""

from __future__ import annotations

import csv
import os
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import xarray as xr

from twin.errors import TwinError
from twin.quantities import UnitError, quantity_info, to_canonical
from twin.storage import LockTimeout, WriterLock, atomic_file, temp_prefix

GOOD, SUSPECT, OUT_OF_RANGE, MISSING = 0, 1, 2, 3
QUALITY_NAMES = {GOOD: "good", SUSPECT: "suspect", OUT_OF_RANGE: "out_of_range", MISSING: "missing"}
REGISTRY_COLUMNS = ["sensor_id", "quantity", "unit", "native_unit", "asset_layer", "asset_id",
                    "lon", "lat", "name", "synthetic", "description"]
TIME_COLUMNS = ("time", "timestamp", "datetime", "date")
_TZ_SUFFIX = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
MAX_EXAMPLES = 5
QUALITY_CODES = {**{str(c): c for c in QUALITY_NAMES}, **{n: c for c, n in QUALITY_NAMES.items()}}
#: Observations before this are refused: a placeholder date (0001-01-01) or a mistyped year,
#: not a measurement (the longest French instrumental series start in the 18th century).
EARLIEST_TIME = pd.Timestamp("1800-01-01", tz="UTC")
#: How far past the moment of import a time may lie (clock offsets, time zones); later is refused.
FUTURE_MARGIN = pd.Timedelta(days=1)
#: Two values of one sensor and time are the same when ``|a − b| <= RTOL·max(|a|, |b|) + ATOL``
#: (canonical unit). RTOL covers the rounding of unit conversions (250 cm vs 2.5 m differ by
#: ~1e-16 relative; 273.16 K vs 0.01 °C by ~5e-12) and is far below any sensor's resolution.
SAME_VALUE_RTOL, SAME_VALUE_ATOL = 1e-9, 1e-12
DEFAULT_LOCK_TIMEOUT = 60.0
TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SensorDataError(TwinError, ValueError):
    """Bad sensor input; the message names the file, the line(s) and the sensor(s)."""


class StoreBusyError(SensorDataError):
    """Another process is writing the store and did not finish within the lock timeout."""


def same_value(a, b) -> np.ndarray:
    """Whether observed values ``a`` and ``b`` (canonical unit) count as the same observation.

    ``|a − b| <= SAME_VALUE_RTOL·max(|a|, |b|) + SAME_VALUE_ATOL``; two missing values are the
    same, a missing and a present one are not.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore"):
        close = np.abs(a - b) <= SAME_VALUE_RTOL * np.maximum(np.abs(a), np.abs(b)) + SAME_VALUE_ATOL
    return np.where(np.isnan(a) | np.isnan(b), np.isnan(a) & np.isnan(b), close)


@dataclass
class IngestReport:
    """What one ingest did."""

    origin: str
    rows_read: int = 0
    rows_written: int = 0
    sensors: list = field(default_factory=list)
    flagged: dict = field(default_factory=dict)  # quality name -> count
    duplicates_identical: int = 0
    already_in_store: int = 0
    file: str | None = None

    def __str__(self) -> str:
        flags = ", ".join(f"{v} {k}" for k, v in self.flagged.items() if v) or "none"
        return (f"{self.origin}: {self.rows_read} rows read, {self.rows_written} written for "
                f"{len(self.sensors)} sensor(s); flagged: {flags}; {self.duplicates_identical} identical "
                f"duplicate rows and {self.already_in_store} rows already in the store skipped")


def _problem(origin: str, lines, sensors, what: str, values=None) -> SensorDataError:
    lines = list(lines)
    sensors = list(sensors)
    examples = []
    for i in range(min(MAX_EXAMPLES, len(lines))):
        detail = f" ({values[i]!r})" if values is not None else ""
        examples.append(f"  {origin} line {lines[i]} (sensor {sensors[i]!r}){detail}")
    more = f"\n  … and {len(lines) - MAX_EXAMPLES} more" if len(lines) > MAX_EXAMPLES else ""
    return SensorDataError(f"{origin}: {what} on {len(lines)} line(s):\n" + "\n".join(examples) + more)


class SensorStore:
    """Registry of sensors and their observations, in a directory of Parquet files.

    Parameters
    ----------
    path : the store directory; created (empty) if it does not exist.
    lock_timeout : seconds a writer waits for another writer to finish before failing
        (default ``$TWIN_STORE_LOCK_TIMEOUT``, else 60).
    """

    def __init__(self, path: str | Path, *, lock_timeout: float | None = None):
        self.path = Path(path)
        self.obs_dir.mkdir(parents=True, exist_ok=True)
        self._registry: pd.DataFrame | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        if lock_timeout is None:
            text = os.environ.get("TWIN_STORE_LOCK_TIMEOUT", str(DEFAULT_LOCK_TIMEOUT))
            try:
                lock_timeout = float(text)
            except ValueError:
                raise SensorDataError(f"TWIN_STORE_LOCK_TIMEOUT={text!r}: expected a number of seconds") from None
        self._lock = WriterLock(self.path, timeout=lock_timeout, what="sensor store")
        self.cleaned: list[Path] = []  # leftovers of killed writers removed by this instance
        if self._leftovers():
            # Only safe when no writer is active (its temporary files are live): try, don't wait.
            try:
                with self.writing(timeout=0):
                    pass
            except StoreBusyError:
                pass

    # ------------------------------------------------------------------ writer lock
    def _leftovers(self) -> list[Path]:
        return sorted([*self.obs_dir.glob(".part-*"), *self.path.glob(temp_prefix(self.registry_path) + "*")])

    @contextmanager
    def writing(self, *, timeout: float | None = None):
        """Hold the store's writer lock: registers and ingests inside form one atomic step
        with respect to other processes (they wait). Re-entrant.

        On entry the registry is re-read and leftovers of killed writers are removed.
        Raises :class:`StoreBusyError` when another writer holds the lock for longer than
        ``timeout`` seconds (default: the store's ``lock_timeout``).
        """
        try:
            self._lock.acquire(timeout)
        except LockTimeout as exc:
            raise StoreBusyError(str(exc)) from None
        except OSError as exc:  # read-only or missing directory: say so instead of a traceback
            raise SensorDataError(f"{self.path}: cannot lock the sensor store for writing "
                                  f"({exc.strerror or exc})") from None
        try:
            if self._lock.depth == 1:  # outermost: state may have changed since the last write
                self._registry = None  # another process may have changed it
                for p in self._leftovers():
                    p.unlink(missing_ok=True)
                    self.cleaned.append(p)
            yield self
        finally:
            self._lock.release()

    # ------------------------------------------------------------------ layout
    @property
    def obs_dir(self) -> Path:
        return self.path / "observations"

    @property
    def registry_path(self) -> Path:
        return self.path / "sensors.parquet"

    def _obs_files(self) -> list[Path]:
        return sorted(self.obs_dir.glob("part-*.parquet"))

    # ------------------------------------------------------------------ registry
    @property
    def sensors(self) -> pd.DataFrame:
        """The registry, one row per sensor (see ``REGISTRY_COLUMNS``)."""
        if self._registry is None:
            if self.registry_path.exists():
                self._registry = pd.read_parquet(self.registry_path)
            else:
                self._registry = pd.DataFrame({c: pd.Series(dtype=object) for c in REGISTRY_COLUMNS})
        return self._registry

    def register(self, sensors: pd.DataFrame | list[dict], *, origin: str = "<sensors>") -> pd.DataFrame:
        """Register sensors; each needs ``sensor_id`` and ``quantity``, optionally ``native_unit``
        (the unit its files use; default the quantity's unit), ``asset_layer``, ``asset_id``,
        ``lon``, ``lat`` (WGS84 degrees), ``name``, ``synthetic`` (true/false/yes/no/1/0, empty
        = false), ``description``. ``unit``, if given, must be the quantity's canonical unit
        (the one the store keeps); the unit of the files goes in ``native_unit``.

        Every row is checked before anything is written (ids non-empty without control
        characters, known quantity and unit, coordinates in range, booleans readable);
        other columns are refused rather than dropped. Re-registering an identical sensor
        is a no-op; a different definition under an existing id is an error (a sensor's
        meaning must not change under its history).
        """
        new = _check_registry(pd.DataFrame(sensors).copy(), origin)
        with self.writing():
            current = self.sensors
            known = current.set_index("sensor_id")
            keep_new = []
            for i, row in new.iterrows():
                sid = row["sensor_id"]
                if sid in known.index:
                    old = known.loc[sid]
                    if old["quantity"] != row["quantity"] or old["native_unit"] != row["native_unit"]:
                        raise SensorDataError(
                            f"{origin} line {row['line']}: sensor {sid!r} is already registered as "
                            f"{old['quantity']} in {old['native_unit']}, not {row['quantity']} in "
                            f"{row['native_unit']}")
                    changed = [c for c in REGISTRY_COLUMNS[1:] if not _same_field(old[c], row[c])]
                    if changed:
                        shown = "; ".join(f"{c}: {_show(old[c])} registered, {_show(row[c])} given" for c in changed)
                        raise SensorDataError(
                            f"{origin} line {row['line']}: sensor {sid!r} is already registered with other "
                            f"metadata ({shown}); a sensor's definition is not changed by re-registering")
                    continue
                keep_new.append(i)
            if keep_new:
                added = new.loc[keep_new, REGISTRY_COLUMNS]
                merged = pd.concat([current, added], ignore_index=True) if len(current) else \
                    added.reset_index(drop=True)
                with atomic_file(self.registry_path) as tmp:
                    merged.to_parquet(tmp, index=False)
                self._registry = merged
            return self.sensors

    def register_csv(self, path: str | Path) -> pd.DataFrame:
        """Register the sensors listed in a CSV file (columns as in :meth:`register`)."""
        path = Path(path)
        return self.register(_read_csv(path), origin=str(path))

    # ------------------------------------------------------------------ ingest
    def ingest_csv(self, path: str | Path, *, sensor_id: str | None = None, unit: str | None = None,
                   timezone: str = "UTC", out_of_range: str = "flag") -> IngestReport:
        """Ingest observations from a CSV file.

        Accepted layouts:

        * long: ``sensor_id, time, value[, unit][, quality]``;
        * one sensor per file: ``time, value[, unit]`` with ``sensor_id=`` given;
        * wide: ``time`` then one column per registered sensor id.

        Times are ISO 8601; those without a UTC offset are read in ``timezone``
        (e.g. ``"Europe/Paris"``; ambiguous or non-existent local times at DST
        changes are rejected). The unit is the file's ``unit`` column (long
        layouts), else ``unit``, else each sensor's registered ``native_unit``; a
        file with a unit column and ``unit`` given is refused, as is a ``unit`` or
        ``quality`` column in the wide layout (one cell cannot speak for several
        sensors) and ``sensor_id`` given for a file that names its sensors.
        ``out_of_range`` is ``"flag"`` (keep, quality 2) or ``"reject"``.
        """
        path = Path(path)
        _check_timezone(timezone)
        raw = _read_csv(path)
        return self.ingest_frame(_to_long(raw, str(path), sensor_id), origin=str(path), unit=unit,
                                 timezone=timezone, out_of_range=out_of_range)

    def ingest_frame(self, frame: pd.DataFrame, *, origin: str = "<frame>", unit: str | None = None,
                     timezone: str = "UTC", out_of_range: str = "flag", line_offset: int = 2) -> IngestReport:
        """Ingest a long-format DataFrame (``sensor_id, time, value[, unit][, quality]``).

        ``line`` numbers in messages are the row position plus ``line_offset``
        (2: a CSV's header is line 1), or the frame's ``line`` column when present.
        The whole check-and-write runs under the store's writer lock.
        """
        if out_of_range not in ("flag", "reject"):
            raise ValueError(f"out_of_range={out_of_range!r}: expected 'flag' or 'reject'")
        _check_timezone(timezone)
        df = frame.reset_index(drop=True).copy()
        missing = [c for c in ("sensor_id", "time", "value") if c not in df]
        if missing:
            raise SensorDataError(f"{origin}: missing column(s) {', '.join(missing)} "
                                  f"(found: {', '.join(map(str, df.columns))})")
        if "unit" in df and unit is not None:
            raise SensorDataError(f"{origin}: the file has a 'unit' column and a unit ({unit!r}, --unit) was "
                                  "given too: give one or the other")
        if "line" not in df:
            df["line"] = np.arange(len(df)) + line_offset
        report = IngestReport(origin=origin, rows_read=len(df))
        if df.empty:
            raise SensorDataError(f"{origin}: no observation rows")
        no_id = df["sensor_id"].map(_blank)
        if no_id.any():
            raise _problem(origin, df.loc[no_id, "line"], [""] * int(no_id.sum()), "empty sensor_id")
        df["sensor_id"] = df["sensor_id"].astype(str).str.strip()
        quality = _parse_quality(df, origin)
        with self.writing():
            return self._ingest_checked(df, frame, quality, report, origin=origin, unit=unit,
                                        timezone=timezone, out_of_range=out_of_range)

    def register_and_ingest(self, sensors, frame: pd.DataFrame, *, origin: str = "<frame>", **ingest) -> IngestReport:
        """Register a file's sensors and ingest its observations as one step (a provider's file names
        its sensors): when the observations are refused, the registry is put back as it was, so a
        refused import leaves the store exactly as before. ``ingest``: :meth:`ingest_frame`'s options."""
        with self.writing():
            before = self.registry_path.read_bytes() if self.registry_path.exists() else None
            self.register(sensors, origin=origin)
            try:
                return self.ingest_frame(frame, origin=origin, **ingest)
            except BaseException:
                if before is None:
                    self.registry_path.unlink(missing_ok=True)
                else:
                    with atomic_file(self.registry_path) as tmp:
                        Path(tmp).write_bytes(before)
                self._registry = None
                raise

    def _ingest_checked(self, df, frame, quality, report, *, origin, unit, timezone, out_of_range) -> IngestReport:
        registry = self.sensors.set_index("sensor_id")
        unknown = ~df["sensor_id"].isin(registry.index)
        if unknown.any():
            raise _problem(origin, df.loc[unknown, "line"], df.loc[unknown, "sensor_id"],
                           "unknown sensor (register it first: `twin sensors register FILE`)")
        if not pd.api.types.is_datetime64_any_dtype(df["time"]):
            # some times with their UTC offset, others without: the bare ones were read in --timezone (UTC by
            # default) without a word, an hour or two off if they were local
            text = df["time"].astype(str).str.strip()
            offset = text.str.contains(_TZ_SUFFIX) & text.ne("")
            bare = ~offset & text.ne("") & text.ne("nan")
            if offset.any() and bare.any():
                raise _problem(origin, df.loc[bare, "line"], df.loc[bare, "sensor_id"],
                               "time without its UTC offset in a file whose other times carry one (give every time "
                               "its offset, e.g. 2024-01-01T00:00+01:00, or none and --timezone)",
                               text[bare].tolist())
        df["time"] = _parse_times(df["time"], timezone)
        bad_time = df["time"].isna()
        if bad_time.any():
            raw_times = frame.reset_index(drop=True).loc[bad_time, "time"].tolist()
            raise _problem(origin, df.loc[bad_time, "line"], df.loc[bad_time, "sensor_id"],
                           f"unparsable, ambiguous or missing time (expected ISO 8601; naive times read in {timezone})",
                           raw_times)
        latest = pd.Timestamp.now("UTC") + FUTURE_MARGIN
        implausible = ((df["time"] < EARLIEST_TIME) | (df["time"] > latest)).to_numpy()
        if implausible.any():
            raise _problem(origin, df.loc[implausible, "line"], df.loc[implausible, "sensor_id"],
                           f"time outside the plausible range {EARLIEST_TIME:%Y-%m-%d} … {latest:%Y-%m-%d %H:%M} UTC "
                           "(a placeholder date or a mistyped year?)",
                           [t.isoformat() for t in df.loc[implausible, "time"]])
        raw_values = df["value"]
        values = pd.to_numeric(raw_values, errors="coerce")
        empty = raw_values.isna() | (raw_values.astype(str).str.strip() == "")
        not_numeric = (values.isna() & ~empty) | ~np.isfinite(values.fillna(0.0).to_numpy(dtype=float))
        if not_numeric.any():
            raise _problem(origin, df.loc[not_numeric, "line"], df.loc[not_numeric, "sensor_id"],
                           "value is not a number (or is infinite)", raw_values[not_numeric].tolist())
        df["quantity"] = registry.loc[df["sensor_id"], "quantity"].to_numpy()
        if "unit" in df:
            units = df["unit"].where(df["unit"].notna() & (df["unit"].astype(str).str.strip() != ""), None)
            units = units.map(lambda u: u.strip() if isinstance(u, str) else u)
        else:
            units = pd.Series([unit] * len(df), dtype=object)
        units = units.fillna(pd.Series(registry.loc[df["sensor_id"], "native_unit"].to_numpy()))
        canonical = np.empty(len(df))
        for (q, u), idx in df.groupby([df["quantity"], units.to_numpy()]).groups.items():
            try:
                canonical[idx] = to_canonical(values[idx].to_numpy(dtype=float), u, q)
            except UnitError as exc:
                raise _problem(origin, df.loc[idx, "line"], df.loc[idx, "sensor_id"], str(exc)) from None
        df["value"] = canonical
        used = {q: quantity_info(q) for q in df["quantity"].unique()}
        df["unit"] = df["quantity"].map({q: info.unit for q, info in used.items()})
        quality = quality.copy()
        quality[empty.to_numpy()] = MISSING
        lo = df["quantity"].map({q: info.minimum for q, info in used.items()}).to_numpy(dtype=float)
        hi = df["quantity"].map({q: info.maximum for q, info in used.items()}).to_numpy(dtype=float)
        out = (~empty.to_numpy()) & ((canonical < lo) | (canonical > hi))
        if out.any():
            if out_of_range == "reject":
                shown = [f"{v:g} {u}" for v, u in zip(canonical[out], df.loc[out, "unit"])]
                raise _problem(origin, df.loc[out, "line"], df.loc[out, "sensor_id"],
                               "value outside the physical range of its quantity", shown)
            quality[out] = OUT_OF_RANGE
        df["quality"] = quality
        df = self._resolve_duplicates(df, origin, report)
        report.flagged = {QUALITY_NAMES[c]: int((df["quality"] == c).sum()) for c in (SUSPECT, OUT_OF_RANGE, MISSING)}
        df = df.sort_values(["sensor_id", "time"], kind="stable")[
            ["sensor_id", "time", "quantity", "value", "unit", "quality"]]
        report.sensors = sorted(df["sensor_id"].unique().tolist())
        report.rows_written = len(df)
        if len(df):
            target = self.obs_dir / f"part-{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.parquet"
            with atomic_file(target) as tmp:
                df.to_parquet(tmp, index=False, row_group_size=100_000)
            report.file = str(target)
        return report

    def _resolve_duplicates(self, df: pd.DataFrame, origin: str, report: IngestReport) -> pd.DataFrame:
        """Drop repeats of one observation (same sensor, time and value, see :func:`same_value`);
        refuse the batch when one sensor and time has two different values, in the batch or
        against the store. Called under the writer lock, so the store cannot change meanwhile."""
        key = ["sensor_id", "time"]
        dup = df.duplicated(key, keep=False)
        if dup.any():
            first = df[dup].groupby(key)["value"].transform("first")
            conflicting = df[dup][~same_value(df.loc[dup, "value"].to_numpy(), first.to_numpy())]
            if len(conflicting):
                rows = df[dup & df.set_index(key).index.isin(conflicting.set_index(key).index)]
                raise _problem(origin, rows["line"], rows["sensor_id"],
                               "duplicate timestamp with a different value",
                               [f"{t.isoformat()} = {float(v)!r}" for t, v in zip(rows["time"], rows["value"])])
            before = len(df)
            df = df.drop_duplicates(key, keep="first")
            report.duplicates_identical = before - len(df)
        if not self._obs_files():
            return df
        con = self._connect()
        con.register("batch", df[["sensor_id", "time", "value", "line"]])
        clash = con.execute(
            f"""SELECT b.sensor_id, b.time, b.value AS new_value, o.value AS old_value, b.line
                FROM batch b JOIN {self._obs_sql()} o USING (sensor_id, time)""").df()
        con.unregister("batch")
        if clash.empty:
            return df
        differs = ~same_value(clash["new_value"].to_numpy(), clash["old_value"].to_numpy())
        if differs.any():
            c = clash[differs].sort_values("line")
            raise _problem(origin, c["line"], c["sensor_id"],
                           "timestamp already in the store with a different value",
                           [f"{t} new {float(n)!r} stored {float(o)!r}" for t, n, o in zip(c["time"], c["new_value"], c["old_value"])])
        existing = pd.MultiIndex.from_frame(clash[["sensor_id", "time"]])
        mask = pd.MultiIndex.from_frame(df[["sensor_id", "time"]]).isin(existing)
        report.already_in_store = int(mask.sum())
        return df[~mask]

    # ------------------------------------------------------------------ queries
    def _obs_sql(self) -> str:
        return f"read_parquet('{self.obs_dir.as_posix()}/part-*.parquet')"

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the store's DuckDB connection (opened once, in memory).

        Parquet footers are cached between queries (``parquet_metadata_cache``):
        safe because a batch file is never modified once renamed into place.
        """
        if self._con is None:
            self._con = duckdb.connect()
            self._con.execute("SET TimeZone='UTC'")
            self._con.execute("SET parquet_metadata_cache=true")
        return self._con.cursor()

    def sql(self, query: str) -> pd.DataFrame:
        """Run DuckDB SQL with the views ``observations`` and ``sensors`` defined."""
        con = self._connect()
        if self._obs_files():
            con.execute(f"CREATE OR REPLACE TEMP VIEW observations AS SELECT * FROM {self._obs_sql()}")
        if self.registry_path.exists():
            con.execute(f"CREATE OR REPLACE TEMP VIEW sensors AS SELECT * FROM read_parquet('{self.registry_path.as_posix()}')")
        return con.execute(query).df()

    def query(self, sensor_id: str, start=None, end=None, *, include_flagged: bool = False) -> pd.DataFrame:
        """Observations of one sensor in ``[start, end)`` (UTC), as (time, value, quality).

        Flagged values (quality ≠ 0) are left out unless ``include_flagged``.
        """
        if not (self.sensors["sensor_id"] == sensor_id).any():
            raise SensorDataError(f"{self.path}: unknown sensor {sensor_id!r}")
        if not self._obs_files():
            return pd.DataFrame({"time": pd.Series(dtype="datetime64[us, UTC]"), "value": [], "quality": []})
        where = ["sensor_id = ?"]
        params: list = [sensor_id]
        if start is not None:
            where.append("time >= ?")
            params.append(pd.Timestamp(start, tz="UTC") if pd.Timestamp(start).tzinfo is None else pd.Timestamp(start))
        if end is not None:
            where.append("time < ?")
            params.append(pd.Timestamp(end, tz="UTC") if pd.Timestamp(end).tzinfo is None else pd.Timestamp(end))
        if not include_flagged:
            where.append("quality = 0")
        con = self._connect()
        return con.execute(f"SELECT time, value, quality FROM {self._obs_sql()} WHERE {' AND '.join(where)} "
                           "ORDER BY time", params).df()

    def to_pandas(self, sensor_id: str, start=None, end=None, *, tz: str = "UTC") -> pd.Series:
        """One sensor's good observations as a pandas Series indexed by time in ``tz``."""
        obs = self.query(sensor_id, start, end)
        return pd.Series(obs["value"].to_numpy(), index=pd.DatetimeIndex(obs["time"]).tz_convert(tz), name=sensor_id)

    def series(self, sensor_id: str, start=None, end=None, *, freq: str | None = None) -> xr.DataArray:
        """One sensor as an ``xarray.DataArray`` over ``time`` with CF-style attributes.

        ``freq`` (e.g. ``"1h"``, ``"1D"``) resamples: sums for amounts
        (precipitation, energy), means otherwise. Flagged values are left out.
        """
        meta = self.sensors.set_index("sensor_id").loc[sensor_id]
        q = quantity_info(meta["quantity"])
        obs = self.query(sensor_id, start, end)
        s = pd.Series(obs["value"].to_numpy(), index=pd.DatetimeIndex(obs["time"]).tz_convert("UTC").tz_localize(None),
                      name=sensor_id)
        if freq is not None:
            r = s.resample(freq)
            s = r.sum(min_count=1) if q.cell_method == "time: sum" else r.mean()
        da = xr.DataArray(s.to_numpy(), coords={"time": s.index.to_numpy()}, dims="time", name=sensor_id)
        da["time"].attrs.update({"timezone": "UTC", "standard_name": "time"})
        da.attrs.update({
            "units": q.unit, "long_name": q.long_name, "quantity": q.name, "cell_methods": q.cell_method,
            "sensor_id": sensor_id, "asset_id": meta["asset_id"] or "", "synthetic": str(bool(meta["synthetic"])),
        })
        if q.standard_name:
            da.attrs["standard_name"] = q.standard_name
        if freq is not None:
            da.attrs["resampled_to"] = freq
        return da

    def dataset(self, sensor_ids, start=None, end=None, *, freq: str = "1h") -> xr.Dataset:
        """Several sensors resampled to one time axis, one variable per sensor."""
        ds = xr.Dataset({sid: self.series(sid, start, end, freq=freq) for sid in sensor_ids})
        ds.attrs["source"] = str(self.path)
        return ds

    def sensor_summary(self, sensor_id: str, start=None, end=None) -> dict:
        """One sensor's observations in ``[start, end)`` (UTC unless the times carry an offset), as a data
        officer checks a file: ``count``, ``sum``, ``mean`` of the usable values (good and suspect — a
        supplier's estimate is part of what was billed; ``suspect`` says how many; a register's ``sum`` means
        nothing, its ``last`` − ``first`` is the use),
        ``first`` / ``last`` values and their times, the ``unit`` (canonical), and how many were
        ``missing`` (empty in the file) or ``out_of_range`` (kept apart from the sums)."""
        bounds = []
        for name, t in (("start", start), ("end", end)):
            try:
                bounds.append(None if t in (None, "") else pd.Timestamp(t))
            except (ValueError, TypeError):
                raise SensorDataError(f"{self.path}: {name} {t!r} is not a time (ISO 8601, e.g. 2024-01-15T00:00:00Z)") \
                    from None
        obs = self.query(sensor_id, *bounds, include_flagged=True)
        q = quantity_info(self.sensors.set_index("sensor_id").at[sensor_id, "quantity"])
        usable = obs[obs["quality"].isin([GOOD, SUSPECT]) & obs["value"].notna()]
        times = pd.DatetimeIndex(usable["time"])

        def stamp(t):
            return None if t is None else pd.Timestamp(t).tz_convert("UTC").isoformat() \
                if pd.Timestamp(t).tzinfo else pd.Timestamp(t, tz="UTC").isoformat()

        def number(x):  # 12 significant digits: the sums' binary noise (25.600000000000136) is not data
            return None if x is None else float(f"{x:.12g}")

        return {"sensor_id": sensor_id, "quantity": q.name, "unit": q.unit,
                "start": stamp(bounds[0]), "end": stamp(bounds[1]),
                "count": int(len(usable)), "sum": number(float(usable["value"].sum())),
                "mean": number(float(usable["value"].mean())) if len(usable) else None,
                "first": number(float(usable["value"].iloc[0])) if len(usable) else None,
                "last": number(float(usable["value"].iloc[-1])) if len(usable) else None,
                "first_time": times[0].isoformat() if len(times) else None,
                "last_time": times[-1].isoformat() if len(times) else None,
                "suspect": int((usable["quality"] == SUSPECT).sum()),
                "missing": int((obs["quality"] == MISSING).sum()),
                "out_of_range": int((obs["quality"] == OUT_OF_RANGE).sum())}

    def summary(self) -> dict:
        """Sensors per quantity, observation count, period covered, synthetic or measured."""
        reg = self.sensors
        out = {"sensors": int(len(reg)),
               "by_quantity": {k: int(v) for k, v in reg["quantity"].value_counts().items()},
               "synthetic_sensors": int(reg["synthetic"].sum()) if len(reg) else 0}
        if self._obs_files():
            row = self.sql("SELECT count(*) AS n, min(time) AS t0, max(time) AS t1, "
                           "sum(CASE WHEN quality <> 0 THEN 1 ELSE 0 END) AS flagged FROM observations").iloc[0]
            out.update({"observations": int(row["n"]), "flagged": int(row["flagged"]),
                        "period": [str(row["t0"]), str(row["t1"])]})
        else:
            out.update({"observations": 0, "flagged": 0, "period": None})
        return out



# ---------------------------------------------------------------------- registry checks
def synthetic_sensor_ids(store: "SensorStore | None") -> set[str]:
    """The ids of the sensors whose history is SYNTHETIC (the registry's ``synthetic`` flag: a demonstration
    territory's generated series); empty without a store."""
    if store is None or "synthetic" not in store.sensors:
        return set()
    reg = store.sensors
    return set(reg.loc[reg["synthetic"].astype(str).eq("True"), "sensor_id"].astype(str))


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()) \
        or v is pd.NA or v is pd.NaT


def _show(v) -> str:
    return "empty" if _blank(v) else repr(v.item() if isinstance(v, np.generic) else v)


def _same_field(a, b) -> bool:
    if _blank(a) and _blank(b):
        return True
    if _blank(a) or _blank(b):
        return False
    if isinstance(a, (float, int, np.floating, np.integer)) and isinstance(b, (float, int, np.floating, np.integer)) \
            and not isinstance(a, (bool, np.bool_)):
        return bool(same_value(float(a), float(b)))
    return a == b


def _check_registry(new: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Validate and normalise sensor definitions; every problem names the line and the sensor."""
    if "sensor_id" not in new or "quantity" not in new:
        raise SensorDataError(f"{origin}: sensor definitions need 'sensor_id' and 'quantity' columns "
                              f"(found: {', '.join(map(str, new.columns))})")
    extra = [str(c) for c in new.columns if c not in REGISTRY_COLUMNS and c != "line"]
    if extra:
        raise SensorDataError(f"{origin}: unknown column(s) {', '.join(map(repr, extra))} in the sensor "
                              f"definitions (expected: {', '.join(REGISTRY_COLUMNS)})")
    if new.empty:
        raise SensorDataError(f"{origin}: no sensor definitions")
    new = new.reset_index(drop=True)
    if "line" not in new:
        new["line"] = np.arange(len(new)) + 2
    for col in REGISTRY_COLUMNS:
        if col not in new:
            new[col] = None
    problems: list[str] = []

    def bad(i, what):
        problems.append(f"  {origin} line {new.at[i, 'line']} (sensor {new.at[i, 'sensor_id']!r}): {what}")

    new["sensor_id"] = ["" if _blank(v) else str(v).strip() for v in new["sensor_id"]]
    for i, text in new["sensor_id"].items():
        if not text:
            bad(i, "empty sensor_id")
        elif _CONTROL.search(text):
            bad(i, "sensor_id contains a control character")
    dup = new["sensor_id"].duplicated(keep=False) & (new["sensor_id"] != "")
    for i in new.index[dup]:
        bad(i, "sensor_id defined twice")
    units, natives = [], []
    for i, row in new.iterrows():
        unit = native = None
        if _blank(row["quantity"]):
            bad(i, "empty quantity")
        else:
            try:
                q = quantity_info(str(row["quantity"]).strip())
                new.at[i, "quantity"] = q.name
                unit = q.unit
                given = row["unit"]
                if not _blank(given) and str(given).strip() != q.unit:
                    bad(i, f"unit {str(given).strip()!r} is not {q.name}'s canonical unit {q.unit!r} (the store keeps "
                           f"{q.unit}; the unit your files use goes in 'native_unit')")
                native = str(row["native_unit"]).strip() if not _blank(row["native_unit"]) else q.unit
                to_canonical(np.zeros(1), native, q.name)
            except UnitError as exc:
                bad(i, str(exc))
        units.append(unit)
        natives.append(native)
    new["unit"], new["native_unit"] = units, natives
    synthetic = []
    for i, v in new["synthetic"].items():
        if _blank(v):
            synthetic.append(False)
        elif isinstance(v, (bool, np.bool_)):
            synthetic.append(bool(v))
        elif str(v).strip().lower() in TRUE_WORDS:
            synthetic.append(True)
        elif str(v).strip().lower() in FALSE_WORDS:
            synthetic.append(False)
        else:
            synthetic.append(False)
            bad(i, f"synthetic={v!r} is not a yes/no value (expected true/false, yes/no, 1/0 or empty)")
    new["synthetic"] = pd.Series(synthetic, index=new.index, dtype=bool)
    for col, limit in (("lon", 180.0), ("lat", 90.0)):
        numbers = []
        for i, v in new[col].items():
            if _blank(v):
                numbers.append(np.nan)
                continue
            try:
                x = float(str(v).strip()) if not isinstance(v, (int, float, np.number)) else float(v)
            except ValueError:
                x = np.nan
                bad(i, f"{col}={v!r} is not a number (decimal degrees, WGS84)")
            else:
                if not np.isfinite(x) or abs(x) > limit:
                    bad(i, f"{col}={v!r} is outside [-{limit:g}, {limit:g}] degrees")
            numbers.append(x)
        new[col] = np.asarray(numbers, dtype=float)
    for col in ("asset_layer", "asset_id", "name", "description"):
        new[col] = [None if _blank(v) else str(v) for v in new[col]]
    if problems:
        more = f"\n  … and {len(problems) - MAX_EXAMPLES} more" if len(problems) > MAX_EXAMPLES else ""
        raise SensorDataError(f"{origin}: {len(problems)} problem(s) in the sensor definitions, nothing "
                              "registered:\n" + "\n".join(problems[:MAX_EXAMPLES]) + more)
    return new

# ---------------------------------------------------------------------- helpers
def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise SensorDataError(f"{path}: no such file")
    if path.is_dir():
        raise SensorDataError(f"{path}: is a directory, expected a CSV file (import its files one by one)")
    # a French spreadsheet's export: « ; » between columns, decimal commas, dates day first (it was read as one
    # column: « 6 line(s) without the header's 1 fields »)
    sep = _separator_of(path)
    try:
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True, sep=sep)
        except UnicodeDecodeError:
            if sep != ";":
                raise
            # French Excel saves « CSV (séparateur : point-virgule) » in Windows-1252: « °C », « m³/s » in it
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True, sep=sep,
                             encoding="cp1252")
    except pd.errors.EmptyDataError:
        raise SensorDataError(f"{path}: the file is empty (expected a CSV with a header line)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise SensorDataError(f"{path}: not a readable CSV ({exc})") from None
    except OSError as exc:
        raise SensorDataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    columns = [str(c).strip() for c in df.columns]
    # pandas renames a repeated header 'x' to 'x.1': refuse instead of inventing a column.
    seen = set()
    for c in columns:
        base = re.sub(r"\.\d+$", "", c)
        if c != base and base in seen:
            raise SensorDataError(f"{path}: line 1: column {base!r} appears more than once")
        seen.add(c)
    if len(set(columns)) != len(columns):
        twice = sorted({c for c in columns if columns.count(c) > 1})
        raise SensorDataError(f"{path}: line 1: column(s) {', '.join(map(repr, twice))} appear more than once")
    df.columns = columns
    ragged = _ragged_lines(path, len(columns), sep)
    # a trailing separator (a spreadsheet's export) makes an unnamed, empty column: nothing to read, nothing lost
    trailing = [c for c in columns if re.fullmatch(r"Unnamed: \d+", c) and df[c].isna().all()]
    if ragged:
        more = f"\n… and {len(ragged) - MAX_EXAMPLES} more" if len(ragged) > MAX_EXAMPLES else ""
        raise SensorDataError(f"{path}: {len(ragged)} line(s) without the header's {len(columns)} fields "
                              f"({', '.join(columns)}), nothing imported:\n"
                              + "\n".join(f"{path} line {n}: {got} field(s)" for n, got in ragged[:MAX_EXAMPLES])
                              + more + "\n(an empty value keeps its separator: a time, a comma, nothing)")
    df = df.drop(columns=trailing)
    if sep == ";":
        df = _from_french_spreadsheet(df)
    return df


def _separator_of(path: Path) -> str:
    """The CSV ``path``'s column separator (:func:`twin.csv_dialect.separator`) from its header line."""
    from twin.csv_dialect import separator  # noqa: PLC0415

    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return separator(f.readline())
    except OSError:
        return ","  # pandas says why it cannot be read


def _from_french_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """A « ; » file's cells as the readers take them: a number's decimal comma a point (« 125,5 »), a date
    written day first (« 22/02/2023 14:00 ») in ISO order; every other cell as written (a word in a value is
    refused by name later)."""
    from twin.csv_dialect import FRENCH_DATE, with_decimal_points  # noqa: PLC0415

    out = df.copy()
    for c in out.columns:
        if c.lower() in TIME_COLUMNS:
            text = out[c].astype("string")
            day_first = text.str.match(FRENCH_DATE).fillna(False).astype(bool)
            out.loc[day_first, c] = [_iso_of_day_first(x) for x in text[day_first]]
        elif c not in ("sensor_id", "unit", "quality"):
            out[c] = with_decimal_points(out[c]).astype(object).where(out[c].notna(), None)
    return out


def _iso_of_day_first(text: str) -> str:
    """« 22/02/2023 14:00 » → « 2023-02-22 14:00 » (the time kept as written, its zone read as the others')."""
    date, _, clock = text.strip().replace("T", " ").partition(" ")
    day, month, year = date.split("/")
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}" + (f" {clock.strip()}" if clock.strip() else "")


def _ragged_lines(path: Path, n_fields: int, sep: str = ",") -> list[tuple[int, int]]:
    """(line, fields) of the rows of the CSV ``path`` whose fields are not the header's ``n_fields``: pandas
    fills a short one with missing values (a lost separator, a truncated export: a gap the sensor never had)
    and reads a line with one field more as a row index (« unknown sensor '2024-01-01T00:00' » on that line
    and the next). Blank lines are no rows (pandas skips them too)."""
    out = []
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        reader = csv.reader(f, skipinitialspace=True, delimiter=sep)
        next(reader, None)  # the header
        for row in reader:
            if any(f.strip() for f in row) and len(row) != n_fields:  # a line of spaces is blank too
                out.append((reader.line_num, len(row)))
    return out


def _to_long(raw: pd.DataFrame, origin: str, sensor_id: str | None) -> pd.DataFrame:
    time_cols = [c for c in raw.columns if c.lower() in TIME_COLUMNS]
    if not time_cols:
        raise SensorDataError(f"{origin}: no time column (expected one of {', '.join(TIME_COLUMNS)}; "
                              f"found: {', '.join(raw.columns)})")
    if len(time_cols) > 1:
        raise SensorDataError(f"{origin}: line 1: {len(time_cols)} time columns ({', '.join(map(repr, time_cols))}); "
                              "expected one ISO 8601 column holding date and time (e.g. 2024-03-01T14:00, "
                              "2024-03-01 14:00+01:00): join them into one")
    raw = raw.rename(columns={time_cols[0]: "time"})
    raw["line"] = np.arange(len(raw)) + 2
    if "sensor_id" in raw.columns or "value" in raw.columns:
        # the long layouts read these columns only: another (a misspelt 'qualty', a sensor's column beside
        # sensor_id) would be dropped without a word, its marks or values lost
        layout = "sensor_id, time, value" if "sensor_id" in raw.columns else "time, value"
        unread = [c for c in raw.columns if c not in ("sensor_id", "time", "value", "unit", "quality", "line")]
        if unread:
            raise SensorDataError(f"{origin}: line 1: column(s) {', '.join(map(repr, unread))} not read by the "
                                  f"layout {layout} (then optionally unit, quality): nothing imported; rename or "
                                  "remove them (one column per sensor is the wide layout: time, then the sensors)")
    if "sensor_id" in raw.columns:
        if sensor_id is not None:
            raise SensorDataError(f"{origin}: the file has a sensor_id column and a sensor ({sensor_id!r}, "
                                  "--sensor) was given too: --sensor is for one-sensor files (time, value)")
        return raw
    if "value" in raw.columns:
        if sensor_id is None:
            raise SensorDataError(f"{origin}: one-sensor file (time, value) but no sensor id given "
                                  "(pass sensor_id= / --sensor)")
        raw["sensor_id"] = sensor_id
        return raw
    if sensor_id is not None:
        raise SensorDataError(f"{origin}: a sensor ({sensor_id!r}, --sensor) was given but the file has no "
                              "'value' column (a one-sensor file is 'time, value')")
    value_cols = [c for c in raw.columns if c not in ("time", "line")]
    if not value_cols:
        raise SensorDataError(f"{origin}: no value column (expected 'value', 'sensor_id', or one column per sensor)")
    for c in ("unit", "quality"):
        if c in value_cols:
            raise SensorDataError(
                f"{origin}: line 1: a '{c}' column in the wide layout (time, then one column per sensor): one "
                f"{c} per line cannot speak for {len(value_cols) - 1} sensor column(s). Use the long layout "
                f"(sensor_id, time, value, {c})" + (", or --unit when every column is in one unit" if c == "unit" else ""))
    long = raw.melt(id_vars=["time", "line"], value_vars=value_cols, var_name="sensor_id", value_name="value")
    return long


def _check_timezone(timezone) -> None:
    """Refuse a time zone that is not an IANA name (or UTC) before anything is read."""
    try:
        pd.Timestamp("2000-01-01").tz_localize(timezone)
    except Exception as exc:  # noqa: BLE001 — pytz, zoneinfo and dateutil raise different types
        raise SensorDataError(f"timezone {timezone!r} (--timezone): not a known time zone ({type(exc).__name__}); "
                              "expected an IANA name such as Europe/Paris or UTC") from None


def _parse_quality(df: pd.DataFrame, origin: str) -> np.ndarray:
    """Quality codes of a batch: empty = good; 0–3 or their names (good, suspect, out_of_range, missing)."""
    if "quality" not in df:
        return np.zeros(len(df), dtype="int8")
    col = df["quality"]
    codes = np.zeros(len(df), dtype="int8")
    bad = np.zeros(len(df), dtype=bool)
    for pos, v in enumerate(col.tolist()):
        if _blank(v):
            continue
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
            key = str(int(v)) if float(v).is_integer() else str(v)
        else:
            key = str(v).strip().lower()
        code = QUALITY_CODES.get(key)
        if code is None:
            bad[pos] = True
        else:
            codes[pos] = code
    if bad.any():
        raise _problem(origin, df.loc[bad, "line"], df.loc[bad, "sensor_id"],
                       "quality is not one of " + ", ".join(f"{c} ({n})" for c, n in QUALITY_NAMES.items())
                       + " or empty (= good)", col[bad].tolist())
    return codes


def _parse_times(times: pd.Series, timezone: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(times):
        if times.dt.tz is None:
            return times.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
        return times.dt.tz_convert("UTC")
    text = times.astype(str).str.strip()
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    if timezone.upper() == "UTC":
        return parsed
    naive = ~text.str.contains(_TZ_SUFFIX)
    if naive.any():
        local = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
        local = local.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
        parsed = parsed.copy()
        parsed[naive] = local
    return parsed
