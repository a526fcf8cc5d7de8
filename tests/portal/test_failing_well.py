"""Failing well: the database connection and every statement have a time limit from settings, and
/healthz answers 503 with a short JSON when the database cannot be reached, never a stack trace."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.urls import reverse

from tests.portal.test_settings import run_manage


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, ProgrammingError], ids=["operational", "database"])
def test_health_answers_503_when_the_database_cannot_be_reached(client, error):
    failure = error('connection to server at "db" (10.0.0.5), port 5432 failed: timeout expired')
    with mock.patch.object(connection, "cursor", side_effect=failure):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    body = response.content.decode()
    assert "Traceback" not in body and "10.0.0.5" not in body and "timeout expired" not in body


SHOW_DB = "from django.conf import settings as s; print(repr(s.DATABASES['default']['OPTIONS']))"
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40}
POSTGRES = "postgres://portal@db.example.vn:5432/portal"


@pytest.mark.parametrize(
    "environment,expected",
    [
        ({"DATABASE_URL": POSTGRES}, {"connect_timeout": 5, "options": "-c statement_timeout=30000"}),
        (
            {"DATABASE_URL": POSTGRES, "DB_CONNECT_TIMEOUT": "2", "DB_STATEMENT_TIMEOUT": "120"},
            {"connect_timeout": 2, "options": "-c statement_timeout=120000"},
        ),
        ({"DATABASE_URL": POSTGRES, "DB_STATEMENT_TIMEOUT": "0"}, {"connect_timeout": 5}),
        ({"DATABASE_URL": "sqlite:////tmp/portal-settings-check.sqlite3"}, {"timeout": 5}),
    ],
    ids=["postgres-defaults", "postgres-configured", "postgres-no-statement-limit", "sqlite"],
)
def test_database_time_limits_come_from_settings(environment, expected):
    result = run_manage(
        "shell",
        "-c",
        SHOW_DB,
        env_overrides={**PRODUCTION, **environment},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(expected)


@pytest.mark.django_db
def test_the_statement_timeout_is_in_force_on_postgresql(settings):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DB_STATEMENT_TIMEOUT}s"


@pytest.mark.django_db
def test_every_page_sends_a_permissions_policy(client):
    policy = client.get("/dang-nhap/").headers["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy
