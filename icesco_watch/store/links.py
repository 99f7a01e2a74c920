"""Cross-language links between stored items: written when items are recorded, read as `related`.

The linker (icesco_watch/linking.py) decides; this module feeds it the stored neighbours of a new
item and keeps its decision in `item_links` (both directions). The linker sees the title and the
summary, as in its evaluation (tests/linking/data/pairs.jsonl holds titles and leads).

A new item can also change the decision about items stored before it: another story of the same
event makes that event's place and name weigh less (`linking_spread`), and a new candidate can
take away a link's clear lead. So the links of every stored item the new ones can influence (as
near enough to change a decision) are settled again, and the store holds what the linker says of
the window as it now stands: what `bench/linking_eval.py` measures over the whole corpus. An
alert already sent with "Also in" stays as it was; feeds and `related` follow the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select

from icesco_watch.linking import MAX_DAYS, SPREAD_DAYS, LinkDoc, Linker
from icesco_watch.models import NewsItem
from icesco_watch.store.schema import item_links, items

# Which stored items a fresh one can influence: a pair's score counts the items within
# SPREAD_DAYS of either end (linking_spread), and a decision compares the candidates within
# MAX_DAYS of the item and, for the mutual check, those within MAX_DAYS of its partner. So a fresh
# item reaches the decisions of items up to 2 * MAX_DAYS + SPREAD_DAYS away (_NEAR), and settling
# those needs the items as far again around them (_WINDOW).
_NEAR = timedelta(days=2 * MAX_DAYS + SPREAD_DAYS)
_WINDOW = 2 * _NEAR + timedelta(days=1)
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
    """Link each of `fresh` (already stored) to its other-language versions, and settle again the
    links of the stored items they can influence; returns the links written or removed. The
    stored items around a run of fresh ones are read once and linked by one `Linker` (each
    item's features extracted once, each pair scored once): a backfill records hundreds of items
    at a time."""
    changed = 0
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
        first, last = (run[0].published - _NEAR).date(), (run[-1].published + _NEAR).date()
        near = sorted(k for k, d in pool.items() if first <= d.published <= last)
        changed += _settle(conn, Linker(pool.values()), pool, near)
    return changed


def _settle(conn: Connection, linker: Linker, pool: dict[str, LinkDoc], near: list[str]) -> int:
    """Make the stored links of `near` what `linker` says of them now (mutual best matches, so
    each link is decided the same from both ends)."""
    langs = {key: d.lang for key, d in pool.items()}
    stored = _stored_links(conn, near)
    changed = 0
    for key in near:
        wanted = {m.other: m.score for m in linker.best(pool[key])}
        for other in stored.get(key, set()) - wanted.keys():
            _unlink(conn, key, other)
            stored.get(other, set()).discard(key)
            changed += 1
        for other, score in wanted.items():
            if other in stored.get(key, set()):
                continue
            _replace(conn, key, other, langs, score)
            for a, b in ((key, other), (other, key)):
                # _replace dropped a's other links into b's language.
                mine = stored.setdefault(a, set())
                mine -= {o for o in mine if langs.get(o) == langs[b]}
                mine.add(b)
            changed += 1
    return changed


def _stored_links(conn: Connection, keys: Sequence[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for start in range(0, len(keys), 500):
        query = select(item_links.c.item_key, item_links.c.other_key).where(
            item_links.c.item_key.in_(list(keys[start : start + 500]))
        )
        for key, other in conn.execute(query):
            found.setdefault(key, set()).add(other)
    return found


def _unlink(conn: Connection, key: str, other: str) -> None:
    conn.execute(
        delete(item_links).where(
            or_(
                and_(item_links.c.item_key == key, item_links.c.other_key == other),
                and_(item_links.c.item_key == other, item_links.c.other_key == key),
            )
        )
    )


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
