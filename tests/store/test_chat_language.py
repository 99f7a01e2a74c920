"""The bot's language per chat in a real store: unknown until first contact, then it sticks,
apart from the news languages (`chats.lang`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.store.chat_language import get_ui_lang, set_ui_lang, ui_lang_on_contact
from icesco_watch.store.schema import open_store
from icesco_watch.store.subscriptions import get_chat, set_lang, upsert_chat
from tests.stores import store_url

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    return open_store(store_url(tmp_path))


def test_an_unregistered_chat_is_answered_in_its_guess_and_nothing_is_stored(
    store: Engine,
) -> None:
    with store.begin() as conn:
        assert ui_lang_on_contact(conn, "7", "ar") == "ar"
        assert get_chat(conn, "7") is None
        assert get_ui_lang(conn, "7") is None


def test_a_registered_chat_keeps_its_first_contact_language(store: Engine) -> None:
    with store.begin() as conn:
        upsert_chat(conn, "8", NOW)
        assert get_ui_lang(conn, "8") is None  # registered before its language was known
        assert ui_lang_on_contact(conn, "8", "fr") == "fr"
        assert ui_lang_on_contact(conn, "8", "en") == "fr"  # the app's language changed later
        assert get_ui_lang(conn, "8") == "fr"


def test_setting_the_language_registers_a_new_chat_and_leaves_news_languages_alone(
    store: Engine,
) -> None:
    with store.begin() as conn:
        set_ui_lang(conn, "9", "ar", NOW)
        chat = get_chat(conn, "9")
        assert chat is not None
        assert (chat.active, chat.lang) == (True, None)
        set_lang(conn, "9", "fr", NOW)
        set_ui_lang(conn, "9", "en", NOW)
        assert get_ui_lang(conn, "9") == "en"
        chat = get_chat(conn, "9")
        assert chat is not None
        assert chat.lang == "fr"
