"""Cross-language links in the store: real corpus items recorded crawl by crawl, read as
`related`, and shown by `icesco-watch items list --json`."""

from __future__ import annotations

import json
import random
import subprocess
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from icesco_watch.config.schema import AlertsConfig
from icesco_watch.linking import link
from icesco_watch.linking_corpus import corpus
from icesco_watch.models import NewsItem, content_hash
from icesco_watch.store.items import record_items
from icesco_watch.store.links import related
from icesco_watch.store.schema import item_links, open_store
from tests.conftest import CLI, clean_env
from tests.stores import POSTGRES, store_url

_, RAW = corpus()


def _real(lang: str, day: str, title_start: str) -> NewsItem:
    [rec] = [
        r
        for r in RAW.values()
        if r["lang"] == lang and r["published"] == day and r["title"].startswith(title_start)
    ]
    published = datetime.combine(datetime.fromisoformat(day).date(), time(10), tzinfo=UTC)
    key = next(k for k, r in RAW.items() if r is rec)
    return NewsItem(
        key=key,
        source=f"icesco-{lang}",
        lang=lang,
        url=rec["url"],
        title=rec["title"],
        published=published,
        summary=rec["lead"],
        sectors=tuple(rec["sectors"]),
        content_hash=content_hash(rec["title"], published, rec["lead"]),
    )


AR = _real("ar", "2026-02-12", "لجنة التراث")
EN = _real("en", "2026-02-12", "Heritage Committee adds 117")
FR = _real("fr", "2026-02-12", "Tachkent : 117 sites")
# Same day, other stories: they must stay unlinked.
EN_OTHER = _real("en", "2026-02-12", "Arab Federation for Libraries")
FR_OTHER = _real("fr", "2026-02-12", "Médias au service")


def _record(engine: Engine, found: list[NewsItem]) -> None:
    now = max(i.published for i in found) + timedelta(hours=1)
    with engine.begin() as conn:
        record_items(conn, found, [i.key for i in found], now, AlertsConfig(), False)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(store_url(tmp_path))


def test_versions_recorded_in_separate_crawls_are_linked_both_ways(engine: Engine) -> None:
    _record(engine, [AR])
    _record(engine, [EN, EN_OTHER])
    _record(engine, [FR_OTHER, FR])
    with engine.connect() as conn:
        found = related(conn, [AR.key, EN.key, FR.key, EN_OTHER.key, FR_OTHER.key])
        rows = conn.execute(select(item_links.c.item_key, item_links.c.score)).all()
    assert sorted(found[AR.key]) == sorted([EN.url, FR.url])
    assert sorted(found[EN.key]) == sorted([AR.url, FR.url])
    assert sorted(found[FR.key]) == sorted([AR.url, EN.url])
    assert found[EN_OTHER.key] == []
    assert found[FR_OTHER.key] == []
    assert len(rows) == 6
    assert all(score > 0 for _, score in rows)


def test_one_crawl_with_stories_months_apart_links_each(engine: Engine) -> None:
    # A backfill: one batch holds a February story and a November one; each is linked from
    # its own read of the store (store/links.py `_runs`), neither with the other.
    ar_nov = _real("ar", "2025-11-13", "الإيسيسكو تشارك في المنتدى الأفريقي")
    fr_nov = _real("fr", "2025-11-14", "À Bujumbura")
    _record(engine, [FR, ar_nov, EN, fr_nov, AR])
    with engine.connect() as conn:
        found = related(conn, [AR.key, EN.key, FR.key, ar_nov.key, fr_nov.key])
    assert sorted(found[AR.key]) == sorted([EN.url, FR.url])
    assert sorted(found[EN.key]) == sorted([AR.url, FR.url])
    assert found[ar_nov.key] == [fr_nov.url]
    assert found[fr_nov.key] == [ar_nov.url]


def test_a_better_version_arriving_later_replaces_the_weaker_link(engine: Engine) -> None:
    # A weaker French candidate first (same day, shares the place only), then the real version.
    weak = NewsItem(
        key="icesco.org/fr/2026/02/12/autre",
        source="icesco-fr",
        lang="fr",
        url="https://icesco.org/fr/2026/02/12/autre/",
        title="Tachkent : 117 sites du patrimoine",
        published=FR.published,
        summary="Le Comité du patrimoine réuni à Tachkent.",
        sectors=("culture",),
        content_hash="1" * 64,
    )
    _record(engine, [EN, weak])
    with engine.connect() as conn:
        assert related(conn, [EN.key])[EN.key] == [weak.url]
    _record(engine, [FR])
    with engine.connect() as conn:
        found = related(conn, [EN.key, weak.key])
    assert found[EN.key] == [FR.url]
    assert found[weak.key] == []


@pytest.mark.skipif(POSTGRES, reason="the command line test reads a SQLite file")
def test_items_list_json_shows_related(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    _record(open_store(url), [AR, EN, FR, EN_OTHER])
    config = tmp_path / "icesco-watch.toml"
    config.write_text(f'[storage]\nurl = "{url}"\n', encoding="utf-8")
    done = subprocess.run(
        [*CLI, "--config", str(config), "items", "list", "--json"],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = {row["key"]: row for row in map(json.loads, done.stdout.splitlines())}
    assert sorted(rows[EN.key]["related"]) == sorted([AR.url, FR.url])
    assert rows[EN_OTHER.key]["related"] == []


def test_one_events_other_stories_stored_around_a_pair_keep_it_apart(tmp_path: Path) -> None:
    # COP29's first day: a visit to ICESCO's pavilion (EN) and the opening (FR), two stories.
    visit = _real("en", "2024-11-11", "Leyla Aliyeva tours")
    opening = _real("fr", "2024-11-11", "La COP29 s'ouvre")
    summit = _real("fr", "2024-11-13", "Action climatique")
    alone = open_store(store_url(tmp_path, "alone.db"))
    _record(alone, [visit, opening])
    beside = open_store(store_url(tmp_path, "beside.db"))
    # The store holds another French COP29 story of those days: Baku and COP29 are the
    # umbrella's, read from the stored window, and the two stories stay apart.
    _record(beside, [summit])
    _record(beside, [visit, opening])
    with alone.connect() as conn:
        assert related(conn, [visit.key])[visit.key] == [opening.url]
    with beside.connect() as conn:
        assert related(conn, [visit.key, opening.key]) == {visit.key: [], opening.key: []}


def test_a_later_story_of_the_same_event_undoes_a_link_made_without_it(engine: Engine) -> None:
    # The visit and the opening arrive first and link (nothing else of COP29 is stored yet);
    # the summit story two days later shows Baku and COP29 are the event's, not the story's:
    # the stored pair is settled again and comes apart, as the linker over the whole window
    # (bench/linking_eval.py) decides.
    visit = _real("en", "2024-11-11", "Leyla Aliyeva tours")
    opening = _real("fr", "2024-11-11", "La COP29 s'ouvre")
    summit = _real("fr", "2024-11-13", "Action climatique")
    _record(engine, [visit, opening])
    with engine.connect() as conn:
        assert related(conn, [visit.key])[visit.key] == [opening.url]
    _record(engine, [summit])
    with engine.connect() as conn:
        assert related(conn, [visit.key, opening.key, summit.key]) == {
            visit.key: [],
            opening.key: [],
            summit.key: [],
        }
        assert conn.execute(select(item_links)).all() == []


def test_settling_again_keeps_a_true_link_and_adds_no_duplicate(engine: Engine) -> None:
    _record(engine, [AR, EN])
    _record(engine, [FR, EN_OTHER])
    _record(engine, [FR_OTHER])
    with engine.connect() as conn:
        found = related(conn, [EN.key, FR.key, AR.key])
        rows = conn.execute(select(item_links.c.item_key, item_links.c.other_key)).all()
    assert sorted(found[EN.key]) == sorted([AR.url, FR.url])
    assert sorted(found[FR.key]) == sorted([AR.url, EN.url])
    assert len(rows) == len(set(rows)) == 6  # three versions, both directions


def test_the_store_links_what_the_linker_says_of_the_whole_corpus(tmp_path: Path) -> None:
    """Recorded crawl by crawl in a shuffled order, the real corpus ends with exactly the links
    `link()` makes over all of it at once (what bench/linking_eval.py measures): settling the
    items a fresh one can influence leaves nothing behind that the order decided."""
    docs, _ = corpus()
    found = []
    for key, rec in RAW.items():
        day = datetime.fromisoformat(rec["published"]).date()
        published = datetime.combine(day, time(10), tzinfo=UTC)
        text = docs[key].text
        found.append(
            NewsItem(
                key=key,
                source=f"icesco-{rec['lang']}",
                lang=rec["lang"],
                url=rec["url"],
                title=rec["title"],
                published=published,
                summary=text,
                sectors=tuple(rec["sectors"]),
                content_hash=content_hash(rec["title"], published, text),
            )
        )
    random.Random(2026).shuffle(found)
    engine = open_store(store_url(tmp_path))
    for start in range(0, len(found), 60):
        _record(engine, found[start : start + 60])
    with engine.connect() as conn:
        rows = conn.execute(select(item_links.c.item_key, item_links.c.other_key)).all()
    stored = {tuple(sorted(row)) for row in rows}
    assert len(rows) == 2 * len(stored)  # both directions, each once
    assert stored == link(list(docs.values()))
