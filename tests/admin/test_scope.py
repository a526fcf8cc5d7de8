"""The admin is scoped to the person, on the object and not only in the menu: office staff see
the rows under their units and change those their units manage; the other district's rows do not
exist for them; a commune officer reads the district's plan and may not change it; leaders and
principals get no admin; exports hold only the person's rows and imports refuse other units' rows.

Generated over admin.site._registry with the categories of tests/admin/conftest.py.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from assignments.models import ProgressNote, Task, TaskParticipant
from organisations.models import Membership, OrgUnit
from plans.models import BudgetLine, Plan, Target, TargetValue
from results.models import ReportingPeriod, Submission
from tests.admin.admin_helpers import changelist_pks, form_data, model_id, url
from tests.admin.conftest import CATEGORY, READ_ONLY, SCOPED
from tests.admin.test_import import CSV, XLSX, csv_file, download, export_data, upload, xlsx_file

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
SCOPED_MODELS = [m for m in REGISTERED if CATEGORY[model_id(m)] in (SCOPED, READ_ONLY)]
# The district plan's parts: the commune's officer reads them (the plan was issued above the commune).
DISTRICT_PLAN_PARTS = [m for m in SCOPED_MODELS if m is not OrgUnit and CATEGORY[model_id(m)] == SCOPED]


def to_admin_index(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def refused(response) -> bool:
    """The admin's "does not exist" redirect, or 403 where the screen is read-only for everyone
    (Django checks the permission before it looks for the object)."""
    return to_admin_index(response) or response.status_code == 403


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- lists ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", SCOPED_MODELS, ids=model_id)
def test_each_office_lists_only_the_rows_under_its_units(
    client, district_officer, other_district_officer, world, elsewhere, model
):
    client.force_login(district_officer)
    mine = changelist_pks(client, model)
    assert world[model].pk in mine
    assert elsewhere[model].pk not in mine

    client.force_login(other_district_officer)
    theirs = changelist_pks(client, model)
    assert elsewhere[model].pk in theirs
    assert world[model].pk not in theirs


@pytest.mark.django_db
def test_the_commune_officer_lists_the_schools_of_its_commune_only(client, commune_officer, world, elsewhere, district):
    client.force_login(commune_officer)
    units = changelist_pks(client, OrgUnit)
    assert world[OrgUnit].pk in units  # school A
    assert district.pk not in units and elsewhere[OrgUnit].pk not in units


@pytest.mark.django_db
def test_the_plan_filter_offers_only_plans_the_person_reads(client, district_officer, world, elsewhere):
    client.force_login(district_officer)
    response = client.get(url(Target, "changelist"))
    plan_filter = next(spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "ke_hoach")
    offered = {int(value) for value, _label in plan_filter.lookup_choices}
    assert offered == {world[Plan].pk}


# --- objects outside the person's units -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["change", "history", "delete"])
@pytest.mark.parametrize("model", SCOPED_MODELS, ids=model_id)
def test_an_object_of_another_district_does_not_exist_for_its_neighbour(
    client, other_district_officer, world, model, page
):
    client.force_login(other_district_officer)
    response = client.get(url(model, page, world[model].pk))
    if page == "delete" and CATEGORY[model_id(model)] == READ_ONLY:
        assert response.status_code == 403  # nobody deletes these: refused before the lookup
        return
    assert to_admin_index(response)
    assert any("không tồn tại" in m for m in messages_of(response))


@pytest.mark.django_db
@pytest.mark.parametrize("model", SCOPED_MODELS, ids=model_id)
def test_posting_to_an_object_of_another_district_changes_nothing(
    client, superuser, other_district_officer, world, model
):
    client.force_login(superuser)
    data = form_data(client.get(url(model, "change", world[model].pk)))
    before = model.objects.filter(pk=world[model].pk).values().get()

    client.force_login(other_district_officer)
    assert refused(client.post(url(model, "change", world[model].pk), data))
    assert refused(client.post(url(model, "delete", world[model].pk), {"post": "yes"}))

    assert model.objects.filter(pk=world[model].pk).values().get() == before


@pytest.mark.django_db
def test_an_object_history_version_of_another_district_is_not_shown(client, other_district_officer, world):
    target = world[Target]
    version = target.history.first()
    client.force_login(other_district_officer)
    assert to_admin_index(client.get(url(Target, "simple_history", target.pk, version.history_id)))


# --- reading is not changing: the commune officer and the district's plan ------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", DISTRICT_PLAN_PARTS, ids=model_id)
def test_the_commune_officer_reads_the_district_plan_without_a_save_button(client, commune_officer, world, model):
    client.force_login(commune_officer)
    response = client.get(url(model, "change", world[model].pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", DISTRICT_PLAN_PARTS, ids=model_id)
def test_the_commune_officer_cannot_change_or_delete_the_district_plan(
    client, superuser, commune_officer, world, model
):
    client.force_login(superuser)
    data = form_data(client.get(url(model, "change", world[model].pk)))
    before = model.objects.filter(pk=world[model].pk).values().get()

    client.force_login(commune_officer)
    assert client.post(url(model, "change", world[model].pk), data).status_code == 403
    assert client.get(url(model, "delete", world[model].pk)).status_code == 403
    assert client.post(url(model, "delete", world[model].pk), {"post": "yes"}).status_code == 403

    assert model.objects.filter(pk=world[model].pk).values().get() == before


@pytest.mark.django_db
def test_delete_selected_refuses_rows_the_person_only_reads(client, commune_officer, world):
    lines = list(world[Plan].budget_lines.values_list("pk", flat=True))
    client.force_login(commune_officer)
    response = client.post(
        url(BudgetLine, "changelist"),
        {"action": "delete_selected", "_selected_action": lines, "post": "yes"},
    )
    assert response.status_code == 403
    assert BudgetLine.objects.filter(pk__in=lines).count() == len(lines)


@pytest.mark.django_db
def test_the_commune_officer_changes_a_school_of_its_commune(client, commune_officer, world):
    school = world[OrgUnit]
    client.force_login(commune_officer)
    page = url(OrgUnit, "change", school.pk)
    data = form_data(client.get(page))
    data["name"] = "Trường Mầm non A (đổi tên)"
    assert client.post(page, data).status_code == 302
    school.refresh_from_db()
    assert school.name == "Trường Mầm non A (đổi tên)"


@pytest.mark.django_db
def test_the_district_officer_may_edit_the_district_unit_itself(client, district_officer, district):
    """Its parent (the province) is outside the officer's units, yet stays a valid choice."""
    client.force_login(district_officer)
    page = url(OrgUnit, "change", district.pk)
    data = form_data(client.get(page))
    data["code"] = "H-TN"
    assert client.post(page, data).status_code == 302
    district.refresh_from_db()
    assert (district.code, district.parent.kind) == ("H-TN", "province")


@pytest.mark.django_db
def test_a_plan_from_above_is_read_only_for_the_district(client, district_officer, province_plan):
    client.force_login(district_officer)
    assert province_plan.pk in changelist_pks(client, Plan)
    response = client.get(url(Plan, "change", province_plan.pk))
    assert response.status_code == 200 and response.context["has_change_permission"] is False
    assert client.post(url(Plan, "change", province_plan.pk), {"title": "Sửa"}).status_code == 403


# --- who gets an admin at all ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["district_leader", "principal_a"])
def test_leaders_and_principals_get_no_admin(client, request, world, who):
    client.force_login(request.getfixturevalue(who))
    for page in (reverse("admin:index"), url(Plan, "changelist"), url(Plan, "change", world[Plan].pk)):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_a_leader_made_staff_by_mistake_still_gets_nothing(client, district_leader, world):
    district_leader.is_staff = True
    district_leader.save()
    district_leader.groups.add(Group.objects.get(name="Cán bộ Phòng GD&ĐT"))
    client.force_login(district_leader)
    assert client.get(url(Plan, "changelist")).status_code == 403
    assert client.get(url(Plan, "change", world[Plan].pk)).status_code == 403
    assert client.get(reverse("admin:index")).context["app_list"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", [get_user_model(), Group], ids=model_id)
def test_office_staff_cannot_see_accounts(client, district_officer, world, model):
    client.force_login(district_officer)
    assert client.get(url(model, "changelist")).status_code == 403
    assert client.get(url(model, "change", world[model].pk)).status_code == 403
    assert client.get(url(model, "add")).status_code == 403


# --- choices in forms and the autocomplete endpoint ----------------------------------------------


def autocomplete_ids(client, model_name: str, field_name: str, app_label: str = "plans") -> set[int]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200, response.status_code
    return {int(result["id"]) for result in response.json()["results"]}


@pytest.mark.django_db
def test_a_target_can_only_be_put_on_a_plan_the_person_manages(
    client, district_officer, commune_officer, world, elsewhere, province_plan
):
    client.force_login(district_officer)
    assert autocomplete_ids(client, "target", "plan") == {world[Plan].pk}
    field = client.get(url(Target, "add")).context["adminform"].form.fields["plan"]
    assert set(field.queryset.values_list("pk", flat=True)) == {world[Plan].pk}

    client.force_login(commune_officer)  # reads the district plan, manages none
    assert autocomplete_ids(client, "target", "plan") == set()


@pytest.mark.django_db
def test_a_plan_posted_with_another_districts_plan_is_refused(client, district_officer, world, elsewhere):
    client.force_login(district_officer)
    page = url(Target, "add")
    data = form_data(client.get(page))
    data.update(
        {
            "plan": str(elsewhere[Plan].pk),
            "indicator": str(world[Target].indicator_id),
            "wording": "Chỉ tiêu gài vào huyện khác",
        }
    )
    response = client.post(page, data)
    assert response.status_code == 200
    assert "plan" in response.context["adminform"].form.errors
    assert not Target.objects.filter(wording="Chỉ tiêu gài vào huyện khác").exists()


@pytest.mark.django_db
def test_unit_choices_follow_what_the_field_is_for(client, district_officer, world, elsewhere, province):
    client.force_login(district_officer)
    issuers = autocomplete_ids(client, "plan", "issuer")
    assert world[OrgUnit].pk in issuers and elsewhere[OrgUnit].pk not in issuers
    assert province.pk not in issuers  # a plan is issued by a unit the person manages
    leads = autocomplete_ids(client, "taskparticipant", "unit", app_label="assignments")
    assert world[OrgUnit].pk in leads and elsewhere[OrgUnit].pk not in leads


@pytest.mark.django_db
def test_a_unit_added_by_office_staff_needs_a_parent_they_manage(client, district_officer, province):
    client.force_login(district_officer)
    page = url(OrgUnit, "add")
    for parent in ("", str(province.pk)):
        data = form_data(client.get(page))
        data.update({"name": "Tỉnh tự lập", "kind": "district", "parent": parent})
        response = client.post(page, data)
        assert response.status_code == 200
        assert "parent" in response.context["adminform"].form.errors
    assert not OrgUnit.objects.filter(name="Tỉnh tự lập").exists()


# --- exports and imports ---------------------------------------------------------------------------


IN_DISTRICT = {
    Target: lambda plan: Target.objects.filter(plan=plan),
    TargetValue: lambda plan: TargetValue.objects.filter(target__plan=plan),
    BudgetLine: lambda plan: BudgetLine.objects.filter(plan=plan),
    Task: lambda plan: Task.objects.filter(plan=plan),
    OrgUnit: lambda plan: OrgUnit.objects.filter(path__startswith=plan.issuer.path),
}


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(IN_DISTRICT), ids=model_id)
def test_an_export_holds_only_the_persons_rows(client, district_officer, world, elsewhere, model):
    client.force_login(district_officer)
    response = client.post(url(model, "export"), export_data(client, model, CSV))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(download(response).decode("utf-8-sig"))))
    assert len(rows) - 1 == IN_DISTRICT[model](world[Plan]).count()
    cells = {cell for row in rows for cell in row}
    assert {"Sửa chữa trường C", "Tỷ lệ huy động trẻ C", "75%", "Trường Mầm non C", "Huyện Bên Cạnh"}.isdisjoint(cells)


@pytest.mark.django_db
def test_a_budget_file_for_another_districts_plan_saves_nothing(client, district_officer, world, elsewhere):
    other = elsewhere[Plan]
    rows = [
        ["Kế hoạch (ID)", "STT", "Nội dung", "Kinh phí (triệu đồng)"],
        [world[Plan].pk, "9", "Dòng hợp lệ", 5],
        [other.pk, "9", "Dòng gài vào huyện khác", 5],
    ]
    client.force_login(district_officer)
    html = upload(client, BudgetLine, xlsx_file(rows), XLSX).content.decode()
    assert "Dòng 3" in html
    assert f"Kế hoạch ID {other.pk} không thuộc các đơn vị bạn quản lý." in html
    assert "Xác nhận nhập" not in html
    assert not BudgetLine.objects.filter(number="9").exists()


@pytest.mark.django_db
def test_a_target_file_cannot_rewrite_another_districts_target(client, district_officer, world, elsewhere):
    theirs = elsewhere[Target]
    rows = [
        ["ID", "Kế hoạch (ID)", "Mã chỉ số", "Tên chỉ tiêu"],
        [theirs.pk, world[Plan].pk, theirs.indicator.code, "Chỉ tiêu bị lấy mất"],
    ]
    client.force_login(district_officer)
    html = upload(client, Target, csv_file(rows), CSV).content.decode()
    assert f"Chỉ tiêu ID {theirs.pk} không thuộc các đơn vị bạn quản lý" in html
    theirs.refresh_from_db()
    assert (theirs.plan_id, theirs.wording) == (elsewhere[Plan].pk, "Tỷ lệ huy động trẻ C")


@pytest.mark.django_db
def test_a_value_file_for_another_districts_target_saves_nothing(client, district_officer, world, elsewhere):
    theirs = elsewhere[Target]
    rows = [["Chỉ tiêu (ID)", "Loại", "Năm", "Nguyên văn"], [theirs.pk, "Chỉ tiêu", 2030, "99%"]]
    client.force_login(district_officer)
    html = upload(client, TargetValue, xlsx_file(rows), XLSX).content.decode()
    assert "không thuộc các đơn vị bạn quản lý" in html
    assert not theirs.values.filter(year=2030).exists()


@pytest.mark.django_db
def test_a_unit_file_cannot_hang_units_under_another_district(client, district_officer, world, elsewhere):
    school_c = elsewhere[OrgUnit]
    rows = [
        ["Tên đơn vị", "Loại đơn vị", "Trực thuộc (mã đơn vị)", "Mã đơn vị"],
        ["Trường Lạc", "school", f"#{school_c.parent_id}", "T-LAC"],
    ]
    client.force_login(district_officer)
    html = upload(client, OrgUnit, csv_file(rows), CSV).content.decode()
    assert "Đơn vị cấp trên phải là một đơn vị bạn quản lý." in html
    assert not OrgUnit.objects.filter(code="T-LAC").exists()


@pytest.mark.django_db
def test_the_district_imports_its_own_rows(client, district_officer, world):
    rows = [["Kế hoạch (ID)", "STT", "Nội dung", "Kinh phí (triệu đồng)"], [world[Plan].pk, "9", "Tập huấn", 5]]
    client.force_login(district_officer)
    preview = upload(client, BudgetLine, xlsx_file(rows), XLSX)
    html = preview.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    data = {name: fields[name] for name in ("import_file_name", "original_file_name", "format", "resource")}
    assert client.post(url(BudgetLine, "process_import"), data).status_code == 302
    assert BudgetLine.objects.get(plan=world[Plan], number="9").content == "Tập huấn"


# --- accounts ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_user_list_shows_each_persons_roles(admin_client, district_officer, principal_a):
    html = admin_client.get(url(get_user_model(), "changelist")).content.decode()
    assert "Cán bộ quản lý giáo dục – Huyện Thử Nghiệm" in html
    assert "Hiệu trưởng – Trường Mầm non A" in html


@pytest.mark.django_db
def test_a_superuser_gives_a_person_a_role_at_a_unit(admin_client, commune, school_a):
    person = get_user_model().objects.create_user("moi", password="x")
    page = url(get_user_model(), "change", person.pk)
    data = form_data(admin_client.get(page))
    data.update({"memberships-0-unit": str(school_a.pk), "memberships-0-role": "principal"})
    assert admin_client.post(page, data).status_code == 302
    assert Membership.objects.get(user=person).unit == school_a

    data = form_data(admin_client.get(page))
    data.update({"memberships-1-unit": str(school_a.pk), "memberships-1-role": "office_staff"})
    response = admin_client.post(page, data)
    assert response.status_code == 200
    assert "không gắn với đơn vị loại" in response.content.decode()
    assert Membership.objects.filter(user=person).count() == 1


# --- reporting periods and submissions ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_office_creates_a_period_for_its_plan_and_opens_it(client, district_officer, world, elsewhere):
    client.force_login(district_officer)
    page = url(ReportingPeriod, "add")
    field = client.get(page).context["adminform"].form.fields["plan"]
    assert set(field.queryset.values_list("pk", flat=True)) == {world[Plan].pk}
    data = form_data(client.get(page))
    data.update(
        {
            "plan": str(world[Plan].pk),
            "kind": "half_year",
            "label": "6 tháng đầu năm 2099",
            "year": "2099",
            "status": "draft",
            "starts_on": "01/01/2099",
            "ends_on": "30/06/2099",
            "opens_on": "01/06/2099",
            "due_on": "20/06/2099",
            "due_wording": "báo cáo 6 tháng trước ngày 20/6",
        }
    )
    assert client.post(page, data).status_code == 302
    period = ReportingPeriod.objects.get(label="6 tháng đầu năm 2099")
    assert period.status == "draft"

    response = client.post(
        url(ReportingPeriod, "changelist"), {"action": "open_periods", "_selected_action": [period.pk]}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.status == "open"
    assert period.history.first().history_user == district_officer


@pytest.mark.django_db
def test_the_admin_does_not_open_a_period_past_its_due_date_silently(client, district_officer, world):
    period = world[ReportingPeriod]
    ReportingPeriod.objects.filter(pk=period.pk).update(
        status="draft", opens_on=datetime.date(2020, 11, 1), due_on=datetime.date(2020, 12, 5)
    )
    client.force_login(district_officer)
    response = client.post(
        url(ReportingPeriod, "changelist"), {"action": "open_periods", "_selected_action": [period.pk]}, follow=True
    )
    assert "đã quá hạn nộp" in response.content.decode()
    assert ReportingPeriod.objects.get(pk=period.pk).status == "draft"


@pytest.mark.django_db
def test_the_commune_officer_cannot_open_or_close_the_districts_period(client, commune_officer, world):
    period = world[ReportingPeriod]
    client.force_login(commune_officer)
    response = client.post(
        url(ReportingPeriod, "changelist"), {"action": "close_periods", "_selected_action": [period.pk]}
    )
    assert response.status_code == 302
    assert any("không thuộc đơn vị bạn quản lý" in m for m in messages_of(response))
    period.refresh_from_db()
    assert period.status == "open"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["district_officer", "superuser"])
def test_a_submission_is_read_only_in_the_admin_and_links_to_its_review_page(client, request, world, who):
    submission = world[Submission]
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(Submission, "change", submission.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("review:submission_detail", args=[submission.pk]) in html
    assert 'name="_save"' not in html
    assert client.post(url(Submission, "change", submission.pk), {"status": "approved"}).status_code == 403
    submission.refresh_from_db()
    assert submission.status == "returned"


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ProgressNote, TaskParticipant], ids=model_id)
def test_a_tasks_parts_can_only_be_put_on_tasks_the_person_manages(client, district_officer, world, elsewhere, model):
    client.force_login(district_officer)
    field = client.get(url(model, "add")).context["adminform"].form.fields["task"]
    assert set(field.queryset.values_list("pk", flat=True)) == {world[Task].pk}
