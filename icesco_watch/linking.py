"""Cross-language story linking: do two items in different languages report the same story?

Pure functions. ICESCO's three editions (EN, FR, AR) are written separately, not translated word
for word, so the signals are language-independent: shared numbers (and ordinals in words), named
places, organisations and recurring ICESCO notions found through a small trilingual table
(`_CONCEPTS`), Latin-script names (EN <-> FR) and their Arabic spellings by consonant skeleton
(`_skeleton`), shared sector tags, the same image, and the distance between publication days. A
story has at most one version per language: `link` keeps only mutual best matches above the
threshold, because a wrong link is worse than none (precision first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from icesco_watch.linking_terms import GENERIC, NOTIONS, NUMBER_WORDS, ORDINAL_WORDS, PLACES
from icesco_watch.tagging.text import fold

MAX_DAYS = 3
# Tuned on the tune part of tests/linking/data/pairs.jsonl (bench/linking_eval.py --tune).
THRESHOLD = 4.5
MARGIN = 1.5

_WEIGHTS = {
    **dict.fromkeys(PLACES, 2.0),
    **dict.fromkeys(NOTIONS, 1.5),
    **dict.fromkeys(GENERIC, 0.5),
}
_CONCEPTS = {**PLACES, **NOTIONS, **GENERIC}


def _ordinal_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # "الثاني" or "الثانية" as a whole word, and not "الثاني عشر" (the twelfth).
    latin, arabic = [w for w in words if w.isascii()], [w for w in words if not w.isascii()]
    forms = [rf"\b{w}\b" for w in latin] + [rf"{w}ه?(?![^\W_])(?!\s+عشر)" for w in arabic]
    return re.compile("|".join(forms))


_ORDINAL_PATTERNS = tuple((f"#{n}", _ordinal_pattern(w)) for n, w in ORDINAL_WORDS.items())
_DIGITS = re.compile(r"\d+")
# "14th", "42nd", "14e", "11ème": the session or edition number, a strong sign of one event.
_ORDINAL = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th|e|eme|er|re)\b")
# Capitalised Latin words: names of people, places and bodies (EN <-> FR; rare in Arabic text).
_NAME = re.compile(r"\b[A-Z][a-zA-Z\u00c0-\u017f'-]{3,}")
# Names every ICESCO item may carry (the organisation, its seat, its Director-General).
_COMMON_NAMES = frozenset(
    fold(w)
    for w in (
        "ICESCO",
        "ISESCO",
        "Director",
        "General",
        "Directeur",
        "Islamic",
        "World",
        "Rabat",
        "Salim",
        "AlMalik",
        "Malik",
        "Culture",
        "Sciences",
        "Centre",
        "Forum",
        "President",
        "Education",
        "Organization",
        "Organisation",
        "Sector",
        "Secteur",
        "Arabic",
        "Morocco",
        "Abdelilah",
        "Benarafa",
        "Conference",
        "Council",
    )
)


# Arabic letters as Latin consonants (vowels, alif, waw, ya and ain dropped), so that a Latin
# name and its Arabic spelling share one skeleton: "Raheel Qamar" and "رحيل قمر" are rhl, kmr.
_ARABIC_CONSONANTS = str.maketrans(
    {
        **dict.fromkeys("اأإآءئؤوىيع", ""),
        "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "d",
        "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
        "غ": "gh", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
        "ة": "h", "پ": "p", "گ": "g", "چ": "ch",
    }
)  # fmt: skip
_LATIN_SPELLINGS = (("ch", "sh"), ("ou", "w"), ("q", "k"), ("c", "k"), ("ph", "f"), ("x", "ks"))
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{3,}")


def _skeleton(word: str) -> str:
    """A name's consonants, doubled letters once, Latin and Arabic alike."""
    if word.isascii():
        for spelling, sound in _LATIN_SPELLINGS:
            word = word.replace(spelling, sound)
        word = re.sub(r"[aeiouyw'-]", "", word)
    else:
        word = word.translate(_ARABIC_CONSONANTS)
    return re.sub(r"(.)\1+", r"\1", word)


def _compile(form: str) -> re.Pattern[str]:
    # A trailing "$" asks for the end of the word ("الرياض", Riyadh, is not "الرياضه", sport).
    end = r"(?![^\W_])" if form.endswith("$") else ""
    folded = fold(form.rstrip("$"))
    start = r"\b" if folded.isascii() else ""
    return re.compile(start + re.escape(folded) + end)


_PATTERNS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = tuple(
    (key, tuple(_compile(f) for f in forms)) for key, forms in _CONCEPTS.items()
)


@dataclass(frozen=True)
class LinkDoc:
    """What the linker reads of one item."""

    key: str
    lang: str
    published: date
    title: str
    text: str = ""
    sectors: tuple[str, ...] = ()
    image: str | None = None


@dataclass(frozen=True)
class Match:
    """A scored pair with the evidence that made the score."""

    key: str
    other: str
    score: float
    evidence: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Features:
    concepts: frozenset[str]
    title_places: frozenset[str]
    title_concepts: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]
    # Consonant skeletons: of the Latin names, or of every Arabic word (see `_skeleton`).
    sounds: frozenset[str] = frozenset()
    # Distinctive numbers of the title (a session past the tenth, a count past 31): checked
    # against the other version's whole text.
    title_numbers: frozenset[str] = frozenset()


def _concepts(folded: str) -> frozenset[str]:
    return frozenset(key for key, pats in _PATTERNS if any(p.search(folded) for p in pats))


@lru_cache(maxsize=4096)
def _features(doc: LinkDoc) -> _Features:
    raw = f"{doc.title}\n{doc.text}"
    folded = fold(raw)
    numbers = {n.lstrip("0") for n in _DIGITS.findall(folded)}
    numbers |= {v for w, v in NUMBER_WORDS.items() if fold(w) in folded}
    # Years around publication and day numbers are shared by every same-week item: not evidence.
    year = doc.published.year
    numbers = {n for n in numbers if n and not (len(n) <= 2 and int(n) <= 31)}
    numbers -= {str(y) for y in range(year - 1, year + 2)}
    numbers |= {"#" + n for n in _ORDINAL.findall(folded)}
    numbers |= {key for key, pat in _ORDINAL_PATTERNS if pat.search(folded)}
    names = frozenset(fold(m) for m in _NAME.findall(raw)) - _COMMON_NAMES
    in_title = _concepts(fold(doc.title)) - GENERIC.keys()
    places = in_title & PLACES.keys()
    if doc.lang == "ar":
        words = (
            w[2:] if w.startswith("ال") and len(w) > 4 else w for w in _ARABIC_WORD.findall(folded)
        )
        sounds = frozenset(_skeleton(w) for w in words)
    else:
        sounds = frozenset(_skeleton(n) for n in names)
    sounds = frozenset(s for s in sounds if len(s) >= 3)
    return _Features(
        _concepts(folded),
        places,
        in_title,
        frozenset(numbers),
        names,
        sounds=sounds,
        title_numbers=_title_numbers(doc),
    )


def _title_numbers(doc: LinkDoc) -> frozenset[str]:
    folded = fold(doc.title)
    counts = {n.lstrip("0") for n in _DIGITS.findall(folded)}
    ordinals = {n for n in _ORDINAL.findall(folded) if int(n) > 10}
    year = doc.published.year
    return frozenset(
        {n for n in counts if n and int(n) > 31 and not _is_year(n) and abs(int(n) - year) > 1}
        | {"#" + n for n in ordinals}
    )


def _is_year(number: str) -> bool:
    return len(number) == 4 and number[:2] in ("19", "20")


def score(a: LinkDoc, b: LinkDoc) -> Match:
    """How strongly `a` and `b` (different languages) look like one story, with the evidence."""
    fa, fb = _features(a), _features(b)
    evidence: list[str] = []
    total = 0.0
    concepts = sorted(fa.concepts & fb.concepts)
    if concepts:
        total += sum(_WEIGHTS[c] for c in concepts)
        evidence.append("concepts: " + ", ".join(concepts))
    headline = sorted(fa.title_concepts & fb.title_concepts)
    if headline:
        # What both headlines are about weighs more than what both bodies mention.
        total += 1.0 * len(headline)
        evidence.append("in both titles: " + ", ".join(headline))
    if fa.title_places and fb.title_places and not fa.title_places & fb.title_places:
        # The titles name different places or countries: different visits, different stories.
        total -= 4.0
        places = sorted(fa.title_places | fb.title_places)
        evidence.append("titles name different places: " + ", ".join(places))
    numbers = sorted(fa.numbers & fb.numbers)
    if numbers:
        total += sum(1.0 if _is_year(n) else 1.5 if n.startswith("#") else 2.5 for n in numbers)
        evidence.append("numbers: " + ", ".join(numbers))
    missing = _missing_numbers(a, fa, b, fb) | _missing_numbers(b, fb, a, fa)
    if missing:
        # One headline's session or count that the other version never mentions: another event.
        total -= 2.0
        evidence.append("a title's number missing in the other: " + ", ".join(sorted(missing)))
    names = sorted(fa.names & fb.names)
    if names:
        total += 1.0 * min(len(names), 4)
        evidence.append("names: " + ", ".join(names))
    if "ar" in (a.lang, b.lang) and a.lang != b.lang:
        sounds = sorted(fa.sounds & fb.sounds)
        if sounds:
            # A Latin name spelt in Arabic letters: a person or place both versions name.
            total += 1.0 * min(len(sounds), 3)
            evidence.append("names in both scripts: " + ", ".join(sounds))
    shared = set(a.sectors) & set(b.sectors)
    if shared:
        total += 0.5
        evidence.append("sectors: " + ", ".join(sorted(shared)))
    elif a.sectors and b.sectors:
        total -= 1.0
    if a.image and a.image == b.image:
        total += 5.0
        evidence.append("same image")
    days = abs((a.published - b.published).days)
    total -= 0.75 * days
    evidence.append(f"{days} day(s) apart")
    return Match(a.key, b.key, round(total, 3), tuple(evidence))


def _missing_numbers(a: LinkDoc, fa: _Features, b: LinkDoc, fb: _Features) -> set[str]:
    """`a`'s distinctive title numbers absent from `b`. Only between Latin-script versions:
    Arabic writes ordinals in words ("الثانية والأربعين"), so its silence proves nothing."""
    if "ar" in (a.lang, b.lang):
        return set()
    return {n for n in fa.title_numbers if n not in fb.numbers and n.lstrip("#") not in fb.numbers}


def candidates(doc: LinkDoc, pool: Iterable[LinkDoc]) -> list[LinkDoc]:
    """The items of other languages published within MAX_DAYS of `doc`."""
    return [
        o
        for o in pool
        if o.lang != doc.lang and abs((o.published - doc.published).days) <= MAX_DAYS
    ]


def best(
    doc: LinkDoc, pool: Sequence[LinkDoc], threshold: float = THRESHOLD, margin: float = MARGIN
) -> list[Match]:
    """For each other language, the mutual best match of `doc` scoring at least `threshold` and
    ahead of the runner-up by `margin`, seen from both sides."""
    found: list[Match] = []
    for lang in sorted({o.lang for o in pool} - {doc.lang}):
        options = [o for o in candidates(doc, pool) if o.lang == lang]
        scored = sorted((score(doc, o) for o in options), key=lambda m: (-m.score, m.other))
        if not scored or scored[0].score < threshold or not _clear(scored, margin):
            continue
        top = scored[0]
        other = next(o for o in options if o.key == top.other)
        # Mutual: `doc` must also be the clear best of its language for `other`.
        rivals = [o for o in candidates(other, pool) if o.lang == doc.lang and o.key != doc.key]
        back = sorted(
            (score(other, o) for o in [doc, *rivals]),
            key=lambda m: (-m.score, m.other != doc.key),
        )
        if back and back[0].other == doc.key and _clear(back, margin):
            found.append(top)
    return found


def _clear(scored: Sequence[Match], margin: float) -> bool:
    """The best of `scored` (sorted, best first) leads the runner-up by at least `margin`: two
    close candidates (two articles from one trip) are a guess; a wrong link is worse than none."""
    return len(scored) < 2 or scored[0].score - scored[1].score >= margin


def link(
    docs: Sequence[LinkDoc], threshold: float = THRESHOLD, margin: float = MARGIN
) -> set[tuple[str, str]]:
    """Every linked pair among `docs` (keys sorted within each pair)."""
    pairs: set[tuple[str, str]] = set()
    for doc in docs:
        for m in best(doc, docs, threshold, margin):
            pairs.add((min(m.key, m.other), max(m.key, m.other)))
    return pairs
