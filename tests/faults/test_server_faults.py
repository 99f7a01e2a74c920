"""`icesco-watch serve` as a real process under abuse: a flood of half-sent requests under a low
open-file limit used to exhaust descriptors and log "Too many open files" by the gigabyte.
Now the process keeps its descriptors bounded, answers a reader, and logs a few lines."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import ServerConfig
from icesco_watch.feeds.publish import build_all
from icesco_watch.store.schema import open_store
from tests.conftest import CLI, clean_env
from tests.feeds.conftest import AWKWARD, make_settings, store_items

FILE_LIMIT = 160  # the server's cap becomes 48 connections, its accept backlog 12
FLOOD = 300
HALF_HEAD = b"GET /en/all.rss HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: half"
MALFORMED = [
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20_000 + b"\r\n\r\n",
]


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


class Peak:
    """The most descriptors a process held while the block ran (sampled every 5 ms)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.most = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.005):
            self.most = max(self.most, open_fds(self.pid))

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=5)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    settings = make_settings(tmp_path)
    server = ServerConfig(host="127.0.0.1", port=0, request_timeout="5s")  # type: ignore[arg-type]
    settings = settings.model_copy(update={"server": server})
    engine: Engine = open_store(settings.storage.url)
    store_items(engine, AWKWARD)
    build_all(settings, engine)
    engine.dispose()
    path = tmp_path / "icesco-watch.toml"
    path.write_text(render_toml(settings))
    return path


def test_a_flood_of_half_sent_and_malformed_requests_cannot_take_serve_down(
    tmp_path: Path, config: Path
) -> None:
    log_path = tmp_path / "serve.log"
    command = ["sh", "-c", f'ulimit -n {FILE_LIMIT} && exec "$@"', "sh"]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, *CLI, "--config", str(config), "serve"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=clean_env(),
            cwd=tmp_path,
        )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().removeprefix("serving feeds at ").rstrip("/")
        port = int(url.rsplit(":", 1)[1])
        idle_fds = open_fds(process.pid)
        peak = Peak(process.pid)
        with ExitStack() as sockets, peak:
            for n in range(FLOOD):
                sock = sockets.enter_context(socket.create_connection(("127.0.0.1", port), 10))
                sock.sendall(MALFORMED[n % len(MALFORMED)] if n % 10 == 0 else HALF_HEAD)
            with urllib.request.urlopen(f"{url}/en/all.rss", timeout=10) as answer:
                assert answer.status == 200
                assert b"<rss" in answer.read()
            assert process.poll() is None
        # The cap, not the file limit, bounds the descriptors (with room for what the process
        # opens besides: the store, a crawl, Telegram).
        assert idle_fds < peak.most <= idle_fds + 48 + 4 * 12, (idle_fds, peak.most)
        # With the flood gone, the server is back to its idle descriptors.
        deadline = time.monotonic() + 20
        while open_fds(process.pid) > idle_fds:
            assert time.monotonic() < deadline, (idle_fds, open_fds(process.pid))
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0
    text = log_path.read_text()
    assert "Too many open files" not in text
    assert "Traceback" not in text
    # A handful of kinds, each at most once in the minute: a few lines, not a gigabyte.
    assert len(text.splitlines()) <= 10, text
    assert len(text) < 5_000
