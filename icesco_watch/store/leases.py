"""Leases: which instance does a thing only one may do at a time (crawl a source, poll Telegram
for updates), taken over when the holder dies and its lease runs out.

A lease is a row (name, holder, expires_at). Taking it is one atomic statement whatever the
backend: insert it if absent, else take it over if it is ours or expired. The holder renews it
well before it expires; a holder that stops renewing (killed, frozen, cut off) loses it.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, or_, select, update

from icesco_watch.store.dialect import insert_ignore
from icesco_watch.store.schema import leases


def instance_id() -> str:
    """A name for this process, unique across machines and restarts: host, pid and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def is_dead_here(holder: str) -> bool:
    """True when `holder` names a process of this machine that no longer runs (a restart after
    a crash): what it held can be taken over at once instead of after its lease."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def release_dead_here(conn: Connection) -> list[str]:
    """Drop the leases of dead processes of this machine; returns their names."""
    dead = [row.name for row in conn.execute(select(leases)) if is_dead_here(row.holder)]
    if dead:
        conn.execute(delete(leases).where(leases.c.name.in_(dead)))
    return dead


def acquire(conn: Connection, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease `name` for `holder` until `now + ttl`; False if another live
    holder has it."""
    expires = now + ttl
    inserted = conn.execute(
        insert_ignore(conn, leases)
        .values(name=name, holder=holder, expires_at=expires, acquired_at=now)
        .returning(leases.c.name)
    ).first()
    if inserted is not None:
        return True
    taken = conn.execute(
        update(leases)
        .where(
            leases.c.name == name,
            or_(leases.c.holder == holder, leases.c.expires_at <= now),
        )
        .values(holder=holder, expires_at=expires)
    )
    return taken.rowcount == 1


def release(conn: Connection, name: str, holder: str) -> None:
    """Give the lease up (a clean stop), so another instance takes over at once."""
    conn.execute(delete(leases).where(leases.c.name == name, leases.c.holder == holder))


def holder_of(conn: Connection, name: str, now: datetime) -> str | None:
    """Who holds `name` right now (None: nobody, or an expired holder)."""
    row = conn.execute(
        select(leases.c.holder).where(leases.c.name == name, leases.c.expires_at > now)
    ).first()
    return None if row is None else str(row.holder)


def live_leases(conn: Connection, now: datetime) -> dict[str, tuple[str, datetime]]:
    """Every lease held right now: name -> (holder, expires_at), by name (for `status`: which
    instance crawls, which polls Telegram)."""
    query = select(leases).where(leases.c.expires_at > now).order_by(leases.c.name)
    return {row.name: (str(row.holder), row.expires_at) for row in conn.execute(query)}
