"""Yearly results: reporting periods a plan's office opens, each school's submission of values,
and the review that locks them. Every change is kept (django-simple-history)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from organisations.models import OrgUnit
from plans.models import Plan, Target


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

    @property
    def is_late(self) -> bool:
        """Submitted after the due date, or still not submitted once it has passed."""
        due = self.period.due_on
        if self.submitted_at:
            return timezone.localdate(self.submitted_at) > due
        return timezone.localdate() > due


class ResultValue(models.Model):
    """A school's value for one target in one period, in the shape its indicator needs."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="values"
    )
    target = models.ForeignKey(Target, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="results")
    number = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = models.PositiveIntegerField(_("tử số"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("mẫu số"), null=True, blank=True)
    stage = models.CharField(_("mức/giai đoạn"), max_length=120, blank=True)
    boolean = models.BooleanField(_("đạt"), null=True, blank=True, choices=[(True, _("Đạt")), (False, _("Không đạt"))])
    note = models.TextField(_("ghi chú, minh chứng"), blank=True)
    evidence = models.FileField(
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
        constraints = [models.UniqueConstraint(fields=["submission", "target"], name="resultvalue_one_per_target")]

    def __str__(self) -> str:
        return f"{self.target}: {self.display}"

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
        """The value as a percentage for a ratio (numerator/denominator), else the number."""
        if self.numerator is not None and self.denominator:
            return Decimal(self.numerator * 100) / Decimal(self.denominator)
        return self.number

    @property
    def display(self) -> str:
        from indicators.wording import format_decimal_vi

        if self.numerator is not None and self.denominator:
            return f"{self.numerator}/{self.denominator} ({format_decimal_vi(round(self.percent, 2))}\u00a0%)"
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
