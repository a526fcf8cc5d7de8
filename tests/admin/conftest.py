"""The admin tests' world: one instance of every registered model in the conftest's district
(`world`), and a copy of the plan data in the other district (`elsewhere`), so that every scoped
screen can be checked both ways."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assignments.models import ProgressNote, Task, TaskParticipant
from assignments.services import task_create
from indicators.models import Indicator
from indicators.services import indicator_get_or_create
from organisations.models import OrgUnit, SchoolLevel
from organisations.services import office_staff_group_ensure, school_levels_ensure
from plans.models import BudgetLine, FundingSource, Plan, Target, TargetValue
from plans.services import target_set_values
from results.models import ReportingPeriod, ResultValue, Submission, SubmissionEvent
from results.services import (
    submission_get_or_create,
    submission_return,
    submission_save_values,
    submission_submit,
)

# What each registered model is, for the people who use the admin (tests/admin/test_scope.py):
SCOPED = "scoped"  # rows under the person's units; the district's row is out of the other district's reach
SHARED = "shared"  # catalogues every office reads and edits
FIXED = "fixed"  # read-only for everyone
ACCOUNTS = "accounts"  # superusers only
READ_ONLY = "read_only"  # scoped, and shown only: written on results' own pages
CATEGORY = {
    "organisations.SchoolLevel": FIXED,
    "organisations.OrgUnit": SCOPED,
    "indicators.Indicator": SHARED,
    "plans.FundingSource": SHARED,
    "plans.Plan": SCOPED,
    "plans.Target": SCOPED,
    "plans.TargetValue": SCOPED,
    "plans.BudgetLine": SCOPED,
    "assignments.Task": SCOPED,
    "assignments.TaskParticipant": SCOPED,
    "assignments.ProgressNote": SCOPED,
    "results.ReportingPeriod": SCOPED,
    "results.Submission": READ_ONLY,
    "results.ResultValue": READ_ONLY,
    "results.SubmissionEvent": READ_ONLY,
    "auth.User": ACCOUNTS,
    "auth.Group": ACCOUNTS,
}


def open_period(plan: Plan) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        plan=plan,
        kind=ReportingPeriod.Kind.CALENDAR_YEAR,
        label="Năm 2025",
        year=2025,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        opens_on=datetime.date(2025, 11, 1),
        due_on=datetime.date(2099, 12, 5),
        due_wording="trước ngày 05/12",
        status=ReportingPeriod.Status.OPEN,
    )


def returned_report(period: ReportingPeriod, school: OrgUnit, *, by) -> Submission:
    """A report with a value per target, sent and returned once (values, history and events)."""
    values = {
        t.pk: {"numerator": 80, "denominator": 100} if t.indicator.unit == "ratio" else {"number": 5}
        for t in period.plan.targets.select_related("indicator")
    }
    submission = submission_get_or_create(period=period, school=school)
    submission_save_values(submission=submission, values=values, by=by, expected_version=None)
    submission_submit(submission=submission, targets=list(period.plan.targets.all()), by=by, expected_version=None)
    submission_return(submission=submission, by=by, comment="Kiểm tra lại số liệu.", expected_version=None)
    return submission


def plan_parts(plan: Plan, *, school: OrgUnit, lead: OrgUnit, by) -> dict:
    """One row of each plan-data model for `plan` (which has the conftest's targets and lines)."""
    source, _ = FundingSource.objects.get_or_create(name="Ngân sách huyện")
    line = plan.budget_lines.order_by("order").last()
    line.funding_sources.add(source)
    task = task_create(
        plan=plan,
        content="Rà soát mạng lưới trường lớp",
        row_number="1",
        lead_wording="Phòng GD&ĐT",
        timing_wording="Tháng 10 năm 2024",
        leads=[lead],
        coordinators=["Các đoàn thể"],
    )
    note = ProgressNote.objects.create(
        task=task, noted_on=datetime.date(2024, 10, 5), text="Đã rà soát 12/15 trường", author=by
    )
    period = open_period(plan)
    submission = returned_report(period, school, by=by)
    return {
        OrgUnit: school,
        Plan: plan,
        Target: plan.targets.order_by("order").first(),
        TargetValue: TargetValue.objects.filter(target__plan=plan).order_by("pk").first(),
        BudgetLine: line,
        Task: task,
        TaskParticipant: task.participants.first(),
        ProgressNote: note,
        ReportingPeriod: period,
        Submission: submission,
        ResultValue: submission.values.first(),
        SubmissionEvent: submission.events.first(),
    }


@pytest.fixture
def world(superuser, plan, district, school_a):
    """One instance per registered model (keyed by model), in the district, built on the conftest plan."""
    objects = plan_parts(plan, school=school_a, lead=district, by=superuser)
    objects.update(
        {
            SchoolLevel: school_levels_ensure()["PRESCHOOL"],
            Indicator: Indicator.objects.get(name="Tỷ lệ huy động trẻ"),
            FundingSource: FundingSource.objects.get(name="Ngân sách huyện"),
            get_user_model(): superuser,
            Group: office_staff_group_ensure(),
        }
    )
    return objects


@pytest.fixture
def elsewhere(world, other_district, superuser):
    """The same plan data in the other district: a plan with two targets and values, a budget line,
    a task, a period and a school's returned report."""
    commune = OrgUnit.objects.create(name="Xã Bên Cạnh", kind=OrgUnit.Kind.COMMUNE, parent=other_district)
    school = OrgUnit.objects.create(name="Trường Mầm non C", kind=OrgUnit.Kind.SCHOOL, parent=commune, code="T-C")
    school.levels.set([school_levels_ensure()["PRESCHOOL"]])
    plan = Plan.objects.create(
        number="7/KH-UBND",
        title="Kế hoạch của huyện bên cạnh",
        issuer=other_district,
        period_start_year=2024,
        period_end_year=2025,
        orientation_year=2030,
    )
    rate = indicator_get_or_create(
        name="Tỷ lệ huy động trẻ", level="PRESCHOOL", unit="ratio", aggregation="ratio_of_sums"
    )
    target = Target.objects.create(plan=plan, indicator=rate, order=1, row_number="1", wording="Tỷ lệ huy động trẻ C")
    target_set_values(target=target, baseline=(2024, "70%"), milestones={2025: "75%"})
    BudgetLine.objects.create(plan=plan, number="1", order=1, content="Sửa chữa trường C", amount=10)
    return plan_parts(plan, school=school, lead=other_district, by=superuser)


@pytest.fixture
def province_plan(province):
    """A plan issued above the district: the district's staff read it, only the province's change it."""
    return Plan.objects.create(
        number="1/KH-UBND",
        title="Kế hoạch của thành phố",
        issuer=province,
        period_start_year=2024,
        period_end_year=2030,
    )
