"""Reporting periods proposed from a plan's reporting duty (Plan.reporting_duty, free text such as
"Định kỳ hằng năm (trước ngày 15/12) báo cáo kết quả thực hiện …").

Each sentence of the duty is searched for the timing words assignments.timing reads ("trước
ngày 15/12", "trước ngày 05 tháng 12", "hằng năm", "cả năm", "6 tháng", "hằng quý"); each found
one is read by assignments.timing.parse_timing and gives periods for the year asked:
- a day in the year ("trước ngày 20/6 hằng năm"): from March to July it closes the first half
  ("6 tháng đầu năm <year>", due that day); from August on it is the year's report ("Năm
  <year>"); in January or February it is the previous year's ("Năm <year − 1>", due in <year>);
- without a day: "6 tháng" → the first half, due 30/6; "hằng năm"/"cả năm" → the year, due
  31/12 (assignments.timing.due_dates_between); "hằng quý" → the four quarters.
Nothing is guessed beyond that: a duty with none of these words proposes nothing, and says so.
The proposal keeps the sentence it was read from, whole, for the office to check.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from assignments.timing import Recurrence, due_dates_between, parse_timing

from .models import ReportingPeriod

OPENS_BEFORE_DUE = datetime.timedelta(days=30)  # reports are taken from a month before the due date

_DAY = re.compile(r"(?:trước|chậm nhất|đến)\s+ngày\s+\d{1,2}\s*(?:/|-|\s+tháng\s+)\s*\d{1,2}(?!\s*(?:/|-)\s*\d)", re.I)
_HALF = re.compile(r"(?:(?:hằng|hàng|mỗi)\s+)?(?:6|sáu)\s+tháng", re.I)
_YEAR = re.compile(r"(?:hằng|hàng)\s+năm|cả\s+năm", re.I)
_QUARTER = re.compile(r"(?:hằng|hàng|mỗi)\s+quý", re.I)
_SENTENCES = re.compile(r"(?<=[.;!?])\s+|\n+")
QUARTER_NAMES = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Proposal:
    kind: str  # ReportingPeriod.Kind
    label: str
    year: int
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: datetime.date
    due_wording: str  # the timing words as the document writes them
    sentence: str  # the whole sentence they were read from

    @property
    def opens_on(self) -> datetime.date:
        return max(self.starts_on, self.due_on - OPENS_BEFORE_DUE) if self.due_on >= self.starts_on else self.due_on

    def as_initial(self, plan_id: int) -> dict:
        return {
            "plan": plan_id,
            "kind": self.kind,
            "label": self.label,
            "year": self.year,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "opens_on": self.opens_on,
            "due_on": self.due_on,
            "due_wording": self.due_wording,
        }


def _sentences(duty: str) -> list[str]:
    text = unicodedata.normalize("NFC", duty or "")
    return [s.strip() for s in _SENTENCES.split(text) if s.strip()]


def _half(year: int, due: datetime.date, wording: str, sentence: str) -> Proposal:
    return Proposal(
        ReportingPeriod.Kind.HALF_YEAR,
        f"6 tháng đầu năm {year}",
        year,
        datetime.date(year, 1, 1),
        datetime.date(year, 6, 30),
        due,
        wording,
        sentence,
    )


def _whole_year(year: int, due: datetime.date, wording: str, sentence: str) -> Proposal:
    return Proposal(
        ReportingPeriod.Kind.CALENDAR_YEAR,
        f"Năm {year}",
        year,
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        due,
        wording,
        sentence,
    )


def _from_day(year: int, wording: str, sentence: str) -> Proposal | None:
    parsed = parse_timing(wording)
    if parsed.recurrence is not Recurrence.YEARLY or parsed.month is None or parsed.day is None:
        return None
    (due,) = due_dates_between(parsed, year, year)
    if parsed.month <= 2:
        return _whole_year(year - 1, due, wording, sentence)
    if parsed.month <= 7:
        return _half(year, due, wording, sentence)
    return _whole_year(year, due, wording, sentence)


def _quarters(year: int, wording: str, sentence: str) -> list[Proposal]:
    dues = due_dates_between(parse_timing(wording), year, year)
    return [
        Proposal(
            ReportingPeriod.Kind.QUARTER,
            f"Quý {QUARTER_NAMES[i]} năm {year}",
            year,
            datetime.date(year, 3 * i + 1, 1),
            due,
            due,
            wording,
            sentence,
        )
        for i, due in enumerate(dues)
    ]


def proposals_from_duty(duty: str, year: int) -> list[Proposal]:
    """The periods the duty's wording asks for in `year`, in due-date order, each once."""
    found: dict[tuple[str, str], Proposal] = {}
    for sentence in _sentences(duty):
        days = [_from_day(year, m.group(0), sentence) for m in _DAY.finditer(sentence)]
        proposals = [p for p in days if p is not None]
        if not proposals:
            half, whole = _HALF.search(sentence), _YEAR.search(sentence)
            if half:
                due = due_dates_between(parse_timing("6 tháng"), year, year)[0]
                proposals.append(_half(year, due, half.group(0), sentence))
            if whole:
                due = due_dates_between(parse_timing("Hằng năm"), year, year)[0]
                proposals.append(_whole_year(year, due, whole.group(0), sentence))
        if quarter := _QUARTER.search(sentence):
            proposals += _quarters(year, quarter.group(0), sentence)
        for proposal in proposals:
            found.setdefault((proposal.kind, proposal.label), proposal)
    return sorted(found.values(), key=lambda p: (p.due_on, p.label))


@dataclass(frozen=True)
class PlanProposals:
    plan: object  # plans.models.Plan
    proposals: list[tuple[Proposal, ReportingPeriod | None]]  # with the period already made, if any


def plan_proposals(plans, year: int) -> list[PlanProposals]:
    """For each plan, its proposals for `year` and whether a period of that kind and name exists
    already (one query for all the plans)."""
    plans = list(plans)
    existing = {
        (p.plan_id, p.kind, p.label): p
        for p in ReportingPeriod.objects.filter(plan__in=plans, year__in=[year - 1, year]).only(
            "pk", "plan_id", "kind", "label", "year", "status"
        )
    }
    out = []
    for plan in plans:
        proposals = proposals_from_duty(plan.reporting_duty, year)
        out.append(PlanProposals(plan, [(p, existing.get((plan.pk, p.kind, p.label))) for p in proposals]))
    return out
