"""The submission workflow through results.services: every allowed transition, every forbidden one
(ValidationError and nothing stored), the lock after approval, and the records each step leaves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from results.models import ReportingPeriod, ResultValue, Submission, SubmissionEvent
from results.selectors import period_targets_for_school
from results.services import (
    submission_approve,
    submission_get_or_create,
    submission_reopen,
    submission_return,
    submission_save_values,
    submission_submit,
)

pytestmark = pytest.mark.django_db


def snapshot(submission: Submission) -> tuple:
    """Everything a refused step must leave as it was, read fresh from the database."""
    fresh = Submission.objects.get(pk=submission.pk)
    values = tuple(
        ResultValue.objects.filter(submission=fresh)
        .order_by("target_id")
        .values_list("target_id", "number", "numerator", "denominator", "stage", "boolean", "note")
    )
    events = tuple(fresh.events.values_list("action", "comment"))
    return (fresh.status, fresh.version, fresh.review_comment, fresh.reviewed_by_id, fresh.submitted_at, values, events)


@pytest.fixture
def targets(period, school_a):
    return period_targets_for_school(period, school_a)


@pytest.fixture
def submit(targets, principal_a):
    def run(submission):
        return submission_submit(
            submission=submission, targets=targets, by=principal_a, expected_version=submission.version
        )

    return run


@pytest.fixture
def submitted(submission_a, fill_values, submit):
    return submit(fill_values(submission_a))


@pytest.fixture
def approved(submitted, district_officer):
    return submission_approve(submission=submitted, by=district_officer, expected_version=submitted.version)


@pytest.fixture
def returned(submitted, district_officer):
    return submission_return(
        submission=submitted, by=district_officer, comment="Kiểm tra lại mẫu số.", expected_version=submitted.version
    )


def count_target(targets):
    return next(t for t in targets if t.indicator.unit == "count")


# ---------------------------------------------------------------- allowed


def test_a_filled_draft_is_submitted_and_the_submission_is_recorded(submission_a, fill_values, submit, principal_a):
    submission = submit(fill_values(submission_a))

    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.submitted_by == principal_a
    assert submission.submitted_at is not None
    event = submission.events.get()
    assert (event.action, event.by) == (SubmissionEvent.Action.SUBMITTED, principal_a)


def test_a_returned_submission_can_be_corrected_and_submitted_again(returned, submit, targets, principal_a):
    target = count_target(targets)
    submission_save_values(
        submission=returned, values={target.pk: {"number": 7}}, by=principal_a, expected_version=returned.version
    )
    submit(returned)

    returned.refresh_from_db()
    assert returned.status == Submission.Status.SUBMITTED
    assert returned.values.get(target=target).number == 7
    assert list(returned.events.values_list("action", flat=True)) == ["submitted", "returned", "submitted"]


def test_the_office_returns_a_submitted_report_with_its_comment(returned, district_officer):
    returned.refresh_from_db()
    assert returned.status == Submission.Status.RETURNED
    assert returned.review_comment == "Kiểm tra lại mẫu số."
    assert returned.reviewed_by == district_officer
    event = returned.events.last()
    assert (event.action, event.by, event.comment) == ("returned", district_officer, "Kiểm tra lại mẫu số.")


def test_the_office_approves_a_submitted_report(approved, district_officer):
    approved.refresh_from_db()
    assert approved.status == Submission.Status.APPROVED
    assert approved.reviewed_by == district_officer
    assert approved.events.last().action == SubmissionEvent.Action.APPROVED


def test_reopening_an_approved_report_returns_it_and_records_the_reason_and_the_user(approved, district_officer):
    submission_reopen(
        submission=approved,
        by=district_officer,
        comment="Trường báo nhầm số trẻ.",
        expected_version=approved.version,
    )

    approved.refresh_from_db()
    assert approved.status == Submission.Status.RETURNED
    event = approved.events.last()
    assert event.action == SubmissionEvent.Action.REOPENED
    assert event.by == district_officer
    assert event.comment == "Trường báo nhầm số trẻ."


def test_a_reopened_report_can_be_corrected_by_the_principal(approved, district_officer, targets, principal_a):
    submission_reopen(submission=approved, by=district_officer, comment="Sửa số liệu.", expected_version=None)
    target = count_target(targets)
    submission_save_values(
        submission=approved, values={target.pk: {"number": 9}}, by=principal_a, expected_version=None
    )
    assert approved.values.get(target=target).number == 9


def test_each_step_moves_the_version_on(submission_a, fill_values, submit, district_officer):
    versions = [submission_a.version]
    fill_values(submission_a)
    versions.append(submission_a.version)
    submit(submission_a)
    versions.append(submission_a.version)
    submission_approve(submission=submission_a, by=district_officer, expected_version=submission_a.version)
    versions.append(submission_a.version)
    assert versions == sorted(set(versions))


# ---------------------------------------------------------------- forbidden


def refused(call, submission, message_part: str) -> None:
    """The call raises ValidationError naming the problem and stores nothing."""
    before = snapshot(submission)
    with pytest.raises(ValidationError) as error:
        call()
    assert message_part in " ".join(error.value.messages)
    assert snapshot(submission) == before


def test_a_draft_cannot_be_approved(submission_a, fill_values, district_officer):
    fill_values(submission_a)
    refused(
        lambda: submission_approve(submission=submission_a, by=district_officer, expected_version=None),
        submission_a,
        "Chỉ duyệt được báo cáo đã gửi",
    )


def test_a_draft_cannot_be_returned(submission_a, district_officer):
    refused(
        lambda: submission_return(submission=submission_a, by=district_officer, comment="x", expected_version=None),
        submission_a,
        "Chỉ trả lại được báo cáo đã gửi",
    )


def test_an_approved_report_cannot_be_returned(approved, district_officer):
    refused(
        lambda: submission_return(submission=approved, by=district_officer, comment="Sửa", expected_version=None),
        approved,
        "Chỉ trả lại được báo cáo đã gửi",
    )


def test_an_approved_report_cannot_be_approved_again(approved, district_officer):
    refused(
        lambda: submission_approve(submission=approved, by=district_officer, expected_version=None),
        approved,
        "Chỉ duyệt được báo cáo đã gửi",
    )


def test_a_submitted_report_cannot_be_reopened(submitted, district_officer):
    refused(
        lambda: submission_reopen(submission=submitted, by=district_officer, comment="Lý do", expected_version=None),
        submitted,
        "Chỉ mở lại được báo cáo đã duyệt",
    )


def test_a_returned_report_cannot_be_reopened(returned, district_officer):
    refused(
        lambda: submission_reopen(submission=returned, by=district_officer, comment="Lý do", expected_version=None),
        returned,
        "Chỉ mở lại được báo cáo đã duyệt",
    )


def test_an_approved_report_cannot_be_submitted(approved, submit):
    refused(lambda: submit(approved), approved, "Chỉ gửi được báo cáo đang nhập hoặc bị trả lại")


def test_a_submitted_report_cannot_be_submitted_twice(submitted, submit):
    refused(lambda: submit(submitted), submitted, "Chỉ gửi được báo cáo đang nhập hoặc bị trả lại")


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_values_cannot_be_saved_once_sent(request, state, targets, principal_a):
    submission = request.getfixturevalue(state)
    target = count_target(targets)
    refused(
        lambda: submission_save_values(
            submission=submission, values={target.pk: {"number": 99}}, by=principal_a, expected_version=None
        ),
        submission,
        "không sửa được nữa",
    )


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_a_report_cannot_be_returned_without_a_comment(submitted, district_officer, comment):
    refused(
        lambda: submission_return(submission=submitted, by=district_officer, comment=comment, expected_version=None),
        submitted,
        "Hãy ghi ý kiến",
    )


@pytest.mark.parametrize("comment", ["", "  "])
def test_an_approved_report_cannot_be_reopened_without_a_reason(approved, district_officer, comment):
    refused(
        lambda: submission_reopen(submission=approved, by=district_officer, comment=comment, expected_version=None),
        approved,
        "Hãy ghi lý do",
    )


def test_a_report_with_a_missing_value_cannot_be_submitted(submission_a, targets, submit, principal_a):
    target = count_target(targets)
    submission_save_values(
        submission=submission_a, values={target.pk: {"number": 3}}, by=principal_a, expected_version=None
    )
    refused(lambda: submit(submission_a), submission_a, "Còn thiếu giá trị")


@pytest.mark.parametrize("period_status", [ReportingPeriod.Status.CLOSED, ReportingPeriod.Status.DRAFT])
def test_nothing_is_saved_or_submitted_while_the_period_is_not_open(
    submission_a, fill_values, submit, targets, principal_a, period_status
):
    fill_values(submission_a)
    ReportingPeriod.objects.filter(pk=submission_a.period_id).update(status=period_status)
    submission_a.period.refresh_from_db()
    target = count_target(targets)

    refused(
        lambda: submission_save_values(
            submission=submission_a, values={target.pk: {"number": 42}}, by=principal_a, expected_version=None
        ),
        submission_a,
        "Kỳ báo cáo chưa mở hoặc đã đóng",
    )
    refused(lambda: submit(submission_a), submission_a, "Kỳ báo cáo chưa mở hoặc đã đóng")


def test_a_school_cannot_report_in_a_closed_period(closed_period, school_a, targets, principal_a):
    submission = submission_get_or_create(period=closed_period, school=school_a)
    target = count_target(targets)
    refused(
        lambda: submission_save_values(
            submission=submission, values={target.pk: {"number": 1}}, by=principal_a, expected_version=None
        ),
        submission,
        "Kỳ báo cáo chưa mở hoặc đã đóng",
    )


# ---------------------------------------------------------------- lock and records


def test_approval_locks_the_values(approved, targets, principal_a):
    stored = snapshot(approved)[5]
    for target in targets:
        with pytest.raises(ValidationError):
            submission_save_values(
                submission=approved,
                values={target.pk: {"number": 1, "note": "sửa"}},
                by=principal_a,
                expected_version=None,
            )
    approved.refresh_from_db()
    assert approved.is_locked
    assert snapshot(approved)[5] == stored


# results.services takes `by` but does not hand it to simple-history: outside a web request (where
# HistoryRequestMiddleware fills it in) the records have no author. Fix there: set
# `value._history_user = by` / `submission._history_user = by` before each save(); then drop this mark.


def test_every_value_change_leaves_a_history_record_with_its_author(submission_a, targets, principal_a):
    target = count_target(targets)
    for number in (3, 4, 6):
        submission_save_values(
            submission=submission_a, values={target.pk: {"number": number}}, by=principal_a, expected_version=None
        )

    records = ResultValue.history.filter(submission_id=submission_a.pk, target_id=target.pk).order_by("history_date")
    assert [int(r.number) for r in records] == [3, 4, 6]
    assert {r.history_user for r in records} == {principal_a}


def test_every_workflow_step_leaves_a_history_record_with_its_author(
    submission_a, fill_values, submit, district_officer, principal_a
):
    submit(fill_values(submission_a))
    submission_approve(submission=submission_a, by=district_officer, expected_version=None)

    records = submission_a.history.order_by("history_date")
    by_status = {r.status: r.history_user for r in records if r.history_type == "~"}
    assert by_status[Submission.Status.SUBMITTED] == principal_a
    assert by_status[Submission.Status.APPROVED] == district_officer
