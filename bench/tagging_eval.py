"""Sector tagging quality on a labelled set: per-sector precision, recall, F1; micro and macro F1.

    python bench/tagging_eval.py                      # the development set
    python bench/tagging_eval.py --cases my.jsonl     # your own cases (same JSON lines format)
    python bench/tagging_eval.py --errors             # also list every misclassified case

The baseline printed beside the classifier is "units only": the same taxonomy with keywords,
people and categories ignored (what a lookup of unit names alone would achieve).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from icesco_watch.config.loader import default_settings, load_config
from icesco_watch.tagging.evaluate import Evaluation, evaluate, load_cases
from icesco_watch.tagging.sectors import SectorClassifier

HEADER = ("sector", "support", "prec", "recall", "F1", "units-only F1")
DEV_SET = (
    Path(__file__).resolve().parent.parent / "tests" / "tagging" / "data" / "sector_cases.jsonl"
)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--cases", type=Path, default=DEV_SET)
    parser.add_argument("--config", type=Path, default=None, help="taxonomy from this config")
    parser.add_argument("--errors", action="store_true", help="list misclassified cases")
    args = parser.parse_args()

    settings = load_config(args.config, {}).settings if args.config else default_settings()
    keys = [s.key for s in settings.sectors]
    cases = load_cases(args.cases)
    full = evaluate(SectorClassifier(settings.sectors), cases, keys)
    units_only = [
        s.model_copy(update={"keywords": [], "strong_keywords": [], "people": [], "categories": []})
        for s in settings.sectors
    ]
    baseline = evaluate(SectorClassifier(units_only), cases, keys)

    by_lang: dict[str, int] = {}
    for case in cases:
        by_lang[case.lang] = by_lang.get(case.lang, 0) + 1
    print(f"{len(cases)} cases ({', '.join(f'{k} {v}' for k, v in sorted(by_lang.items()))})")
    print("{:<16} {:>7} {:>6} {:>6} {:>6}   {:>13}".format(*HEADER))
    for key in keys:
        s, b = full.per_sector[key], baseline.per_sector[key]
        row = (key, s.support, s.precision, s.recall, s.f1, b.f1)
        print("{:<16} {:>7} {:>6.2f} {:>6.2f} {:>6.2f}   {:>13.2f}".format(*row))
    _totals("classifier", full)
    _totals("units only", baseline)
    ratio = full.macro_f1 / max(baseline.macro_f1, 1e-9)
    print(f"macro-F1 ratio to the units-only baseline: {ratio:.2f}x")
    exact = 1 - len(full.errors) / len(cases)
    print(f"exact-set accuracy: {exact:.2%} ({len(cases) - len(full.errors)}/{len(cases)})")
    if args.errors:
        for case, got in full.errors:
            print(f"- {case.id}: expected {sorted(case.sectors)} got {sorted(got)}: {case.title}")
    return 0


def _totals(label: str, result: Evaluation) -> None:
    print(f"{label:<12} micro-F1 {result.micro_f1:.3f}  macro-F1 {result.macro_f1:.3f}")


if __name__ == "__main__":
    sys.exit(main())
