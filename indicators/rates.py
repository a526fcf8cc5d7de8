"""Percentages compared by the fractions they state, not by how many decimals the author kept.

5/6 of the schools is written "83,33%" one year, "83,3%" the next and "83%" in another plan: the
same share, not a change. A stated percentage is taken to mean every number that rounds (half up)
to it at its own decimals; a fraction ("5/6 trường") is exact. Against a fraction every rounding
counts ("83%" of 5/6), a truncation does not ("86,6%" is not 13/15 = 86,67%; beside its fraction in
one cell the parser notes it, ``stated_against``). Two stated percentages are the same when the coarser is the
rounding of the finer and keeps decimals itself: "83,3%" is 83,33% rounded, but "100%" after
"99,9%" is a real step (a whole percentage is a target as often as a rounding).

Pure standard library, like ``indicators.wording``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["Rate", "compare_rates", "decimal_places", "rate_of", "round_to", "same_rate", "stated_against"]


def decimal_places(d: Decimal) -> int:
    """The decimals written: 2 for Decimal("83.30"), 0 for Decimal("83")."""
    exponent = d.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _to_decimal(x: Fraction | Decimal) -> Decimal:
    if isinstance(x, Decimal):
        return x
    return Decimal(x.numerator) / Decimal(x.denominator)


def round_to(x: Fraction | Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``x`` rounded at ``places`` decimals; exact for a fraction (no float on the way)."""
    step = Decimal(1).scaleb(-places)
    if isinstance(x, Fraction):
        # Scale up first so that the division keeps every digit the rounding looks at.
        scaled = Fraction(x.numerator * 10**places, x.denominator)
        whole, rest = divmod(scaled.numerator, scaled.denominator)
        if rounding == ROUND_HALF_UP and 2 * rest >= scaled.denominator:
            whole += 1
        return (Decimal(whole) * step).quantize(step)
    return x.quantize(step, rounding=rounding)


@dataclass(frozen=True)
class Rate:
    """A percentage as a document states it: exactly (a fraction ×100) or at some decimals."""

    stated: Decimal | None  # 83.3 for "83,3%"; the exponent keeps the decimals written
    exact: Fraction | None = None  # 500/6 for "5/6 trường"

    @property
    def number(self) -> Fraction:
        return self.exact if self.exact is not None else Fraction(self.stated)


def rate_of(value, numerator: int | None = None, denominator: int | None = None) -> Rate:
    """The rate of a value: a fraction when numerator and denominator are known, else as stated."""
    if numerator is not None and denominator:
        return Rate(value, Fraction(numerator * 100, denominator))
    return Rate(value)


def _matches(fine: Fraction | Decimal, coarse: Decimal) -> bool:
    return round_to(fine, decimal_places(coarse)) == coarse


def same_rate(a: Rate, b: Rate) -> bool:
    """True when ``a`` and ``b`` can state the same share at the decimals each was written with."""
    if a.exact is not None and b.exact is not None:
        return a.exact == b.exact
    if a.exact is not None or b.exact is not None:
        exact, stated = (a.exact, b.stated) if a.exact is not None else (b.exact, a.stated)
        return stated is not None and _matches(exact, stated)
    if a.stated is None or b.stated is None:
        return False
    fine, coarse = sorted((a.stated, b.stated), key=decimal_places, reverse=True)
    if decimal_places(coarse) == 0:
        return fine == coarse  # "100%" and "99,9%" differ; "83%" and "83,33%" too without the fraction
    return _matches(fine, coarse)


def compare_rates(a: Rate, b: Rate) -> int:
    """-1, 0 or 1 as ``a`` is below, the same share as, or above ``b``."""
    if same_rate(a, b):
        return 0
    return -1 if a.number < b.number else 1


def stated_against(stated: Decimal, exact: Fraction) -> str:
    """How a stated percentage relates to the fraction beside it: "rounded", "truncated" or "wrong"."""
    places = decimal_places(stated)
    if round_to(exact, places) == stated:
        return "rounded"
    if round_to(exact, places, ROUND_DOWN) == stated:
        return "truncated"
    return "wrong"


def exact_text(exact: Fraction, places: int) -> str:
    """The fraction as a decimal: exactly when it ends soon ("96,875"), else cut with "…" ("86,666…")."""
    for digits in range(0, 7):
        if (exact * 10**digits).denominator == 1:
            return _vi(_to_decimal(exact).quantize(Decimal(1).scaleb(-digits)))
    return _vi(round_to(exact, places + 3, ROUND_DOWN)) + "…"


def _vi(d: Decimal) -> str:
    return format(d, "f").replace(".", ",")
