"""Benchmark: 500 cycles of the real service: resident memory, open files and store size.

Run from the repo root: `python bench/soak.py [--cycles 500] [--interval 0.5]`.
`icesco-watch run` runs as a child process with a short interval against the loopback replica
of icesco.org (three sources, served from this process) and alerts one subscribed chat through
the fake Bot API; the replica gains items at 30 % and 60 % of the run, so some cycles store,
alert and publish rather than answer 304. Every 50 cycles (counted by the service's own
`/metrics`) it samples the process's resident memory and open files (/proc) and the store's
size (SQLite file, WAL included), and reads a feed. The baseline is the process itself after
its first 50 cycles (warm); the target is growth < 10 MB over the run. No assertions: it reports.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _service import (  # noqa: E402
    metric,
    open_files,
    resident_bytes,
    scrape,
    start,
    store_bytes,
    write_config,
)

from icesco_watch.store.schema import open_store  # noqa: E402
from tests.conftest import LISTINGS  # noqa: E402
from tests.fakes.bot_api import FakeBotApi  # noqa: E402
from tests.notifiers.telegram.helpers import subscribe  # noqa: E402
from tests.replica import ReplicaServer  # noqa: E402

SAMPLE_EVERY = 50
MB = 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=500)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between cycles")
    args = parser.parse_args()
    changes = {int(args.cycles * 0.3): "after", int(args.cycles * 0.6): "after-more"}
    sources = [
        {"key": key, "lang": key[-2:], "start_urls": [f"http://icesco.org{path}"]}
        for key, path in LISTINGS.items()
    ]
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeBotApi() as api,
        ReplicaServer("before") as replica,
    ):
        workdir = Path(tmp)
        interval = f"{int(args.interval * 1000)}ms"
        settings = write_config(workdir, replica.proxy_url, api, interval, sources)
        engine = open_store(settings.storage.url)
        subscribe(engine, "4242")
        engine.dispose()
        feed = f"http://127.0.0.1:{settings.server.port}/all/all.rss"
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        samples: list[tuple[int, float, int, int, float]] = []
        started = time.monotonic()
        with (workdir / "service.log").open("w") as log:
            service = start(workdir, api, log)
            try:
                next_sample = SAMPLE_EVERY
                applied: set[str] = set()
                cycles = 0
                while cycles < args.cycles:
                    assert service.poll() is None, "the service died"
                    try:
                        cycles = int(metric(scrape(settings), "icesco_watch_cycles_total"))
                    except OSError:
                        cycles = 0  # not listening yet
                    for at, state in changes.items():
                        if cycles >= at and state not in applied:
                            replica.set_state(state)
                            applied.add(state)
                    if cycles >= next_sample:
                        with direct.open(feed, timeout=30) as answer:
                            answer.read()
                        samples.append(
                            (
                                cycles,
                                resident_bytes(service.pid) / MB,
                                open_files(service.pid),
                                store_bytes(settings),
                                time.monotonic() - started,
                            )
                        )
                        _, rss, files, size, _ = samples[-1]
                        print(
                            f"cycle {cycles:>4}: rss {rss:7.1f} MB, open files {files:>3}, "
                            f"store {size / 1024:7.0f} KB",
                            flush=True,
                        )
                        next_sample += SAMPLE_EVERY
                    time.sleep(0.2)
            finally:
                service.terminate()
                service.wait(timeout=30)
        sent = len(api.sent)
    first, last = samples[0], samples[-1]
    print(f"{last[0]} cycles in {last[4]:.0f} s ({args.interval} s interval); {sent} alerts sent")
    print(
        f"baseline (after {first[0]} cycles): rss {first[1]:.1f} MB, {first[2]} open files, "
        f"store {first[3] / 1024:.0f} KB"
    )
    print(
        f"growth to cycle {last[0]}: rss {last[1] - first[1]:+.1f} MB (target < 10 MB), "
        f"open files {last[2] - first[2]:+d}, store {(last[3] - first[3]) / 1024:+.0f} KB; "
        f"peak rss {max(s[1] for s in samples):.1f} MB"
    )


if __name__ == "__main__":
    main()
