"""Optimistic locking for models with a `version` field and django-simple-history.

A form carries the version it was loaded at; the write bumps it only if it is still that version.
Otherwise the second writer gets an EditConflict that says who changed what in the meantime,
never a silent overwrite. Imports no app: callers pass the objects and histories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import F, Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Change:
    label: str  # what changed, e.g. the target's name or "trạng thái"
    old: str
    new: str
    by: str
    at: datetime

    def __str__(self) -> str:
        return _("%(label)s: %(old)s → %(new)s (%(by)s, %(at)s)") % {
            "label": self.label,
            "old": self.old or "—",
            "new": self.new or "—",
            "by": self.by,
            "at": date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT"),
        }


class EditConflict(ValidationError):
    """Raised when the object changed since the form was loaded. `changes` lists what changed."""

    def __init__(self, changes: list[Change]):
        self.changes = changes
        lines = [str(change) for change in changes] or [_("(không xem được chi tiết thay đổi)")]
        message = _(
            "Người khác đã lưu thay đổi trong lúc bạn đang sửa, nên lần lưu này chưa được ghi. "
            "Những gì đã đổi: %(changes)s. Hãy tải lại trang, xem lại rồi lưu lại."
        ) % {"changes": "; ".join(lines)}
        super().__init__(message, code="conflict")


def bump_version(obj: Model, expected_version: int | None) -> None:
    """Move obj from expected_version to the next one in one UPDATE, or raise EditConflict.
    `expected_version=None` skips the check (a write that did not come from a form)."""
    model = type(obj)
    qs = model.objects.filter(pk=obj.pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    if not qs.update(version=F("version") + 1):
        raise EditConflict(changes_since(obj, expected_version))
    obj.version = model.objects.values_list("version", flat=True).get(pk=obj.pk)


def loaded_at(obj: Model, version: int | None) -> datetime | None:
    """When the object reached `version`, from its history (the start of the other person's edit)."""
    if version is None:
        return None
    record = obj.history.filter(version=version).order_by("history_date").first()
    return record.history_date if record else None


def history_changes(records, *, since: datetime | None, label_of, fields: list[str]) -> list[Change]:
    """Field changes in simple-history `records` (one model's history, any order) after `since`.
    `label_of(record)` names the row ("Tỷ lệ huy động trẻ"); `fields` are the fields compared."""
    changes: list[Change] = []
    for record in records.order_by("history_date"):
        if since is not None and record.history_date <= since:
            continue
        previous = record.prev_record
        by = str(record.history_user) if record.history_user else _("không rõ")
        for field in fields:
            new = getattr(record, field)
            old = getattr(previous, field) if previous else None
            if old != new:
                model_field = record._meta.get_field(field)
                if model_field.choices:  # "Đã duyệt", not "approved"
                    labels = dict(model_field.flatchoices)
                    old, new = labels.get(old, old), labels.get(new, new)
                changes.append(
                    Change(
                        label=f"{label_of(record)} – {model_field.verbose_name}",
                        old=_fmt(old),
                        new=_fmt(new),
                        by=by,
                        at=record.history_date,
                    )
                )
    return changes


def changes_since(obj: Model, version: int | None) -> list[Change]:
    """Changes to obj's own fields since it was at `version` (models may add related rows themselves)."""
    since = loaded_at(obj, version)
    fields = [f.name for f in type(obj)._meta.concrete_fields if f.name not in {"id", "version", "updated_at"}]
    return history_changes(obj.history.all(), since=since, label_of=lambda record: str(obj), fields=fields)


def _fmt(value) -> str:
    if value is None or value == "":
        return ""
    return str(value)
