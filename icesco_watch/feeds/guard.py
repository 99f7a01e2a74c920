"""The feed server's defences against slow, idle, too many and malformed clients.

aiohttp's own `keepalive_timeout` closes a connection idle *between* requests, but it has no
documented limit on how long a client may take to send a request's head, and no cap on
connections: a few hundred half-sent requests used to hold a file descriptor each until the
process ran out, and CPython 3.11's accept loop then logged "Too many open files" with a
traceback up to `backlog` times per loop turn (over a gigabyte in minutes). So every
connection passes through `GuardedProtocol`, a thin wrapper around aiohttp's protocol that only
watches bytes go by:

- **Request deadline.** A connection must deliver a complete request head (the blank line
  that ends it) within `request_timeout` of opening, and each later head within
  `idle_timeout + request_timeout` of the previous one. Bytes trickled in do not extend it
  (slowloris). A body is bounded by aiohttp's `lingering_time`, set to `request_timeout`.
- **Connection cap.** Past `max_connections` (kept well below the process's file limit), the
  least recently active connection is closed to admit the new one, so a flood of idle
  sockets can delay a real reader by at most one request, never lock it out.
- **Terse logs.** A client's mistake (a malformed request line, a header too long, a slow
  client) is one log line per kind and `LOG_PERIOD`, with a count of the suppressed ones,
  and never a traceback. A traceback is kept for our own faults (also rate-limited).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

LOG_PERIOD = 60.0  # seconds between two lines about the same kind of client error
HEAD_END = b"\r\n\r\n"
# File descriptors kept for everything else the process opens: the store, crawls, Telegram.
FD_RESERVE = 64


@dataclass(frozen=True, slots=True)
class Limits:
    """How long a client may take and how many may be connected at once (seconds, count)."""

    request_timeout: float = 10.0
    idle_timeout: float = 30.0
    max_connections: int = 256

    def budget(self) -> tuple[int, int]:
        """(connection cap, accept backlog) that fit the process's open-file limit.

        asyncio accepts up to `backlog` sockets per loop turn and closes an evicted one only
        a few turns later, so the descriptors in use can pass the cap by a few backlogs: both
        are sized so that cap + 4 x backlog stays below the limit, minus `FD_RESERVE`."""
        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft == resource.RLIM_INFINITY:
            return self.max_connections, 128
        budget = max(soft - FD_RESERVE, 8)
        backlog = max(1, min(128, budget // 8))
        return max(1, min(self.max_connections, budget - 4 * backlog)), backlog


@dataclass(slots=True)
class _Window:
    started: float
    suppressed: int = 0


@dataclass(slots=True)
class RateLimiter:
    """At most one event per kind per `period`; counts what it held back in between."""

    period: float = LOG_PERIOD
    clock: Callable[[], float] = time.monotonic
    _windows: dict[str, _Window] = field(default_factory=dict)

    def allow(self, kind: str) -> int | None:
        """None: hold this one back. Otherwise how many of `kind` were held back before it."""
        now = self.clock()
        window = self._windows.get(kind)
        if window is not None and now - window.started < self.period:
            window.suppressed += 1
            return None
        self._windows[kind] = _Window(now)
        return 0 if window is None else window.suppressed


def client_error(kind: str, suppressed: int) -> tuple[str, str, int] | tuple[str, str]:
    """The log message (format and arguments) for a kind of client error."""
    if suppressed:
        return "client error: %s (%d more held back since the last line)", kind, suppressed
    return "client error: %s", kind


class ClientLog(logging.LoggerAdapter[logging.Logger]):
    """The logger handed to aiohttp's request handler: one line per kind of error per period.

    aiohttp logs every malformed request with `logger.exception(...)` and a traceback; the
    kind (the parser's exception class) and the client address are all an operator needs."""

    def __init__(self, logger: logging.Logger, limiter: RateLimiter) -> None:
        super().__init__(logger, {})
        self.limiter = limiter

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if not self.isEnabledFor(level):
            return
        error = kwargs.get("exc_info")
        client_fault = isinstance(error, HttpProcessingError)
        kind = type(error).__name__ if isinstance(error, BaseException) else str(msg)
        suppressed = self.limiter.allow(kind)
        if suppressed is None:
            return
        fields = {"kind": kind, "suppressed": suppressed}
        if client_fault:
            assert isinstance(error, HttpProcessingError)
            fields["detail"] = str(error.message)[:200]
            level = min(level, logging.INFO)  # a client's fault is not our warning
            self.logger.log(level, *client_error(kind, suppressed), extra={"fields": fields})
        else:
            kwargs.setdefault("extra", {})["fields"] = fields
            self.logger.log(level, msg, *args, **kwargs)


class AcceptErrorFilter(logging.Filter):
    """For asyncio's logger while the server runs: should the process still run out of files
    (descriptors held elsewhere), CPython 3.11 logs "socket.accept() out of system resource"
    with a traceback up to `backlog` times per loop turn. Keep one line per period."""

    MESSAGE = "socket.accept() out of system resource"

    def __init__(self, limiter: RateLimiter) -> None:
        super().__init__()
        self.limiter = limiter

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(self.MESSAGE):
            return True
        suppressed = self.limiter.allow(self.MESSAGE)
        if suppressed is None:
            return False
        record.msg, record.args = "%s (%d more held back)", (self.MESSAGE, suppressed)
        record.exc_info, record.exc_text = None, None
        return True


class ConnectionGuard:
    """The live connections of one server, least recently active first."""

    def __init__(self, limits: Limits, log: logging.Logger, limiter: RateLimiter) -> None:
        self.limits = limits
        self.cap, self.backlog = limits.budget()
        self.log = log
        self.limiter = limiter
        self.live: OrderedDict[GuardedProtocol, None] = OrderedDict()
        self.timed_out = 0  # connections closed for missing their request deadline
        self.evicted = 0  # connections closed to make room under the cap
        self.accepted = 0

    def admit(self, connection: GuardedProtocol) -> None:
        self.accepted += 1
        while len(self.live) >= self.cap:
            oldest = next(iter(self.live))
            self.evicted += 1
            self._note("connection limit reached; closed the least recently active")
            oldest.abort()
        self.live[connection] = None

    def touch(self, connection: GuardedProtocol) -> None:
        if connection in self.live:
            self.live.move_to_end(connection)

    def release(self, connection: GuardedProtocol) -> None:
        self.live.pop(connection, None)

    def expired(self, connection: GuardedProtocol) -> None:
        self.timed_out += 1
        self._note("slow client: no complete request in time; closed")
        connection.abort()

    def _note(self, kind: str) -> None:
        suppressed = self.limiter.allow(kind)
        if suppressed is not None:
            fields = {"kind": kind, "suppressed": suppressed, "live": len(self.live)}
            self.log.info(*client_error(kind, suppressed), extra={"fields": fields})


class GuardedProtocol(asyncio.Protocol):
    """aiohttp's protocol for one connection, behind a request deadline and the cap."""

    def __init__(self, inner: asyncio.Protocol, guard: ConnectionGuard) -> None:
        self.inner = inner
        self.guard = guard
        self.transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._tail = b""  # the last bytes seen, so a head end split across reads is found

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.guard.admit(self)
        self._arm(self.guard.limits.request_timeout)
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        heads = (self._tail + data).count(HEAD_END)
        self._tail = (self._tail + data)[-(len(HEAD_END) - 1) :]
        if heads:
            limits = self.guard.limits
            self._arm(limits.idle_timeout + limits.request_timeout)
            self.guard.touch(self)
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.guard.release(self)
        self.inner.connection_lost(exc)

    def abort(self) -> None:
        self._disarm()
        self.guard.release(self)
        if self.transport is not None:
            self.transport.abort()  # a reset: a client that reads nothing cannot hold it

    def _arm(self, seconds: float) -> None:
        self._disarm()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(seconds, self.guard.expired, self)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class GuardedSite(web.BaseSite):
    """A TCP site whose connections go through `GuardedProtocol` (aiohttp's public extension
    point for sites; the runner's graceful shutdown still closes every connection)."""

    __slots__ = ("_guard", "_host", "_port")

    def __init__(self, runner: web.BaseRunner, host: str, port: int, guard: ConnectionGuard):
        super().__init__(runner, backlog=guard.backlog)
        self._host = host
        self._port = port
        self._guard = guard

    @property
    def name(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        factory = self._runner.server
        assert factory is not None
        guard = self._guard
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: GuardedProtocol(factory(), guard),
            self._host,
            self._port,
            backlog=self._backlog,
            reuse_address=True,
        )
