"""The office's principal accounts, under /tai-khoan/: the schools under the office's units with
their principal accounts, creating one or many, deactivating and reactivating, a new first-log-in
link, and the printable sheet of what was just issued; and the principal's first log-in page.

Who: office staff for the schools under the units they manage (organisations.permissions); a
school or an account outside them is 404, and so is every page for principals and leaders.
The first-log-in codes exist in clear only in the office's session, for SHEET_MINUTES after they
were issued (the sheet and its XLSX/CSV are made from there); the database keeps their hashes.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.exports import tabular_response

from . import selectors, services
from .forms import FirstLoginForm, PrincipalAccountForm, SchoolSelectionForm
from .models import Membership, OrgUnit
from .permissions import is_office_staff, units_managed_by

SHEET_KEY = "principal_account_sheet"
SHEET_MINUTES = 30


def _require_office(user) -> None:
    if not is_office_staff(user):
        raise Http404


def _school_in_scope(user, school_pk: int) -> OrgUnit:
    return get_object_or_404(units_managed_by(user).schools(), pk=school_pk)


def _account_in_scope(user, account_pk: int):
    """(account, school) of a principal account at a school the user manages; 404 otherwise, and for
    accounts that hold any other role (those are the system administrator's)."""
    managed = units_managed_by(user)
    membership = (
        Membership.objects.filter(user_id=account_pk, role=Membership.Role.PRINCIPAL, unit__in=managed.schools())
        .select_related("user", "unit")
        .first()
    )
    if membership is None or membership.user.is_superuser:
        raise Http404
    others = Membership.objects.filter(user_id=account_pk).exclude(
        Q(role=Membership.Role.PRINCIPAL) & Q(unit__in=managed)
    )
    if others.exists():
        raise Http404
    return membership.user, membership.unit


# --- the sheet of issued links (session only) ---------------------------------------------------------


def _keep_sheet(request: HttpRequest, issued: list[services.IssuedAccount]) -> None:
    rows = []
    for item in issued:
        link = request.build_absolute_uri(reverse("accounts:first_login", args=[item.user.pk, item.code]))
        rows.append(
            {
                "school": item.school.name,
                "name": item.user.get_full_name(),
                "username": item.user.username,
                "code": item.code,
                "link": link,
                "expires": formats.date_format(timezone.localtime(item.expires_at), "SHORT_DATE_FORMAT"),
            }
        )
    request.session[SHEET_KEY] = {"at": time.time(), "rows": rows}


def _sheet(request: HttpRequest) -> list[dict] | None:
    sheet = request.session.get(SHEET_KEY)
    if not sheet or time.time() - sheet["at"] > SHEET_MINUTES * 60:
        request.session.pop(SHEET_KEY, None)
        return None
    return sheet["rows"]


# --- pages ------------------------------------------------------------------------------------------------


@login_required
def account_list_view(request: HttpRequest) -> HttpResponse:
    """GET: the schools and their principal accounts. POST: accounts for the ticked schools."""
    _require_office(request.user)
    managed = units_managed_by(request.user)
    if request.method == "POST":
        form = SchoolSelectionForm(request.POST, schools=managed.schools())
        if not form.is_valid():
            if form.has_error("school", "required"):
                messages.error(request, _("Chưa chọn trường nào. Đánh dấu các trường cần tạo tài khoản rồi bấm lại."))
            else:
                messages.error(request, " ".join(form.errors["school"]))
            return redirect("accounts:list")
        schools = list(form.cleaned_data["school"].order_by("path"))
        having = selectors.principal_contacts([s.pk for s in schools])
        skipped = [s for s in schools if s.pk in having]
        try:
            issued = services.principal_accounts_create_many(
                schools=[s for s in schools if s.pk not in having], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:list")
        if skipped:
            messages.warning(
                request,
                _("Bỏ qua các trường đã có tài khoản hiệu trưởng đang hoạt động: %(names)s.")
                % {"names": ", ".join(s.name for s in skipped)},
            )
        if not issued:
            return redirect("accounts:list")
        _keep_sheet(request, issued)
        messages.success(
            request, _("Đã tạo %(n)s tài khoản. In phiếu dưới đây và gửi cho từng trường.") % {"n": len(issued)}
        )
        return redirect("accounts:sheet")
    rows = selectors.schools_with_principal_accounts(managed)
    return render(
        request,
        "organisations/account_list.html",
        {"rows": rows, "without": sum(1 for r in rows if not r.has_active), "sheet_ready": _sheet(request) is not None},
    )


@login_required
def account_create_view(request: HttpRequest, school_pk: int) -> HttpResponse:
    _require_office(request.user)
    school = _school_in_scope(request.user, school_pk)
    initial = {"username": services.principal_username_propose(school)}
    form = PrincipalAccountForm(request.POST or None, initial=initial)
    has_active = bool(selectors.principal_contacts([school.pk]))
    if request.method == "POST" and form.is_valid():
        if has_active:
            form.add_error(None, _("Trường đã có tài khoản hiệu trưởng đang hoạt động; khóa tài khoản cũ trước."))
        else:
            try:
                issued = services.principal_account_create(school=school, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _keep_sheet(request, [issued])
                messages.success(request, _("Đã tạo tài khoản cho %(school)s.") % {"school": school.name})
                return redirect("accounts:sheet")
    return render(
        request, "organisations/account_form.html", {"form": form, "school": school, "has_active": has_active}
    )


def _set_active(request: HttpRequest, user_pk: int, *, active: bool) -> HttpResponse:
    _require_office(request.user)
    account, _school = _account_in_scope(request.user, user_pk)
    services.account_set_active(user=account, active=active)
    done = _("Đã mở lại tài khoản %(name)s.") if active else _("Đã khóa tài khoản %(name)s.")
    messages.success(request, done % {"name": account.username})
    return redirect("accounts:list")


@login_required
@require_POST
def account_deactivate_view(request: HttpRequest, user_pk: int) -> HttpResponse:
    return _set_active(request, user_pk, active=False)


@login_required
@require_POST
def account_reactivate_view(request: HttpRequest, user_pk: int) -> HttpResponse:
    return _set_active(request, user_pk, active=True)


@login_required
@require_POST
def account_new_link_view(request: HttpRequest, user_pk: int) -> HttpResponse:
    _require_office(request.user)
    account, school = _account_in_scope(request.user, user_pk)
    if not account.is_active:
        messages.error(
            request, _("Tài khoản %(name)s đang bị khóa; mở lại trước khi cấp liên kết.") % {"name": account.username}
        )
        return redirect("accounts:list")
    _keep_sheet(request, [services.first_login_link_issue(user=account, school=school)])
    messages.success(
        request, _("Đã cấp liên kết mới cho %(name)s; liên kết cũ không dùng được nữa.") % {"name": account.username}
    )
    return redirect("accounts:sheet")


@login_required
def account_sheet_view(request: HttpRequest) -> HttpResponse:
    _require_office(request.user)
    rows = _sheet(request)
    portal = request.build_absolute_uri(reverse("login"))
    return render(
        request,
        "organisations/account_sheet.html",
        {"rows": rows, "portal": portal, "minutes": SHEET_MINUTES, "days": services.FIRST_LOGIN_DAYS},
    )


SHEET_HEADER = [
    gettext_lazy("Trường"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Tên đăng nhập"),
    gettext_lazy("Liên kết đăng nhập lần đầu"),
    gettext_lazy("Mã"),
    gettext_lazy("Hết hạn"),
    gettext_lazy("Địa chỉ cổng"),
]


@login_required
def account_sheet_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_office(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = _sheet(request)
    if rows is None:
        messages.error(request, _("Phiếu đã hết hạn hoặc đã đóng; cấp liên kết mới để có phiếu mới."))
        return redirect("accounts:list")
    portal = request.build_absolute_uri(reverse("login"))
    table = [[r["school"], r["name"], r["username"], r["link"], r["code"], r["expires"], portal] for r in rows]
    return tabular_response(
        header=[str(h) for h in SHEET_HEADER],
        rows=table,
        fmt=fmt,
        filename="tai-khoan-hieu-truong",
        title=_("Tài khoản"),
    )


@login_required
@require_POST
def account_sheet_close_view(request: HttpRequest) -> HttpResponse:
    _require_office(request.user)
    request.session.pop(SHEET_KEY, None)
    messages.success(request, _("Đã đóng phiếu; các liên kết không còn hiện lại được."))
    return redirect("accounts:list")


def first_login_view(request: HttpRequest, user_pk: int, code: str) -> HttpResponse:
    """The principal's one-time page: set a password, check their name and contacts, and in."""
    user = services.first_login_user(user_pk, code)
    if user is None:
        return render(request, "organisations/first_login.html", {"invalid": True})
    school = Membership.objects.filter(user=user, role=Membership.Role.PRINCIPAL).select_related("unit").first()
    profile = getattr(user, "profile", None)
    initial = {"full_name": user.get_full_name(), "email": user.email, "phone": profile.phone if profile else ""}
    form = FirstLoginForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.first_login_complete(
            user=user,
            password=data["new_password1"],
            full_name=data["full_name"],
            phone=data["phone"],
            email=data["email"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Đã đặt mật khẩu. Từ nay đăng nhập bằng tên %(name)s và mật khẩu vừa đặt.") % {"name": user.username},
        )
        return redirect("home")
    return render(
        request,
        "organisations/first_login.html",
        {"form": form, "account": user, "school": school.unit if school else None},
    )
