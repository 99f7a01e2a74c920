"""What people type, read alike in the bot's three languages: digits of any script as ASCII,
letters without case, accents or Arabic letter variants, and day names as weekdays (pure).

The bot speaks English, French and Arabic, so a reader writes `/digest weekly lundi 08:00` or
`/digest weekly الإثنين ٠٨:٣٠`. Day names come from Babel's CLDR data (wide and abbreviated,
format and stand-alone forms), never from a list of our own; they are compared folded: case,
accents and Arabic marks dropped (NFKD takes the hamza off أ and إ, the madda off آ), ٱ read as
ا, ة as ه, ى as ي, the tatweel and a trailing "." ignored, and the Arabic definite article
"ال" optional (CLDR writes "الاثنين", people also write "الإثنين", "اثنين" or "إثنين").

The schedule's own words are read in the three languages too (`schedule_word`): "quotidien" or
"يومي" for daily, "hebdomadaire" or "أسبوعي" for weekly, "instantané" or "فوري" for instant,
"arrêt" or "إيقاف" for off. CLDR has no such words, so they are listed here, a few each; the
config and the bot's messages keep the English ones.

`ascii_digits` is the one place a number typed in another script (Arabic-Indic ٠-٩, Eastern
Arabic-Indic ۰-۹, or any other Unicode decimal digit) becomes the ASCII digits every parser of
ours reads. `fold_letters` is the one place typed names are compared without case, accents or
Arabic letter variants: day names here, sector and topic names in the bot (`choices.py`).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Literal

from babel.dates import get_day_names

from icesco_watch.models import strip_format_controls

LANGS = ("en", "fr", "ar")
_WIDTHS: tuple[Literal["wide", "abbreviated"], ...] = ("wide", "abbreviated")
_CONTEXTS: tuple[Literal["format", "stand-alone"], ...] = ("format", "stand-alone")
ARTICLE = "ال"
# Letters Arabic writers use for one another (a search-engine normalisation): alif wasla for
# alif, taa marbuta for haa, alif maqsura for yaa, and the tatweel (a stretching stroke) for
# nothing. The hamza and madda on alif go with the other marks (NFKD).
_ARABIC_SAME = str.maketrans({"ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit ("٨", "۸", "８") written as its ASCII digit."""
    return "".join(
        str(unicodedata.decimal(c)) if unicodedata.category(c) == "Nd" else c for c in text
    )


def fold_letters(text: str) -> str:
    """`text` as typed names are compared: casefolded, without invisible characters, accents or
    Arabic marks (hamza, madda, vowel signs), Arabic letter variants read as one ("الإعلام" and
    "الاعلام" alike)."""
    visible = strip_format_controls(text)  # direction marks typed with Arabic, zero widths
    decomposed = unicodedata.normalize("NFKD", visible.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_ARABIC_SAME)


def fold_word(word: str) -> str:
    """A day name as it is compared: `fold_letters`, no trailing "." and no leading definite
    article."""
    bare = fold_letters(word.strip()).rstrip(".")
    if bare.startswith(ARTICLE) and len(bare) > len(ARTICLE) + 1:
        bare = bare[len(ARTICLE) :]
    return bare


@cache
def _day_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for lang in LANGS:
        for width in _WIDTHS:
            for context in _CONTEXTS:
                for weekday, name in get_day_names(width, context, lang).items():
                    found = table.setdefault(fold_word(name), weekday)
                    if found != weekday:  # pragma: no cover - CLDR data changed under us
                        raise ValueError(f"day name {name!r} means two days")
    return table


# A few common forms each (masculine, feminine, adverb; folded as day names are, so case,
# accents, hamza and the article do not matter). English first: the form the parser knows.
SCHEDULE_WORDS: dict[str, tuple[str, ...]] = {
    "daily": ("daily", "quotidien", "quotidienne", "journalier", "يومي", "يوميا", "يوميه"),
    "weekly": ("weekly", "hebdomadaire", "hebdo", "أسبوعي", "أسبوعيا", "أسبوعيه"),
    "instant": ("instant", "instantané", "immédiat", "فوري", "فورا", "فوريه"),
    "off": ("off", "arrêt", "désactivé", "إيقاف", "متوقف"),
}


@cache
def _schedule_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for english, forms in SCHEDULE_WORDS.items():
        for form in forms:
            found = table.setdefault(fold_word(form), english)
            if found != english:  # pragma: no cover - a word listed for two meanings
                raise ValueError(f"schedule word {form!r} means two things")
    return table


def schedule_word(word: str) -> str | None:
    """The English schedule word ("daily", "weekly", "instant", "off") that `word` means, in
    English, French or Arabic, if it is one."""
    return _schedule_table().get(fold_word(word)) if word.strip() else None


def weekday_of(word: str) -> int | None:
    """The weekday (0 = Monday) a day name in English, French or Arabic means, if it is one."""
    return _day_table().get(fold_word(word)) if word.strip() else None


def day_names(lang: str) -> tuple[str, ...]:
    """Monday to Sunday as a reader of `lang` writes them in a schedule: English's short
    "mon".."sun" (what the usage shows), French and Arabic's full CLDR names."""
    width: Literal["wide", "abbreviated"] = "abbreviated" if lang == "en" else "wide"
    names = get_day_names(width, "stand-alone", lang if lang in LANGS else "en")
    return tuple(names[n].casefold() for n in range(7))
