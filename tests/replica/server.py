"""Loopback HTTP server (and HTTP proxy target) serving the icesco.org replica."""

from __future__ import annotations

import contextlib
import hashlib
import re
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import quote, unquote_to_bytes, urlsplit

from .articles import STATES
from .site import Page, build_site, not_found_page

SITE_HOSTS = frozenset({"icesco.org", "www.icesco.org", "127.0.0.1", "localhost"})
BASE_LAST_MODIFIED = datetime(2025, 10, 1, 6, 0, tzinfo=UTC)
STATE_STEP = timedelta(days=1)  # how far the Last-Modified clock moves on each state switch


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    host: str  # host name only, lower-case, no port
    path: str  # as requested (no query)
    query: str
    status: int  # 0: no response was sent (hung request released by stop())
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None
    time: float


@dataclass
class _Fault:
    # "fail": answer ``status``; "hang": delay the response by ``seconds``; "respond": answer
    # ``status`` with ``headers`` and ``body`` as given (hostile pages: bombs, redirects ...)
    kind: str
    prefix: str
    count: int | None
    status: int = 0
    seconds: float = 0.0
    headers: dict[str, str] | None = None
    body: bytes = b""


def _upper_hex(path: str) -> str:
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), path)


def _requote(path: str) -> str:
    """Re-encode a path (the request line is decoded as latin-1, so raw UTF-8 survives)."""
    raw = unquote_to_bytes(path.encode("latin-1", errors="replace"))
    return quote(raw, safe="/-_.~!$&'()*+,;=:@")


def _etag_matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    replica: ReplicaServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up (timeouts in tests) are expected


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 10  # idle keep-alive connections are closed after this many seconds

    def setup(self) -> None:
        super().setup()
        # Headers and body are written separately; without TCP_NODELAY, Nagle's algorithm
        # and the client's delayed ACK add ~40 ms to every response on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._replica()._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._replica()._track(self.connection, add=False)

    def _replica(self) -> ReplicaServer:
        return cast(_HTTPServer, self.server).replica

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._replica()._handle(self, send_body=True)

    def do_HEAD(self) -> None:
        self._replica()._handle(self, send_body=False)

    def do_CONNECT(self) -> None:
        self._replica()._refuse(self, 502, "tunnelling (https) is not supported by the replica")

    def do_POST(self) -> None:
        self._replica()._refuse(self, 405, "method not allowed")

    do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_POST


class ReplicaServer:
    """Serves ``build_site(state)`` for icesco.org / www.icesco.org on 127.0.0.1.

    Use it directly (``http://127.0.0.1:PORT/en/...``) or as an HTTP proxy (``proxy_url``):
    absolute-form request targets are honoured. Requests for other hosts answer 502.
    """

    def __init__(self, state: str = "before") -> None:
        self._check_state(state)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._state = state
        self._site: dict[str, Page] = {}
        self._index: dict[str, str] = {}  # normalised path -> site path
        self._validators: dict[str, tuple[str, datetime]] = {}  # path -> (etag, last-modified)
        self._clock = BASE_LAST_MODIFIED
        self._faults: list[_Fault] = []
        self._log: list[LoggedRequest] = []
        self._connections: set[socket.socket] = set()
        self._held = 0  # requests held by a hang fault right now
        self._held_changed = threading.Condition(self._lock)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._load(state)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> ReplicaServer:
        if self._httpd is not None:
            raise RuntimeError("already started")
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.replica = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases hung handlers at once
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------ content

    @property
    def state(self) -> str:
        return self._state

    def set_state(self, state: str) -> None:
        """Switch content; pages whose body changed (or appeared) get a later Last-Modified."""
        self._check_state(state)
        with self._lock:
            if state != self._state:
                self._load(state)

    def _load(self, state: str) -> None:
        """Rebuild the site for ``state``; caller holds the lock (or is __init__)."""
        site = build_site(state)
        if self._site:
            self._clock += STATE_STEP
        validators: dict[str, tuple[str, datetime]] = {}
        for path, page in site.items():
            etag = '"' + hashlib.sha1(page.body).hexdigest()[:20] + '"'
            old = self._validators.get(path)
            validators[path] = old if old and old[0] == etag else (etag, self._clock)
        self._state, self._site, self._validators = state, site, validators
        self._index = {_upper_hex(p): p for p in site}

    @staticmethod
    def _check_state(state: str) -> None:
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}; expected one of {STATES}")

    def last_modified(self, path: str) -> datetime | None:
        """Current Last-Modified of a site path (None if the path does not exist)."""
        with self._lock:
            found = self._find(path)
            return self._validators[found][1] if found else None

    # ------------------------------------------------------------ faults

    def fail(self, status: int = 500, path_prefix: str = "/", count: int | None = None) -> None:
        """Answer ``status`` for paths starting with ``path_prefix`` (count=None: until cleared)."""
        with self._lock:
            self._faults.append(_Fault("fail", path_prefix, count, status=status))

    def hang(self, path_prefix: str = "/", seconds: float = 5.0, count: int | None = None) -> None:
        """Delay responses to matching paths by ``seconds`` (stop() releases them at once)."""
        with self._lock:
            self._faults.append(_Fault("hang", path_prefix, count, seconds=seconds))

    def wait_for_hang(self, timeout: float = 30.0) -> None:
        """Block until a request is being held by a hang fault (an event, not a guess)."""
        with self._held_changed:
            if not self._held_changed.wait_for(lambda: self._held > 0, timeout=timeout):
                raise AssertionError(f"no request was held within {timeout} s")

    def _hold(self, delta: int) -> None:
        with self._held_changed:
            self._held += delta
            self._held_changed.notify_all()

    def respond(
        self,
        path_prefix: str,
        body: bytes,
        headers: dict[str, str] | None = None,
        status: int = 200,
        count: int | None = None,
    ) -> None:
        """Answer matching paths with exactly ``status``, ``headers`` and ``body`` (no
        validators, no 304): for hostile pages such as a gzip bomb, a huge page or a redirect
        to another host. ``Content-Length`` is the body's length."""
        with self._lock:
            self._faults.append(
                _Fault("respond", path_prefix, count, status=status, headers=headers, body=body)
            )

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, kind: str, paths: tuple[str, ...]) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.kind != kind or not any(p.startswith(fault.prefix) for p in paths):
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    # ------------------------------------------------------------ log

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # ------------------------------------------------------------ request handling

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _find(self, path: str) -> str | None:
        if path in self._site:
            return path
        return self._index.get(_upper_hex(path)) or self._index.get(_requote(path))

    def _record(
        self, h: BaseHTTPRequestHandler, host: str, path: str, query: str, status: int, at: float
    ) -> None:
        entry = LoggedRequest(
            method=h.command,
            host=host,
            path=path,
            query=query,
            status=status,
            if_none_match=h.headers.get("If-None-Match"),
            if_modified_since=h.headers.get("If-Modified-Since"),
            user_agent=h.headers.get("User-Agent"),
            time=at,
        )
        with self._lock:
            self._log.append(entry)

    @staticmethod
    def _send(
        h: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        send_body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        h.send_response(status)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        if status != 304:
            h.send_header("Content-Length", str(len(body)))
        if h.close_connection:
            h.send_header("Connection", "close")
        h.end_headers()
        if send_body and status != 304 and body:
            h.wfile.write(body)

    def _refuse(self, h: BaseHTTPRequestHandler, status: int, reason: str) -> None:
        received = time.time()
        host = h.path.rsplit(":", 1)[0].lower() if h.command == "CONNECT" else ""
        h.close_connection = True
        body = f"<html><body><h1>{status}</h1><p>{reason}</p></body></html>".encode()
        self._record(h, host, "" if h.command == "CONNECT" else h.path, "", status, received)
        self._send(h, status, body, True, {"Content-Type": "text/html; charset=UTF-8"})

    def _handle(self, h: BaseHTTPRequestHandler, send_body: bool) -> None:
        received = time.time()
        target = h.path.split("#", 1)[0]
        if target.lower().startswith(("http://", "https://")):
            parts = urlsplit(target)
            netloc, path, query = parts.netloc, parts.path or "/", parts.query
        else:
            netloc = h.headers.get("Host", "")
            path, _, query = target.partition("?")
        host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower()

        def answer(status: int, body: bytes, headers: dict[str, str]) -> None:
            # logged before the response is written, so a client never sees a missing entry
            self._record(h, host, path, query, status, received)
            self._send(h, status, body, send_body, headers)

        html = {"Content-Type": "text/html; charset=UTF-8"}
        if host not in SITE_HOSTS:
            body = (
                f"<html><body><h1>502 Bad Gateway</h1><p>{escape(host)}</p></body></html>".encode()
            )
            return answer(502, body, html)

        candidates = (path, _upper_hex(path))
        delay = self._take_fault("hang", candidates)
        if delay is not None:
            self._hold(1)
            try:
                stopped = self._stop.wait(delay.seconds)
            finally:
                self._hold(-1)
            if stopped:
                h.close_connection = True  # stopped while hanging: drop the connection
                return self._record(h, host, path, query, 0, received)
        failure = self._take_fault("fail", candidates)
        if failure is not None:
            body = f"<html><body><h1>Error {failure.status}</h1></body></html>".encode()
            return answer(failure.status, body, html)
        canned = self._take_fault("respond", candidates)
        if canned is not None:
            return answer(canned.status, canned.body, canned.headers or html)

        with self._lock:
            found = self._find(path)
            page = self._site[found] if found else None
            etag, modified = self._validators[found] if found else ("", self._clock)
            slash = None if found or path.endswith("/") else self._find(path + "/")
        if page is None and slash is not None:
            location = f"http://{netloc}{slash}" + (f"?{query}" if query else "")
            return answer(301, b"", {**html, "Location": location})
        if page is None:
            return answer(404, not_found_page(path.strip("/")[:2]).body, html)
        if page.status != 200:
            extra = {"Location": page.location} if page.location else {}
            return answer(page.status, page.body, {"Content-Type": page.content_type, **extra})

        headers = {
            "Content-Type": page.content_type,
            "Last-Modified": format_datetime(modified, usegmt=True),
        }
        if page.etag:
            headers["ETag"] = etag
        if self._not_modified(h, etag if page.etag else None, modified):
            return answer(304, b"", {k: v for k, v in headers.items() if k != "Content-Type"})
        return answer(200, page.body, headers)

    @staticmethod
    def _not_modified(h: BaseHTTPRequestHandler, etag: str | None, modified: datetime) -> bool:
        if_none_match = h.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag is not None and _etag_matches(if_none_match, etag)
        if_modified_since = h.headers.get("If-Modified-Since")
        if not if_modified_since:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return since >= modified
