"""`scrapy crawl icesco` (scrapy.cfg) for debugging: it honours the project's config."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import clean_env, write_replica_config
from tests.replica import ReplicaServer, articles_in

REPO = Path(__file__).resolve().parents[2]


def test_scrapy_crawl_exports_a_sources_articles(tmp_path: Path, replica: ReplicaServer) -> None:
    config = write_replica_config(tmp_path, replica)
    out = tmp_path / "out.jsonl"
    env = clean_env(ICESCO_WATCH_CONFIG=str(config))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "icesco",
            "-a",
            "source=icesco-fr",
            "-O",
            str(out),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert {e["key"] for e in exported} == {a.expected_key for a in articles_in("before", "fr")}
    assert all(e["lang"] == "fr" and e["title"] for e in exported)
    assert {r.host for r in replica.requests} == {"icesco.org"}  # through the config's proxy
