"""Reads of results: what a school reports in a period, last year's values, the review table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from organisations.models import OrgUnit
from organisations.selectors import unit_subtree
from plans.models import Target
from portal.concurrency import Change, history_changes

from .models import ReportingPeriod, ResultValue, Submission
from .questions import indicator_level_codes, is_unit_fact, school_answers


def period_targets_for_school(period: ReportingPeriod, school: OrgUnit) -> list[Target]:
    """What `school` is asked in this period, in document order (results.questions): the plan's
    targets of the school's levels and the cross-level ones that include them; for the plan's own
    issuing unit, its unit-level facts. One question per indicator: a second target of the same
    indicator, or an indicator the unit already answered this year in another period (another
    plan's), is not asked again (see `period_answered_elsewhere`)."""
    targets = (
        Target.objects.filter(plan=period.plan)
        .select_related("indicator__level")
        .prefetch_related("values", "indicator__levels")
        .order_by("order", "pk")
    )
    if school.kind == OrgUnit.Kind.SCHOOL:
        codes = set(school.levels.values_list("code", flat=True))
        asked = [t for t in targets if school_answers(t.indicator, codes)]
    elif school.pk == period.plan.issuer_id:
        asked = [t for t in targets if is_unit_fact(t.indicator)]
    else:
        asked = []
    elsewhere = _indicators_answered_elsewhere(period, school)
    seen: set[int] = set()
    result = []
    for target in asked:
        if target.indicator_id not in seen and target.indicator_id not in elsewhere:
            seen.add(target.indicator_id)
            result.append(target)
    return result


def _indicators_answered_elsewhere(period: ReportingPeriod, unit: OrgUnit) -> set[int]:
    return set(
        ResultValue.objects.filter(unit=unit, year=period.year)
        .exclude(submission__period=period)
        .values_list("indicator_id", flat=True)
    )


def period_answered_elsewhere(period: ReportingPeriod, unit: OrgUnit) -> list[ResultValue]:
    """The unit's answers for this year given in another period, for indicators this period's plan
    also targets: shown read-only on the form (one fact, many plans)."""
    indicators = Target.objects.filter(plan=period.plan).values("indicator_id")
    return list(
        ResultValue.objects.filter(unit=unit, year=period.year, indicator_id__in=indicators)
        .exclude(submission__period=period)
        .select_related("target", "submission__period")
        .order_by("target__order")
    )


def school_last_values(school: OrgUnit, targets: list[Target], period: ReportingPeriod) -> dict[int, ResultValue]:
    """Target id → the school's latest approved value for the same indicator in an earlier year
    (from whichever plan's period it was asked in), or its predecessors' before a merger."""
    by_indicator = {t.indicator_id: t.pk for t in targets}
    rows = ResultValue.objects.filter(
        unit__in=unit_with_predecessors(school),
        submission__status=Submission.Status.APPROVED,
        year__lt=period.year,
        indicator_id__in=list(by_indicator),
    ).order_by("year", "submission__period__due_on")
    last: dict[int, ResultValue] = {}
    for value in rows:  # later periods overwrite earlier ones
        last[by_indicator[value.indicator_id]] = value
    return last


def unit_with_predecessors(unit: OrgUnit) -> list[int]:
    """The unit's id and those of the units merged into it (and into those), for its history."""
    ids, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(
            OrgUnit.objects.filter(successor_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def period_schools(period: ReportingPeriod) -> QuerySet[OrgUnit]:
    """Schools under the plan's issuer asked something in this period (a level it has targets for,
    or a cross-level target that includes one of theirs) that were open during the period (a
    school closed before it, or opened after it, does not report)."""
    indicators = list(
        Indicator.objects.filter(targets__plan=period.plan)
        .exclude(aggregation=Indicator.Aggregation.NONE)
        .select_related("level")
        .prefetch_related("levels")
        .distinct()
    )
    codes: set[str] = set()
    for indicator in indicators:
        codes |= indicator_level_codes(indicator)
    return (
        unit_subtree(period.plan.issuer)
        .schools()
        .filter(levels__code__in=codes)
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
