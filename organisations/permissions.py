"""Who may see and change what, decided by the person's memberships in the organisation tree.

Every page, admin screen and export starts from these scopes. Outside a person's units an object
does not exist for them (404); inside but read-only it is forbidden (403).
"""

from __future__ import annotations

from django.db.models import Q

from .models import Membership, OrgUnit, OrgUnitQuerySet, path_ids, under_path

MANAGE_ROLES = {Membership.Role.OFFICE_STAFF}
READ_ROLES = {Membership.Role.OFFICE_STAFF, Membership.Role.LEADER, Membership.Role.PRINCIPAL}


def user_memberships(user) -> list[Membership]:
    """The user's memberships with their units, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        user._memberships_cache = cached
    return cached


def _subtrees(memberships: list[Membership]) -> Q | None:
    query = None
    for membership in memberships:
        part = under_path(membership.unit.path)
        query = part if query is None else query | part
    return query


def units_visible_to(user) -> OrgUnitQuerySet:
    """Every unit under any of the user's units (all units for a superuser)."""
    if getattr(user, "is_superuser", False):
        return OrgUnit.objects.all()
    query = _subtrees([m for m in user_memberships(user) if m.role in READ_ROLES])
    return OrgUnit.objects.filter(query) if query is not None else OrgUnit.objects.none()


def units_managed_by(user) -> OrgUnitQuerySet:
    """Units the user may change data for: under their office staff memberships."""
    if getattr(user, "is_superuser", False):
        return OrgUnit.objects.all()
    query = _subtrees([m for m in user_memberships(user) if m.role in MANAGE_ROLES])
    return OrgUnit.objects.filter(query) if query is not None else OrgUnit.objects.none()


def _under(unit: OrgUnit, memberships: list[Membership]) -> bool:
    return any(unit.path.startswith(m.unit.path) for m in memberships)


def can_read_unit(user, unit: OrgUnit) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return _under(unit, [m for m in user_memberships(user) if m.role in READ_ROLES])


def can_manage_unit(user, unit: OrgUnit) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return _under(unit, [m for m in user_memberships(user) if m.role in MANAGE_ROLES])


def ancestor_ids_of_user_units(user) -> set[int]:
    """Ids of every unit above (and at) the user's units: plans issued there apply to the user."""
    ids: set[int] = set()
    for membership in user_memberships(user):
        ids.update(path_ids(membership.unit.path))
    return ids


def principal_schools(user) -> OrgUnitQuerySet:
    """The schools the user is principal of (usually one)."""
    ids = [m.unit_id for m in user_memberships(user) if m.role == Membership.Role.PRINCIPAL]
    return OrgUnit.objects.filter(pk__in=ids)


def is_office_staff(user) -> bool:
    return getattr(user, "is_superuser", False) or any(
        m.role == Membership.Role.OFFICE_STAFF for m in user_memberships(user)
    )


def is_principal(user) -> bool:
    return any(m.role == Membership.Role.PRINCIPAL for m in user_memberships(user))


def is_leader(user) -> bool:
    return any(m.role == Membership.Role.LEADER for m in user_memberships(user))
