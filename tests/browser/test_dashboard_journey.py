"""A district leader's dashboard in Chromium: the district's figures with their charts and the
ranking of its communes, a drill-down to a commune and then to a school, the print layout, and an
approval made by the office in another browser showing on the leader's page when it reloads.
Screenshots land in test-artifacts/dashboard-*.png (desktop and phone)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from results.models import ReportingPeriod, Submission
from results.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_values,
    submission_submit,
)
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.results.conftest import make_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _report(period, school, by, *, numerator, denominator, rooms):
    rate, count = period.plan.targets.order_by("order")
    submission = submission_get_or_create(period=period, school=school)
    values = {rate.pk: {"numerator": numerator, "denominator": denominator}, count.pk: {"number": rooms}}
    submission_save_values(submission=submission, values=values, by=by, expected_version=submission.version)
    submission_submit(submission=submission, targets=[rate, count], by=by, expected_version=submission.version)
    return submission


@pytest.fixture
def period(plan):
    """The plan's 2025 report, open, due 05/12/2025 (so a report sent now is late)."""
    return make_period(plan, year=2025, status=ReportingPeriod.Status.OPEN, due_on=datetime.date(2025, 12, 5))


def test_a_leader_reads_the_district_drills_down_prints_and_sees_an_approval(
    live_server,
    page_factory,
    period,
    district,
    commune,
    school_a,
    school_b,
    principal_a,
    principal_b,
    district_leader,
    district_officer,
):
    approved = _report(period, school_a, principal_a, numerator=13, denominator=15, rooms=0)
    submission_approve(submission=approved, by=district_officer, expected_version=approved.version)
    waiting = _report(period, school_b, principal_b, numerator=1, denominator=5, rooms=3)
    base = live_server.url

    # The leader logs in and lands on the district's dashboard.
    leader = page_factory(viewport=DESKTOP)
    log_in(leader, base, district_leader.username)
    expect(leader).to_have_url(f"{base}{reverse('dashboards:unit', args=[district.pk])}")
    leader.goto(f"{base}{reverse('dashboards:unit', args=[district.pk])}?nam=2025")
    expect(leader.get_by_role("heading", name=district.name)).to_be_visible()
    expect(leader.locator("[data-as-of]")).to_contain_text("Số liệu đến")
    rate_row = leader.locator("tr[data-target]").first
    expect(rate_row).to_contain_text("86,67\u00a0% (13/15)")
    expect(rate_row.locator("svg.chart-trend")).to_be_visible()  # the trend chart, drawn by the server
    ranking = leader.locator("#xep-hang")
    expect(ranking.locator("svg.chart-bars")).to_be_visible()
    expect(ranking.locator("table.ranking")).to_contain_text(commune.name)
    screenshot(leader, "dashboard-01-district-desktop")

    # Print: the header, the forms and the buttons go; the figures and charts stay.
    leader.emulate_media(media="print")
    expect(leader.locator("header.topbar")).to_be_hidden()
    expect(leader.locator("form.dash-controls").first).to_be_hidden()
    expect(rate_row.locator("svg.chart-trend")).to_be_visible()
    assert len(leader.pdf(format="A4")) > 10_000
    leader.emulate_media(media="screen")

    # Drill down: the commune from the ranking, then a school from the commune's ranking.
    ranking.get_by_role("link", name=commune.name).first.click()
    expect(leader.get_by_role("heading", name=commune.name)).to_be_visible()
    expect(leader.locator("#xep-hang table.ranking")).to_contain_text(school_a.name)
    screenshot(leader, "dashboard-02-commune-desktop")
    leader.locator("#xep-hang table.ranking").get_by_role("link", name=school_a.name).click()
    expect(leader.get_by_role("heading", name=school_a.name)).to_be_visible()
    expect(leader.locator("tr[data-target]").first).to_contain_text("13/15")
    screenshot(leader, "dashboard-03-school-desktop")

    # The office approves school B in its own browser; the leader reloads the district page.
    leader.goto(f"{base}{reverse('dashboards:unit', args=[district.pk])}?nam=2025")
    expect(leader.locator("tr[data-target]").first).to_contain_text("(13/15)")
    office = page_factory(viewport=DESKTOP)
    log_in(office, base, district_officer.username)
    office.goto(f"{base}{reverse('review:submission_detail', args=[waiting.pk])}")
    office.get_by_text("Duyệt báo cáo…").click()  # the confirmation step opens
    office.get_by_role("button", name="Duyệt", exact=True).click()
    office.wait_for_load_state()
    assert Submission.objects.get(pk=waiting.pk).status == Submission.Status.APPROVED
    leader.reload()
    # 13/15 + 1/5 = 14/20 = 70 %: numerators and denominators added, not the mean of percentages.
    expect(leader.locator("tr[data-target]").first).to_contain_text("70\u00a0% (14/20)")

    # The same page on a phone: each row a card, the charts still there.
    phone = page_factory(viewport=PHONE)
    log_in(phone, base, district_leader.username)
    phone.goto(f"{base}{reverse('dashboards:unit', args=[district.pk])}?nam=2025")
    expect(phone.locator("tr[data-target]").first.locator("svg.chart-trend")).to_be_visible()
    screenshot(phone, "dashboard-04-district-phone")
