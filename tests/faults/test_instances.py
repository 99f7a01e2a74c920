"""Two `icesco-watch run` on one PostgreSQL store, against the replica and the fake Bot API, with
many chats; one is SIGKILLed mid-delivery. Every (item, chat) pair is delivered, repeats are no
more than what was in flight at the kill, Telegram's limits hold across both (no 429), only one
polls getUpdates (no 409), and the survivor exits 0 on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import urllib.request
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import IO

import feedparser
import pytest
from sqlalchemy import func, select

from icesco_watch.config.render import render_toml
from icesco_watch.notifiers.telegram.sender import MAX_IN_FLIGHT
from icesco_watch.store.schema import deliveries, items, open_store, runs, story_alerts
from tests.conftest import CLI, clean_env, free_port
from tests.fakes.bot_api import FakeBotApi
from tests.faults.test_service import (
    TOKEN_PART,
    count,
    settings_of,
    start,
    stop_with_sigterm,
    wait,
    write_config,
)
from tests.notifiers.telegram.helpers import subscribe
from tests.replica import ReplicaServer, articles_in
from tests.stores import POSTGRES

CHATS = 30
ADMIN = 4242  # a private chat in telegram.admin_chats
RATE = 20  # messages per second, configured
# The fake enforces 5% above it: unshared pacing would send twice the rate and draw hundreds of
# 429s, shared pacing none; the margin absorbs a loaded test machine's scheduling jitter (the
# bench, bench/scale.py, measures against the exact rate).
FAKE_RATE = RATE * 1.05


@pytest.mark.skipif(not POSTGRES, reason="several instances share a PostgreSQL store")
def test_two_instances_one_killed_deliver_everything_once_within_telegrams_limits(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    with FakeBotApi(global_per_second=FAKE_RATE) as api:
        config = write_config(
            tmp_path,
            replica,
            api,
            alerts={"max_age_days": 0, "baseline": "latest:3"},
            # A lease well above a loaded machine's stalls: the dead one's claims, renewed until
            # the kill, are still its own when the test reads them, then come back to the survivor.
            telegram={"digest_after": 100, "rate_per_second": RATE, "claim_lease": "10s"},
        )
        settings = settings_of(config)
        engine = open_store(settings.storage.url)
        chats = [str(900 + n) for n in range(CHATS)]
        for chat in chats:
            subscribe(engine, chat)
        expected = 9 * CHATS  # the 3 newest items of 3 sources, to every chat
        logs = [(tmp_path / f"instance-{n}.log").open("w") for n in (1, 2)]
        # The same store and sources; each instance serves its feeds on a port of its own.
        other = tmp_path / "second" / "icesco-watch.toml"
        other.parent.mkdir()
        port = f"port = {settings.server.port}\n"
        assert port in config.read_text()
        other.write_text(config.read_text().replace(port, f"port = {free_port()}\n"))
        first, second = start(config, api, logs[0]), start(other, api, logs[1])
        try:
            wait(lambda: len(api.sent) >= expected // 4, first, "the first alerts")
            first.send_signal(signal.SIGKILL)  # nothing is cleaned up or recorded
            first.wait(timeout=30)
            # In flight at the kill: what the dead one held (claimed, pending) and had sent or
            # was sending; its request may reach Telegram a moment after the kill.
            held = select(deliveries.c.chat, items.c.title).join(
                items, items.c.key == deliveries.c.item_key
            )
            with engine.connect() as conn:
                rows = conn.execute(
                    held.where(
                        deliveries.c.status == "pending",
                        deliveries.c.claimed_by.like(f"%:{first.pid}:%"),
                    )
                )
                dead_claims = {(row.chat, row.title) for row in rows}
            sent = count(engine, select(func.count()).where(deliveries.c.status == "sent"))
            assert sent < expected, "the kill came after the delivery, not during it"

            def all_sent() -> bool:
                query = select(func.count()).where(deliveries.c.status == "sent")
                return count(engine, query) == expected

            wait(all_sent, second, "every delivery sent by the survivor", timeout=180)
        finally:
            if first.poll() is None:
                first.kill()
            if second.poll() is None:
                stop_with_sigterm(second)
            for log in logs:
                log.close()
        assert second.returncode == 0

    # A message per (chat, story): a version joined to its story's alert ("Also in", the replica
    # has stories in three languages) arrives inside that alert, not as a message of its own.
    with engine.connect() as conn:
        alerted = conn.execute(
            select(deliveries.c.chat, items.c.title)
            .join(items, items.c.key == deliveries.c.item_key)
            .where(deliveries.c.id.not_in(select(story_alerts.c.delivery_id)))
        )
        wanted = {(row.chat, row.title) for row in alerted}
    per_pair = Counter((str(m.chat_id), m.plain.split("\n", 1)[0]) for m in api.sent)
    assert set(per_pair) == wanted  # every (item, chat) pair arrived, as its own or in "Also in"
    repeated = {pair for pair, times in per_pair.items() if times > 1}
    # Repeats are only messages the killed sender had in flight: pairs it held at the kill, at
    # most as many as one sender keeps in flight at once, each sent twice at most.
    assert repeated <= dead_claims
    assert len(repeated) <= MAX_IN_FLIGHT
    assert max(per_pair.values()) <= 2
    # The shared pacing kept the global and per-chat limits (the refusals name the limit broken).
    assert api.rate_limited == 0, api.refusals
    # One poller at a time: a 409 ends only a request nobody reads any more (the killed
    # poller's parked long poll at takeover, a stopping poller's last call), never a storm.
    assert api.conflicts <= 2
    for n in (1, 2):
        text = (tmp_path / f"instance-{n}.log").read_text()
        assert TOKEN_PART not in text
        assert "Traceback" not in text


@pytest.mark.skipif(not POSTGRES, reason="several instances share a PostgreSQL store")
def test_an_instance_that_does_not_crawl_serves_feeds_as_fresh_as_the_crawlers(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi
) -> None:
    """Two instances as on two machines: one store, each its own feeds folder and port. Only
    the first crawls; the new items it stores reach the feeds the second one serves."""
    config = write_config(tmp_path, replica, api)
    # Behind one balancer both name the public address (a feed's links and ids carry it).
    public = settings_of(config).feeds.model_copy(update={"base_url": "https://feeds.test/"})
    settings = settings_of(config).model_copy(update={"feeds": public})
    config.write_text(render_toml(settings))
    engine = open_store(settings.storage.url)
    other = tmp_path / "second" / "icesco-watch.toml"
    other.parent.mkdir()
    feeds = settings.feeds.model_copy(update={"dir": str(other.parent / "feeds")})
    server = settings.server.model_copy(update={"port": free_port()})
    other.write_text(render_toml(settings.model_copy(update={"feeds": feeds, "server": server})))
    new_titles = {a.title for a in articles_in("after", "en")} - {
        a.title for a in articles_in("before", "en")
    }
    assert new_titles
    logs = [(tmp_path / f"instance-{n}.log").open("w") for n in (1, 2)]
    first = start(config, api, logs[0])
    second = None
    try:
        baseline = select(func.count()).select_from(runs)
        wait(lambda: count(engine, baseline) >= 3, first, "the first instance's baseline")
        second = start(other, api, logs[1])
        url = f"http://127.0.0.1:{server.port}/en/all.rss"
        wait(lambda: _titles(url) is not None, second, "the second instance's feeds")
        replica.set_state("after")
        wait(lambda: new_titles <= (_titles(url) or set()), second, "the new items in its feed")
        crawled = (tmp_path / "instance-2.log").read_text()
        assert "another instance crawls" in crawled  # it never crawled: it followed
        # Behind a balancer a reader sees one feed: the same bytes and ETag from either.
        ports = (settings.server.port, server.port)
        first_feed, second_feed = (_fetch(f"http://127.0.0.1:{p}/en/all.rss") for p in ports)
        assert first_feed == second_feed
    finally:
        _stop(first, second, logs=logs)


def _stop(*processes: subprocess.Popen[str] | None, logs: Sequence[IO[str]]) -> None:
    """SIGTERM whatever still runs (each must exit 0 within 5 s), then close the logs."""
    for process in processes:
        if process is not None and process.poll() is None:
            stop_with_sigterm(process)
    for log in logs:
        log.close()


def _fetch(url: str) -> tuple[bytes, str]:
    """The body and ETag a reader gets from `url`."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read(), answer.headers["ETag"]


def _titles(url: str) -> set[str] | None:
    """The entry titles of the feed at `url` as a feed reader sees them (None: not served)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            parsed = feedparser.parse(answer.read())
    except OSError:
        return None
    return {entry.title for entry in parsed.entries}


@pytest.mark.skipif(not POSTGRES, reason="several instances share a PostgreSQL store")
def test_a_crawl_asked_of_the_instance_that_does_not_crawl_happens_at_once(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi
) -> None:
    """/crawl reaches the one instance that polls Telegram. Here the other one crawls (hourly),
    so before, the poller answered "starts now" and skipped the cycle for not holding the
    crawl; now it crawls at once, and the crawler's own feeds follow what it stored."""
    config = write_config(tmp_path, replica, api)
    base = settings_of(config)
    hourly = base.schedule.model_copy(update={"interval": timedelta(hours=1)})
    admins = base.telegram.model_copy(update={"admin_chats": [str(ADMIN)]})
    settings = base.model_copy(update={"schedule": hourly, "telegram": admins})
    config.write_text(render_toml(settings))
    other = tmp_path / "second" / "icesco-watch.toml"
    other.parent.mkdir()
    feeds = settings.feeds.model_copy(update={"dir": str(other.parent / "feeds")})
    server = settings.server.model_copy(update={"port": free_port()})
    other.write_text(render_toml(settings.model_copy(update={"feeds": feeds, "server": server})))
    engine = open_store(settings.storage.url)
    new_titles = {a.title for a in articles_in("after", "en")} - {
        a.title for a in articles_in("before", "en")
    }
    logs = [(tmp_path / f"instance-{n}.log").open("w") for n in (1, 2)]
    # The crawler has no token (no bot); the second one is the only one polling Telegram.
    crawler = subprocess.Popen(
        [*CLI, "--config", str(config), "run"],
        stdout=logs[0],
        stderr=logs[0],
        text=True,
        env=clean_env(),
        cwd=config.parent,
    )
    poller = None
    try:
        baseline = select(func.count()).select_from(runs)
        wait(lambda: count(engine, baseline) >= 3, crawler, "the crawler's baseline")
        poller = start(other, api, logs[1])
        replica.set_state("after")
        api.user_sends(ADMIN, "/crawl", None, "private", language_code="en")
        wait(lambda: bool(api.messages_to(ADMIN)), poller, "the answer to /crawl")
        stored = select(func.count()).select_from(runs).where(runs.c.new > 0)
        wait(lambda: count(engine, stored) >= 1, poller, "the crawl asked for", timeout=60)
        url = f"http://127.0.0.1:{settings.server.port}/en/all.rss"
        wait(lambda: new_titles <= (_titles(url) or set()), crawler, "the crawler's feed")
    finally:
        _stop(crawler, poller, logs=logs)
