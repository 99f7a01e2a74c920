"""Feed documents from items alone: valid XML whatever the scraped text, stable bytes."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime

import feedparser
import pytest

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.build import (
    EMPTY_FEED_DATE,
    clean_line,
    clean_text,
    feed_items,
    render_feed,
)
from icesco_watch.feeds.catalog import FORMATS, FeedSpec, Format, feed_specs
from tests.feeds.conftest import AWKWARD, make_item

BASE = "http://feeds.test:8080"


def _parse(spec: FeedSpec, fmt: Format, settings: Settings) -> feedparser.FeedParserDict:
    items = feed_items(spec, AWKWARD, settings.feeds.items)
    return feedparser.parse(render_feed(spec, fmt, items, settings, BASE))


def _when(parsed: time.struct_time) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)


def test_clean_text_drops_what_xml_forbids_and_keeps_the_rest() -> None:
    assert clean_text("a\x00b\x0bc\x1bd\x7fe\x85f\ud800g\ufffeh") == "abcdefgh"
    assert clean_text("tab\tnew\nline\r🎓 عربي & <x>") == "tab\tnew\nline\r🎓 عربي & <x>"
    assert clean_line("  one\n two\t three  ") == "one two three"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_feed_parses_cleanly_with_awkward_titles(settings: Settings, fmt: Format) -> None:
    for spec in feed_specs(settings):
        parsed = _parse(spec, fmt, settings)
        assert parsed.bozo == 0, (spec.path(fmt), parsed.get("bozo_exception"))
        expected = [clean_line(i.title) for i in feed_items(spec, AWKWARD, settings.feeds.items)]
        assert [e.title for e in parsed.entries] == expected, spec.path(fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_entries_carry_guid_date_link_and_summary(settings: Settings, fmt: Format) -> None:
    parsed = _parse(FeedSpec("en", "all"), fmt, settings)
    first = AWKWARD[0]
    entry = parsed.entries[0]
    assert entry.id == first.url
    assert entry.link == first.url
    assert _when(entry.published_parsed) == first.published
    assert "\x00" not in entry.summary
    assert "red" in entry.summary


def test_rss_guid_is_a_permalink(settings: Settings) -> None:
    items = feed_items(FeedSpec("en", "all"), AWKWARD, 5)
    xml = render_feed(FeedSpec("en", "all"), "rss", items, settings, BASE).decode()
    assert f'<guid isPermaLink="true">{AWKWARD[0].url}</guid>' in xml


def test_a_scraped_script_stays_text_in_the_rss_description(settings: Settings) -> None:
    item = make_item("x", summary="<script>alert(1)</script> & more")
    xml = render_feed(FeedSpec("en", "all"), "rss", [item], settings, BASE)
    summary = feedparser.parse(xml).entries[0].summary
    # Readers treat an RSS description as HTML: the tag must arrive escaped, as text.
    assert summary == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Education", "Science and Environment"]),
        ("ar", ["التربية", "العلوم والبيئة"]),
        ("fr", ["Éducation", "Sciences et environnement"]),
        ("all", ["Education", "Science and Environment"]),
    ],
)
def test_categories_are_sector_names_in_the_feed_language(
    settings: Settings, lang: str, expected: list[str]
) -> None:
    item = AWKWARD[0]
    spec = FeedSpec(lang, "sector", "education")
    xml = render_feed(spec, "rss", [item], settings, BASE)
    assert [t.term for t in feedparser.parse(xml).entries[0].tags] == expected
    atom = feedparser.parse(render_feed(spec, "atom", [item], settings, BASE))
    assert [(t.term, t.label) for t in atom.entries[0].tags] == list(
        zip(item.sectors, expected, strict=True)
    )


def test_feeds_hold_only_their_items_newest_first_and_limited(settings: Settings) -> None:
    many = [make_item(f"n{i}", "fr", hours_ago=i, sectors=("culture",)) for i in range(9)]
    spec = FeedSpec("fr", "sector", "culture")
    chosen = feed_items(spec, [*many, *AWKWARD], limit=5)
    assert chosen == many[:5]
    assert feed_items(FeedSpec("ar", "sector", "culture"), many, 5) == []
    assert feed_items(FeedSpec("all", "topic", "heritage"), AWKWARD, 5) == [AWKWARD[1]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_titles_and_self_links(settings: Settings, fmt: Format) -> None:
    parsed = _parse(FeedSpec("en", "sector", "education"), fmt, settings)
    assert parsed.feed.title == "ICESCO news: Education (English)"
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [f"{BASE}/en/sector/education.{fmt}"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_arabic_feeds_are_titled_in_arabic_and_declare_their_language(
    settings: Settings, fmt: Format
) -> None:
    parsed = _parse(FeedSpec("ar", "sector", "culture"), fmt, settings)
    assert parsed.feed.title == f"أخبار الإيسيسكو: {settings.sector('culture').name.ar} (العربية)"
    assert parsed.feed.language == "ar"
    # A Latin topic name inside the Arabic title is isolated, so the parentheses stay put.
    topic = _parse(FeedSpec("ar", "topic", "ai"), fmt, settings)
    assert topic.feed.title == "أخبار الإيسيسكو: \u2068Artificial intelligence\u2069 (العربية)"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_items_give_the_same_bytes(settings: Settings, fmt: Format) -> None:
    spec = FeedSpec("all", "all")
    items = feed_items(spec, AWKWARD, 5)
    first = render_feed(spec, fmt, items, settings, BASE)
    assert render_feed(spec, fmt, list(items), settings, BASE) == first
    # The feed's date is its newest item's, not the time of the build.
    parsed = feedparser.parse(first)
    assert _when(parsed.feed.updated_parsed) == AWKWARD[0].published


def test_an_empty_feed_is_valid_and_dated_by_a_constant(settings: Settings) -> None:
    for fmt in FORMATS:
        parsed = feedparser.parse(render_feed(FeedSpec("fr", "all"), fmt, [], settings, BASE))
        assert parsed.bozo == 0
        assert parsed.entries == []
        assert _when(parsed.feed.updated_parsed) == EMPTY_FEED_DATE
