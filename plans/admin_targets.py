"""Admin of a plan's targets: the target table on the plan page (one row a target, its values in
the row) and the pages of targets and of their values. Values are written by
plans.services.target_set_values through plans.forms_targets.TargetInlineForm; a stale save is refused."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from indicators.admin import flag_label, value_reading, value_reading_html
from indicators.models import COMPARATOR_LABELS, FLAG_LABELS, VALUE_KIND_LABELS, Indicator
from indicators.wording import format_decimal_vi
from portal.admin_history import ImportExportHistoryAdmin
from portal.admin_scope import EditConflictMixin, ScopedInlineMixin
from portal.admin_widgets import (
    KnownLabelsAutocompleteSelect,
    labelled_choices_filter,
    titled_filter,
    use_known_labels,
)

from .admin_base import PlanPartAdminMixin, plan_filter, plan_label
from .forms_targets import TargetAdminForm, milestone_field_name, target_inline_form, target_touch
from .models import Plan, Target, TargetValue
from .permissions import plan_list_managed_by, plan_list_visible_to
from .resources import TargetResource, TargetValueResource
from .selectors import TargetRow


def _years_text(values) -> str:
    """ "HT 2024: 79,3 % · 2025: 78 % · 2030: ??? ⚠" from a target's (prefetched) values."""
    parts = []
    for value in sorted(values, key=lambda v: (v.role != TargetValue.Role.BASELINE, v.year)):
        label = gettext("HT %(year)s") % {"year": value.year} if value.role == TargetValue.Role.BASELINE else value.year
        parts.append(f"{label}: {value.display or '—'}{' ⚠' if value.flag else ''}")
    return " · ".join(parts) or "—"


def _row_warnings(target: Target) -> list[str]:
    """plans.checks warnings of one row (wrong kind for the indicator, worse than before),
    from the target's prefetched values."""
    baseline, milestones = None, {}
    for value in target.values.all():
        if value.role == TargetValue.Role.BASELINE:
            baseline = value
        else:
            milestones[value.year] = value
    return TargetRow(target=target, baseline=baseline, milestones=milestones).warnings


def _reading_with_warnings(target: Target):
    """The row's reading for the plan page's target table, in a cell wide enough to read."""
    warnings = _row_warnings(target)
    return format_html(
        '<div class="reading-cell">{}{}</div>',
        _years_text(target.values.all()),
        format_html_join(
            "",
            '<br><small class="warn-text">⚠ {}</small>',
            ((w,) for w in warnings),
        ),
    )


# --- the plan page ---------------------------------------------------------------------------


class TargetInline(ScopedInlineMixin, admin.TabularInline):
    """The plan's target table: one row per target, one "Chỉ tiêu <năm>" column per milestone year
    of the plan (no year columns on the add page: the plan's years are known once it is saved).
    Each row carries the target's version (hidden): plans.forms_targets.TargetVersionForm refuses a row
    someone else saved since the page was loaded."""

    model = Target
    template = "admin/plans/target_inline.html"
    classes = ["plan-page-table"]  # the read-only table (stock template) kept within the page too
    show_change_link = True
    autocomplete_fields = ["indicator"]
    readonly_fields = ["values_reading"]
    fields_before_years = [
        "loaded_version",
        "loaded_fingerprint",
        "row_number",
        "section",
        "indicator",
        "wording",
        "baseline_year",
        "baseline_wording",
    ]
    fields_after_years = ["order", "note", "evidence_required", "parent_target", "values_reading"]

    def get_queryset(self, request):
        values = Prefetch("values", queryset=TargetValue.objects.order_by("role", "year"))
        return super().get_queryset(request).select_related("indicator__level").prefetch_related(values)

    def get_extra(self, request, obj=None, **kwargs) -> int:
        return 3 if obj is None or not obj.targets.exists() else 1

    def get_fields(self, request, obj=None):
        if not self.has_change_permission(request, obj):
            # Read-only: the value cells are form fields, not attributes; "Cách hiểu" shows them.
            return ["row_number", "section", "indicator", "wording", *self.fields_after_years]
        years = [milestone_field_name(year) for year in self._years(obj)]
        fields = [*self.fields_before_years, *years, *self.fields_after_years]
        if obj is None or not obj.parent_id:
            # A parent target belongs to the parent plan (Target.clean): no parent plan, no choice.
            fields.remove("parent_target")
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = target_inline_form(
            years=self._years(obj),
            default_baseline_year=_usual_baseline_year(obj),
            baseline_label=obj.get_baseline_label_display() if obj is not None else "",
        )
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk:
            # One query for every row's chosen indicator (and parent target), not one per row.
            used = Indicator.objects.filter(targets__plan=obj).select_related("level").distinct()
            use_known_labels(formset, "indicator", {indicator.pk: indicator for indicator in used})
            if "parent_target" in formset.form.base_fields:
                parents = Target.objects.filter(child_targets__plan=obj).distinct()
                use_known_labels(formset, "parent_target", {target.pk: target for target in parents})
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("indicator", "parent_target"):
            kwargs["widget"] = KnownLabelsAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        if db_field.name == "indicator":
            kwargs["queryset"] = db_field.related_model.objects.select_related("level")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            db_field.name in ("indicator", "parent_target")
            and field is not None
            and hasattr(field.widget, "can_add_related")
        ):
            # Keep "+" for the indicator (a plan often needs a new one) but not four icons on every row.
            field.widget.can_change_related = field.widget.can_delete_related = False
            field.widget.can_view_related = False
            field.widget.can_add_related = field.widget.can_add_related and db_field.name == "indicator"
        return field

    @staticmethod
    def _years(obj: Plan | None) -> list[int]:
        if obj is None or not obj.pk:
            return []
        # milestone_years queries the values; get_fields/get_formset ask several times a request.
        if "_admin_milestone_years" not in obj.__dict__:
            obj.__dict__["_admin_milestone_years"] = obj.milestone_years
        return obj.__dict__["_admin_milestone_years"]

    @admin.display(description=_("Cách hiểu"))
    def values_reading(self, obj: Target):
        if not obj.pk:
            return "—"
        return _reading_with_warnings(obj)


def _usual_baseline_year(plan: Plan | None) -> int | None:
    """The baseline year most of the plan's targets use, else its first year: pre-filled on new rows."""
    if plan is None or not plan.pk:
        return None
    row = (
        TargetValue.objects.filter(target__plan=plan, role=TargetValue.Role.BASELINE)
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n", "-year")
        .first()
    )
    return row["year"] if row else plan.period_start_year


class HasFlaggedValueFilter(admin.SimpleListFilter):
    title = _("giá trị cần xem lại")
    parameter_name = "can_xem_lai"

    def lookups(self, request, model_admin):
        return [("yes", _("Có")), ("no", _("Không"))]

    def queryset(self, request, queryset):
        flagged = Exists(TargetValue.objects.filter(target=OuterRef("pk")).exclude(flag=""))
        if self.value() == "yes":
            return queryset.filter(flagged)
        if self.value() == "no":
            return queryset.exclude(flagged)
        return queryset


class TargetValueInline(ScopedInlineMixin, admin.TabularInline):
    model = TargetValue
    fields = ["role", "year", "wording", "reading", "flag_display"]
    readonly_fields = ["reading", "flag_display"]
    extra = 1

    @admin.display(description=_("Cách hiểu"))
    def reading(self, obj: TargetValue):
        return value_reading_html(obj)

    @admin.display(description=_("cảnh báo"))
    def flag_display(self, obj: TargetValue) -> str:
        return flag_label(obj) if obj.pk else ""


@admin.register(Target)
class TargetAdmin(PlanPartAdminMixin, EditConflictMixin, ImportExportHistoryAdmin):
    """A target's page. Its form carries the version it was loaded at (plans.forms_targets.TargetAdminForm):
    a save from a stale page is refused with what changed in between; values edited in the table
    below count as a change of the target."""

    form = TargetAdminForm
    resource_classes = [TargetResource]
    import_help = _(
        "Kế hoạch (ID): số trong địa chỉ trang kế hoạch (/quan-tri/plans/plan/<ID>/change/). Mã chỉ số: "
        "xem danh mục chỉ số. Dòng có ID sẽ cập nhật chỉ tiêu đó; để trống ID là thêm mới. Giá trị hiện trạng "
        "và chỉ tiêu theo năm nhập ở trang Giá trị chỉ tiêu hoặc ngay trên trang kế hoạch."
    )
    list_display = ["wording_short", "row_number", "plan_short", "indicator", "values_summary", "order"]
    list_filter = [
        plan_filter(),
        ("indicator__level", titled_filter(admin.RelatedFieldListFilter, _("cấp học"))),
        HasFlaggedValueFilter,
    ]
    search_fields = ["wording", "section", "indicator__name", "indicator__code", "plan__number"]
    search_help_text = _("Tìm theo tên chỉ tiêu, mục, chỉ số hoặc số hiệu kế hoạch.")
    autocomplete_fields = ["plan", "indicator", "parent_target"]
    list_select_related = ["plan__issuer", "indicator__level"]
    fields = [
        "loaded_version",
        "plan",
        "section",
        "row_number",
        "order",
        "indicator",
        "wording",
        "note",
        "parent_target",
        "row_checks",
    ]
    readonly_fields = ["row_checks"]
    inlines = [TargetValueInline]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.is_version_view(request) or (obj is not None and not self.has_change_permission(request, obj)):
            return [f for f in fields if f != "loaded_version"]  # read-only page: nothing to save
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            base = Plan.objects.select_related("issuer")
            kwargs["queryset"] = self.scoped_choices(
                request, db_field, plan_list_managed_by(user=request.user), base=base
            )
        elif db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.select_related("level")
        elif db_field.name == "parent_target":
            visible = Target.objects.filter(plan__in=plan_list_visible_to(user=request.user).values("pk"))
            kwargs["queryset"] = self.scoped_choices(request, db_field, visible)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def related_histories(self, obj):
        return [
            (
                TargetValue,
                TargetValue.history.filter(target_id=obj.pk),
                lambda record: f"{record.get_role_display()} {record.year}",
            )
        ]

    def import_before_save(self, request):
        def next_version(target: Target, is_create: bool) -> None:
            # An imported row is a change like any other: a page loaded before it is refused.
            if not is_create:
                target.version = (
                    Target.objects.filter(pk=target.pk).values_list("version", flat=True).first() or 0
                ) + 1

        return next_version

    @admin.display(description=_("tên chỉ tiêu"), ordering="wording")
    def wording_short(self, obj: Target) -> str:
        return Truncator(obj.wording).words(14)

    @admin.display(description=_("kế hoạch"), ordering="plan")
    def plan_short(self, obj: Target) -> str:
        return plan_label(obj.plan)

    @admin.display(description=_("giá trị (cách hiểu)"))
    def values_summary(self, obj: Target) -> str:
        return _years_text(obj.values.all())

    @admin.display(description=_("Kiểm tra cả dòng"))
    def row_checks(self, obj: Target):
        if not obj.pk:
            return "—"
        warnings = _row_warnings(obj)
        if not warnings:
            return gettext("Không thấy điều gì bất thường giữa các giá trị của dòng.")
        return format_html_join("", "<div>⚠ {}</div>", ((w,) for w in warnings))


@admin.register(TargetValue)
class TargetValueAdmin(PlanPartAdminMixin, ImportExportHistoryAdmin):
    """A value on its own page. Saving or deleting it moves its target's version on (target_touch),
    so a target page loaded before is refused instead of overwriting it."""

    plan_path = "target__plan"
    resource_classes = [TargetValueResource]
    import_help = _(
        "Mỗi dòng một giá trị: Chỉ tiêu (ID), Loại (Hiện trạng/Chỉ tiêu), Năm, Nguyên văn (như văn bản: "
        "79,3%, Trên 35%, 06 trường). Giá trị đã có cùng chỉ tiêu, loại và năm sẽ được cập nhật. Các cột cách "
        "hiểu chỉ để đọc: cổng tự đọc lại từ nguyên văn."
    )
    list_display = ["target_short", "role", "year_display", "wording", "reading", "flag_display", "flag_reason"]
    list_filter = [
        labelled_choices_filter("flag", _("cảnh báo"), FLAG_LABELS),
        "role",
        "year",
        labelled_choices_filter("value_kind", _("dạng giá trị"), VALUE_KIND_LABELS),
        plan_filter("target__plan"),
    ]
    search_fields = ["wording", "target__wording", "target__indicator__name"]
    search_help_text = _("Tìm theo nguyên văn giá trị hoặc tên chỉ tiêu.")
    autocomplete_fields = ["target"]
    list_select_related = ["target"]
    ordering = ["target__plan", "target__order", "target", "role", "year"]
    fields = [
        "target",
        "role",
        "year",
        "wording",
        "reading",
        "value_kind_display",
        "comparator_display",
        "value_display",
        "value_high_display",
        "numerator",
        "denominator",
        "noun",
        "stage",
        "flag_display",
        "flag_reason",
    ]
    readonly_fields = fields[fields.index("reading") :]  # everything after the wording is derived from it

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "target":
            managed = Target.objects.filter(plan__in=plan_list_managed_by(user=request.user).values("pk"))
            kwargs["queryset"] = self.scoped_choices(request, db_field, managed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # The target moves on first, then the value is written: see plans.forms_targets.target_changes_since().
    def save_model(self, request, obj, form, change):
        target_touch(obj.target)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        target_touch(obj.target)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for target in Target.objects.filter(pk__in=queryset.values("target_id")):
            target_touch(target)
        super().delete_queryset(request, queryset)

    def import_before_save(self, request):
        return lambda value, is_create: target_touch(value.target)

    @admin.display(description=_("chỉ tiêu"), ordering="target__wording")
    def target_short(self, obj: TargetValue) -> str:
        return Truncator(obj.target.wording).words(12)

    @admin.display(description=_("năm"), ordering="year")
    def year_display(self, obj: TargetValue) -> str:
        return str(obj.year)  # not "2.025": a year takes no thousands dot

    @admin.display(description=_("Cách hiểu"))
    def reading(self, obj: TargetValue) -> str:
        return value_reading(obj) if obj.pk else "—"

    @admin.display(description=_("cảnh báo"), ordering="flag")
    def flag_display(self, obj: TargetValue) -> str:
        return flag_label(obj)

    @admin.display(description=_("dạng giá trị"))
    def value_kind_display(self, obj: TargetValue) -> str:
        return str(VALUE_KIND_LABELS.get(obj.value_kind, obj.value_kind))

    @admin.display(description=_("so sánh"))
    def comparator_display(self, obj: TargetValue) -> str:
        return str(COMPARATOR_LABELS.get(obj.comparator, obj.comparator))

    @admin.display(description=_("giá trị"))
    def value_display(self, obj: TargetValue) -> str:
        return format_decimal_vi(obj.value) if obj.value is not None else ""

    @admin.display(description=_("giá trị cận trên"))
    def value_high_display(self, obj: TargetValue) -> str:
        return format_decimal_vi(obj.value_high) if obj.value_high is not None else ""
