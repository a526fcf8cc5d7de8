"""Who has reported and what waits for the office: the completeness block of a unit's dashboard
and the office's work page. Reads only; counts are made in SQL (no object per school)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q
from django.utils import timezone

from assignments.selectors import plan_tasks_by_urgency
from organisations.models import OrgUnit
from plans.models import Plan, Target
from results.models import ReportingPeriod, Submission
from results.questions import ALL_LEVEL_CODES, indicator_level_codes, is_unit_fact
from results.selectors import period_schools

# --- reporting completeness ------------------------------------------------------------------


@dataclass
class Completeness:
    period: ReportingPeriod
    expected: int
    submitted: int
    approved: int
    returned: int
    drafting: int
    not_started: int
    late: int
    missing: list[OrgUnit]
    missing_more: int
    is_past_due: bool

    @property
    def received(self) -> int:
        return self.submitted + self.approved


def plan_current_period(plan: Plan, year: int) -> ReportingPeriod | None:
    period = ReportingPeriod.objects.filter(plan=plan, year=year).order_by("-due_on").first()
    if period is not None:
        period.plan = plan  # already loaded, with its issuer
    return period


def period_completeness(
    *, period: ReportingPeriod, unit: OrgUnit | None, targets: list[Target], limit: int = 20
) -> Completeness:
    """Who has reported in `period` under `unit`: counts by status, how many late, and the first
    `limit` schools still missing (not sent, or returned), in tree order. Two queries: the
    schools asked are those of the levels `targets` ask (results.questions), open in the period."""
    codes: set[str] = set()
    for target in targets:
        if not is_unit_fact(target.indicator):
            codes |= indicator_level_codes(target.indicator)
    scope = unit.path if unit is not None else period.plan.issuer.path
    if not scope.startswith(period.plan.issuer.path):
        scope = period.plan.issuer.path
    teaches = OrgUnit.levels.through.objects.filter(orgunit=OuterRef("pk"), schoollevel__code__in=codes)
    level_filter = Q() if codes >= ALL_LEVEL_CODES else Q(Exists(teaches))
    # Each school asked joined to its one report of this period (if any) in the ON clause: one
    # pass over the schools, never every school joined to every report it ever sent.
    asked = (
        OrgUnit.objects.schools()
        .under(scope)
        .open_on(period.starts_on)
        .filter(level_filter)
        .annotate(report=FilteredRelation("submissions", condition=Q(submissions__period=period)))
    )
    counts = asked.aggregate(
        expected=Count("pk"),
        submitted=Count("pk", filter=Q(report__status=Submission.Status.SUBMITTED)),
        approved=Count("pk", filter=Q(report__status=Submission.Status.APPROVED)),
        returned=Count("pk", filter=Q(report__status=Submission.Status.RETURNED)),
        drafting=Count("pk", filter=Q(report__status=Submission.Status.DRAFT)),
        late_sent=Count("pk", filter=Q(report__submitted_at__date__gt=period.due_on)),
    )
    not_sent = Q(report__status__isnull=True) | Q(
        report__status__in=[Submission.Status.DRAFT, Submission.Status.RETURNED]
    )
    missing = list(asked.filter(not_sent).order_by("path")[: limit + 1])

    expected = counts["expected"]
    started = counts["submitted"] + counts["approved"] + counts["returned"] + counts["drafting"]
    past_due = timezone.localdate() > period.due_on
    not_received = expected - counts["submitted"] - counts["approved"]
    return Completeness(
        period=period,
        expected=expected,
        submitted=counts["submitted"],
        approved=counts["approved"],
        returned=counts["returned"],
        drafting=counts["drafting"],
        not_started=max(expected - started, 0),
        late=counts["late_sent"] + (not_received if past_due else 0),
        missing=missing[:limit],
        missing_more=max(not_received - limit, 0),
        is_past_due=past_due,
    )


# --- the office's work page ------------------------------------------------------------------


@dataclass
class WorkList:
    waiting_review: list[Submission]
    waiting_review_count: int
    late_periods: list[tuple[ReportingPeriod, int]]  # open periods past their due date, schools not sent
    overdue_tasks: list  # assignments.selectors.TaskRow, the longest overdue first
    overdue_tasks_count: int
    flagged_plans: list[tuple[Plan, int]]  # plans with values to re-check, and how many


def office_work(*, managed_units, managed_plans, today: datetime.date, limit: int = 20) -> WorkList:
    """What is waiting for the office: reports to review, schools late, tasks overdue, values to
    re-check. A fixed number of queries (one per open late period for its count)."""
    waiting = Submission.objects.filter(
        status=Submission.Status.SUBMITTED, school__in=managed_units, period__plan__in=managed_plans
    ).select_related("school", "period")
    waiting_list = list(waiting.order_by("submitted_at")[:limit])
    late = []
    for period in ReportingPeriod.objects.filter(
        plan__in=managed_plans, status=ReportingPeriod.Status.OPEN, due_on__lt=today
    ).select_related("plan__issuer"):
        received = Submission.objects.filter(
            period=period, status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED]
        ).values("school_id")
        missing = OrgUnit.objects.filter(pk__in=period_schools(period).values("pk")).exclude(pk__in=received).count()
        if missing:
            late.append((period, missing))
    # The same reading of "overdue" as the tasks tab (recurring tasks included): three queries a plan.
    overdue = [
        row
        for plan in managed_plans.filter(tasks__isnull=False).select_related("issuer").distinct()
        for row in plan_tasks_by_urgency(plan=plan, today=today)
        if row.is_overdue
    ]
    overdue.sort(key=lambda row: (row.due or today, row.task.plan_id, row.task.order))
    flagged = (
        Plan.objects.filter(pk__in=managed_plans.values("pk"))
        .annotate(flagged=Count("targets__values", filter=~Q(targets__values__flag="")))
        .filter(flagged__gt=0)
        .order_by("-flagged")
    )
    return WorkList(
        waiting_review=waiting_list,
        waiting_review_count=waiting.count(),
        late_periods=late,
        overdue_tasks=overdue[:limit],
        overdue_tasks_count=len(overdue),
        flagged_plans=[(plan, plan.flagged) for plan in flagged],
    )
