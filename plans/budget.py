"""Budget arithmetic, with no database: subtotals and totals computed from the lines,
compared with the figures the document states itself.

Documents type their subtotals by hand (Vĩnh Bảo states 6.000 for section 2 whose lines add up
to 6.350), so both figures are kept and every difference is reported, never silently corrected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)


def sum_known(amounts: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the amounts that are there; None when none is (an uncosted line is no amount, not 0)."""
    known = [amount for amount in amounts if amount is not None]
    return sum(known, ZERO) if known else None


def parse_line_number(number: str) -> tuple[int, ...]:
    """ "1.2" → (1, 2). Raises ValueError for anything that is not dot-separated positive integers."""
    parts = number.strip().rstrip(".").split(".")
    if not parts or any(not p.isdigit() for p in parts):
        raise ValueError(number)
    return tuple(int(p) for p in parts)


@dataclass(frozen=True)
class BudgetRow:
    number: str
    content: str
    amount: Decimal | None  # for a section: the subtotal the document states, if any


@dataclass
class BudgetNode:
    number: str
    content: str
    stated: Decimal | None
    children: list[BudgetNode] = field(default_factory=list)

    @property
    def is_section(self) -> bool:
        return bool(self.children)

    @property
    def computed(self) -> Decimal:
        """A leaf's own amount (0 when not costed); a section's sum of its children's computed amounts."""
        if not self.children:
            return self.stated or ZERO
        return sum((child.computed for child in self.children), ZERO)

    @property
    def difference(self) -> Decimal | None:
        """stated − computed for a section that states a subtotal; None when there is nothing to compare."""
        if not self.children or self.stated is None:
            return None
        return self.stated - self.computed

    @property
    def has_discrepancy(self) -> bool:
        return bool(self.difference)

    @property
    def planned(self) -> Decimal | None:
        """Like `computed`, but None when no line under it is costed: "not costed" is not 0.
        A section's own stated subtotal does not count (see `difference` for that)."""
        return sum_known(leaf.stated for leaf in self.leaves())

    def walk(self) -> Iterable[BudgetNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterable[BudgetNode]:
        """The lines without children under this node (the node itself when it is one), in order."""
        return (node for node in self.walk() if not node.children)


@dataclass
class BudgetSummary:
    roots: list[BudgetNode]
    stated_total: Decimal | None

    @property
    def computed_total(self) -> Decimal:
        """The plan total from the lines themselves."""
        return sum((root.computed for root in self.roots), ZERO)

    @property
    def stated_sections_total(self) -> Decimal:
        """The total of the subtotals as stated (a leaf root counts with its amount)."""
        return sum((root.stated if root.stated is not None else root.computed for root in self.roots), ZERO)

    @property
    def total_difference(self) -> Decimal | None:
        return None if self.stated_total is None else self.stated_total - self.computed_total

    @property
    def discrepancies(self) -> list[BudgetNode]:
        """Sections whose stated subtotal differs from their lines, in document order."""
        return [node for root in self.roots for node in root.walk() if node.has_discrepancy]

    @property
    def is_consistent(self) -> bool:
        return not self.discrepancies and not self.total_difference


def budget_tree(rows: Iterable[BudgetRow]) -> list[BudgetNode]:
    """Nest rows by their numbers ("1.2" under "1"), in numeric order. A row whose parent number
    is missing becomes a root, so a gap in the document's numbering loses nothing."""
    ordered = sorted(rows, key=lambda row: parse_line_number(row.number))
    nodes: dict[tuple[int, ...], BudgetNode] = {}
    roots: list[BudgetNode] = []
    for row in ordered:
        key = parse_line_number(row.number)
        node = BudgetNode(number=row.number, content=row.content, stated=row.amount)
        nodes[key] = node
        parent = next((nodes[key[:i]] for i in range(len(key) - 1, 0, -1) if key[:i] in nodes), None)
        (parent.children if parent else roots).append(node)
    return roots


def budget_summary(rows: Iterable[BudgetRow], *, stated_total: Decimal | None) -> BudgetSummary:
    return BudgetSummary(roots=budget_tree(rows), stated_total=stated_total)
