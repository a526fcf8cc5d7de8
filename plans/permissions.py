"""Scoped access to plans and their parts (STYLE.md §6): a plan is visible to everyone in the
units it was issued for and to the units above them; it is editable by the issuing unit's office
staff (and those above them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from organisations.permissions import (
    ancestor_ids_of_user_units,
    can_manage_unit,
    can_read_unit,
    units_managed_by,
    units_visible_to,
)

from .models import BudgetLine, ParentDocument, Plan


def plan_list_visible_to(*, user) -> QuerySet[Plan]:
    """Plans issued within the user's units, or above them (a district plan applies to its schools)."""
    if getattr(user, "is_superuser", False):
        return Plan.objects.all()
    return Plan.objects.filter(
        Q(issuer__in=units_visible_to(user)) | Q(issuer_id__in=ancestor_ids_of_user_units(user))
    ).distinct()


def can_read_plan(user, plan: Plan) -> bool:
    """`plan_list_visible_to` for one plan loaded with its issuer, decided from the memberships the
    request already read: no query (a principal's every save checks its period's plan)."""
    if getattr(user, "is_superuser", False):
        return True
    return can_read_unit(user, plan.issuer) or plan.issuer_id in ancestor_ids_of_user_units(user)


def plan_list_managed_by(*, user) -> QuerySet[Plan]:
    if getattr(user, "is_superuser", False):
        return Plan.objects.all()
    return Plan.objects.filter(issuer__in=units_managed_by(user))


def can_edit_plan(*, user, plan: Plan) -> bool:
    return can_manage_unit(user, plan.issuer)


def get_plan_for_user(user, pk: int, *, write: bool = False, queryset: QuerySet[Plan] | None = None) -> Plan:
    """404 outside the user's units, 403 when visible but read-only."""
    base = queryset if queryset is not None else Plan.objects.all()
    plan = get_object_or_404(base.filter(pk__in=plan_list_visible_to(user=user).values("pk")), pk=pk)
    if write and not can_edit_plan(user=user, plan=plan):
        raise PermissionDenied
    return plan


def get_budget_line_for_user(user, pk: int, *, write: bool = False) -> BudgetLine:
    """The budget line with its plan and the plan's issuer loaded; 404 and 403 as its plan's."""
    line = get_object_or_404(
        BudgetLine.objects.select_related("plan__issuer").filter(plan__in=plan_list_visible_to(user=user).values("pk")),
        pk=pk,
    )
    if write and not can_edit_plan(user=user, plan=line.plan):
        raise PermissionDenied
    return line


def get_parent_document_for_user(user, pk: int, *, write: bool = False) -> ParentDocument:
    """A parent document with its plan; 404 and 403 as its plan's (the citing plan, not the linked one)."""
    document = get_object_or_404(
        ParentDocument.objects.select_related("plan__issuer").filter(
            plan__in=plan_list_visible_to(user=user).values("pk")
        ),
        pk=pk,
    )
    if write and not can_edit_plan(user=user, plan=document.plan):
        raise PermissionDenied
    return document
