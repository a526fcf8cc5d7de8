"""Admin forms of plans: the plan, its target rows with their values, and budget lines.

The target row form is the heart of entering a plan from its Word document: one row per target
with its baseline and one column per milestone year, saved through plans.services.target_set_values.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators.wording import format_decimal_vi

from .models import YEAR_VALIDATORS, BudgetLine, Plan, Target, TargetValue
from .services import amount_from_wording, target_set_values


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
            "order": forms.NumberInput(attrs={"style": "width: 4em"}),
        }


def milestone_field_name(year: int) -> str:
    return f"milestone_{year}"


class TargetInlineForm(forms.ModelForm):
    """One row of the plan's target table. Besides the Target's own fields it carries the baseline
    (year + wording) and one wording per milestone year; those are written with
    plans.services.target_set_values once the target is saved (new rows included).

    Use target_inline_form(years=…) to get the class for a plan: the columns depend on its years.
    A milestone cell left empty means "no value for that year"; a baseline needs its year.
    """

    milestone_years: tuple[int, ...] = ()
    default_baseline_year: int | None = None

    baseline_year = forms.IntegerField(
        label=_("Hiện trạng năm"),
        required=False,
        min_value=YEAR_VALIDATORS[0].limit_value,
        max_value=YEAR_VALIDATORS[1].limit_value,
        widget=forms.NumberInput(attrs={"style": "width: 5.5em"}),
    )
    baseline_wording = forms.CharField(
        label=_("Hiện trạng"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"size": 10}),
    )

    class Meta:
        model = Target
        fields = ["row_number", "section", "indicator", "wording", "order", "note"]
        widgets = {
            "row_number": forms.TextInput(attrs={"size": 4}),
            "section": forms.TextInput(attrs={"size": 14}),
            "wording": forms.Textarea(attrs={"rows": 2, "cols": 36}),
            "order": forms.NumberInput(attrs={"style": "width: 4em"}),
            "note": forms.Textarea(attrs={"rows": 2, "cols": 18}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Current values, from the prefetch of TargetInline.get_queryset().
        self._baseline: TargetValue | None = None
        self._milestones: dict[int, TargetValue] = {}
        if self.instance.pk:
            for value in self.instance.values.all():
                if value.role == TargetValue.Role.BASELINE:
                    self._baseline = value
                else:
                    self._milestones[value.year] = value
        if self._baseline is not None:
            self.initial.setdefault("baseline_year", self._baseline.year)
            self.initial.setdefault("baseline_wording", self._baseline.wording)
        elif not self.instance.pk and self.default_baseline_year:
            # Pre-filled for new rows only; a year alone is no value (see _baseline_to_save()).
            self.initial.setdefault("baseline_year", self.default_baseline_year)
        for year in self.milestone_years:
            if year in self._milestones:
                self.initial.setdefault(milestone_field_name(year), self._milestones[year].wording)

    @property
    def value_field_names(self) -> list[str]:
        return ["baseline_year", "baseline_wording", *(milestone_field_name(y) for y in self.milestone_years)]

    def clean(self):
        cleaned = super().clean()
        wording = (cleaned.get("baseline_wording") or "").strip()
        if wording and not cleaned.get("baseline_year") and "baseline_year" not in self.errors:
            self.add_error("baseline_year", _("Nhập năm của hiện trạng."))
        return cleaned

    def save(self, commit=True):
        target = super().save(commit=commit)
        if commit:
            self.save_values()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_values():
                save_m2m()
                self.save_values()

            self.save_m2m = save_m2m_and_values
        return target

    def save_values(self) -> None:
        """Write the baseline and milestone cells of this row (the target must be saved)."""
        if not set(self.changed_data) & set(self.value_field_names):
            return  # untouched cells: leave the stored values exactly as they are
        # Years that have a value but no column on this page are kept as they are.
        milestones = {
            year: value.wording for year, value in self._milestones.items() if year not in self.milestone_years
        }
        for year in self.milestone_years:
            wording = (self.cleaned_data.get(milestone_field_name(year)) or "").strip()
            if wording:
                milestones[year] = wording
        target_set_values(target=self.instance, baseline=self._baseline_to_save(), milestones=milestones)

    def _baseline_to_save(self) -> tuple[int, str] | None:
        year = self.cleaned_data.get("baseline_year")
        wording = (self.cleaned_data.get("baseline_wording") or "").strip()
        if not year:
            return None
        if not wording and self._baseline is None:
            return None  # the pre-filled year of a new row, with nothing typed next to it
        return (year, wording)


def target_inline_form(*, years: list[int], default_baseline_year: int | None = None) -> type[TargetInlineForm]:
    """The target row form with one "Chỉ tiêu <year>" column per year. The columns are declared
    on the class (not added in __init__) because the admin lists them in the formset's fields."""
    attrs: dict = {
        "__module__": __name__,
        "milestone_years": tuple(years),
        "default_baseline_year": default_baseline_year,
    }
    for year in years:
        attrs[milestone_field_name(year)] = forms.CharField(
            label=_("Chỉ tiêu %(year)s") % {"year": year},
            required=False,
            max_length=255,
            widget=forms.TextInput(attrs={"size": 10}),
        )
    return type("TargetInlineForm", (TargetInlineForm,), attrs)
