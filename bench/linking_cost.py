"""What linking a backfill costs: today's linker against the one before this round, same run.

    .venv/bin/python bench/linking_cost.py [--items 2000] [--baseline f76c0fa]

A backfill links many items at once. The bench builds one from the real corpus
(tests/tagging/data/real): `--items` copies of its items (cycled, each copy a new key) spread
over a year at about ICESCO's pace, then times `link()` over them, cold (every feature cache
emptied), for the baseline linker and for today's. The baseline is `icesco_watch/linking.py`
at the commit `--baseline` (default: the last one before this round's changes), read with
`git show` and loaded beside today's module: both run on this machine, in this run, on the same
items. No network; no assertion: it reports seconds and their ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
import types
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from icesco_watch import linking, linking_features
from icesco_watch.linking import LinkDoc
from icesco_watch.linking_corpus import corpus

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


def _baseline(commit: str) -> types.ModuleType:
    """The linker module as it was at `commit`, loaded under another name."""
    source = subprocess.run(
        ["git", "show", f"{commit}:icesco_watch/linking.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("linking_baseline")
    module.__file__ = f"<{commit}:icesco_watch/linking.py>"
    sys.modules[module.__name__] = module  # dataclasses look their module up by name
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def _timed(run: Callable[[], set[tuple[str, str]]]) -> tuple[float, int]:
    start = time.perf_counter()
    links = run()
    return time.perf_counter() - start, len(links)


def _clear(*caches: Any) -> None:
    for cache in caches:
        cache.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000, help="items in the backfill")
    parser.add_argument("--baseline", default=BASELINE, help="the baseline linker's commit")
    args = parser.parse_args()
    docs = _backfill(args.items)
    old = _baseline(args.baseline)
    # The baseline's own LinkDoc type (its features cache is keyed by its docs).
    old_docs: Sequence[Any] = [old.LinkDoc(**vars(d)) for d in docs]
    print(f"{len(docs)} items over {DAYS} days; load average {os.getloadavg()[0]:.2f}")
    _clear(old._features)
    before, old_links = _timed(lambda: old.link(old_docs))
    _clear(
        linking_features.features,
        linking_features.skeleton,
        linking_features._name,
        linking_features._is_concept,
    )
    after, new_links = _timed(lambda: linking.link(docs))
    print(f"baseline ({args.baseline}): {before:7.2f} s ({old_links} links)")
    print(f"today:             {after:7.2f} s ({new_links} links)")
    print(f"ratio today / baseline: {after / before:.3f} ({before / after:.1f}x faster)")


if __name__ == "__main__":
    main()
