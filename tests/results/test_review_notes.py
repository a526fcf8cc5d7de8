"""The office's comments on single values (ReviewNote), what changed since a return, and each
value beside the target that applies to the period's year, on the office's report page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans.services import target_set_values
from results.models import ReportingPeriod, ReviewNote, Submission, SubmissionEvent
from results.selectors import period_targets_for_school, submission_since_return
from results.services import (
    submission_approve,
    submission_get_or_create,
    submission_reopen,
    submission_return,
    submission_save_values,
    submission_submit,
)
from results.validation import TEXT_MAX_LENGTH
from tests.results.conftest import make_period
from tests.results.test_principal_pages import targets_of

pytestmark = pytest.mark.django_db


def detail_url(submission) -> str:
    return reverse("review:submission_detail", args=[submission.pk])


def submit(submission, by, values: dict | None = None) -> Submission:
    if values:
        submission_save_values(submission=submission, values=values, by=by, expected_version=None)
    targets = period_targets_for_school(submission.period, submission.school)
    return submission_submit(submission=submission, targets=targets, by=by, expected_version=None)


@pytest.fixture
def submitted(submission_a, fill_values, principal_a):
    """School A's report with ratio 80/100 and count 5, sent."""
    fill_values(submission_a, by=principal_a)
    return submit(submission_a, principal_a)


# --- the service -----------------------------------------------------------------------------


def test_a_return_keeps_each_value_comment_with_its_event(submitted, district_officer, plan):
    rate, count = targets_of(plan)
    submission_return(
        submission=submitted,
        by=district_officer,
        comment="Xem lại",
        notes={count: " Chỉ có 4 trường. ", rate: ""},
        expected_version=None,
    )
    event = submitted.events.get(action=SubmissionEvent.Action.RETURNED)
    note = ReviewNote.objects.get()
    assert (note.submission, note.event, note.target, note.text, note.by) == (
        submitted,
        event,
        count,
        "Chỉ có 4 trường.",
        district_officer,
    )
    assert note.at == event.at


@pytest.mark.parametrize(
    "comment,notes,message",
    [
        ("", {}, "Hãy ghi ý kiến"),
        ("   ", {"count": "Chỉ có 4 trường"}, "Hãy ghi ý kiến"),
        ("a" * (TEXT_MAX_LENGTH + 1), {}, "Ý kiến chung: Ghi tối đa 2.000 ký tự"),
        ("Sai\x00", {}, "ký tự rỗng"),
        ("Xem lại", {"count": "b" * (TEXT_MAX_LENGTH + 1)}, "Số trường đạt chuẩn: Ghi tối đa 2.000 ký tự"),
        ("Xem lại", {"count": "4\x00 trường"}, "Số trường đạt chuẩn: Văn bản có ký tự không hợp lệ"),
    ],
)
def test_a_return_with_a_bad_comment_is_refused_and_changes_nothing(
    submitted, district_officer, plan, comment, notes, message
):
    _rate, count = targets_of(plan)
    with pytest.raises(ValidationError) as refused:
        submission_return(
            submission=submitted,
            by=district_officer,
            comment=comment,
            notes={count: notes["count"]} if notes else {},
            expected_version=None,
        )
    assert message in " ".join(refused.value.messages)
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED
    assert not ReviewNote.objects.exists() and not submitted.events.filter(action="returned").exists()


def test_a_comment_of_exactly_the_maximum_is_kept(submitted, district_officer, plan):
    _rate, count = targets_of(plan)
    text = "ư" * TEXT_MAX_LENGTH
    submission_return(
        submission=submitted, by=district_officer, comment=text, notes={count: text}, expected_version=None
    )
    assert ReviewNote.objects.get().text == text and Submission.objects.get(pk=submitted.pk).review_comment == text


def test_a_reopening_with_a_nul_in_its_reason_is_refused(submitted, district_officer):
    submission_approve(submission=submitted, by=district_officer, expected_version=None)
    with pytest.raises(ValidationError, match="ký tự rỗng"):
        submission_reopen(submission=submitted, by=district_officer, comment="Sai\x00", expected_version=None)


# --- what changed since the return -----------------------------------------------------------


def test_nothing_to_compare_before_a_return_or_before_it_is_sent_again(submitted, district_officer, plan):
    targets = period_targets_for_school(submitted.period, submitted.school)
    assert submission_since_return(submitted, targets) is None
    submission_return(submission=submitted, by=district_officer, comment="Xem lại", expected_version=None)
    assert submission_since_return(submitted, targets) is None  # the school has not answered yet


def test_after_resubmission_each_value_shows_old_and_new(submitted, district_officer, principal_a, plan):
    rate, count = targets_of(plan)
    submission_return(
        submission=submitted,
        by=district_officer,
        comment="Xem lại",
        notes={rate: "Kiểm tra mẫu số", count: "Chỉ có 4 trường"},
        expected_version=None,
    )
    submit(submitted, principal_a, {count.pk: {"number": 0}})  # 0 is a value
    since = submission_since_return(submitted, period_targets_for_school(submitted.period, submitted.school))
    lines = {line.target: line for line in since.lines}
    assert (lines[count].old, lines[count].new, lines[count].changed) == ("5", "0", True)
    assert (lines[rate].old, lines[rate].new, lines[rate].changed) == ("80/100 (80\xa0%)", "80/100 (80\xa0%)", False)
    assert lines[rate].review_note.text == "Kiểm tra mẫu số"


def test_the_report_page_shows_old_to_new_and_unchanged_commented_values(
    client, submitted, district_officer, principal_a, plan
):
    rate, count = targets_of(plan)
    submission_return(
        submission=submitted, by=district_officer, comment="Xem lại", notes={rate: "Kiểm tra"}, expected_version=None
    )
    submit(submitted, principal_a, {count.pk: {"number": 4}})
    client.force_login(district_officer)
    html = client.get(detail_url(submitted)).content.decode()
    since = html[html.index('id="thay-doi-tu-lan-tra-lai"') : html.index("</section>", html.index("thay-doi-tu"))]
    count_line = since[since.index(f'data-since-target="{count.pk}"') :]
    assert '<span class="old">5</span> → <mark class="new">4</mark>' in count_line
    rate_line = since[since.index(f'data-since-target="{rate.pk}"') : since.index(f'data-since-target="{count.pk}"')]
    assert "Không đổi" in rate_line and "Ý kiến của Phòng: Kiểm tra" in rate_line
    row = html[html.index(f'<tr data-target="{count.pk}" class="changed">') :]
    assert "<del>5</del>" in row[: row.index("</tr>")]
    # The comment stays in the workflow log.
    events = html[html.index('<table class="events">') :]
    assert "Kiểm tra" in events[: events.index("</table>")]


def test_a_reopened_report_sent_again_compares_with_the_reopening(
    client, submitted, district_officer, principal_a, plan
):
    _rate, count = targets_of(plan)
    submission_approve(submission=submitted, by=district_officer, expected_version=None)
    submission_reopen(submission=submitted, by=district_officer, comment="Sai số trường", expected_version=None)
    submit(submitted, principal_a, {count.pk: {"number": 6}})
    since = submission_since_return(submitted, period_targets_for_school(submitted.period, submitted.school))
    assert since.event.action == SubmissionEvent.Action.REOPENED
    assert [(line.old, line.new) for line in since.shown] == [("5", "6")]


# --- the report page, through the client -----------------------------------------------------


def test_the_office_returns_with_comments_typed_beside_values(client, submitted, district_officer, plan):
    rate, count = targets_of(plan)
    client.force_login(district_officer)
    html = client.get(detail_url(submitted)).content.decode()
    assert f'name="value-comment-{count.pk}" form="return-form"' in html and 'id="return-form"' in html
    response = client.post(
        reverse("review:submission_return", args=[submitted.pk]),
        {
            "version": submitted.version,
            "comment": "Xem lại",
            f"value-comment-{count.pk}": "Chỉ có 4 trường",
            f"value-comment-{rate.pk}": "",
            "value-comment-999999": "không thuộc báo cáo này",  # a stale or forged input: ignored
        },
    )
    assert response.status_code == 302
    assert list(ReviewNote.objects.values_list("target", "text")) == [(count.pk, "Chỉ có 4 trường")]


def test_a_refused_return_keeps_every_comment_typed(client, submitted, district_officer, plan):
    _rate, count = targets_of(plan)
    client.force_login(district_officer)
    response = client.post(
        reverse("review:submission_return", args=[submitted.pk]),
        {"version": submitted.version, "comment": "Xem lại", f"value-comment-{count.pk}": "x" * 2001},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số trường đạt chuẩn: Ghi tối đa 2.000 ký tự (đang có 2.001)." in html
    assert ">Xem lại</textarea>" in html and "x" * 2001 + "</textarea>" in html
    assert Submission.objects.get(pk=submitted.pk).status == Submission.Status.SUBMITTED


def test_a_nul_in_the_comment_is_refused_without_a_500(client, submitted, district_officer):
    client.force_login(district_officer)
    response = client.post(
        reverse("review:submission_return", args=[submitted.pk]), {"version": submitted.version, "comment": "a\x00b"}
    )
    assert response.status_code == 200 and "ký tự rỗng" in response.content.decode()


def test_comment_boxes_only_for_a_sent_report_and_a_reviewer(client, submitted, district_officer, district_leader):
    client.force_login(district_leader)
    assert "value-comment-" not in client.get(detail_url(submitted)).content.decode()
    submission_approve(submission=submitted, by=district_officer, expected_version=None)
    client.force_login(district_officer)
    assert "value-comment-" not in client.get(detail_url(submitted)).content.decode()


def test_each_value_beside_the_milestone_of_its_year_with_its_status(client, submitted, district_officer, plan):
    rate, count = targets_of(plan)
    client.force_login(district_officer)
    html = client.get(detail_url(submitted)).content.decode()
    rate_row = html[html.index(f'<tr data-target="{rate.pk}"') :]
    rate_row = rate_row[: rate_row.index("</tr>")]
    assert "Chỉ tiêu năm 2025:" in rate_row and "78\xa0%" in rate_row
    assert 'data-assessment="met"' in rate_row and ">Đạt</span>" in rate_row  # 80 % against ≥ 78 %
    count_row = html[html.index(f'<tr data-target="{count.pk}"') :]
    count_row = count_row[: count_row.index("</tr>")]
    assert 'data-assessment="not_comparable"' in count_row  # a school's count is its part of the district's
    assert "Chỉ tiêu năm 2025" not in html[: html.index("<tbody>")]  # no column headed with a year


def test_a_period_without_its_milestone_labels_the_next_one_with_its_year(
    client, plan, school_a, principal_a, district_officer, last_year
):
    rate, count = targets_of(plan)
    later = make_period(plan, year=2027, status=ReportingPeriod.Status.OPEN)
    submission = submission_get_or_create(period=later, school=school_a)
    submit(submission, principal_a, {rate.pk: {"numerator": 60, "denominator": 100}, count.pk: {"number": 3}})
    client.force_login(district_officer)
    html = client.get(detail_url(submission)).content.decode()
    rate_row = html[html.index(f'<tr data-target="{rate.pk}"') :]
    rate_row = rate_row[: rate_row.index("</tr>")]
    assert "Chỉ tiêu năm 2030:" in rate_row and "86\xa0%" in rate_row
    assert "2027" not in rate_row.split("data-goal")[1].split("</td>")[0]
    assert "70/100 (70\xa0%)" in rate_row and "(năm 2024)" in rate_row  # last year's value, with its year
    assert 'data-assessment="behind"' in rate_row or 'data-assessment="off_track"' in rate_row
    assert "Chỉ tiêu năm 2027" not in html


def test_a_target_without_any_milestone_left_is_not_comparable(client, submitted, district_officer, plan):
    rate, _count = targets_of(plan)
    target_set_values(target=rate, baseline=(2024, "79,3%"), milestones={})
    client.force_login(district_officer)
    html = client.get(detail_url(submitted)).content.decode()
    rate_row = html[html.index(f'<tr data-target="{rate.pk}"') :]
    assert 'data-assessment="not_comparable"' in rate_row[: rate_row.index("</tr>")]


def test_the_admin_page_of_a_report_lists_its_value_comments(client, submitted, district_officer, superuser, plan):
    _rate, count = targets_of(plan)
    submission_return(
        submission=submitted,
        by=district_officer,
        comment="Xem lại",
        notes={count: "Chỉ 4 trường"},
        expected_version=None,
    )
    client.force_login(superuser)
    response = client.get(reverse("admin:results_submission_change", args=[submitted.pk]))
    assert response.status_code == 200 and "Chỉ 4 trường" in response.content.decode()
