"""The sector classifier: which ICESCO sectors an item belongs to, and the evidence for each.

Multi-label and explainable. Evidence is scored per sector, strongest first:

- the sector's own unit named in the text ("the Education Sector", "قطاع التربية"), or a
  governing body or the Director-General for `governance` — decisive, unless the unit belongs
  to another body ("… Sector of the League of Arab States", "UNESCO Director-General", "the
  Girl Education Sector at the ministry");
- a site category that is the sector's own (generic streams such as "news" say nothing);
- a head or expert of the sector named in the text;
- keywords: strong ones weigh 2, weak ones 1, more when repeated or in the title.

In a whole article (`LONG_TEXT` tokens or more), a unit or head first named after the lead
decides only when named again; once, it weighs as a keyword (a guest list, a closing "in
cooperation with" paragraph is not what the article is about).

ICESCO's own name ("Islamic World Educational, Scientific and Cultural Organization", in any
language) is replaced by one neutral token before anything is matched, so "educational" and
"cultural" in the name never count. A sector needs `THRESHOLD` points; keyword-only sectors
must also reach `RELATIVE` of the best sector's score (its decisive points and keywords
together), so a passing mention beside the item's real subject is not a tag; beside the DG's
decisive points that bar is high, which is why the model, not this bar, decides such sectors,
and why the meeting features read the fields named rather than the fields this bar tags
(stacking.py). Measuring against the best keyword score alone was tried twice (rounds 14
and 15): worse on ICESCO's own wording. Nothing reaching the threshold gives an empty result.

With the shipped model (see model.py), a sector that has keywords but no decisive evidence is
decided by the model, which sees the words and the rules' conclusions (`STACK_P`); so is a
sector cued by a notion of the concept lexicon that the model counts for it (`CUE`: vocabulary
the keyword lists lack reaches the model through the lexicon's other forms); the model alone
adds a sector only at `MODEL_ADD`, or at the lower `MODEL_ADD_BY_ACTOR` for a sector decided
by who acts (`by_actor`: governance, whom a first paragraph often leaves untold; a whole article
tells who acted, so there the ordinary bar holds). Its probability is shown as evidence
("model 0.87").
The numbers named here, and how each was chosen, live in `weights`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from icesco_watch.config.schema import SectorConfig
from icesco_watch.tagging import weights as w
from icesco_watch.tagging.context import MASKED, Context
from icesco_watch.tagging.model import DENSE, LinearModel, features
from icesco_watch.tagging.stacking import Stacker
from icesco_watch.tagging.text import PhraseIndex, category_key, phrase


@dataclass(frozen=True, slots=True)
class SectorTags:
    """The classifier's answer: sector keys, best first, and the reasons for each."""

    sectors: tuple[str, ...] = ()
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Term:
    sector: str
    words: tuple[str, ...]
    label: str


@dataclass(slots=True)
class _Score:
    decisive: float = 0.0
    keywords: float = 0.0
    reasons: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    early: bool = False  # a keyword seen within the title and lead
    met: bool = False  # the DG meets someone and no field is named: the model may decide


def _terms(sectors: Sequence[SectorConfig], kind: str) -> list[_Term]:
    """Terms of one kind; spellings that normalise alike ("media", "médias") count once."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    terms = []
    for sector in sectors:
        labels: list[str] = getattr(sector, kind)
        for label in labels:
            words = phrase(label)
            if words and (sector.key, words) not in seen:
                seen.add((sector.key, words))
                terms.append(_Term(sector.key, words, label))
    return terms


class SectorClassifier:
    """Compiled from the taxonomy once; `classify` is a pure function of one item's text."""

    def __init__(
        self,
        sectors: Sequence[SectorConfig],
        model: LinearModel | None = None,
        off: frozenset[str] = frozenset(),
    ) -> None:
        unknown = off - set(w.FAMILIES)
        if unknown:
            raise ValueError(f"unknown rule families: {sorted(unknown)}")
        self.model = model
        self.off = off
        self.keys = tuple(s.key for s in sectors)
        self.absorbs = {s.key: frozenset(s.absorbs) for s in sectors}
        self.cross_cutting = frozenset(s.key for s in sectors if s.cross_cutting)
        # Sectors decided by who acts, not by subject words (the DG, governing bodies): the model
        # alone adds them at a lower bar (`MODEL_ADD_BY_ACTOR`).
        self.by_actor = frozenset(s.key for s in sectors if s.by_actor)
        self.units = sorted(_terms(sectors, "units"), key=lambda t: -len(t.words))
        self.people = _terms(sectors, "people")
        self.strong = _terms(sectors, "strong_keywords")
        self.weak = _terms(sectors, "keywords")
        self.categories: dict[str, list[tuple[str, str]]] = {}
        for s in sectors:
            for category in s.categories:
                self.categories.setdefault(category_key(category), []).append((s.key, category))
        # Field words a job title may carry ("Minister of Culture"): one-word keywords of the
        # fields, not of cross-cutting sectors ("the minister signed" keeps "signed").
        self.context = Context(
            (
                t.words[0]
                for t in self.strong + self.weak
                if len(t.words) == 1 and t.sector not in self.cross_cutting
            ),
            off=off,
        )
        self.icesco_names = self.context.icesco_names
        self.stacker = Stacker(
            off,
            {
                s.key: [*s.strong_keywords, *s.keywords]
                for s in sectors
                if s.strong_keywords and not s.cross_cutting
            },
        )
        # A unit's own name may contain ICESCO's ("ICESCO Regional Office"): compile it alike.
        self.units = [
            _Term(t.sector, tuple(self.context.neutralise(t.words)), t.label) for t in self.units
        ]
        every = self.units + self.people + self.strong + self.weak
        self.max_len = max((len(t.words) for t in every), default=1)
        self.starts = frozenset(t.words[0] for t in (*self.units, *every) if t.words)

    def classify(
        self, title: str, text: str, categories: Sequence[str] = (), lang: str | None = None
    ) -> SectorTags:
        """Sectors of one item from its title, plain text and site categories."""
        scores, beside, feats, whole = self._rules(title, text, categories)
        probabilities = (
            self.model.probabilities(feats)
            if self.model is not None and _sparse(feats) >= w.MODEL_MIN_FEATURES
            else {}
        )
        cued = (
            self.model.cues(feats, w.CUE_FEATURES, w.CUE)
            if probabilities and self.model is not None and self._on("concept-cue")
            else {}
        )
        return self._decide_all(scores, probabilities, beside, cued, whole)

    def model_features(
        self, title: str, text: str, categories: Sequence[str] = ()
    ) -> dict[str, float]:
        """The learned model's view of an item: its words (ICESCO's own name left out) and
        what the rules concluded. What `classify` computes, and what training sees."""
        return self._rules(title, text, categories)[2]

    def _rules(
        self, title: str, text: str, categories: Sequence[str]
    ) -> tuple[dict[str, _Score], frozenset[str], dict[str, float], bool]:
        """The rules' scores, the cross-cutting sectors exempt from the relative bar, the
        model's features (words plus the rules' conclusions), and whether the text is a whole
        article (`LONG_TEXT` tokens or more)."""
        title_words = self.context.tokens(title)
        title_index = PhraseIndex(title_words, self.max_len, self.starts)
        text_words = self.context.tokens(text)
        words = [*title_words, "\x00", *text_words]
        scores = {key: _Score() for key in self.keys}
        # Unit names are masked once scored, so their words do not count again as keywords:
        # "Human and Social Sciences Sector" is not evidence for science, and another body's
        # "Media and Communication Sector of the League …" is no evidence for media.
        deep: dict[str, list[str]] = {}  # decisive names seen only after an article's lead
        whole = len(words) >= w.LONG_TEXT
        long_text = whole and "late-names" not in self.off
        units = self._score_units(PhraseIndex(words, self.max_len, self.starts), scores, deep)
        for start, size in units:
            words[start : start + size] = [MASKED] * size
        on = self._on
        if on("job-titles"):
            self.context.mask_titles(words)
        if on("honorary"):
            self.context.mask_honorary(words)
        if on("recalled"):
            self.context.mask_recalled(words)
        index = PhraseIndex(words, self.max_len, self.starts)
        self._score_categories(categories, scores)
        titled = False
        for term in self.people:
            for start in index.positions(term.words):
                if on("attending") and self.context.attending(words, start):
                    self._attend(scores[term.sector], term.label)
                elif long_text and start >= w.LEAD_TOKENS:
                    deep.setdefault(term.sector, []).append(f"names {term.label}")
                else:
                    self._decide(scores[term.sector], w.PERSON, f"names {term.label}")
                # "Ambassador Khalid Fathalrahman" is ICESCO's own staff, not a diplomat.
                titled |= on("honorary") and self.context.mask_title_before(words, start)
        if titled:
            index = PhraseIndex(words, self.max_len, self.starts)
        self._settle_late(scores, deep if long_text else {})
        titled_sectors: set[str] = set()
        for terms, weight in ((self.strong, w.STRONG), (self.weak, w.WEAK)):
            for term in terms:
                found = index.positions(term.words)
                if found:
                    score = scores[term.sector]
                    in_title = term.words in title_index
                    if in_title:
                        titled_sectors.add(term.sector)
                    bonus = 1.0 + w.REPEAT * min(len(found) - 1, 2) + w.IN_TITLE * in_title
                    # Deep in a long article a word is more likely a side remark.
                    late = found[0] >= w.LEAD_TOKENS and on("late-keywords")
                    score.keywords += weight * bonus * (w.LATE if late else 1.0)
                    score.early |= not late
                    score.matched.append(term.label)
        # Talks with a minister about a field are about that field (labelling rule 3): there,
        # cooperation wording yields to the field like any other keyword, unless it is heavy
        # (an agreement signed: "memorandum", "signed").
        minister = self.context.minister_present(words)
        # Side remarks deep in an article do not make a cross-cutting tag either.
        beside = frozenset(
            k
            for k in self.cross_cutting
            if scores[k].early
            and (not minister or scores[k].keywords >= 2 * w.THRESHOLD)
            and on("cross-cutting")
        )
        feats: dict[str, float] = {}
        if w.STACKED or self.model is not None:
            feats = features(title_words, text_words, categories)
            if w.STACKED and feats:
                ruled = self._decide_all(scores, {}, beside).sectors
                self.stacker.add(
                    feats,
                    ruled=ruled,
                    decided=frozenset(k for k in ruled if scores[k].decisive >= w.THRESHOLD),
                    bilateral=self.context.bilateral(title),
                    titled=sorted(titled_sectors),
                    lead=words[: w.LEAD_TOKENS],
                    title_len=len(title_words),
                    named=[k for k, score in scores.items() if score.keywords and score.early],
                )
                # Rule 3: the DG's talks with no field are cooperation in general, so the
                # cross-cutting sectors are the model's to weigh, keywords or not.
                if "meet:open" in feats:
                    for key in self.cross_cutting:
                        scores[key].met = True
        return scores, beside, feats, whole

    def _score_units(
        self, index: PhraseIndex, scores: dict[str, _Score], late: dict[str, list[str]]
    ) -> list[tuple[int, int]]:
        """Score ICESCO's own units; return the spans of every unit name found. In a whole
        article, a unit first named after the lead is put aside in `late` (see `_settle_late`)."""
        long_text = len(index.tokens) >= w.LONG_TEXT
        spans: list[tuple[int, int]] = []
        for term in self.units:  # longest first: "قطاع الإعلام" inside a longer (foreign) name
            for start in index.positions(term.words):
                end = start + len(term.words)
                # Inside a longer name already found: skip. The same name may be a unit of two
                # sectors ("Culture Ministers Conference": governance and culture).
                size = len(term.words)
                if any(s <= start and end <= s + n and n > size for s, n in spans):
                    continue
                spans.append((start, len(term.words)))
                if self._on("foreign-unit") and not self.context.own_unit(
                    index.tokens, start, size
                ):
                    continue
                if self._on("attending") and self.context.attending(index.tokens, start):
                    self._attend(scores[term.sector], term.label)
                elif long_text and start >= w.LEAD_TOKENS:
                    late.setdefault(term.sector, []).append(f"mentions '{term.label}'")
                else:
                    self._decide(scores[term.sector], w.UNIT, f"mentions '{term.label}'")
        return spans

    def _settle_late(self, scores: dict[str, _Score], late: dict[str, list[str]]) -> None:
        """Units and heads seen only deep in a whole article: decisive when they recur (the
        body is about them), else a keyword's weight. One mention in a list of speakers or a
        closing "in cooperation with" paragraph is not what the article is about."""
        for sector, reasons in late.items():
            score = scores[sector]
            if score.decisive >= w.THRESHOLD:
                continue  # already decided within the lead
            if len(reasons) >= 2:
                self._decide(score, w.UNIT, reasons[0])
            else:
                self._attend(score, reasons[0].split(" ", 1)[1].strip("'"))

    def _score_categories(self, categories: Sequence[str], scores: dict[str, _Score]) -> None:
        for category in categories:
            for sector, label in self.categories.get(category_key(category), []):
                self._decide(scores[sector], w.CATEGORY, f"site category '{label}'")

    def _on(self, family: str) -> bool:
        """Is this rule family in use (see `weights.FAMILIES`)?"""
        return family not in self.off

    @staticmethod
    def _attend(score: _Score, label: str) -> None:
        """A unit or head only listed among those present: a keyword's weight, not a decision
        ("in the presence of the head of the Strategy Sector")."""
        if label not in score.matched:
            score.keywords += w.WEAK
            score.matched.append(label)

    @staticmethod
    def _decide(score: _Score, weight: float, reason: str) -> None:
        if reason not in score.reasons:
            score.decisive += weight
            score.reasons.append(reason)

    def _decide_all(
        self,
        scores: dict[str, _Score],
        probabilities: dict[str, float],
        beside: frozenset[str],
        cued: dict[str, str] | None = None,
        whole: bool = False,
    ) -> SectorTags:
        """`cued`: per sector, a concept the model counts for it (see `weights.CUE`); `whole`:
        the text is a whole article, which tells who acted (no `MODEL_ADD_BY_ACTOR`)."""
        cued = cued or {}
        best = max((s.decisive + s.keywords for s in scores.values()), default=0.0)
        chosen: list[tuple[float, str]] = []
        evidence: dict[str, tuple[str, ...]] = {}
        # A sector absorbs another's keywords when it is decided or its own keywords win:
        # teaching Arabic talks of teachers, yet it is the Arabic Language Center's work.
        absorbing = [
            k
            for k, s in scores.items()
            if self.absorbs[k]
            and (
                s.decisive >= w.THRESHOLD
                or (s.keywords >= w.THRESHOLD and s.keywords >= w.RELATIVE * best)
            )
            and self._on("absorbs")
        ]
        absorbed = frozenset().union(*(self.absorbs[k] for k in absorbing))
        for key, score in scores.items():
            keyword_ok = (
                score.keywords >= w.THRESHOLD
                and (
                    score.keywords >= w.RELATIVE * best or key in beside or not self._on("relative")
                )
                and key not in absorbed
            )
            p = probabilities.get(key)
            if keyword_ok and score.decisive < w.THRESHOLD and p is not None and p < w.MODEL_VETO:
                keyword_ok = False  # a passing mention the model is sure is not the subject
            if w.STACKED and p is not None and score.decisive < w.THRESHOLD:
                # The model weighs the rules' keywords (or a concept it counts for the
                # sector) in context; without either it needs MODEL_ADD, below.
                # Keywords only deep in an article must recur to count (a side remark).
                seen = (
                    score.met
                    or key in cued
                    or (
                        score.keywords > 0
                        and (
                            score.early
                            or score.keywords >= w.THRESHOLD
                            or not self._on("late-keywords")
                        )
                    )
                )
                keyword_ok = seen and p >= w.STACK_P
            # A first paragraph often leaves the DG's part untold; a whole article tells it.
            by_actor = key in self.by_actor and not whole
            bar = w.MODEL_ADD_BY_ACTOR if by_actor else w.MODEL_ADD
            by_model = p is not None and p >= bar and self._on("model-add")
            if score.decisive >= w.THRESHOLD or keyword_ok or by_model:
                reasons = list(score.reasons)
                if score.matched:
                    shown = ", ".join(f"'{m}'" for m in dict.fromkeys(score.matched[:4]))
                    reasons.append(f"keywords {shown}")
                elif score.met:
                    reasons.append("the Director-General meets someone, no field named")
                elif key in cued:
                    reasons.append(f"concept '{cued[key]}'")
                if p is not None and (by_model or reasons):
                    reasons.append(f"model {p:.2f}")
                chosen.append((score.decisive + score.keywords + 4 * (p or 0.0), key))
                evidence[key] = tuple(reasons)
        chosen.sort(key=lambda pair: (-pair[0], self.keys.index(pair[1])))
        return SectorTags(tuple(key for _, key in chosen), evidence)


def _sparse(feats: dict[str, float]) -> int:
    """How many of an item's features are not its vector's components: a short text is too
    short to judge, whatever its vector says."""
    return sum(not f.startswith(DENSE) for f in feats)
