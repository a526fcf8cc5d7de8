from collections import Counter
from decimal import Decimal

from django import template
from django.utils.formats import number_format

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
