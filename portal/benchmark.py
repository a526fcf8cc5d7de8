"""The synthetic national data set and the measurements behind `manage.py benchmark_dashboards`.

Used only by that command, so like portal's other commands it may import every app (README,
import direction). Everything it creates is marked, so that it can tell its own data from
anyone else's and refuse to touch a database that holds real plans:
unit codes start with "BENCH-", indicator codes with "bench-", usernames with "bench.".

The data set is invented and deterministic (one seed): provinces with communes directly under
them (two-tier government), schools of a realistic mix of levels under the communes, a catalogue
of indicators of every rule (indicators.rollup), one plan per province with one target per
indicator, a reporting period per year, and for every school and year an approved report of
`answers` facts. On PostgreSQL the reports and facts go in with COPY; on any other database
(the tests on SQLite) through bulk_create.
"""

from __future__ import annotations

import datetime
import io
import math
import os
import platform
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from indicators.models import Indicator
from indicators.rollup import Figures, rollup_value
from indicators.wording import format_decimal_vi
from organisations.models import SCHOOL_LEVELS, Membership, OrgUnit, SchoolLevel
from organisations.services import office_staff_group_ensure, school_levels_ensure
from plans.models import Plan, Target, TargetValue
from results.models import IndicatorRollup, ReportingPeriod, ResultValue, Submission
from results.rollups import rollup_rebuild
from results.services import submission_approve, submission_reopen, submission_save_values, submission_submit

UNIT_PREFIX = "BENCH-"
INDICATOR_PREFIX = "bench-"
USER_PREFIX = "bench."
LAST_YEAR = 2025  # the plans' 2025 milestone; reports run up to it
SEED = 2025

MN, TH, THCS, THPT, GDNN = "PRESCHOOL", "PRIMARY", "LOWER_SECONDARY", "UPPER_SECONDARY", "VOCATIONAL_CONTINUING"

# Level set → share of schools (%), name prefix, kind label, pupils (low, high).
SCHOOL_MIX = [
    ((MN,), 35, "Trường Mầm non", "trường mầm non", (80, 400)),
    ((TH,), 30, "Trường Tiểu học", "trường tiểu học", (200, 1200)),
    ((THCS,), 22, "Trường THCS", "trường THCS", (200, 1000)),
    ((THPT,), 6, "Trường THPT", "trường THPT", (500, 1800)),
    ((GDNN,), 2, "Trung tâm GDNN-GDTX", "trung tâm GDNN-GDTX", (100, 800)),
    ((TH, THCS), 5, "Trường TH&THCS", "trường TH&THCS", (300, 900)),
]

PUPILS, TEACHERS, CLASSES, COHORT = 1.0, 1 / 20, 1 / 30, 1 / 5  # what a rate's denominator counts


@dataclass(frozen=True)
class Spec:
    """One catalogue entry of the benchmark and how schools' values for it are drawn.

    `draw`: ("rate", low, high, change per year, denominator as a share of pupils) for a ratio;
    ("met", share meeting it the first year, share the last year) for a share of schools;
    ("count", low, high, change per year) for a sum; ("score", low, high, change per year,
    candidates as a share of pupils) for a weighted mean. `wordings`: the province plan's
    baseline, 2025 and 2030 cells as a document words them, or ("per_school", baseline, 2025,
    2030, noun) for counts that follow the province's number of schools ("05 trường").
    """

    name: str
    level: str | None
    unit: str
    aggregation: str
    draw: tuple
    wordings: tuple
    levels: tuple[str, ...] = ()
    direction: str = Indicator.Direction.HIGHER_IS_BETTER
    noun: str = ""
    numerator_label: str = ""
    denominator_label: str = ""


P, C, S = Indicator.Unit.PERCENT, Indicator.Unit.COUNT, Indicator.Unit.SCORE
RATIO, SHARE, SUM, MEAN = (
    Indicator.Aggregation.RATIO_OF_SUMS,
    Indicator.Aggregation.SHARE_OF_SCHOOLS,
    Indicator.Aggregation.SUM,
    Indicator.Aggregation.WEIGHTED_MEAN,
)
LOWER, RANGE = Indicator.Direction.LOWER_IS_BETTER, Indicator.Direction.WITHIN_RANGE
RATE, MET, COUNT, SCORE = range(4)  # how a school's yearly values are drawn (Builder.facts)


def _rate(name, level, low, high, per_year, basis, wordings, **kw) -> Spec:
    return Spec(name, level, P, RATIO, ("rate", low, high, per_year, basis), wordings, **kw)


def _met(name, level, first, last, wordings, unit=P, **kw) -> Spec:
    return Spec(name, level, unit, SHARE, ("met", first, last), wordings, **kw)


def _count(name, level, low, high, per_year, wordings, noun, **kw) -> Spec:
    return Spec(name, level, C, SUM, ("count", low, high, per_year), (*wordings, noun), noun=noun, **kw)


def _score(name, level, low, high, per_year, basis, wordings) -> Spec:
    return Spec(name, level, S, MEAN, ("score", low, high, per_year, basis), wordings)


EACH = "per_school"  # a count target that follows the province's number of schools answering
# Groups in the order indicators are taken (round robin), so that a small --indicators still has
# every rule and a cross-level indicator; within a group the first ones differ in rule.
SPEC_GROUPS: list[list[Spec]] = [
    [  # cross-level (Indicator.levels; none given: every level)
        _met("Tỷ lệ trường đạt chuẩn quốc gia", None, 0.5, 0.8, ("65%", "70%", "≥ 80%")),
        _rate(
            "Tỷ lệ học sinh được học 2 buổi/ngày",
            None,
            0.7,
            1.0,
            0.01,
            PUPILS,
            ("85%", "90%", "100%"),
            levels=(TH, THCS),
        ),
        _count("Số phòng học thông minh", None, 0, 3, 0.4, (EACH, 1, 3, 5), "phòng", levels=(TH, THCS, THPT)),
        _rate("Tỷ lệ giáo viên đạt chuẩn trình độ đào tạo", None, 0.85, 1.0, 0.01, TEACHERS, ("92,5%", "95%", "100%")),
        _met(
            "Tỷ lệ trường có thư viện đạt chuẩn", None, 0.4, 0.75, ("55%", "60%", "Trên 75%"), levels=(TH, THCS, THPT)
        ),
        _count("Số phòng học được kiên cố hóa", None, 5, 30, 0.8, (EACH, 12, 15, 20), "phòng"),
        _rate(
            "Tỷ lệ học sinh được giáo dục kỹ năng sống",
            None,
            *(0.6, 1.0, 0.02, PUPILS, ("80%", "85%", "≥ 95%")),
            levels=(THCS, THPT, GDNN),
        ),
    ],
    [  # Mầm non
        _rate("Tỷ lệ huy động trẻ mẫu giáo ra lớp", MN, 0.93, 0.995, 0.002, PUPILS, ("94%", "95%", "≥ 98%")),
        _rate("Tỷ lệ huy động trẻ nhà trẻ ra lớp", MN, 0.25, 0.5, 0.01, 0.3, ("30%", "Trên 35%", "≥ 40%")),
        _rate(
            "Tỷ lệ trẻ suy dinh dưỡng thể thấp còi",
            MN,
            *(0.02, 0.09, -0.003, PUPILS, ("6,5%", "Dưới 6%", "Dưới 5%")),
            direction=LOWER,
        ),
        _rate("Tỷ lệ trẻ thừa cân, béo phì", MN, 0.03, 0.08, 0.0, PUPILS, ("5,2%", "4-6%", "4-6%"), direction=RANGE),
        _rate(
            "Tỷ lệ trẻ 5 tuổi hoàn thành chương trình giáo dục mầm non",
            MN,
            *(0.97, 1.0, 0.001, COHORT, ("99%", "99,5%", "100%")),
        ),
        _rate(
            "Tỷ lệ giáo viên mầm non đạt trình độ trên chuẩn", MN, 0.6, 0.95, 0.02, TEACHERS, ("78%", "85%", "≥ 90%")
        ),
        _rate("Tỷ lệ trẻ được ăn bán trú", MN, 0.85, 1.0, 0.005, PUPILS, ("96%", "98%", "100%")),
        _count("Số phòng học mầm non kiên cố", MN, 4, 20, 0.3, (EACH, 9, 11, 13), "phòng"),
    ],
    [  # Tiểu học
        _rate(
            "Tỷ lệ học sinh tiểu học hoàn thành chương trình lớp học",
            TH,
            *(0.97, 1.0, 0.001, PUPILS, ("98,5%", "≥ 99%", "≥ 99,5%")),
        ),
        _rate("Tỷ lệ huy động trẻ 6 tuổi vào lớp 1", TH, 0.98, 1.0, 0.001, COHORT, ("99,8%", "100%", "100%")),
        _met("Tỷ lệ trường tiểu học đạt kiểm định chất lượng mức 3", TH, 0.3, 0.6, ("45%", "50%", "Trên 70%")),
        _rate("Tỷ lệ học sinh lớp 3 trở lên được học Tin học", TH, 0.6, 1.0, 0.03, 0.6, ("80%", "90%", "100%")),
        _rate(
            "Tỷ lệ học sinh tiểu học bỏ học",
            TH,
            *(0.0, 0.005, -0.0003, PUPILS, ("0,2%", "Dưới 0,1%", "0%")),
            direction=LOWER,
        ),
        _rate(
            "Tỷ lệ giáo viên tiểu học đạt chuẩn nghề nghiệp mức khá trở lên",
            TH,
            *(0.7, 0.95, 0.01, TEACHERS, ("75%", "80%", "≥ 90%")),
        ),
        _rate(
            "Tỷ lệ lớp học tiểu học có đủ thiết bị dạy học tối thiểu",
            TH,
            *(0.6, 1.0, 0.03, CLASSES, ("82%", "90%", "100%")),
        ),
    ],
    [  # Trung học cơ sở
        _score(
            "Điểm trung bình thi tuyển sinh lớp 10",
            THCS,
            4.5,
            7.5,
            0.05,
            COHORT,
            ("6,1 điểm", "≥ 6,5 điểm", "≥ 7 điểm"),
        ),
        _rate("Tỷ lệ học sinh tốt nghiệp THCS", THCS, 0.96, 1.0, 0.002, COHORT, ("97%", "≥ 98%", "≥ 99%")),
        _rate(
            "Tỷ lệ học sinh THCS bỏ học",
            THCS,
            *(0.002, 0.02, -0.001, PUPILS, ("1,2%", "Dưới 1%", "Dưới 0,5%")),
            direction=LOWER,
        ),
        _rate("Tỷ lệ học sinh hoàn thành tiểu học vào lớp 6", THCS, 0.97, 1.0, 0.001, COHORT, ("99%", "99,5%", "100%")),
        _rate(
            "Tỷ lệ học sinh THCS có kết quả học tập tốt và khá",
            THCS,
            *(0.5, 0.8, 0.01, PUPILS, ("60%", "65%", "≥ 70%")),
        ),
        _rate("Tỷ lệ học sinh THCS đi học đúng độ tuổi", THCS, 0.9, 0.99, 0.003, PUPILS, ("94%", "95%", "97%")),
        _rate("Tỷ lệ giáo viên THCS có trình độ thạc sĩ", THCS, 0.01, 0.1, 0.005, TEACHERS, ("3%", "4-6%", "Trên 8%")),
    ],
    [  # Trung học phổ thông
        _count("Số học sinh THPT đạt giải học sinh giỏi cấp tỉnh", THPT, 0, 15, 0.5, (EACH, 6, 8, 10), "học sinh"),
        _rate("Tỷ lệ học sinh tốt nghiệp THPT", THPT, 0.95, 1.0, 0.002, COHORT, ("97,5%", "≥ 98%", "≥ 99%")),
        _score(
            "Điểm trung bình thi tốt nghiệp THPT", THPT, 5.5, 7.5, 0.04, 1 / 3, ("6,2 điểm", "6,5 điểm", "≥ 7 điểm")
        ),
        _rate(
            "Tỷ lệ học sinh THPT bỏ học",
            THPT,
            *(0.003, 0.03, -0.001, PUPILS, ("1,8%", "Dưới 1,5%", "Dưới 1%")),
            direction=LOWER,
        ),
        _rate("Tỷ lệ học sinh THPT học nghề phổ thông", THPT, 0.3, 0.8, 0.02, PUPILS, ("55%", "60%", "≥ 70%")),
        _rate("Tỷ lệ giáo viên THPT có trình độ thạc sĩ", THPT, 0.1, 0.35, 0.01, TEACHERS, ("18%", "20%", "Trên 25%")),
    ],
    [  # GDNN-GDTX
        _met("Số trung tâm GDNN-GDTX đạt kiểm định chất lượng", GDNN, 0.2, 0.5, (EACH, 0.2, 0.4, 0.6, "trường"), C),
        _rate("Tỷ lệ học viên GDTX cấp THPT tốt nghiệp", GDNN, 0.8, 0.98, 0.005, COHORT, ("88%", "90%", "≥ 95%")),
        _count("Số học viên được đào tạo nghề ngắn hạn", GDNN, 100, 600, 10, (EACH, 300, 350, 450), "học viên"),
        _rate("Tỷ lệ học viên học nghề có việc làm", GDNN, 0.6, 0.9, 0.01, 0.5, ("65%", "70%", "Trên 80%")),
        _rate(
            "Tỷ lệ học viên xóa mù chữ hoàn thành chương trình",
            GDNN,
            *(0.85, 1.0, 0.005, 0.1, ("93%", "95%", "≥ 98%")),
        ),
    ],
]


SECTIONS = {
    None: "I. CHỈ TIÊU CHUNG",
    MN: "II. GIÁO DỤC MẦM NON",
    TH: "III. GIÁO DỤC TIỂU HỌC",
    THCS: "IV. GIÁO DỤC TRUNG HỌC CƠ SỞ",
    THPT: "V. GIÁO DỤC TRUNG HỌC PHỔ THÔNG",
    GDNN: "VI. GIÁO DỤC NGHỀ NGHIỆP - GIÁO DỤC THƯỜNG XUYÊN",
}


def indicator_specs(count: int) -> list[Spec]:
    """`count` specs, taken round robin from the groups; past the catalogue, numbered variants."""
    order: list[Spec] = []
    for row in range(max(len(g) for g in SPEC_GROUPS)):
        order += [group[row] for group in SPEC_GROUPS if row < len(group)]
    specs = []
    for n in range(count):
        spec = order[n % len(order)]
        round_ = n // len(order)
        if round_:
            spec = Spec(**{**vars(spec), "name": f"{spec.name} (bổ sung {round_})"})
        specs.append(spec)
    return specs


def spec_level_codes(spec: Spec) -> frozenset[str]:
    """The levels whose schools answer it (results.questions.indicator_level_codes, before the row exists)."""
    if spec.level:
        return frozenset({spec.level})
    return frozenset(spec.levels) if spec.levels else frozenset(code for code, *_rest in SCHOOL_LEVELS)


@dataclass(frozen=True)
class Sizes:
    schools: int = 45_000
    communes: int = 3_321
    provinces: int = 34
    indicators: int = 40
    answers: int = 8
    years: int = 10

    @property
    def year_list(self) -> list[int]:
        return list(range(LAST_YEAR - self.years + 1, LAST_YEAR + 1))

    def problems(self) -> list[str]:
        out = []
        if min(self.provinces, self.indicators, self.answers, self.years) < 1:
            out.append("--provinces, --indicators, --answers, --years phải từ 1 trở lên.")
        if self.communes < self.provinces:
            out.append("Cần ít nhất một xã cho mỗi tỉnh (--communes ≥ --provinces).")
        if self.schools < self.communes:
            out.append("Cần ít nhất một trường cho mỗi xã (--schools ≥ --communes).")
        if self.years > 50:
            out.append("--years tối đa 50.")
        return out


# --- is this database ours? ---------------------------------------------------------------------


class ForeignData(Exception):
    """The database holds data the benchmark did not create: it must not be touched."""


def foreign_data() -> list[str]:
    """What in the database is not benchmark data (empty: the database is empty or only ours)."""
    found = []
    units = OrgUnit.objects.exclude(code__startswith=UNIT_PREFIX).count()
    if units:
        found.append(f"{units} đơn vị không có mã “{UNIT_PREFIX}…”")
    indicators = Indicator.objects.exclude(code__startswith=INDICATOR_PREFIX).count()
    if indicators:
        found.append(f"{indicators} chỉ số không có mã “{INDICATOR_PREFIX}…”")
    users = get_user_model().objects.exclude(username__startswith=USER_PREFIX).count()
    if users:
        found.append(f"{users} tài khoản không bắt đầu bằng “{USER_PREFIX}”")
    return found


def data_state(sizes: Sizes) -> str:
    """ "empty", "complete" (a finished build of these sizes) or "other" (ours, but partial or of
    other sizes). Raises ForeignData when anything in it is not benchmark data."""
    found = foreign_data()
    if found:
        raise ForeignData("; ".join(found))
    if not OrgUnit.objects.exists() and not Indicator.objects.exists() and not get_user_model().objects.exists():
        return "empty"
    counts = dict(OrgUnit.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    complete = (
        counts.get(OrgUnit.Kind.PROVINCE, 0) == sizes.provinces
        and counts.get(OrgUnit.Kind.COMMUNE, 0) == sizes.communes
        and counts.get(OrgUnit.Kind.SCHOOL, 0) == sizes.schools
        and Indicator.objects.count() == sizes.indicators
        and set(ReportingPeriod.objects.values_list("year", flat=True).distinct()) == set(sizes.year_list)
        # The accounts are made last: their presence means the build finished.
        and get_user_model().objects.filter(username=ACCOUNTS["national"]).exists()
        and IndicatorRollup.objects.exists()
    )
    return "complete" if complete else "other"


def _tables_to_empty() -> list[str]:
    """Every table the benchmark writes to (or that points at one), school levels excepted."""
    labels = {"organisations", "indicators", "plans", "assignments", "results"}
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in labels]
    user = get_user_model()
    models += [user, *(f.remote_field.through for f in user._meta.many_to_many)]
    models += [apps.get_model("admin", "LogEntry"), apps.get_model("sessions", "Session")]
    return [m._meta.db_table for m in models if m is not SchoolLevel]


def wipe() -> None:
    """Empty the benchmark's tables. Call only after data_state() found no foreign data."""
    tables = _tables_to_empty()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            # Foreign keys are deferred (Django creates them so): any order holds at commit.
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names


# --- build ------------------------------------------------------------------------------------

ACCOUNTS = {
    "national": f"{USER_PREFIX}admin",
    "province_leader": f"{USER_PREFIX}lanhdao.tinh",
    "province_office": f"{USER_PREFIX}canbo.tinh",
    "commune_leader": f"{USER_PREFIX}lanhdao.xa",
    "principal": f"{USER_PREFIX}hieutruong",
}


@dataclass
class BuildReport:
    steps: list[tuple[str, float, int]] = field(default_factory=list)  # label, seconds, rows

    @property
    def total(self) -> float:
        return sum(seconds for _label, seconds, _rows in self.steps)


def _split(total: int, parts: int, rng: random.Random, sigma: float) -> list[int]:
    """`total` split into `parts` positive integers of uneven (log-normal) sizes."""
    weights = [rng.lognormvariate(0, sigma) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    shares = [w * scale for w in weights]
    counts = [1 + int(s) for s in shares]
    by_remainder = sorted(range(parts), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def load_rows(model, columns: Sequence[str], rows: Iterable[tuple], *, chunk: int = 100_000) -> int:
    """Insert rows (tuples of `columns`, field attnames) into `model`'s table; returns how many.
    PostgreSQL: COPY in chunks; elsewhere bulk_create. No save(), no signals, no history."""
    count = 0
    if connection.vendor == "postgresql":
        by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
        sql = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(by_attname[c]) for c in columns),
        )
        buffer, in_buffer = io.StringIO(), 0
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for row in rows:
                buffer.write("\t".join(map(_copy_text, row)))
                buffer.write("\n")
                in_buffer += 1
                if in_buffer == chunk:
                    count += _copy_flush(raw, sql, buffer)
                    buffer, in_buffer = io.StringIO(), 0
            if in_buffer:
                count += _copy_flush(raw, sql, buffer)
        return count
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) == 5000:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count + len(batch)


def _copy_flush(raw_cursor, sql: str, buffer: io.StringIO) -> int:
    buffer.seek(0)
    if hasattr(raw_cursor, "copy_expert"):  # psycopg2
        raw_cursor.copy_expert(sql, buffer)
    else:  # psycopg 3
        with raw_cursor.copy(sql) as copy:
            copy.write(buffer.getvalue())
    return raw_cursor.rowcount


def _unlogged_commit(cursor) -> None:
    """Inside the load's transaction: don't wait for the WAL flush at commit (a crash loses the
    last load, which is rebuilt anyway). PostgreSQL only."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL synchronous_commit = off")


class Builder:
    """Builds the data set step by step; `log(text)` gets one line per step with its time."""

    def __init__(self, sizes: Sizes, *, log: Callable[[str], None], seed: int = SEED):
        self.sizes = sizes
        self.log = log
        self.rng = random.Random(seed)  # noqa: S311 - invented data, not security
        self.report = BuildReport()
        self.specs = indicator_specs(sizes.indicators)
        self.tz = timezone.get_current_timezone()

    def step(self, label: str, function: Callable[[], int]) -> int:
        start = time.perf_counter()
        rows = function()
        seconds = time.perf_counter() - start
        self.report.steps.append((label, seconds, rows))
        self.log(f"  {label:<38} {rows:>12,} dòng  {seconds:8.1f} s")
        return rows

    def build(self) -> BuildReport:
        self.step("đơn vị (tỉnh, xã, trường, cấp học)", self.units)
        self.step("chỉ số", self.indicators)
        self.step("kế hoạch, chỉ tiêu, giá trị chỉ tiêu", self.plans)
        self.step("kỳ báo cáo", self.periods)
        self.step("báo cáo của trường (đã duyệt)", self.submissions)
        self.step("kết quả (facts)", self.facts)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.step("VACUUM ANALYZE" if vacuum else "ANALYZE", self.analyze)
        self.step("rollup_rebuild()", rollup_rebuild)
        # The roll-up table was just written: without statistics the planner joins it badly.
        self.step("ANALYZE (bảng tổng hợp)", self.analyze_rollups)
        self.step("tài khoản", self.accounts)
        return self.report

    # units ---------------------------------------------------------------------------------

    def units(self) -> int:
        sizes, rng = self.sizes, self.rng
        levels = school_levels_ensure()
        with transaction.atomic(), connection.cursor() as cursor:
            _unlogged_commit(cursor)
            provinces = OrgUnit.objects.bulk_create(
                OrgUnit(
                    name=f"Tỉnh Thử Tải {p + 1:02d}",
                    kind=OrgUnit.Kind.PROVINCE,
                    kind_label="tỉnh",
                    code=f"{UNIT_PREFIX}P{p + 1:02d}",
                    is_demo=True,
                )
                for p in range(sizes.provinces)
            )
            communes_per_province = _split(sizes.communes, sizes.provinces, rng, 0.35)
            communes = []
            for province, n in zip(provinces, communes_per_province, strict=True):
                for _ in range(n):
                    number = len(communes) + 1
                    communes.append(
                        OrgUnit(
                            name=f"{'Phường' if number % 7 == 0 else 'Xã'} Thử Tải {number:04d}",
                            kind=OrgUnit.Kind.COMMUNE,
                            kind_label="phường" if number % 7 == 0 else "xã",
                            code=f"{UNIT_PREFIX}C{number:04d}",
                            parent=province,
                            is_demo=True,
                        )
                    )
            communes = OrgUnit.objects.bulk_create(communes, batch_size=2000)
            mix = []
            for codes, percent, *_rest in SCHOOL_MIX:
                mix += [codes] * round(sizes.schools * percent / 100)
            mix = (mix + [SCHOOL_MIX[0][0]] * sizes.schools)[: sizes.schools]
            rng.shuffle(mix)
            schools_per_commune = _split(sizes.schools, sizes.communes, rng, 0.6)
            prefix = {codes: (name, label) for codes, _pct, name, label, _pupils in SCHOOL_MIX}
            schools, school_levels = [], []
            for commune, n in zip(communes, schools_per_commune, strict=True):
                for _ in range(n):
                    number = len(schools) + 1
                    codes = mix[number - 1]
                    name, label = prefix[codes]
                    private = codes == (MN,) and number % 6 == 0
                    schools.append(
                        OrgUnit(
                            name=f"{name} Thử Tải {number:05d}",
                            kind=OrgUnit.Kind.SCHOOL,
                            kind_label=label,
                            code=f"{UNIT_PREFIX}S{number:05d}",
                            parent=commune,
                            ownership=OrgUnit.Ownership.PRIVATE if private else OrgUnit.Ownership.PUBLIC,
                            is_demo=True,
                        )
                    )
                    school_levels.append(codes)
            schools = OrgUnit.objects.bulk_create(schools, batch_size=5000)
            through = OrgUnit.levels.through
            through.objects.bulk_create(
                (
                    through(orgunit_id=school.pk, schoollevel_id=levels[code].pk)
                    for school, codes in zip(schools, school_levels, strict=True)
                    for code in codes
                ),
                batch_size=5000,
            )
            # Materialised paths (OrgUnit.save would do it one row at a time), parents first.
            table = connection.ops.quote_name(OrgUnit._meta.db_table)
            cursor.execute(f"UPDATE {table} SET path = '/' || id || '/' WHERE parent_id IS NULL")  # noqa: S608
            for kind in (OrgUnit.Kind.COMMUNE, OrgUnit.Kind.SCHOOL):
                cursor.execute(
                    f"UPDATE {table} SET path = (SELECT p.path FROM {table} p WHERE p.id = {table}.parent_id)"  # noqa: S608
                    " || id || '/' WHERE kind = %s",
                    [kind],
                )
        return len(provinces) + len(communes) + len(schools)

    # catalogue and plans -----------------------------------------------------------------------

    def indicators(self) -> int:
        levels = school_levels_ensure()
        specs = self.specs
        with transaction.atomic():
            for n, spec in enumerate(specs, start=1):
                indicator = Indicator(
                    code=f"{INDICATOR_PREFIX}{n:03d}",
                    name=spec.name,
                    level=levels[spec.level] if spec.level else None,
                    unit=spec.unit,
                    aggregation=spec.aggregation,
                    direction=spec.direction,
                    noun=spec.noun,
                    numerator_label=spec.numerator_label,
                    denominator_label=spec.denominator_label,
                    description="Chỉ số giả lập cho thử tải.",
                )
                indicator.full_clean()
                indicator.save()
                if spec.levels:
                    indicator.levels.set([levels[code] for code in spec.levels])
        return len(specs)

    def plans(self) -> int:
        years = self.sizes.year_list
        indicators = list(Indicator.objects.order_by("code").select_related("level"))
        specs = dict(zip((i.pk for i in indicators), self.specs, strict=True))
        provinces = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE).order_by("code"))
        schools_by_levels = self._schools_by_province_and_levels()
        with transaction.atomic(), connection.cursor() as cursor:
            _unlogged_commit(cursor)
            plans = Plan.objects.bulk_create(
                Plan(
                    number=f"{n:02d}/KH-UBND",
                    title=(
                        "Kế hoạch phát triển giáo dục và đào tạo giai đoạn 2021-2025, định hướng đến năm 2030"
                        " (số liệu giả lập để thử tải)"
                    ),
                    issuer=province,
                    issued_on=datetime.date(2021, 3, 15),
                    status=Plan.Status.ISSUED,
                    period_start_year=min(2021, years[0]),
                    period_end_year=2025,
                    orientation_year=2030,
                    period_wording="giai đoạn 2021-2025, định hướng đến năm 2030",
                    is_demo=True,
                )
                for n, province in enumerate(provinces, start=1)
            )
            targets = []
            for plan in plans:
                for order, indicator in enumerate(indicators, start=1):
                    targets.append(
                        Target(
                            plan=plan,
                            indicator=indicator,
                            section=SECTIONS[specs[indicator.pk].level],
                            row_number=str(order),
                            order=order,
                            wording=f"{indicator.name}: đạt chỉ tiêu của giai đoạn",
                        )
                    )
            targets = Target.objects.bulk_create(targets, batch_size=2000)
            values = []
            for target in targets:
                spec = specs[target.indicator_id]
                answering = sum(
                    n for codes, n in schools_by_levels[target.plan.issuer_id].items() if codes & spec_level_codes(spec)
                )
                wordings = _target_wordings(spec, answering)
                for role, year, wording in (
                    (TargetValue.Role.BASELINE, 2020, wordings[0]),
                    (TargetValue.Role.MILESTONE, 2025, wordings[1]),
                    (TargetValue.Role.MILESTONE, 2030, wordings[2]),
                ):
                    value = TargetValue(target=target, role=role, year=year, wording=wording)
                    value.apply_wording()
                    values.append(value)
            TargetValue.objects.bulk_create(values, batch_size=2000)
        return len(plans) + len(targets) + len(values)

    def _schools_by_province_and_levels(self) -> dict[int, dict[frozenset[str], int]]:
        """Province id → level set → number of schools (for count targets that follow them)."""
        counts: dict[int, dict[frozenset[str], int]] = defaultdict(lambda: defaultdict(int))
        for _pk, province_id, codes in self._schools():
            counts[province_id][codes] += 1
        return counts

    def periods(self) -> int:
        periods = [
            ReportingPeriod(
                plan=plan,
                kind=ReportingPeriod.Kind.CALENDAR_YEAR,
                label=f"Năm {year} (thử tải)",
                year=year,
                starts_on=datetime.date(year, 1, 1),
                ends_on=datetime.date(year, 12, 31),
                opens_on=datetime.date(year, 11, 1),
                due_on=datetime.date(year, 12, 5),
                due_wording="trước ngày 05/12",
                # The last year stays open: the freshness measurement reopens a report in it.
                status=ReportingPeriod.Status.OPEN if year == LAST_YEAR else ReportingPeriod.Status.CLOSED,
            )
            for plan in Plan.objects.order_by("pk")
            for year in self.sizes.year_list
        ]
        ReportingPeriod.objects.bulk_create(periods)
        return len(periods)

    # reports and facts ---------------------------------------------------------------------

    def _period_ids(self) -> dict[tuple[int, int], int]:
        """(province id, year) → period id."""
        return {
            (issuer, year): pk
            for pk, issuer, year in ReportingPeriod.objects.values_list("pk", "plan__issuer_id", "year")
        }

    def _schools(self) -> list[tuple[int, int, frozenset[str]]]:
        """(school id, province id, level codes) of every school, in code order."""
        levels_of: dict[int, set[str]] = defaultdict(set)
        province_of: dict[int, int] = {}
        rows = OrgUnit.objects.schools().order_by("code").values_list("pk", "parent__parent_id", "levels__code")
        for pk, province_id, code in rows:
            province_of[pk] = province_id
            if code:
                levels_of[pk].add(code)
        return [(pk, province_of[pk], frozenset(levels_of[pk])) for pk in province_of]

    def submissions(self) -> int:
        """An approved report per school and year, sent on 1 December and approved two days later
        (version 3: saved, sent, approved). Nobody is named as sender or reviewer."""
        periods = self._period_ids()
        schools = self._schools()
        columns = ["period_id", "school_id", "status", "version", "submitted_at", "reviewed_at"]
        columns += ["review_comment", "updated_at"]
        approved = Submission.Status.APPROVED

        def rows() -> Iterator[tuple]:
            for year in self.sizes.year_list:
                sent = datetime.datetime(year, 12, 1, 9, 0, tzinfo=self.tz)
                reviewed = sent + datetime.timedelta(days=2)
                for school_id, province_id, _codes in schools:
                    yield (periods[(province_id, year)], school_id, approved, 3, sent, reviewed, "", reviewed)

        with transaction.atomic(), connection.cursor() as cursor:
            _unlogged_commit(cursor)
            return load_rows(Submission, columns, rows())

    def facts(self) -> int:
        """`answers` facts per school and year: the same indicators every year, values drifting."""
        rng, sizes = self.rng, self.sizes
        indicators = list(Indicator.objects.order_by("code").values_list("pk", flat=True))
        applies = [(pk, spec, spec_level_codes(spec)) for pk, spec in zip(indicators, self.specs, strict=True)]
        targets = {
            (issuer, indicator): pk
            for pk, issuer, indicator in Target.objects.values_list("pk", "plan__issuer_id", "indicator_id")
        }
        submissions = {
            (school, year): pk
            for pk, school, year in Submission.objects.values_list("pk", "school_id", "period__year").iterator(20_000)
        }
        pupils_range = {codes: pupils for codes, _pct, _name, _label, pupils in SCHOOL_MIX}
        n_years = len(sizes.year_list)
        # Per school, per indicator it answers: (indicator, target, kind, a, b, c), the constants
        # its yearly values are drawn from (see the kinds in `rows` below).
        plan_rows = []
        for school_id, province_id, codes in self._schools():
            low, high = pupils_range.get(tuple(sorted(codes, key=_level_order)), (100, 800))
            pupils = rng.randint(low, high)
            asked = [(pk, spec) for pk, spec, wanted in applies if wanted & codes]
            params = []
            for pk, spec in sorted(rng.sample(asked, min(sizes.answers, len(asked))), key=lambda a: a[0]):
                target, (kind, *draw) = targets[(province_id, pk)], spec.draw
                if kind == "rate":
                    low, high, per_year, basis = draw
                    base, denominator = low + (high - low) * rng.random(), max(1, round(pupils * basis))
                    params.append((pk, target, RATE, base, per_year, denominator))
                elif kind == "met":
                    first, last = draw
                    u = rng.random()
                    met_from = 0 if u < first else n_years
                    if first <= u < last:
                        met_from = math.floor((u - first) / (last - first) * n_years)
                    params.append((pk, target, MET, met_from, 0, 0))
                elif kind == "count":
                    low, high, per_year = draw
                    params.append((pk, target, COUNT, rng.randint(low, high), per_year, 0))
                else:
                    low, high, per_year, basis = draw
                    base, candidates = low + (high - low) * rng.random(), max(1, round(pupils * basis))
                    params.append((pk, target, SCORE, base, per_year, candidates))
            plan_rows.append((school_id, params))

        columns = ["submission_id", "target_id", "unit_id", "indicator_id", "year"]
        columns += ["number", "numerator", "denominator", "boolean", "stage", "note", "evidence", "confirmed_unusual"]
        blank = ("", "", "", False)  # stage, note, evidence, confirmed_unusual
        random_ = rng.random

        def rows(t: int, year: int) -> Iterator[tuple]:
            for school_id, params in plan_rows:
                submission_id = submissions[(school_id, year)]
                for pk, target_id, kind, a, b, c in params:
                    key = (submission_id, target_id, school_id, pk, year)
                    if kind == RATE:  # numerator of a denominator growing 2 % a year
                        denominator = c + (c * t) // 50
                        rate = min(1.0, max(0.0, a + b * t + (random_() - 0.5) * 0.02))
                        yield (*key, None, round(rate * denominator), denominator, None, *blank)
                    elif kind == MET:  # meets it from year `a` on
                        yield (*key, None, None, None, t >= a, *blank)
                    elif kind == COUNT:
                        yield (*key, int(a + b * t), None, None, None, *blank)
                    else:  # a mean score and the candidates it is the mean of
                        score = min(10.0, max(0.0, a + b * t + (random_() - 0.5) * 0.3))
                        yield (*key, f"{score:.2f}", None, c, None, *blank)

        total = 0
        for t, year in enumerate(sizes.year_list):
            # One transaction per year: the deferred foreign-key checks of one year at a time.
            start = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                _unlogged_commit(cursor)
                total += load_rows(ResultValue, columns, rows(t, year))
            if n_years > 1:
                self.log(f"    {year}: {total:>12,} kết quả  {time.perf_counter() - start:6.1f} s")
        return total

    def analyze_rollups(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(IndicatorRollup._meta.db_table)}")
        return 0

    def analyze(self) -> int:
        tables = [m._meta.db_table for m in (OrgUnit, Submission, ResultValue, Target, ReportingPeriod)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                for table in tables:
                    cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
            else:
                cursor.execute("ANALYZE")
        return len(tables)

    # accounts ------------------------------------------------------------------------------

    def accounts(self) -> int:
        return len(accounts_ensure())


def _level_order(code: str) -> int:
    return [MN, TH, THCS, THPT, GDNN].index(code)


def _target_wordings(spec: Spec, answering_schools: int) -> tuple[str, str, str]:
    if spec.wordings[0] != "per_school":
        return spec.wordings
    _tag, *per_school, noun = spec.wordings
    out = []
    for factor in per_school:
        n = max(1, round(answering_schools * factor))
        out.append(f"{n:02d} {noun}" if n < 10 else f"{format_decimal_vi(Decimal(n))} {noun}")
    return tuple(out)


# --- accounts and the units they look at ------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    """The measured units and who looks at them."""

    school: OrgUnit
    commune: OrgUnit
    province: OrgUnit
    users: dict


def _pick_school() -> OrgUnit:
    """A school with a ratio or share fact in the last year, in a commune of median size of the
    first province: the freshness measurement changes one of its values."""
    province = OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE).order_by("code").first()
    communes = list(
        OrgUnit.objects.filter(parent=province, kind=OrgUnit.Kind.COMMUNE)
        .annotate(n=Count("children"))
        .order_by("n", "code")
    )
    ordered = communes[len(communes) // 2 :] + communes[: len(communes) // 2][::-1]
    for commune in ordered:
        school = (
            OrgUnit.objects.filter(
                parent=commune,
                facts__year=LAST_YEAR,
                facts__indicator__aggregation__in=[
                    Indicator.Aggregation.RATIO_OF_SUMS,
                    Indicator.Aggregation.SHARE_OF_SCHOOLS,
                ],
            )
            .order_by("code")
            .first()
        )
        if school:
            return school
    return OrgUnit.objects.schools().order_by("code").first()


def accounts_ensure() -> dict:
    """The benchmark's accounts (role → user), made if missing: a superuser for the national view,
    a leader and an office account at the province, a commune leader, the school's principal."""
    User = get_user_model()
    # The school chosen when the accounts were made stays the measured one in later runs.
    chosen = Membership.objects.filter(user__username=ACCOUNTS["principal"], role=Membership.Role.PRINCIPAL).first()
    school = chosen.unit if chosen else _pick_school()
    commune, province = school.parent, school.parent.parent
    wanted = {
        "national": (None, None),
        "province_leader": (province, Membership.Role.LEADER),
        "province_office": (province, Membership.Role.OFFICE_STAFF),
        "commune_leader": (commune, Membership.Role.LEADER),
        "principal": (school, Membership.Role.PRINCIPAL),
    }
    users = {}
    for key, (unit, role) in wanted.items():
        user, created = User.objects.get_or_create(username=ACCOUNTS[key], defaults={"first_name": f"Thử tải {key}"})
        if created:
            user.set_unusable_password()
            user.is_superuser = key == "national"
            user.is_staff = key == "national" or role == Membership.Role.OFFICE_STAFF
            user.save()
            if role == Membership.Role.OFFICE_STAFF:
                user.groups.add(office_staff_group_ensure())
        if unit is not None:
            Membership.objects.get_or_create(user=user, unit=unit, role=role)
        users[key] = user
    return users


def cast() -> Cast:
    users = accounts_ensure()
    school = Membership.objects.filter(user=users["principal"], role=Membership.Role.PRINCIPAL).first().unit
    return Cast(school=school, commune=school.parent, province=school.parent.parent, users=users)


def viewer_for(unit: OrgUnit):
    """A read-only account for one unit (principal of a school, leader of a commune or province)."""
    User = get_user_model()
    role = Membership.Role.PRINCIPAL if unit.kind == OrgUnit.Kind.SCHOOL else Membership.Role.LEADER
    user, created = User.objects.get_or_create(username=f"{USER_PREFIX}{role}.{unit.pk}")
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


# --- measuring pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    seconds: float
    queries: int
    writes: int
    size: int
    status: int
    bare: float  # the page's SELECTs run again through a raw cursor
    slowest: float = 0.0  # the slowest of them
    slowest_sql: str = ""


class _Statements:
    """execute_wrapper that keeps each statement with its parameters."""

    def __init__(self):
        self.executed: list[tuple[str, object, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.executed.append((sql, params, many))
        return execute(sql, params, many, context)


def _is_read(sql: str) -> bool:
    head = sql.lstrip(" \n\t(").split(None, 1)[0].upper() if sql.strip(" \n\t(") else ""
    return head in ("SELECT", "WITH") and " FOR UPDATE" not in sql.upper()


def bare_reads(statements: list[tuple[str, object, bool]]) -> tuple[float, float, str]:
    """Time to run the page's reads again, with the same parameters, fetching every row:
    (total seconds, seconds of the slowest statement, that statement)."""
    total, slowest, slowest_sql = 0.0, 0.0, ""
    with connection.cursor() as cursor:
        for sql, params, many in statements:
            if many or not _is_read(sql):
                continue
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            seconds = time.perf_counter() - start
            total += seconds
            if seconds > slowest:
                slowest, slowest_sql = seconds, sql
    return total, slowest, slowest_sql


def get_page(client: Client, url: str) -> tuple[Sample, bytes]:
    statements = _Statements()
    with connection.execute_wrapper(statements), CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - start
    body = b"".join(response.streaming_content) if response.streaming else response.content
    writes = sum(1 for sql, _p, _m in statements.executed if not _is_read(sql))
    bare, slowest, slowest_sql = bare_reads(statements.executed)
    sample = Sample(
        seconds=seconds,
        queries=len(captured.captured_queries),
        writes=writes,
        size=len(body),
        status=response.status_code,
        bare=bare,
        slowest=slowest,
        slowest_sql=slowest_sql,
    )
    return sample, body


def host() -> str:
    for name in settings.ALLOWED_HOSTS:
        name = name.lstrip(".")
        if name and "*" not in name:
            return name
    return "localhost"


def client_for(user) -> Client:
    client = Client(HTTP_HOST=host())
    client.force_login(user)
    return client


def page_url(name: str, unit: OrgUnit | None, year: int) -> str | None:
    """The page's address, None while no such page exists (the dashboards are being written)."""
    try:
        path = reverse(name, args=[unit.pk]) if unit is not None else reverse(name)
    except NoReverseMatch:
        return None
    return f"{path}?nam={year}"


@dataclass
class PageResult:
    label: str
    goal_ms: float
    url: str | None = None  # None: "chưa có trang"
    cold: list[Sample] = field(default_factory=list)
    warm: list[Sample] = field(default_factory=list)
    error: str = ""


def error_text(error: Exception) -> str:
    """The exception's name and the start of its first line (a template error repeats the context)."""
    first = (str(error).splitlines() or [""])[0]
    return f"{type(error).__name__}: {first[:160]}"


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@dataclass(frozen=True)
class PageKind:
    label: str
    url_name: str
    unit_kind: str | None
    goal_ms: float


PAGE_KINDS = [
    PageKind("school", "dashboards:unit", OrgUnit.Kind.SCHOOL, 30),
    PageKind("commune", "dashboards:unit", OrgUnit.Kind.COMMUNE, 30),
    PageKind("province", "dashboards:unit", OrgUnit.Kind.PROVINCE, 50),
    PageKind("national", "dashboards:national", None, 50),
]


def measure_page(kind: PageKind, the_cast: Cast, *, requests: int, year: int, years: list[int], rng) -> PageResult:
    """`requests` cold requests (each for another unit of the kind, with its own account; for the
    national page, each for another year) and `requests` warm ones (the cast's unit, after one
    unwarmed request is thrown away)."""
    warm_unit = {
        OrgUnit.Kind.SCHOOL: the_cast.school,
        OrgUnit.Kind.COMMUNE: the_cast.commune,
        OrgUnit.Kind.PROVINCE: the_cast.province,
        None: None,
    }[kind.unit_kind]
    result = PageResult(kind.label, kind.goal_ms, url=page_url(kind.url_name, warm_unit, year))
    if result.url is None:
        return result
    try:
        if kind.unit_kind is None:
            national = client_for(the_cast.users["national"])
            cold = [(national, page_url(kind.url_name, None, years[i % len(years)])) for i in range(requests)]
            warm_client = national
        else:
            ids = list(
                OrgUnit.objects.filter(kind=kind.unit_kind).exclude(pk=warm_unit.pk).values_list("pk", flat=True)
            )
            picked = rng.sample(ids, min(requests, len(ids))) if ids else [warm_unit.pk]
            picked = (picked * math.ceil(requests / len(picked)))[:requests]
            units = OrgUnit.objects.in_bulk(picked)
            cold = [(client_for(viewer_for(units[pk])), page_url(kind.url_name, units[pk], year)) for pk in picked]
            warm_user = {
                OrgUnit.Kind.SCHOOL: the_cast.users["principal"],
                OrgUnit.Kind.COMMUNE: the_cast.users["commune_leader"],
                OrgUnit.Kind.PROVINCE: the_cast.users["province_leader"],
            }[kind.unit_kind]
            warm_client = client_for(warm_user)
        for client, url in cold:
            result.cold.append(get_page(client, url)[0])
        get_page(warm_client, result.url)
        for _ in range(requests):
            result.warm.append(get_page(warm_client, result.url)[0])
    except Exception as error:  # a page being written may fail: report it, measure the others
        result.error = error_text(error)
    return result


@dataclass(frozen=True)
class ConstantCheck:
    few: tuple[str, int, int] | None  # commune name, schools, queries
    many: tuple[str, int, int] | None


def queries_few_and_many(*, year: int) -> ConstantCheck:
    """The commune page's queries for the commune with the fewest schools and the one with the most."""
    communes = OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE).annotate(n=Count("children")).order_by("n", "code")
    few, many = communes.first(), communes.order_by("-n", "code").first()
    out = []
    for commune in (few, many):
        url = page_url("dashboards:unit", commune, year) if commune is not None else None
        if url is None:
            out.append(None)
            continue
        client = client_for(viewer_for(commune))
        try:
            get_page(client, url)
            sample, _body = get_page(client, url)
        except Exception:  # a page being written may fail: measure_page() reports the error
            out.append(None)
            continue
        out.append((commune.name, commune.n, sample.queries))
    return ConstantCheck(*out)


# --- freshness --------------------------------------------------------------------------------


@dataclass
class Freshness:
    school: str = ""
    indicator: str = ""
    change: str = ""
    approve_seconds: float = 0.0
    visible_after: dict = field(default_factory=dict)  # label → seconds after approve returned, None if never
    page_shows: dict = field(default_factory=dict)  # label → True/False/None (no page)
    page_failed: dict = field(default_factory=dict)  # label → the page's error
    error: str = ""

    @property
    def total(self) -> float | None:
        if not self.visible_after or None in self.visible_after.values():
            return None
        return self.approve_seconds + max(self.visible_after.values())


FIGURE_OF = {
    Indicator.Aggregation.RATIO_OF_SUMS: "numerator_sum",
    Indicator.Aggregation.SHARE_OF_SCHOOLS: "met_count",
}


def measure_freshness(the_cast: Cast, *, year: int, timeout: float = 10.0) -> Freshness:
    """Reopen the school's approved report of `year`, change one value, resubmit and approve it
    through results.services, then request the commune's and the province's page until the
    roll-up row (and the page, when it exists) shows the new figure."""
    out = Freshness(school=the_cast.school.name)
    school, users = the_cast.school, the_cast.users
    submission = Submission.objects.select_related("period", "school").get(school=school, period__year=year)
    office, principal = users["province_office"], users["principal"]
    _approve_if_left_open(submission, office=office, principal=principal)
    value = (
        submission.values.filter(indicator__aggregation__in=list(FIGURE_OF))
        .select_related("indicator", "target")
        .order_by("indicator__code")
        .first()
    )
    if value is None:
        out.error = "trường không có kết quả dạng tỷ lệ hoặc đạt/không đạt trong năm này"
        return out
    indicator = value.indicator
    out.indicator = indicator.name
    if indicator.aggregation == Indicator.Aggregation.RATIO_OF_SUMS:
        new = {"numerator": 0 if value.numerator else value.denominator}
        delta = new["numerator"] - value.numerator
        out.change = f"tử số {value.numerator} → {new['numerator']} (mẫu số {value.denominator})"
    else:
        new = {"boolean": not value.boolean}
        delta = 1 if new["boolean"] else -1
        out.change = f"{'Đạt' if value.boolean else 'Không đạt'} → {'Đạt' if new['boolean'] else 'Không đạt'}"
    figure = FIGURE_OF[indicator.aggregation]
    watched = {
        "commune": (the_cast.commune, users["commune_leader"]),
        "province": (the_cast.province, users["province_leader"]),
    }
    before = {}
    for label, (unit, _user) in watched.items():
        row = IndicatorRollup.objects.get(unit=unit, indicator=indicator, year=year, level_code="")
        before[label] = row
    clients = {label: client_for(user) for label, (_unit, user) in watched.items()}
    urls = {label: page_url("dashboards:unit", unit, year) for label, (unit, _user) in watched.items()}

    submission_reopen(
        submission=submission, by=office, comment="Thử tải: sửa một số liệu", expected_version=submission.version
    )
    submission_save_values(
        submission=submission, values={value.target_id: new}, by=principal, expected_version=submission.version
    )
    targets = [v.target for v in submission.values.select_related("target")]
    submission_submit(submission=submission, targets=targets, by=principal, expected_version=submission.version)
    start = time.perf_counter()
    submission_approve(submission=submission, by=office, expected_version=submission.version)
    returned = time.perf_counter()
    out.approve_seconds = returned - start

    expected = {label: getattr(row, figure) + delta for label, row in before.items()}
    # The pages are checked in turn; each one's time leaves out the time spent on the others,
    # as if it alone had been requested right after the approval.
    waiting, spent = set(watched), dict.fromkeys(watched, 0.0)
    while waiting and time.perf_counter() - returned < timeout:
        for label in sorted(waiting):
            unit, started, body = watched[label][0], time.perf_counter(), None
            if urls[label]:
                try:
                    body = clients[label].get(urls[label]).content.decode("utf-8", "replace")
                except Exception as error:  # the page failed: the roll-up row still tells
                    out.page_failed[label] = error_text(error)
                    urls[label] = None
            row = IndicatorRollup.objects.get(unit=unit, indicator=indicator, year=year, level_code="")
            spent[label] += time.perf_counter() - started
            if getattr(row, figure) == expected[label]:
                others = sum(seconds for other, seconds in spent.items() if other != label)
                out.visible_after[label] = time.perf_counter() - returned - others
                out.page_shows[label] = None if body is None else _shows(body, indicator.aggregation, row)
                waiting.discard(label)
    for label in waiting:
        out.visible_after[label] = None
    return out


def _approve_if_left_open(submission: Submission, *, office, principal) -> None:
    """A run stopped half-way through the freshness measurement leaves the report reopened:
    send and approve it again, so that this run starts from an approved report."""
    if submission.status in (Submission.Status.DRAFT, Submission.Status.RETURNED):
        targets = [v.target for v in submission.values.select_related("target")]
        submission_submit(submission=submission, targets=targets, by=principal, expected_version=submission.version)
    if submission.status == Submission.Status.SUBMITTED:
        submission_approve(submission=submission, by=office, expected_version=submission.version)


def _shows(body: str, aggregation: str, row: IndicatorRollup) -> bool:
    """Whether the page's text has the new figure in one of the ways it may round it."""
    value = rollup_value(aggregation, Figures.of(row))
    if value is None:
        return False
    candidates = {format_decimal_vi(value.quantize(Decimal(10) ** -places)) for places in (0, 1, 2)}
    return any(c in body for c in candidates)


# --- machine and report ---------------------------------------------------------------------------


def machine_facts() -> list[tuple[str, str]]:
    facts = [("CPU", f"{os.cpu_count()} × {_cpu_model()}"), ("RAM", _memory())]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW shared_buffers")
            buffers = cursor.fetchone()[0]
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
            facts.append(("database", f"PostgreSQL {version} (shared_buffers {buffers}, size {size})"))
        else:
            facts.append(("database", f"{connection.vendor} {connection.Database.sqlite_version}"))
    facts.append(("software", f"Python {platform.python_version()}, Django {django.get_version()}"))
    return facts


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(handle.readline().split()[1])
        return f"{kib / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        return "?"


def data_counts() -> dict[str, int]:
    return {
        "provinces": OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE).count(),
        "communes": OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE).count(),
        "schools": OrgUnit.objects.filter(kind=OrgUnit.Kind.SCHOOL).count(),
        "indicators": Indicator.objects.count(),
        "reports": Submission.objects.count(),
        "facts": ResultValue.objects.count(),
        "rollup rows": IndicatorRollup.objects.count(),
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows as a Markdown table with padded columns: readable as plain text, pasteable as is."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def mark(ok: bool | None) -> str:
    return "?" if ok is None else ("✓" if ok else "✗")


def results_table(pages: list[PageResult], constant: ConstantCheck, fresh: Freshness | None) -> list[str]:
    rows = [
        [
            "page",
            "SQL queries (goal ≤ 10, constant)",
            "cold p50 / p95",
            "warm p50 / p95",
            "goal p95",
            "size",
            "bare SQL read (warm p50)",
            "page / bare (goal ≤ 3×)",
        ]
    ]
    for page in pages:
        if page.url is None:
            rows.append([page.label, "chưa có trang", "", "", f"≤ {page.goal_ms:.0f} ms", "", "", ""])
            continue
        if page.error and not page.warm:
            rows.append([page.label, f"error: {page.error[:70]}", "", "", f"≤ {page.goal_ms:.0f} ms", "", "", ""])
            continue
        samples = page.cold + page.warm
        counts = sorted({s.queries for s in samples})
        statuses = sorted({s.status for s in samples})
        queries = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
        writes = max(s.writes for s in samples)
        if writes:
            queries += f" (incl. {writes} not SELECT)"
        if statuses != [200]:
            queries += f" (HTTP {','.join(map(str, statuses))})"
        queries += f" {mark(counts[-1] <= 10 and len(counts) == 1)}"
        cold = [s.seconds for s in page.cold]
        warm = [s.seconds for s in page.warm]
        worst = max(percentile(cold, 95), percentile(warm, 95))
        bare = median([s.bare for s in page.warm])
        ratio = median(warm) / bare if bare else float("inf")
        rows.append(
            [
                page.label,
                queries,
                f"{ms(median(cold))} / {ms(percentile(cold, 95))}",
                f"{ms(median(warm))} / {ms(percentile(warm, 95))}",
                f"≤ {page.goal_ms:.0f} ms {mark(worst * 1000 <= page.goal_ms)}",
                f"{median([s.size for s in samples]) / 1024:.1f} kB",
                ms(bare),
                f"{ratio:.1f}× {mark(ratio <= 3)}",
            ]
        )
    lines = aligned(rows)
    lines.append(
        "p95 goal marked on the worse of cold and warm p95; page / bare on warm medians; "
        "bare = the page's SELECTs re-run with their parameters through a raw cursor."
    )
    for page in pages:
        if page.warm:
            worst = max(page.warm, key=lambda s: s.slowest)
            sql = " ".join(worst.slowest_sql.split())
            sql = sql[sql.find(" FROM ") + 1 :] if " FROM " in sql else sql  # the column list says little
            lines.append(f"{page.label}: slowest read {ms(worst.slowest)}: {sql[:110]}{'…' if len(sql) > 110 else ''}")
    if constant.few and constant.many:
        same = constant.few[2] == constant.many[2]
        lines.append(
            f"commune page queries: {constant.few[2]} with {constant.few[1]} schools ({constant.few[0]}), "
            f"{constant.many[2]} with {constant.many[1]} schools ({constant.many[0]}) {mark(same)}"
        )
    elif page_url("dashboards:unit", OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE).first(), LAST_YEAR):
        lines.append("commune page queries, few vs many schools: not measured (the page failed)")
    else:
        lines.append("commune page queries, few vs many schools: chưa có trang")
    if fresh is not None:
        if fresh.error:
            lines.append(f"freshness: {fresh.error}")
        else:
            seen = ", ".join(
                f"{label} {'never' if s is None else f'{s:.3f} s'}"
                + (" (roll-up row only: the page failed)" if label in fresh.page_failed else "")
                + (
                    ""
                    if fresh.page_shows.get(label) is None
                    else (" (page shows it)" if fresh.page_shows[label] else " (figure not found in page text)")
                )
                for label, s in fresh.visible_after.items()
            )
            total = fresh.total
            lines.append(
                f"freshness (goal ≤ 1 s): approve {fresh.approve_seconds:.3f} s; "
                f"visible after approve returned: {seen}; "
                f"total {'—' if total is None else f'{total:.3f} s'} {mark(None if total is None else total <= 1)}"
            )
    return lines
