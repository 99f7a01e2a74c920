"""Text normalisation shared by the sector classifier and topic matching (EN, FR, AR).

Matching is done on *tokens*, never with regular expressions built from configured or
user-supplied words, so a keyword cannot cause catastrophic backtracking: every phrase lookup is
a set membership test over the text's n-grams, linear in the length of the text.

Normalisation, applied identically to texts and to keywords:
- Unicode NFKD, then combining marks removed: French accents ("é" -> "e") and Arabic diacritics
  (harakat, shadda, sukun) disappear, and the hamza/madda forms of alef (أ إ آ ٱ) become a bare
  alef, as do ؤ -> و and ئ -> ي.
- Arabic tatweel removed, ى -> ي and ة -> ه folded, Arabic-Indic digits -> ASCII digits.
- casefold; every run of non-letters and non-digits is a token boundary (so "l'éducation"
  gives "l", "education").
- Light stemming, the same on both sides: Arabic proclitics (و ف ب ل ك and the article ال) are
  peeled off when at least three letters remain, two after the article ("والتربية",
  "بالتربية", "التربية" all become "تربيه"), except a letter that is the word's own: "وزير",
  "برنامج", "بيئة" start with a clitic letter and keep it, as after the article ("الوزير" ->
  "وزير"); which words those are is read from `arabic_roots.txt` (general word frequencies,
  built by bench/build_arabic_roots.py). A Latin plural "s" is dropped from words of
  five letters or more ("sciences" -> "science"). Two different words may share a stem; that
  costs little precision and buys recall across the clitic-heavy spelling of Arabic news.
"""

from __future__ import annotations

import html
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

_ARABIC_FOLD = str.maketrans(
    {
        "\u0640": None,  # tatweel
        "\u0649": "\u064a",  # alef maksura -> ya
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u06cc": "\u064a",  # Farsi ya -> ya
        "\u06a9": "\u0643",  # keheh -> kaf
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended Arabic-Indic digits
    }
)

# Proclitic sequences, longest first: conjunction (و ف), preposition (ب ل ك), article (ال).
AR_CLITIC_PREFIXES = tuple(
    sorted(
        {
            c + p + a
            for c in ("", "\u0648", "\u0641")
            for p in ("", "\u0628", "\u0644", "\u0643")
            for a in ("", "\u0627\u0644")
        }
        | {"\u0644\u0644", "\u0648\u0644\u0644", "\u0641\u0644\u0644"},  # li + al: "لل"
        key=len,
        reverse=True,
    )
)
_AR_MIN_STEM = 3
# Words whose first letter, though one of و ف ب ل ك, is their own ("وزير", "برنامج", "بيئة"):
# never peeled. Built from general word frequencies by bench/build_arabic_roots.py.
AR_ROOTS_FILE = Path(__file__).with_name("arabic_roots.txt")


@lru_cache(maxsize=1)
def _ar_roots() -> frozenset[str]:
    """The list, read on first use (bench/build_arabic_roots.py imports this module to write
    it); a missing file is a broken install and fails loudly rather than stemming the old way."""
    lines = AR_ROOTS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


# Function words that look like a clitic on a stem ("فيها" is not "ف" + "يها").
_AR_KEEP = frozenset(
    [
        "في",
        "فيها",
        "فيه",
        "منها",
        "منهم",
        "بها",
        "به",
        "لها",
        "له",
        "لهم",
        "عليها",
        "عليه",
        "اليها",
        "اليه",
        "عنها",
        "عنه",
        "معها",
        "معه",
        "كما",
    ]
)
# Attached pronouns (her/its, their, their two), longest first; "ه" alone is left: after
# folding it is also the ta marbuta.
_AR_PRONOUNS = ("\u0647\u0645\u0627", "\u0647\u0645", "\u0647\u0627")
_LATIN_PLURAL_MIN = 5


def fold(text: str) -> str:
    """Casefolded text without accents, Arabic diacritics or spelling variants (not tokenised)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ARABIC_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_ARABIC_FOLD).casefold()


# A fixed pattern (never built from configured words): runs of letters and digits, i.e. the
# characters for which str.isalnum() is true ("\w" without the underscore).
_WORD = re.compile(r"[^\W_]+")


def _split(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The comparison form of one folded word (see the module docstring)."""
    if word in _AR_KEEP:
        return word
    if word and "\u0621" <= word[0] <= "\u064a":
        for prefix in AR_CLITIC_PREFIXES:
            # After the article a two-letter stem is a word ("الخط"); without it, "لغة" must
            # keep its first letter.
            least = 2 if prefix.endswith(("\u0627\u0644", "\u0644\u0644")) else _AR_MIN_STEM
            if prefix and word.startswith(prefix) and len(word) - len(prefix) >= least:
                rest = word[len(prefix) :]
                if _own_letter(prefix, rest):
                    continue
                # An article excludes an attached pronoun; "ومديرها" has none.
                return rest if least == 2 else _strip_pronoun(rest)
        return _strip_pronoun(word)
    if len(word) >= _LATIN_PLURAL_MIN and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _own_letter(prefix: str, rest: str) -> bool:
    """Whether peeling `prefix` would take a letter of the word itself: "وزير" is not "و" +
    "زير", and "وبرنامج" is "و" + "برنامج", not "وب" + "رنامج"."""
    roots = _ar_roots()
    for i in range(len(prefix)):
        word = prefix[i:] + rest
        if word in roots or _strip_pronoun(word) in roots:  # "وزيرها"
            return True
    return False


def words(text: str) -> list[str]:
    """`text` as a list of folded words, not yet stemmed."""
    return _split(fold(text))


def _strip_pronoun(word: str) -> str:
    """An attached possessive pronoun peeled off a word without the article: "قطاعها" ->
    "قطاع", "مديرها" -> "مدير", "منظمتها" -> "منظمه" (the ta marbuta restored; not after the
    plural "ات")."""
    for suffix in _AR_PRONOUNS:
        rest = word[: -len(suffix)]
        if word.endswith(suffix) and len(rest) >= _AR_MIN_STEM:
            if rest.endswith("\u062a") and not rest.endswith("\u0627\u062a") and len(rest) >= 4:
                rest = rest[:-1] + "\u0647"
            return rest
    return word


def tokens(text: str) -> list[str]:
    """`text` as a list of normalised, stemmed tokens."""
    return [stem(word) for word in words(text)]


def phrase(text: str) -> tuple[str, ...]:
    """A keyword or name in the token form that `PhraseIndex` looks up."""
    return tuple(tokens(text))


_AR_MASCULINE_PLURALS = ("\u064a\u0646", "\u0648\u0646")  # ين ون
_AR_FEMININE_PLURAL = "\u0627\u062a"  # ات
_TA_MARBUTA = "\u0647"  # ة, folded
_AR_NUMBER_VARIANTS = 27  # a phrase's combinations at most (three words of three forms)


def _number_forms(token: str) -> tuple[str, ...]:
    """A token and its regular singular and plural forms. Arabic: "معلم" / "معلمين" /
    "معلمون", "جامعه" / "جامعات"; "ات" is taken for the feminine plural only: "جامعات" is not
    "جامع" (a mosque). Latin: see `_latin_number_forms`."""
    if not token or not "\u0621" <= token[0] <= "\u064a":
        return _latin_number_forms(token)
    for suffix in (*_AR_MASCULINE_PLURALS, _AR_FEMININE_PLURAL):
        base = token[: -len(suffix)]
        if token.endswith(suffix) and len(base) >= _AR_MIN_STEM:
            if suffix == _AR_FEMININE_PLURAL:
                return (token, base + _TA_MARBUTA)
            return (token, base, *(base + s for s in _AR_MASCULINE_PLURALS if s != suffix))
    if len(token) < _AR_MIN_STEM:
        return (token,)
    if token.endswith(_TA_MARBUTA) and len(token) > _AR_MIN_STEM:
        return (token, token[:-1] + _AR_FEMININE_PLURAL)
    return (token, *(token + s for s in _AR_MASCULINE_PLURALS))


def _latin_number_forms(token: str) -> tuple[str, ...]:
    """An English or French token and the plural or singular the stemmer's dropped "s" does
    not reach: "university" / "universities" (stemmed "universitie"), "journal" / "journaux",
    "réseau" / "réseaux", and a three-letter word's "s" ("art" / "arts", kept by the stemmer).
    A form added is only looked up, never stemmed, so "news" does not become "new"."""
    if not token.isalpha():
        return (token,)
    forms = [token]
    if token.endswith("ie") and len(token) >= 4:  # "universitie", French "technologie"
        forms.append(token[:-2] + "y")
    elif token.endswith("y") and len(token) >= 3 and token[-2] not in "aeiouy":
        forms.append(token[:-1] + "ie")
    elif token.endswith("eaux"):
        forms.append(token[:-1])
    elif token.endswith("aux") and len(token) >= 5:
        forms.append(token[:-3] + "al")
    elif token.endswith("al") and len(token) >= 4:
        forms.append(token[:-2] + "aux")
    elif token.endswith("eau"):
        forms.append(token + "x")
    if len(token) == _LATIN_PLURAL_MIN - 2:
        forms.append(token + "s")
    return tuple(forms)


def phrase_forms(text: str) -> tuple[tuple[str, ...], ...]:
    """A keyword's phrase and, where its words have regular singular and plural forms, those
    too, so a watched "معلم" meets "المعلمين", "university" meets "universities" and "journal"
    meets "journaux", as "teacher" meets "teachers" (one token already). The phrase itself
    comes first; a phrase with more words than the combinations allow keeps its own form."""
    words = phrase(text)
    if not words:
        return ()
    choices = [_number_forms(w) for w in words]
    if math.prod(len(c) for c in choices) > _AR_NUMBER_VARIANTS:
        return (words,)
    return tuple(dict.fromkeys(itertools.product(*choices)))


def phrase_key(text: str) -> tuple[tuple[str, ...], ...]:
    """What identifies a keyword: two keywords are one when they are looked up in the same
    forms (`phrase_forms`), that is when they match exactly the same texts: "teacher" and
    "Teachers", "heritage" and "héritage", "معلم", "المعلم" and "مُعلّم" are one keyword;
    "universal" and "university" are two, and so are "art" and "arts" ("art" meets "arts" too,
    "arts" never meets "art")."""
    return tuple(sorted(phrase_forms(text)))


class PhraseIndex:
    """The n-grams of one text, for constant-time phrase lookups.

    Built once per text in O(len(tokens) * max_len); `max_len` is the longest phrase that will
    be looked up, so the cost stays linear in the text whatever the keywords are.
    """

    __slots__ = ("_grams", "max_len", "tokens", "work")

    def __init__(
        self, words: Sequence[str], max_len: int, starts: frozenset[str] | None = None
    ) -> None:
        """`starts`, when given, are the only words a looked-up phrase begins with: n-grams
        starting elsewhere are not recorded (the same answers, less work)."""
        self.tokens = tuple(words)
        self.max_len = max(1, max_len)
        self._grams: dict[tuple[str, ...], list[int]] = {}
        self.work = 0  # n-grams recorded: at most len(tokens) * max_len, by construction
        for start in range(len(self.tokens)):
            if starts is not None and self.tokens[start] not in starts:
                continue
            for size in range(1, min(self.max_len, len(self.tokens) - start) + 1):
                self._grams.setdefault(self.tokens[start : start + size], []).append(start)
                self.work += 1

    def positions(self, words: tuple[str, ...]) -> list[int]:
        """Where the phrase starts in the text (empty when absent or longer than `max_len`)."""
        if not words or len(words) > self.max_len:
            return []
        return self._grams.get(words, [])

    def __contains__(self, words: object) -> bool:
        return isinstance(words, tuple) and bool(self.positions(words))


def index_text(parts: Iterable[str], max_len: int) -> PhraseIndex:
    """One index over several fields (title, body…); a separator keeps phrases from spanning
    two fields."""
    words: list[str] = []
    for part in parts:
        if words:
            words.append("\x00")
        words.extend(tokens(part))
    return PhraseIndex(words, max_len)


# Words a category's name joins with that its slug leaves out: WordPress drops "&" from
# "Science & Technology" (slug "science-technology"), and ICESCO's slugs drop "and" / "et" too
# ("Culture and Communication" is listed as culture-communication).
_CATEGORY_JOINERS = frozenset({"and", "et"})


def category_key(category: str) -> str:
    """Slugs and names compare equal: "science-technology", "Science & Technology", "Human and
    Social Sciences" / "human-social-sciences", "L'Éducation" / "leducation" (WordPress drops an
    apostrophe from a slug), and a percent-encoded Arabic slug with the Arabic it encodes."""
    text = html.unescape(unquote(category)).replace("'", "").replace("\u2019", "")
    return "-".join(w for w in words(text) if w not in _CATEGORY_JOINERS)
