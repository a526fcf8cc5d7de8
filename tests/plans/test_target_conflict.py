"""No lost updates on targets: two office staff of the same district open the same target (on its
own page, or as a row of the plan page); the first saves; the second's save is refused with what
changed (field, old → new, who) and the database keeps the first save."""

from __future__ import annotations

import pytest
from django.test import Client

from organisations.models import Membership
from plans.forms_targets import TargetAdminForm, target_touch
from plans.models import Target, TargetValue
from portal.concurrency import EditConflict
from tests.admin.admin_helpers import form_data, url
from tests.conftest import make_user


@pytest.fixture
def colleague(district):
    """A second office staff member of the same district."""
    return make_user("canbo.hai", unit=district, role=Membership.Role.OFFICE_STAFF, staff=True)


@pytest.fixture
def two_clients(district_officer, colleague):
    first, second = Client(), Client()
    first.force_login(district_officer)
    second.force_login(colleague)
    return first, second


def page_text(response) -> str:
    return response.content.decode()


# --- the target's own page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_second_save_of_a_target_page_is_refused_with_what_changed(two_clients, district_officer, plan):
    first, second = two_clients
    target = plan.targets.get(order=1)
    page = url(Target, "change", target.pk)
    mine, theirs = form_data(first.get(page)), form_data(second.get(page))

    mine["wording"] = "Tỷ lệ huy động trẻ em đến trường"
    assert first.post(page, mine).status_code == 302

    theirs["note"] = "Số liệu của Phòng Thống kê"
    response = second.post(page, theirs)

    assert response.status_code == 200
    html = page_text(response)
    assert "Người khác đã lưu thay đổi trong lúc bạn đang sửa" in html
    assert "tên chỉ tiêu như văn bản: Tỷ lệ huy động trẻ → Tỷ lệ huy động trẻ em đến trường (canbo," in html
    assert "— → 79,3%" not in html  # values typed before the page was loaded are not "changes"
    target.refresh_from_db()
    assert (target.wording, target.note) == ("Tỷ lệ huy động trẻ em đến trường", "")
    record = target.history.first()
    assert (record.history_user, record.wording, record.version) == (district_officer, target.wording, 2)


@pytest.mark.django_db
def test_a_value_changed_in_the_target_page_table_is_a_change_of_the_target(two_clients, plan):
    first, second = two_clients
    target = plan.targets.get(order=1)
    page = url(Target, "change", target.pk)
    mine, theirs = form_data(first.get(page)), form_data(second.get(page))
    goal = next(key for key, value in mine.items() if key.startswith("values-") and value == "78%")

    mine[goal] = "Trên 80%"
    assert first.post(page, mine).status_code == 302
    theirs[goal] = "79%"
    response = second.post(page, theirs)

    assert response.status_code == 200
    assert "Chỉ tiêu 2025 – nguyên văn: 78% → Trên 80% (canbo," in page_text(response)
    assert target.values.get(role="milestone", year=2025).wording == "Trên 80%"


@pytest.mark.django_db
def test_after_a_refusal_a_reloaded_page_saves(two_clients, plan):
    first, second = two_clients
    target = plan.targets.get(order=1)
    page = url(Target, "change", target.pk)
    mine, theirs = form_data(first.get(page)), form_data(second.get(page))
    mine["wording"] = "Tỷ lệ huy động (sửa 1)"
    first.post(page, mine)
    theirs["wording"] = "Tỷ lệ huy động (sửa 2)"
    assert second.post(page, theirs).status_code == 200

    fresh = form_data(second.get(page))
    fresh["wording"] = "Tỷ lệ huy động (sửa 2)"
    assert second.post(page, fresh).status_code == 302
    target.refresh_from_db()
    assert (target.wording, target.version) == ("Tỷ lệ huy động (sửa 2)", 3)


@pytest.mark.django_db
def test_a_page_without_its_version_is_refused(client, district_officer, plan):
    target = plan.targets.get(order=1)
    page = url(Target, "change", target.pk)
    client.force_login(district_officer)
    data = form_data(client.get(page))
    del data["loaded_version"]
    data["wording"] = "Không rõ phiên bản"
    response = client.post(page, data)
    assert response.status_code == 200
    assert "Không rõ bạn đã mở chỉ tiêu này ở phiên bản nào" in page_text(response)
    target.refresh_from_db()
    assert target.wording == "Tỷ lệ huy động trẻ"


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["abc", "-1", "999999999999999999999"])
def test_a_tampered_version_is_an_error_not_a_crash(client, district_officer, plan, version):
    target = plan.targets.get(order=1)
    page = url(Target, "change", target.pk)
    client.force_login(district_officer)
    data = form_data(client.get(page))
    data.update({"loaded_version": version, "wording": "Phiên bản giả"})
    assert client.post(page, data).status_code == 200
    target.refresh_from_db()
    assert target.wording == "Tỷ lệ huy động trẻ"


# --- the plan page's target table ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_second_save_of_a_plan_page_row_is_refused_with_what_changed(two_clients, district_officer, plan):
    first, second = two_clients
    page = url(type(plan), "change", plan.pk)
    mine, theirs = form_data(first.get(page)), form_data(second.get(page))
    assert mine["targets-0-loaded_version"] == "1"

    mine["targets-0-milestone_2025"] = "Trên 80%"
    assert first.post(page, mine).status_code == 302

    theirs["targets-0-wording"] = "Tỷ lệ huy động trẻ (bản của người thứ hai)"
    theirs["title"] = "Tên kế hoạch do người thứ hai sửa"
    response = second.post(page, theirs)

    assert response.status_code == 200
    html = page_text(response)
    assert "Người khác đã lưu thay đổi trong lúc bạn đang sửa" in html
    assert "Tỷ lệ huy động trẻ – Chỉ tiêu 2025 – nguyên văn: 78% → Trên 80% (canbo," in html
    # Nothing of the refused page is saved: neither the row nor the rest of the plan.
    plan.refresh_from_db()
    target = plan.targets.get(order=1)
    assert plan.title == "Kế hoạch phát triển giáo dục thử nghiệm"
    assert target.wording == "Tỷ lệ huy động trẻ"
    assert target.values.get(role="milestone", year=2025).wording == "Trên 80%"
    # The first save is in the history, with who made it: the target's and its value's.
    assert target.history.first().history_user == district_officer
    value = target.values.get(role="milestone", year=2025)
    assert value.history.first().history_user == district_officer


@pytest.mark.django_db
def test_rows_nobody_else_touched_still_save(two_clients, plan):
    first, second = two_clients
    page = url(type(plan), "change", plan.pk)
    mine, theirs = form_data(first.get(page)), form_data(second.get(page))
    mine["targets-0-milestone_2025"] = "Trên 80%"
    assert first.post(page, mine).status_code == 302

    theirs["targets-1-milestone_2025"] = "07 trường"  # another row, and row 0 left as loaded
    assert second.post(page, theirs).status_code == 302

    assert TargetValue.objects.get(target__plan=plan, target__order=1, year=2025).wording == "Trên 80%"
    assert TargetValue.objects.get(target__plan=plan, target__order=2, year=2025).wording == "07 trường"


@pytest.mark.django_db
def test_a_value_saved_on_its_own_page_refuses_a_stale_plan_page(two_clients, plan):
    first, second = two_clients
    page = url(type(plan), "change", plan.pk)
    stale = form_data(second.get(page))
    value = TargetValue.objects.get(target__plan=plan, target__order=1, year=2030)
    value_page = url(TargetValue, "change", value.pk)
    data = form_data(first.get(value_page))
    data["wording"] = "90%"
    assert first.post(value_page, data).status_code == 302

    stale["targets-0-milestone_2030"] = "88%"
    response = second.post(page, stale)

    assert response.status_code == 200
    assert "Chỉ tiêu 2030 – nguyên văn: 86% → 90%" in page_text(response)
    value.refresh_from_db()
    assert value.wording == "90%"


# --- two saves that pass their checks together -----------------------------------------------------


@pytest.mark.django_db
def test_the_save_itself_refuses_a_version_that_moved_after_the_check(plan):
    target = plan.targets.get(order=1)
    data = {
        "loaded_version": "1",
        "plan": plan.pk,
        "indicator": target.indicator_id,
        "wording": "Bản thứ hai",
        "order": 1,
    }
    form = TargetAdminForm(data, instance=Target.objects.get(pk=target.pk))
    assert form.is_valid(), form.errors
    target_touch(Target.objects.get(pk=target.pk))  # someone saves between the check and the save

    with pytest.raises(EditConflict):
        form.save()
    target.refresh_from_db()
    assert (target.wording, target.version) == ("Tỷ lệ huy động trẻ", 2)


@pytest.mark.django_db
def test_a_conflict_found_while_saving_rolls_the_page_back(two_clients, plan, monkeypatch):
    """If both saves pass clean() at the same moment, the loser's bump fails inside the admin's
    transaction: the whole page is rolled back and reloaded with the message."""
    first, second = two_clients
    page = url(type(plan), "change", plan.pk)
    mine, theirs = form_data(first.get(page)), form_data(second.get(page))
    mine["targets-0-wording"] = "Bản thứ nhất"
    assert first.post(page, mine).status_code == 302

    monkeypatch.setattr("plans.forms_targets.TargetVersionForm.check_version", lambda self: None)
    theirs["title"] = "Tên kế hoạch không được lưu"
    theirs["targets-0-wording"] = "Bản thứ hai"
    response = second.post(page, theirs)

    # The same page again, as typed, with the conflict said once beside the form; nothing saved.
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Người khác đã lưu thay đổi") == 1
    assert "Tên kế hoạch không được lưu" in html and "Bản thứ hai" in html
    assert not list(response.wsgi_request._messages)
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch phát triển giáo dục thử nghiệm"
    assert plan.targets.get(order=1).wording == "Bản thứ nhất"
