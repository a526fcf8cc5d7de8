"""Reads of the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import AccountProfile, Membership, OrgUnit, OrgUnitQuerySet, path_ids


def unit_subtree(unit: OrgUnit, *, include_self: bool = True) -> OrgUnitQuerySet:
    """The unit and every unit below it (closed ones too: their old results still count)."""
    qs = OrgUnit.objects.under(unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """Ancestors from the root down to the parent, in one query."""
    ids = path_ids(unit.path)[:-1]
    by_id = OrgUnit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def unit_with_ancestors(pk: int) -> tuple[OrgUnit | None, list[OrgUnit]]:
    """The unit and its ancestors (root first), by primary key: two indexed reads whatever the size
    of the tree. (None, []) when there is no such unit. The caller checks that the user may see it."""
    unit = OrgUnit.objects.filter(pk=pk).first()
    return (unit, unit_ancestors(unit)) if unit else (None, [])


def schools_by_level(unit: OrgUnit) -> dict[str, int]:
    """Count of schools under `unit` per school level code (an inter-level school counts once per level)."""
    from django.db.models import Count

    rows = (
        unit_subtree(unit)
        .schools()
        .values("levels__code")
        .annotate(n=Count("id", distinct=True))
        .order_by("levels__code")
    )
    return {row["levels__code"]: row["n"] for row in rows if row["levels__code"]}


def school_count_by_level(*, unit: OrgUnit, day: date) -> dict[int, int]:
    """Schools under `unit` (itself included) open on `day`, per school level id: {level_id: n}.

    An inter-level school (TH&THCS) counts once in each of its levels; a school with no level
    recorded is not counted; a level with no open school is absent. One query (GROUP BY level).
    Used by plans.cascade to check the denominators of "28/30 trường" targets against the tree.
    """
    from django.db.models import Count

    rows = (
        unit_subtree(unit)
        .schools()
        .open_on(day)
        .filter(levels__isnull=False)
        .values("levels")
        .annotate(n=Count("id", distinct=True))
        .order_by("levels")
    )
    return {row["levels"]: row["n"] for row in rows}


def school_count(*, unit: OrgUnit, day: date) -> int:
    """Schools under `unit` open on `day` that teach at least one level, each counted once
    (an inter-level school is one school). One query."""
    return unit_subtree(unit).schools().open_on(day).filter(levels__isnull=False).distinct().count()


# --- principals' accounts and contacts -------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


def principal_contacts(unit_ids) -> dict[int, list[Contact]]:
    """{school id: [Contact(name, phone, email)]} of the active principal accounts of these schools
    (a school without one is absent), for pages that tell an office whom to call, such as the
    reminder of schools that have not sent their report. One query."""
    rows = (
        Membership.objects.filter(unit_id__in=list(unit_ids), role=Membership.Role.PRINCIPAL, user__is_active=True)
        .select_related("user", "user__profile")
        .order_by("unit_id", "user__first_name", "user__username")
    )
    contacts: dict[int, list[Contact]] = {}
    for membership in rows:
        user = membership.user
        try:
            phone = user.profile.phone
        except AccountProfile.DoesNotExist:
            phone = ""
        name = user.get_full_name() or user.username
        contacts.setdefault(membership.unit_id, []).append(Contact(name=name, phone=phone, email=user.email))
    return contacts


@dataclass
class SchoolAccounts:
    school: OrgUnit
    accounts: list  # the school's principal accounts (users, with .profile when there is one)

    @property
    def has_active(self) -> bool:
        return any(user.is_active for user in self.accounts)


def schools_with_principal_accounts(units: OrgUnitQuerySet) -> list[SchoolAccounts]:
    """The open schools among `units`, in tree order, each with its principal accounts. Three queries."""
    from django.utils import timezone

    today = timezone.localdate()
    schools = list(units.schools().open_on(today).order_by("path"))
    memberships = (
        Membership.objects.filter(unit__in=schools, role=Membership.Role.PRINCIPAL)
        .select_related("user")
        .order_by("user__username")
    )
    by_school: dict[int, list] = {}
    users = []
    for membership in memberships:
        by_school.setdefault(membership.unit_id, []).append(membership.user)
        users.append(membership.user)
    profiles = {p.user_id: p for p in AccountProfile.objects.filter(user__in=users)}
    for user in users:
        user.account_profile = profiles.get(user.pk)
    return [SchoolAccounts(school=school, accounts=by_school.get(school.pk, [])) for school in schools]
