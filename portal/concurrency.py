"""Optimistic locking for models with a `version` field and django-simple-history.

A form carries the version it was loaded at; the write bumps it only if it is still that version.
Otherwise the second writer gets an EditConflict that says who changed what in the meantime,
never a silent overwrite. Imports no app: callers pass the objects and histories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db.models import F, Model
from django.utils import timezone
from django.utils.formats import date_format, number_format
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
            "old": self.old,
            "new": self.new,
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


def bump_version(obj: Model, expected_version: int | None, *, also: dict | None = None) -> None:
    """Move obj from expected_version to the next one in one UPDATE, or raise EditConflict.
    `expected_version=None` skips the check (a write that did not come from a form). `also`:
    other columns set by the same UPDATE (and on obj), e.g. a timestamp that would otherwise
    take a second one."""
    model = type(obj)
    qs = model.objects.filter(pk=obj.pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    if not qs.update(version=F("version") + 1, **(also or {})):
        raise EditConflict(changes_since(obj, expected_version))
    for name, value in (also or {}).items():
        setattr(obj, name, value)
    if expected_version is not None:
        obj.version = expected_version + 1  # the UPDATE matched exactly that version: no re-read
    else:
        obj.version = model.objects.values_list("version", flat=True).get(pk=obj.pk)


def loaded_at(obj: Model, version: int | None) -> datetime | None:
    """When the object reached `version`, from its history (the start of the other person's edit)."""
    if version is None:
        return None
    record = obj.history.filter(version=version).order_by("history_date").first()
    return record.history_date if record else None


def history_value(field, value) -> str:
    """A stored value as staff read it: choice labels, Có/Không, Vietnamese dates and numbers."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "d/m/Y H:i")
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    if isinstance(value, Decimal):
        return number_format(value.normalize() if value == value.to_integral() else value, use_l10n=True)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile: its name, not its folder
        return PurePosixPath(value.name).name if value.name else "—"
    return str(value)


def user_label(user) -> str:
    if user is None:
        return _("không rõ")
    return user.get_full_name() or user.get_username()


def _related_label(field, pk) -> str:
    if pk is None:
        return "—"
    related = field.related_model._default_manager.filter(pk=pk).first()
    return str(related) if related is not None else f"#{pk}"


def history_changes(records, *, since: datetime | None, fields, label_of) -> list[Change]:
    """Field changes in simple-history `records` (one model, one or several rows) saved after
    `since`, each record compared with the one before it of the same row; a deletion shows "—".
    `fields` are model fields (or names); `label_of(record)` names the row ("Tỷ lệ huy động trẻ")."""
    changes: list[Change] = []
    previous_of: dict = {}
    model_fields = [records.model._meta.get_field(f) if isinstance(f, str) else f for f in fields]
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        previous = previous_of.get(record.id)
        previous_of[record.id] = record
        if since is not None and record.history_date <= since:
            continue
        for field in model_fields:
            old = getattr(previous, field.attname) if previous is not None else None
            new = None if record.history_type == "-" else getattr(record, field.attname)
            if old == new or (previous is None and new in ("", False)):
                continue  # unchanged, or a new row's unset field ("— → Không" is not news)
            if field.many_to_one:
                old, new = _related_label(field, old), _related_label(field, new)
            else:
                old, new = history_value(field, old), history_value(field, new)
            changes.append(
                Change(
                    label=f"{label_of(record)} – {field.verbose_name}",
                    old=old,
                    new=new,
                    by=user_label(record.history_user),
                    at=record.history_date,
                )
            )
    return changes


def changes_since(obj: Model, version: int | None) -> list[Change]:
    """Changes to obj's own fields since it was at `version` (models may add related rows themselves)."""
    since = loaded_at(obj, version)
    fields = [f for f in type(obj)._meta.concrete_fields if f.name not in {"id", "version", "updated_at"}]
    return history_changes(obj.history.all(), since=since, label_of=lambda record: str(obj), fields=fields)
