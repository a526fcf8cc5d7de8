"""The portal under its Content-Security-Policy in Chromium: the main pages of each role (the
site's and the admin's, with its plan page, import, export, history and autocomplete) show no
violation, and what used to be inline handlers still works: the language menu, the print buttons,
the export page's "Chọn tất cả". (Every other browser test runs under the same policy:
tests/browser/conftest.py fails a test whose pages log a violation.)"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from results.models import ReportingPeriod
from results.services import submission_get_or_create
from tests.browser.conftest import DESKTOP, PHONE, csp_violations, screenshot
from tests.browser.test_results_journey import log_in
from tests.results.conftest import make_period, store_valid_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# window.print() would open a dialog; counted instead (an init script, outside the page's policy).
COUNT_PRINTS = "window.__prints = 0; window.print = () => { window.__prints += 1; };"


def shoot(page, name: str) -> None:
    """Desktop (1,280 px) and phone (390 px) screenshots, to check by eye that nothing lost its looks."""
    size = page.viewport_size
    for suffix, width in (("desktop", 1280), ("phone", PHONE["width"])):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{suffix}")
    page.set_viewport_size(size)


def visit(page, url: str):
    """Open a page and check it came with the policy."""
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy
    return response


@pytest.fixture
def reported(plan, school_a, principal_a):
    period = make_period(plan, year=2025, status=ReportingPeriod.Status.OPEN)
    return store_valid_values(submission_get_or_create(period=period, school=school_a), by=principal_a)


def test_the_leader_the_principal_and_the_office_pages_keep_to_the_policy(
    live_server, page_factory, plan, district, reported, district_leader, principal_a, district_officer, school_b
):
    base = live_server.url
    leader = page_factory(viewport=DESKTOP)
    leader.context.add_init_script(COUNT_PRINTS)
    log_in(leader, base, district_leader.username)
    visit(leader, f"{base}{reverse('dashboards:unit', args=[district.pk])}?nam=2025")
    expect(leader.locator("svg.chart-trend").first).to_be_visible()
    shoot(leader, "csp-dashboard")
    leader.get_by_role("button", name="In trang").click()
    assert leader.evaluate("window.__prints") == 1
    for name in ("dashboards:tasks", "dashboards:budget", "dashboards:checks"):
        visit(leader, f"{base}{reverse(name, args=[district.pk])}")
    visit(leader, f"{base}{reverse('plans:detail', args=[plan.pk])}")
    visit(leader, f"{base}{reverse('plans:list')}")

    # The language menu switches on its own, without a button or an inline handler.
    leader.locator("select[name=language]").select_option("en")
    expect(leader.locator("html")).to_have_attribute("lang", "en")
    expect(leader.get_by_role("link", name="Plans", exact=True)).to_be_visible()
    leader.locator("select[name=language]").select_option("vi")
    expect(leader.locator("html")).to_have_attribute("lang", "vi")

    principal = page_factory(viewport=PHONE)
    log_in(principal, base, principal_a.username)
    url = reverse("reports:edit", args=[reported.period_id, reported.school_id])
    visit(principal, f"{base}{url}")
    principal.get_by_role("button", name="Lưu nháp").click()
    expect(principal.locator(".messages")).to_be_visible()

    office = page_factory(viewport=DESKTOP)
    office.context.add_init_script(COUNT_PRINTS)
    log_in(office, base, district_officer.username)
    visit(office, f"{base}{reverse('dashboards:work')}")
    visit(office, f"{base}{reverse('review:period_list')}")
    visit(office, f"{base}{reverse('review:period_detail', args=[reported.period_id])}")
    visit(office, f"{base}{reverse('accounts:list')}")
    office.get_by_label(f"Chọn {school_b.name}").check()
    office.get_by_role("button", name="Tạo tài khoản cho các trường đã chọn").click()
    office.wait_for_url(f"{base}{reverse('accounts:sheet')}")
    office.get_by_role("button", name="In phiếu").click()
    assert office.evaluate("window.__prints") == 1
    expect(office.locator("section.sheet-slip").first).to_have_css("border-top-style", "dashed")  # its stylesheet
    shoot(office, "csp-account-sheet")


def test_the_admin_pages_keep_to_the_policy(live_server, page_factory, plan, district_officer):
    base = live_server.url
    page = page_factory(viewport=DESKTOP)
    log_in(page, base, district_officer.username)
    visit(page, f"{base}{reverse('admin:index')}")
    visit(page, f"{base}{reverse('admin:plans_plan_change', args=[plan.pk])}")
    page.locator("#targets-0").wait_for()
    cell = page.locator("#targets-0 input.js-value-wording").last
    cell.fill("Trên 97,5%")
    page.locator("#targets-0 .value-cell").last.locator("output.reading").filter(has_text="97,5").wait_for()
    shoot(page, "csp-admin-plan-page")
    visit(page, f"{base}{reverse('admin:plans_plan_history', args=[plan.pk])}")
    shoot(page, "csp-admin-plan-history")

    visit(page, f"{base}{reverse('admin:plans_target_changelist')}")
    visit(page, f"{base}{reverse('admin:results_submission_changelist')}")  # read-only: a list with no actions
    visit(page, f"{base}{reverse('admin:plans_target_import')}")
    expect(page.locator("input[type=file]")).to_be_visible()

    # The export page's "Chọn tất cả" clears and ticks every column.
    visit(page, f"{base}{reverse('admin:plans_target_export')}")
    columns = page.locator('.selectable-field-export-row input[type="checkbox"]:not(.select-toggle)')
    assert columns.count() > 2
    page.get_by_label("Chọn tất cả").uncheck()
    assert all(not box.is_checked() for box in columns.all())
    page.get_by_label("Chọn tất cả").check()
    assert all(box.is_checked() for box in columns.all())

    # An autocomplete widget (select2) opens, asks the server and lists the plan.
    visit(page, f"{base}{reverse('admin:plans_target_add')}")
    page.locator(".field-plan .select2-selection").click()
    page.locator(".select2-search__field").fill("12")
    expect(page.locator(".select2-results__option").filter(has_text="12/KH-UBND")).to_be_visible()


def test_a_violation_would_be_seen(live_server, page_factory):
    """The guard itself: an inline style added to a page is refused and reported."""
    page = page_factory(viewport=DESKTOP)
    visit(page, f"{live_server.url}{reverse('login')}")
    # Chromium's own "Applying inline style violates … Content Security Policy directive" and the
    # page's securitypolicyviolation report.
    with (
        page.expect_console_message(lambda message: "Content Security Policy violation:" in message.text),
        page.expect_console_message(lambda message: "Content Security Policy directive" in message.text),
    ):
        page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>')""")
    seen = csp_violations(page_factory.console)
    assert seen and any("style-src" in text for text in seen)
    page_factory.console.clear()  # seen on purpose: not a failure of this test
