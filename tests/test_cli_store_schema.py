"""What a command that opens a new store says about its schema: Alembic's own "Running upgrade"
lines only with -v; without, one line of ours, and only when the schema was created."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from icesco_watch.store.migrate import head_revision
from tests.conftest import CLI, clean_env
from tests.stores import store_url


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "serve.toml"
    config.write_text(
        f'[storage]\nurl = "{store_url(tmp_path / "store")}"\n'
        f'[feeds]\ndir = "{tmp_path / "feeds"}"\n[server]\nport = 0\n',
        "utf-8",
    )
    return config


def _serve(config: Path, *options: str) -> list[str]:
    """`serve` until it listens, then SIGTERM: its log lines (human format, as on a terminal)."""
    with subprocess.Popen(
        [*CLI, "--config", str(config), "--log-format", "human", *options, "serve"],
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        line = process.stdout.readline()  # blocks until the server listens (or exits)
        assert line.startswith("serving feeds at "), line + process.stderr.read()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        return process.stderr.read().splitlines()


def test_serve_on_a_new_store_says_one_line_not_alembics(tmp_path: Path) -> None:
    config = _config(tmp_path)
    first = _serve(config)
    assert not [line for line in first if "alembic" in line], first
    created = [line for line in first if "store created" in line]
    assert len(created) == 1, first
    assert created[0].endswith(f"store created at schema {head_revision()}")
    again = _serve(config)  # the store exists now: nothing about its schema
    assert not [line for line in again if "store created" in line or "alembic" in line], again


def test_serve_verbose_shows_alembics_migration_lines(tmp_path: Path) -> None:
    lines = _serve(_config(tmp_path), "-v")
    assert any("alembic" in line and "Running upgrade" in line for line in lines), lines
