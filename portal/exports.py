"""Tables as CSV or XLSX files for the portal's own exports, with every cell inert.

A cell that begins with "=", "+", "-", "@", a tab or a carriage return would be read by Excel as
a formula (a unit renamed `=HYPERLINK(...)` becomes a live link in a leader's download): such a
text cell gets a leading apostrophe, which Excel shows as plain text. Numbers stay numbers.
The admin's import/export files follow the same rule (InertCSV, InertXLSX below), and reading such
a file back drops that apostrophe again, so an exported file imports unchanged.
Imports no app: each app passes its header and rows.
"""

from __future__ import annotations

import tablib
from django.http import HttpResponse
from import_export.formats.base_formats import CSV, XLSX

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


def uninert(cell):
    """The text a cell written by inert() stood for: "'=A1" reads back as "=A1"."""
    if isinstance(cell, str) and cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _map_dataset(dataset: tablib.Dataset, func) -> tablib.Dataset:
    """A copy of the dataset with func applied to every header and cell."""
    copy = tablib.Dataset(headers=[func(h) for h in dataset.headers or []] or None, title=dataset.title)
    for row in dataset:
        copy.append([func(cell) for cell in row])
    return copy


class InertFormatMixin:
    """An import-export file format whose exported cells are inert and whose imported cells lose
    the apostrophe inert() added. Replaces IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT, which only
    strips a leading "=" (and so changes the text) and turns every number into text."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_dataset(dataset, inert), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _map_dataset(super().create_dataset(in_stream, **kwargs), uninert)


class InertCSV(InertFormatMixin, CSV):
    pass


class InertXLSX(InertFormatMixin, XLSX):
    pass


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
