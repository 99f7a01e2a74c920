"""Telegram in the service: the bot's polling, the outbox sender, and admin health alerts.

Built only when a bot token is set. The sender is woken after every cycle (also a 304 one), so
deliveries left pending by a crash or a Telegram outage go out without waiting for new items.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time

from sqlalchemy import Engine
from telegram.error import TelegramError

from icesco_watch.config.schema import Settings
from icesco_watch.models import CycleReport
from icesco_watch.notifiers.telegram.bot import PollApplication, build_application, running
from icesco_watch.notifiers.telegram.limits import Pacer
from icesco_watch.notifiers.telegram.outcomes import DrainReport
from icesco_watch.notifiers.telegram.sender import Sender

log = logging.getLogger(__name__)


class Telegram:
    """The bot and the sender of one service, sharing one pacer (command replies count too)."""

    def __init__(self, settings: Settings, engine: Engine, request_crawl: asyncio.Event) -> None:
        self.settings = settings
        self.crawl_requested = request_crawl
        pacer = Pacer(settings.telegram.rate_per_second)
        self.application: PollApplication = build_application(
            settings, engine, request_crawl=self._request_crawl, pacer=pacer
        )
        self.sender = Sender(settings, engine, self.application.bot, pacer=pacer)

    async def _request_crawl(self) -> str | None:
        self.crawl_requested.set()
        return "A crawl cycle starts now; new items will be alerted as usual."

    async def run(self, stop: asyncio.Event) -> None:
        """Poll for commands and deliver alerts until `stop`; a Telegram outage at start-up is
        retried, never fatal to the feeds and crawls."""
        delay = 5.0
        while not stop.is_set():
            try:
                async with running(self.application, self.settings):
                    log.info("telegram bot polling")
                    await self.sender.run_forever(stop)
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

    async def after_cycle(self, report: CycleReport) -> None:
        """Wake the sender; tell the admin chats when a source starts failing or recovers."""
        self.sender.wake()
        for source in report.sources:
            if source.health_event is None:
                continue
            detail = f": {source.errors[0]}" if source.errors else ""
            text = html.escape(f"icesco-watch: source {source.source} is {source.health_event}")
            text = f"<b>{text}</b>{html.escape(detail)}"
            for chat in self.settings.telegram.admin_chats:
                try:
                    await self.application.bot.send_message(chat, text[:4000], parse_mode="HTML")
                except TelegramError as exc:
                    log.warning(
                        "health alert not sent",
                        extra={"fields": {"chat": chat, "error": type(exc).__name__}},
                    )


async def deliver_now(settings: Settings, engine: Engine, timeout: float) -> DrainReport:
    """Drain the outbox once (for `icesco-watch crawl`): until empty or `timeout` seconds."""
    application = build_application(settings, engine)
    async with application:
        sender = Sender(settings, engine, application.bot)
        return await sender.drain(deadline=time.monotonic() + timeout)
