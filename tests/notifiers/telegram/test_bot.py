"""The bot's commands end to end: updates from the fake Bot API, through real PTB polling."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import insert

from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.outbox import get_deliveries
from icesco_watch.store.schema import open_store, subscriptions
from icesco_watch.store.subscriptions import get_chat, list_subscriptions, upsert_chat
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import (
    NOW,
    Chat,
    make_settings,
    news,
    store_new,
    with_bot,
)

ADMIN = 4242


def test_subscribe_with_a_button_then_get_only_matching_alerts(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1500)

    async def scenario(sender: Sender) -> None:
        assert "Welcome" in await user.ask("/start")
        assert "Tap a sector" in await user.ask("/sectors")
        keyboard = api.messages_to(1500)[-1]
        assert keyboard.reply_markup is not None
        buttons = [b for row in keyboard.reply_markup["inline_keyboard"] for b in row]
        education = next(b for b in buttons if b["text"] == "Education")
        api.user_presses(1500, keyboard.message_id, education["callback_data"])
        await api.wait_for_async(lambda fake: len(fake.edits) == 1 and bool(fake.callback_answers))
        redrawn = api.edits[0].reply_markup or {}
        labels = [b["text"] for row in redrawn["inline_keyboard"] for b in row]
        assert "✅ Education" in labels
        assert "Following Education" in (api.callback_answers[0].text or "")
        store_new(
            engine,
            settings,
            [news("lesson", sectors=("education",)), news("poem", sectors=("culture",))],
        )
        report = await sender.drain()
        assert report.sent == 1

    with_bot(settings, engine, scenario)
    alerts = [m.plain for m in api.messages_to(1500) if "Headline" in m.plain]
    assert len(alerts) == 1
    assert "Headline lesson" in alerts[0]
    assert api.rate_limited == 0
    with engine.connect() as conn:
        assert [(s.kind, s.value) for s in list_subscriptions(conn, "1500")] == [
            ("sector", "education")
        ]


def test_commands_and_helpful_replies(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api, admin_chats=[ADMIN])
    engine = open_store(settings.storage.url)
    crawls: list[str] = []

    async def request_crawl() -> str:
        crawls.append("now")
        return "Crawl started."

    async def scenario(sender: Sender) -> None:
        user, admin, other = Chat(api, 1600), Chat(api, ADMIN), Chat(api, 1601)
        replies = await asyncio.gather(
            user.ask("/subscribe educaton"),
            other.ask("/subscribe"),
            admin.ask("/frobnicate"),
        )
        assert "Did you mean /subscribe education?" in replies[0]
        assert "Usage: /subscribe <sector|topic|all>" in replies[1]
        assert "Unknown command /frobnicate" in replies[2]
        replies = await asyncio.gather(
            user.ask("/subscribe Culture and Communication"),
            other.ask("/status"),
            admin.ask("/status"),
        )
        assert replies[0] == "Following Culture and Communication (#culture)."
        assert "admins" in replies[1]
        assert "deliveries: pending 0" in replies[2]
        replies = await asyncio.gather(
            user.ask("/watch <b>Heritage</b>"),
            other.ask("/lang de"),
            admin.ask("/crawl"),
        )
        assert replies[0] == "Watching “<b>heritage</b>”."  # shown as typed, not as markup
        assert "Usage: /lang en" in replies[1]
        assert replies[2] == "Crawl started."
        lang, typo = await asyncio.gather(user.ask("/lang ar"), other.ask("/subscribee all"))
        assert lang == "From now on, news in: العربية."
        assert "Did you mean /subscribe?" in typo
        listing = await user.ask("/list")
        assert "Culture and Communication (#culture)" in listing
        assert "“<b>heritage</b>”" in listing
        assert "News in: العربية." in listing
        assert "The bot speaks: English." in listing
        assert "paused" in await user.ask("/pause")
        assert "resumed" in await user.ask("/resume")
        assert await user.ask("/unsubscribe all") == "Removed 2 subscriptions."

    with_bot(settings, engine, scenario, request_crawl=request_crawl)
    assert crawls == ["now"]
    assert not any(c.status == 400 for c in api.calls)
    menus = [c.params for c in api.calls if c.method == "setMyCommands"]
    public = {c["command"] for c in menus[0]["commands"]}
    assert {"start", "sectors", "watch", "latest", "pause"} <= public
    assert not public & {"status", "crawl"}
    assert {"status", "crawl"} <= {c["command"] for c in menus[1]["commands"]}
    assert menus[1]["scope"] == {"type": "chat", "chat_id": ADMIN}


def test_a_new_subscriber_sees_the_latest_three_once_not_the_backlog(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    store_new(engine, settings, [news(f"old{n:02d}", minutes_ago=100 - n) for n in range(10)])
    user = Chat(api, 1700)

    async def scenario(sender: Sender) -> None:
        await user.ask("/start")
        await api.wait_for_async(lambda fake: len(fake.messages_to(1700)) == 2)
        assert "Welcome" in await user.ask("/start")  # again: no second digest
        assert "Headline old09" in await user.ask("/latest")

    with_bot(settings, engine, scenario)
    _welcome, digest, _again, _latest = api.messages_to(1700)
    assert [f"Headline old0{n}" in digest.plain for n in (9, 8, 7, 6)] == [True] * 3 + [False]
    with engine.connect() as conn:
        assert get_deliveries(conn) == []
        chat = get_chat(conn, "1700")
    assert chat is not None
    assert chat.active


def test_every_button_press_is_answered_even_stale_or_forged_data(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # A press Telegram delivers must be answered, or the user's button spins until it times
    # out: a button of an older bot version, or data a modified client forged, included.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1700)

    async def scenario(sender: Sender) -> None:
        assert "Tap a sector" in await user.ask("/sectors")
        shown = api.messages_to(1700)[-1].message_id
        for data in ("sub:sector:no-such-sector", "menu:old-layout", "x" * 64, "<b>&</b>"):
            api.user_presses(1700, shown, data)
        await api.wait_for_async(lambda fake: len(fake.callback_answers) == 4)

    with_bot(settings, engine, scenario)
    assert {a.text for a in api.callback_answers} == {
        "This button is out of date; send /sectors again."
    }
    assert api.edits == []
    with engine.connect() as conn:
        assert list_subscriptions(conn, "1700") == []


def test_a_press_on_an_older_keyboard_does_what_its_button_showed(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # Two /sectors keyboards in the chat: "Education" followed from the newer one, then
    # pressed on the older one, which still shows it unfollowed. The user asked to follow it:
    # toggling the stored state unfollowed it instead, and redrawing the older keyboard as it
    # already was made Telegram answer "message is not modified" (an error in the log).
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1800)

    def education(message_id: int) -> str:
        shown = next(m for m in api.messages_to(1800) if m.message_id == message_id)
        assert shown.reply_markup is not None
        buttons = [b for row in shown.reply_markup["inline_keyboard"] for b in row]
        return str(next(b for b in buttons if "Education" in b["text"])["callback_data"])

    async def scenario(sender: Sender) -> None:
        await user.ask("/sectors")
        older = api.messages_to(1800)[-1].message_id
        await user.ask("/sectors")
        newer = api.messages_to(1800)[-1].message_id
        api.user_presses(1800, newer, education(newer))
        await api.wait_for_async(lambda fake: len(fake.edits) == 1)
        api.user_presses(1800, older, education(older))
        await api.wait_for_async(lambda fake: len(fake.callback_answers) == 2)
        await api.wait_for_async(lambda fake: len(fake.edits) == 2)

    with_bot(settings, engine, scenario)
    assert [a.text for a in api.callback_answers] == ["Following Education (#education)"] * 2
    redrawn = api.edits[1].reply_markup or {}
    assert "✅ Education" in [b["text"] for row in redrawn["inline_keyboard"] for b in row]
    assert not [c for c in api.calls if c.status == 400]
    with engine.connect() as conn:
        assert [(s.kind, s.value) for s in list_subscriptions(conn, "1800")] == [
            ("sector", "education")
        ]


def test_watch_and_unwatch_know_a_keyword_however_it_is_spelt(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # Matching took "Héritage" and "heritage" (or "teachers" and "teacher", "مُعلّم" and
    # "معلم") for one keyword, /unwatch did not: "You were not watching" while its alerts came.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1900)

    async def scenario(sender: Sender) -> None:
        assert await user.ask("/watch Héritage") == "Watching “héritage”."
        assert await user.ask("/watch heritage") == "Already watching “héritage”."
        assert await user.ask("/unwatch heritage") == "Stopped watching “héritage”."
        assert await user.ask("/watch teachers") == "Watching “teachers”."
        assert await user.ask("/unwatch teacher") == "Stopped watching “teachers”."
        assert await user.ask("/watch مُعلّم") == "Watching “مُعلّم”."
        assert await user.ask("/watch المعلمين") == "Already watching “مُعلّم”."
        assert await user.ask("/unwatch معلم") == "Stopped watching “مُعلّم”."
        assert await user.ask('/watch "cultural heritage"') == "Watching “cultural heritage”."
        assert await user.ask("/watch « Cultural Heritage »") == (
            "Already watching “cultural heritage”."
        )
        assert await user.ask("/watch universal") == "Watching “universal”."
        assert await user.ask("/unwatch university") == "You were not watching “university”."

    with_bot(settings, engine, scenario)
    with engine.connect() as conn:
        assert [s.value for s in list_subscriptions(conn, "1900")] == [
            "cultural heritage",
            "universal",
        ]


def test_unwatch_removes_every_stored_spelling_of_the_keyword(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # A store written before keywords were compared by their forms may hold one keyword twice.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    with engine.begin() as conn:
        upsert_chat(conn, "1901", NOW)
        for spelling in ("heritage", "héritage", "education"):
            conn.execute(insert(subscriptions).values(chat="1901", kind="keyword", value=spelling))
    user = Chat(api, 1901)

    async def scenario(sender: Sender) -> None:
        listing = await user.ask("/list")
        assert "“heritage”" in listing
        assert "“héritage”" in listing
        assert await user.ask("/unwatch HÉRITAGE") == (
            "Stopped watching “heritage”.\nStopped watching “héritage”."
        )

    with_bot(settings, engine, scenario)
    with engine.connect() as conn:
        assert [s.value for s in list_subscriptions(conn, "1901")] == ["education"]


def test_lang_takes_one_language_and_alone_shows_it(tmp_path: Path, api: FakeBotApi) -> None:
    # "/lang fr ar" set French and dropped "ar" without a word; "/lang" alone gave only usage.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user, member = Chat(api, 1950), Chat(api, -1001950, user_id=77, chat_type="supergroup")
    usage = "Usage: /lang en, /lang ar, /lang fr or /lang all. The bot's own language is /language."

    async def scenario(sender: Sender) -> None:
        assert await user.ask("/lang") == "News in: all languages.\n" + usage
        assert await user.ask("/lang fr ar") == "I don't know the language “fr ar”.\n" + usage
        assert await user.ask("/lang fr") == "From now on, news in: Français."
        assert await user.ask("/lang") == "News in: Français.\n" + usage
        assert await member.ask("/lang") == "News in: all languages.\n" + usage  # anyone asks

    with_bot(settings, engine, scenario)
    with engine.connect() as conn:
        chat = get_chat(conn, "1950")
    assert chat is not None
    assert chat.lang == "fr"
