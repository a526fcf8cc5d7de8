"""The office's progress form on a plan's dashboard (templates/assignments/_task_progress_form.html)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.forms import PlainTextField

from .models import Task
from .services import PROGRESS_TEXT_MAX_LENGTH


def progress_form_key(task_pk: int) -> str:
    """The key a task's refused progress form is kept under (plans.inline_forms)."""
    return f"tasks:progress:{task_pk}"


class TaskProgressForm(forms.Form):
    """A task's new status and, optionally, a dated progress note; assignments.services.task_record_progress
    decides what may be recorded (a note when marking done, no date in the future …)."""

    status = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=Task.Status.choices,
        error_messages={"required": _("Chọn tình trạng."), "invalid_choice": _("Tình trạng không hợp lệ.")},
    )
    noted_on = forms.DateField(
        label=_("Ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Nhập ngày ghi nhận."),
            "invalid": _("Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 25/11/2026."),
        },
    )
    text = PlainTextField(
        label=_("Tiến độ, kết quả"),
        required=False,
        max_length=PROGRESS_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": PROGRESS_TEXT_MAX_LENGTH, "class": "full-width"}),
    )

    def __init__(self, *args, task: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if task is not None:
            self.initial.setdefault("status", task.status)
        self.initial.setdefault("noted_on", timezone.localdate())
        self.fields["noted_on"].widget.attrs["max"] = timezone.localdate().isoformat()
