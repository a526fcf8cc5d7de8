"""Checks across the cells of one target row, with no database.

The wording parser reads one cell at a time; these checks compare a row's cells with each other and
with the indicator, the way a careful reviewer reads a table. They warn, never correct: documents do
set targets below their baseline or lower a milestone on purpose (Vĩnh Bảo's THPT row 5 goes from
"Trên 35%" in 2025 to "30%" in 2030), and the office decides whether that is a typo.

Percentages are compared by the fractions they state (indicators.rates): "83,33%" then "83,3%", or
"5/6 trường" then "83%", are the same share written with different rounding, not a change. A rank
("tốp đầu", "xếp thứ 3") is better when lower, whatever the indicator's direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.rates import Rate, compare_rates, rate_of, same_rate
from indicators.wording import ValueKind

# Which value kinds make sense for an indicator's unit. A yes/no school indicator is written at
# district level as a share ("93,33%"), a ratio ("13/15 trường") or a count of schools ("33 trường").
COMPATIBLE_KINDS = {
    "percent": {ValueKind.PERCENT, ValueKind.RATIO},
    "ratio": {ValueKind.PERCENT, ValueKind.RATIO},
    "count": {ValueKind.COUNT},
    "stage": {ValueKind.STAGE, ValueKind.RANK},
    "boolean": {ValueKind.BOOLEAN, ValueKind.PERCENT, ValueKind.RATIO, ValueKind.COUNT},
    "score": {ValueKind.SCORE},
}
PERCENT_LIKE = {ValueKind.PERCENT, ValueKind.RATIO}
SKIPPED_KINDS = {ValueKind.EMPTY, ValueKind.TEXT}  # TEXT is already flagged by the parser


@dataclass(frozen=True)
class Cell:
    label: str  # "Hiện trạng 2024", "Chỉ tiêu 2025"
    kind: str
    value: Decimal | None  # as written ("83.3" keeps its one decimal): the rounding the author used
    numerator: int | None = None  # a ratio's fraction, compared exactly
    denominator: int | None = None


def row_warnings(*, unit: str, direction: str, baseline: Cell | None, milestones: list[Cell]) -> list[str]:
    """Warnings for one target row, in reading order: cells whose kind does not fit the indicator's
    unit, then milestones worse than the baseline or than the milestone before them."""
    warnings = []
    cells = [c for c in [baseline, *milestones] if c is not None and c.kind not in SKIPPED_KINDS]
    allowed = COMPATIBLE_KINDS.get(unit, set())
    for cell in cells:
        if allowed and cell.kind not in allowed:
            warnings.append(_("%(label)s không phải dạng giá trị của chỉ số này.") % {"label": cell.label})
    if direction not in ("higher", "lower"):
        return warnings
    base = baseline if baseline in cells and baseline.value is not None else None
    fractions = [_rate(c, []) for c in cells if c.kind == ValueKind.RATIO and c.denominator]
    previous = None
    for cell in milestones:
        if cell not in cells or cell.value is None or cell.kind not in allowed or cell.kind == ValueKind.STAGE:
            continue
        if base is not None and _same_scale(cell, base) and _worse(cell, base, direction, fractions):
            warnings.append(_("%(label)s kém hơn hiện trạng (%(base)s).") % {"label": cell.label, "base": base.label})
        elif previous is not None and _same_scale(cell, previous) and _worse(cell, previous, direction, fractions):
            warnings.append(_("%(label)s kém hơn %(previous)s.") % {"label": cell.label, "previous": previous.label})
        previous = cell
    return warnings


def _worse(cell: Cell, other: Cell, direction: str, fractions: list[Rate]) -> bool:
    """Is ``cell`` worse than ``other``? Rates by their fractions; a rank is better when lower."""
    if cell.kind in PERCENT_LIKE:
        order = compare_rates(_rate(cell, fractions), _rate(other, fractions))
    else:
        order = (cell.value > other.value) - (cell.value < other.value)
    if cell.kind == ValueKind.RANK or direction == "lower":
        return order > 0
    return order < 0


def _rate(cell: Cell, fractions: list[Rate]) -> Rate:
    """The cell's rate; a stated percentage that rounds a fraction of the same row is that fraction,
    so that "5/6 trường", "83,3%", "83%" are one share throughout the row."""
    rate = rate_of(cell.value, cell.numerator, cell.denominator)
    if rate.exact is None:
        return next((f for f in fractions if same_rate(rate, f)), rate)
    return rate


def _same_scale(a: Cell, b: Cell) -> bool:
    """Percent and ratio values are both percentages; a count compares only with a count."""
    return a.kind == b.kind or (a.kind in PERCENT_LIKE and b.kind in PERCENT_LIKE)
