"""Booking calendars, whatever their form: an iCalendar file (:mod:`twin.sources.ics`) or a spreadsheet's
CSV export (:mod:`twin.sources.bookings_csv`), told apart by their content (and a ``.csv`` name)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from twin.sources.bookings_csv import looks_like_bookings_csv, read_bookings_csv_text
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


def booking_years(content: str | bytes, year: int, tz: str = LOCAL_TZ, origin: str = "calendar",
                  around: int = 10) -> list[int]:
    """The years within ``around`` of ``year`` in which the calendar ``content`` has a booking (what to
    tell a user whose calendar has none in the year simulated: « its bookings are in 2025 »)."""
    found = read_bookings_text(content, f"{year - around}-01-01", f"{year + around + 1}-01-01", tz, origin=origin)
    return sorted({int(t.year) for t in found["start"]})


def booking_span(events: pd.DataFrame, index: pd.DatetimeIndex) -> dict:
    """How much of the simulated hours ``index`` a calendar's bookings ``events`` span, first start to last
    end: ``count``, ``first``, ``last`` (dates, ISO), ``days`` spanned and ``share`` of the simulated days.
    Outside its span a calendar says nothing is booked: a few weeks' bookings read as a year heated those
    weeks alone."""
    if events is None or events.empty:
        return {"count": 0, "first": "", "last": "", "days": 0.0, "share": 0.0}
    first, last = events["start"].min(), events["end"].max()
    total_days = (index[-1] - index[0]).total_seconds() / 86400.0 + 1.0 / 24.0
    days = (last - first).total_seconds() / 86400.0
    return {"count": int(len(events)), "first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}",
            "days": round(days, 1), "share": round(min(days / total_days, 1.0), 3) if total_days > 0 else 0.0}

