"""Numbers the way Vietnamese plans write them: thousands dot, decimal comma ("344.050", "22,78").

``read_number`` reads one token and says how many decimals the author wrote (the precision meant)
and whether a separator had to be interpreted; ``format_decimal_vi`` writes a Decimal back.
Pure standard library, used by ``indicators.wording`` and the money columns.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Number", "format_decimal_vi", "format_percent_number", "read_number"]


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


def format_percent_number(d: Decimal) -> str:
    # No thousands dot in a percent: parse_value reads a dot in a percent as a decimal point,
    # and the round trip must hold even for the (flagged) values above 1000 %.
    return _format_number(d, None, grouping=False)


@dataclass(frozen=True)
class Number:
    value: Decimal
    places: int  # digits written after the decimal separator: the precision the author meant
    note: str  # non-empty when a separator had to be interpreted (flag AMBIGUOUS)


_VI_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_VI_GROUPED_DECIMAL = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+,\d+")


def read_number(token: str, *, percent: bool) -> Number | None:
    """Read one number token written with digits, dots and commas; None if it makes no sense."""
    has_dot, has_comma = "." in token, "," in token
    if has_dot and has_comma:
        if not _VI_GROUPED_DECIMAL.fullmatch(token):
            return None  # "1,234.5" or worse: mixing both systems in one number is not guessed
        int_part, frac = token.replace(".", "").split(",")
        return Number(Decimal(f"{int_part}.{frac}"), len(frac), "")
    if has_comma:
        if token.count(",") != 1:
            return None
        int_part, frac = token.split(",")
        return Number(Decimal(f"{int_part}.{frac}"), len(frac), "")
    if has_dot:
        # "344.050" is three hundred forty-four thousand and fifty, but in a percent ("84.72%")
        # the author slipped into a decimal point: no percent is written with a thousands dot.
        if not percent and _VI_GROUPED.fullmatch(token):
            return Number(Decimal(token.replace(".", "")), 0, "")
        if token.count(".") != 1:
            return None
        value = Decimal(token)
        places = len(token.partition(".")[2])
        unit = "%" if percent else ""
        note = f"Dấu chấm thập phân “{token}{unit}” được hiểu là {format_decimal_vi(value, places)}{unit}"
        return Number(value, places, note)
    return Number(Decimal(token), 0, "")
