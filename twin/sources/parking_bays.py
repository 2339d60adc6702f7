"""On-street bay sensors: each bay's status (a car present or not) turned into the occupancy of each zone,
a ``parking_occupancy`` sensor of the store (issue 23: bay status events in the sensor store).

Two layouts of the City of Melbourne's "On-street Parking Bay Sensors" feed (open data, CC BY 4.0) are read,
and any file with the same columns:

* **current** — ``Lastupdated, Status_Timestamp, Zone_Number, Status_Description, KerbsideID, Location``:
  one row per bay. The snapshot is the feed's latest ``Lastupdated``; a bay not refreshed within
  ``stale_h`` hours of it is not counted (a sensor gone quiet says nothing of now) and the notes say how
  many. Bays are grouped by ``Zone_Number`` (a bay without one: zone ``unzoned``).
* **2018** — ``file, bay_id, st_marker_id, status, location, lat, lon``: each row names its snapshot in
  ``file`` (``sensors_T11-18.csv``: 11:18 local time) but not its date, which must be given (``date``, with
  the local ``tz``). All bays form one zone, ``all``.

Status ``Present`` is a car, ``Unoccupied`` none; any other status is an error naming its lines. Each zone
and snapshot becomes one observation: the share of its bays occupied, in %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, ProviderBatch, ProviderFileError, as_batch, observations, read_bytes,
                                         read_table, rows_text, times_utc)

CURRENT = ("Lastupdated", "Status_Description", "KerbsideID")
LAYOUT_2018 = ("file", "bay_id", "status")
STATUS = {"present": True, "unoccupied": False}


def is_bay_status(header: set[str]) -> bool:
    """Whether a CSV header is one of the layouts above."""
    return set(CURRENT) <= header or set(LAYOUT_2018) <= header


def read_bay_status(path, *, date: str | None = None, tz: str = "UTC", stale_h: float = 24.0) -> ProviderBatch:
    """The zones' occupancy sensors and observations of a bay-status file (module docstring)."""
    df = read_table(path, read_bytes(path, "bay status file"))
    header = set(df.columns)
    if set(CURRENT) <= header:
        frame, notes = _current(df, path, stale_h)
    elif set(LAYOUT_2018) <= header:
        frame, notes = _layout_2018(df, path, date, tz)
    else:
        raise ProviderFileError(f"{path}: line 1 is neither bay-status layout (expected {', '.join(CURRENT)}, or "
                                f"{', '.join(LAYOUT_2018)})")
    sensors, obs = [], []
    grouped = frame.groupby(["zone", "time"], sort=True)
    counts = grouped["occupied"].agg(["sum", "size"]).reset_index()
    first_line = grouped["line"].min().to_numpy()
    for zone, rows in counts.groupby("zone", sort=True):
        sid = f"bays-{zone}"
        bays = int(rows["size"].max())
        sensors.append({"sensor_id": sid, "quantity": "parking_occupancy", "native_unit": "%",
                        "name": f"on-street bays, zone {zone}",
                        "description": f"share of the zone's {bays} sensed bays with a car (bay status sensors)"})
    sid = "bays-" + counts["zone"].astype(str)
    obs.append(observations(sid, counts["time"], 100.0 * counts["sum"] / counts["size"], "%",
                            np.full(len(counts), GOOD), first_line))
    batch = as_batch("bay status", sensors, obs)
    batch.notes = notes + [f"{int(counts['size'].sum())} bay readings in {len(counts)} zone snapshot(s): "
                           f"{int(counts['sum'].sum())} occupied"]
    return batch


def _status(df: pd.DataFrame, column: str, path) -> np.ndarray:
    text = df[column].astype(str).str.strip().str.lower()
    bad = ~text.isin(list(STATUS))
    if bad.any():
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: {column} "
                                f"{df[column].astype(str).iloc[int(np.flatnonzero(bad.to_numpy())[0])]!r} is "
                                "neither Present nor Unoccupied")
    return text.map(STATUS).to_numpy(bool)


def _current(df: pd.DataFrame, path, stale_h: float) -> tuple[pd.DataFrame, list[str]]:
    updated = times_utc(df, "Lastupdated", path)
    occupied = _status(df, "Status_Description", path)
    zone_text = df["Zone_Number"].astype(str).str.strip() if "Zone_Number" in df else pd.Series("", index=df.index)
    zone = ("zone-" + zone_text.str.replace(r"\.0$", "", regex=True)).where(zone_text != "", "unzoned")
    snapshot = updated.max()
    fresh = (snapshot - updated) <= pd.Timedelta(hours=stale_h)
    notes = [f"snapshot {snapshot.isoformat()} (the feed's latest update)"]
    if (~fresh).any():
        notes.append(f"{int((~fresh).sum())} bay(s) not refreshed within {stale_h:g} h of it: not counted "
                     f"({rows_text(df, ~fresh.to_numpy())})")
    frame = pd.DataFrame({"zone": zone, "time": snapshot, "occupied": occupied, "line": np.arange(len(df)) + 2})
    return frame[fresh.to_numpy()], notes


def _layout_2018(df: pd.DataFrame, path, date: str | None, tz: str) -> tuple[pd.DataFrame, list[str]]:
    if not date:
        raise ProviderFileError(f"{path}: this layout names each snapshot's time ({df['file'].iloc[0]!r}) but not "
                                "its date: give the date (--date YYYY-MM-DD) and the local time zone (--tz)")
    clock = df["file"].astype(str).str.extract(r"T(\d{1,2})-(\d{2})", expand=True)
    bad = clock.isna().any(axis=1)
    if bad.any():
        raise ProviderFileError(f"{path}: {rows_text(df, bad)}: file {df['file'].iloc[int(np.flatnonzero(bad)[0])]!r} "
                                "names no snapshot time (expected e.g. sensors_T11-18.csv for 11:18)")
    try:
        day = pd.Timestamp(date)
        local = day + pd.to_timedelta(clock[0].astype(int), unit="h") + pd.to_timedelta(clock[1].astype(int), unit="m")
        time = local.dt.tz_localize(tz).dt.tz_convert("UTC")
    except (ValueError, TypeError) as exc:
        raise ProviderFileError(f"{path}: date {date!r} or time zone {tz!r} not understood ({exc})") from None
    occupied = _status(df, "status", path)
    times = sorted({t.isoformat() for t in time})
    return (pd.DataFrame({"zone": "all", "time": time, "occupied": occupied, "line": np.arange(len(df)) + 2}),
            [f"{len(times)} snapshot(s): " + ", ".join(times)])


def occupancy_table(batch: ProviderBatch) -> pd.DataFrame:
    """The batch's observations as zone, time and occupancy (%): what a person reads."""
    obs = batch.observations
    return pd.DataFrame({"zone": obs["sensor_id"].str.removeprefix("bays-"), "time": obs["time"],
                         "occupancy_pct": obs["value"].round(1)}).sort_values(["time", "zone"]).reset_index(drop=True)


__all__ = ["is_bay_status", "occupancy_table", "read_bay_status"]
