"""The admin's report list says "Quá hạn" / "Gửi muộn" by the same rule as the review pages
(results.terms.lateness): a returned report is not received, so it is overdue once the due date
has passed, though it was sent once before."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from results.models import ReportingPeriod, Submission
from tests.results.conftest import make_period


def test_admin_report_list_uses_the_pages_lateness_rule(client, superuser, plan, school_a, school_b):
    past_due = make_period(plan, year=2024, status=ReportingPeriod.Status.OPEN, due_on=datetime.date(2025, 1, 10))
    Submission.objects.create(
        period=past_due,
        school=school_a,
        status=Submission.Status.RETURNED,
        submitted_at=timezone.make_aware(datetime.datetime(2025, 1, 5, 9)),
    )
    Submission.objects.create(
        period=past_due,
        school=school_b,
        status=Submission.Status.APPROVED,
        submitted_at=timezone.make_aware(datetime.datetime(2025, 1, 20, 9)),
    )
    client.force_login(superuser)
    html = client.get(reverse("admin:results_submission_changelist")).content.decode()
    rows = {name: html.split(name, 1)[1].split("</tr>", 1)[0] for name in (school_a.name, school_b.name)}
    assert "Quá hạn" in rows[school_a.name]  # returned: sent before the due date, yet not received
    assert "Gửi muộn" in rows[school_b.name]
