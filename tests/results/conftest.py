"""Reporting periods and submissions on top of the cast in tests/conftest.py.

Used by every test in tests/results/; keep the fixture names stable (period, closed_period,
submission_a, fill_values, last_year, add_target).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from indicators.services import indicator_get_or_create
from plans.models import Target
from plans.services import target_set_values
from results.models import ReportingPeriod, Submission
from results.questions import question_for
from results.selectors import period_targets_for_school
from results.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_values,
    submission_submit,
)

# Far in the future so that nothing is overdue unless a test moves the date on purpose.
DUE = datetime.date(2099, 12, 5)


def make_period(plan, *, year: int, status: str, label: str | None = None, due_on=DUE) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        plan=plan,
        kind=ReportingPeriod.Kind.CALENDAR_YEAR,
        label=label or f"Năm {year}",
        year=year,
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        opens_on=datetime.date(year, 11, 1),
        due_on=due_on,
        due_wording="trước ngày 05/12",
        status=status,
    )


@pytest.fixture
def period(plan):
    """The plan's OPEN reporting period for calendar year 2025 (compared with the 2025 milestones)."""
    return make_period(plan, year=2025, status=ReportingPeriod.Status.OPEN)


@pytest.fixture
def closed_period(plan):
    """A CLOSED period of the same plan, calendar year 2024."""
    return make_period(plan, year=2024, status=ReportingPeriod.Status.CLOSED)


@pytest.fixture
def submission_a(period, school_a):
    """School A's draft for `period`, no values yet (version 1)."""
    return submission_get_or_create(period=period, school=school_a)


# By question (results.questions), not by the indicator's unit: a percent is asked of a school
# as its numerator and denominator.
VALID = {
    "ratio": {"numerator": 80, "denominator": 100},
    "count": {"number": Decimal(5)},
    "percent": {"number": Decimal("80.5")},
    "boolean": {"boolean": True},
    "score": {"number": Decimal("5.4"), "denominator": 30},
}


def store_valid_values(submission: Submission, *, by=None) -> Submission:
    """Store a valid value for every question of the submission's school (or unit): ratio 80/100,
    count 5, percent 80,5, score 5,4 of 30 pupils, stage: the first stage, yes/no: Đạt; bypassing
    the version check."""
    values = {}
    for target in period_targets_for_school(submission.period, submission.school):
        question = question_for(target.indicator, submission.school)
        values[target.pk] = {"stage": target.indicator.stage_list[0]} if question == "stage" else dict(VALID[question])
    submission_save_values(submission=submission, values=values, by=by, expected_version=None)
    submission.refresh_from_db()
    return submission


@pytest.fixture
def fill_values():
    """fill_values(submission, by=None): valid values for all of the school's targets."""
    return store_valid_values


def make_target(plan, *, name: str, unit: str, order: int, goal_2025: str = "", **indicator_fields) -> Target:
    indicator = indicator_get_or_create(name=name, level="PRESCHOOL", unit=unit, **indicator_fields)
    target = Target.objects.create(plan=plan, indicator=indicator, order=order, row_number=str(order), wording=name)
    target_set_values(target=target, baseline=None, milestones={2025: goal_2025} if goal_2025 else {})
    return target


@pytest.fixture
def add_target():
    """add_target(plan, name=, unit=, order=, goal_2025="", **indicator fields): a PRESCHOOL
    target of another kind on the plan (percent, stage with stages=[...], boolean ...)."""
    return make_target


@pytest.fixture
def last_year(plan, school_a, district_officer):
    """An APPROVED submission of school A for calendar year 2024 (ratio 70/100, count 3), in a
    period closed since. Returns the submission."""
    earlier = make_period(plan, year=2024, status=ReportingPeriod.Status.OPEN, label="Năm 2024 (đã duyệt)")
    submission = submission_get_or_create(period=earlier, school=school_a)
    targets = period_targets_for_school(earlier, school_a)
    values = {
        t.pk: {"numerator": 70, "denominator": 100}
        if question_for(t.indicator, school_a) == "ratio"
        else {"number": Decimal(3)}
        for t in targets
    }
    submission_save_values(submission=submission, values=values, by=None, expected_version=None)
    submission_submit(submission=submission, targets=targets, by=None, expected_version=None)
    submission_approve(submission=submission, by=district_officer, expected_version=None)
    earlier.status = ReportingPeriod.Status.CLOSED
    earlier.save(update_fields=["status"])
    return submission
