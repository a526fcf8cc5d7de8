"""Measure the admin's unit import and export at national scale (manage.py benchmark_imports).

Builds a scratch country (34 provinces, 3,321 communes, 45,034 schools by default: the 48,389
units the issue measured) and an office account of the first province, then, through the Django
test client as that office: the import preview and the confirmation of an XLSX of N new schools
(default 10,000) under the province's communes, and the export of every unit as CSV and XLSX
(as a superuser: an office exports only its own units). Prints seconds, queries (total and per
row) and the process's peak memory after each step.

Everything happens in one transaction that is rolled back at the end, and it refuses to start on
a database holding anything but benchmark data (portal.benchmark.foreign_data()).
"""

from __future__ import annotations

import io
import re
import resource
import sys
import time
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from organisations.models import Membership, OrgUnit
from organisations.services import school_levels_ensure
from portal.benchmark import UNIT_PREFIX, USER_PREFIX, ForeignData, foreign_data

XLSX, CSV = "0", "1"  # ImportExportAdmin.import_formats / export_formats
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["ID", "Tên đơn vị", "Loại đơn vị", "Trực thuộc (mã đơn vị)", "Mã đơn vị", "Cấp học (mã)", "Loại hình"]
LEVELS = ["PRIMARY", "LOWER_SECONDARY", "PRIMARY,LOWER_SECONDARY", "PRESCHOOL", "UPPER_SECONDARY"]


class _Rollback(Exception):
    pass


@dataclass
class Step:
    label: str
    seconds: float
    queries: int
    rows: int
    peak_mib: float
    note: str = ""

    def line(self) -> str:
        per_row = f"{self.queries / self.rows:.2f}" if self.rows else "–"
        return (
            f"{self.label:<22} {self.rows:>7} dòng  {self.seconds:>7.2f} s  {self.queries:>7} truy vấn  "
            f"{per_row:>6}/dòng  bộ nhớ đỉnh {self.peak_mib:>6.0f} MiB  {self.note}"
        )


class _Counter:
    """Counts statements (execute_wrapper: cheaper than the debug cursor's log of each one)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def peak_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(*, schools: int, provinces: int, communes: int, national_schools: int, log=print) -> list[Step]:
    """Build, measure, roll back. Raises ForeignData on a database holding other data."""
    found = foreign_data()
    if found:
        raise ForeignData("; ".join(found))
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Past the limits a request refuses (the row caps), so that their cost is what is measured.
    limits = {"IMPORT_MAX_ROWS": max(schools, 1), "IMPORT_MAX_FILE_MB": 200, "EXPORT_MAX_XLSX_ROWS": 10**9}
    steps: list[Step] = []
    try:
        with transaction.atomic(), override_settings(ALLOWED_HOSTS=["*"], STORAGES=storages, **limits):
            start = time.perf_counter()
            first_province, its_communes = build_country(provinces, communes, national_schools)
            log(f"Dựng {OrgUnit.objects.count()} đơn vị: {time.perf_counter() - start:.1f} s")
            office, admin = accounts(first_province)
            steps += measure_import(office, its_communes, schools)
            steps += measure_export(admin)
            raise _Rollback
    except _Rollback:
        pass
    return steps


def build_country(provinces: int, communes: int, schools: int) -> tuple[OrgUnit, list[str]]:
    """Units by bulk_create (no save(): paths are set here), codes BENCH-…; returns the first
    province and its communes' codes."""
    levels = school_levels_ensure()  # a test database may have been flushed of them
    province_rows = OrgUnit.objects.bulk_create(
        OrgUnit(name=f"Tỉnh thử {p + 1}", kind=OrgUnit.Kind.PROVINCE, code=f"{UNIT_PREFIX}P{p + 1}")
        for p in range(provinces)
    )
    for unit in province_rows:
        unit.path = f"/{unit.pk}/"
    commune_rows = OrgUnit.objects.bulk_create(
        OrgUnit(
            name=f"Xã thử {c + 1}",
            kind=OrgUnit.Kind.COMMUNE,
            parent=province_rows[c % provinces],
            code=f"{UNIT_PREFIX}C{c + 1}",
        )
        for c in range(communes)
    )
    for unit in commune_rows:
        unit.path = f"{unit.parent.path}{unit.pk}/"
    school_rows = OrgUnit.objects.bulk_create(
        (
            OrgUnit(
                name=f"Trường thử {s + 1}",
                kind=OrgUnit.Kind.SCHOOL,
                parent=commune_rows[s % communes],
                code=f"{UNIT_PREFIX}S{s + 1}",
                ownership=OrgUnit.Ownership.PUBLIC,
            )
            for s in range(schools)
        ),
        batch_size=5000,
    )
    for unit in school_rows:
        unit.path = f"{unit.parent.path}{unit.pk}/"
    OrgUnit.objects.bulk_update([*province_rows, *commune_rows, *school_rows], ["path"], batch_size=5000)
    through = OrgUnit.levels.through
    primary = levels["PRIMARY"]
    through.objects.bulk_create((through(orgunit=unit, schoollevel=primary) for unit in school_rows), batch_size=5000)
    first = province_rows[0]
    return first, [unit.code for unit in commune_rows if unit.parent_id == first.pk]


def accounts(province: OrgUnit):
    users = get_user_model()
    office = users.objects.create_user(f"{USER_PREFIX}canbo.nhap", password=None)
    Membership.objects.create(user=office, unit=province, role=Membership.Role.OFFICE_STAFF)
    office.refresh_from_db()
    admin = users.objects.create_superuser(f"{USER_PREFIX}admin.xuat", password=None)
    return office, admin


def school_file(communes: list[str], count: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for i in range(count):
        level = LEVELS[i % len(LEVELS)]
        code = f"{UNIT_PREFIX}N{i + 1}"
        sheet.append(
            ["", f"Trường mới {i + 1}", "Trường/Trung tâm", communes[i % len(communes)], code, level, "Công lập"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _timed(label: str, rows: int, func) -> tuple[Step, object]:
    counter = _Counter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        response = func()
        streamed = getattr(response, "streaming", False)
        body = b"".join(response.streaming_content) if streamed else response.content
        seconds = time.perf_counter() - start
    return Step(label, seconds, counter.count, rows, peak_mib(), f"{len(body) / 1024:.0f} KiB"), (response, body)


def measure_import(office, communes: list[str], count: int) -> list[Step]:
    client = Client()
    client.force_login(office)
    data = school_file(communes, count)
    url = reverse("admin:organisations_orgunit_import")

    def preview():
        upload = SimpleUploadedFile("truong.xlsx", data, content_type=XLSX_TYPE)
        return client.post(url, {"import_file": upload, "format": XLSX, "resource": "0"}, secure=True)

    step, (response, body) = _timed("nhập: xem trước", count, preview)
    html = body.decode()
    if "Xác nhận nhập" not in html:
        start = html.find("errorlist")
        raise RuntimeError(f"Xem trước không qua ({response.status_code}): {html[start : start + 1500]}")
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    confirm_data = {name: fields[name] for name in ("import_file_name", "original_file_name", "format", "resource")}

    def confirm():
        return client.post(reverse("admin:organisations_orgunit_process_import"), confirm_data, secure=True)

    step2, (response, _body) = _timed("nhập: xác nhận", count, confirm)
    if response.status_code != 302:
        raise RuntimeError(f"Xác nhận không qua ({response.status_code})")
    created = OrgUnit.objects.filter(code__startswith=f"{UNIT_PREFIX}N").count()
    if created != count:
        raise RuntimeError(f"Đã nhập {created} đơn vị, cần {count}")
    return [step, step2]


def measure_export(admin) -> list[Step]:
    client = Client()
    client.force_login(admin)
    url = reverse("admin:organisations_orgunit_export")
    html = client.get(url, secure=True).content.decode()
    columns = re.findall(r'<input type="checkbox" name="(\w+)"[^>]*resource-id', html)
    rows = OrgUnit.objects.count()
    steps = []
    for label, fmt in (("xuất: CSV", CSV), ("xuất: XLSX", XLSX)):
        step, (response, _body) = _timed(
            label,
            rows,
            lambda fmt=fmt: client.post(
                url, {"format": fmt, "resource": "0", **dict.fromkeys(columns, "on")}, secure=True
            ),
        )
        if response.status_code != 200:
            raise RuntimeError(f"Xuất {label} không qua ({response.status_code})")
        steps.append(step)
    return steps
