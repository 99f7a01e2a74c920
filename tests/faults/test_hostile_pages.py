"""Hostile article pages, through real Scrapy crawls of the replica and a real SQLite store.

Each case serves one new English article as something hostile and checks, over three cycles:
the source is not failing and its other new article is stored and reported; the hostile one is
neither stored nor queued for alerts but quarantined (the cycle's report, the store, `status`);
it is fetched again on the next cycle (a first failure may be a passing one) and then not on
the third (its backoff has started); memory stays bounded while it is crawled.
Reverting a fix makes its case fail: without the size limit the bomb's 256 MiB is inflated
(peak memory), without the redirect middleware the other host is asked (the proxy's log),
without quarantine the source fails and the page is fetched every cycle.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from icesco_watch.config.schema import Settings
from icesco_watch.models import CycleReport, SourceReport
from icesco_watch.store.health import source_state
from icesco_watch.store.quarantine import quarantined
from icesco_watch.store.schema import deliveries, items
from tests.conftest import CLI, by_source, clean_env, crawl, write_replica_config
from tests.replica import ARTICLES, Article, ReplicaServer, build_site

MiB = 1024 * 1024
BOMB_SIZE = 256 * MiB  # decompressed; about 256 KiB on the wire
MEMORY_BOUND = 48 * MiB  # peak Python allocations while crawling one cycle with the bomb
HTML = {"Content-Type": "text/html; charset=UTF-8"}


@cache
def gzip_bomb() -> bytes:
    """A gzip body that inflates to BOMB_SIZE bytes: an HTML start, then zeros."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip framing
    parts = [squeeze.compress(b"<html><head><title>x</title></head><body><p>")]
    block = bytes(MiB)
    parts += [squeeze.compress(block) for _ in range(BOMB_SIZE // MiB)]
    parts.append(squeeze.flush())
    return b"".join(parts)


@dataclass(frozen=True)
class Hostile:
    name: str
    answer: Callable[[Article], tuple[int, dict[str, str], bytes]]
    error: str  # what the quarantine line says


CASES = [
    Hostile(
        "gzip-bomb",
        lambda a: (200, {**HTML, "Content-Encoding": "gzip"}, gzip_bomb()),
        "exceeded DOWNLOAD_MAXSIZE",
    ),
    Hostile(
        "huge-page",
        lambda a: (200, HTML, b"<html><body>" + b"<p>padding</p>" * (12 * MiB // 14)),
        "larger than download max size",
    ),
    Hostile(
        "off-host-redirect",
        lambda a: (301, {**HTML, "Location": f"http://evil.example{a.path}"}, b""),
        f"redirected off the site to http://evil.example{'{path}'}",
    ),
]


def _new_english() -> tuple[Article, Article]:
    hostile, fine = [
        a for a in ARTICLES if a.lang == "en" and "after" in a.states and "before" not in a.states
    ]
    return hostile, fine


def _en(report: CycleReport) -> SourceReport:
    return by_source(report)["icesco-en"]


def _fetches(replica: ReplicaServer, path: str) -> int:
    return sum(1 for r in replica.requests if r.path == path)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_article_is_quarantined_not_stored_and_not_refetched_every_cycle(
    case: Hostile, replica: ReplicaServer, settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    crawl(settings, engine)  # baseline
    replica.set_state("after")
    hostile, fine = _new_english()
    status, headers, body = case.answer(hostile)
    replica.respond(hostile.path, body, headers, status)
    error = case.error.replace("{path}", hostile.path)

    replica.clear_log()
    tracemalloc.start()
    try:
        first = _en(crawl(settings, engine))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"peak {peak / MiB:.0f} MiB while crawling {case.name}"
    assert not first.failed, first.errors
    assert first.new == [fine.expected_key]
    [line] = first.quarantined
    assert line.startswith(hostile.expected_key + ": ")
    assert error in line
    assert "evil.example" not in {r.host for r in replica.requests}  # never asked
    with engine.connect() as conn:
        stored = set(conn.scalars(select(items.c.key)))
        queued = set(conn.scalars(select(deliveries.c.item_key)))
    assert hostile.expected_key not in stored | queued
    assert fine.expected_key in stored

    replica.clear_log()
    second = _en(crawl(settings, engine))  # first retry: the next cycle
    assert _fetches(replica, hostile.path) == 1
    assert not second.failed
    assert second.new == []
    replica.clear_log()
    third = _en(crawl(settings, engine))  # then it waits (an hour, doubling)
    assert _fetches(replica, hostile.path) == 0
    assert not third.failed
    assert third.quarantined == []
    with engine.connect() as conn:
        [held] = quarantined(conn, "icesco-en")
        health = source_state(conn, "icesco-en")
    assert (held.key, held.failures) == (hostile.expected_key, 2)
    assert (held.next_attempt_at - held.first_failed).total_seconds() > 3000
    assert health.consecutive_failures == 0

    config = write_replica_config(tmp_path, replica, settings)
    shown = subprocess.run(
        [*CLI, "--config", str(config), "status"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    [quarantine_line] = [x for x in shown.stdout.splitlines() if "quarantined:" in x]
    assert "1 article(s)" in quarantine_line
    assert "2 failure(s)" in quarantine_line
    assert "Traceback" not in shown.stderr
    rows = subprocess.run(
        [*CLI, "--config", str(config), "status", "--json"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        check=True,
    ).stdout.splitlines()
    assert json.loads(rows[0])["quarantined"] == 1


def test_bidi_and_invisible_controls_never_reach_titles_or_summaries(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    replica.set_state("after")
    target, _ = _new_english()
    page = build_site("after")[target.path].body.decode("utf-8")
    first_word = target.title.split()[0]
    # Every occurrence of the title's first word (title, og:title, h1, body) gets an RLO override,
    # an isolate, a zero-width space and a BOM around it: the page reads the same, reversed.
    disguised = page.replace(first_word, f"\u202e{first_word}\u2066\u200b\ufeff")
    assert disguised.count("\u202e") >= 3
    replica.respond(target.path, disguised.encode("utf-8"), HTML)

    report = _en(crawl(settings, engine))
    assert target.expected_key in report.new
    with engine.connect() as conn:
        row = conn.execute(select(items).where(items.c.key == target.expected_key)).one()
    assert row.title == target.title
    for text in (row.title, row.summary, row.body):
        assert not any(c in text for c in "\u202e\u2066\u200b\ufeff"), text[:80]
    assert first_word in row.body


def test_the_gzip_bomb_is_real() -> None:
    """The bomb served above does inflate to BOMB_SIZE (so the bound above means something)."""
    assert len(gzip_bomb()) < BOMB_SIZE // 500
    stream = gzip.GzipFile(fileobj=io.BytesIO(gzip_bomb()))
    total = 0
    while chunk := stream.read(8 * MiB):
        total += len(chunk)
    assert total == BOMB_SIZE + len(b"<html><head><title>x</title></head><body><p>")


def test_every_new_article_failing_is_a_failure_of_the_source(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    """Quarantine is for one bad page; a site whose every new article breaks (a template
    change, an outage behind the listing) must still show as failing."""
    crawl(settings, engine)
    replica.set_state("after")
    hostile, fine = _new_english()
    for article in (hostile, fine):
        replica.fail(status=500, path_prefix=article.path)
    report = _en(crawl(settings, engine))
    assert report.failed
    assert not report.fatal
    assert report.errors[0].startswith("all 2 new articles fetched this cycle failed")
    assert len(report.quarantined) == 2
    replica.clear_faults()
    recovered = _en(crawl(settings, engine))  # both retried the next cycle
    assert not recovered.failed
    assert sorted(recovered.new) == sorted([hostile.expected_key, fine.expected_key])
