"""Rule ablation under grouped cross-validation: what each rule family is worth on news it was
not written from.

    python bench/tagging_ablation.py                       # every family, story and week folds
    python bench/tagging_ablation.py --group story         # one grouping
    python bench/tagging_ablation.py --families pair,concept
    python bench/tagging_ablation.py --off a,b --families none   # a set of families off at once
    python bench/tagging_ablation.py --drop-keywords 0.3 --seeds 1,2  # 30% of keywords held out
    python bench/tagging_ablation.py --hold-out family --seeds 1,2,3  # 30% of keyword families
    python bench/tagging_ablation.py --hold-out lang-fr     # every French keyword held out
    python bench/tagging_ablation.py --vector 4 --families vectors --hold-out lang-fr
                                            # with the word vectors (left off in the shipped
                                            #   tagger, stacking.VECTOR) against without

Each family (see `FAMILIES` in icesco_watch/tagging/sectors.py) is switched off alone; the model
is retrained on each fold's other folds with that family off too, so the figure is the whole
procedure's without it. Plain cross-validation holds out the model but not the rules (they were
written while reading every train item); a family whose gain is one or two items is fit, not
knowledge. Printed per family: macro-F1 overall and per language, the tag errors (wrong plus
missed tags over the train part) and their change against everything on: a positive change
means the family removes that many errors. The train part only; the test part is never read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging import stacking
from icesco_watch.tagging.corpus import load_corpus
from icesco_watch.tagging.evaluate import Case, score
from icesco_watch.tagging.folds import Grouping, assign, group_keys, read_links
from icesco_watch.tagging.holdout import HOLD_OUTS, HoldOut, describe, hold_out, stand_in
from icesco_watch.tagging.training import cross_validate
from icesco_watch.tagging.weights import FAMILIES

K = 5


def run(
    grouping: Grouping,
    off: frozenset[str],
    how: HoldOut | None,
    drop: float,
    seeds: tuple[int, ...],
) -> tuple[float, dict[str, float], int]:
    """Macro-F1, per-language macro-F1 and tag errors of grouped CV with `off` switched off,
    averaged over the keyword draws when a seeded stand-in (`how`, `drop`) holds keywords out."""
    drawn = how in ("word", "family")
    results = [_one(grouping, off, how, drop, seed) for seed in (seeds if drawn else (0,))]
    n = len(results)
    langs = {lang: sum(r[1][lang] for r in results) / n for lang in results[0][1]}
    return sum(r[0] for r in results) / n, langs, round(sum(r[2] for r in results) / n)


def _one(
    grouping: Grouping, off: frozenset[str], how: HoldOut | None, drop: float, seed: int
) -> tuple[float, dict[str, float], int]:
    settings = default_settings()
    keys = [s.key for s in settings.sectors]
    items = load_corpus()
    cases = [item.case() for item in items]
    sectors = hold_out(settings.sectors, how, drop, seed, cases) if how else settings.sectors
    folds = assign(group_keys(items, grouping, read_links()), K)
    got = cross_validate(sectors, cases, folds, K, off=off)
    result = score(cases, got, keys)
    langs = {
        lang: score(*_part(cases, got, lang), keys).macro_f1
        for lang in sorted({c.lang for c in cases})
    }
    total = result.micro
    return result.macro_f1, langs, total.fp + total.fn


def _part(
    cases: Sequence[Case], got: Sequence[frozenset[str]], lang: str
) -> tuple[list[Case], list[frozenset[str]]]:
    chosen = [i for i, c in enumerate(cases) if c.lang == lang]
    return [cases[i] for i in chosen], [got[i] for i in chosen]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--group", choices=("story", "week", "both"), default="both")
    parser.add_argument("--families", default="all", help="comma-separated, 'all' or 'none'")
    parser.add_argument("--off", default="", help="families off in every run, the base too")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--drop-keywords", type=float, default=0.0, metavar="F")
    parser.add_argument("--hold-out", choices=HOLD_OUTS, default=None, help="default: word")
    parser.add_argument("--seeds", default="1,2", help="keyword draws, averaged")
    parser.add_argument(
        "--vector", type=float, default=stacking.VECTOR, help="word-vector feature length"
    )
    args = parser.parse_args()
    base_off = frozenset(f for f in args.off.split(",") if f)
    if args.families == "all":
        families = [f for f in FAMILIES if f not in base_off]
    elif args.families == "none":
        families = []
    else:
        families = [f for f in args.families.split(",") if f]
    unknown = (set(families) | base_off) - set(FAMILIES)
    if unknown:
        parser.error(f"unknown families: {sorted(unknown)}; known: {', '.join(FAMILIES)}")
    groupings: list[Grouping] = ["story", "week"] if args.group == "both" else [args.group]
    runs = [(g, base_off) for g in groupings]
    runs += [(g, base_off | {f}) for g in groupings for f in families]
    seeds = tuple(int(s) for s in args.seeds.split(",") if s)
    how, drop = stand_in(args.hold_out, args.drop_keywords)
    with ProcessPoolExecutor(args.jobs, initializer=_vector, initargs=(args.vector,)) as pool:
        results = list(
            pool.map(
                run,
                *zip(*runs, strict=True),
                [how] * len(runs),
                [drop] * len(runs),
                [seeds] * len(runs),
            )
        )
    outcome = dict(zip(runs, results, strict=True))
    print(f"{K}-fold CV on the train part; base: everything on except {sorted(base_off) or '-'}")
    if args.vector != stacking.VECTOR:
        print(f"word vectors at length {args.vector} (shipped: {stacking.VECTOR})")
    if how:
        print(describe(how, drop, seeds[0]).replace(f"seed {seeds[0]}", f"averaged over {seeds}"))
    for g in groupings:
        macro, langs, errors = outcome[(g, base_off)]
        print(f"\ngrouped by {g}")
        head = ("family off", "macro", "ar", "en", "fr", "errors", "gain")
        print("{:<16} {:>6} {:>6} {:>6} {:>6} {:>7} {:>5}".format(*head))
        print(f"{'(none)':<16} {macro:>6.3f} " + _langs(langs) + f" {errors:>7} {'':>5}")
        for f in families:
            m, lg, e = outcome[(g, base_off | {f})]
            print(f"{f:<16} {m:>6.3f} " + _langs(lg) + f" {e:>7} {e - errors:>+5}")
    return 0


def _vector(length: float) -> None:
    """In each worker: the word vectors' length among the model's features (0: none)."""
    stacking.VECTOR = length


def _langs(langs: dict[str, float]) -> str:
    return " ".join(f"{langs.get(lang, 0.0):>6.3f}" for lang in ("ar", "en", "fr"))


if __name__ == "__main__":
    sys.exit(main())
