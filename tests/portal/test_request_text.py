"""portal.middleware.RequestTextMiddleware: a query string or form post that is not UTF-8 is the
Vietnamese 400 page, and nothing is stored (issue 11).

Before it, Django read %ED%A0%80 (a lone surrogate) as U+FFFD and the admin stored "ab���cd"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import FundingSource

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("name", [b"ab%ED%B3%BFcd", b"%ED%A0%80", b"%FF%FE"])
def test_a_post_that_is_not_utf8_is_refused_and_nothing_is_stored(client, district_officer, name):
    client.force_login(district_officer)
    response = client.post(reverse("admin:plans_fundingsource_add"), b"name=" + name, content_type=FORM)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert not FundingSource.objects.exists()


def test_valid_utf8_is_stored_as_typed(client, district_officer):
    client.force_login(district_officer)
    body = "name=Ngân+sách+xã&_save=1".encode()
    response = client.post(reverse("admin:plans_fundingsource_add"), body, content_type=FORM)
    assert response.status_code == 302
    assert FundingSource.objects.get().name == "Ngân sách xã"


@pytest.mark.parametrize("query", ["q=%ED%A0%80", "q=ab%ED%B3%BFcd", "o=%FF"])
def test_a_query_that_is_not_utf8_is_refused(client, district_officer, query):
    client.force_login(district_officer)
    response = client.get(f"{reverse('admin:plans_plan_changelist')}?{query}")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_search_with_vietnamese_letters_still_works(client, district_officer):
    client.force_login(district_officer)
    response = client.get(reverse("admin:plans_plan_changelist"), {"q": "Kế hoạch"})
    assert response.status_code == 200
