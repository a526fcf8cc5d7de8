"""Every kind of bad input gets its Vietnamese message, next to the field, and nothing is stored.

The first half is a table through results.validation.validate_value (no DB); the second half
posts the same kinds of mistakes through the principal's real page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from results.models import ResultValue
from results.services import submission_get_or_create
from results.validation import validate_value

STAGES = ["Mức độ 1", "Mức độ 2", "Mức độ 3"]
NOT_A_NUMBER = "Hãy nhập một số, ví dụ 79,3."
NOT_WHOLE = "Số lượng phải là số nguyên."
NEGATIVE = "Không nhận số âm."
MISSING = "Chưa nhập giá trị."


def check(unit, raw, *, last=None, confirmed=False, required=False):
    return validate_value(unit=unit, raw=raw, stages=STAGES, last=last, confirmed=confirmed, required=required)


BAD = [
    # percent
    ("percent", {"number": "abc"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "1e5"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "∞"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "NaN"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "Infinity"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "12,3,4"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "1,234.5"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "+5"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "7 9"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "٧٩"}, False, "number", NOT_A_NUMBER),  # other scripts' digits
    ("percent", {"number": "9" * 5000}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "50%%"}, False, "number", NOT_A_NUMBER),
    ("percent", {"number": "-5"}, False, "number", NEGATIVE),
    ("percent", {"number": "−5"}, False, "number", NEGATIVE),  # a typographic minus
    ("percent", {"number": "100,5"}, False, "number", "Tỷ lệ phải từ 0 đến 100."),
    ("percent", {"number": "150%"}, False, "number", "Tỷ lệ phải từ 0 đến 100."),
    ("percent", {"number": "79,333"}, False, "number", "Tỷ lệ ghi tối đa 2 chữ số sau dấu phẩy."),
    ("percent", {"number": ""}, True, "number", MISSING),
    ("percent", {"number": "   "}, True, "number", MISSING),
    # count
    ("count", {"number": "5,5"}, False, "number", NOT_WHOLE),
    ("count", {"number": "5.5"}, False, "number", NOT_WHOLE),
    ("count", {"number": "abc"}, False, "number", NOT_WHOLE),
    ("count", {"number": "1e3"}, False, "number", NOT_WHOLE),
    ("count", {"number": "1.23"}, False, "number", NOT_WHOLE),
    ("count", {"number": "9" * 40}, False, "number", NOT_WHOLE),
    ("count", {"number": "-3"}, False, "number", NEGATIVE),
    ("count", {"number": "123456789012"}, False, "number", "Số quá lớn, hãy kiểm tra lại."),
    ("count", {"number": ""}, True, "number", MISSING),
    # ratio
    ("ratio", {"numerator": "90", "denominator": "80"}, False, "numerator", "Tử số không được lớn hơn mẫu số."),
    ("ratio", {"numerator": "0", "denominator": "0"}, False, "denominator", "Mẫu số phải lớn hơn 0."),
    ("ratio", {"numerator": "-1", "denominator": "80"}, False, "numerator", NEGATIVE),
    ("ratio", {"numerator": "5", "denominator": "-8"}, False, "denominator", NEGATIVE),
    ("ratio", {"numerator": "2,5", "denominator": "80"}, False, "numerator", NOT_WHOLE),
    ("ratio", {"numerator": "5", "denominator": "NaN"}, False, "denominator", NOT_WHOLE),
    ("ratio", {"numerator": "5", "denominator": ""}, False, "denominator", "Hãy nhập cả mẫu số."),
    ("ratio", {"numerator": "", "denominator": "5"}, False, "numerator", "Hãy nhập cả tử số."),
    ("ratio", {"numerator": "5", "denominator": ""}, True, "denominator", MISSING),
    ("ratio", {"numerator": "", "denominator": ""}, True, "numerator", MISSING),
    ("ratio", {"numerator": "", "denominator": ""}, True, "denominator", MISSING),
    # stage
    ("stage", {"stage": "Mức độ 9"}, False, "stage", "Hãy chọn một mức trong danh sách."),
    ("stage", {"stage": "x" * 5000}, False, "stage", "Hãy chọn một mức trong danh sách."),
    ("stage", {"stage": ""}, True, "stage", MISSING),
    # boolean
    ("boolean", {"boolean": "maybe"}, False, "boolean", "Hãy chọn Đạt hoặc Không đạt."),
    ("boolean", {"boolean": ""}, True, "boolean", MISSING),
    # score: a mean mark out of 10 and the pupils it is the mean of
    ("score", {"number": "10,5", "denominator": "30"}, False, "number", "Điểm phải từ 0 đến 10."),
    ("score", {"number": "11", "denominator": "30"}, False, "number", "Điểm phải từ 0 đến 10."),
    ("score", {"number": "5,123", "denominator": "30"}, False, "number", "Điểm ghi tối đa 2 chữ số sau dấu phẩy."),
    ("score", {"number": "abc", "denominator": "30"}, False, "number", NOT_A_NUMBER),
    ("score", {"number": "-1", "denominator": "30"}, False, "number", NEGATIVE),
    ("score", {"number": "5,4", "denominator": "0"}, False, "denominator", "Số học sinh phải lớn hơn 0."),
    ("score", {"number": "5,4", "denominator": "2,5"}, False, "denominator", NOT_WHOLE),
    ("score", {"number": "5,4", "denominator": ""}, False, "denominator", "Hãy nhập cả số học sinh."),
    ("score", {"number": "", "denominator": "30"}, False, "number", "Hãy nhập cả điểm trung bình."),
    ("score", {"number": "5,4", "denominator": ""}, True, "denominator", MISSING),
    ("score", {"number": "", "denominator": ""}, True, "number", MISSING),
    ("score", {"number": "", "denominator": ""}, True, "denominator", MISSING),
]


@pytest.mark.parametrize("unit,raw,required,key,message", BAD)
def test_a_bad_input_gets_its_message_on_its_input(unit, raw, required, key, message):
    _cleaned, errors = check(unit, raw, required=required)
    assert errors[key] == message


GOOD = [
    ("percent", {"number": "79,3"}, {"number": Decimal("79.3")}),
    ("percent", {"number": "79.3"}, {"number": Decimal("79.3")}),
    ("percent", {"number": " 79,3 % "}, {"number": Decimal("79.3")}),
    ("percent", {"number": "79,3\u00a0%"}, {"number": Decimal("79.3")}),
    ("percent", {"number": "100"}, {"number": Decimal(100)}),
    ("percent", {"number": "0"}, {"number": Decimal(0)}),
    ("percent", {"number": "-0"}, {"number": Decimal(0)}),
    ("count", {"number": "1.234"}, {"number": Decimal(1234)}),
    ("count", {"number": "344.050"}, {"number": Decimal(344050)}),
    ("count", {"number": "06"}, {"number": Decimal(6)}),
    ("count", {"number": "0"}, {"number": Decimal(0)}),
    ("ratio", {"numerator": "13", "denominator": "15"}, {"numerator": 13, "denominator": 15}),
    ("ratio", {"numerator": "0", "denominator": "15"}, {"numerator": 0, "denominator": 15}),
    ("ratio", {"numerator": "1.500", "denominator": "1.500"}, {"numerator": 1500, "denominator": 1500}),
    ("stage", {"stage": "Mức độ 2"}, {"stage": "Mức độ 2"}),
    ("boolean", {"boolean": "true"}, {"boolean": True}),
    ("boolean", {"boolean": "false"}, {"boolean": False}),
    ("score", {"number": "5,4", "denominator": "30"}, {"number": Decimal("5.4"), "denominator": 30}),
    ("score", {"number": "5.4", "denominator": "1.234"}, {"number": Decimal("5.4"), "denominator": 1234}),
    ("score", {"number": "10", "denominator": "1"}, {"number": Decimal(10), "denominator": 1}),
    ("score", {"number": "0", "denominator": "25"}, {"number": Decimal(0), "denominator": 25}),
]


@pytest.mark.parametrize("unit,raw,expected", GOOD)
def test_a_good_input_gives_the_cleaned_value(unit, raw, expected):
    cleaned, errors = check(unit, raw, required=True)
    assert errors == {}
    for key, value in expected.items():
        assert cleaned[key] == value
        assert type(cleaned[key]) is type(value)


@pytest.mark.parametrize("unit", ["percent", "count", "ratio", "stage", "boolean", "score"])
def test_a_draft_may_leave_any_value_empty(unit):
    cleaned, errors = check(unit, {}, required=False)
    assert errors == {}
    assert cleaned["number"] is None and cleaned["numerator"] is None and cleaned["boolean"] is None
    assert cleaned["stage"] == ""


FAR = [
    # unit, raw, last, is it far?
    ("percent", {"number": "40"}, Decimal("79.3"), True),
    ("percent", {"number": "59,3"}, Decimal("79.3"), False),  # exactly 20 points: not far
    ("percent", {"number": "59,2"}, Decimal("79.3"), True),
    ("ratio", {"numerator": "40", "denominator": "100"}, Decimal(80), True),
    ("ratio", {"numerator": "13", "denominator": "15"}, Decimal(80), False),
    ("count", {"number": "20"}, Decimal(6), True),
    ("count", {"number": "5"}, Decimal(3), False),  # 2 apart: small numbers move by a few
    ("count", {"number": "14"}, Decimal(10), False),  # 40 %: not far
    ("count", {"number": "16"}, Decimal(10), True),
    ("count", {"number": "3"}, Decimal(0), True),
    ("count", {"number": "2"}, Decimal(0), False),
    ("stage", {"stage": "Mức độ 1"}, Decimal(3), False),
    ("score", {"number": "7,5", "denominator": "30"}, Decimal("5.4"), True),
    ("score", {"number": "7,4", "denominator": "30"}, Decimal("5.4"), False),  # exactly 2 marks: not far
]


@pytest.mark.parametrize("unit,raw,last,far", FAR)
def test_a_value_far_from_last_year_asks_for_the_confirmation(unit, raw, last, far):
    _cleaned, errors = check(unit, raw, last=last)
    assert ("confirm" in errors) is far
    if far:
        assert errors["confirm"].startswith("Khác nhiều so với năm trước (")
        assert errors["confirm"].endswith("). Nếu đúng, hãy đánh dấu xác nhận.")


def test_the_confirmation_message_shows_last_years_value_in_vietnamese():
    _, errors = check("percent", {"number": "40"}, last=Decimal("79.3"))
    assert errors["confirm"] == "Khác nhiều so với năm trước (79,3\u00a0%). Nếu đúng, hãy đánh dấu xác nhận."
    _, errors = check("count", {"number": "1.500"}, last=Decimal(6))
    assert errors["confirm"] == "Khác nhiều so với năm trước (6). Nếu đúng, hãy đánh dấu xác nhận."


def test_a_confirmed_far_value_is_accepted_and_marked():
    cleaned, errors = check("percent", {"number": "40"}, last=Decimal("79.3"), confirmed=True)
    assert errors == {}
    assert cleaned["number"] == Decimal(40) and cleaned["confirmed_unusual"] is True


def test_a_tick_on_a_usual_value_is_not_kept():
    cleaned, _ = check("percent", {"number": "78"}, last=Decimal("79.3"), confirmed=True)
    assert cleaned["confirmed_unusual"] is False


def test_without_a_stage_list_any_short_text_is_a_stage():
    cleaned, errors = validate_value(
        unit="stage", raw={"stage": " Hoàn thành "}, stages=[], last=None, confirmed=False, required=True
    )
    assert errors == {} and cleaned["stage"] == "Hoàn thành"


# --- the same mistakes through the principal's page, and the office's page for its own unit ---


@pytest.fixture
def kinds(plan, add_target):
    """Every shape of question on the plan, by who answers it (results.questions): school A's
    principal answers the ratio and the count of the plan fixture, a share of schools (Đạt /
    Không đạt) and a score; the district's office enters the unit-level facts (aggregation
    "none"): a percent, a stage, a count, a yes/no."""
    school = {"ratio": targets_of(plan)[0], "count": targets_of(plan)[1]}
    school["boolean"] = add_target(plan, name="Đạt chuẩn quốc gia", unit="boolean", order=5, goal_2025="Đạt")
    school["score"] = add_target(plan, name="Điểm trung bình môn Toán", unit="score", order=6)
    unit = {
        "percent": add_target(
            plan, name="Tỷ lệ phổ cập giáo dục", unit="percent", order=3, goal_2025="90%", aggregation="none"
        ),
        "stage": add_target(plan, name="Mức độ chuyển đổi số", unit="stage", order=4, stages=STAGES),
        "count": add_target(plan, name="Số giáo viên được tập huấn", unit="count", order=7, aggregation="none"),
        "boolean": add_target(plan, name="Huyện đạt chuẩn phổ cập", unit="boolean", order=8, aggregation="none"),
    }
    return {"school": school, "unit": unit}


def targets_of(plan):
    targets = {t.indicator.unit: t for t in plan.targets.select_related("indicator").filter(order__in=[1, 2])}
    return targets["ratio"], targets["count"]


@pytest.fixture
def page_of(request, school_a, district, submission_a, period, fill_values):
    """page_of("school" | "unit") → (who posts, the form's URL, its submission with valid values)."""

    def make(who: str):
        if who == "school":
            user, unit, submission = request.getfixturevalue("principal_a"), school_a, submission_a
        else:
            user, unit = request.getfixturevalue("district_officer"), district
            submission = submission_get_or_create(period=period, school=district)
        fill_values(submission)
        return user, reverse("reports:edit", args=[period.pk, unit.pk]), submission

    return make


def field_block(html: str, name: str) -> str:
    """The page's markup from the input's field wrapper to the next field's: "next to"."""
    start = html.index(f'data-field="{name}"')
    end = html.find("data-field=", start + 1)
    return html[start : end if end != -1 else len(html)]


VIEW_CASES = [
    ("unit", "percent", {"number": "abc"}, "number", NOT_A_NUMBER),
    ("unit", "percent", {"number": "101"}, "number", "Tỷ lệ phải từ 0 đến 100."),
    ("school", "count", {"number": "2,5"}, "number", NOT_WHOLE),
    ("school", "count", {"number": "-4"}, "number", NEGATIVE),
    ("unit", "count", {"number": "-4"}, "number", NEGATIVE),
    ("school", "ratio", {"numerator": "120", "denominator": "100"}, "numerator", "Tử số không được lớn hơn mẫu số."),
    ("school", "ratio", {"numerator": "1", "denominator": "0"}, "denominator", "Mẫu số phải lớn hơn 0."),
    ("unit", "stage", {"stage": "Mức độ 9"}, "stage", "Hãy chọn một mức trong danh sách."),
    ("school", "boolean", {"boolean": "có lẽ"}, "boolean", "Hãy chọn Đạt hoặc Không đạt."),
    ("unit", "boolean", {"boolean": "có lẽ"}, "boolean", "Hãy chọn Đạt hoặc Không đạt."),
    ("school", "score", {"number": "10,5", "denominator": "30"}, "number", "Điểm phải từ 0 đến 10."),
    ("school", "score", {"number": "5,123", "denominator": "30"}, "number", "Điểm ghi tối đa 2 chữ số sau dấu phẩy."),
    ("school", "score", {"number": "5,4", "denominator": "0"}, "denominator", "Số học sinh phải lớn hơn 0."),
]


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["save", "submit"])
@pytest.mark.parametrize("who,question,typed,key,message", VIEW_CASES)
def test_the_page_refuses_a_bad_value_next_to_its_field_and_keeps_it(
    client, kinds, page_of, who, question, typed, key, message, action
):
    user, url, submission = page_of(who)
    before = list(ResultValue.objects.order_by("pk").values())
    target = kinds[who][question]
    data = {"version": submission.version, "action": action}
    data |= {f"t{target.pk}-{name}": value for name, value in typed.items()}
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    block = field_block(html, f"t{target.pk}-{key}")
    assert message in block
    if question not in ("stage", "boolean"):  # a select or radio cannot show a value it does not offer
        for name, value in typed.items():
            assert f'value="{value}"' in field_block(html, f"t{target.pk}-{name}")
    assert list(ResultValue.objects.order_by("pk").values()) == before
    submission.refresh_from_db()
    assert submission.status == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["school", "unit"])
@pytest.mark.parametrize(
    "garbage",
    ["", "abc", "1e5", "∞", "NaN", "12,3,4", "9" * 3000, "\x00", "<script>alert(1)</script>", "%", "-", ",", "."],
)
def test_no_input_gives_a_server_error(client, request, kinds, school_a, district, period, garbage, who):
    user = request.getfixturevalue("principal_a" if who == "school" else "district_officer")
    data = {"version": garbage or "1", "action": "submit"}
    for target in kinds[who].values():
        for name in ("number", "numerator", "denominator", "stage", "boolean", "note", "confirm"):
            data[f"t{target.pk}-{name}"] = garbage
    client.force_login(user)
    unit = school_a if who == "school" else district
    response = client.post(reverse("reports:edit", args=[period.pk, unit.pk]), data)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not ResultValue.objects.exists()


@pytest.mark.django_db
def test_a_stale_or_missing_version_is_a_message_not_an_error(client, principal_a, school_a, kinds, submission_a):
    client.force_login(principal_a)
    url = reverse("reports:edit", args=[submission_a.period_id, school_a.pk])
    for version in ["", "abc", "0", "99999999999999999999"]:
        response = client.post(url, {"version": version, "action": "save"})
        assert response.status_code == 200
        assert "Trang này đã cũ hoặc thiếu thông tin." in response.content.decode()
    response = client.post(url, {})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_far_value_shows_the_tick_and_is_saved_once_ticked(
    client, principal_a, school_a, plan, last_year, period, kinds
):
    count = kinds["school"]["count"]
    url = reverse("reports:edit", args=[period.pk, school_a.pk])
    client.force_login(principal_a)
    response = client.post(url, {"version": 1, "action": "save", f"t{count.pk}-number": "30"})
    block = field_block(response.content.decode(), f"t{count.pk}-confirm")
    assert "Khác nhiều so với năm trước (3). Nếu đúng, hãy đánh dấu xác nhận." in block
    assert 'type="checkbox"' in block
    assert not ResultValue.objects.filter(submission__period=period).exists()
    data = {"version": 1, "action": "save", f"t{count.pk}-number": "30", f"t{count.pk}-confirm": "on"}
    response = client.post(url, data)
    assert response.status_code == 302
    value = ResultValue.objects.get(submission__period=period, target=count)
    assert value.number == 30 and value.confirmed_unusual is True
