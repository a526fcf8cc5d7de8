"""The "Căn cứ" table on the admin plan page: the documents a plan implements, registered by the
office that edits the plan (number, date, issuer, title as written), whether or not the document
is in the portal, and linked to the real plan once it is. Saving the table keeps Plan.parent in
step (plans.services.plan_parent_sync). Added to PlanAdmin.get_inlines in plans/admin.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.admin_scope import ScopedInlineMixin

from .models import ParentDocument, Plan
from .permissions import plan_list_visible_to
from .selectors import parent_document_plan_candidates
from .services import plan_parent_sync


class ParentDocumentFormSet(BaseInlineFormSet):
    def save(self, commit=True):
        saved = super().save(commit=commit)
        if commit and self.instance.pk:
            # Rows added, changed or deleted: the plan's parent follows its linked "plan of the level above".
            plan_parent_sync(plan=self.instance)
        return saved


class ParentDocumentInline(ScopedInlineMixin, admin.TabularInline):
    model = ParentDocument
    fk_name = "plan"  # not linked_plan: the table is the citing plan's
    formset = ParentDocumentFormSet
    fields = [
        "kind",
        "number",
        "issued_on",
        "issue_date_wording",
        "issuer_wording",
        "title",
        "linked_plan",
        "link_candidates",
        "order",
    ]
    readonly_fields = ["link_candidates"]
    autocomplete_fields = ["linked_plan"]
    extra = 1
    verbose_name = _("văn bản căn cứ")
    verbose_name_plural = _("Căn cứ: văn bản kế hoạch này thực hiện")
    formfield_overrides = {
        ParentDocument._meta.get_field("title").__class__: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 30})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("linked_plan__issuer")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "linked_plan":
            # Any plan the office can read (the autocomplete asks PlanAdmin, scoped the same way).
            kwargs["queryset"] = Plan.objects.select_related("issuer").filter(
                pk__in=plan_list_visible_to(user=request.user).values("pk")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "linked_plan" and field is not None and hasattr(field.widget, "can_add_related"):
            # Link to a plan that exists; no "+": a stub plan is what registering the document avoids.
            field.widget.can_add_related = field.widget.can_change_related = field.widget.can_delete_related = False
        if field is not None and db_field.name in self.width_classes:
            # The table has nine columns: keep them narrow enough to fit a laptop's screen.
            # A class, not a style attribute: the Content-Security-Policy refuses those (static/css/admin.css).
            width = self.width_classes[db_field.name]
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {width}".strip()
        return field

    width_classes = {
        "kind": "w-11em",
        "number": "w-8em",
        "issue_date_wording": "w-9em",
        "issuer_wording": "w-13em",
        "order": "w-3em",
    }

    @admin.display(description=_("Có thể là"))
    def link_candidates(self, obj: ParentDocument):
        """Plans on the portal with the document's number (and date), when it is not linked yet."""
        if not obj.pk or obj.linked_plan_id:
            return "—"
        request = getattr(self, "_request", None)
        if request is None:
            return "—"
        candidates = list(parent_document_plan_candidates(document=obj, user=request.user)[:5])
        if not candidates:
            return gettext("Chưa thấy kế hoạch cùng số trên cổng.")
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}" target="_blank">{}</a> (ID {})',
            ((reverse("plans:detail", args=[plan.pk]), plan, plan.pk) for plan in candidates),
        )

    def get_formset(self, request, obj=None, **kwargs):
        self._request = request  # link_candidates is a display method: it has no request of its own
        return super().get_formset(request, obj, **kwargs)
