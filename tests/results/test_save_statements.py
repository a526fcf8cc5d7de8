"""A principal's save is a fixed handful of statements whatever the number of targets (issue 11:
every principal of the country saves in the same few days), and it still writes the history the
history pages and "what changed since the return" read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from results.models import ResultValue, Submission
from results.selectors import submission_history

# The whole POST of "Lưu nháp" through the real stack: session, user, memberships, period, school
# (with whether it has predecessors), questions (with the values stored), last year's values, then
# one transaction: the version bump (with updated_at), one INSERT and/or one UPDATE of the values
# with one INSERT of their history, the submission's history row; the message. 21 for a first save
# (it creates the submission, in a savepoint), 18 after; 25 and 22 before the scope checks moved to
# Python and the draft save lost its second UPDATE and its savepoint. The same for 2 targets as for 20.
SAVE_QUERIES = 21
LATER_SAVE_QUERIES = 18


def post_save(client, period, school, data) -> int:
    """POST the form; the number of SQL statements it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(edit_url(period, school), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return len(queries)


def many_counts(add_target, plan, n: int) -> list:
    return [add_target(plan, name=f"Số lớp học loại {i}", unit="count", order=100 + i) for i in range(n)]


def edit_url(period, school) -> str:
    return reverse("reports:edit", args=[period.pk, school.pk])


def form_for(plan, extra, version, value: int) -> dict:
    """ "Lưu nháp" with every target: the plan's ratio (70+value)/100, its count and `extra` at value."""
    targets = {t.indicator.unit: t for t in plan.targets.select_related("indicator").filter(order__lt=100)}
    rate, count = targets["ratio"], targets["count"]
    data = {
        "version": version,
        "action": "save",
        f"t{rate.pk}-numerator": str(70 + value),
        f"t{rate.pk}-denominator": "100",
        f"t{count.pk}-number": str(value),
    }
    return data | {f"t{target.pk}-number": str(value) for target in extra}


@pytest.mark.django_db
def test_a_save_takes_the_same_statements_for_2_targets_as_for_20(
    client, principal_a, principal_b, school_a, school_b, period, plan, add_target, django_assert_max_num_queries
):
    client.force_login(principal_a)
    data = form_for(plan, [], 1, 5)  # read before: only the POST is counted
    with django_assert_max_num_queries(SAVE_QUERIES):
        first_2 = post_save(client, period, school_a, data)  # creates 2 values
    data = form_for(plan, [], 2, 6)  # read before: only the POST is counted
    with django_assert_max_num_queries(LATER_SAVE_QUERIES):
        again_2 = post_save(client, period, school_a, data)  # updates them

    extra = many_counts(add_target, plan, 18)
    client.force_login(principal_b)
    data = form_for(plan, extra, 1, 5)  # read before: only the POST is counted
    with django_assert_max_num_queries(SAVE_QUERIES):
        first_20 = post_save(client, period, school_b, data)
    data = form_for(plan, extra, 2, 6)  # read before: only the POST is counted
    with django_assert_max_num_queries(LATER_SAVE_QUERIES):
        again_20 = post_save(client, period, school_b, data)

    assert ResultValue.objects.filter(submission__school=school_b).count() == 20
    assert set(ResultValue.objects.filter(submission__school=school_b).values_list("number", flat=True)) == {
        None,  # the ratio's number
        Decimal(6),
    }
    assert (first_2, again_2) == (first_20, again_20)


@pytest.mark.django_db
def test_each_changed_value_gets_one_history_row_by_its_author(client, principal_a, school_a, period, plan, add_target):
    extra = many_counts(add_target, plan, 3)
    client.force_login(principal_a)
    post_save(client, period, school_a, form_for(plan, extra, 1, 5))
    submission = Submission.objects.get(period=period, school=school_a)
    records = ResultValue.history.filter(submission_id=submission.pk)
    assert records.count() == 5
    assert {(r.history_type, r.history_user_id) for r in records} == {("+", principal_a.pk)}

    # Change two of the five values: two more records, "~", by the principal.
    data = form_for(plan, extra, 2, 5)
    data[f"t{extra[0].pk}-number"] = "9"
    data[f"t{extra[1].pk}-note"] = "Theo sổ điểm danh"
    post_save(client, period, school_a, data)
    changed = records.filter(history_type="~")
    assert sorted(changed.values_list("target_id", flat=True)) == sorted([extra[0].pk, extra[1].pk])
    assert {r.history_user_id for r in changed} == {principal_a.pk}
    assert ResultValue.objects.get(submission=submission, target=extra[0]).number == 9
    assert ResultValue.objects.get(submission=submission, target=extra[1]).note == "Theo sổ điểm danh"

    # The history page's lines: the new number and the note, each named by its target, by the principal.
    lines = [c for c in submission_history(submission) if c.old != "—"]
    assert [(c.label.split(" – ")[0], c.old, c.new) for c in lines] == [(extra[0].wording, "5", "9")]
    noted = [c for c in submission_history(submission) if c.new == "Theo sổ điểm danh"]
    assert [c.by for c in noted] == [principal_a.username]


@pytest.mark.django_db
def test_saving_what_is_already_stored_writes_no_value_and_no_value_history(
    client, principal_a, school_a, period, plan, add_target
):
    extra = many_counts(add_target, plan, 3)
    client.force_login(principal_a)
    post_save(client, period, school_a, form_for(plan, extra, 1, 5))
    submission = Submission.objects.get(period=period, school=school_a)
    before = list(ResultValue.objects.filter(submission=submission).order_by("pk").values())
    history = ResultValue.history.filter(submission_id=submission.pk).count()

    with CaptureQueriesContext(connection) as queries:
        post_save(client, period, school_a, form_for(plan, extra, 2, 5))
    written = [q["sql"] for q in queries if "results_resultvalue" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert written == []
    assert list(ResultValue.objects.filter(submission=submission).order_by("pk").values()) == before
    assert ResultValue.history.filter(submission_id=submission.pk).count() == history


@pytest.mark.django_db
def test_a_fact_already_stored_in_another_period_is_refused_in_words_not_a_500(plan, school_a, period):
    """The unique checks are the database's now (no query per value): its refusal still reads as
    the model's Vietnamese message, and nothing of the save is kept."""
    from django.core.exceptions import ValidationError

    from results.services import submission_get_or_create, submission_save_values
    from tests.results.conftest import make_period

    count = plan.targets.get(indicator__unit="count")
    first = submission_get_or_create(period=period, school=school_a)
    submission_save_values(submission=first, values={count.pk: {"number": Decimal(5)}}, by=None, expected_version=None)
    half = make_period(plan, year=2025, status="open", label="6 tháng đầu năm 2025")
    second = submission_get_or_create(period=half, school=school_a)
    with pytest.raises(ValidationError, match="Đơn vị đã báo cáo chỉ số này cho năm này"):
        submission_save_values(
            submission=second, values={count.pk: {"number": Decimal(7)}}, by=None, expected_version=None
        )
    assert list(ResultValue.objects.filter(unit=school_a).values_list("number", flat=True)) == [Decimal(5)]
    assert Submission.objects.get(pk=second.pk).version == 1  # the bump went with the rest


@pytest.mark.django_db
def test_a_first_save_finds_a_report_made_meanwhile_instead_of_failing(period, school_a):
    """The page read "no report yet"; someone made it in between: the INSERT fails and the other's is used."""
    from results.services import submission_get_or_create

    made = Submission.objects.create(period=period, school=school_a)
    assert submission_get_or_create(period=period, school=school_a, missing=True).pk == made.pk
    assert Submission.objects.filter(period=period, school=school_a).count() == 1


@pytest.mark.django_db
def test_a_draft_save_records_the_new_version_and_time_in_the_submissions_history(
    client, principal_a, school_a, period, plan
):
    """The version bump stores updated_at and the history row is written without a save(): the
    submission and its history must still say the same thing, by the same author."""
    client.force_login(principal_a)
    post_save(client, period, school_a, form_for(plan, [], 1, 5))
    submission = Submission.objects.get(period=period, school=school_a)
    first_time = submission.updated_at
    post_save(client, period, school_a, form_for(plan, [], 2, 6))
    submission.refresh_from_db()
    assert submission.version == 3
    assert submission.updated_at > first_time
    records = list(
        submission.history.order_by("history_date", "history_id").values_list(
            "version", "history_type", "history_user_id", "updated_at"
        )
    )
    assert [(v, kind, user) for v, kind, user, _at in records] == [
        (1, "+", principal_a.pk),
        (2, "~", principal_a.pk),
        (3, "~", principal_a.pk),
    ]
    assert records[1][3] == first_time
    assert records[2][3] == submission.updated_at
