"""The feed server under abuse, over real sockets on 127.0.0.1: half-sent requests, slowloris
bytes, idle keep-alives, more connections than allowed, malformed requests. A reader is still
served, connections stay bounded, and the log says one line per kind of client error."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from aiohttp.http_exceptions import BadStatusLine
from sqlalchemy import Engine

from icesco_watch.config.schema import ServerConfig, Settings
from icesco_watch.feeds.guard import ClientLog, RateLimiter
from icesco_watch.feeds.publish import build_all
from icesco_watch.feeds.server import FeedServer
from tests.feeds.conftest import AWKWARD, store_items
from tests.feeds.test_server import get

T = TypeVar("T")
HALF_HEAD = b"GET /en/all.rss HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: half"


class Running:
    """A FeedServer on its own loop in a thread; `call` runs a function on that loop."""

    def __init__(self, server: FeedServer, loop: asyncio.AbstractEventLoop) -> None:
        self.server = server
        self.loop = loop

    def call(self, fn: Callable[[], T]) -> T:
        async def run() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=10)

    def live(self) -> int:
        return self.call(lambda: len(self.server.guard.live))


@contextmanager
def serving(settings: Settings, engine: Engine, **server: object) -> Iterator[Running]:
    limits = {"host": "127.0.0.1", "port": 0, **server}
    settings = settings.model_copy(update={"server": ServerConfig.model_validate(limits)})
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    feed_server = FeedServer(settings, engine)
    asyncio.run_coroutine_threadsafe(feed_server.start(), loop).result(timeout=10)
    try:
        yield Running(feed_server, loop)
    finally:
        asyncio.run_coroutine_threadsafe(feed_server.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@pytest.fixture
def built(settings: Settings, engine: Engine) -> Path:
    store_items(engine, AWKWARD)
    build_all(settings, engine)
    return Path(settings.feeds.dir)


def connect(port: int, payload: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    if payload:
        sock.sendall(payload)
    return sock


def closed_by_peer(sock: socket.socket, timeout: float) -> bool:
    """Whether the server closed `sock` (EOF or reset) within `timeout` seconds."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass  # an answer (e.g. a 400) may come before the close
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def wait_until(predicate: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def test_hundreds_of_half_sent_requests_neither_lock_out_a_reader_nor_pile_up(
    built: Path, settings: Settings, engine: Engine
) -> None:
    with (
        serving(settings, engine, max_connections=40, request_timeout="3s") as running,
        ExitStack() as sockets,
    ):
        port = running.server.port
        half_open = [sockets.enter_context(connect(port, HALF_HEAD)) for _ in range(300)]
        # Every accepted socket is counted before the reader's request goes out.
        wait_until(lambda: running.call(lambda: running.server.guard.accepted) == 300)
        assert running.live() <= 40
        reply = get(running.server, "/en/all.rss")  # evicts the least recently active
        assert reply.status == 200
        assert b"<rss" in reply.body
        # The half-open ones still connected are closed by their deadline, all by themselves.
        assert all(closed_by_peer(sock, timeout=10) for sock in half_open)
        wait_until(lambda: running.live() == 0)
        guard = running.server.guard
        evicted, timed_out = running.call(lambda: (guard.evicted, guard.timed_out))
        assert evicted >= 1  # the cap admitted the reader
        assert evicted + timed_out == 300  # each half-sent request closed once, by the server


def test_slowloris_bytes_do_not_extend_the_deadline(
    built: Path, settings: Settings, engine: Engine
) -> None:
    with serving(settings, engine, request_timeout="1s") as running:
        sock = connect(running.server.port)
        with sock:
            sent = 0
            deadline = time.monotonic() + 20
            closed = False
            while not closed and time.monotonic() < deadline:
                try:
                    sock.sendall(HALF_HEAD[sent % len(HALF_HEAD) : sent % len(HALF_HEAD) + 1])
                    sent += 1
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                closed = closed_by_peer(sock, timeout=0.1)
            assert closed, "a client trickling bytes was never closed"
        assert running.call(lambda: running.server.guard.timed_out) == 1
        assert get(running.server, "/en/all.rss").status == 200


def test_an_idle_keep_alive_connection_is_closed(
    built: Path, settings: Settings, engine: Engine
) -> None:
    with serving(settings, engine, idle_timeout="1s", request_timeout="1s") as running:
        request = b"GET /feeds.opml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        with connect(running.server.port, request) as sock:
            sock.settimeout(10)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
            assert closed_by_peer(sock, timeout=15)
        wait_until(lambda: running.live() == 0)


MALFORMED = {
    "garbage": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n",
    "bad-version": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    "long-line": b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "long-header": b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20_000 + b"\r\n\r\n",
    "bad-header": b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
    "bad-length": b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
}


def test_malformed_requests_get_a_400_and_one_log_line_per_kind_without_traceback(
    built: Path, settings: Settings, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="icesco_watch.feeds")
    with serving(settings, engine) as running:
        for _round in range(30):
            for payload in MALFORMED.values():
                with connect(running.server.port, payload) as sock:
                    sock.settimeout(10)
                    try:
                        answer = sock.recv(65536)
                    except ConnectionResetError:
                        answer = b""
                    assert answer == b"" or answer[:12] in (b"HTTP/1.1 400", b"HTTP/1.0 400")
        assert get(running.server, "/en/all.rss").status == 200
    records = [r for r in caplog.records if r.name.startswith("icesco_watch.feeds")]
    assert all(r.exc_info is None and r.exc_text is None for r in records)
    assert "Traceback" not in caplog.text
    kinds = [getattr(r, "fields", {}).get("kind") for r in records]
    assert len(kinds) == len(set(kinds)), kinds  # one line per kind in the minute
    assert 3 <= len(records) <= len(MALFORMED) + 1, [r.getMessage() for r in records]
    assert all(r.getMessage().startswith("client error: ") for r in records)


def test_the_rate_limiter_says_how_many_it_held_back() -> None:
    now = [0.0]
    limiter = RateLimiter(period=60, clock=lambda: now[0])
    assert limiter.allow("BadStatusLine") == 0
    assert [limiter.allow("BadStatusLine") for _ in range(5)] == [None] * 5
    assert limiter.allow("LineTooLong") == 0  # kinds are limited apart
    now[0] = 61
    assert limiter.allow("BadStatusLine") == 5
    assert limiter.allow("BadStatusLine") is None


def test_client_faults_are_one_terse_line_and_our_own_faults_keep_their_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    log = ClientLog(logging.getLogger("icesco_watch.feeds.test"), RateLimiter(clock=lambda: now[0]))
    caplog.set_level(logging.INFO, logger="icesco_watch.feeds.test")
    for _ in range(5):
        log.exception("Error handling request", exc_info=BadStatusLine("\x16\x03"))
    log.exception("Error handling request", exc_info=ValueError("our bug"))
    now[0] = 61.0
    log.exception("Error handling request", exc_info=BadStatusLine("\x16\x03"))
    first, bug, later = caplog.records
    assert (first.levelno, first.exc_info) == (logging.INFO, None)
    assert first.getMessage() == "client error: BadStatusLine"
    assert bug.levelno == logging.ERROR
    # The traceback is kept: as exc_info, or (once the secret filter of the composition root is
    # installed, as in the service) rendered, scrubbed, into exc_text.
    rendered = bug.exc_text or "".join(traceback.format_exception(*bug.exc_info or (None,) * 3))
    assert "ValueError: our bug" in rendered
    assert (
        later.getMessage() == "client error: BadStatusLine (4 more held back since the last line)"
    )


def test_a_taken_port_raises_and_leaves_nothing_half_started(
    settings: Settings, engine: Engine
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = FeedServer(settings, engine, host="127.0.0.1", port=port)
        before = list(logging.getLogger("asyncio").filters)
        with pytest.raises(OSError, match="address already in use"):
            asyncio.run(server.start())
        assert logging.getLogger("asyncio").filters == before
