"""Every admin page opens, for the superuser and for office staff, and the plan can be entered
through it: the plan page with its target table, and the add pages of its parts.

The page matrix is generated from admin.site._registry, so a newly registered model fails
test_every_registered_model_has_an_instance_maker until it gets a maker below.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import ProgressNote, Task, TaskParticipant
from assignments.services import task_create
from indicators.models import Indicator
from indicators.services import indicator_get_or_create
from organisations.models import OrgUnit, SchoolLevel
from organisations.services import office_staff_group_ensure, school_levels_ensure
from plans.models import BudgetLine, FundingSource, Plan, Target, TargetValue
from plans.services import target_set_values

USERS = ["superuser", "office_staff", "viewer"]
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def model_id(model) -> str:
    return model._meta.label


# --- data: one instance of every registered model ------------------------------------------


@pytest.fixture
def viewer(db):
    """Staff who may only look at the plan data (a read-only role to come)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("xem", password="x", is_staff=True)
    apps = ("organisations", "indicators", "plans", "assignments")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=apps, codename__startswith="view_"))
    return user


@pytest.fixture
def world(superuser, plan, district, school_a):
    """One instance per registered model (keyed by model), built on the conftest plan."""
    source = FundingSource.objects.create(name="Ngân sách huyện")
    line = plan.budget_lines.get(number="1.1")
    line.funding_sources.add(source)
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
        task=task, noted_on=datetime.date(2024, 10, 5), text="Đã rà soát 12/15 trường", author=superuser
    )
    return {
        SchoolLevel: school_levels_ensure()["PRESCHOOL"],
        OrgUnit: school_a,
        Indicator: Indicator.objects.get(name="Tỷ lệ huy động trẻ"),
        Plan: plan,
        Target: plan.targets.order_by("order").first(),
        TargetValue: TargetValue.objects.filter(target__plan=plan).first(),
        FundingSource: source,
        BudgetLine: line,
        Task: task,
        TaskParticipant: task.participants.first(),
        ProgressNote: note,
        superuser.__class__: superuser,
        Group: office_staff_group_ensure(),
    }


def test_every_registered_model_has_an_instance_maker(world):
    missing = [model_id(m) for m in REGISTERED if m not in world]
    assert not missing, f"Add an instance to the `world` fixture for: {missing}"


def can(user, action: str, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# --- every page opens -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_changelist_opens(client, request, world, who, model):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(url(model, "changelist"))
    expected = 200 if can(user, "view", model) or can(user, "change", model) else 403
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_add_page_opens(client, rf, request, world, who, model):
    user = request.getfixturevalue(who)
    model_admin = admin.site._registry[model]
    probe = rf.get("/")
    probe.user = user
    if not model_admin.has_add_permission(probe) and can(user, "add", model):
        pytest.skip(f"{model_id(model)} cannot be added through the admin")
    client.force_login(user)
    response = client.get(url(model, "add"))
    assert response.status_code == (200 if can(user, "add", model) else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_change_page_opens(client, request, world, who, model):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(url(model, "change", world[model].pk))
    expected = 200 if can(user, "view", model) or can(user, "change", model) else 403
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_search_and_every_filter_choice_answer(client, request, world, who, model):
    user = request.getfixturevalue(who)
    if not (can(user, "view", model) or can(user, "change", model)):
        pytest.skip("no access: covered by test_changelist_opens")
    client.force_login(user)
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


class _FormFields(HTMLParser):
    """What a browser would submit from the admin's change form (<form id="…_form">)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.select: tuple[str, bool] | None = None
        self.select_first: str | None = None
        self.select_chosen: list[str] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_form = (a.get("id") or "").endswith("_form")
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = (name, "multiple" in a)
            self.select_first, self.select_chosen = None, []
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.select_chosen.append(value)
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = self.select_chosen or ([] if multiple or self.select_first is None else [self.select_first])
            if chosen or not multiple:
                self.data[name] = chosen or [""]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the newline Django puts right after <textarea>.
            self.data[self.textarea] = [self.text[1:] if self.text.startswith("\n") else self.text]
            self.textarea = None


def form_data(response) -> dict:
    """The change form's current values, ready to be changed and posted back."""
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {
        name: values if len(values) > 1 else values[0]
        for name, values in parser.data.items()
        if "__prefix__" not in name
    }


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
