"""The indicator catalogue rule (indicators/permissions.py): an indicator that a plan issued outside
the editor's own units uses is changed or deleted only by a superuser, or by a province's office
when every such plan is in its province; a district or commune office never."""

from __future__ import annotations

from html import unescape

import pytest

from indicators.models import Indicator
from indicators.services import indicator_get_or_create
from organisations.models import Membership
from plans.models import Plan, Target
from tests.admin.admin_helpers import form_data, url
from tests.conftest import make_user

WHY = "Chỉ số này đang được dùng trong kế hoạch của Huyện Bên Cạnh"


def use_in_plan(indicator: Indicator, issuer, number: str) -> None:
    plan = Plan.objects.create(
        number=number, title=f"Kế hoạch {issuer.name}", issuer=issuer, period_start_year=2024, period_end_year=2025
    )
    Target.objects.create(plan=plan, indicator=indicator, order=1, wording=indicator.name)


@pytest.fixture
def shared(plan, other_district) -> Indicator:
    """ "Tỷ lệ huy động trẻ": used by the district's plan and by the other district's."""
    indicator = plan.targets.get(order=1).indicator
    use_in_plan(indicator, other_district, "7/KH-UBND")
    return indicator


@pytest.fixture
def province_officer(province):
    return make_user("canbo.so", unit=province, role=Membership.Role.OFFICE_STAFF)


def post_change(client, indicator: Indicator, **changes):
    data = form_data(client.get(url(Indicator, "change", indicator.pk))) if not changes.pop("forged", False) else {}
    data = data or {
        "name": indicator.name,
        "level": indicator.level_id or "",
        "unit": indicator.unit,
        "code": indicator.code,
        "direction": indicator.direction,
        "aggregation": indicator.aggregation,
        "is_active": "on",
    }
    return client.post(url(Indicator, "change", indicator.pk), data | changes)


@pytest.mark.django_db
def test_a_district_office_cannot_change_or_delete_an_indicator_another_units_plan_uses(
    client, district_officer, shared
):
    client.force_login(district_officer)
    response = client.get(url(Indicator, "change", shared.pk))
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert WHY in html and "chỉ quản trị viên hệ thống" in html
    assert 'name="name"' not in html  # read-only
    assert url(Indicator, "delete", shared.pk) not in html
    # A forged POST is refused and changes nothing.
    assert post_change(client, shared, forged=True, name="Tên đã sửa").status_code == 403
    assert client.get(url(Indicator, "delete", shared.pk)).status_code == 403
    assert client.post(url(Indicator, "delete", shared.pk), {"post": "yes"}).status_code == 403
    response = client.post(
        url(Indicator, "changelist"), {"action": "delete_selected", "_selected_action": [shared.pk], "post": "yes"}
    )
    shared.refresh_from_db()
    assert shared.name == "Tỷ lệ huy động trẻ"


@pytest.mark.django_db
def test_a_commune_office_cannot_change_an_indicator_of_the_districts_plan(client, commune_officer, plan):
    indicator = plan.targets.get(order=1).indicator
    client.force_login(commune_officer)
    html = unescape(client.get(url(Indicator, "change", indicator.pk)).content.decode())
    assert "Chỉ số này đang được dùng trong kế hoạch của Huyện Thử Nghiệm" in html
    assert post_change(client, indicator, forged=True, name="Tên đã sửa").status_code == 403


@pytest.mark.django_db
def test_a_district_office_changes_an_indicator_only_its_own_plan_uses(client, district_officer, plan):
    indicator = plan.targets.get(order=1).indicator
    client.force_login(district_officer)
    response = post_change(client, indicator, description="Theo hướng dẫn của Sở")
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.description == "Theo hướng dẫn của Sở"


@pytest.mark.django_db
def test_a_district_office_adds_an_indicator_changes_it_and_deletes_it_while_unused(client, district_officer, district):
    client.force_login(district_officer)
    data = {
        "name": "Số phòng học thông minh",
        "unit": "count",
        "direction": "higher",
        "aggregation": "sum",
        "is_active": "on",
    }
    assert client.post(url(Indicator, "add"), data).status_code == 302
    indicator = Indicator.objects.get(name="Số phòng học thông minh")
    assert indicator.created_by_unit == district
    assert post_change(client, indicator, noun="phòng").status_code == 302
    indicator.refresh_from_db()
    assert indicator.noun == "phòng"
    assert client.post(url(Indicator, "delete", indicator.pk), {"post": "yes"}).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


@pytest.mark.django_db
def test_the_province_office_and_the_superuser_change_an_indicator_used_across_its_districts(
    client, province_officer, superuser, shared
):
    for editor, description in ((province_officer, "Sở thống nhất cách tính"), (superuser, "Quản trị viên sửa")):
        client.force_login(editor)
        html = client.get(url(Indicator, "change", shared.pk)).content.decode()
        assert WHY not in unescape(html) and 'name="name"' in html
        assert post_change(client, shared, description=description).status_code == 302
        shared.refresh_from_db()
        assert shared.description == description


@pytest.mark.django_db
def test_a_province_office_cannot_change_an_indicator_another_provinces_plan_uses(client, province_officer, shared):
    from organisations.models import OrgUnit

    elsewhere = OrgUnit.objects.create(name="Tỉnh Khác", kind=OrgUnit.Kind.PROVINCE)
    use_in_plan(shared, elsewhere, "3/KH-UBND")
    client.force_login(province_officer)
    html = unescape(client.get(url(Indicator, "change", shared.pk)).content.decode())
    assert "Chỉ số này đang được dùng trong kế hoạch của Tỉnh Khác" in html
    assert post_change(client, shared, forged=True, name="Tên đã sửa").status_code == 403


@pytest.mark.django_db
def test_an_import_row_for_a_protected_indicator_is_refused(client, district_officer, shared):
    from django.core.files.uploadedfile import SimpleUploadedFile

    unused = indicator_get_or_create(name="Số lớp học", level="PRESCHOOL", unit="count")
    client.force_login(district_officer)
    header = "Mã chỉ số,Tên chỉ số,Cấp học (mã),Đơn vị tính,Cách tổng hợp\n"
    rows = f"{shared.code},Tên mới,PRESCHOOL,Tỷ lệ tử số/mẫu số,Tổng tử số / tổng mẫu số\n"
    rows += f"{unused.code},Số lớp học mới,PRESCHOOL,Số lượng,Cộng tổng\n"
    upload = SimpleUploadedFile("chi-so.csv", (header + rows).encode("utf-8"), content_type="text/csv")
    response = client.post(url(Indicator, "import"), {"import_file": upload, "format": "1", "resource": "0"})
    html = unescape(response.content.decode())
    assert WHY in html, html[:4000]
    shared.refresh_from_db()
    assert shared.name == "Tỷ lệ huy động trẻ"
