"""What the admin does with posted ids before they reach a query (this module imports no app).

Two places in Django's admin hand a posted value to the database unchecked, and a value no pk
column holds ("x\\x00", 2**63, -10**20) is then a 500 instead of "not found":
- an autocomplete select shown again with the refused value (AutocompleteMixin.optgroups looks
  the posted ids up with `pk__in`): bounded_choices() makes the field show only values that fit;
  a many-to-many field checks them the same way (ModelMultipleChoiceField._check_values);
- the changelist's action on the ticked rows (`_selected_action`, looked up with `pk__in`):
  BoundedInputAdminMixin.response_action() refuses the action with a message instead.
And two pass a query string's NUL or unknown filter on: a NUL in a filter or search reaches
PostgreSQL, which refuses it; the export page (django-import-export) builds the changelist's
queryset without the admin's "?e=1" answer to unknown filters. Both become that answer.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from django.forms import ModelChoiceField
from django.utils.translation import gettext as _

from portal.forms import BoundedModelMultipleChoiceField, pk_fits


def _fitting(model, data, initial):
    """Field.bound_data: the posted value(s) that could be a pk of `model`, the rest dropped."""
    if isinstance(data, list | tuple):
        return [value for value in data if pk_fits(model, value)]
    return data if data in (None, "") or pk_fits(model, data) else None


def bounded_choices(formfield, db_field):
    if (
        isinstance(formfield, ModelChoiceField)
        and formfield.to_field_name in (None, formfield.queryset.model._meta.pk.name)
        and db_field.is_relation
    ):
        # An instance attribute, kept by the form's deep copy of its fields (Field.__deepcopy__).
        formfield.bound_data = partial(_fitting, formfield.queryset.model)
    return formfield


class BoundedInputAdminMixin:
    """For a ModelAdmin or an inline: its choice fields show again only ids that fit; for a
    ModelAdmin, an action on rows whose ids are not ids is refused with a message."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return bounded_choices(super().formfield_for_dbfield(db_field, request, **kwargs), db_field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Django's field checks the posted ids with a `pk__in` query: 2**63 is an OverflowError on SQLite.
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(pk_fits(self.model, value) for value in selected):
            self.message_user(
                request, _("Các mục đã chọn không hợp lệ. Hãy tải lại trang rồi chọn lại."), messages.WARNING
            )
            return None
        return super().response_action(request, queryset)

    def get_changelist_instance(self, request):
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            raise IncorrectLookupParameters  # the changelist answers "?e=1": the stock page for a bad filter
        return super().get_changelist_instance(request)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def get_export_queryset(self, request):
        """django-import-export's: its export page shows the 400 page for a filter the changelist
        would refuse (it has no "?e=1" answer of its own)."""
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            raise BadRequest("NUL in the export's filters")
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest("unknown filter on the export page") from error
