"""Budget planned against spent: plans.services.budget_spending_record, plans.selectors.plan_budget_progress,
the POST view plans:spending_record for each role of the cast, and the form partial."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from plans.models import BudgetLine, BudgetSpending, FundingSource, Plan
from plans.selectors import plan_budget_progress
from plans.services import budget_spending_record

D = Decimal


def line_of(plan, number) -> BudgetLine:
    return BudgetLine.objects.get(plan=plan, number=number)


def sources(*names):
    return [FundingSource.objects.get_or_create(name=name)[0] for name in names]


@pytest.fixture
def budget(district):
    """A small plan by hand, figures in million VND:
    1  Cơ sở vật chất (states 300)       1.1  200   Ngân sách huyện
                                          1.2  150   Ngân sách huyện + Xã hội hóa
    2  Đào tạo (Ngân sách huyện)          2.1  —     Xã hội hóa (not costed)
                                          2.2  40,5  (its section's source)
    3  Khác                                      —     (no source, not costed)
    Spent: 1.1 50 in 2024 and 30,25 in 2025; 1.2 0 in 2025; 2.2 12,5 in 2025."""
    plan = Plan.objects.create(
        title="Kế hoạch kinh phí thử nghiệm",
        issuer=district,
        period_start_year=2024,
        period_end_year=2025,
        orientation_year=2030,
        budget_stated_total=D(400),
    )
    rows = [
        ("1", "Cơ sở vật chất", D(300), []),
        ("1.1", "Xây phòng học", D(200), ["Ngân sách huyện"]),
        ("1.2", "Mua thiết bị", D(150), ["Xã hội hóa", "Ngân sách huyện"]),
        ("2", "Đào tạo", None, ["Ngân sách huyện"]),
        ("2.1", "Bồi dưỡng giáo viên", None, ["Xã hội hóa"]),
        ("2.2", "Tập huấn", D("40.5"), []),
        ("3", "Khác", None, []),
    ]
    for order, (number, content, amount, names) in enumerate(rows, start=1):
        line = BudgetLine.objects.create(plan=plan, number=number, order=order, content=content, amount=amount)
        line.funding_sources.set(sources(*names))
    for number, year, amount in [
        ("1.1", 2024, "50"),
        ("1.1", 2025, "30.25"),
        ("1.2", 2025, "0"),
        ("2.2", 2025, "12.5"),
    ]:
        BudgetSpending.objects.create(line=line_of(plan, number), year=year, amount=D(amount))
    return plan


# --- the selector ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_progress_by_section_over_all_years(budget):
    progress = plan_budget_progress(plan=budget)

    assert progress.year is None
    assert [(s.line.number, s.line.content) for s in progress.sections] == [
        ("1", "Cơ sở vật chất"),
        ("2", "Đào tạo"),
        ("3", "Khác"),
    ]
    assert [(s.planned, s.spent, s.share_percent) for s in progress.sections] == [
        (D(350), D("80.25"), D("22.93")),
        (D("40.5"), D("12.5"), D("30.86")),
        (None, None, None),  # not costed and nothing recorded: no amount, not 0
    ]
    assert [s.stated for s in progress.sections] == [D(300), None, None]
    assert [s.has_uncosted_lines for s in progress.sections] == [False, True, True]
    assert (progress.total.planned, progress.total.spent, progress.total.share_percent) == (
        D("390.5"),
        D("92.75"),
        D("23.75"),
    )
    assert progress.stated_total == D(400)


@pytest.mark.django_db
def test_progress_by_funding_source_reports_combined_sources_under_their_combined_name(budget):
    progress = plan_budget_progress(plan=budget)

    assert [(s.name, s.planned, s.spent) for s in progress.sources] == [
        ("Ngân sách huyện", D("240.5"), D("92.75")),  # 1.1 and 2.2 (its section's source)
        ("Ngân sách huyện + Xã hội hóa", D(150), D(0)),
        ("Xã hội hóa", None, None),
        ("Chưa ghi nguồn", None, None),
    ]
    assert progress.sources[1].share_percent == D("0.00")


@pytest.mark.django_db
def test_progress_of_one_year_counts_that_years_spending_only(budget):
    progress = plan_budget_progress(plan=budget, year=2025)
    assert [(s.planned, s.spent) for s in progress.sections] == [
        (D(350), D("30.25")),
        (D("40.5"), D("12.5")),
        (None, None),
    ]
    assert progress.total.spent == D("42.75")

    progress = plan_budget_progress(plan=budget, year=2024)
    assert [s.spent for s in progress.sections] == [D(50), None, None]
    assert plan_budget_progress(plan=budget, year=2026).total.spent is None


@pytest.mark.django_db
def test_lines_come_in_numeric_order_with_their_spending(budget):
    progress = plan_budget_progress(plan=budget, year=2025)

    assert [(r.line.number, r.depth, r.is_section) for r in progress.lines] == [
        ("1", 0, True),
        ("1.1", 1, False),
        ("1.2", 1, False),
        ("2", 0, True),
        ("2.1", 1, False),
        ("2.2", 1, False),
        ("3", 0, False),
    ]
    by_number = {r.line.number: r for r in progress.lines}
    assert (by_number["1"].planned, by_number["1"].spent) == (D(350), D("30.25"))
    assert by_number["1"].spending is None  # a section takes no spending of its own
    assert (by_number["1.2"].planned, by_number["1.2"].spent) == (D(150), D(0))  # 0 spent is an amount
    assert by_number["1.2"].spending.amount == D(0)
    assert (by_number["2.1"].planned, by_number["2.1"].spent, by_number["2.1"].spending) == (None, None, None)
    assert by_number["1.2"].funding == "Ngân sách huyện + Xã hội hóa"
    assert by_number["2.2"].funding == "Ngân sách huyện"
    assert by_number["3"].funding == ""


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_progress_takes_the_same_queries_whatever_the_number_of_lines(district, count, django_assert_max_num_queries):
    plan = Plan.objects.create(title="Nhiều dòng", issuer=district, period_start_year=2024, period_end_year=2025)
    BudgetLine.objects.create(plan=plan, number="1", order=0, content="Mục")
    for n in range(1, count + 1):
        line = BudgetLine.objects.create(plan=plan, number=f"1.{n}", order=n, content=f"Dòng {n}", amount=D(10))
        line.funding_sources.set(sources("Ngân sách huyện", "Xã hội hóa") if n % 2 else sources("Ngân sách tỉnh"))
        BudgetSpending.objects.create(line=line, year=2024, amount=D(1))
        BudgetSpending.objects.create(line=line, year=2025, amount=D(2))

    with django_assert_max_num_queries(3):
        progress = plan_budget_progress(plan=plan)
        assert progress.total.planned == D(10 * count)
        assert progress.total.spent == D(3 * count)
        assert all(row.line.plan is plan for row in progress.lines)  # no query per line
    with django_assert_max_num_queries(3):
        assert plan_budget_progress(plan=plan, year=2025).total.spent == D(2 * count)


# --- the service ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_creates_then_updates_the_years_record_with_its_author(plan, district_officer, superuser):
    line = line_of(plan, "1.1")
    spending = budget_spending_record(line=line, year=2025, amount=D("1234.5"), note=" Quý I ", by=district_officer)
    assert (spending.amount, spending.note, spending.recorded_by) == (D("1234.5"), "Quý I", district_officer)
    assert spending.history.get().history_user == district_officer

    again = budget_spending_record(line=line, year=2025, amount=D(1300), note="Cả năm", by=superuser)
    assert again.pk == spending.pk
    assert BudgetSpending.objects.get().amount == D(1300)
    assert again.recorded_by == superuser
    latest = again.history.latest()
    assert (latest.history_user, latest.amount, latest.prev_record.amount) == (superuser, D(1300), D("1234.5"))


@pytest.mark.django_db
def test_the_same_figures_again_write_nothing(plan, district_officer):
    line = line_of(plan, "1.1")
    budget_spending_record(line=line, year=2025, amount=D(5), note="", by=district_officer)
    budget_spending_record(line=line, year=2025, amount=D("5.000"), note="", by=district_officer)
    assert BudgetSpending.history.count() == 1


@pytest.mark.django_db
def test_zero_is_an_amount_stored_and_shown_as_zero(plan, district_officer):
    budget_spending_record(
        line=line_of(plan, "1.2"), year=2024, amount=D(0), note="Chưa giải ngân", by=district_officer
    )

    assert BudgetSpending.objects.get().amount == D(0)
    progress = plan_budget_progress(plan=plan)
    assert progress.total.spent == D(0)
    assert progress.sections[0].spent == D(0)
    assert progress.sections[0].share_percent == D("0.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "year", "amount", "note", "field", "message"),
    [
        ("1", 2025, D(5), "", "line", "Mục 1 có các dòng con"),
        ("1.1", 2023, D(5), "", "year", "Năm phải trong giai đoạn của kế hoạch, từ 2024 đến 2030."),
        ("1.1", 2031, D(5), "", "year", "Năm phải trong giai đoạn của kế hoạch, từ 2024 đến 2030."),
        ("1.1", 2025, None, "", "amount", "Nhập số tiền đã chi (triệu đồng)."),
        ("1.1", 2025, D(-5), "", "amount", "Số tiền đã chi không được âm."),
        ("1.1", 2025, D("1e13"), "", "amount", "Số tiền quá lớn: tối đa 9.999.999.999.999,999 triệu đồng."),
        ("1.1", 2025, D("1e999"), "", "amount", "Số tiền quá lớn"),
        ("1.1", 2025, D("NaN"), "", "amount", "Số tiền đã chi phải là một số."),
        ("1.1", 2025, D("0.0001"), "", "amount", "Số tiền ghi tối đa 3 chữ số thập phân"),
        ("1.1", 2025, D(5), "a\x00b", "note", "Ghi chú có ký tự không hợp lệ (NUL)."),
        ("1.1", 2025, D(5), "x" * 1001, "note", "Ghi chú dài quá 1000 ký tự."),
    ],
)
def test_it_refuses_in_vietnamese_and_stores_nothing(
    plan, district_officer, number, year, amount, note, field, message
):
    with pytest.raises(ValidationError) as caught:
        budget_spending_record(line=line_of(plan, number), year=year, amount=amount, note=note, by=district_officer)
    assert message in " ".join(caught.value.message_dict[field])
    assert not BudgetSpending.objects.exists()


@pytest.mark.django_db
def test_a_year_still_to_come_is_refused(plan, district_officer):
    Plan.objects.filter(pk=plan.pk).update(orientation_year=2100)
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError) as caught:
        budget_spending_record(line=line_of(plan, "1.1"), year=next_year, amount=D(5), note="", by=district_officer)
    assert caught.value.message_dict["year"] == [
        f"Chưa đến năm {next_year}: chỉ ghi số đã chi của năm nay và các năm trước."
    ]


@pytest.mark.django_db
def test_a_line_with_spending_is_not_deleted_with_its_plan(plan, district_officer):
    from django.db.models import ProtectedError

    budget_spending_record(line=line_of(plan, "1.1"), year=2025, amount=D(5), note="", by=district_officer)
    with pytest.raises(ProtectedError):
        plan.delete()


# --- the view, for each role --------------------------------------------------------------------


def post(client, line, **data):
    payload = {"year": "2025", "amount": "1.234,5", "note": "Quý I"} | data
    return client.post(reverse("plans:spending_record", args=[line.pk]), payload)


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_office_staff_of_the_issuer_record_spending_typed_the_vietnamese_way(client, district_officer, plan):
    line = line_of(plan, "1.1")
    client.force_login(district_officer)
    response = post(client, line, next="/bang-dieu-khien/?nam=2025")

    assert response.status_code == 302
    assert response["Location"] == "/bang-dieu-khien/?nam=2025"
    spending = BudgetSpending.objects.get()
    assert (spending.line, spending.year, spending.amount, spending.note) == (line, 2025, D("1234.5"), "Quý I")
    assert spending.history.get().history_user == district_officer
    assert message_texts(response) == ["Đã ghi 1.234,5 triệu đồng đã chi năm 2025 cho dòng 1.1."]


@pytest.mark.django_db
def test_zero_typed_is_stored_and_said_as_zero(client, district_officer, plan):
    client.force_login(district_officer)
    response = post(client, line_of(plan, "1.2"), amount="0")
    assert BudgetSpending.objects.get().amount == D(0)
    assert message_texts(response) == ["Đã ghi 0 triệu đồng đã chi năm 2025 cho dòng 1.2."]


@pytest.mark.django_db
def test_without_a_safe_next_it_goes_back_to_the_plans_budget(client, district_officer, plan):
    client.force_login(district_officer)
    response = post(client, line_of(plan, "1.1"), next="https://evil.example/")
    assert response["Location"] == reverse("plans:detail", args=[plan.pk]) + "#kinh-phi"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("district_leader", 403), ("principal_a", 403), ("commune_officer", 403), ("other_district_officer", 404)],
)
def test_others_are_refused_and_nothing_is_stored(client, request, plan, role, status):
    client.force_login(request.getfixturevalue(role))
    assert post(client, line_of(plan, "1.1")).status_code == status
    assert not BudgetSpending.objects.exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, plan):
    response = post(client, line_of(plan, "1.1"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not BudgetSpending.objects.exists()


@pytest.mark.django_db
def test_it_is_post_only(client, district_officer, plan):
    client.force_login(district_officer)
    assert client.get(reverse("plans:spending_record", args=[line_of(plan, "1.1").pk])).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "abc"}, "Không đọc được số tiền “abc”. Ghi số theo kiểu Việt Nam, ví dụ 1.234,5 hoặc 0."),
        ({"amount": "-5"}, "Số tiền đã chi không được âm."),
        ({"amount": "1e999"}, "Không đọc được số tiền “1e999”."),
        ({"amount": "9" * 40}, "Không đọc được số tiền"),
        ({"amount": "99.999.999.999.999"}, "Số tiền quá lớn: tối đa 9.999.999.999.999,999 triệu đồng."),
        ({"amount": "1,2345"}, "Số tiền ghi tối đa 3 chữ số thập phân"),
        ({"amount": "1,234.5"}, "Không đọc được số tiền “1,234.5”."),
        ({"amount": "< 5"}, "Không đọc được số tiền “< 5”."),
        ({"amount": "٣"}, "Không đọc được số tiền “٣”."),
        ({"amount": ""}, "Nhập số tiền đã chi (triệu đồng)."),
        ({"note": "Quý\x00I"}, "Nội dung có ký tự không hợp lệ (NUL)."),
        ({"note": "x" * 1001}, "Nội dung dài quá 1000 ký tự (đang có 1001)."),
        ({"year": "abc"}, "Năm không hợp lệ."),
        ({"year": "2023"}, "Năm phải trong giai đoạn của kế hoạch, từ 2024 đến 2030."),
        ({"year": ""}, "Chọn năm."),
    ],
)
def test_bad_input_gives_a_message_and_stores_nothing(client, district_officer, plan, data, message):
    client.force_login(district_officer)
    response = post(client, line_of(plan, "1.1"), **data)

    assert response.status_code == 302
    [text] = message_texts(response)
    assert text.startswith("Chưa ghi số đã chi cho dòng 1.1: ")
    assert message in text
    assert not BudgetSpending.objects.exists()


@pytest.mark.django_db
def test_a_section_takes_no_spending(client, district_officer, plan):
    client.force_login(district_officer)
    response = post(client, line_of(plan, "1"))
    assert message_texts(response) == [
        "Chưa ghi số đã chi cho dòng 1: Mục 1 có các dòng con: ghi số đã chi vào từng dòng, mục tự cộng lại."
    ]
    assert not BudgetSpending.objects.exists()


# --- the partial ----------------------------------------------------------------------------------


def render_partial(user, session=None, **context) -> str:
    request = RequestFactory().get("/bang-dieu-khien/")
    request.user = user
    if session is not None:
        request.session = session
    return render_to_string("plans/_spending_form.html", {"next": "/bang-dieu-khien/", **context}, request=request)


@pytest.mark.django_db
def test_the_partial_shows_the_years_amount_the_vietnamese_way(district_officer, budget):
    budget_spending_record(line=line_of(budget, "1.1"), year=2025, amount=D("1234.5"), note="", by=district_officer)
    row = next(r for r in plan_budget_progress(plan=budget, year=2025).lines if r.line.number == "1.1")

    html = render_partial(district_officer, line=row.line, year=2025, spending=row.spending)
    assert "<summary>Cập nhật</summary>" in html
    assert f'action="{reverse("plans:spending_record", args=[row.line.pk])}"' in html
    assert '<input type="hidden" name="year" value="2025">' in html
    assert 'value="1.234,5"' in html

    zero = next(r for r in plan_budget_progress(plan=budget, year=2025).lines if r.line.number == "1.2")
    assert 'name="amount" value="0"' in render_partial(
        district_officer, line=zero.line, year=2025, spending=zero.spending
    )


@pytest.mark.django_db
def test_without_a_year_the_partial_offers_the_plans_years_up_to_this_one(district_officer, plan):
    html = render_partial(district_officer, line=line_of(plan, "1.1"))
    last = min(2030, timezone.localdate().year)
    assert f'<option value="{last}" selected>{last}</option>' in html
    assert '<option value="2024">2024</option>' in html
    assert "2031" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["district_leader", "principal_a", "commune_officer", "other_district_officer"])
def test_the_partial_shows_nothing_to_those_who_cannot_record(request, plan, role):
    assert render_partial(request.getfixturevalue(role), line=line_of(plan, "1.1"), year=2025).strip() == ""


@pytest.mark.django_db
def test_a_refused_form_comes_back_open_with_what_was_typed(client, district_officer, plan):
    client.force_login(district_officer)
    post(client, line_of(plan, "1.1"), amount="-5", note="Tạm ứng đợt 1")

    html = render_partial(district_officer, session=client.session, line=line_of(plan, "1.1"), year=2025)
    assert '<details class="extras spending" open>' in html
    assert "Số tiền đã chi không được âm." in html
    assert 'value="-5"' in html
    assert "Tạm ứng đợt 1</textarea>" in html
