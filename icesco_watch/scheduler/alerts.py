"""Telegram in the service: the bot's polling, and the outbox sender (item alerts and admin
health notices).

Built only when a bot token is set. The sender is woken after every cycle (also a 304 one), so
deliveries and notices left pending by a crash or a Telegram outage go out without waiting for
new items. A health notice ("source X is failing / recovered") is queued by the cycle in the
transaction that records the event (`store/notices.py`), not sent from here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from sqlalchemy import Engine
from telegram.error import TelegramError

from icesco_watch.config.schema import Settings
from icesco_watch.models import CycleReport
from icesco_watch.notifiers.telegram.bot import (
    PollApplication,
    build_application,
    running,
    start_polling,
    stop_polling,
)
from icesco_watch.notifiers.telegram.i18n import N_
from icesco_watch.notifiers.telegram.outcomes import DrainReport
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.notifiers.telegram.shared import shared_pacer
from icesco_watch.scheduler.instances import UPDATES, UPDATES_TTL, give_up, take

log = logging.getLogger(__name__)


class Telegram:
    """The bot and the sender of one service, sharing one pacer (command replies count too)."""

    def __init__(
        self, settings: Settings, engine: Engine, request_crawl: asyncio.Event, instance: str
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.instance = instance
        self.crawl_requested = request_crawl
        pacer = shared_pacer(settings, engine)
        self.application: PollApplication = build_application(
            settings, engine, request_crawl=self._request_crawl, pacer=pacer
        )
        self.sender = Sender(settings, engine, self.application.bot, pacer=pacer)

    async def _request_crawl(self) -> str | None:
        self.crawl_requested.set()
        # An msgid: the bot shows it in the admin chat's language.
        return N_("A crawl cycle starts now; new items will be alerted as usual.")

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver alerts, and poll for commands while this instance holds the updates lease,
        until `stop`; a Telegram outage at start-up is retried, never fatal to feeds and crawls."""
        delay = 5.0
        while not stop.is_set():
            try:
                async with running(self.application, self.settings, poll=False):
                    poller = asyncio.create_task(self._poll_while_leased(stop))
                    try:
                        # Deliveries another instance queued are found within seconds.
                        await self.sender.run_forever(stop, idle=5.0)
                    finally:
                        await poller
                return
            except (TelegramError, OSError) as exc:
                log.warning(
                    "telegram unavailable, retrying",
                    extra={"fields": {"error": type(exc).__name__, "retry_in_s": delay}},
                )
                try:
                    await asyncio.wait_for(stop.wait(), timeout=delay)
                except TimeoutError:
                    delay = min(delay * 2, 300)

    async def _poll_while_leased(self, stop: asyncio.Event) -> None:
        """Poll getUpdates only while this instance holds the `telegram-updates` lease (two
        pollers on one bot get 409 Conflict); take it over when its holder dies."""
        polling = False
        try:
            while not stop.is_set():
                try:
                    held = await asyncio.to_thread(
                        take, self.engine, UPDATES, self.instance, UPDATES_TTL
                    )
                    if held and not polling:
                        await start_polling(self.application)
                        polling = True
                        log.info("telegram bot polling (this instance holds the updates lease)")
                    elif not held and polling:
                        await stop_polling(self.application)
                        polling = False
                        log.info("telegram polling handed over to another instance")
                except Exception as exc:  # the store or Telegram failing: try again shortly
                    log.warning(
                        "telegram polling lease check failed",
                        extra={"fields": {"error": type(exc).__name__}},
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), UPDATES_TTL.total_seconds() / 3)
        finally:
            if polling:
                await stop_polling(self.application)
            await asyncio.to_thread(give_up, self.engine, UPDATES, self.instance)

    async def after_cycle(self, report: CycleReport) -> None:
        """Wake the sender: the cycle's new deliveries and health notices go out now."""
        self.sender.wake()


async def deliver_now(settings: Settings, engine: Engine, timeout: float) -> DrainReport:
    """Drain the outbox once (for `icesco-watch crawl`): until empty or `timeout` seconds."""
    application = build_application(settings, engine)
    async with application:
        sender = Sender(settings, engine, application.bot)
        return await sender.drain(deadline=time.monotonic() + timeout)
