"""Writes to the organisation tree."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import SCHOOL_LEVELS, OrgUnit, SchoolLevel


@transaction.atomic
def org_unit_merge(*, units: list[OrgUnit], into: OrgUnit, on: date) -> OrgUnit:
    """Close `units` on `on` and record `into` as their successor. Their rows stay, so the plans
    and results that name them keep belonging to them. Returns the successor."""
    for unit in units:
        if unit.pk == into.pk:
            raise ValidationError(_("Không thể sáp nhập một đơn vị vào chính nó."))
        unit.closed_on, unit.successor = on, into
        unit.full_clean()
        unit.save(update_fields=["closed_on", "successor"])
    return into


def org_units_load(rows: list[dict]) -> dict[str, OrgUnit]:
    """Create or update units from fixture rows (fixtures/README.md), matched by key → name and parent.
    Parents must come before their children. Returns key → unit."""
    levels = school_levels_ensure()
    by_key: dict[str, OrgUnit] = {}
    for row in rows:
        parent = by_key[row["parent"]] if row.get("parent") else None
        unit = OrgUnit.objects.filter(name=row["name"], parent=parent, kind=row["kind"]).first() or OrgUnit(
            name=row["name"], parent=parent, kind=row["kind"]
        )
        unit.kind_label = row.get("kind_label") or ""
        unit.code = str(row.get("code") or "")
        unit.ownership = row.get("ownership") or ""
        unit.is_education_office = bool(row.get("education_office"))
        unit.valid_from = _date(row.get("valid_from"))
        unit.closed_on = _date(row.get("closed_on"))
        unit.is_demo = bool(row.get("demo"))
        unit.full_clean()
        unit.save()
        unit.levels.set([levels[code] for code in row.get("levels") or []])
        by_key[row["key"]] = unit
    # Successors may be listed after the units merged into them.
    for row in rows:
        if row.get("successor"):
            unit = by_key[row["key"]]
            unit.successor = by_key[row["successor"]]
            unit.full_clean()
            unit.save(update_fields=["successor"])
    return by_key


def school_levels_ensure() -> dict[str, SchoolLevel]:
    """The five school levels, code → level, creating any that are missing."""
    levels = {level.code: level for level in SchoolLevel.objects.all()}
    for code, name, short_name, order in SCHOOL_LEVELS:
        if code not in levels:
            levels[code] = SchoolLevel.objects.create(code=code, name=name, short_name=short_name, order=order)
    return levels


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


OFFICE_STAFF_APPS = ("organisations", "indicators", "plans", "assignments")


def office_staff_group_ensure():
    """The "Cán bộ Phòng GD&ĐT" group: every permission on the plan data, none on accounts.
    Scoping to the staff member's own units comes with accounts and roles (issue 3)."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name="Cán bộ Phòng GD&ĐT")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=OFFICE_STAFF_APPS))
    return group
