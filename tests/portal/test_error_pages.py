"""Error pages in Vietnamese, without a stack trace or settings, in production mode (DEBUG off)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from results.models import ReportingPeriod


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unknown_page_says_so_in_vietnamese(client, district_officer):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()

    client.force_login(district_officer)
    html = client.get("/ke-hoach/999999/").content.decode()
    assert "Không tìm thấy trang" in html and "Not Found" not in html
    assert "Huyện" in html  # the header names the person's unit


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_forbidden_action_says_why_in_vietnamese(client, district_leader, plan):
    period = ReportingPeriod.objects.create(
        plan=plan,
        kind=ReportingPeriod.Kind.values[0],
        label="Năm học 2025-2026",
        year=2025,
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 5, 31),
        opens_on=date(2026, 5, 1),
        due_on=date(2026, 6, 20),
        status=ReportingPeriod.Status.OPEN,
    )
    client.force_login(district_leader)
    response = client.post(reverse("review:period_close", args=[period.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "không có quyền" in html and "Forbidden" not in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_expired_form_says_so_in_vietnamese(district_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(district_officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF="tests.portal.error_urls")
def test_a_server_error_is_in_vietnamese_without_details(client):
    client.raise_request_exception = False
    response = client.get("/loi-thu/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Cổng đang gặp sự cố" in html
    assert "RuntimeError" not in html and "Traceback" not in html and "SECRET_KEY" not in html
