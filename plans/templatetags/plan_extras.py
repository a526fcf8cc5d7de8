import re
from collections import Counter
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def vn_amount(value: Decimal | None) -> str:
    """An amount in the active language's format, without trailing zeros: 344.050 and 2,5 in Vietnamese."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, force_grouping=True)


@register.filter
def baseline_heading(plan, groups) -> str:
    """The target table's first value column as the plan's document heads it ("Hiện trạng năm
    2024", "Chỉ tiêu năm 2025"): the plan's label with the baseline year most of its rows use,
    read from the table's rows (plans.selectors.plan_target_table), no query."""
    years = Counter(row.baseline.year for group in groups for row in group.rows if row.baseline is not None)
    year = max(years.items(), key=lambda item: (item[1], item[0]))[0] if years else None
    return plan.baseline_heading(year)


# A list item as the documents write it: "- ", "+ " or "• " at the start of a line ("+" is the
# level under "-"). "*" starts a heading line in the seeds ("* Giai đoạn 2024-2025:"): a paragraph.
_BULLET = re.compile(r"^\s*([-+•–])\s+(.*)$")


@register.filter(needs_autoescape=True)
def paragraphs(text: str | None, autoescape: bool = True) -> str:
    """Multi-line document text as HTML that keeps its shape: every non-empty line a paragraph,
    runs of "- "/"• " lines a list, "+ " lines a list under the item before them (or a list of
    their own). The marker is kept (class="bullets", data-marker) and every piece of text is
    escaped, whatever `autoescape` says: this filter's output is always safe to print."""
    if not text:
        return ""
    html: list[str] = []
    open_lists: list[str] = []  # the markers of the lists open, outermost first

    def close_to(depth: int) -> None:
        while len(open_lists) > depth:
            open_lists.pop()
            html.append("</li></ul>")

    for raw in str(text).splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _BULLET.match(line)
        if match is None:
            close_to(0)
            html.append(f"<p>{conditional_escape(line)}</p>")
            continue
        marker, content = match.groups()
        depth = 2 if marker == "+" and open_lists and open_lists[0] != "+" else 1
        if len(open_lists) >= depth and open_lists[depth - 1] == marker:
            close_to(depth)
            html.append("</li>")
        else:
            close_to(depth - 1)  # a list of another marker at this level ends the one before
            html.append(f'<ul class="bullets" data-marker="{conditional_escape(marker)}">')
            open_lists.append(marker)
        html.append(f"<li>{conditional_escape(content)}")
    close_to(0)
    return mark_safe("".join(html))  # noqa: S308 - every piece of text above went through conditional_escape
