"""Who may change an indicator of the shared catalogue.

Every office reads the catalogue and adds to it, and may correct an indicator no one else's plan
uses. Once a target of a plan issued outside the editor's own units uses it, a change would alter
that plan's figures behind its issuer's back: then only a superuser may change or delete it, or
an office of a province when every plan using it was issued within that province (its own
subtree). A district or commune office never may.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from organisations.models import Membership, OrgUnit
from organisations.permissions import user_memberships

from .models import Indicator

NAMES_SHOWN = 3


def indicator_issuers(indicator: Indicator) -> list[OrgUnit]:
    """The units that issued a plan with a target on this indicator. One query."""
    return list(OrgUnit.objects.filter(plans__targets__indicator=indicator).distinct().order_by("path"))


def indicator_change_refusal(user, indicator: Indicator) -> str | None:
    """Why `user` may not change or delete `indicator`, or None when they may."""
    if getattr(user, "is_superuser", False) or indicator is None or not indicator.pk:
        return None
    own = [m.unit.path for m in user_memberships(user) if m.role == Membership.Role.OFFICE_STAFF]
    outside = [unit for unit in indicator_issuers(indicator) if not any(unit.path.startswith(p) for p in own)]
    if not outside:
        return None
    names = ", ".join(unit.name for unit in outside[:NAMES_SHOWN])
    if len(outside) > NAMES_SHOWN:
        names += _(" và %(n)s đơn vị khác") % {"n": len(outside) - NAMES_SHOWN}
    return _(
        "Chỉ số này đang được dùng trong kế hoạch của %(units)s; chỉ quản trị viên hệ thống (hoặc Sở GD&ĐT, "
        "khi mọi kế hoạch dùng chỉ số đều trong tỉnh của Sở) mới sửa hoặc xóa được. Cần chỉ số khác thì thêm "
        "chỉ số mới."
    ) % {"units": names}


def office_unit_of(user) -> OrgUnit | None:
    """The unit an office adds indicators for: its highest office-staff unit."""
    units = [m.unit for m in user_memberships(user) if m.role == Membership.Role.OFFICE_STAFF]
    return min(units, key=lambda unit: unit.depth) if units else None
