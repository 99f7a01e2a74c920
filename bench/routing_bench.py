"""Benchmark: filling feeds by exact tag joins, enqueueing through the routing core, custom feeds.

Run from the repo root: `python bench/routing_bench.py [--items N] [--chats N] [--requests N]`.
Everything on a real SQLite file in a temp dir and the feed server on 127.0.0.1; no network.
Each figure is printed beside a baseline measured in the same run:
- feed fill (latest 50 of one topic): the `item_tags` EXISTS join vs the old `LIKE '%"key"%'` on
  the JSON text (also how many wrong items LIKE let in for a key with `_`);
- enqueue: `enqueue_deliveries` (load readers, route, insert) vs the same function as it was
  before the routing core (read from git, commit 986cd58), and vs inserting the rows alone;
- custom feeds over HTTP: a cached query, a 304, and the first (uncached) build of a `q` query,
  against the static catalogue file `/en/all.rss` served by the same server.
No assertions: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, String, cast, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from icesco_watch.config.loader import load_config  # noqa: E402
from icesco_watch.config.schema import Settings  # noqa: E402
from icesco_watch.feeds.custom import SCAN_LIMIT  # noqa: E402
from icesco_watch.feeds.publish import build_all  # noqa: E402
from icesco_watch.feeds.server import FeedServer  # noqa: E402
from icesco_watch.models import NewsItem  # noqa: E402
from icesco_watch.store.dialect import insert_ignore  # noqa: E402
from icesco_watch.store.items import StoredItem, _stored, latest_items, record_items  # noqa: E402
from icesco_watch.store.outbox import enqueue_deliveries  # noqa: E402
from icesco_watch.store.schema import deliveries, items, open_store  # noqa: E402
from icesco_watch.store.subscriptions import add_subscription, upsert_chat  # noqa: E402

NOW = datetime(2026, 11, 1, tzinfo=UTC)
BEFORE_ROUTING = "986cd58"  # main before this branch
SECTORS = ("education", "science", "culture", "media", "dialogue")
WORDS = [
    "heritage",
    "manuscripts",
    "youth",
    "water",
    "climate",
    "schools",
    "museum",
    "literacy",
    "robots",
    "desert",
]


def settings_for(workdir: Path) -> Settings:
    defaults = load_config(None, {}).settings.model_dump(mode="json", exclude_none=True)
    topics = [
        {"key": "a_b", "name": "A b", "keywords": ["a b"]},
        {"key": "axb", "name": "A x b", "keywords": ["a x b"]},
    ]
    data = {
        "storage": {"url": f"sqlite:///{workdir}/bench.db"},
        "feeds": {"dir": str(workdir / "feeds"), "items": 50},
        "server": {"host": "127.0.0.1", "port": 0},
        "topics": topics,
    }
    return Settings.model_validate({**defaults, **data})


def make_items(count: int) -> list[NewsItem]:
    found = []
    for n in range(count):
        lang = ("en", "fr", "ar")[n % 3]
        published = NOW - timedelta(hours=n)
        body = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 60))
        found.append(
            NewsItem(
                key=f"icesco.org/{lang}/{published:%Y/%m/%d}/item-{n}",
                source=f"icesco-{lang}",
                lang=lang,
                url=f"https://icesco.org/{lang}/{published:%Y/%m/%d}/item-{n}/",
                title=f"Item {n} {WORDS[n % len(WORDS)]}",
                published=published,
                summary=body[:200],
                body=body,
                sectors=(SECTORS[n % len(SECTORS)],),
                topics=_topics(n),
            )
        )
    return found


def _topics(n: int) -> tuple[str, ...]:
    if n in (10, 2500, 4990):
        return ("rare_x",)
    return ("a_b",) if n % 10 == 0 else ("axb",) if n % 10 == 1 else ()


def best_ms(action: Callable[[], object], repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def fill(engine: Engine) -> None:
    """The newest 50 items of a common topic (10% of items) and of a rare one (3 items)."""
    with engine.connect() as conn:
        for key in ("a_b", "rare_x"):

            def like(key: str = key) -> list[StoredItem]:
                query = (
                    select(items)
                    .where(cast(items.c.topics, String).like(f'%"{key}"%'))
                    .order_by(items.c.published.desc(), items.c.key)
                    .limit(50)
                )
                return [_stored(row._mapping) for row in conn.execute(query)]

            exact = latest_items(conn, 50, topic=key)
            wrong = sum(1 for s in like() if key not in s.item.topics)
            join_ms = best_ms(lambda key=key: latest_items(conn, 50, topic=key), 100)
            like_ms = best_ms(like, 100)
            print(
                f"feed fill, newest 50 of topic {key}: item_tags join {join_ms:.2f} ms, "
                f"LIKE {like_ms:.2f} ms, ratio {join_ms / like_ms:.2f}; join returned "
                f"{len(exact)}, LIKE let in {wrong} items without the tag"
            )


def enqueue(engine: Engine, settings: Settings, chats: int, sample: list[NewsItem]) -> None:
    with engine.begin() as conn:
        for n in range(chats):
            chat = str(20_000_000 + n)
            upsert_chat(conn, chat, NOW)
            kind, value = [
                ("all", ""),
                ("sector", SECTORS[n % len(SECTORS)]),
                ("keyword", WORDS[n % len(WORDS)]),
                ("topic", "a_b"),
            ][n % 4]
            add_subscription(conn, chat, kind, value)
    runs = []
    rows_added = 0
    for _ in range(3):
        with engine.begin() as conn:
            started = time.perf_counter()
            rows_added = enqueue_deliveries(conn, sample, settings, NOW)
            runs.append(time.perf_counter() - started)
            conn.rollback()
    rows = [
        {
            "item_key": f"k{n % len(sample)}",
            "chat": str(n),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": NOW,
            "created_at": NOW,
        }
        for n in range(rows_added)
    ]
    before = _old_enqueue()
    old_runs = []
    for _ in range(3 if before else 0):
        with engine.begin() as conn:
            started = time.perf_counter()
            old_added = before(conn, sample, settings, NOW)
            old_runs.append(time.perf_counter() - started)
            conn.rollback()
        assert old_added == rows_added, (old_added, rows_added)
    inserts = []
    for _ in range(3):
        with engine.begin() as conn:
            started = time.perf_counter()
            for start in range(0, len(rows), 1000):
                conn.execute(insert_ignore(conn, deliveries), rows[start : start + 1000])
            inserts.append(time.perf_counter() - started)
            conn.rollback()
    total, insert_only = min(runs) * 1000, min(inserts) * 1000
    print(
        f"enqueue {len(sample)} items x {chats} chats -> {rows_added} deliveries: {total:.0f} ms; "
        f"inserting those rows alone {insert_only:.0f} ms; ratio {total / insert_only:.2f}"
    )
    if old_runs:
        old = min(old_runs) * 1000
        print(f"  before the routing core: {old:.0f} ms; ratio now/before {total / old:.2f}")


def _old_enqueue() -> Callable[..., int] | None:
    """`enqueue_deliveries` as it was before the routing core, or None without git."""
    try:
        source = subprocess.run(
            ["git", "show", f"{BEFORE_ROUTING}:icesco_watch/store/outbox.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        print("  (no git history: the before-the-routing-core baseline is skipped)")
        return None
    module = types.ModuleType("outbox_before_routing")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, "outbox_before_routing.py", "exec"), module.__dict__)
    found: Callable[..., int] = module.enqueue_deliveries
    return found


def http_rate(port: int, path: str, count: int, **headers: str) -> tuple[float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status = 0
    started = time.perf_counter()
    for _ in range(count):
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    elapsed = time.perf_counter() - started
    conn.close()
    return count / elapsed, status


def custom_feeds(settings: Settings, engine: Engine, requests: int) -> None:
    build_all(settings, engine)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = FeedServer(settings, engine)
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(timeout=30)
    try:
        static, _ = http_rate(server.port, "/en/all.rss", requests)
        cached_path = "/feed.rss?lang=fr&sector=culture"
        http_rate(server.port, cached_path, 1)
        cached, _ = http_rate(server.port, cached_path, requests)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", cached_path)
        etag = conn.getresponse().getheader("ETag") or ""
        conn.close()
        not_modified, status = http_rate(
            server.port, cached_path, requests, **{"If-None-Match": etag}
        )
        cold = []
        for n in range(5):
            word = WORDS[n]
            started = time.perf_counter()
            http_rate(server.port, f"/feed.rss?q={word},nothing{n}&lang=en", 1)
            cold.append(time.perf_counter() - started)
        print(f"custom feeds over HTTP ({requests} sequential requests each):")
        print(f"  /en/all.rss (static file, baseline): {static:.0f} req/s")
        print(f"  cached custom feed: {cached:.0f} req/s, {cached / static:.2f}x the static file")
        print(
            f"  304 to its ETag ({status}): {not_modified:.0f} req/s, {not_modified / static:.2f}x"
        )
        print(
            f"  first build of a q= query (at most {SCAN_LIMIT} items scanned): median "
            f"{statistics.median(cold) * 1000:.0f} ms, {statistics.median(cold) * static:.0f}x "
            "a static request"
        )
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_for(Path(tmp))
        engine = open_store(settings.storage.url)
        found = make_items(args.items)
        with engine.begin() as conn:
            record_items(conn, found, [], NOW, settings.alerts, baseline=True)
        print(f"store: {args.items} items, SQLite in a temp dir")
        fill(engine)
        enqueue(engine, settings, args.chats, found[:20])
        custom_feeds(settings, engine, args.requests)


if __name__ == "__main__":
    main()
