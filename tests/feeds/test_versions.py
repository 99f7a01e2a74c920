"""Feeds carry a story's other-language versions: real ICESCO items recorded crawl by crawl, the
feeds published after each crawl, fetched over real HTTP and read by feedparser."""

from __future__ import annotations

import http.client
from datetime import timedelta

import feedparser
import pytest
from sqlalchemy import Engine

from icesco_watch.config.schema import AlertsConfig, Settings
from icesco_watch.feeds.publish import publish_feeds
from icesco_watch.feeds.server import FeedServer
from icesco_watch.models import NewsItem
from icesco_watch.store.items import record_items
from tests.store.test_links import AR, EN, EN_OTHER, FR, FR_OTHER


def crawl(settings: Settings, engine: Engine, found: list[NewsItem]) -> None:
    """One cycle's store and feed steps for `found`."""
    now = max(i.published for i in found) + timedelta(hours=1)
    with engine.begin() as conn:
        record_items(conn, found, [i.key for i in found], now, AlertsConfig(), baseline=False)
    publish_feeds(settings, engine, found)


def fetch(server: FeedServer, path: str) -> feedparser.FeedParserDict:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        assert response.status == 200, path
        return feedparser.parse(response.read())
    finally:
        conn.close()


def entry(feed: feedparser.FeedParserDict, item: NewsItem) -> feedparser.FeedParserDict:
    [found] = [e for e in feed.entries if e.id == item.url]
    return found


def alternates(found: feedparser.FeedParserDict) -> dict[str, str]:
    """hreflang -> href of an entry's language alternates."""
    return {
        link["hreflang"]: link["href"]
        for link in found.links
        if link.get("rel") == "alternate" and link.get("hreflang")
    }


@pytest.fixture
def stored(settings: Settings, engine: Engine) -> None:
    crawl(settings, engine, [AR])
    crawl(settings, engine, [EN, EN_OTHER])
    crawl(settings, engine, [FR_OTHER, FR])


@pytest.mark.usefixtures("stored")
def test_atom_entries_link_their_other_versions_by_hreflang(server: FeedServer) -> None:
    # en/all was last rebuilt when the French version arrived: linked feeds are rebuilt too.
    english = fetch(server, "/en/all.atom")
    assert alternates(entry(english, EN)) == {"ar": AR.url, "fr": FR.url}
    assert entry(english, EN).link == EN.url  # the entry's own link is still its own
    assert alternates(entry(english, EN_OTHER)) == {}
    arabic = fetch(server, "/ar/all.atom")
    assert alternates(entry(arabic, AR)) == {"en": EN.url, "fr": FR.url}
    everything = fetch(server, "/all/all.atom")
    assert alternates(entry(everything, FR)) == {"ar": AR.url, "en": EN.url}
    assert alternates(entry(everything, FR_OTHER)) == {}


@pytest.mark.usefixtures("stored")
def test_rss_items_carry_atom_links_and_a_line_of_links(server: FeedServer) -> None:
    french = fetch(server, "/fr/all.rss")
    found = entry(french, FR)
    assert found.link == FR.url
    assert alternates(found) == {"ar": AR.url, "en": EN.url}
    assert f'<a href="{AR.url}" hreflang="ar">العربية</a>' in found.description
    assert f'<a href="{EN.url}" hreflang="en">English</a>' in found.description
    assert found.description.index("Also in: ") > 0  # after the summary
    assert "Also in" not in entry(french, FR_OTHER).description


@pytest.mark.usefixtures("stored")
def test_custom_feeds_carry_the_versions_too(server: FeedServer) -> None:
    custom = fetch(server, "/feed.atom?lang=fr")
    assert alternates(entry(custom, FR)) == {"ar": AR.url, "en": EN.url}
    rss = fetch(server, "/feed.rss?lang=ar")
    assert alternates(entry(rss, AR)) == {"en": EN.url, "fr": FR.url}
