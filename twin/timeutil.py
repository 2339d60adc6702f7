"""Local time of the territory: its time zone and windows of hours written ``HH:MM-HH:MM``.

A low module (it imports only :mod:`twin.errors`): sources, models, the synthetic history and the
scenarios all take their local time zone and their hour-window parsing from here, so a window means
the same thing in every family. Scenarios turn :class:`HourRangeError` into their own error with
the parameter's name.
"""

from __future__ import annotations

import re

from twin.errors import TwinError

LOCAL_TZ = "Europe/Paris"
"""IANA time zone of the territory's local clock (the default territory, Redon, is in mainland France).
Local hours — booking calendars, lighting and heating schedules, round days, works windows — are read
in it; times are stored in UTC."""

MINUTES_PER_DAY = 1440


def local_clock_text(fmt: str, epoch: float | None = None) -> str:
    """The time ``epoch`` (now when None) on the territory's clock (:data:`LOCAL_TZ`), formatted with
    ``fmt`` (``time.strftime``'s codes): a report stamped by a server that runs in UTC read an hour early
    in Paris in winter, two in summer."""
    import datetime as dt  # noqa: PLC0415
    import time  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    return dt.datetime.fromtimestamp(time.time() if epoch is None else epoch, ZoneInfo(LOCAL_TZ)).strftime(fmt)

_HHMM_RANGE = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?\s*$")  # 07:30-18:45, or 07-19
EXPECTED = "expected HH:MM-HH:MM, local time, minutes kept (e.g. 07:30-18:45; 22:00-05:00 wraps past midnight)"


class HourRangeError(TwinError, ValueError):
    """A window of hours that cannot be read; ``kind`` says why: ``"syntax"`` (not ``HH:MM-HH:MM``),
    ``"time"`` (a time that is not one of the day) or ``"empty"`` (start = end).

    It carries the app's message key ``err_hours_<kind>`` with the values ``parameter`` (the name of
    the parameter the text came from) and ``text`` (the text as given), so the page says it in its
    language (:class:`twin.errors.TwinError`)."""

    def __init__(self, message: str, kind: str, *, parameter: str = "hours", text: str = ""):
        super().__init__(message, key=f"err_hours_{kind}", values={"parameter": parameter, "text": str(text)})
        self.kind = kind

    def __reduce__(self):
        # BaseException pickles as cls(*args) then __dict__: ``kind`` is not in args, so give it here
        # (an error raised in a worker process comes back pickled); key, values, kind come with __dict__
        return (type(self), (str(self), self.kind), dict(self.__dict__))


def parse_hour_range(text: str, what: str = "hours") -> tuple[int, int]:
    """Read a local window of hours, minutes kept.

    Parameters
    ----------
    text : str
        ``"HH:MM-HH:MM"`` in local time; whole hours may drop the minutes (``"07-19"``). A window
        whose end is not after its start wraps past midnight (``"22:30-05:00"``); ``"00:00-24:00"``
        is the whole day; ``24:00`` as a start is midnight.
    what : str
        Name of the parameter the text comes from; every error message starts with it.

    Returns
    -------
    (start, end) : tuple of int
        Minutes after local midnight [min], ``0 <= start < 1440`` and ``start < end <= start + 1440``;
        ``end > 1440`` when the window wraps past midnight (``"22:30-05:00"`` → ``(1350, 1740)``).

    Raises
    ------
    HourRangeError
        Not ``HH:MM-HH:MM`` (``kind="syntax"``), a time outside 00:00–24:00 or minutes above 59
        (``kind="time"``), or an empty window, start = end (``kind="empty"``).
    """
    m = _HHMM_RANGE.match(str(text))
    if not m:
        raise HourRangeError(f"{what} {text!r}: {EXPECTED}", "syntax", parameter=what, text=text)
    h0, m0, h1, m1 = (int(g or 0) for g in m.groups())
    for h, mm in ((h0, m0), (h1, m1)):
        if not (0 <= h <= 24 and 0 <= mm <= 59) or (h == 24 and mm != 0):
            raise HourRangeError(f"{what} {text!r}: {h:02d}:{mm:02d} is not a time of day (00:00 to 24:00); "
                                 f"{EXPECTED}", "time", parameter=what, text=text)
    a, b = h0 * 60 + m0, h1 * 60 + m1
    if a % MINUTES_PER_DAY == b % MINUTES_PER_DAY and not (a == 0 and b == MINUTES_PER_DAY):
        raise HourRangeError(f"{what} {text!r}: the window is empty (start = end); for the whole day give "
                             "00:00-24:00", "empty", parameter=what, text=text)
    a %= MINUTES_PER_DAY  # 24:00 as a start is the next midnight: the same hours of the day
    if b <= a:
        b += MINUTES_PER_DAY  # wraps past midnight
    return a, b



_ISO_DATE = re.compile(r"^\s*[+-]?\d{4}-\d{2}-\d{2}(?:$|[T\s])")


def is_iso_date_text(value) -> bool:
    """Whether ``value``, given as text, starts with an ISO 8601 date ``YYYY-MM-DD``; a date or time
    object is one already. « 03/04/2023 » is not: pandas reads it month first (4 March), a French
    reader day first (3 April) — refused rather than guessed."""
    if not isinstance(value, str):
        return True
    return bool(_ISO_DATE.match(value))


_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T,à]+(\d{1,2})\s*(?:[:h]\s*(\d{2})?(?::(\d{2}))?)?)?")


def french_date_text(text: str) -> str:
    """« 22/02/2023 01:00 », « 22/02/2023 1 h », « 22/02/2023 à 14h30 »: a date written day first, as on a
    French page's box (where the time is the territory's clock), in the year-first form the models read
    (« 2023-02-22 01:00 »); any other text as it is. Day first only here, where a person types on the
    French clock: a scenario file's « 03/04/2023 » stays refused (:func:`is_iso_date_text`)."""
    m = _FRENCH_DATE.fullmatch(text.strip())
    if m is None:
        return text
    day, month, year, hour, minute, second = m.groups()
    return f"{year}-{int(month):02d}-{int(day):02d} {int(hour or 0):02d}:{int(minute or 0):02d}" \
        + (f":{int(second):02d}" if second else "")


def local_text_to_utc(text: str) -> str | None:
    """A date and time typed on the territory's clock (« 2023-02-22 14:00 », the year first, or « 22/02/2023
    14:00 », :func:`french_date_text`) as the UTC text the models take (« 2023-02-22 13:00 »); a time that says its own offset (« …+02:00 », « …Z ») keeps
    it. None when ``text`` reads as no time (the caller passes it on, for the model to refuse it by name).

    A local time the spring change skips (02:30 on the last Sunday of March) is taken as the hour after;
    one the autumn change repeats (02:30 on the last Sunday of October), as the first (summer time)."""
    import pandas as pd  # noqa: PLC0415

    text = french_date_text(str(text).strip())
    if not text or not is_iso_date_text(text):
        return None
    try:
        t = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(t):
        return None
    if t.tzinfo is None:
        t = t.tz_localize(LOCAL_TZ, ambiguous=True, nonexistent="shift_forward")
    return f"{t.tz_convert('UTC'):%Y-%m-%d %H:%M}"


def utc_text_to_local(text: str) -> str:
    """The UTC text of a model's time (« 2023-02-22 13:00 ») on the territory's clock (« 2023-02-22
    14:00 »), as a person types it back; ``text`` itself when it reads as no time (empty: the default)."""
    import pandas as pd  # noqa: PLC0415

    try:
        t = pd.Timestamp(str(text).strip()) if str(text).strip() and is_iso_date_text(str(text)) else None
    except (ValueError, TypeError, OverflowError):
        t = None
    if t is None or pd.isna(t):
        return str(text)
    t = t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")
    return f"{t.tz_convert(LOCAL_TZ):%Y-%m-%d %H:%M}"
