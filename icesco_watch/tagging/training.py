"""Fitting the learned component on labelled cases: what the shipped model was trained on.

The shipped weights (`sector_model.json`) come from `bench/train_sector_model.py`, which calls
`fit_model` on the TRAIN part of the real corpus plus the development set; cross-validation
(`cross_validate`, used by `bench/tagging_eval.py --cv K` and `bench/tagging_ablation.py`) calls
`fit` on each fold's other folds the same way, so the figures it prints are those of the
procedure that made the shipped model.

The rules' keyword lists were written while reading the train part, so cross-validation,
which retrains the model per fold, still flatters them: every train item's vocabulary is in the
lists. holdout.py's stand-ins remove part of the lists (a share of the words, of the word
families, or one language's words), which puts the classifier where it stands on news whose
words nobody listed; cross-validation on that taxonomy is the harder, more honest figure
(`--hold-out`, `--drop-keywords` in the benches). The same device, in training (`AUGMENT`),
keeps the model from trusting the rules' conclusions more than they deserve.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from icesco_watch.config.schema import SectorConfig
from icesco_watch.tagging.evaluate import Case, load_cases, predict
from icesco_watch.tagging.holdout import HoldOut, hold_out
from icesco_watch.tagging.model import LinearModel, train
from icesco_watch.tagging.sectors import SectorClassifier

# The model is also trained on a second copy of every item seen through rules with 30% of the
# keywords held out (a fixed seeded draw): on train items the rules are right more often than
# on news whose words nobody listed, and a model that only saw them would trust their
# conclusions (`rule:`) too much. Chosen by grouped CV with and without held-out keywords
# (1 copy: errors 104/98 -> 101/96 story/week, held out 117.5 -> 114.0; 2 copies and a 50% share
# did worse).
AUGMENT = 1
AUGMENT_SHARE = 0.3
# Round 8 tried the copy through the `family` stand-in: 1399 -> 1397 tag errors over ten grouped
# CV runs, single runs -7..+6: noise, so the copy stays word by word.
AUGMENT_HOW: HoldOut = "word"
DEV_SET = Path(__file__).resolve().parents[2] / "tests" / "tagging" / "data" / "sector_cases.jsonl"


def fit_model(
    sectors: Sequence[SectorConfig],
    cases: Sequence[Case],
    with_dev: bool = True,
    off: frozenset[str] = frozenset(),
) -> LinearModel:
    """A model trained on `cases` (and the development set, when present and asked for), over
    the features of the rules with the families `off` switched off."""
    rules = SectorClassifier(sectors, off=off)
    examples = list(cases)
    if with_dev and DEV_SET.exists():
        examples += load_cases(DEV_SET)
    keys = [s.key for s in sectors]
    data = [(rules.model_features(c.title, c.text, c.categories), c.sectors) for c in examples]
    for copy in range(AUGMENT):
        thinner = SectorClassifier(
            hold_out(sectors, AUGMENT_HOW, AUGMENT_SHARE, seed=101 + copy), off=off
        )
        data += [
            (thinner.model_features(c.title, c.text, c.categories), c.sectors) for c in examples
        ]
    # What ships is the rounded, pruned file: score that form, not the in-memory weights.
    return LinearModel.from_json(train(data, keys).to_json())


def fit(
    sectors: Sequence[SectorConfig],
    cases: Sequence[Case],
    with_dev: bool = True,
    off: frozenset[str] = frozenset(),
) -> SectorClassifier:
    """The rules of `sectors` combined with a model trained on `cases`."""
    return SectorClassifier(sectors, model=fit_model(sectors, cases, with_dev, off), off=off)


def cross_validate(
    sectors: Sequence[SectorConfig],
    cases: Sequence[Case],
    folds: Sequence[int],
    k: int,
    rules_only: bool = False,
    off: frozenset[str] = frozenset(),
) -> list[frozenset[str]]:
    """Predictions for every case from a classifier that never saw its fold (nor its group)."""
    predictions: list[frozenset[str]] = [frozenset()] * len(cases)
    for fold in range(k):
        held = [i for i, f in enumerate(folds) if f == fold]
        rest = [cases[i] for i, f in enumerate(folds) if f != fold]
        classifier = (
            SectorClassifier(sectors, off=off) if rules_only else fit(sectors, rest, off=off)
        )
        for i, got in zip(held, predict(classifier, [cases[i] for i in held]), strict=True):
            predictions[i] = got
    return predictions
