"""Booking calendars in iCalendar (``.ics``, RFC 5545), e.g. a sports hall's reservations.

Parsed with the ``icalendar`` package; recurring bookings (RRULE, EXDATE) are
expanded with ``recurring-ical-events``. Returns plain (start, end) intervals,
timezone-aware, that schedules use ("light the street while the hall is booked",
"heat the gym when it is booked").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from twin.errors import TwinError
from twin.sources.safe_files import excerpt
from twin.timeutil import LOCAL_TZ


class CalendarError(TwinError, ValueError):
    """An unreadable calendar; the message names the file and, where known, the event."""


def read_ics(path: str | Path, start, end, tz: str = LOCAL_TZ) -> pd.DataFrame:
    """Events of an ``.ics`` file overlapping ``[start, end)`` (local dates or timestamps).

    Returns a DataFrame ``start, end`` (tz-aware, ``tz``), ``summary``, ``uid``, sorted by start.
    All-day events cover their whole local days; floating times are read in ``tz``.
    """
    return read_ics_text(calendar_bytes(path), start, end, tz, origin=str(path))


def calendar_bytes(path: str | Path) -> bytes:
    """A calendar file's bytes: a regular file of at most 50 MB (not /dev/zero, a directory, /proc/…), or
    :class:`CalendarError` saying why not."""
    from twin.sources.safe_files import InputFileError, read_input_bytes  # noqa: PLC0415

    try:
        return read_input_bytes(path, what="calendar")
    except InputFileError as exc:
        raise CalendarError(str(exc)) from None


def read_ics_text(content: str | bytes, start, end, tz: str = LOCAL_TZ, origin: str = "calendar") -> pd.DataFrame:
    """:func:`read_ics` of a calendar's content (an upload), not of a file: ``origin`` names it in errors.

    Nothing is read from disk, so a calendar sent by a browser can never make the server open a file.
    """
    import icalendar  # noqa: PLC0415
    import recurring_ical_events  # noqa: PLC0415

    path = origin  # the name every message below gives
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if not raw.strip():
        raise CalendarError(f"{path}: the file is empty (expected an iCalendar file)", key="err_ics_empty",
                            values={"file": path})
    # Errors say where and what was expected, never the file's text: a path named by mistake
    # (/etc/os-release, a .env) must not have its lines printed.
    first = _first_line(raw)
    if first is None or first[1] != b"BEGIN:VCALENDAR":
        line = first[0] if first else 1
        raise CalendarError(f"{path}: line {line}: expected BEGIN:VCALENDAR (an iCalendar file, RFC 5545)",
                            key="err_ics_begin", values={"file": path, "line": line})
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except Exception:  # noqa: BLE001 - the parser raises ValueError, KeyError, IndexError… with the line's text
        raise _invalid(path, raw) from None
    if cal.name != "VCALENDAR":
        raise CalendarError(f"{path}: top-level component is not VCALENDAR")
    if any(getattr(c, "errors", None) for c in cal.walk()):  # lines the parser skipped: said, not dropped
        raise _invalid(path, raw)
    s, e = (pd.Timestamp(x) for x in (start, end))
    s = s.tz_localize(tz) if s.tzinfo is None else s
    e = e.tz_localize(tz) if e.tzinfo is None else e
    _check_events(path, cal, raw, s, e)
    rows = []
    try:
        events = recurring_ical_events.of(cal).between(s.to_pydatetime(), e.to_pydatetime())
    except Exception as exc:  # noqa: BLE001 - the library raises many types on bad recurrence rules
        raise CalendarError(f"{path}: cannot expand the events ({type(exc).__name__}: a recurrence rule, date or "
                            "time zone is not understood)", key="err_ics_expand", values={"file": path}) from None
    for ev in events:
        summary = excerpt(ev.get("SUMMARY", ""), 40)[1:-1]  # a calendar the user named: a short, sanitised title
        if ev.get("DTSTART") is None:
            raise CalendarError(f"{path}: event {summary!r} has no DTSTART")
        a = _to_timestamp(ev["DTSTART"].dt, tz)
        b = _to_timestamp(ev["DTEND"].dt, tz) if ev.get("DTEND") is not None else \
            a + (pd.Timedelta(days=1) if not isinstance(ev["DTSTART"].dt, dt.datetime) else pd.Timedelta(0))
        if b < a:
            raise CalendarError(f"{path}: event {summary!r} ends ({b}) before it starts ({a})")
        rows.append({"start": a, "end": b, "summary": summary, "uid": str(ev.get("UID", ""))})
    df = pd.DataFrame(rows, columns=["start", "end", "summary", "uid"])
    return df.sort_values("start").reset_index(drop=True)


def _invalid(path: str, raw: bytes) -> CalendarError:
    """The error of a calendar the iCalendar grammar refuses, naming its first bad line when found: a line
    that is no NAME:VALUE, a date or a repetition rule that cannot be read, a calendar cut short. « (ligne ?) »
    was said for all three."""
    where = _bad_line(raw)
    if where:
        return CalendarError(f"{path}: not a valid iCalendar file{where}: expected NAME:VALUE content lines between "
                             "BEGIN:VCALENDAR and END:VCALENDAR", key="err_ics_invalid",
                             values={"file": path, "line": where.removeprefix(" at line ")})
    lines = _content_lines(raw)
    for line, name, value in lines:
        problem = _value_problem(name, value)
        if problem:
            return CalendarError(f"{path}: line {line}: the {name} value is not {problem}",
                                 key=f"err_ics_value_{'rule' if name in RULES else 'date'}",
                                 values={"file": path, "line": line, "name": name})
    opened = [value.upper() for _, name, value in lines if name == "BEGIN"]
    closed = [value.upper() for _, name, value in lines if name == "END"]
    if len(closed) < len(opened):
        missing = next((c for c in reversed(opened) if opened.count(c) > closed.count(c)), "VCALENDAR")
        return CalendarError(f"{path}: END:{missing} is missing (a file cut short?)", key="err_ics_unclosed",
                             values={"file": path, "component": missing})
    return CalendarError(f"{path}: not a valid iCalendar file: expected NAME:VALUE content lines between "
                         "BEGIN:VCALENDAR and END:VCALENDAR", key="err_ics_invalid_nowhere", values={"file": path})


DATES = frozenset({"DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "EXDATE", "RDATE"})
RULES = frozenset({"RRULE", "EXRULE"})


def _content_lines(raw: bytes) -> list[tuple[int, str, str]]:
    """(line number, upper-cased property name without its parameters, value) of each unfolded content line."""
    out, start, buf = [], 0, ""
    for i, line in enumerate([*raw.decode("utf-8", "replace").splitlines(), ""], 1):
        if line[:1] in (" ", "\t") and buf:  # a folded continuation (RFC 5545 3.1)
            buf += line[1:]
            continue
        if buf.strip() and ":" in buf:
            head, _, value = buf.partition(":")
            out.append((start, head.split(";", 1)[0].strip().lstrip("\ufeff").upper(), value.strip()))
        start, buf = i, line
    return out


def _value_problem(name: str, value: str) -> str:
    """What a date or repetition rule's ``value`` is not ("" when it reads)."""
    from icalendar.prop import vDDDTypes, vRecur  # noqa: PLC0415

    try:
        if name in DATES:
            for part in value.split(","):
                vDDDTypes.from_ical(part.strip())
        elif name in RULES:
            vRecur.from_ical(value)
    except Exception:  # noqa: BLE001 - icalendar raises ValueError, TypeError… on a value it cannot read
        return ("a date or time (e.g. 20230107T090000, no dashes nor space)" if name in DATES else
                "a repetition rule (e.g. FREQ=WEEKLY;BYDAY=MO,TU; days MO TU WE TH FR SA SU)")
    return ""


def _event_lines(lines: list[tuple[int, str, str]]) -> list[dict[str, int]]:
    """Per VEVENT in the file's order (as ``cal.walk("VEVENT")`` gives them): {property: its first line}, and
    ``BEGIN``: the event's own line. One pass over the lines (a per-event rescan took 7 s for 5 000 bookings)."""
    events, current = [], None
    for n, name, value in lines:
        if name == "BEGIN" and value.upper() == "VEVENT":
            current = {"BEGIN": n}
        elif name == "END" and value.upper() == "VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None:
            current.setdefault(name, n)
    return events


def _check_events(path: str, cal, raw: bytes, s: pd.Timestamp, e: pd.Timestamp) -> None:
    """Each booking's own checks, naming its line: a date given twice; a time zone nothing reads (« TZID=Paris »
    was taken as Paris's own time without a word; a Windows or vendor name the library maps is read); within
    the period ``[s, e)`` (a repeating booking always: it may recur there), a booking that ends before it starts
    (the library swapped the two: 17:00–15:00 became 15:00–17:00) or has no end (DTEND nor DURATION: a booking
    of no length, an hour of heating). A booking of another year keeps its own oddities."""
    events = _event_lines(_content_lines(raw))
    for k, ev in enumerate(cal.walk("VEVENT")):
        line_of = events[k] if k < len(events) else {}
        first = line_of.get("BEGIN", 0)
        summary = excerpt(ev.get("SUMMARY", ""), 40)[1:-1]
        for prop in ("DTSTART", "DTEND", "DURATION"):
            if isinstance(ev.get(prop), list):
                line = line_of.get(prop, first)
                raise CalendarError(f"{path}: line {line}: {prop} given twice in the booking {summary!r}",
                                    key="err_ics_twice", values={"file": path, "line": line, "name": prop,
                                                                 "event": summary})
        for prop in ("DTSTART", "DTEND"):
            value = ev.get(prop)
            zone = value.params.get("TZID") if value is not None else None
            if zone and isinstance(value.dt, dt.datetime) and value.dt.tzinfo is None:
                line = line_of.get(prop, first)
                raise CalendarError(f"{path}: line {line}: time zone {zone!r} is unknown (expected an IANA name "
                                    "such as Europe/Paris, or a VTIMEZONE of the file)", key="err_ics_tz",
                                    values={"file": path, "line": line, "zone": excerpt(str(zone), 40)[1:-1]})
        if ev.get("DTSTART") is None:
            continue  # said at the expansion, as before
        start = ev["DTSTART"].dt
        a = _to_timestamp(start, LOCAL_TZ)
        b = _to_timestamp(ev["DTEND"].dt, LOCAL_TZ) if ev.get("DTEND") is not None else \
            a + pd.Timedelta(ev["DURATION"].dt) if ev.get("DURATION") is not None else None
        repeats = ev.get("RRULE") is not None or ev.get("RDATE") is not None
        if not repeats and (a >= e or (b if b is not None and b > a else a) < s):
            continue  # outside the period read: not this run's booking
        if b is not None and b < a:
            line = line_of.get("DTEND" if ev.get("DTEND") is not None else "DURATION", first)
            raise CalendarError(f"{path}: line {line}: event {summary!r} ends ({b:%Y-%m-%d %H:%M}) before it "
                                f"starts ({a:%Y-%m-%d %H:%M})", key="err_ics_end_before",
                                values={"file": path, "line": line, "event": summary})
        if b is None and isinstance(start, dt.datetime):
            line = line_of.get("DTSTART", first)
            raise CalendarError(f"{path}: line {line}: event {summary!r} has no end (DTEND or DURATION): a booking "
                                "of no length", key="err_ics_no_end", values={"file": path, "line": line,
                                                                               "event": summary})


def _first_line(raw: bytes) -> tuple[int, bytes] | None:
    """(number, upper-cased stripped text) of the first non-blank line, or None."""
    for i, line in enumerate(raw.splitlines(), 1):
        text = line.strip().lstrip(b"\xef\xbb\xbf").upper()
        if text:
            return i, text
    return None


def _bad_line(raw: bytes) -> str:
    """`` at line N`` of the first content line the iCalendar grammar refuses (unfolded), or ''."""
    from icalendar.parser import Contentline  # noqa: PLC0415

    start, buf = 0, b""
    lines = raw.splitlines()
    for i, line in enumerate([*lines, b""], 1):
        if line[:1] in (b" ", b"\t") and buf:  # a folded continuation (RFC 5545 3.1)
            buf += line[1:]
            continue
        if buf.strip():
            try:
                Contentline(buf.decode("utf-8", "replace")).parts()
            except Exception:  # noqa: BLE001
                return f" at line {start}"
        start, buf = i, line
    return ""


def _to_timestamp(value, tz: str) -> pd.Timestamp:
    if isinstance(value, dt.datetime):
        ts = pd.Timestamp(value)
        # a floating time in the hour the autumn change repeats taken as the first (summer time), one the spring
        # change skips as the hour after: as a page's box and a bookings CSV read them (twin.timeutil)
        return ts.tz_localize(tz, ambiguous=True, nonexistent="shift_forward") if ts.tzinfo is None \
            else ts.tz_convert(tz)
    return pd.Timestamp(value).tz_localize(tz)  # an all-day date: local midnight
