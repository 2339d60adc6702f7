"""Vigicrues station observations (``services/observations.json``): water levels and discharges.

The service's JSON for one station and one quantity: ``{"Serie": {"CdStationHydro": …,
"LbStationHydro": …, "GrdSerie": "H" | "Q", "ObssHydro": [{"DtObsHydro": ISO 8601, "ResObsHydro":
number}, …]}}``. Vigicrues publishes water levels **in m** and discharges **in m³/s** (as its
station pages show them; Hub'Eau gives the same series in mm and l/s — a value far off its physical
range is flagged by the store, which catches a file in the other unit). The JSON carries no quality
code: values are kept as good, empty ones as missing. Sensors are named ``vigicrues-<station>-H`` / ``-Q``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, ProviderBatch, ProviderFileError, as_batch, numbers, observations,
                                         read_bytes, read_json, times_utc)

GRANDEURS = {"H": ("water_level", "m", "water level"), "Q": ("discharge", "m3/s", "discharge")}


def read_vigicrues(path) -> ProviderBatch:
    """The sensor and observations of a Vigicrues ``observations.json`` file."""
    doc = read_json(path, read_bytes(path, "Vigicrues observations file"))
    serie = doc.get("Serie") if isinstance(doc, dict) else None
    if not isinstance(serie, dict):
        raise ProviderFileError(f"{path}: expected Vigicrues' observations.json ({{\"Serie\": {{…, \"ObssHydro\": "
                                "[…]}}}})")
    station = str(serie.get("CdStationHydro") or "").strip()
    grandeur = str(serie.get("GrdSerie") or "").strip()
    if not station:
        raise ProviderFileError(f"{path}: Serie.CdStationHydro is empty")
    if grandeur not in GRANDEURS:
        raise ProviderFileError(f"{path}: Serie.GrdSerie {grandeur!r} is not H (water level, m) or Q (discharge, m³/s)")
    rows = serie.get("ObssHydro")
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise ProviderFileError(f"{path}: Serie.ObssHydro holds no observation records")
    df = pd.DataFrame(rows)
    for col in ("DtObsHydro", "ResObsHydro"):
        if col not in df:
            raise ProviderFileError(f"{path}: the records of Serie.ObssHydro lack the field {col}")
    df = df.astype(object).where(df.notna(), "").astype(str)
    df.attrs["records"] = True
    quantity, unit, what = GRANDEURS[grandeur]
    sid = f"vigicrues-{station}-{grandeur}"
    name = str(serie.get("LbStationHydro") or station).strip()
    sensor = {"sensor_id": sid, "quantity": quantity, "native_unit": unit, "name": f"{name} {grandeur}",
              "description": f"Vigicrues observations.json, station {station}: {what} in {unit}"}
    values = numbers(df, "ResObsHydro", path)
    return as_batch("Vigicrues", [sensor], [observations(np.full(len(df), sid), times_utc(df, "DtObsHydro", path),
                                                         values, unit, np.full(len(df), GOOD, dtype=object),
                                                         np.arange(len(df)) + 1)])
