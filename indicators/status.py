"""The status of a target in a year: is the actual value where the plan said it would be?

A target has a baseline (year, wording such as "79,3%"), milestones (year → wording: "< 3%",
"Trên 35%", "4-6%", "05 trường", "13/15 trường", "Hoàn thành giai đoạn 1", "Đạt", "Duy trì",
"tốp đầu", "???") and its indicator's direction: "higher", "lower" or "range". ``assess()`` compares
one actual value with them. The rule:

- The milestone judged is the first one whose year is the current year or later (if all are past,
  the last). The path runs in a straight line from the previous point (the latest earlier milestone
  that can be read, else the baseline) to that milestone; the expected value is on it this year.
- Met (Đạt) when the actual meets the milestone: ">", "≥", "<", "≤" as written; a plain value means
  ≥ for "higher", ≤ for "lower", exactly it for "range"; a band "4-6%" means 4 ≤ x ≤ 6 for "range",
  ≥ 4 for "higher", ≤ 6 for "lower". A ratio "13/15 trường" is its percentage (86,67 %), and
  percentages are compared at two decimals. A share within the rounding of a stated percentage's own
  decimals is at it: "≤ 83,3%" is met by 5/6 (83,33 %), and so are "≥" and bands; "Trên"/"Dưới" stay
  strict, and a whole percentage ("78%", "100%") is exact.
- Not met, and the milestone's year has come (year ≥ milestone year): Không đạt.
- Before that, the shortfall is how far the actual is behind the expected value (for a band: outside
  the band, which closes in along the path). Within the tolerance, Đúng tiến độ; within the band,
  Chậm; beyond, Không đạt. Tolerance = max(10 % of the planned change |milestone − start|, 1 point
  for percentages, 0 for other numbers); band = max(25 % of that change, 3 points, 1 for others).
- "Duy trì" (alone) keeps the baseline: met at or above it ("higher"), at or below it ("lower"),
  at it ("range"); otherwise Chậm within the band, Không đạt beyond it or from the milestone's year.
- Ranks (kind RANK, one reading shared with the parser, ``indicators.phrases.read_rank``: "dẫn đầu"
  = 1, "tốp đầu" = "trong nhóm dẫn đầu" = ≤ 3, "tốp 5" = ≤ 5, "xếp thứ 3" = ≤ 3):
  the actual is a rank, lower is better whatever the direction. Stages compare their numbers
  ("Chưa đánh giá", "Đang thực hiện" = 0); "Đạt" is met by True, else Chậm until its year.
- No baseline: a count starts at 0 in the plan's start year; otherwise there is no path, and a
  target not met is Chậm before its year ("không có hiện trạng để tính lộ trình"), Không đạt from it.
- No actual: Chưa có số liệu. A milestone that cannot be read ("???", empty, "Duy trì" without a
  baseline) or compared with the actual (a number against "Đạt"): Không so sánh được, with the reason.

Pure Python, like ``indicators.wording``: no database; only the labels go through Django's translation.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import pgettext_lazy

from indicators.phrases import TOP_GROUP_RANK, read_rank
from indicators.rates import decimal_places
from indicators.wording import NBSP, Comparator, ParsedValue, ValueKind, format_decimal_vi
from portal.terms import NO_DATA

__all__ = [
    "BAND_SHARE",
    "MIN_BAND_POINTS",
    "MIN_BAND_UNITS",
    "MIN_TOLERANCE_POINTS",
    "MIN_TOLERANCE_UNITS",
    "STATUS_LABELS",
    "TOLERANCE_SHARE",
    "TOP_GROUP_RANK",
    "Assessment",
    "Point",
    "Status",
    "assess",
    "comparable_number",
    "read_rank",
]


class Status(enum.StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NOT_COMPARABLE = "not_comparable"


# Labels in the active language (the context keeps a status's "Đạt" apart from a school's answer).
# The reasons are written in Vietnamese: they quote the document's own wording of each target.
STATUS_LABELS: dict[Status, str] = {
    Status.MET: pgettext_lazy("status", "Đạt"),
    Status.ON_TRACK: pgettext_lazy("status", "Đúng tiến độ"),
    Status.BEHIND: pgettext_lazy("status", "Chậm"),
    Status.OFF_TRACK: pgettext_lazy("status", "Không đạt"),
    Status.NO_DATA: NO_DATA,
    Status.NOT_COMPARABLE: pgettext_lazy("status", "Không so sánh được"),
}

# How far behind the path still counts as on track (tolerance) or merely late (band), as a share of
# the planned change |milestone − start|. The floors keep a target with a small planned change from
# being judged to the hundredth of a point; counts, stages and ranks get no tolerance floor because
# one school, one level or one place is already a real difference.
TOLERANCE_SHARE = Decimal("0.10")
BAND_SHARE = Decimal("0.25")
MIN_TOLERANCE_POINTS = Decimal(1)
MIN_BAND_POINTS = Decimal(3)
MIN_TOLERANCE_UNITS = Decimal(0)
MIN_BAND_UNITS = Decimal(1)

_CENT = Decimal("0.01")
_DIRECTIONS = ("higher", "lower", "range")
_MAINTAIN = "Duy trì"
# Stage words that mean "no level reached yet"; "Hoàn thành" alone names no level and is not here.
_ZERO_STAGES = frozenset({"Chưa đánh giá", "Đang thực hiện", "Đang triển khai", "Chưa hoàn thành"})
_SYMBOLS = {Comparator.GTE: "≥", Comparator.GT: ">", Comparator.LTE: "≤", Comparator.LT: "<"}
_UP = (Comparator.GTE, Comparator.GT)
_DOWN = (Comparator.LTE, Comparator.LT)


@dataclass(frozen=True)
class Point:
    year: int
    value: ParsedValue


@dataclass(frozen=True)
class Assessment:
    status: Status
    milestone: Point | None  # the milestone judged against
    expected: Decimal | None  # the expected value this year on the path (None when there is no path)
    reason: str  # one Vietnamese sentence a leader can read ("Đạt 80 %, chỉ tiêu 2025 ≥ 78 %")

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


# --- numbers of a value ----------------------------------------------------------------------


def _cents(d: Decimal) -> Decimal:
    return d.quantize(_CENT, rounding=ROUND_HALF_UP)


def comparable_number(parsed: ParsedValue) -> Decimal | None:
    """The one number a value is compared by, or None when it has none.

    A percent for PERCENT; numerator / denominator × 100 for RATIO, at two decimals (13/15 → 86,67);
    the value for COUNT and SCORE, the place for RANK; for a band ("4-6%") its midpoint; the stage
    number for STAGE, 0 for the words that reach no level ("Chưa đánh giá", "Đang thực hiện"); 1 or
    0 for BOOLEAN.
    """
    kind = parsed.kind
    if kind is ValueKind.RANK:
        return parsed.value  # the worst place allowed: "tốp đầu" 3
    if kind in (ValueKind.PERCENT, ValueKind.COUNT, ValueKind.SCORE):
        if parsed.value is None:
            return None
        if parsed.comparator is Comparator.BETWEEN and parsed.value_high is not None:
            return (parsed.value + parsed.value_high) / 2
        return parsed.value
    if kind is ValueKind.RATIO:
        if parsed.numerator is not None and parsed.denominator:
            return _cents(Decimal(parsed.numerator) * 100 / Decimal(parsed.denominator))
        return parsed.value
    if kind is ValueKind.STAGE:
        if parsed.stage_number is not None:
            return Decimal(parsed.stage_number)
        return Decimal(0) if parsed.stage in _ZERO_STAGES else None
    if kind is ValueKind.BOOLEAN and parsed.boolean is not None:
        return Decimal(1) if parsed.boolean else Decimal(0)
    return None


# --- what a milestone asks for ---------------------------------------------------------------

_PERCENT, _COUNT, _STAGE, _RANK_FAMILY, _BOOLEAN = "percent", "count", "stage", "rank", "boolean"


@dataclass(frozen=True)
class _Unit:
    """How the numbers of one family are written in a reason."""

    family: str
    noun: str = ""  # counts: "trường"
    stage_label: str = ""  # stages: "hoàn thành giai đoạn", "mức độ"

    def amount(self, d: Decimal) -> str:
        n = _show(d)
        if self.family == _PERCENT:
            return f"{n}{NBSP}%"
        if self.family == _STAGE:
            label, core = self.stage_label, self.stage_label.removeprefix("hoàn thành ")
            if d == 0:
                return f"chưa hoàn thành {core} nào" if label != core else f"chưa đạt {label} nào"
            # On the way between two levels ("giai đoạn 1,4") nothing is completed yet.
            return f"{label} {n}" if d == d.to_integral_value() else f"{core} {n}"
        if self.family == _RANK_FAMILY:
            return f"hạng {n}"
        return f"{n} {self.noun}".rstrip()

    def difference(self, d: Decimal) -> str:
        n = _show(d)
        if self.family == _PERCENT:
            return f"{n} điểm %"
        if self.family == _STAGE:
            return f"{n} {self.stage_label.removeprefix('hoàn thành ')}"
        if self.family == _RANK_FAMILY:
            return f"{n} hạng"
        return f"{n} {self.noun or 'đơn vị'}"

    @property
    def min_tolerance(self) -> Decimal:
        return MIN_TOLERANCE_POINTS if self.family == _PERCENT else MIN_TOLERANCE_UNITS

    @property
    def min_band(self) -> Decimal:
        return MIN_BAND_POINTS if self.family == _PERCENT else MIN_BAND_UNITS


def _show(d: Decimal) -> str:
    return format_decimal_vi(_cents(d))  # at most two decimals, trailing zeros dropped: "49,5", "100"


@dataclass(frozen=True)
class _Goal:
    """A milestone read as numbers, its plain value or band already read by the direction."""

    unit: _Unit
    comparator: Comparator  # GTE, GT, LTE, LT or BETWEEN; EQ only for yes/no
    low: Decimal | None  # the bound for GTE/GT/LTE/LT (low == high), the band for BETWEEN
    high: Decimal | None
    boolean: bool | None
    shown: str  # the goal in a reason: "≥ 78 %", "Hoàn thành giai đoạn 1 trở lên"
    maintain: bool = False
    stated: bool = False  # bounds are percentages as written: one with decimals is a rounding

    def met_by(self, actual: Decimal, raw: Decimal | None = None) -> bool:
        """``actual`` at two decimals for percentages; ``raw`` as computed, for the rounding of a bound."""
        if self.stated and self.comparator in (Comparator.GTE, Comparator.LTE, Comparator.BETWEEN):
            raw = actual if raw is None else raw
            actual = next((b for b in (self.low, self.high) if _within_rounding(raw, b)), actual)
        if self.comparator is Comparator.GTE:
            return actual >= self.low
        if self.comparator is Comparator.GT:
            return actual > self.low
        if self.comparator is Comparator.LTE:
            return actual <= self.high
        if self.comparator is Comparator.LT:
            return actual < self.high
        return self.low <= actual <= self.high  # BETWEEN

    def anchor(self) -> Decimal:
        """The number a path through this goal passes: the bound, or a band's midpoint."""
        if self.comparator in _UP:
            return self.low
        if self.comparator in _DOWN:
            return self.high
        return (self.low + self.high) / 2


def _within_rounding(actual: Decimal, bound: Decimal | None) -> bool:
    """Within the rounding of a bound's own decimals is at the bound: 5/6 = 83,33… meets "≤ 83,3 %";
    the half-way point is not (6,55 is above "4-6,5 %"), and a whole percentage is exact."""
    places = decimal_places(bound) if bound is not None else 0
    return places > 0 and abs(actual - bound) < Decimal(5).scaleb(-places - 1)


def _family(parsed: ParsedValue) -> str | None:
    return {
        ValueKind.PERCENT: _PERCENT,
        ValueKind.RATIO: _PERCENT,
        ValueKind.COUNT: _COUNT,
        ValueKind.STAGE: _STAGE,
        ValueKind.BOOLEAN: _BOOLEAN,
        ValueKind.RANK: _RANK_FAMILY,
        ValueKind.SCORE: _COUNT,
    }.get(parsed.kind)


def _by_direction(comparator: Comparator, low: Decimal, high: Decimal, direction: str):
    """A plain value or a band read by the indicator's direction; other comparators as written."""
    if comparator is Comparator.EQ:
        comparator = {"higher": Comparator.GTE, "lower": Comparator.LTE}.get(direction, Comparator.BETWEEN)
    elif comparator is Comparator.BETWEEN and direction == "higher":
        comparator, high = Comparator.GTE, low
    elif comparator is Comparator.BETWEEN and direction == "lower":
        comparator, low = Comparator.LTE, high
    return comparator, low, high


def _goal(parsed: ParsedValue, direction: str) -> _Goal | str:
    """What one value asks for, or why it cannot be compared (a Vietnamese phrase)."""
    kind = parsed.kind
    if kind is ValueKind.EMPTY:
        return "để trống"
    if kind in (ValueKind.TEXT, ValueKind.RANK):
        rank = parsed.stage_number if kind is ValueKind.RANK else read_rank(parsed.wording)
        if rank is None:
            return f"“{parsed.wording}” không đọc được"
        n = Decimal(rank)
        shown = f"{parsed.wording} (hạng {_SYMBOLS[Comparator.LTE]}{NBSP}{rank})"
        return _Goal(_Unit(_RANK_FAMILY), Comparator.LTE, n, n, None, shown)
    if kind is ValueKind.BOOLEAN:
        shown = "Đạt" if parsed.boolean else "Không đạt"
        return _Goal(_Unit(_BOOLEAN), Comparator.EQ, None, None, parsed.boolean, shown)

    if kind is ValueKind.STAGE:
        n = comparable_number(parsed)
        if n is None:
            return f"“{parsed.wording}” không có số giai đoạn hay mức độ để so sánh"
        comparator, low, high = _by_direction(parsed.comparator or Comparator.EQ, n, n, direction)
        label = re.sub(r"\s*\d+$", "", parsed.stage).lower() if parsed.stage_number is not None else "mức"
        suffix = {Comparator.GTE: " trở lên", Comparator.LTE: " trở xuống"}.get(comparator, "")
        return _Goal(_Unit(_STAGE, stage_label=label), comparator, low, high, None, parsed.stage + suffix)

    unit = _Unit(_family(parsed), noun=parsed.noun)
    if kind is ValueKind.RATIO:
        n = comparable_number(parsed)
        low = high = n
    else:
        low, high = parsed.value, parsed.value_high if parsed.value_high is not None else parsed.value
    comparator, low, high = _by_direction(parsed.comparator, low, high, direction)
    if comparator is Comparator.BETWEEN and low != high:
        core = f"{_show(low)}–{unit.amount(high)}"
    else:
        core = unit.amount(low if comparator in _UP else high)
    if kind is ValueKind.RATIO:
        core = f"{core} ({parsed.numerator}/{parsed.denominator} {parsed.noun})".replace(" )", ")")
    if parsed.approximate:
        core = f"khoảng {core}"
    symbol = _SYMBOLS.get(comparator)
    shown = f"{symbol}{NBSP}{core}" if symbol else core
    return _Goal(unit, comparator, low, high, None, shown, stated=kind is ValueKind.PERCENT)


def _is_maintain(parsed: ParsedValue) -> bool:
    """ "Duy trì" alone, or a standard kept by name ("duy trì chuẩn phổ cập …"): keep the baseline."""
    if parsed.kind is not ValueKind.STAGE:
        return False
    return parsed.stage == _MAINTAIN or (parsed.kept and parsed.stage_number is None)


def _maintain_goal(baseline: Point | None, direction: str) -> _Goal | str:
    """ "Duy trì": the baseline's value, kept (at least it for "higher", at most for "lower")."""
    if baseline is None:
        return "“Duy trì” nhưng không có hiện trạng để biết mức cần giữ"
    kept = _goal(baseline.value, direction) if not _is_maintain(baseline.value) else "không có giá trị"
    if isinstance(kept, str):
        return f"“Duy trì” nhưng hiện trạng “{baseline.value.wording}” không đọc được"
    return _Goal(kept.unit, kept.comparator, kept.low, kept.high, kept.boolean, f"Duy trì ({kept.shown})", True)


def _goal_of(milestone: Point, baseline: Point | None, direction: str) -> _Goal | str:
    if _is_maintain(milestone.value):
        return _maintain_goal(baseline, direction)
    return _goal(milestone.value, direction)


def _number_in(parsed: ParsedValue, unit: _Unit) -> Decimal | None:
    """A baseline's number in the milestone's terms, None if it has none or of another kind."""
    if unit.family == _RANK_FAMILY:
        if parsed.kind is ValueKind.RANK:
            return Decimal(parsed.stage_number)
        if parsed.kind is ValueKind.TEXT:
            rank = read_rank(parsed.wording)
            return None if rank is None else Decimal(rank)
        return parsed.value if parsed.kind is ValueKind.COUNT and parsed.comparator is Comparator.EQ else None
    if _family(parsed) != unit.family:
        return None
    return comparable_number(parsed)


# --- the path --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Path:
    expected: Decimal
    floor: Decimal | None  # the actual should be at least this (None: no lower edge)
    ceiling: Decimal | None  # … and at most this
    change: Decimal  # the planned change |milestone − start|: what the tolerance is a share of


def _lerp(start: Decimal, end: Decimal, t: Decimal) -> Decimal:
    return _cents(start + (end - start) * t)


def _path(goal: _Goal, start_year: int, start: Decimal, end_year: int, year: int) -> _Path:
    if end_year <= start_year:
        t = Decimal(1)
    else:
        t = min(max(Decimal(year - start_year) / Decimal(end_year - start_year), Decimal(0)), Decimal(1))
    if goal.comparator in _UP:
        e = _lerp(start, goal.low, t)
        return _Path(e, e, None, abs(goal.low - start))
    if goal.comparator in _DOWN:
        e = _lerp(start, goal.high, t)
        return _Path(e, None, e, abs(goal.high - start))
    # A band closes in on [low, high] from wherever the start lies: at the start it holds the start.
    floor, ceiling = _lerp(min(start, goal.low), goal.low, t), _lerp(max(start, goal.high), goal.high, t)
    expected = min(max(start, floor), ceiling)
    return _Path(_cents(expected), floor, ceiling, max(goal.low - start, start - goal.high, Decimal(0)))


def _start(
    goal: _Goal,
    earlier: list[Point],
    baseline: Point | None,
    direction: str,
    start_year: int | None,
) -> tuple[int, Decimal] | str:
    """The point the path starts from, or why there is none (a Vietnamese phrase)."""
    for point in reversed(earlier):  # the latest earlier milestone that can be read, in the same terms
        before = _goal_of(point, baseline, direction)
        if isinstance(before, _Goal) and before.unit.family == goal.unit.family:
            return point.year, before.anchor()
    if baseline is not None:
        n = _number_in(baseline.value, goal.unit)
        if n is not None:
            return baseline.year, n
        return f"hiện trạng “{baseline.value.wording}” không dùng được để tính lộ trình"
    if start_year is not None and goal.unit.family == _COUNT:
        return start_year, Decimal(0)
    return "không có hiện trạng để tính lộ trình"


# --- assess ----------------------------------------------------------------------------------


def assess(
    *,
    direction: str,
    baseline: Point | None,
    milestones: list[Point],
    actual: Decimal | bool | None,
    year: int,
    start_year: int | None = None,
) -> Assessment:
    """The status of one target in ``year`` given the actual value, following the module's rule.

    ``actual`` is in the milestone's terms: a percentage (0–100) for percent and ratio milestones,
    a count, a stage number, a rank, a bool for yes/no. ``start_year`` (the plan's first year) lets a
    count without a baseline start at 0. Raises ValueError for an unknown direction.
    """
    if direction not in _DIRECTIONS:
        raise ValueError(f"Unknown direction {direction!r}: expected one of {_DIRECTIONS}")
    if isinstance(actual, int | float) and not isinstance(actual, bool):
        if isinstance(actual, float):
            raise TypeError("The actual value must be a Decimal, not a float")
        actual = Decimal(actual)
    if not milestones:
        return Assessment(Status.NOT_COMPARABLE, None, None, "Không so sánh được: chỉ tiêu chưa có mốc năm nào")

    ordered = sorted(milestones, key=lambda p: p.year)
    index = next((i for i, p in enumerate(ordered) if p.year >= year), len(ordered) - 1)
    milestone = ordered[index]
    goal = _goal_of(milestone, baseline, direction)
    if isinstance(goal, str):
        return Assessment(
            Status.NOT_COMPARABLE, milestone, None, f"Không so sánh được: chỉ tiêu {milestone.year} {goal}"
        )
    target = f"chỉ tiêu {milestone.year} {goal.shown}"
    if goal.unit.family == _BOOLEAN:
        return _assess_yes_no(goal, milestone, actual, year, target)

    path, no_path = None, ""
    if goal.maintain:
        path = _path(goal, baseline.year, goal.anchor(), milestone.year, year)
    else:
        start = _start(goal, ordered[:index], baseline, direction, start_year)
        if isinstance(start, str):
            no_path = start
        else:
            path = _path(goal, start[0], start[1], milestone.year, year)
    expected = path.expected if path else None

    def result(status: Status, reason: str) -> Assessment:
        return Assessment(status, milestone, expected, reason)

    if actual is None:
        return result(Status.NO_DATA, f"Chưa có số liệu năm {year} ({target})")
    if isinstance(actual, bool):
        return result(Status.NOT_COMPARABLE, f"Không so sánh được: số liệu là đạt/không đạt, {target} là một con số")
    raw = actual
    if goal.unit.family == _PERCENT:
        actual = _cents(actual)  # percentages are compared as the plans write them: 13/15 = 86,67 %

    unit = goal.unit
    shown = f"{unit.amount(actual)} năm {year}"
    if goal.met_by(actual, raw):
        return result(Status.MET, f"Đạt {unit.amount(actual)}, {target}")
    if year >= milestone.year:
        return result(Status.OFF_TRACK, f"Không đạt: {shown}, {target} đã đến hạn")
    if path is None:
        return result(Status.BEHIND, f"Chậm: {shown}, chưa đạt {target}; {no_path}")

    if path.floor is not None and actual < path.floor:
        shortfall, side, edge = path.floor - actual, "thấp hơn", path.floor
    elif path.ceiling is not None and actual > path.ceiling:
        shortfall, side, edge = actual - path.ceiling, "cao hơn", path.ceiling
    else:
        shortfall, side, edge = Decimal(0), "", path.expected
    tolerance = _cents(max(TOLERANCE_SHARE * path.change, unit.min_tolerance))
    band = _cents(max(BAND_SHARE * path.change, unit.min_band))
    what = "mức cần duy trì" if goal.maintain else "lộ trình"
    gap = f"{side} {what} {unit.amount(edge)} là {unit.difference(shortfall)}"

    if goal.maintain:
        if shortfall <= band:
            return result(Status.BEHIND, f"Chậm: {shown}, {gap} ({target})")
        return result(Status.OFF_TRACK, f"Không đạt: {shown}, {gap}, quá ngưỡng {unit.difference(band)} ({target})")
    if shortfall == 0:
        return result(Status.ON_TRACK, f"Đúng tiến độ: {shown}, lộ trình là {unit.amount(edge)} ({target})")
    if shortfall <= tolerance:
        return result(
            Status.ON_TRACK,
            f"Đúng tiến độ: {shown}, {gap}, trong mức cho phép {unit.difference(tolerance)} ({target})",
        )
    if shortfall <= band:
        return result(Status.BEHIND, f"Chậm: {shown}, {gap} ({target})")
    return result(Status.OFF_TRACK, f"Không đạt: {shown}, {gap}, quá ngưỡng {unit.difference(band)} ({target})")


def _assess_yes_no(goal: _Goal, milestone: Point, actual, year: int, target: str) -> Assessment:
    """ "Đạt": met by True; not yet met is late until the milestone's year, then not met."""
    if actual is None:
        return Assessment(Status.NO_DATA, milestone, None, f"Chưa có số liệu năm {year} ({target})")
    if not isinstance(actual, bool):
        reason = f"Không so sánh được: số liệu là một con số, {target} là đạt/không đạt"
        return Assessment(Status.NOT_COMPARABLE, milestone, None, reason)
    shown = "đạt" if actual else "chưa đạt"
    if actual is goal.boolean:
        return Assessment(Status.MET, milestone, None, f"Đạt: năm {year} {shown}, {target}")
    if year >= milestone.year:
        return Assessment(Status.OFF_TRACK, milestone, None, f"Không đạt: năm {year} {shown}, {target} đã đến hạn")
    return Assessment(Status.BEHIND, milestone, None, f"Chậm: năm {year} {shown}, {target}")
