"""The store's tables (SQLAlchemy Core) and opening an engine on them.

SQLite by default; the same code runs on PostgreSQL by URL. Times are stored in UTC and come
back timezone-aware whatever the backend keeps.
"""

from __future__ import annotations

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
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import make_url
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

# Each item's language, sector and topic tags, one row per tag, so feeds are filled by exact
# joins (`items.sectors`/`topics` keep the ordered lists). Written in the transaction that writes
# the item. `published` is the item's, copied so that "newest N items with tag T" is one index
# range scan in feed order. The autoincrement id is never reused (sqlite_autoincrement), so its
# maximum moves on every tag write: custom feeds use it as the store's "last change" marker.
item_tags = Table(
    "item_tags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_key", String, ForeignKey("items.key", ondelete="CASCADE"), nullable=False),
    Column("kind", String(8), nullable=False),  # lang | sector | topic
    Column("value", String, nullable=False),
    Column("published", UTCDateTime, nullable=False),
    UniqueConstraint("item_key", "kind", "value"),
    sqlite_autoincrement=True,
)
# Feed order is (published newest first, key): the index holds it, so no sort is needed.
Index(
    "item_tags_newest",
    item_tags.c.kind,
    item_tags.c.value,
    item_tags.c.published.desc(),
    item_tags.c.item_key,
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


def open_store(url: str) -> Engine:
    """An engine on `url` with every table created; a SQLite file's folder is created too."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    metadata.create_all(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets `status` and the feed server read while a cycle writes; the busy timeout makes
    # a concurrent writer wait instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
