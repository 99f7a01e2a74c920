"""Telegram pacing state every instance sees: the global send rate as reserved time slots, and
the recent sends per chat (for the per-chat and per-group limits).

The global rate is a GCRA whose "theoretical arrival time" (`tat`, Unix seconds) lives in the
`pacing` table: an instance reserves a block of slots with one atomic UPDATE ... RETURNING, so N
senders together keep the configured rate. A flood wait (429) moves `tat` past the pause for all.
Recent sends per chat come from the outbox itself (`sent_at` of deliveries and notices), which
every instance writes anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, case, literal, or_, select, update

from icesco_watch.store.dialect import insert_ignore
from icesco_watch.store.schema import deliveries, notices, pacing

GLOBAL = "global"


def reserve_slots(conn: Connection, now: float, interval: float, count: int) -> float:
    """Reserve `count` consecutive send slots `interval` seconds apart; returns the first slot
    (Unix seconds). Run in its own short transaction."""
    conn.execute(insert_ignore(conn, pacing).values(name=GLOBAL, tat=now))
    start = case((pacing.c.tat < now, literal(now)), else_=pacing.c.tat)
    end = conn.execute(
        update(pacing)
        .where(pacing.c.name == GLOBAL)
        .values(tat=start + count * interval)
        .returning(pacing.c.tat)
    ).scalar_one()
    return float(end) - count * interval


def pause_all(conn: Connection, until: float) -> None:
    """Telegram asked for a pause (429): no instance gets a slot before `until`."""
    conn.execute(insert_ignore(conn, pacing).values(name=GLOBAL, tat=until))
    conn.execute(
        update(pacing).where(pacing.c.name == GLOBAL, pacing.c.tat < until).values(tat=until)
    )


def recent_sends(
    conn: Connection, chats: Sequence[str], since: datetime, other_than: str
) -> dict[str, list[datetime]]:
    """When other senders than `other_than` last sent each chat messages (alerts and admin
    notices; one time per message, a digest's deliveries counted once). A sent row keeps the
    `claimed_by` of the sender that sent it."""
    found: dict[str, list[datetime]] = {}
    unique = sorted(set(chats))
    for table in (deliveries, notices):
        for start in range(0, len(unique), 500):
            query = (
                select(table.c.chat, table.c.sent_at)
                .where(
                    table.c.chat.in_(unique[start : start + 500]),
                    table.c.sent_at > since,
                    or_(table.c.claimed_by.is_(None), table.c.claimed_by != other_than),
                )
                .group_by(table.c.chat, table.c.sent_at, table.c.message_id)
            )
            for row in conn.execute(query):
                found.setdefault(row.chat, []).append(row.sent_at)
    return found
