"""Benchmark: alert latency, from an item appearing on the site to Telegram accepting its alert.

Run from the repo root: `python bench/latency.py [--items 20] [--interval 10]`.
Real processes on loopback: `icesco-watch run` (a child process, one English source, a cycle
every `--interval` seconds, no jitter) crawls a generated icesco.org (the replica's templates,
served from this process) through its proxy and alerts one subscribed chat through the fake
Bot API. After the silent baseline, items are published one at a time, each at a random moment
of the schedule, once the previous one was alerted. Latency is from the moment the listing
shows the item to the fake accepting the message. The baseline it is compared with is the
interval itself (target: p95 <= 1.1 x interval). No assertions: it reports.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _bigsite import LISTING, START_URL, BigSite, articles  # noqa: E402
from _service import metric, scrape, start, write_config  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from icesco_watch.store.schema import open_store, runs  # noqa: E402
from tests.fakes.bot_api import FakeBotApi  # noqa: E402
from tests.notifiers.telegram.helpers import subscribe  # noqa: E402
from tests.replica.articles import Article  # noqa: E402
from tests.replica.site import article_page, modern_listing, related_for  # noqa: E402

BASELINE_ITEMS = 10
CHAT = "4242"


def pages_for(visible: list[Article]) -> dict[str, bytes]:
    """The site with only `visible` (newest first) published: one listing page and articles."""
    pages = {"/robots.txt": b"User-agent: *\nDisallow: /wp-admin/\n"}
    pages[LISTING] = modern_listing("en", visible[:20], 1, 1, None)
    for index, article in enumerate(visible):
        pages[article.path] = article_page(article, related_for(visible, index)).body
    return pages


def alerted_after(count: int) -> Callable[[FakeBotApi], bool]:
    def alerted(fake: FakeBotApi) -> bool:
        return len(fake.sent) > count

    return alerted


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between cycles")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    interval = args.interval
    rng = random.Random(args.seed)
    every = articles(BASELINE_ITEMS + args.items)  # newest first
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeBotApi() as api,
        BigSite(len(every)) as site,
    ):
        workdir = Path(tmp)
        visible = every[args.items :]
        site.pages = pages_for(visible)
        source = {"key": "icesco-en", "lang": "en", "start_urls": [START_URL], "max_pages": 1}
        settings = write_config(workdir, site.proxy_url, api, f"{interval}s", [source])
        engine = open_store(settings.storage.url)
        subscribe(engine, CHAT)
        latencies: list[float] = []
        with (workdir / "service.log").open("w") as log:
            service = start(workdir, api, log)
            try:
                deadline = time.monotonic() + 120
                with engine.connect() as conn:
                    while not conn.scalar(select(func.count()).select_from(runs)):
                        assert time.monotonic() < deadline, "no baseline cycle"
                        time.sleep(0.05)
                        conn.rollback()  # a fresh read each time
                for n in range(args.items):
                    time.sleep(rng.uniform(0, interval))  # a random phase of the schedule
                    visible = [every[args.items - 1 - n], *visible]
                    before = len(api.sent)
                    site.pages = pages_for(visible)
                    published = time.monotonic()
                    api.wait_for(alerted_after(before), timeout=5 * interval)
                    accepted = api.sent[before].at
                    latencies.append(accepted - published)
                    print(f"item {n + 1:>2}: {accepted - published:6.2f} s", flush=True)
                metrics = scrape(settings)
            finally:
                service.terminate()
                service.wait(timeout=30)
        with engine.connect() as conn:
            cycle = [
                (row.finished_at - row.started_at).total_seconds()
                for row in conn.execute(select(runs.c.started_at, runs.c.finished_at))
            ]
        engine.dispose()
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    print(
        f"interval (baseline): {interval:.1f} s; cycles: {len(cycle)}, median cycle "
        f"{statistics.median(cycle):.2f} s"
    )
    print(
        f"latency over {len(latencies)} items: p50 {p50:.2f} s = {p50 / interval:.2f} x "
        f"interval, p95 {p95:.2f} s = {p95 / interval:.2f} x interval (target <= 1.1), "
        f"max {max(latencies):.2f} s"
    )
    served = metric(metrics, "icesco_watch_alert_latency_seconds_count")
    total = metric(metrics, "icesco_watch_alert_latency_seconds_sum")
    print(
        f"/metrics: {served:.0f} alerts, mean first_seen -> accepted "
        f"{total / max(served, 1):.3f} s (the delivery part alone)"
    )


if __name__ == "__main__":
    main()
