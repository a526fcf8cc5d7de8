"""Admin of the organisation tree and of accounts. Thin: validation lives in OrgUnit.clean() and
Membership.clean(), paths in OrgUnit.save(), who may do what in organisations.permissions.

Who uses the admin (every app's admin builds on OfficeAdminMixin below):
- superusers: everything, and they alone manage accounts (users, their roles at units, groups);
- office staff (a Membership with role office_staff; staff status and the office group follow
  from it, organisations.services.account_sync_from_roles): the rows under their units;
- leaders and principals: no admin at all (they are not staff; if one were made staff by mistake,
  user_may_use_admin() still shuts every screen).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.admin_bounds import BoundedInputAdminMixin
from portal.admin_import import ImportExportAdmin
from portal.admin_scope import ScopedAdminMixin
from portal.admin_widgets import titled_filter

from .models import AccountProfile, Membership, OrgUnit, SchoolLevel
from .permissions import can_manage_unit, is_office_staff, units_managed_by, units_visible_to
from .resources import OrgUnitResource
from .services import account_sync_from_roles


class OfficeAdminMixin(ScopedAdminMixin):
    """An admin screen for office staff: the role gate of portal.admin_scope.ScopedAdminMixin.
    Scoped admins add scope_queryset()/scope_can_change(); shared catalogues (indicators, funding
    sources, school levels) use it as it is: readable and editable by every office."""

    def user_may_use_admin(self, user) -> bool:
        return is_office_staff(user)


def out_of_scope_message(model, pk) -> str:
    """The import error for a row that matches an object the person may not change."""
    return gettext("%(model)s ID %(pk)s không thuộc các đơn vị bạn quản lý, không sửa được bằng tệp này.") % {
        "model": model._meta.verbose_name.capitalize(),
        "pk": pk,
    }


@admin.register(SchoolLevel)
class SchoolLevelAdmin(OfficeAdminMixin, admin.ModelAdmin):
    """Read-only: the five levels come from a data migration and are referred to by code."""

    list_display = ["name", "short_name", "code", "order"]
    ordering = ["order"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClosedFilter(admin.SimpleListFilter):
    title = _("tình trạng hoạt động")
    parameter_name = "hoat_dong"

    def lookups(self, request, model_admin):
        return [("open", _("Đang hoạt động")), ("closed", _("Đã giải thể/sáp nhập"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "open":
            return queryset.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))
        if self.value() == "closed":
            return queryset.filter(closed_on__lte=today)
        return queryset


@admin.register(OrgUnit)
class OrgUnitAdmin(OfficeAdminMixin, ImportExportAdmin):
    """Office staff see the units under theirs and change only those they manage (units_managed_by);
    a new unit goes under one of those."""

    resource_classes = [OrgUnitResource]
    import_help = _(
        "Trực thuộc, Sáp nhập vào: ghi mã đơn vị; đơn vị chưa có mã ghi #ID (ví dụ #12). Đơn vị cấp trên có thể "
        "nằm ở dòng trước trong cùng tệp. Cấp học: mã, cách nhau bởi dấu phẩy (PRESCHOOL, PRIMARY, "
        "LOWER_SECONDARY, UPPER_SECONDARY, VOCATIONAL_CONTINUING). Ngày ghi ngày/tháng/năm. Dòng có ID sẽ "
        "cập nhật đơn vị đó; để trống ID là thêm mới."
    )
    list_display = ["name", "kind", "parent", "code", "level_list", "closed_on"]
    list_filter = [
        "kind",
        "levels",
        "ownership",
        "is_education_office",
        "is_demo",
        ClosedFilter,
        ("parent__kind", titled_filter(admin.ChoicesFieldListFilter, _("loại đơn vị cấp trên"))),
    ]
    search_fields = ["name", "code"]
    search_help_text = _("Tìm theo tên hoặc mã đơn vị.")
    autocomplete_fields = ["parent", "successor"]
    list_select_related = ["parent"]
    ordering = ["path"]  # the tree order: each unit right after its parent
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["name", "kind", "kind_label", "parent", "code", "is_education_office"]}),
        (_("Trường học"), {"fields": ["levels", "ownership"]}),
        (_("Sáp nhập, giải thể"), {"fields": ["valid_from", "closed_on", "successor"]}),
        (_("Khác"), {"fields": ["is_demo"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    def scope_queryset(self, request, queryset):
        return queryset.filter(pk__in=units_visible_to(request.user).values("pk"))

    def scope_can_change(self, request, obj) -> bool:
        return can_manage_unit(request.user, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("parent", "successor"):
            kwargs["queryset"] = self.scoped_choices(request, db_field, units_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.is_superuser and "parent" in form.base_fields:
            # A unit without a parent (a province) would fall outside every office's units.
            form.base_fields["parent"].required = True
        return form

    def import_scope_check(self, request):
        if request.user.is_superuser:
            return None
        user = request.user

        def check(unit: OrgUnit, *, stored: bool):
            if stored:
                if can_manage_unit(user, unit):
                    return None
                return (NON_FIELD_ERRORS, out_of_scope_message(OrgUnit, unit.pk))
            stored_parent = (
                OrgUnit.objects.filter(pk=unit.pk).values_list("parent_id", flat=True).first() if unit.pk else None
            )
            if stored_parent is not None and unit.parent_id == stored_parent:
                return None  # the unit stays where it is (the stored check allowed it)
            if unit.parent_id is None or not can_manage_unit(user, unit.parent):
                return ("parent", gettext("Đơn vị cấp trên phải là một đơn vị bạn quản lý."))
            return None

        return check

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "levels":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("cấp học"))
    def level_list(self, obj: OrgUnit) -> str:
        return ", ".join(level.short_name for level in obj.levels.all())


# --- accounts (superusers only) -----------------------------------------------------------------


class MembershipInline(BoundedInputAdminMixin, admin.TabularInline):
    """A person's roles at units; Membership.clean() checks the unit's kind for the role."""

    model = Membership
    fields = ["unit", "role"]
    autocomplete_fields = ["unit"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


class AccountProfileInline(admin.StackedInline):
    model = AccountProfile
    fk_name = "user"
    fields = ["phone"]
    can_delete = False
    verbose_name_plural = _("liên hệ")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(BoundedInputAdminMixin, UserAdmin):
    """Accounts with their roles. Superusers only: office staff hold no permission on users or
    groups (organisations.services.office_staff_group_ensure), and this admin asks for
    is_superuser besides, so a permission given by mistake opens nothing."""

    inlines = [MembershipInline, AccountProfileInline]
    list_display = ["username", "full_name", "roles", "email", "is_staff", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__role", "groups"]
    search_fields = ["username", "first_name", "last_name", "email", "memberships__unit__name"]

    def get_queryset(self, request):
        memberships = Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
        return super().get_queryset(request).prefetch_related(memberships)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "is_staff" in form.base_fields:
            form.base_fields["is_staff"].help_text = _(
                "Tự động theo vai trò: có vai trò “Cán bộ quản lý giáo dục” ở một đơn vị thì có trang quản trị và "
                "nhóm “Cán bộ Phòng GD&ĐT”; không còn vai trò đó thì mất cả hai (trừ tài khoản quản trị viên)."
            )
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The groups field and the roles are saved one after the other: the roles decide last.
        account_sync_from_roles(form.instance)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("họ tên"), ordering="first_name")
    def full_name(self, obj) -> str:
        return obj.get_full_name()

    @admin.display(description=_("vai trò"))
    def roles(self, obj) -> str:
        return "; ".join(f"{m.get_role_display()} – {m.unit.name}" for m in obj.memberships.all()) or "—"


admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(BoundedInputAdminMixin, GroupAdmin):
    """Django's groups page, with the ticked rows' ids checked before an action (portal/admin_bounds.py)."""
