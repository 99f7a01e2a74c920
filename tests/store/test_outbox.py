"""The outbox against a real SQLite file: who gets what, exactly once, and delivery states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.models import NewsItem
from icesco_watch.store.items import record_items
from icesco_watch.store.outbox import (
    claim_deliveries,
    enqueue_deliveries,
    get_deliveries,
    mark_failed,
    mark_sent,
    mark_skipped,
    next_due_at,
    pending_counts,
    reschedule,
    skip_pending_for_chat,
)
from icesco_watch.store.schema import open_store
from icesco_watch.store.subscriptions import (
    add_subscription,
    set_active,
    set_lang,
    set_paused,
    upsert_chat,
)
from tests.stores import store_url

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def news(key: str, lang: str = "en", **fields: Any) -> NewsItem:
    values: dict[str, Any] = {
        "source": f"icesco-{lang}",
        "lang": lang,
        "url": f"https://icesco.org/{key}/",
        "title": f"Title of {key}",
        "published": NOW - timedelta(hours=1),
    }
    values.update(fields)
    return NewsItem(key=f"icesco.org/{lang}/2025/03/01/{key}", **values)


def make_settings(**telegram: Any) -> Settings:
    return Settings.model_validate(
        {
            "telegram": telegram,
            "sectors": [
                {"key": k, "name": {"en": k, "fr": k, "ar": k}}
                for k in ("education", "culture", "science")
            ],
            "topics": [{"key": "ai", "name": "AI", "keywords": ["artificial intelligence"]}],
        }
    )


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    return open_store(store_url(tmp_path))


def store_and_enqueue(engine: Engine, found: list[NewsItem], settings: Settings) -> int:
    with engine.begin() as conn:
        record_items(conn, found, [], NOW, settings.alerts, baseline=False)
        return enqueue_deliveries(conn, found, settings, NOW)


def targets(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        return {(d.item_key.rsplit("/", 1)[1], d.chat) for d in get_deliveries(conn)}


def subscribe(engine: Engine, chat: str, kind: str, value: str = "") -> None:
    with engine.begin() as conn:
        upsert_chat(conn, chat, NOW)
        add_subscription(conn, chat, kind, value)


def test_subscriptions_by_sector_topic_keyword_and_all(store: Engine) -> None:
    subscribe(store, "1", "sector", "education")
    subscribe(store, "2", "topic", "ai")
    subscribe(store, "3", "keyword", "manuscripts")
    subscribe(store, "4", "all")
    found = [
        news("school", sectors=("education",)),
        news("robots", topics=("ai",), sectors=("science",)),
        news("library", body="Old Manuscripts, restored."),
        news("manuscriptsx", body="manuscriptsology is not a word"),
    ]
    added = store_and_enqueue(store, found, make_settings())
    assert targets(store) == {
        ("school", "1"),
        ("robots", "2"),
        ("library", "3"),
        *((key, "4") for key in ("school", "robots", "library", "manuscriptsx")),
    }
    assert added == 7


def test_keywords_match_whole_words_across_accents_and_arabic_forms(store: Engine) -> None:
    subscribe(store, "1", "keyword", "éducation")
    subscribe(store, "2", "keyword", "الذكاء الاصطناعي")
    found = [
        news("fr", "fr", title="L'EDUCATION pour tous"),
        news("ar", "ar", summary="ندوة عن الذّكاء الاصطناعي في التعليم"),
        news("partial", "fr", title="Rééducation fonctionnelle"),
    ]
    store_and_enqueue(store, found, make_settings())
    assert targets(store) == {("fr", "1"), ("ar", "2")}


def test_routes_filter_by_sector_topic_and_language(store: Engine) -> None:
    settings = make_settings(
        routes=[
            {"chat": "@edu_channel", "sectors": ["education"]},
            {"chat": "@ai_channel", "topics": ["ai"], "langs": ["fr"]},
            {"chat": "-1001", "langs": ["ar"]},
        ]
    )
    found = [
        news("school", sectors=("education",), topics=("ai",)),
        news("ia", "fr", topics=("ai",)),
        news("arabic", "ar"),
    ]
    store_and_enqueue(store, found, settings)
    assert targets(store) == {
        ("school", "@edu_channel"),
        ("ia", "@ai_channel"),
        ("arabic", "-1001"),
    }


def test_paused_inactive_and_other_language_chats_get_nothing(store: Engine) -> None:
    for chat in ("paused", "blocked", "arabic", "open"):
        subscribe(store, chat, "all")
    with store.begin() as conn:
        set_paused(conn, "paused", True, NOW)
        set_active(conn, "blocked", False, NOW)
        set_lang(conn, "arabic", "ar", NOW)
        set_active(conn, "@gone", False, NOW)
    settings = make_settings(routes=[{"chat": "@gone"}])
    store_and_enqueue(store, [news("one"), news("two", "ar")], settings)
    assert targets(store) == {("one", "open"), ("two", "open"), ("two", "arabic")}


def test_enqueueing_twice_adds_nothing(store: Engine) -> None:
    subscribe(store, "1", "all")
    found = [news("one"), news("two")]
    assert store_and_enqueue(store, found, make_settings()) == 2
    with store.begin() as conn:
        assert enqueue_deliveries(conn, found, make_settings(), NOW) == 0
        assert len(get_deliveries(conn)) == 2


def test_enqueue_rolls_back_with_the_items(store: Engine) -> None:
    subscribe(store, "1", "all")

    def fail_after_enqueueing() -> None:
        with store.begin() as conn:
            enqueue_deliveries(conn, [news("one")], make_settings(), NOW)
            raise RuntimeError("the cycle failed after enqueueing")

    with pytest.raises(RuntimeError):
        fail_after_enqueueing()
    assert targets(store) == set()


def test_due_oldest_first_and_state_changes(store: Engine) -> None:
    subscribe(store, "1", "all")
    store_and_enqueue(store, [news("a"), news("b"), news("c"), news("d")], make_settings())
    with store.begin() as conn:
        due = claim_deliveries(conn, "sender-1", NOW, limit=10)
        assert [d.item.key.rsplit("/", 1)[1] for d in due] == ["a", "b", "c", "d"]
        a, b, c, d = (entry.delivery.id for entry in due)
        mark_sent(conn, [a], 99, NOW)
        mark_failed(conn, [b], "400: can't parse entities")
        later = NOW + timedelta(minutes=5)
        reschedule(conn, [c], later, "502 Bad Gateway")
        reschedule(conn, [d], later, "429", count_attempt=False)
        mark_failed(conn, [a], "a late error must not undo a send")
        assert claim_deliveries(conn, "sender-1", NOW, limit=10) == []
        assert next_due_at(conn) == later
        assert len(claim_deliveries(conn, "sender-1", later, limit=10)) == 2
        rows = {row.id: row for row in get_deliveries(conn)}
        assert (rows[a].status, rows[a].message_id, rows[a].sent_at) == ("sent", 99, NOW)
        assert (rows[b].status, rows[b].last_error) == ("failed", "400: can't parse entities")
        assert (rows[c].attempts, rows[d].attempts) == (1, 0)
        assert pending_counts(conn) == {"pending": 2, "sent": 1, "failed": 1, "skipped": 0}
        assert skip_pending_for_chat(conn, "1", "blocked") == 2
        mark_skipped(conn, [a], "ignored: already sent")
        assert pending_counts(conn) == {"pending": 0, "sent": 1, "failed": 1, "skipped": 2}


def test_a_chat_that_is_a_route_and_a_subscriber_gets_each_item_once(store: Engine) -> None:
    subscribe(store, "@edu_channel", "keyword", "manuscripts")
    subscribe(store, "-555", "all")
    with store.begin() as conn:
        set_paused(conn, "-555", True, NOW)
    settings = make_settings(
        routes=[{"chat": "@edu_channel", "sectors": ["education"]}, {"chat": "-555"}]
    )
    found = [
        news("both", sectors=("education",), body="Manuscripts for schools."),
        news("keyword-only", body="Old manuscripts."),
        news("neither"),
    ]
    assert store_and_enqueue(store, found, settings) == 2
    assert targets(store) == {("both", "@edu_channel"), ("keyword-only", "@edu_channel")}


def test_topic_keys_with_an_underscore_route_exactly(store: Engine) -> None:
    subscribe(store, "1", "topic", "a_b")
    settings = make_settings()
    store_and_enqueue(
        store, [news("exact", topics=("a_b",)), news("near", topics=("axb",))], settings
    )
    assert targets(store) == {("exact", "1")}
