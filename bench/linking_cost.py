"""What linking a backfill costs: today's linker against the one before this round, same run.

    .venv/bin/python bench/linking_cost.py [--items 2000] [--baseline f76c0fa] [--store]

A backfill links many items at once. The bench builds one from the real corpus
(tests/tagging/data/real): `--items` copies of its items (cycled, each copy a new key) spread
over a year (2,000 items: five or six a day, ICESCO publishes about twelve), then times
`link()` over them, cold (every feature cache emptied), for the baseline linker and today's.
The baseline is `icesco_watch/linking.py` at the commit `--baseline` (default: the last one
before this round's changes), read with `git show` and loaded beside today's module: both run
on this machine, in this run, on the same items. `--store` also records the backfill into a
fresh SQLite store (temp dir) with `record_items`, in batches of 200 as a crawl would, which
links each new item to its stored neighbours: once with `store/links.py` and the linker at the
baseline commit (a read of the store and a linker per item), once with today's (a read and a
`Linker` per run of items); then the newest 20 items one at a time, as steady crawl cycles
finding one new item each (today's store also settles the links of the stored items a new one
can influence). No network; no assertion: it reports seconds and their ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from icesco_watch import linking, linking_features
from icesco_watch.config.schema import AlertsConfig
from icesco_watch.linking import LinkDoc
from icesco_watch.linking_corpus import corpus
from icesco_watch.models import NewsItem, content_hash
from icesco_watch.store import items as store_items
from icesco_watch.store import links as store_links
from icesco_watch.store.schema import open_store

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "f76c0fa"
START = date(2025, 1, 1)
DAYS = 365


def _backfill(count: int) -> list[LinkDoc]:
    """`count` items made of the corpus's, each on a day of the year chosen by a hash."""
    real = sorted(corpus()[0].values(), key=lambda d: d.key)
    out = []
    for n in range(count):
        doc = real[n % len(real)]
        key = f"{doc.key}#{n // len(real)}"
        day = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % DAYS
        out.append(replace(doc, key=key, published=START + timedelta(days=day)))
    return out


def _load(commit: str, path: str, name: str) -> types.ModuleType:
    """The module at `path` as it was at `commit`, loaded as `name`."""
    source = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(name)
    module.__file__ = f"<{commit}:{path}>"
    sys.modules[name] = module  # dataclasses look their module up by name
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def _baseline(commit: str) -> tuple[types.ModuleType, types.ModuleType]:
    """The linker at `commit`, and the store's linking module at `commit` calling it."""
    linker = _load(commit, "icesco_watch/linking.py", "linking_baseline")
    store = _load(commit, "icesco_watch/store/links.py", "store_links_baseline")
    # Its functions read these names when called: they call the baseline linker.
    for name in ("best", "LinkDoc", "Linker"):
        if name in vars(store) and name in vars(linker):
            vars(store)[name] = vars(linker)[name]
    return linker, store


def _clear_baseline(old: types.ModuleType) -> None:
    """Empty the baseline's feature caches: its own (before linking_features.py existed) or
    today's features module, which a later baseline imports."""
    if hasattr(old, "_features"):
        _clear(old._features)
    else:
        _clear_today()


def _timed(run: Callable[[], set[tuple[str, str]]]) -> tuple[float, int]:
    start = time.perf_counter()
    links = run()
    return time.perf_counter() - start, len(links)


def _clear(*caches: Any) -> None:
    for cache in caches:
        cache.cache_clear()


def _clear_today() -> None:
    _clear(
        linking_features.features,
        linking_features.skeleton,
        linking_features._name,
        linking_features._is_concept,
    )


def _items(docs: Sequence[LinkDoc]) -> list[NewsItem]:
    out = []
    for doc in docs:
        published = datetime.combine(doc.published, clock(10), tzinfo=UTC)
        out.append(
            NewsItem(
                key=doc.key,
                source=f"icesco-{doc.lang}",
                lang=doc.lang,
                url=f"https://{doc.key}/",
                title=doc.title,
                published=published,
                summary=doc.text[:600],
                sectors=doc.sectors,
                content_hash=content_hash(doc.title, published, doc.text[:600]),
            )
        )
    return sorted(out, key=lambda i: i.published)


STEADY = 20  # the newest items, recorded one per crawl cycle


def _store_fill(items: Sequence[NewsItem], link_items: Any) -> tuple[float, float]:
    """Seconds to record all but the newest STEADY `items` in batches of 200, then seconds to
    record those one at a time, the store linking with `link_items`."""
    # record_items calls the name it imported: the bench swaps it (a bench, not a test).
    saved = getattr(store_items, "link_items")  # noqa: B009
    setattr(store_items, "link_items", link_items)  # noqa: B010
    backfill, steady = items[:-STEADY], items[-STEADY:]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            engine = open_store(f"sqlite:///{tmp}/bench.db")
            start = time.perf_counter()
            for n in range(0, len(backfill), 200):
                _record(engine, backfill[n : n + 200])
            filled = time.perf_counter() - start
            start = time.perf_counter()
            for item in steady:
                _record(engine, [item])
            cycles = time.perf_counter() - start
            engine.dispose()
    finally:
        setattr(store_items, "link_items", saved)  # noqa: B010
    return filled, cycles


def _record(engine: Any, batch: Sequence[NewsItem]) -> None:
    now = max(i.published for i in batch) + timedelta(hours=1)
    with engine.begin() as conn:
        store_items.record_items(conn, batch, [], now, AlertsConfig(), baseline=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000, help="items in the backfill")
    parser.add_argument("--baseline", default=BASELINE, help="the baseline linker's commit")
    parser.add_argument("--store", action="store_true", help="also a store backfill")
    args = parser.parse_args()
    docs = _backfill(args.items)
    old, old_store = _baseline(args.baseline)
    # The baseline's own LinkDoc type (its features cache is keyed by its docs).
    old_docs: Sequence[Any] = [old.LinkDoc(**vars(d)) for d in docs]
    print(f"{len(docs)} items over {DAYS} days; load average {os.getloadavg()[0]:.2f}")
    _clear_baseline(old)
    before, old_links = _timed(lambda: old.link(old_docs))
    _clear_today()
    after, new_links = _timed(lambda: linking.link(docs))
    print(f"baseline ({args.baseline}): {before:7.2f} s ({old_links} links)")
    print(f"today:             {after:7.2f} s ({new_links} links)")
    print(f"ratio today / baseline: {after / before:.3f} ({before / after:.1f}x faster)")
    if args.store:
        items = _items(docs)
        _clear_baseline(old)
        before, before_cycles = _store_fill(items, old_store.link_items)
        _clear_today()
        after, after_cycles = _store_fill(items, store_links.link_items)
        print(f"store backfill, baseline: {before:7.2f} s")
        print(f"store backfill, today:    {after:7.2f} s")
        print(f"ratio today / baseline: {after / before:.3f} ({before / after:.1f}x faster)")
        print(f"{STEADY} cycles of one new item, baseline: {before_cycles:7.2f} s")
        print(f"{STEADY} cycles of one new item, today:    {after_cycles:7.2f} s")
        print(f"ratio today / baseline: {after_cycles / before_cycles:.3f}")


if __name__ == "__main__":
    main()
