"""robots.txt obeyed from a cache: read at most once a day per host, then refreshed with a
conditional request (If-None-Match / If-Modified-Since), so an idle poll costs no robots.txt.

Scrapy's RobotsTxtMiddleware fetches robots.txt afresh in every spider run, which is every
cycle here. This subclass starts from the entries the store kept (the spider's plans carry
them) and hands what it fetched back to the spider, which reports it in its results.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from icesco_watch.models import RobotsEntry

FRESH_FOR = timedelta(days=1)


class RobotsCache(Protocol):
    """What the spider offers the middleware: cached entries in, fetched entries out."""

    def cached_robots(self, netloc: str) -> RobotsEntry | None: ...

    def robots_fetched(self, entry: RobotsEntry) -> None: ...


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware with a per-host cache kept by the store between runs."""

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        spider: Any = self.crawler.spider
        if netloc not in self._parsers and hasattr(spider, "cached_robots"):
            cache: RobotsCache = spider
            entry = cache.cached_robots(netloc)
            now = self.now()
            if entry is not None and now - entry.fetched_at < FRESH_FOR:
                self._parsers[netloc] = self._parser(entry.body)
            else:
                # Requests to the same host wait on this, as they do in Scrapy's own version.
                waiting: Deferred[RobotParser | None] = Deferred()
                self._parsers[netloc] = waiting
                parser = await self._refresh(request, netloc, entry, cache, now)
                self._parsers[netloc] = parser
                waiting.callback(parser)
        return await super().robot_parser(request)

    def _parser(self, body: str) -> RobotParser:
        parser: RobotParser = build_from_crawler(self._parserimpl, self.crawler, body.encode())
        return parser

    async def _refresh(
        self,
        request: Request,
        netloc: str,
        entry: RobotsEntry | None,
        cache: RobotsCache,
        now: datetime,
    ) -> RobotParser | None:
        """Fetch robots.txt (conditionally when a stale copy exists); None obeys nothing, as
        Scrapy does when robots.txt cannot be fetched."""
        headers = {}
        if entry is not None and entry.etag:
            headers["If-None-Match"] = entry.etag
        if entry is not None and entry.last_modified:
            headers["If-Modified-Since"] = entry.last_modified
        scheme = urlparse_cached(request).scheme
        robots_request = Request(
            f"{scheme}://{netloc}/robots.txt",
            headers=headers,
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True, "handle_httpstatus_all": True},
            callback=NO_CALLBACK,
        )
        self._stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(robots_request)
        except Exception:
            return None if entry is None else self._parser(entry.body)
        if response.status == 304 and entry is not None:
            body = entry.body
        elif response.status >= 500:
            return None if entry is None else self._parser(entry.body)
        else:
            body = response.body.decode("utf-8", errors="replace") if response.status < 400 else ""
        etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        if response.status == 304 and entry is not None:
            etag_text, modified_text = entry.etag, entry.last_modified
        else:
            etag_text = etag.decode("latin-1") if etag else None
            modified_text = modified.decode("latin-1") if modified else None
        cache.robots_fetched(RobotsEntry(netloc, body, now, etag_text, modified_text))
        return self._parser(body)
