"""Admin of a plan's budget: the budget table on the plan page, the budget lines' pages and the
funding sources (a catalogue every office shares)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from organisations.admin import OfficeAdminMixin
from portal.admin_history import ImportExportHistoryAdmin
from portal.admin_import import ImportExportAdmin
from portal.admin_scope import ScopedInlineMixin
from portal.admin_widgets import (
    KnownLabelsAutocompleteSelectMultiple,
    use_known_labels,
)

from .admin_base import PlanPartAdminMixin, plan_filter, plan_label
from .forms import BudgetLineForm
from .models import BudgetLine, FundingSource, Plan
from .permissions import plan_list_managed_by
from .resources import BudgetLineResource, FundingSourceResource
from .templatetags.plan_extras import vn_amount


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
