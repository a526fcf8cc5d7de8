"""What each unit is asked (results.questions), through the real pages.

A school answers about itself, in the shape its answers add up by: a ratio (a percent included)
asks its numerator and denominator, a share of schools "Đạt / Không đạt", a count its own count,
a score its mean and pupils; unit-level facts (aggregation "none") are asked of no school and are
entered by the plan's issuing office for its own unit, then reviewed like a school's report.
Cross-level targets are asked of every school teaching one of their levels. One fact per unit,
indicator and year: never asked twice, shown read-only where another plan asks it again.
0 and "Không đạt" are answers. The form and the landing page say "x/N đã nhập" and the days left.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.services import indicator_get_or_create
from organisations.models import Membership, OrgUnit
from organisations.services import school_levels_ensure
from plans.models import Plan, Target
from plans.services import target_set_values
from results.models import ReportingPeriod, ResultValue, Submission
from results.review import review_units
from results.selectors import (
    period_answered_elsewhere,
    period_schools,
    period_targets_for_school,
)
from results.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_values,
    submission_submit,
)
from results.views_principal import due_countdown
from tests.conftest import make_user
from tests.results.conftest import make_period

pytestmark = pytest.mark.django_db

STAGES = ["Mức độ 1", "Mức độ 2", "Mức độ 3"]


def edit_url(period, unit) -> str:
    return reverse("reports:edit", args=[period.pk, unit.pk])


def field_block(html: str, name: str) -> str:
    start = html.index(f'data-field="{name}"')
    end = html.find("data-field=", start + 1)
    return html[start : end if end != -1 else len(html)]


def add(plan, order: int, name: str, *, goal_2025: str = "", **indicator_fields) -> Target:
    indicator = indicator_get_or_create(name=name, **indicator_fields)
    target = Target.objects.create(plan=plan, indicator=indicator, order=order, row_number=str(order), wording=name)
    target_set_values(target=target, baseline=None, milestones={2025: goal_2025} if goal_2025 else {})
    return target


def school(name: str, parent: OrgUnit, *levels: str, code: str = "") -> OrgUnit:
    unit = OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.SCHOOL, parent=parent, code=code or name)
    all_levels = school_levels_ensure()
    unit.levels.set([all_levels[level] for level in levels])
    return unit


def principal_of(unit: OrgUnit):
    return make_user(f"ht.{unit.code.lower()}", unit=unit, role=Membership.Role.PRINCIPAL)


# --- a plan with a question of every shape for every level ------------------------------------


@pytest.fixture
def levels_plan(district):
    """A district plan: one target per level in another shape, two cross-level targets, two
    unit-level facts, and the issue's own example (a number of schools meeting the standard,
    "30 trường" for the district, which a school answers Đạt / Không đạt)."""
    plan = Plan.objects.create(
        title="Kế hoạch các cấp học", issuer=district, period_start_year=2021, period_end_year=2025
    )
    targets = {
        "mn_rate": add(plan, 1, "Tỷ lệ trẻ 5 tuổi ra lớp", level="PRESCHOOL", unit="percent", goal_2025="99%"),
        "mn_standard": add(
            plan,
            2,
            "Số trường mầm non đạt chuẩn quốc gia",
            level="PRESCHOOL",
            unit="count",
            noun="trường",
            aggregation="share_of_schools",
            goal_2025="30 trường",
        ),
        "th_rooms": add(plan, 3, "Số phòng học bộ môn", level="PRIMARY", unit="count", noun="phòng"),
        "thcs_standard": add(plan, 4, "Trường THCS đạt chuẩn", level="LOWER_SECONDARY", unit="boolean"),
        "thpt_score": add(plan, 5, "Điểm trung bình thi tốt nghiệp", level="UPPER_SECONDARY", unit="score"),
        "gdtx_rate": add(plan, 6, "Tỷ lệ học viên tốt nghiệp", level="VOCATIONAL_CONTINUING", unit="ratio"),
        "secondary": add(
            plan, 7, "Trường THCS, THPT chuyển đổi số", unit="boolean", levels=["LOWER_SECONDARY", "UPPER_SECONDARY"]
        ),
        "teachers": add(plan, 8, "Tỷ lệ giáo viên đạt chuẩn", unit="ratio"),
        "universal": add(plan, 9, "Phổ cập giáo dục THCS", level="LOWER_SECONDARY", unit="stage", stages=STAGES),
        "ranking": add(plan, 10, "Xếp hạng của huyện trong tỉnh", unit="count", aggregation="none"),
    }
    return plan, targets


@pytest.fixture
def levels_period(levels_plan):
    return make_period(levels_plan[0], year=2025, status=ReportingPeriod.Status.OPEN)


@pytest.fixture
def schools(commune):
    return {
        "MN": school("Trường Mầm non Hoa Sen", commune, "PRESCHOOL", code="MN1"),
        "TH": school("Trường Tiểu học Kim Đồng", commune, "PRIMARY", code="TH1"),
        "THCS": school("Trường THCS Lê Lợi", commune, "LOWER_SECONDARY", code="THCS1"),
        "THPT": school("Trường THPT Trần Phú", commune, "UPPER_SECONDARY", code="THPT1"),
        "GDNN-GDTX": school("Trung tâm GDNN-GDTX huyện", commune, "VOCATIONAL_CONTINUING", code="GDTX1"),
        "TH&THCS": school("Trường TH&THCS Quang Trung", commune, "PRIMARY", "LOWER_SECONDARY", code="THTHCS1"),
    }


ASKED = {
    "MN": {"mn_rate": "ratio", "mn_standard": "boolean", "teachers": "ratio"},
    "TH": {"th_rooms": "count", "teachers": "ratio"},
    "THCS": {"thcs_standard": "boolean", "secondary": "boolean", "teachers": "ratio"},
    "THPT": {"thpt_score": "score", "secondary": "boolean", "teachers": "ratio"},
    "GDNN-GDTX": {"gdtx_rate": "ratio", "teachers": "ratio"},
    "TH&THCS": {"th_rooms": "count", "thcs_standard": "boolean", "secondary": "boolean", "teachers": "ratio"},
}
# The inputs each shape has, and those it must not have.
SHAPES = {
    "ratio": (["numerator", "denominator"], ["number", "boolean"]),
    "count": (["number"], ["numerator", "denominator", "boolean"]),
    "boolean": (["boolean"], ["number", "numerator", "denominator"]),
    "score": (["number", "denominator"], ["numerator", "boolean"]),
}


@pytest.mark.parametrize("kind", list(ASKED))
def test_each_school_is_asked_only_its_own_questions_in_their_shape(client, levels_plan, levels_period, schools, kind):
    _plan, targets = levels_plan
    unit = schools[kind]
    client.force_login(principal_of(unit))
    response = client.get(edit_url(levels_period, unit))
    assert response.status_code == 200
    html = response.content.decode()
    for key, target in targets.items():
        section = f'id="chi-tieu-{target.pk}"'
        if key not in ASKED[kind]:
            assert section not in html, f"{kind} is asked {key}"
            continue
        assert section in html, f"{kind} is not asked {key}"
        has, lacks = SHAPES[ASKED[kind][key]]
        for name in has:
            assert f'name="t{target.pk}-{name}"' in html
        for name in lacks:
            assert f'name="t{target.pk}-{name}"' not in html
    assert [t.pk for t in period_targets_for_school(levels_period, unit)] == [
        targets[key].pk for key in ASKED[kind]
    ]  # in document order
    # A school never reads the district's figure as its own target.
    assert "Chỉ tiêu năm 2025" not in html


def test_a_share_of_schools_asks_the_school_about_itself_under_the_districts_figure(
    client, levels_plan, levels_period, schools
):
    target = levels_plan[1]["mn_standard"]
    client.force_login(principal_of(schools["MN"]))
    html = client.get(edit_url(levels_period, schools["MN"])).content.decode()
    block = field_block(html, f"t{target.pk}-boolean")
    assert "Kết quả của trường" in block
    assert 'type="radio"' in block and 'value="true"' in block and 'value="false"' in block
    assert "Đạt" in block and "Không đạt" in block
    assert "Số lượng (trường)" not in html  # the issue: a preschool was asked to count the district's schools
    section = html[html.index(f'id="chi-tieu-{target.pk}"') :]
    assert "Chỉ tiêu chung của Huyện Thử Nghiệm năm 2025" in section and "30 trường" in section
    assert "Phòng đếm số trường đạt" in section


def test_a_count_a_ratio_and_a_score_are_labelled_as_the_school_gives_them(client, levels_plan, levels_period, schools):
    targets = levels_plan[1]
    client.force_login(principal_of(schools["TH&THCS"]))
    html = client.get(edit_url(levels_period, schools["TH&THCS"])).content.decode()
    rooms = field_block(html, f"t{targets['th_rooms'].pk}-number")
    assert "Số lượng (phòng)" in rooms and 'inputmode="numeric"' in rooms
    assert "Tử số" in field_block(html, f"t{targets['teachers'].pk}-numerator")
    client.force_login(principal_of(schools["THPT"]))
    html = client.get(edit_url(levels_period, schools["THPT"])).content.decode()
    score = targets["thpt_score"].pk
    assert "Điểm trung bình" in field_block(html, f"t{score}-number")
    assert 'inputmode="decimal"' in field_block(html, f"t{score}-number")
    assert "Số học sinh (dự thi)" in field_block(html, f"t{score}-denominator")


def test_cross_level_targets_bring_their_schools_into_the_period(levels_plan, levels_period, schools, district):
    assert set(period_schools(levels_period)) == set(schools.values())
    # The review page lists them with the office's own facts (the district's unit-level targets).
    superuser = get_user_model().objects.create_superuser("root", password="x")
    units = {unit: unit.is_own for unit in review_units(levels_period, superuser)}
    assert units == {district: True, **dict.fromkeys(schools.values(), False)}


def test_a_cross_level_target_is_not_asked_of_other_levels(client, district, commune):
    plan = Plan.objects.create(title="KH THCS-THPT", issuer=district, period_start_year=2021, period_end_year=2025)
    cross = add(
        plan, 1, "Tỷ lệ học sinh THCS, THPT học nghề", unit="ratio", levels=["LOWER_SECONDARY", "UPPER_SECONDARY"]
    )
    period = make_period(plan, year=2025, status=ReportingPeriod.Status.OPEN)
    thcs = school("Trường THCS Hai", commune, "LOWER_SECONDARY", code="THCS2")
    mn = school("Trường Mầm non Hai", commune, "PRESCHOOL", code="MN2")
    assert period_targets_for_school(period, thcs) == [cross]
    assert period_targets_for_school(period, mn) == []
    assert list(period_schools(period)) == [thcs]
    client.force_login(principal_of(mn))
    assert client.get(edit_url(period, mn)).status_code == 404  # nothing to ask
    # …and its principal's landing page lists the period of the school that is asked.
    client.force_login(principal_of(thcs))
    assert client.get(reverse("reports:home"))["Location"] == edit_url(period, thcs)


def test_a_school_is_asked_once_when_a_plan_has_two_targets_of_one_indicator(client, plan, period, school_a):
    rate = plan.targets.get(order=1)
    again = Target.objects.create(plan=plan, indicator=rate.indicator, order=3, wording="Tỷ lệ huy động trẻ (nhắc lại)")
    client.force_login(make_user("ht.hai", unit=school_a, role=Membership.Role.PRINCIPAL))
    html = client.get(edit_url(period, school_a)).content.decode()
    assert len(re.findall(r'name="t\d+-numerator"', html)) == 1
    assert f'name="t{rate.pk}-numerator"' in html and f"t{again.pk}-" not in html


# --- unit-level facts: the office enters its own unit's ---------------------------------------


@pytest.fixture
def unit_facts(plan):
    """Unit-level facts of the district plan: the universalisation level, the teachers the office
    trained (a count), the district's universalisation rate (a percent), all aggregation "none"."""
    return {
        "stage": add(plan, 3, "Phổ cập giáo dục mầm non", level="PRESCHOOL", unit="stage", stages=STAGES),
        "count": add(plan, 4, "Số giáo viên được Phòng tập huấn", unit="count", noun="người", aggregation="none"),
        "percent": add(plan, 5, "Tỷ lệ xã đạt phổ cập", unit="percent", aggregation="none", goal_2025="100%"),
    }


def unit_form(unit_facts, version, action="save", **values) -> dict:
    data = {
        "version": version,
        "action": action,
        f"t{unit_facts['stage'].pk}-stage": "Mức độ 3",
        f"t{unit_facts['count'].pk}-number": "45",
        f"t{unit_facts['percent'].pk}-number": "96,5",
    }
    return data | values


def test_the_office_enters_and_submits_its_own_units_facts(client, district_officer, district, period, unit_facts):
    url = edit_url(period, district)
    client.force_login(district_officer)
    html = client.get(url).content.decode()
    assert "Số liệu của Huyện Thử Nghiệm" in html
    assert "Chỉ tiêu năm 2025" in html and "Chỉ tiêu chung" not in html  # the unit's own target
    assert f'name="t{unit_facts["stage"].pk}-stage"' in html and "<select" in html
    assert f'name="t{unit_facts["percent"].pk}-number"' in html
    assert "Tỷ lệ huy động trẻ" not in html  # the schools' questions are not the office's
    assert client.post(url, unit_form(unit_facts, 1)).status_code == 302
    submission = Submission.objects.get(period=period, school=district)
    facts = {v.target_id: v for v in submission.values.all()}
    assert facts[unit_facts["stage"].pk].stage == "Mức độ 3"
    assert facts[unit_facts["count"].pk].number == 45
    assert facts[unit_facts["percent"].pk].number == Decimal("96.5")
    assert {v.unit_id for v in facts.values()} == {district.pk}
    assert client.post(url, unit_form(unit_facts, submission.version, "submit")).status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert "Đã gửi, chờ duyệt" in client.get(url).content.decode()


def test_the_schools_form_does_not_ask_the_units_facts(client, principal_a, school_a, period, unit_facts):
    client.force_login(principal_a)
    html = client.get(edit_url(period, school_a)).content.decode()
    for target in unit_facts.values():
        assert f'id="chi-tieu-{target.pk}"' not in html


@pytest.fixture
def unit_submitted(district, period, unit_facts, district_officer):
    submission = submission_get_or_create(period=period, school=district)
    values = {
        unit_facts["stage"].pk: {"stage": "Mức độ 2"},
        unit_facts["count"].pk: {"number": Decimal(12)},
        unit_facts["percent"].pk: {"number": Decimal(90)},
    }
    submission_save_values(submission=submission, values=values, by=district_officer, expected_version=None)
    targets = period_targets_for_school(period, district)
    return submission_submit(submission=submission, targets=targets, by=district_officer, expected_version=None)


def test_the_review_page_links_the_units_own_report_and_the_office_approves_it(
    client, district_officer, district, period, unit_submitted
):
    client.force_login(district_officer)
    html = client.get(reverse("review:period_detail", args=[period.pk])).content.decode()
    own = html[html.index("data-own-unit") :]
    assert "Số liệu của Huyện Thử Nghiệm (Phòng nhập)" in html
    assert edit_url(period, district) in own
    detail = reverse("review:submission_detail", args=[unit_submitted.pk])
    assert detail in own
    assert html.index('class="card own-unit"') < html.index('<table class="review">')  # a line at the top, and listed:
    assert re.search(r'<tr data-school="[^"]*" data-status="submitted" data-own-unit>', html)
    page = client.get(detail).content.decode()
    assert "Phổ cập giáo dục mầm non" in page and "Mức độ 2" in page and "90" in page
    response = client.post(
        reverse("review:submission_approve", args=[unit_submitted.pk]), {"version": unit_submitted.version}
    )
    unit_submitted.refresh_from_db()
    assert response.status_code == 302
    assert unit_submitted.status == Submission.Status.APPROVED
    form = client.get(edit_url(period, district)).content.decode()
    assert "Báo cáo đã được duyệt, số liệu đã khóa." in form and 'name="action"' not in form
    assert "Lịch sử xử lý" in form and "Duyệt" in form  # the same record as a school's
    assert "Lịch sử thay đổi số liệu" in form


def test_the_units_report_is_counted_but_not_in_the_schools_reminder_list(
    client, district_officer, period, unit_facts, school_a
):
    client.force_login(district_officer)
    html = client.get(reverse("review:period_list")).content.decode()
    assert 'data-status="not_started"><a' in html
    exported = client.get(reverse("review:period_missing_export", args=[period.pk, "csv"])).content.decode("utf-8-sig")
    assert "Trường Mầm non A" in exported and "Huyện Thử Nghiệm" not in exported


@pytest.mark.parametrize(
    "who,get,post",
    [
        ("principal_a", 404, 404),  # outside the principal's school
        ("commune_officer", 404, 404),  # below the district: does not see the district's own report
        ("other_district_officer", 404, 404),
        ("district_leader", 200, 403),  # reads, changes nothing
        ("superuser", 200, 403),  # reads; only the unit's own office enters its facts
    ],
)
def test_only_the_units_own_office_enters_its_facts(request, client, district, period, unit_facts, who, get, post):
    client.force_login(request.getfixturevalue(who))
    url = edit_url(period, district)
    assert client.get(url).status_code == get
    assert client.post(url, unit_form(unit_facts, 1)).status_code == post
    assert not ResultValue.objects.exists()


def test_a_commune_is_not_the_plans_issuer_and_has_no_form(client, district_officer, commune, period, unit_facts):
    client.force_login(district_officer)
    assert client.get(edit_url(period, commune)).status_code == 404


def test_a_principal_cannot_review_the_units_report(client, principal_a, unit_submitted):
    client.force_login(principal_a)
    assert client.get(reverse("review:submission_detail", args=[unit_submitted.pk])).status_code == 404


# --- 0 is a value ----------------------------------------------------------------------------


@pytest.fixture
def zero_plan(plan, unit_facts):
    """School A's questions: the plan's ratio and count, a share of schools and a score (the unit
    facts are on the plan too, for the office)."""
    rate, count = plan.targets.get(order=1), plan.targets.get(order=2)
    share = add(plan, 6, "Trường đạt chuẩn quốc gia", level="PRESCHOOL", unit="boolean")
    score = add(plan, 7, "Điểm đánh giá trẻ", level="PRESCHOOL", unit="score")
    return {"rate": rate, "count": count, "share": share, "score": score}


def test_zero_of_each_kind_is_saved_shown_back_and_submitted_by_a_school(
    client, principal_a, school_a, period, zero_plan
):
    t = zero_plan
    url = edit_url(period, school_a)
    data = {
        "version": 1,
        "action": "save",
        f"t{t['rate'].pk}-numerator": "0",
        f"t{t['rate'].pk}-denominator": "25",
        f"t{t['count'].pk}-number": "0",
        f"t{t['share'].pk}-boolean": "false",
        f"t{t['score'].pk}-number": "0",
        f"t{t['score'].pk}-denominator": "30",
    }
    client.force_login(principal_a)
    assert client.post(url, data).status_code == 302
    values = {v.target_id: v for v in ResultValue.objects.filter(unit=school_a)}
    assert (values[t["rate"].pk].numerator, values[t["rate"].pk].denominator) == (0, 25)
    assert values[t["count"].pk].number == 0
    assert values[t["share"].pk].boolean is False
    assert (values[t["score"].pk].number, values[t["score"].pk].denominator) == (0, 30)
    html = client.get(url).content.decode()
    assert "Đã lưu nháp." in html
    assert 'value="0"' in field_block(html, f"t{t['rate'].pk}-numerator")
    assert 'value="0"' in field_block(html, f"t{t['count'].pk}-number")
    assert 'value="0"' in field_block(html, f"t{t['score'].pk}-number")
    assert re.search(r'value="false"[^>]*checked', field_block(html, f"t{t['share'].pk}-boolean"))
    assert "4/4 đã nhập" in html
    data |= {"action": "submit", "version": Submission.objects.get(school=school_a).version}
    assert client.post(url, data).status_code == 302
    assert Submission.objects.get(school=school_a).status == Submission.Status.SUBMITTED
    html = client.get(url).content.decode()
    assert "0/25 (0\xa0%)" in html and "0 điểm (30 học sinh)" in html and "Không đạt" in html
    assert "<dd data-result>0</dd>" in html


def test_zero_of_each_kind_is_saved_and_submitted_by_the_office(
    client, district_officer, district, period, zero_plan, unit_facts
):
    t = unit_facts
    url = edit_url(period, district)
    client.force_login(district_officer)
    data = unit_form(t, 1, **{f"t{t['percent'].pk}-number": "0", f"t{t['count'].pk}-number": "0"})
    assert client.post(url, data).status_code == 302
    values = {v.target_id: v for v in ResultValue.objects.filter(unit=district)}
    assert values[t["percent"].pk].number == 0 and values[t["count"].pk].number == 0
    html = client.get(url).content.decode()
    assert 'value="0"' in field_block(html, f"t{t['percent'].pk}-number")
    assert 'value="0"' in field_block(html, f"t{t['count'].pk}-number")
    data |= {"action": "submit", "version": Submission.objects.get(school=district).version}
    assert client.post(url, data).status_code == 302
    assert Submission.objects.get(school=district).status == Submission.Status.SUBMITTED
    html = client.get(url).content.decode()
    assert f'<section class="card target" id="chi-tieu-{t["percent"].pk}">' in html
    section = html[html.index(f'id="chi-tieu-{t["percent"].pk}"') :]
    assert "<dd data-result>0</dd>" in section


def test_clearing_a_zero_is_not_the_same_as_keeping_it(client, principal_a, school_a, period, plan):
    """A stored 0 that the principal empties is cleared, not left at 0 (and the other way round)."""
    count = plan.targets.get(order=2)
    url = edit_url(period, school_a)
    client.force_login(principal_a)
    client.post(url, {"version": 1, "action": "save", f"t{count.pk}-number": "0"})
    value = ResultValue.objects.get(target=count)
    assert value.number == 0
    version = Submission.objects.get().version
    client.post(url, {"version": version, "action": "save", f"t{count.pk}-number": ""})
    value.refresh_from_db()
    assert value.number is None


# --- one fact, many plans --------------------------------------------------------------------


@pytest.fixture
def commune_plan(commune, plan):
    """The commune's own plan: the district's preschool rate again (the same catalogue entry) and
    a target of its own, with an open period for the same year."""
    commune_plan = Plan.objects.create(
        title="Kế hoạch của xã", issuer=commune, period_start_year=2021, period_end_year=2025
    )
    rate = add(commune_plan, 1, "Tỷ lệ huy động trẻ", level="PRESCHOOL", unit="ratio", goal_2025="80%")
    assert rate.indicator == plan.targets.get(order=1).indicator
    meals = add(commune_plan, 2, "Số trẻ ăn bán trú", level="PRESCHOOL", unit="count", noun="trẻ")
    period = make_period(commune_plan, year=2025, status=ReportingPeriod.Status.OPEN, label="Năm 2025 (xã)")
    return period, rate, meals


def test_a_figure_given_for_one_plan_is_shown_not_asked_again_in_another(
    client, principal_a, school_a, period, plan, commune_plan
):
    commune_period, commune_rate, meals = commune_plan
    district_rate = plan.targets.get(order=1)
    client.force_login(principal_a)
    data = {
        "version": 1,
        "action": "save",
        f"t{district_rate.pk}-numerator": "81",
        f"t{district_rate.pk}-denominator": "100",
    }
    assert client.post(edit_url(period, school_a), data).status_code == 302

    html = client.get(edit_url(commune_period, school_a)).content.decode()
    assert f"t{commune_rate.pk}-numerator" not in html  # not asked again
    assert f'name="t{meals.pk}-number"' in html
    elsewhere = html[html.index('id="da-bao-cao-ky-khac"') :]
    assert "Tỷ lệ huy động trẻ" in elsewhere and "81/100 (81\xa0%)" in elsewhere
    assert "Năm 2025" in elsewhere and "Huyện Thử Nghiệm" in elsewhere
    assert "1/2 đã nhập" in html
    [answered] = period_answered_elsewhere(commune_period, school_a)
    assert answered.target == commune_rate and answered.value.target == district_rate

    # The commune's report goes without it: the fact is already there.
    submit = {"version": 1, "action": "submit", f"t{meals.pk}-number": "120"}
    assert client.post(edit_url(commune_period, school_a), submit).status_code == 302
    assert Submission.objects.get(period=commune_period).status == Submission.Status.SUBMITTED
    assert ResultValue.objects.filter(unit=school_a, indicator=district_rate.indicator, year=2025).count() == 1


def test_either_plan_may_ask_first(client, principal_a, school_a, period, plan, commune_plan):
    commune_period, commune_rate, _meals = commune_plan
    client.force_login(principal_a)
    data = {
        "version": 1,
        "action": "save",
        f"t{commune_rate.pk}-numerator": "0",
        f"t{commune_rate.pk}-denominator": "9",
    }
    assert client.post(edit_url(commune_period, school_a), data).status_code == 302
    html = client.get(edit_url(period, school_a)).content.decode()
    assert f"t{plan.targets.get(order=1).pk}-numerator" not in html
    assert "0/9 (0\xa0%)" in html[html.index('id="da-bao-cao-ky-khac"') :]


def test_a_province_plan_reads_the_schools_figure_too(client, principal_a, school_a, province, period, plan):
    province_plan = Plan.objects.create(title="KH tỉnh", issuer=province, period_start_year=2021, period_end_year=2025)
    rate = add(province_plan, 1, "Tỷ lệ huy động trẻ", level="PRESCHOOL", unit="ratio")
    province_period = make_period(province_plan, year=2025, status=ReportingPeriod.Status.OPEN, label="Năm 2025 (tỉnh)")
    district_rate = plan.targets.get(order=1)
    client.force_login(principal_a)
    data = {
        "version": 1,
        "action": "save",
        f"t{district_rate.pk}-numerator": "5",
        f"t{district_rate.pk}-denominator": "6",
    }
    client.post(edit_url(period, school_a), data)
    # Everything the province asks was answered: the page shows it, read-only, and saves nothing.
    response = client.get(edit_url(province_period, school_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"t{rate.pk}-numerator" not in html and 'name="action"' not in html
    assert "5/6" in html and "đã được báo cáo trong kỳ báo cáo khác" in html
    assert "1/1 đã nhập" in html
    response = client.post(edit_url(province_period, school_a), {"version": 1, "action": "submit"})
    assert response.status_code == 302
    assert not Submission.objects.filter(period=province_period).exists()


def test_the_database_keeps_one_fact_per_school_indicator_and_year(school_a, period, plan, commune_plan):
    commune_period, commune_rate, _meals = commune_plan
    first = submission_get_or_create(period=period, school=school_a)
    values = {plan.targets.get(order=1).pk: {"numerator": 1, "denominator": 2}}
    submission_save_values(submission=first, values=values, by=None, expected_version=None)
    second = submission_get_or_create(period=commune_period, school=school_a)
    with pytest.raises(ValidationError, match="trong một kỳ báo cáo khác"):
        submission_save_values(
            submission=second,
            values={commune_rate.pk: {"numerator": 2, "denominator": 2}},
            by=None,
            expected_version=None,
        )


def test_the_review_page_of_the_second_plan_shows_the_figure_read_only(
    client, district_officer, principal_a, school_a, period, plan, commune_plan, commune_officer
):
    commune_period, _rate, meals = commune_plan
    first = submission_get_or_create(period=period, school=school_a)
    submission_save_values(
        submission=first,
        values={plan.targets.get(order=1).pk: {"numerator": 7, "denominator": 8}},
        by=None,
        expected_version=None,
    )
    second = submission_get_or_create(period=commune_period, school=school_a)
    submission_save_values(submission=second, values={meals.pk: {"number": Decimal(3)}}, by=None, expected_version=None)
    client.force_login(commune_officer)
    html = client.get(reverse("review:submission_detail", args=[second.pk])).content.decode()
    assert "Đã báo cáo trong kỳ báo cáo khác" in html and "7/8" in html


# --- how far along, how long left ------------------------------------------------------------


@pytest.mark.parametrize(
    "days,wording",
    [(3, "Còn 3 ngày"), (1, "Còn 1 ngày"), (0, "Hạn hôm nay"), (-2, "Quá hạn 2 ngày"), (-1, "Quá hạn 1 ngày")],
)
def test_the_days_left_are_said_in_words(days, wording):
    today = datetime.date(2025, 12, 2)
    assert due_countdown(today + datetime.timedelta(days=days), today) == wording


def due_in(period, days: int):
    period.due_on = timezone.localdate() + datetime.timedelta(days=days)
    period.save(update_fields=["due_on"])
    return period


@pytest.mark.parametrize("days,wording", [(3, "Còn 3 ngày"), (0, "Hạn hôm nay"), (-2, "Quá hạn 2 ngày")])
def test_the_form_says_how_many_are_entered_and_the_days_left(
    client, principal_a, school_a, period, plan, days, wording
):
    due_in(period, days)
    url = edit_url(period, school_a)
    client.force_login(principal_a)
    html = client.get(url).content.decode()
    top = html[: html.index('class="submission-form"')]
    assert "0/2 đã nhập" in top and wording in top
    count = plan.targets.get(order=2)
    client.post(url, {"version": 1, "action": "save", f"t{count.pk}-number": "4"})
    assert "1/2 đã nhập" in client.get(url).content.decode()


def test_a_sent_report_has_no_countdown(client, principal_a, school_a, submission_a, fill_values, plan):
    due_in(submission_a.period, 3)
    fill_values(submission_a)
    targets = period_targets_for_school(submission_a.period, school_a)
    submission_submit(submission=submission_a, targets=targets, by=principal_a, expected_version=None)
    client.force_login(principal_a)
    html = client.get(edit_url(submission_a.period, school_a)).content.decode()
    assert "2/2 đã nhập" in html and "Còn 3 ngày" not in html and "data-countdown" not in html


def test_the_landing_page_says_how_many_are_entered_and_the_days_left(client, principal_a, school_a, period, plan):
    due_in(period, 3)
    later = due_in(make_period(plan, year=2024, status=ReportingPeriod.Status.OPEN, label="Năm 2024"), -2)
    count = plan.targets.get(order=2)
    submission = submission_get_or_create(period=period, school=school_a)
    submission_save_values(
        submission=submission, values={count.pk: {"number": Decimal(0)}}, by=None, expected_version=None
    )
    client.force_login(principal_a)
    html = client.get(reverse("reports:home")).content.decode()
    cards = {
        label: html[html.index(label) : html.index("</li>", html.index(label))] for label in ("Năm 2025", "Năm 2024")
    }
    assert "1/2 đã nhập" in cards["Năm 2025"] and "Còn 3 ngày" in cards["Năm 2025"]
    assert "0/2 đã nhập" in cards["Năm 2024"] and "Quá hạn 2 ngày" in cards["Năm 2024"]
    assert edit_url(later, school_a) in html


def test_the_landing_page_lists_a_period_that_asks_only_cross_level_questions(client, district, commune):
    plan = Plan.objects.create(title="KH chung", issuer=district, period_start_year=2021, period_end_year=2025)
    add(plan, 1, "Tỷ lệ giáo viên dạy giỏi", unit="ratio")
    add(plan, 2, "Tỷ lệ giáo viên có bằng thạc sĩ", unit="ratio")
    period = make_period(plan, year=2025, status=ReportingPeriod.Status.OPEN)
    mn = school("Trường Mầm non Ba", commune, "PRESCHOOL", code="MN3")
    client.force_login(principal_of(mn))
    html = client.get(reverse("reports:home") + "?tat-ca=1").content.decode()
    assert edit_url(period, mn) in html and "0/2 đã nhập" in html


# --- the principal's pages stay flat in queries -----------------------------------------------


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_form_page_does_not_query_per_question(
    client, principal_a, school_a, period, plan, submission_a, fill_values
):
    fill_values(submission_a)
    client.force_login(principal_a)
    url = edit_url(period, school_a)
    queries_of(client, url)  # warm the session and content types
    few = queries_of(client, url)
    for order in range(10, 22):
        kind = ["ratio", "count", "boolean", "score"][order % 4]
        add(plan, order, f"Chỉ tiêu thêm {order}", level="PRESCHOOL", unit=kind, goal_2025="")
    fill_values(Submission.objects.get(pk=submission_a.pk))
    assert queries_of(client, url) == few


def test_the_landing_page_does_not_query_per_period(client, principal_a, school_a, plan, period):
    client.force_login(principal_a)
    url = reverse("reports:home") + "?tat-ca=1"
    queries_of(client, url)
    few = queries_of(client, url)
    for year in (2021, 2022, 2023):
        make_period(plan, year=year, status=ReportingPeriod.Status.OPEN)
    assert queries_of(client, url) == few


def test_the_review_of_the_units_report_is_approved_through_the_service_too(
    district, period, unit_submitted, district_officer
):
    approved = submission_approve(submission=unit_submitted, by=district_officer, expected_version=None)
    assert approved.status == Submission.Status.APPROVED
