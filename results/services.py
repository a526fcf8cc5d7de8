"""Writes to results: a school's values, and the workflow that moves a submission from draft to
approved. Callers have checked access (results.permissions); these functions check the state.

Transitions (anything else raises ValidationError):
    draft, returned  --save values-->  (same)        principal
    draft, returned  --submit-->       submitted     principal
    submitted        --return-->       returned      office staff, comment required (and comments
                                                     on single values if it likes: ReviewNote)
    submitted        --approve-->      approved      office staff; values are locked
    approved         --reopen-->       returned      office staff, reason required; recorded
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from plans.models import Target
from portal.concurrency import EditConflict, bump_version, loaded_at
from portal.db import bulk_update_rows

from .models import ReportingPeriod, ResultValue, ReviewNote, Submission, SubmissionEvent
from .rollups import rollup_refresh
from .selectors import submission_history
from .validation import free_text_error

EDITABLE = {Submission.Status.DRAFT, Submission.Status.RETURNED}
VALUE_FIELDS = ["number", "numerator", "denominator", "stage", "boolean", "note", "evidence", "confirmed_unusual"]


def submission_get_or_create(*, period: ReportingPeriod, school, missing: bool = False) -> Submission:
    """The school's submission for the period, made if there is none. `missing`: the caller has
    just read that there is none, so the INSERT is tried first (someone saving the same report
    at the same moment makes it fail: then the other's is read)."""
    if missing:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(period=period, school=school)
        except IntegrityError:
            submission = Submission.objects.get(period=period, school=school)
    else:
        submission, _created = Submission.objects.get_or_create(period=period, school=school)
    submission.period, submission.school = period, school  # already loaded: not read again
    return submission


def _check_version(submission: Submission, expected_version: int | None, *, also: dict | None = None) -> None:
    """Bump the submission's version or raise EditConflict listing what the other person changed."""
    try:
        bump_version(submission, expected_version, also=also)
    except EditConflict:
        raise EditConflict(submission_changes_since(submission, expected_version)) from None


def submission_changes_since(submission: Submission, version: int | None):
    """What changed in the submission and its values since it was at `version`, oldest first."""
    return submission_history(submission, since=loaded_at(submission, version))


def _delete_after_commit(storage, name: str) -> None:
    """A replaced evidence file goes once the new one is stored: nothing links to it any more (the
    history keeps its name as a record), so left on disk it would only be an unreachable copy."""
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def submission_save_values(
    *,
    submission: Submission | None,
    values: dict[int, dict],
    by,
    expected_version: int | None,
    targets: dict[int, Target] | None = None,
    stored: Iterable[ResultValue] | None = None,
    period: ReportingPeriod | None = None,
    school=None,
) -> Submission:
    """Store the school's values (target id → field → value) as a draft. Refused once submitted
    or approved, while the period is not open, or when someone saved in between (EditConflict).
    `submission=None`: the caller has just read that the school has no report for `period`; it
    is made here, in the same transaction (a first save needs no transaction of its own around).

    A fixed handful of statements whatever the number of targets (the version bump, one read of
    the submission's values, one INSERT of the new ones, one UPDATE of the changed ones, one
    INSERT of their history, the submission's own save): at national scale every principal saves
    in the same few days. `targets` (id → Target) and `stored` (the values the form loaded, read
    before the version check: used only with an `expected_version`, which proves them current)
    each save one more read."""
    if submission is None:
        submission = submission_get_or_create(period=period, school=school, missing=True)
    if submission.status not in EDITABLE:
        raise ValidationError(_("Báo cáo đã gửi hoặc đã duyệt, không sửa được nữa."))
    if submission.period.status != ReportingPeriod.Status.OPEN:
        raise ValidationError(_("Kỳ báo cáo chưa mở hoặc đã đóng."))
    now = timezone.now()
    _check_version(submission, expected_version, also={"updated_at": now})  # its auto_now, in the bump
    if stored is not None and expected_version is not None:
        existing = {value.target_id: value for value in stored if value.submission_id == submission.pk}
        for value in existing.values():
            value.submission = submission
    else:
        # Read after the bump: the submission's row stays locked until commit, nobody writes in between.
        existing = {value.target_id: value for value in submission.values.select_related("target")}
    if targets is None:
        targets = Target.objects.only("pk", "indicator_id").in_bulk(values.keys() - existing.keys())
    created, updated, changed_fields = [], [], set()
    for target_id, fields in values.items():
        value = existing.get(target_id)
        if value is None:
            value = ResultValue(submission=submission, target=targets[target_id])
        names = _apply(value, fields)
        if value.pk is None:
            created.append(value)
        elif names:
            updated.append(value)
            changed_fields |= names
    for value in created + updated:
        value.fill_fact_keys()  # from the submission and targets already loaded: no query
        # Field checks only: the foreign keys are ours, and the unique constraints are the
        # database's to enforce (one query each per value otherwise); a clash is caught below.
        value.full_clean(
            exclude=["submission", "target", "unit", "indicator"], validate_unique=False, validate_constraints=False
        )
    _write_values(created, updated, sorted(changed_fields), by=by, now=now)
    # The bump stored the new version and updated_at: only the submission's history row is left
    # (what submission.save() would have written after a second UPDATE).
    Submission.history.bulk_history_create([submission], update=True, default_user=by, default_date=now)
    return submission


def _apply(value: ResultValue, fields: dict) -> set[str]:
    """Set the posted fields that differ on `value`; the names of those that changed."""
    names = set()
    for name in VALUE_FIELDS:
        if name in fields and getattr(value, name) != fields[name]:
            if name == "evidence" and not fields[name]:
                continue  # no new file uploaded: keep the one already there
            if name == "evidence" and value.evidence:
                _delete_after_commit(value.evidence.storage, value.evidence.name)
            setattr(value, name, fields[name])
            names.add(name)
    return names


def _write_values(created: list[ResultValue], updated: list[ResultValue], fields: list[str], *, by, now) -> None:
    """One INSERT for the new values and one UPDATE for the changed ones, each with its history
    rows in one INSERT (author `by`, timestamp `now`), as value.save() would have written them."""
    if updated and "evidence" in fields:
        evidence = ResultValue._meta.get_field("evidence")
        for value in updated:
            evidence.pre_save(value, add=False)  # a bulk update does not store a new upload itself
    try:
        if created:
            bulk_create_with_history(created, ResultValue, default_user=by, default_date=now)
        if updated:
            fields = [*fields, "unit", "indicator", "year"]  # fact keys follow the submission
            bulk_update_rows(ResultValue, updated, fields)
            ResultValue.history.bulk_history_create(updated, update=True, default_user=by, default_date=now)
    except IntegrityError:
        # Only one fact per unit, indicator and year (another period's report holds this one).
        # Raised at once, no savepoint needed: the caller's atomic block rolls the save back.
        raise ValidationError(ONE_FACT.violation_error_message, code=ONE_FACT.name) from None


ONE_FACT = next(c for c in ResultValue._meta.constraints if c.name == "resultvalue_one_fact_per_year")


def _transition(submission: Submission, *, to: str, action: str, by, comment: str = "") -> Submission:
    submission.status = to
    now = timezone.now()
    fields = ["status", "updated_at"]
    if action == SubmissionEvent.Action.SUBMITTED:
        submission.submitted_at, submission.submitted_by = now, by
        fields += ["submitted_at", "submitted_by"]
    else:
        submission.reviewed_at, submission.reviewed_by, submission.review_comment = now, by, comment
        fields += ["reviewed_at", "reviewed_by", "review_comment"]
    submission._history_user = by
    submission.save(update_fields=fields)
    SubmissionEvent.objects.create(submission=submission, action=action, by=by, at=now, comment=comment)
    if action in COUNTING_CHANGES:
        # Facts start or stop counting: the units above see it in the same transaction.
        rollup_refresh(
            school=submission.school,
            indicator_ids=set(submission.values.values_list("indicator_id", flat=True)),
            year=submission.period.year,
        )
    return submission


# Transitions into or out of APPROVED: only approved facts are added up (results.rollups).
COUNTING_CHANGES = {SubmissionEvent.Action.APPROVED, SubmissionEvent.Action.REOPENED}


def submission_missing_targets(submission: Submission, targets: list[Target]) -> list[Target]:
    """Targets without a value, or without the evidence the office asked for."""
    stored = {v.target_id: v for v in submission.values.all()}
    missing = []
    for target in targets:
        value = stored.get(target.pk)
        if value is None or value.is_empty or (target.evidence_required and not (value.evidence or value.note.strip())):
            missing.append(target)
    return missing


@transaction.atomic
def submission_submit(*, submission: Submission, targets: list[Target], by, expected_version: int | None) -> Submission:
    """Send the draft to the office. Every target needs a value (and evidence where asked)."""
    if submission.status not in EDITABLE:
        raise ValidationError(_("Chỉ gửi được báo cáo đang nhập hoặc bị trả lại."))
    if submission.period.status != ReportingPeriod.Status.OPEN:
        raise ValidationError(_("Kỳ báo cáo chưa mở hoặc đã đóng."))
    missing = submission_missing_targets(submission, targets)
    if missing:
        raise ValidationError(
            _("Còn thiếu giá trị hoặc minh chứng: %(targets)s.") % {"targets": "; ".join(t.wording for t in missing)}
        )
    _check_version(submission, expected_version)
    return _transition(submission, to=Submission.Status.SUBMITTED, action=SubmissionEvent.Action.SUBMITTED, by=by)


def _check_text(text: str, *, label: str = "") -> None:
    error = free_text_error(text)
    if error:
        raise ValidationError(f"{label}: {error}" if label else error, code="comment")


@transaction.atomic
def submission_return(
    *,
    submission: Submission,
    by,
    comment: str,
    expected_version: int | None,
    notes: dict[Target, str] | None = None,
) -> Submission:
    """Send the report back to the school with the office's comment on the whole report and, if
    it likes, on single values (`notes`: target → text; blank texts are dropped). The notes belong to this
    return's event, so they stay in the history once the school has fixed the values."""
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã gửi."))
    notes = {target: text.strip() for target, text in (notes or {}).items() if text.strip()}
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Hãy ghi ý kiến để trường biết cần sửa gì."), code="comment")
    _check_text(comment, label=_("Ý kiến chung"))
    for target, text in notes.items():
        _check_text(text, label=target.wording)
    _check_version(submission, expected_version)
    _transition(
        submission,
        to=Submission.Status.RETURNED,
        action=SubmissionEvent.Action.RETURNED,
        by=by,
        comment=comment,
    )
    event = submission.events.latest("at", "pk")
    ReviewNote.objects.bulk_create(
        ReviewNote(submission=submission, event=event, target=target, text=text, by=by, at=event.at)
        for target, text in notes.items()
    )
    return submission


@transaction.atomic
def submission_approve(*, submission: Submission, by, expected_version: int | None) -> Submission:
    """Approve and lock the values: from now on they count in every roll-up."""
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được báo cáo đã gửi."))
    _check_version(submission, expected_version)
    return _transition(submission, to=Submission.Status.APPROVED, action=SubmissionEvent.Action.APPROVED, by=by)


@transaction.atomic
def submission_reopen(*, submission: Submission, by, comment: str, expected_version: int | None) -> Submission:
    """Unlock an approved submission for correction; the reason is recorded."""
    if submission.status != Submission.Status.APPROVED:
        raise ValidationError(_("Chỉ mở lại được báo cáo đã duyệt."))
    if not comment.strip():
        raise ValidationError(_("Hãy ghi lý do mở lại báo cáo đã duyệt."))
    _check_text(comment.strip(), label=_("Lý do mở lại"))
    _check_version(submission, expected_version)
    return _transition(
        submission,
        to=Submission.Status.RETURNED,
        action=SubmissionEvent.Action.REOPENED,
        by=by,
        comment=comment.strip(),
    )


class PastDueNotAcknowledged(ValidationError):
    """Opening a period whose due date has passed: the office must say it knows (the schools
    would be "Quá hạn" the moment it opens)."""


@transaction.atomic
def period_set_status(
    *, period: ReportingPeriod, status: str, by=None, past_due_acknowledged: bool = False
) -> ReportingPeriod:
    """Open or close a period (office staff). Opening one past its due date needs
    `past_due_acknowledged` (PastDueNotAcknowledged otherwise): never silently."""
    if (
        status == ReportingPeriod.Status.OPEN
        and period.status != ReportingPeriod.Status.OPEN
        and period.is_overdue_on(timezone.localdate())
        and not past_due_acknowledged
    ):
        raise PastDueNotAcknowledged(
            _("Hạn nộp của kỳ này (%(due)s) đã qua: các trường sẽ bị tính là quá hạn ngay khi mở.")
            % {"due": period.due_on.strftime("%d/%m/%Y")}
        )
    period.status = status
    period.full_clean()
    period._history_user = by
    period.save(update_fields=["status"])
    return period


@transaction.atomic
def period_create(*, by=None, **fields) -> ReportingPeriod:
    """A new period (draft: the office opens it when ready). The plan's period of the same name
    and year is not made twice."""
    period = ReportingPeriod(status=ReportingPeriod.Status.DRAFT, **fields)
    period.full_clean()
    duplicate = ReportingPeriod.objects.filter(plan=period.plan, year=period.year, label__iexact=period.label.strip())
    if duplicate.exists():
        raise ValidationError(
            {
                "label": _("Kế hoạch này đã có kỳ báo cáo “%(label)s” năm %(year)s.")
                % {"label": period.label, "year": period.year}
            }
        )
    period._history_user = by
    period.save()
    return period
