"""Train the shipped sector model on the TRAIN part of the real corpus plus the development set.

    python bench/train_sector_model.py              # writes icesco_watch/tagging/sector_model.json
    python bench/train_sector_model.py --dir PATH   # the corpus from another folder
    python bench/train_sector_model.py --out FILE   # somewhere else
    python bench/train_sector_model.py --check      # exit 1 if the shipped weights are not
                                                    #   what the corpus gives (retrain needed)

This is the one way to build the shipped weights: after corpus items are added (or labels
fixed), run it and commit `sector_model.json`. The test part is never read (see
icesco_watch/tagging/corpus.py). Training is deterministic (seeded, features in sorted order),
so the same corpus gives the same weights byte for byte, whatever the hash seed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging.corpus import REAL_DIR, load_corpus
from icesco_watch.tagging.model import SHIPPED, LinearModel
from icesco_watch.tagging.training import fit_model


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--dir", type=Path, default=REAL_DIR, help="real corpus folder")
    parser.add_argument("--out", type=Path, default=SHIPPED)
    parser.add_argument("--check", action="store_true", help="compare with --out, write nothing")
    args = parser.parse_args()
    items = load_corpus(args.dir, "train")
    if not items:
        print(f"no train items in {args.dir}", file=sys.stderr)
        return 1
    model = fit_model(default_settings().sectors, [item.case() for item in items])
    text = model.to_json()
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text + "\n"
        print(f"{args.out} {'matches' if same else 'differs from'} the weights the corpus gives")
        return 0 if same else 1
    args.out.write_text(text + "\n", encoding="utf-8")
    size = sum(len(w) for w in LinearModel.from_json(text).weights.values())
    print(
        f"trained on {len(items)} train items + the development set: {size} weights -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
