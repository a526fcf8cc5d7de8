"""The timeline parser against every "Thời gian triển khai và hoàn thành" of Vĩnh Bảo's Phụ lục II
and the reporting duties written in the prose of the other plans.

Expected values were written by reading the documents in /work/shared/seeds/.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date

import pytest

from assignments.timing import (
    ParsedTiming,
    Recurrence,
    TimingKind,
    format_timing,
    next_due_date,
    parse_timing,
)

DEADLINE, RECURRENCE, ONGOING, TEXT, EMPTY = (
    TimingKind.DEADLINE,
    TimingKind.RECURRENCE,
    TimingKind.ONGOING,
    TimingKind.TEXT,
    TimingKind.EMPTY,
)
YEARLY, EVERY_N_YEARS, HALF_YEARLY, QUARTERLY = (
    Recurrence.YEARLY,
    Recurrence.EVERY_N_YEARS,
    Recurrence.HALF_YEARLY,
    Recurrence.QUARTERLY,
)


@dataclass(frozen=True)
class Case:
    wording: str
    kind: TimingKind
    starts_on: date | None = None
    due_on: date | None = None
    recurrence: Recurrence | None = None
    interval_years: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def flagged(self) -> bool:
        return self.kind is TEXT


def window(wording, starts_on, due_on):
    return Case(wording, DEADLINE, starts_on, due_on)


def yearly(wording, month=None, day=None):
    return Case(wording, RECURRENCE, recurrence=YEARLY, interval_years=1, month=month, day=day)


# Vĩnh Bảo, Phụ lục II, column "Thời gian triển khai và hoàn thành": every distinct cell.
VINH_BAO_APPENDIX_II = [
    window("Tháng 10 năm 2024", date(2024, 10, 1), date(2024, 10, 31)),
    window("Tháng 11 năm 2024", date(2024, 11, 1), date(2024, 11, 30)),
    window("Tháng 10-12 năm 2024", date(2024, 10, 1), date(2024, 12, 31)),
    yearly("Tháng 6 hàng năm", month=6),
    window("Tháng 12 năm 2024", date(2024, 12, 1), date(2024, 12, 31)),
    yearly("Hàng năm"),
    Case("2 năm 1 lần", RECURRENCE, recurrence=EVERY_N_YEARS, interval_years=2),
    window("Tháng 12 năm 2025", date(2025, 12, 1), date(2025, 12, 31)),
    window("tháng 6 năm 2025", date(2025, 6, 1), date(2025, 6, 30)),
    window("tháng 12 năm 2030", date(2030, 12, 1), date(2030, 12, 31)),
]

# Reporting duties ("Chế độ báo cáo") in the prose of Đức Phổ, Chi Lăng and Hà Bắc, as written and
# as the brief shortens them.
REPORTING_DUTIES = [
    yearly("hằng năm (trước ngày 05 tháng 12)", month=12, day=5),  # Đức Phổ, V
    yearly("trước ngày 05/12", month=12, day=5),
    yearly("Định kỳ hằng năm (trước ngày 15/12)", month=12, day=15),  # Chi Lăng, IV.7
    yearly("trước ngày 15/12", month=12, day=15),
    yearly("định kỳ hằng năm"),  # Chi Lăng, IV.1.a
    yearly("trước ngày 20/6", month=6, day=20),
    Case("hằng quý", RECURRENCE, recurrence=QUARTERLY),  # Hà Bắc, V
    Case("6 tháng", RECURRENCE, recurrence=HALF_YEARLY),
    yearly("hằng năm"),
    yearly("Hằng năm"),
    window("giai đoạn 2026-2030", date(2026, 1, 1), date(2030, 12, 31)),  # Hà Bắc, V: tổng kết
    window("2026-2030", date(2026, 1, 1), date(2030, 12, 31)),
    window("ngày 31/12/2025", date(2025, 12, 31), date(2025, 12, 31)),
    window("Quý IV năm 2025", date(2025, 10, 1), date(2025, 12, 31)),
    Case("Thường xuyên", ONGOING),
]

# Other shapes the tasks' cells take, and what must not be guessed.
OTHER_WORDINGS = [
    window("trước ngày 31/12/2025", None, date(2025, 12, 31)),
    window("đến năm 2030", None, date(2030, 12, 31)),
    window("Năm 2025", date(2025, 1, 1), date(2025, 12, 31)),
    window("06/2025", date(2025, 6, 1), date(2025, 6, 30)),
    window("ngày 31 tháng 12 năm 2025", date(2025, 12, 31), date(2025, 12, 31)),
    yearly("1 năm 1 lần"),
    Case("3 năm một lần", RECURRENCE, recurrence=EVERY_N_YEARS, interval_years=3),
    Case("6 tháng một lần", RECURRENCE, recurrence=HALF_YEARLY),
    Case("Thường xuyên, liên tục", ONGOING),
    Case("", EMPTY),
    Case("hằng quý, 6 tháng và hằng năm", TEXT),  # Hà Bắc names three duties in one sentence
    Case("đột xuất", TEXT),  # Hà Bắc: "báo cáo đột xuất khi có yêu cầu" has no date at all
    Case("Tháng 13 năm 2024", TEXT),
    Case("Tháng 12-10 năm 2024", TEXT),
    Case("ngày 31/02/2025", TEXT),
    Case("trước ngày 30/02", TEXT),
    Case("0 năm 1 lần", TEXT),
    Case("Sau khi có quyết định", TEXT),
    Case("???", TEXT),
]

ALL_CASES = VINH_BAO_APPENDIX_II + REPORTING_DUTIES + OTHER_WORDINGS


def _id(case: Case) -> str:
    return repr(case.wording)


def test_the_table_lists_each_wording_once():
    wordings = [case.wording for case in ALL_CASES]
    assert len(wordings) == len(set(wordings))


@pytest.mark.parametrize("case", ALL_CASES, ids=_id)
def test_it_reads_every_seed_timing(case: Case):
    parsed = parse_timing(case.wording)

    assert parsed.wording == case.wording.strip()
    assert parsed.kind is case.kind
    assert parsed.starts_on == case.starts_on
    assert parsed.due_on == case.due_on
    assert parsed.recurrence is case.recurrence
    assert parsed.interval_years == case.interval_years
    assert parsed.month == case.month
    assert parsed.day == case.day
    assert parsed.flagged is case.flagged
    assert bool(parsed.flag_reason) is case.flagged


@pytest.mark.parametrize("case", [c for c in ALL_CASES if c.kind not in (TEXT, EMPTY)], ids=_id)
def test_the_display_reads_back_the_same(case: Case):
    first = parse_timing(case.wording)
    again = parse_timing(format_timing(first))
    fields = ("kind", "starts_on", "due_on", "recurrence", "interval_years", "month", "day")
    assert [getattr(again, f) for f in fields] == [getattr(first, f) for f in fields]
    assert not again.flagged


def test_an_impossible_date_is_flagged_with_a_reason():
    parsed = parse_timing("ngày 31/02/2025")
    assert parsed.flag_reason == "Không hiểu thời gian: “ngày 31/02/2025” (ngày 31/2/2025 không tồn tại)"


def test_an_unknown_wording_is_flagged_with_a_reason():
    assert parse_timing("???").flag_reason == "Không hiểu thời gian: “???”"


def test_it_reads_decomposed_accents_and_en_dashes():
    assert parse_timing(unicodedata.normalize("NFD", "Hằng năm")).recurrence is YEARLY
    assert parse_timing("Tháng 10\u201312/2024").due_on == date(2024, 12, 31)


def test_parsed_timings_are_plain_dataclasses():
    assert isinstance(parse_timing("Hằng năm"), ParsedTiming)
    assert TimingKind.DEADLINE == "deadline"
    assert Recurrence.EVERY_N_YEARS == "every_n_years"


# --- display -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wording,shown",
    [
        ("Tháng 10 năm 2024", "Tháng 10/2024"),
        ("Tháng 10-12 năm 2024", "Tháng 10\u201312/2024"),
        ("tháng 6 năm 2025", "Tháng 6/2025"),
        ("Tháng 6 hàng năm", "Hằng năm, tháng 6"),
        ("Hàng năm", "Hằng năm"),
        ("2 năm 1 lần", "2 năm một lần"),
        ("trước ngày 05/12", "Hằng năm, trước ngày 05/12"),
        ("hằng năm (trước ngày 05 tháng 12)", "Hằng năm, trước ngày 05/12"),
        ("trước ngày 20/6", "Hằng năm, trước ngày 20/06"),
        ("hằng quý", "Hằng quý"),
        ("6 tháng", "6 tháng một lần"),
        ("ngày 31/12/2025", "Ngày 31/12/2025"),
        ("trước ngày 31/12/2025", "Trước ngày 31/12/2025"),
        ("đến năm 2030", "Đến ngày 31/12/2030"),
        ("Quý IV năm 2025", "Quý IV/2025"),
        ("Năm 2025", "Năm 2025"),
        ("giai đoạn 2026-2030", "Giai đoạn 2026\u20132030"),
        ("Thường xuyên", "Thường xuyên"),
        ("Sau khi có quyết định", "Sau khi có quyết định"),
        ("", ""),
    ],
)
def test_format_timing_examples(wording, shown):
    assert format_timing(parse_timing(wording)) == shown


# --- next due date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wording,today,due",
    [
        # yearly by a given day: this year's if not passed yet, else next year's
        ("trước ngày 05/12", date(2025, 7, 1), date(2025, 12, 5)),
        ("trước ngày 05/12", date(2025, 12, 5), date(2025, 12, 5)),
        ("trước ngày 05/12", date(2025, 12, 6), date(2026, 12, 5)),
        ("Định kỳ hằng năm (trước ngày 15/12)", date(2024, 1, 1), date(2024, 12, 15)),
        # yearly in a given month: the last day of that month
        ("Tháng 6 hàng năm", date(2025, 6, 30), date(2025, 6, 30)),
        ("Tháng 6 hàng năm", date(2025, 7, 1), date(2026, 6, 30)),
        ("Tháng 2 hàng năm", date(2023, 1, 15), date(2023, 2, 28)),
        ("Tháng 2 hàng năm", date(2024, 1, 15), date(2024, 2, 29)),
        # yearly without a month: the end of the year
        ("Hàng năm", date(2025, 3, 1), date(2025, 12, 31)),
        ("Hằng năm", date(2025, 12, 31), date(2025, 12, 31)),
        # a yearly 29 February falls on the 28th in the other years
        ("trước ngày 29/02", date(2025, 1, 10), date(2025, 2, 28)),
        ("trước ngày 29/02", date(2027, 3, 1), date(2028, 2, 29)),
        # quarterly: the end of the current quarter
        ("hằng quý", date(2025, 2, 10), date(2025, 3, 31)),
        ("hằng quý", date(2025, 4, 1), date(2025, 6, 30)),
        ("hằng quý", date(2025, 9, 30), date(2025, 9, 30)),
        ("hằng quý", date(2025, 11, 30), date(2025, 12, 31)),
        # half-yearly: 30 June, then 31 December
        ("6 tháng", date(2025, 6, 30), date(2025, 6, 30)),
        ("6 tháng", date(2025, 7, 1), date(2025, 12, 31)),
        # a deadline is its due date, even once passed (the caller shows it as overdue)
        ("Tháng 10 năm 2024", date(2024, 9, 1), date(2024, 10, 31)),
        ("Tháng 10 năm 2024", date(2025, 7, 1), date(2024, 10, 31)),
        ("Quý IV năm 2025", date(2025, 7, 1), date(2025, 12, 31)),
        ("giai đoạn 2026-2030", date(2026, 5, 1), date(2030, 12, 31)),
        # nothing to compute
        ("2 năm 1 lần", date(2025, 7, 1), None),  # the plans never say which year the cycle starts
        ("Thường xuyên", date(2025, 7, 1), None),
        ("???", date(2025, 7, 1), None),
        ("", date(2025, 7, 1), None),
    ],
)
def test_next_due_date_examples(wording, today, due):
    assert next_due_date(parse_timing(wording), today) == due
