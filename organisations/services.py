"""Writes to the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import SCHOOL_LEVELS, AccountProfile, Membership, OrgUnit, SchoolLevel


@transaction.atomic
def org_unit_merge(*, units: list[OrgUnit], into: OrgUnit, on: date) -> OrgUnit:
    """Close `units` on `on` and record `into` as their successor. Their rows stay, so the plans
    and results that name them keep belonging to them. Returns the successor."""
    for unit in units:
        if unit.pk == into.pk:
            raise ValidationError(_("Không thể sáp nhập một đơn vị vào chính nó."))
        unit.closed_on, unit.successor = on, into
        unit.full_clean()
        unit.save(update_fields=["closed_on", "successor"])
    return into


def org_units_load(rows: list[dict]) -> dict[str, OrgUnit]:
    """Create or update units from fixture rows (fixtures/README.md), matched by key → name and parent.
    Parents must come before their children. Returns key → unit."""
    levels = school_levels_ensure()
    by_key: dict[str, OrgUnit] = {}
    for row in rows:
        parent = by_key[row["parent"]] if row.get("parent") else None
        unit = OrgUnit.objects.filter(name=row["name"], parent=parent, kind=row["kind"]).first() or OrgUnit(
            name=row["name"], parent=parent, kind=row["kind"]
        )
        unit.kind_label = row.get("kind_label") or ""
        unit.code = str(row.get("code") or "")
        unit.ownership = row.get("ownership") or ""
        unit.is_education_office = bool(row.get("education_office"))
        unit.valid_from = _date(row.get("valid_from"))
        unit.closed_on = _date(row.get("closed_on"))
        unit.is_demo = bool(row.get("demo"))
        unit.full_clean()
        unit.save()
        unit.levels.set([levels[code] for code in row.get("levels") or []])
        by_key[row["key"]] = unit
    # Successors may be listed after the units merged into them.
    for row in rows:
        if row.get("successor"):
            unit = by_key[row["key"]]
            unit.successor = by_key[row["successor"]]
            unit.full_clean()
            unit.save(update_fields=["successor"])
    return by_key


def school_levels_ensure() -> dict[str, SchoolLevel]:
    """The five school levels, code → level, creating any that are missing."""
    levels = {level.code: level for level in SchoolLevel.objects.all()}
    for code, name, short_name, order in SCHOOL_LEVELS:
        if code not in levels:
            levels[code] = SchoolLevel.objects.create(code=code, name=name, short_name=short_name, order=order)
    return levels


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


OFFICE_STAFF_APPS = ("organisations", "indicators", "plans", "assignments")
OFFICE_STAFF_GROUP = "Cán bộ Phòng GD&ĐT"


def office_staff_group_ensure():
    """The "Cán bộ Phòng GD&ĐT" group: every permission on the plan data, none on accounts.
    What each member may touch is then cut to their own units (organisations.permissions)."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=OFFICE_STAFF_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=OFFICE_STAFF_APPS))
    return group


def account_sync_from_roles(user) -> None:
    """Staff status and the office group follow from the account's roles, so that a role at a unit
    is the only step: office staff anywhere → staff status and the group; leaders and principals
    only → neither (they use the portal's pages, not the admin). Superusers are left as they are.

    Called by organisations.signals on every save and delete of a Membership (admin inline,
    import, services, the shell), and by the user admin after its groups field is saved."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    stored = User.objects.filter(pk=user.pk).values("is_superuser", "is_staff").first()
    if stored is None or stored["is_superuser"]:
        return
    office = Membership.objects.filter(user_id=user.pk, role=Membership.Role.OFFICE_STAFF).exists()
    if stored["is_staff"] != office:
        User.objects.filter(pk=user.pk).update(is_staff=office)
    user.is_staff = office
    group = Group.objects.filter(name=OFFICE_STAFF_GROUP).first()
    if office:
        if group is None:
            group = office_staff_group_ensure()
        group.user_set.add(user)
    elif group is not None:
        group.user_set.remove(user)
    user.__dict__.pop("_memberships_cache", None)


# --- principal accounts made by the office -------------------------------------------------------
# The office creates the account; the principal sets the password through a one-time link printed
# on the sheet (views_accounts.py). Only a hash of the link's code is stored: the code is shown once.

FIRST_LOGIN_DAYS = 30
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: typed from paper


@dataclass(frozen=True)
class IssuedAccount:
    """An account and its first-log-in code, as the sheet prints them (the code exists nowhere else)."""

    user: object
    school: OrgUnit
    code: str
    expires_at: datetime


def principal_username_propose(school: OrgUnit) -> str:
    """hieutruong.<school code or name>, made unique with -2, -3 …"""
    from django.contrib.auth import get_user_model

    base = slugify((school.code or school.name).replace("đ", "d").replace("Đ", "D"))[:120] or str(school.pk)
    base = f"hieutruong.{base}"
    taken = set(get_user_model().objects.filter(username__startswith=base).values_list("username", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def principal_account_create(
    *, school: OrgUnit, by, full_name: str = "", phone: str = "", email: str = "", username: str = ""
) -> IssuedAccount:
    """A principal's account for `school`, with no usable password yet and a first-log-in code.
    The caller has checked that `by` manages the school."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if school.kind != OrgUnit.Kind.SCHOOL:
        raise ValidationError(_("Chỉ tạo tài khoản hiệu trưởng cho trường học."))
    username = (username or "").strip() or principal_username_propose(school)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập “%(name)s” đã có người dùng.") % {"name": username}})
    user = User(username=username, first_name=full_name.strip(), email=email.strip())
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    AccountProfile.objects.create(user=user, phone=phone.strip(), created_by=by)
    Membership.objects.create(user=user, unit=school, role=Membership.Role.PRINCIPAL)
    return first_login_link_issue(user=user, school=school)


@transaction.atomic
def principal_accounts_create_many(*, schools: list[OrgUnit], by) -> list[IssuedAccount]:
    """One account per school, named by the principal at first log-in. All or none."""
    return [principal_account_create(school=school, by=by) for school in schools]


def first_login_link_issue(*, user, school: OrgUnit) -> IssuedAccount:
    """A new one-time code for `user`; any code issued before stops working."""
    code = "-".join(get_random_string(4, _CODE_ALPHABET) for _part in range(3))
    profile, _created = AccountProfile.objects.get_or_create(user=user)
    profile.first_login_code_hash = make_password(code)
    profile.first_login_expires_at = timezone.now() + timedelta(days=FIRST_LOGIN_DAYS)
    profile.save(update_fields=["first_login_code_hash", "first_login_expires_at"])
    return IssuedAccount(user=user, school=school, code=code, expires_at=profile.first_login_expires_at)


def first_login_user(user_pk, code: str):
    """The active account this code (still) opens, or None: wrong, used, replaced or expired."""
    profile = (
        AccountProfile.objects.select_related("user")
        .filter(user_id=user_pk, user__is_active=True, first_login_expires_at__gt=timezone.now())
        .exclude(first_login_code_hash="")
        .first()
    )
    if profile is None or not check_password((code or "").strip().upper(), profile.first_login_code_hash):
        return None
    return profile.user


@transaction.atomic
def first_login_complete(*, user, password: str, full_name: str = "", phone: str = "", email: str = "") -> None:
    """The principal sets their password (validated by the form) and their contact details; the
    code is spent."""
    user.set_password(password)
    if full_name.strip():
        user.first_name, user.last_name = full_name.strip(), ""
    if email.strip():
        user.email = email.strip()
    user.save()
    profile, _created = AccountProfile.objects.get_or_create(user=user)
    if phone.strip():
        profile.phone = phone.strip()
    profile.first_login_code_hash, profile.first_login_expires_at = "", None
    profile.save()


def account_set_active(*, user, active: bool) -> None:
    """Deactivate or reactivate an account (its roles and history stay). A deactivated account's
    first-log-in code is spent too, so reactivating needs a new link if none was used."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        AccountProfile.objects.filter(user=user).update(first_login_code_hash="", first_login_expires_at=None)
