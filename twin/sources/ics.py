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


class CalendarError(ValueError):
    """An unreadable calendar; the message names the file and, where known, the event."""


def read_ics(path: str | Path, start, end, tz: str = "Europe/Paris") -> pd.DataFrame:
    """Events of an ``.ics`` file overlapping ``[start, end)`` (local dates or timestamps).

    Returns a DataFrame ``start, end`` (tz-aware, ``tz``), ``summary``, ``uid``, sorted by start.
    All-day events cover their whole local days; floating times are read in ``tz``.
    """
    path = Path(path)
    if not path.exists():
        raise CalendarError(f"{path}: no such file")
    return read_ics_text(path.read_bytes(), start, end, tz, origin=str(path))


def read_ics_text(content: str | bytes, start, end, tz: str = "Europe/Paris", origin: str = "calendar") -> pd.DataFrame:
    """:func:`read_ics` of a calendar's content (an upload), not of a file: ``origin`` names it in errors.

    Nothing is read from disk, so a calendar sent by a browser can never make the server open a file.
    """
    import icalendar  # noqa: PLC0415
    import recurring_ical_events  # noqa: PLC0415

    path = origin  # the name every message below gives
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if not raw.strip():
        raise CalendarError(f"{path}: the file is empty (expected an iCalendar file)")
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except ValueError as exc:
        raise CalendarError(f"{path}: not a valid iCalendar file ({exc})") from None
    if cal.name != "VCALENDAR":
        raise CalendarError(f"{path}: top-level component is {cal.name}, expected VCALENDAR")
    s, e = (pd.Timestamp(x) for x in (start, end))
    s = s.tz_localize(tz) if s.tzinfo is None else s
    e = e.tz_localize(tz) if e.tzinfo is None else e
    rows = []
    try:
        events = recurring_ical_events.of(cal).between(s.to_pydatetime(), e.to_pydatetime())
    except Exception as exc:  # noqa: BLE001 - the library raises many types on bad recurrence rules
        raise CalendarError(f"{path}: cannot expand the events ({type(exc).__name__}: {exc})") from None
    for ev in events:
        summary = str(ev.get("SUMMARY", ""))
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


def _to_timestamp(value, tz: str) -> pd.Timestamp:
    if isinstance(value, dt.datetime):
        ts = pd.Timestamp(value)
        return ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)
    return pd.Timestamp(value).tz_localize(tz)  # an all-day date: local midnight
