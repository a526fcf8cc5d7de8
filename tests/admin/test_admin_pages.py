"""Every admin page opens for the people who use the admin, and the plan can be entered through
it: the plan page with its target table, and the add pages of its parts.

The page matrix is generated from admin.site._registry, so a newly registered model fails
test_every_registered_model_has_an_instance_maker until it gets a maker (tests/admin/conftest.py)
and a category (CATEGORY there). Who sees which rows is tests/admin/test_scope.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import ProgressNote, Task
from assignments.services import task_create
from indicators.models import Indicator
from indicators.services import indicator_get_or_create
from organisations.models import OrgUnit
from organisations.services import school_levels_ensure
from plans.models import BudgetLine, FundingSource, Plan, Target, TargetValue
from plans.services import target_set_values
from tests.admin.admin_helpers import form_data, model_id, url
from tests.admin.conftest import ACCOUNTS, CATEGORY, FIXED, READ_ONLY

USERS = ["superuser", "office_staff", "commune_officer"]
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def expected(model, page: str, who: str) -> int:
    """200 or 403 for the world's object (in the district, under the commune's school A)."""
    category = CATEGORY[model._meta.label]
    if category == ACCOUNTS:
        return 200 if who == "superuser" else 403
    if page == "add" and category in (FIXED, READ_ONLY):
        return 403
    return 200


def test_every_registered_model_has_an_instance_maker(world):
    missing = [model_id(m) for m in REGISTERED if m not in world]
    assert not missing, f"Add an instance to the `world` fixture for: {missing}"


def test_every_registered_model_has_a_category():
    missing = [model_id(m) for m in REGISTERED if model_id(m) not in CATEGORY]
    assert not missing, f"Add a category to CATEGORY in tests/admin/conftest.py for: {missing}"


# --- every page opens -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_changelist_opens(client, request, world, who, model):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(model, "changelist")).status_code == expected(model, "changelist", who)


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_add_page_opens(client, request, world, who, model):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(model, "add")).status_code == expected(model, "add", who)


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_change_page_opens(client, request, world, who, model):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(model, "change", world[model].pk))
    assert response.status_code == expected(model, "change", who)


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_search_and_every_filter_choice_answer(client, request, world, who, model):
    if expected(model, "changelist", who) != 200:
        pytest.skip("no access: covered by test_changelist_opens")
    client.force_login(request.getfixturevalue(who))
    changelist = url(model, "changelist")
    if admin.site._registry[model].search_fields:
        assert client.get(changelist, {"q": "Thử"}).status_code == 200
        assert client.get(changelist, {"q": "12/KH"}).status_code == 200
    response = client.get(changelist)
    cl = response.context["cl"]
    checked = 0
    for spec in cl.filter_specs:
        for choice in spec.choices(cl):
            answer = client.get(changelist + choice["query_string"])
            # 302 to ?e=1 is the admin's "invalid filter" answer: it must not happen either.
            assert answer.status_code == 200, (spec.title, choice["display"], answer.status_code)
            checked += 1
    assert checked >= len(cl.filter_specs)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_changelist_queries_do_not_grow_with_rows(client, superuser, world, district, model):
    """No N+1: a second plan with its own targets, tasks, lines and units costs no extra query."""
    client.force_login(superuser)
    changelist = url(model, "changelist")
    client.get(changelist)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as before:
        assert client.get(changelist).status_code == 200
    _second_plan(district)
    with CaptureQueriesContext(connection) as after:
        assert client.get(changelist).status_code == 200
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


@pytest.mark.django_db
def test_plan_page_queries_do_not_grow_with_rows(admin_client, plan):
    """The target table labels every row's indicator (and the budget lines their sources) from one query."""
    page = url(Plan, "change", plan.pk)
    admin_client.get(page)
    with CaptureQueriesContext(connection) as before:
        assert admin_client.get(page).status_code == 200
    indicator = indicator_get_or_create(name="Số phòng học kiên cố", level="PRESCHOOL", unit="count", noun="phòng")
    for order in (3, 4):
        target = Target.objects.create(plan=plan, indicator=indicator, order=order, wording=f"Phòng học {order}")
        target_set_values(target=target, baseline=(2024, "10 phòng"), milestones={2025: "12 phòng", 2030: "15 phòng"})
    source = FundingSource.objects.create(name="Ngân sách xã")
    for number in ("2", "3"):
        BudgetLine.objects.create(plan=plan, number=number, content="Sửa chữa", amount=5).funding_sources.add(source)
    with CaptureQueriesContext(connection) as after:
        assert admin_client.get(page).status_code == 200
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def _second_plan(district: OrgUnit) -> Plan:
    commune = OrgUnit.objects.create(name="Xã Thứ Hai", kind=OrgUnit.Kind.COMMUNE, parent=district)
    school = OrgUnit.objects.create(name="Trường Tiểu học B", kind=OrgUnit.Kind.SCHOOL, parent=commune, code="T-B")
    levels = school_levels_ensure()
    school.levels.set([levels["PRIMARY"], levels["LOWER_SECONDARY"]])
    other = Plan.objects.create(
        number="7/KH-UBND", title="Kế hoạch thứ hai", issuer=commune, period_start_year=2025, period_end_year=2026
    )
    indicator = indicator_get_or_create(name="Tỷ lệ học sinh hoàn thành chương trình", level="PRIMARY", unit="percent")
    for order in (1, 2):
        target = Target.objects.create(plan=other, indicator=indicator, order=order, wording=f"Chỉ tiêu {order}")
        target_set_values(target=target, baseline=(2025, "90%"), milestones={2026: "???"})
    source = FundingSource.objects.create(name="Xã hội hóa")
    for number in ("1", "2"):
        BudgetLine.objects.create(plan=other, number=number, content="Mua sắm", amount=10).funding_sources.add(source)
    for order in (1, 2):
        task = task_create(plan=other, content=f"Việc {order}", leads=[school], coordinators=["Hội cha mẹ học sinh"])
        ProgressNote.objects.create(task=task, noted_on=datetime.date(2025, 1, order), text="Đang làm")
    return other


# --- posting admin forms --------------------------------------------------------------------


def test_form_data_reads_the_plan_page(admin_client, plan):
    data = form_data(admin_client.get(url(Plan, "change", plan.pk)))
    assert data["title"] == plan.title
    assert data["issuer"] == str(plan.issuer_id)
    assert data["targets-INITIAL_FORMS"] == "2"
    assert data["targets-0-baseline_wording"] == "79,3%"
    assert data["targets-0-milestone_2030"] == "86%"
    assert data["budget_lines-INITIAL_FORMS"] == "3"
    assert data["budget_stated_total"] == "300"


def _new_target_row(data: dict, prefix: str = "targets") -> int:
    """Index of the first blank row the page offers."""
    index = int(data[f"{prefix}-INITIAL_FORMS"])
    assert int(data[f"{prefix}-TOTAL_FORMS"]) > index
    return index


@pytest.mark.django_db
def test_staff_changes_the_title_and_adds_a_target_row_with_its_values(client, office_staff, plan):
    client.force_login(office_staff)
    page = url(Plan, "change", plan.pk)
    data = form_data(client.get(page))
    indicator = indicator_get_or_create(name="Tỷ lệ trẻ 5 tuổi đi học", level="PRESCHOOL", unit="percent")
    i = _new_target_row(data)
    data["title"] = "Kế hoạch phát triển giáo dục (sửa đổi)"
    data.update(
        {
            f"targets-{i}-row_number": "3",
            f"targets-{i}-section": "I. GIÁO DỤC MẦM NON",
            f"targets-{i}-indicator": str(indicator.pk),
            f"targets-{i}-wording": "Tỷ lệ trẻ 5 tuổi đi học mẫu giáo",
            f"targets-{i}-baseline_year": "2024",
            f"targets-{i}-baseline_wording": "27,2%",
            f"targets-{i}-milestone_2025": "Trên 35%",
            f"targets-{i}-order": "3",
        }
    )

    response = client.post(page, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else None
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch phát triển giáo dục (sửa đổi)"
    target = Target.objects.get(plan=plan, indicator=indicator)
    baseline = target.values.get(role=TargetValue.Role.BASELINE)
    assert (baseline.year, baseline.wording, baseline.comparator, baseline.value) == (
        2024,
        "27,2%",
        "eq",
        Decimal("27.2"),
    )
    goal = target.values.get(role=TargetValue.Role.MILESTONE)
    assert (goal.year, goal.comparator, goal.value, goal.flag) == (2025, "gt", Decimal(35), "")
    # The blank 2030 cell gives no value, and the rows nobody touched keep theirs exactly.
    assert not target.values.filter(year=2030).exists()
    assert TargetValue.objects.filter(target__plan=plan).count() == 6 + 2
    assert TargetValue.objects.get(target__plan=plan, target__order=2, year=2030).wording == "???"


@pytest.mark.django_db
def test_an_unreadable_value_is_saved_and_flagged(admin_client, plan):
    page = url(Plan, "change", plan.pk)
    data = form_data(admin_client.get(page))
    i = _new_target_row(data)
    indicator = Indicator.objects.get(name="Số trường đạt chuẩn")
    data.update(
        {
            f"targets-{i}-indicator": str(indicator.pk),
            f"targets-{i}-wording": "Số trường đạt chuẩn mức độ 2",
            f"targets-{i}-milestone_2030": "???",
        }
    )
    assert admin_client.post(page, data).status_code == 302
    value = TargetValue.objects.get(target__wording="Số trường đạt chuẩn mức độ 2")
    assert (value.year, value.wording, value.value_kind, value.flag) == (2030, "???", "text", "unparsed")
    # The pre-filled baseline year alone made no baseline.
    assert not value.target.values.filter(role=TargetValue.Role.BASELINE).exists()


@pytest.mark.django_db
def test_editing_a_cell_rewrites_that_value_only(admin_client, plan):
    page = url(Plan, "change", plan.pk)
    data = form_data(admin_client.get(page))
    data["targets-0-milestone_2025"] = "Trên 80%"
    data["targets-0-milestone_2030"] = ""
    assert admin_client.post(page, data).status_code == 302
    first = plan.targets.get(order=1)
    assert {(v.role, v.year): v.wording for v in first.values.all()} == {
        ("baseline", 2024): "79,3%",
        ("milestone", 2025): "Trên 80%",
    }
    assert first.values.get(year=2025).comparator == "gt"


@pytest.mark.django_db
def test_a_baseline_needs_its_year(admin_client, plan):
    page = url(Plan, "change", plan.pk)
    data = form_data(admin_client.get(page))
    data["targets-0-baseline_year"] = ""
    response = admin_client.post(page, data)
    assert response.status_code == 200
    assert "Nhập năm của hiện trạng." in response.content.decode()
    assert plan.targets.get(order=1).values.get(role="baseline").year == 2024


@pytest.mark.django_db
def test_plan_page_shows_budget_check_and_values_to_review(admin_client, plan):
    html = admin_client.get(url(Plan, "change", plan.pk)).content.decode()
    assert "Kiểm tra kinh phí" in html
    assert "Tổng tính từ các dòng: <strong>350</strong> triệu đồng" in html
    assert "Văn bản ghi tổng: 300 triệu đồng — chênh lệch: -50" in html
    assert "Mục 1 “Cơ sở vật chất”: văn bản ghi 300, cộng các dòng 350, chênh lệch -50" in html
    assert "Giá trị cần xem lại" in html
    assert "“???”" in html and "Không đọc được giá trị" in html
    assert "Chỉ tiêu 2025" in html and "Chỉ tiêu 2030" in html


@pytest.mark.django_db
def test_target_page_shows_how_each_value_was_read(admin_client, plan):
    target = plan.targets.get(order=1)
    html = admin_client.get(url(Target, "change", target.pk)).content.decode()
    assert "Cách hiểu" in html
    assert "79,3\xa0%" in html


# --- add pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_add_a_plan_with_a_first_target(admin_client, district, plan):
    page = url(Plan, "add")
    data = form_data(admin_client.get(page))
    assert "Lưu kế hoạch trước" in admin_client.get(page).content.decode()
    indicator = Indicator.objects.get(name="Tỷ lệ huy động trẻ")
    data.update(
        {
            "number": "99/KH-UBND",
            "title": "Kế hoạch thực hiện Chương trình giáo dục phổ thông",
            "issuer": str(district.pk),
            "period_start_year": "2025",
            "period_end_year": "2030",
            "orientation_year": "2035",
            "budget_stated_total": "1.500,5",
            "targets-0-indicator": str(indicator.pk),
            "targets-0-wording": "Tỷ lệ huy động trẻ đến trường",
            "targets-0-baseline_year": "2024",
            "targets-0-baseline_wording": "95%",
        }
    )
    response = admin_client.post(page, data)
    assert response.status_code == 302
    new = Plan.objects.get(number="99/KH-UBND")
    assert new.budget_stated_total == Decimal("1500.5")
    assert new.targets.get().values.get().wording == "95%"
    # Saved: the page now has the year columns.
    assert "targets-0-milestone_2030" in form_data(admin_client.get(url(Plan, "change", new.pk)))


@pytest.mark.django_db
def test_a_plan_ending_before_it_starts_is_refused(admin_client, district):
    page = url(Plan, "add")
    data = form_data(admin_client.get(page))
    data.update(
        {
            "title": "Kế hoạch sai năm",
            "issuer": str(district.pk),
            "period_start_year": "2025",
            "period_end_year": "2020",
        }
    )
    response = admin_client.post(page, data)
    assert response.status_code == 200
    assert "Năm kết thúc phải từ năm bắt đầu trở đi." in response.content.decode()
    assert not Plan.objects.filter(title="Kế hoạch sai năm").exists()


@pytest.mark.django_db
def test_add_a_school(admin_client, school_a):
    page = url(OrgUnit, "add")
    data = form_data(admin_client.get(page))
    primary = school_levels_ensure()["PRIMARY"]
    data.update(
        {
            "name": "Trường Tiểu học C",
            "kind": "school",
            "parent": str(school_a.parent_id),
            "code": "T-C",
            "levels": [str(primary.pk)],
            "ownership": "public",
        }
    )
    assert admin_client.post(page, data).status_code == 302
    school = OrgUnit.objects.get(code="T-C")
    assert school.path == f"{school_a.parent.path}{school.pk}/"
    assert list(school.levels.all()) == [primary]


@pytest.mark.django_db
def test_a_school_needs_a_parent(admin_client, db):
    page = url(OrgUnit, "add")
    data = form_data(admin_client.get(page))
    data.update({"name": "Trường mồ côi", "kind": "school"})
    response = admin_client.post(page, data)
    assert response.status_code == 200
    assert "Cần chọn đơn vị cấp trên." in response.content.decode()
    assert not OrgUnit.objects.filter(name="Trường mồ côi").exists()


@pytest.mark.django_db
def test_add_an_indicator_gets_a_code(admin_client, db):
    page = url(Indicator, "add")
    data = form_data(admin_client.get(page))
    level = school_levels_ensure()["PRIMARY"]
    data.update({"name": "Tỷ lệ học sinh học 2 buổi/ngày", "level": str(level.pk), "unit": "percent"})
    data["aggregation"] = "ratio_of_sums"
    assert admin_client.post(page, data).status_code == 302
    assert Indicator.objects.get(name="Tỷ lệ học sinh học 2 buổi/ngày").code == "th-ty-le-hoc-sinh-hoc-2-buoingay"


@pytest.mark.django_db
def test_a_ratio_indicator_cannot_be_summed(admin_client, db):
    page = url(Indicator, "add")
    data = form_data(admin_client.get(page))
    data.update({"name": "Tỷ lệ sai", "unit": "ratio", "aggregation": "sum"})
    response = admin_client.post(page, data)
    assert response.status_code == 200
    assert "Tỷ lệ không thể cộng tổng" in response.content.decode()
    assert not Indicator.objects.filter(name="Tỷ lệ sai").exists()


@pytest.mark.django_db
def test_add_a_task_with_its_lead_and_a_progress_note(client, office_staff, plan, district):
    client.force_login(office_staff)
    page = url(Task, "add")
    data = form_data(client.get(page))
    data.update(
        {
            "plan": str(plan.pk),
            "content": "Tổ chức hội nghị triển khai",
            "timing_wording": "Tháng 6 hàng năm",
            "participants-0-role": "lead",
            "participants-0-unit": str(district.pk),
            "progress_notes-0-noted_on": "05/06/2025",
            "progress_notes-0-text": "Đã tổ chức hội nghị",
        }
    )
    response = client.post(page, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    task = Task.objects.get(content="Tổ chức hội nghị triển khai")
    assert (task.timing_kind, task.recurrence, task.recurrence_month) == ("recurrence", "yearly", 6)
    assert task.participants.get().unit == district
    assert task.progress_notes.get().author == office_staff


@pytest.mark.django_db
def test_add_a_budget_line_reads_vietnamese_amounts(admin_client, plan):
    source = FundingSource.objects.create(name="Ngân sách tỉnh")
    page = url(BudgetLine, "add")
    data = form_data(admin_client.get(page))
    data.update(
        {
            "plan": str(plan.pk),
            "number": "2",
            "content": "Bồi dưỡng giáo viên",
            "amount": "1.500",
            "funding_sources": [str(source.pk)],
        }
    )
    assert admin_client.post(page, data).status_code == 302
    line = BudgetLine.objects.get(plan=plan, number="2")
    assert line.amount == Decimal(1500)
    assert list(line.funding_sources.all()) == [source]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,message",
    [
        ("number", "1.a", "STT phải có dạng 1, 1.1, 1.2.3 …"),
        ("amount", "abc", "Không đọc được số tiền “abc”"),
    ],
)
def test_a_bad_budget_line_is_refused(admin_client, plan, field, value, message):
    page = url(BudgetLine, "add")
    data = form_data(admin_client.get(page))
    data.update({"plan": str(plan.pk), "number": "2", "content": "Dòng sai", "amount": "10"})
    data[field] = value
    response = admin_client.post(page, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert BudgetLine.objects.filter(plan=plan).count() == 3
