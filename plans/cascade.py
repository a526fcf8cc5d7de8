"""Consistency of plans as the leaders' dashboards show it: a plan against its parent plan, and a
plan's own arithmetic. Read-only; the flags warn, they never correct.

- `plan_cascade_flags`: a district plan implements the province plan, and the documents say its
  targets are "không thấp hơn chỉ tiêu của tỉnh". Where a child plan's milestone is weaker than its
  parent's for the same indicator, level and year, both plans get the same flag.
- `plan_arithmetic_flags`: a cross-level total whose levels do not add up to it, and a
  "28/30 trường" whose 30 is not the number of schools of that level in the issuer's tree.

Weaker is read from the indicator's direction and the parsed values (indicators.wording); counts
are never compared across plans (a district's "05 trường" is naturally below the province's
"50 trường"), and values the parser could not read are skipped.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from indicators.models import Indicator
from indicators.rates import Rate, rate_of, same_rate
from indicators.wording import Comparator, ValueKind, format_decimal_vi
from organisations.selectors import school_count, school_count_by_level

from .models import Plan, Target, TargetValue

# --- the plan cascade ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CascadeFlag:
    """A child plan's milestone weaker than its parent plan's for the same indicator, level and year."""

    child_target: Target
    parent_target: Target
    year: int
    child_value: TargetValue
    parent_value: TargetValue
    message: str  # Vietnamese, ready to show


def plan_cascade_flags(*, plan: Plan) -> list[CascadeFlag]:
    """The cascade flags that concern `plan`: first its own targets weaker than its parent plan's
    (in its table order, then by year), then its child plans' targets weaker than its own (child
    plans by issuer name and number, each in table order, then by year). Empty for a plan with
    neither parent nor children. Two queries whatever the number of plans and targets.

    A child target is compared with its `parent_target` when one is set, otherwise with every
    target of the parent plan that has the same indicator (hence the same school level). Only
    milestone values of the same year are compared. The caller has checked that the user may see
    `plan`; the flags also name the parent or child plans, which the caller may want to scope.
    """
    in_cascade = Q(plan=plan) | Q(plan__parent=plan)
    if plan.parent_id:
        in_cascade |= Q(plan_id=plan.parent_id)
    targets = (
        Target.objects.filter(in_cascade)
        .select_related("plan__issuer", "indicator")
        .prefetch_related(_milestones_prefetch())
        .order_by("plan", "order", "pk")
    )
    by_plan: dict[int, list[Target]] = defaultdict(list)
    for target in targets:
        by_plan[target.plan_id].append(target)

    flags = []
    if plan.parent_id:
        flags += _cascade_pair(parent_targets=by_plan.get(plan.parent_id, []), child_targets=by_plan.get(plan.pk, []))
    children = {t.plan_id: t.plan for rows in by_plan.values() for t in rows if t.plan.parent_id == plan.pk}
    for child in sorted(children.values(), key=lambda p: (p.issuer.name, p.number, p.pk)):
        flags += _cascade_pair(parent_targets=by_plan.get(plan.pk, []), child_targets=by_plan[child.pk])
    return flags


def _milestones_prefetch() -> Prefetch:
    return Prefetch(
        "values",
        queryset=TargetValue.objects.filter(role=TargetValue.Role.MILESTONE).order_by("year"),
        to_attr="milestone_values",
    )


def _cascade_pair(*, parent_targets: list[Target], child_targets: list[Target]) -> list[CascadeFlag]:
    by_id = {t.pk: t for t in parent_targets}
    by_indicator: dict[int, list[Target]] = defaultdict(list)
    for target in parent_targets:
        by_indicator[target.indicator_id].append(target)

    flags = []
    for child in child_targets:
        if child.parent_target_id:
            # The office said which row of the parent plan this one implements: trust it over the catalogue.
            linked = [by_id[child.parent_target_id]] if child.parent_target_id in by_id else []
        else:
            linked = by_indicator.get(child.indicator_id, [])
        child_values = {v.year: v for v in child.milestone_values}
        for parent in linked:
            direction = parent.indicator.direction
            if child.indicator.direction != direction:
                continue  # two indicators read in opposite ways: no "weaker" between them
            for parent_value in parent.milestone_values:
                child_value = child_values.get(parent_value.year)
                if child_value is not None and _is_weaker(child_value, parent_value, direction):
                    flags.append(
                        CascadeFlag(
                            child_target=child,
                            parent_target=parent,
                            year=parent_value.year,
                            child_value=child_value,
                            parent_value=parent_value,
                            message=_cascade_message(child, child_value, parent_value, direction),
                        )
                    )
    flags.sort(key=lambda f: (f.child_target.order, f.child_target.pk, f.year, f.parent_target.order))
    return flags


# A bound is (number, tightness): a lower bound (35, 1) is "> 35", slightly above "≥ 35" (35, 0);
# an upper bound (3, -1) is "< 3", slightly below "≤ 3" (3, 0). None: no bound on that side.
Bound = tuple[Decimal, int] | None

RATE_KINDS = {ValueKind.PERCENT, ValueKind.RATIO}  # a ratio's value is its percentage (13/15 → 86,67)


def _scale(value: TargetValue) -> str | None:
    """What the value can be compared on: rates with rates, stages with stages, yes/no with yes/no.
    None for a count (never compared across levels of government) and for what could not be read."""
    if value.value_kind in RATE_KINDS and value.value is not None:
        return "rate"
    if value.value_kind == ValueKind.STAGE and value.stage_number is not None:
        return "stage"
    if value.value_kind == ValueKind.BOOLEAN and value.boolean is not None:
        return "boolean"
    return None


def _bounds(value: TargetValue) -> tuple[Bound, Bound]:
    """The (lowest, highest) values the target accepts."""
    number = Decimal(value.stage_number) if value.value_kind == ValueKind.STAGE else value.value
    match value.comparator:
        case Comparator.GTE:
            return (number, 0), None
        case Comparator.GT:
            return (number, 1), None
        case Comparator.LTE:
            return None, (number, 0)
        case Comparator.LT:
            return None, (number, -1)
        case Comparator.BETWEEN:
            return (number, 0), (value.value_high, 0)
        case _:  # EQ, or a stage written without "trở lên": that value exactly
            return (number, 0), (number, 0)


def _rates(value: TargetValue) -> tuple[Rate, Rate]:
    """The rates of a value's low and high numbers, as written (its decimals) or as its fraction."""
    parsed = value.parsed
    low = rate_of(parsed.value, parsed.numerator, parsed.denominator)
    high = Rate(parsed.value_high) if parsed.comparator is Comparator.BETWEEN else low
    return low, high


def _aligned(child: Bound, parent: Bound, same: bool) -> Bound:
    """The child's bound at the parent's number when both state the same share."""
    if child is None or parent is None or not same:
        return child
    return parent[0], child[1]


def _is_weaker(child: TargetValue, parent: TargetValue, direction: str) -> bool:
    scale = _scale(child)
    if scale is None or scale != _scale(parent):
        return False
    if scale == "boolean":
        # "Đạt" is the requirement whatever the indicator's direction; "Không đạt" never asks more.
        return parent.boolean and not child.boolean
    (child_low, child_high), (parent_low, parent_high) = _bounds(child), _bounds(parent)
    if scale == "rate":
        # "83,3%" under "83,33%" is the same share at another rounding, not a weaker target.
        (child_low_rate, child_high_rate), (parent_low_rate, parent_high_rate) = _rates(child), _rates(parent)
        child_low = _aligned(child_low, parent_low, same_rate(child_low_rate, parent_low_rate))
        child_high = _aligned(child_high, parent_high, same_rate(child_high_rate, parent_high_rate))
    # No lower bound is the lowest possible, no upper bound the highest.
    low_weaker = parent_low is not None and (child_low is None or child_low < parent_low)
    high_weaker = parent_high is not None and (child_high is None or child_high > parent_high)
    if direction == Indicator.Direction.HIGHER_IS_BETTER:
        return low_weaker  # a BETWEEN's minimum is its low bound
    if direction == Indicator.Direction.LOWER_IS_BETTER:
        return high_weaker
    return low_weaker or high_weaker  # WITHIN_RANGE: the child's range must lie inside the parent's


def _cascade_message(child: Target, child_value: TargetValue, parent_value: TargetValue, direction: str) -> str:
    parts = {
        "year": child_value.year,
        "plan": _plan_label(child.plan),
        "child": child_value.display,
        "parent": parent_value.display,
    }
    if child_value.value_kind == ValueKind.BOOLEAN or direction == Indicator.Direction.HIGHER_IS_BETTER:
        text = _("Chỉ tiêu %(year)s của %(plan)s (%(child)s) thấp hơn chỉ tiêu của kế hoạch cấp trên (%(parent)s)")
    elif direction == Indicator.Direction.LOWER_IS_BETTER:
        text = _(
            "Chỉ tiêu %(year)s của %(plan)s (%(child)s) cao hơn chỉ tiêu của kế hoạch cấp trên (%(parent)s), "
            "trong khi chỉ số này càng thấp càng tốt"
        )
    else:
        text = _(
            "Chỉ tiêu %(year)s của %(plan)s (%(child)s) không nằm trong khoảng chỉ tiêu của kế hoạch cấp trên "
            "(%(parent)s)"
        )
    return text % parts


def _plan_label(plan: Plan) -> str:
    number = plan.number_label
    return _("%(number)s của %(issuer)s") % {"number": number, "issuer": plan.issuer.name}


# --- the plan's own arithmetic -------------------------------------------------------------------


@dataclass(frozen=True)
class ArithmeticFlag:
    """A milestone of a plan whose numbers disagree with the rest of the plan or with the unit tree.

    kind "levels_total": `found` is what the cross-level target states, `expected` what its
    single-level rows add up to: a Decimal for counts, (numerator, denominator) for ratios.
    kind "denominator": `found` is the denominator written, `expected` the number of open schools.
    """

    target: Target
    year: int
    kind: Literal["levels_total", "denominator"]
    message: str  # Vietnamese, ready to show
    expected: Decimal | int | tuple[int, int]
    found: Decimal | int | tuple[int, int]


LEVELS_TOTAL: Literal["levels_total"] = "levels_total"
DENOMINATOR: Literal["denominator"] = "denominator"


def plan_arithmetic_flags(*, plan: Plan) -> list[ArithmeticFlag]:
    """The plan's arithmetic flags, in table order (target, then year, totals before denominators):

    - levels_total: a target of a cross-level indicator whose milestone, written as a count or a
      ratio, is not the sum of the same-named single-level targets' milestones of that year (all
      counts, or all ratios: numerators and denominators add up separately). Skipped for a year
      where a level's cell is missing, unreadable or of the other kind.
    - denominator: a ratio milestone that counts schools ("28/30 trường": the value's noun is
      "trường", or it has none and the indicator counts schools) whose denominator is not the number
      of schools of the indicator's level (any level for a cross-level indicator) under the issuer
      that are open on 31 December of that year. Skipped when the issuer's tree holds no open school
      at all that year: the tree has not been entered, there is nothing to compare with.

    Two queries for the plan's targets, one for its issuer if not loaded, then one or two per
    milestone year that has a school ratio. The caller has checked that the user may see `plan`.
    """
    targets = list(
        Target.objects.filter(plan=plan)
        .select_related("indicator__level")
        .prefetch_related(_milestones_prefetch())
        .order_by("order", "pk")
    )
    flags = _levels_total_flags(targets) + _denominator_flags(plan, targets)
    position = {t.pk: i for i, t in enumerate(targets)}
    flags.sort(key=lambda f: (position[f.target.pk], f.year, f.kind != LEVELS_TOTAL))
    return flags


def _levels_total_flags(targets: list[Target]) -> list[ArithmeticFlag]:
    by_name: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        if target.indicator.level_id is not None:
            by_name[target.indicator.name].append(target)

    flags = []
    for total in targets:
        levels = by_name.get(total.indicator.name) if total.indicator.level_id is None else None
        if not levels:
            continue
        for total_value in total.milestone_values:
            kind = total_value.value_kind
            if kind not in (ValueKind.COUNT, ValueKind.RATIO) or total_value.comparator == Comparator.BETWEEN:
                continue
            parts = [_value_of_year(t, total_value.year) for t in levels]
            if any(
                p is None or p.value_kind != kind or p.comparator == Comparator.BETWEEN or p.value is None
                for p in parts
            ):
                continue
            if kind == ValueKind.COUNT:
                expected, found = sum(p.value for p in parts), total_value.value
            else:
                expected = (sum(p.numerator for p in parts), sum(p.denominator for p in parts))
                found = (total_value.numerator, total_value.denominator)
            if expected == found:
                continue
            noun = total_value.noun or total.indicator.noun
            flags.append(
                ArithmeticFlag(
                    target=total,
                    year=total_value.year,
                    kind=LEVELS_TOTAL,
                    expected=expected,
                    found=found,
                    message=_("Năm %(year)s: tổng các cấp học (%(levels)s) %(sum)s, chỉ tiêu chung ghi %(total)s")
                    % {
                        "year": total_value.year,
                        "levels": ", ".join(_level_names(levels)),
                        "sum": _amount(expected, noun),
                        "total": _amount(found, noun),
                    },
                )
            )
    return flags


def _value_of_year(target: Target, year: int) -> TargetValue | None:
    return next((v for v in target.milestone_values if v.year == year), None)


def _level_names(targets: list[Target]) -> list[str]:
    levels = {t.indicator.level.pk: t.indicator.level for t in targets}
    return [level.short_name for level in sorted(levels.values(), key=lambda level: level.order)]


def _amount(amount: Decimal | int | tuple[int, int], noun: str) -> str:
    text = f"{amount[0]}/{amount[1]}" if isinstance(amount, tuple) else format_decimal_vi(Decimal(amount))
    return f"{text} {noun}".strip()


def _denominator_flags(plan: Plan, targets: list[Target]) -> list[ArithmeticFlag]:
    checked = [
        (target, value)
        for target in targets
        for value in target.milestone_values
        if value.value_kind == ValueKind.RATIO and value.denominator is not None and _counts_schools(target, value)
    ]
    if not checked:
        return []
    issuer = plan.issuer
    by_level: dict[int, dict[int, int]] = {}
    any_level: dict[int, int] = {}
    for year in sorted({value.year for _target, value in checked}):
        day = datetime.date(year, 12, 31)
        by_level[year] = school_count_by_level(unit=issuer, day=day)
        if by_level[year] and any(t.indicator.level_id is None for t, v in checked if v.year == year):
            any_level[year] = school_count(unit=issuer, day=day)

    flags = []
    for target, value in checked:
        if not by_level[value.year]:
            continue  # no open school under the issuer that year: the tree is not entered
        level = target.indicator.level
        if level is None:
            expected, where = any_level[value.year], _("trường (các cấp học)")
        else:
            expected, where = by_level[value.year].get(level.pk, 0), _("trường %(level)s") % {"level": level.short_name}
        if expected == value.denominator:
            continue
        flags.append(
            ArithmeticFlag(
                target=target,
                year=value.year,
                kind=DENOMINATOR,
                expected=expected,
                found=value.denominator,
                message=_(
                    "Chỉ tiêu %(year)s “%(value)s” có mẫu số %(found)s, nhưng %(issuer)s có %(expected)s %(where)s "
                    "đang hoạt động ngày 31/12/%(year)s"
                )
                % {
                    "year": value.year,
                    "found": value.denominator,
                    "value": value.wording,
                    "issuer": issuer.name,
                    "expected": expected,
                    "where": where,
                },
            )
        )
    return flags


def _counts_schools(target: Target, value: TargetValue) -> bool:
    """A ratio of schools: its own noun says "trường …"; without a noun, the indicator counts schools."""
    if value.noun:
        return _is_school_noun(value.noun)
    indicator = target.indicator
    return indicator.aggregation == Indicator.Aggregation.SHARE_OF_SCHOOLS or _is_school_noun(indicator.noun)


def _is_school_noun(noun: str) -> bool:
    words = noun.lower().split()
    return bool(words) and words[0] == "trường"
