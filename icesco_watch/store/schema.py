"""The store's tables (SQLAlchemy Core) and opening an engine on them.

SQLite by default; the same code runs on PostgreSQL by URL. Times are stored in UTC and come
back timezone-aware whatever the backend keeps.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.types import TypeDecorator

from icesco_watch.store.engine import StoreError, create_store_engine
from icesco_watch.store.migrate import ensure_schema

__all__ = ["StoreError", "metadata", "open_store"]  # StoreError: where callers catch it


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
    # The modified time the source's channel (REST API, feed) gives: a change is an edit.
    Column("modified", Text),
    # WordPress's post id on the source's site: the same post under a new address (slug or date
    # changed) is found by (source, wp_post_id) and moved, not stored twice (store/items.py).
    Column("wp_post_id", Integer),
)
Index("items_source_wp_post_id", items.c.source, items.c.wp_post_id)

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

# Cross-language links (one story, several languages): both directions are stored, so an item's
# other versions are one indexed lookup. Written when an item is recorded; the linker
# (icesco_watch/linking.py) decides, the store only keeps its decision.
item_links = Table(
    "item_links",
    metadata,
    Column("item_key", String, ForeignKey("items.key", ondelete="CASCADE"), primary_key=True),
    Column("other_key", String, ForeignKey("items.key", ondelete="CASCADE"), primary_key=True),
    Column("score", Float, nullable=False),
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
    # Channels (issue 12): the one that worked last (NULL: discover it), the REST category id,
    # and the address the validators above belong to (the feed, or HTML listing page 1).
    Column("channel", String),
    Column("category_id", Integer),
    Column("validated_url", Text),
    # When the source was last read rather than answered 304 (the feed channel reads the feed
    # whole when it is old), and the REST category's post count and newest post id then.
    Column("last_read", UTCDateTime),
    Column("rest_total", Integer),
    Column("rest_newest_id", Integer),
)

# robots.txt per host (host[:port]), kept a day, then refreshed with a conditional request.
robots = Table(
    "robots",
    metadata,
    Column("netloc", String, primary_key=True),
    Column("body", Text, nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
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

# Articles that failed (too big, unparsable, an error answer, an off-site redirect): retried
# when due with a growing delay instead of on every cycle, without failing their source.
quarantine = Table(
    "quarantine",
    metadata,
    Column("key", String, primary_key=True),  # the article's canonical key
    Column("source", String, nullable=False, index=True),
    Column("url", Text, nullable=False),  # where to fetch it again
    Column("failures", Integer, nullable=False, default=1),  # in a row
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("first_failed", UTCDateTime, nullable=False),
)


# Telegram. Chat ids are text: numeric ids ("-100123") and @channel names share one column.
chats = Table(
    "chats",
    metadata,
    Column("chat", String, primary_key=True),
    Column("lang", String(2)),  # only items in this language; NULL: every language
    # The bot's interface language (en|ar|fr; notifiers/telegram/i18n.py); NULL: not known yet,
    # taken from the user's Telegram language on first contact (a route's channel stays NULL).
    Column("ui_lang", String(2)),
    Column("paused", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),  # False once the bot was blocked
    # The chat's digest schedule ("instant", "daily 08:00", "weekly mon 08:00"; digests.py)
    # and the IANA time zone it is read in (NULL: UTC).
    Column("mode", String, nullable=False, default="instant"),
    Column("timezone", String),
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

# The outbox: one row per (item, chat, thread). The unique triple is what makes delivery
# exactly-once on the enqueue side; `status` moves pending -> sent | failed | skipped.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_key", String, nullable=False),
    Column("chat", String, nullable=False),
    # The forum topic (message_thread_id) within the chat; 0: the chat itself. Not NULL, so
    # the unique triple holds on every backend (NULLs are never equal in a unique key).
    Column("thread", Integer, nullable=False, default=0, server_default="0"),
    Column("status", String, nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    # Sends whose outcome is unknown (the request left, no answer came back): after one such
    # send, one retry at most, so a Telegram that accepts late shows a message twice at most.
    Column("unconfirmed", Integer, nullable=False, default=0, server_default="0"),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("message_id", Integer),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    # A sender's claim: no other sender touches the delivery before `claimed_until`.
    Column("claimed_by", String),
    Column("claimed_until", UTCDateTime),
    # What routing decided about its time: NULL for instant; for a digest, its schedule and zone
    # ("daily 08:00 Africa/Casablanca"), with `next_attempt_at` the digest time it is due.
    Column("digest", String),
    UniqueConstraint("item_key", "chat", "thread", name="deliveries_item_key_chat_thread_key"),
    Index("deliveries_due", "status", "next_attempt_at"),
)

# Admin notices (store/notices.py): "source X is failing / recovered", one row per admin chat,
# queued in the transaction that records the health event and sent by the outbox's sender with
# its guarantees (claims, backoff, unconfirmed sends); the state columns mean what they mean in
# `deliveries`.
notices = Table(
    "notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat", String, nullable=False),
    Column("source", String, nullable=False),
    Column("event", String, nullable=False),  # failing | recovered
    Column("text", Text, nullable=False),  # HTML, as sent
    Column("status", String, nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("unconfirmed", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("message_id", Integer),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("claimed_by", String),
    Column("claimed_until", UTCDateTime),
    Index("notices_due", "status", "next_attempt_at"),
)

# Forum topics (notifiers/telegram/topics.py): the sectors `/here` sent to a topic of a group,
# and topics Telegram said are closed or deleted (their routes are suspended until an admin
# types /here there again, or a route's `thread` is edited to another topic).
topic_sectors = Table(
    "topic_sectors",
    metadata,
    Column("chat", String, primary_key=True),
    Column("thread", Integer, primary_key=True),
    Column("sector", String, primary_key=True),
)

closed_topics = Table(
    "closed_topics",
    metadata,
    Column("chat", String, primary_key=True),
    Column("thread", Integer, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("closed_at", UTCDateTime, nullable=False),
)

# One alert per story (store/stories.py): a delivery of another language's version of a story
# that joins the alert of `root_id` in the same chat ("Also in"), instead of a message of its own.
# The routing core decides (routing.join_story); a row here is its decision.
story_alerts = Table(
    "story_alerts",
    metadata,
    Column(
        "delivery_id",
        Integer,
        ForeignKey("deliveries.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("root_id", Integer, nullable=False, index=True),
)

# Leases (store/leases.py): which instance crawls, which polls Telegram; taken over on expiry.
leases = Table(
    "leases",
    metadata,
    Column("name", String, primary_key=True),
    Column("holder", String, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("acquired_at", UTCDateTime, nullable=False),
)

# Telegram's global send rate shared by every instance (store/pacing.py): a GCRA's next slot.
pacing = Table(
    "pacing",
    metadata,
    Column("name", String, primary_key=True),
    Column("tat", Float, nullable=False),  # Unix seconds
)


def open_store(url: str) -> Engine:
    """An engine on `url` whose schema is current: an empty store is created (its SQLite folder
    too), under a lock, so several processes opening a new store at once create it once.
    Raises StoreError (one line naming `storage.url` or the command to run) when the store
    cannot be opened or written, or its schema is behind or ahead of this version."""
    engine = create_store_engine(url)
    try:
        ensure_schema(engine)
        if engine.dialect.name == "sqlite":
            _check_writable(engine)
    except (OSError, SQLAlchemyError) as exc:
        engine.dispose()
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        detail = getattr(reason, "strerror", None) or str(reason).splitlines()[0]
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"storage.url: cannot open the store {shown}: {detail}") from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


def _check_writable(engine: Engine) -> None:
    """A write rolled back at once: a read-only file fails here, not after a whole crawl."""
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            conn.execute(sources.delete().where(false()))
        finally:
            transaction.rollback()
