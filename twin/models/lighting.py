"""Street lighting: when it is dark, what a schedule lights, and the energy it takes.

* Sun times come from **astral** (NOAA solar equations), never our own astronomy.
  By default lamps switch on ``offset_min = 15`` minutes after sunset and off
  15 minutes before sunrise — the convention behind the "about 4,100 burning
  hours a year" quoted by French syndicates (AFE, ADEME); a switching sun
  elevation (e.g. −3°) can be given instead.
* A :class:`Schedule` says, in local time, when lamps are off or dimmed
  (``off_windows``, ``dimming``), with a different rule on Friday and Saturday
  nights, calendar exceptions (whole nights lit: New Year, festivals, market
  nights) and events (lit while a booking lasts, from an iCalendar file).
* Time is a one-minute grid over a local calendar year (or any period). A lamp's
  light fraction at minute *t* is ``dark(t, location) × level(t, schedule)``;
  lamps sharing a location cell (default 0.1°, i.e. switch times within about
  ±15 s) and a schedule share one computation, so 100,000 lamps never build a
  lamp × minute array.

Energy (kWh) of a lamp = rated power (W) × equivalent full-power hours / 1000.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from twin.errors import TwinError
from twin.timeutil import LOCAL_TZ

DEFAULT_OFFSET_MIN = 15.0
_HHMM = re.compile(r"^(\d{1,2})(?::(\d{2})|[hH](\d{2})?)$", re.ASCII)  # 23:00, 5:30, as French writes it: 23h, 23h30


class SunError(TwinError, ValueError):
    """A place and day without a sunset and a sunrise (polar day or night): no dusk-to-dawn switching."""


class ScheduleError(TwinError, ValueError):
    """A schedule that cannot be applied; the message names the schedule and the window.

    Each fault a user can write in a schedule carries its message key (``err_schedule_…``) and values
    (``schedule``: its name; ``weekend``: True for the Friday and Saturday windows; the text at fault),
    so the page says the exact fault in its language (:class:`twin.errors.TwinError`)."""


# ---------------------------------------------------------------------------- time grid
@dataclass(frozen=True)
class MinuteGrid:
    """A one-minute UTC grid over ``[start, end)``, with the local clock of each minute."""

    start: pd.Timestamp  # UTC
    n: int
    tz: str

    @classmethod
    def for_year(cls, year: int, tz: str = LOCAL_TZ) -> "MinuteGrid":
        """The local calendar year ``year`` (1 January 00:00 to 1 January 00:00, local time)."""
        return cls.between(f"{year}-01-01", f"{year + 1}-01-01", tz)

    @classmethod
    def between(cls, start, end, tz: str = LOCAL_TZ) -> "MinuteGrid":
        s = pd.Timestamp(start, tz=tz).tz_convert("UTC") if pd.Timestamp(start).tzinfo is None else \
            pd.Timestamp(start).tz_convert("UTC")
        e = pd.Timestamp(end, tz=tz).tz_convert("UTC") if pd.Timestamp(end).tzinfo is None else \
            pd.Timestamp(end).tz_convert("UTC")
        return cls(s, int((e - s) / pd.Timedelta(minutes=1)), tz)

    @property
    def end(self) -> pd.Timestamp:
        return self.start + pd.Timedelta(minutes=self.n)

    def index_of(self, times_utc: np.ndarray) -> np.ndarray:
        """Minute index (rounded to the nearest minute, clipped to [0, n]) of UTC datetime64 values."""
        start = np.datetime64(self.start.tz_localize(None), "s")
        minutes = (np.asarray(times_utc, dtype="datetime64[s]") - start).astype(np.int64) / 60.0
        return np.clip(np.rint(minutes), 0, self.n).astype(np.int64)

    @property
    def local(self) -> "LocalClock":
        return _local_clock(self.start, self.n, self.tz)


@dataclass(frozen=True)
class LocalClock:
    minute_of_day: np.ndarray  # local minute of the day, 0..1439
    evening_date: np.ndarray  # local date (datetime64[D]) of the evening a minute's night belongs to
    evening_weekday: np.ndarray  # 0 = Monday … 6 = Sunday
    month_starts: np.ndarray  # grid indices where a local month begins (first is 0)
    months: list  # pandas Periods matching month_starts


@lru_cache(maxsize=8)
def _local_clock(start: pd.Timestamp, n: int, tz: str) -> LocalClock:
    times = pd.date_range(start, periods=n, freq="1min").tz_convert(tz)
    mod = (times.hour * 60 + times.minute).to_numpy().astype(np.int16)
    # A night runs from one evening to the next morning: minutes before noon belong to the previous evening.
    evening = (times - pd.Timedelta(hours=12)).tz_localize(None).normalize()
    period = times.tz_localize(None).to_period("M")
    change = np.flatnonzero(np.r_[True, period[1:] != period[:-1]])
    return LocalClock(mod, evening.to_numpy().astype("datetime64[D]"), evening.day_of_week.to_numpy().astype(np.int8),
                      change, [period[i] for i in change])


# ---------------------------------------------------------------------------- darkness
def switch_times(lat: float, lon: float, first_evening: dt.date, n_nights: int, *,
                 offset_min: float = DEFAULT_OFFSET_MIN, elevation_deg: float | None = None):
    """Switch-on and switch-off times (UTC ``datetime64[s]``) of ``n_nights`` nights.

    Night *i* starts on the evening of ``first_evening + i`` and ends the next morning.
    With ``elevation_deg`` lamps switch when the sun crosses that elevation
    (astral.sun.time_at_elevation); otherwise ``offset_min`` after sunset / before
    sunrise (astral.sun.sunset / sunrise, standard refraction −0.833°).
    """
    from astral import Observer  # noqa: PLC0415
    from astral.sun import SunDirection, sunrise, sunset, time_at_elevation  # noqa: PLC0415

    obs = Observer(latitude=lat, longitude=lon)
    on, off = np.empty(n_nights, "datetime64[s]"), np.empty(n_nights, "datetime64[s]")
    offset = dt.timedelta(minutes=offset_min)
    for i in range(n_nights):
        day = first_evening + dt.timedelta(days=i)
        nxt = day + dt.timedelta(days=1)
        try:
            if elevation_deg is None:
                a, b = sunset(obs, day) + offset, sunrise(obs, nxt) - offset
            else:
                a = time_at_elevation(obs, elevation_deg, day, SunDirection.SETTING)
                b = time_at_elevation(obs, elevation_deg, nxt, SunDirection.RISING)
        except ValueError as exc:  # astral: the sun never sets or never rises that day (polar day or night)
            raise SunError(f"at latitude {lat:g}°, longitude {lon:g}° the sun does not set and rise on {day} "
                           f"({exc}): the dusk-to-dawn rule needs a sunset and a sunrise every day (polar day "
                           "or night are not modelled)") from None
        on[i] = np.datetime64(a.replace(tzinfo=None), "s")
        off[i] = np.datetime64(b.replace(tzinfo=None), "s")
    return on, off


def dark_mask(grid: MinuteGrid, lat: float, lon: float, *, offset_min: float = DEFAULT_OFFSET_MIN,
              elevation_deg: float | None = None) -> np.ndarray:
    """Boolean per minute of ``grid``: True while lamps at (lat, lon) are switched on by the dusk/dawn rule."""
    first = (grid.start.tz_convert(grid.tz) - pd.Timedelta(days=1)).date()
    n_nights = (grid.end - grid.start).days + 3
    on, off = switch_times(lat, lon, first, n_nights, offset_min=offset_min, elevation_deg=elevation_deg)
    steps = np.zeros(grid.n + 1, dtype=np.int32)
    np.add.at(steps, grid.index_of(on), 1)
    np.add.at(steps, grid.index_of(off), -1)
    return np.cumsum(steps[:-1]) > 0


# ---------------------------------------------------------------------------- schedules
def _minutes(hhmm: str, where: str, **values) -> int:
    """Minutes after local midnight of ``"HH:MM"``; ``values`` (``schedule``, ``weekend``) name the
    schedule in the error's message key, when the time is one a user wrote."""
    m = _HHMM.match(str(hhmm).strip())  # str(): a number (23) is refused as a time, not a crash
    hour, minute = (int(m.group(1)), int(m.group(2) or m.group(3) or 0)) if m else (-1, -1)
    if not (0 <= hour <= 24 and 0 <= minute <= 59) or (hour == 24 and minute != 0):
        keyed = {"key": "err_schedule_time", "values": {**values, "text": str(hhmm)[:40]}} if values else {}
        raise ScheduleError(f"{where}: time {hhmm!r} is not HH:MM (00:00–24:00; 23h and 23h30 are read too)",
                            **keyed)
    return hour * 60 + minute


def canonical_time(text) -> object:
    """``text`` as HH:MM when it reads as a time (« 23h » → « 23:00 », « 5h30 » → « 05:30 »), else as given
    (the schedule's own check names it): every later reader — the rules' sentences, the forms — sees HH:MM."""
    try:
        minutes = _minutes(text, "time")
    except ScheduleError:
        return text
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _refuse_empty(window, label: str, kind: str, named: dict) -> None:
    """A window from a time to the same time holds no minute: 23:00–23:00 switched nothing off, and a
    run priced the clocks it would need with no saving (« never pays back ») instead of saying so."""
    if _minutes(window[0], label, **named) == _minutes(window[1], label, **named):  # 00:00–24:00 is all day
        raise ScheduleError(f"{label}: {kind} window {window[0]}–{window[1]} is empty (it ends when it starts): "
                            "give the hours it lasts, e.g. 23:00–05:00", key="err_schedule_empty",
                            values={**named, "start": str(window[0]), "end": str(window[1])})


DAYLIGHT_ALL_YEAR = (9 * 60 + 30, 16 * 60 + 30)
"""[min after local midnight] hours in daylight on every day of the year in metropolitan France: the latest
sunrise is about 09:10 (Brest, late December), the earliest sunset about 16:35 (Strasbourg, mid-December),
legal time (IMCCE ephemerides). A switch-off or a dimming inside them changes lamps that are already off."""


def window_in_daylight(a: str, b: str) -> bool:
    """Whether the window ``a``–``b`` (local times, HH:MM or 23h) lies in :data:`DAYLIGHT_ALL_YEAR` without
    wrapping past midnight: it saves nothing, the lamps being off anyway (10:00–16:00 typed for
    22:00–04:00). False for a time that does not read (the schedule's own check names it)."""
    try:
        start, end = _minutes(a, "window"), _minutes(b, "window")
    except ScheduleError:
        return False
    return DAYLIGHT_ALL_YEAR[0] <= start < end <= DAYLIGHT_ALL_YEAR[1]


def window_spans_the_day(a: str, b: str) -> bool:
    """Whether the window ``a``–``b`` (local times) holds the whole of :data:`DAYLIGHT_ALL_YEAR` without
    wrapping past midnight: it runs through the day, and the lamps would stay lit only from ``b`` to ``a``
    the next morning (05:00–23:00 typed for 23:00–05:00). 00:00–24:00, the whole day on purpose (a
    dimming all night long), is not such a slip."""
    try:
        start, end = _minutes(a, "window"), _minutes(b, "window")
    except ScheduleError:
        return False
    return (start, end) != (0, 1440) and start <= DAYLIGHT_ALL_YEAR[0] and DAYLIGHT_ALL_YEAR[1] <= end


def _window_mask(mod: np.ndarray, start: int, end: int) -> np.ndarray:
    """Minutes of day inside the local window [start, end), wrapping past midnight."""
    if start == end:
        return np.zeros(mod.shape, bool)
    if start < end:
        return (mod >= start) & (mod < end)
    return (mod >= start) | (mod < end)


def _window_set(start: int, end: int) -> set[int]:
    return set(range(start, end)) if start < end else set(range(start, 1440)) | set(range(0, end))


@dataclass
class Schedule:
    """When lamps are off or dimmed, in local time.

    Parameters
    ----------
    name : label shown in outcomes
    off_windows : ``[("23:00", "05:00"), …]`` windows with lamps off
    dimming : ``[("22:00", "06:00", 0.5), …]`` windows at a light level (fraction of full power)
    weekend_off_windows, weekend_dimming : the same for Friday and Saturday nights
        (None: as on weekdays)
    full_night_dates : local dates (of the evening) lit all night whatever the windows
    events : ``[(start, end), …]`` (timezone-aware or local) when lamps are forced fully on if dark
    """

    name: str = "all night"
    off_windows: list = field(default_factory=list)
    dimming: list = field(default_factory=list)
    weekend_off_windows: list | None = None
    weekend_dimming: list | None = None
    full_night_dates: list = field(default_factory=list)
    events: list = field(default_factory=list)

    @classmethod
    def from_dict(cls, spec: dict) -> "Schedule":
        known = set(cls.__dataclass_fields__)
        unknown = set(spec) - known
        if unknown:
            raise ScheduleError(f"schedule {spec.get('name', '?')!r}: unknown key(s) {sorted(unknown)} "
                                f"(known: {sorted(known)})", key="err_schedule_keys",
                                values={"schedule": str(spec.get("name", "?"))[:60],
                                        "names": ", ".join(sorted(map(str, unknown)))[:200],
                                        "known": ", ".join(sorted(known))})
        s = cls(**spec)
        s.validate()
        return s

    @property
    def is_all_night(self) -> bool:
        return not (self.off_windows or self.dimming or self.weekend_off_windows or self.weekend_dimming)

    @property
    def needs(self) -> str:
        """The least control a cabinet needs to run it: fixed, astronomical or connected clock."""
        if self.dimming or self.weekend_dimming or self.events:
            return "connected_clock"
        if not self.is_all_night or self.full_night_dates:
            return "astronomical_clock"
        return "fixed_clock"

    def _windows(self, weekend: bool):
        off = self.weekend_off_windows if weekend and self.weekend_off_windows is not None else self.off_windows
        dim = self.weekend_dimming if weekend and self.weekend_dimming is not None else self.dimming
        return off, dim

    def validate(self) -> None:
        """Refuse malformed times, levels outside [0, 1], and dimming windows that overlap with
        different levels. An off window inside a dimming window is consistent: off wins
        (the usual "dimmed from 22:00, off 23:00–05:00")."""
        for weekend in (False, True):
            off, dim = self._windows(weekend)
            label = f"schedule {self.name!r}" + (" (weekend)" if weekend else "")
            named = {"schedule": str(self.name)[:60], "weekend": weekend}  # the message key's values
            for w in off or []:
                if len(w) != 2:
                    raise ScheduleError(f"{label}: off window {w!r} must be (start, end)", key="err_schedule_off",
                                        values={**named, "text": str(w)[:60]})
                _refuse_empty(w, label, "off", named)
            covered: dict[int, tuple[float, str, tuple]] = {}
            for w in dim or []:
                if len(w) != 3:
                    raise ScheduleError(f"{label}: dimming window {w!r} must be (start, end, level)",
                                        key="err_schedule_dim", values={**named, "text": str(w)[:60]})
                level = float(w[2])
                if not 0.0 <= level <= 1.0:
                    raise ScheduleError(f"{label}: dimming level {level} outside [0, 1] in {w!r}",
                                        key="err_schedule_level",
                                        values={**named, "level": level, "text": str(w)[:60]})
                _refuse_empty(w, label, "dimming", named)
                what = f"dimmed {level:g} {w[0]}–{w[1]}"
                for minute in _window_set(_minutes(w[0], label, **named), _minutes(w[1], label, **named)):
                    if minute in covered and covered[minute][0] != level:
                        other_level, other_what, (a, b) = covered[minute]
                        raise ScheduleError(f"{label}: windows overlap inconsistently: {what} and "
                                            f"{other_what} both set {minute // 60:02d}:{minute % 60:02d}",
                                            key="err_schedule_overlap",
                                            values={**named, "level": level, "start": str(w[0]), "end": str(w[1]),
                                                    "other_level": other_level, "other_start": str(a),
                                                    "other_end": str(b),
                                                    "time": f"{minute // 60:02d}:{minute % 60:02d}"})
                    covered[minute] = (level, what, (w[0], w[1]))
        for d in self.full_night_dates:
            try:
                dt.date.fromisoformat(str(d))
            except ValueError:
                raise ScheduleError(f"schedule {self.name!r}: full-night date {d!r} is not YYYY-MM-DD",
                                    key="err_schedule_date",
                                    values={"schedule": str(self.name)[:60], "text": str(d)[:40]}) from None

    def levels(self, grid: MinuteGrid) -> np.ndarray:
        """Light level (0…1) per minute of ``grid`` when it is dark (before the dusk/dawn mask)."""
        self.validate()
        clock = grid.local
        level = np.ones(grid.n, dtype=np.float32)
        weekend = np.isin(clock.evening_weekday, (4, 5))
        for is_weekend, mask in ((False, ~weekend), (True, weekend)):
            off, dim = self._windows(is_weekend)
            label = f"schedule {self.name!r}"
            for w in dim or []:
                level[mask & _window_mask(clock.minute_of_day, _minutes(w[0], label), _minutes(w[1], label))] = w[2]
            for w in off or []:
                level[mask & _window_mask(clock.minute_of_day, _minutes(w[0], label), _minutes(w[1], label))] = 0.0
        if self.full_night_dates:
            dates = np.array([np.datetime64(str(d), "D") for d in self.full_night_dates])
            level[np.isin(clock.evening_date, dates)] = 1.0
        for start, end in self.events:
            s, e = (pd.Timestamp(x) for x in (start, end))
            s = s.tz_localize(grid.tz) if s.tzinfo is None else s
            e = e.tz_localize(grid.tz) if e.tzinfo is None else e
            i0, i1 = grid.index_of(np.array([s.tz_convert("UTC").tz_localize(None),
                                             e.tz_convert("UTC").tz_localize(None)], dtype="datetime64[s]"))
            level[i0:i1] = 1.0
        return level


ALL_NIGHT = Schedule()


# ---------------------------------------------------------------------------- energy
@dataclass
class GroupResult:
    """Per-group totals over the grid: hours (h) and per-month equivalent full-power hours."""

    night_hours: float  # dark (dusk/dawn rule) hours
    burning_hours: float  # hours with any light
    equivalent_hours: float  # Σ level × minutes / 60: energy = power × this
    monthly_equivalent_hours: np.ndarray
    use_lit_minutes: dict  # category -> (lit dark minutes in use window, dark minutes in use window)


def group_totals(dark: np.ndarray, level: np.ndarray, grid: MinuteGrid, use_windows: dict | None = None,
                 dimmable: bool = True) -> GroupResult:
    """Reduce one (location, schedule) group to its totals; non-dimmable lamps burn at full power when dimmed."""
    lvl = level if dimmable else np.where(level > 0, 1.0, 0.0).astype(np.float32)
    lit = np.where(dark, lvl, 0.0)
    monthly = np.add.reduceat(lit, grid.local.month_starts, dtype=np.float64) / 60.0
    use = {}
    if use_windows:
        mod = grid.local.minute_of_day
        for cat, (a, b) in use_windows.items():
            w = dark & _window_mask(mod, _minutes(a, cat), _minutes(b, cat))
            use[cat] = (float((lit[w] > 0).sum()), float(w.sum()))
    return GroupResult(night_hours=float(dark.sum()) / 60.0, burning_hours=float((lit > 0).sum()) / 60.0,
                       equivalent_hours=float(lit.sum(dtype=np.float64)) / 60.0, monthly_equivalent_hours=monthly,
                       use_lit_minutes=use)


def night_hours_summary(lat: float, lon: float, year: int, schedule: Schedule = ALL_NIGHT, *,
                        offset_min: float = DEFAULT_OFFSET_MIN, elevation_deg: float | None = None) -> dict:
    """Night hours, burning hours and the fraction a schedule saves against all-night lighting, for one place."""
    grid = MinuteGrid.for_year(year)
    dark = dark_mask(grid, lat, lon, offset_min=offset_min, elevation_deg=elevation_deg)
    g = group_totals(dark, schedule.levels(grid), grid)
    return {"lat": lat, "lon": lon, "year": year, "schedule": schedule.name,
            "switch": f"sun elevation {elevation_deg}°" if elevation_deg is not None else
            f"{offset_min:g} min after sunset / before sunrise",
            "night_hours": round(g.night_hours, 2), "burning_hours": round(g.burning_hours, 2),
            "equivalent_full_power_hours": round(g.equivalent_hours, 2),
            "saved_fraction": round(1.0 - g.equivalent_hours / g.night_hours, 4) if g.night_hours else 0.0}


@dataclass
class ParkResult:
    """Per-lamp results of :func:`simulate_park` over one grid (hours, h)."""

    night_hours: np.ndarray
    burning_hours: np.ndarray
    equivalent_hours: np.ndarray
    monthly_equivalent_hours: np.ndarray  # (lamp, month)
    months: list
    use_lit_minutes: dict  # category -> (lit minutes, dark minutes) summed over the lamps of that category
    groups: int


def simulate_park(lon, lat, dimmable, schedule_index, schedules: list[Schedule], grid: MinuteGrid, *,
                  categories: dict | None = None, use_windows: dict | None = None, cell_deg: float = 0.1,
                  offset_min: float = DEFAULT_OFFSET_MIN, elevation_deg: float | None = None,
                  progress: bool = False) -> ParkResult:
    """Light every lamp of a park by its schedule over ``grid``, one computation per group.

    Lamps are grouped by (location cell of ``cell_deg`` degrees, schedule, dimmable):
    the dusk/dawn mask is computed once per cell (at the mean position of its lamps)
    and each schedule's levels once for the whole park.

    Parameters
    ----------
    lon, lat : lamp positions (WGS84 degrees)
    dimmable : whether each lamp can follow dimming (else full power whenever lit)
    schedule_index : index into ``schedules`` of each lamp's schedule
    categories : ``{name: bool array}`` lamps that serve a place during its ``use_windows[name]``
    """
    from tqdm import tqdm  # noqa: PLC0415

    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    dimmable = np.asarray(dimmable, bool)
    schedule_index = np.asarray(schedule_index, int)
    n = len(lon)
    categories = categories or {}
    cells = np.stack([np.floor(lon / cell_deg), np.floor(lat / cell_deg)], axis=1).astype(np.int64)
    cell_keys, cell_of = np.unique(cells, axis=0, return_inverse=True)
    cell_of = cell_of.ravel()
    levels = {i: schedules[i].levels(grid) for i in np.unique(schedule_index)}
    months = grid.local.months
    out = ParkResult(np.zeros(n), np.zeros(n), np.zeros(n), np.zeros((n, len(months)), np.float32), months,
                     {c: [0.0, 0.0] for c in categories}, 0)
    for c in tqdm(range(len(cell_keys)), desc="lighting cells", disable=not progress, unit="cell"):
        in_cell = cell_of == c
        dark = dark_mask(grid, float(lat[in_cell].mean()), float(lon[in_cell].mean()),
                         offset_min=offset_min, elevation_deg=elevation_deg)
        for s in np.unique(schedule_index[in_cell]):
            for dim in (True, False):
                members = np.flatnonzero(in_cell & (schedule_index == s) & (dimmable == dim))
                if len(members) == 0:
                    continue
                cats = {k: v for k, v in (use_windows or {}).items() if k in categories and categories[k][members].any()}
                g = group_totals(dark, levels[s], grid, cats, dimmable=dim)
                out.groups += 1
                out.night_hours[members] = g.night_hours
                out.burning_hours[members] = g.burning_hours
                out.equivalent_hours[members] = g.equivalent_hours
                out.monthly_equivalent_hours[members] = g.monthly_equivalent_hours
                for cat, (lit, dark_min) in g.use_lit_minutes.items():
                    k = int(categories[cat][members].sum())
                    out.use_lit_minutes[cat][0] += k * lit
                    out.use_lit_minutes[cat][1] += k * dark_min
    return out
