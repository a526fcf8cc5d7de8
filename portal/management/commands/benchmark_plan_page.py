"""Measure the admin plan page on a plan with many targets: inputs, HTML size, queries, server time.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_planpage \\
        .venv/bin/python manage.py benchmark_plan_page [--targets 100] [--requests 5]

The machine's other work shows in the times: compare figures taken one after the other.

Everything it creates is rolled back at the end: it may run on any migrated database.
"""

from __future__ import annotations

import logging
import re
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from assignments.services import task_create
from indicators.services import indicator_get_or_create
from organisations.models import OrgUnit
from plans.models import BudgetLine, Plan, Target
from plans.services import target_set_values

# Form controls a browser submits: <input> (not buttons), <textarea>, <select>.
_CONTROL = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.IGNORECASE)
_BUTTON_TYPE = re.compile(r'type="(submit|button|reset|image)"', re.IGNORECASE)


class _Rollback(Exception):
    pass


def count_controls(html: str) -> dict[str, int]:
    counts = {"input": 0, "hidden": 0, "textarea": 0, "select": 0}
    for tag, attrs in _CONTROL.findall(html):
        tag = tag.lower()
        if tag == "input":
            if _BUTTON_TYPE.search(attrs):
                continue
            counts["hidden" if 'type="hidden"' in attrs else "input"] += 1
        else:
            counts[tag] += 1
    return counts


class Command(BaseCommand):
    help = (
        "Đo trang kế hoạch trong trang quản trị với một kế hoạch nhiều chỉ tiêu: số ô nhập, dung lượng HTML, "
        "số truy vấn và thời gian máy chủ. Số liệu thử được xóa (rollback) khi đo xong."
    )

    def add_arguments(self, parser):
        parser.add_argument("--targets", type=int, default=100)
        parser.add_argument("--requests", type=int, default=5, help="Số lần tải trang (lấy trung vị).")

    def handle(self, *args, **options):
        logging.getLogger("axes").setLevel(logging.WARNING)
        try:
            # Static files by name: no collectstatic needed, with or without DEBUG.
            storages = {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["*"], STORAGES=storages):
                self._measure(options["targets"], options["requests"])
                raise _Rollback
        except _Rollback:
            pass

    def _measure(self, n_targets: int, n_requests: int) -> None:
        province = OrgUnit.objects.create(name="Tỉnh Đo Tải", kind=OrgUnit.Kind.PROVINCE)
        district = OrgUnit.objects.create(name="Huyện Đo Tải", kind=OrgUnit.Kind.DISTRICT, parent=province)
        plan = Plan.objects.create(
            number="1/KH-DO",
            title="Kế hoạch đo tải",
            issuer=district,
            period_start_year=2025,
            period_end_year=2030,
            orientation_year=2035,
        )
        rate = indicator_get_or_create(name="Tỷ lệ đo tải", level="PRIMARY", unit="percent")
        count = indicator_get_or_create(name="Số trường đo tải", level="PRIMARY", unit="count", noun="trường")
        for i in range(n_targets):
            target = Target.objects.create(
                plan=plan,
                indicator=rate if i % 2 else count,
                order=i,
                row_number=str(i + 1),
                section="I. GIÁO DỤC TIỂU HỌC",
                wording=f"Chỉ tiêu số {i + 1} về tỷ lệ học sinh hoàn thành chương trình lớp học",
            )
            target_set_values(
                target=target,
                baseline=(2024, "79,3%" if i % 2 else "06 trường"),
                milestones={2030: "Trên 85%" if i % 2 else "08 trường", 2035: "90%" if i % 2 else "10 trường"},
            )
        for i in range(10):
            task_create(plan=plan, content=f"Nhiệm vụ {i + 1}", leads=[district], coordinators=[])
            BudgetLine.objects.create(plan=plan, number=str(i + 1), order=i, content=f"Mục chi {i + 1}", amount=10)
        user = get_user_model().objects.create_superuser("do.tai.ke.hoach", password=None)
        client = Client()
        client.force_login(user)
        url = reverse("admin:plans_plan_change", args=[plan.pk])
        times, html, queries = [], "", 0
        for _ in range(n_requests):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, secure=True)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
            html, queries = response.content.decode(), len(captured)
        controls = count_controls(html)
        mode = "DEBUG" if settings.DEBUG else "không DEBUG"
        self.stdout.write(
            f"Trang kế hoạch, {n_targets} chỉ tiêu, 10 nhiệm vụ, 10 dòng kinh phí ({connection.vendor}, {mode})"
        )
        self.stdout.write(f"  ô nhập (input hiển thị): {controls['input']}")
        self.stdout.write(f"  ô ẩn (input hidden):     {controls['hidden']}")
        self.stdout.write(f"  textarea:                {controls['textarea']}")
        self.stdout.write(f"  select:                  {controls['select']}")
        self.stdout.write(f"  tổng ô gửi đi:           {sum(controls.values())}")
        self.stdout.write(f"  HTML:                    {len(html.encode()) / 1024:.0f} KiB")
        self.stdout.write(f"  truy vấn:                {queries}")
        self.stdout.write(
            f"  thời gian máy chủ:       trung vị {statistics.median(times) * 1000:.0f} ms, "
            f"nhanh nhất {min(times) * 1000:.0f} ms ({n_requests} lần)"
        )
