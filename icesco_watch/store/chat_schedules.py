"""A chat's digest schedule and time zone in the store, and moving its waiting digest deliveries
when either changes (the rules of schedules are `digests.py`'s; routing decides with them)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from icesco_watch.digests import (
    DEFAULT_ZONE,
    INSTANT,
    Schedule,
    ScheduleError,
    next_due,
    parse_schedule,
)
from icesco_watch.store.schema import chats, deliveries


def chat_schedule(mode: str | None, timezone: str | None) -> Schedule:
    """A chat row's schedule; a value this version cannot read counts as instant (never lost:
    instant is today's behaviour)."""
    try:
        return parse_schedule(mode or "instant", timezone or DEFAULT_ZONE)
    except ScheduleError:
        return INSTANT


def get_schedule(conn: Connection, chat: str) -> Schedule:
    """The chat's schedule in its time zone (an unknown chat: instant, UTC)."""
    row = conn.execute(select(chats.c.mode, chats.c.timezone).where(chats.c.chat == chat)).first()
    return INSTANT if row is None else chat_schedule(row.mode, row.timezone)


def schedule_kinds(conn: Connection) -> Counter[str]:
    """How many active chats take each kind of schedule ("instant", "daily", "weekly")."""
    kinds: Counter[str] = Counter()
    query = (
        select(chats.c.mode, chats.c.timezone, func.count())
        .where(chats.c.active.is_(True))
        .group_by(chats.c.mode, chats.c.timezone)
    )
    for mode, zone, count in conn.execute(query):
        kinds[chat_schedule(mode, zone).kind] += count
    return kinds


def set_schedule(conn: Connection, chat: str, text: str, now: datetime) -> Schedule:
    """Set the chat's schedule from what the user wrote (in its current zone); raises
    ScheduleError. Its digest deliveries still waiting move to the new schedule."""
    schedule = parse_schedule(text, get_schedule(conn, chat).timezone)
    _ensure(conn, chat, now)
    conn.execute(update(chats).where(chats.c.chat == chat).values(mode=schedule.text))
    move_waiting_digests(conn, chat, schedule, now)
    return schedule


def set_timezone(conn: Connection, chat: str, zone: str, now: datetime) -> Schedule:
    """Set the chat's time zone (an IANA name, already canonical); returns its schedule in it.
    Its digest deliveries still waiting move to the digest time in the new zone."""
    schedule = get_schedule(conn, chat)
    schedule = parse_schedule(schedule.text, zone)
    _ensure(conn, chat, now)
    conn.execute(update(chats).where(chats.c.chat == chat).values(timezone=schedule.timezone))
    if not schedule.instant:
        move_waiting_digests(conn, chat, schedule, now)
    return schedule


def move_waiting_digests(conn: Connection, chat: str, schedule: Schedule, now: datetime) -> int:
    """Give the chat's digest deliveries that wait for their digest time (never tried) the new
    schedule: its next digest time, or now for instant (they then leave together, as one
    digest, rather than one alert each). Returns how many moved."""
    values: dict[str, object] = {"next_attempt_at": next_due(schedule, now)}
    if not schedule.instant:
        values["digest"] = schedule.stored
    query = (
        update(deliveries)
        .where(
            deliveries.c.chat == chat,
            deliveries.c.status == "pending",
            deliveries.c.digest.is_not(None),
            deliveries.c.last_error.is_(None),
        )
        .values(**values)
    )
    return conn.execute(query).rowcount


def _ensure(conn: Connection, chat: str, now: datetime) -> None:
    if conn.execute(select(chats.c.chat).where(chats.c.chat == chat)).first() is None:
        conn.execute(insert(chats).values(chat=chat, paused=False, active=True, created=now))
