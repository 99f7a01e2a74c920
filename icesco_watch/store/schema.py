"""The store's tables (SQLAlchemy Core) and opening an engine on them.

SQLite by default; the same code runs on PostgreSQL by URL. Times are stored in UTC and come
back timezone-aware whatever the backend keeps.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    false,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware (UTC) datetimes out; naive values are refused."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()

items = Table(
    "items",
    metadata,
    Column("key", String, primary_key=True),
    Column("source", String, nullable=False, index=True),
    Column("lang", String(2), nullable=False),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("published", UTCDateTime, nullable=False, index=True),
    Column("summary", Text, nullable=False, default=""),
    Column("body", Text, nullable=False, default=""),
    Column("image", Text),
    Column("site_categories", JSON, nullable=False, default=list),
    Column("sectors", JSON, nullable=False, default=list),
    Column("sector_evidence", JSON, nullable=False, default=dict),
    Column("topics", JSON, nullable=False, default=list),
    Column("content_hash", String(64), nullable=False),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", UTCDateTime),
)

sources = Table(
    "sources",
    metadata,
    Column("key", String, primary_key=True),
    Column("baseline_done", Boolean, nullable=False, default=False),
    Column("last_run", UTCDateTime),
    Column("last_ok", UTCDateTime),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("etag", Text),
    Column("last_modified", Text),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String, nullable=False, index=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("not_modified", Boolean, nullable=False, default=False),
    Column("requests", Integer, nullable=False, default=0),
    Column("pages", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("baseline", Integer, nullable=False, default=0),
    Column("stale", Integer, nullable=False, default=0),
    Column("errors", JSON, nullable=False, default=list),
)


# Telegram. Chat ids are text: numeric ids ("-100123") and @channel names share one column.
chats = Table(
    "chats",
    metadata,
    Column("chat", String, primary_key=True),
    Column("lang", String(2)),  # only items in this language; NULL: every language
    Column("paused", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),  # False once the bot was blocked
    Column("mode", String, nullable=False, default="instant"),
    Column("created", UTCDateTime, nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat", String, nullable=False, index=True),
    Column("kind", String, nullable=False),  # all | sector | topic | keyword
    Column("value", String, nullable=False, default=""),
    UniqueConstraint("chat", "kind", "value"),
)

# The outbox: one row per (item, chat). The unique pair is what makes delivery exactly-once
# on the enqueue side; `status` moves pending -> sent | failed | skipped.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_key", String, nullable=False),
    Column("chat", String, nullable=False),
    Column("status", String, nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("message_id", Integer),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    UniqueConstraint("item_key", "chat"),
    Index("deliveries_due", "status", "next_attempt_at"),
)


class StoreError(Exception):
    """The store cannot be opened or brought up to date; the message names `storage.url`."""


def open_store(url: str) -> Engine:
    """An engine on `url` with the schema up to date; a SQLite file's folder is created too.

    Safe when several processes open a new store at once: bringing the schema up to date runs
    under an exclusive lock (see `schema_lock`), so one creates the tables and the others find
    them. Raises StoreError, naming `storage.url`, when the store cannot be opened or written.
    """
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    database = _sqlite_file(url)
    if database is not None:
        _check_sqlite_path(database, shown)
    engine = create_engine(url)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with schema_lock(engine, database):
            upgrade_schema(engine)
        if database is not None:
            _check_writable(engine)
    except (OSError, SQLAlchemyError) as exc:
        engine.dispose()
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        detail = getattr(reason, "strerror", None) or str(reason).splitlines()[0]
        raise StoreError(f"storage.url: cannot open the store {shown}: {detail}") from exc
    return engine


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema up to date (today: create missing tables). Call under `schema_lock`."""
    metadata.create_all(engine)


@contextmanager
def schema_lock(engine: Engine, database: Path | None) -> Iterator[None]:
    """Exclusive while the schema is brought up to date, across processes.

    SQLite: an flock on `<database>.lock` beside the file (the database's own locks do not
    cover "does the table exist? then create it"). PostgreSQL: a session advisory lock.
    """
    if database is not None:
        lock_path = database.with_name(database.name + ".lock")
        with open(lock_path, "a+b") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_SCHEMA_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_SCHEMA_LOCK})
        return
    yield


def _check_writable(engine: Engine) -> None:
    """A write rolled back at once: a read-only file fails here, not after a whole crawl."""
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            conn.execute(sources.delete().where(false()))
        finally:
            transaction.rollback()


# Any fixed 64-bit number, the same in every process of this program.
_PG_SCHEMA_LOCK = 0x1CE5C0


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def _check_sqlite_path(database: Path, shown: str) -> None:
    """Create the file's folder; refuse a folder where the file should be, with the key."""
    if database.is_dir():
        raise StoreError(
            f"storage.url: {database} is a folder; name a file inside it, such as "
            f"'sqlite:///{database / 'icesco-watch.db'}'"
        )
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
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
