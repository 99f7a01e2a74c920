"""The frozen test split of the real corpus: its shares per language and sector, and freezing it.

    python bench/split_corpus.py                # shares in tests/tagging/data/real
    python bench/split_corpus.py --dir PATH     # another corpus folder (en/ar/fr.jsonl)
    python bench/split_corpus.py --freeze       # write split.json (the test ids and URLs)

The rule is fixed (see icesco_watch/tagging/corpus.py): an item is TEST iff
int(sha256("icesco-split-2026:" + url)[:8], 16) % 100 < 35. This script only counts; it prints
no item's text. Exit 1, loudly, when a stratum (a language, or a sector key) with at least 10
items has a test share outside 20-50%, or when two items share a URL or an id; then --freeze
writes nothing. Items with no sector and full-body items are shown too, but they are not strata
of the split (the issue asks for it stratified by language and sector).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from icesco_watch.tagging.corpus import (
    REAL_DIR,
    SALT,
    SPLIT_FILE,
    TEST_PERCENT,
    frozen_urls,
    hashed_test,
    read_items,
)

LOW, HIGH, MIN_STRATUM = 0.20, 0.50, 10


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--dir", type=Path, default=REAL_DIR, help="folder of en/ar/fr.jsonl")
    parser.add_argument("--freeze", action="store_true", help=f"write {SPLIT_FILE} there")
    args = parser.parse_args()

    items = read_items(args.dir)
    if not items:
        print(f"no corpus files in {args.dir}", file=sys.stderr)
        return 1
    problems = [f"duplicate url {u}" for u, n in Counter(i.url for i in items).items() if n > 1]
    problems += [f"duplicate id {d}" for d, n in Counter(i.id for i in items).items() if n > 1]

    test = [hashed_test(item.url) for item in items]
    frozen = frozen_urls(args.dir)
    if frozen is not None and not args.freeze:
        listed = frozen.test | frozen.train
        moved = sum(
            (item.url in frozen.test) != t
            for item, t in zip(items, test, strict=True)
            if item.url in listed
        )
        print(
            f"{SPLIT_FILE}: {len(frozen.test)} test and {len(frozen.train)} train urls; "
            f"{moved} listed item(s) where it differs from the rule"
        )
    print(f"rule: sha256({SALT!r} + url) % 100 < {TEST_PERCENT}")
    print(f"{len(items)} items, {sum(test)} test ({sum(test) / len(items):.1%})")

    strata: dict[str, list[bool]] = {}
    for item, t in zip(items, test, strict=True):
        strata.setdefault(f"lang {item.lang}", []).append(t)
        for sector in item.sectors or {"(none)"}:
            strata.setdefault(f"sector {sector}", []).append(t)
        if item.full_body:
            strata.setdefault("full body", []).append(t)
    print(f"{'stratum':<26} {'items':>5} {'test':>5} {'share':>6}")
    for name in sorted(strata, key=lambda n: (not n.startswith("lang"), n)):
        flags = strata[name]
        share = sum(flags) / len(flags)
        checked = name.startswith(("lang ", "sector ")) and name != "sector (none)"
        bad = checked and len(flags) >= MIN_STRATUM and not LOW <= share <= HIGH
        flag = "  OUT OF RANGE" if bad else "" if checked else "  (shown, not a stratum)"
        print(f"{name:<26} {len(flags):>5} {sum(flags):>5} {share:>6.1%}{flag}")
        if bad:
            problems.append(f"{name}: test share {share:.1%} outside {LOW:.0%}-{HIGH:.0%}")

    if problems:
        for problem in problems:
            print(f"SPLIT PROBLEM: {problem}", file=sys.stderr)
        return 1
    if args.freeze:
        parts: dict[bool, list[dict[str, str]]] = {True: [], False: []}
        for item, t in zip(items, test, strict=True):
            parts[t].append({"id": item.id, "url": item.url})
        chosen = parts[True]
        payload = {
            "rule": f"sha256({SALT} + url)[:8] % 100 < {TEST_PERCENT}",
            "test": chosen,
            "train": parts[False],
        }
        path = args.dir / SPLIT_FILE
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}: {len(chosen)} test items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
