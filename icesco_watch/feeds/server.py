"""The feed server (aiohttp): the design's paths from `feeds.dir`, cheap to poll, and /healthz.

Only whitelisted paths are served (no path from the request ever reaches the file system
unchecked). Each file's bytes, ETag and gzip form are cached by (mtime, size), so a conditional
request that the file did not change answers 304 after one `stat`, without reading the file.
Slow, idle, excess and malformed clients are handled by `guard.py`; `/metrics` is Prometheus.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.feeds import custom
from icesco_watch.feeds.catalog import FEED_PATH, INDEX_FILE, OPML_FILE
from icesco_watch.feeds.guard import (
    AcceptErrorFilter,
    ClientLog,
    ConnectionGuard,
    GuardedSite,
    Limits,
    RateLimiter,
)
from icesco_watch.metrics import CONTENT_TYPE, Metrics
from icesco_watch.store.health import SourceState, all_source_states, is_failing

CACHE_CONTROL = "public, max-age=300"
_SERVED = re.compile(rf"/(?:{FEED_PATH.pattern}|{re.escape(OPML_FILE)})?")
_CONTENT_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
# The index page never runs scripts; should escaping ever fail, the browser still refuses them.
_HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
# Seconds the service's shutdown waits for requests in flight (SIGTERM must exit within 5 s).
SHUTDOWN_TIMEOUT = 2.0
log = logging.getLogger(__name__)


@dataclass(slots=True)
class CachedFile:
    stat_key: tuple[int, int]  # (mtime_ns, size): a rewrite changes one or the other
    body: bytes
    etag: str
    last_modified: datetime  # whole seconds, as HTTP dates carry
    _gzipped: bytes | None = field(default=None, repr=False)

    @property
    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


class FeedServer:
    """Serves `settings.feeds.dir` on `settings.server.host:port` on the caller's event loop."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        host: str | None = None,
        port: int | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.metrics = metrics or Metrics(engine)
        server = settings.server
        self.limits = Limits(
            request_timeout=server.request_timeout.total_seconds(),
            idle_timeout=server.idle_timeout.total_seconds(),
            max_connections=server.max_connections,
        )
        self.limiter = RateLimiter()
        self.guard = ConnectionGuard(self.limits, log, self.limiter)
        self._accept_errors = AcceptErrorFilter(self.limiter)
        self.host = settings.server.host if host is None else host
        self.port = settings.server.port if port is None else port
        self.root = Path(settings.feeds.dir).resolve()
        self.reads = 0  # files read from disk: a poll answered from the cache adds nothing
        self.not_modified = 0  # 304 answers given
        self._cache: dict[str, CachedFile] = {}
        self._runner: web.AppRunner | None = None
        self.custom: custom.CustomFeeds | None = None  # the custom feeds of the app served

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def app(self) -> web.Application:
        app = web.Application()
        if self.custom is not None:
            self.custom.close()
        self.custom = custom.CustomFeeds(self.settings, self.engine)
        app.router.add_get(custom.ROUTE, self.custom.handle)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/{path:.*}", self._file)
        return app

    async def start(self) -> None:
        """Listen; with port 0 the chosen port is in `self.port` afterwards."""
        self._runner = web.AppRunner(
            self.app(),
            access_log=None,
            logger=ClientLog(log, self.limiter),
            keepalive_timeout=self.limits.idle_timeout,
            lingering_time=self.limits.request_timeout,  # bounds reading a body we never use
            shutdown_timeout=SHUTDOWN_TIMEOUT,
        )
        await self._runner.setup()
        logging.getLogger("asyncio").addFilter(self._accept_errors)
        site = GuardedSite(self._runner, self.host, self.port, self.guard)
        try:
            await site.start()
        except BaseException:  # e.g. the port is taken: leave nothing half-started behind
            await self.stop()
            raise
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.custom is not None:
            self.custom.close()
        logging.getLogger("asyncio").removeFilter(self._accept_errors)

    async def _file(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if not _SERVED.fullmatch(path):
            raise web.HTTPNotFound(text="not found\n")
        relative = path.lstrip("/") or INDEX_FILE
        cached = self._load(relative)
        if cached is None:
            raise web.HTTPNotFound(text="not found\n")
        gzipped = custom.accepts_gzip(request.headers.get("Accept-Encoding", ""))
        etag = cached.etag[:-1] + '-gz"' if gzipped else cached.etag
        headers = {
            "ETag": etag,
            "Last-Modified": format_datetime(cached.last_modified, usegmt=True),
            "Cache-Control": CACHE_CONTROL,
            "Vary": "Accept-Encoding",
        }
        if _not_modified(request, cached):
            self.not_modified += 1
            return web.Response(status=304, headers=headers)
        suffix = Path(relative).suffix
        headers["Content-Type"] = _CONTENT_TYPES[suffix]
        if suffix == ".html":
            headers["Content-Security-Policy"] = _HTML_POLICY
            headers["X-Content-Type-Options"] = "nosniff"
        if gzipped:
            headers["Content-Encoding"] = "gzip"
            return web.Response(body=cached.gzipped, headers=headers)
        return web.Response(body=cached.body, headers=headers)

    def _load(self, relative: str) -> CachedFile | None:
        """The file's cached form, refreshed when its (mtime, size) changed; None if absent.

        Runs on the loop: a stat, and on a change one read of a file of a few hundred KB at
        most, cost less than a hop to a thread."""
        target = self.root / relative
        # The whitelist admits no "..", but a symlink inside feeds.dir must not lead out of it.
        if not target.resolve().is_relative_to(self.root):
            return None
        try:
            stat = target.stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(relative)
        if cached is not None and cached.stat_key == key:
            return cached
        try:
            body = target.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None
        self.reads += 1
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        modified = datetime.fromtimestamp(int(stat.st_mtime), UTC)
        cached = CachedFile(key, body, f'"{digest}"', modified)
        self._cache[relative] = cached
        return cached

    async def _healthz(self, request: web.Request) -> web.Response:
        states = await asyncio.to_thread(self._source_states)
        report = health_report(self.settings, states)
        status = 200 if report["ok"] else 503
        return web.json_response(
            report,
            status=status,
            headers={"Cache-Control": "no-store"},
            dumps=lambda data: json.dumps(data, ensure_ascii=False),
        )

    async def _metrics(self, request: web.Request) -> web.Response:
        body = await asyncio.to_thread(self.metrics.render)
        return web.Response(
            body=body, headers={"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"}
        )

    def _source_states(self) -> dict[str, SourceState]:
        with self.engine.connect() as conn:
            return all_source_states(conn)


def health_report(settings: Settings, states: dict[str, SourceState]) -> dict[str, Any]:
    """Per-source health; not ok when an enabled source failed `failure_threshold` times in a
    row. Sources in the store but no longer configured are listed, never counted."""
    threshold = settings.alerts.failure_threshold
    configured = {source.key: source.enabled for source in settings.sources}
    rows = []
    for key in [*configured, *sorted(set(states) - set(configured))]:
        state = states.get(key, SourceState(key))
        rows.append(
            {
                "key": key,
                "enabled": configured.get(key, False),
                "failing": is_failing(state, threshold, configured.get(key, False)),
                "consecutive_failures": state.consecutive_failures,
                "last_run": _iso(state.last_run),
                "last_ok": _iso(state.last_ok),
                "last_error": state.last_error,
                "channel": state.channel,  # rest | feed | html: how the source is read
            }
        )
    return {
        "ok": not any(row["failing"] for row in rows),
        "failure_threshold": threshold,
        "sources": rows,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _not_modified(request: web.Request, cached: CachedFile) -> bool:
    """RFC 9110: If-None-Match decides when present; If-Modified-Since only otherwise."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or cached.etag in tags or cached.etag[:-1] + '-gz"' in tags
    since = request.headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return cached.last_modified <= when
