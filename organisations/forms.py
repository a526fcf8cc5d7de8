"""Log-in forms that say why an account with the right password is refused, and the forms of the
office's account pages (views_accounts.py).

A wrong password keeps the one generic message, and still goes through authenticate(), so
django-axes counts it. Only once the password is known to be right does the form say more:
the account is deactivated, or has no role at any unit yet (it would see nothing), or — on the
admin's log-in — it belongs to a principal or leader, who use the portal's own pages.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.forms import BoundedModelMultipleChoiceField

from .permissions import user_memberships

GENERIC = _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường.")
NO_ROLE = _(
    "Tài khoản chưa được giao vai trò tại đơn vị nào. Liên hệ Phòng GD&ĐT (hoặc quản trị viên hệ thống) "
    "để được giao vai trò rồi đăng nhập lại."
)
INACTIVE = _("Tài khoản này đã bị khóa. Liên hệ Phòng GD&ĐT hoặc quản trị viên hệ thống để mở lại.")
NOT_FOR_ADMIN = _(
    "Tài khoản của hiệu trưởng và lãnh đạo không dùng trang quản trị. Mời đăng nhập ở trang chính của cổng "
    "(mục “Đăng nhập”)."
)


class _SaysWhyMixin:
    error_messages = {"invalid_login": GENERIC, "inactive": INACTIVE, "no_role": NO_ROLE}

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_login" and self._deactivated_with_right_password():
                raise ValidationError(self.error_messages["inactive"], code="inactive") from None
            raise

    def _deactivated_with_right_password(self) -> bool:
        if self.request is not None and getattr(self.request, "axes_locked_out", False):
            return False  # locked out: say nothing about the account
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return False
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            return False
        return not user.is_active and user.check_password(password)

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not user.is_superuser and not user_memberships(user):
            raise ValidationError(self.error_messages["no_role"], code="no_role")


class PortalAuthenticationForm(_SaysWhyMixin, AuthenticationForm):
    pass


class PortalAdminAuthenticationForm(_SaysWhyMixin, AdminAuthenticationForm):
    error_messages = {**_SaysWhyMixin.error_messages, "not_for_admin": NOT_FOR_ADMIN}

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(self.error_messages["not_for_admin"], code="not_for_admin")


# --- the office's account pages ---------------------------------------------------------------------


class PrincipalAccountForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên hiệu trưởng"), max_length=150)
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=_("Đề xuất theo mã trường; có thể sửa. Chỉ chữ không dấu, số và . - _ @ +"),
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        get_user_model().username_validator(username)
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("Tên đăng nhập “%(name)s” đã có người dùng.") % {"name": username})
        return username


class FirstLoginForm(forms.Form):
    """The principal's first log-in: a password of their own, and their contact details."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    new_password1 = forms.CharField(label=_("Mật khẩu mới"), strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("Nhập lại mật khẩu mới"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("new_password1"), cleaned.get("new_password2")
        if one and two:
            if one != two:
                self.add_error("new_password2", _("Hai mật khẩu không giống nhau."))
            else:
                try:
                    password_validation.validate_password(one, self.user)
                except ValidationError as error:
                    self.add_error("new_password1", error)
        return cleaned


class SchoolSelectionForm(forms.Form):
    """The schools ticked on the accounts list: each one of `schools` (those the office manages)."""

    school = BoundedModelMultipleChoiceField(queryset=None)

    def __init__(self, data, *, schools):
        super().__init__(data)
        self.fields["school"].queryset = schools
