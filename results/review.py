"""Reads behind the office's review pages, in SQL at any size: the reports of a period in the
viewer's scope (one row per school, its report joined in the ON clause), their counts by status
(one grouped query), the same counts for every listed period, and the next report to review.

Nothing here builds an object per school: a commune's page reads its own schools, a province's
page the 50 rows it shows and one aggregate. See results/views_review.py for who gets which page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Left, Length

from indicators.models import Indicator
from organisations.models import Membership, OrgUnit, SchoolLevel, under_path
from organisations.permissions import user_memberships

from .models import ReportingPeriod, Submission
from .questions import ALL_LEVEL_CODES
from .terms import NOT_SENT_STATUSES, NOT_STARTED, REVIEW_STATUSES

READ_ROLES = {Membership.Role.OFFICE_STAFF, Membership.Role.LEADER}


# ---------------------------------------------------------------- scope


def scope_paths(user, root_path: str) -> list[str] | None:
    """The subtrees of `root_path` (a plan's issuer) that `user` reads: None for all of it, [] for
    none. A province's officer reading a district plan gets the district; a commune's officer
    gets their commune. Read from the cached memberships: no query."""
    if getattr(user, "is_superuser", False):
        return None
    paths: list[str] = []
    for membership in user_memberships(user):
        if membership.role not in READ_ROLES:
            continue
        own = membership.unit.path
        if root_path.startswith(own):
            return None  # the user's unit holds the whole plan
        if own.startswith(root_path):
            paths.append(own)
    return paths


def scope_q(paths: list[str] | None, prefix: str = "") -> Q:
    """Units (`prefix`: a unit reached through a relation, "school__") under `paths`."""
    if paths is None:
        return Q()
    if not paths:
        return Q(**{f"{prefix}pk__in": []})
    query = Q()
    for path in paths:
        query |= under_path(path, f"{prefix}path")
    return query


# ---------------------------------------------------------------- who is asked


@dataclass(frozen=True)
class Asks:
    codes: frozenset[str]  # school levels asked something
    unit_facts: bool  # the issuing unit enters facts of its own (results.questions.is_unit_fact)


def plans_asks(plan_ids) -> dict[int, Asks]:
    """Plan id → who its periods ask, by results.questions' rules (is_unit_fact,
    indicator_level_codes) read from one flat query for any number of plans."""
    per_indicator: dict[tuple[int, int], tuple[str, str | None, set[str]]] = {}
    rows = Indicator.objects.filter(targets__plan_id__in=list(plan_ids)).values_list(
        "targets__plan_id", "pk", "aggregation", "level__code", "levels__code"
    )
    for plan_id, pk, aggregation, level_code, m2m_code in rows:
        _agg, _level, codes = per_indicator.setdefault((plan_id, pk), (aggregation, level_code, set()))
        if m2m_code:
            codes.add(m2m_code)
    codes_of: dict[int, set[str]] = {pk: set() for pk in plan_ids}
    with_unit_facts: set[int] = set()
    for (plan_id, _pk), (aggregation, level_code, codes) in per_indicator.items():
        if aggregation == Indicator.Aggregation.NONE:
            with_unit_facts.add(plan_id)
        else:
            codes_of[plan_id] |= {level_code} if level_code else (codes or ALL_LEVEL_CODES)
    return {pk: Asks(frozenset(codes), pk in with_unit_facts) for pk, codes in codes_of.items()}


def _teaches(codes: frozenset[str], unit_ref: str) -> Q:
    if codes >= ALL_LEVEL_CODES:
        return Q()
    through = OrgUnit.levels.through.objects.filter(orgunit=OuterRef(unit_ref), schoollevel__code__in=codes)
    return Q(Exists(through))


def asked_q(period: ReportingPeriod, asks: Asks, prefix: str = "") -> Q:
    """The schools the period asks (its plan's levels, under its issuer, open when it starts) and,
    when the plan has unit-level facts, the issuing unit itself. `prefix` "school__" reads it
    from a Submission."""
    issuer = period.plan.issuer
    day = period.starts_on
    if asks.codes:
        schools = (
            Q(**{f"{prefix}kind": OrgUnit.Kind.SCHOOL})
            & under_path(issuer.path, f"{prefix}path")
            & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day}))
            & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day}))
            & _teaches(asks.codes, "school_id" if prefix else "pk")
        )
    else:
        schools = Q(**{f"{prefix}pk__in": []})
    return schools | Q(**{f"{prefix}pk": issuer.pk}) if asks.unit_facts else schools


# ---------------------------------------------------------------- one period's table


def reporting_units(period: ReportingPeriod, user, asks: Asks | None = None) -> QuerySet[OrgUnit]:
    """The units reporting in `period` that `user` sees, with `status` (a Submission.Status or
    "not_started"): each unit joined to its one report of the period in the ON clause."""
    if asks is None:
        asks = plans_asks([period.plan_id])[period.plan_id]
    paths = scope_paths(user, period.plan.issuer.path)
    return (
        OrgUnit.objects.filter(asked_q(period, asks) & scope_q(paths))
        .annotate(report=FilteredRelation("submissions", condition=Q(submissions__period=period)))
        .annotate(status=Coalesce(F("report__status"), Value(NOT_STARTED), output_field=CharField()))
    )


def _commune_annotations() -> dict:
    """The commune a unit sits in: its parent, or its grandparent for a school run from a unit
    inside a commune; "" / None for a school run from a district or province."""
    commune = OrgUnit.Kind.COMMUNE
    return {
        "commune_name": Case(
            When(parent__kind=commune, then=F("parent__name")),
            When(parent__parent__kind=commune, then=F("parent__parent__name")),
            default=Value(""),
            output_field=CharField(),
        ),
        "commune_id": Case(
            When(parent__kind=commune, then=F("parent_id")),
            When(parent__parent__kind=commune, then=F("parent__parent_id")),
            default=None,
        ),
    }


def review_units(period: ReportingPeriod, user, asks: Asks | None = None) -> QuerySet[OrgUnit]:
    """The units reporting in `period` that `user` sees, each annotated with its report: `status`
    (a Submission.Status or "not_started") and `status_order` (the workflow's), `submission_id`,
    `submission_version`, `submitted_at`, `reviewed_at`, `review_comment`, `commune_id` and
    `commune_name` (the commune it sits in, "" for one run from higher up), `level_name` (its
    first school level, to sort by) and `is_own` (the issuer's own facts, entered by its office)."""
    first_level = SchoolLevel.objects.filter(schools=OuterRef("pk")).order_by("order").values("name")[:1]
    return reporting_units(period, user, asks).annotate(
        **_commune_annotations(),
        status_order=Case(
            *(When(status=code, then=Value(i)) for i, (code, _label) in enumerate(REVIEW_STATUSES)),
            output_field=IntegerField(),
        ),
        submission_id=F("report__id"),
        submission_version=F("report__version"),
        submitted_at=F("report__submitted_at"),
        reviewed_at=F("report__reviewed_at"),
        review_comment=F("report__review_comment"),
        level_name=Coalesce(Subquery(first_level), Value(""), output_field=CharField()),
        is_own=Case(When(pk=period.plan.issuer_id, then=Value(True)), default=Value(False)),
    )


@dataclass
class Summary:
    """A period's units in the viewer's scope counted by status, overall and per commune."""

    counts: dict[str, int]  # status → units
    communes: list[tuple[int, str]]  # (id, name) of the communes with a unit reporting, by name
    by_commune: dict[int | None, dict[str, int]]  # commune id → {"total", "sent", "approved", status…}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def labelled(self) -> list[tuple[str, str, int]]:
        return [(code, label, self.counts.get(code, 0)) for code, label in REVIEW_STATUSES]


def review_summary(units: QuerySet[OrgUnit]) -> Summary:
    """Counts of `units` (a reporting_units queryset, before any filter) by commune and status:
    one grouped query, whatever the number of schools."""
    counts = dict.fromkeys((code for code, _label in REVIEW_STATUSES), 0)
    names: dict[int, str] = {}
    by_commune: dict[int | None, dict[str, int]] = {}
    grouped = (
        units.annotate(**_commune_annotations())
        .order_by()
        .values_list("commune_id", "commune_name", "status")
        .annotate(n=Count("pk"))
    )
    for commune_id, name, status, n in grouped:
        counts[status] = counts.get(status, 0) + n
        if commune_id is not None:
            names[commune_id] = name
        line = by_commune.setdefault(commune_id, {"total": 0, "sent": 0, "approved": 0})
        line["total"] += n
        line[status] = line.get(status, 0) + n
        if status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED):
            line["sent"] += n
        if status == Submission.Status.APPROVED:
            line["approved"] += n
    communes = sorted(names.items(), key=lambda item: (item[1], item[0]))
    return Summary(counts=counts, communes=communes, by_commune=by_commune)


def not_sent_units(period: ReportingPeriod, user) -> QuerySet[OrgUnit]:
    """The schools (not the issuer's own report) that have not sent, for reminders, in tree order."""
    return (
        review_units(period, user)
        .filter(kind=OrgUnit.Kind.SCHOOL, status__in=NOT_SENT_STATUSES)
        .order_by("commune_name", "name", "pk")
    )


def next_submission_to_review(period: ReportingPeriod, user, after: Submission | None = None) -> Submission | None:
    """The oldest submitted report of `period` under the user's units (after `after`, the one on
    screen, in the same order: sent time, then id), or None. One query."""
    paths = scope_paths(user, period.plan.issuer.path)
    reports = Submission.objects.filter(period=period, status=Submission.Status.SUBMITTED).filter(
        scope_q(paths, "school__")
    )
    if after is not None:
        reports = reports.exclude(pk=after.pk)
        if after.submitted_at is not None:
            reports = reports.filter(
                Q(submitted_at__gt=after.submitted_at) | Q(submitted_at=after.submitted_at, pk__gt=after.pk)
            )
    return reports.select_related("school").order_by(F("submitted_at").asc(nulls_first=True), "pk").first()


# ---------------------------------------------------------------- every listed period


def user_read_paths(user) -> list[str] | None:
    """Every subtree the user reads (None: everything). No query: memberships are cached."""
    if getattr(user, "is_superuser", False):
        return None
    return [m.unit.path for m in user_memberships(user) if m.role in READ_ROLES]


def _subtree_of(outer_path: str) -> Q:
    """Units under the unit whose path is the outer query's `outer_path` (organisations.models.
    under_path with the path read from the outer row: "/1/" ≤ path < "/10")."""
    upper = Concat(Left(OuterRef(outer_path), Length(OuterRef(outer_path)) - 1), Value("0"))
    return Q(path__gte=OuterRef(outer_path), path__lt=upper, path__startswith=OuterRef(outer_path))


def with_status_counts(periods: QuerySet[ReportingPeriod], user) -> list[ReportingPeriod]:
    """The periods, each with `status_counts` (status → units in the user's scope). Four queries
    whatever the number of periods and schools: the periods with how many units each asks
    (correlated counts over the path index), the plans' levels (2), and the reports grouped by
    period and status (1). "Not started" is what is asked minus what has a report: a report
    exists only for a unit the period asked (the principal's page offers no other)."""
    periods = list(periods)
    if not periods:
        return []
    asks = plans_asks({p.plan_id for p in periods})
    scope = scope_q(user_read_paths(user))
    by_asks: dict[Asks, list[int]] = {}
    for period in periods:
        by_asks.setdefault(asks[period.plan_id], []).append(period.plan_id)
    whens = []
    for each, plan_ids in by_asks.items():
        if each.codes:
            asked = (
                _subtree_of("plan__issuer__path")
                & (Q(valid_from__isnull=True) | Q(valid_from__lte=OuterRef("starts_on")))
                & (Q(closed_on__isnull=True) | Q(closed_on__gt=OuterRef("starts_on")))
                & _teaches(each.codes, "pk")
                & Q(kind=OrgUnit.Kind.SCHOOL)
            )
        else:
            asked = Q(pk__in=[])
        if each.unit_facts:
            asked |= Q(pk=OuterRef("plan__issuer_id"))
        schools = OrgUnit.objects.filter(scope & asked)
        count = schools.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        whens.append(When(plan_id__in=plan_ids, then=Coalesce(Subquery(count), 0)))
    expected = dict(
        ReportingPeriod.objects.filter(pk__in=[p.pk for p in periods])
        .annotate(expected=Case(*whens, default=0, output_field=IntegerField()))
        .values_list("pk", "expected")
    )
    counts = {p.pk: dict.fromkeys((code for code, _label in REVIEW_STATUSES), 0) for p in periods}
    grouped = (
        Submission.objects.filter(period__in=list(counts))
        .filter(scope_q(user_read_paths(user), "school__"))
        .order_by()
        .values_list("period_id", "status")
        .annotate(n=Count("pk"))
    )
    for period_id, status, n in grouped:
        counts[period_id][status] = n
    for period in periods:
        started = sum(counts[period.pk].values())
        counts[period.pk][NOT_STARTED] = max(expected.get(period.pk, 0) - started, 0)
        period.status_counts = counts[period.pk]
    return periods
