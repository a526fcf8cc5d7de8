"""Admin of the indicator catalogue, and the read-only "how the portal read this value" display
shared by every admin that shows a ParsedValueFields row (plans/admin.py)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from organisations.admin import OfficeAdminMixin
from portal.admin_mixins import ImportExportAdmin

from .models import FLAG_LABELS, Indicator, ParsedValueFields
from .resources import IndicatorResource


# The stored codes are English (indicators.wording); staff read these.
def value_reading(value: ParsedValueFields | None) -> str:
    """ "> 35 %" — or, for a flagged value, "> 35 % ⚠ <why>". Plain text, safe to escape."""
    if value is None or not value.pk:
        return "—"
    reading = value.display or "—"
    if value.flag:
        return f"{reading} ⚠ {value.flag_reason or FLAG_LABELS.get(value.flag, value.flag)}"
    return reading


def value_reading_html(value: ParsedValueFields | None):
    """value_reading() with the warning in the admin's error colour."""
    if value is None or not value.pk:
        return "—"
    if not value.flag:
        return value.display or "—"
    return format_html(
        '{} <strong style="color: var(--error-fg)">⚠ {}</strong>',
        value.display or "—",
        value.flag_reason or FLAG_LABELS.get(value.flag, value.flag),
    )


def flag_label(value: ParsedValueFields) -> str:
    return str(FLAG_LABELS.get(value.flag, "")) if value.flag else ""


@admin.register(Indicator)
class IndicatorAdmin(OfficeAdminMixin, ImportExportAdmin):
    """The indicator catalogue is shared by every office, not scoped to units: all office staff read
    it and may add or correct indicators (their plans' targets point to the same rows). Only the
    role gate of OfficeAdminMixin applies: leaders and principals get no admin."""

    resource_classes = [IndicatorResource]
    import_help = _(
        "Dòng có mã chỉ số đã có sẽ cập nhật chỉ số đó; để trống mã là thêm mới (mã tạo tự động). Cấp học ghi "
        "mã (PRESCHOOL, PRIMARY …) hoặc để trống nếu dùng chung. Các ô lựa chọn ghi như trong tệp xuất ra."
    )
    list_display = ["name", "level", "unit", "aggregation", "direction", "is_active", "code"]
    list_filter = ["level", "unit", "aggregation", "direction", "is_active"]
    search_fields = ["name", "code"]
    search_help_text = _("Tìm theo tên hoặc mã chỉ số.")
    list_select_related = ["level"]
    ordering = ["level__order", "name"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["name", "level", "levels", "unit", "noun", "code", "is_active"]}),
        (_("Tỷ lệ"), {"fields": ["numerator_label", "denominator_label"]}),
        (_("Mức/giai đoạn"), {"fields": ["stages"]}),
        (_("Tổng hợp"), {"fields": ["direction", "aggregation", "description"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "code" and field is not None:
            field.help_text = _(
                "Dùng trong tệp nhập chỉ tiêu. Để trống: tạo tự động từ cấp học và tên, ví dụ “mn-ty-le-huy-dong-tre”."
            )
        return field
