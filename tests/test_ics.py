"""Booking calendars (:mod:`twin.sources.ics`): each mistake an energy manager's export can hold is refused
naming its line and what was expected, in French on the page (« (ligne ?) » was said for three of them,
and two were taken without a word)."""

from __future__ import annotations

import pandas as pd
import pytest

from twin.app.i18n_errors import user_message
from twin.sources.ics import CalendarError, read_ics_text

HEAD = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nSUMMARY:Gymnase\n"
TAIL = "END:VEVENT\nEND:VCALENDAR\n"


def refused(body: str, head: str = HEAD, tail: str = TAIL) -> str:
    with pytest.raises(CalendarError) as err:
        read_ics_text(head + body + tail, "2023-01-01", "2023-02-01", origin="gymnase.ics")
    return user_message(err.value, "fr")


def test_a_date_that_cannot_be_read_is_named_with_its_line():
    assert refused("DTSTART;TZID=Europe/Paris:2023-01-07 09:00\nDTEND;TZID=Europe/Paris:20230107T180000\n") == \
        "gymnase.ics, ligne 6 : la date de DTSTART ne se lit pas (attendu par exemple 20230107T090000, sans tiret " \
        "ni espace)"


def test_a_repetition_rule_in_french_is_named_with_its_line():
    text = refused("DTSTART;TZID=Europe/Paris:20230107T090000\nDTEND;TZID=Europe/Paris:20230107T180000\n"
                   "RRULE:FREQ=WEEKLY;BYDAY=SAM\n")
    assert text.startswith("gymnase.ics, ligne 8 : la règle de répétition RRULE ne se lit pas") and "SA SU" in text


def test_a_calendar_cut_short_says_what_is_missing():
    text = refused("DTSTART;TZID=Europe/Paris:20230107T090000\nDTEND;TZID=Europe/Paris:20230107T180000\n",
                   tail="END:VEVENT\n")
    assert text == "gymnase.ics : END:VCALENDAR manque (un fichier coupé ?)"


def test_a_booking_that_ends_before_it_starts_is_refused_not_swapped():
    """17:00 → 15:00 was read as a booking from 15:00 to 17:00."""
    text = refused("DTSTART;TZID=Europe/Paris:20230102T170000\nDTEND;TZID=Europe/Paris:20230102T150000\n"
                   "RRULE:FREQ=WEEKLY;BYDAY=MO\n")
    assert text == "gymnase.ics, ligne 7 : la réservation « Gymnase » finit avant de commencer"


def test_a_booking_without_an_end_is_refused():
    """260 bookings of no length, each an hour of heating before it, with no warning."""
    text = refused("DTSTART;TZID=Europe/Paris:20230102T170000\n")
    assert text.startswith("gymnase.ics, ligne 6 : la réservation « Gymnase » n'a pas de fin (DTEND ou DURATION)")


def test_an_unknown_time_zone_is_refused():
    text = refused("DTSTART;TZID=Paris:20230102T170000\nDTEND;TZID=Paris:20230102T190000\n")
    assert text.startswith("gymnase.ics, ligne 6 : fuseau horaire « Paris » inconnu")


def test_what_the_standard_allows_is_read():
    """A duration instead of an end, an all-day booking (its day), a time zone the file defines itself."""
    ok = read_ics_text(HEAD + "DTSTART;TZID=Europe/Paris:20230102T170000\nDURATION:PT2H\n" + TAIL, "2023-01-01",
                       "2023-02-01")
    assert (ok["end"] - ok["start"]).tolist() == [pd.Timedelta(hours=2)]
    day = read_ics_text(HEAD + "DTSTART;VALUE=DATE:20230102\n" + TAIL, "2023-01-01", "2023-02-01")
    assert (day["end"] - day["start"]).tolist() == [pd.Timedelta(days=1)]
    own = ("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTIMEZONE\nTZID:Mairie\nBEGIN:STANDARD\nDTSTART:19701025T030000\n"
           "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:1\nSUMMARY:x\n"
           "DTSTART;TZID=Mairie:20230102T170000\nDTEND;TZID=Mairie:20230102T190000\n" + TAIL)
    assert len(read_ics_text(own, "2023-01-01", "2023-02-01")) == 1


def test_review_cases_a_date_twice_a_windows_zone_a_negative_duration_and_an_old_booking():
    """A date given twice crashed (AttributeError); an Outlook export's « Romance Standard Time », which the
    library reads as Paris, was refused; a negative duration was swapped; a 2019 reminder with no end blocked a
    2023 calendar."""
    text = refused("DTSTART:20230102T170000\nDTSTART:20230102T180000\nDTEND:20230102T190000\n")
    assert text == "gymnase.ics, ligne 6 : DTSTART donné deux fois dans la réservation « Gymnase »"
    outlook = read_ics_text(HEAD + "DTSTART;TZID=Romance Standard Time:20230102T170000\n"
                                   "DTEND;TZID=Romance Standard Time:20230102T190000\n" + TAIL, "2023-01-01", "2023-02-01")
    assert outlook["start"].iloc[0] == pd.Timestamp("2023-01-02 17:00", tz="Europe/Paris")
    assert refused("DTSTART;TZID=Europe/Paris:20230102T170000\nDURATION:-PT2H\n").startswith(
        "gymnase.ics, ligne 7 : la réservation « Gymnase » finit avant de commencer")
    old = read_ics_text(HEAD + "DTSTART;TZID=Europe/Paris:20190102T170000\n" + "END:VEVENT\nBEGIN:VEVENT\nUID:2\n"
                        "SUMMARY:Match\nDTSTART;TZID=Europe/Paris:20230104T170000\nDTEND;TZID=Europe/Paris:"
                        "20230104T190000\n" + TAIL, "2023-01-01", "2023-02-01")
    assert len(old) == 1 and old["summary"].iloc[0] == "Match"
