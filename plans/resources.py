"""Import/export columns of plan contents: targets, their values, budget lines, funding sources.

Keys: a plan by its ID (shown in the admin list and address bar), an indicator by its code, a
target by its ID, a funding source by its name. A row is matched to an existing one by:
target → ID; target value → (target, loại, năm); budget line → (plan, STT); funding source → name.
The parsed parts of a value (dạng, so sánh, giá trị …) are export-only: they are derived from
the wording on save (indicators.models.ParsedValueFields).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import widgets

from indicators.models import Indicator
from indicators.wording import format_decimal_vi
from portal.import_resources import PortalResource
from portal.import_widgets import (
    ChoicesWidget,
    LookupForeignKeyWidget,
    LookupManyToManyWidget,
    VNIntegerWidget,
    choices_of,
    column,
)

from .models import BudgetLine, FundingSource, Plan, Target, TargetValue
from .services import amount_from_wording

# Funding source names contain commas ("Ngân sách huyện, xã"), so a cell lists them with ";".
FUNDING_SEPARATOR = ";"


class AmountWidget(widgets.Widget):
    """Million VND. A number cell is taken as it is; a text cell is read the Vietnamese way
    ("344.050" = 344050, "2,5" = 2.5) by plans.services.amount_from_wording. Exported as a number
    in XLSX and Vietnamese-formatted text in CSV, both of which read back unchanged."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise ValueError(gettext("Không đọc được số tiền “%(value)s”.") % {"value": value})
        if isinstance(value, int | float | Decimal):
            return Decimal(str(value))
        return amount_from_wording(str(value))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else format_decimal_vi(Decimal(value))


class ParsedNumberWidget(AmountWidget):
    """Export-only decimals of a parsed value (35, 27,2)."""


class FundingSourceResource(PortalResource):
    name = column("name", _("Tên nguồn"))

    class Meta:
        model = FundingSource
        name = _("Nguồn kinh phí")
        fields = ("name",)
        import_id_fields = ["name"]
        clean_model_instances = True


class TargetResource(PortalResource):
    id = column("id", "ID", VNIntegerWidget())
    plan = column("plan", _("Kế hoạch (ID)"), LookupForeignKeyWidget(Plan, field="pk"))
    section = column("section", _("Mục"))
    row_number = column("row_number", _("STT"))
    indicator = column("indicator", _("Mã chỉ số"), LookupForeignKeyWidget(Indicator, field="code"))
    indicator_name = column("indicator__name", _("Tên chỉ số (chỉ để đọc)"), readonly=True)
    wording = column("wording", _("Tên chỉ tiêu"))
    order = column("order", _("Thứ tự"), VNIntegerWidget(), default=0)
    note = column("note", _("Ghi chú"))

    class Meta:
        model = Target
        name = _("Chỉ tiêu")
        fields = ("id", "plan", "section", "row_number", "indicator", "indicator_name", "wording", "order", "note")
        import_id_fields = ["id"]
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("plan", "indicator")


class TargetValueResource(PortalResource):
    plan = column("target__plan_id", _("Kế hoạch (ID)"), VNIntegerWidget(), readonly=True)
    target = column("target", _("Chỉ tiêu (ID)"), LookupForeignKeyWidget(Target, field="pk"))
    target_wording = column("target__wording", _("Tên chỉ tiêu (chỉ để đọc)"), readonly=True)
    role = column("role", _("Loại"), ChoicesWidget(choices_of(TargetValue, "role")))
    year = column("year", _("Năm"), VNIntegerWidget())
    wording = column("wording", _("Nguyên văn"))
    # Export-only: derived from the wording on save.
    display = column("display", _("Cách hiểu"), readonly=True)
    value_kind = column("value_kind", _("Dạng giá trị"), readonly=True)
    comparator = column("comparator", _("So sánh"), readonly=True)
    value = column("value", _("Giá trị"), ParsedNumberWidget(), readonly=True)
    value_high = column("value_high", _("Giá trị cận trên"), ParsedNumberWidget(), readonly=True)
    numerator = column("numerator", _("Tử số"), VNIntegerWidget(), readonly=True)
    denominator = column("denominator", _("Mẫu số"), VNIntegerWidget(), readonly=True)
    noun = column("noun", _("Đối tượng"), readonly=True)
    stage = column("stage", _("Mức/giai đoạn"), readonly=True)
    flag = column("flag", _("Cảnh báo"), readonly=True)
    flag_reason = column("flag_reason", _("Lý do cảnh báo"), readonly=True)

    class Meta:
        model = TargetValue
        name = _("Giá trị chỉ tiêu")
        fields = (
            "plan",
            "target",
            "target_wording",
            "role",
            "year",
            "wording",
            "display",
            "value_kind",
            "comparator",
            "value",
            "value_high",
            "numerator",
            "denominator",
            "noun",
            "stage",
            "flag",
            "flag_reason",
        )
        import_id_fields = ["target", "role", "year"]
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("target")

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        # The plan column is a check that the target ID was not mistyped: both must agree.
        plan_header = self.fields["plan"].column_name
        if "target" not in errors and instance.target_id and plan_header in row:
            try:
                plan_id = VNIntegerWidget().clean(row[plan_header])
            except ValueError as e:
                errors["target"] = [ValidationError(str(e), code="invalid")]
            else:
                if plan_id is not None and plan_id != instance.target.plan_id:
                    errors["target"] = [
                        ValidationError(
                            gettext("Chỉ tiêu %(target)s không thuộc kế hoạch %(plan)s.")
                            % {"target": instance.target_id, "plan": plan_id},
                            code="invalid",
                        )
                    ]
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # Derive the parsed parts now so that the preview shows them (save() does it again).
        instance.apply_wording()


class BudgetLineResource(PortalResource):
    plan = column("plan", _("Kế hoạch (ID)"), LookupForeignKeyWidget(Plan, field="pk"))
    number = column("number", _("STT"))
    content = column("content", _("Nội dung"))
    amount = column("amount", _("Kinh phí (triệu đồng)"), AmountWidget())
    amount_wording = column("amount_wording", _("Kinh phí nguyên văn"))
    funding_sources = column(
        "funding_sources",
        _("Nguồn kinh phí (tên, cách nhau bởi ;)"),
        LookupManyToManyWidget(FundingSource, field="name", separator=FUNDING_SEPARATOR),
    )
    funding_wording = column("funding_wording", _("Nguồn kinh phí như văn bản"))
    note = column("note", _("Ghi chú"))
    order = column("order", _("Thứ tự"), VNIntegerWidget(), default=0)

    class Meta:
        model = BudgetLine
        name = _("Dòng kinh phí")
        fields = (
            "plan",
            "number",
            "content",
            "amount",
            "amount_wording",
            "funding_sources",
            "funding_wording",
            "note",
            "order",
        )
        import_id_fields = ["plan", "number"]
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("plan").prefetch_related("funding_sources")
