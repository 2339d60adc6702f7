"""The column separator of a CSV a person exported: a comma, or the semicolon of a French spreadsheet.

Excel and LibreOffice set to French write « ; » between columns (the comma is their decimal mark), and
open-data portals (OpenDataSoft) export with « ; » too: a reader that assumes commas reads such a file as
one column and refuses every line for a column it cannot find.
"""

from __future__ import annotations


def separator(text: str) -> str:
    """``";"`` when the header line (the first) holds more semicolons than commas, else ``","``."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","
