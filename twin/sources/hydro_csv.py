"""Rainfall–runoff input series: airGR-style CSV files (``DatesR, P, E, Qmm``) or twin's sensor store.

Every series is checked before a model sees it: time strictly increasing at a regular
step, rain and PET non-negative, no gap in rain or PET (refused, with the lines, unless
``fill_gaps="zero"`` is said explicitly), discharge in mm per step (a ``Qls`` or ``Qm3s``
column is converted only when the catchment area is given — never guessed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd


class HydroDataError(ValueError):
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


def _lines(mask: np.ndarray) -> str:
    idx = np.flatnonzero(mask)[:5] + 2
    more = f" … ({int(mask.sum())} in all)" if mask.sum() > 5 else ""
    return ", ".join(map(str, idx)) + more


def read_airgr_csv(path: str | Path, *, area_km2: float | None = None, fill_gaps: str | None = None) -> HydroSeries:
    """Read ``DatesR, P, E`` and ``Qmm`` (or ``Qls`` / ``Qm3s`` with ``area_km2``) from a CSV file."""
    import io  # noqa: PLC0415

    from twin.sources.safe_files import InputFileError, read_input_bytes  # noqa: PLC0415

    path = Path(path)
    try:  # a regular file of at most 50 MB; errors name lines and columns, never quote the file
        raw = read_input_bytes(path, what="rainfall-runoff data")
    except InputFileError as exc:
        raise HydroDataError(str(exc)) from None
    try:
        df = pd.read_csv(io.BytesIO(raw))
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        why = str(exc).split(". ")[-1] if isinstance(exc, pd.errors.ParserError) else type(exc).__name__
        raise HydroDataError(f"{path}: not a readable CSV ({why[:120]})") from None
    time_col = next((c for c in ("DatesR", "date", "time", "Date") if c in df), None)
    missing = [c for c in ("P", "E") if c not in df] + ([] if time_col else ["DatesR"])
    if missing:
        raise HydroDataError(f"{path}: missing column(s) {missing} in the header (line 1, {len(df.columns)} "
                             "column(s)); expected DatesR, P, E and Qmm (or Qls / Qm3s)")
    time = pd.to_datetime(df[time_col], errors="coerce")
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
        q = pd.to_numeric(df["Qmm"], errors="coerce").to_numpy(float)
    elif ("Qls" in df or "Qm3s" in df) and area_km2:
        col, factor = ("Qls", 1e-3) if "Qls" in df else ("Qm3s", 1.0)
        q = pd.to_numeric(df[col], errors="coerce").to_numpy(float) * factor * step * 3600.0 / (area_km2 * 1000.0)
    elif "Qls" in df or "Qm3s" in df:
        raise HydroDataError(f"{path}: discharge is given in {'l/s' if 'Qls' in df else 'm3/s'} but the model "
                             "works in mm per step: give the catchment area (--area-km2) to convert it")
    else:
        q = np.full(len(df), np.nan)
    out = {}
    for col in ("P", "E"):
        v = pd.to_numeric(df[col], errors="coerce").to_numpy(float)
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


def from_sensor_store(store, rain: str, flow: str, temperature: str, *, area_km2: float, latitude_deg: float,
                      freq: str = "1h", start=None, end=None) -> HydroSeries:
    """Rain (mm), discharge (m³/s → mm/step over ``area_km2``) and Oudin PET from air temperature, from a store."""
    from twin.models.hydrology import oudin_pet_mm_per_day  # noqa: PLC0415

    p = store.series(rain, start, end, freq=freq).to_series()
    q = store.series(flow, start, end, freq=freq).to_series()
    t = store.series(temperature, start, end, freq=freq).to_series()
    idx = p.index.intersection(t.index)
    if len(idx) < 2:
        raise HydroDataError(f"{store.path}: {rain} and {temperature} share fewer than two time steps")
    p, t = p.reindex(idx), t.reindex(idx)
    if p.isna().any():
        raise HydroDataError(f"{store.path}: {int(p.isna().sum())} gap(s) in {rain} (first {p[p.isna()].index[0]})")
    step_h = (idx[1] - idx[0]) / pd.Timedelta(hours=1)
    daily_t = t.resample("1D").mean().interpolate(limit_direction="both")
    pet_day = pd.Series(oudin_pet_mm_per_day(daily_t.to_numpy(), daily_t.index.day_of_year, latitude_deg),
                        index=daily_t.index)
    pet = pet_day.reindex(idx.normalize()).to_numpy() * step_h / 24.0
    q_mm = q.reindex(idx).to_numpy() * step_h * 3600.0 / (area_km2 * 1000.0)
    return HydroSeries(idx, p.to_numpy(), pet, q_mm, step_h, f"{store.path} ({rain}, {flow})", area_km2)
