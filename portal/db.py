"""Database helpers that know no app."""

from __future__ import annotations

from django.db import connection


def lift_statement_timeout() -> None:
    """Long work run by an operator (a rebuild, a benchmark's build, a backup) is not a request:
    the statement timeout meant for requests (DB_STATEMENT_TIMEOUT) is lifted for this connection."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def bulk_update_rows(model, objs: list, fields: list[str]) -> None:
    """One UPDATE of `fields` for every object, like QuerySet.bulk_update. On PostgreSQL it is
    written as UPDATE … FROM (VALUES …): bulk_update's CASE WHEN per field and row costs more to
    build in Python than the statement costs to run (a principal's save of 15 values, issue 11)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._base_manager.bulk_update(objs, fields)
        return
    quote = connection.ops.quote_name
    pk = model._meta.pk
    columns = [model._meta.get_field(name) for name in fields]
    row = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in [pk, *columns]) + ")"
    params = []
    for obj in objs:
        params.append(pk.get_db_prep_save(obj.pk, connection))
        params += [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
    names = ", ".join(quote(f.column) for f in [pk, *columns])
    sets = ", ".join(f"{quote(f.column)} = d.{quote(f.column)}" for f in columns)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} AS t SET {sets} "  # noqa: S608 - names from the model
        f"FROM (VALUES {', '.join([row] * len(objs))}) AS d ({names}) WHERE t.{quote(pk.column)} = d.{quote(pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
