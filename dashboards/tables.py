"""The ranking of a unit's child units for one target (django-tables2): columns only, rows come
from dashboards.selectors.children_progress through `ranking_records`.

Cells are written when the records are built (a link, a status badge), not by `render_*` methods:
django-tables2 inspects the signature of such a method for every cell, which cost more than the
rest of a province's page put together (100 communes × 4 columns)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Sorting by status goes from worst to best, so "Không đạt" comes first when a leader sorts.
STATUS_ORDER = {"off_track": 0, "behind": 1, "on_track": 2, "met": 3, "not_comparable": 4, "no_data": 5}


class RankingTable(tables.Table):
    name_html = tables.Column(verbose_name=pgettext_lazy("ranking column", "Đơn vị"), order_by=("path",))
    display = tables.Column(verbose_name=_("Kết quả"), order_by=("sort_value",))
    status_html = tables.Column(verbose_name=_("Trạng thái"), order_by=("status_order",))
    reported_text = tables.Column(verbose_name=_("Trường đã báo cáo"), order_by=("reported",))

    class Meta:
        template_name = "dashboards/_ranking_table.html"
        attrs = {"class": "ranking"}
        order_by = ("name_html",)
        orderable = True
        empty_text = _("Không có đơn vị nào khớp bộ lọc.")


def ranking_records(rows, url_of) -> list[dict]:
    """ChildRow objects as the plain records the table sorts (None sorts last, not as an error)."""
    records = []
    for row in rows:
        url = url_of(row.unit)
        records.append(
            {
                "name": row.unit.name,
                "name_html": format_html('<a href="{}">{}</a>', url, row.unit.name) if url else row.unit.name,
                "path": row.unit.path,
                "url": url,
                "display": row.display,
                "value": row.value,
                "sort_value": row.value if row.value is not None else -(10**12),
                "status": row.status,
                "status_label": row.status_label,
                "status_html": format_html('<span class="status status-{}">{}</span>', row.status, row.status_label),
                "status_order": STATUS_ORDER.get(row.status, 9),
                "reported": row.reported,
                "schools": row.schools,
                "reported_text": f"{row.reported}/{row.schools}" if row.schools else str(row.reported),
            }
        )
    return records
