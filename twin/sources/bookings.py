"""Booking calendars, whatever their form: an iCalendar file (:mod:`twin.sources.ics`) or a spreadsheet's
CSV export (:mod:`twin.sources.bookings_csv`), told apart by their content (and a ``.csv`` name)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from twin.sources.bookings_csv import bookings_csv_to_ics, looks_like_bookings_csv, read_bookings_csv_text
from twin.sources.ics import calendar_bytes, read_ics_text
from twin.timeutil import LOCAL_TZ


def read_bookings(path: str | Path, start, end, tz: str = LOCAL_TZ) -> pd.DataFrame:
    """The bookings of a calendar file overlapping ``[start, end)``: ``start, end`` (tz-aware, ``tz``),
    ``summary``, ``uid``, sorted by start (:func:`twin.sources.ics.read_ics`'s frame, for either form)."""
    return read_bookings_text(calendar_bytes(path), start, end, tz, origin=str(path))


def read_bookings_text(content: str | bytes, start, end, tz: str = LOCAL_TZ, origin: str = "calendar") -> pd.DataFrame:
    """:func:`read_bookings` of a calendar's content (an upload): ``origin`` names it in errors."""
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if looks_like_bookings_csv(raw, origin):
        return read_bookings_csv_text(raw, start, end, tz, origin=origin)
    return read_ics_text(raw, start, end, tz, origin=origin)


def booking_years(content: str | bytes, origin: str = "calendar") -> list[int]:
    """The years the bookings of the calendar ``content`` are dated from (each event's ``DTSTART``: a
    recurring booking's first): what to tell a user whose calendar has none in the year simulated (« its
    bookings are dated 2025 »). Read from the events as written, recurrences never expanded (an endless
    minutely rule expanded over years held the server for minutes)."""
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if looks_like_bookings_csv(raw, origin):
        raw = bookings_csv_to_ics(raw, origin).encode("utf-8")
    text = raw.decode("utf-8", errors="replace")
    return sorted({int(m) for m in re.findall(r"^DTSTART[^:\r\n]*:(\d{4})", text, flags=re.MULTILINE)})


def booking_span(events: pd.DataFrame, index: pd.DatetimeIndex) -> dict:
    """How much of the simulated hours ``index`` a calendar's bookings ``events`` span, first start to last
    end: ``count``, ``first``, ``last`` (dates, ISO), ``days`` spanned and ``share`` of the simulated days.
    Outside its span a calendar says nothing is booked: a few weeks' bookings read as a year heated those
    weeks alone."""
    if events is None or events.empty:
        return {"count": 0, "first": "", "last": "", "days": 0.0, "share": 0.0}
    end = index[-1] + pd.Timedelta(hours=1)
    first, last = max(events["start"].min(), index[0]), min(events["end"].max(), end)  # within the year
    total_days = (end - index[0]).total_seconds() / 86400.0
    days = (last - first).total_seconds() / 86400.0
    return {"count": int(len(events)), "first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}",
            "days": round(days, 1), "share": round(min(days / total_days, 1.0), 3) if total_days > 0 else 0.0}

