"""Scoped access to periods and submissions (STYLE.md §6): outside the user's units → 404,
visible but not theirs to change → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.models import Membership, OrgUnit
from organisations.permissions import can_manage_unit, is_leader, is_office_staff, units_visible_to, user_memberships
from plans.permissions import can_read_plan, plan_list_visible_to

from .models import ReportingPeriod, Submission


def require_reviewer(user) -> None:
    """Principals (and accounts without a role) do not see the review pages at all: 404."""
    if not (is_office_staff(user) or is_leader(user)):
        raise Http404


def period_list_visible_to(*, user) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(plan__in=plan_list_visible_to(user=user)).select_related("plan__issuer")


def can_manage_period(*, user, period: ReportingPeriod) -> bool:
    """Open, close and review a period: office staff of the plan's issuing unit (or above)."""
    return can_manage_unit(user, period.plan.issuer)


def submission_list_visible_to(*, user) -> QuerySet[Submission]:
    """A principal sees their school's; office staff and leaders every school under their units."""
    return Submission.objects.filter(school__in=units_visible_to(user)).select_related("period__plan", "school")


def can_edit_submission(*, user, submission: Submission) -> bool:
    """Only the school's own principal enters or submits its values; a unit's own facts (no
    school can report them) are entered by the office staff of that unit."""
    if submission.school.kind != OrgUnit.Kind.SCHOOL:
        return any(
            m.role == Membership.Role.OFFICE_STAFF and m.unit_id == submission.school_id for m in user_memberships(user)
        )
    return any(
        m.role == Membership.Role.PRINCIPAL and m.unit_id == submission.school_id for m in user_memberships(user)
    )


def can_review_submission(*, user, submission: Submission) -> bool:
    return can_manage_period(user=user, period=submission.period)


def get_period_for_user(user, pk: int, *, manage: bool = False) -> ReportingPeriod:
    # By id, then the scope in Python: the same answer as period_list_visible_to, without
    # compiling its subqueries on every save.
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan__issuer"), pk=pk)
    if not can_read_plan(user, period.plan):
        raise Http404
    if manage and not can_manage_period(user=user, period=period):
        raise PermissionDenied
    return period


def get_submission_for_user(user, pk: int, *, edit: bool = False, review: bool = False) -> Submission:
    submission = get_object_or_404(submission_list_visible_to(user=user), pk=pk)
    if edit and not can_edit_submission(user=user, submission=submission):
        raise PermissionDenied
    if review and not can_review_submission(user=user, submission=submission):
        raise PermissionDenied
    return submission
