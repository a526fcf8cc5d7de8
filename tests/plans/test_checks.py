from decimal import Decimal

import pytest

from indicators.wording import parse_value
from plans.checks import Cell, row_warnings


def cell(label, wording):
    parsed = parse_value(wording)
    return Cell(
        label=label, kind=parsed.kind, value=parsed.value, numerator=parsed.numerator, denominator=parsed.denominator
    )


def warnings(unit, direction, baseline, *milestones):
    return row_warnings(
        unit=unit,
        direction=direction,
        baseline=cell("Hiện trạng 2024", baseline) if baseline is not None else None,
        milestones=[cell(f"Chỉ tiêu {year}", wording) for year, wording in zip((2025, 2030), milestones, strict=False)],
    )


@pytest.mark.parametrize(
    "unit,direction,baseline,m2025,m2030,expected",
    [
        # Vĩnh Bảo Phụ lục I rows, as printed
        ("ratio", "higher", "79,3%", "78%", "86%", ["Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)."]),
        ("ratio", "higher", "27,2%", "Trên 35%", "30%", ["Chỉ tiêu 2030 kém hơn Chỉ tiêu 2025."]),
        ("ratio", "lower", "0,02%", "< 3%", "< 0,02%", ["Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)."]),
        ("ratio", "higher", "100%", "100%", "Đạt", ["Chỉ tiêu 2030 không phải dạng giá trị của chỉ số này."]),
        (
            "count",
            "higher",
            "06 trường",
            "03 trường",
            "7 trường",
            ["Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)."],
        ),
        ("ratio", "higher", "0%", "4-6%", "10%", []),
        ("ratio", "higher", "87,5%", "87%-88%", "88%", ["Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)."]),
        ("stage", "higher", "Chưa đánh giá", "Hoàn thành giai đoạn 1", "Hoàn thành giai đoạn 2", []),
        ("stage", "higher", "Chưa đánh giá", "đang thực hiện", "???", []),  # ??? is flagged by the parser
        ("boolean", "higher", "93.33%", "100%", "100%", []),
        ("count", "higher", "", "03 trường", "30 trường", []),
        ("ratio", "higher", None, "99,9%", "", []),
        # The same share written with other rounding is not a change (indicators.rates).
        ("ratio", "higher", "83,33%", "83,3%", "83,33%", []),
        ("ratio", "higher", "5/6 trường", "83,3%", "83%", []),
        ("ratio", "higher", "5/6 trường (83,33%)", "83,33%", "5/6 trường", []),
        ("ratio", "lower", "83,3%", "5/6 trường", "83,33%", []),
        # … but a real step down stays one: 100% then 99,9%, 13/15 then 86,6% (a truncation, not 86,7%).
        ("ratio", "higher", "100%", "99,9%", "100%", ["Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)."]),
        ("ratio", "higher", "13/15 trường", "86,6%", "90%", ["Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)."]),
        ("ratio", "higher", "83,33%", "83%", "85%", ["Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)."]),
        # Ranks are better when lower, whatever the direction; scores compare as numbers.
        ("stage", "higher", "xếp thứ 7", "tốp đầu", "dẫn đầu", []),
        ("stage", "higher", "xếp thứ 2", "tốp 5", "dẫn đầu", ["Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)."]),
        (
            "score",
            "higher",
            "6,5 điểm",
            "6,0 điểm trở lên",
            "7 điểm",
            ["Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)."],
        ),
    ],
)
def test_row_warnings(unit, direction, baseline, m2025, m2030, expected):
    assert warnings(unit, direction, baseline, m2025, m2030) == expected


def test_a_range_indicator_is_not_ranked():
    assert warnings("ratio", "range", "50%", "40%", "30%") == []


def test_percent_and_count_cells_are_not_compared():
    # "Số trường đạt chuẩn quốc gia": 92% of schools now, "33 trường" later: different scales.
    assert warnings("boolean", "higher", "92%", "33 trường", "38 trường") == []


def test_cells_keep_decimal_values():
    assert cell("x", "22,78%").value == Decimal("22.78")
