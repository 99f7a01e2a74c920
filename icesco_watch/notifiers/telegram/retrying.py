"""Requests made outside the outbox: paced with the sender, retried in place, given up plainly.

A command's reply and a button's answer are not queued in the outbox: someone is waiting for
them. (An admin chat's health notice was sent here too, and lost when the process died or
Telegram was out longer than these tries; it is queued now: `store/notices.py`.)
Each goes through `Retrying.send`: it waits its chat's turn in the pacer
the sender also uses (so together they keep Telegram's limits), reads a failure as the outbox
does (`outcomes.judge`), and retries as `outcomes.reply_retry_in` decides: a 429's retry_after,
a brief backoff after a 5xx or a request that never left, a bounded number of tries and
seconds; never a second copy of a message that may have arrived. Giving up is one log line on
the caller's logger, with the error's text redacted of the token.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from telegram.error import TelegramError

from icesco_watch.notifiers.telegram.limits import Pacer
from icesco_watch.notifiers.telegram.outcomes import Message, judge, reply_retry_in
from icesco_watch.notifiers.telegram.redact import Redactor

# Why a request was given up, by `outcomes.Verdict.kind`, for the log line.
GIVEN_UP = {
    "flood": "Telegram kept asking to wait, longer than a waiting user is held",
    "transient": "Telegram or the connection kept failing",
    "unconfirmed": "no answer; it may have arrived, so it is not sent again",
    "refused": "Telegram refused it",
    "blocked": "the chat blocked the bot or moved",
    "topic_gone": "the forum topic is closed or deleted",
}


class Retrying:
    """One chat request at a time: paced, retried, or given up with one line on `log`."""

    def __init__(self, pacer: Pacer, redact: Redactor, log: logging.Logger) -> None:
        self.pacer = pacer
        self.redact = redact
        self.log = log

    async def send(
        self,
        chat_id: int | str,
        what: str,
        call: Callable[[], Awaitable[object]],
        paced: bool = True,
    ) -> bool:
        """Make `call` (a request to `chat_id`, named `what` in the log), retrying as
        `outcomes.reply_retry_in` decides; False, with one log line, when given up. `paced`: a
        message to the chat, which waits its turn in the pacer first (a button's answer is not
        a message and is not paced)."""
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            if paced:
                await self.pace(str(chat_id))
            try:
                await call()
                return True
            except TelegramError as exc:
                verdict = judge(Message(str(chat_id), "", ()), exc, self.redact)
            wait = reply_retry_in(verdict, attempt, waited)
            if wait is None:
                self.log.warning(
                    "%s to chat %s given up after %d attempt(s) in %.0f s of waiting: %s (%s)",
                    what,
                    chat_id,
                    attempt,
                    waited,
                    verdict.error,
                    GIVEN_UP[verdict.kind],
                )
                return False
            if verdict.kind == "flood":  # every send waits, the sender's too (shared pacer)
                self.pacer.pause(time.monotonic() + wait)
            if not paced or verdict.kind != "flood":  # (a paced retry waits in `pace`)
                await asyncio.sleep(wait)
            waited += wait

    async def pace(self, chat: str) -> None:
        """Wait for the chat's turn; the send is recorded when it really leaves, after the
        sleep, so requests made here and the sender's together keep Telegram's 1 message/s
        per chat and the global rate."""
        now = time.monotonic()
        await asyncio.sleep(max(0.0, self.pacer.ready_at(chat, now) - now))
        self.pacer.record(chat, time.monotonic())
