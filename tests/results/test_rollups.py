"""Roll-ups on a small hand-made tree, with every figure worked out by hand, and the incremental
table against a rebuild after random sequences of saves, submissions, returns, approvals, reopenings.

The tree (province → district → two communes):
    Xã Một:  MN1, MN2 (preschools), TH1 (a TH&THCS school: primary and lower secondary)
    Xã Hai:  MN3 (preschool), THCS1, and MN4 (closed 30/6/2024, merged into MN3)
    under the district directly: THPT1
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Indicator
from indicators.rollup import Figures, rollup_value
from indicators.services import indicator_get_or_create
from organisations.models import OrgUnit
from organisations.services import school_levels_ensure
from plans.models import Plan, Target
from results.models import IndicatorRollup, ReportingPeriod, Submission
from results.rollups import rollup_rebuild, rollup_table_snapshot
from results.services import (
    submission_approve,
    submission_get_or_create,
    submission_reopen,
    submission_return,
    submission_save_values,
    submission_submit,
)
from tests.conftest import make_user


def _school(name, parent, *levels, closed_on=None, successor=None):
    school = OrgUnit.objects.create(
        name=name, kind=OrgUnit.Kind.SCHOOL, parent=parent, closed_on=closed_on, successor=successor
    )
    all_levels = school_levels_ensure()
    school.levels.set([all_levels[code] for code in levels])
    return school


@pytest.fixture
def world(db):
    province = OrgUnit.objects.create(name="Tỉnh Thử", kind=OrgUnit.Kind.PROVINCE)
    district = OrgUnit.objects.create(name="Huyện Thử", kind=OrgUnit.Kind.DISTRICT, parent=province)
    one = OrgUnit.objects.create(name="Xã Một", kind=OrgUnit.Kind.COMMUNE, parent=district)
    two = OrgUnit.objects.create(name="Xã Hai", kind=OrgUnit.Kind.COMMUNE, parent=district)
    s = {
        "MN1": _school("MN1", one, "PRESCHOOL"),
        "MN2": _school("MN2", one, "PRESCHOOL"),
        "TH1": _school("TH1", one, "PRIMARY", "LOWER_SECONDARY"),
        "MN3": _school("MN3", two, "PRESCHOOL"),
        "THCS1": _school("THCS1", two, "LOWER_SECONDARY"),
        "THPT1": _school("THPT1", district, "UPPER_SECONDARY"),
    }
    s["MN4"] = _school("MN4", two, "PRESCHOOL", closed_on=datetime.date(2024, 6, 30), successor=s["MN3"])
    indicators = {
        "rate": indicator_get_or_create(name="Tỷ lệ huy động trẻ", level="PRESCHOOL", unit="ratio"),
        "share": indicator_get_or_create(name="Trường đạt chuẩn quốc gia", level="PRESCHOOL", unit="boolean"),
        "rooms": indicator_get_or_create(name="Số phòng học", level="PRESCHOOL", unit="count", noun="phòng"),
        "score": indicator_get_or_create(name="Điểm thi vào lớp 10", level="LOWER_SECONDARY", unit="score"),
        "cross": indicator_get_or_create(
            name="Trường chuyển đổi số", unit="boolean", levels=["PRIMARY", "LOWER_SECONDARY"]
        ),
        "grad": indicator_get_or_create(name="Tỷ lệ tốt nghiệp", level="UPPER_SECONDARY", unit="percent"),
    }
    plan = Plan.objects.create(title="KH thử", issuer=district, period_start_year=2021, period_end_year=2025)
    targets = {
        key: Target.objects.create(plan=plan, indicator=indicator, order=n, wording=indicator.name)
        for n, (key, indicator) in enumerate(indicators.items())
    }
    periods = {
        year: ReportingPeriod.objects.create(
            plan=plan,
            kind=ReportingPeriod.Kind.CALENDAR_YEAR,
            label=f"Năm {year}",
            year=year,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            opens_on=datetime.date(year, 1, 1),
            due_on=datetime.date(year, 12, 5),
            status=ReportingPeriod.Status.OPEN,
        )
        for year in (2023, 2025)
    }
    office = make_user("phong", unit=district, role="office_staff", staff=True)
    return {
        "province": province,
        "district": district,
        "one": one,
        "two": two,
        "schools": s,
        "indicators": indicators,
        "targets": targets,
        "periods": periods,
        "office": office,
    }


def report(world, school, year, values: dict, *, approve=True) -> Submission:
    """Enter `values` (target key → fields) for a school, submit, approve."""
    period = world["periods"][year]
    submission = submission_get_or_create(period=period, school=world["schools"][school])
    by = world["office"]
    stored = {world["targets"][key].pk: fields for key, fields in values.items()}
    submission_save_values(submission=submission, values=stored, by=by, expected_version=submission.version)
    targets = [world["targets"][key] for key in values]
    submission_submit(submission=submission, targets=targets, by=by, expected_version=submission.version)
    if approve:
        submission_approve(submission=submission, by=by, expected_version=submission.version)
    return submission


def figures(world, unit, key, year=2025, level="") -> Figures | None:
    row = IndicatorRollup.objects.filter(
        unit=world[unit] if isinstance(unit, str) else unit,
        indicator=world["indicators"][key],
        year=year,
        level_code=level,
    ).first()
    return Figures.of(row) if row else None


def value(world, unit, key, year=2025, level="") -> Decimal | None:
    f = figures(world, unit, key, year, level)
    return None if f is None else rollup_value(world["indicators"][key].aggregation, f)


@pytest.fixture
def reported(world):
    report(
        world,
        "MN1",
        2025,
        {"rate": {"numerator": 13, "denominator": 15}, "share": {"boolean": True}, "rooms": {"number": Decimal(0)}},
    )
    report(
        world,
        "MN2",
        2025,
        {"rate": {"numerator": 1, "denominator": 5}, "share": {"boolean": False}, "rooms": {"number": Decimal(3)}},
    )
    report(world, "MN3", 2025, {"rate": {"numerator": 0, "denominator": 10}, "rooms": {"number": Decimal(2)}})
    report(world, "TH1", 2025, {"score": {"number": Decimal("6.0"), "denominator": 50}, "cross": {"boolean": True}})
    report(world, "THCS1", 2025, {"score": {"number": Decimal("5.4"), "denominator": 100}, "cross": {"boolean": False}})
    return world


def test_a_ratio_adds_numerators_and_denominators_never_averages_percentages(reported):
    # Xã Một: 13/15 and 1/5 → 14/20 = 70 %, not the mean of 86,67 % and 20 % (53,33 %).
    assert value(reported, "one", "rate") == Decimal(70)
    # Xã Hai: 0/10 is a real 0 %, not "no data".
    assert value(reported, "two", "rate") == Decimal(0)
    assert figures(reported, "two", "rate").reported_count == 1
    # The district: 14/30.
    assert figures(reported, "district", "rate").numerator_sum == 14
    assert figures(reported, "district", "rate").denominator_sum == 30
    assert round(value(reported, "district", "rate"), 2) == Decimal("46.67")
    assert value(reported, "province", "rate") == value(reported, "district", "rate")


def test_a_share_of_schools_counts_every_open_school_of_the_level_reported_or_not(reported):
    # Xã Một: MN1 meets it, MN2 does not: 1 of 2.
    assert figures(reported, "one", "share").met_count == 1
    assert figures(reported, "one", "share").schools_count == 2
    assert value(reported, "one", "share") == Decimal(50)
    # Xã Hai: MN3 did not answer it, MN4 is closed: nothing reported there, no figure.
    assert figures(reported, "two", "share") is None
    # The district: 1 of the 3 open preschools (MN1, MN2, MN3); MN4, closed in 2024, is not counted.
    assert figures(reported, "district", "share").schools_count == 3
    assert round(value(reported, "district", "share"), 2) == Decimal("33.33")


def test_counts_add_and_zero_counts_as_reported(reported):
    assert value(reported, "one", "rooms") == 3
    assert figures(reported, "one", "rooms").reported_count == 2  # MN1's 0 is an answer
    assert value(reported, "two", "rooms") == 2
    assert value(reported, "district", "rooms") == 5


def test_scores_are_a_mean_weighted_by_pupils(reported):
    # (6,0 × 50 + 5,4 × 100) / 150 = 5,6; the plain mean of the two schools would be 5,7.
    assert value(reported, "district", "score") == Decimal("5.6")
    assert value(reported, "one", "score") == Decimal("6")


def test_cross_level_targets_add_up_across_levels_and_per_level(reported):
    # Asked of TH1 (primary + lower secondary) and THCS1, not of the preschools or THPT1.
    total = figures(reported, "district", "cross")
    assert (total.met_count, total.reported_count, total.schools_count) == (1, 2, 2)
    primary = figures(reported, "district", "cross", level="PRIMARY")
    assert (primary.met_count, primary.schools_count) == (1, 1)
    lower = figures(reported, "district", "cross", level="LOWER_SECONDARY")
    assert (lower.met_count, lower.reported_count, lower.schools_count) == (1, 2, 2)
    assert figures(reported, "district", "cross", level="PRESCHOOL") is None


def test_only_approved_reports_count_and_a_reopening_takes_them_out(reported):
    submitted = report(reported, "THPT1", 2025, {"grad": {"numerator": 99, "denominator": 100}}, approve=False)
    assert figures(reported, "district", "grad") is None
    submission_approve(submission=submitted, by=reported["office"], expected_version=submitted.version)
    assert value(reported, "district", "grad") == Decimal(99)
    mn2 = Submission.objects.get(school=reported["schools"]["MN2"])
    submission_reopen(submission=mn2, by=reported["office"], comment="Sai số trẻ", expected_version=mn2.version)
    assert figures(reported, "one", "rate").numerator_sum == 13
    assert figures(reported, "one", "rate").denominator_sum == 15
    assert figures(reported, "district", "rooms").number_sum == 2


def test_a_closed_school_keeps_its_earlier_years_where_it_stood(world):
    report(world, "MN4", 2023, {"rate": {"numerator": 5, "denominator": 10}, "share": {"boolean": True}})
    assert value(world, "two", "rate", year=2023) == Decimal(50)
    # In 2023 MN4 was open: it is one of the district's four preschools that year.
    assert figures(world, "district", "share", year=2023).schools_count == 4


def test_the_incremental_table_equals_a_rebuild(reported):
    incremental = rollup_table_snapshot()
    assert incremental
    rollup_rebuild()
    assert rollup_table_snapshot() == incremental


SCHOOLS = ["MN1", "MN2", "MN3", "TH1", "THCS1", "THPT1"]
ANSWERS = {
    "MN1": ["rate", "share", "rooms"],
    "MN2": ["rate", "share", "rooms"],
    "MN3": ["rate", "share", "rooms"],
    "TH1": ["score", "cross"],
    "THCS1": ["score", "cross"],
    "THPT1": ["grad"],
}


def _answer(key, n: int) -> dict:
    if key in ("rate", "grad"):
        return {"numerator": n, "denominator": max(n, 1) + n % 3}
    if key in ("share", "cross"):
        return {"boolean": n % 2 == 0}
    if key == "rooms":
        return {"number": Decimal(n)}
    return {"number": Decimal(n % 11), "denominator": n + 1}


operations = st.lists(
    st.tuples(
        st.sampled_from(SCHOOLS),
        st.sampled_from([2023, 2025]),
        st.sampled_from(["save", "submit", "return", "approve", "reopen"]),
        st.integers(min_value=0, max_value=40),
    ),
    min_size=1,
    max_size=25,
)


def _apply(world, school, year, action, n) -> None:
    """One step of the workflow if the state allows it; refused steps are skipped like a user's."""
    period = world["periods"][year]
    submission = submission_get_or_create(period=period, school=world["schools"][school])
    by, targets = world["office"], [world["targets"][key] for key in ANSWERS[school]]
    try:
        with transaction.atomic():
            if action == "save":
                values = {world["targets"][key].pk: _answer(key, n) for key in ANSWERS[school]}
                submission_save_values(submission=submission, values=values, by=by, expected_version=submission.version)
            elif action == "submit":
                submission_submit(submission=submission, targets=targets, by=by, expected_version=submission.version)
            elif action == "return":
                submission_return(submission=submission, by=by, comment="Sửa", expected_version=submission.version)
            elif action == "approve":
                submission_approve(submission=submission, by=by, expected_version=submission.version)
            else:
                submission_reopen(submission=submission, by=by, comment="Mở lại", expected_version=submission.version)
    except ValidationError:
        pass  # a refused step changes nothing, as for a user


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_after_any_sequence_of_steps_the_incremental_table_equals_a_rebuild(world, steps):
    with transaction.atomic():
        for step in steps:
            _apply(world, *step)
        incremental = rollup_table_snapshot()
        rollup_rebuild()
        assert rollup_table_snapshot() == incremental
        transaction.set_rollback(True)  # the next example starts from the same empty world


def test_unit_level_facts_are_not_added_up(world):
    phổ_cập = indicator_get_or_create(
        name="Mức độ phổ cập", level="PRIMARY", unit="stage", stages=["Mức độ 1", "Mức độ 2", "Mức độ 3"]
    )
    assert phổ_cập.aggregation == Indicator.Aggregation.NONE
    rollup_rebuild()
    assert not IndicatorRollup.objects.filter(indicator=phổ_cập).exists()


def test_closing_moving_and_opening_schools_keep_the_table_equal_to_a_rebuild(
    reported, django_capture_on_commit_callbacks
):
    """The share denominators follow the tree: after each change the table still equals a rebuild."""
    world = reported
    with django_capture_on_commit_callbacks(execute=True):
        mn2 = OrgUnit.objects.get(pk=world["schools"]["MN2"].pk)
        mn2.closed_on = datetime.date(2025, 6, 30)
        mn2.save()
    assert figures(world, "one", "share").schools_count == 1  # MN2 closed during 2025
    assert rollup_table_snapshot() == _rebuilt()
    with django_capture_on_commit_callbacks(execute=True):
        mn1 = OrgUnit.objects.get(pk=world["schools"]["MN1"].pk)
        mn1.parent = world["two"]
        mn1.save()
    assert figures(world, "two", "rate").numerator_sum == 13  # MN1's 13/15 now adds up in Xã Hai
    assert rollup_table_snapshot() == _rebuilt()
    with django_capture_on_commit_callbacks(execute=True):
        _school("MN5", world["two"], "PRESCHOOL")
    assert figures(world, "district", "share").schools_count == 3  # MN1, MN3, MN5 (MN2 closed)
    assert rollup_table_snapshot() == _rebuilt()


def _rebuilt():
    """What a rebuild would give, computed and thrown away (the table is left as it was)."""
    with transaction.atomic():
        rollup_rebuild()
        rebuilt = rollup_table_snapshot()
        transaction.set_rollback(True)
    return rebuilt
