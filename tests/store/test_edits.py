"""The edit path of the store: channels' modified times, versions, and the channel a source
was read through (kept after a success, forgotten after a listing failure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.config.schema import AlertsConfig
from icesco_watch.models import CrawlResult, NewsItem, Outcome, SourceReport
from icesco_watch.store.health import record_run, source_state
from icesco_watch.store.items import items_by_key, known_modified, record_items
from icesco_watch.store.schema import open_store

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ALERTS = AlertsConfig(max_age_days=0)
KEY = "icesco.org/en/2026/11/22/a"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(f"sqlite:///{tmp_path}/watch.db")


def _item(title: str = "A title", body: str = "Body.") -> NewsItem:
    return NewsItem(KEY, "icesco-en", "en", f"https://{KEY}/", title, T0, body=body)


def test_modified_times_are_kept_and_an_edit_is_a_new_version(engine: Engine) -> None:
    with engine.begin() as conn:
        first = record_items(conn, [_item()], [KEY], T0, ALERTS, False, {KEY: "2026-11-22T12:00"})
    assert first == {KEY: Outcome.NEW}
    with engine.connect() as conn:
        assert known_modified(conn, "en") == {KEY: "2026-11-22T12:00"}

    later = T0 + timedelta(hours=1)
    edited = _item(title="A better title")
    with engine.begin() as conn:
        outcome = record_items(conn, [edited], [KEY], later, ALERTS, False, {KEY: "2026-11-22T13"})
    assert outcome == {KEY: Outcome.UPDATED}
    with engine.connect() as conn:
        stored = items_by_key(conn, [KEY])[KEY]
        assert known_modified(conn, "en") == {KEY: "2026-11-22T13"}
    assert (stored.item.title, stored.version, stored.updated_at) == ("A better title", 2, later)


def test_a_touched_but_unchanged_post_is_no_edit(engine: Engine) -> None:
    with engine.begin() as conn:
        record_items(conn, [_item()], [KEY], T0, ALERTS, False)  # read from HTML: no time
        # The REST API lists it with its modified time: adopted quietly, nothing re-read.
        assert record_items(conn, [], [KEY], T0, ALERTS, False, {KEY: "t1"}) == {}
        assert known_modified(conn, "en") == {KEY: "t1"}
        # Modified again, same text (WordPress bumps the time on any save): unchanged.
        same = replace(_item(), sectors=("education",))
        assert record_items(conn, [same], [KEY], T0, ALERTS, False, {KEY: "t2"}) == {
            KEY: Outcome.UNCHANGED
        }
        assert items_by_key(conn, [KEY])[KEY].version == 1


def _record(engine: Engine, result: CrawlResult) -> None:
    report = SourceReport("src", T0, T0, errors=list(result.errors), fatal=result.fatal)
    with engine.begin() as conn:
        record_run(conn, report, result, failure_threshold=3, baseline_complete=True)


def test_the_channel_is_kept_after_success_and_forgotten_after_a_listing_failure(
    engine: Engine,
) -> None:
    feed = "https://icesco.org/en/category/news/feed/atom/"
    ok = CrawlResult("src", channel="rest", category_id=7, etag='"v1"', validated_url=feed)
    _record(engine, ok)
    with engine.connect() as conn:
        state = source_state(conn, "src")
    assert (state.channel, state.category_id, state.etag, state.validated_url) == (
        "rest",
        7,
        '"v1"',
        feed,
    )
    broken = CrawlResult("src", channel="html")
    broken.fail("listing answered HTTP 500", fatal=True)
    _record(engine, broken)
    with engine.connect() as conn:
        state = source_state(conn, "src")
    assert (state.channel, state.category_id) == (None, None)  # the next cycle discovers
    assert state.etag == '"v1"'  # validators stay until a clean cycle replaces them


def test_an_edit_that_could_not_be_read_is_noticed_again(engine: Engine) -> None:
    with engine.begin() as conn:
        record_items(conn, [_item()], [KEY], T0, ALERTS, False, {KEY: "t1"})
        # The channel says "modified" but the article page failed: no item this cycle.
        assert record_items(conn, [], [KEY], T0, ALERTS, False, {KEY: "t2"}) == {}
        assert known_modified(conn, "en") == {KEY: "t1"}  # so the next crawl reads it again
