"""A document whose first column is "Chỉ tiêu năm …" (Plan.baseline_label): that column is the
target of its own year, for the principal's form, the review page and the dashboards alike."""

from __future__ import annotations

import pytest

from plans.models import Plan
from plans.selectors import target_next_milestone


def _goal(plan, year):
    target = plan.targets.prefetch_related("values").get(order=1)
    goal = target_next_milestone(target, year)
    return (goal.role, goal.year, goal.wording) if goal else None


@pytest.mark.django_db
def test_a_first_column_headed_hien_trang_is_no_target(plan):
    assert _goal(plan, 2024) == ("milestone", 2025, "78%")


@pytest.mark.django_db
def test_a_first_column_headed_chi_tieu_is_the_target_of_its_year(plan):
    plan.baseline_label = Plan.BaselineLabel.TARGET
    plan.save()
    assert _goal(plan, 2024) == ("baseline", 2024, "79,3%")
    assert _goal(plan, 2025) == ("milestone", 2025, "78%")  # later years: the milestones as before
    assert _goal(plan, 2031) is None
