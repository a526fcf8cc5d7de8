"""The office's reminder list: the schools that have not sent a period's report, as CSV or XLSX.

The rows come from the caller (results.selectors.period_not_submitted, already narrowed to the
schools the user may see); this module only lays them out. The review status labels live here
too, so that the period page and the file name a status the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import tablib
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.models import OrgUnit, path_ids

from .models import ReportingPeriod
from .selectors import ReviewRow, row_is_overdue

# A review row's status (results.selectors.ReviewRow.status) → how the office names it.
# The order is the workflow's: the period page shows its counts and filter in this order.
REVIEW_STATUSES = [
    ("not_started", gettext_lazy("Chưa nhập")),
    ("draft", gettext_lazy("Đang nhập")),
    ("submitted", gettext_lazy("Đã gửi")),
    ("returned", gettext_lazy("Trả lại")),
    ("approved", gettext_lazy("Đã duyệt")),
]
REVIEW_STATUS_LABELS = dict(REVIEW_STATUSES)

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def school_communes(schools: list[OrgUnit]) -> dict[int, str]:
    """School id → the name of the commune (xã/phường) it sits in, "" for a school run from a
    district or province. One query, read from the schools' materialised paths."""
    ancestor_ids = {pk for school in schools for pk in path_ids(school.path)}
    communes = dict(OrgUnit.objects.filter(pk__in=ancestor_ids, kind=OrgUnit.Kind.COMMUNE).values_list("pk", "name"))
    names = {}
    for school in schools:
        ids = path_ids(school.path)
        names[school.pk] = next((communes[i] for i in reversed(ids) if i in communes), "")
    return names


def missing_dataset(period: ReportingPeriod, rows: list[ReviewRow]) -> tablib.Dataset:
    """One line per school that has not submitted, with whether it is already late."""
    dataset = tablib.Dataset(
        headers=[_("Trường"), _("Mã"), _("Xã/phường"), _("Trạng thái"), _("Hạn nộp"), _("Trễ hạn")],
        title=_("Chưa nộp")[:31],  # an XLSX sheet name is at most 31 characters
    )
    communes = school_communes([row.school for row in rows])
    due = date_format(period.due_on, "SHORT_DATE_FORMAT")
    for row in rows:
        dataset.append(
            [
                row.school.name,
                row.school.code,
                communes.get(row.school.pk, ""),
                str(REVIEW_STATUS_LABELS[row.status]),
                due,
                _("Trễ hạn") if row_is_overdue(row, period) else "",
            ]
        )
    return dataset


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def missing_export(period: ReportingPeriod, rows: list[ReviewRow], fmt: str) -> ExportFile:
    """The not-submitted list as a file. `fmt` is a key of EXPORT_FORMATS (the caller checked it)."""
    dataset = missing_dataset(period, rows)
    if fmt == "xlsx":
        return ExportFile(dataset.export("xlsx"), EXPORT_FORMATS[fmt], f"chua-nop-{period.pk}.xlsx")
    # The byte-order mark makes Excel read the file as UTF-8, so Vietnamese names survive.
    content = ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return ExportFile(content, EXPORT_FORMATS[fmt], f"chua-nop-{period.pk}.csv")
