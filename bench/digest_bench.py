"""Benchmark: what digest schedules cost when items are queued and when digests are formatted.

Run from the repo root: `python bench/digest_bench.py [--chats N] [--items M]`.
Enqueueing: M new items routed to N chats that follow everything, on a real SQLite store,
every chat on `daily 08:00 Africa/Casablanca` against the baseline of every chat instant
(today's behaviour), measured in the same run; the ratio is what computing each delivery's
digest time adds. Formatting: M items as one scheduled digest (grouped by sector, split within
4096 units) against the burst digest of `format.py`, same items, same run. No assertions.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from icesco_watch.config.loader import default_settings  # noqa: E402
from icesco_watch.models import NewsItem  # noqa: E402
from icesco_watch.notifiers.telegram.digest_format import format_scheduled_digest  # noqa: E402
from icesco_watch.notifiers.telegram.format import format_digest  # noqa: E402
from icesco_watch.store.chat_schedules import set_schedule, set_timezone  # noqa: E402
from icesco_watch.store.items import record_items  # noqa: E402
from icesco_watch.store.outbox import enqueue_deliveries  # noqa: E402
from icesco_watch.store.schema import open_store  # noqa: E402
from icesco_watch.store.subscriptions import add_subscription, upsert_chat  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SECTORS = ("education", "science", "culture", "media", "dialogue")


def items(count: int) -> list[NewsItem]:
    return [
        NewsItem(
            key=f"icesco.org/en/2026/11/30/item-{n}",
            source="icesco-en",
            lang="en",
            url=f"https://icesco.org/en/2026/11/30/item-{n}/",
            title=f"ICESCO item {n} on heritage, education and science in the Islamic world",
            published=NOW - timedelta(minutes=n),
            summary="A summary.",
            sectors=(SECTORS[n % len(SECTORS)],),
        )
        for n in range(count)
    ]


def enqueue_seconds(folder: Path, chats: int, found: list[NewsItem], digest: str) -> float:
    settings = default_settings()
    engine = open_store(f"sqlite:///{folder}/{digest.replace(' ', '-')}.db")
    with engine.begin() as conn:
        record_items(conn, found, [], NOW, settings.alerts, baseline=False)
        for n in range(chats):
            chat = str(1000 + n)
            upsert_chat(conn, chat, NOW)
            add_subscription(conn, chat, "all")
            set_timezone(conn, chat, "Africa/Casablanca", NOW)
            set_schedule(conn, chat, digest, NOW)
    start = time.perf_counter()
    with engine.begin() as conn:
        queued = enqueue_deliveries(conn, found, settings, NOW)
    elapsed = time.perf_counter() - start
    assert queued == chats * len(found)
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    found = items(args.items)
    with tempfile.TemporaryDirectory() as folder:
        instant = enqueue_seconds(Path(folder), args.chats, found, "instant")
        daily = enqueue_seconds(Path(folder), args.chats, found, "daily 08:00")
    deliveries = args.chats * args.items
    print(
        f"enqueue {deliveries} deliveries: instant {instant:.3f}s, daily {daily:.3f}s, "
        f"ratio {daily / instant:.2f}"
    )
    sectors = default_settings().sectors
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        burst = format_digest(found, sectors)
    burst_time = (time.perf_counter() - start) / rounds
    start = time.perf_counter()
    for _ in range(rounds):
        scheduled = format_scheduled_digest(found, sectors, "ICESCO daily digest · 1 December")
    scheduled_time = (time.perf_counter() - start) / rounds
    print(
        f"format {len(found)} items: burst digest {burst_time * 1000:.1f} ms "
        f"({len(burst)} messages), scheduled digest {scheduled_time * 1000:.1f} ms "
        f"({len(scheduled)} messages), ratio {scheduled_time / burst_time:.2f}"
    )


if __name__ == "__main__":
    main()
