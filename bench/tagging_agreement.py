"""Do two careful readers label alike? The corpus labels beside a second, blind reading.

    python bench/tagging_agreement.py                 # agreement table and the differing items
    python bench/tagging_agreement.py --file PATH     # another second reading (same format)

A second reader labelled a seeded draw of TRAIN items (25 per language) with docs/sectors.md,
without seeing the corpus labels: tests/tagging/data/agreement/second_reading.jsonl, one line
per item: {"id", "sectors", "confidence": "sure" | "unsure", "reason"}. The corpus labels are
the reference, the second reading the "prediction": per-sector F1 and Cohen's kappa, micro and
macro F1 with bootstrap 95% intervals (items resampled, seed 2026), exact agreement per
language. This is the ceiling a classifier is measured under: where two readers differ, the
guide left room (its "Settled cases" section says how such items are labelled now).
Test items are never drawn: a second reading must not become a second look at the test split.

Round 14 added `second_reading_dg.jsonl` (`--file`): 100 train items where the DG or a governing
body acts (seeded draw: 45 FR, 40 EN, 15 AR), read blind for what else they are (rule 3's one
field against rule 4's fields listed). Exact agreement 88/100, micro-F1 0.968, fields 66 of 70
/ 69, partnerships F1 0.94: the corpus draws that line consistently, so the tagger's low recall
of fields in the DG's items (0.77 on our leads, CV) is the tagger's, not the labels'.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging.agreement import SECOND, kappa, read_second
from icesco_watch.tagging.corpus import REAL_DIR, RealItem, frozen_urls, is_test, read_items
from icesco_watch.tagging.evaluate import bootstrap, macro, score


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--file", type=Path, default=SECOND, help="the second reading")
    parser.add_argument("--dir", type=Path, default=REAL_DIR, help="real corpus folder")
    args = parser.parse_args(argv)
    items = {item.id: item for item in read_items(args.dir)}
    second = read_second(args.file)
    frozen = frozen_urls(args.dir)
    unknown = [r.id for r in second if r.id not in items]
    tested = [r.id for r in second if r.id in items and is_test(items[r.id], frozen)]
    if unknown or tested:
        print(f"not train corpus items: unknown {unknown}, test {tested}", file=sys.stderr)
        return 1
    first: list[RealItem] = [items[r.id] for r in second]
    cases = [item.case() for item in first]
    got = [r.sectors for r in second]
    keys = [s.key for s in default_settings().sectors]
    result = score(cases, got, keys)
    spread = bootstrap(cases, got, keys)
    print(f"{len(second)} items read twice; exact agreement {len(second) - len(result.errors)}")
    print(f"{'sector':<16} {'first':>5} {'second':>6} {'both':>4} {'F1':>5} {'kappa':>6}  95%")
    for key in keys:
        s = result.per_sector[key]
        if not (s.support or s.fp):
            continue
        neither = len(second) - s.tp - s.fp - s.fn
        k = kappa(s.tp, s.fn, s.fp, neither)
        line = f"{key:<16} {s.support:>5} {s.tp + s.fp:>6} {s.tp:>4} {s.f1:>5.2f} {k:>6.2f}"
        print(f"{line}  {spread.per_sector[key]}")
    print(f"macro-F1 {macro(result.per_sector.values()):.3f} {spread.macro_f1}")
    total = result.per_sector.values()
    tp, fp, fn = (sum(getattr(s, f) for s in total) for f in ("tp", "fp", "fn"))
    print(f"micro-F1 {2 * tp / (2 * tp + fp + fn):.3f} {spread.micro_f1}")
    for lang in ("en", "fr", "ar"):
        mine = [r for r in second if items[r.id].lang == lang]
        same = sum(items[r.id].sectors == r.sectors for r in mine)
        print(f"{lang}: {same}/{len(mine)} items labelled alike")
    sure = [r for r in second if r.confidence == "sure"]
    alike = sum(items[r.id].sectors == r.sectors for r in sure)
    print(f"items the second reader was sure of: {alike}/{len(sure)} alike")
    print("\ndiffering items (first | second, the second reader's reason):")
    for r in second:
        if items[r.id].sectors != r.sectors:
            shown = f"{sorted(items[r.id].sectors)} | {sorted(r.sectors)}"
            print(f"  {r.id} {shown} ({r.confidence}) {r.reason[:100]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
