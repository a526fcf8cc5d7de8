"""{% spending_form line year spending as sf %}: what templates/plans/_spending_form.html shows."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..forms import BudgetSpendingForm, spending_form_key
from ..inline_forms import take_refused
from ..permissions import can_edit_plan
from ..services import budget_spending_years

register = template.Library()


@register.simple_tag(takes_context=True)
def spending_form(context, line, year=None, spending=None) -> dict:
    """{"can_edit": False} unless the user manages the line's plan; otherwise {"can_edit": True,
    "form", "errors", "open", "years"}: the form holds what was typed the last time it was refused
    (then `errors` says why and `open` is True), or `spending`'s amount and note (a BudgetSpending,
    e.g. LineProgress.spending), or nothing. `years` lists the years to choose from when `year` is
    not given. Reads line.plan (plan_budget_progress sets it) and its issuer (one query per page
    when the plan came without it)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated or not can_edit_plan(user=user, plan=line.plan):
        return {"can_edit": False}
    refused = take_refused(request, key=spending_form_key(line.pk))
    if refused:
        initial = refused["data"]
    elif spending:
        initial = {"year": spending.year, "amount": spending.amount, "note": spending.note}
    else:
        initial = {}
    years = [] if year else budget_spending_years(plan=line.plan, today=timezone.localdate())
    initial.setdefault("year", year or (years[-1] if years else None))  # this year, or the plan's last
    form = BudgetSpendingForm(initial=initial, auto_id=f"line{line.pk}-%s")
    return {
        "can_edit": True,
        "form": form,
        "errors": refused["errors"] if refused else [],
        "open": bool(refused),
        "years": years,
    }
