"""/list and /status say what a chat will receive and when: its digest schedule and time zone,
its forum topics' /here sectors (suspended ones marked), the config routes posting into it.
Real PTB polling the fake Bot API, a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from icesco_watch.notifiers.telegram.fairness import CommandBudget
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.schema import open_store
from icesco_watch.store.topics import close_topic
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import NOW, Chat, make_settings, reads_right_to_left, with_bot

GROUP, OWNER, ADMIN_CHAT = -100800, 31, 900
ROOMY = CommandBudget(per_minute=600, burst=100)
ROUTED_THREAD = 9


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        fake.set_member(GROUP, OWNER, "creator")
        yield fake


def _routes() -> list[dict[str, object]]:
    return [
        {
            "chat": str(GROUP),
            "thread": ROUTED_THREAD,
            "sectors": ["science"],
            "digest": "weekly fri 17:00",
            "timezone": "Asia/Riyadh",
        },
        {"chat": str(GROUP), "langs": ["fr"]},
        {"chat": "@elsewhere", "topics": ["ai"]},  # another chat: not in this group's /list
    ]


async def _ask(api: FakeBotApi, text: str, thread: int | None = None) -> str:
    """The group's owner types `text` in `thread` (None: General); the bot's reply there."""
    before = len(api.messages_in(GROUP, thread))
    api.user_sends(GROUP, text, OWNER, "supergroup", thread=thread)
    await api.wait_for_async(lambda fake: len(fake.messages_in(GROUP, thread)) > before)
    return api.messages_in(GROUP, thread)[before].plain


def test_list_shows_the_schedule_topics_and_routes_of_a_group(
    tmp_path: Path, api: FakeBotApi
) -> None:
    culture = api.open_topic(GROUP)
    settings = make_settings(tmp_path, api, routes=_routes())
    engine = open_store(settings.storage.url)
    listings: list[str] = []

    async def scenario(sender: Sender) -> None:
        before = await _ask(api, "/list")
        assert (
            "Alerts arrive as soon as news is published; time zone UTC. For a daily or weekly "
            "digest instead: /digest."
        ) in before
        assert "Forum topics" not in before  # nothing typed with /here yet
        await _ask(api, "/here culture education", culture)
        await _ask(api, "/digest daily 08:00")
        await _ask(api, "/timezone Africa/Casablanca")
        listings.append(await _ask(api, "/list"))
        listings.append(await _ask(api, "/list", culture))  # the same answer inside a topic
        with engine.begin() as conn:  # as the sender records a TOPIC_CLOSED answer
            close_topic(conn, str(GROUP), culture, [], "closed", NOW)
        listings.append(await _ask(api, "/list"))

    with_bot(settings, engine, scenario, budget=ROOMY)
    listing, in_topic, suspended = listings
    lines = listing.split("\n")
    [when] = [line for line in lines if line.startswith("A daily digest")]
    assert when.startswith("A daily digest at 08:00 (Africa/Casablanca). Next one: ")
    assert when.endswith(", 08:00.")
    topics = lines.index("Forum topics of this group:")
    assert lines[topics + 1] == (
        f"• topic {culture}: Culture and Communication (#culture), Education (#education)"
    )
    assert (
        f"telegram.routes[0] of the config sends Science and Environment (#science) to topic "
        f"{ROUTED_THREAD}. A weekly digest on Friday at 17:00 (Asia/Riyadh)."
    ) in lines
    assert (
        "telegram.routes[1] of the config sends all news in Français here. "
        "Each alert as soon as news is published."
    ) in lines
    assert "telegram.routes[2]" not in listing
    assert in_topic == listing
    assert (
        f"• topic {culture}: Culture and Communication (#culture), Education (#education) "
        "(suspended: Telegram refused to post there; /here in the topic restarts it)"
    ) in suspended.split("\n")


def test_status_shows_schedules_topics_and_routes(tmp_path: Path, api: FakeBotApi) -> None:
    culture = api.open_topic(GROUP)
    settings = make_settings(
        tmp_path, api, routes=_routes(), admin_chats=[str(ADMIN_CHAT), str(GROUP)]
    )
    engine = open_store(settings.storage.url)
    admin = Chat(api, ADMIN_CHAT)
    replies: list[str] = []

    async def scenario(sender: Sender) -> None:
        await _ask(api, "/here culture", culture)
        await _ask(api, "/digest weekly mon 07:30")
        await Chat(api, 1801).ask("/digest daily 06:00")
        await Chat(api, 1802).ask("/start")  # instant: not counted among digests
        await admin.ask("/timezone Europe/Paris")
        replies.append(await admin.ask("/status"))
        replies.append(await _ask(api, "/status"))

    with_bot(settings, engine, scenario, budget=ROOMY)
    admin_status, group_status = (reply.split("\n") for reply in replies)
    assert "this chat: instant" in admin_status  # its zone alone changes nothing it receives
    assert "chats on a digest: 1 daily, 1 weekly" in admin_status
    assert "forum topics with /here sectors: 1" in admin_status
    assert (
        f"telegram.routes[0]: to {GROUP} topic {ROUTED_THREAD}, weekly fri 17:00 Asia/Riyadh"
    ) in admin_status
    assert f"telegram.routes[1]: to {GROUP}, instant" in admin_status
    assert "telegram.routes[2]: to @elsewhere, instant" in admin_status
    assert "this chat: weekly mon 07:30 UTC" in group_status


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_list_says_when_in_the_chats_language(tmp_path: Path, api: FakeBotApi, lang: str) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1810, language_code=lang)
    listings: list[str] = []

    async def scenario(sender: Sender) -> None:
        listings.append(await user.ask("/list"))
        await user.ask("/digest weekly mon 08:00")
        listings.append(await user.ask("/list"))

    with_bot(settings, engine, scenario, budget=ROOMY)
    instant, weekly = listings
    if lang == "fr":
        assert "Les alertes arrivent dès la publication des nouvelles\u00a0; fuseau horaire" in (
            instant
        )
        assert "Un résumé hebdomadaire le lundi à 08:00 (UTC). Prochain résumé\u00a0: lundi " in (
            weekly
        )
    else:
        assert "تصل التنبيهات فور نشر الأخبار؛ المنطقة الزمنية:" in instant
        assert "موجز أسبوعي يوم الاثنين في الساعة" in weekly
        assert "الموجز القادم: الاثنين" in weekly
        reads_right_to_left(instant)
        reads_right_to_left(weekly)
