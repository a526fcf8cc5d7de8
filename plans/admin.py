"""Admin of plans: the plan page where a whole plan document is entered (targets with their values,
tasks, budget lines), and the pages of each part. Thin: values are written by
plans.services.target_set_values (through plans.forms.TargetInlineForm), checks read from
plans.selectors.

Scope (organisations.admin.OfficeAdminMixin): office staff see the plans plans.permissions lets them
read (their units' and those issued above them) with every part of them, and change only the plans
their units issued (can_edit_plan): a commune officer reads the district's plan, a POST to it is 403.
A plan's parts (targets, values, budget lines, and the tasks of assignments) follow their plan.
History (simple-history) is on every change page; targets refuse stale saves (plans.forms).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from indicators.admin import flag_label, value_reading, value_reading_html
from indicators.models import COMPARATOR_LABELS, FLAG_LABELS, VALUE_KIND_LABELS, Indicator
from indicators.wording import format_decimal_vi
from organisations.admin import OfficeAdminMixin, out_of_scope_message
from organisations.permissions import units_managed_by
from portal.admin_history import ImportExportHistoryAdmin, PortalHistoryAdmin
from portal.admin_import import ImportExportAdmin
from portal.admin_scope import EditConflictMixin, ScopedInlineMixin
from portal.admin_widgets import (
    KnownLabelsAutocompleteSelect,
    KnownLabelsAutocompleteSelectMultiple,
    labelled_choices_filter,
    titled_filter,
    use_known_labels,
)
from portal.terms import NO_NUMBER

from .admin_documents import ParentDocumentInline
from .forms import (
    BudgetLineForm,
    PlanAdminForm,
    TargetAdminForm,
    milestone_field_name,
    target_inline_form,
    target_touch,
)
from .models import BudgetLine, FundingSource, Plan, Target, TargetValue
from .permissions import can_edit_plan, plan_list_managed_by, plan_list_visible_to
from .resources import BudgetLineResource, FundingSourceResource, TargetResource, TargetValueResource
from .selectors import TargetRow, plan_budget_summary, plan_flagged_values, plan_list, value_reading_preview
from .services import plan_milestone_years_change
from .templatetags.plan_extras import vn_amount


def plan_label(plan: Plan) -> str:
    """Short plan label for lists and filters (str(plan) carries 80 characters of title)."""
    number = plan.number or str(NO_NUMBER)
    return f"{number} – {plan.issuer.name} ({plan.period_start_year}–{plan.period_end_year})"


def plan_filter(path: str = "plan"):
    """Filter by plan, one query for the choices (the stock related filter queries each issuer)."""

    class PlanFilter(admin.SimpleListFilter):
        title = _("kế hoạch")
        parameter_name = "ke_hoach"

        def lookups(self, request, model_admin):
            plans = plan_list_visible_to(user=request.user).select_related("issuer")
            return [(str(plan.pk), plan_label(plan)) for plan in plans.order_by("-period_start_year", "number")]

        def queryset(self, request, queryset):
            if self.value() is None or not self.value().isdigit():
                return queryset
            return queryset.filter(**{f"{path}_id": int(self.value())})

    return PlanFilter


class PlanPartAdminMixin(OfficeAdminMixin):
    """A row that belongs to a plan (through `plan_path`): visible with its plan, changed by whoever
    may change the plan; imports refuse rows of other units' plans."""

    #: The lookup from the row to its plan ("plan", "target__plan", "task__plan").
    plan_path = "plan"

    def plan_of(self, obj) -> Plan | None:
        for name in self.plan_path.split("__"):
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        return obj

    def scope_queryset(self, request, queryset):
        visible = plan_list_visible_to(user=request.user).values("pk")
        return queryset.filter(**{f"{self.plan_path}__in": visible})

    def scope_can_change(self, request, obj) -> bool:
        plan = self.plan_of(obj)
        return plan is not None and can_edit_plan(user=request.user, plan=plan)

    def import_scope_check(self, request):
        if request.user.is_superuser:
            return None
        column = self.plan_path.split("__")[0]

        def check(instance, *, stored: bool):
            if stored:
                if self.scope_can_change(request, instance):
                    return None
                return (NON_FIELD_ERRORS, out_of_scope_message(self.model, instance.pk))
            plan = self.plan_of(instance)
            if plan is None or can_edit_plan(user=request.user, plan=plan):
                return None  # no plan: the row's other errors say why
            return (
                column,
                gettext("Kế hoạch ID %(plan)s không thuộc các đơn vị bạn quản lý.") % {"plan": plan.pk},
            )

        return check


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
    Each row carries the target's version (hidden): plans.forms.TargetVersionForm refuses a row
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


class BudgetLineInline(ScopedInlineMixin, admin.TabularInline):
    model = BudgetLine
    classes = ["plan-page-table"]  # kept within the plan page's width (static/css/plan_admin.css)
    form = BudgetLineForm
    fields = ["number", "content", "amount", "amount_wording", "funding_wording", "funding_sources", "note", "order"]
    autocomplete_fields = ["funding_sources"]
    show_change_link = True
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("funding_sources")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Funding sources are a short list: label every row's choices from one query.
        use_known_labels(formset, "funding_sources", {s.pk: s for s in FundingSource.objects.all()})
        return formset

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "funding_sources":
            kwargs["widget"] = KnownLabelsAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Plan)
class PlanAdmin(OfficeAdminMixin, EditConflictMixin, PortalHistoryAdmin):
    form = PlanAdminForm
    list_display = [
        "number_display",
        "title_short",
        "issuer",
        "period",
        "status",
        "target_count",
        "flagged_count",
        "is_demo",
    ]
    list_display_links = ["number_display", "title_short"]
    list_filter = [
        "status",
        ("issuer__kind", titled_filter(admin.ChoicesFieldListFilter, _("loại cơ quan ban hành"))),
        "period_start_year",
        "period_end_year",
        ("issuer", admin.RelatedOnlyFieldListFilter),
        "is_demo",
    ]
    search_fields = ["number", "title", "issuer__name"]
    search_help_text = _("Tìm theo số hiệu, trích yếu hoặc tên cơ quan ban hành.")
    # Explicit: plan_list() groups rows (its counts), and a grouped query ignores Meta.ordering,
    # which the autocomplete's paginator would find unordered.
    ordering = ["-period_start_year", "title", "pk"]
    autocomplete_fields = ["issuer", "parent"]
    readonly_fields = ["parent", "budget_check", "flagged_values"]  # parent: from the Căn cứ table
    save_on_top = True
    fieldsets = [
        (
            _("Văn bản"),
            {
                "fields": [
                    "number",
                    "title",
                    "issuer",
                    "issued_on",
                    "issue_date_wording",
                    "status",
                    "parent",
                    "source_document",
                    "is_demo",
                ]
            },
        ),
        (
            _("Giai đoạn"),
            {
                "fields": [
                    "period_start_year",
                    "period_end_year",
                    "orientation_year",
                    "vision_year",
                    "period_wording",
                    "baseline_label",
                ]
            },
        ),
        (
            _("Nội dung"),
            {"fields": ["legal_basis", "general_objectives", "specific_objectives", "reporting_duty"]},
        ),
        (_("Kinh phí"), {"fields": ["budget_stated_total", "budget_stated_total_wording", "budget_check"]}),
        (_("Cần xem lại"), {"fields": ["flagged_values"]}),
    ]
    # Inlines of apps above plans (assignments adds the tasks): plans imports no higher app, so
    # they register themselves here from their own admin.py. Shown between targets and budget.
    inlines_from_other_apps: list[type[admin.options.InlineModelAdmin]] = []

    class Media:
        # The plan page's compact layout and the reading shown as a value is typed (no inline scripts).
        css = {"all": ["css/plan_admin.css"]}
        js = ["js/plan_admin.js"]

    def get_inlines(self, request, obj):
        return [ParentDocumentInline, TargetInline, *self.inlines_from_other_apps, BudgetLineInline]

    def get_urls(self):
        reading = path("cach-hieu/", self.admin_site.admin_view(self.reading_view), name="plans_plan_reading")
        return [reading, *super().get_urls()]

    def reading_view(self, request):
        """How the portal reads a value as it is typed (static/js/plan_admin.js): GET ?wording=…
        &indicator=<id> → {"reading", "flag", "reason", "warnings"}. Staff who may read plans."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        indicator_id = request.GET.get("indicator", "")
        indicator = None
        if indicator_id.isascii() and indicator_id.isdigit() and len(indicator_id) < 12:
            indicator = Indicator.objects.filter(pk=int(indicator_id)).first()
        return JsonResponse(value_reading_preview(wording=request.GET.get("wording", ""), indicator=indicator))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        add, remove = form.cleaned_data.get("milestone_year_add"), form.cleaned_data.get("milestone_year_remove")
        if add is not None or remove is not None:
            plan_milestone_years_change(
                plan=obj, add=[add] if add is not None else [], remove=[remove] if remove is not None else []
            )

    def get_queryset(self, request):
        qs = self.restrict(request, plan_list())
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def scope_queryset(self, request, queryset):
        return queryset.filter(pk__in=plan_list_visible_to(user=request.user).values("pk"))

    def scope_can_change(self, request, obj) -> bool:
        return can_edit_plan(user=request.user, plan=obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # The plan this one carries out: any plan the person can read (usually one from above).
            base = Plan.objects.select_related("issuer")
            kwargs["queryset"] = self.scoped_choices(
                request, db_field, plan_list_visible_to(user=request.user), base=base
            )
        elif db_field.name == "issuer":
            kwargs["queryset"] = self.scoped_choices(request, db_field, units_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def view_on_site(self, obj: Plan) -> str:
        return reverse("plans:detail", args=[obj.pk])

    @admin.display(description=_("số hiệu"), ordering="number")
    def number_display(self, obj: Plan) -> str:
        return obj.number or str(NO_NUMBER)

    @admin.display(description=_("trích yếu"), ordering="title")
    def title_short(self, obj: Plan) -> str:
        return Truncator(obj.title).words(16)

    @admin.display(description=_("giai đoạn"), ordering="period_start_year")
    def period(self, obj: Plan) -> str:
        text = f"{obj.period_start_year}–{obj.period_end_year}"
        return f"{text}, {gettext('định hướng')} {obj.orientation_year}" if obj.orientation_year else text

    @admin.display(description=_("số chỉ tiêu"), ordering="target_count")
    def target_count(self, obj: Plan) -> int:
        return obj.target_count

    @admin.display(description=_("giá trị cần xem lại"), ordering="flagged_count")
    def flagged_count(self, obj: Plan) -> int:
        return obj.flagged_count

    @admin.display(description=_("Kiểm tra kinh phí"))
    def budget_check(self, obj: Plan):
        if not obj.pk:
            return gettext("Lưu kế hoạch để kiểm tra kinh phí.")
        try:
            summary = plan_budget_summary(obj)
        except ValueError:
            return gettext("Có dòng kinh phí đánh số sai, chưa kiểm tra được.")
        unit = gettext("triệu đồng")
        rows = [
            format_html(
                "{}: <strong>{}</strong> {}", gettext("Tổng tính từ các dòng"), vn_amount(summary.computed_total), unit
            )
        ]
        if summary.stated_total is None:
            rows.append(gettext("Văn bản không ghi tổng kinh phí."))
        elif summary.total_difference:
            rows.append(
                format_html(
                    '<span class="warn-text">{}: {} {} — {}: {}</span>',
                    gettext("Văn bản ghi tổng"),
                    vn_amount(summary.stated_total),
                    unit,
                    gettext("chênh lệch"),
                    vn_amount(summary.total_difference),
                )
            )
        else:
            rows.append(format_html("{}: {} {} ✓", gettext("Văn bản ghi tổng"), vn_amount(summary.stated_total), unit))
        for node in summary.discrepancies:
            rows.append(
                format_html(
                    '<span class="warn-text">{} {} “{}”: {} {}, {} {}, {} {}</span>',
                    gettext("Mục"),
                    node.number,
                    Truncator(node.content).words(10),
                    gettext("văn bản ghi"),
                    vn_amount(node.stated),
                    gettext("cộng các dòng"),
                    vn_amount(node.computed),
                    gettext("chênh lệch"),
                    vn_amount(node.difference),
                )
            )
        if summary.roots and not summary.discrepancies:
            rows.append(gettext("Các mục đều khớp với tổng các dòng của mục."))
        return format_html_join("", "<div>{}</div>", ((row,) for row in rows))

    @admin.display(description=_("Giá trị cần xem lại"))
    def flagged_values(self, obj: Plan):
        if not obj.pk:
            return "—"
        values = list(plan_flagged_values(obj))
        if not values:
            return gettext("Không có giá trị nào cần xem lại.")
        return format_html(
            '<ul class="change-list-compact">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}{}</a> — {} {}: “{}” → {}. {}</li>',
                (
                    (
                        reverse("admin:plans_target_change", args=[value.target_id]),
                        f"{value.target.row_number}. " if value.target.row_number else "",
                        Truncator(value.target.wording).words(12),
                        value.get_role_display(),
                        value.year,
                        value.wording,
                        value.display or "—",
                        value.flag_reason,
                    )
                    for value in values
                ),
            ),
        )


# --- targets and their values ------------------------------------------------------------------


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
    """A target's page. Its form carries the version it was loaded at (plans.forms.TargetAdminForm):
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

    # The target moves on first, then the value is written: see plans.forms.target_changes_since().
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


# --- budget -----------------------------------------------------------------------------------------


@admin.register(FundingSource)
class FundingSourceAdmin(OfficeAdminMixin, ImportExportAdmin):
    """Funding sources are a catalogue shared by every office, not scoped to units: all office staff
    read it and may add or correct a source (budget lines of every plan point to the same rows)."""

    resource_classes = [FundingSourceResource]
    import_help = _("Một dòng một nguồn; nguồn trùng tên đã có được giữ nguyên.")
    list_display = ["name", "line_count"]
    search_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_count=Count("budget_lines"))

    @admin.display(description=_("số dòng kinh phí"), ordering="line_count")
    def line_count(self, obj: FundingSource) -> int:
        return obj.line_count


@admin.register(BudgetLine)
class BudgetLineAdmin(PlanPartAdminMixin, ImportExportHistoryAdmin):
    resource_classes = [BudgetLineResource]
    import_help = _(
        "Kế hoạch (ID): số trong địa chỉ trang kế hoạch. STT đánh số phân cấp 1, 1.1, 1.2 …; dòng cùng "
        "kế hoạch và STT đã có sẽ được cập nhật. Kinh phí (triệu đồng) ghi kiểu Việt Nam: 344.050 hoặc 2,5. "
        "Nguồn kinh phí: tên nguồn đã có, cách nhau bởi dấu chấm phẩy."
    )
    form = BudgetLineForm
    list_display = ["number", "content_short", "plan_short", "amount_display", "amount_wording", "funding_list"]
    list_display_links = ["number", "content_short"]
    list_filter = [plan_filter(), "funding_sources"]
    search_fields = ["content", "number", "plan__number", "funding_wording"]
    search_help_text = _("Tìm theo nội dung, STT, nguồn kinh phí hoặc số hiệu kế hoạch.")
    autocomplete_fields = ["plan", "funding_sources"]
    list_select_related = ["plan__issuer"]
    fields = BudgetLineForm.Meta.fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("funding_sources")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            base = Plan.objects.select_related("issuer")
            kwargs["queryset"] = self.scoped_choices(
                request, db_field, plan_list_managed_by(user=request.user), base=base
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("nội dung"), ordering="content")
    def content_short(self, obj: BudgetLine) -> str:
        return Truncator(obj.content).words(14)

    @admin.display(description=_("kế hoạch"), ordering="plan")
    def plan_short(self, obj: BudgetLine) -> str:
        return plan_label(obj.plan)

    @admin.display(description=_("kinh phí (triệu đồng)"), ordering="amount")
    def amount_display(self, obj: BudgetLine) -> str:
        return vn_amount(obj.amount)

    @admin.display(description=_("nguồn kinh phí"))
    def funding_list(self, obj: BudgetLine) -> str:
        return "; ".join(source.name for source in obj.funding_sources.all())
