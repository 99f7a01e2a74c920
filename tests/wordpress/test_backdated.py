"""Posts published with a date in the past, against real WordPress: a post inserted with an
older date (the REST API, WP-CLI, an import) and a scheduled post WP-cron publishes late keep a
modified time older than the site's newest, so the feed's validators do not move. The REST
channel's census (post count, newest id) sees them at once; the feed channel within
FEED_REFRESH."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update

from icesco_watch.config.schema import Settings
from icesco_watch.spiders.plan import FEED_REFRESH
from icesco_watch.spiders.urls import canonical_key
from icesco_watch.store.health import source_state
from icesco_watch.store.schema import deliveries, items, open_store, sources
from icesco_watch.store.subscriptions import add_subscription, upsert_chat
from tests.wordpress.conftest import WordPress
from tests.wordpress.test_wordpress import BODIES, TITLES, ZONE, cycle


def _ago(**delta: float) -> str:
    return (datetime.now(ZONE) - timedelta(**delta)).strftime("%Y-%m-%d %H:%M:%S")


def _post(lang: str, n: int, date: str, **extra: Any) -> dict[str, Any]:
    category = {"en": "news", "ar": "المستجدات", "fr": "actualites"}[lang]
    title = TITLES[lang].format(n=n)
    content = BODIES[lang].format(n=n)
    return {"op": "add", "lang": lang, "title": title, "date": date, "content": content} | {
        "category": category,
        **extra,
    }


def _recent_site(wp: WordPress) -> None:
    """Twelve English posts of the last twelve hours (two REST pages by date), one per other
    site: the newest, an hour old, is the site's newest modified time."""
    ops = [_post("en", n, _ago(hours=n)) for n in range(1, 13)]
    ops += [_post(lang, 1, _ago(hours=1)) for lang in ("ar", "fr")]
    wp.run(*ops)


def _open(wp: WordPress, tmp_path: Path, channel: str) -> tuple[Settings, Engine]:
    config = wp.config(tmp_path, channel, alerts={"max_age_days": 7})
    settings = Settings.model_validate(config)
    engine = open_store(settings.storage.url)
    with engine.begin() as conn:
        upsert_chat(conn, "1001", datetime.now(UTC))
        add_subscription(conn, "1001", "all")
    return settings, engine


def _idle_hits(wp: WordPress, settings: Settings, engine: Engine) -> dict[str, list[Any]]:
    wp.proxy.clear()
    report = cycle(settings, engine)
    assert not report.failed, [r.errors for r in report.sources]
    assert all(r.not_modified for r in report.sources), report.sources
    return {
        lang: [(h.method, h.status, h.sent) for h in wp.hits if h.path.startswith(f"/{lang}/")]
        for lang in ("en", "ar", "fr")
    }


def test_rest_sees_back_dated_and_late_scheduled_posts_at_once(
    wordpress: WordPress, tmp_path: Path
) -> None:
    _recent_site(wordpress)
    settings, engine = _open(wordpress, tmp_path, "auto")
    assert not cycle(settings, engine).failed  # the baseline, and the census with it
    # Idle: the feed's conditional HEAD (304) and the census (one post id), a few hundred bytes.
    for lang, hits in _idle_hits(wordpress, settings, engine).items():
        assert [(method, status) for method, status, _ in hits] == [
            ("HEAD", 304),
            ("GET", 200),
        ], lang
        assert all(sent <= 2048 for _, _, sent in hits), (lang, hits)

    made = wordpress.run(
        # Published now, dated three hours back: modified = date, older than the site's newest.
        _post("en", 20, _ago(hours=3)),
        # Scheduled two hours ago, published late by WP-cron.
        _post("en", 21, _ago(hours=2), late=True),
        # Back-dated 30 days: older than max_age_days, and past the first page by date.
        _post("en", 22, _ago(days=30)),
    )
    fresh, late, old = (canonical_key(p["link"]) for p in made)
    wordpress.proxy.clear()
    report = cycle(settings, engine)
    assert not report.failed, [r.errors for r in report.sources]
    english = next(r for r in report.sources if r.source == "wp-en")
    assert set(english.new) == {fresh, late}
    assert english.stale == [old]  # stored as old-resurfaced, not alerted
    with engine.connect() as conn:
        alerted = set(conn.scalars(select(deliveries.c.item_key)))
        stored = set(conn.scalars(select(items.c.key)))
    assert alerted == {fresh, late}
    assert old in stored
    # Each post read once, from the channel itself: no article page fetched.
    assert not [h for h in wordpress.hits if h.path.startswith("/en/20")]
    # The other sites did not change: their cycles ended at the gate.
    assert all(r.not_modified for r in report.sources if r.source != "wp-en")
    # And the next cycle is idle again.
    assert all(len(hits) == 2 for hits in _idle_hits(wordpress, settings, engine).values())


def test_the_feed_channel_reads_its_feed_whole_when_it_is_old(
    wordpress: WordPress, tmp_path: Path
) -> None:
    _recent_site(wordpress)
    settings, engine = _open(wordpress, tmp_path, "feed")
    assert not cycle(settings, engine).failed
    for hits in _idle_hits(wordpress, settings, engine).values():
        assert [(method, status) for method, status, _ in hits] == [("GET", 304)]
    (made,) = wordpress.run(_post("en", 20, _ago(hours=2.5)))
    # The feed cannot tell: within FEED_REFRESH of the last read, 304 still ends the cycle.
    assert all(len(hits) == 1 for hits in _idle_hits(wordpress, settings, engine).values())
    with engine.begin() as conn:
        last_read = source_state(conn, "wp-en").last_read
        assert last_read is not None
        conn.execute(
            update(sources)
            .where(sources.c.key == "wp-en")
            .values(last_read=last_read - FEED_REFRESH)
        )
    wordpress.proxy.clear()
    report = cycle(settings, engine)
    assert not report.failed, [r.errors for r in report.sources]
    english = next(r for r in report.sources if r.source == "wp-en")
    assert english.new == [canonical_key(made["link"])]
    feed_hits = [h for h in wordpress.hits if h.path.startswith("/en/category/news/feed/")]
    assert (feed_hits[0].query, feed_hits[0].status, feed_hits[0].if_none_match) == ("", 200, None)
    # Read whole, the feed is trusted for FEED_REFRESH again.
    assert all(len(hits) == 1 for hits in _idle_hits(wordpress, settings, engine).values())
