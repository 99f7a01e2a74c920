"""The long-running service: APScheduler runs a crawl cycle every `schedule.interval`.

One asyncio process: the scheduler and Scrapy (reactor-less) share the loop. A cycle never
overlaps the previous one (`max_instances=1`); missed runs collapse into one (`coalesce`).
SIGINT/SIGTERM stop the service after the cycle in progress has been recorded.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings, SourceConfig
from icesco_watch.scheduler.cycle import run_cycle, utcnow

log = logging.getLogger(__name__)


class Service:
    def __init__(self, settings: Settings, engine: Engine, sources: Sequence[SourceConfig]):
        self.settings = settings
        self.engine = engine
        self.sources = list(sources)
        self.stopping = asyncio.Event()
        self.idle = asyncio.Event()
        self.idle.set()
        self.cycles = 0

    async def cycle(self) -> None:
        """One scheduled cycle; an unexpected error is logged and the schedule goes on."""
        self.idle.clear()
        try:
            report = await run_cycle(self.settings, self.engine, self.sources)
            self.cycles += 1
            log.info(
                "cycle done",
                extra={
                    "fields": {
                        "cycle": self.cycles,
                        "failed": report.failed,
                        "new": sum(len(s.new) for s in report.sources),
                    }
                },
            )
        except Exception:
            log.exception("cycle crashed; the next one runs on schedule")
        finally:
            self.idle.set()

    async def run(self) -> None:
        schedule = self.settings.schedule
        scheduler = AsyncIOScheduler(timezone="UTC")
        scheduler.add_job(
            self.cycle,
            IntervalTrigger(
                seconds=schedule.interval.total_seconds(),
                jitter=int(schedule.jitter.total_seconds()) or None,
            ),
            next_run_time=utcnow(),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            id="crawl",
        )
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.stopping.set)
        scheduler.start()
        log.info(
            "service started",
            extra={
                "fields": {
                    "sources": [s.key for s in self.sources],
                    "interval_s": schedule.interval.total_seconds(),
                    "store": self.engine.url.render_as_string(hide_password=True),
                }
            },
        )
        try:
            await self.stopping.wait()
        finally:
            scheduler.shutdown(wait=False)
            await self.idle.wait()  # let a cycle in progress finish recording
            log.info("service stopped", extra={"fields": {"cycles": self.cycles}})
