"""Channels against real WordPress: a broken channel falls back in the same cycle, the next
cycle starts from the channel that worked, and a failed cycle discovers again."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from icesco_watch.config.schema import Settings
from icesco_watch.store.health import all_source_states
from icesco_watch.store.schema import items, open_store
from tests.wordpress.conftest import WordPress
from tests.wordpress.test_wordpress import assert_stored_exactly, cycle, open_settings, seed


def _channels(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as conn:
        return {k: s.channel for k, s in all_source_states(conn).items()}


def test_a_broken_channel_falls_back_and_the_store_follows(
    wordpress: WordPress, tmp_path: Path
) -> None:
    posts = seed(wordpress)
    settings, engine = open_settings(wordpress, tmp_path)
    wordpress.proxy.fail("/wp-json/", 500)  # the REST API is down (a security plugin...)
    report = cycle(settings, engine)
    assert not report.failed, [r.errors for r in report.sources]
    assert_stored_exactly(engine, posts)
    assert set(_channels(engine).values()) == {"feed"}

    # The feed breaks too: the HTML listing reads the source in the same cycle.
    wordpress.proxy.fail("/feed/", 500)
    wordpress.add("en", "ICESCO programme 50 on education and culture", "2025-02-01 10:00:00", "x")
    report = cycle(settings, engine)
    assert not report.failed, [r.errors for r in report.sources]
    assert {k for r in report.sources for k in r.new} == {
        "icesco.test/en/2025/02/01/icesco-programme-50-on-education-and-culture"
    }
    assert set(_channels(engine).values()) == {"html"}

    # Everything down: the cycle fails and forgets the channel; once healed, discovery
    # finds the cheapest channel again.
    wordpress.proxy.fail("/category/", 500)
    assert cycle(settings, engine).failed
    assert set(_channels(engine).values()) == {None}
    wordpress.proxy.heal()
    assert not cycle(settings, engine).failed
    assert set(_channels(engine).values()) == {"rest"}


def test_the_subprocess_runner_carries_channels_validators_and_robots(
    wordpress: WordPress, tmp_path: Path
) -> None:
    seed(wordpress)
    config = wordpress.config(tmp_path, crawl={"runner": "subprocess"})
    settings = Settings.model_validate(config)
    engine = open_store(settings.storage.url)
    assert not cycle(settings, engine).failed
    assert set(_channels(engine).values()) == {"rest"}
    wordpress.proxy.clear()
    report = cycle(settings, engine)
    assert all(r.not_modified for r in report.sources)
    # The feed's 304 and the REST census unchanged (carried through the plan): idle.
    hits = sorted((h.method, h.status) for h in wordpress.hits)
    assert hits == [("GET", 200)] * 3 + [("HEAD", 304)] * 3


def test_channels_that_disagree_about_the_newest_items_are_reported(
    wordpress: WordPress, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seed(wordpress)
    # WordPress's category feed includes sub-categories; its REST filter does not.
    wordpress.run(
        {"op": "category", "lang": "en", "slug": "events", "name": "Events", "parent": "news"},
        {
            "op": "add",
            "lang": "en",
            "title": "An event of the news sub-category",
            "date": "2025-01-27 10:00:00",
            "content": "<p>Event.</p>",
            "category": "events",
        },
    )
    settings, engine = open_settings(wordpress, tmp_path)
    with caplog.at_level(logging.WARNING, logger="icesco_watch.spiders.channel_crawl"):
        assert not cycle(settings, engine).failed
    (warning,) = [r.getMessage() for r in caplog.records if "disagree" in r.getMessage()]
    assert warning.startswith("wp-en: the REST API and the feed disagree")
    assert "an-event-of-the-news-sub-category" in warning


def test_a_feed_of_summaries_leaves_the_body_to_the_article_page(
    wordpress: WordPress, tmp_path: Path
) -> None:
    posts = seed(wordpress)
    wordpress.run({"op": "option", "lang": "fr", "name": "rss_use_excerpt", "value": 1})
    settings, engine = open_settings(wordpress, tmp_path, "feed")
    assert not cycle(settings, engine).failed
    assert_stored_exactly(engine, posts)
    fr_articles = [h for h in wordpress.hits if h.path.startswith("/fr/2025/")]
    assert len(fr_articles) == 3  # the French feed carried summaries only
    assert not [h for h in wordpress.hits if h.path.startswith("/en/2025/")]
    with engine.connect() as conn:
        bodies = conn.execute(select(items.c.lang, items.c.body)).all()
    assert all("réunion" in body for lang, body in bodies if lang == "fr")
