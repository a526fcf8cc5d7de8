"""The dashboards through the real stack: figures and statuses on the page, scope by role, the
ranking's export, landing pages, an approval visible on the next load, and a fixed number of
queries whatever the number of schools."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Membership, OrgUnit
from organisations.services import school_levels_ensure
from plans.models import Target
from results.models import ReportingPeriod, ResultValue, Submission
from results.rollups import rollup_rebuild
from results.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_values,
    submission_submit,
)
from tests.conftest import make_user
from tests.results.conftest import make_period


@pytest.fixture
def period(plan):
    """The plan's 2025 report, open, due 05/12/2025 (so a report sent now is late)."""
    return make_period(plan, year=2025, status=ReportingPeriod.Status.OPEN, due_on=datetime.date(2025, 12, 5))


def rate_and_count(plan) -> tuple[Target, Target]:
    rate, count = Target.objects.filter(plan=plan).order_by("order")
    return rate, count


def report(period, school, by, *, numerator, denominator, count, approve_by=None) -> Submission:
    rate, rooms = rate_and_count(period.plan)
    submission = submission_get_or_create(period=period, school=school)
    values = {
        rate.pk: {"numerator": numerator, "denominator": denominator},
        rooms.pk: {"number": count},
    }
    submission_save_values(submission=submission, values=values, by=by, expected_version=submission.version)
    submission_submit(submission=submission, targets=[rate, rooms], by=by, expected_version=submission.version)
    if approve_by is not None:
        submission_approve(submission=submission, by=approve_by, expected_version=submission.version)
    return submission


@pytest.fixture
def reported(period, school_a, school_b, principal_a, principal_b, district_officer):
    report(period, school_a, principal_a, numerator=13, denominator=15, count=0, approve_by=district_officer)
    report(period, school_b, principal_b, numerator=1, denominator=5, count=3, approve_by=district_officer)
    return period


def page(client, user, unit, **query):
    client.force_login(user)
    return client.get(reverse("dashboards:unit", args=[unit.pk]), {"nam": 2025, **query})


@pytest.mark.django_db
def test_the_district_leader_sees_rolled_up_figures_with_their_status(client, district_leader, district, reported):
    response = page(client, district_leader, district)
    html = response.content.decode()
    assert response.status_code == 200
    # 13/15 + 1/5 = 14/20 = 70 %: numerators and denominators add up, percentages are not averaged.
    assert "70\u00a0% (14/20)" in html
    # The 2025 milestone is 78 %: the year has come and it is not met.
    assert 'data-status="off_track"' in html
    # Rooms: 0 + 3 = 3 (a school's 0 is an answer).
    assert "2/2 trường đã báo cáo" in html
    assert "Số liệu đến" in html
    assert "<svg" in html  # the trend charts and the ranking's bars, drawn by the server


@pytest.mark.django_db
def test_the_commune_ranking_lists_its_schools_sortable_and_filterable(client, district_leader, commune, reported):
    response = page(client, district_leader, commune, sort="-display")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trường Mầm non A" in html and "Trường Mầm non B" in html
    assert html.index("Trường Mầm non A") < html.rindex("Trường Mầm non B")
    filtered = page(client, district_leader, commune, ten="Non B").content.decode()
    ranking = filtered[filtered.index('id="xep-hang"') :]
    assert "Trường Mầm non B" in ranking and "Trường Mầm non A" not in ranking


@pytest.mark.django_db
def test_the_district_page_says_who_has_reported_and_who_is_missing(
    client, district_leader, district, period, school_a, school_b, principal_a, district_officer
):
    approved = report(period, school_a, principal_a, numerator=13, denominator=15, count=0)
    submission_approve(submission=approved, by=district_officer, expected_version=approved.version)
    html = page(client, district_leader, district).content.decode()
    section = html[html.index('id="bao-cao"') :]
    assert '<li data-count="expected"><strong>2</strong>' in section
    assert '<li data-count="approved"><strong>1</strong>' in section
    assert '<li data-count="not_started"><strong>1</strong>' in section
    missing = section[section.index('class="missing"') :]
    assert "Trường Mầm non B" in missing and "Trường Mầm non A" not in missing


@pytest.mark.django_db
def test_a_principal_sees_only_their_own_school(client, principal_a, school_a, school_b, district, reported):
    response = page(client, principal_a, school_a)
    assert response.status_code == 200
    assert "13/15" in response.content.decode()
    assert page(client, principal_a, school_b).status_code == 404
    assert page(client, principal_a, district).status_code == 404


@pytest.mark.django_db
def test_a_school_shows_the_years_of_the_school_merged_into_it(client, district_leader, school_a, school_b, reported):
    OrgUnit.objects.filter(pk=school_b.pk).update(closed_on=datetime.date(2025, 12, 31), successor=school_a)
    # School B's approved 2025 figure (1/5) now shows on school A's page, as A's predecessor's year.
    Submission.objects.filter(school=school_a).delete()
    html = page(client, district_leader, school_a).content.decode()
    assert "1/5" in html


@pytest.mark.django_db
def test_another_district_sees_nothing(client, other_district_officer, district, reported):
    assert page(client, other_district_officer, district).status_code == 404


@pytest.mark.django_db
def test_the_export_carries_the_viewers_scope_and_no_live_formula(client, district_leader, commune, district, reported):
    OrgUnit.objects.filter(pk=commune.pk).update(name='=HYPERLINK("http://example.com","x")')
    client.force_login(district_leader)
    response = client.get(reverse("dashboards:ranking_export", args=[district.pk, "csv"]), {"nam": 2025})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Đơn vị"
    assert rows[1][0].startswith("'=HYPERLINK")  # shown as text by Excel, never run
    assert len(rows) == 2  # the district's one commune, nothing from elsewhere
    xlsx = client.get(reverse("dashboards:ranking_export", args=[district.pk, "xlsx"]), {"nam": 2025})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.django_db
def test_an_approval_shows_on_the_leaders_next_load(
    client, district_leader, district, period, school_a, principal_a, district_officer
):
    submission = report(period, school_a, principal_a, numerator=12, denominator=15, count=1)
    assert "Chưa có số liệu" in page(client, district_leader, district).content.decode()
    client.force_login(district_officer)
    response = client.post(reverse("review:submission_approve", args=[submission.pk]), {"version": submission.version})
    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.APPROVED
    assert "80\u00a0% (12/15)" in page(client, district_leader, district).content.decode()


@pytest.mark.django_db
def test_each_role_lands_on_its_own_page(client, district_leader, district_officer, principal_a, district, period):
    client.force_login(district_leader)
    assert client.get("/", follow=True).redirect_chain[-1][0] == reverse("dashboards:unit", args=[district.pk])
    client.force_login(district_officer)
    assert client.get("/").url == reverse("dashboards:work")
    client.force_login(principal_a)
    assert client.get("/").url == reverse("reports:home")


@pytest.mark.django_db
def test_the_work_page_lists_reports_waiting_for_review(client, district_officer, period, school_a, principal_a):
    report(period, school_a, principal_a, numerator=12, denominator=15, count=1)
    client.force_login(district_officer)
    html = client.get(reverse("dashboards:work")).content.decode()
    assert "Báo cáo chờ duyệt (1)" in html and "Trường Mầm non A" in html


# --- queries constant in the number of schools --------------------------------------------------


def _many_schools(commune, period, n: int) -> OrgUnit:
    """`n` preschools under `commune`, each with an approved report of both targets (bulk)."""
    level = school_levels_ensure()["PRESCHOOL"]
    schools = OrgUnit.objects.bulk_create(
        OrgUnit(name=f"Trường Mầm non số {i}", kind=OrgUnit.Kind.SCHOOL, parent=commune) for i in range(n)
    )
    for school in schools:  # bulk_create skips save(): give each its materialised path
        school.path = f"{commune.path}{school.pk}/"
    OrgUnit.objects.bulk_update(schools, ["path"])
    OrgUnit.levels.through.objects.bulk_create(OrgUnit.levels.through(orgunit=s, schoollevel=level) for s in schools)
    submissions = Submission.objects.bulk_create(
        Submission(period=period, school=s, status=Submission.Status.APPROVED) for s in schools
    )
    rate, rooms = rate_and_count(period.plan)
    ResultValue.objects.bulk_create(
        value
        for i, sub in enumerate(submissions)
        for value in (
            ResultValue(
                submission=sub,
                target=rate,
                unit_id=sub.school_id,
                indicator=rate.indicator,
                year=2025,
                numerator=i % 10,
                denominator=10,
            ),
            ResultValue(
                submission=sub, target=rooms, unit_id=sub.school_id, indicator=rooms.indicator, year=2025, number=i % 3
            ),
        )
    )
    rollup_rebuild()
    return schools[0]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"nam": 2025}).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_the_number_of_schools(client, superuser, province, district, period):
    counts = {}
    for n in (10, 1000):
        commune = OrgUnit.objects.create(name=f"Xã {n}", kind=OrgUnit.Kind.COMMUNE, parent=district)
        school = _many_schools(commune, period, n)
        leader = make_user(f"lanhdao.{n}", unit=commune, role=Membership.Role.LEADER)
        client.force_login(leader)
        counts[n] = {
            "school": _queries(client, reverse("dashboards:unit", args=[school.pk])),
            "commune": _queries(client, reverse("dashboards:unit", args=[commune.pk])),
        }
        client.force_login(superuser)
        counts[n]["district"] = _queries(client, reverse("dashboards:unit", args=[district.pk]))
        counts[n]["province"] = _queries(client, reverse("dashboards:unit", args=[province.pk]))
        counts[n]["national"] = _queries(client, reverse("dashboards:national"))
    assert counts[10] == counts[1000], counts


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"nam": "abc"},
        {"nam": "99999999999999"},
        {"nam": "٣"},
        {"ke-hoach": "999999"},
        {"chi-tieu": "x"},
        {"ten": "a\x00b"},
        {"ten": "x" * 5000},
        {"trang_thai": "bogus"},
        {"sort": "evil"},
    ],
    ids=lambda q: next(iter(q)),
)
def test_odd_query_strings_never_break_a_dashboard(client, district_leader, district, reported, query):
    client.force_login(district_leader)
    for name in ("dashboards:unit", "dashboards:tasks", "dashboards:budget", "dashboards:checks"):
        assert client.get(reverse(name, args=[district.pk]), query).status_code == 200
    export = client.get(reverse("dashboards:ranking_export", args=[district.pk, "csv"]), query)
    assert export.status_code == 200
