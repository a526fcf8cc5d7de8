"""`manage.py benchmark_saves --profile`: where one principal's save spends its time, in-process.

A few principals' first saves of the year go through the whole stack (Django's test client with
the session and CSRF cookies wrk would send, CSRF checks on) one after the other; for each it
notes the wall time, the SQL statements and their time, and one of them runs under cProfile. The
first request only warms the process (imports, URL resolver, translations) and is not counted.
The bare view is measured the same way, for the same principals."""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from .benchmark_saves import SaveRequest, bare_requests, build_requests


@dataclass
class Timing:
    name: str
    ms: list[float]
    sql_ms: list[float]
    statements: list[int]

    def line(self) -> str:
        n = len(self.ms)
        wall, sql = sum(self.ms) / n, sum(self.sql_ms) / n
        return (
            f"{self.name}: {wall:.1f} ms a save ({sql:.1f} ms SQL, {wall - sql:.1f} ms the rest), "
            f"{min(self.statements)}–{max(self.statements)} statements, {n} saves"
        )


def _post(client: Client, request: SaveRequest) -> tuple[float, float, int]:
    client.cookies.load(request.cookie.replace("; ", ";"))
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.post(
            request.path, request.body, content_type="application/x-www-form-urlencoded", HTTP_HOST="127.0.0.1"
        )
        wall = (time.perf_counter() - start) * 1000
    if response.status_code != 302:
        raise RuntimeError(f"{request.path}: {response.status_code} thay vì 302 (lưu không được).")
    return wall, sum(float(q["time"]) for q in queries.captured_queries) * 1000, len(queries)


def measure(name: str, requests: list[SaveRequest]) -> Timing:
    timing = Timing(name, [], [], [])
    for request in requests:
        wall, sql, statements = _post(Client(enforce_csrf_checks=True), request)
        timing.ms.append(wall)
        timing.sql_ms.append(sql)
        timing.statements.append(statements)
    return timing


@override_settings(ROOT_URLCONF="portal.urls_benchmark")  # the bare view's URL, as gunicorn serves it
def profile_saves(users: list, *, saves: int, log: Callable[[str], None], full: bool = False) -> None:
    """Print the per-save figures of the portal and the bare view, the statements of one save and
    the functions a profiled save spends most time in."""
    requests = build_requests(users[: saves + 2], run="profil", k=1)
    warm, profiled, measured = requests[0], requests[1], requests[2:]
    _post(Client(enforce_csrf_checks=True), warm)
    _post(Client(enforce_csrf_checks=True), bare_requests([warm])[0])
    portal = measure("portal, first save of the year", measured)
    bare = measure("bare view", bare_requests(measured))
    with CaptureQueriesContext(connection) as queries:
        profiler = cProfile.Profile()
        profiler.enable()
        _post(Client(enforce_csrf_checks=True), profiled)
        profiler.disable()
    log(f"\nIn-process, one save after another ({profiled.targets} targets on the profiled form)")
    log(f"  {portal.line()}")
    log(f"  {bare.line()}")
    log(f"\nStatements of one first save ({len(queries)})")
    for query in queries.captured_queries:
        log(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'] if full else query['sql'][:160]}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(80)
    log("\ncProfile of that save (cumulative)")
    log(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    log("cProfile of that save (own time)")
    log(out.getvalue())
