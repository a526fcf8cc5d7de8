"""Read the wording of a target value the way Vietnamese plans write it.

Plans write targets as "79,3%", "< 3%", "4-6%", "Trên 35%", "06 trường", "13/15 trường",
"Hoàn thành giai đoạn 1", "Đạt", or even "???". ``parse_value()`` turns one such wording into a
``ParsedValue`` that keeps the original text next to its parsed parts. Anything it cannot read is
kept as TEXT and flagged: it never guesses and never drops the wording, so that a person can
always compare what the document said with what the portal understood.

"Duy trì", "duy trì vững chắc" and "giữ vững" before a value mean "keep at" that value: "Duy trì
100%" is read as 100 % (EQ, ``kept``), "duy trì phổ cập giáo dục tiểu học toàn huyện mức độ 3" as
Mức độ 3. Alone, or before words that hold no value ("duy trì vững chắc phổ cập giáo dục mầm non …"),
they are the stage "Duy trì": keep the baseline (the latter flagged AMBIGUOUS). "khoảng", "gần",
"xấp xỉ" before a value read the value and mark it ``approximate``. Ranks ("tốp đầu", "xếp thứ 3",
"top 10") are kind RANK, scores ("7,5 điểm", "điểm trung bình 6,0 trở lên") kind SCORE. A wording of
several sentences of which one alone holds a value is read from that sentence. A percentage beside
its fraction is checked at the decimals written: a rounding is right, a truncation is noted
(AMBIGUOUS, "96,87% là số cắt bớt của 62/64 = 96,875%; làm tròn là 96,88%"), anything else is
INCONSISTENT. The phrase tables are in ``indicators.phrases``, the rate arithmetic in
``indicators.rates``, numbers in ``indicators.numbers``, the types in ``indicators.values``. The
wording is kept whole.

``format_value()`` writes the canonical Vietnamese display back, and
``parse_value(format_value(p))`` gives the same parts as ``p`` (tested in
tests/indicators/test_wording.py). ``format_decimal_vi()`` is shared with the money columns.

Pure standard library on purpose: imports, models, fixtures and tests use it without Django.
"""

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from . import phrases as ph
from . import rates as fr
from .numbers import Number, format_decimal_vi, format_percent_number, read_number
from .values import EN_DASH, NBSP, Comparator, Flag, ParsedValue, ValueKind, severity

__all__ = [
    "EN_DASH",
    "NBSP",
    "Comparator",
    "Flag",
    "ParsedValue",
    "ValueKind",
    "format_decimal_vi",
    "format_value",
    "parse_value",
    "read_rank",
]

read_rank = ph.read_rank


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
        "approximate": False,
        "kept": False,
    }
    fields.update(parts)
    if kind is not ValueKind.TEXT and _beyond_storage(fields):
        return _unparsed(wording, TOO_BIG)
    return ParsedValue(wording=wording, kind=kind, **fields)


# What ParsedValueFields can store: value and value_high are DecimalField(18 digits, 4 after the
# comma), numerator and denominator PositiveIntegerField. A larger number is a typing slip; read
# it and PostgreSQL refuses the row on save (SQLite stores it silently), so it is not read at all.
VALUE_LIMIT = Decimal(10) ** 14
WHOLE_LIMIT = 2_147_483_647
STAGE_LIMIT = 32_767  # stage_number: PositiveSmallIntegerField
TOO_BIG = "số quá lớn: giá trị tối đa 99.999.999.999.999, tử số và mẫu số tối đa 2.147.483.647, mức độ tối đa 32.767"


def _beyond_storage(fields: dict) -> bool:
    values = (fields["value"], fields["value_high"])
    wholes = (fields["numerator"], fields["denominator"])
    stage = fields["stage_number"]
    return (
        any(v is not None and abs(v) >= VALUE_LIMIT for v in values)
        or any(n is not None and n > WHOLE_LIMIT for n in wholes)
        or (stage is not None and stage > STAGE_LIMIT)
    )


def _unparsed(wording: str, detail: str = "") -> ParsedValue:
    reason = f"Không đọc được giá trị: “{wording}”"
    if detail:
        reason = f"{reason} ({detail})"
    return _make(wording, ValueKind.TEXT, flag=Flag.UNPARSED, flag_reason=reason)


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

_FILLER = re.compile(rf"(?:{ph.alternatives(ph.FILLERS)})\s+", re.IGNORECASE)
_APPROX = re.compile(rf"(?:{ph.alternatives(ph.APPROXIMATE)})\s+", re.IGNORECASE)

_FROM = "from"  # "từ X": GTE with "trở lên", a range with "đến"
_WORD_PREFIX = re.compile(rf"(?P<word>{ph.alternatives(ph.WORD_PREFIXES)})\s+", re.IGNORECASE)
_SYMBOL_PREFIX = re.compile(r"(?P<word>>=|<=|≥|≤|>|<)\s*")
_PREFIX_MEANING: dict[str, Comparator | str] = {
    word: (_FROM if meaning == _FROM else Comparator(meaning))
    for word, meaning in {**ph.WORD_PREFIXES, **ph.SYMBOL_PREFIXES}.items()
}
_SUFFIX = re.compile(rf"\s*(?P<word>{ph.alternatives(ph.SUFFIXES)})$", re.IGNORECASE)
_SUFFIX_MEANING = {word: Comparator(meaning) for word, meaning in ph.SUFFIXES.items()}

# "Duy trì 100%", "giữ vững 100%", "tiếp tục duy trì trên 99%": keep at the value that follows.
# Longest first, so that "duy trì vững chắc 100%" does not leave "vững chắc 100%" behind.
_KEEP = re.compile(rf"(?:tiếp tục\s+)?(?P<word>{ph.alternatives(ph.KEEP)})\s+", re.IGNORECASE)
# "duy trì phổ cập giáo dục tiểu học toàn huyện mức độ 3": what is kept is named before its level.
_KEPT_STAGE = re.compile(
    r"(?P<thing>[^\d%/]+?)\s+(?P<stage>(?:hoàn thành giai đoạn|giai đoạn|mức độ|cấp độ)\s+(?:\d{1,2}|[ivx]{1,4}))",
    re.IGNORECASE,
)
# "chuẩn phổ cập giáo dục mầm non cho trẻ 5 tuổi", "đạt chuẩn xóa mù chữ": a standard named in words.
_KEPT_STANDARD = re.compile(r"(?:đạt\s+)?chuẩn\s+[^,;%/]+", re.IGNORECASE)
_STAGE_LABEL_WORDS = re.compile(r"giai đoạn|mức độ|cấp độ", re.IGNORECASE)
# "Duy trì và nâng cao …", "giữ vững … và nâng tỷ lệ … trên 29%": more than keeping, not guessed.
_MORE_THAN_KEEPING = re.compile(r"nâng|tăng|%|\d\s*/\s*\d", re.IGNORECASE)
_STAGE_NUMBERED = re.compile(
    r"(?P<label>hoàn thành giai đoạn|giai đoạn|mức độ|cấp độ)\s+(?P<n>\d{1,2}|[ivx]{1,4})",
    re.IGNORECASE,
)
# "điểm trung bình 6,0 trở lên", "điểm bình quân các môn đạt 6,5": what is scored, then the value.
_SCORE_LEAD = re.compile(
    rf"(?P<what>(?:{ph.alternatives(ph.SCORE_LEADS)})[^\d%/<>≥≤]*?)\s*(?=[<>≥≤\d]|(?:{ph.alternatives(ph.FILLERS)}|"
    rf"{ph.alternatives(ph.WORD_PREFIXES)})\s)",
    re.IGNORECASE,
)
# Sentences of one cell: "Phấn đấu đạt chuẩn. Tỷ lệ 95%." (a dot before a space, never in a number).
_SENTENCE_BREAK = re.compile(r"(?<=[^\d\s])\s*[.;]\s+|\s*[.;]\s+(?=[^\d\s])")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)  # Word exports sometimes decompose the accents
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # en/em dashes and minus signs in ranges
    text = re.sub(r"\s+", " ", text).strip()  # also turns no-break spaces into plain ones
    text = re.sub(r" ?phần trăm\b", "%", text, flags=re.IGNORECASE)  # "99 phần trăm"
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
        flag = max((f for f, _ in self.items), key=severity)
        return {"flag": flag, "flag_reason": "; ".join(r for _, r in self.items)}


def _check_percent(value: Decimal, notes: _Notes) -> None:
    if not Decimal(0) <= value <= Decimal(100):
        notes.add(Flag.INCONSISTENT, f"Tỷ lệ vượt 100%: {format_percent_number(value)}%")


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
    parsed = _parse_text(original, text)
    if parsed.flag is Flag.UNPARSED:
        return _parse_one_sentence(original, text) or parsed
    return parsed


def _parse_text(original: str, text: str) -> ParsedValue:
    boolean = ph.BOOLEANS.get(text.lower())
    if boolean is not None:
        return _make(original, ValueKind.BOOLEAN, comparator=Comparator.EQ, boolean=boolean[1])
    rank = _parse_rank(original, text)
    if rank is not None:
        return rank

    body = _strip_fillers(text)
    keep, body = _take_keep(body)
    if keep:
        body = _strip_fillers(body)
    approximate, body = _take_approx(body)
    if approximate:
        body = _strip_fillers(body)
    score_of, body = _take_score_lead(body)
    prefix, body = _take_prefix(body)
    body = _strip_fillers(body)
    suffix, body = _take_suffix(body)
    comparator = _combine(prefix, suffix)
    if comparator == "conflict":
        return _unparsed(original, "hai cách so sánh mâu thuẫn")

    marks = {"kept": bool(keep), "approximate": approximate}
    stage = _parse_stage(original, body, comparator)
    if stage is not None:
        if stage.kind is ValueKind.STAGE and stage.stage == "Duy trì":
            return stage  # "Duy trì" alone already says "keep"
        return _marked(stage, **marks)
    parsed = _parse_number_value(original, body, comparator)
    if keep and parsed.kind is ValueKind.TEXT and comparator is None and not approximate:
        return _parse_kept_thing(original, keep, body) or parsed
    if parsed.kind is ValueKind.TEXT:
        return parsed
    if score_of or _is_score(parsed):
        if parsed.kind is not ValueKind.COUNT:
            return _unparsed(original, "điểm kèm tỷ lệ hay phân số")
        parsed = dataclasses.replace(parsed, kind=ValueKind.SCORE, noun=_score_noun(score_of))
    return _marked(parsed, **marks)


def _marked(parsed: ParsedValue, *, kept: bool, approximate: bool) -> ParsedValue:
    if parsed.kind is ValueKind.TEXT or not (kept or approximate):
        return parsed
    return dataclasses.replace(parsed, kept=kept, approximate=approximate)


def _parse_one_sentence(original: str, text: str) -> ParsedValue | None:
    """A cell of several sentences where exactly one holds a value and the others hold no number."""
    parts = [p for p in _SENTENCE_BREAK.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    readings = [(p, _parse_text(original, _normalise(p))) for p in parts]
    valued = [(p, r) for p, r in readings if r.flag is not Flag.UNPARSED]
    if len(valued) != 1:
        return None
    sentence, reading = valued[0]
    others = [p for p, _ in readings if p != sentence]
    if any(re.search(r"[\d%]", p) for p in others):
        return None
    return reading


def _take_approx(text: str) -> tuple[bool, str]:
    m = _APPROX.match(text)
    if m and m.end() < len(text):
        return True, text[m.end() :]
    return False, text


def _take_score_lead(text: str) -> tuple[str, str]:
    m = _SCORE_LEAD.match(text)
    if m and m.end() < len(text):
        return m["what"].strip(), _strip_fillers(text[m.end() :].lstrip())
    return "", text


def _is_score(parsed: ParsedValue) -> bool:
    return parsed.kind is ValueKind.COUNT and parsed.noun.lower() == ph.SCORE_NOUN


def _score_noun(score_of: str) -> str:
    """What is scored, lower-cased at its start: "điểm trung bình"; plain "điểm" when not said."""
    if not score_of:
        return ph.SCORE_NOUN
    return score_of[:1].lower() + score_of[1:]


def _parse_rank(original: str, text: str) -> ParsedValue | None:
    """ "tốp đầu", "trong nhóm dẫn đầu", "xếp thứ 3", "top 10": one shared reading (indicators.phrases)."""
    if "%" in text or "/" in text:
        return None
    reading = ph.read_rank_phrase(text)
    if reading is None:
        return None
    folded = re.sub(r"\s+", " ", text).strip().lower()
    before, after = folded[: reading.start].strip(), folded[reading.end :].strip()
    if re.search(r"\d", before + " " + after):
        return None  # another number beside the rank ("xếp thứ 3 năm 2025"): not guessed
    notes = _Notes([])
    if not ph.rank_lead_is_plain(before + " " if before else ""):
        label = ph.rank_label(reading)
        notes.add(Flag.AMBIGUOUS, f"Đọc là thứ hạng “{label}” (hạng ≤ {reading.rank}) trong “{original}”")
    return _make(
        original,
        ValueKind.RANK,
        comparator=Comparator.LTE,
        value=Decimal(reading.rank),
        stage=ph.rank_label(reading),
        stage_number=reading.rank,
        **notes.parts(),
    )


def _take_keep(text: str) -> tuple[str, str]:
    """The "keep at" words before a value ("duy trì", "giữ vững"), and the rest; "" if none."""
    m = _KEEP.match(text)
    if m and m.end() < len(text) and text.lower() not in ph.STAGE_WORDS:  # "Duy trì vững chắc" alone
        return m["word"], text[m.end() :]
    return "", text


def _parse_kept_thing(original: str, keep: str, body: str) -> ParsedValue | None:
    """After "duy trì": a named thing at a level, or words with no value (keep the baseline)."""
    m = _KEPT_STAGE.fullmatch(body)
    if m is not None and not _STAGE_LABEL_WORDS.search(m["thing"]):
        return _marked(_parse_stage(original, m["stage"], None), kept=True, approximate=False)
    if _MORE_THAN_KEEPING.search(body) or _STAGE_LABEL_WORDS.search(body):
        return None  # "… mức độ 2 và THCS mức độ 3": two levels, not guessed
    if _KEPT_STANDARD.fullmatch(body) and " và " not in body:
        # "duy trì chuẩn phổ cập giáo dục mầm non cho trẻ 5 tuổi": one named standard, kept.
        return _make(original, ValueKind.STAGE, stage=body[:1].upper() + body[1:], kept=True)
    return _make(
        original,
        ValueKind.STAGE,
        stage="Duy trì",
        flag=Flag.AMBIGUOUS,
        flag_reason=f"Không có giá trị sau “{keep}”: hiểu là Duy trì (giữ mức hiện tại)",
    )


def _parse_stage(original: str, body: str, comparator: Comparator | str | None) -> ParsedValue | None:
    word = ph.STAGE_WORDS.get(body.lower())
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
    number = int(n) if n.isdigit() else ph.ROMAN.get(n)
    if number is None:
        return _unparsed(original)
    label = ph.STAGE_LABELS[m["label"].lower()]
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
    lo = read_number(m["lo"], percent=percent)
    hi = read_number(m["hi"], percent=percent)
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
    num = read_number(m["num"], percent=False)
    den = read_number(m["den"], percent=False)
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
        stated = read_number(stated_token, percent=True)
        if stated is None:
            return _unparsed(original)
        notes.add(Flag.AMBIGUOUS, stated.note)
        value = stated.value
        _check_stated_percent(stated, numerator, denominator, notes)
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


def _check_stated_percent(stated: Number, numerator: int, denominator: int, notes: _Notes) -> None:
    """Compare at the precision the author wrote: 86,7 for 13/15 (86,666…) is right, 86 is cut off."""
    exact = Fraction(numerator * 100, denominator)
    written = f"{format_decimal_vi(stated.value, stated.places)}%"
    verdict = fr.stated_against(stated.value, exact)
    if verdict == "truncated":
        rounded = fr.round_to(exact, stated.places)
        notes.add(
            Flag.AMBIGUOUS,
            f"{written} là số cắt bớt của {numerator}/{denominator} = {fr.exact_text(exact, stated.places)}%; "
            f"làm tròn là {format_decimal_vi(rounded, stated.places)}%",
        )
    elif verdict == "wrong":
        shown = format_decimal_vi(fr.round_to(exact, max(2, stated.places)))
        notes.add(Flag.INCONSISTENT, f"Tỷ lệ ghi {written} nhưng {numerator}/{denominator} = {shown}%")


def _parse_single(original: str, m: re.Match, comparator: Comparator, notes: _Notes) -> ParsedValue:
    percent = bool(m["pct"])
    number = read_number(m["num"], percent=percent)
    if number is None:
        return _unparsed(original)
    notes.add(Flag.AMBIGUOUS, number.note)
    noun = _clean_noun(m["noun"])
    if m["side"]:
        if percent:
            return _unparsed(original)  # "50% (22%)": two percents, which one is meant?
        # "ít nhất 18 trường (22,78%)": the share has no denominator to check it against, so
        # only the count is stored; the wording keeps the share.
        side = read_number(m["side"], percent=True)
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
    """The canonical Vietnamese display of a parsed value: "≥ 99,9 %", "4–6 %", "6 trường",
    "khoảng 80 %", "Duy trì 100 %", "Tốp đầu", "Điểm trung bình ≥ 6".

    TEXT and EMPTY give back the original wording; parse_value() reads every output again.
    """
    core = _format_core(parsed)
    if parsed.kind in (ValueKind.TEXT, ValueKind.EMPTY):
        return core
    if parsed.approximate:
        core = f"khoảng {core}"
    if parsed.kept:
        core = f"Duy trì {core[:1].lower()}{core[1:]}" if parsed.kind is ValueKind.STAGE else f"Duy trì {core}"
    return core


def _format_core(parsed: ParsedValue) -> str:
    kind = parsed.kind
    if kind in (ValueKind.TEXT, ValueKind.EMPTY):
        return parsed.wording
    if kind is ValueKind.BOOLEAN:
        known = ph.BOOLEANS.get(_normalise(parsed.wording).lower())
        if known is not None and known[1] == parsed.boolean:
            return known[0]  # "Có" stays "Có": "Đạt" would change what the document said
        return "Đạt" if parsed.boolean else "Không đạt"
    if kind in (ValueKind.STAGE, ValueKind.RANK):
        suffix = {Comparator.GTE: " trở lên", Comparator.LTE: " trở xuống"}.get(parsed.comparator, "")
        return parsed.stage + (suffix if kind is ValueKind.STAGE else "")
    if kind is ValueKind.RATIO:
        noun = f" {parsed.noun}" if parsed.noun else ""
        percent = format_percent_number(parsed.value)
        return _with_comparator(parsed.comparator, f"{parsed.numerator}/{parsed.denominator}{noun} ({percent}{NBSP}%)")
    if kind is ValueKind.SCORE and parsed.noun != ph.SCORE_NOUN:
        # "Điểm trung bình ≥ 6": what is scored first, the way the plans write it.
        core = _with_comparator(parsed.comparator, format_decimal_vi(parsed.value))
        if parsed.comparator is Comparator.BETWEEN:
            core = f"{format_decimal_vi(parsed.value)}{EN_DASH}{format_decimal_vi(parsed.value_high)}"
        return f"{parsed.noun[:1].upper()}{parsed.noun[1:]} {core}"

    write = format_percent_number if kind is ValueKind.PERCENT else format_decimal_vi
    core = write(parsed.value)
    if parsed.comparator is Comparator.BETWEEN:
        core = f"{core}{EN_DASH}{write(parsed.value_high)}"
    if kind is ValueKind.PERCENT:
        core = f"{core}{NBSP}%"
    if parsed.noun:
        core = f"{core} {parsed.noun}"
    return _with_comparator(parsed.comparator, core)
