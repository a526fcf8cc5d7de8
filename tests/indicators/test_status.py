"""The status of a target in a year, against its baseline, milestones and direction.

The table uses the seed plans' own values where they have them (Vĩnh Bảo's "79,3%" → "78%" → "86%",
malnutrition "0,02%" → "< 3%", "4-6%", "06 trường" → "05 trường", "Hoàn thành giai đoạn 1",
"Đạt", Đức Phổ's "13/15 trường", Hà Bắc's "Duy trì", Vĩnh Bảo's "dẫn đầu" and "tốp đầu"); the
expected statuses were worked out by hand from the rule in indicators/status.py.
"""

import dataclasses
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest

from indicators.status import (
    STATUS_LABELS,
    Assessment,
    Point,
    Status,
    assess,
    comparable_number,
    read_rank,
)
from indicators.wording import parse_value

NBSP = "\u00a0"
MET, ON_TRACK, BEHIND, OFF_TRACK, NO_DATA, NOT_COMPARABLE = (
    Status.MET,
    Status.ON_TRACK,
    Status.BEHIND,
    Status.OFF_TRACK,
    Status.NO_DATA,
    Status.NOT_COMPARABLE,
)


def at(year: int, wording: str) -> Point:
    return Point(year, parse_value(wording))


def plain(text: str) -> str:
    """A reason with its no-break spaces as ordinary ones, to compare with the table."""
    return text.replace(NBSP, " ")


@dataclass(frozen=True)
class Case:
    id: str
    direction: str
    baseline: Point | None
    milestones: list[Point]
    actual: Decimal | bool | None
    year: int
    status: Status
    expected: str | None = "unchecked"  # the expected value on the path this year, None when there is no path
    reason: str = ""  # a part of the reason, no-break spaces written as spaces
    start_year: int | None = None


def d(text: str) -> Decimal:
    return Decimal(text)


# Vĩnh Bảo, Mầm non row 1: 79,3 % in 2024, 78 % by 2025, 86 % by 2030.
ENROLMENT = dict(direction="higher", baseline=at(2024, "79,3%"), milestones=[at(2025, "78%"), at(2030, "86%")])
# Malnutrition: 0,02 % in 2024, "< 3%" by 2025; drop-out: 1,5 % in 2024, 0,5 % by 2030.
MALNUTRITION = dict(direction="lower", baseline=at(2024, "0,02%"), milestones=[at(2025, "< 3%")])
DROP_OUT = dict(direction="lower", baseline=at(2024, "1,5%"), milestones=[at(2030, "0,5%")])
# A rate kept within 4-6 % by 2025, from 10 % in 2023.
IN_RANGE = dict(direction="range", baseline=at(2023, "10%"), milestones=[at(2025, "4-6%")])
# Hà Bắc: "Duy trì" by 2030, here with a baseline of 100 % in 2025.
KEEP_ALL = dict(direction="higher", baseline=at(2025, "100%"), milestones=[at(2030, "Duy trì")])
# Accreditation stages from "Chưa đánh giá".
STAGES = dict(
    direction="higher",
    baseline=at(2024, "Chưa đánh giá"),
    milestones=[at(2025, "Hoàn thành giai đoạn 1"), at(2030, "Hoàn thành giai đoạn 2")],
)
RANK_FROM_7 = dict(direction="higher", baseline=at(2024, "xếp thứ 7"), milestones=[at(2030, "trong nhóm dẫn đầu")])
SCHOOLS_6_TO_8 = dict(direction="higher", baseline=at(2024, "06 trường"), milestones=[at(2030, "8 trường")])
YES_NO = dict(direction="higher", baseline=None, milestones=[at(2030, "Đạt")])
DUC_PHO_SCHOOLS = dict(direction="higher", baseline=None, milestones=[at(2030, "13/15 trường")])

CASES = [
    # --- higher is better, a milestone below the baseline, then a higher one ---
    Case("an actual above a milestone set below the baseline is met", **ENROLMENT, actual=d("79"), year=2025,
         status=MET, expected="78", reason="Đạt 79 %, chỉ tiêu 2025 ≥ 78 %"),
    Case("below a lowered milestone in its year is not met", **ENROLMENT, actual=d("77.5"), year=2025,
         status=OFF_TRACK, expected="78", reason="Không đạt: 77,5 % năm 2025, chỉ tiêu 2025 ≥ 78 % đã đến hạn"),
    Case("below a lowered milestone the year before, by less than the band, is behind", **ENROLMENT,
         actual=d("77.5"), year=2024, status=BEHIND, expected="79.3", reason="thấp hơn lộ trình 79,3 % là 1,8 điểm %"),
    Case("on the path from the passed milestone to the next is on track", **ENROLMENT, actual=d("81.2"), year=2027,
         status=ON_TRACK, expected="81.2", reason="Đúng tiến độ: 81,2 % năm 2027, lộ trình là 81,2 %"),
    Case("short of the path by no more than the tolerance is still on track", **ENROLMENT, actual=d("80.5"),
         year=2027, status=ON_TRACK, expected="81.2", reason="là 0,7 điểm %, trong mức cho phép 1 điểm %"),
    Case("short of the path by more than the tolerance is behind", **ENROLMENT, actual=d("80"), year=2027,
         status=BEHIND, expected="81.2", reason="Chậm: 80 % năm 2027, thấp hơn lộ trình 81,2 % là 1,2 điểm %"),
    Case("short of the path by more than the band is off track", **ENROLMENT, actual=d("78"), year=2027,
         status=OFF_TRACK, expected="81.2", reason="là 3,2 điểm %, quá ngưỡng 3 điểm %"),
    Case("after the last milestone's year it is still the one judged, and met", **ENROLMENT, actual=d("87"),
         year=2031, status=MET, expected="86", reason="chỉ tiêu 2030 ≥ 86 %"),
    Case("after the last milestone's year, not met is off track", **ENROLMENT, actual=d("85"), year=2031,
         status=OFF_TRACK, expected="86", reason="đã đến hạn"),
    Case("an unreadable earlier milestone is skipped: the path starts at the baseline", direction="higher",
         baseline=at(2024, "79,3%"), milestones=[at(2025, "???"), at(2030, "86%")], actual=d("82.65"), year=2027,
         status=ON_TRACK, expected="82.65"),
    Case("more than ( Trên 35% ) is not met by exactly 35 % in its year", direction="higher",
         baseline=at(2024, "27,2%"), milestones=[at(2030, "Trên 35%")], actual=d("35"), year=2030,
         status=OFF_TRACK, expected="35", reason="chỉ tiêu 2030 > 35 %"),
    # --- lower is better ---
    Case("malnutrition under the ceiling is met", **MALNUTRITION, actual=d("0.5"), year=2025, status=MET,
         expected="3", reason="Đạt 0,5 %, chỉ tiêu 2025 < 3 %"),
    Case("malnutrition at exactly 3 % does not meet < 3 % in its year", **MALNUTRITION, actual=d("3"), year=2025,
         status=OFF_TRACK),
    Case("malnutrition far above the baseline the year before is off track", **MALNUTRITION, actual=d("3.5"),
         year=2024, status=OFF_TRACK, expected="0.02", reason="cao hơn lộ trình 0,02 % là 3,48 điểm %"),
    Case("a drop-out rate at the path halfway is on track", **DROP_OUT, actual=d("1"), year=2027, status=ON_TRACK,
         expected="1"),
    Case("a drop-out rate above the path by more than the tolerance is behind", **DROP_OUT, actual=d("2.5"),
         year=2027, status=BEHIND, expected="1", reason="cao hơn lộ trình 1 % là 1,5 điểm %"),
    Case("a drop-out rate under the plain target (read as at most) is met", **DROP_OUT, actual=d("0.4"), year=2027,
         status=MET, reason="chỉ tiêu 2030 ≤ 0,5 %"),
    # --- ranges ---
    Case("range: inside 4-6 % is met", **IN_RANGE, actual=d("5"), year=2025, status=MET, expected="6",
         reason="Đạt 5 %, chỉ tiêu 2025 4–6 %"),
    Case("range: above 4-6 % in its year is not met", **IN_RANGE, actual=d("7"), year=2025, status=OFF_TRACK),
    Case("range: below 4-6 % is not met either", **IN_RANGE, actual=d("3.5"), year=2025, status=OFF_TRACK),
    Case("range: coming down into the band along the path is on track", **IN_RANGE, actual=d("8"), year=2024,
         status=ON_TRACK, expected="8"),
    Case("range: above the closing band by less than the band width is behind", **IN_RANGE, actual=d("9.5"),
         year=2024, status=BEHIND, expected="8", reason="cao hơn lộ trình 8 % là 1,5 điểm %"),
    Case("range: overshooting below the band is counted from its low edge", **IN_RANGE, actual=d("0.5"), year=2024,
         status=OFF_TRACK, expected="8", reason="thấp hơn lộ trình 4 % là 3,5 điểm %"),
    Case("4-6 % for a higher-is-better indicator means at least 4 %", direction="higher", baseline=at(2024, "3%"),
         milestones=[at(2025, "4-6%")], actual=d("7"), year=2025, status=MET, expected="4",
         reason="chỉ tiêu 2025 ≥ 4 %"),
    Case("4-6 % for a lower-is-better indicator means at most 6 %", direction="lower", baseline=at(2024, "8%"),
         milestones=[at(2025, "4-6%")], actual=d("3"), year=2025, status=MET, reason="chỉ tiêu 2025 ≤ 6 %"),
    # --- keeping a level: "Duy trì" and its longer wordings ---
    Case("Duy trì: at the baseline is met", **KEEP_ALL, actual=d("100"), year=2027, status=MET, expected="100",
         reason="Đạt 100 %, chỉ tiêu 2030 Duy trì (≥ 100 %)"),
    Case("Duy trì: a point under the baseline is behind", **KEEP_ALL, actual=d("99"), year=2027, status=BEHIND,
         expected="100", reason="thấp hơn mức cần duy trì 100 % là 1 điểm %"),
    Case("Duy trì: further under the baseline than the band is off track", **KEEP_ALL, actual=d("96"), year=2027,
         status=OFF_TRACK, expected="100", reason="quá ngưỡng 3 điểm %"),
    Case("Duy trì: not kept in the milestone's year is off track", **KEEP_ALL, actual=d("99.5"), year=2030,
         status=OFF_TRACK),
    Case("Duy trì for a lower-is-better rate: at most the baseline is met", direction="lower",
         baseline=at(2025, "0,5%"), milestones=[at(2030, "Duy trì")], actual=d("0.4"), year=2028, status=MET,
         reason="Duy trì (≤ 0,5 %)"),
    Case("Duy trì without a baseline cannot be compared", direction="higher", baseline=None,
         milestones=[at(2030, "Duy trì")], actual=d("100"), year=2027, expected=None, status=NOT_COMPARABLE,
         reason="“Duy trì” nhưng không có hiện trạng để biết mức cần giữ"),
    Case("Duy trì 100 % is 100 % kept, read as at least 100 %", direction="higher", baseline=None,
         milestones=[at(2030, "Duy trì 100%")], actual=d("100"), year=2030, status=MET),
    Case("giữ vững 100 %, on the path from 98 % halfway, is on track", direction="higher",
         baseline=at(2024, "98%"), milestones=[at(2030, "giữ vững 100%")], actual=d("99"), year=2027,
         status=ON_TRACK, expected="99"),
    Case("duy trì vững chắc … with no value keeps the baseline level", direction="higher",
         baseline=at(2025, "mức độ 3"),
         milestones=[at(2030, "duy trì vững chắc phổ cập giáo dục mầm non cho trẻ 5 tuổi")], actual=d("2"),
         year=2027, status=BEHIND, expected="3", reason="thấp hơn mức cần duy trì mức độ 3 là 1 mức độ"),
    Case("duy trì phổ cập … mức độ 3 is met at level 3", direction="higher", baseline=None,
         milestones=[at(2025, "duy trì phổ cập giáo dục tiểu học toàn huyện mức độ 3")], actual=d("3"), year=2025,
         status=MET, reason="Đạt mức độ 3, chỉ tiêu 2025 Mức độ 3 trở lên"),
    # --- ranks: lower is better whatever the direction ---
    Case("tốp đầu is met by third place", direction="higher", baseline=None, milestones=[at(2030, "tốp đầu")],
         actual=d("3"), year=2030, status=MET, reason="Đạt hạng 3, chỉ tiêu 2030 tốp đầu (hạng ≤ 3)"),
    Case("dẫn đầu is not met by second place in its year", direction="higher", baseline=None,
         milestones=[at(2025, "dẫn đầu khối huyện ngoại thành")], actual=d("2"), year=2025, status=OFF_TRACK),
    Case("trong nhóm dẫn đầu: climbing from 7th to 5th halfway is on track", **RANK_FROM_7, actual=d("5"),
         year=2027, status=ON_TRACK, expected="5"),
    Case("trong nhóm dẫn đầu: still 6th halfway is behind", **RANK_FROM_7, actual=d("6"), year=2027, status=BEHIND,
         expected="5", reason="cao hơn lộ trình hạng 5 là 1 hạng"),
    Case("tốp 5 is met by fifth place", direction="lower", baseline=None, milestones=[at(2030, "tốp 5")],
         actual=d("5"), year=2028, status=MET),
    Case("a rank read as kind RANK from a longer wording is met by first place", direction="higher", baseline=None,
         milestones=[at(2030, "Phấn đấu xếp thứ 3 trong tỉnh")], actual=d("1"), year=2030, status=MET),
    # --- a stated percentage against a fraction: within the rounding of its own decimals ---
    Case("≤ 83,3 % is met by 5/6 (83,33 %)", direction="lower", baseline=None, milestones=[at(2025, "83,3%")],
         actual=Decimal(500) / Decimal(6), year=2025, status=MET),
    Case("4-6,5 % is met by 13/2 = 6,5 % and by 6,54 %", direction="range", baseline=None,
         milestones=[at(2025, "4-6,5%")], actual=d("6.54"), year=2025, status=MET),
    Case("≥ 78 % is exact: 77,6 % does not meet it", direction="higher", baseline=None, milestones=[at(2025, "78%")],
         actual=d("77.6"), year=2025, status=OFF_TRACK),
    Case("trên 83,3 % stays strict", direction="higher", baseline=None, milestones=[at(2025, "trên 83,3%")],
         actual=d("83.3"), year=2025, status=OFF_TRACK),
    # --- keep at, about ---
    Case("Duy trì 100 % is at least 100 %", direction="higher", baseline=None, milestones=[at(2030, "Duy trì 100%")],
         actual=d("99.5"), year=2030, status=OFF_TRACK),
    Case("duy trì chuẩn phổ cập … keeps the baseline", direction="higher", baseline=at(2025, "mức độ 3"),
         milestones=[at(2030, "tiếp tục duy trì chuẩn phổ cập giáo dục mầm non cho trẻ 5 tuổi")], actual=d("3"),
         year=2027, status=MET, reason="Duy trì (Mức độ 3 trở lên)"),
    Case("khoảng 80 % says so in the reason", direction="higher", baseline=None, milestones=[at(2030, "khoảng 80%")],
         actual=d("81"), year=2030, status=MET, reason="chỉ tiêu 2030 ≥ khoảng 80 %"),
    Case("xếp thứ 3 is not met by fourth place before its year, with no path", direction="higher", baseline=None,
         milestones=[at(2030, "xếp thứ 3")], actual=d("4"), year=2028, expected=None, status=BEHIND,
         reason="không có hiện trạng để tính lộ trình"),
    # --- counts ---
    Case("05 trường against a baseline of 06 (higher is better) is met by six", direction="higher",
         baseline=at(2024, "06 trường"), milestones=[at(2025, "05 trường")], actual=d("6"), year=2025, status=MET,
         reason="Đạt 6 trường, chỉ tiêu 2025 ≥ 5 trường"),
    Case("05 trường from 06 (lower is better) at the start of the path is on track", direction="lower",
         baseline=at(2024, "06 trường"), milestones=[at(2025, "05 trường")], actual=d("6"), year=2024,
         status=ON_TRACK, expected="6"),
    Case("counts: at the path from 06 to 8 trường is on track", **SCHOOLS_6_TO_8, actual=d("7"), year=2027,
         status=ON_TRACK, expected="7"),
    Case("counts: one school short of the path is behind", **SCHOOLS_6_TO_8, actual=d("6"), year=2027,
         status=BEHIND, expected="7", reason="thấp hơn lộ trình 7 trường là 1 trường"),
    Case("counts: two schools short of the path is off track", **SCHOOLS_6_TO_8, actual=d("5"), year=2027,
         status=OFF_TRACK, expected="7", reason="quá ngưỡng 1 trường"),
    # --- stages ---
    Case("stages: giai đoạn 1 from Chưa đánh giá is met", **STAGES, actual=d("1"), year=2025, status=MET,
         expected="1", reason="Đạt hoàn thành giai đoạn 1, chỉ tiêu 2025 Hoàn thành giai đoạn 1 trở lên"),
    Case("stages: still at none in the milestone's year is off track", **STAGES, actual=d("0"), year=2025,
         status=OFF_TRACK, reason="Không đạt: chưa hoàn thành giai đoạn nào năm 2025"),
    Case("stages: still at giai đoạn 1 on the way to giai đoạn 2 is behind", **STAGES, actual=d("1"), year=2027,
         status=BEHIND, expected="1.4", reason="thấp hơn lộ trình giai đoạn 1,4 là 0,4 giai đoạn"),
    # --- yes / no ---
    Case("yes/no: Đạt is met by True", **YES_NO, actual=True, year=2027, status=MET),
    Case("yes/no: False before the milestone's year is behind", **YES_NO, actual=False, year=2027, expected=None,
         status=BEHIND, reason="Chậm: năm 2027 chưa đạt, chỉ tiêu 2030 Đạt"),
    Case("yes/no: False from the milestone's year is off track", **YES_NO, actual=False, year=2030,
         status=OFF_TRACK),
    Case("yes/no: a number against Đạt cannot be compared", **YES_NO, actual=d("1"), year=2027,
         status=NOT_COMPARABLE),
    # --- no baseline ---
    Case("no baseline: a count starts at 0 in the plan's start year", direction="higher", baseline=None,
         milestones=[at(2025, "05 trường")], actual=d("3"), year=2023, start_year=2021, status=ON_TRACK,
         expected="2.5"),
    Case("no baseline and no start year: not met before its year is behind", direction="higher", baseline=None,
         milestones=[at(2025, "05 trường")], actual=d("2"), year=2024, expected=None, status=BEHIND,
         reason="Chậm: 2 trường năm 2024, chưa đạt chỉ tiêu 2025 ≥ 5 trường; không có hiện trạng để tính lộ trình"),
    Case("no baseline: not met in its year is off track", direction="higher", baseline=None,
         milestones=[at(2025, "05 trường")], actual=d("2"), year=2025, status=OFF_TRACK),
    Case("no baseline: the plan's start year gives no path to a percentage", direction="higher", baseline=None,
         milestones=[at(2030, "Trên 35%")], actual=d("30"), year=2027, start_year=2026, expected=None, status=BEHIND,
         reason="không có hiện trạng để tính lộ trình"),
    Case("a baseline of another kind gives no path", direction="higher", baseline=at(2024, "06 trường"),
         milestones=[at(2030, "50%")], actual=d("30"), year=2027, expected=None, status=BEHIND,
         reason="hiện trạng “06 trường” không dùng được để tính lộ trình"),
    # --- ratios ---
    Case("13/15 trường is 86,67 %, met by exactly 13 of 15", **DUC_PHO_SCHOOLS, actual=Decimal(13) * 100 / 15,
         year=2030, status=MET, reason="Đạt 86,67 %, chỉ tiêu 2030 ≥ 86,67 % (13/15 trường)"),
    Case("13/15 trường is not met by 12 of 15 in its year", **DUC_PHO_SCHOOLS, actual=d("80"), year=2030,
         status=OFF_TRACK),
    Case("a ratio baseline starts the path to a ratio milestone", direction="higher",
         baseline=at(2024, "10/15 trường"), milestones=[at(2030, "13/15 trường")], actual=d("76.67"), year=2027,
         status=ON_TRACK, expected="76.67"),
    # --- no data, nothing to compare ---
    Case("no actual value is no data, the path still shown", **ENROLMENT, actual=None, year=2027, status=NO_DATA,
         expected="81.2", reason="Chưa có số liệu năm 2027 (chỉ tiêu 2030 ≥ 86 %)"),
    Case("??? cannot be compared", direction="higher", baseline=at(2024, "đang thực hiện"),
         milestones=[at(2030, "???")], actual=d("1"), year=2027, expected=None, status=NOT_COMPARABLE,
         reason="Không so sánh được: chỉ tiêu 2030 “???” không đọc được"),
    Case("??? cannot be compared even without data", direction="higher", baseline=None,
         milestones=[at(2030, "???")], actual=None, year=2027, status=NOT_COMPARABLE),
    Case("an empty milestone cannot be compared", direction="higher", baseline=at(2024, "79,3%"),
         milestones=[at(2025, "")], actual=d("80"), year=2025, status=NOT_COMPARABLE,
         reason="chỉ tiêu 2025 để trống"),
    Case("Hoàn thành without a level cannot be compared with a level number", direction="higher", baseline=None,
         milestones=[at(2025, "Hoàn thành")], actual=d("1"), year=2025, status=NOT_COMPARABLE,
         reason="không có số giai đoạn hay mức độ để so sánh"),
    Case("a yes/no actual against a percentage cannot be compared", **ENROLMENT, actual=True, year=2027,
         status=NOT_COMPARABLE),
    Case("a target with no milestone cannot be compared", direction="higher", baseline=at(2024, "79,3%"),
         milestones=[], actual=d("80"), year=2025, status=NOT_COMPARABLE),
]  # fmt: skip


def test_the_table_has_distinct_readable_ids():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 30


def _assess(case: Case) -> Assessment:
    return assess(
        direction=case.direction,
        baseline=case.baseline,
        milestones=case.milestones,
        actual=case.actual,
        year=case.year,
        start_year=case.start_year,
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_status(case: Case):
    result = _assess(case)

    assert result.status is case.status, plain(result.reason)
    if case.expected != "unchecked":
        assert result.expected == (None if case.expected is None else Decimal(case.expected))
    assert case.reason in plain(result.reason)
    assert result.reason.startswith(str(STATUS_LABELS[result.status]))


# --- details of the interface --------------------------------------------------------------


def test_the_milestone_judged_is_the_first_from_this_year_on():
    milestones = [at(2030, "86%"), at(2025, "78%")]  # in any order
    assert _milestone_year(milestones, 2024) == 2025
    assert _milestone_year(milestones, 2025) == 2025
    assert _milestone_year(milestones, 2026) == 2030
    assert _milestone_year(milestones, 2035) == 2030


def _milestone_year(milestones, year):
    result = assess(direction="higher", baseline=at(2024, "79,3%"), milestones=milestones, actual=None, year=year)
    return result.milestone.year


def test_the_example_reason_reads_as_a_sentence():
    result = assess(
        direction="higher", baseline=at(2024, "79,3%"), milestones=[at(2025, "78%")], actual=d("80"), year=2025
    )
    assert result.reason == f"Đạt 80{NBSP}%, chỉ tiêu 2025 ≥{NBSP}78{NBSP}%"
    assert result.label == "Đạt"


def test_status_values_and_labels():
    assert [s.value for s in Status] == ["met", "on_track", "behind", "off_track", "no_data", "not_comparable"]
    assert list(STATUS_LABELS.values()) == [
        "Đạt",
        "Đúng tiến độ",
        "Chậm",
        "Không đạt",
        "Chưa có số liệu",
        "Không so sánh được",
    ]


def test_assessments_are_immutable():
    result = _assess(CASES[0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = Status.BEHIND  # type: ignore[misc]


def test_an_unknown_direction_is_a_programming_error():
    with pytest.raises(ValueError, match="direction"):
        assess(direction="up", baseline=None, milestones=[at(2025, "5%")], actual=d("5"), year=2025)


def test_a_float_actual_is_refused_and_an_int_accepted():
    with pytest.raises(TypeError):
        assess(direction="higher", baseline=None, milestones=[at(2025, "5 trường")], actual=5.0, year=2025)
    result = assess(direction="higher", baseline=None, milestones=[at(2025, "5 trường")], actual=5, year=2025)
    assert result.status is MET


@pytest.mark.parametrize(
    "wording,number",
    [
        ("79,3%", "79.3"),
        ("< 3%", "3"),
        ("4-6%", "5"),  # a band: its midpoint
        ("06 trường", "6"),
        ("13/15 trường", "86.67"),
        ("86,7% (13/15 trường)", "86.67"),  # the ratio, not the stated rounding
        ("Hoàn thành giai đoạn 1", "1"),
        ("mức độ II", "2"),
        ("Chưa đánh giá", "0"),
        ("đang thực hiện", "0"),
        ("Đạt", "1"),
        ("Không đạt", "0"),
        ("Hoàn thành", None),
        ("Duy trì", None),
        ("tốp đầu", "3"),  # a rank: the worst place allowed
        ("xếp thứ 2", "2"),
        ("7,5 điểm", "7.5"),
        ("???", None),
        ("", None),
    ],
)
def test_comparable_number(wording, number):
    assert comparable_number(parse_value(wording)) == (None if number is None else Decimal(number))


@pytest.mark.parametrize(
    "wording,rank",
    [
        ("dẫn đầu", 1),
        ("dẫn đầu khối huyện ngoại thành", 1),
        ("đứng đầu thành phố", 1),
        ("tốp đầu", 3),
        ("đứng trong tốp đầu thành phố", 3),
        ("trong nhóm dẫn đầu", 3),
        ("một trong những huyện tốp dẫn đầu", 3),
        ("Tốp 5", 5),
        ("top 10", 10),
        ("xếp thứ 3", 3),
        ("xếp thứ nhất", 1),
        ("xếp hạng 4", 4),
        ("dẫn đầu khối huyện ngoại thành, đến năm 2030 đứng trong tốp đầu thành phố", None),  # two ranks
        ("nâng cao chất lượng", None),
        ("???", None),
    ],
)
def test_read_rank(wording, rank):
    assert read_rank(wording) == rank


# --- properties, checked over a grid (hypothesis is not installed) --------------------------

ORDER = {MET: 0, ON_TRACK: 1, BEHIND: 2, OFF_TRACK: 3}
YEARS = range(2022, 2033)
PERCENTS = [Decimal(n) / 2 for n in range(0, 201)]  # 0 %, 0,5 %, … 100 %
TARGETS = [
    ENROLMENT,
    MALNUTRITION,
    DROP_OUT,
    IN_RANGE,
    KEEP_ALL,
    dict(direction="higher", baseline=at(2024, "27,2%"), milestones=[at(2025, "30%"), at(2030, "Trên 35%")]),
    dict(direction="higher", baseline=at(2024, "3%"), milestones=[at(2030, "4-6%")]),
    dict(direction="lower", baseline=at(2024, "8%"), milestones=[at(2030, "4-6%")]),
    dict(direction="higher", baseline=None, milestones=[at(2030, "ít nhất 40%")]),
]
TARGET_IDS = ["enrolment", "malnutrition", "drop-out", "range", "keep", "two milestones", "band↑", "band↓", "none"]


def _grid(target):
    for year, actual in itertools.product(YEARS, PERCENTS):
        yield year, actual, assess(**target, actual=actual, year=year)


@pytest.mark.parametrize(
    "target",
    [t for t in TARGETS if t["direction"] != "range"],
    ids=[i for t, i in zip(TARGETS, TARGET_IDS, strict=True) if t["direction"] != "range"],
)
def test_a_better_actual_never_gets_a_worse_status(target):
    better = (lambda a, b: a > b) if target["direction"] == "higher" else (lambda a, b: a < b)
    for year in YEARS:
        results = [(a, assess(**target, actual=a, year=year).status) for a in PERCENTS]
        for (a1, s1), (a2, s2) in itertools.combinations(results, 2):
            if better(a2, a1):
                assert ORDER[s2] <= ORDER[s1], (year, a1, s1, a2, s2)


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_from_the_milestone_year_on_a_target_is_met_or_not(target):
    for year, _actual, result in _grid(target):
        if year >= result.milestone.year:
            assert result.status in (MET, OFF_TRACK)


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_the_expected_value_lies_between_the_baseline_and_the_milestones(target):
    numbers = [comparable_number(target["baseline"].value)] if target["baseline"] else []
    numbers += [n for p in target["milestones"] for n in (p.value.value, p.value.value_high) if n is not None]
    for year, _actual, result in _grid(target):
        if result.expected is not None:
            assert min(numbers) <= result.expected <= max(numbers), (year, result.expected)


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_every_reason_starts_with_its_status_label(target):
    for _year, _actual, result in _grid(target):
        assert result.reason.startswith(str(STATUS_LABELS[result.status]))


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_no_actual_is_always_no_data_for_a_readable_milestone(target):
    for year in YEARS:
        assert assess(**target, actual=None, year=year).status is NO_DATA


def test_the_tolerance_and_band_are_shares_of_the_planned_change():
    # 20 % → 60 % over 2024-2028: a planned change of 40 points, so tolerance 4 and band 10 points.
    target = dict(direction="higher", baseline=at(2024, "20%"), milestones=[at(2028, "60%")])
    expected = assess(**target, actual=None, year=2026).expected
    assert expected == Decimal(40)
    status = {gap: assess(**target, actual=expected - gap, year=2026).status for gap in (0, 4, 5, 10, 11)}
    assert status == {0: ON_TRACK, 4: ON_TRACK, 5: BEHIND, 10: BEHIND, 11: OFF_TRACK}
