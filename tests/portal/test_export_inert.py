"""The admin's CSV and XLSX exports are inert, by the same rule as the portal's own exports: a text
cell beginning with = + - @ tab or carriage return gets a leading apostrophe, and importing the
file back drops it again."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organisations.models import OrgUnit
from portal.exports import FORMULA_STARTS, inert, tabular_file
from tests.admin.test_import import CSV, XLSX, admin_url, confirm, download, export_data, upload

HYPERLINK = '=HYPERLINK("http://x")'


@pytest.fixture
def dangerous_units(district):
    return [
        OrgUnit.objects.create(name=HYPERLINK, kind=OrgUnit.Kind.SCHOOL, parent=district, code="T-X"),
        OrgUnit.objects.create(name="Trường có mã lạ", kind=OrgUnit.Kind.SCHOOL, parent=district, code="+84"),
        OrgUnit.objects.create(name="@SUM(1)", kind=OrgUnit.Kind.SCHOOL, parent=district, code="-1+1"),
    ]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def assert_inert(rows: list[list]) -> None:
    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format,read", [(CSV, csv_rows), (XLSX, xlsx_rows)], ids=["csv", "xlsx"])
def test_admin_export_neutralises_formula_cells(admin_client, dangerous_units, file_format, read):
    response = admin_client.post(admin_url(OrgUnit, "export"), export_data(admin_client, OrgUnit, file_format))
    assert response.status_code == 200
    rows = read(download(response))
    assert_inert(rows)
    cells = {cell for row in rows for cell in row}
    # The same rule as portal.exports: the text is kept whole behind one apostrophe.
    assert {"'" + HYPERLINK, "'+84", "'@SUM(1)", "'-1+1"} <= cells
    assert "Trường có mã lạ" in cells


@pytest.mark.django_db
def test_xlsx_export_has_no_formula_cell(admin_client, dangerous_units):
    response = admin_client.post(admin_url(OrgUnit, "export"), export_data(admin_client, OrgUnit, XLSX))
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).active
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


@pytest.mark.django_db
def test_an_exported_file_imports_back_with_its_text_whole(admin_client, dangerous_units):
    response = admin_client.post(admin_url(OrgUnit, "export"), export_data(admin_client, OrgUnit, CSV))
    exported = SimpleUploadedFile("xuat.csv", download(response), content_type="text/csv")
    assert confirm(admin_client, OrgUnit, upload(admin_client, OrgUnit, exported, CSV)).status_code == 302
    assert OrgUnit.objects.filter(name=HYPERLINK, code="T-X").exists()
    assert OrgUnit.objects.filter(code="+84").exists()
    assert not OrgUnit.objects.filter(name__startswith="'").exists()


def test_portal_exports_follow_the_same_rule():
    assert inert(HYPERLINK) == "'" + HYPERLINK
    assert inert("\tx") == "'\tx" and inert("\rx") == "'\rx"
    assert inert(-5) == -5 and inert("Không đạt") == "Không đạt"
    rows = csv_rows(tabular_file(header=["Tên"], rows=[[HYPERLINK], ["+84"]], fmt="csv"))
    assert_inert(rows)
    assert_inert(xlsx_rows(tabular_file(header=["Tên"], rows=[[HYPERLINK], ["+84"]], fmt="xlsx")))
