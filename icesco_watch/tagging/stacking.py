"""What the learned model sees beside an item's words: the rules' conclusions and its concepts.

Stacking: the rules' findings become features of the per-sector model, which learns from the
labelled corpus (again in every cross-validation fold) how much each kind of evidence counts,
instead of a weight set by hand:

- `rule:education`: the rules alone would tag the sector; `decided:education`: by a unit, a
  category or a head (those stay decisive in `SectorClassifier` whatever the model says);
- `pair:icesco`: the title puts ICESCO beside another body ("ICESCO and X", any language);
- `title:culture`: one of the sector's keywords stands in the title, whatever the language;
- `k:teacher`, `tk:teacher`: a notion of the trilingual concept lexicon (concepts.py) in the
  title and lead, or in the title, on the text the context rules have masked;
- `via:education`: a notion of the lexicon stands in the title and lead, and one of its forms,
  in any language, is itself a keyword of the sector ("enseignants" found, "teachers" listed
  for education): the taxonomy's vocabulary of one language reaches the others through the
  lexicon, so French news whose words the French lists lack still counts what the English and
  Arabic lists hold (the notion -> sector map is read from the taxonomy, never learned);
- `v:0`, `v:1`…: the item's cross-language word vector (vectors.py: the SIF-weighted mean of the
  title and lead's token vectors, stop words and ICESCO's name left out, unit length times
  `VECTOR`), so that wording no list holds, in any language, says what the item is about:
  measured in round 9 and left off (`VECTOR` = 0, below);
- `near:education`: a word of the title and lead that no keyword list holds lies, in the
  cross-language word-vector table, close to one of the field's one-word keywords in any
  language ("professeurs", listed nowhere, near "teachers"): `via:` for words the lexicon lacks;
- `meet:open`, `meet:field`: the DG (governance decided) meets someone (a visit, a minister,
  an ambassador, "receives" in any language) and no field is named in the title and lead, or
  one is (a field's keyword, even one the rules' bar alone would not tag: "in the field of
  education" is one weak keyword): guide rule 3 tells the two apart (cooperation in general is
  `partnerships`, one field is that field), a conjunction a linear model over single words
  cannot form. With `meet:open`, the classifier also lets the model weigh the cross-cutting
  sectors (partnerships) without any cooperation keyword, its evidence "the Director-General
  meets someone, no field named";
- `meet:minister`: beside `meet:field`, the one met is a state's minister (no ambassador):
  the guide's settled case, talks with a minister about a field are that field, not a
  partnership, unless an agreement is signed (which the words say). Round 15
  (docs/tagging-rounds.md).

The values of these features are fixed, chosen by grouped cross-validation (`meet:minister`
takes `MEETING`'s, not tuned apart); the learned weights multiply them. Each kind is a rule
family that an ablation can switch off.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence

from icesco_watch.tagging.concepts import Concepts
from icesco_watch.tagging.model import DENSE, STOP
from icesco_watch.tagging.text import phrase
from icesco_watch.tagging.vectors import WordVectors, load

PAIR = 0.3  # "ICESCO and X" in a title, chosen by CV (1.0 over-fits)
CONCEPT = 0.7  # a sector's keyword in the title (0.3 / 0.5 / 1.0 tried)
LEXICON = 0.3  # a concept of the trilingual lexicon (0.5 and 1.0 tried: more errors)
BRIDGE = 0.3  # a field's notion listed as its keyword in some language (0.5 tried: more errors)
MEETING = 0.7  # the DG meeting someone, with or without a field (guide rule 3; 0.3 tried)
# The length of the item's word vector among its features (`v:0`, `v:1`…; vectors.py); 0: none.
# Round 9 measured it and left it at 0 (docs/tagging-rounds.md): at 4 (0.25-1 change nothing: the
# regression leaves them near 0; 8 is worse), French under `--hold-out lang-fr` gains 0.776 ->
# 0.799 (story) and 0.766 -> 0.782 (week), but over twenty grouped CV runs (story and week; none,
# word and family 30% seeds 1-3, lang-fr, lang-en, lang-ar) tag errors rise 3114 -> 3145 and
# French falls in 16 of the other 18. `bench/tagging_ablation.py --vector 4` measures it again.
VECTOR = 0.0
VECTOR_DIMS = 64  # the vector's leading components (PCA order) given to the model
# `near:<field>`: a word of the title and lead that no keyword list holds, rare enough (SIF
# weight >= NEAR_RARE: not "pays", "sera"), whose cosine with one of a field's one-word keywords
# (any language) in the word-vector table is at least NEAR_BAR ("professeurs" near "teachers",
# "archéologie" near "archaeology"). NEAR is the feature's value (BRIDGE's); 0: none. Rounds 9
# and 10 (docs/tagging-rounds.md). Round 9, grouped CV: bar 0.7 kept; 0.6 maps common words
# ("conseil", "projet") to fields and is worse (story / week, lang-fr 154 / 164, none 138 / 144
# tag errors against 155 / 159, 135 / 144 at 0.7 and 158 / 162, 137 / 143 without). Round 10,
# the value (ten grouped CV runs at STACK_P 0.35): 0.15 / 0.3 / 0.5 give 1861 / 1846 / 1856 tag
# errors: flat, 0.3 kept.
NEAR = 0.3
NEAR_BAR = 0.7
NEAR_RARE = 0.5
MEETS = frozenset({"receives", "visit", "minister", "ambassador"})  # concepts of a meeting
NOT_FIELDS = frozenset({"governance", "partnerships", "strategy"})


class Stacker:
    """Adds the evidence features to an item's word features (see the module docstring)."""

    def __init__(
        self, off: frozenset[str] = frozenset(), keywords: Mapping[str, Iterable[str]] = {}
    ) -> None:
        """`keywords`: per sector, its keywords (any language), for the `via:` features."""
        self.off = off
        self.vectors: WordVectors | None = load() if VECTOR and "vectors" not in off else None
        self.concepts = Concepts()
        self.bridges = self.concepts.sectors_of(keywords)
        self.near: _Near | None = None
        if NEAR and "vectors" not in self.off:
            table = load()
            self.near = _Near(table, keywords) if table is not None else None

    def add(
        self,
        feats: dict[str, float],
        *,
        ruled: Iterable[str],
        decided: frozenset[str],
        bilateral: bool,
        titled: Iterable[str],
        lead: Sequence[str],
        title_len: int,
        named: Iterable[str],
    ) -> None:
        """`ruled`: the sectors the rules alone tag, `decided` those decided outright;
        `titled`: sectors with a keyword in the title; `lead`: the masked tokens of the title
        and lead, the first `title_len` of them the title's; `named`: sectors with a keyword
        in the title and lead, whether or not the rules tag them."""
        rules = frozenset(ruled)
        if "stacking" not in self.off:
            for key in sorted(rules):
                feats[f"rule:{key}"] = 1.0
                if key in decided:
                    feats[f"decided:{key}"] = 1.0
        if "pair" not in self.off and bilateral:
            feats["pair:icesco"] = PAIR
        if "concept" not in self.off:
            for key in titled:
                feats[f"title:{key}"] = CONCEPT
        found = self.concepts.found(lead)
        if "lexicon" not in self.off:
            for concept in found:
                feats[f"k:{concept}"] = LEXICON
            for concept in self.concepts.found(lead[:title_len]):
                feats[f"tk:{concept}"] = LEXICON
        if "bridge" not in self.off:
            for concept in found:
                for key in self.bridges.get(concept, ()):
                    feats[f"via:{key}"] = BRIDGE
        if "meeting" not in self.off and "governance" in rules and found & MEETS:
            fields = (rules | frozenset(named)) - NOT_FIELDS
            feats["meet:field" if fields else "meet:open"] = MEETING
            if fields and "minister" in found and "ambassador" not in found:
                feats["meet:minister"] = MEETING
        if self.vectors is not None:
            mean = self.vectors.mean(
                t for t in lead if t[:1] >= " " and len(t) > 1 and t not in STOP and not t.isdigit()
            )
            for d, x in enumerate((mean or [])[:VECTOR_DIMS]):
                feats[f"{DENSE}{d}"] = VECTOR * x
        if self.near is not None:
            for key in self.near.sectors(lead):
                feats[f"near:{key}"] = NEAR


class _Near:
    """Per unlisted word, the fields one of whose one-word keywords is its near neighbour."""

    def __init__(self, table: WordVectors, keywords: Mapping[str, Iterable[str]]) -> None:
        self.table = table
        self.listed: set[str] = set()
        self.by_sector: dict[str, list[tuple[float, ...]]] = {}
        for key, words in sorted(keywords.items()):
            for word in words:
                toks = phrase(word)
                self.listed.update(toks)
                vector = table.vector(toks[0]) if len(toks) == 1 else None
                mine = self.by_sector.setdefault(key, [])
                if vector is not None and tuple(vector) not in mine:  # "teacher(s)": once
                    mine.append(tuple(vector))
        self.cache: dict[str, tuple[str, ...]] = {}

    def sectors(self, lead: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for t in set(lead):
            if t[:1] < " " or len(t) < 3 or t in self.listed or t in STOP or t.isdigit():
                continue
            if t not in self.table:  # not cached: a long-running service sees endless new words
                continue
            if t not in self.cache:  # bounded by the table's vocabulary
                self.cache[t] = self._nearest(t)
            found.update(self.cache[t])
        return found

    def _nearest(self, token: str) -> tuple[str, ...]:
        v = self.table.vector(token)
        if v is None or self.table.weight(token) < NEAR_RARE:
            return ()
        return tuple(
            key
            for key, vectors in self.by_sector.items()
            if any(sum(map(operator.mul, v, k)) >= NEAR_BAR for k in vectors)
        )
