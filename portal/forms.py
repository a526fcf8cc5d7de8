"""Forms every app's views share (this module imports no app)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_MAX_LENGTH = 2_000


class NextUrlForm(forms.Form):
    """The page to go back to after an action (`next`): a path of this site, or nothing.

    A path, not a URL name: redirect() would try "1" or "[]" as a view name and fail with a 500.
    Anything else (another host, a scheme, a NUL, a path past 2,000 characters) falls back to the
    view's default, as a refused `next` always has."""

    next = forms.CharField(required=False, max_length=NEXT_MAX_LENGTH)

    def __init__(self, data, *, request: HttpRequest):
        super().__init__(data)
        self.request = request

    def clean_next(self) -> str:
        url = self.cleaned_data["next"]
        safe = (
            url.startswith("/")
            and url.isprintable()
            and url_has_allowed_host_and_scheme(
                url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
            )
        )
        return url if safe else ""


def redirect_to_next(request: HttpRequest, *, default: str, **default_kwargs) -> HttpResponseRedirect:
    """To the posted `next` when it is a page of this site, otherwise to `default` (a URL name or
    a path, with its kwargs)."""
    form = NextUrlForm(request.POST, request=request)
    url = form.cleaned_data["next"] if form.is_valid() else ""
    return HttpResponseRedirect(url or resolve_url(default, **default_kwargs))


def pk_fits(model, value) -> bool:
    """Whether `value` can be looked up as `model`'s pk: what the pk field reads, within what its
    column holds. A lookup of 2**63 or "x\x00" is not "not found" but an error in the database
    driver (SQLite's OverflowError, "expected a number"), so it must not reach a query."""
    field = model._meta.pk
    if isinstance(value, list | tuple | dict):
        return False
    try:
        pk = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(pk, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or pk >= low) and (high is None or pk <= high)
    return True


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, with every posted value checked against the pk column first (its own
    check runs a `pk__in` query that SQLite cannot bind for 2**63)."""

    def _check_values(self, value):
        if self.to_field_name in (None, self.queryset.model._meta.pk.name):
            for pk in value:
                if not pk_fits(self.queryset.model, pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)
