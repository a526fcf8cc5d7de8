"""Rebuild the roll-up table from the approved facts: after an import of results, a change to the
organisation tree (a school closed, moved or opened: its share denominators change), or to check
that the incremental table is right (it prints whether anything differed)."""

import time

from django.core.management.base import BaseCommand

from portal.db import lift_statement_timeout
from results.rollups import rollup_rebuild, rollup_table_snapshot


class Command(BaseCommand):
    help = "Tính lại toàn bộ bảng số liệu tổng hợp từ các báo cáo đã duyệt."

    def handle(self, *args, **options):
        lift_statement_timeout()  # operator's long work, not a request
        before = rollup_table_snapshot()
        started = time.perf_counter()
        rows = rollup_rebuild()
        seconds = time.perf_counter() - started
        changed = sum(1 for key, figures in rollup_table_snapshot().items() if before.get(key) != figures)
        gone = len(set(before) - set(rollup_table_snapshot()))
        self.stdout.write(
            f"Đã tính lại {rows} dòng tổng hợp trong {seconds:.1f} giây; "
            f"{changed} dòng khác bảng cũ, {gone} dòng cũ không còn."
        )
