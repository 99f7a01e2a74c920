"""The outbox sender: delivers due deliveries oldest first within Telegram's limits.

Each message is marked sent (in its own transaction) only after Telegram accepted it, so a crash
loses nothing; at most the one message in flight is sent again. What a Telegram answer means for
a delivery is decided in `outcomes.py`; pacing lives in `limits.py`. Deliveries routing put in
a scheduled digest become that digest's messages (`digest_format.py`); `now` is the clock every
time decision here reads, so tests move it instead of waiting.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from telegram import Bot
from telegram.constants import ParseMode

from icesco_watch.config.schema import SectorConfig, Settings
from icesco_watch.digests import parse_stored
from icesco_watch.models import NewsItem
from icesco_watch.notifiers.telegram.digest_format import format_scheduled_digest, heading
from icesco_watch.notifiers.telegram.format import format_alert, format_digest, to_plain
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
from icesco_watch.notifiers.telegram.redact import (
    Redactor,
    install_log_redaction,
    quiet_http_logs,
)
from icesco_watch.notifiers.telegram.shared import prime_from_store, shared_pacer
from icesco_watch.store.leases import instance_id, is_dead_here
from icesco_watch.store.outbox import (
    DueDelivery,
    claim_deliveries,
    next_due_at,
    pending_counts,
    release_claims,
    release_dead_claims,
)
from icesco_watch.store.schema import chats

log = logging.getLogger(__name__)

BATCH = 1000
MAX_IN_FLIGHT = 32
DIGEST_MAX_ITEMS = 30


def utcnow() -> datetime:
    return datetime.now(UTC)


# How one item becomes a message (HTML); format_alert unless a caller needs another form.
AlertRenderer = Callable[[NewsItem, Sequence[SectorConfig], str | None], str]


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
        self.render_alert = render_alert
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
            except Exception as exc:  # a bug or a broken store must not end the service
                log.error("delivery pass failed: %s", self.redact(repr(exc)))
            with self.engine.connect() as conn:
                due = next_due_at(conn)
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
                    release_dead_claims(conn, is_dead_here)
                self._reaped = True
            await self._drain_claimed(report, deadline)
        with self.engine.connect() as conn:
            report.pending = pending_counts(conn)["pending"]
        return report

    async def _drain_claimed(self, report: DrainReport, deadline: float | None) -> None:
        while not self._stopping() and (deadline is None or time.monotonic() < deadline):
            with self.engine.begin() as conn:
                due = claim_deliveries(conn, self.owner, self.now(), BATCH, self.claim_lease)
            if due:
                chats_due = [e.delivery.chat for e in due]
                prime_from_store(self.pacer, self.engine, chats_due, self.now())
                try:
                    await self._deliver(self._messages(due), report, deadline)
                finally:
                    # A chat's later messages left unsent (its turn ended on an error) wait in
                    # the queue for whichever sender comes first, not behind this one's claim.
                    with self.engine.begin() as conn:
                        release_claims(conn, self.owner)
                continue
            if deadline is None:
                return
            with self.engine.connect() as conn:
                upcoming = next_due_at(conn)
            remaining = deadline - time.monotonic()
            # Nothing due before the deadline (a digest due tomorrow): waiting would change nothing.
            if upcoming is None or (upcoming - self.now()).total_seconds() > remaining:
                return
            wait = min((upcoming - self.now()).total_seconds(), remaining)
            # At least a moment: what is due may be held by another instance's sender.
            await asyncio.sleep(max(wait, 0.25))

    def _stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    def _messages(self, due: Sequence[DueDelivery]) -> dict[str, deque[Message]]:
        """Per chat (oldest chat first), its messages: one per item, or digests past the limit."""
        by_chat: dict[str, list[DueDelivery]] = {}
        for entry in due:
            by_chat.setdefault(entry.delivery.chat, []).append(entry)
        with self.engine.connect() as conn:
            query = select(chats.c.chat, chats.c.lang).where(chats.c.chat.in_(list(by_chat)))
            langs: dict[str, str | None] = {row.chat: row.lang for row in conn.execute(query)}
        plans: dict[str, deque[Message]] = {}
        for chat, all_entries in by_chat.items():
            lang = langs.get(chat)
            entries = [e for e in all_entries if e.delivery.digest is None]
            if len(entries) > self.settings.telegram.digest_after:
                plans[chat] = deque(self._digests(chat, entries, lang))
            else:
                plans[chat] = deque(self._alert(chat, entry, lang) for entry in entries)
            scheduled = [e for e in all_entries if e.delivery.digest is not None]
            plans[chat].extend(self._scheduled(chat, scheduled, lang))
        return plans

    def _scheduled(self, chat: str, entries: list[DueDelivery], lang: str | None) -> list[Message]:
        """A scheduled digest of everything due for the chat (also what waited while the
        service was down: one digest, not one per missed period)."""
        if not entries:
            return []
        latest = max(entries, key=lambda e: (e.delivery.next_attempt_at, e.delivery.id))
        schedule = parse_stored(latest.delivery.digest)
        earliest = min(e.delivery.created_at for e in entries)
        title = heading(schedule, latest.delivery.next_attempt_at, earliest, lang or "en")
        items = [e.item for e in entries]
        by_key = {e.item.key: e.delivery for e in entries}
        messages = []
        for part in format_scheduled_digest(items, self.settings.sectors, title, lang or "en"):
            carried = [by_key[key] for key in part.keys]
            messages.append(
                Message(
                    chat,
                    part.text,
                    tuple(d.id for d in carried),
                    digest=True,
                    attempts=max(d.attempts for d in carried),
                    unconfirmed=max(d.unconfirmed for d in carried),
                )
            )
        return messages

    def _digests(self, chat: str, entries: list[DueDelivery], lang: str | None) -> list[Message]:
        """Digest messages, each a whole number of items, so each delivery maps to one message
        (a crash between two parts then repeats at most one part)."""
        messages: list[Message] = []
        group: list[DueDelivery] = []
        for entry in entries:
            candidate = [*group, entry]
            parts = format_digest([e.item for e in candidate], self.settings.sectors, lang)
            if group and (len(parts) > 1 or len(candidate) > DIGEST_MAX_ITEMS):
                messages.append(self._digest(chat, group, lang))
                group = [entry]
            else:
                group = candidate
        if group:
            messages.append(self._digest(chat, group, lang))
        return messages

    def _alert(self, chat: str, entry: DueDelivery, lang: str | None) -> Message:
        text = self.render_alert(entry.item, self.settings.sectors, lang)
        delivery = entry.delivery
        return Message(
            chat,
            text,
            (delivery.id,),
            attempts=delivery.attempts,
            unconfirmed=delivery.unconfirmed,
        )

    def _digest(self, chat: str, group: list[DueDelivery], lang: str | None) -> Message:
        if len(group) == 1:
            return self._alert(chat, group[0], lang)
        text = format_digest([e.item for e in group], self.settings.sectors, lang)[0]
        ids = tuple(e.delivery.id for e in group)
        attempts = max(e.delivery.attempts for e in group)
        unconfirmed = max(e.delivery.unconfirmed for e in group)
        return Message(chat, text, ids, digest=True, attempts=attempts, unconfirmed=unconfirmed)

    async def _deliver(
        self, plans: dict[str, deque[Message]], report: DrainReport, deadline: float | None
    ) -> None:
        """Send the planned messages: chats interleave; one message per chat in flight."""
        turns = [_Turn(0.0, n, chat) for n, chat in enumerate(plans)]
        heapq.heapify(turns)
        running: dict[asyncio.Task[Verdict], str] = {}
        order = len(turns)
        while turns or running:
            now = time.monotonic()
            closing = self._stopping() or (deadline is not None and now >= deadline)
            wait: float | None = None
            if turns and not closing and len(running) < MAX_IN_FLIGHT:
                turn = turns[0]
                ready = self.pacer.ready_at(turn.chat, now)
                if ready <= now:
                    heapq.heappop(turns)
                    message = plans[turn.chat].popleft()
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
                verdict = task.result()
                with self.engine.begin() as conn:
                    retry = apply_verdict(conn, verdict, self.backoff, self.now(), report)
                for observe in self.observers:  # e.g. metrics
                    observe(verdict)
                if verdict.pause:
                    self.pacer.pause(time.monotonic() + verdict.pause)
                queue = plans[chat]
                if retry is not None:
                    queue.appendleft(retry)
                elif not verdict.keep_going:
                    queue.clear()
                if queue:
                    order += 1
                    heapq.heappush(turns, _Turn(0.0, order, chat))

    async def _send(self, message: Message) -> Verdict:
        """One request to Telegram; never raises (the verdict carries what happened)."""
        text = to_plain(message.text) if message.plain else message.text
        try:
            sent = await self.bot.send_message(
                chat_id=_chat_id(message.chat),
                text=text,
                parse_mode=None if message.plain else ParseMode.HTML,
                read_timeout=self.settings.telegram.request_timeout.total_seconds(),
                write_timeout=self.settings.telegram.request_timeout.total_seconds(),
                connect_timeout=self.settings.telegram.request_timeout.total_seconds(),
            )
        except Exception as exc:
            return judge(message, exc, self.redact)
        return Verdict(message, message_id=sent.message_id)


def _chat_id(chat: str) -> int | str:
    return int(chat) if chat.lstrip("-").isdigit() else chat
