"""The paraphrase gap: the tagger on ICESCO's own wording against our rewording of the same items.

Every title and lead of the labelled corpus is written in our own words (the corpus rule), and
the classifier's rules and model were built while reading those rewordings. News nobody here
wrote comes in ICESCO's own wording: its stock phrases, its full name spelled out, its longer
leads. This bench measures what that difference costs, on the same items and the same labels.

    python bench/wording_gap.py --real DIR            # 5-fold CV grouped by story (default)
    python bench/wording_gap.py --real DIR --cv 10 --errors
    python bench/wording_gap.py --real DIR --sectors  # P/R per sector, in each reading

DIR holds `real-*.jsonl` files: for train items (never the frozen test part), the page's own
title and first paragraph (a second one when the first has under 40 words), read from stored
copies of icesco.org (lines `{"id", "url", "found", "title", "lead"}`; stop 24 read 432 of the
554 train items, searching each page by its URL's words and our title; round 13 found 90 of
the other 122 by searching each item's facts (names, place, date): 522 in all, EN 252, FR 190,
AR 80; the prompts given to the sessions that gathered them lie beside them). That text is
ICESCO's, so it is never committed: the folder lives outside the repository. What is committed
is its stand-in: the same first paragraphs reworded (`lead_first` in the corpus), scored by
`tagging_eval.py --cv 5 --lead first`; this bench says how far the stand-in is from the real.

The items fall in two halves by a salted hash (`half`): rules may be written looking at `tune`
errors (`--part tune --errors`); `confirm` is only ever scored.

The model is retrained per fold on the other folds' rewordings (as `tagging_eval.py --cv`);
each held-out item is then classified three times (bodies left out): from our title and lead
(`lead`: our summary of the whole article), from our title and our rewording of the page's
first paragraph (`first`; our lead where an item has none), and from the page's own title and
first paragraph (`real`). `lead` against `first` is what a first paragraph leaves untold (the
information); `first` against `real` is what ICESCO's wording itself costs. Figures: micro and
macro F1 of each reading on the same items, per language, with bootstrap 95% intervals of the
differences real - lead and real - first.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging.corpus import load_corpus
from icesco_watch.tagging.evaluate import Case, score
from icesco_watch.tagging.folds import GROUPINGS, assign, group_keys, read_links
from icesco_watch.tagging.sectors import SectorClassifier
from icesco_watch.tagging.training import cross_validate_views

T = TypeVar("T")


def half(item_id: str) -> str:
    """Which half an item falls in, fixed once by a salted hash: rules are written looking at
    `tune` errors only; `confirm` is scored, never read."""
    digest = hashlib.sha256(f"wording-gap-2026:{item_id}".encode()).hexdigest()
    return "tune" if int(digest[:8], 16) % 2 == 0 else "confirm"


def read_real(directory: Path, part: str = "all") -> dict[str, tuple[str, str]]:
    """id -> (title, lead) of the items whose page was found with a lead, in `part`."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(directory.glob("real-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if part != "all" and half(str(row["id"])) != part:
                continue
            if row.get("found") and row.get("title") and len(str(row.get("lead", "")).split()) >= 8:
                found[str(row["id"])] = (str(row["title"]), str(row["lead"]))
    return found


def _figures(cases: list[Case], got: list[frozenset[str]], keys: list[str]) -> tuple[float, float]:
    result = score(cases, got, keys)
    return result.micro_f1, result.macro_f1


def _pick(seq: Sequence[T], chosen: Sequence[int]) -> list[T]:
    return [seq[i] for i in chosen]


def _mark(case: Case, got: frozenset[str]) -> str:
    return "ok" if got == case.sectors else "wrong"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--real", type=Path, required=True, help="folder of real-*.jsonl")
    parser.add_argument("--cv", type=int, default=5, metavar="K")
    parser.add_argument("--group", choices=GROUPINGS, default="story")
    parser.add_argument(
        "--part", choices=("tune", "confirm", "all"), default="all", help="which half to score"
    )
    parser.add_argument("--errors", action="store_true", help="list tune items the wording changes")
    parser.add_argument("--rounds", type=int, default=1000, help="bootstrap rounds")
    parser.add_argument(
        "--sectors", action="store_true", help="precision / recall per sector, each reading"
    )
    args = parser.parse_args()

    settings = default_settings()
    keys = [s.key for s in settings.sectors]
    items = load_corpus(split="train")
    if args.errors and args.part != "tune":
        parser.error("--errors lists the tune half only: the confirm half is never read")
    real = read_real(args.real, args.part)
    if not real:
        print(f"no found items in {args.real}", file=sys.stderr)
        return 1
    cases = [item.case() for item in items]
    folds = assign(group_keys(items, args.group, read_links()), args.cv)
    # Bodies left out on both sides, so only the wording differs; an item without ICESCO's text
    # is read the same in both views and then set aside.
    lead_only = [replace(c, text=item.lead) for c, item in zip(cases, items, strict=True)]
    theirs_all = [
        replace(c, title=real[c.id][0], text=real[c.id][1]) if c.id in real else c
        for c in lead_only
    ]
    firsts_all = [c.first_only() if c.first else c for c in lead_only]
    got_all = cross_validate_views(
        settings.sectors, cases, folds, args.cv, [lead_only, firsts_all, theirs_all]
    )
    kept = [i for i, c in enumerate(cases) if c.id in real]
    ours, firsts, theirs = _pick(lead_only, kept), _pick(firsts_all, kept), _pick(theirs_all, kept)
    got_ours, got_firsts, got_theirs = (_pick(got, kept) for got in got_all)
    readings = (
        ("lead", ours, got_ours),
        ("first", firsts, got_firsts),
        ("real", theirs, got_theirs),
    )

    print(
        f"{len(ours)} train items with ICESCO's own title and lead, {args.cv}-fold CV grouped by "
        f"{args.group}; same items, same labels, the model never saw the item's fold"
    )
    print(
        f"{'':4} {'n':>4}  {'micro: lead':>11} {'first':>6} {'real':>6}  {'macro: lead':>11} "
        f"{'first':>6} {'real':>6}   real-lead 95%     real-first 95%"
    )
    rng = random.Random(2026)
    for lang in ("all", "en", "fr", "ar"):
        chosen = [i for i, c in enumerate(ours) if lang in ("all", c.lang)]
        if not chosen:
            continue
        f = [_figures(_pick(c, chosen), _pick(g, chosen), keys) for _, c, g in readings]
        diffs: tuple[list[float], list[float]] = ([], [])
        for _ in range(args.rounds):
            draw = [rng.choice(chosen) for _ in chosen]
            micro = [_figures(_pick(c, draw), _pick(g, draw), keys)[0] for _, c, g in readings]
            diffs[0].append(micro[2] - micro[0])
            diffs[1].append(micro[2] - micro[1])
        spans = []
        for d in diffs:
            d.sort()
            spans.append(f"[{d[int(0.025 * len(d))]:+.3f}, {d[int(0.975 * len(d)) - 1]:+.3f}]")
        print(
            f"{lang:4} {len(chosen):4}  {f[0][0]:11.3f} {f[1][0]:6.3f} {f[2][0]:6.3f}  "
            f"{f[0][1]:11.3f} {f[1][1]:6.3f} {f[2][1]:6.3f}   {spans[0]}  {spans[1]}"
        )
    if args.sectors:
        print(f"{'precision / recall':18} " + " ".join(f"{name:>11}" for name, _, _ in readings))
        per = [score(c, g, keys).per_sector for _, c, g in readings]
        for key in keys:
            gold = sum(key in c.sectors for c in ours)
            cells = " ".join(f"{p[key].precision:5.2f}/{p[key].recall:<5.2f}" for p in per)
            print(f"{key:15} {gold:3}  {cells}")
    # Where the gap comes from: governance is labelled whenever the DG acts, anywhere in the
    # article; does the title and lead name the DG (or a governing body) for the rules to see?
    units_only = SectorClassifier(
        [
            s.model_copy(update={"keywords": [], "strong_keywords": [], "categories": []})
            for s in settings.sectors
        ]
    )
    governed = [i for i, c in enumerate(ours) if "governance" in c.sectors]
    named = [
        sum("governance" in units_only.classify(c[i].title, c[i].text).sectors for i in governed)
        for c in (ours, theirs)
    ]
    print(
        f"governance items whose title and lead name the DG or a governing body: ours "
        f"{named[0]} of {len(governed)}, ICESCO's own {named[1]} of {len(governed)}"
    )
    others = [k for k in keys if k != "governance"]
    o, t = (_figures(ours, got_ours, others), _figures(theirs, got_theirs, others))
    print(f"without governance: micro {o[0]:.3f} -> {t[0]:.3f}, macro {o[1]:.3f} -> {t[1]:.3f}")
    changed = [i for i in range(len(ours)) if got_ours[i] != got_theirs[i]]
    print(f"tags differ on {len(changed)} of {len(ours)} items")
    if args.errors:
        for i in [i for i in range(len(ours)) if got_theirs[i] != ours[i].sectors or i in changed]:
            case = ours[i]
            print(
                f"- {case.id} gold {sorted(case.sectors)} ours {sorted(got_ours[i])} "
                f"({_mark(case, got_ours[i])}) real {sorted(got_theirs[i])} "
                f"({_mark(case, got_theirs[i])}): "
                f"{theirs[i].title}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
