"""The admin plan page in Chromium, on a seed plan with 30+ targets: nothing scrolls sideways at
1,366 px (nor at 1,024 px), and a value's reading appears as it is typed."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from indicators.models import Indicator
from organisations.models import Membership, OrgUnit
from plans.models import Plan
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, log_in, screenshot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _vinh_bao_plan(office_staff) -> Plan:
    call_command("load_seed_data", stdout=io.StringIO())
    vinh_bao = OrgUnit.objects.get(name="Huyện Vĩnh Bảo", kind=OrgUnit.Kind.DISTRICT)
    Membership.objects.create(user=office_staff, unit=vinh_bao, role=Membership.Role.OFFICE_STAFF)
    plan = Plan.objects.filter(issuer=vinh_bao).order_by("-period_start_year").first()
    assert plan.targets.count() >= 30
    return plan


def test_the_plan_page_fits_the_screen_and_reads_values_as_typed(live_server, page_factory, office_staff):
    plan = _vinh_bao_plan(office_staff)
    page = page_factory(viewport=DESKTOP)
    log_in(page, live_server.url, office_staff.username)
    page.wait_for_url(f"{live_server.url}/tong-quan/viec-can-lam/")
    page.goto(f"{live_server.url}/quan-tri/plans/plan/{plan.pk}/change/")
    page.locator("#targets-0").wait_for()

    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "admin-plan-page-1366")
    _views(page, "1366")

    # Type a milestone: its reading appears beside it, from the server's parser.
    first = page.locator("#targets-0")
    cell = first.locator("input.js-value-wording").last
    cell.fill("Trên 97,5%")
    reading = first.locator(".value-cell").last.locator("output.reading")
    reading.filter(has_text="97,5").wait_for()
    assert reading.inner_text().startswith(">")
    cell.fill("khoảng chừng")
    reading.filter(has_text="⚠").wait_for()
    # A count typed for a percentage: the indicator's check speaks as well.
    cell.fill("06 trường")
    reading.filter(has_text="không phải dạng giá trị").wait_for()
    # Another indicator chosen (as the autocomplete does it): the row's cells are read against it.
    count = Indicator.objects.filter(unit="count").first()
    page.evaluate(
        """([pk, label]) => {
            const select = document.querySelector("#targets-0 select[name$='-indicator']");
            select.add(new Option(label, pk, true, true));
            django.jQuery(select).trigger("change");
        }""",
        [str(count.pk), count.name],
    )
    expect(reading).not_to_contain_text("không phải dạng giá trị")
    expect(reading).to_contain_text("6 trường")

    # A row added on the page (Django's inline script) reads its values too; "Thêm" opens its details.
    blocks = page.locator("#targets-group .target-block:not(.empty-form)")
    before = blocks.count()
    page.locator("#targets-group .add-row a").click()
    assert blocks.count() == before + 1
    added = blocks.last
    added.locator("input.js-value-wording").first.fill("13/15 trường")
    added.locator("output.reading").first.filter(has_text="13/15").wait_for()
    added.locator("summary").click()
    assert added.locator("input[name$='-section']").is_visible()
    added.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-plan-added-row-1366.png"))

    page.set_viewport_size({"width": 1024, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    screenshot(page, "admin-plan-page-1024")
    _views(page, "1024")

    # On a phone the page itself does not scroll sideways (a table may, inside itself).
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "admin-plan-page-390")
    _views(page, "390")


def _views(page, width: str) -> None:
    """Screen-sized views of the target blocks, the tasks and the budget, for a person to look at."""
    for name, selector in [("targets", "#targets-group"), ("tasks", "#tasks-group"), ("budget", "#budget_lines-group")]:
        page.locator(selector).scroll_into_view_if_needed()
        page.evaluate(f"document.querySelector('{selector}').scrollIntoView()")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"admin-plan-{name}-{width}.png"))


def test_the_read_only_plan_page_fits_the_screen_too(live_server, page_factory, office_staff):
    """A commune's officer reads the district's plan: the stock table, within the page."""
    plan = _vinh_bao_plan(office_staff)
    commune = OrgUnit.objects.create(name="Xã Đọc Thử", kind=OrgUnit.Kind.COMMUNE, parent=plan.issuer)
    reader = make_user("canbo.xa.doc", unit=commune, role=Membership.Role.OFFICE_STAFF, staff=True)
    page = page_factory(viewport=DESKTOP)
    log_in(page, live_server.url, reader.username)
    page.wait_for_url(f"{live_server.url}/tong-quan/viec-can-lam/")
    page.goto(f"{live_server.url}/quan-tri/plans/plan/{plan.pk}/change/")
    page.locator("#targets-group").wait_for()
    assert page.locator("#targets-group input.js-value-wording").count() == 0  # nothing to type in
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.evaluate("document.querySelector('#targets-group').scrollIntoView()")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-plan-read-only-1366.png"))
