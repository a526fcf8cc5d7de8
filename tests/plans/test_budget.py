"""Budget arithmetic on Vĩnh Bảo's Phụ lục III, typed here from the document itself."""

from decimal import Decimal

import pytest

from plans.budget import BudgetRow, budget_summary, budget_tree, parse_line_number
from plans.services import amount_from_wording

# (STT, content, amount as printed). Section rows carry the subtotal the document writes in the
# heading; 1.2 has an empty amount cell; section 6 is printed "3000" without its thousands dot.
VINH_BAO_PHU_LUC_III = [
    ("1", "Nâng cấp và xây mới cơ sở vật chất", "260.000"),
    ("1.1", "Xây dựng, nâng cấp trường chuẩn quốc gia (mức độ II)", "260.000"),
    ("1.2", "Xây nhà đa năng, nhà ăn bán trú tại một số trường", None),
    ("2", "Đào tạo và bồi dưỡng giáo viên, cán bộ quản lý", "6.000"),
    ("2.1", "Bồi dưỡng nâng cao trình độ cho giáo viên, cán bộ quản lý.", "6.000"),
    ("2.2", "Khuyến khích hỗ trợ cho giáo viên đạt chuẩn và trên chuẩn", "350"),
    ("3", "Ứng dụng công nghệ thông tin và chuyển đổi số trong giáo dục", "61.450"),
    ("3.1", "Trang bị hệ thống quản lý giáo dục và hệ thống quản lý học sinh", "650"),
    ("3.2", "Đào tạo kỹ năng số cho giáo viên và học sinh", "800"),
    ("3.3", "Xây dựng 74 phòng học thông minh tại các cấp học, bậc học MN, TH, THCS", "45.000"),
    ("3.4", "Xây dựng thí điểm 01 trường học thông minh", "15.000"),
    ("4", "Nâng cao chất lượng giáo dục toàn diện", "3.000"),
    ("4.1", "Tổ chức các lớp tập huấn và nâng cao chất lượng giảng dạy", "2.500"),
    ("4.2", "Triển khai các chương trình phân luồng học sinh sau THCS, THPT", "500"),
    ("5", "Phát triển giáo dục nghề nghiệp và liên kết đào tạo", "1.700"),
    ("5.1", "Mở rộng liên kết đào tạo với các cơ sở giáo dục nghề nghiệp", "1.000"),
    ("5.2", "Hỗ trợ học sinh tham gia đào tạo nghề", "700"),
    ("6", "Tăng cường xã hội hóa trong giáo dục", "3000"),
    ("6.1", "Vận động nguồn tài trợ từ doanh nghiệp và các tổ chức xã hội", "3.000"),
    ("7", "Tuyên truyền và tổ chức sự kiện giáo dục", "8.900"),
    ("7.1", "Tổ chức các hoạt động tuyên truyền nâng cao nhận thức về giáo dục", "500"),
    ("7.2", "Tổ chức sự kiện biểu dương, khen thưởng giáo viên, học sinh, sinh viên xuất sắc", "8.400"),
]
STATED_TOTAL = "344.050"


@pytest.fixture
def summary():
    rows = [BudgetRow(number, content, amount_from_wording(amount)) for number, content, amount in VINH_BAO_PHU_LUC_III]
    return budget_summary(rows, stated_total=amount_from_wording(STATED_TOTAL))


@pytest.mark.parametrize(
    "wording,expected",
    [
        ("260.000", Decimal(260000)),
        ("6.000", Decimal(6000)),
        ("350", Decimal(350)),
        ("3000", Decimal(3000)),
        ("344.050", Decimal(344050)),
        (None, None),
        ("  ", None),
    ],
)
def test_amount_wording_reads_the_thousands_dot(wording, expected):
    assert amount_from_wording(wording) == expected


@pytest.mark.parametrize("wording", ["abc", "5 trường", "???"])
def test_amount_wording_refuses_what_is_not_money(wording):
    with pytest.raises(ValueError):
        amount_from_wording(wording)


def test_tree_nests_lines_under_their_sections(summary):
    assert [root.number for root in summary.roots] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [line.number for line in summary.roots[2].children] == ["3.1", "3.2", "3.3", "3.4"]
    assert sum(1 for root in summary.roots for node in root.walk() if not node.is_section) == 15


@pytest.mark.parametrize(
    "number,computed,stated",
    [
        ("1", 260000, 260000),
        ("2", 6350, 6000),
        ("3", 61450, 61450),
        ("4", 3000, 3000),
        ("5", 1700, 1700),
        ("6", 3000, 3000),
        ("7", 8900, 8900),
    ],
)
def test_section_subtotals_are_computed_from_their_lines(summary, number, computed, stated):
    section = next(root for root in summary.roots if root.number == number)
    assert section.computed == Decimal(computed)
    assert section.stated == Decimal(stated)


def test_only_section_2_disagrees_with_its_lines(summary):
    # 2.1 (6.000) + 2.2 (350) = 6.350, but the heading says 6.000.
    [section] = summary.discrepancies
    assert section.number == "2"
    assert section.difference == Decimal(-350)


def test_the_stated_total_matches_the_stated_subtotals_but_not_the_lines(summary):
    assert summary.stated_total == Decimal(344050)
    assert summary.stated_sections_total == Decimal(344050)
    assert summary.computed_total == Decimal(344400)
    assert summary.total_difference == Decimal(-350)
    assert not summary.is_consistent


def test_an_uncosted_line_counts_as_zero_and_keeps_its_place(summary):
    line = summary.roots[0].children[1]
    assert line.number == "1.2" and line.stated is None and line.computed == 0


def test_a_consistent_table_has_no_discrepancy():
    rows = [BudgetRow("1", "A", Decimal(5)), BudgetRow("1.1", "a", Decimal(2)), BudgetRow("1.2", "b", Decimal(3))]
    summary = budget_summary(rows, stated_total=Decimal(5))
    assert summary.is_consistent and summary.computed_total == 5


def test_a_line_whose_section_is_missing_becomes_a_root():
    roots = budget_tree([BudgetRow("2.1", "orphan", Decimal(1)), BudgetRow("1", "A", Decimal(2))])
    assert [r.number for r in roots] == ["1", "2.1"]


def test_lines_sort_numerically_not_as_text():
    roots = budget_tree([BudgetRow(n, n, Decimal(1)) for n in ["1", "1.10", "1.2", "1.9"]])
    assert [c.number for c in roots[0].children] == ["1.2", "1.9", "1.10"]


@pytest.mark.parametrize("number", ["", "a", "1.a", "1..2", "-1"])
def test_line_numbers_must_be_dotted_integers(number):
    with pytest.raises(ValueError):
        parse_line_number(number)
