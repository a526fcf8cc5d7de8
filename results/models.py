"""Yearly results: reporting periods a plan's office opens, each school's submission of values,
and the review that locks them. Every change is kept (django-simple-history)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from indicators.models import Indicator
from organisations.models import OrgUnit
from plans.models import Plan, Target


class EvidenceFile(FieldFile):
    """A school's evidence file whose `url` is the permission-checked download
    (results.views_files.evidence_download_view), never MEDIA_URL, which is not served: the admin's
    read-only report pages link to it within the viewer's scope (like plans.models.PlanDocumentFile)."""

    @property
    def url(self) -> str:
        self._require_file()
        return reverse("review:evidence", args=[self.instance.id])  # id: a past version's pk is its own


class EvidenceField(models.FileField):
    attr_class = EvidenceFile

    def deconstruct(self):
        # Stored exactly like a FileField: the migrations need not know of the class.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class ReportingPeriod(models.Model):
    class Kind(models.TextChoices):
        SCHOOL_YEAR = "school_year", _("Năm học")
        CALENDAR_YEAR = "calendar_year", _("Năm")
        HALF_YEAR = "half_year", _("6 tháng")
        QUARTER = "quarter", _("Quý")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chưa mở")
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã đóng")

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="periods")
    kind = models.CharField(_("loại kỳ"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("tên kỳ báo cáo"), max_length=100, help_text=_("Ví dụ: Năm học 2025-2026."))
    year = models.PositiveSmallIntegerField(
        _("năm so với chỉ tiêu"),
        validators=[MinValueValidator(1945), MaxValueValidator(2100)],
        help_text=_("Kết quả kỳ này được so với chỉ tiêu của năm này."),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    opens_on = models.DateField(_("mở nhận báo cáo từ ngày"))
    due_on = models.DateField(_("hạn nộp"))
    due_wording = models.CharField(
        _("hạn như văn bản ghi"), max_length=100, blank=True, help_text=_("Ví dụ: “trước ngày 05/12”.")
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-due_on"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "kỳ báo cáo")

    def __str__(self) -> str:
        return f"{self.label} – {self.plan.issuer.name}"

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            errors["due_on"] = _("Hạn nộp phải sau ngày mở nhận báo cáo.")
        if errors:
            raise ValidationError(errors)

    def is_overdue_on(self, day) -> bool:
        return day > self.due_on


class Submission(models.Model):
    """One school's report for one period. Its status moves only through results.services."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang nhập")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Trả lại để sửa")
        APPROVED = "approved", _("Đã duyệt")

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="submissions"
    )
    school = models.ForeignKey(OrgUnit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every write bumps it; a form that loaded an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("duyệt/trả lại lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt/trả lại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(_("ý kiến của phòng"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "school__path"]
        verbose_name = _("báo cáo của trường")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo của trường")
        constraints = [models.UniqueConstraint(fields=["period", "school"], name="submission_one_per_school")]

    def __str__(self) -> str:
        return f"{self.school} – {self.period.label}"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED)


class ResultValue(models.Model):
    """A school's value for one indicator in one year (a unit's own value, for unit-level facts),
    asked under one plan's target, in the shape results.questions says the school answers.

    One fact, many plans: (unit, indicator, year) is unique, so a commune plan and the province
    plan read the same figure and a school is never asked the same indicator twice in a year.
    `unit`, `indicator` and `year` repeat the submission's school and period year and the target's
    indicator (set on save) so that roll-ups and dashboards read facts without joining plans.
    """

    submission = models.ForeignKey(
        Submission, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="values"
    )
    target = models.ForeignKey(Target, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="results")
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT, related_name="facts", editable=False
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ số"), on_delete=models.PROTECT, related_name="facts", editable=False
    )
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)
    number = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = models.PositiveIntegerField(_("tử số"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("mẫu số"), null=True, blank=True)
    stage = models.CharField(_("mức/giai đoạn"), max_length=120, blank=True)
    boolean = models.BooleanField(_("đạt"), null=True, blank=True, choices=[(True, _("Đạt")), (False, _("Không đạt"))])
    note = models.TextField(_("ghi chú, minh chứng"), blank=True)
    evidence = EvidenceField(
        _("tệp minh chứng"),
        upload_to="results/evidence/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt"])],
    )
    confirmed_unusual = models.BooleanField(_("xác nhận giá trị khác nhiều năm trước"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submission", "target__order"]
        verbose_name = _("kết quả")
        verbose_name_plural = pgettext_lazy("plural", "kết quả")
        constraints = [
            models.UniqueConstraint(fields=["submission", "target"], name="resultvalue_one_per_target"),
            models.UniqueConstraint(
                fields=["unit", "indicator", "year"],
                name="resultvalue_one_fact_per_year",
                violation_error_message=_("Đơn vị đã báo cáo chỉ số này cho năm này trong một kỳ báo cáo khác."),
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="resultvalue_indicator_year")]

    def __str__(self) -> str:
        return f"{self.target}: {self.display}"

    def save(self, *args, **kwargs) -> None:
        self.fill_fact_keys()
        super().save(*args, **kwargs)

    def fill_fact_keys(self) -> None:
        """Copy the fact's keys from the submission and the target (they never disagree)."""
        self.unit_id = self.submission.school_id
        self.year = self.submission.period.year
        self.indicator_id = self.target.indicator_id

    @property
    def is_empty(self) -> bool:
        return (
            self.number is None
            and self.numerator is None
            and self.denominator is None
            and not self.stage
            and self.boolean is None
        )

    @property
    def percent(self):
        """The value as a percentage for a ratio (numerator/denominator), else the number.
        A score keeps its pupils in `denominator` with no numerator: it is its number."""
        if self.numerator is not None and self.denominator:
            return Decimal(self.numerator * 100) / Decimal(self.denominator)
        return self.number

    @property
    def display(self) -> str:
        from indicators.wording import format_decimal_vi

        if self.numerator is not None and self.denominator:
            return f"{self.numerator}/{self.denominator} ({format_decimal_vi(round(self.percent, 2))}\u00a0%)"
        if self.number is not None and self.denominator:  # a score and the pupils it is the mean of
            return str(_("%(score)s điểm (%(pupils)s học sinh)")) % {
                "score": format_decimal_vi(self.number.normalize()),
                "pupils": format_decimal_vi(Decimal(self.denominator)),
            }
        if self.number is not None:
            return format_decimal_vi(self.number.normalize())
        if self.stage:
            return self.stage
        if self.boolean is not None:
            return str(_("Đạt") if self.boolean else _("Không đạt"))
        return "—"


class SubmissionEvent(models.Model):
    """The workflow's own log: who submitted, returned (with the comment), approved or reopened."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Gửi báo cáo")
        RETURNED = "returned", _("Trả lại")
        APPROVED = "approved", _("Duyệt")
        REOPENED = "reopened", _("Mở lại báo cáo đã duyệt")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["submission", "at", "pk"]
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = pgettext_lazy("plural", "lịch sử xử lý")

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.at:%d/%m/%Y %H:%M}"


class IndicatorRollup(models.Model):
    """Approved facts of every school under `unit`, added up for one indicator and year.

    Kept current by results.rollups inside each approval, return and reopen (same transaction),
    rebuilt from scratch by `manage.py rollups_rebuild`; the two always agree (tested). What the
    sums mean depends on the indicator's aggregation (indicators.rollup.rollup_value):
    ratio of sums → numerator_sum / denominator_sum; sum → number_sum; share of schools →
    met_count of schools_count; weighted mean → weighted_sum / weight_sum.
    `level_code` "" is every level together; a cross-level indicator also gets a row per level
    (a school of several levels counts in each of its levels and once in the total).
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="rollups")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="rollups")
    year = models.PositiveSmallIntegerField()
    level_code = models.CharField(max_length=32, blank=True, default="")
    numerator_sum = models.BigIntegerField(default=0)
    denominator_sum = models.BigIntegerField(default=0)
    number_sum = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    weighted_sum = models.DecimalField(max_digits=28, decimal_places=4, default=0)
    weight_sum = models.BigIntegerField(default=0)
    met_count = models.IntegerField(default=0)
    reported_count = models.IntegerField(default=0)
    schools_count = models.IntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = pgettext_lazy("plural", "số liệu tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "year", "level_code"], name="rollup_unique_key"),
        ]
        indexes = [models.Index(fields=["indicator", "year", "level_code"], name="rollup_indicator_year")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.indicator} – {self.year} {self.level_code}"


class ReviewNote(models.Model):
    """The office's comment on one value of a report, written when it returns the report: the
    principal reads it beside that value, and it stays with the return event in the history."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="review_notes"
    )
    event = models.ForeignKey(
        SubmissionEvent, verbose_name=_("lần trả lại"), on_delete=models.CASCADE, related_name="notes"
    )
    target = models.ForeignKey(Target, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        ordering = ["event", "target__order", "target_id"]
        verbose_name = _("ý kiến về một giá trị")
        verbose_name_plural = pgettext_lazy("plural", "ý kiến về một giá trị")
        constraints = [models.UniqueConstraint(fields=["event", "target"], name="reviewnote_one_per_target")]

    def __str__(self) -> str:
        return f"{self.target}: {self.text[:60]}"
