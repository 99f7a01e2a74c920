"""Telegram's flood limits as our own pacing: global rate, 1/s per chat, 20/min per group.

We pace ourselves rather than wait for 429s: Telegram's answer to a burst is a pause for the
whole bot. Times are `time.monotonic()` seconds. A small margin absorbs the jitter between our
clock and the moment the request reaches the server.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import Protocol

MARGIN = 0.05


class SlotSource(Protocol):
    """Global send slots shared with other instances (see notifiers/telegram/shared.py)."""

    def next_slot(self, now: float) -> float:
        """The monotonic time of the next slot this process holds (reserving more if needed)."""
        ...

    def consume(self) -> None:
        """The next slot was used."""
        ...

    def pause(self, until: float) -> None:
        """Flood control answered: no instance sends before `until` (monotonic)."""
        ...


def is_group(chat: str) -> bool:
    """Negative ids are groups and channels; @names are channels (paced like groups)."""
    return chat.startswith(("-", "@"))


class SlidingWindow:
    """At most `limit` events in any `period` seconds."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._times: deque[float] = deque()

    def ready_at(self, now: float, others: Sequence[float] = ()) -> float:
        """When one more event fits, counting `others` (events recorded elsewhere) as well."""
        while self._times and self._times[0] + self.period <= now:
            self._times.popleft()
        times: Sequence[float] = self._times
        if others:
            times = sorted([*self._times, *(at for at in others if at + self.period > now)])
        if len(times) < self.limit:
            return now
        return times[-self.limit] + self.period

    def record(self, at: float) -> None:
        self._times.append(at)

    def idle(self, now: float) -> bool:
        self.ready_at(now)  # drops the events that left the window
        return not self._times


class Pacer:
    """When the next message to a chat may leave, and the bookkeeping once it does."""

    def __init__(
        self,
        rate_per_second: float,
        per_chat_interval: float = 1.0,
        group_per_minute: int = 20,
        margin: float = MARGIN,
        shared: SlotSource | None = None,
    ) -> None:
        # The global rate is a GCRA: messages 1/rate apart on average, each allowed to leave
        # up to half an interval early, so a late wake-up of the loop is made up by the next
        # message instead of being lost for good (no burst beyond one message ever builds up).
        self.interval = 1.0 / rate_per_second
        self._tolerance = self.interval / 2
        self._next_global = 0.0
        self._chat_period = per_chat_interval + margin
        self._group_limit = group_per_minute
        self._group_period = 60.0 + margin
        self._chats: dict[str, SlidingWindow] = {}
        self._groups: dict[str, SlidingWindow] = {}
        # Other instances' recent sends per chat, as the store last told them (see `prime`).
        self._others: dict[str, list[float]] = {}
        self._paused_until = 0.0
        # With several instances on one store the global rate is reserved there, slot by slot.
        self._shared = shared

    def ready_at(self, chat: str, now: float) -> float:
        """The earliest moment a message to `chat` respects every limit."""
        overall = (
            self._shared.next_slot(now)
            if self._shared is not None
            else self._next_global - self._tolerance
        )
        times = [now, overall, self._paused_until]
        others = self._others.get(chat, ())
        if chat in self._chats or others:
            window = self._chats.get(chat) or SlidingWindow(1, self._chat_period)
            times.append(window.ready_at(now, others))
        if is_group(chat) and (chat in self._groups or others):
            window = self._groups.get(chat) or SlidingWindow(self._group_limit, self._group_period)
            times.append(window.ready_at(now, others))
        return max(times)

    def record(self, chat: str, at: float) -> None:
        """A message to `chat` leaves now."""
        self._next_global = max(self._next_global, at) + self.interval
        if self._shared is not None:
            self._shared.consume()
        self._chats.setdefault(chat, SlidingWindow(1, self._chat_period)).record(at)
        if is_group(chat):
            window = SlidingWindow(self._group_limit, self._group_period)
            self._groups.setdefault(chat, window).record(at)
        if len(self._chats) > 10_000:
            self._forget(at)

    def answered(self, chat: str, at: float) -> None:
        """Telegram answered the message to `chat` at `at`, so it reached the server no later:
        the next message to that chat waits a full interval from here. Telegram counts the
        per-chat limit by its own clock; a request held up on its way (a busy event loop, a slow
        connection) followed by one sent on time would otherwise arrive too close behind it.
        Groups' per-minute windows keep the leaving time (one entry a message)."""
        window = self._chats.get(chat)
        if window is not None:
            window.record(at)

    def pause(self, until: float) -> None:
        """Flood control answered: nothing leaves before `until`."""
        self._paused_until = max(self._paused_until, until)
        if self._shared is not None:
            self._shared.pause(until)

    def prime(self, chat: str, sent: Iterable[float]) -> None:
        """The messages other instances sent to `chat` lately (monotonic times), so the per-chat
        and per-group limits hold across instances. `sent` is the store's whole recent record
        of them: it replaces what an earlier call said (counting a send twice would halve a
        group's rate), and it adds to this pacer's own sends, which it never includes. A chat
        one instance served a minute ago and another serves now is primed again each time."""
        times = sorted(sent)
        if times:
            self._others[chat] = times
        else:
            self._others.pop(chat, None)

    def _forget(self, now: float) -> None:
        # Chats idle for longer than their window hold no information; keep memory bounded.
        self._chats = {c: w for c, w in self._chats.items() if not w.idle(now)}
        self._groups = {c: w for c, w in self._groups.items() if not w.idle(now)}
        self._others = {c: t for c, t in self._others.items() if t[-1] + self._group_period > now}
