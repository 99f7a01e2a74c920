"""Benchmark of what an idle poll costs: requests and bytes per source when nothing is new.

Run from the repo root: `python bench/poll_cost.py [--quick] [--cycles N]`. See bench/README.md.
On a fresh store, a baseline cycle reads the loopback replica of icesco.org (state `before`),
then N idle cycles run with nothing new, so each listing should answer 304. Requests and bytes
are counted at the replica, on the wire, per request; robots.txt is reported on its own line.
Two ways to schedule are measured: one cycle for all sources (what `Service` does now) and one
cycle per source (issue 6 asks for a job per source).

`--wordpress` measures the same against the real WordPress network of tests/wordpress (set up by
.ci/wordpress.sh), once per channel (auto, feed, html): 18 news posts over three sites, counted
at the counting proxy in front of `php -S`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from icesco_watch.config.schema import Settings
from icesco_watch.models import SourceReport
from icesco_watch.scheduler.cycle import run_cycle
from icesco_watch.store.schema import open_store

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler

    from tests.replica import ReplicaServer

ROOT = Path(__file__).resolve().parents[1]
ROBOTS = "robots.txt"
TARGET = 1  # listing requests per source per idle poll (issue 6)


@dataclass(frozen=True)
class Wire:
    """One request as the replica saw it, with its size on the wire."""

    host: str
    path: str
    status: int
    received: int  # request line and headers (as parsed by the server; GETs have no body)
    sent: int  # status line, headers and body as written to the socket

    @property
    def source(self) -> str:
        """The source a request belongs to: the replica's sources are keyed by language."""
        if self.path == "/robots.txt":
            return f"{ROBOTS} ({self.host})"
        return self.path.strip("/").split("/", 1)[0] or "?"


class _Counting:
    """Wraps a handler's socket writer: counts the bytes and keeps the status line."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.count, self.head = raw, 0, b""

    def write(self, data: bytes) -> int:
        if not self.head:
            self.head = bytes(data[:16])
        self.count += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def counting_replica() -> tuple[ReplicaServer, list[Wire]]:
    """The test replica, measuring every response it writes (its own log has no sizes), and
    the list it appends to. Hooks the replica's private `_handle`: bench code, not a test."""
    from tests.replica import ReplicaServer

    wire: list[Wire] = []
    lock = threading.Lock()

    class CountingReplica(ReplicaServer):
        def _handle(self, h: BaseHTTPRequestHandler, send_body: bool) -> None:
            counting = _Counting(h.wfile)  # type: ignore[arg-type]
            h.wfile = counting  # type: ignore[assignment]
            try:
                super()._handle(h, send_body)
            finally:
                h.wfile = counting.raw  # type: ignore[assignment]
            parts = urlsplit(h.path)
            host = (parts.hostname or h.headers.get("Host") or "").split(":")[0].lower()
            head = len(h.requestline) + 2 + 2  # request line and the blank line, CRLF each
            head += sum(len(k) + 2 + len(v) + 2 for k, v in h.headers.items())
            status = int(counting.head.split(b" ")[1]) if counting.head else 0
            entry = Wire(host, parts.path or "/", status, head, counting.count)
            with lock:
                wire.append(entry)

    return CountingReplica("before"), wire


@dataclass
class Cycle:
    wire: list[Wire]
    reports: list[SourceReport]
    logged: int  # requests in the replica's own log, to check the byte counter saw them all


@dataclass
class Mode:
    label: str
    baseline: Cycle | None = None
    idle: list[Cycle] = field(default_factory=list)


def measure(
    replica: ReplicaServer, wire: list[Wire], workdir: Path, label: str, per_source: bool, n: int
) -> Mode:
    """A baseline cycle on a fresh store, then `n` idle cycles."""
    from tests.conftest import replica_config

    config = replica_config(workdir / label.replace(" ", "-"), replica, crawl={"delay": "0s"})
    settings = Settings.model_validate(config)
    engine = open_store(settings.storage.url)
    groups = [[s] for s in settings.sources] if per_source else [list(settings.sources)]
    mode = Mode(label)
    for index in range(n + 1):
        wire.clear()
        replica.clear_log()
        reports: list[SourceReport] = []
        for group in groups:
            reports += asyncio.run(run_cycle(settings, engine, group)).sources
        cycle = Cycle(list(wire), reports, len(replica.requests))
        if index == 0:
            mode.baseline = cycle
        else:
            mode.idle.append(cycle)
    engine.dispose()
    return mode


def _per_source(cycle: Cycle) -> dict[str, tuple[int, int, int, Counter[int]]]:
    """source -> (requests, bytes received, bytes sent, statuses)."""
    rows: dict[str, tuple[int, int, int, Counter[int]]] = {}
    grouped: dict[str, list[Wire]] = defaultdict(list)
    for w in cycle.wire:
        grouped[w.source].append(w)
    for source, hits in grouped.items():
        up, down = sum(w.received for w in hits), sum(w.sent for w in hits)
        rows[source] = (len(hits), up, down, Counter(w.status for w in hits))
    return rows


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.3f}x" if base else "n/a"


def report_mode(mode: Mode, problems: list[str]) -> None:
    assert mode.baseline is not None
    base = _per_source(mode.baseline)
    idles = [_per_source(c) for c in mode.idle]
    names = sorted(set(base) | {k for i in idles for k in i}, key=lambda k: (ROBOTS in k, k))
    print(f"{mode.label}: baseline cycle, then {len(mode.idle)} idle cycles")
    head = f"  {'source':<24}{'base req':>9}{'base KiB':>10}{'idle req':>9}{'idle B up':>10}"
    print(f"{head}{'idle B down':>12}{'req ratio':>10}{'B ratio':>9}  idle statuses")
    totals = [0.0, 0.0, 0.0, 0.0, 0.0]
    for name in names:
        b_req, b_up, b_down, _ = base.get(name, (0, 0, 0, Counter()))
        rows = [i.get(name, (0, 0, 0, Counter())) for i in idles]
        req = statistics.mean(r[0] for r in rows)
        up = statistics.mean(r[1] for r in rows)
        down = statistics.mean(r[2] for r in rows)
        codes: Counter[int] = sum((r[3] for r in rows), Counter())
        statuses = " ".join(f"{c}x{n / len(rows):g}" for c, n in sorted(codes.items()))
        varies = " (varies)" if len({r[:3] for r in rows}) > 1 else ""
        print(
            f"  {name:<24}{b_req:>9}{(b_up + b_down) / 1024:>10.1f}{req:>9.2f}{up:>10.0f}"
            f"{down:>12.0f}{_ratio(req, b_req):>10}{_ratio(up + down, b_up + b_down):>9}"
            f"  {statuses}{varies}"
        )
        for i, value in enumerate((b_req, b_up + b_down, req, up, down)):
            totals[i] += value
        if ROBOTS not in name and req > TARGET:
            problems.append(f"{mode.label}: {name} makes {req:g} requests per idle poll")
    t_base, t_bytes, t_req, t_up, t_down = totals
    print(
        f"  {'total':<24}{t_base:>9.0f}{t_bytes / 1024:>10.1f}{t_req:>9.2f}{t_up:>10.0f}"
        f"{t_down:>12.0f}{_ratio(t_req, t_base):>10}{_ratio(t_up + t_down, t_bytes):>9}"
    )
    listing = max((r[0] for i in idles for k, r in i.items() if ROBOTS not in k), default=0)
    robots = statistics.mean(sum(r[0] for k, r in i.items() if ROBOTS in k) for i in idles)
    verdict = "met" if listing <= TARGET else "NOT met"
    print(
        f"  target <= {TARGET} request per source per idle poll: {verdict} "
        f"(at most {listing} listing request per source), plus {robots:g} robots.txt per poll"
    )
    reported = [sum(r.requests for r in c.reports) for c in mode.idle]
    not_modified = all(r.not_modified for c in mode.idle for r in c.reports)
    print(
        f"  crawler's own count (SourceReport.requests, robots.txt excluded): "
        f"{statistics.mean(reported):g} per idle poll; every listing 304: {not_modified}\n"
    )
    for cycle in [mode.baseline, *mode.idle]:
        if cycle.logged != len(cycle.wire):
            problems.append(
                f"{mode.label}: replica logged {cycle.logged} requests, "
                f"byte counter saw {len(cycle.wire)}"
            )
    for cycle in mode.idle:
        for r in cycle.reports:
            problems += [f"{mode.label}: {r.source}: {e}" for e in r.errors]
            if r.new or r.updated:
                problems.append(f"{mode.label}: {r.source}: an idle cycle found new items")


def measure_wordpress(workdir: Path, cycles: int) -> int:
    """Baseline then `cycles` idle cycles per channel against real WordPress; prints a table."""
    from tests.wordpress.conftest import Unavailable, WordPress, serve_wordpress
    from tests.wordpress.test_wordpress import seed

    try:
        with serve_wordpress() as proxy:
            site = WordPress(proxy)
            site.run({"op": "reset"})
            seed(site)
            print("icesco-watch idle poll cost against real WordPress (3 sites, php -S)\n")
            print(f"  {'channel':<9}{'base req':>9}{'base KiB':>10}{'idle req':>9}{'idle B':>8}")
            for channel in ("auto", "feed", "html"):
                config = site.config(workdir / channel, channel)
                settings = Settings.model_validate(config)
                engine = open_store(settings.storage.url)
                rows = []
                for _ in range(cycles + 1):
                    proxy.clear()
                    asyncio.run(run_cycle(settings, engine, settings.sources))
                    rows.append(proxy.hits)
                engine.dispose()
                base, idle = rows[0], rows[1:]
                per_source = [
                    (len(h), sum(x.sent for x in h))
                    for hits in idle
                    for lang in ("en", "ar", "fr")
                    for h in [[x for x in hits if x.path.startswith(f"/{lang}/")]]
                ]
                print(
                    f"  {channel:<9}{len(base) / 3:>9.1f}{sum(x.sent for x in base) / 3072:>10.1f}"
                    f"{statistics.mean(r for r, _ in per_source):>9.2f}"
                    f"{statistics.mean(b for _, b in per_source):>8.0f}"
                )
    except Unavailable as exc:
        print(f"real WordPress unavailable: {exc} (run .ci/wordpress.sh as root)")
        return 1
    print(
        "\n  per source: 'base' = first cycle on an empty store (discovery included), 'idle' ="
        "\n  mean over the idle cycles, bytes sent by the server (headers and body); robots.txt"
        "\n  is fetched once in the baseline and comes from the store's cache afterwards."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="5 idle cycles instead of 20")
    parser.add_argument("--cycles", type=int, default=None, help="idle cycles (20)")
    parser.add_argument("--wordpress", action="store_true", help="against real WordPress")
    args = parser.parse_args(argv)
    cycles = max(1, args.cycles or (5 if args.quick else 20))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # so `tests.replica` imports when run as a script
    if args.wordpress:
        with tempfile.TemporaryDirectory(prefix="icesco-poll-wp-") as tmp:
            return measure_wordpress(Path(tmp), cycles)

    replica, wire = counting_replica()
    with tempfile.TemporaryDirectory(prefix="icesco-poll-") as tmp, replica:
        modes = [
            measure(replica, wire, Path(tmp), "one cycle for all sources", False, cycles),
            measure(replica, wire, Path(tmp), "one cycle per source", True, cycles),
        ]
    print("icesco-watch idle poll cost against the loopback replica (3 sources, one host)\n")
    problems: list[str] = []
    for mode in modes:
        report_mode(mode, problems)
    print(
        "notes:"
        "\n  bytes are counted at the replica, per request: 'up' = request line and headers as"
        "\n  the server parsed them, 'down' = status line, headers and body written to the socket"
        "\n  (TCP/IP overhead not included). 'base' = the first cycle on an empty store (every"
        "\n  listed article fetched, plus one REST API and one feed probe per source, which the"
        "\n  HTML-only replica answers 404); ratios are idle poll / baseline. robots.txt comes"
        "\n  from the store's cache, read once a day and then refreshed conditionally."
    )
    print("\nproblems:" if problems else "\nproblems: none")
    for problem in problems:
        print(f"  {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
