"""GRDF gas readings (Gazpar meters), as the customer area and the ADICT API return them.

A JSON list of readings (or ``{"releves": […]}``, or ``{"<PCE>": {"releves": […]}}`` as the
customer area answers, or one JSON object per line), each with the fields GRDF documents:
``journeeGaziere`` (the gas day, for daily « informative » readings), ``dateDebutReleve`` /
``dateFinReleve`` (the period of a published reading: a day or a month), ``energieConsomme`` (kWh),
``volumeBrutConsomme`` (m³), ``coeffConversion`` (kWh/m³: the gas's heating value × the pressure
and temperature correction), ``qualificationReleve`` and ``status``.

* A **gas day** runs from 06:00 to 06:00 French legal time (the gas industry's day, « journée
  gazière »): the energy of gas day 2024-01-15 is stored at 2024-01-15 06:00 legal time
  (05:00 UTC in winter), as the store labels amounts by their start. Sensor ``grdf-<PCE>-daily``
  (``gas_energy``, kWh).
* A reading **over a period** (no gas day: the published monthly readings) is stored at the start
  of its first gas day in ``grdf-<PCE>-period``; the notes say how many days each covers — it is not
  split into days.
* Quality from ``qualificationReleve``: measured (« Mesuré », « Relevé », « Réel ») good; estimated,
  corrected or computed suspect; « Absence de données » (or a ``status`` saying so) **missing**,
  whatever number the record carries (GRDF may write 0 there: a day without data is not a day
  without gas). An energy that disagrees with ``volumeBrutConsomme × coeffConversion`` by more than
  2 % (and 1 kWh) is suspect; an empty energy with a volume and a coefficient is their product.

The PCE (the meter point's number) comes from the container, a record's ``idPce`` / ``pce``, or the
``pce`` argument. Every bad record is an error naming the file, the record (from 1) and the field;
nothing is written then.
"""

from __future__ import annotations

import json
import re
import unicodedata

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, MISSING, SUSPECT, ProviderBatch, ProviderFileError, observations,
                                         read_bytes, read_json)
from twin.sources.safe_files import excerpt

LEGAL_TIME = "Europe/Paris"
GAS_DAY_START = pd.Timedelta(hours=6)
"""A gas day starts at 06:00 legal time (Code de l'énergie; GRDF's « journée gazière »)."""
CONSISTENCY = (0.02, 1.0)
"""(relative, absolute kWh): an energy further than this from volume × coefficient is suspect."""


def _plain(text) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.strip().lower().split())


QUALIFICATION = {**dict.fromkeys(["mesure", "mesuree", "releve", "reel", "reelle", "telereleve", "definitif",
                                  "definitive"], GOOD),
                 **dict.fromkeys(["estime", "estimee", "corrige", "corrigee", "rectifie", "rectifiee", "calcule",
                                  "calculee", "provisoire", "informatif", "informative"], SUSPECT),
                 **dict.fromkeys(["absence de donnees", "absence de donnee", "pas de donnees", "donnees absentes"],
                                 MISSING),
                 "": GOOD}


def _records(path, data) -> list[tuple[dict, str | None]]:
    """(record, PCE from the container or None) for each reading, in the file's order."""
    if isinstance(data, dict) and isinstance(data.get("releves"), list):
        return [(r, data.get("idPce")) for r in data["releves"]]
    if isinstance(data, dict) and data and all(isinstance(v, dict) and isinstance(v.get("releves"), list)
                                               for v in data.values()):
        return [(r, str(key)) for key, v in data.items() for r in v["releves"]]
    if isinstance(data, list):
        return [(r, None) for r in data]
    raise ProviderFileError(f"{path}: not a GRDF reading file (expected a list of readings with journeeGaziere / "
                            "energieConsomme, or {\"releves\": […]})")


def _load(path, raw: bytes):
    text = raw.decode("utf-8-sig", errors="replace").strip()
    if "\n" in text and text[:1] == "{":
        try:
            return json.loads(text)
        except json.JSONDecodeError:  # one object per line (ADICT streams its answers so)
            out = []
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise ProviderFileError(f"{path}: line {number}: not readable JSON (column {exc.colno})") \
                            from None
            return out
    return read_json(path, raw)


def _number(path, record: dict, field: str, i: int) -> float:
    value = record.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return np.nan
    if isinstance(value, bool):
        value = "bool"
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise ProviderFileError(f"{path}: record {i}: {field} {excerpt(str(value))} is not a number") from None
    if not np.isfinite(number):
        raise ProviderFileError(f"{path}: record {i}: {field} is not a finite number")
    return number


def _day(path, record: dict, field: str, i: int) -> pd.Timestamp | None:
    value = record.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    day = pd.to_datetime(str(value).strip()[:10], format="%Y-%m-%d", errors="coerce")
    if pd.isna(day):
        raise ProviderFileError(f"{path}: record {i}: {field} {excerpt(str(value))} is not a date (YYYY-MM-DD)")
    return day


def gas_day_start(day: pd.Timestamp) -> pd.Timestamp:
    """The start of gas day ``day`` (06:00 French legal time) in UTC."""
    return (pd.Timestamp(day).normalize() + GAS_DAY_START).tz_localize(LEGAL_TIME).tz_convert("UTC")


def read_grdf(path, pce: str | None = None) -> ProviderBatch:
    """The sensors and observations of a GRDF readings file (daily gas days and reading periods)."""
    data = _load(path, read_bytes(path, "GRDF readings file"))
    rows = []
    notes: list[str] = []
    for i, (record, container_pce) in enumerate(_records(path, data), start=1):
        if not isinstance(record, dict):
            raise ProviderFileError(f"{path}: record {i} is not a JSON object")
        meter = str(record.get("idPce") or record.get("pce") or container_pce or pce or "").strip()
        if not meter:
            raise ProviderFileError(f"{path}: record {i}: no PCE (idPce) in the file — give it with --sensor")
        if not re.fullmatch(r"[0-9A-Za-z]{1,20}", meter):
            raise ProviderFileError(f"{path}: record {i}: PCE {excerpt(meter)} is not a meter number")
        qualification = _plain(record.get("qualificationReleve") or "")
        status = _plain(record.get("status") or "")
        if qualification not in QUALIFICATION:
            raise ProviderFileError(f"{path}: record {i}: qualificationReleve {excerpt(str(record['qualificationReleve']))}"
                                    " is not one GRDF uses (Mesuré, Estimé, Corrigé, Absence de données…)")
        quality = MISSING if QUALIFICATION.get(status) == MISSING else QUALIFICATION[qualification]
        energy = _number(path, record, "energieConsomme", i)
        volume = _number(path, record, "volumeBrutConsomme", i)
        coeff = _number(path, record, "coeffConversion", i)
        if quality == MISSING:  # « Absence de données »: whatever numbers the record carries (often 0) mean nothing
            energy = volume = coeff = np.nan
        if energy < 0 or volume < 0 or coeff <= 0:
            field = "energieConsomme" if energy < 0 else "volumeBrutConsomme" if volume < 0 else "coeffConversion"
            raise ProviderFileError(f"{path}: record {i}: {field} is negative or zero where gas is measured")
        if np.isnan(energy) and not np.isnan(volume * coeff):
            energy = volume * coeff
            notes.append(f"record {i}: energy = volumeBrutConsomme × coeffConversion (energieConsomme empty)")
        elif quality == GOOD and not np.isnan(volume * coeff) and \
                abs(energy - volume * coeff) > max(CONSISTENCY[0] * energy, CONSISTENCY[1]):
            quality = SUSPECT
            notes.append(f"record {i}: energieConsomme {energy:g} kWh ≠ volume × coefficient {volume * coeff:.1f} kWh: "
                         "suspect")
        if quality == MISSING:
            energy = np.nan
        gas_day = _day(path, record, "journeeGaziere", i)
        first = _day(path, record, "dateDebutReleve", i)
        last = _day(path, record, "dateFinReleve", i)
        if gas_day is not None:
            kind, start, days = "daily", gas_day, 1
        elif first is not None and last is not None:
            days = int((last - first).days)
            if days <= 0:
                raise ProviderFileError(f"{path}: record {i}: dateFinReleve is not after dateDebutReleve")
            kind, start = ("daily", first) if days == 1 else ("period", first)
        else:
            raise ProviderFileError(f"{path}: record {i}: neither journeeGaziere nor dateDebutReleve and "
                                    "dateFinReleve (expected a gas day or a reading period)")
        rows.append((meter, kind, gas_day_start(start), energy, quality, i, days))
    if not rows:
        raise ProviderFileError(f"{path}: no reading in the file")
    frame = pd.DataFrame(rows, columns=["pce", "kind", "time", "energy", "quality", "record", "days"])
    frame["sensor_id"] = "grdf-" + frame["pce"] + "-" + frame["kind"]
    twice = frame.duplicated(["sensor_id", "time"], keep=False)
    if twice.any():
        where = frame.loc[twice, "record"].tolist()
        raise ProviderFileError(f"{path}: records {', '.join(map(str, where[:5]))}: the same gas day or period "
                                "twice in one file")
    for _, r in frame[frame["kind"] == "period"].iterrows():
        notes.append(f"record {r['record']}: a reading over {r['days']} gas days from "
                     f"{r['time'].tz_convert(LEGAL_TIME):%Y-%m-%d} (kept whole in {r['sensor_id']}, not split by day)")
    missing = int((frame["quality"] == MISSING).sum())
    if missing:
        notes.append(f"{missing} reading(s) « Absence de données » kept as missing")
    sensors = []
    for sid, kind, meter in frame[["sensor_id", "kind", "pce"]].drop_duplicates().itertuples(index=False):
        what = ("energy of each gas day (06:00–06:00 legal time), stored at its start" if kind == "daily" else
                "energy of each published reading period, stored at the start of its first gas day, not split")
        sensors.append({"sensor_id": sid, "quantity": "gas_energy", "native_unit": "kWh",
                        "name": f"Gazpar {meter} {'gas days' if kind == 'daily' else 'periods'}",
                        "description": f"GRDF readings: {what}"})
    obs = observations(frame["sensor_id"], frame["time"], frame["energy"], "kWh", frame["quality"], frame["record"])
    return ProviderBatch(pd.DataFrame(sensors), obs, "GRDF", notes)
