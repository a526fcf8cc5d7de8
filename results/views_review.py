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
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.permissions import is_leader, is_office_staff
from plans.models import Target, TargetValue
from plans.selectors import target_next_milestone
from portal.concurrency import EditConflict

from .exports import REVIEW_STATUS_LABELS
from .forms import value_display
from .models import ResultValue
from .permissions import can_review_submission, get_submission_for_user
from .selectors import period_questions, school_last_values, submission_history
from .services import (
    submission_approve,
    submission_changes_since,
    submission_reopen,
    submission_return,
)


def _require_reviewer(user) -> None:
    """Principals (and accounts without a role) do not see the review pages at all: 404."""
    if not (is_office_staff(user) or is_leader(user)):
        raise Http404


# ---------------------------------------------------------------- one school's report


@dataclass
class TargetLine:
    target: Target
    goal: TargetValue | None  # the plan's milestone for the period's year, or the next one set
    last: ResultValue | None  # the school's approved value in an earlier period
    value: ResultValue | None

    # ResultValue.display, through results.forms.value_display until ResultValue.percent
    # returns a Decimal for a ratio (today a float, which format_decimal_vi refuses).
    @property
    def last_display(self) -> str:
        return value_display(self.last)

    @property
    def value_display(self) -> str:
        return value_display(self.value)


@login_required
def submission_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One school's report: values against the plan and last year, the workflow log, the history,
    and for the managing office the return / approve / reopen forms."""
    _require_reviewer(request.user)
    submission = get_submission_for_user(request.user, pk)
    period, school = submission.period, submission.school
    questions = period_questions(period, school)
    targets = questions.targets
    values = {value.target_id: value for value in submission.values.all()}
    last = school_last_values(school, targets, period)
    lines = [TargetLine(t, target_next_milestone(t, period.year), last.get(t.pk), values.get(t.pk)) for t in targets]
    context = {
        "submission": submission,
        "period": period,
        "school": school,
        "status_label": REVIEW_STATUS_LABELS[submission.status],
        "late": submission.is_late,
        "lines": lines,
        "elsewhere": questions.elsewhere,  # this year's facts given in another period's report
        "events": submission.events.select_related("by"),
        "history": submission_history(submission)[::-1],  # newest first
        "can_review": can_review_submission(user=request.user, submission=submission),
    }
    return render(request, "results/submission_review.html", context)


def _review_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    """Shared wiring of return / approve / reopen: scoped getter (403 unless the user reviews this
    period), the version the page was loaded at, one service call, a message, back to the report."""
    _require_reviewer(request.user)
    submission = get_submission_for_user(request.user, pk, review=True)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("Biểu mẫu đã cũ hoặc không đầy đủ. Hãy tải lại trang rồi làm lại."))
        return redirect("review:submission_detail", pk=submission.pk)
    try:
        if version != submission.version:
            # Checked before the service's state checks, so that the second reviewer learns what
            # the first one did ("đã duyệt"), not only that the report is no longer "đã gửi".
            raise EditConflict(submission_changes_since(submission, version))
        action(submission=submission, by=request.user, version=version, comment=request.POST.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("review:submission_detail", pk=submission.pk)


@login_required
@require_POST
def submission_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    def action(*, submission, by, version, comment):
        submission_return(submission=submission, by=by, comment=comment, expected_version=version)

    return _review_action(request, pk, action, _("Đã trả lại báo cáo cho trường, kèm ý kiến."))


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

    return _review_action(request, pk, action, _("Đã mở lại báo cáo để trường sửa; lý do đã được ghi lại."))
