"""Scoped access to tasks (STYLE.md §6): a task follows its plan (plans.permissions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plans.permissions import can_edit_plan, plan_list_visible_to

from .models import Task


def get_task_for_user(user, pk: int, *, write: bool = False) -> Task:
    """The task with its plan and the plan's issuer loaded. 404 when its plan is outside the user's
    units; 403 with `write` when the user does not manage the plan's issuer (leaders, principals,
    offices below the issuer)."""
    task = get_object_or_404(
        Task.objects.select_related("plan__issuer").filter(plan__in=plan_list_visible_to(user=user).values("pk")),
        pk=pk,
    )
    if write and not can_edit_plan(user=user, plan=task.plan):
        raise PermissionDenied
    return task
