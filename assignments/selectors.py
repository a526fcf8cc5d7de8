"""Reads of tasks: the plan's task table, and its tasks by urgency for the leaders' dashboards."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from . import timing as t
from .models import ProgressNote, Task, TaskParticipant


def plan_tasks(plan) -> QuerySet[Task]:
    """The plan's tasks in document order, participants prefetched (leads first)."""
    return (
        Task.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch("participants", queryset=TaskParticipant.objects.select_related("unit").order_by("role", "order"))
        )
        .order_by("order", "pk")
    )


class TaskState(models.TextChoices):
    """Where a task stands for a leader: its status, unless it is overdue (plan_tasks_by_urgency)."""

    OVERDUE_UNREPORTED = "overdue_unreported", _("Quá hạn, chưa có báo cáo tiến độ")
    OVERDUE = "overdue", _("Quá hạn")
    NOT_STARTED = Task.Status.NOT_STARTED.value, Task.Status.NOT_STARTED.label
    IN_PROGRESS = Task.Status.IN_PROGRESS.value, Task.Status.IN_PROGRESS.label
    DONE = Task.Status.DONE.value, Task.Status.DONE.label
    CANCELLED = Task.Status.CANCELLED.value, Task.Status.CANCELLED.label


CLOSED_STATUSES = {Task.Status.DONE, Task.Status.CANCELLED}


@dataclass(frozen=True)
class TaskRow:
    task: Task  # task.plan is the plan passed in (no query to read it)
    state: str  # a TaskState value
    state_label: str  # Vietnamese (the active language), e.g. "Quá hạn, chưa có báo cáo tiến độ"
    is_overdue: bool
    due: date | None  # the missed due date when overdue, otherwise the next one; None when there is none
    last_note: ProgressNote | None  # the latest by noted_on, author loaded
    leads: tuple[str, ...]  # the lead bodies' names, or the document's lead wording when none is entered


def _latest_note_per_task() -> QuerySet[ProgressNote]:
    rank = Window(RowNumber(), partition_by=[F("task_id")], order_by=[F("noted_on").desc(), F("pk").desc()])
    return ProgressNote.objects.select_related("author").annotate(rank=rank).filter(rank=1)


def _plan_years(plan) -> tuple[int, int]:
    return plan.period_start_year, plan.orientation_year or plan.period_end_year


def _recurring_due(task: Task, plan, today: date, last_noted_on: date | None) -> tuple[bool, date | None]:
    """(overdue, due) of a recurring task. It is overdue when its latest due date before today (within
    the plan's years) has passed with no progress note dated after the due date before that one: a
    late note clears it. Otherwise its due date is the next one, today or later."""
    first, last = _plan_years(plan)
    reference = min(today.year, last)
    # Two years back are enough to find the due date before the one that has passed.
    dates = t.due_dates_between(task.parsed_timing, max(first, reference - 2), min(last, today.year + 1))
    passed = [d for d in dates if d < today]
    upcoming = next((d for d in dates if d >= today), None)
    if not passed:
        return False, upcoming
    missed, previous = passed[-1], (passed[-2] if len(passed) > 1 else None)
    reported = last_noted_on is not None and (previous is None or last_noted_on > previous)
    return (False, upcoming) if reported else (True, missed)


def _task_row(task: Task, plan, today: date, *, with_leads: bool) -> TaskRow:
    task.plan = plan  # every task is this plan's: spare a query per task in the templates
    notes = task.latest_notes
    last_note = notes[0] if notes else None
    recurring = task.timing_kind == t.TimingKind.RECURRENCE
    if recurring:
        overdue, due = _recurring_due(task, plan, today, last_note.noted_on if last_note else None)
    else:
        due = task.due_on
        overdue = due is not None and due < today
    overdue = overdue and task.status not in CLOSED_STATUSES
    if not overdue:
        state = TaskState(task.status)
    elif last_note is not None and not recurring:
        state = TaskState.OVERDUE
    else:  # an overdue recurring task has, by definition, no note since its previous due date
        state = TaskState.OVERDUE_UNREPORTED
    leads: tuple[str, ...] = ()
    if with_leads:
        leads = tuple(str(p) for p in task.participants.all() if p.role == TaskParticipant.Role.LEAD)
        if not leads and task.lead_wording:
            leads = (task.lead_wording,)
    return TaskRow(
        task=task,
        state=state.value,
        state_label=str(state.label),
        is_overdue=overdue,
        due=due,
        last_note=last_note,
        leads=leads,
    )


def _task_rows(*, plan, today: date, with_leads: bool) -> list[TaskRow]:
    prefetches = [Prefetch("progress_notes", queryset=_latest_note_per_task(), to_attr="latest_notes")]
    if with_leads:
        leads = TaskParticipant.objects.filter(role=TaskParticipant.Role.LEAD).select_related("unit")
        prefetches.append(Prefetch("participants", queryset=leads.order_by("order", "pk")))
    tasks = Task.objects.filter(plan=plan).prefetch_related(*prefetches).order_by("order", "pk")
    return [_task_row(task, plan, today, with_leads=with_leads) for task in tasks]


def plan_tasks_by_urgency(*, plan, today: date) -> list[TaskRow]:
    """The plan's tasks for a dashboard: overdue ones first, then by due date (tasks without one
    last), then in document order. Three queries whatever the number of tasks (the tasks, their
    latest progress note with its author, their lead bodies).

    Overdue (never a done or cancelled task):
    - a task with a deadline, once `due_on` < today. Its state is "Quá hạn" when it has a progress
      note, "Quá hạn, chưa có báo cáo tiến độ" when it has none (where "Chưa triển khai" would show);
    - a recurring task ("Hằng năm", "Tháng 6 hằng năm", "6 tháng", "hằng quý"), within the plan's
      years (period start to orientation year, or end year), when its latest due date before today
      has passed with no progress note since the due date before it: "Quá hạn, chưa có báo cáo
      tiến độ". "2 năm 1 lần", "Thường xuyên" and unread wordings are never overdue (no due date).
    Anything else shows its status. The caller has checked that the user may see the plan."""
    rows = _task_rows(plan=plan, today=today, with_leads=True)
    return sorted(
        rows,
        key=lambda row: (not row.is_overdue, row.due is None, row.due or date.max, row.task.order, row.task.pk),
    )


def plan_task_counts(*, plan, today: date) -> dict[str, int]:
    """The number of the plan's tasks in each TaskState (the states of plan_tasks_by_urgency), every
    state present (0 included), in TaskState's order: overdue ones first. Two queries."""
    counts = Counter(row.state for row in _task_rows(plan=plan, today=today, with_leads=False))
    return {state.value: counts.get(state.value, 0) for state in TaskState}
