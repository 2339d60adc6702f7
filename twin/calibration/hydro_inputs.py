"""The rainfall–runoff inputs of a calibration or a forecast, from a sensor store or a CSV file.

A sensor store holds rain, discharge and air temperature; GR4 needs rain, PET and discharge
in mm per step. The reader gives the data (:meth:`twin.sensors.SensorStore.series`); the
potential evapotranspiration is the Oudin model's (:func:`twin.models.hydrology.oudin_pet_per_step`),
so it is computed here, above both, and never inside a reader. An airGR-style CSV already
carries PET (column ``E``) and is read by :func:`twin.sources.hydro_csv.read_airgr_csv`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from twin.models.hydrology import oudin_pet_per_step
from twin.sources.hydro_csv import HydroDataError, HydroSeries, read_airgr_csv


def series_from_store(store, rain: str, flow: str, temperature: str, *, area_km2: float, latitude_deg: float,
                      freq: str = "1h", start=None, end=None, causal_pet: bool = False) -> HydroSeries:
    """Rain (mm), discharge (m³/s → mm/step over ``area_km2``) and Oudin PET from air temperature, from a store.
    ``causal_pet``: PET from the day before's temperature (:func:`oudin_pet_per_step`), for forecasts issued
    inside the series."""
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
    pet = oudin_pet_per_step(t, latitude_deg, causal=causal_pet)
    q_mm = q.reindex(idx).to_numpy() * step_h * 3600.0 / (area_km2 * 1000.0)
    return HydroSeries(idx, p.to_numpy(), pet, q_mm, step_h, f"{store.path} ({rain}, {flow})", area_km2)


def read_hydro_series(source: str | Path, *, area_km2: float | None = None, latitude_deg: float | None = None,
                      rain: str, flow: str, temperature: str, fill_gaps: bool = False,
                      causal_pet: bool = False) -> HydroSeries:
    """The rainfall–runoff series of ``source``: a sensor store directory (rain ``rain``, discharge
    ``flow`` in m³/s, Oudin PET from ``temperature``; needs ``area_km2`` and ``latitude_deg``) or an
    airGR-style CSV (:func:`read_airgr_csv`; ``fill_gaps`` fills rain / PET gaps with zeros, said)."""
    path = Path(source)
    if path.is_dir():
        from twin.sensors import SensorStore  # noqa: PLC0415

        if area_km2 is None or latitude_deg is None:
            raise HydroDataError("a sensor store gives discharge in m³/s: --area-km2 and --lat (for PET) are needed")
        return series_from_store(SensorStore(path), rain, flow, temperature, area_km2=area_km2,
                                 latitude_deg=latitude_deg, causal_pet=causal_pet)
    return read_airgr_csv(path, area_km2=area_km2, fill_gaps="zero" if fill_gaps else None)
