"""History on every object's page: who, when, old value → new value, in Vietnamese; the last
changes under the change form, the whole history behind the "Lịch sử" button; read-only (no
revert); edits made through the plan page's tables are recorded too."""

from __future__ import annotations

import pytest

from assignments.models import Task
from plans.models import BudgetLine, Plan, Target, TargetValue
from results.models import ReportingPeriod, ResultValue, Submission
from tests.admin.admin_helpers import form_data, model_id, url

HISTORY_MODELS = [Plan, Target, TargetValue, Task, BudgetLine, ReportingPeriod, Submission, ResultValue]


@pytest.mark.django_db
@pytest.mark.parametrize("model", HISTORY_MODELS, ids=model_id)
def test_every_history_page_lists_the_saved_versions(client, district_officer, world, model):
    client.force_login(district_officer)
    response = client.get(url(model, "history", world[model].pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thay đổi (cũ → mới)" in html and "Người thay đổi" in html
    assert "Tạo mới" in html
    assert response.context["page_obj"].paginator.count >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("model", HISTORY_MODELS, ids=model_id)
def test_every_change_page_shows_its_recent_changes(client, district_officer, world, model):
    client.force_login(district_officer)
    html = client.get(url(model, "change", world[model].pk)).content.decode()
    assert "Thay đổi gần đây" in html
    assert url(model, "history", world[model].pk) in html


@pytest.mark.django_db
def test_a_target_change_shows_who_changed_what_from_what_to_what(client, district_officer, plan):
    target = plan.targets.get(order=1)
    page = url(Target, "change", target.pk)
    client.force_login(district_officer)
    data = form_data(client.get(page))
    data["wording"] = "Tỷ lệ huy động trẻ em"
    goal = next(key for key, value in data.items() if key.startswith("values-") and value == "78%")
    data[goal] = "Trên 80%"
    assert client.post(page, data).status_code == 302

    box = client.get(page).content.decode()
    assert "Tên chỉ tiêu như văn bản:</strong> Tỷ lệ huy động trẻ → Tỷ lệ huy động trẻ em" in box
    assert "Sửa: Chỉ tiêu 2025" in box and "Nguyên văn:</strong> 78% → Trên 80%" in box
    assert "canbo" in box

    history = client.get(url(Target, "history", target.pk))
    html = history.content.decode()
    assert "Tỷ lệ huy động trẻ&nbsp;&rarr;&nbsp;Tỷ lệ huy động trẻ em" in html
    newest = history.context["page_obj"][0]
    assert (newest.history_user, newest.history_type) == (district_officer, "~")


@pytest.mark.django_db
def test_choices_read_as_their_labels_in_the_history(client, district_officer, world):
    period = world[ReportingPeriod]
    client.force_login(district_officer)
    client.post(url(ReportingPeriod, "changelist"), {"action": "close_periods", "_selected_action": [period.pk]})
    html = client.get(url(ReportingPeriod, "history", period.pk)).content.decode()
    assert "Đang mở&nbsp;&rarr;&nbsp;Đã đóng" in html


@pytest.mark.django_db
def test_edits_on_the_plan_page_are_recorded_with_their_author(client, district_officer, plan):
    page = url(Plan, "change", plan.pk)
    client.force_login(district_officer)
    data = form_data(client.get(page))
    data["targets-0-milestone_2030"] = "90%"
    data["budget_lines-0-content"] = "Cơ sở vật chất trường học"
    assert client.post(page, data).status_code == 302

    value = TargetValue.objects.get(target__plan=plan, target__order=1, year=2030)
    assert (value.history.first().history_user, value.history.first().wording) == (district_officer, "90%")
    assert value.target.history.first().history_user == district_officer
    line = BudgetLine.objects.get(plan=plan, number="1")
    assert (line.history.first().history_user, line.history.first().content) == (
        district_officer,
        "Cơ sở vật chất trường học",
    )


@pytest.mark.django_db
def test_a_milestone_cleared_on_the_plan_page_leaves_a_deletion_record(client, district_officer, plan):
    value = TargetValue.objects.get(target__plan=plan, target__order=1, year=2030)
    page = url(Plan, "change", plan.pk)
    client.force_login(district_officer)
    data = form_data(client.get(page))
    data["targets-0-milestone_2030"] = ""
    assert client.post(page, data).status_code == 302
    deleted = TargetValue.history.filter(id=value.pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", district_officer)


@pytest.mark.django_db
def test_an_old_version_can_be_read_but_not_restored(client, district_officer, plan):
    target = plan.targets.get(order=1)
    page = url(Target, "change", target.pk)
    client.force_login(district_officer)
    data = form_data(client.get(page))
    data["wording"] = "Bản mới"
    client.post(page, data)
    first = target.history.order_by("history_date").first()

    version_page = url(Target, "simple_history", target.pk, first.history_id)
    response = client.get(version_page)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.post(version_page, form_data(response)).status_code == 403
    target.refresh_from_db()
    assert target.wording == "Bản mới"


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["abc", "999999"])
def test_a_made_up_version_is_not_found(client, district_officer, plan, version):
    target = plan.targets.get(order=1)
    client.force_login(district_officer)
    assert client.get(url(Target, "simple_history", target.pk, version)).status_code == 404


@pytest.mark.django_db
def test_a_submission_page_shows_its_values_history(client, district_officer, world):
    submission = world[Submission]
    client.force_login(district_officer)
    html = client.get(url(Submission, "change", submission.pk)).content.decode()
    assert "Thay đổi gần đây" in html
    assert "Trả lại để sửa" in html  # the status's label, not its code


@pytest.mark.django_db
def test_an_empty_or_deleted_link_reads_in_vietnamese_in_the_history(client, district_officer, plan):
    first, second = plan.targets.order_by("order")[:2]
    second.parent_target = first
    second.save()
    second.parent_target = None
    second.save()
    client.force_login(district_officer)
    html = client.get(url(Target, "history", second.pk)).content.decode()
    assert "Deleted" not in html and "pk=" not in html
    assert "—&nbsp;&rarr;&nbsp;" in html

    first.delete()
    html = client.get(url(Target, "history", second.pk)).content.decode()
    assert "Deleted" not in html and "pk=" not in html
    assert "Chỉ tiêu (đã xóa)" in html
