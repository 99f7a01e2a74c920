"""Chats and subscriptions against a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.store.schema import open_store
from icesco_watch.store.subscriptions import (
    KEYWORDS_PER_CHAT,
    SubscriptionError,
    add_keyword,
    add_subscription,
    get_chat,
    list_subscriptions,
    remove_all_subscriptions,
    remove_keyword,
    remove_subscription,
    set_active,
    set_lang,
    set_paused,
    upsert_chat,
)
from tests.stores import store_url

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    return open_store(store_url(tmp_path))


def test_start_registers_once_and_reactivates_a_blocked_chat(store: Engine) -> None:
    with store.begin() as conn:
        chat, created = upsert_chat(conn, "42", NOW)
        assert created
        assert (chat.active, chat.paused, chat.lang, chat.mode) == (True, False, None, "instant")
        set_active(conn, "42", False, NOW)
        again, created_again = upsert_chat(conn, "42", NOW)
    assert not created_again
    assert again.active


def test_lang_pause_and_unknown_language(store: Engine) -> None:
    with store.begin() as conn:
        upsert_chat(conn, "7", NOW)
        set_lang(conn, "7", "ar", NOW)
        set_paused(conn, "7", True, NOW)
        chat = get_chat(conn, "7")
        assert chat is not None
        assert (chat.lang, chat.paused) == ("ar", True)
        with pytest.raises(SubscriptionError, match="en, ar, fr"):
            set_lang(conn, "7", "de", NOW)


def test_route_channel_gets_a_row_when_marked_inactive(store: Engine) -> None:
    with store.begin() as conn:
        set_active(conn, "@icesco_news", False, NOW)
        chat = get_chat(conn, "@icesco_news")
    assert chat is not None
    assert not chat.active


def test_subscriptions_are_unique_normalised_and_removable(store: Engine) -> None:
    with store.begin() as conn:
        upsert_chat(conn, "1", NOW)
        assert add_subscription(conn, "1", "sector", "education")
        assert not add_subscription(conn, "1", "sector", "education")
        assert add_subscription(conn, "1", "keyword", "  Artificial   Intelligence ")
        assert not add_subscription(conn, "1", "keyword", "artificial intelligence")
        assert add_subscription(conn, "1", "all")
        kinds = [(s.kind, s.value) for s in list_subscriptions(conn, "1")]
        assert kinds == [
            ("all", ""),
            ("keyword", "artificial intelligence"),
            ("sector", "education"),
        ]
        assert remove_subscription(conn, "1", "keyword", "ARTIFICIAL intelligence")
        assert not remove_subscription(conn, "1", "keyword", "artificial intelligence")
        assert remove_all_subscriptions(conn, "1") == 2
        assert list_subscriptions(conn, "1") == []


def test_invisible_characters_typed_in_a_keyword_are_dropped(store: Engine) -> None:
    # Titles are stored without bidi controls and zero-width characters; a keyword keeping them
    # ("patri<U+200B>moine", "<U+200F>patrimoine") could never match or looked like a second one.
    with store.begin() as conn:
        upsert_chat(conn, "1", NOW)
        assert add_subscription(conn, "1", "keyword", "\u200fPatri\u200bmoine\u202c")
        assert not add_subscription(conn, "1", "keyword", "patrimoine")
        assert [s.value for s in list_subscriptions(conn, "1")] == ["patrimoine"]
        with pytest.raises(SubscriptionError, match="cannot be empty"):
            add_subscription(conn, "1", "keyword", "\u200b\u2066")


def test_a_keyword_is_stored_once_however_it_is_spelt(store: Engine) -> None:
    # "heritage" and "Héritage" match the same news: two rows counted twice against the cap,
    # and /unwatch of one spelling left the other sending alerts.
    with store.begin() as conn:
        upsert_chat(conn, "1", NOW)
        assert add_keyword(conn, "1", "“Héritage”") == ("héritage", True)
        assert add_keyword(conn, "1", "heritage") == ("héritage", False)
        assert not add_subscription(conn, "1", "keyword", "HERITAGE")
        assert add_keyword(conn, "1", "teachers") == ("teachers", True)
        assert remove_keyword(conn, "1", "teacher") == ["teachers"]
        assert remove_keyword(conn, "1", "teacher") == []
        assert remove_subscription(conn, "1", "keyword", "'heritage'")
        assert list_subscriptions(conn, "1") == []


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("colour", "red", "unknown kind"),
        ("sector", "Education!", "not a sector key"),
        ("keyword", "   ", "cannot be empty"),
        ("keyword", "x" * 101, "at most 100 characters"),
        ("keyword", "one two three four five six seven eight nine", "at most 8 words"),
        ("keyword", "?!", "at least one letter"),
    ],
)
def test_invalid_subscriptions_are_refused(
    store: Engine, kind: str, value: str, message: str
) -> None:
    with store.begin() as conn, pytest.raises(SubscriptionError, match=message):
        add_subscription(conn, "1", kind, value)


def test_keywords_per_chat_are_capped(store: Engine) -> None:
    with store.begin() as conn:
        for n in range(KEYWORDS_PER_CHAT):
            add_subscription(conn, "1", "keyword", f"word{n}")
        with pytest.raises(SubscriptionError, match="at most"):
            add_subscription(conn, "1", "keyword", "one more")
