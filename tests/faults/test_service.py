"""The service's own proof: `icesco-watch run` as a real process against the replica site and
the fake Telegram Bot API. New items reach subscribed chats within one interval (and /metrics
says so); SIGKILL during delivery and a restart lose nothing and repeat at most what was in
flight; SIGTERM exits 0 within 5 s."""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, func, select

from icesco_watch.config.loader import load_config
from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings
from icesco_watch.store.schema import deliveries, items, open_store, runs
from tests.conftest import CLI, clean_env, replica_config
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import subscribe
from tests.replica import ReplicaServer, articles_in

INTERVAL = 4  # seconds
TOKEN_PART = "TEST-TOKEN"  # the fake's token: it must never be printed


def write_config(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi, **sections: dict[str, Any]
) -> Path:
    telegram = {
        "api_base_url": api.base_url,
        "request_timeout": "5s",
        **sections.pop("telegram", {}),
    }
    data = replica_config(
        tmp_path,
        replica,
        schedule={"interval": f"{INTERVAL}s", "jitter": "0s"},
        telegram=telegram,
        **sections,
    )
    path = tmp_path / "icesco-watch.toml"
    path.write_text(render_toml(Settings.model_validate(data)))
    return path


def settings_of(config: Path) -> Settings:
    return load_config(config, {}).settings


def start(config: Path, api: FakeBotApi, log: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "--config", str(config), "run"],
        stdout=log,
        stderr=log,
        text=True,
        env=clean_env(ICESCO_WATCH_TELEGRAM_TOKEN=api.token),
        cwd=config.parent,
    )


def wait(
    predicate: Callable[[], bool], process: subprocess.Popen[str], what: str, timeout: float = 120
) -> None:
    """Poll until `predicate()` (the bound is for a loaded machine, not a speed target)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert process.poll() is None, f"the service exited while waiting for {what}"
        assert time.monotonic() < deadline, f"{what}: not reached in {timeout} s"
        time.sleep(0.05)


def count(engine: Engine, query: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(query) or 0)


def stop_with_sigterm(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=5)  # the bound
    assert process.returncode == 0


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = answer.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_new_items_reach_subscribed_chats_within_one_interval_and_show_in_metrics(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi
) -> None:
    config = write_config(tmp_path, replica, api)
    settings = settings_of(config)
    engine = open_store(settings.storage.url)
    chats = ["501", "502"]
    for chat in chats:
        subscribe(engine, chat)
    before = {a.expected_key for lang in ("en", "fr", "ar") for a in articles_in("before", lang)}
    after = {a.expected_key for lang in ("en", "fr", "ar") for a in articles_in("after", lang)}
    new = after - before
    log_path = tmp_path / "service.log"
    with log_path.open("w") as log:
        process = start(config, api, log)
    try:
        # The first cycle stores the baseline silently.
        wait(
            lambda: count(engine, select(func.count()).select_from(runs)) >= 3, process, "baseline"
        )
        changed_at = datetime.now(UTC)
        replica.set_state("after")
        expected = len(new) * len(chats)
        wait(lambda: _sent(engine) == expected, process, "the alerts sent")
        metrics: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}

        def scraped_all() -> bool:
            nonlocal metrics
            metrics = scrape(settings.server.port)
            return metrics.get(("icesco_watch_alert_latency_seconds_count", ()), 0) == expected

        wait(scraped_all, process, "the latency metric")
    finally:
        if process.poll() is None:
            stop_with_sigterm(process)
    assert process.returncode == 0

    # Each chat got one alert per new item, none twice, nothing else.
    assert Counter(str(m.chat_id) for m in api.sent) == dict.fromkeys(chats, len(new))
    with engine.connect() as conn:
        rows = conn.execute(
            select(deliveries.c.item_key, deliveries.c.sent_at, items.c.first_seen).join(
                items, items.c.key == deliveries.c.item_key
            )
        ).all()
        first_runs = {
            source: conn.execute(
                select(runs.c.new)
                .where(runs.c.source == source, runs.c.started_at > changed_at)
                .order_by(runs.c.started_at)
                .limit(1)
            ).scalar()
            for source in ("icesco-en", "icesco-fr", "icesco-ar")
        }
    assert {row.item_key for row in rows} == new
    # Found by the first cycle after they appeared, and delivered within one interval of it.
    assert sum(n or 0 for n in first_runs.values()) == len(new), first_runs
    assert all(row.sent_at - row.first_seen <= timedelta(seconds=INTERVAL) for row in rows)

    assert metrics[("icesco_watch_cycles_total", ())] >= 2
    found = sum(
        value
        for (name, labels), value in metrics.items()
        if name == "icesco_watch_items_total" and ("change", "new") in labels
    )
    assert found == len(new)
    assert metrics[("icesco_watch_deliveries", (("status", "sent"),))] == expected
    assert metrics[("icesco_watch_outbox_depth", ())] == 0
    assert metrics[("icesco_watch_telegram_answers_total", (("outcome", "sent"),))] == expected
    assert not any(name == "icesco_watch_fetch_failures_total" for name, _ in metrics)
    text = log_path.read_text()
    assert TOKEN_PART not in text
    assert "Traceback" not in text


def _sent(engine: Engine) -> int:
    return count(engine, select(func.count()).where(deliveries.c.status == "sent"))


def test_sigkill_during_delivery_and_a_restart_lose_nothing_and_repeat_only_what_was_in_flight(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi
) -> None:
    # The first cycle alerts the 3 newest items per source, one message each (no digests),
    # to 6 chats: 54 messages at Telegram's 1 per second per chat take several seconds.
    config = write_config(
        tmp_path,
        replica,
        api,
        alerts={"max_age_days": 0, "baseline": "latest:3"},
        telegram={"digest_after": 100},
    )
    settings = settings_of(config)
    engine = open_store(settings.storage.url)
    chats = [str(700 + n) for n in range(6)]
    for chat in chats:
        subscribe(engine, chat)
    expected = 9 * len(chats)
    log_path = tmp_path / "service.log"
    with log_path.open("w") as log:
        first = start(config, api, log)
        try:
            wait(lambda: len(api.sent) >= 12, first, "the first alerts")
        finally:
            first.kill()  # SIGKILL: nothing is cleaned up or recorded
            first.wait(timeout=30)
        accepted = len(api.sent)
        marked = _sent(engine)
        in_flight = accepted - marked  # accepted by Telegram, not yet recorded as sent
        assert 0 <= in_flight < expected
        assert marked < expected, "the kill came after the delivery, not during it"

        second = start(config, api, log)
        try:
            wait(lambda: _sent(engine) == expected, second, "every delivery sent")
        finally:
            if second.poll() is None:
                stop_with_sigterm(second)
    assert second.returncode == 0

    per_message = Counter((str(m.chat_id), m.text) for m in api.sent)
    # Every (chat, item) pair arrived: nothing lost. The replica holds stories in several
    # languages: a chat of every language gets one alert per story ("Also in"), so messages
    # are counted as the store recorded them, not one per delivery.
    with engine.connect() as conn:
        recorded = conn.execute(select(deliveries.c.chat, deliveries.c.message_id)).all()
    messages = len(set(recorded))
    assert len(per_message) == messages
    assert messages < expected  # the replica's stories were joined
    repeated = sum(per_message.values()) - messages
    assert repeated <= in_flight, (repeated, in_flight)
    assert count(engine, select(func.count()).where(deliveries.c.status != "sent")) == 0
    text = log_path.read_text()
    assert TOKEN_PART not in text
    assert "Traceback" not in text
