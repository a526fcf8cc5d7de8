"""Shared admin and import/export bits: the XLSX/CSV admin base, the base resource and the widgets
that read cells the way Vietnamese spreadsheets write them; the scope of every admin screen
(ScopedAdminMixin, ScopedInlineMixin: hooks each app's admin fills in), the history pages
(PortalHistoryAdmin) and the reload-on-conflict of versioned forms (EditConflictMixin).
Imports no app (STYLE.md §2): apps pass their rules in through the hooks and callables.

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

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.fields import NOT_PROVIDED
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from .admin_bounds import BoundedInputAdminMixin
from .concurrency import EditConflict, history_value, user_label
from .exports import InertCSV, InertXLSX
from .uploads import check_import_file

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

    def clean_import_file(self):
        uploaded = self.cleaned_data["import_file"]
        check_import_file(uploaded)  # before the library parses it (portal/uploads.py)
        return uploaded


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

    # Cells beginning with = + - @ tab or CR get a leading apostrophe (portal.exports.inert).
    import_formats = [InertXLSX, InertCSV]
    export_formats = [InertXLSX, InertCSV]
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

    def get_resource_kwargs(self, request, *args, **kwargs):
        kwargs = super().get_resource_kwargs(request, *args, **kwargs)
        kwargs["scope_check"] = self.import_scope_check(request)
        kwargs["before_save"] = self.import_before_save(request)
        kwargs["after_save"] = self.import_after_save(request)
        return kwargs

    def import_scope_check(self, request):
        """PortalResource's scope_check for this person, or None (everyone may import every row:
        the superuser, the shared catalogues). Scoped admins override it."""
        return None

    def import_before_save(self, request):
        return None

    def import_after_save(self, request):
        return None

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


# ---------------------------------------------------------------------------------------------
# Scope: which rows a person sees and changes in the admin (issue 3 §2)
# ---------------------------------------------------------------------------------------------


def is_autocomplete_request(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "autocomplete")


def scoped_choices(request, db_field, allowed, *, base=None, current=None):
    """The queryset of a foreign key's form field for this person: `allowed` (the rows they may
    use), plus `current` (the pk the edited row holds now, so that a row whose current choice lies
    outside their units can still be saved unchanged). `base` keeps the caller's select_related.
    Superusers get `base` (or everything)."""
    model = db_field.related_model
    base = base if base is not None else model._default_manager.all()
    if request.user.is_superuser:
        return base
    condition = Q(pk__in=allowed.values("pk"))
    if current is not None:
        condition |= Q(pk=current)
    return base.filter(condition)


# A document's paragraph, a note, a task's content: long, but not a million characters. The
# models' TextFields have no limit of their own; every admin form gets this one (Django's message
# names the limit, in Vietnamese), so a pasted megabyte is refused instead of stored.
TEXT_FIELD_MAX_LENGTH = 20_000


def _bounded_text(formfield, db_field):
    if formfield is not None and isinstance(db_field, models.TextField) and not formfield.max_length:
        formfield.max_length = TEXT_FIELD_MAX_LENGTH
        formfield.validators.append(MaxLengthValidator(TEXT_FIELD_MAX_LENGTH))
        formfield.widget.attrs.setdefault("maxlength", str(TEXT_FIELD_MAX_LENGTH))
    return formfield


class ScopedAdminMixin(BoundedInputAdminMixin):
    """Scopes a ModelAdmin to the person, on the object and not only in the menu.

    Each app's admin fills in the hooks (this module imports no app):
    - user_may_use_admin(user): the role that may use the screen at all (office staff);
    - scope_queryset(request, queryset): the rows this person may see;
    - scope_can_change(request, obj): whether they may change and delete this visible row.
    Superusers skip all of it. What follows, from the stock admin:
    - a row outside the scope is not in get_queryset(): its change, delete and history pages
      redirect to the admin index with "… không tồn tại. Có lẽ nó đã bị xóa?" (the admin's own
      answer for a missing object: nothing about the row leaks) and a POST there changes nothing;
    - a visible row the person may not change opens read-only; a POST to it is 403
      (changeform_view and delete_view ask has_change/has_delete_permission(obj));
    - "xóa các mục đã chọn" asks has_delete_permission(obj) of every row it would delete;
    - exports start from get_queryset(): a file holds only the person's rows;
    - autocomplete answers (/quan-tri/autocomplete/) are cut to the choices of the asking field;
    - ImportExportAdmin.import_scope_check() refuses rows outside the person's units.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _bounded_text(super().formfield_for_dbfield(db_field, request, **kwargs), db_field)

    #: Model-level permission from the role (user_may_use_admin) instead of Django's model
    #: permissions: for apps the office staff group does not list (results).
    permissions_by_role = False
    #: Nobody changes these rows here, superusers included: they are written by services on the
    #: app's own pages (a submission's workflow), the admin only shows them and their history.
    read_only = False

    def user_may_use_admin(self, user) -> bool:
        return True

    def scope_queryset(self, request, queryset):
        return queryset

    def scope_can_change(self, request, obj) -> bool:
        return True

    def _may_use(self, request) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        return bool(user.is_active and user.is_staff and self.user_may_use_admin(user))

    def _by_role(self, request) -> bool:
        return self.permissions_by_role and not request.user.is_superuser

    def get_queryset(self, request):
        return self.restrict(request, super().get_queryset(request))

    def restrict(self, request, queryset):
        """queryset cut to this person's rows: an admin whose get_queryset() does not call
        super() (PlanAdmin starts from a selector) passes its queryset through this."""
        if request.user.is_superuser:
            return queryset
        if not self._may_use(request):
            return queryset.none()
        return self.scope_queryset(request, queryset)

    def has_module_permission(self, request):
        if not self._may_use(request):
            return False
        return self._by_role(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        # No scope test on obj: every view reaches its object through get_queryset() (history
        # views included, see PortalHistoryAdmin).
        if not self._may_use(request):
            return False
        return self._by_role(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        if self.read_only or not self._may_use(request):
            return False
        return self._by_role(request) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if self.read_only or not self._may_use(request):
            return False
        if not (self._by_role(request) or super().has_change_permission(request, obj)):
            return False
        return obj is None or request.user.is_superuser or self.scope_can_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.read_only or not self._may_use(request):
            return False
        if not (self._by_role(request) or super().has_delete_permission(request, obj)):
            return False
        return obj is None or request.user.is_superuser or self.scope_can_change(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._scoped_admin_obj = obj  # for current_choice()
        return super().get_form(request, obj, change=change, **kwargs)

    @staticmethod
    def current_choice(request, db_field):
        """The pk the object on this change page holds in db_field (None on add pages)."""
        obj = getattr(request, "_scoped_admin_obj", None)
        return getattr(obj, db_field.attname, None) if obj is not None else None

    def scoped_choices(self, request, db_field, allowed, *, base=None):
        return scoped_choices(request, db_field, allowed, base=base, current=self.current_choice(request, db_field))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not request.user.is_superuser and is_autocomplete_request(request):
            choices = self._autocomplete_choices(request)
            if choices is not None:
                queryset = queryset.filter(pk__in=choices.values("pk"))
        return queryset, may_have_duplicates

    def _autocomplete_choices(self, request):
        """What the asking form field offers this person: its own admin's formfield_for_*()."""
        try:
            source_model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
            field = source_model._meta.get_field(request.GET["field_name"])
        except (KeyError, LookupError, ValueError, FieldDoesNotExist):
            return None  # AutocompleteJsonView itself answers 403 to these
        source_admin = self.admin_site._registry.get(source_model)
        if source_admin is None:
            return None
        if field.many_to_many:
            formfield = source_admin.formfield_for_manytomany(field, request)
        elif field.many_to_one or field.one_to_one:
            formfield = source_admin.formfield_for_foreignkey(field, request)
        else:
            return None
        return getattr(formfield, "queryset", None)


class ScopedInlineMixin(BoundedInputAdminMixin):
    """An inline may be edited only where its parent row may be: the inline model's own permission
    knows nothing of the parent's scope (a commune officer reading the district's plan)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _bounded_text(super().formfield_for_dbfield(db_field, request, **kwargs), db_field)

    def _parent_allows(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        parent_admin = self.admin_site._registry.get(self.parent_model)
        return parent_admin is None or parent_admin.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_allows(request, obj)


class EditConflictMixin:
    """A form checks the version it was loaded with (a clear error next to the form); the save bumps
    it in the same transaction. If someone saved in between those two moments, the save raises
    EditConflict: the admin's transaction is rolled back and the same page is shown again with
    what the person typed and the conflict as the form's error, once (nothing is saved)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            if getattr(request, "_edit_conflict", None) is not None:  # refused again: give up safely
                self.message_user(request, " ".join(conflict.messages), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            request._edit_conflict = conflict
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        conflict = getattr(request, "_edit_conflict", None)
        if conflict is None:
            return form_class

        class RefusedForm(form_class):
            """The page as typed, refused with the conflict: the admin re-renders it unsaved."""

            def clean(self):
                cleaned = super().clean()
                self.add_error(None, conflict.messages)
                return cleaned

        return RefusedForm


# ---------------------------------------------------------------------------------------------
# History (django-simple-history): who, when, old value → new value, on every object's page
# ---------------------------------------------------------------------------------------------


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
