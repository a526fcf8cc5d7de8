"""The principal's form: one submission, every question the school is asked on one page (and
the same form for an office entering its own unit's facts). results.questions says the shape.

Input names are `t<target id>-<input>`: `t12-number` (percent, count, score), `t12-numerator`
and `t12-denominator` (ratio; the denominator is the pupils of a score), `t12-stage`,
`t12-boolean` ("true"/"false"), `t12-note`, `t12-evidence` (file), `t12-confirm` (the "far from
last year" tick); plus the hidden `version` and the button's `action` ("save" or "submit"). The
checks live in results/validation.py; this form only wires them to the inputs, so every message
sits next to the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django import forms
from django.core.validators import FileExtensionValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from indicators.wording import format_decimal_vi
from plans.models import Target, TargetValue
from plans.selectors import target_next_milestone

from .models import ResultValue, ReviewNote
from .questions import question_for
from .validation import BOOLEAN, COUNT, PERCENT, RATIO, SCORE, STAGE, free_text_error, validate_value

VALUE_INPUTS = {
    PERCENT: ["number"],
    COUNT: ["number"],
    RATIO: ["numerator", "denominator"],
    STAGE: ["stage"],
    BOOLEAN: ["boolean"],
    SCORE: ["number", "denominator"],
}
EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt"]  # as ResultValue.evidence
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Under the plan's target for the whole unit, so a school never reads it as its own target.
CONTRIBUTION = {
    RATIO: _("Tử số và mẫu số của trường được cộng với các trường khác để tính tỷ lệ chung."),
    COUNT: _("Số liệu của trường được cộng vào chỉ tiêu chung này."),
    BOOLEAN: _("Trường trả lời về chính trường mình; Phòng đếm số trường đạt để so với chỉ tiêu chung."),
    SCORE: _("Điểm của trường được tính trung bình theo số học sinh cùng các trường khác."),
}
# Django's own refusal of a NUL character speaks English; a pasted NUL gets this one instead.
NO_NUL = ProhibitNullCharactersValidator(
    message=_("Có ký tự không hợp lệ (ký tự rỗng, thường do dán từ phần mềm khác). Hãy gõ lại giá trị này.")
)
STALE_PAGE = _("Trang này đã cũ hoặc thiếu thông tin. Hãy tải lại trang rồi lưu lại.")


def comparable_value(unit: str, value: ResultValue | None) -> Decimal | None:
    """A stored value in the terms validation.is_far_from_last compares: percent for a ratio.
    `unit` is the question's kind (results.questions), not necessarily the indicator's unit."""
    if value is None:
        return None
    if unit == RATIO and value.numerator is not None and value.denominator:
        return Decimal(value.numerator * 100) / Decimal(value.denominator)
    return value.number


def value_display(value: ResultValue | None) -> str:
    return value.display if value is not None else "—"


def _initial_text(unit: str, name: str, value: ResultValue) -> str:
    """How a stored value reads back in its input, in the form the parser accepts."""
    if name == "number" and value.number is not None:
        if unit in (PERCENT, SCORE):
            return format_decimal_vi(value.number.normalize()).replace(".", "")  # no thousands dot in a %
        return format_decimal_vi(value.number.normalize())
    if name in ("numerator", "denominator"):
        number = getattr(value, name)
        return "" if number is None else str(number)
    if name == "stage":
        return value.stage
    if name == "boolean" and value.boolean is not None:
        return "true" if value.boolean else "false"
    return ""


@dataclass
class TargetRow:
    """One target on the page: what the plan asks, last year's value, what is stored, the inputs."""

    target: Target
    last: ResultValue | None
    stored: ResultValue | None
    form: SubmissionForm
    question: str = COUNT  # results.questions: the shape of this unit's answer
    inputs: list[str] = field(default_factory=list)
    review_note: ReviewNote | None = None  # the office's comment on this value, while returned

    @property
    def unit(self) -> str:
        return self.question

    @cached_property
    def goal(self) -> TargetValue | None:
        """The plan's next milestone, read only when the page is shown (a save that succeeds
        redirects: its POST does not need the targets' values)."""
        return target_next_milestone(self.target, self.form.year)

    @property
    def contributes(self) -> bool:
        """A school's answer adds up into the plan's figure for the whole unit (not its own target)."""
        return self.form.unit.kind == "school"

    @property
    def contribution(self) -> str:
        """What a school's answer does to the plan's figure, under the unit's target."""
        return CONTRIBUTION.get(self.question, CONTRIBUTION[COUNT])

    @property
    def last_display(self) -> str:
        return value_display(self.last)

    @property
    def stored_display(self) -> str:
        return value_display(self.stored)

    def name(self, key: str) -> str:
        return f"t{self.target.pk}-{key}"

    @property
    def value_fields(self):
        return [self.form[self.name(key)] for key in self.inputs]

    @property
    def note(self):
        return self.form[self.name("note")]

    @property
    def evidence(self):
        return self.form[self.name("evidence")]

    @property
    def confirm(self):
        return self.form[self.name("confirm")]

    @property
    def show_confirm(self) -> bool:
        """The tick is shown only when it matters: an error asks for it, or it was given."""
        box = self.confirm
        return bool(box.errors) or bool(box.value())

    @property
    def bound_fields(self):
        """Every input of the row, in the order the page shows them."""
        return [self.form[self.name(key)] for key in [*self.inputs, "confirm", "note", "evidence"]]

    @property
    def has_errors(self) -> bool:
        return any(bound.errors for bound in self.bound_fields)

    @property
    def first_error(self):
        return next((bound for bound in self.bound_fields if bound.errors), None)

    @property
    def anchor(self) -> str:
        """The id of the input a link to this row lands on: the first one to fix, else the first
        value input (a radio group's first choice, since the group itself has no id)."""
        bound = self.first_error or self.value_fields[0]
        if isinstance(bound.field.widget, forms.RadioSelect):
            return f"{bound.auto_id}_0"
        return bound.id_for_label


class SubmissionForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": STALE_PAGE,
            "invalid": STALE_PAGE,
            "min_value": STALE_PAGE,
            "max_value": STALE_PAGE,
        },
    )

    def __init__(
        self,
        *args,
        targets: list[Target],
        stored: dict[int, ResultValue],
        last: dict[int, ResultValue],
        year: int,
        version: int,
        unit,
        **kwargs,
    ):
        kwargs.setdefault("label_suffix", "")  # labels sit above the inputs, no colon
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        self.year = year
        self.stored = stored  # target id → the value loaded with the page (results.services reuses it)
        self.unit = unit  # the school (or, for unit-level facts, the office's unit) answering
        self.submitting = self.is_bound and self.data.get("action") == "submit"
        self.values: dict[int, dict] = {}
        self.rows: list[TargetRow] = []
        for target in targets:
            question = question_for(target.indicator, unit) or COUNT
            row = TargetRow(
                target=target,
                last=last.get(target.pk),
                stored=stored.get(target.pk),
                form=self,
                question=question,
                inputs=VALUE_INPUTS[question],
            )
            self._add_fields(row)
            self.rows.append(row)

    @property
    def rows_to_fix(self) -> list[TargetRow]:
        """The rows with a refused input, in page order: the summary at the top links to each."""
        return [row for row in self.rows if row.has_errors] if self.is_bound else []

    def focus_first_error(self) -> None:
        """Put the cursor in the first refused input when the page comes back (`autofocus`)."""
        first = next((row.first_error for row in self.rows_to_fix), None)
        if first is not None:
            first.field.widget.attrs["autofocus"] = True

    def attach_review_notes(self, notes: dict[int, ReviewNote]) -> None:
        for row in self.rows:
            row.review_note = notes.get(row.target.pk)

    def _add_fields(self, row: TargetRow) -> None:
        indicator, stored = row.target.indicator, row.stored
        for key in row.inputs:
            self.fields[row.name(key)] = self._value_field(indicator, key, row.question)
            if stored is not None:
                self.fields[row.name(key)].initial = _initial_text(row.question, key, stored)
        note = forms.CharField(
            label=_("Ghi chú, minh chứng") if row.target.evidence_required else _("Ghi chú"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            initial=stored.note if stored else "",
        )
        # results.validation words the NUL and the length refusals (Django's says it in English).
        note.validators = [v for v in note.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        self.fields[row.name("note")] = note
        self.fields[row.name("evidence")] = forms.FileField(
            label=_("Tệp minh chứng"),
            required=False,
            widget=forms.FileInput(attrs={"accept": ",".join(f".{ext}" for ext in EVIDENCE_EXTENSIONS)}),
            validators=[
                FileExtensionValidator(
                    EVIDENCE_EXTENSIONS, message=_("Chỉ nhận tệp PDF, ảnh (JPG, PNG), Word, Excel hoặc ODT.")
                )
            ],
        )
        self.fields[row.name("confirm")] = forms.BooleanField(
            label=_("Tôi xác nhận giá trị này đúng, dù khác nhiều so với năm trước."),
            required=False,
            initial=bool(stored and stored.confirmed_unusual),
        )

    @staticmethod
    def _value_field(indicator, key: str, question: str) -> forms.Field:
        # Plain CharFields on purpose: results.validation reads the Vietnamese forms ("79,3",
        # "1.234") and words every message; Django's DecimalField would refuse them in English terms.
        numeric = {"inputmode": "numeric", "autocomplete": "off"}
        if key == "number" and question == PERCENT:
            label = _("Tỷ lệ đạt được (%)")
            widget = forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": _("ví dụ 79,3")}
            )
        elif key == "number" and question == SCORE:
            label = _("Điểm trung bình")
            widget = forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": _("ví dụ 5,4")}
            )
        elif key == "denominator" and question == SCORE:
            label = _("Số học sinh (dự thi)")
            widget = forms.TextInput(attrs=numeric)
        elif key == "number":
            # The noun is data in Vietnamese ("trường"): a label built around it cannot be translated.
            label = _("Số lượng (%(noun)s)") % {"noun": indicator.noun} if indicator.noun else _("Số lượng")
            widget = forms.TextInput(attrs=numeric)
        elif key == "numerator":
            label = indicator.numerator_label or _("Tử số")
            widget = forms.TextInput(attrs=numeric)
        elif key == "denominator":
            label = indicator.denominator_label or _("Mẫu số")
            widget = forms.TextInput(attrs=numeric)
        elif key == "stage":
            label = _("Mức đạt được")
            stages = indicator.stage_list
            widget = (
                forms.Select(choices=[("", _("— Chọn mức —")), *((s, s) for s in stages)])
                if stages
                else forms.TextInput(attrs={"autocomplete": "off"})
            )
        else:
            label = _("Kết quả của trường") if indicator.aggregation == "share_of_schools" else _("Kết quả")
            widget = forms.RadioSelect(choices=[("true", _("Đạt")), ("false", _("Không đạt"))])
        value_field = forms.CharField(label=label, required=False, widget=widget)
        value_field.validators = [NO_NUL]
        return value_field

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            self._clean_row(row, cleaned)
        return cleaned

    def _clean_row(self, row: TargetRow, cleaned: dict) -> None:
        indicator = row.target.indicator
        raw = {key: cleaned.get(row.name(key)) or "" for key in row.inputs}
        values, errors = validate_value(
            unit=row.question,
            raw=raw,
            stages=indicator.stage_list,
            last=comparable_value(row.question, row.last),
            confirmed=bool(cleaned.get(row.name("confirm"))),
            required=self.submitting,
        )
        for key, message in errors.items():
            if not self.has_error(row.name(key)):  # Django's own check on that input already spoke
                self.add_error(row.name(key), message)
        note = (cleaned.get(row.name("note")) or "").strip()
        note_error = free_text_error(note)
        if note_error and not self.has_error(row.name("note")):
            self.add_error(row.name("note"), note_error)
        upload = cleaned.get(row.name("evidence"))
        if upload and upload.size > EVIDENCE_MAX_BYTES:
            self.add_error(row.name("evidence"), _("Tệp quá lớn (tối đa 10 MB)."))
        has_evidence = bool(upload or note or (row.stored and row.stored.evidence))
        if self.submitting and row.target.evidence_required and not has_evidence:
            self.add_error(row.name("evidence"), _("Cần kèm tệp minh chứng hoặc ghi chú minh chứng."))
        if errors or note_error:
            return
        # 0 and "Không đạt" (False) are answers; only None and "" are nothing typed.
        answers = [v for k, v in values.items() if k != "confirmed_unusual"]
        nothing_typed = all(v is None or v == "" for v in answers) and not note and not upload
        if nothing_typed and row.stored is None:
            return  # no empty rows for targets the principal has not reached yet
        values["note"] = note
        if upload:
            values["evidence"] = upload
        self.values[row.target.pk] = values
