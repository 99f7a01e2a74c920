"""Benchmark of the feeds: rebuilding them from the store, and serving /en/all.rss.

Run from the repo root: `python bench/feeds_bench.py [--items N] [--seconds S]`.
Needs Debian's `wrk` (`apt-get install -y --no-install-recommends wrk`) as the load generator.

1. Building: N stored items (a real SQLite file) -> every feed, the OPML and the index page,
   beside the baseline of reading those N items from the store once.
2. Serving, on loopback with wrk: a 200 and a 304 (If-Modified-Since, and If-None-Match where
   the server has ETags) for /en/all.rss from `icesco-watch serve`, beside the same file from
   two plain static servers measured in the same run: aiohttp's static files and
   `python -m http.server`.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icesco_watch.config.loader import load_config
from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import AlertsConfig, Settings
from icesco_watch.feeds.publish import build_all, publish_feeds
from icesco_watch.models import NewsItem
from icesco_watch.store.items import latest_items, record_items
from icesco_watch.store.schema import open_store

PATH = "/en/all.rss"
AIOHTTP_STATIC = """
import sys
from aiohttp import web
app = web.Application()
app.router.add_static("/", sys.argv[1])
web.run_app(app, host="127.0.0.1", port=int(sys.argv[2]), access_log=None, print=None)
"""


def make_items(count: int, settings: Settings) -> list[NewsItem]:
    rng = random.Random(7)
    sectors = [s.key for s in settings.sectors]
    topics = [t.key for t in settings.topics]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    found = []
    for n in range(count):
        lang = ("en", "ar", "fr")[n % 3]
        published = start + timedelta(hours=n * 5)
        found.append(
            NewsItem(
                key=f"icesco.org/{lang}/{published:%Y/%m/%d}/item-{n}",
                source=f"icesco-{lang}",
                lang=lang,
                url=f"https://icesco.org/{lang}/{published:%Y/%m/%d}/item-{n}/",
                title=f"News item {n} & <friends> 🎓 خبر",
                published=published,
                summary="A summary of the news item, about two lines long. " * 4,
                body="Body.",
                sectors=tuple(rng.sample(sectors, rng.randint(0, 2))),
                topics=tuple(rng.sample(topics, rng.randint(0, 1))) if topics else (),
            )
        )
    return found


def make_settings(workdir: Path, port: int) -> Settings:
    data = load_config(None, {}).settings.model_dump(mode="json", exclude_none=True)
    data.update(
        storage={"url": f"sqlite:///{workdir}/watch.db"},
        feeds={"dir": str(workdir / "feeds"), "items": 50},
        server={"host": "127.0.0.1", "port": port},
        topics=[
            {"key": "ai", "name": "Artificial intelligence", "keywords": ["ai"]},
            {"key": "heritage", "name": "Heritage", "keywords": ["heritage"]},
        ],
    )
    return Settings.model_validate(data)


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median seconds of `repeat` runs."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def bench_build(workdir: Path, count: int, repeat: int) -> Settings:
    settings = make_settings(workdir, free_port())
    engine = open_store(settings.storage.url)
    items = make_items(count, settings)
    with engine.begin() as conn:
        record_items(conn, items, [i.key for i in items], datetime.now(UTC), AlertsConfig(), True)

    def read_all() -> None:
        with engine.connect() as conn:
            assert len(latest_items(conn, count)) == count

    def cold() -> None:
        for path in sorted(Path(settings.feeds.dir).rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        build_all(settings, engine)

    baseline = timed(read_all, repeat)
    cold_s = timed(cold, repeat)
    report = build_all(settings, engine)
    warm_s = timed(lambda: build_all(settings, engine), repeat)
    touched = items[-1]
    one_s = timed(lambda: publish_feeds(settings, engine, [touched]), repeat)
    files = report.built
    print(f"build: {count} stored items, {files} files (feeds x2 formats + OPML + index)")
    print(f"  baseline  read {count} items from the store once: {baseline * 1000:8.1f} ms")
    for label, seconds in (
        ("build_all, empty feeds.dir (every file written)", cold_s),
        ("build_all, nothing changed (no file written)   ", warm_s),
        ("publish_feeds for 1 touched item               ", one_s),
    ):
        print(f"  {label}: {seconds * 1000:8.1f} ms  = {seconds / baseline:6.1f}x baseline")
    return settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running(argv: list[str], port: int) -> Iterator[str]:
    """A server subprocess, waited for (poll with a deadline) until PATH answers 200."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                with urllib.request.urlopen(url + PATH, timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"server did not start: {argv}") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def validators(url: str) -> tuple[str | None, str]:
    with urllib.request.urlopen(url + PATH, timeout=5) as reply:
        return reply.headers.get("ETag"), reply.headers["Last-Modified"]


def wrk(url: str, seconds: int, header: str | None = None) -> float:
    """Requests per second (wrk's own count; errors are printed, not hidden)."""
    argv = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency"]
    if header:
        argv += ["-H", header]
    out = subprocess.run(
        [*argv, url + PATH], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out:
        print(f"    (wrk reported errors for {url}: {out.splitlines()[-3:]})")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None:
        raise RuntimeError(out)
    return float(match.group(1))


def bench_serving(settings: Settings, workdir: Path, seconds: int) -> None:
    config = workdir / "bench.toml"
    config.write_text(render_toml(settings))
    feeds = settings.feeds.dir
    cli = [sys.executable, "-c", "from icesco_watch.cli import main; main()"]
    ours = [*cli, "--config", str(config), "serve"]
    static_port, plain_port = free_port(), free_port()
    servers = {
        "icesco-watch serve": (ours, settings.server.port),
        "aiohttp static": (
            [sys.executable, "-c", AIOHTTP_STATIC, feeds, str(static_port)],
            static_port,
        ),
        "python -m http.server": (
            [sys.executable, "-m", "http.server", str(plain_port), "-b", "127.0.0.1", "-d", feeds],
            plain_port,
        ),
    }
    results: dict[str, dict[str, float]] = {}
    for name, (argv, port) in servers.items():
        with running(argv, port) as url:
            etag, modified = validators(url)
            row = {
                "200": wrk(url, seconds),
                "304 If-Modified-Since": wrk(url, seconds, f"If-Modified-Since: {modified}"),
            }
            if etag:
                row["304 If-None-Match"] = wrk(url, seconds, f"If-None-Match: {etag}")
            results[name] = row
    size = (Path(feeds) / PATH.lstrip("/")).stat().st_size
    print(f"\nserving {PATH} ({size} bytes) on loopback, wrk -t2 -c32 -d{seconds}s, requests/s:")
    ours_row = results["icesco-watch serve"]
    for kind in ("200", "304 If-Modified-Since", "304 If-None-Match"):
        parts = [f"  {kind:22} ours {ours_row.get(kind, 0):9.0f}"]
        for name in ("aiohttp static", "python -m http.server"):
            theirs = results[name].get(kind)
            if theirs:
                ratio = ours_row[kind] / theirs
                parts.append(f"{name} {theirs:9.0f} (ours {ratio:4.2f}x)")
            else:
                parts.append(f"{name}: no ETag support")
        print("   ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per measurement")
    args = parser.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        sys.exit("wrk is missing: apt-get install -y --no-install-recommends wrk")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        settings = bench_build(workdir, args.items, args.repeat)
        bench_serving(settings, workdir, args.seconds)
    print(f"\n(cpus: {os.cpu_count()}; the load generator shares them with the server)")


if __name__ == "__main__":
    main()
