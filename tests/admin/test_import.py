"""Import and export through the admin: a file with one bad row saves nothing and says which row
and why, in Vietnamese; a good file goes through the preview and the confirmation; every
resource exports as XLSX and CSV."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.admin import ImportExportMixin

from organisations.models import OrgUnit
from organisations.services import school_levels_ensure
from plans.models import BudgetLine, FundingSource, TargetValue

XLSX, CSV = "0", "1"  # indexes of portal.admin_import.ImportExportAdmin.import_formats
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_EXPORT_MODELS = sorted(
    (m for m, a in admin.site._registry.items() if isinstance(a, ImportExportMixin)), key=lambda m: m._meta.label
)


def admin_url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def xlsx_file(rows: list[list], name: str = "nhap.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


def csv_file(rows: list[list], name: str = "nhap.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def download(response) -> bytes:
    """An export's file: CSV comes streamed, XLSX whole."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def upload(client, model, file, file_format: str):
    return client.post(admin_url(model, "import"), {"import_file": file, "format": file_format, "resource": "0"})


def confirm(client, model, preview):
    """Post the preview page's confirmation form, as the "Xác nhận nhập" button does."""
    html = preview.content.decode()
    assert "Xác nhận nhập" in html, html[html.find("<h2") : html.find("<h2") + 2000]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    data = {name: fields[name] for name in ("import_file_name", "original_file_name", "format", "resource")}
    return client.post(admin_url(model, "process_import"), data)


BUDGET_HEADER = ["Kế hoạch (ID)", "STT", "Nội dung", "Kinh phí (triệu đồng)", "Nguồn kinh phí (tên, cách nhau bởi ;)"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad_row,message",
    [
        (["2.1", "Tập huấn", "abc", ""], "Không đọc được số tiền “abc”."),
        (["x.y", "Tập huấn", 20, ""], "STT phải có dạng 1, 1.1, 1.2.3 …"),
        (["2.1", "Tập huấn", 20, "Ngân sách trung ương"], "Không tìm thấy nguồn kinh phí: “Ngân sách trung ương”."),
    ],
)
def test_a_budget_file_with_one_bad_row_saves_nothing(admin_client, plan, bad_row, message):
    FundingSource.objects.create(name="Ngân sách huyện")
    rows = [
        BUDGET_HEADER,
        [plan.pk, "2", "Bồi dưỡng giáo viên", "1.500", "Ngân sách huyện"],
        [plan.pk, *bad_row],
        [plan.pk, "2.2", "Hội thảo", 2.5, ""],
    ]
    response = upload(admin_client, BudgetLine, xlsx_file(rows), XLSX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa có dòng nào được lưu" in html
    assert "Dòng 3" in html  # the file's own line: the header is line 1
    assert message in html
    assert "Xác nhận nhập" not in html
    assert BudgetLine.objects.filter(plan=plan).count() == 3


@pytest.mark.django_db
def test_a_good_budget_file_is_previewed_then_imported(admin_client, plan):
    source = FundingSource.objects.create(name="Ngân sách huyện")
    FundingSource.objects.create(name="Xã hội hóa")
    rows = [
        BUDGET_HEADER,
        [plan.pk, "2", "Bồi dưỡng giáo viên", "1.500", "Ngân sách huyện; Xã hội hóa"],
        [plan.pk, "2.1", "Tập huấn", 1000, "Ngân sách huyện"],
        [plan.pk, "2.2", "Hội thảo", "500", ""],
    ]
    preview = upload(admin_client, BudgetLine, xlsx_file(rows), XLSX)
    assert preview.status_code == 200
    assert BudgetLine.objects.filter(plan=plan).count() == 3  # the preview saved nothing

    response = confirm(admin_client, BudgetLine, preview)

    assert response.status_code == 302
    lines = {line.number: line for line in BudgetLine.objects.filter(plan=plan)}
    assert set(lines) == {"1", "1.1", "1.2", "2", "2.1", "2.2"}
    assert lines["2"].amount == Decimal(1500)
    assert lines["2.1"].amount == Decimal(1000)
    assert lines["2"].funding_sources.count() == 2
    assert list(lines["2.1"].funding_sources.all()) == [source]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("3 dòng mới" in m for m in messages), messages


@pytest.mark.django_db
def test_the_confirmation_saves_nothing_if_the_data_changed_since_the_preview(admin_client, plan):
    source = FundingSource.objects.create(name="Ngân sách huyện")
    rows = [
        BUDGET_HEADER,
        [plan.pk, "2", "Bồi dưỡng giáo viên", 100, ""],
        [plan.pk, "3", "Tập huấn", 50, "Ngân sách huyện"],
    ]
    preview = upload(admin_client, BudgetLine, xlsx_file(rows), XLSX)
    source.delete()  # someone removes the source before the confirmation

    response = confirm(admin_client, BudgetLine, preview)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dòng 3" in html and "Không tìm thấy nguồn kinh phí: “Ngân sách huyện”." in html
    assert BudgetLine.objects.filter(plan=plan).count() == 3


@pytest.mark.django_db
def test_a_budget_file_updates_lines_by_plan_and_number(admin_client, plan):
    rows = [BUDGET_HEADER, [plan.pk, "1.2", "Mua thiết bị dạy học", 100, ""]]
    assert confirm(admin_client, BudgetLine, upload(admin_client, BudgetLine, xlsx_file(rows), XLSX)).status_code == 302
    line = BudgetLine.objects.get(plan=plan, number="1.2")
    assert (line.content, line.amount) == ("Mua thiết bị dạy học", Decimal(100))
    assert BudgetLine.objects.filter(plan=plan).count() == 3


ORG_HEADER = ["Tên đơn vị", "Loại đơn vị", "Trực thuộc (mã đơn vị)", "Mã đơn vị", "Cấp học (mã)", "Loại hình"]


def _org_rows(district: OrgUnit) -> list[list]:
    school_levels_ensure()  # the rows name levels by code
    return [
        ORG_HEADER,
        ["Xã Mới", "Xã/Phường/Thị trấn", f"#{district.pk}", "X-MOI", "", ""],
        # Its parent is the row above: rows are imported in order, in one transaction.
        ["Trường TH&THCS Mới", "school", "X-MOI", "TS-MOI", "PRIMARY,LOWER_SECONDARY", "Công lập"],
    ]


@pytest.mark.django_db
def test_an_org_unit_file_with_an_unknown_parent_saves_nothing(admin_client, district):
    before = OrgUnit.objects.count()
    rows = [*_org_rows(district), ["Trường Lạ", "school", "KHONG-CO", "", "", ""]]
    response = upload(admin_client, OrgUnit, csv_file(rows), CSV)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dòng 4" in html
    assert "Không tìm thấy đơn vị có mã “KHONG-CO”" in html
    assert OrgUnit.objects.count() == before


@pytest.mark.django_db
def test_an_org_unit_file_with_a_wrong_kind_of_parent_names_the_rule(admin_client, district, school_a):
    rows = [ORG_HEADER, ["Xã dưới trường", "commune", "T-A", "", "", ""]]
    html = upload(admin_client, OrgUnit, csv_file(rows), CSV).content.decode()
    assert "Dòng 2" in html
    assert "không thể trực thuộc" in html
    assert not OrgUnit.objects.filter(name="Xã dưới trường").exists()


@pytest.mark.django_db
def test_a_good_org_unit_file_is_imported(admin_client, district):
    preview = upload(admin_client, OrgUnit, csv_file(_org_rows(district)), CSV)
    assert confirm(admin_client, OrgUnit, preview).status_code == 302
    school = OrgUnit.objects.get(code="TS-MOI")
    assert school.parent.code == "X-MOI"
    assert school.parent.parent == district
    assert school.ownership == "public"
    assert sorted(level.code for level in school.levels.all()) == ["LOWER_SECONDARY", "PRIMARY"]
    assert school.path.startswith(district.path)


@pytest.mark.django_db
def test_target_values_import_derives_the_parsed_parts(admin_client, plan):
    target = plan.targets.get(order=1)
    rows = [
        ["Kế hoạch (ID)", "Chỉ tiêu (ID)", "Loại", "Năm", "Nguyên văn", "So sánh"],
        [plan.pk, target.pk, "Chỉ tiêu", 2030, "Trên 90%", "lt"],  # "So sánh" is export-only: ignored
        [plan.pk, target.pk, "baseline", 2024, "80%", ""],
    ]
    response = confirm(admin_client, TargetValue, upload(admin_client, TargetValue, xlsx_file(rows), XLSX))
    assert response.status_code == 302
    goal = target.values.get(role="milestone", year=2030)
    assert (goal.wording, goal.comparator, goal.value) == ("Trên 90%", "gt", Decimal(90))
    assert target.values.get(role="baseline").value == Decimal(80)
    assert target.values.count() == 3  # updated in place, matched by (target, role, year)


@pytest.mark.django_db
def test_a_target_value_of_another_plan_is_refused(admin_client, plan):
    target = plan.targets.get(order=1)
    rows = [
        ["Kế hoạch (ID)", "Chỉ tiêu (ID)", "Loại", "Năm", "Nguyên văn"],
        [plan.pk + 1, target.pk, "Chỉ tiêu", 2030, "1%"],
    ]
    html = upload(admin_client, TargetValue, xlsx_file(rows), XLSX).content.decode()
    assert f"Chỉ tiêu {target.pk} không thuộc kế hoạch {plan.pk + 1}." in html
    assert target.values.get(year=2030).wording == "86%"


# --- export ---------------------------------------------------------------------------------


def export_data(client, model, file_format: str) -> dict:
    """The export form with every column ticked."""
    html = client.get(admin_url(model, "export")).content.decode()
    columns = re.findall(r'<input type="checkbox" name="(\w+)"[^>]*resource-id', html)
    assert columns, html[:2000]
    return {"format": file_format, "resource": "0", **dict.fromkeys(columns, "on")}


@pytest.mark.django_db
@pytest.mark.parametrize("file_format,content_type", [(XLSX, XLSX_TYPE), (CSV, "text/csv")])
@pytest.mark.parametrize("model", IMPORT_EXPORT_MODELS, ids=lambda m: m._meta.label)
def test_every_resource_exports(client, office_staff, plan, school_a, model, file_format, content_type):
    client.force_login(office_staff)
    response = client.post(admin_url(model, "export"), export_data(client, model, file_format))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "attachment" in response["Content-Disposition"]
    content = download(response)  # a streamed file's rows are read now
    if file_format == CSV:
        header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        header = next(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert all(header)  # every column has its Vietnamese header


@pytest.mark.django_db
def test_csv_export_has_vietnamese_headers_and_reads_back(admin_client, plan):
    response = admin_client.post(admin_url(BudgetLine, "export"), export_data(admin_client, BudgetLine, CSV))
    content = download(response)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:4] == BUDGET_HEADER[:4]
    assert [plan.pk, "1", "Cơ sở vật chất", "300"] == [int(rows[1][0]), *rows[1][1:4]]
    # The exported file imports back unchanged: every row matched and updated, none added.
    exported = SimpleUploadedFile("xuat.csv", content, content_type="text/csv")
    assert confirm(admin_client, BudgetLine, upload(admin_client, BudgetLine, exported, CSV)).status_code == 302
    assert BudgetLine.objects.filter(plan=plan).count() == 3


@pytest.mark.django_db
def test_year_columns_have_no_thousands_dot(admin_client, plan):
    response = admin_client.post(admin_url(TargetValue, "export"), export_data(admin_client, TargetValue, CSV))
    text = download(response).decode("utf-8-sig")
    assert ",2030," in text and "2.030" not in text
    assert "Cách hiểu" in text.splitlines()[0]


@pytest.mark.django_db
def test_an_xlsx_export_past_its_row_limit_offers_csv_and_csv_exports_them_all(admin_client, plan, settings):
    """An XLSX workbook is zipped whole, so a big one would hold the request past 10 s: past
    EXPORT_MAX_XLSX_ROWS the export page comes back with the limit and CSV named; CSV streams."""
    settings.EXPORT_MAX_XLSX_ROWS = 2  # the plan has 3 budget lines
    url = admin_url(BudgetLine, "export")
    response = admin_client.post(url, export_data(admin_client, BudgetLine, XLSX), follow=True)
    assert response.redirect_chain[-1][0].endswith(url)
    text = response.content.decode()
    assert "tối đa 2 dòng một lần; danh sách này có 3 dòng" in text and "CSV" in text
    rows = list(
        csv.reader(
            io.StringIO(
                download(admin_client.post(url, export_data(admin_client, BudgetLine, CSV))).decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 1 + 3
    settings.EXPORT_MAX_XLSX_ROWS = 3
    response = admin_client.post(url, export_data(admin_client, BudgetLine, XLSX))
    assert response["Content-Type"].startswith(XLSX_TYPE)
