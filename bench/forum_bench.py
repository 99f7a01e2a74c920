"""Benchmark: forum topics in the outbox, and what a closed topic costs in Telegram calls.

Run from the repo root: `python bench/forum_bench.py [--items N] [--readers N] [--queued N]`.
A real SQLite store in a temp dir and the fake Bot API on 127.0.0.1; no network.
- enqueue: `enqueue_deliveries` of N items when the readers are forum topics (`/here` sectors,
  `readers` topics of 10 groups) against the same readers as plain chats (`/subscribe` sectors),
  measured in the same run (median of 5);
- a closed topic: Telegram calls made to it for `queued` pending alerts (expected: 1), against
  the calls the same backlog makes to an open topic (one per message).
No assertions: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, delete  # noqa: E402

from icesco_watch.config.schema import Settings  # noqa: E402
from icesco_watch.models import NewsItem  # noqa: E402
from icesco_watch.notifiers.telegram.outcomes import Backoff  # noqa: E402
from icesco_watch.notifiers.telegram.sender import Sender  # noqa: E402
from icesco_watch.store.items import record_items  # noqa: E402
from icesco_watch.store.outbox import enqueue_deliveries  # noqa: E402
from icesco_watch.store.schema import deliveries, open_store  # noqa: E402
from icesco_watch.store.subscriptions import add_subscription, upsert_chat  # noqa: E402
from icesco_watch.store.topics import set_topic_sectors  # noqa: E402
from tests.fakes.bot_api import FakeBotApi  # noqa: E402
from tests.notifiers.telegram.helpers import bot_for  # noqa: E402

NOW = datetime(2026, 11, 1, tzinfo=UTC)
SECTORS = ("education", "science", "culture")


def settings_for(url: str, **telegram: object) -> Settings:
    return Settings.model_validate(
        {
            "storage": {"url": url},
            "telegram": telegram,
            "sectors": [{"key": k, "name": {"en": k, "fr": k, "ar": k}} for k in SECTORS],
            "telegram_token": "123456:TEST-TOKEN",
        }
    )


def item(n: int) -> NewsItem:
    return NewsItem(
        key=f"icesco.org/en/2026/11/01/item-{n}",
        source="icesco-en",
        lang="en",
        url=f"https://icesco.org/en/2026/11/01/item-{n}/",
        title=f"Item {n}",
        published=NOW - timedelta(minutes=n),
        sectors=(SECTORS[n % 3],),
    )


def time_enqueue(engine: Engine, settings: Settings, found: list[NewsItem]) -> float:
    runs = []
    for _ in range(5):
        with engine.begin() as conn:
            conn.execute(delete(deliveries))
        started = time.perf_counter()
        with engine.begin() as conn:
            enqueue_deliveries(conn, found, settings, NOW)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def enqueue_figures(directory: Path, count: int, readers: int) -> None:
    found = [item(n) for n in range(count)]
    timings = {}
    for kind in ("chats", "topics"):
        url = f"sqlite:///{directory}/{kind}.db"
        settings = settings_for(url)
        engine = open_store(url)
        with engine.begin() as conn:
            record_items(conn, found, [], NOW, settings.alerts, baseline=True)
            for n in range(readers):
                sector = SECTORS[n % 3]
                if kind == "chats":
                    chat = str(-100_000 - n)
                    upsert_chat(conn, chat, NOW)
                    add_subscription(conn, chat, "sector", sector)
                else:  # the same readers as topics of 10 forum groups
                    set_topic_sectors(conn, str(-100_000 - n % 10), 1000 + n, [sector])
        timings[kind] = time_enqueue(engine, settings, found)
        engine.dispose()
    ratio = timings["topics"] / timings["chats"]
    print(
        f"enqueue {count} items to {readers} readers: as forum topics "
        f"{timings['topics'] * 1000:.1f} ms, as chats (baseline) {timings['chats'] * 1000:.1f} ms, "
        f"ratio {ratio:.2f}"
    )


def closed_topic_figures(directory: Path, queued: int) -> None:
    calls = {}
    for state in ("open", "closed"):
        with FakeBotApi(chat_per_second=1000, group_per_minute=100_000) as api:
            group = -100_777
            thread = api.open_topic(group)
            url = f"sqlite:///{directory}/sender-{state}.db"
            route = {"chat": str(group), "thread": thread}
            settings = settings_for(
                url, api_base_url=api.base_url, routes=[route], digest_after=10_000
            )
            engine = open_store(url)
            found = [item(n) for n in range(queued)]
            with engine.begin() as conn:
                record_items(conn, found, [], NOW, settings.alerts, baseline=False)
                enqueue_deliveries(conn, found, settings, NOW)
            if state == "closed":
                api.close_topic(group, thread)

            async def run(settings: Settings = settings, engine: Engine = engine) -> None:
                async with bot_for(settings) as bot:
                    sender = Sender(settings, engine, bot, Backoff(base=0.05, cap=0.1))
                    await sender.drain(time.monotonic() + 600)

            asyncio.run(run())
            calls[state] = sum(
                1
                for c in api.calls
                if c.method == "sendMessage" and c.params.get("message_thread_id") == thread
            )
            engine.dispose()
    print(
        f"{queued} alerts queued for one topic: calls to it when closed {calls['closed']}, "
        f"when open (baseline) {calls['open']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--queued", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        enqueue_figures(Path(tmp), args.items, args.readers)
        closed_topic_figures(Path(tmp), args.queued)


if __name__ == "__main__":
    main()
