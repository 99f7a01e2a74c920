"""Cross-language story linking: do two items in different languages report the same story?

Pure functions. ICESCO's three editions (EN, FR, AR) are written separately, not translated word
for word, so the signals are language-independent (`linking_features`): shared numbers (and
ordinals in words), named places, organisations and recurring ICESCO notions, Latin-script names
(EN <-> FR) and their Arabic spellings by consonant skeleton, shared sector tags, the same image,
and the distance between publication days.

Precision first: a wrong link merges two stories' alerts, which is worse than none. So a link
needs a specific anchor (a shared number other than a year, place, name, image, or two notions
both headlines put together: the everyday vocabulary of ICESCO news, a forum or a minister, is
shared by many items a week); what one version names and the other contradicts (places, people,
a headline's number, name or place, the day of a several-day event, the day of the year the
texts state: `linking_dates`) counts against it; shared numbers weigh at most NUMBERS_CAP
together (one programme's editions repeat its figures); and a story has at most one version
per language: `link` keeps only mutual best matches above the threshold and clearly ahead of
the runner-up. A `Linker` holds one run's docs (a backfill's, a store window's) so that each
doc's features are extracted once and each pair is scored once.

One event, many stories: ICESCO covers a COP, a General Conference or a week of culture with
several stories on the same days, all naming the event, its city and its people. Within a run,
evidence weighs its weight over the number of same-language items of its days (SPREAD_DAYS
either side) that carry it (`linking_spread`, read from the run itself, no label); an anchor
UMBRELLA items carry is the umbrella's and sets no story apart, and one the pair's item and a
clearly worse candidate carry (one event's second story in a language: a forum's speech beside
its delegation, sharing with the other version nothing the delegation does not and lacking a
name or number it shares; `Spread.worse`) weighs as the story's; and headlines reporting
different acts (a visit to the pavilion, the opening, a signing) count against a link. What
sets one of the event's stories apart is in its headline, and weighs its full weight there
(`linking_story`): a name or a number both headlines carry, the same act both report.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from icesco_watch.linking_contradictions import contradictions
from icesco_watch.linking_features import CONCEPTS, Features, LinkDoc, features, is_year
from icesco_watch.linking_spread import Spread, tokens
from icesco_watch.linking_story import headline as _headline
from icesco_watch.linking_terms import GENERIC, NOTIONS, PLACES

__all__ = [
    "MARGIN",
    "MAX_DAYS",
    "NAMES_CAP",
    "SPREAD_DAYS",
    "THRESHOLD",
    "UMBRELLA",
    "LinkDoc",
    "Linker",
    "Match",
    "best",
    "candidates",
    "link",
]

MAX_DAYS = 3
# The lowest threshold with no wrong link on the tune part of tests/linking/data/pairs.jsonl
# (3.25) plus a safety margin of 1.25 (bench/linking_eval.py --tune, --cv 5: the curve and each
# margin's cross-validated figures; SAFETY there says why 1.25).
THRESHOLD = 4.5
MARGIN = 1.5
# Shared numbers weigh at most this much together (names: NAMES_CAP, in both scripts: 3.0). One
# programme's editions repeat its figures (100 young ambassadors from 68 countries, 180 in
# all): three or four shared numbers are often one fact. With the cap, the corpus folded into
# 30 or 60 days with a week-shifted copy (bench/linking_eval.py --dense) makes 2 and 3 certainly
# wrong links fewer with the place rule below; the tune part and its curve are unchanged.
NUMBERS_CAP = 5.0
# Shared Latin names weigh at most this much together: one person's or body's full name is
# several capitalised words (an ambassador "Alexandre Guido Lopes Parola", a university
# "Abdelmalek Essaadi"), and at 4.0 a partner state's request to join and, months later, its
# ambassador's audience (one ambassador named in both) linked in bench/linking_eval.py --dense
# (60 days with a week-shifted copy) once the state counts as a place in either form (Brazil,
# Brésil); at 3.5 --dense keeps its certainly wrong links and the tune part its figures.
NAMES_CAP = 3.5

_WEIGHTS = {
    **dict.fromkeys(PLACES, 2.0),
    **dict.fromkeys(NOTIONS, 1.5),
    **dict.fromkeys(GENERIC, 0.5),
}
assert _WEIGHTS.keys() == CONCEPTS.keys()
_WEAK_ORDINALS = frozenset({"#2", "#3"})
# An anchor carried by this many items of one language in the window or more is an umbrella
# event's (its city, its name, its session), not a story's: no longer the specific anchor a link
# needs. Two still set a story apart (a story and its follow-up): with 2 here, the tune part
# loses two same-story pairs at 4.5 and no wrong link (bench/linking_eval.py --cv 5); 4 gives
# the figures of 3.
UMBRELLA = 3
# The window in which an anchor's items are counted: one event's stories share its days (a COP's
# first days, a conference's two or three); ±2 days, not MAX_DAYS, on the tune curve and in
# --dense alike (±3 counts a neighbouring week's stories too; ±1 misses a COP's third day).
SPREAD_DAYS = 2


@dataclass(frozen=True)
class Match:
    """A scored pair with the evidence that made the score."""

    key: str
    other: str
    score: float
    evidence: tuple[str, ...] = field(default=())
    # The specific evidence (numbers, places, names, image) without which nothing is linked.
    anchors: tuple[str, ...] = field(default=())


def score(a: LinkDoc, b: LinkDoc) -> Match:
    """How strongly `a` and `b` (different languages) look like one story, with the evidence,
    the pair seen alone (no window around it: every anchor a story's; `Linker.score` weighs
    them by the run's spread)."""
    total, evidence, anchors = _score(a, features(a), b, features(b))
    return Match(a.key, b.key, round(total, 3), tuple(evidence), tuple(anchors))


def _alone(token: str) -> int:
    """The spread of every token when a pair is scored outside a run: a story's."""
    return 1


def _score(
    a: LinkDoc, fa: Features, b: LinkDoc, fb: Features, spread: Callable[[str], int] = _alone
) -> tuple[float, list[str], list[str]]:
    """`spread(token)`: in how many items of its language and window the more widespread of
    the pair's two docs carries the token (`linking_spread`). Evidence weighs its weight over
    that count, and only a story's anchor (fewer than UMBRELLA items) is specific."""
    evidence: list[str] = []
    anchors: list[str] = []
    total = 0.0
    umbrella: list[str] = []

    def weigh(token: str, weight: float) -> float:
        n = spread(token)
        if n > 1:
            umbrella.append(token.split(":", 1)[1])
        return weight / n

    def story(kind: str, values: Iterable[str]) -> list[str]:
        return [v for v in values if spread(kind + v) < UMBRELLA]

    concepts = sorted(fa.concepts & fb.concepts)
    if concepts:
        total += sum(weigh("c:" + c, _WEIGHTS[c]) for c in concepts)
        evidence.append("concepts: " + ", ".join(concepts))
        anchors += story("c:", (c for c in concepts if c in PLACES))
    headline = sorted(fa.title_concepts & fb.title_concepts)
    if headline:
        # What both headlines are about weighs more than what both bodies mention.
        total += sum(1.0 / spread("c:" + c) for c in headline)
        evidence.append("in both titles: " + ", ".join(headline))
        if len(story("c:", headline)) >= 2:
            # Two notions both headlines put together (calligraphy and choreography).
            anchors.append("headline: " + " + ".join(headline))
    total += contradictions(a, fa, b, fb, evidence)
    story_total, story_evidence = _headline(a, fa, b, fb)
    total += story_total
    evidence += story_evidence
    both = fa.numbers & fb.numbers
    # "The 47th session" is the number 47 too: one fact, counted once, as the session's ordinal
    # (a 47th session weighed 4.0, a 14th 1.5; one event's two stories shared both).
    numbers = sorted(n for n in both if "#" + n not in both)
    if numbers:
        total += min(
            sum(
                weigh("n:" + n, 1.0 if is_year(n) else 1.5 if n.startswith("#") else 2.5)
                for n in numbers
            ),
            NUMBERS_CAP,
        )
        evidence.append("numbers: " + ", ".join(numbers))
        # "Second" and "third" are everyday words too ("the second pillar"): not anchors.
        anchors += story("n:", (n for n in numbers if not is_year(n) and n not in _WEAK_ORDINALS))
    names = sorted(fa.names & fb.names)
    if names:
        total += min(sum(weigh("p:" + n, 1.0) for n in names), NAMES_CAP)
        evidence.append("names: " + ", ".join(names))
        anchors += story("p:", names)
    if "ar" in (a.lang, b.lang) and a.lang != b.lang:
        sounds = sorted(fa.sounds & fb.sounds)
        if sounds:
            # A Latin name spelt in Arabic letters: a person or place both versions name.
            total += min(sum(weigh("s:" + s, 1.0) for s in sounds), 3.0)
            evidence.append("names in both scripts: " + ", ".join(sounds))
            # Three consonants are an Arabic root as often as a name: one such match is chance.
            own = story("s:", sounds)
            anchors += own if len(own) >= 2 else [s for s in own if len(s) >= 4]
    shared = set(a.sectors) & set(b.sectors)
    if shared:
        total += 0.5
        evidence.append("sectors: " + ", ".join(sorted(shared)))
    elif a.sectors and b.sectors:
        total -= 1.0
    if a.image and a.image == b.image:
        total += weigh("i:" + a.image, 5.0)
        evidence.append("same image")
        anchors += ["image"] if spread("i:" + a.image) == 1 else []
    days = abs((a.published - b.published).days)
    total -= 0.75 * days
    evidence.append(f"{days} day(s) apart")
    if umbrella:
        evidence.append("shared with other items of the window: " + ", ".join(sorted(umbrella)))
    return total, evidence, anchors


def candidates(doc: LinkDoc, pool: Iterable[LinkDoc]) -> list[LinkDoc]:
    """The items of other languages published within MAX_DAYS of `doc`."""
    return [
        o
        for o in pool
        if o.lang != doc.lang and abs((o.published - doc.published).days) <= MAX_DAYS
    ]


class Linker:
    """The docs of one linking run, by language and day, with each doc's features extracted
    once and each pair scored once: linking is quadratic in same-window items, so neither the
    scan, the features nor the score is repeated. `best` for many docs of one pool (a backfill)
    shares all three."""

    def __init__(self, docs: Iterable[LinkDoc]) -> None:
        by_lang: dict[str, list[LinkDoc]] = {}
        for doc in docs:
            by_lang.setdefault(doc.lang, []).append(doc)
        self.langs = sorted(by_lang)
        self._docs = {lang: sorted(ds, key=lambda d: d.published) for lang, ds in by_lang.items()}
        self._days = {
            lang: [d.published.toordinal() for d in ds] for lang, ds in self._docs.items()
        }
        self._scores: dict[tuple[str, str], tuple[float, tuple[str, ...], tuple[str, ...]]] = {}
        # Each doc's features once per run, whatever the size of `features`' own cache.
        self._features: dict[str, Features] = {}
        self._spread: Spread | None = None

    def features(self, doc: LinkDoc) -> Features:
        found = self._features.get(doc.key)
        if found is None:
            found = self._features[doc.key] = features(doc)
        return found

    def near(self, doc: LinkDoc, lang: str) -> list[LinkDoc]:
        """The docs of `lang` published within MAX_DAYS of `doc`."""
        day = doc.published.toordinal()
        days = self._days.get(lang, [])
        lo, hi = bisect_left(days, day - MAX_DAYS), bisect_right(days, day + MAX_DAYS)
        return self._docs[lang][lo:hi]

    def score(self, a: LinkDoc, b: LinkDoc) -> Match:
        # The score is symmetric: (a, b) and (b, a) share one entry.
        pair = (a.key, b.key) if a.key <= b.key else (b.key, a.key)
        found = self._scores.get(pair)
        if found is None:
            total, evidence, anchors = _score(
                a, self.features(a), b, self.features(b), self._pair_spread(a, b)
            )
            found = (round(total, 3), tuple(evidence), tuple(anchors))
            self._scores[pair] = found
        return Match(a.key, b.key, *found)

    def _pair_spread(self, a: LinkDoc, b: LinkDoc) -> Callable[[str], int]:
        if self._spread is None:
            # Built on first use: every doc's features, once, over the whole run.
            docs = (d for ds in self._docs.values() for d in ds)
            self._spread = Spread(docs, self.features, SPREAD_DAYS)
        spread = self._spread
        count = spread.count
        seen: dict[str, int] = {}
        # Built on first need (an anchor two items of a language carry), once per pair.
        worse: dict[str, list[frozenset[str]]] = {}

        def rivals(doc: LinkDoc, other: LinkDoc) -> list[frozenset[str]]:
            found = worse.get(doc.key)
            if found is None:
                # A contradicted pair (a headline's place, name or number missing in the
                # other, different acts or days) finds no rival worse than itself: one visit's
                # heritage tour and its talks with the minister both name the minister (tune:
                # a wrong link at 4.0 without this).
                clean = contradictions(a, self.features(a), b, self.features(b), []) >= 0
                own, theirs = self._tokens(doc), self._tokens(other)
                found = spread.worse(doc, own, theirs, _specific) if clean else []
                worse[doc.key] = found
            return found

        def side(doc: LinkDoc, other: LinkDoc, token: str) -> int:
            n = count(doc, token)
            if n == 2 and any(token in rival for rival in rivals(doc, other)):
                # One event's second story in `doc`'s language, a clearly worse candidate for
                # `other` (a forum's speech beside its delegation): the anchor is still this
                # story's. Three carriers are the umbrella's, whatever they share (--dense
                # gains certainly wrong links when the worse of three or more are left out).
                return 1
            return n

        def pair(token: str) -> int:
            # Asked twice a token (its weight, then whether it is a story's anchor).
            found = seen.get(token)
            if found is None:
                found = seen[token] = max(side(a, b, token), side(b, a, token))
            return found

        return pair

    def _tokens(self, doc: LinkDoc) -> frozenset[str]:
        return tokens(doc, self.features(doc))

    def best(
        self, doc: LinkDoc, threshold: float = THRESHOLD, margin: float = MARGIN
    ) -> list[Match]:
        """As the module's `best`, `doc` being one of this run's docs."""
        found: list[Match] = []
        for lang in self.langs:
            if lang == doc.lang:
                continue
            options = self.near(doc, lang)
            scored = sorted((self.score(doc, o) for o in options), key=_order)
            if not scored or not _linkable(scored, threshold, margin):
                continue
            top = scored[0]
            other = next(o for o in options if o.key == top.other)
            # Mutual: `doc` must also be the clear best of its language for `other`.
            back = sorted((self.score(other, o) for o in self.near(other, doc.lang)), key=_order)
            if back and back[0].other == doc.key and _clear(back, margin):
                found.append(top)
        return found


def _specific(token: str) -> bool:
    """What sets one of an event's stories apart from its others (`Spread.worse`): a name, a
    number other than a year or a weak ordinal, the image, a skeleton of four consonants or
    more. Not a place or a notion: one event's stories all name its city and country (counted
    as such, --dense at 3.5 gains 4 certainly wrong links, Baku's Executive Council against
    President Aliyev's audiences, and the tune part one same-story pair)."""
    kind, value = token.split(":", 1)
    if kind == "c":
        return False
    if kind == "n":
        return not is_year(value) and value not in _WEAK_ORDINALS
    if kind == "s":
        return len(value) >= 4
    return True


def _order(m: Match) -> tuple[float, str]:
    return (-m.score, m.other)


def _linkable(scored: Sequence[Match], threshold: float, margin: float) -> bool:
    top = scored[0]
    return top.score >= threshold and bool(top.anchors) and _clear(scored, margin)


def best(
    doc: LinkDoc, pool: Sequence[LinkDoc], threshold: float = THRESHOLD, margin: float = MARGIN
) -> list[Match]:
    """For each other language, the mutual best match of `doc` scoring at least `threshold`,
    with a specific anchor, and ahead of the runner-up by `margin`, seen from both sides."""
    return Linker([doc, *(o for o in pool if o.key != doc.key)]).best(doc, threshold, margin)


def _clear(scored: Sequence[Match], margin: float) -> bool:
    """The best of `scored` (sorted, best first) leads the runner-up by at least `margin`: two
    close candidates (two articles from one trip) are a guess; a wrong link is worse than none."""
    return len(scored) < 2 or scored[0].score - scored[1].score >= margin


def link(
    docs: Sequence[LinkDoc], threshold: float = THRESHOLD, margin: float = MARGIN
) -> set[tuple[str, str]]:
    """Every linked pair among `docs` (keys sorted within each pair)."""
    pool = Linker(docs)
    pairs: set[tuple[str, str]] = set()
    for doc in docs:
        for m in pool.best(doc, threshold, margin):
            pairs.add((min(m.key, m.other), max(m.key, m.other)))
    return pairs
