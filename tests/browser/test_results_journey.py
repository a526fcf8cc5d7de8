"""A school year's report, end to end in Chromium: the principal on a phone, the office on a desktop.

principal_a enters the values, is told in Vietnamese that a numerator cannot exceed its denominator,
fixes it and submits; the district office returns the report with a comment; the principal reads
it, corrects a value and resubmits; the office approves; the principal's page is now read-only.
Screenshots of every step land in test-artifacts/results-*.png for a person to look at.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from results.models import ReportingPeriod, Submission, SubmissionEvent
from results.services import period_set_status
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RATE, COUNT = "Tỷ lệ huy động trẻ", "Số trường đạt chuẩn"  # the conftest plan's two preschool targets
COMMENT = "Số trẻ đạt chuẩn chưa khớp với sổ theo dõi, đề nghị kiểm tra lại."


@pytest.fixture
def period(plan):
    """The plan's 2025 report, open and due in ten days (so nothing is late)."""
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(
        plan=plan,
        kind=ReportingPeriod.Kind.CALENDAR_YEAR,
        label="Năm 2025",
        year=2025,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        opens_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=10),
        due_wording="trước ngày 05/12",
    )
    return period_set_status(period=period, status=ReportingPeriod.Status.OPEN)


def target(page, wording: str):
    """A target's block on the principal's form: a fieldset named by its legend."""
    return page.get_by_role("group", name=wording)


def test_principal_reports_office_returns_principal_corrects_office_approves(
    live_server, page_factory, plan, period, school_a, principal_a, district_officer
):
    base = live_server.url
    phone = page_factory(viewport=PHONE)
    log_in(phone, base, principal_a.username)
    # A principal with one school and one open period goes straight to its form.
    phone.goto(f"{base}{reverse('reports:home')}")
    expect(phone).to_have_url(re.compile(reverse("reports:edit", args=[period.pk, school_a.pk]) + "$"))
    expect(phone.get_by_role("heading", name=school_a.name)).to_be_visible()
    screenshot(phone, "results-01-principal-empty-form-phone")

    # A numerator above its denominator: refused next to the field, everything typed kept.
    target(phone, RATE).get_by_label("Tử số").fill("130")
    target(phone, RATE).get_by_label("Mẫu số").fill("120")
    target(phone, COUNT).get_by_label("Số lượng (trường)").fill("5")
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.get_by_role("alert")).to_contain_text("Chưa lưu")
    expect(target(phone, RATE)).to_contain_text("Tử số không được lớn hơn mẫu số.")
    expect(target(phone, RATE).get_by_label("Tử số")).to_have_value("130")
    expect(target(phone, COUNT).get_by_label("Số lượng (trường)")).to_have_value("5")
    assert not Submission.objects.filter(period=period, school=school_a, status=Submission.Status.SUBMITTED).exists()
    screenshot(phone, "results-02-principal-bad-value-phone")

    target(phone, RATE).get_by_label("Tử số").fill("112")
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.locator(".messages")).to_contain_text("Đã gửi báo cáo.")
    expect(phone.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)
    screenshot(phone, "results-03-principal-submitted-phone")

    # The office, on a desktop: the period's schools, school A's report, returned with a comment.
    desk = page_factory(viewport=DESKTOP)
    log_in(desk, base, district_officer.username)
    desk.goto(f"{base}{reverse('review:period_list')}")
    screenshot(desk, "results-04-office-periods-desktop")
    desk.get_by_role("link", name=period.label).first.click()
    expect(desk.get_by_role("heading", name=period.label)).to_be_visible()
    expect(desk.locator(f"tr[data-school='{school_a.code}']")).to_have_attribute("data-status", "submitted")
    screenshot(desk, "results-05-office-period-desktop")
    desk.get_by_role("link", name=school_a.name).click()
    expect(desk.get_by_role("heading", name=school_a.name)).to_be_visible()
    screenshot(desk, "results-06-office-submission-desktop")
    desk.get_by_label("Ý kiến khi trả lại (bắt buộc)").fill(COMMENT)
    desk.get_by_role("button", name="Trả lại").click()
    expect(desk.locator(".messages")).to_contain_text("Đã trả lại báo cáo")
    screenshot(desk, "results-07-office-returned-desktop")
    desk.set_viewport_size(PHONE)  # the office may read it on a phone too
    screenshot(desk, "results-07b-office-returned-phone")
    desk.set_viewport_size(DESKTOP)

    # The principal reads the comment, corrects a value and sends the report again.
    phone.reload()
    expect(phone.get_by_role("alert")).to_contain_text(COMMENT)
    expect(target(phone, RATE).get_by_label("Tử số")).to_have_value("112")
    screenshot(phone, "results-08-principal-returned-phone")
    target(phone, COUNT).get_by_label("Số lượng (trường)").fill("4")
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.locator(".messages")).to_contain_text("Đã gửi báo cáo.")
    screenshot(phone, "results-09-principal-resubmitted-phone")

    # The office approves: the values are locked.
    desk.reload()
    desk.get_by_text("Duyệt báo cáo…").click()  # the confirmation step opens
    desk.get_by_role("button", name="Duyệt", exact=True).click()
    expect(desk.locator(".messages")).to_contain_text("Đã duyệt báo cáo")
    screenshot(desk, "results-10-office-approved-desktop")

    phone.reload()
    expect(phone.get_by_text("Báo cáo đã được duyệt, số liệu đã khóa.")).to_be_visible()
    expect(phone.get_by_role("textbox")).to_have_count(0)
    expect(phone.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)
    expect(phone.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    expect(target(phone, RATE)).to_have_count(0)  # no fieldsets: read-only sections
    expect(phone.locator(f"#chi-tieu-{plan.targets.get(wording=COUNT).pk} [data-result]")).to_have_text("4")
    screenshot(phone, "results-11-principal-approved-phone")

    submission = Submission.objects.get(period=period, school=school_a)
    assert submission.status == Submission.Status.APPROVED
    assert list(submission.events.values_list("action", flat=True)) == [
        SubmissionEvent.Action.SUBMITTED,
        SubmissionEvent.Action.RETURNED,
        SubmissionEvent.Action.SUBMITTED,
        SubmissionEvent.Action.APPROVED,
    ]
    stored = {
        v.target.wording: (v.numerator, v.denominator, v.number) for v in submission.values.select_related("target")
    }
    assert stored == {RATE: (112, 120, None), COUNT: (None, None, 4)}
