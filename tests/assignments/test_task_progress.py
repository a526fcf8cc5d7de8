"""The office records a task's status and progress: assignments.services.task_record_progress, the
POST view tasks:progress for each role of the cast, and the form partial."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assignments.models import ProgressNote, Task
from assignments.services import task_create, task_record_progress

DONE, IN_PROGRESS, NOT_STARTED = Task.Status.DONE, Task.Status.IN_PROGRESS, Task.Status.NOT_STARTED


@pytest.fixture
def task(plan, district):
    return task_create(
        plan=plan, content="Rà soát mạng lưới trường lớp", timing_wording="Tháng 10 năm 2024", leads=[district]
    )


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the service ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_records_a_note_and_the_new_status_with_their_author(task, district_officer):
    task = task_record_progress(
        task=task, status=IN_PROGRESS, text="  Đã rà soát 12/15 trường  ", noted_on=yesterday(), by=district_officer
    )

    assert task.status == IN_PROGRESS
    assert Task.objects.get(pk=task.pk).status == IN_PROGRESS
    note = ProgressNote.objects.get(task=task)
    assert (note.text, note.noted_on, note.author) == ("Đã rà soát 12/15 trường", yesterday(), district_officer)
    latest = task.history.latest()
    assert latest.history_user == district_officer
    assert (latest.status, latest.prev_record.status) == (IN_PROGRESS, NOT_STARTED)


@pytest.mark.django_db
def test_a_note_alone_keeps_the_status_and_adds_no_history(task, district_officer):
    before = task.history.count()
    task_record_progress(task=task, status=NOT_STARTED, text="Đang chuẩn bị", noted_on=yesterday(), by=district_officer)
    assert ProgressNote.objects.filter(task=task).count() == 1
    assert task.history.count() == before


@pytest.mark.django_db
def test_a_status_alone_adds_no_note(task, district_officer):
    task_record_progress(task=task, status=IN_PROGRESS, text="", noted_on=yesterday(), by=district_officer)
    assert Task.objects.get(pk=task.pk).status == IN_PROGRESS
    assert not ProgressNote.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "text", "noted_on", "field", "message"),
    [
        (DONE, "", None, "text", "Ghi kết quả đã đạt khi đánh dấu hoàn thành."),
        (Task.Status.CANCELLED, " ", None, "text", "Ghi lý do khi dừng thực hiện nhiệm vụ."),
        (NOT_STARTED, "", None, "text", "Chưa có gì thay đổi: hãy ghi tiến độ hoặc chọn tình trạng mới."),
        (IN_PROGRESS, "Đã họp", "tomorrow", "noted_on", "Ngày ghi nhận không được sau hôm nay."),
        (IN_PROGRESS, "Đã họp", datetime.date(2020, 1, 1), "noted_on", "Ngày ghi nhận không được trước năm 2023."),
        (IN_PROGRESS, "Đã\x00họp", None, "text", "Nội dung có ký tự không hợp lệ (NUL)."),
        (IN_PROGRESS, "x" * 2001, None, "text", "Nội dung tiến độ dài quá 2000 ký tự."),
        ("finished", "Đã họp", None, "status", "Tình trạng không hợp lệ."),
    ],
)
def test_it_refuses_in_vietnamese_and_stores_nothing(task, district_officer, status, text, noted_on, field, message):
    if noted_on is None:
        noted_on = yesterday()
    elif noted_on == "tomorrow":
        noted_on = timezone.localdate() + datetime.timedelta(days=1)
    before = task.history.count()
    with pytest.raises(ValidationError) as caught:
        task_record_progress(task=task, status=status, text=text, noted_on=noted_on, by=district_officer)
    assert message in " ".join(caught.value.message_dict[field])
    assert Task.objects.get(pk=task.pk).status == NOT_STARTED
    assert task.history.count() == before
    assert not ProgressNote.objects.exists()


@pytest.mark.django_db
def test_marking_done_with_its_result_is_accepted(task, district_officer):
    task_record_progress(task=task, status=DONE, text="Hoàn thành rà soát", noted_on=yesterday(), by=district_officer)
    assert Task.objects.get(pk=task.pk).status == DONE


@pytest.mark.django_db
def test_the_note_and_the_status_are_written_together_or_not_at_all(task, district_officer, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ValidationError("boom")

    monkeypatch.setattr(Task, "full_clean", refuse)
    with pytest.raises(ValidationError):
        task_record_progress(task=task, status=IN_PROGRESS, text="Đã họp", noted_on=yesterday(), by=district_officer)
    assert not ProgressNote.objects.exists()


# --- the view, for each role --------------------------------------------------------------------


def post(client, task, **data):
    payload = {"status": IN_PROGRESS, "noted_on": yesterday().isoformat(), "text": "Đã họp triển khai"} | data
    return client.post(reverse("tasks:progress", args=[task.pk]), payload)


@pytest.mark.django_db
def test_office_staff_of_the_issuer_record_progress_and_go_back(client, district_officer, task):
    client.force_login(district_officer)
    response = post(client, task, next="/ke-hoach/?tab=1")

    assert response.status_code == 302
    assert response["Location"] == "/ke-hoach/?tab=1"
    assert Task.objects.get(pk=task.pk).status == IN_PROGRESS
    assert ProgressNote.objects.get(task=task).author == district_officer
    assert task.history.latest().history_user == district_officer
    assert message_texts(response) == ["Đã cập nhật tiến độ “Rà soát mạng lưới trường lớp”."]


@pytest.mark.django_db
def test_a_date_typed_the_vietnamese_way_is_read(client, district_officer, task):
    client.force_login(district_officer)
    post(client, task, noted_on=yesterday().strftime("%d/%m/%Y"))
    assert ProgressNote.objects.get(task=task).noted_on == yesterday()


@pytest.mark.django_db
# "1" and "[]" are no paths: redirect() took them for view names and answered 500 (issue 11).
@pytest.mark.parametrize("next_url", ["", "https://evil.example/", "//evil.example/", "/x\x00y", "1", "[]", "/" * 2001])
def test_without_a_safe_next_it_goes_back_to_the_plans_tasks(client, district_officer, task, next_url):
    client.force_login(district_officer)
    response = post(client, task, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[task.plan_id]) + "#nhiem-vu"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("district_leader", 403), ("principal_a", 403), ("commune_officer", 403), ("other_district_officer", 404)],
)
def test_others_are_refused_and_nothing_is_stored(client, request, task, role, status):
    client.force_login(request.getfixturevalue(role))
    assert post(client, task).status_code == status
    assert Task.objects.get(pk=task.pk).status == NOT_STARTED
    assert not ProgressNote.objects.exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, task):
    response = post(client, task)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ProgressNote.objects.exists()


@pytest.mark.django_db
def test_it_is_post_only(client, district_officer, task):
    client.force_login(district_officer)
    assert client.get(reverse("tasks:progress", args=[task.pk])).status_code == 405


@pytest.mark.django_db
def test_an_unknown_task_is_404(client, district_officer):
    client.force_login(district_officer)
    assert client.post(reverse("tasks:progress", args=[999999]), {}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"noted_on": "abc"}, "Ngày không hợp lệ"),
        ({"noted_on": ""}, "Nhập ngày ghi nhận."),
        ({"noted_on": "31/02/2025"}, "Ngày không hợp lệ"),
        ({"noted_on": "9999-12-31"}, "Ngày ghi nhận không được sau hôm nay."),
        ({"text": "Đã\x00họp"}, "Nội dung có ký tự không hợp lệ (NUL)."),
        ({"text": "x" * 2001}, "Nội dung dài quá 2000 ký tự (đang có 2001)."),
        ({"status": "abc"}, "Tình trạng không hợp lệ."),
        ({"status": DONE, "text": ""}, "Ghi kết quả đã đạt khi đánh dấu hoàn thành."),
    ],
)
def test_bad_input_gives_a_message_and_stores_nothing(client, district_officer, task, data, message):
    client.force_login(district_officer)
    response = post(client, task, **data)

    assert response.status_code == 302
    [text] = message_texts(response)
    assert text.startswith("Chưa lưu tiến độ “Rà soát mạng lưới trường lớp”: ")
    assert message in text
    assert Task.objects.get(pk=task.pk).status == NOT_STARTED
    assert not ProgressNote.objects.exists()


# --- the partial ----------------------------------------------------------------------------------


def render_partial(task, user, session=None) -> str:
    request = RequestFactory().get("/bang-dieu-khien/")
    request.user = user
    if session is not None:
        request.session = session
    return render_to_string(
        "assignments/_task_progress_form.html", {"task": task, "next": "/bang-dieu-khien/"}, request=request
    )


@pytest.mark.django_db
def test_the_partial_is_a_compact_form_for_the_office(task, district_officer):
    html = render_partial(task, district_officer)
    assert "<details" in html and "<summary>Cập nhật</summary>" in html and " open" not in html
    assert f'action="{reverse("tasks:progress", args=[task.pk])}"' in html
    assert 'name="next" value="/bang-dieu-khien/"' in html
    assert '<option value="not_started" selected>Chưa triển khai</option>' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert 'maxlength="2000"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["district_leader", "principal_a", "other_district_officer"])
def test_the_partial_shows_nothing_to_those_who_cannot_record(request, task, role):
    assert render_partial(task, request.getfixturevalue(role)).strip() == ""


@pytest.mark.django_db
def test_a_refused_form_comes_back_open_with_what_was_typed(client, district_officer, task):
    client.force_login(district_officer)
    post(client, task, status=DONE, text="", next="/bang-dieu-khien/")
    post(client, task, noted_on="9999-12-31", text="Đã họp với 15 trường", next="/bang-dieu-khien/")

    html = render_partial(task, district_officer, session=client.session)
    assert '<details class="extras task-progress" open>' in html
    assert "Ngày ghi nhận không được sau hôm nay." in html
    assert "Đã họp với 15 trường</textarea>" in html
    assert 'value="9999-12-31"' in html
    # Shown once: the next page has a fresh form again.
    session = client.session
    render_partial(task, district_officer, session=session)
    session.save()
    assert "Đã họp với 15 trường" not in render_partial(task, district_officer, session=client.session)
