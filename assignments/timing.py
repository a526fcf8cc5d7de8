"""Read the "Thời gian triển khai và hoàn thành" wording of a task or a reporting duty.

Plans write it as a month ("Tháng 10 năm 2024"), a window ("Tháng 10-12 năm 2024", "Quý IV năm
2025", "giai đoạn 2026-2030"), a day ("ngày 31/12/2025"), a recurrence ("Hằng năm", "Tháng 6 hàng
năm", "2 năm 1 lần", "trước ngày 15/12", "hằng quý", "6 tháng") or "Thường xuyên".
``parse_timing()`` keeps the wording next to what it understood; anything else is TEXT and
flagged, never guessed. ``next_due_date()`` is what reminders and overdue lists use.

Pure standard library on purpose: imports, models and tests use it without Django.
"""

import calendar
import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ParsedTiming",
    "Recurrence",
    "TimingKind",
    "due_dates_between",
    "format_timing",
    "next_due_date",
    "parse_timing",
]

EN_DASH = "\u2013"


class TimingKind(enum.StrEnum):
    DEADLINE = "deadline"  # a window or a day: starts_on / due_on
    RECURRENCE = "recurrence"  # yearly, every n years, half-yearly, quarterly
    ONGOING = "ongoing"  # "Thường xuyên": no due date at all
    TEXT = "text"  # not understood: kept as text and flagged
    EMPTY = "empty"


class Recurrence(enum.StrEnum):
    YEARLY = "yearly"
    EVERY_N_YEARS = "every_n_years"
    HALF_YEARLY = "half_yearly"
    QUARTERLY = "quarterly"


@dataclass(frozen=True)
class ParsedTiming:
    wording: str  # exactly what the document said, stripped of surrounding whitespace
    kind: TimingKind
    starts_on: date | None  # first day of the window; None when only the end is known ("trước ngày …")
    due_on: date | None  # last day of the window, or the day itself
    recurrence: Recurrence | None
    interval_years: int | None  # 1 for yearly, 2 for "2 năm 1 lần"
    month: int | None  # recurrences only: 6 for "Tháng 6 hàng năm", 12 for "trước ngày 05/12"
    day: int | None  # recurrences only: 5 for "trước ngày 05/12"
    flagged: bool
    flag_reason: str  # Vietnamese, for the person who checks the task


def _make(wording: str, kind: TimingKind, **parts) -> ParsedTiming:
    fields = {
        "starts_on": None,
        "due_on": None,
        "recurrence": None,
        "interval_years": None,
        "month": None,
        "day": None,
        "flagged": False,
        "flag_reason": "",
    }
    fields.update(parts)
    return ParsedTiming(wording=wording, kind=kind, **fields)


def _unparsed(wording: str, detail: str = "") -> ParsedTiming:
    reason = f"Không hiểu thời gian: “{wording}”"
    if detail:
        reason = f"{reason} ({detail})"
    return _make(wording, TimingKind.TEXT, flagged=True, flag_reason=reason)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


class _Invalid(ValueError):
    """A wording that has the right shape but an impossible date; its message is Vietnamese."""


def _month(text: str) -> int:
    month = int(text)
    if not 1 <= month <= 12:
        raise _Invalid(f"tháng {month} không tồn tại")
    return month


def _day_of(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Invalid(f"ngày {day}/{month}/{year} không tồn tại") from None


def _check_day_month(day: int, month: int) -> None:
    _day_of(2000, month, day)  # a leap year, so that a yearly "29/02" is accepted


_YEARLY = r"(?:định kỳ\s+)?(?:hằng|hàng)\s+năm"
_DAY_MONTH = r"(?P<d>\d{1,2})\s*(?:/|-|\s+tháng\s+)\s*(?P<m>\d{1,2})"
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}

_MONTH_WINDOW = re.compile(
    r"(?:trong\s+)?tháng\s+(?P<m1>\d{1,2})\s*(?:-\s*(?:tháng\s+)?(?P<m2>\d{1,2}))?\s*(?:năm\s+|/\s*)(?P<y>\d{4})"
)
_BARE_MONTH = re.compile(r"(?P<m1>\d{1,2})/(?P<y>\d{4})")
_YEAR = re.compile(r"(?:trong\s+)?năm\s+(?P<y>\d{4})")
_UNTIL_YEAR = re.compile(r"đến\s+(?:hết\s+)?năm\s+(?P<y>\d{4})")
_PERIOD = re.compile(r"(?:giai đoạn\s+)?(?:từ\s+)?(?:năm\s+)?(?P<y1>\d{4})\s*(?:-|đến)\s*(?:năm\s+)?(?P<y2>\d{4})")
_QUARTER = re.compile(r"quý\s+(?P<q>iv|iii|ii|i|[1-4])\s*(?:năm\s+|/\s*)(?P<y>\d{4})")
_DAY = re.compile(
    rf"(?:(?P<lead>trước|đến|chậm nhất)\s+)?(?:ngày\s+)?{_DAY_MONTH}\s*(?:/|-|\s+năm\s+)\s*(?P<y>\d{{4}})"
)
_YEARLY_BY_DAY = (
    re.compile(rf"(?:{_YEARLY},?\s*)?(?:trước|chậm nhất|đến)\s+ngày\s+{_DAY_MONTH}"),
    re.compile(rf"(?:trước\s+)?ngày\s+{_DAY_MONTH},?\s+{_YEARLY}"),
)
_YEARLY_IN_MONTH = (
    re.compile(rf"(?:vào\s+)?tháng\s+(?P<m>\d{{1,2}}),?\s+{_YEARLY}"),
    re.compile(rf"{_YEARLY},?\s+(?:vào\s+)?tháng\s+(?P<m>\d{{1,2}})"),
)
_YEARLY_ONLY = re.compile(_YEARLY)
_EVERY_N_YEARS = re.compile(r"(?P<n>\d{1,2})\s+năm\s*(?:(?:1|một)\s+lần|/\s*lần)")
_QUARTERLY = re.compile(r"(?:định kỳ\s+)?(?:hằng|hàng|mỗi)\s+quý")
_HALF_YEARLY = re.compile(
    r"(?:định kỳ\s+)?(?:(?:hằng|hàng|mỗi)\s+)?(?:(?:6|sáu)\s+tháng|nửa năm)(?:\s+(?:1|một)\s+lần|\s*/\s*lần)?"
)
_ONGOING = re.compile(r"(?:thường xuyên|liên tục)(?:,?\s*(?:và\s+)?(?:thường xuyên|liên tục))?")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # en dashes in "Tháng 10–12/2024"
    text = re.sub(r"[()]", " ", text)  # "hằng năm (trước ngày 05 tháng 12)"
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*,\s*", ", ", text)
    return text.strip(" ,.;")


def parse_timing(wording: str) -> ParsedTiming:
    """Parse the timeline wording of one task. Never raises on odd input."""
    original = wording.strip()
    if not original:
        return _make(original, TimingKind.EMPTY)
    text = _normalise(original)
    try:
        parsed = _parse_deadline(original, text) or _parse_recurrence(original, text)
    except _Invalid as e:
        return _unparsed(original, str(e))
    if parsed is not None:
        return parsed
    if _ONGOING.fullmatch(text):
        return _make(original, TimingKind.ONGOING)
    return _unparsed(original)


def _deadline(original: str, starts_on: date | None, due_on: date) -> ParsedTiming:
    if starts_on is not None and starts_on > due_on:
        raise _Invalid("thời gian bắt đầu sau thời gian kết thúc")
    return _make(original, TimingKind.DEADLINE, starts_on=starts_on, due_on=due_on)


def _parse_deadline(original: str, text: str) -> ParsedTiming | None:
    for pattern in (_MONTH_WINDOW, _BARE_MONTH):
        if m := pattern.fullmatch(text):
            year, first = int(m["y"]), _month(m["m1"])
            last = _month(m["m2"]) if m.groupdict().get("m2") else first
            return _deadline(original, date(year, first, 1), _last_day(year, last))
    if m := _YEAR.fullmatch(text):
        year = int(m["y"])
        return _deadline(original, date(year, 1, 1), date(year, 12, 31))
    if m := _UNTIL_YEAR.fullmatch(text):
        return _deadline(original, None, date(int(m["y"]), 12, 31))
    if m := _PERIOD.fullmatch(text):
        return _deadline(original, date(int(m["y1"]), 1, 1), date(int(m["y2"]), 12, 31))
    if m := _QUARTER.fullmatch(text):
        year, quarter = int(m["y"]), _QUARTERS[m["q"]]
        return _deadline(original, date(year, quarter * 3 - 2, 1), _last_day(year, quarter * 3))
    if m := _DAY.fullmatch(text):
        due = _day_of(int(m["y"]), _month(m["m"]), int(m["d"]))
        # "trước ngày 31/12/2025" only says when it ends; "ngày 31/12/2025" is that one day.
        return _deadline(original, None if m["lead"] else due, due)
    return None


def _yearly(original: str, month: int | None = None, day: int | None = None) -> ParsedTiming:
    return _make(
        original,
        TimingKind.RECURRENCE,
        recurrence=Recurrence.YEARLY,
        interval_years=1,
        month=month,
        day=day,
    )


def _parse_recurrence(original: str, text: str) -> ParsedTiming | None:
    for pattern in _YEARLY_BY_DAY:
        # A day without a year in a reporting duty ("trước ngày 15/12") comes back every year.
        if m := pattern.fullmatch(text):
            day, month = int(m["d"]), _month(m["m"])
            _check_day_month(day, month)
            return _yearly(original, month, day)
    for pattern in _YEARLY_IN_MONTH:
        if m := pattern.fullmatch(text):
            return _yearly(original, _month(m["m"]))
    if _YEARLY_ONLY.fullmatch(text):
        return _yearly(original)
    if m := _EVERY_N_YEARS.fullmatch(text):
        n = int(m["n"])
        if n == 0:
            raise _Invalid("0 năm một lần")
        if n == 1:
            return _yearly(original)
        return _make(original, TimingKind.RECURRENCE, recurrence=Recurrence.EVERY_N_YEARS, interval_years=n)
    if _QUARTERLY.fullmatch(text):
        return _make(original, TimingKind.RECURRENCE, recurrence=Recurrence.QUARTERLY)
    if _HALF_YEARLY.fullmatch(text):
        return _make(original, TimingKind.RECURRENCE, recurrence=Recurrence.HALF_YEARLY)
    return None


# --- format ----------------------------------------------------------------------------------


def format_timing(p: ParsedTiming) -> str:
    """Vietnamese display: "Tháng 10/2024", "Tháng 10–12/2024", "Hằng năm, trước ngày 05/12"…

    TEXT and EMPTY give back the wording; parse_timing() reads every other output again.
    """
    if p.kind is TimingKind.DEADLINE:
        return _format_window(p)
    if p.kind is TimingKind.ONGOING:
        return "Thường xuyên"
    if p.kind is TimingKind.RECURRENCE:
        if p.recurrence is Recurrence.YEARLY:
            if p.month and p.day:
                return f"Hằng năm, trước ngày {p.day:02d}/{p.month:02d}"
            if p.month:
                return f"Hằng năm, tháng {p.month}"
            return "Hằng năm"
        if p.recurrence is Recurrence.EVERY_N_YEARS:
            return f"{p.interval_years} năm một lần"
        if p.recurrence is Recurrence.QUARTERLY:
            return "Hằng quý"
        if p.recurrence is Recurrence.HALF_YEARLY:
            return "6 tháng một lần"
    return p.wording


def _format_window(p: ParsedTiming) -> str:
    start, due = p.starts_on, p.due_on
    if due is None:
        return p.wording
    if start is None:
        lead = "Trước ngày" if "trước" in _normalise(p.wording) else "Đến ngày"
        return f"{lead} {due:%d/%m/%Y}"
    if start == due:
        return f"Ngày {due:%d/%m/%Y}"
    whole_months = start.day == 1 and due == _last_day(due.year, due.month)
    if not whole_months:
        return p.wording
    if start.year != due.year:
        if (start.month, due.month) == (1, 12):
            return f"Giai đoạn {start.year}{EN_DASH}{due.year}"
        return p.wording
    if (start.month, due.month) == (1, 12):
        return f"Năm {due.year}"
    if start.month == due.month:
        return f"Tháng {due.month}/{due.year}"
    is_quarter = start.month % 3 == 1 and due.month == start.month + 2
    if is_quarter and "quý" in _normalise(p.wording):
        return f"Quý {_QUARTER_NAMES[due.month // 3]}/{due.year}"
    return f"Tháng {start.month}{EN_DASH}{due.month}/{due.year}"


# --- due dates -------------------------------------------------------------------------------


def next_due_date(p: ParsedTiming, today: date) -> date | None:
    """The next due date on or after ``today``; None when there is none to compute.

    A deadline gives its due_on even when it has passed (the caller shows it as overdue).
    "2 năm 1 lần" gives None: the plans never say which year the cycle starts from.
    """
    if p.kind is TimingKind.DEADLINE:
        return p.due_on
    if p.kind is not TimingKind.RECURRENCE:
        return None
    if p.recurrence is Recurrence.YEARLY:
        if p.month is None:
            return date(today.year, 12, 31)
        for year in (today.year, today.year + 1):
            last = _last_day(year, p.month)
            # 29/02 falls on 28/02 in the years that have no 29th.
            due = last if p.day is None else last.replace(day=min(p.day, last.day))
            if due >= today:
                return due
    if p.recurrence is Recurrence.QUARTERLY:
        return _last_day(today.year, (today.month - 1) // 3 * 3 + 3)
    if p.recurrence is Recurrence.HALF_YEARLY:
        return date(today.year, 6, 30) if today <= date(today.year, 6, 30) else date(today.year, 12, 31)
    return None


def due_dates_between(p: ParsedTiming, first_year: int, last_year: int) -> list[date]:
    """Every due date of a recurrence in the years ``first_year``..``last_year``, oldest first:
    the day (or the month's last day) of a yearly duty, 31/12 for a plain "Hằng năm", 30/06 and
    31/12 for "6 tháng", each quarter's last day for "hằng quý".

    [] for anything else: deadlines (see ``due_on``), "Thường xuyên", unread wording, and
    "2 năm 1 lần", whose cycle the plans never anchor (as in ``next_due_date``).
    assignments.selectors.plan_tasks_by_urgency reads the overdue recurring tasks from these.
    """
    if p.kind is not TimingKind.RECURRENCE:
        return []
    dates: list[date] = []
    for year in range(first_year, last_year + 1):
        if p.recurrence is Recurrence.YEARLY:
            last = _last_day(year, p.month or 12)
            dates.append(last if p.day is None else last.replace(day=min(p.day, last.day)))
        elif p.recurrence is Recurrence.HALF_YEARLY:
            dates += [date(year, 6, 30), date(year, 12, 31)]
        elif p.recurrence is Recurrence.QUARTERLY:
            dates += [_last_day(year, month) for month in (3, 6, 9, 12)]
    return dates
