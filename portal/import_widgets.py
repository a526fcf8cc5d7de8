"""Import/export widgets: one cell ↔ one Python value, read the way Vietnamese spreadsheets write
them. A cell that cannot be read raises ValueError with a Vietnamese message; PortalResource
(portal/import_resources.py) turns it into a validation error of that column. Imports no app.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import (
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.db import models
from django.db.models.fields import NOT_PROVIDED
from django.utils.translation import get_language, gettext
from import_export import fields, widgets


def blank(value) -> bool:
    """An empty cell: None or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.CharWidget):
    """Text cells. XLSX gives a cell typed as 2 back as 2 or 2.0: written "2", not "2.0"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            value = value.strip()
            if "\x00" in value:  # PostgreSQL cannot store it; a copy-paste from another program
                raise ValueError(gettext("Ô có ký tự điều khiển NUL (không nhìn thấy); xóa ký tự đó rồi nhập lại."))
        return super().clean(value, row, **kwargs)


class VNIntegerWidget(widgets.Widget):
    """Years, order numbers, ids: "2025", 2025 or 2025.0 (how XLSX gives numbers). Exported
    without a thousands dot, so a year stays "2025" and not "2.025"."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(gettext("“%(value)s” không phải số nguyên.") % {"value": value})
        if isinstance(value, int):
            return value
        text = str(value).strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(gettext("“%(value)s” không phải số nguyên.") % {"value": text}) from None
        if not number.is_finite() or number != number.to_integral_value() or abs(number) > 10**12:
            raise ValueError(gettext("“%(value)s” không phải số nguyên.") % {"value": text})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


_YES_NO: dict[str, dict[bool, str]] = {}


def _yes_no() -> dict[bool, str]:
    """ "Có"/"Không" in the active language, translated once per language (an export asks per cell)."""
    language = get_language()
    if language not in _YES_NO:
        _YES_NO[language] = {True: gettext("Có"), False: gettext("Không")}
    return _YES_NO[language]


class VNBooleanWidget(widgets.Widget):
    """Export writes "Có"/"Không"; import reads those and also x, 1/0, true/false, yes/no, đúng/sai.
    An empty cell gives None, which the column turns into the model field's default (see column())."""

    TRUE = {"có", "co", "x", "1", "true", "yes", "đúng", "dung", "c"}
    FALSE = {"không", "khong", "0", "false", "no", "sai", "k"}

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)
        text = str(value).strip().casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(gettext("“%(value)s” không hiểu được; ghi “Có” hoặc “Không”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _yes_no()[bool(value)]


class VNDateWidget(widgets.Widget):
    """Dates as dd/mm/yyyy (also yyyy-mm-dd, and real date cells in XLSX)."""

    FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
            except ValueError:
                continue
        raise ValueError(
            gettext("Ngày “%(value)s” không đúng dạng ngày/tháng/năm (ví dụ 01/07/2025).") % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.strftime("%d/%m/%Y")


class ChoicesWidget(widgets.Widget):
    """A choice field: exported as its Vietnamese label, imported from the label or the stored code
    (case-insensitive), so a file written by hand and a file exported earlier both read back."""

    def __init__(self, choices: Iterable[tuple[str, str]], **kwargs):
        self.choices = [(str(value), label) for value, label in choices]
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return ""
        text = str(value).strip().casefold()
        for code, label in self.choices:
            if text in (code.casefold(), str(label).casefold()):
                return code
        allowed = "; ".join(str(label) for _code, label in self.choices)
        raise ValueError(
            gettext("“%(value)s” không phải lựa chọn hợp lệ. Chọn một trong: %(allowed)s.")
            % {"value": str(value).strip(), "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return self._labels().get(str(value), value)

    def _labels(self) -> dict[str, str]:
        """code → label in the active language, made once per language (an export asks per cell)."""
        language = get_language()
        cached = getattr(self, "_labels_cache", None)
        if cached is None or cached[0] != language:
            cached = (language, {code: str(label) for code, label in self.choices})
            self._labels_cache = cached
        return cached[1]


class PrefetchedLookup:
    """A lookup widget whose keys are fetched for the whole file at once: PortalResource.before_import()
    hands it the column's cells (prefetch()), one query fills `known` (key → matching rows), and each
    row's clean() reads from it. A key not found there (a row that an earlier line of the same file
    creates) falls back to a query of its own, so a file may still refer to its own new rows.
    PortalResource.save_instance() hands every saved row to saw(): a row the file changed is not
    read back stale from `known`."""

    known: dict[str, list] | None = None

    def keys_of(self, cell) -> list[str]:
        if blank(cell):
            return []
        return [key_text(cell)]

    def key_of(self, obj) -> str:
        return str(getattr(obj, self.field))

    def fetch(self, keys: set[str]):
        """The rows matching any of `keys` (one query): keys the field cannot hold are left out,
        for the row's own clean() to report."""
        model_field = self.model._meta.pk if self.field == "pk" else self.model._meta.get_field(self.field)
        valid = []
        for key in keys:
            try:
                model_field.to_python(key)
            except (ValueError, ValidationError):
                continue
            valid.append(key)
        return self.model._default_manager.filter(**{f"{self.field}__in": valid}) if valid else []

    def prefetch(self, cells) -> None:
        keys = {key for cell in cells for key in self.keys_of(cell)}
        known: dict[str, list] = {}
        for obj in self.fetch(keys):
            known.setdefault(self.key_of(obj), []).append(obj)
        self.known = known

    def forget(self) -> None:
        self.known = None

    def saw(self, instance) -> None:
        """A row of this widget's model was saved by the file: later rows get it as saved."""
        if self.known is None or not isinstance(instance, self.model):
            return
        for key, objects in list(self.known.items()):
            if any(obj.pk == instance.pk for obj in objects):
                self.known[key] = [obj for obj in objects if obj.pk != instance.pk]
                if not self.known[key]:
                    del self.known[key]

    def cached(self, key: str) -> list | None:
        return self.known.get(key) if self.known is not None else None


def key_text(value) -> str:
    """A key cell as text: a whole number from an XLSX cell (12.0) is "12"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class LookupForeignKeyWidget(PrefetchedLookup, widgets.ForeignKeyWidget):
    """A foreign key by a human key (code, name, id), with a Vietnamese message when no row or
    several rows match. A whole number from an XLSX cell (12.0) is read as "12"."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        value = key_text(value)
        found = self.cached(value)
        if found is not None:
            if len(found) > 1:
                raise ValueError(self.several_message(value))
            return found[0]
        try:
            return super().clean(value, row, **kwargs)
        except (ObjectDoesNotExist, ValueError, ValidationError):
            raise ValueError(self.not_found_message(value)) from None
        except MultipleObjectsReturned:
            raise ValueError(self.several_message(value)) from None

    def several_message(self, value: str) -> str:
        return gettext("Có nhiều %(model)s cùng %(field)s “%(value)s”; dùng mã để phân biệt.") % {
            "model": self.model._meta.verbose_name,
            "field": self._field_label(),
            "value": value,
        }

    def not_found_message(self, value: str) -> str:
        return gettext("Không tìm thấy %(model)s có %(field)s “%(value)s”.") % {
            "model": self.model._meta.verbose_name,
            "field": self._field_label(),
            "value": value,
        }

    def _field_label(self) -> str:
        if self.field in ("pk", "id"):
            return "ID"
        return str(self.model._meta.get_field(self.field).verbose_name)


class LookupManyToManyWidget(PrefetchedLookup, widgets.ManyToManyWidget):
    """Several related rows in one cell, separated by `separator`, each by a human key. Unlike the
    stock widget, a value that matches nothing is an error instead of being dropped silently."""

    def keys_of(self, cell) -> list[str]:
        if blank(cell):
            return []
        return [key.strip() for key in key_text(cell).split(self.separator) if key.strip()]

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return self.model.objects.none()
        keys = self.keys_of(value)
        if self.known is not None and all(key in self.known for key in keys):
            return list({obj.pk: obj for key in keys for obj in self.known[key]}.values())
        found = list(self.model.objects.filter(**{f"{self.field}__in": keys}))
        known = {str(getattr(obj, self.field)) for obj in found}
        missing = [key for key in keys if key not in known]
        if missing:
            raise ValueError(
                gettext("Không tìm thấy %(model)s: %(values)s.")
                % {"model": self.model._meta.verbose_name, "values": ", ".join(f"“{m}”" for m in missing)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        # .all() uses the prefetch cache that filter_export() sets up.
        return self.separator.join(str(getattr(related, self.field)) for related in value.all())


def column(
    attribute: str | None,
    header,
    widget: widgets.Widget | None = None,
    *,
    readonly: bool = False,
    default=NOT_PROVIDED,
):
    """A resource column: model attribute, Vietnamese header, widget. Readonly = export only.
    `default` is used when the cell is empty (e.g. a choice or a yes/no with a model default)."""
    return fields.Field(
        attribute=attribute,
        column_name=str(header),
        widget=widget or TextWidget(),
        readonly=readonly,
        default=default,
    )


def choices_of(model: type[models.Model], field_name: str) -> list[tuple[str, str]]:
    return list(model._meta.get_field(field_name).choices or [])
