"""The period page's table and the periods list at size: sort, search, filters, pages, commune
headings, the viewer's scope in SQL, a constant number of queries, the reminder export's columns
and the next report to review."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import AccountProfile, Membership, OrgUnit
from organisations.services import school_levels_ensure
from results.models import Submission
from results.review import next_submission_to_review
from results.selectors import period_targets_for_school
from results.services import submission_get_or_create, submission_submit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def add_schools(commune, n: int, *, prefix: str = "Trường Mầm non Số", code: str = "S") -> list[OrgUnit]:
    preschool = school_levels_ensure()["PRESCHOOL"]
    schools = []
    for i in range(n):
        school = OrgUnit.objects.create(
            name=f"{prefix} {i + 1:02d}", kind=OrgUnit.Kind.SCHOOL, parent=commune, code=f"{code}-{i + 1:02d}"
        )
        school.levels.set([preschool])
        schools.append(school)
    return schools


def rows_of(html: str) -> list[str]:
    """The data-school codes of the table's rows, in order."""
    return re.findall(r'<tr data-school="([^"]*)"', html)


def submit(period, school, principal=None, *, fill_values):
    submission = submission_get_or_create(period=period, school=school)
    fill_values(submission)
    targets = period_targets_for_school(period, school)
    return submission_submit(submission=submission, targets=targets, by=principal, expected_version=None)


@pytest.fixture
def other_commune(district):
    return OrgUnit.objects.create(name="Xã Bên Kia", kind=OrgUnit.Kind.COMMUNE, parent=district)


@pytest.fixture
def many(commune, other_commune, school_a, school_b):
    """55 more schools in the commune, 5 in another one: 62 in all, two pages."""
    return add_schools(commune, 55) + add_schools(other_commune, 5, prefix="Trường Mầm non Bên Kia", code="K")


def test_the_table_is_paginated_50_a_page(client, district_officer, period, many):
    client.force_login(district_officer)
    url = reverse("review:period_detail", args=[period.pk])
    first = client.get(url).content.decode()
    assert len(rows_of(first)) == 50
    assert "1–50 / 62 đơn vị" in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert len(rows_of(second)) == 12
    assert not set(rows_of(first)) & set(rows_of(second))
    for page in ["99", "abc", "-1", "0"]:  # out of range or garbled: a page, never an error
        assert client.get(url, {"page": page}).status_code == 200


def test_the_table_sorts_by_each_column(client, district_officer, period, many, fill_values, principal_a):
    submit(period, many[3], fill_values=fill_values)
    client.force_login(district_officer)
    url = reverse("review:period_detail", args=[period.pk])
    by_name = rows_of(client.get(url, {"sort": "name", "q": "Bên Kia"}).content.decode())
    assert by_name == ["K-01", "K-02", "K-03", "K-04", "K-05"]
    assert rows_of(client.get(url, {"sort": "-name", "q": "Bên Kia"}).content.decode())[0] == "K-05"
    assert rows_of(client.get(url, {"sort": "-status"}).content.decode())[0] == many[3].code  # sent before not started
    assert rows_of(client.get(url, {"sort": "-submitted_at"}).content.decode())[0] == many[3].code  # never sent: last
    assert rows_of(client.get(url, {"sort": "submitted_at"}).content.decode())[0] == many[3].code
    for column in ["commune_name", "level_name", "reviewed_at", "-commune_name", "nonsense", "<script>"]:
        assert client.get(url, {"sort": column}).status_code == 200


def test_the_table_searches_by_name_or_code(client, district_officer, period, many):
    client.force_login(district_officer)
    url = reverse("review:period_detail", args=[period.pk])
    assert rows_of(client.get(url, {"q": "Số 07"}).content.decode()) == ["S-07"]
    assert rows_of(client.get(url, {"q": "k-03"}).content.decode()) == ["K-03"]
    html = client.get(url, {"q": "không có trường nào tên này"}).content.decode()
    assert rows_of(html) == [] and "Không có trường nào khớp bộ lọc." in html


def test_the_table_filters_by_commune_level_and_status(
    client, district_officer, period, many, other_commune, school_a, fill_values
):
    submit(period, school_a, fill_values=fill_values)
    client.force_login(district_officer)
    url = reverse("review:period_detail", args=[period.pk])
    assert sorted(rows_of(client.get(url, {"xa": other_commune.pk}).content.decode())) == [
        f"K-0{i}" for i in range(1, 6)
    ]
    assert rows_of(client.get(url, {"trang_thai": "submitted"}).content.decode()) == ["T-A"]
    assert rows_of(client.get(url, {"cap": "PRIMARY"}).content.decode()) == []
    assert len(rows_of(client.get(url, {"cap": "PRESCHOOL", "xa": other_commune.pk}).content.decode())) == 5
    for bad in [{"xa": "999999"}, {"xa": "abc"}, {"cap": "NONE"}]:  # not a choice: everything, no error
        response = client.get(url, bad)
        assert response.status_code == 200 and len(rows_of(response.content.decode())) == 50


def test_the_table_is_grouped_by_commune_with_subtotals(client, district_officer, period, many, school_a, fill_values):
    submit(period, school_a, fill_values=fill_values)
    client.force_login(district_officer)
    html = client.get(reverse("review:period_detail", args=[period.pk]), {"page": "2"}).content.decode()
    # Communes in name order: "Xã Bên Kia" (5) first, then "Xã Thử Nghiệm" (57), whose heading
    # repeats at the top of page 2 with the commune's whole subtotal, not the page's.
    assert '<tr class="commune-head"' in html
    assert "57 đơn vị · 1 đã gửi · 0 đã duyệt" in html
    first = client.get(reverse("review:period_detail", args=[period.pk])).content.decode()
    assert first.index("Xã Bên Kia") < first.index("Xã Thử Nghiệm")
    assert "5 đơn vị · 0 đã gửi · 0 đã duyệt" in first
    # Sorted by anything else, no headings.
    by_name = client.get(reverse("review:period_detail", args=[period.pk]), {"sort": "name"}).content.decode()
    assert '<tr class="commune-head"' not in by_name


def test_counts_by_status_and_the_scope_are_applied_in_sql(
    client, commune_officer, period, many, school_a, fill_values
):
    submit(period, school_a, fill_values=fill_values)
    client.force_login(commune_officer)
    url = reverse("review:period_detail", args=[period.pk])
    html = client.get(url).content.decode()
    assert "Tất cả (57)" in html and "Đã gửi (1)" in html and "Chưa nhập (56)" in html
    assert not [code for code in rows_of(html) if code.startswith("K-")]
    assert rows_of(client.get(url, {"q": "Bên Kia"}).content.decode()) == []
    listed = client.get(reverse("review:period_list")).content.decode()
    assert 'data-status="not_started"><a href="/ky-bao-cao/' in listed and ">56</a>" in listed


@pytest.mark.parametrize("page", ["list", "detail", "sorted", "search", "export"])
def test_the_number_of_queries_does_not_grow_with_the_schools(
    client,
    district_officer,
    commune_officer,
    period,
    commune,
    school_a,
    fill_values,
    django_assert_max_num_queries,
    page,
):
    submit(period, school_a, fill_values=fill_values)
    urls = {
        "list": reverse("review:period_list"),
        "detail": reverse("review:period_detail", args=[period.pk]),
        "sorted": reverse("review:period_detail", args=[period.pk]) + "?sort=-submitted_at&page=2",
        "search": reverse("review:period_detail", args=[period.pk]) + "?q=Tr%C6%B0%E1%BB%9Dng",
        "export": reverse("review:period_missing_export", args=[period.pk, "csv"]),
    }
    for user in (district_officer, commune_officer):
        client.force_login(user)
        with django_assert_max_num_queries(10):
            assert client.get(urls[page]).status_code == 200
    add_schools(commune, 70, prefix="Trường Thêm", code="X")
    for user in (district_officer, commune_officer):
        client.force_login(user)
        with django_assert_max_num_queries(10):
            assert client.get(urls[page]).status_code == 200


def test_the_reminder_export_names_the_principal(client, district_officer, period, school_a, school_b, principal_b):
    principal_b.first_name, principal_b.last_name, principal_b.email = "Nguyễn Thị", "Bình", "binh@example.vn"
    principal_b.save()
    AccountProfile.objects.create(user=principal_b, phone="0912 345 678")
    odd = OrgUnit.objects.create(name="=HYPERLINK(1)", kind=OrgUnit.Kind.SCHOOL, parent=school_b.parent, code="+84")
    odd.levels.set([school_levels_ensure()["PRESCHOOL"]])
    client.force_login(district_officer)
    body = client.get(reverse("review:period_missing_export", args=[period.pk, "csv"])).content.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(body))}
    assert rows["Trường"][6:] == ["Hiệu trưởng", "Điện thoại", "Thư điện tử"]
    assert rows["Trường Mầm non B"][6:] == ["Nguyễn Thị Bình", "0912 345 678", "binh@example.vn"]
    assert rows["Trường Mầm non A"][6:] == ["", "", ""]  # no principal account: empty, not an error
    assert rows["'=HYPERLINK(1)"][1] == "'+84"  # inert cells


def test_the_export_is_one_query_for_the_principals(
    client, district_officer, period, commune, django_assert_max_num_queries
):
    for school in add_schools(commune, 30):
        make_user(f"ht.{school.code}", unit=school, role=Membership.Role.PRINCIPAL)
    client.force_login(district_officer)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("review:period_missing_export", args=[period.pk, "xlsx"])).content
    assert body


def test_the_next_report_to_review_is_the_oldest_sent_in_scope(
    client, district_officer, commune_officer, period, many, school_a, other_commune, fill_values
):
    elsewhere = submit(period, many[-1], fill_values=fill_values)  # in Xã Bên Kia, sent first
    first = submit(period, school_a, fill_values=fill_values)
    second = submit(period, many[0], fill_values=fill_values)
    earlier = timezone.now() - datetime.timedelta(hours=3)
    Submission.objects.filter(pk=elsewhere.pk).update(submitted_at=earlier - datetime.timedelta(hours=1))
    Submission.objects.filter(pk=first.pk).update(submitted_at=earlier)
    first.refresh_from_db()
    assert next_submission_to_review(period, district_officer) == elsewhere
    assert next_submission_to_review(period, commune_officer) == first  # the other commune is not theirs
    assert next_submission_to_review(period, commune_officer, after=first) == second
    assert next_submission_to_review(period, commune_officer, after=second) is None
    client.force_login(commune_officer)
    html = client.get(reverse("review:period_detail", args=[period.pk])).content.decode()
    assert "Báo cáo tiếp theo cần duyệt" in html
    assert reverse("review:submission_detail", args=[first.pk]) in html[html.index("data-next-report") :]
