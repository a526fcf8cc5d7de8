"""Build a synthetic national data set and measure the dashboards on it (portal/benchmark.py).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python manage.py benchmark_dashboards [--reuse] [--requests 30]

Refuses to run on a database that holds anything the benchmark did not create.
"""

from __future__ import annotations

import logging
import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings

from portal import benchmark as bench
from portal.db import lift_statement_timeout


class Command(BaseCommand):
    help = (
        "Dựng bộ số liệu giả lập cỡ cả nước (mã đơn vị “BENCH-…”) và đo các trang tổng hợp: số truy vấn, "
        "thời gian, kích thước, độ mới sau khi duyệt. Chỉ chạy trên cơ sở dữ liệu trống hoặc chỉ có số liệu thử tải."
    )

    def add_arguments(self, parser):
        default = bench.Sizes()
        parser.add_argument("--schools", type=int, default=default.schools)
        parser.add_argument("--communes", type=int, default=default.communes)
        parser.add_argument("--provinces", type=int, default=default.provinces)
        parser.add_argument("--indicators", type=int, default=default.indicators)
        parser.add_argument("--answers", type=int, default=default.answers, help="Số kết quả mỗi trường mỗi năm.")
        parser.add_argument("--years", type=int, default=default.years)
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Dùng lại số liệu đã dựng xong nếu cùng số tỉnh, xã, trường, chỉ số và năm.",
        )
        parser.add_argument("--requests", type=int, default=30, help="Số lần tải mỗi trang, lạnh và nóng.")
        parser.add_argument("--seed", type=int, default=bench.SEED)

    def log(self, text: str = "") -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, **options):
        lift_statement_timeout()  # operator's long work, not a request
        # django-axes logs every force_login at INFO, and a failing page logs its whole template
        # context: lines that would bury the figures (a failing page is named in the table).
        quieter = {"axes": logging.WARNING, "django.request": logging.CRITICAL}
        saved = {name: logging.getLogger(name).level for name in quieter}
        for name, level in quieter.items():
            logging.getLogger(name).setLevel(level)
        try:
            self._handle(**options)
        finally:
            for name, level in saved.items():
                logging.getLogger(name).setLevel(level)

    def _handle(self, **options):
        sizes = bench.Sizes(
            schools=options["schools"],
            communes=options["communes"],
            provinces=options["provinces"],
            indicators=options["indicators"],
            answers=options["answers"],
            years=options["years"],
        )
        if sizes.problems():
            raise CommandError(" ".join(sizes.problems()))
        if options["requests"] < 1:
            raise CommandError("--requests phải từ 1 trở lên.")
        if str(connection.settings_dict["NAME"]) == str(settings.VAR_DIR / "portal.sqlite3"):
            # An empty demo database would pass the check below; keep the benchmark out of it.
            raise CommandError(
                "Đây là cơ sở dữ liệu của bản trình diễn (var/portal.sqlite3). Hãy đặt DATABASE_URL trỏ tới một "
                "cơ sở dữ liệu riêng, ví dụ postgres://postgres@127.0.0.1:5432/portal_bench."
            )
        if connection.vendor != "postgresql":
            self.log(f"Lưu ý: {connection.vendor}, không phải PostgreSQL: nạp qua ORM, chỉ hợp với cỡ nhỏ.")

        state = self._migrated_state(sizes)
        report = None
        if options["reuse"] and state == "complete":
            self.log("Dùng lại bộ số liệu thử tải đã có (--reuse).")
        else:
            if state != "empty":
                if options["reuse"]:
                    self.log("Số liệu thử tải có sẵn chưa đủ hoặc khác kích thước: dựng lại.")
                self.log("Xóa bộ số liệu thử tải cũ…")
                bench.wipe()
            self.log(
                f"Dựng bộ số liệu: {sizes.provinces} tỉnh, {sizes.communes:,} xã, {sizes.schools:,} trường, "
                f"{sizes.indicators} chỉ số, {sizes.years} năm, {sizes.answers} kết quả mỗi trường mỗi năm"
            )
            # Query logging (DEBUG) would keep every bulk statement in memory.
            with override_settings(DEBUG=False):
                report = bench.Builder(sizes, log=self.log, seed=options["seed"]).build()
            self.log(f"  {'tổng':<38} {'':>12}       {report.total:8.1f} s")

        counts = bench.data_counts()
        year = bench.LAST_YEAR
        rng = random.Random(options["seed"])  # noqa: S311 - which units to sample, not security
        # Measured as production runs: DEBUG off (no query log unless captured, no debug templates).
        with override_settings(DEBUG=False):
            the_cast = bench.cast()
            pages = []
            for kind in bench.PAGE_KINDS:
                self.log(f"Đo trang {kind.label} ({kind.url_name})…")
                page = bench.measure_page(
                    kind, the_cast, requests=options["requests"], year=year, years=sizes.year_list, rng=rng
                )
                if page.url is None:
                    self.log("  chưa có trang")
                elif page.error:
                    self.log(f"  lỗi: {page.error}")
                pages.append(page)
            constant = bench.queries_few_and_many(year=year)
            self.log("Đo độ mới sau khi duyệt…")
            try:
                fresh = bench.measure_freshness(the_cast, year=year)
            except Exception as error:  # report it beside the other figures rather than lose them
                fresh = bench.Freshness(error=bench.error_text(error))

        self.log()
        self.log("Machine")
        for label, value in bench.machine_facts():
            self.log(f"  {label:<9} {value}")
        self.log("Data")
        self.log("  " + ", ".join(f"{n:,} {label}" for label, n in counts.items()))
        self.log("Build")
        if report is None:
            self.log("  reused (--reuse): not built in this run")
        else:
            rows = [["step", "rows", "time"]]
            rows += [[label, f"{n:,}", f"{seconds:.1f} s"] for label, seconds, n in report.steps]
            rows.append(["total", "", f"{report.total:.1f} s"])
            for line in bench.aligned(rows):
                self.log(f"  {line}")
        self.log(
            f"Dashboards ({options['requests']} cold requests, each another unit; {options['requests']} warm, "
            f"the same unit; year {year}; DEBUG off)"
        )
        for line in bench.results_table(pages, constant, fresh):
            self.log(line)

    def _migrated_state(self, sizes: bench.Sizes) -> str:
        """Check that the database holds nothing but benchmark data, then migrate it if needed.
        A database never migrated is empty; otherwise the check runs before any migration."""
        try:
            executor = MigrationExecutor(connection)
        except OperationalError as error:
            raise CommandError(
                f"Không kết nối được cơ sở dữ liệu ({error}). Nếu chưa có, hãy tạo nó, ví dụ: "
                "createdb -h 127.0.0.1 -U postgres portal_bench"
            ) from None
        applied = executor.loader.applied_migrations
        if applied:
            try:
                bench.data_state(sizes)
            except bench.ForeignData as error:
                raise CommandError(
                    f"Cơ sở dữ liệu này có số liệu không phải của thử tải ({error}); không chạy. "
                    "Hãy dùng một cơ sở dữ liệu riêng, ví dụ: createdb -h 127.0.0.1 -U postgres portal_bench"
                ) from None
            except DatabaseError as error:
                raise CommandError(
                    f"Không đọc được cơ sở dữ liệu ({error}); hãy chạy `manage.py migrate` rồi thử lại."
                ) from None
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.log("Chạy migrate…")
            call_command("migrate", interactive=False, verbosity=0)
        try:
            return bench.data_state(sizes)
        except bench.ForeignData as error:
            raise CommandError(f"Cơ sở dữ liệu này có số liệu không phải của thử tải ({error}); không chạy.") from None
