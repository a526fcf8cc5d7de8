"""The phrases Vietnamese plans put around a target value, as tables ``indicators.wording`` reads.

Kept apart from the parser so that a new way of writing "at least" or "about" is one line here.
Also the one reading of a ranking wording ("tốp đầu", "xếp thứ 3", "top 10"), shared by the
parser (kind RANK) and ``indicators.status`` (the rank a target allows).

Pure standard library, like ``indicators.wording``.
"""

import re
import unicodedata

__all__ = ["TOP_GROUP_RANK", "RankReading", "rank_label", "rank_lead_is_plain", "read_rank", "read_rank_phrase"]

# --- comparators -------------------------------------------------------------------------------

# Before the value. Values are ``Comparator`` values, or "from" ("từ X": GTE with "trở lên", a
# range with "đến"). Longest first where one phrase starts another ("không quá" / "không").
WORD_PREFIXES: dict[str, str] = {
    "ít nhất": "gte",
    "tối thiểu": "gte",
    "không dưới": "gte",
    "không thấp hơn": "gte",
    "không ít hơn": "gte",
    "không vượt quá": "lte",
    "không quá": "lte",
    "không cao hơn": "lte",
    "không nhiều hơn": "lte",
    "tối đa": "lte",
    "nhiều hơn": "gt",
    "cao hơn": "gt",
    "trên": "gt",
    "hơn": "gt",
    "thấp hơn": "lt",
    "ít hơn": "lt",
    "dưới": "lt",
    "từ": "from",
}
SYMBOL_PREFIXES: dict[str, str] = {">=": "gte", "≥": "gte", "<=": "lte", "≤": "lte", ">": "gt", "<": "lt"}
# After the value: "99% trở lên", "2% trở xuống", "3 trường trở lên".
SUFFIXES: dict[str, str] = {"trở lên": "gte", "trở xuống": "lte"}

# --- words that carry no meaning for the value --------------------------------------------------

# "phấn đấu đạt từ 35% trở lên", "đạt tỉ lệ 99,0% trở lên", "với tỷ lệ huy động đạt 100%" (the
# words are dropped from the front only, and only while a value is left after them).
FILLERS = (
    "phấn đấu",
    "tỷ lệ",
    "tỉ lệ",
    "với",
    "đạt",
    "là",
    "có",
    "lên",
    "bằng",
    "ở mức",
)

# --- about, keep --------------------------------------------------------------------------------

# "khoảng 80%", "gần 90%", "xấp xỉ 95%", "trên dưới 70%": the value is read and kept as approximate.
APPROXIMATE = ("khoảng", "gần", "xấp xỉ", "trên dưới", "ước đạt", "ước khoảng", "chừng")
# "Duy trì 100%", "giữ vững 100%", "tiếp tục duy trì trên 99%": keep at the value that follows.
KEEP = ("duy trì vững chắc", "duy trì ổn định", "duy trì", "giữ vững", "giữ ổn định")

# --- words that are the whole value ------------------------------------------------------------

BOOLEANS: dict[str, tuple[str, bool]] = {
    "đạt": ("Đạt", True),
    "không đạt": ("Không đạt", False),
    "chưa đạt": ("Chưa đạt", False),
    "có": ("Có", True),
    "không": ("Không", False),
}
STAGE_WORDS: dict[str, str] = {
    "chưa đánh giá": "Chưa đánh giá",
    "đang thực hiện": "Đang thực hiện",
    "đang triển khai": "Đang triển khai",
    "hoàn thành": "Hoàn thành",
    "đã hoàn thành": "Hoàn thành",
    "chưa hoàn thành": "Chưa hoàn thành",
    # Keep the current level: the target equals the baseline.
    "duy trì": "Duy trì",
    "duy trì vững chắc": "Duy trì",
    "duy trì ổn định": "Duy trì",
    "tiếp tục duy trì": "Duy trì",
    "giữ vững": "Duy trì",
    "giữ ổn định": "Duy trì",
}
STAGE_LABELS: dict[str, str] = {
    "hoàn thành giai đoạn": "Hoàn thành giai đoạn",
    "giai đoạn": "Giai đoạn",
    "mức độ": "Mức độ",
    "cấp độ": "Cấp độ",
}
# The plans write levels both ways: "mức độ II" in Vĩnh Bảo, "mức độ 3" in Đức Phổ.
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}

# "điểm trung bình 6,0 trở lên", "điểm bình quân các môn thi đạt 6,5": what is scored, before the value.
SCORE_LEADS = ("điểm trung bình", "điểm bình quân", "điểm thi trung bình")
SCORE_NOUN = "điểm"


def alternatives(words) -> str:
    """A regex alternation of ``words``, longest first so that no phrase stops inside a longer one."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


# --- ranks -------------------------------------------------------------------------------------

# "tốp đầu", "trong nhóm dẫn đầu": the plans name no number; the first three places.
TOP_GROUP_RANK = 3
_RANK_WORDS = {"nhất": 1, "nhì": 2, "hai": 2, "ba": 3}
# One alternative per reading, longest first at each place: "tốp dẫn đầu" is a group, not first.
_RANK = re.compile(
    r"(?:tốp|top)\s+(?P<top>\d{1,3})\b"
    r"|(?:thứ|hạng)\s+(?P<place>\d{1,3}|nhất|nhì|hai|ba)\b"
    r"|(?P<group>(?:tốp|top|nhóm)\s+(?:dẫn\s+)?đầu)"
    r"|(?P<first>dẫn\s+đầu|đứng\s+đầu)"
)
# Words that may stand before a rank without changing it: "phấn đấu xếp thứ 3", "trong nhóm dẫn đầu".
_RANK_LEAD = re.compile(
    r"(?:(?:phấn đấu|tiếp tục|duy trì|giữ vững|luôn|đạt|xếp|đứng|nằm|thuộc|vào|trong|vị trí|thứ hạng)\s+)*"
)


class RankReading:
    """One rank wording read: the worst place it allows, how it was written, and where."""

    __slots__ = ("end", "rank", "start", "way")

    def __init__(self, rank: int, way: str, start: int, end: int):
        self.rank, self.way, self.start, self.end = rank, way, start, end


def _fold(wording: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", wording)).strip().lower()


def read_rank_phrase(wording: str) -> RankReading | None:
    """The one rank ``wording`` names, or None when it names none, or two different ones.

    ``way`` is "top" (tốp 5), "place" (xếp thứ 3), "group" (tốp đầu, nhóm dẫn đầu) or "first"
    (dẫn đầu, đứng đầu); ``start``/``end`` span the rank phrase in the folded text.
    """
    text = _fold(wording)
    found: dict[int, RankReading] = {}
    for m in _RANK.finditer(text):
        if m["top"]:
            reading = RankReading(int(m["top"]), "top", m.start(), m.end())
        elif m["place"]:
            reading = RankReading(_RANK_WORDS.get(m["place"]) or int(m["place"]), "place", m.start(), m.end())
        elif m["group"]:
            reading = RankReading(TOP_GROUP_RANK, "group", m.start(), m.end())
        else:
            reading = RankReading(1, "first", m.start(), m.end())
        found.setdefault(reading.rank, reading)
    return next(iter(found.values())) if len(found) == 1 else None


def read_rank(wording: str) -> int | None:
    """The worst rank a ranking wording allows: "dẫn đầu" 1, "tốp đầu" 3, "tốp 5" 5, "xếp thứ 3" 3.

    "tốp đầu", "tốp dẫn đầu" and "(trong) nhóm (dẫn) đầu" name no number: ``TOP_GROUP_RANK``.
    None when the wording names no rank, or two different ones ("dẫn đầu …, tốp đầu …").
    """
    reading = read_rank_phrase(wording)
    return reading.rank if reading else None


def rank_lead_is_plain(before: str) -> bool:
    """True when the words before a rank phrase only say "be at" it ("phấn đấu xếp", "trong")."""
    return _RANK_LEAD.fullmatch(before) is not None


def rank_label(reading: RankReading) -> str:
    """The canonical display of a rank, which reads back as the same rank: "Tốp đầu", "Xếp thứ 3"."""
    if reading.way == "top":
        return f"Tốp {reading.rank}"
    if reading.way == "place":
        return f"Xếp thứ {reading.rank}"
    if reading.way == "group":
        return "Tốp đầu"
    return "Dẫn đầu"
