"""The index page and the OPML list, from data alone: escaped, RTL-aware, complete."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.catalog import feed_specs
from icesco_watch.feeds.index import IndexData, render_index
from icesco_watch.feeds.opml import render_opml
from tests.feeds.conftest import AWKWARD, make_item, make_settings
from tests.feeds.readers import summarize_page


def _page(settings: Settings) -> str:
    data = IndexData(settings, AWKWARD, {"education": [AWKWARD[0], AWKWARD[2]]})
    return render_index(data).decode("utf-8")


def test_scraped_text_is_escaped(settings: Settings) -> None:
    page = _page(settings)
    assert "<script>" not in page
    assert "Schools &amp; labs: &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "\x00" not in page
    assert "\x1b" not in page
    assert summarize_page(page).scripts == 0


def test_only_web_links_become_links(settings: Settings) -> None:
    hostile = replace(make_item("x", title="Click me"), url="javascript:alert(1)")
    page = render_index(IndexData(settings, [hostile], {})).decode()
    assert "javascript:" not in page
    assert "Click me" in page


def test_arabic_items_are_right_to_left(settings: Settings) -> None:
    page = summarize_page(_page(settings))
    langs = [(li.get("lang"), li.get("dir")) for li in page.items if li["section"] == "latest"]
    assert langs == [("en", None), ("ar", "rtl"), ("fr", None), ("en", None)]


def test_every_feed_is_linked_and_sectors_list_their_items(settings: Settings) -> None:
    page = summarize_page(_page(settings))
    feed_links = {link.href for link in page.links if link.section == "feeds"}
    assert feed_links == {s.path(f) for s in feed_specs(settings) for f in ("rss", "atom")}
    in_sectors = [link.text for link in page.links if link.section == "sectors"]
    assert in_sectors[:2] == [
        "Schools & labs: <script>alert('x')</script> a new plan 🎓",
        "Forum « jeunesse » : l'ICESCO & ses partenaires",
    ]


def test_the_telegram_link_appears_only_when_configured(tmp_path: Path) -> None:
    with_bot = make_settings(tmp_path)
    assert "https://t.me/icesco_watch_bot" in _page(with_bot)
    without = with_bot.model_copy(
        update={"telegram": with_bot.telegram.model_copy(update={"bot_username": None})}
    )
    assert "t.me" not in _page(without)


def test_the_page_is_stable_for_the_same_data(settings: Settings) -> None:
    assert _page(settings) == _page(settings)


def test_opml_lists_every_feed_with_absolute_urls(settings: Settings) -> None:
    root = ET.fromstring(render_opml(settings, "https://feeds.example.org"))
    outlines = root.findall("./body/outline/outline")
    urls = [o.get("xmlUrl") for o in outlines]
    assert urls == [f"https://feeds.example.org/{s.path('rss')}" for s in feed_specs(settings)]
    titles = {o.get("xmlUrl"): o.get("title") for o in outlines}
    assert titles["https://feeds.example.org/fr/sector/education.rss"] == (
        "Actualités de l'ICESCO : Éducation (français)"
    )
    assert [g.get("text") for g in root.findall("./body/outline")] == [
        "English",
        "Arabic",
        "French",
        "All languages",
    ]
