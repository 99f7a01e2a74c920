"""The outbox: the deliveries the routing core decided (enqueue), each one's state until final.

A delivery is one (item, chat, thread) triple, unique, so an item is never queued twice for a
chat or one of its forum topics (thread 0 in the table: the chat itself). A digest delivery
(routing decided the reader's daily or weekly schedule) is due at its digest time, and keeps the
schedule so the sender folds it into that digest. It moves pending -> sent | failed | skipped;
only the sender moves it, and only after Telegram
answered. Enqueueing runs inside the cycle's transaction that stores the items, so an item is
either stored with its deliveries or not at all.

The state functions below (claims, marks, reschedule) also keep the admin notices
(`store/notices.py`, table `notices`, same state columns): pass `table=notices`. One place
moves a queued message's state, whichever queue it is in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    case,
    func,
    or_,
    select,
    update,
)

from icesco_watch.config.schema import Settings
from icesco_watch.digests import due_at
from icesco_watch.models import NewsItem
from icesco_watch.routing import (
    Destination,
    Subscriber,
    route,
    route_destination,
    route_interest,
    route_schedule,
    subscription_interest,
)
from icesco_watch.store.chat_schedules import chat_schedule
from icesco_watch.store.dialect import insert_ignore, lock_skipping_held
from icesco_watch.store.items import items_by_key
from icesco_watch.store.schema import chats, deliveries, notices, subscriptions
from icesco_watch.store.stories import Queued, join_stories
from icesco_watch.store.topics import closed_destinations, forum_subscribers

STATUSES = ("pending", "sent", "failed", "skipped")
# How long a sender holds the deliveries it claimed (config: telegram.claim_lease).
CLAIM_LEASE = timedelta(minutes=2)
# The two queues a sender claims from and writes to chats from: item alerts and admin notices.
QUEUES = (deliveries, notices)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One row of the outbox."""

    id: int
    item_key: str
    chat: str
    status: str
    attempts: int
    next_attempt_at: datetime
    message_id: int | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    unconfirmed: int = 0  # sends whose outcome is unknown (no answer came back)
    thread: int | None = None  # the forum topic within the chat; None: the chat itself
    digest: str | None = None  # the digest schedule it goes out with (None: instant)


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """A pending delivery with the item it carries."""

    delivery: Delivery
    item: NewsItem


def enqueue_deliveries(
    conn: Connection, items: Sequence[NewsItem], settings: Settings, now: datetime
) -> int:
    """Queue each item where the routing core sends it (config routes and chats' subscriptions);
    returns how many deliveries were added. A pair already queued is left alone, so calling this
    twice for the same items adds nothing."""
    if not items:
        return 0
    subscribers = _subscribers(conn, settings)
    # Every decision of this call shares `now`: one due time and stored form per schedule.
    timing = {
        s.when: (due_at(s.when, now), None if s.when.instant else s.when.stored)
        for s in subscribers
    }
    rows: list[dict[str, Any]] = [
        {
            "item_key": decision.item_key,
            "chat": decision.destination.chat,
            "thread": decision.destination.thread or 0,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": timing[decision.when][0],
            "created_at": now,
            "digest": timing[decision.when][1],
        }
        for item in items
        for decision in route(item, subscribers)
    ]
    added: list[Queued] = []
    # Counted from RETURNING: a batch's rowcount is -1 on PostgreSQL's driver.
    statement = insert_ignore(conn, deliveries).returning(
        deliveries.c.id, deliveries.c.item_key, deliveries.c.chat, deliveries.c.thread
    )
    for start in range(0, len(rows), 1000):
        added += [Queued(*row) for row in conn.execute(statement, rows[start : start + 1000])]
    join_stories(conn, added)  # one alert per story in a chat (the routing core decides)
    return len(added)


def _subscribers(conn: Connection, settings: Settings) -> list[Subscriber]:
    """Every reader the routing core chooses among: config routes first, then chats with
    subscriptions, then forum topics `/here` chose sectors for; a paused chat, one that blocked
    the bot, or a forum topic Telegram closed, is muted (the core skips it)."""
    states: dict[str, bool] = {}
    schedules = {}
    query_chats = select(
        chats.c.chat, chats.c.paused, chats.c.active, chats.c.mode, chats.c.timezone
    )
    for state in conn.execute(query_chats):
        states[state.chat] = bool(state.paused) or not state.active
        schedules[state.chat] = chat_schedule(state.mode, state.timezone)
    closed = closed_destinations(conn)
    found = [
        Subscriber(
            route_destination(route_config),
            route_interest(route_config),
            route_schedule(route_config),
            muted=states.get(route_config.chat, False) or route_destination(route_config) in closed,
        )
        for route_config in settings.telegram.routes
    ]
    query = (
        select(chats.c.chat, chats.c.lang, subscriptions.c.kind, subscriptions.c.value)
        .join(subscriptions, subscriptions.c.chat == chats.c.chat)
        .order_by(chats.c.chat)
    )
    grouped: dict[str, tuple[str | None, list[tuple[str, str]]]] = {}
    for row in conn.execute(query):
        grouped.setdefault(row.chat, (row.lang, []))[1].append((row.kind, row.value))
    found += [
        Subscriber(
            Destination(chat),
            subscription_interest(lang, subs),
            schedules[chat],
            muted=states.get(chat, False),
        )
        for chat, (lang, subs) in grouped.items()
    ]
    found += forum_subscribers(conn, states, closed)
    return found


# The sender's side.


def claim_deliveries(
    conn: Connection,
    owner: str,
    now: datetime,
    limit: int = 1000,
    lease: timedelta = CLAIM_LEASE,
) -> list[DueDelivery]:
    """Claim the pending deliveries whose time has come, oldest first, for `owner` (one sender)
    until `now + lease`, and return them with their items. Run it in its own transaction.
    The claim rules are `claim_due`'s; a digest delivery waiting for its digest time (never
    tried: no error yet) holds nothing back.
    """
    retrying = or_(deliveries.c.digest.is_(None), deliveries.c.last_error.is_not(None))
    claimed = claim_due(conn, deliveries, owner, now, limit, lease, holds_back=retrying)
    # A scheduled digest is one message series however much waited (a long outage): the rest of
    # its chat's or topic's due digest deliveries come with it, past the batch limit, rather
    # than into a second digest with the next claim.
    if claimed:
        started = deliveries.alias("started")
        same_digest = (
            select(started.c.id)
            .where(
                started.c.id.in_(claimed),
                started.c.digest.is_not(None),
                started.c.chat == deliveries.c.chat,
                started.c.thread == deliveries.c.thread,
            )
            .exists()
        )
        rest = lock_skipping_held(
            conn,
            select(deliveries.c.id).where(
                _ready(deliveries, now), deliveries.c.digest.is_not(None), same_digest
            ),
        )
        claimed += _claim(conn, deliveries, owner, now, lease, rest)
    found = []
    for start in range(0, len(claimed), 1000):  # bound parameters per statement stay bounded
        query = select(deliveries).where(deliveries.c.id.in_(claimed[start : start + 1000]))
        found += [_delivery(row._mapping) for row in conn.execute(query)]
    found.sort(key=lambda d: (d.created_at, d.id))
    stored = items_by_key(conn, [d.item_key for d in found])
    due = []
    for delivery in found:
        entry = stored.get(delivery.item_key)
        if entry is None:  # the item vanished from the store: nothing left to send
            mark_skipped(conn, [delivery.id], "the item is no longer stored")
            continue
        due.append(DueDelivery(delivery, entry.item))
    return due


def claim_due(
    conn: Connection,
    table: Table,
    owner: str,
    now: datetime,
    limit: int,
    lease: timedelta,
    holds_back: ColumnElement[bool] | None = None,
) -> list[int]:
    """Claim for `owner` until `now + lease` the due rows of an outbox `table` (deliveries or
    notices), oldest first, at most `limit`; their ids. Run it in its own transaction.

    No two senders hold one row: rows another sender holds are skipped (FOR UPDATE SKIP LOCKED
    on PostgreSQL; SQLite has a single writer), and a claim that outlived its lease (its sender
    died) is free again. A chat with an older row waiting for its retry, or held by another
    sender, gets nothing newer meanwhile, so each chat's order is kept (a notice's "failing"
    never arrives after its "recovered"). `holds_back` narrows which waiting rows hold their
    chat back (deliveries: not a digest waiting for its time). A chat another sender holds in
    either queue (an admin chat also subscribed to alerts) is left to it: two senders writing to
    one chat at once would break Telegram's one message a second per chat.
    """
    waiting = table.c.next_attempt_at > now
    if holds_back is not None:
        waiting = and_(waiting, holds_back)
    retrying = select(table.c.chat).where(table.c.status == "pending", waiting)
    candidates = lock_skipping_held(
        conn,
        select(table.c.id)
        .where(
            _ready(table, now),
            table.c.chat.not_in(retrying),
            *(table.c.chat.not_in(_held_by_others(queue, owner, now)) for queue in QUEUES),
        )
        .order_by(table.c.created_at, table.c.id)
        .limit(limit),
    )
    return _claim(conn, table, owner, now, lease, candidates)


def _held_by_others(table: Table, owner: str, now: datetime) -> Select[Any]:
    """The chats of which another sender than `owner` holds a pending row of `table`."""
    return select(table.c.chat).where(
        table.c.status == "pending", table.c.claimed_until > now, table.c.claimed_by != owner
    )


def _ready(table: Table, now: datetime) -> ColumnElement[bool]:
    """Pending, due, and held by no sender (or by one whose lease ran out)."""
    return and_(table.c.status == "pending", table.c.next_attempt_at <= now, _free(table, now))


def _free(table: Table, now: datetime) -> ColumnElement[bool]:
    return or_(table.c.claimed_until.is_(None), table.c.claimed_until <= now)


def _claim(
    conn: Connection,
    table: Table,
    owner: str,
    now: datetime,
    lease: timedelta,
    candidates: Select[Any],
) -> list[int]:
    """Claim the `candidates` still free at `now` for `owner` until `now + lease`; their ids."""
    claimed = conn.execute(
        update(table)
        .where(table.c.id.in_(candidates.scalar_subquery()), _free(table, now))
        .values(claimed_by=owner, claimed_until=now + lease)
        .returning(table.c.id)
    )
    return list(claimed.scalars())


def release_dead_claims(
    conn: Connection, is_dead: Callable[[str], bool], table: Table = deliveries
) -> int:
    """Give back the claims of senders `is_dead` says are gone (a crashed process of this
    machine); returns how many deliveries (or notices) came back."""
    owners = conn.scalars(
        select(table.c.claimed_by)
        .where(table.c.claimed_by.is_not(None), table.c.status == "pending")
        .distinct()
    ).all()
    return sum(release_claims(conn, owner, table=table) for owner in owners if is_dead(owner))


def renew_claims(
    conn: Connection,
    owner: str,
    until: datetime,
    ids: Iterable[int] | None = None,
    table: Table = deliveries,
) -> set[int]:
    """Extend `owner`'s claims to `until` (all of them, or only `ids`) and return the ids it
    still holds.

    The fence against sending twice: a sender renews a message's deliveries just before sending
    it and sends only if it still holds them all. A sender slower than its lease (a long batch at
    a shared rate, a stalled machine) may have lost them to another instance; without the check
    both would send."""
    query = update(table).where(table.c.claimed_by == owner, table.c.status == "pending")
    if ids is not None:
        query = query.where(table.c.id.in_(list(ids)))
    renewed = conn.execute(query.values(claimed_until=until).returning(table.c.id))
    return set(renewed.scalars())


def release_claims(
    conn: Connection, owner: str, ids: Iterable[int] | None = None, table: Table = deliveries
) -> int:
    """Give back what `owner` claimed and did not settle (a sender stopping; or only `ids`), so
    another sender takes it at once rather than after the lease; returns how many."""
    query = update(table).where(table.c.claimed_by == owner, table.c.status == "pending")
    if ids is not None:
        query = query.where(table.c.id.in_(list(ids)))
    return conn.execute(query.values(claimed_by=None, claimed_until=None)).rowcount


def next_due_at(conn: Connection, table: Table = deliveries) -> datetime | None:
    """When the earliest pending delivery (or notice) becomes due (None: nothing pending); one
    another sender holds is due when its claim runs out."""
    due = case(
        (table.c.claimed_until > table.c.next_attempt_at, table.c.claimed_until),
        else_=table.c.next_attempt_at,
    )
    query = select(func.min(due)).where(table.c.status == "pending")
    value: datetime | None = conn.execute(query).scalar()
    return value


def get_deliveries(conn: Connection, chat: str | None = None) -> list[Delivery]:
    """Every delivery (of one chat), oldest first: for tests, status and diagnosis."""
    query = select(deliveries).order_by(deliveries.c.created_at, deliveries.c.id)
    if chat is not None:
        query = query.where(deliveries.c.chat == chat)
    return [_delivery(row._mapping) for row in conn.execute(query)]


def mark_sent(
    conn: Connection,
    ids: Iterable[int],
    message_id: int,
    now: datetime,
    table: Table = deliveries,
) -> None:
    """Telegram accepted the message `message_id` carrying these deliveries."""
    _finish(conn, ids, table, status="sent", message_id=message_id, sent_at=now, last_error=None)


def mark_failed(
    conn: Connection, ids: Iterable[int], error: str, table: Table = deliveries
) -> None:
    """Given up for good: `error` says why (kept for `status` and diagnosis)."""
    _finish(conn, ids, table, status="failed", last_error=error)


def mark_skipped(
    conn: Connection, ids: Iterable[int], reason: str, table: Table = deliveries
) -> None:
    """Not sent and never will be, by decision (the chat blocked the bot, the item vanished,
    a notice's chat is no longer an admin chat)."""
    _finish(conn, ids, table, status="skipped", last_error=reason)


def reschedule(
    conn: Connection,
    ids: Iterable[int],
    next_attempt_at: datetime,
    error: str,
    *,
    count_attempt: bool = True,
    unconfirmed: bool = False,
    table: Table = deliveries,
) -> None:
    """Keep pending and try again at `next_attempt_at`; flood waits do not count as attempts;
    `unconfirmed`: the failed send may have reached Telegram all the same."""
    values: dict[str, Any] = {
        "next_attempt_at": next_attempt_at,
        "last_error": error,
        "claimed_by": None,  # free for whichever sender is first when it is due again
        "claimed_until": None,
    }
    if count_attempt:
        values["attempts"] = table.c.attempts + 1
    if unconfirmed:
        values["unconfirmed"] = table.c.unconfirmed + 1
    _update(conn, ids, values, table)


def skip_pending_for_chat(conn: Connection, chat: str, reason: str) -> int:
    """Skip everything still queued for `chat` (it blocked the bot); returns how many."""
    query = (
        update(deliveries)
        .where(deliveries.c.chat == chat, deliveries.c.status == "pending")
        .values(status="skipped", last_error=reason)
    )
    return conn.execute(query).rowcount


def pending_counts(conn: Connection) -> dict[str, int]:
    """How many deliveries are in each status (every status present, zero included)."""
    counts = dict.fromkeys(STATUSES, 0)
    query = select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
    for status, count in conn.execute(query):
        counts[status] = count
    return counts


def _finish(conn: Connection, ids: Iterable[int], table: Table, **values: Any) -> None:
    _update(conn, ids, values, table)


def _update(conn: Connection, ids: Iterable[int], values: dict[str, Any], table: Table) -> None:
    chosen = list(ids)
    for start in range(0, len(chosen), 500):
        query = update(table).where(table.c.id.in_(chosen[start : start + 500]))
        # Only a pending row changes: a late answer never overwrites a final state.
        query = query.where(table.c.status == "pending")
        conn.execute(query.values(**values))


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row["id"],
        item_key=row["item_key"],
        chat=row["chat"],
        status=row["status"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        message_id=row["message_id"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        sent_at=row["sent_at"],
        unconfirmed=row["unconfirmed"],
        thread=row["thread"] or None,
        digest=row["digest"],
    )
