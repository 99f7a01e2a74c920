"""The days of the year an item's text states ("on 14 May", "le 11 septembre", "يوم 14 مايو").

A story's versions state the day it happened, and they state the same one (in the tune part of
tests/linking/data/pairs.jsonl, the 48 dated same-story pairs all do, a conference's range of
days read as each of its days); two stories of one person, one body or one programme published
within days of each other (a session's opening and its closing, a lecture and a follow-up)
often state different ones. `icesco_watch.linking_contradictions` counts against a pair whose
stated days are all more than `DAYS_APART` apart. Days are of the year (the year is often left
out, and a year named in a text is no evidence of its day), compared round the year's end.
"""

from __future__ import annotations

import re
from itertools import accumulate

from icesco_watch.linking_terms import MONTHS
from icesco_watch.tagging.text import fold

__all__ = ["day_gap", "stated_days"]

_FORMS = {fold(form): month for month, forms in MONTHS.items() for form in forms}
_ALTERNATIVES = "|".join(sorted(map(re.escape, _FORMS), key=len, reverse=True))
_ENGLISH = "|".join(
    sorted((re.escape(f) for f in _FORMS if f.isascii() and f.isalpha()), key=len, reverse=True)
)
# "14 May", "1er mars", "14 مايو": a day, then its month as a whole word (not "mai" in
# "maison", "mars" in "marseille"); "18 et 19 décembre", "10-21 نوفمبر", "du 10 au 21 novembre":
# every day of the range (a conference's days, one of which the other version may name).
_DAY_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:er|st|nd|rd|th)?"
    rf"(?:(?:\s+(?:et|and|to|au|{fold('إلى')})\s+|\s+و\s*|\s*[-–]\s*)"
    rf"(\d{{1,2}})(?:er|st|nd|rd|th)?)?"
    rf"\s+({_ALTERNATIVES})(?![^\W_])"
)
# "May 14, 2024": the English way round (not "mars 2019": a year is no day).
_MONTH_DAY = re.compile(rf"\b({_ENGLISH})\s+(\d{{1,2}})(?![\d])")
# The first day of each month in a leap year (29 February is a day too), 1-based.
_STARTS = (0, *accumulate((31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30)))
_YEAR = 366


def stated_days(folded: str) -> frozenset[int]:
    """The days of the year (1-366) a folded text states by day and month name."""
    found = [
        (_FORMS[m], day)
        for first, last, m in _DAY_MONTH.findall(folded)
        for day in range(int(first), max(int(first), int(last or 0)) + 1)
    ]
    found += [(_FORMS[m], int(d)) for m, d in _MONTH_DAY.findall(folded)]
    return frozenset(_STARTS[m - 1] + d for m, d in found if 1 <= d <= 31)


def day_gap(a: frozenset[int], b: frozenset[int]) -> int | None:
    """The fewest days between a day of `a` and a day of `b`, round the year's end; None when
    either states none."""
    if not a or not b:
        return None
    return min(min(abs(x - y), _YEAR - abs(x - y)) for x in a for y in b)
