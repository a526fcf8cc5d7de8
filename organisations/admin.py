"""Admin of the organisation tree. Thin: validation lives in OrgUnit.clean(), paths in OrgUnit.save()."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import ImportExportAdmin, titled_filter

from .models import OrgUnit, SchoolLevel
from .resources import OrgUnitResource


@admin.register(SchoolLevel)
class SchoolLevelAdmin(admin.ModelAdmin):
    """Read-only: the five levels come from a data migration and are referred to by code."""

    list_display = ["name", "short_name", "code", "order"]
    ordering = ["order"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClosedFilter(admin.SimpleListFilter):
    title = _("tình trạng hoạt động")
    parameter_name = "hoat_dong"

    def lookups(self, request, model_admin):
        return [("open", _("Đang hoạt động")), ("closed", _("Đã giải thể/sáp nhập"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "open":
            return queryset.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))
        if self.value() == "closed":
            return queryset.filter(closed_on__lte=today)
        return queryset


@admin.register(OrgUnit)
class OrgUnitAdmin(ImportExportAdmin):
    resource_classes = [OrgUnitResource]
    import_help = _(
        "Trực thuộc, Sáp nhập vào: ghi mã đơn vị; đơn vị chưa có mã ghi #ID (ví dụ #12). Đơn vị cấp trên có thể "
        "nằm ở dòng trước trong cùng tệp. Cấp học: mã, cách nhau bởi dấu phẩy (PRESCHOOL, PRIMARY, "
        "LOWER_SECONDARY, UPPER_SECONDARY, VOCATIONAL_CONTINUING). Ngày ghi ngày/tháng/năm. Dòng có ID sẽ "
        "cập nhật đơn vị đó; để trống ID là thêm mới."
    )
    list_display = ["name", "kind", "parent", "code", "level_list", "closed_on"]
    list_filter = [
        "kind",
        "levels",
        "ownership",
        "is_education_office",
        "is_demo",
        ClosedFilter,
        ("parent__kind", titled_filter(admin.ChoicesFieldListFilter, _("loại đơn vị cấp trên"))),
    ]
    search_fields = ["name", "code"]
    search_help_text = _("Tìm theo tên hoặc mã đơn vị.")
    autocomplete_fields = ["parent", "successor"]
    list_select_related = ["parent"]
    ordering = ["path"]  # the tree order: each unit right after its parent
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["name", "kind", "kind_label", "parent", "code", "is_education_office"]}),
        (_("Trường học"), {"fields": ["levels", "ownership"]}),
        (_("Sáp nhập, giải thể"), {"fields": ["valid_from", "closed_on", "successor"]}),
        (_("Khác"), {"fields": ["is_demo"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "levels":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("cấp học"))
    def level_list(self, obj: OrgUnit) -> str:
        return ", ".join(level.short_name for level in obj.levels.all())
