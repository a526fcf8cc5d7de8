"""Admin of tasks: their lead/coordinating bodies and progress notes, and the task table on the
plan page (added to plans.admin.PlanAdmin from here, since plans imports no higher app).
A task and its participants and notes follow the task's plan (plans.admin_base.PlanPartAdminMixin)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from organisations.permissions import units_visible_to
from plans.admin import PlanAdmin
from plans.admin_base import PlanPartAdminMixin, plan_filter, plan_label
from plans.models import Plan
from plans.permissions import plan_list_managed_by
from portal.admin_history import ImportExportHistoryAdmin
from portal.admin_scope import ScopedInlineMixin, scoped_choices
from portal.admin_widgets import labelled_choices_filter

from .models import RECURRENCE_LABELS, TIMING_KIND_LABELS, ProgressNote, Task, TaskParticipant
from .resources import TaskResource


def timing_reading(task: Task):
    """ "Hạn 31/10/2024" — with the reason in red when the wording could not be read for sure."""
    if not task.pk:
        return "—"
    if task.timing_flag_reason:
        return format_html(
            '{} <strong class="warn-text">⚠ {}</strong>',
            task.timing_display or "—",
            task.timing_flag_reason,
        )
    return task.timing_display or "—"


class TaskInline(ScopedInlineMixin, admin.TabularInline):
    model = Task
    classes = ["plan-page-table"]  # kept within the plan page's width (static/css/plan_admin.css)
    fields = [
        "row_number",
        "content",
        "lead_wording",
        "coordinators_wording",
        "timing_wording",
        "reading",
        "status",
        "order",
    ]
    readonly_fields = ["reading"]
    show_change_link = True
    extra = 1
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in ("row_number", "order"):
            # A class, not a style attribute: the Content-Security-Policy refuses those (static/css/admin.css).
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} w-4em".strip()
        return field

    @admin.display(description=_("Cách hiểu thời hạn"))
    def reading(self, obj: Task):
        return timing_reading(obj)


PlanAdmin.inlines_from_other_apps = [*PlanAdmin.inlines_from_other_apps, TaskInline]


def managed_tasks(user):
    return Task.objects.filter(plan__in=plan_list_managed_by(user=user).values("pk"))


class TaskParticipantInline(ScopedInlineMixin, admin.TabularInline):
    model = TaskParticipant
    fields = ["role", "unit", "name", "order"]
    autocomplete_fields = ["unit"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            # A lead or coordinating unit among those the person can see (others by name).
            kwargs["queryset"] = scoped_choices(request, db_field, units_visible_to(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProgressNoteInline(ScopedInlineMixin, admin.TabularInline):
    model = ProgressNote
    fields = ["noted_on", "text", "author"]
    readonly_fields = ["author"]
    extra = 1
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Task)
class TaskAdmin(PlanPartAdminMixin, ImportExportHistoryAdmin):
    resource_classes = [TaskResource]
    import_help = _(
        "Kế hoạch (ID): số trong địa chỉ trang kế hoạch. Dòng có ID sẽ cập nhật nhiệm vụ đó; để trống ID là "
        "thêm mới. Thời gian ghi như văn bản (“Tháng 10 năm 2024”, “Hằng năm”); cổng tự đọc hạn từ đó."
    )
    list_display = ["content_short", "row_number", "plan_short", "lead_wording", "timing_wording", "reading", "status"]
    list_filter = [
        plan_filter(),
        "status",
        labelled_choices_filter("timing_kind", _("dạng thời hạn"), TIMING_KIND_LABELS),
        labelled_choices_filter("recurrence", _("lặp lại"), RECURRENCE_LABELS),
    ]
    search_fields = ["content", "lead_wording", "coordinators_wording", "plan__number"]
    search_help_text = _("Tìm theo nội dung, cơ quan chủ trì/phối hợp hoặc số hiệu kế hoạch.")
    autocomplete_fields = ["plan"]
    list_select_related = ["plan__issuer"]
    fieldsets = [
        (None, {"fields": ["plan", "row_number", "order", "content", "status", "note"]}),
        (_("Chủ trì, phối hợp"), {"fields": ["lead_wording", "coordinators_wording"]}),
        (_("Thời gian"), {"fields": ["timing_wording", "reading"]}),
    ]
    readonly_fields = ["reading"]
    inlines = [TaskParticipantInline, ProgressNoteInline]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 80})}}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            managed = plan_list_managed_by(user=request.user)
            kwargs["queryset"] = self.scoped_choices(
                request, db_field, managed, base=Plan.objects.select_related("issuer")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProgressNote:
            return super().save_formset(request, form, formset, change)
        for note in formset.save(commit=False):
            if note.author_id is None:
                note.author = request.user  # who wrote the note; kept when someone else edits it
            note.save()
        for note in formset.deleted_objects:
            note.delete()
        formset.save_m2m()
        return None

    @admin.display(description=_("nội dung công việc"), ordering="content")
    def content_short(self, obj: Task) -> str:
        return Truncator(obj.content).words(14)

    @admin.display(description=_("kế hoạch"), ordering="plan")
    def plan_short(self, obj: Task) -> str:
        return plan_label(obj.plan)

    @admin.display(description=_("Cách hiểu thời hạn"))
    def reading(self, obj: Task):
        return timing_reading(obj)


@admin.register(TaskParticipant)
class TaskParticipantAdmin(PlanPartAdminMixin, admin.ModelAdmin):
    plan_path = "task__plan"

    list_display = ["__str__", "role", "task_short", "order"]
    list_filter = ["role"]
    search_fields = ["name", "unit__name", "task__content"]
    autocomplete_fields = ["task", "unit"]
    list_select_related = ["task", "unit"]
    fields = ["task", "role", "unit", "name", "order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "task":
            kwargs["queryset"] = self.scoped_choices(request, db_field, managed_tasks(request.user))
        elif db_field.name == "unit":
            kwargs["queryset"] = self.scoped_choices(request, db_field, units_visible_to(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("nhiệm vụ"), ordering="task__content")
    def task_short(self, obj: TaskParticipant) -> str:
        return Truncator(obj.task.content).words(12)


@admin.register(ProgressNote)
class ProgressNoteAdmin(PlanPartAdminMixin, admin.ModelAdmin):
    plan_path = "task__plan"

    list_display = ["noted_on", "task_short", "text_short", "author"]
    list_filter = ["noted_on"]
    search_fields = ["text", "task__content"]
    autocomplete_fields = ["task"]
    list_select_related = ["task", "author"]
    date_hierarchy = "noted_on"
    fields = ["task", "noted_on", "text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "task":
            kwargs["queryset"] = self.scoped_choices(request, db_field, managed_tasks(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("nhiệm vụ"), ordering="task__content")
    def task_short(self, obj: ProgressNote) -> str:
        return Truncator(obj.task.content).words(12)

    @admin.display(description=_("tiến độ, kết quả"))
    def text_short(self, obj: ProgressNote) -> str:
        return Truncator(obj.text).words(16)
