"""History pages (django-simple-history): who, when, old value → new value, on every object's page,
scoped like the rest of the admin, no revert. Imports no app.
"""

from __future__ import annotations

from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import (
    PermissionDenied,
)
from django.db import models
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from .admin_import import ImportExportAdmin
from .concurrency import history_value, user_label

HISTORY_ACTIONS = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


class VNHistoryHelper(HistoricalRecordContextHelper):
    """The history page's "Thay đổi" column in staff's words (labels, not codes)."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            values = super().prepare_delta_change_value(change, value)
            return ", ".join(_related_label(v) for v in values) or "—"
        if field.many_to_one and value is not None and not isinstance(value, models.Model):
            return _related_label(value)  # a deleted related row (simple_history's DeletedObject)
        return history_value(field, value)


def _related_label(value) -> str:
    """A related row as the history shows it; simple-history's own label for a row deleted since
    ("Deleted người dùng (pk=None)") is English and shows a database id."""
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return "—"
        return gettext("%(name)s (đã xóa)") % {"name": capfirst(value.model._meta.verbose_name)}
    return str(value)


class PortalHistoryAdmin(SimpleHistoryAdmin):
    """History pages in Vietnamese with a "Thay đổi" column (old → new), the last changes under the
    change form, scoped like the rest of the admin, and no revert (a revert would bypass the
    services and the version checks; the history is a record, not an undo)."""

    object_history_template = "admin/portal/object_history.html"
    object_history_list_template = "admin/portal/object_history_list.html"
    object_history_form_template = "admin/portal/object_history_form.html"
    change_form_template = "admin/portal/change_form.html"
    #: How many changes the box under the change form shows (the history page has them all).
    recent_history_size = 8

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_view_title(self, request, obj):
        return gettext("Lịch sử thay đổi: %(object)s") % {"object": obj}

    def history_form_view_title(self, request, obj):
        return gettext("Bản đã lưu trước đây: %(object)s") % {"object": obj}

    def get_historical_record_context_helper(self, request, historical_record):
        return VNHistoryHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the history of an object get_queryset() does not return
        # (meant for deleted rows): that would show rows outside the person's units.
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied  # reverting is disabled
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        manager = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        # `id` is the object's id in the historical table (its `pk` is history_id).
        record = manager.filter(id=obj.pk, history_id=version_id).first() if str(version_id).isdigit() else None
        if record is None:
            raise Http404
        request._history_version_view = True  # every field read-only: see get_readonly_fields()
        extra_context = {
            **(extra_context or {}),
            "version_at": record.history_date,
            "version_by": user_label(record.history_user),
        }
        return super().history_form_view(request, object_id, version_id, extra_context)

    @staticmethod
    def is_version_view(request) -> bool:
        """Showing a saved version (history_form_view): fields are text, not inputs."""
        return getattr(request, "_history_version_view", False)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if self.is_version_view(request):
            return [*readonly, *(f for f in flatten_fieldsets(self.get_fieldsets(request, obj)) if f not in readonly)]
        return readonly

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Like simple-history's, and the oldest record of the page is compared with the record
        before it (on the next page) instead of showing no change."""
        records = list(historical_records)
        for newer, older in zip(records, [*records[1:], None], strict=True):
            if older is None:
                if newer.history_type == "+":
                    continue
                older = newer.prev_record
                if older is None:
                    continue
            delta = newer.diff_against(older, foreign_keys_are_objs=foreign_keys_are_objs)
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)

    # -- the box under the change form ---------------------------------------------------------

    def related_histories(self, obj) -> list[tuple[type[models.Model], models.QuerySet, object]]:
        """Histories of rows edited on this object's page, shown with its own:
        [(model, historical records, label_of(record) → str)]. None by default."""
        return []

    def recent_history(self, request, obj) -> list[dict]:
        """The last changes of obj (and related_histories()), newest first: dicts with at, by,
        action, label (which row, for related rows) and changes [(field, old, new)]."""
        manager = getattr(obj, self.model._meta.simple_history_manager_attribute)
        sources = [(self.model, manager.all(), None), *self.related_histories(obj)]
        entries = []
        for model, records, label_of in sources:
            entries += history_entries(model, records, label_of=label_of, limit=self.recent_history_size)
        entries.sort(key=lambda entry: entry["at"], reverse=True)
        return entries[: self.recent_history_size]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["recent_history"] = self.recent_history(request, obj)
            context["history_size"] = self.recent_history_size
        return super().render_change_form(request, context, add, change, form_url, obj)


def history_entries(model, records, *, label_of=None, limit: int = 8) -> list[dict]:
    """The `limit` latest records of `records` (one model's history, one or several rows), each
    compared with the record before it of the same row. One query, plus one per row whose oldest
    fetched record is not its creation."""
    fetched = list(records.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    pk_name = model._meta.pk.attname
    older_of: dict = {}
    entries = []
    for record in reversed(fetched):  # oldest first, so each record finds the one before it
        row = getattr(record, pk_name)
        previous = older_of.get(row)
        if previous is None and record.history_type != "+":
            previous = record.prev_record
        older_of[row] = record
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            helper = VNHistoryHelper(model, record)
            changes = [(c["field"], c["old"], c["new"]) for c in helper.context_for_delta_changes(delta)]
        entries.append(
            {
                "at": record.history_date,
                "by": user_label(record.history_user),
                "action": HISTORY_ACTIONS.get(record.history_type, record.history_type),
                "label": label_of(record) if label_of else "",
                "changes": changes,
            }
        )
    return entries


class ImportExportHistoryAdmin(ImportExportAdmin, PortalHistoryAdmin):
    """Import/export and history together. ImportExportMixin comes first in the MRO (its change list
    template and URLs), then the history admin (history URLs and views), then ModelAdmin."""
