"""The cast and the small world every test builds on.

Tests build their own data with these helpers; only the fixture-completeness tests and the
browser journeys load fixtures/ (call_command("load_seed_data")).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from indicators.services import indicator_get_or_create
from organisations.models import Membership, OrgUnit
from organisations.services import office_staff_group_ensure, school_levels_ensure
from plans.models import BudgetLine, Plan, Target
from plans.services import target_set_values

PASSWORD = "test-pass-123"


@pytest.fixture(autouse=True)
def _default_language():
    """A test that switches to English must not leave later tests in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)


@pytest.fixture
def province(db):
    return OrgUnit.objects.create(name="Thành phố Thử Nghiệm", kind=OrgUnit.Kind.PROVINCE)


@pytest.fixture
def district(province):
    return OrgUnit.objects.create(name="Huyện Thử Nghiệm", kind=OrgUnit.Kind.DISTRICT, parent=province)


@pytest.fixture
def commune(district):
    return OrgUnit.objects.create(name="Xã Thử Nghiệm", kind=OrgUnit.Kind.COMMUNE, parent=district)


@pytest.fixture
def school_a(commune):
    school = OrgUnit.objects.create(
        name="Trường Mầm non A", kind=OrgUnit.Kind.SCHOOL, parent=commune, code="T-A", ownership="public"
    )
    school.levels.set([school_levels_ensure()["PRESCHOOL"]])
    return school


def make_user(username: str, *, unit: OrgUnit | None = None, role: str | None = None, staff: bool = False):
    """A user with one membership; office staff also get staff status and the office group."""
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=staff, first_name=username)
    if staff:
        user.groups.add(office_staff_group_ensure())
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def school_b(commune):
    school = OrgUnit.objects.create(
        name="Trường Mầm non B", kind=OrgUnit.Kind.SCHOOL, parent=commune, code="T-B", ownership="public"
    )
    school.levels.set([school_levels_ensure()["PRESCHOOL"]])
    return school


@pytest.fixture
def other_district(province):
    return OrgUnit.objects.create(name="Huyện Bên Cạnh", kind=OrgUnit.Kind.DISTRICT, parent=province)


@pytest.fixture
def district_officer(district):
    """Education office staff of the district: manages everything under it."""
    return make_user("canbo", unit=district, role=Membership.Role.OFFICE_STAFF, staff=True)


@pytest.fixture
def office_staff(district_officer):
    return district_officer


@pytest.fixture
def commune_officer(commune):
    return make_user("canbo.xa", unit=commune, role=Membership.Role.OFFICE_STAFF, staff=True)


@pytest.fixture
def other_district_officer(other_district):
    return make_user("canbo.huyenkhac", unit=other_district, role=Membership.Role.OFFICE_STAFF, staff=True)


@pytest.fixture
def district_leader(district):
    """Reads everything under the district, changes nothing."""
    return make_user("lanhdao", unit=district, role=Membership.Role.LEADER)


@pytest.fixture
def principal_a(school_a):
    return make_user("hieutruong.a", unit=school_a, role=Membership.Role.PRINCIPAL)


@pytest.fixture
def principal_b(school_b):
    return make_user("hieutruong.b", unit=school_b, role=Membership.Role.PRINCIPAL)


@pytest.fixture
def plan(district):
    """A small district plan: two preschool targets, one budget section with two lines."""
    plan = Plan.objects.create(
        number="12/KH-UBND",
        title="Kế hoạch phát triển giáo dục thử nghiệm",
        issuer=district,
        period_start_year=2024,
        period_end_year=2025,
        orientation_year=2030,
        budget_stated_total=300,
    )
    rate = indicator_get_or_create(
        name="Tỷ lệ huy động trẻ", level="PRESCHOOL", unit="ratio", aggregation="ratio_of_sums"
    )
    count = indicator_get_or_create(name="Số trường đạt chuẩn", level="PRESCHOOL", unit="count", noun="trường")
    for order, (indicator, baseline, goals) in enumerate(
        [(rate, "79,3%", {2025: "78%", 2030: "86%"}), (count, "06 trường", {2025: "05 trường", 2030: "???"})], start=1
    ):
        target = Target.objects.create(
            plan=plan, indicator=indicator, order=order, row_number=str(order), wording=indicator.name
        )
        target_set_values(target=target, baseline=(2024, baseline), milestones=goals)
    BudgetLine.objects.create(plan=plan, number="1", order=1, content="Cơ sở vật chất", amount=300)
    BudgetLine.objects.create(plan=plan, number="1.1", order=2, content="Xây phòng học", amount=200)
    BudgetLine.objects.create(plan=plan, number="1.2", order=3, content="Mua thiết bị", amount=150)
    return plan
