"""The ICESCO news spider: incremental listing crawl, new articles only, failures recorded.

One spider run covers every source of a cycle, so robots.txt is read once per host and the
per-host politeness limits hold across sources. Each source is read through a channel
(WordPress's REST API, its feed, or the HTML listing: see channel_crawl.py, which this spider
mixes in). On the HTML channel a source is crawled as:
listing page 1 (conditional request) -> links recognised by permalink shape -> article pages for
unknown keys -> further listing pages while the page's last link was new, up to the page limit.
Links inside sidebars, menus and widgets (`aside`, `nav`, `.widget`) are not the listing: a
theme's "Recent Posts" widget would bring in posts of other categories (unless the source's
`selectors.listing_links` says where the listing is).

Deviation from DESIGN.md section 4 (documented in the closing note): the design follows the
next page "while every link on the page was new". ICESCO pins featured items on top of page 1,
so one known pinned link would stop pagination however many new items sit below it. This spider
follows while the page's *last* link is new: the same rule for a date-ordered listing, and
robust to pinned items.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Self
from urllib.parse import urlsplit

from parsel import Selector
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    IgnoreRequest,
)
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from icesco_watch.config.loader import load_config
from icesco_watch.models import CrawlResult, NewsItem, RobotsEntry, summarize
from icesco_watch.spiders.channel_crawl import ChannelCrawl
from icesco_watch.spiders.channels import Channel
from icesco_watch.spiders.pages import (
    ExtractionError,
    extract_article,
    linked_page_numbers,
    listing_links,
    next_page_url,
    numbered_page_url,
)
from icesco_watch.spiders.plan import SourcePlan
from icesco_watch.spiders.settings import scrapy_settings
from icesco_watch.spiders.urls import (
    article_fetch_url,
    canonical_key,
    permalink_date,
    site_host,
)

__all__ = ["IcescoSpider", "SourcePlan", "describe_failure"]


class IcescoSpider(ChannelCrawl, Spider):
    """Crawls the listings of one or more sources; see the module docstring for the rules."""

    name = "icesco"

    def __init__(self, plans: Sequence[SourcePlan] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plans = {plan.source.key: plan for plan in plans}
        self.results = {key: CrawlResult(source=key) for key in self.plans}
        self._scheduled: set[str] = set()
        self._orders: dict[str, list[Channel]] = {}
        self._newest: dict[str, list[str]] = {}
        self._listed: set[str] = set()

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Under `scrapy crawl icesco`, apply the project config's [crawl] section (the runner
        has already applied it when it drives the spider)."""
        super().update_settings(settings)
        if not settings.getbool("ICESCO_WATCH_CONFIGURED"):
            settings.setdict(scrapy_settings(load_config().settings.crawl), priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        if "plans" not in kwargs:
            kwargs["plans"] = _plans_from_project_config(kwargs.pop("source", None))
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._count_request, signal=signals.request_reached_downloader)
        crawler.signals.connect(spider._callback_crashed, signal=signals.spider_error)
        return spider

    def _callback_crashed(self, failure: Failure, response: Response, **_: Any) -> None:
        """A bug in extraction must not drop an article silently: a listing's is a failure of
        the source (its validators are kept, the page retried next time); an article's (a page
        that breaks the parser is one) puts the article in quarantine, retried later."""
        source = response.meta.get("source")
        if source in self.results:
            kind = response.meta.get("kind", "page")
            error = failure.value
            message = (
                f"{kind} {response.url} could not be processed: {type(error).__name__}: {error}"
            )
            if kind == "article":
                self._article_failed(response.request or Request(response.url), message)
            else:
                self.results[source].fail(message, fatal=kind == "listing")

    def _count_request(self, request: Request, **_: Any) -> None:
        source = request.meta.get("source")
        if source in self.results:
            self.results[source].requests += 1

    async def start(self) -> AsyncIterator[Request]:
        for key in self.plans:
            for request in self.open_source(key):
                yield request
            for request in self._retry_requests(key):
                yield request

    def _retry_requests(self, key: str) -> Iterator[Request]:
        """Quarantined articles whose time has come, fetched directly (also after a 304)."""
        for url in self.plans[key].retry:
            article_key = canonical_key(url)
            if article_key not in self._scheduled:
                self._scheduled.add(article_key)
                yield self._article_request(key, url, article_key)

    def html_start(self, key: str) -> Iterator[Request]:
        """The HTML channel: page 1 of each listing, the first one conditionally."""
        plan = self.plans[key]
        for index, url in enumerate(plan.source.start_urls):
            headers = plan.validators_for(url) if index == 0 else {}
            yield self._listing_request(key, url, url, page=1, headers=headers)

    def describe(self, failure: Failure, request: Request) -> str:
        return describe_failure(failure, request)

    def cached_robots(self, netloc: str) -> RobotsEntry | None:
        """The store's robots.txt for `netloc` (CachedRobotsTxtMiddleware asks)."""
        for plan in self.plans.values():
            if plan.robots is not None and plan.robots.netloc == netloc:
                return plan.robots
        return None

    def robots_fetched(self, entry: RobotsEntry) -> None:
        """A fresh robots.txt, reported with every source on its host for the store."""
        for key, plan in self.plans.items():
            if urlsplit(plan.source.start_urls[0]).netloc == entry.netloc:
                self.results[key].robots = entry

    def _listing_request(
        self, key: str, url: str, start_url: str, page: int, headers: dict[str, str] | None = None
    ) -> Request:
        return Request(
            url,
            headers=headers,
            callback=self.parse_listing,
            errback=self.listing_failed,
            dont_filter=True,
            meta={"source": key, "kind": "listing", "handle_httpstatus_list": [304, 404]},
            cb_kwargs={"key": key, "page": page, "start_url": start_url},
        )

    def parse_listing(
        self, response: Response, key: str, page: int, start_url: str
    ) -> Iterator[Request]:
        """Schedule unknown articles and, while new items may continue, the next page."""
        plan, result = self.plans[key], self.results[key]
        if response.status == 304:
            result.not_modified = True
            return
        if response.status == 404:
            if page == 1:
                result.fail(f"listing {response.url} answered 404 Not Found", fatal=True)
            return  # past the last page: the end of the listing, not a failure
        result.pages += 1
        if page == 1 and start_url == plan.source.start_urls[0]:
            result.etag = _header(response, b"ETag")
            result.last_modified = _header(response, b"Last-Modified")
            result.validated_url = start_url
        if not isinstance(response, TextResponse):
            result.fail(f"listing {response.url} is not an HTML page", fatal=page == 1)
            return
        configured = plan.source.selectors.listing_links
        listing = response.selector if configured else _without_chrome(response)
        links = listing_links(listing, response.url, plan.source.host, plan.source.lang, configured)
        if page == 1 and not configured:
            kept = {link.key for link in links}
            everywhere = listing_links(
                response.selector, response.url, plan.source.host, plan.source.lang
            )
            dropped = [link for link in everywhere if link.key not in kept]
            if dropped:
                result.warnings.append(
                    f"{len(dropped)} article link(s) on {response.url} sit in menus, sidebars "
                    "or widgets and were ignored as navigation (set selectors.listing_links "
                    "if the news listing is among them)"
                )
        if not links:
            if page == 1:
                result.fail(
                    f"listing {response.url} shows no article links: the site's layout may have "
                    f"changed (set selectors.listing_links of source {key!r} in the config)",
                    fatal=True,
                )
            return
        for link in links:
            result.listing_keys.append(link.key)
            if link.key in self._scheduled or (link.key in plan.known and not plan.backfill):
                continue
            self._scheduled.add(link.key)
            yield self._article_request(key, article_fetch_url(link.url, start_url), link.key)
        if page < plan.page_limit and (plan.backfill or links[-1].key not in plan.known):
            next_url = self._next_listing_url(response, start_url, page)
            if next_url is not None:
                yield self._listing_request(key, next_url, start_url, page=page + 1)

    @staticmethod
    def _next_listing_url(response: TextResponse, start_url: str, page: int) -> str | None:
        """The page's "next" link; else `page/N+1/`, unless the page's own numbered pagination
        shows this is the last page (which saves a request that would only answer 404)."""
        next_url = next_page_url(response.selector, response.url)
        if next_url is not None and canonical_key(next_url) != canonical_key(response.url):
            return next_url
        # A link to the current page alone (a menu's "News" on page 1) is not pagination.
        numbers = linked_page_numbers(response.selector, response.url, start_url) - {page}
        if numbers and page + 1 not in numbers:
            return None
        return numbered_page_url(start_url, page + 1)

    def _article_request(self, key: str, url: str, article_key: str) -> Request:
        return Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={"source": key, "kind": "article", "article_key": article_key},
            cb_kwargs={"key": key},
        )

    def parse_article(self, response: Response, key: str) -> Iterator[NewsItem]:
        """Extract one article into a NewsItem, or record why it could not be (the article is
        then quarantined, not the source failed)."""
        plan = self.plans[key]
        source = plan.source
        request = response.request or Request(response.url)

        def failed(message: str) -> None:
            self._article_failed(request, f"article {message}")

        if site_host(urlsplit(response.url).hostname or "") != site_host(source.host):
            # Redirects off the site are refused by OffHostRedirectMiddleware; this catches any
            # other way of landing elsewhere. Never stored, never alerted as ICESCO news.
            failed(f"{request.url} ended up off the site at {response.url}; not stored")
            return
        if not isinstance(response, TextResponse):
            failed(f"{response.url} is not an HTML page")
            return
        if permalink_date(response.url, source.lang) is None:
            failed(f"link {request.url} redirected to {response.url}, not an article")
            return
        try:
            fields = extract_article(
                response.selector,
                response.url,
                source.lang,
                source.zone,
                source.selectors.title,
                source.selectors.published,
                source.selectors.body,
            )
        except ExtractionError as exc:
            failed(str(exc))
            return
        item = NewsItem(
            key=canonical_key(response.url),
            source=source.key,
            lang=source.lang,
            url=response.url,
            title=fields.title,
            published=fields.published,
            summary=summarize(fields.body),
            body=fields.body,
            image=fields.image,
            site_categories=fields.site_categories,
            wp_post_id=fields.post_id,
            provenance=fields.provenance,
        )
        self.results[key].items.append(item)
        yield item

    def listing_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self.results[request.meta["source"]].fail(
            f"listing {describe_failure(failure, request)}", fatal=True
        )

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self._article_failed(request, f"article {describe_failure(failure, request)}")

    def _article_failed(self, request: Request, message: str) -> None:
        key = request.meta.get("article_key") or canonical_key(request.url)
        self.results[request.meta["source"]].article_failed(key, request.url, message)


def describe_failure(failure: Failure, request: Request) -> str:
    """One line a person can act on: which URL, and what went wrong."""
    exc = failure.value
    if isinstance(exc, HttpError):
        response: Response = exc.response
        return f"{request.url} answered HTTP {response.status}"
    if isinstance(exc, IgnoreRequest) and "robots" in str(exc).lower():
        return f"{request.url} is disallowed by the site's robots.txt"
    name = type(exc).__name__
    if isinstance(exc, CannotResolveHostError):
        return f"{request.url} failed: cannot resolve the host name (DNS or no network)"
    if isinstance(exc, DownloadConnectionRefusedError):
        return f"{request.url} failed: connection refused"
    if "Timeout" in name:
        timeout = request.meta.get("download_timeout")
        within = f" within {timeout:g}s" if isinstance(timeout, int | float) else ""
        return f"{request.url} did not answer{within} (timeout)"
    detail = _OBJECT_REPR.sub("", str(exc)).strip() or name
    return f"{request.url} failed: {name}: {detail}"


_OBJECT_REPR = re.compile(r"\s*\w*:?<[\w.]+ object at 0x[0-9a-f]+>")


# Page chrome that lists articles without being the listing: sidebars ("Recent Posts"),
# menus, widgets. Their links would bring in posts of other categories.
_CHROME = (
    "//aside | //nav | //*[@role='complementary' or @role='navigation']"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' widget ')]"
)


def _without_chrome(response: TextResponse) -> Selector:
    """A copy of the page without sidebars, menus and widgets, for finding listing links."""
    copy = Selector(text=response.text)
    copy.xpath(_CHROME).drop()
    return copy


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _plans_from_project_config(source: str | None) -> list[SourcePlan]:
    """For `scrapy crawl icesco [-a source=KEY]`: the project's config, nothing known yet."""
    settings = load_config().settings
    chosen = [settings.source(source)] if source else [s for s in settings.sources if s.enabled]
    return [SourcePlan(s) for s in chosen]
