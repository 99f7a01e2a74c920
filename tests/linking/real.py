"""The real corpus linked once for the linking tests: its LinkDocs, the links the shipped linker
makes over all of it, and finding an item by language, day and title."""

from __future__ import annotations

from icesco_watch.linking import LinkDoc, link
from icesco_watch.linking_corpus import corpus

DOCS, RAW = corpus()
POOL = list(DOCS.values())
LINKS = link(POOL)


def doc(lang: str, day: str, title_start: str) -> LinkDoc:
    """The one corpus item of `lang` published on `day` whose title starts so."""
    found = [
        d
        for d in POOL
        if d.lang == lang and d.published.isoformat() == day and d.title.startswith(title_start)
    ]
    assert len(found) == 1, (lang, day, title_start, len(found))
    return found[0]


def linked(a: LinkDoc, b: LinkDoc) -> bool:
    """Whether the linker links the two over the whole corpus."""
    return (min(a.key, b.key), max(a.key, b.key)) in LINKS
