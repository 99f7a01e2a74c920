"""Forum topics in the store: the sectors `/here` sent to a topic, and topics Telegram closed.

A topic is (chat, thread): `thread` is Telegram's message_thread_id of a forum supergroup's
topic. `/here culture` stores the topic's sectors (replacing what it had); the routing core
turns them into a subscriber (`forum_subscribers`). When Telegram answers that a topic is
closed or deleted, `close_topic` records it once, settles everything still queued for it, and
from then on the topic's routes (config routes naming it, `/here` sectors) are muted, so no
delivery is queued for it and no request is made to it, until an admin types `/here` in a topic
again (which reopens that one) or the config names another thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from icesco_watch.routing import Destination, Subscriber, topic_interest
from icesco_watch.store.dialect import insert_ignore
from icesco_watch.store.schema import chats, closed_topics, deliveries, topic_sectors


@dataclass(frozen=True, slots=True)
class ClosedTopic:
    """A topic Telegram refused to post into, and why."""

    chat: str
    thread: int
    reason: str
    closed_at: datetime


def set_topic_sectors(conn: Connection, chat: str, thread: int, sectors: Iterable[str]) -> None:
    """The topic receives exactly `sectors` from now on; a closed topic is open again."""
    conn.execute(
        delete(topic_sectors).where(topic_sectors.c.chat == chat, topic_sectors.c.thread == thread)
    )
    rows = [{"chat": chat, "thread": thread, "sector": s} for s in sorted(set(sectors))]
    if rows:
        conn.execute(insert(topic_sectors), rows)
    reopen_topic(conn, chat, thread)


def clear_topic(conn: Connection, chat: str, thread: int) -> int:
    """`/here off`: the topic receives nothing; returns how many sectors it had."""
    query = delete(topic_sectors).where(
        topic_sectors.c.chat == chat, topic_sectors.c.thread == thread
    )
    return conn.execute(query).rowcount


def sectors_of_topic(conn: Connection, chat: str, thread: int) -> list[str]:
    """The sectors `/here` sent to the topic, sorted."""
    query = (
        select(topic_sectors.c.sector)
        .where(topic_sectors.c.chat == chat, topic_sectors.c.thread == thread)
        .order_by(topic_sectors.c.sector)
    )
    return list(conn.scalars(query))


def here_topics(conn: Connection, chat: str) -> dict[int, list[str]]:
    """The chat's forum topics that /here sent sectors to, with their sectors (sorted)."""
    query = (
        select(topic_sectors.c.thread, topic_sectors.c.sector)
        .where(topic_sectors.c.chat == chat)
        .order_by(topic_sectors.c.thread, topic_sectors.c.sector)
    )
    found: dict[int, list[str]] = {}
    for thread, sector in conn.execute(query):
        found.setdefault(thread, []).append(sector)
    return found


def count_here_topics(conn: Connection) -> int:
    """How many forum topics, in every chat, /here sends sectors to."""
    topics = select(topic_sectors.c.chat, topic_sectors.c.thread).distinct().subquery()
    return conn.scalar(select(func.count()).select_from(topics)) or 0


def forum_subscribers(
    conn: Connection, muted_chats: Mapping[str, bool], closed: set[Destination]
) -> list[Subscriber]:
    """One subscriber per topic with sectors, in its group's news language; muted when the
    group is paused or blocked the bot, or the topic is closed."""
    query = (
        select(topic_sectors.c.chat, topic_sectors.c.thread, topic_sectors.c.sector, chats.c.lang)
        .select_from(topic_sectors.outerjoin(chats, chats.c.chat == topic_sectors.c.chat))
        .order_by(topic_sectors.c.chat, topic_sectors.c.thread)
    )
    grouped: dict[Destination, tuple[str | None, list[str]]] = {}
    for row in conn.execute(query):
        destination = Destination(row.chat, row.thread)
        grouped.setdefault(destination, (row.lang, []))[1].append(row.sector)
    return [
        Subscriber(
            destination,
            topic_interest(lang, sectors),
            muted=muted_chats.get(destination.chat, False) or destination in closed,
        )
        for destination, (lang, sectors) in grouped.items()
    ]


def closed_destinations(conn: Connection) -> set[Destination]:
    """Every topic Telegram said is closed or deleted."""
    rows = conn.execute(select(closed_topics.c.chat, closed_topics.c.thread))
    return {Destination(row.chat, row.thread) for row in rows}


def get_closed_topic(conn: Connection, chat: str, thread: int) -> ClosedTopic | None:
    row = conn.execute(
        select(closed_topics).where(closed_topics.c.chat == chat, closed_topics.c.thread == thread)
    ).first()
    return None if row is None else ClosedTopic(row.chat, row.thread, row.reason, row.closed_at)


def list_closed_topics(conn: Connection) -> list[ClosedTopic]:
    """Closed topics, oldest first (for `status`)."""
    query = select(closed_topics).order_by(closed_topics.c.closed_at)
    return [ClosedTopic(r.chat, r.thread, r.reason, r.closed_at) for r in conn.execute(query)]


def close_topic(
    conn: Connection, chat: str, thread: int, ids: Iterable[int], reason: str, now: datetime
) -> tuple[bool, int]:
    """Telegram refused the topic for good: the deliveries `ids` (the message that found out)
    fail with `reason`, everything else queued for the topic is skipped with it, and the topic
    is recorded as closed. Returns whether it is newly closed (then, and only then, the admins
    are told) and how many other deliveries were skipped."""
    chosen = list(ids)
    if chosen:
        conn.execute(
            update(deliveries)
            .where(deliveries.c.id.in_(chosen), deliveries.c.status == "pending")
            .values(status="failed", last_error=reason)
        )
    skipped = conn.execute(
        update(deliveries)
        .where(
            deliveries.c.chat == chat,
            deliveries.c.thread == thread,
            deliveries.c.status == "pending",
        )
        .values(status="skipped", last_error=reason)
    ).rowcount
    added = conn.execute(
        insert_ignore(conn, closed_topics)
        .values(chat=chat, thread=thread, reason=reason, closed_at=now)
        .returning(closed_topics.c.chat)
    ).all()
    return bool(added), skipped


def reopen_topic(conn: Connection, chat: str, thread: int) -> bool:
    """Forget that the topic was closed (its routes deliver again); whether it was."""
    query = delete(closed_topics).where(
        closed_topics.c.chat == chat, closed_topics.c.thread == thread
    )
    return conn.execute(query).rowcount > 0
