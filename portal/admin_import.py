"""The XLSX/CSV admin base (ImportExportAdmin) and its Vietnamese import/export forms.
Every admin with import/export subclasses ImportExportAdmin; its rows go through a PortalResource
(portal/import_resources.py). Imports no app.
"""

from __future__ import annotations

from functools import partial
from itertools import islice

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import BINARY_FORMATS
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.results import RowResult
from import_export.signals import post_export

from .exports import InertCSV, InertXLSX, streamed_response
from .import_resources import PREVIEW_ROWS
from .uploads import check_import_file, xlsx_export_refusal


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
        context["preview_rows"] = PREVIEW_ROWS
        context["preview_slice"] = f":{PREVIEW_ROWS}"
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
                    "preview_rows": PREVIEW_ROWS,
                    "preview_slice": f":{PREVIEW_ROWS}",
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

    #: Rows read from the database at a time while an export is written.
    export_chunk_size = 2000

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """The stock export builds a tablib Dataset of every row, then the whole file, and pages
        through the queryset with OFFSET (48,389 units: about 2 minutes here). This one reads the
        rows in chunks (iterator(), the resource's select/prefetch once per chunk) and writes them
        straight out: CSV streamed, XLSX through a write-only workbook; cells inert either way."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource = self.choose_export_resource_class(export_form, request)(
            **self.get_export_resource_kwargs(request, export_form=export_form)
        )
        selected = self.get_export_resource_fields_from_form(export_form)
        fields = resource.get_export_fields(selected)
        header = resource.get_export_headers(selected_fields=selected)
        queryset = resource.filter_export(queryset)
        if isinstance(file_format, InertXLSX) and (refusal := xlsx_export_refusal(queryset.count())):
            messages.error(request, refusal)
            return HttpResponseRedirect(request.get_full_path())  # the export form again, as filtered
        # As the stock export decides it (InertXLSX is not in BINARY_FORMATS: cells as text).
        native = type(file_format) in BINARY_FORMATS

        # Each column's reader found once, not per cell (export_field() looks the field's name and
        # its dehydrate_ method up every time).
        names = {id(f): name for name, f in resource.fields.items()}
        readers = []
        for field in fields:
            method = field.get_dehydrate_method(names[id(field)])
            method = method if callable(method) else getattr(resource, method, None)
            readers.append(method or partial(field.export, force_native_type=native))

        def rows():
            objects = queryset.iterator(chunk_size=self.export_chunk_size)
            while chunk := list(islice(objects, self.export_chunk_size)):
                resource.export_chunk(chunk)
                for obj in chunk:
                    yield [read(obj) for read in readers]

        response = streamed_response(
            header=header,
            rows=rows(),
            fmt=file_format.get_extension(),
            filename=self.get_export_filename(request, queryset, file_format),
            title=str(self.model._meta.verbose_name_plural),
        )
        post_export.send(sender=None, model=self.model)
        return response

    def get_export_filename(self, request, queryset, file_format):
        date_str = timezone.localdate().strftime("%Y-%m-%d")
        return f"{self.model._meta.model_name}-{date_str}.{file_format.get_extension()}"
