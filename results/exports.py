"""The office's reminder list: the schools that have not sent a period's report, as CSV or XLSX,
with each school's principal and how to reach them. Cells are inert (portal/exports.py).

The rows come from the caller (results.review.not_sent_units, already narrowed in SQL to the
schools the user may see); this module only lays them out. The words come from results.terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organisations.models import OrgUnit, path_ids
from organisations.selectors import Contact, principal_contacts
from portal.exports import CONTENT_TYPES, tabular_file

from .models import ReportingPeriod
from .terms import REVIEW_STATUS_LABELS, REVIEW_STATUSES, lateness

__all__ = ["EXPORT_FORMATS", "REVIEW_STATUSES", "REVIEW_STATUS_LABELS", "missing_export", "school_communes"]

EXPORT_FORMATS = CONTENT_TYPES


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


def principal_contacts_for_export(unit_ids: list[int]) -> dict[int, Contact]:
    """School id → its principal's name, phone and e-mail (organisations.selectors, one query);
    several principals of one school: their names, phones and addresses joined with "; "."""
    return {
        unit_id: Contact(
            name="; ".join(c.name for c in people),
            phone="; ".join(c.phone for c in people if c.phone),
            email="; ".join(c.email for c in people if c.email),
        )
        for unit_id, people in principal_contacts(unit_ids).items()
    }


def missing_rows(period: ReportingPeriod, units: list[OrgUnit]) -> tuple[list[str], list[list]]:
    """The header and one line per school that has not sent (annotated by results.review)."""
    header = [
        _("Trường"),
        _("Mã"),
        _("Xã/phường"),
        _("Trạng thái"),
        _("Hạn nộp"),
        _("Quá hạn"),
        _("Hiệu trưởng"),
        _("Điện thoại"),
        _("Thư điện tử"),
    ]
    contacts = principal_contacts_for_export([unit.pk for unit in units])
    due = date_format(period.due_on, "SHORT_DATE_FORMAT")
    today = timezone.localdate()
    nobody = Contact("", "", "")
    rows = []
    for unit in units:
        contact = contacts.get(unit.pk, nobody)
        late = lateness(status=unit.status, submitted_at=unit.submitted_at, due_on=period.due_on, today=today)
        rows.append(
            [
                unit.name,
                unit.code,
                unit.commune_name,
                str(REVIEW_STATUS_LABELS[unit.status]),
                due,
                late,
                contact.name,
                contact.phone,
                contact.email,
            ]
        )
    return header, rows


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def missing_export(period: ReportingPeriod, units: list[OrgUnit], fmt: str) -> ExportFile:
    """The not-sent list as a file. `fmt` is a key of EXPORT_FORMATS (the caller checked it)."""
    header, rows = missing_rows(period, units)
    content = tabular_file(header=header, rows=rows, fmt=fmt, title=str(_("Chưa gửi")))
    return ExportFile(content, EXPORT_FORMATS[fmt], f"chua-nop-{period.pk}.{fmt}")
