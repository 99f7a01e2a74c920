"""/metrics after real cycles against the replica, scraped over HTTP from the feed server."""

from __future__ import annotations

import asyncio
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.server import FeedServer
from icesco_watch.metrics import Metrics
from icesco_watch.store.notices import enqueue_notices
from tests.conftest import LISTINGS, crawl
from tests.notifiers.telegram.helpers import subscribe
from tests.replica import ReplicaServer

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def served(settings: Settings, engine: Engine) -> Iterator[FeedServer]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = FeedServer(settings, engine, port=0)
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(timeout=10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def scrape(server: FeedServer) -> Samples:
    with urllib.request.urlopen(f"{server.url}/metrics", timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        assert answer.headers["Cache-Control"] == "no-store"
        text = answer.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_metrics_count_cycles_items_failures_and_read_the_outbox(
    settings: Settings, engine: Engine, replica: ReplicaServer, served: FeedServer
) -> None:
    metrics: Metrics = served.metrics
    subscribe(engine, "900")
    metrics.observe_cycle(crawl(settings, engine))  # the silent baseline
    replica.set_state("after")
    replica.fail(status=500, path_prefix=LISTINGS["icesco-ar"])
    metrics.observe_cycle(crawl(settings, engine))  # 3 new in en and fr; ar fails

    samples = scrape(served)
    assert samples[("icesco_watch_cycles_total", ())] == 2
    new = {
        dict(labels)["source"]: value
        for (name, labels), value in samples.items()
        if name == "icesco_watch_items_total" and ("change", "new") in labels
    }
    assert new == {"icesco-en": 2, "icesco-fr": 1, "icesco-ar": 0}
    assert samples[("icesco_watch_fetch_failures_total", (("source", "icesco-ar"),))] == 1
    assert ("icesco_watch_fetch_failures_total", (("source", "icesco-en"),)) not in samples
    # Read from the store: the three alerts wait in the outbox (no Telegram in this test).
    assert samples[("icesco_watch_outbox_depth", ())] == 3
    assert samples[("icesco_watch_deliveries", (("status", "pending"),))] == 3
    assert samples[("icesco_watch_deliveries", (("status", "sent"),))] == 0
    assert samples[("icesco_watch_alert_latency_seconds_count", ())] == 0
    assert samples[("icesco_watch_notices", (("status", "pending"),))] == 0
    # Admin notices queued by a cycle (here by the store's own call) are counted from the store.
    with engine.begin() as conn:
        enqueue_notices(conn, ["-1", "-2"], "icesco-ar", "failing", ["HTTP 500"], datetime.now(UTC))
    samples = scrape(served)
    assert samples[("icesco_watch_notices", (("status", "pending"),))] == 2
    assert samples[("icesco_watch_notices", (("status", "failed"),))] == 0
