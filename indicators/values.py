"""What ``indicators.wording`` reads a value into: its kinds, comparators, flags and ParsedValue.

Apart from the parser so that the types read on one page; ``indicators.wording`` re-exports them.
"""

import enum
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["EN_DASH", "NBSP", "Comparator", "Flag", "ParsedValue", "ValueKind", "severity"]

# Between a number and "%", and between a comparator and its number, so lines never break there.
NBSP = "\u00a0"
EN_DASH = "\u2013"


class Comparator(enum.StrEnum):
    """How the achieved value is compared with the target. Values are what the DB stores."""

    GTE = "gte"
    GT = "gt"
    LTE = "lte"
    LT = "lt"
    EQ = "eq"
    BETWEEN = "between"


class ValueKind(enum.StrEnum):
    PERCENT = "percent"  # 79,3%
    COUNT = "count"  # 06 trường, 03, 01 phòng, 172 phòng, plain numbers (344.050)
    RATIO = "ratio"  # 13/15 trường, 18/21 trường đạt 85,71%
    STAGE = "stage"  # Hoàn thành giai đoạn 1, mức độ 3, Chưa đánh giá, đang thực hiện, Duy trì
    RANK = "rank"  # tốp đầu, xếp thứ 3, top 10: value is the worst place allowed (comparator LTE)
    SCORE = "score"  # 7,5 điểm, điểm trung bình 6,0 trở lên
    BOOLEAN = "boolean"  # Đạt / Không đạt / Có / Không
    TEXT = "text"  # could not be parsed: kept as text and flagged
    EMPTY = "empty"  # empty cell


class Flag(enum.StrEnum):
    """Why a person should look at this value. Ordered here from least to most serious."""

    NONE = ""
    AMBIGUOUS = "ambiguous"  # parsed, but the document's format had to be interpreted
    INCONSISTENT = "inconsistent"  # parsed, but the numbers disagree with each other
    UNPARSED = "unparsed"  # not understood at all: only the wording is kept


_SEVERITY = {Flag.NONE: 0, Flag.AMBIGUOUS: 1, Flag.INCONSISTENT: 2, Flag.UNPARSED: 3}


def severity(flag: Flag) -> int:
    return _SEVERITY[flag]


@dataclass(frozen=True)
class ParsedValue:
    wording: str  # exactly what the document said, stripped of surrounding whitespace
    kind: ValueKind
    comparator: Comparator | None  # EQ for a plain value, BETWEEN for ranges, None for TEXT/EMPTY/STAGE
    value: Decimal | None  # the value or the low bound of a range (a percent as 79.3, not 0.793)
    value_high: Decimal | None  # the high bound for BETWEEN
    numerator: int | None  # RATIO: 13 of 13/15
    denominator: int | None  # RATIO: 15 of 13/15
    noun: str  # the counted thing: "trường", "phòng", "TT Tin học", "xã, phường"; "" if none
    stage: str  # STAGE: normalised text, e.g. "Hoàn thành giai đoạn 1"
    stage_number: int | None  # 1 for "giai đoạn 1", 3 for "mức độ 3"
    boolean: bool | None
    flag: Flag
    flag_reason: str  # Vietnamese, for the person who checks the value
    approximate: bool = False  # "khoảng 80%", "gần 90%": the document gives the value as about
    kept: bool = False  # "Duy trì 100%", "giữ vững mức độ 3": keep at the value (same goal, kept words)

    @property
    def is_flagged(self) -> bool:
        return self.flag is not Flag.NONE
