"""Scoring a sector classifier against labelled cases: P/R/F1 per sector, micro and macro F1,
per-language figures and bootstrap intervals.

Used by `bench/tagging_eval.py` and by the tests that keep the development set's and the real
corpus's scores from regressing; operators who edit the taxonomy can run the bench on their own
cases. Predictions are computed once; every figure (and each bootstrap resample) is counted
from them, so an interval costs no extra classification.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from icesco_watch.tagging.sectors import SectorTags


class Classifier(Protocol):
    def classify(
        self, title: str, text: str, categories: Sequence[str] = (), lang: str | None = None
    ) -> SectorTags: ...


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    lang: str
    title: str
    text: str
    categories: tuple[str, ...]
    sectors: frozenset[str]
    # The article's first paragraph alone, when a corpus item has one (`lead_first`): what
    # news reads like before anyone summarises it. Training also learns from this version.
    first: str = ""

    def first_only(self) -> Case:
        """The item as its first paragraph shows it: title and `first`, same labels."""
        return Case(self.id, self.lang, self.title, self.first, self.categories, self.sectors)


@dataclass(slots=True)
class SectorScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


def _total(scores: Iterable[SectorScore]) -> SectorScore:
    total = SectorScore()
    for s in scores:
        total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
    return total


def macro(scores: Iterable[SectorScore]) -> float:
    """Mean F1 over the sectors that occur (in the labels or the predictions)."""
    scored = [s.f1 for s in scores if s.support or s.fp]
    return sum(scored) / len(scored) if scored else 0.0


@dataclass(slots=True)
class Evaluation:
    per_sector: dict[str, SectorScore]
    errors: list[tuple[Case, frozenset[str]]] = field(default_factory=list)

    @property
    def micro_f1(self) -> float:
        return _total(self.per_sector.values()).f1

    @property
    def macro_f1(self) -> float:
        return macro(self.per_sector.values())

    @property
    def micro(self) -> SectorScore:
        return _total(self.per_sector.values())


def load_cases(path: Path) -> list[Case]:
    """One JSON object per line: id, lang, title, text, categories, sectors."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        data = json.loads(line)
        try:
            cases.append(
                Case(
                    id=data["id"],
                    lang=data["lang"],
                    title=data["title"],
                    text=data.get("text", ""),
                    categories=tuple(data.get("categories", ())),
                    sectors=frozenset(data["sectors"]),
                )
            )
        except KeyError as exc:
            raise ValueError(f"{path}:{number}: missing {exc.args[0]!r}") from None
    return cases


def predict(classifier: Classifier, cases: Iterable[Case]) -> list[frozenset[str]]:
    return [
        frozenset(classifier.classify(c.title, c.text, c.categories, c.lang).sectors) for c in cases
    ]


def score(
    cases: Sequence[Case], predictions: Sequence[frozenset[str]], sectors: Sequence[str]
) -> Evaluation:
    """Counts per sector from labels and predictions already made."""
    result = Evaluation({key: SectorScore() for key in sectors})
    for case, got in zip(cases, predictions, strict=True):
        if got != case.sectors:
            result.errors.append((case, got))
        for key in sectors:
            s = result.per_sector[key]
            if key in got and key in case.sectors:
                s.tp += 1
            elif key in got:
                s.fp += 1
            elif key in case.sectors:
                s.fn += 1
    return result


def evaluate(classifier: Classifier, cases: Sequence[Case], sectors: Sequence[str]) -> Evaluation:
    return score(cases, predict(classifier, cases), sectors)


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float

    def __str__(self) -> str:
        return f"[{self.low:.2f}, {self.high:.2f}]"


@dataclass(frozen=True, slots=True)
class Intervals:
    """Bootstrap 95% intervals (items resampled with replacement, seeded)."""

    macro_f1: Interval
    micro_f1: Interval
    per_sector: dict[str, Interval]


def bootstrap(
    cases: Sequence[Case],
    predictions: Sequence[frozenset[str]],
    sectors: Sequence[str],
    rounds: int = 1000,
    seed: int = 2026,
) -> Intervals:
    """Percentile intervals of macro-F1, micro-F1 and each sector's F1 over resampled items."""
    index = {key: i for i, key in enumerate(sectors)}
    # Each item as the sparse list of (sector, outcome) it contributes: 0 tp, 1 fp, 2 fn.
    events = []
    for case, got in zip(cases, predictions, strict=True):
        mine = [(index[k], 0) for k in got & case.sectors if k in index]
        mine += [(index[k], 1) for k in got - case.sectors if k in index]
        mine += [(index[k], 2) for k in case.sectors - got if k in index]
        events.append(mine)
    rng = random.Random(seed)
    macros: list[float] = []
    micros: list[float] = []
    per: list[list[float]] = [[] for _ in sectors]
    n = len(cases)
    for _ in range(rounds):
        counts = [[0, 0, 0] for _ in sectors]
        for _ in range(n):
            for sector, outcome in events[rng.randrange(n)]:
                counts[sector][outcome] += 1
        scores = [SectorScore(*c) for c in counts]
        macros.append(macro(scores))
        micros.append(_total(scores).f1)
        for i, s in enumerate(scores):
            if s.support or s.fp:
                per[i].append(s.f1)
    return Intervals(
        _percentiles(macros),
        _percentiles(micros),
        {key: _percentiles(per[i]) for key, i in index.items()},
    )


def _percentiles(values: list[float]) -> Interval:
    if not values:
        return Interval(0.0, 0.0)
    ordered = sorted(values)
    last = len(ordered) - 1
    return Interval(ordered[round(0.025 * last)], ordered[round(0.975 * last)])
