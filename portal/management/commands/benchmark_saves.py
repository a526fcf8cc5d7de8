"""Principals saving at once: the portal's draft save against a bare view, under wrk
(portal/benchmark_saves.py).

    sudo apt-get install -y wrk
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python manage.py benchmark_saves [--schools 45000 --principals 15000] [--seconds 30]

Builds the national set of `benchmark_dashboards` (or reuses it, at the same sizes), then adds
the open period, principals and sessions it needs, and removes them at the end (the principal
accounts stay). Refuses a database with real data.
"""

from __future__ import annotations

import logging
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import benchmark as bench
from portal import benchmark_saves as saves
from portal import benchmark_saves_profile as profile
from portal.db import lift_statement_timeout


class Command(BaseCommand):
    help = (
        "Đo lưu nháp của nhiều hiệu trưởng cùng lúc (wrk, gunicorn, PostgreSQL): số lần lưu/giây của cổng "
        "so với một view trần ghi một dòng, p50/p99, lỗi và số lần lưu đã xác nhận mà không có trong CSDL."
    )

    def add_arguments(self, parser):
        default = bench.Sizes()
        parser.add_argument("--schools", type=int, default=default.schools)
        parser.add_argument("--communes", type=int, default=default.communes)
        parser.add_argument("--provinces", type=int, default=default.provinces)
        parser.add_argument("--years", type=int, default=default.years)
        parser.add_argument("--principals", type=int, default=15_000)
        parser.add_argument("--connections", type=int, default=200)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--seconds", type=int, default=30, help="Thời gian mỗi lượt đo.")
        parser.add_argument("--rounds", type=int, default=2, help="Số lượt (view trần rồi cổng) mỗi lần chạy.")
        parser.add_argument(
            "--profile",
            type=int,
            default=0,
            metavar="N",
            help="Không chạy wrk: đo N lần lưu đầu tiên trong tiến trình (thời gian, câu lệnh SQL, cProfile).",
        )
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn --workers")

    def log(self, text: str = "") -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Cần PostgreSQL (DATABASE_URL=postgres://…): gunicorn và wrk đo trên nó.")
        if saves.wrk_path() is None and not options["profile"]:
            raise CommandError(saves.WRK_MISSING)
        lift_statement_timeout()  # operator's long work, not a request
        sizes = bench.Sizes(
            schools=options["schools"],
            communes=min(options["communes"], options["schools"]),
            provinces=min(options["provinces"], options["schools"]),
            years=options["years"],
        )
        problems = sizes.problems()
        if options["principals"] < 1 or options["principals"] > sizes.schools:
            problems.append("--principals phải từ 1 đến số trường.")
        if problems:
            raise CommandError(" ".join(problems))
        try:
            state = bench.data_state(sizes)
        except bench.ForeignData as error:
            raise CommandError(f"Cơ sở dữ liệu này có số liệu không phải của thử tải ({error}); không chạy.") from None
        if state == "other":
            saves.cleanup()  # what an interrupted run left behind is not a reason to rebuild
            state = bench.data_state(sizes)
        if state != "complete":
            self.log(f"Dựng bộ số liệu cả nước ({sizes.schools:,} trường)…")
            if state != "empty":
                bench.wipe()
            bench.Builder(sizes, log=self.log).build()
        else:
            self.log(f"Dùng lại bộ số liệu đã dựng ({sizes.schools:,} trường).")
        try:
            users = saves.prepare(principals=options["principals"], log=self.log)
            logging.getLogger("axes").setLevel(logging.WARNING)
            if options["profile"]:
                profile.profile_saves(users, saves=options["profile"], log=self.log)
                return
            self.log(f"{len(users):,} hiệu trưởng; gunicorn --workers {options['workers']}")
            phases = saves.measure(
                users=users,
                workers=options["workers"],
                connections=options["connections"],
                threads=options["threads"],
                seconds=options["seconds"],
                rounds=options["rounds"],
                log=self.log,
            )
        except (RuntimeError, ValueError) as error:
            raise CommandError(str(error)) from None
        finally:
            saves.cleanup()  # the set stays as benchmark_dashboards expects it (data_state)
        self.log(f"\nDraft saves, wrk -c {options['connections']} -t {options['threads']} -d {options['seconds']}s")
        for line in saves.report(phases):
            self.log(f"  {line}")
        self.log("\nMachine")
        for name, value in bench.machine_facts():
            self.log(f"  {name}: {value}")
