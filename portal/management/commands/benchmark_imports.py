"""Measure the admin's unit import (preview, confirmation) and export (CSV, XLSX) at national
scale (portal/benchmark_imports.py).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_imports \\
        .venv/bin/python manage.py benchmark_imports [--schools 10000] [--units 48389]

Refuses a database holding anything but benchmark data; everything it builds is rolled back.
"""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import benchmark_imports as bench
from portal.benchmark import ForeignData
from portal.db import lift_statement_timeout


class Command(BaseCommand):
    help = (
        "Đo nhập đơn vị (xem trước, xác nhận) và xuất đơn vị (CSV, XLSX) trong trang quản trị với số liệu cỡ "
        "cả nước: thời gian, số truy vấn, bộ nhớ. Số liệu thử được xóa (rollback) khi đo xong."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=10_000, help="Số trường trong tệp nhập.")
        parser.add_argument("--units", type=int, default=48_389, help="Số đơn vị có sẵn (tỉnh, xã, trường).")
        parser.add_argument("--provinces", type=int, default=34)
        parser.add_argument("--communes", type=int, default=3_321)

    def handle(self, *args, **options):
        lift_statement_timeout()  # operator's long work, not a request
        provinces, communes = options["provinces"], options["communes"]
        national_schools = options["units"] - provinces - communes
        if options["schools"] < 1 or min(provinces, communes) < 1 or communes < provinces or national_schools < 0:
            raise CommandError("Cần --schools ≥ 1, 1 ≤ --provinces ≤ --communes và --units ≥ --provinces + --communes.")
        logging.getLogger("axes").setLevel(logging.WARNING)
        try:
            steps = bench.run(
                schools=options["schools"],
                provinces=provinces,
                communes=communes,
                national_schools=national_schools,
                log=self.stdout.write,
            )
        except ForeignData as error:
            raise CommandError(f"Cơ sở dữ liệu này có số liệu không phải của thử tải ({error}); không chạy.") from None
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"\nNhập/xuất đơn vị ({connection.vendor})")
        for step in steps:
            self.stdout.write(f"  {step.line()}")
