"""Benchmark: one alert fanned out to many subscribed chats through the outbox sender.

Run from the repo root: `python bench/telegram_fanout.py [--chats N] [--rates 25,30]`.
Real PTB talks to the fake Bot API (`tests/fakes`) on loopback, with the fake's global limit
raised far above ours, so the sender's own pacing is what binds. The baseline, measured in the
same run, is the fake's capacity: the same number of messages sent unpaced. For each configured
rate it prints the wall time, the achieved rate as a ratio of the configured one (target >= 0.9)
and how many 429s the fake answered (target 0). No assertions: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from telegram import Bot
from telegram.request import HTTPXRequest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from icesco_watch.config.schema import Settings  # noqa: E402
from icesco_watch.models import NewsItem  # noqa: E402
from icesco_watch.notifiers.telegram.sender import Sender  # noqa: E402
from icesco_watch.store.items import record_items  # noqa: E402
from icesco_watch.store.outbox import enqueue_deliveries  # noqa: E402
from icesco_watch.store.schema import open_store  # noqa: E402
from icesco_watch.store.subscriptions import add_subscription, upsert_chat  # noqa: E402
from tests.fakes.bot_api import FakeBotApi  # noqa: E402

NOW = datetime.now(UTC)
ITEM = NewsItem(
    key="icesco.org/en/2025/03/01/fanout",
    source="icesco-en",
    lang="en",
    url="https://icesco.org/en/2025/03/01/fanout/",
    title="A benchmark alert",
    published=NOW,
    summary="One alert for every subscribed chat.",
    sectors=("education",),
)


def settings_for(api: FakeBotApi, workdir: Path, rate: float) -> Settings:
    return Settings.model_validate(
        {
            "storage": {"url": f"sqlite:///{workdir}/rate-{rate}.db"},
            "telegram": {"api_base_url": api.base_url, "rate_per_second": rate},
            "sectors": [{"key": "education", "name": {"en": "E", "fr": "E", "ar": "E"}}],
            "telegram_token": api.token,
        }
    )


def prepare(settings: Settings, chats: int) -> None:
    engine = open_store(settings.storage.url)
    with engine.begin() as conn:
        for n in range(chats):
            upsert_chat(conn, str(10_000_000 + n), NOW)
            add_subscription(conn, str(10_000_000 + n), "all")
        record_items(conn, [ITEM], [], NOW, settings.alerts, baseline=False)
        added = enqueue_deliveries(conn, [ITEM], settings, NOW)
    assert added == chats, f"enqueued {added}, expected {chats}"


async def capacity(api: FakeBotApi, messages: int) -> float:
    """Messages per second the fake and PTB manage unpaced (32 in flight, like the sender)."""
    request = HTTPXRequest(connection_pool_size=64)
    async with Bot(api.token, base_url=api.base_url, request=request) as bot:
        queue = list(range(messages))
        started = time.perf_counter()

        async def worker() -> None:
            while queue:
                n = queue.pop()
                await bot.send_message(20_000_000 + n, "capacity probe")

        await asyncio.gather(*(worker() for _ in range(32)))
        return messages / (time.perf_counter() - started)


async def fanout(settings: Settings) -> tuple[float, int, int]:
    """Seconds to drain, deliveries sent, still pending."""
    engine = open_store(settings.storage.url)
    request = HTTPXRequest(connection_pool_size=64)
    assert settings.telegram_token is not None
    token = settings.telegram_token.get_secret_value()
    async with Bot(token, base_url=settings.telegram.api_base_url, request=request) as bot:
        sender = Sender(settings, engine, bot)
        started = time.perf_counter()
        report = await sender.drain()
        return time.perf_counter() - started, report.sent, report.pending


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--rates", default="25,30", help="configured rates, comma-separated")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi(global_per_second=10_000) as api:
        workdir = Path(tmp)
        base = asyncio.run(capacity(api, min(args.chats, 2000)))
        print(f"baseline: fake Bot API capacity unpaced = {base:.0f} msg/s")
        print(f"{'rate':>6} {'chats':>7} {'seconds':>9} {'achieved':>9} {'ratio':>6} {'429s':>5}")
        for rate in rates:
            settings = settings_for(api, workdir, rate)
            prepare(settings, args.chats)
            limited_before = api.rate_limited
            seconds, sent, pending = asyncio.run(fanout(settings))
            achieved = sent / seconds
            print(
                f"{rate:>6.0f} {args.chats:>7} {seconds:>9.1f} {achieved:>9.2f} "
                f"{achieved / rate:>6.3f} {api.rate_limited - limited_before:>5}"
                + (f"  ({pending} left pending!)" if pending else "")
            )
        print(f"(capacity / highest rate: {base / max(rates):.1f}x, so the sender's pacing binds)")


if __name__ == "__main__":
    main()
