"""Benchmark of backfill throughput on a 2,000-article generated site, beside `scrapy bench`.

Run from the repo root: `python bench/backfill.py [--quick] [--articles N]`. See bench/README.md.
`scrapy bench` (Scrapy's own loopback benchmark, default settings) runs as a subprocess before
(and, without --quick, after) the backfills and is the baseline. `run_cycle(..., backfill=PAGES)`
crawls the whole generated site (`bench/_bigsite.py`) on a fresh SQLite store with politeness
off (delay 0, robots.txt not read), once with the project's Scrapy settings as they are and
once with the per-host concurrency raised by the bench itself (the config has no key for it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.crawler import AsyncCrawlerRunner

from icesco_watch.config.schema import CrawlConfig, Settings
from icesco_watch.models import CrawlResult
from icesco_watch.scheduler.cycle import run_cycle
from icesco_watch.spiders.icesco import IcescoSpider, SourcePlan
from icesco_watch.spiders.runner import Crawler, ProgressCallback, run_crawl
from icesco_watch.spiders.settings import scrapy_settings
from icesco_watch.store.items import count_by_source
from icesco_watch.store.schema import open_store

if TYPE_CHECKING:
    from _bigsite import SiteProcess

ROOT = Path(__file__).resolve().parents[1]
SCRAPY_BENCH_SECONDS = 10  # fixed, so every run of this script measures the same thing
RAISED = 16  # per-host (and total) concurrency of the "raised" run
SOURCE = "bench-en"
LOAD = os.getloadavg()  # at start-up: the machine may be shared, and timings show it
_RATE = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")
_STAT = re.compile(r"'(response_received_count|elapsed_time_seconds)': ([\d.]+)")


@dataclass(frozen=True)
class ScrapyBench:
    pages_per_min: list[int]  # the per-second logstats lines, first (warm-up) line dropped
    responses: int
    seconds: float

    @property
    def median_per_s(self) -> float:
        return statistics.median(self.pages_per_min) / 60 if self.pages_per_min else 0.0

    @property
    def overall_per_s(self) -> float:
        return self.responses / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Run:
    """One backfill of the whole site on a fresh store."""

    label: str
    concurrency: int  # per host
    seconds: float  # the whole cycle: crawl + diff + store
    cpu: float  # CPU seconds of this process in the cycle (the site runs in another process)
    crawl_seconds: float  # the crawler alone (Scrapy run, before anything is stored)
    articles: int  # items stored for the source afterwards
    requests: int  # requests that reached the site
    sent: int  # response bytes the site wrote
    statuses: str
    errors: list[str]


def scrapy_bench(workdir: Path) -> ScrapyBench:
    """`scrapy bench` in a directory without scrapy.cfg, so Scrapy's defaults apply (Twisted
    reactor, 16 concurrent requests, 8 per host); its server is its own, on loopback."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "bench",
            "-s",
            f"CLOSESPIDER_TIMEOUT={SCRAPY_BENCH_SECONDS}",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=SCRAPY_BENCH_SECONDS + 120,
        check=False,
    )
    log = proc.stdout + proc.stderr
    rates = [int(m.group(2)) for m in _RATE.finditer(log)]
    stats = {m.group(1): float(m.group(2)) for m in _STAT.finditer(log)}
    if proc.returncode != 0 or not rates:
        tail = "\n".join(log.strip().splitlines()[-5:])
        raise RuntimeError(f"scrapy bench failed (exit {proc.returncode}):\n{tail}")
    return ScrapyBench(
        rates[1:] or rates,
        int(stats.get("response_received_count", 0)),
        stats.get("elapsed_time_seconds", 0.0),
    )


def raised_crawler(concurrency: int) -> Crawler:
    """`run_crawl` with the per-host limit raised: what a `crawl.concurrency` key would do.
    The project hard-codes CONCURRENT_REQUESTS_PER_DOMAIN = 1 in spiders/settings.py."""

    async def crawl(
        config: CrawlConfig, plans: Sequence[SourcePlan], progress: ProgressCallback | None
    ) -> dict[str, CrawlResult]:
        overrides = {
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        }
        runner = AsyncCrawlerRunner(settings={**scrapy_settings(config), **overrides})
        crawler = runner.create_crawler(IcescoSpider)
        await runner.crawl(crawler, plans=list(plans))
        spider = crawler.spider
        assert isinstance(spider, IcescoSpider)
        return spider.results

    return crawl


def backfill_run(
    site: SiteProcess, workdir: Path, label: str, concurrency: int | None, pages: int
) -> Run:
    """Backfill `pages` listing pages of the site on a fresh store."""
    store = workdir / f"{label.replace(' ', '-')}-{len(list(workdir.glob('*.db')))}.db"
    settings = Settings.model_validate(
        {
            "storage": {"url": f"sqlite:///{store}"},
            "crawl": {"delay": "0s", "obey_robots": False, "retries": 0, "proxy": site.proxy_url},
            "sources": [{"key": SOURCE, "lang": "en", "start_urls": [site.start_url]}],
            "alerts": {"max_age_days": 0},
        }
    )
    engine = open_store(settings.storage.url)
    inner = raised_crawler(concurrency) if concurrency else run_crawl
    crawl_seconds = 0.0

    async def timed(
        config: CrawlConfig, plans: Sequence[SourcePlan], progress: ProgressCallback | None
    ) -> dict[str, CrawlResult]:
        nonlocal crawl_seconds
        start = time.perf_counter()
        try:
            return dict(await inner(config, plans, progress))
        finally:
            crawl_seconds = time.perf_counter() - start

    site.take_hits()
    start, cpu = time.perf_counter(), time.process_time()
    report = asyncio.run(run_cycle(settings, engine, settings.sources, pages, crawler=timed))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    hits = site.take_hits()
    with engine.connect() as conn:
        stored = count_by_source(conn).get(SOURCE, 0)
    engine.dispose()
    codes: dict[int, int] = {}
    for hit in hits:
        codes[hit.status] = codes.get(hit.status, 0) + 1
    return Run(
        label,
        concurrency or 1,
        seconds,
        cpu,
        crawl_seconds,
        stored,
        len(hits),
        sum(h.sent for h in hits),
        " ".join(f"{code}x{n}" for code, n in sorted(codes.items())),
        [e for s in report.sources for e in s.errors],
    )


def report(
    benches: list[ScrapyBench], runs: dict[str, list[Run]], articles: int, pages: int, ms: float
) -> None:
    base = statistics.median(rate for b in benches for rate in b.pages_per_min) / 60
    repeats = len(next(iter(runs.values())))
    print(f"baseline: scrapy bench, CLOSESPIDER_TIMEOUT={SCRAPY_BENCH_SECONDS}, Scrapy defaults")
    for when, b in zip(("before", "after"), benches, strict=False):
        print(
            f"  run {when}: {b.median_per_s:.1f} pages/s (median of its per-second log lines; "
            f"{b.responses} responses in {b.seconds:.1f} s = {b.overall_per_s:.1f}/s)"
        )
    print(f"  baseline = {base:.1f} pages/s (median of every per-second line above)\n")
    latency = f", {ms:g} ms added to each response" if ms else ""
    print(
        f"backfill of {articles} articles on {pages} listing pages, delay 0, robots off"
        f"{latency}; median of {repeats} run(s)"
    )
    head = f"{'run':<8}{'per host':>9}{'cycle s':>9}{'crawl s':>9}{'CPU ms/art':>11}{'stored':>7}"
    print(f"{head}{'requests':>9}{'MiB':>6}{'art/s':>8}{'req/s':>8}{'art/s vs bench':>16}")
    for label, group in runs.items():
        first = group[0]
        seconds = statistics.median(r.seconds for r in group)
        crawl_s = statistics.median(r.crawl_seconds for r in group)
        cpu = statistics.median(r.cpu for r in group) / max(first.articles, 1)
        stored = "/".join(sorted({str(r.articles) for r in group}))
        rate = first.articles / seconds if seconds else 0.0
        req_rate = first.requests / crawl_s if crawl_s else 0.0
        ratio = f"{rate / base:.2f}x" if base else "n/a"
        print(
            f"{label:<8}{first.concurrency:>9}{seconds:>9.2f}{crawl_s:>9.2f}{1000 * cpu:>11.2f}"
            f"{stored:>7}{first.requests:>9}{first.sent / 2**20:>6.1f}{rate:>8.1f}"
            f"{req_rate:>8.1f}{ratio:>16}"
        )
        spread = ", ".join(f"{r.seconds:.2f}" for r in group)
        print(f"{'':<8}cycle seconds of each run: {spread}; statuses {first.statuses}")
    print(
        "\nnotes:"
        "\n  art/s = articles stored / whole cycle (crawl, then diff and store in SQLite);"
        "\n  req/s = requests served / crawl time alone. 'vs bench' = art/s over scrapy bench's"
        "\n  pages/s. scrapy bench pages are small link pages that are only followed; ours are"
        "\n  full article pages (about 10 KiB) that are parsed, extracted and stored, plus one"
        "\n  listing page per 20 articles. Each server is a Python process of its own, on"
        "\n  loopback, so the crawler has its interpreter to itself in both measurements."
        "\n  'as is': the project's settings (CONCURRENT_REQUESTS_PER_DOMAIN = 1, hard-coded);"
        f"\n  'raised': the bench's own crawler with {RAISED} per host (no config key allows it)."
    )
    problems = [f"{r.label}: {e}" for group in runs.values() for r in group for e in r.errors]
    problems += [
        f"{r.label}: stored {r.articles} of {articles} articles"
        for group in runs.values()
        for r in group
        if r.articles != articles
    ]
    print("\nerrors:" if problems else "\nerrors: none")
    for problem in problems[:20]:
        print(f"  {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="500 articles instead of 2,000")
    parser.add_argument("--articles", type=int, default=None, help="site size (2000)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per setting (3)")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="delay each response (a stand-in RTT)"
    )
    args = parser.parse_args(argv)
    count = args.articles or (500 if args.quick else 2000)
    repeat = max(1, args.repeat or (1 if args.quick else 3))
    for path in (ROOT, ROOT / "bench"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))  # for `tests.replica` and `_bigsite` as a script
    from _bigsite import SiteProcess

    with tempfile.TemporaryDirectory(prefix="icesco-backfill-") as tmp:
        workdir = Path(tmp)
        benches = [scrapy_bench(workdir)]
        with SiteProcess(count, args.latency_ms / 1000) as site:
            pages = site.listing_pages
            backfill_run(site, workdir, "warm-up", None, 1)  # imports and first-crawl costs
            runs: dict[str, list[Run]] = {"as is": [], "raised": []}
            for _ in range(repeat):  # interleaved, so a slow spell of the machine hits both
                runs["as is"].append(backfill_run(site, workdir, "as is", None, pages))
                runs["raised"].append(backfill_run(site, workdir, "raised", RAISED, pages))
        if not args.quick:  # a second baseline, so a busy spell of the machine shows
            benches.append(scrapy_bench(workdir))
    print(f"icesco-watch backfill throughput against a generated {count}-article site\n")
    report(benches, runs, count, pages, args.latency_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
