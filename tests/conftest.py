"""Shared fixtures: the replica site on loopback, and settings that crawl it through its proxy."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from icesco_watch.config.loader import default_settings
from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings
from icesco_watch.models import CycleReport, SourceReport
from icesco_watch.scheduler.cycle import run_cycle
from icesco_watch.store.schema import open_store
from tests.fakes.bot_api import FakeBotApi
from tests.replica import ReplicaServer
from tests.stores import close_postgres_connections, store_url

AR_NEWS = "/ar/category/%D8%A7%D9%84%D9%85%D8%B3%D8%AA%D8%AC%D8%AF%D8%A7%D8%AA/"
LISTINGS = {
    "icesco-en": "/en/category/news/",
    "icesco-fr": "/fr/category/actualites/",
    "icesco-ar": AR_NEWS,
}


# Tests that measure time, kill processes or share the one WordPress site run alone, after the
# rest (`-m alone`): a neighbour's load must never decide them. Everything else may run on several
# workers at once (`-n 2 -m "not alone"`, the README's command). Decided here, for every pass.
ALONE = (
    "tests/faults/",
    "tests/scheduler/",
    "tests/wordpress/",
    "tests/notifiers/telegram/test_crash.py",
)
NOT_ALONE = ("tests/scheduler/test_health_alerts.py",)  # measures no time: retries and counts


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    for item in items:
        where = item.path.relative_to(root).as_posix()
        if where.startswith(ALONE) and not where.startswith(NOT_ALONE):
            item.add_marker(pytest.mark.alone)


DEFAULTS = default_settings()
__all__ = ["close_postgres_connections"]  # an autouse fixture for every test

# The installed `icesco-watch` command, run with the interpreter of the tests.
CLI = [sys.executable, "-c", "from icesco_watch.cli import main; main()"]


def free_port() -> int:
    """A loopback port nobody listens on right now (for servers started in a subprocess)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any ICESCO_WATCH_* variable, plus `extra`, so that a
    developer's own config or token never leaks into a test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICESCO_WATCH_")}
    env.update(extra)
    return env


def config_check(config: Path) -> subprocess.CompletedProcess[str]:
    """`icesco-watch config check` on `config`, as a user runs it (human log format)."""
    return subprocess.run(
        [*CLI, "--config", str(config), "--log-format", "human", "config", "check"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )


def config_check_error(config: Path) -> str:
    """`icesco-watch config check` on a malformed `config`: asserts the contract (exit 2, one
    line on stderr, no traceback) and returns that line."""
    done = config_check(config)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    return line


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(state="before") as server:
        yield server


def replica_config(tmp_path: Path, replica: ReplicaServer, **sections: Any) -> dict[str, Any]:
    """A config (as TOML-shaped data) that watches the replica's three listings.

    The crawler reaches the replica as its HTTP proxy, so URLs keep their real shape
    (`http://icesco.org/...`, `www.` variants included) and nothing else is ever contacted.
    `max_age_days = 0` because the replica's news is dated 2024-2025.
    """
    config: dict[str, Any] = {
        "storage": {"url": store_url(tmp_path / "store")},
        "schedule": {"interval": "1s", "jitter": "0s"},
        "crawl": {"delay": "0s", "timeout": "3s", "retries": 1, "proxy": replica.proxy_url},
        "sources": [
            {"key": key, "lang": key[-2:], "start_urls": [f"http://icesco.org{path}"]}
            for key, path in LISTINGS.items()
        ],
        "alerts": {"max_age_days": 0},
        "feeds": {"dir": f"{tmp_path}/feeds"},
        "server": {"port": free_port()},
        # Never Telegram itself: a closed loopback port unless a test starts the fake Bot API.
        "telegram": {"api_base_url": "http://127.0.0.1:9/bot"},
        # The built-in taxonomy, as a config without [[sectors]] inherits it from the defaults.
        "sectors": [s.model_dump() for s in DEFAULTS.sectors],
        "topics": [t.model_dump() for t in DEFAULTS.topics],
    }
    for name, values in sections.items():
        config[name] = {**config.get(name, {}), **values} if isinstance(values, dict) else values
    return config


def write_replica_config(
    tmp_path: Path, replica: ReplicaServer, settings: Settings | None = None
) -> Path:
    """The replica config as a TOML file, for tests that run the command line; `settings` when
    the command must see a store the test already uses (on PostgreSQL each new config would
    otherwise name a fresh schema)."""
    path = tmp_path / "icesco-watch.toml"
    chosen = settings or Settings.model_validate(replica_config(tmp_path, replica))
    path.write_text(render_toml(chosen))
    return path


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """The fake Bot API with Telegram's default flood limits, one per test."""
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def settings(tmp_path: Path, replica: ReplicaServer) -> Settings:
    return Settings.model_validate(replica_config(tmp_path, replica))


@pytest.fixture
def engine(settings: Settings) -> Engine:
    return open_store(settings.storage.url)


def crawl(settings: Settings, engine: Engine, backfill: int | None = None) -> CycleReport:
    return asyncio.run(run_cycle(settings, engine, settings.sources, backfill))


def by_source(report: CycleReport) -> dict[str, SourceReport]:
    return {r.source: r for r in report.sources}
