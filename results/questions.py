"""What each unit is asked about an indicator: a school answers about itself, in the terms its
answers add up by (indicators.rollup); the office answers for its own unit what no school can.

From the indicator's own rule:
- ratio of sums (any rate, "percent" included): the two numbers it is made of, numerator and
  denominator — never a percentage, which could not be added up;
- sum: the school's own count ("Số phòng học thông minh": its rooms);
- share of schools ("Tỷ lệ / số trường đạt chuẩn quốc gia"): Đạt / Không đạt, about itself;
- weighted mean (an exam mean "từ 5 điểm trở lên"): its mean score and the pupils it is the mean of;
- none: a unit-level fact (the commune's "phổ cập … mức độ 3", a district's ranking): no school
  is asked; the office of the plan's issuing unit enters it for that unit, in the indicator's unit.

A level-specific indicator is asked of the schools that teach that level; a cross-level one
(no level) of every school teaching one of `Indicator.levels` (every level when none is set).
"""

from __future__ import annotations

from collections.abc import Iterable

from indicators.models import Indicator
from organisations.models import SCHOOL_LEVELS, OrgUnit

from .validation import BOOLEAN, COUNT, PERCENT, RATIO, SCORE, STAGE

ALL_LEVEL_CODES = frozenset(code for code, *_rest in SCHOOL_LEVELS)

SCHOOL_QUESTION = {
    Indicator.Aggregation.RATIO_OF_SUMS: RATIO,
    Indicator.Aggregation.SUM: COUNT,
    Indicator.Aggregation.SHARE_OF_SCHOOLS: BOOLEAN,
    Indicator.Aggregation.WEIGHTED_MEAN: SCORE,
}
UNIT_QUESTION = {
    Indicator.Unit.PERCENT: PERCENT,
    Indicator.Unit.COUNT: COUNT,
    Indicator.Unit.RATIO: RATIO,
    Indicator.Unit.STAGE: STAGE,
    Indicator.Unit.BOOLEAN: BOOLEAN,
    Indicator.Unit.SCORE: SCORE,
}


def is_unit_fact(indicator: Indicator) -> bool:
    """Entered by an office for its own unit, not asked of schools."""
    return indicator.aggregation == Indicator.Aggregation.NONE


def question_for(indicator: Indicator, unit: OrgUnit) -> str | None:
    """The shape of the answer `unit` gives (results.validation's kinds), None if it is not asked."""
    if unit.kind == OrgUnit.Kind.SCHOOL:
        return None if is_unit_fact(indicator) else SCHOOL_QUESTION.get(indicator.aggregation)
    return UNIT_QUESTION[indicator.unit] if is_unit_fact(indicator) else None


def indicator_level_codes(indicator: Indicator) -> frozenset[str]:
    """The school levels whose schools answer it (uses the codes `attach_level_codes` read, or
    prefetched `levels`, when there)."""
    if indicator.level_id:
        return frozenset({indicator.level.code})
    codes = getattr(indicator, "_level_codes", None)
    if codes is None:
        codes = frozenset(level.code for level in indicator.levels.all())
    return codes or ALL_LEVEL_CODES


def attach_level_codes(indicators: Iterable[Indicator]) -> None:
    """Read the cross-level indicators' level codes in one query of (indicator, code) pairs, for
    `indicator_level_codes`: a prefetch of `levels` builds a SchoolLevel per row and cost more
    than its query on every save of the form. None if every indicator has its own level."""
    cross = [indicator for indicator in indicators if not indicator.level_id]
    if not cross:
        return
    codes: dict[int, set[str]] = {}
    through = Indicator.levels.through.objects.filter(indicator_id__in={i.pk for i in cross})
    for indicator_id, code in through.values_list("indicator_id", "schoollevel__code"):
        codes.setdefault(indicator_id, set()).add(code)
    for indicator in cross:
        indicator._level_codes = frozenset(codes.get(indicator.pk, ()))


def school_answers(indicator: Indicator, school_level_codes: set[str]) -> bool:
    return not is_unit_fact(indicator) and bool(indicator_level_codes(indicator) & set(school_level_codes))
