"""The cycle publishes feeds: every feed after the first run, then only what new items touch."""

from __future__ import annotations

from pathlib import Path

import feedparser
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from tests.conftest import by_source, crawl
from tests.replica import ARTICLES, ReplicaServer


def test_feeds_follow_the_store_and_untouched_feeds_keep_their_bytes(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    root = Path(settings.feeds.dir)
    crawl(settings, engine)
    first = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    assert root / "en" / "all.rss" in first
    assert root / "ar" / "sector" / "arabic-language.atom" in first
    assert root / "feeds.opml" in first

    replica.set_state("after")
    report = by_source(crawl(settings, engine))
    new_keys = {k for r in report.values() for k in r.new}
    new_titles = {a.title for a in ARTICLES if a.expected_key in new_keys}
    assert new_titles

    parsed = feedparser.parse((root / "all" / "all.rss").read_bytes())
    assert parsed.bozo == 0
    assert new_titles <= {e.title for e in parsed.entries}
    # Feeds no new item belongs to were not rewritten.
    untouched = [p for p, mtime in first.items() if p.stat().st_mtime_ns == mtime]
    assert root / "en" / "sector" / "strategy.rss" in untouched

    # A quiet cycle (304s) rewrites nothing at all.
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    crawl(settings, engine)
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()} == before
