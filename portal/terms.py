"""The interface's words for things every page names, in one place (imports no app, so every app,
the lowest included, reads it). A page that says "late" or "no figure" uses these, so the same
thing never has two names on two pages (the issue found "Nộp muộn", "Quá hạn" and "Trễ hạn" for
one state, "Chưa có số" and "KH (chưa số)" for another).

Report statuses and the lateness rule live with the workflow, in results/terms.py, in these words.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NOT_SENT = _("Chưa gửi")  # the office has not received the report (not started, drafting, returned)
OVERDUE = _("Quá hạn")  # past its due date and not done (a report not sent, a task not finished)
SENT_LATE = _("Gửi muộn")  # sent after the due date
ON_TIME = _("Đúng hạn")  # sent on or before the due date
NO_DATA = pgettext_lazy("status", "Chưa có số liệu")  # no approved figure for that year
NO_NUMBER = _("Chưa có số hiệu")  # a plan whose document has no number yet (a draft)
