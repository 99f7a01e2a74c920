"""Scrapy settings for icesco-watch, built from the `[crawl]` config section."""

from __future__ import annotations

from typing import Any

from icesco_watch.config.schema import CrawlConfig

BOT_NAME = "icesco_watch"
SPIDER_MODULES = ["icesco_watch.spiders.icesco"]
_AIOHTTP_HANDLER = "scrapy.core.downloader.handlers._aiohttp.AiohttpDownloadHandler"


def scrapy_settings(crawl: CrawlConfig) -> dict[str, Any]:
    """Polite, quiet, asyncio-native settings.

    Scrapy runs without a Twisted reactor, on the asyncio loop of the service, so its HTTP
    handler is the aiohttp one (the Twisted handler needs a reactor).
    """
    return {
        "BOT_NAME": BOT_NAME,
        "TWISTED_REACTOR_ENABLED": False,
        "DOWNLOAD_HANDLERS": {"http": _AIOHTTP_HANDLER, "https": _AIOHTTP_HANDLER},
        # Politeness: robots.txt, an honest User-Agent, one request at a time per host.
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "USER_AGENT": crawl.user_agent,
        "CONCURRENT_REQUESTS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": crawl.delay.total_seconds(),
        "DOWNLOAD_TIMEOUT": crawl.timeout.total_seconds(),
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "COOKIES_ENABLED": False,
        "ICESCO_WATCH_PROXY": crawl.proxy,
        "ICESCO_WATCH_CONFIGURED": True,
        "DOWNLOADER_MIDDLEWARES": {
            "icesco_watch.spiders.middlewares.ProxyMiddleware": 740,
            # robots.txt from the store's cache (a day), refreshed conditionally.
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "icesco_watch.spiders.robots.CachedRobotsTxtMiddleware": 100,
            # Its process_response runs before RedirectMiddleware's (600): a redirect to
            # another host is refused before Scrapy would schedule it.
            "icesco_watch.spiders.redirects.OffHostRedirectMiddleware": 610,
        },
        # A <meta http-equiv="refresh"> could lead off the site behind the middleware's back;
        # WordPress never needs it.
        "METAREFRESH_ENABLED": False,
        # Hostile pages: a body over max_page_size is abandoned while it arrives, and a
        # compressed one as soon as its decompressed size passes it (HttpCompressionMiddleware
        # inflates in chunks and checks DOWNLOAD_MAXSIZE after each), so a gzip bomb costs at
        # most that much memory, not Scrapy's default 1 GiB.
        "DOWNLOAD_MAXSIZE": crawl.max_page_size,
        "DOWNLOAD_WARNSIZE": crawl.max_page_size // 4,
        # No listening sockets and no noise in a long-running service.
        "REMOTE_CONTROL_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "STATS_DUMP": False,
    }


# `scrapy crawl icesco` (scrapy.cfg) reads this module as its settings module. These are the
# process-wide settings; the spider adds the config's [crawl] section in `update_settings`.
TWISTED_REACTOR_ENABLED = False
DOWNLOAD_HANDLERS = {"http": _AIOHTTP_HANDLER, "https": _AIOHTTP_HANDLER}
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
