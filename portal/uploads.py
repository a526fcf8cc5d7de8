"""Bounds on what an office may upload for an import, checked before the file is parsed, so that
no upload can hold a worker past its timeout or fill its memory: the file's size, an XLSX's
uncompressed size (a 735 KB sheet can unpack to 2 million rows), its rows and its cells. The
limits are settings (IMPORT_MAX_FILE_MB, IMPORT_MAX_ROWS, IMPORT_MAX_CELL_CHARS) and every
refusal names them in Vietnamese. Bigger imports are split by the office until imports run as
background jobs: IMPORT_MAX_ROWS (500) keeps a preview and its confirmation well inside 10 s each
(about 4 ms a row on a busy 2-core machine; see the README's import benchmark)."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# An XLSX is a zip of XML; unpacked it is commonly 5–10 times its size. More than this many
# bytes unpacked per byte allowed is not a spreadsheet an office typed.
XLSX_UNPACKED_FACTOR = 10


def _limits() -> tuple[int, int, int]:
    return (
        int(getattr(settings, "IMPORT_MAX_FILE_MB", 5)),
        int(getattr(settings, "IMPORT_MAX_ROWS", 500)),
        int(getattr(settings, "IMPORT_MAX_CELL_CHARS", 5000)),
    )


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def xlsx_export_refusal(rows: int) -> str:
    """The message refusing an XLSX export of `rows` rows past EXPORT_MAX_XLSX_ROWS, or ""."""
    limit = int(getattr(settings, "EXPORT_MAX_XLSX_ROWS", 20_000))
    if rows <= limit:
        return ""
    return _(
        "Tệp Excel (XLSX) chỉ xuất được tối đa %(max)s dòng một lần; danh sách này có %(rows)s dòng. "
        "Hãy chọn định dạng CSV (xuất được cả danh sách, mở được bằng Excel) hoặc lọc bớt danh sách rồi xuất lại."
    ) % {"max": _number(limit), "rows": _number(rows)}


def check_import_file(uploaded) -> None:
    """Refuse (ValidationError) an upload beyond the limits; reads at most the rows allowed plus one."""
    max_mb, max_rows, max_cell = _limits()
    if uploaded.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("Tệp lớn quá %(max)s MB (tệp này %(size)s MB). Hãy chia thành nhiều tệp nhỏ hơn.")
            % {"max": _number(max_mb), "size": _number(max(1, uploaded.size // (1024 * 1024)))},
            code="too_big",
        )
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    rows = _xlsx_rows(uploaded, max_mb, max_rows, max_cell) if head.startswith(b"PK") else _csv_rows(uploaded)
    uploaded.seek(0)
    if rows > max_rows + 1:  # the header row is not a record
        raise ValidationError(
            _(
                "Tệp có hơn %(max)s dòng. Tệp lớn hơn chưa nhập được trong một lần: hãy chia thành nhiều tệp, "
                "mỗi tệp tối đa %(max)s dòng (tệp lớn sẽ được nhập chạy nền trong một phiên bản sau)."
            )
            % {"max": _number(max_rows)},
            code="too_many_rows",
        )


def _csv_rows(uploaded) -> int:
    return sum(chunk.count(b"\n") for chunk in uploaded.chunks()) + 1


def _xlsx_rows(uploaded, max_mb: int, max_rows: int, max_cell: int) -> int:
    import openpyxl

    data = uploaded.read()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise ValidationError(_("Tệp không phải là bảng tính XLSX đọc được."), code="not_xlsx") from None
    if unpacked > max_mb * 1024 * 1024 * XLSX_UNPACKED_FACTOR:
        raise ValidationError(
            _("Bảng tính giải nén ra quá lớn (%(size)s MB). Hãy lưu lại chỉ phần dữ liệu cần nhập.")
            % {"size": _number(unpacked // (1024 * 1024))},
            code="too_big_unpacked",
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("Tệp không phải là bảng tính XLSX đọc được."), code="not_xlsx") from None
    try:
        rows = 0
        for row in book.worksheets[0].iter_rows(values_only=True):
            rows += 1
            if rows > max_rows + 1:
                break
            for cell in row:
                if isinstance(cell, str) and len(cell) > max_cell:
                    raise ValidationError(
                        _("Dòng %(row)s có một ô dài quá %(max)s ký tự.") % {"row": rows, "max": _number(max_cell)},
                        code="cell_too_long",
                    )
        return rows
    finally:
        book.close()
