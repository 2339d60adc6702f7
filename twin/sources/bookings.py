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
