"""The office's periods, in Chromium: a period made from the plan's reporting duty, opened past its
due date only after ticking "Tôi biết hạn đã qua", the review table of a commune's 60 schools
searched, sorted and paged, on a desktop (1,366 px) and a phone (390 px). Screenshots land in
test-artifacts/review-*.png for a person to look at."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import OrgUnit
from organisations.services import school_levels_ensure
from results.models import ReportingPeriod
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def schools(commune, district, school_a, school_b):
    preschool = school_levels_ensure()["PRESCHOOL"]
    other = OrgUnit.objects.create(name="Xã Bên Kia", kind=OrgUnit.Kind.COMMUNE, parent=district)
    for parent, prefix, code, n in [
        (commune, "Trường Mầm non Hoa Sen", "HS", 52),
        (other, "Trường Mầm non Bên Kia", "BK", 6),
    ]:
        for i in range(n):
            school = OrgUnit.objects.create(
                name=f"{prefix} {i + 1:02d}", kind=OrgUnit.Kind.SCHOOL, parent=parent, code=f"{code}-{i + 1:02d}"
            )
            school.levels.set([preschool])


def test_the_office_makes_a_period_from_the_duty_opens_it_and_reviews_the_table(
    live_server, page_factory, plan, district_officer, schools
):
    plan.reporting_duty = "Các trường báo cáo kết quả thực hiện trước ngày 20/6 hằng năm về Phòng Giáo dục và Đào tạo."
    plan.save(update_fields=["reporting_duty"])
    base = live_server.url
    desk = page_factory(viewport=DESKTOP)
    log_in(desk, base, district_officer.username)
    desk.goto(f"{base}{reverse('review:period_create')}?nam=2025")
    expect(desk.get_by_text("trước ngày 20/6 hằng năm về Phòng")).to_be_visible()
    screenshot(desk, "review-01-proposals-desktop")
    desk.get_by_role("link", name="Tạo kỳ này").click()
    expect(desk.get_by_label("Tên kỳ báo cáo")).to_have_value("6 tháng đầu năm 2025")
    desk.get_by_role("button", name="Tạo kỳ báo cáo").click()
    expect(desk.locator(".messages")).to_contain_text("Đã tạo kỳ báo cáo")
    period = ReportingPeriod.objects.get(label="6 tháng đầu năm 2025")

    # Due 20/06/2025, long past: opening it asks first.
    desk.get_by_role("button", name="Mở kỳ").click()
    expect(desk.get_by_role("alert")).to_contain_text("đã qua")
    screenshot(desk, "review-02-open-past-due-desktop")
    assert ReportingPeriod.objects.get(pk=period.pk).status == ReportingPeriod.Status.DRAFT
    desk.get_by_label("Tôi biết hạn đã qua").check()
    desk.get_by_role("button", name="Mở kỳ").click()
    expect(desk.locator(".messages")).to_contain_text("Hạn nộp đã qua")
    assert ReportingPeriod.objects.get(pk=period.pk).status == ReportingPeriod.Status.OPEN

    # The table: 60 schools, 50 a page, headed by commune; search and sort.
    desk.goto(f"{base}{reverse('review:period_detail', args=[period.pk])}")
    expect(desk.locator("tr[data-school]")).to_have_count(50)
    expect(desk.locator("tr.commune-head").first).to_contain_text("Xã Bên Kia")
    screenshot(desk, "review-03-period-desktop")
    desk.get_by_label("Tìm trường (tên hoặc mã)").fill("Hoa Sen 07")
    desk.get_by_role("button", name="Lọc").click()
    expect(desk.locator("tr[data-school]")).to_have_count(1)
    desk.goto(f"{base}{reverse('review:period_detail', args=[period.pk])}?sort=-name")
    expect(desk.locator("tr[data-school]").first).to_have_attribute("data-school", "HS-52")
    desk.get_by_text("Đóng kỳ", exact=True).click()  # closing asks first
    expect(desk.get_by_role("button", name="Xác nhận đóng kỳ")).to_be_visible()
    screenshot(desk, "review-04-period-sorted-close-desktop")

    phone = page_factory(viewport=PHONE)
    log_in(phone, base, district_officer.username)
    phone.goto(f"{base}{reverse('review:period_detail', args=[period.pk])}")
    expect(phone.locator("tr[data-school]")).to_have_count(50)
    screenshot(phone, "review-05-period-phone")
    phone.screenshot(path=str(ARTIFACTS / "review-05b-period-phone-top.png"))  # the first screen only
    phone.locator("tr.commune-head").first.scroll_into_view_if_needed()
    phone.screenshot(path=str(ARTIFACTS / "review-05c-period-phone-table.png"))
    phone.goto(f"{base}{reverse('review:period_list')}")
    screenshot(phone, "review-06-periods-phone")
    desk.goto(f"{base}{reverse('review:period_list')}")
    screenshot(desk, "review-07-periods-desktop")
