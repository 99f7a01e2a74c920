"""Both ways of driving Scrapy give the same results: in-process and the subprocess fallback."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.scheduler.cycle import plan_sources
from icesco_watch.spiders.runner import run_crawl, run_crawl_subprocess
from tests.conftest import by_source, crawl
from tests.replica import ARTICLES, ReplicaServer


def test_the_subprocess_runner_matches_the_in_process_one(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)  # a baseline, so the listings answer 304 or show known items
    replica.set_state("after")
    # One new article redirects off the site (an article failure, for quarantine), and one
    # known French article is retried as a quarantined one would be.
    [off_site, *_] = [a for a in ARTICLES if "after" in a.states and "before" not in a.states]
    replica.respond(off_site.path, b"", {"Location": "http://evil.example/"}, status=301)
    [known_fr, *_] = [a for a in ARTICLES if a.lang == "fr" and "before" in a.states]
    plans = [
        replace(plan, retry=(known_fr.url,)) if plan.source.lang == "fr" else plan
        for plan in plan_sources(engine, settings.sources)
    ]
    inside = asyncio.run(run_crawl(settings.crawl, plans))
    outside = asyncio.run(run_crawl_subprocess(settings.crawl, plans))
    assert set(inside) == set(outside) == {s.key for s in settings.sources}
    for key in inside:
        assert outside[key].items == inside[key].items  # every field, dates with their zones
        # and where each field came from, which items leave out of their comparison
        provenance = [dict(i.provenance) for i in inside[key].items]
        assert [dict(i.provenance) for i in outside[key].items] == provenance
        assert all(p.get("title") and p.get("date") for p in provenance)
        assert outside[key].listing_keys == inside[key].listing_keys
        assert (outside[key].etag, outside[key].errors) == (inside[key].etag, inside[key].errors)
        assert outside[key].article_failures == inside[key].article_failures
    assert sum(len(r.items) for r in inside.values()) == 4  # 3 new ones and the retried one
    [failure] = [f for r in inside.values() for f in r.article_failures]
    assert failure.key == off_site.expected_key
    assert known_fr.expected_key in {i.key for i in inside["icesco-fr"].items}


def test_the_config_selects_the_subprocess_runner(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    fallback = settings.model_copy(
        update={"crawl": settings.crawl.model_copy(update={"runner": "subprocess"})}
    )
    crawl(fallback, engine)
    replica.set_state("after")
    report = by_source(crawl(fallback, engine))
    assert sum(len(r.new) for r in report.values()) == 4
    assert not any(r.failed for r in report.values())
