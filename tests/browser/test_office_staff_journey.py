import io

import pytest
from django.core.management import call_command

from organisations.models import Membership, OrgUnit
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_office_staff_opens_vinh_bao_plan_and_sees_targets_by_level(
    live_server, page_factory, office_staff, viewport, name
):
    call_command("load_seed_data", stdout=io.StringIO())
    vinh_bao = OrgUnit.objects.get(name="Huyện Vĩnh Bảo", kind=OrgUnit.Kind.DISTRICT)
    Membership.objects.create(user=office_staff, unit=vinh_bao, role=Membership.Role.OFFICE_STAFF)
    page = page_factory(viewport=viewport)
    log_in(page, live_server.url, office_staff.username)
    # Office staff land on their work page; the plans are one link away in the header.
    page.wait_for_url(f"{live_server.url}/tong-quan/viec-can-lam/")
    screenshot(page, f"work-page-{name}")
    page.goto(f"{live_server.url}/ke-hoach/")
    screenshot(page, f"plan-list-{name}")

    page.get_by_role("link", name="Tiếp tục triển khai Nghị quyết số 05-NQ/HU").click()
    page.get_by_role("heading", name="Chỉ tiêu theo cấp học").wait_for()
    for level in ["Mầm non", "Tiểu học", "Trung học cơ sở", "Trung học phổ thông"]:
        assert page.get_by_role("heading", name=level, exact=True).is_visible()
    preschool = page.locator("table.targets[data-level=PRESCHOOL]")
    first_row = preschool.locator("tbody tr").first
    assert "Tỷ lệ huy động trẻ trong độ tuổi" in first_row.inner_text()
    assert "79,3\xa0%" in first_row.inner_text()
    assert "86\xa0%" in first_row.inner_text()
    assert preschool.locator("tbody tr").count() == 13
    screenshot(page, f"plan-detail-{name}")
