"""Crawls against a real WordPress multisite: every channel, both themes, three languages,
new, edited and deleted posts, pagination, and what an idle poll costs at the server's door."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
from sqlalchemy import Engine, select

from icesco_watch.config.schema import Settings
from icesco_watch.models import CycleReport
from icesco_watch.scheduler.cycle import run_cycle
from icesco_watch.spiders.urls import canonical_key
from icesco_watch.store.health import all_source_states
from icesco_watch.store.items import latest_items
from icesco_watch.store.schema import deliveries, items, open_store
from icesco_watch.store.subscriptions import add_subscription, upsert_chat
from tests.wordpress.conftest import WordPress

ZONE = ZoneInfo("Africa/Casablanca")
TITLES = {
    "en": "ICESCO programme {n} on education and culture",
    "ar": "الإيسيسكو تطلق برنامج التعليم رقم {n}",
    "fr": "L’ICESCO annonce le programme numéro {n} pour la culture",
}
BODIES = {
    "en": "<p>The Islamic World Educational, Scientific and Cultural Organization held "
    "a meeting on schools.</p><p>Second paragraph {n}.</p>",
    "ar": "<p>عقدت منظمة العالم الإسلامي للتربية والعلوم والثقافة اجتماعا رقم {n}.</p>",
    "fr": "<p>L’Organisation du monde islamique pour l’éducation tient sa réunion {n}.</p>",
}
NEWS_COUNT = {"en": 12, "ar": 3, "fr": 3}  # English spans pages: 10 per REST page, 4 per HTML


def seed(wp: WordPress) -> list[dict[str, Any]]:
    """News posts in the three sites, plus one post per site outside the news category."""
    ops: list[dict[str, Any]] = []
    for lang, count in NEWS_COUNT.items():
        for n in range(1, count + 1):
            ops.append(_post(lang, n, news=True))
        ops.append(_post(lang, 99, news=False))
    made = wp.run(*ops)
    return [{**op, **result} for op, result in zip(ops, made, strict=True)]


def _post(lang: str, n: int, news: bool) -> dict[str, Any]:
    category = {"en": "news", "ar": "المستجدات", "fr": "actualites"}[lang] if news else None
    title = TITLES[lang].format(n=n) if news else f"Off-category post {lang} {n}"
    return {
        "op": "add",
        "lang": lang,
        "title": title,
        "date": f"2025-01-{min(n, 28):02d} 10:00:00",
        "content": BODIES[lang].format(n=n),
        "category": category,
    }


def cycle(settings: Settings, engine: Engine) -> CycleReport:
    return asyncio.run(run_cycle(settings, engine, settings.sources))


def open_settings(wp: WordPress, tmp_path: Path, channel: str = "auto") -> tuple[Settings, Engine]:
    settings = Settings.model_validate(wp.config(tmp_path, channel))
    return settings, open_store(settings.storage.url)


def assert_stored_exactly(engine: Engine, posts: list[dict[str, Any]]) -> None:
    """Every news post stored with its exact title and publication day; nothing else."""
    with engine.connect() as conn:
        stored = {s.item.key: s.item for s in latest_items(conn, limit=1000)}
    expected = {canonical_key(p["link"]): p for p in posts if p["category"]}
    assert set(stored) == set(expected)
    for key, post in expected.items():
        assert stored[key].title == post["title"], key
        day = datetime.fromisoformat(post["date"]).date()
        assert stored[key].published.astimezone(ZONE).date() == day, key
        assert stored[key].lang == post["lang"]


@pytest.mark.parametrize(
    ("channel", "theme", "used"),
    [
        ("auto", "twentytwentyone", "rest"),
        ("feed", "twentytwentyone", "feed"),
        ("html", "twentytwentyone", "html"),
        ("html", "twentytwentythree", "html"),
    ],
)
def test_every_article_is_found_exactly_on_every_channel_and_theme(
    wordpress: WordPress, tmp_path: Path, channel: str, theme: str, used: str
) -> None:
    wordpress.run({"op": "theme", "name": theme})
    posts = seed(wordpress)
    settings, engine = open_settings(wordpress, tmp_path, channel)
    report = cycle(settings, engine)
    assert not report.failed, [r.errors for r in report.sources]
    assert_stored_exactly(engine, posts)
    with engine.connect() as conn:
        states = all_source_states(conn)
    assert {s.channel for s in states.values()} == {used}
    # Pagination: the English listing needed more than one page on every channel.
    english = next(r for r in report.sources if r.source == "wp-en")
    assert english.pages >= 2
    # Arabic is served right to left by WordPress itself (the locale is installed).
    ar_page = [h for h in wordpress.hits if h.path.startswith("/ar/") and h.status == 200]
    assert ar_page


def test_new_edited_and_deleted_posts_on_the_cheapest_channel(
    wordpress: WordPress, tmp_path: Path
) -> None:
    posts = seed(wordpress)
    settings, engine = open_settings(wordpress, tmp_path)
    assert not cycle(settings, engine).failed
    now = datetime.now(UTC)
    with engine.begin() as conn:
        upsert_chat(conn, "1001", now)
        add_subscription(conn, "1001", "all")

    fr_post = next(p for p in posts if p["lang"] == "fr" and p["category"])
    en_gone = next(p for p in posts if p["lang"] == "en" and p["category"])
    # Published a minute ago, as from the editor: a post's modified time is its publication
    # (a post inserted with an old date keeps that old modified time, which moves nothing).
    just_now = (datetime.now(ZONE) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S")
    new = wordpress.run(
        {**_post("en", 13, news=True), "date": just_now},
        {**_post("ar", 4, news=True), "date": just_now},
    )
    edited_title = "L’ICESCO modifie le programme pour la culture"
    wordpress.run(
        {"op": "edit", "lang": "fr", "id": fr_post["id"], "title": edited_title},
        {"op": "delete", "lang": "en", "id": en_gone["id"]},
    )
    wordpress.proxy.clear()
    report = cycle(settings, engine)
    assert not report.failed, [r.errors for r in report.sources]
    reported_new = {key for r in report.sources for key in r.new}
    assert reported_new == {canonical_key(p["link"]) for p in new}
    reported_updated = {key for r in report.sources for key in r.updated}
    assert reported_updated == {canonical_key(fr_post["link"])}
    with engine.connect() as conn:
        alerted = set(conn.scalars(select(deliveries.c.item_key)))
        row = conn.execute(
            select(items.c.title, items.c.version).where(
                items.c.key == canonical_key(fr_post["link"])
            )
        ).one()
        deleted = conn.execute(
            select(items.c.key).where(items.c.key == canonical_key(en_gone["link"]))
        ).first()
    assert alerted == reported_new  # the edit sent no alert
    assert (row.title, row.version) == (edited_title, 2)
    assert deleted is not None  # a deleted post stays in the store's history, quietly
    # The French feed shows the edit: new title, and an <updated> after the publication.
    feed = feedparser.parse((tmp_path / "feeds" / "fr" / "all.atom").read_bytes())
    entry = next(e for e in feed.entries if e.link == fr_post["link"])
    assert entry.title == edited_title
    assert entry.updated_parsed > entry.published_parsed


@pytest.mark.parametrize(("channel", "gate"), [("auto", ["HEAD", "GET"]), ("feed", ["GET"])])
def test_an_idle_poll_costs_its_gate_and_under_2_kb_per_request(
    wordpress: WordPress, tmp_path: Path, channel: str, gate: list[str]
) -> None:
    """Idle: the feed answers 304 (a HEAD when the REST API reads the news); on REST, the
    category's census (post count and newest id) is unchanged too."""
    seed(wordpress)
    settings, engine = open_settings(wordpress, tmp_path, channel)
    assert not cycle(settings, engine).failed
    wordpress.proxy.clear()
    report = cycle(settings, engine)
    assert not report.failed
    hits = wordpress.hits
    assert not [h for h in hits if h.path == "/robots.txt"]  # cached for a day
    for lang in ("en", "ar", "fr"):
        mine = [h for h in hits if h.path.startswith(f"/{lang}/")]
        assert [h.method for h in mine] == gate, (lang, mine)
        assert mine[0].status == 304
        assert all(h.sent <= 2048 for h in mine), (lang, mine)
    assert all(r.not_modified and r.requests == len(gate) for r in report.sources)
