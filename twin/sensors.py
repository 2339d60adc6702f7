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

Rejected (the whole batch, nothing written): unknown sensor, unknown unit or a
unit of another dimension, unparsable time, ambiguous local time, non-numeric
value, two different values for one sensor and time (in the batch or against
the store). Every message names the file, the line and the sensor.
Ingest is atomic: a batch is validated in memory, written to a temporary file
and renamed into place, so a failure leaves the store exactly as it was.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import xarray as xr

from twin.quantities import UnitError, quantity_info, to_canonical
from twin.storage import atomic_file

GOOD, SUSPECT, OUT_OF_RANGE, MISSING = 0, 1, 2, 3
QUALITY_NAMES = {GOOD: "good", SUSPECT: "suspect", OUT_OF_RANGE: "out_of_range", MISSING: "missing"}
REGISTRY_COLUMNS = ["sensor_id", "quantity", "unit", "native_unit", "asset_layer", "asset_id",
                    "lon", "lat", "name", "synthetic", "description"]
TIME_COLUMNS = ("time", "timestamp", "datetime", "date")
_TZ_SUFFIX = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
MAX_EXAMPLES = 5


class SensorDataError(ValueError):
    """Bad sensor input; the message names the file, the line(s) and the sensor(s)."""


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
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.obs_dir.mkdir(parents=True, exist_ok=True)
        self._registry: pd.DataFrame | None = None
        self._con: duckdb.DuckDBPyConnection | None = None

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
        ``lon``, ``lat``, ``name``, ``synthetic``, ``description``.

        Re-registering an identical sensor is a no-op; a different definition under an
        existing id is an error (a sensor's meaning must not change under its history).
        """
        new = pd.DataFrame(sensors).copy()
        if "sensor_id" not in new or "quantity" not in new:
            raise SensorDataError(f"{origin}: sensor definitions need 'sensor_id' and 'quantity' columns "
                                  f"(found: {', '.join(map(str, new.columns))})")
        new["sensor_id"] = new["sensor_id"].astype(str)
        dup = new["sensor_id"].duplicated(keep=False)
        if dup.any():
            raise _problem(origin, (new.index[dup] + 2), new.loc[dup, "sensor_id"], "sensor_id defined twice")
        for col in REGISTRY_COLUMNS:
            if col not in new:
                new[col] = None
        for i, row in new.iterrows():
            try:
                q = quantity_info(row["quantity"])
                new.at[i, "unit"] = q.unit
                native = row["native_unit"] if isinstance(row["native_unit"], str) and row["native_unit"] else q.unit
                to_canonical(np.zeros(1), native, q.name)
                new.at[i, "native_unit"] = native
            except UnitError as exc:
                raise SensorDataError(f"{origin} line {i + 2} (sensor {row['sensor_id']!r}): {exc}") from None
        new["synthetic"] = new["synthetic"].fillna(False).astype(bool)
        for c in ("lon", "lat"):
            new[c] = pd.to_numeric(new[c], errors="coerce").astype(float)
        new = new[REGISTRY_COLUMNS]
        current = self.sensors
        known = current.set_index("sensor_id")
        keep_new = []
        for _, row in new.iterrows():
            sid = row["sensor_id"]
            if sid in known.index:
                old = known.loc[sid]
                if old["quantity"] != row["quantity"] or old["native_unit"] != row["native_unit"]:
                    raise SensorDataError(
                        f"{origin}: sensor {sid!r} is already registered as {old['quantity']} in "
                        f"{old['native_unit']}, not {row['quantity']} in {row['native_unit']}")
                continue
            keep_new.append(row)
        if keep_new:
            merged = pd.concat([current, pd.DataFrame(keep_new)], ignore_index=True) if len(current) else \
                pd.DataFrame(keep_new).reset_index(drop=True)
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
        changes are rejected). ``unit`` defaults to the unit column, else to the
        sensor's registered ``native_unit``. ``out_of_range`` is ``"flag"`` (keep,
        quality 2) or ``"reject"``.
        """
        path = Path(path)
        raw = _read_csv(path)
        return self.ingest_frame(_to_long(raw, str(path), sensor_id), origin=str(path), unit=unit,
                                 timezone=timezone, out_of_range=out_of_range)

    def ingest_frame(self, frame: pd.DataFrame, *, origin: str = "<frame>", unit: str | None = None,
                     timezone: str = "UTC", out_of_range: str = "flag", line_offset: int = 2) -> IngestReport:
        """Ingest a long-format DataFrame (``sensor_id, time, value[, unit][, quality]``).

        ``line`` numbers in messages are the row position plus ``line_offset``
        (2: a CSV's header is line 1), or the frame's ``line`` column when present.
        """
        if out_of_range not in ("flag", "reject"):
            raise ValueError(f"out_of_range={out_of_range!r}: expected 'flag' or 'reject'")
        df = frame.reset_index(drop=True).copy()
        missing = [c for c in ("sensor_id", "time", "value") if c not in df]
        if missing:
            raise SensorDataError(f"{origin}: missing column(s) {', '.join(missing)} "
                                  f"(found: {', '.join(map(str, df.columns))})")
        if "line" not in df:
            df["line"] = np.arange(len(df)) + line_offset
        report = IngestReport(origin=origin, rows_read=len(df))
        if df.empty:
            raise SensorDataError(f"{origin}: no observation rows")
        df["sensor_id"] = df["sensor_id"].astype(str)
        registry = self.sensors.set_index("sensor_id")
        unknown = ~df["sensor_id"].isin(registry.index)
        if unknown.any():
            raise _problem(origin, df.loc[unknown, "line"], df.loc[unknown, "sensor_id"],
                           "unknown sensor (register it first: `twin sensors register FILE`)")
        df["time"] = _parse_times(df["time"], timezone)
        bad_time = df["time"].isna()
        if bad_time.any():
            raw_times = frame.reset_index(drop=True).loc[bad_time, "time"].tolist()
            raise _problem(origin, df.loc[bad_time, "line"], df.loc[bad_time, "sensor_id"],
                           f"unparsable, ambiguous or missing time (expected ISO 8601; naive times read in {timezone})",
                           raw_times)
        raw_values = df["value"]
        values = pd.to_numeric(raw_values, errors="coerce")
        empty = raw_values.isna() | (raw_values.astype(str).str.strip() == "")
        not_numeric = values.isna() & ~empty
        if not_numeric.any():
            raise _problem(origin, df.loc[not_numeric, "line"], df.loc[not_numeric, "sensor_id"],
                           "value is not a number", raw_values[not_numeric].tolist())
        df["quantity"] = registry.loc[df["sensor_id"], "quantity"].to_numpy()
        if "unit" in df:
            units = df["unit"].where(df["unit"].notna() & (df["unit"].astype(str) != ""), None)
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
        quality = pd.to_numeric(df["quality"], errors="coerce").fillna(GOOD).astype("int8") \
            if "quality" in df else pd.Series(np.zeros(len(df), dtype="int8"))
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
        df["quality"] = quality.to_numpy()
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
        key = ["sensor_id", "time"]
        dup = df.duplicated(key, keep=False)
        if dup.any():
            groups = df[dup].groupby(key)["value"]
            spread = groups.transform(lambda s: s.nunique(dropna=False))
            conflicting = df[dup][spread > 1]
            if len(conflicting):
                raise _problem(origin, conflicting["line"], conflicting["sensor_id"],
                               "duplicate timestamp with a different value",
                               [f"{t.isoformat()} = {v:g}" for t, v in zip(conflicting["time"], conflicting["value"])])
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
        if clash.empty:
            return df
        differs = ~np.isclose(clash["new_value"], clash["old_value"], equal_nan=True)
        if differs.any():
            c = clash[differs]
            raise _problem(origin, c["line"], c["sensor_id"],
                           "timestamp already in the store with a different value",
                           [f"{t} new {n:g} stored {o:g}" for t, n, o in zip(c["time"], c["new_value"], c["old_value"])])
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


# ---------------------------------------------------------------------- helpers
def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise SensorDataError(f"{path}: no such file")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise SensorDataError(f"{path}: the file is empty (expected a CSV with a header line)") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SensorDataError(f"{path}: not a readable CSV ({exc})") from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _to_long(raw: pd.DataFrame, origin: str, sensor_id: str | None) -> pd.DataFrame:
    time_col = next((c for c in raw.columns if c.lower() in TIME_COLUMNS), None)
    if time_col is None:
        raise SensorDataError(f"{origin}: no time column (expected one of {', '.join(TIME_COLUMNS)}; "
                              f"found: {', '.join(raw.columns)})")
    raw = raw.rename(columns={time_col: "time"})
    raw["line"] = np.arange(len(raw)) + 2
    if "sensor_id" in raw.columns:
        return raw
    if "value" in raw.columns:
        if sensor_id is None:
            raise SensorDataError(f"{origin}: one-sensor file (time, value) but no sensor id given "
                                  "(pass sensor_id= / --sensor)")
        raw["sensor_id"] = sensor_id
        return raw
    value_cols = [c for c in raw.columns if c not in ("time", "line", "unit", "quality")]
    if not value_cols:
        raise SensorDataError(f"{origin}: no value column (expected 'value', 'sensor_id', or one column per sensor)")
    long = raw.melt(id_vars=["time", "line"], value_vars=value_cols, var_name="sensor_id", value_name="value")
    return long


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
