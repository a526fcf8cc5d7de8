"""The period page's filters (django-filter): search by a school's name or code, its status, its
commune and its level, applied in SQL to results.review.review_units. A value that is not one of
the choices is ignored (the page shows everything), never an error."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import OrgUnit, SchoolLevel

from .terms import REVIEW_STATUSES


class ReviewFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tìm trường (tên hoặc mã)"))
    trang_thai = django_filters.ChoiceFilter(
        field_name="status", choices=REVIEW_STATUSES, label=_("Trạng thái"), empty_label=_("Mọi trạng thái")
    )
    xa = django_filters.ChoiceFilter(method="commune", choices=[], label=_("Xã/phường"), empty_label=_("Mọi xã/phường"))
    cap = django_filters.ChoiceFilter(
        method="level", choices=SchoolLevel.Code.choices, label=_("Cấp học"), empty_label=_("Mọi cấp học")
    )

    class Meta:
        model = OrgUnit
        fields = []

    def __init__(self, *args, communes: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["xa"].extra["choices"] = [(str(pk), name) for pk, name in communes]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def commune(self, queryset, name, value):
        return queryset.filter(commune_id=int(value))  # one of the choices: an id

    def level(self, queryset, name, value):
        teaches = OrgUnit.levels.through.objects.filter(orgunit=OuterRef("pk"), schoollevel__code=value)
        return queryset.filter(Exists(teaches))

    def _cleaned(self) -> dict:
        """The values that were valid (an unknown choice is left out, not an error)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def narrows_beyond_status(self) -> bool:
        """A search, commune or level filter is on: the grouped status counts no longer give the
        number of rows."""
        data = self._cleaned()
        return bool((data.get("q") or "").strip() or data.get("xa") or data.get("cap"))

    @property
    def status(self) -> str:
        return self._cleaned().get("trang_thai") or ""
