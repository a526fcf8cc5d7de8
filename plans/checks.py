"""Checks across the cells of one target row, with no database.

The wording parser reads one cell at a time; these checks compare a row's cells with each other and
with the indicator, the way a careful reviewer reads a table. They warn, never correct: documents do
set targets below their baseline or lower a milestone on purpose (Vĩnh Bảo's THPT row 5 goes from
"Trên 35%" in 2025 to "30%" in 2030), and the office decides whether that is a typo.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.wording import ValueKind

# Which value kinds make sense for an indicator's unit. A yes/no school indicator is written at
# district level as a share ("93,33%"), a ratio ("13/15 trường") or a count of schools ("33 trường").
COMPATIBLE_KINDS = {
    "percent": {ValueKind.PERCENT, ValueKind.RATIO},
    "ratio": {ValueKind.PERCENT, ValueKind.RATIO},
    "count": {ValueKind.COUNT},
    "stage": {ValueKind.STAGE},
    "boolean": {ValueKind.BOOLEAN, ValueKind.PERCENT, ValueKind.RATIO, ValueKind.COUNT},
}
SKIPPED_KINDS = {ValueKind.EMPTY, ValueKind.TEXT}  # TEXT is already flagged by the parser


@dataclass(frozen=True)
class Cell:
    label: str  # "Hiện trạng 2024", "Chỉ tiêu 2025"
    kind: str
    value: Decimal | None


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
    worse = (lambda a, b: a < b) if direction == "higher" else (lambda a, b: a > b)
    base = baseline if baseline in cells and baseline.value is not None else None
    previous = None
    for cell in milestones:
        if cell not in cells or cell.value is None or cell.kind not in allowed or cell.kind == ValueKind.STAGE:
            continue
        if base is not None and _same_scale(cell, base) and worse(cell.value, base.value):
            warnings.append(_("%(label)s kém hơn hiện trạng (%(base)s).") % {"label": cell.label, "base": base.label})
        elif previous is not None and _same_scale(cell, previous) and worse(cell.value, previous.value):
            warnings.append(_("%(label)s kém hơn %(previous)s.") % {"label": cell.label, "previous": previous.label})
        previous = cell
    return warnings


def _same_scale(a: Cell, b: Cell) -> bool:
    """Percent and ratio values are both percentages; a count compares only with a count."""
    percent_like = {ValueKind.PERCENT, ValueKind.RATIO}
    return a.kind == b.kind or (a.kind in percent_like and b.kind in percent_like)
