"""The admin plan page as the office enters a plan on it: each value cell's reading (printed by
the server, and asked of it as the value is typed), milestone years added and removed from the
page, and the first column labelled as the document labels it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import Plan, TargetValue
from tests.admin.admin_helpers import form_data, url

READING = reverse("admin:plans_plan_reading")


def reading(client, wording: str, **params) -> dict:
    response = client.get(READING, {"wording": wording, **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


# --- the reading, as it is typed ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_reading_endpoint_answers_with_the_parsers_reading(client, office_staff, plan):
    client.force_login(office_staff)
    assert reading(client, "Trên 35%") == {"reading": ">\xa035\xa0%", "flag": "", "reason": "", "warnings": []}
    unread = reading(client, "???")
    assert (unread["reading"], unread["flag"]) == ("???", "unparsed")
    assert unread["reason"]
    assert reading(client, "  ") == {"reading": "", "flag": "", "reason": "", "warnings": []}
    # 0 and "Không đạt" are values like any other.
    assert reading(client, "0")["reading"] == "0"
    assert reading(client, "Không đạt")["reading"] == "Không đạt"


@pytest.mark.django_db
def test_the_reading_checks_the_cell_against_its_indicator(client, office_staff, plan):
    client.force_login(office_staff)
    count = plan.targets.get(order=2).indicator  # a count of schools
    answer = reading(client, "79,3%", indicator=str(count.pk))
    assert answer["reading"] == "79,3\xa0%"
    assert answer["warnings"] == ["Giá trị không phải dạng giá trị của chỉ số này."]
    assert reading(client, "06 trường", indicator=str(count.pk))["warnings"] == []
    # An indicator that is no number, or none that exists, is simply not used.
    assert reading(client, "79,3%", indicator="abc")["warnings"] == []
    assert reading(client, "79,3%", indicator="999999")["warnings"] == []
    assert reading(client, "79,3%", indicator="٣")["warnings"] == []


@pytest.mark.django_db
def test_a_nul_character_or_a_huge_wording_gets_a_message_not_an_error(client, office_staff):
    client.force_login(office_staff)
    nul = reading(client, "79\x00%")
    assert nul["flag"] == "invalid" and "NUL" in nul["reason"]
    huge = reading(client, "9" * 20_000)
    assert huge["flag"] == "invalid"
    assert huge["reason"] == "Giá trị dài quá 255 ký tự (đang có 20000)."
    assert reading(client, "")["reading"] == ""
    assert client.get(READING).json()["reading"] == ""  # no wording at all


@pytest.mark.django_db
def test_only_staff_may_ask_for_a_reading(client, principal_a, district_leader):
    response = client.get(READING, {"wording": "35%"})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    for person in (principal_a, district_leader):
        client.force_login(person)
        response = client.get(READING, {"wording": "35%"})
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_each_value_cell_shows_its_reading_under_it(client, office_staff, plan):
    client.force_login(office_staff)
    html = client.get(url(Plan, "change", plan.pk)).content.decode()
    assert 'data-reading-url="/quan-tri/plans/plan/cach-hieu/"' in html
    assert '<output class="reading" aria-live="polite" title="Cách hiểu">79,3\xa0%</output>' in html
    assert "Không đọc được" in html  # the 2030 "???" of the second row
    # The plan's own id is not repeated in a hidden field on every row: the formset knows it.
    assert 'name="targets-0-plan"' not in html
    assert "js/plan_admin.js" in html and "css/plan_admin.css" in html


@pytest.mark.django_db
def test_a_refused_page_shows_the_reading_of_what_was_typed(client, office_staff, plan):
    client.force_login(office_staff)
    page = url(Plan, "change", plan.pk)
    data = form_data(client.get(page))
    data["targets-0-milestone_2025"] = "Trên 80%"
    data["targets-0-baseline_year"] = ""  # refused: a baseline needs its year
    response = client.post(page, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Trên 80%"' in html
    assert "&gt;\xa080\xa0%" in html


# --- milestone years ---------------------------------------------------------------------------


def _post(client, page: str, **changes):
    data = form_data(client.get(page))
    data.update(changes)
    return client.post(page, {**data, "_continue": "1"})


@pytest.mark.django_db
def test_the_office_adds_a_year_and_every_target_gets_its_cell(client, office_staff, plan):
    client.force_login(office_staff)
    page = url(Plan, "change", plan.pk)
    assert _post(client, page, milestone_year_add="2027").status_code == 302
    plan.refresh_from_db()
    assert plan.extra_milestone_years == [2027]
    assert plan.milestone_years == [2025, 2027, 2030]
    data = form_data(client.get(page))
    assert data["targets-0-milestone_2027"] == "" and data["targets-1-milestone_2027"] == ""
    # The first year of the plan too (a document whose "Hiện trạng" column is the first year's targets).
    assert _post(client, page, milestone_year_add="2024").status_code == 302
    assert Plan.objects.get(pk=plan.pk).milestone_years == [2024, 2025, 2027, 2030]
    # A value typed in the new column is saved like any other.
    assert _post(client, page, **{"targets-0-milestone_2027": "82%"}).status_code == 302
    value = TargetValue.objects.get(target__plan=plan, target__order=1, year=2027)
    assert (value.role, value.wording, value.value) == ("milestone", "82%", 82)


@pytest.mark.django_db
def test_a_year_outside_the_plan_is_refused_with_a_message(client, office_staff, plan):
    client.force_login(office_staff)
    page = url(Plan, "change", plan.pk)
    response = _post(client, page, milestone_year_add="2040", title="Tên đã sửa")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Năm 2040 nằm ngoài kế hoạch: chọn một năm từ 2024 đến 2030." in html
    assert "Tên đã sửa" in html  # nothing typed is lost
    assert Plan.objects.get(pk=plan.pk).extra_milestone_years == []
    response = _post(client, page, milestone_year_add="hai nghìn")
    assert "Năm phải là một số, ví dụ 2026." in response.content.decode()


@pytest.mark.django_db
def test_a_year_with_values_is_not_removed_until_its_cells_are_empty(client, office_staff, plan):
    client.force_login(office_staff)
    page = url(Plan, "change", plan.pk)
    _post(client, page, milestone_year_add="2027")
    _post(client, page, **{"targets-1-milestone_2027": "07 trường"})
    response = _post(client, page, milestone_year_remove="2027")
    assert response.status_code == 200
    assert "Năm 2027 còn 1 giá trị chỉ tiêu nên chưa bỏ được." in response.content.decode()
    assert TargetValue.objects.filter(target__plan=plan, year=2027).count() == 1
    # Emptied first, then removed.
    _post(client, page, **{"targets-1-milestone_2027": ""})
    assert _post(client, page, milestone_year_remove="2027").status_code == 302
    plan.refresh_from_db()
    assert plan.extra_milestone_years == [] and plan.milestone_years == [2025, 2030]
    assert "targets-0-milestone_2027" not in form_data(client.get(page))


@pytest.mark.django_db
def test_the_period_end_and_orientation_years_always_keep_their_column(client, office_staff, plan):
    client.force_login(office_staff)
    page = url(Plan, "change", plan.pk)
    response = _post(client, page, milestone_year_remove="2030")
    assert response.status_code == 200  # not offered: the choice is refused
    assert TargetValue.objects.filter(target__plan=plan, year=2030).count() == 2
    assert Plan.objects.get(pk=plan.pk).milestone_years == [2025, 2030]


# --- the first column's label -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_column_is_labelled_as_the_document_labels_it(client, office_staff, plan):
    client.force_login(office_staff)
    page = url(Plan, "change", plan.pk)
    html = client.get(page).content.decode()
    assert "Hiện trạng năm</label>" in html
    assert "Hiện trạng năm 2024" in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()

    assert _post(client, page, baseline_label="target").status_code == 302
    assert Plan.objects.get(pk=plan.pk).baseline_label == Plan.BaselineLabel.TARGET
    assert "Chỉ tiêu năm</label>" in client.get(page).content.decode()
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "<th>Chỉ tiêu năm 2024</th>" in detail
    assert "<th>Hiện trạng" not in detail


# --- the benchmark -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_benchmark_prints_its_figures_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command("benchmark_plan_page", "--targets", "3", "--requests", "1", stdout=out)
    text = out.getvalue()
    for figure in ("ô nhập", "ô ẩn", "HTML", "truy vấn", "thời gian máy chủ"):
        assert figure in text
    assert not Plan.objects.exists()
    json.dumps(text)  # plain text


@pytest.mark.django_db
@pytest.mark.parametrize("wording", ["99999999999999999999", "1.000.000.000.000.000", "3000000000/4000000000 trường"])
def test_a_number_too_big_to_store_is_kept_as_typed_and_flagged_not_a_500(client, district_officer, plan, wording):
    page = url(Plan, "change", plan.pk)
    client.force_login(district_officer)
    data = form_data(client.get(page))
    data["targets-0-milestone_2030"] = wording
    response = client.post(page, data)
    assert response.status_code == 302
    value = TargetValue.objects.get(target__plan=plan, target__order=1, year=2030)
    assert (value.wording, value.flag, value.value) == (wording, "unparsed", None)
    assert "số quá lớn" in value.flag_reason


@pytest.mark.django_db
def test_a_text_beyond_twenty_thousand_characters_is_refused_with_the_limit_and_nothing_is_saved(
    client, district_officer, plan
):
    page = url(Plan, "change", plan.pk)
    client.force_login(district_officer)
    data = form_data(client.get(page))
    data["legal_basis"] = "x" * 20_001
    data["budget_lines-0-content"] = "y" * 20_001
    response = client.post(page, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("tối đa 20000 kí tự (hiện có 20001)") == 2  # Django's Vietnamese message, per field
    plan.refresh_from_db()
    assert plan.legal_basis == "" and plan.budget_lines.get(number="1").content == "Cơ sở vật chất"


@pytest.mark.django_db
def test_a_post_of_megabytes_gets_the_vietnamese_bad_request_page(client, district_officer, plan):
    page = url(Plan, "change", plan.pk)
    client.force_login(district_officer)
    data = form_data(client.get(page))
    data["legal_basis"] = "Căn cứ " * 400_000
    response = client.post(page, data)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()
    plan.refresh_from_db()
    assert plan.legal_basis == ""
