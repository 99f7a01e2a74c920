"""Publishing to a real folder from a real SQLite store: only touched feeds are rewritten."""

from __future__ import annotations

import os
from pathlib import Path

import feedparser
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.catalog import FORMATS, INDEX_FILE, OPML_FILE, feed_specs
from icesco_watch.feeds.publish import build_all, publish_feeds, write_if_changed
from tests.feeds.conftest import AWKWARD, make_item, store_items

OLD = 1_000_000_000  # an mtime long past: a file written now would get a different one


def _all_files(settings: Settings) -> set[str]:
    feeds = {spec.path(fmt) for spec in feed_specs(settings) for fmt in FORMATS}
    return feeds | {OPML_FILE, INDEX_FILE}


def _age_every_file(root: Path) -> dict[str, bytes]:
    contents = {}
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))
            contents[path.relative_to(root).as_posix()] = path.read_bytes()
    return contents


def _rewritten(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.stat().st_mtime != OLD
    }


def test_build_all_writes_every_feed_and_a_second_build_writes_nothing(
    settings: Settings, engine: Engine
) -> None:
    store_items(engine, AWKWARD)
    root = Path(settings.feeds.dir)
    first = build_all(settings, engine)
    assert set(first.written) == _all_files(settings)
    for path in first.written:
        if path.endswith((".rss", ".atom")):
            assert feedparser.parse((root / path).read_bytes()).bozo == 0, path
    before = _age_every_file(root)
    second = build_all(settings, engine)
    assert second.written == []
    assert set(second.unchanged) == _all_files(settings)
    assert _rewritten(root) == set()
    assert _age_every_file(root) == before


def test_publish_rewrites_only_the_feeds_a_new_item_belongs_to(
    settings: Settings, engine: Engine
) -> None:
    store_items(engine, AWKWARD)
    root = Path(settings.feeds.dir)
    build_all(settings, engine)
    before = _age_every_file(root)
    fresh = make_item("new-forum", "fr", hours_ago=0, sectors=("dialogue",), topics=("ai",))
    store_items(engine, [fresh])
    report = publish_feeds(settings, engine, [fresh])
    expected = {
        f"{lang}/{stem}.{fmt}"
        for lang in ("fr", "all")
        for stem in ("all", "sector/dialogue", "topic/ai")
        for fmt in FORMATS
    } | {INDEX_FILE}
    assert set(report.written) == expected
    assert _rewritten(root) == expected
    untouched = set(before) - expected
    assert all((root / p).read_bytes() == before[p] for p in untouched)
    titles = [
        e.title for e in feedparser.parse((root / "fr/sector/dialogue.rss").read_bytes()).entries
    ]
    assert titles == [fresh.title]


def test_a_touched_item_that_changes_nothing_rewrites_nothing(
    settings: Settings, engine: Engine
) -> None:
    store_items(engine, AWKWARD)
    root = Path(settings.feeds.dir)
    build_all(settings, engine)
    _age_every_file(root)
    report = publish_feeds(settings, engine, AWKWARD[:2])
    assert report.written == []
    assert report.unchanged  # the affected feeds were rebuilt and compared
    assert _rewritten(root) == set()


def test_publish_creates_missing_feeds_even_when_nothing_touched_them(
    settings: Settings, engine: Engine
) -> None:
    store_items(engine, AWKWARD)
    report = publish_feeds(settings, engine, [])
    assert set(report.written) == _all_files(settings)
    (Path(settings.feeds.dir) / "en/topic/ai.atom").unlink()
    again = publish_feeds(settings, engine, [])
    assert again.written == ["en/topic/ai.atom"]
    assert "en/topic/ai.rss" in again.unchanged


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "feed.rss"
    assert write_if_changed(target, b"one") is True
    assert write_if_changed(target, b"one") is False
    assert write_if_changed(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["feed.rss"]
    assert target.stat().st_mode & 0o777 == 0o644
