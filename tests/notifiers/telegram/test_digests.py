"""Scheduled digests end to end: real PTB against the fake Bot API, a real store, and a clock
the test moves (no waiting for real minutes)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.models import NewsItem
from icesco_watch.notifiers.telegram.outcomes import DrainReport
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.chat_schedules import set_schedule, set_timezone
from icesco_watch.store.items import record_items
from icesco_watch.store.outbox import enqueue_deliveries
from icesco_watch.store.schema import open_store
from icesco_watch.store.subscriptions import add_subscription, upsert_chat
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.bot_objects import SentMessage
from tests.notifiers.telegram.helpers import bot_for, deliveries, make_settings, news

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Casablanca is UTC+1 then


class Clock:
    """The time the sender reads; the test sets it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def item(slug: str, at: datetime, **fields: Any) -> NewsItem:
    return news(slug, published=at - timedelta(minutes=30), **fields)


def follow(engine: Engine, chat: str, digest: str = "instant", zone: str = "UTC") -> None:
    """`chat` follows everything, with a digest schedule, as /digest and /timezone set it."""
    with engine.begin() as conn:
        upsert_chat(conn, chat, MONDAY)
        add_subscription(conn, chat, "all")
        set_timezone(conn, chat, zone, MONDAY)
        set_schedule(conn, chat, digest, MONDAY)


def queue(engine: Engine, settings: Settings, found: list[NewsItem], at: datetime) -> int:
    """What a cycle at `at` does: store the items and enqueue them, in one transaction."""
    with engine.begin() as conn:
        record_items(conn, found, [], at, settings.alerts, baseline=False)
        return enqueue_deliveries(conn, found, settings, at)


def drain_at(settings: Settings, engine: Engine, at: datetime) -> DrainReport:
    """One pass of the sender with its clock at `at`."""

    async def run() -> DrainReport:
        async with bot_for(settings) as bot:
            return await Sender(settings, engine, bot, now=Clock(at)).drain()

    return asyncio.run(run())


def units(message: SentMessage) -> int:
    return len(message.plain.encode("utf-16-le")) // 2


def test_a_daily_digest_comes_at_its_minute_with_the_days_items_and_nothing_before(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    follow(engine, "700", "daily 08:00", "Africa/Casablanca")  # 07:00 UTC
    follow(engine, "701")  # instant, today's behaviour
    morning = item("school", MONDAY, sectors=("education",))
    evening = item("museum", MONDAY + timedelta(hours=9), sectors=("culture",))
    lab = item("lab", MONDAY + timedelta(hours=10), sectors=("science", "education"))
    on_time = item("late", datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    queue(engine, settings, [morning], MONDAY)
    assert drain_at(settings, engine, MONDAY).sent == 1  # the instant chat, at once
    assert [m.plain.splitlines()[0] for m in api.messages_to(701)] == ["Headline school"]
    queue(engine, settings, [evening, lab], MONDAY + timedelta(hours=10))
    assert drain_at(settings, engine, datetime(2026, 12, 1, 6, 59, 59, tzinfo=UTC)).sent == 2
    assert api.messages_to(700) == []  # nothing before its minute
    queue(engine, settings, [on_time], datetime(2026, 12, 1, 7, 0, tzinfo=UTC))

    report = drain_at(settings, engine, datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    [digest] = api.messages_to(700)
    lines = digest.plain.splitlines()
    assert lines[:2] == ["ICESCO daily digest · 1 December 2026", "3 news items"]
    # Grouped by sector in the config's order, each item once, under its first sector.
    assert [line for line in lines[2:] if line] == [
        "Education",
        "• Headline school",
        "Culture and Communication",
        "• Headline museum",
        "Science and Environment",
        "• Headline lab",
    ]
    assert f'<a href="{morning.url}">Headline school</a>' in digest.text
    assert report.digests == 1
    sent = {d.item_key: d for d in deliveries(engine, "700")}
    assert {k for k, d in sent.items() if d.status == "sent"} == {
        morning.key,
        evening.key,
        lab.key,
    }
    # Queued exactly at the digest minute: it belongs to the next day's digest.
    assert sent[on_time.key].status == "pending"
    assert sent[on_time.key].next_attempt_at == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    assert drain_at(settings, engine, datetime(2026, 12, 1, 12, 0, tzinfo=UTC)).sent == 0
    assert len(api.messages_to(700)) == 1


def test_a_weekly_digest_covers_the_week(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    follow(engine, "710", "weekly mon 08:00")
    tuesday, saturday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=5)
    queue(engine, settings, [item("tue", tuesday)], tuesday)
    queue(engine, settings, [item("sat", saturday)], saturday)
    assert drain_at(settings, engine, datetime(2026, 12, 7, 7, 59, tzinfo=UTC)).sent == 0
    assert api.messages_to(710) == []
    assert drain_at(settings, engine, datetime(2026, 12, 7, 8, 0, tzinfo=UTC)).sent == 2
    [digest] = api.messages_to(710)
    lines = digest.plain.splitlines()
    assert lines[0] == "ICESCO weekly digest · 30 November 2026 – 7 December 2026"
    assert lines[-3:] == ["Other news", "• Headline sat", "• Headline tue"]  # newest first


def test_a_long_digest_splits_between_items_within_4096_units(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    follow(engine, "720", "daily 08:00")
    sectors = ("education", "culture", "science")
    # Emoji count two UTF-16 units each, as Telegram counts them: 40 titles of ~290 units.
    found = [
        item(
            f"n{n:02d}", MONDAY, sectors=(sectors[n % 3],), title=f"Headline n{n:02d} " + "😀" * 140
        )
        for n in range(40)
    ]
    queue(engine, settings, found, MONDAY)
    report = drain_at(settings, engine, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    parts = api.messages_to(720)
    assert len(parts) >= 3
    assert all(units(part) <= 4096 for part in parts), [units(p) for p in parts]
    listed = [
        line.split()[2] for part in parts for line in part.plain.splitlines() if line[:1] == "•"
    ]
    assert sorted(listed) == sorted(f"n{n:02d}" for n in range(40))  # each once, none cut
    total = len(parts)
    for n, part in enumerate(parts, start=1):
        first, count, _, section = part.plain.splitlines()[:4]
        assert first == f"ICESCO daily digest · 1 December 2026 ({n}/{total})"
        assert count == "40 news items"
        assert section in ("Education", "Culture and Communication", "Science and Environment")
    assert report.sent == 40
    assert report.digests == total
    assert {d.status for d in deliveries(engine, "720")} == {"sent"}
    by_message = {d.message_id for d in deliveries(engine, "720")}
    assert by_message == {p.message_id for p in parts}


def test_an_empty_period_sends_nothing(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    follow(engine, "730", "daily 08:00")
    with engine.begin() as conn:  # a second chat that follows culture only, in a digest
        upsert_chat(conn, "731", MONDAY)
        add_subscription(conn, "731", "sector", "culture")
        set_schedule(conn, "731", "daily 08:00", MONDAY)
    queue(engine, settings, [item("school", MONDAY, sectors=("education",))], MONDAY)
    for day in (1, 2, 3):
        drain_at(settings, engine, datetime(2026, 12, day, 8, 0, tzinfo=UTC))
    assert api.messages_to(731) == []
    assert len(api.messages_to(730)) == 1  # the day with an item, once


def test_digests_missed_while_down_are_sent_once_covering_everything(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    follow(engine, "740", "daily 08:00")
    found = [item(f"day{n}", MONDAY + timedelta(days=n)) for n in range(3)]
    for n, found_item in enumerate(found):  # queued on three days, no sender running
        queue(engine, settings, [found_item], MONDAY + timedelta(days=n))
    back = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)  # three digest times missed
    # The first cycle after the restart queues a new item: it waits for the next digest.
    fresh = item("fresh", back)
    queue(engine, settings, [fresh], back)
    report = drain_at(settings, engine, back)
    [digest] = api.messages_to(740)
    assert digest.plain.splitlines()[0] == "ICESCO digest · 30 November 2026 – 3 December 2026"
    assert [line for line in digest.plain.splitlines() if line.startswith("•")] == [
        "• Headline day2",
        "• Headline day1",
        "• Headline day0",
    ]
    assert (report.sent, report.digests) == (3, 1)
    assert drain_at(settings, engine, back + timedelta(minutes=5)).sent == 0  # never twice
    assert drain_at(settings, engine, datetime(2026, 12, 6, 8, 0, tzinfo=UTC)).sent == 1
    assert "Headline fresh" in api.messages_to(740)[-1].plain
    assert len(api.messages_to(740)) == 2


def test_a_config_route_with_a_digest_is_queued_for_its_time(
    tmp_path: Path, api: FakeBotApi
) -> None:
    route = {"chat": "@icesco_daily", "digest": "daily 18:30", "timezone": "Asia/Riyadh"}
    settings = make_settings(tmp_path, api, routes=[route])
    engine = open_store(settings.storage.url)
    queue(engine, settings, [item("route", MONDAY)], MONDAY)
    [delivery] = deliveries(engine, "@icesco_daily")
    assert delivery.digest == "daily 18:30 Asia/Riyadh"
    assert delivery.next_attempt_at == datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # UTC+3
    assert drain_at(settings, engine, datetime(2026, 11, 30, 15, 29, tzinfo=UTC)).sent == 0
    assert drain_at(settings, engine, datetime(2026, 11, 30, 15, 30, tzinfo=UTC)).sent == 1
    [digest] = api.messages_to("@icesco_daily")
    assert digest.plain.startswith("ICESCO daily digest · 30 November 2026\n1 news item")


def test_a_drain_with_a_deadline_does_not_wait_for_a_digest_due_later(
    tmp_path: Path, api: FakeBotApi
) -> None:
    """`icesco-watch crawl` drains until empty or its deadline: a digest due tomorrow is
    neither sent nor waited for."""
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    follow(engine, "750", "daily 08:00")
    queue(engine, settings, [item("tomorrow", MONDAY)], MONDAY)

    async def run() -> DrainReport:
        async with bot_for(settings) as bot:
            sender = Sender(settings, engine, bot, now=Clock(MONDAY))
            # An hour's deadline: returning within two minutes shows it did not wait for it.
            return await asyncio.wait_for(sender.drain(time.monotonic() + 3600), 120)

    report = asyncio.run(run())
    assert (report.sent, report.pending) == (0, 1)
    assert api.messages_to(750) == []
