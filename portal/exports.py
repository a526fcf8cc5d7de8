"""Tables as CSV or XLSX files for the portal's own exports, with every cell inert.

A cell that begins with "=", "+", "-", "@", a tab or a carriage return would be read by Excel as
a formula (a unit renamed `=HYPERLINK(...)` becomes a live link in a leader's download): such a
text cell gets a leading apostrophe, which Excel shows as plain text. Numbers stay numbers.
The admin's import/export files follow the same rule (InertCSV, InertXLSX below), and reading such
a file back drops that apostrophe again, so an exported file imports unchanged.
Imports no app: each app passes its header and rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import openpyxl
import tablib
from django.http import HttpResponse, StreamingHttpResponse
from import_export.formats.base_formats import CSV, XLSX
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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


def csv_chunks(*, header: list, rows: Iterable[list], chunk: int = 1000) -> Iterator[bytes]:
    """A CSV file in pieces of `chunk` rows, every cell inert, for a StreamingHttpResponse: the
    file is never whole in memory. The byte-order mark makes Excel read it as UTF-8, so
    Vietnamese names survive."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([inert(str(h)) for h in header])
    for n, row in enumerate(rows, 1):
        writer.writerow([inert(cell) for cell in row])
        if n % chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx_cell(cell):
    cell = inert(cell)
    # Control characters XLSX cannot hold (openpyxl would refuse the whole file).
    return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell


def xlsx_bytes(*, header: list, rows: Iterable[list], title: str = "") -> bytes:
    """An XLSX file, every cell inert, written row by row (openpyxl's write-only workbook keeps
    the rows on disk, not as cell objects in memory). Numbers and dates stay typed."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=(title or "Sheet")[:31])
    sheet.append([_xlsx_cell(str(h)) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tabular_file(*, header: list[str], rows: list[list], fmt: str, title: str = "") -> bytes:
    if fmt == "xlsx":
        return xlsx_bytes(header=header, rows=rows, title=title)
    return b"".join(csv_chunks(header=header, rows=rows))


def tabular_response(*, header: list[str], rows: list[list], fmt: str, filename: str, title: str = "") -> HttpResponse:
    response = HttpResponse(
        tabular_file(header=header, rows=rows, fmt=fmt, title=title), content_type=CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def streamed_response(*, header: list, rows: Iterable[list], fmt: str, filename: str, title: str = ""):
    """A big table as a download: CSV streamed in pieces while the rows are read, XLSX written
    row by row and sent when whole (a zip cannot be sent before it is finished)."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(header=header, rows=rows, title=title), content_type=CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(csv_chunks(header=header, rows=rows), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
