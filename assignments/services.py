"""Writes to tasks."""

from __future__ import annotations

from django.db import transaction

from organisations.models import OrgUnit

from .models import Task, TaskParticipant


@transaction.atomic
def task_create(
    *,
    plan,
    content: str,
    order: int = 0,
    row_number: str = "",
    lead_wording: str = "",
    coordinators_wording: str = "",
    timing_wording: str = "",
    leads: list[OrgUnit | str] = (),
    coordinators: list[OrgUnit | str] = (),
    note: str = "",
) -> Task:
    """A task with its lead and coordinating bodies, each a unit of the tree or a free-text name."""
    task = Task(
        plan=plan,
        order=order,
        row_number=row_number,
        content=content,
        lead_wording=lead_wording,
        coordinators_wording=coordinators_wording,
        timing_wording=timing_wording,
        note=note,
    )
    task.full_clean()
    task.save()
    for role, bodies in ((TaskParticipant.Role.LEAD, leads), (TaskParticipant.Role.COORDINATOR, coordinators)):
        for position, body in enumerate(bodies, start=1):
            participant = TaskParticipant(task=task, role=role, order=position)
            if isinstance(body, OrgUnit):
                participant.unit = body
            else:
                participant.name = body.strip()
            participant.full_clean()
            participant.save()
    return task
