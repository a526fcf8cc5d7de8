"""Password reset by e-mail only where mail really leaves the server: in production without an
SMTP server the page says to ask the office, refuses a posted address and never makes a link
(which the console backend would otherwise print into the log)."""

from __future__ import annotations

from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.portal.test_settings import run_manage

UNAVAILABLE = "chưa thể đặt lại mật khẩu qua thư điện tử"
ASK_THE_OFFICE = "Hãy liên hệ Phòng GD&ĐT"


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user("nguyenvana", email="vana@example.vn", password="x")


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["password_reset", "admin_password_reset"])
def test_without_mail_the_reset_page_says_to_ask_the_office(client, settings, url_name):
    settings.PASSWORD_RESET_BY_EMAIL = False
    response = client.get(reverse(url_name))
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert UNAVAILABLE in html and ASK_THE_OFFICE in html
    assert 'name="email"' not in html


@pytest.mark.django_db
def test_without_mail_a_posted_address_is_refused_and_no_link_is_made(client, settings, person, caplog):
    settings.PASSWORD_RESET_BY_EMAIL = False
    caplog.set_level("DEBUG")
    response = client.post(reverse("password_reset"), {"email": "vana@example.vn"})
    assert response.status_code == 403
    assert UNAVAILABLE in unescape(response.content.decode())
    assert mail.outbox == []
    assert "dat-lai-mat-khau" not in caplog.text


@pytest.mark.django_db
def test_with_mail_the_reset_form_sends_the_link(client, settings, person):
    settings.PASSWORD_RESET_BY_EMAIL = True
    html = client.get(reverse("password_reset")).content.decode()
    assert 'name="email"' in html and UNAVAILABLE not in unescape(html)
    response = client.post(reverse("password_reset"), {"email": "vana@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/dat-lai-mat-khau/" in mail.outbox[0].body


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40}
SHOW_MAIL = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.PASSWORD_RESET_BY_EMAIL)"


@pytest.mark.parametrize(
    "environment,backend,by_email",
    [
        (PRODUCTION, "dummy", "False"),
        ({**PRODUCTION, "EMAIL_URL": "smtp+tls://portal:matkhau@mail.example.vn:587"}, "smtp", "True"),
        ({**PRODUCTION, "EMAIL_HOST": "mail.example.vn"}, "smtp", "True"),
        ({"DEBUG": "true"}, "console", "True"),  # the demo prints its mail
    ],
    ids=["production-without-smtp", "email-url", "email-host", "demo"],
)
def test_the_mail_backend_follows_the_configuration(environment, backend, by_email):
    result = run_manage("shell", "-c", SHOW_MAIL, env_overrides={"EMAIL_URL": "", "EMAIL_HOST": "", **environment})
    assert result.returncode == 0, result.stderr
    shown_backend, shown_by_email = result.stdout.split()[-2:]
    assert shown_backend == f"django.core.mail.backends.{backend}.EmailBackend"
    assert shown_by_email == by_email
