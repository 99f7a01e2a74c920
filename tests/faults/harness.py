"""Running the real `icesco-watch` as an unlucky operator or an attacker would, and judging it.

Each fault case runs the installed command line in a subprocess, with a clean environment (no
developer `ICESCO_WATCH_*`) and the test bot token `TOKEN` set, then checks what a person would
see: the exit code, one line that names the key or the problem, no traceback, and the token in
none of stdout, stderr or the log files. Reuse it from any `tests/faults/test_<area>.py`:

    from tests.faults.harness import TOKEN, minimal_config, run_cli, assert_fault

    def test_port_in_use(tmp_path):
        config = minimal_config(tmp_path, server={"port": busy_port})
        done = run_cli(["--config", str(config), "serve"], cwd=tmp_path)
        assert_fault(done, exit_code=1, says="server.port")

- `minimal_config(tmp_path, raw="", **sections)`: a TOML config whose store and feeds live
  under `tmp_path`, whose one source is disabled (nothing is crawled unless a test enables one)
  and whose Telegram API is a closed loopback port; keyword sections are merged over it, not
  validated (a case may write what the schema must refuse); `raw` is TOML text put first,
  for what data cannot express (deep nesting).
- `run_cli(args, cwd=..., env=..., read_only=[paths], memory_mb=N, timeout=s)`: `read_only`
  paths are bind-mounted read-only in a private mount namespace of the child when the tests run
  as root (where `chmod` stops nothing), else made non-writable with chmod for the run;
  `memory_mb` bounds the child's address space (an unbounded allocation then fails the case).
- `start_cli(args, cwd=...)` / `finish(process, args)`: the same for a long-lived `run` or
  `serve` (SIGTERM, then the outcome), for cases that act on the service while it runs.
- `assert_clean(outcome, files)`: no token anywhere, no "Traceback" (unless `traceback_ok`).
- `assert_fault(outcome, exit_code, says)`: the exit code, exactly one stderr line containing
  `says` (a plain line or one JSON log record), and `assert_clean`.
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from icesco_watch.config.render import dump_toml
from icesco_watch.redaction import token_needles
from tests.conftest import CLI, clean_env

TOKEN = "987654:FAULT-MATRIX-SECRET-never-printed"
# The token's other forms a library might print (percent-encoded, the secret half alone).
TOKEN_FORMS = tuple(token_needles(TOKEN))
MOUNT_READ_ONLY = (
    'n=$1; shift; while [ "$n" -gt 0 ]; do mount --bind -o ro "$1" "$1" || exit 97; '
    'shift; n=$((n-1)); done; exec "$@"'
)


@dataclass(frozen=True)
class Outcome:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def minimal_config(tmp_path: Path, raw: str = "", **sections: dict[str, Any]) -> Path:
    """A config file under `tmp_path` (see the module docstring); returns its path."""
    data: dict[str, Any] = {
        "storage": {"url": f"sqlite:///{tmp_path}/store/watch.db"},
        "schedule": {"interval": "1m", "jitter": "0s"},
        "feeds": {"dir": f"{tmp_path}/feeds"},
        "server": {"host": "127.0.0.1", "port": 0},
        "telegram": {"api_base_url": "http://127.0.0.1:9/bot"},
        "sources": [
            {
                "key": "local",
                "lang": "en",
                "start_urls": ["http://127.0.0.1:9/en/category/news/"],
                "enabled": False,
            }
        ],
    }
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    path = tmp_path / "icesco-watch.toml"
    # Not validated: a case may write a value the schema must refuse. `raw` goes first, where
    # TOML takes top-level keys.
    path.write_text((raw + "\n" if raw else "") + dump_toml(data), "utf-8")
    return path


def run_cli(
    args: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    read_only: Sequence[Path] = (),
    memory_mb: int | None = None,
    timeout: float = 120,
) -> Outcome:
    """Run `icesco-watch ARGS` to its end; see the module docstring."""
    command = [*CLI, *args]
    environment = clean_env(ICESCO_WATCH_TELEGRAM_TOKEN=TOKEN, **(env or {}))
    with _read_only(read_only) as wrapper:
        done = subprocess.run(
            [*wrapper, *command],
            capture_output=True,
            text=True,
            env=environment,
            cwd=cwd,
            timeout=timeout,
            check=False,
            preexec_fn=(lambda: _limit_memory(memory_mb)) if memory_mb else None,
        )
    return Outcome(list(args), done.returncode, done.stdout, done.stderr)


def start_cli(
    args: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Start a long-lived `icesco-watch ARGS` (`run`, `serve`) with the same clean environment
    and test token as `run_cli`; end it with `finish`."""
    return subprocess.Popen(
        [*CLI, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(ICESCO_WATCH_TELEGRAM_TOKEN=TOKEN, **(env or {})),
        cwd=cwd,
    )


def finish(process: subprocess.Popen[str], args: Sequence[str], timeout: float = 30) -> Outcome:
    """SIGTERM a process from `start_cli` (if still running) and collect its outcome."""
    if process.poll() is None:
        process.terminate()
    out, err = process.communicate(timeout=timeout)
    return Outcome(list(args), process.returncode, out, err)


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@contextmanager
def _read_only(paths: Sequence[Path]) -> Iterator[list[str]]:
    """A command prefix (possibly empty) under which `paths` cannot be written."""
    if not paths:
        yield []
        return
    if os.geteuid() == 0:
        if not can_mount_read_only():
            pytest.skip("root without mount namespaces: cannot make a path read-only")
        yield ["unshare", "--mount", "sh", "-c", MOUNT_READ_ONLY, "sh", str(len(paths))] + [
            str(p) for p in paths
        ]
        return
    modes = {p: p.stat().st_mode for p in paths}
    try:
        for path in paths:
            path.chmod(modes[path] & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        yield []
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@cache
def can_mount_read_only() -> bool:
    """Whether this (root) process may bind-mount in a private mount namespace."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount --bind -o ro / / 2>/dev/null"],
        capture_output=True,
        check=False,
        timeout=30,
    )
    return probe.returncode == 0


def assert_clean(
    outcome: Outcome, files: Sequence[Path] = (), *, traceback_ok: bool = False
) -> None:
    """The token in no output and no file; no traceback unless asked for (--verbose)."""
    texts = {"stdout": outcome.stdout, "stderr": outcome.stderr}
    texts.update({str(f): f.read_text("utf-8", "replace") for f in files if f.is_file()})
    for where, text in texts.items():
        for form in TOKEN_FORMS:
            assert form not in text, f"the token ({form!r}) is printed in {where}:\n{text}"
        if not traceback_ok:
            assert "Traceback" not in text, f"a traceback in {where}:\n{text}"


def assert_fault(
    outcome: Outcome,
    exit_code: int,
    says: str,
    files: Sequence[Path] = (),
    *,
    traceback_ok: bool = False,
) -> str:
    """The case failed as an operator should see it; returns the line that says so."""
    shown = f"exit {outcome.returncode} for {outcome.args}\n--- stdout\n{outcome.stdout}\n"
    shown += f"--- stderr\n{outcome.stderr}"
    assert outcome.returncode == exit_code, shown
    lines = [line for line in outcome.stderr.splitlines() if says in line]
    assert len(lines) == 1, f"expected one line saying {says!r}\n{shown}"
    assert_clean(outcome, files, traceback_ok=traceback_ok)
    return lines[0]
