"""Quarantine of failed articles: growing delays, due or waiting, released on success."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.models import ArticleFailure
from icesco_watch.store.quarantine import (
    backoff,
    quarantined,
    record_failures,
    release,
    split_due,
)
from icesco_watch.store.schema import open_store

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
BOMB = ArticleFailure("icesco.org/en/2025/01/01/bomb", "http://icesco.org/en/2025/01/01/bomb/", "x")


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(f"sqlite:///{tmp_path}/watch.db")


def test_backoff_retries_next_cycle_then_doubles_from_an_hour_up_to_a_week() -> None:
    hours = [backoff(n) / timedelta(hours=1) for n in range(1, 12)]
    assert hours == [0, 1, 2, 4, 8, 16, 32, 64, 128, 168, 168]
    assert backoff(10_000) == timedelta(days=7)


def test_failures_count_up_and_push_the_next_attempt_back(engine: Engine) -> None:
    for n in range(1, 4):
        now = T0 + timedelta(hours=n)
        with engine.begin() as conn:
            [held] = record_failures(conn, "icesco-en", [BOMB, BOMB], now)  # one row per key
        assert held.failures == n
        assert held.next_attempt_at == now + backoff(n)
        assert held.first_failed == T0 + timedelta(hours=1)
    with engine.connect() as conn:
        [stored] = quarantined(conn, "icesco-en")
        assert quarantined(conn, "icesco-fr") == []
    assert stored == held


def test_due_articles_are_retried_the_others_wait(engine: Engine) -> None:
    other = ArticleFailure(
        "icesco.org/en/2025/01/02/big", "http://icesco.org/en/2025/01/02/big/", "y"
    )
    with engine.begin() as conn:
        record_failures(conn, "icesco-en", [BOMB], T0)
        record_failures(conn, "icesco-en", [BOMB, other], T0 + timedelta(minutes=1))
        articles = quarantined(conn)
    due, waiting = split_due(articles, T0 + timedelta(minutes=2))
    assert [a.key for a in due] == [other.key]  # first failure: due at the next cycle
    assert waiting == {BOMB.key}  # second failure: an hour from its last attempt
    due, waiting = split_due(articles, T0 + timedelta(hours=2))
    assert {a.key for a in due} == {BOMB.key, other.key}
    assert waiting == frozenset()


def test_a_success_releases_the_article(engine: Engine) -> None:
    with engine.begin() as conn:
        record_failures(conn, "icesco-en", [BOMB], T0)
        release(conn, [BOMB.key, "icesco.org/en/never/quarantined"])
        assert quarantined(conn) == []


def test_a_long_error_is_cut(engine: Engine) -> None:
    with engine.begin() as conn:
        [held] = record_failures(conn, "s", [ArticleFailure("k", "u", "e" * 5000)], T0)
    assert len(held.last_error) == 500
