"""Benchmark: the store at scale, on PostgreSQL with one and three instances, against SQLite.

    python bench/scale.py [--items 100000] [--chats 10000] [--rate 25] [--postgres URL]

A store of `--items` items and `--chats` chats subscribed to everything, built once per backend.
It measures, per backend: enqueueing one new item (one delivery per chat, in the item's
transaction), `status` (per-source health, item counts, deliveries by status) and a full feed
rebuild; then the fan-out drain: `--instances` sender processes (real python-telegram-bot
against the fake Bot API, its global limit set to the configured rate) share the outbox, and the
achieved rate is reported as a share of the configured one (target >= 0.95, zero 429s).
The baseline, measured in the same run, is one instance on SQLite; every PostgreSQL figure is
printed as a ratio of it. `--postgres` defaults to $TEST_POSTGRES_URL (`.ci/postgres.sh` starts
a throwaway server and prints its URL). No assertions: it reports.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from icesco_watch.config.schema import Settings  # noqa: E402
from icesco_watch.feeds.publish import build_all  # noqa: E402
from icesco_watch.models import NewsItem  # noqa: E402
from icesco_watch.store.engine import store_url  # noqa: E402
from icesco_watch.store.health import all_source_states  # noqa: E402
from icesco_watch.store.items import count_by_source, record_items  # noqa: E402
from icesco_watch.store.outbox import enqueue_deliveries, pending_counts  # noqa: E402
from icesco_watch.store.schema import chats, deliveries, open_store, subscriptions  # noqa: E402
from tests.fakes.bot_api import FakeBotApi  # noqa: E402

NOW = datetime.now(UTC)
SECTORS = ("education", "science", "culture")
# One sender process: drains until nothing is pending or its deadline.
SENDER = """
import asyncio, json, sys, time
from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.schema import open_store
from telegram import Bot
from telegram.request import HTTPXRequest

settings = Settings.model_validate({**json.loads(sys.argv[1]), "telegram_token": sys.argv[2]})

async def main() -> None:
    request = HTTPXRequest(connection_pool_size=64)
    async with Bot(sys.argv[2], base_url=settings.telegram.api_base_url, request=request) as bot:
        sender = Sender(settings, open_store(settings.storage.url), bot)
        await sender.drain(deadline=time.monotonic() + float(sys.argv[3]))

asyncio.run(main())
"""


@dataclass
class Figures:
    enqueue: float = 0.0
    status: float = 0.0
    rebuild: float = 0.0
    drain: dict[int, tuple[float, int]] = field(default_factory=dict)  # instances -> (share, 429s)


def item(n: int, minutes_ago: float) -> NewsItem:
    lang = ("en", "ar", "fr")[n % 3]
    return NewsItem(
        key=f"icesco.org/{lang}/2025/01/01/item-{n}",
        source=f"icesco-{lang}",
        lang=lang,
        url=f"https://icesco.org/{lang}/2025/01/01/item-{n}/",
        title=f"Item {n}",
        published=NOW - timedelta(minutes=minutes_ago),
        summary=f"Summary of item {n}.",
        sectors=(SECTORS[n % 3],),
    )


def settings_for(url: str, api: FakeBotApi, rate: float, feeds: Path) -> Settings:
    return Settings.model_validate(
        {
            "storage": {"url": url},
            "feeds": {"dir": str(feeds)},
            "telegram": {"api_base_url": api.base_url, "rate_per_second": rate},
            "sectors": [{"key": k, "name": {"en": k, "fr": k, "ar": k}} for k in SECTORS],
            "alerts": {"max_age_days": 0},
            "telegram_token": api.token,
        }
    )


# Two hours between items: about twelve a day across the three languages, ICESCO's own pace.
# Recording an item links it to the other languages' items of the three days around it
# (linking.py); a minute apart, each item met thousands of candidates and filling 100,000 items
# took hours, which no real store sees.
SPACING_MINUTES = 120


def fill(settings: Settings, items: int, chat_count: int) -> None:
    engine = open_store(settings.storage.url)
    for start in range(0, items, 2000):
        batch = [
            item(n, (items - n) * SPACING_MINUTES) for n in range(start, min(start + 2000, items))
        ]
        with engine.begin() as conn:
            record_items(conn, batch, [], NOW, settings.alerts, baseline=True)
    ids = [str(10_000_000 + n) for n in range(chat_count)]
    with engine.begin() as conn:
        conn.execute(
            insert(chats),
            [
                {"chat": c, "paused": False, "active": True, "mode": "instant", "created": NOW}
                for c in ids
            ],
        )
        conn.execute(insert(subscriptions), [{"chat": c, "kind": "all", "value": ""} for c in ids])
    engine.dispose()


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def measure(settings: Settings, api: FakeBotApi, instances: list[int], n_items: int) -> Figures:
    engine = open_store(settings.storage.url)
    figures = Figures()
    new = item(n_items + 1, 0)

    def enqueue() -> None:
        with engine.begin() as conn:
            record_items(conn, [new], [], NOW, settings.alerts, baseline=False)
            enqueue_deliveries(conn, [new], settings, NOW)

    def status() -> None:
        with engine.connect() as conn:
            all_source_states(conn)
            count_by_source(conn)
            pending_counts(conn)

    figures.enqueue = timed(enqueue)
    figures.status = timed(status)
    figures.rebuild = timed(lambda: build_all(settings, engine))
    for count in instances:
        with engine.begin() as conn:  # the same fan-out again for each run
            conn.execute(
                deliveries.update().values(
                    status="pending",
                    sent_at=None,
                    message_id=None,
                    claimed_by=None,
                    claimed_until=None,
                    next_attempt_at=NOW,
                )
            )
        total = len_pending(engine)
        limited = api.rate_limited
        started = datetime.now(UTC)
        argv = [settings.model_dump_json(exclude={"telegram_token"}), api.token]
        deadline = str(total / settings.telegram.rate_per_second * 3 + 60)
        children = [
            subprocess.Popen([sys.executable, "-c", SENDER, *argv, deadline], cwd=ROOT)
            for _ in range(count)
        ]
        for child in children:
            child.wait()
        # Until the last message was accepted: a sender that ran out of work waits on the
        # others' claims (in case they die) before it exits, which is not sending time.
        with engine.connect() as conn:
            last = conn.scalar(select(func.max(deliveries.c.sent_at)))
        seconds = (last - started).total_seconds() if last else float("inf")
        sent = total - len_pending(engine)
        figures.drain[count] = (
            sent / seconds / settings.telegram.rate_per_second,
            api.rate_limited - limited,
        )
    engine.dispose()
    return figures


def len_pending(engine: object) -> int:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.scalar(select(func.count()).where(deliveries.c.status == "pending")))


def fresh_postgres(base: str) -> str:
    schema = "scale_" + uuid.uuid4().hex[:12]
    admin = create_engine(store_url(base))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return f"{base}?options=-csearch_path%3D{schema}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25)
    parser.add_argument("--instances", default="1,3")
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.postgres:
        sys.exit(
            "no PostgreSQL: pass --postgres URL or run .ci/postgres.sh and set TEST_POSTGRES_URL"
        )
    counts = [int(n) for n in args.instances.split(",")]
    print(f"{args.items} items, {args.chats} chats subscribed to everything, rate {args.rate:g}/s")
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi(global_per_second=args.rate) as api:
        work = Path(tmp)
        results = {}
        for name, url, runs in (
            ("sqlite", f"sqlite:///{work}/scale.db", [1]),
            ("postgresql", fresh_postgres(args.postgres), counts),
        ):
            settings = settings_for(url, api, args.rate, work / f"feeds-{name}")
            built = timed(lambda s=settings: fill(s, args.items, args.chats))
            print(f"{name}: store filled in {built:.1f} s")
            results[name] = measure(settings, api, runs, args.items)
    base, pg = results["sqlite"], results["postgresql"]
    print(f"\n{'figure':<34} {'sqlite (1)':>11} {'postgresql':>11} {'ratio':>7}")
    for label, b, p in (
        ("enqueue one item to every chat, s", base.enqueue, pg.enqueue),
        ("status, s", base.status, pg.status),
        ("feed rebuild (all feeds), s", base.rebuild, pg.rebuild),
    ):
        print(f"{label:<34} {b:>11.3f} {p:>11.3f} {p / b:>6.2f}x")
    rate_1, limited_1 = base.drain[1]
    label = "drain, 1 instance, share of rate"
    print(f"{label:<34} {rate_1:>11.3f} {'':>11} {'':>7}  429s {limited_1}")
    for count, (share, limited) in sorted(pg.drain.items()):
        label = f"drain, {count} instance(s), share"
        print(f"{label:<34} {'':>11} {share:>11.3f} {share / rate_1:>6.2f}x  429s {limited}")


if __name__ == "__main__":
    main()
