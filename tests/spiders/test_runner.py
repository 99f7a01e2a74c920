"""Both ways of driving Scrapy give the same results: in-process and the subprocess fallback."""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.scheduler.cycle import plan_sources
from icesco_watch.spiders.runner import run_crawl, run_crawl_subprocess
from tests.conftest import by_source, crawl
from tests.replica import ReplicaServer


def test_the_subprocess_runner_matches_the_in_process_one(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)  # a baseline, so the listings answer 304 or show known items
    replica.set_state("after")
    plans = plan_sources(engine, settings.sources)
    inside = asyncio.run(run_crawl(settings.crawl, plans))
    outside = asyncio.run(run_crawl_subprocess(settings.crawl, plans))
    assert set(inside) == set(outside) == {s.key for s in settings.sources}
    for key in inside:
        assert outside[key].items == inside[key].items  # every field, dates with their zones
        assert outside[key].listing_keys == inside[key].listing_keys
        assert (outside[key].etag, outside[key].errors) == (inside[key].etag, inside[key].errors)
    assert sum(len(r.items) for r in inside.values()) == 4


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
