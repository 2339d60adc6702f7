"""Booking calendars kept in a spreadsheet: one booking a line, as a CSV export.

Many communes keep their halls' and rooms' bookings in a spreadsheet or a booking tool that exports
CSV, not iCalendar. A line is a booking: its start and end (date and time in each column, or a
``date`` column and the start and end hours), and optionally what it is and where::

    date;début;fin;objet;salle
    04/03/2024;18:00;20:00;Basket U13;Gymnase
    2024-03-05;8h;12h;Centre de loisirs;Salle des fêtes

Columns are found by their names, in French or English, accents and case aside (:data:`COLUMNS`: one
start column, or a start day and a start hour, and the same for the end, or one ``date`` column for both);
semicolons (a French spreadsheet's export), tabs or commas between them; UTF-8 text. Dates are written the
year first (``2024-03-04``) or the day first as in France, with a four-digit year (``04/03/2024``,
``04-03-2024``, ``04.03.2024`` are the 4th of March; ``04/03/24`` is refused); hours ``18:00``, ``18h``,
``18h30``, ``1800``; times are on the territory's clock unless they carry an offset (``+01:00``, year-first
dates only). With the day in its own column, an end hour before the start hour on the same day ends the next
day (a booking through midnight). Every line is checked: an unreadable time, a booking that ends before it starts, a missing
column are refused naming the file, the line and the column, never quoting the file's text.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pandas as pd

from twin.sources.ics import CalendarError
from twin.sources.safe_files import excerpt
from twin.timeutil import LOCAL_TZ, french_date_text

COLUMNS = {
    "start": ("start", "debut", "dtstart", "begin", "starts"),
    "end": ("end", "fin", "dtend", "ends"),
    "start_date": ("date debut", "date de debut", "start date", "jour debut", "jour de debut"),
    "start_time": ("heure debut", "heure de debut", "start time", "horaire debut", "horaire de debut"),
    "end_date": ("date fin", "date de fin", "end date", "jour fin", "jour de fin"),
    "end_time": ("heure fin", "heure de fin", "end time", "horaire fin", "horaire de fin"),
    "date": ("date", "jour", "day"),
    "summary": ("summary", "objet", "titre", "title", "libelle", "intitule", "activite", "evenement", "event",
                "motif", "description"),
    "room": ("salle", "room", "lieu", "location", "equipement"),
}
"""The names each column is found by (lower case, accents and ``_ - .`` read as spaces). A booking's start is
its ``start`` cell, or a day (``start_date``, else ``date``) and an hour (``start_time``, or an hour in its
``start`` cell); its end likewise (its day: ``end_date``, else ``date``, else the start's)."""
STARTS = ("start", "start_time", "start_date")
ENDS = ("end", "end_time", "end_date")

_HOUR = re.compile(r"\s*(\d{1,2})\s*(?:[:h]\s*(\d{2})?\s*(?::\s*(\d{2}))?)?\s*$", re.IGNORECASE)
_HHMM = re.compile(r"\s*(\d{2})(\d{2})\s*$")  # « 1800 »: an hour a spreadsheet wrote without its colon
_DAY_FIRST = re.compile(r"\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")  # 04/03/2024, 04-03-2024, 04.03.2024
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
    return any(keys & set(COLUMNS[r]) for r in STARTS) and any(keys & set(COLUMNS[r]) for r in ENDS)


def read_bookings_csv_text(content: str | bytes, start=None, end=None, tz: str = LOCAL_TZ,
                           origin: str = "bookings.csv") -> pd.DataFrame:
    """The bookings of a CSV's content overlapping ``[start, end)`` (local dates or timestamps; None: all),
    as :func:`twin.sources.ics.read_ics_text` gives them: ``start, end`` (tz-aware, ``tz``), ``summary``,
    ``uid`` (« line N »), sorted by start. ``origin`` names the file in errors."""
    text = _decoded(content, origin)
    lines = [(n, row) for n, row in _rows(text, origin) if any(cell.strip() for cell in row)]
    if not lines:
        raise CalendarError(f"{origin}: the file is empty (expected a CSV header, then one booking a line)",
                            key="err_bookings_empty", values={"file": origin})
    (_, header), body = lines[0], lines[1:]
    keys = [column_key(c) for c in header]
    found = {role: next((i for i, k in enumerate(keys) if k in names), None) for role, names in COLUMNS.items()}
    for role, roles in (("start", STARTS), ("end", ENDS)):
        if all(found[r] is None for r in roles):
            raise CalendarError(
                f"{origin}: no {role} column (expected one of {', '.join(COLUMNS[role][:4])} … in the header; "
                f"it has {len(header)} column(s), none of these names)", key=f"err_bookings_no_{role}",
                values={"file": origin, "names": ", ".join(COLUMNS[role][:4])})
    if not body:
        raise CalendarError(f"{origin}: a header and no booking (expected one booking a line below it)",
                            key="err_bookings_none", values={"file": origin})
    names = {role: keys[i] for role, i in found.items() if i is not None}
    rows = []
    for n, row in body:
        while len(row) > len(header) and not row[-1].strip():  # a spreadsheet's empty trailing fields (« …;20h; »)
            row = row[:-1]
        if len(row) > len(header):
            raise CalendarError(f"{origin}, line {n}: {len(row)} fields for {len(header)} columns in the header",
                                key="err_bookings_fields", values={"file": origin, "line": n})
        # a cell's line breaks (Alt+Enter in a quoted « objet ») as spaces
        cell = {role: (" ".join(row[i].split()) if i is not None and i < len(row) else "")
                for role, i in found.items()}
        a, b = _booking_times(cell, names, n, origin, tz)
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
    """A bookings CSV as an iCalendar text (RFC 5545) holding the same bookings, every line checked: times in UTC
    (a local time the autumn change repeats would be read back ambiguous), the file's name as the calendar's
    (``X-WR-CALNAME``). What a
    scenario keeps of an uploaded CSV: the calendar it follows, in the one form it reads."""
    df = read_bookings_csv_text(content, tz=tz, origin=origin)
    name = re.sub(r"[\r\n]", " ", str(origin))[:60]
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//twin//bookings CSV//FR", f"X-WR-CALNAME:{name}"]
    for r in df.itertuples():
        summary = re.sub(r"([\\;,])", r"\\\1", r.summary)
        out += ["BEGIN:VEVENT", f"UID:{r.uid.replace(' ', '-')}@{_uid_safe(name)}",
                f"DTSTART:{r.start.tz_convert('UTC'):%Y%m%dT%H%M%SZ}", f"DTEND:{r.end.tz_convert('UTC'):%Y%m%dT%H%M%SZ}"]
        out += [f"SUMMARY:{summary}"] if summary else []
        out += ["END:VEVENT"]
    return "\r\n".join([*out, "END:VCALENDAR", ""])


def _uid_safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9.\-]", "-", name) or "bookings"


def _decoded(content: str | bytes, origin: str) -> str:
    """The file's text: UTF-8 (a byte-order mark dropped); another encoding refused with its first line that is
    not UTF-8 (Excel's « CSV (séparateur : point-virgule) » writes Windows-1252: « CSV UTF-8 » is the choice)."""
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise CalendarError(f"{origin}, line {line}: not UTF-8 text (save the spreadsheet as « CSV UTF-8 »)",
                            key="err_bookings_encoding", values={"file": origin, "line": line}) from None


def _separator(text: str) -> str:
    """The columns' separator, read on the first line that holds anything: « ; » (a French spreadsheet), a tab,
    or « , »; :func:`twin.csv_dialect.separator`'s rule, with the tab a booking tool may export."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max((";", "\t", ","), key=lambda c: (header.count(c), c == ","))


def _rows(text: str, origin: str):
    """(line number, fields) of each record, the number of the line it starts on. A quoted cell may hold line
    breaks; a quote left open to the end of the file is refused (strict)."""
    reader = csv.reader(io.StringIO(text), delimiter=_separator(text), strict=True)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error:
        raise CalendarError(f"{origin}, line {line}: not a readable CSV line (a quote left open?)",
                            key="err_bookings_csv", values={"file": origin, "line": line}) from None


def _booking_times(cell: dict, names: dict, line: int, origin: str, tz: str):
    """The booking's (start, end), tz-aware, from its cells (:data:`COLUMNS` says which); CalendarError naming
    the line and the column (by the name of :data:`COLUMNS` it was found by: the file's own header is not
    quoted)."""
    days = {}
    for role in ("date", "start_date", "end_date"):
        if cell[role]:
            days[role] = _datetime(cell[role], names[role], line, origin, tz, "date")
    times, from_hours = [], []
    for side, (whole, hour, own_day) in (("start", ("start", "start_time", "start_date")),
                                         ("end", ("end", "end_time", "end_date"))):
        day_role = next((r for r in (own_day, "date", "start_date") if r in days), None)
        text, column = (cell[whole], names.get(whole)) if cell[whole] else (cell[hour], names.get(hour))
        if not text and day_role is not None and not cell[hour] and own_day in days:  # a day alone: all of it
            times.append(days[own_day] if side == "start" else _local(days[own_day].tz_localize(None)
                                                                     + pd.Timedelta(days=1), tz))
            from_hours.append(False)
            continue
        if not text:
            column = names.get(whole) or names.get(hour) or names.get(own_day)
            raise CalendarError(f"{origin}, line {line}: no {side} in column « {column} »",
                                key="err_bookings_missing", values={"file": origin, "line": line, "column": column})
        clock = _clock(text)
        if clock is not None:  # an hour: on its day
            if day_role is None:
                empty = next((r for r in (own_day, "date", "start_date") if r in names), None)
                if empty is not None:  # the day's column is there, its cell empty
                    raise CalendarError(f"{origin}, line {line}: no day in column « {names[empty]} »",
                                        key="err_bookings_missing",
                                        values={"file": origin, "line": line, "column": names[empty]})
                raise _unreadable(origin, line, column, "hour_without_date")  # pandas would date « 18:00 » today
            h, m, sec = clock
            if h > 24 or m > 59 or sec > 59 or (h == 24 and (m or sec)):
                raise _unreadable(origin, line, column, "hour")
            times.append(_local(days[day_role].tz_localize(None).normalize()
                                + pd.Timedelta(hours=h, minutes=m, seconds=sec), tz))
            from_hours.append(side == "start" or own_day not in days)
            continue
        times.append(_datetime(text, column, line, origin, tz, "datetime_or_hour" if day_role else "datetime"))
        from_hours.append(False)
    a, b = times
    if b < a and from_hours[1] and from_hours[0]:  # 22:00 – 01:00 on one day: through midnight, the next day
        b = _local(b.tz_localize(None) + pd.Timedelta(days=1), tz)
    if b <= a:
        raise CalendarError(f"{origin}, line {line}: the booking ends ({b:%Y-%m-%d %H:%M}) before or when it starts "
                            f"({a:%Y-%m-%d %H:%M})", key="err_bookings_order",
                            values={"file": origin, "line": line, "start": f"{a:%Y-%m-%d %H:%M}",
                                    "end": f"{b:%Y-%m-%d %H:%M}"})
    return a, b


def _clock(text: str) -> tuple[int, int, int] | None:
    """(hours, minutes, seconds) of a cell that is an hour alone (« 18:00 », « 18h », « 18h30 », « 1800 »)."""
    m = _HOUR.fullmatch(text) or _HHMM.fullmatch(text)
    return tuple(int(x or 0) for x in (m.groups() + (None,))[:3]) if m else None


def _datetime(value: str, column: str, line: int, origin: str, tz: str, kind: str) -> pd.Timestamp:
    """A cell's date and time, written the year first (« 2024-03-04 18:00 », an offset allowed) or the day first
    with a four-digit year (« 04/03/2024 18h30 », « 04-03-2024 », « 04.03.2024 »: the 4th of March), on
    ``tz``'s clock unless it carries an offset. Any other writing is refused (« 04/03/24 », a bare « 1800 »
    that pandas reads as a year) rather than guessed."""
    text = value.strip()
    if _DAY_FIRST.match(text):
        text = french_date_text(re.sub(r"^(\d{1,2})[.-](\d{1,2})[.-](\d{4})", r"\1/\2/\3", text))
    if not re.match(r"\d{4}-\d{2}-\d{2}(?:$|[T\s])", text):
        raise _unreadable(origin, line, column, kind)
    try:
        t = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        raise _unreadable(origin, line, column, kind) from None
    if pd.isna(t):
        raise _unreadable(origin, line, column, kind)
    if t.tzinfo is not None:
        return t.tz_convert(tz)
    return _local(t, tz)


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
