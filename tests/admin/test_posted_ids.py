"""portal/admin_bounds.py: posted ids that no pk column holds are refused with a message, never a
500 (issue 11). Before: the add page shown again with plan=-10**20 looked the autocomplete's
choice up with `pk__in` (SQLite: OverflowError; "x\\x00": "Field 'id' expected a number"), and an
action on `_selected_action=x` did the same in the changelist."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from plans.models import FundingSource
from results.models import ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("plan_id", [str(-(10**20)), str(2**63), "x\x00", "1e5", "abc"])
def test_an_autocomplete_choice_that_is_no_id_is_a_form_error(client, district_officer, plan, plan_id):
    client.force_login(district_officer)
    data = {"plan": plan_id, "kind": "calendar_year", "label": "Năm 2025", "year": "2025"}
    response = client.post(reverse("admin:results_reportingperiod_add"), data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not ReportingPeriod.objects.exists()


@pytest.mark.parametrize("selected", ["x", "\x00", str(2**63), str(-(10**20))])
def test_an_action_on_rows_whose_ids_are_no_ids_is_refused_with_a_message(client, superuser, selected):
    FundingSource.objects.create(name="Ngân sách huyện")
    client.force_login(superuser)
    data = {"action": "delete_selected", "_selected_action": [selected], "index": "0"}
    response = client.post(reverse("admin:plans_fundingsource_changelist"), data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Các mục đã chọn không hợp lệ. Hãy tải lại trang rồi chọn lại."
    ]
    assert FundingSource.objects.count() == 1


def test_an_action_on_real_rows_still_runs(client, superuser):
    source = FundingSource.objects.create(name="Ngân sách huyện")
    client.force_login(superuser)
    data = {"action": "delete_selected", "_selected_action": [source.pk], "post": "yes"}
    response = client.post(reverse("admin:plans_fundingsource_changelist"), data)
    assert response.status_code == 302
    assert not FundingSource.objects.exists()


@pytest.mark.parametrize("query", [{"kind__exact": "a\x00b"}, {"q": "Năm\x00"}])
def test_a_nul_in_a_filter_or_search_is_the_admins_bad_filter_answer(client, district_officer, query):
    """PostgreSQL refuses a NUL in a query: it was a 500 (issue 11)."""
    client.force_login(district_officer)
    response = client.get(reverse("admin:results_reportingperiod_changelist"), query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("query", [{"nam": "2025"}, {"kind__exact": "a\x00b"}])
def test_an_unknown_filter_or_a_nul_on_the_export_page_is_the_400_page(client, district_officer, query):
    """django-import-export built the changelist with the unknown filter and let it raise: a 500."""
    client.force_login(district_officer)
    response = client.get(reverse("admin:plans_fundingsource_export"), query)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_the_export_page_with_a_real_filter_still_opens(client, district_officer):
    client.force_login(district_officer)
    response = client.get(reverse("admin:plans_fundingsource_export"), {"q": "Ngân sách"})
    assert response.status_code == 200


@pytest.mark.parametrize("permission", [str(-(10**20)), str(2**63), "x\x00"])
def test_a_many_to_many_choice_that_is_no_id_is_a_form_error(client, superuser, permission):
    """Django's multiple choice checked the ids with `pk__in`: SQLite's OverflowError, a 500."""
    client.force_login(superuser)
    response = client.post(reverse("admin:auth_group_add"), {"name": "Nhóm thử", "permissions": [permission]})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Group.objects.filter(name="Nhóm thử").exists()
