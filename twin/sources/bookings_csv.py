"""Booking calendars kept in a spreadsheet: one booking a line, as a CSV export.

Many communes keep their halls' and rooms' bookings in a spreadsheet or a booking tool that exports
CSV, not iCalendar. A line is a booking: its start and end (date and time in each column, or a
``date`` column and the start and end hours), and optionally what it is and where::

    date;début;fin;objet;salle
    04/03/2024;18:00;20:00;Basket U13;Gymnase
    2024-03-05;8h;12h;Centre de loisirs;Salle des fêtes

Columns are found by their names, in French or English, accents and case aside (:data:`COLUMNS`);
semicolons (a French spreadsheet's export) or commas between them. Dates are written the year first
(``2024-03-04``) or the day first as in France (``04/03/2024`` is the 4th of March); hours ``18:00``,
``18h``, ``18h30``; times are on the territory's clock unless they carry an offset (``+01:00``). With
a ``date`` column, an end hour before the start hour ends the next day (a booking through
midnight). Every line is checked: an unreadable time, a booking that ends before it starts, a missing
column are refused naming the file, the line and the column, never quoting the file's text.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pandas as pd

from twin.csv_dialect import french_or_iso_times, separator
from twin.sources.ics import CalendarError
from twin.sources.safe_files import excerpt
from twin.timeutil import LOCAL_TZ

COLUMNS = {
    "start": ("start", "debut", "date debut", "date de debut", "heure debut", "heure de debut", "dtstart", "begin",
              "start time", "start date", "starts"),
    "end": ("end", "fin", "date fin", "date de fin", "heure fin", "heure de fin", "dtend", "end time", "end date",
            "ends"),
    "date": ("date", "jour", "day"),
    "summary": ("summary", "objet", "titre", "title", "libelle", "intitule", "activite", "evenement", "event",
                "motif", "description"),
    "room": ("salle", "room", "lieu", "location", "equipement"),
}
"""The names each column is found by (lower case, accents and ``_ - .`` read as spaces)."""

_HOUR = re.compile(r"\s*(\d{1,2})\s*(?:[:h]\s*(\d{2})?\s*(?::\s*(\d{2}))?)?\s*$", re.IGNORECASE)
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})\s*$")


def column_key(name: str) -> str:
    """« Date de début » → « date de debut »: a header cell as :data:`COLUMNS` lists it."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[_\-.'’]", " ", plain.lstrip("\ufeff")).lower().split())


def looks_like_bookings_csv(raw: bytes, origin: str = "") -> bool:
    """Whether a calendar's content is a bookings CSV rather than iCalendar: named ``*.csv``, or its first
    line a header with a start and an end column."""
    if str(origin).lower().endswith(".csv"):
        return True
    head = raw.lstrip()[:4096].decode("utf-8", errors="replace").splitlines()[:1]
    if not head or head[0].upper().startswith("BEGIN:"):
        return False
    keys = {column_key(c) for c in re.split(r"[;,\t]", head[0])}
    return bool(keys & set(COLUMNS["start"])) and bool(keys & set(COLUMNS["end"]))


def read_bookings_csv_text(content: str | bytes, start=None, end=None, tz: str = LOCAL_TZ,
                           origin: str = "bookings.csv") -> pd.DataFrame:
    """The bookings of a CSV's content overlapping ``[start, end)`` (local dates or timestamps; None: all),
    as :func:`twin.sources.ics.read_ics_text` gives them: ``start, end`` (tz-aware, ``tz``), ``summary``,
    ``uid`` (« line N »), sorted by start. ``origin`` names the file in errors."""
    text = content.decode("utf-8-sig", errors="strict") if isinstance(content, bytes) else content.lstrip("\ufeff")
    lines = [(n, row) for n, row in _rows(text, origin) if any(cell.strip() for cell in row)]
    if not lines:
        raise CalendarError(f"{origin}: the file is empty (expected a CSV header, then one booking a line)",
                            key="err_bookings_empty", values={"file": origin})
    (_, header), body = lines[0], lines[1:]
    keys = [column_key(c) for c in header]
    found = {role: next((i for i, k in enumerate(keys) if k in names), None) for role, names in COLUMNS.items()}
    for role in ("start", "end"):
        if found[role] is None:
            raise CalendarError(
                f"{origin}: no {role} column (expected one of {', '.join(COLUMNS[role][:6])} … in the header; "
                f"it has {len(header)} column(s), none of these names)", key=f"err_bookings_no_{role}",
                values={"file": origin, "names": ", ".join(COLUMNS[role][:6])})
    if not body:
        raise CalendarError(f"{origin}: a header and no booking (expected one booking a line below it)",
                            key="err_bookings_none", values={"file": origin})
    rows = []
    for n, row in body:
        if len(row) > len(header):
            raise CalendarError(f"{origin}, line {n}: {len(row)} fields for {len(header)} columns in the header",
                                key="err_bookings_fields", values={"file": origin, "line": n})
        cell = {role: (row[i].strip() if i is not None and i < len(row) else "") for role, i in found.items()}
        a, b = _booking_times(cell, {role: keys[i] for role, i in found.items() if i is not None}, n, origin, tz)
        summary = f"{cell['summary']} ({cell['room']})" if cell["summary"] and cell["room"] else \
            cell["summary"] or cell["room"]
        rows.append({"start": a, "end": b, "summary": excerpt(summary, 40)[1:-1] if summary else "",
                     "uid": f"line {n}"})
    df = pd.DataFrame(rows, columns=["start", "end", "summary", "uid"])
    if start is not None:
        s = pd.Timestamp(start)
        df = df[df["end"] > (s.tz_localize(tz) if s.tzinfo is None else s)]
    if end is not None:
        e = pd.Timestamp(end)
        df = df[df["start"] < (e.tz_localize(tz) if e.tzinfo is None else e)]
    return df.sort_values("start", kind="stable").reset_index(drop=True)


def bookings_csv_to_ics(content: str | bytes, origin: str = "bookings.csv", tz: str = LOCAL_TZ) -> str:
    """A bookings CSV as an iCalendar text (RFC 5545) holding the same bookings, every line checked: floating
    local times (read back on ``tz``), the file's name as the calendar's (``X-WR-CALNAME``). What a
    scenario keeps of an uploaded CSV: the calendar it follows, in the one form it reads."""
    df = read_bookings_csv_text(content, tz=tz, origin=origin)
    name = re.sub(r"[\r\n]", " ", str(origin))[:60]
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//twin//bookings CSV//FR", f"X-WR-CALNAME:{name}"]
    for r in df.itertuples():
        summary = re.sub(r"([\\;,])", r"\\\1", r.summary)
        out += ["BEGIN:VEVENT", f"UID:{r.uid.replace(' ', '-')}@{_uid_safe(name)}",
                f"DTSTART:{r.start.tz_convert(tz):%Y%m%dT%H%M%S}", f"DTEND:{r.end.tz_convert(tz):%Y%m%dT%H%M%S}"]
        out += [f"SUMMARY:{summary}"] if summary else []
        out += ["END:VEVENT"]
    return "\r\n".join([*out, "END:VCALENDAR", ""])


def _uid_safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9.\-]", "-", name) or "bookings"


def _rows(text: str, origin: str):
    """(line number, fields) of each record, the number of the line it starts on."""
    reader = csv.reader(io.StringIO(text), delimiter=separator(text))
    line = 1
    try:
        for row in reader:
            if any("\n" in cell or "\r" in cell for cell in row):  # the lines after it would be one cell, lost
                raise csv.Error
            yield line, row
            line = reader.line_num + 1
    except csv.Error:
        raise CalendarError(f"{origin}, line {line}: not a readable CSV line (a quote left open?)",
                            key="err_bookings_csv", values={"file": origin, "line": line}) from None


def _booking_times(cell: dict, names: dict, line: int, origin: str, tz: str):
    """The booking's (start, end), tz-aware, from its cells; CalendarError naming the line and the column
    (by the name of :data:`COLUMNS` it was found by: the file's own header is not quoted)."""
    day = None
    if cell["date"]:
        day = _datetime(cell["date"], names["date"], line, origin, tz, "date")
    times = []
    for role in ("start", "end"):
        column = names[role]
        value = cell[role]
        if not value:
            raise CalendarError(f"{origin}, line {line}: no {role} in column « {column} »",
                                key="err_bookings_missing", values={"file": origin, "line": line, "column": column})
        hour = _HOUR.fullmatch(value) if day is not None else None
        if hour is not None:
            h, m, s = (int(x or 0) for x in hour.groups())
            if h > 24 or m > 59 or s > 59 or (h == 24 and (m or s)):
                raise _unreadable(origin, line, column, "hour")
            times.append(_local(day.tz_localize(None).normalize() + pd.Timedelta(hours=h, minutes=m, seconds=s), tz))
        else:
            what = "datetime_or_hour" if day is not None else "datetime"
            if day is None and _HOUR.fullmatch(value):  # pandas would put today's date on « 18:00 »
                raise _unreadable(origin, line, column, "hour_without_date")
            times.append(_datetime(value, column, line, origin, tz, what))
    a, b = times
    if day is not None and b < a and _HOUR.fullmatch(cell["end"]):  # 22:00 – 01:00: the next day
        b = _local(b.tz_localize(None) + pd.Timedelta(days=1), tz)
    if b <= a:
        raise CalendarError(f"{origin}, line {line}: the booking ends ({b:%Y-%m-%d %H:%M}) before or when it starts "
                            f"({a:%Y-%m-%d %H:%M})", key="err_bookings_order",
                            values={"file": origin, "line": line, "start": f"{a:%Y-%m-%d %H:%M}",
                                    "end": f"{b:%Y-%m-%d %H:%M}"})
    return a, b


def _datetime(value: str, column: str, line: int, origin: str, tz: str, what: str) -> pd.Timestamp:
    """A cell's time: on ``tz``'s clock, or at its own offset (converted)."""
    t = french_or_iso_times(pd.Series([value])).iloc[0]  # an offset converted to UTC, naive
    if pd.isna(t):
        raise _unreadable(origin, line, column, what)
    if _OFFSET.search(value):
        return pd.Timestamp(t).tz_localize("UTC").tz_convert(tz)
    return _local(pd.Timestamp(t), tz)


def _local(t: pd.Timestamp, tz: str) -> pd.Timestamp:
    """A naive local time on ``tz``: the hour the spring change skips taken as the next, the one the autumn
    change repeats as the first (as :func:`twin.timeutil.local_text_to_utc`)."""
    return t.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")


EXPECTED = {
    "date": "a date, e.g. 2024-03-04 or 04/03/2024",
    "hour": "an hour from 0:00 to 24:00",
    "datetime": "a date and time, e.g. 2024-03-04 18:00 or 04/03/2024 18:00",
    "datetime_or_hour": "an hour such as 18:00 (the date column gives the day), or a date and time",
    "hour_without_date": "a date and time, e.g. 2024-03-04 18:00 (an hour alone needs a date column)",
}
"""What a time column was expected to hold, by the kind of :func:`_unreadable`'s error."""


def _unreadable(origin: str, line: int, column: str, kind: str) -> CalendarError:
    return CalendarError(f"{origin}, line {line}: column « {column} » does not hold {EXPECTED[kind]}",
                         key=f"err_bookings_{kind}", values={"file": origin, "line": line, "column": column})
