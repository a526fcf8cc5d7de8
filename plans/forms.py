"""Forms of plans: the plan's admin form, budget lines, spending recorded on a dashboard, the link
of a cited document to its plan. The target rows are in forms_targets.py."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators.wording import format_decimal_vi

from .models import YEAR_VALIDATORS, BudgetLine, Plan
from .services import (
    SPENDING_NOTE_MAX_LENGTH,
    amount_from_wording,
    plan_milestone_year_check_add,
    plan_milestone_year_check_remove,
)


class VNAmountField(forms.CharField):
    """An amount in million VND typed the Vietnamese way: "344.050" is 344050, "2,5" is 2.5.
    (Django's DecimalField would read "344.050" as 344.05.) Shown back as "344.050"."""

    default_error_messages = {
        "invalid": _("Không đọc được số tiền “%(value)s”. Ghi số theo kiểu Việt Nam, ví dụ 344.050 hoặc 2,5."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 12, "inputmode": "decimal"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return format_decimal_vi(Decimal(str(value)))
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return amount_from_wording(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text}) from None


class PlanAdminForm(forms.ModelForm):
    budget_stated_total = VNAmountField(label=_("Tổng kinh phí văn bản ghi (triệu đồng)"))
    # The "Thêm năm" / "Bỏ năm" controls above the target table (templates/admin/plans/target_inline.html);
    # PlanAdmin.save_model writes them with plans.services.plan_milestone_years_change.
    milestone_year_add = forms.IntegerField(
        label=_("Thêm năm"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "w-6em", "inputmode": "numeric"}),
        error_messages={"invalid": _("Năm phải là một số, ví dụ 2026.")},
    )
    milestone_year_remove = forms.TypedChoiceField(label=_("Bỏ năm"), required=False, coerce=int, empty_value=None)

    class Meta:
        model = Plan
        fields = [
            "number",
            "title",
            "issuer",
            "issued_on",
            "issue_date_wording",
            "status",
            "parent",
            "source_document",
            "is_demo",
            "period_start_year",
            "period_end_year",
            "orientation_year",
            "vision_year",
            "period_wording",
            "baseline_label",
            "legal_basis",
            "general_objectives",
            "specific_objectives",
            "reporting_duty",
            "budget_stated_total",
            "budget_stated_total_wording",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "legal_basis": forms.Textarea(attrs={"rows": 4, "cols": 80}),
            "general_objectives": forms.Textarea(attrs={"rows": 4, "cols": 80}),
            "specific_objectives": forms.Textarea(attrs={"rows": 4, "cols": 80}),
            "reporting_duty": forms.Textarea(attrs={"rows": 3, "cols": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        removable = [y for y in plan.milestone_years if y not in plan.fixed_milestone_years] if plan.pk else []
        self.fields["milestone_year_remove"].choices = [("", "—"), *((y, str(y)) for y in removable)]

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the posted period, which bounds the years
        plan = self.instance
        checks = [
            ("milestone_year_add", plan_milestone_year_check_add),
            ("milestone_year_remove", plan_milestone_year_check_remove),
        ]
        for name, check in checks:
            year = self.cleaned_data.get(name)
            if year is None:
                continue
            if name == "milestone_year_add" and not (plan.period_start_year and plan.period_end_year):
                continue  # the period's own errors say what is missing
            try:
                check(plan=plan, year=year)
            except ValidationError as error:
                self.add_error(name, error)


class BudgetLineForm(forms.ModelForm):
    amount = VNAmountField(label=_("Kinh phí dự kiến (triệu đồng)"))

    class Meta:
        model = BudgetLine
        fields = [
            "plan",
            "number",
            "order",
            "content",
            "amount",
            "amount_wording",
            "funding_sources",
            "funding_wording",
            "note",
        ]
        widgets = {
            "number": forms.TextInput(attrs={"size": 5}),
            "content": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "amount_wording": forms.TextInput(attrs={"size": 10}),
            "funding_wording": forms.Textarea(attrs={"rows": 2, "cols": 24}),
            "note": forms.Textarea(attrs={"rows": 2, "cols": 20}),
            "order": forms.NumberInput(attrs={"class": "w-4em"}),
        }


# --- spending, recorded on a dashboard ---------------------------------------------------------


class PlainTextField(forms.CharField):
    """A CharField whose refusals are in Vietnamese: a NUL character (PostgreSQL cannot store it;
    a paste from some programs carries one) and too long a text (Field.run_validators takes these
    messages by the validators' codes)."""

    default_error_messages = {
        "null_characters_not_allowed": _(
            "Nội dung có ký tự không hợp lệ (NUL). Hãy gõ lại hoặc dán dưới dạng văn bản thường."
        ),
        "max_length": _("Nội dung dài quá %(limit_value)s ký tự (đang có %(show_value)s)."),
    }


# Digits (ASCII only: "٣" is no amount), dots and commas; a leading minus is read to say "negative".
_PLAIN_AMOUNT = re.compile(r"(?P<sign>[-\u2212]\s*)?(?P<number>[0-9][0-9.,]*)", re.ASCII)
AMOUNT_MAX_INPUT_LENGTH = 30


class SpendingAmountField(VNAmountField):
    """An amount spent, typed the Vietnamese way ("1.234,5", "344.050", "2,5", "0"). Stricter than
    the document's amounts: only a plain number, no "<", no words, no exponent ("1e999")."""

    default_error_messages = {
        "invalid": _("Không đọc được số tiền “%(value)s”. Ghi số theo kiểu Việt Nam, ví dụ 1.234,5 hoặc 0."),
        "negative": _("Số tiền đã chi không được âm."),
        "required": _("Nhập số tiền đã chi (triệu đồng)."),
    }

    def to_python(self, value):
        text = forms.CharField.to_python(self, value)
        if not text:
            return None
        shown = text[:AMOUNT_MAX_INPUT_LENGTH]
        match = _PLAIN_AMOUNT.fullmatch(text) if len(text) <= AMOUNT_MAX_INPUT_LENGTH else None
        if match is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": shown})
        if match["sign"]:
            raise ValidationError(self.error_messages["negative"], code="negative")
        return super().to_python(match["number"])


def spending_form_key(line_pk: int) -> str:
    """The key a line's refused spending form is kept under (plans.inline_forms)."""
    return f"plans:spending_record:{line_pk}"


class BudgetSpendingForm(forms.Form):
    """What was spent on one budget line in one year (plans.services.budget_spending_record checks
    the line, the year and the amount's bounds). Rendered by templates/plans/_spending_form.html."""

    year = forms.IntegerField(
        label=_("Năm"),
        min_value=YEAR_VALIDATORS[0].limit_value,
        max_value=YEAR_VALIDATORS[1].limit_value,
        error_messages={
            "required": _("Chọn năm."),
            "invalid": _("Năm không hợp lệ."),
            "min_value": _("Năm không hợp lệ."),
            "max_value": _("Năm không hợp lệ."),
        },
    )
    amount = SpendingAmountField(label=_("Đã chi (triệu đồng)"), required=True)
    note = PlainTextField(
        label=_("Ghi chú"),
        required=False,
        max_length=SPENDING_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": SPENDING_NOTE_MAX_LENGTH, "class": "full-width"}),
    )


class ParentDocumentLinkForm(forms.Form):
    """The plan a registered "Căn cứ" document is linked to: one of `plans` (those the person
    reads); another, a missing one or not a number is "not found"."""

    plan = forms.ModelChoiceField(queryset=Plan.objects.none())

    def __init__(self, data, *, plans):
        super().__init__(data)
        self.fields["plan"].queryset = plans
