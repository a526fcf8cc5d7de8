"""The period page's review table (django-tables2): sortable columns over results.review.review_units,
sorted and paginated in SQL. Rows are drawn by templates/results/_review_table.html straight from
the annotated units (no render_* method per cell), with a heading per commune when sorted by it."""

from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import F
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

PER_PAGE = 50


class ReviewTable(tables.Table):
    name = tables.Column(verbose_name=_("Trường"), order_by=("name", "pk"))
    commune_name = tables.Column(verbose_name=_("Xã/phường"), order_by=("commune_name", "name", "pk"))
    level_name = tables.Column(verbose_name=_("Cấp học"), order_by=("level_name", "name", "pk"))
    status = tables.Column(verbose_name=_("Trạng thái"), order_by=("status_order", "name", "pk"))
    submitted_at = tables.Column(verbose_name=_("Gửi lúc"), order_by=("submitted_at", "name", "pk"))
    reviewed_at = tables.Column(verbose_name=_("Duyệt/trả lại lúc"), order_by=("reviewed_at", "name", "pk"))
    lateness = tables.Column(verbose_name=_("Hạn"), orderable=False, empty_values=())
    review_comment = tables.Column(verbose_name=_("Ý kiến của phòng"), orderable=False)

    class Meta:
        template_name = "results/_review_table.html"
        attrs = {"class": "review"}
        order_by = ("commune_name",)
        orderable = True
        empty_text = _("Không có trường nào khớp bộ lọc.")

    # Times sort with the reports never sent last either way (PostgreSQL puts NULL first when
    # descending, SQLite when ascending).
    def order_submitted_at(self, queryset, is_descending):
        return self._by_time(queryset, "submitted_at", is_descending), True

    def order_reviewed_at(self, queryset, is_descending):
        return self._by_time(queryset, "reviewed_at", is_descending), True

    @staticmethod
    def _by_time(queryset, field, is_descending):
        order = F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
        return queryset.order_by(order, "name", "pk")

    @property
    def grouped_by_commune(self) -> bool:
        """Commune headings (with the commune's subtotals) only make sense when the rows are in
        commune order."""
        order = [str(o) for o in (self.order_by or ())]
        return bool(order) and order[0].lstrip("-") == "commune_name"


class CountedPaginator(Paginator):
    """A paginator told its count (from the page's grouped status counts) instead of asking the
    database again; `count=None` falls back to Django's COUNT query (a search, a commune filter)."""

    def __init__(self, object_list, per_page, *args, known_count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self._known_count = known_count

    @cached_property
    def count(self) -> int:
        return super().count if self._known_count is None else self._known_count
