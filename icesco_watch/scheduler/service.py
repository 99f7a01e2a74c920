"""The long-running service: the lifecycle of everything `icesco-watch run` hosts.

One asyncio process: APScheduler's AsyncIOScheduler triggers crawl cycles, Scrapy crawls on the
same loop (reactor-less), the feed server answers readers, and, when a bot token is set, the
python-telegram-bot Application polls for commands while the outbox sender delivers alerts.

Scheduling: one job crawls every enabled source per `schedule.interval` (one spider run per
cycle, so robots.txt is read once per host and the per-host politeness limits hold across the
three language sources; the design's "a job per source" would triple both). `max_instances=1`
means a cycle never overlaps the previous one, `coalesce` folds missed runs into one, and a
misfire grace time of one interval lets a late run still happen. The first run is due one
interval after the last run recorded in the store, so a restart does not re-crawl at once.
With several instances on one store one crawls on schedule (lease `crawler`); an admin's /crawl
makes the instance that polls Telegram crawl at once, crawler or not (lease `cycle` keeps cycles
apart). Each instance serves its own `feeds.dir`, so a second job (`follow-feeds`, every 30 s)
and the start of each cycle rebuild them when the store has runs that stored changes they do not
show yet (`store.health.newest_change`).

Metrics: the service owns one `Metrics` (its own Prometheus registry), counts each finished
cycle from its report and each Telegram answer the sender recorded, and the feed server serves
it at /metrics.

Shutdown on SIGINT/SIGTERM: a crawl in flight is cancelled (nothing it found was recorded, and
the listing validators were not saved, so the next start redoes it), a send in flight finishes
and is recorded, the bot stops polling, the feed server closes, and the store is released.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings, SourceConfig
from icesco_watch.feeds.publish import build_all
from icesco_watch.feeds.server import FeedServer
from icesco_watch.metrics import Metrics
from icesco_watch.models import CycleReport
from icesco_watch.scheduler.alerts import Telegram
from icesco_watch.scheduler.cycle import publish, run_cycle, utcnow
from icesco_watch.scheduler.instances import (
    CRAWLER,
    CycleBusy,
    crawler_ttl,
    forget_dead_here,
    give_up,
    one_cycle,
    take,
)
from icesco_watch.store.health import all_source_states, newest_change
from icesco_watch.store.leases import instance_id

log = logging.getLogger(__name__)

# How often an instance looks, between its own cycles, for changes another instance's cycle
# stored that its feeds do not show yet.
FOLLOW_EVERY = 30.0  # seconds (or the schedule's interval, if shorter)
CycleHook = Callable[[CycleReport], Awaitable[None]]
LongTask = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


class Service:
    def __init__(self, settings: Settings, engine: Engine, sources: Sequence[SourceConfig]):
        self.settings = settings
        self.engine = engine
        self.sources = list(sources)
        self.stopping = asyncio.Event()
        self.cycles = 0
        self.metrics = Metrics(engine)
        self.feed_server = FeedServer(settings, engine, metrics=self.metrics)
        self.after_cycle: list[CycleHook] = []  # e.g. wake the sender, alert admin chats
        self._cycle_task: asyncio.Task[None] | None = None
        self._crawler: bool | None = None  # whether this instance held the crawler lease last
        self._feeds_seen = 0  # the newest run that stored changes which this one's feeds show
        self._requested = False  # an admin's /crawl: the next cycle runs even if not the crawler
        self.crawl_requested = asyncio.Event()  # an admin's /crawl
        self.instance = instance_id()  # this process's name in the store's leases
        self.telegram = (
            Telegram(settings, engine, self.crawl_requested, self.instance)
            if settings.telegram_token
            else None
        )
        if self.telegram is not None:
            self.after_cycle.append(self.telegram.after_cycle)
            self.telegram.sender.observers.append(self.metrics.observe_verdict)

    async def cycle(self) -> None:
        """One cycle, on schedule or asked for by an admin's /crawl; an unexpected error is
        logged and the schedule goes on."""
        if self.stopping.is_set():
            return
        requested, self._requested = self._requested, False
        self._cycle_task = asyncio.current_task()
        started = utcnow()
        try:
            # On schedule only the instance holding the `crawler` lease crawls. A /crawl reaches
            # the instance that polls Telegram, which need not be that one: it crawls now.
            if not await self._crawl_turn() and not requested:
                return
            async with one_cycle(self.engine, self.instance):
                await self._refresh_feeds()  # what other instances stored since the last look
                # The first cycle of the service discovers each source's channel afresh.
                report = await run_cycle(
                    self.settings, self.engine, self.sources, rediscover=self.cycles == 0
                )
                # This cycle published its own changes; nobody else cycles meanwhile.
                seen = await asyncio.to_thread(self._newest_change)
                self._feeds_seen = seen or self._feeds_seen
            self.cycles += 1
            self.metrics.observe_cycle(report)
            log.info(
                "cycle done",
                extra={
                    "fields": {
                        "cycle": self.cycles,
                        "failed": report.failed,
                        "new": sum(len(s.new) for s in report.sources),
                        "updated": sum(len(s.updated) for s in report.sources),
                        "seconds": round((utcnow() - started).total_seconds(), 3),
                    }
                },
            )
            for hook in self.after_cycle:
                await hook(report)
        except CycleBusy as busy:
            log.info("cycle skipped: %s", busy)
        except asyncio.CancelledError:
            # Only shutdown cancels a cycle. Returning (not re-raising) keeps APScheduler from
            # logging the cancellation as a job crash with a traceback.
            log.info("cycle cancelled by shutdown; it is redone at the next start")
        except Exception:
            log.exception("cycle crashed; the next one runs on schedule")
        finally:
            self._cycle_task = None

    async def _crawl_turn(self) -> bool:
        """Whether this instance crawls (it holds or takes the `crawler` lease); several
        instances on one store crawl one at a time, and another takes over when it dies."""
        ttl = crawler_ttl(self.settings)
        mine = await asyncio.to_thread(take, self.engine, CRAWLER, self.instance, ttl)
        if mine != self._crawler:
            self._crawler = mine
            log.info(
                "this instance crawls"
                if mine
                else "another instance crawls; this one serves feeds and sends alerts",
                extra={"fields": {"instance": self.instance}},
            )
        return mine

    async def follow_feeds(self) -> None:
        """Between this instance's own cycles, keep its feeds (its own `feeds.dir`, perhaps on
        another machine) as fresh as the store: another instance crawls, or ran an admin's
        /crawl. The `follow-feeds` job, every FOLLOW_EVERY seconds."""
        if self._cycle_task is not None or self.stopping.is_set():
            return
        await self._refresh_feeds()

    async def _refresh_feeds(self) -> None:
        """Rebuild every feed if a cycle stored changes this instance's feeds do not show yet
        (`store.health.newest_change`). A rebuild writes only the files whose bytes changed,
        so readers' ETags hold. A failure is logged and retried at the next look."""
        newest = await asyncio.to_thread(self._newest_change)
        if newest is None:
            return
        try:
            report = await asyncio.to_thread(build_all, self.settings, self.engine)
        except Exception:
            log.exception("rebuilding the feeds from the store failed; retried at the next look")
            return
        self._feeds_seen = newest
        log.info(
            "feeds rebuilt: the store held changes they did not show",
            extra={"fields": {"run": newest, "written": len(report.written)}},
        )

    def _newest_change(self) -> int | None:
        with self.engine.connect() as conn:
            return newest_change(conn, after=self._feeds_seen)

    def first_run(self) -> datetime:
        """One interval after the oldest last run of the watched sources (now if never run)."""
        with self.engine.connect() as conn:
            states = all_source_states(conn)
        runs = [states[s.key].last_run for s in self.sources if s.key in states]
        if not self.sources or len(runs) < len(self.sources) or None in runs:
            return utcnow()
        due = min(r for r in runs if r is not None) + self.settings.schedule.interval
        return max(due, utcnow())

    async def run(self, extra: Sequence[LongTask] = ()) -> None:
        """Serve until SIGINT/SIGTERM. `extra` are long-running tasks (the bot, the sender) that
        receive the stop event and must return once it is set."""
        schedule = self.settings.schedule
        scheduler = AsyncIOScheduler(timezone="UTC")
        first = self.first_run()
        scheduler.add_job(
            self.cycle,
            IntervalTrigger(
                seconds=schedule.interval.total_seconds(),
                jitter=int(schedule.jitter.total_seconds()) or None,
            ),
            next_run_time=first,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(1, int(schedule.interval.total_seconds())),
            id="crawl",
        )
        scheduler.add_job(
            self.follow_feeds,
            IntervalTrigger(seconds=min(FOLLOW_EVERY, schedule.interval.total_seconds())),
            max_instances=1,
            coalesce=True,
            id="follow-feeds",
        )
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.stopping.set)
        freed = await asyncio.to_thread(forget_dead_here, self.engine)
        if freed:
            log.info("took over from a crashed instance", extra={"fields": {"leases": freed}})
        await publish(self.settings, self.engine, [])  # every feed exists before the first poll
        await self.feed_server.start()
        long_tasks = list(extra)
        if self.telegram is not None:
            long_tasks.append(self.telegram.run)
        tasks: list[asyncio.Task[None]] = [
            asyncio.create_task(t(self.stopping)) for t in long_tasks
        ]
        tasks.append(asyncio.create_task(self._crawl_on_request(scheduler)))
        scheduler.start()
        self._log_start(first)
        try:
            await self.stopping.wait()
        finally:
            scheduler.shutdown(wait=False)
            if self._cycle_task is not None:
                self._cycle_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(asyncio.shield(self._cycle_task), timeout=3)
            for task in tasks:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(task, timeout=3)
            await self.feed_server.stop()
            if self._crawler:
                give_up(self.engine, CRAWLER, self.instance)  # the next instance takes over now
            self.engine.dispose()
            log.info("service stopped", extra={"fields": {"cycles": self.cycles}})

    async def _crawl_on_request(self, scheduler: AsyncIOScheduler) -> None:
        """An admin's /crawl brings the next cycle forward to now (never two at once)."""
        while not self.stopping.is_set():
            waits = [asyncio.ensure_future(self.stopping.wait())]
            waits.append(asyncio.ensure_future(self.crawl_requested.wait()))
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waits:
                waiter.cancel()
            if self.crawl_requested.is_set() and not self.stopping.is_set():
                self.crawl_requested.clear()
                self._requested = True
                scheduler.modify_job("crawl", next_run_time=utcnow())

    def _log_start(self, first: datetime) -> None:
        telegram = self.settings.telegram
        log.info(
            "service started",
            extra={
                "fields": {
                    "sources": {s.key: s.start_urls[0] for s in self.sources},
                    "interval_s": self.settings.schedule.interval.total_seconds(),
                    "first_cycle_in_s": round(max((first - utcnow()).total_seconds(), 0), 1),
                    "feeds": f"{self.feed_server.url}/",
                    "feeds_dir": self.settings.feeds.dir,
                    "telegram": "on" if self.settings.telegram_token else "off (no token)",
                    "telegram_api": telegram.api_base_url if self.settings.telegram_token else None,
                    "store": self.engine.url.render_as_string(hide_password=True),
                }
            },
        )
