"""Feed fixtures: settings over the built-in taxonomy, a real SQLite store, awkward news items."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.config.loader import load_config
from icesco_watch.config.schema import AlertsConfig, Settings
from icesco_watch.feeds.server import FeedServer
from icesco_watch.models import NewsItem
from icesco_watch.store.items import record_items
from icesco_watch.store.schema import open_store
from tests.stores import store_url

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
TOPICS = [
    {"key": "ai", "name": "Artificial intelligence", "keywords": ["artificial intelligence"]},
    {
        "key": "heritage",
        "name": {"en": "Heritage", "fr": "Patrimoine", "ar": "التراث"},
        "keywords": ["heritage"],
    },
]


def make_settings(tmp_path: Path, **feeds: object) -> Settings:
    """The built-in config (sources, the 11 sectors) with a store and feeds.dir under tmp_path."""
    data = {
        "storage": {"url": store_url(tmp_path / "store")},
        "feeds": {"dir": str(tmp_path / "feeds"), "items": 5, **feeds},
        "server": {"host": "127.0.0.1", "port": 0},
        "telegram": {"bot_username": "icesco_watch_bot"},
        "topics": TOPICS,
    }
    defaults = load_config(None, {}).settings.model_dump(mode="json", exclude_none=True)
    return Settings.model_validate({**defaults, **data})


def make_item(
    slug: str,
    lang: str = "en",
    hours_ago: float = 0,
    title: str | None = None,
    summary: str = "A short summary of the news.",
    sectors: Sequence[str] = (),
    topics: Sequence[str] = (),
) -> NewsItem:
    published = NOW - timedelta(hours=hours_ago)
    return NewsItem(
        key=f"icesco.org/{lang}/{published:%Y/%m/%d}/{slug}",
        source=f"icesco-{lang}",
        lang=lang,
        url=f"https://icesco.org/{lang}/{published:%Y/%m/%d}/{slug}/",
        title=title or slug.replace("-", " ").capitalize(),
        published=published,
        summary=summary,
        body="Body text.",
        sectors=tuple(sectors),
        topics=tuple(topics),
    )


# Titles and summaries a scraper may really bring back: markup, entities, emoji, Arabic,
# and control characters that XML does not allow.
AWKWARD = [
    make_item(
        "schools-and-labs",
        "en",
        1,
        title="Schools & labs: <script>alert('x')</script> a new plan 🎓",
        summary="Ministers met <b>today</b> & agreed; \x00\x1b[31mred\x7f text \u0085 end",
        sectors=("education", "science"),
        topics=("ai",),
    ),
    make_item(
        "arabic-heritage",
        "ar",
        2,
        title="الإيسيسكو تطلق برنامجاً جديداً للتراث 🕌 \x0b",
        summary="ملخص قصير بالعربية \ufffe عن التراث.",
        sectors=("culture",),
        topics=("heritage",),
    ),
    make_item(
        "forum-francais",
        "fr",
        3,
        title="Forum « jeunesse » : l'ICESCO & ses partenaires\x08",
        summary='Un résumé avec des guillemets "doubles" et <i>balises</i>.',
        sectors=("education", "partnerships"),
    ),
    make_item("untagged-news", "en", 4, title="An item with no sector"),
]


def store_items(engine: Engine, found: Sequence[NewsItem]) -> None:
    with engine.begin() as conn:
        record_items(conn, found, [i.key for i in found], NOW, AlertsConfig(), baseline=True)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def engine(settings: Settings) -> Engine:
    return open_store(settings.storage.url)


@pytest.fixture
def server(settings: Settings, engine: Engine) -> Iterator[FeedServer]:
    """The feed server on 127.0.0.1 (a free port), on its own loop in a thread, so tests can
    talk to it with plain blocking clients (http.client sends paths such as /../ verbatim)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    feed_server = FeedServer(settings, engine)
    asyncio.run_coroutine_threadsafe(feed_server.start(), loop).result(timeout=10)
    try:
        yield feed_server
    finally:
        asyncio.run_coroutine_threadsafe(feed_server.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
