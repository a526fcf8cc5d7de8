"""What to fix, in Chromium: the principal (phone) is told which value to fix and lands on it; the
office (desktop) returns the report with a comment on single values; the principal reads each one
beside its value, fixes and resubmits; the office sees old → new. Screenshots in
test-artifacts/notes-*.png."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from results.models import ReportingPeriod, ReviewNote, Submission
from results.services import period_set_status
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, log_in, screenshot
from tests.browser.test_results_journey import COUNT, RATE, target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMMENT = "Đề nghị trường kiểm tra lại số liệu trước khi gửi."
COUNT_NOTE = "Trường mới có 4 trường đạt chuẩn theo quyết định công nhận."
RATE_NOTE = "Gửi kèm danh sách trẻ ra lớp."


@pytest.fixture
def period(plan):
    """The plan's 2025 report, open and due in ten days (as in test_results_journey)."""
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
    )
    return period_set_status(period=period, status=ReportingPeriod.Status.OPEN)


def test_principal_fixes_what_the_office_commented_on_and_the_office_sees_old_to_new(
    live_server,
    page_factory,
    plan,
    period,
    school_a,
    principal_a,
    district_officer,
):
    base = live_server.url
    phone = page_factory(viewport=PHONE)
    log_in(phone, base, principal_a.username)
    phone.goto(f"{base}{reverse('reports:edit', args=[period.pk, school_a.pk])}")

    # One invalid value: a summary with a link to it, and the cursor already in it.
    target(phone, RATE).get_by_label("Tử số").fill("130")
    target(phone, RATE).get_by_label("Mẫu số").fill("120")
    target(phone, COUNT).get_by_label("Số lượng (trường)").fill("5")
    phone.get_by_role("button", name="Gửi báo cáo").click()
    alert = phone.get_by_role("alert")
    expect(alert).to_contain_text("Cần sửa 1 giá trị:")
    expect(alert.get_by_role("link", name=RATE)).to_be_visible()
    expect(target(phone, RATE).get_by_label("Tử số")).to_be_focused()
    expect(phone.locator("[data-progress]")).to_have_text("0/2 đã nhập")
    expect(phone.locator("[data-countdown]")).to_have_text("Còn 10 ngày")
    expect(target(phone, COUNT).get_by_label("Số lượng (trường)")).to_have_value("5")
    screenshot(phone, "notes-01-principal-what-to-fix-phone")
    target(phone, COUNT).get_by_label("Số lượng (trường)").focus()
    alert.get_by_role("link", name=RATE).click()
    rate_input = f"id_t{plan.targets.get(wording=RATE).pk}-numerator"
    expect(phone).to_have_url(f"{base}{reverse('reports:edit', args=[period.pk, school_a.pk])}#{rate_input}")

    target(phone, RATE).get_by_label("Tử số").fill("112")
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.locator(".messages")).to_contain_text("Đã gửi báo cáo.")

    # The office: each value beside its target, and a comment on two of them.
    submission = Submission.objects.get(period=period, school=school_a)
    desk = page_factory(viewport=DESKTOP)
    log_in(desk, base, district_officer.username)
    desk.goto(f"{base}{reverse('review:submission_detail', args=[submission.pk])}")
    rate_row = desk.locator(f"tr[data-target='{plan.targets.get(wording=RATE).pk}']")
    expect(rate_row.locator("[data-goal]")).to_contain_text("Chỉ tiêu năm 2025: 78")
    expect(rate_row.locator("[data-assessment]")).to_contain_text("Đạt")
    screenshot(desk, "notes-02-office-report-desktop")
    desk.get_by_label(f"Ý kiến về “{COUNT}”").fill(COUNT_NOTE)
    desk.get_by_label(f"Ý kiến về “{RATE}”").fill(RATE_NOTE)
    desk.get_by_label("Ý kiến khi trả lại (bắt buộc)").fill(COMMENT)
    desk.get_by_role("button", name="Trả lại").click()
    expect(desk.locator(".messages")).to_contain_text("Đã trả lại báo cáo")
    assert set(ReviewNote.objects.values_list("target__wording", "text")) == {(COUNT, COUNT_NOTE), (RATE, RATE_NOTE)}

    # The principal: the list at the top, each comment beside its value.
    phone.reload()
    returned = phone.locator("#y-kien-tra-lai")
    expect(returned).to_contain_text(COMMENT)
    expect(returned).to_contain_text("Phòng đề nghị sửa 2 giá trị:")
    expect(returned.get_by_role("link", name=COUNT)).to_be_visible()
    expect(target(phone, COUNT).locator("[data-review-note]")).to_have_text(f"Phòng GD&ĐT: {COUNT_NOTE}")
    screenshot(phone, "notes-03-principal-returned-phone")
    target(phone, COUNT).get_by_label("Số lượng (trường)").fill("4")
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.locator(".messages")).to_contain_text("Đã gửi báo cáo.")
    screenshot(phone, "notes-04-principal-resubmitted-phone")

    # The office: old → new where it changed, "Không đổi" where it commented and nothing changed.
    desk.reload()
    since = desk.locator("#thay-doi-tu-lan-tra-lai")
    count_line = since.locator(f"[data-since-target='{plan.targets.get(wording=COUNT).pk}']")
    expect(count_line).to_contain_text("5 → 4")
    expect(count_line.locator("mark")).to_have_text("4")
    expect(since.locator(f"[data-since-target='{plan.targets.get(wording=RATE).pk}']")).to_contain_text("Không đổi")
    expect(desk.locator("#lich-su-xu-ly, table.events")).to_contain_text(COUNT_NOTE)
    screenshot(desk, "notes-05-office-old-to-new-desktop")
    desk.set_viewport_size(PHONE)
    screenshot(desk, "notes-05b-office-old-to-new-phone")
    desk.locator("table.values").screenshot(path=str(ARTIFACTS / "notes-05c-office-values-phone.png"))
