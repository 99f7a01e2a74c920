"""Opening an engine on the configured store: URL forms, the driver, connection settings.

`sqlite:///path` is a file (its folder is created); `postgresql://user@host/db` uses psycopg 3
(the `[postgres]` extra), whatever driver SQLAlchemy would pick for the bare scheme. Connections
are pooled (SQLAlchemy's queue pool, checked before use so a restarted server is not an error).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

POSTGRES_EXTRA = "pip install 'icesco-watch[postgres]'"


class StoreError(Exception):
    """The store cannot be used as configured; the message is one line that says what to do."""


def store_url(url: str) -> URL:
    """The SQLAlchemy URL for `storage.url`, with PostgreSQL on psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"storage.url: {url!r} is not a database URL") from None
    if parsed.get_backend_name() == "postgresql" and parsed.drivername in (
        "postgresql",
        "postgresql+psycopg2",
    ):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_store_engine(url: str) -> Engine:
    """An engine on `url` (no schema work): the driver checked, SQLite's folder created."""
    parsed = store_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if importlib.util.find_spec("psycopg") is None:
            raise StoreError(
                "storage.url: PostgreSQL needs the psycopg driver; install it with "
                + POSTGRES_EXTRA
            )
        return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _prepare_sqlite_path(Path(parsed.database).expanduser(), url)
    engine = create_engine(parsed)
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _prepare_sqlite_path(database: Path, url: str) -> None:
    """Create the file's folder; refuse a folder where the file should be, naming the key."""
    if database.is_dir():
        raise StoreError(
            f"storage.url: {database} is a folder; name a file inside it, such as "
            f"'sqlite:///{database / 'icesco-watch.db'}'"
        )
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        shown = make_url(url).render_as_string(hide_password=True)
        raise StoreError(
            f"storage.url: cannot create the folder of {shown}: {exc.strerror or exc}"
        ) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets `status` and the feed server read while a cycle writes; the busy timeout makes
    # a concurrent writer wait instead of failing.
    cursor = dbapi_connection.cursor()
    # The timeout first: switching to WAL itself waits for a lock another process may hold.
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
