"""One vocabulary for a report's status and its lateness, for every page that names them: the
period list and page, the reminder export, the dashboards' "who has reported" block.

- a status is where the report stands in the workflow (results.services);
- lateness is said apart from it, in two words only: "Quá hạn" (the due date has passed and the
  office has not received it) and "Gửi muộn" (received, but sent after the due date);
- "Chưa gửi" gathers the reports the office has not received (not started, drafting, returned):
  the schools to remind.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.terms import NO_DATA, NOT_SENT, ON_TIME, OVERDUE, SENT_LATE

NOT_STARTED = "not_started"  # no Submission row yet: the school has not opened its form

# A review row's status (a Submission.Status or NOT_STARTED) → how the office names it, in the
# workflow's order: the period pages show their counts and filter in this order.
REVIEW_STATUSES = [
    (NOT_STARTED, _("Chưa nhập")),
    ("draft", _("Đang nhập")),
    ("submitted", _("Đã gửi")),
    ("returned", _("Trả lại")),
    ("approved", _("Đã duyệt")),
]
REVIEW_STATUS_LABELS = dict(REVIEW_STATUSES)

# The statuses of a report the office has not received yet (the reminder list).
NOT_SENT_STATUSES = (NOT_STARTED, "draft", "returned")

# The words themselves are the portal's (portal/terms.py): the same on every page.

# For templates: {{ terms.overdue }} …
TERMS = {
    "not_sent": NOT_SENT,
    "overdue": OVERDUE,
    "sent_late": SENT_LATE,
    "on_time": ON_TIME,
    "no_data": NO_DATA,
}


def lateness(*, status: str, submitted_at, due_on, today) -> str:
    """ "Quá hạn", "Gửi muộn" or "" for one report (`submitted_at`: an aware datetime or None).
    A returned report is not received: it is "Quá hạn" once the due date has passed."""
    if status in NOT_SENT_STATUSES:
        return str(OVERDUE) if today > due_on else ""
    if submitted_at is not None and timezone.localdate(submitted_at) > due_on:
        return str(SENT_LATE)
    return ""
