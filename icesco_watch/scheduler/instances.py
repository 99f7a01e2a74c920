"""Several `icesco-watch run` on one store: which instance crawls, which polls Telegram, and one
cycle at a time.

Leases (store/leases.py) decide; nothing here talks to Telegram or Scrapy:
- `crawler`: the instance that runs the scheduled cycles. It renews the lease at each cycle; the
  others skip theirs until it expires (the holder died), then the first to try takes over. Its
  time to live is two intervals plus the jitter and a minute, so a slow cycle never loses it.
- `cycle`: held for the duration of one cycle by whoever runs it (the crawler instance, or an
  operator's `icesco-watch crawl` beside the service), so two cycles never overlap. Its holder
  renews it every `CYCLE_TTL / 3` while the cycle runs, so a holder killed mid-cycle blocks the
  others for `CYCLE_TTL` at most (it was 30 minutes, renewed by nobody).
- `telegram-updates`: the instance that polls getUpdates (two pollers get 409 Conflict).
Every instance serves feeds and sends alerts (deliveries are claimed, scheduler/../store/outbox.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.redaction import redact
from icesco_watch.store.leases import acquire, holder_of, release, release_dead_here

CRAWLER = "crawler"
CYCLE = "cycle"
UPDATES = "telegram-updates"
CYCLE_TTL = timedelta(minutes=2)  # renewed while the cycle runs, released at its end
UPDATES_TTL = timedelta(seconds=30)

log = logging.getLogger(__name__)


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
async def one_cycle(
    engine: Engine, holder_id: str, wait: float = 0.0, ttl: timedelta = CYCLE_TTL
) -> AsyncIterator[None]:
    """Hold the `cycle` lease for the block, renewed while it runs; wait up to `wait` seconds
    for it, else CycleBusy."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while not take(engine, CYCLE, holder_id, ttl):
        if loop.time() >= deadline:
            raise CycleBusy(f"another instance is running a cycle ({holder(engine, CYCLE)})")
        await asyncio.sleep(1.0)
    renewing = asyncio.create_task(_keep(engine, CYCLE, holder_id, ttl))
    try:
        yield
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
        give_up(engine, CYCLE, holder_id)


async def _keep(engine: Engine, name: str, holder_id: str, ttl: timedelta) -> None:
    """Renew the lease `name` every third of `ttl` until cancelled. A failed renewal (the store
    unreachable) is logged and tried again; the lease then lapses only if the store stays
    out of reach for the rest of `ttl`."""
    while True:
        await asyncio.sleep(ttl.total_seconds() / 3)
        try:
            if not await asyncio.to_thread(take, engine, name, holder_id, ttl):
                log.warning("lease %s lapsed during the cycle; another instance holds it", name)
        except Exception as exc:  # logged, tried again at the next beat
            log.warning("could not renew lease %s: %s", name, redact(repr(exc)))
