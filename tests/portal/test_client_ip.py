"""Log-in throttling behind a reverse proxy: the client's address comes from X-Forwarded-For only
through the configured number of trusted proxies, so one client's wrong passwords lock that client
out of the account and not everybody behind the same proxy."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.urls import reverse

from organisations.models import Membership
from portal.client_ip import client_ip_address
from tests.conftest import PASSWORD

PROXY = "10.0.0.2"
CLIENT_A = "203.0.113.5"
CLIENT_B = "198.51.100.7"


@pytest.fixture
def person(school_a):
    user = get_user_model().objects.create_user("nguyenvana", password=PASSWORD)
    Membership.objects.create(user=user, unit=school_a, role=Membership.Role.PRINCIPAL)
    return user


def post_login(client, password: str, forwarded_for: str):
    return client.post(
        reverse("login"),
        {"username": "nguyenvana", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_wrong_passwords_lock_out_that_client_only(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, "sai-mat-khau", CLIENT_A).status_code == 200
    assert post_login(client, "sai-mat-khau", CLIENT_A).status_code == 429  # the fifth locks
    response = post_login(client, PASSWORD, CLIENT_A)
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    # Client A cannot escape the lock by writing its own X-Forwarded-For in front.
    assert post_login(client, PASSWORD, f"192.0.2.99, {CLIENT_A}").status_code == 429
    # Client B, through the same proxy, logs in to the same account.
    response = post_login(client, PASSWORD, CLIENT_B)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_the_forwarded_header_is_ignored(client, person, settings):
    # A client that writes a new X-Forwarded-For each time is still one address: REMOTE_ADDR.
    for number in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "sai-mat-khau", f"192.0.2.{number + 1}")
    assert post_login(client, PASSWORD, CLIENT_B).status_code == 429


@pytest.mark.parametrize(
    "count,forwarded,expected",
    [
        (0, CLIENT_A, PROXY),
        (1, CLIENT_A, CLIENT_A),
        (1, f"192.0.2.99, {CLIENT_A}", CLIENT_A),
        (2, f"192.0.2.99, {CLIENT_A}, 10.0.0.1", CLIENT_A),
        (1, "", PROXY),  # reached the app without the proxy
        (1, "khong-phai-dia-chi", PROXY),
    ],
)
def test_the_client_address_is_the_hop_before_the_trusted_proxies(count, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip_address(request) == expected
