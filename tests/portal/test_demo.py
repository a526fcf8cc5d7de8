import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organisations.models import Membership
from plans.models import Plan
from results.models import ReportingPeriod, Submission


@pytest.mark.django_db
def test_setup_demo_can_run_twice_and_gives_every_role_an_account():
    for _ in range(2):
        out = io.StringIO()
        call_command("setup_demo", stdout=out)
    printed = out.getvalue()
    for username in ["admin", "phonggd.vinhbao", "lanhdao.vinhbao", "hieutruong.mn-tamcuong"]:
        assert username in printed
        assert get_user_model().objects.get(username=username).check_password("demo12345")
    assert Plan.objects.count() == 4
    roles = set(Membership.objects.values_list("user__username", "role"))
    assert ("phonggd.vinhbao", "office_staff") in roles
    assert ("lanhdao.vinhbao", "leader") in roles
    assert ("hieutruong.mn-tamcuong", "principal") in roles
    assert ReportingPeriod.objects.filter(status="open").count() == 1
    assert Submission.objects.filter(status="approved").exists()  # last year's values to compare with
