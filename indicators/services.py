"""Writes to the indicator catalogue."""

from __future__ import annotations

from organisations.services import school_levels_ensure

from .models import Indicator


def indicator_get_or_create(
    *,
    name: str,
    level: str | None = None,
    unit: str,
    noun: str = "",
    numerator_label: str = "",
    denominator_label: str = "",
    stages: list[str] | None = None,
    direction: str = Indicator.Direction.HIGHER_IS_BETTER,
    aggregation: str | None = None,
    description: str = "",
    levels: list[str] | None = None,
    created_by_unit=None,
) -> Indicator:
    """The catalogue entry for (name, level), created with these properties if it does not exist yet.
    An existing entry is returned unchanged: the catalogue is shared by every plan that uses it.
    Without `aggregation`, the rule the unit implies (DEFAULT_AGGREGATION); `levels` (codes) only
    for a cross-level indicator (no `level`): the levels whose schools answer it; `created_by_unit`:
    the office's unit that adds it (recorded on a new entry only)."""
    level_obj = school_levels_ensure()[level] if level else None
    indicator = Indicator.objects.filter(name=name.strip(), level=level_obj).first()
    if indicator:
        return indicator
    indicator = Indicator(
        name=name.strip(),
        level=level_obj,
        unit=unit,
        noun=noun or "",
        numerator_label=numerator_label or "",
        denominator_label=denominator_label or "",
        stages="\n".join(stages or []),
        direction=direction,
        aggregation=aggregation or DEFAULT_AGGREGATION[unit],
        description=description or "",
        created_by_unit=created_by_unit,
    )
    indicator.full_clean(exclude=["code"])
    indicator.save()
    if levels and not level:
        all_levels = school_levels_ensure()
        indicator.levels.set([all_levels[code] for code in levels])
    return indicator


# What a school's answers add up to when the catalogue entry says nothing else.
DEFAULT_AGGREGATION = {
    Indicator.Unit.PERCENT: Indicator.Aggregation.RATIO_OF_SUMS,
    Indicator.Unit.RATIO: Indicator.Aggregation.RATIO_OF_SUMS,
    Indicator.Unit.COUNT: Indicator.Aggregation.SUM,
    Indicator.Unit.BOOLEAN: Indicator.Aggregation.SHARE_OF_SCHOOLS,
    Indicator.Unit.STAGE: Indicator.Aggregation.NONE,
    Indicator.Unit.SCORE: Indicator.Aggregation.WEIGHTED_MEAN,
}
