from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assignments.selectors import plan_tasks

from .permissions import get_plan_for_user, plan_list_visible_to
from .selectors import plan_budget_summary, plan_flagged_values, plan_list, plan_target_table


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
