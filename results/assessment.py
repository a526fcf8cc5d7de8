"""What one unit's own value means for its target, in the status vocabulary of the dashboards
(indicators.status: Đạt, Đúng tiến độ, Chậm, Không đạt, Chưa có số liệu, Không so sánh được).

The dashboards read a target's points and a fact's number from here, so that the office's report
page and the leaders' pages judge a school's value the same way."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.models import Indicator
from indicators.status import Assessment, Point, Status, assess, comparable_number
from indicators.wording import ValueKind, parse_value
from organisations.models import OrgUnit
from plans.models import Target, TargetValue

from .models import ResultValue

PERCENT_KINDS = {ValueKind.PERCENT.value, ValueKind.RATIO.value}


def fact_number(indicator: Indicator, fact: ResultValue) -> Decimal | bool | None:
    """A single fact in the terms statuses compare: a percentage for a ratio, the number (ResultValue
    .percent says which), the stage number of a stage, True/False."""
    if fact.percent is not None:
        return fact.percent
    if fact.boolean is not None:
        return fact.boolean
    if fact.stage:
        return comparable_number(parse_value(fact.stage))
    return None


def target_points(target: Target) -> tuple[Point | None, list[Point]]:
    """(the baseline, the milestones by year) of a target, from its prefetched `values`."""
    baseline, milestones = None, []
    for value in target.values.all():  # prefetched, ordered by role, year
        point = Point(year=value.year, value=value.parsed)
        if value.role == TargetValue.Role.BASELINE:
            if value.wording.strip():
                baseline = point
        else:
            milestones.append(point)
    return baseline, sorted(milestones, key=lambda p: p.year)


def milestone_kind(milestones: list[Point], year: int) -> str:
    """The kind (percent, count, …) of the milestone judged in `year`: that year's or the next."""
    later = [p for p in milestones if p.year >= year] or milestones
    return later[0].value.kind.value if later else ""


def value_assessment(*, target: Target, value: ResultValue | None, unit: OrgUnit, year: int) -> Assessment:
    """The status of `unit`'s own value against `target` in `year`. A count of a unit above (a
    district's "30 trường") is not a school's own target: the school's count is its part of it,
    not comparable; a school's Đạt / Không đạt against a share of schools counts as 100 % or 0 %."""
    baseline, milestones = target_points(target)
    kind = milestone_kind(milestones, year)
    if kind == ValueKind.COUNT.value and unit.pk != target.plan.issuer_id:
        reason = _("Chỉ tiêu chung của %(unit)s: số của trường được cộng với các trường khác.") % {
            "unit": target.plan.issuer.name
        }
        return Assessment(status=Status.NOT_COMPARABLE, milestone=None, expected=None, reason=reason)
    actual = fact_number(target.indicator, value) if value is not None else None
    if isinstance(actual, bool) and kind in PERCENT_KINDS:
        actual = Decimal(100 if actual else 0)  # a school's own share of "schools that meet it"
    return assess(
        direction=target.indicator.direction,
        baseline=baseline,
        milestones=milestones,
        actual=actual,
        year=year,
        start_year=target.plan.period_start_year,
    )
