"""{% task_progress_form task as pf %}: what templates/assignments/_task_progress_form.html shows."""

from __future__ import annotations

from django import template

from plans.inline_forms import take_refused
from plans.permissions import can_edit_plan

from ..forms import TaskProgressForm, progress_form_key

register = template.Library()


@register.simple_tag(takes_context=True)
def task_progress_form(context, task) -> dict:
    """{"can_edit": False} unless the user manages the task's plan (the form would be refused);
    otherwise {"can_edit": True, "form", "errors", "open"}: the form holds what was typed the last
    time it was refused (then `errors` says why and `open` is True), or the task's status and today.
    Reads task.plan (plan_tasks_by_urgency sets it) and its issuer (one query per page when the plan
    came without it)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated or not can_edit_plan(user=user, plan=task.plan):
        return {"can_edit": False}
    refused = take_refused(request, key=progress_form_key(task.pk))
    form = TaskProgressForm(initial=refused["data"] if refused else None, task=task, auto_id=f"task{task.pk}-%s")
    return {"can_edit": True, "form": form, "errors": refused["errors"] if refused else [], "open": bool(refused)}
