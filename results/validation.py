"""Checks on one value a principal types, with the messages shown next to the field.

Pure functions, no database: results/forms.py calls `validate_value()` once per target and puts
each error on the input it names. Anything typed gives a cleaned value or a message, never an
exception ("abc", "1e5", "∞", "NaN", "12,3,4", a page of digits).

Numbers are read the way Vietnamese schools write them and the way phones type them:
- a decimal comma or point: "79,3" and "79.3" are both 79.3 ("79,3 %" too, for a percentage);
- for whole numbers a dot between groups of three digits is a thousands dot: "1.234" is 1234,
  while "1,5" or "5.5" is not a whole number;
- never both systems in one number unless it is the Vietnamese "1.234,5"; no exponents, no
  spaces inside a number, no leading "+".

"Far from last year" (the principal must tick the confirmation; see `is_far_from_last`):
- percent and ratio (compared as a percentage): more than 20 percentage points apart;
- count: more than 50 % apart relative to last year's value AND more than 2 units apart
  (so 3 → 5 schools passes, 6 → 20 does not; from 0, anything above 2 is far);
- score (a mean mark out of 10, with the number of pupils it is the mean of): more than 2 marks;
- stage and yes/no values are never "far".
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from indicators.wording import format_decimal_vi

PERCENT, COUNT, RATIO, STAGE, BOOLEAN, SCORE = "percent", "count", "ratio", "stage", "boolean", "score"

# Beyond these the value is certainly a typing slip, and the DB columns could not hold it anyway
# (ResultValue.number: 18 digits with 4 decimals; numerator/denominator: PositiveIntegerField).
MAX_INPUT_LENGTH = 30
MAX_WHOLE = 999_999_999
PERCENT_PLACES = 2
SCORE_MAX = Decimal(10)  # Vietnamese marks are out of 10
SCORE_PLACES = 2
STAGE_MAX_LENGTH = 120  # ResultValue.stage

FAR_PERCENT_POINTS = Decimal(20)
FAR_COUNT_RELATIVE = Decimal("0.5")
FAR_COUNT_UNITS = Decimal(2)
FAR_SCORE_MARKS = Decimal(2)

TRUE_WORDS = {"true", "1", "yes", "on", "dat"}
FALSE_WORDS = {"false", "0", "no", "off", "khong-dat"}

# re.ASCII: \d must not accept other scripts' digits ("٣"), which Decimal() would happily read.
_NUMBER = re.compile(r"(?P<sign>[-\u2212]?)(?P<body>\d+(?:[.,]\d+)*)", re.ASCII)
_VI_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+", re.ASCII)
_VI_GROUPED_DECIMAL = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+,\d+", re.ASCII)


class NumberError(ValueError):
    """Why a typed number was refused: "invalid", "negative" or "not_whole"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_number(text: str, *, whole: bool, percent: bool = False) -> Decimal | None:
    """The typed text as a Decimal, None when empty. Raises NumberError (see the module docstring
    for the forms accepted). `whole` reads a dot between digit groups as thousands and refuses
    fractions; `percent` allows a trailing "%"."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > MAX_INPUT_LENGTH:
        raise NumberError("invalid")
    if percent and text.endswith("%"):
        text = text[:-1].rstrip()
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise NumberError("invalid")
    body = match["body"]
    value = _read_body(body, whole=whole)
    if match["sign"] and value != 0:
        raise NumberError("negative")
    if whole and value != value.to_integral_value():
        raise NumberError("not_whole")
    return abs(value)


def _read_body(body: str, *, whole: bool) -> Decimal:
    has_dot, has_comma = "." in body, "," in body
    try:
        if has_dot and has_comma:
            if not _VI_GROUPED_DECIMAL.fullmatch(body):
                raise NumberError("invalid")  # "1,234.5": mixing both systems is not guessed
            return Decimal(body.replace(".", "").replace(",", "."))
        if has_comma:
            if body.count(",") != 1:
                raise NumberError("invalid")  # "12,3,4"
            return Decimal(body.replace(",", "."))
        if has_dot:
            if whole and _VI_GROUPED.fullmatch(body):
                return Decimal(body.replace(".", ""))  # "1.234" persons, "344.050"
            if body.count(".") != 1:
                raise NumberError("invalid")
            return Decimal(body)
        return Decimal(body)
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise NumberError("invalid") from None


def format_last(unit: str, last: Decimal) -> str:
    """Last year's value as the message shows it: "79,3 %" for a rate, "6" for a count or a score."""
    if unit in (PERCENT, RATIO):
        return f"{format_decimal_vi(last.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}\u00a0%"
    return format_decimal_vi(last.normalize())


def is_far_from_last(unit: str, value: Decimal | None, last: Decimal | None) -> bool:
    """True when `value` differs from last year's enough to ask for a confirmation (thresholds in
    the module docstring). Percent and ratio values are both given as percentages."""
    if value is None or last is None:
        return False
    gap = abs(value - last)
    if unit in (PERCENT, RATIO):
        return gap > FAR_PERCENT_POINTS
    if unit == COUNT:
        return gap > FAR_COUNT_UNITS and (last == 0 or gap > abs(last) * FAR_COUNT_RELATIVE)
    if unit == SCORE:
        return gap > FAR_SCORE_MARKS
    return False


def _number_message(code: str, *, whole: bool) -> str:
    if code == "negative":
        return _("Không nhận số âm.")
    if whole:
        return _("Số lượng phải là số nguyên.")
    return _("Hãy nhập một số, ví dụ 79,3.")


def _read(raw: dict[str, str], key: str, errors: dict[str, str], *, whole: bool, percent: bool = False):
    try:
        value = parse_number(raw.get(key) or "", whole=whole, percent=percent)
    except NumberError as e:
        errors[key] = _number_message(e.code, whole=whole)
        return None
    if value is not None and whole and value > MAX_WHOLE:
        errors[key] = _("Số quá lớn, hãy kiểm tra lại.")
        return None
    return value


def validate_value(
    *,
    unit: str,
    raw: dict[str, str],
    stages: list[str],
    last: Decimal | None,
    confirmed: bool,
    required: bool,
) -> tuple[dict, dict[str, str]]:
    """Check what was typed for one target whose indicator has `unit`.

    `raw` holds the typed strings by input name ("number", "numerator", "denominator", "stage",
    "boolean"); `stages` are the indicator's allowed stages (when empty, any short text is taken);
    `last` is last year's value (a percentage for percent/ratio, the number for a count);
    `confirmed` is the "yes, this is right" tick; `required` is True when submitting.

    Returns (cleaned, errors): cleaned holds every value field of ResultValue for this unit
    (number, numerator, denominator, stage, boolean, confirmed_unusual; None/"" when empty), and
    errors maps an input name (or "confirm") to its Vietnamese message. Cleaned values are only
    meaningful when errors is empty.
    """
    cleaned: dict = {
        "number": None,
        "numerator": None,
        "denominator": None,
        "stage": "",
        "boolean": None,
        "confirmed_unusual": False,
    }
    errors: dict[str, str] = {}
    missing = _("Chưa nhập giá trị.")
    comparable: Decimal | None = None

    if unit == PERCENT:
        value = _read(raw, "number", errors, whole=False, percent=True)
        if value is not None:
            if value > 100:
                errors["number"] = _("Tỷ lệ phải từ 0 đến 100.")
            elif value != value.quantize(Decimal(1).scaleb(-PERCENT_PLACES)):
                errors["number"] = _("Tỷ lệ ghi tối đa 2 chữ số sau dấu phẩy.")
            else:
                cleaned["number"] = comparable = value
        elif "number" not in errors and required:
            errors["number"] = missing

    elif unit == COUNT:
        value = _read(raw, "number", errors, whole=True)
        if value is not None:
            cleaned["number"] = comparable = Decimal(int(value))
        elif "number" not in errors and required:
            errors["number"] = missing

    elif unit == RATIO:
        numerator = _read(raw, "numerator", errors, whole=True)
        denominator = _read(raw, "denominator", errors, whole=True)
        if not errors:
            if numerator is None and denominator is None:
                if required:
                    errors["numerator"] = errors["denominator"] = missing
            elif numerator is None:
                errors["numerator"] = missing if required else _("Hãy nhập cả tử số.")
            elif denominator is None:
                errors["denominator"] = missing if required else _("Hãy nhập cả mẫu số.")
            elif denominator == 0:
                errors["denominator"] = _("Mẫu số phải lớn hơn 0.")
            elif numerator > denominator:
                errors["numerator"] = _("Tử số không được lớn hơn mẫu số.")
            else:
                cleaned["numerator"], cleaned["denominator"] = int(numerator), int(denominator)
                comparable = numerator * 100 / denominator

    elif unit == SCORE:
        score = _read(raw, "number", errors, whole=False)
        pupils = _read(raw, "denominator", errors, whole=True)
        if not errors:
            if score is None and pupils is None:
                if required:
                    errors["number"] = errors["denominator"] = missing
            elif score is None:
                errors["number"] = missing if required else _("Hãy nhập cả điểm trung bình.")
            elif pupils is None:
                errors["denominator"] = missing if required else _("Hãy nhập cả số học sinh.")
            elif score > SCORE_MAX:
                errors["number"] = _("Điểm phải từ 0 đến 10.")
            elif score != score.quantize(Decimal(1).scaleb(-SCORE_PLACES)):
                errors["number"] = _("Điểm ghi tối đa 2 chữ số sau dấu phẩy.")
            elif pupils == 0:
                errors["denominator"] = _("Số học sinh phải lớn hơn 0.")
            else:
                cleaned["number"] = comparable = score
                cleaned["denominator"] = int(pupils)

    elif unit == STAGE:
        stage = (raw.get("stage") or "").strip()
        if not stage:
            if required:
                errors["stage"] = missing
        elif stages and stage not in stages:
            errors["stage"] = _("Hãy chọn một mức trong danh sách.")
        elif len(stage) > STAGE_MAX_LENGTH:
            errors["stage"] = _("Ghi tối đa 120 ký tự.")
        else:
            cleaned["stage"] = stage

    elif unit == BOOLEAN:
        answer = (raw.get("boolean") or "").strip().lower()
        if not answer:
            if required:
                errors["boolean"] = missing
        elif answer in TRUE_WORDS:
            cleaned["boolean"] = True
        elif answer in FALSE_WORDS:
            cleaned["boolean"] = False
        else:
            errors["boolean"] = _("Hãy chọn Đạt hoặc Không đạt.")

    else:
        errors["number"] = _("Chỉ số chưa có đơn vị tính, hãy báo Phòng GD&ĐT.")

    if not errors and is_far_from_last(unit, comparable, last):
        if confirmed:
            cleaned["confirmed_unusual"] = True
        else:
            errors["confirm"] = _("Khác nhiều so với năm trước (%(last)s). Nếu đúng, hãy đánh dấu xác nhận.") % {
                "last": format_last(unit, last)
            }
    return cleaned, errors


# Free text (a principal's note, the office's comments): long enough for a paragraph of reasons,
# short enough that a pasted page lands as a message rather than in the report.
TEXT_MAX_LENGTH = 2000


def free_text_error(text: str) -> str:
    """Why a free text is refused ("" when it is fine): a NUL character (PostgreSQL cannot store
    one; it comes from pasting out of another program) or more than TEXT_MAX_LENGTH characters."""
    if "\x00" in text:
        return _("Văn bản có ký tự không hợp lệ (ký tự rỗng, thường do dán từ phần mềm khác). Hãy gõ lại đoạn đó.")
    if len(text) > TEXT_MAX_LENGTH:
        return _("Ghi tối đa %(max)s ký tự (đang có %(n)s).") % {
            "max": format_decimal_vi(Decimal(TEXT_MAX_LENGTH)),
            "n": format_decimal_vi(Decimal(len(text))),
        }
    return ""
