"""The office of Chi Lăng reads its plan's "Căn cứ" (the two documents it implements), then, once the
province's plan 43/KH-UBND is on the portal, links its registered document to it from that plan's
page: the district's plan now shows the province's as its parent, the province's lists it."""

import datetime
import io

import pytest
from django.core.management import call_command

from organisations.models import Membership, OrgUnit
from plans.models import Plan
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, log_in, screenshot


def screenshot_top(page, name: str) -> None:
    """The page as it opens (the viewport only): the heading, the facts and "Căn cứ"."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
    page.locator("#can-cu").screenshot(path=str(ARTIFACTS / f"{name}-section.png"))


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_office_reads_the_basis_and_links_the_province_plan_when_it_arrives(
    live_server, page_factory, office_staff, viewport, name
):
    call_command("load_seed_data", stdout=io.StringIO())
    chi_lang = OrgUnit.objects.get(name="Huyện Chi Lăng", kind=OrgUnit.Kind.DISTRICT)
    Membership.objects.create(user=office_staff, unit=chi_lang, role=Membership.Role.OFFICE_STAFF)
    district_plan = Plan.objects.get(number="141/KH-UBND")
    page = page_factory(viewport=viewport)
    log_in(page, live_server.url, office_staff.username)
    page.wait_for_url(f"{live_server.url}/tong-quan/viec-can-lam/")

    page.goto(f"{live_server.url}/ke-hoach/{district_plan.pk}/")
    basis = page.locator("#can-cu")
    basis.get_by_role("heading", name="Căn cứ").wait_for()
    # Two "Thực hiện" paragraphs, kept as two paragraphs.
    assert basis.locator(".prose p").count() == 2
    documents = basis.locator("ol.parent-documents > li")
    assert documents.count() == 2
    assert "số 43/KH-UBND" in documents.nth(0).inner_text()
    assert "Ủy ban nhân dân tỉnh Lạng Sơn" in documents.nth(0).inner_text()
    assert "Ban Thường vụ Huyện ủy" in documents.nth(1).inner_text()
    assert (
        page.get_by_role("link", name="Tải văn bản").get_attribute("href") == f"/ke-hoach/{district_plan.pk}/van-ban/"
    )
    screenshot(page, f"plan-basis-{name}")
    screenshot_top(page, f"plan-basis-top-{name}")

    province_plan = Plan.objects.create(
        number="43/KH-UBND",
        title="Thực hiện Nghị quyết số 63-NQ/TU về tiếp tục đổi mới căn bản, phát triển toàn diện giáo dục và đào tạo",
        issuer=OrgUnit.objects.get(name="Tỉnh Lạng Sơn"),
        issued_on=datetime.date(2022, 2, 23),
        status=Plan.Status.ISSUED,
        period_start_year=2021,
        period_end_year=2025,
        orientation_year=2030,
    )
    page.goto(f"{live_server.url}/ke-hoach/{province_plan.pk}/")
    assert "Kế hoạch này được 1 kế hoạch khác dẫn làm căn cứ" in page.locator(".link-matches").inner_text()
    screenshot_top(page, f"plan-link-proposal-{name}")
    page.get_by_role("button", name="Liên kết với kế hoạch này").click()
    page.locator(".messages").get_by_text("Đã liên kết văn bản căn cứ số 43/KH-UBND").wait_for()
    assert page.locator(".link-matches").count() == 0
    assert page.locator("#can-cu ul.children").get_by_role("link").count() == 1

    page.goto(f"{live_server.url}/ke-hoach/{district_plan.pk}/")
    page.locator("#can-cu").get_by_role("link", name="Xem kế hoạch trên cổng").wait_for()
    district_plan.refresh_from_db()
    assert district_plan.parent == province_plan
    screenshot_top(page, f"plan-basis-linked-{name}")

    # The admin's "Căn cứ" table on the same plan, with the link chosen.
    page.goto(f"{live_server.url}/quan-tri/plans/plan/{district_plan.pk}/change/")
    table = page.locator("#parent_documents-group")
    assert "43/KH-UBND" in table.inner_text()
    table.screenshot(path=str(ARTIFACTS / f"admin-plan-basis-{name}.png"))
