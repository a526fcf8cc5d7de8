"""Keep the roll-ups right when the organisation tree changes under them.

A share of schools is counted over every school of the level open on 31 December: a school that
opens, closes, moves to another commune or changes its levels changes those counts (and a move
also where its facts add up). The receivers below recompute, after the change commits, the rows
of the units above the school (before and after a move) for every indicator and year they hold.
Sent by Django itself (post_save of OrgUnit, m2m_changed of OrgUnit.levels); connected in
results.apps.ResultsConfig.ready().
"""

from __future__ import annotations

from django.db import transaction

from organisations.models import OrgUnit, path_ids

from .models import IndicatorRollup

TREE_FIELDS = ("parent_id", "valid_from", "closed_on", "path")


def refresh_above(school_pk: int, old_paths: set[str]) -> None:
    """Recompute every roll-up row of the units above the school, where it stands now (read after
    the commit: OrgUnit.save writes the path after post_save) and where it stood before."""
    from .rollups import rollup_refresh_units

    paths = set(old_paths) | set(OrgUnit.objects.filter(pk=school_pk).values_list("path", flat=True))
    ids = {pk for path in paths if path for pk in path_ids(path)[:-1]}
    if ids:
        rollup_refresh_units(unit_ids=ids)


def remember_tree_position(sender, instance: OrgUnit, **kwargs) -> None:
    """pre_save: note where the school stood, so that a move also refreshes its old ancestors."""
    if instance.kind != OrgUnit.Kind.SCHOOL or not instance.pk:
        return
    instance._tree_before = OrgUnit.objects.filter(pk=instance.pk).values(*TREE_FIELDS).first()


def school_saved(sender, instance: OrgUnit, created: bool, **kwargs) -> None:
    if instance.kind != OrgUnit.Kind.SCHOOL or not IndicatorRollup.objects.exists():
        return
    before = getattr(instance, "_tree_before", None)
    if not created and before is not None:
        now = {"parent_id": instance.parent_id, "valid_from": instance.valid_from, "closed_on": instance.closed_on}
        if all(before[name] == value for name, value in now.items()):
            return
    old_paths = {before["path"]} if before else set()
    pk = instance.pk
    transaction.on_commit(lambda: refresh_above(pk, old_paths))


def school_levels_changed(sender, instance, action: str, **kwargs) -> None:
    changed = action in ("post_add", "post_remove", "post_clear")
    is_school = isinstance(instance, OrgUnit) and instance.kind == OrgUnit.Kind.SCHOOL
    if changed and is_school and IndicatorRollup.objects.exists():
        pk = instance.pk
        transaction.on_commit(lambda: refresh_above(pk, set()))
