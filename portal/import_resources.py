"""PortalResource: the base of every resource of the portal, so that all imports behave alike:
- each row goes through full_clean() (`clean_model_instances`),
- a file with one bad row saves nothing (IMPORT_EXPORT_USE_TRANSACTIONS, plus
  `rollback_on_validation_errors` on the confirm step in case the data changed in between),
- errors are keyed by the Vietnamese column header and shown with the row number in the file,
  a row the database refuses included (import_row(): never the database's own text),
- lookup columns are read for the whole file in one query each (before_import()), not per row.
Imports no app: the admin passes its scope rules in (ImportExportAdmin.get_resource_kwargs).
"""

from __future__ import annotations

import logging

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from django.db import DatabaseError, DataError, IntegrityError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.results import RowResult

from .import_widgets import PrefetchedLookup, blank

logger = logging.getLogger(__name__)

DUPLICATE = _("Giá trị trùng với một dòng đã có (trong cơ sở dữ liệu hoặc ở dòng trước của tệp).")
CONFLICTING = _("Các giá trị của dòng mâu thuẫn với nhau.")
# SQLSTATE classes (PostgreSQL) → what staff can do about it.
DATABASE_MESSAGES = {
    "23505": DUPLICATE,
    "23503": _("Dòng tham chiếu tới một dữ liệu không còn (có thể vừa bị xóa)."),
    "23502": _("Thiếu một giá trị bắt buộc."),
    "23514": CONFLICTING,
    "22003": _("Có một số quá lớn so với cột của nó."),
    "22001": _("Có một giá trị dài quá mức cho phép."),
    "22021": _("Có ký tự không lưu được (ký tự điều khiển NUL)."),
    "22P05": _("Có ký tự không lưu được (ký tự điều khiển NUL)."),
}


class DatabaseRefusal(Exception):
    """What the database refused, in Vietnamese (shown as the import's error)."""


def database_refusal(error: Exception) -> tuple[str, str] | None:
    """(SQLSTATE or "", Vietnamese message) when `error` is the database refusing a row, else None."""
    if isinstance(error, ValueError) and "NUL (0x00)" in str(error):  # psycopg2 refuses it client-side
        return "22021", str(DATABASE_MESSAGES["22021"])
    if not isinstance(error, DatabaseError):
        return None
    code = getattr(getattr(error, "__cause__", None), "pgcode", None) or ""
    if not code and str(error).startswith("UNIQUE constraint failed"):  # SQLite's words for 23505
        code = "23505"
    if not code and str(error).startswith("CHECK constraint failed"):  # SQLite's words for 23514
        code = "23514"
    if code in DATABASE_MESSAGES:
        return code, str(DATABASE_MESSAGES[code])
    if isinstance(error, IntegrityError):
        return code, str(_("Dòng mâu thuẫn với dữ liệu đã có (trùng hoặc tham chiếu sai)."))
    if isinstance(error, DataError):
        return code, str(_("Có một giá trị không lưu được (quá lớn, quá dài hoặc sai kiểu)."))
    return code, str(_("Cơ sở dữ liệu không lưu được dòng này; thử lại sau ít phút."))


#: Rows the import preview shows (the errors are always listed in full): a file of thousands of
#: rows is not drawn, nor compared field by field, row by row.
PREVIEW_ROWS = 100


class _NoDiff:
    """The preview's comparison of a row that is not shown: nothing read, nothing compared."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class PortalResource(resources.ModelResource):
    """Base of every resource: full_clean on each row, Vietnamese messages keyed by column."""

    class Meta:
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        use_transactions = True

    def __init__(self, *, scope_check=None, before_save=None, after_save=None, **kwargs):
        """The admin passes (ImportExportAdmin.get_resource_kwargs):
        - scope_check(instance, stored=…) → (field, message) | None: may this person change the row
          as stored (stored=True, before the file's values are read into it) and as the file leaves it
          (stored=False)? A problem makes the row invalid, so the whole file is refused;
        - before_save(instance, is_create) / after_save(instance, is_create): bookkeeping in the same
          transaction as the row (e.g. moving a target's version on)."""
        super().__init__(**kwargs)
        self.scope_check = scope_check
        self.before_save = before_save
        self.after_save = after_save

    def export_chunk(self, objects: list) -> None:
        """The admin's export hands each chunk of rows here before writing it: a resource may read
        what its columns need for the whole chunk at once. Nothing by default."""

    # -- lookups once per file (portal.import_widgets.PrefetchedLookup) -------------------------

    def _lookups(self) -> list[PrefetchedLookup]:
        return [
            field.widget
            for field in self.get_import_fields()
            if isinstance(field.widget, PrefetchedLookup) and not field.readonly
        ]

    def before_import(self, dataset, **kwargs):
        """One query per lookup column for the whole file instead of one per row."""
        super().before_import(dataset, **kwargs)
        headers = dataset.headers or []
        for field in self.get_import_fields():
            if isinstance(field.widget, PrefetchedLookup) and not field.readonly and field.column_name in headers:
                field.widget.prefetch(dataset[field.column_name])

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        self.forget_lookups()

    def forget_lookups(self) -> None:
        """From here on every lookup queries row by row (the prefetched rows may be stale)."""
        for widget in self._lookups():
            widget.forget()

    def get_instance(self, instance_loader, row):
        # Every key cell empty (a new row): nothing to look up, no query.
        id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        if id_fields and all(field.column_name in row and blank(row[field.column_name]) for field in id_fields):
            return None
        # A key cell that cannot be read (unknown code …) makes the row a new instance here;
        # import_instance() then reports the same cell as a validation error of that column.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ValidationError):
            return None

    def import_instance(self, instance, row, **kwargs):
        if self.scope_check is not None and instance.pk:
            # A row that matches someone else's object: refuse it before reading anything into it.
            problem = self.scope_check(instance, stored=True)
            if problem:
                raise ValidationError({problem[0]: [ValidationError(problem[1], code="scope")]})
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if self.scope_check is not None and not errors:
            problem = self.scope_check(instance, stored=False)
            if problem:
                errors[problem[0]] = [ValidationError(problem[1], code="scope")]
        # Many-to-many cells are only written after save(); read them now so that an unknown
        # value is reported with the row's other errors instead of failing the save.
        for field in self.get_import_fields():
            if not isinstance(field.widget, widgets.ManyToManyWidget) or field.readonly:
                continue
            if field.column_name not in row or field.attribute in errors:
                continue
            try:
                field.clean(row, **kwargs)
            except ValueError as e:
                errors[field.attribute] = [ValidationError(str(e), code="invalid")]
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if self.before_save is not None:
            self.before_save(instance, is_create)
        super().save_instance(instance, is_create, row, **kwargs)
        self._created = instance if is_create else None
        if not is_create:
            for widget in self._lookups():
                widget.saw(instance)
        if self.after_save is not None:
            self.after_save(instance, is_create)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A row just created has no related rows yet: add() them, without set()'s read of the
        # current ones first (one query less a row).
        if is_m2m and instance is getattr(self, "_created", None) and not field.readonly and field.column_name in row:
            cleaned = field.clean(row, **kwargs)
            if cleaned:
                getattr(instance, field.attribute).add(*cleaned)
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean() of the row, all but its Meta.constraints: the database checks those when
        the row is saved, in the row's own savepoint, and import_row() tells a refusal in the same
        words and on the same column. Django would check each with a query and a savepoint of its
        own first: 6 of a unit's 21 queries a row."""
        errors = dict(import_validation_errors or {})
        if self._meta.clean_model_instances:
            try:
                instance.full_clean(exclude=errors.keys(), validate_unique=validate_unique, validate_constraints=False)
            except ValidationError as e:
                errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(self._errors_by_column(ValidationError(errors))) from None

    def get_diff_class(self):
        return super().get_diff_class() if getattr(self, "_diff_wanted", True) else _NoDiff

    # -- database errors in Vietnamese -------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        """A row the database refused (a code saved by someone else in between, a number too big
        for its column, a NUL character) becomes an invalid row with a Vietnamese message keyed by
        its column where the database names it, never the database's own text."""
        # Only the preview's first rows are shown (PREVIEW_ROWS): no diff for the others, nor for
        # the confirmation, which shows none (see get_diff_class()).
        self._diff_wanted = bool(kwargs.get("dry_run")) and kwargs.get("row_number", 0) <= PREVIEW_ROWS
        row_result = super().import_row(row, instance_loader, **kwargs)
        refused = [error for error in row_result.errors if database_refusal(error.error)]
        if refused and len(refused) == len(row_result.errors):
            logger.info("import row %s refused by the database: %r", kwargs.get("row_number"), refused[0].error)
            row_result.errors = []
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(self._database_message(refused[0].error))
        return row_result

    def handle_import_error(self, result, error, raise_errors=False):
        """An error before or after the rows (reading the file's lookups …): the database's own
        words stay in the log, the page says it in Vietnamese."""
        refusal = database_refusal(error)
        if refusal is not None and not raise_errors:
            logger.warning("import refused by the database: %r", error)
            error = DatabaseRefusal(refusal[1])
        super().handle_import_error(result, error, raise_errors)

    def _database_message(self, error: Exception) -> dict:
        code, message = database_refusal(error)
        column = self._column_of(error, code)
        if column is None:
            return {NON_FIELD_ERRORS: [message]}
        return self._errors_by_column(ValidationError({column: [message]}))

    def _column_of(self, error: Exception, code: str) -> str | None:
        """The model field the database named (constraint or column), if it did (PostgreSQL)."""
        diag = getattr(getattr(error, "__cause__", None), "diag", None)
        model = self._meta.model
        constraint = getattr(diag, "constraint_name", None) if diag else None
        column = getattr(diag, "column_name", None) if diag else None
        if constraint:
            for item in model._meta.constraints:
                if item.name == constraint and getattr(item, "fields", None):
                    return item.fields[0]
            for field in model._meta.concrete_fields:
                if constraint in (f"{model._meta.db_table}_{field.column}_key", f"{model._meta.db_table}_pkey"):
                    return field.name
        if not diag and str(error).startswith("UNIQUE constraint failed: "):  # SQLite: "table.column"
            column = str(error).removeprefix("UNIQUE constraint failed: ").split(",")[0].split(".")[-1].strip()
        if column:
            for field in model._meta.concrete_fields:
                if field.column == column:
                    return field.name
        return None

    def _errors_by_column(self, error: ValidationError) -> dict:
        """{"amount": [...]} → {"Kinh phí (triệu đồng)": [...]}: staff see their own headers."""
        headers = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        headers.update({f.attribute.removesuffix("_id"): f.column_name for f in self.fields.values() if f.attribute})
        by_column: dict[str, list] = {}
        for name, errors in error.error_dict.items():
            if name == NON_FIELD_ERRORS:
                label = NON_FIELD_ERRORS
            elif name in headers:
                label = headers[name]
            else:
                try:
                    label = capfirst(str(self._meta.model._meta.get_field(name).verbose_name))
                except FieldDoesNotExist:
                    label = name
            by_column.setdefault(label, []).extend(errors)
        return by_column
