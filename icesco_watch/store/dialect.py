"""The SQL that differs between SQLite and PostgreSQL, in one place.

Everything else in the store is portable SQLAlchemy Core; a statement whose form depends on the
backend (insert-or-ignore, row locks that skip rows another instance holds) is built here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, Table
from sqlalchemy.dialects import postgresql, sqlite


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def insert_ignore(conn: Connection, table: Table) -> Any:
    """INSERT that silently skips rows violating a unique constraint (ON CONFLICT DO NOTHING)."""
    if is_postgres(conn):
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def lock_skipping_held(conn: Connection, query: Select[Any]) -> Select[Any]:
    """`query` locking the rows it returns and skipping rows another transaction holds
    (PostgreSQL's FOR UPDATE SKIP LOCKED). SQLite has one writer at a time: the claim's own
    UPDATE ... WHERE status is the guard there, so the query is unchanged."""
    if is_postgres(conn):
        return query.with_for_update(skip_locked=True)
    return query
