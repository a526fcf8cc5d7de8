"""The arithmetic of roll-ups: what a unit's added-up figures mean for an indicator's rule.

Pure functions, no database (results.rollups does the adding in SQL and stores `Figures`):
- ratio of sums: Σ numerators / Σ denominators × 100. Percentages are never averaged:
  13/15 and 1/5 give 14/20 = 70 %, not the mean of 86,67 % and 20 %;
- sum: Σ counts;
- share of schools: the schools that meet it over every school of the indicator's levels open
  that year (a school that did not report counts in the denominator, not in the numerator);
- weighted mean (scores): Σ (mean × pupils) / Σ pupils.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

RATIO_OF_SUMS = "ratio_of_sums"
SUM = "sum"
SHARE_OF_SCHOOLS = "share_of_schools"
WEIGHTED_MEAN = "weighted_mean"
NONE = "none"

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Figures:
    """The sums a roll-up keeps for one unit, indicator, year and level (results.IndicatorRollup)."""

    numerator_sum: int = 0
    denominator_sum: int = 0
    number_sum: Decimal = Decimal(0)
    weighted_sum: Decimal = Decimal(0)
    weight_sum: int = 0
    met_count: int = 0
    reported_count: int = 0
    schools_count: int = 0

    def __add__(self, other: Figures) -> Figures:
        # Called once per fact group and ancestor by rollup_rebuild (millions at national scale).
        return Figures(*(getattr(self, name) + getattr(other, name) for name in _NAMES))

    @classmethod
    def of(cls, row) -> Figures:
        """From anything with the same attribute names (a model row, a dict-like `values()` row);
        a missing or NULL sum is 0. Called for every roll-up row a page reads: kept cheap."""
        if isinstance(row, dict):
            values = [row.get(name) for name in _NAMES]
        else:
            values = [getattr(row, name) for name in _NAMES]
        return cls(*(value if value is not None else _DEFAULTS[i] for i, value in enumerate(values)))


FIGURE_NAMES = [f.name for f in fields(Figures)]
_NAMES = tuple(FIGURE_NAMES)
_DEFAULTS = tuple(f.default for f in fields(Figures))


def rollup_value(aggregation: str, figures: Figures) -> Decimal | None:
    """The unit's value by the indicator's rule: a percentage for ratios and shares, a count for
    sums, a mean score for weighted means; None when nothing approved adds up to a value."""
    if figures.reported_count == 0:
        return None
    if aggregation == RATIO_OF_SUMS:
        return None if figures.denominator_sum == 0 else figures.numerator_sum * HUNDRED / figures.denominator_sum
    if aggregation == SUM:
        return Decimal(figures.number_sum)
    if aggregation == SHARE_OF_SCHOOLS:
        return None if figures.schools_count == 0 else figures.met_count * HUNDRED / figures.schools_count
    if aggregation == WEIGHTED_MEAN:
        return None if figures.weight_sum == 0 else Decimal(figures.weighted_sum) / figures.weight_sum
    return None


def actual_for_target(aggregation: str, figures: Figures, target_kind: str) -> Decimal | None:
    """The figure a target of `target_kind` (a wording.ValueKind) is judged on: a share of schools
    written as a count ("05 trường") compares the number of schools that meet it, written as a
    percentage or a ratio ("13/15 trường") compares the percentage."""
    if aggregation == SHARE_OF_SCHOOLS and target_kind == "count":
        return Decimal(figures.met_count) if figures.reported_count else None
    return rollup_value(aggregation, figures)
