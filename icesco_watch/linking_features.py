"""What the cross-language linker reads of one item, extracted once per item.

An item's numbers (and ordinals in words), named places, ICESCO notions (through the trilingual
tables of `linking_terms`), Latin-script names and the consonant skeletons that let a Latin name
meet its Arabic spelling. `features` is cached per item, so scoring a pair is a few set
intersections (`icesco_watch.linking` scores every same-window pair, and a backfill has many).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from icesco_watch.linking_dates import stated_days
from icesco_watch.linking_terms import (
    ACTS,
    COMMON_NAMES,
    COMMON_SOUNDS,
    GENERIC,
    NOTIONS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    PHASES,
    PLACES,
)
from icesco_watch.tagging.text import fold

CONCEPTS = {**PLACES, **NOTIONS, **GENERIC}


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
class Features:
    """One item's evidence, language-independent where it can be."""

    concepts: frozenset[str]
    title_places: frozenset[str]
    title_concepts: frozenset[str]
    # Numbers past 31 other than the years around publication, and ordinals ("#14").
    numbers: frozenset[str]
    # Capitalised Latin words other than the names every ICESCO item carries.
    names: frozenset[str]
    # Consonant skeletons: of the Latin names, or of every Arabic word (see `skeleton`).
    sounds: frozenset[str] = frozenset()
    # Distinctive numbers of the title (a session past the tenth, a count past 31): checked
    # against the other version's whole text.
    title_numbers: frozenset[str] = frozenset()
    # Latin names of the title (capitalised in the body too): whom the headline is about.
    title_names: frozenset[str] = frozenset()
    # The day of a several-day event the title reports (opening, second day, closing).
    phases: frozenset[str] = frozenset()
    # What the title reports being done (a visit or audience, a signing, a launch, an award).
    acts: frozenset[str] = frozenset()
    # The skeletons of every word of a Latin-script text, capitalised or not, and their first
    # four letters.
    words: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    # What the headline itself names, for `linking_story`: the consonant skeletons of its
    # names (of every word of an Arabic headline, prefixes off) and its numbers, years included.
    title_sounds: frozenset[str] = frozenset()
    title_figures: frozenset[str] = frozenset()
    # The days of the year the text states ("on 14 May"): a story's versions state the same.
    days: frozenset[int] = frozenset()
    # The session or edition number the headline states, in digits or in words ("seventh
    # session", "الدورة السابعة"): which session of a programme the story is about.
    title_ordinals: frozenset[str] = frozenset()

    @property
    def places(self) -> frozenset[str]:
        """The places and countries named anywhere in the item."""
        return self.concepts & PLACES.keys()


def _ordinal_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # "الثاني" or "الثانية" as a whole word, and not "الثاني عشر" (the twelfth).
    latin, arabic = [w for w in words if w.isascii()], [w for w in words if not w.isascii()]
    forms = [rf"\b{w}\b" for w in latin] + [rf"{w}ه?(?![^\W_])(?!\s+عشر)" for w in arabic]
    return re.compile("|".join(forms))


_ORDINAL_PATTERNS = tuple((f"#{n}", _ordinal_pattern(w)) for n, w in ORDINAL_WORDS.items())
_NUMBER_WORDS = tuple((fold(w), v) for w, v in NUMBER_WORDS.items())
_DIGITS = re.compile(r"\d+")
# "14th", "42nd", "14e", "11ème": the session or edition number, a strong sign of one event.
_ORDINAL = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th|e|eme|er|re)\b")
# Capitalised Latin words: names of people, places and bodies (EN <-> FR; rare in Arabic text).
# Not a sentence's first word ("Speakers said", "They", "Journée"): after a space, not at a line's
# start nor after a word's full stop ("... said. They"); after "Dr." it is a name.
_NAME = re.compile(r"(?<=\S )(?<![a-z]{3}[.!?:] )[A-Z][a-zA-Z\u00c0-\u017f'-]{3,}")
# In a headline, the first word too ("Samarkand launched..."), when the body names it as well.
_TITLE_NAME = re.compile(r"\b[A-Z][a-zA-Z\u00c0-\u017f'-]{3,}")
_COMMON_NAMES = frozenset(fold(w) for w in COMMON_NAMES)
_POSSESSIVE = re.compile(r"'s$|^[ld]'")

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
# Arabic has no v and writes it f ("Tokayev", توقاييف).
_LATIN_SPELLINGS = (
    ("ch", "sh"), ("ou", "w"), ("q", "k"), ("c", "k"), ("ph", "f"), ("x", "ks"), ("v", "f"),
)  # fmt: skip
_LATIN_WORD = re.compile(r"\b[a-z]{4,}")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{3,}")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A name's consonants, doubled letters once, Latin and Arabic alike."""
    if word.isascii():
        for spelling, sound in _LATIN_SPELLINGS:
            word = word.replace(spelling, sound)
        word = re.sub(r"[aeiouyw'-]", "", word)
    else:
        word = word.translate(_ARABIC_CONSONANTS)
    return re.sub(r"(.)\1+", r"\1", word)


def _compile(form: str) -> tuple[str, re.Pattern[str]]:
    """The form's folded letters (a quick substring test first: most forms are absent from
    most items, and `in` is much cheaper than a search) and its pattern."""
    # A trailing "$" asks for the end of the word ("الرياض", Riyadh, is not "الرياضه", sport).
    end = r"(?![^\W_])" if form.endswith("$") else ""
    folded = fold(form.strip("^$"))
    start = r"\b" if folded.isascii() else ""
    if form.startswith("^"):
        # A leading "^" asks for the start of an Arabic word, a glued preposition or "and"
        # allowed ("بدبي", in Dubai), not a longer word's inside ("الأدبي", literary).
        start = r"(?<![^\W_])[وبلفك]?"
    return folded, re.compile(start + re.escape(folded) + end)


_Forms = tuple[tuple[str, tuple[tuple[str, re.Pattern[str]], ...]], ...]
_PATTERNS: _Forms = tuple((key, tuple(map(_compile, forms))) for key, forms in CONCEPTS.items())


_PHASE_PATTERNS: _Forms = tuple((key, tuple(map(_compile, forms))) for key, forms in PHASES.items())
_ACT_PATTERNS: _Forms = tuple((key, tuple(map(_compile, forms))) for key, forms in ACTS.items())


def _found(folded: str, table: _Forms) -> frozenset[str]:
    return frozenset(
        key for key, forms in table if any(lit in folded and p.search(folded) for lit, p in forms)
    )


def _concepts(folded: str) -> frozenset[str]:
    return _found(folded, _PATTERNS)


@lru_cache(maxsize=65536)
def _is_concept(name: str) -> bool:
    return bool(_concepts(name))


def _phases(title: str) -> frozenset[str]:
    """The days of an event `title` (folded) reports."""
    found = _found(title, _PHASE_PATTERNS)
    # "Second day of the conference opens": the second day, not the opening.
    return frozenset(found - {"opening"} if "second-day" in found else found)


@lru_cache(maxsize=4096)
def features(doc: LinkDoc) -> Features:
    """`doc`'s evidence (cached: a doc meets every other-language doc of its days; a `Linker`
    also keeps its run's, whatever this cache holds)."""
    raw = f"{doc.title}\n{doc.text}"
    folded = fold(raw)
    numbers = {n.lstrip("0") for n in _DIGITS.findall(folded)}
    numbers |= {v for w, v in _NUMBER_WORDS if w in folded}
    # Years around publication and day numbers are shared by every same-week item: not evidence.
    year = doc.published.year
    numbers = {n for n in numbers if n and not (len(n) <= 2 and int(n) <= 31)}
    numbers -= {str(y) for y in range(year - 1, year + 2)}
    numbers |= {"#" + n for n in _ORDINAL.findall(folded)}
    numbers |= {key for key, pat in _ORDINAL_PATTERNS if pat.search(folded)}
    names = _names(raw)
    plain = frozenset() if doc.lang == "ar" else frozenset(_LATIN_WORD.findall(folded))
    title = fold(doc.title)
    in_title = _concepts(title) - GENERIC.keys()
    if doc.lang == "ar":
        sounds = frozenset(skeleton(w) for w in _arabic_words(folded))
        heard = frozenset(skeleton(w) for w in _arabic_words(title, _CLITICS))
    else:
        sounds = frozenset(skeleton(n) for n in names)
        heard = frozenset(skeleton(n) for n in _names(doc.title, _TITLE_NAME))
    return Features(
        concepts=_concepts(folded),
        title_places=in_title & PLACES.keys(),
        title_concepts=in_title,
        numbers=frozenset(numbers),
        names=names,
        sounds=frozenset(s for s in sounds if len(s) >= 3) - COMMON_SOUNDS,
        title_numbers=_title_numbers(title, doc.published.year),
        # Capitalised in the body too: a proper name, not a headline's Title Case.
        title_names=_names(doc.title, _TITLE_NAME) & _names(doc.text),
        phases=_phases(title),
        acts=_found(title, _ACT_PATTERNS),
        words=frozenset(map(skeleton, plain)),
        stems=frozenset(w[:4] for w in plain),
        title_sounds=frozenset(s for s in heard if len(s) >= 3) - COMMON_SOUNDS,
        title_figures=frozenset(
            n.lstrip("0") for n in _DIGITS.findall(title) if len(n) > 2 or int(n) > 31
        )
        - {""},
        days=stated_days(folded),
        title_ordinals=frozenset(
            {"#" + n.lstrip("0") for n in _ORDINAL.findall(title)}
            | {key for key, pat in _ORDINAL_PATTERNS if pat.search(title)}
        ),
    )


# Letters Arabic glues on a word: "بأستانا" is "in Astana", "وسمرقند" "and Samarkand".
_CLITICS = ("ب", "ل", "و", "ف", "ك")


def _arabic_words(folded: str, clitics: tuple[str, ...] = ()) -> list[str]:
    """An Arabic text's words, the article off ("الرباط": rbt), and with `clitics`, each word
    that starts with one of them also without it."""
    words = _ARABIC_WORD.findall(folded)
    words += [w[1:] for w in words if w.startswith(clitics) and len(w) > 4]
    # A word spelt with "ال" is an article's word or a Latin name's ("ألكسندر", Alexandre):
    # both readings are kept.
    return words + [w[2:] for w in words if w.startswith("ال") and len(w) > 4]


def _names(text: str, pattern: re.Pattern[str] = _NAME) -> frozenset[str]:
    # "ICESCO's", "l'ICESCO" and "COVID-19" are ICESCO and COVID: common names, not evidence.
    return frozenset(filter(None, map(_name, pattern.findall(text))))


@lru_cache(maxsize=65536)
def _name(word: str) -> str | None:
    """A capitalised word as a name to compare, or None for a common name or a concept of the
    tables: a place's name is already a place (`concepts`), and counting it again would weigh
    every story of one trip or one city twice; and a translated word ("Heritage", French
    "Patrimoine") missing from the other version's Latin words proves nothing."""
    name = _POSSESSIVE.sub("", fold(word)).strip("-'")
    if len(name) < 4 or name in _COMMON_NAMES or _is_concept(name):
        return None
    return name


def _title_numbers(folded: str, year: int) -> frozenset[str]:
    """A folded title's distinctive numbers (see `Features.title_numbers`)."""
    counts = {n.lstrip("0") for n in _DIGITS.findall(folded)}
    ordinals = {n for n in _ORDINAL.findall(folded) if int(n) > 10}
    return frozenset(
        {n for n in counts if n and int(n) > 31 and not is_year(n) and abs(int(n) - year) > 1}
        | {"#" + n for n in ordinals}
    )


def is_year(number: str) -> bool:
    """A four-digit number of the 1900s or 2000s."""
    return len(number) == 4 and number[:2] in ("19", "20")
