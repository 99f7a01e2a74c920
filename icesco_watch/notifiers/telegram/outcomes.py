"""What a Telegram answer means for the deliveries a message carries, and the record of a drain.

200: sent. 429: wait `retry_after`, keep pending. 403: the chat blocked us, so it becomes
inactive and its queue is skipped. 400: one retry as plain text, then failed (one bad item never
blocks the queue). A request that certainly never reached Telegram (connection refused, connect
or pool timeout) and a 5xx answer: back off, keep pending, fail after `Backoff.max_attempts`.

A request that left but got no answer (read or write timeout, connection closed before the
answer) is *unconfirmed*: Telegram may have accepted it late, and resending it at every retry
showed users the same alert three times. After one unconfirmed send a delivery gets one retry;
a second unconfirmed send marks it failed, with a reason saying it may have arrived. Failed, not
sent: "sent" means Telegram accepted it (we hold its message id), which we cannot claim; failed
with that reason keeps `status` honest and points the operator at a possible, not a certain,
loss. A user thus sees an alert at most twice, never three times.

A forum topic that is closed or deleted (a 400 naming the topic, for a message sent into one)
is neither retried nor resent as plain text: nothing we change makes Telegram accept it. The
message fails, everything else queued for that topic is skipped, the topic is recorded as
closed (its routes stop), and the sender tells the admins once (`forum.py`).

An admin notice (`store/notices.py`: a source failing or recovered) is judged and recorded by
the same rules, in its own table; a chat that blocked the bot fails the notice (the admin chat
is not a subscriber: nothing else of it is skipped or deactivated).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Connection, Table
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from icesco_watch.store.outbox import (
    mark_failed,
    mark_sent,
    reschedule,
    skip_pending_for_chat,
)
from icesco_watch.store.schema import deliveries, notices
from icesco_watch.store.subscriptions import set_active
from icesco_watch.store.topics import close_topic

# Telegram's descriptions for a topic that is gone: closed ("Bad Request: TOPIC_CLOSED"),
# deleted ("Bad Request: TOPIC_DELETED", or, for a thread id it no longer knows, "Bad Request:
# message thread not found"). PTB drops the "Bad Request: " prefix and capitalises the rest.
TOPIC_GONE = ("topic_closed", "topic_deleted", "message thread not found")


@dataclass(frozen=True, slots=True)
class Message:
    """One Telegram message to send, and the deliveries it carries."""

    chat: str
    text: str  # HTML
    ids: tuple[int, ...]
    digest: bool = False
    plain: bool = False  # the retry without parse mode, after Telegram refused the HTML
    attempts: int = 0  # the most attempts any of its deliveries has had
    refusal: str = ""  # why Telegram refused the HTML, once it has
    unconfirmed: int = 0  # the most unconfirmed sends any of its deliveries has had
    thread: int | None = None  # the forum topic (message_thread_id); None: the chat itself
    # Chats to send this message to instead if its own chat refuses it (an admin notice).
    fallback: tuple[str, ...] = ()
    edit_of: int | None = None  # a message already sent to edit (a story's new version)
    notice: bool = False  # `ids` are admin notices (table `notices`), not deliveries

    @property
    def table(self) -> Table:
        """The queue whose rows `ids` are."""
        return notices if self.notice else deliveries


@dataclass(frozen=True, slots=True)
class Verdict:
    """What happened to one request."""

    message: Message
    message_id: int | None = None
    # sent | flood | blocked | refused | topic_gone | transient | unconfirmed
    kind: str = "sent"
    error: str = ""
    pause: float = 0.0  # seconds Telegram told us to wait (429)

    @property
    def keep_going(self) -> bool:
        """Whether the chat's next message may follow in this pass."""
        return self.kind in ("sent", "refused", "topic_gone")


@dataclass(frozen=True, slots=True)
class Backoff:
    """Retry delays for transient failures: base, doubling, capped; failed after max_attempts."""

    base: float = 5.0
    cap: float = 900.0
    max_attempts: int = 8

    def delay(self, attempt: int) -> timedelta:
        return timedelta(seconds=min(self.cap, self.base * 2 ** max(attempt - 1, 0)))


@dataclass(slots=True)
class DrainReport:
    """Counts of deliveries (not messages, except `messages` and `digests`) of one drain."""

    sent: int = 0
    messages: int = 0
    digests: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0  # rescheduled after a transient failure or a first unconfirmed send
    unconfirmed: int = 0  # failed after a second unconfirmed send (may have arrived)
    plain_retries: int = 0
    flood_waits: int = 0
    pending: int = 0  # still pending when the drain ended
    closed_topics: list[tuple[str, int]] = field(default_factory=list)  # newly, (chat, thread)


def judge(message: Message, exc: Exception, redact: Callable[[str], str]) -> Verdict:
    """The verdict on a request that raised `exc`."""
    error = redact(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, RetryAfter):
        return Verdict(message, kind="flood", error=error, pause=retry_after_seconds(exc))
    if isinstance(exc, Forbidden):
        return Verdict(message, kind="blocked", error=error)
    if isinstance(exc, ChatMigrated):
        error = f"{error} (the group moved to chat {exc.new_chat_id})"
        return Verdict(message, kind="blocked", error=error)
    if isinstance(exc, BadRequest) and message.thread is not None and topic_gone(exc):
        return Verdict(message, kind="topic_gone", error=error)
    if isinstance(exc, BadRequest):
        if message.edit_of is not None and "not modified" in str(exc):
            # An edit that reached Telegram before (its answer lost) already shows the text.
            return Verdict(message, message_id=message.edit_of)
        return Verdict(message, kind="refused", error=error)
    if _left_without_answer(exc):
        return Verdict(message, kind="unconfirmed", error=error)
    return Verdict(message, kind="transient", error=error)


# A command's reply is not queued: the user who typed the command is waiting for it. It is
# retried in place, a few times within REPLY_WAIT seconds. Telegram asks for 1-5 s after a burst
# in one chat; past half a minute the user has typed the command again (or given up), and a
# chat's commands run one at a time (`fairness`), so a longer wait would also hold its next ones.
REPLY_ATTEMPTS = 4
REPLY_WAIT = 30.0
REPLY_BACKOFF = Backoff(base=1.0, cap=8.0, max_attempts=REPLY_ATTEMPTS)


def reply_retry_in(verdict: Verdict, attempt: int, waited: float) -> float | None:
    """Seconds to wait before sending a failed command reply again, after its `attempt`-th try
    and `waited` seconds of earlier waits; None: give up. Telegram's answer reads as for the
    outbox (`judge`): a 429 waits its retry_after (never less: an earlier try is refused
    again), a request that never reached Telegram or a 5xx backs off briefly. One that may have
    arrived (no answer) is not sent again, so a user never sees a reply twice; a refusal (400,
    403, a closed topic) stays one whatever we wait."""
    if verdict.kind == "flood":
        wait = verdict.pause
    elif verdict.kind == "transient":
        wait = REPLY_BACKOFF.delay(attempt).total_seconds()
    else:
        return None
    if attempt >= REPLY_ATTEMPTS or waited + wait > REPLY_WAIT:
        return None
    return wait


def topic_gone(exc: BadRequest) -> bool:
    """Whether Telegram refused because the message's forum topic is closed or deleted."""
    description = exc.message.casefold()
    return any(marker in description for marker in TOPIC_GONE)


# httpx errors raised before a request could reach Telegram: resending is always safe.
_NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)


def no_answer(exc: BaseException) -> bool:
    """Whether the Bot API never answered: the request could not reach it, or left and nothing
    came back (PTB wraps the transport error: TimedOut / NetworkError raised from an httpx
    exception). A 4xx or 5xx has no httpx cause: Telegram answered."""
    return isinstance(exc.__cause__, httpx.TransportError)


def _left_without_answer(exc: Exception) -> bool:
    """The request may have reached Telegram, but no answer came back. A 5xx has no httpx
    cause: Telegram answered, and did not send."""
    return no_answer(exc) and not isinstance(exc.__cause__, _NEVER_SENT)


def ignore_retry_after_deprecation() -> None:
    """PTB 22 builds every RetryAfter through a property that warns about its future type. The
    warning is about PTB's own code; unfiltered (or turned into errors) it would break the 429
    handling itself."""
    warnings.filterwarnings(
        "ignore", message=r".*`retry_after` will be of type", category=PTBDeprecationWarning
    )


def retry_after_seconds(exc: RetryAfter) -> float:
    """How long a 429 asks us to wait, in seconds."""
    # PTB 22 warns when retry_after is read as an int; either form means seconds.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def apply_verdict(
    conn: Connection, verdict: Verdict, backoff: Backoff, now: datetime, report: DrainReport
) -> Message | None:
    """Record `verdict` in the outbox; returns a message to send next in its place, if any."""
    message = verdict.message
    ids = message.ids
    table = message.table
    if verdict.kind == "sent":
        assert verdict.message_id is not None
        mark_sent(conn, ids, verdict.message_id, now, table)
        report.sent += len(ids)
        report.messages += 1
        report.digests += int(message.digest)
        return None
    if verdict.kind == "flood":
        report.flood_waits += 1
        return message  # still pending; the pacer holds every chat for the pause
    if verdict.kind == "blocked" and message.notice:
        mark_failed(conn, ids, f"the chat blocked the bot or moved: {verdict.error}", table)
        report.failed += len(ids)
        return None
    if verdict.kind == "blocked":
        set_active(conn, message.chat, False, now)
        report.skipped += skip_pending_for_chat(conn, message.chat, verdict.error)
        return None
    if verdict.kind == "topic_gone":
        assert message.thread is not None
        reason = (
            f"Telegram refused forum topic {message.thread} ({verdict.error}); its alerts are "
            "suspended until an admin types /here in a topic or the config names another thread"
        )
        new, skipped = close_topic(conn, message.chat, message.thread, ids, reason, now)
        report.failed += len(ids)
        report.skipped += skipped
        if new:
            report.closed_topics.append((message.chat, message.thread))
        return None
    if verdict.kind == "refused":
        if not message.plain:
            report.plain_retries += 1
            return replace(message, plain=True, refusal=verdict.error)
        reason = (
            f"Telegram refused the message as HTML ({message.refusal}) "
            f"and as plain text ({verdict.error})"
        )
        mark_failed(conn, ids, reason, table)
        report.failed += len(ids)
        return None
    attempts = message.attempts + 1
    if verdict.kind == "unconfirmed" and message.unconfirmed >= 1:
        reason = (
            f"no answer from Telegram twice ({verdict.error}); the message may have arrived, so "
            "it is not sent a third time"
        )
        mark_failed(conn, ids, reason, table)
        report.failed += len(ids)
        report.unconfirmed += len(ids)
        return None
    if attempts >= backoff.max_attempts:
        mark_failed(conn, ids, f"gave up after {attempts} attempts: {verdict.error}", table)
        report.failed += len(ids)
        return None
    unconfirmed = verdict.kind == "unconfirmed"
    reschedule(
        conn,
        ids,
        now + backoff.delay(attempts),
        verdict.error,
        unconfirmed=unconfirmed,
        table=table,
    )
    report.retried += len(ids)
    return None
