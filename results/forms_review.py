"""The office's review forms (return, approve, reopen a school's report): the version the page
was loaded at, the overall comment and, for a return, a comment beside each value.

The comments keep the bounds of results/validation.free_text_error (no NUL, at most 2,000
characters), with its message; the version is a whole number a column holds, anything else is a
stale or broken page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from plans.models import Target

from .validation import free_text_error

VERSION_MAX = 2**31 - 1  # Submission.version is a PositiveIntegerField


def value_comment_name(target: Target) -> str:
    """The input of the office's comment on one value, beside it on the report page; it belongs
    to the return form (HTML `form` attribute), whose own inputs stay `version` and `comment`."""
    return f"value-comment-{target.pk}"


class FreeTextField(forms.CharField):
    """A comment box: refused with free_text_error's message (Django's own NUL check would say it
    in other words, first)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def validate(self, value):
        super().validate(value)
        if error := free_text_error(value):
            raise ValidationError(error, code="comment")


class ReviewActionForm(forms.Form):
    version = forms.IntegerField(min_value=0, max_value=VERSION_MAX)
    comment = FreeTextField()

    def __init__(self, data, *, targets=(), comment_label=""):
        super().__init__(data)
        self.fields["comment"].label = comment_label
        self.targets = list(targets)
        for target in self.targets:
            self.fields[value_comment_name(target)] = FreeTextField(label=target.wording)

    def typed(self, name: str) -> str:
        """What was typed in a box, as it was (to show it again when refused)."""
        value = self[name].value()
        return value if isinstance(value, str) else ""

    def notes(self) -> dict:
        """{target: comment beside its value}, from a valid form."""
        return {target: self.cleaned_data[value_comment_name(target)] for target in self.targets}

    def text_errors(self) -> list[str]:
        """Each refused box's message, after its label as the service words it ("Ý kiến chung: …")."""
        messages = []
        for name, errors in self.errors.items():
            if name != "version":
                label = self.fields[name].label if name in self.fields else ""
                messages += [f"{label}: {error}" if label else error for error in errors]
        return messages
