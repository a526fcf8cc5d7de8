"""The principal's pages: the landing page with this school's open periods, and the one form per
submission. Office staff and leaders above the school may open the form page read-only.

The same form page serves a plan's issuing unit for its unit-level facts (results.questions):
`reports:edit` with the unit's id, entered and submitted by that unit's own office staff,
reviewed like a school's report; principals get 404 there (the unit is outside their school)."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from organisations.models import OrgUnit, path_ids
from organisations.permissions import can_read_unit, is_leader, is_office_staff, is_principal, principal_schools
from plans.models import Target
from portal.concurrency import EditConflict

from .forms import SubmissionForm
from .models import ReportingPeriod, Submission
from .permissions import can_edit_submission, get_period_for_user, period_list_visible_to
from .selectors import (
    PeriodQuestions,
    period_questions,
    school_last_values,
    submission_history,
    submission_open_notes,
    unit_period_questions,
    with_predecessor_flag,
)
from .services import (
    EDITABLE,
    submission_save_values,
    submission_submit,
)

STATUS_WORDING = {
    "not_started": gettext_lazy("Chưa bắt đầu nhập"),
    Submission.Status.DRAFT: gettext_lazy("Đang nhập, chưa gửi"),
    Submission.Status.SUBMITTED: gettext_lazy("Đã gửi, chờ duyệt"),
    Submission.Status.RETURNED: gettext_lazy("Bị trả lại để sửa"),
    Submission.Status.APPROVED: gettext_lazy("Đã duyệt – không sửa được"),
}


def due_countdown(due_on, today) -> str:
    """The days left until the due date as the page says them: "Còn 3 ngày", "Hạn hôm nay",
    "Quá hạn 2 ngày"."""
    days = (due_on - today).days
    if days > 0:
        return ngettext("Còn %(days)d ngày", "Còn %(days)d ngày", days) % {"days": days}
    if days == 0:
        return _("Hạn hôm nay")
    return ngettext("Quá hạn %(days)d ngày", "Quá hạn %(days)d ngày", -days) % {"days": -days}


def progress_wording(questions: PeriodQuestions) -> str:
    """How many of the unit's questions have a value stored: "2/3 đã nhập"."""
    return _("%(answered)d/%(total)d đã nhập") % {"answered": questions.answered, "total": questions.total}


@dataclass
class PeriodRow:
    school: OrgUnit
    period: ReportingPeriod
    submission: Submission | None
    questions: PeriodQuestions

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else "not_started"

    @property
    def status_wording(self) -> str:
        return STATUS_WORDING[self.status]

    @property
    def url(self) -> str:
        return reverse("reports:edit", args=[self.period.pk, self.school.pk])

    @property
    def progress(self) -> str:
        return progress_wording(self.questions)

    @property
    def countdown(self) -> str:
        """Days to the due date while the report still has to be sent, else ""."""
        return _countdown(self.period, self.status)

    @property
    def is_late(self) -> bool:
        return self.status in WAITING and self.period.is_overdue_on(timezone.localdate())


# Statuses in which the report still has to be sent: the due date matters.
WAITING = {"not_started", *EDITABLE}


def _countdown(period: ReportingPeriod, status: str) -> str:
    return due_countdown(period.due_on, timezone.localdate()) if status in WAITING else ""


def _principal_open_periods(user) -> list[PeriodRow]:
    """Each of the user's schools × every OPEN period of a plan issued above (or at) the school
    that asks it something, newest first. A fixed number of queries per school, whatever the
    number of periods and targets."""
    rows = []
    for school in principal_schools(user).order_by("path"):
        above = path_ids(school.path)
        periods = list(
            period_list_visible_to(user=user).filter(status=ReportingPeriod.Status.OPEN, plan__issuer_id__in=above)
        )
        questions = unit_period_questions(periods, school)
        submissions = {s.period_id: s for s in Submission.objects.filter(school=school, period__in=periods)}
        rows += [
            PeriodRow(school, period, submissions.get(period.pk), questions[period.pk])
            for period in periods
            if questions[period.pk].total
        ]
    return rows


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    """A principal's landing page; office staff and leaders work from the plan list instead."""
    if not is_principal(request.user):
        if is_office_staff(request.user) or is_leader(request.user):
            return redirect("plans:list")
        return render(request, "results/principal_home.html", {"no_school": True})
    rows = _principal_open_periods(request.user)
    if len(rows) == 1 and "tat-ca" not in request.GET:
        return redirect(rows[0].url)  # the usual case: one school, one open period
    return render(request, "results/principal_home.html", {"rows": rows})


def _school_for_period(user, period: ReportingPeriod, school_pk: int) -> OrgUnit:
    """The school, if the user sees it and it reports in this period's plan, or the plan's own
    issuing unit for its unit-level facts (else 404)."""
    unit = get_object_or_404(with_predecessor_flag(OrgUnit.objects.all()), pk=school_pk)
    if not can_read_unit(user, unit):  # units_visible_to, decided without a query
        raise Http404
    if unit.kind != OrgUnit.Kind.SCHOOL and unit.pk != period.plan.issuer_id:
        raise Http404
    if not unit.path.startswith(period.plan.issuer.path):
        raise Http404
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, period_pk: int, school_pk: int) -> HttpResponse:
    period = get_period_for_user(request.user, period_pk)
    school = _school_for_period(request.user, period, school_pk)
    # A POST that saves redirects: the plan's milestones are read only if the page is shown.
    questions = period_questions(period, school, goals=request.method != "POST")
    targets = questions.targets
    if not questions.total:
        raise Http404
    submission = Submission.objects.filter(period=period, school=school).first()
    may_edit = can_edit_submission(user=request.user, submission=submission or Submission(school=school))
    refusal = _why_not_editable(period, submission, targets)
    form = _build_form(request, period, school, targets, submission, questions.stored)
    conflict = False
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if refusal:
            messages.error(request, refusal)
            return redirect("reports:edit", period.pk, school.pk)
        if form.is_valid():
            try:
                submission = _save(form, period, school, targets, submission, by=request.user)
            except ValidationError as error:
                conflict = isinstance(error, EditConflict)
                if conflict:
                    questions = period_questions(period, school)  # with what the other person saved
                form = _keep_typed_values(request, period, school, targets, questions.stored, error)
            else:
                messages.success(request, _("Đã gửi báo cáo.") if form.submitting else _("Đã lưu nháp."))
                return redirect("reports:edit", period.pk, school.pk)
        if request.FILES:
            messages.warning(request, _("Tệp đã chọn chưa được lưu: hãy chọn lại tệp trước khi lưu."))
        prefetch_related_objects(questions.targets, "values")  # the goals the page shows
    return render(
        request,
        "results/submission_form.html",
        _page_context(period, school, submission, form, questions, editable=may_edit and not refusal, conflict=conflict)
        | {"may_edit": may_edit, "refusal": refusal},
    )


def _why_not_editable(period: ReportingPeriod, submission: Submission | None, targets: list[Target]) -> str:
    if period.status != ReportingPeriod.Status.OPEN:
        return _("Kỳ báo cáo chưa mở hoặc đã đóng, không nhập được.")
    if submission is not None and submission.status not in EDITABLE:
        return _("Báo cáo đã gửi hoặc đã duyệt, không sửa được nữa.")
    if not targets:
        return _("Mọi chỉ tiêu của kỳ này đã được báo cáo trong kỳ báo cáo khác; không cần nhập lại.")
    return ""


def _build_form(request, period, school, targets, submission, stored, data=None) -> SubmissionForm:
    kwargs = {
        "targets": targets,
        "stored": stored,
        "last": school_last_values(school, targets, period),
        "year": period.year,
        "unit": school,
        # Before the first save there is no submission: the page was loaded at its first version.
        "version": submission.version if submission else 1,
    }
    if request.method == "POST":
        return SubmissionForm(data if data is not None else request.POST, request.FILES, **kwargs)
    return SubmissionForm(**kwargs)


def _save(
    form: SubmissionForm, period, school, targets: list[Target], submission: Submission | None, *, by
) -> Submission:
    """Save the values and, for "Gửi báo cáo", submit: both or neither. The submission the page
    read is used as it is: the version check refuses it if anything changed since; none read
    means a first save, which makes it. A draft save is one transaction, the service's own (no
    savepoint inside another)."""
    if submission is not None:
        submission.period, submission.school = period, school  # already loaded: not read again
    with transaction.atomic() if form.submitting else nullcontext():
        submission = submission_save_values(
            submission=submission,
            values=form.values,
            by=by,
            expected_version=form.cleaned_data["version"],
            targets={target.pk: target for target in targets},
            stored=form.stored.values(),
            period=period,
            school=school,
        )
        if form.submitting:
            submission_submit(submission=submission, targets=targets, by=by, expected_version=submission.version)
    return submission


def _keep_typed_values(request, period, school, targets, stored, error: ValidationError) -> SubmissionForm:
    """Re-show what was typed with the refusal on top. After a conflict the form carries the
    current version, so saving again is a choice made after reading what the other person changed."""
    submission = Submission.objects.filter(period=period, school=school).first()
    data = request.POST.copy()
    if isinstance(error, EditConflict) and submission is not None:
        data["version"] = str(submission.version)
    fresh = _build_form(request, period, school, targets, submission, stored, data=data)
    fresh.is_valid()
    # messages only: a model's error dict names model fields the form does not have.
    fresh.add_error(None, ValidationError(error.messages))
    return fresh


def _page_context(period, school, submission, form, questions, *, editable: bool, conflict: bool) -> dict:
    status = submission.status if submission else "not_started"
    form.attach_review_notes(submission_open_notes(submission))
    if form.is_bound:
        form.focus_first_error()  # the page comes back at the top: the cursor goes to what to fix
    return {
        "elsewhere": questions.elsewhere,  # answered in another period this year: read-only
        "progress": progress_wording(questions),
        "period": period,
        "school": school,
        "submission": submission,
        "status": status,
        "status_wording": STATUS_WORDING[status],
        "form": form,
        "editable": editable,
        "conflict": conflict,
        "events": list(submission.events.select_related("by").prefetch_related("notes__target")) if submission else [],
        "noted_rows": [row for row in form.rows if row.review_note],  # the office's list of values to fix
        "changes": submission_history(submission)[::-1] if submission else [],  # newest first
        "is_overdue": status in WAITING and period.is_overdue_on(timezone.localdate()),
        "countdown": _countdown(period, status),
    }
