"""Which updates the bot handles, and in what order: per-chat budgets, per-chat order, fairness.

python-telegram-bot handles updates one at a time by default, so one chat's flood of commands
(each reply paced at 1 message/s per chat) delays every other chat's answer by the length of the
flood. Here updates run concurrently, serialised per chat (a chat's commands keep their order),
and each chat has a token bucket of commands: past it the chat gets one polite warning, then
silence until the bucket has refilled completely. The budget is charged when an update arrives,
before it waits for its chat's turn, so a flood costs a dictionary lookup per update and never
queues behind anyone.

Only commands addressed to this bot (`/help`, `/help@this_bot`) and button presses are handled;
`/status@other_bot` and ordinary chatter in groups are dropped here, in one place, before they
reach a handler or cost the chat any budget.
"""

from __future__ import annotations

import asyncio
import enum
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

COMMANDS_PER_MINUTE = 20
BURST = 10
MAX_CONCURRENT = 32
# PTB's own semaphore is held while an update waits for its chat's turn; ours is taken only once
# it is the chat's turn, so a chat with a queue never holds capacity another chat needs.
_UNBOUNDED = 1 << 30


class Admission(enum.Enum):
    RUN = "run"
    WARN = "warn"  # over budget: one "slow down" reply instead of the command
    DROP = "drop"  # over budget and already warned: silence


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float
    muted: bool = False


class CommandBudget:
    """Per chat: `burst` commands at once, refilled at `per_minute`. Past the budget the chat is
    warned once and then muted until its bucket is full again (`burst / per_minute` minutes)."""

    def __init__(self, per_minute: float = COMMANDS_PER_MINUTE, burst: int = BURST) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, _Bucket] = {}

    def admit(self, chat: str, now: float) -> Admission:
        bucket = self._buckets.get(chat)
        if bucket is None:
            if len(self._buckets) >= 10_000:
                self._forget(now)
            bucket = self._buckets[chat] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.muted:
            if bucket.tokens < self.burst:
                return Admission.DROP
            bucket.muted = False
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Admission.RUN
        bucket.muted = True
        return Admission.WARN

    def _forget(self, now: float) -> None:
        # A chat whose bucket has refilled holds no information; keep memory bounded.
        full = [
            chat
            for chat, b in self._buckets.items()
            if b.tokens + (now - b.stamp) * self.rate >= self.burst
        ]
        for chat in full:
            del self._buckets[chat]


def addressed_to_us(update: Update) -> bool:
    """A button press, or a command with no @bot or with this bot's @username."""
    if update.callback_query is not None:
        return True
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return False
    command = message.text.split(maxsplit=1)[0]
    _, at, addressee = command.partition("@")
    if not at:
        return True
    return addressee.casefold() == (update.get_bot().username or "").casefold()


class _Turn:
    """One chat's lock, with the number of updates holding or awaiting it (to free it)."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class FairUpdateProcessor(BaseUpdateProcessor):
    """PTB's update processor: admission by `budget`, then per-chat order, at most
    `max_concurrent` updates running at once across chats."""

    def __init__(
        self,
        budget: CommandBudget,
        warn: Callable[[Update], Awaitable[None]],
        max_concurrent: int = MAX_CONCURRENT,
    ) -> None:
        super().__init__(_UNBOUNDED)
        self.budget = budget
        self.warn = warn
        self._slots = asyncio.Semaphore(max_concurrent)
        self._turns: dict[str, _Turn] = {}
        self._closing = False

    def close(self) -> None:
        """The bot is stopping: updates still waiting for their chat's turn are dropped, so a
        stop waits for the commands being answered, not for every chat's queue."""
        self._closing = True

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update):
            await coroutine
            return
        if not addressed_to_us(update):
            _discard(coroutine)
            return
        chat = update.effective_chat
        if chat is None:
            async with self._slots:
                await coroutine
            return
        key = str(chat.id)
        admission = self.budget.admit(key, time.monotonic())
        if admission is Admission.DROP:
            _discard(coroutine)
            return
        if admission is Admission.WARN:
            _discard(coroutine)
            log.warning(
                "chat over its command budget: warned, then ignored for a while",
                extra={"fields": {"chat": key}},
            )
            coroutine = self._warn(update)
        turn = self._turns.setdefault(key, _Turn())
        turn.users += 1
        try:
            async with turn.lock, self._slots:
                if self._closing:
                    _discard(coroutine)
                    return
                await coroutine
        finally:
            turn.users -= 1
            if not turn.users:
                del self._turns[key]

    async def _warn(self, update: Update) -> None:
        try:
            await self.warn(update)
        except Exception as exc:  # outside PTB's error handlers: log it here, never raise
            log.warning("slow-down reply failed: %s", type(exc).__name__)


def _discard(coroutine: Awaitable[Any]) -> None:
    """Close an update's unawaited handler coroutine (else Python warns it was never awaited)."""
    if inspect.iscoroutine(coroutine):
        coroutine.close()
