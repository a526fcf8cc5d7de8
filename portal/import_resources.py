"""PortalResource: the base of every resource of the portal, so that all imports behave alike:
- each row goes through full_clean() (`clean_model_instances`),
- a file with one bad row saves nothing (IMPORT_EXPORT_USE_TRANSACTIONS, plus
  `rollback_on_validation_errors` on the confirm step in case the data changed in between),
- errors are keyed by the Vietnamese column header and shown with the row number in the file.
Imports no app: the admin passes its scope rules in (ImportExportAdmin.get_resource_kwargs).
"""

from __future__ import annotations

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from django.utils.text import capfirst
from import_export import resources, widgets


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

    def get_instance(self, instance_loader, row):
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
        if self.after_save is not None:
            self.after_save(instance, is_create)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as e:
            raise ValidationError(self._errors_by_column(e)) from None

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
