"""No lost updates on a submission: two people load the same report at version N, the first one
writes, the second one's write from version N is refused with a message saying what changed,
and the database holds the first write only."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from organisations.models import Membership
from portal.concurrency import EditConflict
from results.models import ResultValue, Submission
from results.selectors import period_targets_for_school
from results.services import submission_return, submission_save_values, submission_submit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CONFLICT = "Người khác đã lưu thay đổi trong lúc bạn đang sửa"


@pytest.fixture
def second_officer(district):
    """Another education office staff member of the same district."""
    return make_user("canbo2", unit=district, role=Membership.Role.OFFICE_STAFF, staff=True)


@pytest.fixture
def targets(period, school_a):
    return period_targets_for_school(period, school_a)


def target_of(targets, unit: str):
    return next(t for t in targets if t.indicator.unit == unit)


@pytest.fixture
def submitted(submission_a, fill_values, targets, principal_a):
    fill_values(submission_a, by=principal_a)
    return submission_submit(submission=submission_a, targets=targets, by=principal_a, expected_version=None)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def loaded_version(client: Client, submission: Submission) -> str:
    """Open the review page and read the version its forms carry, as a browser would post it."""
    html = client.get(reverse("review:submission_detail", args=[submission.pk])).content.decode()
    versions = set(re.findall(r'name="version" value="(\d+)"', html))
    assert len(versions) == 1, versions
    return versions.pop()


def post(client: Client, name: str, submission: Submission, version: str, comment: str = "") -> str:
    """POST a review action; returns the messages shown after the redirect."""
    response = client.post(reverse(f"review:{name}", args=[submission.pk]), {"version": version, "comment": comment})
    assert response.status_code == 302
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_return_from_a_stale_page_is_refused_after_another_officer_approved(
    submitted, district_officer, second_officer
):
    first, second = client_for(district_officer), client_for(second_officer)
    version = loaded_version(first, submitted)
    assert loaded_version(second, submitted) == version

    post(first, "submission_approve", submitted, version)
    message = post(second, "submission_return", submitted, version, comment="Sửa lại tỷ lệ")

    assert CONFLICT in message
    assert "approved" in message or "Đã duyệt" in message  # what the first officer did
    assert "canbo" in message  # and who
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.APPROVED
    assert submitted.reviewed_by == district_officer
    assert submitted.review_comment == ""
    assert list(submitted.events.values_list("action", flat=True)) == ["submitted", "approved"]


def test_an_approval_from_a_stale_page_is_refused_after_another_officer_returned_it(
    submitted, district_officer, second_officer
):
    first, second = client_for(district_officer), client_for(second_officer)
    version = loaded_version(first, submitted)
    loaded_version(second, submitted)

    post(first, "submission_return", submitted, version, comment="Thiếu minh chứng")
    message = post(second, "submission_approve", submitted, version)

    assert CONFLICT in message
    assert "Thiếu minh chứng" in message  # the first officer's comment
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by) == (Submission.Status.RETURNED, district_officer)
    assert list(submitted.events.values_list("action", flat=True)) == ["submitted", "returned"]


def test_two_approvals_at_once_record_one(submitted, district_officer, second_officer):
    first, second = client_for(district_officer), client_for(second_officer)
    version = loaded_version(first, submitted)
    loaded_version(second, submitted)

    post(first, "submission_approve", submitted, version)
    assert CONFLICT in post(second, "submission_approve", submitted, version)

    submitted.refresh_from_db()
    assert submitted.reviewed_by == district_officer
    assert list(submitted.events.values_list("action", flat=True)) == ["submitted", "approved"]


def test_a_second_reopening_from_a_stale_page_keeps_the_first_reason(submitted, district_officer, second_officer):
    first, second = client_for(district_officer), client_for(second_officer)
    post(first, "submission_approve", submitted, loaded_version(first, submitted))
    version = loaded_version(first, submitted)
    loaded_version(second, submitted)

    post(first, "submission_reopen", submitted, version, comment="Sai số trẻ")
    message = post(second, "submission_reopen", submitted, version, comment="Lý do khác")

    assert CONFLICT in message and "Sai số trẻ" in message
    submitted.refresh_from_db()
    assert submitted.review_comment == "Sai số trẻ"
    assert list(submitted.events.values_list("comment", flat=True)) == ["", "", "Sai số trẻ"]


def test_after_the_conflict_the_reloaded_page_acts_on_the_new_state(submitted, district_officer, second_officer):
    first, second = client_for(district_officer), client_for(second_officer)
    version = loaded_version(first, submitted)
    loaded_version(second, submitted)
    post(first, "submission_approve", submitted, version)
    post(second, "submission_approve", submitted, version)

    # Having read what changed, the second officer reloads and reopens from the current version.
    post(second, "submission_reopen", submitted, loaded_version(second, submitted), comment="Cần sửa")
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.RETURNED
    assert submitted.reviewed_by == second_officer


def test_an_approval_is_refused_when_the_principal_changed_values_since_the_page_was_loaded(
    submitted, targets, district_officer, second_officer, principal_a
):
    """The office must not approve values it has not seen: officer 1 loads the report; officer 2
    returns it; the principal corrects a value and submits again; officer 1's approval is refused."""
    officer = client_for(district_officer)
    version = loaded_version(officer, submitted)
    submission_return(submission=submitted, by=second_officer, comment="Kiểm tra số trường", expected_version=None)
    count = target_of(targets, "count")
    principal = client_for(principal_a)
    principal.force_login(principal_a)
    response = principal.post(
        reverse("reports:edit", args=[submitted.period_id, submitted.school_id]),
        {
            f"t{target_of(targets, 'ratio').pk}-numerator": "80",
            f"t{target_of(targets, 'ratio').pk}-denominator": "100",
            f"t{count.pk}-number": "7",
            "version": str(Submission.objects.get(pk=submitted.pk).version),
            "action": "submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    message = post(officer, "submission_approve", submitted, version)

    assert CONFLICT in message
    assert "Số trường đạt chuẩn" in message and "7" in message  # the principal's new value
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED  # waiting for a review of the new values
    assert submitted.values.get(target=count).number == 7


# ---------------------------------------------------------------- services


def test_saving_values_from_a_stale_version_raises_a_conflict_and_keeps_the_first_save(
    submission_a, targets, principal_a
):
    count = target_of(targets, "count")
    version = submission_a.version
    first = Submission.objects.get(pk=submission_a.pk)  # the same report loaded twice
    second = Submission.objects.get(pk=submission_a.pk)

    submission_save_values(submission=first, values={count.pk: {"number": 7}}, by=principal_a, expected_version=version)
    with pytest.raises(EditConflict) as conflict:
        submission_save_values(
            submission=second, values={count.pk: {"number": 9}}, by=principal_a, expected_version=version
        )

    assert "Số trường đạt chuẩn" in conflict.value.messages[0]
    assert "7" in conflict.value.messages[0]
    assert conflict.value.changes
    assert ResultValue.objects.get(submission=submission_a, target=count).number == Decimal(7)
    assert Submission.objects.get(pk=submission_a.pk).version == version + 1


def test_submitting_from_a_stale_version_raises_a_conflict_and_leaves_the_draft(
    submission_a, fill_values, targets, principal_a
):
    fill_values(submission_a, by=principal_a)
    stale = submission_a.version
    count = target_of(targets, "count")
    submission_save_values(
        submission=submission_a, values={count.pk: {"number": 8}}, by=principal_a, expected_version=stale
    )

    with pytest.raises(EditConflict):
        submission_submit(submission=submission_a, targets=targets, by=principal_a, expected_version=stale)

    fresh = Submission.objects.get(pk=submission_a.pk)
    assert fresh.status == Submission.Status.DRAFT
    assert not fresh.events.exists()
