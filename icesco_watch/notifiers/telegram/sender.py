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
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from telegram import Bot
from telegram.constants import ParseMode

from icesco_watch.config.schema import SectorConfig, Settings
from icesco_watch.digests import parse_stored
from icesco_watch.models import NewsItem
from icesco_watch.notifiers.telegram.digest_format import format_scheduled_digest, heading
from icesco_watch.notifiers.telegram.format import format_alert, format_digest, to_plain
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
from icesco_watch.notifiers.telegram.redact import (
    Redactor,
    install_log_redaction,
    quiet_http_logs,
)
from icesco_watch.notifiers.telegram.shared import prime_from_store, shared_pacer
from icesco_watch.notifiers.telegram.stories import IN_DIGEST, Planned, plan_chat
from icesco_watch.store.items import items_by_key
from icesco_watch.store.leases import instance_id, is_dead_here
from icesco_watch.store.outbox import (
    DueDelivery,
    claim_deliveries,
    mark_skipped,
    next_due_at,
    pending_counts,
    release_claims,
    release_dead_claims,
    renew_claims,
    reschedule,
)
from icesco_watch.store.schema import chats
from icesco_watch.store.stories import story_states

log = logging.getLogger(__name__)

BATCH = 1000
MAX_IN_FLIGHT = 32
DIGEST_MAX_ITEMS = 30
# A story's version whose alert is pending elsewhere (another sender, a retry) looks again then.
STORY_WAIT = timedelta(seconds=30)


def utcnow() -> datetime:
    return datetime.now(UTC)


# How one item becomes a message (HTML), with its story's other versions (lang, url);
# format_alert unless a caller needs another form.
AlertRenderer = Callable[
    [NewsItem, Sequence[SectorConfig], str | None, Sequence[tuple[str, str]]], str
]


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
        """Per chat (oldest chat first), its messages: one per story (versions joined, or an
        edit of the story's message already sent), or digests past the limit (per forum topic: a
        digest never mixes two topics' items); then the scheduled digests that are due."""
        by_chat: dict[str, list[DueDelivery]] = {}
        scheduled: dict[str, list[DueDelivery]] = {}
        for entry in due:
            into = by_chat if entry.delivery.digest is None else scheduled
            into.setdefault(entry.delivery.chat, []).append(entry)
        with self.engine.begin() as conn:
            # Labels in the chat's interface language (NULL, e.g. a route's channel: the item's).
            wanted = [*by_chat, *scheduled]
            query = select(chats.c.chat, chats.c.ui_lang).where(chats.c.chat.in_(wanted))
            langs: dict[str, str | None] = {row.chat: row.ui_lang for row in conn.execute(query)}
            root_of, states = story_states(
                conn, [e.delivery.id for e in due if not e.delivery.digest]
            )
            heads = [s.item_key for s in states.values()]
            root_items = {k: v.item for k, v in items_by_key(conn, heads).items()}
            plans = {
                chat: plan_chat(entries, root_of, states, root_items)
                for chat, entries in by_chat.items()
            }
            for plan in plans.values():
                if plan.waiting:
                    later = self.now() + STORY_WAIT
                    reschedule(
                        conn,
                        plan.waiting,
                        later,
                        "waits for its story's alert",
                        count_attempt=False,
                    )
                if plan.skipped:
                    mark_skipped(conn, plan.skipped, IN_DIGEST)
        messages: dict[str, deque[Message]] = {}
        for chat, plan in plans.items():
            lang = langs.get(chat)
            by_thread: dict[int | None, list[Planned]] = {}
            for planned in plan.planned:
                if planned.edit_of is None:
                    by_thread.setdefault(planned.thread, []).append(planned)
            edits = [self._alert(chat, p, lang) for p in plan.planned if p.edit_of is not None]
            queue: deque[Message] = deque()
            for alerts in by_thread.values():
                if len(alerts) > self.settings.telegram.digest_after:
                    queue.extend(self._digests(chat, alerts, lang))
                else:
                    queue.extend(self._alert(chat, p, lang) for p in alerts)
            queue.extend(edits)
            if queue:
                messages[chat] = queue
        for chat, entries in scheduled.items():
            lang = langs.get(chat)
            by_topic: dict[int | None, list[DueDelivery]] = {}
            for entry in entries:
                by_topic.setdefault(entry.delivery.thread, []).append(entry)
            queue = messages.setdefault(chat, deque())
            for group in by_topic.values():
                queue.extend(self._scheduled(chat, group, lang))
        return messages

    def _scheduled(self, chat: str, entries: list[DueDelivery], lang: str | None) -> list[Message]:
        """A scheduled digest of everything due for the chat or one of its forum topics (also
        what waited while the service was down: one digest, not one per missed period)."""
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
                    thread=latest.delivery.thread,
                )
            )
        return messages

    def _digests(self, chat: str, entries: list[Planned], lang: str | None) -> list[Message]:
        """Digest messages, each a whole number of items, so each delivery maps to one message
        (a crash between two parts then repeats at most one part)."""
        messages: list[Message] = []
        group: list[Planned] = []
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

    def _alert(self, chat: str, entry: Planned, lang: str | None) -> Message:
        text = self.render_alert(entry.item, self.settings.sectors, lang, entry.also_in)
        return Message(
            chat,
            text,
            entry.ids,
            attempts=entry.attempts,
            unconfirmed=entry.unconfirmed,
            edit_of=entry.edit_of,
            thread=entry.thread,
        )

    def _digest(self, chat: str, group: list[Planned], lang: str | None) -> Message:
        if len(group) == 1:
            return self._alert(chat, group[0], lang)
        text = format_digest([e.item for e in group], self.settings.sectors, lang)[0]
        ids = tuple(i for e in group for i in e.ids)
        attempts = max(e.attempts for e in group)
        unconfirmed = max(e.unconfirmed for e in group)
        return Message(
            chat,
            text,
            ids,
            digest=True,
            attempts=attempts,
            unconfirmed=unconfirmed,
            thread=group[0].thread,
        )

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
                    renew_claims(conn, self.owner, self.now() + self.claim_lease)
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
                verdict = task.result()
                closed_before = len(report.closed_topics)
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
        with self.engine.begin() as conn:
            held = renew_claims(conn, self.owner, self.now() + self.claim_lease, ids)
            if held == ids:
                return True
            release_claims(conn, self.owner, held)
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


def _chat_id(chat: str) -> int | str:
    return int(chat) if chat.lstrip("-").isdigit() else chat
