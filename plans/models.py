"""A plan document held as data: its targets by level and milestone, and its budget lines."""

from __future__ import annotations

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

from indicators.models import Indicator, ParsedValueFields
from organisations.models import OrgUnit
from portal.terms import NO_NUMBER

YEAR_VALIDATORS = [MinValueValidator(1945), MaxValueValidator(2100)]


class PlanDocumentFile(FieldFile):
    """A plan's source document whose `url` is the permission-checked download
    (plans.views.source_document_view), never MEDIA_URL: MEDIA_ROOT is not served (evidence files
    live there too), so the admin's "Hiện tại" link, its read-only page and the site's templates
    all reach the file through the plan's scope."""

    @property
    def url(self) -> str:
        self._require_file()
        return reverse("plans:source_document", args=[self.instance.pk])


class PlanDocumentField(models.FileField):
    attr_class = PlanDocumentFile

    def deconstruct(self):
        # Stored exactly like a FileField: the migrations need not know of the class.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")
        SUPERSEDED = "superseded", _("Đã được thay thế")

    class BaselineLabel(models.TextChoices):
        """What the document calls its first value column ("Hiện trạng năm 2024", "Chỉ tiêu năm 2025")."""

        CURRENT = "current", _("Hiện trạng")
        TARGET = "target", _("Chỉ tiêu")
        ACHIEVED = "achieved", _("Thực hiện")

    number = models.CharField(
        _("số hiệu"), max_length=60, blank=True, help_text=_("Ví dụ: 141/KH-UBND. Để trống nếu dự thảo chưa có số.")
    )
    title = models.TextField(_("trích yếu"))
    issuer = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="plans"
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issue_date_wording = models.CharField(
        _("ngày tháng như văn bản ghi"), max_length=100, blank=True, help_text=_("Ví dụ: “ngày    tháng 11 năm 2024”.")
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    period_start_year = models.PositiveSmallIntegerField(_("giai đoạn từ năm"), validators=YEAR_VALIDATORS)
    period_end_year = models.PositiveSmallIntegerField(_("đến năm"), validators=YEAR_VALIDATORS)
    orientation_year = models.PositiveSmallIntegerField(
        _("định hướng đến năm"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    vision_year = models.PositiveSmallIntegerField(
        _("tầm nhìn đến năm"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    period_wording = models.CharField(_("giai đoạn như văn bản ghi"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Lấy từ văn bản căn cứ loại “Kế hoạch cấp trên” đã liên kết với một kế hoạch trên cổng."),
    )
    legal_basis = models.TextField(_("căn cứ"), blank=True, help_text=_("Các văn bản kế hoạch này thực hiện."))
    source_document = PlanDocumentField(
        _("văn bản gốc"),
        upload_to="plans/documents/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "doc", "docx", "odt", "txt"])],
    )
    general_objectives = models.TextField(_("mục tiêu tổng quát"), blank=True)
    specific_objectives = models.TextField(_("mục tiêu cụ thể"), blank=True)
    reporting_duty = models.TextField(_("chế độ báo cáo"), blank=True)
    budget_stated_total = models.DecimalField(
        _("tổng kinh phí văn bản ghi (triệu đồng)"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    budget_stated_total_wording = models.CharField(_("tổng kinh phí nguyên văn"), max_length=60, blank=True)
    baseline_label = models.CharField(
        _("văn bản gọi cột giá trị đầu là"),
        max_length=10,
        choices=BaselineLabel.choices,
        default=BaselineLabel.CURRENT,
        help_text=_("Như tiêu đề cột trong văn bản: “Hiện trạng năm 2024”, “Chỉ tiêu năm 2025”, “Thực hiện năm 2024”."),
    )
    # Milestone years the office added by hand ("Thêm năm"), besides the period's end, the
    # orientation year and the years that already have values (see milestone_years).
    extra_milestone_years = models.JSONField(_("năm có chỉ tiêu thêm"), default=list, blank=True, editable=False)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start_year", "title"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = pgettext_lazy("plural", "kế hoạch")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end_year__gte=models.F("period_start_year")), name="plan_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_label} – {self.issuer.name}: {self.title[:80]}"

    @property
    def number_label(self) -> str:
        """ "KH 45/KH-UBND", or the portal's one word for a plan without a number yet."""
        return _("KH %(number)s") % {"number": self.number or str(NO_NUMBER).lower()}

    def clean(self) -> None:
        errors = {}
        if self.period_start_year and self.period_end_year and self.period_end_year < self.period_start_year:
            errors["period_end_year"] = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
        if self.orientation_year and self.period_end_year and self.orientation_year < self.period_end_year:
            errors["orientation_year"] = _("Năm định hướng phải sau giai đoạn kế hoạch.")
        if self.vision_year and self.orientation_year and self.vision_year < self.orientation_year:
            errors["vision_year"] = _("Năm tầm nhìn phải sau năm định hướng.")
        if self.parent_id:
            seen, node = {self.pk}, self.parent
            while node is not None:
                if node.pk in seen:
                    errors["parent"] = _("Kế hoạch cấp trên tạo thành vòng lặp.")
                    break
                seen.add(node.pk)
                node = node.parent
        if self.issuer_id and self.issuer.kind == OrgUnit.Kind.AGENCY and not self.issuer.is_education_office:
            errors["issuer"] = _("Kế hoạch do UBND hoặc cơ quan quản lý giáo dục ban hành.")
        if errors:
            raise ValidationError(errors)

    @property
    def fixed_milestone_years(self) -> set[int]:
        """The years every plan has a column for: the period's end and the orientation year."""
        return {y for y in (self.period_end_year, self.orientation_year) if y}

    @property
    def milestone_year_range(self) -> tuple[int, int]:
        """The years a milestone may be set for: the period's first year to its last horizon."""
        last = max(y for y in (self.period_end_year, self.orientation_year, self.vision_year) if y)
        return self.period_start_year, last

    def baseline_heading(self, year: int | None = None) -> str:
        """The first value column's heading as the document words it: "Hiện trạng năm 2024"."""
        label = self.get_baseline_label_display()
        return _("%(label)s năm %(year)s") % {"label": label, "year": year} if year else str(label)

    @property
    def milestone_years(self) -> list[int]:
        """Years that targets are set for: the period's end, the orientation year, the years the
        office added (extra_milestone_years), and any other year that has a value."""
        years = set(self.fixed_milestone_years)
        years.update(y for y in (self.extra_milestone_years or []) if isinstance(y, int))
        if self.pk:
            years.update(
                TargetValue.objects.filter(target__plan=self, role=TargetValue.Role.MILESTONE).values_list(
                    "year", flat=True
                )
            )
        return sorted(y for y in years if y)


class ParentDocument(models.Model):
    """A document a plan implements, as its "Căn cứ / Thực hiện" paragraph names it: a plan of the
    level above, a directive, a Party resolution or programme … Registered from the plan's page by
    the office that edits the plan, whether or not the document is in the portal; `linked_plan` is
    set once the real plan is (plans.services.parent_document_link). The first linked document of
    kind PARENT_PLAN is the plan's `parent` for plans.cascade: plans.services.plan_parent_sync keeps
    Plan.parent equal to it, and is called by every write of these rows."""

    class Kind(models.TextChoices):
        PARENT_PLAN = "parent_plan", _("Kế hoạch cấp trên")
        DIRECTIVE = "directive", _("Chỉ thị")
        RESOLUTION = "resolution", _("Nghị quyết")
        CONCLUSION = "conclusion", _("Kết luận")
        PARTY_PROGRAMME = "party_programme", _("Chương trình, kế hoạch của cấp ủy Đảng")
        OTHER = "other", _("Văn bản khác")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="parent_documents"
    )
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices, default=Kind.PARENT_PLAN)
    number = models.CharField(
        _("số hiệu"), max_length=100, blank=True, help_text=_("Như văn bản ghi, ví dụ: 43/KH-UBND, 05-NQ/HU.")
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issue_date_wording = models.CharField(
        _("ngày tháng như văn bản ghi"), max_length=100, blank=True, help_text=_("Ví dụ: “ngày 23/02/2022”.")
    )
    issuer_wording = models.CharField(
        _("cơ quan ban hành như văn bản ghi"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Ủy ban nhân dân tỉnh Lạng Sơn; Ban Thường vụ Huyện ủy."),
    )
    title = models.TextField(_("trích yếu"), blank=True)
    linked_plan = models.ForeignKey(
        Plan,
        verbose_name=_("kế hoạch trên cổng"),
        null=True,
        blank=True,
        # A linked plan of the level above is also Plan.parent (PROTECT): its deletion is refused
        # there; for the other kinds the document stays as the text it was registered with.
        on_delete=models.SET_NULL,
        related_name="cited_by",
        help_text=_("Khi văn bản này là một kế hoạch đã có trên cổng, chọn kế hoạch đó."),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("văn bản căn cứ")
        verbose_name_plural = pgettext_lazy("plural", "văn bản căn cứ")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(linked_plan=models.F("plan")), name="parentdocument_not_own_plan"
            ),
        ]

    def __str__(self) -> str:
        parts = [str(self.get_kind_display())]
        if self.number:
            parts.append(_("số %(number)s") % {"number": self.number})
        if self.issued_on:
            parts.append(_("ngày %(date)s") % {"date": self.issued_on.strftime("%d/%m/%Y")})
        elif self.issue_date_wording:
            parts.append(self.issue_date_wording)
        if self.issuer_wording:
            parts.append(_("của %(issuer)s") % {"issuer": self.issuer_wording})
        return " ".join(parts)

    def clean(self) -> None:
        errors = {}
        if not self.number.strip() and not self.title.strip() and self.linked_plan_id is None:
            errors["number"] = _("Ghi số hiệu hoặc trích yếu của văn bản căn cứ.")
        if self.linked_plan_id and self.plan_id:
            if self.linked_plan_id == self.plan_id:
                errors["linked_plan"] = _("Kế hoạch không thể là căn cứ của chính nó.")
            elif self.kind == self.Kind.PARENT_PLAN and self._linked_plan_is_below():
                errors["linked_plan"] = _(
                    "Kế hoạch được chọn lại thực hiện kế hoạch này: hai kế hoạch không thể là cấp trên của nhau."
                )
        if errors:
            raise ValidationError(errors)

    def _linked_plan_is_below(self) -> bool:
        """Whether this plan is among the linked plan's parents: the cascade would loop."""
        seen, node = {self.linked_plan_id}, self.linked_plan.parent
        while node is not None and node.pk not in seen:
            if node.pk == self.plan_id:
                return True
            seen.add(node.pk)
            node = node.parent
        return False


class Target(models.Model):
    """One row of a plan's target table: an indicator as this plan words it, with its values."""

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ số"), on_delete=models.PROTECT, related_name="targets")
    section = models.CharField(
        _("mục"), max_length=200, blank=True, help_text=_("Tiêu đề mục như văn bản, ví dụ “I. GIÁO DỤC MẦM NON”.")
    )
    row_number = models.CharField(
        _("STT"), max_length=12, blank=True, help_text=_("Như văn bản, có thể trùng hoặc để trống.")
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    wording = models.TextField(_("tên chỉ tiêu như văn bản"))
    note = models.TextField(_("ghi chú"), blank=True)
    parent_target = models.ForeignKey(
        "self",
        verbose_name=_("chỉ tiêu của kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_targets",
    )
    evidence_required = models.BooleanField(
        _("yêu cầu minh chứng"), default=False, help_text=_("Trường phải kèm tệp hoặc ghi chú minh chứng.")
    )
    # Optimistic locking: bumped on every save; an edit made from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "chỉ tiêu")

    def __str__(self) -> str:
        return self.wording[:120]

    def clean(self) -> None:
        if self.parent_target_id and self.plan_id and self.parent_target.plan_id != self.plan.parent_id:
            raise ValidationError(
                {"parent_target": _("Chỉ tiêu cấp trên phải thuộc kế hoạch cấp trên của kế hoạch này.")}
            )


class TargetValue(ParsedValueFields):
    """The baseline or a milestone value of a target, in the document's own wording."""

    class Role(models.TextChoices):
        BASELINE = "baseline", _("Hiện trạng")
        MILESTONE = "milestone", _("Chỉ tiêu")

    target = models.ForeignKey(Target, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="values")
    role = models.CharField(_("loại"), max_length=10, choices=Role.choices)
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "role", "year"]
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "giá trị chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["target", "role", "year"], name="targetvalue_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.year}: {self.wording or '—'}"


class FundingSource(models.Model):
    """A funding source as offices name it (Ngân sách huyện, Xã hội hóa …)."""

    name = models.CharField(_("tên nguồn"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("nguồn kinh phí")
        verbose_name_plural = pgettext_lazy("plural", "nguồn kinh phí")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """A row of the budget table, numbered hierarchically (1, 1.1, 1.2 …).

    A row with children is a section: its `amount` is the subtotal the document states, kept so
    that plans.budget can compare it with the sum of its lines. A leaf row's `amount` is planned money.
    Amounts are in million VND, Decimal.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="budget_lines")
    number = models.CharField(
        _("STT"),
        max_length=20,
        help_text=_("Đánh số phân cấp: 1, 1.1, 1.2 …"),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    content = models.TextField(_("nội dung"))
    amount = models.DecimalField(
        _("kinh phí dự kiến (triệu đồng)"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amount_wording = models.CharField(_("kinh phí nguyên văn"), max_length=60, blank=True)
    funding_sources = models.ManyToManyField(
        FundingSource, verbose_name=_("nguồn kinh phí"), blank=True, related_name="budget_lines"
    )
    funding_wording = models.TextField(_("nguồn kinh phí như văn bản"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords(m2m_fields=[funding_sources])

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("dòng kinh phí")
        verbose_name_plural = pgettext_lazy("plural", "dòng kinh phí")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="budgetline_number_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.content[:80]}"

    def clean(self) -> None:
        from .budget import parse_line_number

        try:
            parse_line_number(self.number)
        except ValueError:
            raise ValidationError({"number": _("STT phải có dạng 1, 1.1, 1.2.3 …")}) from None

    @property
    def parent_number(self) -> str:
        return self.number.rsplit(".", 1)[0] if "." in self.number else ""


class BudgetSpending(models.Model):
    """What was spent on one budget line in one year, in million VND, as the office records it.

    Only a line without children carries spending; a section's spending is the sum of its lines
    (plans.selectors.plan_budget_progress). 0 is an amount (nothing spent that year), unlike no row
    (nothing recorded). Written by plans.services.budget_spending_record, which checks the line and
    the year; PROTECT: a line with recorded spending is not deleted with its plan by accident.
    """

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("dòng kinh phí"), on_delete=models.PROTECT, related_name="spendings"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(
        _("kinh phí đã chi (triệu đồng)"), max_digits=16, decimal_places=3, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "year"]
        verbose_name = _("kinh phí đã chi")
        verbose_name_plural = pgettext_lazy("plural", "kinh phí đã chi")
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="budgetspending_unique_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budgetspending_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line.number} – {self.year}: {self.amount}"
