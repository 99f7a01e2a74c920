"""The diff on a post whose address changed (slug or date): WordPress's post id, per source,
makes it the stored item at a new key, an edit and never a second item or alert."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from icesco_watch.config.schema import AlertsConfig
from icesco_watch.models import NewsItem, Outcome
from icesco_watch.store.items import items_by_key, known_keys, record_items
from icesco_watch.store.links import related
from icesco_watch.store.schema import deliveries, item_links, item_tags, items, open_store
from tests.stores import store_url

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(store_url(tmp_path))


def _item(
    slug: str, post_id: int | None, lang: str = "en", days_ago: float = 0.5, title: str = "T"
) -> NewsItem:
    published = NOW - timedelta(days=days_ago)
    return NewsItem(
        key=f"icesco.org/{lang}/{published:%Y/%m/%d}/{slug}",
        source=f"icesco-{lang}",
        lang=lang,
        url=f"https://icesco.org/{lang}/{published:%Y/%m/%d}/{slug}/",
        title=title,
        published=published,
        body="Schools and culture.",
        sectors=("education",),
        wp_post_id=post_id,
    )


def _record(
    engine: Engine,
    found: list[NewsItem],
    now: datetime = NOW,
    post_ids: dict[str, int] | None = None,
) -> dict[str, Outcome]:
    with engine.begin() as conn:
        alerts = AlertsConfig.model_validate({})
        keys = [i.key for i in found]
        return record_items(conn, found, keys, now, alerts, False, post_ids=post_ids)


def test_a_new_slug_moves_the_item_with_its_tags_links_and_deliveries(engine: Engine) -> None:
    old = _item("icesco-meets", 41)
    french = _item("l-icesco-se-reunit", 41, lang="fr")  # post 41 of another site
    assert _record(engine, [old, french]) == {old.key: Outcome.NEW, french.key: Outcome.NEW}
    with engine.begin() as conn:
        conn.execute(insert(item_links).values(item_key=old.key, other_key=french.key, score=1))
        conn.execute(insert(item_links).values(item_key=french.key, other_key=old.key, score=1))
        conn.execute(
            insert(deliveries).values(
                item_key=old.key,
                chat="42",
                status="sent",
                attempts=1,
                next_attempt_at=NOW,
                created_at=NOW,
            )
        )

    renamed = replace(
        old, key=old.key + "-renamed", url=old.url.replace("meets/", "meets-renamed/")
    )
    later = NOW + timedelta(hours=1)
    assert _record(engine, [renamed], later) == {renamed.key: Outcome.UPDATED}

    with engine.connect() as conn:
        stored = items_by_key(conn, [old.key, renamed.key])
        assert list(stored) == [renamed.key]  # one item, at its new key
        moved = stored[renamed.key]
        assert (moved.item.url, moved.version, moved.updated_at) == (renamed.url, 2, later)
        assert (moved.first_seen, moved.item.wp_post_id) == (NOW, 41)
        assert known_keys(conn, "en") == {renamed.key}
        assert set(conn.scalars(select(item_tags.c.item_key))) == {renamed.key, french.key}
        assert related(conn, [french.key]) == {french.key: [renamed.url]}
        assert related(conn, [renamed.key]) == {renamed.key: [french.url]}
        assert conn.execute(select(deliveries.c.item_key, deliveries.c.status)).all() == [
            (renamed.key, "sent")
        ]
    # Listed again at the new address: nothing to do.
    assert _record(engine, [renamed], later) == {renamed.key: Outcome.UNCHANGED}


def test_a_new_date_is_an_edit_of_the_same_post(engine: Engine) -> None:
    old = _item("icesco-meets", 7, days_ago=0.5)
    _record(engine, [old])
    moved = _item("icesco-meets", 7, days_ago=2.5)
    assert moved.key != old.key
    assert _record(engine, [moved]) == {moved.key: Outcome.UPDATED}
    with engine.connect() as conn:
        rows = conn.execute(select(items.c.key, items.c.published, items.c.version)).all()
    assert [(r.key, r.version) for r in rows] == [(moved.key, 2)]
    assert rows[0].published == moved.published


def test_an_unknown_or_missing_post_id_is_a_new_item(engine: Engine) -> None:
    _record(engine, [_item("first", 1), _item("no-id", None)])
    other_site = _item("autre", 1, lang="fr")  # the same id on another site: another post
    found = [_item("second", 2), _item("no-id-either", None), other_site]
    assert set(_record(engine, found).values()) == {Outcome.NEW}
    with engine.connect() as conn:
        assert len(conn.scalars(select(items.c.key)).all()) == 5


def test_a_stored_item_without_a_post_id_adopts_the_one_its_channel_lists(
    engine: Engine,
) -> None:
    before = _item("stored-before", None)
    _record(engine, [before])
    # The channel lists it again (known, not read): its id is adopted...
    _record(engine, [], post_ids={before.key: 9})
    # ...so the post renamed later is recognised.
    renamed = replace(_item("renamed", 9), title=before.title)
    assert _record(engine, [renamed]) == {renamed.key: Outcome.UPDATED}
    with engine.connect() as conn:
        assert conn.scalars(select(items.c.key)).all() == [renamed.key]
