"""Telegram's per-chat limit across senders on one store: two real senders (two instances' worth,
each with its own pacer and claim name) take turns on one chat through the real store (SQLite,
or PostgreSQL under TEST_STORE=postgres), against the fake Bot API's flood control."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icesco_watch.notifiers.telegram.outcomes import Backoff
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.notices import enqueue_notices
from icesco_watch.store.outbox import mark_sent
from icesco_watch.store.pacing import recent_sends
from icesco_watch.store.schema import deliveries as outbox
from icesco_watch.store.schema import notices, open_store
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import bot_for, make_settings, news, store_new, subscribe

QUICK = Backoff(base=0.1, cap=0.5, max_attempts=6)


def test_a_chat_another_sender_just_served_waits_its_second(
    tmp_path: Path, api: FakeBotApi
) -> None:
    """The first sender served the chat a while ago and still remembers it; the second serves it
    now; when the first takes the chat back at once it must wait out the second's send too."""
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    subscribe(engine, "301")

    async def run() -> None:
        async with bot_for(settings) as bot_one, bot_for(settings) as bot_two:
            first = Sender(settings, engine, bot_one, QUICK)
            second = Sender(settings, engine, bot_two, QUICK)
            store_new(engine, settings, [news("one")])
            assert (await first.drain()).sent == 1
            await asyncio.sleep(1.2)  # the chat's second has passed; `first` still knows the chat
            store_new(engine, settings, [news("two")])
            assert (await second.drain()).sent == 1
            store_new(engine, settings, [news("three")])
            assert (await first.drain(time.monotonic() + 30)).sent == 1

    asyncio.run(run())
    assert api.rate_limited == 0, api.refusals
    sent = api.messages_to(301)
    assert [m.plain.split("\n", 1)[0] for m in sent] == [
        "Headline one",
        "Headline two",
        "Headline three",
    ]
    assert sent[2].at - sent[1].at >= 1.0  # the chat's one message a second, across senders


def test_recent_sends_are_other_senders_alerts_and_notices(tmp_path: Path, api: FakeBotApi) -> None:
    """What a sender is primed with: the others' sends (its own it counts itself), notices
    included, a digest's deliveries sent as one message counted once."""
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    subscribe(engine, "-100401")
    now = datetime.now(UTC)
    store_new(engine, settings, [news("a"), news("b"), news("c")])
    with engine.begin() as conn:
        enqueue_notices(conn, ["-100401"], "icesco-en", "failing", ["HTTP 500"], now)
        ids = list(conn.execute(outbox.select().order_by(outbox.c.id)).scalars())
        notice_id = conn.execute(notices.select()).scalars().one()
        for owner, chosen, table in (
            ("mine", [ids[0]], outbox),
            ("theirs", ids[1:], outbox),  # one digest message carrying two deliveries
            ("theirs", [notice_id], notices),
        ):
            claimed = {"claimed_by": owner, "claimed_until": now + timedelta(minutes=1)}
            conn.execute(table.update().where(table.c.id.in_(chosen)).values(**claimed))
        mark_sent(conn, [ids[0]], 11, now - timedelta(seconds=3))
        mark_sent(conn, ids[1:], 12, now - timedelta(seconds=2))
        mark_sent(conn, [notice_id], 13, now - timedelta(seconds=1), table=notices)
    with engine.connect() as conn:
        found = recent_sends(conn, ["-100401", "-100402"], now - timedelta(seconds=61), "mine")
        stale = recent_sends(conn, ["-100401"], now - timedelta(seconds=1.5), "mine")
    assert {chat: sorted(times) for chat, times in found.items()} == {
        "-100401": [now - timedelta(seconds=2), now - timedelta(seconds=1)]
    }
    assert stale == {"-100401": [now - timedelta(seconds=1)]}
