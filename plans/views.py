from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.selectors import plan_tasks

from .forms import BudgetSpendingForm, spending_form_key
from .inline_forms import keep_refused, redirect_back
from .permissions import get_budget_line_for_user, get_plan_for_user, plan_list_visible_to
from .selectors import plan_budget_summary, plan_flagged_values, plan_list, plan_target_table
from .services import budget_spending_record
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
        },
    )


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
            data={field: request.POST.get(field, "") for field in form.fields},
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
