"""Filters of the ranking table (django-filter): the unit's name in the database, the status on
the computed rows (a status is not stored: it is judged from the figures each time)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from indicators.status import STATUS_LABELS
from organisations.models import OrgUnit


class ChildUnitFilter(django_filters.FilterSet):
    ten = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Tên đơn vị"))
    trang_thai = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=[(status.value, label) for status, label in STATUS_LABELS.items()],
        method="keep_all",
        empty_label=_("Mọi trạng thái"),
    )

    class Meta:
        model = OrgUnit
        fields = []

    def keep_all(self, queryset, name, value):
        return queryset  # applied to the computed rows: dashboards.views._ranking

    @property
    def status(self) -> str:
        return self.form.cleaned_data.get("trang_thai") or "" if self.form.is_valid() else ""
