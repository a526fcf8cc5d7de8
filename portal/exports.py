"""Tables as CSV or XLSX files for the portal's own exports, with every cell inert.

A cell that begins with "=", "+", "-", "@", a tab or a carriage return would be read by Excel as
a formula (a unit renamed `=HYPERLINK(...)` becomes a live link in a leader's download): such a
text cell gets a leading apostrophe, which Excel shows as plain text. Numbers stay numbers.
Imports no app: each app passes its header and rows.
"""

from __future__ import annotations

import tablib
from django.http import HttpResponse

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell):
    """The cell as a spreadsheet reads it as text, never as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def tabular_file(*, header: list[str], rows: list[list], fmt: str, title: str = "") -> bytes:
    dataset = tablib.Dataset(headers=[inert(str(h)) for h in header], title=(title or "Sheet")[:31])
    for row in rows:
        dataset.append([inert(cell) for cell in row])
    if fmt == "xlsx":
        return dataset.export("xlsx")
    # The byte-order mark makes Excel read the file as UTF-8, so Vietnamese names survive.
    return ("\ufeff" + dataset.export("csv")).encode("utf-8")


def tabular_response(*, header: list[str], rows: list[list], fmt: str, filename: str, title: str = "") -> HttpResponse:
    response = HttpResponse(
        tabular_file(header=header, rows=rows, fmt=fmt, title=title), content_type=CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
