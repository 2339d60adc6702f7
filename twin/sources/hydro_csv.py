"""Rainfall–runoff input series read from airGR-style CSV files (``DatesR, P, E, Qmm``).

A sensor store's rain, discharge and temperature become a series with PET computed by the model in
:mod:`twin.calibration.hydro_inputs` (a reader returns data; computing PET is a model's job).

Every series is checked before a model sees it: time strictly increasing at a regular
step, rain and PET non-negative, no gap in rain or PET (refused, with the lines, unless
``fill_gaps="zero"`` is said explicitly; a word is no gap: it is refused, naming its line), discharge in mm per step (a ``Qls`` or ``Qm3s``
column is converted only when the catchment area is given — never guessed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from twin.errors import TwinError
from twin.csv_dialect import french_or_iso_times, separator


class HydroDataError(TwinError, ValueError):
    """Unusable rainfall–runoff input; the message names the file, column and lines."""


@dataclass
class HydroSeries:
    """Aligned series on a regular step: rain P, PET E and observed discharge Q, all in mm per step."""

    time: pd.DatetimeIndex
    P: np.ndarray
    E: np.ndarray
    Q: np.ndarray  # NaN where not observed
    step_hours: float
    source: str
    area_km2: float | None = None

    def window(self, start, end) -> "HydroSeries":
        """The sub-series ``[start, end]`` (inclusive, like airGR's periods)."""
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        if s < self.time[0] or e > self.time[-1] or s > e:
            raise HydroDataError(f"{self.source}: period {s} … {e} is outside the data "
                                 f"({self.time[0]} … {self.time[-1]})")
        m = (self.time >= s) & (self.time <= e)
        return HydroSeries(self.time[m], self.P[m], self.E[m], self.Q[m], self.step_hours, self.source, self.area_km2)


GAP_MARKS = frozenset({"", "NA", "NaN", "nan", "N/A", "n/a", "#N/A", "-"})
"""Cells read as a missing value (a gap): empty, or the marks R, pandas and spreadsheets write for one."""


def _lines(mask: np.ndarray) -> str:
    idx = np.flatnonzero(mask)[:5] + 2
    more = f" … ({int(mask.sum())} in all)" if mask.sum() > 5 else ""
    return ", ".join(map(str, idx)) + more


def read_airgr_csv(path: str | Path, *, area_km2: float | None = None, fill_gaps: str | None = None) -> HydroSeries:
    """Read ``DatesR, P, E`` and ``Qmm`` (or ``Qls`` / ``Qm3s`` with ``area_km2``) from a CSV file: commas
    between columns, or the « ; » and decimal comma of a French spreadsheet; dates ISO or day first
    (``31/01/2020``)."""
    import io  # noqa: PLC0415

    from twin.sources.safe_files import InputFileError, read_input_bytes  # noqa: PLC0415

    path = Path(path)
    try:  # a regular file of at most 50 MB; errors name lines and columns, never quote the file
        raw = read_input_bytes(path, what="rainfall-runoff data")
    except InputFileError as exc:
        raise HydroDataError(str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
        sep = separator(text)  # a French spreadsheet's export: « ; » between columns, decimal comma
        # as text: an empty cell is a gap, a word is an error naming its line (both were « gaps »)
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        why = str(exc).split(". ")[-1] if isinstance(exc, pd.errors.ParserError) else type(exc).__name__
        raise HydroDataError(f"{path}: not a readable CSV ({why[:120]})") from None
    df.columns = [str(c).strip() for c in df.columns]

    def numbers(col: str) -> np.ndarray:
        cells = df[col].str.strip()
        if sep == ";":
            cells = cells.str.replace(",", ".", regex=False)
        gap = cells.isin(GAP_MARKS)
        v = pd.to_numeric(cells.where(~gap), errors="coerce").to_numpy(float)
        word = np.isnan(v) & ~gap.to_numpy()
        if word.any():
            first = int(np.flatnonzero(word)[0])
            raise HydroDataError(f"{path}: {col} on line {first + 2} is {df[col].iloc[first].strip()[:20]!r}, not a "
                                 f"number ({int(word.sum())} such line(s); an empty cell is a gap)")
        return v

    time_col = next((c for c in ("DatesR", "date", "time", "Date") if c in df), None)
    missing = [c for c in ("P", "E") if c not in df] + ([] if time_col else ["DatesR"])
    if missing:
        raise HydroDataError(f"{path}: missing column(s) {missing} in the header (line 1, {len(df.columns)} "
                             "column(s)); expected DatesR, P, E and Qmm (or Qls / Qm3s)")
    time = french_or_iso_times(df[time_col])
    if time.isna().any():
        raise HydroDataError(f"{path}: unparsable {time_col} on line(s) {_lines(time.isna().to_numpy())}")
    steps = np.diff(time.to_numpy()).astype("timedelta64[s]").astype(float) / 3600.0
    if len(steps) == 0:
        raise HydroDataError(f"{path}: fewer than two time steps")
    if (steps <= 0).any():
        raise HydroDataError(f"{path}: time not strictly increasing at line(s) {_lines(np.r_[False, steps <= 0])}")
    step = float(np.median(steps))
    if not np.allclose(steps, step):
        raise HydroDataError(f"{path}: irregular time step (expected every {step:g} h) at line(s) "
                             f"{_lines(np.r_[False, ~np.isclose(steps, step)])}")
    if "Qmm" in df:
        q = numbers("Qmm")
    elif ("Qls" in df or "Qm3s" in df) and area_km2:
        col, factor = ("Qls", 1e-3) if "Qls" in df else ("Qm3s", 1.0)
        q = numbers(col) * factor * step * 3600.0 / (area_km2 * 1000.0)
    elif "Qls" in df or "Qm3s" in df:
        raise HydroDataError(f"{path}: discharge is given in {'l/s' if 'Qls' in df else 'm3/s'} but the model "
                             "works in mm per step: give the catchment area (--area-km2) to convert it")
    else:
        q = np.full(len(df), np.nan)
    out = {}
    for col in ("P", "E"):
        v = numbers(col)
        if (v < 0).any():
            raise HydroDataError(f"{path}: negative {col} on line(s) {_lines(v < 0)}")
        if np.isnan(v).any():
            if fill_gaps != "zero":
                raise HydroDataError(f"{path}: {int(np.isnan(v).sum())} gap(s) in {col} on line(s) "
                                     f"{_lines(np.isnan(v))}; fill them at the source, or say fill_gaps='zero'")
            v = np.nan_to_num(v, nan=0.0)
        out[col] = v
    if (q < 0).any():
        raise HydroDataError(f"{path}: negative discharge on line(s) {_lines(q < 0)}")
    return HydroSeries(pd.DatetimeIndex(time), out["P"], out["E"], q, step, str(path), area_km2)
