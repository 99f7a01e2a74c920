"""The learned component of the sector classifier: a small linear model over words, per sector.

One logistic regression per sector (one-vs-rest) over sparse binary features of the item's
normalised tokens (the same folding and Arabic clitic stripping as the rules, ICESCO's own name
removed): unigrams and bigrams of the title and text, title unigrams again, and the site
categories; beside them, real-valued features (the rules' conclusions, the item's word vector:
stacking.py), which the regression weighs the same way. Pure Python, no numpy: the weights are
a JSON file shipped inside the package (`sector_model.json`), scoring an item is a few hundred
dictionary lookups, and training on a few hundred items takes seconds
(`bench/train_sector_model.py`).

The rules stay in charge of what is decisive (units, categories, heads); the model also sees
the rules' conclusions ("rule:education", "decided:governance") and decides the sectors that
only have keywords, and it may add a sector alone when it is very confident. Its evidence reads
"model 0.87". See `SectorClassifier` for how the two are combined.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from icesco_watch.tagging.text import tokens

SHIPPED = Path(__file__).with_name("sector_model.json")
STOP = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "an",
        "on",
        "for",
        "with",
        "by",
        "at",
        "as",
        "from",
        "its",
        "is",
        "was",
        "are",
        "be",
        "this",
        "that",
        "which",
        "his",
        "her",
        "de",
        "la",
        "le",
        "les",
        "des",
        "du",
        "et",
        "en",
        "au",
        "aux",
        "l",
        "d",
        "un",
        "une",
        "par",
        "pour",
        "sur",
        "dans",
        "avec",
        "que",
        "qui",
        "son",
        "sa",
        "ses",
        "في",
        "من",
        "على",
        "الى",
        "إلى",
        "عن",
        "مع",
        "التي",
        "الذي",
        "هذا",
        "هذه",
        "ذلك",
        "كما",
        "و",
    ]
)
MAX_TEXT_TOKENS = 250  # the lead and the start of the body carry the subject; the rest adds noise
POSITIVE_CAP = 2.0  # how much rarer sectors' positive examples may be weighted up
# The shipped file keeps weights at `DECIMALS` places and drops those under `PRUNE`; features
# seen in fewer than `MIN_COUNT` training items are left out. Cross-validation scores the
# model in this shipped form (training.fit_model round-trips it), so these are measured.
DECIMALS = 4
PRUNE = 0.02
MIN_COUNT = 3
DENSE = "v:"  # the item's word-vector components (stacking.py, vectors.py)


# Round 14 tried Snowball stems (French, English, Arabic) as extra features, so "éducatif" and
# "education" share one: ICESCO's first paragraphs 0.843 -> 0.837 (story folds), 0.833 ->
# 0.837 (week): noise, not kept. Naive-Bayes-scaled features (NBSVM) lost recall (0.807).
def features(
    title_words: Sequence[str], text_words: Sequence[str], categories: Sequence[str] = ()
) -> dict[str, float]:
    """Binary features of tokenised text, L2-normalised. Control tokens (ICESCO's neutralised
    name, pauses) and numbers are left out; pairs do not span them."""
    found: set[str] = set()
    title_clean = _clean(title_words)
    for words in (title_clean, _clean(text_words[: MAX_TEXT_TOKENS * 2])[:MAX_TEXT_TOKENS]):
        found.update(w for w in words if w and w not in STOP and len(w) > 1)
        found.update(f"{a} {b}" for a, b in itertools.pairwise(words) if a and b)
    found.update(f"t:{w}" for w in title_clean if w and w not in STOP and len(w) > 1)
    found.update(f"c:{'-'.join(tokens(c))}" for c in categories)
    if not found:
        return {}
    value = 1.0 / math.sqrt(len(found))
    return dict.fromkeys(found, value)


def _clean(words: Sequence[str]) -> list[str]:
    """Words with control tokens and numbers as "" (a gap that no pair crosses)."""
    return ["" if w[:1] < " " or w.isdigit() else w for w in words]


@dataclass(slots=True)
class LinearModel:
    """Per sector: a bias and a sparse weight per feature."""

    bias: dict[str, float] = field(default_factory=dict)
    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    _by_feature: dict[str, list[tuple[str, float]]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def sectors(self) -> tuple[str, ...]:
        return tuple(self.bias)

    def _index(self) -> dict[str, list[tuple[str, float]]]:
        """Per feature, its (sector, weight) pairs: one lookup per feature, not one per sector."""
        if self._by_feature is None:
            self._by_feature = {}
            for sector, w in self.weights.items():
                for f, value in w.items():
                    self._by_feature.setdefault(f, []).append((sector, value))
        return self._by_feature

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        index = self._index()
        z = dict(self.bias)
        for f, v in feats.items():
            for sector, value in index.get(f, ()):
                z[sector] += value * v
        return {s: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x)))) for s, x in z.items()}

    def cues(self, feats: dict[str, float], kinds: tuple[str, ...], bar: float) -> dict[str, str]:
        """Per sector, the first feature of `kinds` (by name) in `feats` whose weight there is at
        least `bar`, without its prefix ("heritage" for `k:heritage`)."""
        index = self._index()
        found: dict[str, str] = {}
        for f in sorted(feats):
            if f.startswith(kinds):
                for sector, value in index.get(f, ()):
                    if value >= bar:
                        found.setdefault(sector, f.split(":", 1)[1])
        return found

    def to_json(self) -> str:
        """One row per feature, a weight per sector in `sectors` order (0 where pruned): each
        feature's name is written once, not once per sector, which halves the shipped file."""
        sectors = sorted(self.weights)
        kept = {
            s: {f: round(v, DECIMALS) for f, v in w.items() if abs(v) >= PRUNE}
            for s, w in self.weights.items()
        }
        names = sorted(set().union(*kept.values())) if kept else []
        rows = {f: [kept[s].get(f, 0) for s in sectors] for f in names}
        payload = {
            "bias": {s: round(b, 4) for s, b in self.bias.items()},
            "sectors": sectors,
            "rows": rows,
        }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> LinearModel:
        data = json.loads(text)
        sectors = [str(s) for s in data["sectors"]]
        weights: dict[str, dict[str, float]] = {s: {} for s in sectors}
        for f, row in sorted(data["rows"].items()):
            for s, v in zip(sectors, row, strict=True):
                if v:
                    weights[s][str(f)] = float(v)
        return cls({str(s): float(b) for s, b in data["bias"].items()}, weights)


@lru_cache(maxsize=4)
def load_shipped(path: Path = SHIPPED) -> LinearModel | None:
    """The model shipped with the package, or None when there is none (rules alone). Read
    once per process: every cycle's tagger shares it (it is never modified)."""
    return LinearModel.from_json(path.read_text(encoding="utf-8")) if path.exists() else None


def train(
    examples: Iterable[tuple[dict[str, float], frozenset[str]]],
    sectors: Sequence[str],
    epochs: int = 10,
    l2: float = 1e-3,
    rate: float = 0.5,
    seed: int = 11,
    min_count: int | None = None,
) -> LinearModel:
    """One-vs-rest logistic regression by AdaGrad SGD with L2 (lazy, per touched feature).

    Positive examples are weighted up to balance each sector against the rest, capped at 5x,
    so a sector with a dozen examples is not drowned by the others.
    """
    data = list(examples)
    min_count = MIN_COUNT if min_count is None else min_count
    # A feature seen in fewer than `min_count` items is noise that only fits them: drop it.
    seen: dict[str, int] = {}
    for feats, _ in data:
        for f in feats:
            seen[f] = seen.get(f, 0) + 1
    # Sorted, so that float sums and updates run in one order whatever the hash seed: the same
    # corpus gives the same weights, byte for byte.
    data = [({f: feats[f] for f in sorted(feats) if seen[f] >= min_count}, y) for feats, y in data]
    rng = random.Random(seed)
    model = LinearModel({s: 0.0 for s in sectors}, {s: {} for s in sectors})
    for sector in sectors:
        positives = sum(sector in labels for _, labels in data)
        if not positives:
            model.bias[sector] = -6.0
            continue
        weight_pos = min(POSITIVE_CAP, max(1.0, (len(data) - positives) / positives))
        w = model.weights[sector]
        grad_sq: dict[str, float] = {}
        bias, bias_sq = 0.0, 0.0
        order = list(range(len(data)))
        for _ in range(epochs):
            rng.shuffle(order)
            for i in order:
                feats, labels = data[i]
                y = 1.0 if sector in labels else 0.0
                z = bias + sum(w.get(f, 0.0) * v for f, v in feats.items())
                p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
                g = (p - y) * (weight_pos if y else 1.0)
                bias_sq += g * g
                bias -= rate * g / math.sqrt(bias_sq + 1e-8)
                for f, v in feats.items():
                    gf = g * v + l2 * w.get(f, 0.0)
                    grad_sq[f] = grad_sq.get(f, 0.0) + gf * gf
                    w[f] = w.get(f, 0.0) - rate * gf / math.sqrt(grad_sq[f] + 1e-8)
        model.bias[sector] = bias
    return model
