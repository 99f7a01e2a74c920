"""A counting HTTP proxy in front of the WordPress server: every request the crawler makes,
robots.txt included, passes here (`crawl.proxy`), so requests and bytes are counted at the
server's door, per request, as the server sent them."""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import urlsplit

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te"}


@dataclass(frozen=True)
class Hit:
    method: str
    host: str
    path: str
    query: str
    status: int
    sent: int  # status line, headers and body as written back to the crawler
    received: int  # request line and headers from the crawler
    if_none_match: str | None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    proxy: CountingProxy

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a crawler hanging up is not the test's business


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        cast(_Server, self.server).proxy.forward(self)

    do_HEAD = do_GET


class CountingProxy:
    """Forwards absolute-form requests for `host` to `upstream_port` on 127.0.0.1; any other
    host answers 502 (nothing leaves the machine)."""

    def __init__(self, host: str, upstream_port: int) -> None:
        self.host, self.upstream_port = host, upstream_port
        self._hits: list[Hit] = []
        self._faults: dict[str, int] = {}  # path fragment -> status answered instead
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def hits(self) -> list[Hit]:
        with self._lock:
            return list(self._hits)

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()

    def fail(self, fragment: str, status: int = 500) -> None:
        """Answer `status` (no body) to every request whose path contains `fragment`."""
        with self._lock:
            self._faults[fragment] = status

    def heal(self) -> None:
        with self._lock:
            self._faults.clear()

    def _fault(self, path: str) -> int | None:
        with self._lock:
            return next((s for f, s in self._faults.items() if f in path), None)

    def forward(self, h: BaseHTTPRequestHandler) -> None:
        target = urlsplit(h.path)
        host = (target.hostname or "").lower()
        received = len(h.requestline) + 4 + sum(len(k) + len(v) + 4 for k, v in h.headers.items())
        if host != self.host:
            self._answer(h, 502, [], b"", host, target, received)
            return
        fault = self._fault(target.path)
        if fault is not None:
            self._answer(h, fault, [], b"", host, target, received)
            return
        headers = {k: v for k, v in h.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers["Host"] = host
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            upstream.request(h.command, path, headers=headers)
            response = upstream.getresponse()
            body = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
            self._answer(h, response.status, kept, body, host, target, received)
        finally:
            upstream.close()

    def _answer(
        self,
        h: BaseHTTPRequestHandler,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        host: str,
        target: Any,
        received: int,
    ) -> None:
        lines = [f"HTTP/1.1 {status} {http.client.responses.get(status, '')}"]
        lines += [f"{k}: {v}" for k, v in headers if k.lower() != "content-length"]
        if h.command != "HEAD" and status not in (204, 304):
            lines.append(f"Content-Length: {len(body)}")
        elif h.command == "HEAD":
            lines += [f"{k}: {v}" for k, v in headers if k.lower() == "content-length"]
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if h.command != "HEAD":
            data += body
        h.wfile.write(data)
        h.wfile.flush()
        hit = Hit(
            h.command,
            host,
            target.path,
            target.query,
            status,
            len(data),
            received,
            h.headers.get("If-None-Match"),
        )
        with self._lock:
            self._hits.append(hit)
