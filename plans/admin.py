"""Admin of plans: the plan page where a whole plan document is entered (targets with their values,
tasks, budget lines), and the pages of each part. Thin: values are written by
plans.services.target_set_values (through plans.forms_targets.TargetInlineForm), checks read from
plans.selectors.

Scope (organisations.admin.OfficeAdminMixin): office staff see the plans plans.permissions lets them
read (their units' and those issued above them) with every part of them, and change only the plans
their units issued (can_edit_plan): a commune officer reads the district's plan, a POST to it is 403.
A plan's parts (targets, values, budget lines, and the tasks of assignments) follow their plan.
History (simple-history) is on every change page; targets refuse stale saves (plans.forms_targets).

The plan page is here; its target table and the targets' pages are in admin_targets.py, the budget
in admin_budget.py, the "Căn cứ" documents in admin_documents.py, what they share in admin_base.py.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from organisations.admin import OfficeAdminMixin
from organisations.permissions import units_managed_by
from portal.admin_history import PortalHistoryAdmin
from portal.admin_scope import EditConflictMixin
from portal.admin_widgets import (
    titled_filter,
)
from portal.terms import NO_NUMBER

from .admin_budget import BudgetLineInline
from .admin_documents import ParentDocumentInline
from .admin_targets import TargetInline
from .forms import PlanAdminForm
from .models import Plan
from .permissions import can_edit_plan, plan_list_visible_to
from .selectors import plan_budget_summary, plan_flagged_values, plan_list, value_reading_preview
from .services import plan_milestone_years_change
from .templatetags.plan_extras import vn_amount


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
