"""The roll-up table (IndicatorRollup): approved school facts added up for every unit above them.

Two ways to fill it, which always agree (tests/results/test_rollups.py checks it after random
sequences of saves, submissions, returns, approvals and reopenings):
- `rollup_refresh()` runs inside each transition that makes facts count or stop counting
  (approve, reopen; results.services calls it in the same transaction), for the units above the
  school, the submission's indicators and year: a leader's page shows an approval on its next load;
- `rollup_rebuild()` recomputes everything from the facts (`manage.py rollups_rebuild`), set-based.

What is added up (indicators.rollup says what the sums mean):
- facts: ResultValues of schools whose submission is approved, not unit-level facts (those are
  read as they are);
- `schools_count`: schools of the indicator's levels under the unit, open on 31 December of the
  year (OrgUnit.open_on), whether they reported or not: the denominator of a share of schools;
- a row per (unit, indicator, year) with at least one approved fact; cross-level indicators also
  get a row per level they are asked of (a school of several levels counts in each).
A school closed or merged keeps its facts where it stood in the tree, so a commune's earlier years
still add up after the school is gone.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, Q, Sum, When
from django.utils import timezone

from indicators.models import Indicator
from indicators.rollup import FIGURE_NAMES, Figures
from organisations.models import OrgUnit, path_ids, under_path

from .models import IndicatorRollup, ResultValue, Submission
from .questions import indicator_level_codes, is_unit_fact

TOTAL = ""  # level_code of the row for every level together

_SUMS = {
    "numerator_sum": Sum("numerator"),
    "denominator_sum": Sum(Case(When(numerator__isnull=False, then="denominator"))),
    "number_sum": Sum(Case(When(denominator__isnull=True, then="number"))),
    "weighted_sum": Sum(
        Case(
            When(
                numerator__isnull=True,
                denominator__isnull=False,
                then=ExpressionWrapper(
                    F("number") * F("denominator"), output_field=DecimalField(max_digits=28, decimal_places=4)
                ),
            )
        ),
        output_field=DecimalField(max_digits=28, decimal_places=4),
    ),
    "weight_sum": Sum(Case(When(numerator__isnull=True, number__isnull=False, then="denominator"))),
    "met_count": Count("pk", filter=Q(boolean=True)),
    "reported_count": Count("pk"),
}


def approved_facts():
    """Facts that count: approved reports of schools, indicators that add up."""
    return ResultValue.objects.filter(
        submission__status=Submission.Status.APPROVED, unit__kind=OrgUnit.Kind.SCHOOL
    ).exclude(indicator__aggregation=Indicator.Aggregation.NONE)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _indicators(ids) -> dict[int, Indicator]:
    return {i.pk: i for i in Indicator.objects.filter(pk__in=ids).select_related("level").prefetch_related("levels")}


# --- incremental ----------------------------------------------------------------------------


def rollup_refresh(*, school: OrgUnit, indicator_ids, year: int) -> None:
    """Recompute the rows of every unit above `school` for these indicators and year.

    Must run inside the transaction that changed the facts. The units above are locked first,
    root first, so two approvals under the same province are added up one after the other (each
    then reads the other's committed facts) instead of both writing from their own snapshot.
    """
    ancestor_ids = path_ids(school.path)[:-1]
    if not ancestor_ids:
        return
    indicators = {pk: i for pk, i in _indicators(indicator_ids).items() if not is_unit_fact(i)}
    if not indicators:
        return
    ancestors = list(OrgUnit.objects.select_for_update().filter(pk__in=ancestor_ids).order_by("path"))
    now = timezone.now()
    for unit in ancestors:
        IndicatorRollup.objects.filter(unit=unit, indicator_id__in=list(indicators), year=year).delete()
        _write_unit_rows(unit, indicators, year, now)


def _write_unit_rows(unit: OrgUnit, indicators: dict[int, Indicator], year: int, now) -> None:
    """Compute and store the unit's rows for these indicators and year (the old ones are gone)."""
    rows = _compute_unit(unit, indicators, year)
    IndicatorRollup.objects.bulk_create(
        IndicatorRollup(unit=unit, indicator_id=indicator_id, year=year, level_code=level, updated_at=now, **vars(f))
        for (indicator_id, level), f in rows.items()
    )


def _compute_unit(unit: OrgUnit, indicators: dict[int, Indicator], year: int) -> dict[tuple[int, str], Figures]:
    """(indicator id, level code) → figures for one unit: three or four queries."""
    facts = approved_facts().filter(under_path(unit.path, "unit__path"), indicator_id__in=list(indicators), year=year)
    rows: dict[tuple[int, str], Figures] = {}
    for row in facts.values("indicator_id").annotate(**_SUMS).order_by():
        rows[(row["indicator_id"], TOTAL)] = Figures.of(row)
    cross = [pk for pk, i in indicators.items() if not i.level_id]
    if cross:
        per_level = facts.filter(indicator_id__in=cross).values("indicator_id", "unit__levels__code").annotate(**_SUMS)
        for row in per_level.order_by():
            level = row["unit__levels__code"]
            if level in indicator_level_codes(indicators[row["indicator_id"]]):
                rows[(row["indicator_id"], level)] = Figures.of(row)
    if not rows:
        return {}
    counts = _school_counts_under(unit, year)
    return {
        key: _with_schools(figures, _schools_for(counts, indicators[key[0]], key[1])) for key, figures in rows.items()
    }


def _school_counts_under(unit: OrgUnit, year: int) -> dict[frozenset[str], int]:
    """Level set of a school → how many schools under `unit` open on 31 December have it."""
    schools = OrgUnit.objects.schools().under(unit.path).open_on(year_end(year))
    by_school: dict[int, set[str]] = defaultdict(set)
    for school_id, code in schools.values_list("pk", "levels__code"):
        if code:
            by_school[school_id].add(code)
    counts: dict[frozenset[str], int] = defaultdict(int)
    for codes in by_school.values():
        counts[frozenset(codes)] += 1
    return counts


def _schools_for(counts: dict[frozenset[str], int], indicator: Indicator, level: str) -> int:
    wanted = {level} if level else indicator_level_codes(indicator)
    return sum(n for codes, n in counts.items() if codes & wanted)


def _with_schools(figures: Figures, schools: int) -> Figures:
    return Figures(**{**vars(figures), "schools_count": schools})


@transaction.atomic
def rollup_refresh_units(*, unit_ids) -> None:
    """Recompute every row these units hold (all their indicators and years), and add rows for
    indicators newly reported below them: after a change to the tree (results.signals)."""
    units = list(OrgUnit.objects.select_for_update().filter(pk__in=list(unit_ids)).order_by("path"))
    now = timezone.now()
    for unit in units:
        keys = set(
            approved_facts().filter(under_path(unit.path, "unit__path")).values_list("indicator_id", "year").distinct()
        )
        keys |= set(IndicatorRollup.objects.filter(unit=unit).values_list("indicator_id", "year").distinct())
        by_year: dict[int, set[int]] = defaultdict(set)
        for indicator_id, year in keys:
            by_year[year].add(indicator_id)
        IndicatorRollup.objects.filter(unit=unit).delete()
        for year, indicator_ids in by_year.items():
            indicators = {pk: i for pk, i in _indicators(indicator_ids).items() if not is_unit_fact(i)}
            _write_unit_rows(unit, indicators, year, now)


# --- from scratch ---------------------------------------------------------------------------


@transaction.atomic
def rollup_rebuild() -> int:
    """Throw the table away and add every approved fact up again; returns the number of rows.

    Set-based: one grouped query per kind of row (facts by the school's parent, indicator, year
    and level), then each group is added to its parent's ancestors in Python, whatever the size of
    the tree; school counts likewise from one read of the schools.
    """
    IndicatorRollup.objects.all().delete()
    paths = dict(OrgUnit.objects.exclude(kind=OrgUnit.Kind.SCHOOL).values_list("pk", "path"))
    facts = approved_facts()
    indicator_ids = set(facts.values_list("indicator_id", flat=True).distinct())
    indicators = _indicators(indicator_ids)
    sums: dict[tuple[int, int, int, str], Figures] = defaultdict(Figures)

    def add(parent_id, indicator_id, year, level, row):
        figures = Figures.of(row)
        for ancestor in _ancestors(paths, parent_id):
            sums[(ancestor, indicator_id, year, level)] += figures

    for row in facts.values("unit__parent_id", "indicator_id", "year").annotate(**_SUMS).order_by():
        add(row["unit__parent_id"], row["indicator_id"], row["year"], TOTAL, row)
    cross = [pk for pk, i in indicators.items() if not i.level_id]
    if cross:
        per_level = facts.filter(indicator_id__in=cross).values(
            "unit__parent_id", "indicator_id", "year", "unit__levels__code"
        )
        for row in per_level.annotate(**_SUMS).order_by():
            if row["unit__levels__code"] in indicator_level_codes(indicators[row["indicator_id"]]):
                add(row["unit__parent_id"], row["indicator_id"], row["year"], row["unit__levels__code"], row)

    years = {key[2] for key in sums}
    counts = _school_counts_by_ancestor(paths, years)
    now = timezone.now()
    IndicatorRollup.objects.bulk_create(
        (
            IndicatorRollup(
                unit_id=unit_id,
                indicator_id=indicator_id,
                year=year,
                level_code=level,
                updated_at=now,
                **vars(_with_schools(f, _schools_for(counts[(unit_id, year)], indicators[indicator_id], level))),
            )
            for (unit_id, indicator_id, year, level), f in sums.items()
        ),
        batch_size=5000,
    )
    return len(sums)


def _ancestors(paths: dict[int, str], unit_id: int | None) -> list[int]:
    if unit_id is None or unit_id not in paths:
        return []
    return path_ids(paths[unit_id])


def _school_counts_by_ancestor(paths, years) -> dict[tuple[int, int], dict[frozenset[str], int]]:
    """(unit id, year) → level set → number of schools under the unit open on 31 December."""
    schools: dict[int, OrgUnit] = {}
    codes: dict[int, set[str]] = defaultdict(set)
    for pk, parent_id, valid_from, closed_on, code in OrgUnit.objects.schools().values_list(
        "pk", "parent_id", "valid_from", "closed_on", "levels__code"
    ):
        # Unsaved stand-ins carrying the dates: OrgUnit.is_open_on is the tree's one rule of "open".
        schools.setdefault(pk, OrgUnit(pk=pk, parent_id=parent_id, valid_from=valid_from, closed_on=closed_on))
        if code:
            codes[pk].add(code)
    counts: dict[tuple[int, int], dict[frozenset[str], int]] = defaultdict(lambda: defaultdict(int))
    for pk, school in schools.items():
        level_set = frozenset(codes[pk])
        ancestors = _ancestors(paths, school.parent_id)
        for year in years:
            if school.is_open_on(year_end(year)):
                for ancestor in ancestors:
                    counts[(ancestor, year)][level_set] += 1
    return counts


def rollup_table_snapshot() -> dict[tuple[int, int, int, str], tuple]:
    """Every row's key → its figures, for comparing the incremental table with a rebuild."""
    return {
        (r["unit_id"], r["indicator_id"], r["year"], r["level_code"]): tuple(r[name] for name in FIGURE_NAMES)
        for r in IndicatorRollup.objects.values("unit_id", "indicator_id", "year", "level_code", *FIGURE_NAMES)
    }
