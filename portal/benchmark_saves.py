"""Principals saving at once (issue 11), behind `manage.py benchmark_saves`.

On the national set of portal/benchmark.py (built or reused) it adds what a day of draft saves
needs: an OPEN period of SAVE_YEAR on every province plan, `principals` principal accounts
(usernames "bench.ht.…", spread over the provinces' schools), a session for each written
straight into the session table (no login storm), and a file of requests, one per principal
(the session cookie, the CSRF token, the POST body of the principal's whole form with a stamp of
its own in every note). wrk (saves.lua) replays that file against gunicorn, first on a bare view
that writes one row through the same middleware (session, CSRF, login), then on the portal's
save; it writes the Location of every redirect (an acknowledged save) to a file, and `check_*`
then looks for each of them in the database: an acknowledged save that is not stored is lost.

Like the other benchmark modules it may import every app (README, import direction).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CSRF_SECRET_LENGTH, get_random_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisations.models import Membership, OrgUnit
from plans.models import Plan
from results.models import ReportingPeriod, ResultValue, Submission
from results.questions import question_for
from results.selectors import period_questions
from results.validation import BOOLEAN, COUNT, PERCENT, RATIO, SCORE, STAGE

from . import benchmark as bench

SAVE_YEAR = bench.LAST_YEAR + 1  # a year nobody has reported yet: every principal is filling it in
PERIOD_LABEL = f"Năm {SAVE_YEAR} (thử tải lưu nháp)"
PRINCIPAL_PREFIX = f"{bench.USER_PREFIX}ht."
BARE_TABLE = "bench_bare_save"
BARE_PATH = "/thu-tai/luu-mot-dong/"
LUA = Path(__file__).with_name("benchmark_saves.lua")
WRK_MISSING = (
    "Không tìm thấy wrk (công cụ tạo tải HTTP). Cài bằng: sudo apt-get install -y wrk "
    "(Debian/Ubuntu), rồi chạy lại lệnh."
)


# --- the data a day of saves needs -------------------------------------------------------------


def save_periods() -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(year=SAVE_YEAR, label=PERIOD_LABEL).select_related("plan__issuer"))


def prepare(*, principals: int, log: Callable[[str], None]) -> list:
    """Make (or keep) the open SAVE_YEAR periods, the bare view's table and `principals` principal
    accounts, each of one school; returns the principals, in username order. Principals are made
    with bulk_create: their roles give them no staff flag or group (organisations.signals)."""
    if not save_periods():
        ReportingPeriod.objects.bulk_create(
            ReportingPeriod(
                plan=plan,
                kind=ReportingPeriod.Kind.CALENDAR_YEAR,
                label=PERIOD_LABEL,
                year=SAVE_YEAR,
                starts_on=datetime.date(SAVE_YEAR, 1, 1),
                ends_on=datetime.date(SAVE_YEAR, 12, 31),
                opens_on=datetime.date(SAVE_YEAR, 11, 1),
                due_on=datetime.date(SAVE_YEAR, 12, 5),
                status=ReportingPeriod.Status.OPEN,
            )
            for plan in Plan.objects.order_by("pk")
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id {_serial()}, school_id integer NOT NULL, "
            "stamp varchar(100) NOT NULL, at timestamp NOT NULL)"
        )
    User = get_user_model()
    have = User.objects.filter(username__startswith=PRINCIPAL_PREFIX).count()
    if have < principals:
        schools = list(OrgUnit.objects.schools().order_by("code").values_list("pk", flat=True))
        if principals > len(schools):
            raise ValueError(f"Chỉ có {len(schools)} trường: không thể có {principals} hiệu trưởng.")
        unusable = make_password(None)  # nobody logs in as them: the sessions are written directly
        step = len(schools) / principals  # spread over every province, not the first ones only
        new = [
            User(username=f"{PRINCIPAL_PREFIX}{i:05d}", first_name=f"Hiệu trưởng thử tải {i}", password=unusable)
            for i in range(have, principals)
        ]
        User.objects.bulk_create(new, batch_size=5_000)
        users = User.objects.filter(username__in=[u.username for u in new]).order_by("username")
        Membership.objects.bulk_create(
            (
                Membership(user=user, unit_id=schools[int((have + i) * step)], role=Membership.Role.PRINCIPAL)
                for i, user in enumerate(users)
            ),
            batch_size=5_000,
        )
        log(f"  {principals - have:,} hiệu trưởng mới")
    return list(User.objects.filter(username__startswith=PRINCIPAL_PREFIX).order_by("username")[:principals])


def _serial() -> str:
    return "serial PRIMARY KEY" if connection.vendor == "postgresql" else "integer PRIMARY KEY AUTOINCREMENT"


def sessions_for(users: list) -> dict[int, tuple[str, str]]:
    """user id → (session key, CSRF secret): one session row each, written in bulk as a login
    would have left it (the CSRF secret travels in its cookie, as after a GET of the form)."""
    backend = settings.AUTHENTICATION_BACKENDS[-1] if settings.AUTHENTICATION_BACKENDS else None
    backend = backend or "django.contrib.auth.backends.ModelBackend"
    expire = timezone.now() + datetime.timedelta(days=1)
    store = SessionStore()
    out, rows = {}, []
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user.get_session_auth_hash()}
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        out[user.pk] = (key, get_random_string(CSRF_SECRET_LENGTH))
    Session.objects.bulk_create(rows, batch_size=5_000)
    _sessions_made.extend(row.session_key for row in rows)
    return out


_sessions_made: list[str] = []  # removed by cleanup()


@dataclass
class SaveRequest:
    """One principal's POST of their whole form: `stamp` is in every note of it."""

    school_id: int
    path: str
    cookie: str
    csrf: str
    body: str
    stamp: str
    targets: int

    def line(self) -> str:
        return "\t".join([str(self.school_id), self.path, self.cookie, self.csrf, self.body])


def _answer(question: str, indicator, k: int) -> dict[str, str]:
    """A valid answer of the question's shape that differs from run to run (`k`)."""
    if question == PERCENT:
        return {"number": str(40 + k % 50)}
    if question == RATIO:
        return {"numerator": str(50 + k % 50), "denominator": "100"}
    if question == STAGE:
        stages = indicator.stage_list or ["Mức 1", "Mức 2"]
        return {"stage": stages[k % len(stages)]}
    if question == BOOLEAN:
        return {"boolean": "true" if k % 2 else "false"}
    if question == SCORE:
        return {"number": str(5 + k % 4), "denominator": "30"}
    return {"number": str(10 + k % 90)}


def build_requests(
    users: list, *, run: str, k: int, keys: dict[int, tuple[str, str]] | None = None
) -> list[SaveRequest]:
    """One request per principal (in `users` order) for run `run`: every question of the school's
    form answered with value `k` of its shape, the "far from last year" tick given, the stamp
    "thử tải <run> #<n>" as every note, the version the submission is at now. `keys`: the
    sessions of an earlier call (sessions_for), else new ones."""
    periods = {p.plan.issuer_id: p for p in save_periods()}
    keys = keys or sessions_for(users)
    school_of = dict(
        Membership.objects.filter(user__in=users, role=Membership.Role.PRINCIPAL).values_list("user_id", "unit_id")
    )
    schools = OrgUnit.objects.in_bulk(school_of.values())
    province_of = {pk: _province(unit) for pk, unit in schools.items()}
    submissions = Submission.objects.filter(period__in=periods.values(), school_id__in=schools)
    versions = dict(submissions.values_list("school_id", "version"))
    levels = defaultdict(set)
    for pk, code in OrgUnit.objects.filter(pk__in=schools).values_list("pk", "levels__code"):
        levels[pk].add(code)
    questions_of: dict[tuple[int, frozenset], list] = {}  # the same form for the same plan and levels
    out = []
    for n, user in enumerate(users):
        school = schools[school_of[user.pk]]
        period = periods[province_of[school.pk]]
        shape = (period.pk, frozenset(levels[school.pk]))
        if shape not in questions_of:
            questions_of[shape] = [
                (t, question_for(t.indicator, school) or COUNT) for t in period_questions(period, school).targets
            ]
        stamp = f"thử tải {run} #{n}"
        session_key, csrf = keys[user.pk]
        fields = {"csrfmiddlewaretoken": csrf, "version": str(versions.get(school.pk, 1)), "action": "save"}
        for target, question in questions_of[shape]:
            for name, text in _answer(question, target.indicator, k).items():
                fields[f"t{target.pk}-{name}"] = text
            fields[f"t{target.pk}-note"] = stamp
            fields[f"t{target.pk}-confirm"] = "on"
        out.append(
            SaveRequest(
                school_id=school.pk,
                path=reverse("reports:edit", args=[period.pk, school.pk]),
                cookie=f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf}",
                csrf=csrf,
                body=urlencode(fields),
                stamp=stamp,
                targets=len(questions_of[shape]),
            )
        )
    return out


def _province(unit: OrgUnit) -> int:
    """The province's id from the unit's materialised path (organisations.models.path_ids)."""
    from organisations.models import path_ids

    return path_ids(unit.path)[0]


def write_requests(requests: Iterable[SaveRequest], path: Path) -> int:
    lines = [r.line() for r in requests]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def cleanup() -> None:
    """Leave the national set as benchmark_dashboards built it: the save periods with their
    reports, values and history, the bare view's table and the principals' sessions go (the
    principals stay, for the next run)."""
    periods = [p.pk for p in save_periods()]
    with transaction.atomic():
        ResultValue.objects.filter(submission__period__in=periods).delete()
        ResultValue.history.filter(year=SAVE_YEAR).delete()
        Submission.objects.filter(period__in=periods).delete()
        Submission.history.filter(period_id__in=periods).delete()
        ReportingPeriod.history.filter(id__in=periods).delete()
        ReportingPeriod.objects.filter(pk__in=periods).delete()
        Session.objects.filter(session_key__in=_sessions_made).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
    _sessions_made.clear()


# --- the bare view: one row through the same middleware ----------------------------------------


@login_required
@require_POST
def bare_save_view(request: HttpRequest) -> HttpResponse:
    """What a save costs at the least in this stack: session, CSRF, the user, one INSERT."""
    school_id = int(request.POST.get("school", "0") or 0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (school_id, stamp, at) VALUES (%s, %s, %s)",  # noqa: S608 - our table
            [school_id, request.POST.get("stamp", "")[:100], datetime.datetime.now()],  # noqa: DTZ005
        )
    return HttpResponseRedirect(f"{BARE_PATH}?school={school_id}")


def bare_requests(requests: list[SaveRequest]) -> list[SaveRequest]:
    """The same principals posting one row each to the bare view."""
    return [
        SaveRequest(
            school_id=r.school_id,
            path=BARE_PATH,
            cookie=r.cookie,
            csrf=r.csrf,
            body=urlencode({"csrfmiddlewaretoken": r.csrf, "school": r.school_id, "stamp": r.stamp}),
            stamp=r.stamp,
            targets=1,
        )
        for r in requests
    ]


# --- did every acknowledged save reach the database? -------------------------------------------

_SCHOOL_IN_EDIT = re.compile(r"/(\d+)/?$")
_SCHOOL_IN_BARE = re.compile(r"school=(\d+)")


def acknowledged(locations: Iterable[str], *, bare: bool) -> set[int]:
    """The schools whose save was answered with a redirect (their Location names the school)."""
    pattern = _SCHOOL_IN_BARE if bare else _SCHOOL_IN_EDIT
    return {int(m.group(1)) for line in locations if (m := pattern.search(line.strip()))}


def check_portal(requests: list[SaveRequest], acked: set[int]) -> list[int]:
    """The acknowledged schools whose values do not all carry their request's stamp (lost writes)."""
    by_school = {r.school_id: r for r in requests}
    stamps = [by_school[s].stamp for s in acked if s in by_school]
    stored = defaultdict(int)
    for school_id, note in ResultValue.objects.filter(year=SAVE_YEAR, unit_id__in=acked, note__in=stamps).values_list(
        "unit_id", "note"
    ):
        if note == by_school[school_id].stamp:
            stored[school_id] += 1
    return sorted(s for s in acked if s not in by_school or stored[s] != by_school[s].targets)


def check_bare(requests: list[SaveRequest], acked: set[int]) -> list[int]:
    by_school = {r.school_id: r.stamp for r in requests}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT school_id, stamp FROM {BARE_TABLE}")  # noqa: S608 - our table
        rows = set(cursor.fetchall())
    return sorted(s for s in acked if (s, by_school.get(s)) not in rows)


# --- gunicorn and wrk ----------------------------------------------------------------------------


def wrk_path() -> str | None:
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the portal with the benchmark settings (DEBUG off), on a free port."""

    def __init__(self, *, workers: int, log: Callable[[str], None]):
        self.port = free_port()
        self.workers = workers
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "portal.settings.benchmark_saves",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions were signed with it
            "DEBUG": "false",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "portal.wsgi:application", "--workers", str(self.workers)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--backlog", "2048", "--timeout", "120"]
        command += ["--log-level", "warning"]
        self.process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603 - our own command
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310 - local
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
            if self.process.poll() is not None:
                break
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn không khởi động được (không trả lời /healthz sau 60 s).")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Phase:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    socket_errors: int  # connect, read, write
    timeouts: int
    bad_status: int  # neither 2xx nor 3xx
    refused: int  # a 200 after the POST: the form came back (a conflict or a refusal), not saved
    acked: int
    lost: list[int]

    @property
    def per_second(self) -> float:
        return self.acked / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.socket_errors + self.timeouts + self.bad_status


def run_wrk(
    server: Server, request_file: Path, *, connections: int, threads: int, seconds: int, out_dir: Path
) -> tuple[dict, list[str]]:
    """wrk with saves.lua on the request file; its summary and the acknowledged Locations."""
    for old in out_dir.glob("acks-*.txt"):
        old.unlink()
    command = [wrk_path(), "-c", str(connections), "-t", str(threads), "-d", f"{seconds}s", "--timeout", "30s"]
    command += ["-s", str(LUA), server.url, "--", str(request_file), str(out_dir), str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    summary = None
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            summary = json.loads(line[len("RESULT ") :])
    if summary is None:
        raise RuntimeError(f"wrk không cho kết quả:\n{done.stdout}\n{done.stderr}")
    locations = []
    for path in sorted(out_dir.glob("acks-*.txt")):
        locations += path.read_text(encoding="utf-8").splitlines()
    return summary, locations


def phase_from(name: str, summary: dict, locations: list[str], lost: list[int], acked: int) -> Phase:
    return Phase(
        name=name,
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        socket_errors=summary["connect"] + summary["read"] + summary["write"],
        timeouts=summary["timeout"],
        bad_status=summary["status"],
        refused=summary["refused"],
        acked=acked,
        lost=lost,
    )


def measure(
    *, users: list, workers: int, connections: int, threads: int, seconds: int, rounds: int, log: Callable[[str], None]
) -> list[Phase]:
    """Bare view then portal, `rounds` times, each phase on fresh requests (new stamps, current
    versions) so that no save is refused as stale."""
    if wrk_path() is None:
        raise RuntimeError(WRK_MISSING)
    phases = []
    with tempfile.TemporaryDirectory(prefix="benchmark-saves-") as tmp, Server(workers=workers, log=log) as server:
        out = Path(tmp)
        keys = sessions_for(users)
        for round_no in range(1, rounds + 1):
            for bare in (True, False):
                run = f"{secrets.token_hex(3)}-{round_no}{'b' if bare else 'p'}"
                requests = build_requests(users, run=run, k=round_no, keys=keys)
                posted = bare_requests(requests) if bare else requests
                write_requests(posted, out / "requests.tsv")
                name = f"{'bare view' if bare else 'portal save'} #{round_no}"
                log(f"  {name}: wrk -c {connections} -t {threads} -d {seconds}s …")
                summary, locations = run_wrk(
                    server, out / "requests.tsv", connections=connections, threads=threads, seconds=seconds, out_dir=out
                )
                acked = acknowledged(locations, bare=bare)
                lost = check_bare(requests, acked) if bare else check_portal(requests, acked)
                phases.append(phase_from(name, summary, locations, lost, len(locations)))
    return phases


def report(phases: list[Phase]) -> list[str]:
    headers = ["phase", "saves/s", "acked", "p50", "p99", "errors", "refused", "lost"]
    rows = [headers]
    for p in phases:
        errors = f"{p.errors} ({p.socket_errors} socket, {p.timeouts} timeout, {p.bad_status} status)"
        rows.append(
            [
                p.name,
                f"{p.per_second:,.1f}",
                f"{p.acked:,}",
                f"{p.p50_ms:,.0f} ms",
                f"{p.p99_ms:,.0f} ms",
                errors,
                str(p.refused),
                str(len(p.lost)),
            ]
        )
    lines = bench.aligned(rows)
    bare = [p for p in phases if p.name.startswith("bare")]
    portal = [p for p in phases if p.name.startswith("portal")]
    for b, s in zip(bare, portal, strict=False):
        ratio = s.per_second / b.per_second if b.per_second else 0.0
        lines.append(f"ratio {s.name} / {b.name}: {ratio:.3f}")
    return lines
