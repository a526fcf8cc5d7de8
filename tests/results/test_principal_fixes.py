"""The principal's form when something must be fixed: the summary after a refused save, the focus
on the first refused input, the office's comments on single values, and the free-text limits."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from results.models import ResultValue, SubmissionEvent
from results.services import submission_return, submission_submit
from results.validation import TEXT_MAX_LENGTH
from tests.results.test_principal_pages import complete_form, edit_url, field_block, targets_of

pytestmark = pytest.mark.django_db


def autofocused(html: str) -> list[str]:
    """The names of the inputs that carry `autofocus`."""
    return re.findall(r'<(?:input|textarea|select)[^>]*\bautofocus\b[^>]*name="([^"]+)"', html) + re.findall(
        r'<(?:input|textarea|select)[^>]*name="([^"]+)"[^>]*\bautofocus\b', html
    )


def test_a_refused_save_lists_what_to_fix_with_links_and_focuses_the_first(client, principal_a, school_a, period, plan):
    rate, count = targets_of(plan)
    client.force_login(principal_a)
    data = complete_form(
        plan, 1, action="save", **{f"t{rate.pk}-numerator": "130", f"t{rate.pk}-denominator": "120"}
    ) | {f"t{count.pk}-number": "abc"}
    response = client.post(edit_url(period, school_a), data)
    html = response.content.decode()
    assert response.status_code == 200
    summary = html[html.index('id="loi-chung"') : html.index("</div>", html.index('id="loi-chung"'))]
    assert "Cần sửa 2 giá trị:" in summary
    assert f'<a href="#id_t{rate.pk}-numerator">Tỷ lệ huy động trẻ</a>' in summary
    assert f'<a href="#id_t{count.pk}-number">Số trường đạt chuẩn</a>' in summary
    assert "Tử số không được lớn hơn mẫu số." in summary
    # Each message also beside its field; the cursor goes to the first one only.
    assert "Tử số không được lớn hơn mẫu số." in field_block(html, f"t{rate.pk}-numerator")
    assert autofocused(html) == [f"t{rate.pk}-numerator"]
    # What was typed is kept; the progress and the days left stay at the top.
    assert 'value="130"' in html and 'value="abc"' in html
    assert "0/2 đã nhập" in html and "data-countdown" in html
    assert not ResultValue.objects.exists()


def test_a_refused_submit_links_to_the_missing_value(client, principal_a, school_a, period, plan):
    _rate, count = targets_of(plan)
    client.force_login(principal_a)
    data = complete_form(plan, 1, action="submit", **{f"t{count.pk}-number": ""})
    html = client.post(edit_url(period, school_a), data).content.decode()
    assert "Cần sửa 1 giá trị:" in html
    assert f'<a href="#id_t{count.pk}-number">Số trường đạt chuẩn</a>' in html
    assert autofocused(html) == [f"t{count.pk}-number"]


def test_a_page_without_errors_has_no_summary_and_no_autofocus(client, principal_a, school_a, period):
    client.force_login(principal_a)
    html = client.get(edit_url(period, school_a)).content.decode()
    assert "Cần sửa" not in html and autofocused(html) == []


def test_the_progress_counts_what_was_saved_before_a_refused_save(client, principal_a, school_a, period, plan):
    _rate, count = targets_of(plan)
    client.force_login(principal_a)
    client.post(edit_url(period, school_a), complete_form(plan, 1))
    html = client.post(
        edit_url(period, school_a), complete_form(plan, 2, **{f"t{count.pk}-number": "-1"})
    ).content.decode()
    assert "Cần sửa 1 giá trị:" in html and "2/2 đã nhập" in html


@pytest.mark.parametrize(
    "note,message",
    [
        ("a" * (TEXT_MAX_LENGTH + 1), "Ghi tối đa 2.000 ký tự (đang có 2.001)."),
        ("Danh sách\x00 trẻ", "ký tự rỗng"),
    ],
)
def test_a_note_too_long_or_with_a_nul_is_refused_in_vietnamese(
    client, principal_a, school_a, period, plan, note, message
):
    rate, _count = targets_of(plan)
    client.force_login(principal_a)
    response = client.post(edit_url(period, school_a), complete_form(plan, 1, **{f"t{rate.pk}-note": note}))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in field_block(html, f"t{rate.pk}-note")
    assert "Cần sửa 1 giá trị:" in html
    assert not ResultValue.objects.exists()


def test_a_nul_in_a_value_is_refused_in_vietnamese(client, principal_a, school_a, period, plan):
    rate, _count = targets_of(plan)
    client.force_login(principal_a)
    response = client.post(edit_url(period, school_a), complete_form(plan, 1, **{f"t{rate.pk}-numerator": "8\x001"}))
    assert response.status_code == 200
    assert "ký tự rỗng" in field_block(response.content.decode(), f"t{rate.pk}-numerator")


def test_a_note_of_exactly_the_maximum_is_kept(client, principal_a, school_a, period, plan):
    rate, _count = targets_of(plan)
    client.force_login(principal_a)
    note = "ă" * TEXT_MAX_LENGTH
    response = client.post(edit_url(period, school_a), complete_form(plan, 1, **{f"t{rate.pk}-note": note}))
    assert response.status_code == 302
    assert ResultValue.objects.get(target=rate).note == note


# --- the office's comments on single values --------------------------------------------------


@pytest.fixture
def returned_with_notes(client, principal_a, school_a, period, plan, district_officer):
    """School A's report, sent, then returned with a comment on the count only."""
    client.force_login(principal_a)
    client.post(edit_url(period, school_a), complete_form(plan, 1, action="submit"))
    rate, count = targets_of(plan)
    submission = school_a.submissions.get(period=period)
    return submission_return(
        submission=submission,
        by=district_officer,
        comment="Xem lại số trường",
        notes={count: "Chỉ có 4 trường có quyết định công nhận.", rate: "  "},
        expected_version=None,
    )


def test_the_principal_sees_each_comment_beside_its_value_and_listed_at_the_top(
    client, principal_a, school_a, period, plan, returned_with_notes
):
    rate, count = targets_of(plan)
    html = client.get(edit_url(period, school_a)).content.decode()
    top = html[html.index('id="y-kien-tra-lai"') : html.index("</div>", html.index('id="y-kien-tra-lai"'))]
    assert "Xem lại số trường" in top and "Phòng đề nghị sửa 1 giá trị:" in top
    assert f'<a href="#id_t{count.pk}-number">Số trường đạt chuẩn</a>: Chỉ có 4 trường' in top
    count_block = html[html.index(f'id="chi-tieu-{count.pk}"') :]
    assert count_block.index("Phòng GD&ĐT: Chỉ có 4 trường có quyết định công nhận.") < count_block.index(
        f'name="t{count.pk}-number"'
    )
    rate_block = html[html.index(f'id="chi-tieu-{rate.pk}"') : html.index(f'id="chi-tieu-{count.pk}"')]
    assert "data-review-note" not in rate_block  # a blank comment is no comment


def test_once_sent_again_the_comments_stay_in_the_history_only(
    client, principal_a, school_a, period, plan, returned_with_notes
):
    _rate, count = targets_of(plan)
    response = client.post(
        edit_url(period, school_a),
        complete_form(plan, returned_with_notes.version, action="submit", **{f"t{count.pk}-number": "4"}),
    )
    assert response.status_code == 302
    html = client.get(edit_url(period, school_a)).content.decode()
    assert "data-review-note" not in html and "Phòng đề nghị sửa" not in html
    history = html[html.index('id="lich-su-xu-ly"') :]
    assert "Chỉ có 4 trường có quyết định công nhận." in history
    assert [e.action for e in returned_with_notes.events.all()] == [
        SubmissionEvent.Action.SUBMITTED,
        SubmissionEvent.Action.RETURNED,
        SubmissionEvent.Action.SUBMITTED,
    ]


def test_a_report_returned_without_value_comments_shows_no_list(
    client, principal_a, school_a, submission_a, fill_values, district_officer
):
    fill_values(submission_a, by=principal_a)
    submission_submit(
        submission=submission_a,
        targets=list(submission_a.period.plan.targets.all()),
        by=principal_a,
        expected_version=None,
    )
    submission_return(submission=submission_a, by=district_officer, comment="Sai", expected_version=None)
    client.force_login(principal_a)
    html = client.get(reverse("reports:edit", args=[submission_a.period.pk, school_a.pk])).content.decode()
    assert "Sai" in html and "Phòng đề nghị sửa" not in html
