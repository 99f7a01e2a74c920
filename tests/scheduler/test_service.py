"""`icesco-watch run`: scheduled cycles in one long-lived process, JSON logs, clean shutdown."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from sqlalchemy import func, select

from icesco_watch.config.loader import load_config
from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings
from icesco_watch.store.schema import open_store, runs
from tests.conftest import CLI, LISTINGS, clean_env, replica_config, write_replica_config
from tests.replica import ReplicaServer


def test_the_service_runs_cycles_on_schedule_and_stops_cleanly(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    settings = Settings.model_validate(replica_config(tmp_path, replica))
    config = write_replica_config(tmp_path, replica, settings)
    replica.fail(status=500, path_prefix=LISTINGS["icesco-ar"])  # one source keeps failing
    process = subprocess.Popen(
        [*CLI, "--config", str(config), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(ICESCO_WATCH_TELEGRAM_TOKEN="12345:NEVER-LOGGED"),
        cwd=tmp_path,
    )
    engine = open_store(settings.storage.url)
    deadline = time.monotonic() + 180  # a bound for a loaded machine, not a speed target
    cycles = 0
    try:
        while cycles < 2 * len(settings.sources) and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            with engine.connect() as conn:
                cycles = conn.scalar(select(func.count()).select_from(runs)) or 0
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert cycles >= 2 * len(settings.sources), err
    assert process.returncode == 0, err

    records = [json.loads(line) for line in err.splitlines()]
    messages = [r["message"] for r in records]
    assert messages.index("service started") < messages.index("service stopped")
    # A 1s interval against icesco.org (reached through the replica's proxy) is warned about.
    [warning] = [r for r in records if r["logger"] == "icesco_watch.config"]
    assert warning["level"] == "warning"
    assert "schedule.interval" in warning["message"]
    finished = [r for r in records if r["message"] == "cycle finished"]
    assert {r["source"] for r in finished} == {"icesco-en", "icesco-fr", "icesco-ar"}
    failing = [r for r in finished if r["source"] == "icesco-ar"]
    assert all(r["level"] == "warning" and "HTTP 500" in r["errors"][0] for r in failing)
    assert "NEVER-LOGGED" not in out + err


def test_sigterm_during_a_crawl_exits_zero_quickly_and_serves_feeds_until_then(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    # The crawl's own timeout is longer than the hang, so the crawl is still in flight when
    # SIGTERM comes however slowly this machine gets there.
    data = replica_config(tmp_path, replica, crawl={"timeout": "120s"})
    config = tmp_path / "icesco-watch.toml"
    config.write_text(render_toml(Settings.model_validate(data)))
    settings = load_config(config, {}).settings
    replica.hang(path_prefix=LISTINGS["icesco-fr"], seconds=600)  # a crawl stays in flight
    process = subprocess.Popen(
        [*CLI, "--config", str(config), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
        cwd=tmp_path,
    )
    feeds = f"http://127.0.0.1:{settings.server.port}"
    try:
        # The French listing's request is held by the replica: the crawl is under way.
        replica.wait_for_hang(timeout=120)
        assert process.poll() is None, process.communicate()
        with urllib.request.urlopen(f"{feeds}/en/all.rss", timeout=30) as answer:
            assert answer.status == 200
            assert b"<rss" in answer.read()
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=5)  # the bound: exit within 5 s
    assert process.returncode == 0, err
    messages = [json.loads(line)["message"] for line in err.splitlines()]
    assert "cycle cancelled by shutdown; it is redone at the next start" in messages
    assert "Traceback" not in err  # a shutdown is not a crash
    assert "service stopped" in messages
    # Downloads cancelled by the shutdown are no failure of the site: no channel is given up.
    assert [m for m in messages if "CancelledError" in m] == []
    # Nothing of the interrupted cycle was recorded: the next start redoes it.
    with open_store(settings.storage.url).connect() as conn:
        assert conn.scalar(select(func.count()).select_from(runs)) == 0
