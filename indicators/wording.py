"""Read the wording of a target value the way Vietnamese plans write it.

Plans write targets as "79,3%", "< 3%", "4-6%", "Trên 35%", "06 trường", "13/15 trường",
"Hoàn thành giai đoạn 1", "Đạt", or even "???". ``parse_value()`` turns one such wording into a
``ParsedValue`` that keeps the original text next to its parsed parts. Anything it cannot read is
kept as TEXT and flagged: it never guesses and never drops the wording, so that a person can
always compare what the document said with what the portal understood.

"Duy trì", "duy trì vững chắc" and "giữ vững" before a value mean "keep at" that value: "Duy trì
100%" is read as 100 % (EQ), "duy trì phổ cập giáo dục tiểu học toàn huyện mức độ 3" as Mức độ 3.
Alone, or before words that hold no value ("duy trì vững chắc phổ cập giáo dục mầm non …"), they
are the stage "Duy trì": keep the baseline (the latter flagged AMBIGUOUS). The wording is kept whole.

``format_value()`` writes the canonical Vietnamese display back, and
``parse_value(format_value(p))`` gives the same parts as ``p`` (tested in
tests/indicators/test_wording.py). ``format_decimal_vi()`` is shared with the money columns.

Pure standard library on purpose: imports, models, fixtures and tests use it without Django.
"""

import enum
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "Comparator",
    "Flag",
    "ParsedValue",
    "ValueKind",
    "format_decimal_vi",
    "format_value",
    "parse_value",
]

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

    @property
    def is_flagged(self) -> bool:
        return self.flag is not Flag.NONE


def _make(wording: str, kind: ValueKind, **parts) -> ParsedValue:
    fields = {
        "comparator": None,
        "value": None,
        "value_high": None,
        "numerator": None,
        "denominator": None,
        "noun": "",
        "stage": "",
        "stage_number": None,
        "boolean": None,
        "flag": Flag.NONE,
        "flag_reason": "",
    }
    fields.update(parts)
    return ParsedValue(wording=wording, kind=kind, **fields)


def _unparsed(wording: str, detail: str = "") -> ParsedValue:
    reason = f"Không đọc được giá trị: “{wording}”"
    if detail:
        reason = f"{reason} ({detail})"
    return _make(wording, ValueKind.TEXT, flag=Flag.UNPARSED, flag_reason=reason)


# --- numbers ---------------------------------------------------------------------------------


def format_decimal_vi(d: Decimal, places: int | None = None) -> str:
    """Write ``d`` the Vietnamese way: thousands dot, decimal comma ("344.050", "22,78").

    With ``places`` the value is rounded half up to that many decimals and keeps them ("1,50");
    without, trailing zeros go ("100", not "100,00").
    """
    return _format_number(d, places, grouping=True)


def _format_number(d: Decimal, places: int | None, *, grouping: bool) -> str:
    if not d.is_finite():
        raise ValueError(f"Cannot format {d!r}")
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    text = format(abs(d), "f")  # "f" never gives exponent notation, even for Decimal("1E+2")
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    int_part, _, frac = text.partition(".")
    if grouping:
        int_part = f"{int(int_part):,}".replace(",", ".")
    return sign + int_part + ("," + frac if frac else "")


def _format_percent_number(d: Decimal) -> str:
    # No thousands dot in a percent: parse_value reads a dot in a percent as a decimal point,
    # and the round trip must hold even for the (flagged) values above 1000 %.
    return _format_number(d, None, grouping=False)


@dataclass(frozen=True)
class _Number:
    value: Decimal
    places: int  # digits written after the decimal separator: the precision the author meant
    note: str  # non-empty when a separator had to be interpreted (flag AMBIGUOUS)


_VI_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_VI_GROUPED_DECIMAL = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+,\d+")


def _read_number(token: str, *, percent: bool) -> _Number | None:
    """Read one number token written with digits, dots and commas; None if it makes no sense."""
    has_dot, has_comma = "." in token, "," in token
    if has_dot and has_comma:
        if not _VI_GROUPED_DECIMAL.fullmatch(token):
            return None  # "1,234.5" or worse: mixing both systems in one number is not guessed
        int_part, frac = token.replace(".", "").split(",")
        return _Number(Decimal(f"{int_part}.{frac}"), len(frac), "")
    if has_comma:
        if token.count(",") != 1:
            return None
        int_part, frac = token.split(",")
        return _Number(Decimal(f"{int_part}.{frac}"), len(frac), "")
    if has_dot:
        # "344.050" is three hundred forty-four thousand and fifty, but in a percent ("84.72%")
        # the author slipped into a decimal point: no percent is written with a thousands dot.
        if not percent and _VI_GROUPED.fullmatch(token):
            return _Number(Decimal(token.replace(".", "")), 0, "")
        if token.count(".") != 1:
            return None
        value = Decimal(token)
        places = len(token.partition(".")[2])
        unit = "%" if percent else ""
        note = f"Dấu chấm thập phân “{token}{unit}” được hiểu là {format_decimal_vi(value, places)}{unit}"
        return _Number(value, places, note)
    return _Number(Decimal(token), 0, "")


# --- wording patterns ------------------------------------------------------------------------

_NUM = r"\d+(?:[.,]\d+)*"
# A counted thing starts with a letter; it never holds "%" so that a stated percent after it
# ("trường đạt 85,71%", "trường (86,67 %)") is left for the pattern that reads it.
_NOUN = r"[^\W\d_][^%]*?"

_RANGE = re.compile(
    rf"(?P<lo>{_NUM})(?P<lo_pct>%)?\s*(?:-|đến)\s*(?P<hi>{_NUM})(?P<hi_pct>%)?(?:\s*(?P<noun>{_NOUN}))?",
    re.IGNORECASE,
)
# "86,7% (13/15 trường)", "22,78% (18/79 trường)"
_PERCENT_THEN_RATIO = re.compile(
    rf"(?P<pct>{_NUM})%\s*\(\s*(?P<num>{_NUM})\s*/\s*(?P<den>{_NUM})(?:\s*(?P<noun>{_NOUN}))?\s*\)",
    re.IGNORECASE,
)
# "13/15 trường", "18/21 trường đạt 85,71%", "13/15 trường (86,67 %)" (what format_value writes)
_RATIO = re.compile(
    rf"(?P<num>{_NUM})\s*/\s*(?P<den>{_NUM})(?:\s*(?P<noun>{_NOUN}))?"
    rf"(?:\s*,?\s*(?:(?:đạt|là|bằng)\s*)?(?P<pct>{_NUM})%|\s*\(\s*(?P<pct2>{_NUM})%\s*\))?",
    re.IGNORECASE,
)
# "79,3%", "06 trường", "344.050", "01 TT Tin học", "18 trường (22,78%)"
_SINGLE = re.compile(
    rf"(?P<num>{_NUM})(?P<pct>%)?(?:\s*(?P<noun>{_NOUN}))?(?:\s*\(\s*(?P<side>{_NUM})%\s*\))?",
    re.IGNORECASE,
)

# Words that carry no meaning for the value: "phấn đấu đạt từ 35% trở lên", "khoảng 172 phòng"
# ("khoảng" alone is an ordinary EQ value, the plans use it for planned counts).
_FILLER = re.compile(r"(?:phấn đấu|đạt|là|có|khoảng|lên|bằng)\s+", re.IGNORECASE)

_FROM = "from"  # "từ X": GTE with "trở lên", a range with "đến"
_WORD_PREFIX = re.compile(
    r"(?P<word>ít nhất|tối thiểu|không vượt quá|không quá|tối đa|nhiều hơn|cao hơn|thấp hơn|ít hơn|"
    r"trên|hơn|dưới|từ)\s+",
    re.IGNORECASE,
)
_SYMBOL_PREFIX = re.compile(r"(?P<word>>=|<=|≥|≤|>|<)\s*")
_PREFIX_MEANING: dict[str, Comparator | str] = {
    "ít nhất": Comparator.GTE,
    "tối thiểu": Comparator.GTE,
    ">=": Comparator.GTE,
    "≥": Comparator.GTE,
    "không vượt quá": Comparator.LTE,
    "không quá": Comparator.LTE,
    "tối đa": Comparator.LTE,
    "<=": Comparator.LTE,
    "≤": Comparator.LTE,
    "trên": Comparator.GT,
    "hơn": Comparator.GT,
    "nhiều hơn": Comparator.GT,
    "cao hơn": Comparator.GT,
    ">": Comparator.GT,
    "dưới": Comparator.LT,
    "thấp hơn": Comparator.LT,
    "ít hơn": Comparator.LT,
    "<": Comparator.LT,
    "từ": _FROM,
}
_SUFFIX = re.compile(r"\s*(?P<word>trở lên|trở xuống)$", re.IGNORECASE)
_SUFFIX_MEANING = {"trở lên": Comparator.GTE, "trở xuống": Comparator.LTE}

_BOOLEANS = {
    "đạt": ("Đạt", True),
    "không đạt": ("Không đạt", False),
    "chưa đạt": ("Chưa đạt", False),
    "có": ("Có", True),
    "không": ("Không", False),
}
_STAGE_WORDS = {
    "chưa đánh giá": "Chưa đánh giá",
    "đang thực hiện": "Đang thực hiện",
    "đang triển khai": "Đang triển khai",
    "hoàn thành": "Hoàn thành",
    "đã hoàn thành": "Hoàn thành",
    "chưa hoàn thành": "Chưa hoàn thành",
    "duy trì": "Duy trì",  # keep the current level: the target equals the baseline
    "duy trì vững chắc": "Duy trì",
    "giữ vững": "Duy trì",
}
# "Duy trì 100%", "giữ vững 100%", "tiếp tục duy trì trên 99%": keep at the value that follows.
# Longest first, so that "duy trì vững chắc 100%" does not leave "vững chắc 100%" behind.
_KEEP = re.compile(r"(?:tiếp tục\s+)?(?P<word>duy trì vững chắc|duy trì|giữ vững)\s+", re.IGNORECASE)
# "duy trì phổ cập giáo dục tiểu học toàn huyện mức độ 3": what is kept is named before its level.
_KEPT_STAGE = re.compile(
    r"(?P<thing>[^\d%/]+?)\s+(?P<stage>(?:hoàn thành giai đoạn|giai đoạn|mức độ|cấp độ)\s+(?:\d{1,2}|[ivx]{1,4}))",
    re.IGNORECASE,
)
_STAGE_LABEL_WORDS = re.compile(r"giai đoạn|mức độ|cấp độ", re.IGNORECASE)
# "Duy trì và nâng cao …", "giữ vững … và nâng tỷ lệ … trên 29%": more than keeping, not guessed.
_MORE_THAN_KEEPING = re.compile(r"nâng|tăng|%|\d\s*/\s*\d", re.IGNORECASE)
_STAGE_NUMBERED = re.compile(
    r"(?P<label>hoàn thành giai đoạn|giai đoạn|mức độ|cấp độ)\s+(?P<n>\d{1,2}|[ivx]{1,4})",
    re.IGNORECASE,
)
_STAGE_LABELS = {
    "hoàn thành giai đoạn": "Hoàn thành giai đoạn",
    "giai đoạn": "Giai đoạn",
    "mức độ": "Mức độ",
    "cấp độ": "Cấp độ",
}
# The plans write levels both ways: "mức độ II" in Vĩnh Bảo, "mức độ 3" in Đức Phổ.
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)  # Word exports sometimes decompose the accents
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # en/em dashes and minus signs in ranges
    text = re.sub(r"\s+", " ", text).strip()  # also turns no-break spaces into plain ones
    text = re.sub(r" %", "%", text)  # "100 %", "99,5 % trở lên"
    return re.sub(r"(?<=[\w%)])[.;]$", "", text)  # a sentence's full stop after the value


def _strip_fillers(text: str) -> str:
    while (m := _FILLER.match(text)) and m.end() < len(text):
        text = text[m.end() :]
    return text


def _take_prefix(text: str) -> tuple[Comparator | str | None, str]:
    for pattern in (_SYMBOL_PREFIX, _WORD_PREFIX):
        m = pattern.match(text)
        if m and m.end() < len(text):
            return _PREFIX_MEANING[m["word"].lower()], text[m.end() :]
    return None, text


def _take_suffix(text: str) -> tuple[Comparator | None, str]:
    m = _SUFFIX.search(text)
    if m and m.start() > 0:
        return _SUFFIX_MEANING[m["word"].lower()], text[: m.start()]
    return None, text


def _combine(prefix: Comparator | str | None, suffix: Comparator | None) -> Comparator | str | None:
    """One comparator from the words before and after the value; "conflict" if they disagree."""
    if suffix is None:
        return prefix
    if prefix is None or prefix in (_FROM, suffix):
        return suffix
    return "conflict"  # "trên 35% trở xuống": not guessed


@dataclass
class _Notes:
    """The flags raised while reading one wording; the most serious one wins."""

    items: list[tuple[Flag, str]]

    def add(self, flag: Flag, reason: str) -> None:
        if reason and reason not in (r for _, r in self.items):
            self.items.append((flag, reason))

    def parts(self) -> dict:
        if not self.items:
            return {"flag": Flag.NONE, "flag_reason": ""}
        flag = max((f for f, _ in self.items), key=_SEVERITY.__getitem__)
        return {"flag": flag, "flag_reason": "; ".join(r for _, r in self.items)}


def _check_percent(value: Decimal, notes: _Notes) -> None:
    if not Decimal(0) <= value <= Decimal(100):
        notes.add(Flag.INCONSISTENT, f"Tỷ lệ vượt 100%: {_format_percent_number(value)}%")


def _clean_noun(noun: str | None) -> str:
    return re.sub(r"\s+", " ", noun or "").strip(" ,")


# --- parse -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=20_000)
def parse_value(wording: str) -> ParsedValue:
    """Parse the document's wording of one target value. Never raises on odd input."""
    original = wording.strip()
    if not original:
        return _make(original, ValueKind.EMPTY)
    text = _normalise(original)

    boolean = _BOOLEANS.get(text.lower())
    if boolean is not None:
        return _make(original, ValueKind.BOOLEAN, comparator=Comparator.EQ, boolean=boolean[1])

    body = _strip_fillers(text)
    keep, body = _take_keep(body)
    if keep:
        body = _strip_fillers(body)
    prefix, body = _take_prefix(body)
    body = _strip_fillers(body)
    suffix, body = _take_suffix(body)
    comparator = _combine(prefix, suffix)
    if comparator == "conflict":
        return _unparsed(original, "hai cách so sánh mâu thuẫn")

    stage = _parse_stage(original, body, comparator)
    if stage is not None:
        return stage
    parsed = _parse_number_value(original, body, comparator)
    if keep and parsed.kind is ValueKind.TEXT and comparator is None:
        return _parse_kept_thing(original, keep, body) or parsed
    return parsed


def _take_keep(text: str) -> tuple[str, str]:
    """The "keep at" words before a value ("duy trì", "giữ vững"), and the rest; "" if none."""
    m = _KEEP.match(text)
    if m and m.end() < len(text) and text.lower() not in _STAGE_WORDS:  # "Duy trì vững chắc" alone
        return m["word"], text[m.end() :]
    return "", text


def _parse_kept_thing(original: str, keep: str, body: str) -> ParsedValue | None:
    """After "duy trì": a named thing at a level, or words with no value (keep the baseline)."""
    m = _KEPT_STAGE.fullmatch(body)
    if m is not None and not _STAGE_LABEL_WORDS.search(m["thing"]):
        return _parse_stage(original, m["stage"], None)
    if _MORE_THAN_KEEPING.search(body) or _STAGE_LABEL_WORDS.search(body):
        return None  # "… mức độ 2 và THCS mức độ 3": two levels, not guessed
    return _make(
        original,
        ValueKind.STAGE,
        stage="Duy trì",
        flag=Flag.AMBIGUOUS,
        flag_reason=f"Không có giá trị sau “{keep}”: hiểu là Duy trì (giữ mức hiện tại)",
    )


def _parse_stage(original: str, body: str, comparator: Comparator | str | None) -> ParsedValue | None:
    word = _STAGE_WORDS.get(body.lower())
    if word is not None:
        if comparator is not None:
            return _unparsed(original)
        return _make(original, ValueKind.STAGE, stage=word)
    m = _STAGE_NUMBERED.fullmatch(body)
    if m is None:
        return None
    # "mức độ 2 trở lên" is a real target; "trên mức độ 2" has no agreed meaning.
    if comparator == _FROM:
        comparator = Comparator.GTE
    if comparator not in (None, Comparator.GTE, Comparator.LTE):
        return _unparsed(original)
    n = m["n"].lower()
    number = int(n) if n.isdigit() else _ROMAN.get(n)
    if number is None:
        return _unparsed(original)
    label = _STAGE_LABELS[m["label"].lower()]
    return _make(original, ValueKind.STAGE, comparator=comparator, stage=f"{label} {number}", stage_number=number)


def _parse_number_value(original: str, body: str, comparator: Comparator | str | None) -> ParsedValue:
    notes = _Notes([])
    if comparator == _FROM:
        m = _RANGE.fullmatch(body)
        if m is not None:  # "từ 4 đến 6%"
            return _parse_range(original, m, notes)
        notes.add(Flag.AMBIGUOUS, f"“từ …” không có “trở lên” hay “đến”: hiểu là từ {body} trở lên")
        comparator = Comparator.GTE
    comparator = comparator or Comparator.EQ

    if (m := _RANGE.fullmatch(body)) is not None:
        if comparator is not Comparator.EQ:
            return _unparsed(original, "khoảng giá trị kèm dấu so sánh")
        return _parse_range(original, m, notes)
    for pattern in (_PERCENT_THEN_RATIO, _RATIO):
        if (m := pattern.fullmatch(body)) is not None:
            return _parse_ratio(original, m, comparator, notes)
    if (m := _SINGLE.fullmatch(body)) is not None:
        return _parse_single(original, m, comparator, notes)
    return _unparsed(original)


def _parse_range(original: str, m: re.Match, notes: _Notes) -> ParsedValue:
    percent = bool(m["lo_pct"] or m["hi_pct"])  # "4-6%": the sign written once covers both bounds
    lo = _read_number(m["lo"], percent=percent)
    hi = _read_number(m["hi"], percent=percent)
    if lo is None or hi is None:
        return _unparsed(original)
    for n in (lo, hi):
        notes.add(Flag.AMBIGUOUS, n.note)
        if percent:
            _check_percent(n.value, notes)
    if lo.value > hi.value:
        notes.add(Flag.INCONSISTENT, f"Cận dưới lớn hơn cận trên: “{original}”")
    return _make(
        original,
        ValueKind.PERCENT if percent else ValueKind.COUNT,
        comparator=Comparator.BETWEEN,
        value=lo.value,
        value_high=hi.value,
        noun=_clean_noun(m["noun"]),
        **notes.parts(),
    )


def _parse_ratio(original: str, m: re.Match, comparator: Comparator, notes: _Notes) -> ParsedValue:
    num = _read_number(m["num"], percent=False)
    den = _read_number(m["den"], percent=False)
    if num is None or den is None or num.places or den.places or num.note or den.note:
        return _unparsed(original)
    numerator, denominator = int(num.value), int(den.value)
    if denominator == 0:
        return _unparsed(original, "mẫu số bằng 0")
    computed = Decimal(numerator) * 100 / Decimal(denominator)
    if numerator > denominator:
        notes.add(Flag.INCONSISTENT, f"Tử số lớn hơn mẫu số: {numerator}/{denominator}")

    stated_token = m["pct"] or m.groupdict().get("pct2")
    if stated_token:
        stated = _read_number(stated_token, percent=True)
        if stated is None:
            return _unparsed(original)
        notes.add(Flag.AMBIGUOUS, stated.note)
        value = stated.value
        # Compare at the precision the author wrote: 86,7 for 13/15 (86,666…) is right.
        rounded = computed.quantize(Decimal(1).scaleb(-stated.places), rounding=ROUND_HALF_UP)
        if abs(rounded - stated.value) > Decimal("0.01"):
            shown = format_decimal_vi(computed, max(2, stated.places))
            notes.add(
                Flag.INCONSISTENT,
                f"Tỷ lệ ghi {format_decimal_vi(stated.value)}% nhưng {numerator}/{denominator} = {shown}%",
            )
        if numerator <= denominator:
            _check_percent(value, notes)
    else:
        value = computed.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return _make(
        original,
        ValueKind.RATIO,
        comparator=comparator,
        value=value,
        numerator=numerator,
        denominator=denominator,
        noun=_clean_noun(m["noun"]),
        **notes.parts(),
    )


def _parse_single(original: str, m: re.Match, comparator: Comparator, notes: _Notes) -> ParsedValue:
    percent = bool(m["pct"])
    number = _read_number(m["num"], percent=percent)
    if number is None:
        return _unparsed(original)
    notes.add(Flag.AMBIGUOUS, number.note)
    noun = _clean_noun(m["noun"])
    if m["side"]:
        if percent:
            return _unparsed(original)  # "50% (22%)": two percents, which one is meant?
        # "ít nhất 18 trường (22,78%)": the share has no denominator to check it against, so
        # only the count is stored; the wording keeps the share.
        side = _read_number(m["side"], percent=True)
        if side is None:
            return _unparsed(original)
        notes.add(
            Flag.AMBIGUOUS,
            f"Tỷ lệ {format_decimal_vi(side.value)}% kèm theo không có mẫu số nên không kiểm tra được; "
            f"chỉ lưu số lượng {format_decimal_vi(number.value)} {noun}".rstrip(),
        )
    if percent:
        _check_percent(number.value, notes)
    return _make(
        original,
        ValueKind.PERCENT if percent else ValueKind.COUNT,
        comparator=comparator,
        value=number.value,
        noun=noun,
        **notes.parts(),
    )


# --- format ----------------------------------------------------------------------------------

_SYMBOLS = {Comparator.GTE: "≥", Comparator.GT: ">", Comparator.LTE: "≤", Comparator.LT: "<"}


def _with_comparator(comparator: Comparator | None, core: str) -> str:
    symbol = _SYMBOLS.get(comparator) if comparator is not None else None
    return f"{symbol}{NBSP}{core}" if symbol else core


def format_value(parsed: ParsedValue) -> str:
    """The canonical Vietnamese display of a parsed value: "≥ 99,9 %", "4–6 %", "6 trường".

    TEXT and EMPTY give back the original wording; parse_value() reads every output again.
    """
    kind = parsed.kind
    if kind in (ValueKind.TEXT, ValueKind.EMPTY):
        return parsed.wording
    if kind is ValueKind.BOOLEAN:
        known = _BOOLEANS.get(_normalise(parsed.wording).lower())
        if known is not None and known[1] == parsed.boolean:
            return known[0]  # "Có" stays "Có": "Đạt" would change what the document said
        return "Đạt" if parsed.boolean else "Không đạt"
    if kind is ValueKind.STAGE:
        suffix = {Comparator.GTE: " trở lên", Comparator.LTE: " trở xuống"}.get(parsed.comparator, "")
        return parsed.stage + suffix
    if kind is ValueKind.RATIO:
        noun = f" {parsed.noun}" if parsed.noun else ""
        percent = _format_percent_number(parsed.value)
        return _with_comparator(parsed.comparator, f"{parsed.numerator}/{parsed.denominator}{noun} ({percent}{NBSP}%)")

    write = _format_percent_number if kind is ValueKind.PERCENT else format_decimal_vi
    core = write(parsed.value)
    if parsed.comparator is Comparator.BETWEEN:
        core = f"{core}{EN_DASH}{write(parsed.value_high)}"
    if kind is ValueKind.PERCENT:
        core = f"{core}{NBSP}%"
    if parsed.noun:
        core = f"{core} {parsed.noun}"
    return _with_comparator(parsed.comparator, core)
