"""The leaders' pages: a unit's progress (school, commune, district, province, the country), the
ranking of its child units and its export, and each role's landing page. Read-only: the forms on
these pages post to the apps that own the data (assignments, plans)."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from assignments.selectors import TaskState, plan_tasks_by_urgency
from indicators.status import STATUS_LABELS
from organisations.models import Membership, OrgUnit
from organisations.permissions import (
    can_read_unit,
    is_office_staff,
    units_managed_by,
    units_visible_to,
    user_memberships,
)
from organisations.selectors import unit_with_ancestors
from plans.cascade import plan_arithmetic_flags, plan_cascade_flags
from plans.models import Target
from plans.permissions import plan_list_managed_by, plan_list_visible_to
from plans.selectors import plan_budget_progress
from portal.exports import tabular_response

from . import reporting, selectors
from .charts import Bar, bar_chart, trend_chart, trend_legend
from .filters import ChildUnitFilter
from .tables import RankingTable, ranking_records

YEAR_RANGE = range(1945, 2101)


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    """Each person's own dashboard: their unit's (the first one), the country for a superuser."""
    memberships = user_memberships(request.user)
    if request.user.is_superuser and not memberships:
        return redirect("dashboards:national")
    units = [m.unit for m in memberships if m.role in (Membership.Role.LEADER, Membership.Role.OFFICE_STAFF)]
    units += [m.unit for m in memberships if m.role == Membership.Role.PRINCIPAL]
    if not units:
        raise Http404
    return redirect("dashboards:unit", unit_pk=min(units, key=lambda u: len(u.path)).pk)


def _visible_unit(request: HttpRequest, unit_pk: int) -> OrgUnit:
    """404 outside the user's units (a principal sees only their school). The unit comes with its
    ancestors (`unit.ancestors`, for the breadcrumbs), read in the same query."""
    unit, ancestors = unit_with_ancestors(unit_pk)
    if unit is None or unit.kind == OrgUnit.Kind.AGENCY or not can_read_unit(request.user, unit):
        raise Http404
    unit.ancestors = ancestors
    return unit


def _choose_plan(request: HttpRequest, plans):
    wanted = _int_param(request, "ke-hoach")
    return next((p for p in plans if p.pk == wanted), plans[0] if plans else None)


def _year(request: HttpRequest) -> int | None:
    year = _int_param(request, "nam")
    return year if year in YEAR_RANGE else None


def _unit_url(unit: OrgUnit, plan, year: int, *, template: str | None = None) -> str:
    """A unit's dashboard for the same plan and year. `template` (from _unit_url_template) saves
    resolving the URL once per child of a ranking."""
    query = f"?nam={year}" + (f"&ke-hoach={plan.pk}" if plan else "")
    path = template.replace(_PK_MARK, str(unit.pk)) if template else reverse("dashboards:unit", args=[unit.pk])
    return path + query


_PK_MARK = "987654321"


def _unit_url_template() -> str:
    return reverse("dashboards:unit", args=[int(_PK_MARK)])


def _ranking(request: HttpRequest, *, unit: OrgUnit | None, plan, dashboard, target: Target | None):
    """The child units for one target: filter, rows, sortable table, bar chart."""
    if target is None:
        return None
    children = selectors.child_units(unit)
    if unit is None:
        children = children.filter(pk__in=units_visible_to(request.user).values("pk"))
    filterset = ChildUnitFilter(request.GET or None, queryset=children)
    rows = selectors.children_progress(target=target, children=filterset.qs, year=dashboard.year)
    if filterset.status:
        rows = [row for row in rows if row.status == filterset.status]
    template = _unit_url_template()
    records = ranking_records(rows, lambda child: _unit_url(child, plan, dashboard.year, template=template))
    table = RankingTable(records)
    RequestConfig(request, paginate=False).configure(table)
    progress = next((row for row in dashboard.rows if row.target.pk == target.pk), None)
    bars = [
        Bar(
            label=record["name"],
            value=record["value"],
            status=record["status"],
            status_label=record["status_label"],
            url=record["url"],
        )
        for record in (bound.record for bound in table.rows)  # in the table's order, as sorted
    ]
    chart = bar_chart(bars, unit=progress.unit_suffix if progress else "", title=target.wording, id_prefix="xh")
    return {"target": target, "table": table, "filter": filterset, "chart": chart, "rows": rows}


def _attach_charts(dashboard) -> None:
    for n, row in enumerate(dashboard.rows):
        row.chart = trend_chart(row.trend, unit=row.unit_suffix, title=row.target.wording, id_prefix=f"t{n}")


def _dashboard_page(request: HttpRequest, unit: OrgUnit | None) -> HttpResponse:
    plans = selectors.plans_for_unit(unit, plan_list_visible_to(user=request.user))
    plan = _choose_plan(request, plans)
    dashboard = selectors.unit_dashboard(unit=unit, plan=plan, year=_year(request))
    _attach_charts(dashboard)
    is_school = unit is not None and unit.kind == OrgUnit.Kind.SCHOOL
    ranking = None
    if not is_school and dashboard.rows:
        wanted = _int_param(request, "chi-tieu")
        target = next((r.target for r in dashboard.rows if r.target.pk == wanted), dashboard.rows[0].target)
        ranking = _ranking(request, unit=unit, plan=plan, dashboard=dashboard, target=target)
    period = reporting.plan_current_period(plan, dashboard.year) if plan and not is_school else None
    completeness = (
        reporting.period_completeness(period=period, unit=unit, targets=[r.target for r in dashboard.rows])
        if period
        else None
    )
    counts = [(status, label, dashboard.status_counts.get(status.value, 0)) for status, label in STATUS_LABELS.items()]
    context = _header_context(unit, plans, plan, dashboard.year, dashboard.years, dashboard.as_of) | {
        "dashboard": dashboard,
        "groups": _groups(dashboard.rows),
        "ranking": ranking,
        "completeness": completeness,
        "status_counts": counts,
        "legend": trend_legend(id_prefix="lg"),
        "drill_base": f"?nam={dashboard.year}&ke-hoach={plan.pk if plan else ''}&chi-tieu=",
        "export_urls": _export_urls(unit),
    }
    return render(request, "dashboards/unit.html", context)


def _header_context(unit, plans, plan, year: int, years, as_of) -> dict:
    """What templates/dashboards/_header.html needs: the unit, its ancestors, plan and year choice."""
    return {
        "unit": unit,
        "ancestors": unit.ancestors if unit else [],
        "plans": plans,
        "plan": plan,
        "year": year,
        "year_text": str(year),
        "plan_text": str(plan.pk) if plan else "",
        "years": sorted(set(years) | {year, timezone.localdate().year}),
        "as_of": as_of,
        "is_school": unit is not None and unit.kind == OrgUnit.Kind.SCHOOL,
    }


def _tab_page(request: HttpRequest, unit_pk: int, *, template: str, tab: str, build) -> HttpResponse:
    """A section of a unit's dashboard for its plan: tasks, budget, the plan's checks."""
    unit = _visible_unit(request, unit_pk)
    if unit.kind == OrgUnit.Kind.SCHOOL:
        raise Http404
    plans = selectors.plans_for_unit(unit, plan_list_visible_to(user=request.user))
    plan = _choose_plan(request, plans)
    year = _year(request) or timezone.localdate().year
    context = _header_context(unit, plans, plan, year, [], selectors.unit_as_of(unit)) | {"tab": tab}
    if plan is not None:
        context |= build(plan, year)
    return render(request, template, context)


@login_required
def tasks_view(request: HttpRequest, unit_pk: int) -> HttpResponse:
    def build(plan, year):
        rows = plan_tasks_by_urgency(plan=plan, today=timezone.localdate())
        counts = Counter(row.state for row in rows)
        return {"tasks": rows, "task_counts": [(s.value, s.label, counts.get(s.value, 0)) for s in TaskState]}

    return _tab_page(request, unit_pk, template="dashboards/tasks.html", tab="tasks", build=build)


@login_required
def budget_view(request: HttpRequest, unit_pk: int) -> HttpResponse:
    def build(plan, year):
        this_year, all_years = plan_budget_progress(plan=plan, year=year), plan_budget_progress(plan=plan)
        return {
            "budget": this_year,
            "budget_all": all_years,
            "sections": list(zip(all_years.sections, this_year.sections, strict=True)),
        }

    return _tab_page(request, unit_pk, template="dashboards/budget.html", tab="budget", build=build)


@login_required
def checks_view(request: HttpRequest, unit_pk: int) -> HttpResponse:
    def build(plan, year):
        return {"cascade": plan_cascade_flags(plan=plan), "arithmetic": plan_arithmetic_flags(plan=plan)}

    return _tab_page(request, unit_pk, template="dashboards/checks.html", tab="checks", build=build)


def _export_urls(unit: OrgUnit | None) -> dict[str, str]:
    """The ranking's download in each format, for the unit's page (the query string is added there)."""
    if unit is None:
        return {fmt: reverse("dashboards:national_ranking_export", args=[fmt]) for fmt in ("xlsx", "csv")}
    return {fmt: reverse("dashboards:ranking_export", args=[unit.pk, fmt]) for fmt in ("xlsx", "csv")}


def _groups(rows) -> list[tuple[str, list]]:
    """Targets by the document's own section, in document order."""
    groups: list[tuple[str, list]] = []
    for row in rows:
        section = row.target.section or (row.target.indicator.level.name if row.target.indicator.level_id else "")
        if not groups or groups[-1][0] != section:
            groups.append((section, []))
        groups[-1][1].append(row)
    return groups


@login_required
def unit_view(request: HttpRequest, unit_pk: int) -> HttpResponse:
    return _dashboard_page(request, _visible_unit(request, unit_pk))


@login_required
def national_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise Http404
    return _dashboard_page(request, None)


def _export(request: HttpRequest, unit: OrgUnit | None, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise Http404
    plans = selectors.plans_for_unit(unit, plan_list_visible_to(user=request.user))
    plan = _choose_plan(request, plans)
    dashboard = selectors.unit_dashboard(unit=unit, plan=plan, year=_year(request))
    wanted = _int_param(request, "chi-tieu")
    target = next((r.target for r in dashboard.rows if r.target.pk == wanted), None)
    if target is None and dashboard.rows:
        target = dashboard.rows[0].target
    ranking = _ranking(request, unit=unit, plan=plan, dashboard=dashboard, target=target)
    header = ["Đơn vị", "Kết quả", "Trạng thái", "Trường đã báo cáo", "Tổng số trường"]
    body = [
        [row.unit.name, row.display, row.status_label, row.reported, row.schools]
        for row in (ranking["rows"] if ranking else [])
    ]
    title = f"{target.wording[:80]} – {dashboard.year}" if target else ""
    name = f"xep-hang-{unit.pk if unit else 'toan-quoc'}-{dashboard.year}"
    return tabular_response(header=header, rows=body, fmt=fmt, filename=name, title=title)


@login_required
def ranking_export_view(request: HttpRequest, unit_pk: int, fmt: str) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    if unit.kind == OrgUnit.Kind.SCHOOL:
        raise Http404
    return _export(request, unit, fmt)


@login_required
def national_ranking_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if not request.user.is_superuser:
        raise Http404
    return _export(request, None, fmt)


@login_required
def work_view(request: HttpRequest) -> HttpResponse:
    """Office staff's landing page: what waits for them across the plans they manage."""
    if not is_office_staff(request.user):
        raise Http404
    work = reporting.office_work(
        managed_units=units_managed_by(request.user),
        managed_plans=plan_list_managed_by(user=request.user),
        today=timezone.localdate(),
    )
    return render(request, "dashboards/work.html", {"work": work})
