"""Measure the office's review pages (/ky-bao-cao/) on the national data set of portal/benchmark.py:
for a national account, a province's office, a district's office (when the tree has districts)
and a commune's office, the periods list and a period's review table (first page, sorted, a
search): SQL queries, median and p95 server time over N requests through the Django test client
(DEBUG off), and the page's size.

Read-only on the data: the only rows it adds are the office accounts it needs (prefix
"bench.review."), removed when it ends.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Membership, OrgUnit
from organisations.services import office_staff_group_ensure
from portal import benchmark as bench
from results.models import ReportingPeriod

ACCOUNT_PREFIX = "bench.review."
GOAL_QUERIES = 10
GOAL_P95_MS = 100.0


@dataclass
class Measured:
    account: str
    page: str
    schools: int  # units the account sees in the period
    times: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    status: int = 200

    def row(self) -> list[str]:
        if not self.times:
            return [self.account, self.page, f"{self.schools:,}", "—", "—", "—", "—", str(self.status)]
        p50 = bench.median(self.times) * 1000
        p95 = bench.percentile(self.times, 95) * 1000
        queries = sorted(set(self.queries))
        q = str(queries[0]) if len(queries) == 1 else f"{queries[0]}–{queries[-1]}"
        size = bench.median(self.sizes) / 1024
        ok = "✓" if max(self.queries) <= GOAL_QUERIES and p95 <= GOAL_P95_MS else "✗"
        return [self.account, self.page, f"{self.schools:,}", q, f"{p50:.0f}", f"{p95:.0f}", f"{size:.0f}", ok]


HEADERS = ["account", "page", "schools", "queries", "p50 ms", "p95 ms", "KB", "goal"]


def _office(unit: OrgUnit):
    """A temporary office account of `unit` (removed by `cleanup`)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=f"{ACCOUNT_PREFIX}{unit.kind}.{unit.pk}")
    if created:
        user.set_unusable_password()
        user.is_staff = True
        user.save()
        user.groups.add(office_staff_group_ensure())
    Membership.objects.get_or_create(user=user, unit=unit, role=Membership.Role.OFFICE_STAFF)
    return user


def cleanup() -> int:
    users = get_user_model().objects.filter(username__startswith=ACCOUNT_PREFIX)
    Membership.objects.filter(user__in=users).delete()
    return users.delete()[0]


def _largest_child(unit: OrgUnit, kind: str) -> OrgUnit | None:
    """The child unit of `kind` under `unit` with the most schools (by path, one query each)."""
    best, best_n = None, -1
    for child in OrgUnit.objects.filter(kind=kind).under(unit.path).order_by("path")[:200]:
        n = OrgUnit.objects.schools().under(child.path).count()
        if n > best_n:
            best, best_n = child, n
    return best


def accounts(province: OrgUnit) -> list[tuple[str, object, OrgUnit | None]]:
    """(label, user, unit seen) for the national account and the offices of the province, its
    largest district (if the tree has districts) and its largest commune."""
    national = bench.accounts_ensure()["national"]
    out = [("national", national, None), ("province office", _office(province), province)]
    district = _largest_child(province, OrgUnit.Kind.DISTRICT)
    if district is not None:
        out.append(("district office", _office(district), district))
    commune = _largest_child(district or province, OrgUnit.Kind.COMMUNE)
    if commune is not None:
        out.append(("commune office", _office(commune), commune))
    return out


def _search_term(unit: OrgUnit | None, province: OrgUnit) -> str:
    school = OrgUnit.objects.schools().under((unit or province).path).order_by("path").first()
    return school.name.split()[-1] if school else "x"


def measure(client, url: str, requests: int, result: Measured) -> None:
    client.get(url)  # warm-up: caches, the first compile of each template
    for _i in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            result.times.append(time.perf_counter() - start)
        result.queries.append(len(captured.captured_queries))
        result.sizes.append(len(response.content))
        result.status = response.status_code
        if response.status_code != 200:
            result.times.clear()
            return


def run(*, requests: int, log) -> list[Measured]:
    period = (
        ReportingPeriod.objects.filter(plan__issuer__kind=OrgUnit.Kind.PROVINCE)
        .select_related("plan__issuer")
        .order_by("-year", "plan__issuer__code")
        .first()
    )
    if period is None:
        raise RuntimeError("Không có kỳ báo cáo của tỉnh nào: hãy dựng bộ số liệu (benchmark_dashboards).")
    province = period.plan.issuer
    results = []
    for label, user, unit in accounts(province):
        seen = OrgUnit.objects.schools().under((unit or province).path).count()
        client = bench.client_for(user)
        detail = reverse("review:period_detail", args=[period.pk])
        pages = [
            ("periods list", reverse("review:period_list")),
            ("review, page 1", detail),
            ("review, sorted", f"{detail}?sort=-submitted_at&page=2"),
            ("review, search", f"{detail}?q={_search_term(unit, province)}"),
        ]
        for page, url in pages:
            log(f"  {label}: {page} ({url})")
            result = Measured(label, page, seen)
            measure(client, url, requests, result)
            results.append(result)
    return results
