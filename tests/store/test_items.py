"""The diff layer on a real SQLite file: what counts as new, updated, stale or baseline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from icesco_watch.config.schema import AlertsConfig
from icesco_watch.models import NewsItem, Outcome
from icesco_watch.store.items import count_by_source, known_keys, latest_items, record_items
from icesco_watch.store.schema import items, open_store
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
