import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assignments.models import Task
from assignments.services import task_record_progress
from organisations.models import Membership, OrgUnit
from organisations.services import account_sync_from_roles, office_staff_group_ensure
from plans.models import BudgetSpending, Plan
from plans.services import budget_spending_record
from results.models import ReportingPeriod, Submission, SubmissionEvent
from results.questions import question_for
from results.rollups import rollup_rebuild
from results.selectors import period_schools, period_targets_for_school
from results.services import (
    period_set_status,
    submission_approve,
    submission_get_or_create,
    submission_save_values,
    submission_submit,
)

DEMO_PASSWORD = "demo12345"  # noqa: S105 - printed on purpose: demo accounts on a local SQLite file only
DEMO_ACCOUNTS = [
    # username, full name, is_superuser; staff status and the office group follow from the roles
    # below (organisations.services.account_sync_from_roles)
    ("admin", "Quản trị hệ thống (minh họa)", True),
    ("phonggd.vinhbao", "Cán bộ Phòng GD&ĐT Vĩnh Bảo (minh họa)", False),
    ("lanhdao.vinhbao", "Lãnh đạo UBND huyện Vĩnh Bảo (minh họa)", False),
    ("hieutruong.mn-tamcuong", "Hiệu trưởng Trường Mầm non Tam Cường (minh họa)", False),
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
# The 2025 story: every school reported on time except these, which never sent their report.
MISSING_2025 = {"Trường Mầm non Hiệp Hòa", "Trường Tiểu học Cổ Am", "Trường THCS Giang Biên"}
# The 2026 story (period open, due 05/12/2026): a third of the schools approved, some sent and
# waiting for the office, the principal's own preschool still to enter, the rest not started.
APPROVED_2026_EVERY = 3  # every third school, in tree order
SUBMITTED_2026_EVERY = 7
PRINCIPAL_SCHOOL = "Trường Mầm non Tam Cường"


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu và tạo các tài khoản minh họa (chỉ dùng cho bản trình diễn)."

    def handle(self, *args, **options):
        # load_seed_data replaces the Vĩnh Bảo plan whole, which its periods (PROTECT) would block:
        # drop the demo periods first, they are rebuilt below against the new plan.
        self._delete_demo_periods()
        call_command("load_seed_data", stdout=self.stdout)
        office_staff_group_ensure()  # its permissions follow the apps' models
        User = get_user_model()
        users = {}
        for username, full_name, is_superuser in DEMO_ACCOUNTS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name = full_name
            user.is_superuser = user.is_staff = is_superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            users[username] = user
        in_district = OrgUnit.objects.filter(path__startswith=self._district().path)
        for username, (role, unit_name) in DEMO_MEMBERSHIPS.items():
            unit = in_district.get(name=unit_name)
            Membership.objects.get_or_create(user=users[username], unit=unit, role=role)
            account_sync_from_roles(users[username])  # an existing role sends no signal
        self._demo_periods(office=users["phonggd.vinhbao"], principal=users["hieutruong.mn-tamcuong"])
        rollup_rebuild()  # the reports deleted above took their roll-ups' basis with them

        self.stdout.write(self.style.SUCCESS(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):"))
        for username, full_name, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<24} {full_name}")
        self.stdout.write(f"Kỳ báo cáo minh họa: “{OPEN_PERIOD}” (đang mở), “{LAST_PERIOD}” (đã duyệt, đã đóng).")
        self.stdout.write(
            "Trang tổng quan của lãnh đạo: /tong-quan/ · việc cần làm của Phòng: /tong-quan/viec-can-lam/"
        )

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
            # Spending protects its budget lines, which load_seed_data replaces with the plan.
            BudgetSpending.objects.filter(line__plan__issuer__name=DISTRICT).delete()

    @transaction.atomic
    def _demo_periods(self, *, office, principal) -> None:
        district = self._district()
        plan = Plan.objects.get(issuer=district, is_demo=False, title__startswith="Tiếp tục triển khai")
        last = self._period(plan, LAST_PERIOD, 2025, office=office)
        schools = list(period_schools(last))
        for offset, school in enumerate(schools):
            if school.name in MISSING_2025:
                continue
            by = principal if school.name == PRINCIPAL_SCHOOL else office
            self._report(last, school, offset=offset, by=by, office=office, approve=True, sent_day=1 + offset % 4)
        # The district's own facts (no school can report them), entered and approved by the office.
        self._report(last, district, offset=0, by=office, office=office, approve=True, sent_day=3)
        period_set_status(period=last, status=ReportingPeriod.Status.CLOSED, by=office)

        self._demo_tasks_and_spending(plan, office=office)
        current = self._period(plan, OPEN_PERIOD, 2026, office=office)
        for offset, school in enumerate(period_schools(current)):
            if school.name == PRINCIPAL_SCHOOL:
                continue  # the principal's own journey starts from an empty form
            if offset % APPROVED_2026_EVERY == 0:
                self._report(current, school, offset=offset + 1, by=office, office=office, approve=True)
            elif offset % SUBMITTED_2026_EVERY == 0:
                self._report(current, school, offset=offset + 1, by=office, office=office, approve=False)

    def _demo_tasks_and_spending(self, plan, *, office) -> None:
        """A few progress notes and amounts spent, so the tasks and budget tabs tell a story: the
        first tasks done or under way, the rest overdue without a word; spending on some lines."""
        stories = [
            (Task.Status.DONE, "Đã tổ chức hội nghị quán triệt cho 100% cán bộ quản lý (minh họa).", 2024, 10, 25),
            (Task.Status.IN_PROGRESS, "Đã có dự thảo kế hoạch, đang lấy ý kiến các trường (minh họa).", 2024, 11, 20),
            (Task.Status.DONE, "Quyết định thành lập Ban chỉ đạo đã ban hành (minh họa).", 2024, 11, 28),
        ]
        for task, (status, text, year, month, day) in zip(plan.tasks.order_by("order", "pk"), stories, strict=False):
            task_record_progress(
                task=task, status=status, text=text, noted_on=datetime.date(year, month, day), by=office
            )
        leaves = [
            line for line in plan.budget_lines.order_by("order", "pk") if line.amount is not None and "." in line.number
        ]
        for n, line in enumerate(leaves[:6]):
            for year in (2024, 2025):
                share = Decimal("0.15") if year == 2024 else Decimal("0.30")
                amount = (line.amount * share * (1 + n % 3) / 2).quantize(Decimal(1))
                budget_spending_record(line=line, year=year, amount=amount, note="Số minh họa", by=office)

    def _period(self, plan, label: str, year: int, *, office) -> ReportingPeriod:
        period = ReportingPeriod.objects.create(
            plan=plan,
            kind=ReportingPeriod.Kind.CALENDAR_YEAR,
            label=label,
            year=year,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            opens_on=datetime.date(year, 11, 1),
            due_on=datetime.date(year, 12, 5),
            due_wording="trước ngày 05/12",
        )
        # The demo builds past years on purpose: their due dates have passed, and that is known.
        return period_set_status(
            period=period, status=ReportingPeriod.Status.OPEN, by=office, past_due_acknowledged=True
        )

    def _report(self, period, unit, *, offset: int, by, office, approve: bool, sent_day: int | None = None) -> None:
        targets = period_targets_for_school(period, unit)
        if not targets:
            return
        submission = submission_get_or_create(period=period, school=unit)
        values = {target.pk: _demo_value(target, unit, offset, period.year) for target in targets}
        submission_save_values(submission=submission, values=values, by=by, expected_version=submission.version)
        submission_submit(submission=submission, targets=targets, by=by, expected_version=submission.version)
        if approve:
            submission_approve(submission=submission, by=office, expected_version=submission.version)
        if sent_day is None:
            return
        # The story is that last year's reports came in on time: date them before the due date
        # (the services stamp "now", which would mark every one of them late).
        tz = timezone.get_current_timezone()
        sent = datetime.datetime(period.year, 12, sent_day, 8 + offset % 9, 0, tzinfo=tz)
        approved = sent + datetime.timedelta(days=2)
        Submission.objects.filter(pk=submission.pk).update(submitted_at=sent, reviewed_at=approved)
        events = SubmissionEvent.objects.filter(submission=submission)
        events.filter(action=SubmissionEvent.Action.SUBMITTED).update(at=sent)
        events.filter(action=SubmissionEvent.Action.APPROVED).update(at=approved)


def _spread(unit, offset: int, span: int) -> int:
    """A small, stable variation per school (0 … span-1), so that figures differ but every run of
    the demo gives the same ones."""
    return (sum(map(ord, unit.name)) + offset * 7) % span


def _demo_value(target, unit, offset: int, year: int) -> dict:
    """A plausible answer in the shape the unit is asked (invented, like the schools)."""
    question = question_for(target.indicator, unit)
    wording = target.wording.lower()
    vary = _spread(unit, offset + target.order, 9)  # differs per school and per target
    if question == "ratio":
        staff = "giáo viên" in wording or "cán bộ" in wording
        denominator = (14 + vary * 2) if staff else (120 + vary * 20)
        percent = 94 + vary % 5 + (year - 2025)
        for words, value in [("suy dinh dưỡng", 1 + vary % 3), ("nhà trẻ", 44 + vary), ("thạc sĩ", 20 + vary * 2)]:
            if words in wording:
                percent = value
                break
        if "trên chuẩn" in wording:
            percent = 80 + vary
        if "đạt chuẩn" in wording and staff:
            percent = 100 if vary else 96
        numerator = min(denominator, round(denominator * percent / 100))
        return {"numerator": numerator, "denominator": denominator}
    if question == "boolean":
        # Fewer schools reach the harder standards: level II, smart classrooms.
        reach = 2 if "mức độ ii" in wording else 3 if "thông minh" in wording else 6
        return {"boolean": vary < reach + (1 if year >= 2026 else 0)}
    if question == "count":
        return {"number": vary % 3}
    if question == "score":
        return {"number": Decimal(5) + Decimal(vary) / 10, "denominator": 80 + vary * 10}
    if question == "percent":
        return {"number": Decimal(90 + vary)}
    stages = target.indicator.stage_list or ["Đang thực hiện"]
    return {"stage": stages[min(len(stages) - 1, 1)]}
