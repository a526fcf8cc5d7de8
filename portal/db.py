"""Database helpers that know no app."""

from __future__ import annotations

from django.db import connection


def lift_statement_timeout() -> None:
    """Long work run by an operator (a rebuild, a benchmark's build, a backup) is not a request:
    the statement timeout meant for requests (DB_STATEMENT_TIMEOUT) is lifted for this connection."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
