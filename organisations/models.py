"""The organisation tree: province → district (optional since 2025) → commune → school.

Agencies (Phòng GD&ĐT, Phòng Nội vụ …) hang under the unit whose People's Committee they serve,
so that a task's lead agency and an education office are units like any other.
Units are never deleted once used: a merged or closed unit keeps its rows and dates so that
older plans and results still belong somewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SchoolLevelManager(models.Manager):
    def get_by_natural_key(self, code: str) -> SchoolLevel:
        return self.get(code=code)


class SchoolLevel(models.Model):
    """A school level (cấp học). The five rows are created by a data migration
    (and re-created by organisations.services.school_levels_ensure after a test flush)."""

    class Code(models.TextChoices):
        PRESCHOOL = "PRESCHOOL", _("Mầm non")
        PRIMARY = "PRIMARY", _("Tiểu học")
        LOWER_SECONDARY = "LOWER_SECONDARY", _("Trung học cơ sở")
        UPPER_SECONDARY = "UPPER_SECONDARY", _("Trung học phổ thông")
        VOCATIONAL_CONTINUING = "VOCATIONAL_CONTINUING", _("GDNN-GDTX")

    code = models.CharField(_("mã"), max_length=32, choices=Code.choices, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("viết tắt"), max_length=20)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = SchoolLevelManager()  # natural keys (the code): backups load into any database

    class Meta:
        ordering = ["order"]
        verbose_name = _("cấp học")
        verbose_name_plural = pgettext_lazy("plural", "cấp học")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


# code, name, short name, order: the rows organisations/migrations/0002 creates.
SCHOOL_LEVELS = [
    ("PRESCHOOL", "Mầm non", "MN", 1),
    ("PRIMARY", "Tiểu học", "TH", 2),
    ("LOWER_SECONDARY", "Trung học cơ sở", "THCS", 3),
    ("UPPER_SECONDARY", "Trung học phổ thông", "THPT", 4),
    ("VOCATIONAL_CONTINUING", "Giáo dục nghề nghiệp - Giáo dục thường xuyên", "GDNN-GDTX", 5),
]


def path_ids(path: str) -> list[int]:
    """The ids a materialised path names, root first: "/1/5/23/" → [1, 5, 23] (the unit last)."""
    return [int(part) for part in path.strip("/").split("/") if part]


def under_path(path: str, field: str = "path") -> Q:
    """Units whose materialised path starts with `path` (the unit and everything below it).

    Written as a range as well as a prefix: "/1/" ≤ path < "/10" (the last character plus one)
    lets PostgreSQL walk the path index, where LIKE '/1/%' alone is not used under a non-C
    collation and a province's subtree would be read by scanning every unit of the country."""
    upper = path[:-1] + chr(ord(path[-1]) + 1)
    return Q(**{f"{field}__gte": path, f"{field}__lt": upper, f"{field}__startswith": path})


class OrgUnitQuerySet(models.QuerySet):
    def under(self, path: str) -> OrgUnitQuerySet:
        return self.filter(under_path(path))

    def open_on(self, day) -> OrgUnitQuerySet:
        """Units that exist on `day`: opened on or before it and not yet closed."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )

    def schools(self) -> OrgUnitQuerySet:
        return self.filter(kind=OrgUnit.Kind.SCHOOL)


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh/Thành phố")
        DISTRICT = "district", _("Huyện/Quận/Thị xã")
        COMMUNE = "commune", _("Xã/Phường/Thị trấn")
        SCHOOL = "school", _("Trường/Trung tâm")
        AGENCY = "agency", _("Cơ quan, phòng ban")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Công lập")
        PRIVATE = "private", _("Tư thục")
        PEOPLE_FOUNDED = "people_founded", _("Dân lập")

    # Which kinds may sit directly under which: a commune may hang straight under a province
    # (two-tier government since 1 July 2025); a school under a commune, or a district/province
    # for THPT and GDNN-GDTX centres run by the level above.
    ALLOWED_PARENTS = {
        Kind.PROVINCE: set(),
        Kind.DISTRICT: {Kind.PROVINCE},
        Kind.COMMUNE: {Kind.DISTRICT, Kind.PROVINCE},
        Kind.SCHOOL: {Kind.COMMUNE, Kind.DISTRICT, Kind.PROVINCE},
        Kind.AGENCY: {Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE},
    }

    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=Kind.choices)
    kind_label = models.CharField(
        _("tên loại"),
        max_length=50,
        blank=True,
        help_text=_("Như văn bản gọi: huyện, thị xã, xã, phường, thị trấn, đặc khu, trường TH&THCS …"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("mã đơn vị"), max_length=32, blank=True, help_text=_("Mã chính thức, nếu có."))
    levels = models.ManyToManyField(
        SchoolLevel,
        verbose_name=_("cấp học"),
        blank=True,
        related_name="schools",
        help_text=_("Trường liên cấp chọn nhiều cấp."),
    )
    ownership = models.CharField(_("loại hình"), max_length=16, choices=Ownership.choices, blank=True)
    is_education_office = models.BooleanField(
        _("là cơ quan quản lý giáo dục"),
        default=False,
        help_text=_("Phòng GD&ĐT, Sở GD&ĐT hoặc Phòng Văn hóa - Xã hội phụ trách giáo dục."),
    )
    valid_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    closed_on = models.DateField(_("giải thể/sáp nhập từ ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    is_demo = models.BooleanField(
        _("dữ liệu minh họa"), default=False, help_text=_("Đơn vị giả lập, chỉ để trình diễn.")
    )
    # Materialised path "/1/5/23/": subtree queries are one indexed LIKE, no recursion.
    # Kept by save(); organisations.services.org_unit_move() rewrites descendants.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="orgunit_code_unique"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(closed_on__gte=models.F("valid_from")),
                name="orgunit_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0

    def clean(self) -> None:
        errors = {}
        if self.parent_id:
            if self.parent.kind not in self.ALLOWED_PARENTS[self.kind]:
                errors["parent"] = _("Đơn vị loại “%(kind)s” không thể trực thuộc “%(parent)s”.") % {
                    "kind": self.get_kind_display(),
                    "parent": self.parent.get_kind_display(),
                }
            elif self.pk and (self.parent_id == self.pk or f"/{self.pk}/" in self.parent.path):
                errors["parent"] = _("Một đơn vị không thể trực thuộc chính nó hoặc đơn vị cấp dưới của nó.")
        elif self.kind not in (self.Kind.PROVINCE,):
            errors["parent"] = _("Cần chọn đơn vị cấp trên.")
        if self.kind != self.Kind.SCHOOL and self.ownership:
            errors["ownership"] = _("Chỉ trường học mới có loại hình công lập/tư thục.")
        if self.successor_id and not self.closed_on:
            errors["closed_on"] = _("Đơn vị đã sáp nhập cần có ngày sáp nhập.")
        if self.successor_id and self.successor_id == self.pk:
            errors["successor"] = _("Không thể sáp nhập vào chính nó.")
        if self.closed_on and self.valid_from and self.closed_on < self.valid_from:
            errors["closed_on"] = _("Ngày giải thể phải sau ngày bắt đầu hoạt động.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)
            if old:
                # Re-parenting: descendants keep their place under the new path.
                for child in type(self).objects.filter(path__startswith=old).exclude(pk=self.pk):
                    type(self).objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])

    def is_open_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.closed_on is None or self.closed_on > day)


class Membership(models.Model):
    """A person's role at a unit: what they may see and change follows from it (organisations.permissions).

    Office staff of a district or commune manage that unit and everything under it; a principal
    belongs to one school; a leader reads everything under their unit and changes nothing.
    """

    class Role(models.TextChoices):
        OFFICE_STAFF = "office_staff", _("Cán bộ quản lý giáo dục")
        PRINCIPAL = "principal", _("Hiệu trưởng")
        LEADER = "leader", _("Lãnh đạo")

    ALLOWED_UNIT_KINDS = {
        Role.OFFICE_STAFF: {OrgUnit.Kind.PROVINCE, OrgUnit.Kind.DISTRICT, OrgUnit.Kind.COMMUNE},
        Role.PRINCIPAL: {OrgUnit.Kind.SCHOOL},
        Role.LEADER: {OrgUnit.Kind.PROVINCE, OrgUnit.Kind.DISTRICT, OrgUnit.Kind.COMMUNE},
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["user", "unit__path"]
        verbose_name = _("vai trò tại đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "vai trò tại đơn vị")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"

    def clean(self) -> None:
        if self.unit_id and self.role and self.unit.kind not in self.ALLOWED_UNIT_KINDS[self.role]:
            raise ValidationError(
                {
                    "unit": _("Vai trò “%(role)s” không gắn với đơn vị loại “%(kind)s”.")
                    % {"role": self.get_role_display(), "kind": self.unit.get_kind_display()}
                }
            )


class AccountProfile(models.Model):
    """What the portal keeps about an account besides Django's user: a phone number for the
    offices' reminders, and the one-time first-log-in link the office issued (only its hash is
    stored; the link itself is shown once, on the sheet the office prints)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="profile"
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    first_login_code_hash = models.CharField(max_length=128, blank=True, editable=False)
    first_login_expires_at = models.DateTimeField(_("liên kết đăng nhập lần đầu hết hạn"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hồ sơ tài khoản")
        verbose_name_plural = pgettext_lazy("plural", "hồ sơ tài khoản")

    def __str__(self) -> str:
        return str(self.user)
