"""Reads of results: what a school reports in a period, last year's values, the review table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from indicators.models import Indicator
from organisations.models import OrgUnit
from organisations.selectors import unit_subtree
from plans.models import Target
from portal.concurrency import Change, history_changes

from .models import ReportingPeriod, ResultValue, ReviewNote, Submission, SubmissionEvent
from .questions import attach_level_codes, indicator_level_codes, is_unit_fact, school_answers


@dataclass
class AnsweredElsewhere:
    """A question of this period the unit already answered this year in another period (another
    plan's): one fact, many plans, so it is shown read-only instead of being asked again."""

    target: Target  # this period's target of the same indicator (its wording and goal)
    value: ResultValue  # the fact, with its submission and period loaded

    @property
    def period(self) -> ReportingPeriod:
        return self.value.submission.period


@dataclass
class PeriodQuestions:
    """What one unit is asked in one period (results.questions decides who answers what).

    `targets`: the inputs of this unit's form, one per indicator, in document order;
    `stored`: target id → this period's stored value for those targets;
    `elsewhere`: the plan's questions for this unit already answered in another period this year;
    `answered`: how many of all of them (here or elsewhere) have a value stored."""

    period: ReportingPeriod
    targets: list[Target]
    stored: dict[int, ResultValue]
    elsewhere: list[AnsweredElsewhere]
    answered: int

    @property
    def total(self) -> int:
        return len(self.targets) + len(self.elsewhere)


def unit_period_questions(
    periods: list[ReportingPeriod], unit: OrgUnit, *, goals: bool = True
) -> dict[int, PeriodQuestions]:
    """Period id → what `unit` is asked in it: for a school, the plan's targets of its levels and
    the cross-level ones that include one of them; for the plan's own issuing unit, its unit-level
    facts; for any other unit, nothing. A second target of an indicator already asked is not
    asked again, nor is an indicator the unit answered this year in another period.

    Five queries whatever the number of periods and targets (the principal's landing page asks
    for every open period at once), one more when the unit answered some in another period; the
    targets come with their indicator, plan and, unless `goals` is False (a save's POST, which
    redirects), their values (one query fewer then). The periods must come with plan and issuer."""
    if not periods:
        return {}
    targets_by_plan: dict[int, list[Target]] = {}
    plans = {p.plan_id: p.plan for p in periods}  # the periods come with their plan and issuer
    for target in (
        Target.objects.filter(plan_id__in=plans)
        .select_related("indicator__level")
        .prefetch_related(*(["values"] if goals else []))
        .order_by("order", "pk")
    ):
        target.plan = plans[target.plan_id]  # one plan object, not one built per target
        targets_by_plan.setdefault(target.plan_id, []).append(target)
    attach_level_codes(t.indicator for targets in targets_by_plan.values() for t in targets)
    codes = set(unit.levels.values_list("code", flat=True)) if unit.kind == OrgUnit.Kind.SCHOOL else set()
    candidates = {p.pk: _candidates(targets_by_plan.get(p.plan_id, []), unit, p, codes) for p in periods}
    indicator_ids = {t.indicator_id for targets in candidates.values() for t in targets}
    facts = {
        (v.indicator_id, v.year): v
        for v in ResultValue.objects.filter(
            unit=unit, year__in={p.year for p in periods}, indicator_id__in=indicator_ids
        ).select_related("submission", "target")
    }
    _attach_periods(facts.values(), periods)
    return {p.pk: _questions(p, candidates[p.pk], facts) for p in periods}


def _attach_periods(facts, periods: list[ReportingPeriod]) -> None:
    """Give each fact's submission its period (with plan and issuer): the ones asked about are
    already loaded; those of facts answered in another period take one more query, if any."""
    known = {p.pk: p for p in periods}
    others = {f.submission.period_id for f in facts} - known.keys()
    if others:
        known |= ReportingPeriod.objects.select_related("plan__issuer").in_bulk(others)
    for fact in facts:
        fact.submission.period = known[fact.submission.period_id]


def _candidates(targets: list[Target], unit: OrgUnit, period: ReportingPeriod, codes: set[str]) -> list[Target]:
    if unit.kind == OrgUnit.Kind.SCHOOL:
        return [t for t in targets if school_answers(t.indicator, codes)]
    if unit.pk == period.plan.issuer_id:
        return [t for t in targets if is_unit_fact(t.indicator)]
    return []


def _questions(
    period: ReportingPeriod, candidates: list[Target], facts: dict[tuple[int, int], ResultValue]
) -> PeriodQuestions:
    chosen: dict[int, Target] = {}
    for target in candidates:
        fact = facts.get((target.indicator_id, period.year))
        if target.indicator_id not in chosen:
            chosen[target.indicator_id] = target
        elif fact is not None and fact.submission.period_id == period.pk and fact.target_id == target.pk:
            # The value already stored in this period sits on this target (the plan's rows were
            # reordered since): ask it here, so that saving updates that value instead of adding a
            # second fact (results.services.submission_save_values finds values by target).
            chosen[target.indicator_id] = target
    targets, stored, elsewhere, answered = [], {}, [], 0
    for target in sorted(chosen.values(), key=lambda t: (t.order, t.pk)):
        fact = facts.get((target.indicator_id, period.year))
        if fact is not None and not fact.is_empty:
            answered += 1
        if fact is not None and fact.submission.period_id != period.pk:
            elsewhere.append(AnsweredElsewhere(target=target, value=fact))
        else:
            targets.append(target)
            if fact is not None:
                stored[target.pk] = fact
    return PeriodQuestions(period=period, targets=targets, stored=stored, elsewhere=elsewhere, answered=answered)


def period_questions(period: ReportingPeriod, unit: OrgUnit, *, goals: bool = True) -> PeriodQuestions:
    """What `unit` is asked in `period` (see `unit_period_questions`)."""
    return unit_period_questions([period], unit, goals=goals)[period.pk]


def period_targets_for_school(period: ReportingPeriod, school: OrgUnit) -> list[Target]:
    """The targets `school` (or the plan's issuing unit, for its unit-level facts) answers on its
    form in this period, in document order, one per indicator (see `unit_period_questions`)."""
    return period_questions(period, school).targets


def period_answered_elsewhere(period: ReportingPeriod, unit: OrgUnit) -> list[AnsweredElsewhere]:
    """The unit's answers for this year given in another period, for questions this period would
    ask it: shown read-only on the form (one fact, many plans)."""
    return period_questions(period, unit).elsewhere


def school_last_values(school: OrgUnit, targets: list[Target], period: ReportingPeriod) -> dict[int, ResultValue]:
    """Target id → the school's latest approved value for the same indicator in an earlier year
    (from whichever plan's period it was asked in), or its predecessors' before a merger."""
    by_indicator = {t.indicator_id: t.pk for t in targets}
    # Only the latest row of each indicator is read (a school's ten years of facts are not built
    # into objects on every save of its form).
    latest = Window(
        RowNumber(),
        partition_by=[F("indicator_id")],
        order_by=[F("year").desc(), F("submission__period__due_on").desc(), F("pk").desc()],
    )
    rows = (
        ResultValue.objects.filter(
            unit__in=unit_with_predecessors(school),
            submission__status=Submission.Status.APPROVED,
            year__lt=period.year,
            indicator_id__in=list(by_indicator),
        )
        .annotate(latest=latest)
        .filter(latest=1)
        .order_by()
    )
    return {by_indicator[value.indicator_id]: value for value in rows}


def unit_with_predecessors(unit: OrgUnit) -> list[int]:
    """The unit's id and those of the units merged into it (and into those), for its history.
    A unit read `with_predecessor_flag` that has none takes no query (most schools)."""
    if getattr(unit, "has_predecessors", True) is False:
        return [unit.pk]
    ids, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(
            OrgUnit.objects.filter(successor_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def with_predecessor_flag(units: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    """The units with `has_predecessors` (was another unit merged into it?), read in the same
    query: `unit_with_predecessors` then skips its lookup for a unit without any."""
    return units.annotate(has_predecessors=Exists(OrgUnit.objects.filter(successor_id=OuterRef("pk"))))


def _period_asks(period: ReportingPeriod) -> tuple[set[str], bool]:
    """(the school levels asked something in this period, whether its plan has unit-level facts
    for its issuing unit to enter). Two queries."""
    indicators = list(
        Indicator.objects.filter(targets__plan=period.plan)
        .select_related("level")
        .prefetch_related("levels")
        .distinct()
    )
    codes: set[str] = set()
    for indicator in indicators:
        if not is_unit_fact(indicator):
            codes |= indicator_level_codes(indicator)
    return codes, any(is_unit_fact(indicator) for indicator in indicators)


def _schools_asked(period: ReportingPeriod, codes: set[str]) -> QuerySet[OrgUnit]:
    return (
        unit_subtree(period.plan.issuer)
        .schools()
        .filter(levels__code__in=codes)
        .open_on(period.starts_on)
        .distinct()
        .order_by("path")
    )


def period_schools(period: ReportingPeriod) -> QuerySet[OrgUnit]:
    """Schools under the plan's issuer asked something in this period (a level it has targets for,
    or a cross-level target that includes one of theirs) that were open during the period (a
    school closed before it, or opened after it, does not report)."""
    codes, _unit_facts = _period_asks(period)
    return _schools_asked(period, codes)


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


# --------------------------------------------------------------- the office's return and after

RETURNS = (SubmissionEvent.Action.RETURNED, SubmissionEvent.Action.REOPENED)


def submission_last_return(submission: Submission) -> SubmissionEvent | None:
    """The latest return or reopening of the report (the office's last word), or None."""
    return submission.events.filter(action__in=RETURNS).select_related("by").order_by("at", "pk").last()


def submission_open_notes(submission: Submission | None) -> dict[int, ReviewNote]:
    """Target id → the office's comment on that value, from the return the school is answering
    (only while the report is returned: once it is sent again they are history)."""
    if submission is None or submission.status != Submission.Status.RETURNED:
        return {}
    event = submission_last_return(submission)
    if event is None:
        return {}
    return {note.target_id: note for note in event.notes.select_related("by")}


# The fields a school answers with: a change in any of them is a changed value.
ANSWER_FIELDS = ["number", "numerator", "denominator", "stage", "boolean"]


@dataclass
class SinceReturnLine:
    """One value of a report sent again: as it was when the office returned it, and now."""

    target: Target
    old: str  # ResultValue.display as returned ("—": no value then)
    new: str
    changed: bool  # the answer itself changed (a note or a file alone is not a changed value)
    note_changed: bool  # the school's note or evidence changed
    review_note: ReviewNote | None  # what the office said about this value when returning it


@dataclass
class SinceReturn:
    event: SubmissionEvent  # the return (or reopening) the school answered
    lines: list[SinceReturnLine]  # every target, in document order

    @property
    def shown(self) -> list[SinceReturnLine]:
        """The lines worth a reviewer's eye: changed values and the values the office commented on."""
        return [line for line in self.lines if line.changed or line.note_changed or line.review_note]

    def line_for(self, target_id: int) -> SinceReturnLine | None:
        return next((line for line in self.lines if line.target.pk == target_id), None)


def submission_since_return(submission: Submission, targets: list[Target]) -> SinceReturn | None:
    """Value by value, what the school changed between the office's last return (or reopening)
    and now, once it has sent the report again (None before that, or if it was never returned).

    The "before" is read from django-simple-history: each value's latest record at the moment of
    the return event, so nothing extra is stored at the return. Three queries."""
    event = submission_last_return(submission)
    if event is None or not submission.events.filter(action=SubmissionEvent.Action.SUBMITTED, at__gt=event.at).exists():
        return None
    then: dict[int, ResultValue] = {}
    records = ResultValue.history.filter(submission_id=submission.pk, history_date__lte=event.at)
    for record in records.order_by("history_date", "history_id"):
        if record.history_type == "-":
            then.pop(record.target_id, None)
        else:
            then[record.target_id] = record.instance
    now = {value.target_id: value for value in submission.values.all()}
    notes = {note.target_id: note for note in event.notes.all()}
    lines = []
    for target in targets:
        old, new = then.get(target.pk), now.get(target.pk)
        lines.append(
            SinceReturnLine(
                target=target,
                old=old.display if old is not None else "—",
                new=new.display if new is not None else "—",
                changed=_fields(old, ANSWER_FIELDS) != _fields(new, ANSWER_FIELDS),
                note_changed=_fields(old, ["note", "evidence"]) != _fields(new, ["note", "evidence"]),
                review_note=notes.get(target.pk),
            )
        )
    return SinceReturn(event=event, lines=lines)


def _fields(value: ResultValue | None, names: list[str]) -> tuple:
    """The named fields, "" and no file read as None (0 and False stay answers)."""
    if value is None:
        return (None,) * len(names)
    read = [str(getattr(value, name)) if name == "evidence" else getattr(value, name) for name in names]
    return tuple(None if item == "" else item for item in read)
