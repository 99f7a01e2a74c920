"""The label-free checks of bench/linking_eval.py: the corpus folded into dense windows, and links
with one version left out. No label is read here; a link is wrong for certain by construction.

`dense` folds the corpus's seven years into `period` days of 2025 (an item's day becomes its day
number modulo the period, so versions a day apart stay a day apart), optionally with a second
copy shifted by a week (keys renamed: every link between an original and a copy joins items a
week apart in reality), links the folded corpus and returns the links between items published
more than MAX_DAYS apart in reality. The days a text states ("on 14 May", `linking_dates`) move
with its item (`move_days`): a folded item keeps its stated days' distance to its publication,
as a real item's are, so a rule reading them meets in the folds only what it meets in real news
(unmoved, every link across the fold would state other days than its other version, and the
check would flatter such a rule). `orphans` leaves out each version of each link in turn.
`clashes` counts linked groups holding two items of one language: a story has one version per
language, so such a group is wrong for certain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from icesco_watch.linking import MAX_DAYS, THRESHOLD, LinkDoc, Linker, link
from icesco_watch.linking_terms import MONTHS
from icesco_watch.tagging.text import fold

COPY = "#copy"
# The dense folds: (days, with a second copy shifted by a week). 15 days and the copies are the
# harsher variants: fuller windows, and in the copies one recurring programme's editions (a
# training's second and third sessions, two years' summits in one city) meet on the same days.
DENSE = ((30, False), (60, False), (15, False), (30, True), (60, True))
SHIFT = 7

_MONTH = {fold(form): month for month, forms in MONTHS.items() for form in forms}
# The month's form each edition writes (MONTHS lists English, French, then Arabic first).
_WRITTEN = {
    lang: {m: forms[i] for m, forms in MONTHS.items()} for i, lang in enumerate(("en", "fr", "ar"))
}
_SUFFIX = r"(?:er|st|nd|rd|th)?"
_ENGLISH = "|".join(MONTHS[m][0] for m in MONTHS)
# As linking_dates reads a stated day: "14 May", "18 et 19 décembre", "14 مايو", "May 14".
_STATED = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?P<s1>{_SUFFIX})"
    rf"(?:(?P<join>\s+(?:et|and|to|au|إلى|الى|الي)\s+|\s+و\s*|\s*[-–]\s*)"
    rf"(?P<day2>\d{{1,2}})(?P<s2>{_SUFFIX}))?"
    rf"(?P<gap>\s+)(?P<month>[^\W\d_]+)"
    rf"|\b(?P<month_first>{_ENGLISH})(?P<gap2>\s+)(?P<day_after>\d{{1,2}})(?!\d)",
    re.IGNORECASE,
)


def move_days(text: str, lang: str, published: date, offset: int) -> str:
    """`text` with each day it states moved by `offset` days (its item, published on
    `published`, moved so): a stated day's year is the one that puts it nearest publication."""

    def moved(day: int, month: int) -> date | None:
        candidates = []
        for year in (published.year - 1, published.year, published.year + 1):
            try:
                candidates.append(date(year, month, day))
            except ValueError:
                continue
        if not candidates:
            return None
        return min(candidates, key=lambda d: abs((d - published).days)) + timedelta(offset)

    def written(match: re.Match[str]) -> str:
        if match["month_first"]:
            month = _MONTH.get(fold(match["month_first"]))
            new = moved(int(match["day_after"]), month) if month else None
            if new is None or lang != "en":
                return match[0]
            return f"{_WRITTEN['en'][new.month]}{match['gap2']}{new.day}"
        month = _MONTH.get(fold(match["month"]))
        new = moved(int(match["day"]), month) if month else None
        if new is None:
            return match[0]
        out = f"{new.day}{match['s1'] if new.day == 1 else ''}"
        if match["day2"]:
            second = new + timedelta(int(match["day2"]) - int(match["day"]))
            if second.month != new.month:
                # "31 march - 2 april": each end with its month.
                out += match["gap"] + _WRITTEN[lang][new.month]
            out += f"{match['join']}{second.day}"
            new = second
        return out + match["gap"] + _WRITTEN[lang][new.month]

    return _STATED.sub(written, text)


def _moved(doc: LinkDoc, key: str, published: date) -> LinkDoc:
    offset = (published - doc.published).days
    return replace(
        doc,
        key=key,
        published=published,
        title=move_days(doc.title, doc.lang, doc.published, offset),
        text=move_days(doc.text, doc.lang, doc.published, offset),
    )


def folded(docs: dict[str, LinkDoc], period: int, copy: bool) -> list[LinkDoc]:
    """The corpus folded into `period` days (with `copy`, and a copy shifted by a week)."""
    start = date(2025, 1, 1).toordinal()
    out = [
        _moved(d, d.key, date.fromordinal(start + d.published.toordinal() % period))
        for d in docs.values()
    ]
    if copy:
        out += [
            _moved(
                d,
                d.key + COPY,
                date.fromordinal(start + (d.published.toordinal() + SHIFT) % period),
            )
            for d in docs.values()
        ]
    return out


def dense(
    docs: dict[str, LinkDoc], period: int, copy: bool, threshold: float = THRESHOLD
) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    """The links made on the corpus folded into `period` days (with `copy`, plus a second copy
    of it shifted by a week, its keys renamed) and the certainly wrong ones among them."""
    real = {k: d.published for k, d in docs.items()}
    if copy:
        real |= {k + COPY: d.published + timedelta(days=SHIFT) for k, d in docs.items()}
    links = link(folded(docs, period, copy), threshold)
    # An original and a copy are a week (+-3 days) apart in reality: never one story's versions.
    wrong = [
        (a, b)
        for a, b in sorted(links)
        if a.endswith(COPY) != b.endswith(COPY) or abs((real[a] - real[b]).days) > MAX_DAYS
    ]
    return links, wrong


def clashes(links: Iterable[tuple[str, str]], lang: dict[str, str]) -> int:
    """The linked groups (items joined through links) with two items of one language."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for a, b in links:
        parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for key in parent:
        groups.setdefault(root(key), []).append(lang[key])
    return sum(1 for langs in groups.values() if len(set(langs)) < len(langs))


def orphans(docs: dict[str, LinkDoc]) -> tuple[int, list[tuple[str, str, str]]]:
    """Each link over the corpus with one of its two versions left out of the pool: is the
    other version then linked to another item of that language? One event's other story on the
    same days is what it finds (a medal given at a congress, the congress's opening), as when a
    story's version in a language is never published or not yet crawled. No label is read.
    Returns the number of versions left alone and (kept, other item linked, left out) triples."""
    pool = list(docs.values())
    found = []
    alone = 0
    for a, b in sorted(link(pool)):
        for keep, drop in ((a, b), (b, a)):
            alone += 1
            run = Linker([d for d in pool if d.key != drop])
            lang = docs[drop].lang
            found += [
                (keep, m.other, drop) for m in run.best(docs[keep]) if docs[m.other].lang == lang
            ]
    return alone, found
