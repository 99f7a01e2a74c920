"""The crawl config sections: how politely pages are fetched, and each source to read."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cssselect import ExpressionError, SelectorError
from parsel.csstranslator import css2xpath
from pydantic import ByteSize, Field, field_validator

from icesco_watch.config.base import Lang, Section, absolute_http
from icesco_watch.config.durations import Duration, Pause

# Characters no HTTP header value may hold (RFC 9110 5.5 allows tab, not the other controls).
_CONTROLS = frozenset(map(chr, [*range(0x09), *range(0x0A, 0x20), 0x7F]))


class CrawlConfig(Section):
    """How politely and how patiently the spider fetches pages (applies to every source)."""

    user_agent: str = "icesco-watch/0.1 (news monitor; obeys robots.txt)"
    delay: Pause = timedelta(seconds=2)
    timeout: Duration = timedelta(seconds=30)
    retries: int = Field(default=2, ge=0, le=10)
    obey_robots: bool = True
    proxy: str | None = None  # an HTTP proxy every request goes through (also used by the tests)
    # "in-process": Scrapy on the service's own asyncio loop. "subprocess": a fresh interpreter
    # per cycle, the fallback should the in-process crawl ever misbehave.
    runner: Literal["in-process", "subprocess"] = "in-process"
    # Largest page body, after decompression, before it is abandoned ("4MiB", "512KiB" or
    # bytes): ICESCO's pages weigh tens of KiB, so this only ever stops a hostile or broken
    # answer (a gzip bomb) long before Scrapy's own 1 GiB default would.
    max_page_size: ByteSize = Field(default=ByteSize(4 * 1024 * 1024), ge=64 * 1024, le=1024**3)

    @field_validator("user_agent")
    @classmethod
    def _one_header_line(cls, value: str) -> str:
        # It is sent as a header on every request: a line break would fail each one at crawl
        # time (or, were it ever passed on, inject a header), far from this key.
        if not value.strip() or any(c in _CONTROLS for c in value):
            raise ValueError(
                f"{value!r} must be one line of printable text such as 'icesco-watch/0.1 "
                "(news monitor; contact@example.org)'"
            )
        return value

    @field_validator("proxy")
    @classmethod
    def _http_proxy(cls, value: str | None) -> str | None:
        # A proxy without a host ("http://") would fail every request at crawl time.
        if value is not None and (
            urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).hostname
        ):
            raise ValueError("must be an http:// or https:// URL such as 'http://127.0.0.1:3128'")
        return value


class Selectors(Section):
    """Per-source CSS selectors tried before the generic fallbacks (a layout change is a config
    edit). Each is a list: the first selector that matches wins."""

    title: list[str] = Field(default_factory=list)
    published: list[str] = Field(default_factory=list)
    body: list[str] = Field(default_factory=list)
    listing_links: list[str] = Field(default_factory=list)

    @field_validator("title", "published", "body", "listing_links")
    @classmethod
    def _valid_css(cls, selectors: list[str]) -> list[str]:
        for selector in selectors:
            try:
                css2xpath(selector)
            except (SelectorError, ExpressionError) as exc:
                raise ValueError(
                    f"{selector!r} is not a valid CSS selector ({exc}); write it like 'h1.title'"
                ) from None
        return selectors


class SourceConfig(Section):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    lang: Lang
    start_urls: list[str] = Field(min_length=1)
    max_pages: int = Field(default=3, ge=1, le=100)
    timezone: str = "Africa/Casablanca"
    enabled: bool = True
    selectors: Selectors = Selectors()
    # How the source is read: WordPress's REST API, the category's feed, the HTML listing, or
    # "auto": the first of those that works, discovered and re-discovered after failures.
    channel: Literal["auto", "rest", "feed", "html"] = "auto"

    @field_validator("start_urls")
    @classmethod
    def _absolute_http(cls, urls: list[str]) -> list[str]:
        for url in urls:
            absolute_http(url, "'https://icesco.org/en/category/news/'")
        return urls

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as 'Africa/Casablanca'"
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def host(self) -> str:
        return urlsplit(self.start_urls[0]).hostname or ""
