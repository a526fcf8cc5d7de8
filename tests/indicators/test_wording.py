"""The value wording parser against every value the four seed plans write, and other offices' styles.

One table of cases: each wording with its expected reading (kind, comparator, value(s), fraction,
stage, flag, about/keep marks) and its display in the portal's style. Expected readings were written
by reading the documents in /work/shared/seeds/, not by running the parser: Vĩnh Bảo's Phụ lục I cell
by cell (baseline 2024, target 2025, target 2030), the target values in the prose of all four plans,
the amounts in Vĩnh Bảo's Phụ lục III, then the phrases other plans write (OTHER_STYLES). Every
value wording of fixtures/plans/*.yaml must be in the table (collected by ``fixture_wordings()``).
"""

import dataclasses
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from indicators.wording import (
    Comparator,
    Flag,
    ParsedValue,
    ValueKind,
    format_decimal_vi,
    format_value,
    parse_value,
)

NBSP = "\u00a0"

EQ, GT, GTE, LT, LTE, BETWEEN = (
    Comparator.EQ,
    Comparator.GT,
    Comparator.GTE,
    Comparator.LT,
    Comparator.LTE,
    Comparator.BETWEEN,
)


@dataclass(frozen=True)
class Case:
    wording: str
    kind: ValueKind
    comparator: Comparator | None = None
    value: str | None = None
    value_high: str | None = None
    noun: str = ""
    flag: Flag = Flag.NONE
    ratio: tuple[int, int] | None = None
    stage: str = ""
    stage_number: int | None = None
    boolean: bool | None = None
    approximate: bool = False
    kept: bool = False
    shown: str | None = None  # format_value(), no-break spaces written as spaces; None: the wording itself


def pct(wording, value, comparator=EQ, flag=Flag.NONE, noun="", **marks):
    return Case(wording, ValueKind.PERCENT, comparator, value, noun=noun, flag=flag, **marks)


def pct_range(wording, low, high, **marks):
    return Case(wording, ValueKind.PERCENT, BETWEEN, low, high, **marks)


def count(wording, value, noun="", comparator=EQ, flag=Flag.NONE, **marks):
    return Case(wording, ValueKind.COUNT, comparator, value, noun=noun, flag=flag, **marks)


def ratio(wording, numerator, denominator, value, noun, comparator=EQ, flag=Flag.NONE, **marks):
    return Case(
        wording, ValueKind.RATIO, comparator, value, noun=noun, flag=flag, ratio=(numerator, denominator), **marks
    )


def stage(wording, text, number=None, comparator=None, **marks):
    return Case(wording, ValueKind.STAGE, comparator, stage=text, stage_number=number, **marks)


def rank(wording, label, number, flag=Flag.NONE, **marks):
    return Case(wording, ValueKind.RANK, LTE, str(number), stage=label, stage_number=number, flag=flag, **marks)


def score(wording, value, noun="điểm", comparator=EQ, **marks):
    return Case(wording, ValueKind.SCORE, comparator, value, noun=noun, **marks)


def boolean(wording, value, **marks):
    return Case(wording, ValueKind.BOOLEAN, EQ, boolean=value, **marks)


def unparsed(wording, **marks):
    return Case(wording, ValueKind.TEXT, flag=Flag.UNPARSED, **marks)


# Vĩnh Bảo, Phụ lục I: every distinct cell of the columns "Hiện tại năm 2024", "Chỉ tiêu đến năm
# 2025" and "Chỉ tiêu đến năm 2030" (plus the one value in "Ghi chú"). Cells that differ only by a
# trailing space are kept apart, because the document has both.
VINH_BAO_APPENDIX_I = [
    # I. Mầm non
    pct("79,3%", "79.3", shown="79,3 %"),
    pct("78%", "78", shown="78 %"),
    pct("86%", "86", shown="86 %"),
    pct("48,4%", "48.4", shown="48,4 %"),
    pct("47%", "47", shown="47 %"),
    pct("50%", "50", shown="50 %"),
    pct("99,6%", "99.6", shown="99,6 %"),
    pct("100%", "100", shown="100 %"),
    pct("0,02%", "0.02", shown="0,02 %"),
    pct("< 3%", "3", LT, shown="< 3 %"),
    pct("< 0,02%", "0.02", LT, shown="< 0,02 %"),
    pct("90%", "90", shown="90 %"),
    pct("94,8%", "94.8", shown="94,8 %"),
    pct("84.72%", "84.72", flag=Flag.AMBIGUOUS, shown="84,72 %"),  # decimal point among decimal commas
    Case("", ValueKind.EMPTY),  # 2025 target of "trình độ trên chuẩn", baseline of row 11
    pct("98%", "98", shown="98 %"),
    pct("0%", "0", shown="0 %"),
    pct_range("4-6%", "4", "6", shown="4–6 %"),
    pct("10%", "10", shown="10 %"),
    pct("93.33%", "93.33", flag=Flag.AMBIGUOUS, shown="93,33 %"),  # same slip, row 7
    count("06 trường", "6", "trường", shown="6 trường"),
    count("05 trường", "5", "trường", shown="5 trường"),
    count("8 trường", "8", "trường"),
    count("03 trường", "3", "trường", shown="3 trường"),
    count("7 trường", "7", "trường"),
    count("0 trường", "0", "trường"),
    count("01 trường", "1", "trường", shown="1 trường"),
    count("30 trường", "30", "trường"),
    # II. Tiểu học
    pct("94,35%", "94.35", shown="94,35 %"),
    pct("6%", "6", shown="6 %"),
    pct_range("10-11%", "10", "11", shown="10–11 %"),
    pct("45%", "45", shown="45 %"),
    pct("92%", "92", shown="92 %"),
    count("04 trường", "4", "trường", shown="4 trường"),
    count("11 trường", "11", "trường"),
    count("03", "3", shown="3"),  # 2025 target of row 8: the noun was left out
    count("25 trường", "25", "trường"),
    # III. THCS
    pct("12,2%", "12.2", shown="12,2 %"),
    pct("15%", "15", shown="15 %"),
    pct(">15%", "15", GT, shown="> 15 %"),
    pct("97,46%", "97.46", shown="97,46 %"),
    pct("7,32%", "7.32", shown="7,32 %"),
    pct_range("11-15%", "11", "15", shown="11–15 %"),
    pct("25%", "25", shown="25 %"),
    pct("84,2%", "84.2", shown="84,2 %"),
    count("06 trường ", "6", "trường", shown="6 trường"),
    count("11 trường ", "11", "trường"),
    count("04 trường ", "4", "trường", shown="4 trường"),
    stage("Chưa đánh giá", "Chưa đánh giá"),
    stage("Hoàn thành giai đoạn 1", "Hoàn thành giai đoạn 1", 1),
    stage("Hoàn thành giai đoạn 2", "Hoàn thành giai đoạn 2", 2),
    # IV. THPT
    pct("99,3%", "99.3", shown="99,3 %"),
    pct("99,71%", "99.71", shown="99,71 %"),
    pct("99,5%", "99.5", shown="99,5 %"),
    pct("99.8%", "99.8", flag=Flag.AMBIGUOUS, shown="99,8 %"),  # same slip, 2030 graduation rate
    pct("36,5%", "36.5", shown="36,5 %"),
    pct("35%", "35", shown="35 %"),
    pct("38%", "38", shown="38 %"),
    pct("27,2%", "27.2", shown="27,2 %"),
    pct("Trên 35%", "35", GT, shown="> 35 %"),
    pct("30%", "30", shown="30 %"),
    count("0", "0"),
    count("01 phòng", "1", "phòng", shown="1 phòng"),
    count("02 phòng", "2", "phòng", shown="2 phòng"),
    stage("đang thực hiện", "Đang thực hiện", shown="Đang thực hiện"),
    unparsed("???"),  # 2030 target of "Mô hình trường THPT Vĩnh Bảo chất lượng cao"
    # V. GDNN-GDTX
    pct("99,12%", "99.12", shown="99,12 %"),
    pct("97%", "97", shown="97 %"),
    boolean("Đạt", True),  # 2030 target of "Tỷ lệ giáo viên đạt chuẩn", a rate column
    pct("21,42%", "21.42", shown="21,42 %"),
    pct("20%", "20", shown="20 %"),
    pct("23%", "23", shown="23 %"),
    pct("87,5%", "87.5", shown="87,5 %"),
    pct_range("87%-88%", "87", "88", shown="87–88 %"),
    pct("88%", "88", shown="88 %"),
    pct("65%", "65", shown="65 %"),
    pct("41,14%", "41.14", shown="41,14 %"),
    pct("40%", "40", shown="40 %"),
    # VI. Trung tâm Tin học
    count("0 ", "0"),
    count("01 TT Tin học", "1", "TT Tin học", shown="1 TT Tin học"),
    count("01", "1", shown="1"),
    count("01 Trung tâm", "1", "Trung tâm", shown="1 Trung tâm"),  # the "Ghi chú" cell of the same row
]

# Vĩnh Bảo, the prose of II.2 and III (targets by 2025 and 2030).
VINH_BAO_PROSE = [
    ratio(
        "22,78% (18/79 trường)", 18, 79, "22.78", "trường", shown="18/79 trường (22,78 %)"
    ),  # 18/79 = 22,784… → 22,78
    pct("trên 29%", "29", GT, shown="> 29 %"),
    # The share has no denominator to check it against: the count is kept, the wording flagged.
    count("ít nhất 18 trường (22,78%)", "18", "trường", GTE, Flag.AMBIGUOUS, shown="≥ 18 trường"),
    count("09 trường", "9", "trường", shown="9 trường"),
    count("ít nhất 03 trường", "3", "trường", GTE, shown="≥ 3 trường"),
    count(
        "ít nhất 01 phòng (lớp) học thông minh/trường học",
        "1",
        "phòng (lớp) học thông minh/trường học",
        GTE,
        shown="≥ 1 phòng (lớp) học thông minh/trường học",
    ),
    pct("ít nhất 30%", "30", GTE, shown="≥ 30 %"),
    pct("đạt 2%", "2", shown="2 %"),
    pct_range("Phấn đấu đạt 11-12%", "11", "12", shown="11–12 %"),
    pct_range("18-20%", "18", "20", shown="18–20 %"),
    pct("lên trên 17%", "17", GT, shown="> 17 %"),
    pct("đạt 65%", "65", shown="65 %"),
    pct("70%", "70", shown="70 %"),
    count("03 lớp học thông minh", "3", "lớp học thông minh", shown="3 lớp học thông minh"),
    count(
        "01 mô hình trường học thông minh",
        "1",
        "mô hình trường học thông minh",
        shown="1 mô hình trường học thông minh",
    ),
    stage("mức độ II", "Mức độ 2", 2, shown="Mức độ 2"),
]

# Vĩnh Bảo, Phụ lục III: amounts in million VND, thousands dot (and one "3000" without it).
VINH_BAO_APPENDIX_III = [
    count("260.000", "260000"),
    count("184.457 triệu", "184457", "triệu"),
    count("6.000", "6000"),
    count("300 triệu", "300", "triệu"),
    count("350", "350"),
    count("61.450", "61450"),
    count("650", "650"),
    count("800", "800"),
    count("74 phòng học thông minh", "74", "phòng học thông minh"),
    count("45.000", "45000"),
    count("15.000", "15000"),
    count("ít nhất 15 trường", "15", "trường", GTE, shown="≥ 15 trường"),
    count("ít nhất 1 phòng học thông minh", "1", "phòng học thông minh", GTE, shown="≥ 1 phòng học thông minh"),
    count("3.000", "3000"),
    count("2.500", "2500"),
    count("500", "500"),
    count("1.700", "1700"),
    count("1.000", "1000"),
    count("700", "700"),
    count("3000", "3000", shown="3.000"),
    count("8.900", "8900"),
    count("8.400", "8400"),
    count("1.400", "1400"),
    count("1.400 triệu/năm", "1400", "triệu/năm"),
    count("344.050", "344050"),
    count("344.050 triệu đồng", "344050", "triệu đồng"),
]

# Đức Phổ, II.2: targets to 2030 written in prose.
DUC_PHO_PROSE = [
    ratio("15/15 xã, phường", 15, 15, "100", "xã, phường", shown="15/15 xã, phường (100 %)"),
    pct("từ 99,9% trở lên", "99.9", GTE, shown="≥ 99,9 %"),
    pct("đạt từ 99,9% trở lên", "99.9", GTE, shown="≥ 99,9 %"),
    pct("phấn đấu đạt từ 35% trở lên", "35", GTE, shown="≥ 35 %"),
    pct("phấn đấu đạt từ 96% trở lên", "96", GTE, shown="≥ 96 %"),
    pct("ít nhất 40%", "40", GTE, shown="≥ 40 %"),
    pct("đạt ít nhất 40%", "40", GTE, shown="≥ 40 %"),
    count("khoảng 172 phòng", "172", "phòng", approximate=True),  # about: read, and kept as about
    count("172 phòng", "172", "phòng"),
    pct("100 %", "100"),
    ratio("86,7% (13/15 trường)", 13, 15, "86.7", "trường", shown="13/15 trường (86,7 %)"),  # 13/15 = 86,66… → 86,7
    ratio("13/15 trường", 13, 15, "86.67", "trường", shown="13/15 trường (86,67 %)"),
    stage("đạt mức độ 3", "Mức độ 3", 3, shown="Mức độ 3"),
    stage("mức độ 3", "Mức độ 3", 3, shown="Mức độ 3"),
    stage("mức độ 2", "Mức độ 2", 2, shown="Mức độ 2"),
    pct("đạt từ 99,5% trở lên", "99.5", GTE, shown="≥ 99,5 %"),
    pct("đạt từ 97% trở lên", "97", GTE, shown="≥ 97 %"),
    pct("đạt từ 99,7% trở lên", "99.7", GTE, shown="≥ 99,7 %"),
    pct("đạt từ 99% trở lên", "99", GTE, shown="≥ 99 %"),
    pct("đạt từ 99,5 % trở lên", "99.5", GTE, shown="≥ 99,5 %"),
    pct("đạt từ 95% trở lên", "95", GTE, shown="≥ 95 %"),
    count("khoảng 309 phòng học", "309", "phòng học", approximate=True),
    count("309 phòng", "309", "phòng"),
    count("khoảng 220 phòng học", "220", "phòng học", approximate=True),
    # The document says 2020 solid classrooms out of about 220: surely a typo for 220, but the
    # parser reads one cell and keeps what it says; comparing cells is the plan checks' job.
    count("2020 phòng", "2020", "phòng", shown="2.020 phòng"),
    pct("92,9%", "92.9", shown="92,9 %"),
    pct("91,6%", "91.6", shown="91,6 %"),
    pct("đạt ít nhất 95%", "95", GTE, shown="≥ 95 %"),
    ratio("15/15 đơn vị xã, phường", 15, 15, "100", "đơn vị xã, phường", shown="15/15 đơn vị xã, phường (100 %)"),
    pct("đạt trên 75%", "75", GT, shown="> 75 %"),
    pct("trên 75%", "75", GT, shown="> 75 %"),
    pct("khoảng từ 90% trở lên", "90", GTE, approximate=True, shown="khoảng ≥ 90 %"),
    pct("tối thiểu 20%", "20", GTE, shown="≥ 20 %"),
]

# Chi Lăng, II.1 (2021-2025) and II.2 (2026-2030).
CHI_LANG_PROSE = [
    count("từ 03 đơn vị trường học trở lên", "3", "đơn vị trường học", GTE, shown="≥ 3 đơn vị trường học"),
    count("lên 33 trường", "33", "trường", shown="33 trường"),
    count("33 trường", "33", "trường"),
    pct("đạt 6%", "6", shown="6 %"),
    pct("ít nhất 50%", "50", GTE, shown="≥ 50 %"),
    pct("đạt 99,9%", "99.9", shown="99,9 %"),
    pct("95%", "95", shown="95 %"),
    pct("đạt trên 99,9%", "99.9", GT, shown="> 99,9 %"),
    pct("Trên 90%", "90", GT, shown="> 90 %"),
    pct("Trên 99%", "99", GT, shown="> 99 %"),
    pct("Trên 98%", "98", GT, shown="> 98 %"),
    pct("đạt trên 93%", "93", GT, shown="> 93 %"),
    pct("trên 90%", "90", GT, shown="> 90 %"),
    pct("19% trở lên", "19", GTE, shown="≥ 19 %"),
    count("từ 38 trường trở lên", "38", "trường", GTE, shown="≥ 38 trường"),
    count(
        "từ 38 trường học đạt chuẩn quốc gia trở lên",
        "38",
        "trường học đạt chuẩn quốc gia",
        GTE,
        shown="≥ 38 trường học đạt chuẩn quốc gia",
    ),
    pct("lên 10%", "10", shown="10 %"),
    pct("trên 99,9%", "99.9", GT, shown="> 99,9 %"),
    pct("Trên 95%", "95", GT, shown="> 95 %"),
    pct("Trên 99,9%", "99.9", GT, shown="> 99,9 %"),
    pct("đạt trên 96%", "96", GT, shown="> 96 %"),
    pct("từ 21% trở lên", "21", GTE, shown="≥ 21 %"),
]

# Hà Bắc: qualitative targets; "100%" is already above.
HA_BAC_PROSE = [
    stage("Duy trì", "Duy trì"),
    stage("duy trì vững chắc", "Duy trì", shown="Duy trì"),
]

# The same prose values as the fixtures cut them (fixtures/plans/*.yaml): the value without the
# sentence's verb ("đạt", "phấn đấu đạt"), which the parser drops anyway.
FIXTURE_PROSE = [
    pct("99,9%", "99.9", shown="99,9 %"),
    pct("trên 93%", "93", GT, shown="> 93 %"),
    pct("trên 96%", "96", GT, shown="> 96 %"),
    pct("từ 35% trở lên", "35", GTE, shown="≥ 35 %"),
    pct("từ 95% trở lên", "95", GTE, shown="≥ 95 %"),
    pct("từ 96% trở lên", "96", GTE, shown="≥ 96 %"),
    pct("từ 97% trở lên", "97", GTE, shown="≥ 97 %"),
    pct("từ 99% trở lên", "99", GTE, shown="≥ 99 %"),
    pct("từ 99,5 % trở lên", "99.5", GTE, shown="≥ 99,5 %"),
    pct("từ 99,5% trở lên", "99.5", GTE, shown="≥ 99,5 %"),
    pct("từ 99,7% trở lên", "99.7", GTE, shown="≥ 99,7 %"),
    pct("ít nhất 95%", "95", GTE, shown="≥ 95 %"),
]

# Wordings named in the brief, the glossary or the seeds' README that the four documents do not
# contain word for word.
OTHER_WORDINGS = [
    ratio(
        "18/21 trường đạt 85,71%", 18, 21, "85.71", "trường", shown="18/21 trường (85,71 %)"
    ),  # 18/21 = 85,714… → 85,71
    pct("dưới 3%", "3", LT, shown="< 3 %"),
    pct("không quá 2%", "2", LTE, shown="≤ 2 %"),
    unparsed("..."),
    unparsed("-"),
    stage("Hoàn thành", "Hoàn thành"),
    stage("Chưa hoàn thành", "Chưa hoàn thành"),
    stage("mức độ 2 trở lên", "Mức độ 2", 2, GTE, shown="Mức độ 2 trở lên"),
    boolean("Không đạt", False),
    boolean("Có", True),
    boolean("Không", False),
]

# "Keep at": "duy trì", "duy trì vững chắc", "giữ vững" before a value keep that value; alone, or
# before words with no value, they are the stage "Duy trì" (keep the baseline). The first three
# long wordings are the seeds' own (Chi Lăng II, Hà Bắc II.2, Đức Phổ II.1).
KEEP_WORDINGS = [
    stage("duy trì phổ cập giáo dục tiểu học toàn huyện mức độ 3", "Mức độ 3", 3, kept=True, shown="Duy trì mức độ 3"),
    Case(
        "Phấn đấu duy trì vững chắc phổ cập giáo dục mầm non cho trẻ 5 tuổi, phổ cập giáo dục tiểu học và "
        "trung học cơ sở",
        ValueKind.STAGE,
        stage="Duy trì",
        flag=Flag.AMBIGUOUS,
        shown="Duy trì",
    ),
    Case(
        "giữ vững kết quả đạt chuẩn phổ cập giáo dục mầm non trẻ 5 tuổi",
        ValueKind.STAGE,
        stage="Duy trì",
        flag=Flag.AMBIGUOUS,
        shown="Duy trì",
    ),
    pct("Duy trì 100%", "100", kept=True, shown="Duy trì 100 %"),
    pct("giữ vững 100%", "100", kept=True, shown="Duy trì 100 %"),
    pct("duy trì vững chắc 100 %", "100", kept=True, shown="Duy trì 100 %"),
    pct("Tiếp tục duy trì trên 99%", "99", GT, kept=True, shown="Duy trì > 99 %"),
    pct("duy trì từ 99,9% trở lên", "99.9", GTE, kept=True, shown="Duy trì ≥ 99,9 %"),
    pct("duy trì đạt 98%", "98", kept=True, shown="Duy trì 98 %"),
    ratio("duy trì 15/15 xã, phường", 15, 15, "100", "xã, phường", kept=True, shown="Duy trì 15/15 xã, phường (100 %)"),
    count("duy trì 06 trường", "6", "trường", kept=True, shown="Duy trì 6 trường"),
    stage("duy trì mức độ 3", "Mức độ 3", 3, kept=True, shown="Duy trì mức độ 3"),
    stage("Giữ vững", "Duy trì", shown="Duy trì"),
    stage("Duy trì vững chắc", "Duy trì", shown="Duy trì"),
    # More than keeping, or two levels in one cell: not guessed.
    unparsed("Duy trì và nâng cao chất lượng tiêu chí “Cộng đồng học tập” cấp xã"),
    unparsed("duy trì, củng cố kết quả phổ cập giáo dục mầm non cho trẻ 5 tuổi với tỷ lệ huy động đạt 100%"),
    unparsed("giữ vững tỷ lệ giáo viên đạt chuẩn và nâng tỷ lệ giáo viên có trình độ trên chuẩn đạt trên 29%"),
    unparsed("duy trì phổ cập tiểu học mức độ 3 và trung học cơ sở mức độ 2"),
]

# Wordings the four seeds do not have: the phrases other offices write (reported by a new user, or
# in other provinces' plans), each with its reading and its display.
OTHER_STYLES = [
    # keep at a value, a level or a named standard
    stage("Duy trì mức độ 3", "Mức độ 3", 3, kept=True),
    pct("giữ vững 99,5%", "99.5", kept=True, shown="Duy trì 99,5 %"),
    pct("duy trì vững chắc trên 98%", "98", GT, kept=True, shown="Duy trì > 98 %"),
    pct("tiếp tục duy trì 100% trường", "100", noun="trường", kept=True, shown="Duy trì 100 % trường"),
    stage("Duy trì đạt chuẩn mức độ 2", "Mức độ 2", 2, kept=True, shown="Duy trì mức độ 2"),
    stage(
        "tiếp tục duy trì chuẩn phổ cập giáo dục mầm non cho trẻ 5 tuổi",
        "Chuẩn phổ cập giáo dục mầm non cho trẻ 5 tuổi",
        kept=True,
        shown="Duy trì chuẩn phổ cập giáo dục mầm non cho trẻ 5 tuổi",
    ),
    stage("Giữ vững chuẩn xóa mù chữ mức độ 2", "Mức độ 2", 2, kept=True, shown="Duy trì mức độ 2"),
    stage("Tiếp tục duy trì", "Duy trì", shown="Duy trì"),
    # aims and thresholds
    pct("Phấn đấu đạt 95%", "95", shown="95 %"),
    pct("đạt tỉ lệ 99,0% trở lên", "99.0", GTE, shown="≥ 99 %"),
    pct("đạt tỷ lệ 98,5% trở lên", "98.5", GTE, shown="≥ 98,5 %"),
    pct("với tỷ lệ đạt 99 phần trăm", "99", shown="99 %"),
    pct("99,5 phần trăm trở lên", "99.5", GTE, shown="≥ 99,5 %"),
    pct("95 % trở xuống", "95", LTE, shown="≤ 95 %"),
    pct("không dưới 90%", "90", GTE, shown="≥ 90 %"),
    pct("không thấp hơn 85 %", "85", GTE, shown="≥ 85 %"),
    pct("không ít hơn 70%", "70", GTE, shown="≥ 70 %"),
    pct("không cao hơn 1,5%", "1.5", LTE, shown="≤ 1,5 %"),
    pct("tối thiểu đạt 80%", "80", GTE, shown="≥ 80 %"),
    pct("tối đa 0,5%", "0.5", LTE, shown="≤ 0,5 %"),
    pct("dưới 1%", "1", LT, shown="< 1 %"),
    pct_range("từ 4% đến 6%", "4", "6", shown="4–6 %"),
    pct_range("từ 90 đến 95%", "90", "95", shown="90–95 %"),
    pct_range("90 - 95 %", "90", "95", shown="90–95 %"),
    count("ít nhất 05 trường", "5", "trường", GTE, shown="≥ 5 trường"),
    count("06 trường trở lên", "6", "trường", GTE, shown="≥ 6 trường"),
    pct("100% trường", "100", noun="trường", shown="100 % trường"),
    pct("đạt 100 % số xã", "100", noun="số xã", shown="100 % số xã"),
    # about
    pct("khoảng 80%", "80", approximate=True, shown="khoảng 80 %"),
    pct("gần 90%", "90", approximate=True, shown="khoảng 90 %"),
    pct("xấp xỉ 95%", "95", approximate=True, shown="khoảng 95 %"),
    pct("trên dưới 70%", "70", approximate=True, shown="khoảng 70 %"),
    count("khoảng 1.200 học sinh", "1200", "học sinh", approximate=True),
    pct("đạt khoảng 60% trở lên", "60", GTE, approximate=True, shown="khoảng ≥ 60 %"),
    pct("Duy trì khoảng 80%", "80", approximate=True, kept=True, shown="Duy trì khoảng 80 %"),
    # ranks: one reading with indicators.status (indicators.phrases.read_rank)
    rank("tốp đầu", "Tốp đầu", 3, shown="Tốp đầu"),
    rank("Tốp đầu của tỉnh", "Tốp đầu", 3, shown="Tốp đầu"),
    rank("trong nhóm dẫn đầu", "Tốp đầu", 3, shown="Tốp đầu"),
    rank("nằm trong tốp dẫn đầu toàn tỉnh", "Tốp đầu", 3, shown="Tốp đầu"),
    rank("xếp thứ 3", "Xếp thứ 3", 3, shown="Xếp thứ 3"),
    rank("đứng thứ 2 toàn tỉnh", "Xếp thứ 2", 2, shown="Xếp thứ 2"),
    rank("xếp thứ nhất", "Xếp thứ 1", 1, shown="Xếp thứ 1"),
    rank("top 10", "Tốp 10", 10, shown="Tốp 10"),
    rank("Tốp 5", "Tốp 5", 5),
    rank("dẫn đầu khối huyện ngoại thành", "Dẫn đầu", 1, shown="Dẫn đầu"),
    rank("Phấn đấu xếp thứ 3 trong tỉnh", "Xếp thứ 3", 3, shown="Xếp thứ 3"),
    rank("Chất lượng giáo dục xếp tốp đầu", "Tốp đầu", 3, flag=Flag.AMBIGUOUS, shown="Tốp đầu"),
    # scores
    score("7,5 điểm", "7.5"),
    score("≥ 6,5 điểm", "6.5", comparator=GTE),
    score("đạt từ 7,0 điểm trở lên", "7.0", comparator=GTE, shown="≥ 7 điểm"),
    score("điểm trung bình 6,0 trở lên", "6.0", "điểm trung bình", GTE, shown="Điểm trung bình ≥ 6"),
    score(
        "Điểm trung bình thi tốt nghiệp THPT đạt 6,5 trở lên",
        "6.5",
        "điểm trung bình thi tốt nghiệp THPT",
        GTE,
        shown="Điểm trung bình thi tốt nghiệp THPT ≥ 6,5",
    ),
    # ratios with their percentage: rounded, cut off (noted), wrong (inconsistent)
    ratio("5/6 trường", 5, 6, "83.33", "trường", shown="5/6 trường (83,33 %)"),
    ratio("5/6 trường (83,3%)", 5, 6, "83.3", "trường", shown="5/6 trường (83,3 %)"),
    ratio("13/15 (86,67%)", 13, 15, "86.67", "", shown="13/15 (86,67 %)"),
    ratio("62/64 trường (96,87%)", 62, 64, "96.87", "trường", flag=Flag.AMBIGUOUS, shown="62/64 trường (96,87 %)"),
    ratio("62/64 trường (95%)", 62, 64, "95", "trường", flag=Flag.INCONSISTENT, shown="62/64 trường (95 %)"),
    ratio("28/30 trường đạt 93,33%", 28, 30, "93.33", "trường", shown="28/30 trường (93,33 %)"),
    # several sentences, one holding the value
    pct("Phấn đấu đạt chuẩn. Tỷ lệ đạt 95%.", "95", shown="95 %"),
    count("Tăng cường cơ sở vật chất; có 05 trường đạt chuẩn", "5", "trường đạt chuẩn", shown="5 trường đạt chuẩn"),
]

SEED_CASES = (
    VINH_BAO_APPENDIX_I
    + VINH_BAO_PROSE
    + VINH_BAO_APPENDIX_III
    + DUC_PHO_PROSE
    + CHI_LANG_PROSE
    + HA_BAC_PROSE
    + FIXTURE_PROSE
)
ALL_CASES = SEED_CASES + OTHER_WORDINGS + KEEP_WORDINGS + OTHER_STYLES


def _id(case: Case) -> str:
    return repr(case.wording)


def test_the_table_lists_each_wording_once():
    wordings = [case.wording for case in ALL_CASES]
    assert len(wordings) == len(set(wordings))
    assert len(wordings) >= 60


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "plans"
# Seed wordings that are deliberately not read: the document gives no value the portal could check.
UNREAD_ON_PURPOSE = {
    "???": "Vĩnh Bảo, 2030 target of the THPT chất lượng cao model: the document itself has no value",
}


def fixture_wordings() -> set[str]:
    """Every baseline and milestone wording of the seed plans, as the fixtures hold them."""
    wordings = set()
    for path in sorted(FIXTURES.glob("*.yaml")):
        for target in yaml.safe_load(path.read_text(encoding="utf-8"))["targets"]:
            if target.get("baseline"):
                wordings.add(target["baseline"]["wording"])
            wordings.update(target["milestones"].values())
    return wordings


def test_every_fixture_wording_is_in_the_table():
    listed = {case.wording for case in ALL_CASES}
    assert sorted(fixture_wordings() - listed) == []


def test_every_fixture_wording_is_read():
    unread = {w for w in fixture_wordings() if parse_value(w).flag is Flag.UNPARSED}
    assert unread == set(UNREAD_ON_PURPOSE)


@pytest.mark.parametrize("case", ALL_CASES, ids=_id)
def test_it_reads_every_seed_wording(case: Case):
    parsed = parse_value(case.wording)

    assert parsed.wording == case.wording.strip()
    assert parsed.kind is case.kind
    assert parsed.comparator is case.comparator
    assert parsed.value == (None if case.value is None else Decimal(case.value))
    assert parsed.value_high == (None if case.value_high is None else Decimal(case.value_high))
    assert parsed.noun == case.noun
    assert parsed.flag is case.flag
    assert bool(parsed.flag_reason) == (case.flag is not Flag.NONE)
    assert (parsed.numerator, parsed.denominator) == (case.ratio or (None, None))
    assert parsed.stage == case.stage
    assert parsed.stage_number == case.stage_number
    assert parsed.boolean is case.boolean
    assert (parsed.approximate, parsed.kept) == (case.approximate, case.kept)


@pytest.mark.parametrize("case", ALL_CASES, ids=_id)
def test_it_shows_every_wording_in_the_portals_style(case: Case):
    shown = case.shown if case.shown is not None else case.wording.strip()
    assert format_value(parse_value(case.wording)).replace(NBSP, " ") == shown


@pytest.mark.parametrize("case", ALL_CASES, ids=_id)
def test_numbers_are_decimals_never_floats(case: Case):
    parsed = parse_value(case.wording)
    for number in (parsed.value, parsed.value_high):
        assert number is None or isinstance(number, Decimal)


ROUND_TRIP_FIELDS = (
    "kind",
    "comparator",
    "value",
    "value_high",
    "numerator",
    "denominator",
    "stage",
    "boolean",
    "approximate",
    "kept",
)


@pytest.mark.parametrize("case", [c for c in ALL_CASES if c.kind not in (ValueKind.TEXT, ValueKind.EMPTY)], ids=_id)
def test_the_canonical_form_reads_back_the_same(case: Case):
    first = parse_value(case.wording)
    shown = format_value(first)
    again = parse_value(shown)

    for field in ROUND_TRIP_FIELDS:
        assert getattr(again, field) == getattr(first, field), field
    assert again.noun == first.noun
    # AMBIGUOUS may go (the canonical form has a decimal comma); nothing new may appear.
    assert again.flag in (Flag.NONE, first.flag)
    assert format_value(again) == shown


@pytest.mark.parametrize("case", [c for c in ALL_CASES if c.kind in (ValueKind.TEXT, ValueKind.EMPTY)], ids=_id)
def test_unreadable_and_empty_values_display_their_wording(case: Case):
    assert format_value(parse_value(case.wording)) == case.wording.strip()


# --- flags and their reasons ---------------------------------------------------------------


def test_an_unreadable_value_says_so_in_vietnamese():
    parsed = parse_value("???")
    assert parsed.flag is Flag.UNPARSED
    assert parsed.flag_reason == "Không đọc được giá trị: “???”"
    assert parsed.is_flagged


def test_a_decimal_point_in_a_percent_is_read_as_decimal_and_flagged():
    parsed = parse_value("84.72%")
    assert parsed.value == Decimal("84.72")
    assert parsed.flag is Flag.AMBIGUOUS
    assert parsed.flag_reason == "Dấu chấm thập phân “84.72%” được hiểu là 84,72%"


def test_a_dot_before_three_digits_outside_a_percent_is_a_thousands_dot():
    assert parse_value("344.050").value == Decimal(344050)
    assert parse_value("344.050").flag is Flag.NONE


def test_a_dot_before_other_digits_outside_a_percent_is_read_as_decimal_and_flagged():
    parsed = parse_value("2.5 trường")
    assert (parsed.value, parsed.flag) == (Decimal("2.5"), Flag.AMBIGUOUS)


def test_thousands_dot_and_decimal_comma_together():
    assert parse_value("1.234,5").value == Decimal("1234.5")


@pytest.mark.parametrize("wording", ["1,234.5", "1,234,567", "1.23.4"])
def test_numbers_mixing_separator_systems_are_not_guessed(wording):
    assert parse_value(wording).flag is Flag.UNPARSED


def test_a_stated_percent_that_disagrees_with_its_ratio_is_inconsistent():
    parsed = parse_value("18/21 trường đạt 87,5%")
    assert parsed.kind is ValueKind.RATIO
    assert parsed.value == Decimal("87.5")  # what the document says is kept
    assert parsed.flag is Flag.INCONSISTENT
    assert parsed.flag_reason == "Tỷ lệ ghi 87,5% nhưng 18/21 = 85,71%"


@pytest.mark.parametrize(
    "wording",
    [
        "86,7% (13/15 trường)",  # 86,666… rounds to 86,7
        "22,78% (18/79 trường)",  # 22,784… rounds to 22,78
        "18/21 trường đạt 85,71%",
        "13/15 trường (86,67 %)",
    ],
)
def test_a_stated_percent_is_compared_at_the_precision_written(wording):
    assert parse_value(wording).flag is Flag.NONE


def test_a_truncated_percent_is_noted_with_its_rounding():
    parsed = parse_value("86% (13/15 trường)")
    assert parsed.flag is Flag.AMBIGUOUS
    assert parsed.flag_reason == "86% là số cắt bớt của 13/15 = 86,666…%; làm tròn là 87%"
    parsed = parse_value("62/64 trường (96,87%)")
    assert (parsed.value, parsed.flag) == (Decimal("96.87"), Flag.AMBIGUOUS)
    assert parsed.flag_reason == "96,87% là số cắt bớt của 62/64 = 96,875%; làm tròn là 96,88%"


def test_a_wrong_percent_beside_its_fraction_stays_inconsistent():
    parsed = parse_value("62/64 trường (95%)")
    assert parsed.flag is Flag.INCONSISTENT
    assert parsed.flag_reason == "Tỷ lệ ghi 95% nhưng 62/64 = 96,88%"


def test_a_percent_above_100_is_inconsistent():
    parsed = parse_value("120%")
    assert (parsed.kind, parsed.value, parsed.flag) == (ValueKind.PERCENT, Decimal(120), Flag.INCONSISTENT)
    assert parsed.flag_reason == "Tỷ lệ vượt 100%: 120%"


def test_a_ratio_above_one_is_inconsistent():
    parsed = parse_value("16/15 trường")
    assert parsed.flag is Flag.INCONSISTENT
    assert "16/15" in parsed.flag_reason


def test_a_reversed_range_is_kept_as_written_and_inconsistent():
    parsed = parse_value("6-4%")
    assert (parsed.value, parsed.value_high, parsed.flag) == (Decimal(6), Decimal(4), Flag.INCONSISTENT)


@pytest.mark.parametrize(
    "wording",
    ["0/0 trường", "trên 35% trở xuống", "Trên 4-6%", "khoảng", "12/3/2024", "50% (22%)", "trên mức độ 2", "x"],
)
def test_odd_wordings_are_kept_as_text_and_flagged(wording):
    parsed = parse_value(wording)
    assert (parsed.kind, parsed.flag, parsed.wording) == (ValueKind.TEXT, Flag.UNPARSED, wording)
    assert parsed.comparator is None
    assert parsed.value is None


def test_a_keep_wording_without_a_value_says_how_it_was_read():
    parsed = parse_value("giữ vững kết quả đạt chuẩn phổ cập giáo dục mầm non trẻ 5 tuổi")
    assert parsed.flag_reason == "Không có giá trị sau “giữ vững”: hiểu là Duy trì (giữ mức hiện tại)"
    assert format_value(parsed) == "Duy trì"


def test_from_without_an_end_is_read_as_at_least_and_flagged():
    parsed = parse_value("từ 5 trường")
    assert (parsed.comparator, parsed.value, parsed.flag) == (GTE, Decimal(5), Flag.AMBIGUOUS)


def test_from_to_is_a_range():
    parsed = parse_value("từ 4 đến 6%")
    assert (parsed.kind, parsed.comparator, parsed.value, parsed.value_high) == (
        ValueKind.PERCENT,
        BETWEEN,
        Decimal(4),
        Decimal(6),
    )


@pytest.mark.parametrize("wording", ["≥ 90%", ">= 90%", "ít nhất 90%", "90% trở lên"])
def test_every_way_of_writing_at_least(wording):
    assert parse_value(wording).comparator is GTE


@pytest.mark.parametrize("wording", ["≤ 2%", "<= 2%", "tối đa 2%", "không quá 2%", "không vượt quá 2%"])
def test_every_way_of_writing_at_most(wording):
    assert parse_value(wording).comparator is LTE


def test_it_reads_decomposed_accents_no_break_spaces_and_en_dashes():
    assert parse_value(unicodedata.normalize("NFD", "Trên 35%")).comparator is GT
    assert parse_value(unicodedata.normalize("NFD", "Hoàn thành giai đoạn 1")).stage_number == 1
    parsed = parse_value(f"4\u20136{NBSP}%")
    assert (parsed.comparator, parsed.value, parsed.value_high) == (BETWEEN, Decimal(4), Decimal(6))


def test_the_wording_is_kept_but_surrounding_whitespace_is_not():
    assert parse_value("  06 trường \t").wording == "06 trường"


def test_parsed_values_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_value("79,3%").value = Decimal(1)  # type: ignore[misc]


def test_enum_values_are_what_the_database_stores():
    assert [c.value for c in Comparator] == ["gte", "gt", "lte", "lt", "eq", "between"]
    assert Flag.NONE == ""
    assert ValueKind.RATIO == "ratio"
    assert isinstance(parse_value("79,3%"), ParsedValue)


# --- display -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wording,shown",
    [
        ("từ 99,9% trở lên", f"≥{NBSP}99,9{NBSP}%"),
        ("Trên 35%", f">{NBSP}35{NBSP}%"),
        ("< 3%", f"<{NBSP}3{NBSP}%"),
        ("không quá 2%", f"≤{NBSP}2{NBSP}%"),
        ("4-6%", f"4\u20136{NBSP}%"),
        ("87%-88%", f"87\u201388{NBSP}%"),
        ("79,3%", f"79,3{NBSP}%"),
        ("100 %", f"100{NBSP}%"),
        ("84.72%", f"84,72{NBSP}%"),
        ("0,02%", f"0,02{NBSP}%"),
        ("06 trường", "6 trường"),
        ("03", "3"),
        ("01 TT Tin học", "1 TT Tin học"),
        ("ít nhất 03 trường", f"≥{NBSP}3 trường"),
        ("13/15 trường", f"13/15 trường (86,67{NBSP}%)"),
        ("86,7% (13/15 trường)", f"13/15 trường (86,7{NBSP}%)"),
        ("15/15 xã, phường", f"15/15 xã, phường (100{NBSP}%)"),
        ("344.050", "344.050"),
        ("3000", "3.000"),
        ("Hoàn thành giai đoạn 1", "Hoàn thành giai đoạn 1"),
        ("đang thực hiện", "Đang thực hiện"),
        ("mức độ II", "Mức độ 2"),
        ("mức độ 2 trở lên", "Mức độ 2 trở lên"),
        ("Đạt", "Đạt"),
        ("Có", "Có"),
        ("???", "???"),
        ("", ""),
    ],
)
def test_format_value_examples(wording, shown):
    assert format_value(parse_value(wording)) == shown


@pytest.mark.parametrize(
    "number,places,shown",
    [
        (Decimal(344050), None, "344.050"),
        (Decimal("22.78"), None, "22,78"),
        (Decimal("0.02"), None, "0,02"),
        (Decimal("100.00"), None, "100"),
        (Decimal("1E+2"), None, "100"),
        (Decimal("1234567.5"), None, "1.234.567,5"),
        (Decimal(0), None, "0"),
        (Decimal(-1234), None, "-1.234"),
        (Decimal("1.5"), 2, "1,50"),
        (Decimal("86.666"), 2, "86,67"),
        (Decimal("0.005"), 2, "0,01"),  # half up, as the plans round
        (Decimal("2.5"), 0, "3"),
    ],
)
def test_format_decimal_vi_examples(number, places, shown):
    assert format_decimal_vi(number, places) == shown


def test_format_decimal_vi_refuses_what_is_not_a_number():
    with pytest.raises(ValueError):
        format_decimal_vi(Decimal("NaN"))


@pytest.mark.parametrize(
    "wording",
    ["99999999999999999999", "1.000.000.000.000.000", "100.000.000.000.000 phòng", "3000000000/4000000000 trường"],
)
def test_a_number_too_big_to_store_is_not_read_and_says_why(wording):
    parsed = parse_value(wording)
    assert (parsed.kind, parsed.flag) == (ValueKind.TEXT, Flag.UNPARSED)
    assert "số quá lớn" in parsed.flag_reason
    assert parse_value("99.999.999.999.999").value == Decimal("99999999999999")  # the largest kept
