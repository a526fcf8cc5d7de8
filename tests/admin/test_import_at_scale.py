"""Imports at scale: lookups are read once per file, not once per row; what the database refuses
is told in Vietnamese on the row and column, never in the database's own words."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from organisations.models import OrgUnit
from organisations.services import school_levels_ensure
from portal.import_resources import database_refusal
from portal.import_widgets import PrefetchedLookup
from tests.admin.test_import import CSV, ORG_HEADER, admin_url, confirm, csv_file, download, export_data, upload

RAW_WORDS = ("duplicate key", "UNIQUE constraint", "orgunit_code_unique", "IntegrityError", "0x00", "out of range")


def school_rows(parent_code: str, count: int, *, start: int = 0) -> list[list]:
    school_levels_ensure()
    levels = ["PRIMARY", "LOWER_SECONDARY", "PRIMARY,LOWER_SECONDARY"]
    return [
        [f"Trường Số {i}", "school", parent_code, f"TS-{i}", levels[i % 3], "Công lập"]
        for i in range(start, start + count)
    ]


def lookups_in(queries) -> dict[str, int]:
    """How many statements read the parent units and the school levels."""
    sqls = [q["sql"] for q in queries]
    return {
        "units by code": sum(1 for s in sqls if s.startswith("SELECT") and '"organisations_orgunit"."code" IN' in s),
        "unit by code": sum(1 for s in sqls if s.startswith("SELECT") and '"organisations_orgunit"."code" = ' in s),
        "levels": sum(1 for s in sqls if s.startswith("SELECT") and 'FROM "organisations_schoollevel" WHERE' in s),
    }


@pytest.mark.django_db
def test_parents_and_levels_are_read_once_per_file_not_per_row(client, office_staff, commune):
    commune.code = "X-1"
    commune.save()
    client.force_login(office_staff)
    rows = [ORG_HEADER, *school_rows("X-1", 30)]

    with CaptureQueriesContext(connection) as preview_queries:
        preview = upload(client, OrgUnit, csv_file(rows), CSV)
    with CaptureQueriesContext(connection) as confirm_queries:
        response = confirm(client, OrgUnit, preview)

    assert response.status_code == 302
    assert OrgUnit.objects.filter(code__startswith="TS-", parent=commune).count() == 30
    assert set(OrgUnit.objects.get(code="TS-2").levels.values_list("code", flat=True)) == {"PRIMARY", "LOWER_SECONDARY"}
    for queries in (preview_queries, confirm_queries):
        assert lookups_in(queries) == {"units by code": 1, "unit by code": 0, "levels": 1}


@pytest.mark.django_db
def test_queries_per_row_do_not_grow_with_the_file(client, office_staff, commune):
    commune.code = "X-1"
    commune.save()
    client.force_login(office_staff)
    counts = []
    for start, size in ((0, 10), (100, 40)):
        with CaptureQueriesContext(connection) as queries:
            upload(client, OrgUnit, csv_file([ORG_HEADER, *school_rows("X-1", size, start=start)]), CSV)
        counts.append(len(queries))
    per_row = (counts[1] - counts[0]) / 30
    assert per_row <= 10, counts  # 22 with a lookup per row and Django checking the constraints


@pytest.mark.django_db
def test_a_row_may_still_name_a_parent_created_earlier_in_the_file(client, office_staff, district):
    school_levels_ensure()
    client.force_login(office_staff)
    rows = [
        ORG_HEADER,
        ["Xã Mới", "commune", f"#{district.pk}", "X-MOI", "", ""],
        *school_rows("X-MOI", 3),
    ]
    assert confirm(client, OrgUnit, upload(client, OrgUnit, csv_file(rows), CSV)).status_code == 302
    assert OrgUnit.objects.filter(parent__code="X-MOI").count() == 3


@pytest.mark.django_db
def test_a_unit_moved_by_the_file_gives_later_rows_its_new_path(admin_client, district, commune):
    """The file moves the district to another province, then adds a school under the district's
    commune (read before the first row, when it was still under the old province): the school's
    path follows the commune's new place."""
    school_levels_ensure()
    commune.code = "X-1"
    commune.save()
    elsewhere = OrgUnit.objects.create(name="Tỉnh Khác", kind=OrgUnit.Kind.PROVINCE)
    rows = [
        ["ID", *ORG_HEADER],
        [district.pk, district.name, "district", f"#{elsewhere.pk}", "", "", ""],
        ["", "Trường Sau Khi Chuyển", "school", "X-1", "TS-SAU", "PRIMARY", "Công lập"],
    ]
    assert confirm(admin_client, OrgUnit, upload(admin_client, OrgUnit, csv_file(rows), CSV)).status_code == 302
    school = OrgUnit.objects.get(code="TS-SAU")
    assert school.path == f"/{elsewhere.pk}/{district.pk}/{commune.pk}/{school.pk}/"


@pytest.mark.django_db
def test_an_office_still_cannot_import_under_another_offices_unit(client, office_staff, other_district):
    school_levels_ensure()
    other_district.code = "H-KHAC"
    other_district.save()
    client.force_login(office_staff)
    rows = [ORG_HEADER, ["Xã Lạ", "commune", "H-KHAC", "X-LA", "", ""]]
    html = upload(client, OrgUnit, csv_file(rows), CSV).content.decode()
    assert "Dòng 2" in html and "Đơn vị cấp trên phải là một đơn vị bạn quản lý." in html
    assert not OrgUnit.objects.filter(code="X-LA").exists()


# --- what the database refuses -----------------------------------------------------------------


def assert_no_raw_database_text(html: str) -> None:
    for word in RAW_WORDS:
        assert word not in html, word


@pytest.mark.django_db
def test_a_code_twice_in_one_file_is_a_vietnamese_error_on_the_code_column(admin_client, commune):
    commune.code = "X-1"
    commune.save()
    rows = [ORG_HEADER, *school_rows("X-1", 2)]
    rows[2][3] = rows[1][3]  # the same school code twice
    html = upload(admin_client, OrgUnit, csv_file(rows), CSV).content.decode()
    assert "Dòng 3, cột “Mã đơn vị”: Giá trị trùng với một dòng đã có" in html
    assert "Xác nhận nhập" not in html
    assert_no_raw_database_text(html)


@pytest.mark.django_db(transaction=True)
def test_a_code_saved_by_someone_else_in_between_is_a_vietnamese_error(admin_client, commune, monkeypatch):
    """The database refused the row (another import saved the same code in between, simulated by
    skipping Django's own check, in case an import ever asks for it again): the row says so in
    Vietnamese, on its column."""
    commune.code = "X-1"
    commune.save()
    OrgUnit.objects.create(name="Trường Đã Có", kind="school", parent=commune, code="TS-0")
    monkeypatch.setattr(OrgUnit, "validate_constraints", lambda self, exclude=None: None)
    html = upload(admin_client, OrgUnit, csv_file([ORG_HEADER, *school_rows("X-1", 2)]), CSV).content.decode()
    assert "Dòng 2, cột “Mã đơn vị”: Giá trị trùng với một dòng đã có" in html
    assert_no_raw_database_text(html)
    assert OrgUnit.objects.filter(code__startswith="TS-").count() == 1


@pytest.mark.django_db
def test_a_nul_character_is_refused_in_vietnamese(admin_client, commune):
    commune.code = "X-1"
    commune.save()
    rows = [ORG_HEADER, *school_rows("X-1", 1)]
    rows[1][0] = "Trường\x00Ẩn"
    html = upload(admin_client, OrgUnit, csv_file(rows), CSV).content.decode()
    assert "Dòng 2, cột “Tên đơn vị”: Ô có ký tự điều khiển NUL" in html
    assert_no_raw_database_text(html)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLSTATE codes are PostgreSQL's")
@pytest.mark.parametrize(
    "sql,kind,message",
    [
        ("SELECT 100000::smallint", DataError, "Có một số quá lớn so với cột của nó."),
        ("SELECT %s", ValueError, "ký tự điều khiển NUL"),
        ("CREATE TEMP TABLE t (x int UNIQUE); INSERT INTO t VALUES (1), (1)", IntegrityError, "Giá trị trùng"),
    ],
)
def test_database_refusals_read_in_vietnamese(sql, kind, message):
    with pytest.raises(kind) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, ["a\x00b"] if "%s" in sql else None)
    _code, text = database_refusal(caught.value)
    assert message in text


@pytest.mark.django_db
def test_a_long_preview_shows_its_first_rows_and_says_how_many_will_be_imported(admin_client, commune):
    commune.code = "X-1"
    commune.save()
    preview = upload(admin_client, OrgUnit, csv_file([ORG_HEADER, *school_rows("X-1", 130)]), CSV)
    html = preview.content.decode()
    assert "Chỉ hiện 100 dòng đầu; cả 130 dòng sẽ được nhập." in html
    assert "TS-99" in html and "TS-100" not in html  # rows 1–100 of the file: TS-0 … TS-99
    assert confirm(admin_client, OrgUnit, preview).status_code == 302
    assert OrgUnit.objects.filter(code__startswith="TS-").count() == 130


@pytest.mark.django_db
def test_a_database_error_before_the_rows_is_told_in_vietnamese(admin_client, commune, monkeypatch):
    def broken(self, cells):
        raise DataError("invalid input syntax for type integer")

    monkeypatch.setattr(PrefetchedLookup, "prefetch", broken)
    html = upload(admin_client, OrgUnit, csv_file([ORG_HEADER, *school_rows("X-1", 1)]), CSV).content.decode()
    assert "Có một giá trị không lưu được" in html
    assert "invalid input syntax" not in html


# --- exports ------------------------------------------------------------------------------------


def export_units(client) -> tuple[list[list[str]], int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(admin_url(OrgUnit, "export"), export_data(client, OrgUnit, CSV))
        rows = list(csv.reader(io.StringIO(download(response).decode("utf-8-sig"))))
    return rows, len(queries)


@pytest.mark.django_db
def test_a_unit_export_writes_the_levels_and_its_queries_do_not_grow(admin_client, commune):
    levels = school_levels_ensure()
    for i in range(3):
        school = OrgUnit.objects.create(name=f"Trường {i}", kind="school", parent=commune, code=f"TS-{i}")
        school.levels.set([levels["LOWER_SECONDARY"], levels["PRIMARY"]])
    rows, few = export_units(admin_client)
    column = rows[0].index("Cấp học (mã)")
    by_code = {row[rows[0].index("Mã đơn vị")]: row[column] for row in rows[1:]}
    assert by_code["TS-0"] == "PRIMARY,LOWER_SECONDARY"  # in the levels' order, as the import reads them
    assert by_code[""] == ""  # the province, district, commune: no levels

    for i in range(3, 40):
        OrgUnit.objects.create(name=f"Trường {i}", kind="school", parent=commune, code=f"TS-{i}").levels.set(
            [levels["PRIMARY"]]
        )
    rows, many = export_units(admin_client)
    assert len(rows) == 1 + 3 + 40 and many == few
