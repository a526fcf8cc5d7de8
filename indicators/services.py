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
    aggregation: str = Indicator.Aggregation.SUM,
    description: str = "",
) -> Indicator:
    """The catalogue entry for (name, level), created with these properties if it does not exist yet.
    An existing entry is returned unchanged: the catalogue is shared by every plan that uses it."""
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
        aggregation=aggregation,
        description=description or "",
    )
    indicator.full_clean(exclude=["code"])
    indicator.save()
    return indicator
