"""Writes to tasks."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import OrgUnit

from .models import ProgressNote, Task, TaskParticipant

#: The longest progress note the office types on a dashboard (assignments.forms.TaskProgressForm).
PROGRESS_TEXT_MAX_LENGTH = 2000


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


@transaction.atomic
def task_record_progress(*, task: Task, status: str, text: str, noted_on: datetime.date, by) -> Task:
    """Record how far the task is: a progress note dated `noted_on` when `text` is given (author `by`),
    and the task's new `status` (its history records `by`), both or neither. Returns the task, reloaded.

    Refused with a Vietnamese ValidationError (keyed by field): an unknown status; a note dated in
    the future or before the year preceding the plan's period; text longer than
    PROGRESS_TEXT_MAX_LENGTH or holding a NUL character; marking the task done or stopped without
    saying what was done or why (a leader reads that note); a submission that changes nothing.
    The caller has checked that `by` manages the task's plan (assignments.permissions)."""
    # Locked first: the checks below compare with the status as it is now, not as the page showed it.
    task = Task.objects.select_for_update(of=("self",)).select_related("plan").get(pk=task.pk)
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if status not in Task.Status.values:
        errors["status"] = _("Tình trạng không hợp lệ.")
    if noted_on is None:
        errors["noted_on"] = _("Nhập ngày ghi nhận.")
    elif noted_on > timezone.localdate():
        errors["noted_on"] = _("Ngày ghi nhận không được sau hôm nay.")
    elif noted_on.year < task.plan.period_start_year - 1:
        errors["noted_on"] = _("Ngày ghi nhận không được trước năm %(year)s.") % {
            "year": task.plan.period_start_year - 1
        }
    if "\x00" in text:
        errors["text"] = _("Nội dung có ký tự không hợp lệ (NUL). Hãy gõ lại hoặc dán dưới dạng văn bản thường.")
    elif len(text) > PROGRESS_TEXT_MAX_LENGTH:
        errors["text"] = _("Nội dung tiến độ dài quá %(max)s ký tự.") % {"max": PROGRESS_TEXT_MAX_LENGTH}
    elif not text and status in (Task.Status.DONE, Task.Status.CANCELLED) and status != task.status:
        errors["text"] = (
            _("Ghi kết quả đã đạt khi đánh dấu hoàn thành.")
            if status == Task.Status.DONE
            else _("Ghi lý do khi dừng thực hiện nhiệm vụ.")
        )
    elif not text and status == task.status:
        errors["text"] = _("Chưa có gì thay đổi: hãy ghi tiến độ hoặc chọn tình trạng mới.")
    if errors:
        raise ValidationError(errors)

    if text:
        note = ProgressNote(task=task, noted_on=noted_on, text=text, author=by)
        note.full_clean()
        note.save()
    if status != task.status:
        task.status = status
        task._history_user = by  # the author, also outside a web request
        task.full_clean()
        task.save(update_fields=["status"])
    return task
