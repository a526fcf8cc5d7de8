"""Admin forms of plans: the plan, its target rows with their values, and budget lines.

The target row form is the heart of entering a plan from its Word document: one row per target
with its baseline and one column per milestone year, saved through plans.services.target_set_values.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from indicators.wording import format_decimal_vi
from portal.concurrency import Change, EditConflict, bump_version, history_changes

from .models import YEAR_VALIDATORS, BudgetLine, Plan, Target, TargetValue
from .selectors import TargetRow, value_reading_preview
from .services import (
    SPENDING_NOTE_MAX_LENGTH,
    amount_from_wording,
    plan_milestone_year_check_add,
    plan_milestone_year_check_remove,
    target_set_values,
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


def milestone_field_name(year: int) -> str:
    return f"milestone_{year}"


# --- no lost updates on targets (issue 3 §7) ---------------------------------------------------------


def target_touch(target: Target, *, expected_version: int | None = None) -> Target:
    """Move the target to its next version and record it in its history, in the caller's
    transaction: for changes to its values made outside the target's own forms (the value admin,
    value imports), so that a form loaded before them is refused. Call it before writing the
    values (target_changes_since() counts from this record). Raises EditConflict when
    expected_version is given and no longer current."""
    bump_version(target, expected_version)
    target.save(update_fields=["version"])
    return target


def target_changes_since(target: Target, version: int | None) -> list[Change]:
    """What changed in the target and its values since it was at `version`, oldest first: the
    message of the EditConflict a stale target form gets. Counted from the first save that moved
    the version on (the values of a change are written just after their target's bump, see
    TargetVersionForm.save() and target_touch()), so values typed in before the person loaded
    the page are not listed."""
    newer = target.history.filter(version__gt=version or 0).order_by("history_date", "history_id").first()
    if newer is None:
        return []
    since = newer.history_date - datetime.timedelta(microseconds=1)
    name = str(target)[:60]
    own = [f for f in Target._meta.concrete_fields if f.editable and not f.primary_key]
    changes = history_changes(target.history.all(), since=since, fields=own, label_of=lambda record: name)
    changes += history_changes(
        TargetValue.history.filter(target_id=target.pk),
        since=since,
        fields=[TargetValue._meta.get_field("wording")],
        label_of=lambda record: f"{name} – {record.get_role_display()} {record.year}",
    )
    return sorted(changes, key=lambda change: change.at)


class TargetVersionForm(forms.ModelForm):
    """A Target form that carries the version it was loaded at (hidden) and refuses a save once the
    target has moved on, saying who changed what (portal.concurrency). The check in clean() gives
    the error next to the form; save() bumps the version with a conditional UPDATE before the row
    is written, so two saves from the same loaded version cannot both succeed even when they pass
    clean() together (the loser raises EditConflict; see portal.admin_scope.EditConflictMixin).
    The caller saves the instance in the same transaction (the admin does: changeform_view is atomic).
    """

    loaded_version = forms.IntegerField(label=_("phiên bản đã mở"), widget=forms.HiddenInput, required=False)
    #: False on the plan page: a row nobody touched is not saved, so it cannot conflict.
    check_unchanged_rows = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["loaded_version"] = self.instance.version

    def check_version(self) -> None:
        if not self.instance.pk or not (self.check_unchanged_rows or self.has_changed()):
            return
        loaded = self.cleaned_data.get("loaded_version")
        if loaded is None:
            raise ValidationError(
                gettext("Không rõ bạn đã mở chỉ tiêu này ở phiên bản nào. Hãy tải lại trang rồi sửa lại."),
                code="conflict",
            )
        current = Target.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if current != loaded:
            raise EditConflict(target_changes_since(self.instance, loaded))

    def clean(self):
        cleaned = super().clean()
        self.check_version()
        return cleaned

    def save(self, commit=True):
        if self.instance.pk:
            bump_version(self.instance, self.cleaned_data.get("loaded_version"))
        return super().save(commit=commit)


class TargetAdminForm(TargetVersionForm):
    class Meta:
        model = Target
        fields = ["plan", "section", "row_number", "order", "indicator", "wording", "note", "parent_target"]


class ValueCell:
    """One value cell of a target row on the plan page: its label, its input (and the baseline's
    year input), and how the portal reads what it holds (plans.selectors.value_reading_preview)."""

    def __init__(self, label, field, year_field=None):
        self.label, self.field, self.year_field = label, field, year_field

    @property
    def reading(self):
        preview = value_reading_preview(wording=str(self.field.value() or ""))
        if not preview["flag"]:
            return preview["reading"]
        return format_html('{} <strong class="flag">⚠ {}</strong>', preview["reading"], preview["reason"])


class TargetInlineForm(TargetVersionForm):
    """One row of the plan's target table. Besides the Target's own fields it carries the baseline
    (year + wording) and one wording per milestone year; those are written with
    plans.services.target_set_values once the target is saved (new rows included).

    Use target_inline_form(years=…) to get the class for a plan: the columns depend on its years.
    A milestone cell left empty means "no value for that year"; a baseline needs its year.
    """

    do_not_call_in_templates = True  # the inline's template reads the class's years (formset.form)
    milestone_years: tuple[int, ...] = ()
    default_baseline_year: int | None = None
    baseline_label: str = ""  # the plan's word for the first column (Plan.baseline_label)
    check_unchanged_rows = False

    # What the row showed when the page was loaded (a hash of its cells). A row whose posted cells
    # still match it was not touched by this person, whatever the database holds now: it is not
    # saved, so it neither conflicts nor writes back the values someone else changed meanwhile.
    loaded_fingerprint = forms.CharField(label=_("dấu vết khi mở"), widget=forms.HiddenInput, required=False)

    baseline_year = forms.IntegerField(
        label=_("Hiện trạng năm"),
        required=False,
        min_value=YEAR_VALIDATORS[0].limit_value,
        max_value=YEAR_VALIDATORS[1].limit_value,
        widget=forms.NumberInput(attrs={"class": "value-year", "inputmode": "numeric"}),
    )
    baseline_wording = forms.CharField(
        label=_("Hiện trạng"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"class": "js-value-wording", "autocomplete": "off"}),
    )

    class Meta:
        model = Target
        fields = [
            "row_number",
            "section",
            "indicator",
            "wording",
            "order",
            "note",
            "evidence_required",
            "parent_target",
        ]
        widgets = {
            "row_number": forms.TextInput(attrs={"size": 4}),
            "section": forms.TextInput(attrs={"size": 30}),
            "wording": forms.Textarea(attrs={"rows": 1, "cols": 60, "class": "js-autogrow"}),
            "order": forms.NumberInput(attrs={"class": "w-5em"}),
            "note": forms.Textarea(attrs={"rows": 1, "cols": 40, "class": "js-autogrow"}),
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
        if self.instance.pk:
            self.initial["loaded_fingerprint"] = self._fingerprint(self._shown_cells())

    ROW_FIELDS = (
        "row_number",
        "section",
        "indicator",
        "wording",
        "order",
        "note",
        "evidence_required",
        "parent_target",
    )
    #: Fields folded under "Thêm" on the plan page (templates/admin/plans/target_inline.html).
    MORE_FIELDS = ("section", "order", "evidence_required", "note", "parent_target")

    def value_cells(self) -> list[ValueCell]:
        """The row's value cells for the plan page: the baseline, then one per milestone year, each
        with the reading of what it holds now (what was typed, on a refused page)."""
        cells = []
        if "baseline_wording" in self.fields:
            label = self.baseline_label or self.fields["baseline_wording"].label
            cells.append(
                ValueCell(_("%(label)s năm") % {"label": label}, self["baseline_wording"], self["baseline_year"])
            )
        for year in self.milestone_years:
            cells.append(ValueCell(self.fields[milestone_field_name(year)].label, self[milestone_field_name(year)]))
        return cells

    def more_fields(self) -> list:
        return [self[name] for name in self.MORE_FIELDS if name in self.fields]

    def more_has_errors(self) -> bool:
        return any(name in self.errors for name in self.MORE_FIELDS)

    def row_warnings(self) -> list[str]:
        """plans.checks warnings of the stored row (wrong kind for the indicator, worse than before)."""
        if not self.instance.pk:
            return []
        return TargetRow(target=self.instance, baseline=self._baseline, milestones=self._milestones).warnings

    def _row_field_names(self) -> list[str]:
        return [name for name in (*self.ROW_FIELDS, *self.value_field_names) if name in self.fields]

    def _shown_cells(self) -> list:
        return [self[name].value() for name in self._row_field_names()]

    def _posted_cells(self) -> list:
        return [
            self.fields[name].widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name in self._row_field_names()
        ]

    @staticmethod
    def _fingerprint(cells: list) -> str:
        def text(value) -> str:
            if value is None or value is False:
                return ""
            return str(value).replace("\r\n", "\n").strip()

        return hashlib.sha256(json.dumps([text(c) for c in cells]).encode()).hexdigest()[:32]

    def has_changed(self) -> bool:
        if self.is_bound and self.instance.pk and not self._delete_ticked():
            loaded = self.data.get(self.add_prefix("loaded_fingerprint"))
            if loaded and loaded == self._fingerprint(self._posted_cells()):
                return False
        return super().has_changed()

    def _delete_ticked(self) -> bool:
        field = self.fields.get("DELETE")
        return bool(field and field.widget.value_from_datadict(self.data, self.files, self.add_prefix("DELETE")))

    @property
    def value_field_names(self) -> list[str]:
        return ["baseline_year", "baseline_wording", *(milestone_field_name(y) for y in self.milestone_years)]

    def clean(self):
        cleaned = super().clean()  # the version check (TargetVersionForm)
        wording = (cleaned.get("baseline_wording") or "").strip()
        if wording and not cleaned.get("baseline_year") and "baseline_year" not in self.errors:
            self.add_error("baseline_year", _("Nhập năm của hiện trạng."))
        return cleaned

    def save(self, commit=True):
        # A change of the values alone counts as a change of the target: super() bumps its version.
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


def target_inline_form(
    *, years: list[int], default_baseline_year: int | None = None, baseline_label: str = ""
) -> type[TargetInlineForm]:
    """The target row form with one "Chỉ tiêu <year>" column per year. The columns are declared
    on the class (not added in __init__) because the admin lists them in the formset's fields."""
    attrs: dict = {
        "__module__": __name__,
        "milestone_years": tuple(years),
        "default_baseline_year": default_baseline_year,
        "baseline_label": baseline_label,
    }
    for year in years:
        attrs[milestone_field_name(year)] = forms.CharField(
            label=_("Chỉ tiêu %(year)s") % {"year": year},
            required=False,
            max_length=255,
            widget=forms.TextInput(attrs={"class": "js-value-wording", "autocomplete": "off"}),
        )
    return type("TargetInlineForm", (TargetInlineForm,), attrs)


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
