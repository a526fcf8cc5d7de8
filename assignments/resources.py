"""Import/export columns of tasks. A task is matched by its ID; its plan by the plan's ID.
The reading of the timing (dạng thời hạn, hạn hoàn thành, lặp lại …) is export-only: it is derived
from "Thời gian (nguyên văn)" on save (assignments.timing)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from plans.models import Plan
from portal.import_resources import PortalResource
from portal.import_widgets import (
    ChoicesWidget,
    LookupForeignKeyWidget,
    VNDateWidget,
    VNIntegerWidget,
    choices_of,
    column,
)

from .models import Task


class TaskResource(PortalResource):
    id = column("id", "ID", VNIntegerWidget())
    plan = column("plan", _("Kế hoạch (ID)"), LookupForeignKeyWidget(Plan, field="pk"))
    row_number = column("row_number", _("STT"))
    content = column("content", _("Nội dung công việc"))
    lead_wording = column("lead_wording", _("Cơ quan chủ trì (nguyên văn)"))
    coordinators_wording = column("coordinators_wording", _("Cơ quan phối hợp (nguyên văn)"))
    timing_wording = column("timing_wording", _("Thời gian (nguyên văn)"))
    status = column(
        "status", _("Tình trạng"), ChoicesWidget(choices_of(Task, "status")), default=Task.Status.NOT_STARTED
    )
    note = column("note", _("Ghi chú"))
    order = column("order", _("Thứ tự"), VNIntegerWidget(), default=0)
    # Export-only: derived from the timing wording on save.
    timing_display = column("timing_display", _("Cách hiểu thời hạn"), readonly=True)
    timing_kind = column("timing_kind", _("Dạng thời hạn"), readonly=True)
    starts_on = column("starts_on", _("Bắt đầu"), VNDateWidget(), readonly=True)
    due_on = column("due_on", _("Hạn hoàn thành"), VNDateWidget(), readonly=True)
    recurrence = column("recurrence", _("Lặp lại"), readonly=True)
    timing_flag_reason = column("timing_flag_reason", _("Cảnh báo thời hạn"), readonly=True)

    class Meta:
        model = Task
        name = _("Nhiệm vụ")
        fields = (
            "id",
            "plan",
            "row_number",
            "content",
            "lead_wording",
            "coordinators_wording",
            "timing_wording",
            "status",
            "note",
            "order",
            "timing_display",
            "timing_kind",
            "starts_on",
            "due_on",
            "recurrence",
            "timing_flag_reason",
        )
        import_id_fields = ["id"]
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("plan")
