"""Admin notices: "source X is failing / recovered", queued for each admin chat, each one's
state until final.

The defect this replaces: the notice was sent in place after the cycle's commit (4 tries, 30 s
at most), so a crash between commit and send, or a longer Telegram outage, lost it for good (the
health state already said "failing", so no later cycle told the operator). Now `enqueue_notices`
runs in the transaction `record_run` records the health event in: both or neither. The outbox's
sender claims and sends them beside the item alerts (`notifiers/telegram/sender.py`), and the
outbox's state functions keep their state (`store/outbox.py`, `table=notices`), so retries,
backoff, the unconfirmed-send rule and multi-instance claims are the items' own.

DESIGN.md (section 4, step 7) says the admins get "one alert" per event. Exactly one holds
unless Telegram leaves a send unanswered: then, as for an item alert, the notice is sent once
more and, unanswered again, marked failed with a reason saying it may have arrived, so an admin
sees it at most twice, and a notice whose fate is unknown is never resent blindly.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select

from icesco_watch.store.outbox import CLAIM_LEASE, STATUSES, claim_due
from icesco_watch.store.schema import notices


@dataclass(frozen=True, slots=True)
class Notice:
    """One row of the notices queue."""

    id: int
    chat: str
    source: str
    event: str
    text: str  # HTML
    status: str
    attempts: int
    unconfirmed: int
    next_attempt_at: datetime
    message_id: int | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


def health_text(source: str, event: str, errors: Sequence[str]) -> str:
    """The notice's HTML: the event in bold, then the first error, if any."""
    detail = f": {errors[0]}"[:700] if errors else ""  # cut, then escaped: no broken entity
    return f"<b>{html.escape(f'icesco-watch: source {source} is {event}')}</b>{html.escape(detail)}"


def enqueue_notices(
    conn: Connection,
    chats: Sequence[str],
    source: str,
    event: str,
    errors: Sequence[str],
    now: datetime,
) -> int:
    """Queue one notice of `source`'s health `event` for each of `chats`, due now; returns how
    many. Call it in the transaction that records the event."""
    text = health_text(source, event, errors)
    rows = [
        {
            "chat": chat,
            "source": source,
            "event": event,
            "text": text,
            "status": "pending",
            "attempts": 0,
            "unconfirmed": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for chat in dict.fromkeys(chats)  # a chat named twice in the config gets one
    ]
    if rows:
        conn.execute(insert(notices), rows)
    return len(rows)


def claim_notices(
    conn: Connection,
    owner: str,
    now: datetime,
    limit: int = 100,
    lease: timedelta = CLAIM_LEASE,
) -> list[Notice]:
    """Claim the due notices for `owner` until `now + lease`, oldest first, by the outbox's
    claim rules (`outbox.claim_due`): a chat whose older notice waits for its retry, or is held
    by another sender, gets nothing newer meanwhile ("failing" never arrives after
    "recovered"). Run it in its own transaction."""
    claimed = claim_due(conn, notices, owner, now, limit, lease)
    found = conn.execute(select(notices).where(notices.c.id.in_(claimed)))
    return sorted((_notice(row._mapping) for row in found), key=lambda n: (n.created_at, n.id))


def get_notices(conn: Connection) -> list[Notice]:
    """Every notice, oldest first: for tests, status and diagnosis."""
    query = select(notices).order_by(notices.c.created_at, notices.c.id)
    return [_notice(row._mapping) for row in conn.execute(query)]


def notice_counts(conn: Connection) -> dict[str, int]:
    """How many notices are in each status (every status present, zero included)."""
    counts = dict.fromkeys(STATUSES, 0)
    query = select(notices.c.status, func.count()).group_by(notices.c.status)
    for status, count in conn.execute(query):
        counts[status] = count
    return counts


def _notice(row: Any) -> Notice:
    return Notice(**{field.name: row[field.name] for field in fields(Notice)})
