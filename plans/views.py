from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from assignments.selectors import plan_tasks

from .selectors import plan_budget_summary, plan_flagged_values, plan_list, plan_target_table


@login_required
def plan_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/plan_list.html", {"plans": plan_list()})


@login_required
def plan_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(plan_list(), pk=pk)
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
