import datetime

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from organisations.models import Membership, OrgUnit
from organisations.services import office_staff_group_ensure
from plans.models import Plan
from results.models import ReportingPeriod, Submission, SubmissionEvent
from results.selectors import period_targets_for_school
from results.services import (
    period_set_status,
    submission_approve,
    submission_get_or_create,
    submission_save_values,
    submission_submit,
)

DEMO_PASSWORD = "demo12345"  # noqa: S105 - printed on purpose: demo accounts on a local SQLite file only
DEMO_ACCOUNTS = [
    # username, full name, is_staff, is_superuser, in office staff group
    ("admin", "Quản trị hệ thống (minh họa)", True, True, False),
    ("phonggd.vinhbao", "Cán bộ Phòng GD&ĐT Vĩnh Bảo (minh họa)", True, False, True),
    ("lanhdao.vinhbao", "Lãnh đạo UBND huyện Vĩnh Bảo (minh họa)", False, False, False),
    ("hieutruong.mn-tamcuong", "Hiệu trưởng Trường Mầm non Tam Cường (minh họa)", False, False, False),
]
DISTRICT = "Huyện Vĩnh Bảo"
# username → (role, unit name): what each demo account may see and change follows from it.
DEMO_MEMBERSHIPS = {
    "phonggd.vinhbao": (Membership.Role.OFFICE_STAFF, DISTRICT),
    "lanhdao.vinhbao": (Membership.Role.LEADER, DISTRICT),
    "hieutruong.mn-tamcuong": (Membership.Role.PRINCIPAL, "Trường Mầm non Tam Cường"),
}
OPEN_PERIOD = "Năm 2026 (minh họa)"
LAST_PERIOD = "Năm 2025 (minh họa)"
# Schools whose 2025 report is approved, so that their 2026 page shows "last year's value".
REPORTED_2025 = [
    "Trường Mầm non Tam Cường",
    "Trường Mầm non Hòa Bình",
    "Trường Mầm non Thị trấn Vĩnh Bảo",
    "Trường Tiểu học Tam Cường",
]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu và tạo các tài khoản minh họa (chỉ dùng cho bản trình diễn)."

    def handle(self, *args, **options):
        # load_seed_data replaces the Vĩnh Bảo plan whole, which its periods (PROTECT) would block:
        # drop the demo periods first, they are rebuilt below against the new plan.
        self._delete_demo_periods()
        call_command("load_seed_data", stdout=self.stdout)
        group = office_staff_group_ensure()
        User = get_user_model()
        users = {}
        for username, full_name, is_staff, is_superuser, in_group in DEMO_ACCOUNTS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name = full_name
            user.is_staff, user.is_superuser = is_staff, is_superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            if in_group:
                user.groups.add(group)
            users[username] = user
        in_district = OrgUnit.objects.filter(path__startswith=self._district().path)
        for username, (role, unit_name) in DEMO_MEMBERSHIPS.items():
            unit = in_district.get(name=unit_name)
            Membership.objects.get_or_create(user=users[username], unit=unit, role=role)
        self._demo_periods(office=users["phonggd.vinhbao"], principal=users["hieutruong.mn-tamcuong"])

        self.stdout.write(self.style.SUCCESS(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):"))
        for username, full_name, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<24} {full_name}")
        self.stdout.write(f"Kỳ báo cáo minh họa: “{OPEN_PERIOD}” (đang mở), “{LAST_PERIOD}” (đã duyệt, đã đóng).")

    def _district(self) -> OrgUnit:
        return OrgUnit.objects.get(name=DISTRICT, kind=OrgUnit.Kind.DISTRICT)

    def _delete_demo_periods(self) -> None:
        periods = ReportingPeriod.objects.filter(label__in=[OPEN_PERIOD, LAST_PERIOD], plan__issuer__name=DISTRICT)
        with transaction.atomic():
            for period in periods:
                for submission in period.submissions.all():
                    submission.values.all().delete()
                    submission.delete()
                period.delete()

    @transaction.atomic
    def _demo_periods(self, *, office, principal) -> None:
        plan = Plan.objects.get(issuer=self._district(), is_demo=False, title__startswith="Tiếp tục triển khai")
        last = ReportingPeriod.objects.create(
            plan=plan,
            kind=ReportingPeriod.Kind.CALENDAR_YEAR,
            label=LAST_PERIOD,
            year=2025,
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2025, 12, 31),
            opens_on=datetime.date(2025, 11, 1),
            due_on=datetime.date(2025, 12, 5),
            due_wording="trước ngày 05/12",
        )
        period_set_status(period=last, status=ReportingPeriod.Status.OPEN, by=office)
        for offset, name in enumerate(REPORTED_2025):
            school = OrgUnit.objects.get(name=name, path__startswith=self._district().path)
            by = principal if name == "Trường Mầm non Tam Cường" else office
            self._approved_submission(last, school, offset=offset, by=by, office=office)
        period_set_status(period=last, status=ReportingPeriod.Status.CLOSED, by=office)

        current = ReportingPeriod.objects.create(
            plan=plan,
            kind=ReportingPeriod.Kind.CALENDAR_YEAR,
            label=OPEN_PERIOD,
            year=2026,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            opens_on=datetime.date(2026, 11, 1),
            due_on=datetime.date(2026, 12, 5),
            due_wording="trước ngày 05/12",
        )
        period_set_status(period=current, status=ReportingPeriod.Status.OPEN, by=office)

    def _approved_submission(self, period, school, *, offset: int, by, office) -> None:
        targets = period_targets_for_school(period, school)
        submission = submission_get_or_create(period=period, school=school)
        values = {target.pk: _demo_value(target, offset) for target in targets}
        submission_save_values(submission=submission, values=values, by=by, expected_version=submission.version)
        submission_submit(submission=submission, targets=targets, by=by, expected_version=submission.version)
        submission_approve(submission=submission, by=office, expected_version=submission.version)
        # The story is that last year's reports came in on time: date them before the 2025 due date
        # (the services stamp "now", which would mark every one of them late).
        sent = datetime.datetime(2025, 12, 1, 9 + offset, 0, tzinfo=timezone.get_current_timezone())
        approved = sent + datetime.timedelta(days=2)
        Submission.objects.filter(pk=submission.pk).update(submitted_at=sent, reviewed_at=approved)
        events = SubmissionEvent.objects.filter(submission=submission)
        events.filter(action=SubmissionEvent.Action.SUBMITTED).update(at=sent)
        events.filter(action=SubmissionEvent.Action.APPROVED).update(at=approved)


def _demo_value(target, offset: int) -> dict:
    """A plausible value in the shape the target's indicator needs (invented, like the schools)."""
    unit = target.indicator.unit
    wording = target.wording.lower()
    if unit in ("ratio", "percent"):
        staff = "giáo viên" in wording or "cán bộ" in wording
        denominator = (18 + offset * 3) if staff else (140 + offset * 25)
        percent = 95
        for words, value in [("suy dinh dưỡng", 2), ("nhà trẻ", 46), ("thạc sĩ", 5), ("trên chuẩn", 85)]:
            if words in wording:
                percent = value
                break
        if "đạt chuẩn" in wording and staff:
            percent = 100
        numerator = round(denominator * percent / 100)
        if unit == "percent":
            return {"number": round(numerator * 100 / denominator, 2)}
        return {"numerator": numerator, "denominator": denominator}
    if unit == "count":
        return {"number": offset % 2}
    if unit == "boolean":
        return {"boolean": True}
    return {"stage": (target.indicator.stage_list or ["Đang thực hiện"])[0]}
