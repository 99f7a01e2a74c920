"""What `run` says on a terminal without -v: the service's own lines, not APScheduler's
("Adding job tentatively", "Scheduler started", ...); those only with -v."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from tests.conftest import CLI, clean_env
from tests.stores import store_url


def _run(tmp_path: Path, *options: str) -> list[str]:
    """`run` until its service has started, then SIGTERM: its log lines (human format)."""
    config = tmp_path / "run.toml"
    config.write_text(
        f'[storage]\nurl = "{store_url(tmp_path / "store")}"\n'
        f'[feeds]\ndir = "{tmp_path / "feeds"}"\n[server]\nport = 0\n'
        # Never the network: the one source is a closed loopback port, as is the Bot API.
        '[telegram]\napi_base_url = "http://127.0.0.1:9/bot"\n'
        '[[sources]]\nkey = "loop"\nlang = "en"\nstart_urls = ["http://127.0.0.1:9/en/"]\n',
        "utf-8",
    )
    with subprocess.Popen(
        [*CLI, "--config", str(config), "--log-format", "human", *options, "run"],
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:  # ends at EOF should the service exit by itself
            lines.append(line.rstrip("\n"))
            if "service started" in line:
                process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, lines
    return lines


def test_run_without_verbose_shows_no_apscheduler_lines(tmp_path: Path) -> None:
    lines = _run(tmp_path)
    assert any("service started" in line for line in lines), lines
    assert not [line for line in lines if "apscheduler" in line], lines


def test_run_verbose_shows_them(tmp_path: Path) -> None:
    lines = _run(tmp_path, "-v")
    assert any("apscheduler.scheduler: Scheduler started" in line for line in lines), lines
