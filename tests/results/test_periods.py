"""Reporting periods from the periods page: proposals read from the plan's reporting duty, the
new-period form, the warning before opening a period past its due date, the confirmations."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from results.models import ReportingPeriod
from results.proposals import proposals_from_duty

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# ---------------------------------------------------------------- proposals


def labels(duty: str, year: int = 2026) -> list[tuple[str, str, datetime.date]]:
    return [(p.kind, p.label, p.due_on) for p in proposals_from_duty(duty, year)]


def test_a_day_in_june_every_year_proposes_the_first_half():
    duty = "Các trường báo cáo kết quả thực hiện trước ngày 20/6 hằng năm về Phòng Giáo dục và Đào tạo."
    assert labels(duty) == [("half_year", "6 tháng đầu năm 2026", datetime.date(2026, 6, 20))]
    (proposal,) = proposals_from_duty(duty, 2026)
    assert proposal.sentence == duty  # the whole sentence, as written
    assert proposal.due_wording == "trước ngày 20/6"
    assert (proposal.starts_on, proposal.ends_on) == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert proposal.opens_on <= proposal.due_on


@pytest.mark.parametrize(
    "duty,due",
    [
        ("Định kỳ hằng năm (trước ngày 15/12) báo cáo kết quả thực hiện.", datetime.date(2026, 12, 15)),
        (
            "báo cáo định kỳ kết quả thực hiện hằng năm (trước ngày 05 tháng 12) cho UBND thị xã",
            datetime.date(2026, 12, 5),
        ),
        ("Báo cáo trước ngày 15/12 hằng năm.", datetime.date(2026, 12, 15)),
    ],
)
def test_a_day_in_december_every_year_proposes_the_years_report(duty, due):
    assert labels(duty) == [("calendar_year", "Năm 2026", due)]


def test_six_months_and_the_whole_year_propose_two():
    assert labels("Báo cáo sơ kết 6 tháng, cả năm gửi Phòng Giáo dục.") == [
        ("half_year", "6 tháng đầu năm 2026", datetime.date(2026, 6, 30)),
        ("calendar_year", "Năm 2026", datetime.date(2026, 12, 31)),
    ]


def test_quarterly_half_yearly_and_yearly_propose_each_quarter_the_half_and_the_year():
    duty = "Thực hiện chế độ báo cáo định kỳ hằng quý, 6 tháng và hằng năm; đồng thời báo cáo đột xuất."
    found = labels(duty)
    assert [label for _kind, label, _due in found] == [
        "Quý I năm 2026",
        "6 tháng đầu năm 2026",
        "Quý II năm 2026",
        "Quý III năm 2026",
        "Năm 2026",
        "Quý IV năm 2026",
    ]


def test_a_day_in_january_is_the_previous_years_report():
    assert labels("Báo cáo tổng kết trước ngày 15/01 hằng năm.") == [
        ("calendar_year", "Năm 2025", datetime.date(2026, 1, 15))
    ]


@pytest.mark.parametrize("duty", ["", "Định kỳ báo cáo kết quả triển khai thực hiện về UBND huyện./.", "???"])
def test_a_duty_without_timing_words_proposes_nothing(duty):
    assert labels(duty) == []


# ---------------------------------------------------------------- the new-period page


@pytest.fixture
def duty_plan(plan):
    plan.reporting_duty = (
        "Các trường báo cáo kết quả thực hiện trước ngày 20/6 hằng năm.\n"
        "Định kỳ hằng năm (trước ngày 15/12) báo cáo kết quả thực hiện về Phòng."
    )
    plan.save(update_fields=["reporting_duty"])
    return plan


def test_the_office_sees_the_proposals_with_their_sentence(client, district_officer, duty_plan):
    client.force_login(district_officer)
    html = client.get(reverse("review:period_create"), {"nam": "2026"}).content.decode()
    assert "6 tháng đầu năm 2026" in html and "20/06/2026" in html
    assert "Năm 2026" in html and "15/12/2026" in html
    assert "Định kỳ hằng năm (trước ngày 15/12) báo cáo kết quả thực hiện về Phòng." in html
    assert "Tạo kỳ này" in html


def test_a_proposal_prefills_the_form_and_one_click_creates_the_period(client, district_officer, duty_plan):
    client.force_login(district_officer)
    url = reverse("review:period_create")
    html = client.get(url, {"ke_hoach": duty_plan.pk, "nam": "2026", "de_xuat": "0"}).content.decode()
    assert 'value="6 tháng đầu năm 2026"' in html and 'value="2026-06-20"' in html
    data = {
        "plan": duty_plan.pk,
        "kind": "half_year",
        "label": "6 tháng đầu năm 2026",
        "year": "2026",
        "due_on": "2026-06-20",
        "due_wording": "trước ngày 20/6",
        "starts_on": "",
        "ends_on": "",
        "opens_on": "",
    }
    response = client.post(url, data)
    period = ReportingPeriod.objects.get(plan=duty_plan, label="6 tháng đầu năm 2026")
    assert response.status_code == 302 and response["Location"] == reverse("review:period_detail", args=[period.pk])
    assert period.status == ReportingPeriod.Status.DRAFT
    assert (period.starts_on, period.ends_on) == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert period.opens_on == datetime.date(2026, 5, 21)
    assert "Đã tạo kỳ báo cáo" in messages_of(response)
    # Once made, the proposal says so instead of offering it again.
    html = client.get(url, {"ke_hoach": duty_plan.pk, "nam": "2026"}).content.decode()
    assert "đã có" in html
    # The same name twice: refused with a message, the form kept.
    again = client.post(url, data)
    assert again.status_code == 200 and "đã có kỳ báo cáo" in again.content.decode()
    assert ReportingPeriod.objects.filter(plan=duty_plan, label="6 tháng đầu năm 2026").count() == 1


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"due_on": ""}, "Trường này là bắt buộc"),
        ({"year": "3000"}, "2100"),
        ({"due_on": "31/02/2026"}, "ngày hợp lệ"),
        ({"opens_on": "2026-12-31"}, "Hạn nộp phải sau ngày mở nhận báo cáo."),
        ({"plan": "999999"}, "Hãy chọn"),
    ],
)
def test_bad_input_is_a_message_and_nothing_is_saved(client, district_officer, plan, changes, message):
    client.force_login(district_officer)
    data = {"plan": plan.pk, "kind": "calendar_year", "label": "Năm 2026", "year": "2026", "due_on": "2026-12-05"}
    response = client.post(reverse("review:period_create"), data | changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Năm 2026"' in response.content.decode()  # nothing typed is lost
    assert not ReportingPeriod.objects.filter(label="Năm 2026").exists()


@pytest.mark.parametrize("role,expected", [("district_leader", 403), ("commune_officer", 403), ("principal_a", 404)])
def test_only_a_plans_office_creates_periods(request, client, plan, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("review:period_create")).status_code == expected
    response = client.post(
        reverse("review:period_create"),
        {"plan": plan.pk, "kind": "calendar_year", "label": "Năm 2026", "year": "2026", "due_on": "2026-12-05"},
    )
    assert response.status_code == expected
    assert not ReportingPeriod.objects.filter(label="Năm 2026").exists()


def test_the_periods_page_offers_a_new_period_to_the_office_only(client, district_officer, district_leader, period):
    client.force_login(district_officer)
    assert reverse("review:period_create") in client.get(reverse("review:period_list")).content.decode()
    client.force_login(district_leader)
    assert reverse("review:period_create") not in client.get(reverse("review:period_list")).content.decode()


# ---------------------------------------------------------------- opening past the due date, closing


@pytest.fixture
def late_draft(plan):
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        plan=plan,
        kind=ReportingPeriod.Kind.CALENDAR_YEAR,
        label="Năm 2025 (mở muộn)",
        year=2025,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        opens_on=today - datetime.timedelta(days=40),
        due_on=today - datetime.timedelta(days=10),
    )


def test_opening_a_period_past_its_due_date_asks_first(client, district_officer, late_draft):
    client.force_login(district_officer)
    url = reverse("review:period_open", args=[late_draft.pk])
    response = client.post(url, {"next": reverse("review:period_list")})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tôi biết hạn đã qua" in html and "đã qua" in html
    assert 'name="next" value="/ky-bao-cao/"' in html  # where it goes back to, kept
    assert ReportingPeriod.objects.get(pk=late_draft.pk).status == ReportingPeriod.Status.DRAFT
    response = client.post(url, {"biet_qua_han": "1", "next": reverse("review:period_list")})
    assert response.status_code == 302
    assert ReportingPeriod.objects.get(pk=late_draft.pk).status == ReportingPeriod.Status.OPEN
    assert "Hạn nộp đã qua" in messages_of(response)


def test_a_period_not_yet_due_opens_at_once(client, district_officer, plan):
    period = ReportingPeriod.objects.create(
        plan=plan,
        kind=ReportingPeriod.Kind.CALENDAR_YEAR,
        label="Năm 2099",
        year=2099,
        starts_on=datetime.date(2099, 1, 1),
        ends_on=datetime.date(2099, 12, 31),
        opens_on=datetime.date(2099, 11, 1),
        due_on=datetime.date(2099, 12, 5),
    )
    client.force_login(district_officer)
    assert client.post(reverse("review:period_open", args=[period.pk])).status_code == 302
    assert ReportingPeriod.objects.get(pk=period.pk).status == ReportingPeriod.Status.OPEN


def test_closing_and_approving_ask_for_a_confirmation_on_the_page(client, district_officer, period, submission_a):
    client.force_login(district_officer)
    html = client.get(reverse("review:period_detail", args=[period.pk])).content.decode()
    close = html[html.index('<details class="confirm">') :]
    assert "<summary>Đóng kỳ</summary>" in close and "Xác nhận đóng kỳ" in close
    assert close.index("<summary>") < close.index(reverse("review:period_close", args=[period.pk]))


@pytest.mark.parametrize("next_url", ["1", "[]", "plans:list", "https://evil.example/", "/x\x00y"])
def test_a_next_that_is_no_page_of_the_site_goes_back_to_the_periods(client, district_officer, period, next_url):
    """ "1" was taken for a view name by redirect(): a 500 (issue 11). Now: the period is closed
    and the office is back on the periods page."""
    client.force_login(district_officer)
    response = client.post(reverse("review:period_close", args=[period.pk]), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:period_list")
    assert ReportingPeriod.objects.get(pk=period.pk).status == ReportingPeriod.Status.CLOSED


def test_a_safe_next_is_followed_and_a_past_due_period_asks_with_it(client, district_officer, late_draft):
    client.force_login(district_officer)
    url = reverse("review:period_open", args=[late_draft.pk])
    response = client.post(url, {"next": "/ky-bao-cao/?x=1"})
    assert response.status_code == 200 and 'name="next" value="/ky-bao-cao/?x=1"' in response.content.decode()
    response = client.post(url, {"next": "/ky-bao-cao/?x=1", "biet_qua_han": "1"})
    assert response["Location"] == "/ky-bao-cao/?x=1"
    assert ReportingPeriod.objects.get(pk=late_draft.pk).status == ReportingPeriod.Status.OPEN
