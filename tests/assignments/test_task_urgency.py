"""assignments.selectors.plan_tasks_by_urgency and plan_task_counts: the dashboards' task list."""

from datetime import date

import pytest

from assignments.models import ProgressNote, Task
from assignments.selectors import TaskState, plan_task_counts, plan_tasks_by_urgency
from assignments.services import task_create
from assignments.timing import due_dates_between, parse_timing

TODAY = date(2025, 7, 15)


def make_task(plan, content, timing, *, order, status=Task.Status.NOT_STARTED, leads=(), notes=()):
    task = task_create(plan=plan, content=content, order=order, timing_wording=timing, leads=list(leads))
    if status != task.status:
        Task.objects.filter(pk=task.pk).update(status=status)
    for noted_on in notes:
        ProgressNote.objects.create(task=task, noted_on=noted_on, text=f"Báo cáo ngày {noted_on:%d/%m/%Y}")
    return task


def rows_by_content(plan, today=TODAY):
    return {row.task.content: row for row in plan_tasks_by_urgency(plan=plan, today=today)}


@pytest.mark.django_db
def test_overdue_tasks_come_first_then_by_due_date_then_in_document_order(plan, district):
    make_task(plan, "Thường xuyên", "Thường xuyên", order=1)
    make_task(plan, "Cuối năm", "Tháng 12 năm 2025", order=2)
    make_task(plan, "Quá hạn có báo cáo", "Tháng 6 năm 2025", order=3, notes=[date(2025, 5, 2)])
    make_task(plan, "Tháng 11 (b)", "Tháng 11 năm 2025", order=5, status=Task.Status.IN_PROGRESS)
    make_task(plan, "Tháng 11 (a)", "Tháng 11 năm 2025", order=4)
    make_task(plan, "Đã xong", "Tháng 3 năm 2025", order=6, status=Task.Status.DONE)
    make_task(plan, "Quá hạn từ 2024", "Tháng 10 năm 2024", order=7)

    rows = plan_tasks_by_urgency(plan=plan, today=TODAY)

    assert [row.task.content for row in rows] == [
        "Quá hạn từ 2024",
        "Quá hạn có báo cáo",
        "Đã xong",
        "Tháng 11 (a)",
        "Tháng 11 (b)",
        "Cuối năm",
        "Thường xuyên",
    ]
    assert [row.is_overdue for row in rows] == [True, True, False, False, False, False, False]
    assert [row.due for row in rows] == [
        date(2024, 10, 31),
        date(2025, 6, 30),
        date(2025, 3, 31),
        date(2025, 11, 30),
        date(2025, 11, 30),
        date(2025, 12, 31),
        None,
    ]


@pytest.mark.django_db
def test_an_overdue_task_without_a_note_says_so_instead_of_not_started(plan):
    make_task(plan, "Không báo cáo", "Tháng 10 năm 2024", order=1)
    make_task(plan, "Có báo cáo", "Tháng 10 năm 2024", order=2, notes=[date(2024, 9, 1)])
    make_task(plan, "Chưa đến hạn", "Tháng 12 năm 2025", order=3)

    rows = rows_by_content(plan)

    assert rows["Không báo cáo"].state == TaskState.OVERDUE_UNREPORTED == "overdue_unreported"
    assert rows["Không báo cáo"].state_label == "Quá hạn, chưa có báo cáo tiến độ"
    assert rows["Không báo cáo"].last_note is None
    assert rows["Có báo cáo"].state == "overdue"
    assert rows["Có báo cáo"].state_label == "Quá hạn"
    assert rows["Có báo cáo"].last_note.noted_on == date(2024, 9, 1)
    assert rows["Chưa đến hạn"].state == "not_started"
    assert rows["Chưa đến hạn"].state_label == "Chưa triển khai"


@pytest.mark.django_db
def test_done_and_cancelled_tasks_are_never_overdue(plan):
    make_task(plan, "Xong", "Tháng 10 năm 2024", order=1, status=Task.Status.DONE)
    make_task(plan, "Dừng", "Tháng 10 năm 2024", order=2, status=Task.Status.CANCELLED)
    make_task(plan, "Xong hằng năm", "Hàng năm", order=3, status=Task.Status.DONE)

    rows = rows_by_content(plan)

    assert [(r.state, r.state_label, r.is_overdue) for r in rows.values()] == [
        ("done", "Hoàn thành", False),
        ("cancelled", "Dừng thực hiện", False),
        ("done", "Hoàn thành", False),
    ]


@pytest.mark.django_db
def test_a_yearly_task_is_overdue_once_this_years_date_passed_with_no_note_since_the_previous_one(plan):
    # "Tháng 6 hằng năm" falls on 30/06. On 15/07/2025 this year's has passed; the previous was 30/06/2024.
    make_task(plan, "Không báo cáo", "Tháng 6 hàng năm", order=1)
    make_task(plan, "Báo cáo cũ", "Tháng 6 hàng năm", order=2, notes=[date(2024, 6, 30)])
    make_task(plan, "Báo cáo kỳ này", "Tháng 6 hàng năm", order=3, notes=[date(2024, 7, 1)])
    make_task(plan, "Báo cáo muộn", "Tháng 6 hàng năm", order=4, notes=[date(2025, 7, 10)])

    rows = rows_by_content(plan)

    for content in ("Không báo cáo", "Báo cáo cũ"):
        assert rows[content].is_overdue
        assert rows[content].state_label == "Quá hạn, chưa có báo cáo tiến độ"
        assert rows[content].due == date(2025, 6, 30)
    for content in ("Báo cáo kỳ này", "Báo cáo muộn"):
        assert not rows[content].is_overdue
        assert rows[content].state == "not_started"
        assert rows[content].due == date(2026, 6, 30)  # the next one


@pytest.mark.django_db
def test_before_this_years_date_a_yearly_task_answers_for_last_years(plan):
    make_task(plan, "Tháng 6", "Tháng 6 hàng năm", order=1)
    make_task(plan, "Tháng 6, có báo cáo", "Tháng 6 hàng năm", order=2, notes=[date(2024, 6, 20)])
    make_task(plan, "Cả năm", "Hằng năm", order=3)
    make_task(plan, "Trước 15/12", "trước ngày 15/12", order=4, notes=[date(2025, 1, 5)])

    rows = rows_by_content(plan, today=date(2025, 6, 15))

    # 30/06/2024 was the plan's first: any note since the plan began answers for it.
    assert rows["Tháng 6"].is_overdue and rows["Tháng 6"].due == date(2024, 6, 30)
    assert not rows["Tháng 6, có báo cáo"].is_overdue
    assert rows["Tháng 6, có báo cáo"].due == date(2025, 6, 30)
    assert rows["Cả năm"].is_overdue and rows["Cả năm"].due == date(2024, 12, 31)
    assert not rows["Trước 15/12"].is_overdue and rows["Trước 15/12"].due == date(2025, 12, 15)


@pytest.mark.django_db
def test_recurring_dates_before_the_plan_do_not_count(plan):
    # The plan runs from 2024: on 15/03/2024 no yearly date has passed within it yet.
    make_task(plan, "Hằng năm", "Hằng năm", order=1)
    make_task(plan, "2 năm 1 lần", "2 năm 1 lần", order=2)

    rows = rows_by_content(plan, today=date(2024, 3, 15))

    assert not rows["Hằng năm"].is_overdue and rows["Hằng năm"].due == date(2024, 12, 31)
    # "2 năm 1 lần" never says which year it starts from: no due date, never overdue.
    rows = rows_by_content(plan, today=date(2029, 3, 15))
    assert not rows["2 năm 1 lần"].is_overdue and rows["2 năm 1 lần"].due is None


@pytest.mark.django_db
def test_a_row_names_its_leads_and_its_latest_note(plan, district):
    task = make_task(
        plan, "Rà soát", "Tháng 12 năm 2025", order=1, leads=[district, "Các trường"], notes=[date(2025, 3, 1)]
    )
    ProgressNote.objects.create(task=task, noted_on=date(2025, 5, 1), text="Mới nhất")
    ProgressNote.objects.create(task=task, noted_on=date(2025, 4, 1), text="Giữa")
    task_create(plan=plan, content="Theo văn bản", order=2, lead_wording="Phòng GD&ĐT")

    rows = rows_by_content(plan)

    assert rows["Rà soát"].leads == ("Huyện Thử Nghiệm", "Các trường")
    assert rows["Rà soát"].last_note.text == "Mới nhất"
    assert rows["Theo văn bản"].leads == ("Phòng GD&ĐT",)  # no lead entered: the document's wording


@pytest.mark.django_db
def test_counts_by_state_list_every_state(plan):
    make_task(plan, "a", "Tháng 10 năm 2024", order=1)
    make_task(plan, "b", "Tháng 10 năm 2024", order=2)
    make_task(plan, "c", "Tháng 10 năm 2024", order=3, notes=[date(2024, 10, 2)])
    make_task(plan, "d", "Tháng 12 năm 2025", order=4, status=Task.Status.IN_PROGRESS)
    make_task(plan, "e", "Tháng 12 năm 2025", order=5, status=Task.Status.DONE)

    assert plan_task_counts(plan=plan, today=TODAY) == {
        "overdue_unreported": 2,
        "overdue": 1,
        "not_started": 0,
        "in_progress": 1,
        "done": 1,
        "cancelled": 0,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_list_takes_the_same_queries_whatever_the_number_of_tasks(
    plan, district, count, django_assert_max_num_queries
):
    for order in range(count):
        task = make_task(plan, f"Nhiệm vụ {order}", "Tháng 6 hàng năm", order=order, leads=[district, "Các xã"])
        for day in (1, 2, 3):
            ProgressNote.objects.create(task=task, noted_on=date(2025, 1, day), text="…")
    plan.issuer  # noqa: B018  (loaded by the caller's own page)

    with django_assert_max_num_queries(3):
        rows = plan_tasks_by_urgency(plan=plan, today=TODAY)
        assert len(rows) == count
        assert all(row.leads == ("Huyện Thử Nghiệm", "Các xã") for row in rows)
        assert all(row.task.plan.issuer == plan.issuer for row in rows)  # no query per task
        assert all(row.last_note.author is None for row in rows)
    with django_assert_max_num_queries(2):
        assert sum(plan_task_counts(plan=plan, today=TODAY).values()) == count


def test_due_dates_between_lists_each_recurrences_dates():
    assert due_dates_between(parse_timing("Tháng 6 hàng năm"), 2024, 2025) == [date(2024, 6, 30), date(2025, 6, 30)]
    assert due_dates_between(parse_timing("Hằng năm"), 2025, 2025) == [date(2025, 12, 31)]
    assert due_dates_between(parse_timing("trước ngày 29/02"), 2024, 2025) == [date(2024, 2, 29), date(2025, 2, 28)]
    assert due_dates_between(parse_timing("6 tháng một lần"), 2025, 2025) == [date(2025, 6, 30), date(2025, 12, 31)]
    assert due_dates_between(parse_timing("hằng quý"), 2025, 2025) == [
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 9, 30),
        date(2025, 12, 31),
    ]
    for wording in ("2 năm 1 lần", "Tháng 10 năm 2024", "Thường xuyên", "???", ""):
        assert due_dates_between(parse_timing(wording), 2024, 2030) == []
