"""The scope of every admin screen: which rows a person sees and changes (issue 3 §2).
ScopedAdminMixin and ScopedInlineMixin are hooks each app's admin fills in; EditConflictMixin
reloads a versioned form on a conflict; admin text fields get a bound. Imports no app.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import (
    FieldDoesNotExist,
)
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.http import HttpResponseRedirect

from .admin_bounds import BoundedInputAdminMixin
from .concurrency import EditConflict


def is_autocomplete_request(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "autocomplete")


def scoped_choices(request, db_field, allowed, *, base=None, current=None):
    """The queryset of a foreign key's form field for this person: `allowed` (the rows they may
    use), plus `current` (the pk the edited row holds now, so that a row whose current choice lies
    outside their units can still be saved unchanged). `base` keeps the caller's select_related.
    Superusers get `base` (or everything)."""
    model = db_field.related_model
    base = base if base is not None else model._default_manager.all()
    if request.user.is_superuser:
        return base
    condition = Q(pk__in=allowed.values("pk"))
    if current is not None:
        condition |= Q(pk=current)
    return base.filter(condition)


# A document's paragraph, a note, a task's content: long, but not a million characters. The
# models' TextFields have no limit of their own; every admin form gets this one (Django's message
# names the limit, in Vietnamese), so a pasted megabyte is refused instead of stored.
TEXT_FIELD_MAX_LENGTH = 20_000


def _bounded_text(formfield, db_field):
    if formfield is not None and isinstance(db_field, models.TextField) and not formfield.max_length:
        formfield.max_length = TEXT_FIELD_MAX_LENGTH
        formfield.validators.append(MaxLengthValidator(TEXT_FIELD_MAX_LENGTH))
        formfield.widget.attrs.setdefault("maxlength", str(TEXT_FIELD_MAX_LENGTH))
    return formfield


class ScopedAdminMixin(BoundedInputAdminMixin):
    """Scopes a ModelAdmin to the person, on the object and not only in the menu.

    Each app's admin fills in the hooks (this module imports no app):
    - user_may_use_admin(user): the role that may use the screen at all (office staff);
    - scope_queryset(request, queryset): the rows this person may see;
    - scope_can_change(request, obj): whether they may change and delete this visible row.
    Superusers skip all of it. What follows, from the stock admin:
    - a row outside the scope is not in get_queryset(): its change, delete and history pages
      redirect to the admin index with "… không tồn tại. Có lẽ nó đã bị xóa?" (the admin's own
      answer for a missing object: nothing about the row leaks) and a POST there changes nothing;
    - a visible row the person may not change opens read-only; a POST to it is 403
      (changeform_view and delete_view ask has_change/has_delete_permission(obj));
    - "xóa các mục đã chọn" asks has_delete_permission(obj) of every row it would delete;
    - exports start from get_queryset(): a file holds only the person's rows;
    - autocomplete answers (/quan-tri/autocomplete/) are cut to the choices of the asking field;
    - ImportExportAdmin.import_scope_check() refuses rows outside the person's units.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _bounded_text(super().formfield_for_dbfield(db_field, request, **kwargs), db_field)

    #: Model-level permission from the role (user_may_use_admin) instead of Django's model
    #: permissions: for apps the office staff group does not list (results).
    permissions_by_role = False
    #: Nobody changes these rows here, superusers included: they are written by services on the
    #: app's own pages (a submission's workflow), the admin only shows them and their history.
    read_only = False

    def user_may_use_admin(self, user) -> bool:
        return True

    def scope_queryset(self, request, queryset):
        return queryset

    def scope_can_change(self, request, obj) -> bool:
        return True

    def _may_use(self, request) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        return bool(user.is_active and user.is_staff and self.user_may_use_admin(user))

    def _by_role(self, request) -> bool:
        return self.permissions_by_role and not request.user.is_superuser

    def get_queryset(self, request):
        return self.restrict(request, super().get_queryset(request))

    def restrict(self, request, queryset):
        """queryset cut to this person's rows: an admin whose get_queryset() does not call
        super() (PlanAdmin starts from a selector) passes its queryset through this."""
        if request.user.is_superuser:
            return queryset
        if not self._may_use(request):
            return queryset.none()
        return self.scope_queryset(request, queryset)

    def has_module_permission(self, request):
        if not self._may_use(request):
            return False
        return self._by_role(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        # No scope test on obj: every view reaches its object through get_queryset() (history
        # views included, see PortalHistoryAdmin).
        if not self._may_use(request):
            return False
        return self._by_role(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        if self.read_only or not self._may_use(request):
            return False
        return self._by_role(request) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if self.read_only or not self._may_use(request):
            return False
        if not (self._by_role(request) or super().has_change_permission(request, obj)):
            return False
        return obj is None or request.user.is_superuser or self.scope_can_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.read_only or not self._may_use(request):
            return False
        if not (self._by_role(request) or super().has_delete_permission(request, obj)):
            return False
        return obj is None or request.user.is_superuser or self.scope_can_change(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._scoped_admin_obj = obj  # for current_choice()
        return super().get_form(request, obj, change=change, **kwargs)

    @staticmethod
    def current_choice(request, db_field):
        """The pk the object on this change page holds in db_field (None on add pages)."""
        obj = getattr(request, "_scoped_admin_obj", None)
        return getattr(obj, db_field.attname, None) if obj is not None else None

    def scoped_choices(self, request, db_field, allowed, *, base=None):
        return scoped_choices(request, db_field, allowed, base=base, current=self.current_choice(request, db_field))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not request.user.is_superuser and is_autocomplete_request(request):
            choices = self._autocomplete_choices(request)
            if choices is not None:
                queryset = queryset.filter(pk__in=choices.values("pk"))
        return queryset, may_have_duplicates

    def _autocomplete_choices(self, request):
        """What the asking form field offers this person: its own admin's formfield_for_*()."""
        try:
            source_model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
            field = source_model._meta.get_field(request.GET["field_name"])
        except (KeyError, LookupError, ValueError, FieldDoesNotExist):
            return None  # AutocompleteJsonView itself answers 403 to these
        source_admin = self.admin_site._registry.get(source_model)
        if source_admin is None:
            return None
        if field.many_to_many:
            formfield = source_admin.formfield_for_manytomany(field, request)
        elif field.many_to_one or field.one_to_one:
            formfield = source_admin.formfield_for_foreignkey(field, request)
        else:
            return None
        return getattr(formfield, "queryset", None)


class ScopedInlineMixin(BoundedInputAdminMixin):
    """An inline may be edited only where its parent row may be: the inline model's own permission
    knows nothing of the parent's scope (a commune officer reading the district's plan)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _bounded_text(super().formfield_for_dbfield(db_field, request, **kwargs), db_field)

    def _parent_allows(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        parent_admin = self.admin_site._registry.get(self.parent_model)
        return parent_admin is None or parent_admin.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_allows(request, obj)


class EditConflictMixin:
    """A form checks the version it was loaded with (a clear error next to the form); the save bumps
    it in the same transaction. If someone saved in between those two moments, the save raises
    EditConflict: the admin's transaction is rolled back and the same page is shown again with
    what the person typed and the conflict as the form's error, once (nothing is saved)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            if getattr(request, "_edit_conflict", None) is not None:  # refused again: give up safely
                self.message_user(request, " ".join(conflict.messages), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            request._edit_conflict = conflict
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        conflict = getattr(request, "_edit_conflict", None)
        if conflict is None:
            return form_class

        class RefusedForm(form_class):
            """The page as typed, refused with the conflict: the admin re-renders it unsaved."""

            def clean(self):
                cleaned = super().clean()
                self.add_error(None, conflict.messages)
                return cleaned

        return RefusedForm
