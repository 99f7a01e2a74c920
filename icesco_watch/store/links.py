"""Cross-language links between stored items: written when items are recorded, read as `related`.

The linker (icesco_watch/linking.py) decides; this module feeds it the stored neighbours of a new
item and keeps its decision in `item_links` (both directions). The linker sees the title and the
summary, as in its evaluation (tests/linking/data/pairs.jsonl holds titles and leads).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select

from icesco_watch.linking import MAX_DAYS, SPREAD_DAYS, LinkDoc, Linker
from icesco_watch.models import NewsItem
from icesco_watch.store.schema import item_links, items

# The mutual-best check looks at the rivals of a candidate, up to MAX_DAYS further away, and
# a rival's anchors are weighed by the items of its own days (SPREAD_DAYS further).
_WINDOW = timedelta(days=2 * MAX_DAYS + SPREAD_DAYS + 1)
# Fresh items linked from one read of the store (see `_runs`).
_RUN = 500


def _doc(row: Any) -> LinkDoc:
    return LinkDoc(
        key=row.key,
        lang=row.lang,
        published=row.published.date(),
        title=row.title,
        text=row.summary,
        sectors=tuple(row.sectors),
        image=row.image,
    )


def link_items(conn: Connection, fresh: Sequence[NewsItem]) -> int:
    """Link each of `fresh` (already stored) to its other-language versions; returns the links
    written. A better new match replaces an item's old link in that language. The stored items
    around a run of fresh ones are read once and linked by one `Linker` (each item's features
    extracted once, each pair scored once): a backfill records hundreds of items at a time."""
    written = 0
    for run in _runs(fresh):
        rows = conn.execute(
            select(
                items.c.key,
                items.c.lang,
                items.c.published,
                items.c.title,
                items.c.summary,
                items.c.sectors,
                items.c.image,
            ).where(
                items.c.published >= run[0].published - _WINDOW,
                items.c.published <= run[-1].published + _WINDOW,
            )
        )
        pool = {row.key: _doc(row) for row in rows}
        linker = Linker(pool.values())
        langs = {key: d.lang for key, d in pool.items()}
        for item in run:
            doc = pool.get(item.key)
            if doc is None:
                continue
            for match in linker.best(doc):
                _replace(conn, doc.key, match.other, langs, match.score)
                written += 1
    return written


def _runs(fresh: Sequence[NewsItem]) -> list[list[NewsItem]]:
    """`fresh` by date in runs whose windows overlap (an old article found beside today's
    news gets its own read, not the years between), at most _RUN items each."""
    runs: list[list[NewsItem]] = []
    for item in sorted(fresh, key=lambda i: i.published):
        last = runs[-1] if runs else None
        if last and len(last) < _RUN and item.published - last[-1].published <= 2 * _WINDOW:
            last.append(item)
        else:
            runs.append([item])
    return runs


def _replace(conn: Connection, key: str, other: str, langs: dict[str, str], score: float) -> None:
    # One version per language: drop both items' old links into each other's language.
    for a, b in ((key, other), (other, key)):
        olds = conn.scalars(select(item_links.c.other_key).where(item_links.c.item_key == a))
        stale = [o for o in olds if (langs[o] if o in langs else _lang(conn, o)) == langs[b]]
        if stale:
            conn.execute(
                delete(item_links).where(
                    or_(
                        and_(item_links.c.item_key == a, item_links.c.other_key.in_(stale)),
                        and_(item_links.c.other_key == a, item_links.c.item_key.in_(stale)),
                    )
                )
            )
    conn.execute(
        insert(item_links),
        [
            {"item_key": key, "other_key": other, "score": score},
            {"item_key": other, "other_key": key, "score": score},
        ],
    )


def _lang(conn: Connection, key: str) -> str | None:
    return conn.scalar(select(items.c.lang).where(items.c.key == key))


def related(conn: Connection, keys: Sequence[str]) -> dict[str, list[str]]:
    """The URLs of the other-language versions of each of `keys` (ordered by language)."""
    return {key: [url for _, url in found] for key, found in related_versions(conn, keys).items()}


def related_versions(conn: Connection, keys: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """The (lang, url) of the other-language versions of each of `keys`, ordered by language."""
    found: dict[str, list[tuple[str, str]]] = {key: [] for key in keys}
    for start in range(0, len(keys), 500):
        query = (
            select(item_links.c.item_key, items.c.lang, items.c.url)
            .join(items, items.c.key == item_links.c.other_key)
            .where(item_links.c.item_key.in_(list(keys[start : start + 500])))
            .order_by(item_links.c.item_key, items.c.lang)
        )
        for key, lang, url in conn.execute(query):
            found[key].append((lang, url))
    return found


def linked_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """The keys of every item linked to one of `keys` (its story's other versions)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        query = select(item_links.c.other_key).where(
            item_links.c.item_key.in_(list(keys[start : start + 500]))
        )
        found.update(conn.scalars(query))
    return found - set(keys)
