"""Telegram's limits across instances: global send slots reserved in the store, and the recent
sends of other instances primed into this process's pacer.

A `StoreSlots` reserves a small block of global slots at a time (one short transaction per
block), converts them to this process's monotonic clock, and hands them out in order; a slot
missed by more than half an interval is dropped rather than spent in a burst. A flood wait is
written to the store, so every instance pauses.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.limits import Pacer
from icesco_watch.store.pacing import pause_all, recent_sends, reserve_slots

BLOCK = 5  # slots reserved per transaction: 0.2 s of sending at 25 messages/s
RECENT = timedelta(seconds=61)  # the longest window a limit looks back (20 per minute in groups)


class StoreSlots:
    """Global send slots from the store's shared GCRA (implements limits.SlotSource)."""

    def __init__(self, engine: Engine, rate_per_second: float, block: int = BLOCK) -> None:
        self.engine = engine
        # 2% under the configured rate: slots of two processes interleave, and a slot sent late
        # beside one sent on time must not put one message too many in Telegram's window.
        self.interval = 1.02 / rate_per_second
        self.block = block
        self._slots: deque[float] = deque()

    def next_slot(self, now: float) -> float:
        while self._slots and self._slots[0] < now - self.interval / 2:
            # Missed by more than half a slot: spent late, beside another instance's slot spent
            # on time, it would put one message too many in Telegram's one-second window.
            self._slots.popleft()
        if not self._slots:
            self._reserve()
        return self._slots[0]

    def consume(self) -> None:
        if self._slots:
            self._slots.popleft()

    def pause(self, until: float) -> None:
        with self.engine.begin() as conn:
            pause_all(conn, time.time() + (until - time.monotonic()))
        self._slots.clear()

    def _reserve(self) -> None:
        with self.engine.begin() as conn:
            first = reserve_slots(conn, time.time(), self.interval, self.block)
        offset = time.monotonic() - time.time()
        self._slots.extend(first + offset + n * self.interval for n in range(self.block))


def shared_pacer(settings: Settings, engine: Engine) -> Pacer:
    """The pacer of one process whose global rate is shared with every instance on the store."""
    rate = settings.telegram.rate_per_second
    return Pacer(rate, shared=StoreSlots(engine, rate))


def prime_from_store(
    pacer: Pacer, engine: Engine, chats: Sequence[str], owner: str, now: datetime | None = None
) -> None:
    """Tell `pacer` (the sender `owner`'s) about the messages other instances sent to `chats`
    lately. `now` is the clock the senders record `sent_at` with (the wall clock by default)."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        sends = recent_sends(conn, chats, now - RECENT, other_than=owner)
    offset = time.monotonic()
    for chat in set(chats):
        pacer.prime(chat, [offset - (now - at).total_seconds() for at in sends.get(chat, [])])
