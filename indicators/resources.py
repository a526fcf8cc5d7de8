"""Import/export columns of the indicator catalogue.

An indicator is identified by its code (`mã chỉ số`, e.g. "mn-ty-le-huy-dong-tre"); a row with an
empty code is a new indicator and gets its code from its name and level on save. The school level
is written as its code (PRESCHOOL, PRIMARY …), as in organisations.resources.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organisations.models import SchoolLevel
from portal.import_resources import PortalResource
from portal.import_widgets import ChoicesWidget, LookupForeignKeyWidget, VNBooleanWidget, choices_of, column

from .models import Indicator


class IndicatorResource(PortalResource):
    code = column("code", _("Mã chỉ số"))
    name = column("name", _("Tên chỉ số"))
    level = column("level", _("Cấp học (mã)"), LookupForeignKeyWidget(SchoolLevel, field="code"))
    unit = column("unit", _("Đơn vị tính"), ChoicesWidget(choices_of(Indicator, "unit")))
    noun = column("noun", _("Đối tượng đếm"))
    numerator_label = column("numerator_label", _("Tử số"))
    denominator_label = column("denominator_label", _("Mẫu số"))
    stages = column("stages", _("Các mức/giai đoạn"))
    direction = column(
        "direction",
        _("Chiều tốt"),
        ChoicesWidget(choices_of(Indicator, "direction")),
        default=Indicator.Direction.HIGHER_IS_BETTER,
    )
    aggregation = column(
        "aggregation",
        _("Cách tổng hợp"),
        ChoicesWidget(choices_of(Indicator, "aggregation")),
        default=Indicator.Aggregation.SUM,
    )
    description = column("description", _("Mô tả"))
    is_active = column("is_active", _("Đang dùng"), VNBooleanWidget(), default=True)

    class Meta:
        model = Indicator
        name = _("Chỉ số")
        fields = (
            "code",
            "name",
            "level",
            "unit",
            "noun",
            "numerator_label",
            "denominator_label",
            "stages",
            "direction",
            "aggregation",
            "description",
            "is_active",
        )
        import_id_fields = ["code"]
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("level")
