"""One alert per story: real ICESCO items in three languages, recorded crawl by crawl, delivered
by the real sender (PTB) through the fake Bot API to a chat of every language and to one-language
chats."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.models import NewsItem
from icesco_watch.notifiers.telegram.outcomes import Backoff, DrainReport
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.notifiers.telegram.stories import IN_DIGEST
from icesco_watch.store.chat_language import set_ui_lang
from icesco_watch.store.items import record_items
from icesco_watch.store.outbox import enqueue_deliveries
from icesco_watch.store.schema import open_store
from icesco_watch.store.subscriptions import set_lang
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import NOW, bot_for, deliveries, make_settings, subscribe
from tests.store.test_links import AR, EN, EN_OTHER, FR, FR_OTHER

QUICK = Backoff(base=0.1, cap=0.5, max_attempts=6)
EVERY = "701"  # receives every language
FRENCH = "702"  # French only
ARABIC = "703"  # Arabic only


@pytest.fixture
def store(tmp_path: Path, api: FakeBotApi) -> tuple[Settings, Engine]:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    for chat, lang in ((EVERY, None), (FRENCH, "fr"), (ARABIC, "ar")):
        subscribe(engine, chat)
        with engine.begin() as conn:
            set_lang(conn, chat, lang, NOW)
            # The bot speaks English there: the labels ("Also in") read in English.
            set_ui_lang(conn, chat, "en", NOW)
    return settings, engine


def crawl(engine: Engine, settings: Settings, found: list[NewsItem]) -> int:
    """One crawl cycle's store step: record the items, queue their alerts, one transaction."""
    now = max(i.published for i in found) + timedelta(hours=1)
    with engine.begin() as conn:
        record_items(conn, found, [i.key for i in found], now, settings.alerts, baseline=False)
        return enqueue_deliveries(conn, found, settings, now)


def drain(settings: Settings, engine: Engine, seconds: float = 30) -> DrainReport:
    async def run() -> DrainReport:
        async with bot_for(settings) as bot:
            sender = Sender(settings, engine, bot, QUICK)
            return await sender.drain(time.monotonic() + seconds)

    return asyncio.run(run())


def story_messages(api: FakeBotApi, chat: int) -> list[str]:
    titles = (AR.title, EN.title, FR.title)
    return [m.text for m in api.messages_to(chat) if any(t in m.plain for t in titles)]


def also_in(text: str) -> str:
    [line] = [line for line in text.split("\n") if line.startswith("Also in: ")]
    return line


def test_a_story_arriving_in_three_crawls_is_one_alert_edited_to_list_the_others(
    store: tuple[Settings, Engine], api: FakeBotApi
) -> None:
    settings, engine = store
    crawl(engine, settings, [AR])
    drain(settings, engine)
    [first] = story_messages(api, int(EVERY))
    assert "Also in" not in first
    crawl(engine, settings, [EN, EN_OTHER])
    drain(settings, engine)
    crawl(engine, settings, [FR_OTHER, FR])
    report = drain(settings, engine)
    assert report.pending == 0
    # The chat of every language: one alert for the story (the Arabic version, first to
    # arrive), edited twice; the other stories of those days arrive as alerts of their own.
    assert story_messages(api, int(EVERY)) == [first]
    sent = {m.message_id for m in api.messages_to(int(EVERY)) if m.text == first}
    edits = [e for e in api.edits if e.chat_id == int(EVERY)]
    assert [e.message_id for e in edits] == [*sent, *sent]
    assert edits[0].text is not None
    assert edits[1].text is not None
    assert also_in(edits[0].text) == f'Also in: <a href="{EN.url}">English</a>'
    assert also_in(edits[1].text) == (
        f'Also in: <a href="{EN.url}">English</a> · <a href="{FR.url}">Français</a>'
    )
    assert edits[1].text.startswith(first.split("\n\nAlso in")[0])
    others = [m.plain for m in api.messages_to(int(EVERY)) if m.text != first]
    assert len(others) == 2
    assert any(EN_OTHER.title in t for t in others)
    assert any(FR_OTHER.title in t for t in others)
    # Every version's delivery is settled on the one message.
    story = {
        d.item_key: d for d in deliveries(engine, EVERY) if d.item_key in {AR.key, EN.key, FR.key}
    }
    assert {d.status for d in story.values()} == {"sent"}
    assert {d.message_id for d in story.values()} == sent
    # One-language chats get their alerts as before, with no "Also in".
    [french] = [m.plain for m in api.messages_to(int(FRENCH)) if FR.title in m.plain]
    assert "Also in" not in french
    [arabic] = [m.plain for m in api.messages_to(int(ARABIC)) if AR.title in m.plain]
    assert "Also in" not in arabic
    assert len(api.messages_to(int(FRENCH))) == 2  # the story and the other French item


def test_versions_queued_before_the_alert_left_join_it(
    store: tuple[Settings, Engine], api: FakeBotApi
) -> None:
    settings, engine = store
    crawl(engine, settings, [AR])
    crawl(engine, settings, [EN])
    crawl(engine, settings, [FR])
    report = drain(settings, engine)
    assert report.pending == 0
    [alert] = story_messages(api, int(EVERY))
    assert AR.title in alert
    assert also_in(alert) == (
        f'Also in: <a href="{EN.url}">English</a> · <a href="{FR.url}">Français</a>'
    )
    assert not api.edits
    rows = deliveries(engine, EVERY)
    assert [d.status for d in rows] == ["sent"] * 3
    assert len({d.message_id for d in rows}) == 1


def test_a_failed_edit_is_retried_and_never_becomes_a_second_alert(
    store: tuple[Settings, Engine], api: FakeBotApi
) -> None:
    settings, engine = store
    crawl(engine, settings, [EN])
    drain(settings, engine)
    api.inject("editMessageText", "500", count=2)
    crawl(engine, settings, [FR])
    report = drain(settings, engine)
    assert report.pending == 0
    assert report.retried == 2
    assert len(story_messages(api, int(EVERY))) == 1
    [edit] = [e for e in api.edits if e.chat_id == int(EVERY)]
    assert edit.text is not None
    assert also_in(edit.text) == f'Also in: <a href="{FR.url}">Français</a>'
    assert [d.status for d in deliveries(engine, EVERY)] == ["sent", "sent"]


def test_an_edit_whose_message_is_gone_is_reported_not_resent(
    store: tuple[Settings, Engine], api: FakeBotApi
) -> None:
    settings, engine = store
    crawl(engine, settings, [EN])
    drain(settings, engine)
    [root] = deliveries(engine, EVERY)
    assert root.message_id is not None
    api.inject("editMessageText", "500", count=QUICK.max_attempts)
    crawl(engine, settings, [FR])
    report = drain(settings, engine)
    assert report.failed == 1
    late = [d for d in deliveries(engine, EVERY) if d.item_key == FR.key]
    assert late[0].status == "failed"
    assert "gave up" in (late[0].last_error or "")
    assert len(story_messages(api, int(EVERY))) == 1  # reported, never sent as a new alert


def test_a_version_of_a_story_sent_in_a_digest_is_skipped_saying_why(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api, digest_after=1)
    engine = open_store(settings.storage.url)
    subscribe(engine, EVERY)
    crawl(engine, settings, [EN, EN_OTHER])
    drain(settings, engine)
    [digest] = api.messages_to(int(EVERY))
    assert EN.title in digest.plain
    assert EN_OTHER.title in digest.plain
    crawl(engine, settings, [FR])
    report = drain(settings, engine)
    assert report.pending == 0
    [late] = [d for d in deliveries(engine, EVERY) if d.item_key == FR.key]
    assert (late.status, late.last_error) == ("skipped", IN_DIGEST)
    assert not api.edits  # the digest lists other items: never overwritten
    assert len(api.messages_to(int(EVERY))) == 1


def test_a_config_route_of_two_languages_gets_one_alert_per_story(
    tmp_path: Path, api: FakeBotApi
) -> None:
    routes = [{"chat": "@newsroom", "langs": ["en", "fr"]}, {"chat": "@arabic", "langs": ["ar"]}]
    settings = make_settings(tmp_path, api, routes=routes)
    engine = open_store(settings.storage.url)
    crawl(engine, settings, [EN])
    crawl(engine, settings, [AR])
    crawl(engine, settings, [FR])
    assert drain(settings, engine).pending == 0
    [alert] = [m.text for m in api.messages_to("@newsroom")]
    assert also_in(alert) == f'Also in: <a href="{FR.url}">Français</a>'  # not Arabic: not routed
    [arabic] = [m.text for m in api.messages_to("@arabic")]
    assert "Also in" not in arabic
