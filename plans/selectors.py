"""Reads of plans: the target table grouped by school level, the budget summary, and the budget
planned against spent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from indicators.models import FLAG_LABELS, Indicator
from indicators.wording import format_value, parse_value
from organisations.models import OrgUnit, SchoolLevel, under_path

from .budget import BudgetNode, BudgetRow, BudgetSummary, budget_summary, budget_tree, sum_known
from .checks import Cell, row_warnings
from .models import BudgetLine, BudgetSpending, ParentDocument, Plan, Target, TargetValue
from .permissions import plan_list_visible_to


def target_next_milestone(target: Target, year: int) -> TargetValue | None:
    """The plan's milestone for `year`, or the nearest later one (a 2025 period of a plan with
    only a 2030 milestone shows the 2030 target). Uses the prefetched `target.values`.

    When the document heads its first column "Chỉ tiêu năm 2026" (Plan.baseline_label), that
    column is the target for its own year, so a 2026 period is measured against it, not 2028's."""
    first_is_target = target.plan.baseline_label == Plan.BaselineLabel.TARGET
    later = [
        v for v in target.values.all() if v.year >= year and (v.role == TargetValue.Role.MILESTONE or first_is_target)
    ]
    return min(later, key=lambda v: (v.year, v.role != TargetValue.Role.MILESTONE), default=None)


VALUE_WORDING_MAX_LENGTH = 255  # TargetValue.wording


def value_reading_preview(*, wording: str, indicator: Indicator | None = None) -> dict[str, object]:
    """How a value cell will be read once saved, for the plan page as it is typed:
    {"reading": "> 35 %", "flag": "" | "ambiguous" | "inconsistent" | "unparsed" | "invalid",
    "reason": why it is flagged, "warnings": the cell against its indicator (plans.checks)}.
    "invalid" is a wording the form will refuse (a NUL character, too long); nothing here raises."""
    if "\x00" in wording:
        reason = _("Nội dung có ký tự không hợp lệ (NUL). Hãy gõ lại hoặc dán dưới dạng văn bản thường.")
        return {"reading": "", "flag": "invalid", "reason": reason, "warnings": []}
    if len(wording) > VALUE_WORDING_MAX_LENGTH:
        reason = _("Giá trị dài quá %(limit)s ký tự (đang có %(count)s).") % {
            "limit": VALUE_WORDING_MAX_LENGTH,
            "count": len(wording),
        }
        return {"reading": "", "flag": "invalid", "reason": reason, "warnings": []}
    parsed = parse_value(wording)
    flag = parsed.flag.value
    reason = (parsed.flag_reason or str(FLAG_LABELS.get(flag, ""))) if flag else ""
    warnings = []
    if indicator is not None:
        cell = Cell(label=_("Giá trị"), kind=parsed.kind.value, value=parsed.value)
        warnings = row_warnings(unit=indicator.unit, direction="", baseline=None, milestones=[cell])
    return {
        "reading": format_value(parsed) if wording.strip() else "",
        "flag": flag,
        "reason": reason,
        "warnings": warnings,
    }


def plan_list() -> QuerySet[Plan]:
    """Plans with their issuer and row counts, newest period first."""
    return Plan.objects.select_related("issuer", "parent").annotate(
        target_count=Count("targets", distinct=True),
        flagged_count=Count("targets__values", filter=~Q(targets__values__flag=""), distinct=True),
    )


@dataclass
class TargetRow:
    target: Target
    baseline: TargetValue | None
    milestones: dict[int, TargetValue]

    def milestone(self, year: int) -> TargetValue | None:
        return self.milestones.get(year)

    @property
    def warnings(self) -> list[str]:
        """Cross-cell warnings for this row (plans.checks): wrong kind for the indicator, worse than before."""

        def as_cell(value: TargetValue) -> Cell:
            label = _("Hiện trạng %(year)s") if value.role == TargetValue.Role.BASELINE else _("Chỉ tiêu %(year)s")
            parsed = value.parsed  # the value as written (its decimals), and a ratio's fraction
            return Cell(
                label=label % {"year": value.year},
                kind=value.value_kind,
                value=parsed.value,
                numerator=parsed.numerator,
                denominator=parsed.denominator,
            )

        indicator = self.target.indicator
        return row_warnings(
            unit=indicator.unit,
            direction=indicator.direction,
            baseline=as_cell(self.baseline) if self.baseline else None,
            milestones=[as_cell(self.milestones[year]) for year in sorted(self.milestones)],
        )

    @property
    def flagged_values(self) -> list[TargetValue]:
        values = [self.baseline, *self.milestones.values()]
        return [v for v in values if v is not None and v.flag]


@dataclass
class LevelGroup:
    level: SchoolLevel | None  # None: targets common to several levels
    rows: list[TargetRow] = field(default_factory=list)


def plan_target_table(plan: Plan) -> tuple[list[int], list[LevelGroup]]:
    """The plan's targets grouped by school level (levels in their usual order, common targets last),
    rows in document order, with each row's baseline and milestone values. Returns the milestone
    years (the table's columns) and the groups. Three queries whatever the plan's size."""
    targets = (
        Target.objects.filter(plan=plan)
        .select_related("indicator__level")
        .prefetch_related(Prefetch("values", queryset=TargetValue.objects.order_by("year")))
        .order_by("order", "pk")
    )
    groups: dict[int | None, LevelGroup] = {}
    years: set[int] = set()
    for target in targets:
        level = target.indicator.level
        group = groups.setdefault(level.pk if level else None, LevelGroup(level=level))
        baseline = None
        milestones = {}
        for value in target.values.all():
            if value.role == TargetValue.Role.BASELINE:
                baseline = value
            else:
                milestones[value.year] = value
                years.add(value.year)
        group.rows.append(TargetRow(target=target, baseline=baseline, milestones=milestones))
    ordered = sorted(groups.values(), key=lambda g: (g.level is None, g.level.order if g.level else 0))
    return sorted(years or set(plan.milestone_years)), ordered


def plan_budget_summary(plan: Plan) -> BudgetSummary:
    """Section subtotals and the plan total computed from the lines, beside the stated figures."""
    rows = [
        BudgetRow(number=line.number, content=line.content, amount=line.amount)
        for line in BudgetLine.objects.filter(plan=plan).only("number", "content", "amount")
    ]
    return budget_summary(rows, stated_total=plan.budget_stated_total)


def plan_flagged_values(plan: Plan) -> QuerySet[TargetValue]:
    """Every value of the plan whose wording could not be read or is inconsistent, in table order."""
    return (
        TargetValue.objects.filter(target__plan=plan)
        .exclude(flag="")
        .select_related("target__indicator__level")
        .order_by("target__order", "role", "year")
    )


# --- budget: planned against spent ---------------------------------------------------------------


def _share(planned: Decimal | None, spent: Decimal | None) -> Decimal | None:
    if planned is None or spent is None or planned <= 0:
        return None
    return (spent * 100 / planned).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """Planned and spent, in million VND. None means "no amount" (not costed, nothing recorded),
    never 0: a 0 is a real amount."""

    planned: Decimal | None
    spent: Decimal | None

    @property
    def share_percent(self) -> Decimal | None:
        """spent / planned as a percent, rounded half up to 2 places (62.50); None without both
        figures or when planned is 0."""
        return _share(self.planned, self.spent)


@dataclass(frozen=True)
class LineProgress(Figures):
    line: BudgetLine  # line.plan is the plan passed in (no query to read it)
    depth: int  # 0 for a section of the first level ("1"), 1 for "1.1" …
    is_section: bool  # lines sit under it: its figures are theirs, summed; it takes no spending itself
    spending: BudgetSpending | None  # with a year: that year's record (for a form's current value)
    funding: str  # its funding sources' combined name, as `sources` reports it; "" when none


@dataclass(frozen=True)
class SectionProgress(Figures):
    line: BudgetLine  # the first-level row ("1", "2" …) with its content
    stated: Decimal | None  # the subtotal the document states for it, if any
    has_uncosted_lines: bool  # some of its lines carry no amount: `planned` is a lower bound


@dataclass(frozen=True)
class SourceProgress(Figures):
    name: str  # "Ngân sách huyện", or "Ngân sách huyện + Xã hội hóa" for lines funded by both


@dataclass(frozen=True)
class BudgetProgress:
    plan: Plan
    year: int | None  # None: every year recorded
    total: Figures
    stated_total: Decimal | None  # the plan's total as the document states it
    sections: list[SectionProgress]
    sources: list[SourceProgress]
    lines: list[LineProgress]


def _source_names(line: BudgetLine) -> tuple[str, ...]:
    return tuple(sorted(source.name for source in line.funding_sources.all()))


def plan_budget_progress(*, plan: Plan, year: int | None = None) -> BudgetProgress:
    """The plan's budget, planned against spent, for one year or (year None) every year recorded
    (recording refuses future years: plans.services.budget_spending_record). Three queries.

    - `planned` is the plan's whole amount whatever the year (the documents do not split it by
      year): the sum of the costed lines under each row (plans.budget, BudgetNode.planned); an
      uncosted line adds no amount, and a row with no costed line has None, not 0.
    - `spent` is the sum of what was recorded on the lines without children; None when nothing is.
      (What was recorded on a line before lines were added under it no longer counts.)
    - `sections`: the first-level rows ("1", "2" …) in numeric order.
    - `sources`: one entry per funding source, or combination of sources. A line funded by several
      sources is reported under their combined name, "Ngân sách huyện + Xã hội hóa" (names in
      alphabetical order), since the documents do not split its amount between them. A line without
      a source of its own takes its section's; lines with none are under "Chưa ghi nguồn", last.
      Ordered by name.
    - `lines`: every row in numeric order, sections included, with its depth.
    - `total`: over every line; `stated_total` is the document's own figure beside it.
    The caller has checked that the user may see the plan."""
    lines = {
        line.number: line
        for line in BudgetLine.objects.filter(plan=plan).prefetch_related("funding_sources").order_by("order", "pk")
    }
    spendings = BudgetSpending.objects.filter(line__plan=plan).select_related("recorded_by")
    if year is not None:
        spendings = spendings.filter(year=year)
    spent_by_line: dict[int, list[BudgetSpending]] = {}
    for spending in spendings:
        spent_by_line.setdefault(spending.line_id, []).append(spending)

    roots = budget_tree(BudgetRow(number=n, content=line.content, amount=line.amount) for n, line in lines.items())

    def walk(nodes: list[BudgetNode], depth: int, inherited: tuple[str, ...]):
        """(node, depth, funding sources) in numeric order; a line without sources takes its section's."""
        for node in nodes:
            sources = _source_names(lines[node.number]) or inherited
            yield node, depth, sources
            yield from walk(node.children, depth + 1, sources)

    walked = list(walk(roots, 0, ()))
    leaf_spent: dict[str, Decimal | None] = {}
    leaf_sources: dict[str, tuple[str, ...]] = {}
    for node, _depth, sources in walked:
        if not node.is_section:
            leaf_spent[node.number] = sum_known(r.amount for r in spent_by_line.get(lines[node.number].pk, []))
            leaf_sources[node.number] = sources

    rows = []
    for node, depth, sources in walked:
        line = lines[node.number]
        line.plan = plan  # spare the templates a query per line
        records = [] if node.is_section else spent_by_line.get(line.pk, [])
        rows.append(
            LineProgress(
                planned=node.planned,
                spent=sum_known(leaf_spent[leaf.number] for leaf in node.leaves()),
                line=line,
                depth=depth,
                is_section=node.is_section,
                spending=records[0] if year is not None and records else None,
                funding=" + ".join(sources),
            )
        )

    sections = []
    for root in roots:
        leaves = list(root.leaves())
        sections.append(
            SectionProgress(
                planned=root.planned,
                spent=sum_known(leaf_spent[leaf.number] for leaf in leaves),
                line=lines[root.number],
                stated=root.stated if root.is_section else None,
                has_uncosted_lines=any(leaf.stated is None for leaf in leaves),
            )
        )

    by_source: dict[tuple[str, ...], list[BudgetNode]] = {}
    for root in roots:
        for leaf in root.leaves():
            by_source.setdefault(leaf_sources[leaf.number], []).append(leaf)
    sources = [
        SourceProgress(
            planned=sum_known(leaf.stated for leaf in leaves),
            spent=sum_known(leaf_spent[leaf.number] for leaf in leaves),
            name=" + ".join(names) if names else _("Chưa ghi nguồn"),
        )
        for names, leaves in sorted(by_source.items(), key=lambda item: (not item[0], item[0]))
    ]

    all_leaves = [leaf for root in roots for leaf in root.leaves()]
    return BudgetProgress(
        plan=plan,
        year=year,
        total=Figures(
            planned=sum_known(leaf.stated for leaf in all_leaves),
            spent=sum_known(leaf_spent[leaf.number] for leaf in all_leaves),
        ),
        stated_total=plan.budget_stated_total,
        sections=sections,
        sources=sources,
        lines=rows,
    )


# --- parent documents ("Căn cứ") ------------------------------------------------------------------


@dataclass(frozen=True)
class ParentDocumentRow:
    document: ParentDocument
    readable_plan: Plan | None  # the linked plan when the viewer may read it, else None


def plan_parent_documents(*, plan: Plan, user) -> list[ParentDocumentRow]:
    """The documents `plan` implements, in their order, each with its linked plan when `user` may
    read it (a link to a plan the viewer cannot open is shown as text only). Two queries."""
    documents = list(ParentDocument.objects.filter(plan=plan).select_related("linked_plan__issuer"))
    linked = {d.linked_plan_id for d in documents if d.linked_plan_id}
    readable = (
        set(plan_list_visible_to(user=user).filter(pk__in=linked).values_list("pk", flat=True)) if linked else set()
    )
    return [
        ParentDocumentRow(document=d, readable_plan=d.linked_plan if d.linked_plan_id in readable else None)
        for d in documents
    ]


def plan_children_visible(*, plan: Plan, user) -> QuerySet[Plan]:
    """The plans that name `plan` among their linked parent documents (any kind), that `user` may
    read, by issuer name and number."""
    return (
        plan_list_visible_to(user=user)
        .filter(parent_documents__linked_plan=plan)
        .select_related("issuer")
        .order_by("issuer__name", "number", "pk")
        .distinct()
    )


_NUMBER_PREFIX = re.compile(r"^(kế hoạch|chỉ thị|nghị quyết|kết luận|quyết định)?\s*(số)?\s*:?\s*", re.IGNORECASE)


def document_number_key(number: str) -> str:
    """A document number as compared, not as shown: "Số: 141 /KH-UBND" and "141/kh-ubnd" are both
    "141/KH-UBND" (a prefix "Kế hoạch số", spaces, case and the kind of dash do not count)."""
    text = _NUMBER_PREFIX.sub("", (number or "").strip())
    return re.sub(r"\s+", "", text).replace("–", "-").replace("—", "-").upper()


def _served_unit(unit: OrgUnit) -> OrgUnit:
    """The unit whose tree a plan applies to: an agency's (Sở GD&ĐT) is the unit it serves."""
    return unit.parent if unit.kind == OrgUnit.Kind.AGENCY and unit.parent_id else unit


def parent_document_link_matches(*, plan: Plan, user=None) -> list[ParentDocument]:
    """Documents registered by other plans, not linked yet, that look like `plan`: the same number
    (document_number_key), the same date when both are known, cited by a plan issued within the
    tree `plan` applies to (a province's plan is implemented under the province). With `user`,
    only documents of plans that user may read. By the citing plan's issuer name and number.
    Empty for a plan without a number. Proposals only: the office of the citing plan decides."""
    key = document_number_key(plan.number)
    if not key:
        return []
    served = _served_unit(plan.issuer)
    candidates = (
        ParentDocument.objects.filter(linked_plan__isnull=True, number__icontains=key.split("/")[0])
        .exclude(plan=plan)
        .filter(under_path(served.path, "plan__issuer__path"))
        .select_related("plan__issuer")
        .order_by("plan__issuer__name", "plan__number", "plan__pk", "order")
    )
    if user is not None:
        candidates = candidates.filter(plan__in=plan_list_visible_to(user=user).values("pk"))
    return [
        d
        for d in candidates
        if document_number_key(d.number) == key
        and not (d.issued_on and plan.issued_on and d.issued_on != plan.issued_on)
    ]


def parent_document_plan_candidates(*, document: ParentDocument, user) -> QuerySet[Plan]:
    """Plans `user` may read whose number is the document's (document_number_key) and, when both
    dates are known, whose date is the document's: what the office may link it to. Not the
    document's own plan. By issuer name."""
    key = document_number_key(document.number)
    if not key:
        return Plan.objects.none()
    plans = (
        plan_list_visible_to(user=user)
        .filter(number__icontains=key.split("/")[0])
        .exclude(pk=document.plan_id)
        .select_related("issuer")
        .order_by("issuer__name", "pk")
    )
    if document.issued_on:
        plans = plans.filter(Q(issued_on__isnull=True) | Q(issued_on=document.issued_on))
    return Plan.objects.filter(pk__in=[p.pk for p in plans if document_number_key(p.number) == key]).select_related(
        "issuer"
    )
