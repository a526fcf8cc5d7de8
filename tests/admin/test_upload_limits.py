"""Hostile and oversized import files are refused before parsing, with the limit in Vietnamese, and
nothing is saved (portal/uploads.py): too many rows, too big, a compressed sheet that unpacks huge,
a giant cell, a file that is not a spreadsheet."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from organisations.models import OrgUnit
from tests.admin.test_import import CSV, XLSX, XLSX_TYPE, csv_file, upload, xlsx_file

HEADER = ["Tên", "Loại đơn vị", "Đơn vị cấp trên (ID)"]


def refused(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xác nhận nhập" not in html
    return html


@pytest.mark.django_db
@override_settings(IMPORT_MAX_ROWS=20)
@pytest.mark.parametrize("file_format,make", [(XLSX, xlsx_file), (CSV, csv_file)])
def test_a_file_with_more_rows_than_allowed_is_refused_before_parsing(admin_client, district, file_format, make):
    rows = [HEADER] + [[f"Trường {i}", "Trường/Trung tâm", district.pk] for i in range(25)]
    before = OrgUnit.objects.count()
    html = refused(upload(admin_client, OrgUnit, make(rows), file_format))
    assert "Tệp có hơn 20 dòng" in html
    assert "chưa nhập được trong một lần" in html and "mỗi tệp tối đa 20 dòng" in html
    assert OrgUnit.objects.count() == before


@pytest.mark.django_db
@override_settings(IMPORT_MAX_ROWS=20)
def test_a_file_at_the_limit_is_previewed(admin_client, district):
    rows = [HEADER] + [[f"Trường {i}", "Trường/Trung tâm", district.pk] for i in range(20)]
    html = upload(admin_client, OrgUnit, xlsx_file(rows), XLSX).content.decode()
    assert "Tệp có hơn" not in html


@pytest.mark.django_db
@override_settings(IMPORT_MAX_FILE_MB=1)
def test_a_file_bigger_than_allowed_is_refused(admin_client):
    big = SimpleUploadedFile("lon.csv", b"a,b\n" + b"x" * (1024 * 1024 + 10), content_type="text/csv")
    assert "Tệp lớn quá 1 MB" in refused(upload(admin_client, OrgUnit, big, CSV))


@pytest.mark.django_db
@override_settings(IMPORT_MAX_FILE_MB=1)
def test_a_compressed_sheet_that_unpacks_huge_is_refused_without_opening_it(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (3 * 1024 * 1024))  # 18 MB of rows
    assert len(buffer.getvalue()) < 1024 * 1024
    bomb = SimpleUploadedFile("bom.xlsx", buffer.getvalue(), content_type=XLSX_TYPE)
    assert "giải nén ra quá lớn" in refused(upload(admin_client, OrgUnit, bomb, XLSX))


@pytest.mark.django_db
@override_settings(IMPORT_MAX_CELL_CHARS=1000)
def test_a_giant_cell_is_refused_with_its_row(admin_client, district):
    rows = [HEADER, ["Trường 1", "Trường/Trung tâm", district.pk], ["x" * 5000, "Trường/Trung tâm", district.pk]]
    assert "Dòng 3 có một ô dài quá 1.000 ký tự" in refused(upload(admin_client, OrgUnit, xlsx_file(rows), XLSX))


@pytest.mark.django_db
def test_a_file_that_is_not_a_spreadsheet_says_so(admin_client):
    fake = SimpleUploadedFile("gia.xlsx", b"PK\x03\x04 not really a zip", content_type=XLSX_TYPE)
    assert "không phải là bảng tính XLSX" in refused(upload(admin_client, OrgUnit, fake, XLSX))
