"""Several `icesco-watch run` on one store: which instance crawls, which polls Telegram, and one
cycle at a time.

Leases (store/leases.py) decide; nothing here talks to Telegram or Scrapy:
- `crawler`: the instance that runs the scheduled cycles. It renews the lease at each cycle; the
  others skip theirs until it expires (the holder died), then the first to try takes over. Its
  time to live is two intervals plus the jitter and a minute, so a slow cycle never loses it.
- `cycle`: held for the duration of one cycle by whoever runs it (the crawler instance, or an
  operator's `icesco-watch crawl` beside the service), so two cycles never overlap.
- `telegram-updates`: the instance that polls getUpdates (two pollers get 409 Conflict).
Every instance serves feeds and sends alerts (deliveries are claimed, scheduler/../store/outbox.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.store.leases import acquire, holder_of, release, release_dead_here

CRAWLER = "crawler"
CYCLE = "cycle"
UPDATES = "telegram-updates"
CYCLE_TTL = timedelta(minutes=30)  # longer than any cycle; renewed by nobody, released at its end
UPDATES_TTL = timedelta(seconds=30)


def utcnow() -> datetime:
    return datetime.now(UTC)


def crawler_ttl(settings: Settings) -> timedelta:
    schedule = settings.schedule
    return 2 * schedule.interval + schedule.jitter + timedelta(minutes=1)


def take(engine: Engine, name: str, holder: str, ttl: timedelta) -> bool:
    """Take or renew the lease `name` for `holder`; False while another live holder has it."""
    with engine.begin() as conn:
        return acquire(conn, name, holder, utcnow(), ttl)


def give_up(engine: Engine, name: str, holder: str) -> None:
    with engine.begin() as conn:
        release(conn, name, holder)


def holder(engine: Engine, name: str) -> str | None:
    with engine.connect() as conn:
        return holder_of(conn, name, utcnow())


def forget_dead_here(engine: Engine) -> list[str]:
    """At start-up: leases held by a crashed process of this machine are free at once."""
    with engine.begin() as conn:
        return release_dead_here(conn)


class CycleBusy(Exception):
    """Another instance is running a cycle; the message names it."""


@contextlib.asynccontextmanager
async def one_cycle(engine: Engine, holder_id: str, wait: float = 0.0) -> AsyncIterator[None]:
    """Hold the `cycle` lease for the block; wait up to `wait` seconds for it, else CycleBusy."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while not take(engine, CYCLE, holder_id, CYCLE_TTL):
        if loop.time() >= deadline:
            raise CycleBusy(f"another instance is running a cycle ({holder(engine, CYCLE)})")
        await asyncio.sleep(1.0)
    try:
        yield
    finally:
        give_up(engine, CYCLE, holder_id)
