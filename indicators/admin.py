"""Admin of the indicator catalogue, and the read-only "how the portal read this value" display
shared by every admin that shows a ParsedValueFields row (plans/admin.py)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from organisations.admin import OfficeAdminMixin
from portal.admin_import import ImportExportAdmin

from .models import FLAG_LABELS, Indicator, ParsedValueFields
from .permissions import indicator_change_refusal, office_unit_of
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
        '{} <strong class="warn-text">⚠ {}</strong>',
        value.display or "—",
        value.flag_reason or FLAG_LABELS.get(value.flag, value.flag),
    )


def flag_label(value: ParsedValueFields) -> str:
    return str(FLAG_LABELS.get(value.flag, "")) if value.flag else ""


@admin.register(Indicator)
class IndicatorAdmin(OfficeAdminMixin, ImportExportAdmin):
    """The indicator catalogue is shared by every office, not scoped to units: all office staff read
    it and add indicators; an indicator another unit's plan uses opens read-only, without a delete
    button, for those indicators.permissions refuses (a POST to it is 403, an import row an error).
    Leaders and principals get no admin (OfficeAdminMixin)."""

    resource_classes = [IndicatorResource]
    import_help = _(
        "Dòng có mã chỉ số đã có sẽ cập nhật chỉ số đó; để trống mã là thêm mới (mã tạo tự động). Cấp học ghi "
        "mã (PRESCHOOL, PRIMARY …) hoặc để trống nếu dùng chung. Các ô lựa chọn ghi như trong tệp xuất ra."
    )
    list_display = ["name", "level", "unit", "aggregation", "direction", "is_active", "code", "created_by_unit"]
    list_filter = ["level", "unit", "aggregation", "direction", "is_active"]
    search_fields = ["name", "code"]
    search_help_text = _("Tìm theo tên hoặc mã chỉ số.")
    list_select_related = ["level", "created_by_unit"]
    ordering = ["level__order", "name"]
    list_per_page = 100
    readonly_fields = ["created_by_unit"]
    fieldsets = [
        (None, {"fields": ["name", "level", "levels", "unit", "noun", "code", "is_active", "created_by_unit"]}),
        (_("Tỷ lệ"), {"fields": ["numerator_label", "denominator_label"]}),
        (_("Mức/giai đoạn"), {"fields": ["stages"]}),
        (_("Tổng hợp"), {"fields": ["direction", "aggregation", "description"]}),
    ]

    def refusal(self, request, obj) -> str | None:
        cache = request.__dict__.setdefault("_indicator_refusals", {})
        if obj.pk not in cache:
            cache[obj.pk] = indicator_change_refusal(request.user, obj)
        return cache[obj.pk]

    def scope_can_change(self, request, obj) -> bool:
        return self.refusal(request, obj) is None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            reason = self.refusal(request, obj)
            if reason:
                self.message_user(request, reason, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_unit_id is None:
            obj.created_by_unit = office_unit_of(request.user)
        super().save_model(request, obj, form, change)

    def import_scope_check(self, request):
        if request.user.is_superuser:
            return None

        def check(indicator: Indicator, *, stored: bool):
            reason = indicator_change_refusal(request.user, indicator) if stored else None
            return (NON_FIELD_ERRORS, reason) if reason else None

        return check

    def import_before_save(self, request):
        unit = office_unit_of(request.user)

        def before(indicator: Indicator, is_create: bool) -> None:
            if is_create and indicator.created_by_unit_id is None:
                indicator.created_by_unit = unit

        return before

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "code" and field is not None:
            field.help_text = _(
                "Dùng trong tệp nhập chỉ tiêu. Để trống: tạo tự động từ cấp học và tên, ví dụ “mn-ty-le-huy-dong-tre”."
            )
        return field
