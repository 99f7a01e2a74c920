"""A downloader middleware that sends every request, robots.txt included, through one proxy."""

from __future__ import annotations

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler


class ProxyMiddleware:
    """Sets `meta["proxy"]` from the `crawl.proxy` config on requests that have none.

    Scrapy's own HttpProxyMiddleware only takes proxies from the environment or from each
    request's meta; robots.txt requests are made by Scrapy itself and carry no meta, so a proxy
    set by the spider alone would let them bypass it.
    """

    def __init__(self, proxy: str | None) -> None:
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.get("ICESCO_WATCH_PROXY"))

    def process_request(self, request: Request) -> None:
        if self.proxy and "proxy" not in request.meta:
            request.meta["proxy"] = self.proxy
