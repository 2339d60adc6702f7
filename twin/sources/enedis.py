"""Enedis meter files, as a customer or a commune downloads them (« Mes données », SGE exports).

Three layouts, told apart by their header lines (``;``-separated, UTF-8 with or without BOM, a
preamble before the table):

* **load curve** (« Courbe de charge »): a preamble (``Identifiant PRM;Type de donnees;…;Unite``
  and its row), then ``Horodate;Valeur``. ``Valeur`` is the **mean power in W over the step that
  ends at** ``Horodate`` (Enedis, « Courbe de charge » description: « puissance moyenne … sur le pas
  de mesure », time-stamped at its end). The step is 10, 15, 30 or 60 min and may change within
  a file (the meter's setting changes: 30 → 60 → 30 min); it is read from the time since the row
  before (:func:`steps_minutes`), so a missing row (a gap) is not taken for a longer step.
* **SGE R63 layout**: one self-contained row per value, ``Identifiant PRM;…;Unité;Horodate;Valeur;
  Nature;Pas;…`` with the step written (``PT30M``) and the value's nature (``R`` réel / ``B`` brut
  kept as good; estimated or corrected natures as suspect).
* **daily index** (« Index », rows « Arrêté quotidien »): the meter's **cumulative** registers in
  Wh at local midnight, one column per tariff period (``EAS F1``…``EAS F10`` supplier grid,
  ``EAS D1``…``EAS D4`` distributor grid, ``EAS T`` total), often followed by a second table with
  its own header (the supplier's tariff calendar, ``Periode;Identifiant calendrier fournisseur;…``),
  which is named in the notes and not imported.

What reaches the store (:class:`twin.sources.provider_files.ProviderBatch`):

* ``enedis-<PRM>-load`` (``electric_energy``, kWh): energy over each step = mean power × step,
  **stored at the step's start** as the store labels amounts (a value dated 00:30 is the energy of
  00:00–00:30, stored at 00:00);
* ``enedis-<PRM>-index`` (``electric_energy_index``, kWh): the total register at each reading
  (``EAS T``, or the sum of the supplier registers when the total is empty);
* ``enedis-<PRM>-daily`` (``electric_energy``, kWh): the difference of two readings one local day
  apart, stored at the first reading. Readings further apart are not split into days (the index
  sensor keeps both; the notes say how much energy lies between them); a register that goes down
  (a meter replaced) gives no daily value and a note.

Times with an offset (``2023-10-29T02:30:00+02:00``) are exact; times without one are French legal
time, the autumn hour that appears twice resolved by its order in the file (first the summer one),
and a time inside the spring's missing hour is an error. Empty values are kept as ``missing``; a gap
(rows absent) is listed in the notes with its hours. Every unreadable line is an error naming the
file, the line and the field; nothing is written then.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, MISSING, SUSPECT, ProviderBatch, ProviderFileError, observations,
                                         read_bytes)
from twin.sources.safe_files import excerpt

LEGAL_TIME = "Europe/Paris"
STEPS_MIN = (5, 10, 15, 30, 60)
"""Steps a load curve may have, minutes (Linky: 10, 15, 30 or 60; 5 for some C1–C4 meters)."""
GOOD_NATURES = {"R", "B", ""}
"""R63 « Nature »: R (réelle) and B (brute) are measured; the others (estimated, corrected…) are suspect."""
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_DURATION = re.compile(r"^PT(\d+)([MH])$", re.IGNORECASE)
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4})")


def _key(text: str) -> str:
    """A header's name without accents, case or surrounding spaces (« Unité » = « Unite »)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.strip().lower().split())


class _Table:
    """One table of the file: its header (normalised names), its rows and their line numbers."""

    def __init__(self, header: list[str], header_line: int):
        self.names = [h.strip() for h in header]
        self.keys = [_key(h) for h in header]
        self.header_line = header_line
        self.rows: list[list[str]] = []
        self.lines: list[int] = []

    def column(self, key: str) -> np.ndarray | None:
        if key not in self.keys:
            return None
        j = self.keys.index(key)
        return np.array([(r[j].strip() if j < len(r) else "") for r in self.rows], dtype=object)

    def first(self, key: str) -> str | None:
        col = self.column(key)
        return None if col is None or not len(col) else str(col[0])


def _tables(path, text: str) -> list[_Table]:
    """The file's tables: a line is a header when the line after it is data of the same table, i.e.
    each block of non-empty lines starts with a header; a header line (``Horodate``, ``Identifiant
    PRM``, ``Periode``) inside a block starts a new table."""
    tables: list[_Table] = []
    current: _Table | None = None
    last: _Table | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip().strip(";"):
            current = None
            continue
        cells = line.split(";")
        starts = _key(cells[0])
        if current is None and last is not None and "horodate" in last.keys and _STAMP.match(cells[0].strip()):
            current = last  # a blank line inside a table of readings: the readings go on
        if current is not None and len(cells) > len(current.names) and any(c.strip() for c in cells[len(current.names):]):
            raise ProviderFileError(f"{path}: line {number}: more fields than the header of line "
                                    f"{current.header_line} ({len(current.names)}): a column name missing?")
        if current is None or starts in ("horodate", "identifiant prm", "periode"):
            current = _Table(cells, number)
            tables.append(current)
            last = current
        else:
            current.rows.append(cells)
            current.lines.append(number)
    if not tables:
        raise ProviderFileError(f"{path}: an empty file (expected an Enedis load curve or daily index)")
    return tables


def _lines_text(lines: np.ndarray) -> str:
    more = f" … ({len(lines)} in all)" if len(lines) > 5 else ""
    return "line(s) " + ", ".join(map(str, lines[:5])) + more


def legal_times(path, text: np.ndarray, lines: np.ndarray, field: str = "Horodate") -> pd.DatetimeIndex:
    """Times of an Enedis file in UTC: exact when written with an offset; without one, French legal time
    (the autumn's repeated hour resolved by the order of the rows, the spring's missing hour an error)."""
    text = np.asarray([str(t).strip() for t in text], dtype=object)
    with_offset = np.array([bool(_OFFSET.search(t)) for t in text])
    if with_offset.all():
        parsed = pd.to_datetime(pd.Series(text), format="ISO8601", errors="coerce", utc=True)
    elif not with_offset.any():
        naive = pd.to_datetime(pd.Series(text), format="ISO8601", errors="coerce")
        for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
            if naive.isna().any():
                naive = naive.fillna(pd.to_datetime(pd.Series(text), format=fmt, errors="coerce"))
        bad = naive.isna().to_numpy()
        if bad.any():
            raise ProviderFileError(f"{path}: {_lines_text(lines[bad])}: {field} {excerpt(text[bad][0])} is not a "
                                    "time (e.g. 2023-01-15T00:30:00+01:00)")
        newest_first = len(naive) > 1 and naive.iloc[0] > naive.iloc[-1]  # the repeated hour then comes winter first
        try:
            local = pd.DatetimeIndex(naive[::-1] if newest_first else naive)
            utc = local.tz_localize(LEGAL_TIME, ambiguous="infer", nonexistent="raise").tz_convert("UTC")
            parsed = pd.Series(utc[::-1] if newest_first else utc)
        except Exception:  # pandas' / pytz's AmbiguousTimeError, NonExistentTimeError
            local = pd.DatetimeIndex(naive)
            skipped = np.asarray(local.tz_localize(LEGAL_TIME, ambiguous=np.ones(len(local), bool),
                                                   nonexistent="NaT").isna())
            twice = np.asarray(local.tz_localize(LEGAL_TIME, ambiguous="NaT", nonexistent="shift_forward").isna())
            where, why = (skipped, "does not exist (the spring hour skipped)") if skipped.any() else \
                (twice, "occurs twice (the autumn hour) and the order of the rows does not say which")
            raise ProviderFileError(f"{path}: {_lines_text(lines[where])}: {field} without an offset is a French "
                                    f"legal time that {why} — write the offset (+01:00 / +02:00)") from None
    else:
        raise ProviderFileError(f"{path}: {_lines_text(lines[~with_offset])}: {field} without an offset while "
                                "other rows have one (expected every time with its offset, e.g. +01:00)")
    bad = parsed.isna().to_numpy()
    if bad.any():
        raise ProviderFileError(f"{path}: {_lines_text(lines[bad])}: {field} {excerpt(text[bad][0])} is not a time "
                                "(e.g. 2023-01-15T00:30:00+01:00)")
    return pd.DatetimeIndex(parsed)


def _numbers(path, text: np.ndarray, lines: np.ndarray, field: str) -> np.ndarray:
    clean = np.array([str(t).strip().replace(",", ".").replace(" ", "").replace("\u202f", "") for t in text],
                     dtype=object)
    values = pd.to_numeric(pd.Series(clean), errors="coerce").to_numpy(float)
    bad = np.isnan(values) & (clean != "")
    if bad.any():
        raise ProviderFileError(f"{path}: {_lines_text(lines[bad])}: {field} {excerpt(text[bad][0])} is not a "
                                "number")
    return values


def steps_minutes(times: pd.DatetimeIndex, declared: np.ndarray | None = None,
                  default: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The step of each row of a load curve (minutes) and whether rows are missing before it (a gap).

    A row's step is the time since the row before, unless that time cannot be a step: not one of
    :data:`STEPS_MIN`, or longer than the times on both sides of it (one 60-min difference among
    30-min ones is a missing row, while a change of setting lasts: 30, 30, 60, 60). Rows are missing
    before such a row, and its step is its neighbours' (the next row's, else the one before). The
    first row takes the next row's step. ``declared`` (minutes per row, NaN where unknown: R63's ``Pas``)
    wins where given; ``default`` (a preamble's « Pas en minutes ») serves only where the times cannot tell.
    Raises ValueError with the index of a row whose step cannot be told (a lone row, nothing declared).
    """
    n = len(times)
    minutes = np.diff(times.as_unit("ns").asi8) / 60e9 if n > 1 else np.array([])
    prev = np.r_[np.nan, minutes]                     # t[i] - t[i-1]
    nxt = np.r_[minutes, np.nan]                      # t[i+1] - t[i]
    before = np.r_[np.nan, prev[:-1]] if n else prev  # t[i-1] - t[i-2]
    known = ~np.isnan(prev)
    with np.errstate(invalid="ignore"):
        beyond_next = np.isnan(nxt) | (prev > nxt)
        beyond_before = np.isnan(before) | (prev > before)
    lonely_peak = beyond_next & beyond_before & ~(np.isnan(nxt) & np.isnan(before))
    gap = known & (~np.isin(prev, STEPS_MIN) | lonely_peak)
    steps = np.where(known & ~gap, prev, np.nan)
    for i in np.flatnonzero(np.isnan(steps)):
        after = nxt[i] if i + 1 < n and not gap[i + 1] else np.nan
        for candidate in (after, before[i]):
            if candidate in STEPS_MIN:
                steps[i] = candidate
                break
    if default is not None:
        steps = np.where(np.isnan(steps), default, steps)
    if declared is not None:
        steps = np.where(np.isnan(declared), steps, declared)
    unknown = np.isnan(steps)
    if unknown.any():
        raise ValueError(int(np.flatnonzero(unknown)[0]))
    return steps, gap


def _gap_notes(times: pd.DatetimeIndex, steps: np.ndarray, gap: np.ndarray) -> list[str]:
    """One note per gap of a load curve: from the end of the last value to the start of the next."""
    notes = []
    for i in np.flatnonzero(gap):
        start = times[i - 1]
        end = times[i] - pd.Timedelta(minutes=float(steps[i]))
        if end > start:
            hours = (end - start) / pd.Timedelta(hours=1)
            notes.append(f"no value from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC ({hours:g} h missing)")
    return notes


def _preamble(table: _Table) -> dict[str, str] | None:
    """A preamble's fields (normalised names → its row's values), or None when ``table`` is not one."""
    if table.keys and table.keys[0] == "identifiant prm" and "horodate" not in table.keys and table.rows:
        return {k: (table.rows[0][j].strip() if j < len(table.rows[0]) else "") for j, k in enumerate(table.keys)}
    return None


def _prm(path, meta: dict, fallback: str | None) -> str:
    prm = (meta.get("identifiant prm") or fallback or "").strip()
    if not prm:
        raise ProviderFileError(f"{path}: no « Identifiant PRM » in the preamble (the meter's number, 14 digits); "
                                "without a preamble, name the meter with --sensor")
    if not re.fullmatch(r"[0-9A-Za-z]{1,20}", prm):
        raise ProviderFileError(f"{path}: « Identifiant PRM » {excerpt(prm)} is not a meter number (14 digits)")
    return prm


def _power_factor_kw(path, unit: str, line: int | str) -> float:
    unit = unit.strip()
    factors = {"w": 1e-3, "kw": 1.0, "": 1e-3}
    if unit.lower() not in factors:
        raise ProviderFileError(f"{path}: line {line}: Unite {excerpt(unit)} is not a power unit of a load curve "
                                "(expected W or kW)")
    return factors[unit.lower()]


def _load_curve(path, table: _Table, meta: dict, r63: bool) -> tuple[list[dict], list[pd.DataFrame], list[str]]:
    lines = np.asarray(table.lines, int)
    if not len(lines):
        raise ProviderFileError(f"{path}: line {table.header_line}: a load curve header without any row")
    if "valeur" not in table.keys:
        raise ProviderFileError(f"{path}: line {table.header_line} lacks the field Valeur (mean power over the step)")
    short = np.array([len(r) <= table.keys.index("valeur") for r in table.rows])
    if short.any():
        raise ProviderFileError(f"{path}: {_lines_text(lines[short])}: fewer fields than the header (no Valeur)")
    times = legal_times(path, table.column("horodate"), lines)
    order = np.argsort(times.asi8, kind="stable")  # R63 exports may come newest first
    times, lines = times[order], lines[order]
    column = {k: (None if table.column(k) is None else table.column(k)[order])
              for k in ("valeur", "identifiant prm", "unite", "pas", "nature")}
    values = _numbers(path, column["valeur"], lines, "Valeur")
    same = np.r_[False, np.diff(times.asi8) == 0]
    if same.any():
        raise ProviderFileError(f"{path}: {_lines_text(lines[same])}: Horodate twice (the same instant as another "
                                "line)")
    default = None
    if r63:
        prm_text = column["identifiant prm"]
        if len(set(prm_text)) > 1:
            raise ProviderFileError(f"{path}: several meters in one file ({', '.join(sorted(set(prm_text))[:3])}…): "
                                    "import one PRM per file")
        prm = _prm(path, {}, prm_text[0])
        unit_text = column["unite"]
        factor = _power_factor_kw(path, unit_text[0] if unit_text is not None else "W", lines[0])
        pas = column["pas"]
        declared = None
        if pas is not None:
            parsed = [_DURATION.match(p) for p in pas]
            bad = np.array([p is None and s != "" for p, s in zip(parsed, pas)])
            if bad.any():
                raise ProviderFileError(f"{path}: {_lines_text(lines[bad])}: Pas {excerpt(pas[bad][0])} is not a step "
                                        "(expected e.g. PT30M or PT1H)")
            declared = np.array([float(p.group(1)) * (60.0 if p.group(2).upper() == "H" else 1.0) if p else np.nan
                                 for p in parsed])
        nature = column["nature"]
        quality = np.where(np.isin(nature, list(GOOD_NATURES)), GOOD, SUSPECT) if nature is not None \
            else np.full(len(values), GOOD, dtype=object)
    else:
        prm = _prm(path, meta, None)
        factor = _power_factor_kw(path, meta.get("unite", "W"), "2")
        pas = meta.get("pas en minutes", "").strip()
        declared = None
        if pas:  # the file's step when it has one: only for a row whose step its times cannot tell
            try:
                default = float(pas.replace(",", "."))
            except ValueError:
                raise ProviderFileError(f"{path}: line 2: « Pas en minutes » {excerpt(pas)} is not a number") from None
            if default not in STEPS_MIN:
                raise ProviderFileError(f"{path}: line 2: « Pas en minutes » {default:g} is not a load curve's step "
                                        f"(one of {', '.join(map(str, STEPS_MIN))})")
        quality = np.full(len(values), GOOD, dtype=object)
    if declared is not None:
        odd = ~np.isnan(declared) & ~np.isin(declared, STEPS_MIN)
        if odd.any():
            raise ProviderFileError(f"{path}: {_lines_text(lines[odd])}: a declared step of {declared[odd][0]:g} min "
                                    f"(expected one of {', '.join(map(str, STEPS_MIN))})")
        try:
            inferred, _ = steps_minutes(times, default=default)
        except ValueError:
            inferred = declared
        since = np.r_[np.nan, np.diff(times.as_unit("ns").asi8) / 60e9]
        # a step longer than the time since the row before would count energy twice; a shorter one, while the
        # rows are regularly further apart, would leave unsaid holes between every two values
        clash = ~np.isnan(declared) & (((since < declared) & ~np.isnan(since)) | (inferred > declared))
        if clash.any():
            i = int(np.flatnonzero(clash)[0])
            raise ProviderFileError(f"{path}: {_lines_text(lines[clash])}: the declared step ({declared[i]:g} min) "
                                    f"disagrees with the times of the rows ({since[i]:g} min after the one before)")
    try:
        steps, gap = steps_minutes(times, declared, default)
    except ValueError as exc:
        raise ProviderFileError(f"{path}: line {lines[exc.args[0]]}: the step of this value cannot be told (a lone "
                                "row: no row 10–60 min before or after it, no « Pas » declared)") from None
    energy_kwh = values * factor * steps / 60.0
    starts = times - pd.to_timedelta(steps, unit="min")
    sid = f"enedis-{prm}-load"
    sensor = {"sensor_id": sid, "quantity": "electric_energy", "native_unit": "kWh", "name": f"Linky {prm} load curve",
              "description": "Enedis load curve: energy over each step (mean power × step), stored at the step's "
                             "start (the file dates the mean power at the step's end)"}
    quality = np.where(np.isnan(values), MISSING, quality)
    obs = observations(np.full(len(values), sid), starts, energy_kwh, "kWh", quality, lines)
    notes = []
    changes = np.flatnonzero(np.r_[False, np.diff(steps) != 0])
    if len(changes):
        notes.append("step changes: " + ", ".join(f"{steps[i - 1]:g} → {steps[i]:g} min at {starts[i]:%Y-%m-%d %H:%M} UTC"
                                                  for i in changes[:5]) + (" …" if len(changes) > 5 else ""))
    if np.isnan(values).any():
        notes.append(f"{int(np.isnan(values).sum())} empty value(s) kept as missing")
    notes += _gap_notes(times, steps, gap)
    return [sensor], [obs], notes


def _registers(table: _Table) -> list[str]:
    return [k for k in table.keys if re.fullmatch(r"eas (f\d+|d\d+|t)", k)]


def _index(path, table: _Table, meta: dict) -> tuple[list[dict], list[pd.DataFrame], list[str]]:
    lines = np.asarray(table.lines, int)
    if not len(lines):
        raise ProviderFileError(f"{path}: line {table.header_line}: an index header without any row")
    prm = _prm(path, meta, None)
    unit = meta.get("unite", "Wh").strip() or "Wh"
    to_kwh = {"wh": 1e-3, "kwh": 1.0}.get(unit.lower())
    if to_kwh is None:
        raise ProviderFileError(f"{path}: line 2: Unite {excerpt(unit)} is not an energy unit of an index "
                                "(expected Wh or kWh)")
    times = legal_times(path, table.column("horodate"), lines)
    registers = {k: _numbers(path, table.column(k), lines, k.upper()) for k in _registers(table)}
    supplier = [k for k in registers if k.startswith("eas f")]
    total = registers.get("eas t", np.full(len(lines), np.nan)).copy()
    filled = [k for k in supplier if (~np.isnan(registers[k])).any()]  # the registers this meter fills
    whole = np.all([~np.isnan(registers[k]) for k in filled], axis=0) if filled else np.zeros(len(lines), bool)
    from_supplier = np.isnan(total) & whole
    if from_supplier.any():
        total[from_supplier] = np.sum([registers[k][from_supplier] for k in filled], axis=0)
    partial = np.isnan(total) & (np.any([~np.isnan(registers[k]) for k in filled], axis=0) if filled else False)
    if np.any(partial):
        notes_partial = [f"{_lines_text(lines[partial])}: EAS T empty and a supplier register empty too: kept as "
                         "missing (a partial sum would fake a drop of the register)"]
    else:
        notes_partial = []
    total_kwh = total * to_kwh
    order = np.argsort(times.asi8, kind="stable")
    times, lines, total_kwh = times[order], lines[order], total_kwh[order]
    same = np.r_[False, np.diff(times.asi8) == 0]
    if same.any():
        raise ProviderFileError(f"{path}: {_lines_text(lines[same])}: Horodate twice (the same reading as the line "
                                "before it)")
    index_id, daily_id = f"enedis-{prm}-index", f"enedis-{prm}-daily"
    sensors = [{"sensor_id": index_id, "quantity": "electric_energy_index", "native_unit": "kWh",
                "name": f"Linky {prm} index",
                "description": "Enedis daily index: total register (EAS T, else the sum of EAS F1…F10) at each "
                               "reading, cumulative"},
               {"sensor_id": daily_id, "quantity": "electric_energy", "native_unit": "kWh",
                "name": f"Linky {prm} daily",
                "description": "Enedis daily index: difference of two readings one local day apart, stored at the "
                               "first reading"}]
    obs = [observations(np.full(len(lines), index_id), times, total_kwh, "kWh", np.full(len(lines), GOOD), lines)]
    notes = list(notes_partial)
    if from_supplier.any():
        notes.append(f"{int(from_supplier.sum())} reading(s) without EAS T: total = sum of the supplier registers")
    local = times.tz_convert(LEGAL_TIME)
    one_day = (local[1:] - pd.DateOffset(days=1)) == local[:-1] if len(local) > 1 else np.array([], bool)
    used = total_kwh[1:] - total_kwh[:-1]
    daily_ok = np.asarray(one_day) & ~np.isnan(used) & (used >= 0)
    for i in np.flatnonzero(~daily_ok):
        if np.isnan(used[i]):
            continue
        if used[i] < 0:
            notes.append(f"register went down by {-used[i]:.3f} kWh between {local[i]:%Y-%m-%d} and "
                         f"{local[i + 1]:%Y-%m-%d} (meter replaced?): no daily value")
        else:
            notes.append(f"{used[i]:.3f} kWh between the readings of {local[i]:%Y-%m-%d %H:%M} and "
                         f"{local[i + 1]:%Y-%m-%d %H:%M} (local), not split by day")
    keep = np.flatnonzero(daily_ok)
    obs.append(observations(np.full(len(keep), daily_id), times[keep], used[keep], "kWh",
                            np.full(len(keep), GOOD), lines[keep]))
    empty = np.isnan(total_kwh)
    if empty.any():
        notes.append(f"{int(empty.sum())} reading(s) with every register empty, kept as missing")
    return sensors, obs, notes


def read_enedis(path, prm: str | None = None) -> ProviderBatch:
    """The sensors and observations of an Enedis load curve, R63 export or daily index file (``prm``: the
    meter's number when the file has no preamble to say it)."""
    raw = read_bytes(path, "Enedis meter file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    tables = _tables(path, text)
    meta: dict[str, str] = {"identifiant prm": prm} if prm else {}  # the preamble of the tables after it
    sensors: list[dict] = []
    obs: list[pd.DataFrame] = []
    notes: list[str] = []
    found = False
    for table in tables:
        keys = table.keys
        if _preamble(table) is not None:
            meta = _preamble(table)
            continue
        if "horodate" in keys and "valeur" in keys:
            parts = _load_curve(path, table, meta, r63="identifiant prm" in keys)
        elif "horodate" in keys and _registers(table):
            parts = _index(path, table, meta)
        else:
            if table.keys and table.keys[0] == "periode":
                notes.append(f"line {table.header_line}: the supplier's tariff calendar ({len(table.rows)} row(s)) "
                             "is not imported")
            else:
                notes.append(f"line {table.header_line}: a table headed {excerpt(';'.join(table.names), 60)} is not "
                             "imported")
            continue
        found = True
        sensors += parts[0]
        obs += parts[1]
        notes += parts[2]
    if not found:
        raise ProviderFileError(f"{path}: no Enedis table found (expected a line « Horodate;Valeur » for a load "
                                "curve or « Horodate;Type de releve;EAS F1;… » for a daily index)")
    frame = pd.concat(obs, ignore_index=True)
    return ProviderBatch(pd.DataFrame(sensors).drop_duplicates("sensor_id").reset_index(drop=True), frame, "Enedis",
                         notes)
