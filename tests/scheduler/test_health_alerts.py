"""Admin health notices: a source that starts failing, and recovers, is told to the admin chats
once each, through Telegram's 429s, a 5xx outage far longer than the old in-place 30 s, and a
process killed between the cycle's commit and the send. Real crawl cycles against the replica,
the service's own `Telegram` (real python-telegram-bot) against the fake Bot API.

The notices are queued in the cycle's transaction (`store/notices.py`) and sent by the outbox's
sender with its rules. The sender's clock (`Sender.now`) is moved past each backoff instead of
waiting for it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.outcomes import REPLY_WAIT, Backoff
from icesco_watch.scheduler.alerts import Telegram
from icesco_watch.scheduler.cycle import run_cycle
from icesco_watch.store.notices import Notice, get_notices
from icesco_watch.store.schema import open_store
from tests.conftest import CLI, LISTINGS, clean_env, replica_config, write_replica_config
from tests.fakes.bot_api import FakeBotApi
from tests.replica import ReplicaServer

ADMIN = -1009100
OTHER_ADMIN = -1009200
SENDER_LOG = "icesco_watch.notifiers.telegram.sender"
ROOT = Path(__file__).resolve().parents[2]
FAILING = "icesco-watch: source icesco-ar is failing: "
RECOVERED = "icesco-watch: source icesco-ar is recovered"


def _settings(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi, admins: tuple[int, ...] = (ADMIN,)
) -> Settings:
    config = replica_config(
        tmp_path,
        replica,
        alerts={"failure_threshold": 1},
        telegram={
            "api_base_url": api.base_url,
            "request_timeout": "2s",
            "admin_chats": [str(chat) for chat in admins],
        },
    )
    # The Arabic listing alone: the notices are about it, and fewer crawls keep CI short.
    arabic = [source for source in config["sources"] if source["key"] == "icesco-ar"]
    return Settings.model_validate({**config, "sources": arabic, "telegram_token": api.token})


def _sends(api: FakeBotApi, chat: int = ADMIN) -> int:
    """sendMessage requests to `chat`, refused ones included."""
    return sum(1 for c in api.calls if c.method == "sendMessage" and c.params["chat_id"] == chat)


def _notices(engine: Engine) -> list[Notice]:
    with engine.connect() as conn:
        return get_notices(conn)


@dataclass
class Clock:
    """The sender's clock: real time plus what the test skipped."""

    skipped: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.skipped


async def _drain_until_settled(telegram: Telegram, clock: Clock, rounds: int = 12) -> None:
    """Drain; while a notice waits for its retry, jump the clock to it and drain again."""
    engine = telegram.engine
    for _ in range(rounds):
        await telegram.sender.drain()
        pending = [n for n in _notices(engine) if n.status == "pending"]
        if not pending:
            return
        due = min(n.next_attempt_at for n in pending)
        clock.skipped += max(due - clock(), timedelta()) + timedelta(milliseconds=1)
    pytest.fail(f"notices still pending after {rounds} drains: {_notices(engine)}")


def _telegram(
    settings: Settings, engine: Engine, clock: Clock, backoff: Backoff | None = None
) -> Telegram:
    telegram = Telegram(settings, engine, asyncio.Event(), "test-instance")
    telegram.sender.now = clock
    if backoff is not None:  # a smaller bound: each send to a chat costs a real second (pacer)
        telegram.sender.backoff = backoff
    return telegram


def _cycles(
    settings: Settings,
    replica: ReplicaServer,
    api: FakeBotApi,
    refusals: list[tuple[str, int]],
    backoff: Backoff | None = None,
) -> Clock:
    """A cycle with the Arabic listing failing, then one with it back; after each cycle, the
    next sendMessage calls are refused as `refusals` says (kind, how many), and the service's
    sender drains until nothing waits."""
    engine = open_store(settings.storage.url)
    clock = Clock()

    async def run() -> None:
        telegram = _telegram(settings, engine, clock, backoff)
        async with telegram.application:
            for n, (kind, count) in enumerate(refusals):
                if n == 0:
                    replica.fail(status=500, path_prefix=LISTINGS["icesco-ar"])
                else:
                    replica.clear_faults()
                report = await run_cycle(settings, engine, settings.sources)
                # Queued with the event, before anything was sent.
                assert [n.status for n in _notices(engine)][-1] == "pending"
                if count:
                    api.inject("sendMessage", kind, count=count, retry_after=1)
                await telegram.after_cycle(report)
                await _drain_until_settled(telegram, clock)

    asyncio.run(run())
    return clock


@pytest.mark.parametrize("kind", ["429", "502"])
def test_failing_and_recovered_reach_each_admin_chat_once_through_refusals(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi, kind: str
) -> None:
    settings = _settings(tmp_path, replica, api, admins=(ADMIN, OTHER_ADMIN))
    _cycles(settings, replica, api, [(kind, 1), (kind, 1)])
    for chat in (ADMIN, OTHER_ADMIN):
        failing, recovered = (m.plain for m in api.messages_to(chat))
        assert failing.startswith(FAILING)
        assert "500" in failing  # the listing's error, as the cycle reported it
        assert recovered == RECOVERED
    assert _sends(api, ADMIN) + _sends(api, OTHER_ADMIN) == 6  # 4 notices, 2 refused once
    notices = _notices(open_store(settings.storage.url))
    assert [(n.event, n.status) for n in notices] == [("failing", "sent")] * 2 + [
        ("recovered", "sent")
    ] * 2
    assert all(n.message_id is not None for n in notices)


def test_a_telegram_outage_longer_than_the_old_bound_delays_the_notice_never_loses_it(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi
) -> None:
    # Before: 4 tries within 30 s, then one log line, and the admin never learnt of it.
    settings = _settings(tmp_path, replica, api)
    # More refusals than the old 4 tries, 5+10+20+40 s of backoff between them: not 30 s.
    outage = 4
    clock = _cycles(settings, replica, api, [("502", outage), ("", 0)])
    assert clock.skipped > timedelta(seconds=REPLY_WAIT * 2)
    failing, recovered = (m.plain for m in api.messages_to(ADMIN))
    assert failing.startswith(FAILING)
    assert recovered == RECOVERED
    assert _sends(api) == outage + 2  # the refusals, then each notice once
    first = _notices(open_store(settings.storage.url))[0]
    assert (first.status, first.attempts) == ("sent", outage)


def test_a_notice_refused_past_the_bound_fails_with_its_reason_in_one_warning(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(tmp_path, replica, api)
    attempts = 3  # the service's bound is Backoff().max_attempts (8); the rule is the same
    with caplog.at_level(logging.WARNING, logger=SENDER_LOG):
        _cycles(settings, replica, api, [("502", attempts), ("", 0)], Backoff(max_attempts=3))
    [line] = [r.getMessage() for r in caplog.records if r.name == SENDER_LOG]
    assert line.startswith(f"admin notice 1 to chat {ADMIN} failed for good: ")
    assert api.token not in caplog.text
    failing, recovered = _notices(open_store(settings.storage.url))
    assert failing.status == "failed"
    assert failing.last_error is not None
    assert failing.last_error.startswith(f"gave up after {attempts} attempts")
    assert recovered.status == "sent"  # the next notice to that chat is not held back
    assert [m.plain for m in api.messages_to(ADMIN)] == [RECOVERED]
    assert _sends(api) == attempts + 1


def test_a_notice_telegram_never_answers_is_sent_twice_at_most_then_failed_with_why(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi
) -> None:
    # Telegram takes the message and the answer is lost: it may have arrived, so it is not
    # resent at every retry (the old in-place retries never resent it, but lost it after 30 s).
    settings = _settings(tmp_path, replica, api)
    _cycles(settings, replica, api, [("lost-reply", 2)])
    [notice] = _notices(open_store(settings.storage.url))
    assert notice.status == "failed"
    assert notice.unconfirmed == 1
    assert notice.last_error is not None
    assert "may have arrived" in notice.last_error
    assert _sends(api) == 2
    assert all(m.plain.startswith(FAILING) for m in api.messages_to(ADMIN))


# The cycle in a process of its own, killed (SIGKILL: no clean-up) as soon as the cycle is
# committed, before the service could send anything.
CHILD = """
import asyncio, json, os, signal, sys
from icesco_watch.config.schema import Settings
from icesco_watch.scheduler.cycle import run_cycle
from icesco_watch.store.schema import open_store

settings = Settings.model_validate({**json.loads(sys.argv[1]), "telegram_token": sys.argv[2]})
engine = open_store(settings.storage.url)
report = asyncio.run(run_cycle(settings, engine, settings.sources))
assert report.sources[0].health_event == "failing", report
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_process_killed_between_the_commit_and_the_send_tells_the_admins_after_restart(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi
) -> None:
    settings = _settings(tmp_path, replica, api)
    engine = open_store(settings.storage.url)
    replica.fail(status=500, path_prefix=LISTINGS["icesco-ar"])
    argv = [json.dumps(settings.model_dump(mode="json")), api.token]
    child = subprocess.run(
        [sys.executable, "-c", CHILD, *argv],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert _sends(api) == 0
    assert [n.status for n in _notices(engine)] == ["pending"]
    # `status` shows it waiting, beside the deliveries.
    config = write_replica_config(
        tmp_path, replica, settings.model_copy(update={"telegram_token": None})
    )
    shown = subprocess.run(
        [*CLI, "--config", str(config), "status", "--json"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        check=True,
    )
    queues = json.loads(shown.stdout.splitlines()[-1])
    assert queues["notices"] == {"pending": 1, "sent": 0, "failed": 0, "skipped": 0}

    async def restart() -> None:  # the service starting again drains what was queued
        telegram = _telegram(settings, engine, Clock())
        async with telegram.application:
            await telegram.sender.drain()
            await telegram.sender.drain()  # a second pass sends nothing again

    asyncio.run(restart())
    [failing] = (m.plain for m in api.messages_to(ADMIN))
    assert failing.startswith(FAILING)
    assert _sends(api) == 1
    assert [n.status for n in _notices(engine)] == ["sent"]


def test_a_notice_to_a_chat_removed_from_admin_chats_is_skipped_not_sent(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi
) -> None:
    """The notice was queued for two admin chats; before it went out, the operator took one
    out of `telegram.admin_chats` (and restarted): that chat is told nothing, and why is kept."""
    before = _settings(tmp_path, replica, api, admins=(ADMIN, OTHER_ADMIN))
    engine = open_store(before.storage.url)
    replica.fail(status=500, path_prefix=LISTINGS["icesco-ar"])
    asyncio.run(run_cycle(before, engine, before.sources))  # queued, nothing sent yet
    assert [n.status for n in _notices(engine)] == ["pending", "pending"]
    after = before.model_copy(
        update={"telegram": before.telegram.model_copy(update={"admin_chats": [str(ADMIN)]})}
    )

    async def run() -> None:
        telegram = _telegram(after, engine, Clock())
        async with telegram.application:
            await _drain_until_settled(telegram, Clock())

    asyncio.run(run())
    [told_admin] = api.messages_to(ADMIN)
    assert told_admin.plain.startswith(FAILING)
    assert _sends(api, OTHER_ADMIN) == 0
    told = {n.chat: n for n in _notices(engine)}
    assert told[str(ADMIN)].status == "sent"
    skipped = told[str(OTHER_ADMIN)]
    assert (skipped.status, skipped.last_error) == (
        "skipped",
        "the chat is no longer one of telegram.admin_chats",
    )
