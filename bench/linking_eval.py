"""Precision, recall and F1 of the cross-language linker on the labelled real pairs.

The linker runs over the whole real corpus (every EN/FR/AR item, mutual best matches), and each
labelled pair of tests/linking/data/pairs.jsonl is checked against its links. The threshold is
chosen on the tune part only (`--tune`): the lowest threshold that makes no wrong link on the
tune part, plus a safety margin (`SAFETY`, in score units): a wrong link just under the lowest
safe threshold says that news nobody has read will bring links a little above it, so the
threshold keeps a distance from the highest-scoring wrong link instead of touching it. `--cv 5`
cross-validates that choice on the tune part (the threshold chosen on four folds, scored on the
fifth), prints the precision/recall curve of the tune part by threshold and the cross-validated
figures for each safety margin, then the margin itself chosen by a nested CV (an inner CV on
each outer fold's other folds picks the smallest margin that makes no wrong link there) and the
shipped rule with one event cluster held out at a time (`clusters`: pairs whose days lie within
MAX_DAYS of each other), then each rule's spread over 20 assignments of the pairs to folds, and
prints no test figure. The default run prints the figures
on the test part, with bootstrap 95% intervals (2,000 resamples of the test pairs, seed 14).

    .venv/bin/python bench/linking_eval.py [--tune | --cv K | --errors | --dense | --orphans]

`--errors` lists the tune part's misses and wrong links with their evidence (never the test part).
`--dense` asks what the corpus, a sample of a few items a week, cannot: how the linker does when
every window is as full as ICESCO's real news (a dozen items a day). It folds the corpus's
seven years into 30 or 60 days of 2025 (an item's day becomes its day number modulo the period,
so versions a day apart stay a day apart), links the folded corpus, and counts the links
between items published more than MAX_DAYS apart in reality: different stories for certain, so
wrong links found without reading (no label is read but the tune part's same-story pairs, for
recall). A year named in a text is then no longer its publication's year and adds 1.0 like
any other year (never an anchor); the days a text states ("on 14 May") move with its item, as
its publication day does (`_linking_folds.move_days`: unmoved, they would tell the fold's
links apart by their real days, which no real window allows). The column `clashes` counts the
linked groups holding two items of one language (a story has one version per language).
Harsher variants: 15 days, and 30 or 60 days with a second copy of the corpus shifted by a week
(keys renamed): every link between an original and a copy joins items a week apart in reality,
so it is wrong for certain, and the copies put one recurring programme's editions (a
training's second and third sessions, two summits in one city) on the same days, as an event
cluster does. `--show` lists the wrong links' titles. The folds live in bench/_linking_folds.py.
`--orphans` leaves out, in turn, each version of each link the linker makes over the corpus and
counts the other versions then linked to another item of the left-out language: one event's
other story on the same days, wrong for certain (no label read), as when a version is never
published or not yet crawled.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from collections.abc import Sequence
from pathlib import Path

from _linking_folds import COPY, DENSE, clashes, dense, orphans

from icesco_watch.linking import MAX_DAYS, THRESHOLD, LinkDoc, Linker, Match, link
from icesco_watch.linking_corpus import Pair, corpus, pairs

_RESAMPLES = 2000
_SEED = 14


def _prf(rows: Sequence[tuple[bool, bool]]) -> tuple[float, float, float]:
    tp = sum(1 for label, pred in rows if label and pred)
    fp = sum(1 for label, pred in rows if pred and not label)
    fn = sum(1 for label, pred in rows if label and not pred)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _rows(labelled: Sequence[Pair], links: set[tuple[str, str]]) -> list[tuple[bool, bool]]:
    return [(p.label, (p.a, p.b) in links) for p in labelled]


def _interval(rows: Sequence[tuple[bool, bool]]) -> list[tuple[float, float]]:
    rng = random.Random(_SEED)
    samples = [_prf([rng.choice(rows) for _ in rows]) for _ in range(_RESAMPLES)]
    out = []
    for i in range(3):
        values = sorted(s[i] for s in samples)
        out.append((values[int(0.025 * _RESAMPLES)], values[int(0.975 * _RESAMPLES) - 1]))
    return out


_STEPS = [step * 0.25 for step in range(49)]
# 2.0 last round (its tune-to-test gap). Since evidence is weighed by its spread in the window,
# the highest-scoring wrong tune link scores 3.0 (was 9.5) and no margin from 1.0 up makes a
# wrong link in 5-fold CV; 2.0 would cost two more same-story tune pairs (recall 0.805 ->
# 0.756) and a quarter of --dense's, since scores shrink where windows are full.
SAFETY = 1.25


def _safe(rows: Sequence[tuple[bool, bool]]) -> bool:
    """Some right links and no wrong one."""
    tp = sum(1 for label, pred in rows if label and pred)
    fp = sum(1 for label, pred in rows if pred and not label)
    return tp > 0 and fp == 0


def _choose(
    part: Sequence[Pair], by_threshold: dict[float, set[tuple[str, str]]], safety: float = SAFETY
) -> float:
    """The lowest threshold that is `_safe` on `part`, raised by `safety` (the highest tried if
    none is)."""
    for t in _STEPS:
        if _safe(_rows(part, by_threshold[t])):
            return min(t + safety, _STEPS[-1])
    return _STEPS[-1]


def _fold(pair: Pair, k: int, salt: str = "") -> int:
    digest = hashlib.sha256(f"linking-cv{salt}|{pair.a}|{pair.b}".encode()).digest()
    return digest[0] % k


def _counts(rows: Sequence[tuple[bool, bool]]) -> tuple[int, int]:
    """Right and wrong links."""
    tp = sum(1 for label, pred in rows if label and pred)
    return tp, sum(1 for label, pred in rows if pred and not label)


def _cross_validate(
    tune: Sequence[Pair], pool: list[LinkDoc], k: int, old: frozenset[tuple[str, str]]
) -> None:
    by_threshold = {t: link(pool, t) for t in _STEPS}
    # Nothing but the threshold is chosen per fold, so a fixed threshold's out-of-fold figures,
    # pooled, are its figures on the whole tune part: the curve. With `--old`, the right and
    # wrong links of the pairs that file holds and of the others (newer pairs) apart too.
    split = " old r/w/of  new r/w/of" if old else ""
    print("threshold  right  wrong  precision  recall" + split)
    for t in _STEPS[8:]:
        rows = _rows(tune, by_threshold[t])
        (p, r, _), (tp, fp) = _prf(rows), _counts(rows)
        line = f"{t:9.2f}  {tp:5d}  {fp:5d}  {p:9.3f}  {r:6.3f}"
        for part in (old and [[p for p in tune if (p.a, p.b) in old]]) or []:
            for sub in (part, [p for p in tune if (p.a, p.b) not in old]):
                (right, wrong), same = _counts(_rows(sub, by_threshold[t])), _same(sub)
                line += f"  {right:3d}/{wrong}/{same:<3d}"
        print(line)
    for safety in _SAFETIES:
        rows = []
        chosen = []
        for fold in range(k):
            rest = [p for p in tune if _fold(p, k) != fold]
            held = [p for p in tune if _fold(p, k) == fold]
            chosen.append(_choose(rest, by_threshold, safety))
            rows += _rows(held, by_threshold[chosen[-1]])
        (p, r, f), (tp, fp) = _prf(rows), _counts(rows)
        mark = " (shipped rule)" if safety == SAFETY else ""
        print(
            f"{k}-fold on tune, safety {safety}{mark}: thresholds {chosen}: precision {p:.3f}, "
            f"recall {r:.3f}, F1 {f:.3f} ({tp} right, {fp} wrong)"
        )
    _nested(tune, by_threshold, k)
    _by_cluster(tune, by_threshold, docs_days(pool))
    _repeated(tune, by_threshold, k)


_SAFETIES = (0.0, 0.5, 1.0, 1.25, 1.5, 2.0)


def _pick_safety(
    part: Sequence[Pair], by_threshold: dict[float, set[tuple[str, str]]], k: int, salt: str = ""
) -> float:
    """The safety margin an inner `k`-fold CV on `part` prefers: the smallest that makes no wrong
    link on its held folds (the most recall at no wrong link), else the one with fewest."""
    wrongs = []
    for safety in _SAFETIES:
        rows = []
        for fold in range(k):
            rest = [p for p in part if _fold(p, k, "inner" + salt) != fold]
            held = [p for p in part if _fold(p, k, "inner" + salt) == fold]
            rows += _rows(held, by_threshold[_choose(rest, by_threshold, safety)])
        wrongs.append((_counts(rows)[1], safety))
    return min(wrongs)[1]


def _nested(tune: Sequence[Pair], by_threshold: dict[float, set[tuple[str, str]]], k: int) -> None:
    """The safety margin itself chosen by CV: per outer fold, an inner CV on the other folds
    picks the margin, the threshold is chosen on them with it, and the held fold is scored."""
    rows = []
    picked = []
    for fold in range(k):
        rest = [p for p in tune if _fold(p, k) != fold]
        held = [p for p in tune if _fold(p, k) == fold]
        safety = _pick_safety(rest, by_threshold, k - 1)
        picked.append((safety, _choose(rest, by_threshold, safety)))
        rows += _rows(held, by_threshold[picked[-1][1]])
    (p, r, f), (tp, fp) = _prf(rows), _counts(rows)
    print(
        f"nested {k}-fold (safety by inner CV), (safety, threshold) per fold {picked}: "
        f"precision {p:.3f}, recall {r:.3f}, F1 {f:.3f} ({tp} right, {fp} wrong)"
    )


_REPEATS = 20


def _repeated(
    tune: Sequence[Pair], by_threshold: dict[float, set[tuple[str, str]]], k: int
) -> None:
    """The spread of the CV figures over `_REPEATS` assignments of the pairs to folds: one
    assignment's luck (two wrong links in one fold, or in two) decides much on 58 same-story
    pairs. Per rule, the right links' range and in how many assignments a wrong link passes."""
    results: dict[str, list[tuple[int, int]]] = {}
    for r in range(_REPEATS):
        salt = f"repeat{r}"
        for safety in (*_SAFETIES, None):
            rows = []
            for fold in range(k):
                rest = [p for p in tune if _fold(p, k, salt) != fold]
                held = [p for p in tune if _fold(p, k, salt) == fold]
                margin = _pick_safety(rest, by_threshold, k - 1, salt) if safety is None else safety
                rows += _rows(held, by_threshold[_choose(rest, by_threshold, margin)])
            name = "nested" if safety is None else f"safety {safety}"
            results.setdefault(name, []).append(_counts(rows))
    print(f"{k}-fold repeated over {_REPEATS} fold assignments (right min/median/max; wrong):")
    for name, counts in results.items():
        rights = sorted(c[0] for c in counts)
        wrongs = [c[1] for c in counts]
        print(
            f"  {name:12s} right {rights[0]}/{rights[len(rights) // 2]}/{rights[-1]}; "
            f"assignments with a wrong link {sum(1 for w in wrongs if w)}/{_REPEATS}, "
            f"wrong links in all {sum(wrongs)}"
        )


def docs_days(pool: Sequence[LinkDoc]) -> dict[str, int]:
    """Each doc's publication day as an ordinal."""
    return {d.key: d.published.toordinal() for d in pool}


def clusters(part: Sequence[Pair], day: dict[str, int]) -> list[list[Pair]]:
    """The pairs grouped by event: pairs whose days overlap or lie within MAX_DAYS of each
    other are one group (one event's stories and versions are labelled on the same days)."""
    spans = sorted(
        (((min(day[p.a], day[p.b]), max(day[p.a], day[p.b])), p) for p in part),
        key=lambda span: span[0],
    )
    groups: list[list[Pair]] = []
    end = None
    for (first, last), pair in spans:
        if end is None or first > end + MAX_DAYS:
            groups.append([])
            end = last
        groups[-1].append(pair)
        end = max(end, last)
    return groups


def _by_cluster(
    tune: Sequence[Pair], by_threshold: dict[float, set[tuple[str, str]]], day: dict[str, int]
) -> None:
    """Leave one event cluster out: the threshold (shipped safety) chosen on the others."""
    groups = clusters(tune, day)
    rows = []
    chosen = set()
    for i, held in enumerate(groups):
        rest = [p for j, g in enumerate(groups) if j != i for p in g]
        chosen.add(_choose(rest, by_threshold))
        rows += _rows(held, by_threshold[_choose(rest, by_threshold)])
    (p, r, f), (tp, fp) = _prf(rows), _counts(rows)
    print(
        f"leave one event cluster out ({len(groups)} clusters, safety {SAFETY}), thresholds "
        f"{sorted(chosen)}: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f} ({tp} right, {fp} wrong)"
    )


def _same(part: Sequence[Pair]) -> int:
    return sum(1 for p in part if p.label)


def _old(path: str | None) -> frozenset[tuple[str, str]]:
    """The pairs of an earlier pairs.jsonl (`--old`), as sorted canonical keys."""
    if not path:
        return frozenset()
    return frozenset((p.a, p.b) for p in pairs(Path(path)))


def _errors(tune: Sequence[Pair], docs: dict[str, LinkDoc], links: set[tuple[str, str]]) -> None:
    """Print the tune part's misses and wrong links, each with both scores' evidence (scored
    in the run over the whole corpus, as `link` scores them)."""
    run = Linker(docs.values())
    for pair in tune:
        linked = (pair.a, pair.b) in links
        if linked == pair.label:
            continue
        a, b = docs[pair.a], docs[pair.b]
        kind = "missed" if pair.label else "WRONG LINK"
        m = run.score(a, b)
        print(f"{kind}: {m.score} ({a.lang} {a.published} / {b.lang} {b.published})")
        print(f"  {a.title}\n  {b.title}\n  " + "; ".join(m.evidence))
        for doc, other in ((a, b), (b, a)):
            top = sorted((run.score(doc, o) for o in run.near(doc, other.lang)), key=_by_score)[:2]
            print(
                f"  best {other.lang} for {doc.lang}: "
                + ", ".join(f"{x.score}{'*' if x.other == other.key else ''}" for x in top)
            )


def _by_score(m: Match) -> float:
    return -m.score


def _dense(tune: Sequence[Pair], docs: dict[str, LinkDoc], show: bool) -> None:
    """Links made on the corpus folded into a short period: certainly wrong ones, tune recall."""
    same = [p for p in tune if p.label]
    lang = {k: d.lang for k, d in docs.items()}
    lang |= {k + COPY: language for k, language in lang.items()}
    print("period  threshold  links  certainly wrong  clashes  tune same-story pairs linked")
    for period, copy in DENSE:
        for t in (THRESHOLD - 1.0, THRESHOLD, THRESHOLD + 1.0):
            links, wrong = dense(docs, period, copy, t)
            right = sum(1 for p in same if (p.a, p.b) in links)
            name = f"{period}{'+copy' if copy else ''}"
            clash = clashes(links, lang)
            print(
                f"{name:>7s}  {t:9.2f}  {len(links):5d}  {len(wrong):15d}  {clash:7d}  "
                f"{right}/{len(same)}"
            )
            for a, b in wrong if show and t == THRESHOLD else []:
                titles = (docs[k.removesuffix(COPY)].title[:60] for k in (a, b))
                print("    wrong: " + " | ".join(titles))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="choose the threshold on the tune part")
    parser.add_argument("--cv", type=int, default=0, help="K-fold cross-validation on tune only")
    parser.add_argument("--errors", action="store_true", help="the tune part's errors, evidence")
    parser.add_argument("--dense", action="store_true", help="wrong links in a folded corpus")
    parser.add_argument("--orphans", action="store_true", help="links with one version left out")
    parser.add_argument("--show", action="store_true", help="with --dense: the wrong links")
    parser.add_argument("--old", help="with --cv: an earlier pairs.jsonl, its pairs apart")
    args = parser.parse_args()
    docs, _ = corpus()
    labelled = pairs()
    tune = [p for p in labelled if p.split == "tune"]
    test = [p for p in labelled if p.split == "test"]
    pool = list(docs.values())
    threshold = THRESHOLD
    if args.cv:
        _cross_validate(tune, pool, args.cv, _old(args.old))
        return
    if args.dense:
        _dense(tune, docs, args.show)
        return
    if args.orphans:
        alone, found = orphans(docs)
        print(f"versions left alone: {alone}; linked to another story: {len(found)}")
        for keep, other, drop in found:
            titles = (docs[k].title[:50] for k in (keep, other, drop))
            print("    {} -> {} (left out: {})".format(*titles))
        return
    if args.errors:
        _errors(tune, docs, link(pool, threshold))
        return
    if args.tune:
        print("threshold  tune-P  tune-R  tune-F1")
        by_threshold = {t: link(pool, t) for t in _STEPS}
        for t in _STEPS:
            p, r, f = _prf(_rows(tune, by_threshold[t]))
            print(f"{t:9.2f}  {p:6.3f}  {r:6.3f}  {f:7.3f}")
        threshold = _choose(tune, by_threshold)
        print(f"chosen on tune: {threshold} (shipped: {THRESHOLD})")
        return
    links = link(pool, threshold)
    for name, part in (("tune", tune), ("test", test)):
        rows = _rows(part, links)
        p, r, f = _prf(rows)
        pos = sum(1 for label, _ in rows if label)
        line = f"{name}: {len(rows)} pairs ({pos} same story, {len(rows) - pos} different)"
        print(f"{line}: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")
        if name == "test":
            (pl, ph), (rl, rh), (fl, fh) = _interval(rows)
            print(
                f"  95% bootstrap: precision [{pl:.3f}, {ph:.3f}], "
                f"recall [{rl:.3f}, {rh:.3f}], F1 [{fl:.3f}, {fh:.3f}]"
            )
    labelled_keys = {(p.a, p.b) for p in labelled}
    print(
        f"links made over the corpus at threshold {threshold}: {len(links)}, "
        f"of which unlabelled: {len(links - labelled_keys)}"
    )


if __name__ == "__main__":
    main()
