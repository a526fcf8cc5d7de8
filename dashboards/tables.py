"""The ranking of a unit's child units for one target (django-tables2): columns only, rows come
from dashboards.selectors.children_progress."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# Sorting by status goes from worst to best, so "Không đạt" comes first when a leader sorts.
STATUS_ORDER = {"off_track": 0, "behind": 1, "on_track": 2, "met": 3, "not_comparable": 4, "no_data": 5}


class RankingTable(tables.Table):
    name = tables.Column(verbose_name=_("Đơn vị"), order_by=("path",))
    display = tables.Column(verbose_name=_("Kết quả"), order_by=("sort_value",))
    status_label = tables.Column(verbose_name=_("Trạng thái"), order_by=("status_order",))
    reported = tables.Column(verbose_name=_("Trường đã báo cáo"), order_by=("reported",))

    class Meta:
        attrs = {"class": "ranking"}
        order_by = ("path",)
        orderable = True
        empty_text = _("Không có đơn vị nào khớp bộ lọc.")

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', record["url"], value) if record["url"] else value

    def render_status_label(self, value, record):
        return format_html('<span class="status status-{}">{}</span>', record["status"], value)

    def render_reported(self, value, record):
        return f"{value}/{record['schools']}" if record["schools"] else str(value)

    def value_reported(self, value, record):
        return f"{value}/{record['schools']}" if record["schools"] else str(value)


def ranking_records(rows, url_of) -> list[dict]:
    """ChildRow objects as the plain records the table sorts (None sorts last, not as an error)."""
    return [
        {
            "name": row.unit.name,
            "path": row.unit.path,
            "url": url_of(row.unit),
            "display": row.display,
            "value": row.value,
            "sort_value": row.value if row.value is not None else -(10**12),
            "status": row.status,
            "status_label": row.status_label,
            "status_order": STATUS_ORDER.get(row.status, 9),
            "reported": row.reported,
            "schools": row.schools,
        }
        for row in rows
    ]
