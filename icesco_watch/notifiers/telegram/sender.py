"""The outbox sender: delivers due deliveries oldest first within Telegram's limits.

Each message is marked sent (in its own transaction) only after Telegram accepted it, so a crash
loses nothing; at most the one message in flight is sent again. What a Telegram answer means for
a delivery is decided in `outcomes.py`; pacing lives in `limits.py`; which messages the claimed
deliveries become (stories, digests, forum topics) is `planner.py`'s. `now` is the clock every
time decision here reads, so tests move it instead of waiting.

It also sends the admin notices (`store/notices.py`: a source failing or recovered), claimed
beside the deliveries and sent first in their chat's turn, under the same pacer, claims, fence
and verdicts (`Message.notice` says which table a message's ids are in). A notice given up for
good is one warning line.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, select
from telegram import Bot
from telegram.constants import ParseMode

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.format import format_alert, to_plain
from icesco_watch.notifiers.telegram.forum import drop_closed_topic
from icesco_watch.notifiers.telegram.i18n import Translator, translator
from icesco_watch.notifiers.telegram.limits import Pacer
from icesco_watch.notifiers.telegram.outcomes import (
    Backoff,
    DrainReport,
    Message,
    Verdict,
    apply_verdict,
    ignore_retry_after_deprecation,
    judge,
)
from icesco_watch.notifiers.telegram.planner import AlertRenderer, Planner
from icesco_watch.notifiers.telegram.redact import (
    Redactor,
    install_log_redaction,
    quiet_http_logs,
)
from icesco_watch.notifiers.telegram.shared import prime_from_store, shared_pacer
from icesco_watch.store.leases import instance_id, is_dead_here
from icesco_watch.store.notices import Notice, claim_notices, notice_counts
from icesco_watch.store.outbox import (
    QUEUES,
    claim_deliveries,
    mark_skipped,
    next_due_at,
    pending_counts,
    release_claims,
    release_dead_claims,
    renew_claims,
)
from icesco_watch.store.schema import chats, notices

log = logging.getLogger(__name__)

BATCH = 1000
MAX_IN_FLIGHT = 32
STORE_RETRY = 5.0  # seconds before the delivery loop tries again when a pass failed
NOT_ADMIN = "the chat is no longer one of telegram.admin_chats"


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(order=True)
class _Turn:
    ready: float
    order: int
    chat: str


class Sender:
    """Drains the outbox through `bot` (a PTB `Bot`, or an `Application`'s bot)."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        bot: Bot,
        backoff: Backoff | None = None,
        render_alert: AlertRenderer = format_alert,
        pacer: Pacer | None = None,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.now = now
        # Deliveries are claimed under this name; another instance's sender has another.
        self.owner = instance_id()
        self.claim_lease = settings.telegram.claim_lease
        self._reaped = False
        self.planner = Planner(settings, engine, render_alert, now)
        self.engine = engine
        self.bot = bot
        self.backoff = backoff or Backoff()
        # Shared with the bot's command replies when the service passes one pacer to both.
        self.pacer = pacer or shared_pacer(settings, engine)
        token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
        self.redact = Redactor(token or bot.token)
        install_log_redaction(self.redact.token)
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._stop: asyncio.Event | None = None  # run_forever's: a drain ends early when set
        self.observers: list[Callable[[Verdict], None]] = []  # after a verdict is recorded
        quiet_http_logs()
        ignore_retry_after_deprecation()

    def wake(self) -> None:
        """New deliveries were enqueued: `run_forever` drains now instead of at its next tick."""
        self._wake.set()

    async def run_forever(self, stop: asyncio.Event, idle: float = 60.0) -> None:
        """The service's delivery loop: drain, then sleep until woken, due, or `stop`. On
        `stop` no new message leaves; the ones in flight are awaited and recorded."""
        self._stop = stop
        while not stop.is_set():
            self._wake.clear()  # before draining, so a wake() during the drain is not lost
            try:
                await self.drain()
                due = self._next_due()
            except Exception as exc:  # a bug or a broken store must not end the service
                # The store unreachable fails the next-due query too: outside this guard it
                # ended the loop, and no alert left any instance until a restart (a probe
                # with PostgreSQL down for 8 s). Retry after a short pause instead.
                log.error("delivery pass failed: %s", self.redact(repr(exc)))
                due = self.now() + timedelta(seconds=min(idle, STORE_RETRY))
            pause = idle if due is None else (due - self.now()).total_seconds()
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            timeout = min(max(pause, 0.05), idle)
            await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waits:
                waiter.cancel()

    async def drain(self, deadline: float | None = None) -> DrainReport:
        """Deliver everything due now, oldest first. With a `deadline` (a `time.monotonic()`
        instant) keep going, retries included, until nothing is pending or the deadline."""
        report = DrainReport()
        async with self._lock:
            if not self._reaped:
                # A crashed predecessor on this machine: its claims come back now, not at lease end.
                with self.engine.begin() as conn:
                    for table in QUEUES:
                        release_dead_claims(conn, is_dead_here, table)
                self._reaped = True
            await self._drain_claimed(report, deadline)
        with self.engine.connect() as conn:
            report.pending = pending_counts(conn)["pending"] + notice_counts(conn)["pending"]
        return report

    def _next_due(self) -> datetime | None:
        """When the earliest pending delivery or notice becomes due (None: nothing pending)."""
        with self.engine.connect() as conn:
            found = [due for table in QUEUES if (due := next_due_at(conn, table)) is not None]
        return min(found, default=None)

    async def _drain_claimed(self, report: DrainReport, deadline: float | None) -> None:
        while not self._stopping() and (deadline is None or time.monotonic() < deadline):
            with self.engine.begin() as conn:
                due = claim_deliveries(conn, self.owner, self.now(), BATCH, self.claim_lease)
            with self.engine.begin() as conn:
                told = claim_notices(conn, self.owner, self.now(), BATCH, self.claim_lease)
                told = self._for_admins(conn, told)
            if due or told:
                chats_due = [e.delivery.chat for e in due] + [n.chat for n in told]
                prime_from_store(self.pacer, self.engine, chats_due, self.owner, self.now())
                try:
                    plans = self.planner.plan(due) if due else {}
                    _put_notices_first(plans, told)
                    await self._deliver(plans, report, deadline)
                finally:
                    # A chat's later messages left unsent (its turn ended on an error) wait in
                    # the queue for whichever sender comes first, not behind this one's claim.
                    with self.engine.begin() as conn:
                        for table in QUEUES:
                            release_claims(conn, self.owner, table=table)
                continue
            if deadline is None:
                return
            upcoming = self._next_due()
            remaining = deadline - time.monotonic()
            # Nothing due before the deadline (a digest due tomorrow): waiting would change nothing.
            if upcoming is None or (upcoming - self.now()).total_seconds() > remaining:
                return
            wait = min((upcoming - self.now()).total_seconds(), remaining)
            # At least a moment: what is due may be held by another instance's sender.
            await asyncio.sleep(max(wait, 0.25))

    def _for_admins(self, conn: Connection, told: list[Notice]) -> list[Notice]:
        """The notices whose chat is still one of `telegram.admin_chats`; the others (the chat
        was removed from the config since the notice was queued) are skipped with the reason."""
        admins = set(self.settings.telegram.admin_chats)
        gone = [notice.id for notice in told if notice.chat not in admins]
        if gone:
            mark_skipped(conn, gone, NOT_ADMIN, table=notices)
            log.info("%d admin notice(s) skipped: %s", len(gone), NOT_ADMIN)
        return [notice for notice in told if notice.chat in admins]

    def _stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    async def _deliver(
        self, plans: dict[str, deque[Message]], report: DrainReport, deadline: float | None
    ) -> None:
        """Send the planned messages: chats interleave; one message per chat in flight."""
        turns = [_Turn(0.0, n, chat) for n, chat in enumerate(plans)]
        heapq.heapify(turns)
        running: dict[asyncio.Task[Verdict], str] = {}
        order = len(turns)
        renewed = time.monotonic()
        while turns or running:
            now = time.monotonic()
            if now - renewed > self.claim_lease.total_seconds() / 3:
                # A plan longer than the lease keeps what it holds; the fence below still checks.
                with self.engine.begin() as conn:
                    for table in QUEUES:
                        renew_claims(conn, self.owner, self.now() + self.claim_lease, table=table)
                renewed = now
            closing = self._stopping() or (deadline is not None and now >= deadline)
            wait: float | None = None
            if turns and not closing and len(running) < MAX_IN_FLIGHT:
                turn = turns[0]
                ready = self.pacer.ready_at(turn.chat, now)
                if ready <= now:
                    heapq.heappop(turns)
                    message = plans[turn.chat].popleft()
                    if not self._hold(message):
                        if plans[turn.chat]:
                            order += 1
                            heapq.heappush(turns, _Turn(0.0, order, turn.chat))
                        continue
                    self.pacer.record(turn.chat, now)
                    running[asyncio.create_task(self._send(message))] = turn.chat
                    continue
                wait = min(ready - now, 1.0)  # look at `stop` at least every second
            elif closing:
                turns.clear()
            if not running:
                await asyncio.sleep(wait or 0)
                continue
            done, _ = await asyncio.wait(running, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                chat = running.pop(task)
                self.pacer.answered(chat, time.monotonic())
                verdict = task.result()
                closed_before, failed_before = len(report.closed_topics), report.failed
                with self.engine.begin() as conn:
                    retry = apply_verdict(conn, verdict, self.backoff, self.now(), report)
                if verdict.message.notice and report.failed > failed_before:
                    log.warning(
                        "admin notice %s to chat %s failed for good: %s (%s)",
                        verdict.message.ids[0],
                        chat,
                        verdict.error,
                        verdict.kind,
                    )
                for observe in self.observers:  # e.g. metrics
                    observe(verdict)
                if verdict.pause:
                    self.pacer.pause(time.monotonic() + verdict.pause)
                queue = plans[chat]
                if retry is not None:
                    queue.appendleft(retry)
                elif not verdict.keep_going:
                    queue.clear()
                if verdict.kind == "topic_gone":
                    newly = len(report.closed_topics) > closed_before
                    t = self._chat_translator(chat)
                    drop_closed_topic(self.settings, verdict, queue, newly, t)
                elif retry is None and verdict.kind != "sent" and verdict.message.fallback:
                    for other in verdict.message.fallback:  # the group refused an admin notice
                        instead = replace(verdict.message, chat=other, fallback=())
                        if not plans.setdefault(other, deque()) and other not in running.values():
                            order += 1
                            heapq.heappush(turns, _Turn(0.0, order, other))
                        plans[other].append(instead)
                if queue:
                    order += 1
                    heapq.heappush(turns, _Turn(0.0, order, chat))

    def _chat_translator(self, chat: str) -> Translator:
        """The chat's interface language, for the sender's own notices."""
        with self.engine.connect() as conn:
            lang = conn.scalar(select(chats.c.ui_lang).where(chats.c.chat == chat))
        return translator(lang)

    def _hold(self, message: Message) -> bool:
        """Renew the claims of `message`'s deliveries just before sending it: True when this
        sender still holds them all. Otherwise another instance took them over after this one's
        lease ran out and sends them itself; what is still held of them is given back."""
        ids = set(message.ids)
        table = message.table
        with self.engine.begin() as conn:
            held = renew_claims(conn, self.owner, self.now() + self.claim_lease, ids, table)
            if held == ids:
                return True
            release_claims(conn, self.owner, held, table)
        log.info(
            "not sending %d delivery(ies) to chat %s: another sender took them over after this "
            "one's claim ran out",
            len(ids - held),
            message.chat,
        )
        return False

    async def _send(self, message: Message) -> Verdict:
        """One request to Telegram; never raises (the verdict carries what happened)."""
        text = to_plain(message.text) if message.plain else message.text
        timeout = self.settings.telegram.request_timeout.total_seconds()
        try:
            if message.edit_of is not None:
                await self.bot.edit_message_text(
                    chat_id=_chat_id(message.chat),
                    message_id=message.edit_of,
                    text=text,
                    parse_mode=None if message.plain else ParseMode.HTML,
                    read_timeout=timeout,
                    write_timeout=timeout,
                    connect_timeout=timeout,
                )
                return Verdict(message, message_id=message.edit_of)
            sent = await self.bot.send_message(
                chat_id=_chat_id(message.chat),
                text=text,
                parse_mode=None if message.plain else ParseMode.HTML,
                message_thread_id=message.thread,
                read_timeout=timeout,
                write_timeout=timeout,
                connect_timeout=timeout,
            )
        except Exception as exc:
            return judge(message, exc, self.redact)
        return Verdict(message, message_id=sent.message_id)


def _put_notices_first(plans: dict[str, deque[Message]], told: list[Notice]) -> None:
    """Each claimed notice as a message of its own, ahead of its chat's alerts: the service's
    health is the admins' first concern."""
    for notice in reversed(told):  # appendleft reverses: oldest stays first
        message = Message(
            notice.chat,
            notice.text,
            (notice.id,),
            attempts=notice.attempts,
            unconfirmed=notice.unconfirmed,
            notice=True,
        )
        plans.setdefault(notice.chat, deque()).appendleft(message)


def _chat_id(chat: str) -> int | str:
    return int(chat) if chat.lstrip("-").isdigit() else chat
