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
from organisations.models import OrgUnit
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
def office_staff(db):
    """Education office staff: staff status and the office staff group's permissions."""
    user = get_user_model().objects.create_user("canbo", password=PASSWORD, is_staff=True, first_name="Cán bộ")
    user.groups.add(office_staff_group_ensure())
    return user


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
