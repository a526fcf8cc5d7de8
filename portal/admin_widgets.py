"""Small admin pieces: autocomplete widgets labelled without a query per row, list filters with
their own titles or Vietnamese labels. Imports no app.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple


class _KnownLabelsMixin:
    """An admin autocomplete widget that labels the chosen option(s) from `labels` (pk → label),
    filled once per page by the inline (see use_known_labels()), instead of one query per row.
    Falls back to the stock lookup for any value not in `labels`."""

    labels: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.labels is None or any(v not in self.labels for v in chosen):
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        for v in chosen if self.allow_multiple_selected else chosen[:1]:
            default[1].append(self.create_option(name, v, self.labels[v], True, len(default[1])))
        return [default]


class KnownLabelsAutocompleteSelect(_KnownLabelsMixin, AutocompleteSelect):
    pass


class KnownLabelsAutocompleteSelectMultiple(_KnownLabelsMixin, AutocompleteSelectMultiple):
    pass


def use_known_labels(formset_class, field_name: str, labels: dict) -> None:
    """Give the formset's `field_name` autocomplete widget its labels. The forms' deep copies of
    the widget share the dict (Widget.__deepcopy__ copies shallowly)."""
    widget = formset_class.form.base_fields[field_name].widget
    widget = getattr(widget, "widget", widget)  # inside RelatedFieldWidgetWrapper
    if isinstance(widget, _KnownLabelsMixin):
        widget.labels = {str(pk): str(label) for pk, label in labels.items()}


def titled_filter(filter_class: type[admin.FieldListFilter], title) -> type[admin.FieldListFilter]:
    """A field filter with its own title, for a field across a relation: ("issuer__kind",
    titled_filter(admin.ChoicesFieldListFilter, _("loại cơ quan ban hành"))) instead of "loại đơn vị"."""

    class TitledFilter(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledFilter


def labelled_choices_filter(field_name: str, title, labels: dict[str, str]) -> type[admin.SimpleListFilter]:
    """A filter on a derived code field whose stored values are English codes ("unparsed"):
    shown with Vietnamese labels."""

    class LabelledChoicesFilter(admin.SimpleListFilter):
        parameter_name = field_name

        def lookups(self, request, model_admin):
            return list(labels.items())

        def queryset(self, request, queryset):
            if self.value() is None:
                return queryset
            return queryset.filter(**{field_name: self.value()})

    LabelledChoicesFilter.title = title
    return LabelledChoicesFilter
