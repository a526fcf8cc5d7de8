"""Every URL × every role → the expected answer (pretix's control/test_permissions.py; STYLE.md §7).

The cases are generated from the URL configuration: `url_names()` walks django.urls.get_resolver()
and lists every named pattern with its namespace; the admin's model URLs are the same names, told
apart by admin.site._registry. A name without a row in EXPECTED (or, for the admin, a registered
model without a category in ADMIN_MODELS) fails `test_every_url_has_an_expected_row`, so a new
page cannot escape this file. Unnamed patterns (the admin's catch-all and its `<id>/` → `<id>/change/`
redirect) cannot be reversed and only redirect to named ones.

Answers (what `outcome()` makes of a response, without following redirects):
    200          the page or file is shown
    302          an action ran or was refused with a message, and the user is sent back to a page
    LOGIN        a redirect to the site's log-in page (anonymous visitors on the site's pages)
    ADMIN_LOGIN  a redirect to the admin's log-in page (anonymous, and accounts without staff status)
    ADMIN_INDEX  a redirect to the admin's index: for an object outside the user's units this is
                 the admin's "… does not exist" answer (nothing leaks), for logged-in staff on the
                 admin's log-in page it is "already logged in"
    403          visible, but not the user's to change (or an admin model they have no permission on)
    404          outside the user's units, or a page that is not for their role
    405          wrong method

Each URL is requested with GET (pages) or POST (actions, with minimal valid-looking data). Objects
come from one `world`, the conftest's cast and units (built the same way, once per module): the
district's plan with an OPEN period and school A's report (sent and returned once, so it has
values, an evidence file and workflow events), one object of every admin model, and an ELSEWHERE
copy in `other_district` (a plan, period, school and report there). The site's URLs that take an
object are also requested for the ELSEWHERE one: only the superuser and that district's own
staff get past 404 there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse

from assignments.models import ProgressNote, Task, TaskParticipant
from assignments.services import task_create
from indicators.models import Indicator
from indicators.services import indicator_get_or_create
from organisations.models import Membership, OrgUnit, SchoolLevel
from organisations.services import school_levels_ensure
from plans.models import BudgetLine, FundingSource, ParentDocument, Plan, Target, TargetValue
from plans.services import target_set_values
from results.models import ReportingPeriod, ResultValue, Submission, SubmissionEvent
from results.selectors import period_targets_for_school
from results.services import (
    period_set_status,
    submission_get_or_create,
    submission_return,
    submission_save_values,
    submission_submit,
)
from tests.conftest import PASSWORD, make_user

ROLES = [
    "anonymous",
    "principal_a",
    "principal_b",
    "commune_officer",
    "district_officer",
    "district_leader",
    "superuser",
    "other_district_officer",
]
LOGIN, ADMIN_LOGIN, ADMIN_INDEX = "LOGIN", "ADMIN_LOGIN", "ADMIN_INDEX"


def row(*answers) -> dict[str, object]:
    """One line of the table, in ROLES order."""
    return dict(zip(ROLES, answers, strict=True))


# --- the table --------------------------------------------------------------------------------
# URL name → {method: row}; the admin's model pages are in ADMIN_MODELS and ADMIN_CATEGORIES below.
# Columns:                    anonymous  princ_a princ_b commune district leader super other_district
EVERYONE_200 = row(200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_200 = row(LOGIN, 200, 200, 200, 200, 200, 200, 200)
NOT_STAFF = ADMIN_LOGIN  # leaders and principals have no staff status
STAFF_200 = row(ADMIN_LOGIN, NOT_STAFF, NOT_STAFF, 200, 200, NOT_STAFF, 200, 200)
EXPECTED: dict[str, dict[str, dict]] = {
    "home": {"GET": row(200, 302, 302, 302, 302, 302, 302, 302)},  # signed in: on to their start page
    "health": {"GET": EVERYONE_200},
    "login": {"GET": EVERYONE_200},
    "logout": {"POST": row(302, 302, 302, 302, 302, 302, 302, 302)},
    "logged_out": {"GET": EVERYONE_200},
    "set_language": {"POST": row(302, 302, 302, 302, 302, 302, 302, 302)},
    "password_change": {"GET": SIGNED_IN_200},
    "password_change_done": {"GET": SIGNED_IN_200},
    "password_reset": {"GET": EVERYONE_200},
    "admin_password_reset": {"GET": EVERYONE_200},  # the same page, for the admin's log-in form
    "password_reset_done": {"GET": EVERYONE_200},
    "password_reset_confirm": {"GET": EVERYONE_200},  # a made-up token: the "link no longer valid" page
    "password_reset_complete": {"GET": EVERYONE_200},
    # Plans: readable by everyone in the units the plan was issued for and above them.
    "plans:list": {"GET": SIGNED_IN_200},  # the list is filtered, never refused
    "plans:detail": {"GET": row(LOGIN, 200, 200, 200, 200, 200, 200, 404)},
    # The principal's page. Home sends a principal with one open period straight to its form, and
    # everyone else to the plan list. Only school A's principal changes school A's values; the
    # offices and leaders above the school (and the superuser) read the same page.
    "reports:home": {"GET": row(LOGIN, 302, 302, 302, 302, 302, 302, 302)},
    "reports:edit": {
        "GET": row(LOGIN, 200, 404, 200, 200, 200, 200, 404),
        "POST": row(LOGIN, 302, 404, 403, 403, 403, 403, 404),
    },
    # The office's review. Every office and leader whose units the plan reaches reads it;
    # changing it (open/close, return/approve/reopen) belongs to the office that issued the plan:
    # the commune's staff read the district's period but do not decide on it (403), a design
    # choice of results/views_review.py. Principals do not see other schools' reports: 404.
    "review:period_list": {"GET": row(LOGIN, 404, 404, 200, 200, 200, 200, 200)},
    "review:period_detail": {"GET": row(LOGIN, 404, 404, 200, 200, 200, 200, 404)},
    # A new period: office staff of a plan's issuing unit (the commune issues none here: 403);
    # an empty POST is the form again with its messages (200), nothing saved.
    "review:period_create": {
        "GET": row(LOGIN, 404, 404, 403, 200, 403, 200, 200),
        "POST": row(LOGIN, 404, 404, 403, 200, 403, 200, 200),
    },
    "review:period_missing_export": {"GET": row(LOGIN, 404, 404, 200, 200, 200, 200, 404)},
    "review:period_open": {"POST": row(LOGIN, 404, 404, 403, 302, 403, 302, 404)},
    "review:period_close": {"POST": row(LOGIN, 404, 404, 403, 302, 403, 302, 404)},
    "review:submission_detail": {"GET": row(LOGIN, 404, 404, 200, 200, 200, 200, 404)},
    "review:submission_return": {"POST": row(LOGIN, 404, 404, 403, 302, 403, 302, 404)},
    "review:submission_approve": {"POST": row(LOGIN, 404, 404, 403, 302, 403, 302, 404)},
    "review:submission_reopen": {"POST": row(LOGIN, 404, 404, 403, 302, 403, 302, 404)},
    # An evidence file: the school's own principal and the offices and leaders above the school.
    "review:evidence": {"GET": row(LOGIN, 200, 404, 200, 200, 200, 200, 404)},
    # The office records a task's progress and a budget line's spending from the dashboards: only
    # office staff who manage the plan's issuer; everyone else who sees the plan gets 403.
    "tasks:progress": {"POST": row(LOGIN, 403, 403, 403, 302, 403, 302, 404)},
    # Dashboards: read-only; a principal sees their own school's, a leader and staff their subtree.
    "dashboards:home": {"GET": row(LOGIN, 302, 302, 302, 302, 302, 302, 302)},
    "dashboards:national": {"GET": row(LOGIN, 404, 404, 404, 404, 404, 200, 404)},
    "dashboards:work": {"GET": row(LOGIN, 404, 404, 200, 200, 404, 200, 200)},
    "dashboards:unit": {"GET": row(LOGIN, 200, 404, 200, 200, 200, 200, 404)},
    # A unit's tabs (tasks, budget, plan checks) are for units above schools: a school's is 404.
    "dashboards:tasks": {"GET": row(LOGIN, 404, 404, 404, 200, 200, 200, 404)},
    "dashboards:budget": {"GET": row(LOGIN, 404, 404, 404, 200, 200, 200, 404)},
    "dashboards:checks": {"GET": row(LOGIN, 404, 404, 404, 200, 200, 200, 404)},
    "dashboards:ranking_export": {"GET": row(LOGIN, 404, 404, 404, 200, 200, 200, 404)},
    "dashboards:national_ranking_export": {"GET": row(LOGIN, 404, 404, 404, 404, 404, 200, 404)},
    "plans:spending_record": {"POST": row(LOGIN, 403, 403, 403, 302, 403, 302, 404)},
    # Principal accounts (organisations/views_accounts.py): office staff for the schools under the
    # units they manage; principals and leaders have no such page (404), nor has another district
    # for this district's schools and accounts. The sheet lives in the office's session: without
    # one, its download sends back to the list (302).
    "accounts:list": {"GET": row(LOGIN, 404, 404, 200, 200, 404, 200, 200)},
    "accounts:create": {"GET": row(LOGIN, 404, 404, 200, 200, 404, 200, 404)},
    "accounts:deactivate": {"POST": row(LOGIN, 404, 404, 302, 302, 404, 302, 404)},
    "accounts:reactivate": {"POST": row(LOGIN, 404, 404, 302, 302, 404, 302, 404)},
    "accounts:new_link": {"POST": row(LOGIN, 404, 404, 302, 302, 404, 302, 404)},
    "accounts:sheet": {"GET": row(LOGIN, 404, 404, 200, 200, 404, 200, 200)},
    "accounts:sheet_export": {"GET": row(LOGIN, 404, 404, 302, 302, 404, 302, 302)},
    "accounts:sheet_close": {"POST": row(LOGIN, 404, 404, 302, 302, 404, 302, 302)},
    "accounts:first_login": {"GET": EVERYONE_200},  # a made-up code: the "link no longer valid" page
    # The plan's source document: whoever reads the plan downloads it (MEDIA_ROOT is not served).
    "plans:source_document": {"GET": row(LOGIN, 200, 200, 200, 200, 200, 200, 404)},
    # Linking a plan's registered "Căn cứ" document to a plan on the portal: the citing plan's office.
    "plans:parent_document_link": {"POST": row(LOGIN, 403, 403, 403, 302, 403, 302, 404)},
    # The admin's own pages.
    "admin:index": {"GET": STAFF_200},
    "admin:login": {"GET": row(200, 200, 200, ADMIN_INDEX, ADMIN_INDEX, 200, ADMIN_INDEX, ADMIN_INDEX)},
    # Staff are logged out and sent to the site's home; for anyone else there is nothing to log out of.
    "admin:logout": {"POST": row(ADMIN_INDEX, ADMIN_INDEX, ADMIN_INDEX, 302, 302, ADMIN_INDEX, 302, 302)},
    "admin:password_change": {"GET": STAFF_200},
    "admin:password_change_done": {"GET": STAFF_200},
    "admin:autocomplete": {"GET": STAFF_200},
    "admin:jsi18n": {"GET": STAFF_200},
    "admin:app_list": {"GET": STAFF_200},
    # The reading of a value as it is typed on the plan page (plans.admin.PlanAdmin.reading_view).
    "admin:plans_plan_reading": {"GET": STAFF_200},
    # No model has get_absolute_url: "view on site" has nothing to show for anyone.
    "admin:view_on_site": {"GET": row(ADMIN_LOGIN, NOT_STAFF, NOT_STAFF, 404, 404, NOT_STAFF, 404, 404)},
}

# Admin model pages, by category of model and page (the URL name's suffix after app_model_).
# The objects are the district's (its plan, school A's report): the other district's staff get the
# admin's "does not exist"; the commune's staff read the district's plan data (a plan from above
# applies to them) but change none of it, so its delete page is 403 for them.
ANY_STAFF = STAFF_200
IN_DISTRICT = row(ADMIN_LOGIN, NOT_STAFF, NOT_STAFF, 200, 200, NOT_STAFF, 200, ADMIN_INDEX)
DISTRICT_CHANGES = row(ADMIN_LOGIN, NOT_STAFF, NOT_STAFF, 403, 200, NOT_STAFF, 200, ADMIN_INDEX)
SUPERUSER_ONLY = row(ADMIN_LOGIN, NOT_STAFF, NOT_STAFF, 403, 403, NOT_STAFF, 200, 403)
NOBODY = row(ADMIN_LOGIN, NOT_STAFF, NOT_STAFF, 403, 403, NOT_STAFF, 403, 403)
LISTS = ("changelist", "add", "import", "export", "process_import")
OBJECT_PAGES = ("change", "delete", "history", "simple_history")
READ_PAGES = ("change", "history", "simple_history")  # simple_history: one past version of the object
ADMIN_CATEGORIES: dict[str, dict[str, dict]] = {
    # units: school A is under the commune's office too, which manages it
    "units": {**dict.fromkeys(LISTS, ANY_STAFF), **dict.fromkeys(OBJECT_PAGES, IN_DISTRICT)},
    # a plan and its parts, and its reporting periods: changed by the issuing district's office
    "plan": {
        **dict.fromkeys(LISTS, ANY_STAFF),
        **dict.fromkeys(READ_PAGES, IN_DISTRICT),
        "delete": DISTRICT_CHANGES,
    },
    # schools' reports, values and workflow log: read-only in the admin for everyone, superusers
    # included; they change only through the review pages and their services (results/admin.py)
    "reports": {
        "changelist": ANY_STAFF,
        **dict.fromkeys(READ_PAGES, IN_DISTRICT),
        "add": NOBODY,
        "delete": NOBODY,
    },
    # the indicator catalogue: the world's indicator is used by both districts' plans, so only the
    # superuser may change or delete it (indicators/permissions.py); offices read it (change page
    # read-only) and add new ones
    "catalogue": {
        **dict.fromkeys(LISTS, ANY_STAFF),
        **dict.fromkeys(READ_PAGES, ANY_STAFF),
        "delete": SUPERUSER_ONLY,
    },
    # catalogues every office shares (funding sources)
    "shared": {**dict.fromkeys(LISTS, ANY_STAFF), **dict.fromkeys(OBJECT_PAGES, ANY_STAFF)},
    # school levels come from a migration: read-only for everyone
    "fixed": {**dict.fromkeys(("changelist", *READ_PAGES), ANY_STAFF), "add": NOBODY, "delete": NOBODY},
    # accounts, their roles at units, groups: superusers administer them
    "accounts": dict.fromkeys((*LISTS, *OBJECT_PAGES, "password_change"), SUPERUSER_ONLY),
}
ADMIN_MODELS: dict[str, str] = {
    "auth.User": "accounts",
    "auth.Group": "accounts",
    "organisations.Membership": "accounts",
    "organisations.SchoolLevel": "fixed",
    "organisations.OrgUnit": "units",
    "indicators.Indicator": "catalogue",
    "plans.FundingSource": "shared",
    "plans.Plan": "plan",
    "plans.Target": "plan",
    "plans.TargetValue": "plan",
    "plans.BudgetLine": "plan",
    "assignments.Task": "plan",
    "assignments.TaskParticipant": "plan",
    "assignments.ProgressNote": "plan",
    "results.ReportingPeriod": "plan",
    "results.Submission": "reports",
    "results.ResultValue": "reports",
    "results.SubmissionEvent": "reports",
}


# --- the URL configuration, walked -------------------------------------------------------------


def url_names(resolver: URLResolver | None = None, namespace: str = "", kwargs: tuple = ()) -> dict[str, tuple]:
    """Every named URL pattern, "namespace:name" → the names of the kwargs it takes."""
    resolver = resolver or get_resolver()
    found: dict[str, tuple] = {}
    for pattern in resolver.url_patterns:
        regex = pattern.pattern.regex
        # Route converters, named regex groups, or "*" per positional group (simple-history's pages).
        own = tuple(pattern.pattern.converters) or tuple(regex.groupindex) or ("*",) * regex.groups
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(url_names(pattern, inner, kwargs + own))
        elif pattern.name:
            found.setdefault(f"{namespace}{pattern.name}", kwargs + own)
    return found


def admin_model_of(name: str):
    """(model, page) for an admin model URL name such as "admin:plans_target_change"."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, name[len(prefix) :]
    return None, None


def expected_for(name: str) -> dict[str, dict] | None:
    """{method: row} for a URL name, or None when the table has no row for it."""
    if name in EXPECTED:
        return EXPECTED[name]
    model, page = admin_model_of(name)
    if model is None:
        return None
    answers = ADMIN_CATEGORIES.get(ADMIN_MODELS.get(model._meta.label, ""), {}).get(page)
    # process_import is the import's second step, a POST (an empty one re-shows the form).
    return {"POST" if page == "process_import" else "GET": answers} if answers else None


def elsewhere_row(own: dict[str, object]) -> dict[str, object]:
    """The same page for the other district's object: its staff get what the district's staff
    get at home, the superuser and anonymous visitors what they get anywhere, everyone else 404."""
    answers = dict.fromkeys(ROLES, 404)
    answers["anonymous"], answers["superuser"] = own["anonymous"], own["superuser"]
    answers["other_district_officer"] = own["district_officer"]
    return answers


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    role: str
    expected: object
    elsewhere: bool = False

    def __str__(self) -> str:
        where = "@elsewhere" if self.elsewhere else ""
        return f"{self.name}{where}-{self.method}-{self.role}"


def build_cases() -> list[Case]:
    cases = []
    for name, kwarg_names in sorted(url_names().items()):
        table = expected_for(name)
        if table is None:
            continue  # test_every_url_has_an_expected_row names it
        takes_site_object = bool(kwarg_names) and not name.startswith("admin:") and name in OBJECT_KWARGS
        for method, answers in table.items():
            cases += [Case(name, method, role, answers[role]) for role in ROLES]
            if takes_site_object and name not in NO_ELSEWHERE:
                cases += [Case(name, method, role, answer, True) for role, answer in elsewhere_row(answers).items()]
    return cases


# --- the world ---------------------------------------------------------------------------------
# Built once for the module, inside a transaction rolled back at its end; every case runs in its own
# savepoint (`case_savepoint`), so a POST that approves or closes something leaves no trace for
# the next case. Rebuilding it per case would cost a minute and a half for a thousand cases.
# The cast and its units are tests/conftest.py's, with the same names and roles.


@dataclass
class Place:
    """A plan's reporting world: its period and one school's report."""

    plan: Plan
    period: ReportingPeriod
    school: OrgUnit
    submission: Submission


@dataclass
class World:
    users: dict
    home: Place
    elsewhere: Place
    admin_objects: dict


def _school(name: str, code: str, commune: OrgUnit) -> OrgUnit:
    school = OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.SCHOOL, parent=commune, code=code, ownership="public")
    school.levels.set([school_levels_ensure()["PRESCHOOL"]])
    return school


def _plan(issuer: OrgUnit, number: str) -> Plan:
    """Like the conftest's `plan`: a ratio and a count for preschools, and a budget line; with its
    source document and one "Căn cứ" document (the province's plan, not on the portal)."""
    plan = Plan.objects.create(
        number=number,
        title=f"Kế hoạch phát triển giáo dục {issuer.name}",
        issuer=issuer,
        period_start_year=2024,
        period_end_year=2025,
        orientation_year=2030,
        source_document=SimpleUploadedFile("ke-hoach.txt", b"KE HOACH"),
    )
    ParentDocument.objects.create(plan=plan, number="43/KH-UBND", issuer_wording="UBND tỉnh Thử Nghiệm")
    rate = indicator_get_or_create(
        name="Tỷ lệ huy động trẻ", level="PRESCHOOL", unit="ratio", aggregation="ratio_of_sums"
    )
    count = indicator_get_or_create(name="Số trường đạt chuẩn", level="PRESCHOOL", unit="count", noun="trường")
    for order, (indicator, baseline, goal) in enumerate([(rate, "79,3%", "78%"), (count, "06 trường", "05 trường")], 1):
        target = Target.objects.create(plan=plan, indicator=indicator, order=order, wording=indicator.name)
        target_set_values(target=target, baseline=(2024, baseline), milestones={2025: goal})
    BudgetLine.objects.create(plan=plan, number="1", order=1, content="Cơ sở vật chất", amount=300)
    return plan


def _open_period(plan: Plan) -> ReportingPeriod:
    period = ReportingPeriod.objects.create(
        plan=plan,
        kind=ReportingPeriod.Kind.CALENDAR_YEAR,
        label="Năm 2025",
        year=2025,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        opens_on=datetime.date(2025, 11, 1),
        due_on=datetime.date(2099, 12, 5),
    )
    return period_set_status(period=period, status=ReportingPeriod.Status.OPEN)


def _returned_report(period: ReportingPeriod, school: OrgUnit, *, principal, officer) -> Submission:
    """A report with a value for every target (the first with an evidence file), sent once and
    returned with a comment."""
    targets = period_targets_for_school(period, school)
    values = {
        t.pk: {"numerator": 80, "denominator": 100} if t.indicator.unit == "ratio" else {"number": 5} for t in targets
    }
    values[targets[0].pk]["evidence"] = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung")
    submission = submission_get_or_create(period=period, school=school)
    submission_save_values(submission=submission, values=values, by=principal, expected_version=submission.version)
    submission_submit(submission=submission, targets=targets, by=principal, expected_version=submission.version)
    submission_return(
        submission=submission, by=officer, comment="Kiểm tra lại số liệu.", expected_version=submission.version
    )
    return submission


def _build_world() -> World:
    province = OrgUnit.objects.create(name="Thành phố Thử Nghiệm", kind=OrgUnit.Kind.PROVINCE)
    district = OrgUnit.objects.create(name="Huyện Thử Nghiệm", kind=OrgUnit.Kind.DISTRICT, parent=province)
    commune = OrgUnit.objects.create(name="Xã Thử Nghiệm", kind=OrgUnit.Kind.COMMUNE, parent=district)
    school_a = _school("Trường Mầm non A", "T-A", commune)
    school_b = _school("Trường Mầm non B", "T-B", commune)
    other_district = OrgUnit.objects.create(name="Huyện Bên Cạnh", kind=OrgUnit.Kind.DISTRICT, parent=province)
    other_commune = OrgUnit.objects.create(name="Xã Bên Cạnh", kind=OrgUnit.Kind.COMMUNE, parent=other_district)
    school_c = _school("Trường Mầm non C", "T-C", other_commune)
    office, principal, leader = Membership.Role.OFFICE_STAFF, Membership.Role.PRINCIPAL, Membership.Role.LEADER
    make_user("hieutruong.c", unit=school_c, role=principal)  # for the accounts pages @elsewhere
    users = {
        "superuser": get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD),
        "principal_a": make_user("hieutruong.a", unit=school_a, role=principal),
        "principal_b": make_user("hieutruong.b", unit=school_b, role=principal),
        "commune_officer": make_user("canbo.xa", unit=commune, role=office, staff=True),
        "district_officer": make_user("canbo", unit=district, role=office, staff=True),
        "district_leader": make_user("lanhdao", unit=district, role=leader),
        "other_district_officer": make_user("canbo.huyenkhac", unit=other_district, role=office, staff=True),
    }

    plan = _plan(district, "12/KH-UBND")
    period = _open_period(plan)
    submission = _returned_report(period, school_a, principal=users["principal_a"], officer=users["district_officer"])
    other_plan = _plan(other_district, "7/KH-UBND")
    other_period = _open_period(other_plan)
    # No principal at school C: who typed its values does not matter to these pages.
    other_submission = _returned_report(
        other_period, school_c, principal=users["other_district_officer"], officer=users["other_district_officer"]
    )

    task = task_create(
        plan=plan,
        content="Rà soát mạng lưới trường lớp",
        row_number="1",
        lead_wording="Phòng GD&ĐT",
        timing_wording="Tháng 10 năm 2024",
        leads=[district],
        coordinators=["Các đoàn thể"],
    )
    note = ProgressNote.objects.create(
        task=task, noted_on=datetime.date(2024, 10, 5), text="Đã rà soát 12/15 trường", author=users["district_officer"]
    )
    # The other district's plan has a task too (tasks:progress is requested for it).
    task_create(plan=other_plan, content="Rà soát mạng lưới trường lớp", timing_wording="Hằng năm")
    first_target = plan.targets.order_by("order").first()
    line = plan.budget_lines.first()
    line.funding_sources.add(FundingSource.objects.create(name="Ngân sách huyện"))
    # One object per registered admin model, in the district (test_every_admin_model_has_an_object).
    admin_objects = {
        SchoolLevel: school_levels_ensure()["PRESCHOOL"],
        OrgUnit: school_a,
        Membership: Membership.objects.get(user=users["principal_a"]),
        Indicator: first_target.indicator,
        FundingSource: line.funding_sources.first(),
        Plan: plan,
        Target: first_target,
        TargetValue: TargetValue.objects.filter(target__plan=plan).first(),
        BudgetLine: line,
        Task: task,
        TaskParticipant: TaskParticipant.objects.filter(task=task).first(),
        ProgressNote: note,
        ReportingPeriod: period,
        Submission: submission,
        ResultValue: ResultValue.objects.filter(submission=submission).first(),
        SubmissionEvent: SubmissionEvent.objects.filter(submission=submission).first(),
        get_user_model(): users["principal_a"],
        Group: Group.objects.get(user=users["district_officer"]),
    }
    return World(
        users=users,
        home=Place(plan, period, school_a, submission),
        elsewhere=Place(other_plan, other_period, school_c, other_submission),
        admin_objects=admin_objects,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


# URL kwargs, per URL name, from a Place (home or elsewhere).
OBJECT_KWARGS = {
    "plans:detail": lambda p: {"pk": p.plan.pk},
    "reports:edit": lambda p: {"period_pk": p.period.pk, "school_pk": p.school.pk},
    "review:period_detail": lambda p: {"pk": p.period.pk},
    "review:period_open": lambda p: {"pk": p.period.pk},
    "review:period_close": lambda p: {"pk": p.period.pk},
    "review:period_missing_export": lambda p: {"pk": p.period.pk, "fmt": "csv"},
    "review:submission_detail": lambda p: {"pk": p.submission.pk},
    "review:submission_return": lambda p: {"pk": p.submission.pk},
    "review:submission_approve": lambda p: {"pk": p.submission.pk},
    "review:submission_reopen": lambda p: {"pk": p.submission.pk},
    "review:evidence": lambda p: {"pk": p.submission.values.exclude(evidence="").get().pk},
    "password_reset_confirm": lambda p: {"uidb64": "MQ", "token": "set-password"},
    "tasks:progress": lambda p: {"task_pk": p.plan.tasks.order_by("pk").first().pk},
    "plans:spending_record": lambda p: {"line_pk": p.plan.budget_lines.order_by("pk").first().pk},
    "plans:source_document": lambda p: {"pk": p.plan.pk},
    "plans:parent_document_link": lambda p: {"pk": p.plan.parent_documents.get().pk},
    "dashboards:unit": lambda p: {"unit_pk": p.school.pk},
    "dashboards:ranking_export": lambda p: {"unit_pk": p.plan.issuer_id, "fmt": "csv"},
    "dashboards:tasks": lambda p: {"unit_pk": p.plan.issuer_id},
    "dashboards:budget": lambda p: {"unit_pk": p.plan.issuer_id},
    "dashboards:checks": lambda p: {"unit_pk": p.plan.issuer_id},
    "dashboards:national_ranking_export": lambda p: {"fmt": "csv"},
    "accounts:create": lambda p: {"school_pk": p.school.pk},
    "accounts:deactivate": lambda p: {"user_pk": _principal_of(p.school)},
    "accounts:reactivate": lambda p: {"user_pk": _principal_of(p.school)},
    "accounts:new_link": lambda p: {"user_pk": _principal_of(p.school)},
    "accounts:sheet_export": lambda p: {"fmt": "csv"},
    "accounts:first_login": lambda p: {"user_pk": 1, "code": "ABCD-EFGH-JKMN"},
}
NO_ELSEWHERE = {
    "password_reset_confirm",
    "dashboards:national_ranking_export",
    "accounts:sheet_export",
    "accounts:first_login",
}


def _principal_of(school: OrgUnit) -> int:
    return Membership.objects.filter(unit=school, role=Membership.Role.PRINCIPAL).values_list("user", flat=True)[0]


def url_for(name: str, world: World, *, elsewhere: bool) -> tuple[str, dict]:
    """The URL to request and its query string."""
    place = world.elsewhere if elsewhere else world.home
    if name in OBJECT_KWARGS:
        return reverse(name, kwargs=OBJECT_KWARGS[name](place)), {}
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "plans"}), {}
    if name == "admin:view_on_site":
        plan = world.home.plan
        return reverse(name, args=[ContentType.objects.get_for_model(Plan).pk, plan.pk]), {}
    if name == "admin:plans_plan_reading":  # no object: the reading of a wording typed on a plan page
        return reverse(name), {"wording": "Trên 35%", "indicator": str(world.home.plan.targets.first().indicator_id)}
    if name == "admin:autocomplete":
        return reverse(name), {"app_label": "plans", "model_name": "target", "field_name": "plan", "term": "KH"}
    model, page = admin_model_of(name)
    if model is not None and page not in LISTS:
        obj = world.admin_objects[model]
        if page == "simple_history":
            return reverse(name, args=[obj.pk, obj.history.earliest().history_id]), {}
        key = "id" if page == "password_change" else "object_id"
        return reverse(name, kwargs={key: obj.pk}), {}
    return reverse(name), {}


def post_data(name: str, world: World, *, elsewhere: bool) -> dict:
    place = world.elsewhere if elsewhere else world.home
    if name == "set_language":
        return {"language": "vi", "next": "/"}
    if name == "reports:edit":
        data = {"version": Submission.objects.get(pk=place.submission.pk).version, "action": "save"}
        for target in period_targets_for_school(place.period, place.school):
            if target.indicator.unit == "ratio":
                data |= {f"t{target.pk}-numerator": "81", f"t{target.pk}-denominator": "100"}
            else:
                data[f"t{target.pk}-number"] = "5"
        return data
    if name == "tasks:progress":
        return {"status": "in_progress", "noted_on": "2025-01-10", "text": "Đã họp triển khai.", "next": "/"}
    if name == "plans:spending_record":
        return {"year": "2025", "amount": "1.234,5", "note": "Quý I", "next": "/"}
    if name.startswith("review:submission_"):
        version = Submission.objects.get(pk=place.submission.pk).version
        return {"version": version, "comment": "Xin bổ sung minh chứng."}
    return {}


def outcome(response) -> object:
    if response.status_code in (301, 302):
        target = urlsplit(response["Location"]).path
        if target == resolve_url(settings.LOGIN_URL):
            return LOGIN
        if target == reverse("admin:login"):
            return ADMIN_LOGIN
        if target == reverse("admin:index"):
            return ADMIN_INDEX
        return 302
    return response.status_code


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_test_database_is_set_up_before_the_world():
    """pytest-django creates the test database only for aliases that some test marks with
    django_db; the cases below use their own savepoints instead (see case_savepoint), so this
    one asks for it, and runs first, before the world's transaction is open."""
    assert OrgUnit.objects.count() >= 0


def test_every_url_has_an_expected_row():
    """A new page (or a newly registered admin model) must be added to the table above."""
    missing = [name for name in url_names() if expected_for(name) is None]
    assert not missing, f"Add these URL names to EXPECTED (admin model pages: ADMIN_MODELS/ADMIN_CATEGORIES): {missing}"


def test_every_url_taking_an_object_knows_which_one():
    takes = [name for name, kwargs in url_names().items() if kwargs and not name.startswith("admin:")]
    assert sorted(set(takes) - set(OBJECT_KWARGS)) == []


def test_the_matrix_covers_every_role_of_every_url():
    cases = build_cases()
    assert {case.role for case in cases} == set(ROLES)
    assert len(cases) >= len(url_names()) * len(ROLES)


def test_every_admin_model_has_an_object(world):
    missing = [model._meta.label for model in admin.site._registry if model not in world.admin_objects]
    assert not missing, f"Add an object of these models to the world's admin_objects: {missing}"


@pytest.fixture
def case_savepoint(world, django_db_blocker):
    """Each case in a savepoint of the world's transaction, rolled back after it. Not pytest-django's
    `db`: its TestCase closes the connection after every test, which on PostgreSQL would end the
    world's transaction (SQLite's in-memory connection survives a close, which hid this)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("case", build_cases(), ids=str)
def test_status(client, world, case_savepoint, case):
    if case.role != "anonymous":
        client.force_login(world.users[case.role])
    url, query = url_for(case.name, world, elsewhere=case.elsewhere)
    if case.method == "GET":
        response = client.get(url, query)
    else:
        response = client.post(url, post_data(case.name, world, elsewhere=case.elsewhere))
    if response.streaming:
        # Reading a download to its end closes its file through the test client's own wrapper.
        # (A second response.close() here would fire request_finished, whose handler closes the
        # DB connection, and with it the world's transaction on PostgreSQL.)
        b"".join(response.streaming_content)
    assert outcome(response) == case.expected, f"{case.method} {url} as {case.role}"
