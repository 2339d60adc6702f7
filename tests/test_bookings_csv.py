"""Booking calendars kept in a spreadsheet (twin.sources.bookings_csv): read as an .ics is, checked line by
line, and the same bookings whichever way they come (a scenario's file, an upload turned into iCalendar)."""

import pandas as pd
import pytest

from twin.sources.bookings import read_bookings, read_bookings_text
from twin.sources.bookings_csv import bookings_csv_to_ics, looks_like_bookings_csv, read_bookings_csv_text
from twin.sources.ics import CalendarError, read_ics_text

PARIS = "Europe/Paris"
FRENCH_EXPORT = ("\ufeffDate;Début;Fin;Objet;Salle\n"
                 "04/03/2024;18:00;20:00;Basket U13;Gymnase\n"
                 "\n"  # a blank line: skipped, the line numbers after it kept
                 "2024-03-05;8h;12h30;Centre de loisirs;\n"
                 "30/03/2024;22h;1h;Soirée;Salle des fêtes\n"
                 "31/03/2024;2h30;4h;Nuit du changement d'heure;Gymnase\n")


def test_a_french_spreadsheet_s_bookings_on_the_paris_clock():
    """Semicolons, a byte-order mark, accents in the header, the day first, « 8h » and « 12h30 », a booking
    through midnight (22h–1h: the next day), and 02:30 on the night the clocks go forward (the hour after)."""
    df = read_bookings_csv_text(FRENCH_EXPORT, origin="salle.csv")
    t = lambda text: pd.Timestamp(text, tz=PARIS)  # noqa: E731
    assert list(df["start"]) == [t("2024-03-04 18:00"), t("2024-03-05 08:00"), t("2024-03-30 22:00"),
                                 t("2024-03-31 03:00")]
    assert list(df["end"]) == [t("2024-03-04 20:00"), t("2024-03-05 12:30"), t("2024-03-31 01:00"),
                               t("2024-03-31 04:00")]
    assert list(df["summary"])[:3] == ["Basket U13 (Gymnase)", "Centre de loisirs", "Soirée (Salle des fêtes)"]
    assert list(df["uid"]) == ["line 2", "line 4", "line 5", "line 6"]  # the blank line 3 counted


def test_whole_times_with_commas_an_offset_and_a_window():
    text = ("start,end,title\n"
            "2024-01-10 18:00,2024-01-10 20:00,Judo\n"
            "2024-01-11T17:00:00Z,2024-01-11T19:00:00Z,Escrime\n"  # UTC: 18:00 in Paris in winter
            "2024-02-01 09:00,2024-02-01 10:00,Outside the window\n")
    df = read_bookings_text(text, "2024-01-01", "2024-02-01", origin="club.txt")  # told by its header, not its name
    assert list(df["summary"]) == ["Judo", "Escrime"]
    assert df["start"].iloc[1] == pd.Timestamp("2024-01-11 18:00", tz=PARIS)
    # overlapping the window is enough: a booking across its start is kept
    assert len(read_bookings_text(text, "2024-01-10 19:00", "2024-01-10 19:30", origin="club.csv")) == 1


def test_the_same_bookings_from_a_file_and_from_an_upload_turned_into_icalendar(tmp_path):
    """A scenario names the CSV file (the CLI); the app keeps an upload as the iCalendar text it converts
    it to (the scenario's one form). Both give the same bookings, hence the same heating run — the hour the
    autumn change repeats too (written in local time, the iCalendar read it back ambiguous and the run failed)."""
    text = FRENCH_EXPORT + "27/10/2024;1h30;2h30;Nuit du retour à l'heure d'hiver;\n"
    f = tmp_path / "salle.csv"
    f.write_text(text, encoding="utf-8")
    from_file = read_bookings(f, "2024-01-01", "2025-01-01")
    assert from_file["end"].iloc[-1] - from_file["start"].iloc[-1] == pd.Timedelta(hours=1)
    ics = bookings_csv_to_ics(text, "salle.csv")
    assert "X-WR-CALNAME:salle.csv" in ics and not looks_like_bookings_csv(ics.encode(), "upload")
    from_upload = read_ics_text(ics, "2024-01-01", "2025-01-01")
    cols = ["start", "end", "summary"]
    pd.testing.assert_frame_equal(from_file[cols], from_upload[cols])


@pytest.mark.parametrize("text,line,expected", [
    ("", None, "the file is empty"),
    ("nom;quand\nSECRET=hunter2;x\n", None, "no start column"),
    ("debut,fin\n", None, "a header and no booking"),
    ("debut,fin\n2024-03-04 18:00,2024-03-04 17:00\n", 2, "ends (2024-03-04 17:00) before or when it starts"),
    ("debut,fin\nSECRET=hunter2,2024-03-04 19:00\n", 2, "column « debut » does not hold a date and time"),
    ("debut,fin\n18:00,19:00\n", 2, "an hour alone needs a date column"),
    ("date,debut,fin\n2024-03-04,25:00,26:00\n", 2, "an hour from 0:00 to 24:00"),
    ("date,debut,fin\nSECRET=hunter2,18:00,19:00\n", 2, "column « date » does not hold a date"),
    ("debut,fin\n2024-03-04 18:00,\n", 2, "no end in column « fin »"),
    ("debut,fin\n2024-03-04 18:00,2024-03-04 19:00,SECRET=hunter2\n", 2, "3 fields for 2 columns"),
    ('debut,fin,objet\n2024-03-04 18:00,2024-03-04 19:00,"SECRET\n2024-03-05 18:00,2024-03-05 19:00,x\n', 2,
     "a quote left open"),
    # pandas read a bare number as a year: 1800–2030, a hall booked all year
    ("debut,fin\n2024,2025\n", 2, "column « debut » does not hold a date and time"),
    # a two-digit year: the 4th of March or the 3rd of April, 1924 or 2024 — refused, not guessed
    ("debut,fin\n04/03/24 18:00,04/03/24 19:00\n", 2, "column « debut » does not hold a date and time"),
    ("date,debut,fin\n,18:00,19:00\n", 2, "no day in column « date »"),  # the column is there, its cell empty
])
def test_a_bad_line_is_refused_by_file_line_and_column_never_quoted(text, line, expected):
    with pytest.raises(CalendarError) as err:
        read_bookings_text(text, None, None, origin="salle.csv")
    message = str(err.value)
    assert message.startswith("salle.csv") and expected in message
    assert line is None or f"line {line}:" in message
    assert "SECRET" not in message and "hunter2" not in message
    assert err.value.key.startswith("err_bookings_")  # said in French in the app (twin.app.catalogue)


def test_an_icalendar_file_is_still_read_as_one():
    ics = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//FR\nBEGIN:VEVENT\nUID:a\nDTSTART:20240108T180000\n"
           "DTEND:20240108T200000\nSUMMARY:Handball\nEND:VEVENT\nEND:VCALENDAR\n")
    assert not looks_like_bookings_csv(ics.encode(), "gym.ics")
    assert list(read_bookings_text(ics, "2024-01-01", "2024-02-01", origin="gym.ics")["summary"]) == ["Handball"]
    with pytest.raises(CalendarError, match="expected BEGIN:VCALENDAR"):  # neither form: the iCalendar error
        read_bookings_text("hello\n", "2024-01-01", "2024-02-01", origin="gym.ics")


def test_a_lighting_schedule_keeps_the_street_lit_during_a_spreadsheet_s_bookings(tmp_path):
    """A schedule's ``events_ics`` may name the CSV as well: the street stays lit while the hall is booked."""
    from test_lighting import _removed_hours

    from twin.scenarios.lighting import _to_schedule

    f = tmp_path / "gymnase.csv"
    f.write_text("date;debut;fin\n12/01/2024;22:00;23:30\n", encoding="utf-8")
    schedule = _to_schedule({"name": "hall", "off_windows": [("23:00", "05:00")], "events_ics": str(f)}, 2024)
    assert _removed_hours("2024-01-12", schedule) == 5.5  # lit until 23:30, the booking's end
    assert _removed_hours("2024-01-13", schedule) == 6.0


def test_the_ways_spreadsheets_write_bookings():
    """Review cases: a day and an hour in columns of their own for each end, through midnight; « 1800 » an hour
    beside a date; 04-03-2024 and 04.03.2024 the 4th of March; a quoted cell over two lines; a trailing empty
    field; a tab-separated export; a blank first line; Windows-1252 refused by its line."""
    t = lambda text: pd.Timestamp(text, tz=PARIS)  # noqa: E731
    sheet = ("Date de début;Heure de début;Date de fin;Heure de fin;Objet\n"
             "04/03/2024;22:00;05/03/2024;01:00;Nuit\n"
             "06/03/2024;9h;06/03/2024;12h;\"Réunion\ndu conseil\";\n")
    df = read_bookings_csv_text(sheet, origin="export.csv")
    assert list(df["start"]) == [t("2024-03-04 22:00"), t("2024-03-06 09:00")]
    assert list(df["end"]) == [t("2024-03-05 01:00"), t("2024-03-06 12:00")]
    assert df["summary"].iloc[1] == "Réunion du conseil"
    one_day = read_bookings_csv_text("date;debut;fin\n04/03/2024;1800;2030\n", origin="x.csv")
    assert one_day["start"].iloc[0] == t("2024-03-04 18:00") and one_day["end"].iloc[0] == t("2024-03-04 20:30")
    for written in ("04-03-2024", "04.03.2024"):
        read = read_bookings_csv_text(f"debut;fin\n{written} 18:00;{written} 19:00\n", origin="x.csv")
        assert read["start"].iloc[0] == t("2024-03-04 18:00"), written
    tabs = read_bookings_csv_text("\n\ndebut\tfin\tobjet\n2024-03-04 18:00\t2024-03-04 19:00\tJudo\n", origin="x.tsv")
    assert list(tabs["summary"]) == ["Judo"]
    trailing = read_bookings_csv_text("debut;fin\n2024-03-04 18:00;2024-03-04 19:00;\n", origin="x.csv")
    assert len(trailing) == 1
    with pytest.raises(CalendarError, match=r"x.csv, line 3: not UTF-8 text") as err:
        read_bookings_csv_text("debut;fin;objet\n2024-03-04 18:00;2024-03-04 19:00;ok\n"
                               "2024-03-05 18:00;2024-03-05 19:00;Fête\n".encode("cp1252"), origin="x.csv")
    assert err.value.key == "err_bookings_encoding"
