from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.selectors import plan_tasks

from .forms import BudgetSpendingForm, ParentDocumentLinkForm, spending_form_key
from .inline_forms import keep_refused, redirect_back
from .permissions import (
    can_edit_plan,
    get_budget_line_for_user,
    get_parent_document_for_user,
    get_plan_for_user,
    plan_list_visible_to,
)
from .selectors import (
    parent_document_link_matches,
    plan_budget_summary,
    plan_children_visible,
    plan_flagged_values,
    plan_list,
    plan_parent_documents,
    plan_target_table,
)
from .services import budget_spending_record, parent_document_link
from .templatetags.plan_extras import vn_amount


@login_required
def plan_list_view(request: HttpRequest) -> HttpResponse:
    plans = plan_list().filter(pk__in=plan_list_visible_to(user=request.user).values("pk"))
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, queryset=plan_list())
    years, groups = plan_target_table(plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "years": years,
            "groups": groups,
            "tasks": plan_tasks(plan),
            "budget": plan_budget_summary(plan),
            "flagged_values": plan_flagged_values(plan),
            "parent_documents": plan_parent_documents(plan=plan, user=request.user),
            "children": plan_children_visible(plan=plan, user=request.user),
            "link_matches": [
                (document, can_edit_plan(user=request.user, plan=document.plan))
                for document in parent_document_link_matches(plan=plan, user=request.user)
            ],
        },
    )


@login_required
def source_document_view(request: HttpRequest, pk: int) -> FileResponse:
    """The plan's original document, as an attachment, to whoever may read the plan (404 otherwise:
    uploaded files are never served from MEDIA_URL, evidence files live there too). Streamed from
    the storage's open(), so a folder and an S3 bucket serve it alike."""
    plan = get_plan_for_user(request.user, pk)
    if not plan.source_document:
        raise Http404
    try:
        handle = plan.source_document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=PurePosixPath(plan.source_document.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def parent_document_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a registered parent document to the plan `plan` (POST), from that plan's page
    ("Kế hoạch này được … kế hoạch khác dẫn làm căn cứ"). 404 outside the user's units, 403 unless
    the user edits the citing plan; the linked plan must be one the user may read."""
    document = get_parent_document_for_user(request.user, pk, write=True)
    form = ParentDocumentLinkForm(request.POST, plans=plan_list_visible_to(user=request.user))
    linked = form.cleaned_data["plan"] if form.is_valid() else None
    if linked is None:
        messages.error(request, _("Không tìm thấy kế hoạch cần liên kết, hoặc bạn không xem được kế hoạch đó."))
        return redirect("plans:detail", pk=document.plan_id)
    try:
        parent_document_link(document=document, linked_plan=linked)
    except ValidationError as error:
        messages.error(request, _("Chưa liên kết: %(errors)s") % {"errors": " ".join(error.messages)})
    else:
        messages.success(
            request,
            _("Đã liên kết văn bản căn cứ số %(number)s của %(plan)s với kế hoạch này.")
            % {"number": document.number, "plan": document.plan},
        )
    return redirect("plans:detail", pk=linked.pk)


@login_required
@require_POST
def spending_record_view(request: HttpRequest, line_pk: int) -> HttpResponse:
    """Record what was spent on a budget line in a year (templates/plans/_spending_form.html), then
    back to `next` or the plan's budget. 404 outside the user's units, 403 unless the user manages
    the plan's issuer; a refusal is a message and the form keeps what was typed, never a 500."""
    line = get_budget_line_for_user(request.user, line_pk, write=True)
    form = BudgetSpendingForm(request.POST)
    errors: list[str] = [message for field_errors in form.errors.values() for message in field_errors]
    if not errors:
        try:
            spending = budget_spending_record(line=line, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors = error.messages
    if errors:
        keep_refused(
            request,
            key=spending_form_key(line.pk),
            data={field: form[field].value() or "" for field in form.fields},
            errors=errors,
        )
        messages.error(
            request,
            _("Chưa ghi số đã chi cho dòng %(number)s: %(errors)s")
            % {"number": line.number, "errors": " ".join(errors)},
        )
    else:
        messages.success(
            request,
            _("Đã ghi %(amount)s triệu đồng đã chi năm %(year)s cho dòng %(number)s.")
            % {"amount": vn_amount(spending.amount), "year": spending.year, "number": line.number},
        )
    return redirect_back(request, default=reverse("plans:detail", args=[line.plan_id]) + "#kinh-phi")
