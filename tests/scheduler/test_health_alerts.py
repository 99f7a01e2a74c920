"""Admin health alerts: a source that starts failing, and recovers, is told to the admin chats
once each, through Telegram's 429s and 5xx. Real crawl cycles against the replica, the
service's own `Telegram` (real python-telegram-bot) against the fake Bot API.

The alerts are not in the outbox (they are about the service, not an item): they go through
`retrying.Retrying` as a command's reply does, paced with the alerts, bounded, and given up
with one log line naming the source and the event.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.outcomes import REPLY_WAIT
from icesco_watch.scheduler.alerts import Telegram
from icesco_watch.scheduler.cycle import run_cycle
from icesco_watch.store.schema import open_store
from tests.conftest import LISTINGS, replica_config
from tests.fakes.bot_api import FakeBotApi
from tests.replica import ReplicaServer

ADMIN = -1009100
LOGGER = "icesco_watch.scheduler.alerts"


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


def _settings(tmp_path: Path, replica: ReplicaServer, api: FakeBotApi) -> Settings:
    config = replica_config(
        tmp_path,
        replica,
        alerts={"failure_threshold": 1},
        telegram={
            "api_base_url": api.base_url,
            "request_timeout": "2s",
            "admin_chats": [str(ADMIN)],
        },
    )
    # The Arabic listing alone: the alerts are about it, and fewer crawls keep CI short.
    arabic = [source for source in config["sources"] if source["key"] == "icesco-ar"]
    return Settings.model_validate({**config, "sources": arabic, "telegram_token": api.token})


def _sends(api: FakeBotApi) -> int:
    return sum(1 for c in api.calls if c.method == "sendMessage" and c.params["chat_id"] == ADMIN)


def _two_cycles(
    settings: Settings,
    replica: ReplicaServer,
    api: FakeBotApi,
    refusals: list[tuple[str, int, int]],
) -> None:
    """A cycle with the Arabic listing failing, then one with it back; before each cycle's
    alerts, Telegram refuses the next sendMessage calls as `refusals` says (kind, retry_after,
    how many)."""
    engine = open_store(settings.storage.url)

    async def run() -> None:
        telegram = Telegram(settings, engine, asyncio.Event(), "test-instance")
        async with telegram.application:
            for n, (kind, retry_after, count) in enumerate(refusals):
                if n == 0:
                    replica.fail(status=500, path_prefix=LISTINGS["icesco-ar"])
                else:
                    replica.clear_faults()
                report = await run_cycle(settings, engine, settings.sources)
                if count:
                    api.inject("sendMessage", kind, count=count, retry_after=retry_after)
                await telegram.after_cycle(report)

    asyncio.run(run())


@pytest.mark.parametrize("kind", ["429", "502"])
def test_failing_and_recovered_reach_the_admin_chat_once_each_through_refusals(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi, kind: str
) -> None:
    # Before: one 429 or 5xx and the admin never learnt the source was failing (a log line).
    settings = _settings(tmp_path, replica, api)
    _two_cycles(settings, replica, api, [(kind, 1, 1), (kind, 1, 1)])
    failing, recovered = (m.plain for m in api.messages_to(ADMIN))
    assert failing.startswith("icesco-watch: source icesco-ar is failing: ")
    assert "500" in failing  # the listing's error, as the cycle reported it
    assert recovered == "icesco-watch: source icesco-ar is recovered"
    assert _sends(api) == 4  # each alert: one refused, one accepted


def test_an_alert_telegram_holds_back_too_long_is_given_up_in_one_line_and_the_next_one_goes(
    tmp_path: Path, replica: ReplicaServer, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(tmp_path, replica, api)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        _two_cycles(settings, replica, api, [("429", int(REPLY_WAIT) + 30, 1), ("", 0, 0)])
    [given_up] = [r for r in caplog.records if r.name == LOGGER]
    assert given_up.getMessage().startswith(
        f"health alert (icesco-ar failing) to chat {ADMIN} given up after 1 attempt(s)"
    )
    assert "RetryAfter" in given_up.getMessage()
    assert api.token not in caplog.text
    [recovered] = (m.plain for m in api.messages_to(ADMIN))
    assert recovered == "icesco-watch: source icesco-ar is recovered"
