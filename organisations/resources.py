"""Import/export columns of the organisation tree (django-import-export; rows come from the admin).

Units are referred to by their official code (`mã đơn vị`). A unit without a code is written
"#<ID>" (e.g. "#12"): a plain name is ambiguous (every commune has a "Trường Tiểu học …" of the
same name somewhere), so names are never used as keys. A bare number that is no unit's code is
read as an ID too, for files typed by hand.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.import_resources import PortalResource
from portal.import_widgets import (
    ChoicesWidget,
    LookupForeignKeyWidget,
    LookupManyToManyWidget,
    VNBooleanWidget,
    VNDateWidget,
    VNIntegerWidget,
    choices_of,
    column,
    key_text,
)

from .models import OrgUnit, SchoolLevel


class OrgUnitKeyWidget(LookupForeignKeyWidget):
    """An OrgUnit by code, or "#ID" for a unit without a code. The file's keys are fetched in one
    query before its first row (PrefetchedLookup)."""

    def __init__(self, **kwargs):
        super().__init__(OrgUnit, field="code", **kwargs)

    def prefetch(self, cells) -> None:
        keys = {key for cell in cells for key in self.keys_of(cell)}
        codes = {key for key in keys if not key.startswith("#")}
        ids = {int(key[1:]) for key in keys if key.startswith("#") and key[1:].isdigit()}
        ids |= {int(key) for key in codes if key.isdigit()}
        units = OrgUnit.objects.filter(Q(code__in=codes) | Q(pk__in=ids)) if codes or ids else []
        by_code = {unit.code: unit for unit in units if unit.code}
        by_pk = {unit.pk: unit for unit in units}
        known: dict[str, list] = {}
        for key in keys:
            if key.startswith("#"):
                unit = by_pk.get(int(key[1:])) if key[1:].isdigit() else None
            else:
                unit = by_code.get(key) or (by_pk.get(int(key)) if key.isdigit() else None)
            if unit is not None:
                known[key] = [unit]
        self.known = known

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return None
        key = key_text(value)
        found = self.cached(key)
        if found is not None:
            return found[0]
        if key.startswith("#"):
            unit = OrgUnit.objects.filter(pk=key[1:]).first() if key[1:].isdigit() else None
        else:
            unit = OrgUnit.objects.filter(code=key).first() if key else None
            if unit is None and key.isdigit():
                unit = OrgUnit.objects.filter(pk=int(key)).first()
        if unit is None:
            raise ValueError(
                gettext("Không tìm thấy đơn vị có mã “%(value)s” (đơn vị chưa có mã thì ghi #ID, ví dụ #12).")
                % {"value": key}
            )
        return unit

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.code or f"#{value.pk}"


class OrgUnitResource(PortalResource):
    id = column("id", "ID", VNIntegerWidget())
    name = column("name", _("Tên đơn vị"))
    kind = column("kind", _("Loại đơn vị"), ChoicesWidget(choices_of(OrgUnit, "kind")))
    kind_label = column("kind_label", _("Tên loại"))
    parent = column("parent", _("Trực thuộc (mã đơn vị)"), OrgUnitKeyWidget())
    code = column("code", _("Mã đơn vị"))
    levels = column("levels", _("Cấp học (mã)"), LookupManyToManyWidget(SchoolLevel, field="code", separator=","))
    ownership = column("ownership", _("Loại hình"), ChoicesWidget(choices_of(OrgUnit, "ownership")))
    is_education_office = column(
        "is_education_office", _("Là cơ quan quản lý giáo dục"), VNBooleanWidget(), default=False
    )
    valid_from = column("valid_from", _("Hoạt động từ ngày"), VNDateWidget())
    closed_on = column("closed_on", _("Giải thể/sáp nhập từ ngày"), VNDateWidget())
    successor = column("successor", _("Sáp nhập vào (mã đơn vị)"), OrgUnitKeyWidget())
    is_demo = column("is_demo", _("Dữ liệu minh họa"), VNBooleanWidget(), default=False)

    class Meta:
        model = OrgUnit
        name = _("Đơn vị")
        fields = (
            "id",
            "name",
            "kind",
            "kind_label",
            "parent",
            "code",
            "levels",
            "ownership",
            "is_education_office",
            "valid_from",
            "closed_on",
            "successor",
            "is_demo",
        )
        import_id_fields = ["id"]
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        # The levels come per chunk from export_chunk(): prefetch_related() would build a related
        # manager and a cache for every unit (two fifths of a national export's time).
        return queryset.select_related("parent", "successor").prefetch_related(None)

    def export_chunk(self, objects: list) -> None:
        through = OrgUnit.levels.through
        codes: dict[int, list[str]] = {obj.pk: [] for obj in objects}
        rows = through.objects.filter(orgunit_id__in=list(codes)).order_by("schoollevel__order", "schoollevel_id")
        for unit_id, code in rows.values_list("orgunit_id", "schoollevel__code"):
            codes[unit_id].append(code)
        self._chunk_levels = codes

    def dehydrate_levels(self, unit: OrgUnit) -> str:
        """The unit's level codes as the column writes them (see LookupManyToManyWidget.render)."""
        codes = getattr(self, "_chunk_levels", {}).get(unit.pk)
        if codes is None:  # outside the admin's chunked export
            return self.fields["levels"].export(unit)
        return self.fields["levels"].widget.separator.join(codes)

    def save_instance(self, instance, is_create, row, **kwargs):
        old_path = instance.path
        super().save_instance(instance, is_create, row, **kwargs)
        if old_path and old_path != instance.path:
            # Moved: OrgUnit.save() rewrote the paths under it, so every unit fetched for this
            # file may be stale; later rows look their units up one by one.
            self.forget_lookups()
