"""The indicator catalogue and the stored form of a value as a document wrote it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from organisations.models import OrgUnit, SchoolLevel

from . import wording as w


class Indicator(models.Model):
    """What is measured, independent of any plan: "Tỷ lệ huy động trẻ trong độ tuổi" for Mầm non."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("Tỷ lệ (%)")
        COUNT = "count", _("Số lượng")
        RATIO = "ratio", _("Tỷ lệ tử số/mẫu số")
        STAGE = "stage", _("Mức độ/giai đoạn")
        BOOLEAN = "boolean", _("Đạt/Không đạt")
        SCORE = "score", _("Điểm trung bình")

    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", _("Càng cao càng tốt")
        LOWER_IS_BETTER = "lower", _("Càng thấp càng tốt")
        WITHIN_RANGE = "range", _("Trong khoảng")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Cộng tổng")
        RATIO_OF_SUMS = "ratio_of_sums", _("Tổng tử số / tổng mẫu số")
        SHARE_OF_SCHOOLS = "share_of_schools", _("Số trường đạt / tỷ lệ trường đạt")
        WEIGHTED_MEAN = "weighted_mean", _("Trung bình theo số học sinh")
        NONE = "none", _("Số liệu của đơn vị (không tổng hợp từ trường)")

    code = models.SlugField(_("mã chỉ số"), max_length=120, unique=True, blank=True)
    name = models.CharField(_("tên chỉ số"), max_length=300)
    level = models.ForeignKey(
        SchoolLevel,
        verbose_name=_("cấp học"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("Để trống nếu chỉ số chung cho nhiều cấp học."),
    )
    # A cross-level indicator (level empty) is asked of every school teaching one of these levels;
    # none chosen means all levels. results.questions and results.rollups read it.
    levels = models.ManyToManyField(
        SchoolLevel,
        verbose_name=_("các cấp học áp dụng"),
        blank=True,
        related_name="cross_level_indicators",
        help_text=_("Chỉ với chỉ số chung nhiều cấp: các cấp học cùng báo cáo. Để trống là mọi cấp học."),
    )
    unit = models.CharField(_("đơn vị tính"), max_length=16, choices=Unit.choices)
    noun = models.CharField(_("đối tượng đếm"), max_length=60, blank=True, help_text=_("Ví dụ: trường, phòng, người."))
    numerator_label = models.CharField(_("tử số"), max_length=200, blank=True)
    denominator_label = models.CharField(_("mẫu số"), max_length=200, blank=True)
    stages = models.TextField(
        _("các mức/giai đoạn"), blank=True, help_text=_("Mỗi dòng một mức, theo thứ tự từ thấp đến cao.")
    )
    direction = models.CharField(
        _("chiều tốt"), max_length=8, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=20, choices=Aggregation.choices, default=Aggregation.SUM
    )
    description = models.TextField(_("mô tả"), blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    # Who added it to the shared catalogue (the office's unit); indicators.permissions decides who
    # may change it from the plans that use it, not from this.
    created_by_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị thêm chỉ số"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["level__order", "name"]
        verbose_name = _("chỉ số")
        verbose_name_plural = _("danh mục chỉ số")
        constraints = [
            models.UniqueConstraint(fields=["name", "level"], name="indicator_name_level_unique"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(level__isnull=True), name="indicator_name_unique_without_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.level.short_name})" if self.level_id else self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.unit in (self.Unit.RATIO, self.Unit.PERCENT) and self.aggregation == self.Aggregation.SUM:
            raise ValidationError({"aggregation": _("Tỷ lệ không thể cộng tổng; chọn “Tổng tử số / tổng mẫu số”.")})
        if self.aggregation == self.Aggregation.WEIGHTED_MEAN and self.unit != self.Unit.SCORE:
            raise ValidationError({"aggregation": _("Chỉ điểm trung bình mới tính trung bình theo số học sinh.")})
        if self.unit == self.Unit.SCORE and self.aggregation not in (
            self.Aggregation.WEIGHTED_MEAN,
            self.Aggregation.NONE,
        ):
            raise ValidationError({"aggregation": _("Điểm trung bình tổng hợp theo số học sinh, không cộng tổng.")})

    def save(self, *args, **kwargs) -> None:
        if not self.code:
            self.code = indicator_code(self.name, self.level.code if self.level_id else "")
        super().save(*args, **kwargs)

    @property
    def stage_list(self) -> list[str]:
        return [line.strip() for line in self.stages.splitlines() if line.strip()]


def indicator_code(name: str, level_code: str) -> str:
    """A stable, readable code for import files: level prefix + slug of the name."""
    prefix = {
        "PRESCHOOL": "mn",
        "PRIMARY": "th",
        "LOWER_SECONDARY": "thcs",
        "UPPER_SECONDARY": "thpt",
        "VOCATIONAL_CONTINUING": "gdnn",
    }.get(level_code, "chung")
    return f"{prefix}-{slugify(name.replace('đ', 'd').replace('Đ', 'D'))}"[:120]


# Vietnamese labels for the codes indicators.wording produces (stored in the DB as codes).
VALUE_KIND_LABELS = {
    w.ValueKind.PERCENT.value: _("Tỷ lệ %"),
    w.ValueKind.COUNT.value: _("Số lượng"),
    w.ValueKind.RATIO.value: _("Tử số/mẫu số"),
    w.ValueKind.STAGE.value: _("Mức/giai đoạn"),
    w.ValueKind.BOOLEAN.value: _("Đạt/không đạt"),
    w.ValueKind.RANK.value: _("Thứ hạng"),
    w.ValueKind.SCORE.value: _("Điểm"),
    w.ValueKind.TEXT.value: _("Chữ (không đọc được)"),
    w.ValueKind.EMPTY.value: _("Ô trống"),
}
COMPARATOR_LABELS = {
    w.Comparator.GTE.value: "≥",
    w.Comparator.GT.value: ">",
    w.Comparator.LTE.value: "≤",
    w.Comparator.LT.value: "<",
    w.Comparator.EQ.value: "=",
    w.Comparator.BETWEEN.value: _("trong khoảng"),
}
FLAG_LABELS = {
    w.Flag.AMBIGUOUS.value: _("Cần xác nhận cách hiểu"),
    w.Flag.INCONSISTENT.value: _("Số liệu không khớp"),
    w.Flag.UNPARSED.value: _("Không đọc được"),
}


class ParsedValueFields(models.Model):
    """A value as the document wrote it, plus what indicators.wording read from it.

    `wording` is the source of truth; every other field is derived from it on save,
    so the two can never disagree. A wording that cannot be read is kept and flagged.
    """

    wording = models.CharField(_("nguyên văn"), max_length=255, blank=True)
    value_kind = models.CharField(
        _("dạng giá trị"), max_length=10, choices=list(VALUE_KIND_LABELS.items()), editable=False
    )
    comparator = models.CharField(
        _("so sánh"),
        max_length=8,
        blank=True,
        choices=list(COMPARATOR_LABELS.items()),
        editable=False,
    )
    value = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=4, null=True, editable=False)
    value_high = models.DecimalField(_("giá trị cận trên"), max_digits=18, decimal_places=4, null=True, editable=False)
    numerator = models.PositiveIntegerField(_("tử số"), null=True, editable=False)
    denominator = models.PositiveIntegerField(_("mẫu số"), null=True, editable=False)
    noun = models.CharField(_("đối tượng"), max_length=60, blank=True, editable=False)
    stage = models.CharField(_("mức/giai đoạn"), max_length=120, blank=True, editable=False)
    stage_number = models.PositiveSmallIntegerField(null=True, editable=False)
    boolean = models.BooleanField(null=True, editable=False)
    flag = models.CharField(
        _("cảnh báo"), max_length=12, blank=True, choices=[("", _("Không")), *FLAG_LABELS.items()], editable=False
    )
    flag_reason = models.CharField(_("lý do cảnh báo"), max_length=255, blank=True, editable=False)
    # "khoảng 80%": the document gives the value as approximate; "Duy trì 100%": keep at the value.
    approximate = models.BooleanField(_("giá trị ước chừng"), default=False, editable=False)
    kept = models.BooleanField(_("duy trì mức"), default=False, editable=False)

    class Meta:
        abstract = True

    def apply_wording(self) -> None:
        parsed = w.parse_value(self.wording or "")
        self.wording = parsed.wording
        self.value_kind = parsed.kind.value
        self.comparator = parsed.comparator.value if parsed.comparator else ""
        self.value = parsed.value
        self.value_high = parsed.value_high
        self.numerator = parsed.numerator
        self.denominator = parsed.denominator
        self.noun = parsed.noun[:60]
        self.stage = parsed.stage[:120]
        self.stage_number = parsed.stage_number
        self.boolean = parsed.boolean
        self.flag = parsed.flag.value
        self.flag_reason = parsed.flag_reason[:255]
        self.approximate = parsed.approximate
        self.kept = parsed.kept

    def save(self, *args, **kwargs) -> None:
        self.apply_wording()
        if kwargs.get("update_fields") is not None and "wording" in kwargs["update_fields"]:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | PARSED_FIELDS
        super().save(*args, **kwargs)

    @property
    def parsed(self) -> w.ParsedValue:
        return w.parse_value(self.wording or "")

    @property
    def display(self) -> str:
        """Canonical Vietnamese display ("≥ 99,9 %"); the wording itself when it could not be read."""
        return w.format_value(self.parsed)

    @property
    def is_flagged(self) -> bool:
        return bool(self.flag)


PARSED_FIELDS = {
    "value_kind",
    "comparator",
    "value",
    "value_high",
    "numerator",
    "denominator",
    "noun",
    "stage",
    "stage_number",
    "boolean",
    "flag",
    "flag_reason",
    "approximate",
    "kept",
}
