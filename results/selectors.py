"""Reads of results: what a school reports in a period, last year's values, the review table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import OrgUnit
from organisations.selectors import unit_subtree
from plans.models import Target
from portal.concurrency import Change, history_changes

from .models import ReportingPeriod, ResultValue, Submission


def period_targets_for_school(period: ReportingPeriod, school: OrgUnit) -> list[Target]:
    """The plan's targets for the school's levels, in document order (cross-level targets are the
    office's to report, not a school's)."""
    level_ids = list(school.levels.values_list("pk", flat=True))
    return list(
        Target.objects.filter(plan=period.plan, indicator__level_id__in=level_ids)
        .select_related("indicator__level")
        .prefetch_related("values")
        .order_by("order", "pk")
    )


def school_last_values(school: OrgUnit, targets: list[Target], period: ReportingPeriod) -> dict[int, ResultValue]:
    """Target id → the school's latest approved value for the same indicator in an earlier period."""
    by_indicator = {t.indicator_id: t.pk for t in targets}
    rows = (
        ResultValue.objects.filter(
            submission__school=school,
            submission__status=Submission.Status.APPROVED,
            submission__period__year__lt=period.year,
            target__indicator_id__in=list(by_indicator),
        )
        .select_related("target")
        .order_by("submission__period__year", "submission__period__due_on")
    )
    last: dict[int, ResultValue] = {}
    for value in rows:  # later periods overwrite earlier ones
        last[by_indicator[value.target.indicator_id]] = value
    return last


def period_schools(period: ReportingPeriod) -> QuerySet[OrgUnit]:
    """Schools under the plan's issuer that teach a level the plan has targets for and were open
    during the period (a school closed before it, or opened after it, does not report)."""
    level_ids = Target.objects.filter(plan=period.plan, indicator__level__isnull=False).values("indicator__level")
    return (
        unit_subtree(period.plan.issuer)
        .schools()
        .filter(levels__in=level_ids)
        .open_on(period.starts_on)
        .distinct()
        .order_by("path")
    )


@dataclass
class ReviewRow:
    school: OrgUnit
    submission: Submission | None

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else "not_started"

    @property
    def is_late(self) -> bool:
        if self.submission is not None:
            return self.submission.is_late
        return False


def period_review_rows(period: ReportingPeriod) -> list[ReviewRow]:
    """Every school of the period with its submission (None: not started), in tree order. Two queries."""
    submissions = {
        s.school_id: s for s in Submission.objects.filter(period=period).select_related("submitted_by", "reviewed_by")
    }
    return [ReviewRow(school=school, submission=submissions.get(school.pk)) for school in period_schools(period)]


def period_not_submitted(period: ReportingPeriod) -> list[ReviewRow]:
    """Schools that have not sent their report (not started, drafting, or returned to them)."""
    waiting = {"not_started", Submission.Status.DRAFT, Submission.Status.RETURNED}
    return [row for row in period_review_rows(period) if row.status in waiting]


def row_is_overdue(row: ReviewRow, period: ReportingPeriod) -> bool:
    """Not yet submitted and the due date has passed, or submitted after it."""
    if row.submission and row.submission.submitted_at:
        return row.submission.is_late
    return period.is_overdue_on(timezone.localdate())


SUBMISSION_HISTORY_FIELDS = ["status", "review_comment"]
VALUE_HISTORY_FIELDS = [
    "number",
    "numerator",
    "denominator",
    "stage",
    "boolean",
    "note",
    "evidence",
    "confirmed_unusual",
]


def submission_history(submission: Submission, *, since: datetime | None = None) -> list[Change]:
    """Who changed what in the report and its values (old → new, labels not codes), oldest first;
    only after `since` when given (a conflict's "what changed"). Four queries."""
    value_records = ResultValue.history.filter(submission_id=submission.pk)
    wording = dict(Target.objects.filter(pk__in=value_records.values("target_id")).values_list("pk", "wording"))
    changes = history_changes(
        submission.history.all(), since=since, fields=SUBMISSION_HISTORY_FIELDS, label_of=lambda record: _("Báo cáo")
    )
    changes += history_changes(
        value_records,
        since=since,
        fields=VALUE_HISTORY_FIELDS,
        label_of=lambda record: wording.get(record.target_id, ""),
    )
    return sorted(changes, key=lambda change: change.at)
