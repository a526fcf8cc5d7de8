"""Reads of tasks."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Task, TaskParticipant


def plan_tasks(plan) -> QuerySet[Task]:
    """The plan's tasks in document order, participants prefetched (leads first)."""
    return (
        Task.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch("participants", queryset=TaskParticipant.objects.select_related("unit").order_by("role", "order"))
        )
        .order_by("order", "pk")
    )
