"""`/here` in forum topics through getUpdates: an admin routes sectors to a topic, a member is
refused, outside a topic the reply explains, `/here off` stops it, and a closed topic comes
back with `/here`. Real PTB against the fake Bot API, a real store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from icesco_watch.notifiers.telegram.fairness import CommandBudget
from icesco_watch.notifiers.telegram.permissions import NOT_GROUP_ADMIN
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.notifiers.telegram.topics import NOT_IN_TOPIC as TEMPLATE
from icesco_watch.store.schema import open_store
from icesco_watch.store.topics import close_topic, get_closed_topic, sectors_of_topic
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import (
    NOW,
    deliveries,
    make_settings,
    news,
    store_new,
    with_bot,
)

GROUP, OWNER, MODERATOR, MEMBER = -100500, 11, 12, 13
ROOMY = CommandBudget(per_minute=600, burst=100)
# What /here answers outside a topic, in English (the chats here speak English).
NOT_IN_TOPIC = TEMPLATE.format(example="/here culture education")


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        fake.set_member(GROUP, OWNER, "creator")
        fake.set_member(GROUP, MODERATOR, "administrator")
        yield fake


async def ask(
    api: FakeBotApi, user: int, text: str, thread: int | None, language_code: str = "en"
) -> str:
    """`user` types `text` in `thread` of the group (None: General); the bot's reply there."""
    before = len(api.messages_in(GROUP, thread))
    api.user_sends(GROUP, text, user, "supergroup", thread=thread, language_code=language_code)
    await api.wait_for_async(lambda fake: len(fake.messages_in(GROUP, thread)) > before)
    return api.messages_in(GROUP, thread)[before].plain


def test_admins_route_sectors_to_a_topic_with_here(tmp_path: Path, api: FakeBotApi) -> None:
    culture, other = api.open_topic(GROUP), api.open_topic(GROUP)
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)

    async def scenario(sender: Sender) -> None:
        assert await ask(api, MEMBER, "/here culture", culture) == NOT_GROUP_ADMIN
        assert "receives nothing" in await ask(api, MEMBER, "/here", culture)
        reply = await ask(api, OWNER, "/here culture #education", culture)
        assert reply == (
            "This topic now receives alerts for Culture and Communication (#culture), "
            "Education (#education)."
        )
        shown = await ask(api, MEMBER, "/here", culture)  # anyone may ask what it receives
        assert "Culture and Communication (#culture), Education (#education)" in shown
        wrong = await ask(api, MODERATOR, "/here cultur", other)
        assert "I don't know the sector “cultur”. Did you mean culture?" in wrong
        assert "receives nothing" in await ask(api, MODERATOR, "/here", other)
        assert await ask(api, OWNER, "/here culture", None) == NOT_IN_TOPIC  # General
        assert "Nothing yet" in await ask(api, MEMBER, "/list", other)  # answered in the topic

        assert store_new(engine, settings, [news("museum", sectors=("culture",))]) == 1
        await sender.drain(time.monotonic() + 30)
        assert [m.plain.split("\n")[0] for m in api.messages_in(GROUP, culture)][-1] == (
            "Headline museum"
        )
        assert "no longer receives" in await ask(api, MODERATOR, "/here off", culture)
        assert store_new(engine, settings, [news("theatre", sectors=("culture",))]) == 0

    with_bot(settings, engine, scenario, budget=ROOMY)
    with engine.connect() as conn:
        assert sectors_of_topic(conn, str(GROUP), culture) == []
        assert sectors_of_topic(conn, str(GROUP), other) == []
    [delivery] = deliveries(engine)
    assert (delivery.thread, delivery.status) == (culture, "sent")


def test_here_outside_a_forum_explains_where_to_type_it(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)

    async def scenario(sender: Sender) -> None:
        before = len(api.messages_to(501))
        api.user_sends(501, "/here culture")  # a private chat
        await api.wait_for_async(lambda fake: len(fake.messages_to(501)) > before)
        assert api.messages_to(501)[-1].plain == NOT_IN_TOPIC
        assert api.messages_to(501)[-1].message_thread_id is None

    with_bot(settings, engine, scenario, budget=ROOMY)
    with engine.connect() as conn:
        assert sectors_of_topic(conn, "501", 0) == []


def test_here_reopens_a_topic_telegram_had_closed(tmp_path: Path, api: FakeBotApi) -> None:
    culture = api.open_topic(GROUP)
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)

    async def scenario(sender: Sender) -> None:
        await ask(api, OWNER, "/here culture", culture)
        with engine.begin() as conn:  # as the sender records a TOPIC_CLOSED answer
            close_topic(conn, str(GROUP), culture, [], "closed", NOW)
        assert store_new(engine, settings, [news("closed-art", sectors=("culture",))]) == 0
        assert "suspended" in await ask(api, MEMBER, "/here", culture)
        await ask(api, OWNER, "/here culture", culture)
        assert store_new(engine, settings, [news("open-art", sectors=("culture",))]) == 1

    with_bot(settings, engine, scenario, budget=ROOMY)
    with engine.connect() as conn:
        assert get_closed_topic(conn, str(GROUP), culture) is None


def test_here_takes_several_sector_names_of_several_words_between_commas(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # An Arabic admin lists sectors with the Arabic comma "،", and Arabic names are several
    # words: "،" was not a separator, and a name only counted when it was the whole argument.
    culture, other = api.open_topic(GROUP), api.open_topic(GROUP)
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)

    async def scenario(sender: Sender) -> None:
        reply = await ask(api, OWNER, "/here الثقافة والاتصال، التربية", culture)
        assert reply.startswith("This topic now receives alerts for "), reply
        reply = await ask(api, OWNER, "/here العلوم والبيئة, Foresight and AI", other)
        assert reply.startswith("This topic now receives alerts for "), reply

    with_bot(settings, engine, scenario, budget=ROOMY)
    with engine.connect() as conn:
        assert sectors_of_topic(conn, str(GROUP), culture) == ["culture", "education"]
        assert sectors_of_topic(conn, str(GROUP), other) == ["foresight-ai", "science"]


@pytest.mark.parametrize(
    ("lang", "argument"), [("fr", "secteur…"), ("ar", "قطاع…")], ids=["fr", "ar"]
)
def test_here_names_its_argument_in_the_chats_language(
    tmp_path: Path, api: FakeBotApi, lang: str, argument: str
) -> None:
    # /help wrote "/here <secteur…>", the replies of /here itself "/here <sector…>".
    culture = api.open_topic(GROUP)
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)

    async def scenario(sender: Sender) -> None:
        replies = [await ask(api, OWNER, "/here", culture, lang)]
        replies.append(await ask(api, OWNER, "/here off", culture, lang))
        with engine.begin() as conn:  # as the sender records a TOPIC_CLOSED answer
            close_topic(conn, str(GROUP), culture, [], "closed", NOW)
        replies.append(await ask(api, OWNER, "/here", culture, lang))
        replies.append(await ask(api, OWNER, "/here cultur", culture, lang))
        for reply in replies:
            assert f"<{argument}>" in reply, reply
            assert "sector" not in reply, reply

    with_bot(settings, engine, scenario, budget=ROOMY)
