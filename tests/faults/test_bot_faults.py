"""The bot and the sender under abuse: one table of cases, each run through the real
python-telegram-bot Application polling the fake Bot API over HTTP, with a real SQLite store.

Every case asserts its own outcome; every case also asserts what must hold whatever happened:
no token in any log record or on stdout/stderr, no handler failure logged, and no message the
fake refused for its markup or length.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.commands import SLOW_DOWN
from icesco_watch.notifiers.telegram.fairness import CommandBudget
from icesco_watch.notifiers.telegram.permissions import (
    CANNOT_CHECK,
    NOT_ADMIN_HERE,
    NOT_GROUP_ADMIN,
)
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.schema import open_store
from icesco_watch.store.subscriptions import list_subscriptions
from tests.fakes import MAX_MESSAGE_UTF16, FakeBotApi, utf16_len
from tests.notifiers.telegram.helpers import (
    Chat,
    deliveries,
    make_settings,
    news,
    store_new,
    subscribe,
    with_bot,
)

TOKEN = "5550001:SECRET-fault-matrix-token-abcdefghij"
GROUP, OWNER, MEMBER = -1009001, 31, 32
ADMIN_GROUP = -1009002
HUGE = "x" * 5000


@dataclass
class World:
    """What a case acts on and checks: the fake, the store, the sender, the crawls asked for."""

    api: FakeBotApi
    engine: Engine
    settings: Settings
    sender: Sender | None = None
    crawls: list[str] = field(default_factory=list)

    def subscriptions(self, chat: int) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            return [(s.kind, s.value) for s in list_subscriptions(conn, str(chat))]


Scenario = Callable[[World], Awaitable[None]]


@dataclass(frozen=True)
class Case:
    name: str
    scenario: Scenario
    telegram: dict[str, Any] = field(default_factory=dict)
    budget: CommandBudget | None = None


async def flood_from_one_chat(world: World) -> None:
    api = world.api
    flooder, other = Chat(api, 8001), Chat(api, 8002)
    await api.wait_for_async(lambda fake: fake.polling > 0)
    for _ in range(500):
        flooder.send("/subscribe education")
    assert "ICESCO news alerts" in await other.ask("/help", timeout=10)
    await api.wait_for_async(lambda fake: len(fake.messages_to(8001)) == 4)
    await api.wait_for_async(lambda fake: fake.pending_updates == 0)
    assert "Nothing yet" in await other.ask("/list")
    replies = [m.plain for m in api.messages_to(8001)]
    assert replies.count(SLOW_DOWN) == 1
    assert replies[-1] == SLOW_DOWN
    assert world.subscriptions(8001) == [("sector", "education")]


async def group_member_changes_settings(world: World) -> None:
    owner = Chat(world.api, GROUP, OWNER, "supergroup")
    member = Chat(world.api, GROUP, MEMBER, "supergroup")
    assert await member.ask("/subscribe all") == NOT_GROUP_ADMIN
    assert await member.ask("/unsubscribe all") == NOT_GROUP_ADMIN
    assert world.subscriptions(GROUP) == []
    assert await owner.ask("/subscribe all") == "Following all news."
    assert await member.ask("/unsubscribe all") == NOT_GROUP_ADMIN
    assert world.subscriptions(GROUP) == [("all", "")]


async def group_member_runs_admin_commands(world: World) -> None:
    owner = Chat(world.api, ADMIN_GROUP, OWNER, "group")
    member = Chat(world.api, ADMIN_GROUP, MEMBER, "group")
    assert await member.ask("/crawl") == NOT_ADMIN_HERE
    assert await member.ask("/status") == NOT_ADMIN_HERE
    assert world.crawls == []
    assert await owner.ask("/crawl") == "Crawl started."
    assert world.crawls == ["now"]


async def member_status_unknown(world: World) -> None:
    world.api.inject("getChatMember", "500")
    member = Chat(world.api, GROUP, MEMBER, "supergroup")
    assert await member.ask("/subscribe all") == CANNOT_CHECK
    assert world.subscriptions(GROUP) == []


async def huge_arguments(world: World) -> None:
    asked = {
        "/subscribe": "I don't know",
        "/unsubscribe": "I don't know",
        "/watch": "Sorry: a keyword is at most 100 characters",
        "/unwatch": "Sorry: a keyword is at most 100 characters",
        "/latest": "I don't know",
        "/lang": "Usage: /lang en",
        "/frobnicate": "Unknown command /frobnicate",
        "/" + "y" * 5000: "Unknown command /yyy",
    }
    for n, (command, expected) in enumerate(asked.items()):
        reply = await Chat(world.api, 8100 + n).ask(f"{command} {HUGE}")
        assert expected in reply, command
        assert utf16_len(reply) < 1000, command  # the argument is echoed short, not in full


async def commands_for_another_bot(world: World) -> None:
    api = world.api
    for chat, kind in ((8201, "private"), (GROUP, "supergroup")):
        user = Chat(api, chat, OWNER if chat < 0 else None, kind)
        user.send("/status@other_bot")
        user.send("/subscribe@other_bot all")
        user.send("/frobnicate@OtherBot")
        assert "ICESCO news alerts" in await user.ask("/help@icesco_watch_test_bot")
        await api.wait_for_async(lambda fake: fake.pending_updates == 0)
        assert len(api.messages_to(chat)) == 1, kind
        assert world.subscriptions(chat) == []


async def accepted_after_timeout(world: World) -> None:
    assert world.sender is not None
    subscribe(world.engine, "8301")
    world.api.inject("sendMessage", "late", count=5, seconds=3)
    store_new(world.engine, world.settings, [news("stalled")])
    report = await world.sender.drain(deadline=time.monotonic() + 60)
    assert report.pending == 0
    (delivery,) = deliveries(world.engine)
    assert delivery.status == "failed"
    assert "may have arrived" in (delivery.last_error or "")
    await world.api.wait_for_async(lambda fake: len(fake.messages_to(8301)) == 2)
    assert sum(c.method == "sendMessage" for c in world.api.calls) == 2  # three before


CASES = [
    Case("flood-from-one-chat", flood_from_one_chat, budget=CommandBudget(20, burst=3)),
    Case("group-member-changes-settings", group_member_changes_settings),
    Case(
        "group-member-runs-admin-commands",
        group_member_runs_admin_commands,
        telegram={"admin_chats": [ADMIN_GROUP]},
    ),
    Case("member-status-unknown", member_status_unknown),
    Case("huge-arguments", huge_arguments),
    Case("commands-for-another-bot", commands_for_another_bot),
    Case("accepted-after-timeout", accepted_after_timeout, telegram={"request_timeout": "1s"}),
]


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(token=TOKEN) as fake:
        for group in (GROUP, ADMIN_GROUP):
            fake.set_member(group, OWNER, "creator")
        yield fake


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bot_fault(
    case: Case,
    tmp_path: Path,
    api: FakeBotApi,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    settings = make_settings(tmp_path, api, **case.telegram)
    world = World(api, open_store(settings.storage.url), settings)

    async def request_crawl() -> str:
        world.crawls.append("now")
        return "Crawl started."

    async def scenario(sender: Sender) -> None:
        world.sender = sender
        await case.scenario(world)

    callbacks: dict[str, Any] = {"request_crawl": request_crawl}
    if case.budget is not None:
        callbacks["budget"] = case.budget
    with caplog.at_level(logging.DEBUG):
        with_bot(settings, world.engine, scenario, **callbacks)
    out, err = capfd.readouterr()
    assert caplog.records  # PTB logged at DEBUG: the check below saw real text
    for text in (caplog.text, out, err):
        assert TOKEN not in text
        assert TOKEN.split(":", 1)[1] not in text
    failures = [r for r in caplog.records if r.getMessage().startswith("bot handler failed")]
    assert failures == []
    refused = [c for c in api.calls if c.method == "sendMessage" and c.status == 400]
    assert refused == []
    assert all(utf16_len(m.plain) <= MAX_MESSAGE_UTF16 for m in api.sent)
