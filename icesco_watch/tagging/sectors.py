"""The sector classifier: which ICESCO sectors an item belongs to, and the evidence for each.

Multi-label and explainable. Evidence is scored per sector, strongest first:

- the sector's own unit named in the text ("the Education Sector", "قطاع التربية"), or a
  governing body or the Director-General for `governance` — decisive, unless the unit belongs
  to another body ("… Sector of the League of Arab States", "UNESCO Director-General", "the
  Girl Education Sector at the ministry");
- a site category that is the sector's own (generic streams such as "news" say nothing);
- a head or expert of the sector named in the text;
- keywords: strong ones weigh 2, weak ones 1, more when repeated or in the title.

ICESCO's own name ("Islamic World Educational, Scientific and Cultural Organization", in any
language) is replaced by one neutral token before anything is matched, so "educational" and
"cultural" in the name never count. A sector needs `THRESHOLD` points; keyword-only sectors
must also reach `RELATIVE` of the best keyword score, so a passing mention beside the item's
real subject is not a tag. Nothing reaching the threshold gives an empty result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from icesco_watch.config.schema import SectorConfig
from icesco_watch.tagging.text import PhraseIndex, fold, phrase, tokens

THRESHOLD = 2.0
RELATIVE = 0.34
UNIT = 4.0
CATEGORY = 4.0
PERSON = 3.0
STRONG = 2.0
WEAK = 1.0
ICESCO = "\x01icesco"  # cannot come out of tokens(): the text's own words never collide
MASKED = "\x02"  # stands for each word of a unit name already scored

ICESCO_NAMES = (
    "Islamic World Educational, Scientific and Cultural Organization",
    "Islamic World Educational Scientific and Cultural Organisation",
    "Islamic Educational, Scientific and Cultural Organization",
    "Organisation du monde islamique pour l'éducation, la science et la culture",
    "Organisation islamique pour l'éducation, les sciences et la culture",
    "منظمة العالم الإسلامي للتربية والعلوم والثقافة",
    "المنظمة الإسلامية للتربية والعلوم والثقافة",
    "ICESCO",
    "ISESCO",
    "الإيسيسكو",
    "إيسيسكو",
    "الايسيسكو",
    "ايسيسكو",
)

# Words that, right after a unit's name ("… of the X", "… at the X", "… بوزارة"), show the unit
# belongs to another body. ICESCO itself (and "the Organization") is not among them.
_FOREIGN_BODIES = (
    "league",
    "ministry",
    "ministries",
    "minister",
    "university",
    "universities",
    "alecso",
    "unesco",
    "government",
    "library",
    "agency",
    "bank",
    "foundation",
    "company",
    "institute",
    "federation",
    "union",
    "arab",
    "islamic",
    "national",
    "kingdom",
    "republic",
    "state",
    "council",
    "authority",
    "department",
    "faculty",
    "school",
    "un",
    "united",
    "world",
    "african",
    "ligue",
    "ministère",
    "ministre",
    "université",
    "gouvernement",
    "bibliothèque",
    "agence",
    "banque",
    "fondation",
    "institut",
    "union",
    "arabe",
    "royaume",
    "république",
    "faculté",
    "جامعة",
    "وزارة",
    "الوزارة",
    "الألكسو",
    "اليونسكو",
    "حكومة",
    "مكتبة",
    "وكالة",
    "بنك",
    "مؤسسة",
    "معهد",
    "اتحاد",
    "المملكة",
    "جمهورية",
    "كلية",
    "الأمم",
)
_LINKS = ("of", "at", "in", "from", "de", "du", "des", "d", "la", "le", "l", "au", "في", "لدى")
_ARTICLES = ("the", "la", "le", "l", "les")
# Words that may stand right before an English or French unit name. Anything else is taken as a
# modifier that makes it another unit ("the Girl Education Sector", "UNESCO Director-General").
_BEFORE_OK = (
    "the",
    "its",
    "s",
    "of",
    "by",
    "and",
    "with",
    "to",
    "from",
    "for",
    "in",
    "at",
    "on",
    "as",
    "between",
    "said",
    "says",
    "via",
    "organization",
    "organisation",
    "current",
    "former",
    "new",
    "le",
    "la",
    "l",
    "les",
    "du",
    "de",
    "des",
    "d",
    "par",
    "et",
    "avec",
    "au",
    "aux",
    "pour",
    "son",
    "sa",
    "ses",
    "que",
    "a",
    "an",
    "a",
    "dr",
    "sector",
    "secteur",
    "dg",
)


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

    def __init__(self, sectors: Sequence[SectorConfig]) -> None:
        self.keys = tuple(s.key for s in sectors)
        self.absorbs = {s.key: frozenset(s.absorbs) for s in sectors}
        self.units = sorted(_terms(sectors, "units"), key=lambda t: -len(t.words))
        self.people = _terms(sectors, "people")
        self.strong = _terms(sectors, "strong_keywords")
        self.weak = _terms(sectors, "keywords")
        self.categories: dict[str, list[tuple[str, str]]] = {}
        for s in sectors:
            for category in s.categories:
                self.categories.setdefault(_category_key(category), []).append((s.key, category))
        self.icesco_names = sorted({phrase(n) for n in ICESCO_NAMES}, key=len, reverse=True)
        self.foreign = frozenset(w for body in _FOREIGN_BODIES for w in tokens(body))
        self.links = frozenset(w for link in _LINKS for w in tokens(link))
        self.articles = frozenset(_ARTICLES)
        self.before_ok = frozenset(_BEFORE_OK)
        every = self.units + self.people + self.strong + self.weak
        self.max_len = max((len(t.words) for t in every), default=1)

    def classify(
        self, title: str, text: str, categories: Sequence[str] = (), lang: str | None = None
    ) -> SectorTags:
        """Sectors of one item from its title, plain text and site categories."""
        title_words = self._neutralise(tokens(title))
        title_index = PhraseIndex(title_words, self.max_len)
        words = [*title_words, "\x00", *self._neutralise(tokens(text))]
        scores = {key: _Score() for key in self.keys}
        # Unit names are masked once scored, so their words do not count again as keywords:
        # "Human and Social Sciences Sector" is not evidence for science, and another body's
        # "Media and Communication Sector of the League …" is no evidence for media.
        for start, size in self._score_units(PhraseIndex(words, self.max_len), scores):
            words[start : start + size] = [MASKED] * size
        index = PhraseIndex(words, self.max_len)
        self._score_categories(categories, scores)
        for term in self.people:
            if term.words in index:
                self._decide(scores[term.sector], PERSON, f"names {term.label}")
        for terms, weight in ((self.strong, STRONG), (self.weak, WEAK)):
            for term in terms:
                count = len(index.positions(term.words))
                if count:
                    score = scores[term.sector]
                    bonus = 1.0 + 0.25 * min(count - 1, 2) + 0.25 * (term.words in title_index)
                    score.keywords += weight * bonus
                    score.matched.append(term.label)
        return self._decide_all(scores)

    def _neutralise(self, words: list[str]) -> list[str]:
        """ICESCO's own name, in any language, becomes one token that no term contains."""
        out: list[str] = []
        i = 0
        while i < len(words):
            for name in self.icesco_names:
                if tuple(words[i : i + len(name)]) == name:
                    out.append(ICESCO)
                    i += len(name)
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def _score_units(self, index: PhraseIndex, scores: dict[str, _Score]) -> list[tuple[int, int]]:
        """Score ICESCO's own units; return the spans of every unit name found."""
        spans: list[tuple[int, int]] = []
        for term in self.units:  # longest first: "قطاع الإعلام" inside a longer (foreign) name
            for start in index.positions(term.words):
                end = start + len(term.words)
                if any(s <= start and end <= s + n for s, n in spans):
                    continue
                spans.append((start, len(term.words)))
                if self._own_unit(index.tokens, start, len(term.words)):
                    self._decide(scores[term.sector], UNIT, f"mentions '{term.label}'")
        return spans

    def _own_unit(self, words: Sequence[str], start: int, size: int) -> bool:
        """False when the unit at `start` is another body's (see `_FOREIGN_BODIES`)."""
        before = words[start - 1] if start > 0 else ""
        latin = words[start][:1].isascii()
        if latin and before and before not in self.before_ok and before != ICESCO:
            return False
        after = list(words[start + size : start + size + 4])
        while after and (after[0] in self.links or after[0] in self.articles):
            after.pop(0)
        return not (after and after[0] in self.foreign)

    def _score_categories(self, categories: Sequence[str], scores: dict[str, _Score]) -> None:
        for category in categories:
            for sector, label in self.categories.get(_category_key(category), []):
                self._decide(scores[sector], CATEGORY, f"site category '{label}'")

    @staticmethod
    def _decide(score: _Score, weight: float, reason: str) -> None:
        if reason not in score.reasons:
            score.decisive += weight
            score.reasons.append(reason)

    def _decide_all(self, scores: dict[str, _Score]) -> SectorTags:
        best = max((s.decisive + s.keywords for s in scores.values()), default=0.0)
        chosen: list[tuple[float, str]] = []
        evidence: dict[str, tuple[str, ...]] = {}
        decided = [k for k, s in scores.items() if s.decisive >= THRESHOLD]
        absorbed = frozenset().union(*(self.absorbs[k] for k in decided))
        for key, score in scores.items():
            keyword_ok = (
                score.keywords >= THRESHOLD
                and score.keywords >= RELATIVE * best
                and key not in absorbed
            )
            if score.decisive >= THRESHOLD or keyword_ok:
                reasons = list(score.reasons)
                if score.matched:
                    shown = ", ".join(f"'{m}'" for m in dict.fromkeys(score.matched[:4]))
                    reasons.append(f"keywords {shown}")
                chosen.append((score.decisive + score.keywords, key))
                evidence[key] = tuple(reasons)
        chosen.sort(key=lambda pair: (-pair[0], self.keys.index(pair[1])))
        return SectorTags(tuple(key for _, key in chosen), evidence)


def _category_key(category: str) -> str:
    """Slugs and names compare equal: "science-technology", "Science Technology", and a
    percent-encoded Arabic slug with the Arabic it encodes."""
    text = unquote(category).replace("_", " ").replace("-", " ")
    return "-".join(fold(text).split())
