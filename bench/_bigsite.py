"""A large generated icesco.org (one English listing, thousands of articles) for bench/ only.

The pages are rendered by the replica's own templates (`tests.replica.site`: the modern theme's
listing and article pages), so the spider parses the same markup as in the tests; only the
article texts are generated here. `BigSite` serves them on 127.0.0.1 as an HTTP proxy target
(absolute-form request targets, as the crawler's `crawl.proxy` sends them) with `TCP_NODELAY`,
and counts requests and bytes on the wire. Every page is rendered before the server starts, so
page rendering never shows in a timed crawl. `SiteProcess` runs it in a child process
(`python bench/_bigsite.py N`), as `scrapy bench` runs its server, so the server does not share
the crawler's GIL; the hits are read back from `/__bench__/hits` on the server's own address.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, cast
from urllib.parse import urlsplit

from tests.replica.articles import EN_NEWS, Article
from tests.replica.site import LISTINGS, article_page, modern_listing, related_for

HOSTS = frozenset({"icesco.org", "www.icesco.org"})
LISTING = LISTINGS["en"]  # /en/category/news/
START_URL = "http://icesco.org" + LISTING
PER_PAGE = 20
NEWEST = date(2025, 6, 30)
ROBOTS = b"User-agent: *\nDisallow: /wp-admin/\n"
HITS_PATH = "/__bench__/hits"

_TOPICS = (
    ("teacher-training", "a teacher training programme", "Education Sector"),
    ("heritage-survey", "a survey of historic city centres", "Culture and Communication Sector"),
    ("water-research", "a research network on water security", "Science and Technology Sector"),
    ("youth-forum", "a forum for young volunteers", "Social and Human Sciences Sector"),
    ("arabic-courses", "evening courses in Arabic", "Arabic Language Center"),
)


def articles(count: int) -> list[Article]:
    """`count` generated English articles, newest first, one per day going back from NEWEST."""
    made = []
    for n in range(count):
        slug_part, topic, sector = _TOPICS[n % len(_TOPICS)]
        day = NEWEST - timedelta(days=n)
        slug = f"icesco-bench-{slug_part}-{n:05d}"
        made.append(
            Article(
                lang="en",
                date=day,
                slug=slug,
                title=f"ICESCO bench item {n}: {topic} announced",
                paragraphs=(
                    f"This generated item number {n} describes {topic}, written only to give "
                    "the crawler a realistic amount of text to read.",
                    f"The {sector} would run the work with partners in several Member States.",
                    "A closing paragraph repeats nothing of substance and exists for its length.",
                ),
                categories=(EN_NEWS,),
                theme="modern",
                expected_key=f"icesco.org/en/{day:%Y/%m/%d}/{slug}",
            )
        )
    return made


def build_pages(count: int) -> dict[str, bytes]:
    """Every page of the site, keyed by path: robots.txt, the listing pages, the articles."""
    items = articles(count)
    chunks = [items[i : i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    pages = {"/robots.txt": ROBOTS}
    for number, chunk in enumerate(chunks, 1):
        path = LISTING if number == 1 else f"{LISTING}page/{number}/"
        pages[path] = modern_listing("en", chunk, number, len(chunks), None)
    for index, art in enumerate(items):
        pages[art.path] = article_page(art, related_for(items, index)).body
    return pages


@dataclass(frozen=True)
class Hit:
    path: str
    status: int
    sent: int  # bytes written to the socket for this response (status line, headers, body)


class _Counting:
    """Wraps the handler's socket writer to count the response bytes."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.count = raw, 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: BigSite

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up at the end of a crawl is expected


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and delayed
        # ACKs add ~40 ms to every response on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site = cast(_Server, self.server).site
        parts = urlsplit(self.path)
        host = (parts.hostname or self.headers.get("Host", "").split(":")[0]).lower()
        path = parts.path if parts.scheme else self.path.partition("?")[0]
        if host == "127.0.0.1" and path == HITS_PATH:  # the bench asking, not the crawler
            payload = json.dumps([[h.path, h.status, h.sent] for h in site.take_hits()]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        body = site.pages.get(path) if host in HOSTS else None
        status = 200 if body is not None else (404 if host in HOSTS else 502)
        body = body if body is not None else b"<html><body><h1>not here</h1></body></html>"
        kind = "text/plain" if path == "/robots.txt" else "text/html; charset=UTF-8"
        if site.latency:
            time.sleep(site.latency)  # this thread only: other connections are served meanwhile
        counting = _Counting(cast(BinaryIO, self.wfile))
        self.wfile = counting  # type: ignore[assignment]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        site.record(Hit(path, status, counting.count))


class BigSite:
    """Serves `build_pages(count)` for icesco.org on 127.0.0.1; use `proxy_url` as crawl.proxy."""

    def __init__(self, count: int, latency: float = 0.0) -> None:
        self.count = count
        self.latency = latency  # seconds each site response waits, to stand in for a real RTT
        self.pages = build_pages(count)
        self._lock = threading.Lock()
        self._hits: list[Hit] = []
        self._httpd: _Server | None = None

    def __enter__(self) -> BigSite:
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.site = self
        self._httpd = httpd
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}).start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def proxy_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def start_url(self) -> str:
        return START_URL

    @property
    def listing_pages(self) -> int:
        return -(-self.count // PER_PAGE)

    def record(self, hit: Hit) -> None:
        with self._lock:
            self._hits.append(hit)

    def take_hits(self) -> list[Hit]:
        """The requests served since the last call (and forget them)."""
        with self._lock:
            hits, self._hits = self._hits, []
        return hits


class SiteProcess:
    """`BigSite(count)` served by a child interpreter; same `proxy_url` and `take_hits()`."""

    def __init__(self, count: int, latency: float = 0.0) -> None:
        self.count = count
        self.latency = latency
        self._proc: subprocess.Popen[str] | None = None
        self._port = 0

    def __enter__(self) -> SiteProcess:
        root = str(Path(__file__).resolve().parents[1])  # so the child imports tests.replica
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        }
        self._proc = subprocess.Popen(
            [sys.executable, __file__, str(self.count), str(self.latency)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()  # the port, once every page is rendered
        if not line.strip().isdigit():
            self.__exit__(None, None, None)
            raise RuntimeError(f"the site process did not start (said {line!r})")
        self._port = int(line)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=10)
            self._proc = None

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    start_url = START_URL

    @property
    def listing_pages(self) -> int:
        return -(-self.count // PER_PAGE)

    def take_hits(self) -> list[Hit]:
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no env proxies
        with direct.open(self.proxy_url + HITS_PATH, timeout=10) as answer:
            return [Hit(path, status, sent) for path, status, sent in json.load(answer)]


def _serve(count: int, latency: float) -> None:
    with BigSite(count, latency) as site:
        print(site.proxy_url.rsplit(":", 1)[1], flush=True)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C when run by hand
            threading.Event().wait()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 0.0)
