"""The diff layer on a real SQLite file: what counts as new, updated, stale or baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select

from icesco_watch.config.schema import AlertsConfig
from icesco_watch.models import NewsItem, Outcome
from icesco_watch.routing import Interest, feed_interest, select_items
from icesco_watch.store.items import (
    backfill_item_tags,
    count_by_source,
    items_for,
    known_keys,
    last_change,
    latest_items,
    record_items,
    retag_items,
)
from icesco_watch.store.schema import item_tags, items, open_store
from tests.stores import POSTGRES, store_url

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(store_url(tmp_path / "nested" / "dir"))


def _item(
    slug: str, days_ago: float = 0, title: str | None = None, body: str = "Body."
) -> NewsItem:
    published = NOW - timedelta(days=days_ago)
    return NewsItem(
        key=f"icesco.org/en/{published:%Y/%m/%d}/{slug}",
        source="icesco-en",
        lang="en",
        url=f"https://icesco.org/en/{published:%Y/%m/%d}/{slug}/",
        title=title or slug.replace("-", " ").title(),
        published=published,
        body=body,
        sectors=("education",) if "school" in slug else (),
    )


def _record(
    engine: Engine, found: list[NewsItem], first_run: bool = False, **alerts: object
) -> dict[str, Outcome]:
    with engine.begin() as conn:
        return record_items(
            conn, found, [i.key for i in found], NOW, AlertsConfig.model_validate(alerts), first_run
        )


@pytest.mark.skipif(POSTGRES, reason="a SQLite file's folder; PostgreSQL has none")
def test_the_store_path_is_created(tmp_path: Path, engine: Engine) -> None:
    assert (tmp_path / "nested" / "dir" / "watch.db").is_file()


def test_baseline_stores_everything_silently(engine: Engine) -> None:
    found = [_item("a", 1), _item("b", 2), _item("c", 300)]
    outcomes = _record(engine, found, first_run=True)
    assert set(outcomes.values()) == {Outcome.BASELINE}
    with engine.connect() as conn:
        assert known_keys(conn, "en") == {i.key for i in found}
        assert known_keys(conn, "fr") == frozenset()


def test_baseline_latest_n_alerts_the_newest_n(engine: Engine) -> None:
    found = [_item("old", 5), _item("newest", 0.1), _item("middle", 1)]
    outcomes = _record(engine, found, first_run=True, baseline="latest:2")
    assert outcomes[found[1].key] is Outcome.NEW
    assert outcomes[found[2].key] is Outcome.NEW
    assert outcomes[found[0].key] is Outcome.BASELINE


def test_unknown_keys_after_the_baseline_are_new_unless_old(engine: Engine) -> None:
    _record(engine, [_item("a", 1)], first_run=True)
    fresh, old = _item("fresh", 0.5), _item("resurfaced", 30)
    outcomes = _record(engine, [_item("a", 1), fresh, old])
    assert outcomes == {
        _item("a", 1).key: Outcome.UNCHANGED,
        fresh.key: Outcome.NEW,
        old.key: Outcome.STALE,
    }
    with engine.connect() as conn:
        assert old.key in known_keys(conn, "en")  # stored, only not alerted


def test_max_age_zero_turns_the_guard_off(engine: Engine) -> None:
    _record(engine, [_item("a", 1)], first_run=True)
    old = _item("resurfaced", 400)
    assert _record(engine, [old], max_age_days=0) == {old.key: Outcome.NEW}


def test_a_changed_content_hash_bumps_the_version(engine: Engine) -> None:
    original = _item("edited", 1, title="Original title")
    _record(engine, [original], first_run=True)
    edited = _item("edited", 1, title="Corrected title", body="Body. With a new paragraph.")
    assert _record(engine, [edited]) == {edited.key: Outcome.UPDATED}
    assert _record(engine, [edited]) == {edited.key: Outcome.UNCHANGED}
    with engine.connect() as conn:
        row = conn.execute(select(items).where(items.c.key == edited.key)).one()
    assert (row.version, row.title, row.updated_at) == (2, "Corrected title", NOW)
    assert row.first_seen == NOW
    assert row.published.tzinfo is not None


def test_whitespace_only_changes_are_not_edits(engine: Engine) -> None:
    _record(engine, [_item("a", 1, body="One  two\nthree")], first_run=True)
    assert set(_record(engine, [_item("a", 1, body="One two three")]).values()) == {
        Outcome.UNCHANGED
    }


def test_where_fields_came_from_is_neither_stored_nor_hashed(
    engine: Engine, tmp_path: Path
) -> None:
    plain = _item("a", 1)
    traced = replace(plain, provenance={"title": "og:title", "date": "JSON-LD datePublished"})
    assert traced.content_hash == plain.content_hash
    assert traced == plain  # edit detection and tests compare items without it
    assert "provenance" not in items.c  # no column: nothing to migrate
    other = open_store(store_url(tmp_path / "other"))
    assert _record(engine, [plain], first_run=True) == _record(other, [traced], first_run=True)
    rows = []
    for store in (engine, other):
        with store.connect() as conn:
            rows.append(conn.execute(select(items)).one()._asdict())
            [stored] = latest_items(conn)
        assert stored.item == plain
        assert stored.item.provenance == {}
    assert rows[0] == rows[1]
    # Seen again with where its fields came from, a stored item is unchanged, not an edit.
    assert _record(engine, [traced]) == {plain.key: Outcome.UNCHANGED}


def test_a_key_repeated_in_one_crawl_is_one_row(engine: Engine) -> None:
    twice = [_item("a", 1), _item("a", 1)]
    assert len(_record(engine, twice, first_run=True)) == 1
    with engine.connect() as conn:
        assert count_by_source(conn) == {"icesco-en": 1}


def test_latest_items_newest_first_with_filters(engine: Engine) -> None:
    _record(engine, [_item("b", 2), _item("school-a", 1), _item("c", 3)], first_run=True)
    with engine.connect() as conn:
        assert [s.item.key.rsplit("/", 1)[1] for s in latest_items(conn, 2)] == ["school-a", "b"]
        only = latest_items(conn, 10, sector="education")
        assert [s.item.sectors for s in only] == [("education",)]
        assert latest_items(conn, 10, lang="ar") == []
        restored = latest_items(conn, 1)[0].item
    assert restored == _item("school-a", 1)  # every field survives the round trip


def _tagged(
    slug: str,
    lang: str = "en",
    sectors: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    hours: int = 0,
) -> NewsItem:
    published = NOW - timedelta(hours=hours)
    return NewsItem(
        key=f"icesco.org/{lang}/{published:%Y/%m/%d}/{slug}",
        source=f"icesco-{lang}",
        lang=lang,
        url=f"https://icesco.org/{lang}/{published:%Y/%m/%d}/{slug}/",
        title=slug,
        published=published,
        sectors=sectors,
        topics=topics,
    )


def _tag_rows(engine: Engine) -> set[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(item_tags.c.item_key, item_tags.c.kind, item_tags.c.value))
        return {(key.rsplit("/", 1)[1], kind, value) for key, kind, value in rows}


def test_an_underscore_in_a_tag_is_not_a_wildcard(engine: Engine) -> None:
    # Through LIKE '%"a_b"%' the topic a_b also matched "axb" and the sector x_y "xzy".
    found = [
        _tagged("exact", topics=("a_b",), sectors=("x_y",)),
        _tagged("lookalike", topics=("axb",), sectors=("xzy",), hours=1),
    ]
    _record(engine, found, first_run=True)
    with engine.connect() as conn:
        assert [s.item.title for s in latest_items(conn, 10, topic="a_b")] == ["exact"]
        assert [s.item.title for s in latest_items(conn, 10, sector="x_y")] == ["exact"]
        assert [s.item.title for s in latest_items(conn, 10, topic="axb")] == ["lookalike"]
        assert latest_items(conn, 10, topic="a%") == []


def test_tags_are_written_with_the_item_and_follow_its_edits(engine: Engine) -> None:
    first = _tagged("a", sectors=("education", "science"), topics=("ai",))
    _record(engine, [first], first_run=True)
    assert _tag_rows(engine) == {
        ("a", "lang", "en"),
        ("a", "sector", "education"),
        ("a", "sector", "science"),
        ("a", "topic", "ai"),
    }
    edited = replace(first, title="edited", sectors=("culture",), topics=(), content_hash="")
    assert _record(engine, [edited]) == {first.key: Outcome.UPDATED}
    assert _tag_rows(engine) == {("a", "lang", "en"), ("a", "sector", "culture")}


def test_new_site_categories_alone_update_the_tags_without_a_version(engine: Engine) -> None:
    # An editor filing a post under another category changes no text, so the content hash
    # called it unchanged and the categories, and the sectors they decide, were dropped for
    # good (a probe against a real WordPress: "culture" added, the item stayed "news" only).
    first = replace(_tagged("a", sectors=("governance",)), site_categories=("news",))
    _record(engine, [first], first_run=True)
    with engine.connect() as conn:
        before = last_change(conn)
    filed = replace(first, site_categories=("news", "culture"), sectors=("culture", "governance"))
    assert filed.content_hash == first.content_hash
    assert _record(engine, [filed]) == {first.key: Outcome.UNCHANGED}  # no alert, no version
    with engine.connect() as conn:
        row = conn.execute(select(items).where(items.c.key == first.key)).one()
        assert (row.version, row.site_categories) == (1, ["news", "culture"])
        assert row.sectors == ["culture", "governance"]
        assert [s.item.title for s in latest_items(conn, 10, sector="culture")] == ["a"]
        assert last_change(conn) != before  # custom feeds see it
    assert ("a", "sector", "culture") in _tag_rows(engine)
    assert _record(engine, [filed]) == {first.key: Outcome.UNCHANGED}


def test_retag_rewrites_changed_tags_and_repairs_missing_rows(engine: Engine) -> None:
    _record(
        engine, [_tagged("a", sectors=("education",)), _tagged("b", topics=("ai",))], first_run=True
    )
    with engine.begin() as conn:
        before = last_change(conn)
        conn.execute(delete(item_tags).where(item_tags.c.item_key.like("%/b")))  # an old store
    with engine.begin() as conn:
        retagged = retag_items(
            conn, lambda i: replace(i, sectors=("culture",)) if i.title == "a" else i
        )
        assert retagged == (2, 1)
        assert last_change(conn) != before
    assert _tag_rows(engine) == {
        ("a", "lang", "en"),
        ("a", "sector", "culture"),
        ("b", "lang", "en"),
        ("b", "topic", "ai"),
    }
    with engine.connect() as conn:
        assert [s.item.title for s in latest_items(conn, 10, sector="culture")] == ["a"]
        assert [s.item.title for s in latest_items(conn, 10, topic="ai")] == ["b"]


def test_last_change_moves_on_new_items_and_edits_only(engine: Engine) -> None:
    _record(engine, [_tagged("a")], first_run=True)
    with engine.connect() as conn:
        first = last_change(conn)
    _record(engine, [_tagged("a")])  # seen again, unchanged
    with engine.connect() as conn:
        assert last_change(conn) == first
    _record(engine, [_tagged("b")])
    with engine.connect() as conn:
        second = last_change(conn)
    assert second != first
    edited = replace(_tagged("a"), title="A corrected title", content_hash="")
    assert _record(engine, [edited]) == {edited.key: Outcome.UPDATED}  # same tags, new text
    with engine.connect() as conn:
        assert last_change(conn) not in (first, second)


LANGS = ("en", "ar", "fr")
SECTORS = ("education", "culture", "science")
TOPICS = ("ai", "a_b", "axb")


def test_sql_fill_holds_exactly_what_the_routing_core_decides(engine: Engine) -> None:
    """Every catalogue-shaped interest: the store's exact joins equal routing over all items."""
    found = [
        _tagged(
            f"n{n}",
            LANGS[n % 3],
            sectors=tuple(s for i, s in enumerate(SECTORS) if n >> i & 1),
            topics=tuple(t for i, t in enumerate(TOPICS) if n >> (i + 3) & 1),
            hours=n % 7,
        )
        for n in range(64)
    ]
    _record(engine, found, first_run=True)
    ordered = sorted(sorted(found, key=lambda i: i.key), key=lambda i: i.published, reverse=True)
    interests = [feed_interest(lang, "all") for lang in (*LANGS, "all")]
    interests += [feed_interest(lang, "sector", s) for lang in (*LANGS, "all") for s in SECTORS]
    interests += [feed_interest(lang, "topic", t) for lang in (*LANGS, "all") for t in TOPICS]
    interests += [
        Interest(sectors=frozenset({"culture"}), topics=frozenset({"a_b", "ai"}), combine="all"),
        Interest(sectors=frozenset({"culture"}), topics=frozenset({"a_b"})),  # any
        Interest(langs=frozenset({"fr", "ar"}), sectors=frozenset({"science", "education"})),
        Interest(
            langs=frozenset({"fr"}),
            sectors=frozenset({"culture"}),
            topics=frozenset({"ai"}),
            combine="all",
        ),
        Interest(
            sectors=frozenset({"culture", "science"}), topics=frozenset({"ai"}), combine="all"
        ),
    ]
    with engine.connect() as conn:
        for interest in interests:
            stored = [s.item.key for s in items_for(conn, interest, 20)]
            assert stored == [i.key for i in select_items(interest, ordered)][:20], interest


def test_backfill_writes_the_tags_of_a_store_from_before_the_table(engine: Engine) -> None:
    _record(engine, [_tagged("a", sectors=("culture",)), _tagged("b", topics=("a_b",))], True)
    with engine.begin() as conn:
        conn.execute(delete(item_tags))  # what a store created before item_tags holds
        assert latest_items(conn, 10, sector="culture") == []
        assert backfill_item_tags(conn) == 2
        assert backfill_item_tags(conn) == 0
        assert [s.item.title for s in latest_items(conn, 10, sector="culture")] == ["a"]
        assert [s.item.title for s in latest_items(conn, 10, topic="a_b")] == ["b"]
