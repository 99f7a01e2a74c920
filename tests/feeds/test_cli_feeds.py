"""`icesco-watch feeds build` and `icesco-watch serve`, run as commands in subprocesses."""

from __future__ import annotations

import signal
import subprocess
import urllib.request
from pathlib import Path

from sqlalchemy import Engine

from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings
from tests.conftest import CLI, clean_env
from tests.feeds.conftest import AWKWARD, store_items


def _config(tmp_path: Path, settings: Settings) -> Path:
    path = tmp_path / "icesco-watch.toml"
    path.write_text(render_toml(settings))
    return path


def test_feeds_build_writes_everything_then_nothing(
    tmp_path: Path, settings: Settings, engine: Engine
) -> None:
    store_items(engine, AWKWARD)
    config = _config(tmp_path, settings)
    argv = [*CLI, "--config", str(config), "feeds", "build"]
    first = subprocess.run(argv, env=clean_env(), capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    count = 2 * (4 * (1 + len(settings.sectors) + len(settings.topics))) + 2
    assert first.stdout.startswith(f"feeds: {count} written, 0 unchanged")
    assert (Path(settings.feeds.dir) / "ar/sector/culture.atom").is_file()
    second = subprocess.run(argv, env=clean_env(), capture_output=True, text=True, timeout=60)
    assert second.stdout.startswith(f"feeds: 0 written, {count} unchanged")


def test_serve_answers_until_sigterm(tmp_path: Path, settings: Settings, engine: Engine) -> None:
    store_items(engine, AWKWARD)
    config = _config(tmp_path, settings)
    subprocess.run([*CLI, "--config", str(config), "feeds", "build"], env=clean_env(), check=True)
    with subprocess.Popen(
        [*CLI, "--config", str(config), "serve"],
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the server listens (or exits)
        assert line.startswith("serving feeds at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].strip()
        with urllib.request.urlopen(f"{url}en/all.rss", timeout=10) as reply:
            assert reply.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
            assert AWKWARD[0].url.encode() in reply.read()
        with urllib.request.urlopen(f"{url}healthz", timeout=10) as reply:
            assert reply.status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
