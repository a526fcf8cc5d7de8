"""manage.py portal_backup: a backup restored into an empty database holds the same plans, results,
history and files."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.models import Plan, Target, TargetValue
from results.models import ReportingPeriod, ResultValue, Submission
from results.services import submission_approve, submission_submit
from tests.results.conftest import make_period, store_valid_values

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def period(plan):
    return make_period(plan, year=2025, status=ReportingPeriod.Status.OPEN)


def snapshot() -> dict:
    return {
        "plans": sorted(Plan.objects.values_list("number", "title")),
        "targets": sorted(Target.objects.values_list("wording", "plan__number")),
        "values": sorted(TargetValue.objects.values_list("target__wording", "year", "wording", "value")),
        "results": sorted(ResultValue.objects.values_list("unit__name", "indicator__name", "year", "numerator")),
        "submissions": sorted(Submission.objects.values_list("school__name", "status", "version")),
        "history": sorted(TargetValue.history.values_list("wording", "history_type", "history_user__username"))
        + sorted(Submission.history.values_list("status", "history_type", "history_user__username")),
    }


def test_a_backup_restores_into_an_empty_database(
    tmp_path, settings, plan, period, school_a, principal_a, district_officer
):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan.source_document.save("ke-hoach.txt", ContentFile("Văn bản gốc".encode()))
    plan.source_document.close()
    submission = store_valid_values(Submission.objects.create(period=period, school=school_a), by=principal_a)
    submission = submission_submit(
        submission=submission, targets=list(plan.targets.all()), by=principal_a, expected_version=submission.version
    )
    submission_approve(submission=submission, by=district_officer, expected_version=submission.version)
    before = snapshot()
    assert before["results"] and before["history"]

    call_command("portal_backup", str(tmp_path / "saoluu"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="chỉ khôi phục vào cơ sở dữ liệu trống"):
        call_command("portal_backup", "--restore", str(tmp_path / "saoluu"), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    (tmp_path / "media").rename(tmp_path / "media-old")
    assert not Plan.objects.exists()
    call_command("portal_backup", "--restore", str(tmp_path / "saoluu"), stdout=io.StringIO())

    assert snapshot() == before
    restored = Plan.objects.get(number=plan.number)
    with restored.source_document.open("rb") as document:
        assert document.read().decode() == "Văn bản gốc"
