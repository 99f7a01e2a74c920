"""Sector tagging quality on real ICESCO news: per-sector P/R/F1, micro and macro F1 overall and
per language, bootstrap 95% intervals, the full-body subset apart, the units-only baseline beside.

    python bench/tagging_eval.py                   # the TRAIN part of the real corpus (default)
    python bench/tagging_eval.py --cv 5            # 5-fold cross-validation on TRAIN (the model
                                                   #   is retrained on each fold's other folds)
    python bench/tagging_eval.py --cv 5 --group story  # folds keep a story's EN/FR/AR versions
                                                   #   together (tests/linking/data/pairs.jsonl);
                                                   #   --group week: one ISO week per fold
    python bench/tagging_eval.py --cv 5 --group story --drop-keywords 0.3 --seed 1
                                                   #   with 30% of the keywords held out (the
                                                   #   vocabulary nobody listed; see training.py)
    python bench/tagging_eval.py --cv 5 --group story --hold-out family --seed 1
                                                   #   30% of keyword FAMILIES held out (a word
                                                   #   with its inflections and translations)
    python bench/tagging_eval.py --cv 5 --group story --hold-out lang-fr
                                                   #   every French keyword held out (see
                                                   #   icesco_watch/tagging/holdout.py)
    python bench/tagging_eval.py --hold-ids en-11,fr-11,fr-12,ar-12,en-13,fr-13,ar-13 --group story
                                                   #   train on the rest of TRAIN, score only the
                                                   #   items whose id starts so (those written
                                                   #   last: the stand-in for news nobody read);
                                                   #   their stories (or weeks) are kept out too
    python bench/tagging_eval.py --cv 5 --group story --lead first
                                                   #   score the items that carry their first
                                                   #   paragraph alone (`lead_first`) from it:
                                                   #   news before anyone summarised it (the
                                                   #   model still trains on whole items)
    python bench/tagging_eval.py --cv 5 --group story --lead first --train-share fr:0.6 --seed 1
                                                   #   a learning curve: each fold trains on a
                                                   #   seeded 60% of its French items (the other
                                                   #   languages whole); every item is still
                                                   #   scored. What would more French items buy?
    python bench/tagging_eval.py --errors          # also list TRAIN errors (never test errors)
    python bench/tagging_eval.py --split test      # the frozen TEST part: run it rarely
    python bench/tagging_eval.py --rules-only      # without the learned model
    python bench/tagging_eval.py --dir PATH        # another corpus folder (en/ar/fr.jsonl)
    python bench/tagging_eval.py --cases dev.jsonl # a set in the development format (id, lang,
                                                   #   title, text, categories, sectors)

The baseline is "units only": the same taxonomy with keywords, people, categories and the model
ignored (what a lookup of unit names alone achieves). Intervals: items resampled with
replacement, 1000 rounds, seed 2026.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from icesco_watch.config.loader import default_settings, load_config
from icesco_watch.config.schema import SectorConfig
from icesco_watch.tagging.corpus import REAL_DIR, RealItem, load_corpus
from icesco_watch.tagging.evaluate import Case, bootstrap, load_cases, predict, score
from icesco_watch.tagging.folds import GROUPINGS, assign, group_keys, read_links
from icesco_watch.tagging.holdout import HOLD_OUTS, describe, hold_out, stand_in
from icesco_watch.tagging.model import load_shipped
from icesco_watch.tagging.sectors import SectorClassifier
from icesco_watch.tagging.training import cross_validate, fit

HEADER = ("sector", "support", "prec", "recall", "F1", "95% interval", "units-only F1")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--split", choices=("train", "test", "all"), default="train")
    parser.add_argument("--dir", type=Path, default=REAL_DIR, help="real corpus folder")
    parser.add_argument("--cases", type=Path, default=None, help="dev-format JSON lines instead")
    parser.add_argument("--cv", type=int, default=0, metavar="K", help="K-fold CV on train")
    parser.add_argument(
        "--group", choices=GROUPINGS, default="item", help="what a CV fold keeps together"
    )
    parser.add_argument(
        "--drop-keywords", type=float, default=0.0, metavar="F", help="hold out F of keywords"
    )
    parser.add_argument(
        "--hold-out", choices=HOLD_OUTS, default=None, help="which stand-in (default: word)"
    )
    parser.add_argument(
        "--hold-ids", default="", metavar="PREFIXES", help="score only these ids, trained without"
    )
    parser.add_argument(
        "--train-share",
        type=_share,
        default=None,
        metavar="LANG:F",
        help="with --cv: train on a seeded share F of LANG's items only (a learning curve)",
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="which keywords (or --train-share items) are left out"
    )
    parser.add_argument("--config", type=Path, default=None, help="taxonomy from this config")
    parser.add_argument("--errors", action="store_true", help="list misclassified train cases")
    parser.add_argument("--rules-only", action="store_true", help="no learned model")
    parser.add_argument("--rounds", type=int, default=1000, help="bootstrap rounds")
    parser.add_argument(
        "--lead",
        choices=("summary", "first"),
        default="summary",
        help="what is read of each item: its lead (and body), or its first paragraph alone",
    )
    args = parser.parse_args()
    if args.lead == "first" and (args.hold_ids or args.cases is not None):
        parser.error("--lead first scores corpus items with --cv or the shipped model")
    if args.errors and args.split != "train" and args.cases is None:
        parser.error("--errors lists train errors only: the test part is never inspected")
    if (args.cv or args.hold_ids) and args.split != "train":
        parser.error("--cv and --hold-ids run on the train part only")
    if args.cv and args.hold_ids:
        parser.error("--hold-ids is one split of its own: no --cv with it")
    if args.train_share and not args.cv:
        parser.error("--train-share needs --cv (it thins each fold's training)")
    held_out, share = stand_in(args.hold_out, args.drop_keywords)
    if held_out and not (args.cv or args.hold_ids):
        parser.error("holding keywords out needs --cv (the shipped model knows every keyword)")

    settings = load_config(args.config, {}).settings if args.config else default_settings()
    keys = [s.key for s in settings.sectors]
    full_body: set[str] = set()
    groups: list[str] = []
    if args.cases is not None:
        cases = load_cases(args.cases)
        label = str(args.cases)
        groups = [c.id for c in cases]
    else:
        items: list[RealItem] = load_corpus(args.dir, args.split)
        if not items:
            print(f"no {args.split} items in {args.dir}", file=sys.stderr)
            return 1
        cases = [item.case() for item in items]
        full_body = {item.id for item in items if item.full_body}
        groups = group_keys(items, args.group, read_links())
        label = f"{args.split} part of {args.dir}"

    # What the classifier reads of each case: the case itself, or its first paragraph alone.
    shown = [c.first_only() if args.lead == "first" and c.first else c for c in cases]
    started = time.perf_counter()
    prefixes = tuple(p for p in args.hold_ids.split(",") if p)
    if prefixes:
        sectors = settings.sectors
        if held_out:
            sectors = hold_out(sectors, held_out, share, args.seed, cases)
        scored, trained = held_fold(cases, groups, prefixes)
        if not scored:
            parser.error(f"no train item's id starts with {args.hold_ids}")
        cases = [cases[i] for i in scored]
        rest = trained
        classifier = SectorClassifier(sectors) if args.rules_only else fit(sectors, rest)
        predictions = predict(classifier, cases)
        label += (
            f", {len(cases)} items with ids {args.hold_ids} scored, trained on {len(rest)} "
            f"others (their {args.group}s kept out)"
        )
        if held_out:
            label += ", " + describe(held_out, share, args.seed)
    elif args.cv:
        folds = assign(groups, args.cv)
        sectors = settings.sectors
        if held_out:
            sectors = hold_out(sectors, held_out, share, args.seed, cases)
        trained = None
        if args.train_share:
            lang, share = args.train_share
            trained = [not _left_out(c, lang, share, args.seed) for c in cases]
        predictions = cross_validate(
            sectors, cases, folds, args.cv, args.rules_only, shown=shown, trained=trained
        )
        label += f", {args.cv}-fold cross-validation grouped by {args.group}"
        if trained is not None:
            label += (
                f", training on {sum(trained)} of {len(cases)} items ({lang} items kept at "
                f"{share:.0%}, seed {args.seed})"
            )
        if held_out:
            label += ", " + describe(held_out, share, args.seed)
    else:
        model = None if args.rules_only else load_shipped()
        predictions = predict(SectorClassifier(settings.sectors, model=model), shown)
    elapsed = time.perf_counter() - started
    if args.lead == "first":
        keep = [i for i, c in enumerate(cases) if c.first]
        if not keep:
            parser.error(f"no {args.split} item carries lead_first")
        cases = [cases[i].first_only() for i in keep]
        predictions = [predictions[i] for i in keep]
        full_body = set()  # a first paragraph is no whole article
        label += ", each read from its first paragraph alone (lead_first)"
    units_only = [
        s.model_copy(update={"keywords": [], "strong_keywords": [], "people": [], "categories": []})
        for s in settings.sectors
    ]
    baseline = predict(SectorClassifier(units_only), cases)

    if args.split != "test" and args.cases is None and not (args.cv or prefixes or args.rules_only):
        print("note: the shipped model was trained on the train part: these figures are in-sample;")
        print("      use --cv K for honest ones")
    langs = sorted({c.lang for c in cases})
    counts = ", ".join(f"{lang} {sum(c.lang == lang for c in cases)}" for lang in langs)
    print(f"{len(cases)} cases ({counts}) from the {label}")
    _report(cases, predictions, baseline, keys, args.rounds)
    for lang in langs:
        chosen = [i for i, c in enumerate(cases) if c.lang == lang]
        _summary(f"lang {lang}", cases, predictions, baseline, keys, chosen, args.rounds)
    if full_body:
        chosen = [i for i, c in enumerate(cases) if c.id in full_body]
        _summary("full body", cases, predictions, baseline, keys, chosen, args.rounds)
        _precision("full body", cases, predictions, chosen, keys, args.rounds)
    print(f"classified {len(cases)} items in {elapsed:.2f} s")
    if not (args.cv or prefixes):
        _speed(settings.sectors, cases, args.rules_only)
    if args.errors:
        for case, got in score(cases, predictions, keys).errors:
            missing, extra = sorted(case.sectors - got), sorted(got - case.sectors)
            print(f"- {case.id}: missing {missing} extra {extra}: {case.title}")
    return 0


def _share(value: str) -> tuple[str, float]:
    """`--train-share LANG:F`: a language of the corpus and a share in (0, 1]."""
    lang, _, share = value.partition(":")
    try:
        fraction = float(share)
    except ValueError:
        fraction = -1.0
    if lang not in ("en", "ar", "fr") or not 0.0 < fraction <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r}: expected LANG:F, e.g. fr:0.6")
    return lang, fraction


def _left_out(case: Case, lang: str, share: float, seed: int) -> bool:
    """Is `case` one of the `lang` items a learning curve at `share` trains without? Seeded per
    item, so a smaller share leaves out a superset of a larger one's items."""
    return case.lang == lang and random.Random(f"{seed}:{case.id}").random() >= share


def held_fold(
    cases: Sequence[Case], groups: Sequence[str], prefixes: tuple[str, ...]
) -> tuple[list[int], list[Case]]:
    """The indices of the cases whose id starts with one of `prefixes`, and the cases to train
    on: every other case whose group (story or week) holds none of them."""
    scored = [i for i, c in enumerate(cases) if c.id.startswith(prefixes)]
    kept_out = {groups[i] for i in scored}
    return scored, [c for c, g in zip(cases, groups, strict=True) if g not in kept_out]


def _speed(sectors: Sequence[SectorConfig], cases: list[Case], rules_only: bool) -> None:
    """The shipped tagger on 50 items (the longest first), model loading included; best of 3."""
    batch = sorted(cases, key=lambda c: -len(c.text))[:50]
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        classifier = SectorClassifier(sectors, model=None if rules_only else load_shipped())
        predict(classifier, batch)
        runs.append(time.perf_counter() - started)
    rules = SectorClassifier(sectors)
    started = time.perf_counter()
    predict(rules, batch)
    baseline = time.perf_counter() - started
    print(
        f"speed: {len(batch)} longest items in {min(runs):.2f} s with loading (target < 2 s); "
        f"rules alone {baseline:.2f} s"
    )


def _report(
    cases: list[Case],
    predictions: list[frozenset[str]],
    baseline: list[frozenset[str]],
    keys: list[str],
    rounds: int,
) -> None:
    result = score(cases, predictions, keys)
    base = score(cases, baseline, keys)
    intervals = bootstrap(cases, predictions, keys, rounds)
    print("{:<16} {:>7} {:>6} {:>6} {:>6} {:>14}   {:>13}".format(*HEADER))
    for key in keys:
        s, b = result.per_sector[key], base.per_sector[key]
        row = (key, s.support, s.precision, s.recall, s.f1, str(intervals.per_sector[key]), b.f1)
        print("{:<16} {:>7} {:>6.2f} {:>6.2f} {:>6.2f} {:>14}   {:>13.2f}".format(*row))
    print(
        f"{'all':<12} macro-F1 {result.macro_f1:.3f} {intervals.macro_f1}  "
        f"micro-F1 {result.micro_f1:.3f} {intervals.micro_f1}  "
        f"(units only: macro {base.macro_f1:.3f}, micro {base.micro_f1:.3f})"
    )
    exact = 1 - len(result.errors) / len(cases)
    print(f"exact-set accuracy {exact:.1%}")


def _summary(
    name: str,
    cases: list[Case],
    predictions: list[frozenset[str]],
    baseline: list[frozenset[str]],
    keys: list[str],
    chosen: list[int],
    rounds: int,
) -> None:
    sub = [cases[i] for i in chosen]
    got = [predictions[i] for i in chosen]
    result = score(sub, got, keys)
    base = score(sub, [baseline[i] for i in chosen], keys)
    intervals = bootstrap(sub, got, keys, rounds)
    weakest = sorted((s.f1, k) for k, s in result.per_sector.items() if s.support >= 5)[:3]
    weak = ", ".join(f"{k} {f:.2f}" for f, k in weakest)
    print(
        f"{name:<12} n={len(sub):<4} macro-F1 {result.macro_f1:.3f} {intervals.macro_f1}  "
        f"micro-F1 {result.micro_f1:.3f} {intervals.micro_f1}  "
        f"(units only: macro {base.macro_f1:.3f}); weakest: {weak}"
    )


def _precision(
    name: str,
    cases: list[Case],
    predictions: list[frozenset[str]],
    chosen: list[int],
    keys: list[str],
    rounds: int,
) -> None:
    """Micro precision over a subset (over-tagging on whole articles), with its interval."""

    def precision(indices: Sequence[int]) -> float:
        total = score([cases[i] for i in indices], [predictions[i] for i in indices], keys).micro
        return total.precision

    rng = random.Random(2026)
    values = sorted(precision([rng.choice(chosen) for _ in chosen]) for _ in range(rounds // 4))
    low, high = values[round(0.025 * (len(values) - 1))], values[round(0.975 * (len(values) - 1))]
    total = score([cases[i] for i in chosen], [predictions[i] for i in chosen], keys).micro
    print(
        f"{name:<12} micro precision {total.precision:.3f} [{low:.2f}, {high:.2f}]  "
        f"recall {total.recall:.3f}  ({total.tp} right tags, {total.fp} wrong, {total.fn} missed)"
    )


if __name__ == "__main__":
    sys.exit(main())
