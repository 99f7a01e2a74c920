"""Scoring the sector classifier against labelled cases: precision, recall and F1 per sector.

Used by `bench/tagging_eval.py` and by the test that keeps the development set's scores from
regressing; operators who edit the taxonomy can run the bench on their own cases.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from icesco_watch.tagging.sectors import SectorClassifier


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    lang: str
    title: str
    text: str
    categories: tuple[str, ...]
    sectors: frozenset[str]


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


@dataclass(slots=True)
class Evaluation:
    per_sector: dict[str, SectorScore]
    errors: list[tuple[Case, frozenset[str]]] = field(default_factory=list)

    @property
    def micro_f1(self) -> float:
        total = SectorScore(
            sum(s.tp for s in self.per_sector.values()),
            sum(s.fp for s in self.per_sector.values()),
            sum(s.fn for s in self.per_sector.values()),
        )
        return total.f1

    @property
    def macro_f1(self) -> float:
        scored = [s.f1 for s in self.per_sector.values() if s.support or s.fp]
        return sum(scored) / len(scored) if scored else 0.0


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


def evaluate(
    classifier: SectorClassifier, cases: Iterable[Case], sectors: Sequence[str]
) -> Evaluation:
    result = Evaluation({key: SectorScore() for key in sectors})
    for case in cases:
        got = frozenset(
            classifier.classify(case.title, case.text, case.categories, case.lang).sectors
        )
        if got != case.sectors:
            result.errors.append((case, got))
        for key in sectors:
            score = result.per_sector[key]
            if key in got and key in case.sectors:
                score.tp += 1
            elif key in got:
                score.fp += 1
            elif key in case.sectors:
                score.fn += 1
    return result
