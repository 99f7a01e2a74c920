"""Items in the store and the diff that decides what is new: insert, version, or leave alone.

An item's key is its canonical URL, but WordPress's permalink holds the slug and the date, which
editors change. So an item also keeps WordPress's post id (`wp_post_id`, per source: each
language is its own site). An entry whose key is unknown while its source's post id is stored
is the same article at a new address: an edit, never a new item nor a second alert. The stored
item is *moved* to the new key (its row, tags, cross-language links and deliveries follow, in
the cycle's transaction) and gets a new version with the new url. The key stays what it is
everywhere else, the canonical form of the url the item holds: the spider's known keys and
modified times match what the site lists now (so the post is not read again every cycle),
feeds and `related` give the address that works, and deliveries, story alerts and links keep
pointing at one item whatever address it had when they were written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from icesco_watch.config.schema import AlertsConfig
from icesco_watch.models import NewsItem, Outcome
from icesco_watch.routing import Interest, feed_interest
from icesco_watch.store.links import link_items
from icesco_watch.store.schema import deliveries, item_links, item_tags, items


@dataclass(frozen=True, slots=True)
class StoredItem:
    item: NewsItem
    first_seen: datetime
    last_seen: datetime
    version: int
    updated_at: datetime | None = None  # when an edit last changed it (None: never edited)


def known_keys(conn: Connection, lang: str) -> frozenset[str]:
    """Every stored key in `lang`: the spider skips their article pages."""
    return frozenset(conn.scalars(select(items.c.key).where(items.c.lang == lang)))


def known_modified(conn: Connection, lang: str) -> dict[str, str]:
    """The channel's modified time of every stored key in `lang` that has one."""
    query = select(items.c.key, items.c.modified).where(
        items.c.lang == lang, items.c.modified.is_not(None)
    )
    return {key: value for key, value in conn.execute(query)}


def record_items(
    conn: Connection,
    found: Sequence[NewsItem],
    seen_keys: Sequence[str],
    now: datetime,
    alerts: AlertsConfig,
    baseline: bool,
    modified: Mapping[str, str] | None = None,
    post_ids: Mapping[str, int] | None = None,
) -> dict[str, Outcome]:
    """Store what a crawl found and classify each item (call inside the cycle's transaction).

    Unknown keys are inserted: during a source's baseline they are BASELINE (silent, except the
    newest `alerts.baseline` "latest:N"), otherwise NEW, or STALE when published more than
    `alerts.max_age_days` ago. Known keys with a new content hash become a new version (UPDATED);
    with the same hash but other site categories, their categories and tags are updated in place.
    Every key the listings showed gets `last_seen = now`. `modified` holds the channel's
    modified time per key (REST API, feed): stored with the item, it is how the next crawl
    tells an edit (a changed time) from an item it need not read again. An edit is UPDATED
    only if what a reader sees changed (the content hash); it never alerts. An unknown key whose
    source's WordPress post id is stored is that item at a new address: it is moved to the new
    key and UPDATED (see the module's docstring). `post_ids` holds the post id of every key the
    channel listed: a stored item that has none adopts it.
    """
    modified = modified or {}
    latest = {item.key: item for item in found}  # one row per key, whatever the crawl repeated
    moved = _follow_moves(conn, latest)
    existing = {
        row.key: row
        for row in conn.execute(
            select(
                items.c.key,
                items.c.content_hash,
                items.c.version,
                items.c.modified,
                items.c.site_categories,
            ).where(items.c.key.in_(list(latest)))
        )
    }
    outcomes: dict[str, Outcome] = {}
    fresh = [item for key, item in latest.items() if key not in existing]
    for key, item in ((i.key, i) for i in fresh):
        conn.execute(
            insert(items).values(
                **_row(item), first_seen=now, last_seen=now, version=1, modified=modified.get(key)
            )
        )
    outcomes.update(_classify_fresh(fresh, now, alerts, baseline))
    _write_tags(conn, fresh)
    link_items(conn, fresh)
    for key, item in latest.items():
        row = existing.get(key)
        if row is None:
            continue
        if row.content_hash == item.content_hash and key not in moved:
            outcomes[key] = Outcome.UNCHANGED
            if list(row.site_categories or ()) != list(item.site_categories):
                _recategorise(conn, item)
            continue
        # A new address alone is a new version too: the url readers follow changed.
        conn.execute(
            update(items)
            .where(items.c.key == key)
            .values(**_row(item), last_seen=now, version=row.version + 1, updated_at=now)
        )
        _write_tags(conn, [item], replace=True)
        outcomes[key] = Outcome.UPDATED
    stored_modified = {key: row.modified for key, row in existing.items()}
    stored_modified.update(
        (key, value)
        for key, value in conn.execute(
            select(items.c.key, items.c.modified).where(
                items.c.key.in_([k for k in modified if k not in existing])
            )
        )
    )
    for key, value in modified.items():
        if key not in stored_modified or stored_modified[key] == value:
            continue
        # A new time is kept with a re-read item, or adopted for an item that had none; an
        # edit whose article could not be read keeps the old time, to be noticed next cycle.
        if key in latest or stored_modified[key] is None:
            conn.execute(update(items).where(items.c.key == key).values(modified=value))
    _adopt_post_ids(conn, {**(post_ids or {}), **_found_post_ids(latest)})
    seen = sorted(set(seen_keys) | set(existing))
    for start in range(0, len(seen), 500):
        conn.execute(
            update(items).where(items.c.key.in_(seen[start : start + 500])).values(last_seen=now)
        )
    return outcomes


def _recategorise(conn: Connection, item: NewsItem) -> None:
    """A re-read item whose site categories changed while what a reader sees did not (an
    editor filed it under another sector): its categories and the tags they decide are
    updated in place, without a version or an alert. They were dropped, so the item kept the
    sectors of its first categories for good (a probe against a real WordPress)."""
    row = _row(item)
    fields = ("site_categories", "sectors", "sector_evidence", "topics")
    conn.execute(
        update(items).where(items.c.key == item.key).values({name: row[name] for name in fields})
    )
    _write_tags(conn, [item], replace=True)


def _follow_moves(conn: Connection, latest: dict[str, NewsItem]) -> set[str]:
    """Move each stored item whose post id an unknown key of `latest` carries to that key;
    returns the keys moved to. A stored item also listed under its old key this crawl (a stale
    listing) is moved all the same, and its old entry dropped from `latest`."""
    wanted = {
        (item.source, item.wp_post_id): key
        for key, item in latest.items()
        if item.wp_post_id is not None
    }
    if not wanted:
        return set()
    unknown = set(latest) - set(
        conn.scalars(select(items.c.key).where(items.c.key.in_(list(latest))))
    )
    stored = conn.execute(
        select(items.c.key, items.c.source, items.c.wp_post_id, items.c.first_seen)
        .where(
            items.c.source.in_(sorted({source for source, _ in wanted})),
            items.c.wp_post_id.in_(sorted({post for _, post in wanted})),
        )
        .order_by(items.c.first_seen.desc(), items.c.key)
    )
    moved: set[str] = set()
    for row in stored:
        new = wanted.get((row.source, row.wp_post_id))
        if new is None or new not in unknown or new in moved:
            continue  # the post is stored under its current key, or already moved this crawl
        _move(conn, row.key, new)
        latest.pop(row.key, None)
        moved.add(new)
    return moved


def _move(conn: Connection, old: str, new: str) -> None:
    """Give the stored item `old` the key `new`, with everything that refers to it."""
    row = conn.execute(select(items).where(items.c.key == old)).one()._mapping
    conn.execute(insert(items).values({**row, "key": new}))
    conn.execute(update(item_tags).where(item_tags.c.item_key == old).values(item_key=new))
    conn.execute(update(item_links).where(item_links.c.item_key == old).values(item_key=new))
    conn.execute(update(item_links).where(item_links.c.other_key == old).values(other_key=new))
    conn.execute(update(deliveries).where(deliveries.c.item_key == old).values(item_key=new))
    conn.execute(delete(items).where(items.c.key == old))


def _found_post_ids(latest: Mapping[str, NewsItem]) -> dict[str, int]:
    return {key: item.wp_post_id for key, item in latest.items() if item.wp_post_id is not None}


def _adopt_post_ids(conn: Connection, post_ids: Mapping[str, int]) -> None:
    """Stored items among `post_ids` that have no post id (stored before it was kept, or read
    from a page without one) take the one the channel gives."""
    keys = sorted(post_ids)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = select(items.c.key).where(items.c.key.in_(chunk), items.c.wp_post_id.is_(None))
        for key in conn.scalars(query).all():
            conn.execute(update(items).where(items.c.key == key).values(wp_post_id=post_ids[key]))


def _classify_fresh(
    fresh: Sequence[NewsItem], now: datetime, alerts: AlertsConfig, baseline: bool
) -> dict[str, Outcome]:
    if baseline:
        newest = sorted(fresh, key=lambda i: i.published, reverse=True)[: alerts.baseline_latest]
        chosen = {item.key for item in newest}
        return {i.key: Outcome.NEW if i.key in chosen else Outcome.BASELINE for i in fresh}
    oldest_alerted = now - timedelta(days=alerts.max_age_days)
    return {
        i.key: Outcome.STALE
        if alerts.max_age_days and i.published < oldest_alerted
        else Outcome.NEW
        for i in fresh
    }


def _text(value: str) -> str:
    """PostgreSQL text cannot hold NUL; scraped text sometimes does (SQLite would keep it)."""
    return value.replace("\x00", "")


def _row(item: NewsItem) -> dict[str, Any]:
    return {
        "key": item.key,
        "source": item.source,
        "lang": item.lang,
        "url": _text(item.url),
        "title": _text(item.title),
        "published": item.published,
        "summary": _text(item.summary),
        "body": _text(item.body),
        "image": _text(item.image) if item.image else item.image,
        "site_categories": list(item.site_categories),
        "sectors": list(item.sectors),
        "sector_evidence": {k: list(v) for k, v in item.sector_evidence.items()},
        "topics": list(item.topics),
        "content_hash": item.content_hash,
    } | ({"wp_post_id": item.wp_post_id} if item.wp_post_id is not None else {})


def latest_items(
    conn: Connection,
    limit: int = 20,
    lang: str | None = None,
    sector: str | None = None,
    topic: str | None = None,
) -> list[StoredItem]:
    """Newest first by publication date (ties by key), optionally one language/sector/topic."""
    kind, key = ("sector", sector) if sector else ("topic", topic) if topic else ("all", "")
    interest = feed_interest(lang or "all", kind, key or "")
    if sector and topic:  # both: an item tagged with the sector and the topic
        interest = Interest(interest.langs, frozenset({sector}), frozenset({topic}), combine="all")
    return items_for(conn, interest, limit)


def items_for(
    conn: Connection, interest: Interest, limit: int, offset: int = 0
) -> list[StoredItem]:
    """Newest first (ties by key), the stored items whose language and exact tags fit `interest`.

    Keywords are not text SQL can match the way routing does (whole words on normalised text):
    an interest with keywords gets the candidates its tags allow, and the caller keeps those
    `routing.matches` accepts."""
    driver = _driving_tag(interest)
    if driver is None:
        query = select(items).where(_tag_clause(interest))
        query = query.order_by(items.c.published.desc(), items.c.key)
    else:
        # One tag drives: walk its index rows newest first, join each item, test the rest.
        kind, value, rest = driver
        query = (
            select(items)
            .join(item_tags, item_tags.c.item_key == items.c.key)
            .where(item_tags.c.kind == kind, item_tags.c.value == value, _tag_clause(rest))
            .order_by(item_tags.c.published.desc(), item_tags.c.item_key)
        )
    query = query.limit(limit).offset(offset)
    if interest.langs:
        query = query.where(items.c.lang.in_(sorted(interest.langs)))
    return [_stored(row._mapping) for row in conn.execute(query)]


def _driving_tag(interest: Interest) -> tuple[str, str, Interest] | None:
    """The single sector (else topic) every item must carry, with the rest of `interest`."""
    if interest.combine != "all":
        return None
    langs, sectors, topics, keywords = (
        interest.langs,
        interest.sectors,
        interest.topics,
        interest.keywords,
    )
    if len(sectors) == 1:
        return "sector", next(iter(sectors)), Interest(langs, frozenset(), topics, keywords, "all")
    if len(topics) == 1:
        return "topic", next(iter(topics)), Interest(langs, sectors, frozenset(), keywords, "all")
    return None


def _tag_clause(interest: Interest) -> ColumnElement[bool]:
    """Exact tag joins for `interest` (EXISTS on the indexed item_tags; no LIKE on JSON text)."""
    clauses = [
        _tagged(kind, values)
        for kind, values in (("sector", interest.sectors), ("topic", interest.topics))
        if values
    ]
    if interest.combine == "all":
        return and_(true(), *clauses)
    if interest.keywords or not clauses:  # an item may be wanted for a keyword alone
        return true()
    return or_(*clauses)


def _tagged(kind: str, values: frozenset[str]) -> ColumnElement[bool]:
    # An alias: the query may already join item_tags for its driving tag.
    tags = item_tags.alias(f"{kind}_tags")
    return exists().where(
        tags.c.item_key == items.c.key,
        tags.c.kind == kind,
        tags.c.value.in_(sorted(values)),
    )


def _tag_rows(item: NewsItem) -> list[dict[str, Any]]:
    # The language is a tag too: every item has at least one row, so every write of an item
    # (new, edited, re-tagged) adds rows with fresh ids and moves `last_change`.
    return [
        {"item_key": item.key, "kind": kind, "value": value, "published": item.published}
        for kind, values in (
            ("lang", (item.lang,)),
            ("sector", item.sectors),
            ("topic", item.topics),
        )
        for value in dict.fromkeys(values)
    ]


def _write_tags(conn: Connection, written: Sequence[NewsItem], replace: bool = False) -> None:
    """Make item_tags hold exactly the tags of `written` (`replace`: drop their old rows)."""
    if replace:
        keys = [item.key for item in written]
        for start in range(0, len(keys), 500):
            conn.execute(
                delete(item_tags).where(item_tags.c.item_key.in_(keys[start : start + 500]))
            )
    rows = [row for item in written for row in _tag_rows(item)]
    for start in range(0, len(rows), 1000):
        conn.execute(insert(item_tags), rows[start : start + 1000])


def _stored_tags(conn: Connection) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for key, kind, value in conn.execute(
        select(item_tags.c.item_key, item_tags.c.kind, item_tags.c.value)
    ):
        found.setdefault(key, set()).add((kind, value))
    return found


def items_by_key(conn: Connection, keys: Sequence[str]) -> dict[str, StoredItem]:
    """The stored items among `keys` (absent keys are simply missing from the result)."""
    found: dict[str, StoredItem] = {}
    unique = sorted(set(keys))
    for start in range(0, len(unique), 500):
        query = select(items).where(items.c.key.in_(unique[start : start + 500]))
        for row in conn.execute(query):
            found[row.key] = _stored(row._mapping)
    return found


def retag_items(conn: Connection, tag: Callable[[NewsItem], NewsItem]) -> tuple[int, int]:
    """Re-apply `tag` to every stored item; rewrite only the tags that changed.

    Returns (items examined, items whose sectors, evidence or topics changed). Versions and
    content hashes are untouched: a new taxonomy is not an edit of the article. An item whose
    item_tags rows disagree with its tags (a store from before the table existed) gets them
    rewritten too, so `icesco-watch retag` also repairs the table.
    """
    examined = changed = 0
    rows = conn.execute(select(items).order_by(items.c.key)).all()
    stored_tags = _stored_tags(conn)
    rewrite: list[NewsItem] = []
    for row in rows:
        old = _stored(row._mapping).item
        new = tag(old)
        examined += 1
        if (new.sectors, new.sector_evidence, new.topics) != (
            old.sectors,
            old.sector_evidence,
            old.topics,
        ):
            changed += 1
            conn.execute(
                update(items)
                .where(items.c.key == old.key)
                .values(
                    sectors=list(new.sectors),
                    sector_evidence={k: list(v) for k, v in new.sector_evidence.items()},
                    topics=list(new.topics),
                )
            )
        wanted = {(r["kind"], r["value"]) for r in _tag_rows(new)}
        if stored_tags.get(new.key, set()) != wanted:
            rewrite.append(new)
    _write_tags(conn, rewrite, replace=True)
    return examined, changed


def backfill_item_tags(conn: Connection) -> int:
    """Write the item_tags rows of stored items that have none (a store from before the table
    existed: its migration calls this); returns how many items got rows. Idempotent."""
    tagged = select(item_tags.c.item_key).distinct()
    # Only the columns the tags need: this runs inside migration 0005, before later columns exist.
    needed = (
        "key",
        "source",
        "lang",
        "url",
        "title",
        "published",
        "sectors",
        "topics",
        "content_hash",
    )
    query = select(*(items.c[name] for name in needed))
    rows = conn.execute(query.where(items.c.key.not_in(tagged))).all()
    found = [
        NewsItem(
            key=row.key,
            source=row.source,
            lang=row.lang,
            url=row.url,
            title=row.title,
            published=row.published,
            sectors=tuple(row.sectors),
            topics=tuple(row.topics),
            content_hash=row.content_hash,
        )
        for row in rows
    ]
    _write_tags(conn, found)
    return len(found)


def last_change(conn: Connection) -> int:
    """A marker that moves whenever an item is inserted, edited, re-tagged or moved to a new
    address: the newest item_tags id (each of those writes the item's tag rows anew, and ids
    are never reused; a moved item's old row goes, its new one is written with new tag rows).
    One primary-key lookup, cheap enough for every feed request."""
    newest: int | None = conn.execute(select(func.max(item_tags.c.id))).scalar()
    return newest or 0


def count_by_source(conn: Connection) -> dict[str, int]:
    query = select(items.c.source, func.count()).group_by(items.c.source)
    return {source: count for source, count in conn.execute(query)}


def _stored(row: Any) -> StoredItem:
    item = NewsItem(
        key=row["key"],
        source=row["source"],
        lang=row["lang"],
        url=row["url"],
        title=row["title"],
        published=row["published"],
        summary=row["summary"],
        body=row["body"],
        image=row["image"],
        site_categories=tuple(row["site_categories"]),
        sectors=tuple(row["sectors"]),
        sector_evidence={k: tuple(v) for k, v in row["sector_evidence"].items()},
        topics=tuple(row["topics"]),
        content_hash=row["content_hash"],
        wp_post_id=row.get("wp_post_id"),
    )
    return StoredItem(
        item, row["first_seen"], row["last_seen"], row["version"], row.get("updated_at")
    )
