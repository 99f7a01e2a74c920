"""Whole cycles against the replica site: real Scrapy crawls, a real SQLite file.

These are the issue's acceptance checks: silent baseline, exactly the new items afterwards,
one request per source when nothing changed, and failures that lose nothing.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from icesco_watch.config.schema import Settings
from icesco_watch.models import CrawlResult
from icesco_watch.scheduler.cycle import plan_sources, run_cycle
from icesco_watch.spiders.urls import canonical_key, permalink_date
from icesco_watch.store.health import source_state
from icesco_watch.store.items import latest_items
from icesco_watch.store.schema import items
from tests.conftest import LISTINGS, by_source, crawl
from tests.replica import ARTICLES, EDITED_KEY, Article, ReplicaServer


def _in(state: str, lang: str | None = None) -> list[Article]:
    return [a for a in ARTICLES if state in a.states and (lang is None or a.lang == lang)]


def _source(article: Article) -> str:
    return f"icesco-{article.lang}"


def _stored(engine: Engine) -> dict[str, dict[str, object]]:
    with engine.connect() as conn:
        return {row.key: dict(row._mapping) for row in conn.execute(select(items))}


def test_baseline_is_silent_then_exactly_the_new_items_are_reported(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    first = by_source(crawl(settings, engine))
    for key, report in first.items():
        assert not report.failed, (key, report.errors)
        assert report.new == []
        assert report.updated == []
    before = {a.expected_key for a in _in("before")}
    assert set(_stored(engine)) == before  # every variant of a link collapsed onto one key
    assert Counter(r.source for r in first.values() for _ in r.baseline) == Counter(
        _source(a) for a in _in("before")
    )

    replica.set_state("after")
    replica.clear_log()
    second = by_source(crawl(settings, engine))
    expected = {a for a in _in("after") if "before" not in a.states}
    assert {k for r in second.values() for k in r.new} == {a.expected_key for a in expected}
    assert Counter(_source(a) for a in expected) == Counter(
        {key: len(r.new) for key, r in second.items()}
    )
    assert not any(r.failed or r.updated or r.baseline for r in second.values())
    # Each new article page is fetched once; known articles are not fetched again.
    fetched = [
        canonical_key(f"http://{r.host}{r.path}")
        for r in replica.requests
        if r.status == 200 and permalink_date(r.path)
    ]
    assert sorted(fetched) == sorted(a.expected_key for a in expected)

    stored = _stored(engine)
    assert {a.lang for a in expected} == {"en", "fr", "ar"}
    assert {a.theme for a in expected} == {"modern", "classic"}
    for article in expected:
        row = stored[article.expected_key]
        assert row["title"] == article.title
        assert row["lang"] == article.lang
        published = row["published"]
        assert isinstance(published, datetime)
        local = published.astimezone(settings.source(_source(article)).zone)
        assert local.date() == article.date
        assert row["url"] == article.url
        assert "Satisfied" not in str(row["body"])
        assert "Disclaimer" not in str(row["body"])
        assert str(row["summary"])
        assert len(str(row["summary"])) <= 400
        assert row["version"] == 1
    # The baseline's items too: the Arabic classic-layout page carries the feedback widget
    # inside its article container.
    for key, row in stored.items():
        for text in (row["summary"], row["body"]):
            assert "ما مدى رضاك" not in str(text), key

    third = by_source(crawl(settings, engine))
    assert all(r.new == [] and not r.failed for r in third.values())  # nothing twice


def test_a_baseline_wastes_no_requests(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    log = replica.requests
    # www. and slash-less links are fetched on the source's host in slash form (no 301, no
    # second robots.txt), and a page whose pagination ends is not followed by a 404 probe.
    assert {r.host for r in log} == {"icesco.org"}
    # Channel discovery asks once per source for WordPress's REST API and feed, which the
    # replica does not have (404); everything else answers 200.
    probes = [r for r in log if "/wp-json/" in r.path or r.path.endswith("/feed/atom/")]
    assert len(probes) == 2 * len(LISTINGS)
    assert {r.status for r in probes} == {404}
    assert {r.status for r in log if r not in probes} == {200}
    assert [r.path for r in log].count("/robots.txt") == 1
    articles = [r for r in log if permalink_date(r.path)]
    assert len(articles) == len(_in("before")) == len({r.path for r in articles})


def test_a_crawl_with_nothing_new_costs_one_request_per_source(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    replica.clear_log()
    report = by_source(crawl(settings, engine))
    log = replica.requests
    per_listing = {key: [r for r in log if r.path == path] for key, path in LISTINGS.items()}
    for key, listing_requests in per_listing.items():
        assert [r.status for r in listing_requests] == [304], key
        assert report[key].requests == 1
        assert report[key].not_modified
    # Nothing besides the three listings: the HTML channel found at the baseline is used
    # straight away, and robots.txt comes from the store's cache (a day).
    others = [r.path for r in log if r.path not in LISTINGS.values()]
    assert others == []
    # Both validators are used: the French listing only sends Last-Modified.
    assert per_listing["icesco-en"][0].if_none_match
    fr = per_listing["icesco-fr"][0]
    assert fr.if_none_match is None
    assert fr.if_modified_since


def test_pagination_continues_while_the_new_items_do(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    replica.set_state("after")
    crawl(settings, engine)
    replica.set_state("after-more")
    replica.clear_log()
    report = by_source(crawl(settings, engine))
    expected = {a.expected_key for a in _in("after-more") if "after" not in a.states}
    assert set(report["icesco-en"].new) == expected
    assert len(expected) == 8
    listing_paths = [r.path for r in replica.requests if "/category/news/" in r.path]
    assert listing_paths == ["/en/category/news/", "/en/category/news/page/2/"]


def test_a_redesigned_listing_is_a_failure_and_loses_nothing(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    baseline = _stored(engine)
    replica.set_state("redesign")
    report = by_source(crawl(settings, engine))
    en = report["icesco-en"]
    assert en.failed
    assert en.fatal
    assert "no article links" in en.errors[0]
    assert "layout" in en.errors[0]
    assert _stored(engine) == baseline
    with engine.connect() as conn:
        assert source_state(conn, "icesco-en").consecutive_failures == 1

    replica.set_state("after")
    recovered = by_source(crawl(settings, engine))
    assert not recovered["icesco-en"].failed
    assert set(recovered["icesco-en"].new) == {
        a.expected_key for a in _in("after", "en") if "before" not in a.states
    }
    with engine.connect() as conn:
        assert source_state(conn, "icesco-en").consecutive_failures == 0


def test_a_server_error_is_retried_then_recorded(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    replica.set_state("after")
    replica.fail(status=500, path_prefix="/fr/category/actualites/")
    replica.clear_log()
    report = by_source(crawl(settings, engine))
    fr = report["icesco-fr"]
    assert fr.failed
    assert fr.new == []
    assert "answered HTTP 500" in fr.errors[0]
    assert [r.status for r in replica.requests if r.path == LISTINGS["icesco-fr"]] == [500, 500]
    assert len(report["icesco-en"].new) == 2  # one broken source does not block the others

    replica.clear_faults()
    again = by_source(crawl(settings, engine))
    assert len(again["icesco-fr"].new) == 1
    assert not again["icesco-fr"].failed


def test_a_timeout_is_a_recorded_failure(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    stored = set(_stored(engine))
    patient = settings.crawl.model_copy(update={"retries": 0, "timeout": timedelta(seconds=1)})
    quick = settings.model_copy(update={"crawl": patient})
    replica.hang(path_prefix=LISTINGS["icesco-ar"], seconds=10)
    report = by_source(crawl(quick, engine))
    ar = report["icesco-ar"]
    assert ar.failed
    assert "did not answer within 1s (timeout)" in ar.errors[0]
    assert set(_stored(engine)) == stored
    with engine.connect() as conn:
        state = source_state(conn, "icesco-ar")
    assert state.consecutive_failures == 1
    assert state.last_error == ar.errors[0]


def test_a_failed_article_is_retried_next_cycle_and_never_duplicated(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    replica.set_state("after")
    new_en = [a for a in _in("after", "en") if "before" not in a.states]
    broken, fine = new_en
    replica.fail(status=503, path_prefix=broken.path)
    first = by_source(crawl(settings, engine))["icesco-en"]
    assert not first.failed  # one bad article is quarantined, its source is fine
    assert first.new == [fine.expected_key]
    [held] = first.quarantined
    assert held.startswith(broken.expected_key + ": ")
    assert broken.path in held
    assert "503" in held

    replica.clear_faults()
    second = by_source(crawl(settings, engine))["icesco-en"]
    assert second.new == [broken.expected_key]  # retried from quarantine, reported once
    assert second.not_modified  # the listing itself was clean last time: a 304 now
    assert not second.failed
    assert second.quarantined == []
    third = by_source(crawl(settings, engine))["icesco-en"]
    assert third.new == []
    assert third.not_modified


def test_old_items_that_surface_are_stored_not_alerted(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    guarded = settings.model_copy(
        update={"alerts": settings.alerts.model_copy(update={"max_age_days": 7})}
    )
    crawl(guarded, engine)
    replica.set_state("after")
    report = by_source(crawl(guarded, engine))
    expected = {a.expected_key for a in _in("after") if "before" not in a.states}
    assert {k for r in report.values() for k in r.stale} == expected  # dated 2024-2025
    assert all(r.new == [] for r in report.values())
    assert expected <= set(_stored(engine))


def test_backfill_refetches_and_versions_an_edited_article(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    replica.set_state("after")
    crawl(settings, engine)
    replica.set_state("edited")
    [edited] = [a for a in _in("edited", "en") if a.expected_key == EDITED_KEY]
    report = by_source(crawl(settings, engine, backfill=3))["icesco-en"]
    assert report.new == []
    assert report.updated == [EDITED_KEY]
    row = _stored(engine)[EDITED_KEY]
    assert row["version"] == 2
    assert row["title"] == edited.title


def test_items_come_back_newest_first(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    with engine.connect() as conn:
        latest = latest_items(conn, 5, lang="fr")
    dates = [s.item.published for s in latest]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == 5


def test_a_crashing_crawler_is_recorded_as_a_failure_of_every_source(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    stored = _stored(engine)

    async def broken(*_: object) -> dict[str, CrawlResult]:
        raise RuntimeError("crawler subprocess exited -9: killed")

    report = asyncio.run(run_cycle(settings, engine, settings.sources, crawler=broken))
    assert all(r.fatal and "crawler crashed" in r.errors[0] for r in report.sources)
    assert _stored(engine) == stored
    with engine.connect() as conn:
        assert all(source_state(conn, s.key).consecutive_failures == 1 for s in settings.sources)


def test_an_extraction_bug_is_a_recorded_failure_not_a_lost_article(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    replica.set_state("after")
    fr = settings.source("icesco-fr")
    # model_copy skips validation: a selector the config check would reject, standing in for
    # any exception raised while processing a page.
    broken = fr.model_copy(update={"selectors": fr.selectors.model_copy(update={"title": ["h1["]})})
    buggy = settings.model_copy(
        update={"sources": [broken if s.key == "icesco-fr" else s for s in settings.sources]}
    )
    report = by_source(crawl(buggy, engine))["icesco-fr"]
    assert report.new == []
    [held] = report.quarantined  # the one new article: quarantined, retried next cycle
    assert "could not be processed: SelectorSyntaxError" in held
    fixed = by_source(crawl(settings, engine))["icesco-fr"]
    assert len(fixed.new) == 1
    assert fixed.quarantined == []


def test_an_unreachable_site_is_a_clear_failure(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    replica.stop()  # nothing listens on the proxy's port any more
    report = crawl(settings, engine)
    for source in report.sources:
        assert source.fatal
        assert source.errors[0].endswith("failed: connection refused"), source.errors
    assert _stored(engine) == {}


def test_the_channel_found_is_planned_next_time_unless_the_config_pins_another(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)  # discovery: the replica serves HTML only
    plans = {p.source.key: p for p in plan_sources(engine, settings.sources)}
    assert {p.channel for p in plans.values()} == {"html"}
    assert all(p.robots is not None and p.robots.netloc == "icesco.org" for p in plans.values())
    # The service's first cycle discovers again.
    assert {p.channel for p in plan_sources(engine, settings.sources, rediscover=True)} == {None}
    pinned = [s.model_copy(update={"channel": "feed"}) for s in settings.sources]
    assert {p.channel for p in plan_sources(engine, pinned)} == {None}
    # A pinned channel that does not work fails the source plainly (no silent fallback).
    report = by_source(asyncio.run(run_cycle(settings, engine, pinned[:1])))
    assert report["icesco-en"].failed
    assert "feed/atom/ answered 404" in report["icesco-en"].errors[0]
