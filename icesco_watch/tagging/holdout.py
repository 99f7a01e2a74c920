"""Stand-ins for unseen news: which keywords cross-validation holds out of the taxonomy.

The rules' keyword lists were written while reading the train part, so cross-validation, which
retrains the model per fold, still flatters them: every train item's vocabulary is listed. A
stand-in removes part of the lists (units, heads and categories stay: they are ICESCO's own
names, and unseen news names them too) and measures the classifier on what is left. Three, from
kind to harsh, all seeded and deterministic (the same draw whatever the hash seed):

- `word`: a seeded share of every sector's keywords, entry by entry. Too kind: the synonyms,
  inflections and translations of a dropped word stay ("enseignants" gone, "enseignant" and
  "teachers" left), and they were listed from the same train items.
- `family`: a seeded share of keyword *families*, a word with its inflections and its
  translations gone at once. A keyword's family is the notion of the trilingual concept lexicon
  (concepts.py) it contains, or whose word it shares a stem prefix with ("éducatif" joins
  "education"); else the stem prefix of its longest word ("scolaire", "scolarisation").
- `lang-fr` (`lang-en`, `lang-ar`): every keyword of one language, the share ignored. Does
  French survive on units, categories, the concept lexicon and what the model learns from the
  other languages? A Latin keyword is French when it bears French spelling (accents, elision,
  French function words) or occurs in French cases and in no English one (the cases given: the
  train part; only its language is read, never its labels).

The concept lexicon itself stays in every stand-in: it is the guide's vocabulary, written from
the guide, not from the corpus (see concepts.py), and is what unlisted news falls back on.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from icesco_watch.config.schema import SectorConfig
from icesco_watch.tagging.concepts import LEXICON
from icesco_watch.tagging.evaluate import Case
from icesco_watch.tagging.text import phrase, tokens, words

HoldOut = Literal["word", "family", "lang-fr", "lang-en", "lang-ar"]
HOLD_OUTS: tuple[HoldOut, ...] = ("word", "family", "lang-fr", "lang-en", "lang-ar")
KINDS = ("strong_keywords", "keywords")
LATIN_PREFIX = 5  # letters of a folded Latin word that name its family ("educa", "scola")
ARABIC_PREFIX = 4  # of a stemmed Arabic word (article and clitics already peeled off)
# Prefixes that many unrelated words share (international/interfaith, journée/journalists,
# community/commun, literature/literacy, handicap/handicrafts): never a family by themselves.
SHARED_PREFIXES = frozenset({"inter", "journ", "commu", "liter", "handi"})
# Notions that stand beside a field's word ("International Day of Education" is education's).
FRAMES = frozenset({"day"})
FRENCH_LETTERS = frozenset("éèêëàâçôûùîïœ")
FRENCH_WORDS = frozenset({"de", "des", "du", "la", "le", "les", "l", "d", "et", "aux", "au"})
FRENCH_WORDS |= frozenset({"pour", "sur", "dans", "qu", "une", "un"})
LONGEST = 8  # the longest keyword, in tokens, that the language test looks up


def hold_out(
    sectors: Sequence[SectorConfig],
    how: HoldOut,
    fraction: float,
    seed: int = 1,
    cases: Sequence[Case] = (),
) -> list[SectorConfig]:
    """The taxonomy with the keywords of the stand-in `how` left out (see the module doc)."""
    if how == "word":
        return hold_out_keywords(sectors, fraction, seed)
    if how == "family":
        families = {k: family(k) for s in sectors for kind in KINDS for k in getattr(s, kind)}
        rng = random.Random(seed)
        gone = {f for f in sorted(set(families.values())) if rng.random() < fraction}
        return _without(sectors, lambda k: families[k] in gone)
    lang = how.removeprefix("lang-")
    french = _French(cases)
    return _without(sectors, lambda k: language(k, french) == lang)


def stand_in(how: HoldOut | None, fraction: float) -> tuple[HoldOut | None, float]:
    """The benches' options made one choice: `--drop-keywords F` alone is the `word` stand-in;
    `--hold-out` alone holds out 30% (ignored by the language stand-ins)."""
    if how is None and not fraction:
        return None, 0.0
    return how or "word", fraction or 0.3


def describe(how: HoldOut, fraction: float, seed: int) -> str:
    """How a bench names the stand-in it measured."""
    if how.startswith("lang-"):
        return f"every {how.removeprefix('lang-').upper()} keyword held out"
    unit = "keywords" if how == "word" else "keyword families"
    return f"{fraction:.0%} of {unit} held out (seed {seed})"


def hold_out_keywords(
    sectors: Sequence[SectorConfig], fraction: float, seed: int = 1
) -> list[SectorConfig]:
    """The taxonomy with `fraction` of each sector's keywords (strong and weak) left out, chosen
    by a seeded draw entry by entry (the `word` stand-in; also the model's training copy)."""
    rng = random.Random(seed)
    return [
        s.model_copy(
            update={
                kind: [k for k in getattr(s, kind) if rng.random() >= fraction] for kind in KINDS
            }
        )
        for s in sectors
    ]


def _without(sectors: Sequence[SectorConfig], drop: Callable[[str], bool]) -> list[SectorConfig]:
    return [
        s.model_copy(update={kind: [k for k in getattr(s, kind) if not drop(k)] for kind in KINDS})
        for s in sectors
    ]


def _prefix(word: str) -> str:
    arabic = "\u0621" <= word[:1] <= "\u064a"
    return word[: ARABIC_PREFIX if arabic else LATIN_PREFIX]


def _concept_phrases() -> tuple[list[tuple[tuple[str, ...], str]], dict[str, str]]:
    """The lexicon's forms as token phrases (longest first), and the concept of each one-word
    form's stem prefix (the first concept listing it wins)."""
    forms = sorted(
        ((phrase(form), concept) for concept, all_forms in LEXICON.items() for form in all_forms),
        key=lambda pair: -len(pair[0]),
    )
    prefixes: dict[str, str] = {}
    for form, concept in forms:
        if len(form) == 1 and len(form[0]) >= 3 and _prefix(form[0]) not in SHARED_PREFIXES:
            prefixes.setdefault(_prefix(form[0]), concept)
    return [(f, c) for f, c in forms if f], prefixes


_FORMS, _PREFIXES = _concept_phrases()


def family(keyword: str) -> str:
    """The family a keyword is held out with: a lexicon concept ("c:teacher") or a stem prefix
    ("p:scola")."""
    found = phrase(keyword)
    concepts = [
        concept
        for form, concept in _FORMS
        if any(tuple(found[i : i + len(form)]) == form for i in range(len(found)))
    ]
    fields = [c for c in concepts if c not in FRAMES]
    if fields or concepts:
        return f"c:{(fields or concepts)[0]}"
    content = [w for w in found if w not in FRENCH_WORDS and len(w) >= 3] or list(found) or [""]
    longest = max(content, key=len)
    key = _prefix(longest)
    return f"c:{_PREFIXES[key]}" if key in _PREFIXES else f"p:{key}"


class _French:
    """Which Latin keywords are French: French spelling, or found only in French cases."""

    def __init__(self, cases: Iterable[Case]) -> None:
        self.seen: dict[str, set[tuple[str, ...]]] = {"en": set(), "fr": set()}
        for case in cases:
            if case.lang in self.seen:
                toks = tokens(f"{case.title} {case.text}")
                grams = self.seen[case.lang]
                for i in range(len(toks)):
                    for n in range(1, min(LONGEST, len(toks) - i) + 1):
                        grams.add(tuple(toks[i : i + n]))

    def __call__(self, keyword: str) -> bool:
        if FRENCH_LETTERS & set(keyword.casefold()) or FRENCH_WORDS & set(words(keyword)):
            return True
        found = phrase(keyword)
        return found in self.seen["fr"] and found not in self.seen["en"]


def language(keyword: str, french: _French) -> str:
    """ "ar" for Arabic script, "fr" for a French keyword (see `_French`), else "en"."""
    if any("\u0600" <= ch <= "\u06ff" for ch in keyword):
        return "ar"
    return "fr" if french(keyword) else "en"
