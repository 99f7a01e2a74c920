"""A backfill on a terminal shows a progress bar; piped output stays plain."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings
from tests.conftest import replica_config
from tests.replica import ReplicaServer

COMMAND = "from icesco_watch.cli import main; main()"


def _run_on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run a command with a pseudo-terminal as stdin/stdout/stderr; return its status, output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the command
        os.execve(sys.executable, [sys.executable, "-c", COMMAND, *args], env)
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


def test_backfill_shows_progress_on_a_terminal_only(tmp_path: Path, replica: ReplicaServer) -> None:
    config = tmp_path / "watch.toml"
    config.write_text(render_toml(Settings.model_validate(replica_config(tmp_path, replica))))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICESCO_WATCH_")}
    env.update(COLUMNS="100", TERM="xterm")
    args = ["--config", str(config), "crawl", "--backfill", "2", "--source", "icesco-en"]

    code, shown = _run_on_terminal(args, env)
    assert code == 0, shown
    assert "backfill: pages and articles fetched" in shown
    assert "icesco-en: ok" in shown

    piped = subprocess.run(
        [sys.executable, "-c", COMMAND, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert piped.returncode == 0
    assert "backfill:" not in piped.stdout + piped.stderr
    assert piped.stdout.startswith("icesco-en: ok")
