"""Tasks a plan assigns: who leads, who coordinates, by when or how often, and how far along."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from organisations.models import OrgUnit
from plans.models import Plan

from . import timing as t

TIMING_KIND_LABELS = {
    t.TimingKind.DEADLINE.value: _("Có thời hạn"),
    t.TimingKind.RECURRENCE.value: _("Định kỳ"),
    t.TimingKind.ONGOING.value: _("Thường xuyên"),
    t.TimingKind.TEXT.value: _("Không đọc được"),
    t.TimingKind.EMPTY.value: _("Để trống"),
}
RECURRENCE_LABELS = {
    t.Recurrence.YEARLY.value: _("Hằng năm"),
    t.Recurrence.EVERY_N_YEARS.value: _("Vài năm một lần"),
    t.Recurrence.HALF_YEARLY.value: _("6 tháng một lần"),
    t.Recurrence.QUARTERLY.value: _("Hằng quý"),
}


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa triển khai")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")
        CANCELLED = "cancelled", _("Dừng thực hiện")

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks")
    row_number = models.CharField(_("STT"), max_length=12, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    content = models.TextField(_("nội dung công việc"))
    lead_wording = models.CharField(
        _("cơ quan chủ trì (nguyên văn)"), max_length=300, blank=True, help_text=_("Như văn bản ghi.")
    )
    coordinators_wording = models.CharField(_("cơ quan phối hợp (nguyên văn)"), max_length=300, blank=True)
    timing_wording = models.CharField(
        _("thời gian (nguyên văn)"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: “Tháng 10 năm 2024”, “Hàng năm”, “Tháng 6 hàng năm”, “2 năm 1 lần”."),
    )
    # Derived from timing_wording on save (assignments.timing), never typed by hand.
    timing_kind = models.CharField(
        _("dạng thời hạn"), max_length=12, choices=list(TIMING_KIND_LABELS.items()), editable=False
    )
    starts_on = models.DateField(_("bắt đầu"), null=True, editable=False)
    due_on = models.DateField(_("hạn hoàn thành"), null=True, editable=False)
    recurrence = models.CharField(
        _("lặp lại"), max_length=16, blank=True, choices=list(RECURRENCE_LABELS.items()), editable=False
    )
    interval_years = models.PositiveSmallIntegerField(null=True, editable=False)
    recurrence_month = models.PositiveSmallIntegerField(null=True, editable=False)
    recurrence_day = models.PositiveSmallIntegerField(null=True, editable=False)
    timing_flag_reason = models.CharField(_("cảnh báo thời hạn"), max_length=255, blank=True, editable=False)
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = pgettext_lazy("plural", "nhiệm vụ")

    def __str__(self) -> str:
        return self.content[:120]

    def apply_timing(self) -> None:
        parsed = t.parse_timing(self.timing_wording or "")
        self.timing_wording = parsed.wording
        self.timing_kind = parsed.kind.value
        self.starts_on, self.due_on = parsed.starts_on, parsed.due_on
        self.recurrence = parsed.recurrence.value if parsed.recurrence else ""
        self.interval_years = parsed.interval_years
        self.recurrence_month, self.recurrence_day = parsed.month, parsed.day
        self.timing_flag_reason = parsed.flag_reason[:255] if parsed.flagged else ""

    def save(self, *args, **kwargs) -> None:
        self.apply_timing()
        if kwargs.get("update_fields") is not None and "timing_wording" in kwargs["update_fields"]:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | TIMING_FIELDS
        super().save(*args, **kwargs)

    @property
    def parsed_timing(self) -> t.ParsedTiming:
        return t.parse_timing(self.timing_wording or "")

    @property
    def timing_display(self) -> str:
        return t.format_timing(self.parsed_timing)


TIMING_FIELDS = {
    "timing_kind",
    "starts_on",
    "due_on",
    "recurrence",
    "interval_years",
    "recurrence_month",
    "recurrence_day",
    "timing_flag_reason",
}


class TaskParticipant(models.Model):
    """A lead or coordinating body: a unit of the tree when it is one, otherwise free text
    ("các cấp ủy, Đảng", "các đoàn thể") exactly as the document names it."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        COORDINATOR = "coordinator", _("Phối hợp")

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_participations",
    )
    name = models.CharField(_("tên (nếu không có trong danh mục đơn vị)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["task", "role", "order", "pk"]
        verbose_name = _("cơ quan tham gia")
        verbose_name_plural = _("cơ quan chủ trì, phối hợp")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(unit__isnull=True, name=""), name="taskparticipant_unit_or_name"
            ),
        ]

    def __str__(self) -> str:
        return self.unit.name if self.unit_id else self.name

    def clean(self) -> None:
        if not self.unit_id and not self.name.strip():
            raise ValidationError(_("Chọn một đơn vị hoặc ghi tên cơ quan."))


class ProgressNote(models.Model):
    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="progress_notes")
    noted_on = models.DateField(_("ngày"))
    text = models.TextField(_("tiến độ, kết quả"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        ordering = ["task", "-noted_on", "-pk"]
        verbose_name = _("ghi nhận tiến độ")
        verbose_name_plural = pgettext_lazy("plural", "ghi nhận tiến độ")

    def __str__(self) -> str:
        return f"{self.noted_on:%d/%m/%Y}: {self.text[:60]}"
