"""The operator's fault matrix: each bad config, busy port, read-only path or rejected token is
one line naming the key or problem, the right exit code, no traceback, and the token nowhere.

Exit 2: the config is refused before anything runs. Exit 1: a runtime failure. Each case runs
the real command line (`harness.run_cli`); see `harness.py` for what is checked.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from icesco_watch.store.schema import open_store
from tests.fakes.bot_api import FakeBotApi
from tests.faults.harness import (
    assert_clean,
    assert_fault,
    finish,
    minimal_config,
    run_cli,
    start_cli,
)

Sections = dict[str, dict[str, Any]]


@dataclass
class Setup:
    """What a case prepared: config sections, paths to make read-only, files to search."""

    sections: Sections = field(default_factory=dict)
    read_only: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


Prepare = Callable[[Path, ExitStack], Setup]


@dataclass(frozen=True)
class Case:
    id: str
    command: tuple[str, ...]
    exit_code: int
    says: str
    sections: Sections = field(default_factory=dict)
    raw: str = ""
    prepare: Prepare | None = None
    traceback_ok: bool = False  # --verbose may show a (scrubbed) traceback


def _busy_port(_tmp: Path, stack: ExitStack) -> Setup:
    listener = stack.enter_context(socket.socket())
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return Setup({"server": {"port": listener.getsockname()[1]}})


def _bot_api(path: str) -> Prepare:
    """The fake Bot API, which answers 401 to any token but its own (the test token is not),
    and 404 to a wrong path (a wrong telegram.api_base_url)."""

    def prepare(tmp: Path, stack: ExitStack) -> Setup:
        api = stack.enter_context(FakeBotApi())
        url = api.base_url.replace("/bot", path)
        return Setup({"telegram": {"api_base_url": url}}, files=[tmp / "store" / "watch.db"])

    return prepare


def _existing_store_read_only(tmp: Path, _stack: ExitStack) -> Setup:
    database = tmp / "store" / "watch.db"
    open_store(f"sqlite:///{database}").dispose()
    return Setup(read_only=[database])


def _store_folder_read_only(tmp: Path, _stack: ExitStack) -> Setup:
    folder = tmp / "store"
    folder.mkdir()
    return Setup(read_only=[folder])


def _feeds_dir_read_only(tmp: Path, _stack: ExitStack) -> Setup:
    folder = tmp / "feeds"
    folder.mkdir()
    return Setup(read_only=[folder])


def _store_is_a_folder(tmp: Path, _stack: ExitStack) -> Setup:
    folder = tmp / "a-folder.db"
    folder.mkdir()
    return Setup({"storage": {"url": f"sqlite:///{folder}"}})


DEEP = "deep = " + "[" * 5000 + "]" * 5000
DEEP_TABLES = "deep = " + "{a = " * 900 + "1" + "}" * 900

CASES = [
    # Refused by the config (exit 2), one line naming the key.
    Case("storage-sqlite-no-file", ("run",), 2, "storage.url", {"storage": {"url": "sqlite:///"}}),
    Case("storage-sqlite-no-path", ("crawl",), 2, "storage.url", {"storage": {"url": "sqlite://"}}),
    Case(
        "storage-sqlite-memory",
        ("run",),
        2,
        "storage.url",
        {"storage": {"url": "sqlite:///:memory:"}},
    ),
    Case(
        "api-base-url-not-a-url",
        ("run",),
        2,
        "telegram.api_base_url",
        {"telegram": {"api_base_url": "not a url"}},
    ),
    Case(
        "jitter-longer-than-interval",
        ("run",),
        2,
        "schedule.jitter",
        {"schedule": {"interval": "1m", "jitter": "2m"}},
    ),
    Case("duration-1e400s", ("run",), 2, "schedule.interval", {"schedule": {"interval": "1e400s"}}),
    Case("duration-inf-text", ("run",), 2, "schedule.interval", {"schedule": {"interval": "inf"}}),
    Case("duration-1e308", ("run",), 2, "schedule.interval", {"schedule": {"interval": 1e308}}),
    Case("duration-infinite-float", ("crawl",), 2, "crawl.timeout", {"crawl": {"timeout": 1e400}}),
    Case(
        "duration-over-a-year",
        ("run",),
        2,
        "telegram.request_timeout",
        {"telegram": {"request_timeout": "400d"}},
    ),
    Case("toml-arrays-nested-deeply", ("run",), 2, "nested too deeply", raw=DEEP),
    Case("toml-tables-nested-deeply", ("run",), 2, "nested too deeply", raw=DEEP_TABLES),
    Case("server-host-not-a-host", ("serve",), 2, "server.host", {"server": {"host": "no host"}}),
    # Runtime failures (exit 1), one line naming the key or the problem.
    Case("token-rejected-401", ("crawl",), 1, "InvalidToken", prepare=_bot_api("/bot")),
    Case("token-rejected-404", ("crawl",), 1, "InvalidToken", prepare=_bot_api("/wrong/bot")),
    Case(
        "token-rejected-verbose",
        ("-v", "crawl"),
        1,
        "telegram.api_base_url",
        prepare=_bot_api("/bot"),
        traceback_ok=True,
    ),
    Case(
        "telegram-test-token-rejected",
        ("telegram", "test", "--chat", "5"),
        1,
        "Telegram refused the test alert",
        prepare=_bot_api("/bot"),
    ),
    # The minimal config's telegram.api_base_url is a closed loopback port: nothing refused.
    Case(
        "telegram-test-bot-api-unreachable",
        ("telegram", "test", "--chat", "5"),
        1,
        "telegram.api_base_url: could not reach the Bot API",
    ),
    # Typer's own error path: a usage error, with the token in the environment.
    Case("usage-error", ("crawl", "--backfill", "many"), 2, "--backfill"),
    Case("port-in-use-run", ("run",), 1, "server.port", prepare=_busy_port),
    Case("port-in-use-serve", ("serve",), 1, "server.port", prepare=_busy_port),
    Case(
        "server-host-not-this-machine",
        ("serve",),
        1,
        "server.host",
        {"server": {"host": "192.0.2.7"}},  # TEST-NET-1: never an address of this machine
    ),
    Case("store-path-is-a-folder", ("status",), 1, "storage.url", prepare=_store_is_a_folder),
    Case("store-read-only", ("crawl",), 1, "storage.url", prepare=_existing_store_read_only),
    Case("store-folder-read-only", ("status",), 1, "storage.url", prepare=_store_folder_read_only),
    Case("feeds-dir-read-only-crawl", ("crawl",), 1, "feeds.dir", prepare=_feeds_dir_read_only),
    Case("feeds-dir-read-only-run", ("run",), 1, "feeds.dir", prepare=_feeds_dir_read_only),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault(case: Case, tmp_path: Path) -> None:
    with ExitStack() as stack:
        setup = case.prepare(tmp_path, stack) if case.prepare else Setup()
        sections = {**case.sections}
        for name, values in setup.sections.items():
            sections[name] = {**sections.get(name, {}), **values}
        config = minimal_config(tmp_path, raw=case.raw, **sections)
        done = run_cli(
            ["--config", str(config), *case.command],
            cwd=tmp_path,
            read_only=setup.read_only,
            memory_mb=2048,
            timeout=90,
        )
    line = assert_fault(
        done, case.exit_code, case.says, setup.files, traceback_ok=case.traceback_ok
    )
    assert len(line) < 400, line  # one readable line, not a dump


def test_the_service_with_a_rejected_token_runs_on_and_never_prints_it(tmp_path: Path) -> None:
    """`run` with a token Telegram refuses: feeds and crawls go on, Telegram is retried, the
    token appears in no log line, and SIGTERM still ends it cleanly."""
    with FakeBotApi() as api:
        config = minimal_config(tmp_path, telegram={"api_base_url": api.base_url})
        args = ["--config", str(config), "run"]
        process = start_cli(args, cwd=tmp_path)
        try:
            api.wait_for(lambda a: any(c.status == 401 for c in a.calls), timeout=60)
        finally:
            done = finish(process, args)
    assert done.returncode == 0, done.stderr
    assert "telegram unavailable, retrying" in done.stderr
    assert_clean(done, [tmp_path / "store" / "watch.db"])
