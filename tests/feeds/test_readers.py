"""Real readers against the served feeds: newsboat subscribes, Chromium shows the index page."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.build import clean_line
from icesco_watch.feeds.publish import build_all
from icesco_watch.feeds.server import FeedServer
from tests.feeds.conftest import AWKWARD, store_items
from tests.feeds.readers import (
    chromium,
    newsboat_feed_titles,
    newsboat_reload,
    require,
    summarize_page,
)

EN, AR, FR, UNTAGGED = AWKWARD


def test_newsboat_reads_the_served_feeds_and_polls_with_validators(
    settings: Settings, engine: Engine, server: FeedServer, tmp_path: Path
) -> None:
    store_items(engine, AWKWARD)
    build_all(settings, engine)
    # Feeds with disjoint items: newsboat keeps one copy of a guid across all feeds.
    urls = [
        f"{server.url}/en/all.rss",
        f"{server.url}/ar/all.atom",
        f"{server.url}/fr/sector/education.rss",
    ]
    found = newsboat_reload(urls, tmp_path / "newsboat")
    assert found == {
        urls[0]: [clean_line(EN.title), clean_line(UNTAGGED.title)],
        urls[1]: [clean_line(AR.title)],
        urls[2]: [clean_line(FR.title)],
    }
    assert newsboat_feed_titles(tmp_path / "newsboat") == {
        urls[0]: "ICESCO news (English)",
        urls[1]: "أخبار الإيسيسكو (العربية)",
        urls[2]: "Actualités de l'ICESCO : Éducation (français)",
    }
    # Newsboat 2.21 saves a new feed's validators only from its second fetch on (its first
    # UPDATE precedes the feed's row); from then on each poll is a conditional GET and a 304.
    newsboat_reload(urls, tmp_path / "newsboat")
    before = server.not_modified
    assert newsboat_reload(urls, tmp_path / "newsboat") == found
    assert server.not_modified - before == len(urls)


def test_the_index_page_renders_in_chromium_with_items_and_feed_links(
    settings: Settings, engine: Engine, server: FeedServer, tmp_path: Path
) -> None:
    store_items(engine, AWKWARD)
    build_all(settings, engine)
    # Under tmp_path, never the source tree (pytest keeps the last runs' directories to look at).
    screenshot = tmp_path / "index.png"
    dom = chromium(f"{server.url}/", tmp_path / "chromium", screenshot)
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert screenshot.stat().st_size > 10_000  # a page with text, not a blank image

    page = summarize_page(dom)
    latest = [link.text for link in page.links if link.section == "latest"]
    assert latest == [clean_line(item.title) for item in AWKWARD]
    # The scraped "<script>" is text on the page, never an element that could run.
    assert page.scripts == 0
    arabic = [li for li in page.items if li["section"] == "latest" and li.get("lang") == "ar"]
    assert [li.get("dir") for li in arabic] == ["rtl"]
    feed_links = {link.href for link in page.links if link.section == "feeds"}
    assert {"en/all.rss", "ar/sector/culture.atom", "all/topic/ai.rss"} <= feed_links
    hrefs = {link.href for link in page.links}
    assert {"feeds.opml", "https://t.me/icesco_watch_bot", EN.url} <= hrefs


def test_a_missing_reader_skips_with_its_reason_locally_and_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing installed here
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="newsboat is not installed"):
        require("newsboat", "newsboat")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"apt-get install .* newsboat"):
        require("newsboat", "newsboat")
