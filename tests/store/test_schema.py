"""Opening the store: several processes creating one new SQLite store at once all succeed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from icesco_watch.store.schema import metadata, open_store

# Each process waits for a start file, then opens the store: they all race at the same moment.
OPENER = """
import os, sys, time
from icesco_watch.store.schema import open_store
start, url = sys.argv[1], sys.argv[2]
print("ready", flush=True)
deadline = time.monotonic() + 60
while not os.path.exists(start) and time.monotonic() < deadline:
    pass
open_store(url).dispose()
print("opened")
"""


def test_processes_creating_one_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    database = tmp_path / "new" / "watch.db"
    url = f"sqlite:///{database}"
    start = tmp_path / "go"
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(start), url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    # Release them together once every one has imported everything and waits for the file.
    for opener in openers:
        assert opener.stdout is not None
        assert opener.stdout.readline().strip() == "ready"
    start.touch()
    results = [p.communicate(timeout=120) for p in openers]
    failures = [err for p, (_, err) in zip(openers, results, strict=True) if p.returncode != 0]
    assert not failures, failures[0]
    assert all(out.strip() == "opened" for out, _ in results)
    engine = open_store(url)
    assert set(inspect(engine).get_table_names()) >= set(metadata.tables)
