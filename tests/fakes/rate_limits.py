"""Telegram's flood control for the fake Bot API: sliding windows per bot, chat and group.

Telegram documents its limits loosely ("about 30 messages per second", "no more than one message
per second in a chat", "no more than 20 messages per minute to the same group") and tolerates
short bursts. The fake enforces each limit over a sliding window shortened by TOLERANCE (10 %):
a sender that keeps the exact documented rate by its own clock is never refused even when
loopback scheduling bunches two requests a few milliseconds together, while a sender that exceeds
a limit by more than 10 % (or sends two messages to one chat at once) is answered 429.
"""

from __future__ import annotations

import math
from collections import deque

TOLERANCE = 0.10


class SlidingWindow:
    """At most `limit` events in any `window` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._times: deque[float] = deque()

    @classmethod
    def per_second(cls, rate: float) -> SlidingWindow:
        """`rate` events per second, fractional rates as one event per 1/rate seconds."""
        if rate >= 1:
            return cls(round(rate), 1.0 * (1 - TOLERANCE))
        return cls(1, (1 / rate) * (1 - TOLERANCE))

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        while self._times and self._times[0] <= now - self.window:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self._times[0] + self.window - now

    def record(self, now: float) -> None:
        self._times.append(now)


class FloodControl:
    """The three limits on sendMessage; `check` says how long to wait, `record` counts a send."""

    def __init__(
        self, global_per_second: float, chat_per_second: float, group_per_minute: int
    ) -> None:
        self._global = SlidingWindow.per_second(global_per_second)
        self._chat_per_second = chat_per_second
        self._group_per_minute = group_per_minute
        self._chats: dict[int | str, SlidingWindow] = {}

    def _chat_window(self, chat: int | str) -> SlidingWindow:
        window = self._chats.get(chat)
        if window is None:
            if is_group(chat):
                window = SlidingWindow(self._group_per_minute, 60.0 * (1 - TOLERANCE))
            else:
                window = SlidingWindow.per_second(self._chat_per_second)
            self._chats[chat] = window
        return window

    def retry_after(self, chat: int | str, now: float) -> int:
        """0 if a message to `chat` may go now, else Telegram's whole-second retry_after."""
        wait = max(self._global.wait(now), self._chat_window(chat).wait(now))
        return 0 if wait <= 0 else max(1, math.ceil(wait))

    def exceeded(self, chat: int | str, now: float) -> list[str]:
        """Which limits a message to `chat` now would break: "global", "chat" or "group"."""
        found = ["global"] if self._global.wait(now) > 0 else []
        if self._chat_window(chat).wait(now) > 0:
            found.append("group" if is_group(chat) else "chat")
        return found

    def record(self, chat: int | str, now: float) -> None:
        self._global.record(now)
        self._chat_window(chat).record(now)


def is_group(chat: int | str) -> bool:
    """Groups, supergroups and channels have negative ids (or are addressed as @name)."""
    return isinstance(chat, str) or chat < 0
