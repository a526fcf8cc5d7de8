"""The office's review pages through the client: who gets what, the actions, late marking and the
not-submitted export."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from organisations.models import OrgUnit
from organisations.services import school_levels_ensure
from results.models import ReportingPeriod, Submission, SubmissionEvent
from results.selectors import period_targets_for_school
from results.services import submission_approve, submission_get_or_create, submission_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _schools(school_a, school_b):
    """Both schools of the commune exist in every test here: B is the one that has not started."""


@pytest.fixture
def submitted(submission_a, fill_values, principal_a):
    fill_values(submission_a, by=principal_a)
    targets = period_targets_for_school(submission_a.period, submission_a.school)
    return submission_submit(submission=submission_a, targets=targets, by=principal_a, expected_version=None)


@pytest.fixture
def approved(submitted, district_officer):
    return submission_approve(submission=submitted, by=district_officer, expected_version=None)


def page_urls(period, submission) -> dict[str, str]:
    return {
        "period_list": reverse("review:period_list"),
        "period_detail": reverse("review:period_detail", args=[period.pk]),
        "export_csv": reverse("review:period_missing_export", args=[period.pk, "csv"]),
        "export_xlsx": reverse("review:period_missing_export", args=[period.pk, "xlsx"]),
        "submission_detail": reverse("review:submission_detail", args=[submission.pk]),
    }


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# ---------------------------------------------------------------- who gets what


@pytest.mark.parametrize(
    "role,expected",
    [
        ("district_officer", 200),
        ("commune_officer", 200),  # school A is in its commune
        ("district_leader", 200),
        ("superuser", 200),
        ("other_district_officer", 404),
        ("principal_a", 404),  # principals use their own page
        ("principal_b", 404),
    ],
)
@pytest.mark.parametrize("page", ["period_detail", "export_csv", "export_xlsx", "submission_detail"])
def test_each_role_gets_the_expected_status_on_each_page(request, client, period, submitted, role, expected, page):
    client.force_login(request.getfixturevalue(role))
    assert client.get(page_urls(period, submitted)[page]).status_code == expected


@pytest.mark.parametrize(
    "role,expected",
    [
        ("district_officer", 200),
        ("commune_officer", 200),
        ("district_leader", 200),
        ("superuser", 200),
        ("other_district_officer", 200),  # its own (empty) list
        ("principal_a", 404),
    ],
)
def test_the_period_list_is_for_office_staff_and_leaders(request, client, period, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("review:period_list")).status_code == expected


def test_the_period_list_shows_only_periods_of_plans_the_user_can_see(client, other_district_officer, period):
    client.force_login(other_district_officer)
    assert period.label not in client.get(reverse("review:period_list")).content.decode()


@pytest.mark.parametrize("page", ["period_list", "period_detail", "export_csv", "submission_detail"])
def test_anonymous_is_sent_to_log_in(client, period, submitted, page):
    response = client.get(page_urls(period, submitted)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["submission_return", "submission_approve", "submission_reopen"])
def test_anonymous_posts_are_sent_to_log_in(client, submitted, name):
    response = client.post(reverse(f"review:{name}", args=[submitted.pk]), {"version": submitted.version})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Submission.objects.get(pk=submitted.pk).status == Submission.Status.SUBMITTED


@pytest.mark.parametrize(
    "role,expected",
    [
        ("district_leader", 403),  # reads everything, changes nothing
        ("commune_officer", 403),  # sees its schools, but the plan is the district's to review
        ("other_district_officer", 404),
        ("principal_a", 404),
    ],
)
@pytest.mark.parametrize("name", ["submission_return", "submission_approve"])
def test_only_the_managing_office_may_act_on_a_report(request, client, submitted, role, expected, name):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse(f"review:{name}", args=[submitted.pk]), {"version": submitted.version, "comment": "Sửa lại"}
    )
    assert response.status_code == expected
    assert Submission.objects.get(pk=submitted.pk).status == Submission.Status.SUBMITTED


@pytest.mark.parametrize("role,expected", [("district_leader", 403), ("principal_a", 404), ("commune_officer", 403)])
def test_only_the_managing_office_may_reopen(request, client, approved, role, expected):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("review:submission_reopen", args=[approved.pk]), {"version": approved.version, "comment": "Lý do"}
    )
    assert response.status_code == expected
    assert Submission.objects.get(pk=approved.pk).status == Submission.Status.APPROVED


@pytest.mark.parametrize(
    "role,expected",
    [("district_leader", 403), ("commune_officer", 403), ("other_district_officer", 404), ("principal_a", 404)],
)
@pytest.mark.parametrize("name", ["period_open", "period_close"])
def test_only_the_managing_office_may_open_or_close_a_period(request, client, period, role, expected, name):
    client.force_login(request.getfixturevalue(role))
    assert client.post(reverse(f"review:{name}", args=[period.pk])).status_code == expected
    assert ReportingPeriod.objects.get(pk=period.pk).status == ReportingPeriod.Status.OPEN


def test_unknown_ids_and_formats_are_404(client, district_officer, period):
    client.force_login(district_officer)
    assert client.get(reverse("review:period_detail", args=[999999])).status_code == 404
    assert client.get(reverse("review:submission_detail", args=[999999])).status_code == 404
    assert client.get(f"/ky-bao-cao/{period.pk}/chua-nop.pdf/").status_code == 404
    assert client.get("/ky-bao-cao/abc/").status_code == 404
    assert client.get("/ky-bao-cao/bao-cao/1x/").status_code == 404
    assert client.get("/ky-bao-cao/99999999999999999999999/").status_code == 404  # beyond any integer column
    assert client.post(reverse("review:submission_approve", args=[999999]), {"version": 1}).status_code == 404


def test_action_urls_answer_get_with_405(client, district_officer, submitted):
    client.force_login(district_officer)
    assert client.get(reverse("review:submission_approve", args=[submitted.pk])).status_code == 405


# ---------------------------------------------------------------- the period pages


def test_the_period_list_counts_schools_by_status_and_offers_open_close(client, district_officer, period, submitted):
    client.force_login(district_officer)
    html = client.get(reverse("review:period_list")).content.decode()
    assert period.label in html
    assert "05/12/2099" in html
    assert 'data-status="submitted"><a' in html  # school A, linked to the filtered page
    assert "?trang_thai=not_started" in html  # school B has not started
    assert "Đóng kỳ" in html


def test_a_leader_sees_the_counts_without_buttons(client, district_leader, period):
    client.force_login(district_leader)
    html = client.get(reverse("review:period_list")).content.decode()
    assert period.label in html
    assert "Đóng kỳ" not in html and "Mở kỳ" not in html


def test_the_office_closes_and_reopens_a_period(client, district_officer, period):
    client.force_login(district_officer)
    response = client.post(reverse("review:period_close", args=[period.pk]))
    assert response.status_code == 302
    assert ReportingPeriod.objects.get(pk=period.pk).status == ReportingPeriod.Status.CLOSED
    response = client.post(
        reverse("review:period_open", args=[period.pk]),
        {"next": reverse("review:period_detail", args=[period.pk])},
    )
    assert response["Location"] == reverse("review:period_detail", args=[period.pk])
    assert ReportingPeriod.objects.get(pk=period.pk).status == ReportingPeriod.Status.OPEN


def test_an_outside_next_address_is_ignored(client, district_officer, period):
    client.force_login(district_officer)
    response = client.post(reverse("review:period_close", args=[period.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("review:period_list")


def test_the_period_page_lists_every_school_with_its_status_in_vietnamese(client, district_officer, period, submitted):
    client.force_login(district_officer)
    html = client.get(reverse("review:period_detail", args=[period.pk])).content.decode()
    assert "Trường Mầm non A" in html and "Đã gửi" in html
    assert "Trường Mầm non B" in html and "Chưa nhập" in html
    assert reverse("review:submission_detail", args=[submitted.pk]) in html
    assert "Xã Thử Nghiệm" in html
    assert "Quá hạn" not in html and "Gửi muộn" not in html  # due in 2099


def test_the_period_page_filters_by_status(client, district_officer, period, submitted):
    client.force_login(district_officer)
    url = reverse("review:period_detail", args=[period.pk])
    html = client.get(url, {"trang_thai": "not_started"}).content.decode()
    assert 'data-school="T-B"' in html and 'data-school="T-A"' not in html
    html = client.get(url, {"trang_thai": "submitted"}).content.decode()
    assert 'data-school="T-A"' in html and 'data-school="T-B"' not in html
    html = client.get(url, {"trang_thai": "<script>"}).content.decode()  # unknown: everything
    assert 'data-school="T-A"' in html and 'data-school="T-B"' in html


def test_the_period_page_shows_the_returned_status_and_the_comment(client, district_officer, period, submitted):
    client.force_login(district_officer)
    client.post(
        reverse("review:submission_return", args=[submitted.pk]),
        {"version": submitted.version, "comment": "Thiếu minh chứng"},
    )
    html = client.get(reverse("review:period_detail", args=[period.pk])).content.decode()
    assert "Trả lại" in html and "Thiếu minh chứng" in html


@pytest.fixture
def school_elsewhere(district):
    """A preschool in another commune of the same district."""
    commune = OrgUnit.objects.create(name="Xã Bên Kia", kind=OrgUnit.Kind.COMMUNE, parent=district)
    school = OrgUnit.objects.create(name="Trường Mầm non C", kind=OrgUnit.Kind.SCHOOL, parent=commune, code="T-C")
    school.levels.set([school_levels_ensure()["PRESCHOOL"]])
    return school


def test_a_commune_officer_sees_only_its_communes_schools(client, commune_officer, period, school_elsewhere):
    elsewhere = submission_get_or_create(period=period, school=school_elsewhere)
    client.force_login(commune_officer)
    html = client.get(reverse("review:period_detail", args=[period.pk])).content.decode()
    assert "Trường Mầm non A" in html and "Trường Mầm non C" not in html
    assert client.get(reverse("review:submission_detail", args=[elsewhere.pk])).status_code == 404
    exported = client.get(reverse("review:period_missing_export", args=[period.pk, "csv"])).content.decode("utf-8-sig")
    assert "Trường Mầm non A" in exported and "Trường Mầm non C" not in exported


def test_the_district_officer_sees_every_commune(client, district_officer, period, school_elsewhere):
    client.force_login(district_officer)
    html = client.get(reverse("review:period_detail", args=[period.pk])).content.decode()
    assert "Trường Mầm non C" in html and "Xã Bên Kia" in html


# ---------------------------------------------------------------- late marking


@pytest.fixture
def past_due(period):
    """Move the period's due date into the past (no frozen clock: real dates either side of it)."""
    period.due_on = timezone.localdate() - datetime.timedelta(days=10)
    period.opens_on = period.due_on - datetime.timedelta(days=30)
    period.save(update_fields=["due_on", "opens_on"])
    return period


def set_submitted_at(submission, day: datetime.date) -> None:
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    Submission.objects.filter(pk=submission.pk).update(submitted_at=at)


def test_schools_that_have_not_submitted_are_late_once_the_due_date_passed(client, district_officer, past_due):
    client.force_login(district_officer)
    html = client.get(reverse("review:period_detail", args=[past_due.pk]), {"trang_thai": "not_started"}).content
    assert '<span class="flag late">Quá hạn</span>' in html.decode()


def test_a_report_sent_after_the_due_date_is_marked_late(client, district_officer, past_due, submitted):
    set_submitted_at(submitted, past_due.due_on + datetime.timedelta(days=1))
    client.force_login(district_officer)
    html = client.get(reverse("review:period_detail", args=[past_due.pk]), {"trang_thai": "submitted"}).content
    assert '<span class="flag late">Gửi muộn</span>' in html.decode()
    # The report's own page says it in the same word.
    assert "Gửi muộn" in client.get(reverse("review:submission_detail", args=[submitted.pk])).content.decode()


def test_a_report_sent_on_the_due_date_is_not_late(client, district_officer, past_due, submitted):
    set_submitted_at(submitted, past_due.due_on)
    client.force_login(district_officer)
    html = client.get(reverse("review:period_detail", args=[past_due.pk]), {"trang_thai": "submitted"}).content
    assert "Gửi muộn" not in html.decode() and '<span class="flag late">' not in html.decode()


# ---------------------------------------------------------------- the export

EXPORT_HEADER = [
    "Trường",
    "Mã",
    "Xã/phường",
    "Trạng thái",
    "Hạn nộp",
    "Quá hạn",
    "Hiệu trưởng",
    "Điện thoại",
    "Thư điện tử",
]


def test_the_csv_lists_the_schools_that_have_not_submitted(client, district_officer, period, submitted, school_b):
    client.force_login(district_officer)
    response = client.get(reverse("review:period_missing_export", args=[period.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="chua-nop-{period.pk}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADER
    assert rows[1:] == [["Trường Mầm non B", "T-B", "Xã Thử Nghiệm", "Chưa nhập", "05/12/2099", "", "", "", ""]]


def test_the_export_lists_drafts_and_returned_reports_but_not_approved_ones(
    client, district_officer, period, approved, school_elsewhere
):
    draft = submission_get_or_create(period=period, school=school_elsewhere)
    client.force_login(district_officer)
    body = client.get(reverse("review:period_missing_export", args=[period.pk, "csv"])).content.decode("utf-8-sig")
    assert "Trường Mầm non A" not in body
    assert "Trường Mầm non B" in body
    assert "Trường Mầm non C,T-C,Xã Bên Kia,Đang nhập" in body
    assert draft.status == Submission.Status.DRAFT


def test_the_xlsx_flags_late_schools(client, district_officer, past_due, submitted):
    client.force_login(district_officer)
    response = client.get(reverse("review:period_missing_export", args=[past_due.pk, "xlsx"]))
    assert response["Content-Disposition"] == f'attachment; filename="chua-nop-{past_due.pk}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == EXPORT_HEADER
    assert [row[0] for row in rows[1:]] == ["Trường Mầm non B"]  # A has submitted
    assert rows[1][5] == "Quá hạn"


def test_a_leader_may_export_the_list(client, district_leader, period):
    client.force_login(district_leader)
    assert client.get(reverse("review:period_missing_export", args=[period.pk, "xlsx"])).status_code == 200


# ---------------------------------------------------------------- one school's report


def test_the_report_page_shows_values_against_the_target_and_last_year(client, district_officer, last_year, submitted):
    client.force_login(district_officer)
    html = client.get(reverse("review:submission_detail", args=[submitted.pk])).content.decode()
    assert "Tỷ lệ huy động trẻ" in html
    assert "80/100 (80\xa0%)" in html  # this year
    assert "70/100 (70\xa0%)" in html  # last year, approved
    assert "78\xa0%" in html  # the plan's 2025 target
    assert "Gửi báo cáo" in html  # the workflow log
    assert 'name="version" value="' in html
    assert "Duyệt" in html and "Trả lại" in html


def test_the_report_page_shows_the_value_history_with_who_changed_what(
    client, district_officer, submitted, principal_a
):
    client.force_login(district_officer)
    html = client.get(reverse("review:submission_detail", args=[submitted.pk])).content.decode()
    assert "Lịch sử thay đổi" in html
    assert "Số trường đạt chuẩn – giá trị" in html
    assert "Báo cáo – trạng thái" in html and "Đã gửi" in html


def test_a_leader_reads_the_report_without_forms(client, district_leader, submitted):
    client.force_login(district_leader)
    html = client.get(reverse("review:submission_detail", args=[submitted.pk])).content.decode()
    assert "Tỷ lệ huy động trẻ" in html
    assert 'name="version"' not in html


def test_the_office_approves_a_report_and_the_page_says_so(client, district_officer, submitted):
    client.force_login(district_officer)
    url = reverse("review:submission_detail", args=[submitted.pk])
    response = client.post(reverse("review:submission_approve", args=[submitted.pk]), {"version": submitted.version})
    assert response.status_code == 302 and response["Location"] == url
    assert "Đã duyệt báo cáo" in messages_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.APPROVED
    assert submitted.reviewed_by == district_officer
    # Through the web the author lands in the history (HistoryRequestMiddleware).
    assert submitted.history.latest("history_date").history_user == district_officer
    html = client.get(url).content.decode()
    assert "Mở lại" in html and "Duyệt</button>" not in html
    history = html[html.index("Lịch sử thay đổi") :]
    assert "canbo" in history and "Đã duyệt" in history


def test_the_office_returns_a_report_with_a_comment(client, district_officer, submitted):
    client.force_login(district_officer)
    response = client.post(
        reverse("review:submission_return", args=[submitted.pk]),
        {"version": submitted.version, "comment": "Mẫu số chưa đúng"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_comment) == (Submission.Status.RETURNED, "Mẫu số chưa đúng")


def test_returning_without_a_comment_is_refused_with_a_message(client, district_officer, submitted):
    """The page comes back with the message and what was typed beside the values (nothing lost)."""
    client.force_login(district_officer)
    target = period_targets_for_school(submitted.period, submitted.school)[0]
    response = client.post(
        reverse("review:submission_return", args=[submitted.pk]),
        {"version": submitted.version, f"value-comment-{target.pk}": "Kiểm tra mẫu số"},
    )
    assert response.status_code == 200
    assert "Hãy ghi ý kiến" in messages_of(response)
    assert "Kiểm tra mẫu số</textarea>" in response.content.decode()
    assert Submission.objects.get(pk=submitted.pk).status == Submission.Status.SUBMITTED


def test_the_office_reopens_an_approved_report_with_a_reason(client, district_officer, approved):
    client.force_login(district_officer)
    response = client.post(
        reverse("review:submission_reopen", args=[approved.pk]), {"version": approved.version, "comment": "Sai số"}
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == Submission.Status.RETURNED
    event = approved.events.last()
    assert (event.action, event.by, event.comment) == (SubmissionEvent.Action.REOPENED, district_officer, "Sai số")
    html = client.get(reverse("review:submission_detail", args=[approved.pk])).content.decode()
    assert "Mở lại báo cáo đã duyệt" in html and "Sai số" in html


def test_reopening_without_a_reason_is_refused_with_a_message(client, district_officer, approved):
    client.force_login(district_officer)
    response = client.post(reverse("review:submission_reopen", args=[approved.pk]), {"version": approved.version})
    assert "Hãy ghi lý do" in messages_of(response)
    assert Submission.objects.get(pk=approved.pk).status == Submission.Status.APPROVED


@pytest.mark.parametrize("name", ["submission_approve", "submission_return"])
def test_a_forbidden_transition_is_a_message_not_an_error(client, district_officer, submission_a, name):
    client.force_login(district_officer)
    response = client.post(
        reverse(f"review:{name}", args=[submission_a.pk]), {"version": submission_a.version, "comment": "x"}
    )
    assert response.status_code == 302
    assert "Chỉ" in messages_of(response)
    assert Submission.objects.get(pk=submission_a.pk).status == Submission.Status.DRAFT


@pytest.mark.parametrize("version", [None, "", "abc", "1.5", "99999999999999999999999"])
def test_a_missing_or_garbled_version_is_refused_with_a_message(client, district_officer, submitted, version):
    client.force_login(district_officer)
    data = {} if version is None else {"version": version}
    response = client.post(reverse("review:submission_approve", args=[submitted.pk]), data)
    assert response.status_code == 302
    assert messages_of(response)
    assert Submission.objects.get(pk=submitted.pk).status == Submission.Status.SUBMITTED


def test_the_superuser_can_review(client, superuser, submitted):
    client.force_login(superuser)
    response = client.post(reverse("review:submission_approve", args=[submitted.pk]), {"version": submitted.version})
    assert response.status_code == 302
    assert Submission.objects.get(pk=submitted.pk).status == Submission.Status.APPROVED


def test_the_report_page_links_the_next_report_to_review(client, district_officer, period, school_a, school_b):
    from results.models import Submission

    first = Submission.objects.create(period=period, school=school_a, status=Submission.Status.SUBMITTED)
    second = Submission.objects.create(period=period, school=school_b, status=Submission.Status.SUBMITTED)
    set_submitted_at(first, period.due_on - datetime.timedelta(days=2))
    set_submitted_at(second, period.due_on - datetime.timedelta(days=1))
    client.force_login(district_officer)
    html = client.get(reverse("review:submission_detail", args=[first.pk])).content.decode()
    assert reverse("review:submission_detail", args=[second.pk]) in html and "Báo cáo tiếp theo cần duyệt" in html
    html = client.get(reverse("review:submission_detail", args=[second.pk])).content.decode()
    assert reverse("review:submission_detail", args=[first.pk]) in html  # round to the oldest
