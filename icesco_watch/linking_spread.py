"""How many items of one language in one window share an anchor: an umbrella's or a story's.

ICESCO covers big events (a COP, a General Conference, a week of culture) with several stories
on the same days, and they all name the event, its city and its people: such an anchor, shared by
several items of one language on the same days, is the umbrella's and tells its stories apart no
better than the date does. An anchor one item per language carries in the window is the story's.
`Spread` counts, for a run's docs (no label read), in how many items of a doc's language and
days (`linking.SPREAD_DAYS` either side) each of its anchors appears; `icesco_watch.linking`
divides an anchor's weight by that count, and an anchor too many items carry (`UMBRELLA`) is no
longer the specific anchor a link needs. `Spread.worse` finds a doc's clearly worse rivals for a
given other version (one event's second story in its language: all it shares with that version,
the doc shares too, and the doc shares a name or number more): beside one such rival an anchor
is still the story's.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable

from icesco_watch.linking_features import Features, LinkDoc

__all__ = ["Spread", "tokens"]


def tokens(doc: LinkDoc, f: Features) -> frozenset[str]:
    """`doc`'s anchors and evidence as tokens of one namespace (a place and a name may share a
    spelling): concepts, numbers, Latin names, consonant skeletons, the image."""
    return frozenset(
        {"c:" + c for c in f.concepts}
        | {"n:" + n for n in f.numbers}
        | {"p:" + n for n in f.names}
        | {"s:" + s for s in f.sounds}
        | ({"i:" + doc.image} if doc.image else set())
    )


class Spread:
    """Per language, the publication days of the docs carrying each token, sorted: how many
    docs of a language carry a token within `days` of a day is two bisections."""

    def __init__(
        self,
        docs: Iterable[LinkDoc],
        features: Callable[[LinkDoc], Features],
        days: int,
    ) -> None:
        self._days = days
        self._index: dict[tuple[str, str], list[int]] = {}
        # Per language, its docs' days and token sets in day order: a doc's rivals (`worse`).
        self._by_lang: dict[str, tuple[list[int], list[tuple[str, frozenset[str]]]]] = {}
        # A doc meets every other-language doc of its days: its counts are asked again.
        self._counts: dict[tuple[str, str], int] = {}
        for doc in sorted(docs, key=lambda d: d.published):
            day = doc.published.toordinal()
            own = tokens(doc, features(doc))
            days_of, docs_of = self._by_lang.setdefault(doc.lang, ([], []))
            days_of.append(day)
            docs_of.append((doc.key, own))
            for token in own:
                self._index.setdefault((doc.lang, token), []).append(day)

    def count(self, doc: LinkDoc, token: str) -> int:
        """How many docs of `doc`'s language within `days` of it carry `token` (`doc` included;
        at least 1, so a doc outside the run counts as carrying it)."""
        found = self._counts.get((doc.key, token))
        if found is None:
            days = self._index.get((doc.lang, token), [])
            day = doc.published.toordinal()
            found = bisect_right(days, day + self._days) - bisect_left(days, day - self._days)
            found = self._counts[(doc.key, token)] = max(found, 1)
        return found

    def worse(
        self,
        doc: LinkDoc,
        own: frozenset[str],
        other: frozenset[str],
        specific: Callable[[str], bool],
    ) -> list[frozenset[str]]:
        """The token sets of the docs of `doc`'s language within `days` of it that are clearly
        worse candidates than `doc` for a doc carrying `other`: all they share with it, `doc`
        shares too, and `doc` shares more (`own` is `doc`'s tokens). One event's second story
        in a language (a forum's speech beside its delegation) carries the event's anchors and
        nothing else the other version names."""
        shared = own & other
        days, docs = self._by_lang.get(doc.lang, ([], []))
        day = doc.published.toordinal()
        lo, hi = bisect_left(days, day - self._days), bisect_right(days, day + self._days)
        return [
            rival
            for key, rival in docs[lo:hi]
            if key != doc.key and rival & other < shared and any(map(specific, shared - rival))
        ]
