"""The principal's landing page and report form: what they see, save, submit, and who else may look."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from indicators.services import indicator_get_or_create
from organisations.models import Membership
from plans.models import Target
from results.models import ReportingPeriod, ResultValue, Submission, SubmissionEvent
from results.services import (
    submission_approve,
    submission_reopen,
    submission_return,
    submission_submit,
)
from tests.conftest import make_user


def edit_url(period, school) -> str:
    return reverse("reports:edit", args=[period.pk, school.pk])


def targets_of(plan) -> tuple[Target, Target]:
    """(the ratio target, the count target) of the plan fixture."""
    targets = {t.indicator.unit: t for t in plan.targets.select_related("indicator")}
    return targets["ratio"], targets["count"]


def complete_form(plan, version, action="save", **overrides) -> dict:
    rate, count = targets_of(plan)
    data = {
        "version": version,
        "action": action,
        f"t{rate.pk}-numerator": "81",
        f"t{rate.pk}-denominator": "100",
        f"t{count.pk}-number": "5",
    }
    data.update(overrides)
    return data


def stored(submission) -> list[dict]:
    return list(ResultValue.objects.filter(submission=submission).order_by("pk").values())


def field_block(html: str, name: str) -> str:
    start = html.index(f'data-field="{name}"')
    end = html.find("data-field=", start + 1)
    return html[start : end if end != -1 else len(html)]


# --- the landing page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_principal_with_one_open_period_goes_straight_to_it(client, principal_a, school_a, period):
    client.force_login(principal_a)
    response = client.get(reverse("reports:home"))
    assert response.status_code == 302
    assert response["Location"] == edit_url(period, school_a)


@pytest.mark.django_db
def test_the_landing_page_lists_open_periods_with_their_status(client, principal_a, school_a, period, plan):
    second = ReportingPeriod.objects.create(
        plan=plan,
        kind=ReportingPeriod.Kind.HALF_YEAR,
        label="6 tháng đầu năm 2025",
        year=2025,
        starts_on="2025-01-01",
        ends_on="2025-06-30",
        opens_on="2025-06-01",
        due_on="2099-06-20",
        status=ReportingPeriod.Status.OPEN,
    )
    Submission.objects.create(period=second, school=school_a)
    client.force_login(principal_a)
    html = client.get(reverse("reports:home")).content.decode()
    assert "Năm 2025" in html and "6 tháng đầu năm 2025" in html
    assert "Chưa bắt đầu nhập" in html and "Đang nhập, chưa gửi" in html
    assert edit_url(period, school_a) in html and edit_url(second, school_a) in html


@pytest.mark.django_db
def test_the_landing_page_leaves_out_closed_periods(client, principal_a, closed_period):
    client.force_login(principal_a)
    response = client.get(reverse("reports:home"))
    assert response.status_code == 200
    assert "Hiện không có kỳ báo cáo nào đang mở" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["district_officer", "commune_officer", "district_leader", "superuser"])
def test_office_staff_and_leaders_are_sent_to_the_plan_list(client, request, who, period):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("reports:home"))
    assert response.status_code == 302 and response["Location"] == reverse("plans:list")


@pytest.mark.django_db
def test_an_account_without_a_school_gets_a_friendly_page(client):
    client.force_login(make_user("chua.gan"))
    response = client.get(reverse("reports:home"))
    assert response.status_code == 200
    assert "chưa được gán cho trường nào" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name,args", [("reports:home", []), ("reports:edit", [1, 1])])
def test_anonymous_is_sent_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- what the form page shows ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_principal_sees_only_the_schools_targets_with_this_years_goal(client, principal_a, school_a, period, plan):
    primary = indicator_get_or_create(name="Tỷ lệ học sinh tiểu học", level="PRIMARY", unit="percent")
    Target.objects.create(plan=plan, indicator=primary, order=9, wording=primary.name)
    rate, count = targets_of(plan)
    client.force_login(principal_a)
    response = client.get(edit_url(period, school_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tỷ lệ huy động trẻ" in html and "Số trường đạt chuẩn" in html
    assert "Tỷ lệ học sinh tiểu học" not in html
    assert f'name="t{rate.pk}-numerator"' in html and f'name="t{rate.pk}-denominator"' in html
    assert f'name="t{count.pk}-number"' in html
    # The plan's figure is the district's, shown as what the school's answer adds up into.
    assert "Chỉ tiêu chung của Huyện Thử Nghiệm năm 2025" in html and "78\xa0%" in html and "5 trường" in html
    assert "Chỉ tiêu năm 2025" not in html
    assert "được cộng vào chỉ tiêu chung này" in html
    assert 'inputmode="numeric"' in html


@pytest.mark.django_db
def test_a_period_without_its_own_milestone_shows_the_next_one(client, principal_a, school_a, plan):
    later = ReportingPeriod.objects.create(
        plan=plan,
        kind=ReportingPeriod.Kind.CALENDAR_YEAR,
        label="Năm 2027",
        year=2027,
        starts_on="2027-01-01",
        ends_on="2027-12-31",
        opens_on="2027-11-01",
        due_on="2099-12-05",
        status=ReportingPeriod.Status.OPEN,
    )
    client.force_login(principal_a)
    html = client.get(edit_url(later, school_a)).content.decode()
    assert "Chỉ tiêu chung của Huyện Thử Nghiệm năm 2030" in html and "86\xa0%" in html


@pytest.mark.django_db
def test_last_years_approved_values_are_shown(client, principal_a, school_a, period, last_year):
    client.force_login(principal_a)
    html = client.get(edit_url(period, school_a)).content.decode()
    assert "70/100 (70\xa0%)" in html
    assert "<dd data-last>3</dd>" in html


@pytest.mark.django_db
def test_a_principal_of_another_school_gets_404(client, principal_b, school_a, period):
    client.force_login(principal_b)
    assert client.get(edit_url(period, school_a)).status_code == 404
    assert client.post(edit_url(period, school_a), complete_form(period.plan, 1)).status_code == 404
    assert not Submission.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["district_leader", "district_officer", "commune_officer", "superuser"])
def test_office_staff_and_leaders_read_the_page_but_cannot_post(client, request, who, school_a, submission_a):
    client.force_login(request.getfixturevalue(who))
    url = edit_url(submission_a.period, school_a)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "chỉ đọc" in html and 'name="action"' not in html
    assert client.post(url, complete_form(submission_a.period.plan, 1)).status_code == 403
    assert not ResultValue.objects.exists()


@pytest.mark.django_db
def test_an_office_of_another_district_gets_404(client, other_district_officer, school_a, period):
    client.force_login(other_district_officer)
    assert client.get(edit_url(period, school_a)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/bao-cao/abc/truong/1/", "/bao-cao/1/truong/x/", "/bao-cao/-1/truong/1/"])
def test_a_non_numeric_id_is_404(client, principal_a, path):
    client.force_login(principal_a)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_unknown_period_or_school_is_404(client, principal_a, school_a, period, commune):
    client.force_login(principal_a)
    assert client.get(reverse("reports:edit", args=[999999, school_a.pk])).status_code == 404
    assert client.get(reverse("reports:edit", args=[period.pk, 999999])).status_code == 404
    assert client.get(reverse("reports:edit", args=[period.pk, commune.pk])).status_code == 404  # not a school


# --- saving and submitting -------------------------------------------------------------------


@pytest.mark.django_db
def test_save_draft_stores_the_values_and_redirects(client, principal_a, school_a, period, plan):
    rate, count = targets_of(plan)
    client.force_login(principal_a)
    response = client.post(edit_url(period, school_a), complete_form(plan, 1, **{f"t{count.pk}-number": ""}))
    assert response.status_code == 302 and response["Location"] == edit_url(period, school_a)
    submission = Submission.objects.get(period=period, school=school_a)
    assert submission.status == Submission.Status.DRAFT
    value = ResultValue.objects.get(submission=submission, target=rate)
    assert (value.numerator, value.denominator) == (81, 100)
    assert not ResultValue.objects.filter(target=count).exists()  # nothing typed, nothing stored
    page = client.get(edit_url(period, school_a)).content.decode()
    assert "Đã lưu nháp." in page
    assert 'value="81"' in field_block(page, f"t{rate.pk}-numerator")


@pytest.mark.django_db
def test_vietnamese_numbers_are_read_and_shown_back(client, principal_a, school_a, period, plan, add_target):
    """A score with a decimal comma and pupils with a thousands dot (a school's percent is asked
    as its two numbers; the office's percent is in tests/results/test_questions.py)."""
    score = add_target(plan, name="Điểm trung bình thi cuối năm", unit="score", order=3)
    rate, _count = targets_of(plan)
    client.force_login(principal_a)
    data = {"version": 1, "action": "save", f"t{score.pk}-number": "5,4", f"t{score.pk}-denominator": "1.234"}
    data |= {f"t{rate.pk}-numerator": "1.500", f"t{rate.pk}-denominator": "1.600"}
    assert client.post(edit_url(period, school_a), data).status_code == 302
    value = ResultValue.objects.get(target=score)
    assert (value.number, value.denominator) == (Decimal("5.4"), 1234)
    assert ResultValue.objects.get(target=rate).numerator == 1500
    html = client.get(edit_url(period, school_a)).content.decode()
    assert 'value="5,4"' in field_block(html, f"t{score.pk}-number")
    assert 'value="1234"' in field_block(html, f"t{score.pk}-denominator")
    assert 'value="1500"' in field_block(html, f"t{rate.pk}-numerator")


@pytest.mark.django_db
def test_submit_with_a_missing_value_is_refused_next_to_that_field(client, principal_a, school_a, period, plan):
    rate, count = targets_of(plan)
    client.force_login(principal_a)
    response = client.post(edit_url(period, school_a), complete_form(plan, 1, "submit", **{f"t{count.pk}-number": ""}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa nhập giá trị." in field_block(html, f"t{count.pk}-number")
    assert "Chưa nhập giá trị." not in field_block(html, f"t{rate.pk}-numerator")
    assert 'value="81"' in field_block(html, f"t{rate.pk}-numerator")  # what was typed stays
    assert not Submission.objects.filter(status=Submission.Status.SUBMITTED).exists()
    assert not ResultValue.objects.exists()


@pytest.mark.django_db
def test_submit_complete_sends_it_and_the_page_becomes_read_only(client, principal_a, school_a, period, plan):
    rate, _count = targets_of(plan)
    client.force_login(principal_a)
    response = client.post(edit_url(period, school_a), complete_form(plan, 1, "submit"))
    assert response.status_code == 302
    submission = Submission.objects.get(period=period, school=school_a)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.events.get().action == SubmissionEvent.Action.SUBMITTED
    html = client.get(edit_url(period, school_a)).content.decode()
    assert "Đã gửi báo cáo." in html and "Đã gửi, chờ duyệt" in html
    assert "81/100 (81\xa0%)" in html
    assert 'name="action"' not in html
    assert "Lịch sử xử lý" in html and "Gửi báo cáo" in html
    before = stored(submission)
    response = client.post(
        edit_url(period, school_a), complete_form(plan, submission.version, **{f"t{rate.pk}-numerator": "10"})
    )
    assert response.status_code == 302
    assert "không sửa được nữa" in client.get(edit_url(period, school_a)).content.decode()
    assert stored(submission) == before


@pytest.mark.django_db
def test_a_returned_submission_shows_the_comment_and_is_editable_again(
    client, principal_a, district_officer, school_a, submission_a, fill_values, plan
):
    fill_values(submission_a)
    submission_submit(submission=submission_a, targets=list(plan.targets.all()), by=principal_a, expected_version=None)
    submission_return(
        submission=submission_a, by=district_officer, comment="Kiểm tra lại số trẻ.", expected_version=None
    )
    client.force_login(principal_a)
    html = client.get(edit_url(submission_a.period, school_a)).content.decode()
    assert "Kiểm tra lại số trẻ." in html.split('class="submission-form"')[0]  # at the top, before the form
    assert "Bị trả lại để sửa" in html and 'value="submit"' in html
    submission_a.refresh_from_db()
    response = client.post(edit_url(submission_a.period, school_a), complete_form(plan, submission_a.version, "submit"))
    assert response.status_code == 302
    submission_a.refresh_from_db()
    assert submission_a.status == Submission.Status.SUBMITTED
    assert ResultValue.objects.get(submission=submission_a, target=targets_of(plan)[0]).numerator == 81


@pytest.mark.django_db
def test_an_approved_submission_is_read_only(
    client, principal_a, district_officer, school_a, submission_a, fill_values
):
    fill_values(submission_a)
    targets = list(submission_a.period.plan.targets.all())
    submission_submit(submission=submission_a, targets=targets, by=principal_a, expected_version=None)
    submission_approve(submission=submission_a, by=district_officer, expected_version=None)
    before = stored(submission_a)
    client.force_login(principal_a)
    url = edit_url(submission_a.period, school_a)
    html = client.get(url).content.decode()
    assert "Đã duyệt – không sửa được" in html and 'name="action"' not in html
    submission_a.refresh_from_db()
    assert client.post(url, complete_form(submission_a.period.plan, submission_a.version)).status_code == 302
    assert stored(submission_a) == before


@pytest.mark.django_db
def test_a_reopened_submission_shows_the_reason(
    client, principal_a, district_officer, school_a, submission_a, fill_values
):
    fill_values(submission_a)
    targets = list(submission_a.period.plan.targets.all())
    submission_submit(submission=submission_a, targets=targets, by=principal_a, expected_version=None)
    submission_approve(submission=submission_a, by=district_officer, expected_version=None)
    submission_reopen(submission=submission_a, by=district_officer, comment="Sai mẫu số.", expected_version=None)
    client.force_login(principal_a)
    html = client.get(edit_url(submission_a.period, school_a)).content.decode()
    assert "Sai mẫu số." in html.split('class="submission-form"')[0]
    assert "Mở lại báo cáo đã duyệt" in html  # the history names every step


@pytest.mark.django_db
def test_a_closed_period_is_read_only_with_a_message(client, principal_a, school_a, closed_period, plan):
    client.force_login(principal_a)
    url = edit_url(closed_period, school_a)
    html = client.get(url).content.decode()
    assert "Kỳ báo cáo chưa mở hoặc đã đóng" in html and 'name="action"' not in html
    response = client.post(url, complete_form(plan, 1))
    assert response.status_code == 302
    assert not ResultValue.objects.exists()


# --- evidence --------------------------------------------------------------------------------


@pytest.fixture
def evidence_target(plan):
    _rate, count = targets_of(plan)
    count.evidence_required = True
    count.save(update_fields=["evidence_required"])
    return count


@pytest.mark.django_db
def test_submit_without_the_required_evidence_is_refused(client, principal_a, school_a, period, plan, evidence_target):
    client.force_login(principal_a)
    response = client.post(edit_url(period, school_a), complete_form(plan, 1, "submit"))
    assert response.status_code == 200
    assert "Cần kèm tệp minh chứng hoặc ghi chú minh chứng." in field_block(
        response.content.decode(), f"t{evidence_target.pk}-evidence"
    )
    assert not Submission.objects.filter(status=Submission.Status.SUBMITTED).exists()


@pytest.mark.django_db
def test_a_small_evidence_file_lets_it_through(client, principal_a, school_a, period, plan, evidence_target):
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    client.force_login(principal_a)
    data = complete_form(plan, 1, "submit", **{f"t{evidence_target.pk}-evidence": upload})
    response = client.post(edit_url(period, school_a), data)
    assert response.status_code == 302
    value = ResultValue.objects.get(target=evidence_target)
    assert value.evidence.name.endswith(".pdf")
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    html = client.get(edit_url(period, school_a)).content.decode()
    assert reverse("review:evidence", args=[value.pk]) in html  # through the permission check
    assert f"{settings.MEDIA_URL}{value.evidence.name}" not in html  # never a public media address


@pytest.mark.django_db
def test_a_note_is_evidence_enough(client, principal_a, school_a, period, plan, evidence_target):
    client.force_login(principal_a)
    data = complete_form(plan, 1, "submit", **{f"t{evidence_target.pk}-note": "Quyết định số 12/QĐ-UBND"})
    assert client.post(edit_url(period, school_a), data).status_code == 302
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


@pytest.mark.django_db
def test_an_evidence_file_of_the_wrong_type_is_refused(client, principal_a, school_a, period, plan, evidence_target):
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    client.force_login(principal_a)
    data = complete_form(plan, 1, "submit", **{f"t{evidence_target.pk}-evidence": upload})
    response = client.post(edit_url(period, school_a), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF" in field_block(html, f"t{evidence_target.pk}-evidence")
    assert "Tệp đã chọn chưa được lưu" in html
    assert not ResultValue.objects.exists()


# --- two people at once ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stale_form_gets_the_conflict_and_keeps_what_was_typed(client, principal_a, school_a, submission_a, plan):
    _rate, count = targets_of(plan)
    url = edit_url(submission_a.period, school_a)
    client.force_login(principal_a)
    page = client.get(url).content.decode()
    assert 'name="version" value="1"' in page
    other = Client()
    other.force_login(principal_a)  # the same school's report open in a second browser
    assert other.post(url, complete_form(plan, 1, **{f"t{count.pk}-number": "7"})).status_code == 302
    after_other = stored(submission_a)

    response = client.post(url, complete_form(plan, 1, **{f"t{count.pk}-number": "9"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Người khác đã lưu thay đổi trong lúc bạn đang sửa" in html
    assert 'value="9"' in field_block(html, f"t{count.pk}-number")  # the typed value is still there
    assert "Giá trị đang lưu (vừa được thay đổi): 7" in html
    assert stored(submission_a) == after_other  # nothing overwritten
    submission_a.refresh_from_db()
    assert f'name="version" value="{submission_a.version}"' in html  # saving again is now a choice


@pytest.mark.django_db
def test_two_forms_loaded_before_the_first_save_conflict_too(client, principal_a, school_a, period, plan):
    """No submission yet: both pages were loaded at version 1; the second save is refused."""
    url = edit_url(period, school_a)
    other = Client()
    for c in (client, other):
        c.force_login(principal_a)
    assert other.post(url, complete_form(plan, 1)).status_code == 302
    response = client.post(url, complete_form(plan, 1, **{f"t{targets_of(plan)[1].pk}-number": "2"}))
    assert response.status_code == 200
    assert "Người khác đã lưu thay đổi" in response.content.decode()
    assert ResultValue.objects.get(target=targets_of(plan)[1]).number == 5


@pytest.mark.django_db
def test_a_second_principal_of_the_same_school_may_edit(client, school_a, submission_a, plan):
    deputy = make_user("pho.hieutruong", unit=school_a, role=Membership.Role.PRINCIPAL)
    client.force_login(deputy)
    assert client.post(edit_url(submission_a.period, school_a), complete_form(plan, 1)).status_code == 302


@pytest.mark.django_db
def test_large_ids_are_not_printed_with_a_thousands_dot(client, principal_a, school_a, period, plan):
    """USE_THOUSAND_SEPARATOR prints 3410 as "3.410" in Vietnamese; ids in the page must not be."""
    # An indicator of its own: a second target of an indicator already asked is not asked again.
    indicator = indicator_get_or_create(name="Số phòng học", level="PRESCHOOL", unit="count", noun="phòng")
    Target.objects.create(pk=123456, plan=plan, indicator=indicator, order=99, wording="Chỉ tiêu số hiệu lớn")
    client.force_login(principal_a)
    html = client.get(reverse("reports:edit", args=[period.pk, school_a.pk])).content.decode()
    assert 'id="chi-tieu-123456"' in html
    assert "123.456" not in html
