"""The column separator of a CSV a person exported: a comma, or the semicolon of a French spreadsheet.

Excel and LibreOffice set to French write « ; » between columns (the comma is their decimal mark), and
open-data portals (OpenDataSoft) export with « ; » too: a reader that assumes commas reads such a file as
one column and refuses every line for a column it cannot find.
"""

from __future__ import annotations

import re

import pandas as pd


def separator(text: str) -> str:
    """``";"`` when the header line (the first) holds more semicolons than commas, else ``","``."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


FRENCH_DATE = re.compile(r"\s*\d{1,2}/\d{1,2}/\d{4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$", re.ASCII)


def french_or_iso_times(text: pd.Series) -> pd.Series:
    """Times written ISO (``2024-03-04``, ``2024-03-04 08:30``; with an offset, converted to UTC) or day first
    as a French spreadsheet writes them (``04/03/2024``, ``04/03/2024 08:30``: the 4th of March, never the
    3rd of April, which pandas reads by default); NaT for anything else, which the caller refuses naming the
    line."""
    text = text.astype(str).str.strip()
    french = text.str.match(FRENCH_DATE)
    # ISO and the other spellings pandas reads (« 2020-01-01 00:00:00 UTC »); an offset converted to UTC
    out = pd.to_datetime(text.where(~french), errors="coerce", format="mixed", utc=True).dt.tz_localize(None)
    for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        out = out.fillna(pd.to_datetime(text.where(french).str.replace("T", " "), errors="coerce", format=fmt))
    return out


DECIMAL_COMMA = re.compile(r"\s*[-+]?\d*,\d+\s*$", re.ASCII)


def with_decimal_points(text: pd.Series) -> pd.Series:
    """Cells written with a French spreadsheet's decimal comma (« 125,5 », « -2,0851 ») with a point instead,
    stripped; every other cell as written (a word is refused by name later). For a « ; » file only: in a
    « , » file a quoted « 1,000 » is a thousand, not 1."""
    text = text.astype("string")
    comma = text.str.match(DECIMAL_COMMA).fillna(False).astype(bool)
    return text.where(~comma, text.str.replace(",", ".", regex=False).str.strip())
