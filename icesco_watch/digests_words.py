"""What people type into a schedule, read in the bot's three languages: digits of any script as
ASCII digits, and day names in English, French and Arabic as weekdays (pure).

The bot speaks English, French and Arabic, so a reader writes `/digest weekly lundi 08:00` or
`/digest weekly الإثنين ٠٨:٣٠`. Day names come from Babel's CLDR data (wide and abbreviated,
format and stand-alone forms), never from a list of our own; they are compared folded: case,
accents and Arabic marks dropped (NFKD takes the hamza off أ and إ, the madda off آ), ٱ read as
ا, ة as ه, the tatweel and a trailing "." ignored, and the Arabic definite article "ال" optional
(CLDR writes "الاثنين", people also write "الإثنين", "اثنين" or "إثنين").

`ascii_digits` is the one place a number typed in another script (Arabic-Indic ٠-٩, Eastern
Arabic-Indic ۰-۹, or any other Unicode decimal digit) becomes the ASCII digits every parser of
ours reads.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Literal

from babel.dates import get_day_names

LANGS = ("en", "fr", "ar")
_WIDTHS: tuple[Literal["wide", "abbreviated"], ...] = ("wide", "abbreviated")
_CONTEXTS: tuple[Literal["format", "stand-alone"], ...] = ("format", "stand-alone")
ARTICLE = "ال"
# Letters Arabic writers use for one another in these words (a search-engine normalisation):
# alif wasla for alif, taa marbuta for haa, and the tatweel (a stretching stroke) for nothing.
_ARABIC_SAME = str.maketrans({"ٱ": "ا", "ة": "ه", "ـ": None})


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit ("٨", "۸", "８") written as its ASCII digit."""
    return "".join(
        str(unicodedata.decimal(c)) if unicodedata.category(c) == "Nd" else c for c in text
    )


def fold_word(word: str) -> str:
    """A day name as it is compared: casefolded, without accents or Arabic marks, Arabic letter
    variants read as one, no trailing "." and no leading definite article."""
    decomposed = unicodedata.normalize("NFKD", word.strip().casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.translate(_ARABIC_SAME).rstrip(".")
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


def weekday_of(word: str) -> int | None:
    """The weekday (0 = Monday) a day name in English, French or Arabic means, if it is one."""
    return _day_table().get(fold_word(word)) if word.strip() else None


def day_names(lang: str) -> tuple[str, ...]:
    """Monday to Sunday as a reader of `lang` writes them in a schedule: English's short
    "mon".."sun" (what the usage shows), French and Arabic's full CLDR names."""
    width: Literal["wide", "abbreviated"] = "abbreviated" if lang == "en" else "wide"
    names = get_day_names(width, "stand-alone", lang if lang in LANGS else "en")
    return tuple(names[n].casefold() for n in range(7))
