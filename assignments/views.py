"""The office records a task's status and progress from a table cell (a dashboard, the plan page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.inline_forms import keep_refused, redirect_back

from .forms import TaskProgressForm, progress_form_key
from .permissions import get_task_for_user
from .services import task_record_progress


@login_required
@require_POST
def task_progress_view(request: HttpRequest, task_pk: int) -> HttpResponse:
    """Record a task's status and progress note (templates/assignments/_task_progress_form.html),
    then back to `next` or the plan's task table. 404 outside the user's units, 403 unless the user
    manages the plan's issuer; a refusal is a message and the form keeps what was typed."""
    task = get_task_for_user(request.user, task_pk, write=True)
    form = TaskProgressForm(request.POST, task=task)
    errors: list[str] = [message for field_errors in form.errors.values() for message in field_errors]
    if not errors:
        try:
            task_record_progress(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors = error.messages
    name = Truncator(task.content).chars(60)
    if errors:
        keep_refused(
            request,
            key=progress_form_key(task.pk),
            data={field: form[field].value() or "" for field in form.fields},
            errors=errors,
        )
        messages.error(
            request, _("Chưa lưu tiến độ “%(task)s”: %(errors)s") % {"task": name, "errors": " ".join(errors)}
        )
    else:
        messages.success(request, _("Đã cập nhật tiến độ “%(task)s”.") % {"task": name})
    return redirect_back(request, default=reverse("plans:detail", args=[task.plan_id]) + "#nhiem-vu")
