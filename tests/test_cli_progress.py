"""Any crawl on a terminal shows a progress display and human log lines; piped output stays
plain, with JSON log lines."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import time
from pathlib import Path

from tests.conftest import CLI, clean_env, write_replica_config
from tests.fakes.bot_api import FakeBotApi
from tests.faults.harness import TOKEN, TOKEN_FORMS
from tests.replica import ReplicaServer


def _run_on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run a command with a pseudo-terminal as stdin/stdout/stderr; return its status, output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the command
        os.execve(CLI[0], [*CLI, *args], env)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")


def test_a_crawl_shows_progress_on_a_terminal_only(tmp_path: Path, replica: ReplicaServer) -> None:
    config = write_replica_config(tmp_path, replica)
    env = clean_env(COLUMNS="120", TERM="xterm")
    args = ["--config", str(config), "crawl", "--source", "icesco-en"]

    code, shown = _run_on_terminal(args, env)
    assert code == 0, shown
    assert "crawl icesco-en:" in shown
    assert "listing page(s)" in shown
    assert "icesco-en: ok" in shown
    # Log lines for a person: the config warning (1s interval against icesco.org) in plain text.
    assert "WARNING  config: schedule.interval" in shown
    assert '{"time"' not in shown

    piped = subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert piped.returncode == 0
    assert "listing page(s)" not in piped.stdout + piped.stderr
    assert piped.stdout.startswith("icesco-en: not modified")
    [warning] = [json.loads(line) for line in piped.stderr.splitlines()]
    assert warning["logger"] == "icesco_watch.config"
    assert warning["level"] == "warning"


def test_a_backfill_names_itself_and_log_format_can_be_forced(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    config = write_replica_config(tmp_path, replica)
    env = clean_env(COLUMNS="120", TERM="xterm")
    args = [
        "--config",
        str(config),
        "--log-format",
        "json",
        "crawl",
        "--backfill",
        "2",
        "-s",
        "icesco-fr",
    ]

    code, shown = _run_on_terminal(args, env)
    assert code == 0, shown
    assert "backfill icesco-fr:" in shown
    assert '"logger": "icesco_watch.config"' in shown  # JSON asked for, on a terminal too


def test_a_rejected_token_on_a_terminal_is_one_scrubbed_line(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    """The progress display, human log lines and the fatal line together: no token, no
    traceback, on the terminal a person reads."""
    config = write_replica_config(tmp_path, replica)
    with FakeBotApi() as api:
        text = config.read_text().replace("http://127.0.0.1:9/bot", api.base_url)
        config.write_text(text)
        env = clean_env(COLUMNS="120", TERM="xterm", ICESCO_WATCH_TELEGRAM_TOKEN=TOKEN)
        code, shown = _run_on_terminal(["--config", str(config), "crawl", "-s", "icesco-en"], env)
    assert code == 1, shown
    assert "crawl icesco-en:" in shown
    [fatal] = [line for line in shown.splitlines() if "InvalidToken" in line]
    assert " ERROR " in fatal
    assert "telegram.api_base_url" in fatal
    assert "Traceback" not in shown
    assert all(form not in shown for form in TOKEN_FORMS)
