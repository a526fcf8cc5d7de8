"""The target row form of the admin's plan page, and a target's own form: the heart of entering a
plan from its Word document, one row per target with its baseline and one column per milestone
year, saved through plans.services.target_set_values; both refuse a stale save (the version the
row was loaded at)."""

from __future__ import annotations

import datetime
import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.concurrency import Change, EditConflict, bump_version, history_changes

from .models import YEAR_VALIDATORS, Target, TargetValue
from .selectors import TargetRow, value_reading_preview
from .services import (
    target_set_values,
)


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


#: A target row's own fields on the plan page, in the order the row shows them (its values follow).
TARGET_ROW_FIELDS = (
    "row_number",
    "section",
    "indicator",
    "wording",
    "order",
    "note",
    "evidence_required",
    "parent_target",
)


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
        fields = list(TARGET_ROW_FIELDS)
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

    ROW_FIELDS = TARGET_ROW_FIELDS
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
