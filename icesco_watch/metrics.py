"""The service's Prometheus metrics, in a registry of its own, rendered for the feed server.

Counters are fed by the service: one call per finished cycle (`observe_cycle`, from its report)
and one per Telegram answer the sender recorded (`observe_verdict`). The outbox's state
(deliveries by status, the pending depth, admin notices by status) is read from the store at
scrape time, so it is right
whichever process or instance changed it, and after a restart.

Alert latency is first_seen (the cycle that stored the item) to Telegram's acceptance, per
delivery; a digest observes one value per item it carries (a scheduled digest none: its wait
is the reader's choice).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, select

from icesco_watch.models import CycleReport
from icesco_watch.notifiers.telegram.outcomes import Verdict
from icesco_watch.store.notices import notice_counts
from icesco_watch.store.outbox import pending_counts
from icesco_watch.store.schema import deliveries, items

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds; the default interval is 10 minutes, so the interesting range is up to an hour or so.
LATENCY_BUCKETS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200)


class Metrics:
    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.cycles = Counter("icesco_watch_cycles", "Crawl cycles completed.", registry=registry)
        self.items = Counter(
            "icesco_watch_items",
            "Items found new or updated (change) per source.",
            ["source", "change"],
            registry=registry,
        )
        self.fetch_failures = Counter(
            "icesco_watch_fetch_failures",
            "Cycles in which a source's crawl failed.",
            ["source"],
            registry=registry,
        )
        self.telegram_answers = Counter(
            "icesco_watch_telegram_answers",
            "Telegram's answers to the sender, by outcome "
            "(sent, flood, blocked, refused, transient).",
            ["outcome"],
            registry=registry,
        )
        self.alert_latency = Histogram(
            "icesco_watch_alert_latency_seconds",
            "From an item's first_seen to Telegram accepting its alert, per delivery.",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.last_cycle = Gauge(
            "icesco_watch_last_cycle_timestamp_seconds",
            "When the last cycle finished (Unix time).",
            registry=registry,
        )
        if engine is not None:
            registry.register(OutboxCollector(engine))

    def observe_cycle(self, report: CycleReport) -> None:
        self.cycles.inc()
        self.last_cycle.set_to_current_time()
        for source in report.sources:
            self.items.labels(source.source, "new").inc(len(source.new))
            self.items.labels(source.source, "updated").inc(len(source.updated))
            if source.failed:
                self.fetch_failures.labels(source.source).inc()

    def observe_verdict(self, verdict: Verdict) -> None:
        """After the sender recorded `verdict`: count it; if sent, observe each item's latency."""
        self.telegram_answers.labels(verdict.kind).inc()
        # An admin notice's ids are not deliveries: it has no item, so no alert latency.
        if verdict.kind != "sent" or verdict.message.notice or self.engine is None:
            return
        for seconds in alert_latencies(self.engine, verdict.message.ids):
            self.alert_latency.observe(seconds)

    def render(self) -> bytes:
        """The exposition text (reads the store: call it off the event loop)."""
        return generate_latest(self.registry)


def alert_latencies(engine: Engine, ids: Sequence[int]) -> list[float]:
    """Seconds from each item's first_seen to its delivery's sent_at, for sent deliveries."""
    query = (
        select(items.c.first_seen, deliveries.c.sent_at)
        .join(items, items.c.key == deliveries.c.item_key)
        # A scheduled digest waits for its time by the reader's choice: not alert latency.
        .where(
            deliveries.c.id.in_(list(ids)),
            deliveries.c.status == "sent",
            deliveries.c.digest.is_(None),
        )
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [max((sent - seen).total_seconds(), 0.0) for seen, sent in rows if sent is not None]


class OutboxCollector(Collector):
    """Deliveries by status, the pending depth and admin notices by status, read from the store
    at each scrape."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def describe(self) -> list[Metric]:
        return []  # known only at collection; keeps registration from querying the store

    def collect(self) -> Iterator[Metric]:
        with self.engine.connect() as conn:
            counts = pending_counts(conn)
            notices = notice_counts(conn)
        by_status = GaugeMetricFamily(
            "icesco_watch_deliveries",
            "Telegram deliveries in the outbox, by status.",
            labels=["status"],
        )
        for status, count in counts.items():
            by_status.add_metric([status], count)
        yield by_status
        yield GaugeMetricFamily(
            "icesco_watch_outbox_depth",
            "Deliveries pending (queued or waiting for a retry).",
            value=counts["pending"],
        )
        told = GaugeMetricFamily(
            "icesco_watch_notices",
            "Admin health notices (a source failing or recovered) in the outbox, by status; "
            "pending ones wait for Telegram, failed ones never reached their admin chat.",
            labels=["status"],
        )
        for status, count in notices.items():
            told.add_metric([status], count)
        yield told
