"""SCADA files of a water network in BattLeDIM's published layout, and leak lists (issue 22).

BattLeDIM 2020 (Vrachimis et al., *Battle of the Leakage Detection and Isolation Methods*, J. Water
Resour. Plann. Manage. 148(12), 2022) published a year of L-Town's sensors as four files,
``2018_SCADA_Pressures.csv`` (m), ``…_Flows.csv`` (m³/h), ``…_Levels.csv`` (m) and ``…_Demands.csv``
(AMR, L/h): semicolon-separated, decimal comma, a ``Timestamp`` column (``2018-01-01 00:00``) at
5-minute steps and one column per sensor, named by its node or link. A utility often has only some
of them (its inflows and tank levels): :func:`read_scada` reads whichever are present.

A leak list (:func:`read_leaks`) has BattLeDIM's columns: ``link_id, start_time, end_time,
leak_diameter_m, leak_type`` (``incipient`` or ``abrupt``) ``, peak_time``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from twin.sources.safe_files import InputFileError

KINDS = {"pressures": "Pressures", "flows": "Flows", "levels": "Levels", "demands": "Demands"}
"""SCADA kind → the word in BattLeDIM's file names (``<year>_SCADA_<word>.csv``)."""
UNITS = {"pressures": "m", "flows": "m³/h", "levels": "m", "demands": "L/h"}


class ScadaFileError(InputFileError):
    """A SCADA or leak file that cannot be used: names the file, the line or column, and what was expected."""


@dataclass(frozen=True)
class Leak:
    """A leak on a pipe (``link``: BattLeDIM) or at a junction (``node``: LeakDB): from ``start`` to ``end``,
    its hole growing (incipient) to ``diameter_m`` at ``peak`` or at once (abrupt)."""

    link: str | None
    start: pd.Timestamp
    end: pd.Timestamp
    diameter_m: float
    kind: str
    peak: pd.Timestamp
    node: str | None = None

    @property
    def where(self) -> str:
        """The pipe or the junction that leaks (a leak list's key)."""
        return self.link if self.link is not None else str(self.node)

    def area_m2(self, at: pd.Timestamp) -> float:
        """Area of the hole at time ``at`` (0 outside [start, end)); an incipient leak grows linearly in
        diameter from 0 at its start to its full diameter at its peak (BattLeDIM's generator)."""
        if at < self.start or at >= self.end:
            return 0.0
        d = self.diameter_m
        if self.kind == "incipient" and self.peak > self.start and at < self.peak:
            d *= (at - self.start) / (self.peak - self.start)
        return float(np.pi * d * d / 4)


def read_leaks(path: str | Path) -> list[Leak]:
    """The leaks of a CSV in BattLeDIM's columns; an error names the file, line and field."""
    path = Path(path)
    if not path.is_file():
        raise ScadaFileError(f"{path}: no such file (a leak list CSV was expected)")
    table = pd.read_csv(path, dtype=str, skipinitialspace=True)
    need = ["link_id", "start_time", "end_time", "leak_diameter_m", "leak_type", "peak_time"]
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise ScadaFileError(f"{path.name}: missing column(s) {missing}; expected {need}")
    leaks = []
    for i, row in table.iterrows():
        line = i + 2
        try:
            start, end, peak = (pd.Timestamp(row[c]) for c in ("start_time", "end_time", "peak_time"))
            diameter = float(row["leak_diameter_m"])
            if pd.isna(start) or pd.isna(end) or pd.isna(peak) or not np.isfinite(diameter):
                raise ValueError("empty")
        except (ValueError, TypeError):
            raise ScadaFileError(f"{path.name}, line {line}: expected times as YYYY-MM-DD HH:MM and a diameter "
                                 "in metres") from None
        kind = str(row["leak_type"]).strip()
        if kind not in ("incipient", "abrupt"):
            raise ScadaFileError(f"{path.name}, line {line}: leak_type {kind!r}: expected incipient or abrupt")
        if not (start <= peak <= end) or not diameter > 0:
            raise ScadaFileError(f"{path.name}, line {line}: expected start ≤ peak ≤ end and a positive diameter")
        leaks.append(Leak(str(row["link_id"]).strip(), start, end, diameter, kind, peak))
    return leaks


def read_leakdb_leaks(path: str | Path, scenario: int, start: str | pd.Timestamp = "2017-01-01",
                      step_s: int = 1800) -> list[Leak]:
    """The leaks of one LeakDB scenario (``scenario, node_id, leak_diameter, leak_type, leak_start_time,
    leak_end_time, leak_peak_time``; times as indices of ``step_s`` steps from ``start``). A scenario
    absent from the file is leak-free (LeakDB lists only those that leak)."""
    path = Path(path)
    if not path.is_file():
        raise ScadaFileError(f"{path}: no such file (LeakDB's leak list was expected)")
    table = pd.read_csv(path)
    need = ["scenario", "node_id", "leak_diameter", "leak_type", "leak_start_time", "leak_end_time", "leak_peak_time"]
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise ScadaFileError(f"{path.name}: missing column(s) {missing}; expected {need}")
    origin, step = pd.Timestamp(start), pd.Timedelta(seconds=step_s)
    leaks = []
    for i, row in table[table["scenario"] == scenario].iterrows():
        kind = str(row["leak_type"]).strip()
        if kind not in ("incipient", "abrupt"):
            raise ScadaFileError(f"{path.name}, line {i + 2}: leak_type {kind!r}: expected incipient or abrupt")
        times = [origin + int(row[c]) * step for c in ("leak_start_time", "leak_end_time", "leak_peak_time")]
        if not times[0] <= times[2] <= times[1]:
            raise ScadaFileError(f"{path.name}, line {i + 2}: expected start ≤ peak ≤ end")
        leaks.append(Leak(None, times[0], times[1], float(row["leak_diameter"]), kind, times[2], node=str(row["node_id"])))
    return leaks


def scada_path(folder: str | Path, kind: str, year: int) -> Path:
    """Where BattLeDIM keeps a kind of file; ``leakages`` (the true leak flows, m³/h per leaking pipe) is
    ``<year>_Leakages.csv``, the others ``<year>_SCADA_<Kind>.csv``."""
    if kind == "leakages":
        return Path(folder) / f"{year}_Leakages.csv"
    return Path(folder) / f"{year}_SCADA_{KINDS[kind]}.csv"


def write_scada(folder: str | Path, tables: dict[str, pd.DataFrame], year: int) -> list[Path]:
    """Write ``tables`` (kind → DataFrame indexed by time, a column per sensor) in BattLeDIM's layout."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, table in tables.items():
        path = scada_path(folder, kind, year)
        out = table.copy()
        out.index = out.index.strftime("%Y-%m-%d %H:%M")
        out.index.name = "Timestamp"
        out.to_csv(path, sep=";", decimal=",", float_format="%.2f")
        written.append(path)
    return written


def read_scada(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The SCADA files found in ``folder`` (any year, any of the four kinds), kind → DataFrame indexed by
    time. An error names the file and the line of a time or value that cannot be read; a folder with
    none of the files is an error too."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ScadaFileError(f"{folder}: no such folder (SCADA files <year>_SCADA_Pressures.csv … were expected)")
    out = {}
    for kind, word in KINDS.items():
        found = sorted(folder.glob(f"*_SCADA_{word}.csv"))
        if len(found) > 1:
            raise ScadaFileError(f"{folder}: several {word} files ({', '.join(p.name for p in found)}); keep one year")
        if found:
            out[kind] = _read_one(found[0])
    if not out:
        raise ScadaFileError(f"{folder}: none of <year>_SCADA_Pressures.csv, _Flows.csv, _Levels.csv, _Demands.csv")
    return out


def read_leak_flows(folder: str | Path) -> pd.DataFrame | None:
    """The true leak flows of ``<year>_Leakages.csv`` in ``folder`` (m³/h per leaking pipe), or None."""
    found = sorted(Path(folder).glob("*_Leakages.csv"))
    return _read_one(found[0]) if found else None


def _read_one(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, sep=";", dtype=str)
    if "Timestamp" not in table.columns:
        raise ScadaFileError(f"{path.name}: no 'Timestamp' column (got {list(table.columns)[:5]}); expected "
                             "BattLeDIM's layout: Timestamp;sensor;sensor… with decimal commas")
    times = pd.to_datetime(table.pop("Timestamp"), format="%Y-%m-%d %H:%M", errors="coerce")
    if times.isna().any():
        line = int(np.flatnonzero(times.isna().to_numpy())[0]) + 2
        raise ScadaFileError(f"{path.name}, line {line}: time not in the form YYYY-MM-DD HH:MM")
    values = table.apply(lambda c: pd.to_numeric(c.str.replace(",", ".", regex=False), errors="coerce"))
    bad = values.isna() & table.notna()
    if bad.to_numpy().any():
        row, col = map(int, np.argwhere(bad.to_numpy())[0])
        raise ScadaFileError(f"{path.name}, line {row + 2}, sensor {table.columns[col]!r}: not a number")
    values.index = pd.DatetimeIndex(times, name="time")
    steps = values.index.to_series().diff().dt.total_seconds().to_numpy()[1:]
    if (steps <= 0).any():
        line = int(np.flatnonzero(steps <= 0)[0]) + 3  # the header, then the first row
        raise ScadaFileError(f"{path.name}, line {line}: time {values.index[line - 2]} does not come after the "
                             "line before (times must increase, each once)")
    return values
