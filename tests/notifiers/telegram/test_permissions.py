"""Group permissions end to end: getChatMember through real PTB against the fake Bot API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from icesco_watch.notifiers.telegram.fairness import CommandBudget
from icesco_watch.notifiers.telegram.permissions import (
    CANNOT_CHECK,
    NOT_ADMIN_CHAT,
    NOT_ADMIN_HERE,
    NOT_GROUP_ADMIN,
)
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.schema import open_store
from icesco_watch.store.subscriptions import get_chat, list_subscriptions
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import Chat, make_settings, with_bot

GROUP, ADMIN_GROUP, ADMIN_USER = -100500, -100600, 4242
OWNER, MODERATOR, MEMBER = 11, 12, 13
ROOMY = CommandBudget(per_minute=600, burst=100)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        for group in (GROUP, ADMIN_GROUP):
            fake.set_member(group, OWNER, "creator")
            fake.set_member(group, MODERATOR, "administrator")
        yield fake


def member_lookups(api: FakeBotApi, user: int) -> int:
    return sum(1 for c in api.calls if c.method == "getChatMember" and c.params["user_id"] == user)


def test_only_a_groups_admins_change_what_it_follows(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    owner, moderator, member = (Chat(api, GROUP, user, "supergroup") for user in (11, 12, 13))

    async def scenario(sender: Sender) -> None:
        assert await member.ask("/subscribe education") == NOT_GROUP_ADMIN
        assert await member.ask("/watch heritage") == NOT_GROUP_ADMIN  # cached: no 2nd lookup
        assert await member.ask("/pause") == NOT_GROUP_ADMIN
        assert "Nothing yet" in await member.ask("/list")  # reading is for everyone
        assert await owner.ask("/subscribe education") == "Following Education (#education)."
        assert await moderator.ask("/lang fr") == "From now on, news in: Français."
        assert "Tap a sector" in await member.ask("/sectors")
        keyboard = api.messages_to(GROUP)[-1]
        assert keyboard.reply_markup is not None
        data = keyboard.reply_markup["inline_keyboard"][0][1]["callback_data"]
        api.user_presses(GROUP, keyboard.message_id, data, user_id=MEMBER)
        await api.wait_for_async(lambda fake: len(fake.callback_answers) == 1)
        assert api.callback_answers[0].text == NOT_GROUP_ADMIN
        anonymous = api.user_sends(GROUP, "/pause", chat_type="supergroup", anonymous=True)
        assert anonymous > 0
        await api.wait_for_async(lambda fake: "paused" in fake.messages_to(GROUP)[-1].plain)

    with_bot(settings, engine, scenario, budget=ROOMY)
    assert api.edits == []  # the member's button press changed nothing
    with engine.connect() as conn:
        subscribed = [(s.kind, s.value) for s in list_subscriptions(conn, str(GROUP))]
        state = get_chat(conn, str(GROUP))
    assert subscribed == [("sector", "education")]
    assert state is not None
    assert (state.lang, state.paused) == ("fr", True)
    assert member_lookups(api, MEMBER) == 1
    assert member_lookups(api, ADMIN_USER) == 0


def test_status_and_crawl_in_admin_chats_for_their_admins(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api, admin_chats=[ADMIN_USER, ADMIN_GROUP])
    engine = open_store(settings.storage.url)
    crawls: list[str] = []

    async def request_crawl() -> str:
        crawls.append("now")
        return "Crawl started."

    async def scenario(sender: Sender) -> None:
        in_admin_group = {u: Chat(api, ADMIN_GROUP, u, "supergroup") for u in (OWNER, MEMBER)}
        assert await in_admin_group[MEMBER].ask("/crawl") == NOT_ADMIN_HERE
        assert await in_admin_group[MEMBER].ask("/status") == NOT_ADMIN_HERE
        assert await in_admin_group[OWNER].ask("/crawl") == "Crawl started."
        assert "deliveries:" in await in_admin_group[OWNER].ask("/status")
        assert await Chat(api, GROUP, OWNER, "supergroup").ask("/status") == NOT_ADMIN_CHAT
        assert await Chat(api, 777, None).ask("/crawl") == NOT_ADMIN_CHAT
        assert "deliveries:" in await Chat(api, ADMIN_USER).ask("/status")
        api.inject("getChatMember", "500", count=5)
        assert await Chat(api, ADMIN_GROUP, MODERATOR, "group").ask("/status") == CANNOT_CHECK

    with_bot(settings, engine, scenario, budget=ROOMY, request_crawl=request_crawl)
    assert crawls == ["now"]


@pytest.mark.parametrize(
    ("language_code", "refusal"),
    [
        ("en", "Only this group's administrators can change its alerts and settings."),
        (
            "fr",
            "Seuls les administrateurs de ce groupe peuvent modifier ses alertes et ses réglages.",
        ),
        ("ar", "لا يغيّر تنبيهات هذه المجموعة وإعداداتها إلا مشرفوها."),
    ],
    ids=["en", "fr", "ar"],
)
def test_a_members_refusal_fits_settings_as_well_as_subscriptions(
    tmp_path: Path, api: FakeBotApi, language_code: str, refusal: str
) -> None:
    # A member's /language or /digest was told only admins "change what it follows".
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    member = Chat(api, GROUP, MEMBER, "supergroup", language_code=language_code)

    async def scenario(sender: Sender) -> None:
        for command in (
            "/language en",
            "/lang fr",
            "/digest daily 08:00",
            "/timezone Africa/Casablanca",
            "/pause",
            "/watch heritage",
        ):
            assert await member.ask(command) == refusal, command

    with_bot(settings, engine, scenario, budget=ROOMY)
