"""Shared admin and import/export bits: the XLSX/CSV admin base, the base resource and the widgets
that read cells the way Vietnamese spreadsheets write them. Imports no app (STYLE.md §2).

Every resource of the portal subclasses PortalResource and every admin with import/export
subclasses ImportExportAdmin, so that all imports behave alike:
- each row goes through full_clean() (`clean_model_instances`),
- a file with one bad row saves nothing (IMPORT_EXPORT_USE_TRANSACTIONS, plus
  `rollback_on_validation_errors` on the confirm step in case the data changed in between),
- errors are keyed by the Vietnamese column header and shown with the row number in the file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.db import models
from django.db.models.fields import NOT_PROVIDED
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.results import RowResult

# ---------------------------------------------------------------------------------------------
# Widgets: one cell ↔ one Python value. A cell that cannot be read raises ValueError with a
# Vietnamese message; import_instance() turns it into a validation error of that column.
# ---------------------------------------------------------------------------------------------


def _blank(value) -> bool:
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
        return super().clean(value, row, **kwargs)


class VNIntegerWidget(widgets.Widget):
    """Years, order numbers, ids: "2025", 2025 or 2025.0 (how XLSX gives numbers). Exported
    without a thousands dot, so a year stays "2025" and not "2.025"."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
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


class VNBooleanWidget(widgets.Widget):
    """Export writes "Có"/"Không"; import reads those and also x, 1/0, true/false, yes/no, đúng/sai.
    An empty cell gives None, which the column turns into the model field's default (see column())."""

    TRUE = {"có", "co", "x", "1", "true", "yes", "đúng", "dung", "c"}
    FALSE = {"không", "khong", "0", "false", "no", "sai", "k"}

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
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
        return gettext("Có") if value else gettext("Không")


class VNDateWidget(widgets.Widget):
    """Dates as dd/mm/yyyy (also yyyy-mm-dd, and real date cells in XLSX)."""

    FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
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
        if _blank(value):
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
        return str(dict(self.choices).get(str(value), value))


class LookupForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by a human key (code, name, id), with a Vietnamese message when no row or
    several rows match. A whole number from an XLSX cell (12.0) is read as "12"."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value).strip()
        try:
            return super().clean(value, row, **kwargs)
        except (ObjectDoesNotExist, ValueError, ValidationError):
            raise ValueError(self.not_found_message(value)) from None
        except MultipleObjectsReturned:
            raise ValueError(
                gettext("Có nhiều %(model)s cùng %(field)s “%(value)s”; dùng mã để phân biệt.")
                % {"model": self.model._meta.verbose_name, "field": self._field_label(), "value": value}
            ) from None

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


class LookupManyToManyWidget(widgets.ManyToManyWidget):
    """Several related rows in one cell, separated by `separator`, each by a human key. Unlike the
    stock widget, a value that matches nothing is an error instead of being dropped silently."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return self.model.objects.none()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        keys = [key.strip() for key in str(value).split(self.separator) if key.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": keys})
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


class PortalResource(resources.ModelResource):
    """Base of every resource: full_clean on each row, Vietnamese messages keyed by column."""

    class Meta:
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        use_transactions = True

    def get_instance(self, instance_loader, row):
        # A key cell that cannot be read (unknown code …) makes the row a new instance here;
        # import_instance() then reports the same cell as a validation error of that column.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ValidationError):
            return None

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
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


def choices_of(model: type[models.Model], field_name: str) -> list[tuple[str, str]]:
    return list(model._meta.get_field(field_name).choices or [])


# ---------------------------------------------------------------------------------------------
# Admin
# ---------------------------------------------------------------------------------------------


class _KnownLabelsMixin:
    """An admin autocomplete widget that labels the chosen option(s) from `labels` (pk → label),
    filled once per page by the inline (see use_known_labels()), instead of one query per row.
    Falls back to the stock lookup for any value not in `labels`."""

    labels: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.labels is None or any(v not in self.labels for v in chosen):
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        for v in chosen if self.allow_multiple_selected else chosen[:1]:
            default[1].append(self.create_option(name, v, self.labels[v], True, len(default[1])))
        return [default]


class KnownLabelsAutocompleteSelect(_KnownLabelsMixin, AutocompleteSelect):
    pass


class KnownLabelsAutocompleteSelectMultiple(_KnownLabelsMixin, AutocompleteSelectMultiple):
    pass


def use_known_labels(formset_class, field_name: str, labels: dict) -> None:
    """Give the formset's `field_name` autocomplete widget its labels. The forms' deep copies of
    the widget share the dict (Widget.__deepcopy__ copies shallowly)."""
    widget = formset_class.form.base_fields[field_name].widget
    widget = getattr(widget, "widget", widget)  # inside RelatedFieldWidgetWrapper
    if isinstance(widget, _KnownLabelsMixin):
        widget.labels = {str(pk): str(label) for pk, label in labels.items()}


def titled_filter(filter_class: type[admin.FieldListFilter], title) -> type[admin.FieldListFilter]:
    """A field filter with its own title, for a field across a relation: ("issuer__kind",
    titled_filter(admin.ChoicesFieldListFilter, _("loại cơ quan ban hành"))) instead of "loại đơn vị"."""

    class TitledFilter(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledFilter


def labelled_choices_filter(field_name: str, title, labels: dict[str, str]) -> type[admin.SimpleListFilter]:
    """A filter on a derived code field whose stored values are English codes ("unparsed"):
    shown with Vietnamese labels."""

    class LabelledChoicesFilter(admin.SimpleListFilter):
        parameter_name = field_name

        def lookups(self, request, model_admin):
            return list(labels.items())

        def queryset(self, request, queryset):
            if self.value() is None:
                return queryset
            return queryset.filter(**{field_name: self.value()})

    LabelledChoicesFilter.title = title
    return LabelledChoicesFilter


class VNImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = _("Tệp cần nhập")
        self.fields["import_file"].help_text = _(
            "Dòng đầu tiên là tiêu đề cột, đúng như tệp xuất ra. Tệp có một dòng lỗi sẽ không được nhập dòng nào."
        )
        self.fields["format"].label = _("Định dạng")
        self.fields["format"].initial = "0"  # XLSX, the first of ImportExportAdmin.import_formats
        self.fields["resource"].label = _("Loại dữ liệu")


class VNExportForm(SelectableFieldsExportForm):
    def _get_field_label(self, resource, field_name: str) -> str:
        # The stock label is "Amount (Kinh phí (triệu đồng))"; staff only need the header.
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].label = _("Định dạng")
        self.fields["format"].initial = "0"  # XLSX
        self.fields["resource"].label = _("Loại dữ liệu")


class ImportExportAdmin(ImportExportModelAdmin):
    """ModelAdmin with "Nhập từ tệp" / "Xuất ra tệp", XLSX and CSV only.

    Import needs the add and change permissions of the model; export needs the view permission.
    """

    import_formats = [XLSX, CSV]
    export_formats = [XLSX, CSV]
    import_form_class = VNImportForm
    export_form_class = VNExportForm
    import_template_name = "admin/portal/import.html"
    export_template_name = "admin/portal/export.html"
    import_error_display = ("message",)
    #: Shown above the import form: how this model's key columns are written.
    import_help = ""

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["import_help"] = self.import_help
        return context

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # The dry run already refuses a file with invalid rows; if the data changed between the
        # preview and the confirmation, the confirm step must not save half a file either.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The confirmation found what the preview did not (the data changed in between).
            # import_data() has rolled the whole file back: say why instead of "imported".
            context = self.admin_site.each_context(request)
            resources = self.get_import_resource_classes(request)
            context.update(
                {
                    "title": gettext("Nhập từ tệp"),
                    "opts": self.model._meta,
                    "result": result,
                    "form": self.get_import_form_class(request)(self.get_import_formats(), resources),
                    "fields_list": [
                        (r.get_display_name(), [f.column_name for f in r().get_user_visible_fields()])
                        for r in resources
                    ],
                    "import_error_display": self.import_error_display,
                    "import_help": self.import_help,
                }
            )
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            gettext("Đã nhập xong %(model)s: %(new)d dòng mới, %(updated)d dòng cập nhật, %(skipped)d dòng bỏ qua.")
            % {
                "model": self.model._meta.verbose_name_plural,
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

    def get_export_filename(self, request, queryset, file_format):
        date_str = timezone.localdate().strftime("%Y-%m-%d")
        return f"{self.model._meta.model_name}-{date_str}.{file_format.get_extension()}"
