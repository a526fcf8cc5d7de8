"""Server-rendered SVG charts for the dashboards: a trend per target, a bar ranking per unit.

The charts are inline SVG strings, no JavaScript, so that they print and can go into a PDF. They
read without colour: every value is written as text, the kinds of point have their own marker
shape and line style, and the statuses of the bars their own fill pattern (colour is only added
on top). Each element carries a CSS class for the site stylesheet (``chart-actual``,
``chart-target``, ``status-met``…) and inline stroke/fill attributes, so that the chart stays
readable where no stylesheet applies.

Every text that comes from data (unit names, labels, titles) goes through ``_esc()``, and the
finished SVG is marked safe only once, at the end, in ``_svg()``. The output is well-formed XML
(tests/dashboards/test_charts.py parses it), with Vietnamese numbers from
``indicators.wording.format_decimal_vi`` ("79,3 %", "1.234").

The texts are Vietnamese on purpose, like the wording module they describe values with: the
``<desc>`` must say the same thing as the document the plan came from.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils.safestring import SafeString, mark_safe

from indicators.wording import format_decimal_vi

__all__ = ["Bar", "TrendPoint", "bar_chart", "trend_chart", "trend_legend"]

NBSP = "\u00a0"
NO_DATA = "Chưa có số liệu"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
FONT = "system-ui, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"

# The portal's palette (static/css/portal.css :root), written out for renderers without CSS.
INK = "#1d2733"
MUTED = "#5b6b7b"
GRID = "#d8dee6"
AXIS = "#8a96a3"
BAND = "#f5f7fa"
LINK = "#0b5394"


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: Decimal | None  # None: no figure that year (a gap, never drawn as 0)
    kind: str  # "baseline" | "actual" | "milestone" | "expected"
    label: str = ""  # shown instead of the number, e.g. "< 3 %" for a milestone with a comparator


@dataclass(frozen=True)
class Bar:
    label: str  # a child unit's name, as users typed it
    value: Decimal | None  # None: no figure (a labelled "chưa có số liệu" row, no bar)
    status: str = ""  # one of STATUSES
    status_label: str = ""  # Vietnamese text next to the bar ("Đạt", "Chậm" …)
    url: str = ""  # when given, the label links there (drill-down)


TREND_KINDS = ("baseline", "actual", "expected", "milestone")  # also the order within one year
_KIND_WORDS = {"baseline": "hiện trạng", "actual": "thực hiện", "expected": "dự kiến", "milestone": "chỉ tiêu"}
STATUSES = ("met", "on_track", "behind", "off_track", "no_data", "not_comparable", "")


# --- text and numbers ------------------------------------------------------------------------

# Characters XML 1.0 forbids (names pasted from Word carry \x0b) and lone surrogates, which
# cannot be encoded: either would break the page, or the PDF renderer that parses the SVG.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"[ \t\r\n]+")  # not \s: the no-break space before "%" is kept


def _clean(text: object) -> str:
    """Data text on one line, without characters XML cannot hold. Not yet escaped."""
    return _BREAKS.sub(" ", _FORBIDDEN.sub(" ", str(text or ""))).strip()


def _esc(text: object) -> str:
    # Always escaped, even a SafeString label: it is still data typed by a user. The standard
    # library's html.escape gives what django.utils.html.escape gives, at a fraction of the cost
    # (a page draws some 4,000 elements).
    return html.escape(_clean(text), quote=True)


def _number(value: object) -> Decimal | None:
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number if number.is_finite() else None


def _fmt_number(d: Decimal) -> str:
    """At most two decimals, trailing zeros dropped: 79,3 ; 1.234 ; 86,67 ; 0."""
    if abs(d) < Decimal("1e15"):
        d = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_decimal_vi(d)


def _fmt_value(d: Decimal, unit: str, *, with_unit: bool = True) -> str:
    """ "79,3 %" for percentages (always, even on the axes); "1.234 trường" with ``with_unit``."""
    text = _fmt_number(d)
    if _is_percent(unit):
        return f"{text}{NBSP}%"
    if unit and with_unit:
        return f"{text} {_clean(unit)}"
    return text


def _is_percent(unit: str) -> bool:
    return unit.strip() == "%"


def _clamp(d: Decimal, lo: Decimal, hi: Decimal) -> Decimal:
    return min(max(d, lo), hi)


def _nice_ceil(x: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``x`` (> 0): the top of a count scale."""
    base = Decimal(1).scaleb(x.adjusted())
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)):
        if x <= step * base:
            return step * base
    return 10 * base


def _width(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` at font ``size``: no font metrics on the server."""
    return len(text) * size * 0.6


# --- SVG building ----------------------------------------------------------------------------

_counter = itertools.count(1)


def _chart_id(id_prefix: str, *payload: object) -> str:
    """The prefix of every id in one chart: the caller's, or one unique per call.

    Without a prefix the id joins a counter (unique within a process, so within a page) and a
    hash of the chart's data: two cached charts from different processes can only share an id
    when they also share their content, and then both ids point at the same thing.
    """
    if id_prefix:
        cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix.strip()) or "chart"
        return cleaned if cleaned[0].isalpha() else f"c{cleaned}"
    digest = hashlib.blake2s(repr(payload).encode(), digest_size=4).hexdigest()
    return f"chart-{digest}-{next(_counter)}"


def _n(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


_ATTR_NAMES: dict[str, str] = {}


def _attrs(attrs: dict[str, object]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None or value == "":
            continue
        name = _ATTR_NAMES.get(key) or _ATTR_NAMES.setdefault(key, key.rstrip("_").replace("_", "-"))
        if isinstance(value, float | int) and not isinstance(value, bool):
            parts.append(f' {name}="{_n(value)}"')  # a number needs no escaping
        else:
            parts.append(f' {name}="{html.escape(str(value), quote=True)}"')
    return "".join(parts)


def _el(tag: str, *children: str, **attrs: object) -> str:
    """One element. ``children`` are SVG already built or escaped; attribute values are escaped here."""
    if not children:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{''.join(children)}</{tag}>"


def _tip(text: str) -> str:
    """A tooltip (and accessible name) for one mark: its own value, written out."""
    return _el("title", _esc(text))


def _svg(
    *, chart_id: str, css: str, width: float, height: float, title: str, desc: str, body: str, role: str = "img"
) -> SafeString:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    if role == "img":
        aria = {"aria-labelledby": f"{title_id} {desc_id}"}
    else:
        # A chart with links must not be role="img": its children would be hidden from screen
        # readers, and the links with them.
        aria = {"aria-labelledby": title_id, "aria-describedby": desc_id}
    opening = _attrs(
        {
            "xmlns": SVG_NS,
            "xmlns:xlink": XLINK_NS,
            "class": f"chart {css}",
            "width": width,
            "height": height,
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "role": role,
            **aria,
            "lang": "vi",
            "font-family": FONT,
        }
    )
    svg = f"<svg{opening}>{_el('title', _esc(title), id=title_id)}{_el('desc', _esc(desc), id=desc_id)}{body}</svg>"
    return mark_safe(svg)  # noqa: S308 -- every piece of data in ``body`` went through _esc()/_attrs()


def _empty(*, chart_id: str, css: str, title: str, desc: str, width: float, height: float) -> SafeString:
    body = _el(
        "rect",
        class_="chart-frame",
        x=0.5,
        y=0.5,
        width=width - 1,
        height=height - 1,
        rx=4,
        fill="#fff",
        stroke=GRID,
        stroke_dasharray="4 3",
    ) + _el(
        "text",
        NO_DATA,
        class_="chart-nodata",
        x=width / 2,
        y=height / 2 + 4,
        text_anchor="middle",
        font_size=11,
        font_style="italic",
        fill=MUTED,
    )
    return _svg(
        chart_id=chart_id, css=f"{css} chart-empty", width=width, height=height, title=title, desc=desc, body=body
    )


@dataclass
class _Boxes:
    """Text boxes already placed, so that a value label is moved or left out rather than overlap."""

    boxes: list[tuple[float, float, float, float]]

    def free(self, box: tuple[float, float, float, float]) -> bool:
        x1, y1, x2, y2 = box
        return all(x2 <= a1 or x1 >= a2 or y2 <= b1 or y1 >= b2 for a1, b1, a2, b2 in self.boxes)


# --- trend chart -----------------------------------------------------------------------------


def _percent_scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """0–100, or a window of it on multiples of 5 or 10 when all values are close together."""
    vmin, vmax = min(values), max(values)
    step = Decimal(10) if vmax - vmin > 10 else Decimal(5)
    lo = (vmin / step).to_integral_value(rounding=ROUND_FLOOR) * step
    hi = (vmax / step).to_integral_value(rounding=ROUND_CEILING) * step
    if hi == lo:
        if hi < 100:
            hi += step
        else:
            lo -= step
    if hi - lo > 40:
        return Decimal(0), Decimal(100)
    return lo, hi


def _count_scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """From 0 (or below it, for negative values) to a round number at or above the maximum."""
    vmin, vmax = min(values), max(values)
    lo = Decimal(0) if vmin >= 0 else -_nice_ceil(-vmin)
    hi = _nice_ceil(vmax) if vmax > 0 else Decimal(0)
    return (lo, hi) if hi > lo else (lo, lo + 1)


def _trend_desc(points: Sequence[TrendPoint], unit: str) -> str:
    parts = []
    for p in points:
        value = _number(p.value)
        shown = _clean(p.label) or (NO_DATA.lower() if value is None else _fmt_value(value, unit))
        parts.append(f"{_KIND_WORDS[p.kind]} {p.year}: {shown}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] if text else f"{NO_DATA}."


# A chart is a pure function of its arguments: with an id prefix given (so no counter in the ids)
# the same figures give the same SVG, and a page that many leaders reload draws each chart once
# per process. Bounded, and keyed by the data itself, so it is never stale.
CHART_CACHE_SIZE = 4096


def trend_chart(
    points: list[TrendPoint],
    *,
    unit: str = "",
    title: str = "",
    width: int = 240,
    height: int = 90,
    id_prefix: str = "",
) -> SafeString:
    """A small trend of one target (see _trend_chart); drawn once per distinct input when
    ``id_prefix`` is given."""
    if id_prefix:
        return _trend_chart_cached(tuple(points), unit, title, width, height, id_prefix)
    return _trend_chart(points, unit=unit, title=title, width=width, height=height, id_prefix=id_prefix)


@functools.lru_cache(maxsize=CHART_CACHE_SIZE)
def _trend_chart_cached(points, unit, title, width, height, id_prefix) -> SafeString:
    return _trend_chart(list(points), unit=unit, title=title, width=width, height=height, id_prefix=id_prefix)


def _trend_chart(
    points: list[TrendPoint],
    *,
    unit: str = "",
    title: str = "",
    width: int = 240,
    height: int = 90,
    id_prefix: str = "",
) -> SafeString:
    """A small trend of one target: baseline → actual values → milestone targets.

    Baseline: grey square. Actuals: solid line with round black markers, the last one labelled
    with its value. Milestones: hollow diamonds joined to the last actual (or the baseline) by a
    dashed line, labelled with ``label`` or their value. Expected path: thin dotted grey line.
    A point whose value is None is a gap: nothing is drawn and the solid line breaks there.
    ``unit="%"`` uses 0–100 (a labelled window of it when the values are close); other units go
    from 0 to a round number above the maximum. Raises ValueError for an unknown ``kind``.
    """
    for p in points:
        if p.kind not in TREND_KINDS:
            raise ValueError(f"Unknown trend point kind {p.kind!r}; expected one of {TREND_KINDS}")
    ordered = sorted(points, key=lambda p: (p.year, TREND_KINDS.index(p.kind)))
    width, height = max(int(width), 120), max(int(height), 60)
    chart_id = _chart_id(id_prefix, "trend", ordered, unit, title, width, height)
    title_text = _clean(title) or "Diễn biến chỉ tiêu"
    desc = _trend_desc(ordered, unit)
    plotted = [(p, v) for p in ordered if (v := _number(p.value)) is not None]
    if not plotted:
        return _empty(chart_id=chart_id, css="chart-trend", title=title_text, desc=desc, width=width, height=height)

    percent = _is_percent(unit)
    hundred = Decimal(100)
    scale_values = [_clamp(v, Decimal(0), hundred) if percent else v for _, v in plotted]
    lo, hi = _percent_scale(scale_values) if percent else _count_scale(scale_values)
    lo_label, hi_label = _fmt_value(lo, unit, with_unit=False), _fmt_value(hi, unit, with_unit=False)

    size = 9
    left = 3 + max(_width(lo_label, size), _width(hi_label, size)) + 3
    right, top, bottom = width - 3, 14, height - 15
    pad = 9  # markers and the first and last labels keep clear of the axis
    years = [p.year for p in ordered]
    first_year, last_year = years[0], years[-1]

    def x_of(year: int) -> float:
        if first_year == last_year:
            return (left + right) / 2
        return left + pad + (year - first_year) / (last_year - first_year) * (right - left - 2 * pad)

    def y_of(v: Decimal) -> float:
        # Clamped: a percentage above 100 (a data error) is drawn on the top line, never outside.
        return bottom - float((_clamp(v, lo, hi) - lo) / (hi - lo)) * (bottom - top)

    out: list[str] = []
    # Scale: the top and bottom lines, each labelled, so a zoomed-in percentage window is never
    # mistaken for 0–100.
    for v, text in ((hi, hi_label), (lo, lo_label)):
        y = y_of(v)
        out.append(
            _el(
                "line",
                class_="chart-axis" if v == lo else "chart-grid",
                x1=left,
                x2=right,
                y1=y,
                y2=y,
                stroke=AXIS if v == lo else GRID,
                stroke_width=1,
            )
        )
        out.append(
            _el(
                "text",
                _esc(text),
                class_="chart-axis-label",
                x=left - 3,
                y=y + 3,
                text_anchor="end",
                font_size=size,
                fill=MUTED,
            )
        )
    out.extend(_year_labels(ordered, x_of, y=bottom + 11, size=size))

    def polyline(seq: Iterable[tuple[TrendPoint, Decimal | None]], css: str, **style: object) -> None:
        """One line per run of consecutive values; a None value breaks the run."""
        run: list[str] = []
        for p, v in [*seq, (None, None)]:
            if v is None:
                if len(run) > 1:
                    out.append(_el("polyline", class_=f"chart-path {css}", points=" ".join(run), fill="none", **style))
                run = []
            else:
                run.append(f"{_n(x_of(p.year))},{_n(y_of(v))}")

    values = [(p, _number(p.value)) for p in ordered]
    if any(p.kind == "expected" and v is not None for p, v in values):
        polyline(
            ((p, v) for p, v in values if p.kind in ("baseline", "expected")),
            "chart-path-expected",
            stroke=MUTED,
            stroke_width=1,
            stroke_dasharray="1 2",
            stroke_linecap="round",
        )
    polyline(
        ((p, v) for p, v in values if p.kind in ("baseline", "actual")),
        "chart-path-actual",
        stroke=INK,
        stroke_width=1.75,
        stroke_linejoin="round",
        stroke_linecap="round",
    )
    observed = [(p, v) for p, v in plotted if p.kind in ("baseline", "actual")]
    last_observed = observed[-1] if observed else None
    milestones = [(p, v) for p, v in plotted if p.kind == "milestone"]
    ahead = [(p, v) for p, v in milestones if last_observed is None or p.year > last_observed[0].year]
    polyline(
        [last_observed, *ahead] if last_observed else ahead,
        "chart-path-target",
        stroke=INK,
        stroke_width=1.25,
        stroke_dasharray="4 3",
    )

    def clipped(v: Decimal) -> str:
        return " chart-clipped" if not lo <= v <= hi else ""

    def tip(p: TrendPoint, v: Decimal) -> str:
        return _tip(f"{_KIND_WORDS[p.kind].capitalize()} {p.year}: {_clean(p.label) or _fmt_value(v, unit)}")

    # Drawn in this order so that an actual value meeting its milestone shows as a dot in a diamond.
    for p, v in plotted:
        x, y = x_of(p.year), y_of(v)
        if p.kind == "expected":
            out.append(
                _el(
                    "circle",
                    tip(p, v),
                    class_="chart-marker chart-expected" + clipped(v),
                    cx=x,
                    cy=y,
                    r=1.5,
                    fill=MUTED,
                )
            )
        elif p.kind == "baseline":
            out.append(
                _el(
                    "rect",
                    tip(p, v),
                    class_="chart-marker chart-baseline" + clipped(v),
                    x=x - 3.5,
                    y=y - 3.5,
                    width=7,
                    height=7,
                    fill=MUTED,
                    stroke=INK,
                    stroke_width=1,
                )
            )
    for p, v in milestones:
        x, y = x_of(p.year), y_of(v)
        diamond = f"{_n(x)},{_n(y - 4.5)} {_n(x + 4.5)},{_n(y)} {_n(x)},{_n(y + 4.5)} {_n(x - 4.5)},{_n(y)}"
        out.append(
            _el(
                "polygon",
                tip(p, v),
                class_="chart-marker chart-target" + clipped(v),
                points=diamond,
                fill="#fff",
                stroke=INK,
                stroke_width=1.25,
            )
        )
    for p, v in plotted:
        if p.kind == "actual":
            out.append(
                _el(
                    "circle",
                    tip(p, v),
                    class_="chart-marker chart-actual" + clipped(v),
                    cx=x_of(p.year),
                    cy=y_of(v),
                    r=3,
                    fill=INK,
                )
            )

    # Value labels: the latest observed value first, then the milestones from the last one back;
    # a label that finds no free place is left out (the tooltip and <desc> still give it).
    actuals = [pv for pv in observed if pv[0].kind == "actual"] or observed
    labelled = [(*actuals[-1], "chart-value-label", "bold")] if actuals else []
    labelled += [(p, v, "chart-target-label", None) for p, v in reversed(milestones)]
    entries = []
    for p, v, css, weight in labelled:
        text = _clean(p.label) or _fmt_value(v, unit, with_unit=False)
        entries.append((text, css, weight, _width(text, size), x_of(p.year), y_of(v)))
    boxes = _Boxes([])
    for text, css, weight, w, x, y in entries:
        # Of two labelled points one above the other (an actual and its milestone in one year),
        # the upper one is labelled above and the lower one below.
        under = any(abs(x - ox) < (w + ow) / 2 + 2 and oy < y - 0.5 for _, _, _, ow, ox, oy in entries)
        lx = min(max(x - w / 2, left - 4), width - 1 - w)
        for baseline in (y + 13, y - 6) if under else (y - 6, y + 13):
            box = (lx, baseline - size + 1, lx + w, baseline + 2)
            if box[1] >= 0 and box[3] <= bottom + 3 and boxes.free(box):
                boxes.boxes.append(box)
                out.append(
                    _el(
                        "text",
                        _esc(text),
                        class_=css,
                        x=lx + w / 2,
                        y=baseline,
                        text_anchor="middle",
                        font_size=size,
                        font_weight=weight,
                        fill=INK,
                    )
                )
                break

    return _svg(
        chart_id=chart_id, css="chart-trend", width=width, height=height, title=title_text, desc=desc, body="".join(out)
    )


def _year_labels(points: Sequence[TrendPoint], x_of, *, y: float, size: float) -> list[str]:
    """The years on the x axis: first and last, then baseline and milestone years, then the
    rest, each only where it does not run into one already placed."""
    years = [p.year for p in points]
    wanted = [years[0], years[-1]]
    wanted += [p.year for p in points if p.kind in ("baseline", "milestone")]
    wanted += years
    placed: list[int] = []
    for year in dict.fromkeys(wanted):
        if all(abs(x_of(year) - x_of(other)) >= _width("0000", size) + 3 for other in placed):
            placed.append(year)
    return [
        _el("text", str(year), class_="chart-year", x=x_of(year), y=y, text_anchor="middle", font_size=size, fill=MUTED)
        for year in sorted(placed)
    ]


def trend_legend(*, id_prefix: str = "") -> SafeString:
    """The key to the trend charts' marks, once per page (and on paper, where nothing hovers)."""
    chart_id = _chart_id(id_prefix, "trend-legend")
    line = {"x1": 0, "x2": 16, "y1": 10, "y2": 10}
    entries = [
        ("Hiện trạng", _el("rect", class_="chart-baseline", x=2, y=6.5, width=7, height=7, fill=MUTED, stroke=INK)),
        (
            "Thực hiện",
            _el("line", class_="chart-path chart-path-actual", **line, stroke=INK, stroke_width=1.75)
            + _el("circle", class_="chart-actual", cx=8, cy=10, r=3, fill=INK),
        ),
        (
            "Chỉ tiêu",
            _el("line", class_="chart-path chart-path-target", **line, stroke=INK, stroke_dasharray="4 3")
            + _el("polygon", class_="chart-target", points="8,5.5 12.5,10 8,14.5 3.5,10", fill="#fff", stroke=INK),
        ),
        (
            "Lộ trình dự kiến",
            _el("line", class_="chart-path chart-path-expected", **line, stroke=MUTED, stroke_dasharray="1 2"),
        ),
    ]
    out, x = [], 2.0
    for text, mark in entries:
        out.append(_el("g", mark, transform=f"translate({_n(x)} 0)"))
        out.append(_el("text", _esc(text), x=x + 20, y=14, font_size=11, fill=INK))
        x += 20 + _width(text, 11) + 12
    desc = (
        "Hiện trạng: ô vuông; thực hiện: đường liền, chấm tròn; chỉ tiêu: hình thoi rỗng, đường gạch; "
        "lộ trình dự kiến: đường chấm"
    )
    return _svg(
        chart_id=chart_id,
        css="chart-legend",
        width=x,
        height=20,
        title="Chú giải biểu đồ",
        desc=desc,
        body="".join(out),
    )


# --- bar chart -------------------------------------------------------------------------------

_STATUS_COLOUR = {"met": "#276749", "on_track": "#276749", "behind": "#92400e", "off_track": "#991b1b"}


def _status_fill(status: str, chart_id: str) -> tuple[str, str, dict[str, object]]:
    """(fill, pattern definition or "", extra rect attributes) for one status.

    Met: solid dark; on track: dots; behind: diagonal hatch; off track: cross-hatch; no data:
    none; not comparable: none, dashed outline; no status: solid grey. Dark hues that print as
    greys, so the pattern, not the colour, carries the meaning.
    """
    colour = _STATUS_COLOUR.get(status, INK)
    pid = f"{chart_id}-pattern-{status.replace('_', '-')}"
    tile = {"id": pid, "patternUnits": "userSpaceOnUse", "width": 6, "height": 6}
    if status == "met":
        return colour, "", {}
    if status == "on_track":
        dots = _el("rect", width=6, height=6, fill="#e8f3ec") + "".join(
            _el("circle", cx=cx, cy=cy, r=1.3, fill=colour) for cx, cy in ((1.5, 1.5), (4.5, 4.5))
        )
        return f"url(#{pid})", _el("pattern", dots, **tile), {}
    if status in ("behind", "off_track"):
        lines = "M0,6 L6,0 M-1.5,1.5 L1.5,-1.5 M4.5,7.5 L7.5,4.5"
        if status == "off_track":
            lines += " M0,0 L6,6 M-1.5,4.5 L1.5,7.5 M4.5,-1.5 L7.5,1.5"
        hatch = _el("rect", width=6, height=6, fill="#fff") + _el("path", d=lines, stroke=colour, stroke_width=1.4)
        return f"url(#{pid})", _el("pattern", hatch, **tile), {}
    if status == "not_comparable":
        return "#fff", "", {"stroke_dasharray": "3 2"}
    if status == "no_data":
        return "#fff", "", {}
    return AXIS, "", {}


def _safe_url(url: str) -> str:
    """The link target, or "" for anything but a relative or http(s) address (no javascript:)."""
    url = re.sub(r"[\x00-\x20\x7f]", "", _FORBIDDEN.sub("", str(url or "")))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return ""
    return url


def _truncate(text: str, max_width: float, size: float) -> str:
    if _width(text, size) <= max_width:
        return text
    keep = max(1, int(max_width / (size * 0.6)) - 1)
    return text[:keep].rstrip() + "…"


def bar_chart(
    bars: list[Bar],
    *,
    unit: str = "",
    target: Decimal | None = None,
    target_label: str = "",
    title: str = "",
    width: int = 640,
    id_prefix: str = "",
) -> SafeString:
    """The ranking's bars (see _bar_chart); drawn once per distinct input when ``id_prefix`` is given."""
    if id_prefix:
        return _bar_chart_cached(tuple(bars), unit, target, target_label, title, width, id_prefix)
    return _bar_chart(
        bars, unit=unit, target=target, target_label=target_label, title=title, width=width, id_prefix=id_prefix
    )


@functools.lru_cache(maxsize=CHART_CACHE_SIZE // 8)
def _bar_chart_cached(bars, unit, target, target_label, title, width, id_prefix) -> SafeString:
    return _bar_chart(
        list(bars), unit=unit, target=target, target_label=target_label, title=title, width=width, id_prefix=id_prefix
    )


def _bar_chart(
    bars: list[Bar],
    *,
    unit: str = "",
    target: Decimal | None = None,
    target_label: str = "",
    title: str = "",
    width: int = 640,
    id_prefix: str = "",
) -> SafeString:
    """Horizontal bars, one row per child unit, in the order given (the caller ranks them).

    Each row: the unit's name (a link when ``url`` is set), the bar filled by status, its value at
    the end of the bar, the ``status_label`` in a column on the right. A None value gives a row
    saying "chưa có số liệu" and no bar; 0 gives an empty bar labelled "0". ``target`` draws a
    vertical dashed line labelled ``target_label`` (default "Chỉ tiêu: 86 %"). Percentages use a
    0–100 scale (a bar above 100 % stops at 100, its text keeps the value). Raises ValueError
    for an unknown ``status``.
    """
    for bar in bars:
        if bar.status not in STATUSES:
            raise ValueError(f"Unknown bar status {bar.status!r}; expected one of {STATUSES}")
    width = max(int(width), 320)
    chart_id = _chart_id(id_prefix, "bars", bars, unit, target, target_label, title, width)
    title_text = _clean(title) or "So sánh các đơn vị"
    target_value = _number(target)
    target_text = ""
    if target_value is not None:
        target_text = _clean(target_label) or f"Chỉ tiêu: {_fmt_value(target_value, unit)}"

    labels = [_clean(b.label) or "(không tên)" for b in bars]
    values = [_number(b.value) for b in bars]
    status_texts = [_clean(b.status_label) for b in bars]
    rows_desc = []
    for label, value, status_text in zip(labels, values, status_texts, strict=True):
        shown = NO_DATA.lower() if value is None else _fmt_value(value, unit)
        rows_desc.append(f"{label}: {shown}" + (f" ({status_text})" if status_text else ""))
    desc = (f"{target_text}. " if target_text else "") + "; ".join(rows_desc)
    if not bars:
        return _empty(chart_id=chart_id, css="chart-bars", title=title_text, desc=f"{NO_DATA}.", width=width, height=40)

    size, row_h, bar_h = 12, 24, 14
    percent = _is_percent(unit)
    value_texts = [_fmt_value(v, unit, with_unit=False) if v is not None else NO_DATA.lower() for v in values]
    label_w = min(max(_width(t, size) for t in labels), width * 0.34)
    status_w = min(max(_width(t, size) for t in status_texts) + 16, width * 0.22) if any(status_texts) else 0
    value_w = max([_width(t, size) for t, v in zip(value_texts, values, strict=True) if v is not None], default=0) + 8
    x0 = 6 + label_w + 8
    bar_w = max(width - x0 - value_w - status_w - 4, 40)

    known = [v for v in values if v is not None]
    if percent:
        hi = Decimal(100)
    else:
        top_value = max([*known, target_value or Decimal(0), Decimal(0)])
        hi = _nice_ceil(top_value) if top_value > 0 else Decimal(1)

    def x_of(v: Decimal) -> float:
        return x0 + float(_clamp(v, Decimal(0), hi) / hi) * bar_w

    top = 26 if target_text else 6
    rows_bottom = top + len(bars) * row_h
    height = rows_bottom + 24

    target_x = x_of(target_value) if target_text else None
    target_style = {"stroke": INK, "stroke_width": 1.25, "stroke_dasharray": "5 3"}  # 24px rows: whole periods

    defs: dict[str, str] = {}
    out: list[str] = []
    links = False
    for i, (bar, label, value, value_text, status_text) in enumerate(
        zip(bars, labels, values, value_texts, status_texts, strict=True)
    ):
        y = top + i * row_h
        text_y = y + row_h / 2 + 4
        row: list[str] = []
        if i % 2:
            row.append(_el("rect", class_="chart-row-band", x=0, y=y, width=width, height=row_h, fill=BAND))
        shown = _truncate(label, label_w, size)
        tip = _tip(label) if shown != label else ""
        url = _safe_url(bar.url)
        label_attrs = {"x": x0 - 8, "y": text_y, "text_anchor": "end", "font_size": size}
        if url:
            links = True
            text = _el(
                "text", tip, _esc(shown), class_="chart-label", **label_attrs, fill=LINK, text_decoration="underline"
            )
            row.append(_el("a", text, class_="chart-link", href=url, **{"xlink:href": url}))
        else:
            row.append(_el("text", tip, _esc(shown), class_="chart-label", **label_attrs, fill=INK))
        if value is None:
            text_x, text_style = x0 + 6, {"class_": "chart-nodata", "font_style": "italic", "fill": MUTED}
        else:
            text_x, text_style = x_of(value) + 4, {"class_": "chart-value", "fill": INK}
            fill, pattern, extra = _status_fill(bar.status, chart_id)
            if pattern:
                defs[bar.status] = pattern
            end = x_of(value)
            clipped = " chart-clipped" if not 0 <= value <= hi else ""
            row.append(
                _el(
                    "rect",
                    _tip(f"{label}: {_fmt_value(value, unit)}"),
                    class_="chart-bar" + clipped,
                    x=x0,
                    y=y + (row_h - bar_h) / 2,
                    width=end - x0,
                    height=bar_h,
                    fill=fill,
                    stroke=INK,
                    stroke_width=0.75,
                    **extra,
                )
            )
        # Each row draws its piece of the target line over its bar and under its texts: the line
        # stays continuous, and a value written across it stays readable.
        if target_x is not None:
            row.append(_el("line", class_="chart-target", x1=target_x, x2=target_x, y1=y, y2=y + row_h, **target_style))
        w = _width(value_text, size)
        if target_x is not None and text_x - 2 <= target_x <= text_x + w + 2:
            knockout = {"x": text_x - 2, "y": text_y - 11, "width": w + 4, "height": 14}
            row.append(_el("rect", class_="chart-value-bg", **knockout, fill=BAND if i % 2 else "#fff"))
        row.append(_el("text", _esc(value_text), x=text_x, y=text_y, font_size=size, **text_style))
        if status_text:
            row.append(
                _el(
                    "text",
                    _esc(status_text),
                    class_="chart-status-label",
                    x=width - status_w + 6,
                    y=text_y,
                    font_size=size,
                    fill=INK,
                )
            )
        css = f"chart-row status-{bar.status}" if bar.status else "chart-row"
        out.append(_el("g", *row, class_=css))

    # The value axis: the 0 line the bars start from, ticks and their values underneath.
    out.append(
        _el("line", class_="chart-axis", x1=x0, x2=x0, y1=top - 2, y2=rows_bottom + 2, stroke=AXIS, stroke_width=1)
    )
    out.append(
        _el(
            "line",
            class_="chart-axis",
            x1=x0,
            x2=x0 + bar_w,
            y1=rows_bottom + 2,
            y2=rows_bottom + 2,
            stroke=AXIS,
            stroke_width=1,
        )
    )
    ticks = [hi * k / 4 for k in range(5)] if percent else [Decimal(0), hi / 2, hi]
    for k, tick in enumerate(ticks):
        x = x_of(tick)
        text = _fmt_value(tick, unit, with_unit=k == len(ticks) - 1)
        out.append(_el("line", class_="chart-tick", x1=x, x2=x, y1=rows_bottom + 2, y2=rows_bottom + 6, stroke=AXIS))
        anchor = "end" if k == len(ticks) - 1 and _width(text, 10) / 2 > width - x else "middle"
        out.append(
            _el(
                "text",
                _esc(text),
                class_="chart-axis-label",
                x=x,
                y=rows_bottom + 17,
                text_anchor=anchor,
                font_size=10,
                fill=MUTED,
            )
        )

    if target_x is not None:
        x = target_x
        out.append(_el("line", class_="chart-target", x1=x, x2=x, y1=top - 8, y2=top, **target_style))
        out.append(_el("line", class_="chart-target", x1=x, x2=x, y1=rows_bottom, y2=rows_bottom + 2, **target_style))
        w = _width(target_text, 11)
        lx = min(max(x - w / 2, 2), width - 2 - w)
        out.append(
            _el(
                "text",
                _esc(target_text),
                class_="chart-target-label",
                x=lx + w / 2,
                y=top - 12,
                text_anchor="middle",
                font_size=11,
                font_weight="bold",
                fill=INK,
            )
        )

    body = (_el("defs", *defs.values()) if defs else "") + "".join(out)
    return _svg(
        chart_id=chart_id,
        css="chart-bars",
        width=width,
        height=height,
        title=title_text,
        desc=desc,
        body=body,
        role="group" if links else "img",
    )
