"""One cycle: crawl the sources, tag what was found, diff and record each source in a single
transaction, then publish the feeds the new or changed items belong to."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine

from icesco_watch.config.schema import Settings, SourceConfig
from icesco_watch.feeds.publish import publish_feeds
from icesco_watch.models import CrawlResult, CycleReport, NewsItem, Outcome, SourceReport
from icesco_watch.spiders.icesco import SourcePlan
from icesco_watch.spiders.plan import feed_refresh_due
from icesco_watch.spiders.runner import Crawler, ProgressCallback, crawler_for
from icesco_watch.store.health import record_run, robots_entries, save_robots, source_state
from icesco_watch.store.items import known_keys, known_modified, record_items
from icesco_watch.store.notices import enqueue_notices
from icesco_watch.store.outbox import enqueue_deliveries
from icesco_watch.store.quarantine import quarantined, record_failures, release, split_due
from icesco_watch.tagging import Tagger

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


def plan_sources(
    engine: Engine,
    sources: Sequence[SourceConfig],
    backfill: int | None = None,
    rediscover: bool = False,
) -> list[SourcePlan]:
    """What each source's crawl needs from the store: known keys and their modified times, the
    channel that worked last (unless `rediscover`: the service's first cycle looks for the
    cheapest channel again), the validators and the REST census, whether the feed is due a
    whole read, the cached robots.txt of its host, and the quarantined articles (due ones are
    retried; the others are left alone like known keys)."""
    plans = []
    now = utcnow()
    with engine.connect() as conn:
        robots = robots_entries(conn)
        for source in sources:
            state = source_state(conn, source.key)
            due, waiting = split_due(quarantined(conn, source.key), now)
            plans.append(
                SourcePlan(
                    source=source,
                    known=known_keys(conn, source.lang) | waiting,
                    retry=tuple(article.url for article in due),
                    etag=state.etag,
                    last_modified=state.last_modified,
                    pages=backfill,
                    backfill=backfill is not None,
                    # A channel pinned in the config since the last run starts afresh.
                    channel=None
                    if rediscover or source.channel not in ("auto", state.channel)
                    else state.channel,
                    category_id=state.category_id,
                    validated_url=state.validated_url,
                    modified=known_modified(conn, source.lang),
                    robots=robots.get(urlsplit(source.start_urls[0]).netloc),
                    rest_total=state.rest_total,
                    rest_newest_id=state.rest_newest_id,
                    feed_refresh_due=feed_refresh_due(state.last_read, now),
                )
            )
    return plans


async def run_cycle(
    settings: Settings,
    engine: Engine,
    sources: Sequence[SourceConfig],
    backfill: int | None = None,
    progress: ProgressCallback | None = None,
    crawler: Crawler | None = None,
    rediscover: bool = False,
) -> CycleReport:
    """Crawl `sources` once and record what changed. Failures are recorded, never raised
    (a crawler that crashes outright is recorded as a failure of every source)."""
    started = utcnow()
    plans = plan_sources(engine, sources, backfill, rediscover)
    crawl = crawler or crawler_for(settings.crawl)
    try:
        results = await crawl(settings.crawl, plans, progress)
    except Exception as exc:  # the subprocess died, or Scrapy itself raised
        log.exception("crawler crashed")
        results = {}
        for plan in plans:
            results[plan.source.key] = CrawlResult(plan.source.key)
            results[plan.source.key].fail(f"crawler crashed: {exc}", fatal=True)
    report = CycleReport()
    tagger = Tagger(settings)
    touched: list[NewsItem] = []
    for plan in plans:
        result = results.get(plan.source.key) or CrawlResult(plan.source.key)
        if plan.source.key not in results:
            result.fail("the crawler returned nothing for this source", fatal=True)
        result.items = [tagger.tag(item) for item in result.items]
        source_report = record_source(settings, engine, result, started)
        report.sources.append(source_report)
        changed = set(source_report.new + source_report.updated)
        changed |= set(source_report.baseline + source_report.stale)
        touched.extend(item for item in result.items if item.key in changed)
    await publish(settings, engine, touched)
    return report


async def publish(settings: Settings, engine: Engine, touched: Sequence[NewsItem]) -> None:
    """Rewrite the feeds the touched items belong to (and any missing feed file). A failure
    here is logged, never raised: the items are stored and `feeds build` can redo it."""
    try:
        await asyncio.to_thread(publish_feeds, settings, engine, touched)
    except Exception:
        log.exception("publishing feeds failed; run `icesco-watch feeds build` once it is fixed")


def record_source(
    settings: Settings, engine: Engine, result: CrawlResult, started: datetime
) -> SourceReport:
    """Diff, health and the runs row for one source, in one transaction: all or nothing."""
    report = SourceReport(
        source=result.source,
        started=started,
        requests=result.requests,
        not_modified=result.not_modified,
        pages=result.pages,
        errors=list(result.errors),
        fatal=result.fatal,
    )
    with engine.begin() as conn:
        baseline = not source_state(conn, result.source).baseline_done
        now = utcnow()
        _quarantine(conn, result, report, now)
        outcomes = record_items(
            conn,
            result.items,
            result.listing_keys,
            now,
            settings.alerts,
            baseline,
            result.modified,
            result.post_ids,
        )
        if result.robots is not None:
            save_robots(conn, result.robots)
        lists = {
            Outcome.NEW: report.new,
            Outcome.UPDATED: report.updated,
            Outcome.BASELINE: report.baseline,
            Outcome.STALE: report.stale,
        }
        for key, outcome in outcomes.items():
            if outcome is Outcome.UNCHANGED:
                report.unchanged += 1
            else:
                lists[outcome].append(key)
        # Deliveries are queued in the transaction that stores the items: both or neither.
        alert = set(report.new)
        report.queued = enqueue_deliveries(
            conn, [item for item in result.items if item.key in alert], settings, now
        )
        report.finished = utcnow()
        report.health_event = record_run(
            conn,
            report,
            result,
            settings.alerts.failure_threshold,
            baseline_complete=not report.failed,
        )
        if report.health_event:
            # The admins' notice is queued with the event it tells: both or neither, so a crash
            # after this commit, or a long Telegram outage, delays it but never loses it.
            enqueue_notices(
                conn,
                settings.telegram.admin_chats,
                report.source,
                report.health_event,
                report.errors,
                now,
            )
    _log_report(report, result)
    return report


def _quarantine(conn: Connection, result: CrawlResult, report: SourceReport, now: datetime) -> None:
    """Failed articles into quarantine, extracted ones out of it. One bad article does not fail
    its source; every new article of a cycle failing (two or more) does: that is a broken site
    or extractor, not one hostile page."""
    release(conn, [item.key for item in result.items])
    fresh = 0  # articles failing for the first time (retries of quarantined ones do not count)
    for article in record_failures(conn, result.source, result.article_failures, now):
        fresh += article.failures == 1
        report.quarantined.append(f"{article.key}: {article.last_error}")
        log.warning(
            "article quarantined",
            extra={
                "fields": {
                    "source": result.source,
                    "key": article.key,
                    "failures": article.failures,
                    "next_attempt_at": article.next_attempt_at.isoformat(),
                    "error": article.last_error,
                }
            },
        )
    if fresh >= 2 and not result.items:
        report.errors.append(
            f"all {fresh} new articles fetched this cycle failed, "
            f"e.g. {result.article_failures[0].error}"
        )


def _log_report(report: SourceReport, result: CrawlResult) -> None:
    fields = {
        "source": report.source,
        "ok": not report.failed,
        "not_modified": report.not_modified,
        "requests": report.requests,
        "new": len(report.new),
        "updated": len(report.updated),
        "baseline": len(report.baseline),
        "stale": len(report.stale),
        "queued": report.queued,
        "quarantined": len(report.quarantined),
        "errors": report.errors,
        "channel": result.channel,
        "warnings": result.warnings,
    }
    level = logging.WARNING if report.failed else logging.INFO
    log.log(level, "cycle finished", extra={"fields": fields})
    if report.health_event:
        log.warning("source %s", report.health_event, extra={"fields": {"source": report.source}})
