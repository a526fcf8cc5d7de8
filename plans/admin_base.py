"""What every admin page of a plan's part shares: the plan's short label, the plan filter, and the
scope rule that a part (a target, a value, a budget line, a task) follows its plan."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisations.admin import OfficeAdminMixin, out_of_scope_message
from portal.terms import NO_NUMBER

from .models import Plan
from .permissions import can_edit_plan, plan_list_visible_to


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
