"""Runs the spider: the one place that knows how Scrapy is driven.

Scrapy 2.19 runs here in its reactor-less mode (`TWISTED_REACTOR_ENABLED = False`): the crawl is
a coroutine on the caller's asyncio loop, so the service's scheduler, bot and feed server share
one loop with it, and a process can crawl any number of times (no reactor to restart).
The download handler is Scrapy's aiohttp one, which Scrapy still labels experimental; its
start-up notice is filtered from the logs, and the subprocess runner below is the fallback if it
ever misbehaves (`run_crawl_subprocess`, same inputs and outputs, a fresh interpreter per crawl).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import AsyncCrawlerRunner
from scrapy.http import Response

from icesco_watch.config.schema import CrawlConfig, SourceConfig
from icesco_watch.models import ArticleFailure, CrawlResult, NewsItem, RobotsEntry
from icesco_watch.spiders.icesco import IcescoSpider, SourcePlan
from icesco_watch.spiders.settings import scrapy_settings

ProgressCallback = Callable[[str, str], None]  # (source key, "listing" | "article")
Crawler = Callable[
    [CrawlConfig, Sequence[SourcePlan], ProgressCallback | None],
    Coroutine[Any, Any, dict[str, CrawlResult]],
]


class _ExperimentalNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "is experimental and is not recommended" not in record.getMessage()


logging.getLogger("scrapy.core.downloader.handlers._base_streaming").addFilter(
    _ExperimentalNotice()
)


def crawler_for(
    crawl: CrawlConfig,
) -> Callable[
    [CrawlConfig, Sequence[SourcePlan], ProgressCallback | None],
    Coroutine[Any, Any, dict[str, CrawlResult]],
]:
    """The runner `crawl.runner` names."""
    return run_crawl_subprocess if crawl.runner == "subprocess" else run_crawl


async def run_crawl(
    crawl: CrawlConfig, plans: Sequence[SourcePlan], progress: ProgressCallback | None = None
) -> dict[str, CrawlResult]:
    """Crawl every planned source in one spider run; one CrawlResult per source key."""
    if not plans:
        return {}
    runner = AsyncCrawlerRunner(settings=scrapy_settings(crawl))
    crawler = runner.create_crawler(IcescoSpider)
    if progress is not None:

        def on_response(response: Response, request: Request, **_: Any) -> None:
            if "source" in request.meta:
                progress(request.meta["source"], request.meta.get("kind", "article"))

        crawler.signals.connect(on_response, signal=signals.response_received)
    try:
        await runner.crawl(crawler, plans=list(plans))
    except asyncio.CancelledError:
        # The service is shutting down: close Scrapy's engine and connections before leaving.
        await asyncio.wait_for(runner.stop(), timeout=2)
        raise
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        # Scrapy may absorb the cancellation and return a half-done crawl: that is still a
        # shutdown, and nothing of it may be recorded (a "clean" empty baseline would be).
        raise asyncio.CancelledError
    spider = crawler.spider
    assert isinstance(spider, IcescoSpider)
    reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
    if reason != "finished":
        for result in spider.results.values():
            result.fail(
                f"crawl interrupted ({reason}); nothing was lost, retried next cycle", fatal=True
            )
    return spider.results


# --- the subprocess fallback -------------------------------------------------------------


async def run_crawl_subprocess(
    crawl: CrawlConfig, plans: Sequence[SourcePlan], progress: ProgressCallback | None = None
) -> dict[str, CrawlResult]:
    """The same crawl in a fresh interpreter (`python -m icesco_watch.spiders.runner`).
    Progress is not reported from the child; the results are the same."""
    payload = json.dumps(
        {"crawl": crawl.model_dump(mode="json"), "plans": [_plan_to_json(p) for p in plans]}
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "icesco_watch.spiders.runner",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate(payload.encode())
    if process.returncode != 0:
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"crawler subprocess exited {process.returncode}: {tail[0]}")
    return {key: _result_from_json(value) for key, value in json.loads(out).items()}


def _plan_to_json(plan: SourcePlan) -> dict[str, Any]:
    return {
        "source": plan.source.model_dump(mode="json"),
        "known": sorted(plan.known),
        "etag": plan.etag,
        "last_modified": plan.last_modified,
        "pages": plan.pages,
        "backfill": plan.backfill,
        "channel": plan.channel,
        "category_id": plan.category_id,
        "validated_url": plan.validated_url,
        "modified": dict(plan.modified),
        "robots": _robots_to_json(plan.robots),
        "retry": list(plan.retry),
        "rest_total": plan.rest_total,
        "rest_newest_id": plan.rest_newest_id,
        "feed_refresh_due": plan.feed_refresh_due,
    }


def _plan_from_json(data: dict[str, Any]) -> SourcePlan:
    return SourcePlan(
        SourceConfig.model_validate(data["source"]),
        frozenset(data["known"]),
        data["etag"],
        data["last_modified"],
        data["pages"],
        data["backfill"],
        data["channel"],
        data["category_id"],
        data["validated_url"],
        data["modified"],
        _robots_from_json(data["robots"]),
        tuple(data["retry"]),
        data["rest_total"],
        data["rest_newest_id"],
        data["feed_refresh_due"],
    )


def _robots_to_json(entry: RobotsEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {**asdict(entry), "fetched_at": entry.fetched_at.isoformat()}


def _robots_from_json(data: dict[str, Any] | None) -> RobotsEntry | None:
    if data is None:
        return None
    return RobotsEntry(**{**data, "fetched_at": datetime.fromisoformat(data["fetched_at"])})


def _result_to_json(result: CrawlResult) -> dict[str, Any]:
    data = asdict(result)
    data["items"] = [{**asdict(i), "published": i.published.isoformat()} for i in result.items]
    data["robots"] = _robots_to_json(result.robots)
    return data


def _result_from_json(data: dict[str, Any]) -> CrawlResult:
    items = [
        NewsItem(
            **{
                **item,
                "published": datetime.fromisoformat(item["published"]),
                "site_categories": tuple(item["site_categories"]),
                "sectors": tuple(item["sectors"]),
                "topics": tuple(item["topics"]),
                "sector_evidence": {k: tuple(v) for k, v in item["sector_evidence"].items()},
            }
        )
        for item in data.pop("items")
    ]
    robots = _robots_from_json(data.pop("robots"))
    failures = [ArticleFailure(**failure) for failure in data.pop("article_failures")]
    return CrawlResult(**data, items=items, robots=robots, article_failures=failures)


def _main() -> None:
    request = json.load(sys.stdin)
    crawl = CrawlConfig.model_validate(request["crawl"])
    plans = [_plan_from_json(p) for p in request["plans"]]
    results = asyncio.run(run_crawl(crawl, plans))
    json.dump({k: _result_to_json(v) for k, v in results.items()}, sys.stdout)


if __name__ == "__main__":
    _main()
