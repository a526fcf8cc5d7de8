"""Reads of the organisation tree."""

from __future__ import annotations

from .models import OrgUnit, OrgUnitQuerySet


def unit_subtree(unit: OrgUnit, *, include_self: bool = True) -> OrgUnitQuerySet:
    """The unit and every unit below it (closed ones too: their old results still count)."""
    qs = OrgUnit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """Ancestors from the root down to the parent, in one query."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]
    by_id = OrgUnit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


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
