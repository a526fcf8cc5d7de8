"""What a dashboard shows, read from the apps below it; nothing here writes.

Every figure comes from the roll-up table (results.IndicatorRollup) or, for a school and for
unit-level facts, from the approved facts themselves; the arithmetic is indicators.rollup's and
the status indicators.status's, so a page never totals anything up itself. Each read is a fixed
number of queries, whatever the number of schools below the unit (tested for 10 and 1,000).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import FilteredRelation, Max, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from indicators.rollup import FIGURE_NAMES, Figures, actual_for_target, rollup_value
from indicators.status import Assessment, Point, Status, assess, comparable_number
from indicators.wording import ValueKind, format_decimal_vi
from organisations.models import OrgUnit, path_ids
from plans.models import Plan, Target, TargetValue
from plans.selectors import target_next_milestone
from portal.terms import NO_DATA
from results.assessment import PERCENT_KINDS, fact_number
from results.assessment import milestone_kind as _milestone_kind
from results.assessment import target_points as _points
from results.models import IndicatorRollup, ResultValue, Submission
from results.questions import is_unit_fact, school_answers
from results.selectors import unit_with_predecessors

from .charts import TrendPoint

NBSP = "\u00a0"


# --- scope -----------------------------------------------------------------------------------


def plans_for_unit(unit: OrgUnit | None, visible_plans) -> list[Plan]:
    """Plans that apply to the unit (issued by it or a unit above it), the nearest issuer first,
    then the newest. Nationally: every plan issued by a province."""
    plans = visible_plans.select_related("issuer")
    if unit is None:
        plans = plans.filter(issuer__kind=OrgUnit.Kind.PROVINCE)
    else:
        plans = plans.filter(issuer_id__in=path_ids(unit.path))
    return sorted(plans, key=lambda p: (-len(p.issuer.path), -p.period_start_year, p.pk))


# --- formatting ------------------------------------------------------------------------------


def _pct(value: Decimal) -> str:
    return f"{format_decimal_vi(value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}{NBSP}%"


def figures_display(indicator: Indicator, figures: Figures | None) -> str:
    """A roll-up as a leader reads it: "70 % (14/20)", "1/2 trường (50 %)", "5 phòng", "5,6 điểm"."""
    value = rollup_value(indicator.aggregation, figures) if figures else None
    if value is None:
        return str(NO_DATA)
    aggregation = indicator.aggregation
    if aggregation == Indicator.Aggregation.RATIO_OF_SUMS:
        numerator, denominator = (
            format_decimal_vi(Decimal(n)) for n in (figures.numerator_sum, figures.denominator_sum)
        )
        return f"{_pct(value)} ({numerator}/{denominator})"
    if aggregation == Indicator.Aggregation.SHARE_OF_SCHOOLS:
        return _("%(met)s/%(schools)s trường (%(pct)s)") % {
            "met": figures.met_count,
            "schools": figures.schools_count,
            "pct": _pct(value),
        }
    if aggregation == Indicator.Aggregation.WEIGHTED_MEAN:
        return _("%(score)s điểm") % {"score": format_decimal_vi(value.quantize(Decimal("0.01")).normalize())}
    noun = f" {indicator.noun}" if indicator.noun else ""
    return f"{format_decimal_vi(value.normalize())}{noun}"


# --- one target at one unit -------------------------------------------------------------------


@dataclass
class TargetProgress:
    """One target of a plan at one unit, with its status and its path."""

    target: Target
    display: str
    assessment: Assessment
    next_milestone: TargetValue | None
    trend: list[TrendPoint]
    unit_suffix: str
    comparable_here: bool = True
    by_level: list[tuple[str, str]] = field(default_factory=list)
    reported: int = 0
    schools: int = 0

    @property
    def status(self) -> str:
        return self.assessment.status.value

    @property
    def reported_text(self) -> str:
        return _("%(n)s/%(total)s trường đã báo cáo") % {"n": self.reported, "total": self.schools}


def target_progress(
    *,
    target: Target,
    unit: OrgUnit | None,
    year: int,
    figures_by_year: dict[int, Figures],
    facts_by_year: dict[int, ResultValue],
    level_figures: dict[str, Figures] | None = None,
    level_names: dict[str, str] | None = None,
    points: tuple[Point | None, list[Point]] | None = None,
    with_trend: bool = True,
) -> TargetProgress:
    """Status, display and trend of `target` at `unit` (None: the whole country) in `year`.

    `figures_by_year` holds the unit's roll-ups of the target's indicator (year → figures);
    `facts_by_year` its own facts (a school's answers, or a unit-level fact). A count target of a
    unit above (a district's "30 trường") is not a commune's or a school's own target: it is shown
    as the unit's part of it, without a status.
    """
    indicator = target.indicator
    baseline, milestones = points or _points(target)  # the ranking reads them once for all children
    kind = _milestone_kind(milestones, year)
    own_unit = unit is not None and unit.pk == target.plan.issuer_id
    is_fact_based = is_unit_fact(indicator) or (unit is not None and unit.kind == OrgUnit.Kind.SCHOOL)
    comparable_here = own_unit or kind not in (ValueKind.COUNT.value,)
    if is_fact_based:
        fact = facts_by_year.get(year)
        actual = fact_number(indicator, fact) if fact else None
        if isinstance(actual, bool) and kind in PERCENT_KINDS:
            # A school's own share of "schools that meet it" is all or nothing.
            actual = Decimal(100 if actual else 0)
        display = fact.display if fact else str(NO_DATA)
        series = {y: fact_number(indicator, f) for y, f in facts_by_year.items()}
        reported = 1 if fact else 0
        schools = 1
    else:
        figures = figures_by_year.get(year)
        actual = actual_for_target(indicator.aggregation, figures, kind) if figures else None
        display = figures_display(indicator, figures)
        series = {
            y: actual_for_target(indicator.aggregation, f, kind if comparable_here else "")
            for y, f in figures_by_year.items()
        }
        reported = figures.reported_count if figures else 0
        schools = figures.schools_count if figures else 0
    if comparable_here:
        assessment = assess(
            direction=indicator.direction,
            baseline=baseline,
            milestones=milestones,
            actual=actual,
            year=year,
            start_year=target.plan.period_start_year,
        )
    else:
        assessment = Assessment(
            status=Status.NOT_COMPARABLE,
            milestone=None,
            expected=None,
            reason=_("Chỉ tiêu chung của %(unit)s; đây là phần của đơn vị này.") % {"unit": target.plan.issuer.name},
        )
    unit_suffix = (
        "%"
        if (kind in PERCENT_KINDS or indicator.aggregation in ("ratio_of_sums", "share_of_schools")) and kind != "count"
        else ""
    )
    trend = _trend(baseline, milestones if comparable_here else [], series, unit_suffix) if with_trend else []
    by_level = []
    if level_figures:
        for code, figures in sorted(level_figures.items()):
            by_level.append(((level_names or {}).get(code, code), figures_display(indicator, figures)))
    return TargetProgress(
        target=target,
        display=display,
        assessment=assessment,
        next_milestone=target_next_milestone(target, year),
        trend=trend,
        unit_suffix=unit_suffix,
        comparable_here=comparable_here,
        by_level=by_level,
        reported=reported,
        schools=schools,
    )


def _chart_number(value) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(100) if value else Decimal(0)
    return value


def _trend(baseline: Point | None, milestones: list[Point], series: dict, unit_suffix: str) -> list[TrendPoint]:
    points = []
    if baseline is not None:
        points.append(TrendPoint(baseline.year, comparable_number(baseline.value), "baseline", baseline.value.wording))
    for year in sorted(series):
        points.append(TrendPoint(year, _chart_number(series[year]), "actual"))
    for milestone in milestones:
        points.append(
            TrendPoint(milestone.year, comparable_number(milestone.value), "milestone", milestone.value.wording)
        )
    return points


# --- a unit's dashboard ----------------------------------------------------------------------


@dataclass
class UnitDashboard:
    unit: OrgUnit | None
    plan: Plan | None
    year: int
    years: list[int]
    rows: list[TargetProgress]
    as_of: datetime.datetime | None
    status_counts: dict[str, int]


def _figures_map(rows) -> dict:
    """(indicator id, level code) → year → Figures."""
    result: dict = defaultdict(dict)
    for row in rows:
        result[(row["indicator_id"], row["level_code"])][row["year"]] = Figures.of(row)
    return result


def unit_dashboard(*, unit: OrgUnit | None, plan: Plan | None, year: int | None) -> UnitDashboard:
    """Every target of `plan` at `unit` (None: the country, adding up the provinces), with its
    status for `year` (None: the latest year with figures, else this year). Five queries."""
    targets = []
    if plan is not None:
        targets = list(
            Target.objects.filter(plan=plan)
            .select_related("indicator__level", "plan__issuer")
            # Ordered by the target's id, not its Meta ordering: that would join the targets again.
            .prefetch_related(Prefetch("values", queryset=TargetValue.objects.order_by("target_id", "role", "year")))
            .order_by("order", "pk")
        )
        _prefetch_cross_levels(targets)
    indicator_ids = {t.indicator_id for t in targets}
    rollups = IndicatorRollup.objects.filter(indicator_id__in=indicator_ids)
    if unit is not None and unit.kind == OrgUnit.Kind.SCHOOL:
        rows = []  # a school's page reads its own facts, nothing is rolled up below a school
    elif unit is None:
        rows = (
            # By the provinces' ids, read first: the (unit, …) index then finds their rows directly
            # instead of joining a million roll-up rows to their units.
            rollups.filter(
                unit_id__in=list(OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE).values_list("pk", flat=True))
            )
            .values("indicator_id", "year", "level_code")
            .annotate(**{name: Sum(name) for name in FIGURE_NAMES}, updated=Max("updated_at"))
            .order_by()
        )
    else:
        rows = rollups.filter(unit=unit).values(
            "indicator_id", "year", "level_code", *FIGURE_NAMES, updated=Max("updated_at")
        )
    rows = list(rows)
    figures = _figures_map(rows)

    facts: dict[int, dict[int, ResultValue]] = defaultdict(dict)
    # Own facts: a school's answers, or the unit-level facts its office entered for a plan it issued.
    needs_facts = unit is not None and (
        unit.kind == OrgUnit.Kind.SCHOOL
        or (plan is not None and plan.issuer_id == unit.pk and any(is_unit_fact(t.indicator) for t in targets))
    )
    if needs_facts:
        fact_units = unit_with_predecessors(unit) if unit.kind == OrgUnit.Kind.SCHOOL else [unit.pk]
        for fact in (
            ResultValue.objects.filter(
                unit_id__in=fact_units, indicator_id__in=indicator_ids, submission__status=Submission.Status.APPROVED
            )
            .select_related("submission")
            .order_by("year")
        ):
            facts[fact.indicator_id][fact.year] = fact
    years = sorted({r["year"] for r in rows} | {y for f in facts.values() for y in f})
    today = timezone.localdate()
    if year is None:
        past = [y for y in years if y <= today.year]
        year = past[-1] if past else today.year
    # As of: the last change that reached these figures (a roll-up's refresh, a fact's approval).
    as_of_candidates = [r["updated"] for r in rows if r["updated"]]
    as_of_candidates += [f.submission.reviewed_at for by_year in facts.values() for f in by_year.values()]
    as_of_candidates = [at for at in as_of_candidates if at]
    level_names = _level_names()
    progress = []
    if unit is not None and unit.kind == OrgUnit.Kind.SCHOOL:
        codes = set(unit.levels.values_list("code", flat=True))
        targets = [t for t in targets if school_answers(t.indicator, codes) or t.indicator_id in facts]
    for target in targets:
        levels = {
            code: by_year[year]
            for (indicator_id, code), by_year in figures.items()
            if indicator_id == target.indicator_id and code and year in by_year
        }
        progress.append(
            target_progress(
                target=target,
                unit=unit,
                year=year,
                figures_by_year=figures.get((target.indicator_id, ""), {}),
                facts_by_year=facts.get(target.indicator_id, {}),
                level_figures=levels,
                level_names=level_names,
            )
        )
    counts: dict[str, int] = defaultdict(int)
    for row in progress:
        counts[row.status] += 1
    return UnitDashboard(
        unit=unit,
        plan=plan,
        year=year,
        years=years,
        rows=progress,
        as_of=max(as_of_candidates, default=None),
        status_counts=dict(counts),
    )


def _prefetch_cross_levels(targets: list[Target]) -> None:
    """Load `levels` of the cross-level indicators only (one query, none when there are none):
    results.questions.indicator_level_codes reads them."""
    from django.db.models import prefetch_related_objects

    cross = [t.indicator for t in targets if not t.indicator.level_id]
    if cross:
        prefetch_related_objects(cross, "levels")


def _level_names() -> dict[str, str]:
    from organisations.models import SCHOOL_LEVELS

    return {code: short for code, _name, short, _order in SCHOOL_LEVELS}


def unit_as_of(unit: OrgUnit) -> datetime.datetime | None:
    """When the unit's figures last changed (its latest roll-up refresh)."""
    return IndicatorRollup.objects.filter(unit=unit).aggregate(at=Max("updated_at"))["at"]


# --- children of a unit, for the ranking ------------------------------------------------------


@dataclass
class ChildRow:
    unit: OrgUnit
    display: str
    value: Decimal | None  # what the status is judged on (a percentage, a count …), for sorting
    status: str
    status_label: str
    reported: int
    schools: int


def child_units(unit: OrgUnit | None):
    """The units directly below (schools, communes, districts; no agencies); provinces nationally."""
    if unit is None:
        return OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE)
    return OrgUnit.objects.filter(parent=unit).exclude(kind=OrgUnit.Kind.AGENCY)


FACT_FIELDS = ["numerator", "denominator", "number", "boolean", "stage"]


def children_progress(*, target: Target, children, year: int) -> list[ChildRow]:
    """Each child unit's figure and status for one target in `year`: its roll-up for a unit, its
    own approved fact for a school. One query whatever the number of children (each child joined
    with at most one roll-up row and one fact: both are unique per unit, indicator and year)."""
    from indicators.status import STATUS_LABELS

    indicator = target.indicator
    points = _points(target)
    joined = children.order_by("path").annotate(
        r=FilteredRelation(
            "rollups", condition=Q(rollups__indicator=indicator, rollups__year=year, rollups__level_code="")
        ),
        f=FilteredRelation("facts", condition=Q(facts__indicator=indicator, facts__year=year)),
    )
    names = [
        "pk",
        "name",
        "path",
        "kind",
        "r__pk",
        *(f"r__{n}" for n in FIGURE_NAMES),
        "f__pk",
        "f__submission__status",
    ]
    rows = []
    for row in joined.values(*names, *(f"f__{n}" for n in FACT_FIELDS)):
        child = OrgUnit(pk=row["pk"], name=row["name"], path=row["path"], kind=row["kind"])
        figures = {year: Figures(**{n: row[f"r__{n}"] for n in FIGURE_NAMES})} if row["r__pk"] else {}
        approved = row["f__pk"] and row["f__submission__status"] == Submission.Status.APPROVED
        fact = ResultValue(**{n: row[f"f__{n}"] for n in FACT_FIELDS}) if approved else None
        if fact is not None and fact.stage is None:
            fact.stage = ""
        facts = {year: fact} if fact else {}
        if child.kind == OrgUnit.Kind.SCHOOL and fact is None and is_unit_fact(indicator):
            continue
        progress = target_progress(
            target=target,
            unit=child,
            year=year,
            figures_by_year=figures,
            facts_by_year=facts,
            points=points,
            with_trend=False,
        )
        if progress.assessment.status == Status.NO_DATA:
            value = None
        elif child.kind == OrgUnit.Kind.SCHOOL:
            value = _chart_number(fact_number(indicator, fact)) if fact else None
        else:
            value = rollup_value(indicator.aggregation, figures[year]) if figures else None
        rows.append(
            ChildRow(
                unit=child,
                display=progress.display,
                value=value,
                status=progress.status,
                status_label=str(STATUS_LABELS[progress.assessment.status]),
                reported=progress.reported,
                schools=progress.schools,
            )
        )
    return rows
