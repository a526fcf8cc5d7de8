"""Measure the office's review pages on the national data set (portal/benchmark_reviews.py).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python manage.py benchmark_reviews [--requests 30]

Needs the set built by `manage.py benchmark_dashboards`; changes none of it (its temporary office
accounts are removed at the end).
"""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from portal import benchmark as bench
from portal import benchmark_reviews as reviews
from portal.db import lift_statement_timeout


class Command(BaseCommand):
    help = (
        "Đo các trang duyệt báo cáo (/ky-bao-cao/) trên bộ số liệu thử tải cỡ cả nước: số truy vấn, "
        "thời gian p50/p95 và kích thước trang cho tài khoản cả nước, tỉnh, huyện (nếu có), xã."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30, help="Số lần tải mỗi trang.")

    def handle(self, *args, **options):
        lift_statement_timeout()  # operator's long work, not a request
        if options["requests"] < 1:
            raise CommandError("--requests phải từ 1 trở lên.")
        try:
            bench.data_state(bench.Sizes())
        except bench.ForeignData as error:
            raise CommandError(f"Cơ sở dữ liệu này có số liệu không phải của thử tải ({error}); không chạy.") from None
        quiet = {"axes": logging.WARNING, "django.request": logging.CRITICAL}
        saved = {name: logging.getLogger(name).level for name in quiet}
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)
        try:
            with override_settings(DEBUG=False):
                results = reviews.run(requests=options["requests"], log=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        finally:
            reviews.cleanup()
            for name, level in saved.items():
                logging.getLogger(name).setLevel(level)
        self.stdout.write(f"\nReview pages ({options['requests']} requests each, DEBUG off)")
        for line in bench.aligned([reviews.HEADERS] + [r.row() for r in results]):
            self.stdout.write(f"  {line}")
