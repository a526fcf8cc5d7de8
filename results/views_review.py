"""The office's review of one school's report: its values, its history, and the return / approve /
reopen actions (the periods, their tables and exports are in results/views_periods.py).

Who gets what (tests/results/test_review_pages.py checks each line):
- office staff and leaders whose units the period's plan reaches: every page (GET), each person
  seeing only the schools under their own units (a commune's staff see their commune's schools);
- office staff who manage the plan's issuing unit (results.permissions.can_manage_period): also
  open and close the period and return, approve or reopen reports; anyone else who can see the
  page gets 403 on those POSTs (leaders always);
- principals without an office or leader role: 404 on every page here, their own school's report
  included. These pages list other schools; a principal works on the principal's page instead;
- the plan's issuing unit's own report (its unit-level facts, results.questions) is listed first
  and reviewed like a school's; a line at the top of the period page links to its form;
- outside the user's units, or an unknown id: 404; anonymous: the log-in page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.status import STATUS_LABELS, Assessment
from plans.models import Target, TargetValue
from plans.selectors import target_next_milestone
from portal.concurrency import EditConflict

from .assessment import value_assessment
from .exports import REVIEW_STATUS_LABELS
from .forms import value_display
from .forms_review import ReviewActionForm, value_comment_name
from .models import ResultValue, Submission
from .permissions import (
    can_review_submission,
    get_submission_for_user,
    require_reviewer,
)
from .review import next_submission_to_review
from .selectors import (
    SinceReturnLine,
    period_questions,
    school_last_values,
    submission_history,
    submission_since_return,
)
from .services import (
    submission_approve,
    submission_changes_since,
    submission_reopen,
    submission_return,
)
from .terms import lateness

# ---------------------------------------------------------------- one school's report


@dataclass
class TargetLine:
    target: Target
    goal: TargetValue | None  # the plan's milestone for the period's year, or the next one set
    last: ResultValue | None  # the school's approved value in an earlier period
    value: ResultValue | None
    assessment: Assessment  # the value against the milestone judged this year (indicators.status)
    since: SinceReturnLine | None = None  # old → new since the office's last return
    typed_comment: str = ""  # the office's comment on this value, kept after a refused return

    # ResultValue.display, through results.forms.value_display until ResultValue.percent
    # returns a Decimal for a ratio (today a float, which format_decimal_vi refuses).
    @property
    def last_display(self) -> str:
        return value_display(self.last)

    @property
    def value_display(self) -> str:
        return value_display(self.value)

    @property
    def status(self) -> str:
        return self.assessment.status.value

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.assessment.status]

    @property
    def comment_name(self) -> str:
        return value_comment_name(self.target)


def _detail_context(request: HttpRequest, submission, *, typed_comment: str = "", typed: dict | None = None) -> dict:
    period, school = submission.period, submission.school
    questions = period_questions(period, school)
    targets = questions.targets
    values = {value.target_id: value for value in submission.values.all()}
    last = school_last_values(school, targets, period)
    since = submission_since_return(submission, targets)
    can_review = can_review_submission(user=request.user, submission=submission)
    lines = [
        TargetLine(
            target=t,
            goal=target_next_milestone(t, period.year),
            last=last.get(t.pk),
            value=values.get(t.pk),
            assessment=value_assessment(target=t, value=values.get(t.pk), unit=school, year=period.year),
            since=since.line_for(t.pk) if since else None,
            typed_comment=(typed or {}).get(t.pk, ""),
        )
        for t in targets
    ]
    return {
        "submission": submission,
        "period": period,
        "school": school,
        "status_label": REVIEW_STATUS_LABELS[submission.status],
        "late": lateness(
            status=submission.status,
            submitted_at=submission.submitted_at,
            due_on=period.due_on,
            today=timezone.localdate(),
        ),
        "next_report": _next_report(request.user, submission) if can_review else None,
        "lines": lines,
        "since": since,
        "elsewhere": questions.elsewhere,  # this year's facts given in another period's report
        "events": submission.events.select_related("by").prefetch_related("notes__target"),
        "history": submission_history(submission)[::-1],  # newest first
        "can_review": can_review,
        "typed_comment": typed_comment,
        # The comment boxes beside each value belong to the return form (_review_actions.html).
        "comment_values": can_review and submission.status == Submission.Status.SUBMITTED,
    }


def _next_report(user, submission):
    """The next sent report to review after this one, wrapping round to the oldest."""
    following = next_submission_to_review(submission.period, user, after=submission)
    if following is None:
        following = next_submission_to_review(submission.period, user)
    return following if following is not None and following.pk != submission.pk else None


@login_required
def submission_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One school's report: each value beside its target, last year's value and its status, what
    changed since the office's last return, the workflow log, the history, and for the managing
    office the return (with comments on single values) / approve / reopen forms."""
    require_reviewer(request.user)
    submission = get_submission_for_user(request.user, pk)
    return render(request, "results/submission_review.html", _detail_context(request, submission))


STALE_FORM = _("Biểu mẫu đã cũ hoặc không đầy đủ. Hãy tải lại trang rồi làm lại.")


def _review_action(request: HttpRequest, pk: int, action, done: str, comment_label: str = "") -> HttpResponse:
    """Shared wiring of approve / reopen: scoped getter (403 unless the user reviews this period),
    the version the page was loaded at, one service call, a message, back to the report."""
    require_reviewer(request.user)
    submission = get_submission_for_user(request.user, pk, review=True)
    form = ReviewActionForm(request.POST, comment_label=comment_label)
    if not form.is_valid():
        messages.error(request, STALE_FORM if form.has_error("version") else " ".join(form.text_errors()))
        return redirect("review:submission_detail", pk=submission.pk)
    version = form.cleaned_data["version"]
    try:
        if version != submission.version:
            # Checked before the service's state checks, so that the second reviewer learns what
            # the first one did ("đã duyệt"), not only that the report is no longer "đã gửi".
            raise EditConflict(submission_changes_since(submission, version))
        action(submission=submission, by=request.user, version=version, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("review:submission_detail", pk=submission.pk)


@login_required
@require_POST
def submission_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the report with the overall comment and the comments typed beside single values. A
    refused comment (missing, too long, a NUL) re-shows the page with everything typed in its box;
    a stale page or a report in another state goes back to the report, as approve and reopen do."""
    require_reviewer(request.user)
    submission = get_submission_for_user(request.user, pk, review=True)
    targets = period_questions(submission.period, submission.school).targets
    form = ReviewActionForm(request.POST, targets=targets, comment_label=_("Ý kiến chung"))
    comment = form.typed("comment")
    notes = {target: form.typed(value_comment_name(target)) for target in targets}
    try:
        if not form.is_valid():
            if form.has_error("version"):
                raise ValidationError(STALE_FORM)
            raise ValidationError(" ".join(form.text_errors()), code="comment")
        version = form.cleaned_data["version"]
        if version != submission.version:
            raise EditConflict(submission_changes_since(submission, version))
        submission_return(
            submission=submission,
            by=request.user,
            comment=form.cleaned_data["comment"],
            notes=form.notes(),
            expected_version=version,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if getattr(error, "code", None) != "comment":  # a stale page or a report no longer sent
            return redirect("review:submission_detail", pk=submission.pk)
        typed = {target.pk: text for target, text in notes.items()}
        context = _detail_context(request, submission, typed_comment=comment, typed=typed)
        return render(request, "results/submission_review.html", context)
    messages.success(request, _("Đã trả lại báo cáo cho trường, kèm ý kiến."))
    return redirect("review:submission_detail", pk=submission.pk)


@login_required
@require_POST
def submission_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    def action(*, submission, by, version, comment):
        submission_approve(submission=submission, by=by, expected_version=version)

    return _review_action(request, pk, action, _("Đã duyệt báo cáo. Các giá trị đã được khóa."))


@login_required
@require_POST
def submission_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    def action(*, submission, by, version, comment):
        submission_reopen(submission=submission, by=by, comment=comment, expected_version=version)

    done = _("Đã mở lại báo cáo để trường sửa; lý do đã được ghi lại.")
    return _review_action(request, pk, action, done, comment_label=_("Lý do mở lại"))
