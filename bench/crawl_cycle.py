"""Benchmark of whole crawl cycles against the loopback replica of icesco.org.

Run from the repo root: `python bench/crawl_cycle.py [--repeat N]`. See bench/README.md.
Every cycle is `run_cycle` over the three sources (en, fr, ar) with a real SQLite file in a
temp dir; each measurement starts from its own fresh store, so repeats do identical work.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.scheduler.cycle import run_cycle
from icesco_watch.store.schema import open_store

if TYPE_CHECKING:
    from tests.replica import ReplicaServer

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_DELAY = 2.0  # seconds between two requests to one host (crawl.delay default)
BACKFILL_PAGES = 3


@dataclass(frozen=True)
class Sample:
    """One measured cycle."""

    seconds: float
    requests: int  # requests that reached the replica (its log), robots.txt included
    counted: int  # the sum of SourceReport.requests (what the crawler says it sent)
    hosts: Counter[str]
    statuses: Counter[int]
    new: int  # keys the cycle reported as new
    peak: int | None = None  # bytes, tracemalloc peak during the cycle (traced runs only)


@dataclass
class Bench:
    replica: ReplicaServer
    workdir: Path
    engines: list[Engine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def fresh_store(self) -> tuple[Settings, Engine]:
        from tests.conftest import replica_config

        path = self.workdir / f"store-{len(self.engines)}"
        config = replica_config(path, self.replica, crawl={"delay": "0s"})
        settings = Settings.model_validate(config)
        self.engines.append(open_store(settings.storage.url))
        return settings, self.engines[-1]

    def cycle(
        self,
        label: str,
        store: tuple[Settings, Engine],
        backfill: int | None = None,
        trace: bool = False,
    ) -> Sample:
        settings, engine = store
        self.replica.clear_log()
        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        try:
            report = asyncio.run(run_cycle(settings, engine, settings.sources, backfill))
        finally:
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1] if trace else None
            tracemalloc.stop()
        log = self.replica.requests
        for source in report.sources:
            for error in source.errors:
                self.problems.append(f"{label}: {source.source}: {error}")
        return Sample(
            seconds,
            len(log),
            sum(s.requests for s in report.sources),
            Counter(r.host for r in log),
            Counter(r.status for r in log),
            sum(len(s.new) for s in report.sources),
            peak,
        )

    def baseline(self, trace: bool = False) -> Sample:
        self.replica.set_state("before")
        return self.cycle("baseline", self.fresh_store(), trace=trace)

    def quiet(self, trace: bool = False) -> Sample:
        self.replica.set_state("before")
        store = self.fresh_store()
        self.cycle("quiet setup", store)
        return self.cycle("quiet", store, trace=trace)

    def incremental(self, trace: bool = False) -> Sample:
        self.replica.set_state("before")
        store = self.fresh_store()
        self.cycle("incremental setup", store)
        self.replica.set_state("after")
        return self.cycle("incremental", store, trace=trace)

    def backfill(self, trace: bool = False) -> Sample:
        self.replica.set_state("before")
        store = self.fresh_store()
        self.cycle("backfill setup", store)
        return self.cycle("backfill", store, BACKFILL_PAGES, trace=trace)


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "n/a"


def _count(samples: list[Sample], pick: Callable[[Sample], int]) -> str:
    values = sorted({pick(s) for s in samples})
    return str(values[0]) if len(values) == 1 else "/".join(map(str, values)) + " (varies!)"


def report(
    results: dict[str, tuple[list[Sample], Sample]], warmup: Sample, problems: list[str]
) -> None:
    base_runs, base_traced = results["baseline"]
    base_s = statistics.median(s.seconds for s in base_runs)
    base_req = statistics.median(s.requests for s in base_runs)
    base_mem = base_traced.peak or 0
    head = f"{'cycle':<12}{'median s':>9}{'ms/req':>8}{'requests':>9}{'reported':>9}{'new':>4}"
    print(f"{head}{'peak MiB':>9}{'est. at 2s':>11}  replica statuses; hosts")
    for name, (runs, traced) in results.items():
        seconds = statistics.median(s.seconds for s in runs)
        hosts = runs[0].hosts
        estimate = max(hosts.values(), default=0) * PRODUCTION_DELAY
        statuses = " ".join(f"{code}x{n}" for code, n in sorted(runs[0].statuses.items()))
        per_host = " ".join(f"{host}x{n}" for host, n in hosts.most_common())
        print(
            f"{name:<12}{seconds:>9.4f}{1000 * seconds / max(runs[0].requests, 1):>8.1f}"
            f"{_count(runs, lambda s: s.requests):>9}{_count(runs, lambda s: s.counted):>9}"
            f"{_count(runs, lambda s: s.new):>4}"
            f"{(traced.peak or 0) / 2**20:>9.2f}{estimate:>10.0f}s  {statuses}; {per_host}"
        )
    print("\nagainst the baseline cycle of this run:")
    for name, (runs, traced) in results.items():
        seconds = statistics.median(s.seconds for s in runs)
        requests = statistics.median(s.requests for s in runs)
        print(
            f"  {name}: {seconds:.4f} s ({_ratio(seconds, base_s)} baseline), "
            f"{requests:g} requests ({_ratio(requests, base_req)}), "
            f"peak {(traced.peak or 0) / 2**20:.2f} MiB ({_ratio(traced.peak or 0, base_mem)})"
        )
    print(
        f"\nwarm-up: first cycle of the process (a baseline, not counted): {warmup.seconds:.4f} s"
        "\nnotes:"
        "\n  crawl.delay = 0s here. The production default is 2s between requests to one host"
        "\n  (one request at a time per host), so real wall time is dominated by that delay:"
        "\n  'est. at 2s' = requests to the busiest host x 2s. All three sources live on one"
        "\n  host (icesco.org); www. links are fetched on that host too, so one slot."
        "\n  'requests' reached the replica (robots.txt included); 'reported' = sum of"
        "\n  SourceReport.requests. Timings: median of the repeats, each on a fresh store."
        "\n  Peak memory: tracemalloc in a separate traced run of each cycle (Python"
        "\n  allocations made during the cycle only)."
    )
    print("\nerrors in cycle reports:" if problems else "\nerrors in cycle reports: none")
    for problem in problems:
        print(f"  {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="timed repeats per cycle (5)")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # so `tests.replica` imports when run as a script
    from tests.replica import ReplicaServer

    with tempfile.TemporaryDirectory(prefix="icesco-bench-") as tmp, ReplicaServer() as replica:
        bench = Bench(replica, Path(tmp))
        warmup = bench.baseline()
        scenarios = {
            "baseline": bench.baseline,
            "quiet": bench.quiet,
            "incremental": bench.incremental,
            "backfill": bench.backfill,
        }
        results = {
            name: ([run() for _ in range(repeat)], run(trace=True))
            for name, run in scenarios.items()
        }
        for engine in bench.engines:
            engine.dispose()
    print(f"icesco-watch crawl cycles against the loopback replica, {repeat} repeat(s)\n")
    report(results, warmup, bench.problems)
    return 0


if __name__ == "__main__":
    sys.exit(main())
