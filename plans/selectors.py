"""Reads of plans: the target table grouped by school level, and the budget summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from organisations.models import SchoolLevel

from .budget import BudgetRow, BudgetSummary, budget_summary
from .checks import Cell, row_warnings
from .models import BudgetLine, Plan, Target, TargetValue


def plan_list() -> QuerySet[Plan]:
    """Plans with their issuer and row counts, newest period first."""
    return Plan.objects.select_related("issuer", "parent").annotate(
        target_count=Count("targets", distinct=True),
        flagged_count=Count("targets__values", filter=~Q(targets__values__flag=""), distinct=True),
    )


@dataclass
class TargetRow:
    target: Target
    baseline: TargetValue | None
    milestones: dict[int, TargetValue]

    def milestone(self, year: int) -> TargetValue | None:
        return self.milestones.get(year)

    @property
    def warnings(self) -> list[str]:
        """Cross-cell warnings for this row (plans.checks): wrong kind for the indicator, worse than before."""

        def as_cell(value: TargetValue) -> Cell:
            label = _("Hiện trạng %(year)s") if value.role == TargetValue.Role.BASELINE else _("Chỉ tiêu %(year)s")
            return Cell(label=label % {"year": value.year}, kind=value.value_kind, value=value.value)

        indicator = self.target.indicator
        return row_warnings(
            unit=indicator.unit,
            direction=indicator.direction,
            baseline=as_cell(self.baseline) if self.baseline else None,
            milestones=[as_cell(self.milestones[year]) for year in sorted(self.milestones)],
        )

    @property
    def flagged_values(self) -> list[TargetValue]:
        values = [self.baseline, *self.milestones.values()]
        return [v for v in values if v is not None and v.flag]


@dataclass
class LevelGroup:
    level: SchoolLevel | None  # None: targets common to several levels
    rows: list[TargetRow] = field(default_factory=list)


def plan_target_table(plan: Plan) -> tuple[list[int], list[LevelGroup]]:
    """The plan's targets grouped by school level (levels in their usual order, common targets last),
    rows in document order, with each row's baseline and milestone values. Returns the milestone
    years (the table's columns) and the groups. Three queries whatever the plan's size."""
    targets = (
        Target.objects.filter(plan=plan)
        .select_related("indicator__level")
        .prefetch_related(Prefetch("values", queryset=TargetValue.objects.order_by("year")))
        .order_by("order", "pk")
    )
    groups: dict[int | None, LevelGroup] = {}
    years: set[int] = set()
    for target in targets:
        level = target.indicator.level
        group = groups.setdefault(level.pk if level else None, LevelGroup(level=level))
        baseline = None
        milestones = {}
        for value in target.values.all():
            if value.role == TargetValue.Role.BASELINE:
                baseline = value
            else:
                milestones[value.year] = value
                years.add(value.year)
        group.rows.append(TargetRow(target=target, baseline=baseline, milestones=milestones))
    ordered = sorted(groups.values(), key=lambda g: (g.level is None, g.level.order if g.level else 0))
    return sorted(years or set(plan.milestone_years)), ordered


def plan_budget_summary(plan: Plan) -> BudgetSummary:
    """Section subtotals and the plan total computed from the lines, beside the stated figures."""
    rows = [
        BudgetRow(number=line.number, content=line.content, amount=line.amount)
        for line in BudgetLine.objects.filter(plan=plan).only("number", "content", "amount")
    ]
    return budget_summary(rows, stated_total=plan.budget_stated_total)


def plan_flagged_values(plan: Plan) -> QuerySet[TargetValue]:
    """Every value of the plan whose wording could not be read or is inconsistent, in table order."""
    return (
        TargetValue.objects.filter(target__plan=plan)
        .exclude(flag="")
        .select_related("target__indicator__level")
        .order_by("target__order", "role", "year")
    )
