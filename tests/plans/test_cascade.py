"""plans.cascade: a plan's targets against its parent plan's, and the plan's own arithmetic
(levels adding up to a total, "28/30 trường" against the schools in the tree)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.services import indicator_get_or_create
from organisations.models import OrgUnit
from organisations.selectors import school_count, school_count_by_level
from organisations.services import school_levels_ensure
from plans.cascade import plan_arithmetic_flags, plan_cascade_flags
from plans.models import Plan, Target
from plans.services import target_set_values

NBSP = "\u00a0"


def make_plan(issuer: OrgUnit, *, parent: Plan | None = None, number: str = "") -> Plan:
    return Plan.objects.create(
        number=number,
        title=f"Kế hoạch phát triển giáo dục {issuer.name} {number}".strip(),
        issuer=issuer,
        period_start_year=2021,
        period_end_year=2025,
        orientation_year=2030,
        parent=parent,
    )


def add_target(plan: Plan, indicator, milestones: dict[int, str], *, parent_target: Target | None = None) -> Target:
    target = Target.objects.create(
        plan=plan,
        indicator=indicator,
        order=plan.targets.count() + 1,
        wording=indicator.name,
        parent_target=parent_target,
    )
    return target_set_values(target=target, baseline=None, milestones=milestones)


def rate(direction: str = "higher", *, name: str = "", level: str | None = "PRESCHOOL"):
    return indicator_get_or_create(
        name=name or f"Chỉ số thử ({direction})", level=level, unit="percent", direction=direction, aggregation="none"
    )


def make_school(name: str, parent: OrgUnit, levels: list[str], **dates) -> OrgUnit:
    school = OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.SCHOOL, parent=parent, **dates)
    all_levels = school_levels_ensure()
    school.levels.set([all_levels[code] for code in levels])
    return school


@pytest.fixture
def province_plan(province):
    return make_plan(province, number="98/KH-UBND")


@pytest.fixture
def district_plan(district, province_plan):
    return make_plan(district, parent=province_plan, number="05/KH-UBND")


# --- the cascade: what counts as weaker ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "direction,parent,child,weaker",
    [
        # higher is better: the child's minimum must not be below the parent's
        ("higher", "≥ 98%", "≥ 95%", True),
        ("higher", "98%", "98%", False),
        ("higher", "98%", "từ 99% trở lên", False),
        ("higher", "100%", "≥ 99,9%", True),
        ("higher", "Trên 35%", "≥ 35%", True),  # "> 35" asks slightly more than "≥ 35"
        ("higher", "≥ 35%", "Trên 35%", False),
        ("higher", "Trên 35%", "Trên 35%", False),
        ("higher", "≥ 10%", "10-11%", False),  # a range's minimum is its low bound
        ("higher", "11%", "10-11%", True),
        ("higher", "≥ 98%", "< 5%", True),  # no minimum at all
        # rates: a ratio is its percentage, 13/15 = 86,67 %
        ("higher", "≥ 90%", "13/15 trường", True),
        ("higher", "86%", "13/15 trường", False),
        ("higher", "13/15 trường", "86,67%", False),
        ("higher", "13/15 trường", "86,6%", True),
        ("higher", "86,7% (13/15 trường)", "14/15 trường", False),
        # lower is better: the mirror
        ("lower", "< 3%", "< 5%", True),
        ("lower", "< 3%", "< 2%", False),
        ("lower", "< 3%", "≤ 3%", True),  # "< 3" asks slightly more than "≤ 3"
        ("lower", "< 3%", "3%", True),
        ("lower", "≤ 3%", "3%", False),
        ("lower", "2-4%", "≤ 4%", False),  # a range's maximum is its high bound
        ("lower", "≤ 3%", "2-4%", True),
        ("lower", "≤ 3%", "≥ 1%", True),  # no maximum at all
        # within a range: the child's range must lie inside the parent's
        ("range", "4-6%", "5%", False),
        ("range", "4-6%", "4-6%", False),
        ("range", "4-6%", "4,5-5,5%", False),
        ("range", "4-6%", "3-7%", True),
        ("range", "4-6%", "3-5%", True),
        ("range", "4-6%", "≥ 5%", True),
        ("range", "4-6%", "7%", True),
        # stages by their number
        ("higher", "Hoàn thành giai đoạn 2", "Hoàn thành giai đoạn 1", True),
        ("higher", "Hoàn thành giai đoạn 2", "Hoàn thành giai đoạn 2", False),
        ("higher", "mức độ 2", "mức độ III", False),
        ("higher", "mức độ 2 trở lên", "mức độ 2", False),
        # yes/no: "Đạt" is the requirement
        ("higher", "Đạt", "Không đạt", True),
        ("higher", "Đạt", "Chưa đạt", True),
        ("higher", "Đạt", "Đạt", False),
        ("higher", "Không đạt", "Đạt", False),
        # different scales are not compared
        ("higher", "Đạt", "90%", False),
        ("higher", "100%", "Hoàn thành giai đoạn 1", False),
        # counts are never compared across levels of government, even "higher is better" ones
        ("higher", "50 trường", "05 trường", False),
        ("lower", "01 trường", "50 trường", False),
        ("higher", "50%", "05 trường", False),
        # what could not be read is skipped
        ("higher", "98%", "???", False),
        ("higher", "98%", "", False),
        ("higher", "???", "50%", False),
        ("higher", "", "50%", False),
    ],
)
def test_a_child_milestone_is_flagged_when_weaker_than_the_parents(
    province_plan, district_plan, direction, parent, child, weaker
):
    indicator = rate(direction)
    add_target(province_plan, indicator, {2025: parent})
    add_target(district_plan, indicator, {2025: child})

    assert len(plan_cascade_flags(plan=district_plan)) == int(weaker)


@pytest.mark.django_db
def test_the_flag_names_both_targets_and_values_and_says_what_is_wrong(province_plan, district_plan):
    indicator = rate("higher")
    parent_target = add_target(province_plan, indicator, {2025: "≥ 98%", 2030: "100%"})
    child_target = add_target(district_plan, indicator, {2025: "≥ 95%", 2030: "100%"})

    [flag] = plan_cascade_flags(plan=district_plan)

    assert (flag.child_target, flag.parent_target, flag.year) == (child_target, parent_target, 2025)
    assert (flag.child_value.wording, flag.parent_value.wording) == ("≥ 95%", "≥ 98%")
    assert flag.message == (
        f"Chỉ tiêu 2025 của KH 05/KH-UBND của Huyện Thử Nghiệm (≥{NBSP}95{NBSP}%) "
        f"thấp hơn chỉ tiêu của kế hoạch cấp trên (≥{NBSP}98{NBSP}%)"
    )


@pytest.mark.django_db
def test_lower_and_range_flags_say_so(province_plan, district_plan):
    add_target(province_plan, rate("lower"), {2025: "< 3%"})
    add_target(district_plan, rate("lower"), {2025: "< 5%"})
    add_target(province_plan, rate("range"), {2025: "4-6%"})
    add_target(district_plan, rate("range"), {2025: "3-7%"})

    assert [f.message for f in plan_cascade_flags(plan=district_plan)] == [
        f"Chỉ tiêu 2025 của KH 05/KH-UBND của Huyện Thử Nghiệm (<{NBSP}5{NBSP}%) cao hơn chỉ tiêu của kế hoạch "
        f"cấp trên (<{NBSP}3{NBSP}%), trong khi chỉ số này càng thấp càng tốt",
        f"Chỉ tiêu 2025 của KH 05/KH-UBND của Huyện Thử Nghiệm (3–7{NBSP}%) không nằm trong khoảng chỉ tiêu của "
        f"kế hoạch cấp trên (4–6{NBSP}%)",
    ]


@pytest.mark.django_db
def test_the_same_flags_show_on_the_parent_plan_for_each_child(province, province_plan, district_plan):
    other = OrgUnit.objects.create(name="Huyện Bên Cạnh", kind=OrgUnit.Kind.DISTRICT, parent=province)
    other_plan = make_plan(other, parent=province_plan)
    indicator = rate("higher")
    add_target(province_plan, indicator, {2025: "≥ 98%"})
    add_target(district_plan, indicator, {2025: "≥ 95%"})
    add_target(other_plan, indicator, {2025: "97%"})
    unrelated = make_plan(other)  # no parent: never compared
    add_target(unrelated, indicator, {2025: "10%"})

    from_parent = plan_cascade_flags(plan=province_plan)

    assert [f.child_target.plan for f in from_parent] == [other_plan, district_plan]  # by issuer name
    assert from_parent == plan_cascade_flags(plan=other_plan) + plan_cascade_flags(plan=district_plan)
    assert "KH chưa có số hiệu của Huyện Bên Cạnh (97" in from_parent[0].message
    assert plan_cascade_flags(plan=unrelated) == []


@pytest.mark.django_db
def test_a_middle_plan_sees_its_parent_above_and_its_child_below(province_plan, district_plan, commune):
    commune_plan = make_plan(commune, parent=district_plan)
    indicator = rate("higher")
    add_target(province_plan, indicator, {2025: "98%"})
    add_target(district_plan, indicator, {2025: "96%"})
    add_target(commune_plan, indicator, {2025: "95%"})

    flags = plan_cascade_flags(plan=district_plan)

    assert [(f.child_target.plan, f.parent_target.plan) for f in flags] == [
        (district_plan, province_plan),
        (commune_plan, district_plan),
    ]
    assert len(plan_cascade_flags(plan=province_plan)) == 1  # only its own children, not grandchildren


@pytest.mark.django_db
def test_parent_target_is_used_over_indicator_matching(province_plan, district_plan):
    enrolment, teachers = rate(name="Tỷ lệ huy động trẻ"), rate(name="Tỷ lệ giáo viên đạt chuẩn")
    parent_enrolment = add_target(province_plan, enrolment, {2025: "≥ 98%"})
    parent_teachers = add_target(province_plan, teachers, {2025: "≥ 90%"})
    # Same indicator as the province's 98 % row, but the office linked it to the 90 % row: 95 % is enough.
    add_target(district_plan, enrolment, {2025: "95%"}, parent_target=parent_teachers)
    # Another indicator than the province's 98 % row, linked to it on purpose: 92 % is below it.
    linked = add_target(district_plan, teachers, {2025: "92%"}, parent_target=parent_enrolment)

    [flag] = plan_cascade_flags(plan=district_plan)

    assert (flag.child_target, flag.parent_target) == (linked, parent_enrolment)


@pytest.mark.django_db
def test_only_the_same_level_and_the_same_year_are_compared(province_plan, district_plan):
    add_target(province_plan, rate(name="Tỷ lệ giáo viên đạt chuẩn", level="PRESCHOOL"), {2025: "100%"})
    add_target(district_plan, rate(name="Tỷ lệ giáo viên đạt chuẩn", level="PRIMARY"), {2025: "90%"})
    add_target(province_plan, rate(name="Tỷ lệ trẻ đến trường"), {2025: "100%"})
    add_target(district_plan, rate(name="Tỷ lệ trẻ đến trường"), {2030: "90%"})

    assert plan_cascade_flags(plan=district_plan) == []
    assert plan_cascade_flags(plan=province_plan) == []


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_cascade_queries_do_not_grow_with_the_plans(
    province, district, province_plan, district_plan, size, django_assert_max_num_queries
):
    other = OrgUnit.objects.create(name="Huyện Bên Cạnh", kind=OrgUnit.Kind.DISTRICT, parent=province)
    other_plan = make_plan(other, parent=province_plan)
    for i in range(size):
        indicator = rate(name=f"Chỉ số {i}")
        add_target(province_plan, indicator, {2025: "≥ 98%", 2030: "100%"})
        add_target(district_plan, indicator, {2025: "95%", 2030: "99%"})
        add_target(other_plan, indicator, {2025: "99%", 2030: "100%"})
    parent, child = Plan.objects.get(pk=province_plan.pk), Plan.objects.get(pk=district_plan.pk)

    with django_assert_max_num_queries(2):
        assert len(plan_cascade_flags(plan=child)) == 2 * size
    with django_assert_max_num_queries(2):
        assert len(plan_cascade_flags(plan=parent)) == 2 * size


# --- arithmetic: levels adding up to the total ---------------------------------------------------


def standard_schools(level: str | None):
    return indicator_get_or_create(
        name="Số trường đạt chuẩn quốc gia mức độ II", level=level, unit="count", noun="trường"
    )


@pytest.mark.django_db
def test_levels_that_add_up_to_the_total_are_not_flagged(district):
    plan = make_plan(district)
    add_target(plan, standard_schools(None), {2025: "30 trường", 2030: "33 trường"})
    add_target(plan, standard_schools("PRESCHOOL"), {2025: "10 trường", 2030: "11 trường"})
    add_target(plan, standard_schools("PRIMARY"), {2025: "12 trường", 2030: "12 trường"})
    add_target(plan, standard_schools("LOWER_SECONDARY"), {2025: "08 trường", 2030: "10"})

    assert plan_arithmetic_flags(plan=plan) == []


@pytest.mark.django_db
def test_levels_that_do_not_add_up_are_flagged_on_the_total(district):
    plan = make_plan(district)
    total = add_target(plan, standard_schools(None), {2025: "30 trường", 2030: "33 trường"})
    add_target(plan, standard_schools("PRESCHOOL"), {2025: "10 trường", 2030: "11 trường"})
    add_target(plan, standard_schools("PRIMARY"), {2025: "09 trường", 2030: "12 trường"})
    add_target(plan, standard_schools("LOWER_SECONDARY"), {2025: "08 trường", 2030: "10 trường"})

    [flag] = plan_arithmetic_flags(plan=plan)

    assert (flag.target, flag.year, flag.kind) == (total, 2025, "levels_total")
    assert (flag.expected, flag.found) == (Decimal(27), Decimal(30))
    assert flag.message == "Năm 2025: tổng các cấp học (MN, TH, THCS) 27 trường, chỉ tiêu chung ghi 30 trường"


@pytest.mark.django_db
def test_ratio_levels_add_numerators_and_denominators(district):
    plan = make_plan(district)  # no school in this tree: the denominators are not checked against it
    total = add_target(plan, standard_schools(None), {2025: "28/30 trường", 2030: "30/31 trường"})
    add_target(plan, standard_schools("PRESCHOOL"), {2025: "10/10 trường", 2030: "10/10 trường"})
    add_target(plan, standard_schools("PRIMARY"), {2025: "9/10 trường", 2030: "10/10 trường"})
    add_target(plan, standard_schools("LOWER_SECONDARY"), {2025: "9/11 trường", 2030: "10/11 trường"})

    [flag] = plan_arithmetic_flags(plan=plan)

    assert (flag.target, flag.year, flag.expected, flag.found) == (total, 2025, (28, 31), (28, 30))
    assert flag.message == ("Năm 2025: tổng các cấp học (MN, TH, THCS) 28/31 trường, chỉ tiêu chung ghi 28/30 trường")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "total,preschool,primary",
    [
        ("30 trường", "10 trường", "???"),  # a level that cannot be read
        ("30 trường", "10 trường", ""),  # an empty level cell
        ("30 trường", "10 trường", None),  # no value that year
        ("30 trường", "10/12 trường", "9 trường"),  # a ratio among counts
        ("28/30 trường", "10/12 trường", "9 trường"),
        ("25-30 trường", "10 trường", "9 trường"),  # a range is no total
        ("90%", "10 trường", "9 trường"),  # a percent is no total
    ],
)
def test_a_total_is_not_checked_when_its_levels_cannot_be_added(district, total, preschool, primary):
    plan = make_plan(district)
    add_target(plan, standard_schools(None), {2025: total})
    add_target(plan, standard_schools("PRESCHOOL"), {2025: preschool})
    add_target(plan, standard_schools("PRIMARY"), {2025: primary} if primary is not None else {2030: "9 trường"})

    assert plan_arithmetic_flags(plan=plan) == []


@pytest.mark.django_db
def test_a_total_with_no_level_rows_and_other_names_are_left_alone(district):
    plan = make_plan(district)
    add_target(plan, standard_schools(None), {2025: "30 trường"})
    add_target(plan, indicator_get_or_create(name="Số trường có thư viện", level="PRIMARY", unit="count"), {2025: "3"})

    assert plan_arithmetic_flags(plan=plan) == []


# --- arithmetic: denominators against the tree ---------------------------------------------------


@pytest.fixture
def tree(district, commune, other_district):
    """Under the district on 31/12/2025: 3 open preschools, 1 primary, 1 TH&THCS school (5 schools;
    TH 2, THCS 1). A preschool closed in June 2025 and one opening in 2026 (so 4 preschools in 2030);
    a school with no level recorded; a preschool in the neighbouring district, not counted."""
    for name in ("MN Một", "MN Hai", "MN Ba"):
        make_school(name, commune, ["PRESCHOOL"])
    make_school("MN Đã sáp nhập", commune, ["PRESCHOOL"], closed_on=datetime.date(2025, 6, 1))
    make_school("MN Mới", commune, ["PRESCHOOL"], valid_from=datetime.date(2026, 1, 1))
    make_school("TH Một", commune, ["PRIMARY"])
    make_school("TH&THCS Liên cấp", commune, ["PRIMARY", "LOWER_SECONDARY"])
    make_school("Trường chưa ghi cấp học", commune, [])
    make_school("MN Huyện bên", other_district, ["PRESCHOOL"])
    return school_levels_ensure()


@pytest.mark.django_db
def test_school_count_by_level_counts_open_schools_once_per_level(district, tree):
    end_2025 = datetime.date(2025, 12, 31)
    mn, th, thcs = tree["PRESCHOOL"].pk, tree["PRIMARY"].pk, tree["LOWER_SECONDARY"].pk

    assert school_count_by_level(unit=district, day=end_2025) == {mn: 3, th: 2, thcs: 1}
    assert school_count_by_level(unit=district, day=datetime.date(2025, 5, 31)) == {mn: 4, th: 2, thcs: 1}
    assert school_count_by_level(unit=district, day=datetime.date(2030, 12, 31)) == {mn: 4, th: 2, thcs: 1}
    assert school_count(unit=district, day=end_2025) == 5  # the TH&THCS school is one school


def school_share(level: str | None, *, name: str = "Trường đạt chuẩn quốc gia"):
    return indicator_get_or_create(name=name, level=level, unit="boolean", aggregation="share_of_schools")


@pytest.mark.django_db
def test_denominators_equal_to_the_tree_are_not_flagged(district, tree):
    plan = make_plan(district)
    add_target(plan, school_share("PRESCHOOL"), {2025: "3/3 trường", 2030: "75% (3/4 trường)"})
    add_target(plan, school_share("PRIMARY"), {2025: "2/2 trường"})  # the TH&THCS school counts
    add_target(plan, school_share("LOWER_SECONDARY"), {2025: "1/1"})
    add_target(plan, school_share(None, name="Trường có thư viện đạt chuẩn"), {2025: "4/5 trường", 2030: "6/6 trường"})

    assert plan_arithmetic_flags(plan=plan) == []


@pytest.mark.django_db
def test_denominators_other_than_the_tree_are_flagged(district, tree):
    plan = make_plan(district)
    preschool = add_target(plan, school_share("PRESCHOOL"), {2025: "3/4 trường", 2030: "4/4 trường"})
    lower = add_target(plan, school_share("LOWER_SECONDARY"), {2025: "1/2 trường"})
    any_level = add_target(
        plan,
        indicator_get_or_create(name="Trường có phòng học thông minh", unit="ratio", noun="trường", aggregation="none"),
        {2025: "5/5", 2030: "5/5"},
    )

    flags = plan_arithmetic_flags(plan=plan)

    assert [(f.target, f.year, f.kind, f.expected, f.found) for f in flags] == [
        (preschool, 2025, "denominator", 3, 4),  # the closed school is not counted
        (lower, 2025, "denominator", 1, 2),
        (any_level, 2030, "denominator", 6, 5),  # the school opened in 2026 is
    ]
    assert flags[0].message == (
        "Chỉ tiêu 2025 “3/4 trường” có mẫu số 4, nhưng Huyện Thử Nghiệm có 3 trường MN đang hoạt động ngày 31/12/2025"
    )
    assert flags[2].message == (
        "Chỉ tiêu 2030 “5/5” có mẫu số 5, nhưng Huyện Thử Nghiệm có 6 trường (các cấp học) đang hoạt động "
        "ngày 31/12/2030"
    )


@pytest.mark.django_db
def test_ratios_of_other_things_are_not_checked_against_schools(district, tree):
    plan = make_plan(district)
    add_target(plan, school_share("PRESCHOOL"), {2025: "15/15 xã, phường"})  # the value's noun wins
    add_target(
        plan,
        indicator_get_or_create(name="Tỷ lệ trẻ đến trường", level="PRESCHOOL", unit="ratio", aggregation="none"),
        {2025: "280/300"},
    )
    add_target(
        plan,
        indicator_get_or_create(name="Số phòng học kiên cố", level="PRIMARY", unit="ratio", noun="phòng"),
        {2025: "40/42 phòng"},
    )

    assert plan_arithmetic_flags(plan=plan) == []


@pytest.mark.django_db
def test_a_tree_with_no_school_is_not_compared(province, tree):
    empty = OrgUnit.objects.create(name="Huyện Chưa Nhập Trường", kind=OrgUnit.Kind.DISTRICT, parent=province)
    plan = make_plan(empty)
    add_target(plan, school_share("PRESCHOOL"), {2025: "13/15 trường"})

    assert plan_arithmetic_flags(plan=plan) == []


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_arithmetic_queries_do_not_grow_with_the_plan(district, tree, size, django_assert_max_num_queries):
    plan = make_plan(district)
    for i in range(size):
        match i % 4:
            case 0:
                add_target(plan, standard_schools(None), {2025: "30 trường", 2030: "31 trường"})
            case 1:
                add_target(plan, standard_schools("PRESCHOOL"), {2025: "10 trường", 2030: "10 trường"})
            case 2:
                add_target(plan, school_share("PRESCHOOL"), {2025: "3/4 trường", 2030: "4/4 trường"})
            case 3:
                add_target(plan, school_share(None), {2025: "5/5 trường", 2030: "5/5 trường"})
    plan = Plan.objects.get(pk=plan.pk)  # its issuer not loaded yet

    # targets, values, issuer, then per milestone year: schools by level and schools of any level.
    with django_assert_max_num_queries(7):
        flags = plan_arithmetic_flags(plan=plan)
    assert {f.kind for f in flags} == {"levels_total", "denominator"}


# --- the real seed: Vĩnh Bảo's demo tree -------------------------------------------------------------


@pytest.fixture
def seed(db, settings, tmp_path):
    """The four seed plans and the organisations, as load_seed_data gives them (about 3 s)."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_seed_data", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_seed_plans_and_vinh_baos_demo_tree(seed):
    vinh_bao = OrgUnit.objects.get(name="Huyện Vĩnh Bảo", kind=OrgUnit.Kind.DISTRICT)
    levels = school_levels_ensure()
    counts = school_count_by_level(unit=vinh_bao, day=datetime.date(2025, 12, 31))
    assert {code: counts.get(level.pk) for code, level in levels.items()} == {
        "PRESCHOOL": 30,
        "PRIMARY": 25,
        "LOWER_SECONDARY": 19,
        "UPPER_SECONDARY": 4,
        "VOCATIONAL_CONTINUING": 1,
    }

    # No seed plan names a parent plan, and none has a total split by level or an "x/y trường" that
    # its tree can check: Vĩnh Bảo writes shares of schools as percents ("93.33%", "100%"), its one
    # cross-level row (Trung tâm Tin học) has no level rows, and Đức Phổ's "86,7% (13/15 trường)"
    # has no school of Đức Phổ in the tree to compare with.
    for plan in Plan.objects.all():
        assert plan_cascade_flags(plan=plan) == [], plan
        assert plan_arithmetic_flags(plan=plan) == [], plan

    # A plan written against the demo tree: which "x/y trường" denominators it matches.
    plan = make_plan(vinh_bao, number="01/KH-MH")
    wordings = {
        "PRESCHOOL": "28/30 trường",  # 30 preschools: matches
        "PRIMARY": "25/25 trường",  # 25 primary schools: matches
        "LOWER_SECONDARY": "18/20 trường",  # 19 lower secondary schools, not 20
        "UPPER_SECONDARY": "4/4 trường",  # matches
        "VOCATIONAL_CONTINUING": "1/1 trường",  # the one GDNN-GDTX centre: matches
    }
    for level, wording in wordings.items():
        add_target(plan, school_share(level), {2025: wording})
    library = school_share(None, name="Trường có thư viện đạt chuẩn")
    add_target(plan, library, {2025: "70/79 trường"})  # 79 schools of any level: matches

    flags = plan_arithmetic_flags(plan=plan)

    assert [(f.target.indicator.level.code, f.expected, f.found) for f in flags] == [("LOWER_SECONDARY", 19, 20)]
